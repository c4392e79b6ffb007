//! Sheets of held meetings and of own study run as jobs (as the dues sheet, `dues.rs`): their
//! rows are counted off as they are checked, and a sheet stopped at any point records nothing.

use std::ops::ControlFlow;

use crate::common::office::office;
use dangan_core::Error;
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
