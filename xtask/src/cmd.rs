//! Spawning tools: from the repository root, echoed before they start, failing with a sentence that
//! names the command.

use std::{
    env,
    ffi::{OsStr, OsString},
    process::Command,
};

use crate::{Result, paths};

/// A command that runs in the repository root.
pub fn cmd(program: impl AsRef<OsStr>) -> Command {
    let mut command = Command::new(program);
    command.current_dir(paths::project_root());
    command
}

/// A cargo command that builds into the cached target directory ([`paths::target_dir`]).
pub fn cargo() -> Command {
    let mut command = cmd(cargo_program());
    command.env("CARGO_TARGET_DIR", paths::target_dir());
    command
}

/// `--locked` when the repository has a Cargo.lock, for the commands CI runs: CI must build what
/// was committed, not whatever a fresh resolution picks today. (Developer commands such as
/// `cargo xtask run` leave it off, so adding a dependency does not first need a separate step.)
pub fn locked() -> &'static [&'static str] {
    if paths::project_root().join("Cargo.lock").exists() { &["--locked"] } else { &[] }
}

/// Runs `command` with the terminal as its stdin, stdout and stderr; an error names the command.
pub fn run_command(command: &mut Command) -> Result<()> {
    let shown = display(command);
    println!("$ {shown}");
    let status = command.status().map_err(|err| format!("could not start `{shown}`: {err}"))?;
    if status.success() { Ok(()) } else { Err(format!("`{shown}` failed ({status})")) }
}

/// Whether `command` runs and exits successfully; its output is swallowed. For probes such as
/// `npm --version`, where "no" is an answer rather than an error.
pub fn succeeds(command: &mut Command) -> bool {
    command.output().is_ok_and(|output| output.status.success())
}

/// The trimmed stdout of `command`, which must succeed.
pub fn stdout_of(command: &mut Command) -> Result<String> {
    let shown = display(command);
    let output = command.output().map_err(|err| format!("could not start `{shown}`: {err}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("`{shown}` failed ({}): {}", output.status, stderr.trim()));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Prints a step's heading, so a long log can be scanned for where each step starts.
pub fn heading(title: &str) {
    println!("\n==> {title}");
}

/// The cargo that started xtask (cargo sets `$CARGO` for `cargo run`), so every build uses the
/// same toolchain as xtask itself; plain `cargo` when xtask was started some other way.
pub fn cargo_program() -> OsString {
    env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"))
}

/// The command as one would type it: `cargo` rather than the toolchain's full path to it.
pub fn display(command: &Command) -> String {
    let program = command.get_program();
    let program = if program == cargo_program() { "cargo".into() } else { program.to_string_lossy() };
    let mut shown = program.into_owned();
    for arg in command.get_args() {
        let arg = arg.to_string_lossy();
        shown.push(' ');
        if arg.contains(' ') || arg.is_empty() {
            shown.push_str(&format!("'{arg}'"));
        } else {
            shown.push_str(&arg);
        }
    }
    shown
}
