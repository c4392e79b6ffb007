//! The democratic appraisal on a server (schema version 11): opened, voted, graded and closed with
//! the workspace's rules and words for the same people, each grade filed in its member's file, an
//! unsatisfactory member's correction an item of the deadlines until it ends, counted by the
//! annual report; a branch's appraisal its own users' only, in raw SQL too.

use dangan_core::calendar::today;
use dangan_tests::PASSPHRASE;

use crate::dues::{Twins, numbers};
use crate::security::db_role;
use crate::setup::{ADMIN, dangan, initialised, twin_workspace};

const ROSTER: &str = "姓名,学号工号,所在党支部,入党时间,性别
王五,T001,第一党支部,2010-07-01,男
赵六,T002,第一党支部,2012-07-01,女
孙七,T003,第一党支部,2014-07-01,男
李四,T004,第二党支部,2015-07-01,女
";

#[test]
fn an_appraisal_on_a_server_is_kept_and_worded_as_a_workspaces_within_each_branch() {
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
    let (year, day) = (today().format("%Y").to_string(), today().to_string());
    let which = ["--branch", "第一党支部", "--year", year.as_str()];
    let run = |verb: &str, extra: &[&str]| {
        let args: Vec<&str> = ["appraisal", verb].into_iter().chain(which).chain(extra.iter().copied()).collect();
        twins.run(ADMIN, &args)
    };
    let ok = |out: std::process::Output| assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let refused = |out: std::process::Output| assert_eq!(out.status.code(), Some(1));

    ok(run("open", &["--json"]));
    refused(run("open", &[]));
    ok(run("step", &["--step", "study", "--date", &day]));
    refused(run("step", &["--step", "nonsense", "--date", &day]));
    // The vote from a sheet: a row past the ballots is named and records nothing; then the good one.
    let bad = ws.write_csv("bad.csv", "姓名,优秀,合格,基本合格,不合格\n王五,3,1,0,0\n赵六,9,0,0,0\n");
    refused(run("votes", &["--ballots", "4", "--import", bad.to_str().unwrap()]));
    let good = ws.write_csv("votes.csv", "姓名,优秀,合格,基本合格,不合格\n王五,3,1,0,0\n赵六,1,3,0,0\nT003,0,1,2,1\n");
    ok(run("votes", &["--ballots", "4", "--import", good.to_str().unwrap(), "--json"]));
    ok(run("votes", &["--ballots", "4", "--member", "{赵六}", "--qualified", "4", "--json"]));
    // Grades: at most a third excellent (第十八条), 不合格 with its reason; not closed while one
    // has none.
    ok(run("grade", &["--member", "{王五}", "--grade", "优秀"]));
    refused(run("grade", &["--member", "{赵六}", "--grade", "excellent"]));
    ok(run("grade", &["--member", "{赵六}", "--grade", "合格"]));
    refused(run("grade", &["--member", "{孙七}", "--grade", "不合格"]));
    refused(run("close", &[]));
    ok(run("grade", &["--member", "{孙七}", "--grade", "不合格", "--reason", "长期不参加组织生活"]));
    ok(run("close", &["--date", &day, "--json"]));
    refused(run("grade", &["--member", "{王五}", "--grade", "合格"]));
    ok(run("show", &["--json"]));
    ok(run("show", &[]));
    ok(twins.run(ADMIN, &["appraisal", "list", "--year", &year]));
    ok(twins.run(ADMIN, &["appraisal", "results", "--year", &year]));

    // Each grade is in its member's file; 孙七's correction is an item of the deadlines; the
    // annual report counts the grades.
    ok(twins.run(ADMIN, &["records", "--member", "{王五}"]));
    let items = twins.run(ADMIN, &["deadlines", "--owed-by", "member", "--json"]);
    let items: Vec<serde_json::Value> = serde_json::from_slice(&items.stdout).unwrap();
    assert!(items.iter().any(|i| i["name"] == "孙七" && i["rule"] == "appraisal_correction"), "{items:#?}");
    let annual = twins.run(ADMIN, &["report", "annual", "--year", &year, "--json"]);
    let annual: serde_json::Value = serde_json::from_slice(&annual.stdout).unwrap();
    let table = annual["tables"].as_array().unwrap().iter().find(|t| t["id"] == "appraisal").unwrap();
    assert_eq!(table["rows"][0]["values"], serde_json::json!([1, 1, 0, 1]), "{table:#}");
    // The record a close filed keeps its grade and day: it is not deleted, nor its grade changed.
    let address: dangan_core::server::ServerAddress = url.parse().unwrap();
    let mut admin = dangan_core::server::ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    let wang: i64 = twins.on_server["王五"].parse().unwrap();
    let filed = admin.records(wang).unwrap().into_iter().find(|r| r.fields.grade.is_some()).expect("filed");
    let refused_change = admin.delete_record(filed.id.unwrap()).unwrap_err();
    assert!(refused_change.text().en.contains("filed by the appraisal"), "{refused_change:?}");
    let regraded = dangan_core::domain::FileRecord {
        fields: dangan_core::domain::RecordFields {
            grade: Some(dangan_core::domain::Grade::Qualified),
            ..filed.fields.clone()
        },
        ..filed.clone()
    };
    assert!(admin.save_record(regraded, &[]).is_err());
    let kept = admin.records(wang).unwrap().into_iter().find(|r| r.id == filed.id).unwrap();
    assert_eq!(kept.fields.grade, Some(dangan_core::domain::Grade::Excellent));
    ok(run("correction", &["--member", "{孙七}", "--outcome", "corrected", "--date", &day]));
    refused(run("correction", &["--member", "{孙七}", "--outcome", "corrected", "--date", &day]));

    // The second branch's secretary sees none of it, in raw SQL neither, and opens only theirs.
    dangan(&url, "周书记", &["appraisal", "show", "--branch", "第一党支部", "--year", &year]).assert().failure();
    let count = |sql: &str| {
        let out = cluster.psql("dangan", &db_role(&url, "周书记"), PASSPHRASE, sql);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    assert_eq!(count("SELECT count(*) FROM dangan.appraisals"), "0");
    assert_eq!(count("SELECT count(*) FROM dangan.appraisal_members"), "0");
    // 周九, admitted two months ago, a probationary member of 第二党支部: part of its appraisal,
    // not graded (条例第十八条).
    let admitted = today() - chrono::Days::new(60);
    let months_before = |n: u32| admitted - chrono::Months::new(n);
    let probationer = format!(
        "姓名,学号工号,所在党支部,申请入党日期,确定积极分子日期,确定发展对象日期,接收预备党员日期,审批日期\n\
         周九,T009,第二党支部,{},{},{},{admitted},{}\n",
        months_before(33),
        months_before(27),
        months_before(15),
        admitted + chrono::Days::new(19),
    );
    let probationer = ws.write_csv("probationer.csv", &probationer);
    dangan(&url, ADMIN, &["import", probationer.to_str().unwrap()]).assert().success();
    let zhou = numbers(dangan(&url, ADMIN, &["members", "--json"]).output().unwrap())["周九"].clone();
    dangan(&url, "周书记", &["appraisal", "open", "--branch", "第二党支部", "--year", &year]).assert().success();
    assert_eq!(count("SELECT count(*) FROM dangan.appraisal_members"), "2");
    // 李四 moves to 第一党支部 before being graded: her secretary no longer sees her, and closing
    // without her would leave her appraisal unfiled for good. Refused, saying who can close it.
    let li = twins.on_server["李四"].clone();
    dangan(&url, ADMIN, &["transfer", "move", "--member", &li, "--to", "第一党支部"]).assert().success();
    let second = ["--branch", "第二党支部", "--year", year.as_str()];
    let close = |user: &str| {
        let args: Vec<&str> =
            ["appraisal", "close"].into_iter().chain(second).chain(["--date", day.as_str()]).collect();
        dangan(&url, user, &args).output().unwrap()
    };
    let refused_close = close("周书记");
    assert_eq!(refused_close.status.code(), Some(1));
    let said = String::from_utf8_lossy(&refused_close.stderr);
    assert!(said.contains("1 member(s) of this appraisal have moved to branches you cannot see"), "{said}");
    // The administrator, who sees her, is told she has no grade yet, as a workspace says it.
    let by_admin = close(ADMIN);
    assert!(String::from_utf8_lossy(&by_admin.stderr).contains("李四"), "{by_admin:?}");

    // The year's results as a workbook, and the ballot as a PDF, written as a workspace writes them.
    let out_dir = tempfile::tempdir().unwrap();
    let book = out_dir.path().join("评议结果.xlsx");
    dangan(&url, ADMIN, &["appraisal", "results", "--year", &year, "--out", book.to_str().unwrap()]).assert().success();
    assert!(std::fs::read(&book).unwrap().starts_with(b"PK"));
    let ballots = out_dir.path().join("测评表.pdf");
    dangan(
        &url,
        ADMIN,
        &["appraisal", "ballots", "--branch", "第二党支部", "--year", &year, "--out", ballots.to_str().unwrap()],
    )
    .assert()
    .success();
    let text: String = dangan_tests::pdftotext(&ballots, false).chars().filter(|c| !c.is_whitespace()).collect();
    assert!(text.contains("民主测评表") && text.contains("李四"), "{text}");

    // 李四 comes back and is graded; 周九, probationary, moves to 第一党支部, out of the secretary's
    // sight. Nothing of the close is owed to an ungraded member, so the secretary closes it.
    dangan(&url, ADMIN, &["transfer", "move", "--member", &li, "--to", "第二党支部"]).assert().success();
    dangan(&url, ADMIN, &["transfer", "move", "--member", &zhou, "--to", "第一党支部"]).assert().success();
    dangan(
        &url,
        "周书记",
        &["appraisal", "grade", "--branch", "第二党支部", "--year", &year, "--member", &li, "--grade", "合格"],
    )
    .assert()
    .success();
    let closed = close("周书记");
    assert!(closed.status.success(), "{}", String::from_utf8_lossy(&closed.stderr));
    dangan(&url, ADMIN, &["verify"]).assert().success();
}

#[test]
fn a_workspaces_appraisals_move_onto_the_server_with_it_and_read_there_as_they_did() {
    let Some((_cluster, url)) = initialised() else { return };
    let ws = crate::upload::workspace("中共示范大学委员会", ROSTER);
    let year = today().format("%Y").to_string();
    let members = ws.members_json(&[]);
    let id = |name: &str| members.iter().find(|m| m["name"] == name).unwrap()["id"].to_string();
    let which = ["--branch", "第一党支部", "--year", year.as_str()];
    let run = |verb: &str, extra: &[&str]| {
        let args: Vec<&str> = ["appraisal", verb].into_iter().chain(which).chain(extra.iter().copied()).collect();
        let out = ws.dangan(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    run("open", &[]);
    run("votes", &["--ballots", "3", "--member", &id("王五"), "--excellent", "2", "--qualified", "1"]);
    run("grade", &["--member", &id("王五"), "--grade", "优秀"]);
    run("grade", &["--member", &id("赵六"), "--grade", "合格"]);
    run("grade", &["--member", &id("孙七"), "--grade", "不合格", "--reason", "长期不参加组织生活"]);
    run("close", &[]);
    let read_back: [&[&str]; 3] = [
        &["appraisal", "show", "--branch", "第一党支部", "--year", &year],
        &["appraisal", "results", "--year", &year],
        &["deadlines", "--owed-by", "member"],
    ];
    let before: Vec<String> =
        read_back.iter().map(|args| String::from_utf8(ws.dangan(args).output().unwrap().stdout).unwrap()).collect();

    let out = crate::upload::upload(&url, ADMIN, &ws).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["appraisals"], 1);
    let after: Vec<String> = read_back
        .iter()
        .map(|args| {
            let out = dangan(&url, ADMIN, args).output().unwrap();
            assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8(out.stdout).unwrap()
        })
        .collect();
    assert_eq!(after, before);
    // The record the close filed is 王五's on the server too, and keeps its grade there.
    let wang: i64 = numbers(dangan(&url, ADMIN, &["members", "--json"]).output().unwrap())["王五"].parse().unwrap();
    let address: dangan_core::server::ServerAddress = url.parse().unwrap();
    let mut admin = dangan_core::server::ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    let filed = admin.records(wang).unwrap().into_iter().find(|r| r.fields.grade.is_some()).expect("filed");
    assert_eq!(filed.fields.grade, Some(dangan_core::domain::Grade::Excellent));
    assert!(admin.delete_record(filed.id.unwrap()).is_err(), "a filed grade stays after the upload too");
    dangan(&url, ADMIN, &["verify"]).assert().success();
}
