//! The workspace's rule set: the shipped rules, with an office's own file on top when loaded.

use rusqlite::params;

use super::Store;
use crate::access::Action;
use crate::rules::RuleSet;
use crate::{Result, Text};

/// The meta key holding an office's own rule file, as loaded.
const RULES_OVERRIDE_KEY: &str = "rules_override";

impl Store {
    /// Loads an office's own rule file on top of the shipped rule set, refusing a bad one whole.
    pub fn load_rules(&mut self, source: &str) -> Result<&RuleSet> {
        self.require(Action::EditRules)?;
        let rules = RuleSet::builtin(self.rule_set_id).with_overrides(source)?;
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![RULES_OVERRIDE_KEY, source],
        )?;
        self.rules = rules;
        self.rules_warning = None;
        Ok(&self.rules)
    }

    /// Goes back to the shipped rule set alone.
    pub fn reset_rules(&mut self) -> Result<()> {
        self.require(Action::EditRules)?;
        self.conn.execute("DELETE FROM meta WHERE key = ?1", [RULES_OVERRIDE_KEY])?;
        self.rules = RuleSet::builtin(self.rule_set_id);
        self.rules_warning = None;
        Ok(())
    }

    /// The office's own rule file as loaded (applied or not), if one is.
    pub(super) fn own_rules_source(&self) -> Result<Option<String>> {
        let mut read = self.conn.prepare("SELECT value FROM meta WHERE key = ?1")?;
        Ok(read.query_map([RULES_OVERRIDE_KEY], |r| r.get(0))?.next().transpose()?)
    }

    /// Why the office's own rule file is not applied, when it no longer fits the shipped rules.
    pub fn rules_warning(&self) -> Option<&Text> {
        self.rules_warning.as_ref()
    }
}

/// The workspace's rule set: the shipped one, with the office's own file on top when loaded. A
/// stored file that no longer fits the shipped rules (after an upgrade renamed one) must not lock
/// the office out of its records: the shipped rules apply, and the warning says why.
pub(super) fn load_rules(conn: &rusqlite::Connection, shipped: RuleSet) -> Result<(RuleSet, Option<Text>)> {
    let source: Option<String> = conn
        .prepare("SELECT value FROM meta WHERE key = ?1")?
        .query_map([RULES_OVERRIDE_KEY], |r| r.get(0))?
        .next()
        .transpose()?;
    Ok(with_own_rules(shipped, source.as_deref()))
}

/// The shipped rules with an office's own file (`source`, as stored) on top, on either engine. A
/// stored file that no longer fits them leaves the shipped rules in force, with the warning why.
pub(crate) fn with_own_rules(shipped: RuleSet, source: Option<&str>) -> (RuleSet, Option<Text>) {
    let Some(source) = source else { return (shipped, None) };
    match shipped.with_overrides(source) {
        Ok(rules) => (rules, None),
        Err(err) => (
            shipped,
            Some(Text::new(
                format!(
                    "本单位规则文件已不适用，暂按内置规则计算：{}。请改正后用 dangan rules load 重新载入，或 dangan rules reset",
                    err.message(crate::Lang::Zh)
                ),
                format!(
                    "the office's rule file no longer applies, so the shipped rules are used: {}. Correct it and load it again, or reset",
                    err.message(crate::Lang::En)
                ),
            )),
        ),
    }
}
