//! `cargo xtask run`: build Dangan and start it, with data to look at: the UI, the demo workspace
//! (made on the first run with the core's demo organisation), then the desktop app on it.

use std::{fs, path::PathBuf};

use crate::{
    Result,
    cmd::{cargo, cmd, heading, run_command},
    debian::{BUILD_PACKAGES, DESKTOP_PACKAGES, ensure_debian_packages},
    desktop::{self, WORKSPACE_VAR},
    disk, paths,
};

/// The demo workspace's passphrase. It guards nothing: the data is invented, and the passphrase
/// is printed so the person trying the app can unlock it.
const DEMO_PASSPHRASE: &str = "dangan-demo";
/// The demo workspace's administrator: printed beside the passphrase, since the unlock screen asks
/// for both.
const DEMO_USER: &str = "admin";

/// Builds the UI, makes the demo workspace if there is none, then builds and starts the desktop
/// app on it (a debug build: it embeds the built UI folder, and shares its build with the tests).
pub fn run() -> Result<()> {
    println!("cached build folder: {}", disk::keep_target_dir_in_bounds()?);
    ensure_debian_packages(BUILD_PACKAGES)?;
    ensure_debian_packages(DESKTOP_PACKAGES)?;
    heading("build the UI");
    desktop::build_ui()?;
    let workspace = demo_workspace()?;

    heading("start Dangan");
    println!("workspace:  {}", workspace.display());
    println!("user:       {DEMO_USER}");
    println!("passphrase: {DEMO_PASSPHRASE}");
    println!("(unlock with this user name and passphrase)");
    run_command(cargo().args(["run", "-p", desktop::PACKAGE]).env(WORKSPACE_VAR, &workspace))
}

/// The demo workspace, created with the CLI's `dangan demo` (the core's demo organisation) the
/// first time. Returns its folder.
fn demo_workspace() -> Result<PathBuf> {
    let workspace = paths::demo_workspace();
    if workspace.exists() {
        return Ok(workspace);
    }
    heading("create the demo workspace");
    run_command(cargo().args(["build", "-p", "dangan-cli"]))?;
    let dangan = paths::target_dir().join("debug").join(paths::exe("dangan"));
    if let Some(parent) = workspace.parent() {
        fs::create_dir_all(parent).map_err(|err| format!("could not create {}: {err}", parent.display()))?;
    }
    let made = run_command(
        cmd(&dangan)
            .arg("--workspace")
            .arg(&workspace)
            .args(["--user", DEMO_USER, "demo"])
            .env("DANGAN_PASSPHRASE", DEMO_PASSPHRASE),
    );
    if let Err(err) = made {
        // A half-made workspace would be taken as done next time; start over instead.
        fs::remove_dir_all(&workspace).ok();
        return Err(err);
    }
    Ok(workspace)
}
