//! `cargo xtask bench`: dangan-core's benchmarks, then the numbers a branch secretary would feel:
//! how long importing a 100,000-row roster takes and how much memory it needs at its peak.
//!
//! The import runs as a separate release-built `dangan` process, so its peak resident set size is
//! the import's alone, measured by GNU time rather than estimated from inside.
//!
//! Last, the desktop app's speed on a 100,000-person workspace (tests/desktop/perf.rs): the release
//! app driven through tauri-driver under a virtual display, as the end-to-end test runs it.

use std::{
    env, fs,
    path::{Path, PathBuf},
    process::Command,
    time::Instant,
};

use crate::{
    Result,
    cmd::{cargo, cargo_program, cmd, heading, locked, run_command, stdout_of},
    debian::{BUILD_PACKAGES, DESKTOP_PACKAGES, E2E_PACKAGES, ensure_debian_packages},
    desktop, paths, ui,
};

const ROWS: &str = "100000";

/// The one roster workload, in each file format an office actually receives.
struct Workload {
    name: &'static str,
    extension: &'static str,
    /// What we aim for on the reference machine (2 cores). Reported beside the measurement, not
    /// enforced: timings on a shared CI machine vary too much to fail a build on.
    target_seconds: f64,
    target_peak_mb: f64,
}

const WORKLOADS: &[Workload] = &[
    // The targets of the foundation issue: validated, encrypted, on a 2-core machine.
    Workload { name: "import 100,000-row CSV", extension: "csv", target_seconds: 3.0, target_peak_mb: 300.0 },
    Workload { name: "import 100,000-row XLSX", extension: "xlsx", target_seconds: 6.0, target_peak_mb: 300.0 },
];

/// The passphrase of the throwaway benchmark workspaces.
const BENCH_PASSPHRASE: &str = "benchmark-passphrase";

pub fn bench() -> Result<()> {
    ensure_debian_packages(BUILD_PACKAGES)?;

    heading("cargo bench -p dangan-core --features unencrypted-benchmarks --bench workload");
    run_command(cargo().args([
        "bench",
        "-p",
        "dangan-core",
        "--features",
        "unencrypted-benchmarks",
        "--bench",
        "workload",
    ]))?;

    heading("PDF dossiers (and headless Chromium for comparison)");
    if let Err(err) = ensure_debian_packages(&["chromium"]) {
        println!("note: the Chromium comparison will be skipped: {err}");
    }
    run_command(cargo().args(["bench", "-p", "dangan-core", "--bench", "dossier"]))?;

    heading("import: time and peak memory");
    let time = peak_rss_tool();
    run_command(cargo().args(["build", "--release", "-p", "dangan-cli"]))?;
    let dangan = paths::target_dir().join("release").join(paths::exe("dangan"));
    let scratch = Scratch::new()?;
    let results: Vec<Measured> =
        WORKLOADS.iter().map(|workload| measure_import(&dangan, &scratch.0, workload, time.as_deref())).collect();

    heading("results");
    print_table(&results);
    if time.is_none() {
        println!("peak memory could not be measured: it needs GNU time at /usr/bin/time (Linux only)");
    }
    let failures: Vec<&str> = results
        .iter()
        .filter_map(|result| match &result.outcome {
            Err(Failure::Failed(message)) => Some(message.as_str()),
            _ => None,
        })
        .collect();
    if !failures.is_empty() {
        return Err(failures.join("\n"));
    }

    heading("desktop app: speed on a 100,000-person workspace");
    desktop_speed()
}

/// Runs the desktop-perf test (tests/desktop/perf.rs) against the release app, under the same
/// `dbus-run-session` and `xvfb-run` as the end-to-end test; skipped, saying why, where the app
/// does not exist yet or cannot run.
fn desktop_speed() -> Result<()> {
    if !desktop::exists() || !ui::exists() {
        println!("skipped: the desktop app is not built yet");
        return Ok(());
    }
    if !cfg!(target_os = "linux") {
        println!("skipped: it drives WebKitGTK through tauri-driver, which is Linux only");
        return Ok(());
    }
    if let Err(err) = ensure_debian_packages(DESKTOP_PACKAGES).and_then(|()| ensure_debian_packages(E2E_PACKAGES)) {
        println!("skipped: it cannot run here: {err}");
        return Ok(());
    }
    for tool in ["xvfb-run", "dbus-run-session", "WebKitWebDriver"] {
        if stdout_of(cmd("sh").args(["-c", &format!("command -v {tool}")])).is_err() {
            println!("skipped: `{tool}` is not installed ({})", E2E_PACKAGES.join(" "));
            return Ok(());
        }
    }
    desktop::build_ui()?;
    let app = desktop::build_release()?;
    // The test makes its workspace with the release CLI, which it finds beside the app.
    run_command(cargo().args(["build", "--release", "-p", "dangan-cli"]).args(locked()))?;
    let driver = desktop::tauri_driver()?;

    let test_args = ["test", "-p", "dangan-tests", "--test", "desktop-perf"];
    // Compiled first, outside the virtual display, so that only the measurement runs under it.
    run_command(cargo().args(test_args).args(locked()).arg("--no-run"))?;
    // Twice: as the app runs by default (it turns WebKit's hardware acceleration off where there
    // is no GPU render node, as under Xvfb: see src-tauri/src/rendering.rs), and forced to
    // WebKit's own default, accelerated compositing on software OpenGL, for comparison.
    for forced_compositing in [false, true] {
        let mut run = cmd("dbus-run-session");
        run.args(["--", "xvfb-run", "-a", "-s", "-screen 0 1280x800x24"])
            .arg(cargo_program())
            .args(test_args)
            .args(locked())
            .args(["--", "--nocapture"])
            .env("CARGO_TARGET_DIR", paths::target_dir())
            .env("DANGAN_DESKTOP_PERF", "1")
            .env("DANGAN_DESKTOP_APP", &app)
            .env("TAURI_DRIVER", &driver)
            .env_remove("WEBKIT_DISABLE_COMPOSITING_MODE");
        if forced_compositing {
            run.env("DANGAN_GPU_COMPOSITING", "1");
        } else {
            run.env_remove("DANGAN_GPU_COMPOSITING");
        }
        run_command(&mut run)?;
    }
    Ok(())
}

/// GNU time, which reports a child's peak resident set size (`%M`, in KiB); `None` where it is
/// not available (it is Linux's; macOS's /usr/bin/time speaks another dialect).
fn peak_rss_tool() -> Option<PathBuf> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    if let Err(err) = ensure_debian_packages(&["time"]) {
        println!("warning: {err}");
    }
    let time = PathBuf::from("/usr/bin/time");
    time.is_file().then_some(time)
}

struct Measured {
    workload: &'static Workload,
    outcome: std::result::Result<Measurement, Failure>,
}

struct Measurement {
    seconds: f64,
    peak_mb: Option<f64>,
}

enum Failure {
    /// The roster could not be generated (the CLI's hidden `bench-roster` is missing or broken):
    /// nothing to measure, which is not a failure of the import.
    Skipped,
    Failed(String),
}

/// Generates the roster, initialises a fresh workspace, then times the import of the one into the
/// other. Each workload gets its own workspace, so neither import finds the other's members.
fn measure_import(dangan: &Path, scratch: &Path, workload: &'static Workload, time: Option<&Path>) -> Measured {
    let workspace = scratch.join(format!("{}-workspace", workload.extension));
    let roster = scratch.join(format!("roster.{}", workload.extension));
    let dangan_in = || {
        let mut command = cmd(dangan);
        command.arg("--workspace").arg(&workspace).env("DANGAN_PASSPHRASE", BENCH_PASSPHRASE);
        command
    };
    heading(workload.name);

    if let Err(err) = run_command(dangan_in().args(["bench-roster", "--rows", ROWS, "--out"]).arg(&roster)) {
        println!("skipped: could not generate the roster: {err}");
        return Measured { workload, outcome: Err(Failure::Skipped) };
    }
    let outcome = run_command(dangan_in().arg("init"))
        .and_then(|()| timed(dangan_in().arg("import").arg(&roster), time))
        .map_err(|err| Failure::Failed(format!("{}: {err}", workload.name)));
    Measured { workload, outcome }
}

/// Runs `command` and measures its wall time and, given GNU time, its peak memory.
fn timed(command: &mut Command, time: Option<&Path>) -> Result<Measurement> {
    let Some(time) = time else {
        let started = Instant::now();
        run_command(command)?;
        return Ok(Measurement { seconds: started.elapsed().as_secs_f64(), peak_mb: None });
    };
    // GNU time writes to a file (-o) so that its number does not mix with the import's stderr.
    let report = env::temp_dir().join(format!("dangan-bench-rss-{}.txt", std::process::id()));
    let mut wrapped = cmd(time);
    wrapped.args(["-f", "%M", "-o"]).arg(&report).arg(command.get_program()).args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => wrapped.env(key, value),
            None => wrapped.env_remove(key),
        };
    }
    let started = Instant::now();
    let result = run_command(&mut wrapped);
    let seconds = started.elapsed().as_secs_f64();
    let written = fs::read_to_string(&report);
    fs::remove_file(&report).ok();
    result?;
    let peak_kib = written.ok().as_deref().and_then(parse_peak_kib);
    Ok(Measurement { seconds, peak_mb: peak_kib.map(|kib| kib as f64 / 1024.0) })
}

/// The peak RSS in KiB from GNU time's `-f %M` output: the last line, since GNU time puts a
/// "Command exited with non-zero status" line before it when the command failed.
fn parse_peak_kib(report: &str) -> Option<u64> {
    report.lines().rev().find(|line| !line.trim().is_empty())?.trim().parse().ok()
}

fn print_table(results: &[Measured]) {
    println!("{:<26} {:>9} {:>9}  target", "workload", "seconds", "peak MB");
    for Measured { workload, outcome } in results {
        let target = format!("≤ {} s, ≤ {} MB", workload.target_seconds, workload.target_peak_mb);
        match outcome {
            Ok(Measurement { seconds, peak_mb }) => {
                let peak = peak_mb.map_or_else(|| "n/a".to_owned(), |mb| format!("{mb:.1}"));
                let over = *seconds > workload.target_seconds || peak_mb.is_some_and(|mb| mb > workload.target_peak_mb);
                let verdict = if over { "  (over target)" } else { "" };
                println!("{:<26} {seconds:>9.2} {peak:>9}  {target}{verdict}", workload.name);
            }
            Err(Failure::Skipped) => println!("{:<26} {:>9} {:>9}  {target}", workload.name, "skipped", "-"),
            Err(Failure::Failed(_)) => {
                println!("{:<26} {:>9} {:>9}  {target}", workload.name, "FAILED", "-")
            }
        }
    }
}

/// A scratch directory for rosters and workspaces, removed when the benchmark ends, however it ends.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Self> {
        let dir = env::temp_dir().join(format!("dangan-bench-{}", std::process::id()));
        fs::create_dir_all(&dir).map_err(|err| format!("could not create {}: {err}", dir.display()))?;
        Ok(Self(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        fs::remove_dir_all(&self.0).ok();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_memory_is_the_last_line_gnu_time_writes() {
        let cases = [
            ("1052\n", Some(1052), "a successful command: the number alone"),
            ("Command exited with non-zero status 1\n2048\n", Some(2048), "a failed command: status line first"),
            ("", None, "nothing written: not measured"),
            ("garbage\n", None, "not a number: not measured"),
        ];
        for (report, expected, rule) in cases {
            assert_eq!(parse_peak_kib(report), expected, "{rule}");
        }
    }
}
