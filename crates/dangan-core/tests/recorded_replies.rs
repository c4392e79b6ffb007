//! The replies the UI's browser preview replays (`ui/src/lib/api/recorded/replies.json`): the demo
//! organisation run through the core, call by call, as the desktop shell's commands make those
//! calls, each reply serialised as the bridge serialises it. The UI holds no second
//! implementation of the domain: what the preview shows, the core answered.
//!
//! A plain `cargo test` compares a fresh recording with the committed file and fails on the first
//! difference; `DANGAN_RECORD_REPLIES=1 cargo test -p dangan-core --test core recorded_replies` writes
//! it anew (after a change to the core's answers, or to what the screens ask).

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::fs;
use std::path::Path;

use crate::common::{CHEAP, PASSPHRASE, TODAY, d};
use dangan_core::access::{Action, NewUser, Role};
use dangan_core::domain::{EventKind, Id, OrgKind, Person, ProcedureEvent, RecordKind, Stage};
use dangan_core::store::NewAttachment;
use dangan_core::workspace::NewWorkspace;
use dangan_core::{Error, Lang, Result, Store, Workspace, demo};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Where the UI reads the recording, from this crate's folder.
const REPLIES: &str = "../../ui/src/lib/api/recorded/replies.json";
const RECORD_VAR: &str = "DANGAN_RECORD_REPLIES";
const RECORD_COMMAND: &str = "DANGAN_RECORD_REPLIES=1 cargo test -p dangan-core --test core recorded_replies";

/// Few enough people that one page of the member list (the screen asks for 100) holds them all,
/// and every member's screens can be recorded; enough for every stage and some late steps.
const PEOPLE: usize = 25;
/// The seed `dangan demo` uses.
const SEED: u64 = 20_26_11_24;
const COMMITTEE: &str = "中共示范大学委员会";
const ADMIN: &str = "管理员";
const SECRETARY: &str = "李书记";
const AUDITOR: &str = "赵审计";
/// What the shell's `workspace_status` shows as the folder (the Linux default).
const WORKSPACE_PATH: &str = "~/.local/share/dangan";
/// The member list's page (`MemberList.svelte`), the audit screen's page and a member's history
/// (`audit.ts`): the preview answers only the questions the screens ask, exactly.
const MEMBER_PAGE: u64 = 100;
const AUDIT_PAGE: u64 = 50;
const HISTORY_SIZE: u64 = 20;
/// The calendar's month grids (`calendar/month-grid.ts`: Monday before the 1st to Sunday after
/// the last day) of October to December 2026, November being today's month.
const MONTH_GRIDS: [(&str, &str); 3] =
    [("2026-10-26", "2026-12-06"), ("2026-09-28", "2026-11-01"), ("2026-11-30", "2027-01-03")];
/// A scan for the recorded file record: a 12×16 PNG (a red frame on paper), small enough to keep
/// in the recording as hex.
const SCAN_PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x0C, 0x00, 0x00, 0x00, 0x10, 0x08, 0x02, 0x00, 0x00, 0x00, 0xAD, 0x03, 0x09, 0x50, 0x00, 0x00, 0x00, 0x24, 0x49,
    0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0xF8, 0xF5, 0xED, 0xCD, 0x09, 0x39, 0x39, 0x20, 0x89, 0x15, 0x41, 0xA4, 0x18,
    0x80, 0x14, 0x41, 0xC4, 0x40, 0x94, 0x49, 0xA3, 0x8A, 0x06, 0xA5, 0x22, 0xAA, 0x45, 0x30, 0x00, 0x38, 0x34, 0xC5,
    0x30, 0x83, 0x85, 0xC8, 0x1F, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

#[test]
fn the_ui_preview_replays_what_the_core_answers() {
    let recorded = mask_uids(&render(&recording()));
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(REPLIES);
    if std::env::var_os(RECORD_VAR).is_some_and(|v| v == "1") {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, recorded).unwrap();
        return;
    }
    // A checkout that turned line ends into CRLF (Windows) is not stale.
    let committed = fs::read_to_string(&path).unwrap_or_default().replace("\r\n", "\n");
    if committed != recorded {
        panic!("{} is stale: {}; run `{RECORD_COMMAND}`", path.display(), first_difference(&committed, &recorded));
    }
}

/// Every session the preview can show (`?session=` in the browser), in the order recorded.
fn recording() -> Value {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::at(dir.path().join("ws"));
    let mut admin =
        ws.create(&NewWorkspace { kdf: CHEAP, user: ADMIN, ..NewWorkspace::new(PASSPHRASE, COMMITTEE) }).unwrap();
    admin.set_today(d(TODAY));
    let office = Office::furnish(&ws, &mut admin);

    let mut sessions = BTreeMap::new();
    sessions.insert("administrator", administrator(&ws, &mut admin, &office));
    sessions.insert("branch_secretary", branch_secretary(&ws, &office));
    sessions.insert("auditor", auditor(&ws, &office));
    sessions.insert("locked", locked(&ws));
    sessions.insert("new", new(&dir.path().join("new")));
    let mut sessions = json!(sessions);
    mask_creation_day(&mut sessions, &dangan_core::calendar::today().to_string());
    json!({
        "recorded_by": "crates/dangan-core/tests/recorded_replies.rs",
        "regenerate": RECORD_COMMAND,
        "today": TODAY,
        "sessions": sessions,
    })
}

/// The demo organisation and what the recorder needs to know of it.
struct Office {
    /// Every unit, the committee first, in tree order.
    units: Vec<Id>,
    /// Everyone, in the member list's order.
    members: Vec<Id>,
    /// The branch the secretary is given, and the members in it.
    secretary_branch: Id,
    secretary_members: Vec<Id>,
    /// The one recorded scan.
    attachment: Id,
}

impl Office {
    /// `dangan demo`'s organisation, with what the demo lacks so that every screen has something
    /// to show: a user of each other role, a file record with a scan, a deadline set aside.
    fn furnish(ws: &Workspace, admin: &mut Store) -> Office {
        demo::populate(admin, PEOPLE, SEED).unwrap();
        let units: Vec<Id> = admin.org_tree().unwrap().units().iter().map(|u| u.id).collect();
        let everyone = dangan_core::store::MemberQuery { limit: MEMBER_PAGE, ..Default::default() };
        let members: Vec<Id> = admin.list_members(&everyone).unwrap().items.iter().map(|m| m.id).collect();
        assert_eq!(members.len(), PEOPLE, "one page of the member list holds everyone");

        let secretary_branch = admin.member(members[0]).unwrap().person.branch_id;
        let in_branch = dangan_core::store::MemberQuery { branch_id: Some(secretary_branch), ..everyone };
        let secretary_members = admin.list_members(&in_branch).unwrap().items.iter().map(|m| m.id).collect();
        for (name, role, branches) in [
            ("王老师", Role::Organiser, vec![]),
            (SECRETARY, Role::BranchSecretary, vec![secretary_branch]),
            (AUDITOR, Role::Auditor, vec![]),
        ] {
            let new = NewUser { name, role, branches: &branches, passphrase: &passphrase_of(name) };
            ws.add_user_with_kdf(admin, &new, CHEAP).unwrap();
        }

        // The first member's application letter, tied to the step it documents, with its scan.
        let owner = admin.member(members[0]).unwrap();
        let applied = owner.events.first().unwrap();
        let mut letter = new_file_record(members[0], RecordKind::ApplicationLetter, &applied.date.to_string());
        letter["event_id"] = json!(applied.id);
        letter["title"] = json!("入党申请书");
        letter["body"] = json!("敬爱的党组织：我志愿加入中国共产党……");
        let scan = NewAttachment { name: "入党申请书.png".into(), bytes: SCAN_PNG.to_vec() };
        let saved = admin.save_record(serde_json::from_value(letter).unwrap(), &[scan]).unwrap();

        let urgent = admin.dashboard(None, None).unwrap().urgent;
        let item = urgent.iter().find(|i| i.owner.member_id().is_some()).expect("the demo has something urgent");
        let member = item.owner.member_id().unwrap();
        admin.dismiss_deadline(member, &item.rule, item.due, Some(d("2026-12-01"))).unwrap();

        // A branch with full members appraises them: opened, the first graded member graded.
        let full = dangan_core::store::MemberQuery { stage: Some(Stage::FullMember), limit: 1, ..Default::default() };
        let full = admin.list_members(&full).unwrap().items[0].id;
        let branch = admin.member(full).unwrap().person.branch_id;
        let appraisal = admin.open_appraisals(branch, 2026, d("2026-11-20")).unwrap().remove(0);
        if let Some(first) = appraisal.participants.iter().find(|p| p.graded) {
            let decision = dangan_core::appraisal::GradeDecision {
                person_id: first.person_id,
                grade: dangan_core::domain::Grade::Qualified,
                reason: None,
            };
            admin.grade_member(appraisal.id, &decision).unwrap();
        }

        // Two applications to transfer out: one awaiting the committee, one approved.
        for (i, &person_id) in members[1..3].iter().enumerate() {
            let new = dangan_core::transfer_request::NewTransferRequest {
                person_id,
                destination: "中共某某大学委员会".into(),
                reason: Some("考取研究生".into()),
                applied_on: d("2026-11-16"),
            };
            let request = admin.apply_transfer(new).unwrap();
            if i == 1 {
                admin.approve_transfer(request.id, d("2026-11-20")).unwrap();
            }
        }

        Office { units, members, secretary_branch, secretary_members, attachment: saved.attachments[0].id }
    }
}

fn passphrase_of(user: &str) -> String {
    format!("{user}-passphrase")
}

/// A new record of a member's file as the UI sends it (`FileRecord`): no text, no fields, no scans.
fn new_file_record(person_id: Id, kind: RecordKind, date: &str) -> Value {
    let fields =
        json!({ "who": null, "course": null, "hours": null, "certificate": null, "grade": null, "score": null });
    json!({
        "id": null, "person_id": person_id, "kind": kind, "date": date, "event_id": null, "title": null, "body": "",
        "fields": fields, "attachments": [],
    })
}

fn open_as(ws: &Workspace, user: &str) -> Store {
    let mut store = ws.open_as(Some(user), &passphrase_of(user)).unwrap();
    store.set_today(d(TODAY));
    store
}

/// The administrator sees everything: every unit's views, every member, users, the audit log,
/// backups; and the core's refusals of changes that break a rule or a field's bounds.
fn administrator(ws: &Workspace, admin: &mut Store, office: &Office) -> Vec<Value> {
    let mut rec = Recorder::new(admin);
    rec.unlocked();
    let units: Vec<Option<Id>> = std::iter::once(None).chain(office.units.iter().copied().map(Some)).collect();
    rec.overview(&units);
    rec.searches(office.members[0]);
    for &id in &office.members {
        rec.member(id);
    }
    rec.attachment(office.attachment);
    rec.documents(&office.members);
    rec.read("list_users", json!({}), |s, _| s.users());
    // The 统计 screen as it opens: today's statistics for everything, and this year's report.
    rec.read("statistics", json!({ "query": { "as_of": null, "unit": null } }), |s, a| s.statistics(&a.get("query")));
    rec.read("annual_report", json!({ "year": 2026, "unit": null }), |s, a| {
        s.annual_report(a.get("year"), a.get("unit"))
    });
    rec.audit_log(json!({ "offset": 0, "limit": AUDIT_PAGE }));
    rec.read("backup_settings", json!({}), |s, _| s.backup_settings());

    let member = rec.store.member(office.members[0]).unwrap();
    let branch = member.person.branch_id;
    let nameless = Person { branch_id: branch, name: String::new(), ..Person::default() };
    rec.refused("save_person", json!({ "person": nameless, "seenVersion": null }), |s, a| {
        s.save_person(a.get("person"))
    });
    // An applicant made an activist the day before they applied: a rule of the procedure, cited
    // by the core.
    let applicant =
        office.members.iter().map(|&id| rec.store.member(id).unwrap()).find(|m| m.stage == Stage::Applicant);
    let applicant = applicant.unwrap();
    let applied = applicant.events.first().unwrap().date;
    let too_early = ProcedureEvent::new(EventKind::ActivistDetermined, applied.pred_opt().unwrap());
    // `seenVersion`: what the UI sends in a workspace (a member read there has no version).
    let args = json!({ "personId": applicant.person.id, "event": too_early, "seenVersion": null });
    rec.refused("save_event", args, |s, a| s.save_event(a.get("personId"), a.get("event")));
    let sibling = rec.store.org_tree().unwrap().units().iter().find(|u| u.id == branch).unwrap().clone();
    let parent = sibling.parent_id.unwrap();
    rec.refused(
        "add_org_unit",
        json!({ "parentId": parent, "kind": OrgKind::Branch, "name": sibling.name }),
        |s, a| s.add_org_unit(a.get("parentId"), a.get("kind"), &a.get::<String>("name")),
    );
    let item =
        rec.store.dashboard(None, None).unwrap().urgent.into_iter().find(|i| i.owner.member_id().is_some()).unwrap();
    let args = json!({ "memberId": item.owner.member_id(), "rule": item.rule, "due": item.due, "until": TODAY });
    rec.refused("dismiss_deadline", args, |s, a| {
        s.dismiss_deadline(a.get("memberId"), &a.get::<String>("rule"), a.get("due"), a.get("until"))
    });
    rec.refused("set_backup_settings", json!({ "dir": "/media/backup", "keep": 0 }), |s, a| {
        s.set_backup_settings(a.get::<Option<String>>("dir").as_deref().map(Path::new), a.get("keep"))
    });
    let training = new_file_record(office.members[0], RecordKind::TrainingRecord, TODAY);
    rec.refused("save_record", json!({ "record": training, "attach": [] }), |s, a| s.save_record(a.get("record"), &[]));
    let args = json!({ "name": "新用户", "role": Role::Organiser, "branches": [], "passphrase": "short" });
    rec.refused("add_user", args, |s, a| {
        let (name, branches, passphrase) =
            (a.get::<String>("name"), a.get::<Vec<Id>>("branches"), a.get::<String>("passphrase"));
        let new = NewUser { name: &name, role: a.get("role"), branches: &branches, passphrase: &passphrase };
        ws.add_user_with_kdf(s, &new, CHEAP)
    });
    let me = rec.store.users().unwrap().into_iter().find(|u| u.name == ADMIN).unwrap();
    rec.refused("remove_user", json!({ "userId": me.id }), |s, a| ws.remove_user(s, a.get("userId")));
    rec.refused("set_user_role", json!({ "userId": me.id, "role": Role::Auditor, "branches": [] }), |s, a| {
        s.set_user_role(a.get("userId"), a.get("role"), &a.get::<Vec<Id>>("branches"))
    });
    rec.entries
}

/// A branch secretary sees their branch only: the lists are cut by the core, and a member of
/// another branch is refused.
fn branch_secretary(ws: &Workspace, office: &Office) -> Vec<Value> {
    let mut store = open_as(ws, SECRETARY);
    let mut rec = Recorder::new(&mut store);
    rec.unlocked();
    rec.overview(&[None, Some(office.secretary_branch)]);
    for &id in &office.secretary_members {
        rec.member(id);
    }
    let outsider = office.members.iter().find(|id| !office.secretary_members.contains(id)).unwrap();
    rec.read("get_member", json!({ "id": outsider }), |s, a| s.member(a.get("id")));
    rec.audit_log(json!({ "offset": 0, "limit": AUDIT_PAGE }));
    rec.entries
}

/// An auditor reads everything and changes nothing: each change is refused by the core.
fn auditor(ws: &Workspace, office: &Office) -> Vec<Value> {
    let mut store = open_as(ws, AUDITOR);
    let mut rec = Recorder::new(&mut store);
    rec.unlocked();
    rec.overview(&[None]);
    // A few members only: the administrator's session has them all, and the auditor's screens
    // differ from those only in what they hide.
    for &id in &office.members[..5] {
        rec.member(id);
    }
    rec.attachment(office.attachment);
    rec.audit_log(json!({ "offset": 0, "limit": AUDIT_PAGE }));
    rec.read("list_users", json!({}), |s, _| s.users());
    rec.read("backup_settings", json!({}), |s, _| s.backup_settings());

    let person = rec.store.member(office.members[0]).unwrap().person;
    rec.refused("save_person", json!({ "person": person, "seenVersion": null }), |s, a| s.save_person(a.get("person")));
    let item =
        rec.store.dashboard(None, None).unwrap().urgent.into_iter().find(|i| i.owner.member_id().is_some()).unwrap();
    let args = json!({ "memberId": item.owner.member_id(), "rule": item.rule, "due": item.due, "until": null });
    rec.refused("dismiss_deadline", args, |s, a| {
        s.dismiss_deadline(a.get("memberId"), &a.get::<String>("rule"), a.get("due"), a.get("until"))
    });
    rec.entries
}

/// The unlock screen: a wrong passphrase and a malformed recovery key, refused by the core.
fn locked(ws: &Workspace) -> Vec<Value> {
    let mut entries = vec![workspace_status(true, false)];
    let wrong = json!({ "passphrase": "not-the-passphrase", "userName": ADMIN });
    let reply = ws.open_as(Some(ADMIN), "not-the-passphrase");
    entries.push(refusal("unlock", wrong, reply));
    let reply = ws.open_with_recovery("7F3K-0V62");
    entries.push(refusal("unlock_with_recovery", json!({ "code": "7F3K-0V62" }), reply));
    entries
}

/// The first run: no workspace yet, and a passphrase too short to make one.
fn new(dir: &Path) -> Vec<Value> {
    let mut entries = vec![workspace_status(false, false)];
    let args = json!({ "passphrase": "short", "committeeName": COMMITTEE, "userName": ADMIN });
    let reply =
        Workspace::at(dir).create(&NewWorkspace { kdf: CHEAP, user: ADMIN, ..NewWorkspace::new("short", COMMITTEE) });
    entries.push(refusal("create_workspace", args, reply));
    entries
}

/// The shell's own answer (`src-tauri/src/shell.rs`, `WorkspaceStatus`), not the core's: no core
/// call makes it, so it is written here in its shape (`recorded.test.ts` pins the fields).
fn workspace_status(exists: bool, unlocked: bool) -> Value {
    // A workspace's office: its folder names no shared server.
    let status =
        json!({ "exists": exists, "unlocked": unlocked, "path": WORKSPACE_PATH, "server": null, "today": TODAY });
    json!({ "command": "workspace_status", "args": {}, "ok": status })
}

/// A change the core refuses, as the bridge carries it. `write` marks it: the preview refuses every
/// other change as read-only, where an unrecorded question is only unanswered.
fn refusal<T: Debug>(command: &str, args: Value, reply: Result<T>) -> Value {
    let err = reply.expect_err(&format!("{command} {args} is recorded as refused, and the core allowed it"));
    json!({ "command": command, "args": args, "write": true, "err": bilingual(&err) })
}

/// An error in both languages, keyed as `set_language` names them: the preview's messages follow
/// the UI's toggle, as the shell's do.
fn bilingual(err: &Error) -> Value {
    let in_lang = |lang: Lang| (json!(lang).as_str().unwrap().to_owned(), json!(err.to_bridge(lang)));
    Value::Object([in_lang(Lang::Zh), in_lang(Lang::En)].into_iter().collect())
}

/// The arguments of a call as the UI passes them to `invoke` (camelCase names), read into the
/// Rust parameter types by serde as Tauri reads them.
struct Args<'a>(&'a Value);

impl Args<'_> {
    fn get<T: DeserializeOwned>(&self, name: &str) -> T {
        let value = self.0.get(name).cloned().unwrap_or(Value::Null);
        serde_json::from_value(value).unwrap_or_else(|e| panic!("argument {name} of {}: {e}", self.0))
    }
}

/// One session: a signed-in store and the calls recorded on it, in order.
struct Recorder<'s> {
    store: &'s mut Store,
    entries: Vec<Value>,
}

impl<'s> Recorder<'s> {
    fn new(store: &'s mut Store) -> Recorder<'s> {
        Recorder { store, entries: Vec::new() }
    }

    /// A question a screen asks, with the core's answer or refusal.
    fn read<T: Serialize>(&mut self, command: &str, args: Value, call: impl FnOnce(&mut Store, &Args) -> Result<T>) {
        let reply = match call(self.store, &Args(&args)) {
            Ok(value) => json!({ "ok": value }),
            Err(err) => json!({ "err": bilingual(&err) }),
        };
        let mut entry = json!({ "command": command, "args": args });
        entry.as_object_mut().unwrap().extend(reply.as_object().unwrap().clone());
        self.entries.push(entry);
    }

    /// A change the core must refuse (one it allowed would change what the other replies say).
    fn refused<T: Debug>(&mut self, command: &str, args: Value, call: impl FnOnce(&mut Store, &Args) -> Result<T>) {
        let reply = call(self.store, &Args(&args));
        self.entries.push(refusal(command, args, reply));
    }

    /// What the app asks right after unlocking.
    fn unlocked(&mut self) {
        self.entries.push(workspace_status(true, true));
        self.read("session_user", json!({}), |s, _| Ok(s.session_user().clone()));
        self.read("procedure", json!({}), |_, _| Ok(dangan_core::domain::Procedure::current()));
        self.read("list_org_units", json!({}), |s, _| Ok(s.org_tree()?.units().to_vec()));
    }

    /// The three main screens, for the whole committee (`None`) and for each of `units`: 工作提醒
    /// (with its set-aside list), 成员 (a page and the count of each stage), 日历.
    fn overview(&mut self, units: &[Option<Id>]) {
        for &unit in units {
            self.read("dashboard", json!({ "asOf": null, "branchId": unit }), |s, a| {
                s.dashboard(a.get("asOf"), a.get("branchId"))
            });
            self.deadlines(json!({ "as_of": TODAY, "branch_id": unit, "only_dismissed": true }));
            self.members(json!({ "branch_id": unit, "search": null }));
        }
        for (from, to) in MONTH_GRIDS {
            self.deadlines(json!({ "branch_id": null, "due_from": from, "due_to": to }));
        }
        for &unit in units.iter().filter(|u| u.is_some()) {
            let (from, to) = MONTH_GRIDS[0];
            self.deadlines(json!({ "branch_id": unit, "due_from": from, "due_to": to }));
        }
        // 组织关系 as it opens: the letters awaiting their receipt, and all of them; the open
        // applications to transfer out; the graduation batch's class as its dialog first asks.
        for open in [true, false] {
            self.read("letters", json!({ "personId": null, "openOnly": open }), |s, a| {
                s.letters(a.get("personId"), a.get("openOnly"))
            });
        }
        self.read("transfer_requests", json!({ "personId": null, "openOnly": true }), |s, a| {
            s.transfer_requests(a.get("personId"), a.get("openOnly"))
        });
        self.read("class_of", json!({ "classYear": 2022, "unit": null }), |s, a| {
            s.class_of(a.get("classYear"), a.get("unit"))
        });
        // 民主评议 as it opens: this year's appraisals.
        self.read("appraisals", json!({ "year": 2026, "unit": null }), |s, a| {
            s.appraisals(a.get("year"), a.get("unit"))
        });
        // 党费 as it opens: this month's summary and receipts, and who is behind.
        let month = json!({ "unit": null, "from": "2026-11", "to": "2026-11" });
        self.read("dues_summary", month.clone(), |s, a| s.dues_summary(a.get("unit"), a.get("from"), a.get("to")));
        self.read("dues_receipts", month, |s, a| s.dues_receipts(a.get("unit"), a.get("from"), a.get("to")));
        self.read("dues_arrears", json!({ "unit": null }), |s, a| s.dues_arrears(a.get("unit")));
        // 统计 as it opens (today's figures for everything the user sees, this year's report), and
        // the drill-down from its funnel's activists to the member list.
        self.read("statistics", json!({ "query": { "as_of": null, "unit": null } }), |s, a| {
            s.statistics(&a.get("query"))
        });
        self.read("annual_report", json!({ "year": 2026, "unit": null }), |s, a| {
            s.annual_report(a.get("year"), a.get("unit"))
        });
        let cell = json!({
            "report": "statistics", "as_of": TODAY, "unit": null, "table": "by_stage", "row": "activist", "column": "count"
        });
        self.members(json!({ "branch_id": null, "search": null, "cell": cell }));
        // 组织生活 for each branch: the year's grid, its meetings and groups, the members for the
        // attendance list; the committee and study tabs.
        for &unit in units.iter().flatten() {
            self.life(unit);
        }
    }

    /// The 组织生活 screen of a unit, this year, as its tabs ask.
    fn life(&mut self, unit: Id) {
        let unit_is_branch = self.store.org_tree().unwrap().get(unit).is_some_and(|u| u.kind == OrgKind::Branch);
        if !unit_is_branch {
            return;
        }
        self.read("life_plan", json!({ "unit": unit, "year": 2026 }), |s, a| {
            s.life_plan(a.get("unit"), a.get("year"), None)
        });
        let query = json!({ "unit": unit, "kind": null, "from": "2026-01-01", "to": "2026-12-31" });
        self.read("meetings", json!({ "query": query }), |s, a| s.meetings(&a.get("query")));
        self.read("groups", json!({ "unit": unit }), |s, a| s.groups(a.get("unit")));
        self.read("posts", json!({ "unit": unit }), |s, a| s.posts(a.get("unit")));
        self.read("study_hours", json!({ "year": 2026, "unit": unit }), |s, a| {
            s.study_hours(a.get("year"), a.get("unit"))
        });
        let members =
            json!({ "stage": null, "branch_id": unit, "search": null, "offset": 0, "limit": 5000, "cell": null });
        self.read("list_members", json!({ "query": members }), |s, a| s.list_members(&a.get("query")));
    }

    /// 生成文书 on a member's page: the documents, and the preview of each the dialog offers the
    /// first member of each stage (those of their stage or of any), dated today.
    fn documents(&mut self, members: &[Id]) {
        self.read("documents", json!({}), |s, _| s.documents());
        let offered = self.store.documents().unwrap();
        for stage in Stage::ALL {
            let first = members.iter().copied().find(|&id| self.store.member(id).unwrap().stage == stage);
            let Some(id) = first else { continue };
            for doc in offered.iter().filter(|d| d.stage.is_none_or(|s| s == stage)) {
                self.read("preview_document", json!({ "id": doc.id, "members": [id], "date": null }), |s, a| {
                    s.preview_document(&a.get::<String>("id"), &a.get::<Vec<Id>>("members"), a.get("date"))
                });
            }
        }
    }

    /// Searches as one types them: a member's surname, whole name and student number.
    fn searches(&mut self, id: Id) {
        let person = self.store.member(id).unwrap().person;
        let surname: String = person.name.chars().take(1).collect();
        for search in [Some(surname), Some(person.name), person.student_no] {
            self.members(json!({ "branch_id": null, "search": search }));
        }
    }

    /// The member list for `filter` (branch and search): its first page, and how many at each
    /// stage (the screen's counts ask with limit 0).
    fn members(&mut self, filter: Value) {
        let query = |stage: Value, limit: u64| {
            let mut query = json!({ "stage": stage, "offset": 0, "limit": limit, "cell": null });
            query.as_object_mut().unwrap().extend(filter.as_object().unwrap().clone());
            json!({ "query": query })
        };
        let mut asked = vec![query(Value::Null, MEMBER_PAGE), query(Value::Null, 0)];
        for stage in Stage::ALL {
            asked.push(query(json!(stage), 0));
        }
        for args in asked {
            self.read("list_members", args, |s, a| s.list_members(&a.get("query")));
        }
    }

    /// A deadline query: the fields given, the others as the screens leave them.
    fn deadlines(&mut self, fields: Value) {
        let mut query = json!({
            "as_of": null, "within": null, "branch_id": null, "member_id": null,
            "due_from": null, "due_to": null, "include_dismissed": false, "only_dismissed": false, "owed_by": null,
        });
        query.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
        self.read("deadlines", json!({ "query": query }), |s, a| s.deadlines(&a.get("query")));
    }

    /// A member's screen: the record, the file, and the history for those who may read it.
    fn member(&mut self, id: Id) {
        self.read("get_member", json!({ "id": id }), |s, a| s.member(a.get("id")));
        self.read("member_file", json!({ "memberId": id }), |s, a| s.member_file(a.get("memberId")));
        self.read("letters", json!({ "personId": id, "openOnly": false }), |s, a| {
            s.letters(a.get("personId"), a.get("openOnly"))
        });
        self.read("transfer_requests", json!({ "personId": id, "openOnly": false }), |s, a| {
            s.transfer_requests(a.get("personId"), a.get("openOnly"))
        });
        if self.store.session_user().may.contains(&Action::ReadAudit) {
            self.audit_log(json!({ "member_id": id, "offset": 0, "limit": HISTORY_SIZE }));
        }
    }

    /// An audit query: the fields given, the others empty (`emptyAuditQuery` in `audit.ts`).
    ///
    /// Normalised: each entry's time is the wall clock's when it was made, and the chain hashes
    /// it, so both would differ on every run, as would the random key-slot ids in a user's row.
    /// The recording shows today at noon (Beijing), a placeholder hash that names its position
    /// and `slot-` followed by zeros; the order, the actors and the changes are the core's.
    fn audit_log(&mut self, fields: Value) {
        let mut query = json!({ "member_id": null, "actor": null, "entity": null, "from": null, "to": null, "offset": 0, "limit": 0 });
        query.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
        self.read("audit_log", json!({ "query": query }), |s, a| s.audit_log(&a.get("query")));
        let entry = self.entries.last_mut().unwrap();
        if let Some(page) = entry.get_mut("ok") {
            for item in page["entries"].as_array_mut().unwrap() {
                let seq = item["seq"].as_i64().unwrap();
                item["at"] = json!(format!("{TODAY}T04:00:00Z"));
                item["hash"] = json!(format!("{seq:0>64}"));
                for field in ["old", "new"] {
                    if let Some(text) = item[field].as_str() {
                        item[field] = json!(mask_slot_ids(text));
                    }
                }
            }
        }
    }

    /// An attachment's bytes: a raw binary reply over the bridge (an `ArrayBuffer`), kept as hex.
    fn attachment(&mut self, id: Id) {
        let args = json!({ "attachmentId": id });
        let reply = match self.store.attachment(id) {
            Ok((_, bytes)) => json!({ "bytes": bytes.iter().map(|b| format!("{b:02x}")).collect::<String>() }),
            Err(err) => json!({ "err": bilingual(&err) }),
        };
        let mut entry = json!({ "command": "attachment_bytes", "args": args });
        entry.as_object_mut().unwrap().extend(reply.as_object().unwrap().clone());
        self.entries.push(entry);
    }
}

/// The first administrator is made as the workspace is created, before the recorder can pin its
/// day, so their `created_on` is the wall clock's: shown as the recording's [`TODAY`], in the user
/// rows and in the audit entries' row text alike, or the recording would change at midnight.
fn mask_creation_day(value: &mut Value, wall_clock: &str) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if key == "created_on" && item.as_str() == Some(wall_clock) {
                    *item = json!(TODAY);
                } else {
                    mask_creation_day(item, wall_clock);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| mask_creation_day(item, wall_clock)),
        Value::String(text) => {
            let stamped = format!("\"created_on\":\"{wall_clock}\"");
            if text.contains(&stamped) {
                *text = text.replace(&stamped, &format!("\"created_on\":\"{TODAY}\""));
            }
        }
        _ => {}
    }
}

/// `text` with each key-slot id (`slot-` and 16 random hex digits) as `slot-0000000000000000`.
fn mask_slot_ids(text: &str) -> String {
    const DIGITS: usize = 16;
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("slot-") {
        let (before, from) = rest.split_at(at + "slot-".len());
        out.push_str(before);
        let hex = from.get(..DIGITS).filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
        rest = match hex {
            Some(_) => {
                out.push_str(&"0".repeat(DIGITS));
                &from[DIGITS..]
            }
            None => from,
        };
    }
    out.push_str(rest);
    out
}

/// `text` with each UUID (the units', people's and records' `uid`, random) as a placeholder that
/// numbers the UUIDs in the order they first appear: the same UUID, the same placeholder.
fn mask_uids(text: &str) -> String {
    let is_uid = |s: &[u8]| {
        s.len() == 36
            && s.iter().enumerate().all(|(i, &b)| match i {
                8 | 13 | 18 | 23 => b == b'-',
                _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
            })
    };
    let mut seen: Vec<String> = Vec::new();
    let (bytes, mut out, mut i) = (text.as_bytes(), String::with_capacity(text.len()), 0);
    while i < bytes.len() {
        if i + 36 <= bytes.len() && is_uid(&bytes[i..i + 36]) {
            let uid = &text[i..i + 36];
            let n = seen.iter().position(|s| s == uid).unwrap_or_else(|| {
                seen.push(uid.to_owned());
                seen.len() - 1
            });
            out.push_str(&format!("00000000-0000-4000-8000-{:012}", n + 1));
            i += 36;
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The recording as committed: keys sorted at every level (whatever order `serde_json`'s map
/// keeps, which a feature of another crate in the workspace can change), two-space indents.
fn render(recording: &Value) -> String {
    fn sorted(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                Value::Object(keys.into_iter().map(|k| (k.clone(), sorted(&map[k]))).collect())
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    serde_json::to_string_pretty(&sorted(recording)).unwrap() + "\n"
}

/// The first call whose recorded reply differs, named by session, command and arguments.
fn first_difference(committed: &str, recorded: &str) -> String {
    let Ok(committed) = serde_json::from_str::<Value>(committed) else {
        return "the committed file is missing or not JSON".into();
    };
    let recorded: Value = serde_json::from_str(recorded).unwrap();
    let empty = serde_json::Map::new();
    let sessions = |v: &Value| v.get("sessions").and_then(Value::as_object).cloned().unwrap_or_else(|| empty.clone());
    let (old, new) = (sessions(&committed), sessions(&recorded));
    for (name, calls) in &new {
        let calls = calls.as_array().unwrap();
        let Some(old_calls) = old.get(name).and_then(Value::as_array) else {
            return format!("session {name} is new");
        };
        for (i, call) in calls.iter().enumerate() {
            if old_calls.get(i) != Some(call) {
                return format!("session {name}, call {i}: {} {}", call["command"], call["args"]);
            }
        }
        if old_calls.len() != calls.len() {
            return format!("session {name} has {} calls, the committed file {}", calls.len(), old_calls.len());
        }
    }
    if let Some(name) = old.keys().find(|name| !new.contains_key(*name)) {
        return format!("session {name} is no longer recorded");
    }
    "the sessions are equal; the rest of the file differs".into()
}
