//! The office's own rule file on a server (schema version 22): `dangan rules` shows, loads and
//! drops it as in a workspace, for every college at once; only the department's administrators
//! set it (in psql too); an open session counts its deadlines by it as soon as it is announced;
//! a workspace with the same file moves onto the server, one with another is refused.

use dangan_core::server::{Concern, ServerAddress, ServerSession};
use dangan_tests::PASSPHRASE;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

use crate::members::changes_until;
use crate::security::db_role;
use crate::setup::{ADMIN, dangan, initialised, twin_workspace};
use crate::upload::{upload, workspace};

const ROSTER: &str = "\
姓名,学号工号,所在支部,申请入党日期,确定积极分子日期
张三,2021001,第一党支部,2026-01-10,2026-09-01
";

/// Thought reports monthly, as an office's own provision may ask (`tests/cli/remind.rs`).
const MONTHLY: &str = "[[deadline]]\nid = \"thought_report\"\nmonths = 1\nlead_days = [3]\n";

/// When 张三's next thought report is due, as `deadlines --json` says.
fn next_report(out: std::process::Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let item = items.iter().find(|i| i["rule"] == "thought_report").expect("a thought report is due");
    item["due"].as_str().unwrap().to_owned()
}

#[test]
fn the_departments_rule_file_counts_every_colleges_deadlines_and_only_its_administrators_set_it() {
    let Some((cluster, url)) = initialised() else { return };
    let ws = twin_workspace(&url, ROSTER);
    let dir = tempfile::tempdir().unwrap();
    let monthly = dir.path().join("ours.toml");
    std::fs::write(&monthly, MONTHLY).unwrap();
    let monthly = monthly.to_str().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[[deadline]]\nid = \"thought_report\"\nmonths = 0\n").unwrap();
    let deadlines = ["deadlines", "--json", "--as-of", "2026-11-24"];
    let server_due = || next_report(dangan(&url, ADMIN, &deadlines).output().unwrap());
    let workspace_due = || next_report(ws.dangan(&deadlines).output().unwrap());

    // Shown as a workspace shows the same shipped rules.
    let shown = |out: std::process::Output| {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(
        shown(dangan(&url, ADMIN, &["rules"]).output().unwrap()),
        shown(ws.dangan(&["rules"]).output().unwrap())
    );
    let shipped = server_due();
    assert_eq!(shipped, workspace_due());

    // A college's administrator may not change the rules every college follows, nor a secretary
    // in psql; a bad file is refused naming the entry. None of them changes anything.
    let admin_role = db_role(&url, ADMIN);
    let out = cluster.psql(
        "dangan",
        &admin_role,
        PASSPHRASE,
        "INSERT INTO dangan.org_units (parent_id, kind, name)
             SELECT id, 'committee', '中共计算机学院委员会' FROM dangan.org_units WHERE parent_id IS NULL",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    dangan(
        &url,
        ADMIN,
        &["users", "add", "计院管理员", "--role", "administrator", "--committee", "中共计算机学院委员会"],
    )
    .assert()
    .success();
    dangan(&url, ADMIN, &["users", "add", "孙书记", "--role", "branch_secretary", "--branch", "第一党支部"])
        .assert()
        .success();
    dangan(&url, "计院管理员", &["rules", "load", monthly])
        .assert()
        .code(6)
        .stderr(contains("the department's administrators load them for every college"));
    // Nor in psql: the policy asks for the department's committee, not an administrator's role alone.
    let college = db_role(&url, "计院管理员");
    let out = cluster.psql(
        "dangan",
        &college,
        PASSPHRASE,
        &format!("INSERT INTO dangan.own_rules (source) VALUES ($${MONTHLY}$$)"),
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("row-level security"), "{out:?}");
    let secretary = db_role(&url, "孙书记");
    let raw = cluster.psql(
        "dangan",
        &secretary,
        PASSPHRASE,
        &format!("INSERT INTO dangan.own_rules (source) VALUES ($${MONTHLY}$$)"),
    );
    assert!(!raw.status.success(), "a secretary set the rules in psql");
    dangan(&url, ADMIN, &["rules", "load", bad.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(contains("`thought_report`").and(contains("1 to 120 months")));
    assert_eq!(server_due(), shipped, "nothing refused changed the rules");

    // The department loads its provision: an open session of the branch's secretary counts by it
    // once it is announced, and the server counts as a workspace with the same file does.
    let address: ServerAddress = url.parse().unwrap();
    let mut feed = ServerSession::watch(&address, "孙书记", PASSPHRASE).unwrap();
    let mut open = ServerSession::sign_in(&address, Some("孙书记"), PASSPHRASE).unwrap();
    let rule_months = |session: &ServerSession| {
        session.rules().deadlines().iter().find(|r| r.id == "thought_report").map(|r| format!("{:?}", r.period))
    };
    let before = rule_months(&open);
    dangan(&url, ADMIN, &["rules", "load", monthly]).assert().success().stdout(contains("1 month(s)"));
    ws.dangan(&["rules", "load", monthly]).assert().success();
    let monthly_due = server_due();
    assert_ne!(monthly_due, shipped);
    assert_eq!(monthly_due, workspace_due());
    open.apply_changes(&changes_until(&mut feed, Concern::Rules));
    assert_ne!(rule_months(&open), before, "the open session counts by the department's file");
    assert_eq!(next_report(dangan(&url, "孙书记", &deadlines).output().unwrap()), monthly_due);

    // A workspace with the same file moves onto the server; one with another file is refused.
    let same = workspace("中共物理学院委员会", "姓名,学号工号,所在党支部\n王五,2026101,物理支部\n");
    same.dangan(&["rules", "load", monthly]).assert().success();
    let out = upload(&url, ADMIN, &same).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let other = workspace("中共化学学院委员会", "姓名,学号工号,所在党支部\n赵七,2026201,化学支部\n");
    let weekly = dir.path().join("weekly.toml");
    std::fs::write(&weekly, "[[deadline]]\nid = \"thought_report\"\nmonths = 2\n").unwrap();
    other.dangan(&["rules", "load", weekly.to_str().unwrap()]).assert().success();
    upload(&url, ADMIN, &other).assert().failure().stderr(contains("the server follows other rules"));

    // Dropped, the shipped rules count again; the log holds each change and verifies.
    dangan(&url, ADMIN, &["rules", "reset"]).assert().success();
    assert_eq!(server_due(), shipped);
    let log = dangan(&url, ADMIN, &["audit", "--json"]).output().unwrap();
    let entries: serde_json::Value = serde_json::from_slice(&log.stdout).unwrap();
    let rule_entries = entries.as_array().unwrap().iter().filter(|e| e["entity"] == "own_rules").count();
    assert_eq!(rule_entries, 2, "the load and the reset are logged");
    dangan(&url, ADMIN, &["verify"]).assert().success();
}
