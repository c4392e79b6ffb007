//! Sends Dangan's reminders as desktop notifications: over D-Bus to the running notification
//! server on Linux (and the BSDs), as toasts on Windows, through the notification centre on macOS.
//!
//! The core decides *what* to say (`dangan_core::reminders::notices`); this crate only delivers
//! it, so the CLI (`dangan remind --notify`) and the desktop app send the same words. It is the
//! one place Dangan talks to another process, and only to the local session's notification
//! service: nothing here opens a network connection.

use dangan_core::reminders::Notice;
use dangan_core::{Error, Text};
use notify_rust::Notification;

/// The application name notification servers show and group by.
pub const APP_NAME: &str = "Dangan 档案";

/// A notification on screen. On Linux, it can wait for the worker to click it.
pub struct Shown {
    #[cfg(all(unix, not(target_os = "macos")))]
    handle: notify_rust::NotificationHandle,
}

impl Shown {
    /// Blocks until the notification is clicked (`true`) or closed (`false`). Where the platform
    /// reports no clicks, returns `false` at once.
    pub fn wait_for_click(self) -> bool {
        #[cfg(all(unix, not(target_os = "macos")))]
        {
            let mut clicked = false;
            self.handle.wait_for_action(|action| clicked = action == "default");
            clicked
        }
        #[cfg(not(all(unix, not(target_os = "macos"))))]
        {
            false
        }
    }
}

fn unavailable(cause: impl std::fmt::Display) -> Error {
    Error::NotificationsUnavailable {
        reason: Text::new(
            format!("无法发送桌面通知：没有正在运行的通知服务（{cause}）"),
            format!("cannot send a desktop notification: no notification service is running ({cause})"),
        ),
    }
}

/// Checks that a notification server is there to receive notifications, and names it.
pub fn server() -> Result<String, Error> {
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        let info = notify_rust::get_server_information().map_err(unavailable)?;
        Ok(format!("{} {}", info.name, info.version))
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        Ok("system".to_owned())
    }
}

/// Shows one notice. Clicking it (the default action) opens Dangan, at the member when the notice
/// is about one.
pub fn send(notice: &Notice) -> Result<Shown, Error> {
    let mut n = Notification::new();
    n.appname(APP_NAME).summary(&notice.summary).body(&notice.body);
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        n.action("default", "打开 Open");
        n.hint(notify_rust::Hint::Category("reminder".into()));
    }
    let _handle = n.show().map_err(unavailable)?;
    Ok(Shown {
        #[cfg(all(unix, not(target_os = "macos")))]
        handle: _handle,
    })
}
