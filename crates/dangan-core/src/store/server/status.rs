//! Membership status on the server (`dangan.status_changes`, version 3): a change recorded or the
//! latest taken back, with the person locked while the workspace's rules check it
//! (`domain::check_status_change`), so two workers changing one person's status are checked one
//! after the other. The person's cached status is the server's to keep (`dangan.follow_status`).

use super::people::{ServerPerson, load};
use super::{ServerStore, failure, lost_at_commit};
use crate::Result;
use crate::access::Action;
use crate::domain::{Id, MembershipStatus, Stage, StatusChange, check_status_change};

impl ServerStore {
    /// Records a change of status, checked against the person's stage and history; returns the
    /// person as they now are.
    pub(crate) fn change_status(&mut self, change: StatusChange) -> Result<ServerPerson> {
        self.require(Action::EditMembers)?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let today = self.today();
        let mut tx = self.client.transaction().map_err(fail)?;
        let id = change.person_id;
        let before = load(&mut tx, &mut self.statements, id, true).map_err(|e| e.into_error(&address))?;
        if change.status == MembershipStatus::InRegister
            && let Some(number) = super::transfers::open_letter_of(&mut tx, id).map_err(|e| e.into_error(&address))?
        {
            return Err(crate::store::status::back_by_cancelling(&number));
        }
        let stage = Stage::of_person(&before.person, &before.events);
        let change = check_status_change(change, stage, &before.status_history, today)?;
        let insert = self
            .statements
            .get(
                &mut tx,
                "INSERT INTO dangan.status_changes (person_id, status, date, reason) VALUES ($1, $2, $3::text::date, $4)",
            )
            .map_err(fail)?;
        tx.execute(&insert, &[&id, &change.status.as_str(), &change.date.to_string(), &change.reason]).map_err(fail)?;
        let after = load(&mut tx, &mut self.statements, id, false).map_err(|e| e.into_error(&address))?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(after)
    }

    /// Takes back the person's latest change (recorded in error), provided it is still `seen`
    /// (when given); the status before it returns.
    pub(crate) fn undo_status_change(&mut self, person_id: Id, seen: Option<Id>) -> Result<ServerPerson> {
        self.require(Action::EditMembers)?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = self.client.transaction().map_err(fail)?;
        let before = load(&mut tx, &mut self.statements, person_id, true).map_err(|e| e.into_error(&address))?;
        let latest = crate::domain::change_to_undo(before.status_history.last().and_then(|c| c.id), seen)?;
        if let Some(number) = super::transfers::letter_of_change(&mut tx, latest).map_err(fail)? {
            return Err(crate::store::status::letter_change_refusal(&number));
        }
        let arrival = self
            .statements
            .get(&mut tx, "SELECT EXISTS (SELECT 1 FROM dangan.arrivals WHERE status_change_id = $1)")
            .map_err(fail)?;
        if tx.query_one(&arrival, &[&latest]).map_err(fail)?.get::<_, bool>(0) {
            return Err(crate::store::status::arrival_change_refusal());
        }
        let delete = self.statements.get(&mut tx, "DELETE FROM dangan.status_changes WHERE id = $1").map_err(fail)?;
        tx.execute(&delete, &[&latest]).map_err(fail)?;
        let after = load(&mut tx, &mut self.statements, person_id, false).map_err(|e| e.into_error(&address))?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(after)
    }
}
