//! A graduating class leaving in one batch (issue 17, part 2): the class year is selected, the check
//! names who would be refused and whose conversion falls due before leaving, a refusal or a cancel
//! issues no letter at all, and the batch issues every letter in one PDF, a page each.

use std::ops::ControlFlow;

use crate::common::office::{ADMINISTRATOR, Office, office};
use crate::common::{PASSPHRASE, TODAY, d};
use dangan_core::domain::{EventKind, Id, MembershipStatus, Person, ProcedureEvent, Stage};
use dangan_core::jobs::Unit;
use dangan_core::transfer::NewLetter;
use dangan_core::{Error, Session};

fn student(session: &mut Session, branch: Id, name: &str, year: u16, steps: &[(EventKind, &str)]) -> Id {
    let person = Person { branch_id: branch, name: name.into(), class_year: Some(year), ..Person::default() };
    let id = session.save_person(person).unwrap().person.id.unwrap();
    for (kind, date) in steps {
        session.save_event(id, ProcedureEvent::new(*kind, d(date))).unwrap();
    }
    id
}

/// The class of 2022 (a full member, a probationary member admitted a year ago this month, an
/// applicant) and a student of 2023.
fn class(office: &Office, session: &mut Session) -> (Vec<Id>, Id) {
    use EventKind::*;
    let branch = office.branch_a;
    let full = student(session, branch, "甲", 2022, &[]);
    session.save_person(Person { joined_on: Some(d("2024-06-01")), ..session.member(full).unwrap().person }).unwrap();
    let probationary = student(
        session,
        branch,
        "乙",
        2022,
        &[
            (ApplicationReceived, "2023-03-01"),
            (ActivistDetermined, "2023-09-01"),
            (CandidateDetermined, "2024-10-01"),
            (Admitted, "2025-11-10"),
        ],
    );
    let applicant = student(session, branch, "丙", 2022, &[(ApplicationReceived, "2026-03-01")]);
    let younger = student(session, branch, "丁", 2023, &[(ApplicationReceived, "2026-03-01")]);
    (vec![full, probationary, applicant], younger)
}

fn letters(people: &[Id], assessment: Option<&str>) -> Vec<NewLetter> {
    people
        .iter()
        .map(|&person_id| NewLetter {
            person_id,
            destination: "中共某市人才服务中心委员会".into(),
            addressee: None,
            validity_days: None,
            issued_on: d(TODAY),
            assessment: assessment.map(str::to_owned),
        })
        .collect()
}

#[test]
fn a_class_leaves_in_one_batch_or_not_at_all() {
    let (office, _) = office();
    let mut session = Session::unlock(office.ws.clone(), Some(ADMINISTRATOR), PASSPHRASE).unwrap();
    session.set_today(d(TODAY));
    let (class_2022, younger) = class(&office, &mut session);
    let mut selected = session.class_of(2022, None).unwrap();
    selected.sort_unstable();
    let mut expected = class_2022.clone();
    expected.sort_unstable();
    assert_eq!(selected, expected, "the class of 2022, not the student of 2023");
    assert!(!selected.contains(&younger));

    // The check: the probationary member needs the assessment and is due for conversion first.
    let checks = session.check_letters(&letters(&class_2022, None)).unwrap();
    let of = |name: &str| checks.iter().find(|c| c.name == name).unwrap();
    assert_eq!(of("乙").stage, Stage::Probationary);
    assert!(of("乙").refusal.as_ref().unwrap().en.contains("assessment"), "{:?}", of("乙").refusal);
    assert_eq!(of("乙").conversion_due.map(|d| d.to_string()).as_deref(), Some("2026-11-10"));
    assert!(of("甲").refusal.is_none() && of("丙").refusal.is_none());
    assert!(!of("丙").unfinished.is_empty(), "the applicant's talk is still owed");
    assert_eq!(session.letters(None, false).unwrap().len(), 0, "the check issues nothing");

    // Refused for one: none is issued, and the message names them.
    let refused = session.issue_letters(&letters(&class_2022, None), None, |_| ControlFlow::Continue(())).unwrap_err();
    assert!(matches!(&refused, Error::InvalidInput { reason, .. } if reason.zh.starts_with("乙")), "{refused:?}");
    // Stopped after the first: none is issued.
    let with_assessment = letters(&class_2022, Some("预备期表现良好"));
    let mut seen = Vec::new();
    let stopped = session.issue_letters(&with_assessment, None, |p| {
        seen.push(p);
        ControlFlow::Break(())
    });
    assert!(matches!(stopped, Err(Error::Cancelled)), "{stopped:?}");
    assert_eq!((seen[0].done, seen[0].total, seen[0].unit), (1, 3, Unit::Letters));
    assert_eq!(session.letters(None, false).unwrap().len(), 0);
    for &id in &class_2022 {
        assert_eq!(session.member(id).unwrap().status, MembershipStatus::InRegister);
    }

    let pdf = office.dir.path().join("毕业生介绍信.pdf");
    let issued = session.issue_letters(&with_assessment, Some(&pdf), |_| ControlFlow::Continue(())).unwrap();
    assert_eq!(issued.len(), 3);
    let mut numbers: Vec<&str> = issued.iter().map(|l| l.number.as_str()).collect();
    numbers.dedup();
    assert_eq!(numbers.len(), 3, "a number each");
    for &id in &class_2022 {
        assert_eq!(session.member(id).unwrap().status, MembershipStatus::TransferredOut);
    }
    assert!(session.class_of(2022, None).unwrap().is_empty(), "no one of the class is left in the register");
    let bytes = std::fs::read(&pdf).unwrap();
    let pages = lopdf::Document::load_mem(&bytes).unwrap().get_pages().len();
    assert_eq!(pages, 3, "a page a letter");
}

#[test]
fn a_graduate_kept_at_the_university_is_due_to_move_two_years_after_graduating() {
    let (office, _) = office();
    let mut session = Session::unlock(office.ws.clone(), Some(ADMINISTRATOR), PASSPHRASE).unwrap();
    session.set_today(d(TODAY));
    let graduate = student(&mut session, office.branch_a, "戊", 2022, &[]);
    session
        .save_person(Person { joined_on: Some(d("2024-06-01")), ..session.member(graduate).unwrap().person })
        .unwrap();
    let kept_item = |session: &Session| {
        let query = dangan_core::deadlines::DeadlineQuery::default();
        session.deadlines(&query).unwrap().into_iter().find(|i| &*i.rule == "graduate_kept").map(|i| i.due.to_string())
    };
    assert_eq!(kept_item(&session), None);

    let page = session.keep_graduate(graduate, Some(d("2026-06-30"))).unwrap();
    assert_eq!(page.graduate_kept_since, Some(d("2026-06-30")));
    assert_eq!(kept_item(&session).as_deref(), Some("2028-06-30"), "条例第三十四条: two years");
    // A day after today is refused, and changes nothing.
    assert!(session.keep_graduate(graduate, Some(d("2026-12-30"))).is_err());
    assert_eq!(kept_item(&session).as_deref(), Some("2028-06-30"));

    // A letter takes them: the item goes.
    let letter = session.issue_letter(letters(&[graduate], None).remove(0), None).unwrap();
    assert_eq!(kept_item(&session), None);
    // Cancelled, they are kept again; ending the keeping clears it.
    session.cancel_letter(letter.id, d(TODAY), None).unwrap();
    assert_eq!(kept_item(&session).as_deref(), Some("2028-06-30"));
    session.keep_graduate(graduate, None).unwrap();
    assert_eq!(kept_item(&session), None);
    assert_eq!(session.member(graduate).unwrap().graduate_kept_since, None);
}
