//! Party dues on a server (schema version 10): a member's base, months paid and deferred, the
//! ledger, arrears, a branch's summary, the receipts, a sheet of payments, all checked and worded
//! as a workspace's for the same people; within each user's branches even in raw SQL; and a
//! workspace's dues carried by its upload.

use dangan_core::calendar::today;
use dangan_core::dues::Month;
use dangan_tests::{PASSPHRASE, TestWorkspace};

use crate::security::db_role;
use crate::setup::{ADMIN, dangan, initialised, twin_workspace};
use crate::upload::{upload, workspace};

const ROSTER: &str = "姓名,学号工号,所在党支部,入党时间,递交入党申请书日期
张三,2021001,第一党支部,2010-07-01,
李四,2021002,第一党支部,2012-07-01,
王五,2021003,第一党支部,,2026-03-01
赵六,2021004,第二党支部,2015-07-01,
";

/// Each person's number by name, as a database lists them.
pub(crate) fn numbers(out: std::process::Output) -> std::collections::HashMap<String, String> {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let people: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    people.iter().map(|p| (p["name"].as_str().unwrap().to_owned(), p["id"].to_string())).collect()
}

/// JSON without the numbers each database gives its rows.
pub(crate) fn without_numbers(mut value: serde_json::Value) -> serde_json::Value {
    match &mut value {
        serde_json::Value::Object(map) => {
            for key in ["member_id", "person_id", "branch_id", "unit_id"] {
                if map.contains_key(key) {
                    map.insert(key.to_owned(), serde_json::Value::Null);
                }
            }
            for child in map.values_mut() {
                *child = without_numbers(child.take());
            }
        }
        serde_json::Value::Array(items) => {
            for child in items.iter_mut() {
                *child = without_numbers(child.take());
            }
        }
        _ => {}
    }
    value
}

/// The same command on the server and in the twin workspace, `{张三}` and the like standing for
/// that person's number in each: the same exit, the same words (JSON without the numbers).
pub(crate) struct Twins<'a> {
    pub(crate) url: &'a str,
    pub(crate) ws: &'a TestWorkspace,
    pub(crate) on_server: std::collections::HashMap<String, String>,
    pub(crate) in_workspace: std::collections::HashMap<String, String>,
}

impl Twins<'_> {
    pub(crate) fn run(&self, user: &str, args: &[&str]) -> std::process::Output {
        let fill = |numbers: &std::collections::HashMap<String, String>| -> Vec<String> {
            args.iter()
                .map(|a| numbers.iter().fold((*a).to_owned(), |a, (name, id)| a.replace(&format!("{{{name}}}"), id)))
                .collect()
        };
        let server_args = fill(&self.on_server);
        let workspace_args = fill(&self.in_workspace);
        let server_args: Vec<&str> = server_args.iter().map(String::as_str).collect();
        let workspace_args: Vec<&str> = workspace_args.iter().map(String::as_str).collect();
        let on_server = dangan(self.url, user, &server_args).output().unwrap();
        let in_workspace = self.ws.dangan(&workspace_args).output().unwrap();
        let said = |out: &std::process::Output| String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(on_server.status.code(), in_workspace.status.code(), "{args:?}: {}", said(&on_server));
        assert_eq!(said(&on_server), said(&in_workspace), "{args:?}");
        if args.contains(&"--json") {
            let json = |out: &std::process::Output| -> serde_json::Value {
                without_numbers(serde_json::from_slice(&out.stdout).unwrap())
            };
            assert_eq!(json(&on_server), json(&in_workspace), "{args:?}");
        } else {
            let words = |out: &std::process::Output| {
                String::from_utf8_lossy(&out.stdout).replace("中共示范大学委员会", "").replace("中共测试大学委员会", "")
            };
            assert_eq!(words(&on_server), words(&in_workspace), "{args:?}");
        }
        on_server
    }
}

#[test]
fn dues_on_a_server_are_kept_and_worded_as_a_workspaces_within_each_users_branches() {
    let Some((cluster, url)) = initialised() else { return };
    let ws = twin_workspace(&url, ROSTER);
    dangan(&url, ADMIN, &["users", "add", "周书记", "--role", "branch_secretary", "--branch", "第二党支部"])
        .assert()
        .success();
    let twins = Twins {
        url: &url,
        ws: &ws,
        on_server: numbers(dangan(&url, ADMIN, &["members", "--json"]).output().unwrap()),
        in_workspace: numbers(ws.dangan(&["members", "--json"]).output().unwrap()),
    };
    let this_month = Month::of(today());
    let (start, day) = (this_month.plus(-8), today().to_string());
    let month = |m: Month| m.to_string();

    // Bases, and the refusals of a base, as a workspace words them.
    twins.run(ADMIN, &["dues", "rate", "--category", "salaried", "--base", "4200", "--json"]);
    let base = ["dues", "base", "--member", "{张三}", "--category", "salaried", "--base", "4200", "--from"];
    twins.run(ADMIN, &[&base[..], &[&month(start)]].concat());
    twins.run(
        ADMIN,
        &[
            "dues",
            "base",
            "--member",
            "{李四}",
            "--category",
            "学生",
            "--base",
            "0",
            "--from",
            &month(this_month.plus(-3)),
        ],
    );
    twins.run(
        ADMIN,
        &[
            "dues",
            "base",
            "--member",
            "{赵六}",
            "--category",
            "retired",
            "--base",
            "5000",
            "--from",
            &month(this_month.plus(-2)),
        ],
    );
    for refused in [
        vec![
            "dues",
            "base",
            "--member",
            "{王五}",
            "--category",
            "student",
            "--base",
            "0",
            "--from",
            &month(this_month),
        ],
        vec![
            "dues",
            "base",
            "--member",
            "{张三}",
            "--category",
            "salaried",
            "--base",
            "4200",
            "--from",
            &month(this_month.plus(14)),
        ],
    ] {
        assert_eq!(twins.run(ADMIN, &refused).status.code(), Some(1), "{refused:?}");
    }

    // Payments and deferrals, and what a ledger refuses: a gap, a month paid twice, a day ahead.
    twins.run(
        ADMIN,
        &[
            "dues",
            "pay",
            "--member",
            "{张三}",
            "--from",
            &month(start),
            "--months",
            "3",
            "--date",
            &day,
            "--by",
            "李收",
        ],
    );
    twins.run(
        ADMIN,
        &[
            "dues",
            "defer",
            "--member",
            "{张三}",
            "--from",
            &month(start.plus(3)),
            "--months",
            "2",
            "--reason",
            "家庭困难",
        ],
    );
    for refused in [
        vec!["dues", "pay", "--member", "{张三}", "--from", &month(start.plus(6)), "--months", "1", "--date", &day],
        vec!["dues", "pay", "--member", "{张三}", "--from", &month(start), "--months", "1", "--date", &day],
        vec![
            "dues",
            "pay",
            "--member",
            "{李四}",
            "--from",
            &month(this_month.plus(-3)),
            "--months",
            "1",
            "--date",
            "2099-01-01",
        ],
        vec!["dues", "pay", "--member", "{王五}", "--from", &month(this_month), "--months", "1", "--date", &day],
    ] {
        assert_eq!(twins.run(ADMIN, &refused).status.code(), Some(1), "{refused:?}");
    }
    let ledger = twins.run(ADMIN, &["dues", "ledger", "--member", "{张三}", "--json"]);
    let ledger: serde_json::Value = serde_json::from_slice(&ledger.stdout).unwrap();
    assert_eq!(ledger["paid_through"], month(start.plus(4)), "{ledger:#}");
    twins.run(ADMIN, &["dues", "ledger", "--member", "{张三}"]);

    // A sheet of payments: a bad row refuses it whole, naming it; a good one is recorded.
    let bad = ws.write_csv(
        "bad.csv",
        &format!(
            "学号工号,起始月份,月数,交纳日期,代交人\n2021002,{},1,{day},\n无此人,{},1,{day},\n",
            month(this_month.plus(-3)),
            month(this_month)
        ),
    );
    twins.run(ADMIN, &["dues", "import", bad.to_str().unwrap()]);
    let good = ws.write_csv(
        "good.csv",
        &format!("学号工号,起始月份,月数,交纳日期,代交人\n2021002,{},2,{day},王收\n", month(this_month.plus(-3))),
    );
    twins.run(ADMIN, &["dues", "import", good.to_str().unwrap()]);
    // Rows that go on from one another (the server reads the ledgers once for the whole sheet):
    // a month paid after the row before paid the one before it, a month deferred and then paid
    // by a later row; a row paying again what an earlier row paid is refused, naming it.
    let (next, after) = (month(this_month.plus(-1)), month(this_month));
    let repeated = ws.write_csv(
        "repeated.csv",
        &format!(
            "学号工号,起始月份,月数,交纳日期,缓交原因
2021002,{next},1,{day},
2021002,{next},1,{day},
"
        ),
    );
    assert_eq!(twins.run(ADMIN, &["dues", "import", repeated.to_str().unwrap()]).status.code(), Some(1));
    let chained = ws.write_csv(
        "chained.csv",
        &format!(
            "学号工号,起始月份,月数,交纳日期,缓交原因
2021002,{next},1,{day},
2021002,{after},1,,家庭困难
2021002,{after},1,{day},
"
        ),
    );
    twins.run(ADMIN, &["dues", "import", chained.to_str().unwrap()]);
    let ledger = twins.run(ADMIN, &["dues", "ledger", "--member", "{李四}", "--json"]);
    let ledger: serde_json::Value = serde_json::from_slice(&ledger.stdout).unwrap();
    assert_eq!(ledger["paid_through"], after, "{ledger:#}");

    // What is owed, a branch's summary and the receipts read the same; so do the arrears items.
    twins.run(ADMIN, &["dues", "arrears", "--json"]);
    twins.run(ADMIN, &["dues", "arrears"]);
    twins.run(ADMIN, &["dues", "summary", "--year", &this_month.year().to_string()]);
    twins.run(ADMIN, &["dues", "summary", "--month", &month(this_month), "--branch", "第一党支部", "--json"]);
    twins.run(ADMIN, &["dues", "receipts", "--month", &month(this_month)]);
    twins.run(ADMIN, &["deadlines", "--owed-by", "member", "--json"]);
    let arrears = dangan(&url, ADMIN, &["dues", "arrears", "--json"]).output().unwrap();
    let arrears: Vec<serde_json::Value> = serde_json::from_slice(&arrears.stdout).unwrap();
    assert!(arrears.iter().any(|a| a["item"]["name"] == "张三"), "{arrears:#?}");
    let out_dir = tempfile::tempdir().unwrap();
    let book = out_dir.path().join("党费.xlsx");
    dangan(&url, ADMIN, &["dues", "export", "--month", &month(this_month), "--out", book.to_str().unwrap()])
        .assert()
        .success();
    assert!(std::fs::read(&book).unwrap().starts_with(b"PK"), "an .xlsx is a zip");

    // The second branch's secretary reads and pays only theirs, in raw SQL too.
    let theirs = dangan(&url, "周书记", &["dues", "arrears", "--json"]).output().unwrap();
    let theirs: Vec<serde_json::Value> = serde_json::from_slice(&theirs.stdout).unwrap();
    assert!(theirs.iter().all(|a| a["item"]["name"] == "赵六"), "{theirs:#?}");
    let zhang = &twins.on_server["张三"];
    dangan(
        &url,
        "周书记",
        &["dues", "pay", "--member", zhang, "--from", &month(start.plus(5)), "--months", "1", "--date", &day],
    )
    .assert()
    .code(1);
    let count = |sql: &str| {
        let out = cluster.psql("dangan", &db_role(&url, "周书记"), PASSPHRASE, sql);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    assert_eq!(count("SELECT count(*) FROM dangan.dues_months"), "0");
    assert_eq!(count("SELECT count(*) FROM dangan.dues_bases"), "1");
    let out = cluster.psql(
        "dangan",
        &db_role(&url, "周书记"),
        PASSPHRASE,
        &format!("INSERT INTO dangan.dues_months (person_id, month, amount_fen, paid_on) VALUES ({zhang}, 1, 1, '2026-01-01')"),
    );
    assert!(!out.status.success(), "another branch's dues written in psql");

    // An undo of a month no longer the latest (another worker recorded one since it was read)
    // takes nothing back; taken back as in a workspace; the log has it all.
    let stale =
        dangan(&url, ADMIN, &["dues", "undo", "--member", &zhang.to_string(), "--month", "2000-01"]).output().unwrap();
    assert_eq!(stale.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&stale.stderr).contains("not 2000-01"), "{stale:?}");
    twins.run(ADMIN, &["dues", "undo", "--member", "{张三}", "--json"]);
    dangan(&url, ADMIN, &["verify"]).assert().success();
}

#[test]
fn a_workspaces_dues_move_onto_the_server_with_it_and_read_there_as_they_did() {
    let Some((_cluster, url)) = initialised() else { return };
    let ws = workspace("中共示范大学委员会", ROSTER);
    let this_month = Month::of(today());
    let zhang = ws.members_json(&[]).iter().find(|m| m["name"] == "张三").unwrap()["id"].to_string();
    let (from, day) = (this_month.plus(-4).to_string(), today().to_string());
    ws.dangan(&["dues", "base", "--member", &zhang, "--category", "salaried", "--base", "4200", "--from", &from])
        .assert()
        .success();
    ws.dangan(&["dues", "pay", "--member", &zhang, "--from", &from, "--months", "2", "--date", &day])
        .assert()
        .success();
    let before = ws.dangan(&["dues", "summary", "--year", &this_month.year().to_string()]).output().unwrap();

    let out = upload(&url, ADMIN, &ws).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["dues_months"], 2);
    let after = dangan(&url, ADMIN, &["dues", "summary", "--year", &this_month.year().to_string()]).output().unwrap();
    assert!(after.status.success(), "{}", String::from_utf8_lossy(&after.stderr));
    assert_eq!(String::from_utf8_lossy(&after.stdout), String::from_utf8_lossy(&before.stdout));
    dangan(&url, ADMIN, &["verify"]).assert().success();
}
