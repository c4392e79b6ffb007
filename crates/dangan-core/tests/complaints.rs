//! The confidential complaints register (issue 18, part 2): the discipline inspectors' alone.
//! An inspector registers, lists, opens, handles and closes entries, every opening in the audit
//! log (`complaint` in the entity); administrators, organisers and auditors are refused all of it
//! and see only how many entries there are and how many are open; an entry's words are nowhere
//! on disk in the clear, the workspace's files and a backup included; a new inspector reads once
//! an inspector who holds the key has signed in; a removed inspector's passphrase opens nothing.

#![allow(clippy::unwrap_used)]

mod common;

use common::office::{ADMINISTRATOR, Office, add, office, passphrase_of};
use common::{PASSPHRASE, TODAY, d};
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
fn a_new_inspector_reads_once_another_has_signed_in_and_a_removed_one_opens_nothing() {
    let (mut office, _) = office();
    add(&mut office, INSPECTOR, Role::DisciplineInspector, &[]);
    session(&office, INSPECTOR).add_complaint(&entry(None)).unwrap();
    let second = add(&mut office, SECOND, Role::DisciplineInspector, &[]);
    // Added by an administrator, who holds no copy of the key: not yet.
    let waiting = session(&office, SECOND);
    match waiting.complaints(false) {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "register"),
        other => panic!("read before the key was given: {other:?}"),
    }
    // The first inspector signs in: the key is sealed to the second, who now reads.
    drop(session(&office, INSPECTOR));
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
