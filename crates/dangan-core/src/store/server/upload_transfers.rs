//! What `server upload` carries of a workspace's transfers (schema version 17): its letters (the
//! committee's, numbered as the workspace numbered them, with their package codes, receipts,
//! cancellations and reissues), its applications as they were decided and by whom, and its
//! arrivals, each under the server's numbers of its people, letters and status changes. The
//! server's checks hold: a reissue is inserted while the letter it replaces is open, the receipts
//! and cancellations after; one letter brings one person, whichever college received it.

use std::collections::HashMap;

use serde::Serialize;

use super::Failed;
use crate::Error;
use crate::domain::Id;
use crate::store::upload::KeptTransfers;

/// What an upload carried of transfers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TransfersCarried {
    pub letters: u64,
    pub requests: u64,
    pub arrivals: u64,
}

/// The server's numbers of the workspace's people and status changes, by the workspace's.
pub(super) struct Numbers<'a> {
    pub people: &'a HashMap<Id, Id>,
    pub changes: &'a HashMap<Id, Id>,
    pub committee_id: Id,
}

/// Carries the workspace's transfers in the upload's transaction.
pub(super) fn carry_transfers(
    tx: &mut postgres::Transaction<'_>,
    kept: &KeptTransfers,
    numbers: &Numbers<'_>,
) -> std::result::Result<TransfersCarried, Failed> {
    let person = |id: Id| numbers.people.get(&id).copied().ok_or_else(|| missing("people", id));
    let change = |id: Option<Id>| -> std::result::Result<Option<Id>, Failed> {
        id.map(|id| numbers.changes.get(&id).copied().ok_or_else(|| missing("status_changes", id))).transpose()
    };
    let mut letters: HashMap<Id, Id> = HashMap::new();
    for letter in &kept.letters {
        let reissue_of = letter
            .reissue_of
            .map(|id| letters.get(&id).copied().ok_or_else(|| missing("transfer_letters", id)))
            .transpose()?;
        let id: Id = tx
            .query_one(
                "INSERT INTO dangan.transfer_letters (person_id, committee_id, number, destination, addressee, issued_on,
                     validity_days, stage, dues_through, assessment, reissue_of, status_change_id, package_code)
                 VALUES ($1, $2, $3, $4, $5, $6::text::date, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
                &[
                    &person(letter.person_id)?,
                    &numbers.committee_id,
                    &letter.number,
                    &letter.destination,
                    &letter.addressee,
                    &letter.issued_on,
                    &letter.validity_days,
                    &letter.stage,
                    &letter.dues_through,
                    &letter.assessment,
                    &reissue_of,
                    &change(letter.status_change_id)?,
                    &letter.package_code,
                ],
            )?
            .get(0);
        letters.insert(letter.id, id);
    }
    let letter_here = |id: Id| letters.get(&id).copied().ok_or_else(|| missing("transfer_letters", id));
    // Closed once every reissue stands: a reissue replaces a letter still open.
    for letter in kept.letters.iter().filter(|l| l.receipt_on.is_some() || l.cancelled_on.is_some()) {
        tx.execute(
            "UPDATE dangan.transfer_letters SET receipt_on = $2::text::date, cancelled_on = $3::text::date,
                 cancel_change_id = $4
             WHERE id = $1",
            &[&letter_here(letter.id)?, &letter.receipt_on, &letter.cancelled_on, &change(letter.cancel_change_id)?],
        )?;
    }
    for request in &kept.requests {
        let letter = request.letter_id.map(letter_here).transpose()?;
        let id: Id = tx
            .query_one(
                "INSERT INTO dangan.transfer_requests (person_id, applied_on, destination, reason, approved_on,
                     decided_by, declined_on, declined_reason)
                 VALUES ($1, $2::text::date, $3, $4, $5::text::date, $6, $7::text::date, $8) RETURNING id",
                &[
                    &person(request.person_id)?,
                    &request.applied_on,
                    &request.destination,
                    &request.reason,
                    &request.approved_on,
                    &request.decided_by,
                    &request.declined_on,
                    &request.declined_reason,
                ],
            )?
            .get(0);
        if let Some(letter) = letter {
            tx.execute("UPDATE dangan.transfer_requests SET letter_id = $2 WHERE id = $1", &[&id, &letter])?;
        }
    }
    for arrival in &kept.arrivals {
        let inserted = tx.execute(
            "INSERT INTO dangan.arrivals (person_id, received_on, origin, letter_number, letter_issued_on, dues_through,
                 status_change_id, history)
             VALUES ($1, $2::text::date, $3, $4, $5::text::date, $6, $7, $8)",
            &[
                &person(arrival.person_id)?,
                &arrival.received_on,
                &arrival.origin,
                &arrival.letter_number,
                &arrival.letter_issued_on,
                &arrival.dues_through,
                &change(arrival.status_change_id)?.ok_or_else(|| missing("arrivals", arrival.person_id))?,
                &arrival.history,
            ],
        );
        if let Err(e) = inserted {
            return Err(match (super::arrivals::constraint_of(&e), &arrival.letter_number) {
                (Some("arrivals_by_letter"), Some(number)) => {
                    crate::store::arrivals::letter_used(None, &arrival.origin, number).into()
                }
                _ => e.into(),
            });
        }
    }
    Ok(TransfersCarried {
        letters: kept.letters.len() as u64,
        requests: kept.requests.len() as u64,
        arrivals: kept.arrivals.len() as u64,
    })
}

/// A workspace row naming one of its rows that is not there (a damaged workspace): nothing is
/// uploaded.
fn missing(table: &str, id: Id) -> Failed {
    Failed::Refused(Error::invalid(
        "workspace",
        format!("工作区的 {table} 第 {id} 行不完整，没有上传任何内容；请先用 dangan verify 查明"),
        format!("the workspace's row {id} of {table} is incomplete; nothing was uploaded: run dangan verify"),
    ))
}
