//! Transfers of the organisational relationship (组织关系转接) as rules and facts: the introduction
//! letter (介绍信) with its counterfoil and receipt under one number, its validity, the receipt owed
//! after it, reissuing an expired letter, and the letter's state as of a day. The store keeps the
//! letters (`store/transfers.rs`); `dossier/letter.rs` prints them.

use serde::{Deserialize, Serialize};

use crate::calendar::{self, Date};
use crate::domain::{Id, Stage};
use crate::dues::Month;
use crate::{Error, Result, Text};

/// The rules of transfers in force: the shipped file with an office's `[transfer]` on top.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferRules {
    pub clause: Text,
    pub default_validity_days: u32,
    pub max_validity_days: u32,
    /// The receipt is owed this many months after the letter's validity ends.
    pub receipt_months: u32,
    pub receipt_name: Text,
    pub receipt_lead_days: Vec<u32>,
    pub reissue_within_months: u32,
    pub reissue_clause: Text,
    /// A graduate's relationship kept at the university ends this many months after graduating.
    pub keep_months: u32,
    pub keep_name: Text,
    pub keep_clause: Text,
    pub keep_lead_days: Vec<u32>,
}

impl TransferRules {
    /// The id of the receipt's item in lists and the CLI's JSON.
    pub const RECEIPT_ID: &'static str = "transfer_receipt";
    /// The id of a kept graduate's item.
    pub const KEEP_ID: &'static str = "graduate_kept";

    /// The day a letter's receipt is owed by.
    pub fn receipt_due(&self, valid_until: Date) -> Date {
        calendar::add_months(valid_until, self.receipt_months).unwrap_or(valid_until)
    }

    /// The day a graduate's relationship, kept at the university, must have moved by.
    pub fn keep_due(&self, graduated_on: Date) -> Date {
        calendar::add_months(graduated_on, self.keep_months).unwrap_or(graduated_on)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TransferEntry {
    clause_zh: Option<String>,
    clause_en: Option<String>,
    default_validity_days: Option<u32>,
    max_validity_days: Option<u32>,
    receipt_months: Option<u32>,
    receipt_name_zh: Option<String>,
    receipt_name_en: Option<String>,
    receipt_lead_days: Option<Vec<u32>>,
    reissue_within_months: Option<u32>,
    reissue_clause_zh: Option<String>,
    reissue_clause_en: Option<String>,
    keep_months: Option<u32>,
    keep_name_zh: Option<String>,
    keep_name_en: Option<String>,
    keep_clause_zh: Option<String>,
    keep_clause_en: Option<String>,
    keep_lead_days: Option<Vec<u32>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TransferFile {
    transfer: TransferEntry,
}

fn rules_error(zh: impl std::fmt::Display, en: impl std::fmt::Display) -> Error {
    Error::RuleFile { reason: Text::new(format!("组织关系转接规则{zh}"), format!("transfer rules: {en}")) }
}

pub fn shipped_transfers() -> &'static TransferRules {
    static SHIPPED: std::sync::OnceLock<TransferRules> = std::sync::OnceLock::new();
    // Checked by a test; a shipped file that does not parse is a build defect.
    SHIPPED.get_or_init(|| {
        parse_transfers(include_str!("../rules/transfers.toml")).unwrap_or_else(|why| panic!("{why:?}"))
    })
}

/// Parses a whole transfers file: every field given.
pub fn parse_transfers(source: &str) -> Result<TransferRules> {
    let file: TransferFile =
        toml::from_str(source).map_err(|e| rules_error(format!("格式错误：{e}"), format!("malformed: {e}")))?;
    let mut rules = TransferRules {
        clause: Text::new("", ""),
        default_validity_days: 0,
        max_validity_days: 0,
        receipt_months: 0,
        receipt_name: Text::new("", ""),
        receipt_lead_days: Vec::new(),
        reissue_within_months: 0,
        reissue_clause: Text::new("", ""),
        keep_months: 0,
        keep_name: Text::new("", ""),
        keep_clause: Text::new("", ""),
        keep_lead_days: Vec::new(),
    };
    rules.apply(file.transfer)?;
    Ok(rules)
}

impl TransferRules {
    /// An office's `[transfer]` on top; a bad one is refused whole.
    pub(crate) fn apply(&mut self, e: TransferEntry) -> Result<()> {
        let text = |zh: Option<String>, en: Option<String>, was: &Text| {
            Text::new(zh.unwrap_or_else(|| was.zh.clone()), en.unwrap_or_else(|| was.en.clone()))
        };
        self.clause = text(e.clause_zh, e.clause_en, &self.clause);
        self.receipt_name = text(e.receipt_name_zh, e.receipt_name_en, &self.receipt_name);
        self.reissue_clause = text(e.reissue_clause_zh, e.reissue_clause_en, &self.reissue_clause);
        self.default_validity_days = e.default_validity_days.unwrap_or(self.default_validity_days);
        self.max_validity_days = e.max_validity_days.unwrap_or(self.max_validity_days);
        self.receipt_months = e.receipt_months.unwrap_or(self.receipt_months);
        self.receipt_lead_days = e.receipt_lead_days.unwrap_or_else(|| self.receipt_lead_days.clone());
        self.reissue_within_months = e.reissue_within_months.unwrap_or(self.reissue_within_months);
        self.keep_name = text(e.keep_name_zh, e.keep_name_en, &self.keep_name);
        self.keep_clause = text(e.keep_clause_zh, e.keep_clause_en, &self.keep_clause);
        self.keep_months = e.keep_months.unwrap_or(self.keep_months);
        self.keep_lead_days = e.keep_lead_days.unwrap_or_else(|| self.keep_lead_days.clone());
        if self.keep_months == 0 || self.keep_name.zh.is_empty() || self.keep_clause.zh.is_empty() {
            return Err(rules_error(
                "须写明毕业生保留组织关系的期限（keep_months > 0）、名称和条款",
                "needs a graduate's keeping period (keep_months > 0), its name and its clause",
            ));
        }
        if self.default_validity_days == 0
            || self.default_validity_days > self.max_validity_days
            || self.receipt_months == 0
            || self.receipt_name.zh.is_empty()
            || self.clause.zh.is_empty()
        {
            return Err(rules_error(
                "须写明条款和回执名称，且 0 < default_validity_days ≤ max_validity_days、receipt_months > 0",
                "needs its clause and the receipt's name, 0 < default_validity_days ≤ max_validity_days and receipt_months > 0",
            ));
        }
        Ok(())
    }
}

/// Where a letter stands as of a day.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterState {
    /// Issued and within its validity, or past it with the receipt still awaited.
    Issued,
    /// The receiving committee returned the receipt: the transfer is complete.
    Received,
    /// Past its validity with no receipt: it may be reissued (within the rule's months) or cancelled.
    Expired,
    /// Replaced by a new letter.
    Reissued,
    /// Withdrawn: the member stayed (back in the register).
    Cancelled,
}

/// An introduction letter: counterfoil, letter and receipt under one number.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransferLetter {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub id: Id,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub person_id: Id,
    pub name: String,
    /// The sending branch's path.
    pub branch: String,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub branch_id: Id,
    /// `2026-001`: the year and the office's sequence in it.
    pub number: String,
    /// The receiving organisation (转往).
    pub destination: String,
    /// Whom the letter is addressed to (抬头), e.g. 中共某某大学委员会组织部.
    pub addressee: String,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub issued_on: Date,
    pub validity_days: u32,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub valid_until: Date,
    /// The stage on the day issued (正式党员, 预备党员, or a stage of the procedure).
    pub stage: Stage,
    /// The month the member's dues are paid up to, from the ledger.
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub dues_paid_through: Option<Month>,
    /// For a probationary member, the sending branch's assessment of the probation so far.
    pub assessment: Option<String>,
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub receipt_on: Option<Date>,
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub cancelled_on: Option<Date>,
    /// The letter this one replaced, and the one that replaced it.
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub reissue_of: Option<Id>,
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub reissued_as: Option<Id>,
    pub state: LetterState,
}

impl TransferLetter {
    /// The state as of a day, from the letter's own facts.
    pub fn state_on(&self, as_of: Date) -> LetterState {
        if self.cancelled_on.is_some() {
            LetterState::Cancelled
        } else if self.reissued_as.is_some() {
            LetterState::Reissued
        } else if self.receipt_on.is_some() {
            LetterState::Received
        } else if self.valid_until < as_of {
            LetterState::Expired
        } else {
            LetterState::Issued
        }
    }
}

/// What the worker gives to issue a letter.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NewLetter {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub person_id: Id,
    pub destination: String,
    /// Left out: the destination's organisation department is written.
    pub addressee: Option<String>,
    /// Left out: the rule's default (30 days).
    pub validity_days: Option<u32>,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub issued_on: Date,
    pub assessment: Option<String>,
}

/// One person of a batch of letters (a graduating class) as the check before issuing finds them.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeaverCheck {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub person_id: Id,
    pub name: String,
    pub branch: String,
    pub stage: Stage,
    /// What stops their letter (already out of the register, a probationary member without the
    /// assessment, …): the batch issues nothing while anyone has one.
    pub refusal: Option<Text>,
    /// What they still owe, soonest first: the steps and items open on their file.
    pub unfinished: Vec<Unfinished>,
    /// A probationary member whose conversion falls due by the day of leaving: the sending
    /// branch discusses it before the letter goes (细则第二十九条).
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub conversion_due: Option<Date>,
}

/// An item still open on a leaver's file.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unfinished {
    pub rule: String,
    pub name: Text,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub due: Date,
}

/// The last day a letter issued on `issued_on` is valid.
pub fn valid_until(issued_on: Date, validity_days: u32) -> Date {
    issued_on.checked_add_days(chrono::Days::new(u64::from(validity_days.saturating_sub(1)))).unwrap_or(issued_on)
}

/// Checks what the worker gave: a destination, a validity within the rule, a day not after today,
/// and for a probationary member the probation's assessment. Returns the letter's validity days,
/// addressee and trimmed fields.
pub fn check_new_letter(
    new: &NewLetter,
    stage: Stage,
    rules: &TransferRules,
    today: Date,
) -> Result<(u32, String, Option<String>)> {
    let destination = new.destination.trim();
    crate::text::check_chars("to", ("转往", "destination"), destination, false)?;
    crate::text::check_chars("addressee", ("抬头", "addressee"), new.addressee.as_deref().unwrap_or(""), false)?;
    crate::text::check_chars("assessment", ("考察意见", "assessment"), new.assessment.as_deref().unwrap_or(""), true)?;
    if destination.is_empty() {
        return Err(Error::invalid("to", "请写转往的党组织", "give the organisation the member transfers to"));
    }
    if destination.chars().count() > 100 {
        return Err(Error::invalid(
            "to",
            "转往的党组织名称过长（最多 100 字）",
            "the destination is too long (100 characters at most)",
        ));
    }
    let days = new.validity_days.unwrap_or(rules.default_validity_days);
    if days == 0 || days > rules.max_validity_days {
        return Err(Error::invalid(
            "validity",
            format!("有效期应为 1 到 {} 天", rules.max_validity_days),
            format!("the validity must be 1 to {} days", rules.max_validity_days),
        ));
    }
    if new.issued_on > today {
        return Err(Error::invalid(
            "date",
            format!("开具日期 {} 晚于今天", new.issued_on),
            format!("the day issued, {}, is after today", new.issued_on),
        ));
    }
    // The assessment is of a probation: another stage's letter carries none.
    let assessment = new
        .assessment
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty() && stage == Stage::Probationary)
        .map(str::to_owned);
    if stage == Stage::Probationary && assessment.is_none() {
        return Err(Error::invalid(
            "assessment",
            "预备党员转出，须写明转出支部对其预备期的考察意见",
            "a probationary member's letter needs the sending branch's assessment of the probation so far",
        ));
    }
    let addressee = new
        .addressee
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map_or_else(|| format!("{destination}组织部门"), str::to_owned);
    Ok((days, addressee, assessment))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn new(days: Option<u32>) -> NewLetter {
        NewLetter {
            person_id: 1,
            destination: " 中共某某大学委员会 ".into(),
            addressee: None,
            validity_days: days,
            issued_on: d("2026-06-30"),
            assessment: None,
        }
    }

    #[test]
    fn the_shipped_rules_parse_and_an_office_may_change_them() {
        let rules = shipped_transfers();
        assert_eq!((rules.default_validity_days, rules.max_validity_days, rules.receipt_months), (30, 90, 1));
        let mut mine = rules.clone();
        mine.apply(toml::from_str("receipt_months = 2").unwrap()).unwrap();
        assert_eq!(mine.receipt_due(d("2026-07-29")), d("2026-09-29"));
        assert!(mine.apply(toml::from_str("default_validity_days = 120").unwrap()).is_err());
    }

    #[test]
    fn a_letter_is_checked_before_it_is_issued() {
        let rules = shipped_transfers();
        let today = d("2026-07-01");
        let (days, addressee, _) = check_new_letter(&new(None), Stage::FullMember, rules, today).unwrap();
        assert_eq!((days, addressee.as_str()), (30, "中共某某大学委员会组织部门"));
        assert_eq!(valid_until(d("2026-06-30"), 30), d("2026-07-29"));
        let field = |r: Result<(u32, String, Option<String>)>| match r {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(check_new_letter(&new(Some(91)), Stage::FullMember, rules, today)), "validity");
        assert_eq!(field(check_new_letter(&new(Some(0)), Stage::FullMember, rules, today)), "validity");
        assert_eq!(field(check_new_letter(&new(None), Stage::Probationary, rules, today)), "assessment");
        let blank = NewLetter { destination: "  ".into(), ..new(None) };
        assert_eq!(field(check_new_letter(&blank, Stage::FullMember, rules, today)), "to");
        assert_eq!(field(check_new_letter(&new(None), Stage::FullMember, rules, d("2026-06-29"))), "date");
    }
}
