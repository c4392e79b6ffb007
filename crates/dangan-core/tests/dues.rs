//! Party dues (issue 17, part 3) through the store: a member's base from a month on, payments and
//! deferrals that keep the ledger unbroken, arrears as a deadline item citing 党章第九条, a branch's
//! summary for a month, and every refusal naming its field and changing nothing.

use crate::common::d;
use crate::common::office::office;
use dangan_core::deadlines::{DeadlineQuery, Status};
use dangan_core::domain::{DuesCategory, EventKind, Id, MembershipStatus, Person, ProcedureEvent, StatusChange};
use dangan_core::dues::Month;
use dangan_core::store::{DuesBase, DuesPayment};
use dangan_core::{Error, Store};

fn m(s: &str) -> Month {
    Month::parse(s).unwrap()
}

fn full_member(store: &mut Store, branch: Id, name: &str) -> Id {
    let person = Person { branch_id: branch, name: name.into(), joined_on: Some(d("2010-07-01")), ..Person::default() };
    store.save_person(person).unwrap().person.id.unwrap()
}

fn base(person_id: Id, category: DuesCategory, yuan: i64, from: &str) -> DuesBase {
    DuesBase { person_id, category, base_fen: yuan * 100, from_month: m(from) }
}

fn paid(person_id: Id, from: &str, months: u32, on: &str) -> DuesPayment {
    DuesPayment { person_id, from_month: m(from), months, paid_on: Some(d(on)), paid_by: None, deferred: None }
}

fn refused_field<T: std::fmt::Debug>(r: dangan_core::Result<T>) -> (String, String) {
    match r {
        Err(Error::InvalidInput { field, reason }) => (field, reason.en),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn arrears_item(store: &Store, member: Id) -> Option<(String, Status, String)> {
    let query = DeadlineQuery { member_id: Some(member), ..DeadlineQuery::default() };
    store
        .deadlines(&query)
        .unwrap()
        .into_iter()
        .find(|i| &*i.rule == "dues_arrears")
        .map(|i| (i.due.to_string(), i.status, i.clause.to_string()))
}

#[test]
fn a_ledger_stays_unbroken_and_each_month_is_paid_once() {
    let (mut office, _) = office();
    let store = &mut office.admin;
    let wang = full_member(store, office.branch_a, "王五");
    let ledger = store.set_dues_base(base(wang, DuesCategory::Salaried, 4200, "2026-01")).unwrap();
    // January to October are behind (November is this month), 42.00 each.
    assert_eq!(ledger.months_behind, 10);
    assert_eq!(ledger.owed_fen, 42_000);
    assert_eq!(ledger.months.len(), 11);
    assert_eq!(ledger.paid_through, None);

    let ledger = store.record_dues(paid(wang, "2026-01", 3, "2026-03-31")).unwrap();
    assert_eq!(ledger.paid_through, Some(m("2026-03")));
    assert_eq!(ledger.months[0].paid_fen, Some(4200));
    assert_eq!(ledger.months_behind, 7);

    // A month already paid; a month after a gap; a payment with neither day nor reason.
    let (field, why) = refused_field(store.record_dues(paid(wang, "2026-03", 2, "2026-04-30")));
    assert_eq!(field, "from");
    assert!(why.contains("2026-03 is already paid"), "{why}");
    let (_, why) = refused_field(store.record_dues(paid(wang, "2026-05", 1, "2026-05-31")));
    assert!(why.contains("2026-04 is not paid yet"), "{why}");
    let neither = DuesPayment { paid_on: None, ..paid(wang, "2026-04", 1, "2026-04-30") };
    assert_eq!(refused_field(store.record_dues(neither)).0, "deferred");
    assert_eq!(store.dues_ledger(wang).unwrap().paid_through, Some(m("2026-03")), "nothing changed");

    // April deferred with the branch's approval, then May on; a rise from July at 1.5 %.
    let deferred = DuesPayment {
        paid_on: None,
        deferred: Some("家庭困难，经支部同意缓交".into()),
        ..paid(wang, "2026-04", 1, "2026-04-30")
    };
    store.record_dues(deferred).unwrap();
    store.set_dues_base(base(wang, DuesCategory::Salaried, 6000, "2026-07")).unwrap();
    let ledger = store.record_dues(paid(wang, "2026-05", 4, "2026-08-31")).unwrap();
    assert_eq!(ledger.paid_through, Some(m("2026-08")));
    let fen = |month: &str| ledger.months.iter().find(|l| l.month == m(month)).unwrap().paid_fen;
    assert_eq!((fen("2026-06"), fen("2026-07")), (Some(4200), Some(9000)));
    // The deferred month is paid later, in place.
    let ledger = store.record_dues(paid(wang, "2026-04", 1, "2026-11-20")).unwrap();
    let april = ledger.months.iter().find(|l| l.month == m("2026-04")).unwrap();
    assert_eq!((april.paid_fen, april.deferred.as_deref()), (Some(4200), None));
    // Taking back the latest month, as the ledger showed it: once another worker has recorded a
    // later month, the undo of the month the user saw is refused and takes nothing back (it took
    // the other worker's month before).
    store.record_dues(paid(wang, "2026-09", 1, "2026-11-21")).unwrap();
    let err = store.undo_dues_month(wang, Some(m("2026-08"))).unwrap_err();
    assert!(
        err.message(dangan_core::Lang::En).contains("the latest month recorded is now 2026-09, not 2026-08"),
        "{err}"
    );
    assert_eq!(store.dues_ledger(wang).unwrap().paid_through, Some(m("2026-09")), "nothing taken back");
    let ledger = store.undo_dues_month(wang, Some(m("2026-09"))).unwrap();
    assert_eq!(ledger.paid_through, Some(m("2026-08")));
    let ledger = store.undo_dues_month(wang, None).unwrap();
    assert_eq!(ledger.paid_through, Some(m("2026-07")));
}

#[test]
fn arrears_are_flagged_at_three_months_and_overdue_at_six() {
    let (mut office, _) = office();
    let store = &mut office.admin;
    let wang = full_member(store, office.branch_a, "王五");
    store.set_dues_base(base(wang, DuesCategory::Student, 0, "2026-01")).unwrap();
    store.record_dues(paid(wang, "2026-01", 5, "2026-05-10")).unwrap();
    // June to October unpaid on 2026-11-24: flagged, overdue from 2026-12-01.
    let (due, status, clause) = arrears_item(store, wang).unwrap();
    assert_eq!((due.as_str(), status), ("2026-12-01", Status::DueSoon));
    assert_eq!(clause, "《中国共产党章程》第九条");
    let arrears = store.dues_arrears(None).unwrap();
    assert_eq!(arrears.len(), 1);
    assert_eq!((arrears[0].months_behind, arrears[0].owed_fen), (5, 100));
    store.set_today(d("2026-12-02"));
    assert_eq!(arrears_item(store, wang).unwrap().1, Status::Overdue);
    // Paying up to date clears it.
    store.record_dues(paid(wang, "2026-06", 6, "2026-12-02")).unwrap();
    assert_eq!(arrears_item(store, wang), None);
    assert!(store.dues_arrears(None).unwrap().is_empty());
}

#[test]
fn only_members_in_the_register_pay_and_probationers_from_their_admission() {
    let (mut office, _) = office();
    let zhang = office.zhang;
    let store = &mut office.admin;
    // An applicant pays no dues yet.
    assert_eq!(refused_field(store.set_dues_base(base(zhang, DuesCategory::Student, 0, "2026-11"))).0, "member");
    // A probationary member admitted on 2026-05-10 pays from May, not April.
    let li = store
        .save_person(Person { branch_id: office.branch_a, name: "李预备".into(), ..Person::default() })
        .unwrap()
        .person
        .id
        .unwrap();
    for (kind, day) in [
        (EventKind::ApplicationReceived, "2024-03-01"),
        (EventKind::ApplicantTalk, "2024-03-20"),
        (EventKind::ActivistDetermined, "2024-04-01"),
        (EventKind::CandidateDetermined, "2025-05-01"),
        (EventKind::Admitted, "2026-05-10"),
    ] {
        store.save_event(li, ProcedureEvent::new(kind, d(day))).unwrap();
    }
    assert_eq!(store.member(li).unwrap().stage, dangan_core::domain::Stage::Probationary);
    let (field, why) = refused_field(store.set_dues_base(base(li, DuesCategory::Student, 0, "2026-04")));
    assert_eq!(field, "from");
    assert!(why.contains("2026-05"), "{why}");
    store.set_dues_base(base(li, DuesCategory::Student, 0, "2026-05")).unwrap();
    // A negative base is refused by the rules.
    let wang = full_member(store, office.branch_a, "王五");
    let negative = DuesBase { base_fen: -1, ..base(wang, DuesCategory::Salaried, 0, "2026-01") };
    assert_eq!(refused_field(store.set_dues_base(negative)).0, "base");
    // Someone transferred out has no arrears and takes no payment.
    store.set_dues_base(base(wang, DuesCategory::Salaried, 3000, "2026-01")).unwrap();
    assert!(arrears_item(store, wang).is_some());
    let out = StatusChange {
        id: None,
        person_id: wang,
        status: MembershipStatus::TransferredOut,
        date: d("2026-11-20"),
        reason: None,
    };
    store.change_status(out).unwrap();
    assert!(store.dues_arrears(None).unwrap().iter().all(|a| a.item.owner.member_id() != Some(wang)));
    assert_eq!(refused_field(store.record_dues(paid(wang, "2026-01", 1, "2026-11-24"))).0, "member");
}

#[test]
fn a_branch_summary_for_a_month_adds_up() {
    let (mut office, _) = office();
    let (a, b) = (office.branch_a, office.branch_b);
    let store = &mut office.admin;
    let wang = full_member(store, a, "王五");
    let zhao = full_member(store, a, "赵六");
    let qian = full_member(store, b, "钱七");
    store.set_dues_base(base(wang, DuesCategory::Salaried, 4200, "2026-11")).unwrap();
    store.set_dues_base(base(zhao, DuesCategory::Retired, 6000, "2026-11")).unwrap();
    store.set_dues_base(base(qian, DuesCategory::Student, 0, "2026-11")).unwrap();
    store.record_dues(paid(wang, "2026-11", 1, "2026-11-24")).unwrap();
    let summary = store.dues_summary(None, m("2026-11"), m("2026-11")).unwrap();
    let first = summary.iter().find(|s| s.branch_id == a).unwrap();
    // 42.00 paid of 42.00 + 60.00 due; 60.00 outstanding.
    assert_eq!((first.members, first.due_fen, first.paid_fen, first.outstanding_fen), (2, 10_200, 4200, 6000));
    let second = summary.iter().find(|s| s.branch_id == b).unwrap();
    assert_eq!((second.members, second.due_fen, second.outstanding_fen), (1, 20, 20));
    // One branch only.
    let only_b = store.dues_summary(Some(b), m("2026-11"), m("2026-11")).unwrap();
    assert_eq!(only_b.len(), 1);
}

#[test]
fn a_receipt_line_is_a_run_of_months_paid_together() {
    let (mut office, _) = office();
    let store = &mut office.admin;
    let wang = full_member(store, office.branch_a, "王五");
    store.set_dues_base(base(wang, DuesCategory::Salaried, 4200, "2026-01")).unwrap();
    store.record_dues(paid(wang, "2026-01", 1, "2026-01-20")).unwrap();
    let deferral =
        DuesPayment { paid_on: None, deferred: Some("家庭困难".into()), ..paid(wang, "2026-02", 2, "2026-02-20") };
    store.record_dues(deferral).unwrap();
    store.record_dues(paid(wang, "2026-04", 2, "2026-05-20")).unwrap();
    // The deferred February and March, and June, paid on one day: two runs, two lines.
    store.record_dues(paid(wang, "2026-02", 2, "2026-06-20")).unwrap();
    store.record_dues(paid(wang, "2026-06", 1, "2026-06-20")).unwrap();
    let lines = store.dues_receipts(None, m("2026-06"), m("2026-06")).unwrap();
    let runs: Vec<(String, String, i64)> =
        lines.iter().map(|l| (l.from_month.to_string(), l.to_month.to_string(), l.amount_fen)).collect();
    assert_eq!(
        runs,
        [("2026-02".to_owned(), "2026-03".to_owned(), 2 * 4200), ("2026-06".to_owned(), "2026-06".to_owned(), 4200)]
    );
}

#[test]
fn a_payer_or_a_reason_with_control_characters_is_refused() {
    let (mut office, _) = office();
    let store = &mut office.admin;
    let wang = full_member(store, office.branch_a, "王五");
    store.set_dues_base(base(wang, DuesCategory::Salaried, 4200, "2026-01")).unwrap();
    let by = DuesPayment { paid_by: Some("李收\u{202e}".into()), ..paid(wang, "2026-01", 1, "2026-01-20") };
    assert_eq!(refused_field(store.record_dues(by)).0, "paid_by");
    let why =
        DuesPayment { paid_on: None, deferred: Some("困难\u{7}".into()), ..paid(wang, "2026-01", 1, "2026-01-20") };
    assert_eq!(refused_field(store.record_dues(why)).0, "deferred");
    assert_eq!(store.dues_ledger(wang).unwrap().paid_through, None, "nothing recorded");
}

/// A sheet of payments runs as a job: its rows are counted off as they are checked, and stopped
/// (the worker's cancel) it records nothing, as a refused sheet records nothing.
#[test]
fn a_sheet_of_payments_counts_its_rows_and_stopped_records_nothing() {
    let (mut office, _) = office();
    let store = &mut office.admin;
    let mut rows = String::from("姓名,起始月份,月数,交纳日期\n");
    let mut members = Vec::new();
    for i in 0..250 {
        let name = format!("党员{i:03}");
        let id = full_member(store, office.branch_a, &name);
        store.set_dues_base(base(id, DuesCategory::Student, 0, "2026-01")).unwrap();
        rows.push_str(&format!("{name},2026-01,3,2026-03-31\n"));
        members.push(id);
    }
    let sheet = office.dir.path().join("党费.csv");
    std::fs::write(&sheet, rows).unwrap();

    let (read, problems) = dangan_core::dues::read_payment_sheet(&sheet).unwrap();
    let mut seen = Vec::new();
    let err = store
        .import_dues(&read, problems, &mut |p| {
            seen.push((p.done, p.total));
            if p.done >= 200 { std::ops::ControlFlow::Break(()) } else { std::ops::ControlFlow::Continue(()) }
        })
        .unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert_eq!(seen, [(0, 250), (100, 250), (200, 250)], "counted off every hundred rows");
    assert!(members.iter().all(|&id| store.dues_ledger(id).unwrap().paid_through.is_none()), "nothing recorded");

    let (read, problems) = dangan_core::dues::read_payment_sheet(&sheet).unwrap();
    let mut last = None;
    let recorded = store.import_dues(&read, problems, &mut |p| {
        last = Some((p.done, p.total));
        std::ops::ControlFlow::Continue(())
    });
    assert_eq!(recorded.unwrap(), 250);
    assert_eq!(last, Some((250, 250)), "the last report says every row is through");
    assert_eq!(store.dues_ledger(members[0]).unwrap().paid_through, Some(m("2026-03")));
}
