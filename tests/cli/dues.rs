//! Party dues from the command line (`dangan dues`): the rate at each band's edge (with and without
//! a workspace, in integer fen), a member's base, a payment and its refusals, the ledger, arrears and
//! a branch's summary, as JSON a script reads.

use dangan_core::dues::Month;
use dangan_tests::{TestWorkspace, pdftotext};
use predicates::prelude::*;

fn amount_fen(ws: &TestWorkspace, category: &str, base: &str) -> i64 {
    let out = ws.dangan(&["dues", "rate", "--category", category, "--base", base, "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["amount_fen"].as_i64().expect("amount_fen is an integer")
}

#[test]
fn the_rate_at_each_band_edge_needs_no_workspace() {
    let ws = TestWorkspace::new();
    for (category, base, fen) in [
        ("salaried", "3000.00", 1500),
        ("salaried", "3000.01", 3000),
        ("salaried", "5000", 5000),
        ("salaried", "5000.01", 7500),
        ("salaried", "10000", 15000),
        ("salaried", "10000.01", 20000),
        ("salaried", "4200", 4200),
        ("retired", "5000", 2500),
        ("retired", "5000.01", 5000),
        ("student", "0", 20),
        ("学生", "0", 20),
        ("low_income", "0", 20),
    ] {
        assert_eq!(amount_fen(&ws, category, base), fen, "{category} {base}");
    }
    ws.dangan(&["dues", "rate", "--category", "salaried", "--base", "4200"])
        .assert()
        .success()
        .stdout(predicate::str::contains("dues 42.00 yuan a month"));
    ws.dangan(&["dues", "rate", "--category", "salaried", "--base=-5"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot be negative"));
    ws.dangan(&["dues", "rate", "--category", "farmer", "--base", "5"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown dues category “farmer”"));
    assert!(!ws.dir().exists(), "no workspace was made");
}

#[test]
fn an_office_rounds_to_a_tenth_of_a_yuan_in_its_own_rule_file() {
    let ws = TestWorkspace::initialised();
    let rules = ws.file("office-rules.toml");
    std::fs::write(&rules, "[dues]\nround_to_fen = 10\n").unwrap();
    ws.dangan(&["rules", "load", rules.to_str().unwrap()]).assert().success();
    // 4321 yuan at 1 % is 43.21: 43.20 to the tenth of a yuan.
    assert_eq!(amount_fen(&ws, "salaried", "4321"), 4320);
}

#[test]
fn a_member_pays_and_the_ledger_arrears_and_summary_follow() {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv("roster.csv", "姓名,学号工号,所在党支部,入党时间\n王五,T001,第一党支部,2010-07-01\n");
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let id = ws.members_json(&[])[0]["id"].to_string();
    let this_month = Month::of(dangan_core::calendar::today());
    let start = this_month.plus(-8);
    let (start_s, this_s) = (start.to_string(), this_month.to_string());
    ws.dangan(&["dues", "base", "--member", &id, "--category", "salaried", "--base", "4200", "--from", &start_s])
        .assert()
        .success();
    // Eight months behind: in arrears, and overdue (six or more).
    let out = ws.dangan(&["dues", "arrears", "--json"]).output().unwrap();
    let arrears: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(arrears.len(), 1);
    assert_eq!(arrears[0]["months_behind"], 8);
    assert_eq!(arrears[0]["owed_fen"], 8 * 4200);
    assert_eq!(arrears[0]["item"]["status"], "overdue");
    // The same item among everyone's deadlines, citing 党章第九条.
    let out = ws.dangan(&["deadlines", "--json"]).output().unwrap();
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let behind = items.iter().find(|i| i["rule"] == "dues_arrears").expect("arrears among the deadlines");
    assert!(behind.to_string().contains("第九条"), "{behind}");

    let today = dangan_core::calendar::today().to_string();
    // Paid up, printed as JSON: the ledger after the payment.
    let pay = ["dues", "pay", "--member", &id, "--from", &start_s, "--months", "9", "--date", &today, "--by", "李收"];
    let out = ws.dangan(&[&pay[..], &["--json"]].concat()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let paid: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((paid["paid_through"].as_str(), paid["months_behind"].as_i64()), (Some(this_s.as_str()), Some(0)));
    // The same month again: refused, naming it; nothing changed.
    ws.dangan(&["dues", "pay", "--member", &id, "--from", &this_s, "--date", &today])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!("{this_s} is already paid")));
    let out = ws.dangan(&["dues", "ledger", "--member", &id, "--json"]).output().unwrap();
    let ledger: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(ledger["paid_through"], this_s.as_str());
    assert_eq!(ledger["months_behind"], 0);
    assert_eq!(ledger["months"][0]["paid_by"], "李收");
    let out = ws.dangan(&["dues", "arrears", "--json"]).output().unwrap();
    assert_eq!(serde_json::from_slice::<Vec<serde_json::Value>>(&out.stdout).unwrap().len(), 0);

    let out = ws.dangan(&["dues", "summary", "--month", &this_s, "--json"]).output().unwrap();
    let summary: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary[0]["branch"], "第一党支部");
    assert_eq!((summary[0]["due_fen"].as_i64(), summary[0]["paid_fen"].as_i64()), (Some(4200), Some(4200)));
    ws.dangan_zh(&["dues", "summary", "--month", &this_s]).assert().success().stdout(predicate::str::contains("42.00"));
    ws.dangan(&["dues", "summary"]).assert().code(1).stderr(predicate::str::contains("--month"));
}

/// Two members of 第一党支部 (王五 T001, 赵六 T002), each paying 42.00 yuan a month from two
/// months ago: the workspace and that first month.
fn two_payers() -> (TestWorkspace, Month) {
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv(
        "roster.csv",
        "姓名,学号工号,所在党支部,入党时间\n王五,T001,第一党支部,2010-07-01\n赵六,T002,第一党支部,2012-07-01\n",
    );
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let start = Month::of(dangan_core::calendar::today()).plus(-2);
    for member in ws.members_json(&[]) {
        let id = member["id"].to_string();
        ws.dangan(&["dues", "base", "--member", &id, "--category", "salaried", "--base", "4200", "--from"])
            .arg(start.to_string())
            .assert()
            .success();
    }
    (ws, start)
}

#[test]
fn a_months_payments_are_listed_and_written_as_a_workbook_and_a_receipt_list() {
    use calamine::Reader;
    let (ws, start) = two_payers();
    let today = dangan_core::calendar::today();
    let this_month = Month::of(today);
    let (start_s, this_s, today_s) = (start.to_string(), this_month.to_string(), today.to_string());
    let wang = ws.members_json(&[]).iter().find(|m| m["name"] == "王五").unwrap()["id"].to_string();
    ws.dangan(&[
        "dues", "pay", "--member", &wang, "--from", &start_s, "--months", "3", "--date", &today_s, "--by", "李收",
    ])
    .assert()
    .success();

    let out = ws.dangan(&["dues", "receipts", "--month", &this_s, "--json"]).output().unwrap();
    let receipts: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(receipts.len(), 1, "one payment received this month: {receipts:?}");
    assert_eq!(receipts[0]["name"], "王五");
    assert_eq!(receipts[0]["amount_fen"], 3 * 4200);
    assert_eq!(
        (receipts[0]["from_month"].as_str(), receipts[0]["to_month"].as_str()),
        (Some(&*start_s), Some(&*this_s))
    );

    let book = ws.file("党费.xlsx");
    ws.dangan(&["dues", "export", "--month", &this_s, "--out", book.to_str().unwrap()]).assert().success();
    let mut workbook = calamine::open_workbook_auto(&book).unwrap();
    assert_eq!(workbook.sheet_names(), ["支部汇总", "交纳明细"]);
    let summary = workbook.worksheet_range("支部汇总").unwrap();
    let branch_row: Vec<String> = summary.rows().nth(1).unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(branch_row[0], "第一党支部");
    assert_eq!((branch_row[1].as_str(), branch_row[2].as_str(), branch_row[3].as_str()), ("2", "84", "42"));
    let detail = workbook.worksheet_range("交纳明细").unwrap();
    let paid: Vec<String> = detail.rows().nth(1).unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!((paid[1].as_str(), paid[3].as_str(), paid[5].as_str()), ("王五", "126", "李收"));

    let pdf = ws.file("党费收据清单.pdf");
    ws.dangan(&["dues", "export", "--month", &this_s, "--out", pdf.to_str().unwrap()]).assert().success();
    let text: String = pdftotext(&pdf, false).chars().filter(|c| !c.is_whitespace()).collect();
    assert!(text.contains("党费收据清单") && text.contains("王五") && text.contains("合计126.00元"), "{text}");
    // Neither a workbook nor a PDF: refused, nothing written.
    let csv = ws.file("党费.csv");
    ws.dangan(&["dues", "export", "--month", &this_s, "--out", csv.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains(".xlsx"));
    assert!(!csv.exists());
}

#[test]
fn a_sheet_of_payments_is_recorded_whole_or_not_at_all() {
    let (ws, start) = two_payers();
    let today = dangan_core::calendar::today();
    let (start_s, next_s, day) = (start.to_string(), start.plus(2).to_string(), today.to_string());
    // Row 3 names nobody, row 4 skips a month of the ledger: both named, nothing recorded.
    let bad = ws.write_csv(
        "bad.csv",
        &format!(
            "学号工号,起始月份,月数,交纳日期,代交人\nT001,{start_s},2,{day},李收\n无此人,{start_s},1,{day},\nT002,{next_s},1,{day},\n"
        ),
    );
    ws.dangan(&["dues", "import", bad.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("row 3"))
        .stderr(predicate::str::contains("row 4"));
    let ledger = |id: &str| -> serde_json::Value {
        let out = ws.dangan(&["dues", "ledger", "--member", id, "--json"]).output().unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let wang = ws.members_json(&[]).iter().find(|m| m["name"] == "王五").unwrap()["id"].to_string();
    assert_eq!(ledger(&wang)["paid_through"], serde_json::Value::Null, "nothing recorded");

    // Rows of one member continue each other in the sheet's order; a deferral has its reason.
    let good = ws.write_csv(
        "good.csv",
        &format!(
            "学号工号,起始月份,月数,交纳日期,代交人,缓交原因\nT001,{start_s},2,{day},李收,\nT001,{next_s},1,{day},,\nT002,{start_s},1,,,家庭困难\n"
        ),
    );
    ws.dangan(&["dues", "import", good.to_str().unwrap()]).assert().success().stdout(predicate::str::contains("3"));
    assert_eq!(ledger(&wang)["paid_through"], next_s.as_str());
    let zhao = ws.members_json(&[]).iter().find(|m| m["name"] == "赵六").unwrap()["id"].to_string();
    assert_eq!(ledger(&zhao)["months"][0]["deferred"], "家庭困难");
}

/// A payments sheet as Excel saves it (.xlsx, the day paid a date cell, the month typed as text)
/// is recorded as the CSV is; the year's summary and its workbook add up the months of the year.
#[test]
fn a_workbook_of_payments_is_recorded_and_the_years_summary_adds_it_up() {
    use calamine::Reader;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let (ws, start) = two_payers();
    let today = dangan_core::calendar::today();
    let sheet_path = ws.file("党费.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["学号工号", "起始月份", "月数", "交纳日期", "代交人"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let day = Format::new().set_num_format("yyyy/m/d");
    let ymd = today.to_string();
    let part = |range: std::ops::Range<usize>| ymd[range].parse::<u16>().unwrap();
    let paid_on = ExcelDateTime::from_ymd(part(0..4), part(5..7) as u8, part(8..10) as u8).unwrap();
    for (r, number) in [(1, "T001"), (2, "T002")] {
        sheet.write_string(r, 0, number).unwrap();
        sheet.write_string(r, 1, start.to_string()).unwrap();
        sheet.write_number(r, 2, 3).unwrap();
        sheet.write_datetime_with_format(r, 3, &paid_on, &day).unwrap();
    }
    sheet.write_string(1, 4, "李收").unwrap();
    book.save(&sheet_path).unwrap();
    ws.dangan(&["dues", "import", sheet_path.to_str().unwrap()]).assert().success();

    // Every month from the start to this one is paid by both (the start is two months back).
    let year = ymd[0..4].to_owned();
    let out = ws.dangan(&["dues", "summary", "--year", &year, "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let months_this_year = (0..3).filter(|&k| start.plus(k).to_string().starts_with(&year)).count() as i64;
    let expected = 2 * months_this_year * 4200;
    assert_eq!(
        (summary[0]["due_fen"].as_i64(), summary[0]["paid_fen"].as_i64()),
        (Some(expected), Some(expected)),
        "{summary:?}"
    );
    let workbook_path = ws.file("党费年度.xlsx");
    ws.dangan(&["dues", "export", "--year", &year, "--out", workbook_path.to_str().unwrap()]).assert().success();
    let mut workbook = calamine::open_workbook_auto(&workbook_path).unwrap();
    let detail = workbook.worksheet_range("交纳明细").unwrap();
    let payers: Vec<String> = detail.rows().skip(1).map(|r| r[1].to_string()).collect();
    assert!(payers.contains(&"王五".to_owned()) && payers.contains(&"赵六".to_owned()), "{payers:?}");
}
