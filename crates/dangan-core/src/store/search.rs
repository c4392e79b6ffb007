//! Lists and search: a page of members in pinyin order, filtered by stage, branch and a query
//! that matches names, pinyin initials (`zs` → 张三), full pinyin and student numbers.

use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};

use super::Store;
use super::member_index::MemberIndex;
use super::org::OrgTree;
use crate::domain::{Gender, Id, MembershipStatus, Stage};
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
    /// Only the people one number of a statistics report counts (the drill-down from 统计).
    #[serde(default)]
    pub cell: Option<crate::statistics::CellRef>,
    /// By membership status; absent means the working list, the people in the register. A
    /// statistics drill-down (`cell`) lists whom the number counted, whatever their status today.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub status: Option<StatusFilter>,
}

/// Whose rows a list shows, by membership status.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusFilter {
    /// The working list: in the register.
    #[default]
    InRegister,
    /// Everyone, archived files included.
    All,
    /// The archive: everyone out of the register (transferred out, suspended, left, deceased).
    Archived,
    /// One status.
    Only(MembershipStatus),
}

impl StatusFilter {
    pub fn admits(self, status: MembershipStatus) -> bool {
        match self {
            StatusFilter::InRegister => status == MembershipStatus::InRegister,
            StatusFilter::All => true,
            StatusFilter::Archived => status != MembershipStatus::InRegister,
            StatusFilter::Only(only) => status == only,
        }
    }
}

fn default_limit() -> u64 {
    100
}

impl MemberQuery {
    /// The most rows one page holds. Nothing that means "everyone" (an export, a dossier batch,
    /// `dangan members`) reads one page: it goes through [`Store::for_each_member_page`] or
    /// [`Store::member_ids`], which take every match.
    pub const MAX_LIMIT: u64 = 100_000;

    /// Everyone the signed-in user may see, for [`Store::for_each_member_page`] and [`Store::member_ids`].
    pub fn all() -> MemberQuery {
        MemberQuery { limit: MemberQuery::MAX_LIMIT, ..MemberQuery::default() }
    }
}

/// Rows per page when a whole list is streamed: big enough that paging costs little (each page is
/// one pass over the in-memory index), small enough that memory stays flat.
const STREAM_PAGE: u64 = 5_000;

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
    pub status: MembershipStatus,
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
        let branches = self.units_shown(&tree, query.branch_id)?;
        let only = query.cell.as_ref().map(|cell| self.cell_people_set(cell)).transpose()?;
        self.forget_others_changes()?;
        let mut index = self.index.borrow_mut();
        if index.is_none() {
            *index = Some(MemberIndex::load(&self.conn)?);
        }
        let (total, items) = index
            .as_ref()
            .map(|i| i.query(query, branches.as_ref(), only.as_ref(), |id| tree.path(id)))
            .unwrap_or_default();
        Ok(MemberPage { total, offset: query.offset, items })
    }

    /// Every member `query` selects, whatever its offset and limit, handed to `each_page` one page
    /// at a time in list order; returns how many there were. `ControlFlow::Break` stops early.
    pub fn for_each_member_page(
        &self,
        query: &MemberQuery,
        mut each_page: impl FnMut(&[MemberSummary]) -> Result<ControlFlow<()>>,
    ) -> Result<u64> {
        let mut offset = 0;
        loop {
            let page = self.list_members(&MemberQuery { offset, limit: STREAM_PAGE, ..query.clone() })?;
            let seen = page.items.len() as u64;
            if seen == 0 || each_page(&page.items)?.is_break() {
                return Ok(offset + seen);
            }
            offset += seen;
            if offset >= page.total {
                return Ok(offset);
            }
        }
    }

    /// The ids of every member `query` selects (whatever its offset and limit), in list order.
    pub fn member_ids(&self, query: &MemberQuery) -> Result<Vec<Id>> {
        let mut ids = Vec::new();
        self.for_each_member_page(query, |page| {
            ids.extend(page.iter().map(|m| m.id));
            Ok(ControlFlow::Continue(()))
        })?;
        Ok(ids)
    }
}
