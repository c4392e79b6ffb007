//! Applying a roster to the store: one transaction, every row validated, nothing saved unless
//! every row is good. A person already registered (same identity number, else same student
//! number) is updated, never duplicated.
//!
//! Two threads share the work: one prepares each row with nothing but the row itself (normalises
//! it, finds numbers repeated within the file, checks it as a new person, finds its late steps,
//! writes most of its audit entry), while the one holding the transaction resolves branches,
//! looks people up and writes. The writer is the bottleneck (SQLCipher encrypts every page), so
//! everything that need not wait for it runs beside it, in the same order, with the same result.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::ops::ControlFlow;
use std::sync::mpsc;

use serde::Serialize;

use super::columns::{self, Field};
use super::{ImportReport, LikelyDuplicate, Roster, RosterRecord, RowProblem};
use crate::domain::{EventKind, Id, Person, ProcedureEvent};
use crate::jobs::{Progress, Unit};
use crate::late::LateStep;
use crate::store::{self as st, Derived, Finish, IsoDate, ResolvedBranch, Store};
use crate::validate::{self, Context, Violation};
use crate::{Error, Lang, Result};

/// Where an import writes: what the row logic below asks of a store, so that it runs unchanged
/// on a workspace (`store::BulkWrite`, one SQLCipher transaction) and on the shared server
/// (`store::server::ServerImport`, one PostgreSQL transaction that sends its new people by COPY).
pub(crate) trait RosterTarget {
    /// The branch a roster names (a workspace creates it when it does not exist yet).
    fn resolve_branch(&mut self, path: &str) -> Result<ResolvedBranch>;
    /// The person registered under the same identity number, or else the same student number.
    fn find_same_person(&self, person: &Person) -> Result<Option<Id>>;
    fn person(&self, id: Id) -> Result<Option<Person>>;
    fn events(&mut self, id: Id) -> Result<Vec<ProcedureEvent>>;
    /// Someone registered, or added earlier in this import, who looks like `person`.
    fn lookalike(&mut self, person: &Person, applied: Option<crate::calendar::Date>) -> Result<Option<st::Found>>;
    /// Remembers a new person as `row`, for the lookalikes of later rows.
    fn remember(&mut self, person: &Person, applied: Option<crate::calendar::Date>, row: u64);
    /// Numbers of `person` that belong to someone else (limited to `visible` units when set).
    fn uniqueness_conflict(&self, person: &Person, visible: Option<&HashSet<Id>>) -> Result<Option<Violation>>;
    /// Adds a new person of roster row `row`, returning their number (or, where the store
    /// numbers them only at the end, a placeholder the audit record below is made with).
    fn insert(&mut self, row: u64, person: &Person, derived: &Derived, events: Vec<ProcedureEvent>) -> Result<Id>;
    /// Writes a registered person with their events, replacing the stored ones.
    fn update(&mut self, person: &Person, events: &mut [ProcedureEvent]) -> Result<Id>;
    /// The one audit entry of a person this import added or changed (a store whose log is
    /// written by its server makes its own).
    fn log_member(&mut self, id: Id, action: &str, before: Option<&str>, after: &str) -> Result<()>;
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Check everything and report what would happen, then save nothing.
    pub dry_run: bool,
    /// What to do with new people who look already registered.
    pub duplicates: Duplicates,
}

/// What an import does with a likely duplicate ([`super::LikelyDuplicate`]): a roster without
/// identity or student numbers, imported twice, must not silently register everyone twice.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Duplicates {
    /// Import nothing and list them ([`Error::LikelyDuplicates`]), so the user decides. A dry
    /// run lists them in its report.
    #[default]
    Ask,
    /// They are different people after all: add them.
    Add,
    /// Leave those rows out and import the rest.
    Skip,
}

/// How often progress is reported: often enough for a smooth bar, rarely enough to cost nothing.
const PROGRESS_EVERY: usize = 500;

/// Rows handed from the preparing thread to the writing one at a time, and how many such batches
/// may wait: the hand-over costs nothing per row, and only a couple of thousand rows are in flight.
const BATCH: usize = 256;
const BATCHES_WAITING: usize = 4;

enum Outcome {
    Created,
    Updated,
    /// A likely duplicate, left out as asked.
    Skipped,
}

impl Store {
    /// Imports a roster all or nothing. `progress` is called as rows are applied; returning
    /// `ControlFlow::Break` cancels the import and nothing is saved.
    ///
    /// Errors: [`Error::ImportRejected`] with a report naming every bad row, [`Error::Cancelled`].
    pub fn import_roster(
        &mut self,
        roster: Roster,
        options: ImportOptions,
        mut progress: impl FnMut(Progress) -> ControlFlow<()>,
    ) -> Result<ImportReport> {
        self.require(crate::access::Action::EditMembers)?;
        let rules = self.rules().clone();
        let workdays = self.work_calendar().clone();
        let cx = Context { rules: &rules, today: self.today(), workdays: &workdays };
        let total = roster.records.len() as u64;
        // Two borrowers, never at once: the wait for the workspace, then the rows.
        let progress = std::cell::RefCell::new(&mut progress);
        self.bulk_write(
            crate::access::Action::EditMembers,
            crate::store::WAIT_FOR_WRITER,
            || (progress.borrow_mut())(Progress::waiting(total, Unit::Rows)),
            |bulk| {
                // Who may import where, from the tree as the transaction reads it: a unit moved
                // while the import waited for another writer is where it is now.
                let visible = bulk.take_visible_units();
                apply_all(bulk, roster, options, visible, cx, &mut *progress.borrow_mut())
            },
        )
    }
}

/// Every row of the roster in one bulk write; says whether to commit. (The server's import calls
/// it too, with its own target.) The rows are prepared on a
/// second thread ([`prepare_all`]) while this one writes them ([`apply`]), in file order.
pub(crate) fn apply_all(
    bulk: &mut impl RosterTarget,
    roster: Roster,
    options: ImportOptions,
    visible: Option<HashSet<Id>>,
    cx: Context<'_>,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
) -> Result<(ImportReport, Finish)> {
    let Roster { records, problems, ignored_columns, rows, spellings } = roster;
    let mut report = ImportReport { rows, ignored_columns, problems, ..ImportReport::default() };
    let total = records.len() as u64;
    let spellings = Roster { spellings, ..Roster::default() };
    let mut scope = Scope { visible, duplicates: options.duplicates };
    std::thread::scope(|threads| {
        let (batches, prepared) = mpsc::sync_channel(BATCHES_WAITING);
        let (give_back, given_back) = mpsc::channel();
        let spellings = &spellings;
        threads.spawn(move || prepare_all(records, cx, spellings, batches, given_back));
        // Returning drops `prepared`, which stops the other thread at its next batch.
        let mut done = 0;
        for mut batch in prepared {
            let mut spent = Vec::with_capacity(batch.len());
            for row in batch.drain(..) {
                if done % PROGRESS_EVERY == 0 && progress(Progress::new(done as u64, total, Unit::Rows)).is_break() {
                    return Err(Error::Cancelled);
                }
                done += 1;
                let number = row.row;
                match apply(bulk, row, cx, &mut scope, &mut report, spellings, &mut spent)? {
                    Ok(Outcome::Created) => report.created += 1,
                    Ok(Outcome::Skipped) => report.skipped_rows.push(number),
                    Ok(Outcome::Updated) => {
                        report.updated += 1;
                        report.updated_rows.push(number);
                    }
                    Err(problems) => report.problems.extend(problems),
                }
            }
            // What the other thread allocated goes back to be freed there: two threads freeing
            // and allocating in one malloc arena wait on each other's lock.
            let _ = give_back.send(Spent { batch, spent });
        }
        Ok(())
    })?;
    if progress(Progress::new(total, total, Unit::Rows)).is_break() {
        return Err(Error::Cancelled);
    }
    report.problems.sort_by_key(|p| p.row);
    if !report.problems.is_empty() {
        // Rolled back whole: every row, branches included.
        return Err(Error::ImportRejected { report: Box::new(report) });
    }
    if options.dry_run {
        Ok((report, Finish::Rollback))
    } else if options.duplicates == Duplicates::Ask && !report.likely_duplicates.is_empty() {
        Err(Error::LikelyDuplicates { report: Box::new(report) })
    } else {
        report.committed = true;
        Ok((report, Finish::Commit))
    }
}

/// A branch secretary's row for a branch that is not theirs (or that does not exist yet).
fn outside_scope(problem: impl Fn(Field, String, String) -> RowProblem, branch: &str) -> RowProblem {
    let branch = crate::text::excerpt(branch, 40);
    problem(
        Field::Branch,
        format!("「{branch}」不在你负责的党支部之内"),
        format!("“{branch}” is not one of your branches"),
    )
}

/// One row made ready without the store, by [`prepare`].
struct Prepared {
    row: u64,
    /// Normalised; its branch is not resolved yet.
    person: Person,
    /// The branch as the roster writes it.
    branch: String,
    /// In procedure order. (A row holds at most one step of each kind, since a header may not
    /// repeat, so the order in which an update merges them changes nothing.)
    events: Vec<ProcedureEvent>,
    check: Check,
}

enum Check {
    /// Identity or student numbers that repeat an earlier row: the row's only problems, as
    /// before anything else is checked.
    Repeats(Vec<RowProblem>),
    /// Checked as a new person with the row's own steps, which is what it is unless the store
    /// already holds them.
    AsNew(AsNew),
}

/// A batch the writing side is done with, and the parts of its rows it did not keep.
struct Spent {
    /// Emptied, to be filled again.
    batch: Vec<Prepared>,
    spent: Vec<AsNew>,
}

struct AsNew {
    violations: Vec<Violation>,
    late: Vec<LateStep>,
    derived: Derived,
    /// The audit entry's record after the person's id and branch ([`audit_json_rest`]).
    audit_rest: String,
}

/// Identity and student numbers met earlier in the same file, with their rows.
#[derive(Default)]
struct Numbers {
    id_numbers: HashMap<String, u64>,
    student_nos: HashMap<String, u64>,
}

/// Prepares every record in order and hands them over in batches, until they are all sent or the
/// writing side has stopped listening (it failed, or was cancelled).
fn prepare_all(
    records: Vec<RosterRecord>,
    cx: Context<'_>,
    spellings: &Roster,
    batches: mpsc::SyncSender<Vec<Prepared>>,
    given_back: mpsc::Receiver<Spent>,
) {
    let mut numbers = Numbers::default();
    let mut empty: Vec<Vec<Prepared>> = Vec::new();
    let mut batch = Vec::with_capacity(BATCH);
    for record in records {
        batch.push(prepare(record, cx, &mut numbers, spellings));
        if batch.len() == BATCH {
            // Freed here, where they were allocated (see `apply_all`).
            for Spent { batch, spent } in given_back.try_iter() {
                drop(spent);
                empty.push(batch);
            }
            let next = empty.pop().unwrap_or_else(|| Vec::with_capacity(BATCH));
            if batches.send(std::mem::replace(&mut batch, next)).is_err() {
                return;
            }
        }
    }
    if !batch.is_empty() {
        let _ = batches.send(batch);
    }
}

/// Everything about a row that does not need the store.
fn prepare(record: RosterRecord, cx: Context<'_>, numbers: &mut Numbers, spellings: &Roster) -> Prepared {
    let RosterRecord { row, mut person, branch, mut events, .. } = record;
    st::normalize(&mut person);
    st::sort_events(&mut events);
    let mut repeats = Vec::new();
    for (field, value, map, zh, en) in [
        (Field::IdNumber, &person.id_number, &mut numbers.id_numbers, "身份证号", "identity number"),
        (Field::StudentNo, &person.student_no, &mut numbers.student_nos, "学号工号", "student number"),
    ] {
        if let Some(value) = value
            && let Some(first) = map.insert(value.clone(), row)
        {
            map.insert(value.clone(), first);
            repeats.push(RowProblem {
                row,
                column: spellings.spelling(columns::column_of(field)),
                reason_zh: format!("{zh} {value} 与第 {first} 行重复"),
                reason_en: format!("{en} {value} repeats row {first}"),
            });
        }
    }
    let check = if repeats.is_empty() {
        let facts: Vec<crate::deadlines::Fact> = events.iter().map(Into::into).collect();
        Check::AsNew(AsNew {
            violations: validate::check_member(&person, &events, cx),
            late: crate::late::late_steps(&facts, cx.rules, cx.workdays),
            derived: Derived::of(&person, &events),
            audit_rest: audit_json_rest(&person, &events),
        })
    } else {
        Check::Repeats(repeats)
    };
    Prepared { row, person, branch, events, check }
}

/// Who may import where, and what to do with likely duplicates: the writing side's part.
struct Scope {
    /// The units a branch secretary may import into; `None` when not limited.
    visible: Option<HashSet<Id>>,
    duplicates: Duplicates,
}

fn apply(
    bulk: &mut impl RosterTarget,
    prepared: Prepared,
    cx: Context<'_>,
    scope: &mut Scope,
    report: &mut ImportReport,
    spellings: &Roster,
    spent: &mut Vec<AsNew>,
) -> Result<std::result::Result<Outcome, Vec<RowProblem>>> {
    let branches_created = &mut report.branches_created;
    let Prepared { row, mut person, branch, events, check } = prepared;
    let problem = |field: Field, zh: String, en: String| RowProblem {
        row,
        column: spellings.spelling(columns::column_of(field)),
        reason_zh: zh,
        reason_en: en,
    };
    let (mut problems, as_new) = match check {
        Check::Repeats(repeats) => (repeats, None),
        Check::AsNew(as_new) => (Vec::new(), Some(as_new)),
    };

    match bulk.resolve_branch(&branch) {
        Ok(resolved) => {
            if scope.visible.as_ref().is_some_and(|v| !v.contains(&resolved.id)) {
                problems.push(outside_scope(problem, &branch));
            } else {
                person.branch_id = resolved.id;
                branches_created.extend(resolved.created);
            }
        }
        // The branch cell's own fault is the row's problem; anything else (the database busy or
        // damaged) is the whole import's, said once and not once per row.
        Err(e @ Error::InvalidInput { .. }) => {
            problems.push(problem(Field::Branch, e.message(Lang::Zh), e.message(Lang::En)))
        }
        Err(e) => return Err(e),
    }
    let as_new = match as_new {
        Some(as_new) if problems.is_empty() => as_new,
        _ => return Ok(Err(problems)),
    };

    let existing = bulk.find_same_person(&person)?;
    if let (Some(id), Some(visible)) = (existing, &scope.visible) {
        let stored_branch = bulk.person(id)?.map(|p| p.branch_id);
        if stored_branch.is_some_and(|b| !visible.contains(&b)) {
            return Ok(Err(vec![problem(
                Field::Name,
                "这一行不能由你导入，请联系组织员".into(),
                "you cannot import this row; ask the organiser".into(),
            )]));
        }
    }
    let Some(id) = existing else {
        // A new person by their numbers: do they look like someone already here?
        let applied = events.iter().find(|e| e.kind == EventKind::ApplicationReceived).map(|e| e.date);
        if let Some(found) = bulk.lookalike(&person, applied)? {
            report.likely_duplicates.push(likely_duplicate(row, &person, found));
            if scope.duplicates == Duplicates::Skip {
                return Ok(Ok(Outcome::Skipped));
            }
        }
        bulk.remember(&person, applied, row);
        return insert(bulk, row, person, events, as_new, report, spellings, spent);
    };
    update(bulk, row, person, events, id, cx, scope, report, spellings)
}

/// A new person, checked and made ready by [`prepare`]: written with the one audit entry.
/// `as_new` ends in `spent`, emptied of what the report keeps.
#[allow(clippy::too_many_arguments)]
fn insert(
    bulk: &mut impl RosterTarget,
    row: u64,
    person: Person,
    events: Vec<ProcedureEvent>,
    mut as_new: AsNew,
    report: &mut ImportReport,
    spellings: &Roster,
    spent: &mut Vec<AsNew>,
) -> Result<std::result::Result<Outcome, Vec<RowProblem>>> {
    if !as_new.violations.is_empty() {
        let violations = std::mem::take(&mut as_new.violations);
        return Ok(Err(violations.into_iter().map(|v| violation_problem(row, v, spellings)).collect()));
    }
    report.late.extend(as_new.late.drain(..).map(|flag| super::RowLate { row, name: person.name.clone(), flag }));
    let id = bulk.insert(row, &person, &as_new.derived, events)?;
    bulk.log_member(id, "insert", None, &audit_record(Some(id), person.branch_id, &as_new.audit_rest))?;
    spent.push(as_new);
    Ok(Ok(Outcome::Created))
}

/// A registered person: the row's steps merged into theirs, checked again with everything they
/// hold, written, and logged when anything changed.
#[allow(clippy::too_many_arguments)]
fn update(
    bulk: &mut impl RosterTarget,
    row: u64,
    person: Person,
    events: Vec<ProcedureEvent>,
    id: Id,
    cx: Context<'_>,
    scope: &Scope,
    report: &mut ImportReport,
    spellings: &Roster,
) -> Result<std::result::Result<Outcome, Vec<RowProblem>>> {
    let stored = bulk.person(id)?.unwrap_or_default();
    let mut merged = bulk.events(id)?;
    let before = audit_json(&stored, &merged);
    for event in events {
        // A repeated step (a review, a report) is added unless that day's is on file; a one-off
        // step's date is corrected.
        let same = |e: &&mut ProcedureEvent| e.kind == event.kind && (!event.kind.repeats() || e.date == event.date);
        match merged.iter_mut().find(same) {
            // A roster gives an extension's months, never its day (`parse::extension_date` makes
            // one up for a new person): the day on file stays.
            Some(old) if event.kind == EventKind::ProbationExtended => old.months = event.months,
            Some(old) => {
                old.date = event.date;
                old.months = event.months;
            }
            None => merged.push(event),
        }
    }
    let person = overlay(stored, person);
    st::sort_events(&mut merged);
    let mut violations = validate::check_member(&person, &merged, cx);
    // A new person's numbers were looked up and found free; an updated person may have been given
    // a number that belongs to someone else.
    violations.extend(bulk.uniqueness_conflict(&person, scope.visible.as_ref())?);
    if !violations.is_empty() {
        return Ok(Err(violations.into_iter().map(|v| violation_problem(row, v, spellings)).collect()));
    }
    let facts: Vec<crate::deadlines::Fact> = merged.iter().map(Into::into).collect();
    for flag in crate::late::late_steps(&facts, cx.rules, cx.workdays) {
        report.late.push(super::RowLate { row, name: person.name.clone(), flag });
    }
    let id = bulk.update(&person, &mut merged)?;
    let after = audit_json(&Person { id: Some(id), ..person }, &merged);
    if before != after {
        bulk.log_member(id, "update", Some(&before), &after)?;
    }
    Ok(Ok(Outcome::Updated))
}

fn likely_duplicate(row: u64, person: &Person, found: st::Found) -> LikelyDuplicate {
    let (same, same_en) = match found.why {
        st::Likeness::NameAndBirth => ("姓名和出生日期", "name and birth date"),
        st::Likeness::NameBranchAndApplication => ("姓名、支部和申请日期", "name, branch and application date"),
    };
    let name = crate::text::excerpt(&person.name, 40);
    let (member_id, same_as_row, reason_zh, reason_en) = match found.who {
        st::Lookalike::Member(id) => (
            Some(id),
            None,
            format!("「{name}」与已登记的党员（编号 {id}）{same}相同，可能是同一人"),
            format!("“{name}” has the same {same_en} as registered member {id}: likely the same person"),
        ),
        st::Lookalike::Row(first) => (
            None,
            Some(first),
            format!("「{name}」与第 {first} 行的{same}相同，可能是同一人"),
            format!("“{name}” has the same {same_en} as row {first}: likely the same person"),
        ),
    };
    LikelyDuplicate { row, name: person.name.clone(), member_id, same_as_row, reason_zh, reason_en }
}

/// A person and their events as one audit entry records them, compactly: the person's fields
/// that have a value, and each event as `date kind[ months][ note]`. Written field by field:
/// going through `serde_json::Value` cost a second per 100,000 people.
fn audit_json(person: &Person, events: &[ProcedureEvent]) -> String {
    audit_record(person.id, person.branch_id, &audit_json_rest(person, events))
}

/// The record's start, `{"person":{"id":"…","branch_id":"…"` (the id once stored), then `rest`:
/// what the writing side adds to what [`audit_json_rest`] prepared.
fn audit_record(id: Option<Id>, branch: Id, rest: &str) -> String {
    let mut out = String::with_capacity(rest.len() + 48);
    out.push_str("{\"person\":{");
    if let Some(id) = id {
        let _ = write!(out, "\"id\":\"{id}\",");
    }
    let _ = write!(out, "\"branch_id\":\"{branch}\"");
    out.push_str(rest);
    out
}

/// The rest of the record: the person's fields after the branch, then the events.
fn audit_json_rest(person: &Person, events: &[ProcedureEvent]) -> String {
    let mut out = Vec::with_capacity(512);
    let (birth, joined) = (person.birth_date.map(IsoDate::of), person.joined_on.map(IsoDate::of));
    let class_year = person.class_year.map(|y| y.to_string());
    for (key, value) in [
        ("name", Some(person.name.as_str())),
        ("gender", person.gender.map(|g| g.as_str())),
        ("ethnicity", person.ethnicity.as_deref()),
        ("birth_date", birth.as_ref().map(IsoDate::as_str)),
        ("id_number", person.id_number.as_deref()),
        ("student_no", person.student_no.as_deref()),
        ("category", person.category.map(|c| c.as_str())),
        ("department", person.department.as_deref()),
        ("class_name", person.class_name.as_deref()),
        ("phone", person.phone.as_deref()),
        ("native_place", person.native_place.as_deref()),
        ("notes", person.notes.as_deref()),
        ("education", person.education.map(|e| e.as_str())),
        ("class_year", class_year.as_deref()),
        ("student_level", person.student_level.map(|l| l.as_str())),
        ("occupation", person.occupation.map(|o| o.as_str())),
        ("joined_on", joined.as_ref().map(IsoDate::as_str)),
    ] {
        let Some(value) = value else { continue };
        out.push(b',');
        let _ = serde_json::to_writer(&mut out, key);
        out.push(b':');
        let _ = serde_json::to_writer(&mut out, value);
    }
    out.extend_from_slice(b"},\"events\":[");
    let mut line = String::new();
    for (i, e) in events.iter().enumerate() {
        line.clear();
        line.push_str(IsoDate::of(e.date).as_str());
        line.push(' ');
        line.push_str(e.kind.as_str());
        if let Some(months) = e.months {
            let _ = write!(line, " {months}");
        }
        if let Some(note) = e.note.as_deref() {
            line.push(' ');
            line.push_str(note);
        }
        if i > 0 {
            out.push(b',');
        }
        let _ = serde_json::to_writer(&mut out, line.as_str());
    }
    out.extend_from_slice(b"]}");
    String::from_utf8(out).unwrap_or_default()
}

/// The stored person with every value the roster gives written over it; blank cells keep
/// what was stored.
fn overlay(stored: Person, new: Person) -> Person {
    Person {
        id: stored.id,
        branch_id: new.branch_id,
        name: new.name,
        gender: new.gender.or(stored.gender),
        ethnicity: new.ethnicity.or(stored.ethnicity),
        birth_date: new.birth_date.or(stored.birth_date),
        id_number: new.id_number.or(stored.id_number),
        student_no: new.student_no.or(stored.student_no),
        category: new.category.or(stored.category),
        department: new.department.or(stored.department),
        class_name: new.class_name.or(stored.class_name),
        phone: new.phone.or(stored.phone),
        native_place: new.native_place.or(stored.native_place),
        notes: new.notes.or(stored.notes),
        education: new.education.or(stored.education),
        class_year: new.class_year.or(stored.class_year),
        student_level: new.student_level.or(stored.student_level),
        occupation: new.occupation.or(stored.occupation),
        joined_on: new.joined_on.or(stored.joined_on),
    }
}

fn violation_problem(row: u64, v: Violation, spellings: &Roster) -> RowProblem {
    let column = columns::column_for_violation(&v.field).map_or_else(|| v.field.clone(), |c| spellings.spelling(c));
    RowProblem { row, column, reason_zh: v.message_zh, reason_en: v.message_en }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Workspace;
    use crate::domain::{Category, Education, Gender, Occupation, StudentLevel};
    use crate::keys::KdfParams;
    use crate::store::AuditQuery;
    use crate::workspace::NewWorkspace;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let new = NewWorkspace { kdf: KdfParams::FOR_TESTS, ..NewWorkspace::new("passphrase-1", "党委") };
        let mut store = Workspace::at(dir.path().join("ws")).create(&new).unwrap();
        store.set_today("2026-11-24".parse().unwrap());
        (dir, store)
    }

    /// Several batches of rows (of the hand-over between the threads, and of the statements),
    /// with a remainder, and branches first named between them.
    const MANY: usize = 2 * BATCH + 70;

    fn roster(records: Vec<RosterRecord>) -> Roster {
        Roster { rows: records.len() as u64, records, ..Roster::default() }
    }

    fn import(store: &mut Store, records: Vec<RosterRecord>) -> Result<ImportReport> {
        store.import_roster(roster(records), ImportOptions::default(), |_| ControlFlow::Continue(()))
    }

    /// Audit entries are evidence: their text must not change with how they are made. This pins
    /// it, every field and an event with months and a note included.
    #[test]
    fn an_audit_record_keeps_its_exact_text() {
        let person = Person {
            id: Some(7),
            branch_id: 3,
            name: "张\"三".into(),
            gender: Some(Gender::Male),
            ethnicity: Some("汉族".into()),
            birth_date: Some("2001-02-03".parse().unwrap()),
            id_number: Some("11010520010203001X".into()),
            student_no: Some("2024001".into()),
            category: Some(Category::Student),
            department: Some("数学学院".into()),
            class_name: Some("24级1班".into()),
            phone: Some("13800000000".into()),
            native_place: Some("北京".into()),
            notes: Some("两行\n备注".into()),
            ..Person::default()
        };
        let mut extended = ProcedureEvent::new(EventKind::ProbationExtended, "2026-03-01".parse().unwrap());
        extended.months = Some(6);
        extended.note = Some("延长".into());
        let events = [ProcedureEvent::new(EventKind::ApplicationReceived, "2025-01-05".parse().unwrap()), extended];
        assert_eq!(
            audit_json(&person, &events),
            r#"{"person":{"id":"7","branch_id":"3","name":"张\"三","gender":"male","ethnicity":"汉族","birth_date":"2001-02-03","id_number":"11010520010203001X","student_no":"2024001","category":"student","department":"数学学院","class_name":"24级1班","phone":"13800000000","native_place":"北京","notes":"两行\n备注"},"events":["2025-01-05 application_received","2026-03-01 probation_extended 6 延长"]}"#
        );
        let bare = Person { branch_id: 3, name: "李四".into(), ..Person::default() };
        assert_eq!(audit_json(&bare, &[]), r#"{"person":{"branch_id":"3","name":"李四"},"events":[]}"#);
        // The facts statistics count (schema version 5) follow the notes; entries written before
        // them, which lack them, keep their text.
        let counted = Person {
            education: Some(Education::Postgraduate),
            class_year: Some(2024),
            student_level: Some(StudentLevel::Master),
            occupation: Some(Occupation::Manager),
            joined_on: Some("1999-07-01".parse().unwrap()),
            ..bare
        };
        assert_eq!(
            audit_json(&counted, &[]),
            r#"{"person":{"branch_id":"3","name":"李四","education":"postgraduate","class_year":"2024","student_level":"master","occupation":"manager","joined_on":"1999-07-01"},"events":[]}"#
        );
        // What the writing side puts together is the same text.
        assert_eq!(audit_record(Some(7), 3, &audit_json_rest(&person, &events)), audit_json(&person, &events));
    }

    #[test]
    fn every_row_of_many_batches_is_written_once_with_its_own_entry_in_row_order() {
        let (_dir, mut store) = store();
        let records = crate::demo::records(MANY, store.today(), 7);
        let names: Vec<String> = records.iter().map(|r| crate::text::normalized_name(&r.person.name)).collect();
        let before = store.audit_log(&AuditQuery::default()).unwrap().total;
        let report = import(&mut store, records).unwrap();
        assert_eq!((report.created, report.committed), (MANY as u64, true));
        assert!(!report.branches_created.is_empty());
        assert_eq!(store.count_people().unwrap(), MANY as u64);

        let log = store.audit_log(&AuditQuery::default()).unwrap();
        let mut people: Vec<_> = log.entries.iter().filter(|e| e.entity == "people").collect();
        people.sort_by_key(|e| e.seq);
        assert_eq!(people.len(), MANY);
        assert_eq!(log.total - before, (MANY + report.branches_created.len()) as u64);
        let logged: Vec<&str> = people.iter().map(|e| e.member_name.as_deref().unwrap()).collect();
        assert_eq!(logged, names, "one entry per row, in the roster's order");
        let ids: Vec<i64> = people.iter().map(|e| e.member_id.unwrap()).collect();
        assert!(ids.windows(2).all(|w| w[1] == w[0] + 1), "ids given in row order");
        let report = store.verify().unwrap();
        assert!(report.is_ok(), "{report:?}");
    }

    #[test]
    fn problems_batches_apart_are_all_reported_and_nothing_is_saved() {
        let (_dir, mut store) = store();
        let mut records = crate::demo::records(MANY, store.today(), 8);
        let first = records[2].row;
        records[2].person.name = " ".into();
        let repeated = records[10].person.student_no.clone();
        records[BATCH + 5].person.student_no = repeated;
        let (middle, last) = (records[BATCH + 5].row, records[MANY - 3].row);
        records[MANY - 3].person.phone = Some("not a phone".into());
        let before = store.audit_log(&AuditQuery::default()).unwrap().total;

        let Err(Error::ImportRejected { report }) = import(&mut store, records) else { panic!("not refused") };
        let rows: Vec<u64> = report.problems.iter().map(|p| p.row).collect();
        assert_eq!(rows, [first, middle, last]);
        assert!(!report.committed);
        assert_eq!(store.count_people().unwrap(), 0);
        assert_eq!(store.audit_log(&AuditQuery::default()).unwrap().total, before);
    }

    #[test]
    fn an_import_after_an_import_updates_and_logs_only_what_changed() {
        let (_dir, mut store) = store();
        let records = crate::demo::records(MANY, store.today(), 9);
        let mut again = records.clone();
        import(&mut store, records).unwrap();
        let before = store.audit_log(&AuditQuery::default()).unwrap().total;
        again[BATCH + 1].person.phone = Some("13912345678".into());
        let report = import(&mut store, again).unwrap();
        assert_eq!((report.created, report.updated), (0, MANY as u64));
        let log = store.audit_log(&AuditQuery::default()).unwrap();
        assert_eq!(log.total, before + 1, "one entry, for the one row that changed");
        assert_eq!(log.entries[0].action, "update");
        assert!(log.entries[0].new.as_deref().unwrap().contains("13912345678"));
        assert!(store.verify().unwrap().is_ok());
    }
}
