//! The office's own rule file on a server (schema version 22): one for all the server's offices,
//! on top of the shipped rule set chosen at `init`, loaded and dropped by the department's
//! administrators (`dangan.sets_rules`) and read by every session at sign-in and again when it is
//! announced changed, as a workspace keeps its own (`store/rules.rs`).

use postgres::GenericClient;

use super::{ServerStore, failure};
use crate::access::Action;
use crate::rules::RuleSet;
use crate::store::rules::with_own_rules;
use crate::{Error, Result, Text};

/// The longest rule file a server keeps (`dangan.own_rules`' check): every session reads it at
/// sign-in, and the log keeps each one whole.
const MAX_RULE_FILE_CHARS: usize = 200_000;

impl ServerStore {
    /// Loads an office's own rule file on top of the shipped rule set for every office of the
    /// server, refusing a bad one whole (checked here, as a workspace checks it).
    pub(crate) fn load_rules(&mut self, source: &str) -> Result<&RuleSet> {
        self.require_sets_rules()?;
        if source.chars().count() > MAX_RULE_FILE_CHARS {
            return Err(Error::invalid(
                "file",
                format!("规则文件超过 {MAX_RULE_FILE_CHARS} 个字符，没有载入"),
                format!("the rule file is longer than {MAX_RULE_FILE_CHARS} characters; nothing was loaded"),
            ));
        }
        let rules = RuleSet::builtin(self.rule_set).with_overrides(source)?;
        self.client
            .execute(
                "INSERT INTO dangan.own_rules (id, source) VALUES ('office', $1)
                 ON CONFLICT (id) DO UPDATE SET source = excluded.source",
                &[&source],
            )
            .map_err(|e| failure(e, &self.address))?;
        self.rules = rules;
        self.rules_warning = None;
        Ok(&self.rules)
    }

    /// Goes back to the shipped rule set alone, for every office of the server.
    pub(crate) fn reset_rules(&mut self) -> Result<()> {
        self.require_sets_rules()?;
        // Nothing to drop is no refusal: the shipped rules are in force either way (the policy
        // lets the department's administrators see and delete the one row alike).
        self.client.execute("DELETE FROM dangan.own_rules", &[]).map_err(|e| failure(e, &self.address))?;
        self.rules = RuleSet::builtin(self.rule_set);
        self.rules_warning = None;
        Ok(())
    }

    /// Reads the rules again (changed, as announced).
    pub(crate) fn reload_rules(&mut self) -> Result<()> {
        let source = own_rules(&mut self.client).map_err(|e| failure(e, &self.address))?;
        (self.rules, self.rules_warning) = with_own_rules(RuleSet::builtin(self.rule_set), source.as_deref());
        Ok(())
    }

    /// Why the office's own rule file is not applied, when it no longer fits the shipped rules.
    pub fn rules_warning(&self) -> Option<&Text> {
        self.rules_warning.as_ref()
    }

    /// The rules are the whole server's: a college's administrator may not change them for the
    /// other colleges (the server's policy refuses them too).
    fn require_sets_rules(&mut self) -> Result<()> {
        self.require(Action::EditRules)?;
        let units = self.units()?;
        if units.iter().any(|u| u.id == self.me.unit_id && u.parent_id.is_none()) {
            return Ok(());
        }
        Err(Error::Forbidden {
            what: Text::new(
                "修改服务器上的规则（规则由组织部的管理员为各学院统一载入）",
                "change the server's rules (the department's administrators load them for every college)",
            ),
        })
    }
}

/// The office's own rule file as stored, if one is loaded.
pub(super) fn own_rules(client: &mut impl GenericClient) -> std::result::Result<Option<String>, postgres::Error> {
    Ok(client.query_opt("SELECT source FROM dangan.own_rules", &[])?.map(|r| r.get(0)))
}
