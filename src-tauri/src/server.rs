//! The shared server in the app (issue 20): signing in to it from the office's folder (which then
//! names it, so the next start offers its sign-in), forgetting it, and following other clients'
//! changes while signed in, so that an open window shows them without a restart.
//!
//! The feed is a connection of its own that LISTENs (`dangan_core::server::ChangeFeed`); each batch
//! of changes keeps the session's lists true (`ServerSession::apply_changes`) and is then announced
//! to the UI as `records-changed`. A lost connection is said to the UI once and tried again every
//! few seconds; each start of listening (the first too) makes the session's own connection anew if
//! it was lost, reads its account, calendar and lists again (changes may have gone unannounced
//! meanwhile) and tells the UI to read everything again. The feed keeps the user's passphrase
//! (zeroised when it ends, within a second of the session being left) only to sign in again.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use dangan_core::domain::Id;
use dangan_core::server::{Change, Concern, ServerAddress, ServerSession};
use serde::Serialize;
use tauri::{AppHandle, Emitter, State};
use zeroize::Zeroizing;

use crate::commands::blocking;
use crate::error::Reply;
use crate::shell::{FeedStop, Shell};

/// Tells the UI that records changed on the server (`RecordsChanged`).
pub const RECORDS_CHANGED_EVENT: &str = "records-changed";

/// What changed on the server since the last announcement, for the screens to read again.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RecordsChanged {
    /// The people changed (their record, steps or branch), each once.
    #[cfg_attr(feature = "typescript", ts(type = "number[]"))]
    pub people: Vec<Id>,
    /// The organisation changed (a unit added or renamed).
    pub units: bool,
    /// The register of branch life changed (a party group, a meeting, its attendance or files).
    pub branch_life: bool,
    /// Anything may have changed (many rows at once, the holiday calendar, the rules, or the
    /// connection was lost for a while): read everything shown again.
    pub all: bool,
    /// The signed-in user's own account changed (their role or branches), or may have (the
    /// connection was made anew): read who is signed in and what they may do again, and
    /// everything shown (`all` is set too).
    pub account: bool,
    /// Whether the server can be reached now: `false` while the feed is lost (the screens say
    /// so; what they show may be out of date).
    pub connected: bool,
}

impl RecordsChanged {
    /// Whether it asks nothing to be read again (another user's account changed, say): not
    /// worth telling the screens, which would read again at any announcement.
    fn asks_nothing(&self) -> bool {
        self.people.is_empty() && !(self.units || self.branch_life || self.all || self.account)
    }

    fn of(changes: &[Change]) -> RecordsChanged {
        let mut changed = RecordsChanged { connected: true, ..RecordsChanged::default() };
        for change in changes {
            match change.concern() {
                Concern::Units => changed.units = true,
                Concern::BranchLife => changed.branch_life = true,
                Concern::Person(person) if !changed.people.contains(&person) => changed.people.push(person),
                Concern::Person(_) => {}
                Concern::All | Concern::Calendar | Concern::Rules => changed.all = true,
                // Another user's account is no change to what this one is shown; their own is
                // the session's to say (`apply_changes`).
                Concern::Account => {}
            }
        }
        changed
    }
}

/// Signs in to the shared server at `address` for this office, notes it in the office's folder,
/// and starts following its changes.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn connect_server(
    app: AppHandle,
    shell: State<'_, Shell>,
    address: String,
    user_name: String,
    passphrase: String,
) -> Reply<()> {
    let (shell, passphrase) = (shell.inner().clone(), Zeroizing::new(passphrase));
    let opened = shell.clone();
    blocking(shell.lang(), move || {
        let folder = opened.workspace()?.dir().to_owned();
        let lang = opened.lang();
        let session = ServerSession::connect(&folder, &address, Some(&user_name), &passphrase)
            .map_err(|err| crate::error::from_core(&err, lang))?;
        let (stop, flag) = FeedStop::new();
        let feed_address = session.address().clone();
        opened.open_server(session, stop);
        follow_changes(app, opened, feed_address, user_name, passphrase, flag);
        Ok(())
    })
    .await?;
    crate::reminders::check_soon();
    Ok(())
}

/// Forgets the server this office's folder names (and signs out): the app offers to set up a
/// workspace or connect again. Nothing on the server changes.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn forget_server(shell: State<'_, Shell>) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.lock();
        let folder = shell.workspace()?.dir().to_owned();
        ServerSession::forget(&folder).map_err(|err| crate::error::from_core(&err, shell.lang()))
    })
    .await
}

/// Follows the server's changes anew with `passphrase` (the user's new one: a feed that lost its
/// connection signs in again with the passphrase it was given). The feed before it stops.
pub fn follow_anew(app: AppHandle, shell: Shell, passphrase: Zeroizing<String>) {
    let (stop, flag) = FeedStop::new();
    if let Some((address, user)) = shell.replace_feed(stop) {
        follow_changes(app, shell, address, user, passphrase, flag);
    }
}

/// How long one wait for changes lasts: a stopped feed ends within it.
const WAIT: Duration = Duration::from_secs(1);
/// How long to wait before trying a lost connection again.
const RETRY: Duration = Duration::from_secs(5);

/// Follows the server's changes on a thread of its own until `stop` is set (the session dropped).
fn follow_changes(
    app: AppHandle,
    shell: Shell,
    address: ServerAddress,
    user: String,
    passphrase: Zeroizing<String>,
    stop: Arc<AtomicBool>,
) {
    let spawned = std::thread::Builder::new().name("server-changes".into()).spawn(move || {
        let mut feed = None;
        // Whether the UI was told the server cannot be reached, since it last could.
        let mut said_lost = false;
        let lost = |app: &AppHandle, said_lost: &mut bool| {
            if !std::mem::replace(said_lost, true) && !stop.load(Ordering::SeqCst) {
                app.emit(RECORDS_CHANGED_EVENT, RecordsChanged::default()).ok();
            }
        };
        while !stop.load(Ordering::SeqCst) {
            let Some(listening) = feed.as_mut() else {
                // Every start of listening, the first one too, is a return: what changed before it
                // was announced to no one here. The session's own connection is made anew if it
                // was lost too, its account, calendar and lists read again, and the screens told
                // to read everything again, who is signed in too.
                let opened = ServerSession::watch(&address, &user, &passphrase).and_then(|opened| {
                    let renewed = shell.with_server_of_feed(&stop, |session| {
                        // Made anew, it reads its account, calendar and lists whole already.
                        session.reconnect_if_lost(&passphrase).map(|renewed| {
                            if !renewed {
                                session.read_again();
                            }
                        })
                    });
                    renewed.unwrap_or(Ok(())).map(|()| opened)
                });
                match opened {
                    Ok(opened) => {
                        feed = Some(opened);
                        said_lost = false;
                        let all =
                            RecordsChanged { all: true, account: true, connected: true, ..RecordsChanged::default() };
                        app.emit(RECORDS_CHANGED_EVENT, all).ok();
                    }
                    Err(err) => {
                        tracing::warn!("the server's changes cannot be followed: {err}");
                        lost(&app, &mut said_lost);
                        sleep_unless_stopped(RETRY, &stop);
                    }
                }
                continue;
            };
            match listening.wait(WAIT) {
                Ok(changes) if changes.is_empty() => {}
                Ok(changes) => {
                    if let Some(own_account) =
                        shell.with_server_of_feed(&stop, |session| session.apply_changes(&changes))
                    {
                        let mut changed = RecordsChanged::of(&changes);
                        if own_account {
                            (changed.account, changed.all) = (true, true);
                        }
                        if !changed.asks_nothing() {
                            app.emit(RECORDS_CHANGED_EVENT, changed).ok();
                        }
                    }
                }
                Err(err) => {
                    tracing::warn!("lost the server's changes: {err}");
                    feed = None;
                    lost(&app, &mut said_lost);
                }
            }
        }
    });
    if let Err(err) = spawned {
        tracing::error!("could not follow the server's changes: {err}");
    }
}

fn sleep_unless_stopped(total: Duration, stop: &AtomicBool) {
    let step = Duration::from_millis(200);
    let mut slept = Duration::ZERO;
    while slept < total && !stop.load(Ordering::SeqCst) {
        std::thread::sleep(step);
        slept += step;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(table: &str, id: Option<Id>, person: Option<Id>) -> Change {
        Change { table: table.into(), id, person }
    }

    #[test]
    fn changes_are_announced_once_per_person_and_a_batch_without_rows_asks_for_everything() {
        let changed = RecordsChanged::of(&[
            change("people", Some(7), Some(7)),
            change("events", Some(40), Some(7)),
            change("events", Some(41), Some(9)),
        ]);
        assert_eq!(
            changed,
            RecordsChanged {
                people: vec![7, 9],
                units: false,
                branch_life: false,
                all: false,
                account: false,
                connected: true
            }
        );
        let changed = RecordsChanged::of(&[change("org_units", Some(3), None), change("events", None, None)]);
        assert!(changed.units && changed.all && changed.people.is_empty());
    }

    #[test]
    fn a_meeting_changed_elsewhere_is_branch_life_not_a_reason_to_read_everything() {
        let changed = RecordsChanged::of(&[change("meetings", Some(3), None), change("attendance", Some(8), None)]);
        assert!(changed.branch_life && !changed.all && changed.people.is_empty());
    }

    #[test]
    fn another_users_account_changes_nothing_shown_and_the_holidays_or_the_rules_everything() {
        let changed = RecordsChanged::of(&[change("user_branches", None, None)]);
        assert!(changed.asks_nothing(), "not announced to the screens: {changed:?}");
        for table in ["holidays", "own_rules"] {
            let changed = RecordsChanged::of(&[change(table, None, None)]);
            assert!(!changed.account && changed.all && !changed.asks_nothing(), "{table}: {changed:?}");
        }
        assert!(!RecordsChanged::of(&[change("events", Some(1), Some(7))]).asks_nothing());
    }
}
