//! The census on the server: everyone this user may read (the policies choose), made into the
//! counted people of the workspace's own statistics (`statistics/`) by the same function from
//! the same columns (`store::census::counted`), so a number means the same on either engine.

use std::collections::HashMap;

use super::{ServerStore, failure};
use crate::Result;
use crate::access::Action;
use crate::calendar::Date;
use crate::domain::{EventKind, Id, MembershipStatus};
use crate::statistics::{Census, Counted};
use crate::store::census::counted;

/// `store::census::CENSUS_COLUMNS`, the dates as ISO text.
const COLUMNS: &str = "id, branch_id, name, gender, ethnicity, birth_date::text, category, education, class_year, \
                       student_level, occupation, joined_on::text";

impl ServerStore {
    /// Everyone this user may read, with the dates of their steps and their membership status's
    /// changes.
    pub(crate) fn census(&mut self) -> Result<Census> {
        self.require(Action::ReadMembers)?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        // One snapshot for the people and their steps: a member moved meanwhile is counted whole
        // on one side, never as an applicant without steps.
        let mut tx = super::snapshot(&mut self.client).map_err(fail)?;
        let rows = tx.query(&format!("SELECT {COLUMNS} FROM dangan.people ORDER BY id"), &[]).map_err(fail)?;
        let mut people: Vec<Counted> = Vec::with_capacity(rows.len());
        let mut slots: HashMap<Id, usize> = HashMap::with_capacity(rows.len());
        for r in &rows {
            let id: Id = r.get(0);
            let class_year = r.get::<_, Option<i32>>(8).and_then(|y| u16::try_from(y).ok());
            let text = |i: usize| r.get::<_, Option<&str>>(i);
            slots.insert(id, people.len());
            people.push(counted(id, r.get(1), r.get(2), class_year, text));
        }
        let steps = tx.query("SELECT person_id, kind, date::text FROM dangan.events", &[]).map_err(fail)?;
        let statuses = tx
            .query("SELECT person_id, status, date::text FROM dangan.status_changes ORDER BY date, id", &[])
            .map_err(fail)?;
        tx.commit().map_err(fail)?;
        for r in &steps {
            let (Some(kind), Ok(date)) = (EventKind::parse(r.get(1)), r.get::<_, &str>(2).parse::<Date>()) else {
                continue;
            };
            if let Some(&at) = slots.get(&r.get::<_, Id>(0)) {
                people[at].note_event(kind, date);
            }
        }
        for r in &statuses {
            let (Some(status), Ok(date)) = (MembershipStatus::parse(r.get(1)), r.get::<_, &str>(2).parse::<Date>())
            else {
                continue;
            };
            if let Some(&at) = slots.get(&r.get::<_, Id>(0)) {
                people[at].statuses.push((date, status));
            }
        }
        Ok(Census { people })
    }
}
