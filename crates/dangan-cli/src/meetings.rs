//! `dangan meetings`: the meeting register of a branch's organisational life (三会一课, 主题党日, …),
//! each meeting with who was present, on leave, absent or late.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use dangan_core::domain::{
    Attendance, Attendee, ClassRecord, Id, Meeting, MeetingRecord, PartyGroup, PostHeld, PostRecord, StudyEntry,
    TraineeResult, TrainingClass,
};
use dangan_core::life_plan::LifePlan;
use dangan_core::server::ServerSession;
use dangan_core::store::{MeetingQuery, MemberPage, MemberQuery};
use dangan_core::study::StudyHours;
use dangan_core::{Error, Result, Session, Text};

use crate::commands::Context;
use crate::members::find_branch;
use crate::{json, parse};

/// Where the register of branch life is kept: a workspace, or the shared server (the commands
/// that run on both go through it).
pub trait Register {
    /// A unit by name or path (the committee by its own name).
    fn unit(&mut self, name: &str) -> Result<Id>;
    fn list_members(&mut self, query: &MemberQuery) -> Result<MemberPage>;
    fn groups(&mut self, unit: Option<Id>) -> Result<Vec<PartyGroup>>;
    fn save_group(&mut self, branch: Id, name: &str) -> Result<PartyGroup>;
    fn set_group_members(&mut self, group: Id, people: &[Id]) -> Result<PartyGroup>;
    fn save_meeting(&mut self, meeting: Meeting, attendees: &[Attendee]) -> Result<MeetingRecord>;
    fn meetings(&mut self, query: &MeetingQuery) -> Result<Vec<MeetingRecord>>;
    fn add_meeting_attachments(&mut self, id: Id, files: &[PathBuf]) -> Result<MeetingRecord>;
    fn save_meeting_attachment_as(&mut self, id: Id, out: &std::path::Path, cx: &Context) -> Result<()>;
    fn write_meeting_paper(&mut self, id: Id, sign_in: bool, out: &std::path::Path, cx: &Context) -> Result<()>;
    fn life_plan(&mut self, unit: Id, year: i32, as_of: Option<dangan_core::calendar::Date>) -> Result<LifePlan>;
    fn set_life_from(&mut self, unit: Id, from: dangan_core::calendar::Date) -> Result<()>;
    fn save_post(&mut self, post: PostHeld) -> Result<PostRecord>;
    fn posts(&mut self, unit: Option<Id>) -> Result<Vec<PostRecord>>;
    fn study_hours(&mut self, year: i32, unit: Option<Id>) -> Result<Vec<StudyHours>>;
    fn add_study_entry(&mut self, entry: StudyEntry) -> Result<StudyEntry>;
    fn import_study_entries(&mut self, path: &std::path::Path, report: crate::progress::Report<'_>) -> Result<usize>;
    fn study_entries(&mut self, person: Id, year: i32) -> Result<Vec<StudyEntry>>;
    fn delete_study_entry(&mut self, id: Id) -> Result<()>;
    fn write_work_register(&mut self, unit: Id, year: i32, out: &std::path::Path, cx: &Context) -> Result<()>;
    fn save_class(&mut self, class: TrainingClass) -> Result<ClassRecord>;
    fn class(&mut self, id: Id) -> Result<ClassRecord>;
    fn classes(&mut self, unit: Option<Id>, year: Option<i32>) -> Result<Vec<ClassRecord>>;
    fn enrol(&mut self, class: Id, people: &[Id]) -> Result<ClassRecord>;
    fn unenrol(&mut self, class: Id, people: &[Id]) -> Result<ClassRecord>;
    fn set_session_attendance(&mut self, session: Id, present: &[Id]) -> Result<ClassRecord>;
    /// `seen`: the class's version the results were completed from (a server's), refused if it moved.
    fn set_results(&mut self, class: Id, results: &[TraineeResult], seen: Option<i32>) -> Result<ClassRecord>;
    fn record_training_steps(&mut self, class: Id) -> Result<Vec<Id>>;
    fn write_certificates(&mut self, class: Id, out: &std::path::Path, cx: &Context) -> Result<()>;
    fn import_attendance(&mut self, meeting: Id, sheet: &std::path::Path) -> Result<MeetingRecord>;
    fn import_meetings(&mut self, sheet: &std::path::Path, report: crate::progress::Report<'_>) -> Result<usize>;
}

impl Register for Session {
    fn unit(&mut self, name: &str) -> Result<Id> {
        find_branch(self, name)
    }
    fn list_members(&mut self, query: &MemberQuery) -> Result<MemberPage> {
        Session::list_members(self, query)
    }
    fn groups(&mut self, unit: Option<Id>) -> Result<Vec<PartyGroup>> {
        Session::groups(self, unit)
    }
    fn save_group(&mut self, branch: Id, name: &str) -> Result<PartyGroup> {
        Session::save_group(self, None, branch, name)
    }
    fn set_group_members(&mut self, group: Id, people: &[Id]) -> Result<PartyGroup> {
        Session::set_group_members(self, group, people, None)
    }
    fn save_meeting(&mut self, meeting: Meeting, attendees: &[Attendee]) -> Result<MeetingRecord> {
        Session::save_meeting(self, meeting, attendees)
    }
    fn meetings(&mut self, query: &MeetingQuery) -> Result<Vec<MeetingRecord>> {
        Session::meetings(self, query)
    }
    fn add_meeting_attachments(&mut self, id: Id, files: &[PathBuf]) -> Result<MeetingRecord> {
        Session::add_meeting_attachments(self, id, files)
    }
    fn save_meeting_attachment_as(&mut self, id: Id, out: &std::path::Path, _: &Context) -> Result<()> {
        Session::save_meeting_attachment_as(self, id, out).map(drop)
    }
    fn write_meeting_paper(&mut self, id: Id, sign_in: bool, out: &std::path::Path, _: &Context) -> Result<()> {
        Session::write_meeting_paper(self, id, sign_in, out)
    }
    fn life_plan(&mut self, unit: Id, year: i32, as_of: Option<dangan_core::calendar::Date>) -> Result<LifePlan> {
        Session::life_plan(self, unit, year, as_of)
    }
    fn set_life_from(&mut self, unit: Id, from: dangan_core::calendar::Date) -> Result<()> {
        Session::set_life_from(self, unit, from)
    }
    fn save_post(&mut self, post: PostHeld) -> Result<PostRecord> {
        Session::save_post(self, post)
    }
    fn posts(&mut self, unit: Option<Id>) -> Result<Vec<PostRecord>> {
        Session::posts(self, unit)
    }
    fn study_hours(&mut self, year: i32, unit: Option<Id>) -> Result<Vec<StudyHours>> {
        Session::study_hours(self, year, unit)
    }
    fn add_study_entry(&mut self, entry: StudyEntry) -> Result<StudyEntry> {
        Session::add_study_entry(self, entry)
    }
    fn import_study_entries(&mut self, path: &std::path::Path, report: crate::progress::Report<'_>) -> Result<usize> {
        Session::import_study_entries(self, path, report)
    }
    fn study_entries(&mut self, person: Id, year: i32) -> Result<Vec<StudyEntry>> {
        Session::study_entries(self, person, year)
    }
    fn delete_study_entry(&mut self, id: Id) -> Result<()> {
        Session::delete_study_entry(self, id)
    }
    fn write_work_register(&mut self, unit: Id, year: i32, out: &std::path::Path, _: &Context) -> Result<()> {
        Session::write_work_register(self, unit, year, out)
    }
    fn save_class(&mut self, class: TrainingClass) -> Result<ClassRecord> {
        Session::save_class(self, class)
    }
    fn class(&mut self, id: Id) -> Result<ClassRecord> {
        Session::class(self, id)
    }
    fn classes(&mut self, unit: Option<Id>, year: Option<i32>) -> Result<Vec<ClassRecord>> {
        Session::classes(self, unit, year)
    }
    fn enrol(&mut self, class: Id, people: &[Id]) -> Result<ClassRecord> {
        Session::enrol(self, class, people)
    }
    fn unenrol(&mut self, class: Id, people: &[Id]) -> Result<ClassRecord> {
        Session::unenrol(self, class, people)
    }
    fn set_session_attendance(&mut self, session: Id, present: &[Id]) -> Result<ClassRecord> {
        Session::set_session_attendance(self, session, present)
    }
    fn set_results(&mut self, class: Id, results: &[TraineeResult], _: Option<i32>) -> Result<ClassRecord> {
        // One writer at a time in a workspace, and this read happened inside the same command.
        Session::set_results(self, class, results)
    }
    fn record_training_steps(&mut self, class: Id) -> Result<Vec<Id>> {
        Session::record_training_steps(self, class)
    }
    fn write_certificates(&mut self, class: Id, out: &std::path::Path, _: &Context) -> Result<()> {
        Session::write_certificates(self, class, out)
    }
    fn import_attendance(&mut self, meeting: Id, sheet: &std::path::Path) -> Result<MeetingRecord> {
        Session::import_attendance(self, meeting, sheet)
    }
    fn import_meetings(&mut self, sheet: &std::path::Path, report: crate::progress::Report<'_>) -> Result<usize> {
        Session::import_meetings(self, sheet, report)
    }
}

impl Register for ServerSession {
    fn unit(&mut self, name: &str) -> Result<Id> {
        self.find_unit(name, "unit")
    }
    fn list_members(&mut self, query: &MemberQuery) -> Result<MemberPage> {
        ServerSession::list_members(self, query)
    }
    fn groups(&mut self, unit: Option<Id>) -> Result<Vec<PartyGroup>> {
        ServerSession::groups(self, unit)
    }
    fn save_group(&mut self, branch: Id, name: &str) -> Result<PartyGroup> {
        ServerSession::save_group(self, None, branch, name)
    }
    fn set_group_members(&mut self, group: Id, people: &[Id]) -> Result<PartyGroup> {
        ServerSession::set_group_members(self, group, people, None)
    }
    fn save_meeting(&mut self, meeting: Meeting, attendees: &[Attendee]) -> Result<MeetingRecord> {
        ServerSession::save_meeting(self, meeting, attendees)
    }
    fn meetings(&mut self, query: &MeetingQuery) -> Result<Vec<MeetingRecord>> {
        ServerSession::meetings(self, query)
    }
    fn add_meeting_attachments(&mut self, id: Id, files: &[PathBuf]) -> Result<MeetingRecord> {
        ServerSession::add_meeting_attachments(self, id, files)
    }
    fn save_meeting_attachment_as(&mut self, id: Id, out: &std::path::Path, cx: &Context) -> Result<()> {
        ServerSession::save_meeting_attachment_as(self, id, out, cx.workspace.dir()).map(drop)
    }
    fn write_meeting_paper(&mut self, id: Id, sign_in: bool, out: &std::path::Path, cx: &Context) -> Result<()> {
        ServerSession::write_meeting_paper(self, id, sign_in, out, cx.workspace.dir())
    }
    fn life_plan(&mut self, unit: Id, year: i32, as_of: Option<dangan_core::calendar::Date>) -> Result<LifePlan> {
        ServerSession::life_plan(self, unit, year, as_of)
    }
    fn set_life_from(&mut self, unit: Id, from: dangan_core::calendar::Date) -> Result<()> {
        ServerSession::set_life_from(self, unit, from)
    }
    fn save_post(&mut self, post: PostHeld) -> Result<PostRecord> {
        ServerSession::save_post(self, post)
    }
    fn posts(&mut self, unit: Option<Id>) -> Result<Vec<PostRecord>> {
        ServerSession::posts(self, unit)
    }
    fn study_hours(&mut self, year: i32, unit: Option<Id>) -> Result<Vec<StudyHours>> {
        ServerSession::study_hours(self, year, unit)
    }
    fn add_study_entry(&mut self, entry: StudyEntry) -> Result<StudyEntry> {
        ServerSession::add_study_entry(self, entry)
    }
    fn import_study_entries(&mut self, path: &std::path::Path, report: crate::progress::Report<'_>) -> Result<usize> {
        ServerSession::import_study_entries(self, path, report)
    }
    fn study_entries(&mut self, person: Id, year: i32) -> Result<Vec<StudyEntry>> {
        ServerSession::study_entries(self, person, year)
    }
    fn delete_study_entry(&mut self, id: Id) -> Result<()> {
        ServerSession::delete_study_entry(self, id)
    }
    fn write_work_register(&mut self, unit: Id, year: i32, out: &std::path::Path, cx: &Context) -> Result<()> {
        ServerSession::write_work_register(self, unit, year, out, cx.workspace.dir())
    }
    fn save_class(&mut self, class: TrainingClass) -> Result<ClassRecord> {
        ServerSession::save_class(self, class)
    }
    fn class(&mut self, id: Id) -> Result<ClassRecord> {
        ServerSession::class(self, id)
    }
    fn classes(&mut self, unit: Option<Id>, year: Option<i32>) -> Result<Vec<ClassRecord>> {
        ServerSession::classes(self, unit, year)
    }
    fn enrol(&mut self, class: Id, people: &[Id]) -> Result<ClassRecord> {
        ServerSession::enrol(self, class, people)
    }
    fn unenrol(&mut self, class: Id, people: &[Id]) -> Result<ClassRecord> {
        ServerSession::unenrol(self, class, people)
    }
    fn set_session_attendance(&mut self, session: Id, present: &[Id]) -> Result<ClassRecord> {
        // A command names its own sheet whole: there is no earlier read to be stale.
        ServerSession::set_session_attendance(self, session, present, None)
    }
    fn set_results(&mut self, class: Id, results: &[TraineeResult], seen: Option<i32>) -> Result<ClassRecord> {
        ServerSession::set_results(self, class, results, seen)
    }
    fn record_training_steps(&mut self, class: Id) -> Result<Vec<Id>> {
        ServerSession::record_training_steps(self, class)
    }
    fn write_certificates(&mut self, class: Id, out: &std::path::Path, cx: &Context) -> Result<()> {
        ServerSession::write_certificates(self, class, out, cx.workspace.dir())
    }
    fn import_attendance(&mut self, meeting: Id, sheet: &std::path::Path) -> Result<MeetingRecord> {
        ServerSession::import_attendance(self, meeting, sheet)
    }
    fn import_meetings(&mut self, sheet: &std::path::Path, report: crate::progress::Report<'_>) -> Result<usize> {
        ServerSession::import_meetings(self, sheet, report)
    }
}

#[derive(Subcommand)]
pub enum MeetingsAction {
    /// Record a meeting with its attendance (held, or with --planned one to come)
    Add(Box<AddArgs>),
    /// List the meetings of a unit (its whole subtree) with their attendance
    List(ListArgs),
    /// Print a meeting as a PDF: the sign-in sheet of one to come, the minutes of one held
    Print(PrintArgs),
    /// Print a unit's year as a PDF (党支部工作手册): its committee, meetings and study hours
    Register(RegisterArgs),
    /// Record a meeting's attendance from a sheet (.xlsx or .csv: 姓名 or 学号工号, 出席情况, 事由),
    /// replacing what was recorded: all rows or none
    Attendance(AttendanceArgs),
    /// A branch's year as a grid: each kind of meeting it owes, each month or quarter held,
    /// owed, missed or to come
    Plan(PlanArgs),
    /// Set the day from which a unit owes its meetings (by default the day it was made)
    Track(TrackArgs),
    /// Record a sheet of held meetings (.xlsx or .csv: 单位, 会议类型, 日期, and optionally 党小组, 主题,
    /// 地点, 主持人, 记录人, 学时, 出席, 请假, 缺席, 迟到): all rows or none, every bad row named
    Import(ImportMeetingsArgs),
    /// Add files to a meeting: sign-in sheet scans, photos (JPEG, PNG or PDF), kept encrypted
    Attach(AttachArgs),
    /// Write a copy of a meeting's file (its id from `meetings list --json`) outside the workspace
    Attachment(AttachmentArgs),
}

#[derive(Args)]
pub struct ImportMeetingsArgs {
    /// The sheet to read
    file: PathBuf,
}

#[derive(Args)]
pub struct AttachArgs {
    /// The meeting's id
    #[arg(long)]
    id: Id,
    /// The files to add
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct AttachmentArgs {
    /// The file's id
    #[arg(long)]
    id: Id,
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

#[derive(Args)]
pub struct PlanArgs {
    /// The branch, by name or path
    #[arg(long)]
    unit: String,
    #[arg(long)]
    year: i32,
    /// Compute it as of this date [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<String>,
    /// Print {unit_id, unit, year, tracked_from, rows: [{kind, group, periods: [{from, to, state, meetings}]}]}
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct TrackArgs {
    /// The branch, by name or path
    #[arg(long)]
    unit: String,
    /// The day its first owed meeting counts from
    #[arg(long, value_name = "YYYY-MM-DD")]
    from: String,
}

#[derive(Args)]
pub struct RegisterArgs {
    /// The branch, by name or path
    #[arg(long)]
    unit: String,
    #[arg(long)]
    year: i32,
    /// Where to write the PDF (outside the workspace)
    #[arg(long, value_name = "FILE.pdf")]
    out: PathBuf,
}

#[derive(Args)]
pub struct AttendanceArgs {
    /// The meeting's id
    #[arg(long)]
    id: Id,
    /// The sheet to read
    #[arg(long, value_name = "FILE")]
    import: PathBuf,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct PrintArgs {
    /// The meeting's id (`meetings list --json`, or what `meetings add` says)
    #[arg(long)]
    id: Id,
    /// Where to write the PDF (outside the workspace)
    #[arg(long, value_name = "FILE.pdf")]
    out: PathBuf,
    /// The sign-in sheet even of a meeting held (to print it again)
    #[arg(long)]
    sign_in: bool,
}

#[derive(Args)]
pub struct AddArgs {
    /// The unit holding it: a branch, general branch or the committee, by name or path
    #[arg(long)]
    unit: String,
    /// general_meeting (支部党员大会), committee_meeting (支委会), group_meeting (党小组会), party_lecture (党课),
    /// theme_day (主题党日), life_meeting (组织生活会), heart_talk (谈心谈话), other; or the Chinese name
    #[arg(long)]
    kind: String,
    /// For a group_meeting: the party group of the branch that holds it
    #[arg(long)]
    group: Option<String>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: String,
    #[arg(long)]
    topic: Option<String>,
    #[arg(long)]
    place: Option<String>,
    #[arg(long)]
    chair: Option<String>,
    #[arg(long)]
    recorder: Option<String>,
    /// The members present, by name or student number, separated by commas (，and 、 too)
    #[arg(long, value_name = "NAME,…")]
    present: Option<String>,
    /// The members absent
    #[arg(long, value_name = "NAME,…")]
    absent: Option<String>,
    /// The members on leave
    #[arg(long, value_name = "NAME,…")]
    leave: Option<String>,
    /// The members who came late
    #[arg(long, value_name = "NAME,…")]
    late: Option<String>,
    /// The study time it counts for each member present, in hours (0.5 steps are fine)
    #[arg(long, value_name = "HOURS")]
    hours: Option<String>,
    /// A meeting to come (its sign-in sheet can be printed); without it the meeting was held
    #[arg(long)]
    planned: bool,
    /// Print the meeting as JSON
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ListArgs {
    /// A unit, by name or path: its whole subtree [default: everything you may see]
    #[arg(long)]
    unit: Option<String>,
    /// Only this kind (as for `add`)
    #[arg(long)]
    kind: Option<String>,
    /// Only this year's meetings
    #[arg(long)]
    year: Option<i32>,
    /// Print a JSON array of {meeting: {...}, unit, attendees: [{person_id, name, attendance, reason}]}
    #[arg(long)]
    json: bool,
}

/// `meetings`, on a workspace or (through `open`, signing in) on the shared server.
pub fn meetings<R: Register>(action: MeetingsAction, open: impl FnOnce() -> Result<R>, cx: &Context) -> Result<()> {
    let kept = &mut open()?;
    match action {
        MeetingsAction::Attendance(args) => {
            let record = kept.import_attendance(args.id, &args.import)?;
            if args.json { json::print(&record) } else { cx.human.meeting_saved(&record) }
        }
        MeetingsAction::Import(args) => {
            let count =
                crate::progress::counted(cx.human.ctrl_c_cancels(), |report| kept.import_meetings(&args.file, report))?;
            cx.human.meetings_imported(count)
        }
        MeetingsAction::Add(args) => add(*args, kept, cx),
        MeetingsAction::List(args) => list(args, kept, cx),
        MeetingsAction::Register(args) => {
            let unit = kept.unit(&args.unit)?;
            kept.write_work_register(unit, args.year, &args.out, cx)?;
            cx.human.file_written(&args.out)
        }
        MeetingsAction::Print(args) => {
            kept.write_meeting_paper(args.id, args.sign_in, &args.out, cx)?;
            cx.human.file_written(&args.out)
        }
        MeetingsAction::Plan(args) => {
            let as_of = parse::optional(args.as_of.as_deref(), |d| parse::date("as_of", d))?;
            let unit = kept.unit(&args.unit)?;
            let plan = kept.life_plan(unit, args.year, as_of)?;
            if args.json { json::print(&plan) } else { cx.human.life_plan(&plan) }
        }
        MeetingsAction::Attach(args) => {
            let record = kept.add_meeting_attachments(args.id, &args.files)?;
            if args.json { json::print(&record) } else { cx.human.meeting_saved(&record) }
        }
        MeetingsAction::Attachment(args) => {
            kept.save_meeting_attachment_as(args.id, &args.out, cx)?;
            cx.human.file_written(&args.out)
        }
        MeetingsAction::Track(args) => {
            let from = parse::date("from", &args.from)?;
            let unit = kept.unit(&args.unit)?;
            kept.set_life_from(unit, from)?;
            cx.human.life_tracked(&args.unit, from)
        }
    }
}

fn add(args: AddArgs, kept: &mut impl Register, cx: &Context) -> Result<()> {
    let kind = parse::meeting_kind(&args.kind)?;
    let date = parse::date("date", &args.date)?;
    let study_minutes = match args.hours.as_deref() {
        Some(h) => parse::study_hours(h)?,
        None => 0,
    };
    let unit = kept.unit(&args.unit)?;
    let group_id = match args.group.as_deref() {
        None => None,
        Some(name) => {
            let groups = kept.groups(Some(unit))?;
            let found = groups.iter().find(|g| g.branch_id == unit && g.name == name.trim()).ok_or_else(|| {
                Error::invalid(
                    "group",
                    format!("「{}」中没有名为「{}」的党小组", args.unit, name.trim()),
                    format!("“{}” has no party group named “{}”", args.unit, name.trim()),
                )
            })?;
            Some(found.id)
        }
    };
    let mut attendees = Vec::new();
    for (names, attendance) in [
        (&args.present, Attendance::Present),
        (&args.absent, Attendance::Absent),
        (&args.leave, Attendance::Leave),
        (&args.late, Attendance::Late),
    ] {
        for name in split_names(names.as_deref()) {
            let person_id = person_in_unit(kept, unit, &args.unit, name)?;
            attendees.push(Attendee { person_id, attendance, reason: None });
        }
    }
    let meeting = Meeting {
        version: None,
        id: None,
        unit_id: unit,
        group_id,
        kind,
        date,
        held: !args.planned,
        place: args.place,
        chair: args.chair,
        recorder: args.recorder,
        topic: args.topic,
        minutes: None,
        decisions: None,
        study_minutes,
        guests: None,
    };
    let record = kept.save_meeting(meeting, &attendees)?;
    if args.json { json::print(&record) } else { cx.human.meeting_saved(&record) }
}

fn list(args: ListArgs, kept: &mut impl Register, cx: &Context) -> Result<()> {
    let kind = parse::optional(args.kind.as_deref(), parse::meeting_kind)?;
    let (from, to) = match args.year {
        Some(year) => {
            let (from, to) = parse::year(year)?;
            (Some(from), Some(to))
        }
        None => (None, None),
    };
    let unit = parse::optional(args.unit.as_deref(), |u| kept.unit(u))?;
    let records = kept.meetings(&MeetingQuery { unit, kind, from, to })?;
    if args.json { json::print(&records) } else { cx.human.meetings(&records) }
}

/// Names separated by commas, Chinese commas or 、, blanks dropped.
pub fn split_names(names: Option<&str>) -> impl Iterator<Item = &str> {
    names.unwrap_or_default().split([',', '，', '、']).map(str::trim).filter(|n| !n.is_empty())
}

/// The one member of the unit with this name or student number; refused, naming them, when there
/// is none or more than one.
pub fn person_in_unit(kept: &mut impl Register, unit: Id, unit_name: &str, name: &str) -> Result<Id> {
    let query = MemberQuery { branch_id: Some(unit), search: Some(name.to_owned()), ..MemberQuery::all() };
    let page = kept.list_members(&query)?;
    let matches: Vec<Id> =
        page.items.iter().filter(|m| m.name == name || m.student_no.as_deref() == Some(name)).map(|m| m.id).collect();
    let shown = dangan_core::text::excerpt(name, 40);
    match matches.as_slice() {
        [id] => Ok(*id),
        [] => Err(Error::invalid(
            "attendees",
            format!("「{unit_name}」没有名为「{shown}」的人员，不能记录其出席情况"),
            format!("“{unit_name}” has nobody named “{shown}”: their attendance cannot be recorded"),
        )),
        _ => Err(Error::InvalidInput {
            field: "attendees".into(),
            reason: Text::new(
                format!("「{unit_name}」有 {} 人名为「{shown}」，请改用学号工号", matches.len()),
                format!(
                    "“{unit_name}” has {} people named “{shown}”: give their student number instead",
                    matches.len()
                ),
            ),
        }),
    }
}
