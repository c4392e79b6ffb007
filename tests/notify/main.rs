//! Real desktop notifications: `dangan remind --notify` talking to a real notification server
//! (dunst) on a private session bus, with `dbus-monitor` recording every `Notify` call.
//!
//! It skips itself unless DANGAN_NOTIFY_TEST=1: `cargo xtask test` runs it under
//! `dbus-run-session` and `xvfb-run` (dunst needs a display), so it never touches the
//! developer's own desktop.

#![allow(clippy::unwrap_used)]

use dangan_tests::TestWorkspace;
use dangan_tests::notifications::NotificationServer;

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
    let server = NotificationServer::start(&log);

    ws.dangan_zh(&["remind", "--notify", "--as-of", "2026-11-24"]).assert().success();
    // The command has exited: every call it made is on the bus before the marker.
    let calls = server.settled_calls();
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
    assert_eq!(server.settled_calls().len(), 2, "nothing was sent twice");

    // Many new at once: one grouped notice with the count and the first names.
    let more = ws.write_csv(
        "more.csv",
        "姓名,学号工号,所在支部,申请入党日期\n甲一,2026011,第二党支部,2026-09-01\n乙二,2026012,第二党支部,2026-09-02\n丙三,2026013,第二党支部,2026-09-03\n丁四,2026014,第二党支部,2026-09-04\n",
    );
    ws.dangan(&["import", more.to_str().unwrap()]).assert().success();
    ws.dangan_zh(&["remind", "--notify", "--as-of", "2026-11-24"]).assert().success();
    let calls = server.settled_calls();
    assert_eq!(calls.len(), 3, "{calls:#?}");
    assert!(calls[2].contains("入党工作提醒：4 项待办"), "{}", calls[2]);
    assert!(calls[2].contains("甲一、乙二、丙三等：4 项已逾期，0 项即将到期"), "{}", calls[2]);
}
