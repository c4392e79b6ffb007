//! `dangan members`: members in pinyin order, as a table or as JSON; and the filters that
//! `members`, `export` and `dossier` share.

use std::ops::ControlFlow;

use clap::Args;
use dangan_core::domain::Id;
use dangan_core::store::{MemberQuery, StatusFilter};
use dangan_core::{Error, Result, Session, Text};

use crate::commands::Context;
use crate::{json, parse};

/// The filters shared by `members`, `export` and `dossier`.
#[derive(Args, Debug, Clone, Default)]
pub struct Filter {
    /// A stage: applicant, activist, candidate, probationary, full_member (or its Chinese name)
    #[arg(long)]
    stage: Option<String>,
    /// A branch or general branch, by name or path (总支/支部)
    #[arg(long)]
    branch: Option<String>,
    /// Name, pinyin initials (zs), full pinyin (zhangsan) or student number
    #[arg(long)]
    search: Option<String>,
    /// Only one membership status: in_register, transferred_out, suspended, withdrew, removed,
    /// expelled, lapsed, deceased, probation_cancelled (or its Chinese name); `archived` for
    /// everyone out of the register, `all` for everyone. Without it only those in the register.
    #[arg(long)]
    status: Option<String>,
}

impl Filter {
    /// Whether any filter was given.
    pub fn is_set(&self) -> bool {
        self.stage.is_some() || self.branch.is_some() || self.search.is_some() || self.status.is_some()
    }

    /// The query of the members the filters select.
    pub fn query(&self, session: &Session) -> Result<MemberQuery> {
        self.query_with(|b| find_branch(session, b))
    }

    /// The same, the branch found by `find_branch` (a workspace's tree, or a server's units).
    pub fn query_with(&self, find_branch: impl FnOnce(&str) -> Result<Id>) -> Result<MemberQuery> {
        let stage = parse::optional(self.stage.as_deref(), parse::stage)?;
        let branch_id = parse::optional(self.branch.as_deref(), find_branch)?;
        let status = parse::optional(self.status.as_deref(), parse::status_filter)?;
        Ok(MemberQuery { stage, branch_id, search: self.search.clone(), status, ..MemberQuery::all() })
    }
}

/// A branch or general branch by its name or path.
pub fn find_branch(session: &Session, name: &str) -> Result<Id> {
    let tree = session.org_tree()?;
    // The committee by its own name: it holds meetings and runs the party school's classes too.
    if let Some(committee) = tree.committee().filter(|c| c.name == name.trim()) {
        return Ok(committee.id);
    }
    tree.find(name)?.ok_or_else(|| Error::NotFound {
        what: {
            let name = dangan_core::text::excerpt(name, 40);
            Text::new(format!("名为「{name}」的支部"), format!("a branch named “{name}”"))
        },
    })
}

#[derive(Args)]
pub struct MembersArgs {
    #[command(flatten)]
    filter: Filter,
    /// Print a JSON array of {id, name, stage, branch, ..., late: [...]}
    #[arg(long)]
    json: bool,
    /// Everyone, also those out of the register (transferred out, suspended, left, deceased):
    /// the same as --status all
    #[arg(long, conflicts_with = "status")]
    all: bool,
}

impl MembersArgs {
    /// The query the flags ask for, the branch found by `find_branch`.
    pub fn query_with(&self, find_branch: impl FnOnce(&str) -> Result<Id>) -> Result<MemberQuery> {
        let mut query = self.filter.query_with(find_branch)?;
        if self.all {
            query.status = Some(StatusFilter::All);
        }
        Ok(query)
    }

    pub fn json(&self) -> bool {
        self.json
    }
}

/// Every member the filters select, a page at a time so memory stays flat however many there are.
pub fn members(args: MembersArgs, cx: &Context) -> Result<()> {
    let session = cx.unlock()?;
    let query = args.query_with(|b| find_branch(&session, b))?;
    print_members(&session, &query, args.json, cx)
}

/// Prints every member `query` selects, as JSON or a table.
pub fn print_members(session: &Session, query: &MemberQuery, as_json: bool, cx: &Context) -> Result<()> {
    if as_json {
        let mut array = json::MemberArray::default();
        session.for_each_member_page(query, |page| {
            array.page(page, |ids| session.late_steps_of(ids))?;
            Ok(ControlFlow::Continue(()))
        })?;
        array.finish()
    } else {
        let mut table = cx.human.member_table();
        let total = session.for_each_member_page(query, |page| {
            table.page(page)?;
            Ok(ControlFlow::Continue(()))
        })?;
        table.finish(total)
    }
}
