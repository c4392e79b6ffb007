//! Transfers by introduction letter from the command line (`dangan transfer`): a letter is issued
//! and written as a PDF a worker prints (three parts under one number), the member leaves the
//! working list, a second letter for them is refused naming the first, the receipt closes it, and a
//! letter written inside the workspace is refused before anything changes.

use dangan_tests::{PASSPHRASE, TestWorkspace, pdftotext};
use predicates::prelude::*;

fn office() -> (TestWorkspace, String) {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv(
        "roster.csv",
        "姓名,学号工号,所在党支部,入党时间,性别\n王五,T001,第一党支部,2010-07-01,男\n赵六,T002,第一党支部,2012-07-01,女\n",
    );
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let wang = ws.members_json(&[]).iter().find(|m| m["name"] == "王五").unwrap()["id"].to_string();
    (ws, wang)
}

fn letters(ws: &TestWorkspace, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["transfer", "list", "--json"];
    all.extend_from_slice(args);
    let out = ws.dangan(&all).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_letter_is_printed_takes_the_member_off_the_list_and_is_closed_by_its_receipt() {
    let (ws, wang) = office();
    let today = dangan_core::calendar::today().to_string();
    let pdf = ws.file("介绍信.pdf");
    ws.dangan(&[
        "transfer",
        "out",
        "--member",
        &wang,
        "--to",
        "中共某大学委员会",
        "--date",
        &today,
        "--out",
        pdf.to_str().unwrap(),
    ])
    .assert()
    .success()
    .stdout(predicate::str::contains("王五"));

    let text: String = pdftotext(&pdf, false).chars().filter(|c| !c.is_whitespace()).collect();
    let open = letters(&ws, &["--open"]);
    assert_eq!(open.len(), 1, "{open:?}");
    let number = open[0]["number"].as_str().unwrap().to_owned();
    assert_eq!(text.matches(&format!("第{number}号")).count(), 3, "counterfoil, letter and receipt:\n{text}");
    assert!(text.contains("兹介绍王五同志"), "{text}");
    assert!(text.contains("转往中共某大学委员会"), "{text}");

    // Out of the working list, still in the register of all.
    let names: Vec<String> = ws.members_json(&[]).iter().map(|m| m["name"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names, ["赵六"]);
    let all = ws.members_json(&["--all"]);
    assert_eq!(all.iter().find(|m| m["name"] == "王五").unwrap()["status"], "transferred_out");

    // A second letter names the first.
    ws.dangan(&["transfer", "out", "--member", &wang, "--to", "别处", "--date", &today, "--out", "/dev/null"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(number.as_str()));
    assert_eq!(letters(&ws, &[]).len(), 1, "the refused letter was not kept");

    // Its receipt is awaited: an item of `dangan deadlines` naming 王五, until it is recorded.
    let receipt_items = || -> Vec<serde_json::Value> {
        let out = ws.dangan(&["deadlines", "--json"]).output().unwrap();
        let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        items.into_iter().filter(|i| i["rule"] == "transfer_receipt").collect()
    };
    let awaited = receipt_items();
    assert!(awaited.len() == 1 && awaited[0].to_string().contains("王五"), "{awaited:?}");

    // The day it was issued is the earliest a receipt can come back.
    ws.dangan(&["transfer", "receipt", "--letter", &number, "--date", &today]).assert().success();
    assert!(letters(&ws, &["--open"]).is_empty());
    assert!(receipt_items().is_empty(), "the receipt closes its item");
    let all = letters(&ws, &[]);
    assert_eq!(all[0]["state"], "received");
    assert_eq!(all[0]["receipt_on"], today.as_str());
    // A received letter cannot be cancelled.
    ws.dangan(&["transfer", "cancel", "--letter", &number, "--date", &today])
        .assert()
        .failure()
        .stderr(predicate::str::contains("received"));
}

#[test]
fn a_letter_written_into_the_workspace_is_refused_and_nothing_is_issued() {
    let (ws, wang) = office();
    let today = dangan_core::calendar::today().to_string();
    let inside = ws.dir().join("介绍信.pdf");
    ws.dangan(&["transfer", "out", "--member", &wang, "--to", "中共某大学委员会", "--date", &today])
        .arg("--out")
        .arg(&inside)
        .assert()
        .failure()
        .stderr(predicate::str::contains("workspace"));
    assert!(!inside.exists());
    assert!(letters(&ws, &[]).is_empty());
    assert_eq!(ws.members_json(&[]).len(), 2, "the member is still in the register");
    // A folder that does not exist: found before the letter is issued, so none is.
    let nowhere = ws.file("不存在的文件夹").join("介绍信.pdf");
    ws.dangan(&["transfer", "out", "--member", &wang, "--to", "中共某大学委员会", "--date", &today])
        .arg("--out")
        .arg(&nowhere)
        .assert()
        .failure();
    assert!(letters(&ws, &[]).is_empty(), "no letter issued without its file");
    assert_eq!(ws.members_json(&[]).len(), 2);
}

#[test]
fn an_arriving_member_is_registered_with_their_dates_and_owes_their_conversion() {
    let (ws, _) = office();
    let arrive = |extra: &[&str]| {
        let mut args = vec![
            "transfer",
            "in",
            "--name",
            "周九",
            "--branch",
            "第一党支部",
            "--from",
            "中共某大学委员会",
            "--received",
            "2026-09-05",
            "--applied",
            "2023-10-08",
            "--activist",
            "2024-04-10",
            "--candidate",
            "2025-05-12",
            "--admitted",
            "2026-06-20",
        ];
        args.extend_from_slice(extra);
        ws.dangan(&args)
    };
    // A material the checklist does not know: refused, naming the field, no one registered.
    arrive(&["--letter", "2026-015", "--materials", "入党誓词本"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no material `入党誓词本`"));
    assert_eq!(ws.members_json(&[]).len(), 2);

    // 入党志愿书 came with them, named as the office names it.
    let materials = "application_letter,入党志愿书,admission_resolution";
    let out = arrive(&["--letter", "2026-015", "--materials", materials, "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let page: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(page["stage"], "probationary");
    assert_eq!(page["status"], "in_register");
    assert_eq!(page["arrival"]["origin"], "中共某大学委员会");
    assert_eq!(page["arrival"]["letter_number"], "2026-015");
    let id = page["person"]["id"].to_string();

    let out = ws.dangan(&["deadlines", "--json"]).output().unwrap();
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let conversion = items.iter().find(|i| i["name"] == "周九" && i["rule"] == "conversion_due");
    let due = conversion.expect("the conversion is owed from the admission elsewhere")["due"].as_str().unwrap();
    assert!(due.starts_with("2027-06"), "a year's probation from 2026-06-20: {due}");

    // What came is on file; what the steps call for and did not come is missing.
    ws.dangan(&["records", "--member", &id])
        .assert()
        .success()
        .stdout(predicate::str::contains("present"))
        .stdout(predicate::str::contains("missing"));
    let out = ws.dangan(&["records", "--member", &id, "--json"]).output().unwrap();
    let file: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let form = file["checklist"].as_array().unwrap().iter().find(|l| l["material"] == "membership_form").cloned();
    let form = form.expect("入党志愿书 is on the checklist");
    assert_eq!(form["records"].as_array().map(Vec::len), Some(1), "入党志愿书 came and is on file: {file}");
    // The arrival is not a change to take back.
    ws.dangan(&["status", "undo", "--member", &id]).assert().failure();

    // The same person again under a reissued letter: refused, saying how to register a namesake.
    arrive(&["--letter", "2026-031"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("2026-015"))
        .stderr(predicate::str::contains("--another-person"));
    assert_eq!(ws.members_json(&[]).len(), 3);
    arrive(&["--letter", "2026-031", "--another-person"]).assert().success();
    assert_eq!(ws.members_json(&[]).len(), 4);
}

#[test]
fn a_member_who_arrives_is_not_counted_absent_from_organisational_life_before_arriving() {
    let (ws, _) = office();
    ws.dangan(&["meetings", "track", "--unit", "第一党支部", "--from", "2025-01-01"]).assert().success();
    let received = (0..10).fold(dangan_core::calendar::today(), |d, _| d.pred_opt().unwrap()).to_string();
    ws.dangan(&["transfer", "in", "--name", "郑十", "--branch", "第一党支部", "--from", "中共某大学委员会"])
        .args(["--received", &received, "--joined", "2010-07-01"])
        .assert()
        .success();
    let out = ws.dangan(&["deadlines", "--json"]).output().unwrap();
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let absent = |name: &str| items.iter().any(|i| i["name"] == name && i["rule"] == "party_life");
    // 王五 has been in the branch since its life was tracked and never attended; 郑十 came ten
    // days ago, from a branch whose meetings are not this one's.
    assert!(absent("王五"), "{items:#?}");
    assert!(!absent("郑十"), "{items:#?}");
}

#[test]
fn a_letter_used_in_another_branch_is_refused_without_naming_who_came_with_it() {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv(
        "roster.csv",
        "姓名,学号工号,所在党支部,入党时间\n王五,T001,第一党支部,2010-07-01\n孙七,T003,第二党支部,2014-07-01\n",
    );
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    ws.dangan(&["users", "add", "孙书记", "--role", "branch_secretary", "--branch", "第二党支部"])
        .env("DANGAN_NEW_PASSPHRASE", "孙书记-passphrase")
        .assert()
        .success();
    let arrive = |name: &str, branch: &str| {
        let mut cmd = ws.dangan(&["transfer", "in", "--name", name, "--branch", branch, "--from", "中共某大学委员会"]);
        cmd.args(["--received", "2026-09-05", "--joined", "2015-07-01", "--letter", "2026-015"]);
        cmd
    };
    arrive("周九", "第一党支部").assert().success();
    // The administrator sees 周九 and is told who came with the letter; the secretary of 第二党支部
    // does not see 第一党支部's people and is told only that the letter was used.
    arrive("吴十", "第一党支部").assert().failure().stderr(predicate::str::contains("周九"));
    arrive("吴十", "第二党支部")
        .env("DANGAN_USER", "孙书记")
        .env("DANGAN_PASSPHRASE", "孙书记-passphrase")
        .assert()
        .failure()
        .stderr(predicate::str::contains("2026-015"))
        .stderr(predicate::str::contains("周九").not());
}

/// A second office, its committee named `committee`, with one member in 第一党支部.
fn receiving_office(committee: &str) -> TestWorkspace {
    let ws = TestWorkspace::new();
    ws.dangan(&["init", "--committee", committee]).assert().success();
    let roster = ws.write_csv("roster.csv", "姓名,学号工号,所在党支部,入党时间\n钱七,R001,第一党支部,2015-07-01\n");
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    ws
}

#[test]
fn a_member_package_moves_the_file_to_the_office_it_names_and_no_other() {
    let (sending, wang) = office();
    let today = dangan_core::calendar::today().to_string();
    let letter_pdf = sending.file("介绍信.pdf");
    sending
        .dangan(&["transfer", "out", "--member", &wang, "--to", "中共乙大学委员会", "--date", &today, "--out"])
        .arg(&letter_pdf)
        .assert()
        .success();
    let number = letters(&sending, &[])[0]["number"].as_str().unwrap().to_owned();
    let package = sending.file("王五.dangan-member");
    let out = sending
        .dangan(&["transfer", "package", "--letter", &number, "--json", "--out"])
        .arg(&package)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let written: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let code = written["code"].as_str().unwrap().to_owned();
    let letter_text: String = pdftotext(&letter_pdf, false).chars().filter(|c| !c.is_whitespace()).collect();
    assert!(letter_text.contains(&code), "the code is on the letter:\n{letter_text}");
    let log = sending.dangan(&["audit", "--json", "--limit", "0"]).output().unwrap();
    assert!(log.status.success(), "{}", String::from_utf8_lossy(&log.stderr));
    assert!(!String::from_utf8_lossy(&log.stdout).contains(&code), "the code is printed, never logged");

    // Another office: refused, naming whom the package is for.
    let other = receiving_office("中共丙大学委员会");
    other
        .dangan(&["transfer", "receive", "--branch", "第一党支部", "--code", &code, "--package"])
        .arg(&package)
        .assert()
        .failure()
        .stderr(predicate::str::contains("中共乙大学委员会"))
        .stderr(predicate::str::contains("--addressed-here"));
    assert_eq!(other.members_json(&[]).len(), 1);

    let receiving = receiving_office("中共乙大学委员会");
    // A changed byte: refused, nothing imported.
    let mut bytes = std::fs::read(&package).unwrap();
    let at = bytes.len() - 10;
    bytes[at] ^= 0x04;
    let tampered = receiving.file("tampered.dangan-member");
    std::fs::write(&tampered, bytes).unwrap();
    receiving
        .dangan(&["transfer", "receive", "--branch", "第一党支部", "--code", &code, "--package"])
        .arg(&tampered)
        .assert()
        .failure()
        .stderr(predicate::str::contains("nothing was imported"));
    assert_eq!(receiving.members_json(&[]).len(), 1);

    receiving
        .dangan(&["transfer", "receive", "--branch", "第一党支部", "--code", &code.to_lowercase(), "--package"])
        .arg(&package)
        .assert()
        .success()
        .stdout(predicate::str::contains("王五"));
    let members = receiving.members_json(&[]);
    let wang_here = members.iter().find(|m| m["name"] == "王五").expect("王五 is registered");
    assert_eq!(wang_here["status"], "in_register");
    // He is the same person there: his UUID came with him.
    let uid_in = |ws: &TestWorkspace, id: i64| {
        let session = dangan_core::Session::unlock(dangan_core::Workspace::at(ws.dir()), None, PASSPHRASE).unwrap();
        session.member(id).unwrap().uid.unwrap()
    };
    assert_eq!(uid_in(&receiving, wang_here["id"].as_i64().unwrap()), uid_in(&sending, wang.parse().unwrap()));
    // The sending office keeps its archived copy.
    let all = sending.members_json(&["--all"]);
    assert_eq!(all.iter().find(|m| m["name"] == "王五").unwrap()["status"], "transferred_out");
}

#[test]
fn a_graduating_class_is_checked_then_leaves_in_one_batch() {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv(
        "class.csv",
        "姓名,学号工号,所在党支部,年级,类别,入党时间,递交入党申请书日期\n\
         陈一,S001,第一党支部,2022,学生,2025-06-01,\n\
         陈二,S002,第一党支部,2022,学生,,2026-03-01\n\
         陈三,S003,第一党支部,2023,学生,,2026-03-01\n",
    );
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let today = dangan_core::calendar::today().to_string();
    let pdf = ws.file("毕业生介绍信.pdf");
    let graduate = |extra: &[&str]| {
        let mut args = vec!["transfer", "graduate", "--class-year", "2022", "--to", "中共某市人才服务中心委员会"];
        args.extend_from_slice(&["--date", &today]);
        args.extend_from_slice(extra);
        ws.dangan(&args)
    };
    let out = graduate(&["--check", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let checks: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = checks.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 2, "the class of 2022 only: {names:?}");
    assert!(names.contains(&"陈一") && names.contains(&"陈二"));
    assert!(letters(&ws, &[]).is_empty(), "a check issues nothing");

    graduate(&["--out", pdf.to_str().unwrap()]).assert().success().stdout(predicate::str::contains("2 letters"));
    assert_eq!(letters(&ws, &[]).len(), 2);
    let text: String = pdftotext(&pdf, false);
    assert_eq!(text.matches('\u{c}').count(), 2, "a page a letter:\n{text}");
    let left: Vec<String> = ws.members_json(&[]).iter().map(|m| m["name"].as_str().unwrap().to_owned()).collect();
    assert_eq!(left, ["陈三"]);

    // Any list leaves the same way: 陈三, chosen by id rather than by class year, with --validity.
    let chen = ws.members_json(&[])[0]["id"].to_string();
    let pdf = ws.file("陈三-介绍信.pdf");
    ws.dangan(&["transfer", "graduate", "--members", &chen, "--to", "中共某区委组织部", "--date", &today])
        .args(["--validity", "60", "--out", pdf.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("1 letter"));
    assert!(ws.members_json(&[]).is_empty(), "陈三 left too");
    let issued = letters(&ws, &[]);
    let letter = issued.iter().find(|l| l.to_string().contains("中共某区委组织部")).expect("陈三's letter");
    assert_eq!(letter["validity_days"], 60, "{letter}");
    // A class year and a list at once is refused before anything is read.
    ws.dangan(&["transfer", "graduate", "--class-year", "2023", "--members", &chen, "--to", "x", "--date", &today])
        .arg("--check")
        .assert()
        .code(2);
}

#[test]
fn the_letters_list_exports_as_a_workbook() {
    use calamine::Reader;
    let (ws, wang) = office();
    let today = dangan_core::calendar::today().to_string();
    ws.dangan(&["transfer", "out", "--member", &wang, "--to", "中共某大学委员会", "--date", &today, "--out"])
        .arg(ws.file("介绍信.pdf"))
        .assert()
        .success();
    let book = ws.file("介绍信.xlsx");
    ws.dangan(&["transfer", "list", "--out", book.to_str().unwrap()]).assert().success();
    let mut workbook = calamine::open_workbook_auto(&book).unwrap();
    let sheet = workbook.worksheet_range("组织关系介绍信").unwrap();
    let row: Vec<String> = sheet.rows().nth(1).unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!((row[1].as_str(), row[3].as_str(), row[6].as_str()), ("王五", "中共某大学委员会", "有效期内"));
}

#[test]
fn an_application_is_approved_then_its_letter_goes_where_it_asked() {
    let (ws, wang) = office();
    let today = dangan_core::calendar::today().to_string();
    ws.dangan(&[
        "transfer",
        "apply",
        "--member",
        &wang,
        "--to",
        "中共某公司委员会",
        "--date",
        &today,
        "--reason",
        "工作调动",
    ])
    .assert()
    .success()
    .stdout(predicate::str::contains("待审批").or(predicate::str::contains("awaiting the decision")));
    let requests = |args: &[&str]| -> Vec<serde_json::Value> {
        let mut all = vec!["transfer", "requests", "--json"];
        all.extend_from_slice(args);
        let out = ws.dangan(&all).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let open = requests(&[]);
    assert_eq!((open.len(), open[0]["state"].as_str()), (1, Some("applied")), "{open:?}");

    // No letter before the decision: it says so and issues nothing.
    let pdf = ws.file("介绍信.pdf");
    ws.dangan(&["transfer", "out", "--member", &wang, "--date", &today, "--out", pdf.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("待审批").or(predicate::str::contains("awaits its decision")));
    assert!(letters(&ws, &[]).is_empty());

    ws.dangan(&["transfer", "approve", "--member", &wang, "--date", &today]).assert().success();
    // Without --to, the letter goes where the approved application asked.
    ws.dangan(&["transfer", "out", "--member", &wang, "--date", &today, "--out", pdf.to_str().unwrap(), "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("中共某公司委员会"));
    assert!(requests(&[]).is_empty(), "the letter closed the application");
    let all = requests(&["--all", "--member", &wang]);
    assert_eq!(all[0]["state"], "letter_issued");
    assert_eq!(all[0]["letter_number"], letters(&ws, &[])[0]["number"]);

    // Declining needs an open application and a reason.
    ws.dangan(&["transfer", "decline", "--member", &wang, "--date", &today, "--reason", "撤回"])
        .assert()
        .failure()
        .code(1)
        .stderr(predicate::str::contains("transfer requests --all"));
}
