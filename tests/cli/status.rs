//! Membership status from the command line (`dangan status`): a transfer takes a person off the
//! working list (`members`), `--all` and `--status` show them, the file still reads, a refused
//! change names its field and changes nothing, and `undo` takes the last change back.

use dangan_tests::TestWorkspace;
use predicates::prelude::*;

fn office() -> TestWorkspace {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv(
        "roster.csv",
        "姓名,学号工号,所在党支部,递交入党申请书日期\n张三,2026001,第一党支部,2026-01-31\n李四,2026002,第一党支部,2026-02-01\n",
    );
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    ws
}

fn names(members: &[serde_json::Value]) -> Vec<&str> {
    members.iter().map(|m| m["name"].as_str().unwrap()).collect()
}

#[test]
fn a_transferred_person_leaves_the_list_and_comes_back_with_undo() {
    let ws = office();
    let everyone = ws.members_json(&[]);
    let zhang = everyone.iter().find(|m| m["name"] == "张三").unwrap()["id"].to_string();
    ws.dangan(&["status", "set", "--member", &zhang, "--status", "转出", "--date", "2026-06-30", "--reason", "毕业"])
        .assert()
        .success()
        .stdout(predicate::str::contains("张三"))
        .stdout(predicate::str::contains("transferred out"));

    assert_eq!(names(&ws.members_json(&[])), ["李四"]);
    let all = ws.members_json(&["--all"]);
    assert_eq!(names(&all), ["李四", "张三"]);
    assert_eq!(all.iter().find(|m| m["name"] == "张三").unwrap()["status"], "transferred_out");
    assert_eq!(names(&ws.members_json(&["--status", "transferred_out"])), ["张三"]);
    assert_eq!(names(&ws.members_json(&["--status", "archived"])), ["张三"]);
    ws.dangan_zh(&["members", "--all"]).assert().success().stdout(predicate::str::contains("入党申请人（转出）"));

    let out = ws.dangan(&["status", "show", "--member", &zhang, "--json"]).output().unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["status"], "transferred_out");
    assert_eq!(shown["history"][0]["date"], "2026-06-30");
    assert_eq!(shown["history"][0]["reason"], "毕业");
    // No deadline for someone out of the register.
    let out = ws.dangan(&["deadlines", "--json"]).output().unwrap();
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(items.iter().all(|i| i["name"] != "张三"), "{items:?}");

    ws.dangan(&["status", "undo", "--member", &zhang]).assert().success();
    assert_eq!(names(&ws.members_json(&[])), ["李四", "张三"]);
}

#[test]
fn a_refused_change_names_why_and_changes_nothing() {
    let ws = office();
    let zhang = ws.members_json(&[])[1]["id"].to_string();
    // An applicant cannot be expelled: their procedure ends with 终止 instead.
    ws.dangan(&["status", "set", "--member", &zhang, "--status", "expelled", "--date", "2026-06-30", "--reason", "x"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("applies to members only"));
    ws.dangan(&["status", "set", "--member", &zhang, "--status", "gone", "--date", "2026-06-30"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown membership status “gone”"));
    ws.dangan(&["status", "undo", "--member", &zhang])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no status change to take back"));
    ws.dangan(&["members", "--all", "--status", "deceased"]).assert().code(2);
    assert_eq!(ws.members_json(&[]).len(), 2);
}
