//! Who may do what: the four roles of a shared office workstation and the actions they allow.
//!
//! The check lives here, in the core, and the store applies it on every call (see
//! `Store::require`), so no shell (the app, the CLI, a script) can skip it. The UI only hides what
//! the core would refuse anyway.
//!
//! | role | members | org units, calendar, backups, approving transfers | rules, users | audit log |
//! |---|---|---|---|---|
//! | administrator (管理员) | all, read and change | yes | yes | yes |
//! | organiser (组织员) | all, read and change | yes | no | no |
//! | branch secretary (支部书记) | only the assigned branches | no | no | no |
//! | auditor (审计员) | all, read only | no | no | yes |
//! | discipline inspector (纪检委员) | all, read only; and the complaints register, theirs alone | no | no | no |

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::areas::Area;
use crate::domain::Id;
use crate::store::OrgTree;
use crate::{Error, Result, Text};

#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Administrator,
    Organiser,
    BranchSecretary,
    Auditor,
    /// 纪检委员: keeps the confidential complaints register, theirs alone.
    DisciplineInspector,
}

impl Role {
    pub const ALL: [Role; 5] =
        [Role::Administrator, Role::Organiser, Role::BranchSecretary, Role::Auditor, Role::DisciplineInspector];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Organiser => "organiser",
            Role::BranchSecretary => "branch_secretary",
            Role::Auditor => "auditor",
            Role::DisciplineInspector => "discipline_inspector",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> Text {
        match self {
            Role::Administrator => Text::new("管理员", "administrator"),
            Role::Organiser => Text::new("组织员", "organiser"),
            Role::BranchSecretary => Text::new("支部书记", "branch secretary"),
            Role::Auditor => Text::new("审计员", "auditor"),
            Role::DisciplineInspector => Text::new("纪检委员", "discipline inspector"),
        }
    }

    /// Whether the role allows the action at all (a branch secretary's branches are checked
    /// separately, member by member).
    pub fn may(self, action: Action) -> bool {
        use Action::*;
        match self {
            // The complaints register is the discipline inspectors' alone, not the administrator's.
            Role::Administrator => action != HandleComplaints,
            Role::Organiser => {
                matches!(
                    action,
                    ReadMembers
                        | EditMembers
                        | EditOrganisation
                        | ApproveTransfers
                        | EditCalendar
                        | Backup
                        | Restore
                        | Verify
                )
            }
            Role::BranchSecretary => matches!(action, ReadMembers | EditMembers),
            Role::Auditor => matches!(action, ReadMembers | ReadAudit | Verify),
            Role::DisciplineInspector => matches!(action, ReadMembers | HandleComplaints),
        }
    }
}

/// What a caller asks to do. The session lists those its user may ([`SessionUser::may`]), so that
/// a shell hides what the core would refuse without a copy of this table.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// See members, their files and deadlines; export rosters and print dossiers.
    ReadMembers,
    /// Add or change members, events, records and attachments; import; set deadlines aside.
    EditMembers,
    /// Add branches and general branches.
    EditOrganisation,
    /// Approve or decline an application to transfer out, and issue a letter without one: the
    /// committee's decision (a branch applies; its secretary's letter needs an approved application).
    ApproveTransfers,
    /// Enter the official holiday calendar.
    EditCalendar,
    /// Load or reset the office's rule file.
    EditRules,
    /// Back up the workspace and choose where daily backups go.
    Backup,
    /// Make a workspace of a backup.
    Restore,
    /// Add, change and remove users; make a new recovery key.
    ManageUsers,
    /// Read and export the audit log.
    ReadAudit,
    /// Check the whole workspace (which names every damaged attachment, whoever's it is).
    Verify,
    /// Keep the confidential complaints register (信访举报): register, read, handle, close.
    HandleComplaints,
}

impl Action {
    pub const ALL: [Action; 12] = [
        Action::ReadMembers,
        Action::EditMembers,
        Action::EditOrganisation,
        Action::ApproveTransfers,
        Action::EditCalendar,
        Action::EditRules,
        Action::Backup,
        Action::Restore,
        Action::ManageUsers,
        Action::ReadAudit,
        Action::Verify,
        Action::HandleComplaints,
    ];

    /// Whether the action writes to the database (and so must be audited).
    pub(crate) fn changes(self) -> bool {
        !matches!(self, Action::ReadMembers | Action::ReadAudit | Action::Verify | Action::Backup)
    }

    fn described(self) -> Text {
        match self {
            Action::ReadMembers => Text::new("查看党员档案", "read members' records"),
            Action::EditMembers => Text::new("修改党员档案", "change members' records"),
            Action::EditOrganisation => Text::new("修改组织机构", "change the organisation"),
            Action::ApproveTransfers => Text::new("审批组织关系转出", "approve transfers out"),
            Action::HandleComplaints => Text::new("办理信访举报", "keep the complaints register"),
            Action::EditCalendar => Text::new("修改节假日安排", "change the holiday calendar"),
            Action::EditRules => Text::new("修改规则", "change the rules"),
            Action::Backup => Text::new("备份工作区", "back up the workspace"),
            Action::Restore => Text::new("从备份恢复工作区", "restore a workspace from a backup"),
            Action::ManageUsers => Text::new("管理用户", "manage users"),
            Action::ReadAudit => Text::new("查看审计日志", "read the audit log"),
            Action::Verify => Text::new("核对整个工作区", "check the whole workspace"),
        }
    }

    pub(crate) fn forbidden(self) -> Error {
        Error::Forbidden { what: self.described() }
    }
}

/// A user of the workspace, as the administrator sees them.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub id: Id,
    /// The sign-in name; unique.
    pub name: String,
    pub role: Role,
    /// The units a branch secretary may see (with everything under them); empty for other roles.
    #[cfg_attr(feature = "typescript", ts(type = "number[]"))]
    pub branches: Vec<Id>,
    /// The day the user was added (`YYYY-MM-DD`).
    pub created_on: String,
}

/// Who is signed in, for the shells to show and to hide what the role may not do.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionUser {
    pub name: String,
    pub role: Role,
    #[cfg_attr(feature = "typescript", ts(type = "number[]"))]
    pub branches: Vec<Id>,
    /// Signed in with the recovery key: only user management, to set a passphrase anew.
    pub recovery: bool,
    /// Every action this user may take (a branch secretary's, within their branches): the one
    /// answer a shell consults to show or hide a control.
    pub may: Vec<Action>,
    /// The areas of work the records are open for: all of them in a workspace, those that run on
    /// it so far on a shared server (`areas.rs`).
    pub areas: Vec<Area>,
    /// The shared server signed in to, as its address shows it (never with a password); `None` in
    /// a workspace.
    pub server: Option<String>,
}

impl SessionUser {
    pub(crate) fn new(name: String, role: Role, branches: Vec<Id>, recovery: bool) -> SessionUser {
        let may = Action::ALL
            .into_iter()
            .filter(|&action| if recovery { action == Action::ManageUsers } else { role.may(action) })
            .collect();
        SessionUser { name, role, branches, recovery, may, areas: Area::on_a_workspace(), server: None }
    }

    /// A user of a shared server: their role's actions, as far as the areas that run on a server
    /// use them.
    pub(crate) fn on_a_server(name: String, role: Role, branches: Vec<Id>, server: String) -> SessionUser {
        /// The actions the app's server areas take (members and their steps, rosters, branches,
        /// users, the log, the complaints register, transfers' decisions).
        const ON_A_SERVER: [Action; 7] = [
            Action::ReadMembers,
            Action::EditMembers,
            Action::ApproveTransfers,
            Action::EditOrganisation,
            Action::ManageUsers,
            Action::ReadAudit,
            Action::HandleComplaints,
        ];
        let may = ON_A_SERVER.into_iter().filter(|&action| role.may(action)).collect();
        SessionUser {
            name,
            role,
            branches,
            recovery: false,
            may,
            areas: Area::ON_A_SERVER.to_vec(),
            server: Some(server),
        }
    }
}

/// The signed-in user as the store checks them.
#[derive(Debug, Clone)]
pub(crate) struct Actor {
    pub(crate) session: SessionUser,
}

impl Actor {
    /// Stores opened without a workspace (benchmarks, internal tools) act as the system.
    pub(crate) fn system() -> Actor {
        Actor { session: SessionUser::new("system".into(), Role::Administrator, Vec::new(), false) }
    }

    /// The recovery key opens the workspace to set passphrases anew, nothing else: not to read
    /// or change records under nobody's name.
    pub(crate) fn require(&self, action: Action) -> Result<()> {
        if self.session.may.contains(&action) { Ok(()) } else { Err(action.forbidden()) }
    }

    /// The units this actor may see, with their subtrees; `None` when not limited.
    pub(crate) fn scope(&self, tree: &OrgTree) -> Option<HashSet<Id>> {
        (self.session.role == Role::BranchSecretary)
            .then(|| self.session.branches.iter().flat_map(|&b| tree.subtree(b)).collect())
    }
}

/// What an administrator fills in to add a user.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub name: &'a str,
    pub role: Role,
    pub branches: &'a [Id],
    pub passphrase: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_administrators_manage_users_and_rules() {
        for role in Role::ALL {
            assert_eq!(role.may(Action::ManageUsers), role == Role::Administrator, "{role:?}");
            assert_eq!(role.may(Action::EditRules), role == Role::Administrator, "{role:?}");
        }
    }

    #[test]
    fn the_auditor_reads_everything_and_changes_nothing() {
        let auditor = Role::Auditor;
        assert!(auditor.may(Action::ReadMembers) && auditor.may(Action::ReadAudit));
        for action in [
            Action::EditMembers,
            Action::EditOrganisation,
            Action::EditCalendar,
            Action::EditRules,
            Action::Backup,
            Action::ManageUsers,
        ] {
            assert!(!auditor.may(action), "{action:?}");
        }
    }

    #[test]
    fn only_administrators_and_auditors_read_the_audit_log() {
        let readers: Vec<Role> = Role::ALL.into_iter().filter(|r| r.may(Action::ReadAudit)).collect();
        assert_eq!(readers, [Role::Administrator, Role::Auditor]);
    }

    #[test]
    fn a_branch_secretary_edits_members_but_not_the_organisation() {
        let secretary = Role::BranchSecretary;
        assert!(secretary.may(Action::EditMembers));
        assert!(!secretary.may(Action::EditOrganisation) && !secretary.may(Action::Backup));
    }

    #[test]
    fn the_session_lists_what_the_role_allows_and_the_recovery_key_only_user_management() {
        let organiser = SessionUser::new("王".into(), Role::Organiser, Vec::new(), false);
        for action in Action::ALL {
            assert_eq!(organiser.may.contains(&action), Role::Organiser.may(action), "{action:?}");
        }
        let recovery = SessionUser::new("恢复密钥".into(), Role::Administrator, Vec::new(), true);
        assert_eq!(recovery.may, [Action::ManageUsers]);
    }

    #[test]
    fn roles_round_trip_through_their_stored_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
