//! The tray icon: it keeps Dangan running, and reminding, while its window is closed. Its menu
//! opens the window, checks for reminders now, or quits (the only way to end the app once the
//! tray is there; closing the window only hides it).

use std::sync::atomic::{AtomicBool, Ordering};

use tauri::menu::{Menu, MenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Wry};

use crate::reminders;

static INSTALLED: AtomicBool = AtomicBool::new(false);

/// Whether the tray icon exists, so closing the window may hide it rather than quit.
pub fn is_installed() -> bool {
    INSTALLED.load(Ordering::SeqCst)
}

pub fn install(app: &AppHandle) -> tauri::Result<()> {
    let open = MenuItem::with_id(app, "open", "打开档案 Open Dangan", true, None::<&str>)?;
    let check = MenuItem::with_id(app, "check", "立即检查提醒 Check reminders now", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "退出 Quit", true, None::<&str>)?;
    let menu: Menu<Wry> = Menu::with_items(app, &[&open, &check, &quit])?;
    let mut tray = TrayIconBuilder::with_id("dangan")
        .tooltip("档案 Dangan：入党工作提醒")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| match event.id.as_ref() {
            "open" => reminders::show_window(app),
            "check" => reminders::check_soon(),
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
