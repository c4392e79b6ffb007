//! Statistics and the annual party statistics report (党内统计年报): every figure derived from the
//! dated steps Dangan keeps, as of any day, for any unit, and every figure opens the list of the
//! people behind it.
//!
//! - `census.rs`: what is known of each person, and the counting rules over it (the stage on a
//!   day, membership from the approval);
//! - `counting.rs`: the rules as data (`rules/statistics.toml`): cut-off, age bands, each table's note;
//! - `table.rs`: one kind of table, whose one rule both counts and lists;
//! - `figures.rs`: the statistics screen's tables as of a day;
//! - `annual.rs`: the annual report and its consistency check.
//!
//! The store reads the census (`store/census.rs`) and keeps it until the next change; this module
//! only counts.

pub(crate) mod annual;
mod census;
mod counting;
pub mod export;
pub(crate) mod figures;
mod table;

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

pub use annual::{AnnualReport, BranchBalance, ConsistencyCheck, Discrepancy};
pub use census::{Census, Counted};
pub use counting::CountingRules;
pub use figures::{BranchStages, StageCounts, Statistics};
pub use table::{Column, Row, ShareOf, Table};

use crate::calendar::Date;
use crate::domain::Id;
use crate::store::OrgTree;
use crate::{Error, Result, Text};

/// What to count: the statistics as of a day, for a unit (its whole subtree), or everything the
/// signed-in user may see.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsQuery {
    /// Today when `None`.
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub as_of: Option<Date>,
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub unit: Option<Id>,
}

/// Which report a cell belongs to.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "report", rename_all = "snake_case")]
pub enum Report {
    Statistics {
        #[cfg_attr(feature = "typescript", ts(type = "string"))]
        as_of: Date,
        #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
        unit: Option<Id>,
    },
    Annual {
        year: i32,
        #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
        unit: Option<Id>,
    },
}

/// One number of a report: the list of the people it counts is this cell's.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellRef {
    #[serde(flatten)]
    pub report: Report,
    pub table: String,
    pub row: String,
    pub column: String,
}

impl CellRef {
    /// Reads the CLI's `TABLE/ROW/COLUMN` (`by_stage/activist/count`, `changes/total/developed`).
    pub fn parse_path(report: Report, path: &str) -> Result<CellRef> {
        let parts: Vec<&str> = path.split('/').map(str::trim).collect();
        match parts.as_slice() {
            [table, row, column] if !table.is_empty() && !row.is_empty() && !column.is_empty() => {
                Ok(CellRef { report, table: (*table).to_owned(), row: (*row).to_owned(), column: (*column).to_owned() })
            }
            _ => Err(Error::invalid(
                "people",
                format!("「{path}」应写作 表/行/列，如 by_stage/activist/count 或 changes/total/developed"),
                format!("“{path}” must be TABLE/ROW/COLUMN, as by_stage/activist/count or changes/total/developed"),
            )),
        }
    }
}

/// What every table of one report counts over: the people in scope and the units' names.
pub struct Scope<'a> {
    pub census: &'a Census,
    pub tree: &'a OrgTree,
    /// The units shown (a subtree, cut to the user's branches); `None` when nothing limits it.
    pub units: Option<HashSet<Id>>,
    pub rules: &'a CountingRules,
}

impl Scope<'_> {
    pub fn people(&self) -> impl Iterator<Item = &Counted> + '_ {
        self.census.people.iter().filter(|p| self.units.as_ref().is_none_or(|u| u.contains(&p.branch_id)))
    }

    /// The branches in scope, as rows keyed by id, in the order of their paths.
    pub fn branch_rows(&self) -> Vec<(Id, String, Text)> {
        let mut rows: Vec<(Id, String, Text)> = self
            .tree
            .units()
            .iter()
            .filter(|u| u.kind == crate::domain::OrgKind::Branch)
            .filter(|u| self.units.as_ref().is_none_or(|units| units.contains(&u.id)))
            .map(|u| {
                let path = self.tree.path(u.id);
                (u.id, u.id.to_string(), Text::new(path.clone(), path))
            })
            .collect();
        rows.sort_by(|a, b| a.2.zh.cmp(&b.2.zh));
        rows
    }

    /// The name of the unit counted: the unit asked for, or the committee.
    /// The name of what is counted: the unit asked for; else the committee, or for a user who
    /// sees only some branches, those branches (a secretary's report is not headed as the
    /// committee's).
    pub fn unit_name(&self, unit: Option<Id>) -> String {
        match (unit, &self.units) {
            (Some(id), _) => self.tree.path(id),
            (None, Some(_)) => {
                self.branch_rows().into_iter().map(|(_, _, label)| label.zh).collect::<Vec<_>>().join("、")
            }
            (None, None) => self.tree.committee().map(|c| c.name.clone()).unwrap_or_default(),
        }
    }
}

/// The people behind one cell, or a clear error naming what does not exist.
pub(crate) fn cell_people(specs: &[table::Spec<'_>], scope: &Scope<'_>, cell: &CellRef) -> Result<Vec<Id>> {
    let Some(spec) = specs.iter().find(|s| s.id == cell.table) else {
        let known: Vec<&str> = specs.iter().map(|s| s.id).collect();
        return Err(Error::invalid(
            "people",
            format!("没有名为「{}」的统计表；可用：{}", cell.table, known.join("、")),
            format!("there is no table “{}”; the tables are {}", cell.table, known.join(", ")),
        ));
    };
    spec.people(scope.people(), &cell.row, &cell.column).ok_or_else(|| {
        let rows: Vec<&str> = spec.rows.iter().map(|(k, _)| k.as_str()).chain(spec.total.then_some("total")).collect();
        let columns: Vec<&str> = spec.columns.iter().map(|c| c.key.as_str()).collect();
        Error::invalid(
            "people",
            format!(
                "统计表「{}」没有行「{}」或列「{}」；行：{}；列：{}",
                cell.table,
                cell.row,
                cell.column,
                rows.join("、"),
                columns.join("、")
            ),
            format!(
                "table “{}” has no row “{}” or column “{}”; rows: {}; columns: {}",
                cell.table,
                cell.row,
                cell.column,
                rows.join(", "),
                columns.join(", ")
            ),
        )
    })
}
