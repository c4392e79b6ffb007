//! Membership status (issue 17, part 1): a person out of the register leaves the working lists,
//! deadlines and branch life but keeps a readable file; statistics count the changes by their
//! dates; refusals change nothing; every change is audited and can be taken back.

use crate::common::d;
use crate::common::office::office;
use dangan_core::deadlines::DeadlineQuery;
use dangan_core::domain::{Id, MembershipStatus, Person, StatusChange};
use dangan_core::store::{AuditQuery, MemberQuery, StatusFilter};
use dangan_core::{Error, Store};

fn change(person_id: Id, status: MembershipStatus, date: &str, reason: Option<&str>) -> StatusChange {
    StatusChange { id: None, person_id, status, date: d(date), reason: reason.map(str::to_owned) }
}

/// A member from before the records (入党 2010), so a full member.
fn full_member(store: &mut Store, branch: Id, name: &str) -> Id {
    let person = Person { branch_id: branch, name: name.into(), joined_on: Some(d("2010-07-01")), ..Person::default() };
    store.save_person(person).unwrap().person.id.unwrap()
}

fn listed(store: &Store, status: Option<StatusFilter>) -> Vec<Id> {
    let query = MemberQuery { status, ..MemberQuery::all() };
    store.list_members(&query).unwrap().items.iter().map(|m| m.id).collect()
}

fn owes(store: &Store, member: Id) -> Vec<String> {
    let items = store.deadlines(&DeadlineQuery::default()).unwrap();
    items.iter().filter(|i| i.owner.member_id() == Some(member)).map(|i| i.rule.to_string()).collect()
}

#[test]
fn a_transferred_person_leaves_the_working_lists_and_keeps_a_readable_file() {
    let (mut office, _) = office();
    let (zhang, li) = (office.zhang, office.li);
    let store = &mut office.admin;
    assert!(owes(store, zhang).contains(&"application_talk".to_owned()), "the talk is owed before");

    let detail =
        store.change_status(change(zhang, MembershipStatus::TransferredOut, "2026-11-20", Some("转往外校"))).unwrap();
    assert_eq!(detail.status, MembershipStatus::TransferredOut);
    assert!(detail.deadlines.is_empty(), "an archived file owes nothing: {:?}", detail.deadlines);

    // The working list, the default, no longer has them; the archive and "all" do.
    assert_eq!(listed(store, None), vec![li]);
    assert_eq!(listed(store, Some(StatusFilter::Archived)), vec![zhang]);
    assert_eq!(listed(store, Some(StatusFilter::Only(MembershipStatus::TransferredOut))), vec![zhang]);
    let all = store.list_members(&MemberQuery { status: Some(StatusFilter::All), ..MemberQuery::all() }).unwrap();
    assert_eq!(all.total, 2);
    let row = all.items.iter().find(|m| m.id == zhang).unwrap();
    assert_eq!(row.status, MembershipStatus::TransferredOut);
    assert!(owes(store, zhang).is_empty(), "no deadline for someone out of the register");
    let dashboard = store.dashboard(None, None).unwrap();
    assert!(dashboard.urgent.iter().all(|i| i.owner.member_id() != Some(zhang)));

    // The file is still there to read, with its history.
    let file = store.member(zhang).unwrap();
    assert_eq!(file.person.name, "张三");
    assert_eq!(file.status_history.len(), 1);
    assert_eq!(file.status_history[0].reason.as_deref(), Some("转往外校"));

    // Audited, and taken back: the person returns to the lists and owes the talk again.
    let audit = store.audit_log(&AuditQuery { member_id: Some(zhang), ..AuditQuery::default() }).unwrap();
    assert!(audit.entries.iter().any(|e| e.entity == "status_changes" && e.action == "insert"));
    // An undo of a change no longer the latest (the user was shown another) takes nothing back.
    let shown = file.status_history[0].id.unwrap();
    let stale = store.undo_status_change(zhang, Some(shown + 1)).unwrap_err();
    assert!(stale.message(dangan_core::Lang::En).contains("no longer the one you were shown"), "{stale}");
    assert_eq!(store.member(zhang).unwrap().status_history.len(), 1, "nothing taken back");
    let back = store.undo_status_change(zhang, Some(shown)).unwrap();
    assert_eq!(back.status, MembershipStatus::InRegister);
    assert!(back.status_history.is_empty());
    assert_eq!(listed(store, None).len(), 2);
    assert!(owes(store, zhang).contains(&"application_talk".to_owned()));
}

#[test]
fn a_refused_change_names_its_field_and_changes_nothing() {
    let (mut office, _) = office();
    let zhang = office.zhang;
    let store = &mut office.admin;
    let audit_before = store.audit_log(&AuditQuery::default()).unwrap().total;
    let refused = |r: dangan_core::Result<_>| match r {
        Err(Error::InvalidInput { field, .. }) => field,
        other => panic!("expected a refusal, got {other:?}"),
    };
    // An applicant is not a probationary member, nor a member who can be removed.
    let cancel = change(zhang, MembershipStatus::ProbationCancelled, "2026-11-20", Some("x"));
    assert_eq!(refused(store.change_status(cancel)), "status");
    assert_eq!(
        refused(store.change_status(change(zhang, MembershipStatus::Removed, "2026-11-20", Some("x")))),
        "status"
    );
    // Tomorrow has not happened; nothing to take back yet.
    assert_eq!(refused(store.change_status(change(zhang, MembershipStatus::Deceased, "2026-11-25", None))), "date");
    assert_eq!(refused(store.undo_status_change(zhang, None)), "status");
    assert_eq!(store.status_history(zhang).unwrap(), vec![]);
    assert_eq!(store.audit_log(&AuditQuery::default()).unwrap().total, audit_before);
    assert_eq!(listed(store, None).len(), 2);
}

#[test]
fn a_suspended_member_no_longer_owes_organisational_life() {
    let (mut office, _) = office();
    let branch = office.branch_a;
    let store = &mut office.admin;
    let wang = full_member(store, branch, "王五");
    // Eight months without organisational life: flagged, then overdue (党章第九条).
    store.set_today(d("2027-07-24"));
    assert!(owes(store, wang).contains(&"party_life".to_owned()));
    store.change_status(change(wang, MembershipStatus::Suspended, "2027-07-01", Some("失去联系六个月"))).unwrap();
    assert!(owes(store, wang).is_empty());
    let hours = store.study_hours(2027, None).unwrap();
    assert!(hours.iter().all(|h| h.member_id != wang), "nor is asked for study hours");
}

#[test]
fn the_annual_report_counts_transfers_deaths_and_leaving_by_their_dates_and_balances() {
    let (mut office, _) = office();
    let branch = office.branch_a;
    let store = &mut office.admin;
    let moved = full_member(store, branch, "赵一");
    let died = full_member(store, branch, "钱二");
    let suspended = full_member(store, branch, "孙三");
    let stays = full_member(store, branch, "周四");
    store.change_status(change(moved, MembershipStatus::TransferredOut, "2026-05-01", Some("毕业去向单位"))).unwrap();
    store.change_status(change(died, MembershipStatus::Deceased, "2026-08-01", None)).unwrap();
    store.change_status(change(suspended, MembershipStatus::Suspended, "2026-09-01", Some("失联"))).unwrap();

    let report = store.annual_report(2026, None).unwrap();
    let changes = report.tables.iter().find(|t| t.id == "changes").unwrap();
    let row = changes.rows.iter().find(|r| r.key == branch.to_string()).unwrap();
    let value = |key: &str| {
        let at = changes.columns.iter().position(|c| c.key == key).unwrap();
        assert!(changes.columns[at].recorded, "{key} is counted now");
        row.values[at]
    };
    assert_eq!(value("members_start"), Some(4));
    assert_eq!(value("transferred_out"), Some(1));
    assert_eq!(value("died"), Some(1));
    assert_eq!(value("left"), Some(1), "a suspension leaves the count");
    assert_eq!(value("transferred_in"), Some(0));
    assert_eq!(value("members_end"), Some(1));
    assert!(report.check.ok, "start − out − died − left = end: {:?}", report.check);
    let _ = stays;

    // Lifting the suspension brings them back in, and the year still balances.
    store.change_status(change(suspended, MembershipStatus::InRegister, "2026-10-01", Some("恢复党籍"))).unwrap();
    let report = store.annual_report(2026, None).unwrap();
    let changes = report.tables.iter().find(|t| t.id == "changes").unwrap();
    let row = changes.rows.iter().find(|r| r.key == branch.to_string()).unwrap();
    let at = |key: &str| changes.columns.iter().position(|c| c.key == key).unwrap();
    assert_eq!(row.values[at("transferred_in")], Some(1));
    assert_eq!(row.values[at("members_end")], Some(2));
    assert!(report.check.ok, "{:?}", report.check);
}
