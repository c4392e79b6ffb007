//! Hostile rosters whose danger is their size: each is refused with a plain message before it
//! is read into memory, so an import never exhausts the office PC's memory.

use std::io::Write;

use dangan_tests::{PASSPHRASE, TestWorkspace, dangan_binary};
use predicates::prelude::*;

/// `dangan` run with its address space capped at `limit_mb`: allocating past it fails, which
/// would abort the process rather than give a message.
fn dangan_capped(ws: &TestWorkspace, limit_mb: u64, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new("sh");
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    cmd.arg("-c")
        .arg(format!(
            "ulimit -v {}; exec '{}' --workspace '{}' {}",
            limit_mb * 1024,
            dangan_binary().display(),
            ws.dir().display(),
            quoted.join(" ")
        ))
        .env("DANGAN_PASSPHRASE", PASSPHRASE)
        .env("LANG", "en_US.UTF-8");
    cmd
}

#[test]
fn a_csv_larger_than_memory_allows_is_refused_unread() {
    let ws = TestWorkspace::initialised();
    let csv = ws.file("huge.csv");
    // Sparse: two gigabytes on paper, nothing on disk.
    let file = std::fs::File::create(&csv).unwrap();
    file.set_len(2 * 1024 * 1024 * 1024).unwrap();
    drop(file);
    dangan_capped(&ws, 1024, &["import", csv.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("the roster file is too large (2048 MB)"));
}

#[test]
fn an_xlsx_that_inflates_to_gigabytes_is_refused_before_it_is_inflated() {
    let ws = TestWorkspace::initialised();
    let path = ws.file("bomb.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let deflated =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(true);
    zip.start_file("xl/sharedStrings.xml", deflated).unwrap();
    let chunk = "<si><t>党</t></si>".repeat(64 * 1024);
    for _ in 0..(600 * 1024 * 1024 / chunk.len()) {
        zip.write_all(chunk.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size < 10 * 1024 * 1024, "a small file: {size} bytes");
    dangan_capped(&ws, 1024, &["import", path.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("it does not look like a roster and was not read"));
}
