//! Applying a roster to the store: one transaction, every row validated, nothing saved unless
//! every row is good. A person already registered (same identity number, else same student
//! number) is updated, never duplicated.

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;

use serde::Serialize;

use super::columns::{self, Field};
use super::{ImportReport, Roster, RosterRecord, RowProblem};
use crate::domain::{Event, Id, Person};
use crate::store::Store;
use crate::store::internal::{self as st, OrgTree};
use crate::validate::{self, Context, Violation};
use crate::{Error, Lang, Result};

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Check everything and report what would happen, then save nothing.
    pub dry_run: bool,
}

/// How far an import has come, for a progress bar.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export, rename = "ImportProgress"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub done: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub total: u64,
}

/// How often progress is reported: often enough for a smooth bar, rarely enough to cost nothing.
const PROGRESS_EVERY: usize = 500;

enum Outcome {
    Created,
    Updated,
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
        progress: impl FnMut(Progress) -> ControlFlow<()>,
    ) -> Result<ImportReport> {
        self.require(crate::access::Action::EditMembers)?;
        // The import logs one audit entry per person itself (`BulkLog`), not one per row.
        // Whatever happens (an error, a panic caught further up), the triggers come back before
        // anything else can write.
        let suspended = st::suspend_audit(st::connection(self), &["people", "events"]);
        let imported = suspended.and_then(|()| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.import_logged(roster, options, progress)))
                .unwrap_or_else(|panic| {
                    let _ = st::resume_audit(st::connection(self));
                    std::panic::resume_unwind(panic)
                })
        });
        st::resume_audit(st::connection(self))?;
        imported
    }

    fn import_logged(
        &mut self,
        roster: Roster,
        options: ImportOptions,
        mut progress: impl FnMut(Progress) -> ControlFlow<()>,
    ) -> Result<ImportReport> {
        let visible = self.visible_units(&self.org_tree()?);
        let rules = self.rules().clone();
        let cx = Context { rules: &rules, today: self.today() };
        let mut report = ImportReport {
            rows: roster.rows,
            ignored_columns: roster.ignored_columns,
            problems: roster.problems,
            ..ImportReport::default()
        };
        let total = roster.records.len() as u64;
        let spellings = Roster { spellings: roster.spellings, ..Roster::default() };
        let tx = st::transaction(self)?;
        let mut tree = OrgTree::load(&tx)?;
        // Into an empty workspace nobody can be registered already: skip the look-ups (people
        // repeated within the file are still caught by `Seen`).
        let first_import = tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM people)", [], |r| r.get::<_, bool>(0))?;
        let log = st::BulkLog::begin(&tx)?;
        let mut seen = Seen { first_import, visible, log: Some(log), ..Seen::default() };
        for (i, record) in roster.records.into_iter().enumerate() {
            if i % PROGRESS_EVERY == 0 && progress(Progress { done: i as u64, total }).is_break() {
                return Err(Error::Cancelled);
            }
            let row = record.row;
            match apply(&tx, &mut tree, record, cx, &mut seen, &mut report.branches_created, &spellings)? {
                Ok(Outcome::Created) => report.created += 1,
                Ok(Outcome::Updated) => {
                    report.updated += 1;
                    report.updated_rows.push(row);
                }
                Err(problems) => report.problems.extend(problems),
            }
        }
        if progress(Progress { done: total, total }).is_break() {
            return Err(Error::Cancelled);
        }
        report.problems.sort_by_key(|p| p.row);
        if !report.problems.is_empty() {
            // Dropping the transaction rolls back every row, branches included.
            return Err(Error::ImportRejected { report: Box::new(report) });
        }
        if options.dry_run {
            tx.rollback()?;
        } else {
            tx.commit()?;
            self.drop_index();
            report.committed = true;
        }
        Ok(report)
    }
}

/// A branch secretary's row for a branch that is not theirs (or that does not exist yet).
fn outside_scope(problem: impl Fn(Field, String, String) -> RowProblem, branch: &str) -> RowProblem {
    problem(
        Field::Branch,
        format!("「{branch}」不在你负责的党支部之内"),
        format!("“{branch}” is not one of your branches"),
    )
}

/// Identity and student numbers met earlier in the same file, with their rows.
#[derive(Default)]
struct Seen {
    id_numbers: HashMap<String, u64>,
    student_nos: HashMap<String, u64>,
    first_import: bool,
    /// The units a branch secretary may import into; `None` when not limited.
    visible: Option<HashSet<Id>>,
    /// Where each imported person's audit entry goes.
    log: Option<st::BulkLog>,
}

fn apply(
    tx: &rusqlite::Transaction<'_>,
    tree: &mut OrgTree,
    record: RosterRecord,
    cx: Context<'_>,
    seen: &mut Seen,
    branches_created: &mut Vec<String>,
    spellings: &Roster,
) -> Result<std::result::Result<Outcome, Vec<RowProblem>>> {
    let RosterRecord { row, mut person, branch, events, .. } = record;
    st::normalize(&mut person);
    let mut problems = Vec::new();
    let problem = |field: Field, zh: String, en: String| RowProblem {
        row,
        column: columns::column_of(field).zh.to_owned(),
        reason_zh: zh,
        reason_en: en,
    };

    for (field, value, map, zh, en) in [
        (Field::IdNumber, &person.id_number, &mut seen.id_numbers, "身份证号", "identity number"),
        (Field::StudentNo, &person.student_no, &mut seen.student_nos, "学号工号", "student number"),
    ] {
        if let Some(value) = value
            && let Some(first) = map.insert(value.clone(), row)
        {
            map.insert(value.clone(), first);
            problems.push(problem(
                field,
                format!("{zh} {value} 与第 {first} 行重复"),
                format!("{en} {value} repeats row {first}"),
            ));
        }
    }

    match st::resolve_branch(tx, tree, &branch) {
        Ok(resolved) => {
            if !resolved.created.is_empty()
                && let Some(log) = seen.log.as_mut()
            {
                log.invalidate(); // the new branches' own entries came first
            }
            if seen.visible.as_ref().is_some_and(|v| !v.contains(&resolved.id)) {
                problems.push(outside_scope(problem, &branch));
            } else {
                person.branch_id = resolved.id;
                branches_created.extend(resolved.created);
            }
        }
        Err(e) => problems.push(problem(Field::Branch, e.message(Lang::Zh), e.message(Lang::En))),
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }

    let existing = if seen.first_import { None } else { st::find_same_person(tx, &person)? };
    if let (Some(id), Some(visible)) = (existing, &seen.visible) {
        let stored_branch = st::load_person(tx, id)?.map(|p| p.branch_id);
        if stored_branch.is_some_and(|b| !visible.contains(&b)) {
            return Ok(Err(vec![problem(
                Field::Name,
                "此人已登记在你负责范围之外的党支部，不能由你修改".into(),
                "this person is registered in a branch outside yours; you cannot change them".into(),
            )]));
        }
    }
    let (person, mut events, outcome, before) = match existing {
        None => (person, events, Outcome::Created, None),
        Some(id) => {
            let stored = st::load_person(tx, id)?.unwrap_or_default();
            let mut merged_events = st::load_events(tx, id)?;
            let before = audit_json(&stored, &merged_events);
            for event in events {
                // A repeated step (a review, a report) is added unless that day's is on file; a
                // one-off step's date is corrected.
                let same = |e: &&mut Event| e.kind == event.kind && (!event.kind.repeats() || e.date == event.date);
                match merged_events.iter_mut().find(same) {
                    Some(old) => {
                        old.date = event.date;
                        old.months = event.months;
                    }
                    None => merged_events.push(event),
                }
            }
            (overlay(stored, person), merged_events, Outcome::Updated, Some(before))
        }
    };
    st::sort_events(&mut events);
    let mut violations = validate::check_member(&person, &events, cx);
    if matches!(outcome, Outcome::Updated) {
        // A new person's numbers were just looked up and found free; an updated person may have
        // been given a number that belongs to someone else.
        violations.extend(st::uniqueness_conflict(tx, &person, seen.visible.as_ref())?);
    }
    if !violations.is_empty() {
        return Ok(Err(violations.into_iter().map(|v| violation_problem(row, v, spellings)).collect()));
    }
    let id = st::write_person(tx, &person, &events)?;
    match outcome {
        Outcome::Created => st::insert_events(tx, id, &mut events)?,
        Outcome::Updated => st::write_events(tx, id, &mut events)?,
    }
    let after = audit_json(&Person { id: Some(id), ..person }, &events);
    if before.as_deref() != Some(after.as_str())
        && let Some(log) = seen.log.as_mut()
    {
        let action = if before.is_some() { "update" } else { "insert" };
        log.member(tx, id, action, before.as_deref(), Some(&after))?;
    }
    Ok(Ok(outcome))
}

/// A person and their events as one audit entry records them, compactly: the person's fields
/// that have a value, and each event as `date kind[ months][ note]`. Written field by field:
/// going through `serde_json::Value` cost a second per 100,000 people.
fn audit_json(person: &Person, events: &[Event]) -> String {
    fn text(out: &mut Vec<u8>, first: &mut bool, key: &str, value: Option<&str>) {
        let Some(value) = value else { return };
        if !std::mem::take(first) {
            out.push(b',');
        }
        let _ = serde_json::to_writer(&mut *out, key);
        out.push(b':');
        let _ = serde_json::to_writer(&mut *out, value);
    }
    let mut out = Vec::with_capacity(512);
    out.extend_from_slice(b"{\"person\":{");
    let mut first = true;
    let (id, branch, birth) =
        (person.id.map(|i| i.to_string()), person.branch_id.to_string(), person.birth_date.map(|d| d.to_string()));
    for (key, value) in [
        ("id", id.as_deref()),
        ("branch_id", Some(branch.as_str())),
        ("name", Some(person.name.as_str())),
        ("gender", person.gender.map(|g| g.as_str())),
        ("ethnicity", person.ethnicity.as_deref()),
        ("birth_date", birth.as_deref()),
        ("id_number", person.id_number.as_deref()),
        ("student_no", person.student_no.as_deref()),
        ("category", person.category.map(|c| c.as_str())),
        ("department", person.department.as_deref()),
        ("class_name", person.class_name.as_deref()),
        ("phone", person.phone.as_deref()),
        ("native_place", person.native_place.as_deref()),
        ("notes", person.notes.as_deref()),
    ] {
        text(&mut out, &mut first, key, value);
    }
    out.extend_from_slice(b"},\"events\":[");
    let mut line = String::new();
    for (i, e) in events.iter().enumerate() {
        line.clear();
        line.push_str(&e.date.to_string());
        line.push(' ');
        line.push_str(e.kind.as_str());
        if let Some(months) = e.months {
            line.push_str(&format!(" {months}"));
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
    }
}

fn violation_problem(row: u64, v: Violation, spellings: &Roster) -> RowProblem {
    let column = columns::column_for_violation(&v.field).map_or_else(|| v.field.clone(), |c| spellings.spelling(c));
    RowProblem { row, column, reason_zh: v.message_zh, reason_en: v.message_en }
}
