//! Membership over time (issue 17): a person's status beside their stage (在册, 转出, 停止党籍, …),
//! changed and taken back from the member's page.

use dangan_core::domain::{Id, StatusChange};
use dangan_core::store::MemberDetail;
use tauri::State;

use crate::commands::blocking;
use crate::error::Reply;
use crate::shell::Shell;

/// Records a change of membership status; the member's page as it now reads.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn change_status(shell: State<'_, Shell>, change: StatusChange) -> Reply<MemberDetail> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || shell.with_session(|session| session.change_status(change))).await
}

/// Takes back the latest change of a person's status.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn undo_status_change(shell: State<'_, Shell>, person_id: Id) -> Reply<MemberDetail> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || shell.with_session(|session| session.undo_status_change(person_id))).await
}
