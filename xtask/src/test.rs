//! `cargo xtask test`: every check, in an order that fails fast (cheap checks before builds), with
//! a summary whose last line, `N passed, M failed`, is what CI reads.
//!
//! Stages of the project that do not exist yet are steps that report "skipped: …" until their
//! folder appears, so adding the folder is what switches their checks on. The desktop end-to-end
//! test is also skipped, saying why, where it cannot run (not Linux, packages not installable).
//! Skips are counted in the closing line; under CI on Linux a skip fails the run (`skips_fail`).

use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
    process::ExitCode,
    time::{Duration, Instant},
};

use crate::{
    Result,
    cmd::{cargo, cargo_program, cmd, heading, locked, run_command, stdout_of, succeeds},
    debian::{
        BUILD_PACKAGES, DESKTOP_PACKAGES, DOC_TOOLS, E2E_PACKAGES, NOTIFY_PACKAGES, PDF_TOOLS, SERVER_PACKAGES,
        ensure_debian_packages,
    },
    desktop, disk, paths, ui,
};

pub fn test() -> ExitCode {
    let mut report = Report::default();
    // A failed step has already said why, on stderr; the summary comes last either way.
    let result = all_steps(&mut report);
    report.print_summary();
    if result.is_ok() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn all_steps(report: &mut Report) -> Result<()> {
    // Room on the disk before anything builds: the cached tree only grows unless swept.
    report.step("cached build folder", || {
        disk::keep_target_dir_in_bounds().map(|line| {
            println!("{line}");
            Outcome::Passed
        })
    })?;
    // WebKitGTK's headers before anything compiles: clippy builds the desktop app too.
    report.step("system packages", system_packages)?;
    report.step("toolchain: rustfmt and clippy", toolchain)?;
    report.step("cargo fmt", || run_command(cargo().args(["fmt", "--all", "--check"])).map(|()| Outcome::Passed))?;
    // The app embeds ui/dist when it compiles, so the UI is built before clippy and the tests.
    ui_build(report)?;
    report.step("cargo clippy", || {
        run_command(
            cargo().args(["clippy", "--workspace", "--all-targets"]).args(locked()).args(["--", "-D", "warnings"]),
        )
        .map(|()| Outcome::Passed)
    })?;
    report.step("cargo test", || {
        run_command(cargo().args(["test", "--workspace"]).args(locked())).map(|()| Outcome::Passed)
    })?;
    report.step("notifications end-to-end", notifications_e2e)?;
    report.step("shared server end-to-end", server_e2e)?;
    report.step("bindings: up to date", bindings)?;
    ui_checks(report)?;
    report.step("desktop end-to-end", desktop_e2e)?;
    Ok(())
}

fn system_packages() -> Result<Outcome> {
    ensure_debian_packages(BUILD_PACKAGES)?;
    ensure_debian_packages(PDF_TOOLS)?;
    ensure_debian_packages(DOC_TOOLS)?;
    if desktop::exists() {
        ensure_debian_packages(DESKTOP_PACKAGES)?;
    }
    Ok(Outcome::Passed)
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

/// The UI's dependencies and its build (`ui/dist`), once `ui/package.json` exists.
fn ui_build(report: &mut Report) -> Result<()> {
    if !ui::exists() {
        report.skip("ui", "ui/package.json does not exist yet");
        return Ok(());
    }
    report.step("ui: dependencies", || ui::ensure_dependencies().map(|()| Outcome::Passed))?;
    report.step("ui: npm run build", || run_command(ui::npm().args(["run", "build"])).map(|()| Outcome::Passed))?;
    Ok(())
}

/// The UI's type check and tests.
fn ui_checks(report: &mut Report) -> Result<()> {
    if !ui::exists() {
        return Ok(());
    }
    report.step("ui: npm run check", || run_command(ui::npm().args(["run", "check"])).map(|()| Outcome::Passed))?;
    report.step("ui: npm test", || run_command(ui::npm().arg("test")).map(|()| Outcome::Passed))?;
    Ok(())
}

/// Where the TypeScript bindings of the bridge types are committed (TS_RS_EXPORT_DIR in
/// .cargo/config.toml).
const BINDINGS_DIR: &str = "ui/src/lib/api/bindings";

/// The command that writes them: ts-rs's `export_bindings_*` tests of dangan-core and of the shell.
const BINDINGS_ARGS: &[&str] = &[
    "test",
    "--lib",
    "-p",
    "dangan-core",
    "-p",
    "dangan-desktop",
    "--features",
    "dangan-core/typescript,dangan-desktop/typescript",
    "export_bindings",
];

/// The committed bindings must be what the Rust types generate today: the UI type-checks against
/// them, so a stale file would let the UI and the shell disagree unnoticed. They are generated
/// into a scratch folder and compared, so the check changes nothing in the working tree.
fn bindings() -> Result<Outcome> {
    if !desktop::exists() {
        return Ok(Outcome::Skipped("the desktop shell (src-tauri/) does not exist yet".to_owned()));
    }
    let fresh = paths::target_dir().join("bindings-check");
    fs::remove_dir_all(&fresh).ok();
    fs::create_dir_all(&fresh).map_err(|err| format!("could not create {}: {err}", fresh.display()))?;
    // An explicit TS_RS_EXPORT_DIR wins over .cargo/config.toml's [env] (which does not `force`).
    run_command(cargo().args(BINDINGS_ARGS).args(locked()).env("TS_RS_EXPORT_DIR", &fresh))?;
    let differences = compare_dirs(&paths::project_root().join(BINDINGS_DIR), &fresh)?;
    if differences.is_empty() {
        return Ok(Outcome::Passed);
    }
    Err(format!(
        "{BINDINGS_DIR} is stale: {}\nregenerate it with `cargo {}` and commit the result",
        differences.join(", "),
        BINDINGS_ARGS.join(" ")
    ))
}

/// The files that differ between the committed folder and the generated one, each with why.
fn compare_dirs(committed: &Path, generated: &Path) -> Result<Vec<String>> {
    let (committed, generated) = (files_in(committed)?, files_in(generated)?);
    let mut differences = Vec::new();
    for (name, text) in &generated {
        match committed.get(name) {
            None => differences.push(format!("{name} is missing")),
            Some(old) if old != text => differences.push(format!("{name} differs")),
            Some(_) => {}
        }
    }
    for name in committed.keys().filter(|name| !generated.contains_key(*name)) {
        differences.push(format!("{name} is generated by no type"));
    }
    Ok(differences)
}

/// The files of a folder (not recursive) by name, with their contents; none if it does not exist.
fn files_in(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    let Ok(entries) = fs::read_dir(dir) else { return Ok(BTreeMap::new()) };
    let mut files = BTreeMap::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_file() {
            let bytes = fs::read(&path).map_err(|err| format!("could not read {}: {err}", path.display()))?;
            files.insert(entry.file_name().to_string_lossy().into_owned(), bytes);
        }
    }
    Ok(files)
}

/// The desktop end-to-end test (`tests/desktop/main.rs`): the release-built app under a virtual
/// display, driven through tauri-driver and WebKitWebDriver as a user would drive it.
///
/// The recipe that worked on this kind of machine (see the team's notes): build the app with the
/// UI embedded; run the test under `xvfb-run -a -s "-screen 0 1280x800x24"`; the test starts
/// `tauri-driver --port 4444 --native-port 4445`, waits until *both* ports accept connections,
/// and stops it with SIGTERM, never SIGKILL (a killed driver leaves WebKitWebDriver holding the
/// port and the output pipe, and the run hangs). `dbus-run-session` gives the app a private
/// session bus, so its single-instance check cannot find a Dangan the developer has open.
///
/// Skipped, loudly, where it cannot run (not Linux; system packages missing and not root to
/// install them); a failure to build the app or of the test itself fails the run.
fn desktop_e2e() -> Result<Outcome> {
    if !desktop::exists() {
        return Ok(Outcome::Skipped("the desktop app is not built yet".to_owned()));
    }
    if !cfg!(target_os = "linux") {
        return Ok(Outcome::Skipped("it drives WebKitGTK through tauri-driver, which is Linux only".to_owned()));
    }
    if let Err(err) = ensure_debian_packages(E2E_PACKAGES) {
        return Ok(Outcome::Skipped(format!("it cannot run here: {err}")));
    }
    for tool in ["xvfb-run", "dbus-run-session", "WebKitWebDriver"] {
        if !on_path(tool) {
            return Ok(Outcome::Skipped(format!("`{tool}` is not installed ({})", E2E_PACKAGES.join(" "))));
        }
    }
    // The app on a shared server (tests/desktop/server.rs) needs PostgreSQL; without it that
    // scenario alone is skipped, saying so.
    let server = match ensure_debian_packages(SERVER_PACKAGES) {
        Ok(()) => true,
        Err(err) => {
            println!("note: the app on a shared server is not exercised: {err}");
            false
        }
    };
    let app = desktop::build_release()?;
    let driver = desktop::tauri_driver()?;
    let screenshots = paths::target_dir().join("e2e-screenshots");
    fs::remove_dir_all(&screenshots).ok();

    let test_args = ["test", "--workspace", "--test", "desktop"];
    // Compiled first, outside the virtual display, so that only the test itself runs under it.
    run_command(cargo().args(test_args).args(locked()).arg("--no-run"))?;
    run_command(
        cmd("dbus-run-session")
            .args(["--", "xvfb-run", "-a", "-s", "-screen 0 1280x800x24"])
            .arg(cargo_program())
            .args(test_args)
            .args(locked())
            .args(["--", "--nocapture"])
            .env("CARGO_TARGET_DIR", paths::target_dir())
            .env(BINARY_VAR, built_dangan()?)
            .env("DANGAN_DESKTOP_APP", &app)
            .env("TAURI_DRIVER", &driver)
            .env("DANGAN_E2E_SCREENSHOTS", &screenshots)
            .envs(server.then_some(("DANGAN_SERVER_TEST", "1"))),
    )?;
    for name in README_SCREENSHOTS {
        publish_screenshot(&screenshots, name)?;
    }
    Ok(Outcome::Passed)
}

/// Real reminders (`tests/notify/main.rs`): `dangan remind --notify` against dunst on a private
/// session bus under a virtual display, with dbus-monitor recording each `Notify` call. Skipped,
/// saying why, where it cannot run (not Linux, packages not installable).
fn notifications_e2e() -> Result<Outcome> {
    if !cfg!(target_os = "linux") {
        return Ok(Outcome::Skipped("it uses dunst and D-Bus, which this test sets up on Linux only".to_owned()));
    }
    if let Err(err) = ensure_debian_packages(NOTIFY_PACKAGES) {
        return Ok(Outcome::Skipped(format!("it cannot run here: {err}")));
    }
    for tool in ["dunst", "dbus-monitor", "dbus-send", "xvfb-run", "dbus-run-session"] {
        if !on_path(tool) {
            return Ok(Outcome::Skipped(format!("`{tool}` is not installed ({})", NOTIFY_PACKAGES.join(" "))));
        }
    }
    let test_args = ["test", "--workspace", "--test", "notify"];
    run_command(cargo().args(test_args).args(locked()).arg("--no-run"))?;
    // The display outside the bus, so a notification server the bus starts on demand can draw too.
    run_command(
        cmd("xvfb-run")
            .args(["-a", "dbus-run-session", "--"])
            .arg(cargo_program())
            .args(test_args)
            .args(locked())
            .args(["--", "--nocapture"])
            .env("CARGO_TARGET_DIR", paths::target_dir())
            .env(BINARY_VAR, built_dangan()?)
            .env("DANGAN_NOTIFY_TEST", "1"),
    )?;
    Ok(Outcome::Passed)
}

/// The shared server's tests (`tests/server`): `dangan` against PostgreSQL clusters the tests start
/// themselves (`tests/src/postgres.rs`), each with TLS and SCRAM, and psql as a user would run it.
fn server_e2e() -> Result<Outcome> {
    if !cfg!(target_os = "linux") {
        return Ok(Outcome::Skipped("it runs Debian's PostgreSQL packages, on Linux only".to_owned()));
    }
    if let Err(err) = ensure_debian_packages(SERVER_PACKAGES) {
        return Ok(Outcome::Skipped(format!("it cannot run here: {err}")));
    }
    run_command(
        cargo()
            .args(["test", "--workspace", "--test", "server"])
            .args(locked())
            .env(BINARY_VAR, built_dangan()?)
            .env("DANGAN_SERVER_TEST", "1"),
    )?;
    Ok(Outcome::Passed)
}

/// What `tests/src/lib.rs` reads to find the `dangan` binary (its `BINARY_VAR`).
const BINARY_VAR: &str = "DANGAN_TEST_BINARY";

/// The `dangan` binary that the "cargo test" step built with the CLI's tests, for the tests run
/// after it. Those run as `cargo test --workspace --test NAME`: selecting the whole workspace, as
/// that step did, gives every crate the same features, so nothing is compiled a second time.
fn built_dangan() -> Result<PathBuf> {
    let binary = paths::target_dir().join("debug").join(paths::exe("dangan"));
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!("{} is missing: the \"cargo test\" step should have built it", binary.display()))
    }
}

/// The screens the README shows, as the end-to-end test saw them.
const README_SCREENSHOTS: [&str; 3] = ["member-list.png", "statistics.png", "branch-life.png"];

/// Copies one of the test's screenshots to `docs/screenshots/`.
fn publish_screenshot(screenshots: &Path, name: &str) -> Result<()> {
    let shot = screenshots.join(name);
    let docs: PathBuf = paths::project_root().join("docs").join("screenshots");
    fs::create_dir_all(&docs).map_err(|err| format!("could not create {}: {err}", docs.display()))?;
    let to = docs.join(name);
    fs::copy(&shot, &to).map_err(|err| format!("could not copy {} to {}: {err}", shot.display(), to.display()))?;
    println!("screenshot for the README: {}", to.display());
    Ok(())
}

fn on_path(tool: &str) -> bool {
    stdout_of(cmd("sh").args(["-c", &format!("command -v {tool}")])).is_ok()
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
            // Under CI on Linux every step can run (it installs what it needs as root): a skip
            // there means a check did not happen, and a green run must not hide that.
            Ok(Outcome::Skipped(reason)) if skips_fail() => {
                let message = format!("skipped under CI, which must run every step: {reason}");
                eprintln!("error: step `{name}` {message}");
                self.steps.push((name, Status::Failed(message.clone()), took));
                Err(message)
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
        let (mut passed, mut failed, mut skipped) = (0, 0, 0);
        for (name, status, took) in &self.steps {
            let seconds = took.as_secs_f64();
            match status {
                Status::Passed => {
                    passed += 1;
                    println!("  passed   {name:<32} {seconds:>7.1} s");
                }
                Status::Skipped(reason) => {
                    skipped += 1;
                    println!("  skipped  {name:<32} {reason}");
                }
                Status::Failed(message) => {
                    failed += 1;
                    // Only the first line: the whole message was printed when the step failed.
                    let first_line = message.lines().next().unwrap_or_default();
                    println!("  FAILED   {name:<32} {seconds:>7.1} s  {first_line}");
                }
            }
        }
        println!("{}", closing_line(passed, failed, skipped));
    }
}

/// Whether a skipped step fails the run: under CI (`CI` set, as `.ci/run` runs) on Linux, where
/// every step can run. Elsewhere (macOS, Windows, a developer without root) a skip is said and
/// counted in the closing line.
fn skips_fail() -> bool {
    cfg!(target_os = "linux") && std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// The last line of `cargo xtask test`, which CI reads: keep its shape (`N passed, M failed`,
/// then `, K skipped`).
fn closing_line(passed: usize, failed: usize, skipped: usize) -> String {
    format!("{passed} passed, {failed} failed, {skipped} skipped")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_bindings_are_named_file_by_file() {
        let scratch = std::env::temp_dir().join(format!("xtask-bindings-{}", std::process::id()));
        let (committed, generated) = (scratch.join("committed"), scratch.join("generated"));
        for (dir, files) in [
            (&committed, &[("Same.ts", "a"), ("Changed.ts", "old"), ("Gone.ts", "x")][..]),
            (&generated, &[("Same.ts", "a"), ("Changed.ts", "new"), ("New.ts", "y")][..]),
        ] {
            fs::create_dir_all(dir).unwrap();
            for (name, text) in files {
                fs::write(dir.join(name), text).unwrap();
            }
        }
        let differences = compare_dirs(&committed, &generated);
        fs::remove_dir_all(&scratch).ok();
        assert_eq!(
            differences.unwrap(),
            ["Changed.ts differs", "New.ts is missing", "Gone.ts is generated by no type"],
            "unchanged files pass; changed, new and orphaned ones are each named"
        );
    }

    #[test]
    fn the_closing_line_is_the_shape_ci_reads() {
        assert_eq!(closing_line(5, 0, 0), "5 passed, 0 failed, 0 skipped");
        assert_eq!(closing_line(2, 1, 3), "2 passed, 1 failed, 3 skipped");
    }
}
