//! `dangan backup`, `dangan restore` and `dangan verify`: the office's records, safe on a USB stick.

use std::path::Path;

use dangan_tests::{PASSPHRASE, TestWorkspace, dangan_binary};
use predicates::prelude::*;

/// `dangan` on another workspace folder than the test workspace's own.
fn dangan_at(dir: &Path, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(dangan_binary());
    cmd.arg("--workspace").arg(dir).args(args).env("DANGAN_PASSPHRASE", PASSPHRASE).env("LANG", "en_US.UTF-8");
    cmd
}

fn workspace() -> TestWorkspace {
    let ws = TestWorkspace::initialised();
    let roster =
        ws.write_csv("roster.csv", "姓名,学号工号,所在支部,申请入党日期\n张三,2026001,第一党支部,2026-03-01\n");
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    ws
}

#[test]
fn a_backup_restores_into_a_new_folder_and_verifies() {
    let ws = workspace();
    ws.dangan(&["verify"]).assert().success().stdout(predicate::str::contains("The workspace is sound"));
    let backup = ws.file("备份.dangan-backup");
    ws.dangan_zh(&["backup", backup.to_str().unwrap()]).assert().success().stdout(predicate::str::contains("已备份到"));
    let content = std::fs::read(&backup).unwrap();
    assert!(!content.windows("张三".len()).any(|w| w == "张三".as_bytes()), "the backup holds no name in the clear");

    let elsewhere = ws.file("restored");
    dangan_at(&elsewhere, &["restore", backup.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("1 people"));
    dangan_at(&elsewhere, &["members", "--json"]).assert().success().stdout(predicate::str::contains("张三"));
    // A workspace is never overwritten by a restore.
    ws.dangan(&["restore", backup.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists"));
}

#[test]
fn a_truncated_backup_is_refused_and_restores_nothing() {
    let ws = workspace();
    let backup = ws.file("b.dangan-backup");
    ws.dangan(&["backup", backup.to_str().unwrap()]).assert().success();
    let bytes = std::fs::read(&backup).unwrap();
    std::fs::write(&backup, &bytes[..bytes.len() / 2]).unwrap();
    let elsewhere = ws.file("restored");
    dangan_at(&elsewhere, &["restore", backup.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("the backup is incomplete"));
    assert!(!elsewhere.join("dangan.db").exists() && !elsewhere.join("dangan.key").exists());
}
