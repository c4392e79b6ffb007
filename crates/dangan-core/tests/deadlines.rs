//! The deadline engine as an office uses it: items appear from recorded events and go when the
//! step that satisfies them is recorded; the worker snoozes or acknowledges them; an office loads
//! its own rule file and the official holiday calendar.

use dangan_core::deadlines::{DeadlineItem, DeadlineQuery, Owner, OwnerKind, Status};
use dangan_core::domain::{EventKind, OrgKind, Person, ProcedureEvent};
use dangan_core::workdays::{CalendarDay, DayKind};
use dangan_core::{Error, Store, Workspace};

use crate::common::{PASSPHRASE, d, new_workspace};

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
            .map(|i| (i.owner.display_name(), i.rule.to_string(), i.due.to_string(), i.status))
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
    let conversion = items.iter().find(|i| &*i.rule == "conversion_due").unwrap();
    assert_eq!(conversion.due, d("2026-11-30"));
    assert_eq!(conversion.status, Status::DueSoon);
    assert_eq!(&*conversion.clause, "《中国共产党发展党员工作细则》第三十一条");
    assert!(matches!(conversion.owner, Owner::Member { done_by: Some(EventKind::ConversionMeeting), .. }));
    assert_eq!(&*conversion.branch, "第一党支部");
    let report = items.iter().find(|i| &*i.rule == "thought_report").unwrap();
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
    let names: Vec<String> = dashboard.urgent.iter().map(|i| i.owner.display_name()).collect();
    assert_eq!(names, ["赵六", "张三", "王五"]);
    let branches: Vec<(&str, u32, u32)> =
        dashboard.branches.iter().map(|b| (b.branch.as_str(), b.counts.overdue, b.counts.due_soon)).collect();
    assert_eq!(branches, [("第一党支部", 2, 0), ("第二党支部", 0, 1)]);
    let one = o.store.dashboard(None, Some(o.other_branch)).unwrap();
    assert_eq!(one.urgent_total, 1);

    // A shared server's dashboard is made of its listed items (`Dashboard::of_items`): the same
    // counts, units and order as the workspace's scan gives.
    let items = o.items(DeadlineQuery { as_of: Some(dashboard.as_of), ..DeadlineQuery::default() });
    let order: Vec<i64> = o.store.org_tree().unwrap().units().iter().map(|u| u.id).collect();
    let of_items = dangan_core::deadlines::Dashboard::of_items(dashboard.as_of, items, &order);
    assert_eq!(of_items, dashboard);
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
    let due = |o: &Office| {
        o.items(DeadlineQuery::default()).into_iter().find(|i| &*i.rule == "thought_report").map(|i| i.due)
    };
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
    assert!(!o.items(DeadlineQuery::default()).iter().any(|i| &*i.rule == "activist_review"));

    drop(o.store);
    let mut store = o.ws.open(PASSPHRASE).unwrap();
    store.set_today(d("2026-11-24"));
    assert!(store.rules().is_overridden());
    let items = store.deadlines(&DeadlineQuery::default()).unwrap();
    assert_eq!(items.iter().find(|i| &*i.rule == "thought_report").unwrap().due, d("2026-12-01"));
    store.reset_rules().unwrap();
    let items = store.deadlines(&DeadlineQuery::default()).unwrap();
    assert_eq!(items.iter().find(|i| &*i.rule == "thought_report").unwrap().due, d("2027-01-01"));
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
        let item = items.into_iter().find(|i| &*i.rule == "candidate_publicity").unwrap();
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
        o.store
            .reminders_due(Some(d(day)))
            .unwrap()
            .into_iter()
            .map(|r| (r.item.owner.display_name(), r.threshold.code()))
            .collect()
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
        store.reminders_due(Some(d("2026-11-24"))).unwrap().into_iter().map(|r| r.item.owner.display_name()).collect();
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
    let rules =
        |o: &Office, q: DeadlineQuery| -> Vec<String> { o.items(q).into_iter().map(|i| i.rule.to_string()).collect() };
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
    let names: Vec<String> = again.into_iter().map(|r| r.item.owner.display_name()).collect();
    assert_eq!(names, ["李四"], "张三's reminder was delivered and is not sent twice");
}

/// A full member of `branch` since 2010, so that the branch owes its meetings.
fn member_since_2010(o: &mut Office, branch: i64, name: &str) -> i64 {
    let person = Person {
        branch_id: branch,
        name: name.into(),
        birth_date: Some(d("1985-05-01")),
        joined_on: Some(d("2010-07-01")),
        ..Person::default()
    };
    o.store.save_person(person).unwrap().person.id.unwrap()
}

/// The meetings units owe, as `(unit, rule, due, status)`.
fn owed_meetings(o: &Office, as_of: &str) -> Vec<(String, String, String, Status)> {
    let query = DeadlineQuery { as_of: Some(d(as_of)), owed_by: Some(OwnerKind::Unit), ..Default::default() };
    o.items(query)
        .into_iter()
        .map(|i| (i.owner.display_name(), i.rule.to_string(), i.due.to_string(), i.status))
        .collect()
}

#[test]
fn a_branch_with_members_owes_its_meetings_from_the_day_it_was_made_and_a_recorded_one_clears_the_item() {
    let mut o = office(); // today is 2026-11-24: both branches were made then
    assert!(owed_meetings(&o, "2026-11-24").is_empty(), "no members yet, no organisational life owed");
    let branch = o.branch;
    member_since_2010(&mut o, branch, "老党员");
    let owed = owed_meetings(&o, "2026-11-24");
    let rules: Vec<&str> = owed.iter().map(|(_, rule, _, _)| rule.as_str()).collect();
    assert_eq!(rules, ["committee_meeting", "theme_day", "general_meeting", "life_meeting", "party_lecture"]);
    assert!(owed.iter().all(|(unit, ..)| unit == "第一党支部"), "{owed:?}");
    assert!(owed.contains(&row("第一党支部", "committee_meeting", "2026-11-30", Status::DueSoon)));

    let meeting = dangan_core::domain::Meeting {
        version: None,
        id: None,
        unit_id: o.branch,
        group_id: None,
        kind: dangan_core::domain::MeetingKind::CommitteeMeeting,
        date: d("2026-11-20"),
        held: true,
        place: None,
        chair: None,
        recorder: None,
        topic: None,
        minutes: None,
        decisions: None,
        study_minutes: 0,
        guests: None,
    };
    let saved = o.store.save_meeting(meeting.clone(), &[]).unwrap();
    assert!(owed_meetings(&o, "2026-11-24").contains(&row(
        "第一党支部",
        "committee_meeting",
        "2026-12-31",
        Status::Upcoming
    )));
    // Moved back to October, it no longer counts for November.
    let moved = dangan_core::domain::Meeting { id: saved.meeting.id, date: d("2026-10-20"), ..meeting };
    o.store.save_meeting(moved, &[]).unwrap();
    assert!(owed_meetings(&o, "2026-11-24").contains(&row(
        "第一党支部",
        "committee_meeting",
        "2026-11-30",
        Status::DueSoon
    )));
    o.store.delete_meeting(saved.meeting.id.unwrap()).unwrap();
    assert!(owed_meetings(&o, "2026-11-24").contains(&row(
        "第一党支部",
        "committee_meeting",
        "2026-11-30",
        Status::DueSoon
    )));

    // The dashboard counts them per branch, beside the members' items.
    let dashboard = o.store.dashboard(Some(d("2026-11-24")), None).unwrap();
    let first = dashboard.branches.iter().find(|b| b.branch_id == o.branch).unwrap();
    assert_eq!(first.counts.due_soon, 2, "the committee meeting and the theme day of November");
    assert!(dashboard.branches.iter().all(|b| b.branch_id != o.other_branch), "no members there: nothing owed");
}

#[test]
fn an_owed_meeting_is_reminded_once_set_aside_like_a_members_item_and_both_survive_reopening() {
    let mut o = office();
    let branch = o.branch;
    member_since_2010(&mut o, branch, "老党员");
    let unit_reminders = |o: &Office, day: &str| -> Vec<(String, i64)> {
        o.store
            .reminders_due(Some(d(day)))
            .unwrap()
            .into_iter()
            .filter(|r| r.item.owner.member_id().is_none())
            .map(|r| (r.item.rule.to_string(), r.threshold.code()))
            .collect()
    };
    assert_eq!(unit_reminders(&o, "2026-11-24"), [("committee_meeting".into(), 7), ("theme_day".into(), 7)]);
    let notices = dangan_core::reminders::notices(
        &o.store.reminders_due(Some(d("2026-11-24"))).unwrap(),
        dangan_core::Lang::Zh,
        d("2026-11-24"),
    );
    assert!(notices.iter().any(|n| n.summary.contains("第一党支部")), "{notices:?}");
    let sent = o.store.reminders_due(Some(d("2026-11-24"))).unwrap();
    o.store.mark_reminded(&sent, d("2026-11-24")).unwrap();
    assert!(unit_reminders(&o, "2026-11-25").is_empty(), "sent once");
    assert_eq!(
        unit_reminders(&o, "2026-12-01"),
        [("committee_meeting".into(), -1), ("theme_day".into(), -1), ("life_meeting".into(), 30)],
        "November's are overdue; the year's life meeting is a month away"
    );

    o.store.dismiss_unit_deadline(o.branch, None, "theme_day", d("2026-11-30"), None).unwrap();
    assert_eq!(
        unit_reminders(&o, "2026-12-01"),
        [("committee_meeting".into(), -1), ("life_meeting".into(), 30)],
        "acknowledged: silent"
    );
    let listed = o.items(DeadlineQuery { owed_by: Some(OwnerKind::Unit), only_dismissed: true, ..Default::default() });
    assert_eq!(listed.len(), 1);
    assert!(listed[0].acknowledged);
    // An item that is not pending cannot be set aside, and a past snooze is refused.
    let err = o.store.dismiss_unit_deadline(o.branch, None, "theme_day", d("2027-01-31"), None).unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert!(
        o.store
            .dismiss_unit_deadline(o.branch, None, "committee_meeting", d("2026-11-30"), Some(d("2026-11-01")))
            .is_err()
    );

    drop(o.store);
    let mut store = o.ws.open(PASSPHRASE).unwrap();
    store.set_today(d("2026-11-24"));
    let sent: Vec<(String, i64)> = store
        .reminders_due(Some(d("2026-11-25")))
        .unwrap()
        .into_iter()
        .filter(|r| r.item.owner.member_id().is_none())
        .map(|r| (r.item.rule.to_string(), r.threshold.code()))
        .collect();
    assert!(sent.is_empty(), "what was sent is remembered: {sent:?}");
    store.restore_unit_deadline(o.branch, None, "theme_day", d("2026-11-30")).unwrap();
    let back = store.deadlines(&DeadlineQuery { owed_by: Some(OwnerKind::Unit), ..Default::default() }).unwrap();
    assert!(back.iter().any(|i| &*i.rule == "theme_day" && !i.acknowledged));
}

#[test]
fn an_office_may_ask_for_a_party_lecture_each_half_year_or_drop_a_frequency() {
    let mut o = office();
    let branch = o.branch;
    member_since_2010(&mut o, branch, "老党员");
    let due_of = |o: &Office, rule: &str| {
        owed_meetings(o, "2026-11-24").into_iter().find(|(_, r, _, _)| r == rule).map(|(_, _, due, _)| due)
    };
    // Tracked since July, a lecture held in August: the fourth quarter's is owed...
    o.store.set_life_from(branch, d("2026-07-01")).unwrap();
    let lecture = dangan_core::domain::Meeting {
        kind: dangan_core::domain::MeetingKind::PartyLecture,
        ..committee_meeting(branch, "2026-08-15")
    };
    o.store.save_meeting(lecture, &[]).unwrap();
    assert_eq!(due_of(&o, "party_lecture").as_deref(), Some("2026-12-31"));
    o.store
        .load_rules("[[meeting]]\nkind = \"party_lecture\"\nmonths = 6\n\n[[meeting]]\nkind = \"life_meeting\"\ndisabled = true\n")
        .unwrap();
    // ...while each half year's lecture, August's covering the second half, is owed next in June.
    assert_eq!(due_of(&o, "party_lecture").as_deref(), Some("2027-06-30"), "a lecture each half year");
    assert_eq!(due_of(&o, "life_meeting"), None, "dropped by the office");
    let err = o.store.load_rules("[[meeting]]\nkind = \"theme_day\"\nmonths = 5\n").unwrap_err();
    assert!(err.to_string().contains("theme_day"), "{err}");
    assert_eq!(due_of(&o, "life_meeting"), None, "a refused file changes nothing");
}

fn committee_meeting(unit: i64, date: &str) -> dangan_core::domain::Meeting {
    dangan_core::domain::Meeting {
        version: None,
        id: None,
        unit_id: unit,
        group_id: None,
        kind: dangan_core::domain::MeetingKind::CommitteeMeeting,
        date: d(date),
        held: true,
        place: None,
        chair: None,
        recorder: None,
        topic: None,
        minutes: None,
        decisions: None,
        study_minutes: 0,
        guests: None,
    }
}

/// A member's `party_life` item as `(due, status)`, as of a day.
fn absence(o: &Office, member: i64, as_of: &str) -> Option<(String, Status)> {
    let query = DeadlineQuery { as_of: Some(d(as_of)), member_id: Some(member), ..Default::default() };
    o.items(query).into_iter().find(|i| &*i.rule == "party_life").map(|i| (i.due.to_string(), i.status))
}

#[test]
fn a_member_without_party_life_is_flagged_at_three_months_and_overdue_at_six_party_constitution_article_9() {
    use dangan_core::domain::{Attendance, Attendee};
    let mut o = office(); // the branch's life is tracked from 2026-11-24
    let branch = o.branch;
    let wang = member_since_2010(&mut o, branch, "王老");
    assert_eq!(absence(&o, wang, "2027-02-23"), None, "under three months: not flagged");
    assert_eq!(absence(&o, wang, "2027-02-24"), Some(("2027-05-24".into(), Status::DueSoon)));
    assert_eq!(absence(&o, wang, "2027-05-25"), Some(("2027-05-24".into(), Status::Overdue)));
    let item = o
        .items(DeadlineQuery { as_of: Some(d("2027-05-25")), member_id: Some(wang), ..Default::default() })
        .into_iter()
        .find(|i| &*i.rule == "party_life")
        .unwrap();
    assert_eq!(&*item.clause, "《中国共产党章程》第九条");
    assert!(matches!(item.owner, Owner::Member { done_by: None, .. }));

    // Absent from a meeting: still counting. Excused (on leave): counts as taking part.
    o.store.set_today(d("2027-03-10"));
    let absent = [Attendee { person_id: wang, attendance: Attendance::Absent, reason: None }];
    o.store.save_meeting(committee_meeting(branch, "2027-03-01"), &absent).unwrap();
    assert_eq!(absence(&o, wang, "2027-05-25"), Some(("2027-05-24".into(), Status::Overdue)));
    // On leave without a reason: not good reason, still counting.
    let unexcused = [Attendee { person_id: wang, attendance: Attendance::Leave, reason: None }];
    o.store.save_meeting(committee_meeting(branch, "2027-03-03"), &unexcused).unwrap();
    assert_eq!(absence(&o, wang, "2027-05-25"), Some(("2027-05-24".into(), Status::Overdue)));
    // The member's own page shows it too.
    o.store.set_today(d("2027-05-25"));
    let detail = o.store.member(wang).unwrap();
    assert!(
        detail.deadlines.iter().any(|i| &*i.rule == "party_life" && i.status == Status::Overdue),
        "{:?}",
        detail.deadlines
    );
    o.store.set_today(d("2027-03-10"));
    let leave = [Attendee { person_id: wang, attendance: Attendance::Leave, reason: Some("出差".into()) }];
    o.store.save_meeting(committee_meeting(branch, "2027-03-05"), &leave).unwrap();
    assert_eq!(absence(&o, wang, "2027-05-25"), None);
    assert_eq!(absence(&o, wang, "2027-06-05"), Some(("2027-09-05".into(), Status::DueSoon)));
    // The same after reopening: the index is read from the attendance.
    drop(o.store);
    let store = o.ws.open(PASSPHRASE).unwrap();
    let query = DeadlineQuery { as_of: Some(d("2027-06-05")), member_id: Some(wang), ..Default::default() };
    let due: Vec<String> = store
        .deadlines(&query)
        .unwrap()
        .into_iter()
        .filter(|i| &*i.rule == "party_life")
        .map(|i| i.due.to_string())
        .collect();
    assert_eq!(due, ["2027-09-05"]);
}

/// `(due, status)` of the items of one rule that units owe.
fn unit_items(o: &Office, rule: &str) -> Vec<(String, Status)> {
    let query = DeadlineQuery { owed_by: Some(OwnerKind::Unit), ..Default::default() };
    o.items(query).into_iter().filter(|i| &*i.rule == rule).map(|i| (i.due.to_string(), i.status)).collect()
}

/// `person` the branch's secretary since 2024-01-10.
fn secretary_since_2024(branch: i64, person: i64) -> dangan_core::domain::PostHeld {
    dangan_core::domain::PostHeld {
        id: None,
        unit_id: branch,
        person_id: person,
        post: dangan_core::domain::CommitteePost::Secretary,
        since: d("2024-01-10"),
        until: None,
    }
}

#[test]
fn a_committees_term_ends_three_years_after_its_secretary_took_the_post_and_a_new_one_starts_the_next() {
    use dangan_core::domain::PostHeld;
    let mut o = office();
    let branch = o.branch;
    let secretary = member_since_2010(&mut o, branch, "李书记");
    let term = |o: &Office| unit_items(o, "committee_term");
    assert!(term(&o).is_empty(), "no committee recorded, no term to end");
    let post = secretary_since_2024(branch, secretary);
    let held = o.store.save_post(post.clone()).unwrap();
    assert_eq!(term(&o), [("2027-01-10".into(), Status::DueSoon)], "ninety days ahead it is due soon");
    o.store.save_post(PostHeld { id: held.held.id, until: Some(d("2026-11-20")), ..post.clone() }).unwrap();
    o.store.save_post(PostHeld { since: d("2026-11-21"), ..post }).unwrap();
    assert_eq!(term(&o), [("2029-11-21".into(), Status::Upcoming)], "the election starts the next term");
}

#[test]
fn passing_a_class_records_every_trainees_step_or_none_when_one_would_break_their_procedure() {
    use dangan_core::domain::{ClassKind, ClassSession, TraineeResult, TrainingClass};
    let mut o = office();
    let branch = o.branch;
    let candidate = [
        (EventKind::ApplicationReceived, "2023-03-01"),
        (EventKind::ApplicantTalk, "2023-03-10"),
        (EventKind::ActivistDetermined, "2023-09-01"),
        (EventKind::CandidateDetermined, "2026-09-01"),
    ];
    let chen = o.add(branch, "陈明", &candidate);
    // An activist, not yet a development target: the step would come before their determination.
    let liu = o.add(branch, "刘洋", &candidate[..3]);
    let days = ["2026-10-10", "2026-10-11", "2026-10-12"];
    let class = TrainingClass {
        version: None,
        id: None,
        unit_id: branch,
        kind: ClassKind::CandidateClass,
        name: "发展对象培训班".into(),
        starts: d(days[0]),
        ends: d(days[2]),
        sessions: days.iter().map(|day| ClassSession { id: None, date: d(day), minutes: 480, topic: None }).collect(),
    };
    let record = o.store.save_class(class).unwrap();
    let id = record.class.id.unwrap();
    o.store.enrol(id, &[chen, liu]).unwrap();
    for session in &record.class.sessions {
        o.store.set_session_attendance(session.id.unwrap(), &[chen, liu]).unwrap();
    }
    let passed = |person| TraineeResult { person_id: person, score: Some(90), passed: Some(true) };
    o.store.set_results(id, &[passed(chen), passed(liu)]).unwrap();
    let err = o.store.record_training_steps(id).unwrap_err().message(dangan_core::Lang::Zh);
    assert!(err.contains("刘洋"), "{err}");
    let trained =
        |o: &Office, who| o.store.member(who).unwrap().events.iter().any(|e| e.kind == EventKind::CentralisedTraining);
    assert!(!trained(&o, chen), "refused whole: nobody's step was recorded");
    o.store.set_results(id, &[TraineeResult { person_id: liu, score: Some(90), passed: Some(false) }]).unwrap();
    assert_eq!(o.store.record_training_steps(id).unwrap(), [chen]);
    assert!(trained(&o, chen) && !trained(&o, liu));
    assert!(o.store.record_training_steps(id).unwrap().is_empty(), "a second time records nothing twice");
}

#[test]
fn a_party_group_meeting_names_its_group() {
    let mut o = office();
    let branch = o.branch;
    let meeting = dangan_core::domain::Meeting {
        kind: dangan_core::domain::MeetingKind::GroupMeeting,
        ..committee_meeting(branch, "2026-11-10")
    };
    let err = o.store.save_meeting(meeting, &[]).unwrap_err();
    assert!(matches!(&err, Error::InvalidInput { field, .. } if field == "group_id"), "{err:?}");
}

#[test]
fn the_secretary_gives_a_party_lecture_each_year_and_only_their_own_counts() {
    use dangan_core::domain::MeetingKind;
    let mut o = office(); // today 2026-11-24, the branch tracked from then
    let branch = o.branch;
    let secretary = member_since_2010(&mut o, branch, "李书记");
    let lecture = |o: &Office| unit_items(o, "secretary_lecture");
    assert!(lecture(&o).is_empty(), "no secretary, no secretary's lecture");
    let post = secretary_since_2024(branch, secretary);
    o.store.save_post(post).unwrap();
    assert_eq!(lecture(&o), [("2026-12-31".into(), Status::Upcoming)], "this year's, 37 days ahead");
    // A lecture given by someone else does not count; the secretary's own does.
    let given_by = |chair: &str, date: &str| dangan_core::domain::Meeting {
        kind: MeetingKind::PartyLecture,
        chair: Some(chair.into()),
        ..committee_meeting(branch, date)
    };
    o.store.save_meeting(given_by("王老师", "2026-11-10"), &[]).unwrap();
    assert_eq!(lecture(&o)[0].0, "2026-12-31");
    o.store.save_meeting(given_by("李书记", "2026-11-20"), &[]).unwrap();
    assert_eq!(lecture(&o), [("2027-12-31".into(), Status::Upcoming)]);
    // The same after reopening (read from the register, not only noted in memory).
    drop(o.store);
    let mut store = o.ws.open(PASSPHRASE).unwrap();
    store.set_today(d("2026-11-24"));
    let again = store.deadlines(&DeadlineQuery { owed_by: Some(OwnerKind::Unit), ..Default::default() }).unwrap();
    let due: Vec<String> =
        again.into_iter().filter(|i| &*i.rule == "secretary_lecture").map(|i| i.due.to_string()).collect();
    assert_eq!(due, ["2027-12-31"]);
}
