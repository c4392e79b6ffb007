//! Calendar dates and period arithmetic.
//!
//! Dangan's dates are calendar dates (`YYYY-MM-DD`), never timestamps. Periods follow the
//! corresponding-day rule: "N months after D" is the same day N months later, or the last day of
//! that month when it has no such day (2026-01-31 + 1 month = 2026-02-28; 2024-02-29 + 1 year =
//! 2025-02-28). The due day itself is still in time.

use chrono::{Datelike, Months, NaiveDate};

pub type Date = NaiveDate;

/// The same day `months` months after `date`, clamped to the month's last day.
///
/// Returns `None` only past the end of the representable calendar (year 262,143).
pub fn add_months(date: Date, months: u32) -> Option<Date> {
    // chrono's `checked_add_months` implements exactly the corresponding-day rule.
    date.checked_add_months(Months::new(months))
}

/// The same day `years` years after `date` (29 February becomes 28 February).
pub fn add_years(date: Date, years: u32) -> Option<Date> {
    add_months(date, years.checked_mul(12)?)
}

/// 1 July 1921: no one joined the Party before it.
pub const FOUNDING: Date = match NaiveDate::from_ymd_opt(1921, 7, 1) {
    Some(d) => d,
    None => panic!("1921-07-01 is a date"),
};

/// Today's date in the local time zone of the machine.
pub fn today() -> Date {
    chrono::Local::now().date_naive()
}

/// Formats a date the way Chinese documents write it: `2026年11月24日`.
pub fn format_zh(date: Date) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// Formats a date as ISO 8601 (`2026-11-24`), the form used in files and across the bridge.
pub fn format_iso(date: Date) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// Full years between `birth` and `on` (a person born on 29 February turns a year older on
/// 28 February in common years, by the corresponding-day rule).
pub fn age_on(birth: Date, on: Date) -> i32 {
    let mut years = on.year() - birth.year();
    let birthday_this_year = u32::try_from(years).ok().and_then(|y| add_years(birth, y)).unwrap_or(birth);
    if years > 0 && birthday_this_year > on {
        years -= 1;
    }
    years
}

/// Parses a date as people write it in rosters: `2026-11-24`, `2026/11/24`, `2026.11.24`,
/// `2026年11月24日` (single-digit months and days too), optionally followed by a time
/// (`2026-11-24 00:00:00`, as spreadsheets export it), which is ignored.
pub fn parse_flexible(input: &str) -> Option<Date> {
    let s = input.trim();
    // Most roster dates are ISO already; take the allocation-free path first.
    if let Some(date) = parse_iso(s) {
        return Some(date);
    }
    let s = s.split_once([' ', 'T']).map_or(s, |(date, _time)| date);
    let s = s.strip_suffix('日').unwrap_or(s);
    let parts: Vec<&str> = s.split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts.as_slice() else { return None };
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if y.len() != 4 || !all_digits(y) || m.len() > 2 || !all_digits(m) || d.len() > 2 || !all_digits(d) {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Parses exactly `YYYY-MM-DD`, the form the store writes, without the cost of a general parser
/// (a deadline scan reads hundreds of thousands of dates).
pub fn parse_iso(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// Converts an Excel serial day number (1900 date system) to a date.
pub fn from_excel_serial(serial: f64) -> Option<Date> {
    // Serial 60 is Excel's phantom 1900-02-29; real dates after it are offset by the bug, which
    // is why the epoch is 1899-12-30 rather than 1899-12-31. Anything before March 1900 is not a
    // plausible roster date.
    if !(61.0..2_958_466.0).contains(&serial) || serial.fract() != 0.0 {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    epoch.checked_add_days(chrono::Days::new(serial as u64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn months_follow_the_corresponding_day_rule() {
        let cases = [
            ("2026-01-31", 1, "2026-02-28"),
            ("2024-01-31", 1, "2024-02-29"),
            ("2025-11-30", 3, "2026-02-28"),
            ("2026-03-31", 1, "2026-04-30"),
            ("2026-01-15", 1, "2026-02-15"),
            ("2026-11-24", 12, "2027-11-24"),
        ];
        for (from, months, due) in cases {
            assert_eq!(add_months(d(from), months), Some(d(due)), "{from} + {months} months");
        }
    }

    #[test]
    fn a_year_after_a_leap_day_is_the_28th_of_february() {
        assert_eq!(add_years(d("2024-02-29"), 1), Some(d("2025-02-28")));
        assert_eq!(add_years(d("2024-02-29"), 4), Some(d("2028-02-29")));
    }

    #[test]
    fn age_counts_full_years() {
        assert_eq!(age_on(d("2008-11-24"), d("2026-11-24")), 18);
        assert_eq!(age_on(d("2008-11-25"), d("2026-11-24")), 17);
        assert_eq!(age_on(d("2008-02-29"), d("2026-02-28")), 18);
        assert_eq!(age_on(d("2008-02-29"), d("2026-02-27")), 17);
    }

    #[test]
    fn roster_date_spellings_are_understood() {
        for s in
            ["2026-11-24", "2026/11/24", "2026.11.24", "2026年11月24日", " 2026-11-24 00:00:00 ", "2026-11-24T00:00:00"]
        {
            assert_eq!(parse_flexible(s), Some(d("2026-11-24")), "{s:?}");
        }
        assert_eq!(parse_flexible("2026/1/5"), Some(d("2026-01-05")));
        assert_eq!(parse_flexible("2026年1月5日"), Some(d("2026-01-05")));
        for bad in ["", "2026-13-01", "2026-02-30", "26-11-24", "24/11/2026", "2026-11", "明天", "2026-11-24-1"] {
            assert_eq!(parse_flexible(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn iso_dates_parse_strictly() {
        assert_eq!(parse_iso("2026-11-24"), Some(d("2026-11-24")));
        assert_eq!(parse_iso("2024-02-29"), Some(d("2024-02-29")));
        for bad in ["2026-02-30", "2026-1-24", "2026/11/24", "２０２６-11-24", "", "2026-11-24 "] {
            assert_eq!(parse_iso(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn documents_write_dates_in_chinese() {
        assert_eq!(format_zh(d("2026-11-24")), "2026年11月24日");
        assert_eq!(format_zh(d("2025-01-05")), "2025年1月5日");
    }

    #[test]
    fn excel_serials_map_to_dates() {
        assert_eq!(from_excel_serial(46350.0), Some(d("2026-11-24")));
        assert_eq!(from_excel_serial(61.0), Some(d("1900-03-01")));
        assert_eq!(from_excel_serial(3.5), None);
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (1950i32..2100, 1u32..=12, 1u32..=31)
            .prop_filter_map("valid date", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
    }

    proptest! {
        #[test]
        fn adding_months_never_goes_back_and_lands_in_the_right_month(date in any_date(), months in 0u32..240) {
            let later = add_months(date, months).unwrap();
            prop_assert!(later >= date);
            let month_index = |x: Date| x.year() * 12 + x.month0() as i32;
            prop_assert_eq!(month_index(later) - month_index(date), months as i32);
            // Same day, or the month's last day when the month is shorter.
            if later.day() != date.day() {
                prop_assert!(later.day() < date.day());
                prop_assert_eq!(later.succ_opt().unwrap().day(), 1);
            }
        }

        #[test]
        fn adding_months_is_monotonic(a in any_date(), b in any_date(), months in 0u32..120) {
            if a <= b {
                prop_assert!(add_months(a, months).unwrap() <= add_months(b, months).unwrap());
            }
        }

        #[test]
        fn iso_formatting_round_trips_through_the_flexible_parser(date in any_date()) {
            prop_assert_eq!(parse_flexible(&format_iso(date)), Some(date));
            let zh = format_zh(date);
            prop_assert_eq!(parse_flexible(&zh), Some(date));
        }
    }
}
