//! Users on a shared workstation: each with a key slot of their own, a role the core checks on
//! every call, and a recovery key for the day every passphrase is forgotten.

use std::fs;
use std::ops::ControlFlow;

use crate::common::office::{add, office, open_as};
use crate::common::{CHEAP, PASSPHRASE, TODAY, d};
use dangan_core::access::{NewUser, Role};
use dangan_core::deadlines::DeadlineQuery;
use dangan_core::domain::{EventKind, Id, OrgKind, Person, ProcedureEvent};
use dangan_core::keys::KeyFile;
use dangan_core::roster::{self, ImportOptions};
use dangan_core::store::MemberQuery;
use dangan_core::{Error, ErrorKind, Lang};

fn forbidden<T: std::fmt::Debug>(result: dangan_core::Result<T>) -> String {
    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden, "{err}");
    err.message(Lang::Zh)
}

#[test]
fn the_creator_is_the_administrator_and_each_new_user_gets_a_slot_of_their_own() {
    let (mut office, _) = office();
    assert_eq!(office.admin.session_user().name, "王管理");
    assert_eq!(office.admin.session_user().role, Role::Administrator);
    // SQLCipher's first 16 bytes are the database's salt: re-encrypting would change them.
    let salt_before = fs::read(office.ws.db_path()).unwrap()[..16].to_vec();
    add(&mut office, "赵组织", Role::Organiser, &[]);
    let slots = KeyFile::read(&office.ws.key_path()).unwrap().slots;
    assert_eq!(slots.iter().filter(|s| s.label == "赵组织").count(), 1);
    drop(office.admin);
    let organiser = office.ws.open_as(Some("赵组织"), "赵组织-passphrase").unwrap();
    assert_eq!(organiser.session_user().role, Role::Organiser);
    assert_eq!(fs::read(office.ws.db_path()).unwrap()[..16], salt_before[..]);
    // The name picks the slot: another user's passphrase under this name opens nothing.
    let err = office.ws.open_as(Some("赵组织"), PASSPHRASE).unwrap_err();
    assert!(matches!(err, Error::WrongUserOrPassphrase), "{err}");
    // Without a name, the passphrase finds its own slot.
    assert_eq!(office.ws.open(PASSPHRASE).unwrap().session_user().name, "王管理");
}

#[test]
fn a_branch_secretary_sees_and_changes_only_their_branches() {
    let (mut office, _) = office();
    let branch_a = office.branch_a;
    add(&mut office, "孙书记", Role::BranchSecretary, &[branch_a]);
    let mut secretary = open_as(&office, "孙书记");

    let listed: Vec<String> =
        secretary.list_members(&MemberQuery::all()).unwrap().items.into_iter().map(|m| m.name).collect();
    assert_eq!(listed, ["张三"]);
    // Another branch asked for by name is refused, not answered with an empty list that reads
    // as "nobody there".
    let asked_for_b = MemberQuery { branch_id: Some(office.branch_b), ..MemberQuery::all() };
    forbidden(secretary.list_members(&asked_for_b));
    let deadlines_of_b = DeadlineQuery { branch_id: Some(office.branch_b), ..Default::default() };
    forbidden(secretary.deadlines(&deadlines_of_b));
    let items = secretary.deadlines(&Default::default()).unwrap();
    let zhangs: Vec<_> = office
        .admin
        .deadlines(&Default::default())
        .unwrap()
        .into_iter()
        .filter(|i| i.owner.member_id() == Some(office.zhang))
        .collect();
    assert!(!zhangs.is_empty());
    assert_eq!(items, zhangs, "exactly their branch's items");

    assert!(forbidden(secretary.member(office.li)).contains("第二党支部"));
    forbidden(secretary.save_event(office.li, ProcedureEvent::new(EventKind::ApplicantTalk, d("2026-11-10"))));
    forbidden(secretary.save_person(Person { branch_id: office.branch_b, name: "新人".into(), ..Person::default() }));
    forbidden(secretary.add_org_unit(branch_a, OrgKind::Branch, "第三党支部"));

    secretary.save_event(office.zhang, ProcedureEvent::new(EventKind::ApplicantTalk, d("2026-11-10"))).unwrap();
    assert_eq!(secretary.member(office.zhang).unwrap().events.len(), 2);
}

#[test]
fn a_branch_secretary_importing_a_row_of_another_branch_imports_nothing() {
    let (mut office, _) = office();
    let branch_a = office.branch_a;
    add(&mut office, "孙书记", Role::BranchSecretary, &[branch_a]);
    let mut secretary = open_as(&office, "孙书记");
    let csv = office.ws.dir().join("../roster.csv");
    fs::write(&csv, "姓名,所在党支部,递交入党申请书日期\n王五,第一党支部,2026-10-01\n赵六,第二党支部,2026-10-02\n")
        .unwrap();
    let roster = roster::read(&csv).unwrap();
    let err = secretary.import_roster(roster, ImportOptions::default(), |_| ControlFlow::Continue(())).unwrap_err();
    let Error::ImportRejected { report } = err else { panic!("{err}") };
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].row, 3);
    assert!(report.problems[0].reason_zh.contains("不在你负责的党支部之内"), "{:?}", report.problems);
    assert_eq!(office.admin.count_people().unwrap(), 2);
}

#[test]
fn the_auditor_reads_everything_and_the_audit_log_but_changes_nothing() {
    let (mut office, _) = office();
    add(&mut office, "钱审计", Role::Auditor, &[]);
    add(&mut office, "赵组织", Role::Organiser, &[]);
    let mut auditor = open_as(&office, "钱审计");
    assert_eq!(auditor.list_members(&MemberQuery::all()).unwrap().total, 2);
    assert!(auditor.audit_log(&Default::default()).unwrap().total > 0);
    forbidden(auditor.save_event(office.zhang, ProcedureEvent::new(EventKind::ApplicantTalk, d("2026-11-10"))));
    forbidden(auditor.users());
    forbidden(auditor.set_backup_settings(None, 7));

    let organiser = open_as(&office, "赵组织");
    assert!(forbidden(organiser.audit_log(&Default::default())).contains("审计日志"));
    forbidden(organiser.users());
    forbidden(office.ws.add_user(
        &mut open_as(&office, "赵组织"),
        &NewUser { name: "x", role: Role::Administrator, branches: &[], passphrase: "long enough passphrase" },
    ));
}

#[test]
fn a_removed_user_can_no_longer_open_the_workspace() {
    let (mut office, _) = office();
    let id = add(&mut office, "赵组织", Role::Organiser, &[]);
    let slots_with = KeyFile::read(&office.ws.key_path()).unwrap().slots.len();
    office.ws.remove_user(&mut office.admin, id).unwrap();
    assert_eq!(KeyFile::read(&office.ws.key_path()).unwrap().slots.len(), slots_with - 1);
    let err = office.ws.open_as(Some("赵组织"), "赵组织-passphrase").unwrap_err();
    // A removed user's name reads as any unknown name: no hint which of the two is wrong.
    assert!(matches!(err, Error::WrongUserOrPassphrase), "{err}");
    assert_eq!(err.message(Lang::Zh), "用户名或口令错误");
    assert_eq!(err.kind(), ErrorKind::WrongPassphrase);
    assert!(office.admin.users().unwrap().iter().all(|u| u.name != "赵组织"));
}

#[test]
fn the_last_administrator_cannot_be_removed_or_demoted() {
    let (mut office, _) = office();
    let me = office.admin.users().unwrap()[0].id;
    let err = office.admin.set_user_role(me, Role::Auditor, &[]).unwrap_err();
    assert!(err.message(Lang::Zh).contains("最后一位管理员"), "{err}");
    let other = add(&mut office, "周管理", Role::Administrator, &[]);
    let mut second = open_as(&office, "周管理");
    office.ws.remove_user(&mut second, me).unwrap();
    let err = office.ws.remove_user(&mut second, other).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
}

#[test]
fn bad_user_details_are_refused_naming_the_field() {
    let (mut office, _) = office();
    for (new, field) in [
        (NewUser { name: " ", role: Role::Organiser, branches: &[], passphrase: "long enough 1" }, "name"),
        (NewUser { name: "王管理", role: Role::Organiser, branches: &[], passphrase: "long enough 1" }, "name"),
        (
            NewUser { name: "孙书记", role: Role::BranchSecretary, branches: &[], passphrase: "long enough 1" },
            "branches",
        ),
        (NewUser { name: "孙书记", role: Role::Organiser, branches: &[], passphrase: "short" }, "passphrase"),
    ] {
        let err = office.ws.add_user_with_kdf(&mut office.admin, &new, CHEAP).unwrap_err();
        let Error::InvalidInput { field: named, .. } = &err else { panic!("{err}") };
        assert_eq!(named, field, "{err}");
    }
    assert_eq!(office.admin.users().unwrap().len(), 1);
}

#[test]
fn the_recovery_key_sets_a_forgotten_passphrase_anew_and_a_new_key_voids_the_old() {
    let (office, code) = office();
    let me = office.admin.users().unwrap()[0].id;
    drop(office.admin);
    let typed = code.grouped().to_lowercase();
    let recovery = office.ws.open_with_recovery(&typed).unwrap();
    assert!(recovery.session_user().recovery);
    office.ws.reset_passphrase(&recovery, me, "a brand new passphrase").unwrap();
    assert!(matches!(office.ws.open(PASSPHRASE), Err(Error::WrongPassphrase)));
    let admin = office.ws.open_as(Some("王管理"), "a brand new passphrase").unwrap();
    // What the recovery key did is in the log, under its own name.
    let log = admin.audit_log(&Default::default()).unwrap();
    assert!(log.entries.iter().any(|e| e.actor == "王管理"));

    let new_code = office.ws.new_recovery_code(&admin).unwrap();
    let old = office.ws.open_with_recovery(&typed).unwrap_err();
    assert!(matches!(old, Error::WrongRecoveryCode), "{old:?}");
    assert_eq!(old.message(Lang::Zh), "恢复密钥不正确");
    office.ws.open_with_recovery(&new_code.grouped()).unwrap();
    let err = office.ws.open_with_recovery("not a code").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
}

#[test]
fn the_recovery_sheet_is_one_page_with_the_code_on_it() {
    let (office, code) = office();
    let pdf = office.ws.dir().join("../恢复密钥.pdf");
    let sheet = dangan_core::dossier::RecoverySheet {
        committee: "测试党委",
        workspace: office.ws.dir(),
        made_on: d(TODAY),
        created_at: chrono::Utc::now(),
    };
    dangan_core::dossier::write_recovery_sheet(office.ws.dir(), &pdf, &sheet, &code).unwrap();
    let Ok(out) = std::process::Command::new("pdftotext").arg(&pdf).arg("-").output() else {
        assert!(fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
        return crate::common::cannot_run(
            "pdftotext is not installed (poppler-utils): only checked that the PDF was written",
        );
    };
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(code.grouped().as_str()), "{text}");
    assert!(
        text.contains("测试党委") && text.contains("2026年11月24日") && text.replace(' ', "").contains("第1页共1页"),
        "{text}"
    );
}

#[test]
fn the_recovery_key_sets_passphrases_and_reads_nothing() {
    let (office, code) = office();
    drop(office.admin);
    let recovery = office.ws.open_with_recovery(&code.grouped()).unwrap();
    forbidden(recovery.member(office.zhang));
    forbidden(recovery.list_members(&MemberQuery::all()));
    assert_eq!(recovery.users().unwrap().len(), 1);
}

#[test]
fn reminders_go_to_those_who_do_the_work_for_their_own_branches() {
    let (mut office, _) = office();
    let branch_a = office.branch_a;
    add(&mut office, "孙书记", Role::BranchSecretary, &[branch_a]);
    add(&mut office, "钱审计", Role::Auditor, &[]);
    let as_of = Some(d("2026-12-20")); // the talk within a month of the application is overdue
    let everyone: Vec<Id> =
        office.admin.reminders_due(as_of).unwrap().iter().filter_map(|r| r.item.owner.member_id()).collect();
    assert!(everyone.contains(&office.zhang) && everyone.contains(&office.li), "{everyone:?}");
    let secretary = open_as(&office, "孙书记");
    let theirs: Vec<Id> =
        secretary.reminders_due(as_of).unwrap().iter().filter_map(|r| r.item.owner.member_id()).collect();
    let zhangs: Vec<Id> = everyone.iter().copied().filter(|&m| m == office.zhang).collect();
    assert!(!zhangs.is_empty());
    assert_eq!(theirs, zhangs, "exactly their branch's reminders");
    assert!(open_as(&office, "钱审计").reminders_due(as_of).unwrap().is_empty());
}

#[test]
fn a_branch_secretary_is_not_told_who_holds_a_number_in_another_branch() {
    let (mut office, _) = office();
    let li = office.admin.member(office.li).unwrap().person;
    office.admin.save_person(Person { student_no: Some("2026999".into()), ..li }).unwrap();
    let branch_a = office.branch_a;
    add(&mut office, "孙书记", Role::BranchSecretary, &[branch_a]);
    let mut secretary = open_as(&office, "孙书记");
    let zhang = secretary.member(office.zhang).unwrap().person;
    let err = secretary.save_person(Person { student_no: Some("2026999".into()), ..zhang }).unwrap_err();
    let message = err.message(Lang::Zh);
    // Only that they cannot enter it: not who holds it, nor that someone elsewhere does.
    assert!(message.contains("不能由你登记") && !message.contains("李四") && !message.contains("2026999"), "{message}");
    assert!(!message.contains("其他党支部"), "{message}");
    forbidden(secretary.verify());
}

#[test]
fn what_happens_to_key_slots_is_in_the_audit_log() {
    let (mut office, _) = office();
    let id = add(&mut office, "赵组织", Role::Organiser, &[]);
    office.ws.reset_passphrase(&office.admin, id, "a fresh passphrase").unwrap();
    office.ws.new_recovery_code(&office.admin).unwrap();
    let log = office.admin.audit_log(&Default::default()).unwrap().entries;
    let slot_events: Vec<(&str, &str)> = log
        .iter()
        .filter(|e| e.entity == "users" && e.action == "update")
        .map(|e| (e.entity_id.as_deref().unwrap_or(""), e.field.as_deref().unwrap_or("")))
        .collect();
    assert!(slot_events.contains(&("赵组织", "passphrase")), "{slot_events:?}");
    assert!(slot_events.contains(&("恢复密钥", "recovery_key")), "{slot_events:?}");
    assert!(office.admin.verify().unwrap().is_ok());
}

#[test]
fn the_daily_backup_runs_whoever_is_signed_in() {
    let (mut office, _) = office();
    let usb = office.ws.dir().join("../usb");
    fs::create_dir_all(&usb).unwrap();
    office.admin.set_backup_settings(Some(&usb), 7).unwrap();
    let branch_a = office.branch_a;
    add(&mut office, "孙书记", Role::BranchSecretary, &[branch_a]);
    let mut secretary = open_as(&office, "孙书记");
    let written = dangan_core::backup::daily_backup(&mut secretary, &office.ws, d("2026-11-25")).unwrap();
    assert!(written.is_some_and(|p| p.is_file()));
}

#[test]
fn a_branch_secretary_naming_a_new_branch_gets_the_row_named_and_nothing_imported() {
    let (mut office, _) = office();
    let branch_a = office.branch_a;
    add(&mut office, "孙书记", Role::BranchSecretary, &[branch_a]);
    let mut secretary = open_as(&office, "孙书记");
    let csv = office.ws.dir().join("../new-branch.csv");
    fs::write(&csv, "姓名,所在党支部,递交入党申请书日期\n王五,第九党支部,2026-10-01\n赵六,第一党支部,2026-10-02\n")
        .unwrap();
    let err = secretary
        .import_roster(roster::read(&csv).unwrap(), ImportOptions::default(), |_| ControlFlow::Continue(()))
        .unwrap_err();
    let Error::ImportRejected { report } = err else { panic!("{err}") };
    assert_eq!(report.problems.iter().map(|p| p.row).collect::<Vec<_>>(), [2]);
    assert_eq!(office.admin.org_tree().unwrap().units().len(), 3, "the new branch was not kept");
    assert!(office.admin.verify().unwrap().is_ok());
}

/// Marking reminders as sent is a change like any other: an auditor may not, and a branch
/// secretary may not for another branch's members (a script could otherwise silence them).
#[test]
fn marking_reminders_as_sent_is_checked_like_any_change() {
    let (mut office, _) = office();
    let branch_a = office.branch_a;
    add(&mut office, "孙书记", Role::BranchSecretary, &[branch_a]);
    add(&mut office, "钱审计", Role::Auditor, &[]);
    let as_of = d("2026-12-20");
    let due = office.admin.reminders_due(Some(as_of)).unwrap();
    let lis: Vec<_> = due.iter().filter(|r| r.item.owner.member_id() == Some(office.li)).cloned().collect();
    let zhangs: Vec<_> = due.iter().filter(|r| r.item.owner.member_id() == Some(office.zhang)).cloned().collect();
    assert!(!lis.is_empty() && !zhangs.is_empty());
    forbidden(open_as(&office, "孙书记").mark_reminded(&lis, as_of));
    forbidden(open_as(&office, "钱审计").mark_reminded(&zhangs, as_of));
    open_as(&office, "孙书记").mark_reminded(&zhangs, as_of).unwrap();
    let still_due: Vec<_> =
        office.admin.reminders_due(Some(as_of)).unwrap().into_iter().filter_map(|r| r.item.owner.member_id()).collect();
    assert!(still_due.contains(&office.li) && !still_due.contains(&office.zhang), "{still_due:?}");
}

/// A secretary's meetings are their branch's: the committee's meeting above it, whose attendance
/// names other branches' people, can be neither recorded, read, changed nor deleted by them.
#[test]
fn a_branch_secretary_keeps_to_their_branchs_meetings_not_the_committees_above_it() {
    use dangan_core::domain::{Attendance, Attendee, Meeting, MeetingKind};
    use dangan_core::store::MeetingQuery;
    let (mut office, _) = office();
    let branch_a = office.branch_a;
    add(&mut office, "孙书记", Role::BranchSecretary, &[branch_a]);
    let committee = office.admin.org_tree().unwrap().committee().unwrap().id;
    let meeting = |unit| Meeting {
        version: None,
        id: None,
        unit_id: unit,
        group_id: None,
        kind: MeetingKind::GeneralMeeting,
        date: d("2026-11-10"),
        held: true,
        place: None,
        chair: None,
        recorder: None,
        topic: Some("全体党员大会".into()),
        minutes: None,
        decisions: None,
        study_minutes: 0,
        guests: None,
    };
    let everyone = [office.zhang, office.li].map(|person_id| Attendee {
        person_id,
        attendance: Attendance::Present,
        reason: None,
    });
    let committees = office.admin.save_meeting(meeting(committee), &everyone).unwrap().meeting.id.unwrap();
    // A party group that is not the branch's is named, not a database error.
    let grouped = Meeting { group_id: Some(999), kind: MeetingKind::GroupMeeting, ..meeting(branch_a) };
    match office.admin.save_meeting(grouped, &[]) {
        Err(dangan_core::Error::InvalidInput { field, .. }) => assert_eq!(field, "group_id"),
        other => panic!("a foreign group is refused by name: {other:?}"),
    }
    let mut secretary = open_as(&office, "孙书记");

    forbidden(secretary.save_meeting(meeting(committee), &[]));
    forbidden(secretary.meeting(committees));
    forbidden(secretary.delete_meeting(committees));
    let mut edited = office.admin.meeting(committees).unwrap().meeting;
    edited.unit_id = branch_a;
    forbidden(secretary.save_meeting(edited, &[]));
    // Untouched: both attendees still recorded.
    assert_eq!(office.admin.meeting(committees).unwrap().attendees.len(), 2);
    // The organiser's edit replaces the attendance and keeps the meeting's id.
    let mut changed = office.admin.meeting(committees).unwrap().meeting;
    changed.topic = Some("换届选举".into());
    let only_zhang =
        [Attendee { person_id: office.zhang, attendance: Attendance::Leave, reason: Some("出差".into()) }];
    let saved = office.admin.save_meeting(changed, &only_zhang).unwrap();
    assert_eq!(saved.meeting.id, Some(committees));
    assert_eq!(saved.meeting.topic.as_deref(), Some("换届选举"));
    assert_eq!(saved.attendees.len(), 1);
    assert_eq!(
        (saved.attendees[0].attendance, saved.attendees[0].reason.as_deref()),
        (Attendance::Leave, Some("出差"))
    );
    // Their own branch's meeting they may record, and their list shows only it.
    let own = Attendee { person_id: office.zhang, attendance: Attendance::Present, reason: None };
    secretary.save_meeting(meeting(branch_a), &[own]).unwrap();
    let listed = secretary.meetings(&MeetingQuery::default()).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].meeting.unit_id, branch_a);
}

/// A removal waits for the key file's lock (held here as another process's change of users or of
/// the register key would hold it) before it takes the database's write lock: meanwhile the
/// database stays free for others' changes, and the removal completes once the lock is released.
#[test]
fn a_removal_waiting_for_the_key_file_does_not_hold_the_database() {
    let (mut office, _) = office();
    let id = add(&mut office, "赵组织", Role::Organiser, &[]);
    let stand_in = open_as(&office, "赵组织");
    let mut organiser = open_as(&office, "赵组织");
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(office.ws.dir().join("dangan.key.lock"))
        .unwrap();
    lock.lock().unwrap();
    let ws = dangan_core::Workspace::at(office.ws.dir());
    let mut admin = std::mem::replace(&mut office.admin, stand_in);
    let removal = std::thread::spawn(move || {
        let removed = ws.remove_user(&mut admin, id);
        (removed, admin)
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(!removal.is_finished(), "the removal waits for the key file");
    // Another user's change goes through at once (it would wait 5 s and fail were the database held).
    let started = std::time::Instant::now();
    let branch = organiser.org_tree().unwrap().units().iter().find(|u| u.kind == OrgKind::Branch).unwrap().id;
    organiser.save_person(Person { branch_id: branch, name: "钱八".into(), ..Person::default() }).unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(4), "{:?}", started.elapsed());
    lock.unlock().unwrap();
    let (removed, _) = removal.join().unwrap();
    removed.unwrap();
    assert!(office.ws.open_as(Some("赵组织"), "赵组织-passphrase").is_err(), "removed once the lock was free");
}
