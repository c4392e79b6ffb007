//! `dangan complaints`: the confidential register of complaints and reports (信访举报), for
//! discipline inspectors only; anyone else is refused (exit 6) but `count`, which says that the
//! register exists and how many entries are open. An entry is named by its number (`2026-003`) or id.
//! On a shared server each inspector keeps their own unit's register.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use dangan_core::calendar::Date;
use dangan_core::complaints::{
    Channel, Complaint, ComplaintLine, ComplaintsOverview, Handling, NewComplaint, NewHandling,
};
use dangan_core::domain::Id;
use dangan_core::server::ServerSession;
use dangan_core::{Error, Result, Session};

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
        /// The inspector's user name. Not named `user`: that is the global `--user`'s id, and
        /// clap would take the inspector for the user signing in.
        #[arg(value_name = "USER")]
        inspector: String,
    },
    /// The discipline inspectors still waiting for the register's key
    Waiting,
    /// How many entries the register holds and how many are open (anyone signed in)
    Count {
        #[arg(long)]
        json: bool,
    },
    /// On a shared server: move the register of a workspace uploaded there (--workspace DIR) into
    /// this unit's register, which must be empty, every entry and file sealed anew. A discipline
    /// inspector who holds the key in both; signs in to the workspace as --workspace-user
    /// (passphrase from DANGAN_WORKSPACE_PASSPHRASE or a prompt). The workspace is left as it was
    Upload {
        /// The workspace's user [default: whoever the workspace's passphrase opens]
        #[arg(long, value_name = "NAME")]
        workspace_user: Option<String>,
        /// Print {entries, files} as JSON
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

/// Where the register is kept: a workspace's, or a discipline inspector's unit's on the shared
/// server (`dangan complaints` runs on both).
pub trait Register {
    fn add_complaint(&mut self, new: &NewComplaint) -> Result<Complaint>;
    fn complaints(&mut self, open_only: bool) -> Result<Vec<ComplaintLine>>;
    fn complaint(&mut self, entry: &str) -> Result<Complaint>;
    fn handle_complaint(&mut self, entry: &str, step: &NewHandling) -> Result<Complaint>;
    fn close_complaint(&mut self, entry: &str, date: Date, result: &str) -> Result<Complaint>;
    fn write_complaint_form(&mut self, entry: &str, out: &Path, cx: &Context) -> Result<()>;
    fn add_complaint_attachments(&mut self, entry: &str, files: &[PathBuf]) -> Result<Complaint>;
    fn save_complaint_attachment_as(&mut self, entry: &str, id: Id, out: &Path, cx: &Context) -> Result<()>;
    fn grant_register(&mut self, user: &str) -> Result<()>;
    fn register_waiting(&mut self) -> Result<Vec<String>>;
    fn complaints_overview(&mut self) -> Result<ComplaintsOverview>;
}

impl Register for Session {
    fn add_complaint(&mut self, new: &NewComplaint) -> Result<Complaint> {
        Session::add_complaint(self, new)
    }
    fn complaints(&mut self, open_only: bool) -> Result<Vec<ComplaintLine>> {
        Session::complaints(self, open_only)
    }
    fn complaint(&mut self, entry: &str) -> Result<Complaint> {
        Session::complaint(self, entry)
    }
    fn handle_complaint(&mut self, entry: &str, step: &NewHandling) -> Result<Complaint> {
        Session::handle_complaint(self, entry, step)
    }
    fn close_complaint(&mut self, entry: &str, date: Date, result: &str) -> Result<Complaint> {
        Session::close_complaint(self, entry, date, result)
    }
    fn write_complaint_form(&mut self, entry: &str, out: &Path, _: &Context) -> Result<()> {
        Session::write_complaint_form(self, entry, out)
    }
    fn add_complaint_attachments(&mut self, entry: &str, files: &[PathBuf]) -> Result<Complaint> {
        Session::add_complaint_attachments(self, entry, files)
    }
    fn save_complaint_attachment_as(&mut self, entry: &str, id: Id, out: &Path, _: &Context) -> Result<()> {
        Session::save_complaint_attachment_as(self, entry, id, out).map(|_| ())
    }
    fn grant_register(&mut self, user: &str) -> Result<()> {
        Session::grant_register(self, user)
    }
    fn register_waiting(&mut self) -> Result<Vec<String>> {
        Session::register_waiting(self)
    }
    fn complaints_overview(&mut self) -> Result<ComplaintsOverview> {
        Session::complaints_overview(self)
    }
}

impl Register for ServerSession {
    fn add_complaint(&mut self, new: &NewComplaint) -> Result<Complaint> {
        ServerSession::add_complaint(self, new)
    }
    fn complaints(&mut self, open_only: bool) -> Result<Vec<ComplaintLine>> {
        ServerSession::complaints(self, open_only)
    }
    fn complaint(&mut self, entry: &str) -> Result<Complaint> {
        ServerSession::complaint(self, entry)
    }
    fn handle_complaint(&mut self, entry: &str, step: &NewHandling) -> Result<Complaint> {
        ServerSession::handle_complaint(self, entry, step)
    }
    fn close_complaint(&mut self, entry: &str, date: Date, result: &str) -> Result<Complaint> {
        ServerSession::close_complaint(self, entry, date, result)
    }
    fn write_complaint_form(&mut self, entry: &str, out: &Path, cx: &Context) -> Result<()> {
        ServerSession::write_complaint_form(self, entry, out, cx.workspace.dir())
    }
    fn add_complaint_attachments(&mut self, entry: &str, files: &[PathBuf]) -> Result<Complaint> {
        ServerSession::add_complaint_attachments(self, entry, files)
    }
    fn save_complaint_attachment_as(&mut self, entry: &str, id: Id, out: &Path, cx: &Context) -> Result<()> {
        ServerSession::save_complaint_attachment_as(self, entry, id, out, cx.workspace.dir()).map(|_| ())
    }
    fn grant_register(&mut self, user: &str) -> Result<()> {
        ServerSession::grant_register(self, user)
    }
    fn register_waiting(&mut self) -> Result<Vec<String>> {
        ServerSession::register_waiting(self)
    }
    fn complaints_overview(&mut self) -> Result<ComplaintsOverview> {
        ServerSession::complaints_overview(self)
    }
}

pub fn complaints(action: ComplaintsAction, cx: &Context) -> Result<()> {
    complaints_in(action, || cx.unlock(), cx)
}

/// `dangan complaints` on either kind of session, opened by `open` once the arguments are read.
pub fn complaints_in<R: Register>(
    action: ComplaintsAction,
    open: impl FnOnce() -> Result<R>,
    cx: &Context,
) -> Result<()> {
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
            let entry = open()?.add_complaint(&new)?;
            if json { json::print(&entry) } else { cx.human.complaint(&entry) }
        }
        ComplaintsAction::List { all, json } => {
            let lines = open()?.complaints(!all)?;
            if json { json::print(&lines) } else { cx.human.complaint_lines(&lines) }
        }
        ComplaintsAction::Show { entry, json } => {
            let entry = open()?.complaint(&entry)?;
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
            let entry = open()?.handle_complaint(&entry, &step)?;
            if json { json::print(&entry) } else { cx.human.complaint(&entry) }
        }
        ComplaintsAction::Close { entry, date, result, json } => {
            let date = parse::date("date", &date)?;
            let entry = open()?.close_complaint(&entry, date, &result)?;
            if json { json::print(&entry) } else { cx.human.complaint(&entry) }
        }
        ComplaintsAction::Print { entry, out } => {
            open()?.write_complaint_form(&entry, &out, cx)?;
            cx.human.file_written(&out)
        }
        ComplaintsAction::Attach { entry, files } => {
            let entry = open()?.add_complaint_attachments(&entry, &files)?;
            cx.human.complaint(&entry)
        }
        ComplaintsAction::Attachment { entry, id, out } => {
            open()?.save_complaint_attachment_as(&entry, id, &out, cx)?;
            cx.human.file_written(&out)
        }
        ComplaintsAction::Grant { inspector } => {
            open()?.grant_register(&inspector)?;
            cx.human.register_granted(&inspector)
        }
        ComplaintsAction::Waiting => {
            let waiting = open()?.register_waiting()?;
            cx.human.register_waiting(&waiting)
        }
        ComplaintsAction::Count { json } => {
            let overview = open()?.complaints_overview()?;
            if json { json::print(&overview) } else { cx.human.complaints_overview(&overview) }
        }
        // The server's own (its dispatch): a workspace's register moves onto a server.
        ComplaintsAction::Upload { .. } => Err(Error::invalid(
            "server",
            "「complaints upload」用于共享服务器（--server）：把已上传工作区的信访举报登记簿移入服务器",
            "`complaints upload` is for a shared server (--server): it moves an uploaded workspace's complaints register onto it",
        )),
    }
}
