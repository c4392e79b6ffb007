//! Dangan's desktop shell: a Tauri v2 window that serves the built UI (`ui/dist`) and answers its
//! commands by calling dangan-core.
//!
//! Architecture invariant: no SQL and no rule of the domain here. A command takes the shell's
//! state, makes one call into dangan-core on a blocking thread, and returns the core's value or
//! its error as a [`dangan_core::BridgeError`]. If a command needs an `if` about members or the
//! procedure, that `if` belongs in dangan-core. Start reading at [`commands`].

pub mod commands;
pub mod error;
pub mod shell;

use tauri::Manager;

pub use shell::{Shell, WorkspaceStatus};

/// The variable that names the workspace folder; the OS data folder when unset. The end-to-end
/// tests and `cargo xtask run` set it.
pub const WORKSPACE_VAR: &str = "DANGAN_WORKSPACE";

/// Starts the app: one instance per user, the main window, the commands.
pub fn run() {
    let shell = Shell::from_env();
    let app = tauri::Builder::default()
        // First, so that a second launch stops here and focuses the window of the first instead.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                window.unminimize().ok();
                window.show().ok();
                window.set_focus().ok();
            }
        }))
        .plugin(tauri_plugin_dialog::init())
        .manage(shell)
        .invoke_handler(tauri::generate_handler![
            commands::workspace_status,
            commands::create_workspace,
            commands::unlock,
            commands::lock,
            commands::list_members,
            commands::get_member,
            commands::save_person,
            commands::save_event,
            commands::delete_event,
            commands::list_org_units,
            commands::add_org_unit,
            commands::import_roster,
            commands::cancel_import,
            commands::export_members,
            commands::pick_open_file,
            commands::pick_save_file,
        ])
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(err) => {
            eprintln!("error: Dangan could not start: {err}");
            std::process::exit(1);
        }
    }
}
