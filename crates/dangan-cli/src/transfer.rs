//! `dangan transfer`: transfers of the organisational relationship by introduction letter. `out`
//! issues a letter (the member leaves the register on its day) and writes it as a PDF; `receipt`
//! records the receipt returned; `reissue` and `cancel` an expired or withdrawn letter; `list` and
//! `print`. A letter is named by its number (`2026-001`) or its id.

use std::path::PathBuf;

use clap::Subcommand;
use dangan_core::domain::Id;
use dangan_core::transfer::NewLetter;
use dangan_core::{Error, Result, Session, Text};

use crate::commands::Context;
use crate::{json, parse};

#[derive(Subcommand)]
pub enum TransferAction {
    /// Issue a letter: the member is transferred out on its day; the letter is written as a PDF
    Out {
        #[arg(long, value_name = "ID")]
        member: Id,
        /// The organisation the member transfers to (转往)
        #[arg(long, value_name = "DESTINATION")]
        to: String,
        /// Days the letter is valid (at most 90); the rule's default (30) when left out
        #[arg(long, value_name = "DAYS")]
        validity: Option<u32>,
        /// The day issued
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        /// Whom the letter is addressed to (抬头); the destination's organisation department by default
        #[arg(long)]
        addressee: Option<String>,
        /// For a probationary member: the sending branch's assessment of the probation (required)
        #[arg(long)]
        assessment: Option<String>,
        /// Where to write the letter (PDF), outside the workspace
        #[arg(long, value_name = "LETTER.pdf")]
        out: PathBuf,
        /// Print the letter as JSON
        #[arg(long)]
        json: bool,
    },
    /// Record the receipt the receiving committee returned
    Receipt {
        /// The letter's number (2026-001) or id
        #[arg(long)]
        letter: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
    },
    /// Reissue an expired letter under a new number (within 6 months of its expiry)
    Reissue {
        #[arg(long)]
        letter: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        #[arg(long, value_name = "DAYS")]
        validity: Option<u32>,
        #[arg(long, value_name = "LETTER.pdf")]
        out: PathBuf,
    },
    /// Cancel a letter not yet received: the member is back in the register
    Cancel {
        #[arg(long)]
        letter: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// The letters, newest first: all, one member's, or those awaiting their receipt
    List {
        #[arg(long, value_name = "ID")]
        member: Option<Id>,
        /// Only letters still awaiting their receipt
        #[arg(long)]
        open: bool,
        #[arg(long)]
        json: bool,
    },
    /// Print a letter again
    Print {
        #[arg(long)]
        letter: String,
        #[arg(long, value_name = "LETTER.pdf")]
        out: PathBuf,
    },
}

pub fn transfer(action: TransferAction, cx: &Context) -> Result<()> {
    match action {
        TransferAction::Out { member, to, validity, date, addressee, assessment, out, json } => {
            let issued_on = parse::date("date", &date)?;
            let new = NewLetter {
                person_id: member,
                destination: to,
                addressee,
                validity_days: validity,
                issued_on,
                assessment,
            };
            let mut session = cx.unlock()?;
            let letter = session.issue_letter(new, Some(&out))?;
            if json { json::print(&letter) } else { cx.human.letter_issued(&letter, &out) }
        }
        TransferAction::Receipt { letter, date } => {
            let mut session = cx.unlock()?;
            let id = find_letter(&session, &letter)?;
            let letter = session.record_receipt(id, parse::date("date", &date)?)?;
            cx.human.letters(std::slice::from_ref(&letter))
        }
        TransferAction::Reissue { letter, date, validity, out } => {
            let mut session = cx.unlock()?;
            let id = find_letter(&session, &letter)?;
            dangan_core::output::ensure_outside(session.workspace().dir(), &out)?;
            let letter = session.reissue_letter(id, parse::date("date", &date)?, validity)?;
            session.write_letters(&[letter.id], &out)?;
            cx.human.letter_issued(&letter, &out)
        }
        TransferAction::Cancel { letter, date, reason } => {
            let mut session = cx.unlock()?;
            let id = find_letter(&session, &letter)?;
            let letter = session.cancel_letter(id, parse::date("date", &date)?, reason)?;
            cx.human.letters(std::slice::from_ref(&letter))
        }
        TransferAction::List { member, open, json } => {
            let letters = cx.unlock()?.letters(member, open)?;
            if json { json::print(&letters) } else { cx.human.letters(&letters) }
        }
        TransferAction::Print { letter, out } => {
            let session = cx.unlock()?;
            let id = find_letter(&session, &letter)?;
            session.write_letters(&[id], &out)?;
            cx.human.file_written(&out)
        }
    }
}

/// A letter by its number (`2026-001`) or its id.
fn find_letter(session: &Session, given: &str) -> Result<Id> {
    let given = given.trim();
    if let Ok(id) = given.parse::<Id>() {
        return Ok(id);
    }
    session.letters(None, false)?.into_iter().find(|l| l.number == given).map(|l| l.id).ok_or_else(|| Error::NotFound {
        what: {
            let shown = dangan_core::text::excerpt(given, 30);
            Text::new(format!("第 {shown} 号介绍信（从未开具）"), format!("letter {shown} (never issued)"))
        },
    })
}
