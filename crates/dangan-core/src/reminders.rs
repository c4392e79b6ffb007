//! Reminders: which pending deadlines have newly reached a threshold (one of the rule's lead times,
//! or overdue), and the desktop notifications that say so.
//!
//! A reminder goes out once per item and threshold: the store records each one as its notice is
//! delivered (`Store::deliver_reminders`), so a restart or a second check the same day sends
//! nothing new, and a failure part-way sends again only what was not delivered. Only the most urgent threshold reached is sent: an item first seen three
//! days before its due day gets the 7-day reminder, not the 30-day one too. Earliest dates send
//! nothing, and an item the worker snoozed or acknowledged stays silent.

use serde::Serialize;

use crate::calendar::{self, Date};
use crate::deadlines::{DeadlineItem, Owner, Status};
use crate::domain::Id;
use crate::{Lang, Text};

/// Above this many new reminders at once, one grouped notification replaces them.
pub const GROUP_ABOVE: usize = 3;

/// The point in an item's life a reminder marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Threshold {
    /// The due day is this many days away or fewer.
    Lead(u32),
    Overdue,
}

impl Threshold {
    /// The threshold an item has reached as of a day, if any: the smallest lead time not yet
    /// passed, or overdue.
    pub fn reached(due: Date, lead_days: &[u32], as_of: Date) -> Option<Threshold> {
        let left = (due - as_of).num_days();
        if left < 0 {
            return Some(Threshold::Overdue);
        }
        lead_days.iter().copied().filter(|&lead| left <= i64::from(lead)).min().map(Threshold::Lead)
    }

    /// As stored: the lead time in days, or -1 for overdue. Smaller is more urgent.
    pub fn code(self) -> i64 {
        match self {
            Threshold::Lead(days) => i64::from(days),
            Threshold::Overdue => -1,
        }
    }

    /// Whether reaching this threshold is news, given the most urgent one a reminder of the same
    /// item already marked (its code), if any.
    pub fn is_new(self, sent: Option<i64>) -> bool {
        sent.is_none_or(|code| code > self.code())
    }
}

/// Sends `due` as notices in `lang` through `send`, calling `mark` with each notice's reminders
/// the moment it is delivered. A failure stops there: what was delivered stays marked, the rest
/// is tried again next time. Returns what was delivered. Both stores deliver through it.
pub(crate) fn deliver(
    due: &[Reminder],
    lang: Lang,
    as_of: Date,
    mut send: impl FnMut(&Notice) -> crate::Result<()>,
    mut mark: impl FnMut(&[Reminder]) -> crate::Result<()>,
) -> crate::Result<Vec<Reminder>> {
    let mut delivered = Vec::new();
    for notice in notices(due, lang, as_of) {
        send(&notice)?;
        let covered: Vec<Reminder> = notice.covers.iter().filter_map(|&i| due.get(i).cloned()).collect();
        mark(&covered)?;
        delivered.extend(covered);
    }
    Ok(delivered)
}

/// An item to remind the worker of, and why now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reminder {
    #[serde(flatten)]
    pub item: DeadlineItem,
    pub threshold: Threshold,
}

/// One desktop notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub summary: String,
    pub body: String,
    /// The member a click opens; `None` for a unit's or a grouped notice.
    pub member_id: Option<Id>,
    /// The unit whose organisational life a click opens, for a meeting it owes.
    pub unit_id: Option<Id>,
    /// Which of the reminders it was made from it tells of (indexes), so that delivering it
    /// records exactly those as sent.
    #[serde(skip)]
    pub covers: Vec<usize>,
}

fn when(item: &DeadlineItem, as_of: Date) -> Text {
    let due_zh = calendar::format_zh(item.due);
    let left = item.days_left(as_of);
    match item.status {
        Status::Overdue => Text::new(
            format!("已逾期 {} 天（应于{due_zh}前完成）", -left),
            format!("overdue by {} day(s) (due {})", -left, item.due),
        ),
        _ if left == 0 => Text::new(format!("今天到期（{due_zh}）"), format!("due today ({})", item.due)),
        _ => Text::new(format!("还有 {left} 天到期（{due_zh}）"), format!("due in {left} day(s) ({})", item.due)),
    }
}

/// The notifications for a batch of new reminders: one each, or one grouped notice when there are
/// more than [`GROUP_ABOVE`], giving the counts and the first names.
pub fn notices(reminders: &[Reminder], lang: Lang, as_of: Date) -> Vec<Notice> {
    if reminders.len() <= GROUP_ABOVE {
        return reminders
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let item = &r.item;
                let step = Text::new(&*item.rule_name_zh, &*item.rule_name_en);
                let when = when(item, as_of);
                let (summary, body, unit_id) = match &item.owner {
                    Owner::Member { name, .. } => (
                        Text::new(format!("入党工作提醒：{name}"), format!("Dangan reminder: {name}")),
                        Text::new(
                            format!("{} · {} · {}", step.zh, when.zh, item.branch),
                            format!("{} · {} · {}", step.en, when.en, item.branch),
                        ),
                        None,
                    ),
                    // The register's: the entry's number and the rule, never what it says; a click
                    // opens the app, not a unit's organisational life.
                    Owner::Unit { complaint_id: Some(_), .. } => (
                        Text::new(
                            format!("信访举报提醒：{}", item.owner.display_name()),
                            format!("Complaints register: {}", item.owner.display_name()),
                        ),
                        Text::new(format!("{} · {}", step.zh, when.zh), format!("{} · {}", step.en, when.en)),
                        None,
                    ),
                    Owner::Unit { unit_id, .. } => {
                        let owner = item.owner.display_name();
                        (
                            Text::new(format!("组织生活提醒：{owner}"), format!("Dangan reminder: {owner}")),
                            Text::new(format!("{} · {}", step.zh, when.zh), format!("{} · {}", step.en, when.en)),
                            Some(*unit_id),
                        )
                    }
                };
                Notice {
                    summary: summary.get(lang).to_owned(),
                    body: body.get(lang).to_owned(),
                    member_id: item.owner.member_id(),
                    unit_id,
                    covers: vec![i],
                }
            })
            .collect();
    }
    let overdue = reminders.iter().filter(|r| r.threshold == Threshold::Overdue).count();
    let soon = reminders.len() - overdue;
    let mut names: Vec<String> = Vec::new();
    for r in reminders {
        let name = r.item.owner.display_name();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let first: Vec<&str> = names.iter().map(String::as_str).take(3).collect();
    let summary = Text::new(
        format!("入党工作提醒：{} 项待办", reminders.len()),
        format!("Dangan: {} items need attention", reminders.len()),
    );
    let more = names.len() > first.len();
    let body = Text::new(
        format!("{}{}：{overdue} 项已逾期，{soon} 项即将到期", first.join("、"), if more { "等" } else { "" }),
        format!("{}{}: {overdue} overdue, {soon} due soon", first.join(", "), if more { " and others" } else { "" }),
    );
    vec![Notice {
        summary: summary.get(lang).to_owned(),
        body: body.get(lang).to_owned(),
        member_id: None,
        unit_id: None,
        covers: (0..reminders.len()).collect(),
    }]
}

/// Where a user's reminders come from and are recorded as sent: a workspace, or their own rows on
/// a shared server. Both shells remind through it (`dangan remind`, the app's daily check).
pub trait Reminding {
    /// The reminders not sent yet as of a day.
    fn due(&mut self, as_of: Date) -> crate::Result<Vec<Reminder>>;
    /// Sends them through `send`, recording each as sent once delivered.
    fn deliver(
        &mut self,
        as_of: Date,
        lang: crate::Lang,
        send: impl FnMut(&Notice) -> crate::Result<()>,
    ) -> crate::Result<Vec<Reminder>>;
}

impl Reminding for crate::Session {
    fn due(&mut self, as_of: Date) -> crate::Result<Vec<Reminder>> {
        self.reminders_due(Some(as_of))
    }
    fn deliver(
        &mut self,
        as_of: Date,
        lang: crate::Lang,
        send: impl FnMut(&Notice) -> crate::Result<()>,
    ) -> crate::Result<Vec<Reminder>> {
        self.deliver_reminders(Some(as_of), lang, send)
    }
}

impl Reminding for crate::server::ServerSession {
    fn due(&mut self, as_of: Date) -> crate::Result<Vec<Reminder>> {
        self.reminders_due(Some(as_of))
    }
    fn deliver(
        &mut self,
        as_of: Date,
        lang: crate::Lang,
        send: impl FnMut(&Notice) -> crate::Result<()>,
    ) -> crate::Result<Vec<Reminder>> {
        self.deliver_reminders(Some(as_of), lang, send)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::EventKind;
    use crate::rules::DeadlineKind;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn the_threshold_is_the_tightest_lead_time_reached_or_overdue() {
        let leads = [30, 7, 1];
        let due = d("2026-12-31");
        assert_eq!(Threshold::reached(due, &leads, d("2026-11-30")), None, "31 days ahead");
        assert_eq!(Threshold::reached(due, &leads, d("2026-12-01")), Some(Threshold::Lead(30)));
        assert_eq!(Threshold::reached(due, &leads, d("2026-12-24")), Some(Threshold::Lead(7)));
        assert_eq!(Threshold::reached(due, &leads, d("2026-12-30")), Some(Threshold::Lead(1)));
        assert_eq!(Threshold::reached(due, &leads, d("2026-12-31")), Some(Threshold::Lead(1)), "the due day");
        assert_eq!(Threshold::reached(due, &leads, d("2027-01-01")), Some(Threshold::Overdue));
    }

    fn reminder(name: &str, due: &str, status: Status, threshold: Threshold) -> Reminder {
        Reminder {
            item: DeadlineItem {
                owner: Owner::Member { member_id: 7, name: name.into(), done_by: Some(EventKind::ConversionMeeting) },
                branch_id: 2,
                branch: "第一党支部".into(),
                rule: "conversion_due".into(),
                rule_name_zh: "预备期满，讨论转正".into(),
                rule_name_en: "Probation ends: conversion meeting".into(),
                kind: DeadlineKind::Deadline,
                due: d(due),
                status,
                clause: "《中国共产党发展党员工作细则》第三十一条".into(),
                clause_en: "Rules on Recruiting Party Members, Art. 31".into(),
                provisional: false,
                acknowledged: false,
                snoozed_until: None,
            },
            threshold,
        }
    }

    #[test]
    fn a_notice_names_the_member_the_step_and_the_date() {
        let soon = reminder("张三", "2026-12-01", Status::DueSoon, Threshold::Lead(7));
        let notices = notices(&[soon], Lang::Zh, d("2026-11-24"));
        assert_eq!(notices[0].summary, "入党工作提醒：张三");
        assert_eq!(notices[0].body, "预备期满，讨论转正 · 还有 7 天到期（2026年12月1日） · 第一党支部");
        assert_eq!(notices[0].member_id, Some(7));
        let late = reminder("张三", "2026-11-20", Status::Overdue, Threshold::Overdue);
        let en = super::notices(&[late], Lang::En, d("2026-11-24"));
        assert_eq!(
            en[0].body,
            "Probation ends: conversion meeting · overdue by 4 day(s) (due 2026-11-20) · 第一党支部"
        );
    }

    #[test]
    fn more_than_three_at_once_are_grouped_with_the_counts_and_first_names() {
        let batch: Vec<Reminder> = ["张三", "李四", "王五", "赵六"]
            .iter()
            .enumerate()
            .map(|(i, n)| {
                if i == 0 {
                    reminder(n, "2026-11-20", Status::Overdue, Threshold::Overdue)
                } else {
                    reminder(n, "2026-12-01", Status::DueSoon, Threshold::Lead(7))
                }
            })
            .collect();
        let grouped = notices(&batch, Lang::Zh, d("2026-11-24"));
        assert_eq!(grouped.len(), 1);
        assert_eq!(grouped[0].summary, "入党工作提醒：4 项待办");
        assert_eq!(grouped[0].body, "张三、李四、王五等：1 项已逾期，3 项即将到期");
        assert_eq!(grouped[0].member_id, None);
        assert_eq!(notices(&batch[..3], Lang::Zh, d("2026-11-24")).len(), 3);
    }
}
