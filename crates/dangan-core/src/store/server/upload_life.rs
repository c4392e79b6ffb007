//! A workspace's register of branch life carried by `dangan server upload`: the days units owe
//! their meetings from, party groups and their members, committee posts, meetings with their
//! attendance and files, own study, and training classes with their sessions, trainees and
//! attendance, and the items units owe that were set aside, each under the server's numbers of
//! its units, groups and people, in the upload's
//! transaction (logged by the server's triggers as the uploader's). What the workspace kept then
//! stands (`dangan.uploading`): an attendee or a post holder who has since moved branch stays.

use std::collections::HashMap;

use postgres::Transaction;
use serde::Serialize;

use super::meetings::{insert_meeting, meeting_values, write_attendance};
use super::{Statements, failure};
use crate::domain::{Attendee, Id};
use crate::store::upload::{BranchLife, Scan};
use crate::{Error, Result};

/// What an upload carried of branch life.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LifeCarried {
    pub party_groups: u64,
    pub committee_posts: u64,
    pub meetings: u64,
    pub meeting_attachments: u64,
    pub study_entries: u64,
    pub training_classes: u64,
    /// Items units owe that were acknowledged or snoozed.
    pub set_aside: u64,
}

/// The workspace's numbers of units and people, and how each maps to the server's.
pub(super) struct Mapped<'a> {
    pub(super) units: &'a HashMap<Id, Id>,
    pub(super) people: &'a HashMap<Id, Id>,
    /// Each person's branch in the workspace: a group keeps only those still of its branch.
    pub(super) branch_of: &'a HashMap<Id, Id>,
}

/// How an upload sends files: each read from the workspace (`scan`) as it is sent, a cancel
/// asked after (`still_wanted`) between records.
pub(super) struct Sending<'a> {
    pub(super) scan: &'a mut dyn FnMut(Scan) -> Result<Vec<u8>>,
    pub(super) still_wanted: &'a mut dyn FnMut() -> Result<()>,
}

/// Carries `life` into the upload's transaction; each meeting's file read (`scan`) as it is sent,
/// a cancel honoured (`still_wanted`) between meetings.
pub(super) fn carry_branch_life(
    tx: &mut Transaction<'_>,
    statements: &mut Statements,
    life: &BranchLife,
    mapped: &Mapped<'_>,
    Sending { scan, still_wanted }: Sending<'_>,
    address: &super::ServerAddress,
) -> Result<LifeCarried> {
    let fail = |e| failure(e, address);
    let unit = |id: Id| mapped.units.get(&id).copied().ok_or_else(|| missing("org_units", id));
    let person = |id: Id| mapped.people.get(&id).copied().ok_or_else(|| missing("people", id));
    let mut carried = LifeCarried::default();

    for (id, day) in &life.life_from {
        tx.execute(
            "UPDATE dangan.org_units SET life_from = $2::text::date WHERE id = $1",
            &[&unit(*id)?, &day.to_string()],
        )
        .map_err(fail)?;
    }

    let mut groups: HashMap<Id, Id> = HashMap::new();
    for (group, day) in &life.groups {
        let branch = unit(group.branch_id)?;
        let day = day.map(|d| d.to_string());
        let id: Id = tx
            .query_one(
                "INSERT INTO dangan.party_groups (branch_id, name, life_from)
                 VALUES ($1, $2, coalesce($3::text::date, current_date)) RETURNING id",
                &[&branch, &group.name, &day],
            )
            .map_err(fail)?
            .get(0);
        groups.insert(group.id, id);
        carried.party_groups += 1;
        // Someone who has moved to another branch since joining has left the group.
        let members: Vec<Id> = group
            .members
            .iter()
            .filter(|m| mapped.branch_of.get(&m.person_id) == Some(&group.branch_id))
            .map(|m| person(m.person_id))
            .collect::<Result<_>>()?;
        tx.execute(
            "INSERT INTO dangan.group_members (group_id, person_id) SELECT $1, p FROM unnest($2::bigint[]) AS p",
            &[&id, &members],
        )
        .map_err(fail)?;
    }

    for post in &life.posts {
        let until = post.until.map(|d| d.to_string());
        tx.execute(
            "INSERT INTO dangan.committee_posts (unit_id, person_id, post, since, until)
             VALUES ($1, $2, $3, $4::text::date, $5::text::date)",
            &[&unit(post.unit_id)?, &person(post.person_id)?, &post.post.as_str(), &post.since.to_string(), &until],
        )
        .map_err(fail)?;
        carried.committee_posts += 1;
    }

    for record in &life.meetings {
        still_wanted()?;
        let mut meeting = record.meeting.clone();
        meeting.unit_id = unit(meeting.unit_id)?;
        meeting.group_id = match meeting.group_id {
            Some(group) => Some(groups.get(&group).copied().ok_or_else(|| missing("party_groups", group))?),
            None => None,
        };
        let (kind, date) = (meeting.kind.as_str(), meeting.date.to_string());
        let minutes = i32::try_from(meeting.study_minutes).unwrap_or(i32::MAX);
        let id = insert_meeting(tx, statements, &meeting_values(&meeting, &kind, &date, &minutes)).map_err(fail)?;
        let attendees: Vec<Attendee> = record
            .attendees
            .iter()
            .map(|a| {
                Ok(Attendee { person_id: person(a.person_id)?, attendance: a.attendance, reason: a.reason.clone() })
            })
            .collect::<Result<_>>()?;
        write_attendance(tx, id, &attendees).map_err(fail)?;
        for file in &record.attachments {
            let bytes = scan(Scan::Meeting(file.id))?;
            let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
            tx.execute(
                "INSERT INTO dangan.meeting_attachments (meeting_id, name, media_type, size, content)
                 VALUES ($1, $2, $3, $4, $5)",
                &[&id, &file.name, &file.media_type.as_str(), &size, &bytes],
            )
            .map_err(fail)?;
            carried.meeting_attachments += 1;
        }
        carried.meetings += 1;
    }

    for entry in &life.study {
        let entry = crate::domain::StudyEntry { person_id: person(entry.person_id)?, ..entry.clone() };
        super::study::insert_entry(tx, &entry).map_err(fail)?;
        carried.study_entries += 1;
    }

    for record in &life.classes {
        let class = &record.class;
        let id: Id = tx
            .query_one(
                "INSERT INTO dangan.training_classes (unit_id, kind, name, starts, ends)
                 VALUES ($1, $2, $3, $4::text::date, $5::text::date) RETURNING id",
                &[
                    &unit(class.unit_id)?,
                    &class.kind.as_str(),
                    &class.name,
                    &class.starts.to_string(),
                    &class.ends.to_string(),
                ],
            )
            .map_err(fail)?
            .get(0);
        let mut sessions: HashMap<Id, Id> = HashMap::new();
        for session in &class.sessions {
            let minutes = i32::try_from(session.minutes).unwrap_or(i32::MAX);
            let made: Id = tx
                .query_one(
                    "INSERT INTO dangan.class_sessions (class_id, date, minutes, topic)
                     VALUES ($1, $2::text::date, $3, $4) RETURNING id",
                    &[&id, &session.date.to_string(), &minutes, &session.topic],
                )
                .map_err(fail)?
                .get(0);
            if let Some(old) = session.id {
                sessions.insert(old, made);
            }
        }
        for trainee in &record.trainees {
            let who = person(trainee.person_id)?;
            let score = trainee.score.map(|s| i32::try_from(s).unwrap_or(i32::MAX));
            tx.execute("INSERT INTO dangan.trainees (class_id, person_id) VALUES ($1, $2)", &[&id, &who])
                .map_err(fail)?;
            tx.execute(
                "UPDATE dangan.trainees SET score = $3, passed = $4 WHERE class_id = $1 AND person_id = $2",
                &[&id, &who, &score, &trainee.passed],
            )
            .map_err(fail)?;
            for session in &trainee.sessions {
                let Some(session) = sessions.get(session) else { continue };
                tx.execute(
                    "INSERT INTO dangan.session_attendance (session_id, person_id) VALUES ($1, $2)",
                    &[session, &who],
                )
                .map_err(fail)?;
            }
        }
        carried.training_classes += 1;
    }

    for (unit_id, group, rule, due, until) in &life.set_aside {
        // A group since removed owes nothing: what was set aside of it goes with it.
        let group = match *group {
            0 => 0,
            old => match groups.get(&old) {
                Some(&made) => made,
                None => continue,
            },
        };
        let until = until.map(|d| d.to_string());
        tx.execute(
            "INSERT INTO dangan.unit_dismissals (unit_id, group_id, rule, due, until)
             VALUES ($1, $2, $3, $4::text::date, $5::text::date)",
            &[&unit(*unit_id)?, &group, rule, &due.to_string(), &until],
        )
        .map_err(fail)?;
        carried.set_aside += 1;
    }
    Ok(carried)
}

/// A row of the workspace naming a unit, person or group the upload did not carry: the
/// workspace's own damage, refused whole.
fn missing(table: &str, id: Id) -> Error {
    Error::invalid(
        "workspace",
        format!("工作区的组织生活记录指向不存在的 {table} {id}，没有上传任何内容；请先用 dangan verify 查明"),
        format!(
            "the workspace's branch life names {table} {id}, which it does not hold; nothing was uploaded: run dangan verify"
        ),
    )
}
