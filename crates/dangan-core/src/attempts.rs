//! Slowing down guessing at the unlock screen: after three wrong passphrases in a row, each further
//! attempt must wait, twice as long each time (2 s, 4 s, 8 s … at most 5 minutes). The app and the
//! CLI share the count, so a script cannot guess faster than a person at the keyboard.
//!
//! The count is kept outside the workspace, in the user's cache folder (one small file per
//! workspace), because a wrong passphrase must change no file of the workspace itself. It guards
//! against guessing at this computer; a copy of the key file elsewhere is protected by Argon2id.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// Wrong passphrases allowed in a row before waiting begins.
pub const FREE_ATTEMPTS: u32 = 3;
/// The longest wait between attempts.
pub const MAX_WAIT: Duration = Duration::from_secs(300);

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempts {
    /// Wrong passphrases in a row.
    pub failures: u32,
    /// When the last one was given (seconds since 1970).
    pub last: u64,
}

impl Attempts {
    /// How long to wait before the next attempt, as of `now`; zero when it may be made at once.
    pub fn wait(&self, now: u64) -> Duration {
        if self.failures < FREE_ATTEMPTS {
            return Duration::ZERO;
        }
        let step = Duration::from_secs(1u64 << (self.failures - FREE_ATTEMPTS + 1).min(12)).min(MAX_WAIT);
        let since = Duration::from_secs(now.saturating_sub(self.last));
        step.saturating_sub(since)
    }
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Where the count of a workspace lives: the user's cache folder, named after the workspace's
/// folder. `None` when the system names no cache folder (then nothing is throttled).
pub fn record_path(workspace: &Path) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DANGAN_ATTEMPTS_DIR") {
        return Some(PathBuf::from(dir).join(file_name(workspace)));
    }
    let cache = directories::ProjectDirs::from("cn", "dangan", "Dangan")?.cache_dir().join("attempts");
    Some(cache.join(file_name(workspace)))
}

fn file_name(workspace: &Path) -> String {
    let path = workspace.canonicalize().unwrap_or_else(|_| workspace.to_owned());
    // A stable name without the path's own characters (FNV-1a of its bytes).
    let hash = path
        .to_string_lossy()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    format!("{hash:016x}.json")
}

/// The count for a workspace (nothing recorded: no failures).
pub fn load(workspace: &Path) -> Attempts {
    record_path(workspace)
        .and_then(|p| std::fs::read(p).ok())
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// How long the next attempt on this workspace must wait.
pub fn wait_before_next(workspace: &Path) -> Duration {
    load(workspace).wait(now())
}

/// Counts a wrong passphrase. Best effort: a cache folder that cannot be written throttles nothing.
pub fn failed(workspace: &Path) {
    let Some(path) = record_path(workspace) else { return };
    let attempts = Attempts { failures: load(workspace).failures.saturating_add(1), last: now() };
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Ok(json) = serde_json::to_vec(&attempts) {
        let _ = std::fs::write(path, json);
    }
}

/// Forgets the count after a right passphrase.
pub fn succeeded(workspace: &Path) {
    if let Some(path) = record_path(workspace) {
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_wrong_passphrases_are_free_then_each_wait_doubles_up_to_five_minutes() {
        let after = |failures| Attempts { failures, last: 1000 }.wait(1000).as_secs();
        assert_eq!([after(0), after(2), after(3), after(4), after(5), after(12)], [0, 0, 2, 4, 8, 300]);
        assert_eq!(Attempts { failures: 5, last: 1000 }.wait(1005).as_secs(), 3, "time already waited counts");
        assert_eq!(Attempts { failures: 5, last: 1000 }.wait(2000), Duration::ZERO);
    }
}
