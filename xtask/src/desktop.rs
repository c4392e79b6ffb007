//! The desktop app (`src-tauri/`): building it, and what its end-to-end test needs (a release build,
//! tauri-driver).

use std::{fs, path::PathBuf};

use crate::{
    Result,
    cmd::{cargo, heading, locked, run_command},
    paths, ui,
};

/// The Cargo package in `src-tauri/` and the binary it builds.
pub const PACKAGE: &str = "dangan-desktop";
const BINARY: &str = "dangan-desktop";

/// The variable the app reads its workspace folder from (src-tauri/src/lib.rs, `WORKSPACE_VAR`).
pub const WORKSPACE_VAR: &str = "DANGAN_WORKSPACE";

/// Whether the desktop app exists yet; until it does, its steps are skipped.
pub fn exists() -> bool {
    paths::project_root().join("src-tauri").join("Cargo.toml").exists()
}

/// Builds the UI into `ui/dist`. The app embeds that folder when it compiles (even `cargo clippy`
/// needs it), so this comes before any cargo command that builds the app.
pub fn build_ui() -> Result<()> {
    ui::ensure_dependencies()?;
    run_command(ui::npm().args(["run", "build"]))
}

/// The release binary, with the UI served from inside it (`custom-protocol`), as a user gets it.
pub fn build_release() -> Result<PathBuf> {
    run_command(cargo().args(["build", "--release", "-p", PACKAGE, "--features", "custom-protocol"]).args(locked()))?;
    Ok(paths::target_dir().join("release").join(paths::exe(BINARY)))
}

/// tauri-driver 2.x (the WebDriver server for Tauri apps), installed once into the tools cache.
///
/// Pinned to `^2`: crates.io's newest tauri-driver is a 3.0 alpha, made for Tauri 3.
pub fn tauri_driver() -> Result<PathBuf> {
    let root = paths::tools_dir();
    let driver = root.join("bin").join(paths::exe("tauri-driver"));
    // tauri-driver has no --version; cargo install's own record says which version it put there.
    let installed = fs::read_to_string(root.join(".crates.toml")).unwrap_or_default();
    if driver.exists() && has_driver_v2(&installed) {
        println!("tauri-driver 2.x: {}", driver.display());
        return Ok(driver);
    }
    heading("install tauri-driver 2.x");
    fs::create_dir_all(&root).map_err(|err| format!("could not create {}: {err}", root.display()))?;
    // Built in a temporary target directory of its own: it shares nothing with Dangan's build.
    run_command(
        cargo()
            .env_remove("CARGO_TARGET_DIR")
            .args(["install", "tauri-driver", "--version", "^2", "--locked", "--force", "--root"])
            .arg(&root),
    )?;
    Ok(driver)
}

/// Whether cargo install's record (`<root>/.crates.toml`) lists a tauri-driver 2.x.
fn has_driver_v2(crates_toml: &str) -> bool {
    crates_toml.lines().any(|line| line.trim_start().starts_with("\"tauri-driver 2."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_2x_tauri_driver_is_reused() {
        let record =
            |version: &str| format!("[v1]\n\"tauri-driver {version} (registry+index)\" = [\"tauri-driver\"]\n");
        let cases = [
            (record("2.1.0"), true, "the release this project pins"),
            (record("3.0.0-alpha.1"), false, "made for Tauri 3"),
            (record("0.1.5"), false, "Tauri 1's driver"),
            (String::new(), false, "no record: install"),
        ];
        for (crates_toml, expected, rule) in cases {
            assert_eq!(has_driver_v2(&crates_toml), expected, "{rule}");
        }
    }
}
