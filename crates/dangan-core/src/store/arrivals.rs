//! Members arriving by transfer (转入) as the store keeps them: the person, their steps with the
//! days they happened elsewhere, the status change that puts them in the register on the day the
//! letter was received, the arrival's own row (`arrivals`) and a record for each material that came
//! with the file, all in one transaction. The checks are `arrival::check_arrival` and `validate`'s.

use rusqlite::{Connection, OptionalExtension, params};

use super::NewAttachment;
use super::Store;
use super::org::OrgTree;
use super::people::{MemberDetail, corrupt_row, load_events, uniqueness_conflict};
use super::status::write_change;
use crate::access::Action;
use crate::arrival::{ArrivalRecord, NewArrival, check_arrival};
use crate::calendar;
use crate::domain::{FileRecord, Id, MediaType, MembershipStatus, OrgKind, RecordFields, StatusChange};
use crate::dues::Month;
use crate::{Error, Result, validate};

/// The arrival of a person, if they came by transfer.
pub(crate) fn load_arrival(conn: &Connection, person_id: Id) -> Result<Option<ArrivalRecord>> {
    let row = conn
        .prepare_cached(
            "SELECT received_on, origin, letter_number, letter_issued_on, dues_through, history FROM arrivals
             WHERE person_id = ?1",
        )?
        .query_row([person_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<i32>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })
        .optional()?;
    let Some((received, origin, letter_number, issued, dues, history)) = row else { return Ok(None) };
    let corrupt = || corrupt_row("arrivals", person_id);
    let letter_issued_on = issued.map(|d| calendar::parse_iso(&d).ok_or_else(corrupt)).transpose()?;
    Ok(Some(ArrivalRecord {
        person_id,
        received_on: calendar::parse_iso(&received).ok_or_else(corrupt)?,
        origin,
        letter_number,
        letter_issued_on,
        dues_paid_through: dues.map(Month),
        history: history.map(|h| h.lines().map(str::to_owned).collect()).unwrap_or_default(),
    }))
}

/// The most lines of another office's history kept, and the longest line.
const HISTORY_LINES: usize = 10_000;
const HISTORY_LINE_CHARS: usize = 300;

/// Another office's history as kept: text from outside, so each line is cut to a sane length and
/// stripped of control and direction characters (they drive terminals and disguise text), and
/// there are at most so many lines.
pub(crate) fn kept_history(lines: &[String]) -> String {
    lines
        .iter()
        .take(HISTORY_LINES)
        .map(|line| {
            line.chars()
                .filter(|&c| !c.is_control() && !crate::text::is_bidi_control(c))
                .take(HISTORY_LINE_CHARS)
                .collect::<String>()
        })
        .filter(|line| !line.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Refused: someone (named where this user may see them) already arrived with this letter.
pub(crate) fn letter_used(name: Option<&str>, origin: &str, number: &str) -> Error {
    match name {
        Some(name) => Error::invalid(
            "letter",
            format!("{name}已凭{origin}介绍信第 {number} 号转入，不能重复登记"),
            format!("{name} already arrived with letter {number} from {origin}: not registered twice"),
        ),
        None => Error::invalid(
            "letter",
            format!("已有人凭{origin}介绍信第 {number} 号转入，不能重复登记"),
            format!("someone already arrived with letter {number} from {origin}: not registered twice"),
        ),
    }
}

/// Refused: someone of this name already arrived from this organisation (letter `number`, on
/// `received`), unless the worker confirms it is another person.
pub(crate) fn same_person(name: &str, origin: &str, number: Option<String>, received: &str) -> Error {
    let received_zh = calendar::parse_iso(received).map_or_else(|| received.to_owned(), calendar::format_zh);
    let (number_zh, number_en) =
        number.map(|n| (format!("（介绍信第 {n} 号）"), format!(" (letter {n})"))).unwrap_or_default();
    Error::invalid(
        "another_person",
        format!("{name}已于 {received_zh} 自{origin}转入{number_zh}：同一人不重复登记。若确为另一人，请确认后再登记"),
        format!(
            "{name} already arrived from {origin} on {received}{number_en}: one person is not registered twice. \
             If this is someone else, confirm it and register again"
        ),
    )
}

/// An arrival checked whole before anything is written, on either engine: the record to keep,
/// the materials to file, the person and their steps in procedure order (without ids), and the
/// ids the sending office gave the steps, which a package's records refer to.
pub(crate) struct CheckedArrival {
    pub record: ArrivalRecord,
    pub materials: Vec<&'static crate::checklist::Material>,
    pub person: crate::domain::Person,
    pub steps: Vec<crate::domain::ProcedureEvent>,
    pub sender_ids: Vec<Option<Id>>,
    pub another_person: bool,
}

/// The checks of an arrival that read nothing stored: its own facts, the materials against the
/// checklist, and that it registers someone new. The person and steps are checked by `validate`
/// as any new person's, by the caller.
pub(crate) fn check_new_arrival(arrival: NewArrival, today: calendar::Date) -> Result<CheckedArrival> {
    let (record, materials) = check_arrival(&arrival, crate::checklist::materials(), today)?;
    let NewArrival { mut person, mut steps, another_person, .. } = arrival;
    if person.id.is_some() {
        return Err(Error::invalid(
            "person",
            "转入的是新登记的人员：已在册的人员请记录其状态变更",
            "an arrival registers someone new: for someone already on file, record a status change",
        ));
    }
    super::people::normalize(&mut person);
    super::people::sort_events(&mut steps);
    let sender_ids: Vec<Option<Id>> = steps.iter().map(|s| s.id).collect();
    steps.iter_mut().for_each(|s| s.id = None);
    Ok(CheckedArrival { record, materials, person, steps, sender_ids, another_person })
}

/// The status change that puts an arriving member in the register on the day received.
pub(crate) fn arrived_change(record: &ArrivalRecord) -> StatusChange {
    StatusChange {
        id: None,
        person_id: record.person_id,
        status: MembershipStatus::InRegister,
        date: record.received_on,
        reason: Some(record.reason()),
    }
}

/// The record filed for a material that came with the file, under the step it documents.
pub(crate) fn material_record(
    material: &crate::checklist::Material,
    record: &ArrivalRecord,
    events: &[crate::domain::ProcedureEvent],
) -> FileRecord {
    let step = material.event.unwrap_or(material.when);
    let documents = events.iter().find(|e| e.kind == step).and_then(|e| e.id);
    FileRecord {
        version: None,
        id: None,
        person_id: record.person_id,
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
    }
}

/// A record a package carried, made this office's, with its checked files.
pub(crate) type Unpacked = (FileRecord, Vec<(NewAttachment, MediaType)>);

/// The records a package carried, made this office's: each under the step it documents here
/// (`new_step`: the sending office's step id to this one's), checked as any record is, with its
/// files checked and their bytes taken in order.
pub(crate) fn unpacked_records(
    carried: &Carried<'_>,
    person_id: Id,
    new_step: impl Fn(Id) -> Option<Id>,
    events: &[crate::domain::ProcedureEvent],
    today: calendar::Date,
) -> Result<Vec<Unpacked>> {
    let mut blobs = carried.blobs.iter();
    let mut out = Vec::with_capacity(carried.records.len());
    for packed in carried.records {
        let mut filed = packed.record.clone();
        filed.id = None;
        filed.person_id = person_id;
        filed.attachments = Vec::new();
        filed.event_id = match filed.event_id {
            Some(sender) => Some(new_step(sender).ok_or_else(|| {
                Error::invalid(
                    "package",
                    format!("档案包中的材料「{}」指向不存在的步骤", filed.kind.label().zh),
                    format!("the package's {} refers to a step it does not carry", filed.kind.label().en),
                )
            })?),
            None => None,
        };
        super::files::check_record(&mut filed, events, today)?;
        let mut files = Vec::with_capacity(packed.attachments.len());
        for attachment in &packed.attachments {
            let bytes = blobs.next().ok_or_else(|| {
                Error::invalid("package", "档案包的附件不完整", "the package's attachments are incomplete")
            })?;
            let media_type = super::files::check_attachment(&attachment.name, bytes)?;
            files.push((NewAttachment { name: attachment.name.clone(), bytes: bytes.clone() }, media_type));
        }
        out.push((filed, files));
    }
    Ok(out)
}

/// Who already arrived with this letter of this organisation, if anyone: their name and branch.
fn already_arrived(conn: &Connection, origin: &str, number: &str) -> Result<Option<(String, Id)>> {
    Ok(conn
        .query_row(
            "SELECT p.name, p.branch_id FROM arrivals a JOIN people p ON p.id = a.person_id
             WHERE a.origin = ?1 AND a.letter_number = ?2",
            [origin, number],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Who of this name already arrived from this organisation (born on the same day and with the
/// same identity number, where both sides know them): their letter's number and the day received, for the refusal to name.
fn same_name_arrived(
    conn: &Connection,
    origin: &str,
    person: &crate::domain::Person,
) -> Result<Option<(Option<String>, String)>> {
    Ok(conn
        .query_row(
            "SELECT a.letter_number, a.received_on FROM arrivals a JOIN people p ON p.id = a.person_id
             WHERE a.origin = ?1 AND p.name = ?2 AND (p.birth_date IS NULL OR ?3 IS NULL OR p.birth_date = ?3)
               AND (p.id_number IS NULL OR ?4 IS NULL OR p.id_number = ?4)
             ORDER BY a.received_on DESC LIMIT 1",
            params![origin, person.name, person.birth_date.map(|d| d.to_string()), person.id_number],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Whether a status change is the one an arrival made (undone only with the person).
pub(crate) fn is_arrival_change(conn: &Connection, change_id: Id) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM arrivals WHERE status_change_id = ?1", [change_id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// What a member package brings beyond an arrival: the records with their attachments' bytes (in
/// order), the step each documents by the sending office's id, and the sending office's history.
pub(crate) struct Carried<'a> {
    /// The person's UUID at the sending office, kept here (`write_arriving_person`).
    pub uid: Option<&'a str>,
    pub records: &'a [crate::package::PackedRecord],
    pub blobs: &'a [Vec<u8>],
    pub history: &'a [String],
}

impl Store {
    /// Registers a member arriving by transfer: checked whole first (the person and their steps as
    /// any new person, the arrival's own facts, the materials against the checklist), then written
    /// in one transaction. Returns their page.
    pub fn register_arrival(&mut self, arrival: NewArrival) -> Result<MemberDetail> {
        self.arrive(arrival, None)
    }

    /// An arrival, with what a package carried if it came in one: all of it in one transaction,
    /// or nothing.
    pub(crate) fn arrive(&mut self, arrival: NewArrival, carried: Option<Carried<'_>>) -> Result<MemberDetail> {
        // Begun first: the letter's and the name's earlier arrivals are read under the write lock,
        // so the same package received at once by two processes registers one person.
        let tx = self.begin_change()?;
        self.require_branch(Action::EditMembers, arrival.person.branch_id)?;
        let CheckedArrival { mut record, materials, person, mut steps, sender_ids, another_person } =
            check_new_arrival(arrival, self.today())?;
        let tree = OrgTree::load(&self.conn)?;
        if tree.get(person.branch_id).map(|u| u.kind) != Some(OrgKind::Branch) {
            return Err(Error::invalid("branch_id", "请选择一个党支部", "choose a branch"));
        }
        if let Some(number) = &record.letter_number
            && let Some((name, branch)) = already_arrived(&self.conn, &record.origin, number)?
        {
            // Named to those who may see them, as a server names them.
            let seen = self.visible_units(&tree).is_none_or(|units| units.contains(&branch));
            return Err(letter_used(seen.then_some(name.as_str()), &record.origin, number));
        }
        if !another_person && let Some((number, received)) = same_name_arrived(&self.conn, &record.origin, &person)? {
            return Err(same_person(&person.name, &record.origin, number, &received));
        }
        let mut violations = validate::check_member(&person, &steps, self.context());
        violations.extend(uniqueness_conflict(&self.conn, &person, self.visible_units(&tree).as_ref())?);
        if !violations.is_empty() {
            return Err(Error::Violations { violations });
        }
        let today = self.today();
        let person_id =
            super::people::write_arriving_person(&tx, &person, &steps, carried.as_ref().and_then(|c| c.uid))?;
        super::people::write_events(&tx, person_id, &mut steps)?;
        record.person_id = person_id;
        let change_id = write_change(&tx, &arrived_change(&record))?;
        let history = carried.as_ref().map(|c| kept_history(c.history)).filter(|h| !h.is_empty());
        tx.execute(
            "INSERT INTO arrivals (person_id, received_on, origin, letter_number, letter_issued_on, dues_through,
                 status_change_id, history)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                person_id,
                record.received_on.to_string(),
                record.origin,
                record.letter_number,
                record.letter_issued_on.map(|d| d.to_string()),
                record.dues_paid_through.map(|m| m.0),
                change_id,
                history
            ],
        )?;
        let events = load_events(&tx, person_id)?;
        for material in materials {
            super::files::insert_record(&tx, &material_record(material, &record, &events), &[])?;
        }
        if let Some(carried) = carried {
            let new_step = |sender: Id| {
                sender_ids.iter().position(|s| *s == Some(sender)).and_then(|i| steps.get(i)).and_then(|s| s.id)
            };
            for (filed, files) in unpacked_records(&carried, person_id, new_step, &events, today)? {
                let checked: Vec<(&NewAttachment, MediaType)> = files.iter().map(|(a, t)| (a, *t)).collect();
                super::files::insert_record(&tx, &filed, &checked)?;
            }
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
