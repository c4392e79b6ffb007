//! The yearly democratic appraisal of members (民主评议党员, 条例第十八条) as rules and facts: who is
//! graded (full members; probationary members take part ungraded), the vote counted per member and
//! grade against the ballots cast, the grade the branch proposes from the vote, the checks a grade
//! meets (优秀 at most a third without a reason; 不合格 with its reason), and the correction period
//! an unsatisfactory member is given (第三十条). The store keeps appraisals in
//! `store/appraisals.rs`; `dossier/appraisal.rs` prints the ballots and the results.

use serde::{Deserialize, Serialize};

use crate::calendar::{self, Date};
use crate::domain::{Grade, Id};
use crate::{Error, Result, Text};

/// How the branch's proposed grade is prefilled from the vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Proposal {
    /// The grade with the most votes; a tie goes to the grade nearer 合格.
    MostVotes,
    /// Nothing prefilled: the branch proposes each grade by hand.
    None,
}

/// The rules of the appraisal in force: the shipped file with an office's `[appraisal]` on top.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppraisalRules {
    pub clause: Text,
    /// 优秀 at most `numerator / denominator` of the graded members without a reason.
    pub excellent_share: (u32, u32),
    pub cap_clause: Text,
    pub probationary_clause: Text,
    pub unqualified_clause: Text,
    /// An unsatisfactory member's correction period, in months (at most 12, 第三十条).
    pub correction_months: u32,
    pub correction_name: Text,
    pub correction_lead_days: Vec<u32>,
    pub proposal: Proposal,
}

impl AppraisalRules {
    /// The id of the correction period's item in lists and the CLI's JSON.
    pub const CORRECTION_ID: &'static str = "appraisal_correction";

    /// The most members of `graded` who may be 优秀 without a reason.
    pub fn excellent_cap(&self, graded: u32) -> u32 {
        let (numerator, denominator) = self.excellent_share;
        graded.saturating_mul(numerator) / denominator.max(1)
    }

    /// The last day of a correction period that began on `from`.
    pub fn correction_until(&self, from: Date) -> Date {
        calendar::add_months(from, self.correction_months).unwrap_or(from)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AppraisalEntry {
    clause_zh: Option<String>,
    clause_en: Option<String>,
    excellent_share_numerator: Option<u32>,
    excellent_share_denominator: Option<u32>,
    cap_clause_zh: Option<String>,
    cap_clause_en: Option<String>,
    probationary_clause_zh: Option<String>,
    probationary_clause_en: Option<String>,
    unqualified_clause_zh: Option<String>,
    unqualified_clause_en: Option<String>,
    correction_months: Option<u32>,
    correction_name_zh: Option<String>,
    correction_name_en: Option<String>,
    correction_lead_days: Option<Vec<u32>>,
    proposal: Option<Proposal>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AppraisalFile {
    appraisal: AppraisalEntry,
}

fn rules_error(zh: impl std::fmt::Display, en: impl std::fmt::Display) -> Error {
    Error::RuleFile { reason: Text::new(format!("民主评议规则{zh}"), format!("appraisal rules: {en}")) }
}

pub fn shipped_appraisal() -> &'static AppraisalRules {
    static SHIPPED: std::sync::OnceLock<AppraisalRules> = std::sync::OnceLock::new();
    // Checked by a test; a shipped file that does not parse is a build defect.
    SHIPPED.get_or_init(|| {
        parse_appraisal(include_str!("../rules/appraisal.toml")).unwrap_or_else(|why| panic!("{why:?}"))
    })
}

/// Parses a whole appraisal file: every field given.
pub fn parse_appraisal(source: &str) -> Result<AppraisalRules> {
    let file: AppraisalFile =
        toml::from_str(source).map_err(|e| rules_error(format!("格式错误：{e}"), format!("malformed: {e}")))?;
    let blank = || Text::new("", "");
    let mut rules = AppraisalRules {
        clause: blank(),
        excellent_share: (0, 0),
        cap_clause: blank(),
        probationary_clause: blank(),
        unqualified_clause: blank(),
        correction_months: 0,
        correction_name: blank(),
        correction_lead_days: Vec::new(),
        proposal: Proposal::None,
    };
    rules.apply(file.appraisal)?;
    Ok(rules)
}

impl AppraisalRules {
    /// An office's `[appraisal]` on top; a bad one is refused whole.
    pub(crate) fn apply(&mut self, e: AppraisalEntry) -> Result<()> {
        let text = |zh: Option<String>, en: Option<String>, was: &Text| {
            Text::new(zh.unwrap_or_else(|| was.zh.clone()), en.unwrap_or_else(|| was.en.clone()))
        };
        let mut next = self.clone();
        next.clause = text(e.clause_zh, e.clause_en, &self.clause);
        next.cap_clause = text(e.cap_clause_zh, e.cap_clause_en, &self.cap_clause);
        next.probationary_clause = text(e.probationary_clause_zh, e.probationary_clause_en, &self.probationary_clause);
        next.unqualified_clause = text(e.unqualified_clause_zh, e.unqualified_clause_en, &self.unqualified_clause);
        next.correction_name = text(e.correction_name_zh, e.correction_name_en, &self.correction_name);
        next.excellent_share = (
            e.excellent_share_numerator.unwrap_or(self.excellent_share.0),
            e.excellent_share_denominator.unwrap_or(self.excellent_share.1),
        );
        next.correction_months = e.correction_months.unwrap_or(self.correction_months);
        next.correction_lead_days = e.correction_lead_days.unwrap_or_else(|| self.correction_lead_days.clone());
        next.proposal = e.proposal.unwrap_or(self.proposal);
        let (numerator, denominator) = next.excellent_share;
        if denominator == 0 || numerator > denominator {
            return Err(rules_error(
                "的优秀比例应在 0 到 1 之间（excellent_share_denominator > 0）",
                "the excellent share must be between 0 and 1 (excellent_share_denominator > 0)",
            ));
        }
        // 第三十条: a correction period of up to one year.
        if !(1..=12).contains(&next.correction_months) {
            return Err(rules_error(
                "的限期改正期应为 1 到 12 个月（《中国共产党党员教育管理工作条例》第三十条）",
                "the correction period must be 1 to 12 months (Article 30)",
            ));
        }
        if [&next.clause, &next.cap_clause, &next.probationary_clause, &next.unqualified_clause, &next.correction_name]
            .iter()
            .any(|t| t.zh.trim().is_empty())
        {
            return Err(rules_error(
                "须写明各条款和改正期的名称",
                "needs each clause and the correction period's name",
            ));
        }
        *self = next;
        Ok(())
    }
}

crate::domain::vocabulary! {
    /// The steps of an appraisal, dated as they happen (第十八条).
    AppraisalStep {
        Study = "study", "学习培训", "study", [];
        SelfAssessment = "self_assessment", "个人自评", "self-assessment", [];
        MutualAssessment = "mutual_assessment", "党员互评", "mutual assessment", [];
        /// 民主测评: the vote.
        Vote = "vote", "民主测评", "vote", [];
        /// 组织评定: the branch's decision on each grade.
        Decision = "decision", "组织评定", "decision", [];
        Announcement = "announcement", "结果公示", "announcement", [];
    }
}

/// A step and its day.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepDate {
    pub step: AppraisalStep,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub date: Date,
}

/// The votes a member received, per grade.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Votes {
    pub excellent: u32,
    pub qualified: u32,
    pub basically_qualified: u32,
    pub unqualified: u32,
}

impl Votes {
    pub fn total(&self) -> u64 {
        [self.excellent, self.qualified, self.basically_qualified, self.unqualified].iter().map(|&v| u64::from(v)).sum()
    }

    pub fn of(&self, grade: Grade) -> u32 {
        match grade {
            Grade::Excellent => self.excellent,
            Grade::Qualified => self.qualified,
            Grade::BasicallyQualified => self.basically_qualified,
            Grade::Unqualified => self.unqualified,
        }
    }

    /// The grade the rule proposes from these votes, if it proposes any and anyone voted.
    pub fn propose(&self, rule: Proposal) -> Option<Grade> {
        if rule == Proposal::None || self.total() == 0 {
            return None;
        }
        // A tie goes to the grade nearer 合格: the order below wins ties.
        const NEARER_QUALIFIED: [Grade; 4] =
            [Grade::Qualified, Grade::BasicallyQualified, Grade::Excellent, Grade::Unqualified];
        let most = NEARER_QUALIFIED.iter().map(|&g| self.of(g)).max().unwrap_or(0);
        NEARER_QUALIFIED.into_iter().find(|&g| self.of(g) == most)
    }
}

crate::domain::vocabulary! {
    /// What an unsatisfactory member's correction came to (第三十一条), recorded when it ends.
    CorrectionOutcome {
        Corrected = "corrected", "确有转变", "corrected", [];
        PersuadedToLeave = "persuaded_to_leave", "劝其退党", "persuaded to leave", [];
        Removed = "removed", "除名", "removed", [];
    }
}

/// An unsatisfactory member's correction period and how it ended.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub from: Date,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub until: Date,
    pub outcome: Option<CorrectionOutcome>,
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub decided_on: Option<Date>,
    pub note: Option<String>,
}

/// One member taking part in an appraisal.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Participant {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub person_id: Id,
    pub name: String,
    pub student_no: Option<String>,
    /// A full member on the appraisal's day; a probationary member takes part ungraded.
    pub graded: bool,
    /// Still in the register: one who has left since (transferred out, …) is not graded any more,
    /// and the appraisal closes without their grade.
    pub in_register: bool,
    /// The vote's counts, once entered.
    pub votes: Option<Votes>,
    /// The branch's proposal (prefilled by the rule from the vote).
    pub proposed: Option<Grade>,
    /// The grade decided.
    pub grade: Option<Grade>,
    /// Why (required for 不合格, and for 优秀 past the third).
    pub reason: Option<String>,
    pub correction: Option<Correction>,
}

/// An appraisal of one branch for one year.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Appraisal {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub id: Id,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub unit_id: Id,
    /// The branch's path.
    pub unit: String,
    /// The year appraised (an appraisal of 2026 is often held early in 2027).
    pub year: i32,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub opened_on: Date,
    pub steps: Vec<StepDate>,
    /// Ballots cast in the vote, once entered.
    pub ballots_cast: Option<u32>,
    /// Closed: each grade is in its member's file.
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub closed_on: Option<Date>,
    pub participants: Vec<Participant>,
    /// Members graded, and how many of them may be 优秀 without a reason.
    pub graded: u32,
    pub excellent_cap: u32,
}

impl Appraisal {
    /// How many are graded `grade`.
    pub fn count(&self, grade: Grade) -> u32 {
        self.participants.iter().filter(|p| p.grade == Some(grade)).count() as u32
    }
}

/// One row of a vote as entered or imported: who, and their counts.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteRow {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub person_id: Id,
    pub votes: Votes,
}

/// A grade as the branch decides it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GradeDecision {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub person_id: Id,
    pub grade: Grade,
    pub reason: Option<String>,
}

/// The year an appraisal of `year` may be opened in: that year, or early in the next (the
/// organisational life meeting of a year is often held in January or February after it).
pub fn check_opening(year: i32, opened_on: Date, today: Date) -> Result<()> {
    use chrono::Datelike;
    if opened_on > today {
        return Err(Error::invalid(
            "date",
            format!("日期 {} 晚于今天", calendar::format_zh(opened_on)),
            format!("the day, {opened_on}, is after today"),
        ));
    }
    if opened_on.year() != year && opened_on.year() != year + 1 {
        return Err(Error::invalid(
            "year",
            format!("{year}年度的民主评议应在{year}年或{}年开展，而不是{}", year + 1, calendar::format_zh(opened_on)),
            format!("the appraisal of {year} is held in {year} or {}, not on {opened_on}", year + 1),
        ));
    }
    Ok(())
}

/// Checks that `day` falls between an earlier day (named in both languages) and today.
pub fn check_between(day: Date, (from, zh, en): (Date, &str, &str), today: Date) -> Result<()> {
    if day < from || day > today {
        return Err(Error::invalid(
            "date",
            format!("日期 {} 应在{zh}（{}）与今天之间", calendar::format_zh(day), calendar::format_zh(from)),
            format!("the day, {day}, must fall between {en}, {from}, and today"),
        ));
    }
    Ok(())
}

/// Checks a member's votes against the ballots cast: no more votes than ballots.
pub fn check_votes(name: &str, votes: &Votes, ballots_cast: u32) -> Result<()> {
    if votes.total() > u64::from(ballots_cast) {
        return Err(Error::invalid(
            "votes",
            format!("{name}的得票合计 {} 张，多于收回的测评票 {ballots_cast} 张", votes.total()),
            format!("{name} has {} votes in all, more than the {ballots_cast} ballots cast", votes.total()),
        ));
    }
    Ok(())
}

/// A reason as given: trimmed, without control or direction characters, at most 500 characters.
pub fn check_reason(reason: Option<&str>) -> Result<Option<String>> {
    let Some(reason) = reason.map(str::trim).filter(|r| !r.is_empty()) else { return Ok(None) };
    crate::text::check_chars("reason", ("理由", "reason"), reason, true)?;
    if reason.chars().count() > 500 {
        return Err(Error::invalid(
            "reason",
            "理由过长（最多 500 字）",
            "the reason is too long (500 characters at most)",
        ));
    }
    Ok(Some(reason.to_owned()))
}

/// Checks a grade for a participant, with the appraisal's other grades as they stand: a
/// probationary member is not graded; 不合格 needs its reason; 优秀 past the cap needs one.
pub fn check_grade(
    appraisal: &Appraisal,
    participant: &Participant,
    grade: Grade,
    reason: Option<&str>,
    rules: &AppraisalRules,
) -> Result<()> {
    if !participant.in_register {
        return Err(Error::invalid(
            "member",
            format!("{}已不在册，不再评定等次", participant.name),
            format!("{} is no longer in the register: no grade", participant.name),
        ));
    }
    if !participant.graded {
        return Err(Error::invalid(
            "grade",
            format!("{}是预备党员，参加民主评议但不评定等次（{}）", participant.name, rules.probationary_clause.zh),
            format!(
                "{} is a probationary member: they take part but are not graded ({})",
                participant.name, rules.probationary_clause.en
            ),
        ));
    }
    if grade == Grade::Unqualified && reason.is_none() {
        return Err(Error::invalid(
            "reason",
            format!("评定{}为不合格，须写明理由（{}）", participant.name, rules.unqualified_clause.zh),
            format!("grading {} unqualified needs the reason ({})", participant.name, rules.unqualified_clause.en),
        ));
    }
    if grade == Grade::Excellent && reason.is_none() {
        let ordinal = appraisal
            .participants
            .iter()
            .filter(|p| p.person_id != participant.person_id && p.grade == Some(Grade::Excellent))
            .count()
            + 1;
        let others = appraisal
            .participants
            .iter()
            // Those past the cap carry their reason: the cap counts the others.
            .filter(|p| p.person_id != participant.person_id && p.grade == Some(Grade::Excellent) && p.reason.is_none())
            .count() as u32;
        if others + 1 > appraisal.excellent_cap {
            return Err(Error::invalid(
                "grade",
                format!(
                    "参评的 {} 名正式党员中评为优秀的一般不超过 {} 名（{}）：评定{}为第 {ordinal} 名优秀须写明理由",
                    appraisal.graded, appraisal.excellent_cap, rules.cap_clause.zh, participant.name
                ),
                format!(
                    "of {} graded members normally at most {} are excellent ({}): grading {} the excellent number {ordinal} needs a reason",
                    appraisal.graded, appraisal.excellent_cap, rules.cap_clause.en, participant.name
                ),
            ));
        }
    }
    Ok(())
}

/// A sheet of vote counts (.xlsx or .csv) as read: 姓名 or 学号工号, 优秀, 合格, 基本合格, 不合格
/// (an empty count is 0). Rows naming nobody are the store's to find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteSheetRow {
    pub row: u64,
    pub who: String,
    pub votes: Votes,
}

/// Reads a sheet of vote counts: the good rows, and the bad ones named.
pub fn read_vote_sheet(path: &std::path::Path) -> Result<(Vec<VoteSheetRow>, crate::roster::sheet::RowProblems)> {
    use crate::roster::sheet::{Cell, RowProblems, for_each_row};
    let text = Cell::as_text;
    let (mut number, mut name) = (None, None);
    let mut columns: [Option<usize>; 4] = [None; 4];
    let mut rows = Vec::new();
    let mut problems = RowProblems::default();
    for_each_row(path, |row, cells| {
        if row == 1 {
            for (i, cell) in cells.iter().enumerate() {
                match text(cell).as_str() {
                    "学号工号" | "学号" | "工号" => number = Some(i),
                    "姓名" => name = Some(i),
                    header => {
                        // 优秀 or 优秀票 (as the year's results export them).
                        let header = header.strip_suffix('票').unwrap_or(header);
                        if let Some(g) = Grade::ALL.iter().position(|g| g.label().zh == header) {
                            columns[g] = Some(i);
                        }
                    }
                }
            }
            return Ok(());
        }
        if number.is_none() && name.is_none() {
            return Ok(());
        }
        let get = |i: Option<usize>| i.and_then(|i| cells.get(i)).map(text).unwrap_or_default();
        // The number where given, else the name.
        let name = Some(get(number)).filter(|n| !n.is_empty()).unwrap_or_else(|| get(name));
        if name.is_empty() && columns.iter().all(|c| get(*c).is_empty()) {
            return Ok(());
        }
        if name.is_empty() {
            problems.add(row, "没有姓名或学号工号", "no name or student number");
            return Ok(());
        }
        let mut counts = [0u32; 4];
        for (g, column) in columns.iter().enumerate() {
            let given = get(*column);
            if given.is_empty() {
                continue;
            }
            // A spreadsheet stores 12 as 12.0 where it was typed as a number.
            let parsed = given.strip_suffix(".0").unwrap_or(&given).parse::<u32>();
            match parsed {
                Ok(n) => counts[g] = n,
                Err(_) => {
                    let shown = crate::text::excerpt(&given, 20);
                    let grade = Grade::ALL[g].label();
                    problems.add(
                        row,
                        format!("{}票数「{shown}」应为非负整数", grade.zh),
                        format!("the {} count “{shown}” should be a whole number", grade.en),
                    );
                    return Ok(());
                }
            }
        }
        let [excellent, qualified, basically_qualified, unqualified] = counts;
        rows.push(VoteSheetRow {
            row,
            who: name,
            votes: Votes { excellent, qualified, basically_qualified, unqualified },
        });
        Ok(())
    })?;
    if (number.is_none() && name.is_none()) || columns.iter().any(Option::is_none) {
        return Err(Error::invalid(
            "sheet",
            "测评票统计表需要「姓名」（或「学号工号」）和「优秀」「合格」「基本合格」「不合格」各列",
            "a sheet of votes needs the columns 姓名 (or 学号工号), 优秀, 合格, 基本合格 and 不合格",
        ));
    }
    Ok((rows, problems))
}

/// The vote a sheet gives, member by member: each row's name (or student number) found among the
/// participants, once; a row naming nobody, someone twice, a probationary member or counts past
/// the ballots is added to `problems`.
pub fn vote_rows_of_sheet(
    appraisal: &Appraisal,
    rows: &[VoteSheetRow],
    ballots_cast: u32,
    problems: &mut crate::roster::sheet::RowProblems,
) -> Vec<VoteRow> {
    let mut seen = std::collections::HashMap::new();
    let mut out = Vec::new();
    for row in rows {
        let who = crate::text::excerpt(&row.who, 40);
        let found: Vec<&Participant> = appraisal
            .participants
            .iter()
            .filter(|p| p.name == row.who || p.student_no.as_deref() == Some(row.who.as_str()))
            .collect();
        let p = match found.as_slice() {
            [one] => *one,
            [] => {
                problems.add(row.row, format!("参评人员中没有「{who}」"), format!("nobody taking part is “{who}”"));
                continue;
            }
            many => {
                problems.add(
                    row.row,
                    format!("有 {} 人名为「{who}」，请改用学号工号", many.len()),
                    format!("{} people are named “{who}”; give the student number", many.len()),
                );
                continue;
            }
        };
        if let Some(first) = seen.insert(p.person_id, row.row) {
            problems.add(
                row.row,
                format!("{}已在第 {first} 行计票", p.name),
                format!("{}'s votes are already on row {first}", p.name),
            );
            continue;
        }
        if !p.graded {
            problems.add(
                row.row,
                format!("{}是预备党员，不参加测评", p.name),
                format!("{} is a probationary member: not voted on", p.name),
            );
            continue;
        }
        if let Err(e) = check_votes(&p.name, &row.votes, ballots_cast) {
            let why = e.text();
            problems.add(row.row, why.zh, why.en);
            continue;
        }
        out.push(VoteRow { person_id: p.person_id, votes: row.votes });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn votes(excellent: u32, qualified: u32, basically_qualified: u32, unqualified: u32) -> Votes {
        Votes { excellent, qualified, basically_qualified, unqualified }
    }

    #[test]
    fn the_shipped_rules_parse_and_an_office_may_change_them_within_article_30() {
        let rules = shipped_appraisal();
        assert_eq!((rules.excellent_share, rules.correction_months, rules.proposal), ((1, 3), 12, Proposal::MostVotes));
        assert_eq!(rules.excellent_cap(10), 3);
        assert_eq!(rules.excellent_cap(2), 0);
        let mut mine = rules.clone();
        mine.apply(toml::from_str("correction_months = 6\nproposal = \"none\"").unwrap()).unwrap();
        assert_eq!(mine.correction_until(d("2027-01-15")), d("2027-07-15"));
        assert!(mine.apply(toml::from_str("correction_months = 13").unwrap()).is_err(), "article 30: a year at most");
        assert!(mine.apply(toml::from_str("excellent_share_denominator = 0").unwrap()).is_err());
        assert_eq!(mine.correction_months, 6, "a refused change leaves the rules as they were");
    }

    #[test]
    fn the_proposal_is_the_most_voted_grade_and_a_tie_goes_nearer_qualified() {
        let rule = Proposal::MostVotes;
        assert_eq!(votes(20, 5, 0, 0).propose(rule), Some(Grade::Excellent));
        assert_eq!(votes(10, 10, 0, 0).propose(rule), Some(Grade::Qualified));
        assert_eq!(votes(0, 0, 4, 4).propose(rule), Some(Grade::BasicallyQualified));
        assert_eq!(votes(3, 0, 3, 0).propose(rule), Some(Grade::BasicallyQualified), "the wary side of a tie");
        assert_eq!(votes(0, 0, 0, 0).propose(rule), None);
        assert_eq!(votes(20, 5, 0, 0).propose(Proposal::None), None);
    }

    #[test]
    fn votes_beyond_the_ballots_cast_are_refused() {
        assert!(check_votes("张三", &votes(10, 10, 0, 0), 20).is_ok());
        let refused = check_votes("张三", &votes(10, 10, 1, 0), 20).unwrap_err();
        assert!(matches!(refused, Error::InvalidInput { ref field, .. } if field == "votes"), "{refused:?}");
    }

    #[test]
    fn an_appraisal_of_a_year_is_held_in_it_or_early_in_the_next() {
        let today = d("2027-02-01");
        assert!(check_opening(2026, d("2026-12-20"), today).is_ok());
        assert!(check_opening(2026, d("2027-01-20"), today).is_ok());
        assert!(check_opening(2026, d("2025-12-20"), today).is_err());
        assert!(check_opening(2027, d("2027-02-02"), today).is_err(), "after today");
    }
}
