//! Deadlines: what each person's procedure still owes, computed from their events and the rule
//! set whenever asked. A derived deadline is never stored, so recording or correcting an event
//! changes every deadline at once.
//!
//! Statuses: for a `deadline`, `overdue` (due before the as-of date), `due_soon` (due within the
//! rule's largest lead time, 30 days by default, the due day included) or `upcoming` (later);
//! for an `earliest` date, `not_yet` (the step may not happen yet) or `open` (it may happen now).

use std::collections::HashSet;

use serde::Serialize;

use crate::calendar::{self, Date};
use crate::domain::{Event, EventKind, Id};
use crate::rules::{DeadlineKind, DeadlineRule};
use crate::store::Store;
use crate::{Result, Text};

#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Overdue,
    DueSoon,
    Upcoming,
    /// An earliest date not reached yet.
    NotYet,
    /// An earliest date reached: the step may happen now.
    Open,
}

impl Status {
    pub fn label(self) -> Text {
        match self {
            Status::Overdue => Text::new("已逾期", "overdue"),
            Status::DueSoon => Text::new("即将到期", "due soon"),
            Status::Upcoming => Text::new("未到期", "upcoming"),
            Status::NotYet => Text::new("未到时间", "not yet"),
            Status::Open => Text::new("可以办理", "open"),
        }
    }
}

/// One thing a person's procedure still owes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending<'r> {
    pub rule: &'r DeadlineRule,
    pub due: Date,
    pub status: Status,
}

/// What the rules still ask of a person with these events, as of a date. Nothing for a person
/// whose procedure has ended.
pub fn pending<'r>(events: &[Event], rules: &'r [DeadlineRule], as_of: Date) -> Vec<Pending<'r>> {
    let has = |kind: EventKind| events.iter().any(|e| e.kind == kind);
    if has(EventKind::MembershipEnded) {
        return Vec::new();
    }
    let extension = events.iter().find(|e| e.kind == EventKind::ProbationExtended).and_then(|e| e.months).unwrap_or(0);
    rules
        .iter()
        .filter(|rule| !has(rule.done_by))
        .filter_map(|rule| {
            let from = events.iter().find(|e| e.kind == rule.from)?.date;
            let months = rule.months + if rule.plus_extension { extension } else { 0 };
            let due = calendar::add_months(from, months)?;
            Some(Pending { rule, due, status: status(rule, due, as_of) })
        })
        .collect()
}

fn status(rule: &DeadlineRule, due: Date, as_of: Date) -> Status {
    match rule.kind {
        DeadlineKind::Earliest if as_of < due => Status::NotYet,
        DeadlineKind::Earliest => Status::Open,
        DeadlineKind::Deadline if due < as_of => Status::Overdue,
        DeadlineKind::Deadline => {
            let lead = rule.lead_days.iter().copied().max().unwrap_or(30);
            let soon = as_of.checked_add_days(chrono::Days::new(u64::from(lead))).unwrap_or(as_of);
            if due <= soon { Status::DueSoon } else { Status::Upcoming }
        }
    }
}

/// Which deadlines to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineQuery {
    pub as_of: Date,
    /// Only overdue items and those due (or opening) within this many days.
    pub within: Option<u32>,
    /// A unit of the organisation tree; its whole subtree is listed.
    pub branch_id: Option<Id>,
}

/// One pending item of one member, as lists and the CLI's JSON show it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineItem {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub member_id: Id,
    pub name: String,
    pub branch: String,
    /// The rule's id (`application_talk`, `conversion_due`, …).
    pub rule: String,
    pub rule_name_zh: String,
    pub rule_name_en: String,
    pub kind: DeadlineKind,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub due: Date,
    pub status: Status,
    /// The citation in Chinese, e.g. 《中国共产党发展党员工作细则》第七条.
    pub clause: String,
}

impl Store {
    /// Every pending item as of a date, most urgent first (by due day, then name).
    pub fn deadlines(&self, query: &DeadlineQuery) -> Result<Vec<DeadlineItem>> {
        let tree = self.org_tree()?;
        let branches: Option<HashSet<Id>> = query.branch_id.map(|b| tree.subtree(b).into_iter().collect());
        let people = self.people_for_deadlines()?;
        let mut paths: std::collections::HashMap<Id, String> = std::collections::HashMap::new();
        let rules = self.rules().deadlines();
        let horizon = query.within.and_then(|d| query.as_of.checked_add_days(chrono::Days::new(u64::from(d))));
        let mut items = Vec::new();
        self.for_each_person_events(|person_id, events| {
            let Some(Some((name, branch_id))) = usize::try_from(person_id).ok().and_then(|i| people.get(i)) else {
                return;
            };
            if branches.as_ref().is_some_and(|b| !b.contains(branch_id)) {
                return;
            }
            for p in pending(events, rules, query.as_of) {
                if let Some(horizon) = horizon
                    && p.due > horizon
                {
                    continue;
                }
                items.push(DeadlineItem {
                    member_id: person_id,
                    name: name.clone(),
                    branch: paths.entry(*branch_id).or_insert_with(|| tree.path(*branch_id)).clone(),
                    rule: p.rule.id.clone(),
                    rule_name_zh: p.rule.name.zh.clone(),
                    rule_name_en: p.rule.name.en.clone(),
                    kind: p.rule.kind,
                    due: p.due,
                    status: p.status,
                    clause: p.rule.clause.zh.clone(),
                });
            }
        })?;
        items.sort_by(|a, b| (a.due, &a.name, a.member_id).cmp(&(b.due, &b.name, b.member_id)));
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{RuleSet, RuleSetId};
    use EventKind::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    /// The pending items of `events` as `(rule, due, status)`, as of `as_of`, under the 2026 rules.
    fn owed(events: &[(EventKind, &str)], as_of: &str) -> Vec<(String, String, Status)> {
        let rules = RuleSet::builtin(RuleSetId::Cpc2026);
        let events: Vec<Event> = events.iter().map(|(k, date)| Event::new(*k, d(date))).collect();
        pending(&events, rules.deadlines(), d(as_of))
            .into_iter()
            .map(|p| (p.rule.id.clone(), p.due.to_string(), p.status))
            .collect()
    }

    fn one(rule: &str, due: &str, status: Status) -> Vec<(String, String, Status)> {
        vec![(rule.to_owned(), due.to_owned(), status)]
    }

    #[test]
    fn application_talk_is_due_one_month_after_the_application_article_7() {
        let applied = [(ApplicationReceived, "2026-01-31")];
        assert_eq!(owed(&applied, "2026-01-31"), one("application_talk", "2026-02-28", Status::DueSoon));
        assert_eq!(
            owed(&applied, "2026-02-28"),
            one("application_talk", "2026-02-28", Status::DueSoon),
            "the due day is in time"
        );
        assert_eq!(owed(&applied, "2026-03-01"), one("application_talk", "2026-02-28", Status::Overdue));
        assert!(owed(&[(ApplicationReceived, "2026-01-31"), (ApplicantTalk, "2026-02-10")], "2026-03-01").is_empty());
    }

    #[test]
    fn a_development_target_may_be_chosen_a_year_after_the_activist_determination_article_13() {
        let activist =
            [(ApplicationReceived, "2023-09-01"), (ApplicantTalk, "2023-09-10"), (ActivistDetermined, "2024-02-29")];
        assert_eq!(owed(&activist, "2025-02-27"), one("candidate_eligible", "2025-02-28", Status::NotYet));
        assert_eq!(owed(&activist, "2025-02-28"), one("candidate_eligible", "2025-02-28", Status::Open));
    }

    #[test]
    fn the_branch_meeting_follows_the_pre_review_within_a_month_article_19() {
        let prereviewed = [
            (ApplicationReceived, "2023-01-01"),
            (ApplicantTalk, "2023-01-10"),
            (ActivistDetermined, "2023-03-01"),
            (CandidateDetermined, "2024-03-01"),
            (PrereviewPassed, "2025-11-30"),
        ];
        assert_eq!(
            owed(&prereviewed, "2025-12-01"),
            one("branch_meeting_after_prereview", "2025-12-30", Status::DueSoon)
        );
        assert_eq!(
            owed(&prereviewed, "2025-12-31"),
            one("branch_meeting_after_prereview", "2025-12-30", Status::Overdue)
        );
    }

    #[test]
    fn admission_is_approved_within_three_months_article_25_and_probation_ends_a_year_after_article_31() {
        let admitted = [
            (ApplicationReceived, "2023-01-01"),
            (ApplicantTalk, "2023-01-10"),
            (ActivistDetermined, "2023-03-01"),
            (CandidateDetermined, "2024-03-01"),
            (PrereviewPassed, "2025-11-01"),
            (Admitted, "2025-11-30"),
        ];
        assert_eq!(
            owed(&admitted, "2025-12-01"),
            vec![
                ("admission_approval".to_owned(), "2026-02-28".to_owned(), Status::Upcoming),
                ("conversion_due".to_owned(), "2026-11-30".to_owned(), Status::Upcoming),
            ]
        );
        assert_eq!(
            owed(&admitted, "2026-03-01")[0],
            ("admission_approval".to_owned(), "2026-02-28".to_owned(), Status::Overdue)
        );
    }

    #[test]
    fn the_oath_follows_the_approval_within_a_month_article_29() {
        let approved = [
            (ApplicationReceived, "2023-01-01"),
            (ApplicantTalk, "2023-01-10"),
            (ActivistDetermined, "2023-03-01"),
            (CandidateDetermined, "2024-03-01"),
            (Admitted, "2026-01-10"),
            (AdmissionApproved, "2026-03-31"),
        ];
        let items = owed(&approved, "2026-04-01");
        assert_eq!(items[0], ("oath".to_owned(), "2026-04-30".to_owned(), Status::DueSoon));
    }

    #[test]
    fn an_extension_moves_the_conversion_deadline_article_32() {
        let rules = RuleSet::builtin(RuleSetId::Cpc2026);
        let mut events: Vec<Event> =
            [(Admitted, "2024-02-29"), (AdmissionApproved, "2024-04-01"), (Oath, "2024-04-10")]
                .iter()
                .map(|(k, date)| Event::new(*k, d(date)))
                .collect();
        let due = |events: &[Event]| pending(events, rules.deadlines(), d("2025-03-01"))[0].due.to_string();
        assert_eq!(due(&events), "2025-02-28", "one year after a leap day is 28 February");
        let mut extension = Event::new(ProbationExtended, d("2025-02-28"));
        extension.months = Some(6);
        events.push(extension);
        assert_eq!(due(&events), "2025-08-29");
    }

    #[test]
    fn conversion_is_approved_within_three_months_of_the_meeting_article_33() {
        let met = [
            (Admitted, "2025-05-20"),
            (AdmissionApproved, "2025-06-20"),
            (Oath, "2025-07-01"),
            (ConversionMeeting, "2026-05-20"),
        ];
        assert_eq!(owed(&met, "2026-08-21"), one("conversion_approval", "2026-08-20", Status::Overdue));
        assert!(
            owed(
                &[
                    (Admitted, "2025-05-20"),
                    (AdmissionApproved, "2025-06-20"),
                    (Oath, "2025-07-01"),
                    (ConversionMeeting, "2026-05-20"),
                    (ConversionApproved, "2026-06-01")
                ],
                "2026-08-21"
            )
            .is_empty()
        );
    }

    #[test]
    fn an_ended_procedure_owes_nothing() {
        assert!(owed(&[(ApplicationReceived, "2026-01-01"), (MembershipEnded, "2026-01-05")], "2026-11-24").is_empty());
    }

    #[test]
    fn the_2014_rules_have_no_pre_review_or_oath_deadline() {
        let rules = RuleSet::builtin(RuleSetId::Cpc2014);
        let events: Vec<Event> = [(PrereviewPassed, "2025-11-01"), (AdmissionApproved, "2025-11-02")]
            .iter()
            .map(|(k, date)| Event::new(*k, d(date)))
            .collect();
        assert!(pending(&events, rules.deadlines(), d("2026-11-24")).is_empty());
    }
}
