//! The store as the desktop app will use it: adding people, recording and correcting events,
//! seeing each refused with the rule it breaks, imports that are cancelled or only checked.

use std::ops::ControlFlow;

use chrono::NaiveDate;
use dangan_core::domain::{EventKind, OrgKind, Person, ProcedureEvent, Stage};
use dangan_core::keys::KdfParams;
use dangan_core::roster::{self, ImportOptions, Roster};
use dangan_core::rules::RuleSetId;
use dangan_core::store::MemberQuery;
use dangan_core::workspace::NewWorkspace;
use dangan_core::{Error, Store, Workspace, demo};

const CHEAP: KdfParams = KdfParams { memory_kib: 1024, iterations: 1, parallelism: 1 };

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn store_with(rule_set: RuleSetId) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::at(dir.path().join("ws"));
    let mut store = ws
        .create(&NewWorkspace {
            kdf: CHEAP,
            rule_set,
            ..NewWorkspace::new("passphrase-for-tests", "中共测试大学委员会")
        })
        .unwrap();
    store.set_today(d("2026-11-24"));
    (dir, store)
}

fn store() -> (tempfile::TempDir, Store) {
    store_with(RuleSetId::Cpc2026)
}

fn branch(store: &mut Store) -> i64 {
    let committee = store.org_tree().unwrap().committee().unwrap().id;
    store.add_org_unit(committee, OrgKind::Branch, "第一党支部").unwrap().id
}

fn person(branch_id: i64, name: &str) -> Person {
    Person { branch_id, name: name.into(), birth_date: Some(d("2004-05-01")), ..Person::default() }
}

#[test]
fn recording_events_moves_a_person_through_the_stages() {
    let (_dir, mut store) = store();
    let branch = branch(&mut store);
    let id = store.save_person(person(branch, "张三")).unwrap().person.id.unwrap();
    let steps = [
        (EventKind::ApplicationReceived, "2024-09-10", Stage::Applicant),
        (EventKind::ApplicantTalk, "2024-09-30", Stage::Applicant),
        (EventKind::ActivistDetermined, "2024-12-01", Stage::Activist),
        (EventKind::CandidateDetermined, "2025-12-01", Stage::Candidate),
        (EventKind::Admitted, "2026-03-01", Stage::Probationary),
    ];
    for (kind, date, stage) in steps {
        let detail = store.save_event(id, ProcedureEvent::new(kind, d(date))).unwrap();
        assert_eq!(detail.stage, stage, "after {kind:?}");
        let listed = store.list_members(&MemberQuery { stage: Some(stage), ..MemberQuery::all() }).unwrap();
        assert_eq!(listed.items.iter().map(|m| m.id).collect::<Vec<_>>(), [id], "the list agrees after {kind:?}");
    }
}

#[test]
fn an_event_out_of_order_is_refused_with_its_clause_and_nothing_changes() {
    let (_dir, mut store) = store();
    let branch = branch(&mut store);
    let id = store.save_person(person(branch, "李四")).unwrap().person.id.unwrap();
    store.save_event(id, ProcedureEvent::new(EventKind::ApplicationReceived, d("2026-02-01"))).unwrap();
    let err = store.save_event(id, ProcedureEvent::new(EventKind::ApplicantTalk, d("2026-01-10"))).unwrap_err();
    let Error::Violations { violations } = err else { panic!("expected violations, got {err:?}") };
    assert_eq!(violations[0].rule, "application_talk");
    assert_eq!(violations[0].clause, "《中国共产党发展党员工作细则》第七条");
    assert_eq!(store.member(id).unwrap().events.len(), 1, "the refused event was not saved");
}

#[test]
fn correcting_and_deleting_events_is_checked_too() {
    let (_dir, mut store) = store();
    let branch = branch(&mut store);
    let id = store.save_person(person(branch, "王五")).unwrap().person.id.unwrap();
    let applied = store.save_event(id, ProcedureEvent::new(EventKind::ApplicationReceived, d("2026-02-01"))).unwrap();
    let application = applied.events[0].clone();
    store.save_event(id, ProcedureEvent::new(EventKind::ApplicantTalk, d("2026-02-20"))).unwrap();
    // Moving the application after the talk breaks the order.
    let moved = ProcedureEvent { date: d("2026-03-01"), ..application.clone() };
    assert!(matches!(store.save_event(id, moved), Err(Error::Violations { .. })));
    // Deleting the application would leave a talk with nothing to follow.
    assert!(matches!(store.delete_event(id, application.id.unwrap()), Err(Error::Violations { .. })));
    // A correction that keeps the order is saved.
    let corrected = store.save_event(id, ProcedureEvent { date: d("2026-01-25"), ..application }).unwrap();
    assert_eq!(corrected.events[0].date, d("2026-01-25"));
}

#[test]
fn the_rule_set_of_the_workspace_decides_the_citation() {
    let (_dir, mut store) = store_with(RuleSetId::Cpc2014);
    let branch = branch(&mut store);
    let id = store.save_person(person(branch, "赵六")).unwrap().person.id.unwrap();
    for (kind, date) in [
        (EventKind::ApplicationReceived, "2022-09-10"),
        (EventKind::ActivistDetermined, "2023-01-01"),
        (EventKind::CandidateDetermined, "2024-02-01"),
        (EventKind::Admitted, "2025-05-20"),
    ] {
        store.save_event(id, ProcedureEvent::new(kind, d(date))).unwrap();
    }
    let err = store.save_event(id, ProcedureEvent::new(EventKind::ConversionMeeting, d("2026-05-19"))).unwrap_err();
    let Error::Violations { violations } = err else { panic!("{err:?}") };
    assert_eq!(violations[0].rule, "conversion_earliest");
    assert_eq!(violations[0].clause, "《中国共产党发展党员工作细则》第三十二条");
    store.save_event(id, ProcedureEvent::new(EventKind::ConversionMeeting, d("2026-05-20"))).unwrap();
}

#[test]
fn identity_and_student_numbers_belong_to_one_person() {
    let (_dir, mut store) = store();
    let branch = branch(&mut store);
    store.save_person(Person { student_no: Some("2021001".into()), ..person(branch, "甲") }).unwrap();
    let err = store.save_person(Person { student_no: Some(" 2021001 ".into()), ..person(branch, "乙") }).unwrap_err();
    assert!(err.message(dangan_core::Lang::Zh).contains("2021001 已属于 甲"), "{err}");
}

#[test]
fn people_belong_to_branches_not_to_the_committee() {
    let (_dir, mut store) = store();
    let committee = store.org_tree().unwrap().committee().unwrap().id;
    let err = store.save_person(person(committee, "丙")).unwrap_err();
    assert_eq!(err.kind(), dangan_core::ErrorKind::InvalidInput);
}

#[test]
fn a_cancelled_import_leaves_nothing_behind() {
    let (_dir, mut store) = store();
    let records = demo::records(2_000, store.today(), 1);
    let roster = Roster { rows: records.len() as u64, records, ..Roster::default() };
    let mut calls = 0;
    let err = store
        .import_roster(roster, ImportOptions::default(), |p| {
            calls += 1;
            if p.done >= 1_000 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        })
        .unwrap_err();
    assert!(matches!(err, Error::Cancelled));
    assert!(calls >= 2, "progress was reported before the cancel");
    assert_eq!(store.count_people().unwrap(), 0);
    assert_eq!(store.org_tree().unwrap().units().len(), 1, "no branch created by the cancelled import remains");
}

#[test]
fn a_dry_run_checks_everything_and_saves_nothing() {
    let (_dir, mut store) = store();
    let records = demo::records(300, store.today(), 2);
    let roster = Roster { rows: records.len() as u64, records, ..Roster::default() };
    let report = store
        .import_roster(roster, ImportOptions { dry_run: true, ..ImportOptions::default() }, |_| {
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(report.created, 300);
    assert!(!report.committed);
    assert_eq!(store.count_people().unwrap(), 0);
}

#[test]
fn demo_data_passes_every_rule_and_covers_every_stage() {
    let (_dir, mut store) = store();
    let report = demo::populate(&mut store, 1_000, 2026).unwrap();
    assert_eq!(report.created, 1_000);
    for stage in Stage::ALL {
        let page = store.list_members(&MemberQuery { stage: Some(stage), limit: 1, ..MemberQuery::default() }).unwrap();
        assert_eq!(page.total, 200, "{stage:?}");
    }
}

#[test]
fn demo_data_goes_into_a_new_workspace_only() {
    let (_dir, mut store) = store();
    demo::populate(&mut store, 10, 1).unwrap();
    let again = demo::populate(&mut store, 10, 1);
    assert!(matches!(again, Err(Error::InvalidInput { ref field, .. }) if field == "workspace"), "{again:?}");
    assert_eq!(store.count_people().unwrap(), 10, "nothing was added the second time");
}

#[test]
fn a_workspace_reopens_with_its_data_and_refuses_a_wrong_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::at(dir.path().join("ws"));
    {
        let mut store = ws.create(&NewWorkspace { kdf: CHEAP, ..NewWorkspace::new("passphrase-one", "党委") }).unwrap();
        demo::populate(&mut store, 50, 3).unwrap();
    }
    assert!(matches!(ws.open("passphrase-two"), Err(Error::WrongPassphrase)));
    let store = ws.open("passphrase-one").unwrap();
    assert_eq!(store.count_people().unwrap(), 50);
    assert!(matches!(
        ws.create(&NewWorkspace { kdf: CHEAP, ..NewWorkspace::new("passphrase-one", "党委") }),
        Err(Error::WorkspaceExists { .. })
    ));
}

#[test]
fn an_xlsx_export_round_trips_through_the_roster_reader() {
    let (dir, mut store) = store();
    demo::populate(&mut store, 100, 4).unwrap();
    let path = dir.path().join("export.xlsx");
    assert_eq!(roster::export_xlsx(&store, &MemberQuery::all(), &path).unwrap(), 100);
    let read = roster::read(&path).unwrap();
    assert!(read.problems.is_empty(), "{:?}", read.problems);
    assert_eq!(read.records.len(), 100);
    // In the list's order (pinyin), each row with its own person's steps, although the export
    // reads the people in the order of their numbers.
    let listed = store.list_members(&MemberQuery::all()).unwrap().items;
    let exported: Vec<&str> = read.records.iter().map(|r| r.person.name.as_str()).collect();
    let stored: Vec<&str> = listed.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(exported, stored);
    for (row, member) in read.records.iter().zip(&listed) {
        let detail = store.member(member.id).unwrap();
        assert_eq!(row.person.id_number, detail.person.id_number, "{}", member.name);
        // (A roster's columns put the steps in its own order.)
        let steps = |events: &[dangan_core::domain::ProcedureEvent]| -> Vec<(String, String)> {
            let mut steps: Vec<_> = events.iter().map(|e| (format!("{:?}", e.kind), e.date.to_string())).collect();
            steps.sort();
            steps
        };
        assert_eq!(steps(&row.events), steps(&detail.events), "{}", member.name);
    }
}

#[test]
fn a_large_demo_organisation_is_valid_on_any_day() {
    // The generator works backwards from today; every date it makes must satisfy every rule,
    // whatever today is (month ends, leap days).
    for today in ["2026-11-24", "2028-02-29", "2027-01-31", "2026-03-31"] {
        let (_dir, mut store) = store();
        store.set_today(d(today));
        let report = demo::populate(&mut store, 3_000, 11).unwrap();
        assert_eq!(report.created, 3_000, "as of {today}");
    }
}

#[test]
fn the_list_follows_renames_and_imports_made_after_it_was_first_read() {
    let (_dir, mut store) = store();
    let branch = branch(&mut store);
    let a = store.save_person(person(branch, "张三")).unwrap().person;
    store.save_person(person(branch, "李四")).unwrap();
    let names = |store: &Store, search: Option<&str>| -> Vec<String> {
        let query = MemberQuery { search: search.map(str::to_owned), ..MemberQuery::all() };
        store.list_members(&query).unwrap().items.into_iter().map(|m| m.name).collect()
    };
    assert_eq!(names(&store, None), ["李四", "张三"]);
    store.save_person(Person { name: "艾青".into(), ..a }).unwrap();
    assert_eq!(names(&store, None), ["艾青", "李四"], "renamed and re-sorted");
    assert_eq!(names(&store, Some("zs")), Vec::<String>::new(), "the old name no longer matches");
    assert_eq!(names(&store, Some("aq")), ["艾青"]);
    let records = demo::records(20, store.today(), 5);
    let roster = Roster { rows: records.len() as u64, records, ..Roster::default() };
    store.import_roster(roster, ImportOptions::default(), |_| ControlFlow::Continue(())).unwrap();
    assert_eq!(store.list_members(&MemberQuery::all()).unwrap().total, 22, "imported people are listed");
}

#[test]
fn an_export_reports_its_progress_and_a_cancelled_one_writes_no_file() {
    let (dir, mut store) = store();
    demo::populate(&mut store, 1200, 7).unwrap();
    let path = dir.path().join("out.xlsx");
    let mut seen = Vec::new();
    let count = roster::export_xlsx_with_progress(&store, &MemberQuery::default(), &path, |p| {
        seen.push((p.done, p.total));
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(count, 1200);
    assert_eq!(seen, [(0, 1200), (500, 1200), (1000, 1200), (1200, 1200)]);

    let cancelled = dir.path().join("cancelled.xlsx");
    let err = roster::export_xlsx_with_progress(&store, &MemberQuery::default(), &cancelled, |p| {
        if p.done >= 500 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })
    .unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert!(!cancelled.exists(), "a cancelled export leaves no file");
}

#[test]
fn after_three_wrong_passphrases_the_next_attempt_must_wait_even_with_the_right_one() {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::at(dir.path().join("ws"));
    drop(
        ws.create(&NewWorkspace {
            kdf: CHEAP, ..NewWorkspace::new("passphrase-for-tests", "中共测试大学委员会")
        })
        .unwrap(),
    );
    for _ in 0..3 {
        assert!(matches!(ws.open("not the passphrase").unwrap_err(), Error::WrongPassphrase));
    }
    let err = ws.open("passphrase-for-tests").unwrap_err();
    assert!(matches!(err, Error::TooManyAttempts { wait_secs: 1..=2 }), "{err:?}");
    assert!(err.message(dangan_core::Lang::Zh).contains("秒后再试"), "{err}");

    // Once the wait is over the right passphrase opens it, and the count starts again.
    let record = dangan_core::attempts::record_path(ws.dir());
    assert!(record.exists(), "the count is kept beside the key file");
    let id = dangan_core::keys::KeyFile::read(&ws.key_path()).unwrap().workspace_id;
    let counted = dangan_core::attempts::load(ws.dir(), &id);
    assert_eq!(counted.failures, 3, "the refused attempt did not count as a fourth");
    // The wait runs out: the last failure ten seconds ago.
    let earlier = dangan_core::attempts::Attempts { last: counted.last - 10, ..counted };
    dangan_core::attempts::write(ws.dir(), &id, earlier).unwrap();
    ws.open("passphrase-for-tests").unwrap();
    assert!(!record.exists(), "a right passphrase forgets the count");
}

#[test]
fn a_backup_reports_its_progress_and_a_cancelled_one_leaves_no_file() {
    use std::ops::ControlFlow;
    use std::sync::{Arc, Mutex};

    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::at(dir.path().join("ws"));
    let mut store = ws.create(&NewWorkspace { kdf: CHEAP, ..NewWorkspace::new("passphrase-one", "党委") }).unwrap();
    dangan_core::demo::populate(&mut store, 2000, 20_26_11_24).unwrap();

    let seen = Arc::new(Mutex::new(Vec::new()));
    let heard = seen.clone();
    let to = dir.path().join("full.dangan-backup");
    dangan_core::backup::write_backup_with_progress(&store, &ws, &to, move |p| {
        heard.lock().unwrap().push(p);
        ControlFlow::Continue(())
    })
    .unwrap();
    let seen = seen.lock().unwrap();
    assert!(seen.len() > 1, "progress was reported along the way: {seen:?}");
    assert!(seen.windows(2).all(|w| w[0].done <= w[1].done), "{seen:?}");
    assert!(seen.iter().all(|p| p.done <= p.total && p.total > 0));
    assert!(to.is_file());

    let cancelled_to = dir.path().join("cancelled.dangan-backup");
    let err = dangan_core::backup::write_backup_with_progress(&store, &ws, &cancelled_to, |_| ControlFlow::Break(()))
        .unwrap_err();
    assert!(matches!(err, dangan_core::Error::Cancelled), "{err}");
    assert!(!cancelled_to.exists(), "a cancelled backup writes no file");
    let leftovers: Vec<_> =
        std::fs::read_dir(dir.path()).unwrap().filter_map(|e| e.ok()).map(|e| e.file_name()).collect();
    assert_eq!(leftovers.len(), 2, "nothing but the workspace and the full backup: {leftovers:?}");
    // The store goes on working after a cancelled backup.
    assert!(store.count_people().unwrap() > 0);
    assert!(store.verify().unwrap().is_ok());
}

/// Imports `roster` into the workspace at `at` on another thread, as another process would, and
/// returns once that import holds the workspace's write lock (inside its transaction); it holds
/// it until the returned sender is sent to, then commits.
fn import_holding_the_workspace(
    at: &std::path::Path,
    roster: Roster,
) -> (std::sync::mpsc::Sender<()>, std::thread::JoinHandle<roster::ImportReport>) {
    let (holding, held) = std::sync::mpsc::channel::<()>();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let at = at.to_owned();
    let importing = std::thread::spawn(move || {
        let mut store = Workspace::at(&at).open("passphrase-one").unwrap();
        let mut told = false;
        store
            .import_roster(roster, ImportOptions::default(), |_| {
                if !std::mem::replace(&mut told, true) {
                    holding.send(()).unwrap();
                    released.recv().unwrap();
                }
                ControlFlow::Continue(())
            })
            .unwrap()
    });
    held.recv().unwrap();
    (release, importing)
}

/// An import started while another writer holds the workspace waits for it, saying that it
/// waits, and then goes ahead; cancelled while waiting, it changes nothing. Neither reports the
/// other's lock as bad rows.
#[test]
fn an_import_waits_for_another_writer_says_so_and_then_goes_ahead() {
    let dir = tempfile::tempdir().unwrap();
    let at = dir.path().join("ws");
    drop(
        Workspace::at(&at).create(&NewWorkspace { kdf: CHEAP, ..NewWorkspace::new("passphrase-one", "党委") }).unwrap(),
    );
    let csv = |name: &str, rows: std::ops::Range<u32>| {
        let mut text = String::from("姓名,学号工号,所在党支部,递交入党申请书日期\n");
        for i in rows {
            text.push_str(&format!("人员{i},{i},第一党支部,2026-10-01\n"));
        }
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        roster::read(&path).unwrap()
    };
    let (first_roster, second_roster, third_roster) =
        (csv("a.csv", 0..600), csv("b.csv", 1000..1003), csv("c.csv", 2000..2001));

    let (release, first) = import_holding_the_workspace(&at, first_roster);

    // Cancelled while waiting: nothing changes, and the answer is "cancelled", not bad rows.
    let mut other = Workspace::at(&at).open("passphrase-one").unwrap();
    let err = other
        .import_roster(third_roster, ImportOptions::default(), |p| {
            if p.waiting { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        })
        .unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err:?}");

    // Waiting, it hears so, and once the other writer lets go it imports.
    let mut waited = 0;
    let mut release = Some(release);
    let report = other
        .import_roster(second_roster, ImportOptions::default(), |p| {
            if p.waiting {
                waited += 1;
                if let Some(release) = release.take() {
                    release.send(()).unwrap();
                }
            }
            ControlFlow::Continue(())
        })
        .unwrap();
    assert!(waited >= 1, "the import said it was waiting");
    assert!(report.committed && report.created == 3 && report.problems.is_empty(), "{report:?}");
    assert_eq!(first.join().unwrap().created, 600);
    assert_eq!(other.count_people().unwrap(), 603);
}

/// Two processes on one workspace: the app importing a roster that updates 张三 while `dangan`
/// changes one of his steps. The step's change waits for the import and must then read him as the
/// import left him: written from what it read before waiting, it deleted the step the import
/// added and put his old phone number back, and both reported success.
#[test]
fn a_change_that_waited_for_another_writer_keeps_what_that_writer_committed() {
    let dir = tempfile::tempdir().unwrap();
    let at = dir.path().join("ws");
    let mut store =
        Workspace::at(&at).create(&NewWorkspace { kdf: CHEAP, ..NewWorkspace::new("passphrase-one", "党委") }).unwrap();
    let committee = store.org_tree().unwrap().committee().unwrap().id;
    let branch = store.add_org_unit(committee, OrgKind::Branch, "第一党支部").unwrap().id;
    let zhang =
        Person { branch_id: branch, name: "张三".into(), student_no: Some("1001".into()), ..Person::default() };
    let zhang = store.save_person(zhang).unwrap().person.id.unwrap();
    let applied =
        store.save_event(zhang, ProcedureEvent::new(EventKind::ApplicationReceived, d("2026-01-05"))).unwrap();
    let application = applied.events[0].clone();
    drop(store);
    let path = dir.path().join("update.csv");
    std::fs::write(&path, "姓名,学号工号,所在党支部,递交入党申请书日期,确定积极分子日期,联系电话\n张三,1001,第一党支部,2026-01-05,2026-07-10,13800000000\n").unwrap();
    let update = roster::read(&path).unwrap();

    let (release, importing) = import_holding_the_workspace(&at, update);
    let stepping_at = at.clone();
    let stepping = std::thread::spawn(move || {
        let mut store = Workspace::at(&stepping_at).open("passphrase-one").unwrap();
        let noted = ProcedureEvent { note: Some("本人手写".into()), ..application };
        store.save_event(zhang, noted)
    });
    // The step's change is under way (it waits for the import's lock), then the import commits.
    std::thread::sleep(std::time::Duration::from_millis(400));
    release.send(()).unwrap();
    assert_eq!(importing.join().unwrap().updated, 1);
    let after = stepping.join().unwrap().unwrap();
    let kinds: Vec<(EventKind, Option<&str>)> = after.events.iter().map(|e| (e.kind, e.note.as_deref())).collect();
    assert_eq!(
        kinds,
        [(EventKind::ApplicationReceived, Some("本人手写")), (EventKind::ActivistDetermined, None)],
        "the import's step is kept beside the change"
    );
    assert_eq!(after.person.phone.as_deref(), Some("13800000000"), "the import's phone number is kept");
    assert_eq!(after.stage, Stage::Activist);
}

/// A roster carries an extension of probation as its months only. Re-importing an exported
/// roster (phone numbers filled in) gave the extension recorded by hand a made-up day (the end of
/// the first year, or today when the row had no admission), silently, as an "update".
#[test]
fn a_reimported_roster_keeps_the_day_of_an_extension_on_file() {
    let (_dir, mut store) = store();
    let branch = branch(&mut store);
    let mut person = person(branch, "张三");
    person.student_no = Some("1001".into());
    let id = store.save_person(person).unwrap().person.id.unwrap();
    for (kind, date) in [
        (EventKind::ApplicationReceived, "2023-03-01"),
        (EventKind::ActivistDetermined, "2023-09-01"),
        (EventKind::CandidateDetermined, "2024-09-10"),
        (EventKind::Admitted, "2025-03-10"),
        (EventKind::AdmissionApproved, "2025-04-01"),
    ] {
        store.save_event(id, ProcedureEvent::new(kind, d(date))).unwrap();
    }
    let extension =
        ProcedureEvent { months: Some(6), ..ProcedureEvent::new(EventKind::ProbationExtended, d("2026-03-20")) };
    store.save_event(id, extension).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("again.csv");
    std::fs::write(&path, "姓名,学号工号,所在党支部,延长预备期月数,联系电话\n张三,1001,第一党支部,6,13800000000\n")
        .unwrap();
    let report = store
        .import_roster(roster::read(&path).unwrap(), ImportOptions::default(), |_| ControlFlow::Continue(()))
        .unwrap();
    assert_eq!(report.updated, 1, "{report:?}");
    let detail = store.member(id).unwrap();
    assert_eq!(detail.person.phone.as_deref(), Some("13800000000"));
    let extended: Vec<_> = detail.events.iter().filter(|e| e.kind == EventKind::ProbationExtended).collect();
    assert_eq!(extended.len(), 1);
    assert_eq!((extended[0].date, extended[0].months), (d("2026-03-20"), Some(6)));
}

/// The app keeps lists and the deadline scan in memory; a person another process added (`dangan`
/// run while the app is open) was missing from both until the workspace was locked and opened
/// again.
#[test]
fn lists_and_the_scan_show_what_another_process_wrote_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let at = dir.path().join("ws");
    let mut app =
        Workspace::at(&at).create(&NewWorkspace { kdf: CHEAP, ..NewWorkspace::new("passphrase-one", "党委") }).unwrap();
    app.set_today(d("2026-11-24"));
    let branch = branch(&mut app);
    let zhang = app.save_person(person(branch, "张三")).unwrap().person.id.unwrap();
    app.save_event(zhang, ProcedureEvent::new(EventKind::ApplicationReceived, d("2026-11-01"))).unwrap();
    let listed = |store: &Store| -> Vec<String> {
        store.list_members(&MemberQuery::all()).unwrap().items.into_iter().map(|m| m.name).collect()
    };
    let owed = |store: &Store| -> Vec<String> {
        let query = dangan_core::deadlines::DeadlineQuery::default();
        let mut names: Vec<String> = store
            .deadlines(&query)
            .unwrap()
            .into_iter()
            .filter_map(|i| match i.owner {
                dangan_core::deadlines::Owner::Member { name, .. } => Some(name),
                dangan_core::deadlines::Owner::Unit { .. } => None,
            })
            .collect();
        names.sort();
        names.dedup();
        names
    };
    assert_eq!(listed(&app), ["张三"]);
    assert_eq!(owed(&app), ["张三"]);

    let mut cli = Workspace::at(&at).open("passphrase-one").unwrap();
    cli.set_today(d("2026-11-24"));
    let li = cli.save_person(person(branch, "李四")).unwrap().person.id.unwrap();
    cli.save_event(li, ProcedureEvent::new(EventKind::ApplicationReceived, d("2026-11-02"))).unwrap();
    drop(cli);

    assert_eq!(listed(&app), ["李四", "张三"]);
    assert_eq!(owed(&app), ["张三", "李四"]);
    // Its own changes it keeps without reading everything again, and they show as well.
    app.save_person(Person { name: "王五".into(), ..person(branch, "王五") }).unwrap();
    assert_eq!(listed(&app), ["李四", "王五", "张三"]);
}

/// A party group's members are saved as a whole list: from a form opened before another worker
/// changed them, the save is refused (it silently took out whoever the other had added).
#[test]
fn a_party_groups_members_saved_from_an_older_form_are_refused() {
    let (_dir, mut store) = store();
    let branch = branch(&mut store);
    let ids: Vec<i64> = ["张三", "李四", "王五"]
        .iter()
        .map(|n| store.save_person(person(branch, n)).unwrap().person.id.unwrap())
        .collect();
    let group = store.save_group(None, branch, "第一党小组").unwrap();
    store.set_group_members(group.id, &ids[..2], Some(&[])).unwrap();
    // The other worker's form, opened on 张三 and 李四, adds 王五.
    store.set_group_members(group.id, &ids, Some(&ids[..2])).unwrap();
    // This one, opened on the same two, takes 李四 out: refused, naming the group; 王五 stays.
    let err = store.set_group_members(group.id, &ids[..1], Some(&[ids[1], ids[0]])).unwrap_err();
    assert!(matches!(err, Error::ChangedMeanwhile { .. }), "{err:?}");
    assert!(err.message(dangan_core::Lang::En).contains("the members of 第一党小组"), "{err}");
    let kept = store.groups(None).unwrap().remove(0);
    assert_eq!(kept.members.len(), 3);
    // Without what it read (the CLI's own list), the list is taken as it is.
    assert_eq!(store.set_group_members(group.id, &ids[..1], None).unwrap().members.len(), 1);
}
