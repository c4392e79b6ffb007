//! Members arriving by transfer (转入) as the store keeps them: the person, their steps with the
//! days they happened elsewhere, the status change that puts them in the register on the day the
//! letter was received, the arrival's own row (`arrivals`) and a record for each material that came
//! with the file, all in one transaction. The checks are `arrival::check_arrival` and `validate`'s.

use rusqlite::{Connection, OptionalExtension, params};

use super::Store;
use super::org::OrgTree;
use super::people::{MemberDetail, corrupt_row, load_events, uniqueness_conflict, write_person};
use super::status::write_change;
use crate::access::Action;
use crate::arrival::{ArrivalRecord, NewArrival, check_arrival};
use crate::calendar;
use crate::domain::{FileRecord, Id, MembershipStatus, OrgKind, RecordFields, StatusChange};
use crate::dues::Month;
use crate::{Error, Result, validate};

/// The arrival of a person, if they came by transfer.
pub(crate) fn load_arrival(conn: &Connection, person_id: Id) -> Result<Option<ArrivalRecord>> {
    let row = conn
        .prepare_cached(
            "SELECT received_on, origin, letter_number, letter_issued_on, dues_through FROM arrivals
             WHERE person_id = ?1",
        )?
        .query_row([person_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<i32>>(4)?,
            ))
        })
        .optional()?;
    let Some((received, origin, letter_number, issued, dues)) = row else { return Ok(None) };
    let corrupt = || corrupt_row("arrivals", person_id);
    let letter_issued_on = issued.map(|d| calendar::parse_iso(&d).ok_or_else(corrupt)).transpose()?;
    Ok(Some(ArrivalRecord {
        person_id,
        received_on: calendar::parse_iso(&received).ok_or_else(corrupt)?,
        origin,
        letter_number,
        letter_issued_on,
        dues_paid_through: dues.map(Month),
    }))
}

/// Whether a status change is the one an arrival made (undone only with the person).
pub(crate) fn is_arrival_change(conn: &Connection, change_id: Id) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM arrivals WHERE status_change_id = ?1", [change_id], |_| Ok(()))
        .optional()?
        .is_some())
}

impl Store {
    /// Registers a member arriving by transfer: checked whole first (the person and their steps as
    /// any new person, the arrival's own facts, the materials against the checklist), then written
    /// in one transaction. Returns their page.
    pub fn register_arrival(&mut self, arrival: NewArrival) -> Result<MemberDetail> {
        self.require_branch(Action::EditMembers, arrival.person.branch_id)?;
        let (mut record, materials) = check_arrival(&arrival, crate::checklist::materials(), self.today())?;
        let NewArrival { mut person, mut steps, .. } = arrival;
        if person.id.is_some() {
            return Err(Error::invalid(
                "person",
                "转入的是新登记的人员：已在册的人员请记录其状态变更",
                "an arrival registers someone new: for someone already on file, record a status change",
            ));
        }
        super::people::normalize(&mut person);
        let tree = OrgTree::load(&self.conn)?;
        if tree.get(person.branch_id).map(|u| u.kind) != Some(OrgKind::Branch) {
            return Err(Error::invalid("branch_id", "请选择一个党支部", "choose a branch"));
        }
        steps.iter_mut().for_each(|s| s.id = None);
        super::people::sort_events(&mut steps);
        let mut violations = validate::check_member(&person, &steps, self.context());
        violations.extend(uniqueness_conflict(&self.conn, &person, self.visible_units(&tree).as_ref())?);
        if !violations.is_empty() {
            return Err(Error::Violations { violations });
        }
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let person_id = write_person(&tx, &person, &steps)?;
        super::people::write_events(&tx, person_id, &mut steps)?;
        record.person_id = person_id;
        let arrived = StatusChange {
            id: None,
            person_id,
            status: MembershipStatus::InRegister,
            date: record.received_on,
            reason: Some(record.reason()),
        };
        let change_id = write_change(&tx, &arrived)?;
        tx.execute(
            "INSERT INTO arrivals (person_id, received_on, origin, letter_number, letter_issued_on, dues_through,
                 status_change_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                person_id,
                record.received_on.to_string(),
                record.origin,
                record.letter_number,
                record.letter_issued_on.map(|d| d.to_string()),
                record.dues_paid_through.map(|m| m.0),
                change_id
            ],
        )?;
        let events = load_events(&tx, person_id)?;
        for material in materials {
            let step = material.event.unwrap_or(material.when);
            let documents = events.iter().find(|e| e.kind == step).and_then(|e| e.id);
            let filed = FileRecord {
                id: None,
                person_id,
                kind: material.record,
                date: record.received_on,
                event_id: if material.event.is_some() { documents } else { None },
                title: Some(format!("{}（随组织关系转入）", material.name.zh)),
                body: format!(
                    "{}随组织关系介绍信自{}转入，{}收到。",
                    material.name.zh,
                    record.origin,
                    calendar::format_zh(record.received_on)
                ),
                fields: RecordFields::default(),
                attachments: Vec::new(),
            };
            super::files::insert_record(&tx, &filed, &[])?;
        }
        tx.commit()?;
        self.status_changed(person_id)?;
        self.member(person_id)
    }

    /// How the person came into the register, if by transfer.
    pub fn arrival(&self, person_id: Id) -> Result<Option<ArrivalRecord>> {
        self.require_member(Action::ReadMembers, person_id)?;
        load_arrival(&self.conn, person_id)
    }
}
