//! The confidential complaints register (issue 18, part 2): the discipline inspectors' alone.
//! An inspector registers, lists, opens, handles and closes entries, every opening in the audit
//! log (`complaint` in the entity); administrators, organisers and auditors are refused all of it
//! and see only how many entries there are and how many are open; an entry's words are nowhere
//! on disk in the clear, the workspace's files and a backup included; a new inspector reads once
//! an inspector who holds the key has signed in; a removed inspector's passphrase opens nothing.

use crate::common::office::{ADMINISTRATOR, Office, add, office, passphrase_of};
use crate::common::{PASSPHRASE, TODAY, d};
use dangan_core::access::Role;
use dangan_core::complaints::{Channel, ComplaintState, Handling, NewComplaint, NewHandling};
use dangan_core::store::AuditQuery;
use dangan_core::{Error, ErrorKind, Session, Workspace};

const SECRET_WORDS: &str = "反映某同志在评优中弄虚作假的具体情况甲乙丙";
const INSPECTOR: &str = "纪检甲";
const SECOND: &str = "纪检乙";

fn session(office: &Office, user: &str) -> Session {
    let passphrase = if user == ADMINISTRATOR { PASSPHRASE.to_owned() } else { passphrase_of(user) };
    let mut session = Session::unlock(Workspace::at(office.ws.dir()), Some(user), &passphrase).unwrap();
    session.set_today(d(TODAY));
    session
}

fn entry(concerning: Option<i64>) -> NewComplaint {
    NewComplaint {
        channel: Channel::Letter,
        received_on: d("2026-11-18"),
        complainant: None,
        concerning,
        category: Some("违反廉洁纪律".into()),
        summary: SECRET_WORDS.into(),
        belongs_elsewhere: true,
    }
}

#[test]
fn an_inspector_keeps_the_register_and_every_reading_is_in_the_audit_log() {
    let (mut office, _) = office();
    add(&mut office, INSPECTOR, Role::DisciplineInspector, &[]);
    let mut inspector = session(&office, INSPECTOR);
    let added = inspector.add_complaint(&entry(Some(office.zhang))).unwrap();
    assert_eq!((added.number.as_str(), added.state), ("2026-001", ComplaintState::Registered));
    assert_eq!(added.concerning_name.as_deref(), Some("张三"));

    // The list says what is due, never the words.
    let lines = inspector.complaints(true).unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].forward_due, Some(d("2026-11-25")), "the fifth working day after 2026-11-18");
    assert!(!serde_json::to_string(&lines).unwrap().contains("弄虚作假"));

    let opened = inspector.complaint("2026-001").unwrap();
    assert_eq!(opened.summary, SECRET_WORDS);
    let forwarded = NewHandling {
        handling: Handling::Forwarded,
        date: d("2026-11-20"),
        to: Some("中共某区纪律检查委员会".into()),
        note: None,
        reported_on: None,
    };
    let handled = inspector.handle_complaint("2026-001", &forwarded).unwrap();
    assert_eq!(handled.forwarded_on, Some(d("2026-11-20")));
    assert_eq!(inspector.complaints(true).unwrap()[0].forward_due, None, "forwarded: no longer due");
    let closed = inspector.close_complaint("2026-001", d("2026-11-23"), "已转区纪委处理").unwrap();
    assert_eq!(closed.state, ComplaintState::Closed);
    assert!(inspector.complaints(true).unwrap().is_empty());
    // Closed, it is not handled further; a forwarding names where it goes.
    assert!(matches!(inspector.handle_complaint("2026-001", &forwarded), Err(Error::InvalidInput { .. })));

    // The audit log names the register, and records the reading: who, which entry.
    let admin = session(&office, ADMINISTRATOR);
    let log = admin.audit_log(&AuditQuery::default()).unwrap();
    let reads: Vec<_> = log.entries.iter().filter(|e| e.entity == "complaint_reads").collect();
    assert_eq!(reads.len(), 1, "one opening");
    assert_eq!(reads[0].actor, INSPECTOR);
    assert!(log.entries.iter().any(|e| e.entity == "complaints" && e.action == "insert"));
    assert!(log.entries.iter().filter(|e| e.entity.contains("complaint")).all(|e| e.member_id.is_none()));
    let text = serde_json::to_string(&log.entries).unwrap();
    assert!(!text.contains("弄虚作假"), "the log holds no word of an entry");
}

#[test]
fn everyone_but_an_inspector_is_refused_and_sees_only_the_counts() {
    let (mut office, _) = office();
    add(&mut office, INSPECTOR, Role::DisciplineInspector, &[]);
    add(&mut office, "赵组织", Role::Organiser, &[]);
    add(&mut office, "钱审计", Role::Auditor, &[]);
    let mut inspector = session(&office, INSPECTOR);
    inspector.add_complaint(&entry(None)).unwrap();
    for user in [ADMINISTRATOR, "赵组织", "钱审计"] {
        let mut other = session(&office, user);
        assert_eq!(other.complaints(false).unwrap_err().kind(), ErrorKind::Forbidden, "{user}");
        assert_eq!(other.complaint("2026-001").unwrap_err().kind(), ErrorKind::Forbidden, "{user}");
        assert_eq!(other.add_complaint(&entry(None)).unwrap_err().kind(), ErrorKind::Forbidden, "{user}");
        let overview = other.complaints_overview().unwrap();
        assert_eq!((overview.total, overview.open), (1, 1), "{user}");
    }
}

#[test]
fn an_entrys_words_are_nowhere_on_disk_in_the_clear_nor_in_a_backup() {
    let (mut office, _) = office();
    add(&mut office, INSPECTOR, Role::DisciplineInspector, &[]);
    let mut inspector = session(&office, INSPECTOR);
    inspector.add_complaint(&entry(Some(office.zhang))).unwrap();
    inspector.complaint("2026-001").unwrap();
    let backup = office.dir.path().join("office.dangan-backup");
    let admin = session(&office, ADMINISTRATOR);
    admin.backup_now(&backup, |_| std::ops::ControlFlow::Continue(())).unwrap();
    drop(inspector);
    drop(admin);
    let needle = SECRET_WORDS.as_bytes();
    let mut files = vec![backup];
    for item in std::fs::read_dir(office.ws.dir()).unwrap() {
        files.push(item.unwrap().path());
    }
    for file in files.iter().filter(|f| f.is_file()) {
        let bytes = std::fs::read(file).unwrap();
        assert!(!bytes.windows(needle.len()).any(|w| w == needle), "{} holds the words", file.display());
    }
}

#[test]
fn a_new_inspector_reads_once_a_holder_gives_them_the_key_and_a_removed_one_opens_nothing() {
    let (mut office, _) = office();
    add(&mut office, INSPECTOR, Role::DisciplineInspector, &[]);
    session(&office, INSPECTOR).add_complaint(&entry(None)).unwrap();
    let second = add(&mut office, SECOND, Role::DisciplineInspector, &[]);
    // Added by an administrator, who holds no copy of the key: not yet.
    let waiting = session(&office, SECOND);
    match waiting.complaint("2026-001") {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "register"),
        other => panic!("read before the key was given: {other:?}"),
    }
    // Signing in gives them nothing: an inspector who holds the key gives it, and is logged.
    drop(session(&office, INSPECTOR));
    assert!(session(&office, SECOND).complaint("2026-001").is_err());
    let mut first_session = session(&office, INSPECTOR);
    assert_eq!(first_session.register_waiting().unwrap(), [SECOND]);
    assert_eq!(
        first_session.grant_register(ADMINISTRATOR).unwrap_err().kind(),
        ErrorKind::InvalidInput,
        "not an inspector"
    );
    first_session.grant_register(SECOND).unwrap();
    assert!(first_session.register_waiting().unwrap().is_empty());
    drop(first_session);
    assert_eq!(session(&office, SECOND).complaint("2026-001").unwrap().summary, SECRET_WORDS);

    // The first inspector is removed: their passphrase opens nothing; the second, signing in,
    // replaces the key and still reads every entry.
    let first = office.admin.user_named(INSPECTOR).unwrap().id;
    office.ws.remove_user(&mut office.admin, first).unwrap();
    assert!(Session::unlock(Workspace::at(office.ws.dir()), Some(INSPECTOR), &passphrase_of(INSPECTOR)).is_err());
    let mut remaining = session(&office, SECOND);
    assert_eq!(remaining.complaint("2026-001").unwrap().summary, SECRET_WORDS);
    remaining.add_complaint(&entry(None)).unwrap();
    assert_eq!(remaining.complaints(false).unwrap().len(), 2);
    let _ = second;
}

#[test]
fn the_registers_deadlines_are_shown_to_inspectors_only() {
    use dangan_core::deadlines::DeadlineQuery;
    let (mut office, _) = office();
    add(&mut office, INSPECTOR, Role::DisciplineInspector, &[]);
    let mut inspector = session(&office, INSPECTOR);
    inspector.add_complaint(&entry(None)).unwrap();
    let rules = |s: &Session| -> Vec<(String, String)> {
        s.deadlines(&DeadlineQuery::default())
            .unwrap()
            .into_iter()
            .filter(|i| i.rule.starts_with("complaint"))
            .map(|i| (i.rule.to_string(), i.due.to_string()))
            .collect()
    };
    // Forward by the fifth working day; report back within three months.
    assert_eq!(
        rules(&inspector),
        [
            ("complaint_forward".to_owned(), "2026-11-25".to_owned()),
            ("complaint_report".to_owned(), "2027-02-18".to_owned())
        ]
    );
    assert!(rules(&session(&office, ADMINISTRATOR)).is_empty(), "the administrator is not shown them");
    // Forwarded, the forwarding is done; closed, nothing is owed.
    let forwarded = NewHandling {
        handling: Handling::Forwarded,
        date: d("2026-11-19"),
        to: Some("区纪委".into()),
        note: None,
        reported_on: Some(d("2026-11-19")),
    };
    inspector.handle_complaint("2026-001", &forwarded).unwrap();
    assert_eq!(rules(&inspector), [("complaint_report".to_owned(), "2027-02-19".to_owned())]);
    inspector.close_complaint("2026-001", d("2026-11-23"), "已转办").unwrap();
    assert!(rules(&inspector).is_empty());
}

/// The register's deadlines remind its inspectors like every other deadline, entry by entry (two
/// entries received the same day owe their forwarding the same day, under the same committee,
/// and each is reminded), saying the entry's number and never its words; no one else is reminded.
#[test]
fn an_inspector_is_reminded_of_each_entrys_forwarding_once_and_no_one_else_is() {
    let (mut office, _) = office();
    add(&mut office, INSPECTOR, Role::DisciplineInspector, &[]);
    let mut inspector = session(&office, INSPECTOR);
    inspector.add_complaint(&entry(None)).unwrap();
    let register = |r: &[dangan_core::reminders::Reminder]| -> Vec<(String, String)> {
        r.iter()
            .filter(|r| r.item.owner.complaint_id().is_some())
            .map(|r| (r.item.owner.display_name(), r.item.rule.to_string()))
            .collect()
    };
    // Due 2026-11-25, two days' lead: reached on 2026-11-24. The report back is months away.
    let due = inspector.reminders_due(None).unwrap();
    assert_eq!(register(&due).len(), 1, "{due:?}");
    assert_eq!(due.len(), 1, "an inspector is reminded of the register's items only");
    assert!(due[0].item.owner.display_name().contains("2026-001"));
    assert_eq!(&*due[0].item.rule, "complaint_forward");

    let mut notices = Vec::new();
    let sent = inspector
        .deliver_reminders(None, dangan_core::Lang::Zh, |notice| {
            notices.push(notice.clone());
            Ok(())
        })
        .unwrap();
    assert_eq!(sent.len(), 1);
    assert!(notices[0].summary.starts_with("信访举报提醒"), "{:?}", notices[0]);
    assert_eq!((notices[0].member_id, notices[0].unit_id), (None, None), "a click opens no member or unit");
    let words = serde_json::to_string(&notices).unwrap();
    assert!(!words.contains("弄虚作假") && !words.contains("违反廉洁纪律"), "{words}");
    assert!(inspector.reminders_due(None).unwrap().is_empty(), "sent once");

    // A second entry received the same day is owed on the same day: it is reminded too.
    inspector.add_complaint(&entry(None)).unwrap();
    let due = inspector.reminders_due(None).unwrap();
    assert_eq!(register(&due).len(), 1, "{due:?}");
    assert!(due[0].item.owner.display_name().contains("2026-002"), "{due:?}");

    // Nobody else is reminded of the register, nor may mark its reminders.
    let admin = session(&office, ADMINISTRATOR);
    assert!(register(&admin.reminders_due(None).unwrap()).is_empty());
    let mut admin = admin;
    let refused = admin.deliver_reminders(None, dangan_core::Lang::Zh, |_| Ok(())).unwrap();
    assert!(register(&refused).is_empty());
}

/// A backup waits while the key file is locked (as it is while the register key is replaced, the
/// entries re-sealed and the key file rewritten), so it never pairs a database whose entries are
/// under the new key with a key file holding only the old one.
#[test]
fn a_backup_waits_for_a_key_replacement_in_progress_and_then_restores_the_register() {
    let (mut office, _) = office();
    add(&mut office, INSPECTOR, Role::DisciplineInspector, &[]);
    session(&office, INSPECTOR).add_complaint(&entry(None)).unwrap();
    let lock_path = office.ws.dir().join("dangan.key.lock");
    let lock = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&lock_path).unwrap();
    lock.lock().unwrap();
    let backup = office.dir.path().join("during.dangan-backup");
    let admin = session(&office, ADMINISTRATOR);
    let to = backup.clone();
    let running = std::thread::spawn(move || admin.backup_now(&to, |_| std::ops::ControlFlow::Continue(())).unwrap());
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(!running.is_finished() && !backup.exists(), "the backup waits for the key file's lock");
    drop(lock);
    running.join().unwrap();

    // Restored, the inspector reads the entry.
    let restored = Workspace::at(office.dir.path().join("restored"));
    drop(dangan_core::backup::restore_backup(&backup, &restored, PASSPHRASE).unwrap());
    let mut inspector = Session::unlock(restored, Some(INSPECTOR), &passphrase_of(INSPECTOR)).unwrap();
    inspector.set_today(d(TODAY));
    assert_eq!(inspector.complaint("2026-001").unwrap().summary, SECRET_WORDS);
}

#[test]
fn an_entry_leaves_the_workspace_only_as_its_printed_handling_form() {
    let (mut office, _) = office();
    add(&mut office, INSPECTOR, Role::DisciplineInspector, &[]);
    let mut inspector = session(&office, INSPECTOR);
    inspector.add_complaint(&entry(Some(office.zhang))).unwrap();
    let form = office.dir.path().join("办理登记表.pdf");
    inspector.write_complaint_form("2026-001", &form).unwrap();
    // Not into the workspace; not by anyone else.
    let inside = office.ws.dir().join("表.pdf");
    assert!(inspector.write_complaint_form("2026-001", &inside).is_err());
    assert!(!inside.exists());
    let admin = session(&office, ADMINISTRATOR);
    let elsewhere = office.dir.path().join("管理员.pdf");
    assert_eq!(admin.write_complaint_form("2026-001", &elsewhere).unwrap_err().kind(), ErrorKind::Forbidden);
    assert!(!elsewhere.exists());
    match std::process::Command::new("pdftotext").arg(&form).arg("-").output() {
        Ok(out) if out.status.success() => {
            let text: String = String::from_utf8_lossy(&out.stdout).chars().filter(|c| !c.is_whitespace()).collect();
            assert!(text.contains("信访举报件办理登记表") && text.contains("2026-001"), "{text}");
            assert!(text.contains("弄虚作假") && text.contains("张三"), "{text}");
        }
        _ => crate::common::cannot_run("pdftotext (poppler-utils) is not installed"),
    }
}

#[test]
fn an_entrys_files_are_sealed_like_its_words_and_survive_a_new_key() {
    // A scan whose bytes carry a recognisable phrase, to look for on disk.
    let mut scan = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00];
    scan.extend_from_slice("扫描件中的举报人签名".as_bytes());
    let (mut office, _) = office();
    add(&mut office, INSPECTOR, Role::DisciplineInspector, &[]);
    add(&mut office, SECOND, Role::DisciplineInspector, &[]);
    let mut inspector = session(&office, INSPECTOR);
    inspector.add_complaint(&entry(None)).unwrap();
    let file = office.dir.path().join("举报信.jpg");
    std::fs::write(&file, &scan).unwrap();
    let with = inspector.add_complaint_attachments("2026-001", &[file]).unwrap();
    assert_eq!((with.attachments.len(), with.attachments[0].name.as_str()), (1, "举报信.jpg"));
    let id = with.attachments[0].id;
    drop(inspector);
    // Nowhere on disk in the clear.
    for item in std::fs::read_dir(office.ws.dir()).unwrap() {
        let path = item.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            let needle = "举报人签名".as_bytes();
            assert!(!bytes.windows(needle.len()).any(|w| w == needle), "{}", path.display());
        }
    }
    // The second given the key, the first removed: the second replaces the key, and the file
    // still reads back whole.
    session(&office, INSPECTOR).grant_register(SECOND).unwrap();
    let first = office.admin.user_named(INSPECTOR).unwrap().id;
    office.ws.remove_user(&mut office.admin, first).unwrap();
    let second = session(&office, SECOND);
    let out = office.dir.path().join("副本.jpg");
    second.save_complaint_attachment_as("2026-001", id, &out).unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), scan);
    // Not for the administrator.
    let admin = session(&office, ADMINISTRATOR);
    let elsewhere = office.dir.path().join("管理员副本.jpg");
    assert_eq!(
        admin.save_complaint_attachment_as("2026-001", id, &elsewhere).unwrap_err().kind(),
        ErrorKind::Forbidden
    );
}

#[test]
fn no_one_who_only_manages_users_can_take_the_key_or_lose_the_register() {
    let (mut office, _) = office();
    add(&mut office, INSPECTOR, Role::DisciplineInspector, &[]);
    let mut inspector = session(&office, INSPECTOR);
    inspector.add_complaint(&entry(None)).unwrap();
    drop(inspector);
    // An administrator adds an inspector whose passphrase they chose: no key comes to them by
    // anyone's sign-in.
    add(&mut office, SECOND, Role::DisciplineInspector, &[]);
    drop(session(&office, INSPECTOR));
    assert!(session(&office, SECOND).complaint("2026-001").is_err());
    // The only holder is neither removed nor reset while the register holds entries.
    let only = office.admin.user_named(INSPECTOR).unwrap().id;
    match office.ws.remove_user(&mut office.admin, only) {
        Err(Error::InvalidInput { reason, .. }) => assert!(reason.en.contains("alone holds"), "{}", reason.en),
        other => panic!("the register's last holder removed: {other:?}"),
    }
    assert!(office.ws.reset_passphrase(&office.admin, only, "another long passphrase").is_err());
    assert_eq!(session(&office, INSPECTOR).complaint("2026-001").unwrap().summary, SECRET_WORDS);
}

#[test]
fn a_session_from_before_the_key_was_replaced_writes_nothing_under_the_old_key() {
    let (mut office, _) = office();
    add(&mut office, INSPECTOR, Role::DisciplineInspector, &[]);
    add(&mut office, SECOND, Role::DisciplineInspector, &[]);
    add(&mut office, "纪检丙", Role::DisciplineInspector, &[]);
    let mut first = session(&office, INSPECTOR);
    first.add_complaint(&entry(None)).unwrap();
    first.grant_register(SECOND).unwrap();
    first.grant_register("纪检丙").unwrap();
    let mut stale = session(&office, SECOND);
    // 纪检丙 removed; the first inspector's next change replaces the key.
    let third = office.admin.user_named("纪检丙").unwrap().id;
    office.ws.remove_user(&mut office.admin, third).unwrap();
    first.add_complaint(&entry(None)).unwrap();
    // The second's session signed in under the old key: refused, asked to sign in again.
    match stale.add_complaint(&entry(None)) {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "register"),
        other => panic!("written under a replaced key: {other:?}"),
    }
    let fresh = session(&office, SECOND);
    assert_eq!(fresh.complaints(false).unwrap().len(), 2);
    assert_eq!(fresh.complaint("2026-002").unwrap().summary, SECRET_WORDS);
}

#[test]
fn an_inspector_who_changes_their_passphrase_keeps_the_register() {
    let (mut office, _) = office();
    add(&mut office, INSPECTOR, Role::DisciplineInspector, &[]);
    session(&office, INSPECTOR).add_complaint(&entry(None)).unwrap();
    let new = "纪检甲-new-passphrase";
    Session::change_passphrase(&Workspace::at(office.ws.dir()), Some(INSPECTOR), &passphrase_of(INSPECTOR), new)
        .unwrap();
    let mut renewed = Session::unlock(Workspace::at(office.ws.dir()), Some(INSPECTOR), new).unwrap();
    renewed.set_today(d(TODAY));
    assert_eq!(renewed.complaint("2026-001").unwrap().summary, SECRET_WORDS);
}
