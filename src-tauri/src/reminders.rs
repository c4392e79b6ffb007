//! The reminder clock: while the app runs (its window open or only its tray icon), it checks for
//! new reminders when the records are unlocked, then every hour on the hour, which includes
//! midnight, when a new day's deadlines fall due. What to send is dangan-core's decision
//! (`Store::reminders_due`, `reminders::notices`); this module only keeps time and delivers.
//!
//! A reminder is recorded as sent only after the notification service took it, so with no
//! service running (a bare session) the next check tries again rather than losing it. Clicking a
//! notice about one member shows the window and asks the UI to open that member.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{Local, Timelike};
use dangan_core::reminders;
use tauri::{AppHandle, Emitter, Manager};

use crate::shell::Shell;

/// The event the UI listens for to open a member a notification was about.
pub const OPEN_MEMBER_EVENT: &str = "open-member";

/// How often the clock looks at the time: often enough to notice an unlock or the hour turning.
const TICK: Duration = Duration::from_secs(20);

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
            let mut last_hour: Option<(chrono::NaiveDate, u32)> = None;
            loop {
                let now = Local::now();
                let hour = (now.date_naive(), now.hour());
                let due = CHECK_SOON.swap(false, Ordering::SeqCst) || last_hour.is_some_and(|h| h != hour);
                if due || last_hour.is_none() {
                    last_hour = Some(hour);
                    check(&app, &shell);
                }
                std::thread::sleep(TICK);
            }
        })
        .map_err(|err| tracing::error!("could not start the reminder clock: {err}"))
        .ok();
}

/// One check: send what is new, record it. Quietly does nothing while the records are locked.
fn check(app: &AppHandle, shell: &Shell) {
    let today = Local::now().date_naive();
    let due = match shell.with_store_if_unlocked(|store| store.reminders_due(Some(today))) {
        Some(Ok(due)) => due,
        Some(Err(err)) => {
            tracing::warn!("reminder check failed: {err}");
            return;
        }
        None => return,
    };
    if due.is_empty() {
        return;
    }
    if let Err(err) = dangan_notify::server() {
        tracing::warn!("{}", err.message(shell.lang));
        return;
    }
    for notice in reminders::notices(&due, shell.lang, today) {
        match dangan_notify::send(&notice) {
            Ok(shown) => {
                if let Some(member) = notice.member_id {
                    let app = app.clone();
                    std::thread::spawn(move || {
                        if shown.wait_for_click() {
                            open_member(&app, member);
                        }
                    });
                }
            }
            Err(err) => {
                tracing::warn!("{}", err.message(shell.lang));
                return;
            }
        }
    }
    if let Some(Err(err)) = shell.with_store_if_unlocked(|store| store.mark_reminded(&due, today)) {
        tracing::warn!("could not record the reminders sent: {err}");
    }
}

/// Shows the window and asks the UI to open a member.
pub fn open_member(app: &AppHandle, member_id: i64) {
    show_window(app);
    app.emit(OPEN_MEMBER_EVENT, member_id).ok();
}

pub fn show_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        window.unminimize().ok();
        window.show().ok();
        window.set_focus().ok();
    }
}
