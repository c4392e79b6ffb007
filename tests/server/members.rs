//! Members and their steps on a server: the same checks and words as a workspace's (one
//! implementation of each rule), within each user's units, and a change made from a stale read
//! refused with who made the newer one.

use dangan_core::domain::{EventKind, ProcedureEvent};
use dangan_core::server::{ServerAddress, ServerSession};
use dangan_core::{Error, Lang};
use dangan_tests::{PASSPHRASE, TestWorkspace};
use predicates::str::contains;

use crate::setup::{ADMIN, dangan, initialised, users_json};

/// 张三 (an applicant since 2026-01-31, as in the workspace tests) in 第一党支部 and 李四 in
/// 第二党支部, both under the university's committee, written by the administrator in raw SQL.
pub(crate) fn office(cluster: &dangan_tests::postgres::PgCluster, url: &str) -> (String, String) {
    let admin = users_json(url, ADMIN)[0]["db_role"].as_str().unwrap().to_owned();
    let sql = "
        INSERT INTO dangan.org_units (parent_id, kind, name)
            SELECT id, 'branch', b FROM dangan.org_units, unnest(ARRAY['第一党支部', '第二党支部']) b WHERE parent_id IS NULL;
        INSERT INTO dangan.people (branch_id, name, sort_key, stage)
            SELECT id, CASE name WHEN '第一党支部' THEN '张三' ELSE '李四' END,
                   CASE name WHEN '第一党支部' THEN 'zhangsan' ELSE 'lisi' END, 'applicant'
            FROM dangan.org_units WHERE kind = 'branch';
        INSERT INTO dangan.events (person_id, kind, date)
            SELECT id, 'application_received', '2026-01-31' FROM dangan.people;
        SELECT string_agg(id::text, ' ' ORDER BY (name = '张三') DESC) FROM dangan.people;";
    let out = cluster.psql("dangan", &admin, PASSPHRASE, sql);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let ids = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let (zhang, li) = ids.split_once(' ').unwrap();
    (zhang.to_owned(), li.to_owned())
}

/// 孙书记, the secretary of 第一党支部.
pub(crate) fn add_secretary(url: &str) {
    dangan(url, ADMIN, &["users", "add", "孙书记", "--role", "branch_secretary", "--branch", "第一党支部"])
        .assert()
        .success();
}

pub(crate) fn members(url: &str, user: &str) -> Vec<serde_json::Value> {
    let out = dangan(url, user, &["members", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn steps_on_a_server_are_checked_and_worded_as_in_a_workspace_within_each_users_units() {
    let Some((cluster, url)) = initialised() else { return };
    let (zhang, li) = office(&cluster, &url);
    add_secretary(&url);
    dangan(&url, ADMIN, &["users", "add", "钱审计", "--role", "auditor"]).assert().success();

    // The list, in pinyin order, as a workspace prints it; a secretary's is their branch.
    let all = members(&url, ADMIN);
    let names: Vec<&str> = all.iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["李四", "张三"]);
    assert_eq!(all[1]["branch"], "第一党支部");
    assert_eq!(all[1]["stage"], "applicant");
    let theirs = members(&url, "孙书记");
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0]["name"], "张三");

    // The same person and steps in a workspace: each command's words are the server's too.
    let ws = TestWorkspace::initialised();
    let roster =
        ws.write_csv("roster.csv", "姓名,学号工号,所在党支部,递交入党申请书日期\n张三,2026001,第一党支部,2026-01-31\n");
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let local = ws.members_json(&[])[0]["id"].to_string();
    let late_talk = ["step", "add", "--kind", "与入党申请人谈话", "--date", "2026-03-03", "--member"];
    let on_server = dangan(&url, "孙书记", &[&late_talk[..], &[zhang.as_str()]].concat()).output().unwrap();
    let in_workspace = ws.dangan(&[&late_talk[..], &[local.as_str()]].concat()).output().unwrap();
    assert!(on_server.status.success(), "{}", String::from_utf8_lossy(&on_server.stderr));
    assert_eq!(String::from_utf8_lossy(&on_server.stdout), String::from_utf8_lossy(&in_workspace.stdout));
    assert!(String::from_utf8_lossy(&on_server.stdout).contains("came 3 day(s) after its due day 2026-02-28"));
    let refused = ["step", "add", "--kind", "approval_extended", "--date", "2026-03-04", "--months", "3", "--member"];
    let on_server = dangan(&url, "孙书记", &[&refused[..], &[zhang.as_str()]].concat()).output().unwrap();
    let in_workspace = ws.dangan(&[&refused[..], &[local.as_str()]].concat()).output().unwrap();
    assert_eq!(on_server.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&on_server.stderr), String::from_utf8_lossy(&in_workspace.stderr));
    assert!(String::from_utf8_lossy(&on_server.stderr).contains("Art. 25"));

    // The step is there, listed as a workspace lists it, and the stage and the log follow.
    let out = dangan(&url, ADMIN, &["step", "list", "--member", &zhang, "--json"]).output().unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = listed["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["application_received", "applicant_talk"]);
    assert_eq!(listed["late"][0]["days_late"], 3);
    let logged = cluster.superuser_sql(
        "dangan",
        "SELECT actor || ' ' || action || ' ' || (new::jsonb ->> 'kind') FROM dangan.audit_log
         WHERE entity = 'events' AND actor = '孙书记'",
    );
    assert_eq!(logged.trim(), "孙书记 insert applicant_talk");

    // Outside their branch the person does not exist for a secretary; an auditor changes nothing.
    dangan(&url, "孙书记", &["step", "add", "--member", &li, "--kind", "applicant_talk", "--date", "2026-02-10"])
        .assert()
        .code(1)
        .stderr(contains(format!("person {li} not found")));
    dangan(&url, "钱审计", &["step", "add", "--member", &li, "--kind", "applicant_talk", "--date", "2026-02-10"])
        .assert()
        .code(6);
    // Removing the talk: back as it was.
    let talk = listed["events"][1]["id"].to_string();
    dangan(&url, "孙书记", &["step", "remove", "--member", &zhang, "--id", &talk]).assert().success();
    let out = dangan(&url, ADMIN, &["step", "list", "--member", &zhang, "--json"]).output().unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed["events"].as_array().unwrap().len(), 1);
    dangan(&url, ADMIN, &["verify"]).assert().success();
}

#[test]
fn a_change_made_from_a_stale_read_is_refused_naming_who_changed_the_person_since() {
    let Some((cluster, url)) = initialised() else { return };
    let (zhang, _) = office(&cluster, &url);
    add_secretary(&url);
    let address: ServerAddress = url.parse().unwrap();
    let id: i64 = zhang.parse().unwrap();
    let mut admin = ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    let mut secretary = ServerSession::sign_in(&address, Some("孙书记"), PASSPHRASE).unwrap();
    let talk = ProcedureEvent::new(EventKind::ApplicantTalk, "2026-02-20".parse().unwrap());

    // The administrator reads 张三; the secretary records the talk meanwhile.
    let read = admin.member(id).unwrap();
    let after = secretary.save_event(id, talk.clone(), Some(read.version)).unwrap();
    assert!(after.version > read.version);
    assert_eq!(after.changed_by.as_deref(), Some("孙书记"));
    // The administrator's change, made from what they read, is refused and names the secretary.
    let report = ProcedureEvent::new(EventKind::ActivistDetermined, "2026-03-01".parse().unwrap());
    let err = admin.save_event(id, report.clone(), Some(read.version)).unwrap_err();
    assert!(matches!(err, Error::ChangedMeanwhile { .. }), "{err:?}");
    assert!(err.message(Lang::En).contains("changed by 孙书记"), "{}", err.message(Lang::En));
    assert!(err.message(Lang::Zh).contains("已被孙书记修改"), "{}", err.message(Lang::Zh));
    assert_eq!(admin.member(id).unwrap().detail.events.len(), 2, "nothing of the refused change was saved");
    // Read again, the same change goes through.
    let fresh = admin.member(id).unwrap();
    admin.save_event(id, report, Some(fresh.version)).unwrap();
    assert_eq!(admin.member(id).unwrap().detail.events.len(), 3);
}

#[test]
fn another_clients_committed_change_is_announced_and_a_refused_one_is_not() {
    let Some((cluster, url)) = initialised() else { return };
    let (zhang, _) = office(&cluster, &url);
    let address: ServerAddress = url.parse().unwrap();
    let mut feed = ServerSession::watch(&address, ADMIN, PASSPHRASE).unwrap();
    // Another PC records a step: the person and the step are announced once it commits.
    dangan(&url, ADMIN, &["step", "add", "--member", &zhang, "--kind", "applicant_talk", "--date", "2026-02-20"])
        .assert()
        .success();
    let changes = feed.wait(std::time::Duration::from_secs(10)).unwrap();
    let id: i64 = zhang.parse().unwrap();
    assert!(changes.iter().any(|c| c.table == "events" && c.person == Some(id)), "{changes:?}");
    assert!(changes.iter().any(|c| c.table == "people" && c.id == Some(id)), "{changes:?}");
    // A refused step is rolled back whole: nothing is announced.
    dangan(&url, ADMIN, &["step", "add", "--member", &zhang, "--kind", "approval_extended", "--date", "2026-03-04"])
        .assert()
        .code(1);
    let quiet = feed.wait(std::time::Duration::from_millis(1500)).unwrap();
    assert!(quiet.is_empty(), "{quiet:?}");
}

#[test]
fn two_workers_recording_the_same_step_at_once_are_checked_one_after_the_other() {
    let Some((cluster, url)) = initialised() else { return };
    let (zhang, _) = office(&cluster, &url);
    add_secretary(&url);
    let address: ServerAddress = url.parse().unwrap();
    let id: i64 = zhang.parse().unwrap();
    let start = std::sync::Arc::new(std::sync::Barrier::new(2));
    let workers: Vec<_> = [ADMIN, "孙书记"]
        .into_iter()
        .map(|user| {
            let (address, start) = (address.clone(), start.clone());
            std::thread::spawn(move || {
                let mut session = ServerSession::sign_in(&address, Some(user), PASSPHRASE).unwrap();
                let talk = ProcedureEvent::new(EventKind::ApplicantTalk, "2026-02-20".parse().unwrap());
                start.wait();
                session.save_event(id, talk, None)
            })
        })
        .collect();
    let results: Vec<_> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
    let refused = results.iter().find_map(|r| r.as_ref().err()).unwrap();
    assert!(refused.message(Lang::En).contains("Talk with the applicant"), "{}", refused.message(Lang::En));
    let mut admin = ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    assert_eq!(admin.member(id).unwrap().detail.events.len(), 2, "one talk, not two");
}

#[test]
fn a_step_written_in_raw_sql_still_raises_the_version_and_the_stage_follows_the_steps() {
    let Some((cluster, url)) = initialised() else { return };
    let (zhang, _) = office(&cluster, &url);
    let address: ServerAddress = url.parse().unwrap();
    let id: i64 = zhang.parse().unwrap();
    let mut admin = ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    let read = admin.member(id).unwrap();
    let db_role = users_json(&url, ADMIN)[0]["db_role"].as_str().unwrap().to_owned();
    let out = cluster.psql(
        "dangan",
        &db_role,
        PASSPHRASE,
        &format!(
            "INSERT INTO dangan.events (person_id, kind, date) VALUES ({id}, 'applicant_talk', '2026-02-20'), \
             ({id}, 'activist_determined', '2026-03-01')"
        ),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let now = admin.member(id).unwrap();
    assert!(now.version > read.version, "{} then {}", read.version, now.version);
    assert_eq!(
        now.detail.stage,
        dangan_core::domain::Stage::Activist,
        "the stage is the steps', not the stored column's"
    );
    let stale = ProcedureEvent::new(EventKind::ThoughtReport, "2026-04-01".parse().unwrap());
    assert!(matches!(admin.save_event(id, stale, Some(read.version)), Err(Error::ChangedMeanwhile { .. })));
    // The numbers and who changed a person are the server's to set.
    let out = cluster.psql(
        "dangan",
        &db_role,
        PASSPHRASE,
        &format!("UPDATE dangan.people SET changed_by = 'x' WHERE id = {id}"),
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("permission denied"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_person_is_added_and_changed_with_the_workspaces_checks_and_a_taken_number_names_only_a_visible_holder() {
    let Some((cluster, url)) = initialised() else { return };
    let (zhang, li) = office(&cluster, &url);
    add_secretary(&url);
    let address: ServerAddress = url.parse().unwrap();
    let mut admin = ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    let mut secretary = ServerSession::sign_in(&address, Some("孙书记"), PASSPHRASE).unwrap();
    let zhang_detail = admin.member(zhang.parse().unwrap()).unwrap().detail;
    let branch = zhang_detail.person.branch_id;
    // What the procedure still owes him, as a workspace's detail lists it: the talk after his application.
    let owed: Vec<&str> = zhang_detail.deadlines.iter().map(|d| &*d.rule).collect();
    assert!(owed.contains(&"application_talk"), "{owed:?}");
    assert_eq!(zhang_detail.version, Some(admin.member(zhang.parse().unwrap()).unwrap().version));
    let other_branch = admin.member(li.parse().unwrap()).unwrap().detail.person.branch_id;

    // 李四 gets an identity number (the administrator sees everyone).
    let mut li_person = admin.member(li.parse().unwrap()).unwrap().detail.person;
    li_person.id_number = Some("11010519491231002X".into());
    admin.save_person(li_person, None).unwrap();

    // The secretary adds 王五 to their branch; he is listed in pinyin order with the others.
    let mut wang = dangan_core::domain::Person { name: "  王五 ".into(), branch_id: branch, ..Default::default() };
    wang.student_no = Some("2026003".into());
    let added = secretary.save_person(wang.clone(), None).unwrap();
    assert_eq!(added.detail.person.name, "王五", "normalised as in a workspace");
    let names: Vec<String> =
        admin.members(&dangan_core::store::MemberQuery::all()).unwrap().into_iter().map(|(m, _)| m.name).collect();
    assert_eq!(names, ["李四", "王五", "张三"]);
    // Not into a branch that is not theirs, and not with a number already registered elsewhere.
    let mut elsewhere = wang.clone();
    elsewhere.name = "赵六".into();
    elsewhere.student_no = None;
    elsewhere.branch_id = other_branch;
    let err = secretary.save_person(elsewhere, None).unwrap_err();
    assert!(err.message(Lang::En).contains("choose a branch"), "{}", err.message(Lang::En));
    let mut copycat = dangan_core::domain::Person { name: "钱七".into(), branch_id: branch, ..Default::default() };
    copycat.id_number = Some("11010519491231002X".into());
    let err = secretary.save_person(copycat, None).unwrap_err();
    let said = err.message(Lang::En);
    assert!(said.contains("registered already") && !said.contains("李四"), "{said}");
    // A holder the user may see is named, as a workspace names them: 王五's number, in the
    // secretary's own branch; 李四's, to the administrator, who sees everyone.
    let mut twin = dangan_core::domain::Person { name: "孙八".into(), branch_id: branch, ..Default::default() };
    twin.student_no = Some("2026003".into());
    let said = secretary.save_person(twin, None).unwrap_err().message(Lang::En);
    assert!(said.contains("2026003 already belongs to 王五"), "{said}");
    let mut copycat = dangan_core::domain::Person { name: "钱七".into(), branch_id: branch, ..Default::default() };
    copycat.id_number = Some("11010519491231002X".into());
    let said = admin.save_person(copycat, None).unwrap_err().message(Lang::Zh);
    assert!(said.contains("身份证号 11010519491231002X 已属于 李四"), "{said}");
    // A bad field is refused with the workspace's words; a stale change names who made the newer.
    let mut bad = added.detail.person.clone();
    bad.id_number = Some("123".into());
    let err = secretary.save_person(bad, Some(added.version)).unwrap_err();
    assert!(matches!(err, Error::Violations { .. }), "{err:?}");
    let mut renamed = added.detail.person.clone();
    renamed.phone = Some("13800000000".into());
    admin.save_person(renamed.clone(), Some(added.version)).unwrap();
    renamed.phone = Some("13900000000".into());
    let err = secretary.save_person(renamed, Some(added.version)).unwrap_err();
    assert!(err.message(Lang::En).contains(&format!("changed by {ADMIN}")), "{}", err.message(Lang::En));
}

/// The items of `dangan deadlines --json`, without the numbers each database gives its rows.
fn deadline_items(out: std::process::Output) -> Vec<serde_json::Value> {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    for item in &mut items {
        let fields = item.as_object_mut().unwrap();
        assert!(fields.remove("member_id").is_some() && fields.remove("branch_id").is_some(), "{fields:?}");
    }
    items
}

#[test]
fn deadlines_on_a_server_are_a_workspaces_for_the_same_steps_within_each_users_units() {
    let Some((cluster, url)) = initialised() else { return };
    office(&cluster, &url);
    add_secretary(&url);
    let ws = TestWorkspace::initialised();
    // 王五 joined before the records began (入党时间 given, no admission recorded): he owes no step
    // of the procedure, whatever else his row gives, on either engine.
    let old_member = "王五,1999001,第一党支部,1998-03-01,1999-07-01\n";
    let roster = ws.write_csv(
        "roster.csv",
        &format!(
            "姓名,学号工号,所在党支部,递交入党申请书日期,入党时间\n张三,2026001,第一党支部,2026-01-31,\n李四,2026002,第二党支部,2026-01-31,\n{old_member}"
        ),
    );
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let old = ws.write_csv("old.csv", &format!("姓名,学号工号,所在党支部,递交入党申请书日期,入党时间\n{old_member}"));
    dangan(&url, ADMIN, &["import", old.to_str().unwrap()]).assert().success();

    // The members' items (the units' are `owed.rs`'s): the same rules, due days, statuses and
    // words as the workspace's.
    let as_of = ["deadlines", "--as-of", "2026-03-10", "--owed-by", "member", "--json"];
    let on_server = deadline_items(dangan(&url, ADMIN, &as_of).output().unwrap());
    let in_workspace = deadline_items(ws.dangan(&as_of).output().unwrap());
    assert!(on_server.iter().any(|i| i["name"] == "张三" && i["status"] == "overdue"), "{on_server:#?}");
    assert!(on_server.iter().all(|i| i["name"] != "王五"), "{on_server:#?}");
    assert_eq!(on_server, in_workspace);
    // Nor on his member page; 张三's page lists his items as the workspace's page does, most
    // urgent first.
    let address: ServerAddress = url.parse().unwrap();
    let mut session = ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    let workspace =
        dangan_core::Session::unlock(dangan_core::Workspace::at(ws.dir()), None, dangan_tests::PASSPHRASE).unwrap();
    let everyone = session.members(&dangan_core::store::MemberQuery::default()).unwrap();
    let id_of = |name: &str| everyone.iter().find(|(m, _)| m.name == name).unwrap().0.id;
    let page = session.member(id_of("王五")).unwrap();
    assert!(page.detail.deadlines.is_empty(), "{:#?}", page.detail.deadlines);
    let local = workspace.list_members(&dangan_core::store::MemberQuery::all()).unwrap();
    let local_zhang = local.items.iter().find(|m| m.name == "张三").unwrap().id;
    let zhang = id_of("张三");
    let within = [&as_of[..], &["--within", "30"]].concat();
    assert_eq!(
        deadline_items(dangan(&url, ADMIN, &within).output().unwrap()),
        deadline_items(ws.dangan(&within).output().unwrap())
    );

    // A secretary's are their branch's; `--branch` chooses a unit's subtree.
    let theirs = deadline_items(dangan(&url, "孙书记", &as_of).output().unwrap());
    assert!(!theirs.is_empty() && theirs.iter().all(|i| i["name"] == "张三"), "{theirs:#?}");
    let second = [&as_of[..], &["--branch", "第二党支部"]].concat();
    let theirs = deadline_items(dangan(&url, ADMIN, &second).output().unwrap());
    assert!(!theirs.is_empty() && theirs.iter().all(|i| i["name"] == "李四"), "{theirs:#?}");
    dangan(&url, ADMIN, &["deadlines", "--branch", "没有这个支部"]).assert().code(1).stderr(contains("没有这个支部"));

    // The table a person reads; the calendar file a phone takes, whose events keep their UIDs
    // from one file to the next (so a calendar updates them), each user's their own.
    dangan(&url, ADMIN, &["deadlines", "--as-of", "2026-03-10"]).assert().success().stdout(contains("张三"));
    let out_dir = tempfile::tempdir().unwrap();
    let calendar = |user: &str, name: &str| {
        let ics = out_dir.path().join(name);
        dangan(&url, user, &["deadlines", "--as-of", "2026-03-10", "--ics", ics.to_str().unwrap()]).assert().success();
        let text = std::fs::read_to_string(&ics).unwrap();
        assert!(text.starts_with("BEGIN:VCALENDAR") && text.contains("BEGIN:VEVENT"), "{text}");
        let mut uids: Vec<String> = text.lines().filter(|l| l.starts_with("UID:")).map(str::to_owned).collect();
        uids.sort();
        uids
    };
    let (first, again) = (calendar(ADMIN, "1.ics"), calendar(ADMIN, "2.ics"));
    assert!(!first.is_empty());
    assert_eq!(first, again, "the same events keep their UIDs");
    let theirs = calendar("孙书记", "3.ics");
    assert!(theirs.iter().all(|uid| !first.contains(uid)), "another user's calendar is their own");

    // Talked to and made an activist on both: 张三's page lists his next items as the
    // workspace's page does, most urgent first.
    for (kind, date) in [("applicant_talk", "2026-02-20"), ("activist_determined", "2026-05-20")] {
        let step = ["step", "add", "--kind", kind, "--date", date, "--member"];
        dangan(&url, ADMIN, &[&step[..], &[&zhang.to_string()]].concat()).assert().success();
        ws.dangan(&[&step[..], &[&local_zhang.to_string()]].concat()).assert().success();
    }
    let items = |list: &[dangan_core::deadlines::DeadlineItem]| -> Vec<(String, String, String)> {
        list.iter().map(|i| (i.rule.to_string(), i.due.to_string(), format!("{:?}", i.status))).collect()
    };
    let on_server = items(&session.member(zhang).unwrap().detail.deadlines);
    assert!(on_server.len() > 1, "{on_server:?}");
    assert!(on_server.windows(2).all(|w| w[0].1 <= w[1].1), "most urgent first: {on_server:?}");
    assert_eq!(on_server, items(&workspace.member(local_zhang).unwrap().deadlines));
}

#[test]
fn each_user_is_reminded_of_their_own_units_items_once_and_a_failed_notice_records_nothing() {
    let Some((cluster, url)) = initialised() else { return };
    office(&cluster, &url);
    add_secretary(&url);
    dangan(&url, ADMIN, &["users", "add", "钱审计", "--role", "auditor"]).assert().success();
    let address: ServerAddress = url.parse().unwrap();
    let as_of: dangan_core::calendar::Date = "2026-03-10".parse().unwrap();
    let remind = ["remind", "--as-of", "2026-03-10", "--json"];

    // What is due: the workspace's reminders of the same people, to each user their units'.
    let ws = TestWorkspace::initialised();
    let roster = ws.write_csv(
        "roster.csv",
        "姓名,学号工号,所在党支部,递交入党申请书日期\n张三,2026001,第一党支部,2026-01-31\n李四,2026002,第二党支部,2026-01-31\n",
    );
    ws.dangan(&["import", roster.to_str().unwrap()]).assert().success();
    let on_server = deadline_items(dangan(&url, ADMIN, &remind).output().unwrap());
    let members_only: Vec<serde_json::Value> =
        deadline_items(ws.dangan(&remind).output().unwrap()).into_iter().filter(|r| r.get("name").is_some()).collect();
    assert!(on_server.iter().any(|r| r["name"] == "张三" && r["threshold"] == "overdue"), "{on_server:#?}");
    assert_eq!(on_server, members_only);
    let theirs = deadline_items(dangan(&url, "孙书记", &remind).output().unwrap());
    assert!(!theirs.is_empty() && theirs.iter().all(|r| r["name"] == "张三"), "{theirs:#?}");
    assert_eq!(deadline_items(dangan(&url, "钱审计", &remind).output().unwrap()), Vec::<serde_json::Value>::new());

    // A notice that cannot be delivered records nothing; delivered, it is not sent again to that
    // user, and another user is still reminded of it.
    let mut secretary = ServerSession::sign_in(&address, Some("孙书记"), PASSPHRASE).unwrap();
    let failed = secretary.deliver_reminders(Some(as_of), Lang::Zh, |_| Err(Error::Cancelled));
    assert!(failed.is_err());
    assert_eq!(secretary.reminders_due(Some(as_of)).unwrap().len(), theirs.len());
    let mut notices = Vec::new();
    let sent = secretary
        .deliver_reminders(Some(as_of), Lang::Zh, |notice| {
            notices.push(notice.summary.clone());
            Ok(())
        })
        .unwrap();
    assert_eq!(sent.len(), theirs.len());
    assert!(notices.iter().any(|n| n.contains("张三")), "{notices:?}");
    assert!(secretary.reminders_due(Some(as_of)).unwrap().is_empty());
    assert_eq!(deadline_items(dangan(&url, "孙书记", &remind).output().unwrap()), Vec::<serde_json::Value>::new());
    assert_eq!(deadline_items(dangan(&url, ADMIN, &remind).output().unwrap()), on_server);

    // Without a notification service the command says so and records nothing.
    dangan(&url, ADMIN, &["remind", "--notify", "--as-of", "2026-03-10"])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/dangan-no-bus")
        .assert()
        .code(5)
        .stderr(contains("no notification service is running"));
    assert_eq!(deadline_items(dangan(&url, ADMIN, &remind).output().unwrap()), on_server);
    // Nobody writes another user's reminders, even in psql.
    let users = users_json(&url, ADMIN);
    let role = |name: &str| users.iter().find(|u| u["name"] == name).unwrap()["db_role"].as_str().unwrap().to_owned();
    let (secretary_role, admin_role) = (role("孙书记"), role(ADMIN));
    let forged = cluster.psql(
        "dangan",
        &secretary_role,
        PASSPHRASE,
        &format!(
            "INSERT INTO dangan.reminders_sent (db_role, person_id, rule, due, threshold, sent_on)
             SELECT '{admin_role}', id, 'x', '2026-03-01', -1, '2026-03-10' FROM dangan.people"
        ),
    );
    assert!(!forged.status.success() && String::from_utf8_lossy(&forged.stderr).contains("permission denied"));
    assert_eq!(
        String::from_utf8_lossy(
            &cluster.psql("dangan", &admin_role, PASSPHRASE, "SELECT count(*) FROM dangan.reminders_sent").stdout
        )
        .trim(),
        "0",
        "the administrator sees only their own (none)"
    );
}

fn names_of(list: &[serde_json::Value]) -> Vec<String> {
    list.iter().map(|m| m["name"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn the_list_is_filtered_and_searched_as_a_workspaces_and_follows_other_clients_changes() {
    let Some((cluster, url)) = initialised() else { return };
    let admin = users_json(&url, ADMIN)[0]["db_role"].as_str().unwrap().to_owned();
    let branches = "INSERT INTO dangan.org_units (parent_id, kind, name)
        SELECT id, 'branch', b FROM dangan.org_units, unnest(ARRAY['第一党支部', '第二党支部']) b WHERE parent_id IS NULL";
    assert!(cluster.psql("dangan", &admin, PASSPHRASE, branches).status.success());
    let roster = "姓名,学号工号,所在党支部,递交入党申请书日期\n王小明,S2026101,第一党支部,2026-01-31\n王大明,S2026102,第二党支部,2026-01-31\n张三,2026001,第一党支部,2026-01-31\n李四,2026002,第二党支部,2026-01-31\n";
    let ws = TestWorkspace::initialised();
    let file = ws.write_csv("roster.csv", roster);
    ws.dangan(&["import", file.to_str().unwrap()]).assert().success();
    dangan(&url, ADMIN, &["import", file.to_str().unwrap()]).assert().success();

    // Each filter selects on the server what it selects in the workspace, in the same order.
    for filter in [
        &["--search", "wxm"][..],
        &["--search", "wangdaming"],
        &["--search", "王"],
        &["--search", "s20261"],
        &["--branch", "第二党支部"],
        &["--stage", "applicant", "--search", "z"],
        &["--status", "archived"],
        &["--all"],
    ] {
        let args = [&["members", "--json"][..], filter].concat();
        let out = dangan(&url, ADMIN, &args).output().unwrap();
        assert!(out.status.success(), "{filter:?}: {}", String::from_utf8_lossy(&out.stderr));
        let on_server: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(names_of(&on_server), names_of(&ws.members_json(filter)), "{filter:?}");
    }
    assert_eq!(names_of(&ws.members_json(&["--search", "wxm"])), ["王小明"], "the comparison selects something");
    dangan(&url, ADMIN, &["members", "--branch", "第九党支部"]).assert().failure().stderr(contains("not found"));

    // An open session's list follows another client's committed change once the feed delivers it.
    let address: ServerAddress = url.parse().unwrap();
    let mut feed = ServerSession::watch(&address, ADMIN, PASSPHRASE).unwrap();
    let mut open = ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    let search = |text: &str| dangan_core::store::MemberQuery {
        search: Some(text.into()),
        ..dangan_core::store::MemberQuery::all()
    };
    assert_eq!(open.list_members(&search("wxm")).unwrap().total, 1);
    let mut other = ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    let id = open.list_members(&search("wxm")).unwrap().items[0].id;
    // The open session's deadlines, read once, owe 王小明's talk.
    let owes_talk = |session: &mut ServerSession| {
        let query = dangan_core::deadlines::DeadlineQuery {
            member_id: Some(id),
            as_of: Some("2026-02-01".parse().unwrap()),
            ..Default::default()
        };
        session.deadlines(&query).unwrap().iter().any(|item| &*item.rule == "application_talk")
    };
    assert!(owes_talk(&mut open));
    let mut person = other.member(id).unwrap().detail.person;
    person.name = "王明亮".into();
    other.save_person(person, None).unwrap();
    let talk = ProcedureEvent {
        id: None,
        kind: EventKind::ApplicantTalk,
        date: "2026-02-01".parse().unwrap(),
        months: None,
        note: None,
    };
    other.save_event(id, talk, None).unwrap();
    assert_eq!(open.list_members(&search("wangmingliang")).unwrap().total, 0, "not yet told");
    assert!(owes_talk(&mut open), "not yet told");
    let mut changes = feed.wait(std::time::Duration::from_secs(10)).unwrap();
    for _ in 0..3 {
        if changes.iter().any(|c| c.table == "events") {
            break;
        }
        changes.extend(feed.wait(std::time::Duration::from_secs(10)).unwrap());
    }
    open.apply_changes(&changes);
    let page = open.list_members(&search("wangmingliang")).unwrap();
    assert_eq!(page.items.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["王明亮"]);
    assert!(!owes_talk(&mut open), "the talk recorded elsewhere is seen");
}

/// `dangan step add --selection` on a server: each person checked as one alone, all recorded in
/// one transaction or none, the refusal naming each person refused.
#[test]
fn one_step_for_several_on_a_server_is_all_or_none_naming_each_refused() {
    let Some((cluster, url)) = initialised() else { return };
    let (zhang, li) = office(&cluster, &url);
    let selection = format!("{zhang},{li}");
    let talk = |date: &str| {
        dangan(&url, ADMIN, &["step", "add", "--selection", &selection, "--kind", "与入党申请人谈话", "--date", date])
    };
    // Before their applications (2026-01-31): refused for both, each named, nothing recorded.
    talk("2026-01-10").assert().failure().stderr(contains("张三")).stderr(contains("李四"));
    let steps = |id: &str| {
        let out = dangan(&url, ADMIN, &["step", "list", "--member", id, "--json"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["events"].as_array().unwrap().len()
    };
    assert_eq!((steps(&zhang), steps(&li)), (1, 1), "nothing of a refused batch is kept");
    talk("2026-02-20").assert().success().stdout(contains("张三")).stdout(contains("李四"));
    assert_eq!((steps(&zhang), steps(&li)), (2, 2));
}

#[test]
fn a_sessions_lists_and_scan_after_its_own_changes_are_a_fresh_sessions() {
    use dangan_core::deadlines::DeadlineQuery;
    use dangan_core::domain::{MembershipStatus, Stage, StatusChange};
    use dangan_core::store::{MemberQuery, StatusFilter};
    let Some((cluster, url)) = initialised() else { return };
    let (zhang, li) = office(&cluster, &url);
    let address: ServerAddress = url.parse().unwrap();
    let (id, li): (i64, i64) = (zhang.parse().unwrap(), li.parse().unwrap());
    let mut session = ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    let as_of = DeadlineQuery { as_of: Some("2026-06-10".parse().unwrap()), ..DeadlineQuery::default() };
    // From here on the session holds the list's rows and everyone's steps.
    session.members(&MemberQuery::all()).unwrap();
    let before = session.deadlines(&as_of).unwrap();
    // What it answers is what a session that reads everything afresh answers.
    let same_as_fresh = |session: &mut ServerSession, after: &str| {
        let mut fresh = ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
        for query in [
            MemberQuery::all(),
            MemberQuery { status: Some(StatusFilter::All), ..MemberQuery::all() },
            MemberQuery { stage: Some(Stage::Activist), ..MemberQuery::all() },
            MemberQuery { search: Some("zs".into()), ..MemberQuery::all() },
            MemberQuery { search: Some("章".into()), ..MemberQuery::all() },
        ] {
            let (held, read) = (session.list_members(&query).unwrap(), fresh.list_members(&query).unwrap());
            assert_eq!(held.items, read.items, "after {after}: {query:?}");
        }
        let items = session.deadlines(&as_of).unwrap();
        assert_eq!(items, fresh.deadlines(&as_of).unwrap(), "after {after}");
        items
    };

    // Its own changes, each put where it holds them from what the change returned: 张三 talked
    // to, made an activist, renamed 章三, moved to 李四's branch.
    let day = |d: &str| d.parse().unwrap();
    session.save_event(id, ProcedureEvent::new(EventKind::ApplicantTalk, day("2026-02-20")), None).unwrap();
    same_as_fresh(&mut session, "a step");
    session.save_event(id, ProcedureEvent::new(EventKind::ActivistDetermined, day("2026-05-20")), None).unwrap();
    let mut person = session.member(id).unwrap().detail.person;
    person.name = "章三".into();
    session.save_person(person, None).unwrap();
    let after = same_as_fresh(&mut session, "a rename");
    let activists = session.list_members(&MemberQuery { stage: Some(Stage::Activist), ..MemberQuery::all() });
    assert_eq!(activists.unwrap().items.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["章三"]);
    assert_ne!(after, before, "the steps recorded change what is owed");
    assert!(after.iter().all(|i| !(&*i.rule == "application_talk" && i.owner.member_id() == Some(id))), "{after:#?}");
    let li_page = session.member(li).unwrap();
    let mut person = session.member(id).unwrap().detail.person;
    person.branch_id = li_page.detail.person.branch_id;
    session.save_person(person, None).unwrap();
    same_as_fresh(&mut session, "a move");

    // 李四: a step for the rows ticked, then taken back; transferred out and back; then given
    // 入党时间 with no admission (a member from before the records, who owes no step).
    let talk = ProcedureEvent::new(EventKind::ApplicantTalk, day("2026-02-21"));
    session.save_event_for_many(&[li], &talk).unwrap();
    same_as_fresh(&mut session, "a step for several");
    let talked =
        session.member(li).unwrap().detail.events.iter().find(|e| e.kind == EventKind::ApplicantTalk).unwrap().id;
    session.delete_event(li, talked.unwrap(), None).unwrap();
    same_as_fresh(&mut session, "a step removed");
    let out = StatusChange {
        id: None,
        person_id: li,
        status: MembershipStatus::TransferredOut,
        date: day("2026-06-01"),
        reason: Some("转学".into()),
    };
    session.change_status(out).unwrap();
    let items = same_as_fresh(&mut session, "a transfer out");
    assert!(items.iter().all(|i| i.owner.member_id() != Some(li)), "out of the register, 李四 owes nothing");
    // Taken back as shown: a change no longer the latest is refused, taking nothing back.
    let shown = session.member(li).unwrap().detail.status_history.last().and_then(|c| c.id).unwrap();
    let stale = session.undo_status_change(li, Some(shown + 1)).unwrap_err();
    assert!(stale.message(Lang::En).contains("no longer the one you were shown"), "{stale}");
    session.undo_status_change(li, Some(shown)).unwrap();
    let items = same_as_fresh(&mut session, "the transfer taken back");
    assert!(items.iter().any(|i| i.owner.member_id() == Some(li)));
    let mut person = session.member(li).unwrap().detail.person;
    person.joined_on = Some(day("1999-07-01"));
    session.save_person(person, None).unwrap();
    let items = same_as_fresh(&mut session, "入党时间 given");
    assert!(items.iter().all(|i| i.owner.member_id() != Some(li)), "{items:#?}");
}

/// The changes a feed delivers until one concerns `wanted` (within a few seconds).
pub(crate) fn changes_until(
    feed: &mut dangan_core::server::ChangeFeed,
    wanted: dangan_core::server::Concern,
) -> Vec<dangan_core::server::Change> {
    let mut changes = Vec::new();
    for _ in 0..10 {
        changes.extend(feed.wait(std::time::Duration::from_millis(500)).unwrap());
        if changes.iter().any(|c| c.concern() == wanted) {
            return changes;
        }
    }
    panic!("no change of {wanted:?} announced: {changes:?}");
}

#[test]
fn an_open_session_follows_its_users_branches_changed_elsewhere() {
    use dangan_core::access::Role;
    use dangan_core::server::Concern;
    use dangan_core::store::MemberQuery;
    let Some((cluster, url)) = initialised() else { return };
    office(&cluster, &url);
    add_secretary(&url);
    let address: ServerAddress = url.parse().unwrap();
    let mut feed = ServerSession::watch(&address, "孙书记", PASSPHRASE).unwrap();
    let mut open = ServerSession::sign_in(&address, Some("孙书记"), PASSPHRASE).unwrap();
    let names = |session: &mut ServerSession| -> Vec<String> {
        session.list_members(&MemberQuery::all()).unwrap().items.into_iter().map(|m| m.name).collect()
    };
    assert_eq!(names(&mut open), ["张三"]);

    // The administrator gives the secretary 第二党支部 too, from another client: the open session
    // is told, reads its account again, and lists both branches' members without a restart.
    let mut admin = ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    admin.set_user_role("孙书记", Role::BranchSecretary, &["第一党支部".into(), "第二党支部".into()]).unwrap();
    let changes = changes_until(&mut feed, Concern::Account);
    assert!(
        changes.iter().all(|c| c.id.is_none() && c.person.is_none()),
        "an account's change names no row: {changes:?}"
    );
    open.apply_changes(&changes);
    assert_eq!(open.user().branches.len(), 2);
    assert_eq!(names(&mut open), ["李四", "张三"]);

    // Made an auditor: the session knows it may no longer change records (the server refused it
    // already).
    admin.set_user_role("孙书记", Role::Auditor, &[]).unwrap();
    open.apply_changes(&changes_until(&mut feed, Concern::Account));
    assert_eq!(open.user().role, Role::Auditor);
}

#[test]
fn the_page_a_change_returns_names_the_branch_as_it_is_now() {
    use dangan_core::server::Concern;
    let Some((cluster, url)) = initialised() else { return };
    let (zhang, _) = office(&cluster, &url);
    let admin_role = users_json(&url, ADMIN)[0]["db_role"].as_str().unwrap().to_owned();
    let psql = |sql: &str| {
        let out = cluster.psql("dangan", &admin_role, PASSPHRASE, sql);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let address: ServerAddress = url.parse().unwrap();
    let id: i64 = zhang.parse().unwrap();
    let mut feed = ServerSession::watch(&address, ADMIN, PASSPHRASE).unwrap();
    let mut session = ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    let talk = ProcedureEvent::new(EventKind::ApplicantTalk, "2026-02-20".parse().unwrap());
    let page = session.save_event(id, talk, None).unwrap();
    assert_eq!(page.detail.branch_path, "第一党支部");

    // A branch added elsewhere after the session's first change: the member moved into it is
    // named there.
    let third: i64 = psql(
        "INSERT INTO dangan.org_units (parent_id, kind, name)
             SELECT id, 'branch', '第三党支部' FROM dangan.org_units WHERE parent_id IS NULL;
         SELECT id FROM dangan.org_units WHERE name = '第三党支部'",
    )
    .parse()
    .unwrap();
    let mut person = page.detail.person;
    person.branch_id = third;
    let page = session.save_person(person, None).unwrap();
    assert_eq!(page.detail.branch_path, "第三党支部");

    // Renamed elsewhere: once the session is told, its next page names it anew.
    psql("UPDATE dangan.org_units SET name = '第三党支部（合并）' WHERE name = '第三党支部'");
    session.apply_changes(&changes_until(&mut feed, Concern::Units));
    let page = session.save_person(page.detail.person, None).unwrap();
    assert_eq!(page.detail.branch_path, "第三党支部（合并）");
    assert!(page.detail.deadlines.iter().all(|i| &*i.branch == "第三党支部（合并）"), "{:#?}", page.detail.deadlines);
}
