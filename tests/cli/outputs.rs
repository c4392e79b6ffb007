//! What `dangan` writes for the user — files and standard output — as a hostile tester would aim
//! it: at the workspace itself, into a closed pipe, with text a spreadsheet or a calendar would
//! misread.

use std::process::{Command, Stdio};

use dangan_tests::{PASSPHRASE, TestWorkspace, dangan_binary};
use predicates::prelude::*;

fn office() -> TestWorkspace {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv(
        "roster.csv",
        "姓名,学号工号,所在党支部,递交入党申请书日期\n张三,2026001,第一党支部,2026-10-01\n李四,2026002,第一党支部,2026-10-02\n",
    );
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    ws
}

/// Every output command aimed at a file of the workspace (or a link to one, or the folder) is
/// refused naming the path, and the workspace still opens with everyone in it.
#[test]
fn no_output_lands_inside_the_workspace() {
    let ws = office();
    let key = ws.dir().join("dangan.key");
    let db = ws.dir().join("dangan.db");
    let key_before = std::fs::read(&key).unwrap();
    let link = ws.file("innocent.csv");
    std::os::unix::fs::symlink(&key, &link).unwrap();
    let inside = |p: &std::path::Path| p.to_str().unwrap().to_owned();
    let attempts: Vec<Vec<String>> = vec![
        vec!["audit".into(), "--out".into(), inside(&key)],
        vec!["audit".into(), "--out".into(), inside(&link)],
        vec!["deadlines".into(), "--ics".into(), inside(&db)],
        vec!["dossier".into(), "--member".into(), "1".into(), "--out".into(), inside(&key)],
        vec!["dossier".into(), "--all".into(), "--out".into(), inside(&ws.dir())],
        vec!["template".into(), inside(&key)],
        vec!["backup".into(), inside(&db)],
        vec!["export".into(), inside(&ws.dir().join("all.xlsx"))],
        vec!["recovery".into(), "--out".into(), inside(&ws.dir().join("sheet.pdf"))],
    ];
    for args in attempts {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        ws.dangan(&args)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("is inside the workspace folder"))
            .stderr(predicate::str::contains("Choose another place"));
        assert!(std::fs::read(&key).unwrap() == key_before, "{args:?} changed the key file");
    }
    assert_eq!(ws.members_json(&[]).len(), 2, "the workspace still opens");
    ws.dangan(&["verify"]).assert().success();
    // The recovery key was not replaced by the refused `recovery --out`: no new code was made.
    let audit = ws.dangan(&["audit", "--json"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&audit.stdout).contains("recovery_key"), "no recovery key was made");
}

#[test]
fn a_new_workspace_refuses_its_recovery_sheet_inside_itself_before_it_is_made() {
    let ws = TestWorkspace::new();
    let sheet = ws.dir().join("恢复密钥.pdf");
    ws.dangan(&["init", "--recovery-pdf", sheet.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is inside the workspace folder"));
    assert!(!ws.dir().join("dangan.key").exists(), "no workspace was made");
}

/// A write that fails keeps what was at the path and leaves no temporary file beside it.
#[test]
fn an_output_is_written_whole_or_not_at_all() {
    let ws = office();
    let out = ws.file("all.xlsx");
    std::fs::write(&out, b"the previous export").unwrap();
    // The folder is read-only: the new file cannot be made, the old one stays as it was.
    let folder = ws.file("locked");
    std::fs::create_dir(&folder).unwrap();
    let target = folder.join("all.xlsx");
    std::fs::write(&target, b"the previous export").unwrap();
    let mut perms = std::fs::metadata(&folder).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o555);
    std::fs::set_permissions(&folder, perms.clone()).unwrap();
    let writable = std::fs::File::create(folder.join("probe")).is_ok();
    if !writable {
        ws.dangan(&["export", target.to_str().unwrap()]).assert().code(1);
        assert_eq!(std::fs::read(&target).unwrap(), b"the previous export");
        assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1, "no temporary file was left");
    }
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&folder, perms).unwrap();
    // A successful export replaces the old file whole.
    ws.dangan(&["export", out.to_str().unwrap()]).assert().success();
    assert!(std::fs::read(&out).unwrap().starts_with(b"PK"), "a real .xlsx replaced the old bytes");
    let names: Vec<String> =
        std::fs::read_dir(ws.root.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    assert!(!names.iter().any(|n| n.ends_with(".part")), "no temporary file left: {names:?}");
}

/// `dangan import r.csv | true`: the import commits, the report meets a closed pipe. The command
/// must not claim failure (a retrying script would import everyone twice).
#[test]
fn a_closed_pipe_after_a_committed_import_is_not_a_failure() {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv(
        "roster.csv",
        "姓名,学号工号,所在党支部,递交入党申请书日期\n张三,2026001,第一党支部,2026-10-01\n李四,2026002,第一党支部,2026-10-02\n",
    );
    for args in [vec!["import", roster.to_str().unwrap()], vec!["members"], vec!["members", "--json"]] {
        let mut child = Command::new(dangan_binary())
            .arg("--workspace")
            .arg(ws.dir())
            .args(&args)
            .env("DANGAN_PASSPHRASE", PASSPHRASE)
            .env("LANG", "en_US.UTF-8")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before reading anything, as `| true` does.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("internal error") && !stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    assert_eq!(ws.members_json(&[]).len(), 2, "the import was committed once");
}

/// Names and user names are the users' own text: in the audit CSV a formula stays text.
#[test]
fn the_audit_csv_neutralises_formulas_and_the_xlsx_export_keeps_text_as_text() {
    let ws = TestWorkspace::new();
    ws.dangan(&["init", "--user", "=cmd|' /C calc'!A0"]).assert().success();
    let roster = ws.write_csv(
        "roster.csv",
        "姓名,学号工号,所在党支部,递交入党申请书日期\n\"=HYPERLINK(\"\"http://evil\"\",\"\"点我\"\")\",2026001,@第一党支部,2026-10-01\n",
    );
    let as_admin = |args: &[&str]| {
        let mut cmd = ws.dangan(args);
        cmd.env("DANGAN_USER", "=cmd|' /C calc'!A0");
        cmd
    };
    as_admin(&["import", roster.to_str().unwrap()]).assert().success();
    let csv = ws.file("audit.csv");
    as_admin(&["audit", "--out", csv.to_str().unwrap()]).assert().success();
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let cells: Vec<String> =
        reader.records().flat_map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>()).collect();
    assert!(cells.iter().any(|c| c == "'=cmd|' /C calc'!A0"), "the user name is neutralised: {cells:?}");
    assert!(cells.iter().any(|c| c.starts_with("'=HYPERLINK(")), "the member's name is neutralised: {cells:?}");
    assert!(!cells.iter().any(|c| c.starts_with('=') || c.starts_with('@')), "no cell starts a formula: {cells:?}");

    // The .xlsx export writes the name as a string cell, exactly as typed, and it re-imports.
    let xlsx = ws.file("all.xlsx");
    as_admin(&["export", xlsx.to_str().unwrap()]).assert().success();
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let range = calamine::Reader::worksheet_range_at(&mut book, 0).unwrap().unwrap();
    let name = range.get((1, 1)).or_else(|| range.get((1, 0))).cloned();
    let names: Vec<String> = range.rows().skip(1).flat_map(|r| r.iter().map(|c| c.to_string())).collect();
    assert!(names.iter().any(|c| c == "=HYPERLINK(\"http://evil\",\"点我\")"), "{name:?} {names:?}");
    assert!(range.rows().skip(1).all(|r| r.iter().all(|c| !matches!(c, calamine::Data::Error(_)))));
}

/// RFC 5545: DTEND of an all-day event is exclusive, so a one-day event ends the next day.
#[test]
fn calendar_events_last_their_whole_day() {
    let ws = office();
    let ics = ws.file("deadlines.ics");
    ws.dangan(&["deadlines", "--as-of", "2026-10-05", "--ics", ics.to_str().unwrap()]).assert().success();
    let text = std::fs::read_to_string(&ics).unwrap().replace("\r\n ", "");
    let starts: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("DTSTART;VALUE=DATE:")).collect();
    let ends: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("DTEND;VALUE=DATE:")).collect();
    assert!(!starts.is_empty(), "{text}");
    assert_eq!(starts.len(), ends.len(), "every event has an end: {text}");
    for (start, end) in starts.iter().zip(&ends) {
        let start = chrono::NaiveDate::parse_from_str(start, "%Y%m%d").unwrap();
        let end = chrono::NaiveDate::parse_from_str(end, "%Y%m%d").unwrap();
        assert_eq!(end, start.succ_opt().unwrap(), "{text}");
    }
}

/// Past 100,000 people nothing is cut: the list, the export kept as a roster backup and the
/// dossier batch's selection take everyone.
#[test]
fn lists_and_exports_take_everyone_past_one_hundred_thousand() {
    const PEOPLE: usize = 100_010;
    let ws = TestWorkspace::initialised();
    let roster = ws.file("big.csv");
    ws.dangan(&["bench-roster", "--rows", &PEOPLE.to_string(), "--out", roster.to_str().unwrap()]).assert().success();
    ws.dangan(&["import", roster.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("{PEOPLE} added")));
    assert_eq!(ws.members_json(&[]).len(), PEOPLE);
    let text = ws.dangan(&["members"]).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.trim_end().ends_with(&format!("{PEOPLE} people")), "{}", &text[text.len().saturating_sub(200)..]);
    assert_eq!(text.lines().count(), PEOPLE + 2, "a header, every member, the count");

    let xlsx = ws.file("all.xlsx");
    ws.dangan(&["export", xlsx.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("Exported {PEOPLE} people")));
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let range = calamine::Reader::worksheet_range_at(&mut book, 0).unwrap().unwrap();
    assert_eq!(range.height(), PEOPLE + 1, "a header and every member");
}
