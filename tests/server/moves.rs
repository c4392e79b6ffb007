//! A member moving between two colleges on one server (`dangan transfer move`): one audited
//! transaction by the committee that keeps them, their steps taken along, the member then the
//! other college's alone to see and change.

use dangan_core::Error;
use dangan_core::server::{ServerAddress, ServerSession};
use dangan_tests::{PASSPHRASE, TestWorkspace};
use predicates::str::contains;

use crate::security::{db_role, ok, refused, two_colleges};
use crate::setup::{ADMIN, dangan, initialised};

fn names(url: &str, user: &str) -> Vec<String> {
    crate::members::members(url, user).iter().map(|m| m["name"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn a_member_moves_to_another_college_in_one_logged_step_and_leaves_the_first_colleges_sight() {
    let Some((cluster, url)) = initialised() else { return };
    let admin = db_role(&url, ADMIN);
    two_colleges(&cluster, &admin);
    let psql = |sql: &str| ok(cluster.psql("dangan", &admin, PASSPHRASE, sql));
    let member = psql("SELECT id FROM dangan.people WHERE name = '成员计算第一支部'");
    psql(&format!(
        "INSERT INTO dangan.events (person_id, kind, date) VALUES ({member}, 'application_received', '2025-10-10')"
    ));
    let add = |args: &[&str]| dangan(&url, ADMIN, args).assert().success();
    add(&["users", "add", "计算机学院管理员", "--role", "administrator", "--committee", "计算机学院党委"]);
    add(&["users", "add", "数学学院组织员", "--role", "organiser", "--committee", "数学学院党委"]);
    add(&["users", "add", "王书记", "--role", "branch_secretary", "--branch", "计算机学院党委/计算第一支部"]);
    let move_to = |user: &str, to: &str| dangan(&url, user, &["transfer", "move", "--member", &member, "--to", to]);
    let (cs, maths) = ("计算机学院管理员", "数学学院组织员");

    // Refused, changing nothing: a branch secretary (the committee decides), the other college
    // (whose users cannot see the member), a unit that is no branch, no unit, the same branch.
    move_to("王书记", "数学学院党委/数学第一支部").assert().failure().stderr(contains("approve transfers"));
    move_to(maths, "数学学院党委/数学第一支部").assert().failure().stderr(contains("not found"));
    move_to(cs, "数学学院党委").assert().failure().stderr(contains("数学学院党委 is not a branch"));
    move_to(cs, "数学学院党委/物理支部").assert().failure().stderr(contains("unit 数学学院党委/物理支部 not found"));
    move_to(cs, "中共示范大学委员会/计算机学院党委/计算第一支部")
        .assert()
        .failure()
        .stderr(contains("in 中共示范大学委员会/计算机学院党委/计算第一支部 already"));
    assert!(names(&url, cs).contains(&"成员计算第一支部".to_owned()));
    // The server's own function holds in raw SQL too: a branch secretary, an auditor, the other
    // college's organiser are refused by it.
    add(&["users", "add", "计算机学院审计员", "--role", "auditor", "--committee", "计算机学院党委"]);
    let call = format!("SELECT * FROM dangan.move_person({member}, ARRAY['数学学院党委', '数学第一支部'])");
    for (user, why) in [
        ("王书记", "only a committee's administrators and organisers move a member"),
        ("计算机学院审计员", "only a committee's administrators and organisers move a member"),
        (maths, &format!("no person {member}")),
    ] {
        refused(cluster.psql("dangan", &db_role(&url, user), PASSPHRASE, &call), why);
    }

    // Moved by its committee's administrator, named by the path from the top (the university's
    // name may lead it, as above): the first college no longer sees the member, the second has
    // them with their steps and may record the next.
    let out = move_to(cs, "数学学院党委/数学第一支部").arg("--json").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let moved: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(moved["name"], "成员计算第一支部");
    assert_eq!(moved["from"], "中共示范大学委员会/计算机学院党委/计算第一支部");
    assert_eq!(moved["to"], "中共示范大学委员会/数学学院党委/数学第一支部");
    assert!(!names(&url, cs).contains(&"成员计算第一支部".to_owned()));
    assert!(names(&url, maths).contains(&"成员计算第一支部".to_owned()));
    dangan(&url, maths, &["step", "list", "--member", &member]).assert().success().stdout(contains("2025-10-10"));
    dangan(&url, cs, &["step", "list", "--member", &member]).assert().failure().stderr(contains("not found"));
    assert_eq!(
        psql(&format!(
            "SELECT count(*) FROM dangan.events e JOIN dangan.org_units u ON u.id = e.branch_id WHERE e.person_id = {member} AND u.name = '数学第一支部'"
        )),
        "1",
        "the steps went along"
    );

    // The branch's change by the mover in the log, once under each branch, so that the auditors of
    // the college the member left read it too; the chain verifies.
    let entries = psql(&format!(
        "SELECT actor || ' ' || field || ' ' || (SELECT name FROM dangan.org_units WHERE id = old::bigint) || ' '
                || (SELECT name FROM dangan.org_units WHERE id = new::bigint)
         FROM dangan.audit_log WHERE entity = 'people' AND entity_id = '{member}' AND action = 'update'"
    ));
    assert_eq!(entries.lines().collect::<Vec<_>>(), ["计算机学院管理员 branch_id 计算第一支部 数学第一支部"; 2]);
    let theirs = format!(
        "SELECT count(*) FROM dangan.audit_log WHERE entity = 'people' AND entity_id = '{member}' AND field = 'branch_id'"
    );
    assert_eq!(ok(cluster.psql("dangan", &db_role(&url, "计算机学院审计员"), PASSPHRASE, &theirs)), "1");
    // `dangan audit` lists as a workspace lists: the college's auditor their college's entry,
    // the department both; the CSV holds what the list holds.
    let entries = |user: &str| {
        let out = dangan(&url, user, &["audit", "--json", "--member", &member, "--entity", "people"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let all = serde_json::from_slice::<Vec<serde_json::Value>>(&out.stdout).unwrap();
        all.into_iter().filter(|e| e["field"] == "branch_id").collect::<Vec<_>>()
    };
    let college_sees = entries("计算机学院审计员");
    assert_eq!(college_sees.len(), 1, "{college_sees:?}");
    assert_eq!((college_sees[0]["field"].as_str(), college_sees[0]["actor"].as_str()), (Some("branch_id"), Some(cs)));
    assert_eq!(entries(ADMIN).len(), 2);
    let folder = tempfile::tempdir().unwrap();
    let csv = folder.path().join("audit.csv");
    dangan(&url, "计算机学院审计员", &["audit", "--member", &member, "--out", csv.to_str().unwrap()])
        .assert()
        .success();
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("branch_id") && text.contains("计算机学院管理员"), "{text}");
    dangan(&url, "王书记", &["audit"]).assert().failure().stderr(contains("read the audit log"));
    dangan(&url, ADMIN, &["verify"]).assert().success();

    // A move made from a stale read is refused, naming who changed the member since.
    let address: ServerAddress = url.parse().unwrap();
    let mut session = ServerSession::sign_in(&address, Some(maths), PASSPHRASE).unwrap();
    let version = session.member(member.parse().unwrap()).unwrap().version;
    let stale = session.move_member(member.parse().unwrap(), "数学学院党委/数学第二支部", Some(version - 1));
    assert!(matches!(stale, Err(Error::ChangedMeanwhile { ref by, .. }) if by == cs), "{stale:?}");

    // A workspace moves members between offices by letter and package.
    let ws = TestWorkspace::initialised();
    ws.dangan(&["transfer", "move", "--member", "1", "--to", "第一党支部"])
        .assert()
        .failure()
        .stderr(contains("is for a shared server"));
}
