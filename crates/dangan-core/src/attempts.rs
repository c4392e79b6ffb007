//! Slowing down guessing at the unlock screen: after three wrong passphrases in a row, each further
//! attempt must wait, twice as long each time (2 s, 4 s, 8 s … at most 5 minutes). The app and the
//! CLI share the count, so a script cannot guess faster than a person at the keyboard.
//!
//! The count lives beside the key file (`dangan.attempts`), sealed with the workspace's id, so
//! neither another `HOME` nor a cache folder pointed elsewhere resets it, and a count copied from
//! another workspace or edited by hand reads as the longest wait. Each attempt is counted *before*
//! the passphrase is tried (a process killed during key derivation still counts) and forgotten
//! after a right one; when the count cannot be written the attempt is refused (fail closed).
//! One exception: a workspace on read-only media cannot keep any count, and a copy of it could be
//! made anyway; there the attempt goes ahead, slowed only by Argon2id.
//!
//! It guards against guessing at this computer. Someone who can delete files in the workspace
//! folder can delete the count too: the README says so.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::{Error, Result};

/// Wrong passphrases allowed in a row before waiting begins.
pub const FREE_ATTEMPTS: u32 = 3;
/// The longest wait between attempts.
pub const MAX_WAIT: Duration = Duration::from_secs(300);
/// The count's file, beside `dangan.key`.
pub const FILE: &str = "dangan.attempts";

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

/// The file's contents: the count and its seal.
#[derive(Serialize, Deserialize)]
struct Sealed {
    failures: u32,
    last: u64,
    seal: String,
}

/// Binds a count to one workspace: SHA-256 of the workspace id and the count. Not a secret (the id
/// is in the key file): it tells a count that belongs here from one copied or typed in.
fn seal(workspace_id: &str, attempts: Attempts) -> String {
    let text = format!("dangan-attempts-v1\0{workspace_id}\0{}\0{}", attempts.failures, attempts.last);
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

pub fn record_path(workspace: &Path) -> PathBuf {
    workspace.join(FILE)
}

/// The count for a workspace: none recorded is no failures; one that does not verify (edited,
/// copied from elsewhere, damaged) is treated as the longest wait from now.
pub fn load(workspace: &Path, workspace_id: &str) -> Attempts {
    let Ok(bytes) = std::fs::read(record_path(workspace)) else { return Attempts::default() };
    match serde_json::from_slice::<Sealed>(&bytes) {
        Ok(s) if s.seal == seal(workspace_id, Attempts { failures: s.failures, last: s.last }) => {
            Attempts { failures: s.failures, last: s.last }
        }
        _ => Attempts { failures: u32::MAX / 2, last: now() },
    }
}

/// How long the next attempt on this workspace must wait.
pub fn wait_before_next(workspace: &Path, workspace_id: &str) -> Duration {
    load(workspace, workspace_id).wait(now())
}

/// One attempt, counted as wrong until it is known to be right.
#[must_use = "say how the attempt ended"]
pub struct Attempt {
    workspace: PathBuf,
    workspace_id: String,
    before: Attempts,
    /// Whether the count was written (not on read-only media).
    counted: bool,
}

/// Counts the attempt about to be made, before the passphrase is tried. Fails closed: a count
/// that cannot be written refuses the attempt, naming the file, except on read-only media.
pub fn begin(workspace: &Path, workspace_id: &str) -> Result<Attempt> {
    let before = load(workspace, workspace_id);
    let pending = Attempts { failures: before.failures.saturating_add(1), last: now() };
    let counted = match write(workspace, workspace_id, pending) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::ReadOnlyFilesystem => false,
        Err(source) => return Err(Error::AttemptsUnrecorded { path: record_path(workspace), source }),
    };
    Ok(Attempt { workspace: workspace.to_owned(), workspace_id: workspace_id.to_owned(), before, counted })
}

impl Attempt {
    /// The passphrase was right: the count starts again.
    pub fn succeeded(self) {
        if self.counted {
            let _ = std::fs::remove_file(record_path(&self.workspace));
        }
    }

    /// The passphrase was wrong: the count stays as `begin` wrote it.
    pub fn failed(self) {}

    /// The attempt ended for another reason (a damaged file): it does not count.
    pub fn undone(self) {
        if !self.counted {
            return;
        }
        if self.before == Attempts::default() {
            let _ = std::fs::remove_file(record_path(&self.workspace));
        } else {
            let _ = write(&self.workspace, &self.workspace_id, self.before);
        }
    }
}

/// Writes a count, sealed for the workspace: what `begin` does, for tools and tests that need a
/// count as of some time (it can only make the wait longer or shorter than the truth by as much
/// as deleting the file could).
pub fn write(workspace: &Path, workspace_id: &str, attempts: Attempts) -> std::io::Result<()> {
    let sealed = Sealed { failures: attempts.failures, last: attempts.last, seal: seal(workspace_id, attempts) };
    let json = serde_json::to_vec(&sealed).map_err(std::io::Error::other)?;
    let path = record_path(workspace);
    let tmp = workspace.join(format!("{FILE}.tmp"));
    std::fs::write(&tmp, json)?;
    std::fs::rename(&tmp, &path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
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

    #[test]
    fn an_attempt_counts_before_it_is_tried_and_a_right_one_forgets_the_count() {
        let dir = tempfile::tempdir().unwrap();
        for _ in 0..2 {
            begin(dir.path(), "ws-1").unwrap().failed();
        }
        assert_eq!(load(dir.path(), "ws-1").failures, 2);
        let pending = begin(dir.path(), "ws-1").unwrap();
        // Killed now, during key derivation: the attempt is already counted.
        assert_eq!(load(dir.path(), "ws-1").failures, 3);
        pending.succeeded();
        assert_eq!(load(dir.path(), "ws-1"), Attempts::default());
        assert!(!record_path(dir.path()).exists());
        // An attempt that ended on damage, not on the passphrase, does not count.
        begin(dir.path(), "ws-1").unwrap().failed();
        begin(dir.path(), "ws-1").unwrap().undone();
        assert_eq!(load(dir.path(), "ws-1").failures, 1);
    }

    #[test]
    fn a_count_edited_or_copied_from_another_workspace_is_the_longest_wait() {
        let dir = tempfile::tempdir().unwrap();
        begin(dir.path(), "ws-1").unwrap().failed();
        // Read under another workspace's id (a copied file): does not verify.
        assert_eq!(wait_before_next(dir.path(), "ws-2"), MAX_WAIT);
        // Edited by hand to zero failures: does not verify either.
        let mut sealed: Sealed = serde_json::from_slice(&std::fs::read(record_path(dir.path())).unwrap()).unwrap();
        sealed.failures = 0;
        std::fs::write(record_path(dir.path()), serde_json::to_vec(&sealed).unwrap()).unwrap();
        assert_eq!(wait_before_next(dir.path(), "ws-1"), MAX_WAIT);
    }

    #[test]
    fn a_count_that_cannot_be_written_refuses_the_attempt() {
        let dir = tempfile::tempdir().unwrap();
        // Root ignores permissions: a folder where the file should be makes it unwritable for anyone.
        std::fs::create_dir(record_path(dir.path())).unwrap();
        let err = begin(dir.path(), "ws-1").err().unwrap();
        assert!(err.message(crate::Lang::En).contains("cannot record the count of passphrase attempts"), "{err}");
    }
}
