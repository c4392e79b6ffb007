//! A roster imported on the server: the workspace's own row logic (`roster::apply_all`:
//! normalising, the checks, numbers repeated in the file, likely duplicates, a registered
//! person's steps merged) over [`ServerImport`], which reads what it needs from the server in the
//! import's one transaction, writes a registered person's changes as the user (the server's
//! triggers log them), and sends the new people by COPY to `dangan.import_staged`, which adds
//! them as the user may and logs one entry per person, as a workspace's import does. No client
//! suspends a trigger; all rows or none.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::ops::ControlFlow;

use postgres::Transaction;

use super::people::{LoadError, load, write_person, write_steps};
use super::units::add_unit;
use super::{ServerAddress, ServerStore, ServerUnit, Statements, failure, lost_at_commit, path_of};
use crate::access::Action;
use crate::calendar::Date;
use crate::domain::{EventKind, Id, Person, ProcedureEvent, Stage};
use crate::jobs::{Progress, Unit};
use crate::roster::{ImportOptions, ImportReport, Roster, RosterTarget, RowProblem, apply_all};
use crate::store::lookalikes::{Lookalike, Lookalikes};
use crate::store::org;
use crate::store::{Derived, Finish, Found, ResolvedBranch};
use crate::validate::{Context, Violation};
use crate::{Error, Result};

/// COPY sends this much at a time.
const COPY_CHUNK: usize = 1 << 20;

impl ServerStore {
    /// Imports a roster all or nothing, as a workspace imports it (the same report, problems and
    /// questions, the branches it names added under the user's committee when they organise it:
    /// a branch secretary adds none). `progress` is called
    /// as rows are checked; `ControlFlow::Break` cancels and nothing is saved.
    pub fn import_roster(
        &mut self,
        roster: Roster,
        options: ImportOptions,
        mut progress: impl FnMut(Progress) -> ControlFlow<()>,
    ) -> Result<ImportReport> {
        self.require(Action::EditMembers)?;
        let total = roster.records.len() as u64;
        let rules = self.rules.clone();
        let workdays = self.workdays.clone();
        let cx = Context { rules: &rules, today: self.today(), workdays: &workdays };
        let address = self.address.clone();
        let tx = self.client.transaction().map_err(|e| failure(e, &address))?;
        // Administrators and organisers may add the branches a roster names under their committee.
        let organises = self.me.role.may(Action::EditOrganisation).then_some(self.me.unit_id);
        let mut target = ServerImport::begin(tx, &mut self.statements, &address, organises)?;
        let (mut report, finish) = apply_all(&mut target, roster, options, None, cx, &mut progress)?;
        let tx = match target.finish() {
            Ok(tx) => tx,
            Err(Refused::Row(problem)) => {
                report.problems.push(problem);
                report.committed = false;
                return Err(Error::ImportRejected { report: Box::new(report) });
            }
            Err(Refused::Other(e)) => return Err(e),
        };
        // Sending the new people is the longest part: a cancel asked meanwhile is honoured.
        if progress(Progress::new(total, total, Unit::Rows)).is_break() {
            return Err(Error::Cancelled);
        }
        match finish {
            Finish::Commit => tx.commit().map_err(|e| lost_at_commit(e, &address))?,
            Finish::Rollback => tx.rollback().map_err(|e| failure(e, &address))?,
        }
        Ok(report)
    }
}

/// Someone the user may read, as an import needs them: to find a row's person by their numbers,
/// and likely duplicates by name.
struct Registered {
    name: String,
    branch_id: Id,
}

/// A new person waiting to be sent.
pub(super) struct Staged {
    pub(super) row: u64,
    /// The person's UUID when they bring one (an upload); else the server makes one.
    pub(super) uid: Option<String>,
    pub(super) person: Person,
    pub(super) derived: Derived,
    pub(super) events: Vec<ProcedureEvent>,
}

/// The server's side of one import.
pub(super) struct ServerImport<'a, 't> {
    tx: RefCell<Transaction<'t>>,
    statements: RefCell<&'a mut Statements>,
    address: &'a ServerAddress,
    units: Vec<ServerUnit>,
    branches: HashMap<String, Id>,
    registered: HashMap<Id, Registered>,
    by_id_number: HashMap<String, Id>,
    by_student_no: HashMap<String, Id>,
    lookalikes: Lookalikes,
    /// Registered people as read (locked until the import ends), and their steps, to write the
    /// merged record against and to leave alone when nothing changed.
    read_people: HashMap<Id, Person>,
    read_steps: HashMap<Id, Vec<ProcedureEvent>>,
    /// Each registered person's numbers, to keep the look-ups true when a row changes them.
    numbers: HashMap<Id, (Option<String>, Option<String>)>,
    staged: Vec<Staged>,
    /// The committee under which a branch the roster names may be added, when the user
    /// organises it (administrators and organisers); a branch secretary adds none.
    organises: Option<Id>,
}

/// Why the server refused what was sent: a row's fault, or anything else.
pub(super) enum Refused {
    Row(RowProblem),
    Other(Error),
}

impl<'a, 't> ServerImport<'a, 't> {
    /// A branch the roster names that the server does not have: added (with its general branch)
    /// under the user's committee by the workspace's own naming rule (`org::branch_to_create`),
    /// as a workspace's import adds it; refused for a user who does not organise units.
    fn add_branch(&mut self, path: &str) -> Result<ResolvedBranch> {
        let excerpt = crate::text::excerpt(path.trim(), 40);
        let Some(committee) = self.organises else {
            return Err(Error::invalid(
                "branch",
                format!("服务器上没有你可见的党支部「{excerpt}」；导入时只有管理员和组织员会新建党支部"),
                format!(
                    "the server has no branch “{excerpt}” that you can see; only administrators and organisers add branches by importing"
                ),
            ));
        };
        let committee_name = self.units.iter().find(|u| u.id == committee).map(|u| u.name.clone()).unwrap_or_default();
        let normalized = crate::text::normalized_name(path);
        let (general, branch) = org::branch_to_create(&normalized, &committee_name)?;
        let not_a = |name: &str, zh: &str, en: &str| {
            Error::invalid("branch", format!("「{name}」不是{zh}"), format!("“{name}” is not a {en}"))
        };
        let mut created = Vec::new();
        let mut parent = committee;
        if let Some(general) = general {
            org::check_unit_name(general)?;
            parent = match self.units.iter().find(|u| u.parent_id == Some(committee) && u.name == general) {
                Some(u) if u.kind == "general_branch" => u.id,
                Some(_) => return Err(not_a(general, "党总支", "general branch")),
                None => {
                    created.push(general.to_owned());
                    self.add_unit(committee, "general_branch", general)?
                }
            };
        }
        org::check_unit_name(branch)?;
        match self.units.iter().find(|u| u.parent_id == Some(parent) && u.name == branch) {
            Some(u) if u.kind == "branch" => {
                let id = u.id;
                self.branches.insert(path.to_owned(), id);
                return Ok(ResolvedBranch { id, created });
            }
            Some(_) => return Err(not_a(branch, "党支部，人员只能属于党支部", "branch; people belong to branches")),
            None => {}
        }
        let id = self.add_unit(parent, "branch", branch)?;
        created.push(general.map_or_else(|| branch.to_owned(), |g| format!("{g}/{branch}")));
        self.branches.insert(path.to_owned(), id);
        Ok(ResolvedBranch { id, created })
    }

    /// Adds a unit in the import's transaction (the server logs it), and knows it from then on.
    fn add_unit(&mut self, parent: Id, kind: &str, name: &str) -> Result<Id> {
        let id =
            add_unit(&mut *self.tx.borrow_mut(), parent, kind, name, None).map_err(|e| failure(e, self.address))?;
        self.units.push(ServerUnit {
            id,
            uid: String::new(),
            parent_id: Some(parent),
            kind: kind.into(),
            name: name.into(),
        });
        Ok(id)
    }

    /// Reads, in the import's transaction, the units and the people this user sees.
    fn begin(
        mut tx: Transaction<'t>,
        statements: &'a mut Statements,
        address: &'a ServerAddress,
        organises: Option<Id>,
    ) -> Result<ServerImport<'a, 't>> {
        let fail = |e| failure(e, address);
        let units = super::read_units(&mut tx, statements).map_err(fail)?;
        let rows = tx
            .query(
                "SELECT p.id, p.name, p.birth_date::text, p.branch_id, p.id_number, p.student_no, a.applied::text
                 FROM dangan.people p
                 LEFT JOIN (SELECT person_id, min(date) AS applied FROM dangan.events
                            WHERE kind = 'application_received' GROUP BY person_id) a ON a.person_id = p.id",
                &[],
            )
            .map_err(fail)?;
        let mut import = ServerImport {
            tx: RefCell::new(tx),
            statements: RefCell::new(statements),
            address,
            units,
            branches: HashMap::new(),
            registered: HashMap::with_capacity(rows.len()),
            by_id_number: HashMap::new(),
            by_student_no: HashMap::new(),
            lookalikes: Lookalikes::default(),
            read_people: HashMap::new(),
            read_steps: HashMap::new(),
            numbers: HashMap::new(),
            staged: Vec::new(),
            organises,
        };
        let date = |text: Option<String>| text.and_then(|t| t.parse::<Date>().ok());
        for r in rows {
            let id: Id = r.get(0);
            let person = Person {
                id: Some(id),
                name: r.get(1),
                birth_date: date(r.get(2)),
                branch_id: r.get(3),
                id_number: r.get(4),
                student_no: r.get(5),
                ..Person::default()
            };
            import.lookalikes.add(&person, date(r.get(6)), Lookalike::Member(id));
            if let Some(number) = &person.id_number {
                import.by_id_number.insert(number.clone(), id);
            }
            if let Some(number) = &person.student_no {
                import.by_student_no.insert(number.clone(), id);
            }
            import.numbers.insert(id, (person.id_number.clone(), person.student_no.clone()));
            import.registered.insert(id, Registered { name: person.name, branch_id: person.branch_id });
        }
        Ok(import)
    }

    /// Sends the new people and their steps, and has the server add them. Returns the
    /// transaction, for the caller to commit or roll back.
    fn finish(self) -> std::result::Result<Transaction<'t>, Refused> {
        let mut tx = self.tx.into_inner();
        add_staged(&mut tx, &self.staged, self.address)?;
        Ok(tx)
    }

    /// A registered person and their steps, locked until the import ends: nobody changes them
    /// between this read and the import's write.
    fn load(&self, id: Id) -> Result<Option<super::ServerPerson>> {
        let mut tx = self.tx.borrow_mut();
        let mut statements = self.statements.borrow_mut();
        match load(&mut *tx, &mut statements, id, true) {
            Ok(person) => Ok(Some(person)),
            Err(LoadError::NotFound(_)) => Ok(None),
            Err(e) => Err(e.into_error(self.address)),
        }
    }
}

impl RosterTarget for ServerImport<'_, '_> {
    /// A branch on the server, by its name or its path (as the organisation tree names it, or
    /// its end), written as a workspace's roster may write it (`／` or `/`, spaces around them);
    /// else added under the user's committee (`add_branch`).
    fn resolve_branch(&mut self, path: &str) -> Result<ResolvedBranch> {
        if let Some(&id) = self.branches.get(path) {
            return Ok(ResolvedBranch { id, created: vec![] });
        }
        let normalized = crate::text::normalized_name(path);
        let wanted =
            normalized.split(['/', '／']).map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>().join("/");
        let wanted = wanted.as_str();
        let matching: Vec<&ServerUnit> = self
            .units
            .iter()
            .filter(|u| u.kind == "branch")
            .filter(|u| {
                let full = path_of(&self.units, u);
                u.name == wanted || full == wanted || full.ends_with(&format!("/{wanted}"))
            })
            .collect();
        let excerpt = crate::text::excerpt(wanted, 40);
        let id = match matching.as_slice() {
            [one] => one.id,
            [] => return self.add_branch(path),
            several => {
                let paths: Vec<String> = several.iter().map(|u| path_of(&self.units, u)).collect();
                return Err(Error::invalid(
                    "branch",
                    format!("有几个党支部叫「{excerpt}」，请写出路径：{}", paths.join("、")),
                    format!("several branches are called “{excerpt}”; give the path: {}", paths.join(", ")),
                ));
            }
        };
        self.branches.insert(path.to_owned(), id);
        Ok(ResolvedBranch { id, created: vec![] })
    }

    fn find_same_person(&self, person: &Person) -> Result<Option<Id>> {
        let by = |map: &HashMap<String, Id>, number: &Option<String>| number.as_ref().and_then(|n| map.get(n)).copied();
        Ok(by(&self.by_id_number, &person.id_number).or_else(|| by(&self.by_student_no, &person.student_no)))
    }

    fn person(&self, id: Id) -> Result<Option<Person>> {
        Ok(self.load(id)?.map(|p| p.person))
    }

    fn events(&mut self, id: Id) -> Result<Vec<ProcedureEvent>> {
        let Some(read) = self.load(id)? else { return Ok(Vec::new()) };
        self.read_people.insert(id, read.person);
        self.read_steps.insert(id, read.events.clone());
        Ok(read.events)
    }

    fn lookalike(&mut self, person: &Person, applied: Option<Date>) -> Result<Option<Found>> {
        Ok(self.lookalikes.find(person, applied))
    }

    fn remember(&mut self, person: &Person, applied: Option<Date>, row: u64) {
        self.lookalikes.add(person, applied, Lookalike::Row(row));
    }

    /// A number held by someone else this user sees, named as a workspace names them; a number
    /// held outside the user's units is refused by the server itself, naming the row only.
    fn uniqueness_conflict(&self, person: &Person, _visible: Option<&HashSet<Id>>) -> Result<Option<Violation>> {
        for (field, value, map) in [
            ("id_number", &person.id_number, &self.by_id_number),
            ("student_no", &person.student_no, &self.by_student_no),
        ] {
            let Some(value) = value else { continue };
            if let Some(holder) = map.get(value).filter(|&&holder| Some(holder) != person.id) {
                let name = self.registered.get(holder).map_or("", |r| r.name.as_str());
                return Ok(Some(crate::store::number_taken(field, value, name)));
            }
        }
        Ok(None)
    }

    fn insert(&mut self, row: u64, person: &Person, derived: &Derived, events: Vec<ProcedureEvent>) -> Result<Id> {
        let derived = Derived { keys: derived.keys.clone(), stage: derived.stage, ended: derived.ended };
        self.staged.push(Staged { row, uid: None, person: person.clone(), derived, events });
        // Numbered by the server when the rows are sent; the audit entry is the server's too.
        Ok(-i64::try_from(row).unwrap_or(i64::MAX))
    }

    fn update(&mut self, person: &Person, events: &mut [ProcedureEvent]) -> Result<Id> {
        let Some(id) = person.id else {
            return Err(Error::Server {
                server: self.address.to_string(),
                reason: "an update without a number".into(),
            });
        };
        let keys = crate::names::keys(&person.name);
        let stage = Stage::of_person(person, events);
        let ended = events.iter().any(|e| e.kind == EventKind::MembershipEnded);
        let before = self.read_steps.remove(&id).unwrap_or_default();
        // Unchanged, they are left alone: their version stays, so nobody's open edit is refused.
        if self.read_people.remove(&id).as_ref() == Some(person) && before.as_slice() == &*events {
            return Ok(id);
        }
        {
            let mut tx = self.tx.borrow_mut();
            let mut statements = self.statements.borrow_mut();
            write_person(&mut *tx, &mut statements, person, &keys, stage, ended, None)
                .map_err(|e| failure(e, self.address))?;
            write_steps(&mut *tx, &mut statements, id, &before, events).map_err(|e| e.into_error(self.address))?;
        }
        if let Some(registered) = self.registered.get_mut(&id) {
            registered.branch_id = person.branch_id;
            registered.name.clone_from(&person.name);
        }
        // Their numbers may have changed: later rows find them by the new ones only.
        let (old_id_number, old_student_no) = self.numbers.remove(&id).unwrap_or_default();
        for (map, old, new) in [
            (&mut self.by_id_number, old_id_number, &person.id_number),
            (&mut self.by_student_no, old_student_no, &person.student_no),
        ] {
            if let Some(old) = old.filter(|old| map.get(old) == Some(&id)) {
                map.remove(&old);
            }
            if let Some(new) = new {
                map.insert(new.clone(), id);
            }
        }
        self.numbers.insert(id, (person.id_number.clone(), person.student_no.clone()));
        Ok(id)
    }

    /// The server logs every change itself: a registered person's by its triggers, a new
    /// person's in `dangan.import_staged`.
    fn log_member(&mut self, _id: Id, _action: &str, _before: Option<&str>, _after: &str) -> Result<()> {
        Ok(())
    }
}

/// Sends new people and their steps by COPY and has `dangan.import_staged` add them, in the
/// caller's transaction: each staged row's new number, in row order.
pub(super) fn add_staged(
    tx: &mut Transaction<'_>,
    staged: &[Staged],
    address: &ServerAddress,
) -> std::result::Result<Vec<(i64, Id)>, Refused> {
    if staged.is_empty() {
        return Ok(Vec::new());
    }
    let fail = |e| Refused::Other(failure(e, address));
    let mut people = tx
        .copy_in(
            "COPY dangan.import_people (row_no, branch_id, name, pinyin, initials, sort_key, gender, ethnicity,
                 birth_date, id_number, student_no, category, department, class_name, phone, native_place, notes,
                 education, class_year, student_level, occupation, joined_on, stage, ended, uid) FROM STDIN",
        )
        .map_err(fail)?;
    let mut out = Vec::with_capacity(COPY_CHUNK + 4096);
    for s in staged {
        let p = &s.person;
        let (birth, joined) = (p.birth_date.map(|d| d.to_string()), p.joined_on.map(|d| d.to_string()));
        let class_year = p.class_year.map(|y| y.to_string());
        let row = s.row.to_string();
        let branch = p.branch_id.to_string();
        copy_row(
            &mut out,
            &[
                Some(&row),
                Some(&branch),
                Some(&p.name),
                Some(&s.derived.keys.pinyin),
                Some(&s.derived.keys.initials),
                Some(&s.derived.keys.sort_key),
                p.gender.map(|g| g.as_str()),
                p.ethnicity.as_deref(),
                birth.as_deref(),
                p.id_number.as_deref(),
                p.student_no.as_deref(),
                p.category.map(|c| c.as_str()),
                p.department.as_deref(),
                p.class_name.as_deref(),
                p.phone.as_deref(),
                p.native_place.as_deref(),
                p.notes.as_deref(),
                p.education.map(|e| e.as_str()),
                class_year.as_deref(),
                p.student_level.map(|l| l.as_str()),
                p.occupation.map(|o| o.as_str()),
                joined.as_deref(),
                Some(s.derived.stage.as_str()),
                Some(if s.derived.ended { "t" } else { "f" }),
                s.uid.as_deref(),
            ],
        );
        if out.len() >= COPY_CHUNK {
            people.write_all(&out).map_err(|e| Refused::Other(copy_failed(e, address)))?;
            out.clear();
        }
    }
    people.write_all(&out).map_err(|e| Refused::Other(copy_failed(e, address)))?;
    people.finish().map_err(fail)?;
    out.clear();
    let mut steps =
        tx.copy_in("COPY dangan.import_events (row_no, ord, kind, date, months, note) FROM STDIN").map_err(fail)?;
    for s in staged {
        let row = s.row.to_string();
        for (ord, e) in s.events.iter().enumerate() {
            let (ord, date, months) = (ord.to_string(), e.date.to_string(), e.months.map(|m| m.to_string()));
            copy_row(
                &mut out,
                &[Some(&row), Some(&ord), Some(e.kind.as_str()), Some(&date), months.as_deref(), e.note.as_deref()],
            );
        }
        if out.len() >= COPY_CHUNK {
            steps.write_all(&out).map_err(|e| Refused::Other(copy_failed(e, address)))?;
            out.clear();
        }
    }
    steps.write_all(&out).map_err(|e| Refused::Other(copy_failed(e, address)))?;
    steps.finish().map_err(fail)?;
    match tx.query("SELECT row_no, id FROM dangan.import_staged()", &[]) {
        Ok(added) if added.len() == staged.len() => Ok(added.iter().map(|r| (r.get(0), r.get(1))).collect()),
        Ok(added) => Err(Refused::Other(Error::Server {
            server: address.to_string(),
            reason: format!("{} people were sent and {} added", staged.len(), added.len()),
        })),
        Err(e) => Err(refused_row(&e).map_or_else(|| Refused::Other(failure(e, address)), Refused::Row)),
    }
}

/// One line of COPY's text format: fields tab-separated, `\N` for none, backslash escapes.
pub(super) fn copy_row(out: &mut Vec<u8>, fields: &[Option<&str>]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b'\t');
        }
        match field {
            None => out.extend_from_slice(b"\\N"),
            Some(value) => {
                for byte in value.bytes() {
                    match byte {
                        b'\\' => out.extend_from_slice(b"\\\\"),
                        b'\t' => out.extend_from_slice(b"\\t"),
                        b'\n' => out.extend_from_slice(b"\\n"),
                        b'\r' => out.extend_from_slice(b"\\r"),
                        _ => out.push(byte),
                    }
                }
            }
        }
    }
    out.push(b'\n');
}

pub(super) fn copy_failed(e: std::io::Error, address: &ServerAddress) -> Error {
    Error::ServerUnreachable { server: address.to_string(), cause: e.to_string() }
}

/// A refusal of `dangan.import_staged` that names a row (`row N: …`), in the user's words.
fn refused_row(e: &postgres::Error) -> Option<RowProblem> {
    let message = e.as_db_error()?.message();
    let (row, reason) = message.strip_prefix("row ")?.split_once(": ")?;
    let row: u64 = row.parse().ok()?;
    let (reason_zh, reason_en) = if reason.contains("on the server already") {
        ("这一人员已在服务器上（同一人员标识 UUID），不能再添加".to_owned(), reason.to_owned())
    } else if reason.contains("registered already") {
        let zh = if reason.contains("identity") { "身份证号" } else { "学号工号" };
        (format!("这一{zh}已在服务器上登记，不能再登记；请联系组织员"), format!("{reason}; ask the organiser"))
    } else {
        ("这一行的党支部不是你可以修改的党支部".to_owned(), reason.to_owned())
    };
    Some(RowProblem { row, column: String::new(), reason_zh, reason_en })
}

#[cfg(test)]
mod tests {
    use super::copy_row;

    #[test]
    fn copy_text_escapes_what_would_end_a_field_or_a_line() {
        let mut out = Vec::new();
        copy_row(&mut out, &[Some("a\tb"), None, Some("c\\d\ne\rf"), Some("")]);
        assert_eq!(String::from_utf8(out).unwrap(), "a\\tb\t\\N\tc\\\\d\\ne\\rf\t\n");
    }
}
