//! Likely duplicates: a new person who looks like someone already registered, when no identity or
//! student number settles it. Rosters without numbers are common (older registers, hand-made
//! lists); imported twice, they would register everyone twice.
//!
//! Two people look alike when they share the name and the birth date, or the name, the branch and
//! the day the application was received, and no number tells them apart (both have an identity
//! number and the numbers differ, or both a student number and those differ).

use std::collections::HashMap;

use rusqlite::Connection;

use crate::Result;
use crate::calendar::Date;
use crate::domain::{Id, Person};

/// Who a lookalike is: a registered member, or an earlier row of the roster being imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lookalike {
    Member(Id),
    Row(u64),
}

/// What the two share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Likeness {
    NameAndBirth,
    NameBranchAndApplication,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub who: Lookalike,
    pub why: Likeness,
}

#[derive(Debug, Clone)]
struct Entry {
    who: Lookalike,
    birth: Option<Date>,
    branch: Id,
    applied: Option<Date>,
    id_number: Option<String>,
    student_no: Option<String>,
}

/// Everyone registered, by name, with what tells them apart. Built once per import, on its first
/// new person: one pass over `people` instead of an index that every write would pay for.
#[derive(Debug, Default)]
pub(crate) struct Lookalikes {
    by_name: HashMap<String, Vec<Entry>>,
}

impl Lookalikes {
    pub(crate) fn load(conn: &Connection) -> Result<Lookalikes> {
        let mut lookalikes = Lookalikes::default();
        let mut statement = conn.prepare(
            "SELECT p.id, p.name, p.birth_date, p.branch_id, p.id_number, p.student_no,
                    (SELECT min(e.date) FROM events e WHERE e.person_id = p.id AND e.kind = 'application_received')
             FROM people p",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let date = |text: Option<String>| text.and_then(|t| t.parse::<Date>().ok());
            let entry = Entry {
                who: Lookalike::Member(row.get(0)?),
                birth: date(row.get(2)?),
                branch: row.get(3)?,
                id_number: row.get(4)?,
                student_no: row.get(5)?,
                applied: date(row.get(6)?),
            };
            lookalikes.by_name.entry(row.get(1)?).or_default().push(entry);
        }
        Ok(lookalikes)
    }

    /// The first registered person (or earlier row) `person` looks like.
    pub(crate) fn find(&self, person: &Person, applied: Option<Date>) -> Option<Found> {
        let candidates = self.by_name.get(&person.name)?;
        candidates.iter().find_map(|entry| {
            let told_apart =
                differ(&entry.id_number, &person.id_number) || differ(&entry.student_no, &person.student_no);
            if told_apart {
                return None;
            }
            let why = if entry.birth.is_some() && entry.birth == person.birth_date {
                Likeness::NameAndBirth
            } else if entry.branch == person.branch_id && entry.applied.is_some() && entry.applied == applied {
                Likeness::NameBranchAndApplication
            } else {
                return None;
            };
            Some(Found { who: entry.who, why })
        })
    }

    /// Remembers a person the import adds, so a later row repeating them is caught too.
    pub(crate) fn add(&mut self, person: &Person, applied: Option<Date>, who: Lookalike) {
        self.by_name.entry(person.name.clone()).or_default().push(Entry {
            who,
            birth: person.birth_date,
            branch: person.branch_id,
            applied,
            id_number: person.id_number.clone(),
            student_no: person.student_no.clone(),
        });
    }
}

/// Both have the number and the numbers differ: two people.
fn differ(a: &Option<String>, b: &Option<String>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a != b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str, birth: Option<&str>, branch: Id, id_number: Option<&str>) -> Person {
        Person {
            name: name.into(),
            birth_date: birth.map(|b| b.parse().unwrap()),
            branch_id: branch,
            id_number: id_number.map(Into::into),
            ..Person::default()
        }
    }

    fn day(s: &str) -> Option<Date> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn the_same_name_and_birth_date_or_name_branch_and_application_look_alike() {
        let mut known = Lookalikes::default();
        known.add(&person("张三", Some("2004-05-06"), 7, None), day("2026-10-01"), Lookalike::Member(1));
        let same_birth = person("张三", Some("2004-05-06"), 9, None);
        assert_eq!(
            known.find(&same_birth, None),
            Some(Found { who: Lookalike::Member(1), why: Likeness::NameAndBirth })
        );
        let same_branch_and_day = person("张三", None, 7, None);
        assert_eq!(
            known.find(&same_branch_and_day, day("2026-10-01")),
            Some(Found { who: Lookalike::Member(1), why: Likeness::NameBranchAndApplication })
        );
        // Another branch, another day, another birthday, another name: someone else.
        assert_eq!(known.find(&person("张三", None, 8, None), day("2026-10-01")), None);
        assert_eq!(known.find(&person("张三", None, 7, None), day("2026-10-02")), None);
        assert_eq!(known.find(&person("张三", Some("2004-05-07"), 7, None), None), None);
        assert_eq!(known.find(&person("张叁", Some("2004-05-06"), 7, None), None), None);
    }

    #[test]
    fn different_numbers_tell_lookalikes_apart() {
        let mut known = Lookalikes::default();
        known.add(&person("李四", Some("2004-05-06"), 7, Some("11010519491231002X")), None, Lookalike::Row(2));
        assert_eq!(known.find(&person("李四", Some("2004-05-06"), 7, Some("110105194912310037")), None), None);
        // One number missing settles nothing.
        assert!(known.find(&person("李四", Some("2004-05-06"), 7, None), None).is_some());
    }
}
