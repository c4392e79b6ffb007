//! `dangan records`, `record` and `attachment`: a member's file from a terminal — its records,
//! their attachments, and the checklist of materials.

use std::path::PathBuf;

use clap::Args;
use dangan_core::Result;
use dangan_core::domain::{FileRecord, RecordFields};

use crate::commands::Context;
use crate::{json, parse};

#[derive(Args)]
pub struct RecordsArgs {
    #[arg(long, value_name = "ID")]
    member: i64,
    /// Print {records: [...], checklist: [...]} as JSON
    #[arg(long)]
    json: bool,
}

pub fn records(args: RecordsArgs, cx: &Context) -> Result<()> {
    let session = cx.unlock()?;
    let records = session.records(args.member)?;
    let checklist = session.checklist(args.member)?;
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
pub fn record(args: RecordArgs, cx: &Context) -> Result<()> {
    let mut session = cx.unlock()?;
    let kind = parse::record_kind(&args.kind)?;
    let date = parse::date("date", &args.date)?;
    let event_id = match parse::optional(args.step.as_deref(), parse::record_step)? {
        None => None,
        Some(step) => Some(session.latest_event(args.member, step)?),
    };
    let grade = parse::optional(args.grade.as_deref(), parse::grade)?;
    let body = match (args.text, args.text_file) {
        (Some(text), _) => text,
        (None, Some(path)) => parse::read_text(&path)?,
        (None, None) => String::new(),
    };
    let record = FileRecord {
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

pub fn attachment(args: AttachmentArgs, cx: &Context) -> Result<()> {
    let info = cx.unlock()?.write_attachment(args.id, &args.out)?;
    cx.human.attachment_written(&info.name, &args.out)
}
