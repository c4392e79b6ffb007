//! Helpers for the end-to-end tests: the real `dangan` binary, built from the current sources,
//! run on temporary workspaces the way a user or a script runs it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub mod notifications;

/// The passphrase the tests' workspaces use.
pub const PASSPHRASE: &str = "correct horse battery";

/// The `dangan` binary, built once per test run so the tests never run a stale one.
pub fn dangan_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        // The test executable lives in <target>/<profile>/deps/.
        let exe = std::env::current_exe().expect("the test knows its own path");
        let profile_dir = exe.parent().and_then(Path::parent).expect("tests run from <target>/<profile>/deps");
        let target_dir = profile_dir.parent().expect("the profile folder has a parent");
        let mut build = Command::new(env!("CARGO"));
        build.args(["build", "--quiet", "-p", "dangan-cli", "--bin", "dangan", "--target-dir"]).arg(target_dir);
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            build.arg("--release");
        }
        let status = build.status().expect("cargo runs");
        assert!(status.success(), "building dangan failed");
        profile_dir.join(format!("dangan{}", std::env::consts::EXE_SUFFIX))
    })
}

/// A temporary workspace folder and commands aimed at it.
pub struct TestWorkspace {
    pub root: tempfile::TempDir,
}

impl TestWorkspace {
    pub fn new() -> TestWorkspace {
        TestWorkspace { root: tempfile::tempdir().expect("a temporary folder") }
    }

    /// The workspace folder (inside the temporary root, so tests can put files beside it).
    pub fn dir(&self) -> PathBuf {
        self.root.path().join("workspace")
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    /// `dangan --workspace DIR ARGS…` in English, with the test passphrase in the environment.
    pub fn dangan(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::new(dangan_binary());
        cmd.arg("--workspace").arg(self.dir()).args(args);
        cmd.env("DANGAN_PASSPHRASE", PASSPHRASE)
            .env("LANG", "en_US.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES");
        cmd
    }

    /// The same in Chinese.
    pub fn dangan_zh(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = self.dangan(args);
        cmd.env("LANG", "zh_CN.UTF-8");
        cmd
    }

    /// A workspace that has been initialised.
    pub fn initialised() -> TestWorkspace {
        let ws = TestWorkspace::new();
        ws.dangan(&["init", "--committee", "中共测试大学委员会"]).assert().success();
        ws
    }

    /// `members --json` parsed.
    pub fn members_json(&self, args: &[&str]) -> Vec<serde_json::Value> {
        let mut all = vec!["members", "--json"];
        all.extend_from_slice(args);
        let out = self.dangan(&all).output().expect("dangan runs");
        assert!(out.status.success(), "members failed: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("members --json prints JSON")
    }

    /// Writes a CSV roster (UTF-8) beside the workspace.
    pub fn write_csv(&self, name: &str, content: &str) -> PathBuf {
        let path = self.file(name);
        std::fs::write(&path, content).expect("write the roster");
        path
    }
}

impl Default for TestWorkspace {
    fn default() -> Self {
        TestWorkspace::new()
    }
}

/// Every file under `dir`, with its bytes.
pub fn files_with_contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read the folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("read the file");
                out.push((path, bytes));
            }
        }
    }
    out.sort();
    out
}

/// Whether `needle` occurs in `haystack`.
pub fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
