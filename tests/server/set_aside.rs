//! Items set aside on a server (schema version 2): acknowledged or snoozed by whoever may change
//! the member, for everyone who sees them, with a workspace's rules and words; the policies
//! holding in raw SQL, the server logging each, and the others told.

use dangan_core::calendar::Date;
use dangan_core::deadlines::DeadlineQuery;
use dangan_core::server::{ChangeFeed, ServerAddress, ServerSession};
use dangan_core::{Error, Lang};
use dangan_tests::PASSPHRASE;

use crate::members::{add_secretary, office};
use crate::security::db_role;
use crate::setup::{ADMIN, dangan, initialised};

fn day(text: &str) -> Date {
    text.parse().unwrap()
}

fn talk_of(session: &mut ServerSession, member: i64, all: bool) -> Option<dangan_core::deadlines::DeadlineItem> {
    let query = DeadlineQuery { member_id: Some(member), include_dismissed: all, ..DeadlineQuery::default() };
    session.deadlines(&query).unwrap().into_iter().find(|i| &*i.rule == "application_talk")
}

#[test]
fn an_item_set_aside_on_a_server_is_set_aside_for_everyone_who_sees_the_member_and_logged() {
    let Some((cluster, url)) = initialised() else { return };
    let (zhang, li) = office(&cluster, &url);
    add_secretary(&url);
    dangan(&url, ADMIN, &["users", "add", "钱审计", "--role", "auditor"]).assert().success();
    let address: ServerAddress = url.parse().unwrap();
    let (zhang, li): (i64, i64) = (zhang.parse().unwrap(), li.parse().unwrap());
    let today = day("2026-02-25");
    let mut admin = ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    let mut secretary = ServerSession::sign_in(&address, Some("孙书记"), PASSPHRASE).unwrap();
    admin.set_today(today);
    secretary.set_today(today);
    let mut feed = ChangeFeed::open(&address, ADMIN, PASSPHRASE).unwrap();

    // 张三's talk is due on 2026-02-28: on the dashboard, and a reminder for the administrator.
    let talk = talk_of(&mut admin, zhang, false).expect("the talk is pending");
    assert_eq!(talk.due, day("2026-02-28"));
    let before = admin.dashboard(None, None).unwrap();
    assert_eq!(before.dismissed, 0);
    assert!(admin.reminders_due(None).unwrap().iter().any(|r| r.item.owner.member_id() == Some(zhang)));

    // A snooze must end after today; an item not pending is named; nothing is written by either.
    let refused = secretary.dismiss_deadline(zhang, "application_talk", talk.due, Some(today)).unwrap_err();
    assert!(refused.text().get(Lang::En).contains("a snooze must last until a day after today"), "{refused:?}");
    let refused = secretary.dismiss_deadline(zhang, "application_talk", day("2026-03-01"), None).unwrap_err();
    assert!(matches!(refused, Error::NotFound { .. }), "{refused:?}");
    // Another branch's member is not the secretary's to set aside, nor the auditor's anyone's.
    assert!(secretary.dismiss_deadline(li, "application_talk", talk.due, None).is_err());
    let mut auditor = ServerSession::sign_in(&address, Some("钱审计"), PASSPHRASE).unwrap();
    auditor.set_today(today);
    assert!(matches!(
        auditor.dismiss_deadline(zhang, "application_talk", talk.due, None),
        Err(Error::Forbidden { .. })
    ));
    assert_eq!(cluster.superuser_sql("dangan", "SELECT count(*) FROM dangan.dismissals").trim(), "0");

    // The secretary acknowledges it: gone from the administrator's list, dashboard and reminders,
    // listed when asked for, marked on the member's page; the member's version is unchanged.
    let version = admin.member(zhang).unwrap().version;
    secretary.dismiss_deadline(zhang, "application_talk", talk.due, None).unwrap();
    assert!(talk_of(&mut admin, zhang, false).is_none());
    assert!(talk_of(&mut admin, zhang, true).unwrap().acknowledged);
    let after = admin.dashboard(None, None).unwrap();
    assert_eq!(after.dismissed, 1);
    assert_eq!(after.totals.due_soon + 1, before.totals.due_soon);
    assert!(
        !admin
            .reminders_due(None)
            .unwrap()
            .iter()
            .any(|r| r.item.owner.member_id() == Some(zhang) && &*r.item.rule == "application_talk")
    );
    let page = admin.member(zhang).unwrap();
    assert_eq!(page.version, version, "setting an item aside is no change to the person");
    assert!(page.detail.deadlines.iter().any(|i| &*i.rule == "application_talk" && i.acknowledged));
    // The page a save returns marks it too (the items set aside are read with the person).
    let mut changed = page.detail.person.clone();
    changed.phone = Some("13900000000".into());
    let saved = admin.save_person(changed, Some(version)).unwrap();
    assert!(saved.detail.deadlines.iter().any(|i| &*i.rule == "application_talk" && i.acknowledged));
    // The others are told, naming the member, so their lists and dashboards follow.
    let told = feed.wait(std::time::Duration::from_secs(5)).unwrap();
    assert!(told.iter().any(|c| c.table == "dismissals" && c.person == Some(zhang)), "{told:?}");

    // Snoozed instead: a change of the same row, off the list until the day, back after it.
    secretary.dismiss_deadline(zhang, "application_talk", talk.due, Some(day("2026-03-10"))).unwrap();
    assert_eq!(talk_of(&mut admin, zhang, true).unwrap().snoozed_until, Some(day("2026-03-10")));
    admin.set_today(day("2026-03-10"));
    assert!(talk_of(&mut admin, zhang, false).is_some(), "a snooze ends on its day");
    admin.set_today(today);

    // In raw SQL the policies hold: the secretary cannot set aside another branch's item, the
    // auditor nobody's; the secretary sees only their branch's rows.
    let role_of = |name: &str| db_role(&url, name);
    let insert =
        format!("INSERT INTO dangan.dismissals (person_id, rule, due) VALUES ({li}, 'application_talk', '2026-02-28')");
    let out = cluster.psql("dangan", &role_of("孙书记"), PASSPHRASE, &insert);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("row-level security"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = cluster.psql("dangan", &role_of("钱审计"), PASSPHRASE, &insert);
    assert!(!out.status.success());
    let out = cluster.psql("dangan", &role_of("孙书记"), PASSPHRASE, "UPDATE dangan.dismissals SET branch_id = 1");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("permission denied"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Restored: pending again for everyone.
    secretary.restore_deadline(zhang, "application_talk", talk.due).unwrap();
    assert!(talk_of(&mut admin, zhang, false).is_some());
    assert_eq!(admin.dashboard(None, None).unwrap().dismissed, 0);

    // Each change is in the server's log as the secretary's, and the chain verifies.
    let logged = cluster.superuser_sql(
        "dangan",
        "SELECT string_agg(action || coalesce(':' || field, ''), ' ' ORDER BY seq) FROM dangan.audit_log
         WHERE entity = 'dismissals' AND actor = '孙书记' AND member_id = (SELECT id::text FROM dangan.people WHERE name = '张三')",
    );
    assert_eq!(logged.trim(), "insert update:until delete");
    dangan(&url, ADMIN, &["verify"]).assert().success();
    drop(feed);
}
