//! The complaints register from the command line (`dangan complaints`): a discipline inspector
//! registers, lists, opens, handles and closes entries; everyone else is refused with exit 6 and
//! sees only the counts; the audit log names the register and records the reading; the entry's
//! words are in no file of the workspace.

use dangan_tests::TestWorkspace;
use predicates::prelude::*;

const WORDS: &str = "反映某同志在评优中弄虚作假的具体情况";

fn as_user(ws: &TestWorkspace, name: &str, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = ws.dangan(args);
    cmd.env("DANGAN_USER", name).env("DANGAN_PASSPHRASE", format!("{name}-passphrase"));
    cmd
}

#[test]
fn an_inspector_keeps_the_register_and_everyone_else_is_refused_with_exit_6() {
    let ws = TestWorkspace::initialised();
    for (name, role) in [("李纪检", "discipline_inspector"), ("赵组织", "organiser")] {
        ws.dangan(&["users", "add", name, "--role", role])
            .env("DANGAN_NEW_PASSPHRASE", format!("{name}-passphrase"))
            .assert()
            .success();
    }
    as_user(
        &ws,
        "李纪检",
        &["complaints", "add", "--channel", "letter", "--received", "2026-11-18", "--summary", WORDS, "--elsewhere"],
    )
    .assert()
    .success()
    .stdout(predicate::str::contains("2026-001"));
    let out = as_user(&ws, "李纪检", &["complaints", "list", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(lines[0]["number"], "2026-001");
    assert!(lines[0]["forward_due"].is_string(), "{lines}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("弄虚作假"), "the list holds no words");
    // The forwarding due in five working days reminds the inspector (by the entry's number, never
    // its words), and no one else.
    let out = as_user(&ws, "李纪检", &["remind", "--as-of", "2026-11-24", "--json"]).output().unwrap();
    let due: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(due.as_array().map(Vec::len), Some(1), "{due}");
    assert_eq!((due[0]["rule"].as_str(), due[0]["due"].as_str()), (Some("complaint_forward"), Some("2026-11-25")));
    assert!(due[0]["complaint_id"].is_number(), "{due}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("弄虚作假"));
    let out = ws.dangan(&["remind", "--as-of", "2026-11-24", "--json"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("complaint"), "the administrator is not reminded");
    as_user(&ws, "李纪检", &["complaints", "show", "--entry", "2026-001"])
        .assert()
        .success()
        .stdout(predicate::str::contains(WORDS));
    as_user(
        &ws,
        "李纪检",
        &["complaints", "handle", "--entry", "2026-001", "--handling", "forwarded", "--date", "2026-11-20"],
    )
    .assert()
    .failure()
    .stderr(predicate::str::contains("--to").or(predicate::str::contains("body it goes to")));
    as_user(
        &ws,
        "李纪检",
        &[
            "complaints",
            "handle",
            "--entry",
            "2026-001",
            "--handling",
            "forwarded",
            "--to",
            "区纪委",
            "--date",
            "2026-11-20",
        ],
    )
    .assert()
    .success();
    // A scan attached, and written back out whole.
    let scan = ws.file("举报信.jpg");
    std::fs::write(&scan, [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 7, 7, 7]).unwrap();
    as_user(&ws, "李纪检", &["complaints", "attach", "--entry", "2026-001", "--file", scan.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("举报信.jpg"));
    let out = as_user(&ws, "李纪检", &["complaints", "show", "--entry", "2026-001", "--json"]).output().unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let file_id = shown["attachments"][0]["id"].to_string();
    let copy = ws.file("副本.jpg");
    as_user(
        &ws,
        "李纪检",
        &["complaints", "attachment", "--entry", "2026-001", "--id", &file_id, "--out", copy.to_str().unwrap()],
    )
    .assert()
    .success();
    assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(&scan).unwrap());
    as_user(
        &ws,
        "李纪检",
        &["complaints", "close", "--entry", "2026-001", "--date", "2026-11-23", "--result", "已转区纪委"],
    )
    .assert()
    .success();

    // One entry at a time, printed: the register's only way out.
    let form = ws.file("办理登记表.pdf");
    as_user(&ws, "李纪检", &["complaints", "print", "--entry", "2026-001", "--out", form.to_str().unwrap()])
        .assert()
        .success();
    assert!(dangan_tests::pdftotext(&form, false).contains("2026-001"));
    ws.dangan(&["complaints", "print", "--entry", "2026-001", "--out", ws.file("x.pdf").to_str().unwrap()])
        .assert()
        .code(6);

    // The administrator and an organiser: refused (exit 6), the counts only.
    for user in [None, Some("赵组织")] {
        let run = |args: &[&str]| match user {
            Some(name) => as_user(&ws, name, args),
            None => ws.dangan(args),
        };
        run(&["complaints", "list"]).assert().code(6);
        run(&["complaints", "show", "--entry", "2026-001"]).assert().code(6);
        run(&["complaints", "add", "--channel", "phone", "--received", "2026-11-18", "--summary", "x"])
            .assert()
            .code(6);
        run(&["complaints", "count"]).assert().success().stdout(predicate::str::contains("1"));
    }

    // The audit log names the register and records the reading.
    let out = ws.dangan(&["audit", "--json"]).output().unwrap();
    let log = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(log.contains("complaint_reads") && log.contains("李纪检"), "{log}");
    assert!(!log.contains("弄虚作假"));
    // No file of the workspace holds the words.
    for item in std::fs::read_dir(ws.dir()).unwrap() {
        let path = item.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            let needle = WORDS.as_bytes();
            assert!(!bytes.windows(needle.len()).any(|w| w == needle), "{}", path.display());
        }
    }
}

/// `complaints grant NAME` signs in as `--user` (the holder) and gives the key to NAME: the
/// inspector's name once shared the global `--user`'s id, so the command signed in as the
/// inspector it was to give the key to, and was refused.
#[test]
fn a_holder_gives_the_key_to_another_inspector_from_the_command_line() {
    let ws = TestWorkspace::initialised();
    for name in ["李纪检", "王纪检"] {
        ws.dangan(&["users", "add", name, "--role", "discipline_inspector"])
            .env("DANGAN_NEW_PASSPHRASE", format!("{name}-passphrase"))
            .assert()
            .success();
    }
    as_user(
        &ws,
        "李纪检",
        &["complaints", "add", "--channel", "letter", "--received", "2026-11-18", "--summary", WORDS],
    )
    .assert()
    .success();
    as_user(&ws, "王纪检", &["complaints", "show", "--entry", "2026-001"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("has not been given to you yet"));
    as_user(&ws, "李纪检", &["complaints", "waiting"]).assert().success().stdout(predicate::str::contains("王纪检"));
    as_user(&ws, "李纪检", &["complaints", "grant", "王纪检"]).assert().success();
    as_user(&ws, "王纪检", &["complaints", "show", "--entry", "2026-001"])
        .assert()
        .success()
        .stdout(predicate::str::contains(WORDS));
}
