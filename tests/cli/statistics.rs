//! `dangan stats` and `dangan report annual`: the counting rules of the report forms, the JSON
//! fields scripts rely on, every number's people, and the workbook read back.

use calamine::{Data, Reader, Xlsx};
use dangan_tests::{TestWorkspace, pdftotext};
use predicates::prelude::*;
use serde_json::Value;

/// Two branches; each row is there for one counting rule.
const ROSTER: &str = "\
姓名,学号工号,性别,民族,出生日期,人员类别,学历,年级,学生层次,职业,所在支部,申请入党日期,确定积极分子日期,确定发展对象日期,接收预备党员日期,审批日期,转正支部大会日期,批准转正日期,入党时间
会议在年底,S01,女,汉族,2003-05-01,学生,大学本科,2022级,本科生,,第一党支部,2022-09-01,2023-03-01,2024-03-05,2025-12-20,2026-01-08,,,
审批在年底,S02,男,回族,2002-01-10,学生,研究生,2021,硕士研究生,,第一党支部,2021-09-01,2022-03-01,2023-03-05,2025-12-01,2025-12-31,,,
已转正,T01,男,汉族,1990-04-01,教师,研究生,,,专业技术人员,第二党支部,2020-09-01,2021-03-01,2022-03-05,2023-06-01,2023-06-20,2024-06-01,2024-06-15,
老党员,T02,女,汉族,1970-01-01,职工,大学本科,,,管理人员,第二党支部,,,,,,,,1998-07-01
申请人,S03,男,汉族,2006-02-01,学生,,2025级,本科生,,第二党支部,2026-03-01,,,,,,,
积极分子,S04,女,壮族,2005-02-01,学生,,2024级,本科生,,第一党支部,2024-10-01,2025-04-01,,,,,,
";

fn workspace() -> TestWorkspace {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv("roster.csv", ROSTER);
    let out = ws.dangan(&["import", roster.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    ws
}

fn json(ws: &TestWorkspace, args: &[&str]) -> Value {
    let out = ws.dangan(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn names(ws: &TestWorkspace, args: &[&str]) -> Vec<String> {
    let mut names: Vec<String> =
        json(ws, args).as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap().to_owned()).collect();
    names.sort();
    names
}

fn table<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["tables"].as_array().unwrap().iter().find(|t| t["id"] == id).unwrap_or_else(|| panic!("no table {id}"))
}

/// The value of a row (by its label) and column (by its key) of a table.
fn cell(table: &Value, row_label: &str, column: &str) -> Value {
    let c = table["columns"].as_array().unwrap().iter().position(|c| c["key"] == column).unwrap();
    let row = table["rows"].as_array().unwrap().iter().find(|r| r["label"]["zh"] == row_label).unwrap();
    row["values"][c].clone()
}

#[test]
fn stats_json_counts_people_by_stage_and_branch_as_of_a_day() {
    let ws = workspace();
    let stats = json(&ws, &["stats", "--json", "--as-of", "2026-11-24"]);
    assert_eq!(stats["as_of"], "2026-11-24");
    let by_stage = &stats["by_stage"];
    let counts: Vec<u64> = ["applicant", "activist", "candidate", "probationary", "full_member"]
        .iter()
        .map(|k| by_stage[k].as_u64().unwrap_or_else(|| panic!("by_stage.{k}")))
        .collect();
    // 老党员 joined before the records: a full member.
    assert_eq!(counts, [1, 1, 0, 2, 2]);
    let branches = stats["by_branch"].as_array().unwrap();
    let first = branches.iter().find(|b| b["branch"] == "第一党支部").unwrap();
    assert_eq!((first["activist"].as_u64(), first["probationary"].as_u64()), (Some(1), Some(2)));

    // A year earlier the applicant of March 2026 was not yet in the register, and the one admitted
    // on 20 December 2025 was still a development target.
    let before = json(&ws, &["stats", "--json", "--as-of", "2025-12-19"]);
    assert_eq!(before["by_stage"]["applicant"], 0);
    assert_eq!(before["by_stage"]["candidate"], 1);
    assert_eq!(before["by_stage"]["probationary"], 1);
}

#[test]
fn new_members_count_in_the_year_of_the_approval_with_the_31_december_cut_off() {
    let ws = workspace();
    let y2025 = json(&ws, &["report", "annual", "--year", "2025", "--json"]);
    let y2026 = json(&ws, &["report", "annual", "--year", "2026", "--json"]);
    // Approved on 31 December 2025: that year. Meeting in December 2025, approved in January: 2026.
    assert_eq!(y2025["year"], 2025);
    assert_eq!(y2025["developed"], 1);
    assert_eq!(y2026["developed"], 1);
    assert_eq!(
        names(&ws, &["report", "annual", "--year", "2025", "--people", "changes/total/developed", "--json"]),
        ["审批在年底"]
    );
    assert_eq!(
        names(&ws, &["report", "annual", "--year", "2026", "--people", "changes/total/developed", "--json"]),
        ["会议在年底"]
    );
    // Members at the start of 2025: the converted teacher and the member from 1998.
    assert_eq!(y2025["members_start"], 2);
    assert_eq!(y2025["members_end"], 3);
    assert_eq!(y2026["members_start"], y2025["members_end"]);
    assert_eq!(y2026["members_end"], 4);
    // Conversions in the year of their approval.
    let y2024 = json(&ws, &["report", "annual", "--year", "2024", "--json"]);
    assert_eq!((y2024["converted"].as_u64(), y2025["converted"].as_u64()), (Some(1), Some(0)));
    assert_eq!(y2026["check"]["ok"], true, "{}", y2026["check"]);

    let changes = table(&y2026, "changes");
    assert_eq!(changes["title"]["zh"], "党员数量变化情况");
    assert!(changes["columns"].as_array().unwrap().iter().any(|c| c["key"] == "members_end"));
    // Transfers are recorded now: none this year is 0, not empty.
    assert_eq!(cell(changes, "合计", "transferred_in"), 0);
    assert_eq!(cell(changes, "第一党支部", "members_end"), 2);
    let developed = table(&y2026, "developed");
    assert_eq!(cell(developed, "其中：女性", "count"), 1);
    assert_eq!(cell(developed, "大学本科", "count"), 1);
}

#[test]
fn the_consistency_check_names_the_person_whose_dates_do_not_add_up() {
    let ws = workspace();
    // Joined "before the records" in 2026, though nothing of a development this year is recorded.
    let roster = ws.write_csv("odd.csv", "姓名,学号工号,所在支部,入党时间\n无来由,X01,第二党支部,2026-03-01\n");
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let report = json(&ws, &["report", "annual", "--year", "2026", "--json"]);
    let check = &report["check"];
    assert_eq!(check["ok"], false);
    let branches = check["branches"].as_array().unwrap();
    assert_eq!(branches.len(), 1, "{check}");
    assert_eq!((branches[0]["branch"].as_str(), branches[0]["difference"].as_i64()), (Some("第二党支部"), Some(1)));
    let people = check["people"].as_array().unwrap();
    assert_eq!(people.len(), 1, "{check}");
    assert_eq!(people[0]["name"], "无来由");
    assert!(people[0]["reason"]["zh"].as_str().unwrap().contains("入党时间"), "{}", people[0]);
    // The table prints the check beside it.
    let out = ws.dangan_zh(&["report", "annual", "--year", "2026"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("第二党支部") && text.contains("无来由") && text.contains("相差 +1"), "{text}");
}

#[test]
fn every_number_lists_the_people_it_counts() {
    let ws = workspace();
    let stats = json(&ws, &["stats", "--json", "--as-of", "2026-11-24"]);
    for t in stats["tables"].as_array().unwrap() {
        let id = t["id"].as_str().unwrap();
        for row in t["rows"].as_array().unwrap() {
            for (c, column) in t["columns"].as_array().unwrap().iter().enumerate() {
                if !column["share_of"].is_null() {
                    continue;
                }
                let Some(count) = row["values"][c].as_u64() else { continue };
                let path = format!("{id}/{}/{}", row["key"].as_str().unwrap(), column["key"].as_str().unwrap());
                let listed = names(&ws, &["stats", "--as-of", "2026-11-24", "--json", "--people", &path]);
                assert_eq!(listed.len() as u64, count, "{path}: {listed:?}");
            }
        }
    }
    assert_eq!(names(&ws, &["stats", "--json", "--people", "by_stage/activist/count"]), ["积极分子"]);
    assert_eq!(names(&ws, &["stats", "--json", "--people", "by_ethnicity/minority/members"]), ["审批在年底"]);
}

#[test]
fn a_cell_that_does_not_exist_is_named_with_what_does() {
    let ws = workspace();
    ws.dangan(&["stats", "--people", "by_stage/nobody/count"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("nobody").and(predicates::str::contains("activist")));
    ws.dangan(&["stats", "--people", "by_stage"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("TABLE/ROW/COLUMN"));
    ws.dangan(&["stats", "--people", "no_table/x/y"]).assert().failure().stderr(predicates::str::contains("by_branch"));
    ws.dangan(&["report", "annual", "--year", "99999", "--json"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("99999"));
}

#[test]
fn the_annual_report_workbook_reads_back_one_sheet_per_table_and_the_check() {
    let ws = workspace();
    let out = ws.file("年报.xlsx");
    ws.dangan(&["report", "annual", "--year", "2026", "--out", out.to_str().unwrap()]).assert().success();
    let mut book: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let sheets = book.sheet_names();
    assert!(sheets.contains(&"党员数量变化情况".to_owned()), "{sheets:?}");
    assert_eq!(sheets.last().map(String::as_str), Some("一致性检查"));
    let range = book.worksheet_range("党员数量变化情况").unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    let total = rows.iter().find(|r| r.first() == Some(&Data::String("合计".into()))).unwrap();
    // 项目, 上年底党员数, 发展党员, …: the end of 2025 held three members, one was developed.
    assert_eq!((&total[1], &total[2]), (&Data::Float(3.0), &Data::Float(1.0)));
    assert!(
        rows.iter().flatten().any(|c| matches!(c, Data::String(s) if s.starts_with("说明：") && s.contains("审批")))
    );
    // Inside the workspace: refused, nothing written.
    let inside = ws.dir().join("年报.xlsx");
    ws.dangan(&["report", "annual", "--year", "2026", "--out", inside.to_str().unwrap()]).assert().failure();
    assert!(!inside.exists());
    let stats = ws.file("统计.xlsx");
    ws.dangan(&["stats", "--out", stats.to_str().unwrap()]).assert().success();
    let book: Xlsx<_> = calamine::open_workbook(&stats).unwrap();
    assert!(book.sheet_names().contains(&"各年级学生党员和入党积极性情况".to_owned()));
}

#[test]
fn old_rosters_without_the_new_columns_still_import_and_exports_carry_them() {
    let ws = workspace();
    let old = ws.write_csv("old.csv", "姓名,学号工号,所在支部,申请入党日期\n旧名册,O01,第一党支部,2026-05-01\n");
    ws.dangan(&["import", old.to_str().unwrap()]).assert().success();
    let bad = ws.write_csv("bad.csv", "姓名,学号工号,所在支部,学历,年级\n学历错,B01,第一党支部,幼儿园,二四级\n");
    ws.dangan_zh(&["import", bad.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicates::str::contains("学历「幼儿园」").and(predicates::str::contains("年级「二四级」")));
    let export = ws.file("export.xlsx");
    ws.dangan(&["export", export.to_str().unwrap()]).assert().success();
    let mut book: Xlsx<_> = calamine::open_workbook(&export).unwrap();
    let first = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&first).unwrap();
    let header: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    for column in ["学历", "年级", "学生层次", "职业", "入党时间"] {
        assert!(header.iter().any(|h| h == column), "{column} missing from {header:?}");
    }
    // The export re-imports cleanly into a fresh workspace, the new facts with it.
    let other = TestWorkspace::initialised();
    other.dangan(&["import", export.to_str().unwrap()]).assert().success();
    let stats = json(&other, &["stats", "--json", "--as-of", "2026-11-24"]);
    assert_eq!(stats["by_stage"]["full_member"], 2);
    let education = table(&stats, "by_education");
    assert_eq!(cell(education, "研究生", "members"), 2);
}

#[test]
fn the_annual_report_prints_as_a_pdf_with_its_tables_notes_and_check() {
    let ws = workspace();
    let pdf = ws.file("年报.pdf");
    ws.dangan(&["report", "annual", "--year", "2026", "--out", pdf.to_str().unwrap()]).assert().success();
    let text = pdftotext(&pdf, true);
    for expected in
        ["2026年度党内统计", "党员数量变化情况", "转正", "发展党员情况", "一致性检查", "各党支部数字一致", "第一党支部"]
    {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    // The note names its source; the appraisal's table counts (its note names article 18).
    assert!(text.contains("填报说明"), "{text}");
    assert!(text.contains("民主评议党员情况") && text.contains("第十八条"), "{text}");
    // The statistics as of a day print the same way; a name that is neither is refused, naming both.
    let stats = ws.file("统计.pdf");
    ws.dangan(&["stats", "--out", stats.to_str().unwrap()]).assert().success();
    assert!(pdftotext(&stats, true).contains("各年级学生党员和入党积极性情况"));
    ws.dangan(&["stats", "--out", ws.file("统计.docx").to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicates::str::contains(".xlsx").and(predicates::str::contains(".pdf")));
}

#[test]
fn a_member_from_before_the_records_owes_no_step_of_the_procedure() {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv("old.csv", "姓名,学号工号,所在支部,申请入党日期,确定积极分子日期,入党时间\n老张,Z01,第一党支部,2005-09-01,2006-03-01,2007-06-01\n");
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let out = ws.dangan(&["deadlines", "--json"]).output().unwrap();
    let items: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    // Their branch owes its meetings (it has a member now); they themselves owe nothing.
    let theirs: Vec<&Value> = items.iter().filter(|i| i.get("member_id").is_some()).collect();
    assert!(theirs.is_empty(), "no activist review or report is owed by a member since 2007: {theirs:?}");
    assert!(items.iter().any(|i| i["rule"] == "committee_meeting"), "{items:?}");
    let members = ws.members_json(&[]);
    assert_eq!(members[0]["stage"], "full_member");
}

#[test]
fn each_class_years_columns_add_up_to_its_students() {
    let ws = workspace();
    for as_of in ["2025-12-25", "2026-11-24"] {
        let stats = json(&ws, &["stats", "--json", "--as-of", as_of]);
        let t = table(&stats, "by_class_year");
        let at = |key: &str| t["columns"].as_array().unwrap().iter().position(|c| c["key"] == key).unwrap();
        for row in t["rows"].as_array().unwrap() {
            let v = |key: &str| row["values"][at(key)].as_u64().unwrap();
            let parts = v("members") + v("applicants") + v("activists") + v("candidates");
            assert_eq!(parts, v("students"), "{as_of}, {}: {row}", row["label"]["zh"]);
        }
    }
}

#[test]
fn a_branch_secretary_counts_their_branch_under_its_own_name() {
    let ws = workspace();
    ws.dangan(&["users", "add", "孙书记", "--role", "branch_secretary", "--branch", "第一党支部"])
        .env("DANGAN_NEW_PASSPHRASE", "sun's passphrase")
        .assert()
        .success();
    let out = ws
        .dangan(&["stats", "--json", "--as-of", "2026-11-24"])
        .env("DANGAN_USER", "孙书记")
        .env("DANGAN_PASSPHRASE", "sun's passphrase")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stats: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["unit_name"], "第一党支部", "not the committee's name");
    let branches: Vec<&str> =
        stats["by_branch"].as_array().unwrap().iter().map(|b| b["branch"].as_str().unwrap()).collect();
    assert_eq!(branches, ["第一党支部"]);
    // 会议在年底, 审批在年底 (probationary) and 积极分子: the first branch's three.
    let by_stage = &stats["by_stage"];
    assert_eq!(
        (by_stage["probationary"].as_u64(), by_stage["activist"].as_u64(), by_stage["full_member"].as_u64()),
        (Some(2), Some(1), Some(0))
    );
    // Another branch asked for is refused, not answered with zeros.
    ws.dangan(&["stats", "--json", "--unit", "第二党支部"])
        .env("DANGAN_USER", "孙书记")
        .env("DANGAN_PASSPHRASE", "sun's passphrase")
        .assert()
        .failure();
}
