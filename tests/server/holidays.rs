//! The university's holiday calendar on the server: entered by the department only (the policies
//! hold it in raw SQL too), and the working days of every user's deadlines counted with it.

use dangan_tests::PASSPHRASE;
use predicates::str::contains;

use crate::security::{db_role, ok, refused};
use crate::setup::{ADMIN, dangan, initialised};

/// 国庆 2026: 1–7 October off, Saturday 10 October worked.
const NATIONAL_DAY: &str = "2026-10-01,假日,国庆节\n2026-10-02,假日,国庆节\n2026-10-05,假日,国庆节\n\
                            2026-10-06,假日,国庆节\n2026-10-07,假日,国庆节\n2026-10-10,工作日,国庆节调休\n";

/// The day the candidate publicity's five working days end after, as `deadlines --json` lists it.
fn publicity_due(url: &str) -> String {
    let out = dangan(url, ADMIN, &["deadlines", "--json", "--as-of", "2026-09-29"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let item = items.iter().find(|i| i["rule"] == "candidate_publicity").unwrap_or_else(|| panic!("{items:#?}"));
    item["due"].as_str().unwrap().to_owned()
}

#[test]
fn the_department_enters_the_calendar_and_every_users_working_days_follow_it() {
    let Some((cluster, url)) = initialised() else { return };
    let admin = db_role(&url, ADMIN);
    let psql = |sql: &str| ok(cluster.psql("dangan", &admin, PASSPHRASE, sql));
    psql(
        "INSERT INTO dangan.org_units (parent_id, kind, name)
             SELECT id, 'committee', '计算机学院党委' FROM dangan.org_units WHERE parent_id IS NULL;
         INSERT INTO dangan.org_units (parent_id, kind, name)
             SELECT id, 'branch', '计算第一支部' FROM dangan.org_units WHERE name = '计算机学院党委';
         INSERT INTO dangan.people (branch_id, name, stage)
             SELECT id, '赵六', 'activist' FROM dangan.org_units WHERE kind = 'branch';
         INSERT INTO dangan.events (person_id, kind, date)
             SELECT id, 'candidate_publicity', '2026-09-28' FROM dangan.people;",
    );
    dangan(&url, ADMIN, &["users", "add", "学院组织员", "--role", "organiser", "--committee", "计算机学院党委"])
        .assert()
        .success();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("2026.csv");
    std::fs::write(&file, NATIONAL_DAY).unwrap();
    let file = file.to_str().unwrap();

    // Without a calendar, five working days from Monday 28 September end on Friday 2 October.
    assert_eq!(publicity_due(&url), "2026-10-03");

    // A college's organiser may enter a workspace's calendar, not the university's: refused by
    // the server, in raw SQL too, and nothing is entered.
    dangan(&url, "学院组织员", &["holidays", "import", file]).assert().failure().stderr(contains("may not"));
    let organiser = db_role(&url, "学院组织员");
    refused(
        cluster.psql("dangan", &organiser, PASSPHRASE, "INSERT INTO dangan.holiday_years (year) VALUES (2027)"),
        "row-level security",
    );
    assert_eq!(psql("SELECT count(*) FROM dangan.holidays"), "0");

    // An organiser's app open meanwhile, following the server's changes.
    let address: dangan_core::server::ServerAddress = url.parse().unwrap();
    let mut feed = dangan_core::server::ServerSession::watch(&address, "学院组织员", PASSPHRASE).unwrap();
    let mut open = dangan_core::server::ServerSession::sign_in(&address, Some("学院组织员"), PASSPHRASE).unwrap();
    let as_of = dangan_core::deadlines::DeadlineQuery {
        as_of: Some("2026-09-29".parse().unwrap()),
        ..dangan_core::deadlines::DeadlineQuery::default()
    };
    let open_due = |open: &mut dangan_core::server::ServerSession| {
        let items = open.deadlines(&as_of).unwrap();
        items.iter().find(|i| &*i.rule == "candidate_publicity").map(|i| i.due.to_string()).unwrap()
    };
    assert_eq!(open_due(&mut open), "2026-10-03");

    // The department enters it: everyone reads it, the entries are logged, and the working days
    // skip the holidays (28, 29, 30 September, 8 and 9 October), in the app already open too once
    // it is told.
    dangan(&url, ADMIN, &["holidays", "import", file]).assert().success().stdout(contains("2026"));
    dangan(&url, "学院组织员", &["holidays"]).assert().success().stdout(contains("国庆节调休"));
    assert_eq!(publicity_due(&url), "2026-10-10");
    let changes = crate::members::changes_until(&mut feed, dangan_core::server::Concern::Calendar);
    open.apply_changes(&changes);
    assert_eq!(open_due(&mut open), "2026-10-10");
    assert_eq!(psql("SELECT count(*) FROM dangan.audit_log WHERE entity = 'holidays' AND action = 'insert'"), "6");
    dangan(&url, ADMIN, &["verify"]).assert().success();
}
