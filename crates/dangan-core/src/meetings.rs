//! The checks of a meeting before it is stored (issue 16, "bad input"): a meeting recorded as held
//! cannot lie in the future, its study time is at most a day, its text fields hold no control or
//! text-direction characters, and each attendee is named once and belongs to the unit. The store
//! (`store/meetings.rs`) runs them and writes; this module says what is wrong.

use std::collections::HashSet;

use crate::calendar::{self, Date};
use crate::domain::{Attendance, Attendee, Id, MAX_STUDY_MINUTES, Meeting, MeetingKind};
use crate::roster::sheet::RowProblems;
use crate::{Error, Result, Text};

/// The longest a meeting's short fields (place, chair, recorder, topic) may be, in characters.
const SHORT_FIELD_CHARS: usize = 200;
/// The longest its minutes, decisions and guests may be.
const LONG_FIELD_CHARS: usize = 20_000;

/// Checks a meeting and its attendees; `in_unit` says whether a person belongs to the meeting's
/// unit, `name_of` names a person for the message. The first problem found is the error.
pub fn check(
    meeting: &Meeting,
    attendees: &[Attendee],
    today: Date,
    in_unit: impl Fn(Id) -> bool,
    name_of: impl Fn(Id) -> String,
) -> Result<()> {
    if meeting.held && meeting.date > today {
        return Err(Error::invalid(
            "date",
            format!(
                "会议日期 {} 晚于今天，不能记为已召开；尚未召开的会议请记为计划",
                calendar::format_zh(meeting.date)
            ),
            format!(
                "the meeting's date, {}, is in the future: it cannot be recorded as held; plan it instead",
                meeting.date
            ),
        ));
    }
    if meeting.study_minutes > MAX_STUDY_MINUTES {
        return Err(Error::invalid(
            "study_minutes",
            format!("学时 {} 小时超过一天（24 小时）", hours(meeting.study_minutes)),
            format!("the study time, {} hours, is more than a day (24 hours)", hours(meeting.study_minutes)),
        ));
    }
    for (field, value, limit, zh, multiline) in [
        ("place", meeting.place.as_deref(), SHORT_FIELD_CHARS, "地点", false),
        ("chair", meeting.chair.as_deref(), SHORT_FIELD_CHARS, "主持人", false),
        ("recorder", meeting.recorder.as_deref(), SHORT_FIELD_CHARS, "记录人", false),
        ("topic", meeting.topic.as_deref(), SHORT_FIELD_CHARS, "主题", false),
        ("minutes", meeting.minutes.as_deref(), LONG_FIELD_CHARS, "会议记录", true),
        ("decisions", meeting.decisions.as_deref(), LONG_FIELD_CHARS, "决定事项", true),
        ("guests", meeting.guests.as_deref(), LONG_FIELD_CHARS, "列席人员", true),
    ] {
        let Some(value) = value else { continue };
        if let Some(c) = crate::text::forbidden_char(value, multiline) {
            let message = crate::text::forbidden_char_message(&Text::new(zh, field), c);
            return Err(Error::InvalidInput { field: field.into(), reason: message });
        }
        if value.chars().count() > limit {
            return Err(Error::invalid(
                field,
                format!("{zh}超过 {limit} 个字"),
                format!("{field} is longer than {limit} characters"),
            ));
        }
    }
    let mut seen = HashSet::new();
    for attendee in attendees {
        if !seen.insert(attendee.person_id) {
            let name = name_of(attendee.person_id);
            return Err(Error::invalid(
                "attendees",
                format!("{name} 在出席名单中出现了两次"),
                format!("{name} is on the attendance list twice"),
            ));
        }
        if !in_unit(attendee.person_id) {
            let name = name_of(attendee.person_id);
            return Err(Error::invalid(
                "attendees",
                format!("{name} 不是本单位的人员，不能记录其出席情况"),
                format!("{name} is not in this unit: their attendance cannot be recorded"),
            ));
        }
        if attendee.attendance != Attendance::Present && !meeting.held {
            return Err(Error::invalid(
                "attendees",
                "尚未召开的会议不能记录请假、缺席或迟到",
                "a meeting not yet held has no leave, absence or lateness to record",
            ));
        }
        if let Some(reason) = attendee.reason.as_deref()
            && let Some(c) = crate::text::forbidden_char(reason, false)
        {
            let message = crate::text::forbidden_char_message(&Text::new("请假事由", "reason"), c);
            return Err(Error::InvalidInput { field: "attendees".into(), reason: message });
        }
    }
    Ok(())
}

/// Minutes as hours the way people write them: `1.5`, `2`.
pub fn hours(minutes: u32) -> String {
    let tenths = (u64::from(minutes) * 10 + 30) / 60;
    if tenths.is_multiple_of(10) { (tenths / 10).to_string() } else { format!("{}.{}", tenths / 10, tenths % 10) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::MeetingKind;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn meeting(date: &str, held: bool) -> Meeting {
        Meeting {
            version: None,
            id: None,
            unit_id: 2,
            group_id: None,
            kind: MeetingKind::CommitteeMeeting,
            date: d(date),
            held,
            place: None,
            chair: None,
            recorder: None,
            topic: Some("学习".into()),
            minutes: None,
            decisions: None,
            study_minutes: 90,
            guests: None,
        }
    }

    fn present(id: Id) -> Attendee {
        Attendee { person_id: id, attendance: Attendance::Present, reason: None }
    }

    fn check_with(m: &Meeting, attendees: &[Attendee]) -> Result<()> {
        check(m, attendees, d("2026-11-24"), |id| id < 10, |id| format!("人{id}"))
    }

    #[test]
    fn a_held_meeting_in_the_future_is_refused_but_a_planned_one_is_not() {
        let err = check_with(&meeting("2026-11-25", true), &[]).unwrap_err();
        assert!(matches!(&err, Error::InvalidInput { field, .. } if field == "date"), "{err:?}");
        assert!(check_with(&meeting("2026-11-25", false), &[present(1)]).is_ok());
        assert!(check_with(&meeting("2026-11-24", true), &[present(1)]).is_ok());
    }

    #[test]
    fn an_attendee_outside_the_unit_or_named_twice_is_refused_by_name() {
        let m = meeting("2026-11-20", true);
        let err = check_with(&m, &[present(1), present(12)]).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput { field, reason } if field == "attendees" && reason.zh.contains("人12"))
        );
        let err = check_with(&m, &[present(1), present(1)]).unwrap_err();
        assert!(matches!(&err, Error::InvalidInput { reason, .. } if reason.zh.contains("两次")));
    }

    #[test]
    fn study_time_is_at_most_a_day_and_text_is_checked() {
        let mut m = meeting("2026-11-20", true);
        m.study_minutes = 24 * 60 + 1;
        assert!(matches!(check_with(&m, &[]), Err(Error::InvalidInput { field, .. }) if field == "study_minutes"));
        let mut m = meeting("2026-11-20", true);
        m.topic = Some("学习\u{202e}gpj.exe".into());
        assert!(matches!(check_with(&m, &[]), Err(Error::InvalidInput { field, .. }) if field == "topic"));
        assert_eq!(hours(90), "1.5");
        assert_eq!(hours(120), "2");
    }
}

/// One row of an attendance sheet: who (a name or a student number) and how they attended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceRow {
    /// The spreadsheet's row number.
    pub row: u64,
    pub who: String,
    pub attendance: Attendance,
    pub reason: Option<String>,
}

/// Reads an attendance sheet (.xlsx or .csv): a header row with 姓名 (or 学号工号), 出席情况 and
/// optionally 事由, then one row per member. The good rows, and the bad ones named: the store adds
/// the rows naming nobody in the unit, and any bad row refuses the whole sheet, nothing recorded.
pub fn read_attendance_sheet(path: &std::path::Path) -> Result<(Vec<AttendanceRow>, RowProblems)> {
    use crate::roster::sheet::for_each_row;
    let text = crate::roster::sheet::Cell::as_text;
    let (mut who_col, mut how_col, mut why_col) = (None, None, None);
    let mut rows = Vec::new();
    // Each problem in both languages: the error speaks the user's.
    let mut problems = RowProblems::default();
    for_each_row(path, |row, cells| {
        if row == 1 {
            for (i, cell) in cells.iter().enumerate() {
                match text(cell).as_str() {
                    "姓名" | "学号工号" | "学号" | "工号" | "name" => who_col = who_col.or(Some(i)),
                    "出席情况" | "出席" | "情况" | "状态" | "attendance" => how_col = Some(i),
                    "事由" | "请假事由" | "原因" | "备注" | "reason" => why_col = Some(i),
                    _ => {}
                }
            }
            return Ok(());
        }
        let (Some(who_col), Some(how_col)) = (who_col, how_col) else { return Ok(()) };
        let get = |i: Option<usize>| i.and_then(|i| cells.get(i)).map(text).unwrap_or_default();
        let (who, how, why) = (get(Some(who_col)), get(Some(how_col)), get(why_col));
        if who.is_empty() && how.is_empty() {
            return Ok(());
        }
        match (who.is_empty(), Attendance::parse(&how)) {
            (true, _) => problems.add(row, "没有姓名", "no name"),
            (false, None) => {
                let how = crate::text::excerpt(&how, 20);
                problems.add(
                    row,
                    format!("出席情况「{how}」应为出席、请假、缺席或迟到"),
                    format!("“{how}” must be present, leave, absent or late"),
                )
            }
            (false, Some(attendance)) => {
                rows.push(AttendanceRow { row, who, attendance, reason: (!why.is_empty()).then_some(why) })
            }
        }
        Ok(())
    })?;
    if who_col.is_none() || how_col.is_none() {
        return Err(Error::invalid(
            "sheet",
            "出席表需要「姓名」（或「学号工号」）和「出席情况」两列",
            "an attendance sheet needs the columns 姓名 (or 学号工号) and 出席情况",
        ));
    }
    Ok((rows, problems))
}

/// One row of a sheet of meetings (a register kept in Excel until now), as read.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingRow {
    pub row: u64,
    /// The unit's path, or the committee's name.
    pub unit: String,
    pub kind: MeetingKind,
    pub date: Date,
    /// The party group, for a 党小组会.
    pub group: Option<String>,
    pub topic: Option<String>,
    pub place: Option<String>,
    pub chair: Option<String>,
    pub recorder: Option<String>,
    pub study_minutes: u32,
    /// Who attended how, each named by name or student number.
    pub attendance: Vec<(String, Attendance)>,
}

/// Reads a sheet of held meetings (.xlsx or .csv): 单位 (or 所在支部), 会议类型, 日期, and optionally
/// 党小组, 主题, 地点, 主持人, 记录人, 学时, and 出席, 请假, 缺席, 迟到 each naming people separated by
/// 、 or commas. The good rows, and the bad ones named; the store adds the rows whose unit, group or
/// people are not found, and any bad row refuses the sheet.
pub fn read_meeting_sheet(path: &std::path::Path) -> Result<(Vec<MeetingRow>, RowProblems)> {
    use crate::roster::sheet::for_each_row;
    let text = crate::roster::sheet::Cell::as_text;
    const COLUMNS: [&[&str]; 13] = [
        &["单位", "所在支部", "支部", "组织"],
        &["会议类型", "类型"],
        &["日期", "会议日期"],
        &["党小组"],
        &["主题", "会议主题"],
        &["地点"],
        &["主持人"],
        &["记录人"],
        &["学时"],
        &["出席", "出席人员"],
        &["请假", "请假人员"],
        &["缺席", "缺席人员"],
        &["迟到", "迟到人员"],
    ];
    let mut cols: [Option<usize>; 13] = [None; 13];
    let mut rows = Vec::new();
    let mut problems = RowProblems::default();
    for_each_row(path, |row, cells| {
        if row == 1 {
            for (i, cell) in cells.iter().enumerate() {
                let header = text(cell);
                if let Some(slot) = COLUMNS.iter().position(|names| names.contains(&header.as_str())) {
                    cols[slot] = cols[slot].or(Some(i));
                }
            }
            return Ok(());
        }
        let get = |slot: usize| cols[slot].and_then(|i| cells.get(i)).map(text).unwrap_or_default();
        let values: Vec<String> = (0..COLUMNS.len()).map(get).collect();
        if values.iter().all(String::is_empty) {
            return Ok(());
        }
        let optional = |s: &String| (!s.is_empty()).then(|| s.clone());
        if values[0].is_empty() {
            problems.add(row, "没有写单位", "no unit");
            return Ok(());
        }
        let Some(kind) = MeetingKind::parse(&values[1]) else {
            let shown = crate::text::excerpt(&values[1], 20);
            problems.add(row, format!("会议类型「{shown}」无法识别"), format!("the kind “{shown}” is not known"));
            return Ok(());
        };
        let Some(date) = calendar::parse_flexible(&values[2]) else {
            let shown = crate::text::excerpt(&values[2], 20);
            problems.add(row, format!("日期「{shown}」无法识别"), format!("the date “{shown}” does not read"));
            return Ok(());
        };
        let study_minutes = if values[8].is_empty() {
            0
        } else {
            match values[8].parse::<f64>().ok().filter(|h| h.is_finite() && (0.0..=24.0).contains(h)) {
                Some(hours) => (hours * 60.0).round() as u32,
                None => {
                    let shown = crate::text::excerpt(&values[8], 20);
                    problems.add(
                        row,
                        format!("学时「{shown}」应为 0 至 24 之间的数"),
                        format!("the hours “{shown}” must be a number from 0 to 24"),
                    );
                    return Ok(());
                }
            }
        };
        let mut attendance = Vec::new();
        for (slot, how) in
            [(9, Attendance::Present), (10, Attendance::Leave), (11, Attendance::Absent), (12, Attendance::Late)]
        {
            for who in values[slot].split(['、', ',', '，', ';', '；']).map(str::trim).filter(|w| !w.is_empty()) {
                attendance.push((who.to_owned(), how));
            }
        }
        rows.push(MeetingRow {
            row,
            unit: values[0].clone(),
            kind,
            date,
            group: optional(&values[3]),
            topic: optional(&values[4]),
            place: optional(&values[5]),
            chair: optional(&values[6]),
            recorder: optional(&values[7]),
            study_minutes,
            attendance,
        });
        Ok(())
    })?;
    if cols[0].is_none() || cols[1].is_none() || cols[2].is_none() {
        return Err(Error::invalid(
            "sheet",
            "会议登记表需要「单位」（或「所在支部」）、「会议类型」和「日期」三列",
            "a sheet of meetings needs the columns 单位 (or 所在支部), 会议类型 and 日期",
        ));
    }
    Ok((rows, problems))
}
