//! `dangan complaints`: the confidential register of complaints and reports (信访举报), for
//! discipline inspectors only; anyone else is refused (exit 6) but `count`, which says that the
//! register exists and how many entries are open. An entry is named by its number (`2026-003`) or id.

use clap::Subcommand;
use dangan_core::complaints::{Channel, Handling, NewComplaint, NewHandling};
use dangan_core::domain::Id;
use dangan_core::{Error, Result};

use crate::commands::Context;
use crate::{json, parse};

#[derive(Subcommand)]
pub enum ComplaintsAction {
    /// Register an entry: its channel, the day received, the summary, and whom it concerns
    Add {
        /// letter, visit, phone, online or in_person
        #[arg(long)]
        channel: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        received: String,
        #[arg(long)]
        summary: String,
        /// The member concerned (never told)
        #[arg(long, value_name = "MEMBER_ID")]
        concerning: Option<Id>,
        /// Who reported it; anonymous when left out
        #[arg(long)]
        complainant: Option<String>,
        #[arg(long)]
        category: Option<String>,
        /// It belongs to another body: to be forwarded within five working days
        #[arg(long)]
        elsewhere: bool,
        #[arg(long)]
        json: bool,
    },
    /// The register, newest first: numbers, days, channel and state, never an entry's words
    List {
        /// Also the entries closed
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Open an entry (the reading is recorded in the audit log)
    Show {
        /// The entry's number (2026-003) or id
        #[arg(long)]
        entry: String,
        #[arg(long)]
        json: bool,
    },
    /// Record a step of an entry's handling: talk_or_letter, preliminary_verification, holding,
    /// closing or forwarded (with --to)
    Handle {
        #[arg(long)]
        entry: String,
        #[arg(long)]
        handling: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        /// The body a forwarded entry goes to
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        note: Option<String>,
        /// The handling was reported back on this day
        #[arg(long, value_name = "YYYY-MM-DD")]
        reported: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Close an entry with its result
    Close {
        #[arg(long)]
        entry: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        #[arg(long)]
        result: String,
        #[arg(long)]
        json: bool,
    },
    /// Print an entry's handling form (信访举报件办理登记表) as a PDF: the register leaves the
    /// workspace only this way, one entry at a time
    Print {
        #[arg(long)]
        entry: String,
        #[arg(long, value_name = "FORM.pdf")]
        out: std::path::PathBuf,
    },
    /// Attach files (scans, photos, PDFs) to an open entry, sealed like its words
    Attach {
        #[arg(long)]
        entry: String,
        #[arg(long = "file", value_name = "FILE", required = true)]
        files: Vec<std::path::PathBuf>,
    },
    /// Write a copy of one of an entry's files (`show` lists them) outside the workspace
    Attachment {
        #[arg(long)]
        entry: String,
        #[arg(long, value_name = "ID")]
        id: Id,
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
    },
    /// Give the register's key to another discipline inspector (only one who holds it can)
    Grant {
        /// The inspector's user name
        user: String,
    },
    /// The discipline inspectors still waiting for the register's key
    Waiting,
    /// How many entries the register holds and how many are open (anyone signed in)
    Count {
        #[arg(long)]
        json: bool,
    },
}

fn named<T>(field: &str, given: &str, parse: impl Fn(&str) -> Option<T>, choices: &str) -> Result<T> {
    parse(given).ok_or_else(|| {
        let shown = dangan_core::text::excerpt(given, 20);
        Error::invalid(
            field,
            format!("「{shown}」不是可用的值（{choices}）"),
            format!("“{shown}” is not one of {choices}"),
        )
    })
}

pub fn complaints(action: ComplaintsAction, cx: &Context) -> Result<()> {
    match action {
        ComplaintsAction::Add { channel, received, summary, concerning, complainant, category, elsewhere, json } => {
            let new = NewComplaint {
                channel: named("channel", &channel, Channel::parse, "letter, visit, phone, online, in_person")?,
                received_on: parse::date("received", &received)?,
                complainant,
                concerning,
                category,
                summary,
                belongs_elsewhere: elsewhere,
            };
            let entry = cx.unlock()?.add_complaint(&new)?;
            if json { json::print(&entry) } else { cx.human.complaint(&entry) }
        }
        ComplaintsAction::List { all, json } => {
            let lines = cx.unlock()?.complaints(!all)?;
            if json { json::print(&lines) } else { cx.human.complaint_lines(&lines) }
        }
        ComplaintsAction::Show { entry, json } => {
            let entry = cx.unlock()?.complaint(&entry)?;
            if json { json::print(&entry) } else { cx.human.complaint(&entry) }
        }
        ComplaintsAction::Handle { entry, handling, date, to, note, reported, json } => {
            let step = NewHandling {
                handling: named(
                    "handling",
                    &handling,
                    Handling::parse,
                    "talk_or_letter, preliminary_verification, holding, closing, forwarded",
                )?,
                date: parse::date("date", &date)?,
                to,
                note,
                reported_on: parse::optional(reported.as_deref(), |d| parse::date("reported", d))?,
            };
            let entry = cx.unlock()?.handle_complaint(&entry, &step)?;
            if json { json::print(&entry) } else { cx.human.complaint(&entry) }
        }
        ComplaintsAction::Close { entry, date, result, json } => {
            let date = parse::date("date", &date)?;
            let entry = cx.unlock()?.close_complaint(&entry, date, &result)?;
            if json { json::print(&entry) } else { cx.human.complaint(&entry) }
        }
        ComplaintsAction::Print { entry, out } => {
            cx.unlock()?.write_complaint_form(&entry, &out)?;
            cx.human.file_written(&out)
        }
        ComplaintsAction::Attach { entry, files } => {
            let entry = cx.unlock()?.add_complaint_attachments(&entry, &files)?;
            cx.human.complaint(&entry)
        }
        ComplaintsAction::Attachment { entry, id, out } => {
            cx.unlock()?.save_complaint_attachment_as(&entry, id, &out)?;
            cx.human.file_written(&out)
        }
        ComplaintsAction::Grant { user } => {
            cx.unlock()?.grant_register(&user)?;
            cx.human.register_granted(&user)
        }
        ComplaintsAction::Waiting => {
            let waiting = cx.unlock()?.register_waiting()?;
            cx.human.register_waiting(&waiting)
        }
        ComplaintsAction::Count { json } => {
            let overview = cx.unlock()?.complaints_overview()?;
            if json { json::print(&overview) } else { cx.human.complaints_overview(&overview) }
        }
    }
}
