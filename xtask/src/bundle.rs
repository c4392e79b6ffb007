//! `cargo xtask bundle`: the Linux installers, made by the Tauri bundler: a `.deb` (Debian, Ubuntu,
//! and the Debian-based Kylin and UOS office machines) and, where its tools can be had, an AppImage.
//!
//! The Tauri CLI is `@tauri-apps/cli`, a devDependency of `ui/`, so npm installs the version the lock
//! file pins. xtask builds the UI first (no `beforeBuildCommand` is configured); the CLI then builds
//! the release binary into the cached target directory and bundles it. The Windows installers are
//! made on Windows with the same CLI; the README says how.

use std::{
    env, fs,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use crate::{
    Result,
    cmd::{display, heading, locked, run_command, stdout_of},
    debian::{BUILD_PACKAGES, DESKTOP_PACKAGES, ensure_debian_packages},
    desktop, paths, ui,
};

/// The feature a release build needs to serve `ui/dist` from inside the binary. The CLI enables
/// `tauri/custom-protocol` by itself; naming the package's own feature as well gives the exact
/// feature set of `desktop::build_release`, so the two share one build in the cached target dir.
const FEATURES: &str = "custom-protocol";

/// The binary the `.deb` installs as `/usr/bin/<name>` (tauri.conf.json, `mainBinaryName`).
const BINARY: &str = "dangan-desktop";
/// The command-line tool installed beside it, `/usr/bin/dangan`.
const CLI_BINARY: &str = "dangan";

/// A Tauri configuration fragment (merged by `--config`) that puts one extra file into the `.deb`.
/// xtask has no JSON library; the two strings are escaped by hand (paths hold no control characters).
fn deb_files_config(install_as: &str, from: &Path) -> String {
    let escape = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        r#"{{"bundle":{{"linux":{{"deb":{{"files":{{"{}":"{}"}}}}}}}}}}"#,
        escape(install_as),
        escape(&from.display().to_string())
    )
}

pub fn bundle() -> Result<()> {
    if !cfg!(target_os = "linux") {
        return Err("`cargo xtask bundle` makes the Linux installers and runs on Linux; \
                    the README says how to make the Windows installer on Windows"
            .to_owned());
    }
    ensure_debian_packages(BUILD_PACKAGES)?;
    ensure_debian_packages(DESKTOP_PACKAGES)?;
    heading("build the UI");
    desktop::build_ui()?;

    heading("build the release app (Tauri CLI)");
    let mut build = tauri();
    build.args(["build", "--ci", "--no-bundle", "--features", FEATURES]);
    if !locked().is_empty() {
        // After `--`, the CLI hands the arguments to `cargo build`.
        build.arg("--").args(locked());
    }
    run_command(&mut build)?;

    // The `dangan` command goes into the same package: OS schedulers run `dangan remind`.
    heading("build the dangan command");
    run_command(crate::cmd::cargo().args(["build", "--release", "-p", "dangan-cli"]).args(locked()))?;

    // The release profile keeps line tables for profiling; an installer needs none of it.
    heading("strip the binaries for the installers");
    let release = paths::target_dir().join("release");
    for name in [BINARY, CLI_BINARY] {
        let binary = release.join(name);
        let before = fs::metadata(&binary).map_err(|err| format!("no {}: {err}", binary.display()))?.len();
        run_command(Command::new("strip").arg("--strip-debug").arg(&binary))?;
        let after = fs::metadata(&binary).map_err(|err| format!("no {}: {err}", binary.display()))?.len();
        println!("{}: {} → {}", binary.display(), mebibytes(before), mebibytes(after));
    }

    heading("the .deb (Tauri bundler)");
    // The CLI's path is this machine's, so it is given here rather than in tauri.conf.json.
    let files = deb_files_config(&format!("/usr/bin/{CLI_BINARY}"), &release.join(CLI_BINARY));
    run_command(tauri().args(["bundle", "--ci", "--bundles", "deb", "--features", FEATURES, "--config", &files]))?;

    heading("check the .deb");
    let bundle_dir = paths::target_dir().join("release").join("bundle");
    let deb = newest_with_extension(&bundle_dir.join("deb"), "deb")?;
    println!("{}", check_deb(&deb)?);

    heading("AppImage (Tauri bundler)");
    let appimage = appimage(&bundle_dir)?;

    heading("installers");
    println!(".deb:     {}", deb.display());
    match appimage {
        Some(path) => println!("AppImage: {}", path.display()),
        None => println!("AppImage: not made (see the note above)"),
    }
    Ok(())
}

/// The Tauri CLI from `ui/node_modules`, pointed at the app in `src-tauri/` (it would otherwise
/// look for `tauri.conf.json` below its working directory, `ui/`), building into the cached target
/// directory.
fn tauri() -> Command {
    let root = paths::project_root();
    // `--no`: never fetch a CLI from the registry; the one `npm ci` installed is the pinned one.
    let mut command = ui::npm();
    command
        .args(["exec", "--no", "--", "tauri"])
        .env("TAURI_APP_PATH", root.join("src-tauri"))
        .env("TAURI_FRONTEND_PATH", ui::ui_dir())
        .env("CARGO_TARGET_DIR", paths::target_dir());
    command
}

/// Tries the AppImage once, from the binary `tauri build` just made (`tauri bundle` does not
/// rebuild). The bundler downloads AppRun and linuxdeploy from GitHub unless they are in its tools
/// directory already; when that download fails, this says what to provide and returns `None`, since
/// the `.deb` does not depend on it. Any other failure is an error.
fn appimage(bundle_dir: &Path) -> Result<Option<PathBuf>> {
    let Some(arch) = appimage_arch() else {
        println!("note: no AppImage: the Tauri bundler makes AppImages on x86_64 and aarch64 only");
        return Ok(None);
    };
    let mut command = tauri();
    command.args(["bundle", "--ci", "--bundles", "appimage", "--features", FEATURES]);
    let shown = display(&command);
    println!("$ {shown}");
    // Captured rather than shown live, to tell a failed download from any other failure.
    let output = command.stdin(Stdio::null()).output().map_err(|err| format!("could not start `{shown}`: {err}"))?;
    let log = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    print!("{log}");
    if output.status.success() {
        return newest_with_extension(&bundle_dir.join("appimage"), "AppImage").map(Some);
    }
    if !failed_downloading_from_github(&log) {
        return Err(format!("`{shown}` failed ({}); the .deb was made: {}", output.status, bundle_dir.display()));
    }
    let tools = tauri_tools_dir().map_or_else(|| "~/.cache/tauri".to_owned(), |dir| dir.display().to_string());
    println!(
        "\nnote: no AppImage: the Tauri bundler (@tauri-apps/cli 2.12) downloads its AppImage tools from GitHub, \
         which this machine cannot reach. It needs, as executable files in {tools}:\n\
         \x20 AppRun-{arch}                          from https://github.com/tauri-apps/binary-releases/releases/download/apprun-old/AppRun-{arch}\n\
         \x20 linuxdeploy-07333c6-{arch}.AppImage    from https://github.com/tauri-apps/binary-releases/releases/download/linuxdeploy-07333c6/linuxdeploy-{arch}.AppImage\n\
         \x20 linuxdeploy-plugin-appimage.AppImage   (optional; else linuxdeploy's built-in one) from \
         https://github.com/linuxdeploy/linuxdeploy-plugin-appimage/releases/download/continuous/linuxdeploy-plugin-appimage-{arch}.AppImage\n\
         Copy them there from a machine that can reach GitHub (the bundler uses files it finds and downloads \
         only missing ones), or set TAURI_BUNDLER_TOOLS_GITHUB_MIRROR (a GitHub mirror's base URL) or \
         TAURI_BUNDLER_TOOLS_GITHUB_MIRROR_TEMPLATE, then run `cargo xtask bundle` again. The .deb does not need them."
    );
    Ok(None)
}

/// The architecture name in the bundler's AppImage tool names, for the machines it supports.
fn appimage_arch() -> Option<&'static str> {
    match env::consts::ARCH {
        arch @ ("x86_64" | "aarch64") => Some(arch),
        _ => None,
    }
}

/// Whether the bundler's log shows that it failed while fetching a tool from GitHub: the last
/// thing it started was a download from GitHub, and it then stopped with an I/O error.
fn failed_downloading_from_github(log: &str) -> bool {
    let Some(download) = log.lines().rev().find(|line| line.trim_start().starts_with("Downloading ")) else {
        return false;
    };
    let from_github = download.contains("://github.com/") || download.contains("githubusercontent.com/");
    let after = &log[log.rfind(download).unwrap_or(0)..];
    from_github && !after.contains("Bundling ") && after.contains("failed to bundle project")
}

/// The Tauri bundler's tools directory on Linux: the user's cache directory (`$XDG_CACHE_HOME`,
/// else `~/.cache`) and `tauri` in it, unless `bundle.useLocalToolsDir` is set (it is not).
fn tauri_tools_dir() -> Option<PathBuf> {
    let xdg = env::var_os("XDG_CACHE_HOME").map(PathBuf::from).filter(|dir| dir.is_absolute());
    let cache =
        xdg.or_else(|| env::var_os("HOME").filter(|home| !home.is_empty()).map(|home| Path::new(&home).join(".cache")));
    cache.map(|cache| cache.join("tauri"))
}

/// The most recently written `*.<extension>` file in `dir` (older versions' installers stay there
/// until someone removes them).
fn newest_with_extension(dir: &Path, extension: &str) -> Result<PathBuf> {
    let entries = fs::read_dir(dir).map_err(|err| format!("could not read {}: {err}", dir.display()))?;
    entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == extension))
        .filter_map(|path| Some((fs::metadata(&path).and_then(|meta| meta.modified()).ok()?, path)))
        .max()
        .map(|(_, path)| path)
        .ok_or_else(|| format!("no .{extension} file in {}", dir.display()))
}

/// Checks the `.deb` with dpkg-deb: its control fields, that it installs the binary, a `.desktop`
/// file and icons, and (unpacked into a temporary folder) that the binary is an ELF executable.
/// Returns a one-line summary.
fn check_deb(deb: &Path) -> Result<String> {
    let info = stdout_of(Command::new("dpkg-deb").arg("--info").arg(deb))?;
    println!("{info}");
    let field = |name: &str| control_field(&info, name).unwrap_or_else(|| "?".to_owned());
    let listing = stdout_of(Command::new("dpkg-deb").arg("--contents").arg(deb))?;
    let contents = Contents::from_listing(&listing);
    for path in &contents.paths {
        println!("  {path}");
    }
    contents.check()?;
    check_binary(deb)?;

    let size = fs::metadata(deb).map_err(|err| format!("could not read {}: {err}", deb.display()))?.len();
    let name = deb.file_name().unwrap_or_default().to_string_lossy();
    Ok(format!(
        "ok: {name}, {}: package {} {} ({}), Depends: {}; installs /usr/bin/{BINARY} (ELF executable), /usr/bin/{CLI_BINARY}, {}, {} icons",
        mebibytes(size),
        field("Package"),
        field("Version"),
        field("Architecture"),
        field("Depends"),
        contents.desktop_files.join(", "),
        contents.icons,
    ))
}

/// Unpacks the `.deb` into a temporary folder (`dpkg -x`, which installs nothing) and checks that
/// its binary is an executable ELF file.
fn check_binary(deb: &Path) -> Result<()> {
    let unpacked = env::temp_dir().join(format!("dangan-bundle-check-{}", std::process::id()));
    fs::remove_dir_all(&unpacked).ok();
    let result = (|| {
        stdout_of(Command::new("dpkg").arg("-x").arg(deb).arg(&unpacked))?;
        let binary = unpacked.join("usr/bin").join(BINARY);
        let bytes = fs::read(&binary).map_err(|err| format!("could not read {}: {err}", binary.display()))?;
        if !bytes.starts_with(b"\x7fELF") {
            return Err(format!("{} in the .deb is not an ELF file", binary.display()));
        }
        if !is_executable(&binary) {
            return Err(format!("{} in the .deb is not executable", binary.display()));
        }
        Ok(())
    })();
    fs::remove_dir_all(&unpacked).ok();
    result
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|meta| meta.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(_: &Path) -> bool {
    true
}

/// What a `.deb` installs, from `dpkg-deb --contents`.
struct Contents {
    /// Every file (not folder), as an absolute path: `/usr/bin/dangan-desktop`.
    paths: Vec<String>,
    /// The file names of `/usr/share/applications/*.desktop`.
    desktop_files: Vec<String>,
    /// How many `/usr/share/icons/hicolor/<size>/apps/<binary>.png` there are.
    icons: usize,
}

impl Contents {
    /// Reads `dpkg-deb --contents` (tar's verbose listing: mode, owner, size, date, time, path).
    fn from_listing(listing: &str) -> Self {
        let paths: Vec<String> = listing
            .lines()
            .filter(|line| !line.starts_with('d'))
            .filter_map(|line| line.split_whitespace().nth(5))
            .map(|path| format!("/{}", path.trim_start_matches("./").trim_start_matches('/')))
            .collect();
        let desktop_files = paths
            .iter()
            .filter_map(|path| path.strip_prefix("/usr/share/applications/"))
            .filter(|name| name.ends_with(".desktop"))
            .map(str::to_owned)
            .collect();
        let icon = format!("/apps/{BINARY}.png");
        let icons =
            paths.iter().filter(|path| path.starts_with("/usr/share/icons/hicolor/") && path.ends_with(&icon)).count();
        Self { paths, desktop_files, icons }
    }

    fn check(&self) -> Result<()> {
        for name in [BINARY, CLI_BINARY] {
            let binary = format!("/usr/bin/{name}");
            if !self.paths.contains(&binary) {
                return Err(format!("the .deb does not install {binary}"));
            }
        }
        if self.desktop_files.is_empty() {
            return Err("the .deb installs no /usr/share/applications/*.desktop file".to_owned());
        }
        if self.icons == 0 {
            return Err(format!("the .deb installs no icon (/usr/share/icons/hicolor/*/apps/{BINARY}.png)"));
        }
        Ok(())
    }
}

/// A field of the control file as `dpkg-deb --info` prints it (indented one space).
fn control_field(info: &str, name: &str) -> Option<String> {
    let prefix = format!("{name}:");
    info.lines().find_map(|line| line.trim_start().strip_prefix(&prefix)).map(|value| value.trim().to_owned())
}

fn mebibytes(bytes: u64) -> String {
    // Display only: the precision of f64 is more than enough.
    #[allow(clippy::cast_precision_loss)]
    let mib = bytes as f64 / (1024.0 * 1024.0);
    format!("{mib:.1} MiB")
}

#[cfg(test)]
mod tests {
    use super::*;

    const INFO: &str = " new Debian package, version 2.0.
 size 35755108 bytes: control archive=607 bytes.
     363 bytes,     9 lines      control
 Package: dangan
 Version: 0.1.0
 Architecture: amd64
 Depends: libwebkit2gtk-4.1-0, libgtk-3-0
 Description: 档案
";

    const LISTING: &str = "\
drwxr-xr-x 0/0               0 2026-11-24 19:06 usr
drwxr-xr-x 0/0               0 2026-11-24 19:06 usr/share/icons/hicolor/32x32/apps
-rw-r--r-- 0/0            1672 2026-11-24 19:06 usr/share/icons/hicolor/32x32/apps/dangan-desktop.png
-rw-r--r-- 0/0            6230 2026-11-24 19:06 ./usr/share/icons/hicolor/128x128/apps/dangan-desktop.png
-rw-r--r-- 0/0             212 2026-11-24 19:06 usr/share/applications/Dangan.desktop
-rwxr-xr-x 0/0       149581536 2026-11-24 19:06 usr/bin/dangan-desktop
-rwxr-xr-x 0/0        12345678 2026-11-24 19:06 usr/bin/dangan
";

    #[test]
    fn control_fields_are_read_from_dpkg_deb_info() {
        assert_eq!(control_field(INFO, "Package").as_deref(), Some("dangan"));
        assert_eq!(control_field(INFO, "Depends").as_deref(), Some("libwebkit2gtk-4.1-0, libgtk-3-0"));
        assert_eq!(control_field(INFO, "Recommends"), None);
    }

    #[test]
    fn a_deb_with_the_binary_a_desktop_file_and_icons_passes() {
        let contents = Contents::from_listing(LISTING);
        assert_eq!(contents.desktop_files, ["Dangan.desktop"]);
        assert_eq!(contents.icons, 2, "with or without tar's leading ./");
        assert!(contents.paths.contains(&"/usr/bin/dangan-desktop".to_owned()));
        assert!(!contents.paths.contains(&"/usr".to_owned()), "folders are not files");
        assert!(contents.check().is_ok());
    }

    #[test]
    fn a_deb_missing_the_binary_the_desktop_file_or_icons_fails() {
        for missing in ["usr/bin/dangan-desktop", " usr/bin/dangan", "Dangan.desktop", "apps/dangan-desktop.png"] {
            let listing: String =
                LISTING.lines().filter(|line| !line.ends_with(missing)).map(|l| format!("{l}\n")).collect();
            assert!(Contents::from_listing(&listing).check().is_err(), "without {missing}");
        }
    }

    #[test]
    fn only_a_failed_github_download_explains_a_missing_appimage() {
        let offline = " Downloading https://github.com/tauri-apps/binary-releases/releases/download/apprun-old/AppRun-x86_64\n\
                       failed to bundle project: `io: failed to lookup address information`\n";
        assert!(failed_downloading_from_github(offline));
        let optional_plugin_then_linuxdeploy_failed = " Downloading https://github.com/linuxdeploy/x.AppImage\n\
                       Error Download of AppImage plugin failed. Using older built-in version instead.\n\
                       Bundling Dangan_0.1.0_amd64.AppImage\n\
                       failed to bundle project: `failed to run linuxdeploy`\n";
        assert!(!failed_downloading_from_github(optional_plugin_then_linuxdeploy_failed));
        assert!(!failed_downloading_from_github("failed to bundle project: `No such file or directory`\n"));
    }
}
