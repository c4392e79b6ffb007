//! The democratic appraisal (issue 18): the 民主评议 screen's commands, each a hand-off to the
//! session: open, date the steps, record the vote (by hand or from a sheet), propose and decide the
//! grades, close, end a correction period, print the ballot and the results, export the year.

use std::path::PathBuf;

use dangan_core::appraisal::{Appraisal, AppraisalStep, CorrectionOutcome, GradeDecision, VoteRow};
use dangan_core::calendar::Date;
use dangan_core::domain::{Grade, Id};
use tauri::State;

use crate::commands::blocking;
use crate::error::Reply;
use crate::shell::Shell;

/// Opens the appraisal of a year for a branch, or every branch under a unit.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn open_appraisals(shell: State<'_, Shell>, unit: Id, year: i32, opened_on: Date) -> Reply<Vec<Appraisal>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.open_appraisals(unit, year, opened_on),
            |server| server.open_appraisals(unit, year, opened_on),
        )
    })
    .await
}

/// One appraisal.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn appraisal(shell: State<'_, Shell>, id: Id) -> Reply<Appraisal> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || shell.with_either(|session| session.appraisal(id), |server| server.appraisal(id)))
        .await
}

/// The appraisals of a year (under a unit, or all).
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn appraisals(shell: State<'_, Shell>, year: i32, unit: Option<Id>) -> Reply<Vec<Appraisal>> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.appraisals(year, unit), |server| server.appraisals(year, unit))
    })
    .await
}

/// Dates a step, or takes its day back.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn date_appraisal_step(
    shell: State<'_, Shell>,
    id: Id,
    step: AppraisalStep,
    date: Option<Date>,
) -> Reply<Appraisal> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.date_appraisal_step(id, step, date),
            |server| server.date_appraisal_step(id, step, date),
        )
    })
    .await
}

/// Records the vote: the ballots cast and members' counts, all or none.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_votes(shell: State<'_, Shell>, id: Id, ballots_cast: u32, rows: Vec<VoteRow>) -> Reply<Appraisal> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.record_votes(id, ballots_cast, &rows),
            |server| server.record_votes(id, ballots_cast, &rows),
        )
    })
    .await
}

/// Records the vote from a sheet, all rows or none.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn import_votes(shell: State<'_, Shell>, id: Id, ballots_cast: u32, path: PathBuf) -> Reply<Appraisal> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.import_votes(id, ballots_cast, &path),
            |server| server.import_votes(id, ballots_cast, &path),
        )
    })
    .await
}

/// Sets or clears the branch's proposed grade of a member.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn propose_grade(shell: State<'_, Shell>, id: Id, person_id: Id, grade: Option<Grade>) -> Reply<Appraisal> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.propose_grade(id, person_id, grade),
            |server| server.propose_grade(id, person_id, grade),
        )
    })
    .await
}

/// Decides a member's grade.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn grade_member(shell: State<'_, Shell>, id: Id, decision: GradeDecision) -> Reply<Appraisal> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.grade_member(id, &decision), |server| server.grade_member(id, &decision))
    })
    .await
}

/// Closes an appraisal: each grade into its member's file.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn close_appraisal(shell: State<'_, Shell>, id: Id, date: Date) -> Reply<Appraisal> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.close_appraisal(id, date), |server| server.close_appraisal(id, date))
    })
    .await
}

/// Records how a correction period ended.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn end_correction(
    shell: State<'_, Shell>,
    id: Id,
    person_id: Id,
    outcome: CorrectionOutcome,
    date: Date,
    note: Option<String>,
) -> Reply<Appraisal> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(
            |session| session.end_correction(id, person_id, outcome, date, note.as_deref()),
            |server| server.end_correction(id, person_id, outcome, date, note.as_deref()),
        )
    })
    .await
}

/// Writes the ballot and tally sheet as one PDF.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn write_ballots(shell: State<'_, Shell>, id: Id, path: PathBuf) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(|session| session.write_ballots(id, &path), |server| server.write_ballots(id, &path, &folder))
    })
    .await
}

/// Writes a branch's results sheet as a PDF.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn write_appraisal_results(shell: State<'_, Shell>, id: Id, path: PathBuf) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(
            |session| session.write_appraisal_results(id, &path),
            |server| server.write_appraisal_results(id, &path, &folder),
        )
    })
    .await
}

/// Writes the year's results as a workbook.
#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn export_appraisals(shell: State<'_, Shell>, year: i32, unit: Option<Id>, path: PathBuf) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(
            |session| session.export_appraisals(year, unit, &path),
            |server| server.export_appraisals(year, unit, &path, &folder),
        )
    })
    .await
}
