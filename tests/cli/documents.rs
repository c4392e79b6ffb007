//! The procedure's documents from the command line (`dangan doc`): the list as JSON (a public
//! interface), a batch notice made for a selection of people as .docx, opened by LibreOffice, and
//! as PDF; an office's own wording loaded and a broken one refused, naming its line.

use dangan_tests::{TestWorkspace, docx_table_rows, libreoffice_text, libreoffice_texts, pdftotext};
use predicates::prelude::*;

/// Three activists of one branch and an applicant.
fn office() -> TestWorkspace {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv(
        "roster.csv",
        "姓名,学号工号,所在党支部,递交入党申请书日期,确定积极分子日期\n\
         张三,2024001,第一党支部,2024-03-01,2024-09-10\n\
         李四,2024002,第一党支部,2024-03-02,2024-09-10\n\
         王五,2024003,第一党支部,2024-03-03,2024-09-10\n\
         赵六,2024004,第一党支部,2026-10-08,\n",
    );
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    ws
}

fn ids(ws: &TestWorkspace, stage: &str) -> Vec<String> {
    ws.members_json(&["--stage", stage]).iter().map(|m| m["id"].to_string()).collect()
}

#[test]
fn a_selection_makes_one_notice_with_a_table_that_libreoffice_opens() {
    let ws = office();
    let out = ws.dangan(&["doc", "list", "--json"]).output().unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let publicity = list.as_array().unwrap().iter().find(|d| d["id"] == "candidate_publicity").unwrap();
    assert_eq!((publicity["stage"].as_str(), publicity["batch"].as_bool()), (Some("activist"), Some(true)));
    assert!(publicity["title"].as_str().unwrap().contains("公示"));
    assert!(list.as_array().unwrap().iter().any(|d| d["batch"] == false), "one-person forms too");

    let activists = ids(&ws, "activist");
    assert_eq!(activists.len(), 3);
    let docx = ws.file("公示.docx");
    ws.dangan(&[
        "doc",
        "make",
        "candidate_publicity",
        "--members",
        &activists.join(","),
        "--date",
        "2026-11-24",
        "--out",
        docx.to_str().unwrap(),
    ])
    .assert()
    .success()
    .stdout(predicate::str::contains("3 people"))
    .stderr(predicate::str::contains("holidays are not entered"));
    let text = libreoffice_text(&docx);
    for expected in ["关于拟确定3名同志为发展对象的公示", "张三", "李四", "王五", "2024年9月10日", "2026年11月30日"]
    {
        assert!(text.contains(expected), "{expected} in {text}");
    }

    // The same people by filter, as PDF.
    let pdf = ws.file("公示.pdf");
    ws.dangan(&[
        "doc",
        "make",
        "candidate_publicity",
        "--stage",
        "activist",
        "--branch",
        "第一党支部",
        "--out",
        pdf.to_str().unwrap(),
    ])
    .assert()
    .success();
    let text = pdftotext(&pdf, true);
    assert!(text.contains("张三") && text.contains("王五") && !text.contains("赵六"), "{text}");

    // The applicant is not a development target's subject; nothing is written.
    let applicant = ids(&ws, "applicant");
    let refused = ws.file("refused.docx");
    ws.dangan(&["doc", "make", "candidate_publicity", "--member", &applicant[0], "--out", refused.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("赵六").and(predicate::str::contains("Applicant")));
    assert!(!refused.exists());
}

#[test]
fn an_office_template_is_loaded_used_and_reset_and_a_broken_one_is_refused_by_line() {
    let ws = office();
    let out = ws.dangan(&["doc", "templates", "show", "applicant_talk_record"]).output().unwrap();
    let shipped = String::from_utf8(out.stdout).unwrap();
    let own = ws.file("谈话记录.jinja");
    std::fs::write(&own, shipped.replace("# 入党申请人谈话记录", "# 本院入党谈话记录")).unwrap();
    ws.dangan(&["doc", "templates", "load", own.to_str().unwrap()]).assert().success();
    let applicant = ids(&ws, "applicant");
    let docx = ws.file("谈话.docx");
    ws.dangan(&["doc", "make", "applicant_talk_record", "--member", &applicant[0], "--out", docx.to_str().unwrap()])
        .assert()
        .success();
    assert!(libreoffice_text(&docx).contains("本院入党谈话记录"));

    let broken = ws.file("坏模板.jinja");
    std::fs::write(&broken, shipped.replace("< 谈话地点：", "< 谈话地点：{% if %}")).unwrap();
    let line = shipped.lines().position(|l| l.starts_with("< 谈话地点")).unwrap() + 1;
    ws.dangan(&["doc", "templates", "load", broken.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains(format!("line {line}")));
    ws.dangan(&["doc", "templates", "reset", "applicant_talk_record"]).assert().success();
    ws.dangan(&["doc", "list"]).assert().success().stdout(predicate::str::contains("the office's own").not());
}

/// The people of a notice take the step together: `step add --selection` records it for all of
/// them, or, when one is refused, for none, naming who and why.
#[test]
fn a_publicity_is_recorded_as_a_step_for_the_whole_selection_or_for_no_one() {
    let ws = office();
    let activists = ids(&ws, "activist");
    let applicant = ids(&ws, "applicant");
    let with_applicant = format!("{},{}", activists.join(","), applicant[0]);
    ws.dangan(&[
        "step",
        "add",
        "--kind",
        "candidate_publicity",
        "--date",
        "2026-11-24",
        "--selection",
        &with_applicant,
    ])
    .assert()
    .failure()
    .stderr(predicate::str::contains("赵六"));
    let recorded = |id: &str| {
        let out = ws.dangan(&["step", "list", "--member", id, "--json"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).contains("candidate_publicity")
    };
    assert!(activists.iter().all(|id| !recorded(id)), "refused for one, recorded for none");
    ws.dangan(&[
        "step",
        "add",
        "--kind",
        "candidate_publicity",
        "--date",
        "2026-11-24",
        "--selection",
        &activists.join(","),
    ])
    .assert()
    .success()
    .stdout(predicate::str::contains("张三").and(predicate::str::contains("王五")));
    assert!(activists.iter().all(|id| recorded(id)));
}

/// `doc make --record-step` records the step the notice starts (its publicity) for everyone in it,
/// dated the notice's date; refused for one, it records it for no one and writes no file.
#[test]
fn making_a_publicity_with_record_step_records_it_for_everyone_or_writes_nothing() {
    let ws = office();
    let activists = ids(&ws, "activist");
    let out = ws.file("发展对象公示.docx");
    let make = |date: &str| {
        let mut cmd = ws.dangan(&["doc", "make", "candidate_publicity", "--stage", "activist", "--date", date]);
        cmd.args(["--record-step", "--out", out.to_str().unwrap()]);
        cmd
    };
    let recorded = |id: &str| {
        let out = ws.dangan(&["step", "list", "--member", id, "--json"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).contains("candidate_publicity")
    };
    // Before they were made activists (2024-09-10): refused, each named; nothing recorded or written.
    make("2024-09-01")
        .assert()
        .failure()
        .stderr(predicate::str::contains("张三").and(predicate::str::contains("王五")));
    assert!(!out.exists(), "a refused step writes no file");
    assert!(activists.iter().all(|id| !recorded(id)));

    make("2026-11-24").assert().success().stdout(predicate::str::contains("Recorded the step it starts for 3 people"));
    assert!(libreoffice_text(&out).contains("李四"));
    assert!(activists.iter().all(|id| recorded(id)));
}

/// One person at each stage of the procedure, under `rules`.
fn everyone(rules: &str) -> TestWorkspace {
    let ws = TestWorkspace::new();
    ws.dangan(&["init", "--committee", "中共测试大学委员会", "--rules", rules]).assert().success();
    let roster = ws.write_csv(
        "roster.csv",
        "姓名,学号工号,所在党支部,递交入党申请书日期,谈话日期,确定积极分子日期,指定培养联系人日期,\
         发展对象公示日期,确定发展对象日期,政审日期,集中培训日期,预审通过日期,接收预备党员日期,审批日期,入党宣誓日期\n\
         赵六,2026004,第一党支部,2026-10-08,2026-10-20,,,,,,,,,,\n\
         张三,2024001,第一党支部,2024-03-01,2024-03-20,2024-09-10,2024-09-10,,,,,,,,\n\
         李四,2023002,第一党支部,2023-03-01,2023-03-15,2023-09-01,2023-09-01,2024-09-02,2024-09-10,2024-10-10,2024-10-20,,,,\n\
         王五,2022003,第一党支部,2022-03-01,2022-03-15,2022-09-01,2022-09-01,2023-09-04,2023-09-12,2023-10-10,2023-10-20,2023-11-10,2025-11-20,2025-12-10,2025-12-20\n",
    );
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    ws
}

/// Issue 19's done-when: every document, under each rule set, made about a person of its stage,
/// reads back from the .docx (its words, its article, its table) and from the PDF, and LibreOffice
/// opens every .docx.
#[test]
fn every_document_under_each_rule_set_reads_back_from_docx_and_pdf_and_opens_in_libreoffice() {
    for rules in ["cpc-2014", "cpc-2026"] {
        let ws = everyone(rules);
        let out = ws.dangan(&["doc", "list", "--json"]).output().unwrap();
        let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(list.len(), 10, "{rules}: the ten documents of the procedure");
        let mut made = Vec::new();
        for doc in &list {
            let id = doc["id"].as_str().unwrap();
            let stage = doc["stage"].as_str().unwrap_or("applicant");
            let member = ws.members_json(&["--stage", stage]).pop().unwrap_or_else(|| panic!("someone at {stage}"));
            let (member_id, name) = (member["id"].to_string(), member["name"].as_str().unwrap().to_owned());
            let docx = ws.file(&format!("{rules}-{id}.docx"));
            let pdf = ws.file(&format!("{rules}-{id}.pdf"));
            for file in [&docx, &pdf] {
                ws.dangan(&["doc", "make", id, "--members", &member_id, "--out", file.to_str().unwrap()])
                    .assert()
                    .success();
            }
            if doc["batch"] == true {
                assert_eq!(docx_table_rows(&docx), 2, "{rules} {id}: a header row and {name}'s");
            }
            let printed = pdftotext(&pdf, false);
            assert!(printed.contains(&name), "{rules} {id}: {name} in the PDF: {printed}");
            made.push((docx, doc["clause"].as_str().unwrap().to_owned(), name));
        }
        let docs: Vec<&std::path::Path> = made.iter().map(|(docx, ..)| docx.as_path()).collect();
        for ((docx, clause, name), text) in made.iter().zip(libreoffice_texts(&docs)) {
            assert!(text.contains(name) && text.contains(clause), "{}: {name}, {clause} in {text}", docx.display());
        }
    }
}
