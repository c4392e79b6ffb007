//! The procedure's documents on a server: filled from the server's records by the workspace's
//! rules, word for word the document a workspace makes of the same people; the committee a
//! document speaks for is the people's college's (the university's for several colleges); the
//! step it starts recorded with it; a college's own wording, used by its users only.

use std::path::Path;

use dangan_core::server::ServerSession;
use dangan_tests::PASSPHRASE;
use predicates::str::contains;

use crate::security::db_role;
use crate::setup::{ADMIN, dangan, initialised, twin_workspace};

const ROSTER: &str = "姓名,学号工号,所在党支部,递交入党申请书日期,确定积极分子日期\n\
                      张三,2024001,第一党支部,2024-03-01,2024-09-10\n\
                      李四,2024002,第一党支部,2024-03-02,2024-09-10\n\
                      王五,2024003,第一党支部,2024-03-03,2024-09-10\n\
                      赵六,2024004,第一党支部,2026-10-08,\n";

/// A .docx's body, as written.
fn body(docx: &Path) -> String {
    let file = std::fs::File::open(docx).unwrap_or_else(|e| panic!("{}: {e}", docx.display()));
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    xml
}

fn ids(members: &[serde_json::Value], stage: &str) -> Vec<String> {
    members.iter().filter(|m| m["stage"] == stage).map(|m| m["id"].to_string()).collect()
}

#[test]
fn a_document_on_a_server_is_the_one_a_workspace_makes_of_the_same_people_and_records_its_step() {
    let Some((cluster, url)) = initialised() else { return };
    let ws = twin_workspace(&url, ROSTER);
    let on_server = crate::members::members(&url, ADMIN);
    let in_workspace = ws.members_json(&[]);

    // The same list of documents.
    let list = |out: std::process::Output| String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        list(dangan(&url, ADMIN, &["doc", "list", "--json"]).output().unwrap()),
        list(ws.dangan(&["doc", "list", "--json"]).output().unwrap())
    );

    // The development targets' publicity of the three activists, with its step: the same
    // document and the same report on both.
    let make = |activists: &[String], out: &Path| {
        let members = activists.join(",");
        let args =
            ["doc", "make", "candidate_publicity", "--members", &members, "--date", "2026-11-24", "--record-step"];
        [&args[..], &["--out", out.to_str().unwrap()]].concat().iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let server_docx = ws.file("服务器公示.docx");
    let workspace_docx = ws.file("工作区公示.docx");
    let args = make(&ids(&on_server, "activist"), &server_docx);
    let from_server = dangan(&url, ADMIN, &args.iter().map(String::as_str).collect::<Vec<_>>()).output().unwrap();
    assert!(from_server.status.success(), "{}", String::from_utf8_lossy(&from_server.stderr));
    let args = make(&ids(&in_workspace, "activist"), &workspace_docx);
    let from_workspace = ws.dangan(&args.iter().map(String::as_str).collect::<Vec<_>>()).output().unwrap();
    assert!(from_workspace.status.success(), "{}", String::from_utf8_lossy(&from_workspace.stderr));
    assert_eq!(
        String::from_utf8_lossy(&from_server.stdout).replace(server_docx.to_str().unwrap(), "FILE"),
        String::from_utf8_lossy(&from_workspace.stdout).replace(workspace_docx.to_str().unwrap(), "FILE")
    );
    assert!(String::from_utf8_lossy(&from_server.stdout).contains("3 people"));
    let text = body(&server_docx);
    assert_eq!(text, body(&workspace_docx));
    assert!(text.contains("张三") && text.contains("中共示范大学委员会") && !text.contains("赵六"));
    let zhang = on_server.iter().find(|m| m["name"] == "张三").unwrap()["id"].to_string();
    dangan(&url, ADMIN, &["step", "list", "--member", &zhang]).assert().success().stdout(contains("2026-11-24"));
    let logged = cluster.superuser_sql(
        "dangan",
        "SELECT count(*) FROM dangan.audit_log WHERE entity = 'events' AND new LIKE '%candidate_publicity%'",
    );
    assert_eq!(logged.trim(), "3");

    // An applicant is no development target: refused on both alike, nothing written.
    let applicant = ids(&on_server, "applicant");
    let refused_docx = ws.file("拒绝.docx");
    let out = dangan(
        &url,
        ADMIN,
        &["doc", "make", "candidate_publicity", "--member", &applicant[0], "--out", refused_docx.to_str().unwrap()],
    )
    .output()
    .unwrap();
    let local = ids(&in_workspace, "applicant");
    let there = ws
        .dangan(&["doc", "make", "candidate_publicity", "--member", &local[0], "--out", refused_docx.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stderr), String::from_utf8_lossy(&there.stderr));
    assert!(!refused_docx.exists());

    // A college's branch: its document speaks for the college's committee; people of two
    // colleges, for the university's, each branch acting for its own.
    cluster.superuser_sql(
        "dangan",
        "INSERT INTO dangan.org_units (parent_id, kind, name)
             SELECT id, 'committee', '中共计算机学院委员会' FROM dangan.org_units WHERE parent_id IS NULL;
         INSERT INTO dangan.org_units (parent_id, kind, name)
             SELECT id, 'branch', '计算机学院第一党支部' FROM dangan.org_units WHERE name = '中共计算机学院委员会';",
    );
    let college = ws.write_csv(
        "college.csv",
        "姓名,学号工号,所在党支部,递交入党申请书日期,确定积极分子日期\n钱七,2024005,计算机学院第一党支部,2024-03-04,2024-09-10\n",
    );
    dangan(&url, ADMIN, &["import", college.to_str().unwrap()]).assert().success();
    let mut admin = ServerSession::sign_in(&url.parse().unwrap(), Some(ADMIN), PASSPHRASE).unwrap();
    let qian = admin.find_unit("计算机学院第一党支部", "branch").unwrap();
    let qian = admin.list_members(&dangan_core::store::MemberQuery {
        branch_id: Some(qian),
        ..dangan_core::store::MemberQuery::all()
    });
    let qian = qian.unwrap().items[0].id;
    let text = |preview: dangan_core::documents::DocumentPreview| serde_json::to_string(&preview.document).unwrap();
    let alone = text(admin.preview_document("candidate_publicity", &[qian], None).unwrap());
    assert!(
        alone.contains("经计算机学院第一党支部委员会研究") && alone.contains("或中共计算机学院委员会反映"),
        "{alone}"
    );
    let both = text(admin.preview_document("candidate_publicity", &[qian, zhang.parse().unwrap()], None).unwrap());
    assert!(both.contains("经各党支部委员会研究") && both.contains("或中共示范大学委员会反映"), "{both}");

    // A branch secretary makes documents about their own branch's people only.
    dangan(&url, ADMIN, &["users", "add", "孙书记", "--role", "branch_secretary", "--branch", "计算机学院第一党支部"])
        .assert()
        .success();
    let theirs = ws.file("书记.docx");
    dangan(
        &url,
        "孙书记",
        &["doc", "make", "candidate_publicity", "--member", &zhang, "--out", theirs.to_str().unwrap()],
    )
    .assert()
    .code(1)
    .stderr(contains(format!("person {zhang} not found")));
    dangan(
        &url,
        "孙书记",
        &["doc", "make", "candidate_publicity", "--member", &qian.to_string(), "--out", theirs.to_str().unwrap()],
    )
    .assert()
    .success();
    assert!(body(&theirs).contains("钱七"));

    // The college's office words its publicity its own way: its administrator loads it, and its
    // users' documents use it; the department's stay shipped. An organiser may not.
    dangan(
        &url,
        ADMIN,
        &["users", "add", "计院管理员", "--role", "administrator", "--committee", "中共计算机学院委员会"],
    )
    .assert()
    .success();
    dangan(&url, ADMIN, &["users", "add", "计院组织员", "--role", "organiser", "--committee", "中共计算机学院委员会"])
        .assert()
        .success();
    let shipped = String::from_utf8(
        dangan(&url, "计院管理员", &["doc", "templates", "show", "candidate_publicity"]).output().unwrap().stdout,
    )
    .unwrap();
    assert!(shipped.contains("现予公示"));
    let own = ws.file("计院公示.jinja");
    std::fs::write(&own, shipped.replace("现予公示", "特此公示")).unwrap();
    dangan(&url, "计院组织员", &["doc", "templates", "load", own.to_str().unwrap()]).assert().code(6);
    dangan(&url, "计院管理员", &["doc", "templates", "load", own.to_str().unwrap()]).assert().success();
    let custom = |user: &str| {
        let out = dangan(&url, user, &["doc", "list", "--json"]).output().unwrap();
        let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        list.as_array().unwrap().iter().find(|d| d["id"] == "candidate_publicity").unwrap()["custom"].clone()
    };
    assert_eq!((custom("计院管理员"), custom("计院组织员"), custom(ADMIN)), (true.into(), true.into(), false.into()));
    let mut college = ServerSession::sign_in(&url.parse().unwrap(), Some("计院组织员"), PASSPHRASE).unwrap();
    assert!(text(college.preview_document("candidate_publicity", &[qian], None).unwrap()).contains("特此公示"));
    assert!(!text(admin.preview_document("candidate_publicity", &[qian], None).unwrap()).contains("特此公示"));
    // A broken one is refused as a workspace refuses it, naming its line; nothing changes.
    let broken = ws.file("坏模板.jinja");
    std::fs::write(&broken, shipped.replace("现予公示", "{{ no_such_field }}")).unwrap();
    let on_server =
        dangan(&url, "计院管理员", &["doc", "templates", "load", broken.to_str().unwrap()]).output().unwrap();
    let in_workspace = ws.dangan(&["doc", "templates", "load", broken.to_str().unwrap()]).output().unwrap();
    assert_eq!(on_server.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&on_server.stderr), String::from_utf8_lossy(&in_workspace.stderr));
    assert!(text(college.preview_document("candidate_publicity", &[qian], None).unwrap()).contains("特此公示"));
    // In raw SQL too, a college's administrator words only their own committee's documents.
    let out = cluster.psql(
        "dangan",
        &db_role(&url, "计院管理员"),
        PASSPHRASE,
        "INSERT INTO dangan.document_templates (unit_id, id, source)
             SELECT id, 'candidate_publicity', 'x' FROM dangan.org_units WHERE parent_id IS NULL",
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("row-level security"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Reset: the shipped wording again, and each change is in the log.
    dangan(&url, "计院管理员", &["doc", "templates", "reset", "candidate_publicity"]).assert().success();
    assert!(!text(college.preview_document("candidate_publicity", &[qian], None).unwrap()).contains("特此公示"));
    let logged = cluster.superuser_sql(
        "dangan",
        "SELECT string_agg(action || ' ' || actor, '; ' ORDER BY seq) FROM dangan.audit_log WHERE entity = 'document_templates'",
    );
    assert_eq!(logged.trim(), "insert 计院管理员; delete 计院管理员");
    dangan(&url, ADMIN, &["verify"]).assert().success();
}
