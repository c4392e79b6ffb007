//! Users in the store: their roles and branches, and which key slot is whose.
//!
//! The key slots themselves live in the key file (`Workspace` adds and removes them); each change
//! here runs in a transaction that commits only once the key file is written, so a user never
//! exists without a slot. A slot without a user (a crash between the two) opens nothing: signing
//! in with it is refused.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{OrgTree, Store, audit};
use crate::access::{Action, Actor, NewUser, Role, SessionUser, User};
use crate::domain::{Id, OrgKind};
use crate::{Error, Result, Text};

/// Names the audit log gives to the system and to the recovery key, never to a user.
const RESERVED_NAMES: [&str; 3] = ["system", RECOVERY_ACTOR, "recovery"];
/// Who the audit log says acted when the recovery key was used.
pub(crate) const RECOVERY_ACTOR: &str = "恢复密钥";

/// How long a user name may be.
const MAX_NAME_CHARS: usize = 32;

impl Store {
    /// Signs in as the user whose key slot opened the workspace. A workspace made before users
    /// existed has none yet: the slot's holder becomes its administrator.
    pub(crate) fn sign_in(&mut self, slot_id: &str, slot_label: &str) -> Result<()> {
        let count: i64 = self.conn.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?;
        if count == 0 {
            let name = if slot_label.trim().is_empty() { "admin" } else { slot_label.trim() };
            audit::set_actor(&self.conn, name)?;
            self.conn.execute(
                "INSERT INTO users (name, role, slot_id, created_on) VALUES (?1, 'administrator', ?2, ?3)",
                params![name, slot_id, self.today().to_string()],
            )?;
        }
        let user = self.user_by_slot(slot_id)?.ok_or_else(|| Error::Forbidden {
            what: Text::new("使用这个密钥槽（它不属于任何用户）", "use this key slot (it belongs to no user)"),
        })?;
        self.act_as(SessionUser::new(user.name, user.role, user.branches, false))
    }

    /// Signs in with the recovery key: user management only, logged as 恢复密钥.
    pub(crate) fn sign_in_recovery(&mut self) -> Result<()> {
        self.act_as(SessionUser::new(RECOVERY_ACTOR.into(), Role::Administrator, Vec::new(), true))?;
        self.log_account_event(RECOVERY_ACTOR, "sign_in", "the recovery key was used")
    }

    /// Logs what happens to a user's key slot (it is in the key file, which the triggers do not
    /// see): a passphrase reset or changed, a new recovery key, the recovery key used.
    pub(crate) fn log_account_event(&self, user: &str, field: &str, what: &str) -> Result<()> {
        audit::append(&self.conn, "users", Some(user), "update", Some(field), Some(what))
    }

    fn act_as(&mut self, session: SessionUser) -> Result<()> {
        audit::set_actor(&self.conn, &session.name)?;
        self.actor = Actor { session };
        Ok(())
    }

    /// Every user, by name. Administrators only.
    pub fn users(&self) -> Result<Vec<User>> {
        self.require(Action::ManageUsers)?;
        self.load_users(None)
    }

    /// The user signing in as `name` (surrounding spaces ignored, as when they were added).
    pub fn user_named(&self, name: &str) -> Result<User> {
        self.users()?.into_iter().find(|u| u.name == name.trim()).ok_or_else(|| Error::NotFound {
            what: Text::new(format!("用户「{name}」"), format!("user “{name}”")),
        })
    }

    fn load_users(&self, only_slot: Option<&str>) -> Result<Vec<User>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, name, role, created_on FROM users WHERE ?1 IS NULL OR slot_id = ?1 ORDER BY name")?;
        let mut users = stmt
            .query_map([only_slot], |r| {
                let role: String = r.get(2)?;
                Ok(User {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    role: Role::parse(&role).unwrap_or(Role::Auditor),
                    branches: Vec::new(),
                    created_on: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut branches =
            self.conn.prepare("SELECT unit_id FROM user_branches WHERE user_id = ?1 ORDER BY unit_id")?;
        for user in &mut users {
            user.branches = branches.query_map([user.id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        }
        Ok(users)
    }

    fn user_by_slot(&self, slot_id: &str) -> Result<Option<User>> {
        Ok(self.load_users(Some(slot_id))?.into_iter().next())
    }

    /// A user's name and key slot.
    pub(crate) fn user_slot(&self, user_id: Id) -> Result<(String, String)> {
        self.conn
            .query_row("SELECT name, slot_id FROM users WHERE id = ?1", [user_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .ok_or_else(|| user_not_found(user_id))
    }

    /// Adds a user whose slot `write_slot` puts in the key file; the row commits only if it did.
    pub(crate) fn add_user_with(
        &mut self,
        new: &NewUser<'_>,
        slot_id: &str,
        write_slot: impl FnOnce() -> Result<()>,
    ) -> Result<User> {
        self.require(Action::ManageUsers)?;
        let name = check_user_name(new.name)?;
        let branches = self.check_branches(new.role, new.branches)?;
        let taken: bool =
            self.conn.query_row("SELECT count(*) > 0 FROM users WHERE name = ?1", [name], |r| r.get(0))?;
        if taken {
            return Err(Error::invalid(
                "name",
                format!("用户「{name}」已存在"),
                format!("user “{name}” already exists"),
            ));
        }
        let today = self.today().to_string();
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO users (name, role, slot_id, created_on) VALUES (?1, ?2, ?3, ?4)",
            params![name, new.role.as_str(), slot_id, today],
        )?;
        let id = tx.last_insert_rowid();
        for unit in &branches {
            tx.execute("INSERT INTO user_branches (user_id, unit_id) VALUES (?1, ?2)", [id, *unit])?;
        }
        write_slot()?;
        tx.commit()?;
        Ok(User { id, name: name.to_owned(), role: new.role, branches, created_on: today })
    }

    /// Changes a user's role and branches. The last administrator stays an administrator.
    pub fn set_user_role(&mut self, user_id: Id, role: Role, branches: &[Id]) -> Result<User> {
        self.require(Action::ManageUsers)?;
        self.user_slot(user_id)?;
        let was: Option<String> =
            self.conn.query_row("SELECT role FROM users WHERE id = ?1", [user_id], |r| r.get(0)).optional()?;
        let inspector = Role::DisciplineInspector.as_str();
        if (role == Role::DisciplineInspector) != (was.as_deref() == Some(inspector)) {
            // An inspector's key pair is made from their passphrase, which only adding them gives.
            return Err(Error::invalid(
                "role",
                "纪检委员的角色不能改设：请删除该用户后按新角色重新添加",
                "the discipline inspector's role is not changed in place: remove the user and add them again with the new role",
            ));
        }
        let branches = self.check_branches(role, branches)?;
        // Checked inside a write transaction: two administrators demoting each other at once
        // from two processes cannot both pass.
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if role != Role::Administrator {
            refuse_removing_last_administrator(&tx, user_id)?;
        }
        tx.execute("UPDATE users SET role = ?1 WHERE id = ?2", params![role.as_str(), user_id])?;
        tx.execute("DELETE FROM user_branches WHERE user_id = ?1", [user_id])?;
        for unit in &branches {
            tx.execute("INSERT INTO user_branches (user_id, unit_id) VALUES (?1, ?2)", [user_id, *unit])?;
        }
        tx.commit()?;
        self.load_users(None)?.into_iter().find(|u| u.id == user_id).ok_or_else(|| user_not_found(user_id))
    }

    /// A discipline inspector's name and key slot, by name: anyone else is refused.
    pub(crate) fn inspector_slot(&self, name: &str) -> Result<(String, String)> {
        let found: Option<(String, String, String)> = self
            .conn
            .query_row("SELECT name, role, slot_id FROM users WHERE name = ?1", [name.trim()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        match found {
            Some((name, role, slot)) if role == Role::DisciplineInspector.as_str() => Ok((name, slot)),
            Some((name, ..)) => Err(Error::invalid(
                "user",
                format!("{name}不是纪检委员，不能持有信访举报登记簿的密钥"),
                format!("{name} is not a discipline inspector: no register key for them"),
            )),
            None => Err(Error::NotFound {
                what: Text::new(
                    format!("名为「{}」的用户", crate::text::excerpt(name, 40)),
                    format!("a user named “{}”", crate::text::excerpt(name, 40)),
                ),
            }),
        }
    }

    /// The discipline inspectors: each name and key slot.
    pub(crate) fn inspectors(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached("SELECT name, slot_id FROM users WHERE role = ?1 ORDER BY name")?;
        let rows = stmt.query_map([Role::DisciplineInspector.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The key slot of the user signed in.
    pub(crate) fn session_slot(&self) -> Result<String> {
        self.conn
            .query_row("SELECT slot_id FROM users WHERE name = ?1", [&self.session_user().name], |r| r.get(0))
            .optional()?
            .ok_or(Error::Crypto("the user signed in has no key slot"))
    }

    /// Removes a user; `remove_slot` takes their slot out of the key file before the row goes.
    pub(crate) fn remove_user_with(&mut self, user_id: Id, remove_slot: impl FnOnce(&str) -> Result<()>) -> Result<()> {
        self.require(Action::ManageUsers)?;
        let (name, slot) = self.user_slot(user_id)?;
        if name == self.actor.session.name && !self.actor.session.recovery {
            return Err(Error::invalid(
                "user",
                "不能删除当前登录的用户",
                "you cannot remove the user you are signed in as",
            ));
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        refuse_removing_last_administrator(&tx, user_id)?;
        // Children first, so their audit entries still find the user's name.
        tx.execute("DELETE FROM user_branches WHERE user_id = ?1", [user_id])?;
        tx.execute("DELETE FROM users WHERE id = ?1", [user_id])?;
        remove_slot(&slot)?;
        tx.commit()?;
        Ok(())
    }

    fn check_branches(&self, role: Role, branches: &[Id]) -> Result<Vec<Id>> {
        if role != Role::BranchSecretary {
            return Ok(Vec::new());
        }
        if branches.is_empty() {
            return Err(Error::invalid(
                "branches",
                "支部书记至少需要分配一个党支部",
                "a branch secretary needs at least one branch",
            ));
        }
        let tree = OrgTree::load(&self.conn)?;
        let mut out = Vec::new();
        for &unit in branches {
            match tree.get(unit).map(|u| u.kind) {
                Some(OrgKind::Branch | OrgKind::GeneralBranch) => out.push(unit),
                _ => {
                    return Err(Error::invalid(
                        "branches",
                        format!("编号为 {unit} 的组织不是党支部或党总支"),
                        format!("unit {unit} is not a branch or general branch"),
                    ));
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }
}

fn refuse_removing_last_administrator(conn: &Connection, user_id: Id) -> Result<()> {
    let others: i64 =
        conn.query_row("SELECT count(*) FROM users WHERE role = 'administrator' AND id != ?1", [user_id], |r| {
            r.get(0)
        })?;
    let is_admin: bool =
        conn.query_row("SELECT count(*) > 0 FROM users WHERE role = 'administrator' AND id = ?1", [user_id], |r| {
            r.get(0)
        })?;
    if is_admin && others == 0 {
        return Err(Error::invalid(
            "role",
            "这是最后一位管理员，不能删除或降级",
            "this is the last administrator; they cannot be removed or given another role",
        ));
    }
    Ok(())
}

/// A user name as every store takes it: trimmed, not empty or reserved, no control characters,
/// not too long.
pub(super) fn check_user_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", "用户名不能为空", "the user name is empty"));
    }
    if RESERVED_NAMES.contains(&name) {
        return Err(Error::invalid(
            "name",
            format!("「{name}」是保留名称，审计日志中用于系统操作"),
            format!("“{name}” is reserved: the audit log uses it for the system"),
        ));
    }
    if let Some(c) = crate::text::forbidden_char(name, false) {
        return Err(Error::InvalidInput {
            field: "name".into(),
            reason: crate::text::forbidden_char_message(&Text::new("用户名", "user name"), c),
        });
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::invalid(
            "name",
            format!("用户名不能超过 {MAX_NAME_CHARS} 个字符"),
            format!("a user name has at most {MAX_NAME_CHARS} characters"),
        ));
    }
    Ok(name)
}

fn user_not_found(id: Id) -> Error {
    Error::NotFound { what: Text::new(format!("编号为 {id} 的用户"), format!("user {id}")) }
}

#[cfg(test)]
mod tests {
    use crate::Workspace;
    use crate::access::Role;
    use crate::keys::KdfParams;
    use crate::workspace::NewWorkspace;

    #[test]
    fn a_workspace_made_before_users_existed_makes_its_key_holder_the_administrator() {
        // Workspaces of earlier versions have a key slot but no users: opening one signs the
        // slot's holder in as administrator rather than locking everyone out.
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::at(dir.path().join("ws"));
        let new =
            NewWorkspace { kdf: KdfParams::FOR_TESTS, user: "老王", ..NewWorkspace::new("passphrase-1", "党委") };
        let store = ws.create(&new).unwrap();
        store.conn.execute("DELETE FROM users", []).unwrap();
        drop(store);
        let store = ws.open("passphrase-1").unwrap();
        assert_eq!(store.session_user().name, "老王");
        assert_eq!(store.session_user().role, Role::Administrator);
        assert_eq!(store.users().unwrap().len(), 1);
    }

    #[test]
    fn a_key_slot_that_belongs_to_no_user_opens_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::at(dir.path().join("ws"));
        let new = NewWorkspace { kdf: KdfParams::FOR_TESTS, ..NewWorkspace::new("passphrase-1", "党委") };
        let store = ws.create(&new).unwrap();
        // A slot whose user row never committed (a crash between key file and database).
        let mut key_file = crate::keys::KeyFile::read(&ws.key_path()).unwrap();
        let key = store.key.clone().unwrap();
        key_file
            .add_slot(crate::keys::SlotKind::Passphrase, "ghost", b"ghost passphrase", &key, KdfParams::FOR_TESTS)
            .unwrap();
        key_file.write_atomic(&ws.key_path()).unwrap();
        drop(store);
        let err = ws.open_as(Some("ghost"), "ghost passphrase").unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Forbidden, "{err}");
    }
}
