//! Durability: an import killed (SIGKILL) at random moments leaves a workspace that opens,
//! verifies, and holds the whole roster or none of it.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use dangan_tests::{PASSPHRASE, TestWorkspace, Tmpfs, cannot_run, dangan_binary};
use predicates::prelude::*;

const ROWS: usize = 2000;
const TRIALS: u64 = 6;

/// The moments an import passes, as it reports them on standard error (DANGAN_TRACE_PHASES).
struct Traced {
    child: std::process::Child,
    phases: std::sync::mpsc::Receiver<(String, Instant)>,
}

fn traced_import(ws: &TestWorkspace, roster: &std::path::Path) -> Traced {
    use std::io::BufRead;
    let mut child = std::process::Command::new(dangan_binary())
        .args(["--workspace"])
        .arg(ws.dir())
        .args(["import", roster.to_str().unwrap()])
        .env("DANGAN_PASSPHRASE", PASSPHRASE)
        .env("DANGAN_TRACE_PHASES", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, phases) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(phase) = line.strip_prefix("phase: ") {
                tx.send((phase.to_owned(), Instant::now())).ok();
            }
        }
    });
    Traced { child, phases }
}

impl Traced {
    fn wait_for(&self, phase: &str) -> Instant {
        loop {
            let (seen, at) =
                self.phases.recv_timeout(std::time::Duration::from_secs(60)).expect("the import reports its phases");
            if seen == phase {
                return at;
            }
        }
    }
}

/// A kill -9 during the import's transaction, and above all at its commit, leaves a workspace that
/// opens, verifies, and holds the whole roster or none of it. The moments are drawn from a seed the
/// test prints; `DANGAN_KILL_SEED=N` replays a run.
#[test]
fn an_import_killed_at_any_moment_is_all_there_or_not_at_all() {
    let probe = TestWorkspace::initialised();
    let roster = probe.file("big.csv");
    probe.dangan(&["bench-roster", "--rows", &ROWS.to_string(), "--out", roster.to_str().unwrap()]).assert().success();

    // Where the time goes here: from the transaction's start to the commit, and the commit itself.
    let mut run = traced_import(&probe, &roster);
    let began = run.wait_for("transaction");
    let committing = run.wait_for("committing");
    assert!(run.child.wait().unwrap().success());
    let (rows_take, commit_takes) = (committing - began, committing.elapsed());

    let seed = std::env::var("DANGAN_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| SystemTime::now().duration_since(UNIX_EPOCH).map_or(7, |d| d.as_nanos() as u64));
    println!(
        "seed {seed} (DANGAN_KILL_SEED={seed} replays it); rows take {rows_take:?}, the commit about {commit_takes:?}"
    );
    let mut state = seed | 1;
    let mut next = || {
        // xorshift
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 1000) as f64 / 1000.0
    };
    for trial in 0..TRIALS {
        // A fresh workspace each time: a roster committed by an earlier trial would only be
        // updated by the next, which could not tell half from whole.
        let ws = TestWorkspace::initialised();
        let mut run = traced_import(&ws, &roster);
        // Half the kills land among the rows, half in the commit (and just past it).
        let (phase, window) =
            if trial % 2 == 0 { ("transaction", rows_take) } else { ("committing", commit_takes.mul_f64(1.2)) };
        let from = run.wait_for(phase);
        let at = window.mul_f64(next());
        std::thread::sleep((from + at).saturating_duration_since(Instant::now()));
        run.child.kill().ok(); // SIGKILL: no destructor, no rollback by the process itself
        let status = run.child.wait().unwrap();
        println!("trial {trial}: killed {at:?} after `{phase}` ({status})");

        let count = ws.members_json(&[]).len();
        assert!(
            count == 0 || count == ROWS,
            "trial {trial} (seed {seed}): {count} people, neither none nor all {ROWS}"
        );
        ws.dangan(&["verify"]).assert().success();
        // And the roster still goes in whole afterwards.
        if count == 0 {
            ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
            assert_eq!(ws.members_json(&[]).len(), ROWS);
        }
    }
}

/// `dangan --workspace DIR ARGS…` in English with the test passphrase, for a workspace on a mount
/// of the test's own (outside `TestWorkspace`'s temporary folder).
fn dangan_at(workspace: &std::path::Path, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(dangan_binary());
    cmd.arg("--workspace").arg(workspace).args(args).env("DANGAN_PASSPHRASE", PASSPHRASE).env("LANG", "en_US.UTF-8");
    cmd
}

#[test]
fn a_full_disk_refuses_the_change_clearly_and_loses_nothing_earlier() {
    let root = tempfile::tempdir().unwrap();
    let Some(disk) = Tmpfs::mount(&root.path().join("disk"), "4m") else {
        // cargo xtask test runs as root in CI, where this runs; elsewhere it cannot mount.
        return cannot_run("mounting a small tmpfs needs root");
    };
    let workspace = disk.0.join("ws");
    let dangan = |args: &[&str]| dangan_at(&workspace, args);
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
    let dangan = |args: &[&str]| dangan_at(&workspace, args);
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
