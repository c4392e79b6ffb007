//! Rule sets: which version of 《中国共产党发展党员工作细则》 a workspace follows, and the article
//! each check cites. The citations are data (`rules/*.toml`), so a correction is a one-line change.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::EventKind;
use crate::meeting_rules::{LifeRules, MeetingRule};
use crate::{Error, Text};

/// Every check the validator performs; a rule file must cite an article (or none) for each.
pub const CHECKS: [&str; 15] = [
    "minimum_age",
    "application_talk",
    "activist_after_application",
    "activist_review",
    "contacts_after_activist",
    "candidate_eligible",
    "political_review",
    "centralised_training",
    "prereview",
    "branch_meeting_after_prereview",
    "admission_approval",
    "oath",
    "conversion_earliest",
    "probation_extension",
    "conversion_approval",
];

/// The rule sets shipped with Dangan. A workspace records which one it follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum RuleSetId {
    #[serde(rename = "cpc-2014")]
    Cpc2014,
    #[default]
    #[serde(rename = "cpc-2026")]
    Cpc2026,
}

impl RuleSetId {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleSetId::Cpc2014 => "cpc-2014",
            RuleSetId::Cpc2026 => "cpc-2026",
        }
    }

    pub fn parse(s: &str) -> Option<RuleSetId> {
        match s.trim() {
            "cpc-2014" | "2014" => Some(RuleSetId::Cpc2014),
            "cpc-2026" | "2026" => Some(RuleSetId::Cpc2026),
            _ => None,
        }
    }

    fn source(self) -> &'static str {
        match self {
            RuleSetId::Cpc2014 => include_str!("../rules/cpc-2014.toml"),
            RuleSetId::Cpc2026 => include_str!("../rules/cpc-2026.toml"),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: String,
    title_zh: String,
    title_en: String,
    document_zh: String,
    document_en: String,
    checks: BTreeMap<String, CheckEntry>,
    /// Read entry by entry (see [`entries`]), so a wrong value names the entry it is in.
    #[serde(default)]
    deadline: Vec<toml::Value>,
}

/// A `[[deadline]]` entry as written. In a shipped file every entry is whole; in an office's own
/// file an entry with a known id changes only the fields it gives.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeadlineEntry {
    id: String,
    name_zh: Option<String>,
    name_en: Option<String>,
    kind: Option<DeadlineKind>,
    from: Option<EventKind>,
    months: Option<u32>,
    working_days: Option<u32>,
    extended_by: Option<EventKind>,
    extension_counts: Option<ExtensionCounts>,
    until: Option<Vec<EventKind>>,
    done_by: Option<EventKind>,
    article: Option<u32>,
    clause_zh: Option<String>,
    clause_en: Option<String>,
    lead_days: Option<Vec<u32>>,
    /// Only in an office's file: drops a shipped rule the office does not follow.
    #[serde(default)]
    disabled: bool,
}

/// An office's own rule file, loaded on top of a shipped one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverrideFile {
    /// Read entry by entry (see [`entries`]), so a wrong value names the entry it is in.
    #[serde(default)]
    deadline: Vec<toml::Value>,
    /// Meeting frequencies the office changes, adds or drops (`meeting_rules.rs`).
    #[serde(default)]
    meeting: Vec<toml::Value>,
    /// The committee's term and the absence from party life, as the office changes them.
    committee_term: Option<toml::Value>,
    party_life: Option<toml::Value>,
    secretary_lecture: Option<toml::Value>,
    /// The office's rounding of dues, its own rates, or when arrears flag (`dues.rs`).
    dues: Option<toml::Value>,
    /// The office's letters' validity and when their receipt is owed (`transfer.rs`).
    transfer: Option<toml::Value>,
    /// The office's share of 优秀, correction period and proposal rule (`appraisal.rs`).
    appraisal: Option<toml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckEntry {
    article: Option<u32>,
}

/// A loaded rule set.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub id: String,
    pub title: Text,
    document: Text,
    articles: BTreeMap<String, Option<u32>>,
    deadlines: Vec<DeadlineRule>,
    /// Branch life (meeting frequencies, the committee's term, absence from party life): the
    /// same for either version of the 细则.
    life: LifeRules,
    /// Party dues: each category's rate, the rounding, the arrears rule.
    dues: crate::dues::DuesRules,
    /// Transfers: the letter's validity, the receipt, reissuing.
    transfers: crate::transfer::TransferRules,
    /// The democratic appraisal: the share of 优秀, the correction period, the proposal.
    appraisal: crate::appraisal::AppraisalRules,
    overridden: bool,
}

impl RuleSet {
    /// One of the rule sets shipped with Dangan.
    pub fn builtin(id: RuleSetId) -> RuleSet {
        // The shipped files are checked by a test; failing here would be a build defect.
        RuleSet::parse(id.source()).expect("shipped rule files are valid")
    }

    /// Parses a rule file, naming the entry at fault when it is wrong.
    pub fn parse(source: &str) -> Result<RuleSet, Error> {
        let file: RuleFile = toml::from_str(source).map_err(|e| Error::RuleFile {
            reason: Text::new(format!("规则文件格式错误：{e}"), format!("malformed rule file: {e}")),
        })?;
        if let Some(unknown) = file.checks.keys().find(|k| !CHECKS.contains(&k.as_str())) {
            return Err(Error::RuleFile {
                reason: Text::new(
                    format!("规则文件中的条目「{unknown}」不是已知的检查项"),
                    format!("rule file entry `{unknown}` is not a known check"),
                ),
            });
        }
        if let Some(missing) = CHECKS.iter().find(|k| !file.checks.contains_key(**k)) {
            return Err(Error::RuleFile {
                reason: Text::new(
                    format!("规则文件缺少条目「{missing}」"),
                    format!("rule file lacks the entry `{missing}`"),
                ),
            });
        }
        if let Some((check, _)) = file.checks.iter().find(|(_, c)| c.article.is_some_and(|a| !(1..=999).contains(&a))) {
            return Err(Error::RuleFile {
                reason: Text::new(
                    format!("规则文件中的检查项「{check}」的条款号应为 1 至 999"),
                    format!("rule file check `{check}` needs an article number from 1 to 999"),
                ),
            });
        }
        let document = Text::new(file.document_zh, file.document_en);
        let mut deadlines: Vec<DeadlineRule> = Vec::with_capacity(file.deadline.len());
        for entry in entries(file.deadline)? {
            if deadlines.iter().any(|d| d.id == entry.id) {
                return Err(rule_error(&entry.id, "出现了两次".into(), "is listed twice".into()));
            }
            deadlines.push(build_deadline(entry, None, &document)?);
        }
        Ok(RuleSet {
            id: file.id,
            title: Text::new(file.title_zh, file.title_en),
            articles: file.checks.into_iter().map(|(k, v)| (k, v.article)).collect(),
            document,
            deadlines,
            life: crate::meeting_rules::shipped_life().clone(),
            dues: crate::dues::shipped_dues().clone(),
            transfers: crate::transfer::shipped_transfers().clone(),
            appraisal: crate::appraisal::shipped_appraisal().clone(),
            overridden: false,
        })
    }

    /// This rule set with an office's own rule file on top: an entry with a shipped id changes the
    /// fields it gives (or, with `disabled = true`, drops the rule); a new id adds a rule and must
    /// be whole. A bad file is refused whole, naming the entry at fault.
    pub fn with_overrides(&self, source: &str) -> Result<RuleSet, Error> {
        let file: OverrideFile = toml::from_str(source).map_err(|e| Error::RuleFile {
            reason: Text::new(format!("本单位规则文件格式错误：{e}"), format!("malformed rule file: {e}")),
        })?;
        let mut out = self.clone();
        let mut seen: Vec<String> = Vec::new();
        for entry in entries(file.deadline)? {
            if seen.contains(&entry.id) {
                return Err(rule_error(&entry.id, "出现了两次".into(), "is listed twice".into()));
            }
            seen.push(entry.id.clone());
            let at = out.deadlines.iter().position(|d| d.id == entry.id);
            if entry.disabled {
                match at {
                    Some(at) => {
                        out.deadlines.remove(at);
                        continue;
                    }
                    None => {
                        return Err(rule_error(
                            &entry.id,
                            "不是已有的期限，无法停用".into(),
                            "is not a known deadline, so it cannot be disabled".into(),
                        ));
                    }
                }
            }
            let rule = build_deadline(entry, at.map(|i| &out.deadlines[i]), &out.document)?;
            match at {
                Some(at) => out.deadlines[at] = rule,
                None => out.deadlines.push(rule),
            }
        }
        crate::meeting_rules::apply_office(
            &mut out.life,
            file.meeting,
            file.committee_term,
            file.party_life,
            file.secretary_lecture,
        )?;
        if let Some(dues) = file.dues {
            let section = dues.try_into().map_err(|e: toml::de::Error| Error::RuleFile {
                reason: Text::new(
                    format!("本单位规则文件的 [dues] 有误：{}", e.message()),
                    format!("rule file [dues] is wrong: {}", e.message()),
                ),
            })?;
            out.dues.apply(section)?;
        }
        if let Some(transfer) = file.transfer {
            let section = transfer.try_into().map_err(|e: toml::de::Error| Error::RuleFile {
                reason: Text::new(
                    format!("本单位规则文件的 [transfer] 有误：{}", e.message()),
                    format!("rule file [transfer] is wrong: {}", e.message()),
                ),
            })?;
            out.transfers.apply(section)?;
        }
        if let Some(appraisal) = file.appraisal {
            let section = appraisal.try_into().map_err(|e: toml::de::Error| Error::RuleFile {
                reason: Text::new(
                    format!("本单位规则文件的 [appraisal] 有误：{}", e.message()),
                    format!("rule file [appraisal] is wrong: {}", e.message()),
                ),
            })?;
            out.appraisal.apply(section)?;
        }
        out.overridden = true;
        Ok(out)
    }

    /// Whether an office's own rule file is loaded on top of the shipped one.
    pub fn is_overridden(&self) -> bool {
        self.overridden
    }

    /// The deadline rules of this rule set, in the order the file lists them.
    pub fn deadlines(&self) -> &[DeadlineRule] {
        &self.deadlines
    }

    /// How often units owe each kind of meeting.
    pub fn meetings(&self) -> &[MeetingRule] {
        &self.life.meetings
    }

    /// Every rule of branch life.
    pub fn life(&self) -> &LifeRules {
        &self.life
    }

    /// The party dues rules.
    pub fn dues(&self) -> &crate::dues::DuesRules {
        &self.dues
    }

    /// The rules of transfers and their letters.
    pub fn transfers(&self) -> &crate::transfer::TransferRules {
        &self.transfers
    }

    /// The rules of the democratic appraisal.
    pub fn appraisal(&self) -> &crate::appraisal::AppraisalRules {
        &self.appraisal
    }

    /// The citation of a check, e.g. `《中国共产党发展党员工作细则》第七条` / `Rules on Recruiting
    /// Party Members, Art. 7`.
    pub fn cite(&self, check: &str) -> Text {
        cite_article(&self.document, self.articles.get(check).copied().flatten())
    }
}

fn cite_article(document: &Text, article: Option<u32>) -> Text {
    match article {
        Some(n) => {
            Text::new(format!("{}第{}条", document.zh, chinese_numeral(n)), format!("{}, Art. {n}", document.en))
        }
        None => document.clone(),
    }
}

/// The `[[deadline]]` entries of a file, each read on its own so that a wrong value (an unknown
/// event, a word where a number belongs) names its entry: `rule file deadline `oath`: …`.
fn entries(values: Vec<toml::Value>) -> Result<Vec<DeadlineEntry>, Error> {
    values
        .into_iter()
        .enumerate()
        .map(|(i, value)| {
            let id = value.get("id").and_then(toml::Value::as_str).map(str::to_owned);
            value.try_into::<DeadlineEntry>().map_err(|e| {
                let name = id.unwrap_or_else(|| format!("#{}", i + 1));
                let detail = e.message().to_owned();
                rule_error(&name, format!("有误：{detail}"), format!("is wrong: {detail}"))
            })
        })
        .collect()
}

fn rule_error(id: &str, zh: String, en: String) -> Error {
    Error::RuleFile {
        reason: Text::new(format!("规则文件中的期限「{id}」{zh}"), format!("rule file deadline `{id}` {en}")),
    }
}

/// Makes a rule of an entry, on top of `base` when the entry changes a known rule.
fn build_deadline(entry: DeadlineEntry, base: Option<&DeadlineRule>, document: &Text) -> Result<DeadlineRule, Error> {
    let id = entry.id;
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        return Err(rule_error(
            &id,
            "的编号只能由小写字母、数字和下划线组成".into(),
            "needs an id of lower-case letters, digits and underscores".into(),
        ));
    }
    let missing = |field: &str| {
        rule_error(
            &id,
            format!("缺少「{field}」（新增的期限须写全）"),
            format!("lacks `{field}` (a new deadline must be whole)"),
        )
    };
    let name_zh = entry.name_zh.or_else(|| base.map(|b| b.name.zh.clone())).ok_or_else(|| missing("name_zh"))?;
    let name_en = entry.name_en.or_else(|| base.map(|b| b.name.en.clone())).ok_or_else(|| missing("name_en"))?;
    let kind = entry.kind.or(base.map(|b| b.kind)).ok_or_else(|| missing("kind"))?;
    let from = entry.from.or(base.map(|b| b.from)).ok_or_else(|| missing("from"))?;
    let done_by = entry.done_by.or(base.map(|b| b.done_by)).ok_or_else(|| missing("done_by"))?;
    let period = match (entry.months, entry.working_days) {
        (Some(_), Some(_)) => {
            return Err(rule_error(
                &id,
                "不能同时写「months」和「working_days」".into(),
                "cannot give both `months` and `working_days`".into(),
            ));
        }
        (Some(m), None) => Period::Months(m),
        (None, Some(d)) => Period::WorkingDays(d),
        (None, None) => base.map(|b| b.period).ok_or_else(|| missing("months"))?,
    };
    let until = entry.until.or_else(|| base.map(|b| b.until.clone())).unwrap_or_default();
    let extended_by = entry.extended_by.or(base.and_then(|b| b.extended_by));
    let extension_counts = entry.extension_counts.or(base.and_then(|b| b.extension_counts));
    match (extended_by, extension_counts) {
        (Some(_), None) => {
            return Err(rule_error(
                &id,
                "有延长事件（extended_by），须写明延长如何计算（extension_counts：from_period_end 或 from_start）"
                    .into(),
                "has `extended_by` and needs `extension_counts` (from_period_end or from_start)".into(),
            ));
        }
        (None, Some(_)) => {
            return Err(rule_error(
                &id,
                "写了「extension_counts」却没有延长事件（extended_by）".into(),
                "gives `extension_counts` but no `extended_by`".into(),
            ));
        }
        _ => {}
    }
    let lead_days = entry.lead_days.or_else(|| base.map(|b| b.lead_days.clone())).unwrap_or_else(|| vec![30, 7, 1]);
    if entry.article.is_some_and(|a| !(1..=999).contains(&a)) {
        return Err(rule_error(&id, "的条款号应为 1 至 999".into(), "needs an article number from 1 to 999".into()));
    }
    let clause = match (entry.clause_zh, entry.clause_en, entry.article) {
        (Some(zh), Some(en), _) => Text::new(zh, en),
        (Some(_), None, _) | (None, Some(_), _) => {
            return Err(rule_error(
                &id,
                "须同时写「clause_zh」和「clause_en」".into(),
                "needs both `clause_zh` and `clause_en`".into(),
            ));
        }
        (None, None, Some(article)) => cite_article(document, Some(article)),
        (None, None, None) => base.map(|b| b.clause.clone()).unwrap_or_else(|| cite_article(document, None)),
    };
    let unreasonable = |zh: &str, en: &str| Err(rule_error(&id, zh.into(), en.into()));
    match period {
        Period::Months(m) if m == 0 || m > 120 => return unreasonable("的月数应为 1 至 120", "needs 1 to 120 months"),
        Period::WorkingDays(d) if d == 0 || d > 60 => {
            return unreasonable("的工作日数应为 1 至 60", "needs 1 to 60 working days");
        }
        _ => {}
    }
    if kind == DeadlineKind::Recurring {
        if until.is_empty() {
            return unreasonable("是周期性期限，须写明何时停止（until）", "is recurring and needs `until`");
        }
        if matches!(period, Period::WorkingDays(_)) {
            return unreasonable("是周期性期限，只能按月计算", "is recurring and must count months");
        }
        if !done_by.repeats() {
            return unreasonable(
                &format!("是周期性期限，完成事件「{}」却只能记录一次", done_by.as_str()),
                &format!("is recurring, but its `done_by` event `{}` happens only once", done_by.as_str()),
            );
        }
    } else if from == done_by {
        return unreasonable("的起算事件与完成事件不能相同", "needs `from` to differ from `done_by`");
    }
    if lead_days.iter().any(|&d| d > 366) {
        return unreasonable("的提前提醒天数不能超过 366", "cannot remind more than 366 days ahead");
    }
    Ok(DeadlineRule {
        id,
        name: Text::new(name_zh, name_en),
        kind,
        from,
        period,
        extended_by,
        extension_counts,
        until,
        done_by,
        lead_days,
        clause,
    })
}

/// How far a due day lies from the event that starts a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// By the corresponding-day rule.
    Months(u32),
    /// The day after the last of this many working days, counted from the starting day.
    WorkingDays(u32),
}

/// Whether a rule sets a deadline or an earliest date.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// The step must happen by the due day (the due day itself is in time).
    Deadline,
    /// The step may not happen before the day.
    Earliest,
    /// The step is owed again and again while the person is in a stage: the next one is due a
    /// period after the latest.
    Recurring,
}

/// How an extension (`extended_by`) lengthens a period, as the article says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtensionCounts {
    /// The extension runs from the end of the period it extends, by the corresponding-day rule
    /// twice: a probation of a year from 2024-02-29 ends 2025-02-28, six months more 2025-08-28
    /// (细则第三十二条: the probation is extended).
    FromPeriodEnd,
    /// The period and its extension together count from the start: "不得超过六个月" from the branch
    /// meeting is six months from it, the corresponding day (细则第二十五条).
    FromStart,
}

/// One deadline rule: a period after the `from` event, satisfied by the `done_by` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineRule {
    pub id: String,
    pub name: Text,
    pub kind: DeadlineKind,
    pub from: EventKind,
    pub period: Period,
    /// An event whose months extend the period from its end (a probation extension moves the
    /// conversion; an approval extension, the approval).
    pub extended_by: Option<EventKind>,
    /// How the extension counts; set exactly when `extended_by` is.
    pub extension_counts: Option<ExtensionCounts>,
    /// For a recurring rule: any of these events ends it (leaving the stage).
    pub until: Vec<EventKind>,
    pub done_by: EventKind,
    /// Days before the due day from which a deadline counts as due soon; the largest decides.
    pub lead_days: Vec<u32>,
    pub clause: Text,
}

/// Writes 1 to 999 the way article numbers are written: 七, 十三, 二十五, 一百零二.
fn chinese_numeral(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (hundreds, tens, ones) = (n / 100, (n / 10) % 10, n % 10);
    let mut s = String::new();
    if hundreds > 0 {
        s.push_str(DIGITS[hundreds as usize]);
        s.push('百');
        if tens == 0 && ones > 0 {
            s.push('零');
        }
    }
    if tens > 0 {
        if !(tens == 1 && hundreds == 0) {
            s.push_str(DIGITS[tens as usize]);
        }
        s.push('十');
    }
    if ones > 0 || n == 0 {
        s.push_str(DIGITS[ones as usize]);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_rule_files_cite_every_check() {
        for id in [RuleSetId::Cpc2014, RuleSetId::Cpc2026] {
            let rules = RuleSet::parse(id.source()).unwrap();
            assert_eq!(rules.id, id.as_str());
            for check in CHECKS {
                assert!(rules.cite(check).zh.starts_with("《中国共产党发展党员工作细则》"), "{check}");
            }
        }
    }

    #[test]
    fn citations_name_the_article_in_chinese_and_english() {
        let rules = RuleSet::builtin(RuleSetId::Cpc2026);
        assert_eq!(rules.cite("application_talk").zh, "《中国共产党发展党员工作细则》第七条");
        assert_eq!(rules.cite("application_talk").en, "Rules on Recruiting Party Members, Art. 7");
        assert_eq!(rules.cite("conversion_earliest").zh, "《中国共产党发展党员工作细则》第三十一条");
        let old = RuleSet::builtin(RuleSetId::Cpc2014);
        assert_eq!(old.cite("conversion_earliest").zh, "《中国共产党发展党员工作细则》第三十二条");
    }

    #[test]
    fn both_rule_sets_carry_their_deadlines_with_citations() {
        let ids = |id| RuleSet::builtin(id).deadlines().iter().map(|d| d.id.clone()).collect::<Vec<_>>();
        let new = ids(RuleSetId::Cpc2026);
        let old = ids(RuleSetId::Cpc2014);
        for common in
            ["application_talk", "candidate_eligible", "admission_approval", "conversion_due", "conversion_approval"]
        {
            assert!(new.iter().any(|i| i == common) && old.iter().any(|i| i == common), "{common}");
        }
        for only_2026 in ["branch_meeting_after_prereview", "oath"] {
            assert!(new.iter().any(|i| i == only_2026) && !old.iter().any(|i| i == only_2026), "{only_2026}");
        }
        let rules = RuleSet::builtin(RuleSetId::Cpc2026);
        let conversion = rules.deadlines().iter().find(|d| d.id == "conversion_due").unwrap();
        assert_eq!(conversion.clause.zh, "《中国共产党发展党员工作细则》第三十一条");
        assert_eq!(conversion.extended_by, Some(EventKind::ProbationExtended));
    }

    #[test]
    fn a_bad_deadline_entry_is_named() {
        let bad =
            RuleSetId::Cpc2026.source().replace("from = \"admitted\"\nmonths = 3", "from = \"admited\"\nmonths = 3");
        let err = RuleSet::parse(&bad).unwrap_err().to_string();
        assert!(err.contains("admited"), "{err}");
        let twice = format!(
            "{}\n[[deadline]]\nid = \"oath\"\nname_zh = \"x\"\nname_en = \"x\"\nkind = \"deadline\"\nfrom = \"admitted\"\nmonths = 1\ndone_by = \"oath\"\n",
            RuleSetId::Cpc2026.source()
        );
        let err = RuleSet::parse(&twice).unwrap_err().to_string();
        assert!(err.contains("`oath` is listed twice"), "{err}");
        let misspelt = RuleSet::builtin(RuleSetId::Cpc2026)
            .with_overrides("[[deadline]]\nid = \"oath\"\nfrom = \"admited\"\n")
            .unwrap_err()
            .to_string();
        assert!(misspelt.contains("`oath` is wrong") && misspelt.contains("admited"), "{misspelt}");
        let huge = RuleSet::builtin(RuleSetId::Cpc2026).with_overrides("[[deadline]]\nid = \"oath\"\narticle = 1000\n");
        assert!(huge.unwrap_err().to_string().contains("1 to 999"), "an article out of range is refused, not a panic");
    }

    #[test]
    fn article_numbers_are_written_as_chinese_numerals() {
        let cases = [
            (1, "一"),
            (7, "七"),
            (10, "十"),
            (13, "十三"),
            (20, "二十"),
            (25, "二十五"),
            (102, "一百零二"),
            (110, "一百一十"),
        ];
        for (n, zh) in cases {
            assert_eq!(chinese_numeral(n), zh, "{n}");
        }
    }

    #[test]
    fn a_bad_rule_file_names_the_entry_at_fault() {
        let unknown = RuleSetId::Cpc2026.source().replace("oath = ", "oaths = ");
        let err = RuleSet::parse(&unknown).unwrap_err().to_string();
        assert!(err.contains("oaths"), "{err}");
        let missing = RuleSetId::Cpc2026.source().replace("oath = { article = 29 }", "");
        let err = RuleSet::parse(&missing).unwrap_err().to_string();
        assert!(err.contains("`oath`"), "{err}");
        let malformed = RuleSetId::Cpc2026.source().replace("oath = { article = 29 }", "oath = { article = \"x\" }");
        let err = RuleSet::parse(&malformed).unwrap_err().to_string();
        assert!(err.contains("article"), "the malformed value is named: {err}");
    }

    #[test]
    fn every_extended_period_says_how_its_extension_counts() {
        use crate::rules::ExtensionCounts::*;
        for set in [RuleSetId::Cpc2014, RuleSetId::Cpc2026] {
            let rules = RuleSet::builtin(set);
            for rule in rules.deadlines() {
                assert_eq!(rule.extended_by.is_some(), rule.extension_counts.is_some(), "{set:?} {}", rule.id);
            }
            let counts = |id: &str| rules.deadlines().iter().find(|r| r.id == id).unwrap().extension_counts;
            assert_eq!(counts("admission_approval"), Some(FromStart), "第二十五条: six months from the branch meeting");
            assert_eq!(counts("conversion_due"), Some(FromPeriodEnd), "第三十二条: the probation is extended");
        }
        let base = RuleSet::builtin(RuleSetId::Cpc2026);
        let without = "[[deadline]]\nid = \"new_rule\"\nname_zh = \"新\"\nname_en = \"new\"\nkind = \"deadline\"\nfrom = \"admitted\"\nmonths = 2\ndone_by = \"oath\"\nextended_by = \"approval_extended\"\n";
        let err = base.with_overrides(without).unwrap_err();
        assert!(err.message(crate::Lang::En).contains("needs `extension_counts`"), "{err}");
    }
}
