//! The app's areas of work and which of them each engine offers: a workspace all of them, a
//! shared server (issue 20) those that run on it so far. A session lists its areas
//! ([`crate::access::SessionUser::areas`]) beside its user's actions, and a shell shows a screen or
//! a control only when both allow it; the core refuses the rest whatever a shell shows.

use serde::Serialize;

/// One area of work, as the app's screens and sections divide it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// 工作提醒 and the calendar: what the procedure still asks, and by when.
    Deadlines,
    /// Setting an item aside (acknowledged, snoozed), and the items a unit owes (its meetings).
    SetAside,
    /// The member list, each member's record and the dated steps of their procedure.
    Members,
    /// Rosters in and out (.xlsx, .csv).
    Rosters,
    /// Adding branches and general branches by hand.
    Organisation,
    /// A member's file: records, attachments, the checklist; and the printed dossier.
    Files,
    /// Membership status beside the stage (转出, 停止党籍, …).
    Status,
    /// The procedure's documents (.docx and PDF).
    Documents,
    /// The register of branch life: each unit's meetings with their attendance and files, its
    /// party groups and committee, its year of meetings as a grid and as the printed work
    /// register, training classes, and each member's study hours and own study.
    Meetings,
    /// The meetings a unit owes as items of 工作提醒: listed, reminded, set aside.
    OwedMeetings,
    Dues,
    /// Transfer applications and letters (applied for, decided, issued, received, reissued,
    /// cancelled, printed; a graduating class's in one batch), and graduates kept on the register.
    Transfers,
    /// Members arriving (by letter or member package), and member packages written for a letter.
    Arrivals,
    Appraisal,
    Complaints,
    Statistics,
    /// The annual report.
    AnnualReport,
    Users,
    /// A workspace's recovery key (a server's users are reset by their administrator instead).
    RecoveryKey,
    Audit,
    Backup,
}

impl Area {
    pub const ALL: [Area; 21] = [
        Area::Deadlines,
        Area::SetAside,
        Area::Members,
        Area::Rosters,
        Area::Organisation,
        Area::Files,
        Area::Status,
        Area::Documents,
        Area::Meetings,
        Area::OwedMeetings,
        Area::Dues,
        Area::Transfers,
        Area::Arrivals,
        Area::Appraisal,
        Area::Complaints,
        Area::Statistics,
        Area::AnnualReport,
        Area::Users,
        Area::RecoveryKey,
        Area::Audit,
        Area::Backup,
    ];

    /// What the app runs on a shared server so far (the CLI runs more: `dangan --server`; see
    /// ARCHITECTURE.md, "The shared server").
    pub const ON_A_SERVER: [Area; 19] = [
        Area::Deadlines,
        Area::SetAside,
        Area::Members,
        Area::Status,
        Area::Rosters,
        Area::Organisation,
        Area::Files,
        Area::Documents,
        Area::Meetings,
        Area::OwedMeetings,
        Area::Dues,
        Area::Transfers,
        Area::Arrivals,
        Area::Appraisal,
        Area::Complaints,
        Area::Statistics,
        Area::AnnualReport,
        Area::Users,
        Area::Audit,
    ];

    /// The areas of a workspace: all of them.
    pub fn on_a_workspace() -> Vec<Area> {
        Area::ALL.to_vec()
    }
}

/// The refusal of work that does not run on a shared server yet: nothing changed.
pub fn not_on_a_server() -> crate::Error {
    crate::Error::invalid(
        "server",
        "这项工作还不能在共享服务器上办理，没有做任何更改；请在本机工作区中办理",
        "this cannot be done on a shared server yet; nothing was changed: use a workspace for it",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_area_is_listed_once_and_a_server_offers_a_part_of_them() {
        let distinct: std::collections::HashSet<Area> = Area::ALL.into_iter().collect();
        assert_eq!(distinct.len(), Area::ALL.len());
        assert!(Area::ON_A_SERVER.iter().all(|a| Area::ALL.contains(a)));
        assert!(!Area::ON_A_SERVER.contains(&Area::Backup), "a server's backups are its administrator's");
    }
}
