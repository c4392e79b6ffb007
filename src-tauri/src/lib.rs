//! Dangan's desktop shell: a Tauri v2 window that serves the built UI (`ui/dist`) and answers its
//! commands by calling dangan-core.
//!
//! Architecture invariant: no SQL and no rule of the domain here. A command takes the shell's
//! state, makes one call into dangan-core on a blocking thread, and returns the core's value or
//! its error as a [`dangan_core::BridgeError`]. If a command needs an `if` about members or the
//! procedure, that `if` belongs in dangan-core. Start reading at [`commands`].

pub mod accounts;
pub mod appraisal;
pub mod branch_life;
pub mod bridge;
pub mod commands;
pub mod complaints;
pub mod documents;
pub mod error;
pub mod membership;
pub mod reminders;
pub mod rendering;
pub mod server;
pub mod shell;
pub mod statistics;
mod tray;

use tauri::{Manager, WindowEvent};
use tauri_plugin_autostart::MacosLauncher;

pub use shell::{Shell, WorkspaceStatus};

/// The variable that names the workspace folder; the OS data folder when unset. The end-to-end
/// tests and `cargo xtask run` set it.
pub const WORKSPACE_VAR: &str = "DANGAN_WORKSPACE";

/// Starts the app: one instance per user, the main window, the commands, the tray icon and the
/// reminder clock. Closing the window hides it (the tray keeps the reminders coming); the tray's
/// quit ends the app.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let shell = Shell::from_env();
    let clock_shell = shell.clone();
    let app = tauri::Builder::default()
        // First, so that a second launch stops here and focuses the window of the first instead.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| reminders::show_window(app)))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_autostart::init(MacosLauncher::LaunchAgent, Some(vec![tray::MINIMIZED_ARG])))
        .manage(shell)
        .setup(move |app| {
            match tray::install(app.handle()) {
                // Started at login: straight to the tray; the reminders need no window.
                Ok(()) if std::env::args().any(|arg| arg == tray::MINIMIZED_ARG) => {
                    if let Some(window) = app.get_webview_window("main") {
                        window.hide().ok();
                    }
                }
                Ok(()) => {}
                // A desktop without a tray (some window managers) still gets the window and the reminders.
                Err(err) => tracing::warn!("no tray icon: {err}"),
            }
            reminders::start(app.handle().clone(), clock_shell);
            Ok(())
        })
        .on_window_event(|window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event
                && tray::is_installed()
            {
                api.prevent_close();
                window.hide().ok();
            }
        })
        .invoke_handler(bridge::handler())
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(err) => {
            eprintln!("error: Dangan could not start: {err}");
            std::process::exit(1);
        }
    }
}
