//! Working days: which days an office works, by the official holiday calendar it enters or imports
//! for each year (holidays, and the weekend days made into workdays), Monday to Friday otherwise.
//!
//! Working-day periods (the 2026 rules' publicity of at least five working days) are counted here.
//! China's calendar is announced a year at a time, so a period that touches a year the office has
//! not entered is counted by weekdays alone and marked provisional.

use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, Weekday};
use serde::Serialize;

use crate::Text;
use crate::calendar::{self, Date};

/// How the official calendar marks a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A public holiday (or a weekday given off), not a working day.
    Holiday,
    /// A weekend day made into a working day (调休上班).
    Workday,
}

impl DayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }

    /// `holiday`/`假日`/`休`/`放假`, or `workday`/`工作日`/`班`/`上班`.
    pub fn parse(s: &str) -> Option<DayKind> {
        match s.trim().to_lowercase().as_str() {
            "holiday" | "假日" | "节假日" | "休" | "放假" | "休息" => Some(DayKind::Holiday),
            "workday" | "工作日" | "班" | "上班" | "调休上班" | "补班" => Some(DayKind::Workday),
            _ => None,
        }
    }
}

/// One day of an official calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarDay {
    pub date: Date,
    pub kind: DayKind,
    /// 春节, 国庆节, …
    pub name: Option<String>,
}

/// The working-day calendar of a workspace.
#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    days: HashMap<Date, DayKind>,
    years: BTreeSet<i32>,
}

impl WorkCalendar {
    /// A calendar of the given official days; each year in `years` counts as entered, even one
    /// whose entries happen to be empty.
    pub fn new(days: impl IntoIterator<Item = (Date, DayKind)>, years: impl IntoIterator<Item = i32>) -> WorkCalendar {
        WorkCalendar { days: days.into_iter().collect(), years: years.into_iter().collect() }
    }

    /// The years whose official calendar is entered.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    pub fn is_working_day(&self, date: Date) -> bool {
        match self.days.get(&date) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The day after the last of `n` working days counted from `start` (itself counted when it is
    /// a working day), and whether that was counted without some year's official calendar.
    pub fn after_working_days(&self, start: Date, n: u32) -> Option<(Date, bool)> {
        let mut day = start;
        let mut counted = 0;
        let mut provisional = false;
        // A year of holidays cannot hold more than a few weeks without a working day.
        for _ in 0..(n * 7 + 60) {
            provisional |= !self.years.contains(&day.year());
            if self.is_working_day(day) {
                counted += 1;
                if counted == n {
                    let next = day.succ_opt()?;
                    return Some((next, provisional));
                }
            }
            day = day.succ_opt()?;
        }
        None
    }
}

/// Why a calendar file was refused: the line and the cause.
pub fn calendar_line_error(line: usize, zh: impl std::fmt::Display, en: impl std::fmt::Display) -> Text {
    Text::new(format!("第 {line} 行：{zh}"), format!("line {line}: {en}"))
}

/// Reads a holiday calendar file: one day per line, `date,kind[,name]` (CSV, UTF-8; a header line
/// and blank lines are skipped; `#` starts a comment). Every bad line is named.
pub fn parse_calendar(text: &str) -> Result<Vec<CalendarDay>, Vec<Text>> {
    let mut days: Vec<CalendarDay> = Vec::new();
    let mut problems = Vec::new();
    for (i, raw) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let line = i + 1;
        let content = raw.split('#').next().unwrap_or("").trim();
        if content.is_empty() {
            continue;
        }
        let fields: Vec<&str> = content.split([',', '，', '\t']).map(str::trim).collect();
        let first = fields[0];
        if line == 1 && calendar::parse_flexible(first).is_none() {
            continue; // a header such as 日期,类型,名称
        }
        let Some(date) = calendar::parse_flexible(first) else {
            problems.push(calendar_line_error(
                line,
                format!("「{first}」不是日期"),
                format!("`{first}` is not a date"),
            ));
            continue;
        };
        let Some(kind) = fields.get(1).and_then(|k| DayKind::parse(k)) else {
            let got = fields.get(1).copied().unwrap_or("");
            problems.push(calendar_line_error(
                line,
                format!("类型「{got}」应为「假日」或「工作日」"),
                format!("kind `{got}` must be `holiday` or `workday`"),
            ));
            continue;
        };
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        if kind == DayKind::Workday && !weekend {
            problems.push(calendar_line_error(
                line,
                format!("{} 是工作日本身，只有周末可以调为工作日", calendar::format_zh(date)),
                format!("{date} is a weekday already; only a weekend day can be made a workday"),
            ));
            continue;
        }
        if days.iter().any(|d| d.date == date) {
            problems.push(calendar_line_error(
                line,
                format!("{} 出现了两次", calendar::format_zh(date)),
                format!("{date} is listed twice"),
            ));
            continue;
        }
        let name = fields.get(2).filter(|n| !n.is_empty()).map(|n| (*n).to_owned());
        days.push(CalendarDay { date, kind, name });
    }
    if problems.is_empty() { Ok(days) } else { Err(problems) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    /// The official 2026 National Day arrangement as an office would enter it: 1–7 October off,
    /// Saturday 10 October worked.
    fn national_day_2026() -> WorkCalendar {
        let mut days: Vec<(Date, DayKind)> =
            (1..=7).map(|day| (d(&format!("2026-10-0{day}")), DayKind::Holiday)).collect();
        days.push((d("2026-10-10"), DayKind::Workday));
        WorkCalendar::new(days, [2026])
    }

    #[test]
    fn five_working_days_from_a_monday_end_on_friday_so_the_step_may_follow_on_saturday() {
        let cal = WorkCalendar::new([], [2026]);
        assert_eq!(cal.after_working_days(d("2026-11-23"), 5), Some((d("2026-11-28"), false)));
        // Starting on a Saturday, counting begins on Monday.
        assert_eq!(cal.after_working_days(d("2026-11-21"), 5), Some((d("2026-11-28"), false)));
    }

    #[test]
    fn holidays_do_not_count_and_make_up_workdays_do() {
        let cal = national_day_2026();
        // From Wednesday 30 September: 30 Sep, then 8 Oct (Thu), 9 Oct (Fri), 10 Oct (a Saturday made
        // a workday), 12 Oct (Mon).
        assert_eq!(cal.after_working_days(d("2026-09-30"), 5), Some((d("2026-10-13"), false)));
    }

    #[test]
    fn a_year_without_its_calendar_gives_a_provisional_day() {
        let cal = national_day_2026();
        assert_eq!(cal.after_working_days(d("2026-12-28"), 5), Some((d("2027-01-02"), true)));
        assert_eq!(cal.after_working_days(d("2027-03-01"), 5).map(|r| r.1), Some(true));
    }

    #[test]
    fn a_calendar_file_names_every_bad_line() {
        let text = "日期,类型,名称\n2026-10-01,假日,国庆节\n2026-10-10,班,国庆节调休\n\n# comment\n2026-10-32,假日\n2026-10-02,放羊\n2026-10-09,工作日\n2026-10-01,假日\n";
        let problems = parse_calendar(text).unwrap_err();
        let zh: Vec<&str> = problems.iter().map(|p| p.zh.as_str()).collect();
        assert_eq!(zh.len(), 4, "{zh:?}");
        assert!(zh[0].starts_with("第 6 行") && zh[0].contains("2026-10-32"), "{zh:?}");
        assert!(zh[1].starts_with("第 7 行") && zh[1].contains("放羊"), "{zh:?}");
        assert!(zh[2].starts_with("第 8 行") && zh[2].contains("只有周末"), "{zh:?}");
        assert!(zh[3].starts_with("第 9 行") && zh[3].contains("两次"), "{zh:?}");
        let good = parse_calendar("2026-10-01,holiday,National Day\n2026/10/10,workday\n").unwrap();
        assert_eq!(good.len(), 2);
        assert_eq!(good[1], CalendarDay { date: d("2026-10-10"), kind: DayKind::Workday, name: None });
    }
}
