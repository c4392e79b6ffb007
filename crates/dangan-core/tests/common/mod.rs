//! What the store's integration tests share: a fresh encrypted workspace on a fixed "today".

// Each test file uses its own part of this module.
#![allow(dead_code)]

use chrono::NaiveDate;
use dangan_core::keys::KdfParams;
use dangan_core::workspace::NewWorkspace;
use dangan_core::{Store, Workspace};

pub mod office;
pub mod package;

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

/// A check that cannot run here (a tool missing): under CI (`CI` set) a failure naming why, since
/// a green run must prove what it says; elsewhere a note that it was skipped.
pub fn cannot_run(why: &str) {
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!("this test could not run under CI: {why}");
    }
    eprintln!("skipped: {why}");
}
