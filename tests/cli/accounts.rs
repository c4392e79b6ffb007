//! Users, roles, the recovery key and the audit log, through the real `dangan` binary: what an
//! office's administrator does from a terminal or a script.

use dangan_tests::{PASSPHRASE, TestWorkspace};
use predicates::prelude::*;

/// An initialised workspace with two branches and a member in each; returns the recovery code
/// `init` printed.
fn office() -> (TestWorkspace, String) {
    let ws = TestWorkspace::new();
    let sheet = ws.file("恢复密钥.pdf");
    let out = ws
        .dangan(&["init", "--committee", "测试党委", "--user", "王管理", "--recovery-pdf", sheet.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let code =
        stdout.lines().find_map(|l| l.strip_prefix("Recovery key (shown once; keep it on paper in the office safe): "));
    let code = code.unwrap_or_else(|| panic!("init shows the recovery key: {stdout}")).to_owned();
    assert!(std::fs::read(&sheet).unwrap().starts_with(b"%PDF-"));
    let roster = ws.write_csv(
        "roster.csv",
        "姓名,学号工号,所在党支部,递交入党申请书日期\n张三,2026001,第一党支部,2026-10-01\n李四,2026002,第二党支部,2026-10-02\n",
    );
    ws.dangan(&["--user", "王管理", "import", roster.to_str().unwrap()]).assert().success();
    (ws, code)
}

fn add_user(ws: &TestWorkspace, name: &str, role: &str, branch: Option<&str>) {
    let mut args = vec!["--user", "王管理", "users", "add", name, "--role", role];
    if let Some(branch) = branch {
        args.extend(["--branch", branch]);
    }
    let pass = format!("{name}-passphrase");
    ws.dangan(&args)
        .env("DANGAN_NEW_PASSPHRASE", &pass)
        .assert()
        .success()
        .stdout(predicate::str::contains("Added user"));
}

fn as_user(ws: &TestWorkspace, name: &str, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = ws.dangan(args);
    cmd.env("DANGAN_USER", name).env("DANGAN_PASSPHRASE", format!("{name}-passphrase"));
    cmd
}

#[test]
fn each_role_gets_what_it_may_and_a_plain_refusal_otherwise() {
    let (ws, _) = office();
    add_user(&ws, "孙书记", "branch_secretary", Some("第一党支部"));
    add_user(&ws, "钱审计", "auditor", None);
    add_user(&ws, "赵组织", "organiser", None);
    let users: Vec<serde_json::Value> =
        serde_json::from_slice(&ws.dangan(&["users", "list", "--json"]).output().unwrap().stdout).unwrap();
    assert_eq!(users.len(), 4);
    // `users --json` is the same list (the spelling).
    let same: Vec<serde_json::Value> =
        serde_json::from_slice(&ws.dangan(&["users", "--json"]).output().unwrap().stdout).unwrap();
    assert_eq!(same, users);
    ws.dangan(&["users", "add", "x", "--role", "organiser", "--committee", "某党委"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--committee is for users of a server"));

    // The branch secretary sees their branch only, and cannot import into another.
    let out = as_user(&ws, "孙书记", &["members", "--json"]).output().unwrap();
    let members: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = members.iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["张三"]);
    let other = ws.write_csv("other.csv", "姓名,所在党支部,递交入党申请书日期\n王五,第二党支部,2026-10-03\n");
    as_user(&ws, "孙书记", &["import", other.to_str().unwrap()])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("row 2").and(predicate::str::contains("is not one of your branches")));

    // The auditor reads, and changes nothing.
    as_user(&ws, "钱审计", &["members", "--json"]).assert().success().stdout(predicate::str::contains("李四"));
    as_user(&ws, "钱审计", &["import", other.to_str().unwrap()])
        .assert()
        .code(6)
        .stderr(predicate::str::contains("your role may not change members' records"));
    as_user(&ws, "钱审计", &["audit"]).assert().success().stdout(predicate::str::contains("王管理"));

    // The organiser changes records but does not read the audit log or manage users.
    as_user(&ws, "赵组织", &["audit"]).assert().code(6).stderr(predicate::str::contains("read the audit log"));
    as_user(&ws, "赵组织", &["users"]).assert().code(6);
}

#[test]
fn the_audit_log_names_who_changed_what_and_verify_checks_its_chain() {
    let (ws, _) = office();
    add_user(&ws, "孙书记", "branch_secretary", Some("第一党支部"));
    let more = ws.write_csv(
        "more.csv",
        "姓名,学号工号,所在党支部,递交入党申请书日期,联系电话\n张三,2026001,第一党支部,2026-10-01,13800000000\n",
    );
    as_user(&ws, "孙书记", &["import", more.to_str().unwrap()]).assert().success();

    let out = ws.dangan(&["audit", "--by", "孙书记", "--json"]).output().unwrap();
    let entries: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    // The import logs the person as they were and as they are.
    let change = entries.iter().find(|e| e["action"] == "update").expect("the change is logged");
    assert_eq!(change["member_name"], "张三");
    assert!(!change["old"].as_str().unwrap().contains("13800000000"), "{change}");
    assert!(change["new"].as_str().unwrap().contains("\"phone\":\"13800000000\""), "{change}");

    let csv = ws.file("audit.csv");
    ws.dangan(&["audit", "--out", csv.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("audit entries"));
    assert!(std::fs::read_to_string(&csv).unwrap().contains("13800000000"));
    ws.dangan(&["verify"]).assert().success().stdout(predicate::str::contains("audit entries checked"));
}

#[test]
fn the_recovery_key_sets_a_forgotten_passphrase_and_removing_a_user_shuts_them_out() {
    let (ws, code) = office();
    ws.dangan(&["--user", "王管理", "recover"])
        .env("DANGAN_RECOVERY_CODE", code.to_lowercase())
        .env("DANGAN_NEW_PASSPHRASE", "the new admin passphrase")
        .assert()
        .success()
        .stdout(predicate::str::contains("A new passphrase was set for 王管理"));
    ws.dangan(&["members"]).assert().code(3);
    let admin = |args: &[&str]| {
        let mut cmd = ws.dangan(args);
        cmd.env("DANGAN_PASSPHRASE", "the new admin passphrase");
        cmd
    };
    admin(&["members"]).assert().success();
    admin(&["recover", "--user", "王管理"])
        .env("DANGAN_RECOVERY_CODE", "AAAA-BBBB")
        .env("DANGAN_NEW_PASSPHRASE", "whatever passphrase")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("a recovery code has 24 characters"));

    let pass = "赵组织-passphrase";
    admin(&["users", "add", "赵组织", "--role", "organiser"]).env("DANGAN_NEW_PASSPHRASE", pass).assert().success();
    as_user(&ws, "赵组织", &["members"]).assert().success();
    admin(&["users", "remove", "赵组织"]).assert().success();
    as_user(&ws, "赵组织", &["members"]).assert().code(3);
    let _ = PASSPHRASE;
}

/// What a branch secretary must not do or learn outside their branches, end to end.
#[test]
fn a_branch_secretary_is_refused_plainly_outside_their_branches() {
    let (ws, _) = office();
    add_user(&ws, "孙书记", "branch_secretary", Some("第一党支部"));

    // Another branch, asked for by name: refused (exit 6), not an empty success.
    let elsewhere = ws.file("elsewhere");
    for args in [
        vec!["members", "--branch", "第二党支部"],
        vec!["deadlines", "--branch", "第二党支部"],
        vec!["dossier", "--branch", "第二党支部", "--out", elsewhere.to_str().unwrap()],
    ] {
        as_user(&ws, "孙书记", &args)
            .assert()
            .code(6)
            .stderr(predicate::str::contains("your role may not see “第二党支部”: it is not one of your branches"));
    }
    let export = ws.file("b.xlsx");
    as_user(&ws, "孙书记", &["export", export.to_str().unwrap(), "--branch", "第二党支部"]).assert().code(6);
    assert!(!export.exists() && !elsewhere.exists(), "nothing was written");

    // A number taken in another branch: the row cannot be imported by them, and that is all.
    let taken =
        ws.write_csv("taken.csv", "姓名,学号工号,所在党支部,递交入党申请书日期\n王五,2026002,第一党支部,2026-10-03\n");
    let out = as_user(&ws, "孙书记", &["import", taken.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("row 2") && stderr.contains("you cannot import this row"), "{stderr}");
    assert!(!stderr.contains("李四") && !stderr.contains("another branch"), "{stderr}");

    // A backup restores only for a role that may make backups.
    let backup = ws.file("office.dgb");
    ws.dangan(&["backup", backup.to_str().unwrap()]).assert().success();
    let restored = ws.file("restored");
    assert_cmd::Command::new(dangan_tests::dangan_binary())
        .args(["--workspace", restored.to_str().unwrap(), "--user", "孙书记", "restore", backup.to_str().unwrap()])
        .env("DANGAN_PASSPHRASE", "孙书记-passphrase")
        .env("LANG", "en_US.UTF-8")
        .assert()
        .code(6)
        .stderr(predicate::str::contains("your role may not restore a workspace from a backup"));
    assert!(!restored.join("dangan.key").exists(), "no workspace was made");
}

/// An unknown user name reads exactly as a wrong passphrase, and counts the same.
#[test]
fn an_unknown_user_and_a_wrong_passphrase_read_alike() {
    let (ws, _) = office();
    let unknown = ws.dangan(&["--user", "管理员", "members"]).output().unwrap();
    let wrong = ws.dangan(&["--user", "王管理", "members"]).env("DANGAN_PASSPHRASE", "not it at all").output().unwrap();
    assert_eq!(unknown.status.code(), Some(3));
    assert_eq!(unknown.stderr, wrong.stderr);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("wrong user name or passphrase"));
    ws.dangan_zh(&["--user", "管理员", "members"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("用户名或口令错误"));
}
