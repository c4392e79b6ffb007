//! Helpers for the end-to-end tests: the real `dangan` binary, built from the current sources,
//! run on temporary workspaces the way a user or a script runs it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub mod notifications;
pub mod postgres;

/// The passphrase the tests' workspaces use.
pub const PASSPHRASE: &str = "correct horse battery";

/// The `dangan` binary of this test run, never a stale one:
/// - for the CLI's tests (declared in `crates/dangan-cli`), the one Cargo built with them, which it
///   names in `CARGO_BIN_EXE_dangan`;
/// - for the notification and desktop tests, the one `cargo xtask test` names in
///   [`BINARY_VAR`], built by the same run's `cargo test --workspace`;
/// - otherwise (one of those tests run by hand) built here, once per test run.
pub fn dangan_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let given = std::env::var_os("CARGO_BIN_EXE_dangan").or_else(|| std::env::var_os(BINARY_VAR));
        if let Some(binary) = given.filter(|path| !path.is_empty()) {
            return PathBuf::from(binary);
        }
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

/// Where `cargo xtask test` tells the notification and desktop tests which `dangan` to run.
pub const BINARY_VAR: &str = "DANGAN_TEST_BINARY";

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

/// The text of a PDF as poppler's pdftotext reads it (UTF-8); `layout` keeps a table's columns
/// on their lines.
pub fn pdftotext(pdf: &Path, layout: bool) -> String {
    let mut command = std::process::Command::new("pdftotext");
    if layout {
        command.args(["-layout", "-enc", "UTF-8"]);
    }
    let out = command
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs (apt-get install -y poppler-utils; cargo xtask test installs it)");
    assert!(out.status.success(), "pdftotext failed on {}", pdf.display());
    String::from_utf8(out.stdout).expect("pdftotext writes UTF-8")
}

/// A test that cannot run here (no root to mount, a tool missing): under CI (`CI` set, as
/// `.ci/run` runs) that is a failure naming why, since a green run must prove what it says;
/// elsewhere the test says it skipped and returns.
pub fn cannot_run(why: &str) {
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!("this test could not run under CI: {why}");
    }
    eprintln!("skipped: {why}");
}

/// A small tmpfs of its own, unmounted when dropped. `None` where mounting is not allowed (not
/// root); the caller says so through [`cannot_run`].
pub struct Tmpfs(pub PathBuf);

impl Tmpfs {
    pub fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(at.to_owned()))
    }

    /// Makes the file system read-only, as a CD, a locked USB stick or a read-only share is.
    pub fn make_read_only(&self) {
        let status = Command::new("mount").args(["-o", "remount,ro"]).arg(&self.0).status().expect("mount runs");
        assert!(status.success(), "remounting read-only failed");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// The words of a .docx as LibreOffice Writer reads them (`soffice --headless --convert-to txt`),
/// proving the file opens in the office suite an office might use. Each call has a LibreOffice
/// profile of its own, so that tests can convert side by side.
pub fn libreoffice_text(docx: &Path) -> String {
    libreoffice_texts(&[docx]).pop().expect("one text for one document")
}

/// [`libreoffice_text`] of several documents, in order, converted by one LibreOffice start
/// (seconds each). Their file names must differ.
pub fn libreoffice_texts(docs: &[&Path]) -> Vec<String> {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let profile = format!("-env:UserInstallation=file://{}", scratch.path().join("profile").display());
    let out_dir = scratch.path().join("out");
    let status = Command::new("soffice")
        .args([profile.as_str(), "--headless", "--convert-to", "txt:Text (encoded):UTF8", "--outdir"])
        .arg(&out_dir)
        .args(docs)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("soffice runs (apt-get install -y libreoffice-writer-nogui; cargo xtask test installs it)");
    assert!(status.success(), "LibreOffice could not convert {docs:?}");
    docs.iter()
        .map(|docx| {
            let stem = docx.file_stem().expect("the document has a name");
            let text = out_dir.join(stem).with_extension("txt");
            std::fs::read_to_string(&text)
                .unwrap_or_else(|e| panic!("LibreOffice could not open {}: {e}", docx.display()))
        })
        .collect()
}

/// How many table rows a .docx's body has (`<w:tr>` elements of `word/document.xml`).
pub fn docx_table_rows(docx: &Path) -> usize {
    let file = std::fs::File::open(docx).unwrap_or_else(|e| panic!("{}: {e}", docx.display()));
    let mut archive = zip::ZipArchive::new(file).expect("a .docx is a zip archive");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").expect("it has a body"), &mut xml)
        .expect("its body is text");
    xml.matches("<w:tr>").count() + xml.matches("<w:tr ").count()
}
