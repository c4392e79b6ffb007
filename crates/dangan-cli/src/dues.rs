//! `dangan dues`: party dues. The monthly amount of a category and base (`rate`, the workspace's
//! rules when one exists, else the shipped ones), a member's base from a month on, months paid or
//! deferred, the ledger, the members in arrears and each branch's summary for a month or a year.

use clap::{Args, Subcommand};
use dangan_core::domain::Id;
use dangan_core::dues::{self, Month};
use dangan_core::store::{DuesBase, DuesPayment};
use dangan_core::{Error, Result};

use crate::commands::Context;
use crate::members::find_branch;
use crate::{json, parse};

#[derive(Subcommand)]
pub enum DuesAction {
    /// The monthly dues of a category and base: salaried|retired|student|unemployed|low_income
    Rate {
        #[arg(long)]
        category: String,
        /// The monthly pay or pension after tax, in yuan (4200 or 4200.50)
        #[arg(long, value_name = "YUAN", default_value = "0")]
        base: String,
        /// Print {category, base_fen, amount_fen, amount} as JSON
        #[arg(long)]
        json: bool,
    },
    /// Set a member's category and base from a month on (a change of pay applies from its month)
    Base {
        #[arg(long, value_name = "ID")]
        member: Id,
        #[arg(long)]
        category: String,
        #[arg(long, value_name = "YUAN", default_value = "0")]
        base: String,
        /// The first month the base applies to (YYYY-MM)
        #[arg(long, value_name = "YYYY-MM")]
        from: String,
    },
    /// Record months paid, in a row from the first month not yet paid
    Pay {
        #[arg(long, value_name = "ID")]
        member: Id,
        #[arg(long, value_name = "YYYY-MM")]
        from: String,
        #[arg(long, default_value_t = 1)]
        months: u32,
        /// The day paid
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        /// Paid on the member's behalf by
        #[arg(long)]
        by: Option<String>,
        /// Print the member's ledger after the payment as JSON
        #[arg(long)]
        json: bool,
    },
    /// Record months deferred with the branch's approval, and why
    Defer {
        #[arg(long, value_name = "ID")]
        member: Id,
        #[arg(long, value_name = "YYYY-MM")]
        from: String,
        #[arg(long, default_value_t = 1)]
        months: u32,
        #[arg(long)]
        reason: String,
        /// Print the member's ledger after the deferral as JSON
        #[arg(long)]
        json: bool,
    },
    /// Take back the latest month paid or deferred
    Undo {
        #[arg(long, value_name = "ID")]
        member: Id,
        /// Print the member's ledger after it as JSON
        #[arg(long)]
        json: bool,
    },
    /// A member's ledger: every month due, paid, deferred or owed
    Ledger {
        #[arg(long, value_name = "ID")]
        member: Id,
        #[arg(long)]
        json: bool,
    },
    /// Members behind with their dues (3 months flagged, 6 overdue: 党章第九条)
    Arrears {
        #[arg(long)]
        branch: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Each branch's dues for a month or a year: members, due, paid, deferred, outstanding
    Summary {
        #[command(flatten)]
        period: Period,
        #[arg(long)]
        json: bool,
    },
    /// Record a sheet of payments and deferrals (.xlsx or .csv: 姓名 or 学号工号, 起始月份, 月数,
    /// 交纳日期, 代交人, 缓交原因): all rows or none, every bad row named
    Import {
        #[arg(value_name = "SHEET")]
        path: std::path::PathBuf,
    },
    /// The payments received in a month or a year, one line each (a receipt list)
    Receipts {
        #[command(flatten)]
        period: Period,
        #[arg(long)]
        json: bool,
    },
    /// Write a month's or a year's dues: the branch summary and the payments as a workbook
    /// (.xlsx), or the receipt list to sign (.pdf)
    Export {
        #[command(flatten)]
        period: Period,
        #[arg(long, value_name = "DUES.xlsx|RECEIPTS.pdf")]
        out: std::path::PathBuf,
    },
}

/// A month or a year of a branch (all the user sees without one).
#[derive(Args)]
pub struct Period {
    /// Only this branch or general branch (name or path)
    #[arg(long)]
    branch: Option<String>,
    #[arg(long, value_name = "YYYY-MM", conflicts_with = "year")]
    month: Option<String>,
    #[arg(long, value_name = "YYYY")]
    year: Option<i32>,
}

impl Period {
    /// The unit and the months `--branch`, `--month` or `--year` name.
    fn read(self, session: &dangan_core::Session) -> Result<(Option<Id>, Month, Month)> {
        let (from, to) = months(self.month, self.year)?;
        let unit = parse::optional(self.branch.as_deref(), |b| find_branch(session, b))?;
        Ok((unit, from, to))
    }
}

/// The months `--month` or `--year` names.
fn months(month: Option<String>, year: Option<i32>) -> Result<(Month, Month)> {
    match (month, year) {
        (Some(one), None) => {
            let one = parse::month("month", &one)?;
            Ok((one, one))
        }
        (None, Some(year)) => {
            let first = Month::new(year, 1).ok_or_else(|| bad_year(year))?;
            Ok((first, first.plus(11)))
        }
        _ => Err(Error::invalid(
            "month",
            "请用 --month YYYY-MM 或 --year YYYY 指定期间",
            "give the period: --month YYYY-MM or --year YYYY",
        )),
    }
}

pub fn dues(action: DuesAction, cx: &Context) -> Result<()> {
    match action {
        DuesAction::Rate { category, base, json } => {
            let category = parse::dues_category(&category)?;
            let base_fen = dues::parse_yuan("base", &base)?;
            // The office's rounding when there is a workspace; the shipped rules otherwise.
            let amount_fen = if cx.workspace.exists() {
                cx.unlock()?.dues_rate(category, base_fen)?
            } else {
                dues::shipped_dues().monthly_fen(category, base_fen)?
            };
            if json {
                json::dues_rate(category, base_fen, amount_fen)
            } else {
                cx.human.dues_rate(category, base_fen, amount_fen)
            }
        }
        DuesAction::Base { member, category, base, from } => {
            let base = DuesBase {
                person_id: member,
                category: parse::dues_category(&category)?,
                base_fen: dues::parse_yuan("base", &base)?,
                from_month: parse::month("from", &from)?,
            };
            let ledger = cx.unlock()?.set_dues_base(base)?;
            cx.human.dues_ledger(&ledger)
        }
        DuesAction::Pay { member, from, months, date, by, json } => {
            let payment = DuesPayment {
                person_id: member,
                from_month: parse::month("from", &from)?,
                months,
                paid_on: Some(parse::date("date", &date)?),
                paid_by: by,
                deferred: None,
            };
            let ledger = cx.unlock()?.record_dues(payment)?;
            if json { json::print(&ledger) } else { cx.human.dues_ledger(&ledger) }
        }
        DuesAction::Defer { member, from, months, reason, json } => {
            let payment = DuesPayment {
                person_id: member,
                from_month: parse::month("from", &from)?,
                months,
                paid_on: None,
                paid_by: None,
                deferred: Some(reason),
            };
            let ledger = cx.unlock()?.record_dues(payment)?;
            if json { json::print(&ledger) } else { cx.human.dues_ledger(&ledger) }
        }
        DuesAction::Undo { member, json } => {
            let ledger = cx.unlock()?.undo_dues_month(member)?;
            if json { json::print(&ledger) } else { cx.human.dues_ledger(&ledger) }
        }
        DuesAction::Ledger { member, json } => {
            let ledger = cx.unlock()?.dues_ledger(member)?;
            if json { json::print(&ledger) } else { cx.human.dues_ledger(&ledger) }
        }
        DuesAction::Arrears { branch, json } => {
            let session = cx.unlock()?;
            let unit = parse::optional(branch.as_deref(), |b| find_branch(&session, b))?;
            let arrears = session.dues_arrears(unit)?;
            if json { json::print(&arrears) } else { cx.human.dues_arrears(&arrears) }
        }
        DuesAction::Import { path } => {
            let recorded = cx.unlock()?.import_dues(&path)?;
            cx.human.dues_imported(recorded)
        }
        DuesAction::Receipts { period, json } => {
            let session = cx.unlock()?;
            let (unit, from, to) = period.read(&session)?;
            let rows = session.dues_receipts(unit, from, to)?;
            if json { json::print(&rows) } else { cx.human.dues_receipts(&rows) }
        }
        DuesAction::Export { period, out } => {
            let session = cx.unlock()?;
            let (unit, from, to) = period.read(&session)?;
            session.export_dues(unit, from, to, &out)?;
            cx.human.file_written(&out)
        }
        DuesAction::Summary { period, json } => {
            let session = cx.unlock()?;
            let (unit, from, to) = period.read(&session)?;
            let rows = session.dues_summary(unit, from, to)?;
            if json { json::print(&rows) } else { cx.human.dues_summary(from, to, &rows) }
        }
    }
}

fn bad_year(year: i32) -> Error {
    Error::invalid("year", format!("{year} 不是年份"), format!("{year} is not a year"))
}
