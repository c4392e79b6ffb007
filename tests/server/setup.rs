//! Setting a server up and signing in: `server init`, users, the address's TLS.

use dangan_tests::postgres::PgCluster;
use dangan_tests::{PASSPHRASE, dangan_binary};

use crate::cluster;

pub const ADMIN: &str = "组织部管理员";
pub const OWNER_PASSWORD: &str = "owner's own secret";

/// A command against the server as `user`, in English, with the test passphrase.
pub fn dangan(url: &str, user: &str, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(dangan_binary());
    cmd.arg("--server").arg(url).arg("--user").arg(user).args(args);
    cmd.env("DANGAN_PASSPHRASE", PASSPHRASE)
        .env("DANGAN_NEW_PASSPHRASE", PASSPHRASE)
        .env("LANG", "en_US.UTF-8")
        .env_remove("DANGAN_WORKSPACE")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    cmd
}

/// A cluster with database `dangan` set up by `server init` (owner: a CREATEROLE role, not a
/// superuser); returns the cluster and the URL users sign in with (no credentials in it).
pub fn initialised() -> Option<(PgCluster, String)> {
    let cluster = cluster()?;
    let owner_url = cluster.create_owned_database("dangan", "dangan_owner", OWNER_PASSWORD);
    let mut init = assert_cmd::Command::new(dangan_binary());
    init.args(["server", "init", "--url", &owner_url, "--committee", "中共示范大学委员会", "--user", ADMIN])
        .env("DANGAN_NEW_PASSPHRASE", PASSPHRASE)
        .env("LANG", "en_US.UTF-8");
    let out = init.output().unwrap();
    assert!(out.status.success(), "server init: {}\n{}", String::from_utf8_lossy(&out.stderr), cluster.log());
    let url = cluster.url("dangan", None);
    Some((cluster, url))
}

/// A workspace of the server's committee beside it, `roster` imported into both by their
/// administrators: the same people, for comparing what each engine says.
pub fn twin_workspace(url: &str, roster: &str) -> dangan_tests::TestWorkspace {
    let ws = dangan_tests::TestWorkspace::new();
    ws.dangan(&["init", "--committee", "中共示范大学委员会"]).assert().success();
    let file = ws.write_csv("roster.csv", roster);
    ws.dangan(&["import", file.to_str().unwrap()]).assert().success();
    dangan(url, ADMIN, &["import", file.to_str().unwrap()]).assert().success();
    ws
}

pub fn users_json(url: &str, user: &str) -> Vec<serde_json::Value> {
    let out = dangan(url, user, &["users", "--json"]).output().unwrap();
    assert!(out.status.success(), "users: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn init_makes_an_administrator_who_signs_in_with_their_passphrase_as_a_login_role() {
    let Some((cluster, url)) = initialised() else { return };
    let users = users_json(&url, ADMIN);
    assert_eq!(users.len(), 1, "{users:#?}");
    assert_eq!(users[0]["name"], ADMIN);
    assert_eq!(users[0]["role"], "administrator");
    let db_role = users[0]["db_role"].as_str().unwrap().to_owned();
    assert!(db_role.starts_with("dangan_") && db_role.is_ascii(), "{db_role}");

    // The role is a real login whose password is the passphrase: psql opens with it, not without.
    let out = cluster.psql("dangan", &db_role, PASSPHRASE, "SELECT name FROM dangan.whoami()");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), ADMIN);
    let out = cluster.psql("dangan", &db_role, "a wrong passphrase", "SELECT 1");
    assert!(!out.status.success());

    // A wrong passphrase is said as everywhere else (exit 3), without telling which was wrong.
    dangan(&url, ADMIN, &["users"])
        .env("DANGAN_PASSPHRASE", "not the passphrase")
        .assert()
        .code(3)
        .stderr(predicates::str::contains("wrong user name or passphrase"));
    dangan(&url, "nobody", &["users"]).assert().code(3);

    // A second init changes nothing.
    let owner_url = cluster.url("dangan", Some(("dangan_owner", OWNER_PASSWORD)));
    let mut again = assert_cmd::Command::new(dangan_binary());
    again
        .args(["server", "init", "--url", &owner_url, "--committee", "另一个党委", "--user", "someone"])
        .env("DANGAN_NEW_PASSPHRASE", PASSPHRASE)
        .env("LANG", "en_US.UTF-8")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("already holds Dangan's data; it will not be overwritten"))
        .stderr(predicates::str::contains(OWNER_PASSWORD).not());
    assert_eq!(users_json(&url, ADMIN).len(), 1);

    // The chain the server wrote (the committee, the administrator) checks out.
    dangan(&url, ADMIN, &["verify"]).assert().success().stdout(predicates::str::contains("entries checked"));
}

#[test]
fn commands_that_do_not_run_on_a_server_yet_say_so_and_change_nothing() {
    let Some((_cluster, url)) = initialised() else { return };
    dangan(&url, ADMIN, &["backup", "backup.dangan"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("`dangan backup` does not run on a server yet"));
}

use predicates::prelude::PredicateBooleanExt;

#[test]
fn an_init_that_fails_part_way_leaves_nothing_behind() {
    let Some(cluster) = cluster() else { return };
    // The administrator's login role is already taken, so init fails late: after the group roles,
    // the schema and the root committee were made. All of it is undone.
    let owner_url = cluster.create_owned_database("late", "late_owner", OWNER_PASSWORD);
    let login = cluster.superuser_sql(
        "late",
        &format!(
            "SELECT 'dangan_' || left(encode(sha256(convert_to('late', 'UTF8')), 'hex'), 8) || '_u_'
                    || left(encode(sha256(convert_to('{ADMIN}', 'UTF8')), 'hex'), 16)"
        ),
    );
    cluster.superuser_sql("postgres", &format!("CREATE ROLE {} LOGIN", login.trim()));
    let mut init = assert_cmd::Command::new(dangan_binary());
    init.args(["server", "init", "--url", &owner_url, "--committee", "中共示范大学委员会", "--user", ADMIN])
        .env("DANGAN_NEW_PASSPHRASE", PASSPHRASE)
        .env("LANG", "en_US.UTF-8")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("already exists"));
    let left = cluster.superuser_sql(
        "late",
        "SELECT (SELECT count(*) FROM pg_namespace WHERE nspname = 'dangan')
              + (SELECT count(*) FROM pg_roles WHERE rolname ~ '^dangan_[0-9a-f]{8}_(app|system|accounts)$')",
    );
    assert_eq!(left.trim(), "0", "no schema and no group role is left");
    let url = owner_url;
    // A passphrase too short is refused before the server is touched.
    let mut short = assert_cmd::Command::new(dangan_binary());
    short
        .args(["server", "init", "--url", &url, "--committee", "中共示范大学委员会", "--user", ADMIN])
        .env("DANGAN_NEW_PASSPHRASE", "short")
        .env("LANG", "en_US.UTF-8")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("at least 8 characters"));
    // A name with a control character is refused as a workspace refuses it, before the server is touched.
    let mut hostile = assert_cmd::Command::new(dangan_binary());
    hostile
        .args(["server", "init", "--url", &url, "--committee", "中共示范大学委员会", "--user", "管理\u{1b}[2J员"])
        .env("DANGAN_NEW_PASSPHRASE", PASSPHRASE)
        .env("LANG", "en_US.UTF-8")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("user name"));
}

#[test]
fn an_administrator_changes_removes_and_resets_their_users_and_the_department_keeps_one() {
    let Some((cluster, url)) = initialised() else { return };
    let sql = "INSERT INTO dangan.org_units (parent_id, kind, name)
                   SELECT id, 'committee', c FROM dangan.org_units, unnest(ARRAY['计算机学院党委', '数学学院党委']) c
                   WHERE parent_id IS NULL;
               INSERT INTO dangan.org_units (parent_id, kind, name)
                   SELECT id, 'branch', CASE name WHEN '计算机学院党委' THEN '计算第一支部' ELSE '数学第一支部' END
                   FROM dangan.org_units WHERE kind = 'committee' AND parent_id IS NOT NULL;";
    let admin = users_json(&url, ADMIN)[0]["db_role"].as_str().unwrap().to_owned();
    assert!(cluster.psql("dangan", &admin, PASSPHRASE, sql).status.success());
    let add = |args: &[&str]| dangan(&url, ADMIN, args).assert().success();
    add(&["users", "add", "李老师", "--role", "organiser", "--committee", "计算机学院党委"]);
    add(&["users", "add", "学院管理员", "--role", "administrator", "--committee", "计算机学院党委"]);
    let role_of = |name: &str| {
        users_json(&url, ADMIN).iter().find(|u| u["name"] == name).map(|u| (u["role"].clone(), u["branches"].clone()))
    };

    // Another role, a branch secretary's branches with it; logged by the server.
    dangan(&url, ADMIN, &["users", "role", "李老师", "--role", "branch_secretary", "--branch", "计算第一支部"])
        .assert()
        .success()
        .stdout(predicates::str::contains("李老师 is now branch secretary"));
    let (role, branches) = role_of("李老师").unwrap();
    assert_eq!(role, "branch_secretary");
    assert_eq!(branches.as_array().unwrap().len(), 1);
    dangan(&url, ADMIN, &["users", "role", "李老师", "--role", "auditor", "--branch", "计算第一支部"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("only a branch secretary is limited to branches"));
    // A secretary's branches lie within the committee they work for: one across two colleges
    // would be a user one college's administrator could take over to read the other's.
    let across = [
        "users",
        "add",
        "跨院书记",
        "--role",
        "branch_secretary",
        "--branch",
        "计算第一支部",
        "--branch",
        "数学第一支部",
    ];
    dangan(&url, ADMIN, &across)
        .assert()
        .failure()
        .stderr(predicates::str::contains("branches or general branches of the committee they work for"));
    let college = users_json(&url, ADMIN).iter().find(|u| u["name"] == "学院管理员").unwrap()["db_role"].clone();
    let maths_branch = cluster.superuser_sql("dangan", "SELECT id FROM dangan.org_units WHERE name = '数学第一支部'");
    let out = cluster.psql(
        "dangan",
        college.as_str().unwrap(),
        PASSPHRASE,
        &format!("SELECT * FROM dangan.set_user_role('李老师', 'branch_secretary', ARRAY[{}])", maths_branch.trim()),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("branches of the committee they work for"), "{stderr}");

    // A new passphrase: the old one opens nothing, the new one signs in.
    dangan(&url, ADMIN, &["users", "reset-passphrase", "李老师"])
        .env("DANGAN_NEW_PASSPHRASE", "a brand new passphrase")
        .assert()
        .success();
    dangan(&url, "李老师", &["members"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("wrong user name or passphrase"));
    dangan(&url, "李老师", &["members"]).env("DANGAN_PASSPHRASE", "a brand new passphrase").assert().success();
    // And the user changes their own: signed in with the current one, the next one set.
    dangan(&url, "李老师", &["passwd"])
        .env("DANGAN_PASSPHRASE", "a brand new passphrase")
        .env("DANGAN_NEW_PASSPHRASE", "my very own passphrase")
        .assert()
        .success();
    dangan(&url, "李老师", &["members"]).env("DANGAN_PASSPHRASE", "my very own passphrase").assert().success();
    dangan(&url, "李老师", &["passwd"])
        .env("DANGAN_PASSPHRASE", "a brand new passphrase")
        .env("DANGAN_NEW_PASSPHRASE", "yet another passphrase")
        .assert()
        .failure()
        .stderr(predicates::str::contains("wrong user name or passphrase"));

    // A college's administrator manages their college's users, not the department's.
    dangan(&url, "学院管理员", &["users", "remove", ADMIN])
        .assert()
        .failure()
        .stderr(predicates::str::contains(format!("user {ADMIN} not found")));
    // The department keeps its last administrator; nobody removes themselves.
    dangan(&url, ADMIN, &["users", "role", ADMIN, "--role", "organiser"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("the department's last administrator"));
    dangan(&url, ADMIN, &["users", "remove", ADMIN])
        .assert()
        .failure()
        .stderr(predicates::str::contains("the department's last administrator"));
    add(&["users", "add", "副管理员", "--role", "administrator"]);
    dangan(&url, ADMIN, &["users", "remove", ADMIN])
        .assert()
        .failure()
        .stderr(predicates::str::contains("an administrator does not remove themselves"));
    assert_eq!(role_of(ADMIN).unwrap().0, "administrator");

    // Removed: their login role is gone, so their passphrase opens nothing.
    let login = users_json(&url, ADMIN).iter().find(|u| u["name"] == "李老师").unwrap()["db_role"].clone();
    dangan(&url, "学院管理员", &["users", "remove", "李老师"]).assert().success();
    assert!(role_of("李老师").is_none());
    let roles = cluster.superuser_sql(
        "dangan",
        &format!("SELECT count(*) FROM pg_roles WHERE rolname = '{}'", login.as_str().unwrap()),
    );
    assert_eq!(roles.trim(), "0");
    dangan(&url, "李老师", &["members"])
        .env("DANGAN_PASSPHRASE", "a brand new passphrase")
        .assert()
        .failure()
        .stderr(predicates::str::contains("wrong user name or passphrase"));
    let logged = cluster.superuser_sql(
        "dangan",
        "SELECT string_agg(action || ' ' || coalesce(field, ''), ',' ORDER BY seq) FROM dangan.audit_log WHERE entity = 'users' AND action <> 'insert'",
    );
    assert_eq!(
        logged.trim(),
        "update role,update passphrase_set_at,update passphrase_set_at,delete",
        "a reset and one's own change are logged too"
    );
    dangan(&url, ADMIN, &["verify"]).assert().success();
}

#[test]
fn two_administrators_demoting_each_other_at_once_leave_the_department_one() {
    let Some((cluster, url)) = initialised() else { return };
    dangan(&url, ADMIN, &["users", "add", "副管理员", "--role", "administrator"]).assert().success();
    let admin = users_json(&url, ADMIN)[0]["db_role"].as_str().unwrap().to_owned();
    // The department's administrator demotes the other in raw SQL and holds the transaction open
    // for three seconds; meanwhile the other demotes them.
    let address: dangan_core::server::ServerAddress = url.parse().unwrap();
    let mut other = dangan_core::server::ServerSession::sign_in(&address, Some("副管理员"), PASSPHRASE).unwrap();
    let (first, second, waited) = std::thread::scope(|threads| {
        let holding = threads.spawn(|| {
            let sql = "SELECT name FROM dangan.set_user_role('副管理员', 'organiser', '{}'); SELECT pg_sleep(3);";
            cluster.psql("dangan", &admin, PASSPHRASE, sql)
        });
        std::thread::sleep(std::time::Duration::from_secs(1));
        let started = std::time::Instant::now();
        let second = other.set_user_role(ADMIN, dangan_core::access::Role::Organiser, &[]);
        let waited = started.elapsed();
        (holding.join().unwrap(), second, waited)
    });
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    // The second waited for the first and was then refused: its maker is no administrator now.
    assert!(waited >= std::time::Duration::from_millis(1500), "it did not wait: {waited:?}");
    let refused = second.expect_err("the second demotion is refused");
    assert!(refused.message(dangan_core::Lang::En).contains("only an administrator manages users"), "{refused}");
    let roles: Vec<(String, String)> = users_json(&url, ADMIN)
        .iter()
        .map(|u| (u["name"].as_str().unwrap().to_owned(), u["role"].as_str().unwrap().to_owned()))
        .collect();
    assert!(roles.contains(&(ADMIN.to_owned(), "administrator".to_owned())), "{roles:?}");
}
