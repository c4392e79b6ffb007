//! The register of branch life on the server (version 6): party groups and their members, each
//! unit's meetings with their attendance and files, and the day a unit owes its meetings from.
//! Checked by the workspace's own rules (`store::meetings::checked_meeting`, `checked_group_name`,
//! `check_life_from`); read and changed under each row's unit by the server's policies, which
//! keep a branch secretary to their branches; every change logged by the server.

use std::collections::{HashMap, HashSet};

use postgres::GenericClient;

use super::people::refuse_if_changed;
use super::{ServerStore, ServerUnit, Statements, branch_path, failure, lost_at_commit, subtree};
use crate::access::{Action, Role};
use crate::calendar::Date;
use crate::domain::{
    AttachmentInfo, Attendance, Attendee, AttendeeName, GroupMember, Id, MediaType, Meeting, MeetingKind,
    MeetingRecord, PartyGroup,
};
use crate::life_plan::{HeldMeeting, LifePlan, PlanInput};
use crate::store::MeetingQuery;
use crate::store::files::{NewAttachment, check_attachment};
use crate::store::groups::{
    checked_group_name, group_name_taken, group_not_found, not_a_branch, not_of_the_branch, person_not_found,
};
use crate::store::meetings::{
    check_plan_year, checked_meeting, group_not_of_branch, meeting_attachment_not_found, meeting_not_found,
    meeting_unit_forbidden, tidied_attendees, unit_not_found,
};
use crate::{Error, Result};

const MEETING_COLUMNS: &str = "id, unit_id, group_id, kind, date::text, held, place, chair, recorder, topic, minutes, \
     decisions, study_minutes, guests, version";

/// The advisory lock a branch's party groups change under (with the branch's number).
const GROUPS_LOCK: i32 = 0x6772_6f75;

impl ServerStore {
    /// The units this user reads whole: a branch secretary's branches, everyone else's
    /// committee, each with everything under it (what `dangan.readable_units` gives the policies).
    pub(super) fn units_read(&self, units: &[ServerUnit]) -> HashSet<Id> {
        let me = self.me();
        let roots = if me.role == Role::BranchSecretary { me.branches.clone() } else { vec![me.unit_id] };
        roots.into_iter().flat_map(|root| subtree(units, root)).collect()
    }

    /// A unit the user reads whole, or the refusal a workspace gives.
    pub(super) fn require_meeting_unit(&self, units: &[ServerUnit], unit: Id) -> Result<()> {
        check_meeting_unit(units, &self.units_read(units), unit)
    }

    /// The party groups of a unit's branches (everything the user may see when `None`).
    pub(crate) fn groups(&mut self, unit: Option<Id>) -> Result<Vec<PartyGroup>> {
        self.require(Action::ReadMembers)?;
        let units = self.units()?;
        let wanted: Option<Vec<Id>> = match unit {
            Some(unit) => {
                self.require_meeting_unit(&units, unit)?;
                Some(subtree(&units, unit).into_iter().collect())
            }
            None => None,
        };
        let address = self.address.clone();
        read_groups(&mut self.client, &mut self.statements, &units, wanted.as_deref(), None)
            .map_err(|e| failure(e, &address))
    }

    /// Makes a party group in a branch (as of today), or renames one (`id` given).
    pub(crate) fn save_group(&mut self, id: Option<Id>, branch_id: Id, name: &str) -> Result<PartyGroup> {
        self.require(Action::EditMembers)?;
        let units = self.units()?;
        let Some(unit) = units.iter().find(|u| u.id == branch_id) else {
            return Err(Error::NotFound { what: crate::Text::new("该党支部", "the branch") });
        };
        if unit.kind != "branch" {
            return Err(not_a_branch());
        }
        self.require_meeting_unit(&units, branch_id)?;
        let name = checked_group_name(name)?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let today = self.today().to_string();
        let mut tx = self.client.transaction().map_err(fail)?;
        let taken: Option<Id> = tx
            .query_opt("SELECT id FROM dangan.party_groups WHERE branch_id = $1 AND name = $2", &[&branch_id, &name])
            .map_err(fail)?
            .map(|r| r.get(0));
        if taken.is_some_and(|t| Some(t) != id) {
            return Err(group_name_taken(&name));
        }
        let id: Id = match id {
            None => tx
                .query_one(
                    "INSERT INTO dangan.party_groups (branch_id, name, life_from) VALUES ($1, $2, $3::text::date) RETURNING id",
                    &[&branch_id, &name, &today],
                )
                .map_err(fail)?
                .get(0),
            Some(id) => {
                let changed = tx
                    .execute(
                        "UPDATE dangan.party_groups SET name = $1 WHERE id = $2 AND branch_id = $3",
                        &[&name, &id, &branch_id],
                    )
                    .map_err(fail)?;
                if changed == 0 {
                    return Err(group_not_found());
                }
                id
            }
        };
        let group = read_groups(&mut tx, &mut self.statements, &units, None, Some(id)).map_err(fail)?.pop();
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        group.ok_or_else(group_not_found)
    }

    /// Sets who belongs to a group: each must be of its branch; joining takes them out of any
    /// other group of the branch.
    pub(crate) fn set_group_members(&mut self, group_id: Id, people: &[Id], seen: Option<&[Id]>) -> Result<PartyGroup> {
        self.require(Action::EditMembers)?;
        let units = self.units()?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let read = self.units_read(&units);
        let mut tx = self.client.transaction().map_err(fail)?;
        let branch: Id = tx
            .query_opt("SELECT branch_id FROM dangan.party_groups WHERE id = $1", &[&group_id])
            .map_err(fail)?
            .ok_or_else(group_not_found)?
            .get(0);
        // The branch's groups change one save at a time (a member joining one leaves the others),
        // so the members read next are the ones this save replaces. Truncated to the lock's 32
        // bits: two branches sharing a lock only wait for each other.
        tx.execute("SELECT pg_advisory_xact_lock($1, $2)", &[&GROUPS_LOCK, &(branch as i32)]).map_err(fail)?;
        let group = read_groups(&mut tx, &mut self.statements, &units, None, Some(group_id))
            .map_err(fail)?
            .pop()
            .ok_or_else(group_not_found)?;
        check_meeting_unit(&units, &read, group.branch_id)?;
        crate::store::groups::refuse_if_members_changed(&group, seen)?;
        let found: HashMap<Id, (Id, String)> = tx
            .query("SELECT id, branch_id, name FROM dangan.people WHERE id = ANY($1)", &[&people])
            .map_err(fail)?
            .iter()
            .map(|r| (r.get(0), (r.get(1), r.get(2))))
            .collect();
        for person in people {
            match found.get(person) {
                Some((branch, _)) if *branch == group.branch_id => {}
                Some((_, name)) => return Err(not_of_the_branch(name, &group.branch)),
                None => return Err(person_not_found(*person)),
            }
        }
        tx.execute("DELETE FROM dangan.group_members WHERE group_id = $1", &[&group_id]).map_err(fail)?;
        tx.execute(
            "DELETE FROM dangan.group_members WHERE person_id = ANY($1) AND branch_id = $2",
            &[&people, &group.branch_id],
        )
        .map_err(fail)?;
        tx.execute(
            "INSERT INTO dangan.group_members (group_id, person_id) SELECT $1, p FROM unnest($2::bigint[]) AS p",
            &[&group_id, &people],
        )
        .map_err(fail)?;
        let group = read_groups(&mut tx, &mut self.statements, &units, None, Some(group_id)).map_err(fail)?.pop();
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        group.ok_or_else(group_not_found)
    }

    /// Records a meeting (new when its id is `None`) with its attendance, replacing the attendance
    /// recorded before, checked as a workspace checks it: all of it or, naming the field, none.
    /// Refused, naming who, when the meeting changed since the version it was read at.
    pub(crate) fn save_meeting(&mut self, meeting: Meeting, attendees: &[Attendee]) -> Result<MeetingRecord> {
        self.require(Action::EditMembers)?;
        let units = self.units()?;
        self.require_meeting_unit(&units, meeting.unit_id)?;
        let below = subtree(&units, meeting.unit_id);
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let today = self.today();
        let read = self.units_read(&units);
        let mut tx = self.client.transaction().map_err(fail)?;
        let ids: Vec<Id> = attendees.iter().map(|a| a.person_id).collect();
        // The policies hide whoever the user may not read: to the check, not of the unit.
        let people: HashMap<Id, (Id, String)> = tx
            .query("SELECT id, branch_id, name FROM dangan.people WHERE id = ANY($1)", &[&ids])
            .map_err(fail)?
            .iter()
            .map(|r| (r.get(0), (r.get(1), r.get(2))))
            .collect();
        let in_unit = |id: Id| people.get(&id).is_some_and(|(branch, _)| below.contains(branch));
        let name_of = |id: Id| people.get(&id).map_or_else(|| format!("编号 {id} 的人员"), |(_, n)| n.clone());
        let meeting = checked_meeting(meeting, attendees, today, in_unit, name_of)?;
        if let Some(group) = meeting.group_id {
            let branch: Option<Id> = tx
                .query_opt("SELECT branch_id FROM dangan.party_groups WHERE id = $1", &[&group])
                .map_err(fail)?
                .map(|r| r.get(0));
            if branch != Some(meeting.unit_id) {
                return Err(group_not_of_branch());
            }
        }
        let (date, study_minutes) =
            (meeting.date.to_string(), i32::try_from(meeting.study_minutes).unwrap_or(i32::MAX));
        let kind = meeting.kind.as_str();
        let values = meeting_values(&meeting, &kind, &date, &study_minutes);
        let id: Id = match meeting.id {
            None => insert_meeting(&mut tx, &mut self.statements, &values).map_err(fail)?,
            Some(id) => {
                let stored = tx
                    .query_opt(
                        "SELECT unit_id, version, changed_by FROM dangan.meetings WHERE id = $1 FOR UPDATE",
                        &[&id],
                    )
                    .map_err(fail)?
                    .ok_or_else(meeting_not_found)?;
                // Moving a meeting to a unit one may see must not take it from one one may not.
                check_meeting_unit(&units, &read, stored.get(0))?;
                refuse_if_changed(|| meeting_named(&meeting), meeting.version, (stored.get(1), stored.get(2)))?;
                let update = self
                    .statements
                    .get(
                        &mut tx,
                        "UPDATE dangan.meetings SET unit_id = $1, group_id = $2, kind = $3, date = $4::text::date,
                             held = $5, place = $6, chair = $7, recorder = $8, topic = $9, minutes = $10,
                             decisions = $11, study_minutes = $12, guests = $13
                         WHERE id = $14",
                    )
                    .map_err(fail)?;
                let mut with_id: Vec<&(dyn postgres::types::ToSql + Sync)> = values.to_vec();
                with_id.push(&id);
                tx.execute(&update, &with_id).map_err(fail)?;
                tx.execute("DELETE FROM dangan.attendance WHERE meeting_id = $1", &[&id]).map_err(fail)?;
                id
            }
        };
        write_attendance(&mut tx, id, &tidied_attendees(attendees)).map_err(fail)?;
        let saved = read_meetings(&mut tx, &mut self.statements, &units, &Only::Meeting(id))
            .map_err(|e| e.into_error(&address))?
            .pop()
            .ok_or_else(meeting_not_found)?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(saved)
    }

    /// Records a held meeting's attendance from a sheet's rows, replacing what was recorded, as a
    /// workspace reads it (`attendance_of_sheet`): all rows or none, every bad row named.
    pub(crate) fn import_attendance(
        &mut self,
        id: Id,
        rows: &[crate::meetings::AttendanceRow],
        problems: crate::roster::sheet::RowProblems,
    ) -> Result<MeetingRecord> {
        self.require(Action::EditMembers)?;
        let record = self.meeting(id)?;
        let units = self.units()?;
        let below = subtree(&units, record.meeting.unit_id);
        let address = self.address.clone();
        let client = &mut self.client;
        let mut find = |who: &str| -> Result<Vec<Id>> {
            Ok(client
                .query(
                    "SELECT id, branch_id FROM dangan.people WHERE name = $1 OR student_no = $1 ORDER BY id",
                    &[&who],
                )
                .map_err(|e| failure(e, &address))?
                .iter()
                .filter(|r| below.contains(&r.get::<_, Id>(1)))
                .map(|r| r.get(0))
                .collect())
        };
        let attendees = crate::store::meetings::attendance_of_sheet(rows, problems, &record.unit, &mut find)?;
        self.save_meeting(record.meeting, &attendees)
    }

    /// Records a sheet of held meetings, all or none, each row read as a workspace reads it
    /// (`meetings_of_sheet`) and written in one transaction. Returns how many were recorded.
    pub(crate) fn import_meetings(
        &mut self,
        rows: &[crate::meetings::MeetingRow],
        problems: crate::roster::sheet::RowProblems,
        progress: &mut dyn FnMut(crate::jobs::Progress) -> std::ops::ControlFlow<()>,
    ) -> Result<usize> {
        self.require(Action::EditMembers)?;
        // Rows count off as they are checked; the writing after says so again and hears a cancel.
        let mut count = crate::jobs::RowCount::start(rows.len(), progress)?;
        let units = self.units()?;
        let read = self.units_read(&units);
        let today = self.today();
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = self.client.transaction().map_err(fail)?;
        let ready = {
            let client = std::cell::RefCell::new(&mut tx);
            // Who a name or number means, asked once per name however many meetings list it.
            let mut named: HashMap<String, Vec<(Id, Id, String)>> = HashMap::new();
            crate::store::meetings::meetings_of_sheet(
                rows,
                problems,
                today,
                &mut count,
                &mut |name| match super::unit_named(&units, name, "unit") {
                    // A unit the user may not record meetings of refuses the whole sheet, as one meeting would.
                    Ok(unit) => check_meeting_unit(&units, &read, unit).map(|()| Some(unit)),
                    Err(Error::NotFound { .. }) => Ok(None),
                    Err(e) => Err(e),
                },
                &mut |unit, name| {
                    let found = client
                        .borrow_mut()
                        .query_opt(
                            "SELECT id FROM dangan.party_groups WHERE branch_id = $1 AND name = $2",
                            &[&unit, &name],
                        )
                        .map_err(fail)?;
                    Ok(found.map(|r| r.get(0)))
                },
                &mut |unit, who| {
                    let below = subtree(&units, unit);
                    if !named.contains_key(who) {
                        let found = client
                            .borrow_mut()
                            .query(
                                "SELECT id, branch_id, name FROM dangan.people
                                 WHERE (name = $1 OR student_no = $1) AND NOT ended AND status = 'in_register'
                                 ORDER BY id",
                                &[&who],
                            )
                            .map_err(fail)?;
                        named.insert(who.to_owned(), found.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect());
                    }
                    Ok(named[who]
                        .iter()
                        .filter(|(_, branch, _)| below.contains(branch))
                        .map(|(id, _, name)| (*id, name.clone()))
                        .collect())
                },
            )?
        };
        for (written, (meeting, attendees)) in ready.iter().enumerate() {
            count.writing(written)?;
            let (date, minutes) = (meeting.date.to_string(), i32::try_from(meeting.study_minutes).unwrap_or(i32::MAX));
            let kind = meeting.kind.as_str();
            let id = insert_meeting(&mut tx, &mut self.statements, &meeting_values(meeting, &kind, &date, &minutes))
                .map_err(fail)?;
            write_attendance(&mut tx, id, attendees).map_err(fail)?;
        }
        count.at(rows.len())?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        Ok(ready.len())
    }

    /// One meeting with its attendance and files.
    pub(crate) fn meeting(&mut self, id: Id) -> Result<MeetingRecord> {
        self.require(Action::ReadMembers)?;
        let units = self.units()?;
        let address = self.address.clone();
        let mut tx = super::snapshot(&mut self.client).map_err(|e| failure(e, &address))?;
        let found = read_meetings(&mut tx, &mut self.statements, &units, &Only::Meeting(id))
            .map_err(|e| e.into_error(&address))?
            .pop()
            .ok_or_else(meeting_not_found)?;
        tx.commit().map_err(|e| failure(e, &address))?;
        // A meeting of a general branch above a secretary's branches is hidden by the policies.
        self.require_meeting_unit(&units, found.meeting.unit_id)?;
        Ok(found)
    }

    /// The meetings a query selects, oldest first, each with its attendance and files.
    pub(crate) fn meetings(&mut self, query: &MeetingQuery) -> Result<Vec<MeetingRecord>> {
        self.require(Action::ReadMembers)?;
        let units = self.units()?;
        let read = self.units_read(&units);
        let wanted: Vec<Id> = match query.unit {
            Some(unit) if !units.iter().any(|u| u.id == unit) => {
                return Err(Error::invalid(
                    "unit",
                    format!("没有编号为 {unit} 的组织"),
                    format!("no unit has id {unit}"),
                ));
            }
            Some(unit) => subtree(&units, unit).into_iter().filter(|u| read.contains(u)).collect(),
            None => read.into_iter().collect(),
        };
        let address = self.address.clone();
        let mut tx = super::snapshot(&mut self.client).map_err(|e| failure(e, &address))?;
        let only = Only::Query { units: wanted, query: query.clone() };
        let found = read_meetings(&mut tx, &mut self.statements, &units, &only).map_err(|e| e.into_error(&address))?;
        tx.commit().map_err(|e| failure(e, &address))?;
        Ok(found)
    }

    /// Deletes a meeting with its attendance and files.
    pub(crate) fn delete_meeting(&mut self, id: Id) -> Result<()> {
        self.require(Action::EditMembers)?;
        self.meeting(id)?;
        let address = self.address.clone();
        // The policies keep a meeting the user only reads: not found to change.
        if self.client.execute("DELETE FROM dangan.meetings WHERE id = $1", &[&id]).map_err(|e| failure(e, &address))?
            == 0
        {
            return Err(meeting_not_found());
        }
        Ok(())
    }

    /// Adds files to a meeting (JPEG, PNG or PDF, checked by their content), all or none.
    pub(crate) fn add_meeting_attachments(&mut self, meeting_id: Id, files: &[NewAttachment]) -> Result<MeetingRecord> {
        self.require(Action::EditMembers)?;
        let checked: Vec<(&NewAttachment, MediaType)> =
            files.iter().map(|f| Ok((f, check_attachment(&f.name, &f.bytes)?))).collect::<Result<_>>()?;
        self.meeting(meeting_id)?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = self.client.transaction().map_err(fail)?;
        let insert = self
            .statements
            .get(
                &mut tx,
                "INSERT INTO dangan.meeting_attachments (meeting_id, name, media_type, size, content)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .map_err(fail)?;
        for (file, media_type) in &checked {
            let size = i64::try_from(file.bytes.len()).unwrap_or(i64::MAX);
            tx.execute(&insert, &[&meeting_id, &file.name.trim(), &media_type.as_str(), &size, &file.bytes])
                .map_err(fail)?;
        }
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        self.meeting(meeting_id)
    }

    /// A meeting's file: its description and bytes.
    pub(crate) fn meeting_attachment(&mut self, attachment_id: Id) -> Result<(AttachmentInfo, Vec<u8>)> {
        self.require(Action::ReadMembers)?;
        let address = self.address.clone();
        let row = self
            .client
            .query_opt(
                "SELECT name, media_type, content FROM dangan.meeting_attachments WHERE id = $1",
                &[&attachment_id],
            )
            .map_err(|e| failure(e, &address))?
            .ok_or_else(|| meeting_attachment_not_found(attachment_id))?;
        let media_type = MediaType::parse(row.get(1))
            .ok_or_else(|| LoadError::Corrupt("meeting_attachments", attachment_id).into_error(&address))?;
        let bytes: Vec<u8> = row.get(2);
        Ok((AttachmentInfo { id: attachment_id, name: row.get(0), media_type, size: bytes.len() as u64 }, bytes))
    }

    pub(crate) fn delete_meeting_attachment(&mut self, attachment_id: Id) -> Result<()> {
        self.require(Action::EditMembers)?;
        let address = self.address.clone();
        let deleted = self
            .client
            .execute("DELETE FROM dangan.meeting_attachments WHERE id = $1", &[&attachment_id])
            .map_err(|e| failure(e, &address))?;
        if deleted == 0 {
            return Err(meeting_attachment_not_found(attachment_id));
        }
        Ok(())
    }

    /// Sets the day from which a unit owes its meetings (those who organise it).
    pub(crate) fn set_life_from(&mut self, unit: Id, from: Date) -> Result<()> {
        self.require(Action::EditOrganisation)?;
        crate::store::org::check_life_from(from, self.today())?;
        let address = self.address.clone();
        let changed = self
            .client
            .execute(
                "UPDATE dangan.org_units SET life_from = $1::text::date WHERE id = $2",
                &[&from.to_string(), &unit],
            )
            .map_err(|e| failure(e, &address))?;
        if changed == 0 {
            return Err(Error::NotFound {
                what: crate::Text::new(format!("编号为 {unit} 的组织"), format!("unit {unit}")),
            });
        }
        Ok(())
    }

    /// A branch's year of organisational life as a grid, from the same meeting rules as a
    /// workspace's (`life_plan::plan`).
    pub(crate) fn life_plan(&mut self, unit: Id, year: i32, as_of: Option<Date>) -> Result<LifePlan> {
        self.require(Action::ReadMembers)?;
        let units = self.units()?;
        self.require_meeting_unit(&units, unit)?;
        check_plan_year(year)?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let bad = |table, id| LoadError::Corrupt(table, id).into_error(&address);
        let mut tx = super::snapshot(&mut self.client).map_err(fail)?;
        let tracked_from: Option<String> =
            tx.query_one("SELECT life_from::text FROM dangan.org_units WHERE id = $1", &[&unit]).map_err(fail)?.get(0);
        let mut groups = Vec::new();
        for r in tx
            .query(
                "SELECT id, name, life_from::text FROM dangan.party_groups WHERE branch_id = $1 ORDER BY name COLLATE \"C\"",
                &[&unit],
            )
            .map_err(fail)?
        {
            let from: String = r.get(2);
            groups.push((r.get(0), r.get(1), Some(from.parse::<Date>().map_err(|_| bad("party_groups", r.get(0)))?)));
        }
        let mut held = Vec::new();
        for r in tx
            .query(
                "SELECT id, kind, group_id, date::text FROM dangan.meetings
                 WHERE unit_id = $1 AND held AND date BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31)",
                &[&unit, &year],
            )
            .map_err(fail)?
        {
            let id: Id = r.get(0);
            let kind = MeetingKind::parse(r.get(1)).ok_or_else(|| bad("meetings", id))?;
            let date = r.get::<_, &str>(3).parse::<Date>().map_err(|_| bad("meetings", id))?;
            held.push(HeldMeeting { id, kind, group_id: r.get(2), date });
        }
        tx.commit().map_err(fail)?;
        let is_branch = units.iter().any(|u| u.id == unit && u.kind == "branch");
        // Only a branch owes meetings by rule, as in a workspace.
        let rules: &[crate::meeting_rules::MeetingRule] = if is_branch { self.rules().meetings() } else { &[] };
        let tracked_from = match tracked_from {
            Some(day) => Some(day.parse::<Date>().map_err(|_| bad("org_units", unit))?),
            None => None,
        };
        Ok(crate::life_plan::plan(&PlanInput {
            unit_id: unit,
            unit: branch_path(&units, unit),
            year,
            as_of: as_of.unwrap_or_else(|| self.today()),
            tracked_from,
            groups: &groups,
            held: &held,
            rules,
        }))
    }
}

/// A meeting's columns as `insert_meeting` and the update bind them (`kind`, `date` and
/// `study_minutes` as the server takes them).
pub(super) fn meeting_values<'a>(
    meeting: &'a Meeting,
    kind: &'a &'static str,
    date: &'a String,
    study_minutes: &'a i32,
) -> [&'a (dyn postgres::types::ToSql + Sync); 13] {
    [
        &meeting.unit_id,
        &meeting.group_id,
        kind,
        date,
        &meeting.held,
        &meeting.place,
        &meeting.chair,
        &meeting.recorder,
        &meeting.topic,
        &meeting.minutes,
        &meeting.decisions,
        study_minutes,
        &meeting.guests,
    ]
}

pub(super) fn insert_meeting(
    client: &mut impl GenericClient,
    statements: &mut Statements,
    values: &[&(dyn postgres::types::ToSql + Sync); 13],
) -> std::result::Result<Id, postgres::Error> {
    let insert = statements.get(
        client,
        "INSERT INTO dangan.meetings (unit_id, group_id, kind, date, held, place, chair, recorder, topic,
             minutes, decisions, study_minutes, guests)
         VALUES ($1, $2, $3, $4::text::date, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )?;
    Ok(client.query_one(&insert, values)?.get(0))
}

/// A meeting's attendance, in one statement.
pub(super) fn write_attendance(
    client: &mut impl GenericClient,
    meeting: Id,
    attendees: &[Attendee],
) -> std::result::Result<(), postgres::Error> {
    let people: Vec<Id> = attendees.iter().map(|a| a.person_id).collect();
    let kinds: Vec<&str> = attendees.iter().map(|a| a.attendance.as_str()).collect();
    let reasons: Vec<Option<String>> = attendees.iter().map(|a| a.reason.clone()).collect();
    client.execute(
        "INSERT INTO dangan.attendance (meeting_id, person_id, attendance, reason)
         SELECT $1, p, a, r FROM unnest($2::bigint[], $3::text[], $4::text[]) AS t(p, a, r)",
        &[&meeting, &people, &kinds, &reasons],
    )?;
    Ok(())
}

/// A unit among those the user reads whole (`read`), or the refusal a workspace gives.
pub(super) fn check_meeting_unit(units: &[ServerUnit], read: &HashSet<Id>, unit: Id) -> Result<()> {
    if !units.iter().any(|u| u.id == unit) {
        return Err(unit_not_found());
    }
    if !read.contains(&unit) {
        return Err(meeting_unit_forbidden(&branch_path(units, unit)));
    }
    Ok(())
}

/// The groups of some branches (all the user reads when `None`) or one group, each with its
/// members in name order.
fn read_groups(
    client: &mut impl GenericClient,
    statements: &mut Statements,
    units: &[ServerUnit],
    branches: Option<&[Id]>,
    group: Option<Id>,
) -> std::result::Result<Vec<PartyGroup>, postgres::Error> {
    let groups = statements.get(
        client,
        "SELECT id, branch_id, name FROM dangan.party_groups
         WHERE ($1::bigint[] IS NULL OR branch_id = ANY($1)) AND ($2::bigint IS NULL OR id = $2)
         ORDER BY branch_id, name COLLATE \"C\"",
    )?;
    let members = statements.get(
        client,
        "SELECT m.group_id, p.id, p.name FROM dangan.group_members m JOIN dangan.people p ON p.id = m.person_id
         WHERE m.group_id = ANY($1) ORDER BY p.sort_key, p.id",
    )?;
    let branches: Option<Vec<Id>> = branches.map(<[Id]>::to_vec);
    let mut found: Vec<PartyGroup> = client
        .query(&groups, &[&branches, &group])?
        .iter()
        .map(|r| {
            let branch_id: Id = r.get(1);
            PartyGroup {
                id: r.get(0),
                branch_id,
                branch: branch_path(units, branch_id),
                name: r.get(2),
                members: Vec::new(),
            }
        })
        .collect();
    let ids: Vec<Id> = found.iter().map(|g| g.id).collect();
    for r in client.query(&members, &[&ids])? {
        let group_id: Id = r.get(0);
        if let Some(group) = found.iter_mut().find(|g| g.id == group_id) {
            group.members.push(GroupMember { person_id: r.get(1), name: r.get(2) });
        }
    }
    Ok(found)
}

/// Which meetings to read.
enum Only {
    Meeting(Id),
    Query { units: Vec<Id>, query: MeetingQuery },
}

/// Why branch life's rows could not be read or changed: the server's error, a row no Dangan
/// wrote, or a refusal in words.
pub(super) enum LoadError {
    Server(postgres::Error),
    Corrupt(&'static str, Id),
    Refused(Error),
}

impl From<postgres::Error> for LoadError {
    fn from(e: postgres::Error) -> LoadError {
        LoadError::Server(e)
    }
}

impl LoadError {
    pub(super) fn into_error(self, address: &super::ServerAddress) -> Error {
        match self {
            LoadError::Server(e) => failure(e, address),
            LoadError::Corrupt(table, id) => Error::Server {
                server: address.to_string(),
                reason: format!("row {id} of table {table} cannot be read"),
            },
            LoadError::Refused(e) => e,
        }
    }
}

/// A meeting as a refusal names it: its kind and day.
fn meeting_named(meeting: &Meeting) -> crate::Text {
    let kind = meeting.kind.label();
    crate::Text::new(
        format!("{}的{}", crate::calendar::format_zh(meeting.date), kind.zh),
        format!("the {} of {}", kind.en, meeting.date),
    )
}

/// Meetings with their attendance (in name order; someone the user may no longer read, moved to
/// another college, by number) and their files' descriptions, oldest first.
fn read_meetings(
    client: &mut impl GenericClient,
    statements: &mut Statements,
    units: &[ServerUnit],
    only: &Only,
) -> std::result::Result<Vec<MeetingRecord>, LoadError> {
    let rows = match only {
        Only::Meeting(id) => {
            let one =
                statements.get(client, &format!("SELECT {MEETING_COLUMNS} FROM dangan.meetings WHERE id = $1"))?;
            client.query(&one, &[id])?
        }
        Only::Query { units, query } => {
            let some = statements.get(
                client,
                &format!(
                    "SELECT {MEETING_COLUMNS} FROM dangan.meetings
                     WHERE unit_id = ANY($1) AND ($2::text IS NULL OR date >= $2::text::date)
                       AND ($3::text IS NULL OR date <= $3::text::date) AND ($4::text IS NULL OR kind = $4)
                     ORDER BY date, id"
                ),
            )?;
            let (from, to) = (query.from.map(|d| d.to_string()), query.to.map(|d| d.to_string()));
            client.query(&some, &[units, &from, &to, &query.kind.map(MeetingKind::as_str)])?
        }
    };
    let mut found = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: Id = r.get(0);
        let bad = || LoadError::Corrupt("meetings", id);
        let unit_id: Id = r.get(1);
        let study_minutes: i32 = r.get(12);
        let meeting = Meeting {
            id: Some(id),
            unit_id,
            group_id: r.get(2),
            kind: MeetingKind::parse(r.get(3)).ok_or_else(bad)?,
            date: r.get::<_, &str>(4).parse::<Date>().map_err(|_| bad())?,
            held: r.get(5),
            place: r.get(6),
            chair: r.get(7),
            recorder: r.get(8),
            topic: r.get(9),
            minutes: r.get(10),
            decisions: r.get(11),
            study_minutes: u32::try_from(study_minutes).map_err(|_| bad())?,
            guests: r.get(13),
            version: Some(r.get(14)),
        };
        found.push(MeetingRecord {
            unit: branch_path(units, unit_id),
            meeting,
            attendees: Vec::new(),
            attachments: Vec::new(),
        });
    }
    let ids: Vec<Id> = found.iter().filter_map(|m| m.meeting.id).collect();
    let position: HashMap<Id, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let attendance = statements.get(
        client,
        "SELECT a.meeting_id, a.person_id, p.name, a.attendance, a.reason
         FROM dangan.attendance a LEFT JOIN dangan.people p ON p.id = a.person_id
         WHERE a.meeting_id = ANY($1) ORDER BY p.sort_key NULLS LAST, a.person_id",
    )?;
    for r in client.query(&attendance, &[&ids])? {
        let meeting: Id = r.get(0);
        let person_id: Id = r.get(1);
        let attendance = Attendance::parse(r.get(3)).ok_or(LoadError::Corrupt("attendance", meeting))?;
        let name: Option<String> = r.get(2);
        let name = name.unwrap_or_else(|| format!("#{person_id}"));
        if let Some(&i) = position.get(&meeting) {
            found[i].attendees.push(AttendeeName { person_id, name, attendance, reason: r.get(4) });
        }
    }
    let files = statements.get(
        client,
        "SELECT meeting_id, id, name, media_type, size FROM dangan.meeting_attachments
         WHERE meeting_id = ANY($1) ORDER BY id",
    )?;
    for r in client.query(&files, &[&ids])? {
        let (meeting, id): (Id, Id) = (r.get(0), r.get(1));
        let media_type = MediaType::parse(r.get(3)).ok_or(LoadError::Corrupt("meeting_attachments", id))?;
        let info = AttachmentInfo { id, name: r.get(2), media_type, size: r.get::<_, i64>(4).unsigned_abs() };
        if let Some(&i) = position.get(&meeting) {
            found[i].attachments.push(info);
        }
    }
    Ok(found)
}
