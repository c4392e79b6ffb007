//! System packages from Debian's archive: what the build needs beyond Rust, installed when we may.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::{
    Result,
    cmd::{cmd, run_command, stdout_of, succeeds},
};

/// What building Dangan needs besides Rust: rusqlite's `bundled-sqlcipher-vendored-openssl`
/// compiles OpenSSL from source, which takes perl, make and a C compiler.
pub const BUILD_PACKAGES: &[&str] = &["perl", "make", "gcc"];

/// What building the Tauri desktop app needs on Linux (WebKitGTK and friends, with headers).
pub const DESKTOP_PACKAGES: &[&str] =
    &["libwebkit2gtk-4.1-dev", "libgtk-3-dev", "libayatana-appindicator3-dev", "librsvg2-dev", "libsoup-3.0-dev"];

/// What the desktop end-to-end test needs to run the app: a virtual X server (`xvfb-run` needs
/// `xauth`), WebKitGTK's WebDriver (which tauri-driver drives), and `dbus-run-session`, so the app's
/// single-instance check talks to a private session bus rather than to a running Dangan's, and a
/// notification server (dunst, watched with dbus-bin's dbus-monitor) for the app's reminders, and
/// a Chinese font, as every Chinese office PC has: without one the screenshots the test takes (and
/// the README shows) are boxes.
pub const E2E_PACKAGES: &[&str] =
    &["xvfb", "xauth", "webkit2gtk-driver", "dbus-daemon", "dbus-bin", "dunst", "fonts-noto-cjk"];

/// What the tests read PDF dossiers back with: poppler's pdftotext, pdffonts, pdfinfo, pdftoppm,
/// pdfimages, and qpdf's structural check.
pub const PDF_TOOLS: &[&str] = &["poppler-utils", "qpdf"];

/// What the tests open the procedure's documents with, as an office would: LibreOffice Writer,
/// headless (`soffice --headless --convert-to txt` proves a .docx opens and reads back its words).
pub const DOC_TOOLS: &[&str] = &["libreoffice-writer-nogui"];

/// What the shared server's tests run: Debian's PostgreSQL (its server binaries, run as the
/// `postgres` user the package makes, since `initdb` refuses root) and openssl, which makes the
/// test cluster's certificate.
pub const SERVER_PACKAGES: &[&str] = &["postgresql", "openssl"];

/// What the notification test needs: a real notification server (dunst, which draws on X, hence
/// the virtual display), a private session bus, and `dbus-monitor`/`dbus-send` to watch it.
pub const NOTIFY_PACKAGES: &[&str] = &["dunst", "dbus-daemon", "dbus-bin", "xvfb", "xauth"];

/// `apt-get update` takes seconds and needs the network: once per xtask run is enough.
static APT_UPDATED: AtomicBool = AtomicBool::new(false);

/// Makes sure the Debian packages `pkgs` are installed.
///
/// Missing ones are installed with apt-get when we are root (the CI machine and containers are);
/// otherwise this fails with the exact `sudo apt-get install` command to run. On systems without
/// dpkg (macOS, Windows, other Linux distributions) it prints what is needed and carries on, since
/// the names and the installer differ there and the build will say what is missing.
pub fn ensure_debian_packages(pkgs: &[&str]) -> Result<()> {
    let list = pkgs.join(" ");
    if !cfg!(target_os = "linux") || !succeeds(cmd("dpkg-query").arg("--version")) {
        println!("note: not a Debian system; make sure these (or your system's equivalents) are installed: {list}");
        return Ok(());
    }
    let missing: Vec<&str> = pkgs.iter().copied().filter(|pkg| !is_installed(pkg)).collect();
    if missing.is_empty() {
        println!("system packages present: {list}");
        return Ok(());
    }
    let missing_list = missing.join(" ");
    if !is_root() {
        return Err(format!(
            "missing system packages: {missing_list}\ninstall them with: sudo apt-get install -y {missing_list}"
        ));
    }
    if !succeeds(cmd("apt-get").arg("--version")) {
        return Err(format!("missing system packages: {missing_list}, and apt-get is not available to install them"));
    }
    println!("installing missing system packages: {missing_list}");
    if !APT_UPDATED.load(Ordering::Relaxed) {
        // A fresh machine or container has empty package lists; install would find nothing.
        run_command(cmd("apt-get").arg("update"))?;
        APT_UPDATED.store(true, Ordering::Relaxed);
    }
    run_command(
        cmd("apt-get")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .args(["install", "-y", "--no-install-recommends"])
            .args(&missing),
    )
}

fn is_installed(pkg: &str) -> bool {
    // An unknown package makes dpkg-query fail, which reads as "not installed" too.
    stdout_of(cmd("dpkg-query").args(["-W", "--showformat=${Status}", pkg]))
        .is_ok_and(|status| status == "install ok installed")
}

fn is_root() -> bool {
    stdout_of(cmd("id").arg("-u")).is_ok_and(|uid| uid == "0")
}
