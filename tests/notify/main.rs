//! Real desktop notifications: `dangan remind --notify` talking to a real notification server
//! (dunst) on a private session bus, with `dbus-monitor` recording every `Notify` call.
//!
//! It skips itself unless DANGAN_NOTIFY_TEST=1: `cargo xtask test` runs it under
//! `dbus-run-session` and `xvfb-run` (dunst needs a display), so it never touches the
//! developer's own desktop.

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dangan_tests::TestWorkspace;

/// A background process stopped when the test ends, however it ends.
struct Background(Child);

impl Drop for Background {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

fn until(what: &str, timeout: Duration, mut ready: impl FnMut() -> bool) {
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

/// Starts the notification server and a monitor writing every `Notify` call to `log`.
fn notification_server(log: &Path) -> (Background, Background) {
    let dunst = Background(Command::new("dunst").stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap());
    until("dunst to own org.freedesktop.Notifications", Duration::from_secs(10), server_answers);
    let out = std::fs::File::create(log).unwrap();
    let monitor = Background(
        Command::new("dbus-monitor")
            .args(["--session", "interface='org.freedesktop.Notifications',member='Notify'"])
            .stdout(out)
            .spawn()
            .unwrap(),
    );
    // dbus-monitor drops its bus name once it has become a monitor: from then on it sees every call.
    until("dbus-monitor to start monitoring", Duration::from_secs(10), || {
        std::fs::read_to_string(log).is_ok_and(|s| s.contains("NameLost"))
    });
    (dunst, monitor)
}

fn notify_calls(log: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(log).unwrap();
    text.split("method call").filter(|call| call.contains("member=Notify")).map(str::to_owned).collect()
}

#[test]
fn reminders_reach_a_real_notification_server_once() {
    if std::env::var_os("DANGAN_NOTIFY_TEST").is_none() {
        eprintln!("skipped: set DANGAN_NOTIFY_TEST=1 under dbus-run-session and a display (cargo xtask test does)");
        return;
    }
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv(
        "roster.csv",
        "姓名,学号工号,所在支部,申请入党日期\n未谈话,2026001,第一党支部,2026-10-01\n刚申请,2026002,第一党支部,2026-11-20\n",
    );
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let log = ws.file("notify.log");
    let (_dunst, _monitor) = notification_server(&log);

    ws.dangan_zh(&["remind", "--notify", "--as-of", "2026-11-24"]).assert().success();
    until("two Notify calls", Duration::from_secs(10), || notify_calls(&log).len() >= 2);
    let calls = notify_calls(&log);
    assert_eq!(calls.len(), 2, "{calls:#?}");
    let overdue = calls.iter().find(|c| c.contains("入党工作提醒：未谈话")).expect("a notice naming 未谈话");
    assert!(overdue.contains("与入党申请人谈话 · 已逾期 23 天（应于2026年11月1日前完成） · 第一党支部"), "{overdue}");
    assert!(overdue.contains("Dangan 档案"), "the app name: {overdue}");
    assert!(calls.iter().any(|c| c.contains("入党工作提醒：刚申请") && c.contains("还有 26 天到期")), "{calls:#?}");

    // A second check the same day, as after a restart: nothing new is sent.
    ws.dangan_zh(&["remind", "--notify", "--as-of", "2026-11-24"])
        .assert()
        .success()
        .stdout(predicates::str::contains("没有新的提醒"));
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(notify_calls(&log).len(), 2, "nothing was sent twice");

    // Many new at once: one grouped notice with the count and the first names.
    let more = ws.write_csv(
        "more.csv",
        "姓名,学号工号,所在支部,申请入党日期\n甲一,2026011,第二党支部,2026-09-01\n乙二,2026012,第二党支部,2026-09-02\n丙三,2026013,第二党支部,2026-09-03\n丁四,2026014,第二党支部,2026-09-04\n",
    );
    ws.dangan(&["import", more.to_str().unwrap()]).assert().success();
    ws.dangan_zh(&["remind", "--notify", "--as-of", "2026-11-24"]).assert().success();
    until("a third Notify call", Duration::from_secs(10), || notify_calls(&log).len() >= 3);
    std::thread::sleep(Duration::from_millis(300));
    let calls = notify_calls(&log);
    assert_eq!(calls.len(), 3, "{calls:#?}");
    assert!(calls[2].contains("入党工作提醒：4 项待办"), "{}", calls[2]);
    assert!(calls[2].contains("甲一、乙二、丙三等：4 项已逾期，0 项即将到期"), "{}", calls[2]);
}
