//! Who a sheet's 姓名 or 学号工号 may mean, in a workspace: everyone read in one pass and looked up
//! in memory. A sheet of dues, study, attendance or meetings names people by a name or a number,
//! and names have no index: asked row by row, each row scanned every person (a sheet of 2,000
//! dues in a workspace of 100,000 people took 36 s). One pass costs about what one row did.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::Result;
use crate::domain::{Id, MembershipStatus};

/// One person as a sheet's look-up needs them.
pub(crate) struct Named {
    pub(crate) id: Id,
    pub(crate) branch_id: Id,
    pub(crate) name: String,
    pub(crate) in_register: bool,
    pub(crate) ended: bool,
}

/// Everyone, by their name and by their student or staff number, each list in number order.
pub(crate) struct SheetPeople {
    by_key: HashMap<String, Vec<Named>>,
}

impl SheetPeople {
    pub(crate) fn read(conn: &Connection) -> Result<SheetPeople> {
        let mut by_key: HashMap<String, Vec<Named>> = HashMap::new();
        let mut stmt = conn.prepare("SELECT id, branch_id, name, student_no, status, ended FROM people ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (id, branch_id, name, number): (Id, Id, String, Option<String>) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let in_register = r.get::<_, String>(4)? == MembershipStatus::InRegister.as_str();
            let ended: bool = r.get(5)?;
            let named = |name: &str| Named { id, branch_id, name: name.to_owned(), in_register, ended };
            // A number that is someone's name too means them once.
            if let Some(number) = number.filter(|n| *n != name) {
                by_key.entry(number).or_default().push(named(&name));
            }
            by_key.entry(name.clone()).or_default().push(named(&name));
        }
        Ok(SheetPeople { by_key })
    }

    /// Those a row's name or number means, as `name = ?1 OR student_no = ?1` finds them, in
    /// number order (the people were read in it), each once.
    pub(crate) fn named(&self, who: &str) -> impl Iterator<Item = &Named> {
        self.by_key.get(who).into_iter().flatten()
    }
}
