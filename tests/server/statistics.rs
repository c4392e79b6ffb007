//! Statistics on a server: the workspace's own counting over the server's people and steps, the
//! same numbers for the same roster, each user counting what they may read (a college its
//! college), and the people behind a number.

use calamine::Reader;
use dangan_tests::{PASSPHRASE, TestWorkspace};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

use crate::security::{db_role, ok};
use crate::setup::{ADMIN, dangan, initialised};

/// Students at three stages, one whose procedure ended, and a teacher who joined before the
/// records: every table has someone in it.
const ROSTER: &str = "姓名,学号工号,所在党支部,性别,民族,出生日期,人员类别,学历,年级,递交入党申请书日期,确定入党积极分子日期,确定发展对象日期,入党时间,终止日期\n\
    王五,2026003,第一党支部,男,汉族,2004-05-01,学生,大学本科,2023,2024-03-01,2024-10-01,2025-11-01,,\n\
    赵六,2026004,第二党支部,女,回族,2005-01-02,学生,大学本科,2024,2026-01-31,2026-07-01,,,\n\
    钱七,2026005,第一党支部,女,汉族,2003-11-30,学生,大学本科,2023,2026-02-10,,,,\n\
    孙九,T1001,第二党支部,男,满族,1980-02-02,教师,研究生,,,,,2010-07-01,\n\
    周十,2026007,第一党支部,女,汉族,2005-06-06,学生,大学本科,2024,2025-10-01,,,,2026-05-01\n";

fn stats(out: std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // The numbers each database gives its rows and the committee's name are their own.
    stats.as_object_mut().unwrap().remove("unit_name");
    for row in stats["by_branch"].as_array_mut().unwrap() {
        row.as_object_mut().unwrap().remove("branch_id");
    }
    stats["tables"].as_array_mut().unwrap().retain(|t| t["id"] != "by_branch");
    stats
}

#[test]
fn the_same_roster_counts_the_same_and_each_user_counts_what_they_may_read() {
    let Some((cluster, url)) = initialised() else { return };
    let admin = db_role(&url, ADMIN);
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv("roster.csv", ROSTER);
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    dangan(&url, ADMIN, &["import", roster.to_str().unwrap()]).assert().success();
    let as_of = ["stats", "--json", "--as-of", "2026-12-01"];
    let on_server = stats(dangan(&url, ADMIN, &as_of).output().unwrap());
    assert_eq!(on_server, stats(ws.dangan(&as_of).output().unwrap()));
    // Every table has someone in it (but the ten years' admissions: nobody here was admitted
    // through the procedure), so the comparison compares numbers, not zeros.
    for table in on_server["tables"].as_array().unwrap().iter().filter(|t| t["id"] != "by_year") {
        let total = table["rows"].as_array().unwrap().iter().find(|r| r["key"] == "total").unwrap();
        assert_ne!(total["values"][0], 0, "{}", table["id"]);
    }

    ok(cluster.psql(
        "dangan",
        &admin,
        PASSPHRASE,
        "INSERT INTO dangan.org_units (parent_id, kind, name)
             SELECT id, 'committee', '计算机学院党委' FROM dangan.org_units WHERE parent_id IS NULL;
         INSERT INTO dangan.org_units (parent_id, kind, name)
             SELECT id, 'branch', '第一党支部' FROM dangan.org_units WHERE name = '计算机学院党委';",
    ));
    // A college's user counts their college; the department counts everyone, the college's
    // branch named by its path below the university.
    let college = ws.write_csv(
        "college.csv",
        "姓名,学号工号,所在党支部,递交入党申请书日期\n孙八,2026006,计算机学院党委/第一党支部,2026-03-03\n",
    );
    dangan(&url, ADMIN, &["import", college.to_str().unwrap()]).assert().success();
    dangan(&url, ADMIN, &["users", "add", "学院组织员", "--role", "organiser", "--committee", "计算机学院党委"])
        .assert()
        .success();
    let theirs = stats(dangan(&url, "学院组织员", &as_of).output().unwrap());
    assert_eq!(theirs["by_stage"]["applicant"], 1);
    assert_eq!(theirs["by_branch"].as_array().unwrap().len(), 1);
    // Not the university's as a whole, which would hold only their part under its name.
    dangan(&url, "学院组织员", &["stats", "--unit", "中共示范大学委员会"])
        .assert()
        .failure()
        .stderr(contains("only your own units"));
    let all = stats(dangan(&url, ADMIN, &as_of).output().unwrap());
    assert_eq!(all["by_stage"]["applicant"], 2);
    let branches: Vec<&str> =
        all["by_branch"].as_array().unwrap().iter().map(|b| b["branch"].as_str().unwrap()).collect();
    assert!(branches.contains(&"计算机学院党委/第一党支部") && branches.contains(&"第一党支部"), "{branches:?}");

    // The people behind a number, as the member list prints them.
    dangan(&url, ADMIN, &["stats", "--as-of", "2026-12-01", "--people", "by_stage/applicant/count"])
        .assert()
        .success()
        .stdout(contains("钱七"))
        .stdout(contains("孙八"))
        .stdout(contains("王五").not());
    // The workbook, as a workspace writes it; never into this PC's workspace folder.
    let book = ws.file("统计.xlsx");
    dangan(&url, ADMIN, &["stats", "--out", book.to_str().unwrap()]).assert().success();
    let sheets = calamine::open_workbook::<calamine::Xlsx<_>, _>(&book).unwrap().sheet_names();
    assert!(sheets.contains(&"各年级学生党员和入党积极性情况".to_owned()), "{sheets:?}");
    let inside = ws.dir().join("统计.xlsx");
    dangan(&url, ADMIN, &["--workspace", ws.dir().to_str().unwrap(), "stats", "--out", inside.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(contains("inside the workspace folder"));
    assert!(!inside.exists());
}

/// The annual report's JSON without the numbers each database gives its units.
fn annual(out: std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    report.as_object_mut().unwrap().remove("unit_name");
    report
}

#[test]
fn the_annual_report_on_a_server_counts_as_a_workspaces_and_lists_the_people_behind_a_number() {
    let Some((_cluster, url)) = initialised() else { return };
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv("roster.csv", ROSTER);
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    dangan(&url, ADMIN, &["import", roster.to_str().unwrap()]).assert().success();
    // A lecture the teacher attended: the training table counts their hours.
    let lecture = [
        "meetings",
        "add",
        "--unit",
        "第二党支部",
        "--kind",
        "party_lecture",
        "--date",
        "2026-06-01",
        "--present",
        "孙九",
        "--hours",
        "2",
    ];
    ws.dangan(&lecture).assert().success();
    dangan(&url, ADMIN, &lecture).assert().success();

    let year = ["report", "annual", "--year", "2026", "--json"];
    let on_server = annual(dangan(&url, ADMIN, &year).output().unwrap());
    assert_eq!(on_server, annual(ws.dangan(&year).output().unwrap()));
    assert_eq!(on_server["check"]["ok"], true, "{:#?}", on_server["check"]);
    let printed = ["report", "annual", "--year", "2026"];
    // Each heads the report with its own committee's name.
    let said = |out: std::process::Output| {
        String::from_utf8(out.stdout).unwrap().replace("中共示范大学委员会", "").replace("中共测试大学委员会", "")
    };
    assert_eq!(said(dangan(&url, ADMIN, &printed).output().unwrap()), said(ws.dangan(&printed).output().unwrap()));

    // The people behind a number, as the member list prints them.
    let people = ["report", "annual", "--year", "2026", "--people", "changes/total/members_end"];
    dangan(&url, ADMIN, &people).assert().success().stdout(contains("孙九")).stdout(contains("钱七").not());
    // The workbook, as a workspace writes it.
    let book = ws.file("年报.xlsx");
    dangan(&url, ADMIN, &["report", "annual", "--year", "2026", "--out", book.to_str().unwrap()]).assert().success();
    assert!(!calamine::open_workbook::<calamine::Xlsx<_>, _>(&book).unwrap().sheet_names().is_empty());
}
