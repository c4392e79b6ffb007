//! A college's workspace moved onto the server (`dangan server upload`): all of it or nothing,
//! its people and steps checked by the server, its audit log kept verbatim and verified with the
//! server's own.

use dangan_tests::{PASSPHRASE, TestWorkspace};
use predicates::str::contains;

use crate::security::{db_role, ok, refused};
use crate::setup::{ADMIN, dangan, initialised};

const ROSTER: &str = "姓名,学号工号,所在党支部,递交入党申请书日期\n张三,2026001,第一党支部,2026-01-31\n李四,2026002,第二党支部,2026-01-31\n";

pub(crate) fn upload(url: &str, user: &str, ws: &TestWorkspace) -> assert_cmd::Command {
    let dir = ws.dir();
    let mut cmd = dangan(url, user, &["--workspace", dir.to_str().unwrap(), "server", "upload", "--json"]);
    cmd.env("DANGAN_WORKSPACE_PASSPHRASE", PASSPHRASE);
    cmd
}

/// A workspace of `committee` with `roster` imported.
pub(crate) fn workspace(committee: &str, roster: &str) -> TestWorkspace {
    let ws = TestWorkspace::new();
    ws.dangan(&["init", "--committee", committee]).assert().success();
    let file = ws.write_csv("roster.csv", roster);
    ws.dangan(&["import", file.to_str().unwrap()]).assert().success();
    ws
}

#[test]
fn a_workspace_moves_onto_the_server_whole_with_its_log_kept_or_not_at_all() {
    let Some((cluster, url)) = initialised() else { return };
    let admin = db_role(&url, ADMIN);
    let psql = |sql: &str| ok(cluster.psql("dangan", &admin, PASSPHRASE, sql));
    let ws = workspace("中共计算机学院委员会", ROSTER);
    let zhang = ws.members_json(&[]).iter().find(|m| m["name"] == "张三").unwrap()["id"].to_string();
    ws.dangan(&["step", "add", "--member", &zhang, "--kind", "与入党申请人谈话", "--date", "2026-02-20"])
        .assert()
        .success();
    // Administrators only, on both sides.
    dangan(&url, ADMIN, &["users", "add", "组织员", "--role", "organiser"]).assert().success();
    upload(&url, "组织员", &ws).assert().failure().stderr(contains("your role may not manage users"));
    ws.dangan(&["users", "add", "工作区组织员", "--role", "organiser"])
        .env("DANGAN_NEW_PASSPHRASE", "the organiser's own passphrase")
        .assert()
        .success();
    upload(&url, ADMIN, &ws)
        .args(["--workspace-user", "工作区组织员"])
        .env("DANGAN_WORKSPACE_PASSPHRASE", "the organiser's own passphrase")
        .assert()
        .failure()
        .stderr(contains("your role may not read the audit log"));

    // 李四's talk, long overdue, was seen to in the workspace: acknowledged there.
    let li: i64 = ws.members_json(&[]).iter().find(|m| m["name"] == "李四").unwrap()["id"].as_i64().unwrap();
    let mut session = dangan_core::Session::unlock(dangan_core::Workspace::at(ws.dir()), None, PASSPHRASE).unwrap();
    session.dismiss_deadline(li, "application_talk", "2026-02-28".parse().unwrap(), None).unwrap();
    drop(session);
    // 张三's talk is on file, with its scan.
    let scan = ws.file("谈话.jpg");
    std::fs::write(&scan, [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00]).unwrap();
    ws.dangan(&[
        "record",
        "--member",
        &zhang,
        "--kind",
        "talk_record",
        "--date",
        "2026-02-20",
        "--step",
        "applicant_talk",
    ])
    .args(["--who", "李书记", "--attach", scan.to_str().unwrap()])
    .assert()
    .success();
    // The college words its publicity its own way.
    let shipped = ws.dangan(&["doc", "templates", "show", "candidate_publicity"]).output().unwrap().stdout;
    let own = ws.file("公示.jinja");
    std::fs::write(&own, String::from_utf8(shipped).unwrap().replace("现予公示", "特此公示")).unwrap();
    ws.dangan(&["doc", "templates", "load", own.to_str().unwrap()]).assert().success();
    // And she left the register: transferred out.
    ws.dangan(&["status", "set", "--member", &li.to_string(), "--status", "转出", "--date", "2026-03-01"])
        .assert()
        .success();

    let out = ws.dangan(&["audit", "--json", "--limit", "1"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let workspace_entries =
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()[0]["seq"].as_u64().unwrap();
    assert!(workspace_entries >= 3, "the workspace logged its import and step");

    // The department's administrator uploads: the committee is made under the university's, the
    // units under it, the people with their steps; the workspace's log is kept, entry for entry.
    let out = upload(&url, ADMIN, &ws).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["committee"], "中共计算机学院委员会");
    assert_eq!(report["committee_created"], true);
    assert_eq!(report["units_created"], 2, "{report}");
    assert_eq!(report["people"], 2);
    assert_eq!(report["steps"], 3);
    assert_eq!(report["audit_entries"], workspace_entries);
    // The item set aside is set aside on the server too, for its person there.
    assert_eq!(report["set_aside"], 1);
    assert_eq!(
        psql(
            "SELECT p.name || ' ' || d.rule || ' ' || d.due || ' ' || coalesce(d.until::text, 'acknowledged')
             FROM dangan.dismissals d JOIN dangan.people p ON p.id = d.person_id"
        ),
        "李四 application_talk 2026-02-28 acknowledged"
    );
    // 张三's file goes with him: the record documents his talk on the server, the scan byte for
    // byte, the record keeping its UUID.
    assert_eq!((report["records"].as_u64(), report["attachments"].as_u64()), (Some(1), Some(1)));
    assert_eq!(
        psql(
            "SELECT r.kind || ' ' || e.kind || ' ' || e.date || ' ' || a.name || ' ' || octet_length(a.content)
             FROM dangan.records r JOIN dangan.events e ON e.id = r.event_id JOIN dangan.attachments a ON a.record_id = r.id
             JOIN dangan.people p ON p.id = r.person_id WHERE p.name = '张三'"
        ),
        "talk_record applicant_talk 2026-02-20 谈话.jpg 11"
    );
    let record_uid = ws.dangan(&["audit", "--json"]).output().unwrap();
    let server_record_uid = psql("SELECT uid FROM dangan.records");
    assert!(String::from_utf8_lossy(&record_uid.stdout).contains(&server_record_uid), "the workspace's record's UUID");
    // Its wording is its committee's on the server.
    assert_eq!(report["templates"], 1);
    assert_eq!(
        psql(
            "SELECT u.name || ' ' || t.id || ' ' || (t.source LIKE '%特此公示%') FROM dangan.document_templates t
             JOIN dangan.org_units u ON u.id = t.unit_id"
        ),
        "中共计算机学院委员会 candidate_publicity true"
    );
    // Her status goes with her: out of the register on the server too, from the same day.
    assert_eq!(report["status_changes"], 1);
    assert_eq!(
        psql(
            "SELECT p.status || ' ' || s.date FROM dangan.people p JOIN dangan.status_changes s ON s.person_id = p.id
             WHERE p.name = '李四'"
        ),
        "transferred_out 2026-03-01"
    );
    let members = crate::members::members(&url, ADMIN);
    let on_server = members.iter().find(|m| m["name"] == "张三").unwrap();
    assert_eq!(on_server["branch"], "第一党支部");
    dangan(&url, ADMIN, &["step", "list", "--member", &on_server["id"].to_string()])
        .assert()
        .success()
        .stdout(contains("2026-01-31"))
        .stdout(contains("2026-02-20"));
    assert_eq!(psql("SELECT count(*) FROM dangan.uploaded_audit"), workspace_entries.to_string());
    assert_eq!(
        psql(
            "SELECT string_agg(p.name, ',' ORDER BY u.workspace_id) FROM dangan.uploaded_people u JOIN dangan.people p ON p.id = u.person_id"
        ),
        "张三,李四"
    );
    // Each person and unit keeps their UUID on the server (the workspace's log shows a unit's).
    let session = dangan_core::Session::unlock(dangan_core::Workspace::at(ws.dir()), None, PASSPHRASE).unwrap();
    let zhang_uid = session.member(zhang.parse().unwrap()).unwrap().uid.unwrap();
    drop(session);
    assert_eq!(psql("SELECT uid FROM dangan.people WHERE name = '张三'"), zhang_uid);
    let branch_uid = psql("SELECT uid FROM dangan.org_units WHERE name = '第一党支部'");
    let log = ws.dangan(&["audit", "--json"]).output().unwrap();
    assert!(String::from_utf8_lossy(&log.stdout).contains(&branch_uid), "{branch_uid} is the workspace's unit's");
    // And is not added twice: the server's import refuses a person it holds by their UUID.
    let branch = psql("SELECT id FROM dangan.org_units WHERE name = '第一党支部'");
    refused(
        cluster.psql(
            "dangan",
            &admin,
            PASSPHRASE,
            &format!(
                "INSERT INTO dangan.import_people (row_no, branch_id, name, stage, ended, uid)
                     VALUES (1, {branch}, '张三', 'applicant', false, '{zhang_uid}');
                 SELECT * FROM dangan.import_staged();"
            ),
        ),
        "row 1: this person is on the server already",
    );

    // The upload is in the server's chain, and verify follows the kept log too.
    assert_eq!(psql("SELECT count(*) FROM dangan.audit_log WHERE entity = 'uploads'"), "1");
    dangan(&url, ADMIN, &["verify"]).assert().success();

    // Once only: the committee holds people now, and nothing changes.
    upload(&url, ADMIN, &ws).assert().failure().stderr(contains("holds 2 people already"));
    assert_eq!(psql("SELECT count(*) FROM dangan.people"), "2");
    // Nobody may change the kept log; a change behind the server's back is named by verify.
    refused(
        cluster.psql("dangan", &admin, PASSPHRASE, "UPDATE dangan.uploaded_audit SET actor = 'x'"),
        "permission denied",
    );
    cluster.superuser_sql("dangan", "UPDATE dangan.uploaded_audit SET actor = '别人' WHERE seq = 2");
    dangan(&url, ADMIN, &["verify"])
        .assert()
        .failure()
        .stderr(contains("the workspace log kept by upload 1: audit entry 2 has been altered"));

    // The server's own function holds in raw SQL too. Another college's administrator cannot end
    // an upload into a committee not theirs; in their own, not with people already on the server,
    // nor with a trail whose hashes do not hold.
    dangan(
        &url,
        ADMIN,
        &["users", "add", "数学学院管理员", "--role", "administrator", "--committee", "中共数学学院委员会"],
    )
    .assert()
    .failure();
    psql(
        "INSERT INTO dangan.org_units (parent_id, kind, name) SELECT id, 'committee', '中共数学学院委员会' FROM dangan.org_units WHERE parent_id IS NULL",
    );
    dangan(
        &url,
        ADMIN,
        &["users", "add", "数学学院管理员", "--role", "administrator", "--committee", "中共数学学院委员会"],
    )
    .assert()
    .success();
    let maths = db_role(&url, "数学学院管理员");
    let unit = |name: &str| psql(&format!("SELECT id FROM dangan.org_units WHERE name = '{name}'"));
    let (cs_unit, maths_unit) = (unit("中共计算机学院委员会"), unit("中共数学学院委员会"));
    let as_maths = |sql: &str| cluster.psql("dangan", &maths, PASSPHRASE, sql);
    refused(
        as_maths(&format!("SELECT dangan.upload_staged({cs_unit}, 'x', '{{}}', '{{}}')")),
        "only an administrator of the committee uploads a workspace into it",
    );
    let someone = psql("SELECT min(id) FROM dangan.people");
    refused(
        as_maths(&format!("SELECT dangan.upload_staged({maths_unit}, 'x', ARRAY[1], ARRAY[{someone}])")),
        "the uploaded people must be those this transaction added",
    );
    refused(
        as_maths(&format!(
            "INSERT INTO dangan.upload_audit_staged (seq, at, actor, entity, action, prev_hash, hash)
                 VALUES (1, '2026-01-01T00:00:00Z', '某人', 'people', 'insert', repeat('0', 64), repeat('1', 64));
             SELECT dangan.upload_staged({maths_unit}, 'x', '{{}}', '{{}}');"
        )),
        "the workspace's audit chain breaks at entry 1",
    );

    // A committee takes one upload: an empty workspace's twice is refused the second time by
    // the server's key. An upload whose kept log is deleted behind the server's back is named.
    let empty = TestWorkspace::new();
    empty.dangan(&["init", "--committee", "中共化学学院委员会"]).assert().success();
    upload(&url, ADMIN, &empty).assert().success();
    upload(&url, ADMIN, &empty)
        .assert()
        .failure()
        .stderr(contains("a workspace was uploaded into 中共化学学院委员会 already"));
    cluster.superuser_sql(
        "dangan",
        "DELETE FROM dangan.uploaded_audit WHERE upload_id = 2; DELETE FROM dangan.uploaded_people WHERE upload_id = 2;
         DELETE FROM dangan.uploads WHERE id = 2",
    );
    dangan(&url, ADMIN, &["verify"])
        .assert()
        .failure()
        .stderr(contains("the server's audit log records upload 2, but the workspace log it kept was deleted"));

    // A workspace with its own rule file, unlike the server's (it has none), is refused whole,
    // naming it: no committee, unit or person arrives.
    let other = workspace(
        "中共物理学院委员会",
        "姓名,学号工号,所在党支部,申请入党日期,确定积极分子日期,确定发展对象日期,接收预备党员日期,审批日期\n\
         王五,2026101,物理支部,2020-09-01,2021-03-01,2022-03-05,2023-06-01,2023-06-20\n",
    );
    let rules = other.file("office-rules.toml");
    std::fs::write(&rules, "[dues]\nround_to_fen = 10\n").unwrap();
    other.dangan(&["rules", "load", rules.to_str().unwrap()]).assert().success();
    upload(&url, ADMIN, &other)
        .assert()
        .failure()
        .stderr(contains("own rule file"))
        .stderr(contains("nothing was uploaded"));
    assert_eq!(psql("SELECT count(*) FROM dangan.org_units WHERE name IN ('中共物理学院委员会', '物理支部')"), "0");
    assert_eq!(psql("SELECT count(*) FROM dangan.people"), "2");

    // The holiday calendar goes with the workspace: a year the server lacks is entered by the
    // department's upload; a year the server has must agree day for day.
    let calendar = |ws: &TestWorkspace, days: &str| {
        let file = ws.write_csv("holidays.csv", days);
        ws.dangan(&["holidays", "import", file.to_str().unwrap()]).assert().success();
    };
    let biology = workspace("中共生物学院委员会", "姓名,学号工号,所在党支部\n赵七,2026201,生物支部\n");
    calendar(&biology, "2026-10-01,假日,国庆节\n");
    let out = upload(&url, ADMIN, &biology).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["calendar_years_entered"], serde_json::json!([2026]));
    assert_eq!(psql("SELECT string_agg(date::text || ' ' || name, ',') FROM dangan.holidays"), "2026-10-01 国庆节");
    let geology = workspace("中共地学院委员会", "姓名,学号工号,所在党支部\n钱八,2026301,地学支部\n");
    calendar(&geology, "2026-10-02,假日,国庆节\n");
    upload(&url, ADMIN, &geology)
        .assert()
        .failure()
        .stderr(contains("the workspace's holiday calendar of 2026 differs from the server's"));
    assert_eq!(psql("SELECT count(*) FROM dangan.people WHERE name = '钱八'"), "0");
}

const LIFE_ROSTER: &str = "\
姓名,学号工号,所在党支部,申请入党日期,确定积极分子日期,确定发展对象日期,接收预备党员日期,审批日期
张三,2021001,第一党支部,2020-09-01,2021-03-01,2022-03-05,2023-06-01,2023-06-20
李四,2021002,第一党支部,2020-09-01,2021-03-01,2022-03-05,2023-06-01,2023-06-20
赵六,2021004,第二党支部,2020-09-01,2021-03-01,2022-03-05,2023-06-01,2023-06-20
";

/// What branch life reads as, before an upload in the workspace and after it on the server.
const READ_BACK: [&[&str]; 6] = [
    &["meetings", "list"],
    &["committee", "list"],
    &["classes", "list"],
    &["training", "hours", "--year", "2026"],
    &["meetings", "plan", "--unit", "第一党支部", "--year", "2026", "--as-of", "2026-12-01"],
    &["deadlines", "--as-of", "2026-12-01", "--owed-by", "unit", "--all"],
];

#[test]
fn a_workspaces_branch_life_moves_onto_the_server_with_it_and_reads_there_as_it_did() {
    let Some((_cluster, url)) = initialised() else { return };
    let ws = workspace("中共示范大学委员会", LIFE_ROSTER);
    let run = |args: &[&str]| {
        let out = ws.dangan(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    run(&["groups", "add", "--unit", "第一党支部", "--name", "第一党小组", "--members", "张三,李四"]);
    run(&["committee", "add", "--unit", "第一党支部", "--post", "书记", "--name", "张三", "--since", "2025-09-01"]);
    run(&["meetings", "track", "--unit", "第一党支部", "--from", "2026-01-01"]);
    run(&[
        "meetings",
        "add",
        "--unit",
        "第一党支部",
        "--kind",
        "党小组会",
        "--group",
        "第一党小组",
        "--date",
        "2026-05-10",
        "--present",
        "张三,李四",
        "--hours",
        "2",
    ]);
    let scan = ws.file("签到表.png");
    std::fs::write(&scan, [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]).unwrap();
    run(&["meetings", "attach", "--id", "1", scan.to_str().unwrap()]);
    run(&["training", "add", "--member", "李四", "--date", "2026-06-01", "--hours", "3", "--title", "网络学院：党史"]);
    run(&[
        "classes",
        "add",
        "--unit",
        "第一党支部",
        "--kind",
        "member_class",
        "--name",
        "党员轮训",
        "--from",
        "2026-07-01",
        "--to",
        "2026-07-01",
        "--session",
        "2026-07-01:4",
    ]);
    run(&["classes", "enrol", "--id", "1", "--people", "张三,李四"]);
    run(&["classes", "attendance", "--id", "1", "--date", "2026-07-01", "--present", "张三"]);
    // 张三 has since moved to 第二党支部: he stays in the meeting he attended and the post he held,
    // and leaves his party group, as on the server.
    {
        let mut session = dangan_core::Session::unlock(dangan_core::Workspace::at(ws.dir()), None, PASSPHRASE).unwrap();
        let second = session.org_tree().unwrap().find("第二党支部").unwrap().unwrap();
        let zhang = session.list_members(&dangan_core::store::MemberQuery::all()).unwrap().items;
        let zhang = zhang.iter().find(|m| m.name == "张三").unwrap().id;
        let mut person = session.member(zhang).unwrap().person;
        person.branch_id = second;
        session.save_person(person).unwrap();
        // The first branch's theme day, acknowledged: it stays so on the server.
        let first = session.org_tree().unwrap().find("第一党支部").unwrap().unwrap();
        let query = dangan_core::deadlines::DeadlineQuery { branch_id: Some(first), ..Default::default() };
        let owed = session.deadlines(&query).unwrap();
        let theme = owed.iter().find(|i| &*i.rule == "theme_day").expect("a theme day is owed");
        session.dismiss_unit_deadline(first, None, "theme_day", theme.due, None).unwrap();
    }
    let before: Vec<String> =
        READ_BACK.iter().map(|args| String::from_utf8(ws.dangan(args).output().unwrap().stdout).unwrap()).collect();

    let out = upload(&url, ADMIN, &ws).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["branch_life"],
        serde_json::json!({"party_groups": 1, "committee_posts": 1, "meetings": 1, "meeting_attachments": 1,
                           "study_entries": 1, "training_classes": 1, "set_aside": 1})
    );
    let after: Vec<String> = READ_BACK
        .iter()
        .map(|args| {
            let out = dangan(&url, ADMIN, args).output().unwrap();
            assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8(out.stdout).unwrap()
        })
        .collect();
    assert_eq!(after, before);
    let groups = String::from_utf8(dangan(&url, ADMIN, &["groups", "list"]).output().unwrap().stdout).unwrap();
    assert!(groups.contains("第一党小组（1）：李四"), "{groups}");
    let copy = ws.file("copy.png");
    let listed = dangan(&url, ADMIN, &["meetings", "list", "--json"]).output().unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let file_id = listed[0]["attachments"][0]["id"].to_string();
    dangan(&url, ADMIN, &["meetings", "attachment", "--id", &file_id, "--out", copy.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(&scan).unwrap());
    dangan(&url, ADMIN, &["verify"]).assert().success();
}
