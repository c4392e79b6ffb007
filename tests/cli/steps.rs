//! One step at a time (`dangan step`), and late steps recorded and flagged with their article:
//! in the import report, in `step list`, in `members --json`.

use dangan_tests::TestWorkspace;
use predicates::prelude::*;

fn office() -> TestWorkspace {
    let ws = TestWorkspace::initialised();
    let roster =
        ws.write_csv("roster.csv", "姓名,学号工号,所在党支部,递交入党申请书日期\n张三,2026001,第一党支部,2026-01-31\n");
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    ws
}

fn member_id(ws: &TestWorkspace) -> String {
    ws.members_json(&[])[0]["id"].to_string()
}

#[test]
fn a_step_is_added_listed_and_removed_with_every_refusal_naming_its_article() {
    let ws = office();
    let id = member_id(&ws);
    // A talk three days after its month: recorded, and said to be late with its article.
    ws.dangan(&["step", "add", "--member", &id, "--kind", "与入党申请人谈话", "--date", "2026-03-03"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Recorded for 张三: “Talk with the applicant” on 2026-03-03"))
        .stdout(predicate::str::contains("came 3 day(s) after its due day 2026-02-28"))
        .stdout(predicate::str::contains("Art. 7"));
    // An approval extension without its reason, before any branch meeting: refused, citing.
    ws.dangan(&[
        "step",
        "add",
        "--member",
        &id,
        "--kind",
        "approval_extended",
        "--date",
        "2026-03-04",
        "--months",
        "3",
    ])
    .assert()
    .code(1)
    .stderr(predicate::str::contains("needs “Admitted by the branch meeting” to be recorded first"))
    .stderr(predicate::str::contains("Art. 25"))
    .stderr(predicate::str::contains("needs its reason"));
    ws.dangan(&["step", "add", "--member", &id, "--kind", "no_such_step", "--date", "2026-03-04"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown step “no_such_step”"));

    let out = ws.dangan(&["step", "list", "--member", &id, "--json"]).output().unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = listed["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["application_received", "applicant_talk"]);
    assert_eq!(listed["late"][0]["rule"], "application_talk");
    assert_eq!(listed["late"][0]["days_late"], 3);
    ws.dangan_zh(&["step", "list", "--member", &id])
        .assert()
        .success()
        .stdout(predicate::str::contains("与入党申请人谈话").and(predicate::str::contains("⚠ 逾期")));

    // Removing the application would leave the talk without it: refused.
    let application = listed["events"][0]["id"].to_string();
    ws.dangan(&["step", "remove", "--member", &id, "--id", &application])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Art. 7"));
    let talk = listed["events"][1]["id"].to_string();
    ws.dangan(&["step", "remove", "--member", &id, "--id", &talk])
        .assert()
        .success()
        .stdout(predicate::str::contains("Removed “Talk with the applicant” (2026-03-03) of 张三"));

    // Every change is in the audit log.
    let audit = ws.dangan(&["audit", "--member", &id, "--json"]).output().unwrap();
    let entries: Vec<serde_json::Value> = serde_json::from_slice(&audit.stdout).unwrap();
    let on_events: Vec<&str> =
        entries.iter().filter(|e| e["entity"] == "events").map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(on_events, ["delete", "insert"], "newest first: the talk added, then removed");
}

#[test]
fn late_steps_are_imported_and_flagged_in_the_report_and_in_members_json() {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv(
        "late.csv",
        "姓名,学号工号,所在党支部,递交入党申请书日期,谈话日期\n张三,2026001,第一党支部,2026-01-31,2026-03-03\n李四,2026002,第一党支部,2026-01-31,2026-02-20\n",
    );
    ws.dangan_zh(&["import", roster.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("已导入 2 行"))
        .stdout(predicate::str::contains(
            "注意：第 2 行「张三」：「与入党申请人谈话」（2026年3月3日）晚于期限 2026年2月28日 3 天",
        ))
        .stdout(predicate::str::contains("第七条"));
    let out = ws.dangan(&["import", "--json", "--dry-run", roster.to_str().unwrap()]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["late"].as_array().unwrap().len(), 1);
    assert_eq!(report["late"][0]["row"], 2);
    assert_eq!(report["late"][0]["flag"]["days_late"], 3);

    let members = ws.members_json(&[]);
    let late = |name: &str| members.iter().find(|m| m["name"] == name).unwrap()["late"].as_array().unwrap().len();
    assert_eq!((late("张三"), late("李四")), (1, 0));
}
