//! The commands of users, the recovery key and the audit log (`ui/src/lib/api/tauri.ts`): the
//! same shape as `commands.rs`, one core call each on a blocking thread. Who may do what is
//! decided by the core (`dangan_core::access`), never here.

use std::path::PathBuf;

use dangan_core::Session;
use dangan_core::access::{NewUser, Role, SessionUser, User};
use dangan_core::domain::{Id, Procedure};
use dangan_core::keys::RecoveryCode;
use dangan_core::store::{AuditPage, AuditQuery};
use tauri::{AppHandle, State};
use zeroize::Zeroizing;

use crate::commands::blocking;
use crate::error::Reply;
use crate::shell::Shell;

/// Opens the workspace with the recovery code: an administrator's rights, to set a forgotten
/// passphrase anew. The UI locks again when that is done.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn unlock_with_recovery(shell: State<'_, Shell>, code: String) -> Reply<()> {
    let (shell, code) = (shell.inner().clone(), Zeroizing::new(code));
    blocking(shell.lang(), move || shell.open_with(|ws| Session::unlock_with_recovery(ws, &code))).await
}

#[tauri::command]
pub async fn session_user(shell: State<'_, Shell>) -> Reply<SessionUser> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| Ok(session.session_user().clone()), |server| Ok(server.session_user()))
    })
    .await
}

/// The procedure's stages and steps, with what each step allows (repeats, months): the UI offers
/// them as the core defines them, keeping no copy of the rules.
#[tauri::command]
pub async fn procedure(shell: State<'_, Shell>) -> Reply<Procedure> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || shell.with_either(|session| Ok(session.procedure()), |_| Ok(Procedure::current())))
        .await
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_users(shell: State<'_, Shell>) -> Reply<Vec<User>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || shell.with_either(|session| session.users(), |server| server.users_listed())).await
}

/// Adds a user with a key slot of their own (Argon2id: about a quarter of a second).
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn add_user(
    shell: State<'_, Shell>,
    name: String,
    role: Role,
    branches: Vec<Id>,
    passphrase: String,
) -> Reply<User> {
    let (shell, passphrase) = (shell.inner().clone(), Zeroizing::new(passphrase));
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.add_user(&NewUser { name: &name, role, branches: &branches, passphrase: &passphrase }),
            |server| server.add_user_listed(&name, role, &branches, &passphrase),
        )
    })
    .await
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_user_role(shell: State<'_, Shell>, user_id: Id, role: Role, branches: Vec<Id>) -> Reply<User> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.set_user_role(user_id, role, &branches),
            |server| server.set_user_role_listed(user_id, role, &branches),
        )
    })
    .await
}

/// Removes a user and deletes their key slot.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn remove_user(shell: State<'_, Shell>, user_id: Id) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.remove_user(user_id), |server| server.remove_user_listed(user_id))
    })
    .await
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn reset_passphrase(shell: State<'_, Shell>, user_id: Id, passphrase: String) -> Reply<()> {
    let (shell, passphrase) = (shell.inner().clone(), Zeroizing::new(passphrase));
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.reset_passphrase(user_id, &passphrase),
            |server| server.reset_passphrase_listed(user_id, &passphrase),
        )
    })
    .await
}

/// Changes the signed-in user's own passphrase; `current` must open their slot.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn change_passphrase(app: AppHandle, shell: State<'_, Shell>, current: String, next: String) -> Reply<()> {
    let shell = shell.inner().clone();
    let (current, next) = (Zeroizing::new(current), Zeroizing::new(next));
    let changed = shell.clone();
    let on_server = blocking(shell.lang(), move || {
        changed.with_either(
            |session| session.change_own_passphrase(&current, &next).map(|()| None),
            // On a server, its feed of changes signs in with the new passphrase from now on.
            |server| server.change_own_passphrase(&current, &next).map(|()| Some(next.clone())),
        )
    })
    .await?;
    if let Some(next) = on_server {
        crate::server::follow_anew(app, shell, next);
    }
    Ok(())
}

/// Makes a new recovery code (the old one stops working) and returns it, grouped for reading.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn new_recovery_code(shell: State<'_, Shell>) -> Reply<String> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || shell.with_session(|session| Ok(session.new_recovery_code()?.grouped().to_string())))
        .await
}

/// Writes the one-page recovery key sheet for the code the UI was just shown.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn write_recovery_sheet(shell: State<'_, Shell>, code: String, path: PathBuf) -> Reply<()> {
    let (shell, code) = (shell.inner().clone(), Zeroizing::new(code));
    blocking(shell.lang(), move || {
        shell.with_session(|session| session.write_recovery_sheet(&RecoveryCode::parse(&code)?, &path))
    })
    .await
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn audit_log(shell: State<'_, Shell>, query: AuditQuery) -> Reply<AuditPage> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.audit_log(&query), |server| server.audit_log(&query))
    })
    .await
}

/// Writes the matching audit entries, oldest first with their hashes, to a CSV file.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn export_audit(shell: State<'_, Shell>, query: AuditQuery, path: PathBuf) -> Reply<u64> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(
            |session| session.export_audit(&query, &path),
            |server| server.export_audit(&query, &path, &folder),
        )
    })
    .await
}
