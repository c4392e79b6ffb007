//! The server schema's versions: a database an earlier Dangan set up is refused to users, naming
//! the command that upgrades it; its owner upgrades it, all or nothing, keeping what it holds;
//! and then it works as one set up afresh.

use dangan_core::server::{SCHEMA_VERSION, ServerAddress, ServerSession};
use dangan_tests::{PASSPHRASE, dangan_binary};
use predicates::str::contains;

use crate::cluster;
use crate::setup::{ADMIN, OWNER_PASSWORD, dangan};

fn upgrade(owner_url: &str) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(dangan_binary());
    cmd.args(["server", "upgrade", "--url", owner_url]).env("LANG", "en_US.UTF-8");
    cmd
}

#[test]
fn a_version_one_server_is_refused_to_users_until_its_owner_upgrades_it_keeping_its_records() {
    let Some(cluster) = cluster() else { return };
    let owner_url = cluster.create_owned_database("dangan", "dangan_owner", OWNER_PASSWORD);
    let owner: ServerAddress = owner_url.parse().unwrap();
    ServerSession::initialise_at(&owner, "中共示范大学委员会", ADMIN, PASSPHRASE, 1).unwrap();
    let url = cluster.url("dangan", None);
    // What the earlier Dangan's office wrote: a branch and a person.
    cluster.superuser_sql(
        "dangan",
        "INSERT INTO dangan.org_units (parent_id, kind, name) SELECT id, 'branch', '第一党支部' FROM dangan.org_units;
         INSERT INTO dangan.people (branch_id, name, sort_key) SELECT id, '张三', 'zhangsan' FROM dangan.org_units WHERE kind = 'branch';",
    );
    assert_eq!(cluster.superuser_sql("dangan", "SELECT to_regclass('dangan.dismissals') IS NULL").trim(), "t");

    // A user signing in is told what to do, and nothing happens.
    dangan(&url, ADMIN, &["members"])
        .assert()
        .code(1)
        .stderr(contains(format!("holds schema version 1 and this Dangan needs version {SCHEMA_VERSION}")))
        .stderr(contains("dangan server upgrade --url"));
    // A user cannot upgrade it: only the owner changes the schema.
    let users_url = cluster.url("dangan", Some(("nobody", "no password")));
    upgrade(&users_url).assert().failure();

    // The owner upgrades it: the new tables with their security, the records kept.
    let out = upgrade(&owner_url).arg("--json").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let done: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(done, serde_json::json!({ "from": 1, "to": SCHEMA_VERSION }));
    assert_eq!(
        cluster
            .superuser_sql(
                "dangan",
                "SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'dangan.dismissals'::regclass"
            )
            .trim(),
        "t"
    );
    let out = dangan(&url, ADMIN, &["members", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("张三"));
    // Upgraded once: the second finds nothing to do.
    upgrade(&owner_url)
        .assert()
        .success()
        .stdout(contains(format!("holds schema version {SCHEMA_VERSION} already: nothing to upgrade")));

    // What the later versions bring works there (items set aside, membership status), and the
    // log the upgrade left verifies.
    let mut admin = ServerSession::sign_in(&url.parse().unwrap(), Some(ADMIN), PASSPHRASE).unwrap();
    admin.set_today("2026-02-25".parse().unwrap());
    let zhang = admin.members(&Default::default()).unwrap()[0].0.id;
    admin
        .save_event(
            zhang,
            dangan_core::domain::ProcedureEvent {
                id: None,
                kind: dangan_core::domain::EventKind::ApplicationReceived,
                date: "2026-01-31".parse().unwrap(),
                months: None,
                note: None,
            },
            None,
        )
        .unwrap();
    admin.dismiss_deadline(zhang, "application_talk", "2026-02-28".parse().unwrap(), None).unwrap();
    assert_eq!(admin.dashboard(None, None).unwrap().dismissed, 1);
    let out = dangan_core::domain::StatusChange {
        id: None,
        person_id: zhang,
        status: dangan_core::domain::MembershipStatus::TransferredOut,
        date: "2026-02-20".parse().unwrap(),
        reason: None,
    };
    let moved_out = admin.change_status(out).unwrap();
    assert!(moved_out.detail.deadlines.is_empty(), "someone out of the register owes nothing");
    assert!(admin.members(&Default::default()).unwrap().is_empty());
    dangan(&url, ADMIN, &["verify"]).assert().success();

    // A server set up by a newer Dangan asks for a newer Dangan, to its users and its owner.
    cluster.superuser_sql("dangan", "UPDATE dangan.meta SET value = '99' WHERE key = 'schema_version'");
    dangan(&url, ADMIN, &["members"]).assert().code(1).stderr(contains("set up by a newer Dangan"));
    upgrade(&owner_url).assert().code(1).stderr(contains("set up by a newer Dangan"));
}
