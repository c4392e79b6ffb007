//! Members and their steps on a server: the same checks and words as a workspace's (one
//! implementation of each rule), within each user's units, and a change made from a stale read
//! refused with who made the newer one.

use dangan_core::domain::{EventKind, ProcedureEvent};
use dangan_core::server::{ServerAddress, ServerSession};
use dangan_core::{Error, Lang};
use dangan_tests::{PASSPHRASE, TestWorkspace};
use predicates::str::contains;

use crate::setup::{ADMIN, dangan, initialised, users_json};

/// 张三 (an applicant since 2026-01-31, as in the workspace tests) in 第一党支部 and 李四 in
/// 第二党支部, both under the university's committee, written by the administrator in raw SQL.
fn office(cluster: &dangan_tests::postgres::PgCluster, url: &str) -> (String, String) {
    let admin = users_json(url, ADMIN)[0]["db_role"].as_str().unwrap().to_owned();
    let sql = "
        INSERT INTO dangan.org_units (parent_id, kind, name)
            SELECT id, 'branch', b FROM dangan.org_units, unnest(ARRAY['第一党支部', '第二党支部']) b WHERE parent_id IS NULL;
        INSERT INTO dangan.people (branch_id, name, sort_key, stage)
            SELECT id, CASE name WHEN '第一党支部' THEN '张三' ELSE '李四' END,
                   CASE name WHEN '第一党支部' THEN 'zhangsan' ELSE 'lisi' END, 'applicant'
            FROM dangan.org_units WHERE kind = 'branch';
        INSERT INTO dangan.events (person_id, kind, date)
            SELECT id, 'application_received', '2026-01-31' FROM dangan.people;
        SELECT string_agg(id::text, ' ' ORDER BY (name = '张三') DESC) FROM dangan.people;";
    let out = cluster.psql("dangan", &admin, PASSPHRASE, sql);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let ids = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let (zhang, li) = ids.split_once(' ').unwrap();
    (zhang.to_owned(), li.to_owned())
}

fn members(url: &str, user: &str) -> Vec<serde_json::Value> {
    let out = dangan(url, user, &["members", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn steps_on_a_server_are_checked_and_worded_as_in_a_workspace_within_each_users_units() {
    let Some((cluster, url)) = initialised() else { return };
    let (zhang, li) = office(&cluster, &url);
    dangan(&url, ADMIN, &["users", "add", "孙书记", "--role", "branch_secretary", "--branch", "第一党支部"])
        .assert()
        .success();
    dangan(&url, ADMIN, &["users", "add", "钱审计", "--role", "auditor"]).assert().success();

    // The list, in pinyin order, as a workspace prints it; a secretary's is their branch.
    let all = members(&url, ADMIN);
    let names: Vec<&str> = all.iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["李四", "张三"]);
    assert_eq!(all[1]["branch"], "第一党支部");
    assert_eq!(all[1]["stage"], "applicant");
    let theirs = members(&url, "孙书记");
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0]["name"], "张三");

    // The same person and steps in a workspace: each command's words are the server's too.
    let ws = TestWorkspace::initialised();
    let roster =
        ws.write_csv("roster.csv", "姓名,学号工号,所在党支部,递交入党申请书日期\n张三,2026001,第一党支部,2026-01-31\n");
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let local = ws.members_json(&[])[0]["id"].to_string();
    let late_talk = ["step", "add", "--kind", "与入党申请人谈话", "--date", "2026-03-03", "--member"];
    let on_server = dangan(&url, "孙书记", &[&late_talk[..], &[zhang.as_str()]].concat()).output().unwrap();
    let in_workspace = ws.dangan(&[&late_talk[..], &[local.as_str()]].concat()).output().unwrap();
    assert!(on_server.status.success(), "{}", String::from_utf8_lossy(&on_server.stderr));
    assert_eq!(String::from_utf8_lossy(&on_server.stdout), String::from_utf8_lossy(&in_workspace.stdout));
    assert!(String::from_utf8_lossy(&on_server.stdout).contains("came 3 day(s) after its due day 2026-02-28"));
    let refused = ["step", "add", "--kind", "approval_extended", "--date", "2026-03-04", "--months", "3", "--member"];
    let on_server = dangan(&url, "孙书记", &[&refused[..], &[zhang.as_str()]].concat()).output().unwrap();
    let in_workspace = ws.dangan(&[&refused[..], &[local.as_str()]].concat()).output().unwrap();
    assert_eq!(on_server.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&on_server.stderr), String::from_utf8_lossy(&in_workspace.stderr));
    assert!(String::from_utf8_lossy(&on_server.stderr).contains("Art. 25"));

    // The step is there, listed as a workspace lists it, and the stage and the log follow.
    let out = dangan(&url, ADMIN, &["step", "list", "--member", &zhang, "--json"]).output().unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = listed["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["application_received", "applicant_talk"]);
    assert_eq!(listed["late"][0]["days_late"], 3);
    let logged = cluster.superuser_sql(
        "dangan",
        "SELECT actor || ' ' || action || ' ' || (new::jsonb ->> 'kind') FROM dangan.audit_log
         WHERE entity = 'events' AND actor = '孙书记'",
    );
    assert_eq!(logged.trim(), "孙书记 insert applicant_talk");

    // Outside their branch the person does not exist for a secretary; an auditor changes nothing.
    dangan(&url, "孙书记", &["step", "add", "--member", &li, "--kind", "applicant_talk", "--date", "2026-02-10"])
        .assert()
        .code(1)
        .stderr(contains(format!("person {li} not found")));
    dangan(&url, "钱审计", &["step", "add", "--member", &li, "--kind", "applicant_talk", "--date", "2026-02-10"])
        .assert()
        .code(6);
    // Removing the talk: back as it was.
    let talk = listed["events"][1]["id"].to_string();
    dangan(&url, "孙书记", &["step", "remove", "--member", &zhang, "--id", &talk]).assert().success();
    let out = dangan(&url, ADMIN, &["step", "list", "--member", &zhang, "--json"]).output().unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed["events"].as_array().unwrap().len(), 1);
    dangan(&url, ADMIN, &["verify"]).assert().success();
}

#[test]
fn a_change_made_from_a_stale_read_is_refused_naming_who_changed_the_person_since() {
    let Some((cluster, url)) = initialised() else { return };
    let (zhang, _) = office(&cluster, &url);
    dangan(&url, ADMIN, &["users", "add", "孙书记", "--role", "branch_secretary", "--branch", "第一党支部"])
        .assert()
        .success();
    let address: ServerAddress = url.parse().unwrap();
    let id: i64 = zhang.parse().unwrap();
    let mut admin = ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    let mut secretary = ServerSession::sign_in(&address, Some("孙书记"), PASSPHRASE).unwrap();
    let talk = ProcedureEvent::new(EventKind::ApplicantTalk, "2026-02-20".parse().unwrap());

    // The administrator reads 张三; the secretary records the talk meanwhile.
    let read = admin.member(id).unwrap();
    let after = secretary.save_event(id, talk.clone(), Some(read.version)).unwrap();
    assert!(after.version > read.version);
    assert_eq!(after.changed_by.as_deref(), Some("孙书记"));
    // The administrator's change, made from what they read, is refused and names the secretary.
    let report = ProcedureEvent::new(EventKind::ActivistDetermined, "2026-03-01".parse().unwrap());
    let err = admin.save_event(id, report.clone(), Some(read.version)).unwrap_err();
    assert!(matches!(err, Error::ChangedMeanwhile { .. }), "{err:?}");
    assert!(err.message(Lang::En).contains("changed by 孙书记"), "{}", err.message(Lang::En));
    assert!(err.message(Lang::Zh).contains("已被孙书记修改"), "{}", err.message(Lang::Zh));
    assert_eq!(admin.member(id).unwrap().detail.events.len(), 2, "nothing of the refused change was saved");
    // Read again, the same change goes through.
    let fresh = admin.member(id).unwrap();
    admin.save_event(id, report, Some(fresh.version)).unwrap();
    assert_eq!(admin.member(id).unwrap().detail.events.len(), 3);
}
