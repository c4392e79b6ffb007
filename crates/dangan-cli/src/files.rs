//! `dangan records`, `record` and `attachment`: a member's file from a terminal — its records,
//! their attachments, and the checklist of materials.

use std::path::PathBuf;

use clap::Args;
use dangan_core::checklist::ChecklistLine;
use dangan_core::domain::{AttachmentInfo, EventKind, FileRecord, Id, RecordFields};
use dangan_core::server::ServerSession;
use dangan_core::{Result, Session};

use crate::commands::Context;
use crate::{json, parse};

/// Where a member's file is kept: a workspace, or the shared server.
pub trait Files {
    fn records(&mut self, member: Id) -> Result<Vec<FileRecord>>;
    fn checklist(&mut self, member: Id) -> Result<Vec<ChecklistLine>>;
    fn latest_event(&mut self, member: Id, kind: EventKind) -> Result<Id>;
    fn save_record(&mut self, record: FileRecord, attach: &[PathBuf]) -> Result<FileRecord>;
    fn write_attachment(&mut self, id: Id, out: &std::path::Path, cx: &Context) -> Result<AttachmentInfo>;
}

impl Files for Session {
    fn records(&mut self, member: Id) -> Result<Vec<FileRecord>> {
        Session::records(self, member)
    }
    fn checklist(&mut self, member: Id) -> Result<Vec<ChecklistLine>> {
        Session::checklist(self, member)
    }
    fn latest_event(&mut self, member: Id, kind: EventKind) -> Result<Id> {
        Session::latest_event(self, member, kind)
    }
    fn save_record(&mut self, record: FileRecord, attach: &[PathBuf]) -> Result<FileRecord> {
        Session::save_record(self, record, attach)
    }
    fn write_attachment(&mut self, id: Id, out: &std::path::Path, _: &Context) -> Result<AttachmentInfo> {
        Session::write_attachment(self, id, out)
    }
}

impl Files for ServerSession {
    fn records(&mut self, member: Id) -> Result<Vec<FileRecord>> {
        ServerSession::records(self, member)
    }
    fn checklist(&mut self, member: Id) -> Result<Vec<ChecklistLine>> {
        ServerSession::checklist(self, member)
    }
    fn latest_event(&mut self, member: Id, kind: EventKind) -> Result<Id> {
        ServerSession::latest_event(self, member, kind)
    }
    fn save_record(&mut self, record: FileRecord, attach: &[PathBuf]) -> Result<FileRecord> {
        ServerSession::save_record(self, record, attach)
    }
    fn write_attachment(&mut self, id: Id, out: &std::path::Path, cx: &Context) -> Result<AttachmentInfo> {
        ServerSession::write_attachment(self, id, out, cx.workspace.dir())
    }
}

#[derive(Args)]
pub struct RecordsArgs {
    #[arg(long, value_name = "ID")]
    member: i64,
    /// Print {records: [...], checklist: [...]} as JSON
    #[arg(long)]
    json: bool,
}

pub fn records(args: RecordsArgs, kept: &mut impl Files, cx: &Context) -> Result<()> {
    let records = kept.records(args.member)?;
    let checklist = kept.checklist(args.member)?;
    if args.json { json::member_file(&records, &checklist) } else { cx.human.member_file(&records, &checklist) }
}

/// `dangan record`: what the new record says.
#[derive(Args, Debug, Clone)]
pub struct RecordArgs {
    #[arg(long, value_name = "ID")]
    member: i64,
    /// application_letter, talk_record, thought_report, activist_review, training_record,
    /// introducer_opinion, political_review, branch_resolution, approval, oath,
    /// conversion_application, study_note, appraisal (or the Chinese name: 谈话记录, …)
    #[arg(long)]
    kind: String,
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: String,
    /// The procedure step it documents (applicant_talk, admitted, …): the member's latest of that step
    #[arg(long, value_name = "STEP")]
    step: Option<String>,
    #[arg(long)]
    title: Option<String>,
    /// The record's text
    #[arg(long, conflicts_with = "text_file")]
    text: Option<String>,
    /// Read the record's text from a UTF-8 file
    #[arg(long, value_name = "FILE")]
    text_file: Option<PathBuf>,
    /// Who talked with the person (talk records)
    #[arg(long)]
    who: Option<String>,
    /// The course (training records)
    #[arg(long)]
    course: Option<String>,
    /// Class hours (training records)
    #[arg(long)]
    hours: Option<f64>,
    /// The certificate's number (training records)
    #[arg(long)]
    certificate: Option<String>,
    /// 优秀, 合格, 基本合格 or 不合格 (appraisals)
    #[arg(long)]
    grade: Option<String>,
    /// 0 to 100 (appraisals)
    #[arg(long)]
    score: Option<f64>,
    /// A file to attach (JPEG, PNG or PDF); repeat for several
    #[arg(long = "attach", value_name = "FILE")]
    attach: Vec<PathBuf>,
}

/// Adds a record to a member's file, with its attachments, in one change.
pub fn record<K: Files>(args: RecordArgs, open: impl FnOnce() -> Result<K>, cx: &Context) -> Result<()> {
    let kind = parse::record_kind(&args.kind)?;
    let date = parse::date("date", &args.date)?;
    let step = parse::optional(args.step.as_deref(), parse::record_step)?;
    let grade = parse::optional(args.grade.as_deref(), parse::grade)?;
    let mut session = open()?;
    let event_id = match step {
        None => None,
        Some(step) => Some(session.latest_event(args.member, step)?),
    };
    let body = match (args.text, args.text_file) {
        (Some(text), _) => text,
        (None, Some(path)) => parse::read_text(&path)?,
        (None, None) => String::new(),
    };
    let record = FileRecord {
        version: None,
        id: None,
        person_id: args.member,
        kind,
        date,
        event_id,
        title: args.title,
        body,
        fields: RecordFields {
            who: args.who,
            course: args.course,
            hours: args.hours,
            certificate: args.certificate,
            grade,
            score: args.score,
        },
        attachments: Vec::new(),
    };
    // The files are read as the record is saved, all of them or none.
    let saved = session.save_record(record, &args.attach)?;
    cx.human.record_added(&saved)
}

#[derive(Args)]
pub struct AttachmentArgs {
    /// The attachment's id (see `dangan records`)
    id: i64,
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

pub fn attachment(args: AttachmentArgs, kept: &mut impl Files, cx: &Context) -> Result<()> {
    let info = kept.write_attachment(args.id, &args.out, cx)?;
    cx.human.attachment_written(&info.name, &args.out)
}
