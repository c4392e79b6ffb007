//! `dangan dues`: party dues. The monthly amount of a category and base (`rate`, the workspace's
//! rules when one exists, else the shipped ones), a member's base from a month on, months paid or
//! deferred, the ledger, the members in arrears and each branch's summary for a month or a year;
//! in a workspace or on a server alike (`DuesBook`).

use clap::{Args, Subcommand};
use dangan_core::domain::{DuesCategory, Id};
use dangan_core::dues::{self, Month};
use dangan_core::server::ServerSession;
use dangan_core::store::{BranchDues, DuesArrears, DuesBase, DuesLedger, DuesPayment, DuesReceipt};
use dangan_core::{Error, Result, Session};

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
        /// Only if the latest month recorded is this one (YYYY-MM): refused, taking nothing back, when
        /// another worker recorded or took back a month since it was read
        #[arg(long, value_name = "YYYY-MM")]
        month: Option<String>,
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
    fn read(self, book: &mut impl DuesBook) -> Result<(Option<Id>, Month, Month)> {
        let (from, to) = months(self.month, self.year)?;
        let unit = parse::optional(self.branch.as_deref(), |b| book.branch(b))?;
        Ok((unit, from, to))
    }
}

/// Where dues are kept: a workspace, or the shared server (`dangan dues` runs on both).
pub trait DuesBook {
    /// A branch or general branch by name or path.
    fn branch(&mut self, name: &str) -> Result<Id>;
    fn dues_rate(&self, category: DuesCategory, base_fen: i64) -> Result<i64>;
    fn set_dues_base(&mut self, base: DuesBase) -> Result<DuesLedger>;
    fn record_dues(&mut self, payment: DuesPayment) -> Result<DuesLedger>;
    fn undo_dues_month(&mut self, member: Id, seen: Option<Month>) -> Result<DuesLedger>;
    fn dues_ledger(&mut self, member: Id) -> Result<DuesLedger>;
    fn dues_arrears(&mut self, unit: Option<Id>) -> Result<Vec<DuesArrears>>;
    fn import_dues(&mut self, path: &std::path::Path, report: crate::progress::Report<'_>) -> Result<usize>;
    fn dues_receipts(&mut self, unit: Option<Id>, from: Month, to: Month) -> Result<Vec<DuesReceipt>>;
    fn dues_summary(&mut self, unit: Option<Id>, from: Month, to: Month) -> Result<Vec<BranchDues>>;
    fn export_dues(&mut self, period: (Option<Id>, Month, Month), out: &std::path::Path, cx: &Context) -> Result<()>;
}

impl DuesBook for Session {
    fn branch(&mut self, name: &str) -> Result<Id> {
        find_branch(self, name)
    }
    fn dues_rate(&self, category: DuesCategory, base_fen: i64) -> Result<i64> {
        Session::dues_rate(self, category, base_fen)
    }
    fn set_dues_base(&mut self, base: DuesBase) -> Result<DuesLedger> {
        Session::set_dues_base(self, base)
    }
    fn record_dues(&mut self, payment: DuesPayment) -> Result<DuesLedger> {
        Session::record_dues(self, payment)
    }
    fn undo_dues_month(&mut self, member: Id, seen: Option<Month>) -> Result<DuesLedger> {
        Session::undo_dues_month(self, member, seen)
    }
    fn dues_ledger(&mut self, member: Id) -> Result<DuesLedger> {
        Session::dues_ledger(self, member)
    }
    fn dues_arrears(&mut self, unit: Option<Id>) -> Result<Vec<DuesArrears>> {
        Session::dues_arrears(self, unit)
    }
    fn import_dues(&mut self, path: &std::path::Path, report: crate::progress::Report<'_>) -> Result<usize> {
        Session::import_dues(self, path, report)
    }
    fn dues_receipts(&mut self, unit: Option<Id>, from: Month, to: Month) -> Result<Vec<DuesReceipt>> {
        Session::dues_receipts(self, unit, from, to)
    }
    fn dues_summary(&mut self, unit: Option<Id>, from: Month, to: Month) -> Result<Vec<BranchDues>> {
        Session::dues_summary(self, unit, from, to)
    }
    fn export_dues(
        &mut self,
        (unit, from, to): (Option<Id>, Month, Month),
        out: &std::path::Path,
        _: &Context,
    ) -> Result<()> {
        Session::export_dues(self, unit, from, to, out)
    }
}

impl DuesBook for ServerSession {
    fn branch(&mut self, name: &str) -> Result<Id> {
        self.find_unit(name, "branch")
    }
    fn dues_rate(&self, category: DuesCategory, base_fen: i64) -> Result<i64> {
        ServerSession::dues_rate(self, category, base_fen)
    }
    fn set_dues_base(&mut self, base: DuesBase) -> Result<DuesLedger> {
        ServerSession::set_dues_base(self, base)
    }
    fn record_dues(&mut self, payment: DuesPayment) -> Result<DuesLedger> {
        ServerSession::record_dues(self, payment)
    }
    fn undo_dues_month(&mut self, member: Id, seen: Option<Month>) -> Result<DuesLedger> {
        ServerSession::undo_dues_month(self, member, seen)
    }
    fn dues_ledger(&mut self, member: Id) -> Result<DuesLedger> {
        ServerSession::dues_ledger(self, member)
    }
    fn dues_arrears(&mut self, unit: Option<Id>) -> Result<Vec<DuesArrears>> {
        ServerSession::dues_arrears(self, unit)
    }
    fn import_dues(&mut self, path: &std::path::Path, report: crate::progress::Report<'_>) -> Result<usize> {
        ServerSession::import_dues(self, path, report)
    }
    fn dues_receipts(&mut self, unit: Option<Id>, from: Month, to: Month) -> Result<Vec<DuesReceipt>> {
        ServerSession::dues_receipts(self, unit, from, to)
    }
    fn dues_summary(&mut self, unit: Option<Id>, from: Month, to: Month) -> Result<Vec<BranchDues>> {
        ServerSession::dues_summary(self, unit, from, to)
    }
    fn export_dues(
        &mut self,
        (unit, from, to): (Option<Id>, Month, Month),
        out: &std::path::Path,
        cx: &Context,
    ) -> Result<()> {
        ServerSession::export_dues(self, unit, from, to, out, cx.workspace.dir())
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

/// `dangan dues` in a workspace; `rate` needs none (the shipped rules without one).
pub fn dues(action: DuesAction, cx: &Context) -> Result<()> {
    if let DuesAction::Rate { category, base, json } = &action
        && !cx.workspace.exists()
    {
        let (category, base_fen) = (parse::dues_category(category)?, dues::parse_yuan("base", base)?);
        let amount_fen = dues::shipped_dues().monthly_fen(category, base_fen)?;
        return rate(category, base_fen, amount_fen, *json, cx);
    }
    dues_in(action, || cx.unlock(), cx)
}

fn rate(category: DuesCategory, base_fen: i64, amount_fen: i64, as_json: bool, cx: &Context) -> Result<()> {
    if as_json {
        json::dues_rate(category, base_fen, amount_fen)
    } else {
        cx.human.dues_rate(category, base_fen, amount_fen)
    }
}

/// `dangan dues` on a workspace's session or a server's (`open` signs in).
pub fn dues_in<B: DuesBook>(action: DuesAction, open: impl FnOnce() -> Result<B>, cx: &Context) -> Result<()> {
    let mut book = open()?;
    match action {
        DuesAction::Rate { category, base, json } => {
            let category = parse::dues_category(&category)?;
            let base_fen = dues::parse_yuan("base", &base)?;
            // The office's rounding: its rules are the workspace's, or the server's.
            let amount_fen = book.dues_rate(category, base_fen)?;
            rate(category, base_fen, amount_fen, json, cx)
        }
        DuesAction::Base { member, category, base, from } => {
            let base = DuesBase {
                person_id: member,
                category: parse::dues_category(&category)?,
                base_fen: dues::parse_yuan("base", &base)?,
                from_month: parse::month("from", &from)?,
            };
            let ledger = book.set_dues_base(base)?;
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
            let ledger = book.record_dues(payment)?;
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
            let ledger = book.record_dues(payment)?;
            if json { json::print(&ledger) } else { cx.human.dues_ledger(&ledger) }
        }
        DuesAction::Undo { member, month, json } => {
            let seen = month.map(|m| parse::month("month", &m)).transpose()?;
            let ledger = book.undo_dues_month(member, seen)?;
            if json { json::print(&ledger) } else { cx.human.dues_ledger(&ledger) }
        }
        DuesAction::Ledger { member, json } => {
            let ledger = book.dues_ledger(member)?;
            if json { json::print(&ledger) } else { cx.human.dues_ledger(&ledger) }
        }
        DuesAction::Arrears { branch, json } => {
            let unit = parse::optional(branch.as_deref(), |b| book.branch(b))?;
            let arrears = book.dues_arrears(unit)?;
            if json { json::print(&arrears) } else { cx.human.dues_arrears(&arrears) }
        }
        DuesAction::Import { path } => {
            let recorded =
                crate::progress::counted(cx.human.ctrl_c_cancels(), |report| book.import_dues(&path, report))?;
            cx.human.dues_imported(recorded)
        }
        DuesAction::Receipts { period, json } => {
            let (unit, from, to) = period.read(&mut book)?;
            let rows = book.dues_receipts(unit, from, to)?;
            if json { json::print(&rows) } else { cx.human.dues_receipts(&rows) }
        }
        DuesAction::Export { period, out } => {
            let period = period.read(&mut book)?;
            book.export_dues(period, &out, cx)?;
            cx.human.file_written(&out)
        }
        DuesAction::Summary { period, json } => {
            let (unit, from, to) = period.read(&mut book)?;
            let rows = book.dues_summary(unit, from, to)?;
            if json { json::print(&rows) } else { cx.human.dues_summary(from, to, &rows) }
        }
    }
}

fn bad_year(year: i32) -> Error {
    Error::invalid("year", format!("{year} 不是年份"), format!("{year} is not a year"))
}
