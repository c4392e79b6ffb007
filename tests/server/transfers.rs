//! Transfers out on a server (schema version 13): applications decided by the committee, letters
//! issued, received, reissued and cancelled with the workspace's rules and words for the same
//! people, the letter's 转出 a status change that is undone only through the letter, an open
//! letter's receipt an item of the deadlines; a branch secretary's letter needs the approval, which
//! only the committee gives, in raw SQL too.

use dangan_core::calendar::today;
use dangan_tests::PASSPHRASE;

use crate::dues::{Twins, numbers, without_numbers};
use crate::security::db_role;
use crate::setup::{ADMIN, dangan, initialised, twin_workspace};

const ROSTER: &str = "姓名,学号工号,所在党支部,入党时间,性别
王五,T001,第一党支部,2010-07-01,男
赵六,T002,第一党支部,2012-07-01,女
孙七,T003,第二党支部,2014-07-01,男
";

/// `args` run as the administrator on the server and in the workspace, each writing its own
/// letter file (`{out}`), the JSON the same but for each database's numbers.
fn both_writing(twins: &Twins<'_>, args: &[&str]) -> serde_json::Value {
    let folder = tempfile::tempdir().unwrap();
    let run = |numbers: &std::collections::HashMap<String, String>, out: &std::path::Path, server: bool| {
        let args: Vec<String> = args
            .iter()
            .map(|a| {
                let a = a.replace("{out}", out.to_str().unwrap());
                numbers.iter().fold(a, |a, (name, id)| a.replace(&format!("{{{name}}}"), id))
            })
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = if server { dangan(twins.url, ADMIN, &args).output() } else { twins.ws.dangan(&args).output() };
        out.unwrap()
    };
    let (server_pdf, workspace_pdf) = (folder.path().join("server.pdf"), folder.path().join("workspace.pdf"));
    let on_server = run(&twins.on_server, &server_pdf, true);
    let in_workspace = run(&twins.in_workspace, &workspace_pdf, false);
    let said = |out: &std::process::Output| String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(on_server.status.success(), "{args:?}: {}", said(&on_server));
    assert!(in_workspace.status.success(), "{args:?}: {}", said(&in_workspace));
    let json = |out: &std::process::Output| without_numbers(serde_json::from_slice(&out.stdout).unwrap());
    let letter = json(&on_server);
    assert_eq!(letter, json(&in_workspace), "{args:?}");
    assert!(std::fs::read(&server_pdf).unwrap().starts_with(b"%PDF"), "the letter is printed");
    letter
}

#[test]
fn transfers_out_on_a_server_are_kept_and_worded_as_a_workspaces_and_decided_by_the_committee() {
    let Some((cluster, url)) = initialised() else { return };
    let ws = twin_workspace(&url, ROSTER);
    dangan(&url, ADMIN, &["users", "add", "周书记", "--role", "branch_secretary", "--branch", "第二党支部"])
        .assert()
        .success();
    let twins = Twins {
        url: &url,
        ws: &ws,
        on_server: numbers(dangan(&url, ADMIN, &["members", "--json"]).output().unwrap()),
        in_workspace: numbers(ws.dangan(&["members", "--json"]).output().unwrap()),
    };
    let day = today().to_string();
    let long_ago = (0..60).fold(today(), |d, _| d.pred_opt().unwrap()).to_string();
    let ok = |out: std::process::Output| {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out
    };
    let refused = |out: std::process::Output| assert_eq!(out.status.code(), Some(1));

    // 王五 applies, the committee approves, the letter goes where he asked.
    ok(twins.run(
        ADMIN,
        &["transfer", "apply", "--member", "{王五}", "--to", "中共某市委组织部", "--date", &day, "--json"],
    ));
    refused(twins.run(ADMIN, &["transfer", "apply", "--member", "{王五}", "--to", "别处", "--date", &day]));
    ok(twins.run(ADMIN, &["transfer", "requests", "--json"]));
    // Human words the same; the JSON names who decided (the server's and the workspace's
    // administrators have different names).
    ok(twins.run(ADMIN, &["transfer", "approve", "--member", "{王五}", "--date", &day]));
    let letter =
        both_writing(&twins, &["transfer", "out", "--member", "{王五}", "--date", &day, "--out", "{out}", "--json"]);
    assert_eq!(letter["destination"], "中共某市委组织部", "{letter}");
    let number = letter["number"].as_str().unwrap().to_owned();
    refused(twins.run(ADMIN, &["transfer", "out", "--member", "{王五}", "--date", &day, "--out", "/tmp/x.pdf"]));
    ok(twins.run(ADMIN, &["transfer", "requests", "--all"]));
    let requests = ok(dangan(&url, ADMIN, &["transfer", "requests", "--all", "--json"]).output().unwrap());
    let requests: serde_json::Value = serde_json::from_slice(&requests.stdout).unwrap();
    assert_eq!(
        (requests[0]["state"].as_str(), requests[0]["decided_by"].as_str()),
        (Some("letter_issued"), Some(ADMIN))
    );
    assert_eq!(requests[0]["letter_number"].as_str(), Some(number.as_str()));
    ok(twins.run(ADMIN, &["transfer", "list", "--json"]));
    ok(twins.run(ADMIN, &["transfer", "list"]));
    // He is out of the register: the letter's change is undone through the letter only; its
    // receipt is awaited in the deadlines until it comes.
    refused(twins.run(ADMIN, &["status", "undo", "--member", "{王五}"]));
    // Nor is he set back in the register by hand while the letter is open (its receipt would be
    // owed for ever, and no new letter could be made): the same refusal, naming the letter.
    let back = twins.run(ADMIN, &["status", "set", "--member", "{王五}", "--status", "in_register", "--date", &day]);
    assert!(String::from_utf8_lossy(&back.stderr).contains(&number), "{back:?}");
    refused(back);
    let items = ok(twins.run(ADMIN, &["deadlines", "--json"]));
    let items: Vec<serde_json::Value> = serde_json::from_slice(&items.stdout).unwrap();
    assert!(items.iter().any(|i| i["name"] == "王五" && i["rule"] == "transfer_receipt"), "{items:#?}");
    refused(twins.run(ADMIN, &["transfer", "receipt", "--letter", &number, "--date", "2000-01-01"]));
    ok(twins.run(ADMIN, &["transfer", "receipt", "--letter", &number, "--date", &day]));
    let items = ok(twins.run(ADMIN, &["deadlines", "--json"]));
    assert!(!String::from_utf8_lossy(&items.stdout).contains("transfer_receipt"));

    // 赵六's letter, issued by the committee without an application sixty days ago, has expired:
    // reissued under the next number, then cancelled, she is back in the register.
    let old = both_writing(
        &twins,
        &[
            "transfer",
            "out",
            "--member",
            "{赵六}",
            "--to",
            "某企业党委",
            "--date",
            &long_ago,
            "--out",
            "{out}",
            "--json",
        ],
    );
    let old_number = old["number"].as_str().unwrap().to_owned();
    refused(twins.run(ADMIN, &["transfer", "cancel", "--letter", &old_number, "--date", "2000-01-01"]));
    let folder = tempfile::tempdir().unwrap();
    for (runs_on_server, name) in [(true, "s.pdf"), (false, "w.pdf")] {
        let out = folder.path().join(name);
        let args = ["transfer", "reissue", "--letter", &old_number, "--date", &day, "--out", out.to_str().unwrap()];
        if runs_on_server {
            ok(dangan(&url, ADMIN, &args).output().unwrap())
        } else {
            ok(ws.dangan(&args).output().unwrap())
        };
    }
    ok(twins.run(ADMIN, &["transfer", "list", "--member", "{赵六}", "--json"]));
    let letters = ok(dangan(&url, ADMIN, &["transfer", "list", "--member", &twins.on_server["赵六"], "--json"])
        .output()
        .unwrap());
    let letters: Vec<serde_json::Value> = serde_json::from_slice(&letters.stdout).unwrap();
    let new_number = letters[0]["number"].as_str().unwrap().to_owned();
    assert_ne!(new_number, old_number);
    ok(twins.run(ADMIN, &["transfer", "cancel", "--letter", &new_number, "--date", &day, "--reason", "本人放弃转出"]));
    ok(twins.run(ADMIN, &["status", "show", "--member", "{赵六}"]));
    let print = folder.path().join("打印.pdf");
    ok(dangan(&url, ADMIN, &["transfer", "print", "--letter", &number, "--out", print.to_str().unwrap()])
        .output()
        .unwrap());
    assert!(std::fs::read(&print).unwrap().starts_with(b"%PDF"));

    // A branch secretary applies for their own member; their letter waits for the committee's
    // approval, which they cannot give, in psql neither.
    let sun = twins.on_server["孙七"].clone();
    dangan(&url, "周书记", &["transfer", "apply", "--member", &sun, "--to", "外校党委", "--date", &day])
        .assert()
        .success();
    dangan(&url, "周书记", &["transfer", "approve", "--member", &sun, "--date", &day]).assert().code(6);
    let letter = folder.path().join("孙七.pdf");
    dangan(&url, "周书记", &["transfer", "out", "--member", &sun, "--date", &day, "--out", letter.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicates::str::contains("awaits its decision"));
    let psql = |sql: &str| cluster.psql("dangan", &db_role(&url, "周书记"), PASSPHRASE, sql);
    let approved =
        psql(&format!("UPDATE dangan.transfer_requests SET approved_on = current_date WHERE person_id = {sun}"));
    assert!(!approved.status.success(), "a secretary does not approve in psql either");
    assert!(String::from_utf8_lossy(&approved.stderr).contains("only the committee"));
    let seen = psql("SELECT count(*) FROM dangan.transfer_letters");
    assert_eq!(String::from_utf8_lossy(&seen.stdout).trim(), "0", "the first branch's letters are not theirs");
    // Nor do they slip a letter past the approval by naming one it would reissue.
    let wang_letter =
        cluster.superuser_sql("dangan", &format!("SELECT id FROM dangan.transfer_letters WHERE number = '{number}'"));
    let slipped = psql(&format!(
        "INSERT INTO dangan.transfer_letters (person_id, committee_id, number, destination, addressee, issued_on,
             validity_days, stage, reissue_of)
         VALUES ({sun}, 1, '2099-001', '别处', '别处组织部', current_date, 30, 'full_member', {})",
        wang_letter.trim()
    ));
    assert!(!slipped.status.success());
    assert!(
        String::from_utf8_lossy(&slipped.stderr).contains("same person's letter"),
        "{}",
        String::from_utf8_lossy(&slipped.stderr)
    );
    // Nor does someone who issues no letters hold up a committee's numbering.
    dangan(&url, ADMIN, &["users", "add", "钱审计", "--role", "auditor"]).assert().success();
    let numbering =
        cluster.psql("dangan", &db_role(&url, "钱审计"), PASSPHRASE, "SELECT dangan.last_letter_number(1, 2026)");
    assert!(!numbering.status.success(), "an auditor takes no letter number");
    dangan(&url, ADMIN, &["transfer", "approve", "--member", &sun, "--date", &day]).assert().success();
    let decided = cluster
        .superuser_sql("dangan", &format!("SELECT decided_by FROM dangan.transfer_requests WHERE person_id = {sun}"));
    assert_eq!(decided.trim(), ADMIN, "the server names who decided");
    dangan(
        &url,
        "周书记",
        &["transfer", "out", "--member", &sun, "--date", &day, "--out", letter.to_str().unwrap(), "--json"],
    )
    .assert()
    .success();
    // The log holds each change, by whom.
    let log = cluster.superuser_sql(
        "dangan",
        "SELECT count(*) FROM dangan.audit_log WHERE entity IN ('transfer_letters', 'transfer_requests')",
    );
    assert!(log.trim().parse::<u32>().unwrap() >= 8, "{log}");
}

const CLASS: &str = "姓名,学号工号,所在党支部,入党时间,性别,年级
钱一,S001,学生第一党支部,2024-06-01,男,2022
钱二,S002,学生第一党支部,2024-06-01,女,2022
钱三,S003,学生第二党支部,2024-06-01,男,2022
钱四,S004,学生第一党支部,2024-06-01,女,2023
";

#[test]
fn a_graduating_class_leaves_a_server_in_one_batch_as_from_a_workspace_or_not_at_all() {
    let Some((_cluster, url)) = initialised() else { return };
    let ws = twin_workspace(&url, CLASS);
    let twins = Twins {
        url: &url,
        ws: &ws,
        on_server: numbers(dangan(&url, ADMIN, &["members", "--json"]).output().unwrap()),
        in_workspace: numbers(ws.dangan(&["members", "--json"]).output().unwrap()),
    };
    let day = today().to_string();
    let ok = |out: std::process::Output| {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out
    };
    let class = ["transfer", "graduate", "--class-year", "2022", "--to", "某市人才交流中心党委", "--date", &day];
    // The check names the three of 2022 (钱四 is of 2023), under one branch only when asked.
    let checked = ok(twins.run(ADMIN, &[&class[..], &["--check", "--json"]].concat()));
    let checked: Vec<serde_json::Value> = serde_json::from_slice(&checked.stdout).unwrap();
    let names: Vec<&str> = checked.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(!names.contains(&"钱四"));
    ok(twins.run(ADMIN, &[&class[..], &["--branch", "学生第二党支部", "--check"]].concat()));
    // One of them given twice: the whole batch is refused, naming her, and nothing is issued.
    let twice = "{钱一},{钱二},{钱二}";
    let refused = twins.run(
        ADMIN,
        &["transfer", "graduate", "--members", twice, "--to", "某处", "--date", &day, "--out", "/tmp/none.pdf"],
    );
    // The check that goes first names her and issues nothing.
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stdout).contains("钱二"), "{}", String::from_utf8_lossy(&refused.stdout));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("no letter was issued"));
    ok(twins.run(ADMIN, &["transfer", "list", "--json"]));
    // The class leaves: a letter each, printed to one file, numbered in order.
    let folder = tempfile::tempdir().unwrap();
    let letters = folder.path().join("毕业生介绍信.pdf");
    let issued = ok(dangan(&url, ADMIN, &[&class[..], &["--out", letters.to_str().unwrap(), "--json"]].concat())
        .output()
        .unwrap());
    let in_workspace = folder.path().join("工作区.pdf");
    ok(ws.dangan(&[&class[..], &["--out", in_workspace.to_str().unwrap()]].concat()).output().unwrap());
    let issued: Vec<serde_json::Value> = serde_json::from_slice(&issued.stdout).unwrap();
    let numbers: Vec<&str> = issued.iter().map(|l| l["number"].as_str().unwrap()).collect();
    let year = &day[..4];
    assert_eq!(numbers, [format!("{year}-001"), format!("{year}-002"), format!("{year}-003")]);
    assert!(std::fs::read(&letters).unwrap().starts_with(b"%PDF"));
    let members = ok(dangan(&url, ADMIN, &["members", "--json"]).output().unwrap());
    let members: Vec<serde_json::Value> = serde_json::from_slice(&members.stdout).unwrap();
    assert_eq!(members.len(), 1, "only 钱四 is still in the register: {members:#?}");

    // 钱四's relationship is kept at the university after graduating (条例第三十四条): an item of
    // the deadlines when the two years end, until the keeping ends.
    let graduated = (0..200).fold(today(), |d, _| d.pred_opt().unwrap()).to_string();
    let future = twins.run(ADMIN, &["transfer", "keep", "--member", "{钱四}", "--graduated", "2099-01-01"]);
    assert_eq!(future.status.code(), Some(1), "a graduation after today is refused");
    ok(twins.run(ADMIN, &["transfer", "keep", "--member", "{钱四}", "--graduated", &graduated]));
    let kept = |runs: &std::process::Output| String::from_utf8_lossy(&runs.stdout).contains("graduate_kept");
    assert!(kept(&ok(twins.run(ADMIN, &["deadlines", "--within", "1000", "--json"]))));
    ok(twins.run(ADMIN, &["transfer", "keep", "--member", "{钱四}", "--end"]));
    assert!(!kept(&ok(twins.run(ADMIN, &["deadlines", "--within", "1000", "--json"]))));
}

/// A workspace's kept graduate moves with its upload: the keeping's item reads the same there.
#[test]
fn an_upload_carries_the_graduates_a_workspace_keeps() {
    let Some((_cluster, url)) = initialised() else { return };
    let ws = crate::upload::workspace("中共示范大学委员会", CLASS);
    let qian = ws.members_json(&[]).iter().find(|m| m["name"] == "钱四").unwrap()["id"].to_string();
    let graduated = (0..200).fold(today(), |d, _| d.pred_opt().unwrap()).to_string();
    ws.dangan(&["transfer", "keep", "--member", &qian, "--graduated", &graduated]).assert().success();
    let before = ws.dangan(&["deadlines", "--within", "1000", "--json"]).output().unwrap();
    let out = crate::upload::upload(&url, ADMIN, &ws).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["kept_graduates"], 1, "{report:#}");
    let after = dangan(&url, ADMIN, &["deadlines", "--within", "1000", "--json"]).output().unwrap();
    let items = |out: &std::process::Output| -> serde_json::Value {
        without_numbers(serde_json::from_slice(&out.stdout).unwrap())
    };
    assert!(
        String::from_utf8_lossy(&after.stdout).contains("graduate_kept"),
        "{}\n{}",
        String::from_utf8_lossy(&after.stdout),
        String::from_utf8_lossy(&before.stdout)
    );
    assert_eq!(items(&after), items(&before));
    dangan(&url, ADMIN, &["verify"]).assert().success();
}

/// On a server each college numbers its own letters and heads them: a batch across two colleges
/// prints each letter under its own committee, and a number two colleges share is named by id.
#[test]
fn each_college_heads_and_numbers_its_own_letters_on_a_server() {
    let Some((cluster, url)) = initialised() else { return };
    crate::security::two_colleges(&cluster, &db_role(&url, ADMIN));
    let members = crate::members::members(&url, ADMIN);
    let id_of = |name: &str| members.iter().find(|m| m["name"] == name).unwrap()["id"].to_string();
    let both = format!("{},{}", id_of("成员计算第一支部"), id_of("成员数学第一支部"));
    let folder = tempfile::tempdir().unwrap();
    let pdf = folder.path().join("两院.pdf");
    let day = today().to_string();
    let args = ["transfer", "graduate", "--members", &both, "--to", "某市人才交流中心党委", "--date", &day];
    let issued =
        dangan(&url, ADMIN, &[&args[..], &["--out", pdf.to_str().unwrap(), "--json"]].concat()).output().unwrap();
    assert!(issued.status.success(), "{}", String::from_utf8_lossy(&issued.stderr));
    let issued: Vec<serde_json::Value> = serde_json::from_slice(&issued.stdout).unwrap();
    let year = &day[..4];
    assert!(issued.iter().all(|l| l["number"] == format!("{year}-001")), "each college's first: {issued:#?}");
    let text = dangan_tests::pdftotext(&pdf, false).replace(char::is_whitespace, "");
    for from in ["计算机学院党委计算第一支部", "数学学院党委数学第一支部"] {
        assert!(text.contains(from), "{from} in {text}");
    }
    assert!(!text.contains("计算机学院党委计算机学院党委"), "the branch is named below its committee");
    // `--letter 2026-001` names two letters here: refused, naming each by id.
    dangan(&url, ADMIN, &["transfer", "receipt", "--letter", &format!("{year}-001"), "--date", &day])
        .assert()
        .failure()
        .stderr(predicates::str::contains("2 letters are numbered"));
    let first = issued[0]["id"].to_string();
    dangan(&url, ADMIN, &["transfer", "receipt", "--letter", &first, "--date", &day]).assert().success();

    // A letter written in psql naming another college's committee is the member's own college's:
    // the server sets the committee, whatever a client names.
    let (second, person) = (issued[1]["id"].to_string(), issued[1]["person_id"].to_string());
    let forged = format!(
        "INSERT INTO dangan.transfer_letters (person_id, committee_id, number, destination, addressee, issued_on,
             validity_days, stage, reissue_of)
         SELECT person_id, (SELECT id FROM dangan.org_units WHERE kind = 'committee' AND id <> l.committee_id
                            AND parent_id IS NOT NULL LIMIT 1),
                '{year}-900', destination, addressee, issued_on, validity_days, stage, id
         FROM dangan.transfer_letters l WHERE l.id = {second}"
    );
    let out = cluster.psql("dangan", &db_role(&url, ADMIN), PASSPHRASE, &forged);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let committees = cluster.superuser_sql(
        "dangan",
        &format!("SELECT count(DISTINCT committee_id) FROM dangan.transfer_letters WHERE person_id = {person}"),
    );
    assert_eq!(committees.trim(), "1", "both of the member's letters are their college's");
}

/// An upload carries a workspace's transfers: its letters (received, reissued, cancelled) with
/// their codes, its applications as they were decided and by whom, its arrivals; the server lists
/// and awaits them as the workspace did, and the committee's next letter follows its numbers.
#[test]
fn an_upload_carries_a_workspaces_letters_applications_and_arrivals() {
    let Some((_cluster, url)) = initialised() else { return };
    let ws = crate::upload::workspace("中共示范大学委员会", CLASS);
    let members = ws.members_json(&[]);
    let id = |name: &str| members.iter().find(|m| m["name"] == name).unwrap()["id"].to_string();
    let day = today().to_string();
    let long_ago = (0..60).fold(today(), |d, _| d.pred_opt().unwrap()).to_string();
    let folder = tempfile::tempdir().unwrap();
    let pdf = folder.path().join("介绍信.pdf");
    let run = |args: &[&str]| {
        let out = ws.dangan(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out
    };
    let out = |member: &str, to: &str, date: &str| {
        let letter = run(&["transfer", "out", "--member", member, "--to", to, "--date", date, "--json", "--out"]
            .iter()
            .copied()
            .chain([pdf.to_str().unwrap()])
            .collect::<Vec<_>>());
        serde_json::from_slice::<serde_json::Value>(&letter.stdout).unwrap()["number"].as_str().unwrap().to_owned()
    };
    // 钱一 applied and was approved; his letter came back received.
    run(&["transfer", "apply", "--member", &id("钱一"), "--to", "中共某市委组织部", "--date", &day]);
    run(&["transfer", "approve", "--member", &id("钱一"), "--date", &day]);
    let first = out(&id("钱一"), "中共某市委组织部", &day);
    run(&["transfer", "receipt", "--letter", &first, "--date", &day]);
    // 钱二's letter expired and was reissued; 钱三's was cancelled; 钱四's application declined.
    let expired = out(&id("钱二"), "某企业党委", &long_ago);
    run(&["transfer", "reissue", "--letter", &expired, "--date", &day, "--out", pdf.to_str().unwrap()]);
    let cancelled = out(&id("钱三"), "某企业党委", &day);
    run(&["transfer", "cancel", "--letter", &cancelled, "--date", &day]);
    run(&["transfer", "apply", "--member", &id("钱四"), "--to", "别处", "--date", &day]);
    run(&["transfer", "decline", "--member", &id("钱四"), "--date", &day, "--reason", "材料不全"]);
    // 周九 arrived by letter.
    run(&["transfer", "in", "--name", "周九", "--branch", "学生第一党支部", "--from", "中共某大学委员会"]
        .iter()
        .copied()
        .chain(["--received", &day, "--joined", "2015-07-01", "--letter", "2026-015"])
        .collect::<Vec<_>>());

    let lists = |server: bool| -> Vec<serde_json::Value> {
        [
            &["transfer", "list", "--json"][..],
            &["transfer", "requests", "--all", "--json"],
            &["deadlines", "--within", "1000", "--json"],
        ]
        .iter()
        .map(|args| {
            let out = if server { dangan(&url, ADMIN, args).output() } else { ws.dangan(args).output() };
            let out = out.unwrap();
            assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
            without_numbers(serde_json::from_slice(&out.stdout).unwrap())
        })
        .collect()
    };
    let before = lists(false);
    let uploaded = crate::upload::upload(&url, ADMIN, &ws).output().unwrap();
    assert!(uploaded.status.success(), "{}", String::from_utf8_lossy(&uploaded.stderr));
    let report: serde_json::Value = serde_json::from_slice(&uploaded.stdout).unwrap();
    assert_eq!(report["transfers"], serde_json::json!({"letters": 4, "requests": 2, "arrivals": 1}), "{report:#}");
    assert_eq!(lists(true), before, "the server lists, decides and awaits them as the workspace did");
    dangan(&url, ADMIN, &["verify"]).assert().success();

    // The arrival is undone only with the person; the letter used is not used again.
    let on_server = numbers(dangan(&url, ADMIN, &["members", "--json"]).output().unwrap());
    let undo = dangan(&url, ADMIN, &["status", "undo", "--member", &on_server["周九"]]).output().unwrap();
    assert_eq!(undo.status.code(), Some(1));
    let again = ["transfer", "in", "--name", "吴十", "--branch", "学生第二党支部", "--from", "中共某大学委员会"];
    let again = dangan(&url, ADMIN, &again)
        .args(["--received", &day, "--joined", "2015-07-01", "--letter", "2026-015"])
        .output()
        .unwrap();
    assert!(!again.status.success(), "one letter brings one person");
    // The committee's next letter follows the workspace's numbers.
    let next =
        dangan(&url, ADMIN, &["transfer", "out", "--member", &on_server["钱四"], "--to", "别处", "--date", &day])
            .args(["--json", "--out", pdf.to_str().unwrap()])
            .output()
            .unwrap();
    assert!(next.status.success(), "{}", String::from_utf8_lossy(&next.stderr));
    let next: serde_json::Value = serde_json::from_slice(&next.stdout).unwrap();
    let carried: Vec<&str> = before[0].as_array().unwrap().iter().filter_map(|l| l["number"].as_str()).collect();
    let next = next["number"].as_str().unwrap();
    assert!(carried.iter().all(|n| n[..4] != next[..4] || *n < next), "{next} after {carried:?}");
}

/// Six letters issued at once by six clients of one committee take six numbers, one each, in a
/// run: the committee's numbering is locked while each takes its own.
#[test]
fn letters_issued_at_once_take_a_number_each() {
    let Some((_cluster, url)) = initialised() else { return };
    let roster: String = std::iter::once("姓名,学号工号,所在党支部,入党时间\n".to_owned())
        .chain((1..=6).map(|i| format!("同时{i},C00{i},第一党支部,2015-07-01\n")))
        .collect();
    let _ws = twin_workspace(&url, &roster);
    let members = crate::members::members(&url, ADMIN);
    let day = today().to_string();
    let folder = tempfile::tempdir().unwrap();
    let numbers: Vec<String> = std::thread::scope(|scope| {
        let issuing: Vec<_> = members
            .iter()
            .map(|m| {
                let (id, pdf) = (m["id"].to_string(), folder.path().join(format!("{}.pdf", m["id"])));
                let day = &day;
                let url = &url;
                scope.spawn(move || {
                    let args = ["transfer", "out", "--member", &id, "--to", "某企业党委", "--date", day, "--json"];
                    let out = dangan(url, ADMIN, &args).arg("--out").arg(&pdf).output().unwrap();
                    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
                    let letter: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                    letter["number"].as_str().unwrap().to_owned()
                })
            })
            .collect();
        issuing.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let mut numbers = numbers;
    numbers.sort();
    let year = &day[..4];
    let expected: Vec<String> = (1..=6).map(|n| format!("{year}-{n:03}")).collect();
    assert_eq!(numbers, expected);
}
