//! The shell's state: which office folder, the records open (a workspace's [`Session`] or a shared
//! server's [`ServerSession`], if any), the running jobs, the language of its messages.
//!
//! Locking is dropping the session: a workspace's key is zeroised on drop, a server's connection
//! closed and its feed of changes stopped, so a locked app holds nothing that opens the records.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use dangan_core::jobs::Jobs;
use dangan_core::server::ServerSession;
use dangan_core::{Lang, Session, Workspace};
use serde::Serialize;

use crate::WORKSPACE_VAR;

/// Fixes the app's "today" (YYYY-MM-DD), for end-to-end tests whose expectations must not depend
/// on the day they run.
pub const TODAY_VAR: &str = "DANGAN_TODAY";
use crate::error::{self, Reply};

/// Whether there is a workspace and whether it is open: the UI's first question, which decides
/// between the set-up, unlock and main screens.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkspaceStatus {
    pub exists: bool,
    pub unlocked: bool,
    /// The workspace folder, shown on the unlock screen.
    pub path: String,
    /// The shared server this office signs in to instead of a workspace (its address, as the
    /// folder's `dangan.server` names it); `None` when the office keeps a workspace or has
    /// chosen neither yet.
    pub server: Option<String>,
    /// Today as the shell counts it (the system's date, or `DANGAN_TODAY`): the dates the UI
    /// proposes follow it, so they agree with the core's checks.
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub today: dangan_core::calendar::Date,
}

/// The reminder checks made since the records were last unlocked: the UI shows when the last
/// was, and a test knows a check is over without sleeping.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RemindersChecked {
    /// Checks since unlocking.
    pub checks: u32,
    /// Notices the last check sent.
    pub sent: u32,
    /// When the last check ended (RFC 3339, UTC); `None` before the first.
    pub at: Option<String>,
}

/// The records open: a workspace, or a shared server signed in to.
pub enum Opened {
    // Boxed: a session is some 2 kB, a server's far less.
    Workspace(Box<Session>),
    Server(Box<ServerOpen>),
}

/// A shared server signed in to, and the flag that stops its feed of changes: set when the session
/// is dropped (locking, signing in again), so the feed never outlives it.
pub struct ServerOpen {
    pub session: ServerSession,
    feed: FeedStop,
}

/// Tells a feed of changes to stop when dropped.
pub struct FeedStop(Arc<AtomicBool>);

impl FeedStop {
    pub fn new() -> (FeedStop, Arc<AtomicBool>) {
        let flag = Arc::new(AtomicBool::new(false));
        (FeedStop(flag.clone()), flag)
    }
}

impl Drop for FeedStop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Managed by Tauri; cloned (cheaply: it is shared handles) into each command's blocking thread.
#[derive(Clone)]
pub struct Shell {
    /// `None` when neither `DANGAN_WORKSPACE` nor the OS names a folder; every command then says so.
    workspace: Option<Workspace>,
    session: Arc<Mutex<Option<Opened>>>,
    /// The long work running (imports, exports, dossiers, backups, restores), by id: `cancel_job`
    /// stops one; locking stops them all.
    jobs: Jobs,
    /// What the reminder clock has done since the last unlock.
    reminders_checked: Arc<Mutex<RemindersChecked>>,
    /// The language of the messages the shell sends: the locale's at start, then whatever the UI's
    /// language toggle says (`set_language`), so errors and their details follow the UI.
    lang: Arc<Mutex<Lang>>,
    /// Today as `DANGAN_TODAY` sets it, for tests that must not depend on the day they run
    /// (deadlines, reminders, dossier dates); `None`, the system's date, otherwise.
    fixed_today: Option<dangan_core::calendar::Date>,
}

impl Shell {
    pub fn new(workspace: Option<Workspace>, lang: Lang) -> Shell {
        Shell {
            workspace,
            session: Arc::default(),
            jobs: Jobs::default(),
            reminders_checked: Arc::default(),
            lang: Arc::new(Mutex::new(lang)),
            fixed_today: None,
        }
    }

    /// The same shell, its clock fixed at `today` (see `fixed_today`).
    pub fn with_today(self, today: Option<dangan_core::calendar::Date>) -> Shell {
        Shell { fixed_today: today, ..self }
    }

    /// The language messages are sent in now.
    pub fn lang(&self) -> Lang {
        *self.lang.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sends messages in `lang` from now on (the UI's language toggle).
    pub fn set_lang(&self, lang: Lang) {
        *self.lang.lock().unwrap_or_else(PoisonError::into_inner) = lang;
    }

    /// Today: the system's date, unless `DANGAN_TODAY` fixed it.
    pub fn today(&self) -> dangan_core::calendar::Date {
        self.fixed_today.unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// The workspace of `DANGAN_WORKSPACE`, else the OS data folder; Chinese unless the locale
    /// variables name another language.
    pub fn from_env() -> Shell {
        let dir = std::env::var_os(WORKSPACE_VAR).filter(|dir| !dir.is_empty()).map(PathBuf::from);
        let workspace = dir.or_else(Workspace::default_dir).map(Workspace::at);
        let var = |key: &str| std::env::var(key).ok().filter(|value| !value.is_empty());
        let any_locale = ["LC_ALL", "LC_MESSAGES", "LANG"].iter().any(|key| var(key).is_some());
        let lang = if any_locale { Lang::from_locale_vars(var) } else { Lang::Zh };
        let today = var(TODAY_VAR).and_then(|day| {
            let parsed = dangan_core::calendar::parse_iso(&day);
            if parsed.is_none() {
                tracing::warn!("{TODAY_VAR}={day} is not a date (YYYY-MM-DD); using the system's date");
            }
            parsed
        });
        Shell::new(workspace, lang).with_today(today)
    }

    pub fn workspace(&self) -> Reply<&Workspace> {
        self.workspace.as_ref().ok_or_else(|| error::no_workspace_dir(self.lang()))
    }

    pub fn status(&self) -> Reply<WorkspaceStatus> {
        let workspace = self.workspace()?;
        Ok(WorkspaceStatus {
            exists: workspace.exists(),
            unlocked: self.slot().is_some(),
            path: workspace.dir().display().to_string(),
            server: ServerSession::remembered(workspace.dir()),
            today: self.today(),
        })
    }

    /// Runs `f` on the workspace folder and keeps the session it opens (create, unlock, restore).
    pub fn open_with(&self, f: impl FnOnce(Workspace) -> dangan_core::Result<Session>) -> Reply<()> {
        let mut session = f(self.workspace()?.clone()).map_err(|err| error::from_core(&err, self.lang()))?;
        if let Some(today) = self.fixed_today {
            session.set_today(today);
        }
        *self.slot() = Some(Opened::Workspace(Box::new(session)));
        *self.reminders_checked.lock().unwrap_or_else(PoisonError::into_inner) = RemindersChecked::default();
        Ok(())
    }

    /// Keeps a server's session signed in to, with the stop of its feed of changes.
    pub fn open_server(&self, mut session: ServerSession, feed: FeedStop) {
        if let Some(today) = self.fixed_today {
            session.set_today(today);
        }
        *self.slot() = Some(Opened::Server(Box::new(ServerOpen { session, feed })));
        *self.reminders_checked.lock().unwrap_or_else(PoisonError::into_inner) = RemindersChecked::default();
    }

    /// Drops the session, and with it the key. Running jobs are told to stop first, so that locking
    /// waits for none of them to finish.
    pub fn lock(&self) {
        self.jobs.cancel_all();
        self.slot().take();
    }

    /// The reminder checks since the last unlock.
    pub fn reminders_checked(&self) -> RemindersChecked {
        self.reminders_checked.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Notes a check that sent `sent` notices; returns the tally.
    pub fn note_reminder_check(&self, sent: usize) -> RemindersChecked {
        let mut tally = self.reminders_checked.lock().unwrap_or_else(PoisonError::into_inner);
        tally.checks += 1;
        tally.sent = u32::try_from(sent).unwrap_or(u32::MAX);
        tally.at = Some(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        tally.clone()
    }

    /// Runs `f` on the unlocked workspace; `locked` when there is none, and on a shared server a
    /// refusal saying the work is not there yet (nothing changed).
    pub fn with_session<T>(&self, f: impl FnOnce(&mut Session) -> dangan_core::Result<T>) -> Reply<T> {
        self.with_either(f, |_| Err(dangan_core::areas::not_on_a_server()))
    }

    /// Runs `workspace` or `server` on the records open, whichever they are; `locked` when none.
    pub fn with_either<T>(
        &self,
        workspace: impl FnOnce(&mut Session) -> dangan_core::Result<T>,
        server: impl FnOnce(&mut ServerSession) -> dangan_core::Result<T>,
    ) -> Reply<T> {
        self.with_either_given((), |session, ()| workspace(session), |open, ()| server(open))
    }

    /// [`Shell::with_either`] handing `given` (a value only one of the two can take, such as a
    /// job's reporter or the person to save) to whichever runs.
    pub fn with_either_given<V, T>(
        &self,
        given: V,
        workspace: impl FnOnce(&mut Session, V) -> dangan_core::Result<T>,
        server: impl FnOnce(&mut ServerSession, V) -> dangan_core::Result<T>,
    ) -> Reply<T> {
        let mut slot = self.slot();
        let reply = match slot.as_mut().ok_or_else(|| error::locked(self.lang()))? {
            Opened::Workspace(session) => workspace(session, given),
            Opened::Server(open) => server(&mut open.session, given),
        };
        reply.map_err(|err| error::from_core(&err, self.lang()))
    }

    /// Runs `f` on the records if they are open (the reminder clock's view: a locked app has
    /// nothing to check, and that is not an error).
    pub fn with_opened_if_unlocked<T>(&self, f: impl FnOnce(&mut Opened) -> T) -> Option<T> {
        self.slot().as_mut().map(f)
    }

    /// Runs `f` on the workspace if one is unlocked.
    pub fn with_session_if_unlocked<T>(&self, f: impl FnOnce(&mut Session) -> T) -> Option<T> {
        match self.slot().as_mut() {
            Some(Opened::Workspace(session)) => Some(f(session)),
            _ => None,
        }
    }

    /// Gives the server's session signed in to a new feed of changes (the one before stops), and
    /// says where and as whom it is to follow them; `None` in a workspace or when locked.
    pub fn replace_feed(&self, feed: FeedStop) -> Option<(dangan_core::server::ServerAddress, String)> {
        match self.slot().as_mut() {
            Some(Opened::Server(open)) => {
                open.feed = feed;
                Some((open.session.address().clone(), open.session.user().name.clone()))
            }
            _ => None,
        }
    }

    /// Runs `f` on the server's session if one is signed in to and its feed is `feed` (a feed
    /// of a session since left is not applied to the next one).
    pub fn with_server_of_feed<T>(&self, feed: &Arc<AtomicBool>, f: impl FnOnce(&mut ServerSession) -> T) -> Option<T> {
        match self.slot().as_mut() {
            Some(Opened::Server(open)) if Arc::ptr_eq(&open.feed.0, feed) => Some(f(&mut open.session)),
            _ => None,
        }
    }

    /// The jobs running now.
    pub fn jobs(&self) -> &Jobs {
        &self.jobs
    }

    fn slot(&self) -> MutexGuard<'_, Option<Opened>> {
        // A panic while the session was held cannot leave it half-written (every change is one
        // transaction, rolled back when dropped), so a poisoned lock is still a usable session.
        self.session.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use dangan_core::ErrorKind;
    use dangan_core::store::MemberQuery;
    use dangan_core::workspace::NewWorkspace;

    use super::*;

    fn shell_in(dir: &std::path::Path) -> Shell {
        Shell::new(Some(Workspace::at(dir.join("ws"))), Lang::En)
    }

    /// The UI's language toggle reaches the shell: the next error, and every clone of the shell
    /// (each command gets one), speaks the new language.
    #[test]
    fn errors_follow_the_language_the_ui_chose() {
        let dir = tempfile::tempdir().unwrap();
        let shell = shell_in(dir.path());
        let in_a_command = shell.clone();
        let locked = |shell: &Shell| shell.with_session(|session| session.count_people()).unwrap_err().message;
        let english = locked(&in_a_command);
        shell.set_lang(Lang::Zh);
        let chinese = locked(&in_a_command);
        assert_ne!(english, chinese);
        assert!(chinese.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{chinese}");
        shell.set_lang(Lang::En);
        assert_eq!(locked(&in_a_command), english);
    }

    #[test]
    fn a_new_folder_has_no_workspace_and_nothing_to_list() {
        let dir = tempfile::tempdir().unwrap();
        let shell = shell_in(dir.path());
        let status = shell.status().unwrap();
        assert!(!status.exists && !status.unlocked, "{status:?}");
        let err = shell.with_session(|session| session.list_members(&MemberQuery::all())).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Locked, "no session is open before set-up");
    }

    #[test]
    fn locking_drops_the_session_and_the_passphrase_opens_it_again() {
        let dir = tempfile::tempdir().unwrap();
        let shell = shell_in(dir.path());
        shell.open_with(|ws| Ok(Session::create(ws, &NewWorkspace::new("correct horse", "某某大学党委"))?.0)).unwrap();
        assert!(shell.status().unwrap().unlocked, "set-up leaves the workspace open");

        shell.lock();
        let status = shell.status().unwrap();
        assert!(status.exists && !status.unlocked, "{status:?}");
        let err = shell.with_session(|session| session.list_members(&MemberQuery::all())).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Locked);

        let err = shell.open_with(|ws| Session::unlock(ws, None, "wrong horse")).unwrap_err();
        assert_eq!(err.kind, ErrorKind::WrongPassphrase);
        assert!(!shell.status().unwrap().unlocked, "a wrong passphrase opens nothing");

        shell.open_with(|ws| Session::unlock(ws, None, "correct horse")).unwrap();
        let page = shell.with_session(|session| session.list_members(&MemberQuery::all())).unwrap();
        assert_eq!(page.total, 0);
    }

    #[test]
    fn locking_stops_the_running_jobs() {
        let shell = Shell::new(None, Lang::Zh);
        let (first, second) = (shell.jobs().start(), shell.jobs().start());
        shell.lock();
        assert!(first.is_cancelled() && second.is_cancelled());
    }

    #[test]
    fn without_a_folder_every_command_says_so() {
        let shell = Shell::new(None, Lang::Zh);
        assert_eq!(shell.status().unwrap_err().kind, ErrorKind::Io);
    }
}
