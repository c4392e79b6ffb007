//! The procedure index: every active person's name, unit and dated steps, held in memory for the
//! deadline scan.
//!
//! Reading and parsing the events table is most of a scan's cost (about 0.2 s for 100,000
//! people), and the dashboard, the calendar and every reminder check scan everyone. So the steps
//! are read once, kept compact (a [`Fact`] is 16 bytes), and kept true by the same write paths as
//! the member index: a single person's change re-reads that person; an import drops the index.

use rusqlite::Connection;

use super::people::corrupt_row;
use crate::Result;
use crate::calendar;
use crate::deadlines::Fact;
use crate::domain::{EventKind, Id};

#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) name: Box<str>,
    pub(crate) branch_id: Id,
    pub(crate) facts: Box<[Fact]>,
}

/// Who may still owe a step: someone in the register (`store::status`), not a member whose
/// procedure ended before the records began ([`crate::domain::Person::joined_before_records`], in SQL).
const OWES_STEPS: &str = "status = 'in_register' AND NOT (joined_on IS NOT NULL AND NOT EXISTS (SELECT 1 FROM events e WHERE e.person_id = people.id \
     AND e.kind IN ('admitted', 'conversion_approved')))";

/// Indexed by person id; `None` for ids not in use and for people whose procedure ended.
#[derive(Debug, Default)]
pub(crate) struct ProcedureIndex {
    people: Vec<Option<Entry>>,
}

fn fact_from(r: &rusqlite::Row<'_>) -> Result<(Id, Fact)> {
    let id: Id = r.get(1)?;
    let kind = r.get_ref(2)?.as_str().ok().and_then(EventKind::parse).ok_or_else(|| corrupt_row("events", id))?;
    let date = r.get_ref(3)?.as_str().ok().and_then(calendar::parse_iso).ok_or_else(|| corrupt_row("events", id))?;
    Ok((r.get(0)?, Fact { kind, date, months: r.get(4)? }))
}

fn slot(id: Id) -> usize {
    usize::try_from(id).unwrap_or(0)
}

impl ProcedureIndex {
    /// Reads everyone: the people, then the events table once in storage order (walking the
    /// person index instead looks up every event's row separately).
    pub(crate) fn load(conn: &Connection) -> Result<ProcedureIndex> {
        let mut people: Vec<Option<(Box<str>, Id)>> = Vec::new();
        let mut stmt =
            conn.prepare(&format!("SELECT id, name, branch_id FROM people WHERE ended = 0 AND {OWES_STEPS}"))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id = slot(r.get(0)?);
            if people.len() <= id {
                people.resize(id + 1, None);
            }
            people[id] = Some((r.get::<_, String>(1)?.into(), r.get(2)?));
        }
        let mut facts: Vec<Vec<Fact>> = Vec::new();
        facts.resize_with(people.len(), Vec::new);
        let mut stmt = conn.prepare("SELECT person_id, id, kind, date, months FROM events")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (person, fact) = fact_from(r)?;
            if let Some(list) = facts.get_mut(slot(person)) {
                list.push(fact);
            }
        }
        let people = people
            .into_iter()
            .zip(facts)
            .map(|(person, facts)| {
                person.map(|(name, branch_id)| Entry { name, branch_id, facts: facts.into_boxed_slice() })
            })
            .collect();
        Ok(ProcedureIndex { people })
    }

    /// Re-reads one person (added, changed, ended or deleted).
    pub(crate) fn refresh(&mut self, conn: &Connection, id: Id) -> Result<()> {
        let person: Option<(String, Id)> = conn
            .prepare_cached(&format!(
                "SELECT name, branch_id FROM people WHERE id = ?1 AND ended = 0 AND {OWES_STEPS}"
            ))?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .next()
            .transpose()?;
        let entry = match person {
            None => None,
            Some((name, branch_id)) => {
                let mut stmt =
                    conn.prepare_cached("SELECT person_id, id, kind, date, months FROM events WHERE person_id = ?1")?;
                let mut rows = stmt.query([id])?;
                let mut facts = Vec::new();
                while let Some(r) = rows.next()? {
                    facts.push(fact_from(r)?.1);
                }
                Some(Entry { name: name.into(), branch_id, facts: facts.into_boxed_slice() })
            }
        };
        let at = slot(id);
        if self.people.len() <= at {
            self.people.resize_with(at + 1, || None);
        }
        self.people[at] = entry;
        Ok(())
    }

    /// Every active person with their id.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (Id, &Entry)> {
        self.people.iter().enumerate().filter_map(|(id, e)| e.as_ref().map(|e| (id as Id, e)))
    }

    pub(crate) fn get(&self, id: Id) -> Option<&Entry> {
        self.people.get(slot(id)).and_then(Option::as_ref)
    }
}
