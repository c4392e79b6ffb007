//! `cargo xtask run`: build Dangan and start it, with data to look at.
//!
//! Once `src-tauri/` exists this builds the UI and launches the desktop app. Until then it shows
//! the CLI working on a demo workspace, created on the first run.

use std::{fs, path::Path, process::Command};

use crate::{
    Result,
    cmd::{cargo, cmd, heading, run_command},
    debian::{BUILD_PACKAGES, DESKTOP_PACKAGES, ensure_debian_packages},
    paths, ui,
};

/// The demo workspace's passphrase. It guards nothing: the data is invented, and the passphrase
/// is printed so the person trying the app can unlock it.
const DEMO_PASSPHRASE: &str = "dangan-demo";

pub fn run() -> Result<()> {
    ensure_debian_packages(BUILD_PACKAGES)?;
    if paths::project_root().join("src-tauri").join("Cargo.toml").exists() { desktop() } else { cli_demo() }
}

/// Builds the UI, then builds and starts the desktop app (debug: it embeds the built UI folder).
fn desktop() -> Result<()> {
    heading("desktop app");
    ensure_debian_packages(DESKTOP_PACKAGES)?;
    if ui::exists() {
        ui::ensure_dependencies()?;
        run_command(ui::npm().args(["run", "build"]))?;
    }
    run_command(cargo().args(["run", "--manifest-path", "src-tauri/Cargo.toml"]))
}

/// Builds the CLI, creates the demo workspace if there is none, and lists its probationary
/// members (预备党员), so the first run ends with real-looking data on screen.
fn cli_demo() -> Result<()> {
    heading("build the CLI");
    run_command(cargo().args(["build", "-p", "dangan-cli"]))?;
    let dangan = paths::target_dir().join("debug").join(paths::exe("dangan"));

    let workspace = paths::demo_workspace();
    if !workspace.exists() {
        heading("create the demo workspace");
        if let Some(parent) = workspace.parent() {
            fs::create_dir_all(parent).map_err(|err| format!("could not create {}: {err}", parent.display()))?;
        }
        if let Err(err) = run_command(dangan_in(&dangan, &workspace).arg("demo")) {
            // A half-made workspace would be taken as done next time; start over instead.
            fs::remove_dir_all(&workspace).ok();
            return Err(err);
        }
    }

    heading("the demo workspace");
    println!("workspace:  {}", workspace.display());
    println!("passphrase: {DEMO_PASSPHRASE}");
    run_command(dangan_in(&dangan, &workspace).args(["members", "--stage", "probationary"]))?;

    println!(
        "\nThe desktop app arrives with the Tauri shell (src-tauri/); then `cargo xtask run` starts it.\n\
         Until then, try the CLI yourself:\n  DANGAN_PASSPHRASE={DEMO_PASSPHRASE} {} --workspace {} --help",
        dangan.display(),
        workspace.display()
    );
    Ok(())
}

/// `dangan --workspace <workspace>`, unlocked with the demo passphrase.
fn dangan_in(dangan: &Path, workspace: &Path) -> Command {
    let mut command = cmd(dangan);
    command.arg("--workspace").arg(workspace).env("DANGAN_PASSPHRASE", DEMO_PASSPHRASE);
    command
}
