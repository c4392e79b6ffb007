//! Applying a roster to the store: one transaction, every row validated, nothing saved unless
//! every row is good. A person already registered (same identity number, else same student
//! number) is updated, never duplicated.

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;

use serde::Serialize;

use super::columns::{self, Field};
use super::{ImportReport, LikelyDuplicate, Roster, RosterRecord, RowProblem};
use crate::domain::{Event, EventKind, Id, Person};
use crate::store::{self as st, BulkWrite, Finish, Store};
use crate::validate::{self, Context, Violation};
use crate::{Error, Lang, Result};

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

/// How far an import has come, for a progress bar.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export, rename = "ImportProgress"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub done: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub total: u64,
    /// Waiting for another writer (an import in another window, a `dangan` run) to finish.
    pub waiting: bool,
}

/// How long an import waits for another writer before it says so and gives up: long enough for
/// another import of a large roster to finish, short enough that nobody wonders if it hangs.
const WAIT_FOR_WRITER: std::time::Duration = std::time::Duration::from_secs(120);

/// How often progress is reported: often enough for a smooth bar, rarely enough to cost nothing.
const PROGRESS_EVERY: usize = 500;

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
        let visible = self.visible_units(&self.org_tree()?);
        let rules = self.rules().clone();
        let workdays = self.work_calendar().clone();
        let cx = Context { rules: &rules, today: self.today(), workdays: &workdays };
        let total = roster.records.len() as u64;
        // Two borrowers, never at once: the wait for the workspace, then the rows.
        let progress = std::cell::RefCell::new(&mut progress);
        self.bulk_write(
            crate::access::Action::EditMembers,
            WAIT_FOR_WRITER,
            || (progress.borrow_mut())(Progress { done: 0, total, waiting: true }),
            |bulk| apply_all(bulk, roster, options, visible, cx, &mut *progress.borrow_mut()),
        )
    }
}

/// Every row of the roster in one bulk write; says whether to commit.
fn apply_all(
    bulk: &mut BulkWrite<'_>,
    roster: Roster,
    options: ImportOptions,
    visible: Option<HashSet<Id>>,
    cx: Context<'_>,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
) -> Result<(ImportReport, Finish)> {
    let mut report = ImportReport {
        rows: roster.rows,
        ignored_columns: roster.ignored_columns,
        problems: roster.problems,
        ..ImportReport::default()
    };
    let total = roster.records.len() as u64;
    let spellings = Roster { spellings: roster.spellings, ..Roster::default() };
    let mut seen = Seen { visible, duplicates: options.duplicates, ..Seen::default() };
    for (i, record) in roster.records.into_iter().enumerate() {
        if i % PROGRESS_EVERY == 0 && progress(Progress { done: i as u64, total, waiting: false }).is_break() {
            return Err(Error::Cancelled);
        }
        let row = record.row;
        match apply(bulk, record, cx, &mut seen, &mut report, &spellings)? {
            Ok(Outcome::Created) => report.created += 1,
            Ok(Outcome::Skipped) => report.skipped_rows.push(row),
            Ok(Outcome::Updated) => {
                report.updated += 1;
                report.updated_rows.push(row);
            }
            Err(problems) => report.problems.extend(problems),
        }
    }
    if progress(Progress { done: total, total, waiting: false }).is_break() {
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

/// Identity and student numbers met earlier in the same file, with their rows.
#[derive(Default)]
struct Seen {
    id_numbers: HashMap<String, u64>,
    student_nos: HashMap<String, u64>,
    /// The units a branch secretary may import into; `None` when not limited.
    visible: Option<HashSet<Id>>,
    duplicates: Duplicates,
}

fn apply(
    bulk: &mut BulkWrite<'_>,
    record: RosterRecord,
    cx: Context<'_>,
    seen: &mut Seen,
    report: &mut ImportReport,
    spellings: &Roster,
) -> Result<std::result::Result<Outcome, Vec<RowProblem>>> {
    let branches_created = &mut report.branches_created;
    let RosterRecord { row, mut person, branch, events, .. } = record;
    st::normalize(&mut person);
    let mut problems = Vec::new();
    let problem = |field: Field, zh: String, en: String| RowProblem {
        row,
        column: spellings.spelling(columns::column_of(field)),
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

    match bulk.resolve_branch(&branch) {
        Ok(resolved) => {
            if seen.visible.as_ref().is_some_and(|v| !v.contains(&resolved.id)) {
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
    if !problems.is_empty() {
        return Ok(Err(problems));
    }

    let existing = bulk.find_same_person(&person)?;
    if let (Some(id), Some(visible)) = (existing, &seen.visible) {
        let stored_branch = bulk.person(id)?.map(|p| p.branch_id);
        if stored_branch.is_some_and(|b| !visible.contains(&b)) {
            return Ok(Err(vec![problem(
                Field::Name,
                "这一行不能由你导入，请联系组织员".into(),
                "you cannot import this row; ask the organiser".into(),
            )]));
        }
    }
    if existing.is_none() {
        // A new person by their numbers: do they look like someone already here?
        let applied = events.iter().find(|e| e.kind == EventKind::ApplicationReceived).map(|e| e.date);
        if let Some(found) = bulk.lookalike(&person, applied)? {
            report.likely_duplicates.push(likely_duplicate(row, &person, found));
            if seen.duplicates == Duplicates::Skip {
                return Ok(Ok(Outcome::Skipped));
            }
        }
        bulk.remember(&person, applied, row);
    }
    let (person, mut events, outcome, before) = match existing {
        None => (person, events, Outcome::Created, None),
        Some(id) => {
            let stored = bulk.person(id)?.unwrap_or_default();
            let mut merged_events = bulk.events(id)?;
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
        violations.extend(bulk.uniqueness_conflict(&person, seen.visible.as_ref())?);
    }
    if !violations.is_empty() {
        return Ok(Err(violations.into_iter().map(|v| violation_problem(row, v, spellings)).collect()));
    }
    let facts: Vec<crate::deadlines::Fact> = events.iter().map(Into::into).collect();
    for flag in crate::late::late_steps(&facts, cx.rules, cx.workdays) {
        report.late.push(super::RowLate { row, name: person.name.clone(), flag });
    }
    let id = match outcome {
        Outcome::Created => bulk.insert(&person, &st::Derived::of(&person, &events), &events)?,
        Outcome::Updated | Outcome::Skipped => bulk.update(&person, &mut events)?,
    };
    let after = audit_json(&Person { id: Some(id), ..person }, &events);
    if before.as_deref() != Some(after.as_str()) {
        let action = if before.is_some() { "update" } else { "insert" };
        bulk.log_member(id, action, before.as_deref(), &after)?;
    }
    Ok(Ok(outcome))
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
