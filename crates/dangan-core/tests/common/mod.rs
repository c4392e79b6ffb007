//! What the store's integration tests share: a fresh encrypted workspace on a fixed "today".

// Each test file uses its own part of this module.
#![allow(dead_code)]

use chrono::NaiveDate;
use dangan_core::keys::KdfParams;
use dangan_core::workspace::NewWorkspace;
use dangan_core::{Store, Workspace};

/// Key derivation cheap enough for tests (the real one takes a deliberate fraction of a second).
pub const CHEAP: KdfParams = KdfParams { memory_kib: 1024, iterations: 1, parallelism: 1 };
pub const PASSPHRASE: &str = "passphrase-for-tests";
/// The day the tests' stores treat as today.
pub const TODAY: &str = "2026-11-24";

pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A new workspace with only its committee, in a temporary folder, its store set to [`TODAY`].
pub fn new_workspace(committee: &str) -> (tempfile::TempDir, Workspace, Store) {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::at(dir.path().join("ws"));
    let mut store = ws.create(&NewWorkspace { kdf: CHEAP, ..NewWorkspace::new(PASSPHRASE, committee) }).unwrap();
    store.set_today(d(TODAY));
    (dir, ws, store)
}
