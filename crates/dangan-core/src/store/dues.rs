//! Party dues as the store keeps them: each member's category and monthly base from a month on
//! (`dues_bases`), one compact row per month paid or deferred (`dues_months`), and two cached
//! months on `people` (the first due, the last of the unbroken run covered) kept in the same
//! transaction, so the arrears scan reads two integers per member. A ledger is always unbroken: a
//! payment starts at the first month not yet covered (or pays a deferred one), never leaving a gap,
//! so "paid up to" (交至) is one month, as the introduction letter prints it.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::Store;
use super::people::{corrupt_row, load_events, load_person, not_found};
use crate::access::Action;
use crate::calendar::{self, Date};
use crate::domain::{DuesCategory, EventKind, Id, MembershipStatus, Stage};
use crate::dues::Month;
use crate::{Error, Result};

/// A member's category and base from a month on.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct DuesBase {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub person_id: Id,
    pub category: DuesCategory,
    /// The monthly pay or pension after tax, in fen (0 for the fixed categories).
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub base_fen: i64,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub from_month: Month,
}

/// One month of a member's ledger.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerMonth {
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub month: Month,
    /// What the month's base and the rules ask.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub due_fen: i64,
    /// What was paid for it (the amount due when it was paid), if paid.
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub paid_fen: Option<i64>,
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub paid_on: Option<Date>,
    /// Paid on the member's behalf by (a classmate, the branch's collector).
    pub paid_by: Option<String>,
    /// Deferred with the branch's approval, and why (hardship).
    pub deferred: Option<String>,
}

/// A member's dues: the base in force and every month from the first due to this month (or the
/// last paid in advance).
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuesLedger {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub member_id: Id,
    pub name: String,
    pub bases: Vec<DuesBase>,
    /// The last month of the unbroken run paid or deferred (交至), if any.
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub paid_through: Option<Month>,
    /// Months due up to last month and neither paid nor deferred.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub months_behind: u32,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub owed_fen: i64,
    pub months: Vec<LedgerMonth>,
}

/// A payment of one or more months in a row, or a deferral of them.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct DuesPayment {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub person_id: Id,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub from_month: Month,
    pub months: u32,
    /// The day paid; `None` with `deferred` for a deferral.
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub paid_on: Option<Date>,
    pub paid_by: Option<String>,
    pub deferred: Option<String>,
}

/// One branch's dues for a month (or a year: the months added up).
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BranchDues {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub branch_id: Id,
    pub branch: String,
    /// Members owing dues in the period (in the register, their first month due reached).
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub members: u32,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub due_fen: i64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub paid_fen: i64,
    /// Member-months paid, and deferred.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub paid_months: u32,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub deferred_months: u32,
    /// Due and neither paid nor deferred.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub outstanding_fen: i64,
}

/// A member behind with their dues: the dashboard's item, with the months and the amount.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuesArrears {
    pub item: crate::deadlines::DeadlineItem,
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub paid_through: Option<Month>,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub months_behind: u32,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub owed_fen: i64,
}

/// One payment as a receipt lists it: who paid, for which months, how much, when, through whom.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuesReceipt {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub person_id: Id,
    pub name: String,
    pub branch: String,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub from_month: Month,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub to_month: Month,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub amount_fen: i64,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub paid_on: Date,
    pub paid_by: Option<String>,
}

/// The most months one payment covers: ten years.
const MAX_MONTHS: u32 = 120;
/// How far ahead dues may be paid: a year.
const MAX_AHEAD: i32 = 12;

/// The month an undo takes back: the member's latest (`latest`), provided it is still the one the
/// user was shown (`seen`, when given). Another worker may have recorded or taken back a month
/// since: taking back whatever is latest now would remove their month, not the one asked about.
pub(crate) fn month_to_undo(latest: Option<Month>, seen: Option<Month>) -> Result<Month> {
    let Some(latest) = latest else {
        return Err(month_error("month", "还没有交纳记录".into(), "no month is recorded yet".into()));
    };
    match seen {
        Some(seen) if seen != latest => Err(month_error(
            "month",
            format!(
                "最近记录的月份已是 {latest}，不是 {seen}（刚有人记录或撤销过）；没有撤销任何月份，请看过账目再撤销"
            ),
            format!(
                "the latest month recorded is now {latest}, not {seen} (someone recorded or took one back meanwhile); nothing was taken back: look at the ledger again first"
            ),
        )),
        _ => Ok(latest),
    }
}

fn month_error(field: &str, zh: String, en: String) -> Error {
    Error::InvalidInput { field: field.into(), reason: crate::Text::new(zh, en) }
}

/// A person's bases, oldest first.
fn load_bases(conn: &Connection, person_id: Id) -> Result<Vec<DuesBase>> {
    let mut stmt = conn.prepare_cached(
        "SELECT category, base_fen, from_month FROM dues_bases WHERE person_id = ?1 ORDER BY from_month",
    )?;
    let rows =
        stmt.query_map([person_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i32>(2)?)))?;
    let mut bases = Vec::new();
    for row in rows {
        let (category, base_fen, from) = row?;
        let category =
            DuesCategory::parse(&category).ok_or_else(|| super::people::corrupt_row("dues_bases", person_id))?;
        bases.push(DuesBase { person_id, category, base_fen, from_month: Month(from) });
    }
    Ok(bases)
}

/// The base in force in a month: the latest from that month or before.
fn base_in(bases: &[DuesBase], month: Month) -> Option<&DuesBase> {
    bases.iter().rev().find(|b| b.from_month <= month)
}

/// The last month of the unbroken run covered from the first month due, `from`: `months` are
/// the months recorded from `from` on, in order. On either engine.
pub(crate) fn unbroken_run(from: Month, months: impl IntoIterator<Item = Month>) -> Option<Month> {
    let mut through = None;
    for (expected, month) in (from.0..).zip(months) {
        if month.0 != expected {
            break;
        }
        through = Some(Month(expected));
    }
    through
}

/// Recomputes the two caches on `people` from the bases and months: the first month due, and
/// the last month of the unbroken run covered from it.
fn refresh_caches(conn: &Connection, person_id: Id) -> Result<(Option<Month>, Option<Month>)> {
    let from: Option<i32> = conn
        .prepare_cached("SELECT min(from_month) FROM dues_bases WHERE person_id = ?1")?
        .query_row([person_id], |r| r.get(0))?;
    let mut through: Option<i32> = None;
    if let Some(from) = from {
        let mut stmt =
            conn.prepare_cached("SELECT month FROM dues_months WHERE person_id = ?1 AND month >= ?2 ORDER BY month")?;
        let months: Vec<Month> = stmt
            .query_map(params![person_id, from], |r| r.get::<_, i32>(0).map(Month))?
            .collect::<rusqlite::Result<_>>()?;
        through = unbroken_run(Month(from), months).map(|m| m.0);
    }
    // Cached: a sheet of dues runs it for every member it names, and the audit log's triggers
    // on `people` make it slow to prepare (0.5 s of 2,000 members' sheet, prepared each time).
    conn.prepare_cached("UPDATE people SET dues_from = ?1, dues_through = ?2 WHERE id = ?3")?
        .execute(params![from, through, person_id])?;
    Ok((from.map(Month), through.map(Month)))
}

/// A month recorded, as the ledger shows it: paid (on a day, perhaps by someone) or deferred.
pub(crate) fn recorded_month(
    month: Month,
    amount_fen: i64,
    paid_on: Option<Date>,
    paid_by: Option<String>,
    deferred: Option<String>,
) -> LedgerMonth {
    LedgerMonth { month, due_fen: amount_fen, paid_fen: paid_on.map(|_| amount_fen), paid_on, paid_by, deferred }
}

/// A member's ledger made from what either engine read: their bases (oldest first), the months
/// recorded (in month order) and their run (the first month due, the last of the unbroken run
/// covered), every month from the first due to this month (or the last paid in advance).
pub(crate) fn ledger_of(
    (member_id, name): (Id, String),
    bases: Vec<DuesBase>,
    paid: Vec<LedgerMonth>,
    (from, through): (Option<Month>, Option<Month>),
    this_month: Month,
    rules: &crate::dues::DuesRules,
) -> Result<DuesLedger> {
    let mut months = Vec::new();
    let mut months_behind = 0;
    let mut owed_fen = 0;
    if let Some(from) = from {
        let last = paid.last().map_or(this_month, |p| p.month.max(this_month));
        let mut month = from;
        while month <= last {
            // `paid` is in month order: a binary search, not a scan per month (a ten-year
            // ledger is 120 months).
            if let Ok(at) = paid.binary_search_by_key(&month.0, |p| p.month.0) {
                months.push(paid[at].clone());
            } else {
                let due_fen = due_in(&bases, month, rules)?;
                if month < this_month {
                    months_behind += 1;
                    owed_fen += due_fen;
                }
                months.push(LedgerMonth {
                    month,
                    due_fen,
                    paid_fen: None,
                    paid_on: None,
                    paid_by: None,
                    deferred: None,
                });
            }
            month = month.next();
        }
    }
    Ok(DuesLedger { member_id, name, bases, paid_through: through, months_behind, owed_fen, months })
}

/// What a month asks under the base in force then (nothing before the first base).
fn due_in(bases: &[DuesBase], month: Month, rules: &crate::dues::DuesRules) -> Result<i64> {
    Ok(base_in(bases, month).map(|b| rules.monthly_fen(b.category, b.base_fen)).transpose()?.unwrap_or(0))
}

/// The months behind and the amount owed, from the first month neither paid nor deferred up to
/// last month (a ledger has no gap: every month after the run is owed). On either engine.
pub(crate) fn behind(
    bases: &[DuesBase],
    first_unpaid: Month,
    this_month: Month,
    rules: &crate::dues::DuesRules,
) -> Result<(u32, i64)> {
    let (mut months_behind, mut owed_fen, mut month) = (0, 0, first_unpaid);
    while month < this_month {
        months_behind += 1;
        owed_fen += due_in(bases, month, rules)?;
        month = month.next();
    }
    Ok((months_behind, owed_fen))
}

/// The rules of a base, on either engine: a member (probationary or full) in the register, a
/// base the rules accept, from the month of their admission on and at most a year ahead.
pub(crate) fn check_base(
    person: &crate::domain::Person,
    events: &[crate::domain::ProcedureEvent],
    status: MembershipStatus,
    base: &DuesBase,
    today: Date,
    rules: &crate::dues::DuesRules,
) -> Result<()> {
    let stage = Stage::of_person(person, events);
    if !matches!(stage, Stage::Probationary | Stage::FullMember) {
        return Err(month_error(
            "member",
            format!("{}是{}，还不交纳党费：党费自支部大会接收为预备党员之月起交纳", person.name, stage.label().zh),
            format!(
                "{} is not a member yet ({}): dues are paid from the month of admission as a probationary member",
                person.name,
                stage.label().en
            ),
        ));
    }
    if status != MembershipStatus::InRegister {
        return Err(month_error(
            "member",
            format!("此人已不在册（{}）", status.zh()),
            format!("this person is out of the register ({})", status.label().en),
        ));
    }
    // Checked by the rules too (a negative base is refused there).
    rules.monthly_fen(base.category, base.base_fen)?;
    let admitted = events.iter().filter(|e| e.kind == EventKind::Admitted).map(|e| e.date).min();
    if let Some(admitted) = admitted.filter(|a| base.from_month < Month::of(*a)) {
        return Err(month_error(
            "from",
            format!(
                "预备党员自支部大会接收之月（{}）起交纳党费，不能从 {} 起",
                Month::of(admitted).zh(),
                base.from_month.zh()
            ),
            format!(
                "a probationary member pays from the month of admission ({}), not from {}",
                Month::of(admitted),
                base.from_month
            ),
        ));
    }
    if base.from_month > Month::of(today).plus(MAX_AHEAD) {
        return Err(month_error(
            "from",
            format!("{} 太远：基数最多提前一年设定", base.from_month.zh()),
            format!("{} is too far ahead: a base is set at most a year ahead", base.from_month),
        ));
    }
    Ok(())
}

impl Store {
    /// A member's ledger: the bases, and every month from the first due to this month (or the
    /// last paid in advance), paid, deferred or owed.
    pub fn dues_ledger(&self, person_id: Id) -> Result<DuesLedger> {
        self.require_member(Action::ReadMembers, person_id)?;
        let person = load_person(&self.conn, person_id)?.ok_or_else(|| not_found(person_id))?;
        let bases = load_bases(&self.conn, person_id)?;
        let mut paid: Vec<LedgerMonth> = Vec::new();
        {
            let mut stmt = self.conn.prepare_cached(
                "SELECT month, amount_fen, paid_on, paid_by, deferred FROM dues_months WHERE person_id = ?1 ORDER BY month",
            )?;
            let rows = stmt.query_map([person_id], |r| {
                Ok((
                    r.get::<_, i32>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })?;
            for row in rows {
                let (month, amount, paid_on, paid_by, deferred) = row?;
                let paid_on = paid_on.as_deref().and_then(calendar::parse_iso);
                paid.push(recorded_month(Month(month), amount, paid_on, paid_by, deferred));
            }
        }
        let run = self.dues_cache(person_id)?;
        ledger_of((person_id, person.name), bases, paid, run, Month::of(self.today()), self.rules.dues())
    }

    fn dues_cache(&self, person_id: Id) -> Result<(Option<Month>, Option<Month>)> {
        let row: Option<(Option<i32>, Option<i32>)> = self
            .conn
            .prepare_cached("SELECT dues_from, dues_through FROM people WHERE id = ?1")?
            .query_row([person_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let (from, through) = row.ok_or_else(|| not_found(person_id))?;
        Ok((from.map(Month), through.map(Month)))
    }

    /// Sets a member's category and base from a month on (a change of pay applies from its month).
    /// A probationary member pays from the month of the branch meeting's admission, not before.
    pub fn set_dues_base(&mut self, base: DuesBase) -> Result<DuesLedger> {
        let tx = self.begin_change()?;
        let person_id = base.person_id;
        self.require_member(Action::EditMembers, person_id)?;
        let person = load_person(&self.conn, person_id)?.ok_or_else(|| not_found(person_id))?;
        let events = load_events(&self.conn, person_id)?;
        let status: String =
            self.conn.query_row("SELECT status FROM people WHERE id = ?1", [person_id], |r| r.get(0))?;
        let status = MembershipStatus::parse(&status).unwrap_or(MembershipStatus::InRegister);
        check_base(&person, &events, status, &base, self.today(), self.rules.dues())?;
        tx.execute(
            "INSERT INTO dues_bases (person_id, category, base_fen, from_month) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (person_id, from_month) DO UPDATE SET category = excluded.category, base_fen = excluded.base_fen",
            params![person_id, base.category.as_str(), base.base_fen, base.from_month.0],
        )?;
        let cache = refresh_caches(&tx, person_id)?;
        tx.commit()?;
        self.dues_changed(person_id, cache);
        self.dues_ledger(person_id)
    }

    /// Records months paid (or deferred, with the reason) in a row. The first must be the first
    /// month not yet covered, or a deferred one: a ledger never has a gap. A month already paid,
    /// a month before the first due, or a payment more than a year ahead is refused.
    pub fn record_dues(&mut self, payment: DuesPayment) -> Result<DuesLedger> {
        let tx = self.begin_change()?;
        let person_id = payment.person_id;
        self.require_member(Action::EditMembers, person_id)?;
        let today = self.today();
        let cache = write_dues(&tx, self.rules.dues(), today, &payment)?;
        tx.commit()?;
        self.dues_changed(person_id, cache);
        self.dues_ledger(person_id)
    }

    /// Records a sheet of payments and deferrals in one transaction: each row names a member the
    /// user may change by student number or by a name only one of them has, and is checked as one
    /// entered by hand, in the sheet's order (a row may pay on from the row before). Every bad row is
    /// named, and any refuses the whole sheet, nothing recorded. Returns how many rows were recorded.
    pub fn import_dues(
        &mut self,
        rows: &[crate::dues::PaymentRow],
        mut problems: crate::roster::sheet::RowProblems,
        progress: &mut dyn FnMut(crate::jobs::Progress) -> std::ops::ControlFlow<()>,
    ) -> Result<usize> {
        let mut count = crate::jobs::RowCount::start(rows.len(), progress)?;
        let tx = self.begin_change_waiting(super::WAIT_FOR_WRITER, || count.waiting())?;
        self.require(Action::EditMembers)?;
        let tree = super::org::OrgTree::load(&self.conn)?;
        let shown = self.visible_units(&tree);
        let today = self.today();
        let mut changed = Vec::new();
        {
            let people = super::sheet_people::SheetPeople::read(&tx, rows.iter().map(|r| r.who.as_str()))?;
            for (done, row) in rows.iter().enumerate() {
                count.at(done)?;
                let found: Vec<Id> = people
                    .named(&row.who)
                    .filter(|p| p.in_register && shown.as_ref().is_none_or(|s| s.contains(&p.branch_id)))
                    .map(|p| p.id)
                    .collect();
                let Some(payment) = row_payment(row, &found, &mut problems) else { continue };
                let person_id = payment.person_id;
                match write_dues(&tx, self.rules.dues(), today, &payment) {
                    Ok(cache) => changed.push((person_id, cache)),
                    Err(e @ (Error::InvalidInput { .. } | Error::Violations { .. })) => {
                        let why = e.text();
                        problems.add(row.row, why.zh, why.en);
                    }
                    Err(other) => return Err(other),
                }
            }
            // Any bad row, or stopped: the transaction is dropped, nothing recorded.
            count.at(rows.len())?;
            problems.refuse()?;
            tx.commit()?;
        }
        for (person_id, cache) in &changed {
            self.dues_changed(*person_id, *cache);
        }
        Ok(changed.len())
    }

    /// Takes back the latest month paid or deferred (recorded in error).
    pub fn undo_dues_month(&mut self, person_id: Id, seen: Option<Month>) -> Result<DuesLedger> {
        let tx = self.begin_change()?;
        self.require_member(Action::EditMembers, person_id)?;
        let latest: Option<i32> =
            tx.query_row("SELECT max(month) FROM dues_months WHERE person_id = ?1", [person_id], |r| r.get(0))?;
        let month = month_to_undo(latest.map(Month), seen)?;
        tx.execute("DELETE FROM dues_months WHERE person_id = ?1 AND month = ?2", params![person_id, month.0])?;
        let cache = refresh_caches(&tx, person_id)?;
        tx.commit()?;
        self.dues_changed(person_id, cache);
        self.dues_ledger(person_id)
    }

    /// After a change of a member's dues: the arrears scan reads the new caches.
    fn dues_changed(&self, person_id: Id, (from, through): (Option<Month>, Option<Month>)) {
        if let Some(life) = self.life.borrow_mut().as_mut() {
            life.dues_changed(person_id, from, through);
        }
        self.census.borrow_mut().take();
    }

    /// The members in arrears (flagged or overdue) under `unit`, the longest behind first.
    pub fn dues_arrears(&self, unit: Option<Id>) -> Result<Vec<DuesArrears>> {
        let query = crate::deadlines::DeadlineQuery {
            branch_id: unit,
            owed_by: Some(crate::deadlines::OwnerKind::Member),
            include_dismissed: true,
            ..Default::default()
        };
        let (rules, this_month) = (self.rules.dues(), Month::of(self.today()));
        let mut out = Vec::new();
        for item in self.deadlines(&query)? {
            if &*item.rule != crate::dues::ArrearsRule::ID {
                continue;
            }
            let Some(member) = item.owner.member_id() else { continue };
            // From the caches and the bases alone: a ledger has no gap, so every month after the
            // cached run and before this one is owed (the whole ledger of thousands of members
            // would be read otherwise).
            let (from, through) = self.dues_cache(member)?;
            let Some(first_unpaid) = through.map(Month::next).or(from) else { continue };
            let bases = load_bases(&self.conn, member)?;
            let (months_behind, owed_fen) = behind(&bases, first_unpaid, this_month, rules)?;
            out.push(DuesArrears { paid_through: through, months_behind, owed_fen, item });
        }
        sort_arrears(&mut out);
        Ok(out)
    }

    /// The payments received on days within the months `from..=to`, for the units the user may
    /// see under `unit`: one line per member, day and payer, by branch and day.
    pub fn dues_receipts(&self, unit: Option<Id>, from: Month, to: Month) -> Result<Vec<DuesReceipt>> {
        self.require(Action::ReadMembers)?;
        let tree = super::org::OrgTree::load(&self.conn)?;
        let shown = self.units_shown(&tree, unit)?;
        let (first, last) = (from.first_day().to_string(), to.next().first_day().to_string());
        // Month by month: one line is a run of consecutive months paid the same day through the
        // same hands (two runs paid together, around deferred months, are two lines).
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.person_id, p.name, p.branch_id, d.month, d.amount_fen, d.paid_on, d.paid_by
             FROM dues_months d JOIN people p ON p.id = d.person_id
             WHERE d.paid_on >= ?1 AND d.paid_on < ?2
             ORDER BY p.branch_id, d.paid_on, p.sort_key, d.person_id, d.paid_by, d.month",
        )?;
        let rows = stmt.query_map(params![first, last], |r| {
            Ok((
                r.get::<_, Id>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Id>(2)?,
                r.get::<_, i32>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })?;
        let mut out: Vec<DuesReceipt> = Vec::new();
        for row in rows {
            let (person_id, name, branch_id, month, amount_fen, paid_on, paid_by) = row?;
            if shown.as_ref().is_some_and(|s| !s.contains(&branch_id)) {
                continue;
            }
            let paid_on = calendar::parse_iso(&paid_on).ok_or_else(|| corrupt_row("dues_months", person_id))?;
            let month_paid = DuesReceipt {
                person_id,
                name,
                branch: String::new(),
                from_month: Month(month),
                to_month: Month(month),
                amount_fen,
                paid_on,
                paid_by,
            };
            add_to_receipts(&mut out, month_paid, || tree.path(branch_id));
        }
        Ok(out)
    }

    /// Each branch's dues for the months `from..=to` (one month, or a year), for the units the
    /// user may see under `unit`: members owing, due, paid, deferred, outstanding.
    pub fn dues_summary(&self, unit: Option<Id>, from: Month, to: Month) -> Result<Vec<BranchDues>> {
        self.require(Action::ReadMembers)?;
        let tree = super::org::OrgTree::load(&self.conn)?;
        let shown = self.units_shown(&tree, unit)?;
        let rules = self.rules.dues();
        // Only the units shown are read: a branch's month is a few dozen rows, not the register.
        let mut sql = String::from(
            "SELECT id, branch_id FROM people WHERE dues_from IS NOT NULL AND dues_from <= ?1 AND status = 'in_register'",
        );
        if let Some(units) = &shown {
            let ids: Vec<String> = units.iter().map(Id::to_string).collect();
            sql.push_str(&format!(" AND branch_id IN ({})", ids.join(",")));
        }
        sql.push_str(" ORDER BY branch_id, id");
        let mut members = self.conn.prepare(&sql)?;
        let rows: Vec<(Id, Id)> =
            members.query_map([to.0], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        let mut months = self.conn.prepare_cached(
            "SELECT month, amount_fen, paid_on IS NOT NULL FROM dues_months WHERE person_id = ?1 AND month BETWEEN ?2 AND ?3",
        )?;
        let mut out: Vec<BranchDues> = Vec::new();
        for (person_id, branch_id) in rows {
            if shown.as_ref().is_some_and(|s| !s.contains(&branch_id)) {
                continue;
            }
            let bases = load_bases(&self.conn, person_id)?;
            let recorded: Vec<(i32, i64, bool)> = months
                .query_map(params![person_id, from.0, to.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            count_member(&mut out, (branch_id, || tree.path(branch_id)), &bases, &recorded, (from, to), rules)?;
        }
        Ok(out)
    }
}

/// Checks and writes one payment or deferral in the caller's transaction; returns the new caches.
pub(crate) fn write_dues(
    conn: &Connection,
    rules: &crate::dues::DuesRules,
    today: Date,
    payment: &DuesPayment,
) -> Result<(Option<Month>, Option<Month>)> {
    let person_id = payment.person_id;
    let person = load_person(conn, person_id)?.ok_or_else(|| not_found(person_id))?;
    let (status, from, through): (String, Option<i32>, Option<i32>) = conn
        .prepare_cached("SELECT status, dues_from, dues_through FROM people WHERE id = ?1")?
        .query_row([person_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    check_payment(&person.name, &status, payment, today)?;
    let run = (from.map(Month), through.map(Month));
    let (start, end) = payment_span(payment);
    let mut existing = conn.prepare_cached(
        "SELECT month, paid_on FROM dues_months WHERE person_id = ?1 AND month BETWEEN ?2 AND ?3 ORDER BY month",
    )?;
    let recorded: Vec<(i32, Option<String>)> = existing
        .query_map(params![person_id, start.0, end.0], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let bases = load_bases(conn, person_id)?;
    let months = payment_months(&person.name, payment, today, rules, run, &recorded, &bases)?;
    let mut write = conn.prepare_cached(
        "INSERT INTO dues_months (person_id, month, amount_fen, paid_on, paid_by, deferred) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (person_id, month) DO UPDATE SET amount_fen = excluded.amount_fen, paid_on = excluded.paid_on,
             paid_by = excluded.paid_by, deferred = excluded.deferred",
    )?;
    let (paid_by, deferred) = (tidied(&payment.paid_by), tidied(&payment.deferred));
    for (month, amount) in months {
        write.execute(params![
            person_id,
            month.0,
            amount,
            payment.paid_on.map(|d| d.to_string()),
            paid_by,
            deferred
        ])?;
    }
    refresh_caches(conn, person_id)
}

/// A payment's payer or a deferral's reason as kept: trimmed, none when blank.
pub(crate) fn tidied(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// The first and the last month a payment or deferral covers.
pub(crate) fn payment_span(payment: &DuesPayment) -> (Month, Month) {
    let months = i32::try_from(payment.months.clamp(1, MAX_MONTHS)).unwrap_or(1);
    (payment.from_month, payment.from_month.plus(months - 1))
}

/// The rules of a payment that need no ledger, on either engine: a member in the register
/// (`status` as kept), 1 to 120 months, plain text, and either a day paid (not after today) or
/// a reason for deferring.
pub(crate) fn check_payment(name: &str, status: &str, payment: &DuesPayment, today: Date) -> Result<()> {
    if status != MembershipStatus::InRegister.as_str() {
        return Err(month_error(
            "member",
            format!("{name}已不在册，不能再记录党费"),
            format!("{name} is out of the register: no dues can be recorded"),
        ));
    }
    if payment.months == 0 || payment.months > MAX_MONTHS {
        return Err(month_error(
            "months",
            format!("月数应为 1 到 {MAX_MONTHS}"),
            format!("the number of months must be 1 to {MAX_MONTHS}"),
        ));
    }
    let deferred = tidied(&payment.deferred);
    crate::text::check_chars("deferred", ("缓交原因", "reason for deferral"), deferred.unwrap_or(""), false)?;
    crate::text::check_chars("paid_by", ("代交人", "paid by"), payment.paid_by.as_deref().unwrap_or(""), false)?;
    match (payment.paid_on, deferred) {
        (Some(day), None) if day > today => Err(month_error(
            "paid_on",
            format!("交纳日期 {day} 晚于今天"),
            format!("the day paid, {day}, is after today"),
        )),
        (Some(_), None) | (None, Some(_)) => Ok(()),
        _ => Err(month_error(
            "deferred",
            "请写交纳日期，或写缓交原因（二者择一）".into(),
            "give either the day paid or the reason for deferring, not both or neither".into(),
        )),
    }
}

/// The months a payment (or deferral) writes, each with what it is due, checked against the
/// member's ledger: their run (first month due, last of the unbroken run covered), the months
/// already recorded in the payment's span (`payment_span`: month and day paid, if paid) and
/// their bases. A ledger never has a gap. On either engine, after [`check_payment`].
pub(crate) fn payment_months(
    name: &str,
    payment: &DuesPayment,
    today: Date,
    rules: &crate::dues::DuesRules,
    (from, through): (Option<Month>, Option<Month>),
    recorded: &[(i32, Option<String>)],
    bases: &[DuesBase],
) -> Result<Vec<(Month, i64)>> {
    let Some(first_due) = from else {
        return Err(month_error(
            "member",
            format!("{name}还没有党费基数：先设定类别和基数（dangan dues base）"),
            format!("{name} has no dues base yet: set the category and base first (dangan dues base)"),
        ));
    };
    let (start, end) = payment_span(payment);
    if start < first_due {
        return Err(month_error(
            "from",
            format!("{} 早于应交起始月 {}", start.zh(), first_due.zh()),
            format!("{start} is before the first month due, {first_due}"),
        ));
    }
    if end > Month::of(today).plus(MAX_AHEAD) {
        return Err(month_error(
            "months",
            format!("最多预交一年（至 {}）", Month::of(today).plus(MAX_AHEAD).zh()),
            format!("dues are paid at most a year ahead (up to {})", Month::of(today).plus(MAX_AHEAD)),
        ));
    }
    let next = through.map_or(first_due, Month::next);
    if let Some((month, paid_on)) = recorded.iter().find(|(_, paid)| paid.is_some()) {
        let (month, day) = (Month(*month), paid_on.clone().unwrap_or_default());
        return Err(month_error(
            "from",
            format!("{} 的党费已于 {day} 交纳", month.zh()),
            format!("{month} is already paid (on {day})"),
        ));
    }
    if tidied(&payment.deferred).is_some() && !recorded.is_empty() {
        let month = Month(recorded[0].0);
        return Err(month_error("from", format!("{} 已缓交", month.zh()), format!("{month} is already deferred")));
    }
    // No gap: the run starts at the first month not covered, or within the deferred ones before it.
    if start > next {
        return Err(month_error(
            "from",
            format!("{} 的党费还没有交：请从 {} 起交纳，或先记为缓交", next.zh(), next.zh()),
            format!("{next} is not paid yet: pay from {next}, or record it as deferred first"),
        ));
    }
    let mut months = Vec::new();
    let mut month = start;
    while month <= end {
        months.push((month, due_in(bases, month, rules)?));
        month = month.next();
    }
    Ok(months)
}

/// The arrears list's order: the longest behind first, then the earliest due.
pub(crate) fn sort_arrears(arrears: &mut [DuesArrears]) {
    arrears.sort_by(|a, b| b.months_behind.cmp(&a.months_behind).then(a.item.due.cmp(&b.item.due)));
}

/// Adds a month paid to the receipts, which come by branch, day, name, payer and month: a run of
/// consecutive months of one member paid the same day through the same hands is one line (two
/// runs paid together, around deferred months, are two). `branch` names a new line's branch.
pub(crate) fn add_to_receipts(out: &mut Vec<DuesReceipt>, paid: DuesReceipt, branch: impl FnOnce() -> String) {
    if let Some(run) = out.last_mut().filter(|r| {
        r.person_id == paid.person_id
            && r.paid_on == paid.paid_on
            && r.paid_by == paid.paid_by
            && r.to_month.next() == paid.from_month
    }) {
        run.to_month = paid.from_month;
        run.amount_fen += paid.amount_fen;
        return;
    }
    out.push(DuesReceipt { branch: branch(), ..paid });
}

/// Counts a member owing dues into their branch's line of a summary of `from..=to` (members come
/// by branch: a new branch starts a line): each month due, paid, deferred or outstanding.
/// `recorded` holds the months in the range recorded: (month, amount, paid). On either engine.
pub(crate) fn count_member(
    out: &mut Vec<BranchDues>,
    (branch_id, branch): (Id, impl FnOnce() -> String),
    bases: &[DuesBase],
    recorded: &[(i32, i64, bool)],
    (from, to): (Month, Month),
    rules: &crate::dues::DuesRules,
) -> Result<()> {
    if out.last().is_none_or(|b| b.branch_id != branch_id) {
        out.push(BranchDues {
            branch_id,
            branch: branch(),
            members: 0,
            due_fen: 0,
            paid_fen: 0,
            paid_months: 0,
            deferred_months: 0,
            outstanding_fen: 0,
        });
    }
    let Some(row) = out.last_mut() else { return Ok(()) };
    row.members += 1;
    let mut month = bases.first().map_or(to.next(), |b| b.from_month).max(from);
    while month <= to {
        match recorded.iter().find(|(m, _, _)| *m == month.0) {
            Some((_, amount, true)) => {
                row.due_fen += amount;
                row.paid_fen += amount;
                row.paid_months += 1;
            }
            recorded => {
                let due = due_in(bases, month, rules)?;
                row.due_fen += due;
                if recorded.is_some() {
                    row.deferred_months += 1;
                } else {
                    row.outstanding_fen += due;
                }
            }
        }
        month = month.next();
    }
    Ok(())
}

/// The payment a sheet's row asks, of the one person it names among `found` (those the user may
/// change who answer to its student number or name); none, with the row's problem noted, when
/// it names nobody or several. On either engine.
pub(crate) fn row_payment(
    row: &crate::dues::PaymentRow,
    found: &[Id],
    problems: &mut crate::roster::sheet::RowProblems,
) -> Option<DuesPayment> {
    let who = crate::text::excerpt(&row.who, 40);
    let person_id = match found {
        [one] => *one,
        [] => {
            problems.add(row.row, format!("在册人员中没有「{who}」"), format!("nobody in the register is “{who}”"));
            return None;
        }
        many => {
            problems.add(
                row.row,
                format!("有 {} 人名为「{who}」，请改用学号工号", many.len()),
                format!("{} people are named “{who}”; give the student number", many.len()),
            );
            return None;
        }
    };
    Some(DuesPayment {
        person_id,
        from_month: row.from_month,
        months: row.months,
        paid_on: if row.deferred.is_some() { None } else { row.paid_on },
        paid_by: row.paid_by.clone(),
        deferred: row.deferred.clone(),
    })
}
