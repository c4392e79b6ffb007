//! The official holiday calendar (holidays and make-up workdays, by year) as entered in the
//! workspace; working-day periods are computed from it (`workdays.rs`).

use rusqlite::params;

use super::Store;
use crate::Result;
use crate::access::Action;
use crate::calendar;
use crate::workdays::{CalendarDay, DayKind, WorkCalendar};

impl Store {
    /// The official calendar entered so far, by date.
    pub fn holidays(&self) -> Result<(Vec<CalendarDay>, Vec<i32>)> {
        let mut stmt = self.conn.prepare_cached("SELECT date, kind, name FROM holidays ORDER BY date")?;
        let days = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?)))?
            .filter_map(|row| match row {
                Ok((date, kind, name)) => {
                    Some(Ok(CalendarDay { date: calendar::parse_iso(&date)?, kind: DayKind::parse(&kind)?, name }))
                }
                Err(e) => Some(Err(e)),
            })
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let years = self
            .conn
            .prepare_cached("SELECT year FROM holiday_years ORDER BY year")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i32>>>()?;
        Ok((days, years))
    }

    /// Enters the official calendar of the years the days fall in, replacing what those years had.
    /// Returns the years entered.
    pub fn set_holidays(&mut self, days: &[CalendarDay]) -> Result<Vec<i32>> {
        let tx = self.begin_change()?;
        self.require(Action::EditCalendar)?;
        use chrono::Datelike;
        let mut years: Vec<i32> = days.iter().map(|d| d.date.year()).collect();
        years.sort_unstable();
        years.dedup();
        for year in &years {
            tx.execute("DELETE FROM holidays WHERE date LIKE ?1", [format!("{year:04}-%")])?;
            tx.execute("INSERT OR IGNORE INTO holiday_years (year) VALUES (?1)", [year])?;
        }
        for day in days {
            tx.execute(
                "INSERT INTO holidays (date, kind, name) VALUES (?1, ?2, ?3)",
                params![day.date.to_string(), day.kind.as_str(), day.name],
            )?;
        }
        tx.commit()?;
        self.workdays = load_workdays(&self.conn)?;
        Ok(years)
    }
}

pub(super) fn load_workdays(conn: &rusqlite::Connection) -> Result<WorkCalendar> {
    let mut days = Vec::new();
    let mut stmt = conn.prepare("SELECT date, kind FROM holidays")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (Some(date), Some(kind)) = (
            r.get_ref(0)?.as_str().ok().and_then(calendar::parse_iso),
            r.get_ref(1)?.as_str().ok().and_then(DayKind::parse),
        ) else {
            continue;
        };
        days.push((date, kind));
    }
    let years = conn
        .prepare("SELECT year FROM holiday_years")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i32>>>()?;
    Ok(WorkCalendar::new(days, years))
}
