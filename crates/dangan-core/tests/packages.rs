//! Member packages between two offices (issue 17, part 2): a probationary member with records and
//! attachments moves from one workspace to another with every attachment byte-identical and every
//! deadline unchanged, the sending office keeping its archived copy; a changed byte, a wrong code,
//! a package for another office and the same package twice are refused and import nothing.

use std::path::Path;

use crate::common::office::{ADMINISTRATOR, office};
use crate::common::{CHEAP, PASSPHRASE, TODAY, d};
use dangan_core::deadlines::DeadlineQuery;
use dangan_core::domain::{
    EventKind, FileRecord, Id, MembershipStatus, OrgKind, Person, ProcedureEvent, RecordFields, RecordKind,
};
use dangan_core::transfer::NewLetter;
use dangan_core::workspace::NewWorkspace;
use dangan_core::{Error, Session, Workspace};

const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 1, 2, 3];
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

/// A second office: its own workspace under `dir`, its committee named `committee`, one branch.
fn other_office(dir: &Path, committee: &str) -> (Session, Id) {
    let ws = Workspace::at(dir.join(committee));
    let new = NewWorkspace { kdf: CHEAP, user: ADMINISTRATOR, ..NewWorkspace::new(PASSPHRASE, committee) };
    let (mut store, _) = ws.create_with_recovery(&new).unwrap();
    let top = store.org_tree().unwrap().committee().unwrap().id;
    let branch = store.add_org_unit(top, OrgKind::Branch, "接收党支部").unwrap().id;
    drop(store);
    let mut session = Session::unlock(ws, Some(ADMINISTRATOR), PASSPHRASE).unwrap();
    session.set_today(d(TODAY));
    (session, branch)
}

/// A probationary member of the sending office with a talk record (a scan and a PDF attached).
fn leaving_member(session: &mut Session, branch: Id) -> Id {
    let person = Person {
        branch_id: branch,
        name: "周九".into(),
        id_number: Some("110105199003070025".into()),
        birth_date: Some(d("1990-03-07")),
        ..Person::default()
    };
    let id = session.save_person(person).unwrap().person.id.unwrap();
    for (kind, date) in [
        (EventKind::ApplicationReceived, "2023-10-08"),
        (EventKind::ApplicantTalk, "2023-10-20"),
        (EventKind::ActivistDetermined, "2024-04-10"),
        (EventKind::CandidateDetermined, "2025-05-12"),
        (EventKind::Admitted, "2026-06-20"),
    ] {
        session.save_event(id, ProcedureEvent::new(kind, d(date))).unwrap();
    }
    let talk = session.member(id).unwrap().events.iter().find(|e| e.kind == EventKind::ApplicantTalk).unwrap().id;
    let record = FileRecord {
        version: None,
        id: None,
        person_id: id,
        kind: RecordKind::TalkRecord,
        date: d("2023-10-20"),
        event_id: talk,
        title: Some("谈话记录".into()),
        body: "谈话内容".into(),
        fields: RecordFields { who: Some("李书记".into()), ..RecordFields::default() },
        attachments: Vec::new(),
    };
    let dir = session.workspace().dir().parent().unwrap().to_owned();
    let scans = [dir.join("谈话.jpg"), dir.join("签字页.pdf")];
    std::fs::write(&scans[0], JPEG).unwrap();
    std::fs::write(&scans[1], PDF).unwrap();
    session.save_record(record, &scans).unwrap();
    id
}

/// The letter taking the member to 中共乙大学委员会.
fn issue_letter(session: &mut Session, id: Id) -> Id {
    let letter = NewLetter {
        person_id: id,
        destination: "中共乙大学委员会".into(),
        addressee: None,
        validity_days: None,
        issued_on: d(TODAY),
        assessment: Some("预备期表现良好".into()),
    };
    session.issue_letter(letter, None).unwrap().id
}

/// A member's procedure items: (rule, due).
fn owed(session: &Session, member: Id) -> Vec<(String, String)> {
    let query = DeadlineQuery { member_id: Some(member), ..DeadlineQuery::default() };
    let mut items: Vec<(String, String)> = session
        .deadlines(&query)
        .unwrap()
        .iter()
        .filter(|i| &*i.rule != "transfer_receipt")
        .map(|i| (i.rule.to_string(), i.due.to_string()))
        .collect();
    items.sort();
    items
}

/// Every attachment of a member: (name, bytes).
fn attachments(session: &Session, member: Id) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for record in session.records(member).unwrap() {
        for info in &record.attachments {
            out.push((info.name.clone(), session.attachment(info.id).unwrap().1));
        }
    }
    out.sort();
    out
}

fn unlock(office: &crate::common::office::Office) -> Session {
    let mut session = Session::unlock(office.ws.clone(), Some(ADMINISTRATOR), PASSPHRASE).unwrap();
    session.set_today(d(TODAY));
    session
}

#[test]
fn a_member_moves_between_two_offices_with_every_attachment_and_deadline_unchanged() {
    let (office, _) = office();
    let mut sending = unlock(&office);
    let member = leaving_member(&mut sending, office.branch_a);
    let owed_before = owed(&sending, member);
    let letter = issue_letter(&mut sending, member);
    assert!(owed_before.iter().any(|(rule, _)| rule == "conversion_due"), "{owed_before:?}");
    let files_before = attachments(&sending, member);
    assert_eq!(files_before.len(), 2);

    let package = office.dir.path().join("周九.dangan-member");
    let written = sending.write_member_package(letter, &package).unwrap();
    assert_eq!(written.attachments, 2);
    // The code is the one printed on the letter.
    let pdf = office.dir.path().join("介绍信.pdf");
    sending.write_letters(&[letter], &pdf).unwrap();
    if let Some(text) = pdftotext(&pdf) {
        assert!(text.contains(&written.code), "the letter prints the package's code:\n{text}");
    }

    let (mut receiving, branch) = other_office(office.dir.path(), "中共乙大学委员会");
    let arrived =
        receiving.receive_member_package(&package, &written.code.to_lowercase(), branch, d(TODAY), false).unwrap();
    let id = arrived.person.id.unwrap();
    assert_eq!(arrived.person.name, "周九");
    assert_eq!(arrived.person.id_number.as_deref(), Some("110105199003070025"));
    assert_eq!(arrived.status, MembershipStatus::InRegister);
    let arrival = arrived.arrival.as_ref().unwrap();
    assert_eq!(arrival.origin, "测试党委");
    assert!(!arrival.history.is_empty(), "the sending office's trail came along");
    assert_eq!(attachments(&receiving, id), files_before, "byte-identical attachments");
    assert_eq!(owed(&receiving, id), owed_before, "the same deadlines, computed from the same dates");
    let talk = receiving.records(id).unwrap().into_iter().find(|r| r.kind == RecordKind::TalkRecord).unwrap();
    let event = arrived.events.iter().find(|e| Some(e.id.unwrap()) == talk.event_id).unwrap();
    assert_eq!(event.kind, EventKind::ApplicantTalk, "the record still documents its step");

    // The sending office keeps its archived copy.
    let kept = sending.member(member).unwrap();
    assert_eq!(kept.status, MembershipStatus::TransferredOut);
    assert_eq!(attachments(&sending, member), files_before);
}

#[test]
fn a_changed_byte_a_wrong_code_another_office_or_a_second_time_imports_nothing() {
    let (office, _) = office();
    let mut sending = unlock(&office);
    let member = leaving_member(&mut sending, office.branch_a);
    let letter = issue_letter(&mut sending, member);
    let package = office.dir.path().join("周九.dangan-member");
    let written = sending.write_member_package(letter, &package).unwrap();
    let (mut receiving, branch) = other_office(office.dir.path(), "中共乙大学委员会");
    let people = |s: &Session| s.count_people().unwrap();
    let before = people(&receiving);

    let bytes = std::fs::read(&package).unwrap();
    let changed = office.dir.path().join("changed.dangan-member");
    let mut tampered = bytes.clone();
    let at = tampered.len() - 100;
    tampered[at] ^= 0x20;
    std::fs::write(&changed, &tampered).unwrap();
    let refused = receiving.receive_member_package(&changed, &written.code, branch, d(TODAY), false).unwrap_err();
    assert!(matches!(refused, Error::InvalidInput { ref field, .. } if field == "code"), "{refused:?}");

    let wrong = dangan_core::package::PackageCode::generate().unwrap().grouped().to_string();
    assert!(receiving.receive_member_package(&package, &wrong, branch, d(TODAY), false).is_err());
    assert!(receiving.receive_member_package(&package, "not a code", branch, d(TODAY), false).is_err());
    assert_eq!(people(&receiving), before, "nothing imported");

    let (mut foreign, foreign_branch) = other_office(office.dir.path(), "中共丙大学委员会");
    let refused = foreign.receive_member_package(&package, &written.code, foreign_branch, d(TODAY), false).unwrap_err();
    assert!(refused.to_string().contains("中共乙大学委员会"), "names whom it is for: {refused}");
    assert_eq!(foreign.count_people().unwrap(), 0, "nothing imported");

    receiving.receive_member_package(&package, &written.code, branch, d(TODAY), false).unwrap();
    let again = receiving.receive_member_package(&package, &written.code, branch, d(TODAY), false).unwrap_err();
    assert!(matches!(again, Error::InvalidInput { ref field, .. } if field == "letter"), "{again:?}");
    assert_eq!(people(&receiving), before + 1);

    // The office the letter names in another form (乙大学党委 for 中共乙大学委员会): refused
    // asking for the worker's confirmation, then received with it; a wrong code still opens nothing.
    let (mut short, short_branch) = other_office(&office.dir.path().join("short"), "乙大学党委");
    let ask = short.receive_member_package(&package, &written.code, short_branch, d(TODAY), false).unwrap_err();
    assert!(matches!(ask, Error::InvalidInput { ref field, .. } if field == "addressed_here"), "{ask:?}");
    assert!(short.receive_member_package(&package, &wrong, short_branch, d(TODAY), true).is_err());
    assert_eq!(short.count_people().unwrap(), 0);
    short.receive_member_package(&package, &written.code, short_branch, d(TODAY), true).unwrap();
    assert_eq!(short.count_people().unwrap(), 1);
}

fn pdftotext(path: &Path) -> Option<String> {
    match std::process::Command::new("pdftotext").arg(path).arg("-").output() {
        Ok(out) if out.status.success() => {
            Some(String::from_utf8_lossy(&out.stdout).chars().filter(|c| !c.is_whitespace()).collect())
        }
        _ => {
            crate::common::cannot_run("pdftotext (poppler-utils) is not installed");
            None
        }
    }
}

#[test]
fn another_offices_history_is_kept_without_control_characters() {
    let (office, _) = office();
    let mut receiving = unlock(&office);
    let history = ["2026-03-01T08:00:00Z 管理员\u{1b}[2J insert people", "\u{202e}exe.gpj"];
    let (path, code) =
        crate::common::package::sealed_for(office.dir.path(), "测试党委", "卫十三", "2026-077", &history);
    let page = receiving.receive_member_package(&path, &code, office.branch_a, d(TODAY), false).unwrap();
    let history = &page.arrival.unwrap().history;
    assert_eq!(history.len(), 2);
    assert!(history.iter().all(|l| !l.chars().any(|c| c.is_control() || c == '\u{202e}')), "{history:?}");
    assert_eq!(history[0], "2026-03-01T08:00:00Z 管理员[2J insert people");
}
