//! How the web view paints on Linux. WebKitGTK's default, accelerated compositing, is fast on a
//! GPU and slow without one: on software OpenGL (office VMs, thin clients, remote desktops, Xvfb)
//! the member list scrolled at 10–12 fps and a search painted in 151 ms at p50, where with
//! compositing off the same machine gave 62–66 fps and 69 ms (README, Performance). So the app
//! turns compositing off by itself (WebKit's own `WEBKIT_DISABLE_COMPOSITING_MODE`) when there is
//! no GPU it could use.
//!
//! "No GPU" is judged without opening OpenGL: no DRM render node (`/dev/dri/renderD*`, which
//! every Mesa and proprietary driver that accelerates WebKit needs), or Mesa told to render in
//! software (`LIBGL_ALWAYS_SOFTWARE`). Settings the user made win: `WEBKIT_DISABLE_COMPOSITING_MODE`
//! set either way is WebKit's own and left to it, and `DANGAN_GPU_COMPOSITING=1` keeps the
//! default even without a render node.

/// What the app does with WebKit's accelerated compositing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acceleration {
    /// WebKit's default (accelerated compositing where it can).
    Default,
    /// Off: painted without compositing, on the CPU.
    Off,
}

/// The choice, from the environment and whether a render node exists.
pub fn choose(var: impl Fn(&str) -> Option<String>, has_render_node: bool) -> Acceleration {
    let set = |name: &str| var(name).is_some_and(|v| !v.is_empty() && v != "0");
    if var("WEBKIT_DISABLE_COMPOSITING_MODE").is_some() || set("DANGAN_GPU_COMPOSITING") {
        return Acceleration::Default;
    }
    if set("LIBGL_ALWAYS_SOFTWARE") || !has_render_node {
        return Acceleration::Off;
    }
    Acceleration::Default
}

/// Whether this machine has a DRM render node.
pub fn has_render_node() -> bool {
    std::fs::read_dir("/dev/dri")
        .is_ok_and(|entries| entries.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD")))
}

/// Applies the choice for this process: WebKitGTK reads `WEBKIT_DISABLE_COMPOSITING_MODE` when it
/// starts, so this must run first thing in `main`, before any thread exists. (Turning the web
/// view's hardware-acceleration policy to "never" after it was made instead relaunched its web
/// process and lost the page: the end-to-end test saw the window stop answering.)
#[allow(unsafe_code)]
pub fn prepare_process() {
    #[cfg(target_os = "linux")]
    if choose(|name| std::env::var(name).ok(), has_render_node()) == Acceleration::Off {
        // SAFETY: `std::env::set_var` is unsound only while another thread reads or writes the
        // environment; this runs at the top of `main`, before the app, Tauri or GTK start any.
        unsafe { std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1") };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
        move |name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn without_a_gpu_the_web_view_paints_without_compositing() {
        assert_eq!(choose(env(&[]), false), Acceleration::Off, "no render node: Xvfb, a VM, a thin client");
        assert_eq!(choose(env(&[("LIBGL_ALWAYS_SOFTWARE", "1")]), true), Acceleration::Off);
        assert_eq!(choose(env(&[]), true), Acceleration::Default, "a GPU keeps WebKit's default");
        assert_eq!(choose(env(&[("LIBGL_ALWAYS_SOFTWARE", "0")]), true), Acceleration::Default);
    }

    #[test]
    fn the_users_own_settings_win() {
        assert_eq!(choose(env(&[("WEBKIT_DISABLE_COMPOSITING_MODE", "0")]), false), Acceleration::Default);
        assert_eq!(choose(env(&[("WEBKIT_DISABLE_COMPOSITING_MODE", "1")]), false), Acceleration::Default);
        assert_eq!(choose(env(&[("DANGAN_GPU_COMPOSITING", "1")]), false), Acceleration::Default);
    }
}
