//! What units owe on a server (schema version 9): the meetings a branch and its party groups
//! owe, the committee's election, the secretary's lecture and a member's absence from
//! organisational life, worked out and worded as a workspace works them out; set aside by who may
//! change the unit, for everyone who sees it, within each user's units even in raw SQL; and each
//! user reminded of their own units' items once.

use dangan_core::calendar::Date;
use dangan_core::deadlines::{DeadlineItem, DeadlineQuery, Owner, OwnerKind};
use dangan_core::server::{ServerAddress, ServerSession};
use dangan_core::{Error, Lang};
use dangan_tests::PASSPHRASE;

use crate::meetings::on_both;
use crate::security::db_role;
use crate::setup::{ADMIN, dangan, initialised, twin_workspace};

const ROSTER: &str = "\
姓名,学号工号,所在支部,申请入党日期,确定积极分子日期,确定发展对象日期,接收预备党员日期,审批日期
张三,2021001,第一党支部,2020-09-01,2021-03-01,2022-03-05,2023-06-01,2023-06-20
李四,2021002,第一党支部,2020-09-01,2021-03-01,2022-03-05,2023-06-01,2023-06-20
王五,2021003,第一党支部,2026-03-01,,,,
赵六,2021004,第二党支部,2020-09-01,2021-03-01,2022-03-05,2023-06-01,2023-06-20
";

const AS_OF: &str = "2026-12-01";

fn day(text: &str) -> Date {
    text.parse().unwrap()
}

/// The items as JSON without the numbers that differ between two databases.
fn without_numbers(out: &std::process::Output) -> Vec<serde_json::Value> {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    for item in &mut items {
        for key in ["member_id", "unit_id", "group_id", "branch_id"] {
            if let Some(value) = item.get_mut(key) {
                *value = serde_json::Value::Null;
            }
        }
    }
    items
}

/// A unit's own item of a rule (not a group's), as `session` lists the units' items.
fn unit_item(session: &mut ServerSession, rule: &str, all: bool) -> Option<DeadlineItem> {
    let query = DeadlineQuery { owed_by: Some(OwnerKind::Unit), include_dismissed: all, ..DeadlineQuery::default() };
    let items = session.deadlines(&query).unwrap();
    items.into_iter().find(|i| &*i.rule == rule && matches!(i.owner, Owner::Unit { group_id: None, .. }))
}

fn owner_of(item: &DeadlineItem) -> (i64, Option<i64>) {
    match &item.owner {
        Owner::Unit { unit_id, group_id, .. } => (*unit_id, *group_id),
        Owner::Member { .. } => panic!("a member's item: {item:?}"),
    }
}

fn count(cluster: &dangan_tests::postgres::PgCluster, sql: &str) -> String {
    cluster.superuser_sql("dangan", sql).trim().to_owned()
}

#[test]
fn what_units_owe_on_a_server_reads_as_in_a_workspace_and_is_set_aside_and_reminded_per_user() {
    let Some((cluster, url)) = initialised() else { return };
    let ws = twin_workspace(&url, ROSTER);
    for (name, branch) in [("孙书记", "第一党支部"), ("周书记", "第二党支部")] {
        dangan(&url, ADMIN, &["users", "add", name, "--role", "branch_secretary", "--branch", branch])
            .assert()
            .success();
    }
    dangan(&url, ADMIN, &["users", "add", "钱审计", "--role", "auditor"]).assert().success();

    // The same register on both: tracked from January, a party group, a secretary since 2023,
    // a general meeting and the secretary's lecture; 赵六 of the second branch never came.
    let register: [&[&str]; 6] = [
        &["meetings", "track", "--unit", "第一党支部", "--from", "2026-01-01"],
        &["meetings", "track", "--unit", "第二党支部", "--from", "2026-01-01"],
        &["groups", "add", "--unit", "第一党支部", "--name", "第一党小组", "--members", "张三,李四"],
        &["committee", "add", "--unit", "第一党支部", "--post", "书记", "--name", "张三", "--since", "2023-09-01"],
        &[
            "meetings",
            "add",
            "--unit",
            "第一党支部",
            "--kind",
            "general_meeting",
            "--date",
            "2026-09-10",
            "--present",
            "张三,李四",
        ],
        &[
            "meetings",
            "add",
            "--unit",
            "第一党支部",
            "--kind",
            "party_lecture",
            "--date",
            "2026-05-10",
            "--chair",
            "张三",
            "--present",
            "张三,李四",
        ],
    ];
    for args in register {
        assert!(on_both(&url, &ws, args).status.success(), "{args:?}");
    }

    // Listed, worded and ordered as a workspace lists them: the whole list, the units' alone,
    // one branch's; a printed list and a reminder run read the same.
    on_both(&url, &ws, &["deadlines", "--as-of", AS_OF]);
    on_both(&url, &ws, &["deadlines", "--as-of", AS_OF, "--branch", "第二党支部"]);
    on_both(&url, &ws, &["remind", "--as-of", AS_OF]);
    let units = ["deadlines", "--as-of", AS_OF, "--owed-by", "unit", "--json"];
    let on_server = without_numbers(&dangan(&url, ADMIN, &units).output().unwrap());
    assert_eq!(on_server, without_numbers(&ws.dangan(&units).output().unwrap()));
    let rules: Vec<(&str, &str)> =
        on_server.iter().map(|i| (i["unit"].as_str().unwrap(), i["rule"].as_str().unwrap())).collect();
    for owed in [("第一党支部", "theme_day"), ("第一党支部", "committee_term"), ("第二党支部", "general_meeting")]
    {
        assert!(rules.iter().any(|r| r.0.ends_with(owed.0) && r.1 == owed.1), "{owed:?} in {rules:?}");
    }
    assert!(on_server.iter().any(|i| i["group"] == "第一党小组" && i["rule"] == "group_meeting"), "{on_server:#?}");
    let members = ["deadlines", "--as-of", AS_OF, "--owed-by", "member", "--json"];
    let absent = without_numbers(&dangan(&url, ADMIN, &members).output().unwrap());
    assert!(absent.iter().any(|i| i["name"] == "赵六" && i["rule"] == "party_life"), "{absent:#?}");
    assert!(!absent.iter().any(|i| i["name"] == "张三" && i["rule"] == "party_life"), "{absent:#?}");

    // A branch secretary sees only their branch's.
    let theirs = without_numbers(&dangan(&url, "孙书记", &units).output().unwrap());
    assert!(!theirs.is_empty(), "the branch owes meetings");
    assert!(theirs.iter().all(|i| i["unit"].as_str().unwrap().ends_with("第一党支部")), "{theirs:#?}");

    // Set aside by the branch's secretary: a snooze must end after today, an item not owed is
    // named, another branch's secretary and the auditor may not; nothing is written by them.
    let address: ServerAddress = url.parse().unwrap();
    let sign_in = |name: &str| {
        let mut session = ServerSession::sign_in(&address, Some(name), PASSPHRASE).unwrap();
        session.set_today(day(AS_OF));
        session
    };
    let (mut secretary, mut other, mut auditor, mut admin) =
        (sign_in("孙书记"), sign_in("周书记"), sign_in("钱审计"), sign_in(ADMIN));
    let theme = unit_item(&mut secretary, "theme_day", false).expect("the theme day is owed");
    let (unit, group) = owner_of(&theme);
    let refused = secretary.dismiss_unit_deadline(unit, group, "theme_day", theme.due, Some(day(AS_OF))).unwrap_err();
    assert!(refused.text().get(Lang::En).contains("a snooze must last until a day after today"), "{refused:?}");
    let refused = secretary.dismiss_unit_deadline(unit, group, "theme_day", day("2030-01-31"), None).unwrap_err();
    assert!(matches!(refused, Error::NotFound { .. }), "{refused:?}");
    assert!(matches!(
        other.dismiss_unit_deadline(unit, group, "theme_day", theme.due, None),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        auditor.dismiss_unit_deadline(unit, group, "theme_day", theme.due, None),
        Err(Error::Forbidden { .. })
    ));
    assert_eq!(count(&cluster, "SELECT count(*) FROM dangan.unit_dismissals"), "0");

    secretary.dismiss_unit_deadline(unit, group, "theme_day", theme.due, None).unwrap();
    // Set aside for everyone who sees the unit: off the administrator's list and dashboard,
    // listed with --all as acknowledged, and logged by the server.
    assert!(unit_item(&mut admin, "theme_day", false).is_none_or(|i| owner_of(&i) != (unit, group)));
    let acknowledged = unit_item(&mut admin, "theme_day", true).unwrap();
    assert!(acknowledged.acknowledged, "{acknowledged:?}");
    assert!(admin.dashboard(None, None).unwrap().dismissed >= 1);
    let in_psql = |name: &str| {
        let out =
            cluster.psql("dangan", &db_role(&url, name), PASSPHRASE, "SELECT count(*) FROM dangan.unit_dismissals");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    assert_eq!((in_psql("孙书记"), in_psql("周书记"), in_psql(ADMIN)), ("1".into(), "0".into(), "1".into()));
    let out = cluster.psql(
        "dangan",
        &db_role(&url, "周书记"),
        PASSPHRASE,
        &format!("INSERT INTO dangan.unit_dismissals (unit_id, rule, due) VALUES ({unit}, 'theme_day', '2026-12-31')"),
    );
    assert!(!out.status.success(), "another branch's secretary set aside the first branch's item in psql");
    assert_ne!(count(&cluster, "SELECT count(*) FROM dangan.audit_log WHERE entity = 'unit_dismissals'"), "0");
    secretary.restore_unit_deadline(unit, group, "theme_day", theme.due).unwrap();
    assert!(unit_item(&mut admin, "theme_day", false).is_some_and(|i| !i.acknowledged));

    // Reminders: each user their own units' items, once.
    let due = admin.reminders_due(None).unwrap();
    assert!(due.iter().any(|r| matches!(r.item.owner, Owner::Unit { .. })), "{due:#?}");
    let delivered = admin.deliver_reminders(None, Lang::Zh, |_| Ok(())).unwrap();
    assert_eq!(delivered.len(), due.len());
    assert!(admin.reminders_due(None).unwrap().is_empty(), "nothing is sent twice");
    let theirs = secretary.reminders_due(None).unwrap();
    assert!(theirs.iter().any(|r| matches!(r.item.owner, Owner::Unit { .. })), "{theirs:#?}");
    assert!(theirs.iter().all(|r| r.item.branch.ends_with("第一党支部")), "{theirs:#?}");
    assert!(auditor.reminders_due(None).unwrap().is_empty());
    secretary.deliver_reminders(None, Lang::Zh, |_| Ok(())).unwrap();
    let secretary_role = db_role(&url, "孙书记");
    let sent_to = |role: &str| {
        count(&cluster, &format!("SELECT count(*) FROM dangan.unit_reminders_sent WHERE db_role = '{role}'"))
    };
    assert_ne!(sent_to(&secretary_role), "0");
    // Removing a user forgets what they were sent.
    dangan(&url, ADMIN, &["users", "remove", "孙书记"]).assert().success();
    assert_eq!(sent_to(&secretary_role), "0");

    // The list written to a workbook, as a workspace writes it.
    let out_dir = tempfile::tempdir().unwrap();
    let sheet = out_dir.path().join("期限.xlsx");
    dangan(&url, ADMIN, &["deadlines", "--as-of", AS_OF, "--out", sheet.to_str().unwrap()]).assert().success();
    assert!(std::fs::read(&sheet).unwrap().starts_with(b"PK"), "an .xlsx is a zip");
}

/// A session keeps the branch-life index it read until the server logs a change, anyone's: then
/// its next scan reads it again, and another session's change shows in its items.
#[test]
fn a_sessions_items_follow_another_sessions_change_of_branch_life() {
    let Some((_cluster, url)) = initialised() else { return };
    let _ws = twin_workspace(&url, ROSTER);
    let address: ServerAddress = url.parse().unwrap();
    let mut reader = ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    let mut writer = ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    let absent = |session: &mut ServerSession| {
        let items = session.deadlines(&DeadlineQuery::default()).unwrap();
        items.iter().filter(|i| &*i.rule == "party_life").count()
    };
    assert_eq!(absent(&mut reader), 0, "nobody is absent from organisational life yet");
    assert_eq!(absent(&mut reader), 0, "read again: the same");
    // The other session counts 第一党支部's life from 2025: its members have missed it since.
    let branch = writer.find_unit("第一党支部", "branch").unwrap();
    writer.set_life_from(branch, "2025-01-01".parse().unwrap()).unwrap();
    assert!(absent(&mut reader) > 0, "their absence shows in this session too");

    // A member's page shows it, and so does the page a change to them returns (as a workspace's
    // page after a change does).
    let items = reader.deadlines(&DeadlineQuery::default()).unwrap();
    let member = items.iter().find(|i| &*i.rule == "party_life").and_then(|i| i.owner.member_id()).unwrap();
    let page = reader.member(member).unwrap();
    assert!(page.detail.deadlines.iter().any(|i| &*i.rule == "party_life"), "{:#?}", page.detail.deadlines);
    let mut person = page.detail.person;
    person.phone = Some("13900000001".into());
    let saved = reader.save_person(person, None).unwrap();
    assert_eq!(saved.detail.deadlines, reader.member(member).unwrap().detail.deadlines);
    assert!(saved.detail.deadlines.iter().any(|i| &*i.rule == "party_life"), "{:#?}", saved.detail.deadlines);
}
