//! An office on a shared workstation: a workspace with two branches, a member in each, a
//! recovery key, and users added with cheap key derivation, each signing in with
//! `{name}-passphrase`.

use dangan_core::access::{NewUser, Role};
use dangan_core::domain::{EventKind, Id, OrgKind, Person, ProcedureEvent};
use dangan_core::keys::RecoveryCode;
use dangan_core::workspace::NewWorkspace;
use dangan_core::{Store, Workspace};

use super::{CHEAP, PASSPHRASE, TODAY, d};

/// The administrator who made the workspace (signing in with [`PASSPHRASE`]).
pub const ADMINISTRATOR: &str = "王管理";

pub struct Office {
    /// Holds the workspace folder `ws` and room beside it for files outside the workspace.
    pub dir: tempfile::TempDir,
    pub ws: Workspace,
    /// The administrator's store, open.
    pub admin: Store,
    pub branch_a: Id,
    pub branch_b: Id,
    /// 张三, in branch A.
    pub zhang: Id,
    /// 李四, in branch B.
    pub li: Id,
}

/// A workspace with two branches, one member in each, and a recovery key.
pub fn office() -> (Office, RecoveryCode) {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::at(dir.path().join("ws"));
    let new = NewWorkspace { kdf: CHEAP, user: ADMINISTRATOR, ..NewWorkspace::new(PASSPHRASE, "测试党委") };
    let (mut admin, code) = ws.create_with_recovery(&new).unwrap();
    admin.set_today(d(TODAY));
    let committee = admin.org_tree().unwrap().committee().unwrap().id;
    let branch_a = admin.add_org_unit(committee, OrgKind::Branch, "第一党支部").unwrap().id;
    let branch_b = admin.add_org_unit(committee, OrgKind::Branch, "第二党支部").unwrap().id;
    let zhang = member(&mut admin, branch_a, "张三");
    let li = member(&mut admin, branch_b, "李四");
    (Office { dir, ws, admin, branch_a, branch_b, zhang, li }, code)
}

/// A member of `branch` who applied on 2026-11-01.
pub fn member(store: &mut Store, branch: Id, name: &str) -> Id {
    let id = store.save_person(Person { branch_id: branch, name: name.into(), ..Person::default() }).unwrap();
    let id = id.person.id.unwrap();
    store.save_event(id, ProcedureEvent::new(EventKind::ApplicationReceived, d("2026-11-01"))).unwrap();
    id
}

/// A probationary member of `branch`: applied 2024-03-01, admitted 2026-03-10, approved
/// 2026-04-01.
pub fn probationary(store: &mut Store, branch: Id, name: &str) -> Id {
    let id = store.save_person(Person { branch_id: branch, name: name.into(), ..Person::default() }).unwrap();
    let id = id.person.id.unwrap();
    for (kind, date) in [
        (EventKind::ApplicationReceived, "2024-03-01"),
        (EventKind::ActivistDetermined, "2024-09-01"),
        (EventKind::CandidateDetermined, "2025-09-10"),
        (EventKind::Admitted, "2026-03-10"),
        (EventKind::AdmissionApproved, "2026-04-01"),
    ] {
        store.save_event(id, ProcedureEvent::new(kind, d(date))).unwrap();
    }
    id
}

/// Adds a user whose passphrase is `{name}-passphrase`.
pub fn add(office: &mut Office, name: &str, role: Role, branches: &[Id]) -> Id {
    let new = NewUser { name, role, branches, passphrase: &passphrase_of(name) };
    office.ws.add_user_with_kdf(&mut office.admin, &new, CHEAP).unwrap().id
}

pub fn passphrase_of(name: &str) -> String {
    format!("{name}-passphrase")
}

pub fn open_as(office: &Office, name: &str) -> Store {
    let mut store = office.ws.open_as(Some(name), &passphrase_of(name)).unwrap();
    store.set_today(d(TODAY));
    store
}
