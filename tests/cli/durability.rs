//! Durability: an import killed (SIGKILL) at random moments leaves a workspace that opens,
//! verifies, and holds the whole roster or none of it.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use dangan_tests::{PASSPHRASE, TestWorkspace, dangan_binary};

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
