//! Rule sets: which version of 《中国共产党发展党员工作细则》 a workspace follows, and the article
//! each check cites. The citations are data (`rules/*.toml`), so a correction is a one-line change.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::EventKind;
use crate::{Error, Text};

/// Every check the validator performs; a rule file must cite an article (or none) for each.
pub const CHECKS: [&str; 14] = [
    "minimum_age",
    "application_talk",
    "activist_after_application",
    "contacts_after_activist",
    "candidate_eligible",
    "political_review",
    "centralised_training",
    "prereview",
    "branch_meeting_after_prereview",
    "admission_approval",
    "oath",
    "conversion_earliest",
    "probation_extension",
    "conversion_approval",
];

/// The rule sets shipped with Dangan. A workspace records which one it follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum RuleSetId {
    #[serde(rename = "cpc-2014")]
    Cpc2014,
    #[default]
    #[serde(rename = "cpc-2026")]
    Cpc2026,
}

impl RuleSetId {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleSetId::Cpc2014 => "cpc-2014",
            RuleSetId::Cpc2026 => "cpc-2026",
        }
    }

    pub fn parse(s: &str) -> Option<RuleSetId> {
        match s.trim() {
            "cpc-2014" | "2014" => Some(RuleSetId::Cpc2014),
            "cpc-2026" | "2026" => Some(RuleSetId::Cpc2026),
            _ => None,
        }
    }

    fn source(self) -> &'static str {
        match self {
            RuleSetId::Cpc2014 => include_str!("../rules/cpc-2014.toml"),
            RuleSetId::Cpc2026 => include_str!("../rules/cpc-2026.toml"),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: String,
    title_zh: String,
    title_en: String,
    document_zh: String,
    document_en: String,
    checks: BTreeMap<String, CheckEntry>,
    #[serde(default)]
    deadline: Vec<DeadlineEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeadlineEntry {
    id: String,
    name_zh: String,
    name_en: String,
    kind: DeadlineKind,
    from: EventKind,
    months: u32,
    #[serde(default)]
    plus_extension: bool,
    done_by: EventKind,
    article: Option<u32>,
    lead_days: Option<Vec<u32>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckEntry {
    article: Option<u32>,
}

/// A loaded rule set.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub id: String,
    pub title: Text,
    document: Text,
    articles: BTreeMap<String, Option<u32>>,
    deadlines: Vec<DeadlineRule>,
}

impl RuleSet {
    /// One of the rule sets shipped with Dangan.
    pub fn builtin(id: RuleSetId) -> RuleSet {
        // The shipped files are checked by a test; failing here would be a build defect.
        RuleSet::parse(id.source()).expect("shipped rule files are valid")
    }

    /// Parses a rule file, naming the entry at fault when it is wrong.
    pub fn parse(source: &str) -> Result<RuleSet, Error> {
        let file: RuleFile = toml::from_str(source).map_err(|e| Error::RuleFile {
            reason: Text::new(format!("规则文件格式错误：{e}"), format!("malformed rule file: {e}")),
        })?;
        if let Some(unknown) = file.checks.keys().find(|k| !CHECKS.contains(&k.as_str())) {
            return Err(Error::RuleFile {
                reason: Text::new(
                    format!("规则文件中的条目「{unknown}」不是已知的检查项"),
                    format!("rule file entry `{unknown}` is not a known check"),
                ),
            });
        }
        if let Some(missing) = CHECKS.iter().find(|k| !file.checks.contains_key(**k)) {
            return Err(Error::RuleFile {
                reason: Text::new(
                    format!("规则文件缺少条目「{missing}」"),
                    format!("rule file lacks the entry `{missing}`"),
                ),
            });
        }
        let document = Text::new(file.document_zh, file.document_en);
        let mut deadlines: Vec<DeadlineRule> = Vec::with_capacity(file.deadline.len());
        for entry in file.deadline {
            if deadlines.iter().any(|d| d.id == entry.id) {
                return Err(Error::RuleFile {
                    reason: Text::new(
                        format!("规则文件中的期限「{}」出现了两次", entry.id),
                        format!("rule file lists the deadline `{}` twice", entry.id),
                    ),
                });
            }
            if entry.months == 0 || entry.months > 120 || entry.from == entry.done_by {
                return Err(Error::RuleFile {
                    reason: Text::new(
                        format!(
                            "规则文件中的期限「{}」不合理：月数应为 1 至 120，起算事件与完成事件不能相同",
                            entry.id
                        ),
                        format!(
                            "rule file deadline `{}` is unreasonable: months must be 1 to 120, and `from` differ from `done_by`",
                            entry.id
                        ),
                    ),
                });
            }
            deadlines.push(DeadlineRule {
                clause: cite_article(&document, entry.article),
                id: entry.id,
                name: Text::new(entry.name_zh, entry.name_en),
                kind: entry.kind,
                from: entry.from,
                months: entry.months,
                plus_extension: entry.plus_extension,
                done_by: entry.done_by,
                lead_days: entry.lead_days.unwrap_or_else(|| vec![30, 7, 1]),
            });
        }
        Ok(RuleSet {
            id: file.id,
            title: Text::new(file.title_zh, file.title_en),
            articles: file.checks.into_iter().map(|(k, v)| (k, v.article)).collect(),
            document,
            deadlines,
        })
    }

    /// The deadline rules of this rule set, in the order the file lists them.
    pub fn deadlines(&self) -> &[DeadlineRule] {
        &self.deadlines
    }

    /// The citation of a check, e.g. `《中国共产党发展党员工作细则》第七条` / `Rules on Recruiting
    /// Party Members, Art. 7`.
    pub fn cite(&self, check: &str) -> Text {
        cite_article(&self.document, self.articles.get(check).copied().flatten())
    }
}

fn cite_article(document: &Text, article: Option<u32>) -> Text {
    match article {
        Some(n) => {
            Text::new(format!("{}第{}条", document.zh, chinese_numeral(n)), format!("{}, Art. {n}", document.en))
        }
        None => document.clone(),
    }
}

/// Whether a rule sets a deadline or an earliest date.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// The step must happen by the due day (the due day itself is in time).
    Deadline,
    /// The step may not happen before the day.
    Earliest,
}

/// One deadline rule: `months` after the `from` event, satisfied by the `done_by` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineRule {
    pub id: String,
    pub name: Text,
    pub kind: DeadlineKind,
    pub from: EventKind,
    pub months: u32,
    /// Adds a recorded probation extension to `months` (the conversion deadline).
    pub plus_extension: bool,
    pub done_by: EventKind,
    /// Days before the due day from which a deadline counts as due soon; the largest decides.
    pub lead_days: Vec<u32>,
    pub clause: Text,
}

/// Writes 1 to 999 the way article numbers are written: 七, 十三, 二十五, 一百零二.
fn chinese_numeral(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (hundreds, tens, ones) = (n / 100, (n / 10) % 10, n % 10);
    let mut s = String::new();
    if hundreds > 0 {
        s.push_str(DIGITS[hundreds as usize]);
        s.push('百');
        if tens == 0 && ones > 0 {
            s.push('零');
        }
    }
    if tens > 0 {
        if !(tens == 1 && hundreds == 0) {
            s.push_str(DIGITS[tens as usize]);
        }
        s.push('十');
    }
    if ones > 0 || n == 0 {
        s.push_str(DIGITS[ones as usize]);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_rule_files_cite_every_check() {
        for id in [RuleSetId::Cpc2014, RuleSetId::Cpc2026] {
            let rules = RuleSet::parse(id.source()).unwrap();
            assert_eq!(rules.id, id.as_str());
            for check in CHECKS {
                assert!(rules.cite(check).zh.starts_with("《中国共产党发展党员工作细则》"), "{check}");
            }
        }
    }

    #[test]
    fn citations_name_the_article_in_chinese_and_english() {
        let rules = RuleSet::builtin(RuleSetId::Cpc2026);
        assert_eq!(rules.cite("application_talk").zh, "《中国共产党发展党员工作细则》第七条");
        assert_eq!(rules.cite("application_talk").en, "Rules on Recruiting Party Members, Art. 7");
        assert_eq!(rules.cite("conversion_earliest").zh, "《中国共产党发展党员工作细则》第三十一条");
        let old = RuleSet::builtin(RuleSetId::Cpc2014);
        assert_eq!(old.cite("conversion_earliest").zh, "《中国共产党发展党员工作细则》第三十二条");
    }

    #[test]
    fn both_rule_sets_carry_their_deadlines_with_citations() {
        let ids = |id| RuleSet::builtin(id).deadlines().iter().map(|d| d.id.clone()).collect::<Vec<_>>();
        let new = ids(RuleSetId::Cpc2026);
        let old = ids(RuleSetId::Cpc2014);
        for common in
            ["application_talk", "candidate_eligible", "admission_approval", "conversion_due", "conversion_approval"]
        {
            assert!(new.iter().any(|i| i == common) && old.iter().any(|i| i == common), "{common}");
        }
        for only_2026 in ["branch_meeting_after_prereview", "oath"] {
            assert!(new.iter().any(|i| i == only_2026) && !old.iter().any(|i| i == only_2026), "{only_2026}");
        }
        let rules = RuleSet::builtin(RuleSetId::Cpc2026);
        let conversion = rules.deadlines().iter().find(|d| d.id == "conversion_due").unwrap();
        assert_eq!(conversion.clause.zh, "《中国共产党发展党员工作细则》第三十一条");
        assert!(conversion.plus_extension);
    }

    #[test]
    fn a_bad_deadline_entry_is_named() {
        let bad =
            RuleSetId::Cpc2026.source().replace("from = \"admitted\"\nmonths = 3", "from = \"admited\"\nmonths = 3");
        let err = RuleSet::parse(&bad).unwrap_err().to_string();
        assert!(err.contains("admited"), "{err}");
        let twice = format!(
            "{}\n[[deadline]]\nid = \"oath\"\nname_zh = \"x\"\nname_en = \"x\"\nkind = \"deadline\"\nfrom = \"admitted\"\nmonths = 1\ndone_by = \"oath\"\n",
            RuleSetId::Cpc2026.source()
        );
        let err = RuleSet::parse(&twice).unwrap_err().to_string();
        assert!(err.contains("`oath` twice"), "{err}");
    }

    #[test]
    fn article_numbers_are_written_as_chinese_numerals() {
        let cases = [
            (1, "一"),
            (7, "七"),
            (10, "十"),
            (13, "十三"),
            (20, "二十"),
            (25, "二十五"),
            (102, "一百零二"),
            (110, "一百一十"),
        ];
        for (n, zh) in cases {
            assert_eq!(chinese_numeral(n), zh, "{n}");
        }
    }

    #[test]
    fn a_bad_rule_file_names_the_entry_at_fault() {
        let unknown = RuleSetId::Cpc2026.source().replace("oath = ", "oaths = ");
        let err = RuleSet::parse(&unknown).unwrap_err().to_string();
        assert!(err.contains("oaths"), "{err}");
        let missing = RuleSetId::Cpc2026.source().replace("oath = { article = 29 }", "");
        let err = RuleSet::parse(&missing).unwrap_err().to_string();
        assert!(err.contains("`oath`"), "{err}");
        let malformed = RuleSetId::Cpc2026.source().replace("oath = { article = 29 }", "oath = { article = \"x\" }");
        assert!(RuleSet::parse(&malformed).is_err());
    }
}
