//! The official holiday calendar on the server: one for the whole university, read by everyone,
//! entered by the department (the policies hold that too), and the working-day calendar every
//! deadline of the session is computed with, as a workspace computes them from its own.

use chrono::Datelike;
use postgres::GenericClient;

use super::{ServerStore, failure, lost_at_commit};
use crate::Result;
use crate::access::Action;
use crate::calendar::Date;
use crate::workdays::{CalendarDay, DayKind, WorkCalendar};

impl ServerStore {
    /// The calendar entered so far: its days by date, and the years entered.
    pub fn holidays(&mut self) -> Result<(Vec<CalendarDay>, Vec<i32>)> {
        read_calendar(&mut self.client).map_err(|e| failure(e, &self.address))
    }

    /// Enters the calendar of the years the days fall in, replacing what those years had, in one
    /// transaction (logged by the server). Returns the years entered.
    pub fn set_holidays(&mut self, days: &[CalendarDay]) -> Result<Vec<i32>> {
        self.require(Action::EditCalendar)?;
        let mut years: Vec<i32> = days.iter().map(|d| d.date.year()).collect();
        years.sort_unstable();
        years.dedup();
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = self.client.transaction().map_err(fail)?;
        // One entry of the calendar at a time: two at once would each delete what they see and
        // add theirs, and leave a year of both.
        tx.batch_execute(CALENDAR_LOCK).map_err(fail)?;
        tx.execute("DELETE FROM dangan.holidays WHERE extract(year FROM date)::integer = ANY ($1)", &[&years])
            .map_err(fail)?;
        tx.execute(
            "INSERT INTO dangan.holiday_years (year) SELECT y FROM unnest($1::integer[]) AS y ON CONFLICT DO NOTHING",
            &[&years],
        )
        .map_err(fail)?;
        let insert = tx
            .prepare("INSERT INTO dangan.holidays (date, kind, name) VALUES ($1::text::date, $2, $3)")
            .map_err(fail)?;
        for day in days {
            tx.execute(&insert, &[&day.date.to_string(), &day.kind.as_str(), &day.name]).map_err(fail)?;
        }
        // Read before the commit, so that nothing can fail after it.
        let workdays = work_calendar(&mut tx).map_err(fail)?;
        tx.commit().map_err(|e| lost_at_commit(e, &address))?;
        self.workdays = workdays;
        Ok(years)
    }
}

/// Taken by whoever changes the calendar, until their commit (plain reads go on meanwhile).
pub(super) const CALENDAR_LOCK: &str = "LOCK TABLE dangan.holiday_years IN EXCLUSIVE MODE";

/// The calendar's days by date and the years entered.
pub(super) fn read_calendar(
    client: &mut impl GenericClient,
) -> std::result::Result<(Vec<CalendarDay>, Vec<i32>), postgres::Error> {
    let days = client
        .query("SELECT date::text, kind, name FROM dangan.holidays ORDER BY date", &[])?
        .iter()
        .filter_map(|r| {
            let date = r.get::<_, String>(0).parse::<Date>().ok()?;
            Some(CalendarDay { date, kind: DayKind::parse(r.get(1))?, name: r.get(2) })
        })
        .collect();
    let years =
        client.query("SELECT year FROM dangan.holiday_years ORDER BY year", &[])?.iter().map(|r| r.get(0)).collect();
    Ok((days, years))
}

/// The working-day calendar the session's deadlines are computed with.
pub(super) fn work_calendar(client: &mut impl GenericClient) -> std::result::Result<WorkCalendar, postgres::Error> {
    let (days, years) = read_calendar(client)?;
    Ok(WorkCalendar::new(days.into_iter().map(|d| (d.date, d.kind)), years))
}
