//! The rules held by the server itself: what each user's login role may do in raw SQL through
//! psql, the audit log written by the server in one chain under concurrent writers, and a
//! connection that cannot be trusted or made refused clearly.

use std::process::Output;

use dangan_tests::PASSPHRASE;
use dangan_tests::postgres::PgCluster;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

use crate::setup::{ADMIN, OWNER_PASSWORD, dangan, initialised, users_json};

/// The university with two colleges, each with two branches, made by the department's
/// administrator in raw SQL (their own role, under the policies), and one person in each branch.
pub(crate) fn two_colleges(cluster: &PgCluster, admin_role: &str) {
    let sql = "
        INSERT INTO dangan.org_units (parent_id, kind, name)
            SELECT id, 'committee', c FROM dangan.org_units, unnest(ARRAY['计算机学院党委', '数学学院党委']) c
            WHERE parent_id IS NULL;
        INSERT INTO dangan.org_units (parent_id, kind, name)
            SELECT u.id, 'branch', left(u.name, 2) || b FROM dangan.org_units u, unnest(ARRAY['第一支部', '第二支部']) b
            WHERE u.name IN ('计算机学院党委', '数学学院党委');
        INSERT INTO dangan.people (branch_id, name, stage)
            SELECT id, '成员' || name, 'activist' FROM dangan.org_units WHERE kind = 'branch';";
    ok(cluster.psql("dangan", admin_role, PASSPHRASE, sql));
}

pub(crate) fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

pub(crate) fn refused(out: Output, why: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains(why), "expected a refusal with {why:?}, got {stderr}");
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.is_empty()).collect()
}

pub(crate) fn db_role(url: &str, name: &str) -> String {
    let users = users_json(url, ADMIN);
    let user = users.iter().find(|u| u["name"] == name).unwrap_or_else(|| panic!("{name} in {users:#?}"));
    user["db_role"].as_str().unwrap().to_owned()
}

#[test]
fn each_role_sees_and_changes_in_raw_sql_only_what_access_rs_allows() {
    let Some((cluster, url)) = initialised() else { return };
    let admin = db_role(&url, ADMIN);
    two_colleges(&cluster, &admin);
    let add = |args: &[&str]| dangan(&url, ADMIN, args).assert().success();
    add(&["users", "add", "王书记", "--role", "branch_secretary", "--branch", "计算机学院党委/计算第一支部"]);
    add(&["users", "add", "计算机学院管理员", "--role", "administrator", "--committee", "计算机学院党委"]);
    add(&["users", "add", "审计员", "--role", "auditor"]);
    let (secretary, college, auditor) =
        (db_role(&url, "王书记"), db_role(&url, "计算机学院管理员"), db_role(&url, "审计员"));
    let people =
        |role: &str| ok(cluster.psql("dangan", role, PASSPHRASE, "SELECT name FROM dangan.people ORDER BY name"));

    // Reading: the department all four, a college its own two, a secretary their one branch.
    assert_eq!(lines(&people(&admin)).len(), 4);
    assert_eq!(lines(&people(&college)), ["成员计算第一支部", "成员计算第二支部"]);
    assert_eq!(lines(&people(&secretary)), ["成员计算第一支部"]);
    assert_eq!(lines(&people(&auditor)).len(), 4);

    // Changing: a secretary's UPDATE of another branch touches nothing; an INSERT there, or an
    // event for its person, is refused by the policy; in their own branch both work. (The ids are
    // the administrator's to look up: the secretary cannot even see the other branch.)
    let psql = |role: &str, sql: &str| cluster.psql("dangan", role, PASSPHRASE, sql);
    let unit = |name: &str| ok(psql(&admin, &format!("SELECT id FROM dangan.org_units WHERE name = '{name}'")));
    let person = |name: &str| ok(psql(&admin, &format!("SELECT id FROM dangan.people WHERE name = '{name}'")));
    let (maths_branch, second_branch) = (unit("数学第一支部"), unit("计算第二支部"));
    assert_eq!(
        ok(psql(&secretary, &format!("SELECT count(*) FROM dangan.org_units WHERE id = '{maths_branch}'"))),
        "0"
    );
    assert_eq!(
        ok(psql(&secretary, "UPDATE dangan.people SET notes = 'x' WHERE name = '成员数学第一支部' RETURNING id")),
        ""
    );
    refused(
        psql(&secretary, &format!("INSERT INTO dangan.people (branch_id, name) VALUES ('{maths_branch}', '混入')")),
        "row-level security",
    );
    refused(
        psql(
            &secretary,
            &format!(
                "INSERT INTO dangan.events (person_id, kind, date) VALUES ('{}', 'talk', '2026-11-01')",
                person("成员计算第二支部")
            ),
        ),
        "row-level security",
    );
    ok(psql(
        &secretary,
        "INSERT INTO dangan.events (person_id, kind, date)
         SELECT id, 'talk', '2026-11-01' FROM dangan.people WHERE name = '成员计算第一支部'",
    ));
    // Moving their member to a branch they do not keep is refused too.
    refused(
        psql(
            &secretary,
            &format!("UPDATE dangan.people SET branch_id = '{second_branch}' WHERE name = '成员计算第一支部'"),
        ),
        "row-level security",
    );
    // An auditor sees every person and may change none: the UPDATE and DELETE policies (not the
    // SELECT one) leave their rows alone, and an event for a person they see is refused.
    let visible = person("成员计算第一支部");
    assert_eq!(ok(psql(&auditor, &format!("SELECT count(*) FROM dangan.people WHERE id = '{visible}'"))), "1");
    assert_eq!(
        ok(psql(
            &auditor,
            &format!("UPDATE dangan.people SET notes = '审计员改的' WHERE id = '{visible}' RETURNING id")
        )),
        ""
    );
    assert_eq!(
        ok(psql(&auditor, &format!("DELETE FROM dangan.events WHERE person_id = '{visible}' RETURNING id"))),
        ""
    );
    refused(
        psql(
            &auditor,
            &format!("INSERT INTO dangan.events (person_id, kind, date) VALUES ('{visible}', 'talk', '2026-11-02')"),
        ),
        "row-level security",
    );
    assert_eq!(ok(psql(&admin, &format!("SELECT coalesce(notes, '') FROM dangan.people WHERE id = '{visible}'"))), "");
    assert_eq!(ok(psql(&admin, &format!("SELECT count(*) FROM dangan.events WHERE person_id = '{visible}'"))), "1");
    // A college renames its units but cannot move them: moving itself out of the university (or
    // into a loop) would hide its rows from the department.
    ok(psql(&college, "UPDATE dangan.org_units SET name = '计算第一党支部' WHERE name = '计算第一支部'"));
    refused(
        psql(&college, "UPDATE dangan.org_units SET parent_id = id WHERE name = '计算机学院党委'"),
        "permission denied",
    );
    ok(psql(&college, "UPDATE dangan.org_units SET name = '计算第一支部' WHERE name = '计算第一党支部'"));
    // An auditor reads and changes nothing; a college's administrator cannot reach another college.
    refused(
        psql(
            &auditor,
            &format!("INSERT INTO dangan.people (branch_id, name) VALUES ('{second_branch}', '审计员加的')"),
        ),
        "row-level security",
    );
    assert_eq!(ok(psql(&college, "DELETE FROM dangan.people WHERE name LIKE '成员数学%' RETURNING id")), "");

    // The log: nobody but the server's trigger writes it, nobody edits it, and the users' table
    // and the roles that own the log are out of reach.
    for role in [&admin, &secretary, &auditor] {
        refused(psql(role, "UPDATE dangan.audit_log SET actor = 'x'"), "permission denied");
        refused(psql(role, "DELETE FROM dangan.audit_log"), "permission denied");
        refused(psql(role, "TRUNCATE dangan.audit_log"), "permission denied");
        refused(
            psql(
                role,
                "INSERT INTO dangan.audit_log (seq, at, actor, entity, action, prev_hash, hash) VALUES (0, '', '', '', 'insert', '', '')",
            ),
            "permission denied",
        );
        refused(psql(role, "UPDATE dangan.audit_head SET seq = 0"), "permission denied");
        refused(psql(role, "ALTER TABLE dangan.people DISABLE TRIGGER audit_update"), "must be owner");
        // Numbers are the server's: not chosen by an INSERT, even OVERRIDING SYSTEM VALUE.
        refused(
            psql(
                role,
                &format!(
                    "INSERT INTO dangan.people (id, branch_id, name) OVERRIDING SYSTEM VALUE VALUES (999, '{second_branch}', 'x')"
                ),
            ),
            "permission denied",
        );
        // The entries waiting for their transaction's commit are the server's alone too.
        refused(psql(role, "SELECT * FROM dangan.audit_pending"), "permission denied");
        refused(psql(role, "DELETE FROM dangan.audit_pending"), "permission denied");
        refused(psql(role, "INSERT INTO dangan.audit_commits (tx) VALUES (pg_current_xact_id())"), "permission denied");
        refused(psql(role, "SELECT * FROM dangan.users"), "permission denied");
        let system = admin.replace("_u_", "_").split('_').take(2).collect::<Vec<_>>().join("_") + "_system";
        refused(psql(role, &format!("SET ROLE {system}")), "permission denied");
    }
    // Only an administrator adds users, within their committee.
    refused(
        psql(
            &secretary,
            "SELECT dangan.add_user('冒名', 'administrator', dangan.root_unit(), '{}', 'SCRAM-SHA-256$x')",
        ),
        "only an administrator adds users",
    );
    refused(
        psql(&college, "SELECT dangan.add_user('越权', 'administrator', dangan.root_unit(), '{}', 'SCRAM-SHA-256$x')"),
        "outside the administrator's committee",
    );

    // Reading the log: administrators and auditors, each their committee's entries; a secretary none.
    let entries = |role: &str| ok(psql(role, "SELECT count(*) FROM dangan.audit_log")).parse::<u64>().unwrap();
    assert_eq!(entries(&secretary), 0);
    assert!(
        entries(&college) > 0 && entries(&college) < entries(&auditor),
        "{} {}",
        entries(&college),
        entries(&auditor)
    );
    let who = ok(psql(
        &auditor,
        "SELECT actor || ' ' || entity || ' ' || action FROM dangan.audit_log WHERE entity = 'events'",
    ));
    assert_eq!(who, "王书记 events insert", "the server names the user who made the change");

    // A person moved to another branch takes their steps along: the old branch's secretary sees
    // neither any more. Deleting a person deletes their steps, and the log names the unit of
    // each, so the college's administrator reads those entries too. A transaction that chains its
    // entries early (SET CONSTRAINTS ... IMMEDIATE) and changes more afterwards keeps the chain whole.
    let moved = person("成员计算第一支部");
    ok(psql(
        &college,
        &format!(
            "BEGIN; SAVEPOINT s; UPDATE dangan.people SET branch_id = '{second_branch}' WHERE id = '{moved}'; RELEASE s; COMMIT;"
        ),
    ));
    assert_eq!(ok(psql(&secretary, "SELECT count(*) FROM dangan.events")), "0");
    assert_eq!(
        ok(psql(&college, &format!("SELECT count(*) FROM dangan.events WHERE branch_id = '{second_branch}'"))),
        "1"
    );
    ok(psql(
        &college,
        &format!(
            "BEGIN; SET CONSTRAINTS ALL IMMEDIATE;
             INSERT INTO dangan.events (person_id, kind, date) VALUES ('{moved}', 'talk', '2026-11-03');
             INSERT INTO dangan.events (person_id, kind, date) VALUES ('{moved}', 'talk', '2026-11-04');
             COMMIT;"
        ),
    ));
    ok(psql(&college, &format!("DELETE FROM dangan.people WHERE id = '{moved}'")));
    assert_eq!(
        ok(psql(
            &college,
            &format!(
                "SELECT count(*) FROM dangan.audit_log WHERE entity = 'events' AND action = 'delete' AND unit_id = '{second_branch}'"
            )
        )),
        "3"
    );

    // Verify reads the whole log: the department's auditor checks the chain; a college's user, or
    // an organiser (who may not read the log), may not.
    dangan(&url, "审计员", &["verify"]).assert().success().stdout(contains("entries checked"));
    dangan(&url, "计算机学院管理员", &["verify"]).assert().code(6).stderr(contains("verify the whole log"));
    add(&["users", "add", "组织员", "--role", "organiser"]);
    dangan(&url, "组织员", &["verify"]).assert().code(6).stderr(contains("verify the whole log"));
}

#[test]
fn ten_concurrent_writers_leave_one_linear_chain_that_verifies_and_a_tampered_entry_is_named() {
    let Some((cluster, url)) = initialised() else { return };
    let admin = db_role(&url, ADMIN);
    two_colleges(&cluster, &admin);
    // Ten psql processes at once, each adding 20 people one transaction at a time.
    let writers: Vec<_> = (0..10)
        .map(|w| {
            let statements: String = (0..20)
                .map(|i| {
                    format!(
                        "INSERT INTO dangan.people (branch_id, name) SELECT id, '并发{w}-{i}' FROM dangan.org_units WHERE name = '计算第一支部';\n"
                    )
                })
                .collect();
            // One transaction per statement: each -c is its own.
            let mut cmd = cluster.psql_command("dangan", &admin, PASSPHRASE);
            for line in statements.lines() {
                cmd.args(["-c", line]);
            }
            cmd.spawn().unwrap()
        })
        .collect();
    for writer in writers {
        let out = writer.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let count =
        ok(cluster.psql("dangan", &admin, PASSPHRASE, "SELECT count(*) FROM dangan.people WHERE name LIKE '并发%'"));
    assert_eq!(count, "200", "nothing lost");
    // One linear chain: numbers 1..n without a gap, each entry linked to the one before.
    let chain = ok(cluster.psql(
        "dangan",
        &admin,
        PASSPHRASE,
        "SELECT count(*), min(seq), max(seq), bool_and(prev_hash = lag_hash)
         FROM (SELECT seq, prev_hash, lag(hash, 1, repeat('0', 64)) OVER (ORDER BY seq) AS lag_hash FROM dangan.audit_log) c",
    ));
    let fields: Vec<&str> = chain.split('|').collect();
    assert_eq!(fields[0], fields[2], "no gaps: {chain}");
    assert_eq!(fields[1], "1");
    assert_eq!(fields[3], "t", "every entry links to the one before: {chain}");
    dangan(&url, ADMIN, &["verify"]).assert().success().stdout(contains(format!("{} entries checked", fields[0])));

    // Whoever has the server itself (its superuser) and cuts the newest entries off is caught by
    // the head kept apart from the log; an edited entry, by its number.
    let total: i64 = fields[0].parse().unwrap();
    cluster.superuser_sql("dangan", &format!("DELETE FROM dangan.audit_log WHERE seq > {}", total - 3));
    dangan(&url, ADMIN, &["verify"])
        .assert()
        .code(1)
        .stderr(contains(format!("the audit log ends at entry {} but the server's head is entry {total}", total - 3)));
    cluster.superuser_sql("dangan", "UPDATE dangan.audit_log SET actor = '别人' WHERE seq = 5");
    dangan(&url, ADMIN, &["verify"]).assert().code(1).stderr(contains("audit entry 5 has been altered"));
}

#[test]
fn a_server_that_cannot_be_reached_or_trusted_is_refused_clearly_and_changes_nothing() {
    let Some((cluster, url)) = initialised() else { return };
    // The certificate names localhost: the same server by its address fails verify-full.
    let by_address = url.replace("localhost", "127.0.0.1");
    dangan(&by_address, ADMIN, &["users"])
        .assert()
        .code(1)
        .stderr(contains("cannot reach the server"))
        .stderr(contains("certificate verify failed").or(contains("hostname mismatch")).or(contains("certificate")));
    // A certificate of another authority is not trusted either.
    let stranger = cluster.root_cert().with_file_name("stranger.crt");
    dangan_tests::postgres::self_signed_certificate(&stranger, &stranger.with_extension("key"));
    let other_ca = url.replace(cluster.root_cert().to_str().unwrap(), stranger.to_str().unwrap());
    dangan(&other_ca, ADMIN, &["users"]).assert().code(1).stderr(contains("cannot reach the server"));
    // TLS cannot be switched off.
    dangan(&format!("{url}&sslmode=disable"), ADMIN, &["users"])
        .assert()
        .code(1)
        .stderr(contains("sslmode=disable is not accepted"));
    // Nothing listening.
    cluster.stop();
    dangan(&url, ADMIN, &["users", "add", "新人", "--role", "organiser"])
        .assert()
        .code(1)
        .stderr(contains("cannot reach the server"))
        .stderr(contains("nothing was changed"))
        .stderr(contains(OWNER_PASSWORD).not());
}

#[test]
fn a_step_added_while_its_person_moves_waits_and_is_refused_never_left_in_the_old_branch() {
    let Some((cluster, url)) = initialised() else { return };
    let admin = db_role(&url, ADMIN);
    two_colleges(&cluster, &admin);
    let psql = |sql: &str| cluster.psql("dangan", &admin, PASSPHRASE, sql);
    let person = ok(psql("SELECT id FROM dangan.people WHERE name = '成员计算第一支部'"));
    let target = ok(psql("SELECT id FROM dangan.org_units WHERE name = '数学第一支部'"));
    // The move holds its person for two seconds; the step, written meanwhile, waits for it.
    let mover = cluster
        .psql_command("dangan", &admin, PASSPHRASE)
        .args([
            "-c",
            &format!(
                "BEGIN; UPDATE dangan.people SET branch_id = '{target}' WHERE id = '{person}'; SELECT pg_sleep(2); COMMIT;"
            ),
        ])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let step =
        psql(&format!("INSERT INTO dangan.events (person_id, kind, date) VALUES ('{person}', 'talk', '2026-11-05')"));
    assert!(mover.wait_with_output().unwrap().status.success());
    refused(step, "foreign key");
    // What is there moved with the person: no step of theirs is left in the old branch.
    assert_eq!(
        ok(psql(&format!(
            "SELECT count(*) FROM dangan.events WHERE person_id = '{person}' AND branch_id <> '{target}'"
        ))),
        "0"
    );
    dangan(&url, ADMIN, &["verify"]).assert().success();
}

#[test]
fn a_server_stopped_mid_session_gives_a_clear_error_and_keeps_no_part_of_the_change() {
    let Some((cluster, url)) = initialised() else { return };
    let (zhang, _) = crate::members::office(&cluster, &url);
    let address: dangan_core::server::ServerAddress = url.parse().unwrap();
    let mut session = dangan_core::server::ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let roster = dir.path().join("roster.csv");
    let rows: String = (0..200).map(|i| format!("新生{i},2026{i:04},第一党支部,2026-03-01\n")).collect();
    std::fs::write(&roster, format!("姓名,学号工号,所在党支部,递交入党申请书日期\n{rows}")).unwrap();

    // The server is stopped by its administrator half-way through an import's rows (each
    // session told it is being ended): the import fails saying so, and the session's next change
    // too, each a message a person can act on.
    let mut stopped = false;
    let import = session.import_roster_file(&roster, dangan_core::roster::ImportOptions::default(), |p| {
        if p.done >= 100 && !std::mem::replace(&mut stopped, true) {
            cluster.stop_fast();
        }
        std::ops::ControlFlow::Continue(())
    });
    assert!(stopped, "the import reported its rows");
    let message = import.expect_err("the import failed").message(dangan_core::Lang::En);
    assert!(message.contains("cannot reach the server") && message.contains("nothing was changed"), "{message}");
    let talk = dangan_core::domain::ProcedureEvent {
        id: None,
        kind: dangan_core::domain::EventKind::ApplicantTalk,
        date: "2026-03-03".parse().unwrap(),
        months: None,
        note: None,
    };
    let step = session.save_event(zhang.parse().unwrap(), talk, None);
    let message = step.expect_err("the step failed").message(dangan_core::Lang::En);
    assert!(message.contains("cannot reach the server"), "{message}");

    // Back up: none of the import's rows, nor the step, was kept; the log is whole.
    cluster.start_again();
    assert_eq!(crate::members::members(&url, ADMIN).len(), 2);
    dangan(&url, ADMIN, &["step", "list", "--member", &zhang]).assert().success().stdout(contains("2026-03-03").not());
    dangan(&url, ADMIN, &["verify"]).assert().success();
}
