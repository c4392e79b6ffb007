//! Study hours (issue 16): what each member must study a year (`rules/branch-life.toml`: 32 hours,
//! 56 for branch secretaries and committee members), and the report of who studied how much. The
//! hours come from the meetings a member attended that count as study; the store adds them up.

use serde::{Deserialize, Serialize};

use crate::Text;
use crate::domain::Id;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
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
    /// Hours studied, to a tenth.
    pub hours: f64,
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
