//! The counting rules as data (`rules/statistics.toml`): the annual cut-off, the age bands, and
//! the note each table prints about how it counts, citing the report forms' instructions.

use serde::Deserialize;

use crate::Text;
use crate::calendar::Date;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    source_zh: String,
    source_en: String,
    cut_off_month: u32,
    cut_off_day: u32,
    age_bands: Vec<i32>,
    young_age: i32,
    notes: std::collections::BTreeMap<String, String>,
}

/// The rules statistics count by.
#[derive(Debug, Clone)]
pub struct CountingRules {
    pub source: Text,
    cut_off: (u32, u32),
    /// Upper bounds, ascending: `[30, 35, …, 60]` makes ≤ 30, 31–35, …, 56–60, ≥ 61.
    pub age_bands: Vec<i32>,
    pub young_age: i32,
    notes: std::collections::BTreeMap<String, String>,
}

/// The notes every table may cite; the file must give each in both languages.
const NOTES: [&str; 11] = [
    "in_register",
    "members",
    "developed",
    "converted",
    "left",
    "transfers",
    "died",
    "age",
    "students",
    "appraisal",
    "training",
];

impl CountingRules {
    /// The rules shipped with Dangan, parsed once per process (every count asks for them).
    pub fn shipped() -> &'static CountingRules {
        static SHIPPED: std::sync::OnceLock<CountingRules> = std::sync::OnceLock::new();
        // Checked by a test; a shipped file that does not parse is a build defect.
        SHIPPED.get_or_init(|| {
            CountingRules::parse(include_str!("../../rules/statistics.toml")).unwrap_or_else(|why| panic!("{why}"))
        })
    }

    pub fn parse(source: &str) -> std::result::Result<CountingRules, String> {
        let file: File = toml::from_str(source).map_err(|e| e.to_string())?;
        // A common year: a cut-off of 29 February would not exist three years in four.
        if chrono::NaiveDate::from_ymd_opt(2023, file.cut_off_month, file.cut_off_day).is_none() {
            return Err(format!("cut_off {}-{} is not a day of the year", file.cut_off_month, file.cut_off_day));
        }
        if file.age_bands.is_empty() || file.age_bands.windows(2).any(|w| w[0] >= w[1]) {
            return Err("age_bands must be ascending upper bounds".into());
        }
        for note in NOTES {
            for lang in ["zh", "en"] {
                if !file.notes.contains_key(&format!("{note}_{lang}")) {
                    return Err(format!("notes.{note}_{lang} is missing"));
                }
            }
        }
        Ok(CountingRules {
            source: Text::new(file.source_zh, file.source_en),
            cut_off: (file.cut_off_month, file.cut_off_day),
            age_bands: file.age_bands,
            young_age: file.young_age,
            notes: file.notes,
        })
    }

    /// The annual report's cut-off in `year` (31 December unless the file says otherwise).
    pub fn cut_off(&self, year: i32) -> Option<Date> {
        chrono::NaiveDate::from_ymd_opt(year, self.cut_off.0, self.cut_off.1)
    }

    /// The note `key` (one of [`NOTES`]), with the source it follows.
    pub fn note(&self, key: &str) -> Text {
        self.notes(&[key])
    }

    /// Several notes in one, the source named once at the end.
    pub fn notes(&self, keys: &[&str]) -> Text {
        let get = |lang: &str| {
            let texts: Vec<&str> =
                keys.iter().filter_map(|key| self.notes.get(&format!("{key}_{lang}")).map(String::as_str)).collect();
            texts.join(if lang == "zh" { "" } else { " " })
        };
        Text::new(
            format!("{}（依据：{}）", get("zh"), self.source.zh),
            format!("{} (after the {})", get("en"), self.source.en),
        )
    }

    /// The age bands as (key, label, lowest age, highest age) with `None` for open ends.
    pub fn age_band_rows(&self) -> Vec<(String, Text, Option<i32>, Option<i32>)> {
        let mut out = Vec::with_capacity(self.age_bands.len() + 1);
        let mut low: Option<i32> = None;
        for &high in &self.age_bands {
            let (key, label) = match low {
                None => (format!("to_{high}"), Text::new(format!("{high}岁及以下"), format!("{high} and under"))),
                Some(l) => (format!("{l}_{high}"), Text::new(format!("{l}至{high}岁"), format!("{l}–{high}"))),
            };
            out.push((key, label, low, Some(high)));
            low = Some(high + 1);
        }
        if let Some(l) = low {
            out.push((format!("from_{l}"), Text::new(format!("{l}岁及以上"), format!("{l} and over")), Some(l), None));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_rules_parse_and_give_the_report_forms_age_bands() {
        let rules = CountingRules::shipped();
        let labels: Vec<String> = rules.age_band_rows().into_iter().map(|(_, l, _, _)| l.zh).collect();
        assert_eq!(labels.first().map(String::as_str), Some("30岁及以下"));
        assert_eq!(labels.get(1).map(String::as_str), Some("31至35岁"));
        assert_eq!(labels.last().map(String::as_str), Some("61岁及以上"));
        assert_eq!(labels.len(), 8);
        assert_eq!(rules.cut_off(2026), "2026-12-31".parse().ok());
        assert!(rules.note("developed").zh.contains("审批"));
    }

    #[test]
    fn a_rule_file_with_a_gap_is_refused_naming_it() {
        let broken = include_str!("../../rules/statistics.toml").replace("left_en", "leaving_en");
        let why = CountingRules::parse(&broken).unwrap_err();
        assert!(why.contains("left_en"), "{why}");
        let unordered = include_str!("../../rules/statistics.toml").replace("[30, 35,", "[35, 30,");
        assert!(CountingRules::parse(&unordered).unwrap_err().contains("ascending"));
    }
}
