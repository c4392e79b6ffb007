//! Lists and search: a page of members in pinyin order, filtered by stage, branch and a query
//! that matches names, pinyin initials (`zs` → 张三), full pinyin and student numbers.

use rusqlite::ToSql;
use serde::{Deserialize, Serialize};

use super::Store;
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

/// Escapes LIKE's wildcards so a query is matched literally.
fn like_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

impl Store {
    /// A page of members in pinyin order, and how many match in all.
    pub fn list_members(&self, query: &MemberQuery) -> Result<MemberPage> {
        let tree = OrgTree::load(&self.conn)?;
        let mut conditions: Vec<String> = Vec::new();
        let mut args: Vec<Box<dyn ToSql>> = Vec::new();
        if let Some(stage) = query.stage {
            args.push(Box::new(stage.as_str()));
            conditions.push(format!("stage = ?{}", args.len()));
        }
        if let Some(branch) = query.branch_id {
            if tree.get(branch).is_none() {
                return Err(Error::invalid(
                    "branch_id",
                    format!("没有编号为 {branch} 的组织"),
                    format!("no unit has id {branch}"),
                ));
            }
            // Ids come from the tree, not from the caller: safe to inline.
            let ids: Vec<String> = tree.subtree(branch).iter().map(Id::to_string).collect();
            conditions.push(format!("branch_id IN ({})", ids.join(",")));
        }
        if let Some(q) = query.search.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let literal = like_literal(&q.to_lowercase());
            args.push(Box::new(format!("%{literal}%")));
            let contains = args.len();
            args.push(Box::new(format!("{literal}%")));
            let prefix = args.len();
            conditions.push(format!(
                "(name LIKE ?{contains} ESCAPE '\\' OR initials LIKE ?{prefix} ESCAPE '\\' \
                 OR pinyin LIKE ?{prefix} ESCAPE '\\' OR student_no LIKE ?{prefix} ESCAPE '\\')"
            ));
        }
        let filter = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
        let arg_refs: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();

        let total: i64 = self
            .conn
            .prepare_cached(&format!("SELECT count(*) FROM people INDEXED BY people_list {filter}"))?
            .query_row(arg_refs.as_slice(), |r| r.get(0))?;
        let limit = query.limit.min(MemberQuery::MAX_LIMIT);
        let sql = format!(
            "SELECT id, name, stage, branch_id, student_no, gender, ended FROM people INDEXED BY people_list {filter} \
             ORDER BY sort_key LIMIT {limit} OFFSET {}",
            query.offset
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let items = stmt
            .query_map(arg_refs.as_slice(), |r| {
                let stage: String = r.get(2)?;
                let branch_id: Id = r.get(3)?;
                let gender: Option<String> = r.get(5)?;
                Ok(MemberSummary {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    stage: Stage::parse(&stage).unwrap_or(Stage::Applicant),
                    branch: tree.path(branch_id),
                    branch_id,
                    student_no: r.get(4)?,
                    gender: gender.as_deref().and_then(Gender::parse),
                    ended: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(MemberPage { total: total as u64, offset: query.offset, items })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_are_matched_literally() {
        assert_eq!(like_literal("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
