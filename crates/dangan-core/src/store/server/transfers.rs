//! Transfers out on the server (`dangan.transfer_requests`, `dangan.transfer_letters`, version
//! 13): a member's application approved or declined by the committee, and the introduction letter
//! that takes them out of the register (its 转出 a row of `dangan.status_changes` in the same
//! transaction), its receipt, reissue or cancellation. Every rule is the workspace's
//! (`store/transfer_requests.rs`: `check_may_apply`, `check_approval`, `check_decline`;
//! `store/transfers.rs`: `check_letter`, `letter_out`, `check_receipt`, `check_reissue`,
//! `cancel_change`), checked with the person locked. A letter is numbered within the committee
//! nearest above the member's branch, which heads it when printed. Packages (the member's file for
//! a workspace) do not run on a server yet: a server's letters carry no package code.

use postgres::GenericClient;

use super::people::load;
use std::ops::ControlFlow;

use super::{Failed, ServerStore, ServerUnit, branch_path, committee_above, failure, lost_at_commit, subtree};
use crate::access::Action;
use crate::calendar::Date;
use crate::domain::{Id, Stage, StatusChange};
use crate::dues::Month;
use crate::jobs::{Progress, Unit};
use crate::store::graduation::{check_keeping, naming};
use crate::store::transfer_requests::{OpenRequest, check_approval, check_decline, check_may_apply};
use crate::store::transfers::{
    LetterFacts, PrintedLetter, cancel_change, check_letter, check_receipt, check_reissue, letter_number, letter_out,
    new_code,
};
use crate::transfer::{LetterState, NewLetter, TransferLetter};
use crate::transfer_request::{self, NewTransferRequest, TransferRequest};
use crate::{Error, Result, Text};

const REQUEST_COLUMNS: &str = "r.id, r.person_id, p.name, r.branch_id, r.applied_on::text, r.destination, r.reason, \
     r.approved_on::text, r.decided_by, r.declined_on::text, r.declined_reason, r.letter_id, \
     (SELECT l.number FROM dangan.transfer_letters l WHERE l.id = r.letter_id)";

/// An application still open: neither declined nor used by a letter.
const OPEN_REQUEST: &str = "r.declined_on IS NULL AND r.letter_id IS NULL";

const LETTER_COLUMNS: &str = "l.id, l.person_id, p.name, l.branch_id, l.number, l.destination, l.addressee, \
     l.issued_on::text, l.validity_days, l.stage, l.dues_through, l.assessment, l.receipt_on::text, \
     l.cancelled_on::text, l.reissue_of, (SELECT n.id FROM dangan.transfer_letters n WHERE n.reissue_of = l.id), \
     l.committee_id, l.package_code";

/// A letter still awaiting its receipt: not received, cancelled or replaced.
const OPEN_LETTER: &str = "l.receipt_on IS NULL AND l.cancelled_on IS NULL
     AND NOT EXISTS (SELECT 1 FROM dangan.transfer_letters n WHERE n.reissue_of = l.id)";

fn day(r: &postgres::Row, i: usize, table: &'static str, id: Id) -> std::result::Result<Option<Date>, Failed> {
    r.get::<_, Option<String>>(i)
        .map(|t| t.parse::<Date>().map_err(|_| Failed::Load(super::people::LoadError::Corrupt(table, id))))
        .transpose()
}

fn corrupt(table: &'static str, id: Id) -> Failed {
    Failed::Load(super::people::LoadError::Corrupt(table, id))
}

fn request_of(r: &postgres::Row, units: &[ServerUnit]) -> std::result::Result<TransferRequest, Failed> {
    let id: Id = r.get(0);
    let table = "transfer_requests";
    let branch_id: Id = r.get(3);
    let (approved_on, declined_on, letter_id) =
        (day(r, 7, table, id)?, day(r, 9, table, id)?, r.get::<_, Option<Id>>(11));
    Ok(TransferRequest {
        id,
        person_id: r.get(1),
        name: r.get(2),
        branch: branch_path(units, branch_id),
        branch_id,
        applied_on: day(r, 4, table, id)?.ok_or_else(|| corrupt(table, id))?,
        destination: r.get(5),
        reason: r.get(6),
        approved_on,
        decided_by: r.get(8),
        declined_on,
        declined_reason: r.get(10),
        letter_id,
        letter_number: r.get(12),
        state: TransferRequest::state_of(approved_on.is_some(), declined_on.is_some(), letter_id.is_some()),
    })
}

fn letter_of(r: &postgres::Row, units: &[ServerUnit], today: Date) -> std::result::Result<TransferLetter, Failed> {
    let id: Id = r.get(0);
    let table = "transfer_letters";
    let branch_id: Id = r.get(3);
    let issued_on = day(r, 7, table, id)?.ok_or_else(|| corrupt(table, id))?;
    let validity_days = u32::try_from(r.get::<_, i32>(8)).map_err(|_| corrupt(table, id))?;
    let mut letter = TransferLetter {
        id,
        person_id: r.get(1),
        name: r.get(2),
        branch: branch_path(units, branch_id),
        branch_id,
        number: r.get(4),
        destination: r.get(5),
        addressee: r.get(6),
        issued_on,
        validity_days,
        valid_until: crate::transfer::valid_until(issued_on, validity_days),
        stage: Stage::parse(r.get(9)).ok_or_else(|| corrupt(table, id))?,
        dues_paid_through: r.get::<_, Option<i32>>(10).map(Month),
        assessment: r.get(11),
        receipt_on: day(r, 12, table, id)?,
        cancelled_on: day(r, 13, table, id)?,
        reissue_of: r.get(14),
        reissued_as: r.get(15),
        state: LetterState::Issued,
    };
    letter.state = letter.state_on(today);
    Ok(letter)
}

fn request_not_found(id: Id) -> Failed {
    Failed::Refused(Error::NotFound {
        what: Text::new(format!("编号为 {id} 的转出申请"), format!("application to transfer {id}")),
    })
}

fn letter_not_found(id: Id) -> Failed {
    Failed::Refused(Error::NotFound {
        what: Text::new(format!("编号为 {id} 的介绍信（从未开具）"), format!("letter {id} (never issued)")),
    })
}

fn read_request(
    client: &mut impl GenericClient,
    units: &[ServerUnit],
    id: Id,
    lock: bool,
) -> std::result::Result<TransferRequest, Failed> {
    let lock = if lock { " FOR UPDATE OF r" } else { "" };
    let found = client.query_opt(
        &format!(
            "SELECT {REQUEST_COLUMNS} FROM dangan.transfer_requests r JOIN dangan.people p ON p.id = r.person_id
             WHERE r.id = $1{lock}"
        ),
        &[&id],
    )?;
    request_of(&found.ok_or_else(|| request_not_found(id))?, units)
}

fn read_letter(
    client: &mut impl GenericClient,
    units: &[ServerUnit],
    id: Id,
    today: Date,
) -> std::result::Result<TransferLetter, Failed> {
    Ok(read_issued(client, units, id, today)?.letter)
}

/// A letter with what only its issuer's side needs: the committee that issued it, and the code
/// its member package opens with (`None` for a letter issued before letters had one).
pub(super) struct Issued {
    pub letter: TransferLetter,
    pub committee_id: Id,
    pub package_code: Option<String>,
}

pub(super) fn read_issued(
    client: &mut impl GenericClient,
    units: &[ServerUnit],
    id: Id,
    today: Date,
) -> std::result::Result<Issued, Failed> {
    let found = client.query_opt(
        &format!(
            "SELECT {LETTER_COLUMNS} FROM dangan.transfer_letters l JOIN dangan.people p ON p.id = l.person_id
             WHERE l.id = $1"
        ),
        &[&id],
    )?;
    let row = found.ok_or_else(|| letter_not_found(id))?;
    Ok(Issued { letter: letter_of(&row, units, today)?, committee_id: row.get(16), package_code: row.get(17) })
}

/// A letter to change, read after its person and then it are locked (the person first, as every
/// change of a person's transfers takes them): two workers changing one letter are checked one
/// after the other.
fn letter_to_change(
    tx: &mut postgres::Transaction<'_>,
    statements: &mut super::Statements,
    units: &[ServerUnit],
    id: Id,
    today: Date,
) -> std::result::Result<(TransferLetter, super::ServerPerson), Failed> {
    let person_id = read_letter(tx, units, id, today)?.person_id;
    let person = load(tx, statements, person_id, true)?;
    tx.execute("SELECT 1 FROM dangan.transfer_letters WHERE id = $1 FOR UPDATE", &[&id])?;
    Ok((read_letter(tx, units, id, today)?, person))
}

/// An application to decide, read after its person and then it are locked.
fn request_to_decide(
    tx: &mut postgres::Transaction<'_>,
    statements: &mut super::Statements,
    units: &[ServerUnit],
    id: Id,
) -> std::result::Result<(TransferRequest, super::ServerPerson), Failed> {
    let person_id = read_request(tx, units, id, false)?.person_id;
    let person = load(tx, statements, person_id, true)?;
    Ok((read_request(tx, units, id, true)?, person))
}

/// The person's application still open, if any, locked until the transaction ends (a decision
/// made meanwhile waits, and is then checked against the letter).
fn open_request_of(client: &mut impl GenericClient, person: Id) -> std::result::Result<Option<OpenRequest>, Failed> {
    let found = client.query_opt(
        &format!(
            "SELECT r.id, r.applied_on::text, r.approved_on::text, r.destination FROM dangan.transfer_requests r
             WHERE r.person_id = $1 AND {OPEN_REQUEST} ORDER BY r.id DESC LIMIT 1 FOR UPDATE OF r"
        ),
        &[&person],
    )?;
    let Some(r) = found else { return Ok(None) };
    let id: Id = r.get(0);
    let table = "transfer_requests";
    Ok(Some(OpenRequest {
        id,
        applied_on: day(&r, 1, table, id)?.ok_or_else(|| corrupt(table, id))?,
        approved_on: day(&r, 2, table, id)?,
        destination: r.get(3),
    }))
}

/// The number of the person's letter still awaiting its receipt, if any.
pub(super) fn open_letter_of(
    client: &mut impl GenericClient,
    person: Id,
) -> std::result::Result<Option<String>, Failed> {
    Ok(client
        .query_opt(
            &format!("SELECT l.number FROM dangan.transfer_letters l WHERE l.person_id = $1 AND {OPEN_LETTER} LIMIT 1"),
            &[&person],
        )?
        .map(|r| r.get(0)))
}

/// A status change written in the caller's transaction; its number.
pub(super) fn write_change(client: &mut impl GenericClient, change: &StatusChange) -> std::result::Result<Id, Failed> {
    Ok(client
        .query_one(
            "INSERT INTO dangan.status_changes (person_id, status, date, reason) VALUES ($1, $2, $3::text::date, $4)
             RETURNING id",
            &[&change.person_id, &change.status.as_str(), &change.date.to_string(), &change.reason],
        )?
        .get(0))
}

/// The next number of `year` among the letters of a committee (all of them, whichever the user
/// sees), the committee's numbering locked until the transaction ends.
fn next_number(client: &mut impl GenericClient, committee: Id, year: i32) -> std::result::Result<String, Failed> {
    let last: Option<i32> = client.query_one("SELECT dangan.last_letter_number($1, $2)", &[&committee, &year])?.get(0);
    Ok(letter_number(year, last.and_then(|n| u32::try_from(n).ok())))
}

impl ServerStore {
    /// Runs `work` in a transaction with the organisation as this user sees it.
    fn in_transfers<T>(
        &mut self,
        work: impl FnOnce(
            &mut postgres::Transaction<'_>,
            &mut super::Statements,
            &[ServerUnit],
        ) -> std::result::Result<T, Failed>,
    ) -> Result<T> {
        let units = self.units()?;
        let address = self.address.clone();
        let mut tx = self.client.transaction().map_err(|e| failure(e, &address))?;
        let done = work(&mut tx, &mut self.statements, &units).map_err(|e| e.into_error(&address))?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(done)
    }

    /// Records a member's application to transfer out.
    pub(crate) fn apply_transfer(&mut self, new: NewTransferRequest) -> Result<TransferRequest> {
        self.require(Action::EditMembers)?;
        let (destination, reason) = transfer_request::check_new_request(&new, self.today())?;
        self.in_transfers(|tx, statements, units| {
            let person = load(tx, statements, new.person_id, true)?;
            let open = open_request_of(tx, new.person_id)?;
            let letter = open_letter_of(tx, new.person_id)?;
            check_may_apply(&person.person.name, &person.status_history, open.as_ref(), letter.as_deref())?;
            let id: Id = tx
                .query_one(
                    "INSERT INTO dangan.transfer_requests (person_id, applied_on, destination, reason)
                     VALUES ($1, $2::text::date, $3, $4) RETURNING id",
                    &[&new.person_id, &new.applied_on.to_string(), &destination, &reason],
                )?
                .get(0);
            read_request(tx, units, id, false)
        })
    }

    /// Approves an application awaiting its decision: the letter may then be issued.
    pub(crate) fn approve_transfer(&mut self, id: Id, date: Date) -> Result<TransferRequest> {
        self.require(Action::ApproveTransfers)?;
        let today = self.today();
        self.in_transfers(|tx, statements, units| {
            let (request, person) = request_to_decide(tx, statements, units, id)?;
            check_approval(&request, &person.status_history, date, today)?;
            tx.execute(
                "UPDATE dangan.transfer_requests SET approved_on = $2::text::date WHERE id = $1",
                &[&id, &date.to_string()],
            )?;
            read_request(tx, units, id, false)
        })
    }

    /// Declines an application (with the reason), approved or not, while no letter used it.
    pub(crate) fn decline_transfer(&mut self, id: Id, date: Date, reason: &str) -> Result<TransferRequest> {
        self.require(Action::ApproveTransfers)?;
        let today = self.today();
        self.in_transfers(|tx, statements, units| {
            let (request, _) = request_to_decide(tx, statements, units, id)?;
            let reason = check_decline(&request, date, reason, today)?;
            tx.execute(
                "UPDATE dangan.transfer_requests
                 SET approved_on = NULL, declined_on = $2::text::date, declined_reason = $3 WHERE id = $1",
                &[&id, &date.to_string(), &reason],
            )?;
            read_request(tx, units, id, false)
        })
    }

    /// The applications this user may read (of one person, or only those still open), newest first.
    pub(crate) fn transfer_requests(&mut self, person: Option<Id>, open_only: bool) -> Result<Vec<TransferRequest>> {
        self.require(Action::ReadMembers)?;
        self.in_transfers(|tx, _, units| {
            let rows = tx.query(
                &format!(
                    "SELECT {REQUEST_COLUMNS} FROM dangan.transfer_requests r JOIN dangan.people p ON p.id = r.person_id
                     WHERE ($1::bigint IS NULL OR r.person_id = $1) AND (NOT $2 OR ({OPEN_REQUEST}))
                     ORDER BY r.applied_on DESC, r.id DESC"
                ),
                &[&person, &open_only],
            )?;
            rows.iter().map(|r| request_of(r, units)).collect()
        })
    }

    /// Issues a letter: the member leaves the register (转出) on its day, in the same transaction,
    /// their open application closed by it.
    pub(crate) fn issue_letter(&mut self, new: NewLetter) -> Result<TransferLetter> {
        self.require(Action::EditMembers)?;
        let issuing = self.issuing();
        self.in_transfers(|tx, statements, units| {
            let id = write_letter(tx, statements, units, &issuing, &new)?;
            read_letter(tx, units, id, issuing.today)
        })
    }

    /// What issuing a letter is checked with: the rules, the day, and whether this user approves
    /// transfers (and so issues without an approved application).
    fn issuing(&self) -> Issuing {
        Issuing {
            rules: self.rules.clone(),
            today: self.today(),
            may_approve: self.me.role.may(Action::ApproveTransfers),
        }
    }

    /// The people of a class year (年级) still in the register, under `unit` (all the user reads
    /// without one), in the member list's order.
    pub(crate) fn class_of(&mut self, class_year: u16, unit: Option<Id>) -> Result<Vec<Id>> {
        self.require(Action::ReadMembers)?;
        let units = self.units()?;
        if let Some(unit) = unit.filter(|u| !units.iter().any(|x| x.id == *u)) {
            return Err(Error::NotFound { what: Text::new(format!("组织 {unit}"), format!("unit {unit}")) });
        }
        let under = unit.map(|u| subtree(&units, u));
        let rows = self
            .client
            .query(
                "SELECT id, branch_id FROM dangan.people
                 WHERE class_year = $1 AND status = 'in_register' AND NOT ended ORDER BY sort_key, id",
                &[&i32::from(class_year)],
            )
            .map_err(|e| failure(e, &self.address))?;
        Ok(rows
            .iter()
            .filter(|r| under.as_ref().is_none_or(|u| u.contains(&r.get::<_, Id>(1))))
            .map(|r| r.get(0))
            .collect())
    }

    /// What issuing each of a batch of letters would refuse, in the batch's order (a person twice
    /// included): each written in a transaction that is then rolled back, so nothing is issued.
    pub(crate) fn letter_refusals(&mut self, letters: &[NewLetter]) -> Result<Vec<Option<Text>>> {
        self.require(Action::EditMembers)?;
        let issuing = self.issuing();
        let units = self.units()?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = self.client.transaction().map_err(fail)?;
        let mut refusals = Vec::with_capacity(letters.len());
        for new in letters {
            let mut attempt = tx.transaction().map_err(fail)?;
            match write_letter(&mut attempt, &mut self.statements, &units, &issuing, new) {
                Ok(_) => {
                    attempt.commit().map_err(fail)?;
                    refusals.push(None);
                }
                Err(Failed::Refused(e @ (Error::InvalidInput { .. } | Error::Violations { .. }))) => {
                    attempt.rollback().map_err(fail)?;
                    refusals.push(Some(e.text()));
                }
                Err(other) => return Err(other.into_error(&address)),
            }
        }
        tx.rollback().map_err(fail)?;
        Ok(refusals)
    }

    /// Issues a batch of letters in one transaction, telling `progress` after each; refused for
    /// one (named) or stopped, none is issued.
    pub(crate) fn issue_letters(
        &mut self,
        letters: &[NewLetter],
        mut progress: impl FnMut(Progress) -> ControlFlow<()>,
    ) -> Result<Vec<TransferLetter>> {
        self.require(Action::EditMembers)?;
        let issuing = self.issuing();
        let total = letters.len() as u64;
        self.in_transfers(|tx, statements, units| {
            let mut ids = Vec::with_capacity(letters.len());
            for (done, new) in letters.iter().enumerate() {
                let id = match write_letter(tx, statements, units, &issuing, new) {
                    Ok(id) => id,
                    Err(Failed::Refused(e)) => {
                        let name: Option<String> = tx
                            .query_opt("SELECT name FROM dangan.people WHERE id = $1", &[&new.person_id])?
                            .map(|r| r.get(0));
                        return Err(Failed::Refused(naming(&name.unwrap_or_else(|| new.person_id.to_string()), e)));
                    }
                    Err(other) => return Err(other),
                };
                ids.push(id);
                if progress(Progress::new(done as u64 + 1, total, Unit::Letters)).is_break() {
                    return Err(Failed::Refused(Error::Cancelled));
                }
            }
            ids.into_iter().map(|id| read_letter(tx, units, id, issuing.today)).collect()
        })
    }

    /// Records the receipt the receiving committee returned: the transfer is complete.
    pub(crate) fn record_receipt(&mut self, id: Id, date: Date) -> Result<TransferLetter> {
        self.require(Action::EditMembers)?;
        let today = self.today();
        self.in_transfers(|tx, statements, units| {
            let (letter, _) = letter_to_change(tx, statements, units, id, today)?;
            check_receipt(&letter, date, today)?;
            tx.execute(
                "UPDATE dangan.transfer_letters SET receipt_on = $2::text::date WHERE id = $1",
                &[&id, &date.to_string()],
            )?;
            read_letter(tx, units, id, today)
        })
    }

    /// Reissues an expired letter under a new number; the member stays transferred out.
    pub(crate) fn reissue_letter(
        &mut self,
        id: Id,
        issued_on: Date,
        validity_days: Option<u32>,
    ) -> Result<TransferLetter> {
        self.require(Action::EditMembers)?;
        let (today, rules) = (self.today(), self.rules.transfers().clone());
        self.in_transfers(|tx, statements, units| {
            let (old, _) = letter_to_change(tx, statements, units, id, today)?;
            let days = check_reissue(&old, issued_on, validity_days, &rules, today)?;
            let committee = read_issued(tx, units, id, today)?.committee_id;
            let number = next_number(tx, committee, chrono::Datelike::year(&issued_on))?;
            let new: Id = tx
                .query_one(
                    "INSERT INTO dangan.transfer_letters (person_id, committee_id, number, destination, addressee,
                         issued_on, validity_days, stage, dues_through, assessment, reissue_of, status_change_id,
                         package_code)
                     SELECT person_id, committee_id, $2, destination, addressee, $3::text::date, $4, stage,
                            (SELECT through FROM dangan.dues_run(person_id)), assessment, id, status_change_id, $5
                     FROM dangan.transfer_letters WHERE id = $1
                     RETURNING id",
                    &[&id, &number, &issued_on.to_string(), &i32::try_from(days).unwrap_or(i32::MAX), &new_code()?],
                )?
                .get(0);
            read_letter(tx, units, new, today)
        })
    }

    /// Cancels a letter not yet received: the member comes back into the register on `date`.
    pub(crate) fn cancel_letter(&mut self, id: Id, date: Date, reason: Option<&str>) -> Result<TransferLetter> {
        self.require(Action::EditMembers)?;
        let today = self.today();
        self.in_transfers(|tx, statements, units| {
            let (letter, person) = letter_to_change(tx, statements, units, id, today)?;
            let stage = Stage::of_person(&person.person, &person.events);
            let back = cancel_change(&letter, date, reason, stage, &person.status_history, today)?;
            let change = write_change(tx, &back)?;
            tx.execute(
                "UPDATE dangan.transfer_letters SET cancelled_on = $2::text::date, cancel_change_id = $3 WHERE id = $1",
                &[&id, &date.to_string(), &change],
            )?;
            read_letter(tx, units, id, today)
        })
    }

    /// One letter by its number.
    pub(crate) fn letter(&mut self, id: Id) -> Result<TransferLetter> {
        self.require(Action::ReadMembers)?;
        let today = self.today();
        self.in_transfers(|tx, _, units| read_letter(tx, units, id, today))
    }

    /// The letters this user may read (of one person, or only those awaiting their receipt),
    /// newest first.
    pub(crate) fn letters(&mut self, person: Option<Id>, open_only: bool) -> Result<Vec<TransferLetter>> {
        self.require(Action::ReadMembers)?;
        let today = self.today();
        self.in_transfers(|tx, _, units| {
            let rows = tx.query(
                &format!(
                    "SELECT {LETTER_COLUMNS} FROM dangan.transfer_letters l JOIN dangan.people p ON p.id = l.person_id
                     WHERE ($1::bigint IS NULL OR l.person_id = $1) AND (NOT $2 OR ({OPEN_LETTER}))
                     ORDER BY l.issued_on DESC, l.id DESC"
                ),
                &[&person, &open_only],
            )?;
            rows.iter().map(|r| letter_of(r, units, today)).collect()
        })
    }

    /// Keeps a graduate's relationship at the university from the day they graduated (`Some`), or
    /// ends the keeping (`None`).
    pub(crate) fn keep_graduate(&mut self, person_id: Id, graduated_on: Option<Date>) -> Result<()> {
        self.require(Action::EditMembers)?;
        let today = self.today();
        self.in_transfers(|tx, statements, _| {
            let person = load(tx, statements, person_id, true)?;
            match graduated_on {
                Some(day) => {
                    let status = crate::domain::current_status(&person.status_history);
                    check_keeping(&person.person.name, status, day, today)?;
                    tx.execute(
                        "INSERT INTO dangan.kept_graduates (person_id, graduated_on) VALUES ($1, $2::text::date)
                         ON CONFLICT (person_id) DO UPDATE SET graduated_on = excluded.graduated_on",
                        &[&person_id, &day.to_string()],
                    )?;
                }
                None => {
                    tx.execute("DELETE FROM dangan.kept_graduates WHERE person_id = $1", &[&person_id])?;
                }
            }
            Ok(())
        })
    }

    /// Letters with their people, for printing, each under the committee that issued it (its
    /// branch named below that committee), and the first one's committee as the file's author.
    pub(crate) fn letters_to_print(&mut self, ids: &[Id]) -> Result<(Vec<PrintedLetter>, String)> {
        self.require(Action::ReadMembers)?;
        let today = self.today();
        self.in_transfers(|tx, statements, units| {
            let mut out = Vec::with_capacity(ids.len());
            let mut committee = None;
            for &id in ids {
                let Issued { mut letter, committee_id: issuer, package_code } = read_issued(tx, units, id, today)?;
                let name = units.iter().find(|u| u.id == issuer).map(|u| u.name.clone()).unwrap_or_default();
                // The letter reads 「committee」「branch」: the branch's path below its committee.
                if let Some(below) = letter.branch.strip_prefix(&format!("{name}/")) {
                    letter.branch = below.to_owned();
                }
                committee.get_or_insert_with(|| name.clone());
                let person = load(tx, statements, letter.person_id, false)?.person;
                out.push(PrintedLetter { letter, person, package_code, committee: Some(name) });
            }
            Ok((out, committee.unwrap_or_default()))
        })
    }
}

/// What a letter is issued under (`ServerStore::issuing`).
struct Issuing {
    rules: crate::rules::RuleSet,
    today: Date,
    may_approve: bool,
}

/// Checks and writes one letter and the member's 转出 in the caller's transaction, with the
/// person locked; the letter's number. The letter closes the member's open application.
fn write_letter(
    tx: &mut postgres::Transaction<'_>,
    statements: &mut super::Statements,
    units: &[ServerUnit],
    issuing: &Issuing,
    new: &NewLetter,
) -> std::result::Result<Id, Failed> {
    let person_id = new.person_id;
    let person = load(tx, statements, person_id, true)?;
    let stage = Stage::of_person(&person.person, &person.events);
    let latest_letter: Option<String> = tx
        .query_opt(
            "SELECT number FROM dangan.transfer_letters WHERE person_id = $1 ORDER BY id DESC LIMIT 1",
            &[&person_id],
        )?
        .map(|r| r.get(0));
    let request = open_request_of(tx, person_id)?;
    let facts = LetterFacts {
        name: &person.person.name,
        stage,
        history: &person.status_history,
        latest_letter,
        open_letter: open_letter_of(tx, person_id)?,
        request: request.as_ref(),
    };
    let checked = check_letter(&facts, new, issuing.may_approve, &issuing.rules, issuing.today)?;
    let committee = committee_above(units, person.person.branch_id).unwrap_or(person.person.branch_id);
    let number = next_number(tx, committee, chrono::Datelike::year(&new.issued_on))?;
    let out = letter_out(&facts, &checked, person_id, &number, new.issued_on, issuing.today)?;
    let change = write_change(tx, &out)?;
    let id: Id = tx
        .query_one(
            "INSERT INTO dangan.transfer_letters (person_id, committee_id, number, destination, addressee,
                 issued_on, validity_days, stage, dues_through, assessment, status_change_id, package_code)
             VALUES ($1, $2, $3, $4, $5, $6::text::date, $7, $8, (SELECT through FROM dangan.dues_run($1)), $9, $10,
                     $11)
             RETURNING id",
            &[
                &person_id,
                &committee,
                &number,
                &checked.destination,
                &checked.addressee,
                &new.issued_on.to_string(),
                &i32::try_from(checked.days).unwrap_or(i32::MAX),
                &stage.as_str(),
                &checked.assessment,
                &change,
                &new_code()?,
            ],
        )?
        .get(0);
    if let Some(request) = request {
        tx.execute("UPDATE dangan.transfer_requests SET letter_id = $2 WHERE id = $1", &[&request.id, &id])?;
    }
    Ok(id)
}

/// The letter a status change belongs to, if any (the 转出 it issued with, or the 在册 its
/// cancellation wrote): such a change is undone through the letter, never alone.
pub(super) fn letter_of_change(
    client: &mut impl GenericClient,
    change: Id,
) -> std::result::Result<Option<String>, postgres::Error> {
    Ok(client
        .query_opt(
            "SELECT number FROM dangan.transfer_letters WHERE status_change_id = $1 OR cancel_change_id = $1 LIMIT 1",
            &[&change],
        )?
        .map(|r| r.get(0)))
}

/// What transfers await, as the deadline scan reads it: the letters' receipts, and the move of
/// each kept graduate still in the register.
pub(super) fn awaited(
    client: &mut impl GenericClient,
) -> std::result::Result<Vec<crate::store::life_index::Awaited>, postgres::Error> {
    let rows = client.query(
        &format!(
            "SELECT l.person_id, p.name, p.branch_id, l.issued_on::text, l.validity_days
             FROM dangan.transfer_letters l JOIN dangan.people p ON p.id = l.person_id
             WHERE {OPEN_LETTER} ORDER BY l.person_id"
        ),
        &[],
    )?;
    let mut out = Vec::new();
    for r in rows {
        let Ok(issued) = r.get::<_, String>(3).parse::<Date>() else { continue };
        let days = u32::try_from(r.get::<_, i32>(4)).unwrap_or(0);
        let name: String = r.get(1);
        out.push(crate::store::life_index::Awaited {
            person_id: r.get(0),
            name: name.into(),
            branch_id: r.get(2),
            what: crate::store::life_index::Awaiting::Receipt {
                valid_until: crate::transfer::valid_until(issued, days),
            },
        });
    }
    for r in client.query(
        "SELECT k.person_id, p.name, p.branch_id, k.graduated_on::text
         FROM dangan.kept_graduates k JOIN dangan.people p ON p.id = k.person_id
         WHERE p.status = 'in_register' ORDER BY k.person_id",
        &[],
    )? {
        let Ok(graduated_on) = r.get::<_, String>(3).parse::<Date>() else { continue };
        let name: String = r.get(1);
        out.push(crate::store::life_index::Awaited {
            person_id: r.get(0),
            name: name.into(),
            branch_id: r.get(2),
            what: crate::store::life_index::Awaiting::KeptGraduate { graduated_on },
        });
    }
    Ok(out)
}
