//! The shared server's use cases (issue 20), as [`crate::Session`] is the workspace's: a
//! university's offices on one PostgreSQL database, each user signed in as a login role of their
//! own. What runs on a server so far: setting one up, its users, and checking its audit log; the
//! rest of Dangan still runs on a workspace only (ARCHITECTURE.md, "The shared server").

use crate::access::{Action, Role};
use crate::backup::VerifyReport;
use crate::store::server::ServerStore;
pub use crate::store::server::{ServerAddress, ServerInit, ServerUnit, ServerUser};
use crate::{Error, Result, Text};

/// One signed-in user's connection to the server.
pub struct ServerSession {
    store: ServerStore,
}

impl ServerSession {
    /// `dangan server init`: the schema, the roles, the policies, the root committee and its
    /// first administrator, on an empty database whose owner the address names.
    pub fn initialise(address: &ServerAddress, committee: &str, admin: &str, passphrase: &str) -> Result<ServerInit> {
        ServerStore::initialise(address, committee, admin, passphrase)
    }

    /// Signs in: the user's passphrase is their login role's password, so a wrong one is refused
    /// by the server itself.
    pub fn sign_in(address: &ServerAddress, user: Option<&str>, passphrase: &str) -> Result<ServerSession> {
        let user = user.map(str::trim).filter(|u| !u.is_empty()).ok_or_else(|| {
            Error::invalid("user", "在服务器上请用 --user 指明用户名", "on a server, name the user with --user")
        })?;
        Ok(ServerSession { store: ServerStore::sign_in(address, user, passphrase)? })
    }

    pub fn address(&self) -> &ServerAddress {
        self.store.address()
    }

    /// Who is signed in.
    pub fn user(&self) -> &ServerUser {
        self.store.me()
    }

    pub fn users(&mut self) -> Result<Vec<ServerUser>> {
        self.store.users()
    }

    /// Adds a user. A branch secretary is given branches by name or path (`学院党委/第一支部`);
    /// anyone else the committee whose office they work for (by default the administrator's own).
    pub fn add_user(
        &mut self,
        name: &str,
        role: Role,
        committee: Option<&str>,
        branches: &[String],
        passphrase: &str,
    ) -> Result<ServerUser> {
        self.store.require(Action::ManageUsers)?;
        let units = self.store.units()?;
        let branch_ids = branches.iter().map(|b| unit_named(&units, b, "branch")).collect::<Result<Vec<_>>>()?;
        let unit_id = match (committee, branch_ids.first()) {
            (Some(name), _) => {
                let id = unit_named(&units, name, "committee")?;
                if units.iter().any(|u| u.id == id && u.kind != "committee") {
                    return Err(Error::invalid(
                        "committee",
                        format!("「{name}」不是党委"),
                        format!("{name} is not a committee"),
                    ));
                }
                id
            }
            // A branch secretary works for the committee above their first branch.
            (None, Some(branch)) => committee_above(&units, branch).unwrap_or_else(|| self.store.me().unit_id.clone()),
            (None, None) => self.store.me().unit_id.clone(),
        };
        self.store.add_user(name, role, &unit_id, &branch_ids, passphrase)
    }

    /// The units this user sees: their own and every unit above them.
    pub fn units(&mut self) -> Result<Vec<ServerUnit>> {
        self.store.units()
    }

    /// Follows the server's audit log along its hash chain.
    pub fn verify(&mut self) -> Result<VerifyReport> {
        self.store.verify()
    }
}

/// A unit by its id, its name, or its path of names from the top (`/`-separated); an ambiguous
/// name is refused with the paths that would tell them apart.
fn unit_named(units: &[ServerUnit], wanted: &str, field: &str) -> Result<String> {
    let wanted = wanted.trim();
    if let Some(unit) = units.iter().find(|u| u.id == wanted) {
        return Ok(unit.id.clone());
    }
    let matching: Vec<&ServerUnit> = units
        .iter()
        .filter(|u| {
            let path = path_of(units, u);
            u.name == wanted || path == wanted || path.ends_with(&format!("/{wanted}"))
        })
        .collect();
    match matching.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => Err(Error::NotFound { what: Text::new(format!("单位「{wanted}」"), format!("unit {wanted}")) }),
        several => {
            let paths: Vec<String> = several.iter().map(|u| path_of(units, u)).collect();
            Err(Error::invalid(
                field,
                format!("有几个单位叫「{wanted}」，请写出完整路径：{}", paths.join("、")),
                format!("several units are called {wanted}; give the whole path: {}", paths.join(", ")),
            ))
        }
    }
}

/// A unit's names from the top, `/`-separated.
fn path_of(units: &[ServerUnit], unit: &ServerUnit) -> String {
    let mut names = vec![unit.name.as_str()];
    let mut parent = unit.parent_id.as_deref();
    // No deeper than there are units, whatever the server holds.
    while let Some(id) = parent.filter(|_| names.len() <= units.len()) {
        let Some(up) = units.iter().find(|u| u.id == id) else { break };
        names.push(&up.name);
        parent = up.parent_id.as_deref();
    }
    names.reverse();
    names.join("/")
}

/// The nearest committee at or above a unit.
fn committee_above(units: &[ServerUnit], id: &str) -> Option<String> {
    let mut current = units.iter().find(|u| u.id == id)?;
    for _ in 0..=units.len() {
        if current.kind == "committee" {
            return Some(current.id.clone());
        }
        current = units.iter().find(|u| Some(u.id.as_str()) == current.parent_id.as_deref())?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: &str, parent: Option<&str>, kind: &str, name: &str) -> ServerUnit {
        ServerUnit { id: id.into(), parent_id: parent.map(Into::into), kind: kind.into(), name: name.into() }
    }

    fn university() -> Vec<ServerUnit> {
        vec![
            unit("u", None, "committee", "大学党委"),
            unit("c", Some("u"), "committee", "计算机学院党委"),
            unit("m", Some("u"), "committee", "数学学院党委"),
            unit("c1", Some("c"), "branch", "第一支部"),
            unit("m1", Some("m"), "branch", "第一支部"),
        ]
    }

    #[test]
    fn a_unit_is_found_by_id_name_or_path_and_a_shared_name_asks_for_the_path() {
        let units = university();
        assert_eq!(unit_named(&units, "数学学院党委", "committee").unwrap(), "m");
        assert_eq!(unit_named(&units, "计算机学院党委/第一支部", "branch").unwrap(), "c1");
        assert_eq!(unit_named(&units, "c1", "branch").unwrap(), "c1");
        let err = unit_named(&units, "第一支部", "branch").unwrap_err();
        assert!(err.message(crate::Lang::En).contains("大学党委/计算机学院党委/第一支部"), "{err}");
        assert!(matches!(unit_named(&units, "物理学院党委", "committee"), Err(Error::NotFound { .. })));
        assert_eq!(committee_above(&units, "m1").as_deref(), Some("m"));
    }
}
