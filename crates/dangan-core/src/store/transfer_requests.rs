//! Applications to transfer out as the store keeps them (`transfer_requests`): recorded for a
//! member in the register, approved or declined by those who approve transfers, and closed by the
//! letter issued against them (`transfers::write_letter`). The rules are `transfer_request.rs`.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::Store;
use super::org::OrgTree;
use super::people::{corrupt_row, load_person, not_found};
use super::status::load_history;
use super::transfers::open_letter_of;
use crate::access::Action;
use crate::calendar::{self, Date};
use crate::domain::{Id, MembershipStatus};
use crate::transfer_request::{self, NewTransferRequest, RequestState, TransferRequest};
use crate::{Error, Result, Text};

const REQUEST_COLUMNS: &str = "r.id, r.person_id, p.name, p.branch_id, r.applied_on, r.destination, r.reason, \
     r.approved_on, r.decided_by, r.declined_on, r.declined_reason, r.letter_id, \
     (SELECT l.number FROM transfer_letters l WHERE l.id = r.letter_id)";

/// Open: neither declined nor closed by a letter.
const OPEN: &str = "r.declined_on IS NULL AND r.letter_id IS NULL";

fn request_from(r: &Row<'_>, tree: &OrgTree) -> Result<TransferRequest> {
    let id: Id = r.get(0)?;
    let date = |i: usize| -> Result<Option<Date>> {
        let text: Option<String> = r.get(i)?;
        text.map(|t| calendar::parse_iso(&t).ok_or_else(|| corrupt_row("transfer_requests", id))).transpose()
    };
    let branch_id: Id = r.get(3)?;
    let approved_on = date(7)?;
    let declined_on = date(9)?;
    let letter_id: Option<Id> = r.get(11)?;
    Ok(TransferRequest {
        id,
        person_id: r.get(1)?,
        name: r.get(2)?,
        branch: tree.path(branch_id),
        branch_id,
        applied_on: date(4)?.ok_or_else(|| corrupt_row("transfer_requests", id))?,
        destination: r.get(5)?,
        reason: r.get(6)?,
        approved_on,
        decided_by: r.get(8)?,
        declined_on,
        declined_reason: r.get(10)?,
        letter_id,
        letter_number: r.get(12)?,
        state: TransferRequest::state_of(approved_on.is_some(), declined_on.is_some(), letter_id.is_some()),
    })
}

/// The person's open application, if any: its id, the day approved (none while it awaits the
/// decision), its destination and the day applied.
pub(crate) struct OpenRequest {
    pub id: Id,
    pub applied_on: Date,
    pub approved_on: Option<Date>,
    pub destination: String,
}

pub(crate) fn open_request_of(conn: &Connection, person_id: Id) -> Result<Option<OpenRequest>> {
    let row: Option<(Id, String, Option<String>, String)> = conn
        .prepare_cached(&format!(
            "SELECT r.id, r.applied_on, r.approved_on, r.destination FROM transfer_requests r
             WHERE r.person_id = ?1 AND {OPEN} ORDER BY r.id DESC LIMIT 1"
        ))?
        .query_row([person_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    let Some((id, applied_on, approved_on, destination)) = row else { return Ok(None) };
    let day = |t: &str| calendar::parse_iso(t).ok_or_else(|| corrupt_row("transfer_requests", id));
    Ok(Some(OpenRequest {
        id,
        applied_on: day(&applied_on)?,
        approved_on: approved_on.as_deref().map(day).transpose()?,
        destination,
    }))
}

/// Closes an approved application with the letter issued against it.
pub(crate) fn close_with_letter(conn: &Connection, request_id: Id, letter_id: Id) -> Result<()> {
    conn.execute("UPDATE transfer_requests SET letter_id = ?2 WHERE id = ?1", params![request_id, letter_id])?;
    Ok(())
}

fn refused(request: &TransferRequest, zh: &str, en: &str) -> Error {
    let (state_zh, state_en) = match request.state {
        RequestState::Applied => ("尚待审批", "awaits its decision"),
        RequestState::Approved => ("已批准", "is approved"),
        RequestState::Declined => ("已不予批准", "was declined"),
        RequestState::LetterIssued => ("已开具介绍信", "has its letter"),
    };
    Error::invalid(
        "request",
        format!("{}的转出申请（{}）{state_zh}，{zh}", request.name, calendar::format_zh(request.applied_on)),
        format!("{}'s application of {} {state_en}: {en}", request.name, request.applied_on),
    )
}

/// Whether a person may apply to transfer out: in the register, with no application open and
/// no letter awaiting its receipt.
pub(crate) fn check_may_apply(
    name: &str,
    history: &[crate::domain::StatusChange],
    open: Option<&OpenRequest>,
    open_letter: Option<&str>,
) -> Result<()> {
    if let Some(last) = history.last().filter(|c| c.status != MembershipStatus::InRegister) {
        return Err(Error::invalid(
            "member",
            format!("{name}已于 {} {}，不在册，不能申请转出", calendar::format_zh(last.date), last.status.zh()),
            format!(
                "{name} is out of the register ({}, {}): no application to transfer out",
                last.status.label().en,
                last.date
            ),
        ));
    }
    if let Some(open) = open {
        return Err(Error::invalid(
            "member",
            format!(
                "{name}已有 {} 的转出申请（转往{}）：请先审批或不予批准",
                calendar::format_zh(open.applied_on),
                open.destination
            ),
            format!(
                "{name} already has an application of {} (to {}): decide it first",
                open.applied_on, open.destination
            ),
        ));
    }
    if let Some(number) = open_letter {
        return Err(Error::invalid(
            "member",
            format!("{name}的介绍信第 {number} 号尚未收到回执，不能再申请转出"),
            format!("{name}'s letter {number} awaits its receipt: no new application"),
        ));
    }
    Ok(())
}

/// An approval on `date` of an application awaiting it, for someone still in the register.
pub(crate) fn check_approval(
    request: &TransferRequest,
    history: &[crate::domain::StatusChange],
    date: Date,
    today: Date,
) -> Result<()> {
    if request.state != RequestState::Applied {
        return Err(refused(request, "不能再批准", "it cannot be approved again"));
    }
    if let Some(last) = history.last().filter(|c| c.status != MembershipStatus::InRegister) {
        return Err(Error::invalid(
            "member",
            format!(
                "{}已于 {} {}，不在册：请作不予批准处理",
                request.name,
                calendar::format_zh(last.date),
                last.status.zh()
            ),
            format!(
                "{} is out of the register ({}, {}): decline the application",
                request.name,
                last.status.label().en,
                last.date
            ),
        ));
    }
    transfer_request::check_decision_day(request, date, today)
}

/// A refusal on `date` of an application not yet declined or used: the reason as kept.
pub(crate) fn check_decline(request: &TransferRequest, date: Date, reason: &str, today: Date) -> Result<String> {
    if matches!(request.state, RequestState::Declined | RequestState::LetterIssued) {
        return Err(refused(request, "不能再作处理", "it cannot be declined"));
    }
    let reason = transfer_request::check_decline_reason(reason)?;
    transfer_request::check_decision_day(request, date, today)?;
    if let Some(approved) = request.approved_on.filter(|&a| date < a) {
        return Err(Error::invalid(
            "date",
            format!("日期 {} 早于批准日期 {}", calendar::format_zh(date), calendar::format_zh(approved)),
            format!("the day, {date}, is before the approval, {approved}"),
        ));
    }
    Ok(reason)
}

impl Store {
    /// Records an application to transfer out for a member in the register with no open
    /// application or letter.
    pub fn apply_transfer(&mut self, new: NewTransferRequest) -> Result<TransferRequest> {
        let tx = self.begin_change()?;
        let person_id = new.person_id;
        self.require_member(Action::EditMembers, person_id)?;
        let (destination, reason) = transfer_request::check_new_request(&new, self.today())?;
        let person = load_person(&tx, person_id)?.ok_or_else(|| not_found(person_id))?;
        let history = load_history(&tx, person_id)?;
        let open = open_request_of(&tx, person_id)?;
        check_may_apply(&person.name, &history, open.as_ref(), open_letter_of(&tx, person_id)?.as_deref())?;
        tx.execute(
            "INSERT INTO transfer_requests (person_id, applied_on, destination, reason) VALUES (?1, ?2, ?3, ?4)",
            params![person_id, new.applied_on.to_string(), destination, reason],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        self.find_request(id)
    }

    /// Approves an application awaiting its decision, on a day between it and today.
    pub fn approve_transfer(&mut self, request_id: Id, date: Date) -> Result<TransferRequest> {
        let request = self.find_request(request_id)?;
        self.require_member(Action::ApproveTransfers, request.person_id)?;
        let history = load_history(&self.conn, request.person_id)?;
        check_approval(&request, &history, date, self.today())?;
        self.conn.execute(
            "UPDATE transfer_requests SET approved_on = ?2, decided_by = ?3 WHERE id = ?1",
            params![request_id, date.to_string(), self.session_user().name],
        )?;
        self.find_request(request_id)
    }

    /// Declines an application not yet closed by a letter (an approved one too: the member
    /// withdrew, or the approval was in error), with the reason.
    pub fn decline_transfer(&mut self, request_id: Id, date: Date, reason: &str) -> Result<TransferRequest> {
        let request = self.find_request(request_id)?;
        self.require_member(Action::ApproveTransfers, request.person_id)?;
        let reason = check_decline(&request, date, reason, self.today())?;
        self.conn.execute(
            "UPDATE transfer_requests SET approved_on = NULL, declined_on = ?2, declined_reason = ?3, decided_by = ?4
             WHERE id = ?1",
            params![request_id, date.to_string(), reason, self.session_user().name],
        )?;
        self.find_request(request_id)
    }

    /// One application by its id.
    pub fn transfer_request(&self, id: Id) -> Result<TransferRequest> {
        let request = self.find_request(id)?;
        self.require_member(Action::ReadMembers, request.person_id)?;
        Ok(request)
    }

    fn find_request(&self, id: Id) -> Result<TransferRequest> {
        let tree = OrgTree::load(&self.conn)?;
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM transfer_requests r JOIN people p ON p.id = r.person_id WHERE r.id = ?1"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([id])?;
        match rows.next()? {
            Some(r) => request_from(r, &tree),
            None => Err(Error::NotFound {
                what: Text::new(format!("编号为 {id} 的转出申请"), format!("application to transfer {id}")),
            }),
        }
    }

    /// The applications the user may see, newest first: of one person, or only the open ones
    /// (awaiting a decision, or approved and awaiting the letter).
    pub fn transfer_requests(&self, person: Option<Id>, open_only: bool) -> Result<Vec<TransferRequest>> {
        self.require(Action::ReadMembers)?;
        let tree = OrgTree::load(&self.conn)?;
        let shown = self.visible_units(&tree);
        let mut sql =
            format!("SELECT {REQUEST_COLUMNS} FROM transfer_requests r JOIN people p ON p.id = r.person_id WHERE 1");
        if person.is_some() {
            sql.push_str(" AND r.person_id = ?1");
        }
        if open_only {
            sql.push_str(&format!(" AND {OPEN}"));
        }
        sql.push_str(" ORDER BY r.applied_on DESC, r.id DESC");
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = match person {
            Some(p) => stmt.query([p])?,
            None => stmt.query([])?,
        };
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let request = request_from(r, &tree)?;
            if shown.as_ref().is_none_or(|s| s.contains(&request.branch_id)) {
                out.push(request);
            }
        }
        Ok(out)
    }
}
