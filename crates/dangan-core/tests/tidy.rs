//! Architecture invariants as tests (rust-analyzer's `tidy.rs` is the model): what ARCHITECTURE.md
//! promises, checked on every `cargo test`, so the document cannot drift from the code unnoticed.

#![allow(clippy::unwrap_used)]

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
                if line.contains("rusqlite") || line.contains("store::internal") {
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

/// What a shell writes when it goes round the façade (`Session`, ARCHITECTURE.md): the store
/// itself, or the core's functions that work on a workspace.
const AROUND_THE_FACADE: [&str; 12] = [
    "Store",
    "store.",
    ".open_as(",
    ".create_with_recovery(",
    ".open_with_recovery(",
    "backup::write_backup",
    "backup::restore_backup",
    "backup::daily_backup",
    "dossier::write_one",
    "dossier::write_listed",
    "roster::export_xlsx",
    "dossier::write_recovery_sheet",
];

fn calls_around_the_facade(dir: &str) -> Vec<String> {
    let root = repo();
    let mut found = Vec::new();
    for file in rust_files(&root.join(dir)) {
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if AROUND_THE_FACADE.iter().any(|p| code.contains(p)) {
                found.push(format!("{}:{}: {}", file.strip_prefix(&root).unwrap().display(), i + 1, line.trim()));
            }
        }
    }
    found
}

/// "The shells call only the façade": the desktop shell reaches the core through `Session`.
#[test]
fn the_desktop_shell_calls_the_core_only_through_the_session() {
    let found = calls_around_the_facade("src-tauri/src");
    assert!(found.is_empty(), "src-tauri goes round dangan_core::Session:\n{}", found.join("\n"));
}

#[test]
fn the_facade_check_sees_a_call_round_it() {
    let probe = ["shell.with_store(|store| store.list_members(&q))", "backup::write_backup(&store, &ws, &to)"];
    for line in probe {
        assert!(AROUND_THE_FACADE.iter().any(|p| line.contains(p)), "{line}");
    }
    assert!(!AROUND_THE_FACADE.iter().any(|p| "shell.with_session(|session| session.backup_now(&p, r))".contains(p)));
}
