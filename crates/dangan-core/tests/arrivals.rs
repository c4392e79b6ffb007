//! Members arriving by transfer (issue 17, part 2): a probationary member registered with the
//! dates of their steps elsewhere owes the same conversion as one admitted here; the materials that
//! came with the file are on the checklist and the rest shows as missing; the annual report counts
//! them as 转入, not as developed here; bad arrivals are refused and change nothing; the arrival is
//! not taken back like a status change.

use crate::common::d;
use crate::common::office::office;
use dangan_core::arrival::NewArrival;
use dangan_core::deadlines::DeadlineQuery;
use dangan_core::domain::{EventKind, Id, MembershipStatus, Person, ProcedureEvent};
use dangan_core::statistics::StatsQuery;
use dangan_core::{Error, Store};

fn steps(admitted: &str) -> Vec<ProcedureEvent> {
    vec![
        ProcedureEvent::new(EventKind::ApplicationReceived, d("2023-10-08")),
        ProcedureEvent::new(EventKind::ActivistDetermined, d("2024-04-10")),
        ProcedureEvent::new(EventKind::CandidateDetermined, d("2025-05-12")),
        ProcedureEvent::new(EventKind::Admitted, d(admitted)),
    ]
}

fn arrival(branch: Id, name: &str, admitted: &str, received: &str) -> NewArrival {
    NewArrival {
        person: Person { branch_id: branch, name: name.into(), ..Person::default() },
        steps: steps(admitted),
        received_on: d(received),
        origin: "中共某大学委员会".into(),
        letter_number: Some("2026-015".into()),
        letter_issued_on: Some(d("2026-09-01")),
        dues_paid_through: Some(dangan_core::dues::Month::new(2026, 8).unwrap()),
        materials: vec!["application_letter".into(), "admission_resolution".into()],
        another_person: false,
    }
}

/// The conversion item of a member: (due, rule).
fn conversion_due(store: &Store, member: Id) -> Option<String> {
    let query = DeadlineQuery { member_id: Some(member), ..DeadlineQuery::default() };
    store.deadlines(&query).unwrap().iter().find(|i| &*i.rule == "conversion_due").map(|i| i.due.to_string())
}

#[test]
fn an_arriving_probationary_member_owes_the_conversion_counted_from_the_admission_elsewhere() {
    let (mut office, _) = office();
    let branch = office.branch_a;
    let store = &mut office.admin;
    let arrived = store.register_arrival(arrival(branch, "周九", "2026-06-20", "2026-09-05")).unwrap();
    let arrived_id = arrived.person.id.unwrap();
    assert_eq!(arrived.status, MembershipStatus::InRegister);
    let record = arrived.arrival.as_ref().expect("the page says where they came from");
    assert_eq!(record.origin, "中共某大学委员会");
    assert_eq!(record.letter_number.as_deref(), Some("2026-015"));
    assert_eq!(arrived.status_history.len(), 1);
    assert_eq!(arrived.status_history[0].reason.as_deref(), Some("自中共某大学委员会转入（介绍信第 2026-015 号）"));

    // The same steps recorded here from the start: the same conversion day.
    let here = store
        .save_person(Person { branch_id: branch, name: "吴十".into(), ..Person::default() })
        .unwrap()
        .person
        .id
        .unwrap();
    for step in steps("2026-06-20") {
        store.save_event(here, step).unwrap();
    }
    let due = conversion_due(store, arrived_id).expect("the arrival owes a conversion");
    assert_eq!(Some(due), conversion_due(store, here));

    // The materials that came are on file; the rest of what the steps call for is missing.
    let checklist = store.checklist(arrived_id).unwrap();
    let line = |id: &str| checklist.iter().find(|l| l.material == id).unwrap();
    assert!(!line("application_letter").is_missing());
    assert!(!line("admission_resolution").is_missing());
    assert_eq!(line("admission_resolution").date, Some(d("2026-09-05")));
    assert!(line("political_review").is_missing() || !line("political_review").expected);
    assert!(line("introducer_opinion").is_missing(), "admitted elsewhere, the introducers' opinion is owed");

    // The arrival is not a change to take back.
    let refused = store.undo_status_change(arrived_id, None).unwrap_err();
    assert!(matches!(refused, Error::InvalidInput { ref field, .. } if field == "status"), "{refused:?}");
    assert_eq!(store.member(arrived_id).unwrap().status_history.len(), 1);
}

#[test]
fn one_person_arriving_again_under_a_reissued_letter_is_not_registered_twice() {
    let (mut office, _) = office();
    let branch = office.branch_a;
    let store = &mut office.admin;
    let first = store.register_arrival(arrival(branch, "周九", "2026-06-20", "2026-09-05")).unwrap().person;
    let people = store.count_people().unwrap();
    // The sending office reissued the letter: a new number, the same person, no identity number.
    let again =
        NewArrival { letter_number: Some("2026-031".into()), ..arrival(branch, "周九", "2026-06-20", "2026-10-05") };
    match store.register_arrival(again.clone()) {
        Err(Error::InvalidInput { field, reason }) => {
            assert_eq!(field, "another_person");
            assert!(reason.en.contains("2026-015") && reason.en.contains("confirm"), "{}", reason.en);
        }
        other => panic!("registered twice: {other:?}"),
    }
    assert_eq!(store.count_people().unwrap(), people, "nothing registered");
    // Born on another day, they are someone else; and the worker may confirm a namesake.
    let born = |day: &str| Person { birth_date: Some(d(day)), ..again.person.clone() };
    store.save_person(Person { birth_date: Some(d("2001-01-01")), ..first }).unwrap();
    store.register_arrival(NewArrival { person: born("2002-02-02"), ..again.clone() }).unwrap();
    store
        .register_arrival(NewArrival { another_person: true, letter_number: Some("2026-040".into()), ..again })
        .unwrap();
    assert_eq!(store.count_people().unwrap(), people + 2);
}

#[test]
fn the_annual_report_counts_an_arrival_as_transferred_in_not_developed() {
    let (mut office, _) = office();
    let branch = office.branch_a;
    let store = &mut office.admin;
    // Admitted and approved elsewhere in the year, arrived in September.
    let mut new = arrival(branch, "周九", "2026-03-20", "2026-09-05");
    new.steps.push(ProcedureEvent::new(EventKind::AdmissionApproved, d("2026-04-10")));
    store.register_arrival(new).unwrap();

    let report = store.annual_report(2026, None).unwrap();
    let changes = report.tables.iter().find(|t| t.id == "changes").unwrap();
    let row = changes.rows.iter().find(|r| r.key == branch.to_string()).unwrap();
    let value = |key: &str| row.values[changes.columns.iter().position(|c| c.key == key).unwrap()];
    assert_eq!(value("members_start"), Some(0), "not here at the start of the year");
    assert_eq!(value("transferred_in"), Some(1));
    assert_eq!(value("developed"), Some(0), "developed by the organisation they came from");
    assert_eq!(value("members_end"), Some(1));
    assert!(report.check.ok, "start + in = end: {:?}", report.check);

    // Counted by the branch that holds their relationship on the day: not before they arrived.
    let probationary_on = |day: &str| {
        let query = StatsQuery { as_of: Some(d(day)), unit: None };
        store.statistics(&query).unwrap().by_stage.probationary
    };
    assert_eq!(probationary_on("2026-09-04"), 0, "still with the organisation they came from");
    assert_eq!(probationary_on("2026-09-05"), 1, "here from the day the letter was received");
}

#[test]
fn a_bad_arrival_is_refused_naming_why_and_registers_no_one() {
    let (mut office, _) = office();
    let branch = office.branch_a;
    let store = &mut office.admin;
    let before = store.count_people().unwrap();
    let field = |r: dangan_core::Result<_>| match r {
        Err(Error::InvalidInput { field, .. }) => field,
        Err(Error::Violations { violations }) => violations[0].field.clone(),
        Ok(detail) => panic!("registered {detail:?}"),
        Err(other) => panic!("{other:?}"),
    };
    let mut no_origin = arrival(branch, "甲", "2026-06-20", "2026-09-05");
    no_origin.origin = " ".into();
    assert_eq!(field(store.register_arrival(no_origin)), "from");
    let future = arrival(branch, "乙", "2026-06-20", "2027-01-05");
    assert_eq!(field(store.register_arrival(future)), "received");
    // Admitted without having been a development target: the procedure's own check.
    let mut skipped = arrival(branch, "丙", "2026-06-20", "2026-09-05");
    skipped.steps.retain(|s| s.kind != EventKind::CandidateDetermined);
    skipped.materials.clear();
    assert_eq!(field(store.register_arrival(skipped)), "admitted");
    let mut unknown = arrival(branch, "丁", "2026-06-20", "2026-09-05");
    unknown.materials = vec!["not_a_material".into()];
    assert_eq!(field(store.register_arrival(unknown)), "materials");
    let mut committee = arrival(branch, "戊", "2026-06-20", "2026-09-05");
    committee.person.branch_id = store.org_tree().unwrap().committee().unwrap().id;
    assert_eq!(field(store.register_arrival(committee)), "branch_id");
    assert_eq!(store.count_people().unwrap(), before, "nothing registered");
}

#[test]
fn a_branch_secretary_registers_arrivals_only_into_their_branches() {
    let (mut office, _) = office();
    let (branch_a, branch_b) = (office.branch_a, office.branch_b);
    crate::common::office::add(&mut office, "李书记", dangan_core::access::Role::BranchSecretary, &[branch_a]);
    let mut secretary = crate::common::office::open_as(&office, "李书记");
    let refused = secretary.register_arrival(arrival(branch_b, "周九", "2026-06-20", "2026-09-05")).unwrap_err();
    assert_eq!(refused.kind(), dangan_core::ErrorKind::Forbidden);
    secretary.register_arrival(arrival(branch_a, "周九", "2026-06-20", "2026-09-05")).unwrap();
}

/// An applicant, an activist and a development target arriving keep the dates of their steps
/// elsewhere: each owes exactly what the same steps recorded here would owe, on the same days.
#[test]
fn an_applicant_an_activist_and_a_development_target_arriving_keep_their_dates() {
    let (mut office, _) = office();
    let branch = office.branch_a;
    let store = &mut office.admin;
    let all = steps("2026-06-20");
    for (n, name) in [(1, "申一"), (2, "积二"), (3, "发三")] {
        let mut new = arrival(branch, name, "2026-06-20", "2026-09-05");
        new.steps = all[..n].to_vec();
        new.letter_number = Some(format!("2026-1{n}"));
        new.materials = vec!["application_letter".into()];
        let arrived = store.register_arrival(new).unwrap().person.id.unwrap();
        let here = store
            .save_person(Person { branch_id: branch, name: format!("{name}本"), ..Person::default() })
            .unwrap()
            .person
            .id
            .unwrap();
        for step in &all[..n] {
            store.save_event(here, step.clone()).unwrap();
        }
        let owed = |member: Id| -> Vec<(String, String)> {
            let query = DeadlineQuery { member_id: Some(member), ..DeadlineQuery::default() };
            let mut items: Vec<(String, String)> =
                store.deadlines(&query).unwrap().iter().map(|i| (i.rule.to_string(), i.due.to_string())).collect();
            items.sort();
            items
        };
        let (theirs, ours) = (owed(arrived), owed(here));
        assert!(!theirs.is_empty(), "{name} owes something at their stage");
        assert_eq!(theirs, ours, "{name}: the same items on the same days as one recorded here");
        assert_eq!(store.member(arrived).unwrap().events.len(), n, "{name}'s steps kept with their dates");
    }
}
