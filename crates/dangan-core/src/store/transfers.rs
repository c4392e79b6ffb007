//! Transfers out by introduction letter as the store keeps them (`transfer_letters`): issuing one
//! (the member's `transferred_out` status written in the same transaction), the receipt returned,
//! an expired letter reissued or cancelled (the member back in the register). The rules are
//! `transfer.rs`; the open letters' receipts are items of the deadline scan (`life_index.rs`).

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::Store;
use super::org::OrgTree;
use super::people::{corrupt_row, load_events, load_person, not_found};
use super::status::{load_history, write_change};
use super::transfer_requests::{OpenRequest, close_with_letter, open_request_of};
use crate::access::Action;
use crate::calendar::{self, Date};
use crate::domain::{Id, MembershipStatus, Stage, StatusChange, check_status_change};
use crate::dues::Month;
use crate::transfer::{self, LetterState, NewLetter, TransferLetter, TransferRules};
use crate::{Error, Result, Text};

const LETTER_COLUMNS: &str = "l.id, l.person_id, p.name, p.branch_id, l.number, l.destination, l.addressee, \
     l.issued_on, l.validity_days, l.stage, l.dues_through, l.assessment, l.receipt_on, l.cancelled_on, l.reissue_of, \
     (SELECT n.id FROM transfer_letters n WHERE n.reissue_of = l.id)";

fn letter_from(r: &Row<'_>, tree: &OrgTree, today: Date) -> Result<TransferLetter> {
    let id: Id = r.get(0)?;
    let date = |i: usize| -> Result<Option<Date>> {
        let text: Option<String> = r.get(i)?;
        text.map(|t| calendar::parse_iso(&t).ok_or_else(|| corrupt_row("transfer_letters", id))).transpose()
    };
    let issued_on = date(7)?.ok_or_else(|| corrupt_row("transfer_letters", id))?;
    let validity_days: u32 = r.get(8)?;
    let stage: String = r.get(9)?;
    let branch_id: Id = r.get(3)?;
    let mut letter = TransferLetter {
        id,
        person_id: r.get(1)?,
        name: r.get(2)?,
        branch: tree.path(branch_id),
        branch_id,
        number: r.get(4)?,
        destination: r.get(5)?,
        addressee: r.get(6)?,
        issued_on,
        validity_days,
        valid_until: transfer::valid_until(issued_on, validity_days),
        stage: Stage::parse(&stage).ok_or_else(|| corrupt_row("transfer_letters", id))?,
        dues_paid_through: r.get::<_, Option<i32>>(10)?.map(Month),
        assessment: r.get(11)?,
        receipt_on: date(12)?,
        cancelled_on: date(13)?,
        reissue_of: r.get(14)?,
        reissued_as: r.get(15)?,
        state: LetterState::Issued,
    };
    letter.state = letter.state_on(today);
    Ok(letter)
}

/// The next number of the year: `2026-001`, `2026-002`, … `2026-1000`: the highest sequence by
/// its value, not its text (as text, `2026-999` sorts after `2026-1000`).
fn next_number(conn: &Connection, year: i32) -> Result<String> {
    let last: Option<u32> = conn.query_row(
        "SELECT MAX(CAST(substr(number, instr(number, '-') + 1) AS INTEGER)) FROM transfer_letters WHERE number LIKE ?1",
        [format!("{year}-%")],
        |r| r.get(0),
    )?;
    Ok(letter_number(year, last))
}

/// The number of the person's letter still awaiting its receipt (not received, cancelled or
/// replaced), if any.
pub(crate) fn open_letter_of(conn: &Connection, person_id: Id) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT number FROM transfer_letters l WHERE person_id = ?1 AND receipt_on IS NULL AND cancelled_on IS NULL
               AND NOT EXISTS (SELECT 1 FROM transfer_letters n WHERE n.reissue_of = l.id) LIMIT 1",
            [person_id],
            |r| r.get(0),
        )
        .optional()?)
}

pub(crate) fn state_refusal(letter: &TransferLetter, zh: &str, en: &str) -> Error {
    let (state_zh, state_en) = match letter.state {
        LetterState::Issued => ("在有效期内", "still valid"),
        LetterState::Received => ("已收到回执", "already received"),
        LetterState::Expired => ("已过有效期", "expired"),
        LetterState::Reissued => ("已重开", "already reissued"),
        LetterState::Cancelled => ("已作废", "cancelled"),
    };
    Error::invalid(
        "letter",
        format!("介绍信第 {} 号{state_zh}，{zh}", letter.number),
        format!("letter {} is {state_en}: {en}", letter.number),
    )
}

impl Store {
    /// One letter by its id.
    pub fn letter(&self, id: Id) -> Result<TransferLetter> {
        let letter = self.find_letter(id)?;
        self.require_member(Action::ReadMembers, letter.person_id)?;
        Ok(letter)
    }

    pub(super) fn find_letter(&self, id: Id) -> Result<TransferLetter> {
        let tree = OrgTree::load(&self.conn)?;
        let sql = format!(
            "SELECT {LETTER_COLUMNS} FROM transfer_letters l JOIN people p ON p.id = l.person_id WHERE l.id = ?1"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([id])?;
        match rows.next()? {
            Some(r) => letter_from(r, &tree, self.today()),
            None => Err(Error::NotFound {
                what: Text::new(format!("编号为 {id} 的介绍信（从未开具）"), format!("letter {id} (never issued)")),
            }),
        }
    }

    /// The letters the user may see, newest first: of one person, or only those still awaiting
    /// their receipt.
    pub fn letters(&self, person: Option<Id>, open_only: bool) -> Result<Vec<TransferLetter>> {
        self.require(Action::ReadMembers)?;
        let tree = OrgTree::load(&self.conn)?;
        let shown = self.visible_units(&tree);
        let mut sql =
            format!("SELECT {LETTER_COLUMNS} FROM transfer_letters l JOIN people p ON p.id = l.person_id WHERE 1");
        if person.is_some() {
            sql.push_str(" AND l.person_id = ?1");
        }
        if open_only {
            sql.push_str(
                " AND l.receipt_on IS NULL AND l.cancelled_on IS NULL
                  AND NOT EXISTS (SELECT 1 FROM transfer_letters n WHERE n.reissue_of = l.id)",
            );
        }
        sql.push_str(" ORDER BY l.issued_on DESC, l.id DESC");
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = match person {
            Some(p) => stmt.query([p])?,
            None => stmt.query([])?,
        };
        let today = self.today();
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let letter = letter_from(r, &tree, today)?;
            if shown.as_ref().is_none_or(|s| s.contains(&letter.branch_id)) {
                out.push(letter);
            }
        }
        Ok(out)
    }

    /// Issues a letter: the member leaves the register (转出) on its day, in the same transaction.
    /// Refused for someone already out of the register, naming their letter.
    pub fn issue_letter(&mut self, new: NewLetter) -> Result<TransferLetter> {
        let tx = self.begin_change()?;
        let person_id = new.person_id;
        self.require_member(Action::EditMembers, person_id)?;
        let (today, may_approve) = (self.today(), self.may_approve_transfers());
        let id = write_letter(&tx, &self.rules, today, &new, may_approve)?;
        tx.commit()?;
        self.status_changed(person_id)?;
        self.find_letter(id)
    }

    /// Records the receipt the receiving committee returned: the transfer is complete.
    pub fn record_receipt(&mut self, letter_id: Id, date: Date) -> Result<TransferLetter> {
        let letter = self.find_letter(letter_id)?;
        self.require_member(Action::EditMembers, letter.person_id)?;
        check_receipt(&letter, date, self.today())?;
        self.conn.execute(
            "UPDATE transfer_letters SET receipt_on = ?1 WHERE id = ?2",
            params![date.to_string(), letter_id],
        )?;
        self.awaited_changed();
        self.find_letter(letter_id)
    }

    /// Reissues an expired letter with a new number (组通字〔2015〕33号: within six months of its
    /// expiry); the member stays transferred out.
    pub fn reissue_letter(
        &mut self,
        letter_id: Id,
        issued_on: Date,
        validity_days: Option<u32>,
    ) -> Result<TransferLetter> {
        let tx = self.begin_change()?;
        let old = self.find_letter(letter_id)?;
        self.require_member(Action::EditMembers, old.person_id)?;
        let days = check_reissue(&old, issued_on, validity_days, self.rules.transfers(), self.today())?;
        let number = next_number(&tx, calendar_year(issued_on))?;
        let dues: Option<i32> =
            tx.query_row("SELECT dues_through FROM people WHERE id = ?1", [old.person_id], |r| r.get(0))?;
        let change: Option<Id> =
            tx.query_row("SELECT status_change_id FROM transfer_letters WHERE id = ?1", [letter_id], |r| r.get(0))?;
        tx.execute(
            "INSERT INTO transfer_letters (person_id, number, destination, addressee, issued_on, validity_days, stage,
                 dues_through, assessment, reissue_of, status_change_id, package_code)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                old.person_id,
                number,
                old.destination,
                old.addressee,
                issued_on.to_string(),
                days,
                old.stage.as_str(),
                dues,
                old.assessment,
                letter_id,
                change,
                new_code()?
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        self.awaited_changed();
        self.find_letter(id)
    }

    /// Cancels a letter not yet received: the member comes back into the register on `date`.
    pub fn cancel_letter(&mut self, letter_id: Id, date: Date, reason: Option<String>) -> Result<TransferLetter> {
        let tx = self.begin_change()?;
        let letter = self.find_letter(letter_id)?;
        self.require_member(Action::EditMembers, letter.person_id)?;
        let (stage, history) = self.status_facts(letter.person_id)?;
        let back = cancel_change(&letter, date, reason.as_deref(), stage, &history, self.today())?;
        let change_id = write_change(&tx, &back)?;
        tx.execute(
            "UPDATE transfer_letters SET cancelled_on = ?1, cancel_change_id = ?2 WHERE id = ?3",
            params![date.to_string(), change_id, letter_id],
        )?;
        tx.commit()?;
        self.status_changed(letter.person_id)?;
        self.find_letter(letter_id)
    }

    /// Letters with their people, for printing: each one the user may read.
    pub fn letters_to_print(&self, ids: &[Id]) -> Result<(Vec<PrintedLetter>, String)> {
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            let letter = self.letter(id)?;
            let person = load_person(&self.conn, letter.person_id)?.ok_or_else(|| not_found(letter.person_id))?;
            let package_code = letter_code(&self.conn, id)?;
            out.push(PrintedLetter { letter, person, package_code, committee: None });
        }
        let tree = OrgTree::load(&self.conn)?;
        let committee = tree.committee().map(|c| c.name.clone()).unwrap_or_default();
        Ok((out, committee))
    }

    /// The letter a status change belongs to, if any (the 转出 it issued with, or the 在册 its
    /// cancellation wrote): such a change is undone through the letter, never alone.
    pub(crate) fn letter_of_change(&self, change_id: Id) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT number FROM transfer_letters WHERE status_change_id = ?1 OR cancel_change_id = ?1 LIMIT 1",
                [change_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Whether the signed-in user approves transfers (and so may issue a letter without an
    /// approved application).
    pub(super) fn may_approve_transfers(&self) -> bool {
        self.session_user().may.contains(&Action::ApproveTransfers)
    }

    /// After a letter or a correction changes, the life index reads again what is awaited.
    pub(super) fn awaited_changed(&self) {
        if let Some(life) = self.life.borrow_mut().as_mut() {
            life.forget_awaited();
        }
    }
}

/// A letter as printed: with its person, the code its member package opens with, and the
/// committee that issued it when that is not the batch's (on a shared server each letter is its
/// committee's).
pub struct PrintedLetter {
    pub letter: TransferLetter,
    pub person: crate::domain::Person,
    pub package_code: Option<String>,
    pub committee: Option<String>,
}

/// The one-time code of the letter's member package (printed on the letter, grouped), if any.
pub(crate) fn letter_code(conn: &Connection, letter_id: Id) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT package_code FROM transfer_letters WHERE id = ?1", [letter_id], |r| r.get(0))
        .optional()?
        .flatten())
}

/// A fresh package code for a new letter, as printed.
pub(crate) fn new_code() -> Result<String> {
    Ok(crate::package::PackageCode::generate()?.grouped().to_string())
}

fn calendar_year(day: Date) -> i32 {
    use chrono::Datelike;
    day.year()
}

/// A day between the letter's own day and today.
fn check_day(field: &str, date: Date, issued_on: Date, today: Date) -> Result<()> {
    if date > today {
        return Err(Error::invalid(field, format!("日期 {date} 晚于今天"), format!("{date} is after today")));
    }
    if date < issued_on {
        return Err(Error::invalid(
            field,
            format!("日期 {date} 早于介绍信开具日期 {issued_on}"),
            format!("{date} is before the letter was issued ({issued_on})"),
        ));
    }
    Ok(())
}

/// Checks and writes one letter and the member's status change in the caller's transaction;
/// returns the letter's id. The letter closes the member's approved application; one awaiting its
/// decision stops it, and without any application only a user who approves transfers
/// (`may_approve`) issues it.
pub(crate) fn write_letter(
    conn: &Connection,
    rules: &crate::rules::RuleSet,
    today: Date,
    new: &NewLetter,
    may_approve: bool,
) -> Result<Id> {
    let person_id = new.person_id;
    let person = load_person(conn, person_id)?.ok_or_else(|| not_found(person_id))?;
    let events = load_events(conn, person_id)?;
    let stage = Stage::of_person(&person, &events);
    let history = load_history(conn, person_id)?;
    // Its statements are cached: a year's graduates get their letters in one batch.
    let latest_letter: Option<String> = conn
        .prepare_cached("SELECT number FROM transfer_letters WHERE person_id = ?1 ORDER BY id DESC LIMIT 1")?
        .query_row([person_id], |r| r.get(0))
        .optional()?;
    let request = open_request_of(conn, person_id)?;
    let facts = LetterFacts {
        name: &person.name,
        stage,
        history: &history,
        latest_letter,
        open_letter: open_letter_of(conn, person_id)?,
        request: request.as_ref(),
    };
    let checked = check_letter(&facts, new, may_approve, rules, today)?;
    let number = next_number(conn, calendar_year(new.issued_on))?;
    let out = letter_out(&facts, &checked, person_id, &number, new.issued_on, today)?;
    let change_id = write_change(conn, &out)?;
    let dues: Option<i32> =
        conn.prepare_cached("SELECT dues_through FROM people WHERE id = ?1")?.query_row([person_id], |r| r.get(0))?;
    conn.prepare_cached(
        "INSERT INTO transfer_letters (person_id, number, destination, addressee, issued_on, validity_days, stage,
             dues_through, assessment, status_change_id, package_code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        person_id,
        number,
        checked.destination,
        checked.addressee,
        new.issued_on.to_string(),
        checked.days,
        stage.as_str(),
        dues,
        checked.assessment,
        change_id,
        new_code()?
    ])?;
    let letter_id = conn.last_insert_rowid();
    if let Some(request) = request {
        close_with_letter(conn, request.id, letter_id)?;
    }
    Ok(letter_id)
}

/// What a letter is checked against: the person as the store read them, with their latest
/// letter's number, the letter still awaiting its receipt and their open application, if any.
pub(crate) struct LetterFacts<'a> {
    pub(crate) name: &'a str,
    pub(crate) stage: Stage,
    pub(crate) history: &'a [StatusChange],
    pub(crate) latest_letter: Option<String>,
    pub(crate) open_letter: Option<String>,
    pub(crate) request: Option<&'a OpenRequest>,
}

/// A letter as checked: where it goes (an approved application's place when left blank), its
/// validity, addressee and assessment.
pub(crate) struct CheckedLetter {
    pub(crate) destination: String,
    pub(crate) days: u32,
    pub(crate) addressee: String,
    pub(crate) assessment: Option<String>,
}

/// Checks a new letter, on either engine. The letter closes the member's approved application;
/// one awaiting its decision stops it, and without any application only a user who approves
/// transfers (`may_approve`) issues it.
pub(crate) fn check_letter(
    facts: &LetterFacts<'_>,
    new: &NewLetter,
    may_approve: bool,
    rules: &crate::rules::RuleSet,
    today: Date,
) -> Result<CheckedLetter> {
    let name = facts.name;
    if let Some(last) = facts.history.last().filter(|c| c.status != MembershipStatus::InRegister) {
        let (letter_zh, letter_en) = facts
            .latest_letter
            .as_ref()
            .map(|n| (format!("（介绍信第 {n} 号）"), format!(" with letter {n}")))
            .unwrap_or_default();
        return Err(Error::invalid(
            "member",
            format!("{name}已于 {} {}{letter_zh}，不能再开介绍信", calendar::format_zh(last.date), last.status.zh()),
            format!(
                "{name} is already out of the register ({}, {}){letter_en}: no second letter",
                last.status.label().en,
                last.date,
            ),
        ));
    }
    if let Some(number) = &facts.open_letter {
        return Err(Error::invalid(
            "member",
            format!("{name}的介绍信第 {number} 号尚未收到回执：请先记录回执或作废，再开新的介绍信"),
            format!("{name}'s letter {number} awaits its receipt: record it or cancel it before a new letter"),
        ));
    }
    let with_destination;
    let new = match facts.request {
        None if !may_approve => {
            return Err(Error::invalid(
                "member",
                format!("{name}没有已批准的转出申请：支部开具介绍信，须先申请转出并经党委（组织员或管理员）批准"),
                format!(
                    "{name} has no approved application to transfer out: a branch issues the letter after the \
                     application is approved by the committee (an organiser or administrator)"
                ),
            ));
        }
        None => new,
        Some(OpenRequest { approved_on: None, applied_on, .. }) => {
            return Err(Error::invalid(
                "member",
                format!("{name}的转出申请（{}）尚待审批：批准后才能开具介绍信", calendar::format_zh(*applied_on)),
                format!("{name}'s application of {applied_on} awaits its decision: approve it before the letter"),
            ));
        }
        Some(OpenRequest { approved_on: Some(approved), .. }) if new.issued_on < *approved => {
            return Err(Error::invalid(
                "date",
                format!(
                    "开具日期 {} 早于转出申请的批准日期 {}",
                    calendar::format_zh(new.issued_on),
                    calendar::format_zh(*approved)
                ),
                format!("the day issued, {}, is before the application's approval, {approved}", new.issued_on),
            ));
        }
        // The letter goes where the approved application asked: left blank, it is filled in; only
        // those who approve transfers may write another place.
        Some(open) if new.destination.trim().is_empty() => {
            with_destination = NewLetter { destination: open.destination.clone(), ..new.clone() };
            &with_destination
        }
        Some(open) if !may_approve && new.destination.trim() != open.destination => {
            return Err(Error::invalid(
                "to",
                format!("转出申请批准转往「{}」，介绍信不能改开往别处：须重新申请并经批准", open.destination),
                format!(
                    "the application was approved for “{}”: the letter cannot go elsewhere without a new approved application",
                    open.destination
                ),
            ));
        }
        Some(_) => new,
    };
    let (days, addressee, assessment) = transfer::check_new_letter(new, facts.stage, rules.transfers(), today)?;
    Ok(CheckedLetter { destination: new.destination.trim().to_owned(), days, addressee, assessment })
}

/// The member's 转出 that a letter writes, on its day, checked against their history.
pub(crate) fn letter_out(
    facts: &LetterFacts<'_>,
    letter: &CheckedLetter,
    person_id: Id,
    number: &str,
    issued_on: Date,
    today: Date,
) -> Result<StatusChange> {
    let out = StatusChange {
        id: None,
        person_id,
        status: MembershipStatus::TransferredOut,
        date: issued_on,
        reason: Some(format!("转往{}（介绍信第 {number} 号）", letter.destination)),
    };
    check_status_change(out, facts.stage, facts.history, today)
}

/// A receipt on `date` of a letter still awaiting it.
pub(crate) fn check_receipt(letter: &TransferLetter, date: Date, today: Date) -> Result<()> {
    if !matches!(letter.state, LetterState::Issued | LetterState::Expired) {
        return Err(state_refusal(letter, "不能再登记回执", "no receipt can be recorded"));
    }
    check_day("date", date, letter.issued_on, today)
}

/// A reissue of an expired letter on `issued_on` (组通字〔2015〕33号: within six months of its
/// expiry); the new letter's validity in days.
pub(crate) fn check_reissue(
    old: &TransferLetter,
    issued_on: Date,
    validity_days: Option<u32>,
    rules: &TransferRules,
    today: Date,
) -> Result<u32> {
    if old.state != LetterState::Expired {
        return Err(state_refusal(
            old,
            "只有过期未收到回执的介绍信才能重开",
            "only an expired letter without its receipt can be reissued",
        ));
    }
    if issued_on <= old.valid_until {
        return Err(Error::invalid(
            "date",
            format!("重开日期须晚于介绍信第 {} 号的有效期（至 {}）", old.number, calendar::format_zh(old.valid_until)),
            format!("a reissue comes after letter {}'s validity (to {})", old.number, old.valid_until),
        ));
    }
    let limit = calendar::add_months(old.valid_until, rules.reissue_within_months).unwrap_or(old.valid_until);
    if issued_on > limit {
        return Err(Error::invalid(
            "date",
            format!(
                "介绍信第 {} 号于 {} 过期，超过 {} 个月不能重开（{}）：请作废后重新办理",
                old.number,
                calendar::format_zh(old.valid_until),
                rules.reissue_within_months,
                rules.reissue_clause.zh
            ),
            format!(
                "letter {} expired on {}, more than {} months ago ({}): cancel it and transfer again",
                old.number, old.valid_until, rules.reissue_within_months, rules.reissue_clause.en
            ),
        ));
    }
    check_day("date", issued_on, old.issued_on, today)?;
    let days = validity_days.unwrap_or(old.validity_days);
    if days == 0 || days > rules.max_validity_days {
        return Err(Error::invalid(
            "validity",
            format!("有效期应为 1 到 {} 天", rules.max_validity_days),
            format!("the validity must be 1 to {} days", rules.max_validity_days),
        ));
    }
    Ok(days)
}

/// The member's return to the register on `date` that cancelling a letter not yet received
/// writes, checked against their history.
pub(crate) fn cancel_change(
    letter: &TransferLetter,
    date: Date,
    reason: Option<&str>,
    stage: Stage,
    history: &[StatusChange],
    today: Date,
) -> Result<StatusChange> {
    if !matches!(letter.state, LetterState::Issued | LetterState::Expired) {
        return Err(state_refusal(letter, "不能作废", "it cannot be cancelled"));
    }
    check_day("date", date, letter.issued_on, today)?;
    let why = reason.map(str::trim).filter(|r| !r.is_empty());
    let back = StatusChange {
        id: None,
        person_id: letter.person_id,
        status: MembershipStatus::InRegister,
        date,
        reason: Some(match why {
            Some(why) => format!("介绍信第 {} 号作废：{why}", letter.number),
            None => format!("介绍信第 {} 号作废", letter.number),
        }),
    };
    check_status_change(back, stage, history, today)
}

/// The `n`-th letter of a year after the highest sequence `last`: `2026-001`, … `2026-1000`.
pub(crate) fn letter_number(year: i32, last: Option<u32>) -> String {
    format!("{year}-{:03}", last.unwrap_or(0) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_thousandth_letter_of_a_year_is_followed_by_the_next_number() {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::schema::migrations().to_latest(&mut conn).unwrap();
        // Only the numbering is under test: no person or branch behind the letters.
        conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        for number in ["2026-998", "2026-999", "2026-1000", "2025-1200"] {
            conn.execute(
                "INSERT INTO transfer_letters (person_id, number, destination, addressee, issued_on, validity_days, stage)
                 VALUES (1, ?1, '某处', '某处组织部门', '2026-06-30', 30, 'full_member')",
                [number],
            )
            .unwrap();
        }
        assert_eq!(next_number(&conn, 2026).unwrap(), "2026-1001");
        assert_eq!(next_number(&conn, 2027).unwrap(), "2027-001");
    }
}
