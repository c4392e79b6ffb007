//! Membership status on a server (schema version 3): a change checked and worded as a
//! workspace's, the person leaving the working lists and deadlines for everyone at once, the
//! person's status kept by the server from the history whatever a user writes in raw SQL, each
//! change logged, and the latest taken back.

use dangan_tests::{PASSPHRASE, TestWorkspace};
use predicates::str::contains;

use crate::members::{add_secretary, members, office};
use crate::security::db_role;
use crate::setup::{ADMIN, dangan, initialised};

fn listed(url: &str, user: &str, args: &[&str]) -> Vec<String> {
    let out = dangan(url, user, &[&["members", "--json"][..], args].concat()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    rows.iter().map(|m| m["name"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn a_status_change_on_a_server_is_checked_as_in_a_workspace_and_takes_the_person_off_everyones_lists() {
    let Some((cluster, url)) = initialised() else { return };
    let (zhang, li) = office(&cluster, &url);
    add_secretary(&url);
    dangan(&url, ADMIN, &["users", "add", "钱审计", "--role", "auditor"]).assert().success();
    let role_of = |name: &str| db_role(&url, name);

    // The same person in a workspace: the refusals and the change read the same on both.
    let ws = TestWorkspace::initialised();
    let roster =
        ws.write_csv("roster.csv", "姓名,学号工号,所在党支部,递交入党申请书日期\n张三,2026001,第一党支部,2026-01-31\n");
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let local = ws.members_json(&[])[0]["id"].to_string();
    let suspend = ["status", "set", "--status", "停止党籍", "--date", "2026-03-01", "--reason", "失联", "--member"];
    let on_server = dangan(&url, "孙书记", &[&suspend[..], &[zhang.as_str()]].concat()).output().unwrap();
    let in_workspace = ws.dangan(&[&suspend[..], &[local.as_str()]].concat()).output().unwrap();
    assert_eq!(on_server.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&on_server.stderr), String::from_utf8_lossy(&in_workspace.stderr));
    assert!(String::from_utf8_lossy(&on_server.stderr).contains("applies to members only"));
    // A word Dangan does not know is said before anyone signs in.
    dangan(&url, "孙书记", &["status", "set", "--member", &zhang, "--status", "放假", "--date", "2026-03-01"])
        .env("DANGAN_PASSPHRASE", "not the passphrase")
        .assert()
        .code(1)
        .stderr(contains("放假"));

    let out_of_register = ["status", "set", "--status", "转出", "--date", "2026-03-01", "--member"];
    let on_server = dangan(&url, "孙书记", &[&out_of_register[..], &[zhang.as_str()]].concat()).output().unwrap();
    let in_workspace = ws.dangan(&[&out_of_register[..], &[local.as_str()]].concat()).output().unwrap();
    assert!(on_server.status.success(), "{}", String::from_utf8_lossy(&on_server.stderr));
    assert_eq!(String::from_utf8_lossy(&on_server.stdout), String::from_utf8_lossy(&in_workspace.stdout));

    // Off the working list and the deadlines for the department too; there with --all.
    assert_eq!(listed(&url, ADMIN, &[]), ["李四"]);
    assert_eq!(listed(&url, ADMIN, &["--all"]), ["李四", "张三"]);
    assert_eq!(listed(&url, ADMIN, &["--status", "transferred_out"]), ["张三"]);
    let out = dangan(&url, ADMIN, &["deadlines", "--json", "--as-of", "2026-02-25"]).output().unwrap();
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        !items.is_empty()
            && items.iter().all(|i| i["member_id"].as_i64().map(|m| m.to_string()).as_deref() == Some(li.as_str())),
        "{items:#?}"
    );
    // Shown with its history, as a workspace shows it.
    let out = dangan(&url, ADMIN, &["status", "show", "--member", &zhang, "--json"]).output().unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["status"], "transferred_out");
    assert_eq!(shown["history"][0]["date"], "2026-03-01");

    // In raw SQL: the secretary cannot change another branch's member, the auditor nobody, and
    // nobody writes a person's status but the server, which follows the history.
    let li_change =
        format!("INSERT INTO dangan.status_changes (person_id, status, date) VALUES ({li}, 'deceased', '2026-03-02')");
    let out = cluster.psql("dangan", &role_of("孙书记"), PASSPHRASE, &li_change);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("row-level security"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!cluster.psql("dangan", &role_of("钱审计"), PASSPHRASE, &li_change).status.success());
    let out = cluster.psql(
        "dangan",
        &role_of(ADMIN),
        PASSPHRASE,
        &format!("UPDATE dangan.people SET status = 'deceased' WHERE id = {li}"),
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("permission denied"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let version = |id: &str| {
        cluster.superuser_sql("dangan", &format!("SELECT status || ' ' || version FROM dangan.people WHERE id = {id}"))
    };
    let before = version(&li);
    let out = cluster.psql("dangan", &role_of(ADMIN), PASSPHRASE, &li_change);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let after = version(&li);
    assert!(before.starts_with("in_register") && after.starts_with("deceased"), "{before} → {after}");
    assert_ne!(before.split(' ').nth(1), after.split(' ').nth(1), "a status change is a change of the person");
    let out = cluster.psql(
        "dangan",
        &role_of(ADMIN),
        PASSPHRASE,
        &format!("DELETE FROM dangan.status_changes WHERE person_id = {li}"),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(version(&li).starts_with("in_register"));

    // Taken back: 张三 is in the register again, on everyone's list.
    dangan(&url, "孙书记", &["status", "undo", "--member", &zhang]).assert().success();
    assert_eq!(listed(&url, ADMIN, &[]), ["李四", "张三"]);
    dangan(&url, "孙书记", &["status", "undo", "--member", &zhang])
        .assert()
        .code(1)
        .stderr(contains("there is no status change to take back"));
    assert_eq!(members(&url, "孙书记").len(), 1);

    // Each change is in the log as its maker's, the person's status with it, and it verifies.
    let logged = cluster.superuser_sql(
        "dangan",
        &format!(
            "SELECT string_agg(actor || ' ' || entity || ' ' || action || coalesce(' ' || field || '=' || new, ''), '; ' ORDER BY seq)
             FROM dangan.audit_log WHERE member_id = '{zhang}' AND entity IN ('status_changes', 'people') AND seq > 1
               AND (entity = 'status_changes' OR field = 'status')"
        ),
    );
    assert_eq!(
        logged.trim(),
        "孙书记 status_changes insert; 孙书记 people update status=transferred_out; 孙书记 status_changes delete; 孙书记 people update status=in_register"
    );
    dangan(&url, ADMIN, &["verify"]).assert().success();
}
