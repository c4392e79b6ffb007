//! Keeps the cached target directory within bounds before a run builds into it.
//!
//! The target directory outlives every clone and every run (`paths::target_dir` says why), and
//! Cargo never removes what an older build left behind: a dependency's previous version, another
//! set of features, a whole tree from the toolchain before the last update. Left alone it grew
//! until CI's disk filled up and the build failed halfway through the tests. So before building,
//! `cargo xtask test` (and `run`) sweeps it:
//!
//! 1. A tree built by another compiler is dead weight (nothing in it is reused): removed whole.
//! 2. When the disk has less free than the run may still write (what a cold build writes, less
//!    what the tree already holds, and at least [`ROOM_TO_GROW`]), the incremental caches go
//!    first (they are rebuilt as needed), then, if that is not enough, the whole tree: a cold
//!    build is slower (about 30 minutes on two cores) but finishes, where a full disk fails.

use std::{
    fs,
    path::{Path, PathBuf},
};

use crate::{
    Result,
    cmd::{cmd, stdout_of},
    paths,
};

/// What a cold `cargo xtask test` writes into the target directory, with a margin: the debug tree
/// (tests, clippy's metadata, the bindings build) and the release build of the app. Measured at
/// 9.3 GiB on 2026-12-06 (5.6 debug, 3.7 release).
const ROOM_TO_BUILD: u64 = 11 * GIB;

/// What a warm run may still add: new incremental sessions, relinked test binaries, the tests'
/// scratch files.
const ROOM_TO_GROW: u64 = 3 * GIB;

const GIB: u64 = 1024 * 1024 * 1024;

/// Where the compiler that built the tree is written down, inside the tree.
const TOOLCHAIN_STAMP: &str = "dangan-toolchain.txt";

/// Sweeps the cached target directory as the module comment says; returns what it did, in a line.
pub fn keep_target_dir_in_bounds() -> Result<String> {
    let target = paths::target_dir();
    let mut done = Vec::new();
    if let Ok(toolchain) = stdout_of(cmd("rustc").arg("-vV")) {
        let stamp = target.join(TOOLCHAIN_STAMP);
        let built_by = fs::read_to_string(&stamp).ok();
        if built_by.as_deref() != Some(toolchain.as_str()) && has_builds(&target) {
            done.push(format!("built by another toolchain (or before it was recorded): {}", remove_tree(&target)));
        }
        fs::create_dir_all(&target).map_err(|err| format!("could not create {}: {err}", target.display()))?;
        fs::write(&stamp, &toolchain).map_err(|err| format!("could not write {}: {err}", stamp.display()))?;
    }
    let Some(free) = free_bytes(&target) else {
        done.push("free space unknown here (no `df`)".to_owned());
        return Ok(done.join("; "));
    };
    let mut free = free;
    let held = tree_bytes(&target).unwrap_or(0);
    if free < still_to_write(held) {
        for incremental in incremental_dirs(&target) {
            if let Err(err) = remove(&incremental) {
                done.push(format!("warning: {err}"));
            }
        }
        free = free_bytes(&target).unwrap_or(free);
        done.push(format!("low on disk: removed the incremental caches, now {} free", gib(free)));
    }
    if free < still_to_write(tree_bytes(&target).unwrap_or(0)) && has_builds(&target) {
        let removed = remove_tree(&target);
        free = free_bytes(&target).unwrap_or(free);
        done.push(format!("still low: {removed}, now {} free", gib(free)));
    }
    let held = tree_bytes(&target);
    let needed = still_to_write(held.unwrap_or(0));
    if free < needed {
        done.push(format!(
            "warning: {} free where this run may write about {}; the build may fail with \"No space left on device\"",
            gib(free),
            gib(needed)
        ));
    }
    let size = held.map(|bytes| format!("{} in the tree, ", gib(bytes))).unwrap_or_default();
    done.push(format!("{size}{} free", gib(free)));
    Ok(done.join("; "))
}

/// What a run may still write into a tree that holds `held` bytes already.
fn still_to_write(held: u64) -> u64 {
    ROOM_TO_BUILD.saturating_sub(held).max(ROOM_TO_GROW)
}

/// Removes the whole tree if it is Cargo's (it holds the `CACHEDIR.TAG` Cargo writes), so that a
/// `CARGO_TARGET_DIR` pointed somewhere else by mistake is never emptied; says what happened.
fn remove_tree(target: &Path) -> String {
    if !target.join("CACHEDIR.TAG").is_file() {
        return format!("left {} alone: it has no CACHEDIR.TAG, so it may not be Cargo's", target.display());
    }
    match remove(target) {
        Ok(()) => "removed the tree".to_owned(),
        // A file in use (Windows) or a permission: the build may still fit, so go on and say it.
        Err(err) => format!("warning: {err}"),
    }
}

/// Whether the tree holds any build (a profile folder), as opposed to nothing or only our stamp.
fn has_builds(target: &Path) -> bool {
    ["debug", "release"].iter().any(|profile| target.join(profile).exists())
}

/// The incremental caches of every profile: `<target>/<profile>/incremental`.
fn incremental_dirs(target: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(target) else { return Vec::new() };
    entries.flatten().map(|entry| entry.path().join("incremental")).filter(|dir| dir.is_dir()).collect()
}

fn remove(dir: &Path) -> Result<()> {
    println!("removing {}", dir.display());
    match fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(format!("could not remove {}: {err}", dir.display())),
    }
}

/// Free bytes on the file system that holds `path` (or its nearest existing ancestor), by POSIX
/// `df -P`; none where there is no `df` (Windows) or its output is not understood.
fn free_bytes(path: &Path) -> Option<u64> {
    let existing = path.ancestors().find(|dir| dir.exists())?;
    let report = stdout_of(cmd("df").arg("-Pk").arg(existing)).ok()?;
    available_kib(&report).map(|kib| kib * 1024)
}

/// The "Available" column (in KiB) of `df -Pk`'s one data line.
fn available_kib(report: &str) -> Option<u64> {
    report.lines().nth(1)?.split_whitespace().nth(3)?.parse().ok()
}

/// The tree's size by `du -sk`, for the log; none where there is no `du`.
fn tree_bytes(target: &Path) -> Option<u64> {
    let report = stdout_of(cmd("du").arg("-sk").arg(target)).ok()?;
    report.split_whitespace().next()?.parse::<u64>().ok().map(|kib| kib * 1024)
}

fn gib(bytes: u64) -> String {
    format!("{:.1} GiB", bytes as f64 / GIB as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_available_column_of_df_is_read_in_kib() {
        let report = "Filesystem     1024-blocks     Used Available Capacity Mounted on\n\
                      /dev/vda        264065288 12345678 83886080      13% /\n";
        assert_eq!(available_kib(report), Some(83_886_080));
        assert_eq!(available_kib("Filesystem 1024-blocks Used Available Capacity Mounted on\n"), None, "no line");
        assert_eq!(available_kib("header\n/dev/vda 1 2 lots 4% /\n"), None, "not a number");
    }

    #[test]
    fn a_warm_tree_needs_room_to_grow_and_an_empty_one_room_for_a_cold_build() {
        assert_eq!(still_to_write(0), ROOM_TO_BUILD);
        assert_eq!(still_to_write(ROOM_TO_BUILD - GIB), ROOM_TO_GROW, "nearly whole: room to grow");
        assert_eq!(still_to_write(20 * GIB), ROOM_TO_GROW, "stale parts do not make room");
        assert_eq!(still_to_write(4 * GIB), ROOM_TO_BUILD - 4 * GIB);
    }

    #[test]
    fn a_tree_with_a_profile_folder_has_builds_and_the_incremental_caches_are_found() {
        let scratch = std::env::temp_dir().join(format!("xtask-disk-{}", std::process::id()));
        fs::create_dir_all(&scratch).unwrap();
        fs::write(scratch.join(TOOLCHAIN_STAMP), "rustc").unwrap();
        assert!(!has_builds(&scratch), "only the stamp: nothing to remove");
        fs::create_dir_all(scratch.join("debug").join("incremental")).unwrap();
        fs::create_dir_all(scratch.join("release").join("deps")).unwrap();
        let found = incremental_dirs(&scratch);
        let built = has_builds(&scratch);
        fs::remove_dir_all(&scratch).ok();
        assert!(built);
        assert_eq!(found, [scratch.join("debug").join("incremental")]);
    }
}
