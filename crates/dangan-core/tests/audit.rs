//! The audit log: every change, by whom, when, field by field, written with the change itself.

use std::fs;
use std::ops::ControlFlow;

use crate::common::{TODAY, d, new_workspace};
use dangan_core::domain::{EventKind, OrgKind, Person, ProcedureEvent};
use dangan_core::roster::{self, ImportOptions};
use dangan_core::store::AuditQuery;

#[test]
fn a_changed_field_is_logged_with_who_what_and_the_old_and_new_value() {
    let (_dir, _ws, mut store) = new_workspace("测试党委");
    let committee = store.org_tree().unwrap().committee().unwrap().id;
    let branch = store.add_org_unit(committee, OrgKind::Branch, "第一党支部").unwrap().id;
    let mut zhang = store.save_person(Person { branch_id: branch, name: "张三".into(), ..Person::default() }).unwrap();
    let id = zhang.person.id.unwrap();
    zhang.person.phone = Some("13800000000".into());
    store.save_person(zhang.person).unwrap();

    let log = store.audit_log(&AuditQuery { member_id: Some(id), ..AuditQuery::default() }).unwrap();
    let newest = &log.entries[0];
    assert_eq!(newest.actor, "admin");
    assert_eq!((newest.entity.as_str(), newest.action.as_str()), ("people", "update"));
    assert_eq!(newest.field.as_deref(), Some("phone"));
    assert_eq!((newest.old.as_deref(), newest.new.as_deref()), (None, Some("13800000000")));
    assert_eq!(newest.member_name.as_deref(), Some("张三"));
    assert!(newest.at.starts_with(&chrono::Utc::now().format("%Y-%m-%d").to_string()), "{}", newest.at);
    // Only what changed: the save rewrote every column, but one differed.
    assert_eq!(log.entries.iter().filter(|e| e.action == "update").count(), 1);
    let created = log.entries.last().unwrap();
    assert_eq!(created.action, "insert");
    assert!(created.new.as_deref().unwrap().contains("\"name\":\"张三\""), "{created:?}");
}

#[test]
fn the_log_filters_by_member_user_and_kind_of_thing() {
    let (_dir, _ws, mut store) = new_workspace("测试党委");
    store.set_today(d(TODAY));
    let committee = store.org_tree().unwrap().committee().unwrap().id;
    let branch = store.add_org_unit(committee, OrgKind::Branch, "第一党支部").unwrap().id;
    let a = store.save_person(Person { branch_id: branch, name: "张三".into(), ..Person::default() }).unwrap();
    let b = store.save_person(Person { branch_id: branch, name: "李四".into(), ..Person::default() }).unwrap();
    let (a, b) = (a.person.id.unwrap(), b.person.id.unwrap());
    store.save_event(b, ProcedureEvent::new(EventKind::ApplicationReceived, d("2026-11-01"))).unwrap();

    let of_b = store.audit_log(&AuditQuery { member_id: Some(b), ..AuditQuery::default() }).unwrap();
    assert!(of_b.entries.iter().all(|e| e.member_id == Some(b)));
    assert!(of_b.entries.iter().any(|e| e.entity == "events"));
    let events = store.audit_log(&AuditQuery { entity: Some("events".into()), ..AuditQuery::default() }).unwrap();
    assert_eq!(events.total, 1);
    let of_a = store.audit_log(&AuditQuery { member_id: Some(a), ..AuditQuery::default() }).unwrap();
    assert_eq!(of_a.total, 1);
    let nobody = store.audit_log(&AuditQuery { actor: Some("someone".into()), ..AuditQuery::default() }).unwrap();
    assert_eq!(nobody.total, 0);
    let page = store.audit_log(&AuditQuery { limit: 2, offset: 1, ..AuditQuery::default() }).unwrap();
    assert_eq!(page.entries.len(), 2);
    assert_eq!(page.entries[0].seq, page.total as i64 - 1);
}

#[test]
fn a_refused_change_or_a_refused_import_leaves_no_entry() {
    let (dir, _ws, mut store) = new_workspace("测试党委");
    store.set_today(d(TODAY));
    let committee = store.org_tree().unwrap().committee().unwrap().id;
    store.add_org_unit(committee, OrgKind::Branch, "第一党支部").unwrap();
    let before = store.audit_log(&AuditQuery::default()).unwrap().total;

    let csv = dir.path().join("roster.csv");
    fs::write(&csv, "姓名,所在党支部,递交入党申请书日期\n王五,第一党支部,2026-10-01\n赵六,第一党支部,2027-13-40\n")
        .unwrap();
    let rejected =
        store.import_roster(roster::read(&csv).unwrap(), ImportOptions::default(), |_| ControlFlow::Continue(()));
    assert!(matches!(rejected, Err(dangan_core::Error::ImportRejected { .. })), "{rejected:?}");
    assert_eq!(store.audit_log(&AuditQuery::default()).unwrap().total, before);

    fs::write(&csv, "姓名,所在党支部,递交入党申请书日期\n王五,第一党支部,2026-10-01\n").unwrap();
    store.import_roster(roster::read(&csv).unwrap(), ImportOptions::default(), |_| ControlFlow::Continue(())).unwrap();
    // An import logs one entry per person: the person and their events together.
    let after = store.audit_log(&AuditQuery::default()).unwrap();
    let wang = after.entries.iter().find(|e| e.member_name.as_deref() == Some("王五")).unwrap();
    assert_eq!((wang.entity.as_str(), wang.action.as_str()), ("people", "insert"));
    assert!(wang.new.as_deref().unwrap().contains("application_received"), "{wang:?}");
    assert!(store.verify().unwrap().is_ok());
}

#[test]
fn verify_follows_the_whole_chain_and_the_export_carries_every_entry() {
    let (dir, _ws, mut store) = new_workspace("测试党委");
    let committee = store.org_tree().unwrap().committee().unwrap().id;
    store.add_org_unit(committee, OrgKind::Branch, "第一党支部").unwrap();
    let total = store.audit_log(&AuditQuery::default()).unwrap().total;
    let report = store.verify().unwrap();
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(report.audit_entries_checked, total);

    let out = dir.path().join("审计日志.csv");
    assert_eq!(store.export_audit_csv(&AuditQuery::default(), &out).unwrap(), total);
    let text = fs::read_to_string(&out).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert_eq!(text.lines().count() as u64, total + 1);
    assert!(text.contains("org_units") && text.contains("第一党支部"), "{text}");
}

#[test]
fn an_import_that_creates_branches_between_its_people_keeps_one_unbroken_chain() {
    let (dir, _ws, mut store) = new_workspace("测试党委");
    store.set_today(d(TODAY));
    let csv = dir.path().join("roster.csv");
    fs::write(
        &csv,
        "姓名,所在党支部,递交入党申请书日期\n甲,第一党支部,2026-10-01\n乙,第二党支部,2026-10-02\n丙,第一党支部,2026-10-03\n丁,数学学院党总支/第三党支部,2026-10-04\n",
    )
    .unwrap();
    store.import_roster(roster::read(&csv).unwrap(), ImportOptions::default(), |_| ControlFlow::Continue(())).unwrap();
    let log = store.audit_log(&AuditQuery::default()).unwrap();
    assert_eq!(log.entries.iter().filter(|e| e.entity == "people").count(), 4);
    assert_eq!(log.entries.iter().filter(|e| e.entity == "org_units" && e.action == "insert").count(), 5);
    let report = store.verify().unwrap();
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(report.audit_entries_checked, log.total);
}

/// An import suspends the triggers on people and events while it logs its own entries. However
/// it ends — refused, cancelled, or by a panic — an edit after it is logged.
#[test]
fn after_a_refused_cancelled_or_panicking_import_edits_are_still_audited() {
    let (dir, _ws, mut store) = new_workspace("测试党委");
    store.set_today(d(TODAY));
    let good = dir.path().join("good.csv");
    fs::write(&good, "姓名,所在党支部,递交入党申请书日期\n甲,第一党支部,2026-10-01\n").unwrap();
    store.import_roster(roster::read(&good).unwrap(), ImportOptions::default(), |_| ControlFlow::Continue(())).unwrap();
    let id = store.list_members(&dangan_core::store::MemberQuery::all()).unwrap().items[0].id;
    let bad = dir.path().join("bad.csv");
    fs::write(&bad, "姓名,所在党支部,递交入党申请书日期\n乙,第一党支部,2026-02-30\n").unwrap();
    let more = dir.path().join("more.csv");
    fs::write(&more, "姓名,所在党支部,递交入党申请书日期\n丙,第一党支部,2026-10-02\n").unwrap();

    let edits_logged = |store: &mut dangan_core::Store, phone: &str| {
        let mut person = store.member(id).unwrap().person;
        person.phone = Some(phone.into());
        store.save_person(person).unwrap();
        let log = store.audit_log(&AuditQuery { member_id: Some(id), ..AuditQuery::default() }).unwrap();
        assert_eq!(log.entries[0].field.as_deref(), Some("phone"), "{phone}: {:?}", log.entries[0]);
        assert_eq!(log.entries[0].new.as_deref(), Some(phone));
    };

    // Refused: a bad row.
    let refused =
        store.import_roster(roster::read(&bad).unwrap(), ImportOptions::default(), |_| ControlFlow::Continue(()));
    assert!(matches!(refused, Err(dangan_core::Error::ImportRejected { .. })), "{refused:?}");
    edits_logged(&mut store, "13800000001");

    // Cancelled.
    let cancelled =
        store.import_roster(roster::read(&more).unwrap(), ImportOptions::default(), |_| ControlFlow::Break(()));
    assert!(matches!(cancelled, Err(dangan_core::Error::Cancelled)), "{cancelled:?}");
    edits_logged(&mut store, "13800000002");

    // A panic inside the import (here, its progress callback), caught further up as the app's
    // blocking task is.
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        store.import_roster(roster::read(&more).unwrap(), ImportOptions::default(), |p| {
            assert!(p.done == 0 && p.waiting, "a deliberate panic inside the import");
            ControlFlow::Continue(())
        })
    }));
    assert!(panicked.is_err(), "the import panicked");
    edits_logged(&mut store, "13800000003");
    assert!(store.verify().unwrap().is_ok());
    assert_eq!(store.count_people().unwrap(), 1, "none of the three imports added anyone");
}
