//! The deadline engine as an office uses it: items appear from recorded events and go when the
//! step that satisfies them is recorded; the worker snoozes or acknowledges them; an office loads
//! its own rule file and the official holiday calendar.

#![allow(clippy::unwrap_used)]

use dangan_core::deadlines::{DeadlineItem, DeadlineQuery, Status};
use dangan_core::domain::{EventKind, OrgKind, Person, ProcedureEvent};
use dangan_core::workdays::{CalendarDay, DayKind};
use dangan_core::{Error, Store, Workspace};

mod common;
use common::{PASSPHRASE, d, new_workspace};

struct Office {
    _dir: tempfile::TempDir,
    ws: Workspace,
    store: Store,
    branch: i64,
    other_branch: i64,
}

fn office() -> Office {
    let (dir, ws, mut store) = new_workspace("中共测试大学委员会");
    let committee = store.org_tree().unwrap().committee().unwrap().id;
    let branch = store.add_org_unit(committee, OrgKind::Branch, "第一党支部").unwrap().id;
    let other_branch = store.add_org_unit(committee, OrgKind::Branch, "第二党支部").unwrap().id;
    Office { _dir: dir, ws, store, branch, other_branch }
}

impl Office {
    fn add(&mut self, branch: i64, name: &str, events: &[(EventKind, &str)]) -> i64 {
        let person =
            Person { branch_id: branch, name: name.into(), birth_date: Some(d("2004-05-01")), ..Person::default() };
        let id = self.store.save_person(person).unwrap().person.id.unwrap();
        for (kind, date) in events {
            self.record(id, *kind, date);
        }
        id
    }

    fn record(&mut self, id: i64, kind: EventKind, date: &str) {
        self.store.save_event(id, ProcedureEvent::new(kind, d(date))).unwrap();
    }

    fn items(&self, query: DeadlineQuery) -> Vec<DeadlineItem> {
        self.store.deadlines(&query).unwrap()
    }

    /// `(name, rule, due, status)` of every item as of today.
    fn listed(&self) -> Vec<(String, String, String, Status)> {
        self.items(DeadlineQuery::default())
            .into_iter()
            .map(|i| (i.name, i.rule, i.due.to_string(), i.status))
            .collect()
    }
}

fn row(name: &str, rule: &str, due: &str, status: Status) -> (String, String, String, Status) {
    (name.into(), rule.into(), due.into(), status)
}

#[test]
fn recording_the_step_that_satisfies_a_deadline_removes_it_at_once() {
    let mut o = office();
    let zhang = o.add(o.branch, "张三", &[(EventKind::ApplicationReceived, "2026-10-20")]);
    assert_eq!(o.listed(), [row("张三", "application_talk", "2026-11-20", Status::Overdue)]);
    o.record(zhang, EventKind::ApplicantTalk, "2026-11-21");
    assert!(o.listed().is_empty(), "the talk satisfies the item");
    o.store.delete_event(zhang, o.store.member(zhang).unwrap().events[1].id.unwrap()).unwrap();
    assert_eq!(o.listed().len(), 1, "deleting the talk brings the item back");
}

#[test]
fn each_item_names_its_rule_clause_and_the_step_that_satisfies_it() {
    let mut o = office();
    let li = o.add(
        o.branch,
        "李四",
        &[
            (EventKind::ApplicationReceived, "2023-01-01"),
            (EventKind::ApplicantTalk, "2023-01-10"),
            (EventKind::ActivistDetermined, "2023-03-01"),
            (EventKind::CandidateDetermined, "2024-03-01"),
            (EventKind::PoliticalReview, "2025-10-01"),
            (EventKind::CentralisedTraining, "2025-10-10"),
            (EventKind::PrereviewPassed, "2025-11-01"),
            (EventKind::Admitted, "2025-11-30"),
            (EventKind::AdmissionApproved, "2026-01-10"),
            (EventKind::Oath, "2026-01-20"),
            (EventKind::ThoughtReport, "2026-10-01"),
        ],
    );
    let items = o.items(DeadlineQuery { member_id: Some(li), ..Default::default() });
    let conversion = items.iter().find(|i| i.rule == "conversion_due").unwrap();
    assert_eq!(conversion.due, d("2026-11-30"));
    assert_eq!(conversion.status, Status::DueSoon);
    assert_eq!(conversion.clause, "《中国共产党发展党员工作细则》第三十一条");
    assert_eq!(conversion.done_by, EventKind::ConversionMeeting);
    assert_eq!(conversion.branch, "第一党支部");
    let report = items.iter().find(|i| i.rule == "thought_report").unwrap();
    assert_eq!(report.due, d("2027-01-01"));
    assert!(report.clause.starts_with("工作惯例"), "a practice is not cited as an article: {}", report.clause);
}

#[test]
fn a_snoozed_item_returns_on_its_day_and_an_acknowledged_one_stays_away_until_its_due_day_changes() {
    let mut o = office();
    let zhang = o.add(o.branch, "张三", &[(EventKind::ApplicationReceived, "2026-10-20")]);
    let wang = o.add(o.branch, "王五", &[(EventKind::ApplicationReceived, "2026-11-01")]);

    o.store.dismiss_deadline(zhang, "application_talk", d("2026-11-20"), Some(d("2026-11-27"))).unwrap();
    assert_eq!(o.listed(), [row("王五", "application_talk", "2026-12-01", Status::DueSoon)]);
    let on_the_day = o.items(DeadlineQuery { as_of: Some(d("2026-11-27")), ..Default::default() });
    assert_eq!(on_the_day.len(), 2, "the snooze ends on its day");
    let everything = o.items(DeadlineQuery { include_dismissed: true, ..Default::default() });
    assert_eq!(everything[0].snoozed_until, Some(d("2026-11-27")));

    o.store.dismiss_deadline(wang, "application_talk", d("2026-12-01"), None).unwrap();
    let dashboard = o.store.dashboard(None, None).unwrap();
    assert_eq!((dashboard.totals.overdue, dashboard.totals.due_soon, dashboard.dismissed), (0, 0, 2));

    // A corrected application date gives a new due day: the acknowledgement was for the old one.
    let event = o.store.member(wang).unwrap().events[0].clone();
    o.store.save_event(wang, ProcedureEvent { date: d("2026-11-02"), ..event }).unwrap();
    assert_eq!(o.listed(), [row("王五", "application_talk", "2026-12-02", Status::DueSoon)]);

    o.store.restore_deadline(zhang, "application_talk", d("2026-11-20")).unwrap();
    assert_eq!(o.listed().len(), 2);
}

#[test]
fn only_a_pending_item_can_be_set_aside_and_only_until_a_later_day() {
    let mut o = office();
    let zhang = o.add(o.branch, "张三", &[(EventKind::ApplicationReceived, "2026-10-20")]);
    let wrong_day = o.store.dismiss_deadline(zhang, "application_talk", d("2026-11-21"), None).unwrap_err();
    assert!(matches!(wrong_day, Error::NotFound { .. }), "{wrong_day:?}");
    let past = o.store.dismiss_deadline(zhang, "application_talk", d("2026-11-20"), Some(d("2026-11-24"))).unwrap_err();
    assert!(matches!(past, Error::InvalidInput { ref field, .. } if field == "until"), "{past:?}");
    assert_eq!(o.listed().len(), 1, "nothing was set aside");
}

#[test]
fn the_dashboard_counts_by_branch_and_puts_the_longest_overdue_first() {
    let mut o = office();
    o.add(o.branch, "张三", &[(EventKind::ApplicationReceived, "2026-10-20")]);
    o.add(o.branch, "赵六", &[(EventKind::ApplicationReceived, "2026-09-01")]);
    o.add(o.other_branch, "王五", &[(EventKind::ApplicationReceived, "2026-11-10")]);
    let dashboard = o.store.dashboard(None, None).unwrap();
    assert_eq!((dashboard.totals.overdue, dashboard.totals.due_soon), (2, 1));
    let names: Vec<&str> = dashboard.urgent.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["赵六", "张三", "王五"]);
    let branches: Vec<(&str, u32, u32)> =
        dashboard.branches.iter().map(|b| (b.branch.as_str(), b.counts.overdue, b.counts.due_soon)).collect();
    assert_eq!(branches, [("第一党支部", 2, 0), ("第二党支部", 0, 1)]);
    let one = o.store.dashboard(None, Some(o.other_branch)).unwrap();
    assert_eq!(one.urgent_total, 1);
}

#[test]
fn an_office_rule_file_changes_a_rule_and_survives_reopening() {
    let mut o = office();
    o.add(
        o.branch,
        "张三",
        &[
            (EventKind::ApplicationReceived, "2026-01-05"),
            (EventKind::ApplicantTalk, "2026-01-20"),
            (EventKind::ActivistDetermined, "2026-03-01"),
            (EventKind::ThoughtReport, "2026-10-01"),
        ],
    );
    let due =
        |o: &Office| o.items(DeadlineQuery::default()).into_iter().find(|i| i.rule == "thought_report").map(|i| i.due);
    assert_eq!(due(&o), Some(d("2027-01-01")));

    let bad = "[[deadline]]\nid = \"thought_report\"\nmonths = 0\n";
    let err = o.store.load_rules(bad).unwrap_err().message(dangan_core::Lang::Zh);
    assert!(err.contains("thought_report") && err.contains("月数"), "{err}");
    let unknown_event = "[[deadline]]\nid = \"thought_report\"\ndone_by = \"report\"\n";
    let err = o.store.load_rules(unknown_event).unwrap_err();
    assert!(matches!(err, dangan_core::Error::RuleFile { .. }), "{err:?}");
    assert!(err.message(dangan_core::Lang::En).contains("thought_report"), "the entry is named: {err}");
    assert_eq!(due(&o), Some(d("2027-01-01")), "a refused file changes nothing");

    let monthly = "# 本校：每两个月一次\n[[deadline]]\nid = \"thought_report\"\nmonths = 2\n\n[[deadline]]\nid = \"activist_review\"\ndisabled = true\n";
    o.store.load_rules(monthly).unwrap();
    assert_eq!(due(&o), Some(d("2026-12-01")));
    assert!(!o.items(DeadlineQuery::default()).iter().any(|i| i.rule == "activist_review"));

    drop(o.store);
    let mut store = o.ws.open(PASSPHRASE).unwrap();
    store.set_today(d("2026-11-24"));
    assert!(store.rules().is_overridden());
    let items = store.deadlines(&DeadlineQuery::default()).unwrap();
    assert_eq!(items.iter().find(|i| i.rule == "thought_report").unwrap().due, d("2026-12-01"));
    store.reset_rules().unwrap();
    let items = store.deadlines(&DeadlineQuery::default()).unwrap();
    assert_eq!(items.iter().find(|i| i.rule == "thought_report").unwrap().due, d("2027-01-01"));
}

#[test]
fn the_official_calendar_moves_working_day_dates_and_settles_provisional_ones() {
    let mut o = office();
    o.add(
        o.branch,
        "张三",
        &[
            (EventKind::ApplicationReceived, "2025-01-05"),
            (EventKind::ApplicantTalk, "2025-01-20"),
            (EventKind::ActivistDetermined, "2025-03-01"),
            (EventKind::CandidatePublicity, "2026-09-30"),
        ],
    );
    let publicity = |o: &Office| {
        let items = o.items(DeadlineQuery { as_of: Some(d("2026-10-01")), ..Default::default() });
        let item = items.into_iter().find(|i| i.rule == "candidate_publicity").unwrap();
        (item.due, item.provisional)
    };
    assert_eq!(publicity(&o), (d("2026-10-07"), true));
    let mut days: Vec<CalendarDay> = (1..=7)
        .map(|day| CalendarDay {
            date: d(&format!("2026-10-0{day}")),
            kind: DayKind::Holiday,
            name: Some("国庆节".into()),
        })
        .collect();
    days.push(CalendarDay { date: d("2026-10-10"), kind: DayKind::Workday, name: None });
    assert_eq!(o.store.set_holidays(&days).unwrap(), [2026]);
    assert_eq!(publicity(&o), (d("2026-10-13"), false));
    assert_eq!(o.store.holidays().unwrap().0.len(), 8);
}

#[test]
fn a_reminder_goes_out_once_per_threshold_and_never_for_a_set_aside_item() {
    let mut o = office();
    let zhang = o.add(o.branch, "张三", &[(EventKind::ApplicationReceived, "2026-11-20")]); // due 2026-12-20
    o.add(o.branch, "李四", &[(EventKind::ApplicationReceived, "2026-11-01")]); // due 2026-12-01
    let due_on = |o: &Office, day: &str| -> Vec<(String, i64)> {
        o.store.reminders_due(Some(d(day))).unwrap().into_iter().map(|r| (r.item.name, r.threshold.code())).collect()
    };
    assert_eq!(due_on(&o, "2026-11-24"), [("李四".into(), 7), ("张三".into(), 30)], "only the tightest threshold");
    let sent = o.store.reminders_due(Some(d("2026-11-24"))).unwrap();
    o.store.mark_reminded(&sent, d("2026-11-24")).unwrap();
    assert!(due_on(&o, "2026-11-24").is_empty(), "a second check the same day sends nothing");
    assert!(due_on(&o, "2026-11-25").is_empty(), "nor the next day");
    assert_eq!(due_on(&o, "2026-11-30"), [("李四".into(), 1)]);
    assert_eq!(due_on(&o, "2026-12-02"), [("李四".into(), -1)], "overdue");

    o.store.dismiss_deadline(zhang, "application_talk", d("2026-12-20"), None).unwrap();
    assert!(due_on(&o, "2026-12-14").iter().all(|(name, _)| name != "张三"), "acknowledged items stay silent");

    // The record survives reopening the workspace.
    drop(o.store);
    let store = o.ws.open(PASSPHRASE).unwrap();
    let names: Vec<String> =
        store.reminders_due(Some(d("2026-11-24"))).unwrap().into_iter().map(|r| r.item.name).collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn within_leaves_out_earliest_dates_that_opened_before_and_set_aside_items_can_be_listed_alone() {
    let mut o = office();
    let zhang = o.add(
        o.branch,
        "张三",
        &[
            (EventKind::ApplicationReceived, "2024-01-05"),
            (EventKind::ApplicantTalk, "2024-01-20"),
            (EventKind::ActivistDetermined, "2024-03-01"),
            (EventKind::ActivistReview, "2026-09-01"),
            (EventKind::ThoughtReport, "2026-11-01"),
        ],
    );
    let rules = |o: &Office, q: DeadlineQuery| -> Vec<String> { o.items(q).into_iter().map(|i| i.rule).collect() };
    assert!(rules(&o, DeadlineQuery::default()).contains(&"candidate_eligible".to_owned()), "open since 2025-03-01");
    assert!(rules(&o, DeadlineQuery { within: Some(30), ..Default::default() }).is_empty(), "nothing is due soon");
    o.store.dismiss_deadline(zhang, "thought_report", d("2027-02-01"), None).unwrap();
    assert_eq!(rules(&o, DeadlineQuery { only_dismissed: true, ..Default::default() }), ["thought_report"]);
}

#[test]
fn a_delivery_that_fails_part_way_sends_again_only_what_was_not_delivered() {
    let mut o = office();
    o.add(o.branch, "张三", &[(EventKind::ApplicationReceived, "2026-10-01")]);
    o.add(o.branch, "李四", &[(EventKind::ApplicationReceived, "2026-10-02")]);
    let mut sent = Vec::new();
    let err = o
        .store
        .deliver_reminders(Some(d("2026-11-24")), dangan_core::Lang::Zh, |notice| {
            if sent.is_empty() {
                sent.push(notice.summary.clone());
                Ok(())
            } else {
                Err(Error::NotificationsUnavailable { reason: dangan_core::Text::new("断开", "gone") })
            }
        })
        .unwrap_err();
    assert!(matches!(err, Error::NotificationsUnavailable { .. }));
    assert_eq!(sent, ["入党工作提醒：张三"]);
    let again = o.store.deliver_reminders(Some(d("2026-11-24")), dangan_core::Lang::Zh, |_| Ok(())).unwrap();
    let names: Vec<String> = again.into_iter().map(|r| r.item.name).collect();
    assert_eq!(names, ["李四"], "张三's reminder was delivered and is not sent twice");
}
