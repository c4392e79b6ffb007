//! The organisation tree: 党委 (committee) → 党总支 (general branch, optional) → 党支部 (branch).

use serde::{Deserialize, Serialize};

use super::Id;

#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// 党委: the root; there is one per workspace.
    Committee,
    /// 党总支: an optional level between the committee and branches.
    GeneralBranch,
    /// 党支部: where people belong.
    Branch,
}

impl OrgKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Committee => "committee",
            OrgKind::GeneralBranch => "general_branch",
            OrgKind::Branch => "branch",
        }
    }

    pub fn parse(s: &str) -> Option<OrgKind> {
        [OrgKind::Committee, OrgKind::GeneralBranch, OrgKind::Branch].into_iter().find(|k| k.as_str() == s)
    }
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUnit {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub id: Id,
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub parent_id: Option<Id>,
    pub kind: OrgKind,
    pub name: String,
}
