//! Rosters: the Excel and CSV files offices already keep. A template to fill in, an import that
//! is all or nothing, and an export that re-imports cleanly.
//!
//! Reading is two steps: [`read`] turns a file into [`RosterRecord`]s (naming every cell it cannot
//! understand), then [`Store::import_roster`](crate::Store::import_roster) applies them in one
//! transaction, validating each person with the procedure's rules.

pub mod columns;
mod import;
mod parse;
pub(crate) mod sheet;
mod write;

use std::path::Path;

use serde::Serialize;

pub use import::{Duplicates, ImportOptions};
pub(crate) use import::{RosterTarget, apply_all};
pub(crate) use write::check_export_path;
pub use write::{
    CsvRosterWriter, RowOut, XlsxRosterWriter, export_xlsx, export_xlsx_with_progress, write_records_csv,
    write_records_xlsx, write_template,
};

use crate::Result;
use crate::domain::{Person, ProcedureEvent};

/// One data row of a roster: who, in which branch, and the dated steps it records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRecord {
    /// The spreadsheet row number (the header is row 1).
    pub row: u64,
    pub person: Person,
    /// The branch as the roster writes it: a name, or `总支/支部`.
    pub branch: String,
    pub events: Vec<ProcedureEvent>,
    /// From the extension column; also present in `events` as a dated extension.
    pub extension_months: Option<u32>,
}

/// A cell that could not be accepted.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    /// The spreadsheet row number (the header is row 1).
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub row: u64,
    /// The column's header as the file writes it.
    pub column: String,
    pub reason_zh: String,
    pub reason_en: String,
}

/// What an import did, or would do (a dry run), or why it did nothing.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Data rows read (blank rows are not counted).
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub rows: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub created: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub updated: u64,
    /// Row numbers of the rows that updated a person already registered.
    #[cfg_attr(feature = "typescript", ts(type = "Array<number>"))]
    pub updated_rows: Vec<u64>,
    pub branches_created: Vec<String>,
    /// Headers that match no column; their cells were not imported.
    pub ignored_columns: Vec<String>,
    /// Every problem, by row. Any problem means nothing was imported.
    pub problems: Vec<RowProblem>,
    /// New people who look like someone already registered (or an earlier row): same name and
    /// birth date, or same name, branch and application date, with no identity or student number
    /// telling them apart. [`Duplicates`] says what the import does with them.
    pub likely_duplicates: Vec<LikelyDuplicate>,
    /// Steps the rows record late or out of the usual order (a talk more than a month after the
    /// application, …): warnings beside the errors, for rows that are imported all the same.
    pub late: Vec<RowLate>,
    /// Rows left out because they were likely duplicates and the import was asked to skip them.
    #[cfg_attr(feature = "typescript", ts(type = "Array<number>"))]
    pub skipped_rows: Vec<u64>,
    /// Whether the changes were saved (false for a dry run or a refusal).
    pub committed: bool,
}

/// A late or out-of-order step of one row's person.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowLate {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub row: u64,
    pub name: String,
    pub flag: crate::late::LateStep,
}

/// A row that seems to register someone already registered.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LikelyDuplicate {
    /// The spreadsheet row.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub row: u64,
    pub name: String,
    /// The registered member it resembles, when it is one.
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub member_id: Option<crate::domain::Id>,
    /// The earlier row of the same file it resembles, when it is one.
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub same_as_row: Option<u64>,
    pub reason_zh: String,
    pub reason_en: String,
}

impl ImportReport {
    /// How many distinct rows have problems.
    pub fn problem_rows(&self) -> usize {
        let mut rows: Vec<u64> = self.problems.iter().map(|p| p.row).collect();
        rows.dedup();
        rows.len()
    }
}

/// A roster file read into records, with the problems found while reading.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    pub records: Vec<RosterRecord>,
    pub problems: Vec<RowProblem>,
    pub ignored_columns: Vec<String>,
    pub rows: u64,
    /// How the file spells its headers, by column key, so reports use the user's own words.
    pub spellings: std::collections::HashMap<&'static str, String>,
}

impl Roster {
    /// The header of a column as the file writes it, else its Chinese name.
    pub(crate) fn spelling(&self, column: &columns::Column) -> String {
        self.spellings.get(column.key).cloned().unwrap_or_else(|| column.zh.to_owned())
    }
}

/// Reads a `.xlsx` or `.csv` roster. A file that cannot be read at all is an error; cells that
/// cannot be understood are collected as problems so that every one is reported at once.
pub fn read(path: &Path) -> Result<Roster> {
    let mut header: Option<parse::Header> = None;
    let mut roster = Roster::default();
    sheet::for_each_row(path, |row, cells| {
        let Some(header) = header.as_ref() else {
            let parsed = parse::Header::parse(&cells)?;
            roster.ignored_columns = parsed.ignored.clone();
            roster.spellings = parsed.spellings();
            header = Some(parsed);
            return Ok(());
        };
        match parse::parse_row(header, row, cells) {
            None => {}
            Some(Ok(record)) => {
                roster.rows += 1;
                roster.records.push(record);
            }
            Some(Err(problems)) => {
                roster.rows += 1;
                roster.problems.extend(problems);
            }
        }
        Ok(())
    })?;
    if header.is_none() {
        return Err(crate::Error::RosterUnreadable {
            reason: crate::Text::new("文件是空的，没有表头", "the file is empty: it has no header row"),
        });
    }
    Ok(roster)
}
