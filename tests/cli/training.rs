//! `dangan classes` and `dangan training`: a development targets' class with its sessions,
//! attendance and results, whose passing records each trainee's centralised training (细则第十七条:
//! 3 days or 24 hours, refused for all otherwise); its certificates; own study and the year's hours.

use dangan_tests::{TestWorkspace, pdftotext};
use predicates::prelude::*;
use serde_json::Value;

const ROSTER: &str = "\
姓名,学号工号,所在支部,申请入党日期,谈话日期,确定积极分子日期,确定发展对象日期
陈明,2024001,第一党支部,2023-03-01,2023-03-10,2023-09-01,2026-09-01
刘洋,2024002,第一党支部,2023-03-01,2023-03-10,2023-09-01,2026-09-01
周红,2024003,第二党支部,2023-03-01,2023-03-10,2023-09-01,2026-09-01
吴刚,2024004,第二党支部,2023-03-01,2023-03-10,2023-09-01,
";

fn workspace() -> TestWorkspace {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv("roster.csv", ROSTER);
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    ws
}

fn json(ws: &TestWorkspace, args: &[&str]) -> Value {
    let out = ws.dangan(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The 集中培训日期 column of an export, by name.
fn training_dates(ws: &TestWorkspace) -> Vec<(String, String)> {
    use calamine::{Reader, Xlsx};
    let out = ws.file("export.xlsx");
    let _ = std::fs::remove_file(&out);
    ws.dangan(&["export", out.to_str().unwrap()]).assert().success();
    let mut book: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    let name = header.iter().position(|h| h == "姓名").unwrap();
    let training = header.iter().position(|h| h == "集中培训日期").unwrap();
    // A date cell holds its Excel serial number.
    rows.filter(|r| !r[training].to_string().is_empty())
        .map(|r| {
            let serial: f64 = r[training].to_string().parse().unwrap();
            let date = dangan_core::calendar::from_excel_serial(serial).unwrap();
            (r[name].to_string(), date.to_string())
        })
        .collect()
}

#[test]
fn passing_a_development_targets_class_records_centralised_training_only_for_those_who_attended_enough() {
    let ws = workspace();
    let class = json(
        &ws,
        &[
            "classes",
            "add",
            "--unit",
            "中共测试大学委员会",
            "--kind",
            "发展对象培训班",
            "--name",
            "2026年秋季发展对象培训班",
            "--from",
            "2026-10-10",
            "--to",
            "2026-10-12",
            "--session",
            "2026-10-10:8:党章学习",
            "--session",
            "2026-10-11:8",
            "--session",
            "2026-10-12:8",
            "--json",
        ],
    );
    let id = class["class"]["id"].as_i64().unwrap().to_string();
    assert_eq!(class["class"]["sessions"].as_array().unwrap().len(), 3);
    // Everyone at the development-target stage, in one step (吴刚 is an activist: not enrolled).
    let enrolled = json(&ws, &["classes", "enrol", "--id", &id, "--stage", "candidate", "--json"]);
    let names: Vec<&str> =
        enrolled["trainees"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(!names.contains(&"吴刚"));
    for (date, present) in [("2026-10-10", "陈明,刘洋,周红"), ("2026-10-11", "陈明,刘洋"), ("2026-10-12", "陈明")]
    {
        ws.dangan(&["classes", "attendance", "--id", &id, "--date", date, "--present", present]).assert().success();
    }
    for (who, score, passed) in [("陈明", "92", "yes"), ("刘洋", "85", "合格"), ("周红", "40", "no")] {
        ws.dangan(&["classes", "result", "--id", &id, "--person", who, "--score", score, "--passed", passed])
            .assert()
            .success();
    }
    let list = json(&ws, &["classes", "list", "--json"]);
    let trainee =
        |name: &str| list[0]["trainees"].as_array().unwrap().iter().find(|t| t["name"] == name).unwrap().clone();
    assert_eq!((trainee("陈明")["minutes"].as_u64(), trainee("陈明")["days"].as_u64()), (Some(1440), Some(3)));
    assert_eq!((trainee("刘洋")["minutes"].as_u64(), trainee("刘洋")["days"].as_u64()), (Some(960), Some(2)));

    // 刘洋 passed on two days and 16 hours: refused for everyone, naming him and the article.
    ws.dangan_zh(&["classes", "pass", "--id", &id])
        .assert()
        .failure()
        .stderr(predicate::str::contains("刘洋").and(predicate::str::contains("第十七条")));
    assert!(training_dates(&ws).is_empty(), "nothing was recorded");
    ws.dangan(&["classes", "result", "--id", &id, "--person", "刘洋", "--passed", "no"]).assert().success();
    let after = json(&ws, &["classes", "list", "--json"]);
    let liu = after[0]["trainees"].as_array().unwrap().iter().find(|t| t["name"] == "刘洋").unwrap().clone();
    assert_eq!((liu["score"].as_u64(), liu["passed"].as_bool()), (Some(85), Some(false)), "the score stays");
    ws.dangan(&["classes", "pass", "--id", &id]).assert().success().stdout(predicate::str::contains("1"));
    assert_eq!(training_dates(&ws), [("陈明".to_owned(), "2026-10-12".to_owned())]);

    // The certificates: one page for each who passed.
    let pdf = ws.file("结业证书.pdf");
    ws.dangan(&["classes", "certificates", "--id", &id, "--out", pdf.to_str().unwrap()]).assert().success();
    // Lines wrap anywhere in Chinese: read the text as one line.
    let text = pdftotext(&pdf, false).replace('\n', "");
    assert!(text.contains("结业证书") && text.contains("陈明"), "{text}");
    assert!(text.contains("2026年10月10日") && text.contains("2026年秋季发展对象培训班"), "{text}");
    assert!(!text.contains("刘洋") && !text.contains("周红"), "only those who passed: {text}");
}

#[test]
fn a_bad_class_is_refused_naming_the_field() {
    let ws = workspace();
    let add = |extra: &[&str]| {
        let mut args = vec![
            "classes",
            "add",
            "--unit",
            "第一党支部",
            "--kind",
            "member_class",
            "--name",
            "冬训",
            "--from",
            "2026-10-10",
            "--to",
            "2026-10-12",
        ];
        args.extend_from_slice(extra);
        ws.dangan(&args).assert().failure()
    };
    add(&["--session", "2026-10-20:4"]).stderr(predicate::str::contains("2026-10-20"));
    add(&["--session", "2026-10-10:25"]).stderr(predicate::str::contains("25"));
    add(&["--session", "2026-10-10"]).stderr(predicate::str::contains("2026-10-10"));
    ws.dangan(&[
        "classes",
        "add",
        "--unit",
        "第一党支部",
        "--kind",
        "茶话会",
        "--name",
        "x",
        "--from",
        "2026-10-10",
        "--to",
        "2026-10-12",
    ])
    .assert()
    .failure()
    .stderr(predicate::str::contains("candidate_class"));
    assert_eq!(json(&ws, &["classes", "list", "--json"]).as_array().unwrap().len(), 0, "nothing was recorded");
}

#[test]
fn the_years_hours_add_meetings_classes_and_own_study_and_a_sheet_of_own_study_is_all_or_nothing() {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv(
        "members.csv",
        "姓名,学号工号,所在支部,入党时间\n黄山,T001,第一党支部,2010-07-01\n白云,T002,第一党支部,2012-07-01\n",
    );
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    ws.dangan(&[
        "meetings",
        "add",
        "--unit",
        "第一党支部",
        "--kind",
        "party_lecture",
        "--date",
        "2026-03-10",
        "--present",
        "黄山",
        "--hours",
        "2",
    ])
    .assert()
    .success();
    let class = json(
        &ws,
        &[
            "classes",
            "add",
            "--unit",
            "第一党支部",
            "--kind",
            "member_class",
            "--name",
            "党员冬训",
            "--from",
            "2026-01-10",
            "--to",
            "2026-01-10",
            "--session",
            "2026-01-10:6",
            "--json",
        ],
    );
    let id = class["class"]["id"].as_i64().unwrap().to_string();
    ws.dangan(&["classes", "enrol", "--id", &id, "--people", "黄山,白云"]).assert().success();
    ws.dangan(&["classes", "attendance", "--id", &id, "--date", "2026-01-10", "--present", "黄山"]).assert().success();
    ws.dangan(&[
        "training",
        "add",
        "--member",
        "黄山",
        "--date",
        "2026-05-01",
        "--hours",
        "1.5",
        "--title",
        "网络党课",
    ])
    .assert()
    .success();
    let bad = ws.write_csv(
        "study-bad.csv",
        "姓名,日期,学时,学习内容,学习途径\n白云,2026-06-01,3,学习强国专题,学习强国\n无名氏,2026-06-02,2,专题,\n白云,二〇二六,2,专题,\n",
    );
    // The unknown name (row 3) and the unreadable date (row 4) are named together.
    ws.dangan_zh(&["training", "import", bad.to_str().unwrap()]).assert().failure().stderr(
        predicate::str::contains("第 3 行")
            .and(predicate::str::contains("无名氏"))
            .and(predicate::str::contains("第 4 行")),
    );
    let unknown = ws
        .write_csv("study-unknown.csv", "姓名,日期,学时,学习内容\n白云,2026-06-01,3,专题\n无名氏,2026-06-02,2,专题\n");
    ws.dangan_zh(&["training", "import", unknown.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("第 3 行").and(predicate::str::contains("无名氏")));
    let good = ws.write_csv("study.csv", "姓名,日期,学时,学习内容,学习途径\n白云,2026-06-01,3,学习强国专题,学习强国\n");
    ws.dangan(&["training", "import", good.to_str().unwrap()]).assert().success();
    // The same sheet again is refused, naming the row already recorded; nothing doubles.
    ws.dangan_zh(&["training", "import", good.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("第 2 行").and(predicate::str::contains("已经记录过")));
    // A wrong entry can be found and deleted.
    ws.dangan(&["training", "add", "--member", "白云", "--date", "2026-06-02", "--hours", "20", "--title", "误录"])
        .assert()
        .success();
    let entries = json(&ws, &["training", "list", "--member", "白云", "--year", "2026", "--json"]);
    let wrong = entries.as_array().unwrap().iter().find(|e| e["title"] == "误录").unwrap()["id"].as_i64().unwrap();
    ws.dangan(&["training", "delete", "--id", &wrong.to_string()]).assert().success();
    ws.dangan(&["training", "add", "--member", "白云", "--date", "2026-06-01", "--hours", "22", "--title", "另一专题"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("24"));

    let hours = json(&ws, &["training", "hours", "--year", "2026", "--json"]);
    let of = |name: &str| hours.as_array().unwrap().iter().find(|h| h["name"] == name).unwrap().clone();
    let huang = of("黄山");
    assert_eq!(huang["hours"], 9.5);
    assert_eq!(
        (huang["meeting_hours"].as_f64(), huang["class_hours"].as_f64(), huang["own_hours"].as_f64()),
        (Some(2.0), Some(6.0), Some(1.5))
    );
    assert_eq!(of("白云")["hours"], 3.0, "only the valid sheet was recorded");
    assert_eq!(huang["required"], 32);
    let below = json(&ws, &["training", "hours", "--year", "2026", "--below", "--json"]);
    assert_eq!(below.as_array().unwrap().len(), 2, "both are short of 32 hours");
    for row in below.as_array().unwrap() {
        assert!(row["member_id"].as_i64().is_some() && row["name"].is_string() && row["required"].is_number());
    }
    // The annual report counts them: two members, both studied, neither the 32 hours asked.
    let annual = json(&ws, &["report", "annual", "--year", "2026", "--json"]);
    let training = annual["tables"].as_array().unwrap().iter().find(|t| t["id"] == "training").unwrap();
    assert_eq!(training["rows"][0]["values"], serde_json::json!([2, 2, 0]), "{training}");
}
