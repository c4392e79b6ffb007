//! Steps that happened late, or out of the usual order: recorded as they happened (they did
//! happen, and the file must say so), and flagged with the article they fell short of, wherever a
//! person's steps are shown: the import report, the member's timeline, the dossier, `--json`.
//!
//! What is flagged:
//! - a step done after its `deadline` rule's due day (the talk more than a month after the
//!   application, 第七条; the branch meeting more than a month after the pre-review, 2026 第十九条;
//!   the approval after its period, with any extension, 第二十五条; the oath more than a month after
//!   the approval, 2026 第二十九条; …): every `deadline` rule of the rule set, so an office's own
//!   file flags by its own periods;
//! - a determination as activist before the talk with the applicant (第七条: the talk comes first);
//! - under rules with a publicity period (2026 第十三条), a development target determined with no
//!   publicity recorded (rosters from before the revision do not carry one).
//!
//! What is refused instead (see `validate`): a step before the step it needs, or before a period
//! the article makes a minimum (a year as activist, the publicity's working days).

use serde::Serialize;

use crate::calendar::{self, Date};
use crate::deadlines::{self, Fact};
use crate::domain::EventKind;
use crate::rules::{DeadlineKind, RuleSet};
use crate::workdays::WorkCalendar;

/// One flag on one step.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LateStep {
    /// The step flagged.
    pub step: EventKind,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub date: Date,
    /// The day it was due, when it is late against a period.
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub due: Option<Date>,
    /// How many days after the due day it happened.
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub days_late: Option<i64>,
    /// The rule or check it falls short of (`application_talk`, `candidate_publicity`, …).
    pub rule: String,
    /// The article, as cited (《中国共产党发展党员工作细则》第七条).
    pub clause: String,
    /// A few words for a timeline beside the step: 逾期 3 天, 未记录公示.
    pub note_zh: String,
    pub note_en: String,
    /// The whole sentence, naming the step and its dates, for a report.
    pub message_zh: String,
    pub message_en: String,
}

/// Every flag on a person's steps.
pub fn late_steps(facts: &[Fact], rules: &RuleSet, workdays: &WorkCalendar) -> Vec<LateStep> {
    let mut out = Vec::new();
    let first = |kind: EventKind| facts.iter().filter(|f| f.kind == kind).map(|f| f.date).min();
    for rule in rules.deadlines().iter().filter(|r| r.kind == DeadlineKind::Deadline) {
        let (Some(start), Some(done)) = (first(rule.from), first(rule.done_by)) else { continue };
        let extension = deadlines::extension(facts, rule.extended_by);
        let Some((due, _)) = deadlines::due_after(rule, start, extension, workdays) else { continue };
        if done <= due {
            continue;
        }
        let days = (done - due).num_days();
        let (step_zh, step_en) = (rule.done_by.label().zh, rule.done_by.label().en);
        out.push(LateStep {
            step: rule.done_by,
            date: done,
            due: Some(due),
            days_late: Some(days),
            rule: rule.id.clone(),
            clause: rule.clause.zh.clone(),
            note_zh: format!("逾期 {days} 天"),
            note_en: format!("{days} day(s) late"),
            message_zh: format!(
                "「{step_zh}」（{}）晚于期限 {} {days} 天（{}）",
                calendar::format_zh(done),
                calendar::format_zh(due),
                rule.clause.zh
            ),
            message_en: format!("“{step_en}” ({done}) came {days} day(s) after its due day {due} ({})", rule.clause.en),
        });
    }
    // 第七条: the talk with the applicant comes before anything else is decided about them.
    if let (Some(talk), Some(activist)) = (first(EventKind::ApplicantTalk), first(EventKind::ActivistDetermined))
        && activist < talk
    {
        let clause = rules.cite("application_talk");
        out.push(LateStep {
            step: EventKind::ActivistDetermined,
            date: activist,
            due: None,
            days_late: None,
            rule: "activist_before_talk".into(),
            clause: clause.zh.clone(),
            note_zh: "早于与入党申请人谈话".into(),
            note_en: "before the talk with the applicant".into(),
            message_zh: format!(
                "确定为入党积极分子（{}）早于与入党申请人谈话（{}）（{}）",
                calendar::format_zh(activist),
                calendar::format_zh(talk),
                clause.zh
            ),
            message_en: format!(
                "determined as an activist ({activist}) before the talk with the applicant ({talk}) ({})",
                clause.en
            ),
        });
    }
    // 2026 第十三条: the determination follows a publicity; a roster from before the revision may
    // not carry it, so its absence is flagged, not refused.
    if let Some(publicity) = rules.deadlines().iter().find(|r| r.id == "candidate_publicity")
        && let Some(determined) = first(EventKind::CandidateDetermined)
        && first(publicity.from).is_none()
    {
        out.push(LateStep {
            step: EventKind::CandidateDetermined,
            date: determined,
            due: None,
            days_late: None,
            rule: "candidate_publicity".into(),
            clause: publicity.clause.zh.clone(),
            note_zh: "未记录公示".into(),
            note_en: "no publicity recorded".into(),
            message_zh: format!(
                "确定为发展对象（{}）前没有记录公示（{}）",
                calendar::format_zh(determined),
                publicity.clause.zh
            ),
            message_en: format!(
                "determined as a development target ({determined}) with no publicity recorded ({})",
                publicity.clause.en
            ),
        });
    }
    out.sort_by_key(|l| l.date);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSetId;
    use EventKind::*;

    fn facts(list: &[(EventKind, &str)]) -> Vec<Fact> {
        list.iter().map(|(kind, date)| Fact { kind: *kind, date: date.parse().unwrap(), months: None }).collect()
    }

    fn flags(set: RuleSetId, list: &[(EventKind, &str)]) -> Vec<(String, Option<i64>)> {
        let rules = RuleSet::builtin(set);
        late_steps(&facts(list), &rules, &WorkCalendar::default()).into_iter().map(|l| (l.rule, l.days_late)).collect()
    }

    #[test]
    fn a_talk_more_than_a_month_after_the_application_is_late_article_7() {
        for set in [RuleSetId::Cpc2014, RuleSetId::Cpc2026] {
            assert_eq!(flags(set, &[(ApplicationReceived, "2026-01-31"), (ApplicantTalk, "2026-02-28")]), []);
            assert_eq!(
                flags(set, &[(ApplicationReceived, "2026-01-31"), (ApplicantTalk, "2026-03-03")]),
                [("application_talk".to_owned(), Some(3))],
                "{set:?}: a month after 31 January is 28 February"
            );
        }
        let rules = RuleSet::builtin(RuleSetId::Cpc2026);
        let late = late_steps(
            &facts(&[(ApplicationReceived, "2026-01-31"), (ApplicantTalk, "2026-03-03")]),
            &rules,
            &WorkCalendar::default(),
        );
        assert!(late[0].message_zh.contains("第七条") && late[0].message_zh.contains("3 天"), "{late:?}");
    }

    #[test]
    fn a_branch_meeting_more_than_a_month_after_the_prereview_is_late_2026_article_19() {
        let list = [(PrereviewPassed, "2026-03-10"), (Admitted, "2026-04-20")];
        assert_eq!(flags(RuleSetId::Cpc2026, &list), [("branch_meeting_after_prereview".to_owned(), Some(10))]);
    }

    #[test]
    fn an_approval_after_its_period_is_late_and_an_extension_counts_from_the_meeting_article_25() {
        let late = [(Admitted, "2025-11-30"), (AdmissionApproved, "2026-03-05")];
        assert_eq!(flags(RuleSetId::Cpc2026, &late), [("admission_approval".to_owned(), Some(5))]);
        // With the special-case extension: six months from the meeting, 2026-05-30.
        let rules = RuleSet::builtin(RuleSetId::Cpc2026);
        let mut extended = facts(&[(Admitted, "2025-11-30"), (AdmissionApproved, "2026-05-30")]);
        extended.push(Fact { kind: ApprovalExtended, date: "2026-02-20".parse().unwrap(), months: Some(3) });
        assert_eq!(late_steps(&extended, &rules, &WorkCalendar::default()), []);
        extended[1].date = "2026-06-02".parse().unwrap();
        let flagged = late_steps(&extended, &rules, &WorkCalendar::default());
        assert_eq!(
            flagged.iter().map(|l| (l.due, l.days_late)).collect::<Vec<_>>(),
            [(Some("2026-05-30".parse().unwrap()), Some(3))]
        );
    }

    #[test]
    fn an_oath_more_than_a_month_after_the_approval_is_late_article_29() {
        let list = [(Admitted, "2026-01-10"), (AdmissionApproved, "2026-02-10"), (Oath, "2026-03-20")];
        assert_eq!(flags(RuleSetId::Cpc2026, &list), [("oath".to_owned(), Some(10))]);
    }

    #[test]
    fn an_activist_determined_before_the_talk_is_flagged_article_7() {
        let list =
            [(ApplicationReceived, "2026-01-05"), (ActivistDetermined, "2026-01-20"), (ApplicantTalk, "2026-01-25")];
        assert_eq!(flags(RuleSetId::Cpc2014, &list), [("activist_before_talk".to_owned(), None)]);
    }

    #[test]
    fn a_determination_without_publicity_is_flagged_under_the_2026_rules_only_article_13() {
        let list = [(ActivistDetermined, "2025-01-05"), (CandidateDetermined, "2026-02-10")];
        assert_eq!(flags(RuleSetId::Cpc2026, &list), [("candidate_publicity".to_owned(), None)]);
        assert_eq!(flags(RuleSetId::Cpc2014, &list), [], "the 2014 text has no publicity before the determination");
        let with = [
            (ActivistDetermined, "2025-01-05"),
            (CandidatePublicity, "2026-02-02"),
            (CandidateDetermined, "2026-02-10"),
        ];
        assert_eq!(flags(RuleSetId::Cpc2026, &with), []);
    }
}
