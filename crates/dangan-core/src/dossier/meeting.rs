//! A meeting on paper (issue 16): the sign-in sheet (签到表) of a meeting to come, listing the
//! unit's members with a blank to sign, and the minutes (会议记录) of one held, with who came, who
//! was on leave or absent, and what was said and decided. Official-document style, through the
//! printed-report machinery.

use super::report::{ReportInfo, Section, render_report};
use crate::Result;
use crate::calendar::format_zh;
use crate::domain::{Attendance, MeetingRecord};
use crate::store::MemberSummary;

/// What a printed meeting says beyond the record: the committee, and the unit's members (for the
/// sign-in sheet).
pub struct MeetingPaper<'a> {
    pub record: &'a MeetingRecord,
    pub committee: &'a str,
    pub members: &'a [MemberSummary],
    pub generated_on: crate::calendar::Date,
}

fn facts(paper: &MeetingPaper<'_>) -> Vec<String> {
    let m = &paper.record.meeting;
    let mut lines = vec![format!("时间：{}", format_zh(m.date))];
    for (label, value) in [("地点", &m.place), ("主持人", &m.chair), ("记录人", &m.recorder), ("主题", &m.topic)]
    {
        if let Some(value) = value {
            lines.push(format!("{label}：{value}"));
        }
    }
    lines
}

fn info<'a>(paper: &'a MeetingPaper<'_>, title: &'a str, lines: Vec<String>) -> ReportInfo<'a> {
    ReportInfo {
        title,
        subtitle: lines,
        author: paper.committee,
        generated_on: paper.generated_on,
        created_at: chrono::Utc::now(),
    }
}

/// The sign-in sheet: the unit's members, each with a blank to sign.
/// Whoever a meeting's sign-in sheet lists: the unit's members and probationary members still
/// in it (for both engines).
pub fn on_sign_in_sheet(member: &MemberSummary) -> bool {
    !member.ended && matches!(member.stage, crate::domain::Stage::Probationary | crate::domain::Stage::FullMember)
}

/// A meeting as a PDF: the sign-in sheet of one not yet held (or when asked for), else its
/// minutes with the attendance.
pub fn paper(paper: &MeetingPaper<'_>, sign_in: bool) -> Result<Vec<u8>> {
    if sign_in || !paper.record.meeting.held { sign_in_sheet(paper) } else { minutes(paper) }
}

pub fn sign_in_sheet(paper: &MeetingPaper<'_>) -> Result<Vec<u8>> {
    let m = &paper.record.meeting;
    let title = format!("{}{}签到表", paper.record.unit, m.kind.zh());
    let rows = paper
        .members
        .iter()
        .enumerate()
        .map(|(i, member)| vec![(i + 1).to_string(), member.name.clone(), String::new(), String::new()])
        .collect();
    let columns = vec![
        ("序号".to_owned(), 16.0),
        ("姓名".to_owned(), 40.0),
        ("签到".to_owned(), 60.0),
        ("备注".to_owned(), 40.0),
    ];
    let mut lines = facts(paper);
    lines.push(format!("应到 {} 人", paper.members.len()));
    render_report(&info(paper, &title, lines), &[Section::TextTable { heading: None, columns, rows }])
}

/// The minutes of a held meeting: attendance, what was said, what was decided.
pub fn minutes(paper: &MeetingPaper<'_>) -> Result<Vec<u8>> {
    let record = paper.record;
    let m = &record.meeting;
    let title = format!("{}{}会议记录", record.unit, m.kind.zh());
    let names = |which: &[Attendance]| -> Vec<String> {
        record
            .attendees
            .iter()
            .filter(|a| which.contains(&a.attendance))
            .map(|a| match a.reason.as_deref() {
                Some(reason) if a.attendance == Attendance::Leave => format!("{}（{reason}）", a.name),
                _ => a.name.clone(),
            })
            .collect()
    };
    let present = names(&[Attendance::Present, Attendance::Late]);
    let mut attendance = vec![format!("应到 {} 人，实到 {} 人", record.attendees.len(), present.len())];
    for (label, list) in [
        ("出席", present),
        ("迟到", names(&[Attendance::Late])),
        ("请假", names(&[Attendance::Leave])),
        ("缺席", names(&[Attendance::Absent])),
    ] {
        if !list.is_empty() {
            attendance.push(format!("{label}：{}", list.join("、")));
        }
    }
    if let Some(guests) = &m.guests {
        attendance.push(format!("列席：{guests}"));
    }
    if m.study_minutes > 0 {
        attendance.push(format!("计入学时：{} 小时", crate::meetings::hours(m.study_minutes)));
    }
    let sections = [
        Section::Lines { heading: "出席情况".into(), lines: attendance },
        Section::Text { heading: "会议内容".into(), text: m.minutes.clone().unwrap_or_default() },
        Section::Text { heading: "决定事项".into(), text: m.decisions.clone().unwrap_or_default() },
    ];
    render_report(&info(paper, &title, facts(paper)), &sections)
}

/// A branch's year on paper (党支部工作手册): its committee, every meeting with its attendance and
/// study time, and each member's study hours against what is asked.
pub struct WorkRegister<'a> {
    pub unit: &'a str,
    pub year: i32,
    pub committee: &'a str,
    pub posts: &'a [crate::domain::PostRecord],
    pub meetings: &'a [MeetingRecord],
    pub hours: &'a [crate::study::StudyHours],
    pub generated_on: crate::calendar::Date,
}

/// Renders the work register.
pub fn work_register(register: &WorkRegister<'_>) -> Result<Vec<u8>> {
    let title = format!("{}{}年度组织生活记录", register.unit, register.year);
    let posts = register
        .posts
        .iter()
        .map(|p| {
            let until = p.held.until.map_or_else(|| "至今".to_owned(), format_zh);
            vec![p.held.post.zh().to_owned(), p.name.clone(), format!("{} 至 {until}", format_zh(p.held.since))]
        })
        .collect();
    let meetings = register
        .meetings
        .iter()
        .map(|r| {
            let m = &r.meeting;
            let present = r.attendees.iter().filter(|a| a.attendance.attended()).count();
            vec![
                format_zh(m.date),
                m.kind.zh().to_owned(),
                m.topic.clone().unwrap_or_default(),
                if m.held { format!("{present}/{}", r.attendees.len()) } else { "计划".to_owned() },
                crate::meetings::hours(m.study_minutes),
            ]
        })
        .collect();
    let hours = register
        .hours
        .iter()
        .map(|h| {
            let short = if h.is_short() { "未达到" } else { "" };
            vec![h.name.clone(), h.hours.to_string(), h.required.to_string(), short.to_owned()]
        })
        .collect();
    let sections = [
        Section::TextTable {
            heading: Some("支部委员会".into()),
            columns: vec![("职务".into(), 40.0), ("姓名".into(), 40.0), ("任职时间".into(), 76.0)],
            rows: posts,
        },
        Section::TextTable {
            heading: Some("会议".into()),
            columns: vec![
                ("日期".into(), 32.0),
                ("类型".into(), 28.0),
                ("主题".into(), 60.0),
                ("出席".into(), 18.0),
                ("学时".into(), 18.0),
            ],
            rows: meetings,
        },
        Section::TextTable {
            heading: Some("党员学习学时".into()),
            columns: vec![("姓名".into(), 40.0), ("学时".into(), 36.0), ("应达".into(), 36.0), ("".into(), 44.0)],
            rows: hours,
        },
    ];
    let info = ReportInfo {
        title: &title,
        subtitle: vec![format!("{}　{} 年 1 月 1 日至 12 月 31 日", register.committee, register.year)],
        author: register.committee,
        generated_on: register.generated_on,
        created_at: chrono::Utc::now(),
    };
    render_report(&info, &sections)
}
