//! The tray icon: it keeps Dangan running, and reminding, while its window is closed. Its menu
//! opens the window, checks for reminders now, turns starting at login on or off
//! (tauri-plugin-autostart: a login item started with `--minimized`, straight to the tray), or
//! quits (the only way to end the app once the tray is there; closing the window only hides it).

use std::sync::atomic::{AtomicBool, Ordering};

use tauri::menu::{CheckMenuItem, Menu, MenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Wry};

use tauri_plugin_autostart::ManagerExt;

use crate::reminders;

/// The argument the login item starts Dangan with: no window, only the tray and the reminders.
pub const MINIMIZED_ARG: &str = "--minimized";

static INSTALLED: AtomicBool = AtomicBool::new(false);

/// Whether the tray icon exists, so closing the window may hide it rather than quit.
pub fn is_installed() -> bool {
    INSTALLED.load(Ordering::SeqCst)
}

pub fn install(app: &AppHandle) -> tauri::Result<()> {
    let open = MenuItem::with_id(app, "open", "打开档案 Open Dangan", true, None::<&str>)?;
    let check = MenuItem::with_id(app, "check", "立即检查提醒 Check reminders now", true, None::<&str>)?;
    let at_login = app.autolaunch().is_enabled().unwrap_or(false);
    let autostart =
        CheckMenuItem::with_id(app, "autostart", "登录时启动 Start at login", true, at_login, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "退出 Quit", true, None::<&str>)?;
    let menu: Menu<Wry> = Menu::with_items(app, &[&open, &check, &autostart, &quit])?;
    let toggle = autostart.clone();
    let mut tray = TrayIconBuilder::with_id("dangan")
        .tooltip("档案 Dangan：入党工作提醒")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(move |app, event| match event.id.as_ref() {
            "open" => reminders::show_window(app),
            "check" => reminders::check_soon(),
            "autostart" => set_autostart(app, &toggle),
            "quit" => app.exit(0),
            _ => {}
        })
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click { button: MouseButton::Left, button_state: MouseButtonState::Up, .. } = event {
                reminders::show_window(tray.app_handle());
            }
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    INSTALLED.store(true, Ordering::SeqCst);
    Ok(())
}

/// Turns starting at login on or off, as the check mark the click just toggled says, and shows
/// what the system actually did.
fn set_autostart(app: &AppHandle, item: &CheckMenuItem<Wry>) {
    let launcher = app.autolaunch();
    let wanted = item.is_checked().unwrap_or(false);
    let result = if wanted { launcher.enable() } else { launcher.disable() };
    if let Err(err) = result {
        tracing::warn!("could not change starting at login: {err}");
    }
    item.set_checked(launcher.is_enabled().unwrap_or(false)).ok();
}
