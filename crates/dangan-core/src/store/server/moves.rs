//! A member moved to a branch anywhere on the server, another college's included: the
//! committee's decision (ApproveTransfers), one transaction, logged by the server. The
//! membership issue's transfer without a package: both offices work on this one database, so
//! the person, their steps and their history simply change hands (`dangan.move_person`).

use postgres::error::SqlState;

use super::people::{load, refuse_if_stale};
use super::{ServerStore, failure, lost_at_commit};
use crate::access::Action;
use crate::domain::Id;
use crate::{Error, Result, Text};

/// A member as they left for their new branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovedPerson {
    pub id: Id,
    pub name: String,
    /// The branch they left, and the one they are in now (which the mover may no longer see).
    pub from_branch: Id,
    pub to_branch: Id,
    /// The person's version after the move.
    pub version: i32,
}

impl ServerStore {
    /// Moves a member to the branch at `destination`, a `/`-separated path of names from the top
    /// (the university's committee may lead it). With `seen_version`, refused if anyone changed
    /// the member since that version was read.
    pub fn move_person(&mut self, person_id: Id, destination: &str, seen_version: Option<i32>) -> Result<MovedPerson> {
        self.require(Action::ApproveTransfers)?;
        let names: Vec<String> =
            destination.split('/').map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned).collect();
        if names.is_empty() {
            return Err(Error::invalid(
                "to",
                "请写出目的支部的完整路径，如「数学学院党委/第一支部」",
                "give the destination branch's whole path, such as 数学学院党委/第一支部",
            ));
        }
        let address = self.address.clone();
        let mut tx = self.client.transaction().map_err(|e| failure(e, &address))?;
        // Locked until the commit, as any change to a person: a worker's step for them waits.
        let before = load(&mut tx, &mut self.statements, person_id, true).map_err(|e| e.into_error(&address))?;
        refuse_if_stale(&before, seen_version)?;
        let moved = self
            .statements
            .get(&mut tx, "SELECT new_branch, new_version FROM dangan.move_person($1, $2)")
            .map_err(|e| failure(e, &address))?;
        let row = tx.query_one(&moved, &[&person_id, &names]).map_err(|e| refused(e, person_id, &names, &address))?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(MovedPerson {
            id: person_id,
            name: before.person.name,
            from_branch: before.person.branch_id,
            to_branch: row.get(0),
            version: row.get(1),
        })
    }
}

/// The server's refusal in the user's words: no branch at the path, not a branch, or the branch
/// the member is in already.
fn refused(e: postgres::Error, person_id: Id, names: &[String], address: &super::ServerAddress) -> Error {
    let path = names.join("/");
    match e.as_db_error() {
        Some(db) if *db.code() == SqlState::NO_DATA_FOUND && db.message().starts_with("no person") => {
            crate::store::people::not_found(person_id)
        }
        Some(db) if *db.code() == SqlState::NO_DATA_FOUND => {
            Error::NotFound { what: Text::new(format!("单位「{path}」"), format!("unit {path}")) }
        }
        Some(db) if *db.code() == SqlState::INVALID_PARAMETER_VALUE && db.message().contains("already") => {
            Error::invalid("to", format!("已在「{path}」"), format!("the member is in {path} already"))
        }
        Some(db) if *db.code() == SqlState::INVALID_PARAMETER_VALUE => Error::invalid(
            "to",
            format!("「{path}」不是党支部：只能转到党支部"),
            format!("{path} is not a branch: a member moves to a branch"),
        ),
        _ => failure(e, address),
    }
}
