//! The confidential complaints register (issue 18): the 信访举报 screen's commands, each a hand-off
//! to the session, which refuses everyone but a discipline inspector (the counts excepted); on a
//! shared server, the inspector's own unit's register.

use std::path::PathBuf;

use dangan_core::calendar::Date;
use dangan_core::complaints::{
    Complaint, ComplaintAttachment, ComplaintLine, ComplaintsOverview, NewComplaint, NewHandling,
};
use dangan_core::domain::Id;
use tauri::State;

use crate::commands::blocking;
use crate::error::Reply;
use crate::shell::Shell;

/// That the register exists and how many entries are open (anyone signed in).
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn complaints_overview(shell: State<'_, Shell>) -> Reply<ComplaintsOverview> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.complaints_overview(), |server| server.complaints_overview())
    })
    .await
}

/// Registers an entry (a discipline inspector).
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn add_complaint(shell: State<'_, Shell>, complaint: NewComplaint) -> Reply<Complaint> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.add_complaint(&complaint), |server| server.add_complaint(&complaint))
    })
    .await
}

/// The register, newest first, without any entry's words.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn complaints(shell: State<'_, Shell>, open_only: bool) -> Reply<Vec<ComplaintLine>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.complaints(open_only), |server| server.complaints(open_only))
    })
    .await
}

/// Opens an entry; the reading goes into the audit log.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn complaint(shell: State<'_, Shell>, entry: String) -> Reply<Complaint> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.complaint(&entry), |server| server.complaint(&entry))
    })
    .await
}

/// Records a step of an entry's handling.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn handle_complaint(shell: State<'_, Shell>, entry: String, handling: NewHandling) -> Reply<Complaint> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.handle_complaint(&entry, &handling),
            |server| server.handle_complaint(&entry, &handling),
        )
    })
    .await
}

/// Closes an entry with its result.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn close_complaint(shell: State<'_, Shell>, entry: String, date: Date, result: String) -> Reply<Complaint> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.close_complaint(&entry, date, &result),
            |server| server.close_complaint(&entry, date, &result),
        )
    })
    .await
}

/// Prints an entry's handling form as a PDF.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn write_complaint_form(shell: State<'_, Shell>, entry: String, path: PathBuf) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(
            |session| session.write_complaint_form(&entry, &path),
            |server| server.write_complaint_form(&entry, &path, &folder),
        )
    })
    .await
}

/// Attaches files to an open entry, sealed like its words.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn add_complaint_attachments(
    shell: State<'_, Shell>,
    entry: String,
    paths: Vec<PathBuf>,
) -> Reply<Complaint> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.add_complaint_attachments(&entry, &paths),
            |server| server.add_complaint_attachments(&entry, &paths),
        )
    })
    .await
}

/// Writes a copy of one of an entry's files outside the workspace.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn save_complaint_attachment_as(
    shell: State<'_, Shell>,
    entry: String,
    attachment: Id,
    path: PathBuf,
) -> Reply<ComplaintAttachment> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(
            |session| session.save_complaint_attachment_as(&entry, attachment, &path),
            |server| server.save_complaint_attachment_as(&entry, attachment, &path, &folder),
        )
    })
    .await
}

/// Gives the register's key to another discipline inspector.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn grant_register(shell: State<'_, Shell>, user: String) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.grant_register(&user), |server| server.grant_register(&user))
    })
    .await
}

/// The discipline inspectors still waiting for the register's key.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn register_waiting(shell: State<'_, Shell>) -> Reply<Vec<String>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.register_waiting(), |server| server.register_waiting())
    })
    .await
}
