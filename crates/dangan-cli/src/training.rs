//! `dangan classes` and `dangan training`: training classes (党校培训班) with their sessions,
//! trainees, attendance, results and certificates; a member's own study; and each member's study
//! hours in a year.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use dangan_core::domain::{ClassKind, ClassSession, Id, StudyEntry, TraineeResult, TrainingClass};
use dangan_core::store::MemberQuery;
use dangan_core::{Error, Result, Text};

use crate::commands::Context;
use crate::meetings::{Register, split_names};
use crate::{json, parse};

#[derive(Subcommand)]
pub enum ClassesAction {
    /// Record a class with its sessions
    Add(AddClassArgs),
    /// List the classes, the latest first, with their trainees
    List(ListClassesArgs),
    /// Enrol trainees: people by name, or everyone at a stage (of a branch) in one step
    Enrol(EnrolArgs),
    /// Take trainees out of a class, with their attendance and results
    Unenrol(UnenrolArgs),
    /// Record who attended a session (replacing what was recorded)
    Attendance(SessionAttendanceArgs),
    /// Record a trainee's exam score and result
    Result(ResultArgs),
    /// For a development targets' class: record each passed trainee's centralised training step
    /// (refused for all if one attended less than 3 days or 24 hours)
    Pass(ClassIdArgs),
    /// Print the certificates (结业证书) of everyone who passed, as one PDF
    Certificates(CertificatesArgs),
}

#[derive(Args)]
pub struct AddClassArgs {
    /// The unit running it, by name or path (the committee's name for the party school)
    #[arg(long)]
    unit: String,
    /// activist_class (入党积极分子培训班), candidate_class (发展对象培训班), member_class (党员培训班), or the Chinese name
    #[arg(long)]
    kind: String,
    #[arg(long)]
    name: String,
    #[arg(long, value_name = "YYYY-MM-DD")]
    from: String,
    #[arg(long, value_name = "YYYY-MM-DD")]
    to: String,
    /// A session: its day and hours, and a topic if any (repeat for each)
    #[arg(long = "session", value_name = "YYYY-MM-DD:HOURS[:TOPIC]")]
    sessions: Vec<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ListClassesArgs {
    #[arg(long)]
    unit: Option<String>,
    #[arg(long)]
    year: Option<i32>,
    /// Print a JSON array of {class: {id, kind, name, starts, ends, sessions}, unit, trainees: [...]}
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct EnrolArgs {
    /// The class's id
    #[arg(long)]
    id: Id,
    /// People by name or student number, separated by commas
    #[arg(long)]
    people: Option<String>,
    /// Everyone at this stage (e.g. candidate, 发展对象)
    #[arg(long)]
    stage: Option<String>,
    /// With --stage: only this branch's
    #[arg(long)]
    branch: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct UnenrolArgs {
    #[arg(long)]
    id: Id,
    /// People by name or student number, separated by commas
    #[arg(long)]
    people: String,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct SessionAttendanceArgs {
    #[arg(long)]
    id: Id,
    /// The session's day
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: String,
    /// Who attended, by name or student number
    #[arg(long)]
    present: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ResultArgs {
    #[arg(long)]
    id: Id,
    /// The trainee, by name or student number
    #[arg(long)]
    person: String,
    /// The exam score, 0–100
    #[arg(long)]
    score: Option<u32>,
    /// yes or no (合格 or 不合格)
    #[arg(long)]
    passed: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ClassIdArgs {
    #[arg(long)]
    id: Id,
}

#[derive(Args)]
pub struct CertificatesArgs {
    #[arg(long)]
    id: Id,
    /// Where to write the PDF (outside the workspace)
    #[arg(long, value_name = "FILE.pdf")]
    out: PathBuf,
}

#[derive(Subcommand)]
pub enum TrainingAction {
    /// Each member's study hours in a year (meetings, classes and their own study), and the hours asked
    Hours(HoursArgs),
    /// Record a member's own study (an online course and the like)
    Add(AddStudyArgs),
    /// Record own study from a sheet (.xlsx or .csv: 姓名 or 学号工号, 日期, 学时, 学习内容, 学习途径):
    /// all rows or none
    Import(ImportStudyArgs),
    /// A member's own study in a year, each entry with its id
    List(ListStudyArgs),
    /// Delete an entry of own study, by its id
    Delete(DeleteStudyArgs),
}

#[derive(Args)]
pub struct ListStudyArgs {
    /// The member, by name or student number
    #[arg(long)]
    member: String,
    #[arg(long)]
    year: i32,
    /// Print a JSON array of {id, person_id, date, minutes, title, source}
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct DeleteStudyArgs {
    #[arg(long)]
    id: Id,
}

#[derive(Args)]
pub struct HoursArgs {
    #[arg(long)]
    year: i32,
    /// A unit, by name or path [default: everything you may see]
    #[arg(long)]
    unit: Option<String>,
    /// Only those short of the hours asked of them
    #[arg(long)]
    below: bool,
    /// Print a JSON array of {member_id, name, branch, hours, meeting_hours, class_hours, own_hours,
    /// required, committee, clause}
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct AddStudyArgs {
    /// The member, by name or student number
    #[arg(long)]
    member: String,
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: String,
    #[arg(long)]
    hours: String,
    #[arg(long)]
    title: String,
    /// Where: 学习强国, 网络学院, …
    #[arg(long)]
    source: Option<String>,
}

#[derive(Args)]
pub struct ImportStudyArgs {
    /// The sheet to read
    file: PathBuf,
}

/// `classes`, on a workspace or (through `open`, signing in) on the shared server.
pub fn classes<R: Register>(action: ClassesAction, open: impl FnOnce() -> Result<R>, cx: &Context) -> Result<()> {
    let mut session = open()?;
    match action {
        ClassesAction::Add(args) => {
            let unit = session.unit(&args.unit)?;
            let kind = class_kind(&args.kind)?;
            let sessions = args.sessions.iter().map(|s| class_session(s)).collect::<Result<Vec<_>>>()?;
            let class = TrainingClass {
                version: None,
                id: None,
                unit_id: unit,
                kind,
                name: args.name,
                starts: parse::date("from", &args.from)?,
                ends: parse::date("to", &args.to)?,
                sessions,
            };
            let record = session.save_class(class)?;
            if args.json { json::print(&record) } else { cx.human.class_saved(&record) }
        }
        ClassesAction::List(args) => {
            let unit = parse::optional(args.unit.as_deref(), |u| session.unit(u))?;
            let classes = session.classes(unit, args.year)?;
            if args.json { json::print(&classes) } else { cx.human.classes(&classes) }
        }
        ClassesAction::Enrol(args) => {
            let mut people = split_names(args.people.as_deref())
                .map(|n| find_person(&mut session, n))
                .collect::<Result<Vec<_>>>()?;
            if let Some(stage) = args.stage.as_deref() {
                let stage = parse::stage(stage)?;
                let branch_id = parse::optional(args.branch.as_deref(), |b| session.unit(b))?;
                let query = MemberQuery { branch_id, stage: Some(stage), ..MemberQuery::all() };
                people.extend(session.list_members(&query)?.items.iter().filter(|m| !m.ended).map(|m| m.id));
            }
            if people.is_empty() {
                return Err(Error::invalid(
                    "people",
                    "请用 --people 指名学员，或用 --stage 选择某一阶段的人员",
                    "name the trainees with --people, or choose everyone at a stage with --stage",
                ));
            }
            let record = session.enrol(args.id, &people)?;
            if args.json { json::print(&record) } else { cx.human.class_saved(&record) }
        }
        ClassesAction::Unenrol(args) => {
            let people =
                split_names(Some(&args.people)).map(|n| find_person(&mut session, n)).collect::<Result<Vec<_>>>()?;
            let record = session.unenrol(args.id, &people)?;
            if args.json { json::print(&record) } else { cx.human.class_saved(&record) }
        }
        ClassesAction::Attendance(args) => {
            let date = parse::date("date", &args.date)?;
            let record = session.class(args.id)?;
            let on_day: Vec<Id> =
                record.class.sessions.iter().filter(|s| s.date == date).filter_map(|s| s.id).collect();
            let [session_id] = on_day.as_slice() else {
                return Err(Error::invalid(
                    "date",
                    format!("「{}」在 {} 有 {} 个课次", record.class.name, args.date, on_day.len()),
                    format!("“{}” has {} session(s) on {}", record.class.name, on_day.len(), args.date),
                ));
            };
            let present = split_names(args.present.as_deref())
                .map(|n| find_person(&mut session, n))
                .collect::<Result<Vec<_>>>()?;
            let record = session.set_session_attendance(*session_id, &present)?;
            if args.json { json::print(&record) } else { cx.human.class_saved(&record) }
        }
        ClassesAction::Result(args) => {
            let person_id = find_person(&mut session, &args.person)?;
            let passed = parse::optional(args.passed.as_deref(), yes_no)?;
            // What is not given stays as recorded: `--passed no` keeps the score. Completed from
            // this read, the save is refused if another user changed the class meanwhile (a server).
            let read = session.class(args.id)?;
            let seen = read.class.version;
            let current = read.trainees.into_iter().find(|t| t.person_id == person_id);
            let result = TraineeResult {
                person_id,
                score: args.score.or(current.as_ref().and_then(|t| t.score)),
                passed: passed.or(current.as_ref().and_then(|t| t.passed)),
            };
            let record = session.set_results(args.id, &[result], seen)?;
            if args.json { json::print(&record) } else { cx.human.class_saved(&record) }
        }
        ClassesAction::Pass(args) => {
            let recorded = session.record_training_steps(args.id)?;
            cx.human.training_steps_recorded(recorded.len())
        }
        ClassesAction::Certificates(args) => {
            session.write_certificates(args.id, &args.out, cx)?;
            cx.human.file_written(&args.out)
        }
    }
}

/// `training`, on a workspace or (through `open`, signing in) on the shared server.
pub fn training<R: Register>(action: TrainingAction, open: impl FnOnce() -> Result<R>, cx: &Context) -> Result<()> {
    let mut session = open()?;
    match action {
        TrainingAction::Hours(args) => {
            let unit = parse::optional(args.unit.as_deref(), |u| session.unit(u))?;
            let mut rows = session.study_hours(args.year, unit)?;
            if args.below {
                rows.retain(|r| r.is_short());
            }
            if args.json { json::print(&rows) } else { cx.human.study_hours(args.year, &rows) }
        }
        TrainingAction::Add(args) => {
            let entry = StudyEntry {
                id: None,
                person_id: find_person(&mut session, &args.member)?,
                date: parse::date("date", &args.date)?,
                minutes: parse::study_hours(&args.hours)?,
                title: args.title,
                source: args.source,
            };
            session.add_study_entry(entry)?;
            cx.human.study_recorded(1)
        }
        TrainingAction::Import(args) => {
            let count = crate::progress::counted(cx.human.ctrl_c_cancels(), |report| {
                session.import_study_entries(&args.file, report)
            })?;
            cx.human.study_recorded(count)
        }
        TrainingAction::List(args) => {
            let person = find_person(&mut session, &args.member)?;
            let entries = session.study_entries(person, args.year)?;
            if args.json { json::print(&entries) } else { cx.human.study_entries(&entries) }
        }
        TrainingAction::Delete(args) => {
            session.delete_study_entry(args.id)?;
            cx.human.study_deleted(args.id)
        }
    }
}

fn class_kind(s: &str) -> Result<ClassKind> {
    ClassKind::parse(s).ok_or_else(|| {
        let known: Vec<String> = ClassKind::ALL.iter().map(|k| format!("{} ({})", k.as_str(), k.zh())).collect();
        Error::invalid(
            "kind",
            format!("培训班类型「{}」应为：{}", dangan_core::text::excerpt(s, 20), known.join("、")),
            format!("the class kind “{}” must be one of: {}", dangan_core::text::excerpt(s, 20), known.join(", ")),
        )
    })
}

/// `YYYY-MM-DD:HOURS[:TOPIC]`.
fn class_session(s: &str) -> Result<ClassSession> {
    let mut parts = s.splitn(3, ':');
    let (Some(date), Some(hours)) = (parts.next(), parts.next()) else {
        return Err(Error::invalid(
            "session",
            format!("课次「{}」应写作 日期:学时[:主题]，如 2026-10-10:8", dangan_core::text::excerpt(s, 30)),
            format!(
                "the session “{}” must read DATE:HOURS[:TOPIC], such as 2026-10-10:8",
                dangan_core::text::excerpt(s, 30)
            ),
        ));
    };
    let minutes = parse::study_hours(hours)?;
    if minutes == 0 {
        return Err(Error::invalid("session", "课次学时须大于 0", "a session needs more than 0 hours"));
    }
    Ok(ClassSession { id: None, date: parse::date("session", date)?, minutes, topic: parts.next().map(str::to_owned) })
}

fn yes_no(s: &str) -> Result<bool> {
    match s.trim() {
        "yes" | "y" | "true" | "合格" | "是" | "通过" => Ok(true),
        "no" | "n" | "false" | "不合格" | "否" | "未通过" => Ok(false),
        other => Err(Error::invalid(
            "passed",
            format!("「{}」应为 yes 或 no（合格或不合格）", dangan_core::text::excerpt(other, 20)),
            format!("“{}” must be yes or no", dangan_core::text::excerpt(other, 20)),
        )),
    }
}

/// Someone named by name or student number, among everyone the user may see.
fn find_person(session: &mut impl Register, name: &str) -> Result<Id> {
    let query = MemberQuery { search: Some(name.to_owned()), ..MemberQuery::all() };
    let page = session.list_members(&query)?;
    let matches: Vec<Id> = page
        .items
        .iter()
        .filter(|m| !m.ended && (m.name == name || m.student_no.as_deref() == Some(name)))
        .map(|m| m.id)
        .collect();
    let shown = dangan_core::text::excerpt(name, 40);
    match matches.as_slice() {
        [id] => Ok(*id),
        [] => Err(Error::invalid("person", format!("没有名为「{shown}」的人员"), format!("nobody is named “{shown}”"))),
        _ => Err(Error::InvalidInput {
            field: "person".into(),
            reason: Text::new(
                format!("有 {} 人名为「{shown}」，请改用学号工号", matches.len()),
                format!("{} people are named “{shown}”: give their student number instead", matches.len()),
            ),
        }),
    }
}
