//! `dangan committee`, `dangan groups` and `dangan training`: who holds which post of a branch
//! committee, the branch's party groups and their members, and each member's study hours in a
//! year against what is asked of them (32 hours, 56 for committee members).

use clap::{Args, Subcommand};
use dangan_core::Result;
use dangan_core::domain::PostHeld;

use crate::commands::Context;
use crate::meetings::{Register, person_in_unit, split_names};
use crate::{json, parse};

#[derive(Subcommand)]
pub enum CommitteeAction {
    /// Record that a member holds a post (书记, 副书记, 组织委员, 宣传委员, 纪检委员, 青年委员, 委员)
    Add(PostArgs),
    /// The committee posts of a unit (its whole subtree), current first
    List(CommitteeListArgs),
}

#[derive(Args)]
pub struct PostArgs {
    /// The unit whose committee it is, by name or path
    #[arg(long)]
    unit: String,
    /// The post: secretary (书记), deputy_secretary (副书记), organisation (组织委员), publicity (宣传委员),
    /// discipline (纪检委员), youth (青年委员), member (委员); or the Chinese name
    #[arg(long)]
    post: String,
    /// Who holds it, by name or student number
    #[arg(long)]
    name: String,
    /// From this day
    #[arg(long, value_name = "YYYY-MM-DD")]
    since: String,
    /// Until this day (leave out while they hold it)
    #[arg(long, value_name = "YYYY-MM-DD")]
    until: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct CommitteeListArgs {
    #[arg(long)]
    unit: Option<String>,
    /// Print a JSON array of {id, unit_id, person_id, post, since, until, name, unit}
    #[arg(long)]
    json: bool,
}

/// `committee`, on a workspace or (through `open`, signing in) on the shared server.
pub fn committee<R: Register>(action: CommitteeAction, open: impl FnOnce() -> Result<R>, cx: &Context) -> Result<()> {
    let mut session = open()?;
    match action {
        CommitteeAction::Add(args) => {
            let unit = session.unit(&args.unit)?;
            let post = PostHeld {
                id: None,
                unit_id: unit,
                person_id: person_in_unit(&mut session, unit, &args.unit, &args.name)?,
                post: parse::committee_post(&args.post)?,
                since: parse::date("since", &args.since)?,
                until: parse::optional(args.until.as_deref(), |d| parse::date("until", d))?,
            };
            let record = session.save_post(post)?;
            if args.json { json::print(&record) } else { cx.human.post_saved(&record) }
        }
        CommitteeAction::List(args) => {
            let unit = parse::optional(args.unit.as_deref(), |u| session.unit(u))?;
            let posts = session.posts(unit)?;
            if args.json { json::print(&posts) } else { cx.human.posts(&posts) }
        }
    }
}

#[derive(Subcommand)]
pub enum GroupsAction {
    /// Make a party group (党小组) in a branch, with its members if given
    Add(GroupArgs),
    /// The party groups of a unit's branches, with their members
    List(CommitteeListArgs),
}

#[derive(Args)]
pub struct GroupArgs {
    /// The branch, by name or path
    #[arg(long)]
    unit: String,
    /// The group's name, e.g. 第一党小组
    #[arg(long)]
    name: String,
    /// Its members, by name or student number, separated by commas
    #[arg(long, value_name = "NAME,…")]
    members: Option<String>,
    #[arg(long)]
    json: bool,
}

/// `groups`, on a workspace or (through `open`, signing in) on the shared server.
pub fn groups<R: Register>(action: GroupsAction, open: impl FnOnce() -> Result<R>, cx: &Context) -> Result<()> {
    let mut kept = open()?;
    match action {
        GroupsAction::Add(args) => {
            let unit = kept.unit(&args.unit)?;
            let people = split_names(args.members.as_deref())
                .map(|name| person_in_unit(&mut kept, unit, &args.unit, name))
                .collect::<Result<Vec<_>>>()?;
            let mut group = kept.save_group(unit, &args.name)?;
            if !people.is_empty() {
                group = kept.set_group_members(group.id, &people)?;
            }
            if args.json { json::print(&group) } else { cx.human.groups(std::slice::from_ref(&group)) }
        }
        GroupsAction::List(args) => {
            let unit = parse::optional(args.unit.as_deref(), |u| kept.unit(u))?;
            let groups = kept.groups(unit)?;
            if args.json { json::print(&groups) } else { cx.human.groups(&groups) }
        }
    }
}
