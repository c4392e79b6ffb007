//! People and the steps of their procedure on the server: read as the signed-in user's policies
//! allow, changed with the same checks as a workspace's (`validate.rs`, one implementation of each
//! rule), one person at a time under a row lock, so two workers recording steps for the same person
//! at once are checked one after the other and never both against what the other has not seen.

use postgres::GenericClient;

use super::{ServerStore, Statements, failure, lost_at_commit};
use crate::access::Action;
use crate::calendar::Date;
use crate::deadlines::Fact;
use crate::domain::{
    Category, Education, EventKind, Gender, Id, MembershipStatus, Occupation, Person, ProcedureEvent, Stage,
    StatusChange, StudentLevel,
};
use crate::store::IndexEntry;
use crate::store::people::{
    PERSON_VALUES, checked_selection, named_violation, normalize, not_found, person_from, sort_events,
};
use crate::validate::{self, Violation};
use crate::{Error, Result, Text};

/// The columns of `store/people.rs`'s `PERSON_COLUMNS`, in its order, dates as text.
const PERSON_COLUMNS: &str = "id, branch_id, name, gender, ethnicity, birth_date::text, id_number, student_no, \
     category, department, class_name, phone, native_place, notes, education, class_year, student_level, occupation, \
     joined_on::text";

/// A person's steps as a session holds them for the deadline scan and the late flags.
#[derive(Debug)]
pub(crate) struct HeldSteps {
    /// In procedure order.
    pub(crate) facts: Vec<Fact>,
    /// Whether they owe steps at all: not a member from before the records
    /// ([`Person::joined_before_records`]).
    pub(crate) owes_steps: bool,
}

impl HeldSteps {
    fn of(mut events: Vec<ProcedureEvent>, joined_on_given: bool) -> HeldSteps {
        sort_events(&mut events);
        let before_records = Person::joined_before_records_given(joined_on_given, events.iter().map(|e| e.kind));
        HeldSteps { facts: events.iter().map(Into::into).collect(), owes_steps: !before_records }
    }
}

/// A person as the server holds them: the record, and the version a later change must name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerPerson {
    pub person: Person,
    pub events: Vec<ProcedureEvent>,
    pub stage: Stage,
    pub ended: bool,
    /// Raised by the server on every change to the person or their steps.
    pub version: i32,
    /// Who made the latest change.
    pub changed_by: Option<String>,
    /// The person's UUID, the same in every database they are copied to.
    pub uid: String,
    /// Their membership status's changes, in date order (then in the order recorded).
    pub status_history: Vec<StatusChange>,
    /// A graduate whose relationship is kept at the university: since the day they graduated.
    pub graduate_kept_since: Option<Date>,
    /// Where they came from, if they arrived by transfer (转入).
    pub arrival: Option<crate::arrival::ArrivalRecord>,
    /// Their items set aside (`dangan.dismissals`): rule, due day, and until when (`None`:
    /// acknowledged), read with them so that a save needs no read of its own for its page.
    pub(crate) set_aside: Vec<(String, Date, Option<Date>)>,
    /// The forms of their name the list sorts and searches by, and their membership status, as
    /// stored: with the rest, their list row, so that a session's own change needs no read of it.
    pub(crate) keys: crate::names::NameKeys,
    pub(crate) status: MembershipStatus,
}

impl ServerPerson {
    /// Their row in the member list, as `index_entry` reads it.
    pub(crate) fn list_row(&self) -> IndexEntry {
        IndexEntry {
            id: self.person.id.unwrap_or_default(),
            sort_key: self.keys.sort_key.clone(),
            name: self.person.name.clone(),
            pinyin: self.keys.pinyin.clone(),
            initials: self.keys.initials.clone(),
            student_no: self.person.student_no.clone(),
            stage: self.stage,
            branch_id: self.person.branch_id,
            ended: self.ended,
            gender: self.person.gender,
            status: self.status,
        }
    }

    /// Their steps as the session holds them for the scan.
    pub(crate) fn held_steps(&self) -> HeldSteps {
        HeldSteps::of(self.events.clone(), self.person.joined_on.is_some())
    }

    /// Their items set aside, for marking their items.
    pub(crate) fn dismissals(&self) -> crate::store::dismissals::Dismissals {
        let mut out = crate::store::dismissals::Dismissals::default();
        let id = self.person.id.unwrap_or_default();
        for (rule, due, until) in &self.set_aside {
            out.add_member(id, rule.clone(), *due, *until);
        }
        out
    }
}

/// The columns of a person's list row (`IndexEntry`).
const ENTRY_COLUMNS: &str = "id, sort_key, name, pinyin, initials, student_no, stage, branch_id, ended, gender, status";

impl ServerStore {
    /// Every person this user may read, as the member list's rows, in pinyin order (the sort key
    /// compared byte by byte, as a workspace compares it).
    pub(crate) fn index_entries(&mut self) -> Result<Vec<IndexEntry>> {
        self.require(Action::ReadMembers)?;
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM dangan.people ORDER BY sort_key, id");
        let rows = self.client.query(&sql, &[]).map_err(|e| failure(e, &self.address))?;
        rows.iter().map(|r| entry_of(r, &self.address)).collect()
    }

    /// One person's list row, if this user may read them (else `None`: gone or out of sight).
    pub(crate) fn index_entry(&mut self, id: Id) -> Result<Option<IndexEntry>> {
        self.require(Action::ReadMembers)?;
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM dangan.people WHERE id = $1");
        let statement = self.statements.get(&mut self.client, &sql).map_err(|e| failure(e, &self.address))?;
        let row = self.client.query_opt(&statement, &[&id]).map_err(|e| failure(e, &self.address))?;
        row.map(|r| entry_of(&r, &self.address)).transpose()
    }

    /// The steps of every person this user may read, as facts for the rules, by person (in one
    /// snapshot with who was given 入党时间).
    pub(crate) fn all_facts(&mut self) -> Result<std::collections::HashMap<Id, HeldSteps>> {
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = super::snapshot(&mut self.client).map_err(fail)?;
        let rows =
            tx.query("SELECT person_id, id, kind, date::text, months, note FROM dangan.events", &[]).map_err(fail)?;
        let joined: std::collections::HashSet<Id> = tx
            .query("SELECT id FROM dangan.people WHERE joined_on IS NOT NULL", &[])
            .map_err(fail)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        tx.commit().map_err(fail)?;
        let mut events: std::collections::HashMap<Id, Vec<ProcedureEvent>> = std::collections::HashMap::new();
        for r in &rows {
            let event = event_of(r, 1).map_err(|e| e.into_error(&address))?;
            events.entry(r.get(0)).or_default().push(event);
        }
        Ok(events.into_iter().map(|(id, list)| (id, HeldSteps::of(list, joined.contains(&id)))).collect())
    }

    /// The whole records of the people `ids` names that this user may read, in that order, each
    /// with their steps in procedure order (two statements, whatever the number).
    pub(crate) fn records(&mut self, ids: &[Id]) -> Result<Vec<(Person, Vec<ProcedureEvent>)>> {
        self.require(Action::ReadMembers)?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = super::snapshot(&mut self.client).map_err(fail)?;
        let people = tx
            .query(&format!("SELECT {PERSON_COLUMNS} FROM dangan.people WHERE id = ANY ($1)"), &[&ids])
            .map_err(fail)?;
        let steps = tx
            .query(
                "SELECT person_id, id, kind, date::text, months, note FROM dangan.events WHERE person_id = ANY ($1)",
                &[&ids],
            )
            .map_err(fail)?;
        tx.commit().map_err(fail)?;
        let mut by_id: std::collections::HashMap<Id, (Person, Vec<ProcedureEvent>)> = std::collections::HashMap::new();
        for row in &people {
            let class_year: Option<i32> = row.get(15);
            let person =
                person_from(row.get(0), row.get(1), row.get(2), class_year.and_then(|y| u16::try_from(y).ok()), |i| {
                    row.try_get::<_, Option<String>>(i)
                })
                .map_err(fail)?;
            by_id.insert(row.get(0), (person, Vec::new()));
        }
        for row in &steps {
            let event = event_of(row, 1).map_err(|e| e.into_error(&address))?;
            if let Some((_, events)) = by_id.get_mut(&row.get::<_, Id>(0)) {
                events.push(event);
            }
        }
        Ok(ids
            .iter()
            .filter_map(|id| by_id.remove(id))
            .map(|(person, mut events)| {
                sort_events(&mut events);
                (person, events)
            })
            .collect())
    }

    /// One person's steps as facts for the rules, in procedure order; none when they are gone or
    /// out of this user's sight.
    pub(crate) fn person_facts(&mut self, id: Id) -> Result<HeldSteps> {
        let address = self.address.clone();
        // The person's row joined, for 入党时间 (one round trip: it runs after every save).
        let steps = self
            .statements
            .get(
                &mut self.client,
                "SELECT e.id, e.kind, e.date::text, e.months, e.note, p.joined_on IS NOT NULL
                 FROM dangan.people p LEFT JOIN dangan.events e ON e.person_id = p.id WHERE p.id = $1",
            )
            .map_err(|e| failure(e, &address))?;
        let rows = self.client.query(&steps, &[&id]).map_err(|e| failure(e, &address))?;
        let joined = rows.first().is_some_and(|r| r.get(5));
        let events = rows
            .iter()
            .filter(|r| r.get::<_, Option<Id>>(0).is_some())
            .map(|r| event_of(r, 0))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| e.into_error(&address))?;
        Ok(HeldSteps::of(events, joined))
    }

    /// A person and their steps, if this user may read them.
    pub fn person(&mut self, id: Id) -> Result<ServerPerson> {
        self.require(Action::ReadMembers)?;
        let address = self.address.clone();
        load(&mut self.client, &mut self.statements, id, false).map_err(|e| e.into_error(&address))
    }

    /// Adds a person (`id: None`) or changes one, checked as a workspace checks them. With
    /// `seen_version`, refused if the person changed since that version was read.
    pub fn save_person(&mut self, mut person: Person, seen_version: Option<i32>) -> Result<ServerPerson> {
        self.require(Action::EditMembers)?;
        normalize(&mut person);
        let address = self.address.clone();
        let cx = validate::Context { rules: &self.rules, today: self.today(), workdays: &self.workdays };
        let mut tx = self.client.transaction().map_err(|e| failure(e, &address))?;
        let fail = |e| failure(e, &address);
        // The kind of the branch chosen: one the user may change (the policies hide the others, so
        // it is not found). Asked with the lock on the person, to save a round trip.
        let (kind, events, status_history, graduate_kept_since, arrival, set_aside, status) = match person.id {
            Some(id) => {
                let kind = lock(&mut tx, &mut self.statements, id, Some(person.branch_id))
                    .map_err(|e| e.into_error(&address))?;
                let before = load(&mut tx, &mut self.statements, id, false).map_err(|e| e.into_error(&address))?;
                refuse_if_stale(&before, seen_version)?;
                let ServerPerson { events, status_history, graduate_kept_since, arrival, set_aside, status, .. } =
                    before;
                (kind, events, status_history, graduate_kept_since, arrival, set_aside, status)
            }
            None => {
                let unit_kind =
                    self.statements.get(&mut tx, "SELECT kind FROM dangan.org_units WHERE id = $1").map_err(fail)?;
                let kind = tx.query_opt(&unit_kind, &[&person.branch_id]).map_err(fail)?.map(|r| r.get(0));
                (kind, Vec::new(), Vec::new(), None, None, Vec::new(), MembershipStatus::InRegister)
            }
        };
        if kind.as_deref() != Some("branch") {
            return Err(Error::invalid("branch_id", "请选择一个党支部", "choose a branch"));
        }
        let violations = validate::check_member(&person, &events, cx);
        if !violations.is_empty() {
            return Err(Error::Violations { violations });
        }
        let keys = crate::names::keys(&person.name);
        let stage = Stage::of_person(&person, &events);
        let ended = events.iter().any(|e| e.kind == EventKind::MembershipEnded);
        // What the server sets (the number, the version, who changed it) comes back with the
        // write; the rest is what was checked and written, so nothing is read again.
        let written = write_person(&mut tx, &mut self.statements, &person, &keys, stage, ended, None);
        let row = match written {
            Ok(row) => row,
            Err(e) => {
                drop(tx);
                return Err(taken_number(&mut self.client, e, &person, &address));
            }
        };
        person.id = Some(row.get(0));
        let (version, changed_by, uid) = (row.get(1), row.get(2), row.get(3));
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(ServerPerson {
            person,
            events,
            stage,
            ended,
            version,
            changed_by,
            uid,
            status_history,
            graduate_kept_since,
            arrival,
            set_aside,
            keys,
            status,
        })
    }

    /// Records a step (`event.id: None`) or changes one, after every check passes. With
    /// `seen_version`, refused if the person changed since that version was read, naming who
    /// changed them.
    pub fn save_event(
        &mut self,
        person_id: Id,
        event: ProcedureEvent,
        seen_version: Option<i32>,
    ) -> Result<ServerPerson> {
        self.change_events(person_id, seen_version, |events| match event.id {
            None => {
                events.push(event);
                Ok(())
            }
            Some(id) => {
                let slot = events.iter_mut().find(|e| e.id == Some(id)).ok_or_else(|| event_not_found(id))?;
                *slot = event;
                Ok(())
            }
        })
    }

    /// Records the same step for several people at once, as a workspace does: each checked as
    /// one alone, all recorded in one transaction or none, the refusal naming each person refused
    /// with why. The people are locked in the order of their numbers, so two such batches wait
    /// for each other instead of deadlocking.
    pub fn save_event_for_many(&mut self, person_ids: &[Id], event: &ProcedureEvent) -> Result<Vec<ServerPerson>> {
        self.require(Action::EditMembers)?;
        let ids = checked_selection(person_ids)?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let cx = validate::Context { rules: &self.rules, today: self.today(), workdays: &self.workdays };
        let mut tx = self.client.transaction().map_err(fail)?;
        let mut changed = Vec::with_capacity(ids.len());
        let mut refused = Vec::new();
        for &id in &ids {
            let before = load(&mut tx, &mut self.statements, id, true).map_err(|e| e.into_error(&address))?;
            let mut events = before.events.clone();
            events.push(ProcedureEvent { id: None, ..event.clone() });
            let violations = validate::check_events(&before.person, &events, cx);
            refused.extend(violations.into_iter().map(|v| named_violation(&before.person.name, id, v)));
            changed.push((before, events));
        }
        if !refused.is_empty() {
            return Err(Error::Violations { violations: refused });
        }
        for (before, events) in &changed {
            write_restaged(&mut tx, &mut self.statements, before, events).map_err(|e| e.into_error(&address))?;
        }
        let mut after = Vec::with_capacity(changed.len());
        for &id in person_ids {
            after.push(load(&mut tx, &mut self.statements, id, false).map_err(|e| e.into_error(&address))?);
        }
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(after)
    }

    /// Removes a step, if what remains still follows the rules.
    pub fn delete_event(&mut self, person_id: Id, event_id: Id, seen_version: Option<i32>) -> Result<ServerPerson> {
        self.change_events(person_id, seen_version, |events| {
            let before = events.len();
            events.retain(|e| e.id != Some(event_id));
            if events.len() == before { Err(event_not_found(event_id)) } else { Ok(()) }
        })
    }

    fn change_events(
        &mut self,
        person_id: Id,
        seen_version: Option<i32>,
        change: impl FnOnce(&mut Vec<ProcedureEvent>) -> Result<()>,
    ) -> Result<ServerPerson> {
        self.require(Action::EditMembers)?;
        let address = self.address.clone();
        let cx = validate::Context { rules: &self.rules, today: self.today(), workdays: &self.workdays };
        let mut tx = self.client.transaction().map_err(|e| failure(e, &address))?;
        // Locked until the commit: a second worker's change to this person waits, then sees this one.
        let before = load(&mut tx, &mut self.statements, person_id, true).map_err(|e| e.into_error(&address))?;
        refuse_if_stale(&before, seen_version)?;
        let mut events = before.events.clone();
        change(&mut events)?;
        let violations: Vec<Violation> = validate::check_events(&before.person, &events, cx);
        if !violations.is_empty() {
            return Err(Error::Violations { violations });
        }
        let fail = |e| failure(e, &address);
        write_steps(&mut tx, &mut self.statements, person_id, &before.events, &events)
            .map_err(|e| e.into_error(&address))?;
        let stage = Stage::of_person(&before.person, &events);
        let ended = events.iter().any(|e| e.kind == EventKind::MembershipEnded);
        // Raises the version even when the stage stays (`stamp_change`): the steps changed.
        let restage = self
            .statements
            .get(&mut tx, "UPDATE dangan.people SET stage = $2, ended = $3 WHERE id = $1")
            .map_err(fail)?;
        tx.execute(&restage, &[&person_id, &stage.as_str(), &ended]).map_err(fail)?;
        let after = load(&mut tx, &mut self.statements, person_id, false).map_err(|e| e.into_error(&address))?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(after)
    }
}

/// Adds a person (`id: None`) or writes a registered one, with the columns the workspace's
/// `PERSON_VALUES` names (dates passed as text); returns the server's `id, version, changed_by, uid`.
pub(super) fn write_person(
    client: &mut impl GenericClient,
    statements: &mut Statements,
    person: &Person,
    keys: &crate::names::NameKeys,
    stage: Stage,
    ended: bool,
    uid: Option<&str>,
) -> std::result::Result<postgres::Row, postgres::Error> {
    let (birth, joined) = (person.birth_date.map(|d| d.to_string()), person.joined_on.map(|d| d.to_string()));
    let class_year = person.class_year.map(i32::from);
    let values: [&(dyn postgres::types::ToSql + Sync); 23] = [
        &person.branch_id,
        &person.name,
        &keys.pinyin,
        &keys.initials,
        &keys.sort_key,
        &person.gender.map(Gender::as_str),
        &person.ethnicity,
        &birth,
        &person.id_number,
        &person.student_no,
        &person.category.map(Category::as_str),
        &person.department,
        &person.class_name,
        &person.phone,
        &person.native_place,
        &person.notes,
        &person.education.map(Education::as_str),
        &class_year,
        &person.student_level.map(StudentLevel::as_str),
        &person.occupation.map(Occupation::as_str),
        &joined,
        &stage.as_str(),
        &ended,
    ];
    // The same columns as the workspace's `PERSON_VALUES`, dates passed as text.
    let placeholders = "$1, $2, $3, $4, $5, $6, $7, $8::text::date, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
                            $18, $19, $20, $21::text::date, $22, $23";
    match person.id {
        None => match uid {
            None => {
                let insert = statements.get(
                    client,
                    &format!(
                        "INSERT INTO dangan.people ({PERSON_VALUES}) VALUES ({placeholders}) \
                             RETURNING id, version, changed_by, uid::text"
                    ),
                )?;
                client.query_one(&insert, &values)
            }
            // An arrival keeps the UUID the sending office gave the member.
            Some(uid) => {
                let insert = statements.get(
                    client,
                    &format!(
                        "INSERT INTO dangan.people ({PERSON_VALUES}, uid) VALUES ({placeholders}, $24::text::uuid) \
                             RETURNING id, version, changed_by, uid::text"
                    ),
                )?;
                let mut with_uid = values.to_vec();
                with_uid.push(&uid);
                client.query_one(&insert, &with_uid)
            }
        },
        Some(id) => {
            let update = statements.get(
                client,
                &format!(
                    "UPDATE dangan.people SET ({PERSON_VALUES}) = ROW({placeholders}) WHERE id = $24 \
                             RETURNING id, version, changed_by, uid::text"
                ),
            )?;
            let mut with_id = values.to_vec();
            with_id.push(&id);
            client.query_one(&update, &with_id)
        }
    }
}

/// Why steps could not be written: the server's error, or a value the server cannot hold.
pub(super) enum StepsError {
    Server(postgres::Error),
    Invalid(Error),
}

impl From<postgres::Error> for StepsError {
    fn from(e: postgres::Error) -> Self {
        StepsError::Server(e)
    }
}

impl StepsError {
    pub(super) fn into_error(self, address: &super::ServerAddress) -> Error {
        match self {
            StepsError::Server(e) => failure(e, address),
            StepsError::Invalid(e) => e,
        }
    }
}

/// Writes a person's steps as `events` lists them, where `before` are those read (and checked)
/// in this transaction: the steps no longer listed removed, changed ones updated, new ones added.
/// Only the steps read are removed: one committed meanwhile (through psql) was not checked, so
/// it is not this change's to remove.
pub(super) fn write_steps(
    client: &mut impl GenericClient,
    statements: &mut Statements,
    person_id: Id,
    before: &[ProcedureEvent],
    events: &[ProcedureEvent],
) -> std::result::Result<(), StepsError> {
    let removed: Vec<Id> =
        before.iter().filter_map(|e| e.id).filter(|id| !events.iter().any(|e| e.id == Some(*id))).collect();
    if !removed.is_empty() {
        let delete = statements.get(client, "DELETE FROM dangan.events WHERE person_id = $1 AND id = ANY ($2)")?;
        client.execute(&delete, &[&person_id, &removed])?;
    }
    let update = statements.get(
        client,
        "UPDATE dangan.events SET kind = $3, date = $4::text::date, months = $5, note = $6
                 WHERE id = $1 AND person_id = $2
                   AND (kind, date, months, note) IS DISTINCT FROM ($3, $4::text::date, $5, $6)",
    )?;
    let insert = statements.get(
        client,
        "INSERT INTO dangan.events (person_id, kind, date, months, note) VALUES ($1, $2, $3::text::date, $4, $5)",
    )?;
    for event in events {
        let months = event
            .months
            .map(|m| {
                i32::try_from(m)
                    .map_err(|_| Error::invalid("months", format!("月数 {m} 过大"), format!("{m} months is too many")))
            })
            .transpose()
            .map_err(StepsError::Invalid)?;
        let (kind, date, note) = (event.kind.as_str(), event.date.to_string(), event.note.as_deref());
        match event.id {
            Some(id) => client.execute(&update, &[&id, &person_id, &kind, &date, &months, &note]),
            None => client.execute(&insert, &[&person_id, &kind, &date, &months, &note]),
        }?;
    }
    Ok(())
}

/// Writes a locked person's new steps (`events`, from `before`'s) and the stage they give.
pub(super) fn write_restaged(
    client: &mut impl GenericClient,
    statements: &mut Statements,
    before: &ServerPerson,
    events: &[ProcedureEvent],
) -> std::result::Result<(), StepsError> {
    let id = before.person.id.unwrap_or_default();
    write_steps(client, statements, id, &before.events, events)?;
    let restage = statements.get(client, "UPDATE dangan.people SET stage = $2, ended = $3 WHERE id = $1")?;
    let stage = Stage::of_person(&before.person, events);
    let ended = events.iter().any(|e| e.kind == EventKind::MembershipEnded);
    client.execute(&restage, &[&id, &stage.as_str(), &ended])?;
    Ok(())
}

/// Refused when the person changed since `seen_version` was read, naming who changed them.
pub(super) fn refuse_if_stale(before: &ServerPerson, seen_version: Option<i32>) -> Result<()> {
    refuse_if_changed(
        || Text::new(format!("{}的记录", before.person.name), format!("{}'s record", before.person.name)),
        seen_version,
        (before.version, before.changed_by.as_deref()),
    )
}

/// Refused when a row (`what` names it) is at version `now`, last changed by `by`, and the
/// client read `seen` (a meeting, a class, a record of a member's file, as a person).
pub(super) fn refuse_if_changed(
    what: impl FnOnce() -> Text,
    seen: Option<i32>,
    (now, by): (i32, Option<&str>),
) -> Result<()> {
    match seen.filter(|&seen| seen != now) {
        None => Ok(()),
        Some(seen) => Err(Error::ChangedMeanwhile {
            what: what(),
            by: by.unwrap_or_default().to_owned(),
            seen: i64::from(seen),
            now: i64::from(now),
        }),
    }
}

/// A number (identity or student number) someone else holds. The server's unique index refuses
/// it whoever holds it; the holder is named, as a workspace names them, only when the policies let
/// the user see them (`holder`, asked after the failed transaction, under the user's own role), so
/// a branch secretary does not learn, number by number, who is registered elsewhere.
pub(super) fn taken_number(
    client: &mut postgres::Client,
    e: postgres::Error,
    person: &Person,
    address: &super::ServerAddress,
) -> Error {
    let field = e
        .as_db_error()
        .filter(|db| *db.code() == postgres::error::SqlState::UNIQUE_VIOLATION)
        .and_then(|db| db.constraint())
        .and_then(|c| {
            [("id_number", "身份证号", "identity number"), ("student_no", "学号工号", "student/staff number")]
                .into_iter()
                .find(|(field, ..)| c.contains(field))
        });
    let Some((field, zh, en)) = field else { return failure(e, address) };
    let value = if field == "id_number" { &person.id_number } else { &person.student_no };
    let value = value.as_deref().unwrap_or_default();
    // `field` is one of the two names above, never the user's text.
    let sql = format!("SELECT name FROM dangan.people WHERE {field} = $1 AND id IS DISTINCT FROM $2 LIMIT 1");
    // Unreadable (the server gone meanwhile): the refusal still stands, without the name.
    let holder = client.query_opt(&sql, &[&value, &person.id]).ok().flatten();
    let violation = match holder {
        Some(row) => crate::store::people::number_taken(field, value, &row.get::<_, String>(0)),
        None => Violation {
            rule: "unique".into(),
            field: field.into(),
            clause: String::new(),
            message_zh: format!("这一{zh}已登记在册，不能再登记；请联系组织员"),
            message_en: format!("this {en} is registered already and cannot be entered again; ask the organiser"),
        },
    };
    Error::Violations { violations: vec![violation] }
}

/// Why a read failed: the person is not there (or not this user's to see), or the server failed.
pub(super) enum LoadError {
    NotFound(Id),
    /// A row whose values Dangan cannot read: its table and number.
    Corrupt(&'static str, Id),
    Server(postgres::Error),
}

impl LoadError {
    pub(super) fn into_error(self, address: &super::ServerAddress) -> Error {
        match self {
            LoadError::NotFound(id) => not_found(id),
            LoadError::Corrupt(table, id) => corrupt(address, table, id),
            LoadError::Server(e) => failure(e, address),
        }
    }
}

impl From<postgres::Error> for LoadError {
    fn from(e: postgres::Error) -> LoadError {
        LoadError::Server(e)
    }
}

/// Takes a person's row for this transaction (FOR UPDATE, which the policies allow only to those
/// who may change the person), and tells the kind of the unit `unit_kind_of`, if asked, in the
/// same round trip (none when the user cannot see it).
pub(super) fn lock(
    client: &mut impl GenericClient,
    statements: &mut Statements,
    id: Id,
    unit_kind_of: Option<Id>,
) -> std::result::Result<Option<String>, LoadError> {
    let lock = statements.get(
        client,
        "SELECT (SELECT u.kind FROM dangan.org_units u WHERE u.id = $2) FROM dangan.people WHERE id = $1 FOR UPDATE",
    )?;
    let row = client.query_opt(&lock, &[&id, &unit_kind_of])?.ok_or(LoadError::NotFound(id))?;
    Ok(row.get(0))
}

/// A person, their steps in procedure order, and their version; `lock` takes the row for this
/// transaction (FOR UPDATE, which the policies allow only to those who may change the person).
pub(super) fn load(
    client: &mut impl GenericClient,
    statements: &mut Statements,
    id: Id,
    lock: bool,
) -> std::result::Result<ServerPerson, LoadError> {
    // Locked first, in a statement of its own: the read below then starts after the lock is
    // ours, and sees what the previous holder committed. (Locked in the same statement, the
    // steps would be those of the moment it began, and two workers recording the same step at
    // once would both find it missing.)
    if lock {
        self::lock(client, statements, id, None)?;
    }
    let row = read_people(client, statements, &[id])?.pop().ok_or(LoadError::NotFound(id))?;
    server_person_of(&row)
}

/// People by their numbers, each with their steps, status changes, keeping, arrival and items set
/// aside, in one round trip (a person is read at every change, and each statement is a wait for
/// the server); those the user may not read are left out. Made into [`ServerPerson`]s by
/// [`server_person_of`].
pub(super) fn read_people(
    client: &mut impl GenericClient,
    statements: &mut Statements,
    ids: &[Id],
) -> std::result::Result<Vec<postgres::Row>, LoadError> {
    let person = statements.get(
        client,
        &format!(
            "SELECT {PERSON_COLUMNS}, stage, ended, version, changed_by, uid::text,
                    e_ids, e_kinds, e_dates, e_months, e_notes, s_ids, s_statuses, s_dates, s_reasons,
                    k_graduated, a_received, a_origin, a_letter, a_issued, a_dues, a_history,
                    d_rules, d_dues, d_untils, sort_key, pinyin, initials, status
             FROM dangan.people p
             CROSS JOIN LATERAL (
                 SELECT array_agg(e.id) AS e_ids, array_agg(e.kind) AS e_kinds, array_agg(e.date::text) AS e_dates,
                        array_agg(e.months) AS e_months, array_agg(e.note) AS e_notes
                 FROM dangan.events e WHERE e.person_id = p.id) e
             CROSS JOIN LATERAL (
                 SELECT array_agg(c.id ORDER BY c.date, c.id) AS s_ids,
                        array_agg(c.status ORDER BY c.date, c.id) AS s_statuses,
                        array_agg(c.date::text ORDER BY c.date, c.id) AS s_dates,
                        array_agg(c.reason ORDER BY c.date, c.id) AS s_reasons
                 FROM dangan.status_changes c WHERE c.person_id = p.id) s
             LEFT JOIN LATERAL (
                 SELECT k.graduated_on::text AS k_graduated FROM dangan.kept_graduates k WHERE k.person_id = p.id) k
                 ON true
             LEFT JOIN LATERAL (
                 SELECT a.received_on::text AS a_received, a.origin AS a_origin, a.letter_number AS a_letter,
                        a.letter_issued_on::text AS a_issued, a.dues_through AS a_dues, a.history AS a_history
                 FROM dangan.arrivals a WHERE a.person_id = p.id) a ON true
             CROSS JOIN LATERAL (
                 SELECT array_agg(d.rule) AS d_rules, array_agg(d.due::text) AS d_dues,
                        array_agg(d.until::text) AS d_untils
                 FROM dangan.dismissals d WHERE d.person_id = p.id) d
             WHERE p.id = ANY($1)"
        ),
    )?;
    Ok(client.query(&person, &[&ids])?)
}

/// A person as [`read_people`] read them.
pub(super) fn server_person_of(row: &postgres::Row) -> std::result::Result<ServerPerson, LoadError> {
    let id: Id = row.get(0);
    let class_year: Option<i32> = row.get(15);
    let person =
        person_from(row.get(0), row.get(1), row.get(2), class_year.and_then(|y| u16::try_from(y).ok()), |i| {
            row.try_get::<_, Option<String>>(i)
        })?;
    let stage = Stage::parse(row.get(19)).ok_or(LoadError::Corrupt("people", id))?;
    let (ended, version, changed_by, uid) = (row.get(20), row.get(21), row.get(22), row.get(23));
    let mut events = steps_of(row, 24)?;
    sort_events(&mut events);
    let status_history = status_history_of(row, 29, id)?;
    let day = |i: usize, table: &'static str| -> std::result::Result<Option<Date>, LoadError> {
        row.get::<_, Option<&str>>(i).map(|d| d.parse::<Date>().map_err(|_| LoadError::Corrupt(table, id))).transpose()
    };
    let graduate_kept_since = day(33, "kept_graduates")?;
    let arrival = match day(34, "arrivals")? {
        Some(received_on) => Some(crate::arrival::ArrivalRecord {
            person_id: id,
            received_on,
            origin: row.get(35),
            letter_number: row.get(36),
            letter_issued_on: day(37, "arrivals")?,
            dues_paid_through: row.get::<_, Option<i32>>(38).map(crate::dues::Month),
            history: row.get::<_, Option<&str>>(39).map(|h| h.lines().map(str::to_owned).collect()).unwrap_or_default(),
        }),
        None => None,
    };
    let set_aside = set_aside_of(row, 40);
    let keys = crate::names::NameKeys { sort_key: row.get(43), pinyin: row.get(44), initials: row.get(45) };
    let status = MembershipStatus::parse(row.get(46)).ok_or(LoadError::Corrupt("people", id))?;
    Ok(ServerPerson {
        person,
        events,
        stage,
        ended,
        version,
        changed_by,
        uid,
        status_history,
        graduate_kept_since,
        arrival,
        set_aside,
        keys,
        status,
    })
}

/// A person's items set aside from the arrays at `at` (rules, due days, until), those whose days
/// do not parse passed over (as `dismissals.rs` passes them over).
fn set_aside_of(r: &postgres::Row, at: usize) -> Vec<(String, Date, Option<Date>)> {
    let rules: Vec<String> = r.get::<_, Option<Vec<String>>>(at).unwrap_or_default();
    let dues: Vec<&str> = r.get::<_, Option<Vec<&str>>>(at + 1).unwrap_or_default();
    let untils: Vec<Option<&str>> = r.get::<_, Option<Vec<Option<&str>>>>(at + 2).unwrap_or_default();
    rules
        .into_iter()
        .zip(dues)
        .zip(untils)
        .filter_map(|((rule, due), until)| {
            let until = match until.map(str::parse::<Date>) {
                None => None,
                Some(Ok(day)) => Some(day),
                Some(Err(_)) => return None,
            };
            Some((rule, due.parse().ok()?, until))
        })
        .collect()
}

/// A list row from the columns of `ENTRY_COLUMNS`.
fn entry_of(r: &postgres::Row, address: &super::ServerAddress) -> Result<IndexEntry> {
    let id: Id = r.get(0);
    Ok(IndexEntry {
        id,
        sort_key: r.get(1),
        name: r.get(2),
        pinyin: r.get(3),
        initials: r.get(4),
        student_no: r.get(5),
        stage: Stage::parse(r.get(6)).ok_or_else(|| corrupt(address, "people", id))?,
        branch_id: r.get(7),
        ended: r.get(8),
        gender: r.get::<_, Option<&str>>(9).and_then(Gender::parse),
        status: MembershipStatus::parse(r.get(10)).ok_or_else(|| corrupt(address, "people", id))?,
    })
}

/// An event from its columns `id, kind, date::text, months, note`, starting at `at`.
fn event_of(r: &postgres::Row, at: usize) -> std::result::Result<ProcedureEvent, LoadError> {
    step(r.get(at), r.get(at + 1), r.get(at + 2), r.get(at + 3), r.get(at + 4))
}

/// A step from its stored values (`kind` and `date` as text); a value no Dangan writes names the row.
fn step(
    id: Id,
    kind: &str,
    date: &str,
    months: Option<i32>,
    note: Option<String>,
) -> std::result::Result<ProcedureEvent, LoadError> {
    let bad = || LoadError::Corrupt("events", id);
    let kind = EventKind::parse(kind).ok_or_else(bad)?;
    let date = date.parse::<Date>().map_err(|_| bad())?;
    let months = months.map(|m| u32::try_from(m).map_err(|_| bad())).transpose()?;
    Ok(ProcedureEvent { id: Some(id), kind, date, months, note })
}

/// A person's steps from five parallel arrays starting at column `at` (ids, kinds, dates,
/// months, notes; NULL for a person with none), as [`load`] reads them.
fn steps_of(r: &postgres::Row, at: usize) -> std::result::Result<Vec<ProcedureEvent>, LoadError> {
    let ids: Vec<Id> = r.get::<_, Option<Vec<Id>>>(at).unwrap_or_default();
    let kinds: Vec<&str> = r.get::<_, Option<Vec<&str>>>(at + 1).unwrap_or_default();
    let dates: Vec<&str> = r.get::<_, Option<Vec<&str>>>(at + 2).unwrap_or_default();
    let months: Vec<Option<i32>> = r.get::<_, Option<Vec<Option<i32>>>>(at + 3).unwrap_or_default();
    let notes: Vec<Option<String>> = r.get::<_, Option<Vec<Option<String>>>>(at + 4).unwrap_or_default();
    let whole = [kinds.len(), dates.len(), months.len(), notes.len()].iter().all(|&n| n == ids.len());
    if !whole {
        return Err(LoadError::Corrupt("events", ids.first().copied().unwrap_or_default()));
    }
    ids.iter()
        .zip(kinds)
        .zip(dates)
        .zip(months)
        .zip(notes)
        .map(|((((&id, kind), date), months), note)| step(id, kind, date, months, note))
        .collect()
}

/// A person's status changes from four parallel arrays starting at column `at` (ids, statuses,
/// dates, reasons, in date order), as [`load`] reads them.
fn status_history_of(r: &postgres::Row, at: usize, person_id: Id) -> std::result::Result<Vec<StatusChange>, LoadError> {
    let ids: Vec<Id> = r.get::<_, Option<Vec<Id>>>(at).unwrap_or_default();
    let statuses: Vec<&str> = r.get::<_, Option<Vec<&str>>>(at + 1).unwrap_or_default();
    let dates: Vec<&str> = r.get::<_, Option<Vec<&str>>>(at + 2).unwrap_or_default();
    let reasons: Vec<Option<String>> = r.get::<_, Option<Vec<Option<String>>>>(at + 3).unwrap_or_default();
    if [statuses.len(), dates.len(), reasons.len()].iter().any(|&n| n != ids.len()) {
        return Err(LoadError::Corrupt("status_changes", ids.first().copied().unwrap_or_default()));
    }
    ids.iter()
        .zip(statuses)
        .zip(dates)
        .zip(reasons)
        .map(|(((&id, status), date), reason)| {
            let status = MembershipStatus::parse(status).ok_or(LoadError::Corrupt("status_changes", id))?;
            let date = date.parse::<Date>().map_err(|_| LoadError::Corrupt("status_changes", id))?;
            Ok(StatusChange { id: Some(id), person_id, status, date, reason })
        })
        .collect()
}

/// A row of the server's Dangan cannot read (a value no version of Dangan writes).
fn corrupt(address: &super::ServerAddress, table: &str, id: Id) -> Error {
    Error::Server { server: address.to_string(), reason: format!("row {id} of table {table} cannot be read") }
}

fn event_not_found(id: Id) -> Error {
    Error::NotFound { what: Text::new(format!("事件 {id}"), format!("event {id}")) }
}
