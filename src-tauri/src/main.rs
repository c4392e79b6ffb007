// No console window beside the app on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // First, while the process has one thread: it may set an environment variable WebKit reads.
    dangan_desktop::rendering::prepare_process();
    dangan_desktop::run();
}
