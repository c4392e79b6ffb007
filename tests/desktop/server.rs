//! The desktop app on a shared server (issue 20), end to end: a real PostgreSQL cluster of the
//! test's own (`dangan_tests::postgres`, TLS and SCRAM), the release-built app driven as a person
//! would, and a second user changing records beside it through dangan-core, as another office's
//! app would. The first-run screen's 连接服务器, a wrong passphrase refused, the screens a server
//! offers, another user's changes reaching the open list and member page without a restart, a
//! stale form's save refused naming who changed the member, an item set aside for both and
//! restored by the other, a membership status changed and taken back, a record added to a
//! member's file, a document made, 组织生活's register (a meeting recorded here, another user's
//! appearing by itself), the server stopped (the loss said, a
//! save refused with nothing kept) and started again (the app signs in anew by itself), the server
//! remembered across a restart, and forgotten.
//!
//! It runs when `DANGAN_DESKTOP_APP` names the app and `DANGAN_SERVER_TEST=1` says PostgreSQL is
//! installed (`cargo xtask test` sets both), and skips itself otherwise.

use std::ops::ControlFlow;
use std::path::Path;

use dangan_core::access::Role;
use dangan_core::domain::{EventKind, Meeting, MeetingKind, Person, ProcedureEvent};
use dangan_core::roster::ImportOptions;
use dangan_core::server::{ServerAddress, ServerSession};
use dangan_tests::postgres::PgCluster;

use crate::driver::{App, TODAY, TauriDriver};
use crate::{ADMIN, COMMITTEE, GOOD_ROSTER, PASSPHRASE};

/// The other user, an organiser in another office, whose changes the app must show.
const OTHER: &str = "李组织";
const OTHER_PASSPHRASE: &str = "the organiser's passphrase";
const INSPECTOR: &str = "孙纪检";
const INSPECTOR_PASSPHRASE: &str = "the inspector's passphrase";
const COMPLAINT_WORDS: &str = "反映某同志在评优中弄虚作假";

/// Sets the server up, then drives the app beside the other user. PostgreSQL's client blocks, so
/// its sessions are made and dropped outside the async runtime, and each call within it runs as
/// a blocking section (`beside`).
pub fn scenario(app_path: &Path, cluster: &PgCluster, shots: &Path) {
    let root = tempfile::tempdir().unwrap();
    let today = TODAY.parse().unwrap();

    // The department's administrator set the server up and imported the roster (ten people).
    let owner_url = cluster.create_owned_database("dangan", "dangan_owner", "the owner's password");
    ServerSession::initialise(&owner_url.parse().unwrap(), COMMITTEE, ADMIN, PASSPHRASE).unwrap();
    let url = cluster.url("dangan", None);
    let address: ServerAddress = url.parse().unwrap();
    let mut admin = ServerSession::sign_in(&address, Some(ADMIN), PASSPHRASE).unwrap();
    admin.set_today(today);
    let roster = root.path().join("名册.csv");
    std::fs::write(&roster, GOOD_ROSTER).unwrap();
    admin.import_roster_file(&roster, ImportOptions::default(), |_| ControlFlow::Continue(())).unwrap();
    admin.add_user(OTHER, Role::Organiser, None, &[], OTHER_PASSPHRASE).unwrap();
    admin.add_user(INSPECTOR, Role::DisciplineInspector, None, &[], INSPECTOR_PASSPHRASE).unwrap();
    // The first branch owes its meetings since January: they are among 工作提醒's items.
    let first = admin.find_unit("计算机学院第一党支部", "branch").unwrap();
    admin.set_life_from(first, "2026-01-01".parse().unwrap()).unwrap();
    let mut other = ServerSession::sign_in(&address, Some(OTHER), OTHER_PASSPHRASE).unwrap();
    other.set_today(today);

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let office = root.path().join("office");
    runtime.block_on(drive(app_path, shots, cluster, &office, &url, &mut admin, &mut other));
}

/// Runs a call of the other user (or the administrator) beside the app: it blocks.
fn beside<T>(call: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(call)
}

async fn drive(
    app_path: &Path,
    shots: &Path,
    cluster: &PgCluster,
    office: &Path,
    url: &str,
    admin: &mut ServerSession,
    other: &mut ServerSession,
) {
    // A new office PC: no workspace, so the set-up screen, which offers the server instead.
    let driver = TauriDriver::start(office, &shots.join("tauri-driver-server.log")).await;
    let app = App::launch(&driver, app_path, shots).await;
    app.wait("setup-form").await;
    app.click("server-open").await;
    app.type_into("server-address-input", url).await;
    app.type_into("server-user", ADMIN).await;
    app.type_into("server-passphrase", "not the passphrase").await;
    app.click("server-submit").await;
    // Refused by the server itself (the passphrase is the login role's password); nothing noted.
    app.wait("server-wrong").await;
    assert!(!office.join("dangan.server").exists(), "a refused sign-in notes no server");
    app.type_into("server-passphrase", PASSPHRASE).await;
    app.screenshot("40-server-sign-in").await;
    app.click("server-submit").await;

    // Signed in: the server is named in the top bar, and the menu holds what a server offers.
    app.wait_attr("session-user", "data-role", "administrator").await;
    app.wait_attr("server-address", "data-connected", "true").await;
    assert_eq!(std::fs::read_to_string(office.join("dangan.server")).unwrap().trim(), url);
    for offered in [
        "nav-dashboard",
        "nav-calendar",
        "nav-members",
        "nav-life",
        "nav-dues",
        "nav-appraisal",
        "nav-transfers",
        "nav-statistics",
        "nav-users",
        "nav-audit",
    ] {
        assert!(app.exists(offered).await, "{offered} is offered on a server");
    }
    for not_yet in ["backup-open"] {
        assert!(!app.exists(not_yet).await, "{not_yet} is not offered on a server yet");
    }
    app.wait("dashboard").await;
    app.wait_attr("dashboard", "data-loaded", "true").await;

    // An item set aside on the server, as in a workspace: acknowledged here, it leaves the urgent
    // list and is set aside for the other user too; they restore it, and it comes back here
    // with nothing clicked.
    let (member, rule, row) = crate::acknowledge_first_urgent(&app).await;
    let member_id: i64 = member.parse().unwrap();
    let theirs = beside(|| {
        let query = dangan_core::deadlines::DeadlineQuery {
            member_id: Some(member_id),
            only_dismissed: true,
            ..Default::default()
        };
        other.deadlines(&query).unwrap()
    });
    assert_eq!(theirs.len(), 1, "set aside for the other user too: {theirs:?}");
    assert!(theirs[0].acknowledged && *theirs[0].rule == *rule);
    beside(|| other.restore_deadline(member_id, &rule, theirs[0].due).unwrap());
    app.wait_css(&row).await;
    app.wait_gone("[data-testid='dashboard-dismissed']").await;

    // So is a meeting a unit owes.
    let owed = app.wait_css("[data-testid='urgent-list'] [data-testid='deadline-row'][data-owner='unit']").await;
    let (unit, unit_rule) =
        (owed.attr("data-unit-id").await.unwrap().unwrap(), owed.attr("data-rule").await.unwrap().unwrap());
    let unit_row = format!(
        "[data-testid='urgent-list'] [data-testid='deadline-row'][data-owner='unit'][data-unit-id='{unit}'][data-rule='{unit_rule}']"
    );
    app.click_css(&format!("{unit_row} [data-testid='deadline-ack']")).await;
    app.wait_gone(&unit_row).await;
    let unit_id: i64 = unit.parse().unwrap();
    let theirs = beside(|| {
        let query = dangan_core::deadlines::DeadlineQuery {
            branch_id: Some(unit_id),
            owed_by: Some(dangan_core::deadlines::OwnerKind::Unit),
            only_dismissed: true,
            ..Default::default()
        };
        other.deadlines(&query).unwrap()
    });
    assert_eq!(theirs.len(), 1, "set aside for the other user too: {theirs:?}");
    assert!(theirs[0].acknowledged && *theirs[0].rule == *unit_rule);
    let group = match &theirs[0].owner {
        dangan_core::deadlines::Owner::Unit { group_id, .. } => *group_id,
        dangan_core::deadlines::Owner::Member { .. } => panic!("a unit's item: {theirs:?}"),
    };
    beside(|| other.restore_unit_deadline(unit_id, group, &unit_rule, theirs[0].due).unwrap());
    app.wait_css(&unit_row).await;

    // 登记 from 工作提醒 records from the member as the dialog read them: the other user changing
    // them meanwhile refuses the save, naming them, rather than both recording it.
    let read = beside(|| admin.member(member_id).unwrap().version);
    app.click_css(&format!("{row} [data-testid='deadline-record']")).await;
    app.wait_attr("record-facts", "data-version", &read.to_string()).await;
    beside(|| {
        let mut theirs = other.member(member_id).unwrap();
        theirs.detail.person.notes = Some("组织部已约谈".into());
        other.save_person(theirs.detail.person, Some(theirs.version)).unwrap();
    });
    app.click("record-confirm").await;
    let refused = app.wait_text("record-error").await;
    assert!(refused.contains(OTHER), "the refusal names who changed the member: {refused}");
    app.click("record-cancel").await;

    app.click("nav-members").await;
    app.wait_rows(10).await;
    assert!(app.exists("dossiers-open").await, "dossiers print on a server too");

    // A branch added by hand, under the workspace's rules: a name the committee has is refused
    // inline, a new one is made on the server and shown in the tree.
    app.click("org-add-branch").await;
    app.type_into("org-unit-name", "外国语学院党支部").await;
    app.click("org-unit-save").await;
    let refused = app.wait_text("org-unit-error").await;
    assert!(refused.contains("已存在"), "the duplicate is named: {refused}");
    app.clear("org-unit-name").await;
    app.type_into("org-unit-name", "马克思主义学院党支部").await;
    app.click("org-unit-save").await;
    app.wait_gone("[data-testid='org-unit-dialog']").await;
    let made = beside(|| admin.find_unit("马克思主义学院党支部", "branch")).expect("the branch is on the server");
    app.wait_css(&format!("[data-testid='org-node'][data-unit-id='{made}']")).await;
    // The new branch is chosen in the tree, as in a workspace: back to the whole committee.
    let root = app.attrs("org-node", "data-unit-id").await[0].clone();
    app.click_css(&format!("[data-testid='org-node'][data-unit-id='{root}']")).await;
    app.wait_rows(10).await;

    // Another user adds a person: the open list shows them, with nothing clicked.
    beside(|| {
        let branch = other.find_unit("外国语学院党支部", "branch").unwrap();
        let newcomer = Person { branch_id: branch, name: "新同学".into(), ..Person::default() };
        other.save_person(newcomer, None).unwrap();
    });
    app.wait_rows(11).await;
    assert!(app.row_names().await.contains(&"新同学".to_owned()));

    // 李四 (an applicant) open in the app; the other user records her activist step: her page
    // shows her new stage.
    let li = beside(|| {
        let query =
            dangan_core::store::MemberQuery { search: Some("李四".into()), ..dangan_core::store::MemberQuery::all() };
        admin.list_members(&query).unwrap().items[0].id
    });
    app.click_css(&format!("[data-testid='member-row'][data-member-id='{li}']")).await;
    assert_eq!(app.wait_text("member-detail-name").await, "李四");
    app.wait_attr("member-detail-stage", "data-stage", "applicant").await;
    // Her UUID, the same in every database she is copied to, is on her page.
    let li_uid = beside(|| admin.member(li).unwrap().detail.uid.unwrap());
    let shown = app.wait_css("[data-field='person.uid']").await.text().await.unwrap();
    assert_eq!(shown.trim(), li_uid);
    let activist = ProcedureEvent::new(EventKind::ActivistDetermined, "2026-04-10".parse().unwrap());
    beside(|| other.save_event(li, activist, None).unwrap());
    app.wait_attr("member-detail-stage", "data-stage", "activist").await;
    app.screenshot("41-server-member-changed-by-another").await;

    // A form opened on her, then another change by the other user: its save is refused, naming
    // them, and what they saved stands.
    app.click("member-edit").await;
    app.wait("person-dialog").await;
    beside(|| {
        let mut theirs = other.member(li).unwrap();
        theirs.detail.person.notes = Some("组织部核对过".into());
        other.save_person(theirs.detail.person, Some(theirs.version)).unwrap();
    });
    app.type_into("person-notes", "支部的备注").await;
    app.click("person-save").await;
    let refused = app.wait_text("person-error").await;
    assert!(refused.contains(OTHER), "the refusal names who changed her: {refused}");
    app.screenshot("42-server-stale-save-refused").await;
    app.click("person-cancel").await;
    app.click("person-discard").await;
    let notes = beside(|| other.member(li).unwrap().detail.person.notes);
    assert_eq!(notes.as_deref(), Some("组织部核对过"));

    // Her membership status, changed on her page as in a workspace: transferred out, for the
    // other user too; taken back (asked twice), she is in the register again.
    app.click("status-change").await;
    app.wait("status-dialog").await;
    app.choose("status-select", "转出").await;
    app.click("status-save").await;
    app.wait_attr("member-status", "data-status", "transferred_out").await;
    let theirs = beside(|| other.member(li).unwrap().detail.status);
    assert_eq!(theirs, dangan_core::domain::MembershipStatus::TransferredOut);
    app.screenshot("45-server-status-changed").await;
    app.click("status-undo").await;
    app.click("status-undo-confirm").await;
    app.wait_attr("member-status", "data-status", "in_register").await;
    let theirs = beside(|| other.member(li).unwrap().detail.status);
    assert_eq!(theirs, dangan_core::domain::MembershipStatus::InRegister);

    // Her file on the server: the application letter recorded on her page completes its
    // checklist line, and the other user reads the record.
    let letter = "[data-testid='checklist-line'][data-material='application_letter']";
    app.wait_css(&format!("{letter}[data-state='missing']")).await;
    app.click("record-add").await;
    app.wait("file-record-dialog").await;
    app.choose("file-record-kind", "入党申请书").await;
    app.clear("file-record-date").await;
    app.type_into("file-record-date", "2025-10-08").await;
    app.type_into("file-record-body", "敬爱的党组织：我志愿加入中国共产党。").await;
    app.click("file-record-save").await;
    app.wait_css(&format!("{letter}[data-state='present']")).await;
    app.screenshot("45b-server-member-file").await;
    let theirs = beside(|| other.records(li).unwrap());
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0].body, "敬爱的党组织：我志愿加入中国共产党。");
    // And a record the other user adds appears in the open file by itself.
    beside(|| {
        let report = dangan_core::domain::FileRecord {
            version: None,
            id: None,
            person_id: li,
            kind: dangan_core::domain::RecordKind::ThoughtReport,
            date: "2026-05-01".parse().unwrap(),
            event_id: None,
            title: Some("第一季度思想汇报".into()),
            body: String::new(),
            fields: dangan_core::domain::RecordFields::default(),
            attachments: Vec::new(),
        };
        other.save_record(report, &[]).unwrap();
    });
    app.wait_css("[data-testid='record-row'][data-kind='thought_report']").await;

    // A document from her page, filled from the server's records (an activist now): the
    // development targets' publicity, saved as Word, opened by LibreOffice (its step is recorded
    // with it in `tests/server/documents.rs`).
    app.click("documents-open-dialog").await;
    app.wait_attr("documents-people", "data-count", "1").await;
    app.click_css("[data-testid='documents-choice'][data-document='candidate_publicity']").await;
    assert!(app.wait_text("documents-preview-table").await.contains("李四"));
    let notice = office.parent().unwrap().join("发展对象公示.docx");
    app.type_into("documents-path", notice.to_str().unwrap()).await;
    app.click("documents-save").await;
    app.wait("documents-saved").await;
    app.screenshot("46-server-document-saved").await;
    app.click("documents-close").await;
    let text = beside(|| dangan_tests::libreoffice_text(&notice));
    assert!(text.contains("为发展对象的公示") && text.contains("李四"), "{text}");

    // The server stops: the top bar says its connection is lost, and a save meanwhile is refused
    // saying the server cannot be reached and that nothing was changed.
    beside(|| cluster.stop_fast());
    app.wait_attr("server-address", "data-connected", "false").await;
    app.click("member-edit").await;
    app.type_into("person-notes", "断线时的备注").await;
    app.click("person-save").await;
    let refused = app.wait_text("person-error").await;
    assert!(refused.contains("无法连接服务器") && refused.contains("没有做任何更改"), "{refused}");
    app.screenshot("43-server-unreachable").await;
    app.click("person-cancel").await;
    app.click("person-discard").await;

    // It starts again: the app signs in anew by itself, and the other user's next change shows.
    beside(|| cluster.start_again());
    app.wait_attr("server-address", "data-connected", "true").await;
    beside(|| {
        other.reconnect_if_lost(OTHER_PASSPHRASE).unwrap();
        let branch = other.find_unit("外国语学院党支部", "branch").unwrap();
        let returner = Person { branch_id: branch, name: "回来的同学".into(), ..Person::default() };
        other.save_person(returner, None).unwrap();
    });
    app.click("detail-back").await;
    app.wait_rows(12).await;
    let notes = beside(|| other.member(li).unwrap().detail.person.notes);
    assert_eq!(notes.as_deref(), Some("组织部核对过"), "nothing of the refused save was kept");

    // 组织生活 on the server, all of it: a theme day recorded here with its attendance is listed; a
    // party lecture the other user records appears
    // by itself.
    app.click("nav-life").await;
    app.wait("life-screen").await;
    for tab in ["life-tab-committee", "life-tab-groups", "life-tab-classes", "life-tab-study", "life-meetings-import"] {
        assert!(app.exists(tab).await, "{tab} is offered on a server");
    }
    app.choose("life-unit", "计算机学院第一党支部").await;
    app.click("life-record-meeting").await;
    app.wait("meeting-dialog").await;
    app.choose("meeting-kind", "主题党日").await;
    app.clear("meeting-date").await;
    app.type_into("meeting-date", crate::driver::TODAY).await;
    app.type_into("meeting-topic", "学习党章").await;
    app.click("attendance-all-present").await;
    app.click("meeting-save").await;
    app.wait_gone("[data-testid='meeting-dialog']").await;
    app.wait_css("[data-testid='life-meeting']").await;
    let theirs = beside(|| {
        let branch = other.find_unit("计算机学院第一党支部", "unit").unwrap();
        let recorded = other.meetings(&Default::default()).unwrap();
        assert!(
            recorded.iter().any(|r| r.meeting.kind == MeetingKind::ThemeDay && !r.attendees.is_empty()),
            "the app's meeting is on the server with its attendance: {recorded:#?}"
        );
        let lecture = Meeting {
            version: None,
            id: None,
            unit_id: branch,
            group_id: None,
            kind: MeetingKind::PartyLecture,
            date: crate::driver::TODAY.parse().unwrap(),
            held: true,
            place: None,
            chair: None,
            recorder: None,
            topic: Some("党课：入党誓词".into()),
            minutes: None,
            decisions: None,
            study_minutes: 60,
            guests: None,
        };
        other.save_meeting(lecture, &[]).unwrap().meeting.id.unwrap()
    });
    app.wait_css(&format!("[data-testid='life-meeting'][data-meeting-id='{theirs}']")).await;
    app.screenshot("45-server-branch-life").await;

    // 统计 on the server: a number opens the list of exactly the people it counts (李四 is an
    // activist now).
    app.click("nav-statistics").await;
    app.wait("stats-screen").await;
    let activists: u64 = app.wait_text("stat-cell-by_stage-activist-count").await.trim().parse().unwrap();
    app.click("stat-cell-by_stage-activist-count").await;
    app.wait("members-cell-filter").await;
    app.wait_attr("member-total", "data-total", &activists.to_string()).await;
    assert!(app.row_names().await.contains(&"李四".to_owned()));
    app.screenshot("44-server-statistics-drill-down").await;
    // The annual report too, counted by the server as the other user's session counts it.
    app.click("nav-statistics").await;
    app.click("stats-tab-annual").await;
    let check = app.wait_text("annual-check").await;
    assert!(check.contains("一致") || check.contains("balance"), "{check}");
    let end: u64 = app.wait_text("annual-members-end-value").await.trim().parse().unwrap();
    let year: i32 = crate::driver::TODAY[..4].parse().unwrap();
    assert_eq!(end, beside(|| other.annual_report(year, None).unwrap().members_end));

    // 党费 on the server: 张三, eight months behind (the other user set his base), is in arrears here.
    let zhang = beside(|| {
        let query =
            dangan_core::store::MemberQuery { search: Some("张三".into()), ..dangan_core::store::MemberQuery::all() };
        let zhang = other.list_members(&query).unwrap().items[0].id;
        let this_month = dangan_core::dues::Month::of(crate::driver::TODAY.parse().unwrap());
        let base = dangan_core::store::DuesBase {
            person_id: zhang,
            category: dangan_core::domain::DuesCategory::Salaried,
            base_fen: 420_000,
            from_month: this_month.plus(-8),
        };
        other.set_dues_base(base).unwrap();
        zhang
    });
    app.click("nav-dues").await;
    app.wait("dues-screen").await;
    assert_eq!(app.wait_text("dues-arrears-count").await.trim(), "1 人");
    app.wait_css(&format!("[data-testid='dues-arrears-row'][data-member-id='{zhang}']")).await;
    app.screenshot("47-server-dues").await;

    // 民主评议 on the server: opened here for the first branch, it is the other user's as well.
    app.click("nav-appraisal").await;
    app.wait_attr("appraisal-screen", "data-loaded", "true").await;
    app.click("appraisal-open").await;
    app.wait("open-appraisal-dialog").await;
    app.choose("open-appraisal-unit", "计算机学院第一党支部").await;
    app.click("open-appraisal-save").await;
    app.wait("appraisal-panel").await;
    app.screenshot("48-server-appraisal").await;
    let year: i32 = crate::driver::TODAY[..4].parse().unwrap();
    let theirs = beside(|| other.appraisals(year, None).unwrap());
    assert!(
        theirs
            .iter()
            .any(|a| a.unit.ends_with("计算机学院第一党支部") && a.participants.iter().any(|p| p.name == "张三")),
        "{theirs:#?}"
    );

    // 组织关系 on the server: the letter the other user issued is listed here with its state; a
    // member arriving from another university is registered here and their page opens.
    let (wu, letter) = beside(|| {
        let query =
            dangan_core::store::MemberQuery { search: Some("吴桐".into()), ..dangan_core::store::MemberQuery::all() };
        let wu = other.list_members(&query).unwrap().items[0].id;
        let new = dangan_core::transfer::NewLetter {
            person_id: wu,
            destination: "中共某市委组织部".into(),
            addressee: None,
            validity_days: None,
            issued_on: TODAY.parse().unwrap(),
            assessment: None,
        };
        (wu, other.issue_letter(new, None, office).unwrap())
    });
    app.click("nav-transfers").await;
    app.wait_attr("transfers-screen", "data-loaded", "true").await;
    app.wait_css(&format!("[data-testid='transfer-letter'][data-letter-id='{}'][data-member-id='{wu}']", letter.id))
        .await;
    assert!(app.exists("transfer-graduation").await, "a graduating class leaves a server in one batch");
    assert!(app.exists("transfer-receive-package").await, "a member package is received on a server");
    app.screenshot("49-server-transfers").await;
    app.click("transfer-arrival").await;
    app.wait("arrival-dialog").await;
    app.type_into("arrival-name", "郑十").await;
    app.choose("arrival-branch", "计算机学院第一党支部").await;
    app.type_into("arrival-from", "中共外校委员会").await;
    app.type_into("arrival-letter", "2026-077").await;
    app.type_into("arrival-joined_on", "2015-07-01").await;
    app.click("arrival-save").await;
    assert!(app.wait_text("member-arrival").await.contains("中共外校委员会"));
    app.screenshot("49b-server-arrival").await;
    app.click("detail-back").await;
    let arrived = beside(|| {
        // A session signed in now: the other's list is kept by the announcements its app follows.
        let mut reader = ServerSession::sign_in(&url.parse().unwrap(), Some(OTHER), OTHER_PASSPHRASE).unwrap();
        let query =
            dangan_core::store::MemberQuery { search: Some("郑十".into()), ..dangan_core::store::MemberQuery::all() };
        let zheng = reader.list_members(&query).unwrap().items[0].id;
        reader.member(zheng).unwrap().detail.arrival
    });
    assert_eq!(arrived.map(|a| a.letter_number), Some(Some("2026-077".to_owned())), "the other user sees the arrival");
    beside(|| other.cancel_letter(letter.id, TODAY.parse().unwrap(), None).unwrap());

    // 用户管理 on the server: its users, and a new one, an auditor, signing in as a login role of
    // their own (no recovery key on a server: an administrator resets a forgotten passphrase).
    app.click("nav-users").await;
    app.wait("users-screen").await;
    app.wait_css(&format!("[data-testid='user-row'][data-user-name='{OTHER}'][data-role='organiser']")).await;
    assert!(!app.exists("recovery-section").await, "no recovery key on a server");
    app.click("user-add").await;
    app.type_into("user-name", "钱审计").await;
    app.choose("user-role", "审计员").await;
    app.type_into("user-passphrase", "the auditor's own passphrase").await;
    app.type_into("user-passphrase-again", "the auditor's own passphrase").await;
    app.click("user-save").await;
    app.wait_css("[data-testid='user-row'][data-user-name='钱审计'][data-role='auditor']").await;
    let address: ServerAddress = url.parse().unwrap();
    // Signed in and dropped within the blocking section: the client's runtime ends there.
    let role = beside(|| {
        ServerSession::sign_in(&address, Some("钱审计"), "the auditor's own passphrase").map(|s| s.user().role)
    });
    assert_eq!(role.ok(), Some(Role::Auditor));

    // The audit log: the other user's change to 李四, by name.
    app.click("nav-audit").await;
    app.wait_css(&format!("[data-testid='audit-row'][data-actor='{OTHER}']")).await;

    // Locked, and after a restart: the server's sign-in, its address and the user offered.
    app.click("lock").await;
    app.wait("server-form").await;
    app.quit().await;
    let app = App::launch(&driver, app_path, shots).await;
    app.wait("server-form").await;
    assert_eq!(app.value("server-address-input").await, url);
    assert_eq!(app.value("server-user").await, ADMIN);
    app.type_into("server-passphrase", PASSPHRASE).await;
    app.click("server-submit").await;
    app.wait_attr("session-user", "data-role", "administrator").await;
    assert!(!app.exists("nav-complaints").await, "the complaints register is the inspectors' alone");
    app.click("lock").await;

    // A discipline inspector signs in on the same PC: 信访举报 is their unit's register on the
    // server. An entry registered here is in their register, sealed: the administrator, the
    // database's superuser and the log hold no word of it.
    app.clear("server-user").await;
    app.type_into("server-user", INSPECTOR).await;
    app.type_into("server-passphrase", INSPECTOR_PASSPHRASE).await;
    app.click("server-submit").await;
    app.wait_attr("session-user", "data-role", "discipline_inspector").await;
    app.click("nav-complaints").await;
    app.wait("complaints-screen").await;
    app.click("complaint-add").await;
    app.choose("complaint-add-channel", "来信").await;
    app.type_into("complaint-add-summary", COMPLAINT_WORDS).await;
    app.click("complaint-add-save").await;
    app.wait_css("[data-testid='complaint-row'][data-state='registered']").await;
    app.click("complaint-open").await;
    assert_eq!(app.wait_text("complaint-detail-summary").await.trim(), COMPLAINT_WORDS);
    app.screenshot("50-server-complaints").await;
    let theirs = beside(|| {
        let mut inspector = ServerSession::sign_in(&address, Some(INSPECTOR), INSPECTOR_PASSPHRASE).unwrap();
        inspector.complaints(true).unwrap()
    });
    assert_eq!(theirs.len(), 1, "{theirs:?}");
    let stored = cluster.superuser_sql("dangan", "SELECT sealed FROM dangan.complaints");
    assert!(!stored.contains(COMPLAINT_WORDS) && !stored.trim().is_empty(), "sealed on the inspector's PC: {stored}");
    app.click("lock").await;

    // The office goes back to a workspace of its own: the server is forgotten, nothing on it changes.
    app.click("server-back").await;
    app.wait("setup-form").await;
    assert!(!office.join("dangan.server").exists());
    let total = beside(|| {
        admin.reconnect_if_lost(PASSPHRASE).unwrap();
        admin.list_members(&dangan_core::store::MemberQuery::all()).unwrap().total
    });
    assert_eq!(total, 13, "everyone the list showed, and the member who arrived");
    app.quit().await;
    driver.stop();
}
