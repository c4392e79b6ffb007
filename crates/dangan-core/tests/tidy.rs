//! Architecture invariants as tests (rust-analyzer's `tidy.rs` is the model): what ARCHITECTURE.md
//! promises, checked on every `cargo test`, so the document cannot drift from the code unnoticed.

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// A string literal that is SQL: it opens with a statement's first words.
fn holds_sql(line: &str) -> bool {
    const STARTS: [&str; 10] =
        ["SELECT ", "INSERT ", "UPDATE ", "DELETE ", "PRAGMA ", "CREATE ", "DROP ", "ATTACH ", "BEGIN ", "WITH "];
    line.split('"').skip(1).step_by(2).any(|literal| STARTS.iter().any(|s| literal.trim_start().starts_with(s)))
}

/// "Nothing outside `dangan_core::store` writes SQL" (ARCHITECTURE.md): so that every statement is
/// in one place, ready for a second database engine behind the same store.
#[test]
fn no_sql_outside_the_store() {
    let root = repo();
    let store = root.join("crates/dangan-core/src/store");
    let mut found = Vec::new();
    let mut scanned = 0;
    for dir in ["crates/dangan-core/src", "crates/dangan-cli/src", "crates/dangan-notify/src", "src-tauri/src"] {
        for file in rust_files(&root.join(dir)) {
            if file.starts_with(&store) {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            scanned += 1;
            for (i, line) in text.lines().enumerate() {
                if holds_sql(line) {
                    found.push(format!("{}:{}: {}", file.strip_prefix(&root).unwrap().display(), i + 1, line.trim()));
                }
            }
        }
    }
    assert!(scanned > 50, "only {scanned} files were read: the walk is broken");
    assert!(found.is_empty(), "SQL outside crates/dangan-core/src/store/:\n{}", found.join("\n"));
}

/// "A change begins its transaction (`Store::begin_change`) before it reads what it rests on"
/// (ARCHITECTURE.md): a transaction begun after the change's reads wrote what they read over what
/// another process committed while this one waited for the lock. The store's opening (`mod.rs`),
/// the bulk write (`bulk.rs`, which waits with progress), the benchmark's filler and the users'
/// changes (`users.rs`: the key file's lock is taken first, then the database's) begin their own.
/// A file's unit tests (from its `#[cfg(test)]` on) are not the store's changes.
#[test]
fn the_workspace_store_begins_changes_only_through_begin_change() {
    let root = repo();
    let store = root.join("crates/dangan-core/src/store");
    let mut found = Vec::new();
    for file in std::fs::read_dir(&store).unwrap().flatten().map(|e| e.path()) {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".rs") || ["mod.rs", "bulk.rs", "bench_fill.rs", "users.rs"].contains(&name.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, line) in text.lines().enumerate().take_while(|(_, line)| line.trim() != "#[cfg(test)]") {
            let begins = ["transaction_with_behavior(", "Transaction::new_unchecked(", ".transaction()"];
            if begins.iter().any(|b| line.contains(b)) {
                found.push(format!("store/{name}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "a change begun otherwise than by Store::begin_change:\n{}", found.join("\n"));
}

/// Only the store holds a database connection: the rest of the core asks the store (a roster
/// import through `BulkWrite`), so no module can run a statement past the store's role checks and
/// audit triggers. `error.rs` may name rusqlite's error type, to say what went wrong.
#[test]
fn only_the_store_touches_the_database_library() {
    let root = repo();
    let store = root.join("crates/dangan-core/src/store");
    let allowed = root.join("crates/dangan-core/src/error.rs");
    let mut found = Vec::new();
    for dir in ["crates/dangan-core/src", "crates/dangan-cli/src", "src-tauri/src"] {
        for file in rust_files(&root.join(dir)) {
            if file.starts_with(&store) || file == allowed {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            for (i, line) in text.lines().enumerate() {
                // Both engines: the workspace's SQLCipher and the shared server's PostgreSQL.
                let engine = ["rusqlite", "postgres::", "postgres_openssl", "postgres_protocol"];
                if engine.iter().any(|e| line.contains(e)) || line.contains("store::internal") {
                    found.push(format!("{}:{}: {}", file.strip_prefix(&root).unwrap().display(), i + 1, line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "the database reached outside crates/dangan-core/src/store/:\n{}", found.join("\n"));
}

#[test]
fn the_sql_check_sees_sql_and_nothing_else() {
    assert!(holds_sql(r#"conn.query_row("SELECT count(*) FROM people", [], |r| r.get(0))"#));
    assert!(holds_sql(r#"tx.execute("  INSERT INTO meta (key) VALUES (?1)", [k])"#));
    assert!(!holds_sql(r#"assert!(ics.starts_with("BEGIN:VCALENDAR"))"#));
    assert!(!holds_sql(r#"println!("Selected 3 people")"#));
}

/// Every file ARCHITECTURE.md names in backquotes (`store/audit.rs`, `rules/checklist.toml`,
/// `src/lib/api/`, …) exists: the map is true line by line.
#[test]
fn every_path_architecture_md_names_exists() {
    let root = repo();
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let mut all_files: Vec<String> = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') || name == "target" || name == "node_modules" || name == "dist" {
                continue;
            }
            let relative = path.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                all_files.push(format!("{relative}/"));
                stack.push(path);
            } else {
                all_files.push(relative);
            }
        }
    }
    let mut missing = Vec::new();
    let mut checked = 0;
    for token in text.split('`').skip(1).step_by(2) {
        let is_path =
            (token.ends_with(".rs") || token.ends_with(".toml") || token.ends_with(".ts") || token.ends_with('/'))
                && !token.contains(' ')
                && !token.contains('*')
                && !token.starts_with("~/")
                && !token.starts_with('<');
        if !is_path {
            continue;
        }
        // Named relative to where the text is: a path ending the same way somewhere in the tree.
        let wanted = token.trim_start_matches("./");
        checked += 1;
        if !all_files.iter().any(|f| f == wanted || f.ends_with(&format!("/{wanted}"))) {
            missing.push(token.to_owned());
        }
    }
    assert!(checked > 30, "only {checked} paths were found in ARCHITECTURE.md: the parsing is broken");
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "ARCHITECTURE.md names paths that do not exist: {missing:?}");
}

/// What a shell names when it goes past the façade (`Session`): the store, and what opens or
/// reads a workspace without it.
const PAST_THE_FACADE: [&str; 7] = [
    "Store",
    "DossierData",
    "NewAttachment",
    "open_as",
    "open_with_recovery",
    "create_with_recovery",
    "change_passphrase_as",
];

/// The core's free functions that work on a workspace; `Session` has a method for each (some of
/// the same name: `session.write_recovery_sheet(…)` is the façade, `write_recovery_sheet(…)` not).
const WORKSPACE_FUNCTIONS: [&str; 15] = [
    "write_backup",
    "write_backup_with_progress",
    "restore_backup",
    "restore_backup_as",
    "restore_backup_with_progress",
    "daily_backup",
    "write_one",
    "write_listed",
    "write_batch",
    "write_recovery_sheet",
    "export_xlsx",
    "export_xlsx_with_progress",
    "write_template",
    "write_ics",
    "populate",
];

/// What a `Workspace` may do in a shell without a session: name its folder.
const WORKSPACE_NAMING: [&str; 7] = ["at", "default_dir", "dir", "exists", "db_path", "clone", "as_ref"];

/// Why a line of a shell reaches past `Session`, if it does. Comment lines are skipped.
fn past_the_facade(line: &str) -> Option<String> {
    let code = line.trim_start();
    if code.starts_with("//") {
        return None;
    }
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    // Each identifier with the character before it and the text after it.
    let mut at = 0;
    while let Some(start) = code[at..].find(is_ident).map(|i| at + i) {
        let len = code[start..].find(|c: char| !is_ident(c)).unwrap_or(code.len() - start);
        let (ident, rest) = (&code[start..start + len], &code[start + len..]);
        let before = code[..start].chars().next_back();
        at = start + len;
        if before.is_some_and(|c| c.is_ascii_digit()) {
            continue;
        }
        // The desktop shell's own commands share some names (`commands::restore_backup`, the
        // bridge table's lines, their definitions): those are not the core's functions.
        let own = ["fn ", "commands::", "accounts::"].iter().any(|p| code[..start].ends_with(p));
        if PAST_THE_FACADE.contains(&ident) || (WORKSPACE_FUNCTIONS.contains(&ident) && before != Some('.') && !own) {
            return Some(format!("`{ident}`"));
        }
        if ident == "store" && rest.starts_with('.') {
            return Some("a `store.` call".into());
        }
        // `workspace.open_as(…)`, `Workspace::create(…)`: anything but naming the folder.
        let method = if ident == "workspace" && rest.starts_with('.') {
            Some(&rest[1..])
        } else if ident == "Workspace" && rest.starts_with("::") {
            Some(&rest[2..])
        } else {
            None
        };
        if let Some(method) = method {
            let name = &method[..method.find(|c: char| !is_ident(c)).unwrap_or(method.len())];
            if method[name.len()..].starts_with('(') && !WORKSPACE_NAMING.contains(&name) {
                return Some(format!("`{ident}{}{name}(`", if ident == "workspace" { "." } else { "::" }));
            }
        }
        if ident == "output" && rest.starts_with("::write") {
            return Some("`output::write`".into());
        }
    }
    None
}

/// Every line of the shell under `dir` that reaches past `Session`, with where and why.
fn lines_past_the_facade(dir: &str, at_least: usize) -> Vec<String> {
    let root = repo();
    let mut found = Vec::new();
    let files = rust_files(&root.join(dir));
    assert!(files.len() >= at_least, "only {} files were read in {dir}: the walk is broken", files.len());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, line) in text.lines().enumerate() {
            if let Some(why) = past_the_facade(line) {
                let place = format!("{}:{}", file.strip_prefix(&root).unwrap().display(), i + 1);
                found.push(format!("{place}: {why} in {}", line.trim()));
            }
        }
    }
    found
}

/// "The shells call only `Session`" (ARCHITECTURE.md): the CLI opens, changes and writes a
/// workspace through the façade's methods, never through the store, the key file or a core
/// function that takes a store, so nothing it does can differ from what the app does.
#[test]
fn the_cli_calls_the_core_only_through_session() {
    let found = lines_past_the_facade("crates/dangan-cli/src", 10);
    assert!(found.is_empty(), "the CLI reaches past dangan_core::Session:\n{}", found.join("\n"));
}

#[test]
fn the_facade_check_sees_calls_past_session_and_nothing_else() {
    for past in [
        "use dangan_core::{Error, Result, Store, Text};",
        "let store = cx.workspace.open_as(self.user(), &pass)?;",
        "let (store, code) = cx.workspace.create_with_recovery(&new)?;",
        "cx.workspace.add_user(&mut store, &new)?;",
        "let size = backup::write_backup(&store, &cx.workspace, &args.file)?;",
        "use dangan_core::dossier::{RecoverySheet, write_recovery_sheet};",
        "let n = store.count_people()?;",
        "dangan_core::output::write(dir, &path, text.as_bytes())?;",
        "Workspace::create(&dir)",
    ] {
        assert!(past_the_facade(past).is_some(), "not seen: {past}");
    }
    for fine in [
        "pub async fn restore_backup(shell: State<'_, Shell>, path: PathBuf) -> Reply<()> {",
        "    commands::restore_backup(shell; path: PathBuf, passphrase: String | on_progress) -> ();",
        "let session = Session::unlock(self.workspace.clone(), self.user(), &pass)?;",
        "Ok(Context { workspace: Workspace::at(dir), user })",
        "return Err(Error::WorkspaceMissing { path: self.workspace.dir().to_owned() });",
        "Command::Restore(args) => workspace::restore(args, &cx),",
        "use dangan_core::store::MemberQuery;",
        "cx.human.restored(cx.workspace.dir(), session.count_people()?)",
        "session.write_recovery_sheet(&code, pdf)?;",
        "// the store. keeps it",
    ] {
        assert_eq!(past_the_facade(fine), None, "{fine}");
    }
}

/// The same of the desktop shell: every command reaches the core through `Session`.
#[test]
fn the_desktop_shell_calls_the_core_only_through_session() {
    let found = lines_past_the_facade("src-tauri/src", 5);
    assert!(found.is_empty(), "src-tauri reaches past dangan_core::Session:\n{}", found.join("\n"));
}
