//! `dangan members`: lists in pinyin order, filters, search by name, pinyin and student number.

use dangan_tests::TestWorkspace;

const ROSTER: &str = "\
姓名,性别,学号工号,所在支部,申请入党日期,谈话日期,确定积极分子日期
张三,男,2021001,计算机学院第一党支部,2024-09-10,2024-09-30,2025-03-01
李四,女,2021002,计算机学院第一党支部,2025-10-08,,
王五,男,2021003,数学学院党总支/本科生党支部,2024-03-01,2024-03-20,2024-09-01
张三丰,男,2021004,数学学院党总支/研究生党支部,2025-11-01,,
";

fn workspace() -> TestWorkspace {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv("roster.csv", ROSTER);
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    ws
}

fn names(members: &[serde_json::Value]) -> Vec<&str> {
    members.iter().map(|m| m["name"].as_str().unwrap()).collect()
}

#[test]
fn members_are_listed_in_pinyin_order_with_their_stage_and_branch() {
    let ws = workspace();
    let members = ws.members_json(&[]);
    assert_eq!(names(&members), ["李四", "王五", "张三", "张三丰"]);
    let wang = &members[1];
    assert_eq!(wang["stage"], "activist");
    assert_eq!(wang["branch"], "数学学院党总支/本科生党支部");
    assert!(wang["id"].as_i64().is_some());
    assert_eq!(members[0]["stage"], "applicant");
}

#[test]
fn search_finds_pinyin_initials_full_pinyin_names_and_student_numbers() {
    let ws = workspace();
    assert_eq!(names(&ws.members_json(&["--search", "zs"])), ["张三", "张三丰"]);
    assert_eq!(names(&ws.members_json(&["--search", "zsf"])), ["张三丰"]);
    assert_eq!(names(&ws.members_json(&["--search", "zhangsan"])), ["张三", "张三丰"]);
    assert_eq!(names(&ws.members_json(&["--search", "ZhangSanF"])), ["张三丰"]);
    assert_eq!(names(&ws.members_json(&["--search", "三"])), ["张三", "张三丰"]);
    assert_eq!(names(&ws.members_json(&["--search", "2021002"])), ["李四"]);
    assert!(ws.members_json(&["--search", "%"]).is_empty(), "wildcards are matched literally");
}

#[test]
fn members_filter_by_stage_and_by_branch_or_general_branch() {
    let ws = workspace();
    assert_eq!(names(&ws.members_json(&["--stage", "activist"])), ["王五", "张三"]);
    assert_eq!(names(&ws.members_json(&["--stage", "入党申请人"])), ["李四", "张三丰"]);
    assert_eq!(names(&ws.members_json(&["--branch", "数学学院党总支"])), ["王五", "张三丰"]);
    assert_eq!(names(&ws.members_json(&["--branch", "研究生党支部", "--search", "zs"])), ["张三丰"]);
    ws.dangan(&["members", "--stage", "member"]).assert().code(1).stderr(predicates::str::contains("unknown stage"));
    ws.dangan(&["members", "--branch", "不存在的支部"]).assert().code(1).stderr(predicates::str::contains("not found"));
}

#[test]
fn the_table_is_in_the_users_language() {
    let ws = workspace();
    ws.dangan_zh(&["members"])
        .assert()
        .success()
        .stdout(predicates::str::contains("入党积极分子").and(predicates::str::contains("共 4 人")));
    ws.dangan(&["members"])
        .assert()
        .success()
        .stdout(predicates::str::contains("Activist").and(predicates::str::contains("4 people")));
}

#[test]
fn demo_fills_a_new_workspace_with_people_at_every_stage() {
    let ws = TestWorkspace::new();
    ws.dangan(&["demo", "--people", "250"]).assert().success();
    let members = ws.members_json(&[]);
    assert_eq!(members.len(), 250);
    for stage in ["applicant", "activist", "candidate", "probationary", "full_member"] {
        assert_eq!(members.iter().filter(|m| m["stage"] == stage).count(), 50, "{stage}");
    }
    ws.dangan(&["demo"]).assert().code(1).stderr(predicates::str::contains("already holds people"));
}

use predicates::prelude::PredicateBooleanExt;
