//! The reminder clock: while the app runs (its window open or only its tray icon), it checks for
//! new reminders when the records are unlocked, then every hour on the hour, which includes
//! midnight, when a new day's deadlines fall due. What to send is dangan-core's decision
//! (`Session::reminders_due`, `reminders::notices`); this module only keeps time and delivers.
//!
//! A reminder is recorded as sent only after the notification service took it, so with no
//! service running (a bare session) the next check tries again rather than losing it. Clicking a
//! notice about one member shows the window and asks the UI to open that member.
//!
//! The same clock makes the day's automatic backup, when those are on: at the first check of the
//! day with the records unlocked.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{Local, Timelike};
use tauri::{AppHandle, Emitter, Manager};

use dangan_core::reminders::Reminding;

use crate::shell::{Opened, Shell};

/// The event the UI listens for to open a member a notification was about.
pub const OPEN_MEMBER_EVENT: &str = "open-member";
/// Asks the UI to open a unit's organisational life (a clicked reminder of a meeting it owes).
pub const OPEN_UNIT_EVENT: &str = "open-unit";

/// How often the clock looks at the time: often enough to notice an unlock or the hour turning.
/// The end-to-end test shortens it with `DANGAN_REMINDER_TICK_MS`.
fn tick() -> Duration {
    std::env::var("DANGAN_REMINDER_TICK_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(Duration::from_secs(20), Duration::from_millis)
}

/// Set to check at the next tick (after an unlock, or from the tray's "check now").
static CHECK_SOON: AtomicBool = AtomicBool::new(true);
static STARTED: OnceLock<()> = OnceLock::new();

/// Asks for a check at the next tick.
pub fn check_soon() {
    CHECK_SOON.store(true, Ordering::SeqCst);
}

/// Starts the clock on its own thread (once per process).
pub fn start(app: AppHandle, shell: Shell) {
    if STARTED.set(()).is_err() {
        return;
    }
    std::thread::Builder::new()
        .name("reminders".into())
        .spawn(move || {
            let mut last_hour: Option<Hour> = None;
            loop {
                let now = Local::now();
                let hour = (now.date_naive(), now.hour());
                if check_due(last_hour, hour, CHECK_SOON.swap(false, Ordering::SeqCst)) {
                    last_hour = Some(hour);
                    check(&app, &shell);
                    make_daily_backup(&shell);
                }
                std::thread::sleep(tick());
            }
        })
        .map_err(|err| tracing::error!("could not start the reminder clock: {err}"))
        .ok();
}

/// An hour of a day, as the clock compares them.
type Hour = (chrono::NaiveDate, u32);

/// Whether the clock checks now: when asked (after an unlock, from the tray), at its first tick,
/// and whenever the hour has turned since the last check, which includes midnight.
fn check_due(last: Option<Hour>, now: Hour, asked: bool) -> bool {
    asked || last != Some(now)
}

/// Emitted after each check of an unlocked workspace, with the tally since unlocking
/// (`RemindersChecked`).
pub const REMINDERS_CHECKED_EVENT: &str = "reminders-checked";

/// Set once the worker has been told that a locked Dangan cannot remind (per run of the app).
static TOLD_LOCKED: AtomicBool = AtomicBool::new(false);

/// Sends what is new (the notification service is asked for only when something is due).
fn deliver_new(
    kept: &mut impl Reminding,
    today: dangan_core::calendar::Date,
    lang: dangan_core::Lang,
    send: impl FnMut(&dangan_core::reminders::Notice) -> dangan_core::Result<()>,
) -> dangan_core::Result<Vec<dangan_core::reminders::Reminder>> {
    if kept.due(today)?.is_empty() {
        return Ok(Vec::new());
    }
    dangan_notify::server()?;
    kept.deliver(today, lang, send)
}

/// One check: send what is new, recording each notice as it is delivered.
fn check(app: &AppHandle, shell: &Shell) {
    let today = shell.today();
    let lang = shell.lang();
    let send = |notice: &dangan_core::reminders::Notice| {
        let shown = dangan_notify::send(notice)?;
        let (app, member, unit) = (app.clone(), notice.member_id, notice.unit_id);
        std::thread::spawn(move || {
            if shown.wait_for_click() {
                match (member, unit) {
                    (Some(member), _) => open_member(&app, member),
                    (None, Some(unit)) => open_unit(&app, unit),
                    (None, None) => show_window(&app),
                }
            }
        });
        Ok(())
    };
    // A server's user is reminded of their own units' items, once each (the server records it).
    let delivered = shell.with_opened_if_unlocked(|opened| match opened {
        Opened::Workspace(session) => deliver_new(&mut **session, today, lang, send),
        Opened::Server(open) => deliver_new(&mut open.session, today, lang, send),
    });
    match &delivered {
        Some(Ok(sent)) if !sent.is_empty() => tracing::info!("sent {} reminder(s)", sent.len()),
        Some(Ok(_)) => {}
        Some(Err(err)) => tracing::warn!("reminders not sent: {}", err.message(lang)),
        None => tell_locked(app, shell),
    }
    if let Some(result) = delivered {
        // The UI shows when reminders were last checked (and a test knows a check is over).
        let tally = shell.note_reminder_check(result.map_or(0, |sent| sent.len()));
        app.emit(REMINDERS_CHECKED_EVENT, tally).ok();
    }
}

/// Started at login, the records are still locked and nothing can be checked: say so once,
/// rather than stay silently useless in the tray.
fn tell_locked(app: &AppHandle, shell: &Shell) {
    let hidden = app.get_webview_window("main").and_then(|w| w.is_visible().ok()) == Some(false);
    if !hidden || TOLD_LOCKED.swap(true, Ordering::SeqCst) {
        return;
    }
    let text = |zh: &str, en: &str| dangan_core::Text::new(zh, en).get(shell.lang()).to_owned();
    let notice = dangan_core::reminders::Notice {
        summary: text("档案 Dangan 已在后台运行", "Dangan is running in the tray"),
        body: text(
            "档案已锁定，解锁后才能检查入党工作提醒。点击打开。",
            "The records are locked: unlock them to get reminders. Click to open.",
        ),
        member_id: None,
        unit_id: None,
        covers: Vec::new(),
    };
    match dangan_notify::send(&notice) {
        Ok(shown) => {
            let app = app.clone();
            std::thread::spawn(move || {
                if shown.wait_for_click() {
                    show_window(&app);
                }
            });
        }
        Err(err) => tracing::warn!("{}", err.message(shell.lang())),
    }
}

/// The day's automatic backup, when they are on and today's is not made yet (the same clock: the
/// first check after unlocking each day makes it).
fn make_daily_backup(shell: &Shell) {
    match shell.with_session_if_unlocked(|session| session.daily_backup()) {
        Some(Ok(Some(path))) => tracing::info!("backed up to {}", path.display()),
        Some(Err(err)) => tracing::warn!("the daily backup was not made: {}", err.message(shell.lang())),
        _ => {}
    }
}

/// Shows the window and asks the UI to open a member.
pub fn open_member(app: &AppHandle, member_id: i64) {
    show_window(app);
    app.emit(OPEN_MEMBER_EVENT, member_id).ok();
}

/// Shows the window and asks the UI to open a unit's organisational life.
pub fn open_unit(app: &AppHandle, unit_id: i64) {
    show_window(app);
    app.emit(OPEN_UNIT_EVENT, unit_id).ok();
}

pub fn show_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        window.unminimize().ok();
        window.show().ok();
        window.set_focus().ok();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: &str, hour: u32) -> Hour {
        (day.parse().unwrap(), hour)
    }

    #[test]
    fn the_clock_checks_at_start_on_each_new_hour_at_midnight_and_when_asked() {
        assert!(check_due(None, at("2026-11-24", 9), false), "the first tick");
        assert!(!check_due(Some(at("2026-11-24", 9)), at("2026-11-24", 9), false), "twice in an hour: no");
        assert!(check_due(Some(at("2026-11-24", 9)), at("2026-11-24", 10), false), "the next hour");
        assert!(check_due(Some(at("2026-11-24", 23)), at("2026-11-25", 0), false), "midnight");
        assert!(check_due(Some(at("2026-11-24", 9)), at("2026-11-24", 9), true), "asked after an unlock");
    }
}
