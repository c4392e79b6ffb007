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

/// Control, direction and invisible characters: refused in every text field (naming the row,
/// the field and the character's code), stripped from names where invisible, never printed raw;
/// a long hostile text is echoed cut.
#[test]
fn hostile_text_is_refused_by_name_and_code_and_never_printed_raw() {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv(
        "hostile.csv",
        &format!(
            "姓名,学号工号,所在党支部,递交入党申请书日期,备注\n\
             张\u{1b}[31m三,2026001,第一党支部,2026-10-01,\n\
             李四,2026002,第一党支部\u{202E}gpj.exe,2026-10-01,\n\
             王五,2026003,第一党支部,2026-10-01,响铃\u{7}\n\
             赵六,2026004,{},2026-10-01,\n",
            "支".repeat(10_000)
        ),
    );
    let out = ws.dangan(&["import", roster.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("row 2, column “姓名”") && stderr.contains("U+001B"), "{stderr}");
    assert!(stderr.contains("row 3, column “所在党支部”") && stderr.contains("U+202E"), "{stderr}");
    assert!(stderr.contains("row 4, column “备注”") && stderr.contains("U+0007"), "{stderr}");
    assert!(stderr.contains("row 5, column “所在党支部”") && stderr.contains("longer than 64"), "{stderr}");
    assert!(stderr.len() < 4_000, "a 10,000-character branch is echoed cut, not whole: {} bytes", stderr.len());
    for raw in ['\u{1b}', '\u{7}', '\u{202E}'] {
        assert!(!stderr.contains(raw), "{raw:?} reached the terminal raw");
    }
    assert!(ws.members_json(&[]).is_empty(), "nothing was imported");

    // Zero-width characters are taken out of names: the lookalike is the same person.
    let invisible = ws.write_csv(
        "invisible.csv",
        "姓名,学号工号,所在党支部,递交入党申请书日期\n张\u{200B}三,2026001,第一\u{200D}党支部,2026-10-01\n",
    );
    ws.dangan(&["import", invisible.to_str().unwrap()]).assert().success();
    let members = ws.members_json(&[]);
    assert_eq!(members[0]["name"], "张三");
    assert_eq!(members[0]["branch"], "第一党支部");
}
