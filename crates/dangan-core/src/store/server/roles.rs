//! The names of a server database's roles. Roles belong to the whole cluster, so each name carries
//! a hash of the database's name, and a user's login role a hash of the user's name (user names are
//! Chinese and may be long; role names are short ASCII). `dangan.login_role` in `v1.sql` computes
//! the same name on the server.

use sha2::{Digest, Sha256};

pub(super) struct Roles {
    prefix: String,
    group_roles: [String; 3],
}

impl Roles {
    pub(super) fn of(database: &str) -> Roles {
        let prefix = format!("dangan_{}", &hex_sha256(database)[..8]);
        let group_roles = [format!("{prefix}_app"), format!("{prefix}_system"), format!("{prefix}_accounts")];
        Roles { prefix, group_roles }
    }

    /// `{app}`, `{system}`, `{accounts}` (v1.sql says what each is for).
    pub(super) fn group_roles(&self) -> &[String; 3] {
        &self.group_roles
    }

    pub(super) fn login_role(&self, user: &str) -> String {
        format!("{}_u_{}", self.prefix, &hex_sha256(user)[..16])
    }

    pub(super) fn create_group_roles(&self) -> String {
        self.fill("CREATE ROLE {app} NOLOGIN; CREATE ROLE {system} NOLOGIN; CREATE ROLE {accounts} NOLOGIN CREATEROLE;")
    }

    /// The SQL with the roles' names in place of `{app}`, `{system}` and `{accounts}`.
    pub(super) fn fill(&self, sql: &str) -> String {
        let [app, system, accounts] = &self.group_roles;
        sql.replace("{app}", app).replace("{system}", system).replace("{accounts}", accounts)
    }
}

fn hex_sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_short_ascii_and_differ_by_database_and_user() {
        let a = Roles::of("dangan");
        let b = Roles::of("dangan_test");
        assert_ne!(a.login_role("张老师"), b.login_role("张老师"));
        assert_ne!(a.login_role("张老师"), a.login_role("李老师"));
        let name = a.login_role("中共示范大学委员会组织部的一位名字很长很长的管理员");
        assert!(name.len() <= 63 && name.is_ascii(), "{name}");
        assert!(a.fill("GRANT {app} TO x").starts_with("GRANT dangan_"));
    }
}
