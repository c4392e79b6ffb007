//! Sheets of held meetings and of own study run as jobs (as the dues sheet, `dues.rs`): their
//! rows are counted off as they are checked, and a sheet stopped at any point records nothing.

use std::ops::ControlFlow;
use std::sync::mpsc::Sender;
use std::thread::JoinHandle;

use crate::common::office::{Office, add, office, open_as};
use dangan_core::Error;
use dangan_core::access::Role;
use dangan_core::domain::OrgKind;
use dangan_core::jobs::Progress;
use dangan_core::store::MeetingQuery;

const ROWS: usize = 150;

/// What a job heard, as (done, total).
type Heard = Vec<(u64, u64)>;

/// Runs `import` once stopped at the first count past the start, then to the end; what each heard.
fn stopped_then_whole(
    mut import: impl FnMut(&mut dyn FnMut(Progress) -> ControlFlow<()>) -> dangan_core::Result<usize>,
) -> (Heard, Heard) {
    let mut stopped = Vec::new();
    let err = import(&mut |p| {
        stopped.push((p.done, p.total));
        if p.done > 0 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })
    .unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    let mut whole = Vec::new();
    let recorded = import(&mut |p| {
        whole.push((p.done, p.total));
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(recorded, ROWS);
    (stopped, whole)
}

#[test]
fn a_sheet_of_meetings_counts_its_rows_and_stopped_records_nothing() {
    let (mut office, _) = office();
    let store = &mut office.admin;
    let mut text = String::from("单位,会议类型,日期,出席\n");
    let first = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    for i in 0..ROWS {
        let day = first + chrono::Days::new(i as u64);
        text.push_str(&format!("第一党支部,谈心谈话,{day},张三\n"));
    }
    let sheet = office.dir.path().join("会议登记.csv");
    std::fs::write(&sheet, text).unwrap();
    let query = MeetingQuery { unit: Some(office.branch_a), ..MeetingQuery::default() };
    let before = store.meetings(&query).unwrap().len();
    let mut recorded_when_stopped = None;
    let (stopped, whole) = stopped_then_whole(|report| {
        let (rows, problems) = dangan_core::meetings::read_meeting_sheet(&sheet).unwrap();
        let result = store.import_meetings(&rows, problems, report);
        if recorded_when_stopped.is_none() {
            recorded_when_stopped = Some(store.meetings(&query).unwrap().len());
        }
        result
    });
    assert_eq!(recorded_when_stopped, Some(before), "stopped, no meeting was recorded");
    assert_eq!(stopped, [(0, 150), (100, 150)]);
    assert_eq!(whole.first(), Some(&(0, 150)));
    assert_eq!(whole.last(), Some(&(150, 150)));
    assert_eq!(store.meetings(&query).unwrap().len(), before + ROWS);
}

#[test]
fn a_sheet_of_own_study_counts_its_rows_and_stopped_records_nothing() {
    let (mut office, _) = office();
    let store = &mut office.admin;
    let mut text = String::from("姓名,日期,学时,学习内容\n");
    let first = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    for i in 0..ROWS {
        let day = first + chrono::Days::new(i as u64);
        text.push_str(&format!("张三,{day},1,网络党课第{i}讲\n"));
    }
    let sheet = office.dir.path().join("个人学习.csv");
    std::fs::write(&sheet, text).unwrap();
    let zhang = office.zhang;
    let mut recorded_when_stopped = None;
    let (stopped, whole) = stopped_then_whole(|report| {
        let (rows, problems) = dangan_core::study::read_study_sheet(&sheet).unwrap();
        let result = store.import_study_entries(rows, problems, report);
        if recorded_when_stopped.is_none() {
            recorded_when_stopped = Some(store.study_entries(zhang, 2026).unwrap().len());
        }
        result
    });
    assert_eq!(recorded_when_stopped, Some(0), "stopped, no entry was recorded");
    assert_eq!(stopped, [(0, 150), (100, 150)]);
    assert_eq!(whole.last(), Some(&(150, 150)));
    assert_eq!(store.study_entries(zhang, 2026).unwrap().len(), ROWS);
}

/// Holds the workspace's write lock from another connection, as another window's roster import
/// would, until the returned sender is sent to; returns once the lock is held.
fn another_writer_holding(office: &Office) -> (Sender<()>, JoinHandle<()>) {
    another_writer_holding_as(office, "王五", 20260001, "第一党支部")
}

/// [`another_writer_holding`], the other writer importing `name` with student number `number`
/// into `branch` (a path, created if need be).
fn another_writer_holding_as(office: &Office, name: &str, number: u32, branch: &str) -> (Sender<()>, JoinHandle<()>) {
    let roster_file = office.dir.path().join(format!("名册{number}.csv"));
    let text = format!("姓名,学号工号,所在党支部,递交入党申请书日期\n{name},{number},{branch},2026-10-01\n");
    std::fs::write(&roster_file, text).unwrap();
    let roster = dangan_core::roster::read(&roster_file).unwrap();
    let mut other = office.ws.open(crate::common::PASSPHRASE).unwrap();
    let (holding, held) = std::sync::mpsc::channel::<()>();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let writer = std::thread::spawn(move || {
        let mut told = false;
        let report = other
            .import_roster(roster, dangan_core::roster::ImportOptions::default(), |_| {
                if !std::mem::replace(&mut told, true) {
                    holding.send(()).unwrap();
                    released.recv().unwrap();
                }
                ControlFlow::Continue(())
            })
            .unwrap();
        assert_eq!(report.created, 1);
    });
    held.recv().unwrap();
    (release, writer)
}

/// A sheet started while another writer holds the workspace (another window's import, the daily
/// backup) waits for it, saying so, and then records; stopped while waiting, it records nothing.
/// It used to give up as "busy" after five seconds, whatever the job's cancel button said.
#[test]
fn a_sheet_waits_for_another_writer_says_so_and_then_records() {
    let (mut office, _) = office();
    let sheet = office.dir.path().join("个人学习.csv");
    std::fs::write(&sheet, "姓名,日期,学时,学习内容\n张三,2026-01-05,1,网络党课\n李四,2026-01-06,2,专题讲座\n")
        .unwrap();
    let read = || dangan_core::study::read_study_sheet(&sheet).unwrap();
    let (release, writer) = another_writer_holding(&office);

    let (rows, problems) = read();
    let err = office
        .admin
        .import_study_entries(rows, problems, &mut |p: Progress| {
            if p.waiting { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        })
        .unwrap_err();
    assert!(matches!(err, Error::Cancelled), "stopped while waiting: {err:?}");

    let (rows, problems) = read();
    let (mut waited, mut release, mut heard) = (0, Some(release), Vec::new());
    let recorded = office
        .admin
        .import_study_entries(rows, problems, &mut |p: Progress| {
            heard.push((p.waiting, p.done, p.total));
            if p.waiting {
                waited += 1;
                // Let go only after a few reports, so the sheet has really waited.
                if waited == 3 {
                    release.take().unwrap().send(()).unwrap();
                }
            }
            ControlFlow::Continue(())
        })
        .unwrap();
    assert!(waited >= 3, "the sheet said it was waiting ({waited})");
    // Once it has the workspace it says so at once (the shell stops saying "waiting"), not only
    // a hundred rows or the last row on.
    let after = heard.iter().rposition(|h| h.0).unwrap() + 1;
    assert_eq!(heard[after], (false, 0, 2), "{heard:?}");
    assert!(heard[..after].iter().skip(1).all(|h| *h == (true, 0, 2)), "{heard:?}");
    assert_eq!(recorded, 2);
    writer.join().unwrap();
    assert_eq!(office.admin.study_entries(office.zhang, 2026).unwrap().len(), 1);
    assert_eq!(office.admin.study_entries(office.li, 2026).unwrap().len(), 1);

    // The sheet of held meetings waits the same way (the dues sheet takes the same path).
    let sheet = office.dir.path().join("会议登记.csv");
    std::fs::write(&sheet, "单位,会议类型,日期,出席\n第一党支部,谈心谈话,2026-01-05,张三\n").unwrap();
    let (rows, problems) = dangan_core::meetings::read_meeting_sheet(&sheet).unwrap();
    let (release, writer) = another_writer_holding_as(&office, "赵六", 20260002, "第一党支部");
    let mut release = Some(release);
    let recorded = office
        .admin
        .import_meetings(&rows, problems, &mut |p: Progress| {
            if p.waiting
                && let Some(release) = release.take()
            {
                release.send(()).unwrap();
            }
            ControlFlow::Continue(())
        })
        .unwrap();
    assert!(release.is_none(), "the meetings' sheet said it was waiting");
    assert_eq!(recorded, 1);
    writer.join().unwrap();
}

/// A branch secretary's roster import that waited for another writer reads where the secretary
/// may import once it has the workspace: a branch that writer added under the secretary's
/// general branch is theirs. (Read before the wait, the row was refused as not theirs.)
#[test]
fn a_roster_import_reads_who_may_import_where_once_it_has_the_workspace() {
    let (mut office, _) = office();
    let committee = office.admin.org_tree().unwrap().committee().unwrap().id;
    let general = office.admin.add_org_unit(committee, OrgKind::GeneralBranch, "数学党总支").unwrap().id;
    add(&mut office, "孙书记", Role::BranchSecretary, &[general]);
    let mut secretary = open_as(&office, "孙书记");
    let roster_file = office.dir.path().join("书记的名册.csv");
    let text = "姓名,学号工号,所在党支部,递交入党申请书日期\n钱七,20260009,数学党总支/研究生党支部,2026-10-01\n";
    std::fs::write(&roster_file, text).unwrap();
    let roster = dangan_core::roster::read(&roster_file).unwrap();

    let (release, writer) = another_writer_holding_as(&office, "赵六", 20260002, "数学党总支/研究生党支部");
    let mut release = Some(release);
    let report = secretary
        .import_roster(roster, dangan_core::roster::ImportOptions::default(), |p| {
            if p.waiting
                && let Some(release) = release.take()
            {
                release.send(()).unwrap();
            }
            ControlFlow::Continue(())
        })
        .unwrap();
    assert!(release.is_none(), "the import waited for the other writer");
    assert!(report.committed && report.created == 1, "{report:?}");
    writer.join().unwrap();
}
