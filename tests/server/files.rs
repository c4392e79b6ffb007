//! A member's file on a server (schema version 4): records and their scans checked and worded as
//! a workspace's, read back byte for byte, within each user's units even in raw SQL, logged
//! without the scans' bytes, and printed as dossiers.

use dangan_core::server::ServerSession;
use dangan_tests::{PASSPHRASE, pdftotext};
use predicates::str::contains;

use crate::security::db_role;
use crate::setup::{ADMIN, dangan, initialised, twin_workspace};

const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00];
const ROSTER: &str = "姓名,学号工号,所在支部,申请入党日期,谈话日期\n\
                      张三,2026001,第一党支部,2026-03-01,2026-03-20\n\
                      李四,2026002,第二党支部,2026-03-02,2026-03-21\n";

fn id_of(members: &[serde_json::Value], name: &str) -> String {
    members.iter().find(|m| m["name"] == name).unwrap()["id"].to_string()
}

fn file_json(out: std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_members_file_on_a_server_is_kept_as_a_workspace_keeps_it_within_each_users_units() {
    let Some((cluster, url)) = initialised() else { return };
    let ws = twin_workspace(&url, ROSTER);
    let (zhang, li) = {
        let on_server = crate::members::members(&url, ADMIN);
        (id_of(&on_server, "张三"), id_of(&on_server, "李四"))
    };
    let local = id_of(&ws.members_json(&[]), "张三");
    dangan(&url, ADMIN, &["users", "add", "孙书记", "--role", "branch_secretary", "--branch", "第一党支部"])
        .assert()
        .success();
    dangan(&url, ADMIN, &["users", "add", "钱审计", "--role", "auditor"]).assert().success();
    let scan = ws.file("谈话记录.jpg");
    std::fs::write(&scan, JPEG).unwrap();

    // The talk record with its scan, by the branch's secretary: the same report as a workspace's.
    let record = |member: &str| {
        [
            "record",
            "--member",
            member,
            "--kind",
            "谈话记录",
            "--date",
            "2026-03-20",
            "--step",
            "applicant_talk",
            "--who",
            "李书记",
            "--text",
            "端正入党动机。",
            "--attach",
            scan.to_str().unwrap(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
    };
    let args = record(&zhang);
    let on_server = dangan(&url, "孙书记", &args.iter().map(String::as_str).collect::<Vec<_>>()).output().unwrap();
    let args = record(&local);
    let in_workspace = ws.dangan(&args.iter().map(String::as_str).collect::<Vec<_>>()).output().unwrap();
    assert!(on_server.status.success(), "{}", String::from_utf8_lossy(&on_server.stderr));
    assert_eq!(String::from_utf8_lossy(&on_server.stdout), String::from_utf8_lossy(&in_workspace.stdout));

    // Read back as a workspace reads it: the record, its scan, the checklist.
    let server_file = file_json(dangan(&url, ADMIN, &["records", "--member", &zhang, "--json"]).output().unwrap());
    let local_file = file_json(ws.dangan(&["records", "--member", &local, "--json"]).output().unwrap());
    let record = &server_file["records"][0];
    assert_eq!(record["kind"], "talk_record");
    assert_eq!(record["fields"]["who"], "李书记");
    assert_eq!(record["body"], "端正入党动机。");
    assert_eq!(record["attachments"][0]["media_type"], "image/jpeg");
    assert!(record["event_id"].is_i64(), "it documents the talk");
    let materials = |file: &serde_json::Value| {
        file["checklist"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["material"].clone(), l["expected"].clone(), l["records"].as_array().unwrap().len()))
            .collect::<Vec<_>>()
    };
    assert_eq!(materials(&server_file), materials(&local_file));
    let attachment = record["attachments"][0]["id"].to_string();
    let out = ws.file("回来的扫描件.jpg");
    dangan(&url, "钱审计", &["attachment", &attachment, "--out", out.to_str().unwrap()]).assert().success();
    assert_eq!(std::fs::read(&out).unwrap(), JPEG, "the scan comes back byte for byte");

    // A renamed file is refused as a workspace refuses it, and nothing is added.
    let fake = ws.file("申请书.pdf");
    std::fs::write(&fake, JPEG).unwrap();
    let refused = [
        "record",
        "--kind",
        "application_letter",
        "--date",
        "2026-03-01",
        "--attach",
        fake.to_str().unwrap(),
        "--member",
    ];
    let on_server = dangan(&url, ADMIN, &[&refused[..], &[zhang.as_str()]].concat()).output().unwrap();
    let in_workspace = ws.dangan(&[&refused[..], &[local.as_str()]].concat()).output().unwrap();
    assert_eq!(on_server.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&on_server.stderr), String::from_utf8_lossy(&in_workspace.stderr));
    assert_eq!(cluster.superuser_sql("dangan", "SELECT count(*) FROM dangan.records").trim(), "1");

    // Within each user's units: the secretary cannot add to 李四's file, nor read it; in raw SQL
    // neither they nor the auditor write another branch's file, and the auditor writes none.
    dangan(&url, "孙书记", &["record", "--member", &li, "--kind", "thought_report", "--date", "2026-04-01"])
        .assert()
        .code(1)
        .stderr(contains(format!("person {li} not found")));
    dangan(&url, "钱审计", &["record", "--member", &li, "--kind", "thought_report", "--date", "2026-04-01"])
        .assert()
        .code(6);
    let role_of = |name: &str| db_role(&url, name);
    let insert =
        format!("INSERT INTO dangan.records (person_id, kind, date) VALUES ({li}, 'thought_report', '2026-04-01')");
    let out = cluster.psql("dangan", &role_of("孙书记"), PASSPHRASE, &insert);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("row-level security"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!cluster.psql("dangan", &role_of("钱审计"), PASSPHRASE, &insert).status.success());
    // Nor does a record document another person's step, even for the department.
    let borrowed = format!(
        "INSERT INTO dangan.records (person_id, kind, date, event_id)
             SELECT {zhang}, 'talk_record', '2026-03-21', id FROM dangan.events WHERE person_id = {li} LIMIT 1"
    );
    let out = cluster.psql("dangan", &role_of(ADMIN), PASSPHRASE, &borrowed);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the member has no event"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen = cluster.psql("dangan", &role_of("孙书记"), PASSPHRASE, "SELECT count(*) FROM dangan.attachments");
    assert_eq!(String::from_utf8_lossy(&seen.stdout).trim(), "1");
    let out = cluster.psql("dangan", &role_of("孙书记"), PASSPHRASE, "UPDATE dangan.attachments SET content = 'x'");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("permission denied"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Logged by the server as the secretary's, the scan's bytes never in the log.
    let logged = cluster.superuser_sql(
        "dangan",
        "SELECT string_agg(entity || ' ' || action || ' ' || actor, '; ' ORDER BY seq) FROM dangan.audit_log
         WHERE entity IN ('records', 'attachments')",
    );
    assert_eq!(logged.trim(), "records insert 孙书记; attachments insert 孙书记");
    let bytes_logged =
        cluster.superuser_sql("dangan", "SELECT count(*) FROM dangan.audit_log WHERE new LIKE '%content%'");
    assert_eq!(bytes_logged.trim(), "0");

    // Printed: one dossier, and a folder of everyone's.
    let pdf = ws.file("张三.pdf");
    dangan(&url, ADMIN, &["dossier", "--member", &zhang, "--out", pdf.to_str().unwrap()]).assert().success();
    let text = pdftotext(&pdf, false);
    assert!(text.contains("张三") && text.contains("端正入党动机") && text.contains("中共示范大学委员会"), "{text}");
    let folder = ws.file("全部档案");
    dangan(&url, ADMIN, &["dossier", "--all", "--out", folder.to_str().unwrap()]).assert().success();
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 2);

    // Deleted with its scan, by who may change the member.
    let mut secretary = ServerSession::sign_in(&url.parse().unwrap(), Some("孙书记"), PASSPHRASE).unwrap();
    let record_id = record["id"].as_i64().unwrap();
    secretary.delete_record(record_id).unwrap();
    assert!(secretary.records(zhang.parse().unwrap()).unwrap().is_empty());
    assert_eq!(cluster.superuser_sql("dangan", "SELECT count(*) FROM dangan.attachments").trim(), "0");
    dangan(&url, ADMIN, &["verify"]).assert().success();
}
