//! People and their events in the store: reading a member's whole record, and every write path
//! that keeps the cached stage true.

use crate::access::Action;
use rusqlite::{Connection, OptionalExtension, Row, Statement, params};
use serde::Serialize;

use super::org::OrgTree;
use super::{Store, none_if_blank};
use crate::calendar::Date;
use crate::domain::{
    Category, Education, EventKind, Gender, Id, Occupation, OrgKind, Person, ProcedureEvent, Stage, StudentLevel,
};
use crate::names;
use crate::validate::{self, Violation};
use crate::{Error, Result, Text};

/// Everything about one member that a detail screen shows.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberDetail {
    pub person: Person,
    /// In procedure order: by date, then by step.
    pub events: Vec<ProcedureEvent>,
    pub stage: Stage,
    pub ended: bool,
    /// In the register, or out of it (transferred out, suspended, left, deceased): a person out of
    /// it owes nothing and is kept as an archived file.
    pub status: crate::domain::MembershipStatus,
    /// Every change of status, oldest first.
    pub status_history: Vec<crate::domain::StatusChange>,
    /// Where they came from, if they arrived by transfer (转入).
    pub arrival: Option<crate::arrival::ArrivalRecord>,
    /// A graduate whose relationship is kept at the university: since the day they graduated.
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub graduate_kept_since: Option<Date>,
    pub branch_path: String,
    /// What the procedure still owes, and what organisational life, dues and letters await of
    /// them, soonest first (set-aside items included, marked).
    pub deadlines: Vec<crate::deadlines::DeadlineItem>,
    /// Steps that happened late or out of the usual order, with their article (see `late`).
    pub late: Vec<crate::late::LateStep>,
    /// The member's UUID: theirs in every database they are copied to (a shared server, another
    /// office), unlike `person.id`, this database's number.
    pub uid: Option<String>,
    /// On a shared server, the version of the member read: a change made from it names it and is
    /// refused if anyone changed the member since (`conflict`, naming who). `None` in a workspace,
    /// which one app at a time opens.
    pub version: Option<i32>,
}

pub(crate) const PERSON_COLUMNS: &str = "id, branch_id, name, gender, ethnicity, birth_date, id_number, student_no, category, \
     department, class_name, phone, native_place, notes, education, class_year, student_level, occupation, joined_on";

fn person_from_row(r: &Row<'_>) -> rusqlite::Result<Person> {
    person_from(r.get(0)?, r.get(1)?, r.get(2)?, r.get(15)?, |i| r.get::<_, Option<String>>(i))
}

/// A person from the columns of [`PERSON_COLUMNS`], whichever engine read them: `text(i)` gives
/// column `i` (3 to 18, but 15) as text, the class year comes as a number.
pub(crate) fn person_from<E>(
    id: Id,
    branch_id: Id,
    name: String,
    class_year: Option<u16>,
    text: impl Fn(usize) -> std::result::Result<Option<String>, E>,
) -> std::result::Result<Person, E> {
    Ok(Person {
        id: Some(id),
        branch_id,
        name,
        gender: text(3)?.as_deref().and_then(Gender::parse),
        ethnicity: text(4)?,
        birth_date: text(5)?.as_deref().and_then(|s| s.parse::<Date>().ok()),
        id_number: text(6)?,
        student_no: text(7)?,
        category: text(8)?.as_deref().and_then(Category::parse),
        department: text(9)?,
        class_name: text(10)?,
        phone: text(11)?,
        native_place: text(12)?,
        notes: text(13)?,
        education: text(14)?.as_deref().and_then(Education::parse),
        class_year,
        student_level: text(16)?.as_deref().and_then(StudentLevel::parse),
        occupation: text(17)?.as_deref().and_then(Occupation::parse),
        joined_on: text(18)?.as_deref().and_then(|s| s.parse::<Date>().ok()),
    })
}

pub(crate) fn load_person(conn: &Connection, id: Id) -> Result<Option<Person>> {
    let sql = format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([id], person_from_row).optional()?)
}

pub(crate) fn load_events(conn: &Connection, person_id: Id) -> Result<Vec<ProcedureEvent>> {
    let mut stmt = conn.prepare_cached("SELECT id, kind, date, months, note FROM events WHERE person_id = ?1")?;
    let mut events = stmt
        .query_map([person_id], |r| {
            let kind: String = r.get(1)?;
            let date: String = r.get(2)?;
            Ok((r.get::<_, Id>(0)?, kind, date, r.get::<_, Option<u32>>(3)?, r.get::<_, Option<String>>(4)?))
        })?
        .map(|row| {
            let (id, kind, date, months, note) = row?;
            let kind = EventKind::parse(&kind).ok_or_else(|| corrupt_row("events", id))?;
            let date = date.parse::<Date>().map_err(|_| corrupt_row("events", id))?;
            Ok(ProcedureEvent { id: Some(id), kind, date, months, note })
        })
        .collect::<Result<Vec<_>>>()?;
    sort_events(&mut events);
    Ok(events)
}

pub(super) fn corrupt_row(table: &str, id: Id) -> Error {
    Error::Corrupt {
        path: "dangan.db".into(),
        reason: Text::new(
            format!("{table} 表第 {id} 条记录无法读取"),
            format!("row {id} of table {table} cannot be read"),
        ),
    }
}

pub(crate) fn sort_events(events: &mut [ProcedureEvent]) {
    events.sort_by_key(|a| (a.date, a.kind));
}

/// The person already registered under the same identity number, or else the same student number.
pub(crate) fn find_same_person(conn: &Connection, person: &Person) -> Result<Option<Id>> {
    if let Some(n) = none_if_blank(&person.id_number) {
        let found = conn
            .prepare_cached("SELECT id FROM people WHERE id_number = ?1")?
            .query_row([n], |r| r.get(0))
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    if let Some(n) = none_if_blank(&person.student_no) {
        return Ok(conn
            .prepare_cached("SELECT id FROM people WHERE student_no = ?1")?
            .query_row([n], |r| r.get(0))
            .optional()?);
    }
    Ok(None)
}

/// Trims every text field, stores blanks as `None`, upper-cases the identity number's X, and fills
/// a missing birth date from the identity number.
pub(crate) fn normalize(person: &mut Person) {
    // In place: a roster's text is nearly always normalised already, and an import does this
    // for each of its fields.
    person.name = crate::text::into_normalized_name(std::mem::take(&mut person.name));
    for field in [
        &mut person.ethnicity,
        &mut person.id_number,
        &mut person.student_no,
        &mut person.department,
        &mut person.class_name,
        &mut person.phone,
        &mut person.native_place,
        &mut person.notes,
    ] {
        *field = field.take().and_then(|value| match value.trim() {
            "" => None,
            trimmed if trimmed.len() == value.len() => Some(crate::text::into_normalized(value)),
            trimmed => Some(crate::text::normalized(trimmed)),
        });
    }
    if let Some(n) = person.id_number.as_mut() {
        n.make_ascii_uppercase();
    }
    if person.birth_date.is_none()
        && let Some(n) = person.id_number.as_deref().and_then(|n| crate::domain::IdNumber::parse(n).ok())
    {
        person.birth_date = Some(n.birth_date());
    }
}

/// What `people` stores beside a person's own fields, derived from their name and events: the
/// pinyin keys, the stage and whether their procedure has ended.
#[derive(Debug, Clone)]
pub(crate) struct Derived {
    pub(crate) keys: names::NameKeys,
    pub(crate) stage: Stage,
    pub(crate) ended: bool,
}

impl Derived {
    pub(crate) fn of(person: &Person, events: &[ProcedureEvent]) -> Derived {
        Derived {
            keys: names::keys(&person.name),
            stage: Stage::of_person(person, events),
            ended: events.iter().any(|e| e.kind == EventKind::MembershipEnded),
        }
    }
}

/// The person's columns in the order every statement below binds them, the id last.
pub(crate) const PERSON_VALUES: &str = "branch_id, name, pinyin, initials, sort_key, gender, ethnicity, birth_date, id_number, \
     student_no, category, department, class_name, phone, native_place, notes, education, class_year, student_level, \
     occupation, joined_on, stage, ended";

/// How many values [`bind_person`] binds: [`PERSON_VALUES`] and the id.
const PERSON_PARAMS: usize = 24;

const UPDATE_PERSON: &str = "UPDATE people SET branch_id = ?1, name = ?2, pinyin = ?3, initials = ?4, sort_key = ?5, \
     gender = ?6, ethnicity = ?7, birth_date = ?8, id_number = ?9, student_no = ?10, category = ?11, department = ?12, \
     class_name = ?13, phone = ?14, native_place = ?15, notes = ?16, education = ?17, class_year = ?18, \
     student_level = ?19, occupation = ?20, joined_on = ?21, stage = ?22, ended = ?23 WHERE id = ?24";

const INSERT_EVENT: &str = "INSERT INTO events (person_id, kind, date, months, note) VALUES (?1, ?2, ?3, ?4, ?5)";

/// `INSERT INTO people`, its values bound by [`bind_person`].
fn insert_person_sql() -> String {
    // The person's UUID is made by SQLite, as the row is (`schema::NEW_UID`).
    insert_person_sql_with(super::schema::NEW_UID)
}

/// `INSERT INTO people` with the UUID `uid` (an SQL expression) gives.
fn insert_person_sql_with(uid: &str) -> String {
    format!("INSERT INTO people ({PERSON_VALUES}, id, uid) VALUES ({}, {uid})", ["?"; PERSON_PARAMS].join(", "))
}

/// A new person arriving from another office, keeping the UUID they bring (a package's), so they
/// stay one person across offices and on a shared server; a new one when the UUID is not one, or
/// a row here holds it already (a member returning to an office that kept their old record).
pub(crate) fn write_arriving_person(
    conn: &Connection,
    person: &Person,
    events: &[ProcedureEvent],
    uid: Option<&str>,
) -> Result<Id> {
    let taken = |uid: &str| -> Result<bool> {
        Ok(conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM people WHERE uid = ?1)")?
            .query_row([uid], |r| r.get(0))?)
    };
    let kept = match uid.map(str::to_ascii_lowercase).filter(|u| is_uuid(u)) {
        Some(uid) if !taken(&uid)? => uid,
        _ => return write_person(conn, person, events),
    };
    let derived = Derived::of(person, events);
    let mut stmt = conn.prepare_cached(&insert_person_sql_with(&format!("?{}", PERSON_PARAMS + 1)))?;
    bind_person(&mut stmt, 1, person, &derived, None)?;
    stmt.raw_bind_parameter(PERSON_PARAMS + 1, &kept)?;
    stmt.raw_execute()?;
    Ok(conn.last_insert_rowid())
}

/// A UUID as Dangan writes them: 36 characters, lower-case hex in groups of 8-4-4-4-12.
pub(crate) fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) { c == '-' } else { c.is_ascii_digit() || ('a'..='f').contains(&c) }
        })
}

/// Binds the person's values as parameters `first`.. in [`PERSON_VALUES`] order, then `id` (NULL:
/// the store picks it).
fn bind_person(
    stmt: &mut Statement<'_>,
    first: usize,
    person: &Person,
    derived: &Derived,
    id: Option<Id>,
) -> Result<()> {
    let (birth, joined) = (person.birth_date.map(IsoDate::of), person.joined_on.map(IsoDate::of));
    let values = params![
        person.branch_id,
        person.name,
        derived.keys.pinyin,
        derived.keys.initials,
        derived.keys.sort_key,
        person.gender.map(Gender::as_str),
        person.ethnicity,
        birth.as_ref().map(IsoDate::as_str),
        person.id_number,
        person.student_no,
        person.category.map(Category::as_str),
        person.department,
        person.class_name,
        person.phone,
        person.native_place,
        person.notes,
        person.education.map(Education::as_str),
        person.class_year,
        person.student_level.map(StudentLevel::as_str),
        person.occupation.map(Occupation::as_str),
        joined.as_ref().map(IsoDate::as_str),
        derived.stage.as_str(),
        derived.ended,
        id,
    ];
    debug_assert_eq!(values.len(), PERSON_PARAMS);
    for (i, value) in values.iter().enumerate() {
        stmt.raw_bind_parameter(first + i, value)?;
    }
    Ok(())
}

/// Runs [`INSERT_EVENT`] for one event of `person_id`.
fn execute_event(stmt: &mut Statement<'_>, person_id: Id, event: &ProcedureEvent) -> Result<()> {
    bind_event(stmt, 1, person_id, event)?;
    stmt.raw_execute()?;
    Ok(())
}

/// How many values [`bind_event`] binds.
const EVENT_PARAMS: usize = 5;

/// Binds an event of `person_id` as parameters `first`.. of an insert into `events`.
fn bind_event(stmt: &mut Statement<'_>, first: usize, person_id: Id, event: &ProcedureEvent) -> Result<()> {
    let date = IsoDate::of(event.date);
    let values = params![person_id, event.kind.as_str(), date.as_str(), event.months, event.note];
    for (i, value) in values.iter().enumerate() {
        stmt.raw_bind_parameter(first + i, value)?;
    }
    Ok(())
}

/// `INSERT INTO events` of `rows` events, each bound by [`bind_event`].
fn insert_events_sql(rows: usize) -> String {
    let row = format!("({})", ["?"; EVENT_PARAMS].join(", "));
    format!("INSERT INTO events (person_id, kind, date, months, note) VALUES {}", vec![row; rows].join(", "))
}

/// Inserts or updates a person (by `person.id`) with the stage their events give. Returns the id.
pub(crate) fn write_person(conn: &Connection, person: &Person, events: &[ProcedureEvent]) -> Result<Id> {
    let derived = Derived::of(person, events);
    let mut stmt = match person.id {
        None => conn.prepare_cached(&insert_person_sql())?,
        Some(_) => conn.prepare_cached(UPDATE_PERSON)?,
    };
    bind_person(&mut stmt, 1, person, &derived, person.id)?;
    stmt.raw_execute()?;
    Ok(person.id.unwrap_or_else(|| conn.last_insert_rowid()))
}

/// New people written by a bulk write, each at once (their id is SQLite's), their events 64 to a
/// statement: an import writes about nine per person, and a statement of one event paid for
/// itself each time (opening three cursors, seeking the end of the table and the index anew).
/// Events wait until 64 have gathered, or until the next [`flush`](Self::flush).
///
/// (People themselves are written one to a statement on purpose: 64 to a statement saved
/// instructions, but a statement of several rows keeps a journal of every page it changes, and
/// new people change a page of the identity-number index each, at random; measured, no faster.)
/// The statements are prepared once for the whole write.
pub(crate) struct NewPeople<'c> {
    conn: &'c Connection,
    person: Statement<'c>,
    event: Statement<'c>,
    events: Statement<'c>,
    waiting: Vec<(Id, ProcedureEvent)>,
}

/// How many events one statement writes.
const EVENT_BATCH: usize = 64;

impl<'c> NewPeople<'c> {
    pub(crate) fn prepare(conn: &'c Connection) -> Result<NewPeople<'c>> {
        Ok(NewPeople {
            conn,
            person: conn.prepare(&insert_person_sql())?,
            event: conn.prepare(INSERT_EVENT)?,
            events: conn.prepare(&insert_events_sql(EVENT_BATCH))?,
            waiting: Vec::with_capacity(2 * EVENT_BATCH),
        })
    }

    /// Writes a new person (`person.id` is `None`), returning their id; their events are written
    /// by the next [`flush`](Self::flush) at the latest (their ids are not read back).
    pub(crate) fn insert(&mut self, person: &Person, derived: &Derived, events: Vec<ProcedureEvent>) -> Result<Id> {
        debug_assert!(person.id.is_none(), "a new person has no id yet");
        bind_person(&mut self.person, 1, person, derived, None)?;
        self.person.raw_execute()?;
        let id = self.conn.last_insert_rowid();
        self.waiting.extend(events.into_iter().map(|e| (id, e)));
        if self.waiting.len() >= EVENT_BATCH {
            self.write_events(false)?;
        }
        Ok(id)
    }

    /// Writes every event still waiting.
    pub(crate) fn flush(&mut self) -> Result<()> {
        self.write_events(true)
    }

    /// Writes the waiting events 64 to a statement; what is left, one by one when `all`, else it
    /// keeps waiting.
    fn write_events(&mut self, all: bool) -> Result<()> {
        let mut chunks = self.waiting.chunks_exact(EVENT_BATCH);
        for chunk in chunks.by_ref() {
            for (i, (id, event)) in chunk.iter().enumerate() {
                bind_event(&mut self.events, 1 + i * EVENT_PARAMS, *id, event)?;
            }
            self.events.raw_execute()?;
        }
        let left = chunks.remainder().len();
        if all {
            for (id, event) in chunks.remainder() {
                execute_event(&mut self.event, *id, event)?;
            }
            self.waiting.clear();
        } else {
            let written = self.waiting.len() - left;
            self.waiting.drain(..written);
        }
        Ok(())
    }
}

/// A date as the store writes it (`2026-11-24`), formatted without allocating: an import writes
/// about ten per person. A year outside 0–9999 (which the schema refuses) takes chrono's form.
pub(crate) enum IsoDate {
    Short([u8; 10]),
    Other(String),
}

impl IsoDate {
    pub(crate) fn of(date: Date) -> IsoDate {
        use chrono::Datelike;
        let year = date.year();
        if !(0..=9999).contains(&year) {
            return IsoDate::Other(date.to_string());
        }
        let (y, m, d) = (year as u32, date.month(), date.day());
        let digit = |n: u32| b'0' + (n % 10) as u8;
        IsoDate::Short([
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(d / 10),
            digit(d),
        ])
    }

    pub(crate) fn as_str(&self) -> &str {
        match self {
            // Only ASCII digits and dashes are ever written.
            IsoDate::Short(bytes) => std::str::from_utf8(bytes).unwrap_or_default(),
            IsoDate::Other(text) => text,
        }
    }
}

/// Makes the stored events of `person_id` exactly `events`: updates those with an id, inserts
/// those without (filling in their ids), deletes the rest.
pub(crate) fn write_events(conn: &Connection, person_id: Id, events: &mut [ProcedureEvent]) -> Result<()> {
    let kept: Vec<Id> = events.iter().filter_map(|e| e.id).collect();
    let existing: Vec<Id> = conn
        .prepare_cached("SELECT id FROM events WHERE person_id = ?1")?
        .query_map([person_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for gone in existing.iter().filter(|id| !kept.contains(id)) {
        conn.prepare_cached("DELETE FROM events WHERE id = ?1")?.execute([gone])?;
    }
    for event in events.iter_mut() {
        match event.id {
            Some(id) => {
                let date = IsoDate::of(event.date);
                let changed = conn
                    .prepare_cached("UPDATE events SET kind = ?1, date = ?2, months = ?3, note = ?4 WHERE id = ?5 AND person_id = ?6")?
                    .execute(params![event.kind.as_str(), date.as_str(), event.months, event.note, id, person_id])?;
                if changed == 0 {
                    return Err(Error::NotFound { what: Text::new(format!("事件 {id}"), format!("event {id}")) });
                }
            }
            None => {
                execute_event(&mut *conn.prepare_cached(INSERT_EVENT)?, person_id, event)?;
                event.id = Some(conn.last_insert_rowid());
            }
        }
    }
    Ok(())
}

/// A person field that must be unique (identity number, student number) and who already holds it.
/// The holder is named only to a user who may see everyone (`visible` is `None`): a branch
/// secretary must not learn, number by number, who is registered in other branches.
pub(crate) fn uniqueness_conflict(
    conn: &Connection,
    person: &Person,
    visible: Option<&std::collections::HashSet<Id>>,
) -> Result<Option<Violation>> {
    for (field, value, zh, en) in [
        ("id_number", &person.id_number, "身份证号", "identity number"),
        ("student_no", &person.student_no, "学号工号", "student/staff number"),
    ] {
        let Some(value) = none_if_blank(value) else { continue };
        let sql = format!("SELECT name, branch_id FROM people WHERE {field} = ?1 AND id IS NOT ?2");
        let holder: Option<(String, Id)> = conn
            .prepare_cached(&sql)?
            .query_row(params![value, person.id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((holder, branch)) = holder {
            // A branch secretary is not told that a number is taken outside their branches
            // (that would tell them who is registered there): only that they cannot enter it.
            if visible.is_some_and(|units| !units.contains(&branch)) {
                return Ok(Some(Violation {
                    rule: "unique".into(),
                    field: field.into(),
                    clause: String::new(),
                    message_zh: format!("这一{zh}不能由你登记，请联系组织员"),
                    message_en: format!("you cannot enter this {en}; ask the organiser"),
                }));
            }
            return Ok(Some(number_taken(field, value, &holder)));
        }
    }
    Ok(None)
}

/// A number (`id_number` or `student_no`) that belongs to `holder`, whom the user may see.
pub(crate) fn number_taken(field: &str, value: &str, holder: &str) -> Violation {
    let (zh, en) = if field == "id_number" {
        ("身份证号", "identity number")
    } else {
        ("学号工号", "student/staff number")
    };
    Violation {
        rule: "unique".into(),
        field: field.into(),
        clause: String::new(),
        message_zh: format!("{zh} {value} 已属于 {holder}"),
        message_en: format!("{en} {value} already belongs to {holder}"),
    }
}

impl Store {
    /// A member's whole record.
    pub fn member(&self, id: Id) -> Result<MemberDetail> {
        self.require_member(Action::ReadMembers, id)?;
        let (person, events) = self.record(id)?;
        let tree = OrgTree::load(&self.conn)?;
        let mut detail = detail(person, events, &tree);
        detail.uid = self.conn.prepare_cached("SELECT uid FROM people WHERE id = ?1")?.query_row([id], |r| r.get(0))?;
        self.fill_status(&mut detail)?;
        // A member from before the records owes no step, but may still be flagged for absence;
        // someone out of the register owes nothing here.
        if detail.status == crate::domain::MembershipStatus::InRegister {
            let steps: &[ProcedureEvent] =
                if detail.person.joined_before_records(&detail.events) { &[] } else { &detail.events };
            detail.deadlines = self.deadlines_of(id, (&detail.person.name, detail.person.branch_id), steps, &tree)?;
        }
        detail.late = self.late_of(&detail.events);
        Ok(detail)
    }

    /// The flags on these steps under the workspace's rules (see [`crate::late`]).
    pub(crate) fn late_of(&self, events: &[ProcedureEvent]) -> Vec<crate::late::LateStep> {
        let facts: Vec<crate::deadlines::Fact> = events.iter().map(Into::into).collect();
        crate::late::late_steps(&facts, &self.rules, &self.workdays)
    }

    /// The flags on each listed member's steps, in the order given (for `dangan members --json`):
    /// read from the procedure index where the person is in it, else from the database.
    pub fn late_steps_of(&self, ids: &[Id]) -> Result<Vec<Vec<crate::late::LateStep>>> {
        // A branch secretary only their branches' members, as `member` answers.
        self.require_members(Action::ReadMembers, ids)?;
        let indexed: Vec<Option<Vec<crate::deadlines::Fact>>> =
            self.with_procedure(|index| ids.iter().map(|&id| index.get(id).map(|e| e.facts.to_vec())).collect())?;
        ids.iter()
            .zip(indexed)
            .map(|(&id, facts)| {
                let facts = match facts {
                    Some(facts) => facts,
                    None => load_events(&self.conn, id)?.iter().map(Into::into).collect(),
                };
                Ok(crate::late::late_steps(&facts, &self.rules, &self.workdays))
            })
            .collect()
    }

    /// A person and their events, in procedure order, without the organisation tree.
    pub(crate) fn record(&self, id: Id) -> Result<(Person, Vec<ProcedureEvent>)> {
        let person = load_person(&self.conn, id)?.ok_or_else(|| not_found(id))?;
        Ok((person, load_events(&self.conn, id)?))
    }

    /// Adds a person (`id: None`) or changes one, after every check passes.
    pub fn save_person(&mut self, mut person: Person) -> Result<MemberDetail> {
        let tx = self.begin_change()?;
        if let Some(id) = person.id {
            self.require_member(Action::EditMembers, id)?;
        }
        self.require_branch(Action::EditMembers, person.branch_id)?;
        normalize(&mut person);
        let events = match person.id {
            Some(id) => {
                load_person(&self.conn, id)?.ok_or_else(|| not_found(id))?;
                load_events(&self.conn, id)?
            }
            None => Vec::new(),
        };
        let tree = OrgTree::load(&self.conn)?;
        if tree.get(person.branch_id).map(|u| u.kind) != Some(OrgKind::Branch) {
            return Err(Error::invalid("branch_id", "请选择一个党支部", "choose a branch"));
        }
        let mut violations = validate::check_member(&person, &events, self.context());
        violations.extend(uniqueness_conflict(&self.conn, &person, self.visible_units(&tree).as_ref())?);
        if !violations.is_empty() {
            return Err(Error::Violations { violations });
        }
        let id = write_person(&tx, &person, &events)?;
        tx.commit()?;
        self.refresh_index(id)?;
        self.member(id)
    }

    /// Records a new event (`event.id: None`) or changes one, after every check passes.
    pub fn save_event(&mut self, person_id: Id, event: ProcedureEvent) -> Result<MemberDetail> {
        self.change_events(person_id, |events| match event.id {
            None => {
                events.push(event);
                Ok(())
            }
            Some(id) => {
                let slot = events.iter_mut().find(|e| e.id == Some(id)).ok_or_else(|| Error::NotFound {
                    what: Text::new(format!("事件 {id}"), format!("event {id}")),
                })?;
                *slot = event;
                Ok(())
            }
        })
    }

    /// Records the same step for several people at once (the branch meeting that admits several,
    /// the publicity of a branch's development targets): each person is checked as
    /// [`Store::save_event`] checks one, and either every one is recorded, in one transaction, or
    /// none is and the refusal names each person refused with why.
    pub fn save_event_for_many(&mut self, person_ids: &[Id], event: &ProcedureEvent) -> Result<Vec<MemberDetail>> {
        let tx = self.begin_change()?;
        self.require(Action::EditMembers)?;
        checked_selection(person_ids)?;
        let mut changed = Vec::with_capacity(person_ids.len());
        let mut refused = Vec::new();
        for &id in person_ids {
            self.require_member(Action::EditMembers, id)?;
            let person = load_person(&self.conn, id)?.ok_or_else(|| not_found(id))?;
            let mut events = load_events(&self.conn, id)?;
            events.push(event.clone());
            let violations = validate::check_events(&person, &events, self.context());
            refused.extend(violations.into_iter().map(|v| named_violation(&person.name, id, v)));
            changed.push((id, person, events));
        }
        if !refused.is_empty() {
            return Err(Error::Violations { violations: refused });
        }
        for (id, person, events) in &mut changed {
            write_events(&tx, *id, events)?;
            write_person(&tx, person, events)?;
        }
        tx.commit()?;
        let mut details = Vec::with_capacity(changed.len());
        for (id, ..) in changed {
            self.refresh_index(id)?;
            details.push(self.member(id)?);
        }
        Ok(details)
    }

    /// Deletes an event, if what remains still follows the rules.
    pub fn delete_event(&mut self, person_id: Id, event_id: Id) -> Result<MemberDetail> {
        self.change_events(person_id, |events| {
            let before = events.len();
            events.retain(|e| e.id != Some(event_id));
            if events.len() == before {
                return Err(Error::NotFound {
                    what: Text::new(format!("事件 {event_id}"), format!("event {event_id}")),
                });
            }
            Ok(())
        })
    }

    fn change_events(
        &mut self,
        person_id: Id,
        change: impl FnOnce(&mut Vec<ProcedureEvent>) -> Result<()>,
    ) -> Result<MemberDetail> {
        let tx = self.begin_change()?;
        self.require_member(Action::EditMembers, person_id)?;
        let person = load_person(&tx, person_id)?.ok_or_else(|| not_found(person_id))?;
        let mut events = load_events(&tx, person_id)?;
        change(&mut events)?;
        let violations = validate::check_events(&person, &events, self.context());
        if !violations.is_empty() {
            return Err(Error::Violations { violations });
        }
        write_events(&tx, person_id, &mut events)?;
        write_person(&tx, &person, &events)?;
        tx.commit()?;
        self.refresh_index(person_id)?;
        self.member(person_id)
    }

    /// How many people the workspace holds; for whoever may read members (not the recovery key).
    pub fn count_people(&self) -> Result<u64> {
        self.require(Action::ReadMembers)?;
        let count: i64 = self.conn.query_row("SELECT count(*) FROM people", [], |r| r.get(0))?;
        Ok(count as u64)
    }
}

/// The people of one step for several, in the order of their numbers: at least one, none twice.
pub(crate) fn checked_selection(person_ids: &[Id]) -> Result<Vec<Id>> {
    if person_ids.is_empty() {
        return Err(Error::invalid("selection", "请选择要登记的人员", "select the people to record the step for"));
    }
    let mut ids = person_ids.to_vec();
    ids.sort_unstable();
    if ids.windows(2).any(|w| w[0] == w[1]) {
        return Err(Error::invalid("selection", "所选人员有重复", "the selection names someone twice"));
    }
    Ok(ids)
}

/// One person's refusal within a step for several, naming them.
pub(crate) fn named_violation(name: &str, id: Id, v: Violation) -> Violation {
    Violation {
        message_zh: format!("{name}（编号 {id}）：{}", v.message_zh),
        message_en: format!("{name} (id {id}): {}", v.message_en),
        ..v
    }
}

pub(crate) fn detail(person: Person, events: Vec<ProcedureEvent>, tree: &OrgTree) -> MemberDetail {
    MemberDetail {
        stage: Stage::of_person(&person, &events),
        ended: events.iter().any(|e| e.kind == EventKind::MembershipEnded),
        branch_path: tree.path(person.branch_id),
        status: crate::domain::MembershipStatus::InRegister,
        status_history: Vec::new(),
        arrival: None,
        graduate_kept_since: None,
        person,
        events,
        deadlines: Vec::new(),
        late: Vec::new(),
        uid: None,
        version: None,
    }
}

pub(super) fn not_found(id: Id) -> Error {
    Error::NotFound { what: Text::new(format!("编号为 {id} 的人员"), format!("person {id}")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_the_schema_wants_them() {
        for (date, written) in [
            ("2026-11-24", "2026-11-24"),
            ("2026-01-05", "2026-01-05"),
            ("0999-12-31", "0999-12-31"),
            ("9999-12-31", "9999-12-31"),
        ] {
            let date: Date = date.parse().unwrap();
            assert_eq!(IsoDate::of(date).as_str(), written);
            assert_eq!(IsoDate::of(date).as_str(), date.to_string(), "as chrono writes it");
        }
        // Outside what the schema accepts: chrono's form, which the schema then refuses.
        let far = Date::from_ymd_opt(10_000, 1, 1).unwrap();
        assert_eq!(IsoDate::of(far).as_str(), far.to_string());
    }

    #[test]
    fn an_arriving_person_keeps_their_uuid_unless_it_is_taken_here_or_not_one() {
        let dir = tempfile::tempdir().unwrap();
        let ws = crate::Workspace::at(dir.path().join("ws"));
        let new = crate::workspace::NewWorkspace {
            kdf: crate::keys::KdfParams::FOR_TESTS,
            ..crate::workspace::NewWorkspace::new("passphrase-1", "党委")
        };
        let mut store = ws.create(&new).unwrap();
        let committee = store.org_tree().unwrap().committee().unwrap().id;
        let branch = store.add_org_unit(committee, crate::domain::OrgKind::Branch, "第一党支部").unwrap().id;
        let person = |name: &str| Person { branch_id: branch, name: name.into(), ..Person::default() };
        let uid_of = |store: &crate::Store, id: Id| -> String {
            store.conn.query_row("SELECT uid FROM people WHERE id = ?1", [id], |r| r.get(0)).unwrap()
        };
        let brought = "5f0c2a4e-8d1b-4c3a-9e7f-0123456789ab";
        let kept = write_arriving_person(&store.conn, &person("周九"), &[], Some(brought)).unwrap();
        assert_eq!(uid_of(&store, kept), brought);
        // The same UUID again (the member's old record is here): a new one, never two rows of one.
        let again = write_arriving_person(&store.conn, &person("周九"), &[], Some(&brought.to_uppercase())).unwrap();
        assert_ne!(uid_of(&store, again), brought);
        // Not a UUID at all: a new one.
        let odd = write_arriving_person(&store.conn, &person("吴十"), &[], Some("'); DROP TABLE people; --")).unwrap();
        assert!(is_uuid(&uid_of(&store, odd)));
    }
}
