//! `dangan dossier`: a member's file printed as a PDF, one to a file or many to a folder.

use dangan_tests::{TestWorkspace, pdftotext};
use predicates::prelude::*;

fn workspace() -> (TestWorkspace, String) {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv(
        "roster.csv",
        "姓名,学号工号,所在支部,申请入党日期,谈话日期\n张三,2026001,第一党支部,2026-03-01,2026-03-20\n李四,2026002,第二党支部,2026-04-01,\n",
    );
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let zhang = ws.members_json(&["--search", "zs"])[0]["id"].as_i64().unwrap().to_string();
    ws.dangan(&[
        "record",
        "--member",
        &zhang,
        "--kind",
        "application_letter",
        "--date",
        "2026-03-01",
        "--text",
        "敬爱的党组织：我志愿加入中国共产党。",
    ])
    .assert()
    .success();
    (ws, zhang)
}

#[test]
fn one_member_prints_to_a_pdf_whose_text_reads_back() {
    let (ws, zhang) = workspace();
    let pdf = ws.file("张三.pdf");
    ws.dangan_zh(&["dossier", "--member", &zhang, "--out", pdf.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("已生成 张三 的档案").and(predicate::str::contains("页")));
    let text = pdftotext(&pdf, false);
    for expected in [
        "发展党员档案",
        "张三",
        "2026001",
        "材料目录",
        "入党申请书",
        "敬爱的党组织：我志愿加入中国共产党。",
        "2026年3月1日",
    ] {
        assert!(text.contains(expected), "{expected} is not in the dossier:\n{text}");
    }
}

#[test]
fn many_members_print_into_a_folder_and_a_missing_selector_is_a_clear_error() {
    let (ws, _) = workspace();
    let dir = ws.file("档案");
    ws.dangan(&["dossier", "--all", "--out", dir.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("Wrote 2 dossiers"));
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["张三-2026001.pdf", "李四-2026002.pdf"]);
    let one_branch = ws.file("第二党支部");
    ws.dangan(&["dossier", "--branch", "第二党支部", "--out", one_branch.to_str().unwrap()]).assert().success();
    assert_eq!(std::fs::read_dir(&one_branch).unwrap().count(), 1);
    ws.dangan(&["dossier", "--out", dir.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--member ID").and(predicate::str::contains("--all")));
}
