//! The commands the UI calls (declared once in `bridge.rs`). One shape for all: take the shell's
//! state, make one call into dangan-core on a blocking thread (never the UI thread: unlocking
//! derives a key, an import can take seconds), return the value or a [`dangan_core::BridgeError`].
//!
//! Names and parameters are the bridge's contract, generated into the UI's `bindings/commands.ts`;
//! Tauri turns the UI's camelCase arguments (`committeeName`) into these snake_case parameters.

use std::path::PathBuf;

use dangan_core::backup::{BackupSettings, BackupWritten};
use dangan_core::calendar::Date;
use dangan_core::deadlines::{Dashboard, DeadlineItem, DeadlineQuery};
use dangan_core::domain::{FileRecord, Id, OrgKind, OrgUnit, Person, ProcedureEvent};
use dangan_core::dossier::{DossierWritten, DossiersWritten};
use dangan_core::jobs::{JobId, JobProgress, Unit};
use dangan_core::roster::{Duplicates, ImportOptions, ImportReport};
use dangan_core::store::{MemberDetail, MemberFile, MemberPage, MemberQuery};
use dangan_core::workspace::NewWorkspace;
use dangan_core::{Lang, Session};
use serde::Deserialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, State, WebviewWindow};
use tauri_plugin_dialog::DialogExt;
use zeroize::Zeroizing;

use crate::error::{self, Reply};
use crate::shell::{RemindersChecked, Shell, WorkspaceStatus};

/// Runs `work` on Tauri's blocking thread pool and waits for it without holding up the event loop.
pub(crate) async fn blocking<T: Send + 'static>(
    lang: Lang,
    work: impl FnOnce() -> Reply<T> + Send + 'static,
) -> Reply<T> {
    match tauri::async_runtime::spawn_blocking(work).await {
        Ok(reply) => reply,
        Err(err) => Err(error::worker_failed(&err.to_string(), lang)),
    }
}

#[tauri::command]
pub async fn workspace_status(shell: State<'_, Shell>) -> Reply<WorkspaceStatus> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || shell.status()).await
}

/// The UI's language: the shell's messages (errors and their details, notifications) follow it.
#[tauri::command]
pub async fn set_language(shell: State<'_, Shell>, lang: dangan_core::Lang) -> Reply<()> {
    shell.set_lang(lang);
    Ok(())
}

/// The reminder checks made since the records were unlocked (the event `reminders-checked` says
/// the same after each one).
#[tauri::command]
pub async fn reminders_checked(shell: State<'_, Shell>) -> Reply<RemindersChecked> {
    Ok(shell.reminders_checked())
}

/// Creates the encrypted workspace, `user_name` its administrator, and leaves it unlocked.
/// Returns the recovery code, grouped for reading: the UI shows it this once.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create_workspace(
    shell: State<'_, Shell>,
    passphrase: String,
    committee_name: String,
    user_name: String,
) -> Reply<String> {
    let (shell, passphrase) = (shell.inner().clone(), Zeroizing::new(passphrase));
    let code = blocking(shell.lang(), move || {
        let mut code = None;
        shell.open_with(|ws| {
            let new = NewWorkspace { user: &user_name, ..NewWorkspace::new(&passphrase, &committee_name) };
            let (session, recovery) = Session::create(ws, &new)?;
            code = Some(recovery.grouped().to_string());
            Ok(session)
        })?;
        Ok(code.unwrap_or_default())
    })
    .await?;
    crate::reminders::check_soon();
    Ok(code)
}

/// Unlocks as `user_name`, or as whoever the passphrase belongs to when it is `None`.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn unlock(shell: State<'_, Shell>, passphrase: String, user_name: Option<String>) -> Reply<()> {
    let (shell, passphrase) = (shell.inner().clone(), Zeroizing::new(passphrase));
    let opened = shell.clone();
    blocking(shell.lang(), move || opened.open_with(|ws| Session::unlock(ws, user_name.as_deref(), &passphrase)))
        .await?;
    warm_up(shell);
    crate::reminders::check_soon();
    Ok(())
}

/// Builds the store's in-memory indexes in the background, so the dashboard and the member list
/// the UI asks for next open at once (the first of them would otherwise build them).
fn warm_up(shell: Shell) {
    tauri::async_runtime::spawn_blocking(move || {
        if let Some(Err(err)) = shell.with_session_if_unlocked(|session| session.warm_up()) {
            tracing::warn!("warming up the indexes failed: {err}");
        }
    });
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn lock(shell: State<'_, Shell>) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.lock();
        Ok(())
    })
    .await
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_members(shell: State<'_, Shell>, query: MemberQuery) -> Reply<MemberPage> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.list_members(&query), |server| server.list_members(&query))
    })
    .await
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn get_member(shell: State<'_, Shell>, id: Id) -> Reply<MemberDetail> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.member(id), |server| Ok(server.member(id)?.detail))
    })
    .await
}

/// Creates a person (`id: null`) or updates one. On a shared server `seen_version` is the version
/// of the member the form was filled from (`MemberDetail::version`): anyone's change since then
/// refuses the save as `conflict`, naming them, rather than be overwritten.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn save_person(shell: State<'_, Shell>, person: Person, seen_version: Option<i32>) -> Reply<MemberDetail> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either_given(
            person,
            |session, person| session.save_person(person),
            |server, person| Ok(server.save_person(person, seen_version)?.detail),
        )
    })
    .await
}

/// Adds an event (`id: null`) to a person's procedure or updates one (`seen_version` as for
/// `save_person`).
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn save_event(
    shell: State<'_, Shell>,
    person_id: Id,
    event: ProcedureEvent,
    seen_version: Option<i32>,
) -> Reply<MemberDetail> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either_given(
            event,
            |session, event| session.save_event(person_id, event),
            |server, event| Ok(server.save_event(person_id, event, seen_version)?.detail),
        )
    })
    .await
}

/// Adds the same step to several people's procedures (one branch meeting admits several): each
/// checked as one added alone, all or none, each refused person named.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn save_event_for_many(
    shell: State<'_, Shell>,
    person_ids: Vec<Id>,
    event: ProcedureEvent,
) -> Reply<Vec<MemberDetail>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.save_event_for_many(&person_ids, &event),
            |server| Ok(server.save_event_for_many(&person_ids, &event)?.into_iter().map(|m| m.detail).collect()),
        )
    })
    .await
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn delete_event(
    shell: State<'_, Shell>,
    person_id: Id,
    event_id: Id,
    seen_version: Option<i32>,
) -> Reply<MemberDetail> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.delete_event(person_id, event_id),
            |server| Ok(server.delete_event(person_id, event_id, seen_version)?.detail),
        )
    })
    .await
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_org_units(shell: State<'_, Shell>) -> Reply<Vec<OrgUnit>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || shell.with_either(|session| session.org_units(), |server| server.org_units())).await
}

/// Adds a general branch (under the committee) or a branch (under the committee or a general
/// branch). The core refuses a wrong level, an empty name or a sibling's name as `invalid_input`.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn add_org_unit(shell: State<'_, Shell>, parent_id: Id, kind: OrgKind, name: String) -> Reply<OrgUnit> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.add_org_unit(parent_id, kind, &name),
            |server| server.add_org_unit(parent_id, kind, &name),
        )
    })
    .await
}

/// Reads and imports a roster, all rows or none, reporting progress on `on_progress`. A dry run
/// checks every row and saves nothing. `duplicates` says what to do with new people who look
/// already registered (`ask` refuses with `likely_duplicates`, carrying the report).
/// `cancel_job` stops it, and then nothing is saved.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn import_roster(
    shell: State<'_, Shell>,
    path: PathBuf,
    dry_run: bool,
    duplicates: Duplicates,
    on_progress: Channel<JobProgress>,
) -> Reply<ImportReport> {
    let shell = shell.inner().clone();
    let job = shell.jobs().start();
    let report = job.reporter(Unit::Rows, reporting(on_progress));
    blocking(shell.lang(), move || {
        let options = ImportOptions { dry_run, duplicates };
        shell.with_either_given(
            report,
            |session, report| session.import_roster_file(&path, options, report),
            |server, report| server.import_roster_file(&path, options, report),
        )
    })
    .await
}

/// Passes a job's progress on to the UI. The window may be gone (closed mid-import); the job goes
/// on regardless.
pub(crate) fn reporting(channel: Channel<JobProgress>) -> impl FnMut(JobProgress) + Send + 'static {
    move |progress| {
        channel.send(progress).ok();
    }
}

/// Asks a running job (an import, export, batch of dossiers, backup or restore) to stop; it then
/// answers `cancelled`, having left what it promises (an import saves nothing, an export and a
/// backup write no file, a restore makes no workspace, a batch keeps the dossiers written). False
/// when the job has already finished.
#[tauri::command]
pub async fn cancel_job(shell: State<'_, Shell>, job: JobId) -> Reply<bool> {
    Ok(shell.jobs().cancel(job))
}

/// Writes the members `query` lists (all of them, whatever its offset and limit) to an .xlsx file,
/// reporting progress on `on_progress`. `cancel_job` stops it, and then no file is written.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn export_members(
    shell: State<'_, Shell>,
    query: MemberQuery,
    path: PathBuf,
    on_progress: Channel<JobProgress>,
) -> Reply<u64> {
    let shell = shell.inner().clone();
    let job = shell.jobs().start();
    let report = job.reporter(Unit::Rows, reporting(on_progress));
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either_given(
            report,
            |session, report| session.export_members(&query, &path, report),
            // A server's export is one read and one write (no rows to count off).
            |server, _| server.export_members(&query, &path, &folder),
        )
    })
    .await
}

/// The 工作提醒 home screen as of a day (today when `null`), for everyone or one unit's subtree.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn dashboard(shell: State<'_, Shell>, as_of: Option<Date>, branch_id: Option<Id>) -> Reply<Dashboard> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.dashboard(as_of, branch_id), |server| server.dashboard(as_of, branch_id))
    })
    .await
}

/// The pending items a query selects (a calendar month, one member, one unit), most urgent first.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn deadlines(shell: State<'_, Shell>, query: DeadlineQuery) -> Reply<Vec<DeadlineItem>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.deadlines(&query), |server| server.deadlines(&query))
    })
    .await
}

/// Writes the items a query selects to a workbook (.xlsx).
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn export_deadlines(shell: State<'_, Shell>, query: DeadlineQuery, path: PathBuf) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(
            |session| session.export_deadlines(&query, &path),
            |server| server.export_deadlines(&query, &path, &folder),
        )
    })
    .await
}

/// Writes the 工作提醒 dashboard to a workbook: the counts per branch, then every pending item.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn export_dashboard(
    shell: State<'_, Shell>,
    as_of: Option<Date>,
    branch_id: Option<Id>,
    path: PathBuf,
) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(
            |session| session.export_dashboard(as_of, branch_id, &path),
            |server| server.export_dashboard(as_of, branch_id, &path, &folder),
        )
    })
    .await
}

/// Acknowledges an item (`until: null`) or snoozes it until a day.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn dismiss_deadline(
    shell: State<'_, Shell>,
    member_id: Id,
    rule: String,
    due: Date,
    until: Option<Date>,
) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.dismiss_deadline(member_id, &rule, due, until),
            |server| server.dismiss_deadline(member_id, &rule, due, until),
        )
    })
    .await
}

/// Undoes a snooze or an acknowledgement.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn restore_deadline(shell: State<'_, Shell>, member_id: Id, rule: String, due: Date) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.restore_deadline(member_id, &rule, due),
            |server| server.restore_deadline(member_id, &rule, due),
        )
    })
    .await
}

/// A member's file: records and checklist.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn member_file(shell: State<'_, Shell>, member_id: Id) -> Reply<MemberFile> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.member_file(member_id), |server| server.member_file(member_id))
    })
    .await
}

/// Adds a record (`id: null`) or changes one, attaching the files at `attach` (paths from the open
/// dialog or a drop), all or nothing.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell, record))]
pub async fn save_record(shell: State<'_, Shell>, record: FileRecord, attach: Vec<PathBuf>) -> Reply<FileRecord> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either_given(
            record,
            |session, record| session.save_record(record, &attach),
            |server, record| server.save_record(record, &attach),
        )
    })
    .await
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn delete_record(shell: State<'_, Shell>, record_id: Id) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.delete_record(record_id), |server| server.delete_record(record_id))
    })
    .await
}

/// An attachment's bytes, as a raw binary response (an `ArrayBuffer` in the UI, not JSON numbers).
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn attachment_bytes(shell: State<'_, Shell>, attachment_id: Id) -> Reply<crate::bridge::Bytes> {
    let shell = shell.inner().clone();
    let bytes = blocking(shell.lang(), move || {
        shell.with_either(
            |session| Ok(session.attachment(attachment_id)?.1),
            |server| Ok(server.attachment(attachment_id)?.1),
        )
    })
    .await?;
    Ok(crate::bridge::Bytes(bytes))
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn delete_attachment(shell: State<'_, Shell>, attachment_id: Id) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.delete_attachment(attachment_id),
            |server| server.delete_attachment(attachment_id),
        )
    })
    .await
}

/// Writes a copy of an attachment where the save dialog said.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn save_attachment_as(shell: State<'_, Shell>, attachment_id: Id, path: PathBuf) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(
            |session| session.save_attachment_as(attachment_id, &path),
            |server| server.write_attachment(attachment_id, &path, &folder).map(drop),
        )
    })
    .await
}

/// Prints one member's file as a PDF dossier at `path`.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn write_dossier(shell: State<'_, Shell>, member_id: Id, path: PathBuf) -> Reply<DossierWritten> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(
            |session| session.write_dossier(member_id, &path),
            |server| server.write_dossier(member_id, &path, &folder),
        )
    })
    .await
}

/// Prints the dossiers of the members `query` lists into `dir`, on all cores, reporting progress on
/// `on_progress`; `cancel_job` stops it (the files already written stay).
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn write_dossiers(
    shell: State<'_, Shell>,
    query: MemberQuery,
    dir: PathBuf,
    on_progress: Channel<JobProgress>,
) -> Reply<DossiersWritten> {
    let shell = shell.inner().clone();
    let job = shell.jobs().start();
    let report = job.reporter(Unit::Dossiers, reporting(on_progress));
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either_given(
            report,
            |session, report| session.write_dossiers(&query, &dir, report),
            |server, report| server.write_dossiers(&query, &dir, &folder, report),
        )
    })
    .await
}

/// Hands a file (a dossier to print) or a folder to the system's own viewer.
#[tauri::command]
pub async fn open_path(app: AppHandle, shell: State<'_, Shell>, path: PathBuf) -> Reply<()> {
    use tauri_plugin_opener::OpenerExt;
    let lang = shell.lang();
    app.opener().open_path(path.display().to_string(), None::<&str>).map_err(|err| {
        error::from_core(
            &dangan_core::Error::Io { path: path.clone(), source: std::io::Error::other(err.to_string()) },
            lang,
        )
    })
}

/// The native folder dialog; `null` when the user cancels.
#[tauri::command]
pub async fn pick_folder(app: AppHandle, window: WebviewWindow, shell: State<'_, Shell>) -> Reply<Option<PathBuf>> {
    blocking(shell.lang(), move || {
        let dialog = app.dialog().file().set_parent(&window);
        Ok(dialog.blocking_pick_folder().and_then(|picked| picked.into_path().ok()))
    })
    .await
}

/// Writes a backup of the whole workspace to `path`, while it is in use, reporting progress on
/// `on_progress`. `cancel_job` stops it, and then no file is written.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell, on_progress))]
pub async fn backup_now(
    shell: State<'_, Shell>,
    path: PathBuf,
    on_progress: Channel<JobProgress>,
) -> Reply<BackupWritten> {
    let shell = shell.inner().clone();
    let job = shell.jobs().start();
    let report = job.reporter(Unit::Bytes, reporting(on_progress));
    blocking(shell.lang(), move || shell.with_session(|session| session.backup_now(&path, report))).await
}

#[tauri::command]
pub async fn backup_settings(shell: State<'_, Shell>) -> Reply<BackupSettings> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || shell.with_session(|session| session.backup_settings())).await
}

/// Turns automatic daily backups on (into `dir`, keeping `keep`) or off; turning them on makes
/// today's at once.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn set_backup_settings(shell: State<'_, Shell>, dir: Option<PathBuf>, keep: u32) -> Reply<BackupSettings> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || shell.with_session(|session| session.set_backup_settings(dir.as_deref(), keep)))
        .await
}

/// Restores a backup into the (empty) workspace folder and leaves it unlocked, reporting each step
/// on `on_progress`; `cancel_job` stops it before the next step, and then no workspace is made.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn restore_backup(
    shell: State<'_, Shell>,
    path: PathBuf,
    passphrase: String,
    on_progress: Channel<JobProgress>,
) -> Reply<()> {
    let (shell, passphrase) = (shell.inner().clone(), Zeroizing::new(passphrase));
    let job = shell.jobs().start();
    let report = job.reporter(Unit::Steps, reporting(on_progress));
    blocking(shell.lang(), move || shell.open_with(|ws| Session::restore(&path, ws, None, &passphrase, report))).await
}

/// A file-type filter of the open dialog, e.g. `{ name: "Excel", extensions: ["xlsx"] }`.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FileFilter {
    pub name: String,
    pub extensions: Vec<String>,
}

/// The native open dialog; `null` when the user cancels.
#[tauri::command]
pub async fn pick_open_file(
    app: AppHandle,
    window: WebviewWindow,
    shell: State<'_, Shell>,
    filters: Vec<FileFilter>,
) -> Reply<Option<PathBuf>> {
    blocking(shell.lang(), move || {
        let mut dialog = app.dialog().file().set_parent(&window);
        for filter in &filters {
            let extensions: Vec<&str> = filter.extensions.iter().map(String::as_str).collect();
            dialog = dialog.add_filter(&filter.name, &extensions);
        }
        Ok(dialog.blocking_pick_file().and_then(|picked| picked.into_path().ok()))
    })
    .await
}

/// The native save dialog, proposing `default_name`; `null` when the user cancels.
#[tauri::command]
pub async fn pick_save_file(
    app: AppHandle,
    window: WebviewWindow,
    shell: State<'_, Shell>,
    default_name: String,
) -> Reply<Option<PathBuf>> {
    blocking(shell.lang(), move || {
        let dialog = app.dialog().file().set_parent(&window).set_file_name(default_name);
        Ok(dialog.blocking_save_file().and_then(|picked| picked.into_path().ok()))
    })
    .await
}
