//! The meeting register in the store: a unit's meetings and each member's attendance, written in
//! one transaction after `crate::meetings::check`, read for the units the user may see.

use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use super::Store;
use super::people::corrupt_row;
use crate::access::Action;
use crate::calendar::{self, Date};
use crate::domain::{
    AttachmentInfo, Attendance, Attendee, AttendeeName, Id, MediaType, Meeting, MeetingKind, MeetingRecord,
};
use crate::life_plan::{HeldMeeting, LifePlan, PlanInput};
use crate::{Error, Result, Text};

/// Which meetings to list. Every filter is optional.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingQuery {
    /// A unit and its whole subtree; everything the user may see when `None`.
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub unit: Option<Id>,
    pub kind: Option<MeetingKind>,
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub from: Option<Date>,
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub to: Option<Date>,
}

const MEETING_COLUMNS: &str = "id, unit_id, group_id, kind, date, held, place, chair, recorder, topic, minutes, \
     decisions, study_minutes, guests";

fn meeting_from_row(r: &Row<'_>) -> Result<Meeting> {
    let id: Id = r.get(0)?;
    let kind = r.get_ref(3)?.as_str().ok().and_then(MeetingKind::parse).ok_or_else(|| corrupt_row("meetings", id))?;
    let date = r.get_ref(4)?.as_str().ok().and_then(calendar::parse_iso).ok_or_else(|| corrupt_row("meetings", id))?;
    Ok(Meeting {
        version: None,
        id: Some(id),
        unit_id: r.get(1)?,
        group_id: r.get(2)?,
        kind,
        date,
        held: r.get(5)?,
        place: r.get(6)?,
        chair: r.get(7)?,
        recorder: r.get(8)?,
        topic: r.get(9)?,
        minutes: r.get(10)?,
        decisions: r.get(11)?,
        study_minutes: r.get(12)?,
        guests: r.get(13)?,
    })
}

/// Binds a meeting's columns as parameters 1 to 13, in the order of [`MEETING_COLUMNS`] after the id.
fn bind_meeting(stmt: &mut rusqlite::Statement<'_>, meeting: &Meeting) -> Result<()> {
    let values = params![
        meeting.unit_id,
        meeting.group_id,
        meeting.kind.as_str(),
        calendar::format_iso(meeting.date),
        meeting.held,
        meeting.place,
        meeting.chair,
        meeting.recorder,
        meeting.topic,
        meeting.minutes,
        meeting.decisions,
        meeting.study_minutes,
        meeting.guests,
    ];
    for (i, value) in values.iter().enumerate() {
        stmt.raw_bind_parameter(i + 1, value)?;
    }
    Ok(())
}

/// A text field as stored: trimmed, NFC, and `None` when blank.
fn tidy(value: Option<String>) -> Option<String> {
    value.map(|v| crate::text::normalized(v.trim())).filter(|v| !v.is_empty())
}

/// Whether an attendance counts as taking part in organisational life: present, late, or on
/// leave with a reason (党章第九条 speaks of absence without good reason).
pub(crate) fn takes_part(attendance: Attendance, reason: Option<&str>) -> bool {
    attendance.attended() || (attendance == Attendance::Leave && reason.is_some_and(|r| !r.trim().is_empty()))
}

/// Recomputes `people.last_life` of these people from their attendance (the same rule as
/// [`takes_part`], in SQL), in the caller's transaction.
fn refresh_last_life(conn: &rusqlite::Connection, people: &[Id]) -> Result<()> {
    let mut update = conn.prepare_cached(
        "UPDATE people SET last_life = (
             SELECT max(m.date) FROM attendance a JOIN meetings m ON m.id = a.meeting_id
             WHERE a.person_id = people.id AND m.held = 1
               AND (a.attendance IN ('present', 'late') OR (a.attendance = 'leave' AND trim(ifnull(a.reason, '')) <> ''))
         ) WHERE id = ?1",
    )?;
    for person in people {
        update.execute([person])?;
    }
    Ok(())
}

/// A meeting as it is kept: its text fields tidied, checked by the register's rules
/// (`crate::meetings::check`, with `in_unit` and `name_of` telling of the attendees), a 党小组会
/// naming its group. For both engines.
pub(crate) fn checked_meeting(
    meeting: Meeting,
    attendees: &[Attendee],
    today: Date,
    in_unit: impl Fn(Id) -> bool,
    name_of: impl Fn(Id) -> String,
) -> Result<Meeting> {
    let meeting = Meeting {
        place: tidy(meeting.place),
        chair: tidy(meeting.chair),
        recorder: tidy(meeting.recorder),
        topic: tidy(meeting.topic),
        minutes: tidy(meeting.minutes),
        decisions: tidy(meeting.decisions),
        guests: tidy(meeting.guests),
        ..meeting
    };
    crate::meetings::check(&meeting, attendees, today, in_unit, name_of)?;
    if meeting.kind == MeetingKind::GroupMeeting && meeting.group_id.is_none() {
        return Err(Error::invalid(
            "group_id",
            "党小组会须写明由哪个党小组召开",
            "a party group meeting needs the party group that holds it",
        ));
    }
    Ok(meeting)
}

/// The attendees as they are kept: each reason tidied.
pub(crate) fn tidied_attendees(attendees: &[Attendee]) -> Vec<Attendee> {
    attendees.iter().map(|a| Attendee { reason: tidy(a.reason.clone()), ..a.clone() }).collect()
}

/// A meeting's unit the user does not see whole (`name` its path).
pub(crate) fn meeting_unit_forbidden(name: &str) -> Error {
    let name = crate::text::excerpt(name, 60);
    Error::Forbidden {
        what: Text::new(
            format!("记录或查看「{name}」的会议：它不在你负责的党支部之内"),
            format!("record or see the meetings of “{name}”: it is not one of your branches"),
        ),
    }
}

/// A year a branch's plan can be shown for.
pub(crate) fn check_plan_year(year: i32) -> Result<()> {
    if !(1921..=9998).contains(&year) {
        return Err(Error::invalid("year", format!("年份 {year} 无效"), format!("{year} is not a year")));
    }
    Ok(())
}

pub(crate) fn meeting_not_found() -> Error {
    Error::NotFound { what: Text::new("该会议", "the meeting") }
}

pub(crate) fn unit_not_found() -> Error {
    Error::NotFound { what: Text::new("召开会议的组织", "the unit holding the meeting") }
}

pub(crate) fn group_not_of_branch() -> Error {
    Error::invalid(
        "group_id",
        "所选党小组不属于召开会议的党支部",
        "the party group chosen is not one of the meeting's branch",
    )
}

pub(crate) fn meeting_attachment_not_found(attachment_id: Id) -> Error {
    Error::NotFound {
        what: Text::new(format!("会议附件 {attachment_id}"), format!("meeting file {attachment_id}"))
    }
}

/// The attendance a sheet records for a meeting of `unit` (its path, for the words): each row's
/// person found by `find` (by student number or a name only one of the unit's people has);
/// every row naming nobody or several is named, and any refuses the sheet. For both engines.
pub(crate) fn attendance_of_sheet(
    rows: &[crate::meetings::AttendanceRow],
    mut problems: crate::roster::sheet::RowProblems,
    unit: &str,
    find: &mut dyn FnMut(&str) -> Result<Vec<Id>>,
) -> Result<Vec<Attendee>> {
    let mut attendees = Vec::new();
    for row in rows {
        let found = find(&row.who)?;
        let who = crate::text::excerpt(&row.who, 40);
        match found.as_slice() {
            [person_id] => attendees.push(Attendee {
                person_id: *person_id,
                attendance: row.attendance,
                reason: row.reason.clone(),
            }),
            [] => problems.add(
                row.row,
                format!("「{unit}」中没有「{who}」"),
                format!("“{unit}” has nobody named “{who}”"),
            ),
            _ => problems.add(
                row.row,
                format!("「{unit}」有 {} 人名为「{who}」，请改用学号工号", found.len()),
                format!("“{unit}” has {} people named “{who}”; give the student number", found.len()),
            ),
        }
    }
    problems.refuse()?;
    Ok(attendees)
}

/// Finds the people of a unit a sheet names by a name or student number: each one's number and
/// name.
pub(crate) type FindPeople<'a> = dyn FnMut(Id, &str) -> Result<Vec<(Id, String)>> + 'a;

/// The held meetings a sheet records, each checked as one entered by hand: each row's unit found
/// by `find_unit` (which refuses the whole sheet for a unit the user may not record), its party
/// group by `find_group`, its people by `find_people` (among the unit's, by student number or a
/// name only one of them has). Every bad row is named, and any refuses the sheet. For both
/// engines.
pub(crate) fn meetings_of_sheet(
    rows: &[crate::meetings::MeetingRow],
    mut problems: crate::roster::sheet::RowProblems,
    today: Date,
    count: &mut crate::jobs::RowCount<'_>,
    find_unit: &mut dyn FnMut(&str) -> Result<Option<Id>>,
    find_group: &mut dyn FnMut(Id, &str) -> Result<Option<Id>>,
    find_people: &mut FindPeople<'_>,
) -> Result<Vec<(Meeting, Vec<Attendee>)>> {
    let mut ready: Vec<(Meeting, Vec<Attendee>)> = Vec::with_capacity(rows.len());
    for (done, row) in rows.iter().enumerate() {
        count.at(done)?;
        let Some(unit) = find_unit(&row.unit)? else {
            let shown = crate::text::excerpt(&row.unit, 40);
            problems.add(row.row, format!("没有「{shown}」这个组织"), format!("no unit is named “{shown}”"));
            continue;
        };
        let group_id: Option<Id> = match &row.group {
            Some(name) => match find_group(unit, name)? {
                Some(id) => Some(id),
                None => {
                    problems.add(
                        row.row,
                        format!("「{}」中没有「{name}」这个党小组", row.unit),
                        format!("“{}” has no party group “{name}”", row.unit),
                    );
                    continue;
                }
            },
            None => None,
        };
        if row.kind == MeetingKind::GroupMeeting && group_id.is_none() {
            problems.add(row.row, "党小组会须写明党小组", "a party group meeting needs its party group");
            continue;
        }
        let mut attendees = Vec::new();
        let mut names: std::collections::HashMap<Id, String> = std::collections::HashMap::new();
        let mut bad = false;
        for (who, attendance) in &row.attendance {
            let found = find_people(unit, who)?;
            let shown = crate::text::excerpt(who, 40);
            match found.as_slice() {
                [(id, name)] => {
                    names.insert(*id, name.clone());
                    attendees.push(Attendee { person_id: *id, attendance: *attendance, reason: None });
                }
                [] => {
                    problems.add(
                        row.row,
                        format!("「{}」中没有「{shown}」", row.unit),
                        format!("“{}” has nobody named “{shown}”", row.unit),
                    );
                    bad = true;
                }
                many => {
                    problems.add(
                        row.row,
                        format!("「{}」有 {} 人名为「{shown}」，请改用学号工号", row.unit, many.len()),
                        format!("“{}” has {} people named “{shown}”; give the student number", row.unit, many.len()),
                    );
                    bad = true;
                }
            }
        }
        if bad {
            continue;
        }
        let meeting = Meeting {
            version: None,
            id: None,
            unit_id: unit,
            group_id,
            kind: row.kind,
            date: row.date,
            held: true,
            place: tidy(row.place.clone()),
            chair: tidy(row.chair.clone()),
            recorder: tidy(row.recorder.clone()),
            topic: tidy(row.topic.clone()),
            minutes: None,
            decisions: None,
            study_minutes: row.study_minutes,
            guests: None,
        };
        let name_of = |id: Id| names.get(&id).cloned().unwrap_or_default();
        if let Err(e) = crate::meetings::check(&meeting, &attendees, today, |_| true, name_of) {
            problems.add(row.row, e.message(crate::Lang::Zh), e.message(crate::Lang::En));
            continue;
        }
        ready.push((meeting, attendees));
    }
    problems.refuse()?;
    Ok(ready)
}

impl Store {
    /// Refuses a unit the user may not see whole: a branch secretary's meetings are their
    /// branches', never the general branch's or the committee's above them (whose attendance
    /// names other branches' people).
    pub(super) fn require_meeting_unit(&self, tree: &super::OrgTree, unit: Id) -> Result<()> {
        match self.visible_units(tree) {
            Some(visible) if !visible.contains(&unit) => {
                let name = tree.path(unit);
                let name =
                    if name.is_empty() { tree.committee().map(|c| c.name.clone()).unwrap_or_default() } else { name };
                Err(meeting_unit_forbidden(&name))
            }
            _ => Ok(()),
        }
    }

    /// Records a meeting (new when its id is `None`) with its attendance, replacing the attendance
    /// stored before. Refused whole, naming the field, when a check fails.
    pub fn save_meeting(&mut self, meeting: Meeting, attendees: &[Attendee]) -> Result<MeetingRecord> {
        let tx = self.begin_change()?;
        self.require(Action::EditMembers)?;
        let tree = self.org_tree()?;
        if tree.get(meeting.unit_id).is_none() {
            return Err(unit_not_found());
        }
        // A branch secretary records their own branches' meetings only.
        self.require_meeting_unit(&tree, meeting.unit_id)?;
        let units = self.units_shown(&tree, Some(meeting.unit_id))?;
        let subtree: std::collections::HashSet<Id> = tree.subtree(meeting.unit_id).into_iter().collect();
        let branch_of = |id: Id| -> Result<Option<(Id, String)>> {
            Ok(self
                .conn
                .prepare_cached("SELECT branch_id, name FROM people WHERE id = ?1")?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?)
        };
        let mut people = std::collections::HashMap::new();
        for a in attendees {
            people.insert(a.person_id, branch_of(a.person_id)?);
        }
        let in_unit = |id: Id| {
            people.get(&id).and_then(Option::as_ref).is_some_and(|(branch, _)| {
                subtree.contains(branch) && units.as_ref().is_none_or(|u| u.contains(branch))
            })
        };
        let name_of = |id: Id| {
            people.get(&id).and_then(Option::as_ref).map_or_else(|| format!("编号 {id} 的人员"), |(_, n)| n.clone())
        };
        let meeting = checked_meeting(meeting, attendees, self.today(), in_unit, name_of)?;
        if let Some(group) = meeting.group_id {
            let branch: Option<Id> = self
                .conn
                .query_row("SELECT branch_id FROM party_groups WHERE id = ?1", [group], |r| r.get(0))
                .optional()?;
            if branch != Some(meeting.unit_id) {
                return Err(group_not_of_branch());
            }
        }

        // IMMEDIATE, as every write: waiting for another writer happens here, before anything.
        let mut affected: Vec<Id> = attendees.iter().map(|a| a.person_id).collect();
        let id = match meeting.id {
            None => {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO meetings (unit_id, group_id, kind, date, held, place, chair, recorder, topic, minutes, \
                     decisions, study_minutes, guests) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                )?;
                bind_meeting(&mut insert, &meeting)?;
                insert.raw_execute()?;
                tx.last_insert_rowid()
            }
            Some(id) => {
                let stored_unit: Option<Id> =
                    tx.query_row("SELECT unit_id FROM meetings WHERE id = ?1", [id], |r| r.get(0)).optional()?;
                let Some(stored_unit) = stored_unit else {
                    return Err(meeting_not_found());
                };
                // Moving a meeting to a unit one may see must not take it from one one may not.
                self.require_meeting_unit(&tree, stored_unit)?;
                let mut update = tx.prepare_cached(
                    "UPDATE meetings SET unit_id = ?1, group_id = ?2, kind = ?3, date = ?4, held = ?5, place = ?6, \
                     chair = ?7, recorder = ?8, topic = ?9, minutes = ?10, decisions = ?11, study_minutes = ?12, \
                     guests = ?13 WHERE id = ?14",
                )?;
                bind_meeting(&mut update, &meeting)?;
                update.raw_bind_parameter(14, id)?;
                let changed = update.raw_execute()?;
                debug_assert_eq!(changed, 1);
                // Those recorded before may have lost their latest organisational life.
                let before: Vec<Id> = tx
                    .prepare("SELECT person_id FROM attendance WHERE meeting_id = ?1")?
                    .query_map([id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                tx.execute("DELETE FROM attendance WHERE meeting_id = ?1", [id])?;
                affected.extend(before);
                // The meeting may have moved or been un-held: what each unit held last is read again.
                self.drop_life_index();
                id
            }
        };
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO attendance (meeting_id, person_id, attendance, reason) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for a in attendees {
                insert.execute(params![id, a.person_id, a.attendance.as_str(), tidy(a.reason.clone())])?;
            }
        }
        refresh_last_life(&tx, &affected)?;
        tx.commit()?;
        if meeting.held
            && let Some(life) = self.life.borrow_mut().as_mut()
        {
            life.held(meeting.unit_id, meeting.group_id, meeting.kind, meeting.date, meeting.chair.as_deref());
            let took_part = attendees.iter().filter(|a| takes_part(a.attendance, a.reason.as_deref()));
            life.took_part(took_part.map(|a| a.person_id), meeting.date);
        }
        self.meeting(id)
    }

    /// One meeting with its attendance.
    pub fn meeting(&self, id: Id) -> Result<MeetingRecord> {
        self.require(Action::ReadMembers)?;
        let sql = format!("SELECT {MEETING_COLUMNS} FROM meetings WHERE id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([id])?;
        let Some(row) = rows.next()? else {
            return Err(meeting_not_found());
        };
        let meeting = meeting_from_row(row)?;
        let tree = self.org_tree()?;
        self.require_meeting_unit(&tree, meeting.unit_id)?;
        self.with_attendees(meeting, &tree)
    }

    fn with_attendees(&self, meeting: Meeting, tree: &super::OrgTree) -> Result<MeetingRecord> {
        let id = meeting.id.unwrap_or_default();
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.person_id, p.name, a.attendance, a.reason FROM attendance a JOIN people p ON p.id = a.person_id \
             WHERE a.meeting_id = ?1 ORDER BY p.sort_key",
        )?;
        let attendees = stmt
            .query_map([id], |r| {
                Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?))
            })?
            .map(|row| {
                let (person_id, name, attendance, reason) = row?;
                let attendance = Attendance::parse(&attendance).ok_or_else(|| corrupt_row("attendance", id))?;
                Ok(AttendeeName { person_id, name, attendance, reason })
            })
            .collect::<Result<Vec<_>>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, media_type, size FROM meeting_attachments WHERE meeting_id = ?1 ORDER BY id",
        )?;
        let attachments = stmt
            .query_map([id], |r| {
                Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?))
            })?
            .map(|row| {
                let (aid, name, media_type, size) = row?;
                let media_type =
                    MediaType::parse(&media_type).ok_or_else(|| corrupt_row("meeting_attachments", aid))?;
                Ok(AttachmentInfo { id: aid, name, media_type, size: u64::try_from(size).unwrap_or(0) })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(MeetingRecord { unit: tree.path(meeting.unit_id), meeting, attendees, attachments })
    }

    /// Adds files to a meeting (sign-in sheet scans, photos: JPEG, PNG or PDF, checked by their
    /// content), all or none.
    pub fn add_meeting_attachments(
        &mut self,
        meeting_id: Id,
        files: &[crate::store::NewAttachment],
    ) -> Result<MeetingRecord> {
        let tx = self.begin_change()?;
        self.require(Action::EditMembers)?;
        let record = self.meeting(meeting_id)?;
        self.require_meeting_unit(&self.org_tree()?, record.meeting.unit_id)?;
        let mut checked = Vec::with_capacity(files.len());
        for file in files {
            checked.push((crate::store::check_attachment(&file.name, &file.bytes)?, file));
        }
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO meeting_attachments (meeting_id, name, media_type, size, content) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (media_type, file) in &checked {
                insert.execute(params![
                    meeting_id,
                    file.name.trim(),
                    media_type.as_str(),
                    file.bytes.len() as i64,
                    file.bytes
                ])?;
            }
        }
        tx.commit()?;
        self.meeting(meeting_id)
    }

    /// The meeting a meeting's file belongs to, checked readable (or changeable) by the user.
    fn meeting_of_attachment(&self, attachment_id: Id, edit: bool) -> Result<Id> {
        let meeting: Option<Id> = self
            .conn
            .query_row("SELECT meeting_id FROM meeting_attachments WHERE id = ?1", [attachment_id], |r| r.get(0))
            .optional()?;
        let meeting = meeting.ok_or_else(|| meeting_attachment_not_found(attachment_id))?;
        let record = self.meeting(meeting)?;
        if edit {
            self.require(Action::EditMembers)?;
            self.require_meeting_unit(&self.org_tree()?, record.meeting.unit_id)?;
        }
        Ok(meeting)
    }

    /// A meeting's file: its description and bytes.
    pub fn meeting_attachment(&self, attachment_id: Id) -> Result<(AttachmentInfo, Vec<u8>)> {
        self.meeting_of_attachment(attachment_id, false)?;
        let (name, media_type, bytes): (String, String, Vec<u8>) = self.conn.query_row(
            "SELECT name, media_type, content FROM meeting_attachments WHERE id = ?1",
            [attachment_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let media_type =
            MediaType::parse(&media_type).ok_or_else(|| corrupt_row("meeting_attachments", attachment_id))?;
        Ok((AttachmentInfo { id: attachment_id, name, media_type, size: bytes.len() as u64 }, bytes))
    }

    pub fn delete_meeting_attachment(&mut self, attachment_id: Id) -> Result<()> {
        self.meeting_of_attachment(attachment_id, true)?;
        self.conn.execute("DELETE FROM meeting_attachments WHERE id = ?1", [attachment_id])?;
        Ok(())
    }

    /// The meetings a query selects, oldest first, each with its attendance.
    pub fn meetings(&self, query: &MeetingQuery) -> Result<Vec<MeetingRecord>> {
        self.require(Action::ReadMembers)?;
        let tree = self.org_tree()?;
        if let Some(unit) = query.unit.filter(|&u| tree.get(u).is_none()) {
            return Err(Error::invalid("unit", format!("没有编号为 {unit} 的组织"), format!("no unit has id {unit}")));
        }
        let units = self.units_shown(&tree, query.unit)?;
        let (from, to) = (
            query.from.map_or_else(|| "0000-01-01".to_owned(), calendar::format_iso),
            query.to.map_or_else(|| "9999-12-31".to_owned(), calendar::format_iso),
        );
        let kind = query.kind.map(MeetingKind::as_str);
        let mut meetings = Vec::new();
        match units {
            // A unit's subtree (or a secretary's branches): each unit's meetings through the
            // (unit, date) index, never the whole register.
            Some(units) => {
                let sql = format!(
                    "SELECT {MEETING_COLUMNS} FROM meetings WHERE unit_id = ?1 AND date BETWEEN ?2 AND ?3 \
                     AND (?4 IS NULL OR kind = ?4)"
                );
                let mut stmt = self.conn.prepare_cached(&sql)?;
                for unit in units {
                    let mut rows = stmt.query(params![unit, from, to, kind])?;
                    while let Some(row) = rows.next()? {
                        meetings.push(meeting_from_row(row)?);
                    }
                }
                meetings.sort_by_key(|m: &Meeting| (m.date, m.id));
            }
            None => {
                let sql = format!(
                    "SELECT {MEETING_COLUMNS} FROM meetings WHERE date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR kind = ?3) \
                     ORDER BY date, id"
                );
                let mut stmt = self.conn.prepare_cached(&sql)?;
                let mut rows = stmt.query(params![from, to, kind])?;
                while let Some(row) = rows.next()? {
                    meetings.push(meeting_from_row(row)?);
                }
            }
        }
        meetings.into_iter().map(|m| self.with_attendees(m, &tree)).collect()
    }

    /// Records a held meeting's attendance from a sheet's rows, replacing what was recorded: each
    /// row names a member of the meeting's unit by student number or by a name only one of them
    /// has. Every row that names nobody, or more than one, is named; any refuses the whole sheet.
    pub fn import_attendance(
        &mut self,
        id: Id,
        rows: &[crate::meetings::AttendanceRow],
        problems: crate::roster::sheet::RowProblems,
    ) -> Result<MeetingRecord> {
        self.require(Action::EditMembers)?;
        let record = self.meeting(id)?;
        let tree = self.org_tree()?;
        let subtree = tree.subtree(record.meeting.unit_id);
        let people = super::sheet_people::SheetPeople::read(&self.conn, rows.iter().map(|r| r.who.as_str()))?;
        let mut find = |who: &str| -> Result<Vec<Id>> {
            Ok(people.named(who).filter(|p| subtree.contains(&p.branch_id)).map(|p| p.id).collect())
        };
        let attendees = attendance_of_sheet(rows, problems, &record.unit, &mut find)?;
        self.save_meeting(record.meeting, &attendees)
    }

    /// Records a sheet of held meetings (a register kept in Excel until now), all or none: each
    /// row's unit, party group and people are found (a person by student number or a name only
    /// one of the unit's people has), each meeting checked as one entered by hand; every bad row
    /// is named, and any refuses the whole sheet. Returns how many meetings were recorded.
    pub fn import_meetings(
        &mut self,
        rows: &[crate::meetings::MeetingRow],
        problems: crate::roster::sheet::RowProblems,
        progress: &mut dyn FnMut(crate::jobs::Progress) -> std::ops::ControlFlow<()>,
    ) -> Result<usize> {
        // Rows count off as they are checked; the writing after says so again and hears a cancel.
        let mut count = crate::jobs::RowCount::start(rows.len(), progress)?;
        let tx = self.begin_change_waiting(super::WAIT_FOR_WRITER, || count.waiting())?;
        self.require(Action::EditMembers)?;
        let tree = self.org_tree()?;
        let today = self.today();
        let named = rows.iter().flat_map(|r| r.attendance.iter().map(|(who, _)| who.as_str()));
        let people = super::sheet_people::SheetPeople::read(&self.conn, named)?;
        let mut find_group =
            self.conn.prepare_cached("SELECT id FROM party_groups WHERE branch_id = ?1 AND name = ?2")?;
        let ready = meetings_of_sheet(
            rows,
            problems,
            today,
            &mut count,
            &mut |name| {
                let committee = tree.committee().filter(|c| c.name == name.trim()).map(|c| c.id);
                let Some(unit) = committee.or(tree.find(name)?) else { return Ok(None) };
                // A unit the user may not record meetings of refuses the whole sheet, as one meeting would.
                self.require_meeting_unit(&tree, unit)?;
                Ok(Some(unit))
            },
            &mut |unit, name| Ok(find_group.query_row(params![unit, name], |r| r.get(0)).optional()?),
            &mut |unit, who| {
                let subtree = tree.subtree(unit);
                Ok(people
                    .named(who)
                    .filter(|p| !p.ended && p.in_register && subtree.contains(&p.branch_id))
                    .map(|p| (p.id, p.name.clone()))
                    .collect())
            },
        )?;
        drop(find_group);
        let mut affected = Vec::new();
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO meetings (unit_id, group_id, kind, date, held, place, chair, recorder, topic, minutes, \
                 decisions, study_minutes, guests) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?;
            let mut attend = tx.prepare_cached(
                "INSERT INTO attendance (meeting_id, person_id, attendance, reason) VALUES (?1, ?2, ?3, NULL)",
            )?;
            for (written, (meeting, attendees)) in ready.iter().enumerate() {
                count.writing(written)?;
                bind_meeting(&mut insert, meeting)?;
                insert.raw_execute()?;
                let id = tx.last_insert_rowid();
                for a in attendees {
                    attend.execute(params![id, a.person_id, a.attendance.as_str()])?;
                    affected.push(a.person_id);
                }
            }
        }
        affected.sort_unstable();
        affected.dedup();
        refresh_last_life(&tx, &affected)?;
        count.at(rows.len())?;
        tx.commit()?;
        self.drop_life_index();
        Ok(ready.len())
    }

    /// Deletes a meeting and its attendance.
    pub fn delete_meeting(&mut self, id: Id) -> Result<()> {
        let tx = self.begin_change()?;
        self.require(Action::EditMembers)?;
        // `meeting` refuses a unit the user may not see.
        self.meeting(id)?;
        let attended: Vec<Id> = tx
            .prepare("SELECT person_id FROM attendance WHERE meeting_id = ?1")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        tx.execute("DELETE FROM meetings WHERE id = ?1", [id])?;
        refresh_last_life(&tx, &attended)?;
        tx.commit()?;
        self.drop_life_index();
        Ok(())
    }

    /// A branch's year of organisational life as a grid (month × kind: held, owed, missed),
    /// from the same meeting rules as the owed items of the worklist.
    pub fn life_plan(&self, unit: Id, year: i32, as_of: Option<Date>) -> Result<LifePlan> {
        self.require_branch(Action::ReadMembers, unit)?;
        let tree = self.org_tree()?;
        let Some(kind) = tree.get(unit).map(|u| u.kind) else {
            return Err(Error::NotFound {
                what: Text::new(format!("编号为 {unit} 的组织"), format!("unit {unit}"))
            });
        };
        check_plan_year(year)?;
        let tracked_from: Option<String> =
            self.conn.query_row("SELECT life_from FROM org_units WHERE id = ?1", [unit], |r| r.get(0))?;
        let groups: Vec<(Id, String, Option<Date>)> = self
            .conn
            .prepare_cached("SELECT id, name, life_from FROM party_groups WHERE branch_id = ?1 ORDER BY name")?
            .query_map([unit], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, Option<String>>(2)?)))?
            .map(|row| row.map(|(id, name, from)| (id, name, from.as_deref().and_then(calendar::parse_iso))))
            .collect::<rusqlite::Result<_>>()?;
        let mut held = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, group_id, date FROM meetings WHERE unit_id = ?1 AND held = 1 AND date BETWEEN ?2 AND ?3",
        )?;
        let rows = stmt.query_map(params![unit, format!("{year:04}-01-01"), format!("{year:04}-12-31")], |r| {
            Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<Id>>(2)?, r.get::<_, String>(3)?))
        })?;
        for row in rows {
            let (id, kind, group_id, date) = row?;
            if let (Some(kind), Some(date)) = (MeetingKind::parse(&kind), calendar::parse_iso(&date)) {
                held.push(HeldMeeting { id, kind, group_id, date });
            }
        }
        // Only a branch owes meetings by rule; a general branch's or the committee's year is
        // shown empty rather than held to a branch's rules.
        let rules: &[crate::meeting_rules::MeetingRule] =
            if kind == crate::domain::OrgKind::Branch { self.rules.meetings() } else { &[] };
        Ok(crate::life_plan::plan(&PlanInput {
            unit_id: unit,
            unit: tree.path(unit),
            year,
            as_of: as_of.unwrap_or_else(|| self.today()),
            tracked_from: tracked_from.as_deref().and_then(calendar::parse_iso),
            groups: &groups,
            held: &held,
            rules,
        }))
    }
}
