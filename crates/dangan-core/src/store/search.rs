//! Lists and search: a page of members in pinyin order, filtered by stage, branch and a query
//! that matches names, pinyin initials (`zs` → 张三), full pinyin and student numbers.

use serde::{Deserialize, Serialize};

use super::Store;
use super::member_index::MemberIndex;
use super::org::OrgTree;
use crate::domain::{Gender, Id, Stage};
use crate::{Error, Result};

/// What to list. Every filter is optional; `limit` is capped at [`MemberQuery::MAX_LIMIT`].
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberQuery {
    pub stage: Option<Stage>,
    /// A unit of the organisation tree; its whole subtree is listed.
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub branch_id: Option<Id>,
    pub search: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub offset: u64,
    #[serde(default = "default_limit")]
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub limit: u64,
}

fn default_limit() -> u64 {
    100
}

impl MemberQuery {
    pub const MAX_LIMIT: u64 = 100_000;

    pub fn all() -> MemberQuery {
        MemberQuery { limit: MemberQuery::MAX_LIMIT, ..MemberQuery::default() }
    }
}

/// One row of a member list.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberSummary {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub id: Id,
    pub name: String,
    pub stage: Stage,
    /// The branch's path below the committee.
    pub branch: String,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub branch_id: Id,
    pub student_no: Option<String>,
    pub gender: Option<Gender>,
    pub ended: bool,
}

/// A page of a list and the size of the whole list.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberPage {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub total: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub offset: u64,
    pub items: Vec<MemberSummary>,
}

impl Store {
    /// A page of members in pinyin order, and how many match in all.
    pub fn list_members(&self, query: &MemberQuery) -> Result<MemberPage> {
        let tree = OrgTree::load(&self.conn)?;
        self.require(crate::access::Action::ReadMembers)?;
        if let Some(branch) = query.branch_id.filter(|&b| tree.get(b).is_none()) {
            return Err(Error::invalid(
                "branch_id",
                format!("没有编号为 {branch} 的组织"),
                format!("no unit has id {branch}"),
            ));
        }
        let branches = self.units_shown(&tree, query.branch_id);
        let mut index = self.index.borrow_mut();
        if index.is_none() {
            *index = Some(MemberIndex::load(&self.conn)?);
        }
        let (total, items) =
            index.as_ref().map(|i| i.query(query, branches.as_ref(), |id| tree.path(id))).unwrap_or_default();
        Ok(MemberPage { total, offset: query.offset, items })
    }
}
