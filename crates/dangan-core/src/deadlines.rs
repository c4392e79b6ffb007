//! Deadlines: what each person's procedure still owes, computed from their events and the rule
//! set whenever asked. A derived deadline is never stored, so recording or correcting an event
//! changes every deadline at once. (What the worker did about an item, a snooze or an
//! acknowledgement, is stored, keyed by the item's rule and due day: see `store/dismissals.rs`.)
//!
//! Statuses:
//! - a `deadline` or `recurring` item is `overdue` (due before the as-of date), `due_soon` (due
//!   within the rule's largest lead time, 30 days by default, the due day included) or `upcoming`;
//! - an `earliest` item is `not_yet` (the step may not happen yet) or `open` (it may happen now).
//!
//! A recurring item is the next one owed: due a period after the latest recorded one, or after the
//! rule's starting event when none is recorded yet.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::calendar::{self, Date};
use crate::domain::{EventKind, Id, MeetingKind, ProcedureEvent};
use crate::rules::{DeadlineKind, DeadlineRule, Period};
use crate::workdays::WorkCalendar;

#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
    pub const ALL: [Status; 5] = [Status::Overdue, Status::DueSoon, Status::Upcoming, Status::NotYet, Status::Open];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Overdue => "overdue",
            Status::DueSoon => "due_soon",
            Status::Upcoming => "upcoming",
            Status::NotYet => "not_yet",
            Status::Open => "open",
        }
    }

    pub fn label(self) -> crate::Text {
        use crate::Text;
        match self {
            Status::Overdue => Text::new("已逾期", "overdue"),
            Status::DueSoon => Text::new("即将到期", "due soon"),
            Status::Upcoming => Text::new("未到期", "upcoming"),
            Status::NotYet => Text::new("未到时间", "not yet"),
            Status::Open => Text::new("可以办理", "open"),
        }
    }
}

/// The part of an event the deadline rules read: kept in memory for every person, so it is small.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fact {
    pub kind: EventKind,
    pub date: Date,
    /// A probation extension's months.
    pub months: Option<u32>,
}

impl From<&ProcedureEvent> for Fact {
    fn from(e: &ProcedureEvent) -> Fact {
        Fact { kind: e.kind, date: e.date, months: e.months }
    }
}

/// One thing a person's procedure still owes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending<'r> {
    pub rule: &'r DeadlineRule,
    pub due: Date,
    pub status: Status,
    /// Counted in working days across a year whose official calendar is not entered.
    pub provisional: bool,
}

/// What the rules still ask of a person with these events, as of a date. Nothing for a person
/// whose procedure has ended.
pub fn pending<'r>(
    facts: &[Fact],
    rules: &'r [DeadlineRule],
    workdays: &WorkCalendar,
    as_of: Date,
) -> Vec<Pending<'r>> {
    let mut out = Vec::new();
    pending_into(facts, rules, workdays, as_of, &mut out);
    out
}

/// [`pending`], appending to `out` (a scan of everyone reuses one buffer).
pub fn pending_into<'r>(
    facts: &[Fact],
    rules: &'r [DeadlineRule],
    workdays: &WorkCalendar,
    as_of: Date,
    out: &mut Vec<Pending<'r>>,
) {
    let has = |kind: EventKind| facts.iter().any(|e| e.kind == kind);
    if has(EventKind::MembershipEnded) {
        return;
    }
    let first = |kind: EventKind| facts.iter().filter(|e| e.kind == kind).map(|e| e.date).min();
    for rule in rules {
        let Some(start) = first(rule.from) else { continue };
        let (anchor, months) = match rule.kind {
            DeadlineKind::Recurring => {
                if rule.until.iter().any(|&k| has(k)) {
                    continue;
                }
                let latest = facts.iter().filter(|e| e.kind == rule.done_by && e.date >= start).map(|e| e.date).max();
                (latest.unwrap_or(start), 0)
            }
            DeadlineKind::Deadline | DeadlineKind::Earliest => {
                // A later step makes the item moot: nobody chases the oath of a full member.
                if has(rule.done_by) || rule.until.iter().any(|&k| has(k)) {
                    continue;
                }
                (start, extension(facts, rule.extended_by))
            }
        };
        let Some((due, provisional)) = due_after(rule, anchor, months, workdays) else { continue };
        out.push(Pending { rule, due, status: status(rule, due, as_of), provisional });
    }
}

/// The months of the latest extension recorded (`extended_by`), 0 without one.
pub(crate) fn extension(facts: &[Fact], by: Option<EventKind>) -> u32 {
    by.and_then(|kind| facts.iter().filter(|e| e.kind == kind).max_by_key(|e| e.date))
        .and_then(|e| e.months)
        .unwrap_or(0)
}

/// The due day of `rule` counted from `anchor`, lengthened by `extension` months, and whether it
/// is provisional (working days across a year whose calendar is not entered).
pub(crate) fn due_after(
    rule: &DeadlineRule,
    anchor: Date,
    extension: u32,
    workdays: &WorkCalendar,
) -> Option<(Date, bool)> {
    match rule.period {
        // An extension runs as its rule says: from the end of the period it extends (a year
        // after 2024-02-29 is 2025-02-28, six months more 2025-08-28), or with the period from
        // the start (three months and three more after 2025-11-30 is 2026-05-30).
        Period::Months(m) => match rule.extension_counts {
            Some(crate::rules::ExtensionCounts::FromStart) => calendar::add_months(anchor, m + extension),
            _ => calendar::add_months(anchor, m).and_then(|end| calendar::add_months(end, extension)),
        }
        .map(|due| (due, false)),
        Period::WorkingDays(n) => workdays.after_working_days(anchor, n),
    }
}

fn status(rule: &DeadlineRule, due: Date, as_of: Date) -> Status {
    match rule.kind {
        DeadlineKind::Earliest if as_of < due => Status::NotYet,
        DeadlineKind::Earliest => Status::Open,
        DeadlineKind::Deadline | DeadlineKind::Recurring if due < as_of => Status::Overdue,
        DeadlineKind::Deadline | DeadlineKind::Recurring => {
            let lead = rule.lead_days.iter().copied().max().unwrap_or(30);
            let soon = as_of.checked_add_days(chrono::Days::new(u64::from(lead))).unwrap_or(as_of);
            if due <= soon { Status::DueSoon } else { Status::Upcoming }
        }
    }
}

/// Which deadlines to list.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct DeadlineQuery {
    /// The day statuses are computed for; today when `None`.
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub as_of: Option<Date>,
    /// Only overdue items and those due (or opening) within this many days: an earliest date
    /// that opened before the as-of date is left out.
    pub within: Option<u32>,
    /// A unit of the organisation tree; its whole subtree is listed.
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub branch_id: Option<Id>,
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub member_id: Option<Id>,
    /// An inclusive range of due days (a calendar's month).
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub due_from: Option<Date>,
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub due_to: Option<Date>,
    /// Also list items the worker acknowledged or snoozed (until a day after the as-of date).
    pub include_dismissed: bool,
    /// List only those items (the dashboard's "set aside" list).
    pub only_dismissed: bool,
    /// Only the members' items, or only the units' (owed meetings); both when `None`.
    pub owed_by: Option<OwnerKind>,
}

/// Whose items: a member's or a unit's.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerKind {
    Member,
    Unit,
}

/// Who owes an item: a member (a step of their procedure) or a unit (a meeting of its
/// organisational life). In JSON the owner's fields stand beside the item's: a member's item has
/// `member_id` and `name`, a unit's `unit_id` and `unit` and no `member_id` (a public interface).
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Owner {
    Member {
        #[cfg_attr(feature = "typescript", ts(type = "number"))]
        member_id: Id,
        name: String,
        /// The event that satisfies the item (none for an absence from party life, which a
        /// meeting attended ends).
        done_by: Option<EventKind>,
    },
    Unit {
        #[cfg_attr(feature = "typescript", ts(type = "number"))]
        unit_id: Id,
        /// The unit's path (总支/支部).
        unit: String,
        /// For a 党小组会, the party group that owes it.
        #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
        group_id: Option<Id>,
        group: Option<String>,
        /// The meeting that satisfies the item (none for the committee's election).
        meeting: Option<MeetingKind>,
        /// For an item of the complaints register, the entry it is about: the register's items
        /// sit under the committee but are owed entry by entry (JSON: absent for other items).
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "typescript", ts(optional, type = "number"))]
        complaint_id: Option<Id>,
    },
}

impl Owner {
    /// The member who owes the item, if a member does.
    pub fn member_id(&self) -> Option<Id> {
        match self {
            Owner::Member { member_id, .. } => Some(*member_id),
            Owner::Unit { .. } => None,
        }
    }

    /// As a list names the owner: the member's name, or the unit (and its group).
    pub fn display_name(&self) -> String {
        match self {
            Owner::Member { name, .. } => name.clone(),
            Owner::Unit { unit, group: Some(group), .. } => format!("{unit} · {group}"),
            Owner::Unit { unit, group: None, .. } => unit.clone(),
        }
    }

    /// The complaints register's entry an item is about, if it is one of the register's.
    pub fn complaint_id(&self) -> Option<Id> {
        match self {
            Owner::Unit { complaint_id, .. } => *complaint_id,
            Owner::Member { .. } => None,
        }
    }

    /// The key the worker's snoozes and the reminders sent are stored under.
    pub fn key(&self) -> OwnerKey {
        match self {
            Owner::Member { member_id, .. } => OwnerKey::Member(*member_id),
            Owner::Unit { complaint_id: Some(entry), .. } => OwnerKey::Complaint(*entry),
            Owner::Unit { unit_id, group_id: Some(group), .. } => OwnerKey::Group { unit: *unit_id, group: *group },
            Owner::Unit { unit_id, group_id: None, .. } => OwnerKey::Unit(*unit_id),
        }
    }
}

/// Who owes an item, by id only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OwnerKey {
    Member(Id),
    Unit(Id),
    Group {
        unit: Id,
        group: Id,
    },
    /// An entry of the complaints register (its items are under the committee, but two entries
    /// received the same day owe the same rule on the same day: the entry tells them apart).
    Complaint(Id),
}

/// One pending item, of a member or of a unit, as lists and the CLI's JSON show it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineItem {
    #[serde(flatten)]
    #[cfg_attr(feature = "typescript", ts(flatten))]
    pub owner: Owner,
    /// The unit whose list shows the item: the member's branch, or the owing unit itself.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub branch_id: Id,
    // The branch and the rule's words are shared by thousands of items of a scan: one string each,
    // counted, not one copy per item (a full scan makes ~140,000 items; copies made it allocate
    // six strings apiece and pushed its memory past the allocator's reuse limit, see ARCHITECTURE).
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub branch: Arc<str>,
    /// The rule's id (`application_talk`, `conversion_due`, …); for an owed meeting, the
    /// meeting's kind (`committee_meeting`, …).
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub rule: Arc<str>,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub rule_name_zh: Arc<str>,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub rule_name_en: Arc<str>,
    pub kind: DeadlineKind,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub due: Date,
    pub status: Status,
    /// The citation in Chinese, e.g. 《中国共产党发展党员工作细则》第七条.
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub clause: Arc<str>,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub clause_en: Arc<str>,
    /// A working-day date counted without that year's official holiday calendar.
    pub provisional: bool,
    /// The worker has seen to it: no more reminders, and dashboards leave it out.
    pub acknowledged: bool,
    /// Silent and left out of dashboards until this day.
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub snoozed_until: Option<Date>,
}

impl DeadlineItem {
    /// Whether the worker has set this item aside as of a day.
    pub fn is_dismissed(&self, as_of: Date) -> bool {
        self.acknowledged || self.snoozed_until.is_some_and(|until| until > as_of)
    }

    /// Days from `as_of` to the due day: negative when overdue.
    pub fn days_left(&self, as_of: Date) -> i64 {
        (self.due - as_of).num_days()
    }
}

/// How many items have each status.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    pub overdue: u32,
    pub due_soon: u32,
    pub upcoming: u32,
    pub not_yet: u32,
    pub open: u32,
}

impl StatusCounts {
    pub fn add(&mut self, status: Status) {
        let slot = match status {
            Status::Overdue => &mut self.overdue,
            Status::DueSoon => &mut self.due_soon,
            Status::Upcoming => &mut self.upcoming,
            Status::NotYet => &mut self.not_yet,
            Status::Open => &mut self.open,
        };
        *slot += 1;
    }
}

/// One unit's counts on the dashboard.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BranchCounts {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub branch_id: Id,
    pub branch: String,
    pub counts: StatusCounts,
}

/// The 工作提醒 home screen: counts, per branch, and the most urgent items.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dashboard {
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub as_of: Date,
    /// Items the worker set aside are not counted.
    pub totals: StatusCounts,
    /// Units with at least one item, in tree order.
    pub branches: Vec<BranchCounts>,
    /// Overdue, then due soon, most urgent first; at most [`Dashboard::URGENT_SHOWN`].
    pub urgent: Vec<DeadlineItem>,
    pub urgent_total: u32,
    /// How many items are acknowledged or snoozed now.
    pub dismissed: u32,
}

impl Dashboard {
    pub const URGENT_SHOWN: usize = 200;

    /// The dashboard of items already listed (a shared server's), those set aside among them:
    /// counted per status and per unit, the units in `order` (those with no item left out), the
    /// overdue and due-soon items in the order listed (a deadline list's: most urgent first), and
    /// those set aside counted apart, as a workspace's store counts them during its scan (so as
    /// not to list 140,000 items to count them).
    pub fn of_items(as_of: Date, items: Vec<DeadlineItem>, order: &[Id]) -> Dashboard {
        let mut totals = StatusCounts::default();
        let mut per_branch: std::collections::HashMap<Id, (Arc<str>, StatusCounts)> = std::collections::HashMap::new();
        let mut urgent = Vec::new();
        let mut dismissed = 0;
        for item in items {
            if item.is_dismissed(as_of) {
                dismissed += 1;
                continue;
            }
            totals.add(item.status);
            per_branch
                .entry(item.branch_id)
                .or_insert_with(|| (item.branch.clone(), StatusCounts::default()))
                .1
                .add(item.status);
            if matches!(item.status, Status::Overdue | Status::DueSoon) {
                urgent.push(item);
            }
        }
        let urgent_total = u32::try_from(urgent.len()).unwrap_or(u32::MAX);
        // Listed most urgent first already, as a workspace orders them (due day, name, owner, rule).
        urgent.truncate(Dashboard::URGENT_SHOWN);
        let branches = order
            .iter()
            .filter_map(|id| {
                per_branch.get(id).map(|(branch, counts)| BranchCounts {
                    branch_id: *id,
                    branch: branch.to_string(),
                    counts: *counts,
                })
            })
            .collect();
        Dashboard { as_of, totals, branches, urgent, urgent_total, dismissed }
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

    fn facts(events: &[(EventKind, &str)]) -> Vec<Fact> {
        events.iter().map(|(k, date)| Fact { kind: *k, date: d(date), months: None }).collect()
    }

    /// Every pending item of `events` as `(rule, due, status)`, as of `as_of`, under the 2026 rules.
    fn all_owed(events: &[(EventKind, &str)], as_of: &str) -> Vec<(String, String, Status)> {
        let rules = RuleSet::builtin(RuleSetId::Cpc2026);
        pending(&facts(events), rules.deadlines(), &WorkCalendar::default(), d(as_of))
            .into_iter()
            .map(|p| (p.rule.id.clone(), p.due.to_string(), p.status))
            .collect()
    }

    /// The pending one-off items (deadlines and earliest dates; recurring ones have their own tests).
    fn owed(events: &[(EventKind, &str)], as_of: &str) -> Vec<(String, String, Status)> {
        let recurring = ["activist_review", "thought_report"];
        all_owed(events, as_of).into_iter().filter(|(rule, _, _)| !recurring.contains(&rule.as_str())).collect()
    }

    /// The recurring item of one rule.
    fn next(rule: &str, events: &[(EventKind, &str)], as_of: &str) -> Option<(String, Status)> {
        all_owed(events, as_of).into_iter().find(|(r, _, _)| r == rule).map(|(_, due, status)| (due, status))
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
    fn a_later_step_makes_a_missed_one_moot_instead_of_overdue_for_ever() {
        let converted = [
            (ApplicationReceived, "2020-10-12"),
            (ActivistDetermined, "2021-04-06"),
            (CandidateDetermined, "2022-04-11"),
            (Admitted, "2022-06-28"),
            (ConversionMeeting, "2023-06-30"),
            (ConversionApproved, "2023-07-14"),
        ];
        // Neither the talk, the admission approval nor the oath is on file, and none is owed now.
        assert!(owed(&converted, "2026-11-24").is_empty(), "{:?}", owed(&converted, "2026-11-24"));
        // Old rosters often give only the admission and conversion dates: nothing is owed either.
        let roster =
            [(ApplicationReceived, "2020-10-12"), (Admitted, "2022-06-28"), (ConversionApproved, "2023-07-14")];
        assert!(owed(&roster, "2026-11-24").is_empty(), "{:?}", owed(&roster, "2026-11-24"));
        let not_yet_converted = &converted[..5];
        assert_eq!(
            owed(not_yet_converted, "2026-11-24"),
            [("conversion_approval".into(), "2023-09-30".into(), Status::Overdue)]
        );
    }

    #[test]
    fn an_extension_moves_the_conversion_deadline_article_32() {
        let rules = RuleSet::builtin(RuleSetId::Cpc2026);
        let mut events = facts(&[(Admitted, "2024-02-29"), (AdmissionApproved, "2024-04-01"), (Oath, "2024-04-10")]);
        let due = |events: &[Fact]| {
            let all = pending(events, rules.deadlines(), &WorkCalendar::default(), d("2025-03-01"));
            all.iter().find(|p| p.rule.id == "conversion_due").unwrap().due.to_string()
        };
        assert_eq!(due(&events), "2025-02-28", "one year after a leap day is 28 February");
        events.push(Fact { kind: ProbationExtended, date: d("2025-02-28"), months: Some(6) });
        assert_eq!(due(&events), "2025-08-28", "the extension runs from the end of the first year");
    }

    #[test]
    fn in_special_cases_the_approval_may_take_up_to_six_months_article_25() {
        let rules = RuleSet::builtin(RuleSetId::Cpc2026);
        let mut events = facts(&[(Admitted, "2025-11-30")]);
        let approval = |events: &[Fact]| {
            let all = pending(events, rules.deadlines(), &WorkCalendar::default(), d("2026-03-01"));
            let p = all.into_iter().find(|p| p.rule.id == "admission_approval").unwrap();
            (p.due.to_string(), p.status)
        };
        assert_eq!(approval(&events), ("2026-02-28".into(), Status::Overdue));
        events.push(Fact { kind: ApprovalExtended, date: d("2026-02-20"), months: Some(3) });
        // 第二十五条 "不得超过六个月" counts from the branch meeting: six months after 2025-11-30 is
        // 2026-05-30, the corresponding day, not three months after 2026-02-28.
        assert_eq!(approval(&events), ("2026-05-30".into(), Status::Upcoming), "six months from the branch meeting");
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
        let events = facts(&[(PrereviewPassed, "2025-11-01"), (AdmissionApproved, "2025-11-02")]);
        assert!(pending(&events, rules.deadlines(), &WorkCalendar::default(), d("2026-11-24")).is_empty());
    }

    const ACTIVIST: [(EventKind, &str); 3] =
        [(ApplicationReceived, "2025-03-01"), (ApplicantTalk, "2025-03-10"), (ActivistDetermined, "2025-05-31")];

    #[test]
    fn an_activist_is_reviewed_every_six_months_counted_from_the_latest_review_article_11() {
        assert_eq!(next("activist_review", &ACTIVIST, "2025-06-01"), Some(("2025-11-30".into(), Status::Upcoming)));
        assert_eq!(next("activist_review", &ACTIVIST, "2025-12-01"), Some(("2025-11-30".into(), Status::Overdue)));
        let reviewed = [ACTIVIST.as_slice(), &[(ActivistReview, "2025-11-20")]].concat();
        assert_eq!(next("activist_review", &reviewed, "2025-12-01"), Some(("2026-05-20".into(), Status::Upcoming)));
        let twice = [reviewed.as_slice(), &[(ActivistReview, "2026-05-10")]].concat();
        assert_eq!(next("activist_review", &twice, "2026-05-11"), Some(("2026-11-10".into(), Status::Upcoming)));
        let candidate = [twice.as_slice(), &[(CandidateDetermined, "2026-06-01")]].concat();
        assert_eq!(next("activist_review", &candidate, "2026-11-24"), None, "reviews end with the activist stage");
    }

    #[test]
    fn thought_reports_are_owed_every_quarter_until_conversion_by_practice() {
        assert_eq!(next("thought_report", &ACTIVIST, "2025-06-01"), Some(("2025-08-31".into(), Status::Upcoming)));
        assert_eq!(next("thought_report", &ACTIVIST, "2025-08-25"), Some(("2025-08-31".into(), Status::DueSoon)));
        let reported = [ACTIVIST.as_slice(), &[(ThoughtReport, "2025-08-30"), (ThoughtReport, "2025-07-01")]].concat();
        assert_eq!(next("thought_report", &reported, "2025-09-01"), Some(("2025-11-30".into(), Status::Upcoming)));
        let converted = [
            (ApplicationReceived, "2022-03-01"),
            (ActivistDetermined, "2022-05-31"),
            (CandidateDetermined, "2023-06-01"),
            (Admitted, "2024-06-01"),
            (ConversionMeeting, "2025-06-01"),
            (ConversionApproved, "2025-07-01"),
        ];
        assert_eq!(next("thought_report", &converted, "2026-11-24"), None);
        assert_eq!(next("thought_report", &[(ApplicationReceived, "2026-01-01")], "2026-11-24"), None);
    }

    #[test]
    fn the_branch_may_determine_a_candidate_after_five_working_days_of_publicity_article_13() {
        let rules = RuleSet::builtin(RuleSetId::Cpc2026);
        let events = [ACTIVIST.as_slice(), &[(CandidatePublicity, "2026-09-30")]].concat();
        let publicity = |cal: &WorkCalendar, as_of: &str| {
            let all = pending(&facts(&events), rules.deadlines(), cal, d(as_of));
            let p = all.into_iter().find(|p| p.rule.id == "candidate_publicity").unwrap();
            (p.due.to_string(), p.status, p.provisional)
        };
        let national_day = WorkCalendar::new(
            (1..=7)
                .map(|day| (d(&format!("2026-10-0{day}")), crate::workdays::DayKind::Holiday))
                .chain([(d("2026-10-10"), crate::workdays::DayKind::Workday)]),
            [2026],
        );
        assert_eq!(publicity(&national_day, "2026-10-12"), ("2026-10-13".into(), Status::NotYet, false));
        assert_eq!(publicity(&national_day, "2026-10-13"), ("2026-10-13".into(), Status::Open, false));
        // Without the year's calendar, weekdays are counted and the date is provisional.
        assert_eq!(publicity(&WorkCalendar::default(), "2026-10-01"), ("2026-10-07".into(), Status::NotYet, true));
        assert!(
            owed(&[events.as_slice(), &[(CandidateDetermined, "2026-10-13")]].concat(), "2026-10-14")
                .iter()
                .all(|(rule, _, _)| rule != "candidate_publicity")
        );
    }
}
