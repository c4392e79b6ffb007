//! The rules of a branch's organisational life that the one deadline engine applies
//! (`deadlines.rs`, `store/deadlines.rs`), read from `rules/branch-life.toml` with an office's own
//! rule file on top: how often a unit owes each kind of meeting (三会一课, 主题党日, 组织生活会) and
//! which one it owes next; when its committee's term ends (换届); and when a member's absence
//! from organisational life is flagged, then overdue (党章第九条). Their items are listed,
//! counted, reminded and exported beside the procedure's.
//!
//! A rule's period is a calendar period: `months = 1` is each calendar month, 3 each quarter
//! (January–March, …), 6 each half year, 12 each calendar year. "每月召开一次" asks for one in
//! every month, not one within a month of the last, so a meeting on 2 January and the next on 27
//! February are both in time. The meeting owed next lies in the first period after the one of the
//! latest meeting held, never before the period in which the unit's tracking began, and is due on
//! that period's last day. Recording a late meeting clears the periods it missed: the register
//! shows them as missed, the worklist asks only for the next.

use serde::{Deserialize, Serialize};

use crate::calendar::{self, Date};
use crate::deadlines::Status;
use crate::domain::MeetingKind;
use crate::{Error, Text};

/// Who owes a kind of meeting.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwedBy {
    /// Every 党支部 (a unit of kind `branch`).
    Branch,
    /// Every party group (党小组) of a branch.
    Group,
}

/// One frequency: a unit owes a meeting of `kind` in every period of `months` calendar months.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRule {
    pub kind: MeetingKind,
    /// As the worklist names the item, e.g. 每月召开支委会.
    pub name: Text,
    /// 1, 2, 3, 4, 6 or 12: a period never straddles a year.
    pub months: u32,
    pub owed_by: OwedBy,
    /// Days before the due day at which a reminder goes out (the largest makes it "due soon").
    pub lead_days: Vec<u32>,
    pub clause: Text,
}

/// A `[[meeting]]` entry as written. In the shipped file every entry is whole; in an office's own
/// file an entry with a shipped kind changes only the fields it gives.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    kind: String,
    name_zh: Option<String>,
    name_en: Option<String>,
    months: Option<u32>,
    owed_by: Option<OwedBy>,
    lead_days: Option<Vec<u32>>,
    clause_zh: Option<String>,
    clause_en: Option<String>,
    /// Only in an office's file: drops a shipped frequency the office does not follow.
    #[serde(default)]
    disabled: bool,
}

#[derive(Debug, Deserialize)]
struct ShippedFile {
    #[serde(default)]
    meeting: Vec<toml::Value>,
    committee_term: TermEntry,
    party_life: LapseEntry,
    centralised_training: TrainingRule,
    secretary_lecture: LectureEntry,
}

/// The secretary's own party lecture, owed once each calendar year by a branch with a secretary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LectureRule {
    pub name: Text,
    pub lead_days: Vec<u32>,
    pub clause: Text,
}

impl LectureRule {
    /// The rule's id in lists and the CLI's JSON.
    pub const ID: &'static str = "secretary_lecture";

    /// The due day of the lecture owed next: the end of the year after the latest the secretary
    /// gave, or, when they gave none, of the year they took the post or tracking began.
    pub fn next_due(&self, since: Date, tracked_from: Date, latest: Option<Date>) -> Option<Date> {
        use chrono::Datelike;
        let year = match latest {
            Some(given) => given.year() + 1,
            None => since.year().max(tracked_from.year()),
        };
        Date::from_ymd_opt(year, 12, 31)
    }
}

/// `[secretary_lecture]` as written; in an office's file every field may be left out, and
/// `disabled = true` drops it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LectureEntry {
    name_zh: Option<String>,
    name_en: Option<String>,
    lead_days: Option<Vec<u32>>,
    clause_zh: Option<String>,
    clause_en: Option<String>,
    #[serde(default)]
    disabled: bool,
}

impl LectureRule {
    fn build(entry: LectureEntry, base: Option<&LectureRule>) -> Result<Option<LectureRule>, Error> {
        let section = LectureRule::ID;
        if entry.disabled {
            return Ok(None);
        }
        let lead_days = entry.lead_days.or_else(|| base.map(|b| b.lead_days.clone())).unwrap_or_else(|| vec![30]);
        if lead_days.iter().any(|&d| d > 366) {
            return Err(section_error(section, "的提前提醒天数不能超过 366", "cannot remind more than 366 days ahead"));
        }
        Ok(Some(LectureRule {
            name: text_of(entry.name_zh, entry.name_en, base.map(|b| &b.name), section)?,
            lead_days,
            clause: text_of(entry.clause_zh, entry.clause_en, base.map(|b| &b.clause), section)?,
        }))
    }
}

/// The least a development target's centralised training takes: so many days, or so many class
/// hours (细则第十七条; the citation is the rule set's, `centralised_training`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingRule {
    pub min_days: u32,
    pub min_hours: u32,
}

impl TrainingRule {
    /// Whether attending `minutes` of class on `days` days is enough.
    pub fn is_met(&self, days: u32, minutes: u32) -> bool {
        days >= self.min_days || minutes >= self.min_hours * 60
    }
}

/// When a branch committee's term ends (换届), counted from the current secretary's post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermRule {
    pub months: u32,
    pub lead_days: Vec<u32>,
    pub name: Text,
    pub clause: Text,
}

impl TermRule {
    /// The rule's id in lists and the CLI's JSON.
    pub const ID: &'static str = "committee_term";
}

/// When a member's absence from organisational life is flagged, and when it is overdue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LapseRule {
    pub flag_months: u32,
    pub overdue_months: u32,
    pub name: Text,
    pub clause: Text,
}

impl LapseRule {
    /// The rule's id in lists and the CLI's JSON.
    pub const ID: &'static str = "party_life";

    /// Whether a member whose latest organisational life was on `last` is flagged as of a day:
    /// the item's due day and status, or `None` while they are not.
    pub fn flagged(&self, last: Date, as_of: Date) -> Option<(Date, Status)> {
        let flag = calendar::add_months(last, self.flag_months)?;
        let due = calendar::add_months(last, self.overdue_months)?;
        if as_of < flag {
            return None;
        }
        Some((due, if due < as_of { Status::Overdue } else { Status::DueSoon }))
    }
}

/// `[committee_term]` as written; in an office's file every field may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TermEntry {
    months: Option<u32>,
    lead_days: Option<Vec<u32>>,
    name_zh: Option<String>,
    name_en: Option<String>,
    clause_zh: Option<String>,
    clause_en: Option<String>,
}

/// `[party_life]` as written; in an office's file every field may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LapseEntry {
    flag_months: Option<u32>,
    overdue_months: Option<u32>,
    name_zh: Option<String>,
    name_en: Option<String>,
    clause_zh: Option<String>,
    clause_en: Option<String>,
}

/// Every branch-life rule the engine applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifeRules {
    pub meetings: Vec<MeetingRule>,
    pub term: TermRule,
    pub lapse: LapseRule,
    pub training: TrainingRule,
    /// `None` when the office dropped it.
    pub lecture: Option<LectureRule>,
}

fn section_error(section: &str, zh: &str, en: &str) -> Error {
    Error::RuleFile {
        reason: Text::new(format!("规则文件中的「{section}」{zh}"), format!("rule file `[{section}]` {en}")),
    }
}

fn text_of(zh: Option<String>, en: Option<String>, base: Option<&Text>, section: &str) -> Result<Text, Error> {
    match (zh, en, base) {
        (Some(zh), Some(en), _) => Ok(Text::new(zh, en)),
        (None, None, Some(base)) => Ok(base.clone()),
        _ => Err(section_error(section, "须同时写中文和英文（_zh 与 _en）", "needs both the `_zh` and the `_en` text")),
    }
}

impl TermRule {
    fn build(entry: TermEntry, base: Option<&TermRule>) -> Result<TermRule, Error> {
        let section = TermRule::ID;
        let months = entry.months.or(base.map(|b| b.months)).unwrap_or(36);
        if !(12..=120).contains(&months) {
            return Err(section_error(section, "的任期月数应为 12 至 120", "needs a term of 12 to 120 months"));
        }
        let lead_days = entry.lead_days.or_else(|| base.map(|b| b.lead_days.clone())).unwrap_or_else(|| vec![90]);
        if lead_days.iter().any(|&d| d > 366) {
            return Err(section_error(section, "的提前提醒天数不能超过 366", "cannot remind more than 366 days ahead"));
        }
        Ok(TermRule {
            months,
            lead_days,
            name: text_of(entry.name_zh, entry.name_en, base.map(|b| &b.name), section)?,
            clause: text_of(entry.clause_zh, entry.clause_en, base.map(|b| &b.clause), section)?,
        })
    }
}

impl LapseRule {
    fn build(entry: LapseEntry, base: Option<&LapseRule>) -> Result<LapseRule, Error> {
        let section = LapseRule::ID;
        let flag_months = entry.flag_months.or(base.map(|b| b.flag_months)).unwrap_or(3);
        let overdue_months = entry.overdue_months.or(base.map(|b| b.overdue_months)).unwrap_or(6);
        if flag_months == 0 || flag_months > overdue_months || overdue_months > 24 {
            return Err(section_error(
                section,
                "须满足 0 < flag_months ≤ overdue_months ≤ 24",
                "needs 0 < flag_months ≤ overdue_months ≤ 24",
            ));
        }
        Ok(LapseRule {
            flag_months,
            overdue_months,
            name: text_of(entry.name_zh, entry.name_en, base.map(|b| &b.name), section)?,
            clause: text_of(entry.clause_zh, entry.clause_en, base.map(|b| &b.clause), section)?,
        })
    }
}

/// The branch-life rules shipped with Dangan, parsed once per process.
pub fn shipped_life() -> &'static LifeRules {
    static SHIPPED: std::sync::OnceLock<LifeRules> = std::sync::OnceLock::new();
    // Checked by a test; a shipped file that does not parse is a build defect.
    SHIPPED
        .get_or_init(|| parse_life(include_str!("../rules/branch-life.toml")).unwrap_or_else(|why| panic!("{why:?}")))
}

/// Parses the shipped file's branch-life rules: every meeting entry whole, each kind once.
pub fn parse_life(source: &str) -> Result<LifeRules, Error> {
    let file: ShippedFile = toml::from_str(source).map_err(|e| Error::RuleFile {
        reason: Text::new(format!("规则文件格式错误：{e}"), format!("malformed rule file: {e}")),
    })?;
    let mut meetings = Vec::new();
    apply(&mut meetings, file.meeting, false)?;
    Ok(LifeRules {
        meetings,
        term: TermRule::build(file.committee_term, None)?,
        lapse: LapseRule::build(file.party_life, None)?,
        training: file.centralised_training,
        lecture: LectureRule::build(file.secretary_lecture, None)?,
    })
}

/// An office's sections on top of the shipped rules: `[[meeting]]` entries by kind (see
/// [`apply`]), and any field of `[committee_term]` or `[party_life]`.
pub(crate) fn apply_office(
    rules: &mut LifeRules,
    meetings: Vec<toml::Value>,
    term: Option<toml::Value>,
    lapse: Option<toml::Value>,
    lecture: Option<toml::Value>,
) -> Result<(), Error> {
    if let Some(lecture) = lecture {
        let entry: LectureEntry = lecture.try_into().map_err(|e: toml::de::Error| {
            section_error(LectureRule::ID, &format!("有误：{}", e.message()), &format!("is wrong: {}", e.message()))
        })?;
        rules.lecture = LectureRule::build(entry, rules.lecture.as_ref())?;
    }
    apply(&mut rules.meetings, meetings, true)?;
    if let Some(term) = term {
        let entry: TermEntry = term.try_into().map_err(|e: toml::de::Error| {
            section_error(TermRule::ID, &format!("有误：{}", e.message()), &format!("is wrong: {}", e.message()))
        })?;
        rules.term = TermRule::build(entry, Some(&rules.term))?;
    }
    if let Some(lapse) = lapse {
        let entry: LapseEntry = lapse.try_into().map_err(|e: toml::de::Error| {
            section_error(LapseRule::ID, &format!("有误：{}", e.message()), &format!("is wrong: {}", e.message()))
        })?;
        rules.lapse = LapseRule::build(entry, Some(&rules.lapse))?;
    }
    Ok(())
}

/// The meeting frequencies shipped with Dangan.
pub fn shipped() -> &'static [MeetingRule] {
    &shipped_life().meetings
}

/// `[[meeting]]` entries on top of `rules`: an entry with a known kind changes the fields it
/// gives (or, in an office's file, with `disabled = true`, drops the frequency); a new kind must be
/// whole.
fn apply(rules: &mut Vec<MeetingRule>, values: Vec<toml::Value>, office: bool) -> Result<(), Error> {
    let mut seen: Vec<MeetingKind> = Vec::new();
    for (i, value) in values.into_iter().enumerate() {
        let name = value.get("kind").and_then(toml::Value::as_str).map_or_else(|| format!("#{}", i + 1), str::to_owned);
        let entry: Entry = value.try_into().map_err(|e: toml::de::Error| {
            let detail = e.message().to_owned();
            rule_error(&name, format!("有误：{detail}"), format!("is wrong: {detail}"))
        })?;
        let Some(kind) = MeetingKind::parse(&entry.kind) else {
            return Err(rule_error(&name, "不是已知的会议类型".into(), "is not a known kind of meeting".into()));
        };
        if seen.contains(&kind) {
            return Err(rule_error(&name, "出现了两次".into(), "is listed twice".into()));
        }
        seen.push(kind);
        let at = rules.iter().position(|r| r.kind == kind);
        if entry.disabled {
            match (office, at) {
                (true, Some(at)) => {
                    rules.remove(at);
                    continue;
                }
                _ => {
                    return Err(rule_error(
                        &name,
                        "不是已有的会议频次，无法停用".into(),
                        "is not a known meeting frequency, so it cannot be disabled".into(),
                    ));
                }
            }
        }
        let rule = build(kind, entry, at.map(|i| &rules[i]))?;
        match at {
            Some(at) => rules[at] = rule,
            None => rules.push(rule),
        }
    }
    Ok(())
}

fn build(kind: MeetingKind, entry: Entry, base: Option<&MeetingRule>) -> Result<MeetingRule, Error> {
    let id = kind.as_str();
    let missing = |field: &str| {
        rule_error(
            id,
            format!("缺少「{field}」（新增的会议频次须写全）"),
            format!("lacks `{field}` (a new meeting frequency must be whole)"),
        )
    };
    let name_zh = entry.name_zh.or_else(|| base.map(|b| b.name.zh.clone())).ok_or_else(|| missing("name_zh"))?;
    let name_en = entry.name_en.or_else(|| base.map(|b| b.name.en.clone())).ok_or_else(|| missing("name_en"))?;
    let months = entry.months.or(base.map(|b| b.months)).ok_or_else(|| missing("months"))?;
    if !matches!(months, 1 | 2 | 3 | 4 | 6 | 12) {
        return Err(rule_error(
            id,
            "的月数须为 1、2、3、4、6 或 12（按自然月、季度、半年或年计算）".into(),
            "needs months of 1, 2, 3, 4, 6 or 12 (calendar months, quarters, half years or years)".into(),
        ));
    }
    let owed_by = entry.owed_by.or(base.map(|b| b.owed_by)).ok_or_else(|| missing("owed_by"))?;
    if owed_by == OwedBy::Group && kind != MeetingKind::GroupMeeting {
        return Err(rule_error(
            id,
            "只有党小组会由党小组召开（owed_by = \"group\"）".into(),
            "only a group_meeting is owed by a party group".into(),
        ));
    }
    let lead_days = entry.lead_days.or_else(|| base.map(|b| b.lead_days.clone())).unwrap_or_else(|| vec![7]);
    if lead_days.iter().any(|&d| d > 366) {
        return Err(rule_error(
            id,
            "的提前提醒天数不能超过 366".into(),
            "cannot remind more than 366 days ahead".into(),
        ));
    }
    let clause = match (entry.clause_zh, entry.clause_en) {
        (Some(zh), Some(en)) => Text::new(zh, en),
        (None, None) => base.map(|b| b.clause.clone()).ok_or_else(|| missing("clause_zh"))?,
        _ => {
            return Err(rule_error(
                id,
                "须同时写「clause_zh」和「clause_en」".into(),
                "needs both `clause_zh` and `clause_en`".into(),
            ));
        }
    };
    Ok(MeetingRule { kind, name: Text::new(name_zh, name_en), months, owed_by, lead_days, clause })
}

fn rule_error(kind: &str, zh: String, en: String) -> Error {
    Error::RuleFile {
        reason: Text::new(format!("规则文件中的会议频次「{kind}」{zh}"), format!("rule file meeting `{kind}` {en}")),
    }
}

impl MeetingRule {
    /// The first and last day of the period `date` falls in.
    pub fn period_of(&self, date: Date) -> (Date, Date) {
        use chrono::Datelike;
        let first_month = date.month0() / self.months * self.months + 1;
        let first = Date::from_ymd_opt(date.year(), first_month, 1).unwrap_or(date);
        let last = calendar::add_months(first, self.months).and_then(|next| next.pred_opt()).unwrap_or(first);
        (first, last)
    }

    /// The due day of the meeting owed next: the last day of the first period after the latest
    /// meeting held, not before the period in which tracking began.
    pub fn next_due(&self, tracked_from: Date, latest_held: Option<Date>) -> Date {
        let from_tracking = self.period_of(tracked_from).0;
        let first_owed = match latest_held {
            Some(held) => {
                let after = self.period_of(held).1.succ_opt().unwrap_or(held);
                after.max(from_tracking)
            }
            None => from_tracking,
        };
        self.period_of(first_owed).1
    }

    /// How an item due on `due` stands as of a day.
    pub fn status(&self, due: Date, as_of: Date) -> Status {
        if due < as_of {
            return Status::Overdue;
        }
        let lead = self.lead_days.iter().copied().max().unwrap_or(7);
        let soon = as_of.checked_add_days(chrono::Days::new(u64::from(lead))).unwrap_or(as_of);
        if due <= soon { Status::DueSoon } else { Status::Upcoming }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn rule(kind: MeetingKind) -> &'static MeetingRule {
        shipped().iter().find(|r| r.kind == kind).unwrap()
    }

    /// `(due, status)` of the meeting owed next.
    fn owed(kind: MeetingKind, tracked: &str, held: Option<&str>, as_of: &str) -> (String, Status) {
        let rule = rule(kind);
        let due = rule.next_due(d(tracked), held.map(d));
        (due.to_string(), rule.status(due, d(as_of)))
    }

    #[test]
    fn the_shipped_frequencies_cover_the_three_meetings_one_lecture_theme_day_and_life_meeting() {
        let kinds: Vec<MeetingKind> = shipped().iter().map(|r| r.kind).collect();
        for kind in [
            MeetingKind::GeneralMeeting,
            MeetingKind::CommitteeMeeting,
            MeetingKind::GroupMeeting,
            MeetingKind::PartyLecture,
            MeetingKind::ThemeDay,
            MeetingKind::LifeMeeting,
        ] {
            assert!(kinds.contains(&kind), "{kind:?} has no frequency");
        }
        for rule in shipped() {
            assert!(rule.clause.zh.starts_with('《'), "{:?} cites no document", rule.kind);
        }
    }

    #[test]
    fn a_committee_meeting_is_owed_every_calendar_month_branch_work_regulations_article_12() {
        let kind = MeetingKind::CommitteeMeeting;
        assert_eq!(owed(kind, "2026-12-05", None, "2026-12-05").0, "2026-12-31", "a new unit owes December's at once");
        assert_eq!(owed(kind, "2026-01-05", Some("2026-01-02"), "2026-02-22"), ("2026-02-28".into(), Status::DueSoon));
        assert_eq!(owed(kind, "2026-01-05", Some("2026-01-02"), "2026-02-20"), ("2026-02-28".into(), Status::Upcoming));
        // 2 January then 27 February: both in time, though 56 days apart.
        assert_eq!(owed(kind, "2026-01-05", Some("2026-02-27"), "2026-02-28"), ("2026-03-31".into(), Status::Upcoming));
        assert_eq!(owed(kind, "2026-01-05", Some("2026-01-02"), "2026-03-01"), ("2026-02-28".into(), Status::Overdue));
        assert_eq!(rule(kind).clause.zh, "《中国共产党支部工作条例（试行）》第十二条");
    }

    #[test]
    fn a_group_meeting_is_owed_by_each_party_group_every_month_article_13() {
        let rule = rule(MeetingKind::GroupMeeting);
        assert_eq!(rule.owed_by, OwedBy::Group);
        assert_eq!(rule.months, 1);
        assert_eq!(rule.clause.zh, "《中国共产党支部工作条例（试行）》第十三条");
    }

    #[test]
    fn a_general_meeting_is_owed_every_quarter_article_11() {
        let kind = MeetingKind::GeneralMeeting;
        assert_eq!(owed(kind, "2026-11-01", None, "2026-11-01").0, "2026-12-31");
        assert_eq!(owed(kind, "2026-01-01", Some("2026-01-15"), "2026-02-01").0, "2026-06-30");
        assert_eq!(owed(kind, "2026-01-01", Some("2026-03-31"), "2026-07-01"), ("2026-06-30".into(), Status::Overdue));
        assert_eq!(rule(kind).clause.zh, "《中国共产党支部工作条例（试行）》第十一条");
    }

    #[test]
    fn a_theme_day_is_owed_every_month_education_regulations_article_16() {
        let kind = MeetingKind::ThemeDay;
        assert_eq!(owed(kind, "2026-01-01", Some("2026-11-10"), "2026-12-05").0, "2026-12-31");
        assert_eq!(rule(kind).clause.zh, "《中国共产党党员教育管理工作条例》第十六条");
    }

    #[test]
    fn a_life_meeting_is_owed_every_calendar_year_education_regulations_article_17() {
        let kind = MeetingKind::LifeMeeting;
        assert_eq!(owed(kind, "2025-06-01", None, "2026-01-02"), ("2025-12-31".into(), Status::Overdue));
        assert_eq!(owed(kind, "2025-06-01", Some("2026-01-20"), "2026-02-01").0, "2027-12-31");
        assert_eq!(rule(kind).clause.zh, "《中国共产党党员教育管理工作条例》第十七条");
    }

    #[test]
    fn a_party_lecture_is_owed_every_quarter_as_is_common_and_the_office_may_say_each_semester() {
        let kind = MeetingKind::PartyLecture;
        assert_eq!(owed(kind, "2026-01-01", Some("2026-02-01"), "2026-02-02").0, "2026-06-30");
        let mut rules = shipped().to_vec();
        let office: toml::Table = toml::from_str("[[meeting]]\nkind = \"party_lecture\"\nmonths = 6\n").unwrap();
        apply(&mut rules, office["meeting"].as_array().unwrap().clone(), true).unwrap();
        let lecture = rules.iter().find(|r| r.kind == kind).unwrap();
        assert_eq!(lecture.next_due(d("2026-01-01"), Some(d("2026-02-01"))).to_string(), "2026-12-31");
        assert_eq!(lecture.clause, rule(kind).clause, "what the office did not change stays");
    }

    #[test]
    fn meetings_held_before_tracking_began_do_not_make_the_first_owed_one_earlier() {
        let kind = MeetingKind::CommitteeMeeting;
        assert_eq!(owed(kind, "2026-12-05", Some("2025-03-01"), "2026-12-05").0, "2026-12-31");
    }

    #[test]
    fn a_committee_is_elected_for_three_years_and_reminded_ninety_days_ahead() {
        let term = &shipped_life().term;
        assert_eq!((term.months, term.lead_days.iter().max()), (36, Some(&90)));
    }

    #[test]
    fn a_member_is_flagged_after_three_months_without_party_life_and_overdue_after_six_party_constitution_article_9() {
        let lapse = &shipped_life().lapse;
        assert_eq!(lapse.clause.zh, "《中国共产党章程》第九条");
        assert_eq!(lapse.flagged(d("2026-05-31"), d("2026-08-30")), None);
        assert_eq!(lapse.flagged(d("2026-05-31"), d("2026-08-31")), Some((d("2026-11-30"), Status::DueSoon)));
        assert_eq!(lapse.flagged(d("2026-05-31"), d("2026-11-30")), Some((d("2026-11-30"), Status::DueSoon)));
        assert_eq!(lapse.flagged(d("2026-05-31"), d("2026-12-01")), Some((d("2026-11-30"), Status::Overdue)));
    }

    #[test]
    fn the_secretary_owes_a_lecture_each_calendar_year() {
        let rule = shipped_life().lecture.as_ref().unwrap();
        let due = |since: &str, tracked: &str, latest: Option<&str>| {
            rule.next_due(d(since), d(tracked), latest.map(d)).unwrap().to_string()
        };
        assert_eq!(due("2024-01-10", "2026-11-24", None), "2026-12-31", "nothing before tracking began");
        assert_eq!(due("2027-03-01", "2026-11-24", None), "2027-12-31", "a new secretary owes from their year");
        assert_eq!(due("2024-01-10", "2026-01-01", Some("2026-11-20")), "2027-12-31");
    }

    #[test]
    fn centralised_training_takes_three_days_or_twenty_four_class_hours_article_17() {
        let rule = shipped_life().training;
        assert!(rule.is_met(3, 0));
        assert!(rule.is_met(2, 24 * 60));
        assert!(!rule.is_met(2, 24 * 60 - 1));
    }

    #[test]
    fn a_bad_office_entry_is_named_and_changes_nothing() {
        let bad = |source: &str| {
            let mut rules = shipped().to_vec();
            let table: toml::Table = toml::from_str(source).unwrap();
            let err = apply(&mut rules, table["meeting"].as_array().unwrap().clone(), true).unwrap_err();
            err.to_string()
        };
        assert!(bad("[[meeting]]\nkind = \"theme_day\"\nmonths = 5\n").contains("theme_day"));
        assert!(bad("[[meeting]]\nkind = \"tea_party\"\nmonths = 1\n").contains("tea_party"));
        assert!(bad("[[meeting]]\nkind = \"other\"\nmonths = 1\n").contains("name_zh"));
        assert!(bad("[[meeting]]\nkind = \"theme_day\"\nmonth = 1\n").contains("theme_day"));
    }
}
