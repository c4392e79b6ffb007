//! The server schema's versions and how a database moves from one to the next. Each version is
//! two SQL files: its tables and functions (`vN.sql`), and its security (`vN_security.sql`: owners,
//! grants, row-level policies), applied after the tables because FORCE binds the database owner
//! too. `dangan server init` applies every version; `dangan server upgrade`, run by the database's
//! owner (users may not change the schema), applies those a database lacks, all or nothing. A
//! client signs in only to a server at its own version: an older one is named with the command
//! that upgrades it, a newer one asks for a newer Dangan.

use postgres::Transaction;

use super::roles::Roles;
use super::{ServerAddress, failure, lost_at_commit};
use crate::{Error, Result};

/// One version of the schema: its tables and functions, then its security.
struct Version {
    number: i32,
    schema: &'static str,
    security: &'static str,
}

/// Every version, oldest first; the last is the one this Dangan works with.
const VERSIONS: [Version; 22] = [
    Version { number: 1, schema: include_str!("v1.sql"), security: include_str!("v1_security.sql") },
    Version { number: 2, schema: include_str!("v2.sql"), security: include_str!("v2_security.sql") },
    Version { number: 3, schema: include_str!("v3.sql"), security: include_str!("v3_security.sql") },
    Version { number: 4, schema: include_str!("v4.sql"), security: include_str!("v4_security.sql") },
    Version { number: 5, schema: include_str!("v5.sql"), security: include_str!("v5_security.sql") },
    Version { number: 6, schema: include_str!("v6.sql"), security: include_str!("v6_security.sql") },
    Version { number: 7, schema: include_str!("v7.sql"), security: include_str!("v7_security.sql") },
    Version { number: 8, schema: include_str!("v8.sql"), security: include_str!("v8_security.sql") },
    Version { number: 9, schema: include_str!("v9.sql"), security: include_str!("v9_security.sql") },
    Version { number: 10, schema: include_str!("v10.sql"), security: include_str!("v10_security.sql") },
    Version { number: 11, schema: include_str!("v11.sql"), security: include_str!("v11_security.sql") },
    Version { number: 12, schema: include_str!("v12.sql"), security: include_str!("v12_security.sql") },
    Version { number: 13, schema: include_str!("v13.sql"), security: include_str!("v13_security.sql") },
    Version { number: 14, schema: include_str!("v14.sql"), security: include_str!("v14_security.sql") },
    Version { number: 15, schema: include_str!("v15.sql"), security: include_str!("v15_security.sql") },
    Version { number: 16, schema: include_str!("v16.sql"), security: include_str!("v16_security.sql") },
    Version { number: 17, schema: include_str!("v17.sql"), security: include_str!("v17_security.sql") },
    Version { number: 18, schema: include_str!("v18.sql"), security: include_str!("v18_security.sql") },
    Version { number: 19, schema: include_str!("v19.sql"), security: include_str!("v19_security.sql") },
    Version { number: 20, schema: include_str!("v20.sql"), security: include_str!("v20_security.sql") },
    Version { number: 21, schema: include_str!("v21.sql"), security: include_str!("v21_security.sql") },
    Version { number: 22, schema: include_str!("v22.sql"), security: include_str!("v22_security.sql") },
];

/// The version this Dangan works with.
pub const LATEST: i32 = VERSIONS[VERSIONS.len() - 1].number;

/// The first version's tables (`init` writes the root committee and its administrator between
/// them and the first version's security).
pub(super) fn first_schema() -> &'static str {
    VERSIONS[0].schema
}

pub(super) fn first_security() -> &'static str {
    VERSIONS[0].security
}

/// Applies every version after `from` up to `to`, inside the owner's transaction, and records the
/// version reached. The owner is made a member of the roles that own the functions only while
/// they are given to them.
pub(super) fn apply_after(
    tx: &mut Transaction<'_>,
    roles: &Roles,
    from: i32,
    to: i32,
) -> std::result::Result<(), postgres::Error> {
    for version in VERSIONS.iter().filter(|v| v.number > from && v.number <= to) {
        // Membership first: a new trigger needs EXECUTE on the functions {system} owns.
        tx.batch_execute(&roles.fill("GRANT {system}, {accounts} TO CURRENT_USER"))?;
        tx.batch_execute(&roles.fill(version.schema))?;
        tx.batch_execute(&roles.fill(version.security))?;
        tx.batch_execute(&roles.fill("REVOKE {system}, {accounts} FROM CURRENT_USER"))?;
    }
    if to > from {
        tx.execute("UPDATE dangan.meta SET value = $1 WHERE key = 'schema_version'", &[&to.to_string()])?;
    }
    Ok(())
}

/// What `dangan server upgrade` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Upgrade {
    /// The schema's version before and after (equal when it was up to date).
    pub from: i32,
    pub to: i32,
}

/// Brings the database to [`LATEST`], all or nothing, as its owner (the URL's user). Two owners
/// upgrading at once: the second waits for the first and then finds nothing to do.
pub(super) fn upgrade(address: &ServerAddress) -> Result<Upgrade> {
    let fail = |e| failure(e, address);
    let mut client = address.connect_as_owner()?;
    let mut tx = client.transaction().map_err(fail)?;
    let initialised: bool =
        tx.query_one("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'dangan')", &[]).map_err(fail)?.get(0);
    if !initialised {
        return Err(not_initialised(address));
    }
    // A version may change a table users are reading (ALTER TABLE waits for them, and every
    // query queues behind it): waited for ten seconds at most, then "busy, try again".
    tx.batch_execute("SET LOCAL lock_timeout = '10s'").map_err(fail)?;
    // The row is locked to the commit, so a second upgrade waits and then reads the new version.
    let from: Option<String> = tx
        .query_opt("SELECT value FROM dangan.meta WHERE key = 'schema_version' FOR UPDATE", &[])
        .map_err(fail)?
        .map(|r| r.get(0));
    let from = from.as_deref().and_then(|v| v.parse::<i32>().ok()).ok_or_else(|| not_initialised(address))?;
    if from > LATEST {
        return Err(newer_server(address, from));
    }
    let roles = Roles::of(address.database());
    apply_after(&mut tx, &roles, from, LATEST).map_err(fail)?;
    tx.commit().map_err(|e| lost_at_commit(e, address))?;
    Ok(Upgrade { from, to: LATEST })
}

/// A user signs in only to a server at this Dangan's version.
pub(super) fn check_version(address: &ServerAddress, found: Option<&str>) -> Result<()> {
    let found = found.and_then(|v| v.parse::<i32>().ok()).ok_or_else(|| not_initialised(address))?;
    if found > LATEST {
        return Err(newer_server(address, found));
    }
    if found < LATEST {
        return Err(Error::invalid(
            "server",
            format!(
                "{address} 的数据结构是第 {found} 版，这个 Dangan 需要第 {LATEST} 版：请数据库的所有者运行 dangan server upgrade --url …（以所有者的身份连接）"
            ),
            format!(
                "{address} holds schema version {found} and this Dangan needs version {LATEST}: the database's owner runs `dangan server upgrade --url …` (connecting as the owner)"
            ),
        ));
    }
    Ok(())
}

fn newer_server(address: &ServerAddress, found: i32) -> Error {
    Error::invalid(
        "server",
        format!(
            "{address} 由更新版本的 Dangan 设立（数据结构第 {found} 版，这个 Dangan 只认得第 {LATEST} 版）：请先更新 Dangan"
        ),
        format!(
            "{address} was set up by a newer Dangan (schema version {found}; this one knows up to {LATEST}): update Dangan first"
        ),
    )
}

fn not_initialised(address: &ServerAddress) -> Error {
    Error::invalid(
        "server",
        format!("{address} 不是 Dangan 的数据库（请先运行 dangan server init）"),
        format!("{address} is not a Dangan database (run `dangan server init` first)"),
    )
}

#[cfg(test)]
mod tests {
    /// The values a version's first `CHECK (column IN (…))` lists, sorted.
    fn kinds_listed(version: usize, column: &str) -> Vec<&'static str> {
        let schema = super::VERSIONS[version - 1].schema;
        let listed = schema
            .split(&format!("CHECK ({column} IN ("))
            .nth(1)
            .and_then(|rest| rest.split("))").next())
            .unwrap_or("");
        let mut kinds: Vec<&str> = listed.split(',').map(|k| k.trim().trim_matches('\'')).collect();
        kinds.sort_unstable();
        kinds
    }

    #[test]
    fn the_server_knows_every_kind_of_record_the_workspace_knows() {
        let mut known: Vec<&str> = crate::domain::RecordKind::ALL.iter().map(|k| k.as_str()).collect();
        known.sort_unstable();
        assert_eq!(kinds_listed(4, "kind"), known);
    }

    #[test]
    fn the_server_knows_every_kind_of_meeting_the_workspace_knows() {
        let mut known: Vec<&str> = crate::domain::MeetingKind::ALL.iter().map(|k| k.as_str()).collect();
        known.sort_unstable();
        assert_eq!(kinds_listed(6, "kind"), known);
    }

    #[test]
    fn the_server_knows_every_committee_post_the_workspace_knows() {
        let mut known: Vec<&str> = crate::domain::CommitteePost::ALL.iter().map(|k| k.as_str()).collect();
        known.sort_unstable();
        assert_eq!(kinds_listed(7, "post"), known);
    }

    #[test]
    fn the_server_knows_every_kind_of_training_class_the_workspace_knows() {
        let mut known: Vec<&str> = crate::domain::ClassKind::ALL.iter().map(|k| k.as_str()).collect();
        known.sort_unstable();
        assert_eq!(kinds_listed(8, "kind"), known);
    }

    #[test]
    fn the_server_knows_every_category_of_dues_the_workspace_knows() {
        let mut known: Vec<&str> = crate::domain::DuesCategory::ALL.iter().map(|k| k.as_str()).collect();
        known.sort_unstable();
        assert_eq!(kinds_listed(10, "category"), known);
    }

    #[test]
    fn the_server_knows_every_step_grade_and_outcome_of_an_appraisal_the_workspace_knows() {
        let sorted = |mut v: Vec<&'static str>| {
            v.sort_unstable();
            v
        };
        let steps = sorted(crate::appraisal::AppraisalStep::ALL.iter().map(|k| k.as_str()).collect());
        assert_eq!(kinds_listed(11, "step"), steps);
        let grades = sorted(crate::domain::Grade::ALL.iter().map(|k| k.as_str()).collect());
        assert_eq!(kinds_listed(11, "proposed"), grades);
        assert_eq!(kinds_listed(11, "grade"), grades);
        let outcomes = sorted(crate::appraisal::CorrectionOutcome::ALL.iter().map(|k| k.as_str()).collect());
        assert_eq!(kinds_listed(11, "outcome"), outcomes);
    }
}
