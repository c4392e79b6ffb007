//! `dangan record`, `dangan records` and `dangan attachment`: a member's file from a terminal.

use dangan_tests::TestWorkspace;
use predicates::prelude::*;

const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00];

fn workspace_with_member() -> (TestWorkspace, String) {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv(
        "roster.csv",
        "姓名,学号工号,所在支部,申请入党日期,谈话日期\n张三,2026001,第一党支部,2026-03-01,2026-03-20\n",
    );
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let id = ws.members_json(&[])[0]["id"].as_i64().unwrap().to_string();
    (ws, id)
}

#[test]
fn a_record_with_a_scan_goes_into_the_file_and_the_checklist_follows() {
    let (ws, id) = workspace_with_member();
    let scan = ws.file("谈话记录.jpg");
    std::fs::write(&scan, JPEG).unwrap();
    ws.dangan_zh(&[
        "record",
        "--member",
        &id,
        "--kind",
        "谈话记录",
        "--date",
        "2026-03-20",
        "--step",
        "applicant_talk",
        "--who",
        "李书记",
        "--text",
        "端正入党动机。",
        "--attach",
        scan.to_str().unwrap(),
    ])
    .assert()
    .success()
    .stdout(predicate::str::contains("已添加材料").and(predicate::str::contains("附件 1 个")));

    let out = ws.dangan(&["records", "--member", &id, "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let file: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let record = &file["records"][0];
    assert_eq!(record["kind"], "talk_record");
    assert_eq!(record["fields"]["who"], "李书记");
    assert_eq!(record["attachments"][0]["media_type"], "image/jpeg");
    let missing: Vec<&str> = file["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["expected"] == true && l["records"].as_array().unwrap().is_empty())
        .map(|l| l["material"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["application_letter"], "the talk record is on file, the letter is not");

    let attachment = record["attachments"][0]["id"].as_i64().unwrap().to_string();
    let out = ws.file("out.jpg");
    ws.dangan(&["attachment", &attachment, "--out", out.to_str().unwrap()]).assert().success();
    assert_eq!(std::fs::read(&out).unwrap(), JPEG, "the scan comes back byte for byte");
    ws.dangan_zh(&["records", "--member", &id])
        .assert()
        .success()
        .stdout(predicate::str::contains("共 1 份材料，缺 1 项"));
}

#[test]
fn a_renamed_file_or_a_missing_field_is_refused_naming_it_and_nothing_is_added() {
    let (ws, id) = workspace_with_member();
    let fake = ws.file("申请书.pdf");
    std::fs::write(&fake, JPEG).unwrap();
    ws.dangan(&[
        "record",
        "--member",
        &id,
        "--kind",
        "application_letter",
        "--date",
        "2026-03-01",
        "--attach",
        fake.to_str().unwrap(),
    ])
    .assert()
    .code(1)
    .stderr(predicate::str::contains("“申请书.pdf” is named as a PDF file but holds a JPEG image"));
    ws.dangan(&["record", "--member", &id, "--kind", "appraisal", "--date", "2026-07-01"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("needs its grade"));
    ws.dangan(&["record", "--member", &id, "--kind", "oath", "--date", "2026-07-01", "--step", "oath"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("has no “Oath” recorded"));
    let out = ws.dangan(&["records", "--member", &id, "--json"]).output().unwrap();
    let file: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(file["records"].as_array().unwrap().is_empty(), "nothing was added");
}
