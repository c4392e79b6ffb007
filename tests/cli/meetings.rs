//! `dangan meetings`: the meeting register of a branch, each meeting with its attendance, and what
//! it refuses (a person outside the unit, a held meeting in the future, a day's study exceeded).

use dangan_tests::{TestWorkspace, pdftotext};
use predicates::prelude::*;
use serde_json::Value;

const ROSTER: &str = "\
姓名,学号工号,所在支部,申请入党日期,确定积极分子日期,确定发展对象日期,接收预备党员日期,审批日期
张三,2021001,第一党支部,2020-09-01,2021-03-01,2022-03-05,2023-06-01,2023-06-20
李四,2021002,第一党支部,2020-09-01,2021-03-01,2022-03-05,2023-06-01,2023-06-20
王五,2021003,第一党支部,2026-03-01,,,,
赵六,2021004,第二党支部,2020-09-01,2021-03-01,2022-03-05,2023-06-01,2023-06-20
";

fn workspace() -> TestWorkspace {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv("roster.csv", ROSTER);
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    ws
}

fn meetings(ws: &TestWorkspace, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["meetings", "list", "--json"];
    all.extend_from_slice(args);
    let out = ws.dangan(&all).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice::<Vec<Value>>(&out.stdout).unwrap()
}

#[test]
fn a_meeting_is_recorded_with_who_was_present_absent_and_on_leave() {
    let ws = workspace();
    ws.dangan(&[
        "meetings",
        "add",
        "--unit",
        "第一党支部",
        "--kind",
        "committee_meeting",
        "--date",
        "2026-11-10",
        "--topic",
        "学习党章",
        "--present",
        "张三,李四",
        "--absent",
        "王五",
        "--hours",
        "1.5",
    ])
    .assert()
    .success();
    // The Chinese name of the kind works as well as its id.
    ws.dangan(&[
        "meetings",
        "add",
        "--unit",
        "第一党支部",
        "--kind",
        "主题党日",
        "--date",
        "2026-11-15",
        "--leave",
        "张三",
    ])
    .assert()
    .success();
    let list = meetings(&ws, &["--unit", "第一党支部"]);
    assert_eq!(list.len(), 2);
    let first = &list[0];
    assert_eq!(first["meeting"]["kind"], "committee_meeting");
    assert_eq!(first["meeting"]["date"], "2026-11-10");
    assert_eq!(first["meeting"]["study_minutes"], 90);
    assert_eq!(first["meeting"]["held"], true);
    assert_eq!(first["unit"], "第一党支部");
    let attendance: Vec<(String, String)> = first["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap().to_owned(), a["attendance"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(attendance.len(), 3);
    assert!(attendance.contains(&("王五".into(), "absent".into())), "{attendance:?}");
    assert!(attendance.contains(&("张三".into(), "present".into())), "{attendance:?}");
    assert_eq!(list[1]["attendees"][0]["attendance"], "leave");
    // Filters: the kind, the year, another unit.
    assert_eq!(meetings(&ws, &["--kind", "theme_day"]).len(), 1);
    assert_eq!(meetings(&ws, &["--year", "2025"]).len(), 0);
    assert_eq!(meetings(&ws, &["--unit", "第二党支部"]).len(), 0);
    let text = ws.dangan_zh(&["meetings", "list"]).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("支委会") && text.contains("学习党章") && text.contains("2/3"), "{text}");
}

#[test]
fn a_person_outside_the_unit_is_refused_by_name_and_nothing_is_recorded() {
    let ws = workspace();
    ws.dangan_zh(&[
        "meetings",
        "add",
        "--unit",
        "第一党支部",
        "--kind",
        "party_lecture",
        "--date",
        "2026-11-10",
        "--present",
        "张三,赵六",
    ])
    .assert()
    .failure()
    .stderr(predicate::str::contains("赵六").and(predicate::str::contains("第一党支部")));
    assert!(meetings(&ws, &[]).is_empty(), "nothing was recorded");
}

#[test]
fn a_held_meeting_in_the_future_is_refused_and_a_planned_one_is_kept() {
    let ws = workspace();
    let future = (chrono::Local::now().date_naive() + chrono::Days::new(10)).to_string();
    ws.dangan(&["meetings", "add", "--unit", "第一党支部", "--kind", "general_meeting", "--date", &future])
        .assert()
        .failure()
        .stderr(predicate::str::contains("future").and(predicate::str::contains(future.as_str())));
    ws.dangan(&[
        "meetings",
        "add",
        "--unit",
        "第一党支部",
        "--kind",
        "general_meeting",
        "--date",
        &future,
        "--planned",
    ])
    .assert()
    .success();
    let list = meetings(&ws, &[]);
    assert_eq!((list.len(), &list[0]["meeting"]["held"]), (1, &Value::Bool(false)));
}

#[test]
fn bad_kinds_and_hours_are_named() {
    let ws = workspace();
    ws.dangan(&["meetings", "add", "--unit", "第一党支部", "--kind", "tea_party", "--date", "2026-11-10"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("tea_party").and(predicate::str::contains("committee_meeting")));
    for hours in ["25", "-1", "abc"] {
        let hours = format!("--hours={hours}");
        ws.dangan(&[
            "meetings",
            "add",
            "--unit",
            "第一党支部",
            "--kind",
            "party_lecture",
            "--date",
            "2026-11-10",
            &hours,
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains("hours"));
    }
    ws.dangan(&["meetings", "add", "--unit", "第九党支部", "--kind", "party_lecture", "--date", "2026-11-10"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("第九党支部"));
    assert!(meetings(&ws, &[]).is_empty());
}

#[test]
fn a_committee_post_has_one_holder_at_a_time() {
    let ws = workspace();
    ws.dangan(&[
        "committee",
        "add",
        "--unit",
        "第一党支部",
        "--post",
        "书记",
        "--name",
        "张三",
        "--since",
        "2024-01-01",
    ])
    .assert()
    .success();
    // 李四 as secretary while 张三 still is: refused, naming 张三.
    ws.dangan(&[
        "committee",
        "add",
        "--unit",
        "第一党支部",
        "--post",
        "secretary",
        "--name",
        "李四",
        "--since",
        "2026-01-01",
    ])
    .assert()
    .failure()
    .stderr(predicate::str::contains("张三"));
    // Ended first, the post passes on; an end before the start and someone of another branch are refused.
    ws.dangan(&[
        "committee",
        "add",
        "--unit",
        "第一党支部",
        "--post",
        "组织委员",
        "--name",
        "李四",
        "--since",
        "2026-01-01",
        "--until",
        "2025-01-01",
    ])
    .assert()
    .failure();
    ws.dangan(&[
        "committee",
        "add",
        "--unit",
        "第一党支部",
        "--post",
        "组织委员",
        "--name",
        "赵六",
        "--since",
        "2026-01-01",
    ])
    .assert()
    .failure()
    .stderr(predicate::str::contains("赵六"));
    ws.dangan(&[
        "committee",
        "add",
        "--unit",
        "第一党支部",
        "--post",
        "组织委员",
        "--name",
        "李四",
        "--since",
        "2026-01-01",
    ])
    .assert()
    .success();
    let out = ws.dangan(&["committee", "list", "--json"]).output().unwrap();
    let posts: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let held: Vec<(String, String)> = posts
        .iter()
        .map(|p| (p["name"].as_str().unwrap().to_owned(), p["post"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(held.len(), 2, "{held:?}");
    assert!(
        held.contains(&("张三".into(), "secretary".into())) && held.contains(&("李四".into(), "organisation".into()))
    );
}

#[test]
fn study_hours_add_up_attended_meetings_and_ask_56_of_committee_members() {
    let ws = workspace();
    for (date, present, absent, hours) in [
        ("2026-03-10", "张三,李四", "", "4"),
        ("2026-06-10", "张三", "李四", "30"),
        ("2025-06-10", "张三,李四", "", "10"),
    ] {
        let mut args = vec![
            "meetings",
            "add",
            "--unit",
            "第一党支部",
            "--kind",
            "party_lecture",
            "--date",
            date,
            "--present",
            present,
        ];
        if !absent.is_empty() {
            args.extend(["--absent", absent]);
        }
        // Over 24 hours is refused; 30 becomes two sessions of 15.
        if hours == "30" {
            args.extend(["--hours", "15"]);
            ws.dangan(&args).assert().success();
            args[7] = "2026-06-11";
            ws.dangan(&args).assert().success();
            continue;
        }
        args.extend(["--hours", hours]);
        ws.dangan(&args).assert().success();
    }
    ws.dangan(&[
        "committee",
        "add",
        "--unit",
        "第一党支部",
        "--post",
        "书记",
        "--name",
        "张三",
        "--since",
        "2026-01-01",
    ])
    .assert()
    .success();
    let out = ws.dangan(&["training", "hours", "--year", "2026", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let of =
        |name: &str| rows.iter().find(|r| r["name"] == name).unwrap_or_else(|| panic!("{name} in {rows:?}")).clone();
    // 张三: 4 + 15 + 15 = 34 hours, a secretary asked for 56; 李四: 4 (absent in June), asked for 32.
    assert_eq!((of("张三")["hours"].as_f64(), of("张三")["required"].as_u64()), (Some(34.0), Some(56)));
    assert_eq!((of("李四")["hours"].as_f64(), of("李四")["required"].as_u64()), (Some(4.0), Some(32)));
    assert!(of("张三")["member_id"].as_i64().is_some());
    // 王五 is an applicant, not a member: no study owed. 赵六, of another branch, has none.
    assert!(rows.iter().all(|r| r["name"] != "王五"));
    assert_eq!(of("赵六")["hours"].as_f64(), Some(0.0));
    let out = ws
        .dangan(&["training", "hours", "--year", "2026", "--below", "--json", "--unit", "第一党支部"])
        .output()
        .unwrap();
    let short: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(short.len(), 2, "both are short: {short:?}");
}

#[test]
fn a_planned_meeting_prints_its_sign_in_sheet_and_a_held_one_its_minutes() {
    let ws = workspace();
    let future = (chrono::Local::now().date_naive() + chrono::Days::new(7)).to_string();
    let planned = ws
        .dangan(&[
            "meetings",
            "add",
            "--unit",
            "第一党支部",
            "--kind",
            "general_meeting",
            "--date",
            &future,
            "--planned",
            "--topic",
            "讨论接收预备党员",
            "--json",
        ])
        .output()
        .unwrap();
    let planned: Value = serde_json::from_slice(&planned.stdout).unwrap();
    let id = planned["meeting"]["id"].as_i64().unwrap().to_string();
    let sheet = ws.file("签到表.pdf");
    ws.dangan(&["meetings", "print", "--id", &id, "--out", sheet.to_str().unwrap()]).assert().success();
    let text = pdftotext(&sheet, true);
    assert!(text.contains("第一党支部支部党员大会签到表") && text.contains("讨论接收预备党员"), "{text}");
    // The branch's members, not its applicant (王五) nor another branch's member (赵六).
    assert!(text.contains("张三") && text.contains("李四") && text.contains("应到 2 人"), "{text}");
    assert!(!text.contains("王五") && !text.contains("赵六"), "{text}");

    let held = ws
        .dangan(&[
            "meetings",
            "add",
            "--unit",
            "第一党支部",
            "--kind",
            "支委会",
            "--date",
            "2026-11-10",
            "--present",
            "张三",
            "--absent",
            "李四",
            "--json",
        ])
        .output()
        .unwrap();
    let held: Value = serde_json::from_slice(&held.stdout).unwrap();
    let id = held["meeting"]["id"].as_i64().unwrap().to_string();
    let minutes = ws.file("会议记录.pdf");
    ws.dangan(&["meetings", "print", "--id", &id, "--out", minutes.to_str().unwrap()]).assert().success();
    let text = pdftotext(&minutes, true);
    assert!(
        text.contains("支委会会议记录") && text.contains("应到 2 人，实到 1 人") && text.contains("缺席：李四"),
        "{text}"
    );
    // Inside the workspace: refused, nothing written.
    let inside = ws.dir().join("会议记录.pdf");
    ws.dangan(&["meetings", "print", "--id", &id, "--out", inside.to_str().unwrap()]).assert().failure();
    assert!(!inside.exists());
}

#[test]
fn a_branch_has_party_groups_each_member_in_at_most_one() {
    let ws = workspace();
    ws.dangan(&["groups", "add", "--unit", "第一党支部", "--name", "第一党小组", "--members", "张三,李四"])
        .assert()
        .success();
    // Joining a second group takes 李四 out of the first.
    ws.dangan(&["groups", "add", "--unit", "第一党支部", "--name", "第二党小组", "--members", "李四"])
        .assert()
        .success();
    ws.dangan(&["groups", "add", "--unit", "第一党支部", "--name", "第一党小组"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("第一党小组"));
    ws.dangan(&["groups", "add", "--unit", "第一党支部", "--name", "第三党小组", "--members", "赵六"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("赵六"));
    let out = ws.dangan(&["groups", "list", "--json"]).output().unwrap();
    let groups: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let members = |name: &str| -> Vec<String> {
        let g = groups.iter().find(|g| g["name"] == name).unwrap_or_else(|| panic!("{name} in {groups:?}"));
        g["members"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(members("第一党小组"), ["张三"]);
    assert_eq!(members("第二党小组"), ["李四"]);
    assert_eq!(groups.len(), 2, "the refused third group was not made: {groups:?}");
}

#[test]
fn attendance_imports_from_a_sheet_all_rows_or_none_every_bad_row_named() {
    let ws = workspace();
    let added = ws
        .dangan(&["meetings", "add", "--unit", "第一党支部", "--kind", "theme_day", "--date", "2026-11-10", "--json"])
        .output()
        .unwrap();
    let added: Value = serde_json::from_slice(&added.stdout).unwrap();
    let id = added["meeting"]["id"].as_i64().unwrap().to_string();
    // Row 3 names someone of another branch, row 4 an attendance no one writes: both are named at
    // once, in row order, and nothing is recorded.
    let bad = ws.write_csv("bad.csv", "姓名,出席情况,事由\n张三,出席,\n赵六,出席,\n李四,旷工,\n");
    let out = ws.dangan(&["meetings", "attendance", "--id", &id, "--import", bad.to_str().unwrap()]).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let (row3, row4) = (stderr.find("row 3").expect(&stderr), stderr.find("row 4").expect(&stderr));
    assert!(row3 < row4 && stderr.contains("赵六") && stderr.contains("旷工"), "{stderr}");
    let bad = ws.write_csv("bad2.csv", "姓名,出席情况\n张三,出席\n赵六,出席\n");
    ws.dangan(&["meetings", "attendance", "--id", &id, "--import", bad.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("row 3").and(predicate::str::contains("赵六")));
    assert!(meetings(&ws, &[])[0]["attendees"].as_array().unwrap().is_empty(), "nothing recorded");
    // A student number works as well as a name; a reason stays with the leave.
    let good = ws.write_csv("good.csv", "学号工号,出席情况,事由\n2021001,出席,\n2021002,请假,出差\n王五,迟到,\n");
    ws.dangan(&["meetings", "attendance", "--id", &id, "--import", good.to_str().unwrap()]).assert().success();
    let attendees = meetings(&ws, &[])[0]["attendees"].as_array().unwrap().clone();
    let of = |name: &str| attendees.iter().find(|a| a["name"] == name).unwrap().clone();
    assert_eq!(attendees.len(), 3);
    assert_eq!((of("李四")["attendance"].as_str(), of("李四")["reason"].as_str()), (Some("leave"), Some("出差")));
    assert_eq!(of("王五")["attendance"], "late");
}

#[test]
fn a_branchs_year_prints_as_its_work_register() {
    let ws = workspace();
    ws.dangan(&[
        "committee",
        "add",
        "--unit",
        "第一党支部",
        "--post",
        "书记",
        "--name",
        "张三",
        "--since",
        "2024-01-01",
    ])
    .assert()
    .success();
    ws.dangan(&[
        "meetings",
        "add",
        "--unit",
        "第一党支部",
        "--kind",
        "支委会",
        "--date",
        "2026-03-10",
        "--topic",
        "学习党章",
        "--present",
        "张三,李四",
        "--hours",
        "2",
    ])
    .assert()
    .success();
    ws.dangan(&[
        "meetings",
        "add",
        "--unit",
        "第一党支部",
        "--kind",
        "党课",
        "--date",
        "2025-03-10",
        "--topic",
        "去年的党课",
    ])
    .assert()
    .success();
    let pdf = ws.file("工作手册.pdf");
    ws.dangan(&["meetings", "register", "--unit", "第一党支部", "--year", "2026", "--out", pdf.to_str().unwrap()])
        .assert()
        .success();
    let text = pdftotext(&pdf, true);
    for expected in ["第一党支部2026年度组织生活记录", "支部委员会", "书记", "学习党章", "2/2", "党员学习学时", "56"]
    {
        assert!(text.contains(expected), "{expected} missing:\n{text}");
    }
    assert!(!text.contains("去年的党课"), "only the year's meetings:\n{text}");
}

/// `deadlines --json --owed-by unit` as `(rule, group, due, status)`, each checked to be a unit's
/// item: `unit_id` and `unit`, and no `member_id` (a public interface).
fn owed_meetings(ws: &TestWorkspace, args: &[&str]) -> Vec<(String, Option<String>, String, String)> {
    let mut all = vec!["deadlines", "--json", "--owed-by", "unit"];
    all.extend_from_slice(args);
    let out = ws.dangan(&all).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    json.iter()
        .map(|i| {
            assert!(i.get("member_id").is_none() && i.get("name").is_none(), "{i}");
            assert!(i["unit_id"].as_i64().is_some(), "{i}");
            assert_eq!(i["kind"], "recurring");
            let s = |k: &str| i[k].as_str().unwrap().to_owned();
            (s("rule"), i["group"].as_str().map(str::to_owned), s("due"), s("status"))
        })
        .collect()
}

fn owed(rule: &str, due: &str, status: &str) -> (String, Option<String>, String, String) {
    (rule.into(), None, due.into(), status.into())
}

#[test]
fn a_branch_owes_its_meetings_in_the_deadline_list_and_recording_one_moves_it_to_the_next_period() {
    let ws = workspace();
    ws.dangan(&["meetings", "track", "--unit", "第一党支部", "--from", "2026-09-01"]).assert().success();
    let as_of = ["--as-of", "2026-11-24", "--branch", "第一党支部"];
    let items = owed_meetings(&ws, &as_of);
    for rule in ["committee_meeting", "theme_day", "general_meeting", "party_lecture"] {
        assert!(items.contains(&owed(rule, "2026-09-30", "overdue")), "{rule}: {items:?}");
    }
    assert!(items.contains(&owed("life_meeting", "2026-12-31", "upcoming")), "{items:?}");
    // The unit's name and the article are on each item.
    let out = ws
        .dangan(&["deadlines", "--json", "--owed-by", "unit", "--as-of", "2026-11-24", "--branch", "第一党支部"])
        .output()
        .unwrap();
    let json: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let committee = json.iter().find(|i| i["rule"] == "committee_meeting").unwrap();
    assert_eq!(committee["unit"], "第一党支部");
    assert_eq!(committee["clause"], "《中国共产党支部工作条例（试行）》第十二条");

    ws.dangan(&[
        "meetings",
        "add",
        "--unit",
        "第一党支部",
        "--kind",
        "支委会",
        "--date",
        "2026-11-10",
        "--present",
        "张三",
    ])
    .assert()
    .success();
    let items = owed_meetings(&ws, &as_of);
    assert!(items.contains(&owed("committee_meeting", "2026-12-31", "upcoming")), "{items:?}");
    assert!(items.contains(&owed("theme_day", "2026-09-30", "overdue")), "only the kind held moves: {items:?}");

    // The members' own items are still listed beside the units', and `--owed-by member` leaves these out.
    let all = ws.dangan(&["deadlines", "--json", "--as-of", "2026-11-24"]).output().unwrap();
    let all: Vec<Value> = serde_json::from_slice(&all.stdout).unwrap();
    assert!(all.iter().any(|i| i.get("member_id").is_some()) && all.iter().any(|i| i.get("unit_id").is_some()));
    let members = ws.dangan(&["deadlines", "--json", "--owed-by", "member", "--as-of", "2026-11-24"]).output().unwrap();
    let members: Vec<Value> = serde_json::from_slice(&members.stdout).unwrap();
    assert!(members.iter().all(|i| i.get("member_id").is_some()), "{members:?}");
}

#[test]
fn a_branch_without_members_owes_no_meetings_and_each_party_group_owes_its_own() {
    let ws = workspace();
    let applicants =
        ws.write_csv("applicants.csv", "姓名,学号工号,所在支部,申请入党日期\n孙八,2021009,第三党支部,2026-03-01\n");
    ws.dangan(&["import", applicants.to_str().unwrap()]).assert().success();
    assert!(owed_meetings(&ws, &["--branch", "第三党支部"]).is_empty(), "only applicants: no organisational life owed");

    ws.dangan(&["groups", "add", "--unit", "第一党支部", "--name", "第一党小组", "--members", "张三"])
        .assert()
        .success();
    ws.dangan(&["groups", "add", "--unit", "第一党支部", "--name", "空党小组"]).assert().success();
    let groups: Vec<_> = owed_meetings(&ws, &["--branch", "第一党支部"])
        .into_iter()
        .filter(|(rule, ..)| rule == "group_meeting")
        .collect();
    assert_eq!(groups.len(), 1, "the group nobody is in owes nothing: {groups:?}");
    assert_eq!(groups[0].1.as_deref(), Some("第一党小组"));
    // A group owes from the day it was made: this month's meeting, due on its last day.
    let today = dangan_core::calendar::today();
    let first: dangan_core::calendar::Date = format!("{}-01", &today.to_string()[..7]).parse().unwrap();
    let month_end = dangan_core::calendar::add_months(first, 1).unwrap().pred_opt().unwrap();
    assert_eq!(groups[0].2, month_end.to_string());

    let date = today.to_string();
    ws.dangan(&[
        "meetings",
        "add",
        "--unit",
        "第一党支部",
        "--kind",
        "group_meeting",
        "--group",
        "第一党小组",
        "--date",
        &date,
    ])
    .assert()
    .success();
    let after: Vec<_> = owed_meetings(&ws, &["--branch", "第一党支部"])
        .into_iter()
        .filter(|(rule, ..)| rule == "group_meeting")
        .collect();
    let next_end = dangan_core::calendar::add_months(month_end.succ_opt().unwrap(), 1).unwrap().pred_opt().unwrap();
    assert_eq!(after[0].2, next_end.to_string(), "held this month: next month's is owed");
    ws.dangan(&[
        "meetings",
        "add",
        "--unit",
        "第一党支部",
        "--kind",
        "group_meeting",
        "--group",
        "无此小组",
        "--date",
        &date,
    ])
    .assert()
    .failure()
    .stderr(predicate::str::contains("无此小组"));
}

#[test]
fn the_years_plan_shows_each_period_held_missed_or_owed() {
    let ws = workspace();
    ws.dangan(&["meetings", "track", "--unit", "第一党支部", "--from", "2026-09-01"]).assert().success();
    ws.dangan(&["meetings", "add", "--unit", "第一党支部", "--kind", "theme_day", "--date", "2026-10-12"])
        .assert()
        .success();
    let out = ws
        .dangan(&["meetings", "plan", "--unit", "第一党支部", "--year", "2026", "--as-of", "2026-11-24", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["tracked_from"], "2026-09-01");
    let row = plan["rows"].as_array().unwrap().iter().find(|r| r["kind"] == "theme_day").unwrap();
    let states: Vec<&str> = row["periods"].as_array().unwrap().iter().map(|p| p["state"].as_str().unwrap()).collect();
    assert_eq!(
        states,
        [
            "untracked",
            "untracked",
            "untracked",
            "untracked",
            "untracked",
            "untracked",
            "untracked",
            "untracked",
            "missed",
            "held",
            "owed",
            "upcoming"
        ]
    );
    ws.dangan_zh(&["meetings", "plan", "--unit", "第一党支部", "--year", "2026", "--as-of", "2026-11-24"])
        .assert()
        .success()
        .stdout(predicate::str::contains("主题党日").and(predicate::str::contains("✗ ✓ ○ ·")));
    ws.dangan(&["meetings", "track", "--unit", "第一党支部", "--from", "1900-01-01"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("1900-01-01"));
}

#[test]
fn a_meeting_keeps_its_sign_in_scans_and_photos_and_refuses_what_is_not_one() {
    let ws = workspace();
    let added = ws
        .dangan(&["meetings", "add", "--unit", "第一党支部", "--kind", "theme_day", "--date", "2026-11-10", "--json"])
        .output()
        .unwrap();
    let added: Value = serde_json::from_slice(&added.stdout).unwrap();
    let id = added["meeting"]["id"].as_i64().unwrap().to_string();
    let scan = ws.file("签到表.jpg");
    let jpeg: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 1, 2, 3];
    std::fs::write(&scan, jpeg).unwrap();
    let fake = ws.file("照片.jpg");
    std::fs::write(&fake, "not a picture").unwrap();
    // A file that is not what its name says is refused, and the good one with it: nothing is added.
    ws.dangan(&["meetings", "attach", "--id", &id, scan.to_str().unwrap(), fake.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("照片.jpg"));
    assert!(meetings(&ws, &[])[0]["attachments"].as_array().unwrap().is_empty());
    ws.dangan(&["meetings", "attach", "--id", &id, scan.to_str().unwrap()]).assert().success();
    let files = meetings(&ws, &[])[0]["attachments"].as_array().unwrap().clone();
    assert_eq!(files.len(), 1);
    assert_eq!((files[0]["name"].as_str(), files[0]["media_type"].as_str()), (Some("签到表.jpg"), Some("image/jpeg")));
    let copy = ws.file("copy.jpg");
    let file_id = files[0]["id"].as_i64().unwrap().to_string();
    ws.dangan(&["meetings", "attachment", "--id", &file_id, "--out", copy.to_str().unwrap()]).assert().success();
    assert_eq!(std::fs::read(&copy).unwrap(), jpeg, "the same bytes come back");
    // Never into the workspace folder.
    let inside = ws.dir().join("x.jpg");
    ws.dangan(&["meetings", "attachment", "--id", &file_id, "--out", inside.to_str().unwrap()]).assert().failure();
    assert!(!inside.exists());
}

#[test]
fn a_register_kept_in_excel_imports_all_or_nothing_every_bad_row_named() {
    let ws = workspace();
    // Row 3's kind, row 4's person (of another branch), row 5's date in the future (held), row 6's
    // hours: all named at once, and nothing recorded.
    let bad = ws.write_csv(
        "register-bad.csv",
        "单位,会议类型,日期,主题,学时,出席,请假,缺席\n\
         第一党支部,支委会,2026-09-10,学习党章,1.5,张三、李四,,王五\n\
         第一党支部,茶话会,2026-09-11,,,,,\n\
         第一党支部,主题党日,2026-09-12,,,赵六,,\n\
         第一党支部,党课,2099-01-01,,,,,\n\
         第一党支部,党课,2026-09-20,,30,,,\n",
    );
    let out = ws.dangan_zh(&["meetings", "import", bad.to_str().unwrap()]).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (row, what) in [("第 3 行", "茶话会"), ("第 4 行", "赵六"), ("第 5 行", "2099"), ("第 6 行", "30")]
    {
        assert!(stderr.contains(row) && stderr.contains(what), "{row} {what}: {stderr}");
    }
    assert!(!stderr.contains("第 2 行"), "row 2 is good: {stderr}");
    assert!(meetings(&ws, &[]).is_empty(), "nothing was recorded");

    let good = ws.write_csv(
        "register.csv",
        "单位,会议类型,日期,主题,学时,出席,请假,缺席\n\
         第一党支部,支委会,2026-09-10,学习党章,1.5,张三、李四,,王五\n\
         第二党支部,主题党日,2026-09-12,重温入党誓词,,赵六,,\n",
    );
    ws.dangan(&["meetings", "import", good.to_str().unwrap()]).assert().success().stdout(predicate::str::contains("2"));
    let list = meetings(&ws, &[]);
    assert_eq!(list.len(), 2);
    let first = &list[0];
    assert_eq!(
        (first["meeting"]["kind"].as_str(), first["meeting"]["study_minutes"].as_u64()),
        (Some("committee_meeting"), Some(90))
    );
    let how: Vec<(String, String)> = first["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap().to_owned(), a["attendance"].as_str().unwrap().to_owned()))
        .collect();
    assert!(
        how.contains(&("王五".into(), "absent".into())) && how.contains(&("张三".into(), "present".into())),
        "{how:?}"
    );
}
