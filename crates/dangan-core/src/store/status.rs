//! Membership status as the store keeps it: the history in `status_changes`, the latest cached in
//! `people.status` in the same transaction, and the indexes told so that a person out of the
//! register leaves the working lists, deadlines and branch life at once. The rules of a change
//! are `domain::check_status_change`.

use rusqlite::{Connection, params};

use super::Store;
use super::people::{MemberDetail, corrupt_row, load_events, load_person, not_found};
use crate::access::Action;
use crate::calendar;
use crate::domain::{Id, MembershipStatus, Stage, StatusChange, check_status_change, current_status};
use crate::{Error, Result};

/// A person's changes in date order (then in the order recorded).
pub(crate) fn load_history(conn: &Connection, person_id: Id) -> Result<Vec<StatusChange>> {
    let mut stmt = conn
        .prepare_cached("SELECT id, status, date, reason FROM status_changes WHERE person_id = ?1 ORDER BY date, id")?;
    let mut rows = stmt.query([person_id])?;
    let mut history = Vec::new();
    while let Some(r) = rows.next()? {
        let id: Id = r.get(0)?;
        let status = r.get_ref(1)?.as_str().ok().and_then(MembershipStatus::parse);
        let date = r.get_ref(2)?.as_str().ok().and_then(calendar::parse_iso);
        let (Some(status), Some(date)) = (status, date) else { return Err(corrupt_row("status_changes", id)) };
        history.push(StatusChange { id: Some(id), person_id, status, date, reason: r.get(3)? });
    }
    Ok(history)
}

/// Writes a checked change and the cache it moves, inside the caller's transaction.
pub(crate) fn write_change(conn: &Connection, change: &StatusChange) -> Result<Id> {
    // Cached, as every statement a batch runs once a person (graduates leaving together): the
    // audit log's triggers make these slow to prepare.
    conn.prepare_cached("INSERT INTO status_changes (person_id, status, date, reason) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![change.person_id, change.status.as_str(), change.date.to_string(), change.reason])?;
    let id = conn.last_insert_rowid();
    conn.prepare_cached("UPDATE people SET status = ?1 WHERE id = ?2")?
        .execute(params![change.status.as_str(), change.person_id])?;
    Ok(id)
}

/// A member transferred out by a letter comes back by cancelling it, on either engine: otherwise
/// the letter would stay open, its receipt owed for ever (and no new letter or application could
/// be made for them).
pub(crate) fn back_by_cancelling(number: &str) -> Error {
    Error::invalid(
        "status",
        format!("此人凭介绍信第 {number} 号转出：请作废介绍信（dangan transfer cancel），而不是改回在册"),
        format!("this person left with letter {number}: cancel the letter (dangan transfer cancel) instead"),
    )
}

impl Store {
    /// The person's status changes, oldest first.
    pub fn status_history(&self, person_id: Id) -> Result<Vec<StatusChange>> {
        self.require_member(Action::ReadMembers, person_id)?;
        if load_person(&self.conn, person_id)?.is_none() {
            return Err(not_found(person_id));
        }
        load_history(&self.conn, person_id)
    }

    /// Records a change of status (a transfer, a suspension, a death, a decision to remove),
    /// checked against the person's stage and history; the person leaves or rejoins the working
    /// lists at once.
    pub fn change_status(&mut self, change: StatusChange) -> Result<MemberDetail> {
        let tx = self.begin_change()?;
        let person_id = change.person_id;
        let (stage, history) = self.status_facts(person_id)?;
        if change.status == MembershipStatus::InRegister
            && let Some(number) = super::transfers::open_letter_of(&self.conn, person_id)?
        {
            return Err(back_by_cancelling(&number));
        }
        let change = check_status_change(change, stage, &history, self.today())?;
        write_change(&tx, &change)?;
        tx.commit()?;
        self.status_changed(person_id)?;
        self.member(person_id)
    }

    /// Takes back the latest change (recorded in error); the status before it returns.
    pub fn undo_status_change(&mut self, person_id: Id, seen: Option<Id>) -> Result<MemberDetail> {
        let tx = self.begin_change()?;
        let (_, history) = self.status_facts(person_id)?;
        let last = crate::domain::change_to_undo(history.last().and_then(|c| c.id), seen)?;
        if let Some(number) = self.letter_of_change(last)? {
            return Err(letter_change_refusal(&number));
        }
        if super::arrivals::is_arrival_change(&self.conn, last)? {
            return Err(arrival_change_refusal());
        }
        let before = history.len().checked_sub(2).map_or(MembershipStatus::InRegister, |i| history[i].status);
        tx.execute("DELETE FROM status_changes WHERE id = ?1", [last])?;
        tx.execute("UPDATE people SET status = ?1 WHERE id = ?2", params![before.as_str(), person_id])?;
        tx.commit()?;
        self.status_changed(person_id)?;
        self.member(person_id)
    }

    /// The stage and the history a change is checked against, for someone the user may change.
    pub(crate) fn status_facts(&self, person_id: Id) -> Result<(Stage, Vec<StatusChange>)> {
        self.require_member(Action::EditMembers, person_id)?;
        let person = load_person(&self.conn, person_id)?.ok_or_else(|| not_found(person_id))?;
        let events = load_events(&self.conn, person_id)?;
        Ok((Stage::of_person(&person, &events), load_history(&self.conn, person_id)?))
    }

    /// After a status change: the person's index entries are re-read and branch life forgets who
    /// owes organisational life.
    pub(crate) fn status_changed(&self, person_id: Id) -> Result<()> {
        self.refresh_index(person_id)?;
        self.drop_life_index();
        Ok(())
    }

    /// The status and its history shown on the member's page.
    pub(crate) fn fill_status(&self, detail: &mut MemberDetail) -> Result<()> {
        let Some(id) = detail.person.id else { return Ok(()) };
        detail.status_history = load_history(&self.conn, id)?;
        detail.status = current_status(&detail.status_history);
        detail.arrival = super::arrivals::load_arrival(&self.conn, id)?;
        detail.graduate_kept_since = super::graduation::kept_since(&self.conn, id)?;
        Ok(())
    }
}

/// The refusal to undo the status change an arrival wrote, on either engine.
pub(crate) fn arrival_change_refusal() -> Error {
    Error::invalid(
        "status",
        "这是转入登记，不能撤销：如登记有误，请修改其信息",
        "this is the member's arrival by transfer, which cannot be taken back: correct their details instead",
    )
}

/// The refusal to undo a status change a letter wrote, on either engine.
pub(crate) fn letter_change_refusal(number: &str) -> Error {
    Error::invalid(
        "status",
        format!("这次状态变更属于介绍信第 {number} 号：请通过介绍信处理（作废或重开），而不是撤销状态"),
        format!("this change belongs to letter {number}: act on the letter (cancel or reissue it) instead"),
    )
}
