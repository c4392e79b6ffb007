//! Tauri's build step, with an app manifest: each command gets an `allow-<command>` permission, so a
//! command is callable only where `capabilities/` grants it, not by default. The commands are read
//! from the bridge's one table (`src/bridge.rs`), the same that registers them.

/// The command names of the table in `src/bridge.rs`: each line `module::name(…) -> …;` after
/// the line `bridge! {`.
fn commands(bridge: &str) -> Vec<String> {
    let table = bridge.split_once("\nbridge! {\n").map_or("", |(_, table)| table);
    table
        .lines()
        .filter_map(|line| {
            let (path, _) = line.trim().split_once('(')?;
            let (_, name) = path.split_once("::")?;
            Some(name.to_owned())
        })
        .collect()
}

fn main() {
    println!("cargo:rerun-if-changed=src/bridge.rs");
    let bridge = std::fs::read_to_string("src/bridge.rs").unwrap_or_else(|err| panic!("src/bridge.rs: {err}"));
    let commands = commands(&bridge);
    assert!(commands.len() > 10, "src/bridge.rs: the table of commands was not found");
    let names: Vec<&'static str> = commands.into_iter().map(|name| &*Box::leak(name.into_boxed_str())).collect();
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(Box::leak(names.into_boxed_slice())));
    if let Err(err) = tauri_build::try_build(attributes) {
        // A build script reports failure by panicking; the message is the configuration problem.
        panic!("tauri-build failed: {err:#}");
    }
}
