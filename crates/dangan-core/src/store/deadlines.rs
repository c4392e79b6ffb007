//! Deadlines as the store lists them: every pending item of the people in scope and the
//! dashboard, computed from the in-memory procedure index (never stored), with what the worker set
//! aside (`dismissals.rs`) marked on each.

use std::collections::{HashMap, HashSet};

use super::Store;
use super::procedure_index::{Entry, ProcedureIndex};
use crate::Result;
use crate::access::Action;
use crate::calendar::Date;
use crate::deadlines::{self, BranchCounts, Dashboard, DeadlineItem, DeadlineQuery, Fact, Status, StatusCounts};
use crate::domain::{Id, ProcedureEvent};
use crate::rules::DeadlineKind;

use super::dismissals::Dismissals;

/// One pending item found by a scan, before it is made into a [`DeadlineItem`] (which costs a
/// handful of strings: only the items a caller keeps are made).
pub(super) struct Found<'a> {
    pub(super) member_id: Id,
    pub(super) entry: &'a Entry,
    pub(super) pending: deadlines::Pending<'a>,
}

/// Which people a scan visits.
#[derive(Default)]
pub(super) struct Scope {
    branches: Option<HashSet<Id>>,
    member_id: Option<Id>,
}

impl Store {
    /// Runs `f` over the procedure index, building it first if needed.
    pub(super) fn with_procedure<T>(&self, f: impl FnOnce(&ProcedureIndex) -> T) -> Result<T> {
        let mut slot = self.procedure.borrow_mut();
        if slot.is_none() {
            *slot = Some(ProcedureIndex::load(&self.conn)?);
        }
        Ok(f(slot.as_ref().expect("built just above")))
    }

    /// Builds the in-memory indexes now (after unlocking, on a background thread), so the first
    /// dashboard and the first list open at once.
    pub fn warm_up(&self) -> Result<()> {
        self.with_procedure(|_| ())?;
        self.list_members(&crate::store::MemberQuery::default()).map(|_| ())
    }

    /// Calls `f` with every pending item of the people in scope, as of a day.
    pub(super) fn scan<'s>(
        &'s self,
        index: &'s ProcedureIndex,
        scope: &Scope,
        as_of: Date,
        mut f: impl FnMut(Found<'s>),
    ) {
        let rules = self.rules.deadlines();
        let mut buffer = Vec::new();
        let mut visit = |member_id: Id, entry: &'s Entry| {
            if scope.branches.as_ref().is_some_and(|b| !b.contains(&entry.branch_id)) {
                return;
            }
            buffer.clear();
            deadlines::pending_into(&entry.facts, rules, &self.workdays, as_of, &mut buffer);
            for pending in buffer.drain(..) {
                f(Found { member_id, entry, pending });
            }
        };
        match scope.member_id {
            Some(id) => {
                if let Some(entry) = index.get(id) {
                    visit(id, entry);
                }
            }
            None => index.iter().for_each(|(id, entry)| visit(id, entry)),
        }
    }

    pub(super) fn scope(&self, branch_id: Option<Id>, member_id: Option<Id>) -> Result<Scope> {
        self.require(Action::ReadMembers)?;
        // A branch secretary sees only their branches' items, whatever was asked.
        let branches = self.units_shown(&self.org_tree()?, branch_id)?;
        Ok(Scope { branches, member_id })
    }

    /// Every pending item matching the query, most urgent first (by due day, then name).
    pub fn deadlines(&self, query: &DeadlineQuery) -> Result<Vec<DeadlineItem>> {
        let as_of = query.as_of.unwrap_or_else(|| self.today());
        let scope = self.scope(query.branch_id, query.member_id)?;
        let dismissals = self.dismissals()?;
        let horizon = query.within.and_then(|d| as_of.checked_add_days(chrono::Days::new(u64::from(d))));
        self.with_procedure(|index| {
            let mut found = Vec::new();
            self.scan(index, &scope, as_of, |f| {
                let due = f.pending.due;
                // `within` asks what needs doing soon: an earliest date that opened before today
                // is not news.
                let opened_before = f.pending.rule.kind == DeadlineKind::Earliest && due < as_of;
                let dismissed = dismissals.is_dismissed(f.member_id, &f.pending.rule.id, due, as_of);
                if horizon.is_some_and(|h| due > h || opened_before)
                    || query.due_from.is_some_and(|from| due < from)
                    || query.due_to.is_some_and(|to| due > to)
                    || (dismissed && !query.include_dismissed && !query.only_dismissed)
                    || (!dismissed && query.only_dismissed)
                {
                    return;
                }
                found.push(f);
            });
            self.make_items(found, &dismissals)
        })?
    }

    /// Makes items of what a scan found, most urgent first.
    pub(super) fn make_items(&self, mut found: Vec<Found<'_>>, dismissals: &Dismissals) -> Result<Vec<DeadlineItem>> {
        found.sort_unstable_by(|a, b| {
            (a.pending.due, &a.entry.name, a.member_id, &a.pending.rule.id).cmp(&(
                b.pending.due,
                &b.entry.name,
                b.member_id,
                &b.pending.rule.id,
            ))
        });
        let tree = self.org_tree()?;
        let mut paths: HashMap<Id, String> = HashMap::new();
        Ok(found
            .iter()
            .map(|f| {
                let branch = paths.entry(f.entry.branch_id).or_insert_with(|| tree.path(f.entry.branch_id));
                make_item(f.member_id, &f.entry.name, f.entry.branch_id, branch, &f.pending, dismissals)
            })
            .collect())
    }

    /// One member's pending items, computed from the events just read (no scan of everyone).
    pub(crate) fn deadlines_of(
        &self,
        id: Id,
        name: &str,
        (branch_id, branch): (Id, &str),
        events: &[ProcedureEvent],
    ) -> Result<Vec<DeadlineItem>> {
        let facts: Vec<Fact> = events.iter().map(Fact::from).collect();
        let as_of = self.today();
        let dismissals = self.dismissals_of(id)?;
        Ok(deadlines::pending(&facts, self.rules.deadlines(), &self.workdays, as_of)
            .iter()
            .map(|p| make_item(id, name, branch_id, branch, p, &dismissals))
            .collect())
    }

    /// The 工作提醒 home screen as of a day, for the whole committee or one unit's subtree. Counts
    /// everything in one scan; only the urgent items shown are made into items.
    pub fn dashboard(&self, as_of: Option<Date>, branch_id: Option<Id>) -> Result<Dashboard> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let scope = self.scope(branch_id, None)?;
        let dismissals = self.dismissals()?;
        let mut totals = StatusCounts::default();
        let mut per_branch: HashMap<Id, StatusCounts> = HashMap::new();
        let mut dismissed = 0;
        let (urgent, urgent_total) = self.with_procedure(|index| {
            let mut urgent: Vec<Found<'_>> = Vec::new();
            self.scan(index, &scope, as_of, |f| {
                if dismissals.is_dismissed(f.member_id, &f.pending.rule.id, f.pending.due, as_of) {
                    dismissed += 1;
                    return;
                }
                totals.add(f.pending.status);
                per_branch.entry(f.entry.branch_id).or_default().add(f.pending.status);
                if matches!(f.pending.status, Status::Overdue | Status::DueSoon) {
                    urgent.push(f);
                }
            });
            let total = urgent.len() as u32;
            // The most urgent first: the longest overdue at the top.
            if urgent.len() > Dashboard::URGENT_SHOWN {
                urgent.select_nth_unstable_by_key(Dashboard::URGENT_SHOWN, |f| (f.pending.due, f.member_id));
                urgent.truncate(Dashboard::URGENT_SHOWN);
            }
            self.make_items(urgent, &dismissals).map(|items| (items, total))
        })??;
        let tree = self.org_tree()?;
        let branches = tree
            .units()
            .iter()
            .filter_map(|u| {
                per_branch.get(&u.id).map(|counts| BranchCounts {
                    branch_id: u.id,
                    branch: tree.path(u.id),
                    counts: *counts,
                })
            })
            .collect();
        Ok(Dashboard { as_of, totals, branches, urgent, urgent_total, dismissed })
    }
}

fn make_item(
    member_id: Id,
    name: &str,
    branch_id: Id,
    branch: &str,
    p: &deadlines::Pending<'_>,
    dismissals: &Dismissals,
) -> DeadlineItem {
    let dismissal = dismissals.get(member_id, &p.rule.id, p.due);
    DeadlineItem {
        member_id,
        name: name.to_owned(),
        branch_id,
        branch: branch.to_owned(),
        rule: p.rule.id.clone(),
        rule_name_zh: p.rule.name.zh.clone(),
        rule_name_en: p.rule.name.en.clone(),
        kind: p.rule.kind,
        due: p.due,
        status: p.status,
        clause: p.rule.clause.zh.clone(),
        clause_en: p.rule.clause.en.clone(),
        done_by: p.rule.done_by,
        provisional: p.provisional,
        acknowledged: matches!(dismissal, Some(None)),
        snoozed_until: dismissal.flatten(),
    }
}
