//! Who a sheet's 姓名 or 学号工号 may mean, in a workspace: everyone read in one pass and looked up
//! in memory. A sheet of dues, study, attendance or meetings names people by a name or a number,
//! and names have no index: asked row by row, each row scanned every person (a sheet of 2,000
//! dues in a workspace of 100,000 people took 36 s). One pass costs about what one row did, and
//! keeps only those the sheet names: keeping everyone (two keys each) was half of a 2,000-row
//! sheet's time.

use std::collections::{HashMap, HashSet};

use rusqlite::Connection;

use crate::Result;
use crate::domain::{Id, MembershipStatus};

/// One person as a sheet's look-up needs them.
#[derive(Clone)]
pub(crate) struct Named {
    pub(crate) id: Id,
    pub(crate) branch_id: Id,
    pub(crate) name: String,
    pub(crate) in_register: bool,
    pub(crate) ended: bool,
}

/// The people a sheet names, by their name and by their student or staff number, each list in
/// number order.
pub(crate) struct SheetPeople {
    by_key: HashMap<String, Vec<Named>>,
    /// What the sheet's rows name: the only keys [`SheetPeople::named`] may be asked.
    keys: HashSet<String>,
}

impl SheetPeople {
    /// Everyone whose name or number is one of `keys` (each row's 姓名 or 学号工号, as written).
    pub(crate) fn read<'k>(conn: &Connection, keys: impl IntoIterator<Item = &'k str>) -> Result<SheetPeople> {
        let keys: HashSet<String> = keys.into_iter().map(str::to_owned).collect();
        let mut by_key: HashMap<String, Vec<Named>> = HashMap::new();
        let mut stmt = conn.prepare("SELECT id, branch_id, name, student_no, status, ended FROM people ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            // Borrowed from SQLite's row: most people are not on the sheet and cost no copy.
            let name = text(r, 2)?.unwrap_or_default();
            let number = text(r, 3)?.filter(|n| *n != name);
            let by_name = keys.contains(name);
            let by_number = number.is_some_and(|n| keys.contains(n));
            if !by_name && !by_number {
                continue;
            }
            let (id, branch_id): (Id, Id) = (r.get(0)?, r.get(1)?);
            let in_register = text(r, 4)? == Some(MembershipStatus::InRegister.as_str());
            let ended: bool = r.get(5)?;
            let named = Named { id, branch_id, name: name.to_owned(), in_register, ended };
            // A number that is someone's name too means them once (`number` is not their name).
            if let Some(number) = number.filter(|_| by_number) {
                by_key.entry(number.to_owned()).or_default().push(named.clone());
            }
            if by_name {
                by_key.entry(name.to_owned()).or_default().push(named);
            }
        }
        Ok(SheetPeople { by_key, keys })
    }

    /// Those a row's name or number means, as `name = ?1 OR student_no = ?1` finds them, in
    /// number order (the people were read in it), each once. `who` is one of the keys read.
    pub(crate) fn named(&self, who: &str) -> impl Iterator<Item = &Named> {
        debug_assert!(self.keys.contains(who), "{who:?} was not among the sheet's keys");
        self.by_key.get(who).into_iter().flatten()
    }
}

/// Column `i` of `row` as text borrowed from SQLite, or `None` for NULL.
fn text<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<&'r str>> {
    row.get_ref(i)?
        .as_str_or_null()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only those the sheet names are kept, found by name or number as `name = ?1 OR
    /// student_no = ?1` would, each once, in number order.
    #[test]
    fn a_sheet_finds_whom_its_rows_name_by_name_or_number() {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::schema::migrations().to_latest(&mut conn).unwrap();
        super::super::schema::register_new_uid(&conn).unwrap();
        conn.execute_batch(
            "INSERT INTO org_units (id, parent_id, kind, name, uid) VALUES (1, NULL, 'committee', '党委', dangan_new_uid()), (2, 1, 'branch', '一支部', dangan_new_uid());
             INSERT INTO people (id, branch_id, name, pinyin, initials, sort_key, stage, student_no, uid) VALUES
                 (1, 2, '张三', 'zhangsan', 'zs', 'zhangsan', 'applicant', '2026001', dangan_new_uid()),
                 (2, 2, '李四', 'lisi', 'ls', 'lisi', 'applicant', '2026002', dangan_new_uid()),
                 (3, 2, '张三', 'zhangsan', 'zs', 'zhangsan', 'applicant', NULL, dangan_new_uid()),
                 (4, 2, '2026009', 'x', 'x', 'x', 'applicant', '2026009', dangan_new_uid()),
                 (5, 2, '王五', 'wangwu', 'ww', 'wangwu', 'applicant', '张三', dangan_new_uid());",
        )
        .unwrap();
        let people = SheetPeople::read(&conn, ["张三", "2026002", "2026009", "赵六"]).unwrap();
        let ids = |who: &str| people.named(who).map(|p| p.id).collect::<Vec<_>>();
        assert_eq!(ids("张三"), [1, 3, 5], "two by name, one whose number is the name");
        assert_eq!(ids("2026002"), [2]);
        assert_eq!(ids("2026009"), [4], "a number that is their name too means them once");
        assert_eq!(ids("赵六"), Vec::<Id>::new());
        assert_eq!(people.by_key.values().map(Vec::len).sum::<usize>(), 5, "nobody the sheet does not name");
    }
}
