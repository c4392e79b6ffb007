//! A real notification server for the tests: dunst, on the session bus the test runs under (the
//! test is started inside `dbus-run-session` with a display), and `dbus-monitor` writing every
//! `Notify` call to a log the test reads.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A background process stopped when the test ends, however it ends.
struct Background(Child);

impl Drop for Background {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

/// dunst and a monitor of its `Notify` calls; both stop when this is dropped.
pub struct NotificationServer {
    log: PathBuf,
    _dunst: Background,
    _monitor: Background,
}

/// Polls `ready` every 50 ms; panics naming `what` after `timeout`.
pub fn until(what: &str, timeout: Duration, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(start.elapsed() < timeout, "timed out after {timeout:?} waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn server_answers() -> bool {
    Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.Notifications",
            "/org/freedesktop/Notifications",
            "org.freedesktop.Notifications.GetServerInformation",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl NotificationServer {
    /// Starts dunst and a monitor writing to `log`, and waits until both are ready.
    pub fn start(log: &Path) -> NotificationServer {
        let dunst = Background(
            Command::new("dunst")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("dunst starts (Debian package dunst)"),
        );
        until("dunst to own org.freedesktop.Notifications", Duration::from_secs(10), server_answers);
        let out = std::fs::File::create(log).expect("the monitor's log can be created");
        let monitor = Background(
            Command::new("dbus-monitor")
                .args(["--session", "interface='org.freedesktop.Notifications',member='Notify'"])
                .stdout(out)
                .spawn()
                .expect("dbus-monitor starts (Debian package dbus-bin)"),
        );
        // dbus-monitor drops its bus name once it has become a monitor: from then on it sees every call.
        until("dbus-monitor to start monitoring", Duration::from_secs(10), || {
            std::fs::read_to_string(log).is_ok_and(|s| s.contains("NameLost"))
        });
        NotificationServer { log: log.to_owned(), _dunst: dunst, _monitor: monitor }
    }

    /// Every `Notify` call so far, as dbus-monitor printed it (summary and body among its strings).
    pub fn calls(&self) -> Vec<String> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        text.split("method call")
            .filter(|call| call.contains("member=Notify") && !call.contains(MARKER))
            .map(str::to_owned)
            .collect()
    }

    /// Every `Notify` call made before this moment, once the monitor has logged them all: a marker
    /// call is sent on the bus and waited for, and the bus delivers calls in order, so whatever was
    /// sent before it (by a process that has since exited, say) is in the log when it is. This is
    /// how a test knows that *nothing more* was sent, without sleeping.
    pub fn settled_calls(&self) -> Vec<String> {
        let marker = format!("{MARKER}{}", SETTLES.fetch_add(1, std::sync::atomic::Ordering::SeqCst));
        let sent = Command::new("dbus-send")
            .args([
                "--session",
                "--type=method_call",
                "--dest=org.freedesktop.Notifications",
                "/org/freedesktop/Notifications",
                "org.freedesktop.Notifications.Notify",
                &format!("string:{marker}"),
            ])
            .status()
            .expect("dbus-send runs (Debian package dbus-bin)");
        assert!(sent.success(), "the marker call was sent");
        until("the monitor to log the marker call", Duration::from_secs(10), || {
            std::fs::read_to_string(&self.log).is_ok_and(|s| s.contains(&marker))
        });
        self.calls()
    }
}

/// What the marker calls of [`NotificationServer::settled_calls`] carry; never a reminder's text.
const MARKER: &str = "dangan-test-settle-";
static SETTLES: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
