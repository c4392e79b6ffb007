//! A unit's year of organisational life as the 组织生活 screen's grid: for each kind of meeting
//! the unit owes (`meeting_rules.rs`), each period of the year, whether a meeting was held in it,
//! is owed now, was missed, is still to come, or lies before the unit's tracking began. The same
//! rules make the worklist's owed-meeting items; this is their history and their plan.

use serde::Serialize;

use crate::Text;
use crate::calendar::Date;
use crate::domain::{Id, MeetingKind};
use crate::meeting_rules::{MeetingRule, OwedBy};

/// How one period of one kind of meeting stands.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodState {
    /// At least one meeting of the kind was held in the period.
    Held,
    /// The period is under way and none is held yet.
    Owed,
    /// The period ended without one.
    Missed,
    /// The period has not begun.
    Upcoming,
    /// The period ended before the unit's tracking began: nothing was owed.
    Untracked,
}

/// One period of a row.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanPeriod {
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub from: Date,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub to: Date,
    /// How many months of the year it spans (1, 3, 12, …): the grid's column span.
    pub months: u32,
    pub state: PeriodState,
    /// The meetings held in it (their ids).
    #[cfg_attr(feature = "typescript", ts(type = "number[]"))]
    pub meetings: Vec<Id>,
}

/// One kind of meeting owed by the unit, or by one of its party groups.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanRow {
    pub kind: MeetingKind,
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub group_id: Option<Id>,
    pub group: Option<String>,
    pub rule_name_zh: String,
    pub rule_name_en: String,
    pub clause: String,
    pub clause_en: String,
    pub periods: Vec<PlanPeriod>,
}

/// A unit's year.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LifePlan {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub unit_id: Id,
    pub unit: String,
    pub year: i32,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub as_of: Date,
    /// The day the unit owes meetings from.
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub tracked_from: Option<Date>,
    pub rows: Vec<PlanRow>,
}

/// A held meeting, as the plan reads it.
#[derive(Debug, Clone, Copy)]
pub struct HeldMeeting {
    pub id: Id,
    pub kind: MeetingKind,
    pub group_id: Option<Id>,
    pub date: Date,
}

/// What the plan of a unit's year is made from.
pub struct PlanInput<'a> {
    pub unit_id: Id,
    pub unit: String,
    pub year: i32,
    pub as_of: Date,
    pub tracked_from: Option<Date>,
    /// The unit's party groups: id, name, and the day each owes its meetings from (it owes none
    /// before the unit's day either).
    pub groups: &'a [(Id, String, Option<Date>)],
    /// The meetings the unit held in the year.
    pub held: &'a [HeldMeeting],
    pub rules: &'a [MeetingRule],
}

/// The grid of a unit's year.
pub fn plan(input: &PlanInput<'_>) -> LifePlan {
    let mut rows = Vec::new();
    for rule in input.rules {
        let owers: Vec<(Option<Id>, Option<String>, Option<Date>)> = match rule.owed_by {
            OwedBy::Branch => vec![(None, None, input.tracked_from)],
            OwedBy::Group => input
                .groups
                .iter()
                .map(|(id, name, from)| {
                    let tracked = match (input.tracked_from, *from) {
                        (Some(unit), Some(group)) => Some(unit.max(group)),
                        (unit, _) => unit,
                    };
                    (Some(*id), Some(name.clone()), tracked)
                })
                .collect(),
        };
        for (group_id, group, tracked_from) in owers {
            let held: Vec<&HeldMeeting> = input
                .held
                .iter()
                .filter(|m| m.kind == rule.kind && (rule.owed_by == OwedBy::Branch || m.group_id == group_id))
                .collect();
            rows.push(PlanRow {
                kind: rule.kind,
                group_id,
                group,
                rule_name_zh: rule.name.zh.clone(),
                rule_name_en: rule.name.en.clone(),
                clause: rule.clause.zh.clone(),
                clause_en: rule.clause.en.clone(),
                periods: periods(rule, input.year, input.as_of, tracked_from, &held),
            });
        }
    }
    LifePlan {
        unit_id: input.unit_id,
        unit: input.unit.clone(),
        year: input.year,
        as_of: input.as_of,
        tracked_from: input.tracked_from,
        rows,
    }
}

fn periods(
    rule: &MeetingRule,
    year: i32,
    as_of: Date,
    tracked_from: Option<Date>,
    held: &[&HeldMeeting],
) -> Vec<PlanPeriod> {
    let Some(mut start) = Date::from_ymd_opt(year, 1, 1) else { return Vec::new() };
    let tracked = tracked_from.map(|from| rule.period_of(from).0);
    let mut out = Vec::new();
    while chrono::Datelike::year(&start) == year {
        let (from, to) = rule.period_of(start);
        let meetings: Vec<Id> = held.iter().filter(|m| (from..=to).contains(&m.date)).map(|m| m.id).collect();
        let state = if !meetings.is_empty() {
            PeriodState::Held
        } else if tracked.is_none_or(|t| from < t) {
            PeriodState::Untracked
        } else if to < as_of {
            PeriodState::Missed
        } else if from <= as_of {
            PeriodState::Owed
        } else {
            PeriodState::Upcoming
        };
        out.push(PlanPeriod { from, to, months: rule.months, state, meetings });
        match to.succ_opt() {
            Some(next) => start = next,
            None => break,
        }
    }
    out
}

impl LifePlan {
    /// The row of a kind (and group), for tests and the CLI.
    pub fn row(&self, kind: MeetingKind, group_id: Option<Id>) -> Option<&PlanRow> {
        self.rows.iter().find(|r| r.kind == kind && r.group_id == group_id)
    }
}

impl PlanRow {
    pub fn name(&self) -> Text {
        Text::new(self.rule_name_zh.clone(), self.rule_name_en.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn states(plan: &LifePlan, kind: MeetingKind, group: Option<Id>) -> Vec<PeriodState> {
        plan.row(kind, group).unwrap().periods.iter().map(|p| p.state).collect()
    }

    #[test]
    fn a_year_shows_each_period_held_missed_owed_upcoming_or_before_tracking() {
        use PeriodState::*;
        let held = [
            HeldMeeting { id: 1, kind: MeetingKind::CommitteeMeeting, group_id: None, date: d("2026-03-10") },
            HeldMeeting { id: 2, kind: MeetingKind::CommitteeMeeting, group_id: None, date: d("2026-05-02") },
            HeldMeeting { id: 3, kind: MeetingKind::GroupMeeting, group_id: Some(7), date: d("2026-04-01") },
            HeldMeeting { id: 4, kind: MeetingKind::GeneralMeeting, group_id: None, date: d("2026-08-30") },
        ];
        let groups = [(7, "第一党小组".to_owned(), None), (8, "第二党小组".to_owned(), Some(d("2026-05-10")))];
        let plan = plan(&PlanInput {
            unit_id: 3,
            unit: "第一党支部".into(),
            year: 2026,
            as_of: d("2026-06-15"),
            tracked_from: Some(d("2026-03-05")),
            groups: &groups,
            held: &held,
            rules: crate::meeting_rules::shipped(),
        });
        assert_eq!(
            states(&plan, MeetingKind::CommitteeMeeting, None),
            [
                Untracked, Untracked, Held, Missed, Held, Owed, Upcoming, Upcoming, Upcoming, Upcoming, Upcoming,
                Upcoming
            ]
        );
        assert_eq!(states(&plan, MeetingKind::GeneralMeeting, None), [Missed, Owed, Held, Upcoming]);
        assert_eq!(states(&plan, MeetingKind::GroupMeeting, Some(7))[3], Held);
        assert_eq!(states(&plan, MeetingKind::GroupMeeting, Some(8))[4], Missed, "each group owes its own");
        assert_eq!(states(&plan, MeetingKind::GroupMeeting, Some(8))[3], Untracked, "made in May: nothing before");
        assert_eq!(states(&plan, MeetingKind::LifeMeeting, None), [Owed]);
        let general = plan.row(MeetingKind::GeneralMeeting, None).unwrap();
        assert_eq!((general.periods[2].from, general.periods[2].to), (d("2026-07-01"), d("2026-09-30")));
        assert_eq!(general.periods[2].meetings, [4]);
    }
}
