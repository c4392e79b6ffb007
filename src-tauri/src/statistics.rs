//! The 统计 screen's commands: the statistics as of a day, the annual report, and both written to
//! a workbook. A number's people are listed by `list_members` with the number's cell in the query.

use std::path::PathBuf;

use dangan_core::domain::Id;
use dangan_core::statistics::export::ChartImage;
use dangan_core::statistics::{AnnualReport, Statistics, StatsQuery};
use tauri::State;

use crate::commands::blocking;
use crate::error::Reply;
use crate::shell::Shell;

/// The statistics as of a day (today when `as_of` is `null`), for a unit or everything the user may see.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn statistics(shell: State<'_, Shell>, query: StatsQuery) -> Reply<Statistics> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.statistics(&query), |server| server.statistics(&query))
    })
    .await
}

/// The annual party statistics report of a year, with its consistency check.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn annual_report(shell: State<'_, Shell>, year: i32, unit: Option<Id>) -> Reply<AnnualReport> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        shell.with_either(|session| session.annual_report(year, unit), |server| server.annual_report(year, unit))
    })
    .await
}

/// Writes the statistics' tables to a workbook (.xlsx) or a PDF.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn write_statistics(shell: State<'_, Shell>, query: StatsQuery, path: PathBuf) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(
            |session| session.write_statistics(&query, &path),
            |server| server.write_statistics(&query, &path, &folder),
        )
    })
    .await
}

/// Writes the annual report to a workbook (.xlsx) or a PDF.
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell))]
pub async fn write_annual_report(shell: State<'_, Shell>, year: i32, unit: Option<Id>, path: PathBuf) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(
            |session| session.write_annual_report(year, unit, &path),
            |server| server.write_annual_report(year, unit, &path, &folder),
        )
    })
    .await
}

/// Saves a chart as the screen drew it: the picture (.png) or a printable page (.pdf).
#[tauri::command]
#[tracing::instrument(level = "debug", skip(shell, chart))]
pub async fn save_chart(shell: State<'_, Shell>, chart: ChartImage, path: PathBuf) -> Reply<()> {
    let shell = shell.inner().clone();
    blocking(shell.lang(), move || {
        let folder = shell.workspace()?.dir().to_owned();
        shell.with_either(
            |session| session.save_chart(&chart, &path),
            |server| server.save_chart(&chart, &path, &folder),
        )
    })
    .await
}
