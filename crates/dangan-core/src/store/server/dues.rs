//! Party dues on the server (`dangan.dues_bases`, `dangan.dues_months`, version 10): a member's
//! bases and the months paid or deferred, read and changed as their steps are (under the
//! person's branch). Every rule is the workspace's (`store/dues.rs`: `check_base`,
//! `check_payment`, `payment_months`, `ledger_of`, `behind`, `count_member`,
//! `add_to_receipts`), checked with the person locked, so two workers paying one member's dues
//! are checked one after the other; the run a workspace caches on the person is worked out by
//! the server (`dangan.dues_run`).

use std::collections::HashMap;

use postgres::GenericClient;

use super::people::{LoadError, load};
use super::{ServerStore, Statements, branch_path, failure, lost_at_commit};
use crate::access::Action;
use crate::calendar::Date;
use crate::deadlines::DeadlineItem;
use crate::domain::{DuesCategory, Id, current_status};
use crate::dues::{DuesRules, Month};
use crate::store::dues::{
    BranchDues, DuesArrears, DuesBase, DuesLedger, DuesPayment, DuesReceipt, add_to_receipts, behind, check_base,
    check_payment, count_member, ledger_of, month_to_undo, payment_months, payment_span, recorded_month, row_payment,
    sort_arrears, tidied, unbroken_run,
};
use crate::{Error, Result};

/// A member's run as `dangan.dues_run` gives it.
type Run = (Option<Month>, Option<Month>);

impl ServerStore {
    /// A member's ledger, as a workspace gives it.
    pub(crate) fn dues_ledger(&mut self, person_id: Id) -> Result<DuesLedger> {
        self.require(Action::ReadMembers)?;
        let (today, rules) = (self.today(), self.rules().dues().clone());
        let address = self.address.clone();
        let mut tx = super::snapshot(&mut self.client).map_err(|e| failure(e, &address))?;
        let ledger = read_ledger(&mut tx, &mut self.statements, person_id, (today, &rules), &address)?;
        tx.commit().map_err(|e| failure(e, &address))?;
        Ok(ledger)
    }

    /// Sets a member's category and base from a month on, checked as in a workspace.
    pub(crate) fn set_dues_base(&mut self, base: DuesBase) -> Result<DuesLedger> {
        self.require(Action::EditMembers)?;
        let (today, rules) = (self.today(), self.rules().dues().clone());
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = self.client.transaction().map_err(fail)?;
        let person = load(&mut tx, &mut self.statements, base.person_id, true).map_err(|e| e.into_error(&address))?;
        let status = current_status(&person.status_history);
        check_base(&person.person, &person.events, status, &base, today, &rules)?;
        let write = self
            .statements
            .get(
                &mut tx,
                "INSERT INTO dangan.dues_bases (person_id, category, base_fen, from_month) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (person_id, from_month) DO UPDATE SET category = excluded.category, base_fen = excluded.base_fen",
            )
            .map_err(fail)?;
        tx.execute(&write, &[&base.person_id, &base.category.as_str(), &base.base_fen, &base.from_month.0])
            .map_err(fail)?;
        let ledger = read_ledger(&mut tx, &mut self.statements, base.person_id, (today, &rules), &address)?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(ledger)
    }

    /// Records months paid or deferred in a row, checked as in a workspace.
    pub(crate) fn record_dues(&mut self, payment: DuesPayment) -> Result<DuesLedger> {
        self.require(Action::EditMembers)?;
        let (today, rules) = (self.today(), self.rules().dues().clone());
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = self.client.transaction().map_err(fail)?;
        write_payment(&mut tx, &mut self.statements, &payment, today, &rules, &address)?;
        let ledger = read_ledger(&mut tx, &mut self.statements, payment.person_id, (today, &rules), &address)?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(ledger)
    }

    /// Records a sheet of payments and deferrals in one transaction, each row naming someone the
    /// user may change by student number or by a name only one of them has, checked in the
    /// sheet's order (a row may pay on from the row before); any bad row refuses the whole sheet,
    /// every one named. The same checks as one payment's, against the ledgers of everyone the
    /// sheet names read at once (locked) and kept up to date row by row: a handful of round trips
    /// whatever the sheet's length, where a row at a time took five and one per month.
    pub(crate) fn import_dues(
        &mut self,
        rows: &[crate::dues::PaymentRow],
        mut problems: crate::roster::sheet::RowProblems,
        progress: &mut dyn FnMut(crate::jobs::Progress) -> std::ops::ControlFlow<()>,
    ) -> Result<usize> {
        self.require(Action::EditMembers)?;
        let mut count = crate::jobs::RowCount::start(rows.len(), progress)?;
        let (today, rules) = (self.today(), self.rules().dues().clone());
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = self.client.transaction().map_err(fail)?;
        let mut ledgers = SheetLedgers::read(&mut tx, rows).map_err(|e| e.into_error(&address))?;
        let mut recorded = 0;
        for (done, row) in rows.iter().enumerate() {
            count.at(done)?;
            let found = ledgers.named(&row.who);
            let Some(payment) = row_payment(row, &found, &mut problems) else { continue };
            match ledgers.pay(&payment, today, &rules) {
                Ok(()) => recorded += 1,
                Err(e @ (Error::InvalidInput { .. } | Error::Violations { .. })) => {
                    let why = e.text();
                    problems.add(row.row, why.zh, why.en);
                }
                Err(other) => return Err(other),
            }
        }
        // Any bad row, or stopped (until the commit): the transaction is dropped, nothing recorded.
        problems.refuse()?;
        ledgers.write(&mut tx).map_err(fail)?;
        count.at(rows.len())?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(recorded)
    }

    /// Takes back a member's latest month paid or deferred (recorded in error), provided it is
    /// still `seen` (when given): as a workspace does (`month_to_undo`), under the person's lock.
    pub(crate) fn undo_dues_month(&mut self, person_id: Id, seen: Option<Month>) -> Result<DuesLedger> {
        self.require(Action::EditMembers)?;
        let (today, rules) = (self.today(), self.rules().dues().clone());
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = self.client.transaction().map_err(fail)?;
        load(&mut tx, &mut self.statements, person_id, true).map_err(|e| e.into_error(&address))?;
        let latest: Option<i32> = tx
            .query_one("SELECT max(month) FROM dangan.dues_months WHERE person_id = $1", &[&person_id])
            .map_err(fail)?
            .get(0);
        let month = month_to_undo(latest.map(Month), seen)?;
        let delete = self
            .statements
            .get(&mut tx, "DELETE FROM dangan.dues_months WHERE person_id = $1 AND month = $2")
            .map_err(fail)?;
        tx.execute(&delete, &[&person_id, &month.0]).map_err(fail)?;
        let ledger = read_ledger(&mut tx, &mut self.statements, person_id, (today, &rules), &address)?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(ledger)
    }

    /// The members in arrears among the items of the deadline scan (`items`: those of the arrears
    /// rule), each with the months and the amount owed, the longest behind first.
    pub(crate) fn dues_arrears(&mut self, items: Vec<DeadlineItem>) -> Result<Vec<DuesArrears>> {
        let (this_month, rules) = (Month::of(self.today()), self.rules().dues().clone());
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let people: Vec<Id> = items.iter().filter_map(|i| i.owner.member_id()).collect();
        let mut tx = super::snapshot(&mut self.client).map_err(fail)?;
        let mut bases = read_bases(&mut tx, &people).map_err(|e| e.into_error(&address))?;
        let runs: HashMap<Id, Run> = tx
            .query(
                "SELECT p, r.from_month, r.through FROM unnest($1::bigint[]) AS p, LATERAL dangan.dues_run(p) AS r",
                &[&people],
            )
            .map_err(fail)?
            .iter()
            .map(|r| (r.get(0), run_of(r.get(1), r.get(2))))
            .collect();
        tx.commit().map_err(fail)?;
        let mut out = Vec::new();
        for item in items {
            let Some(member) = item.owner.member_id() else { continue };
            let (from, through) = runs.get(&member).copied().unwrap_or_default();
            let Some(first_unpaid) = through.map(Month::next).or(from) else { continue };
            let bases = bases.remove(&member).unwrap_or_default();
            let (months_behind, owed_fen) = behind(&bases, first_unpaid, this_month, &rules)?;
            out.push(DuesArrears { paid_through: through, months_behind, owed_fen, item });
        }
        sort_arrears(&mut out);
        Ok(out)
    }

    /// The payments received on days within the months `from..=to` under `unit` (or all the user
    /// reads), one line per member, day and payer, by branch and day, as a workspace lists them.
    pub(crate) fn dues_receipts(&mut self, unit: Option<Id>, (from, to): (Month, Month)) -> Result<Vec<DuesReceipt>> {
        self.require(Action::ReadMembers)?;
        let all = self.units()?;
        let units = self.wanted_units(&all, unit)?;
        let path_of = |branch: Id| branch_path(&all, branch);
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let (first, last) = (from.first_day().to_string(), to.next().first_day().to_string());
        let rows = self
            .client
            .query(
                "SELECT d.person_id, p.name, p.branch_id, d.month, d.amount_fen, d.paid_on::text, d.paid_by
                 FROM dangan.dues_months d JOIN dangan.people p ON p.id = d.person_id
                 WHERE d.paid_on >= $1::text::date AND d.paid_on < $2::text::date AND d.branch_id = ANY($3)
                 ORDER BY p.branch_id, d.paid_on, p.sort_key, d.person_id, d.paid_by NULLS FIRST, d.month",
                &[&first, &last, &units],
            )
            .map_err(fail)?;
        let mut out = Vec::new();
        for r in rows {
            let person_id: Id = r.get(0);
            let paid_on: Date = r
                .get::<_, String>(5)
                .parse()
                .map_err(|_| LoadError::Corrupt("dues_months", person_id).into_error(&address))?;
            let branch_id: Id = r.get(2);
            let paid = DuesReceipt {
                person_id,
                name: r.get(1),
                branch: String::new(),
                from_month: Month(r.get(3)),
                to_month: Month(r.get(3)),
                amount_fen: r.get(4),
                paid_on,
                paid_by: r.get(6),
            };
            add_to_receipts(&mut out, paid, || path_of(branch_id));
        }
        Ok(out)
    }

    /// Each branch's dues for the months `from..=to` under `unit` (or all the user reads): members
    /// owing, due, paid, deferred, outstanding, as a workspace sums them.
    pub(crate) fn dues_summary(&mut self, unit: Option<Id>, (from, to): (Month, Month)) -> Result<Vec<BranchDues>> {
        self.require(Action::ReadMembers)?;
        let all = self.units()?;
        let units = self.wanted_units(&all, unit)?;
        let path_of = |branch: Id| branch_path(&all, branch);
        let rules = self.rules().dues().clone();
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = super::snapshot(&mut self.client).map_err(fail)?;
        let owing: Vec<(Id, Id)> = tx
            .query(
                "SELECT p.id, p.branch_id FROM dangan.people p
                 WHERE p.status = 'in_register' AND p.branch_id = ANY($2)
                   AND (SELECT min(b.from_month) FROM dangan.dues_bases b WHERE b.person_id = p.id) <= $1
                 ORDER BY p.branch_id, p.id",
                &[&to.0, &units],
            )
            .map_err(fail)?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let people: Vec<Id> = owing.iter().map(|(id, _)| *id).collect();
        let mut bases = read_bases(&mut tx, &people).map_err(|e| e.into_error(&address))?;
        let mut recorded: HashMap<Id, Vec<(i32, i64, bool)>> = HashMap::new();
        for r in tx
            .query(
                "SELECT person_id, month, amount_fen, paid_on IS NOT NULL FROM dangan.dues_months
                 WHERE person_id = ANY($1) AND month BETWEEN $2 AND $3",
                &[&people, &from.0, &to.0],
            )
            .map_err(fail)?
        {
            recorded.entry(r.get(0)).or_default().push((r.get(1), r.get(2), r.get(3)));
        }
        tx.commit().map_err(fail)?;
        let mut out = Vec::new();
        for (person, branch_id) in owing {
            let bases = bases.remove(&person).unwrap_or_default();
            let months = recorded.remove(&person).unwrap_or_default();
            count_member(&mut out, (branch_id, || path_of(branch_id)), &bases, &months, (from, to), &rules)?;
        }
        Ok(out)
    }
}

fn run_of(from: Option<i32>, through: Option<i32>) -> Run {
    (from.map(Month), through.map(Month))
}

/// Checks and writes one payment or deferral in the caller's transaction, the person locked.
fn write_payment(
    tx: &mut postgres::Transaction<'_>,
    statements: &mut Statements,
    payment: &DuesPayment,
    today: Date,
    rules: &DuesRules,
    address: &super::ServerAddress,
) -> Result<()> {
    let fail = |e| failure(e, address);
    let person_id = payment.person_id;
    let person = load(tx, statements, person_id, true).map_err(|e| e.into_error(address))?;
    let status = current_status(&person.status_history);
    check_payment(&person.person.name, status.as_str(), payment, today)?;
    let run = read_run(tx, person_id).map_err(fail)?;
    let (start, end) = payment_span(payment);
    let recorded: Vec<(i32, Option<String>)> = tx
        .query(
            "SELECT month, paid_on::text FROM dangan.dues_months WHERE person_id = $1 AND month BETWEEN $2 AND $3
             ORDER BY month",
            &[&person_id, &start.0, &end.0],
        )
        .map_err(fail)?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let bases = read_bases(tx, &[person_id]).map_err(|e| e.into_error(address))?.remove(&person_id).unwrap_or_default();
    let months = payment_months(&person.person.name, payment, today, rules, run, &recorded, &bases)?;
    let write = statements
        .get(
            tx,
            "INSERT INTO dangan.dues_months (person_id, month, amount_fen, paid_on, paid_by, deferred)
             VALUES ($1, $2, $3, $4::text::date, $5, $6)
             ON CONFLICT (person_id, month) DO UPDATE SET amount_fen = excluded.amount_fen, paid_on = excluded.paid_on,
                 paid_by = excluded.paid_by, deferred = excluded.deferred",
        )
        .map_err(fail)?;
    let (paid_on, paid_by, deferred) =
        (payment.paid_on.map(|d| d.to_string()), tidied(&payment.paid_by), tidied(&payment.deferred));
    for (month, amount) in months {
        tx.execute(&write, &[&person_id, &month.0, &amount, &paid_on, &paid_by, &deferred]).map_err(fail)?;
    }
    Ok(())
}

/// The ledgers of the people a sheet of payments names, read once and locked, kept as the sheet's
/// rows pay into them, and the months to write.
struct SheetLedgers {
    /// Everyone in the register the user may change who answers to a name or number the sheet
    /// gives, by that name or number (in number order), and each one's name by number.
    named: HashMap<String, Vec<Id>>,
    names: HashMap<Id, String>,
    runs: HashMap<Id, Run>,
    /// Each person's months recorded, with the day paid (none when deferred).
    months: HashMap<Id, std::collections::BTreeMap<i32, Option<String>>>,
    bases: HashMap<Id, Vec<DuesBase>>,
    /// The months the sheet records, the last row's word for a month standing (a month deferred
    /// and then paid by a later row is written paid).
    writes: HashMap<(Id, i32), MonthWritten>,
}

/// A month as a sheet records it: the amount due, the day paid, the payer, the deferral's reason.
struct MonthWritten {
    amount: i64,
    paid_on: Option<String>,
    paid_by: Option<String>,
    deferred: Option<String>,
}

impl SheetLedgers {
    fn read(
        tx: &mut postgres::Transaction<'_>,
        rows: &[crate::dues::PaymentRow],
    ) -> std::result::Result<Self, LoadError> {
        let named: Vec<&str> = rows.iter().map(|r| r.who.as_str()).collect();
        let people: Vec<(Id, String, Option<String>)> = tx
            .query(
                "SELECT id, name, student_no FROM dangan.people
                 WHERE (student_no = ANY($1) OR name = ANY($1)) AND status = 'in_register'
                   AND branch_id IN (SELECT dangan.editable_units())
                 ORDER BY id FOR UPDATE",
                &[&named],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        let ids: Vec<Id> = people.iter().map(|p| p.0).collect();
        let mut named: HashMap<String, Vec<Id>> = HashMap::new();
        for (id, name, number) in &people {
            named.entry(name.clone()).or_default().push(*id);
            if let Some(number) = number.as_ref().filter(|n| *n != name) {
                named.entry(number.clone()).or_default().push(*id);
            }
        }
        let names = people.into_iter().map(|(id, name, _)| (id, name)).collect();
        let runs = tx
            .query(
                "SELECT p, r.from_month, r.through FROM unnest($1::bigint[]) AS p, LATERAL dangan.dues_run(p) AS r",
                &[&ids],
            )?
            .iter()
            .map(|r| (r.get(0), run_of(r.get(1), r.get(2))))
            .collect();
        let mut months: HashMap<Id, std::collections::BTreeMap<i32, Option<String>>> = HashMap::new();
        for r in tx.query(
            "SELECT person_id, month, paid_on::text FROM dangan.dues_months WHERE person_id = ANY($1)",
            &[&ids],
        )? {
            months.entry(r.get(0)).or_default().insert(r.get(1), r.get(2));
        }
        let bases = read_bases(tx, &ids)?;
        Ok(SheetLedgers { named, names, runs, months, bases, writes: HashMap::new() })
    }

    /// Who a row's name or number may mean, as one payment's look-up finds them.
    fn named(&self, who: &str) -> Vec<Id> {
        let mut found = self.named.get(who).cloned().unwrap_or_default();
        // A number that is someone else's name: both, in number order, as the query gave them.
        found.sort_unstable();
        found
    }

    /// Checks a payment as one entered by hand is checked (`check_payment`, `payment_months`)
    /// against the ledger as the sheet's earlier rows left it, and records its months.
    fn pay(&mut self, payment: &DuesPayment, today: Date, rules: &DuesRules) -> Result<()> {
        let person_id = payment.person_id;
        let name = self.names.get(&person_id).cloned().unwrap_or_default();
        // Found among those in the register.
        check_payment(&name, crate::domain::MembershipStatus::InRegister.as_str(), payment, today)?;
        let (start, end) = payment_span(payment);
        let ledger = self.months.entry(person_id).or_default();
        let recorded: Vec<(i32, Option<String>)> =
            ledger.range(start.0..=end.0).map(|(month, paid)| (*month, paid.clone())).collect();
        let run = self.runs.get(&person_id).copied().unwrap_or_default();
        let bases = self.bases.get(&person_id).map_or(&[][..], Vec::as_slice);
        let months = payment_months(&name, payment, today, rules, run, &recorded, bases)?;
        let (paid_on, paid_by, deferred) = (
            payment.paid_on.map(|d| d.to_string()),
            tidied(&payment.paid_by).map(str::to_owned),
            tidied(&payment.deferred).map(str::to_owned),
        );
        for (month, amount) in months {
            ledger.insert(month.0, paid_on.clone());
            let written =
                MonthWritten { amount, paid_on: paid_on.clone(), paid_by: paid_by.clone(), deferred: deferred.clone() };
            self.writes.insert((person_id, month.0), written);
        }
        // The run covered, as `dangan.dues_run` and a workspace's cache work it out.
        let (from, through) = run;
        let through = from.map_or(through, |from| unbroken_run(from, ledger.range(from.0..).map(|(m, _)| Month(*m))));
        self.runs.insert(person_id, (from, through));
        Ok(())
    }

    /// Writes every month the sheet records, in one statement.
    fn write(self, tx: &mut postgres::Transaction<'_>) -> std::result::Result<(), postgres::Error> {
        let mut writes: Vec<_> = self.writes.into_iter().collect();
        writes.sort_by_key(|(key, _)| *key);
        let mut columns = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for ((person, month), written) in writes {
            columns.0.push(person);
            columns.1.push(month);
            columns.2.push(written.amount);
            columns.3.push(written.paid_on);
            columns.4.push(written.paid_by);
            columns.5.push(written.deferred);
        }
        tx.execute(
            "INSERT INTO dangan.dues_months (person_id, month, amount_fen, paid_on, paid_by, deferred)
             SELECT w.person_id, w.month, w.amount, w.paid_on::date, w.paid_by, w.deferred
             FROM unnest($1::bigint[], $2::integer[], $3::bigint[], $4::text[], $5::text[], $6::text[])
                  AS w (person_id, month, amount, paid_on, paid_by, deferred)
             ON CONFLICT (person_id, month) DO UPDATE SET amount_fen = excluded.amount_fen, paid_on = excluded.paid_on,
                 paid_by = excluded.paid_by, deferred = excluded.deferred",
            &[&columns.0, &columns.1, &columns.2, &columns.3, &columns.4, &columns.5],
        )?;
        Ok(())
    }
}

/// A member's run as the server works it out.
fn read_run(client: &mut impl GenericClient, person_id: Id) -> std::result::Result<Run, postgres::Error> {
    let row = client.query_one("SELECT from_month, through FROM dangan.dues_run($1)", &[&person_id])?;
    Ok(run_of(row.get(0), row.get(1)))
}

/// The bases of these people, each's oldest first.
fn read_bases(
    client: &mut impl GenericClient,
    people: &[Id],
) -> std::result::Result<HashMap<Id, Vec<DuesBase>>, LoadError> {
    let mut out: HashMap<Id, Vec<DuesBase>> = HashMap::new();
    for r in client.query(
        "SELECT person_id, category, base_fen, from_month FROM dangan.dues_bases WHERE person_id = ANY($1)
         ORDER BY person_id, from_month",
        &[&people],
    )? {
        let person_id: Id = r.get(0);
        let category = DuesCategory::parse(r.get(1)).ok_or(LoadError::Corrupt("dues_bases", person_id))?;
        out.entry(person_id).or_default().push(DuesBase {
            person_id,
            category,
            base_fen: r.get(2),
            from_month: Month(r.get(3)),
        });
    }
    Ok(out)
}

/// A member's ledger as of today, in the caller's transaction.
fn read_ledger(
    tx: &mut postgres::Transaction<'_>,
    statements: &mut Statements,
    person_id: Id,
    (today, rules): (Date, &DuesRules),
    address: &super::ServerAddress,
) -> Result<DuesLedger> {
    let fail = |e| failure(e, address);
    let person = load(tx, statements, person_id, false).map_err(|e| e.into_error(address))?;
    let bases = read_bases(tx, &[person_id]).map_err(|e| e.into_error(address))?.remove(&person_id).unwrap_or_default();
    let mut paid = Vec::new();
    for r in tx
        .query(
            "SELECT month, amount_fen, paid_on::text, paid_by, deferred FROM dangan.dues_months WHERE person_id = $1
             ORDER BY month",
            &[&person_id],
        )
        .map_err(fail)?
    {
        let paid_on = r.get::<_, Option<String>>(2).and_then(|d| d.parse::<Date>().ok());
        paid.push(recorded_month(Month(r.get(0)), r.get(1), paid_on, r.get(3), r.get(4)));
    }
    let run = read_run(tx, person_id).map_err(fail)?;
    ledger_of((person_id, person.person.name), bases, paid, run, Month::of(today), rules)
}
