//! Arrivals and member packages on a server (schema version 16): a member arriving by letter is
//! registered, refused and worded as in a workspace; a package from another office's workspace
//! arrives on the server with its records, files, history and UUID, all or nothing; a package the
//! server writes arrives in another office's workspace; a branch secretary receives only into
//! their own branches.

use dangan_core::calendar::today;
use dangan_tests::{PASSPHRASE, TestWorkspace};

use crate::dues::{Twins, numbers};
use crate::setup::{ADMIN, dangan, initialised, twin_workspace};

const ROSTER: &str = "姓名,学号工号,所在党支部,入党时间,性别
王五,T001,第一党支部,2010-07-01,男
孙七,T003,第二党支部,2014-07-01,男
";

const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00];

fn ok(out: std::process::Output) -> std::process::Output {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out
}

fn json(out: std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&ok(out).stdout).unwrap()
}

#[test]
fn an_arrival_by_letter_on_a_server_is_registered_refused_and_worded_as_in_a_workspace() {
    let Some((cluster, url)) = initialised() else { return };
    let ws = twin_workspace(&url, ROSTER);
    let twins = Twins {
        url: &url,
        ws: &ws,
        on_server: numbers(dangan(&url, ADMIN, &["members", "--json"]).output().unwrap()),
        in_workspace: numbers(ws.dangan(&["members", "--json"]).output().unwrap()),
    };
    let day = today().to_string();
    let arrive = |extra: &[&str]| {
        let mut args = vec!["transfer", "in", "--name", "周九", "--branch", "第一党支部", "--from", "中共某大学委员会"];
        args.extend_from_slice(&["--received", &day, "--gender", "女", "--applied", "2024-03-01"]);
        args.extend_from_slice(&["--activist", "2024-09-01", "--candidate", "2025-09-01", "--admitted", "2026-06-20"]);
        args.extend_from_slice(extra);
        twins.run(ADMIN, &args)
    };
    // Registered with the materials that came: the same page and file in words.
    let out = ok(arrive(&["--letter", "2026-015", "--materials", "application_letter,入党志愿书"]));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("中共某大学委员会") && said.contains("2026-015"), "{said}");
    let members = crate::members::members(&url, ADMIN);
    let zhou = members.iter().find(|m| m["name"] == "周九").expect("周九 is registered");
    assert_eq!((zhou["stage"].as_str(), zhou["status"].as_str()), (Some("probationary"), Some("in_register")));
    let zhou = zhou["id"].to_string();
    let file = json(dangan(&url, ADMIN, &["records", "--member", &zhou, "--json"]).output().unwrap());
    assert_eq!(file["records"].as_array().map(Vec::len), Some(2), "both materials are on file: {file}");

    // The same letter again, or the same person under another letter: refused in the same words;
    // the arrival is not a change to take back.
    let refused = arrive(&["--letter", "2026-015"]);
    assert_eq!(refused.status.code(), Some(1));
    let refused = arrive(&["--letter", "2026-031"]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--another-person"));
    let twins = Twins {
        on_server: numbers(dangan(&url, ADMIN, &["members", "--json"]).output().unwrap()),
        in_workspace: numbers(ws.dangan(&["members", "--json"]).output().unwrap()),
        ..twins
    };
    assert_eq!(twins.run(ADMIN, &["status", "undo", "--member", "{周九}"]).status.code(), Some(1));
    // Her conversion is owed a year from the admission elsewhere, as in a workspace.
    let items = json(dangan(&url, ADMIN, &["deadlines", "--json"]).output().unwrap());
    let conversion = items.as_array().unwrap().iter().find(|i| i["name"] == "周九" && i["rule"] == "conversion_due");
    assert!(conversion.expect("the conversion is owed")["due"].as_str().unwrap().starts_with("2027-06"));

    // A branch secretary of 第二党支部: the letter used in 第一党支部 is refused without naming
    // who came with it (the policies hide them), and 第一党支部 is not theirs to receive into.
    dangan(&url, ADMIN, &["users", "add", "孙书记", "--role", "branch_secretary", "--branch", "第二党支部"])
        .assert()
        .success();
    let by_secretary = |branch: &str, letter: &str| {
        let args = ["transfer", "in", "--name", "吴十", "--branch", branch, "--from", "中共某大学委员会"];
        dangan(&url, "孙书记", &args).args(["--received", &day, "--joined", "2020-07-01", "--letter", letter]).output()
    };
    let out = by_secretary("第二党支部", "2026-015").unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && said.contains("2026-015") && !said.contains("周九"), "{said}");
    assert!(!by_secretary("第一党支部", "2026-040").unwrap().status.success());
    ok(by_secretary("第二党支部", "2026-040").unwrap());

    // Their branch's organisational life is counted from 2025: 孙七, there all along and never at
    // a meeting, is absent; 吴十, who came today, is not.
    ok(dangan(&url, ADMIN, &["meetings", "track", "--unit", "第二党支部", "--from", "2025-01-01"]).output().unwrap());
    let items = json(dangan(&url, ADMIN, &["deadlines", "--json"]).output().unwrap());
    let absent = |name: &str| items.as_array().unwrap().iter().any(|i| i["name"] == name && i["rule"] == "party_life");
    assert!(absent("孙七") && !absent("吴十"), "{items:#}");

    // In psql the secretary cannot make 孙七 an arrival on another's change, nor read the log of
    // a member through the package's function while no letter of theirs is in force.
    let secretary = crate::security::db_role(&url, "孙书记");
    let sun = crate::dues::numbers(dangan(&url, ADMIN, &["members", "--json"]).output().unwrap())["孙七"].clone();
    let forged = format!(
        "INSERT INTO dangan.arrivals (person_id, received_on, origin, status_change_id)
         SELECT {sun}, date '2026-01-01', '伪造', max(id) FROM dangan.status_changes"
    );
    let out = cluster.psql("dangan", &secretary, PASSPHRASE, &forged);
    assert!(!out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let history = format!("SELECT count(*) FROM dangan.member_history({sun})");
    let out = cluster.psql("dangan", &secretary, PASSPHRASE, &history);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "0", "no letter in force: no history");
}

#[test]
fn a_member_package_moves_a_file_between_a_workspace_and_a_server_whole_or_not_at_all() {
    let Some((cluster, url)) = initialised() else { return };
    let scratch = TestWorkspace::new();
    dangan(&url, ADMIN, &["import", scratch.write_csv("roster.csv", ROSTER).to_str().unwrap()]).assert().success();
    let day = today().to_string();

    // Another university's office, in a workspace: 钱八 with a talk record and its scan leaves
    // for this university.
    let elsewhere = TestWorkspace::new();
    elsewhere.dangan(&["init", "--committee", "中共外校委员会"]).assert().success();
    let roster =
        elsewhere.write_csv("roster.csv", "姓名,学号工号,所在党支部,入党时间\n钱八,W001,第一党支部,2015-07-01\n");
    elsewhere.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let qian = elsewhere.members_json(&[])[0]["id"].to_string();
    let scan = elsewhere.file("谈话记录.jpg");
    std::fs::write(&scan, JPEG).unwrap();
    elsewhere
        .dangan(&["record", "--member", &qian, "--kind", "谈话记录", "--date", "2026-03-20", "--text", "谈话。"])
        .args(["--who", "李书记", "--attach", scan.to_str().unwrap()])
        .assert()
        .success();
    let letter = elsewhere.file("介绍信.pdf");
    elsewhere
        .dangan(&["transfer", "out", "--member", &qian, "--to", "中共示范大学委员会", "--date", &day, "--out"])
        .arg(&letter)
        .assert()
        .success();
    let package = elsewhere.file("钱八.dangan-member");
    let written = json(
        elsewhere.dangan(&["transfer", "package", "--letter", "1", "--json", "--out"]).arg(&package).output().unwrap(),
    );
    let code = written["code"].as_str().unwrap().to_owned();

    // A wrong code, or a package for another committee: refused on the server, nothing imported.
    let receive = |code: &str, branch: &str| {
        dangan(&url, ADMIN, &["transfer", "receive", "--branch", branch, "--code", code, "--json", "--package"])
            .arg(&package)
            .output()
            .unwrap()
    };
    let last = if code.ends_with('A') { "B" } else { "A" };
    let wrong = format!("{}{last}", &code[..code.len() - 1]);
    assert!(!receive(&wrong, "第一党支部").status.success());
    assert_eq!(crate::members::members(&url, ADMIN).len(), 2, "nothing was imported");

    let page = json(receive(&code, "第二党支部"));
    assert_eq!(page["arrival"]["origin"], "中共外校委员会", "{page}");
    assert!(!page["arrival"]["history"].as_array().unwrap().is_empty(), "the sending office's trail came");
    let uid_there = {
        let session =
            dangan_core::Session::unlock(dangan_core::Workspace::at(elsewhere.dir()), None, PASSPHRASE).unwrap();
        session.member(qian.parse().unwrap()).unwrap().uid.unwrap()
    };
    assert_eq!(page["uid"].as_str(), Some(uid_there.as_str()), "the same person: their UUID came with them");
    let here = page["person"]["id"].to_string();
    let file = json(dangan(&url, ADMIN, &["records", "--member", &here, "--json"]).output().unwrap());
    let record = &file["records"][0];
    assert_eq!((record["kind"].as_str(), record["fields"]["who"].as_str()), (Some("talk_record"), Some("李书记")));
    let attachment = record["attachments"][0]["id"].to_string();
    let back = elsewhere.file("回来的扫描件.jpg");
    dangan(&url, ADMIN, &["attachment", &attachment, "--out", back.to_str().unwrap()]).assert().success();
    assert_eq!(std::fs::read(&back).unwrap(), JPEG, "the scan arrives byte for byte");
    // The sending office's history is kept out of the server's log; the arrival is logged.
    let logged = cluster.superuser_sql(
        "dangan",
        "SELECT count(*) FILTER (WHERE new LIKE '%history%'), count(*) FROM dangan.audit_log WHERE entity = 'arrivals'",
    );
    assert_eq!(logged.trim(), "0|1", "{logged}");
    // Received twice: refused.
    assert!(!receive(&code, "第一党支部").status.success());

    // 孙七 leaves the server for that office: the letter carries a code, the package arrives there.
    let sun = crate::dues::numbers(dangan(&url, ADMIN, &["members", "--json"]).output().unwrap())["孙七"].clone();
    let letter = elsewhere.file("孙七-介绍信.pdf");
    let issued = json(
        dangan(&url, ADMIN, &["transfer", "out", "--member", &sun, "--to", "中共外校委员会", "--date", &day, "--json"])
            .arg("--out")
            .arg(&letter)
            .output()
            .unwrap(),
    );
    let number = issued["number"].as_str().unwrap().to_owned();
    let package = elsewhere.file("孙七.dangan-member");
    let written = json(
        dangan(&url, ADMIN, &["transfer", "package", "--letter", &number, "--json", "--out"])
            .arg(&package)
            .output()
            .unwrap(),
    );
    let code = written["code"].as_str().unwrap().to_owned();
    let printed: String = dangan_tests::pdftotext(&letter, false).chars().filter(|c| !c.is_whitespace()).collect();
    assert!(printed.contains(&code), "the code is on the server's letter:\n{printed}");
    let the_code =
        cluster.superuser_sql("dangan", "SELECT count(*) FROM dangan.audit_log WHERE new LIKE '%package_code%'");
    assert_eq!(the_code.trim(), "0", "the code is never in the log");
    let arrived = json(
        elsewhere
            .dangan(&["transfer", "receive", "--branch", "第一党支部", "--code", &code, "--json", "--package"])
            .arg(&package)
            .output()
            .unwrap(),
    );
    assert_eq!(arrived["arrival"]["origin"], "中共示范大学委员会", "{arrived}");
    assert_eq!(arrived["arrival"]["letter_number"].as_str(), Some(number.as_str()));
    let history = arrived["arrival"]["history"].as_array().unwrap();
    assert!(
        history.iter().any(|l| l.as_str().unwrap().contains("transfer_letters")),
        "the server's trail: {history:#?}"
    );
}
