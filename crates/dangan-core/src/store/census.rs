//! The store's half of statistics: reads the census (every person's counted facts and the dates
//! of their steps) once, keeps it until the next change, and answers the statistics, the annual
//! report and the people behind any of their numbers for the units the user may see.

use std::collections::HashSet;

use rusqlite::Connection;

use super::Store;
use super::org::OrgTree;
use super::people::corrupt_row;
use crate::access::Action;
use crate::calendar;
use crate::domain::{Category, Education, EventKind, Gender, Id, MembershipStatus, Occupation, StudentLevel};
use crate::statistics::{self, AnnualReport, CellRef, Census, Counted, CountingRules, Report, Statistics, StatsQuery};
use crate::{Error, Result};

/// Reads everyone: the people, then the events table once in storage order.
pub(super) fn load(conn: &Connection) -> Result<Census> {
    let mut people: Vec<Counted> = Vec::new();
    let mut slots: Vec<Option<usize>> = Vec::new();
    let mut stmt = conn.prepare(&format!("SELECT {CENSUS_COLUMNS} FROM people ORDER BY id"))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: Id = r.get(0)?;
        let text = |i: usize| r.get_ref(i).ok().and_then(|v| v.as_str_or_null().ok().flatten());
        let person = counted(id, r.get(1)?, r.get::<_, String>(2)?, r.get(8)?, text);
        let slot = usize::try_from(id).map_err(|_| corrupt_row("people", id))?;
        if slots.len() <= slot {
            slots.resize(slot + 1, None);
        }
        slots[slot] = Some(people.len());
        people.push(person);
    }
    let mut stmt = conn.prepare("SELECT person_id, id, kind, date FROM events")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (person, id): (Id, Id) = (r.get(0)?, r.get(1)?);
        let kind = r.get_ref(2)?.as_str().ok().and_then(EventKind::parse).ok_or_else(|| corrupt_row("events", id))?;
        let date =
            r.get_ref(3)?.as_str().ok().and_then(calendar::parse_iso).ok_or_else(|| corrupt_row("events", id))?;
        let at = usize::try_from(person).ok().and_then(|slot| slots.get(slot).copied().flatten());
        if let Some(at) = at {
            people[at].note_event(kind, date);
        }
    }
    let mut stmt = conn.prepare("SELECT person_id, id, status, date FROM status_changes ORDER BY date, id")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (person, id): (Id, Id) = (r.get(0)?, r.get(1)?);
        let status = r.get_ref(2)?.as_str().ok().and_then(MembershipStatus::parse);
        let date = r.get_ref(3)?.as_str().ok().and_then(calendar::parse_iso);
        let (Some(status), Some(date)) = (status, date) else { return Err(corrupt_row("status_changes", id)) };
        let at = usize::try_from(person).ok().and_then(|slot| slots.get(slot).copied().flatten());
        if let Some(at) = at {
            people[at].statuses.push((date, status));
        }
    }
    Ok(Census { people })
}

/// The census's columns, as either engine reads them (dates as ISO text).
pub(crate) const CENSUS_COLUMNS: &str = "id, branch_id, name, gender, ethnicity, birth_date, category, education, class_year, student_level, occupation, joined_on";

/// A person as the census counts them, from the columns of [`CENSUS_COLUMNS`]: `text(i)` gives
/// column `i` (3 to 11, but 8, the class year) as text. Their steps are noted afterwards.
pub(crate) fn counted<'r>(
    id: Id,
    branch_id: Id,
    name: String,
    class_year: Option<u16>,
    text: impl Fn(usize) -> Option<&'r str>,
) -> Counted {
    let date = |i: usize| text(i).and_then(calendar::parse_iso);
    Counted {
        id,
        branch_id,
        name: name.into(),
        gender: text(3).and_then(Gender::parse),
        minority: text(4).and_then(minority),
        birth_date: date(5),
        category: text(6).and_then(Category::parse),
        education: text(7).and_then(Education::parse),
        class_year,
        student_level: text(9).and_then(StudentLevel::parse),
        occupation: text(10).and_then(Occupation::parse),
        joined_on: date(11),
        ..Counted::default()
    }
}

/// Whether an ethnicity as written is a minority's: `None` when it says nothing (blank, 无, 未知).
fn minority(ethnicity: &str) -> Option<bool> {
    match ethnicity.trim() {
        "" | "无" | "未知" | "不详" | "-" | "—" => None,
        e if matches!(e, "汉族" | "汉" | "汉族人") || e.eq_ignore_ascii_case("han") => Some(false),
        _ => Some(true),
    }
}

impl Store {
    /// Runs `f` over the census, reading it first if needed.
    fn with_census<T>(&self, f: impl FnOnce(&Census) -> T) -> Result<T> {
        self.forget_others_changes()?;
        let mut slot = self.census.borrow_mut();
        if slot.is_none() {
            *slot = Some(load(&self.conn)?);
        }
        Ok(f(slot.as_ref().expect("read just above")))
    }

    /// Checks the unit asked for and the user's branches, then counts with `f`.
    fn count<T>(&self, unit: Option<Id>, f: impl FnOnce(&statistics::Scope<'_>) -> Result<T>) -> Result<T> {
        self.require(Action::ReadMembers)?;
        let tree = OrgTree::load(&self.conn)?;
        if let Some(unit) = unit.filter(|&u| tree.get(u).is_none()) {
            return Err(Error::invalid("unit", format!("没有编号为 {unit} 的组织"), format!("no unit has id {unit}")));
        }
        let units = self.units_shown(&tree, unit)?;
        let rules = CountingRules::shipped();
        self.with_census(|census| f(&statistics::Scope { census, tree: &tree, units, rules }))?
    }

    /// The statistics as of a day (today by default), for a unit or everything the user may see.
    pub fn statistics(&self, query: &StatsQuery) -> Result<Statistics> {
        let as_of = query.as_of.unwrap_or_else(|| self.today());
        self.count(query.unit, |scope| Ok(statistics::figures::statistics(scope, as_of, query.unit)))
    }

    /// The annual party statistics report of `year`.
    pub fn annual_report(&self, year: i32, unit: Option<Id>) -> Result<AnnualReport> {
        let facts =
            statistics::annual::YearFacts { study: self.study_year(year)?, grades: self.appraisal_grades(year)? };
        self.count(unit, |scope| statistics::annual::annual(scope, year, unit, &facts))
    }

    /// The ids of the people one number counts, in id order.
    pub fn cell_people(&self, cell: &CellRef) -> Result<Vec<Id>> {
        match cell.report {
            Report::Statistics { as_of, unit } => {
                self.count(unit, |scope| statistics::figures::people(scope, as_of, cell))
            }
            Report::Annual { year, unit } => {
                // Only the training table reads the year's study (a grouped read of its meetings,
                // classes and own study), and only the appraisal's its grades: the other numbers'
                // lists need not pay for them.
                let mut facts = statistics::annual::YearFacts::default();
                if cell.table == "training" {
                    facts.study = self.study_year(year)?;
                }
                if cell.table == "appraisal" {
                    facts.grades = self.appraisal_grades(year)?;
                }
                self.count(unit, |scope| statistics::annual::people(scope, year, cell, &facts))
            }
        }
    }

    /// [`Store::cell_people`] as a set, for filtering a list.
    pub(super) fn cell_people_set(&self, cell: &CellRef) -> Result<HashSet<Id>> {
        Ok(self.cell_people(cell)?.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_ethnicity_is_a_minority_unless_han_and_unknown_when_it_says_nothing() {
        use super::minority;
        assert_eq!(minority("汉族"), Some(false));
        assert_eq!(minority(" Han "), Some(false));
        assert_eq!(minority("壮族"), Some(true));
        assert_eq!(minority("未知"), None);
        assert_eq!(minority(""), None);
    }
}
