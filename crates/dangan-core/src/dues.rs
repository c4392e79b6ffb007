//! Party dues (党费) as rules: the calendar month a payment covers, each category's monthly amount
//! from `rules/dues.toml` (中组发〔2008〕3号), the rounding an office may change, and when arrears are
//! flagged (党章第九条). Money is an integer number of fen throughout; yuan are only read and written
//! at the edges (`parse_yuan`, `format_yuan`).

use serde::{Deserialize, Serialize};

use crate::calendar::{self, Date};
use crate::deadlines::Status;
pub use crate::domain::DuesCategory;
use crate::{Error, Result, Text};

/// A calendar month, counted from year 0 (`2026-05` is 2026 × 12 + 4), so months subtract. Written
/// `2026-05` in JSON and TypeScript.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export, type = "string"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(pub i32);

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        (1..=12).contains(&month).then(|| Month(year * 12 + month as i32 - 1))
    }

    pub fn of(date: Date) -> Month {
        use chrono::Datelike;
        Month(date.year() * 12 + date.month0() as i32)
    }

    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// 1 to 12.
    pub fn month(self) -> u32 {
        self.0.rem_euclid(12) as u32 + 1
    }

    pub fn first_day(self) -> Date {
        Date::from_ymd_opt(self.year(), self.month(), 1).unwrap_or(Date::MIN)
    }

    pub fn next(self) -> Month {
        Month(self.0 + 1)
    }

    pub fn plus(self, months: i32) -> Month {
        Month(self.0 + months)
    }

    /// `2026-05`, `2026-5`, `2026年5月` or `202605`.
    pub fn parse(s: &str) -> Option<Month> {
        let s = s.trim().trim_end_matches('月');
        let (year, month) = if let Some((y, m)) = s.split_once(['-', '/', '.', '年']) {
            (y.parse().ok()?, m.parse().ok()?)
        } else if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
            (s[..4].parse().ok()?, s[4..].parse().ok()?)
        } else {
            return None;
        };
        if !(1900..=9999).contains(&year) {
            return None;
        }
        Month::new(year, month)
    }

    /// 2026年5月, as documents write it.
    pub fn zh(self) -> String {
        format!("{}年{}月", self.year(), self.month())
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Month, D::Error> {
        let s = String::deserialize(deserializer)?;
        Month::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("not a month: {s}")))
    }
}

/// How one category's monthly amount is found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rate {
    /// The whole base at the rate of the first band it falls in: `(up to fen inclusive, per mille)`,
    /// the last band without a limit.
    Bands(Vec<(Option<i64>, u32)>),
    /// The same amount whatever the base.
    Fixed(i64),
}

/// When a member's arrears are flagged and when they are overdue, in months of dues unpaid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrearsRule {
    pub flag_months: u32,
    pub overdue_months: u32,
    pub name: Text,
    pub clause: Text,
}

impl ArrearsRule {
    /// The rule's id in lists and the CLI's JSON.
    pub const ID: &'static str = "dues_arrears";

    /// Whether a member whose first unpaid month is `first_unpaid` is flagged as of a day: the
    /// item's due day (when the unpaid months reach `overdue_months`) and status.
    pub fn flagged(&self, first_unpaid: Month, as_of: Date) -> Option<(Date, Status)> {
        let start = first_unpaid.first_day();
        let flag = calendar::add_months(start, self.flag_months)?;
        let due = calendar::add_months(start, self.overdue_months)?;
        if as_of < flag {
            return None;
        }
        Some((due, if due <= as_of { Status::Overdue } else { Status::DueSoon }))
    }
}

/// The dues rules in force: the shipped file, with an office's `[dues]` section on top.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuesRules {
    pub clause: Text,
    /// Each month's amount is rounded half up to a multiple of this many fen.
    pub round_to_fen: u32,
    rates: Vec<(DuesCategory, Rate)>,
    pub arrears: ArrearsRule,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DuesFile {
    clause_zh: String,
    clause_en: String,
    round_to_fen: u32,
    category: Vec<CategoryEntry>,
    arrears: ArrearsEntry,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryEntry {
    id: String,
    bands: Option<Vec<BandEntry>>,
    fixed_fen: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BandEntry {
    up_to_yuan: Option<i64>,
    per_mille: u32,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArrearsEntry {
    flag_months: Option<u32>,
    overdue_months: Option<u32>,
    name_zh: Option<String>,
    name_en: Option<String>,
    clause_zh: Option<String>,
    clause_en: Option<String>,
}

/// An office's `[dues]` section: the rounding, its own categories' rates, or when arrears flag.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OfficeDues {
    round_to_fen: Option<u32>,
    #[serde(default)]
    category: Vec<CategoryEntry>,
    arrears: Option<ArrearsEntry>,
}

fn dues_error(zh: impl std::fmt::Display, en: impl std::fmt::Display) -> Error {
    Error::RuleFile { reason: Text::new(format!("党费规则{zh}"), format!("dues rules: {en}")) }
}

pub fn shipped_dues() -> &'static DuesRules {
    static SHIPPED: std::sync::OnceLock<DuesRules> = std::sync::OnceLock::new();
    // Checked by a test; a shipped file that does not parse is a build defect.
    SHIPPED.get_or_init(|| parse_dues(include_str!("../rules/dues.toml")).unwrap_or_else(|why| panic!("{why:?}")))
}

/// Parses a whole dues file: every category once, each with bands or a fixed amount.
pub fn parse_dues(source: &str) -> Result<DuesRules> {
    let file: DuesFile =
        toml::from_str(source).map_err(|e| dues_error(format!("格式错误：{e}"), format!("malformed: {e}")))?;
    let mut rules = DuesRules {
        clause: Text::new(file.clause_zh, file.clause_en),
        round_to_fen: 1,
        rates: Vec::new(),
        arrears: ArrearsRule { flag_months: 0, overdue_months: 0, name: Text::new("", ""), clause: Text::new("", "") },
    };
    rules.apply(OfficeDues {
        round_to_fen: Some(file.round_to_fen),
        category: file.category,
        arrears: Some(file.arrears),
    })?;
    if let Some(missing) = DuesCategory::ALL.iter().find(|c| rules.rate(**c).is_none()) {
        return Err(dues_error(
            format!("缺少类别「{}」", missing.as_str()),
            format!("category `{}` is missing", missing.as_str()),
        ));
    }
    Ok(rules)
}

impl DuesRules {
    /// An office's `[dues]` section on top of these rules; a bad one is refused whole.
    pub(crate) fn apply(&mut self, office: OfficeDues) -> Result<()> {
        if let Some(round) = office.round_to_fen {
            if !matches!(round, 1 | 10 | 100) {
                return Err(dues_error(
                    format!("的 round_to_fen 只能是 1（分）、10（角）或 100（元），不是 {round}"),
                    format!("round_to_fen must be 1 (fen), 10 (0.1 yuan) or 100 (yuan), not {round}"),
                ));
            }
            self.round_to_fen = round;
        }
        for entry in office.category {
            let category = DuesCategory::parse(&entry.id).ok_or_else(|| {
                dues_error(format!("中的类别「{}」未知", entry.id), format!("unknown category `{}`", entry.id))
            })?;
            let rate = build_rate(&entry)?;
            match self.rates.iter_mut().find(|(c, _)| *c == category) {
                Some(slot) => slot.1 = rate,
                None => self.rates.push((category, rate)),
            }
        }
        if let Some(a) = office.arrears {
            let arrears = &mut self.arrears;
            arrears.flag_months = a.flag_months.unwrap_or(arrears.flag_months);
            arrears.overdue_months = a.overdue_months.unwrap_or(arrears.overdue_months);
            arrears.name = Text::new(
                a.name_zh.unwrap_or_else(|| arrears.name.zh.clone()),
                a.name_en.unwrap_or_else(|| arrears.name.en.clone()),
            );
            arrears.clause = Text::new(
                a.clause_zh.unwrap_or_else(|| arrears.clause.zh.clone()),
                a.clause_en.unwrap_or_else(|| arrears.clause.en.clone()),
            );
            if arrears.flag_months == 0 || arrears.overdue_months < arrears.flag_months || arrears.name.zh.is_empty() {
                return Err(dues_error(
                    "的 [arrears] 须有名称，且 0 < flag_months ≤ overdue_months",
                    "[arrears] needs a name and 0 < flag_months ≤ overdue_months",
                ));
            }
        }
        Ok(())
    }

    pub fn rate(&self, category: DuesCategory) -> Option<&Rate> {
        self.rates.iter().find(|(c, _)| *c == category).map(|(_, r)| r)
    }

    /// The monthly dues of a member of `category` whose base (monthly pay or pension after tax) is
    /// `base_fen`, rounded half up to `round_to_fen`. A negative base is refused.
    pub fn monthly_fen(&self, category: DuesCategory, base_fen: i64) -> Result<i64> {
        if base_fen < 0 {
            return Err(Error::invalid("base", "月收入基数不能为负数", "the monthly base cannot be negative"));
        }
        let unit = i64::from(self.round_to_fen.max(1));
        match self.rate(category) {
            None => Err(Error::invalid(
                "category",
                format!("没有「{}」的党费标准", category.zh()),
                format!("no dues rate for “{}”", category.label().en),
            )),
            Some(Rate::Fixed(fen)) => Ok(*fen),
            Some(Rate::Bands(bands)) => {
                let per_mille = bands
                    .iter()
                    .find(|(limit, _)| limit.is_none_or(|l| base_fen <= l))
                    .map_or(0, |(_, rate)| i64::from(*rate));
                // base × rate / 1000, half up to a multiple of `unit`, in integers (i128: no overflow
                // for any base an i64 holds).
                let numerator = i128::from(base_fen) * i128::from(per_mille);
                let denominator = 1000 * i128::from(unit);
                let units = (2 * numerator + denominator) / (2 * denominator);
                Ok(i64::try_from(units * i128::from(unit)).unwrap_or(i64::MAX))
            }
        }
    }
}

fn build_rate(entry: &CategoryEntry) -> Result<Rate> {
    match (&entry.bands, entry.fixed_fen) {
        (Some(bands), None) if !bands.is_empty() => {
            let mut out = Vec::new();
            let mut previous = -1;
            for (i, band) in bands.iter().enumerate() {
                let last = i + 1 == bands.len();
                match (band.up_to_yuan, last) {
                    (None, true) => out.push((None, band.per_mille)),
                    (Some(yuan), false) if yuan * 100 > previous => {
                        previous = yuan * 100;
                        out.push((Some(yuan * 100), band.per_mille));
                    }
                    _ => {
                        return Err(dues_error(
                            format!("中类别「{}」的档次须按上限递增，最后一档不写上限", entry.id),
                            format!("category `{}`: bands must rise, and only the last has no limit", entry.id),
                        ));
                    }
                }
            }
            Ok(Rate::Bands(out))
        }
        (None, Some(fen)) if fen >= 0 => Ok(Rate::Fixed(fen)),
        _ => Err(dues_error(
            format!("中类别「{}」须写 bands 或 fixed_fen 之一", entry.id),
            format!("category `{}` needs either bands or fixed_fen", entry.id),
        )),
    }
}

/// Yuan as people write them (`4200`, `4200.5`, `4,200.50`, `4200元`) in fen, exactly: no floats.
pub fn parse_yuan(field: &str, s: &str) -> Result<i64> {
    let cleaned: String = s.trim().trim_end_matches('元').chars().filter(|c| *c != ',' && *c != '，').collect();
    let refuse = || {
        let shown = crate::text::excerpt(s, 30);
        Error::invalid(
            field,
            format!("「{shown}」不是金额，应写作 4200 或 4200.50（元）"),
            format!("“{shown}” is not an amount of yuan; write 4200 or 4200.50"),
        )
    };
    if cleaned.starts_with('-') {
        return Err(Error::invalid(field, "金额不能为负数", "the amount cannot be negative"));
    }
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || whole.len() > 12 {
        return Err(refuse());
    }
    if fraction.len() > 2 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refuse());
    }
    let whole: i64 = whole.parse().map_err(|_| refuse())?;
    let fen: i64 = format!("{fraction:0<2}").parse().map_err(|_| refuse())?;
    Ok(whole * 100 + fen)
}

/// Fen as yuan with two decimals: `21.00`.
pub fn format_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", fen.abs() / 100, fen.abs() % 100)
}

/// One row of a sheet of dues payments, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRow {
    /// The spreadsheet's row number.
    pub row: u64,
    /// A student or staff number, or a name.
    pub who: String,
    pub from_month: Month,
    pub months: u32,
    pub paid_on: Option<Date>,
    pub paid_by: Option<String>,
    /// A deferral's reason, instead of a payment.
    pub deferred: Option<String>,
}

/// Reads a sheet of payments (.xlsx or .csv): 姓名 or 学号工号, 起始月份 (2026-01), and optionally
/// 月数 (1 when empty), 交纳日期, 代交人, 缓交原因 (a deferral instead of a payment). The good rows,
/// and the bad ones named; the store adds the rows naming nobody and the payments its ledger
/// refuses, and any bad row refuses the whole sheet.
pub fn read_payment_sheet(path: &std::path::Path) -> Result<(Vec<PaymentRow>, crate::roster::sheet::RowProblems)> {
    use crate::roster::sheet::{Cell, RowProblems, cell_date, for_each_row};
    let text = Cell::as_text;
    let (mut who, mut from, mut months, mut paid_on, mut paid_by, mut why) = (None, None, None, None, None, None);
    let mut rows = Vec::new();
    let mut problems = RowProblems::default();
    for_each_row(path, |row, cells| {
        if row == 1 {
            for (i, cell) in cells.iter().enumerate() {
                match text(cell).as_str() {
                    "学号工号" | "学号" | "工号" => who = Some(i),
                    "姓名" => who = who.or(Some(i)),
                    "起始月份" | "月份" | "所交月份" => from = Some(i),
                    "月数" => months = Some(i),
                    "交纳日期" | "缴纳日期" | "日期" => paid_on = Some(i),
                    "代交人" | "经手人" => paid_by = Some(i),
                    "缓交原因" | "缓交" => why = Some(i),
                    _ => {}
                }
            }
            return Ok(());
        }
        let (Some(who_col), Some(from_col)) = (who, from) else { return Ok(()) };
        let cell = |i: Option<usize>| i.and_then(|i| cells.get(i));
        let get = |i: Option<usize>| cell(i).map(text).unwrap_or_default();
        let name = get(Some(who_col));
        if name.is_empty() && get(Some(from_col)).is_empty() {
            return Ok(());
        }
        if name.is_empty() {
            problems.add(row, "没有姓名或学号工号", "no name or student number");
            return Ok(());
        }
        let from_month = match cell(Some(from_col)) {
            Some(Cell::Date(d)) => Some(Month::of(*d)),
            other => Month::parse(&other.map(text).unwrap_or_default()),
        };
        let Some(from_month) = from_month else {
            let given = get(Some(from_col));
            let shown = crate::text::excerpt(&given, 20);
            problems.add(
                row,
                format!("起始月份「{shown}」应写作 2026-01"),
                format!("the first month “{shown}” should read 2026-01"),
            );
            return Ok(());
        };
        let count = get(months);
        let Ok(count) = (if count.is_empty() { Ok(1) } else { count.parse::<u32>() }) else {
            let shown = crate::text::excerpt(&count, 20);
            problems.add(
                row,
                format!("月数「{shown}」应为正整数"),
                format!("the number of months “{shown}” should be a whole number"),
            );
            return Ok(());
        };
        let paid = match cell(paid_on).map(cell_date) {
            None | Some(Ok(None)) => None,
            Some(Ok(Some(d))) => Some(d),
            Some(Err(())) => {
                let given = get(paid_on);
                let shown = crate::text::excerpt(&given, 20);
                problems.add(
                    row,
                    format!("交纳日期「{shown}」无法识别"),
                    format!("the day paid “{shown}” is not a date"),
                );
                return Ok(());
            }
        };
        let optional = |i: Option<usize>| Some(get(i)).filter(|v| !v.is_empty());
        rows.push(PaymentRow {
            row,
            who: name,
            from_month,
            months: count,
            paid_on: paid,
            paid_by: optional(paid_by),
            deferred: optional(why),
        });
        Ok(())
    })?;
    if who.is_none() || from.is_none() {
        return Err(Error::invalid(
            "sheet",
            "党费表需要「姓名」（或「学号工号」）和「起始月份」两列",
            "a sheet of dues needs the columns 姓名 (or 学号工号) and 起始月份",
        ));
    }
    Ok((rows, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fen(category: DuesCategory, yuan: &str) -> i64 {
        shipped_dues().monthly_fen(category, parse_yuan("base", yuan).unwrap()).unwrap()
    }

    #[test]
    fn each_band_edge_of_the_salaried_rate() {
        use DuesCategory::Salaried;
        // ≤ 3000 inclusive at 0.5 %, above at 1 % (the whole pay, not progressively).
        assert_eq!(fen(Salaried, "3000.00"), 1500);
        assert_eq!(fen(Salaried, "3000.01"), 3000);
        assert_eq!(fen(Salaried, "5000.00"), 5000);
        assert_eq!(fen(Salaried, "5000.01"), 7500);
        assert_eq!(fen(Salaried, "10000.00"), 15000);
        assert_eq!(fen(Salaried, "10000.01"), 20000);
        assert_eq!(fen(Salaried, "4200"), 4200);
        assert_eq!(fen(Salaried, "0"), 0);
        // Half up to the fen: 2999.99 × 0.5 % = 14.99995 → 15.00; 1234.50 × 0.5 % = 6.1725 → 6.17.
        assert_eq!(fen(Salaried, "2999.99"), 1500);
        assert_eq!(fen(Salaried, "1234.50"), 617);
        assert_eq!(fen(Salaried, "1235.00"), 618);
    }

    #[test]
    fn retirees_and_the_fixed_categories() {
        assert_eq!(fen(DuesCategory::Retired, "5000.00"), 2500);
        assert_eq!(fen(DuesCategory::Retired, "5000.01"), 5000);
        for c in [DuesCategory::Student, DuesCategory::Unemployed, DuesCategory::LowIncome] {
            assert_eq!(fen(c, "0"), 20);
            assert_eq!(fen(c, "8000"), 20, "0.2 yuan whatever the base");
        }
    }

    #[test]
    fn an_office_rounds_to_a_tenth_of_a_yuan() {
        let mut rules = shipped_dues().clone();
        rules.apply(toml::from_str("round_to_fen = 10").unwrap()).unwrap();
        // 4321 × 1 % = 43.21 → 43.20; 4325 × 1 % = 43.25 → 43.30 (half up).
        assert_eq!(rules.monthly_fen(DuesCategory::Salaried, 432_100).unwrap(), 4320);
        assert_eq!(rules.monthly_fen(DuesCategory::Salaried, 432_500).unwrap(), 4330);
        let refused = rules.apply(toml::from_str("round_to_fen = 3").unwrap()).unwrap_err();
        assert!(refused.to_string().contains("round_to_fen"), "{refused}");
    }

    #[test]
    fn amounts_are_read_exactly_and_bad_ones_refused() {
        assert_eq!(parse_yuan("base", "4,200.5元").unwrap(), 420_050);
        assert_eq!(parse_yuan("base", " 0.07 ").unwrap(), 7);
        for bad in ["", "abc", "1.234", "4200.5.1", "1e3", "１２"] {
            assert!(parse_yuan("base", bad).is_err(), "{bad}");
        }
        let negative = parse_yuan("base", "-1").unwrap_err();
        assert!(negative.to_string().contains("negative") || negative.to_string().contains("负"), "{negative}");
        assert_eq!(format_yuan(420_050), "4200.50");
        assert!(shipped_dues().monthly_fen(DuesCategory::Salaried, -1).is_err());
    }

    #[test]
    fn months_read_in_every_spelling_and_count() {
        let may = Month::new(2026, 5).unwrap();
        for s in ["2026-05", "2026-5", "2026年5月", "202605", "2026/05"] {
            assert_eq!(Month::parse(s), Some(may), "{s}");
        }
        for bad in ["2026-13", "2026", "26-05", "abc"] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        assert_eq!(may.to_string(), "2026-05");
        assert_eq!(may.zh(), "2026年5月");
        assert_eq!(Month::new(2026, 12).unwrap().next(), Month::new(2027, 1).unwrap());
        assert_eq!(Month::of("2026-11-24".parse().unwrap()), Month::new(2026, 11).unwrap());
    }

    #[test]
    fn arrears_flag_at_three_months_and_are_overdue_at_six() {
        let rule = &shipped_dues().arrears;
        let march = Month::new(2026, 3).unwrap();
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(rule.flagged(march, d("2026-05-31")), None, "March and April unpaid: two months");
        assert_eq!(rule.flagged(march, d("2026-06-01")), Some((d("2026-09-01"), Status::DueSoon)));
        assert_eq!(rule.flagged(march, d("2026-09-01")), Some((d("2026-09-01"), Status::Overdue)));
    }
}
