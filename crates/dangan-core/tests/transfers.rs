//! Transfers out by introduction letter (issue 17, part 2): issuing takes the member out of the
//! register with the dues paid up to; a second letter, a receipt for a letter never issued or
//! received twice are refused; the receipt is a deadline item until recorded; an expired letter is
//! reissued within six months or cancelled (the member back); the letter prints its three parts
//! under one number, read back with pdftotext. Before the letter, an application to transfer out
//! is approved or declined by the committee; a branch secretary's letter needs an approved one.

use crate::common::d;
use crate::common::office::office;
use dangan_core::deadlines::DeadlineQuery;
use dangan_core::domain::{DuesCategory, Id, MembershipStatus, Person};
use dangan_core::dues::Month;
use dangan_core::store::{DuesBase, DuesPayment, MemberQuery};
use dangan_core::transfer::{LetterState, NewLetter};
use dangan_core::transfer_request::{NewTransferRequest, RequestState};
use dangan_core::{Error, ErrorKind, Store};

fn full_member(store: &mut Store, branch: Id, name: &str) -> Id {
    let person = Person {
        branch_id: branch,
        name: name.into(),
        joined_on: Some(d("2010-07-01")),
        gender: Some(dangan_core::domain::Gender::Female),
        ethnicity: Some("汉族".into()),
        birth_date: Some(d("1990-03-01")),
        ..Person::default()
    };
    store.save_person(person).unwrap().person.id.unwrap()
}

fn letter_to(person_id: Id, on: &str, days: u32) -> NewLetter {
    NewLetter {
        person_id,
        destination: "中共北京某大学委员会".into(),
        addressee: None,
        validity_days: Some(days),
        issued_on: d(on),
        assessment: None,
    }
}

fn receipt_items(store: &Store) -> Vec<(Id, String)> {
    let items = store.deadlines(&DeadlineQuery::default()).unwrap();
    items
        .iter()
        .filter(|i| &*i.rule == "transfer_receipt")
        .map(|i| (i.owner.member_id().unwrap(), i.due.to_string()))
        .collect()
}

fn refused(r: dangan_core::Result<impl std::fmt::Debug>) -> (String, String) {
    match r {
        Err(Error::InvalidInput { field, reason }) => (field, reason.en),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_letter_takes_the_member_out_and_its_receipt_is_awaited_until_recorded() {
    let (mut office, _) = office();
    let store = &mut office.admin;
    let wang = full_member(store, office.branch_a, "王五");
    let base = DuesBase {
        person_id: wang,
        category: DuesCategory::Salaried,
        base_fen: 420_000,
        from_month: Month::new(2026, 1).unwrap(),
    };
    store.set_dues_base(base).unwrap();
    let paid = DuesPayment {
        person_id: wang,
        from_month: Month::new(2026, 1).unwrap(),
        months: 10,
        paid_on: Some(d("2026-10-31")),
        paid_by: None,
        deferred: None,
    };
    store.record_dues(paid).unwrap();

    let letter = store.issue_letter(letter_to(wang, "2026-11-02", 30)).unwrap();
    assert_eq!(letter.number, "2026-001");
    assert_eq!(letter.valid_until, d("2026-12-01"));
    assert_eq!(letter.dues_paid_through, Month::new(2026, 10));
    assert_eq!(letter.addressee, "中共北京某大学委员会组织部门");
    assert_eq!(letter.state, LetterState::Issued);
    let detail = store.member(wang).unwrap();
    assert_eq!(detail.status, MembershipStatus::TransferredOut);
    assert!(detail.status_history[0].reason.as_deref().unwrap().contains("2026-001"));
    let listed = store.list_members(&MemberQuery::all()).unwrap();
    assert!(listed.items.iter().all(|m| m.id != wang), "out of the working list");

    // A second letter is refused, naming the first; nothing changes.
    let (field, why) = refused(store.issue_letter(letter_to(wang, "2026-11-03", 30)));
    assert_eq!(field, "member");
    assert!(why.contains("already out of the register"), "{why}");
    assert_eq!(store.letters(Some(wang), false).unwrap().len(), 1);
    // Taking back the status is refused: the letter is cancelled instead.
    assert_eq!(refused(store.undo_status_change(wang, None)).0, "status");

    // The receipt is owed a month after the validity ends.
    assert_eq!(receipt_items(store), vec![(wang, "2027-01-01".to_owned())]);
    let (field, _) = refused(store.record_receipt(letter.id, d("2026-11-01")));
    assert_eq!(field, "date", "before the letter");
    let received = store.record_receipt(letter.id, d("2026-11-20")).unwrap();
    assert_eq!(received.state, LetterState::Received);
    assert!(receipt_items(store).is_empty());
    assert_eq!(refused(store.record_receipt(letter.id, d("2026-11-21"))).0, "letter");
    // A receipt for a letter never issued.
    let never = store.record_receipt(9999, d("2026-11-21")).unwrap_err();
    assert_eq!(never.kind(), ErrorKind::NotFound);
}

#[test]
fn an_expired_letter_is_reissued_within_six_months_or_cancelled() {
    let (mut office, _) = office();
    let store = &mut office.admin;
    let wang = full_member(store, office.branch_a, "王五");
    let zhao = full_member(store, office.branch_a, "赵六");
    let first = store.issue_letter(letter_to(wang, "2026-06-01", 30)).unwrap();
    let other = store.issue_letter(letter_to(zhao, "2026-06-01", 30)).unwrap();
    assert_eq!((first.number.as_str(), other.number.as_str()), ("2026-001", "2026-002"));
    assert_eq!(store.letter(first.id).unwrap().state, LetterState::Expired);

    // Reissued on 2026-11-24, within six months of 2026-06-30: a new number, the member still out.
    let again = store.reissue_letter(first.id, d("2026-11-24"), Some(30)).unwrap();
    assert_eq!(again.number, "2026-003");
    assert_eq!(again.reissue_of, Some(first.id));
    assert_eq!(store.letter(first.id).unwrap().state, LetterState::Reissued);
    assert_eq!(refused(store.reissue_letter(first.id, d("2026-11-24"), None)).0, "letter");
    let awaited: Vec<Id> = receipt_items(store).into_iter().map(|(id, _)| id).collect();
    assert_eq!(awaited.len(), 2, "the new letter's receipt, and the other's");

    // Past six months: refused, citing the rule; cancelling brings the member back.
    store.set_today(d("2027-01-05"));
    let (field, why) = refused(store.reissue_letter(other.id, d("2027-01-05"), None));
    assert_eq!(field, "date");
    assert!(why.contains("2015"), "{why}");
    let cancelled = store.cancel_letter(other.id, d("2027-01-05"), Some("本人未去报到".into())).unwrap();
    assert_eq!(cancelled.state, LetterState::Cancelled);
    let detail = store.member(zhao).unwrap();
    assert_eq!(detail.status, MembershipStatus::InRegister);
    assert!(detail.status_history.last().unwrap().reason.as_deref().unwrap().contains("2026-002"));
    assert!(receipt_items(store).iter().all(|(id, _)| *id != zhao));
}

#[test]
fn the_letter_prints_three_parts_under_one_number_and_a_batch_a_page_each() {
    let (mut office, _) = office();
    let store = &mut office.admin;
    let wang = full_member(store, office.branch_a, "王五");
    let zhao = full_member(store, office.branch_a, "赵六");
    let a = store.issue_letter(letter_to(wang, "2026-11-02", 30)).unwrap();
    let b = store.issue_letter(letter_to(zhao, "2026-11-02", 60)).unwrap();
    let (letters, committee) = store.letters_to_print(&[a.id, b.id]).unwrap();
    let pdf = dangan_core::dossier::letter::letters_pdf(&letters, &committee, d("2026-11-24")).unwrap();
    let path = office.dir.path().join("letters.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let Some(text) = pdftotext(&path) else { return };
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert_eq!(pages.len(), 2, "a page a letter:\n{text}");
    let first: String = pages[0].chars().filter(|c| !c.is_whitespace()).collect();
    for part in ["存根", "介绍信", "回执", "王五", "中共北京某大学委员会", "党费已交到（未记录）", "有效期30天"]
    {
        assert!(first.contains(part), "{part} is not on the page:\n{}", pages[0]);
    }
    assert_eq!(first.matches("第2026-001号").count(), 3, "one number on all three parts:\n{}", pages[0]);
    assert_eq!(first.matches("沿此线剪开").count(), 2, "cut lines between the parts");
    assert!(first.contains("女，36岁，汉族"), "{}", pages[0]);
    let second: String = pages[1].chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(second.matches("第2026-002号").count(), 3);
}

fn pdftotext(path: &std::path::Path) -> Option<String> {
    match std::process::Command::new("pdftotext").arg("-layout").arg(path).arg("-").output() {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        _ => {
            crate::common::cannot_run("pdftotext (poppler-utils) is not installed");
            None
        }
    }
}

#[test]
fn a_member_who_left_by_letter_comes_back_only_by_cancelling_it() {
    let (mut office, _) = office();
    let store = &mut office.admin;
    let wang = full_member(store, office.branch_a, "王五");
    let letter = store.issue_letter(letter_to(wang, "2026-11-01", 30)).unwrap();
    // Set back to 在册 by hand: refused, naming the letter; the letter stays open.
    let back = dangan_core::domain::StatusChange {
        id: None,
        person_id: wang,
        status: MembershipStatus::InRegister,
        date: d("2026-11-10"),
        reason: Some("返校".into()),
    };
    let (field, why) = refused(store.change_status(back));
    assert_eq!(field, "status");
    assert!(why.contains(&letter.number), "{why}");
    assert_eq!(receipt_items(store).len(), 1);

    store.cancel_letter(letter.id, d("2026-11-10"), None).unwrap();
    assert_eq!(store.member(wang).unwrap().status, MembershipStatus::InRegister);
    assert!(receipt_items(store).is_empty(), "a cancelled letter owes no receipt");
    // The cancellation's 在册 is the letter's: not taken back alone.
    let (field, _) = refused(store.undo_status_change(wang, None));
    assert_eq!(field, "status");
    assert_eq!(store.letter(letter.id).unwrap().state, LetterState::Cancelled);
    assert_eq!(store.member(wang).unwrap().status, MembershipStatus::InRegister);

    // A reissue dated within the old letter's validity names the date.
    let other = full_member(store, office.branch_a, "赵六");
    let first = store.issue_letter(letter_to(other, "2026-10-01", 30)).unwrap();
    let (field, why) = refused(store.reissue_letter(first.id, d("2026-10-20"), None));
    assert_eq!(field, "date", "{why}");
    assert!(why.contains("validity"), "{why}");
}

#[test]
fn text_that_would_disguise_itself_is_refused_naming_the_field() {
    let (mut office, _) = office();
    let store = &mut office.admin;
    let wang = full_member(store, office.branch_a, "王五");
    let hostile =
        NewLetter { destination: "中共某大学\u{202e}会员委".into(), ..letter_to(wang, "2026-11-01", 30) };
    let (field, why) = refused(store.issue_letter(hostile));
    assert_eq!(field, "to");
    assert!(why.contains("U+202E"), "{why}");
    let hostile = NewLetter { addressee: Some("组织部\u{1b}[2J".into()), ..letter_to(wang, "2026-11-01", 30) };
    assert_eq!(refused(store.issue_letter(hostile)).0, "addressee");
    assert!(store.letters(None, false).unwrap().is_empty(), "nothing issued");
    assert_eq!(store.member(wang).unwrap().status, MembershipStatus::InRegister);
}

fn application(person_id: Id, on: &str) -> NewTransferRequest {
    NewTransferRequest {
        person_id,
        destination: " 中共上海某公司委员会 ".into(),
        reason: Some("工作调动".into()),
        applied_on: d(on),
    }
}

#[test]
fn an_application_is_approved_before_its_letter_which_closes_it() {
    let (mut office, _) = office();
    let store = &mut office.admin;
    let wang = full_member(store, office.branch_a, "王五");
    let applied = store.apply_transfer(application(wang, "2026-11-02")).unwrap();
    assert_eq!((applied.state, applied.destination.as_str()), (RequestState::Applied, "中共上海某公司委员会"));
    // A second application while one is open is refused, naming the first.
    let (field, why) = refused(store.apply_transfer(application(wang, "2026-11-03")));
    assert_eq!(field, "member");
    assert!(why.contains("2026-11-02"), "{why}");
    // No letter while the committee has not decided, not even the administrator's.
    let (field, why) = refused(store.issue_letter(letter_to(wang, "2026-11-05", 30)));
    assert_eq!(field, "member");
    assert!(why.contains("awaits its decision"), "{why}");
    assert_eq!(store.member(wang).unwrap().status, MembershipStatus::InRegister);

    // Approved on a day before the application: refused; then approved; not twice.
    assert_eq!(refused(store.approve_transfer(applied.id, d("2026-11-01"))).0, "date");
    let approved = store.approve_transfer(applied.id, d("2026-11-04")).unwrap();
    assert_eq!(approved.state, RequestState::Approved);
    assert_eq!(approved.decided_by.as_deref(), Some(crate::common::office::ADMINISTRATOR));
    assert_eq!(refused(store.approve_transfer(applied.id, d("2026-11-04"))).0, "request");
    // A letter dated before the approval is refused; one without a destination goes where the
    // application asked, and closes it.
    assert_eq!(refused(store.issue_letter(letter_to(wang, "2026-11-03", 30))).0, "date");
    let blank = NewLetter { destination: String::new(), ..letter_to(wang, "2026-11-05", 30) };
    let letter = store.issue_letter(blank).unwrap();
    assert_eq!(letter.destination, "中共上海某公司委员会");
    let closed = store.transfer_request(applied.id).unwrap();
    assert_eq!((closed.state, closed.letter_number.as_deref()), (RequestState::LetterIssued, Some(&*letter.number)));
    assert!(store.transfer_requests(None, true).unwrap().is_empty(), "no application left open");
    // Closed by its letter, it is not declined afterwards; out of the register, no new one.
    assert_eq!(refused(store.decline_transfer(applied.id, d("2026-11-06"), "撤回")).0, "request");
    assert_eq!(refused(store.apply_transfer(application(wang, "2026-11-06"))).0, "member");

    // Every step is in the audit log, against the member.
    let log = store.audit_log(&dangan_core::store::AuditQuery { member_id: Some(wang), ..Default::default() }).unwrap();
    let requests: Vec<&str> =
        log.entries.iter().filter(|e| e.entity == "transfer_requests").map(|e| e.action.as_str()).collect();
    assert!(requests.contains(&"insert") && requests.iter().filter(|a| **a == "update").count() >= 2, "{requests:?}");
}

#[test]
fn a_declined_application_gives_no_letter_and_needs_its_reason() {
    let (mut office, _) = office();
    let store = &mut office.admin;
    let wang = full_member(store, office.branch_a, "王五");
    let applied = store.apply_transfer(application(wang, "2026-11-02")).unwrap();
    assert_eq!(refused(store.decline_transfer(applied.id, d("2026-11-04"), "  ")).0, "reason");
    let declined = store.decline_transfer(applied.id, d("2026-11-04"), "去向单位尚无党组织").unwrap();
    assert_eq!(
        (declined.state, declined.declined_reason.as_deref()),
        (RequestState::Declined, Some("去向单位尚无党组织"))
    );
    assert_eq!(refused(store.approve_transfer(applied.id, d("2026-11-05"))).0, "request");
    // Declined, it no longer stands in the way: the committee may apply anew or issue itself.
    store.apply_transfer(application(wang, "2026-11-06")).unwrap();
}

#[test]
fn a_branch_secretary_applies_and_issues_only_after_the_committee_approves() {
    use dangan_core::access::Role;
    let (mut office, _) = office();
    let wang = full_member(&mut office.admin, office.branch_a, "王五");
    let branch = office.branch_a;
    crate::common::office::add(&mut office, "书记甲", Role::BranchSecretary, &[branch]);
    let mut secretary = crate::common::office::open_as(&office, "书记甲");
    // Without an application the branch's letter is refused, naming the approval it lacks.
    let (field, why) = refused(secretary.issue_letter(letter_to(wang, "2026-11-05", 30)));
    assert_eq!(field, "member");
    assert!(why.contains("approved application"), "{why}");
    let applied = secretary.apply_transfer(application(wang, "2026-11-02")).unwrap();
    // The secretary does not approve: that is the committee's.
    match secretary.approve_transfer(applied.id, d("2026-11-04")) {
        Err(e) => assert_eq!(e.kind(), ErrorKind::Forbidden),
        Ok(r) => panic!("approved by a branch secretary: {r:?}"),
    }
    office.admin.approve_transfer(applied.id, d("2026-11-04")).unwrap();
    // Approved for Shanghai, the branch's letter does not go to Beijing.
    let (field, why) = refused(secretary.issue_letter(letter_to(wang, "2026-11-05", 30)));
    assert_eq!(field, "to");
    assert!(why.contains("中共上海某公司委员会"), "{why}");
    let blank = NewLetter { destination: String::new(), ..letter_to(wang, "2026-11-05", 30) };
    let letter = secretary.issue_letter(blank).unwrap();
    assert_eq!(letter.destination, "中共上海某公司委员会");
    assert_eq!(secretary.member(wang).unwrap().status, MembershipStatus::TransferredOut);
    assert_eq!(secretary.transfer_request(applied.id).unwrap().letter_id, Some(letter.id));
}
