//! Tauri's build step, with an app manifest: each command gets an `allow-<command>` permission, so a
//! command is callable only where `capabilities/` grants it, not by default. Keep this list equal
//! to the `generate_handler!` list in src/lib.rs (a command missing here is refused at run time).

const COMMANDS: &[&str] = &[
    "workspace_status",
    "reminders_checked",
    "set_language",
    "create_workspace",
    "unlock",
    "lock",
    "list_members",
    "get_member",
    "save_person",
    "save_event",
    "delete_event",
    "list_org_units",
    "add_org_unit",
    "import_roster",
    "export_members",
    "dashboard",
    "deadlines",
    "dismiss_deadline",
    "restore_deadline",
    "member_file",
    "save_record",
    "delete_record",
    "attachment_bytes",
    "delete_attachment",
    "save_attachment_as",
    "write_dossier",
    "write_dossiers",
    "open_path",
    "pick_folder",
    "backup_now",
    "cancel_job",
    "backup_settings",
    "set_backup_settings",
    "restore_backup",
    "pick_open_file",
    "pick_save_file",
    "unlock_with_recovery",
    "session_user",
    "list_users",
    "add_user",
    "set_user_role",
    "remove_user",
    "reset_passphrase",
    "change_passphrase",
    "new_recovery_code",
    "write_recovery_sheet",
    "audit_log",
    "export_audit",
];

fn main() {
    let attributes = tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(err) = tauri_build::try_build(attributes) {
        // A build script reports failure by panicking; the message is the configuration problem.
        panic!("tauri-build failed: {err:#}");
    }
}
