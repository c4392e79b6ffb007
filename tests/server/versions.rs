//! A meeting, a training class and a record of a member's file on a server carry a version, as a
//! person does (schema version 22): of two users who opened the same one, the second save made
//! from what they read is refused, naming who changed it, and saves nothing; read again, it goes
//! through. The server raises the version itself; the log records what a user changed, not it.

use dangan_core::domain::{
    Attendance, Attendee, ClassKind, ClassSession, FileRecord, Meeting, MeetingKind, RecordFields, RecordKind,
    TrainingClass,
};
use dangan_core::server::{ServerAddress, ServerSession};
use dangan_core::store::AuditQuery;
use dangan_core::{Error, Lang};
use dangan_tests::PASSPHRASE;

use crate::members::{add_secretary, office};
use crate::security::db_role;
use crate::setup::{ADMIN, initialised};

/// The refusal a stale save must give: a conflict naming who changed it, in both languages.
fn refused_naming(result: Result<impl std::fmt::Debug, Error>, by: &str) {
    let err = result.expect_err("a save made from an older version must be refused");
    assert!(matches!(err, Error::ChangedMeanwhile { .. }), "{err:?}");
    assert!(err.message(Lang::Zh).contains(&format!("已被{by}修改")), "{}", err.message(Lang::Zh));
    assert!(err.message(Lang::En).contains(&format!("changed by {by}")), "{}", err.message(Lang::En));
}

#[test]
fn a_meeting_a_class_or_a_record_saved_from_what_another_user_has_changed_since_is_refused_naming_them() {
    let Some((cluster, url)) = initialised() else { return };
    let (zhang, _) = office(&cluster, &url);
    add_secretary(&url);
    let zhang: i64 = zhang.parse().unwrap();
    let address: ServerAddress = url.parse().unwrap();
    let mut admin = ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    let mut secretary = ServerSession::sign_in(&address, Some("孙书记"), PASSPHRASE).unwrap();
    let branch = admin.find_unit("第一党支部", "unit").unwrap();

    // A meeting of the branch, opened by both; the secretary writes its minutes first.
    let present = [Attendee { person_id: zhang, attendance: Attendance::Present, reason: None }];
    let meeting = Meeting {
        id: None,
        unit_id: branch,
        group_id: None,
        kind: MeetingKind::GeneralMeeting,
        date: "2026-03-05".parse().unwrap(),
        held: true,
        place: None,
        chair: None,
        recorder: None,
        topic: Some("学习党章".into()),
        minutes: None,
        decisions: None,
        study_minutes: 60,
        guests: None,
        version: None,
    };
    let added = admin.save_meeting(meeting, &present).unwrap();
    let id = added.meeting.id.unwrap();
    assert_eq!(added.meeting.version, Some(1));
    let read_by_admin = admin.meeting(id).unwrap().meeting;
    let mut by_secretary = secretary.meeting(id).unwrap().meeting;
    by_secretary.minutes = Some("孙书记的记录".into());
    let saved = secretary.save_meeting(by_secretary, &present).unwrap();
    assert_eq!(saved.meeting.version, Some(2), "the server raised the version");
    // The administrator's save, made from the first version, would undo the minutes: refused.
    let mut stale = read_by_admin.clone();
    stale.decisions = Some("管理员的决议".into());
    refused_naming(admin.save_meeting(stale.clone(), &present), "孙书记");
    let stored = admin.meeting(id).unwrap().meeting;
    assert_eq!(stored.minutes.as_deref(), Some("孙书记的记录"), "the secretary's minutes stand");
    assert_eq!(stored.decisions, None, "nothing of the refused save was kept");
    // Read again, the change goes through, on top of the secretary's.
    let mut fresh = stored;
    fresh.decisions = Some("管理员的决议".into());
    let saved = admin.save_meeting(fresh, &present).unwrap();
    assert_eq!(saved.meeting.minutes.as_deref(), Some("孙书记的记录"));
    assert_eq!(saved.meeting.version, Some(3));
    // The log holds what each user changed, not the version the server raised.
    let logged = admin.audit_log(&AuditQuery { entity: Some("meetings".into()), ..AuditQuery::default() }).unwrap();
    let fields: Vec<&str> = logged.entries.iter().filter_map(|e| e.field.as_deref()).collect();
    assert!(fields.contains(&"minutes") && fields.contains(&"decisions"), "{fields:?}");
    assert!(!fields.iter().any(|f| ["version", "changed_by", "changed_at"].contains(f)), "{fields:?}");
    // Nobody sets a version by hand; a change made in psql raises it as the app's do, naming who.
    let secretary_role = db_role(&url, "孙书记");
    let psql = |sql: &str| cluster.psql("dangan", &secretary_role, PASSPHRASE, sql);
    let out = psql(&format!("UPDATE dangan.meetings SET version = 1 WHERE id = {id}"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("permission denied"), "{out:?}");
    let out = psql(&format!("UPDATE dangan.meetings SET minutes = '改过' WHERE id = {id}"));
    assert!(out.status.success(), "{out:?}");
    let out = psql(&format!("SELECT version || ' ' || changed_by FROM dangan.meetings WHERE id = {id}"));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "4 孙书记");

    // A class of the committee, opened in two of the administrator's sessions.
    let mut other_admin = ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    let committee = admin.find_unit("中共示范大学委员会", "unit").unwrap();
    let class = TrainingClass {
        id: None,
        unit_id: committee,
        kind: ClassKind::CandidateClass,
        name: "发展对象培训班".into(),
        starts: "2026-04-01".parse().unwrap(),
        ends: "2026-04-03".parse().unwrap(),
        sessions: vec![ClassSession { id: None, date: "2026-04-01".parse().unwrap(), minutes: 480, topic: None }],
        version: None,
    };
    let class_id = admin.save_class(class).unwrap().class.id.unwrap();
    let read_here = admin.class(class_id).unwrap().class;
    let read_here_version = read_here.version;
    let mut read_there = other_admin.class(class_id).unwrap().class;
    read_there.name = "第一期发展对象培训班".into();
    other_admin.save_class(read_there).unwrap();
    let mut stale = read_here;
    stale.ends = "2026-04-05".parse().unwrap();
    refused_naming(admin.save_class(stale), ADMIN);
    let stored = admin.class(class_id).unwrap().class;
    assert_eq!((stored.name.as_str(), stored.ends.to_string().as_str()), ("第一期发展对象培训班", "2026-04-03"));
    // Its results and a session's attendance are sheets of the class, saved whole: from an older
    // version, refused; saved, the class's version rises, so a form opened before is refused too.
    let session = stored.sessions[0].id.unwrap();
    refused_naming(admin.set_results(class_id, &[], read_here_version), ADMIN);
    refused_naming(admin.set_session_attendance(session, &[], read_here_version), ADMIN);
    let sheet = other_admin.set_results(class_id, &[], stored.version).unwrap();
    assert!(sheet.class.version > stored.version, "the results raised the class's version");
    refused_naming(admin.save_class(stored.clone()), ADMIN);
    let attended = admin.set_session_attendance(session, &[], sheet.class.version).unwrap();
    assert!(attended.class.version > sheet.class.version);

    // A record of 张三's file: the secretary's change first, the administrator's stale one refused.
    let record = FileRecord {
        id: None,
        person_id: zhang,
        kind: RecordKind::StudyNote,
        date: "2026-03-10".parse().unwrap(),
        event_id: None,
        title: Some("学习笔记".into()),
        body: "第一稿".into(),
        fields: RecordFields::default(),
        attachments: Vec::new(),
        version: None,
    };
    let record_id = admin.save_record(record, &[]).unwrap().id;
    let find = |records: Vec<FileRecord>| records.into_iter().find(|r| r.id == record_id).unwrap();
    let read_by_admin = find(admin.records(zhang).unwrap());
    let mut by_secretary = find(secretary.records(zhang).unwrap());
    by_secretary.body = "孙书记改过的稿".into();
    secretary.save_record(by_secretary, &[]).unwrap();
    let mut stale = read_by_admin;
    stale.title = Some("管理员的标题".into());
    refused_naming(admin.save_record(stale, &[]), "孙书记");
    let stored = find(admin.records(zhang).unwrap());
    assert_eq!((stored.body.as_str(), stored.title.as_deref()), ("孙书记改过的稿", Some("学习笔记")));
    let mut fresh = stored;
    fresh.title = Some("管理员的标题".into());
    let saved = admin.save_record(fresh, &[]).unwrap();
    assert_eq!((saved.body.as_str(), saved.title.as_deref()), ("孙书记改过的稿", Some("管理员的标题")));

    // 张三 moving to another branch takes the record along; nobody edited it, so a form opened
    // before the move still saves.
    admin.move_member(zhang, "第二党支部", None).unwrap();
    let moved = find(admin.records(zhang).unwrap());
    assert_eq!(moved.version, saved.version, "a move is no edit of the record");
    let mut after_move = saved;
    after_move.body = "搬家后改的稿".into();
    admin.save_record(after_move, &[]).unwrap();
}

/// A party group's members are saved as a whole list (schema-free: the list the form opened with
/// is sent beside the new one): of two users who opened the same group, the second save is
/// refused rather than taking out whoever the first added.
#[test]
fn a_party_groups_members_saved_from_what_another_user_has_changed_since_are_refused() {
    let Some((cluster, url)) = initialised() else { return };
    let (zhang, _) = office(&cluster, &url);
    add_secretary(&url);
    let zhang: i64 = zhang.parse().unwrap();
    let address: ServerAddress = url.parse().unwrap();
    let mut admin = ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    let mut secretary = ServerSession::sign_in(&address, Some("孙书记"), PASSPHRASE).unwrap();
    let branch = admin.find_unit("第一党支部", "unit").unwrap();
    let wang = dangan_core::domain::Person { name: "王五".into(), branch_id: branch, ..Default::default() };
    let wang = admin.save_person(wang, None).unwrap().detail.person.id.unwrap();
    let group = admin.save_group(None, branch, "第一党小组").unwrap();
    admin.set_group_members(group.id, &[zhang], Some(&[])).unwrap();
    // Both open it on 张三; the secretary adds 王五 first.
    secretary.set_group_members(group.id, &[zhang, wang], Some(&[zhang])).unwrap();
    let err = admin.set_group_members(group.id, &[], Some(&[zhang])).unwrap_err();
    assert!(matches!(err, Error::ChangedMeanwhile { .. }), "{err:?}");
    assert!(err.message(Lang::En).contains("the members of 第一党小组"), "{}", err.message(Lang::En));
    let kept = admin.groups(Some(branch)).unwrap();
    assert_eq!(kept[0].members.len(), 2, "the secretary's 王五 stays");
    // Read again, the administrator's change goes through.
    assert!(admin.set_group_members(group.id, &[wang], Some(&[wang, zhang])).unwrap().members.len() == 1);
}
