//! `cargo xtask`: Dangan's project automation, written in Rust rather than shell so that the same
//! commands work on Linux, macOS and Windows.
//!
//! - `cargo xtask test` runs every check; CI (`.ci/run`) calls nothing else.
//! - `cargo xtask run` builds and starts the desktop app on a demo workspace.
//! - `cargo xtask bench` runs the core's benchmarks and measures import time and peak memory.
//! - `cargo xtask bundle` makes the Linux installers (.deb, and an AppImage where its tools can be had).
//!
//! `cargo xtask` is an alias in `.cargo/config.toml` for `cargo run --package xtask --`.

mod bench;
mod bundle;
mod cmd;
mod debian;
mod desktop;
mod disk;
mod paths;
mod run;
mod test;
mod ui;

use std::{env, process::ExitCode};

/// Errors are sentences for the person at the terminal; nothing matches on them.
type Result<T, E = String> = std::result::Result<T, E>;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  test    run every check, as CI does: toolchain, fmt, clippy, tests, bindings, UI checks, desktop end-to-end
  run     build and start the desktop app on a demo workspace (its passphrase is printed)
  bench   run dangan-core's benchmarks, then time 100,000-row imports (beside python3's sqlite3 doing the
          plain job) and measure their peak memory
  bundle  make the Linux installers with the Tauri bundler: a .deb (also for Kylin and UOS) and, when its
          tools from GitHub are at hand, an AppImage; prints where they are (the README covers Windows)
  help    print this message

Cargo builds go to one cached target directory: $CARGO_TARGET_DIR if set, otherwise
$XDG_CACHE_HOME/dangan/target or ~/.cache/dangan/target.
";

fn main() -> ExitCode {
    let args: Vec<String> = env::args_os().skip(1).map(|arg| arg.to_string_lossy().into_owned()).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] | ["help" | "--help" | "-h"] => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        ["test"] => {
            announce_target_dir();
            test::test()
        }
        ["run"] => {
            announce_target_dir();
            exit_code(run::run())
        }
        ["bench"] => {
            announce_target_dir();
            exit_code(bench::bench())
        }
        ["bundle"] => {
            announce_target_dir();
            exit_code(bundle::bundle())
        }
        _ => {
            eprintln!("error: unknown command `{}`\n", args.join(" "));
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Said once, up front: a build that seems to start from scratch is explained by where it builds.
fn announce_target_dir() {
    println!("target dir: {}", paths::target_dir().display());
}

fn exit_code(result: Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
