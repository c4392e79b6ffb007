//! The web UI in `ui/`: npm, and keeping `ui/node_modules` in step with `ui/package-lock.json`.

use std::{fs, path::PathBuf, process::Command, time::SystemTime};

use crate::{
    Result,
    cmd::{cmd, run_command, succeeds},
    paths,
};

/// The UI's folder; it is a UI once `ui/package.json` exists.
pub fn ui_dir() -> PathBuf {
    paths::project_root().join("ui")
}

pub fn exists() -> bool {
    ui_dir().join("package.json").exists()
}

/// An npm command running in `ui/`.
pub fn npm() -> Command {
    // On Windows npm is a batch file, which Command only finds by its full name.
    let mut command = cmd(if cfg!(windows) { "npm.cmd" } else { "npm" });
    command.current_dir(ui_dir());
    command
}

/// Checks that npm is installed, then runs `npm ci` when `ui/node_modules` is missing or older
/// than `ui/package-lock.json` (someone changed the dependencies), and does nothing otherwise:
/// `npm ci` deletes and refetches everything, which is too slow for every run.
pub fn ensure_dependencies() -> Result<()> {
    if !succeeds(npm().arg("--version")) {
        return Err("npm is not installed; install it with: apt-get install -y nodejs npm".to_owned());
    }
    let ui = ui_dir();
    let modified = |path: PathBuf| fs::metadata(path).and_then(|meta| meta.modified()).ok();
    if needs_install(modified(ui.join("node_modules")), modified(ui.join("package-lock.json"))) {
        run_command(npm().arg("ci"))
    } else {
        println!("ui/node_modules is up to date with ui/package-lock.json");
        Ok(())
    }
}

/// Whether to run `npm ci`, from the modification times of `node_modules` and `package-lock.json`.
fn needs_install(node_modules: Option<SystemTime>, lock: Option<SystemTime>) -> bool {
    match (node_modules, lock) {
        (None, _) => true,
        (Some(installed), Some(locked)) => installed < locked,
        // No lock file: `npm ci` would refuse anyway; whatever is installed is all there is.
        (Some(_), None) => false,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn npm_ci_runs_when_node_modules_is_missing_or_older_than_the_lock_file() {
        let earlier = SystemTime::UNIX_EPOCH;
        let later = earlier + Duration::from_secs(60);
        let cases = [
            (None, Some(later), true, "never installed"),
            (None, None, true, "never installed, no lock: let npm ci say what is wrong"),
            (Some(earlier), Some(later), true, "the lock file changed since the install"),
            (Some(later), Some(earlier), false, "installed from the current lock file"),
            (Some(later), None, false, "no lock file to install from"),
        ];
        for (node_modules, lock, expected, rule) in cases {
            assert_eq!(needs_install(node_modules, lock), expected, "{rule}");
        }
    }
}
