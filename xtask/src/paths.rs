//! Where things live: the repository root, the cached target directory, the demo workspace, tools.

use std::{
    env,
    ffi::OsString,
    path::{Path, PathBuf},
};

/// The repository root. Every command xtask spawns runs here, whatever directory the caller is in.
pub fn project_root() -> PathBuf {
    // xtask/ sits directly under the root.
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask/ is a folder inside the repository").to_path_buf()
}

/// The target directory every cargo command xtask spawns builds into: `$CARGO_TARGET_DIR` when set,
/// otherwise `dangan/target` in the user's cache directory (see [`cache_dir`]).
///
/// Why outside the clone: CI starts from a clean clone every run, and a clean `target/` means a
/// full build (OpenSSL and SQLCipher alone take minutes on two cores). A cache directory survives
/// the clone, so every build after the first is incremental.
pub fn target_dir() -> PathBuf {
    target_dir_from(&|key| env::var_os(key), &project_root())
}

/// Dangan's cache directory for developer tooling: `$XDG_CACHE_HOME/dangan`, else
/// `~/.cache/dangan`, else (Windows has no `HOME`) `%LOCALAPPDATA%\dangan`.
pub fn cache_dir() -> Option<PathBuf> {
    cache_dir_from(&|key| env::var_os(key))
}

/// The workspace `cargo xtask run` fills with demo data, beside the cached target directory.
///
/// It hangs off [`cache_dir`] rather than `target_dir()/..` so that a `CARGO_TARGET_DIR` inside
/// the repository does not put a workspace (a database) inside the clone.
pub fn demo_workspace() -> PathBuf {
    cache_dir().unwrap_or_else(|| project_root().join("target")).join("demo-workspace")
}

/// Tools xtask installs for itself (tauri-driver), kept beside the target directory so that a
/// clean clone reuses them: `<cache>/tools`, with the binaries in `bin/`.
pub fn tools_dir() -> PathBuf {
    cache_dir().unwrap_or_else(|| project_root().join("target")).join("tools")
}

/// `name` as an executable file name on this OS (`dangan`, `dangan.exe`).
pub fn exe(name: &str) -> String {
    format!("{name}{}", env::consts::EXE_SUFFIX)
}

fn target_dir_from(var: &dyn Fn(&str) -> Option<OsString>, root: &Path) -> PathBuf {
    if let Some(dir) = non_empty(var("CARGO_TARGET_DIR")) {
        // Cargo reads a relative CARGO_TARGET_DIR against its working directory, which for
        // everything xtask spawns is the root; made absolute, the path means the same everywhere.
        return root.join(dir);
    }
    match cache_dir_from(var) {
        Some(cache) => cache.join("target"),
        None => root.join("target"),
    }
}

fn cache_dir_from(var: &dyn Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    // The XDG base directory spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
    if let Some(xdg) = non_empty(var("XDG_CACHE_HOME")).map(PathBuf::from).filter(|dir| dir.is_absolute()) {
        return Some(xdg.join("dangan"));
    }
    if let Some(home) = non_empty(var("HOME")) {
        return Some(PathBuf::from(home).join(".cache").join("dangan"));
    }
    non_empty(var("LOCALAPPDATA")).map(|local| PathBuf::from(local).join("dangan"))
}

/// An empty variable (`CARGO_TARGET_DIR=`) means "unset" to a shell user, so it does here too.
fn non_empty(value: Option<OsString>) -> Option<OsString> {
    value.filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An environment as a test writes it: `(variable, value)` pairs.
    type Vars<'a> = &'a [(&'a str, &'a str)];

    fn env_of<'a>(vars: Vars<'a>) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |key| vars.iter().find(|(k, _)| *k == key).map(|(_, v)| OsString::from(v))
    }

    #[test]
    fn target_dir_follows_the_environment_then_the_cache_then_the_repository() {
        let root = Path::new("/repo");
        let cases: &[(Vars, &str, &str)] = &[
            (&[("CARGO_TARGET_DIR", "/t"), ("HOME", "/h")], "/t", "an explicit CARGO_TARGET_DIR wins"),
            (&[("CARGO_TARGET_DIR", "rel")], "/repo/rel", "a relative CARGO_TARGET_DIR is cargo's, from the root"),
            (&[("CARGO_TARGET_DIR", ""), ("HOME", "/h")], "/h/.cache/dangan/target", "empty means unset"),
            (&[("XDG_CACHE_HOME", "/x"), ("HOME", "/h")], "/x/dangan/target", "XDG_CACHE_HOME before HOME"),
            (&[("XDG_CACHE_HOME", "x"), ("HOME", "/h")], "/h/.cache/dangan/target", "XDG: relative is ignored"),
            (&[("HOME", "/h")], "/h/.cache/dangan/target", "~/.cache is XDG's default"),
            (&[], "/repo/target", "no cache directory at all: cargo's own default"),
        ];
        for (vars, expected, rule) in cases {
            assert_eq!(target_dir_from(&env_of(vars), root), PathBuf::from(expected), "{rule}");
        }
    }

    #[test]
    fn windows_without_home_caches_under_local_app_data() {
        let vars = [("LOCALAPPDATA", "/appdata")];
        assert_eq!(cache_dir_from(&env_of(&vars)), Some(PathBuf::from("/appdata/dangan")));
    }
}
