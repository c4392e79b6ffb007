//! Study hours (issue 16): what each member must study a year (`rules/branch-life.toml`: 32 hours,
//! 56 for branch secretaries and committee members), and the report of who studied how much. The
//! hours come from the meetings a member attended that count as study; the store adds them up.

use serde::{Deserialize, Serialize};

use crate::Text;
use crate::domain::Id;

/// The file's other sections (meetings, the committee's term, party life) are read by
/// `meeting_rules.rs`.
#[derive(Debug, Clone, Deserialize)]
struct File {
    study_hours: HoursFile,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct HoursFile {
    member: u32,
    member_clause_zh: String,
    member_clause_en: String,
    committee: u32,
    committee_clause_zh: String,
    committee_clause_en: String,
}

/// The hours a year asks of each member, with the clause that asks it.
#[derive(Debug, Clone)]
pub struct StudyRules {
    pub member_hours: u32,
    pub member_clause: Text,
    pub committee_hours: u32,
    pub committee_clause: Text,
}

impl StudyRules {
    /// The rules shipped with Dangan, parsed once per process (every count asks for them).
    pub fn shipped() -> &'static StudyRules {
        static SHIPPED: std::sync::OnceLock<StudyRules> = std::sync::OnceLock::new();
        // Checked by a test; a shipped file that does not parse is a build defect.
        SHIPPED.get_or_init(|| {
            StudyRules::parse(include_str!("../rules/branch-life.toml")).unwrap_or_else(|why| panic!("{why}"))
        })
    }

    pub fn parse(source: &str) -> std::result::Result<StudyRules, String> {
        let file: File = toml::from_str(source).map_err(|e| e.to_string())?;
        let h = file.study_hours;
        if h.member == 0 || h.committee < h.member || h.committee > 24 * 366 {
            return Err("study_hours: member must be positive and committee at least member".into());
        }
        Ok(StudyRules {
            member_hours: h.member,
            member_clause: Text::new(h.member_clause_zh, h.member_clause_en),
            committee_hours: h.committee,
            committee_clause: Text::new(h.committee_clause_zh, h.committee_clause_en),
        })
    }

    /// The hours asked of a member, and why.
    pub fn required(&self, committee: bool) -> (u32, &Text) {
        if committee {
            (self.committee_hours, &self.committee_clause)
        } else {
            (self.member_hours, &self.member_clause)
        }
    }
}

/// One member's study in a year (`dangan training hours --json`).
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudyHours {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub member_id: Id,
    pub name: String,
    pub branch: String,
    /// Hours studied, to a tenth: the three parts below added up.
    pub hours: f64,
    /// From meetings attended that count as study.
    pub meeting_hours: f64,
    /// From training classes attended.
    pub class_hours: f64,
    /// From their own study (online courses and the like).
    pub own_hours: f64,
    /// Hours asked: 32, or 56 for someone on a branch committee during the year.
    pub required: u32,
    pub committee: bool,
    /// The clause asking `required`.
    pub clause: String,
}

impl StudyHours {
    pub fn is_short(&self) -> bool {
        self.hours < f64::from(self.required)
    }
}

/// Minutes as hours to a tenth.
pub fn hours_of(minutes: u64) -> f64 {
    ((minutes as f64) / 6.0).round() / 10.0
}

/// One row of a sheet of own study, as read.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyRow {
    /// The sheet's row number, for messages.
    pub row: u64,
    /// A name or a student or staff number.
    pub who: String,
    pub date: crate::calendar::Date,
    pub minutes: u32,
    pub title: String,
    pub source: Option<String>,
}

/// Reads a sheet of own study (.xlsx or .csv: 姓名 or 学号工号, 日期, 学时, 学习内容, 学习途径): the
/// good rows, and the bad ones named (a missing name, a date or hours that do not read). The store
/// adds the rows naming nobody; any bad row refuses the sheet.
pub fn read_study_sheet(path: &std::path::Path) -> crate::Result<(Vec<StudyRow>, crate::roster::sheet::RowProblems)> {
    use crate::roster::sheet::{RowProblems, for_each_row};
    let text = crate::roster::sheet::Cell::as_text;
    let mut cols: [Option<usize>; 5] = [None; 5];
    let mut rows = Vec::new();
    let mut problems = RowProblems::default();
    for_each_row(path, |row, cells| {
        if row == 1 {
            for (i, cell) in cells.iter().enumerate() {
                let slot = match text(cell).as_str() {
                    "姓名" | "学号工号" | "学号" | "工号" | "name" => 0,
                    "日期" | "学习日期" | "date" => 1,
                    "学时" | "时长" | "hours" => 2,
                    "学习内容" | "内容" | "课程" | "title" => 3,
                    "学习途径" | "途径" | "平台" | "source" => 4,
                    _ => continue,
                };
                cols[slot] = cols[slot].or(Some(i));
            }
            return Ok(());
        }
        let get = |slot: usize| cols[slot].and_then(|i| cells.get(i)).map(text).unwrap_or_default();
        let (who, date, hours, title, source) = (get(0), get(1), get(2), get(3), get(4));
        if [&who, &date, &hours, &title].iter().all(|v| v.is_empty()) {
            return Ok(());
        }
        let mut bad = |zh: String, en: String| problems.add(row, zh, en);
        if who.is_empty() {
            bad("没有姓名".into(), "no name".into());
            return Ok(());
        }
        let Some(date) = crate::calendar::parse_flexible(&date) else {
            let shown = crate::text::excerpt(&date, 20);
            bad(format!("日期「{shown}」无法识别"), format!("the date “{shown}” does not read"));
            return Ok(());
        };
        let minutes = hours.parse::<f64>().ok().filter(|h| h.is_finite() && *h > 0.0 && *h <= 24.0);
        let Some(minutes) = minutes.map(|h| (h * 60.0).round() as u32) else {
            let shown = crate::text::excerpt(&hours, 20);
            bad(
                format!("学时「{shown}」应为 0 至 24 之间的数"),
                format!("the hours “{shown}” must be a number from 0 to 24"),
            );
            return Ok(());
        };
        if title.is_empty() {
            bad("没有学习内容".into(), "no title".into());
            return Ok(());
        }
        rows.push(StudyRow { row, who, date, minutes, title, source: (!source.is_empty()).then_some(source) });
        Ok(())
    })?;
    if cols[0].is_none() || cols[1].is_none() || cols[2].is_none() || cols[3].is_none() {
        return Err(crate::Error::invalid(
            "sheet",
            "个人学习表需要「姓名」（或「学号工号」）、「日期」、「学时」和「学习内容」四列",
            "a sheet of own study needs the columns 姓名 (or 学号工号), 日期, 学时 and 学习内容",
        ));
    }
    Ok((rows, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_rules_ask_32_hours_and_56_of_committee_members_citing_their_source() {
        let rules = StudyRules::shipped();
        assert_eq!(rules.required(false).0, 32);
        assert_eq!(rules.required(true).0, 56);
        assert!(rules.required(false).1.zh.contains("第二十条"));
        assert!(StudyRules::parse("[study_hours]\nmember = 0").is_err());
        assert_eq!(hours_of(90), 1.5);
        assert_eq!(hours_of(100), 1.7);
    }
}
