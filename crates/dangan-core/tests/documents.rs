//! The procedure's documents (issue 19): a batch notice about a branch's activists made as one
//! .docx with the people as a real table and as a PDF that reads back; a person at an earlier
//! stage, a batch for a one-person form and an unknown format refused by name; an office's own
//! wording loaded, used and reset, and a broken one refused naming its line.

use std::io::Read;

use crate::common::office::{ADMINISTRATOR, member, office, probationary};
use crate::common::{PASSPHRASE, TODAY, d};
use dangan_core::domain::{EventKind, ProcedureEvent};
use dangan_core::{Error, ErrorKind, Session, Workspace};

/// The words of a .docx's body, one paragraph or table cell a line, and how many table rows it has.
pub fn docx_text(bytes: &[u8]) -> (String, usize) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a .docx is a zip archive");
    let mut xml = String::new();
    archive.by_name("word/document.xml").expect("it has a body").read_to_string(&mut xml).unwrap();
    let rows = xml.matches("<w:tr>").count() + xml.matches("<w:tr ").count();
    let mut text = String::new();
    let mut rest = xml.as_str();
    while let Some(start) = rest.find("<w:t") {
        rest = &rest[start..];
        let Some(open_end) = rest.find('>') else { break };
        let is_text = rest[..open_end].starts_with("<w:t>") || rest[..open_end].starts_with("<w:t ");
        rest = &rest[open_end + 1..];
        if is_text {
            let end = rest.find("</w:t>").unwrap_or(rest.len());
            text.push_str(&rest[..end]);
            text.push('\n');
        }
    }
    (text, rows)
}

fn admin(office: &crate::common::office::Office) -> Session {
    let mut session = Session::unlock(Workspace::at(office.ws.dir()), Some(ADMINISTRATOR), PASSPHRASE).unwrap();
    session.set_today(d(TODAY));
    session
}

#[test]
fn a_branchs_activists_are_one_publicity_notice_with_a_table_as_docx_and_as_pdf() {
    let (mut office, _) = office();
    let wang = member(&mut office.admin, office.branch_a, "王五");
    for id in [office.zhang, wang] {
        office.admin.save_event(id, ProcedureEvent::new(EventKind::ActivistDetermined, d("2026-11-10"))).unwrap();
    }
    let mut session = admin(&office);
    let docx = office.dir.path().join("发展对象公示.docx");
    let made = session.make_document("candidate_publicity", &[office.zhang, wang], None, &docx, false).unwrap();
    assert_eq!(made.people, 2);
    assert!(made.provisional, "2026's holidays are not entered: the publicity's end is provisional");
    let (text, rows) = docx_text(&std::fs::read(&docx).unwrap());
    assert_eq!(rows, 3, "a header row and one row a person: {text}");
    for expected in ["关于拟确定2名同志为发展对象的公示", "张三", "王五", "2026年11月10日", "第一党支部", "第十三条"]
    {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    // 2026-11-24 is a Tuesday: five working days end on Monday the 30th.
    assert!(text.contains("2026年11月24日至2026年11月30日"), "{text}");

    let pdf = office.dir.path().join("发展对象公示.pdf");
    session.make_document("candidate_publicity", &[office.zhang, wang], Some(d("2026-11-20")), &pdf, false).unwrap();
    let read = std::process::Command::new("pdftotext").args(["-layout"]).arg(&pdf).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&read.stdout);
    assert!(text.contains("张三") && text.contains("王五") && text.contains("2026年11月20日"), "{text}");
}

#[test]
fn a_person_before_the_documents_stage_a_batch_of_a_form_and_an_unknown_format_are_refused() {
    let (office, _) = office();
    let mut session = admin(&office);
    let out = office.dir.path().join("x.docx");
    // 张三 has only applied: the development targets' publicity is about activists.
    let err = session.make_document("candidate_publicity", &[office.zhang], None, &out, false).unwrap_err();
    let message = err.message(dangan_core::Lang::En);
    assert!(message.contains("张三") && message.contains("Applicant"), "{message}");
    // The talk record is about one applicant.
    let err =
        session.make_document("applicant_talk_record", &[office.zhang, office.li], None, &out, false).unwrap_err();
    assert!(matches!(err, Error::InvalidInput { ref field, .. } if field == "members"), "{err:?}");
    let err =
        session.make_document("applicant_talk_record", &[office.zhang], None, &office.dir.path().join("x.txt"), false);
    assert!(err.unwrap_err().message(dangan_core::Lang::En).contains(".docx or .pdf"));
    assert_eq!(
        session.make_document("no_such", &[office.zhang], None, &out, false).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert!(!out.exists(), "nothing was written");
    // Made for one applicant, it is their talk record.
    session.make_document("applicant_talk_record", &[office.zhang], None, &out, false).unwrap();
    assert!(docx_text(&std::fs::read(&out).unwrap()).0.contains("2026年11月1日"), "the application's day");
}

#[test]
fn an_office_loads_its_own_wording_a_broken_one_is_refused_by_line_and_reset_brings_back_the_shipped() {
    let (office, _) = office();
    let mut session = admin(&office);
    let shipped = session.document_template_source("applicant_talk_record").unwrap();
    let own = shipped.replace("# 入党申请人谈话记录", "# 本单位入党谈话记录");
    assert!(session.load_document_template(&own).unwrap().custom);
    let listed = session.documents().unwrap();
    assert!(listed.iter().any(|d| d.id == "applicant_talk_record" && d.custom));
    let out = office.dir.path().join("谈话.docx");
    session.make_document("applicant_talk_record", &[office.zhang], None, &out, false).unwrap();
    assert!(docx_text(&std::fs::read(&out).unwrap()).0.contains("本单位入党谈话记录"));

    // A field that does not exist, on the file's line 14: refused, the office's wording kept.
    let broken = own.replace("< 谈话地点：", "< 谈话地点：{{ person.room }}");
    let line = broken.lines().position(|l| l.contains("person.room")).unwrap() + 1;
    let message = session.load_document_template(&broken).unwrap_err().message(dangan_core::Lang::En);
    assert!(message.contains(&format!("line {line}")) && message.contains("does not exist"), "{message}");
    session.make_document("applicant_talk_record", &[office.zhang], None, &out, false).unwrap();
    assert!(docx_text(&std::fs::read(&out).unwrap()).0.contains("本单位入党谈话记录"), "the loaded one still applies");

    session.reset_document_template("applicant_talk_record").unwrap();
    session.make_document("applicant_talk_record", &[office.zhang], None, &out, false).unwrap();
    let text = docx_text(&std::fs::read(&out).unwrap()).0;
    assert!(text.contains("入党申请人谈话记录") && !text.contains("本单位"), "{text}");
}

/// The people of one document usually take the step together: recorded for a selection, each is
/// checked, and either all are recorded or none, the refusal naming each person refused.
#[test]
fn a_step_for_a_selection_is_recorded_for_all_or_for_none_naming_each_refused() {
    let (mut office, _) = office();
    let wang = member(&mut office.admin, office.branch_a, "王五");
    let mut session = admin(&office);
    // 张三 and 王五 applied on 2026-11-01: a talk on 2026-10-30 comes before it for both.
    let early = ProcedureEvent::new(EventKind::ApplicantTalk, d("2026-10-30"));
    let err = session.save_event_for_many(&[office.zhang, wang], &early).unwrap_err();
    let message = err.message(dangan_core::Lang::Zh);
    assert!(message.contains("张三") && message.contains("王五"), "{message}");
    assert!(session.member(office.zhang).unwrap().events.iter().all(|e| e.kind != EventKind::ApplicantTalk));

    let talk = ProcedureEvent::new(EventKind::ApplicantTalk, d("2026-11-20"));
    let recorded = session.save_event_for_many(&[office.zhang, wang], &talk).unwrap();
    assert_eq!(recorded.len(), 2);
    for id in [office.zhang, wang] {
        assert!(session.member(id).unwrap().events.iter().any(|e| e.kind == EventKind::ApplicantTalk));
    }
    let twice = session.save_event_for_many(&[wang, wang], &talk).unwrap_err();
    assert!(matches!(twice, Error::InvalidInput { ref field, .. } if field == "selection"), "{twice:?}");
}

/// A development targets' publicity about activists of two branches is the committee's, and
/// names 各党支部 as the branches that decided (it once read 「测试党委委员会研究」); about one
/// branch it names that branch. A document spoken by one branch (its meeting's) refuses people of
/// two, naming both, and writes nothing.
#[test]
fn a_batch_across_branches_names_each_branch_and_a_document_of_one_branch_refuses_it() {
    let (mut office, _) = office();
    for id in [office.zhang, office.li] {
        office.admin.save_event(id, ProcedureEvent::new(EventKind::ActivistDetermined, d("2026-11-10"))).unwrap();
    }
    let mut session = admin(&office);
    let out = office.dir.path().join("公示.docx");
    session.make_document("candidate_publicity", &[office.zhang, office.li], None, &out, false).unwrap();
    let (text, _) = docx_text(&std::fs::read(&out).unwrap());
    assert!(text.contains("经各党支部委员会研究") && text.contains("向各党支部或测试党委反映"), "{text}");
    assert!(!text.contains("委员会委员会") && !text.contains("党委委员会"), "{text}");
    session.make_document("candidate_publicity", &[office.zhang], None, &out, false).unwrap();
    let (text, _) = docx_text(&std::fs::read(&out).unwrap());
    assert!(text.contains("经第一党支部委员会研究") && text.contains("向第一党支部或测试党委反映"), "{text}");

    let a = probationary(&mut office.admin, office.branch_a, "赵一");
    let b = probationary(&mut office.admin, office.branch_b, "钱二");
    let mut session = admin(&office);
    let notice = office.dir.path().join("转正公示.docx");
    let err = session.make_document("conversion_publicity", &[a, b], None, &notice, false).unwrap_err();
    let message = err.message(dangan_core::Lang::Zh);
    assert!(message.contains("第一党支部") && message.contains("第二党支部") && message.contains("分别"), "{message}");
    assert!(!notice.exists(), "nothing was written");
    session.make_document("conversion_publicity", &[a], None, &notice, false).unwrap();
    assert!(docx_text(&std::fs::read(&notice).unwrap()).0.contains("第一党支部委员会审查"));
}

/// Saving a development targets' publicity can record its step for everyone in it, dated the
/// notice's day, so that the publicity's five working days are tracked like every deadline; a
/// refused step records nothing and leaves no file; a document that starts no step says so.
#[test]
fn saving_a_publicity_records_its_step_for_everyone_in_it_or_for_no_one() {
    let (mut office, _) = office();
    let wang = member(&mut office.admin, office.branch_a, "王五");
    for id in [office.zhang, wang] {
        office.admin.save_event(id, ProcedureEvent::new(EventKind::ActivistDetermined, d("2026-11-10"))).unwrap();
    }
    let mut session = admin(&office);
    let infos = session.documents().unwrap();
    let publicity = infos.iter().find(|i| i.id == "candidate_publicity").unwrap();
    assert_eq!(publicity.records, Some(EventKind::CandidatePublicity));
    assert!(infos.iter().filter(|i| i.id != "candidate_publicity").all(|i| i.records.is_none()));

    // Before 张三 was an activist: refused for both, naming 张三; no step, no file.
    let out = office.dir.path().join("公示.pdf");
    let early = session.make_document("candidate_publicity", &[office.zhang, wang], Some(d("2026-11-05")), &out, true);
    let message = early.unwrap_err().message(dangan_core::Lang::Zh);
    assert!(message.contains("张三") && message.contains("王五"), "{message}");
    assert!(!out.exists(), "a refused step leaves no document");
    let has_publicity =
        |s: &Session, id| s.member(id).unwrap().events.iter().any(|e| e.kind == EventKind::CandidatePublicity);
    assert!(!has_publicity(&session, office.zhang) && !has_publicity(&session, wang));

    let made =
        session.make_document("candidate_publicity", &[office.zhang, wang], Some(d("2026-11-24")), &out, true).unwrap();
    assert_eq!((made.people, made.recorded), (2, 2));
    assert!(out.exists());
    for id in [office.zhang, wang] {
        let events = session.member(id).unwrap().events;
        assert!(events.iter().any(|e| e.kind == EventKind::CandidatePublicity && e.date == d("2026-11-24")));
        let query = dangan_core::deadlines::DeadlineQuery { member_id: Some(id), ..Default::default() };
        let items = session.deadlines(&query).unwrap();
        let end = items.iter().find(|i| &*i.rule == "candidate_publicity").expect("the publicity's end is tracked");
        // Five working days from Tuesday the 24th end on Monday the 30th: the development target
        // may be determined from the day after.
        assert_eq!(end.due, d("2026-12-01"));
    }

    let talk = office.dir.path().join("谈话.docx");
    let li = office.li;
    let err = session.make_document("applicant_talk_record", &[li], None, &talk, true).unwrap_err();
    assert!(matches!(err, Error::InvalidInput { ref field, .. } if field == "record_step"), "{err:?}");
    assert!(!talk.exists());
}
