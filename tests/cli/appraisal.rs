//! The democratic appraisal from the command line (`dangan appraisal`): a branch's appraisal is
//! opened, its ballot printed and read back, the vote imported from a sheet, grades decided (a
//! grade past the third refused naming its article, exit non-zero), the appraisal closed with
//! each grade in its member's file, and the year's results printed and exported.

use dangan_tests::{TestWorkspace, pdftotext};
use predicates::prelude::*;

fn office() -> (TestWorkspace, Vec<String>) {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv(
        "roster.csv",
        "姓名,学号工号,所在党支部,入党时间,性别\n王五,T001,第一党支部,2010-07-01,男\n赵六,T002,第一党支部,2012-07-01,女\n孙七,T003,第一党支部,2014-07-01,男\n",
    );
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let members = ws.members_json(&[]);
    let id = |name: &str| members.iter().find(|m| m["name"] == name).unwrap()["id"].to_string();
    let ids = vec![id("王五"), id("赵六"), id("孙七")];
    (ws, ids)
}

#[test]
fn a_branch_is_appraised_from_ballot_to_results_and_a_grade_past_the_third_is_refused_naming_article_18() {
    let (ws, ids) = office();
    let year = dangan_core::calendar::today().format("%Y").to_string();
    let which = ["--branch", "第一党支部", "--year", year.as_str()];
    let with = |verb: &str, extra: &[&str]| {
        let mut args = vec!["appraisal", verb];
        args.extend_from_slice(&which);
        args.extend_from_slice(extra);
        ws.dangan(&args)
    };
    with("open", &[]).assert().success().stdout(predicate::str::contains("第一党支部"));
    with("open", &[]).assert().failure().stderr(predicate::str::contains("第一党支部"));

    let ballots = ws.file("测评表.pdf");
    with("ballots", &["--out", ballots.to_str().unwrap()]).assert().success();
    let text: String = pdftotext(&ballots, false).chars().filter(|c| !c.is_whitespace()).collect();
    assert!(text.contains("民主测评表") && text.contains("计票表"), "{text}");
    assert_eq!(text.matches("赵六").count(), 2, "on the ballot and the tally sheet: {text}");

    // The vote from a sheet: a row past the ballots names its row and records nothing.
    let bad = ws.write_csv("bad.csv", "姓名,优秀,合格,基本合格,不合格\n王五,3,1,0,0\n赵六,9,0,0,0\n");
    with("votes", &["--ballots", "4", "--import", bad.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("row 3").or(predicate::str::contains("第 3 行")));
    let sheet = ws.write_csv("votes.csv", "姓名,优秀,合格,基本合格,不合格\n王五,3,1,0,0\n赵六,1,3,0,0\nT003,0,1,2,1\n");
    let out = with("votes", &["--ballots", "4", "--import", sheet.to_str().unwrap(), "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let appraisal: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(appraisal["ballots_cast"], 4);
    let proposed: Vec<&str> =
        appraisal["participants"].as_array().unwrap().iter().map(|p| p["proposed"].as_str().unwrap()).collect();
    assert!(proposed.contains(&"excellent") && proposed.contains(&"basically_qualified"), "{proposed:?}");

    // Three graded: at most one excellent without a reason.
    with("grade", &["--member", &ids[0], "--grade", "优秀"]).assert().success();
    with("grade", &["--member", &ids[1], "--grade", "excellent"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("Article 18").or(predicate::str::contains("第十八条")));
    with("grade", &["--member", &ids[1], "--grade", "satisfactory"]).assert().success();
    // Not closed while 孙七 has no grade.
    with("close", &[]).assert().failure().stderr(predicate::str::contains("孙七"));
    with("grade", &["--member", &ids[2], "--grade", "basic"]).assert().success();
    with("close", &[]).assert().success();

    // The grade is in the member's file; the year's results print and export.
    ws.dangan(&["records", "--member", &ids[0]])
        .assert()
        .success()
        .stdout(predicate::str::contains("民主评议").or(predicate::str::contains("appraisal")));
    let out = ws.dangan(&["appraisal", "results", "--year", &year, "--json"]).output().unwrap();
    let results: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let wang = results[0]["participants"].as_array().unwrap().iter().find(|p| p["name"] == "王五").unwrap();
    assert_eq!(wang["grade"], "excellent");
    let xlsx = ws.file("评议结果.xlsx");
    ws.dangan(&["appraisal", "results", "--year", &year, "--out", xlsx.to_str().unwrap()]).assert().success();
    assert!(std::fs::metadata(&xlsx).unwrap().len() > 0);
    let pdf = ws.file("结果.pdf");
    // A results sheet is a branch's: without --branch, asked for as a PDF, refused.
    ws.dangan(&["appraisal", "results", "--year", &year, "--out", pdf.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--branch"));
    with("results", &["--out", pdf.to_str().unwrap()]).assert().success();
    let text: String = pdftotext(&pdf, false).chars().filter(|c| !c.is_whitespace()).collect();
    assert!(text.contains("民主评议党员结果") && text.contains("基本合格"), "{text}");
}
