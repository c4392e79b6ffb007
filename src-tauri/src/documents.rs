//! The procedure's documents (issue 19): the 生成文书 dialog's commands, each a hand-off to the
//! session (which reads the records as the user may read them and refuses a person at a stage
//! before the document's).

use std::path::PathBuf;

use dangan_core::calendar::Date;
use dangan_core::documents::{DocumentInfo, DocumentPreview, MadeDocument};
use dangan_core::domain::Id;
use tauri::State;

use crate::commands::blocking;
use crate::error::Reply;
use crate::shell::Shell;

/// Every document, with the stage of the people it is about and whether it is a batch.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn documents(shell: State<'_, Shell>) -> Reply<Vec<DocumentInfo>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || shell.with_either(|session| session.documents(), |server| server.documents())).await
}

/// Document `id` about `members`, dated `date` (today when none), filled in for the preview.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn preview_document(
    shell: State<'_, Shell>,
    id: String,
    members: Vec<Id>,
    date: Option<Date>,
) -> Reply<DocumentPreview> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.preview_document(&id, &members, date),
            |server| server.preview_document(&id, &members, date),
        )
    })
    .await
}

/// Saves the document at `path`, as .docx or PDF by its extension; with `record_step`, the
/// step it starts is recorded for each person too (all or none, before the file is written).
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn make_document(
    shell: State<'_, Shell>,
    id: String,
    members: Vec<Id>,
    date: Option<Date>,
    path: PathBuf,
    record_step: bool,
) -> Reply<MadeDocument> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(
            |session| session.make_document(&id, &members, date, &path, record_step),
            |server| server.make_document(&id, &members, date, &path, &folder, record_step),
        )
    })
    .await
}
