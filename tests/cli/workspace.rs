//! The encrypted workspace through the CLI: init, unlock, wrong passphrase, passwd, no plaintext.

use dangan_tests::{TestWorkspace, contains_bytes, files_with_contents};

const ROSTER: &str = "姓名,性别,学号工号,所在支部,申请入党日期\n张三,男,2021001,第一党支部,2025-10-08\n";

#[test]
fn init_creates_an_encrypted_workspace_and_refuses_to_overwrite_it() {
    let ws = TestWorkspace::new();
    ws.dangan(&["init"]).assert().success().stdout(predicates::str::contains("Created an encrypted workspace"));
    assert!(ws.dir().join("dangan.db").exists());
    assert!(ws.dir().join("dangan.key").exists());
    let before = files_with_contents(&ws.dir());
    ws.dangan(&["init"]).assert().code(1).stderr(predicates::str::contains("already exists"));
    assert_eq!(files_with_contents(&ws.dir()), before, "a refused init changes nothing");
}

#[test]
fn a_wrong_passphrase_is_refused_before_any_file_is_touched() {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv("roster.csv", ROSTER);
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let before = files_with_contents(&ws.dir());
    ws.dangan(&["members"])
        .env("DANGAN_PASSPHRASE", "not the passphrase")
        .assert()
        .code(3)
        .stderr("error: wrong passphrase\n");
    ws.dangan_zh(&["members"])
        .env("DANGAN_PASSPHRASE", "not the passphrase")
        .assert()
        .code(3)
        .stderr("错误：口令错误\n");
    // The count of wrong passphrases is kept beside the key file; nothing else changed, and no
    // journal was created.
    let after: Vec<_> =
        files_with_contents(&ws.dir()).into_iter().filter(|(p, _)| !p.ends_with("dangan.attempts")).collect();
    assert_eq!(after, before, "no workspace file changed, no journal created");
    assert!(ws.dir().join("dangan.attempts").exists());
}

/// The count cannot be reset by pointing HOME or the cache folder elsewhere.
#[test]
fn wrong_passphrases_are_counted_whatever_home_or_cache_folder_is_set() {
    let ws = TestWorkspace::initialised();
    let wrong_elsewhere = |i: usize| {
        let elsewhere = ws.file(&format!("home-{i}"));
        ws.dangan(&["members"])
            .env("DANGAN_PASSPHRASE", "not the passphrase")
            .env("HOME", &elsewhere)
            .env("XDG_CACHE_HOME", &elsewhere)
            .output()
            .unwrap()
    };
    for i in 0..3 {
        let out = wrong_elsewhere(i);
        assert_eq!(out.status.code(), Some(3));
        assert_eq!(String::from_utf8_lossy(&out.stderr), "error: wrong passphrase\n");
    }
    // From here each attempt waits twice as long as the one before (2 s, 4 s, 8 s …) after the
    // last: however slow this machine is, one of the next attempts comes within its wait and is
    // refused before its passphrase is tried. Had a new HOME reset the count, none would be.
    let refused = (3..10).any(|i| {
        let out = wrong_elsewhere(i);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{stderr}");
        if stderr.contains("too many wrong passphrases in a row") {
            return true;
        }
        assert_eq!(stderr, "error: wrong passphrase\n");
        false
    });
    assert!(refused, "the wrong passphrases given under other HOME folders were counted");
}

/// A damaged byte in the key file is damage, said as such: not "wrong passphrase", not counted.
#[test]
fn a_flipped_byte_in_the_key_file_reads_as_damage_and_is_not_counted() {
    let ws = TestWorkspace::initialised();
    let key = ws.dir().join("dangan.key");
    let text = std::fs::read_to_string(&key).unwrap();
    let at = text.find("\"salt\": \"").unwrap() + 10;
    let mut bytes = text.into_bytes();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    std::fs::write(&key, bytes).unwrap();
    for _ in 0..4 {
        ws.dangan(&["members"])
            .assert()
            .code(1)
            .stderr(predicates::str::contains("does not match its checksum").and(predicates::str::contains("backup")));
    }
    assert!(!ws.dir().join("dangan.attempts").exists(), "damage is not a wrong passphrase");
}

/// A page of the database damaged on disk: `verify` names the damage and points to a backup, exit
/// 1, and SQLCipher's own log lines do not reach the terminal.
#[test]
fn verify_names_a_damaged_page_in_its_own_words() {
    let ws = TestWorkspace::initialised();
    let mut roster = String::from("姓名,学号工号,所在支部,申请入党日期\n");
    for i in 0..300 {
        roster.push_str(&format!("人员{i},{},第一党支部,2025-10-08\n", 2021000 + i));
    }
    let roster = ws.write_csv("roster.csv", &roster);
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    ws.dangan(&["verify"]).assert().success();
    let db = ws.dir().join("dangan.db");
    let mut bytes = std::fs::read(&db).unwrap();
    let pages = bytes.len() / 4096;
    assert!(pages > 8, "{pages} pages");
    // A byte in the middle of the last page: people's rows, not the schema read at unlock.
    let at = (pages - 1) * 4096 + 2000;
    bytes[at] ^= 0x01;
    std::fs::write(&db, bytes).unwrap();
    let out = ws.dangan(&["verify"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("page authentication failed") || stderr.contains("the file is damaged"), "{stderr}");
    assert!(stderr.contains("backup"), "{stderr}");
    for leak in ["hmac check failed", "SQL logic error", "ERROR CORE"] {
        assert!(!stderr.contains(leak), "{leak} leaked: {stderr}");
    }
}

#[test]
fn passwd_rewrites_the_key_slot_and_never_the_database() {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv("roster.csv", ROSTER);
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let db_before = std::fs::read(ws.dir().join("dangan.db")).unwrap();
    ws.dangan(&["passwd"]).env("DANGAN_NEW_PASSPHRASE", "a new passphrase").assert().success();
    assert_eq!(std::fs::read(ws.dir().join("dangan.db")).unwrap(), db_before);
    ws.dangan(&["members"]).assert().code(3);
    let members = ws.dangan(&["members", "--json"]).env("DANGAN_PASSPHRASE", "a new passphrase").output().unwrap();
    assert!(members.status.success());
    assert!(String::from_utf8_lossy(&members.stdout).contains("张三"));
}

#[test]
fn a_short_new_passphrase_is_refused() {
    let ws = TestWorkspace::initialised();
    ws.dangan(&["passwd"])
        .env("DANGAN_NEW_PASSPHRASE", "short")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("at least 8"));
    ws.dangan(&["members"]).assert().success();
}

#[test]
fn the_passphrase_can_come_from_a_file() {
    let ws = TestWorkspace::initialised();
    let file = ws.file("pass.txt");
    std::fs::write(&file, format!("{}\n", dangan_tests::PASSPHRASE)).unwrap();
    ws.dangan(&["--passphrase-file", file.to_str().unwrap(), "members"])
        .env_remove("DANGAN_PASSPHRASE")
        .assert()
        .success();
}

#[test]
fn without_a_passphrase_or_a_terminal_the_command_says_how_to_give_one() {
    let ws = TestWorkspace::initialised();
    ws.dangan(&["members"])
        .env_remove("DANGAN_PASSPHRASE")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("set DANGAN_PASSPHRASE"));
}

#[test]
fn a_missing_workspace_points_to_init() {
    let ws = TestWorkspace::new();
    ws.dangan(&["members"]).assert().code(1).stderr(predicates::str::contains("run `dangan init` first"));
    ws.dangan_zh(&["members"]).assert().code(1).stderr(predicates::str::contains("请先运行 dangan init"));
}

#[test]
fn nothing_of_a_member_is_readable_in_any_workspace_file() {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv(
        "roster.csv",
        "姓名,身份证号,学号工号,电话,所在支部,申请入党日期\n欧阳明珠,11010519491231002X,S20219876,13912345678,保密测试党支部,2025-10-08\n",
    );
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    // Also while a connection is open with a WAL: read the files after a second import that updates.
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let files = files_with_contents(&ws.dir());
    assert!(files.len() >= 2);
    for (path, bytes) in &files {
        for secret in ["欧阳明珠", "11010519491231002X", "S20219876", "13912345678", "保密测试党支部"] {
            assert!(!contains_bytes(bytes, secret.as_bytes()), "{} contains {secret}", path.display());
        }
        assert!(!contains_bytes(bytes, b"SQLite format 3"), "{} has a plain SQLite header", path.display());
    }
}

#[test]
fn a_damaged_key_file_is_reported_and_points_to_restore() {
    let ws = TestWorkspace::initialised();
    std::fs::write(ws.dir().join("dangan.key"), b"{ not json").unwrap();
    ws.dangan(&["members"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("is damaged").and(predicates::str::contains("backup")));
}

#[test]
fn a_damaged_database_is_reported_not_panicked_on() {
    let ws = TestWorkspace::initialised();
    let db = ws.dir().join("dangan.db");
    let mut bytes = std::fs::read(&db).unwrap();
    for b in bytes.iter_mut().take(4096) {
        *b ^= 0x5a;
    }
    std::fs::write(&db, bytes).unwrap();
    ws.dangan(&["members"]).assert().code(1).stderr(predicates::str::contains("damaged"));
}

use predicates::prelude::PredicateBooleanExt;
