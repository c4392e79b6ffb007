//! Roster import and export through the CLI: all or nothing, every bad row named, updates
//! instead of duplicates, and exports that re-import cleanly.

use dangan_tests::TestWorkspace;
use predicates::prelude::*;

const GOOD: &str = "\
姓名,性别,出生日期,学号工号,所在支部,申请入党日期,谈话日期,确定积极分子日期,确定发展对象日期,接收预备党员日期,审批日期,转正支部大会日期,批准转正日期
张三,男,2002-03-04,2021001,计算机学院第一党支部,2021-09-10,2021-09-30,2022-03-01,2023-03-15,2023-06-20,2023-07-20,2024-06-21,2024-07-10
李四,女,2003-05-06,2021002,计算机学院第一党支部,2025/10/8,2025年10月20日,,,,,,
王五,男,2001.7.8,2021003,数学学院党总支/本科生党支部,2024-03-01,2024-03-20,2024-09-01,,,,,
";

#[test]
fn a_good_roster_is_imported_and_its_stages_derived() {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv("good.csv", GOOD);
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success().stdout(
        predicate::str::contains("Imported 3 rows: 3 added, 0 updated").and(predicate::str::contains("New branches:")),
    );
    let stages: Vec<(String, String)> = ws
        .members_json(&[])
        .iter()
        .map(|m| (m["name"].as_str().unwrap().to_owned(), m["stage"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        stages,
        [
            ("李四".into(), "applicant".into()),
            ("王五".into(), "activist".into()),
            ("张三".into(), "full_member".into())
        ]
    );
}

#[test]
fn a_roster_with_bad_rows_is_refused_whole_with_every_row_named() {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv(
        "bad.csv",
        "\
姓名,出生日期,所在支部,申请入党日期,谈话日期
好人甲,2000-01-01,第一党支部,2025-01-10,2025-01-20
先谈话,2000-01-01,第一党支部,2025-02-01,2025-01-10
日期错,2000-01-01,第一党支部,2025-02-30,
未成年,2010-01-01,第一党支部,2025-02-01,
,2000-01-01,第一党支部,2025-02-01,
无支部,2000-01-01,,2025-02-01,
",
    );
    let assert = ws.dangan(&["import", roster.to_str().unwrap()]).assert().code(4);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    for expected in [
        "row 3, column “谈话日期”",
        "Art. 7",
        "row 4, column “申请入党日期”: “2025-02-30” is not a date",
        "row 5, column “申请入党日期”",
        "minimum age is 18",
        "row 6, column “姓名”: the name is empty",
        "row 7, column “所在支部”: the branch is empty",
        "error: the roster has 5 bad row(s); nothing was imported",
    ] {
        assert!(stderr.contains(expected), "missing {expected:?} in:\n{stderr}");
    }
    assert!(!stderr.contains("row 2"), "the good row is not blamed:\n{stderr}");
    assert!(ws.members_json(&[]).is_empty(), "nothing was imported, not even the good row");
    let zh = ws.dangan_zh(&["import", roster.to_str().unwrap()]).assert().code(4);
    let stderr = String::from_utf8_lossy(&zh.get_output().stderr).into_owned();
    assert!(stderr.contains("第 3 行「谈话日期」") && stderr.contains("第七条"), "{stderr}");
}

#[test]
fn problems_name_the_column_as_the_file_spells_it() {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv("english.csv", "name,branch,applied_on,talked_on\nZhao,Branch 1,2025-02-01,2025-01-10\n");
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().code(4).stderr(predicate::str::contains(
        "row 2, column “talked_on”: “Talk with the applicant” (2025-01-10) cannot precede",
    ));
}

#[test]
fn the_json_report_of_a_refused_roster_lists_its_problems() {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv("bad.csv", "姓名,所在支部,性别\n甲,一支部,未知\n");
    let out = ws.dangan(&["import", "--json", roster.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["committed"], false);
    assert_eq!(report["problems"][0]["row"], 2);
    assert_eq!(report["problems"][0]["column"], "性别");
}

#[test]
fn a_dry_run_reports_and_saves_nothing() {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv("good.csv", GOOD);
    ws.dangan(&["import", "--dry-run", roster.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("Dry run passed, nothing saved: 3 rows would add 3"));
    assert!(ws.members_json(&[]).is_empty());
}

#[test]
fn importing_the_same_people_again_updates_rather_than_duplicates() {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv("good.csv", GOOD);
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let later = ws.write_csv(
        "later.csv",
        "学号工号,姓名,所在支部,申请入党日期,谈话日期,确定积极分子日期\n2021002,李四,计算机学院第一党支部,2025-10-08,2025-10-20,2026-04-20\n",
    );
    ws.dangan(&["import", later.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("0 added, 1 updated").and(predicate::str::contains("rows 2")));
    let members = ws.members_json(&[]);
    assert_eq!(members.len(), 3);
    let li = members.iter().find(|m| m["name"] == "李四").unwrap();
    assert_eq!(li["stage"], "activist");
}

#[test]
fn an_export_re_imports_cleanly_into_a_new_workspace() {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv("good.csv", GOOD);
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let export = ws.file("export.xlsx");
    ws.dangan(&["export", export.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("Exported 3 people"));

    let other = TestWorkspace::initialised();
    other.dangan(&["import", export.to_str().unwrap()]).assert().success().stdout(predicate::str::contains("3 added"));
    let strip = |members: Vec<serde_json::Value>| -> Vec<(String, String, String, String)> {
        members
            .iter()
            .map(|m| {
                let s = |k: &str| m[k].as_str().unwrap_or_default().to_owned();
                (s("name"), s("stage"), s("branch"), s("student_no"))
            })
            .collect()
    };
    assert_eq!(strip(other.members_json(&[])), strip(ws.members_json(&[])));
    // And into the same workspace: everyone is recognised.
    ws.dangan(&["import", export.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("0 added, 3 updated"));
}

#[test]
fn export_writes_only_the_filtered_members() {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv("good.csv", GOOD);
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let export = ws.file("activists.xlsx");
    ws.dangan(&["export", "--stage", "activist", export.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("Exported 1 people"));
    ws.dangan(&["export", ws.file("x.csv").to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(".xlsx"));
}

#[test]
fn the_template_has_the_roster_columns_and_imports_as_an_empty_roster() {
    let ws = TestWorkspace::initialised();
    let template = ws.file("template.xlsx");
    ws.dangan(&["template", template.to_str().unwrap()]).assert().success();
    use calamine::{Reader, open_workbook_auto};
    let mut book = open_workbook_auto(&template).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let header: Vec<String> = sheet.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    for column in [
        "姓名",
        "性别",
        "出生日期",
        "所在支部",
        "申请入党日期",
        "谈话日期",
        "确定积极分子日期",
        "确定发展对象日期",
        "接收预备党员日期",
        "审批日期",
        "转正支部大会日期",
        "批准转正日期",
        "延长预备期月数",
        "预审通过日期",
        "入党宣誓日期",
        "身份证号",
        "学号工号",
        "民族",
        "电话",
    ] {
        assert!(header.iter().any(|h| h == column), "{column} missing from {header:?}");
    }
    ws.dangan(&["import", template.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("Imported 0 rows"));
}

#[test]
fn xlsx_rosters_with_excel_date_cells_and_text_dates_are_read() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let ws = TestWorkspace::initialised();
    let path = ws.file("roster.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy/m/d");
    for (c, h) in ["序号", "姓名", "所在支部", "申请入党日期", "谈话日期", "学号工号"].iter().enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_number(1, 0, 1).unwrap();
    sheet.write_string(1, 1, "赵六").unwrap();
    sheet.write_string(1, 2, "第一党支部").unwrap();
    sheet.write_datetime_with_format(1, 3, ExcelDateTime::from_ymd(2025, 10, 8).unwrap(), &date).unwrap();
    sheet.write_string(1, 4, "2025年10月20日").unwrap();
    sheet.write_number(1, 5, 2021006).unwrap();
    book.save(&path).unwrap();
    ws.dangan(&["import", path.to_str().unwrap()]).assert().success().stdout(predicate::str::contains("1 added"));
    let members = ws.members_json(&["--search", "zl"]);
    assert_eq!(members[0]["student_no"], "2021006", "a number typed into a general cell is read without .0");
}

#[test]
fn gb18030_csv_from_older_excel_is_read() {
    let ws = TestWorkspace::initialised();
    let (bytes, _, _) = encoding_rs::GB18030.encode("姓名,所在支部,申请入党日期\n钱七,第一党支部,2025-10-08\n");
    let path = ws.file("old-excel.csv");
    std::fs::write(&path, bytes).unwrap();
    ws.dangan(&["import", path.to_str().unwrap()]).assert().success();
    assert_eq!(ws.members_json(&[])[0]["name"], "钱七");
}

#[test]
fn a_file_that_is_not_a_roster_gets_a_clear_error() {
    let ws = TestWorkspace::initialised();
    let fake = ws.file("fake.xlsx");
    std::fs::write(&fake, "this is not a spreadsheet").unwrap();
    ws.dangan(&["import", fake.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not a valid .xlsx file"));
    let no_header = ws.write_csv("no-header.csv", "张三,一支部\n");
    ws.dangan(&["import", no_header.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("the header must be row 1"));
    ws.dangan(&["import", ws.file("missing.csv").to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("missing.csv"));
    ws.dangan(&["import", ws.file("roster.xls").to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("save it as .xlsx"));
}

/// A roster without identity or student numbers, imported twice: the second import lists the
/// likely duplicates and saves nothing until told to add or skip them.
#[test]
fn a_roster_without_numbers_imported_twice_does_not_double_everyone() {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv(
        "no-numbers.csv",
        "\
姓名,出生日期,所在支部,申请入党日期
赵一,2003-01-02,第一党支部,2026-09-01
钱二,,第一党支部,2026-09-02
孙三,2003-03-04,第二党支部,2026-09-03
",
    );
    let path = roster.to_str().unwrap();
    ws.dangan(&["import", path]).assert().success().stdout(predicate::str::contains("3 added"));

    // The dry run shows them; the import without a choice refuses (exit 4) naming each row.
    ws.dangan(&["import", "--dry-run", path])
        .assert()
        .success()
        .stdout(predicate::str::contains("3 people look already registered"))
        .stdout(predicate::str::contains("row 2: “赵一” has the same name and birth date as registered member"))
        .stdout(predicate::str::contains("row 3: “钱二” has the same name, branch and application date"));
    ws.dangan(&["import", path])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("3 people in the roster look already registered"))
        .stderr(predicate::str::contains("row 4: “孙三”"))
        .stderr(predicate::str::contains("--duplicates add"));
    assert_eq!(ws.members_json(&[]).len(), 3, "nothing was added");

    // JSON carries the same list for scripts.
    let out = ws.dangan(&["import", "--json", path]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows: Vec<u64> =
        report["likely_duplicates"].as_array().unwrap().iter().map(|d| d["row"].as_u64().unwrap()).collect();
    assert_eq!(rows, [2, 3, 4]);

    // Skipping leaves everyone once; a new person in the same file is still added.
    let with_new = ws.write_csv(
        "with-new.csv",
        "姓名,出生日期,所在支部,申请入党日期\n赵一,2003-01-02,第一党支部,2026-09-01\n周五,2003-05-06,第一党支部,2026-09-05\n",
    );
    ws.dangan(&["import", "--duplicates", "skip", with_new.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("1 added"))
        .stdout(predicate::str::contains("1 rows looked like duplicates and were skipped"));
    assert_eq!(ws.members_json(&[]).len(), 4);

    // Told they are different people, the import adds them.
    ws.dangan(&["import", "--duplicates", "add", path]).assert().success().stdout(predicate::str::contains("3 added"));
    assert_eq!(ws.members_json(&[]).len(), 7);
    ws.dangan(&["import", "--duplicates", "maybe", path])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--duplicates takes add or skip"));
}

/// The same person twice in one file, without numbers, is caught too.
#[test]
fn a_person_repeated_within_one_roster_is_a_likely_duplicate() {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv(
        "twice.csv",
        "姓名,出生日期,所在支部,申请入党日期\n赵一,2003-01-02,第一党支部,2026-09-01\n赵一,2003-01-02,第一党支部,2026-09-01\n",
    );
    ws.dangan(&["import", roster.to_str().unwrap()])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("row 3: “赵一” has the same name and birth date as row 2"));
    assert!(ws.members_json(&[]).is_empty());
}

/// What Excel's 「Unicode 文本」 (Unicode text) writes: UTF-16 with its byte-order mark, cells
/// separated by tabs. Read, not refused.
#[test]
fn a_roster_saved_as_excel_unicode_text_is_read() {
    let ws = TestWorkspace::initialised();
    let text = "姓名\t学号工号\t所在支部\t申请入党日期\r\n张三\t2026001\t第一党支部\t2026-10-01\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let path = ws.file("名册.txt");
    std::fs::write(&path, bytes).unwrap();
    ws.dangan(&["import", path.to_str().unwrap()]).assert().success().stdout(predicate::str::contains("1 added"));
    let members = ws.members_json(&[]);
    assert_eq!((members[0]["name"].as_str(), members[0]["student_no"].as_str()), (Some("张三"), Some("2026001")));
}
