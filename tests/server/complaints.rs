//! The confidential complaints register on a server (schema version 12): a discipline inspector
//! keeps their unit's register with the workspace's rules and words; the words are sealed on the
//! client, so neither another user, nor the database's superuser, nor the audit log reads them;
//! the key passes between inspectors by `complaints grant`, is re-wrapped by `passwd`, and is
//! replaced when an inspector who held it is removed, the entries still opening for the others.

use dangan_core::Lang;
use dangan_core::calendar::Date;
use dangan_core::server::{ServerAddress, ServerSession};
use dangan_tests::PASSPHRASE;

use crate::dues::{numbers, without_numbers};
use crate::security::db_role;
use crate::setup::{ADMIN, dangan, initialised, twin_workspace};

const ROSTER: &str = "姓名,学号工号,所在党支部,入党时间,性别
王五,T001,第一党支部,2010-07-01,男
赵六,T002,第一党支部,2012-07-01,女
";

const INSPECTOR: &str = "李纪检";
const WORDS: &str = "反映某同志在评优中弄虚作假的具体情况";

/// The same command as the inspector on the server and in the twin workspace (`{王五}` standing
/// for his number in each): the same exit, the same words (JSON without the numbers).
fn both(
    url: &str,
    ws: &dangan_tests::TestWorkspace,
    ids: &(std::collections::HashMap<String, String>, std::collections::HashMap<String, String>),
    args: &[&str],
) -> std::process::Output {
    let fill = |numbers: &std::collections::HashMap<String, String>| -> Vec<String> {
        args.iter()
            .map(|a| numbers.iter().fold((*a).to_owned(), |a, (name, id)| a.replace(&format!("{{{name}}}"), id)))
            .collect()
    };
    let (server_args, workspace_args) = (fill(&ids.0), fill(&ids.1));
    let server_args: Vec<&str> = server_args.iter().map(String::as_str).collect();
    let workspace_args: Vec<&str> = workspace_args.iter().map(String::as_str).collect();
    let on_server = dangan(url, INSPECTOR, &server_args).output().unwrap();
    let in_workspace = ws.dangan(&workspace_args).env("DANGAN_USER", INSPECTOR).output().unwrap();
    let said = |out: &std::process::Output| String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(on_server.status.code(), in_workspace.status.code(), "{args:?}: {}", said(&on_server));
    assert_eq!(said(&on_server), said(&in_workspace), "{args:?}");
    if args.contains(&"--json") {
        let json = |out: &std::process::Output| -> String {
            let mut value = without_numbers(serde_json::from_slice(&out.stdout).unwrap());
            // The member concerned, by each database's number.
            if let Some(map) = value.as_object_mut() {
                map.remove("concerning");
            }
            // A server names the register's unit where a workspace, being one committee's, names none.
            value.to_string().replace("中共示范大学委员会", "")
        };
        assert_eq!(json(&on_server), json(&in_workspace), "{args:?}");
    } else {
        let words = |out: &std::process::Output| {
            String::from_utf8_lossy(&out.stdout)
                .replace("中共示范大学委员会", "")
                .replace(&*ws.dir().to_string_lossy(), "")
        };
        assert_eq!(words(&on_server), words(&in_workspace), "{args:?}");
    }
    on_server
}

#[test]
fn an_inspector_keeps_their_units_register_on_a_server_as_in_a_workspace_and_no_one_else_reads_it() {
    let Some((cluster, url)) = initialised() else { return };
    let ws = twin_workspace(&url, ROSTER);
    dangan(&url, ADMIN, &["users", "add", INSPECTOR, "--role", "discipline_inspector"]).assert().success();
    ws.dangan(&["users", "add", INSPECTOR, "--role", "discipline_inspector"])
        .env("DANGAN_NEW_PASSPHRASE", PASSPHRASE)
        .assert()
        .success();
    let ids = (
        numbers(dangan(&url, ADMIN, &["members", "--json"]).output().unwrap()),
        numbers(ws.dangan(&["members", "--json"]).output().unwrap()),
    );
    let ok = |out: std::process::Output| {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out
    };
    let refused = |out: std::process::Output| assert_eq!(out.status.code(), Some(1));
    let run = |args: &[&str]| both(&url, &ws, &ids, args);

    // Registered, listed, opened, handled, given a file and closed, in the workspace's words.
    let add = ["complaints", "add", "--channel", "letter", "--received", "2026-11-18", "--summary", WORDS];
    ok(run(&[&add[..], &["--elsewhere", "--concerning", "{王五}", "--json"]].concat()));
    ok(run(&["complaints", "add", "--channel", "phone", "--received", "2026-11-20", "--summary", "另一件"]));
    refused(run(&["complaints", "add", "--channel", "pigeon", "--received", "2026-11-20", "--summary", "x"]));
    ok(run(&["complaints", "list", "--json"]));
    let listed = ok(run(&["complaints", "list"]));
    assert!(String::from_utf8_lossy(&listed.stdout).contains("2026-002"));
    assert!(!String::from_utf8_lossy(&listed.stdout).contains("弄虚作假"), "the list holds no words");
    ok(run(&["complaints", "show", "--entry", "2026-001", "--json"]));
    ok(run(&["deadlines", "--as-of", "2026-11-24", "--json"]));
    let due = ok(run(&["remind", "--as-of", "2026-11-24", "--json"]));
    let due: serde_json::Value = serde_json::from_slice(&due.stdout).unwrap();
    assert_eq!(due[0]["rule"], "complaint_forward", "{due}");
    // Delivered to the inspector once, to no one else.
    let address: ServerAddress = url.parse().unwrap();
    let as_of: Date = "2026-11-24".parse().unwrap();
    let mut inspector = ServerSession::sign_in(&address, Some(INSPECTOR), PASSPHRASE).unwrap();
    assert_eq!(inspector.deliver_reminders(Some(as_of), Lang::Zh, |_| Ok(())).unwrap().len(), 1);
    assert!(inspector.reminders_due(Some(as_of)).unwrap().is_empty(), "nothing is sent twice");
    let mut admin = ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    assert!(admin.reminders_due(Some(as_of)).unwrap().iter().all(|r| r.item.owner.complaint_id().is_none()));
    drop((inspector, admin));
    refused(run(&["complaints", "handle", "--entry", "2026-001", "--handling", "forwarded", "--date", "2026-11-20"]));
    let forwarded = ["--handling", "forwarded", "--to", "区纪委", "--date", "2026-11-20", "--json"];
    ok(run(&[&["complaints", "handle", "--entry", "2026-001"][..], &forwarded].concat()));
    let folder = tempfile::tempdir().unwrap();
    let scan = folder.path().join("来信.pdf");
    std::fs::write(&scan, b"%PDF-1.4\n% a scanned letter\n%%EOF\n").unwrap();
    ok(run(&["complaints", "attach", "--entry", "2026-001", "--file", scan.to_str().unwrap()]));
    let copy = folder.path().join("副本.pdf");
    ok(dangan(
        &url,
        INSPECTOR,
        &["complaints", "attachment", "--entry", "2026-001", "--id", "1", "--out", copy.to_str().unwrap()],
    )
    .output()
    .unwrap());
    assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(&scan).unwrap());
    refused(run(&["complaints", "close", "--entry", "2026-002", "--date", "2026-11-10", "--result", "查无实据"]));
    ok(run(&["complaints", "close", "--entry", "2026-002", "--date", "2026-11-25", "--result", "查无实据", "--json"]));
    refused(run(&["complaints", "handle", "--entry", "2026-002", "--handling", "holding", "--date", "2026-11-26"]));
    ok(run(&["complaints", "list", "--all", "--json"]));
    let form = folder.path().join("登记表.pdf");
    ok(dangan(&url, INSPECTOR, &["complaints", "print", "--entry", "2026-001", "--out", form.to_str().unwrap()])
        .output()
        .unwrap());
    assert!(std::fs::read(&form).unwrap().starts_with(b"%PDF"));

    // Anyone else: the counts only; the register is refused, in psql too.
    let count = ok(dangan(&url, ADMIN, &["complaints", "count", "--json"]).output().unwrap());
    let count: serde_json::Value = serde_json::from_slice(&count.stdout).unwrap();
    assert_eq!((count["total"].as_u64(), count["open"].as_u64()), (Some(2), Some(1)), "{count}");
    assert_eq!(dangan(&url, ADMIN, &["complaints", "list"]).output().unwrap().status.code(), Some(6));
    let as_role = |user: &str, sql: &str| {
        let out = cluster.psql("dangan", &db_role(&url, user), PASSPHRASE, sql);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    assert_eq!(as_role(ADMIN, "SELECT count(*) FROM dangan.complaints"), "0");
    assert_eq!(as_role(ADMIN, "SELECT count(*) FROM dangan.register_copies"), "0");
    assert_eq!(as_role(INSPECTOR, "SELECT count(*) FROM dangan.complaints"), "2");
    let deleted = cluster.psql("dangan", &db_role(&url, INSPECTOR), PASSPHRASE, "DELETE FROM dangan.complaints");
    assert!(!deleted.status.success(), "an entry is never deleted");
    // The superuser reads every table and the log: no word of an entry in them.
    let everything = cluster.superuser_sql(
        "dangan",
        "SELECT string_agg(t::text, ' ') FROM (SELECT c::text AS t FROM dangan.complaints c
         UNION ALL SELECT a::text FROM dangan.complaint_attachments a
         UNION ALL SELECT l::text FROM dangan.audit_log l) x",
    );
    assert!(everything.contains("2026-001"), "the tables were read");
    for secret in [WORDS, "区纪委", "查无实据", "a scanned letter", "来信.pdf"] {
        assert!(!everything.contains(secret), "“{secret}” is on the server in the clear");
    }
    let reads =
        cluster.superuser_sql("dangan", "SELECT count(*) FROM dangan.audit_log WHERE entity = 'complaint_reads'");
    assert!(reads.trim().parse::<u32>().unwrap() >= 3, "each opening is logged: {reads}");

    // A second inspector: given the key once they signed in, they open the entries; their own
    // new passphrase keeps it.
    dangan(&url, ADMIN, &["users", "add", "王纪检", "--role", "discipline_inspector"]).assert().success();
    dangan(&url, INSPECTOR, &["complaints", "grant", "王纪检"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("has not signed in yet"));
    dangan(&url, "王纪检", &["complaints", "show", "--entry", "2026-001"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("has not been given to you yet"));
    dangan(&url, INSPECTOR, &["complaints", "waiting"]).assert().success().stdout(predicates::str::contains("王纪检"));
    dangan(&url, INSPECTOR, &["complaints", "grant", "王纪检"]).assert().success();
    // Each reads their colleague's public key, never its wrapped secret (to guess their passphrase at).
    let stolen = cluster.psql(
        "dangan",
        &db_role(&url, "王纪检"),
        PASSPHRASE,
        "SELECT wrapped_secret FROM dangan.inspector_keys",
    );
    assert!(!stolen.status.success(), "{}", String::from_utf8_lossy(&stolen.stdout));
    assert_eq!(as_role("王纪检", "SELECT count(public_key) FROM dangan.inspector_keys"), "2");
    dangan(&url, "王纪检", &["passwd"]).env("DANGAN_NEW_PASSPHRASE", "王纪检的新口令很长").assert().success();
    let as_wang = |args: &[&str]| {
        let mut cmd = dangan(&url, "王纪检", args);
        cmd.env("DANGAN_PASSPHRASE", "王纪检的新口令很长");
        cmd
    };
    as_wang(&["complaints", "show", "--entry", "2026-001"]).assert().success().stdout(predicates::str::contains(WORDS));

    // The first inspector removed: the key is replaced at the next change, every entry sealed
    // again under it, and the entries still open for the inspector who stays.
    dangan(&url, ADMIN, &["users", "remove", INSPECTOR]).assert().success();
    let generations =
        || cluster.superuser_sql("dangan", "SELECT string_agg(DISTINCT generation::text, ',') FROM dangan.complaints");
    assert_eq!(generations().trim(), "1");
    as_wang(&["complaints", "add", "--channel", "visit", "--received", "2026-11-26", "--summary", "第三件"])
        .assert()
        .success()
        .stdout(predicates::str::contains("2026-003"));
    assert_eq!(generations().trim(), "2");
    let copies =
        cluster.superuser_sql("dangan", "SELECT string_agg(generation::text, ',') FROM dangan.register_copies");
    assert_eq!(copies.trim(), "2", "only the new key is held");
    as_wang(&["complaints", "show", "--entry", "2026-001"]).assert().success().stdout(predicates::str::contains(WORDS));
    let again = folder.path().join("再次.pdf");
    as_wang(&["complaints", "attachment", "--entry", "2026-001", "--id", "1", "--out", again.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(std::fs::read(&again).unwrap(), std::fs::read(&scan).unwrap());

    // A passphrase set anew by an administrator takes the key from its holder: with nobody else
    // holding it, the register says so.
    dangan(&url, ADMIN, &["users", "reset-passphrase", "王纪检"]).assert().success();
    dangan(&url, "王纪检", &["complaints", "show", "--entry", "2026-001"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("in no inspector's hands"));
    // Their own key pair opened all the same: their passphrase still changes.
    dangan(&url, "王纪检", &["passwd"]).env("DANGAN_NEW_PASSPHRASE", "王纪检的又一个口令").assert().success();
}

/// A workspace's complaints register moves onto the server in two steps: the administrator's
/// upload leaves it in the workspace (its key is the inspectors'), then an inspector who holds the
/// key in both moves it, every entry and file sealed anew, into an empty register only.
#[test]
fn an_inspector_moves_an_uploaded_workspaces_register_onto_the_server() {
    let Some((cluster, url)) = initialised() else { return };
    let ok = |out: std::process::Output| {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out
    };
    let ws = crate::upload::workspace("中共示范大学委员会", ROSTER);
    ws.dangan(&["users", "add", INSPECTOR, "--role", "discipline_inspector"])
        .env("DANGAN_NEW_PASSPHRASE", PASSPHRASE)
        .assert()
        .success();
    let as_inspector = |args: &[&str]| {
        let mut cmd = ws.dangan(args);
        cmd.env("DANGAN_USER", INSPECTOR);
        cmd
    };
    let wang = ws.members_json(&[]).iter().find(|m| m["name"] == "王五").unwrap()["id"].to_string();
    as_inspector(&["complaints", "add", "--channel", "letter", "--received", "2026-11-18", "--summary", WORDS])
        .args(["--concerning", &wang])
        .assert()
        .success();
    let scan = ws.file("来信.pdf");
    std::fs::write(&scan, b"%PDF-1.4\n% a scanned letter\n%%EOF\n").unwrap();
    as_inspector(&["complaints", "attach", "--entry", "2026-001", "--file", scan.to_str().unwrap()]).assert().success();
    as_inspector(&["complaints", "handle", "--entry", "2026-001", "--handling", "forwarded", "--to", "区纪委"])
        .args(["--date", "2026-11-20"])
        .assert()
        .success();

    // The administrator's upload leaves the register in the workspace, saying who moves it.
    let out = crate::upload::upload(&url, ADMIN, &ws).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["complaints_left"], 1, "{report:#}");

    // The server's inspector signs in (their key pair and the empty register's first key), then
    // moves the workspace's register, unlocking the workspace as its inspector.
    dangan(&url, ADMIN, &["users", "add", INSPECTOR, "--role", "discipline_inspector"]).assert().success();
    ok(dangan(&url, INSPECTOR, &["complaints", "list"]).output().unwrap());
    let upload_register = || {
        let dir = ws.dir();
        let mut cmd = dangan(&url, INSPECTOR, &["--workspace", dir.to_str().unwrap(), "complaints", "upload"]);
        cmd.args(["--workspace-user", INSPECTOR, "--json"]).env("DANGAN_WORKSPACE_PASSPHRASE", PASSPHRASE);
        cmd.output().unwrap()
    };
    let moved = ok(upload_register());
    let moved: serde_json::Value = serde_json::from_slice(&moved.stdout).unwrap();
    assert_eq!(moved, serde_json::json!({"entries": 1, "files": 1}));
    let shown = ok(dangan(&url, INSPECTOR, &["complaints", "show", "--entry", "2026-001", "--json"]).output().unwrap());
    let entry: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(entry["summary"], WORDS, "{entry:#}");
    assert_eq!(entry["state"], "handling");
    let on_server = crate::dues::numbers(dangan(&url, ADMIN, &["members", "--json"]).output().unwrap());
    assert_eq!(entry["concerning"].to_string(), on_server["王五"], "the member it concerns, by their number here");
    let file_id = entry["attachments"][0]["id"].to_string();
    let back = ws.file("回来的来信.pdf");
    ok(dangan(&url, INSPECTOR, &["complaints", "attachment", "--entry", "2026-001", "--id", &file_id])
        .args(["--out", back.to_str().unwrap()])
        .output()
        .unwrap());
    assert_eq!(std::fs::read(&back).unwrap(), std::fs::read(&scan).unwrap(), "the file arrives byte for byte");
    let everything = cluster.superuser_sql("dangan", "SELECT string_agg(c::text, ' ') FROM dangan.complaints c");
    assert!(!everything.contains(WORDS), "sealed on the server too");

    // Only into an empty register: a second move changes nothing.
    let again = upload_register();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("moves only into an empty one"));
    let count = ok(dangan(&url, ADMIN, &["complaints", "count", "--json"]).output().unwrap());
    let count: serde_json::Value = serde_json::from_slice(&count.stdout).unwrap();
    assert_eq!(count["total"], 1);
}

#[test]
fn a_register_the_server_kept_shut_at_sign_in_opens_at_its_next_use() {
    let Some((cluster, url)) = initialised() else { return };
    dangan(&url, ADMIN, &["users", "add", INSPECTOR, "--role", "discipline_inspector"]).assert().success();
    let address: ServerAddress = url.parse().unwrap();
    // The first sign-in makes the inspector's key pair and the register's first key.
    let mut first = ServerSession::sign_in(&address, Some(INSPECTOR), PASSPHRASE).unwrap();
    assert!(first.complaints(false).unwrap().is_empty());
    drop(first);

    // The fault: another transaction holds the register while the inspector signs in, and the
    // inspector's connections wait for a lock 300 ms at most, so the server answers "busy".
    cluster.superuser_sql("dangan", &format!("ALTER ROLE \"{}\" SET lock_timeout = '300ms'", db_role(&url, INSPECTOR)));
    let mut holder = cluster
        .psql_command("dangan", "postgres", dangan_tests::postgres::SUPERUSER_PASSWORD)
        .args(["-c", "BEGIN; SELECT 1 FROM dangan.registers FOR UPDATE; SELECT pg_sleep(4); COMMIT;"])
        .spawn()
        .unwrap();
    let held = || {
        cluster.superuser_sql(
            "dangan",
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
             WHERE c.relname = 'registers' AND l.mode = 'RowShareLock' AND l.granted",
        )
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    while held().trim() == "0" {
        assert!(std::time::Instant::now() < deadline, "the holder took the register");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }

    // The session opens all the same; only the register is shut, and says why.
    let mut inspector = ServerSession::sign_in(&address, Some(INSPECTOR), PASSPHRASE).unwrap();
    let shut = inspector.complaints(false).unwrap_err();
    assert!(shut.message(Lang::En).contains("try again shortly"), "{}", shut.message(Lang::En));
    // Once the holder lets go, the same session opens the register at its next use.
    assert!(holder.wait().unwrap().success());
    assert!(inspector.complaints(false).unwrap().is_empty(), "opened again with the passphrase signed in with");
    let mut other = ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    assert!(other.complaints(false).is_err(), "and still for its inspector alone");
}
