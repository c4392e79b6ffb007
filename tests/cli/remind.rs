//! `dangan remind`, `dangan rules`, `dangan holidays` and `dangan deadlines --ics`: the deadline
//! engine from a terminal or an OS scheduler.

use dangan_tests::TestWorkspace;
use predicates::prelude::*;

const ROSTER: &str = "\
姓名,学号工号,所在支部,申请入党日期,谈话日期,确定积极分子日期,最近思想汇报日期,发展对象公示日期
未谈话,2026001,第一党支部,2026-10-01,,,,
刚申请,2026002,第一党支部,2026-11-20,,,,
积极分子,2026003,第二党支部,2025-01-10,2025-01-20,2025-03-01,2026-11-01,2026-09-30
";

fn workspace() -> TestWorkspace {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv("roster.csv", ROSTER);
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    ws
}

/// `(name, rule, threshold)` of each reminder `remind --json` would send.
fn reminders(ws: &TestWorkspace, as_of: &str) -> Vec<(String, String, serde_json::Value)> {
    let out = ws.dangan(&["remind", "--json", "--as-of", as_of]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    json.iter()
        .map(|r| {
            (r["name"].as_str().unwrap().to_owned(), r["rule"].as_str().unwrap().to_owned(), r["threshold"].clone())
        })
        .collect()
}

#[test]
fn remind_prints_what_it_would_send_and_sends_nothing_without_notify() {
    let ws = workspace();
    let due = reminders(&ws, "2026-11-24");
    assert!(due.contains(&("未谈话".into(), "application_talk".into(), "overdue".into())), "{due:?}");
    assert!(due.contains(&("刚申请".into(), "application_talk".into(), serde_json::json!({ "lead": 30 }))), "{due:?}");
    ws.dangan_zh(&["remind", "--as-of", "2026-11-24"])
        .assert()
        .success()
        .stdout(predicate::str::contains("已逾期").and(predicate::str::contains("加 --notify")));
    assert_eq!(reminders(&ws, "2026-11-24"), due, "printing records nothing");
}

#[test]
fn remind_without_a_notification_service_says_so_and_records_nothing() {
    let ws = workspace();
    let due = reminders(&ws, "2026-11-24");
    assert!(due.contains(&("未谈话".into(), "application_talk".into(), "overdue".into())), "{due:?}");
    ws.dangan(&["remind", "--notify", "--as-of", "2026-11-24"])
        .env("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}", ws.file("no-bus").display()))
        .assert()
        .code(5)
        .stderr(predicate::str::contains("no notification service is running"));
    assert_eq!(reminders(&ws, "2026-11-24"), due, "nothing was marked as sent");
    // Even on a day with nothing due, so that a scheduler set up wrongly fails at once.
    let empty = TestWorkspace::initialised();
    empty
        .dangan(&["remind", "--notify"])
        .env("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}", empty.file("no-bus").display()))
        .assert()
        .code(5);
}

#[test]
fn an_office_rule_file_is_loaded_on_top_and_a_bad_one_is_refused_naming_the_entry() {
    let ws = workspace();
    let bad = ws.write_csv("bad.toml", "[[deadline]]\nid = \"thought_report\"\nmonths = 0\n");
    ws.dangan(&["rules", "load", bad.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("`thought_report`").and(predicate::str::contains("1 to 120 months")));
    let next_report = |ws: &TestWorkspace| {
        let out =
            ws.dangan(&["deadlines", "--json", "--as-of", "2026-11-24", "--branch", "第二党支部"]).output().unwrap();
        let json: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        json.iter().find(|i| i["rule"] == "thought_report").map(|i| i["due"].as_str().unwrap().to_owned())
    };
    assert_eq!(next_report(&ws).as_deref(), Some("2027-02-01"));
    let monthly = ws.write_csv("ours.toml", "[[deadline]]\nid = \"thought_report\"\nmonths = 1\nlead_days = [3]\n");
    ws.dangan_zh(&["rules", "load", monthly.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("含本单位规则").and(predicate::str::contains("1 个月")));
    assert_eq!(next_report(&ws).as_deref(), Some("2026-12-01"));
    ws.dangan(&["rules", "reset"]).assert().success();
    assert_eq!(next_report(&ws).as_deref(), Some("2027-02-01"));
}

#[test]
fn the_holiday_calendar_settles_a_provisional_publicity_date() {
    let ws = workspace();
    let publicity = |ws: &TestWorkspace| {
        let out = ws.dangan(&["deadlines", "--json", "--as-of", "2026-10-01"]).output().unwrap();
        let json: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        let item = json.iter().find(|i| i["rule"] == "candidate_publicity").unwrap().clone();
        (item["due"].as_str().unwrap().to_owned(), item["provisional"].as_bool().unwrap())
    };
    assert_eq!(publicity(&ws), ("2026-10-07".into(), true));
    let bad = ws.write_csv("bad.csv", "日期,类型,名称\n2026-10-01,假日,国庆节\n2026-10-09,工作日,\n");
    ws.dangan(&["holidays", "import", bad.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("line 3").and(predicate::str::contains("weekday already")));
    assert_eq!(publicity(&ws), ("2026-10-07".into(), true), "a refused file changes nothing");
    let good = ws.write_csv(
        "2026.csv",
        "日期,类型,名称\n2026-10-01,假日,国庆节\n2026-10-02,假日,国庆节\n2026-10-03,假日,国庆节\n2026-10-04,假日,国庆节\n2026-10-05,假日,国庆节\n2026-10-06,假日,国庆节\n2026-10-07,假日,国庆节\n2026-10-10,班,国庆节调休\n",
    );
    ws.dangan_zh(&["holidays", "import", good.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("已录入 2026 年的节假日安排，共 8 天"));
    assert_eq!(publicity(&ws), ("2026-10-13".into(), false));
}

#[test]
fn deadlines_go_to_an_icalendar_file_with_stable_uids() {
    let ws = workspace();
    let ics = ws.file("dangan.ics");
    ws.dangan(&["deadlines", "--as-of", "2026-11-24", "--ics", ics.to_str().unwrap()]).assert().success();
    let first = std::fs::read_to_string(&ics).unwrap().replace("\r\n ", "");
    assert!(first.starts_with("BEGIN:VCALENDAR\r\n"), "{first}");
    // Two talks; the activist's review, thought report, candidate eligibility and publicity.
    assert_eq!(first.matches("BEGIN:VEVENT").count(), 6, "{first}");
    assert!(first.contains("SUMMARY:未谈话：与入党申请人谈话"), "{first}");
    assert!(first.contains("DTSTART;VALUE=DATE:20261101"), "{first}");
    let uids = |text: &str| -> Vec<String> {
        let mut uids: Vec<String> = text.lines().filter(|l| l.starts_with("UID:")).map(str::to_owned).collect();
        uids.sort();
        uids
    };
    ws.dangan(&["deadlines", "--as-of", "2026-11-24", "--ics", ics.to_str().unwrap()]).assert().success();
    let second = std::fs::read_to_string(&ics).unwrap().replace("\r\n ", "");
    assert_eq!(uids(&first), uids(&second), "a second export keeps every UID");
}
