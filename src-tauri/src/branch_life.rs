//! The 组织生活 screen's commands: a branch's year as a grid, its meetings with their attendance
//! and papers, its committee and party groups, the owed meetings set aside, the training classes
//! and the study hours.

use std::path::PathBuf;

use dangan_core::calendar::Date;
use dangan_core::domain::{
    Attendee, ClassRecord, Id, Meeting, MeetingRecord, PartyGroup, PostHeld, PostRecord, StudyEntry, TraineeResult,
    TrainingClass,
};
use dangan_core::jobs::{JobProgress, Unit};
use dangan_core::life_plan::LifePlan;
use dangan_core::store::MeetingQuery;
use dangan_core::study::StudyHours;
use tauri::State;
use tauri::ipc::Channel;

use crate::commands::{blocking, reporting};
use crate::error::Reply;
use crate::shell::Shell;

/// A branch's year: each kind of meeting it owes, each period held, owed, missed or to come.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn life_plan(shell: State<'_, Shell>, unit: Id, year: i32) -> Reply<LifePlan> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.life_plan(unit, year, None), |server| server.life_plan(unit, year, None))
    })
    .await
}

/// The meetings a query selects, oldest first, with their attendance.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn meetings(shell: State<'_, Shell>, query: MeetingQuery) -> Reply<Vec<MeetingRecord>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.meetings(&query), |server| server.meetings(&query))
    })
    .await
}

/// Records a meeting (new when its id is `null`) with its attendance, in one step.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn save_meeting(shell: State<'_, Shell>, meeting: Meeting, attendees: Vec<Attendee>) -> Reply<MeetingRecord> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either_given(
            meeting,
            |session, meeting| session.save_meeting(meeting, &attendees),
            |server, meeting| server.save_meeting(meeting, &attendees),
        )
    })
    .await
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn delete_meeting(shell: State<'_, Shell>, id: Id) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.delete_meeting(id), |server| server.delete_meeting(id))
    })
    .await
}

/// Records a meeting's attendance from an .xlsx or .csv sheet, all rows or none.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn import_attendance(shell: State<'_, Shell>, id: Id, path: PathBuf) -> Reply<MeetingRecord> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.import_attendance(id, &path), |server| server.import_attendance(id, &path))
    })
    .await
}

/// Prints a meeting: its sign-in sheet (planned, or when asked) or its minutes, as a PDF.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn write_meeting_paper(shell: State<'_, Shell>, id: Id, sign_in: bool, path: PathBuf) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(
            |session| session.write_meeting_paper(id, sign_in, &path),
            |server| server.write_meeting_paper(id, sign_in, &path, &folder),
        )
    })
    .await
}

/// Prints a branch's year as its work register (党支部工作手册), a PDF.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn write_work_register(shell: State<'_, Shell>, unit: Id, year: i32, path: PathBuf) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(
            |session| session.write_work_register(unit, year, &path),
            |server| server.write_work_register(unit, year, &path, &folder),
        )
    })
    .await
}

/// The committee posts of a unit, current first.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn posts(shell: State<'_, Shell>, unit: Option<Id>) -> Reply<Vec<PostRecord>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || shell.with_either(|session| session.posts(unit), |server| server.posts(unit))).await
}

/// Records that someone holds (or held) a committee post.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn save_post(shell: State<'_, Shell>, post: PostHeld) -> Reply<PostRecord> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either_given(post, |session, post| session.save_post(post), |server, post| server.save_post(post))
    })
    .await
}

/// The party groups of a unit's branches.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn groups(shell: State<'_, Shell>, unit: Option<Id>) -> Reply<Vec<PartyGroup>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || shell.with_either(|session| session.groups(unit), |server| server.groups(unit)))
        .await
}

/// Makes a party group in a branch (`id: null`), or renames one.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn save_group(shell: State<'_, Shell>, id: Option<Id>, branch_id: Id, name: String) -> Reply<PartyGroup> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.save_group(id, branch_id, &name),
            |server| server.save_group(id, branch_id, &name),
        )
    })
    .await
}

/// Sets who belongs to a party group: `people` replaces `seen`, the members the form was opened
/// with (refused as `conflict` if they changed meanwhile).
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn set_group_members(
    shell: State<'_, Shell>,
    group_id: Id,
    people: Vec<Id>,
    seen: Option<Vec<Id>>,
) -> Reply<PartyGroup> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.set_group_members(group_id, &people, seen.as_deref()),
            |server| server.set_group_members(group_id, &people, seen.as_deref()),
        )
    })
    .await
}

/// Each member's study hours in a year, with the hours asked of them.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn study_hours(shell: State<'_, Shell>, year: i32, unit: Option<Id>) -> Reply<Vec<StudyHours>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.study_hours(year, unit), |server| server.study_hours(year, unit))
    })
    .await
}

/// Sets the day from which a unit owes its meetings.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn set_life_from(shell: State<'_, Shell>, unit: Id, from: Date) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.set_life_from(unit, from), |server| server.set_life_from(unit, from))
    })
    .await
}

/// Acknowledges (`until: null`) or snoozes a meeting a unit (or one of its groups) owes.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn dismiss_unit_deadline(
    shell: State<'_, Shell>,
    unit_id: Id,
    group_id: Option<Id>,
    rule: String,
    due: Date,
    until: Option<Date>,
) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.dismiss_unit_deadline(unit_id, group_id, &rule, due, until),
            |server| server.dismiss_unit_deadline(unit_id, group_id, &rule, due, until),
        )
    })
    .await
}

/// Undoes a snooze or an acknowledgement of a unit's item.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn restore_unit_deadline(
    shell: State<'_, Shell>,
    unit_id: Id,
    group_id: Option<Id>,
    rule: String,
    due: Date,
) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.restore_unit_deadline(unit_id, group_id, &rule, due),
            |server| server.restore_unit_deadline(unit_id, group_id, &rule, due),
        )
    })
    .await
}

/// The training classes of a unit's subtree that ran in a year, the latest first.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn classes(shell: State<'_, Shell>, unit: Option<Id>, year: Option<i32>) -> Reply<Vec<ClassRecord>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.classes(unit, year), |server| server.classes(unit, year))
    })
    .await
}

/// One class with its sessions and trainees, as it is now (read again when another user
/// changed it).
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn training_class(shell: State<'_, Shell>, id: Id) -> Reply<ClassRecord> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || shell.with_either(|session| session.class(id), |server| server.class(id))).await
}

/// Records a training class with its sessions (new when its id is `null`).
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn save_class(shell: State<'_, Shell>, training_class: TrainingClass) -> Reply<ClassRecord> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either_given(
            training_class,
            |session, class| session.save_class(class),
            |server, class| server.save_class(class),
        )
    })
    .await
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn delete_class(shell: State<'_, Shell>, id: Id) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.delete_class(id), |server| server.delete_class(id))
    })
    .await
}

/// Enrols people in a class in one step.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn enrol(shell: State<'_, Shell>, class_id: Id, people: Vec<Id>) -> Reply<ClassRecord> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.enrol(class_id, &people), |server| server.enrol(class_id, &people))
    })
    .await
}

/// Records exactly who attended a session.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn set_session_attendance(
    shell: State<'_, Shell>,
    session_id: Id,
    present: Vec<Id>,
    seen_version: Option<i32>,
) -> Reply<ClassRecord> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.set_session_attendance(session_id, &present),
            |server| server.set_session_attendance(session_id, &present, seen_version),
        )
    })
    .await
}

/// Records trainees' exam scores and results.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn set_results(
    shell: State<'_, Shell>,
    class_id: Id,
    results: Vec<TraineeResult>,
    seen_version: Option<i32>,
) -> Reply<ClassRecord> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.set_results(class_id, &results),
            |server| server.set_results(class_id, &results, seen_version),
        )
    })
    .await
}

/// Records the centralised training step of everyone who passed a development targets' class.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn record_training_steps(shell: State<'_, Shell>, class_id: Id) -> Reply<Vec<Id>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.record_training_steps(class_id),
            |server| server.record_training_steps(class_id),
        )
    })
    .await
}

/// Prints the certificates of everyone who passed a class, as one PDF.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn write_certificates(shell: State<'_, Shell>, class_id: Id, path: PathBuf) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(
            |session| session.write_certificates(class_id, &path),
            |server| server.write_certificates(class_id, &path, &folder),
        )
    })
    .await
}

/// Records a member's own study.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn add_study_entry(shell: State<'_, Shell>, entry: StudyEntry) -> Reply<StudyEntry> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either_given(
            entry,
            |session, entry| session.add_study_entry(entry),
            |server, entry| server.add_study_entry(entry),
        )
    })
    .await
}

/// Records own study from a sheet, all rows or none; the number recorded. Its rows are counted
/// off on `on_progress`; `cancel_job` stops it, and then nothing is recorded.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell, on_progress))]
pub async fn import_study_entries(
    shell: State<'_, Shell>,
    path: PathBuf,
    on_progress: Channel<JobProgress>,
) -> Reply<usize> {
    let shell = shell.inner().clone();
    let job = shell.jobs().start();
    let report = job.reporter(Unit::Rows, reporting(on_progress));
    blocking(shell.lang(), move || {
        shell.with_either_given(
            report,
            |session, report| session.import_study_entries(&path, report),
            |server, report| server.import_study_entries(&path, report),
        )
    })
    .await
}

/// Takes trainees out of a class, with their attendance and results.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn unenrol(shell: State<'_, Shell>, class_id: Id, people: Vec<Id>) -> Reply<ClassRecord> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.unenrol(class_id, &people), |server| server.unenrol(class_id, &people))
    })
    .await
}

/// A member's own study in a year.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn study_entries(shell: State<'_, Shell>, person: Id, year: i32) -> Reply<Vec<StudyEntry>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.study_entries(person, year), |server| server.study_entries(person, year))
    })
    .await
}

/// Deletes an entry of own study.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn delete_study_entry(shell: State<'_, Shell>, id: Id) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.delete_study_entry(id), |server| server.delete_study_entry(id))
    })
    .await
}

/// Adds files (sign-in sheet scans, photos) to a meeting, all or none.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn add_meeting_attachments(
    shell: State<'_, Shell>,
    meeting_id: Id,
    paths: Vec<PathBuf>,
) -> Reply<MeetingRecord> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.add_meeting_attachments(meeting_id, &paths),
            |server| server.add_meeting_attachments(meeting_id, &paths),
        )
    })
    .await
}

/// A meeting file's bytes, as a raw binary response.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn meeting_attachment_bytes(shell: State<'_, Shell>, attachment_id: Id) -> Reply<crate::bridge::Bytes> {
    let shell = shell.inner().clone();
    let bytes = blocking(shell.lang(), move || {
        shell.with_either(
            |session| Ok(session.meeting_attachment(attachment_id)?.1),
            |server| Ok(server.meeting_attachment(attachment_id)?.1),
        )
    })
    .await?;
    Ok(crate::bridge::Bytes(bytes))
}

/// Writes a copy of a meeting's file outside the workspace.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn save_meeting_attachment_as(shell: State<'_, Shell>, attachment_id: Id, path: PathBuf) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(
            |session| session.save_meeting_attachment_as(attachment_id, &path).map(drop),
            |server| server.save_meeting_attachment_as(attachment_id, &path, &folder).map(drop),
        )
    })
    .await
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn delete_meeting_attachment(shell: State<'_, Shell>, attachment_id: Id) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.delete_meeting_attachment(attachment_id),
            |server| server.delete_meeting_attachment(attachment_id),
        )
    })
    .await
}

/// Records a sheet of held meetings, all rows or none; how many were recorded. Its rows are
/// counted off on `on_progress`; `cancel_job` stops it, and then nothing is recorded.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell, on_progress))]
pub async fn import_meetings(
    shell: State<'_, Shell>,
    path: PathBuf,
    on_progress: Channel<JobProgress>,
) -> Reply<usize> {
    let shell = shell.inner().clone();
    let job = shell.jobs().start();
    let report = job.reporter(Unit::Rows, reporting(on_progress));
    blocking(shell.lang(), move || {
        shell.with_either_given(
            report,
            |session, report| session.import_meetings(&path, report),
            |server, report| server.import_meetings(&path, report),
        )
    })
    .await
}
