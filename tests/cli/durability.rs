//! Durability: an import killed (SIGKILL) at random moments leaves a workspace that opens,
//! verifies, and holds the whole roster or none of it.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use dangan_tests::{PASSPHRASE, TestWorkspace, Tmpfs, cannot_run, dangan_binary};
use predicates::prelude::*;

const ROWS: usize = 2000;
const TRIALS: u64 = 6;

#[test]
fn an_import_killed_at_any_moment_is_all_there_or_not_at_all() {
    let ws = TestWorkspace::initialised();
    let roster = ws.file("big.csv");
    ws.dangan(&["bench-roster", "--rows", &ROWS.to_string(), "--out", roster.to_str().unwrap()]).assert().success();

    // How long a whole import takes here, so the kills land before, during and after its commit.
    let started = Instant::now();
    let probe = TestWorkspace::initialised();
    probe.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let whole = started.elapsed();

    let seed = SystemTime::now().duration_since(UNIX_EPOCH).map_or(7, |d| d.as_nanos() as u64);
    println!("seed {seed}; a whole import takes {whole:?}");
    let mut state = seed | 1;
    for trial in 0..TRIALS {
        // xorshift: a spread of moments from the start to just past the end of the import.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let at = whole.mul_f64((state % 1000) as f64 / 900.0);
        let mut child = std::process::Command::new(dangan_binary())
            .args(["--workspace"])
            .arg(ws.dir())
            .args(["import", roster.to_str().unwrap()])
            .env("DANGAN_PASSPHRASE", PASSPHRASE)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(at);
        child.kill().ok(); // SIGKILL: no destructor, no rollback by the process itself
        let status = child.wait().unwrap();
        println!("trial {trial}: killed after {at:?} ({status})");

        let count = ws.members_json(&[]).len();
        assert!(count == 0 || count == ROWS, "trial {trial}: {count} people, neither none nor all {ROWS}");
        ws.dangan(&["verify"]).assert().success();
    }
    // And the roster still goes in whole afterwards.
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    assert_eq!(ws.members_json(&[]).len(), ROWS);
}

#[test]
fn a_full_disk_refuses_the_change_clearly_and_loses_nothing_earlier() {
    let root = tempfile::tempdir().unwrap();
    let Some(disk) = Tmpfs::mount(&root.path().join("disk"), "4m") else {
        // cargo xtask test runs as root in CI, where this runs; elsewhere it cannot mount.
        return cannot_run("mounting a small tmpfs needs root");
    };
    let workspace = disk.0.join("ws");
    let dangan = |args: &[&str]| {
        let mut cmd = assert_cmd::Command::new(dangan_binary());
        cmd.arg("--workspace")
            .arg(&workspace)
            .args(args)
            .env("DANGAN_PASSPHRASE", PASSPHRASE)
            .env("LANG", "en_US.UTF-8");
        cmd
    };
    dangan(&["init"]).assert().success();
    let small = root.path().join("small.csv");
    std::fs::write(&small, "姓名,学号工号,所在支部,申请入党日期\n张三,2026001,第一党支部,2026-03-01\n").unwrap();
    dangan(&["import", small.to_str().unwrap()]).assert().success();

    // Fill the disk but for a sliver, then import a roster that needs far more than that.
    let big = root.path().join("big.csv");
    dangan(&["bench-roster", "--rows", "3000", "--out", big.to_str().unwrap()]).assert().success();
    let filler = disk.0.join("filler");
    let free = || {
        let out = std::process::Command::new("df").args(["--output=avail", "-B1"]).arg(&disk.0).output().unwrap();
        String::from_utf8_lossy(&out.stdout).lines().nth(1).and_then(|l| l.trim().parse::<u64>().ok()).unwrap()
    };
    std::fs::write(&filler, vec![0u8; free().saturating_sub(64 * 1024) as usize]).unwrap();
    dangan(&["import", big.to_str().unwrap()]).assert().failure().stderr(
        predicates::str::contains("the disk is full").and(predicates::str::contains("nothing earlier was lost")),
    );

    std::fs::remove_file(&filler).unwrap();
    let out = dangan(&["members", "--json"]).output().unwrap();
    let members: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(members.len(), 1, "the earlier import is all there, the refused one not at all");
    dangan(&["verify"]).assert().success();
}

/// A workspace on read-only media (a CD, a locked USB stick): reading works — the list, verify,
/// a dossier written elsewhere — and a change is refused plainly, once, changing nothing.
#[test]
fn a_workspace_on_read_only_media_reads_and_refuses_changes_plainly() {
    let root = tempfile::tempdir().unwrap();
    let Some(disk) = Tmpfs::mount(&root.path().join("media"), "64m") else {
        return cannot_run("mounting a tmpfs needs root");
    };
    let workspace = disk.0.join("ws");
    let dangan = |args: &[&str]| {
        let mut cmd = assert_cmd::Command::new(dangan_binary());
        cmd.arg("--workspace")
            .arg(&workspace)
            .args(args)
            .env("DANGAN_PASSPHRASE", PASSPHRASE)
            .env("LANG", "en_US.UTF-8");
        cmd
    };
    dangan(&["init"]).assert().success();
    let roster = root.path().join("roster.csv");
    std::fs::write(&roster, "姓名,学号工号,所在党支部,递交入党申请书日期\n张三,2026001,第一党支部,2026-10-01\n")
        .unwrap();
    dangan(&["import", roster.to_str().unwrap()]).assert().success();
    disk.make_read_only();

    dangan(&["members"]).assert().success().stdout(predicate::str::contains("张三"));
    dangan(&["verify"]).assert().success();
    let pdf = root.path().join("张三.pdf");
    dangan(&["dossier", "--member", "1", "--out", pdf.to_str().unwrap()]).assert().success();
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));

    let more = root.path().join("more.csv");
    std::fs::write(&more, "姓名,学号工号,所在党支部,递交入党申请书日期\n李四,2026002,第一党支部,2026-10-02\n").unwrap();
    let out = dangan(&["import", more.to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("the workspace is read-only"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one message, no per-row noise: {stderr}");
}
