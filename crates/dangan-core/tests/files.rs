//! A member's file as an office keeps it: dated records with their text and scans, refused when a
//! field or a file is wrong (changing nothing), and the checklist of what the file still lacks.

use dangan_core::domain::{
    EventKind, FileRecord, Grade, MediaType, OrgKind, Person, ProcedureEvent, RecordFields, RecordKind,
};
use dangan_core::store::NewAttachment;
use dangan_core::{Error, Store, Workspace};

use crate::common::{PASSPHRASE, d, new_workspace};

const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00];
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

struct Office {
    dir: tempfile::TempDir,
    ws: Workspace,
    store: Store,
    zhang: i64,
}

fn office() -> Office {
    let (dir, ws, mut store) = new_workspace("中共测试大学委员会");
    let committee = store.org_tree().unwrap().committee().unwrap().id;
    let branch = store.add_org_unit(committee, OrgKind::Branch, "第一党支部").unwrap().id;
    let person =
        Person { branch_id: branch, name: "张三".into(), birth_date: Some(d("2004-05-01")), ..Person::default() };
    let zhang = store.save_person(person).unwrap().person.id.unwrap();
    for (kind, date) in [(EventKind::ApplicationReceived, "2026-03-01"), (EventKind::ApplicantTalk, "2026-03-20")] {
        store.save_event(zhang, ProcedureEvent::new(kind, d(date))).unwrap();
    }
    Office { dir, ws, store, zhang }
}

fn record(person_id: i64, kind: RecordKind, date: &str) -> FileRecord {
    FileRecord {
        version: None,
        id: None,
        person_id,
        kind,
        date: d(date),
        event_id: None,
        title: None,
        body: String::new(),
        fields: RecordFields::default(),
        attachments: Vec::new(),
    }
}

fn file(name: &str, bytes: &[u8]) -> NewAttachment {
    NewAttachment { name: name.into(), bytes: bytes.to_vec() }
}

fn invalid_field(err: Error) -> String {
    match err {
        Error::InvalidInput { field, .. } => field,
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[test]
fn a_record_keeps_its_text_fields_and_scans_and_ties_to_the_step_it_documents() {
    let mut o = office();
    let talk_event = o.store.member(o.zhang).unwrap().events[1].id;
    let mut talk = record(o.zhang, RecordKind::TalkRecord, "2026-03-20");
    talk.event_id = talk_event;
    talk.body = "谈话内容：端正入党动机，加强理论学习。".into();
    talk.fields.who = Some("  李书记 ".into());
    let saved = o.store.save_record(talk, &[file("谈话记录.jpg", JPEG), file("签字页.pdf", PDF)]).unwrap();
    assert_eq!(saved.fields.who.as_deref(), Some("李书记"));
    let kinds: Vec<MediaType> = saved.attachments.iter().map(|a| a.media_type).collect();
    assert_eq!(kinds, [MediaType::Jpeg, MediaType::Pdf]);
    let (info, bytes) = o.store.attachment(saved.attachments[1].id).unwrap();
    assert_eq!((info.name.as_str(), bytes.as_slice()), ("签字页.pdf", PDF));

    // Stored inside the encrypted database: after reopening, the scan is there, and no file of
    // the workspace holds its bytes or the talk's words in the clear.
    drop(o.store);
    let store = o.ws.open(PASSPHRASE).unwrap();
    assert_eq!(store.records(o.zhang).unwrap()[0].body, "谈话内容：端正入党动机，加强理论学习。");
    drop(store);
    for entry in std::fs::read_dir(o.dir.path().join("ws")).unwrap() {
        let content = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!content.windows(PDF.len()).any(|w| w == PDF), "a scan lies in the clear");
        let words = "端正入党动机".as_bytes();
        assert!(!content.windows(words.len()).any(|w| w == words), "the talk lies in the clear");
    }
}

#[test]
fn a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_saved() {
    let mut o = office();
    let letter = record(o.zhang, RecordKind::ApplicationLetter, "2026-03-01");
    let err = o.store.save_record(letter.clone(), &[file("申请书.pdf", JPEG)]).unwrap_err();
    let message = err.message(dangan_core::Lang::Zh);
    assert!(message.contains("申请书.pdf") && message.contains("JPEG 图片"), "{message}");
    let err = o.store.save_record(letter.clone(), &[file("申请书.docx", b"PK\x03\x04")]).unwrap_err();
    assert!(err.message(dangan_core::Lang::En).contains("only JPEG and PNG images and PDF files"), "{err}");
    let err = o.store.save_record(letter.clone(), &[file("扫描.png", b"not a png")]).unwrap_err();
    assert!(err.message(dangan_core::Lang::En).contains("does not hold a PNG image"), "{err}");
    let big = vec![0xFF; dangan_core::store::MAX_ATTACHMENT_BYTES + 1];
    let err = o.store.save_record(letter, &[file("大.jpg", &big)]).unwrap_err();
    assert!(err.message(dangan_core::Lang::Zh).contains("超过单个附件 20 MB 的上限"), "{err}");
    assert!(o.store.records(o.zhang).unwrap().is_empty(), "no record was made for a refused file");
}

#[test]
fn fields_each_kind_needs_are_checked_and_named() {
    let mut o = office();
    let talk = record(o.zhang, RecordKind::TalkRecord, "2026-03-20");
    assert_eq!(invalid_field(o.store.save_record(talk, &[]).unwrap_err()), "who");
    let mut training = record(o.zhang, RecordKind::TrainingRecord, "2026-06-01");
    training.fields.course = Some("入党积极分子培训班".into());
    training.fields.hours = Some(0.0);
    assert_eq!(invalid_field(o.store.save_record(training.clone(), &[]).unwrap_err()), "hours");
    training.fields.hours = Some(24.0);
    o.store.save_record(training, &[]).unwrap();
    let mut appraisal = record(o.zhang, RecordKind::Appraisal, "2026-07-01");
    assert_eq!(invalid_field(o.store.save_record(appraisal.clone(), &[]).unwrap_err()), "grade");
    appraisal.fields.grade = Some(Grade::Excellent);
    appraisal.fields.score = Some(101.0);
    assert_eq!(invalid_field(o.store.save_record(appraisal.clone(), &[]).unwrap_err()), "score");
    let future = record(o.zhang, RecordKind::StudyNote, "2026-11-25");
    assert_eq!(invalid_field(o.store.save_record(future, &[]).unwrap_err()), "date");
    let mut wrong_step = record(o.zhang, RecordKind::Oath, "2026-03-20");
    wrong_step.event_id = o.store.member(o.zhang).unwrap().events[1].id;
    assert_eq!(invalid_field(o.store.save_record(wrong_step, &[]).unwrap_err()), "event_id");
}

#[test]
fn the_checklist_shows_what_the_file_lacks_and_fills_as_records_arrive() {
    let mut o = office();
    let missing = |store: &Store, id: i64| -> Vec<String> {
        store.checklist(id).unwrap().into_iter().filter(|l| l.is_missing()).map(|l| l.material).collect()
    };
    assert_eq!(missing(&o.store, o.zhang), ["application_letter", "talk_record"]);
    o.store
        .save_record(record(o.zhang, RecordKind::ApplicationLetter, "2026-03-01"), &[file("申请书.jpg", JPEG)])
        .unwrap();
    assert_eq!(missing(&o.store, o.zhang), ["talk_record"]);
    o.store.save_event(o.zhang, ProcedureEvent::new(EventKind::ActivistDetermined, d("2026-09-01"))).unwrap();
    o.store.save_event(o.zhang, ProcedureEvent::new(EventKind::ThoughtReport, d("2026-11-01"))).unwrap();
    assert_eq!(
        missing(&o.store, o.zhang),
        ["talk_record", "thought_reports"],
        "a report was given, its text is not on file"
    );
    let lines = o.store.checklist(o.zhang).unwrap();
    assert_eq!(lines.iter().find(|l| l.material == "application_letter").unwrap().date, Some(d("2026-03-01")));
}

#[test]
fn deleting_a_record_deletes_its_attachments() {
    let mut o = office();
    let saved = o
        .store
        .save_record(
            record(o.zhang, RecordKind::StudyNote, "2026-05-01"),
            &[file("笔记.png", b"\x89PNG\r\n\x1a\n0000")],
        )
        .unwrap();
    let attachment = saved.attachments[0].id;
    o.store.delete_record(saved.id.unwrap()).unwrap();
    assert!(matches!(o.store.attachment(attachment).unwrap_err(), Error::NotFound { .. }));
    assert!(matches!(o.store.delete_record(saved.id.unwrap()).unwrap_err(), Error::NotFound { .. }));
}
