//! `cargo xtask test`: every check, in an order that fails fast (cheap checks before builds), with
//! a summary whose last line, `N passed, M failed`, is what CI reads.
//!
//! Stages of the project that do not exist yet (the UI, the desktop app) are steps that report
//! "skipped: …" until their folder appears, so adding the folder is what switches their checks on.

use std::{
    process::ExitCode,
    time::{Duration, Instant},
};

use crate::{
    Result,
    cmd::{cargo, cmd, heading, locked, run_command, stdout_of, succeeds},
    debian::{BUILD_PACKAGES, ensure_debian_packages},
    paths, ui,
};

pub fn test() -> ExitCode {
    let mut report = Report::default();
    // A failed step has already said why, on stderr; the summary comes last either way.
    let result = all_steps(&mut report);
    report.print_summary();
    if result.is_ok() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn all_steps(report: &mut Report) -> Result<()> {
    report.step("system packages", || ensure_debian_packages(BUILD_PACKAGES).map(|()| Outcome::Passed))?;
    report.step("toolchain: rustfmt and clippy", toolchain)?;
    report.step("cargo fmt", || run_command(cargo().args(["fmt", "--all", "--check"])).map(|()| Outcome::Passed))?;
    report.step("cargo clippy", || {
        run_command(
            cargo().args(["clippy", "--workspace", "--all-targets"]).args(locked()).args(["--", "-D", "warnings"]),
        )
        .map(|()| Outcome::Passed)
    })?;
    report.step("cargo test", || {
        run_command(cargo().args(["test", "--workspace"]).args(locked())).map(|()| Outcome::Passed)
    })?;
    ui_checks(report)?;
    report.step("desktop end-to-end", desktop_e2e)?;
    Ok(())
}

/// rustfmt and clippy are rustup components a minimal toolchain lacks; add them rather than fail.
fn toolchain() -> Result<Outcome> {
    const FIX: &str = "rustup component add rustfmt clippy";
    if components_present() {
        return Ok(Outcome::Passed);
    }
    if !succeeds(cmd("rustup").arg("--version")) {
        return Err(format!("rustfmt or clippy is missing and rustup is not installed; once it is, run: {FIX}"));
    }
    run_command(cmd("rustup").args(["component", "add", "rustfmt", "clippy"]))
        .map_err(|err| format!("{err}; run it yourself: {FIX}"))?;
    if components_present() {
        Ok(Outcome::Passed)
    } else {
        Err(format!("rustfmt or clippy is still missing after `{FIX}`"))
    }
}

fn components_present() -> bool {
    let mut present = true;
    for tool in ["fmt", "clippy"] {
        match stdout_of(cargo().args([tool, "--version"])) {
            Ok(version) => println!("{version}"),
            Err(_) => {
                println!("cargo {tool}: not installed");
                present = false;
            }
        }
    }
    present
}

/// The UI's type check and tests, once `ui/package.json` exists.
fn ui_checks(report: &mut Report) -> Result<()> {
    if !ui::exists() {
        report.skip("ui", "ui/package.json does not exist yet");
        return Ok(());
    }
    report.step("ui: dependencies", || ui::ensure_dependencies().map(|()| Outcome::Passed))?;
    report.step("ui: npm run check", || run_command(ui::npm().args(["run", "check"])).map(|()| Outcome::Passed))?;
    report.step("ui: npm test", || run_command(ui::npm().arg("test")).map(|()| Outcome::Passed))?;
    Ok(())
}

/// The desktop end-to-end test: the built app, driven like a user would drive it.
///
/// Not written yet, because the app is not. The recipe that worked on this kind of machine
/// (see the team's notes): build the app with the UI embedded; start
/// `tauri-driver --port 4444 --native-port 4445` under `xvfb-run -a -s "-screen 0 1280x800x24"`;
/// wait until *both* ports accept connections; run the WebDriver test with the capability
/// `"tauri:options": {"application": <binary>}`; stop tauri-driver with SIGTERM, never SIGKILL
/// (a killed driver leaves WebKitWebDriver holding the port and the output pipe, and the run hangs).
/// Debian packages: `xvfb webkit2gtk-driver`, plus `debian::DESKTOP_PACKAGES` to build.
fn desktop_e2e() -> Result<Outcome> {
    if !paths::project_root().join("src-tauri").join("Cargo.toml").exists() {
        return Ok(Outcome::Skipped("the desktop app is not built yet".to_owned()));
    }
    // Skipped loudly rather than passed: a green run must not suggest the app was tested.
    Ok(Outcome::Skipped("src-tauri/ exists, but desktop_e2e() in xtask/src/test.rs does not drive it yet".to_owned()))
}

/// How a step that did not fail ended.
enum Outcome {
    Passed,
    /// The step had nothing to check yet; the reason is printed as `skipped: {reason}`.
    Skipped(String),
}

enum Status {
    Passed,
    Skipped(String),
    Failed(String),
}

#[derive(Default)]
struct Report {
    steps: Vec<(&'static str, Status, Duration)>,
}

impl Report {
    /// Runs one step under its heading and records how it went. An error stops the run: later
    /// steps would fail for the same reason, or spend minutes building code already known bad.
    fn step(&mut self, name: &'static str, step: impl FnOnce() -> Result<Outcome>) -> Result<()> {
        heading(name);
        let started = Instant::now();
        let result = step();
        let took = started.elapsed();
        match result {
            Ok(Outcome::Passed) => {
                self.steps.push((name, Status::Passed, took));
                Ok(())
            }
            Ok(Outcome::Skipped(reason)) => {
                println!("skipped: {reason}");
                self.steps.push((name, Status::Skipped(reason), took));
                Ok(())
            }
            Err(message) => {
                eprintln!("error: step `{name}` failed: {message}");
                self.steps.push((name, Status::Failed(message.clone()), took));
                Err(message)
            }
        }
    }

    fn skip(&mut self, name: &'static str, reason: &str) {
        self.step(name, || Ok(Outcome::Skipped(reason.to_owned()))).ok();
    }

    fn print_summary(&self) {
        heading("summary");
        let (mut passed, mut failed) = (0, 0);
        for (name, status, took) in &self.steps {
            let seconds = took.as_secs_f64();
            match status {
                Status::Passed => {
                    passed += 1;
                    println!("  passed   {name:<32} {seconds:>7.1} s");
                }
                Status::Skipped(reason) => println!("  skipped  {name:<32} {reason}"),
                Status::Failed(message) => {
                    failed += 1;
                    // Only the first line: the whole message was printed when the step failed.
                    let first_line = message.lines().next().unwrap_or_default();
                    println!("  FAILED   {name:<32} {seconds:>7.1} s  {first_line}");
                }
            }
        }
        println!("{}", closing_line(passed, failed));
    }
}

/// The last line of `cargo xtask test`, which CI reads: keep its shape.
fn closing_line(passed: usize, failed: usize) -> String {
    format!("{passed} passed, {failed} failed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closing_line_is_the_shape_ci_reads() {
        assert_eq!(closing_line(5, 0), "5 passed, 0 failed");
        assert_eq!(closing_line(2, 1), "2 passed, 1 failed");
    }
}
