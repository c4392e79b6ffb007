//! The register of branch life on a server (schema version 6): party groups and meetings with
//! their attendance, checked and worded as a workspace's, printed as a workspace prints them,
//! within each user's units even in raw SQL, logged by the server, and announced to other
//! clients as branch life (their member lists stand).

use std::time::Duration;

use dangan_core::server::{Concern, ServerSession};
use dangan_tests::{PASSPHRASE, pdftotext};
use predicates::str::contains;

use crate::security::db_role;
use crate::setup::{ADMIN, dangan, initialised, twin_workspace};

const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00];
const ROSTER: &str = "\
姓名,学号工号,所在支部,申请入党日期,确定积极分子日期,确定发展对象日期,接收预备党员日期,审批日期
张三,2021001,第一党支部,2020-09-01,2021-03-01,2022-03-05,2023-06-01,2023-06-20
李四,2021002,第一党支部,2020-09-01,2021-03-01,2022-03-05,2023-06-01,2023-06-20
王五,2021003,第一党支部,2026-03-01,,,,
赵六,2021004,第二党支部,2020-09-01,2021-03-01,2022-03-05,2023-06-01,2023-06-20
";

fn stdout(out: std::process::Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn listed(url: &str, user: &str) -> Vec<serde_json::Value> {
    serde_json::from_str(&stdout(dangan(url, user, &["meetings", "list", "--json"]).output().unwrap())).unwrap()
}

/// A meeting's JSON without the numbers that differ between two databases (a workspace keeps no
/// versions: one user at a time).
fn without_numbers(mut meeting: serde_json::Value) -> serde_json::Value {
    for key in ["id", "unit_id", "group_id", "version"] {
        meeting["meeting"][key] = serde_json::Value::Null;
    }
    for attendee in meeting["attendees"].as_array_mut().unwrap() {
        attendee["person_id"] = serde_json::Value::Null;
    }
    for file in meeting["attachments"].as_array_mut().unwrap() {
        file["id"] = serde_json::Value::Null;
    }
    meeting
}

/// A command run by the administrator on the server and in the twin workspace: the same exit
/// and the same words on both. JSON names each database's own numbers, so only its exit and
/// errors are compared; a server names the committee running a class or meeting (it holds
/// many), a workspace leaves its one committee unnamed.
pub(crate) fn on_both(url: &str, ws: &dangan_tests::TestWorkspace, args: &[&str]) -> std::process::Output {
    let on_server = dangan(url, ADMIN, args).output().unwrap();
    let in_workspace = ws.dangan(args).output().unwrap();
    let said = |out: &std::process::Output| String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(on_server.status.code(), in_workspace.status.code(), "{args:?}: {}", said(&on_server));
    assert_eq!(said(&on_server), said(&in_workspace), "{args:?}");
    if !args.contains(&"--json") {
        let server_said = String::from_utf8_lossy(&on_server.stdout).replace("中共示范大学委员会", "");
        assert_eq!(server_said, String::from_utf8_lossy(&in_workspace.stdout), "{args:?}");
    }
    on_server
}

#[test]
fn the_register_of_branch_life_on_a_server_is_kept_as_a_workspace_keeps_it_within_each_users_units() {
    let Some((cluster, url)) = initialised() else { return };
    let ws = twin_workspace(&url, ROSTER);
    dangan(&url, ADMIN, &["users", "add", "孙书记", "--role", "branch_secretary", "--branch", "第一党支部"])
        .assert()
        .success();
    dangan(&url, ADMIN, &["users", "add", "周书记", "--role", "branch_secretary", "--branch", "第二党支部"])
        .assert()
        .success();
    dangan(&url, ADMIN, &["users", "add", "钱审计", "--role", "auditor"]).assert().success();
    let address: dangan_core::server::ServerAddress = url.parse().unwrap();
    let mut feed = ServerSession::watch(&address, ADMIN, PASSPHRASE).unwrap();

    // A party group and two meetings by the branch's secretary: the same words as a workspace's.
    let group = ["groups", "add", "--unit", "第一党支部", "--name", "第一党小组", "--members", "张三,李四"];
    let on_server = stdout(dangan(&url, "孙书记", &group).output().unwrap());
    assert_eq!(on_server, stdout(ws.dangan(&group).output().unwrap()));
    assert!(on_server.contains("第一党支部 / 第一党小组（2）：李四, 张三"), "{on_server}");
    let committee = [
        "meetings",
        "add",
        "--unit",
        "第一党支部",
        "--kind",
        "committee_meeting",
        "--date",
        "2026-11-10",
        "--topic",
        "学习党章",
        "--present",
        "张三,李四",
        "--absent",
        "王五",
        "--hours",
        "1.5",
    ];
    assert_eq!(
        stdout(dangan(&url, "孙书记", &committee).output().unwrap()),
        stdout(ws.dangan(&committee).output().unwrap())
    );
    let in_group = [
        "meetings",
        "add",
        "--unit",
        "第一党支部",
        "--kind",
        "党小组会",
        "--group",
        "第一党小组",
        "--date",
        "2026-11-12",
    ];
    let in_group = [&in_group[..], &["--present", "张三", "--leave", "李四"]].concat();
    assert_eq!(
        stdout(dangan(&url, "孙书记", &in_group).output().unwrap()),
        stdout(ws.dangan(&in_group).output().unwrap())
    );
    let on_server = listed(&url, ADMIN);
    let in_workspace: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(ws.dangan(&["meetings", "list", "--json"]).output().unwrap())).unwrap();
    assert_eq!(on_server.len(), 2);
    assert_eq!(
        on_server.iter().cloned().map(without_numbers).collect::<Vec<_>>(),
        in_workspace.into_iter().map(without_numbers).collect::<Vec<_>>()
    );
    assert_eq!(
        stdout(dangan(&url, ADMIN, &["meetings", "list", "--kind", "theme_day"]).output().unwrap()),
        stdout(ws.dangan(&["meetings", "list", "--kind", "theme_day"]).output().unwrap())
    );

    // The refusals read the same on both, and change nothing.
    for bad in [
        &[
            "meetings",
            "add",
            "--unit",
            "第一党支部",
            "--kind",
            "party_lecture",
            "--date",
            "2026-11-10",
            "--present",
            "张三,赵六",
        ][..],
        &[
            "meetings",
            "add",
            "--unit",
            "第一党支部",
            "--kind",
            "party_lecture",
            "--date",
            "2026-11-10",
            "--hours",
            "25",
        ],
        &["groups", "add", "--unit", "第一党支部", "--name", "第一党小组"],
        &["groups", "add", "--unit", "第一党支部", "--name", "第二党小组", "--members", "赵六"],
    ] {
        let on_server = dangan(&url, ADMIN, bad).output().unwrap();
        let in_workspace = ws.dangan(bad).output().unwrap();
        assert_eq!(on_server.status.code(), Some(1), "{bad:?}");
        assert_eq!(String::from_utf8_lossy(&on_server.stderr), String::from_utf8_lossy(&in_workspace.stderr));
    }
    assert_eq!(listed(&url, ADMIN).len(), 2);

    // A scan of the sign-in sheet, read back byte for byte; the minutes printed.
    let id = on_server[0]["meeting"]["id"].to_string();
    let scan = ws.file("签到表.jpg");
    std::fs::write(&scan, JPEG).unwrap();
    let attached: serde_json::Value = serde_json::from_str(&stdout(
        dangan(&url, "孙书记", &["meetings", "attach", "--id", &id, scan.to_str().unwrap(), "--json"])
            .output()
            .unwrap(),
    ))
    .unwrap();
    let file_id = attached["attachments"][0]["id"].to_string();
    let copy = ws.file("copy.jpg");
    dangan(&url, ADMIN, &["meetings", "attachment", "--id", &file_id, "--out", copy.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(std::fs::read(&copy).unwrap(), JPEG);
    let pdf = ws.file("minutes.pdf");
    dangan(&url, ADMIN, &["meetings", "print", "--id", &id, "--out", pdf.to_str().unwrap()]).assert().success();
    let text = pdftotext(&pdf, false);
    assert!(text.contains("会议记录") && text.contains("学习党章") && text.contains("王五"), "{text}");
    let sheet = ws.file("sign-in.pdf");
    dangan(&url, ADMIN, &["meetings", "print", "--id", &id, "--sign-in", "--out", sheet.to_str().unwrap()])
        .assert()
        .success();
    let text = pdftotext(&sheet, false);
    // The members on the sheet, not the applicant.
    assert!(text.contains("签到表") && text.contains("张三") && !text.contains("王五"), "{text}");

    // The year's grid, tracked from the same day: the same marks as a workspace's.
    let track = ["meetings", "track", "--unit", "第一党支部", "--from", "2026-01-01"];
    dangan(&url, ADMIN, &track).assert().success();
    ws.dangan(&track).assert().success();
    dangan(&url, "孙书记", &["meetings", "track", "--unit", "第一党支部", "--from", "2026-01-01"])
        .assert()
        .code(6)
        .stderr(contains("may not change the organisation"));
    let plan = ["meetings", "plan", "--unit", "第一党支部", "--year", "2026", "--as-of", "2026-12-01"];
    assert_eq!(stdout(dangan(&url, ADMIN, &plan).output().unwrap()), stdout(ws.dangan(&plan).output().unwrap()));

    // Each secretary sees their own branch's register only, in raw SQL too; the auditor reads.
    assert!(listed(&url, "周书记").is_empty());
    assert_eq!(listed(&url, "钱审计").len(), 2);
    let count = |user: &str, table: &str| {
        let out =
            cluster.psql("dangan", &db_role(&url, user), PASSPHRASE, &format!("SELECT count(*) FROM dangan.{table}"));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    for table in ["meetings", "attendance", "meeting_attachments", "party_groups", "group_members"] {
        assert_eq!(count("周书记", table), "0", "{table}");
        assert_ne!(count("孙书记", table), "0", "{table}");
    }
    let person = |name: &str| {
        cluster
            .superuser_sql("dangan", &format!("SELECT id FROM dangan.people WHERE name = '{name}'"))
            .trim()
            .to_owned()
    };
    let tie = |person: String| {
        format!("INSERT INTO dangan.attendance (meeting_id, person_id, attendance) VALUES ({id}, {person}, 'absent')")
    };
    let out = cluster.psql("dangan", &db_role(&url, "周书记"), PASSPHRASE, &tie(person("王五")));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("row-level security"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Not even the administrator ties another branch's member to the meeting.
    let out = cluster.psql("dangan", &db_role(&url, ADMIN), PASSPHRASE, &tie(person("赵六")));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not of the meeting's unit"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The auditor reads and changes nothing.
    cluster.psql(
        "dangan",
        &db_role(&url, "钱审计"),
        PASSPHRASE,
        &format!("DELETE FROM dangan.meetings WHERE id = {id}"),
    );
    assert_eq!(cluster.superuser_sql("dangan", "SELECT count(*) FROM dangan.meetings").trim(), "2");

    // A member who moves to another branch leaves its party group; the meetings they attended
    // keep them.
    let zhang = person("张三");
    let out = cluster.psql(
        "dangan",
        &db_role(&url, ADMIN),
        PASSPHRASE,
        &format!("UPDATE dangan.people SET branch_id = (SELECT id FROM dangan.org_units WHERE name = '第二党支部') WHERE id = {zhang}"),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let groups = stdout(dangan(&url, ADMIN, &["groups", "list"]).output().unwrap());
    assert!(groups.contains("第一党小组（1）：李四"), "{groups}");
    assert!(listed(&url, ADMIN)[0]["attendees"].as_array().unwrap().iter().any(|a| a["name"] == "张三"));
    // His new branch's secretary cannot delete him and with him 第一党支部's record of him.
    let out = cluster.psql(
        "dangan",
        &db_role(&url, "周书记"),
        PASSPHRASE,
        &format!("DELETE FROM dangan.people WHERE id = {zhang}"),
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("records of units the user may not change"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A write into another branch's register is refused as the policies refuse it, before any
    // check that would tell whether the person named is of that branch.
    let first = cluster.superuser_sql("dangan", "SELECT id FROM dangan.org_units WHERE name = '第一党支部'");
    let first = first.trim();
    for who in [person("李四"), "999999".to_owned()] {
        let out = cluster.psql(
            "dangan",
            &db_role(&url, "周书记"),
            PASSPHRASE,
            &format!(
                "INSERT INTO dangan.committee_posts (unit_id, person_id, post, since) VALUES ({first}, {who}, 'member', '2026-01-01')"
            ),
        );
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("row-level security"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // An administrator cannot forge an upload to tie another college's member to their meeting:
    // only the people an upload brought stand where today's checks would refuse them.
    let forged = "INSERT INTO dangan.org_units (parent_id, kind, name)
                      SELECT id, 'committee', '伪造党委' FROM dangan.org_units WHERE parent_id IS NULL;
                  INSERT INTO dangan.org_units (parent_id, kind, name)
                      SELECT id, 'branch', '伪造支部' FROM dangan.org_units WHERE name = '伪造党委';
                  SELECT dangan.upload_staged((SELECT id FROM dangan.org_units WHERE name = '伪造党委'), 'x', '{}', '{}');
                  INSERT INTO dangan.meetings (unit_id, kind, date, held)
                      SELECT id, 'theme_day', '2026-11-01', true FROM dangan.org_units WHERE name = '伪造支部';
                  INSERT INTO dangan.attendance (meeting_id, person_id, attendance)
                      SELECT m.id, p.id, 'present' FROM dangan.meetings m, dangan.people p
                      WHERE m.unit_id = (SELECT id FROM dangan.org_units WHERE name = '伪造支部') AND p.name = '赵六'";
    let out = cluster.psql("dangan", &db_role(&url, ADMIN), PASSPHRASE, forged);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not of the meeting's unit"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The other clients hear of it as branch life.
    let mut heard = Vec::new();
    for _ in 0..5 {
        heard.extend(feed.wait(Duration::from_secs(1)).unwrap());
    }
    assert!(heard.iter().any(|c| c.table == "meetings" && c.concern() == Concern::BranchLife), "{heard:?}");
    assert!(heard.iter().all(|c| c.concern() != Concern::All), "{heard:?}");

    // Each change is logged as its maker's, and the chain verifies.
    let logged = cluster.superuser_sql(
        "dangan",
        "SELECT string_agg(DISTINCT actor || ' ' || entity || ' ' || action, '; ') FROM dangan.audit_log
         WHERE entity IN ('meetings', 'attendance', 'party_groups', 'group_members', 'meeting_attachments')",
    );
    for entry in [
        "孙书记 meetings insert",
        "孙书记 attendance insert",
        "孙书记 party_groups insert",
        "孙书记 group_members insert",
        "孙书记 meeting_attachments insert",
        &format!("{ADMIN} group_members delete"),
    ] {
        assert!(logged.contains(entry), "{entry}: {logged}");
    }
    let scan_logged = cluster.superuser_sql(
        "dangan",
        "SELECT count(*) FROM dangan.audit_log WHERE entity = 'meeting_attachments' AND new LIKE '%content%'",
    );
    assert_eq!(scan_logged.trim(), "0", "a scan's bytes are never in the log");
    dangan(&url, ADMIN, &["verify"]).assert().success();

    // Sheets: a register kept in Excel and a meeting's attendance, read as a workspace reads
    // them: every bad row named and nothing recorded, then all of a good one.
    let bad = ws.write_csv(
        "register-bad.csv",
        "单位,会议类型,日期,主题,学时,出席,请假,缺席\n\
         第一党支部,支委会,2026-09-10,学习党章,1.5,李四,,王五\n\
         第一党支部,茶话会,2026-09-11,,,,,\n\
         第一党支部,主题党日,2026-09-12,,,赵六,,\n\
         没有的支部,党课,2026-09-20,,,,,\n",
    );
    let refused = on_both(&url, &ws, &["meetings", "import", bad.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("row 4"), "{}", String::from_utf8_lossy(&refused.stderr));
    let good = ws.write_csv(
        "register.csv",
        "单位,会议类型,日期,主题,学时,出席,请假,缺席\n\
         第一党支部,支委会,2026-09-10,学习党章,1.5,李四,,王五\n\
         第二党支部,主题党日,2026-09-12,重温入党誓词,,赵六,,\n",
    );
    on_both(&url, &ws, &["meetings", "import", good.to_str().unwrap()]);
    let sheet = ws.write_csv("attendance.csv", "学号工号,出席情况,事由\n2021002,请假,出差\n王五,迟到,\n");
    let first = listed(&url, ADMIN).into_iter().find(|m| m["meeting"]["date"] == "2026-09-10").unwrap();
    let in_workspace: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(ws.dangan(&["meetings", "list", "--json"]).output().unwrap())).unwrap();
    let local = in_workspace.iter().find(|m| m["meeting"]["date"] == "2026-09-10").unwrap();
    let (id, local) = (first["meeting"]["id"].to_string(), local["meeting"]["id"].to_string());
    let on_server = stdout(
        dangan(&url, ADMIN, &["meetings", "attendance", "--id", &id, "--import", sheet.to_str().unwrap()])
            .output()
            .unwrap(),
    );
    let in_workspace = stdout(
        ws.dangan(&["meetings", "attendance", "--id", &local, "--import", sheet.to_str().unwrap()]).output().unwrap(),
    );
    assert_eq!(on_server.replace(&format!("(id {id})"), ""), in_workspace.replace(&format!("(id {local})"), ""));
    let after = listed(&url, ADMIN).into_iter().find(|m| m["meeting"]["date"] == "2026-09-10").unwrap();
    let how: Vec<(&str, &str)> = after["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap(), a["attendance"].as_str().unwrap()))
        .collect();
    assert_eq!(how, [("李四", "leave"), ("王五", "late")]);
}

#[test]
fn committees_own_study_and_study_hours_on_a_server_read_as_a_workspaces_and_print_its_work_register() {
    let Some((cluster, url)) = initialised() else { return };
    let ws = twin_workspace(&url, ROSTER);
    dangan(&url, ADMIN, &["users", "add", "周书记", "--role", "branch_secretary", "--branch", "第二党支部"])
        .assert()
        .success();
    let both = |args: &[&str]| on_both(&url, &ws, args);

    // The committee: a secretary, then a second one for the same time refused by name.
    both(&["committee", "add", "--unit", "第一党支部", "--post", "书记", "--name", "张三", "--since", "2025-09-01"]);
    let twice = both(&[
        "committee",
        "add",
        "--unit",
        "第一党支部",
        "--post",
        "secretary",
        "--name",
        "李四",
        "--since",
        "2026-01-01",
    ]);
    assert!(
        String::from_utf8_lossy(&twice.stderr).contains("张三 holds the post"),
        "{}",
        String::from_utf8_lossy(&twice.stderr)
    );
    both(&["committee", "add", "--unit", "第一党支部", "--post", "委员", "--name", "赵六", "--since", "2026-01-01"]);
    both(&["committee", "list"]);

    // Study: a meeting that counts, own study by hand and from a sheet (a bad row refuses it all).
    both(&[
        "meetings",
        "add",
        "--unit",
        "第一党支部",
        "--kind",
        "党课",
        "--date",
        "2026-05-10",
        "--present",
        "张三,李四",
        "--hours",
        "2",
    ]);
    both(&["training", "add", "--member", "张三", "--date", "2026-06-01", "--hours", "3", "--title", "网络学院：党史"]);
    both(&["training", "add", "--member", "张三", "--date", "2026-06-01", "--hours", "3", "--title", "网络学院：党史"]);
    let bad =
        ws.write_csv("bad.csv", "姓名,日期,学时,学习内容\n李四,2026-06-02,2,学习强国\n无名氏,2026-06-02,2,学习强国\n");
    both(&["training", "import", bad.to_str().unwrap()]);
    let good = ws.write_csv(
        "good.csv",
        "姓名,日期,学时,学习内容\n李四,2026-06-02,2,学习强国\n2021004,2026-06-03,1.5,学习强国\n",
    );
    both(&["training", "import", good.to_str().unwrap()]);
    // Against what is kept (a server reads it once for the whole sheet): the same entry again,
    // and a day's study beyond a day with what the day holds, each refused naming its row.
    let clashing = ws.write_csv(
        "clashing.csv",
        "姓名,日期,学时,学习内容\n张三,2026-06-01,3,网络学院：党史\n张三,2026-06-01,21.5,读书\n",
    );
    let refused = both(&["training", "import", clashing.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success() && said.contains("row 2") && said.contains("row 3"), "{said}");
    let hours = both(&["training", "hours", "--year", "2026", "--json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&hours.stdout).unwrap();
    let zhang = rows.iter().find(|r| r["name"] == "张三").unwrap();
    assert_eq!((zhang["meeting_hours"].as_f64(), zhang["own_hours"].as_f64()), (Some(2.0), Some(3.0)), "{zhang}");
    assert_eq!(zhang["committee"], true);
    both(&["training", "hours", "--year", "2026", "--below"]);
    let listed = both(&["training", "list", "--member", "张三", "--year", "2026", "--json"]);
    let entries: Vec<serde_json::Value> = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(entries.len(), 1);

    // A secretary sees their own branch's committee and study only, in raw SQL too.
    let out = dangan(&url, "周书记", &["training", "hours", "--year", "2026", "--json"]).output().unwrap();
    let theirs: Vec<serde_json::Value> = serde_json::from_slice(&stdout(out).into_bytes()).unwrap();
    assert_eq!(theirs.iter().map(|r| r["name"].as_str().unwrap()).collect::<Vec<_>>(), ["赵六"]);
    let seen = |table: &str| {
        let out = cluster.psql(
            "dangan",
            &db_role(&url, "周书记"),
            PASSPHRASE,
            &format!("SELECT count(*) FROM dangan.{table}"),
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    assert_eq!((seen("committee_posts"), seen("study_entries")), ("0".to_owned(), "1".to_owned()));
    dangan(&url, "周书记", &["training", "delete", "--id", &entries[0]["id"].to_string()])
        .assert()
        .failure()
        .stderr(contains("the study entry"));

    // The branch's year printed as its work register.
    let pdf = ws.file("register.pdf");
    dangan(
        &url,
        ADMIN,
        &["meetings", "register", "--unit", "第一党支部", "--year", "2026", "--out", pdf.to_str().unwrap()],
    )
    .assert()
    .success();
    let text = pdftotext(&pdf, false);
    assert!(text.contains("张三") && text.contains("书记") && text.contains("党课"), "{text}");

    // Deleted by its branch's user; every change logged, and the chain verifies.
    dangan(&url, ADMIN, &["training", "delete", "--id", &entries[0]["id"].to_string()]).assert().success();
    let logged = cluster.superuser_sql(
        "dangan",
        "SELECT string_agg(DISTINCT entity || ' ' || action, '; ') FROM dangan.audit_log
         WHERE entity IN ('committee_posts', 'study_entries')",
    );
    assert_eq!(logged.trim(), "committee_posts insert; study_entries delete; study_entries insert");
    dangan(&url, ADMIN, &["verify"]).assert().success();
}

const TARGETS: &str = "\
姓名,学号工号,所在支部,申请入党日期,谈话日期,确定积极分子日期,确定发展对象日期
陈明,2024001,第一党支部,2023-03-01,2023-03-10,2023-09-01,2026-09-01
刘洋,2024002,第一党支部,2023-03-01,2023-03-10,2023-09-01,2026-09-01
周红,2024003,第二党支部,2023-03-01,2023-03-10,2023-09-01,2026-09-01
吴刚,2024004,第二党支部,2023-03-01,2023-03-10,2023-09-01,
";

#[test]
fn a_training_class_on_a_server_records_centralised_training_and_counts_class_hours_as_a_workspace_does() {
    let Some((cluster, url)) = initialised() else { return };
    let ws = twin_workspace(&url, TARGETS);
    dangan(&url, ADMIN, &["users", "add", "周书记", "--role", "branch_secretary", "--branch", "第二党支部"])
        .assert()
        .success();
    let both = |args: &[&str]| on_both(&url, &ws, args);
    let class = both(&[
        "classes",
        "add",
        "--unit",
        "中共示范大学委员会",
        "--kind",
        "发展对象培训班",
        "--name",
        "2026年秋季发展对象培训班",
        "--from",
        "2026-10-10",
        "--to",
        "2026-10-12",
        "--session",
        "2026-10-10:8:党章学习",
        "--session",
        "2026-10-11:8",
        "--session",
        "2026-10-12:8",
        "--json",
    ]);
    let class: serde_json::Value = serde_json::from_slice(&class.stdout).unwrap();
    let id = class["class"]["id"].to_string();
    // The workspace's class has the same number: the first of each.
    both(&["classes", "enrol", "--id", &id, "--stage", "candidate"]);
    for (date, present) in [("2026-10-10", "陈明,刘洋,周红"), ("2026-10-11", "陈明,周红"), ("2026-10-12", "陈明,周红")]
    {
        both(&["classes", "attendance", "--id", &id, "--date", date, "--present", present]);
    }
    for (who, score, passed) in [("陈明", "92", "yes"), ("刘洋", "85", "合格"), ("周红", "40", "no")] {
        both(&["classes", "result", "--id", &id, "--person", who, "--score", score, "--passed", passed]);
    }
    // 刘洋 passed on one day's attendance: refused for everyone, naming her and the rule.
    let refused = both(&["classes", "pass", "--id", &id]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("刘洋"), "{}", String::from_utf8_lossy(&refused.stderr));
    both(&["classes", "result", "--id", &id, "--person", "刘洋", "--passed", "no"]);
    let passed = both(&["classes", "pass", "--id", &id]);
    assert!(String::from_utf8_lossy(&passed.stdout).contains('1'), "{}", String::from_utf8_lossy(&passed.stdout));
    let chen =
        crate::members::members(&url, ADMIN).into_iter().find(|m| m["name"] == "陈明").unwrap()["id"].to_string();
    let steps = stdout(dangan(&url, ADMIN, &["step", "list", "--member", &chen, "--json"]).output().unwrap());
    assert!(steps.contains("centralised_training") && steps.contains("2026-10-12"), "{steps}");
    both(&["classes", "list"]);

    // The class hours count in the year's study hours, as in a workspace.
    both(&["training", "hours", "--year", "2026"]);

    // The certificates of who passed.
    let pdf = ws.file("certificates.pdf");
    dangan(&url, ADMIN, &["classes", "certificates", "--id", &id, "--out", pdf.to_str().unwrap()]).assert().success();
    let text = pdftotext(&pdf, false).replace('\n', "");
    assert!(text.contains("结业证书") && text.contains("陈明") && !text.contains("刘洋"), "{text}");

    // The committee's class is not a branch secretary's; in raw SQL they cannot enrol anyone in it.
    assert_eq!(stdout(dangan(&url, "周书记", &["classes", "list", "--json"]).output().unwrap()).trim(), "[]");
    let wu = crate::members::members(&url, ADMIN).into_iter().find(|m| m["name"] == "吴刚").unwrap()["id"].to_string();
    let out = cluster.psql(
        "dangan",
        &db_role(&url, "周书记"),
        PASSPHRASE,
        &format!("INSERT INTO dangan.trainees (class_id, person_id) VALUES ({id}, {wu})"),
    );
    assert!(!out.status.success(), "a secretary enrols in no class of the committee's");
    dangan(&url, ADMIN, &["verify"]).assert().success();
}
