//! `dangan deadlines`: what each person's procedure still owes, as of a date.

use dangan_tests::TestWorkspace;
use predicates::prelude::*;

const ROSTER: &str = "\
姓名,学号工号,所在支部,申请入党日期,谈话日期,确定积极分子日期,确定发展对象日期,接收预备党员日期,审批日期,入党宣誓日期,最近思想汇报日期
未谈话,2026001,第一党支部,2026-10-01,,,,,,,
已谈话,2026002,第一党支部,2026-10-01,2026-10-15,,,,,,
预备党员,2026003,第二党支部,2022-09-01,2022-09-20,2023-03-01,2024-03-05,2025-11-30,2025-12-20,2026-01-05,2026-10-20
";

fn workspace() -> TestWorkspace {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv("roster.csv", ROSTER);
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    ws
}

fn items(ws: &TestWorkspace, args: &[&str]) -> Vec<(String, String, String, String)> {
    // The members' items: the meetings their branches owe are tested in `meetings.rs`.
    let mut all = vec!["deadlines", "--json", "--owed-by", "member"];
    all.extend_from_slice(args);
    let out = ws.dangan(&all).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    json.iter()
        .map(|i| {
            let s = |k: &str| i[k].as_str().unwrap().to_owned();
            assert!(i["member_id"].as_i64().is_some());
            (s("name"), s("rule"), s("due"), s("status"))
        })
        .collect()
}

fn item(name: &str, rule: &str, due: &str, status: &str) -> (String, String, String, String) {
    (name.into(), rule.into(), due.into(), status.into())
}

#[test]
fn a_missing_oath_is_overdue_a_month_after_the_approval() {
    let ws = workspace();
    let roster = ws.write_csv("no-oath.csv", "姓名,学号工号,所在支部,申请入党日期,谈话日期,确定积极分子日期,确定发展对象日期,接收预备党员日期,审批日期\n未宣誓,2026009,第三党支部,2022-09-01,2022-09-20,2023-03-01,2024-03-05,2025-11-30,2025-12-20\n");
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let owed = items(&ws, &["--as-of", "2026-11-24", "--branch", "第三党支部"]);
    assert!(owed.contains(&item("未宣誓", "oath", "2026-01-20", "overdue")), "{owed:?}");
    // No thought report on file: the first was due a quarter after the activist determination.
    assert!(owed.contains(&item("未宣誓", "thought_report", "2023-06-01", "overdue")), "{owed:?}");
}

#[test]
fn deadlines_are_listed_most_urgent_first_with_their_status() {
    let ws = workspace();
    assert_eq!(
        items(&ws, &["--as-of", "2026-11-24"]),
        [
            item("未谈话", "application_talk", "2026-11-01", "overdue"),
            item("预备党员", "conversion_due", "2026-11-30", "due_soon"),
            item("预备党员", "thought_report", "2027-01-20", "upcoming"),
        ]
    );
    assert_eq!(
        items(&ws, &["--as-of", "2026-10-02"]),
        [
            item("未谈话", "application_talk", "2026-11-01", "due_soon"),
            item("预备党员", "conversion_due", "2026-11-30", "upcoming"),
            item("预备党员", "thought_report", "2027-01-20", "upcoming"),
        ]
    );
}

#[test]
fn within_keeps_overdue_items_and_those_due_soon_enough() {
    let ws = workspace();
    assert_eq!(
        items(&ws, &["--as-of", "2026-10-02", "--within", "30"]),
        [item("未谈话", "application_talk", "2026-11-01", "due_soon")]
    );
    assert_eq!(
        items(&ws, &["--as-of", "2026-11-24", "--within", "0"]),
        [item("未谈话", "application_talk", "2026-11-01", "overdue")]
    );
}

#[test]
fn deadlines_filter_by_branch_and_cite_their_clause() {
    let ws = workspace();
    assert_eq!(
        items(&ws, &["--as-of", "2026-11-24", "--branch", "第二党支部"]),
        [
            item("预备党员", "conversion_due", "2026-11-30", "due_soon"),
            item("预备党员", "thought_report", "2027-01-20", "upcoming")
        ]
    );
    ws.dangan_zh(&["deadlines", "--as-of", "2026-11-24", "--owed-by", "member"]).assert().success().stdout(
        predicate::str::contains("已逾期")
            .and(predicate::str::contains("《中国共产党发展党员工作细则》第七条"))
            .and(predicate::str::contains("共 3 项，其中已逾期 1 项")),
    );
}

#[test]
fn a_bad_as_of_date_is_refused() {
    let ws = workspace();
    ws.dangan(&["deadlines", "--as-of", "2026-02-30"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not a date"));
}

#[test]
fn the_deadline_list_exports_to_a_workbook_with_the_same_items() {
    use calamine::{Data, Reader, Xlsx};
    let ws = workspace();
    let out = ws.file("期限.xlsx");
    ws.dangan(&["deadlines", "--as-of", "2026-11-24", "--owed-by", "member", "--out", out.to_str().unwrap()])
        .assert()
        .success();
    let mut book: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let range = book.worksheet_range("期限").unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    assert_eq!(rows[0][0], Data::String("状态".into()));
    // The same three items as the JSON list, in its order: name in column 4, days left in column 3.
    let names: Vec<String> = rows[1..].iter().map(|r| r[3].to_string()).collect();
    assert_eq!(names, ["未谈话", "预备党员", "预备党员"]);
    assert_eq!(rows[1][0], Data::String("已逾期".into()));
    assert_eq!(rows[1][2], Data::Float(-23.0));
    // A file name that is not a workbook: refused, nothing written.
    let wrong = ws.file("期限.csv");
    ws.dangan(&["deadlines", "--out", wrong.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains(".xlsx"));
    assert!(!wrong.exists());
}
