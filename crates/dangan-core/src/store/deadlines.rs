//! Deadlines as the store lists them: every pending item of the people in scope and the
//! dashboard, computed from the in-memory procedure index (never stored), with what the worker set
//! aside (`dismissals.rs`) marked on each.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::Store;
use super::life_index::{Awaited, Awaiting, LifeIndex, LifeMember, OpenComplaint, Ower};
use super::procedure_index::ProcedureIndex;
use crate::access::Action;
use crate::appraisal::AppraisalRules;
use crate::calendar::Date;
use crate::complaints::ComplaintRule;
use crate::deadlines::{
    self, BranchCounts, Dashboard, DeadlineItem, DeadlineQuery, Fact, Owner, OwnerKey, OwnerKind, Status, StatusCounts,
};
use crate::domain::{Id, ProcedureEvent};
use crate::dues::ArrearsRule;
use crate::meeting_rules::{LapseRule, LectureRule, MeetingRule, OwedBy, TermRule};
use crate::rules::RuleSet;
use crate::rules::{DeadlineKind, DeadlineRule};
use crate::transfer::TransferRules;
use crate::workdays::WorkCalendar;
use crate::{Result, Text};

use super::dismissals::Dismissals;

/// One pending item found by a scan, before it is made into a [`DeadlineItem`] (which costs a
/// handful of strings: only the items a caller keeps are made).
pub(super) struct Found<'a> {
    pub(super) owed: Owed<'a>,
    pub(super) due: Date,
    pub(super) status: Status,
    /// Counted in working days across a year whose official calendar is not entered.
    pub(super) provisional: bool,
}

/// Who owes a found item, by which rule: a step of a person's procedure, a meeting a unit owes,
/// a branch committee's election, or a member's return to organisational life.
pub(super) enum Owed<'a> {
    Step {
        member_id: Id,
        name: &'a str,
        branch_id: Id,
        rule: &'a DeadlineRule,
    },
    Meeting {
        ower: &'a Ower,
        rule: &'a MeetingRule,
    },
    Term {
        unit_id: Id,
        rule: &'a TermRule,
    },
    Lecture {
        unit_id: Id,
        rule: &'a LectureRule,
    },
    Lapse {
        member: &'a LifeMember,
        rule: &'a LapseRule,
    },
    /// Party dues unpaid for months (党章第九条).
    Dues {
        member: &'a LifeMember,
        rule: &'a ArrearsRule,
    },
    /// What is awaited of a member: a letter's receipt from the receiving committee, a kept
    /// graduate's relationship moving on, or the outcome of a correction period.
    Receipt {
        letter: &'a Awaited,
        rule: &'a RuleSet,
    },
    /// What an open entry of the complaints register owes (a forwarding, a report back): shown to
    /// discipline inspectors only, under the committee, never naming whom it concerns.
    Complaint {
        complaint: &'a OpenComplaint,
        rule: &'static ComplaintRule,
        unit_id: Id,
    },
}

impl Found<'_> {
    pub(super) fn rule_id(&self) -> &str {
        match &self.owed {
            Owed::Step { rule, .. } => &rule.id,
            Owed::Meeting { rule, .. } => rule.kind.as_str(),
            Owed::Term { .. } => TermRule::ID,
            Owed::Lecture { .. } => LectureRule::ID,
            Owed::Lapse { .. } => LapseRule::ID,
            Owed::Dues { .. } => ArrearsRule::ID,
            Owed::Receipt { letter, rule } => awaited(letter.what, rule).id,
            Owed::Complaint { rule, .. } => rule.id,
        }
    }

    pub(super) fn kind(&self) -> DeadlineKind {
        match &self.owed {
            Owed::Step { rule, .. } => rule.kind,
            Owed::Meeting { .. } => DeadlineKind::Recurring,
            Owed::Term { .. }
            | Owed::Lapse { .. }
            | Owed::Lecture { .. }
            | Owed::Dues { .. }
            | Owed::Receipt { .. }
            | Owed::Complaint { .. } => DeadlineKind::Deadline,
        }
    }

    pub(super) fn lead_days(&self) -> &[u32] {
        match &self.owed {
            Owed::Step { rule, .. } => &rule.lead_days,
            Owed::Meeting { rule, .. } => &rule.lead_days,
            Owed::Term { rule, .. } => &rule.lead_days,
            Owed::Lecture { rule, .. } => &rule.lead_days,
            // Flagged from the day it appears: reminded then, and when overdue.
            Owed::Lapse { .. } | Owed::Dues { .. } => &LAPSE_LEAD_DAYS,
            Owed::Receipt { letter, rule } => awaited(letter.what, rule).lead_days,
            Owed::Complaint { rule, .. } => &rule.lead_days,
        }
    }

    pub(super) fn key(&self) -> OwnerKey {
        match &self.owed {
            Owed::Step { member_id, .. } => OwnerKey::Member(*member_id),
            Owed::Lapse { member, .. } | Owed::Dues { member, .. } => OwnerKey::Member(member.id),
            Owed::Receipt { letter, .. } => OwnerKey::Member(letter.person_id),
            Owed::Meeting { ower, .. } => match ower.group_id() {
                Some(group) => OwnerKey::Group { unit: ower.unit_id, group },
                None => OwnerKey::Unit(ower.unit_id),
            },
            Owed::Term { unit_id, .. } | Owed::Lecture { unit_id, .. } => OwnerKey::Unit(*unit_id),
            Owed::Complaint { complaint, .. } => OwnerKey::Complaint(complaint.id),
        }
    }

    /// Whether the item is the complaints register's (the only reminders a discipline inspector
    /// gets).
    pub(super) fn is_complaint(&self) -> bool {
        matches!(self.owed, Owed::Complaint { .. })
    }

    /// The unit whose counts and lists the item goes into.
    pub(super) fn branch_id(&self) -> Id {
        match &self.owed {
            Owed::Step { branch_id, .. } => *branch_id,
            Owed::Lapse { member, .. } | Owed::Dues { member, .. } => member.branch_id,
            Owed::Receipt { letter, .. } => letter.branch_id,
            Owed::Meeting { ower, .. } => ower.unit_id,
            Owed::Term { unit_id, .. } | Owed::Lecture { unit_id, .. } | Owed::Complaint { unit_id, .. } => *unit_id,
        }
    }

    pub(super) fn is_dismissed(&self, dismissals: &Dismissals, as_of: Date) -> bool {
        dismissals.is_dismissed(self.key(), self.rule_id(), self.due, as_of)
    }
}

/// An absence is reminded when it is first flagged (a year ahead covers any office's months).
const LAPSE_LEAD_DAYS: [u32; 1] = [366];

/// Which people and units a scan visits.
#[derive(Default)]
pub(super) struct Scope {
    pub(super) branches: Option<HashSet<Id>>,
    pub(super) member_id: Option<Id>,
    /// Only the members' items, or only the units': the other side is not scanned at all.
    pub(super) owed_by: Option<OwnerKind>,
}

impl Scope {
    pub(super) fn in_scope(&self, unit: Id) -> bool {
        self.branches.as_ref().is_none_or(|b| b.contains(&unit))
    }

    pub(super) fn members(&self) -> bool {
        self.owed_by != Some(OwnerKind::Unit)
    }

    pub(super) fn units(&self) -> bool {
        self.owed_by != Some(OwnerKind::Member) && self.member_id.is_none()
    }
}

impl Store {
    /// Runs `f` over the procedure index, building it first if needed.
    pub(super) fn with_procedure<T>(&self, f: impl FnOnce(&ProcedureIndex) -> T) -> Result<T> {
        self.forget_others_changes()?;
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
        self.with_life(|_| ())?;
        self.list_members(&crate::store::MemberQuery::default()).map(|_| ())
    }

    /// Runs `f` over the owed-meetings index, building it first if needed.
    pub(super) fn with_life<T>(&self, f: impl FnOnce(&LifeIndex) -> T) -> Result<T> {
        self.forget_others_changes()?;
        let mut slot = self.life.borrow_mut();
        let life = match slot.as_mut() {
            Some(life) => life,
            None => slot.insert(LifeIndex::load(&self.conn)?),
        };
        life.ensure_staffed(&self.conn)?;
        Ok(f(life))
    }

    /// Calls `f` with every pending item of the people in scope, and then of the units in scope
    /// (none when one member is asked for), as of a day.
    pub(super) fn scan<'s>(
        &'s self,
        index: &'s ProcedureIndex,
        life: &'s LifeIndex,
        scope: &Scope,
        as_of: Date,
        mut f: impl FnMut(Found<'s>),
    ) {
        let in_scope = |unit: Id| scope.branches.as_ref().is_none_or(|b| b.contains(&unit));
        if scope.members() {
            let steps = |(id, entry): (Id, &'s super::procedure_index::Entry)| PersonSteps {
                id,
                name: &entry.name,
                branch_id: entry.branch_id,
                facts: &entry.facts,
            };
            let people: Box<dyn Iterator<Item = PersonSteps<'s>>> = match scope.member_id {
                Some(id) => Box::new(index.get(id).map(|entry| (id, entry)).into_iter().map(steps)),
                None => Box::new(index.iter().map(steps)),
            };
            procedure_found(people.filter(|p| in_scope(p.branch_id)), &self.rules, &self.workdays, as_of, &mut f);
        }
        scan_members_life(life, &self.rules, scope, as_of, &mut f);
        if !scope.units() {
            return;
        }
        // The complaints register's items, for those who keep it: under the committee.
        if self.session_user().may.contains(&Action::HandleComplaints)
            && let Some(committee) = self.org_tree().ok().and_then(|t| t.committee().map(|c| c.id))
            && in_scope(committee)
        {
            scan_complaints(life, committee, self.work_calendar(), as_of, &mut f);
        }
        scan_owers(life, &self.rules, scope, as_of, &mut f);
    }

    /// Runs `f` over both indexes, building them first if needed.
    pub(super) fn with_indexes<T>(&self, f: impl FnOnce(&ProcedureIndex, &LifeIndex) -> T) -> Result<T> {
        self.with_life(|life| self.with_procedure(|index| f(index, life)))?
    }

    pub(super) fn scope(&self, branch_id: Option<Id>, member_id: Option<Id>) -> Result<Scope> {
        self.require(Action::ReadMembers)?;
        // A branch secretary sees only their branches' items, whatever was asked.
        let branches = self.units_shown(&self.org_tree()?, branch_id)?;
        Ok(Scope { branches, member_id, owed_by: None })
    }

    /// Every pending item matching the query, most urgent first (by due day, then owner).
    pub fn deadlines(&self, query: &DeadlineQuery) -> Result<Vec<DeadlineItem>> {
        let as_of = query.as_of.unwrap_or_else(|| self.today());
        let scope = Scope { owed_by: query.owed_by, ..self.scope(query.branch_id, query.member_id)? };
        let dismissals = self.dismissals()?;
        self.with_indexes(|index, life| {
            let mut found = Vec::new();
            self.scan(index, life, &scope, as_of, |f| {
                if wanted(query, as_of, f.kind(), f.due, f.is_dismissed(&dismissals, as_of)) {
                    found.push(f);
                }
            });
            self.make_items(found, &dismissals)
        })?
    }

    /// Makes items of what a scan found, most urgent first.
    pub(super) fn make_items(&self, found: Vec<Found<'_>>, dismissals: &Dismissals) -> Result<Vec<DeadlineItem>> {
        let tree = self.org_tree()?;
        Ok(make_items(found, dismissals, |unit| tree.path(unit)))
    }

    /// One member's pending items, computed from the events just read (no scan of everyone): the
    /// procedure's, and what organisational life, dues and transfers await of them, found and
    /// made as the scan finds and makes them, most urgent first (as a server's member page gives
    /// them).
    pub(crate) fn deadlines_of(
        &self,
        id: Id,
        (name, branch_id): (&str, Id),
        events: &[ProcedureEvent],
        tree: &super::org::OrgTree,
    ) -> Result<Vec<DeadlineItem>> {
        let facts: Vec<Fact> = events.iter().map(Fact::from).collect();
        let as_of = self.today();
        let dismissals = self.dismissals_of(id)?;
        let scope = Scope { branches: None, member_id: Some(id), owed_by: None };
        self.with_life(|life| {
            let mut found = Vec::new();
            let steps = PersonSteps { id, name, branch_id, facts: &facts };
            procedure_found([steps], &self.rules, &self.workdays, as_of, &mut |f| found.push(f));
            scan_members_life(life, &self.rules, &scope, as_of, &mut |f| found.push(f));
            make_items(found, &dismissals, |unit| tree.path(unit))
        })
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
        let (urgent, urgent_total) = self.with_indexes(|index, life| {
            let mut urgent: Vec<Found<'_>> = Vec::new();
            self.scan(index, life, &scope, as_of, |f| {
                if f.is_dismissed(&dismissals, as_of) {
                    dismissed += 1;
                    return;
                }
                totals.add(f.status);
                per_branch.entry(f.branch_id()).or_default().add(f.status);
                if matches!(f.status, Status::Overdue | Status::DueSoon) {
                    urgent.push(f);
                }
            });
            let total = urgent.len() as u32;
            // The most urgent first: the longest overdue at the top.
            if urgent.len() > Dashboard::URGENT_SHOWN {
                urgent.select_nth_unstable_by_key(Dashboard::URGENT_SHOWN, |f| (f.due, f.key()));
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

/// Calls `f` with the members' items of organisational life and what else is awaited of them
/// (an absence, dues in arrears, a letter's receipt, a kept graduate, a correction's outcome): of
/// the one member asked for, or of everyone in scope. On either engine.
pub(super) fn scan_members_life<'s>(
    life: &'s LifeIndex,
    rules: &'s RuleSet,
    scope: &Scope,
    as_of: Date,
    f: &mut dyn FnMut(Found<'s>),
) {
    if !scope.members() {
        return;
    }
    let (life_rules, dues_rules) = (rules.life(), rules.dues());
    let asked = |person: Id, branch: Id| scope.member_id.is_none_or(|m| m == person) && scope.in_scope(branch);
    let members = match scope.member_id {
        // One member's page: found by number (the members are in number order), not by a pass
        // over everyone.
        Some(id) => {
            let all = life.members();
            all.binary_search_by_key(&id, |m| m.id).map_or(&[][..], |at| std::slice::from_ref(&all[at]))
        }
        None => life.members(),
    };
    for member in members.iter().filter(|m| asked(m.id, m.branch_id)) {
        if let Some((due, status)) = absence(life, member, &life_rules.lapse, as_of) {
            f(Found { owed: Owed::Lapse { member, rule: &life_rules.lapse }, due, status, provisional: false });
        }
        if let Some((due, status)) = arrears(member, &dues_rules.arrears, as_of) {
            f(Found { owed: Owed::Dues { member, rule: &dues_rules.arrears }, due, status, provisional: false });
        }
    }
    for letter in life.awaited().iter().filter(|l| asked(l.person_id, l.branch_id)) {
        awaited_item(letter, rules, as_of, f);
    }
}

/// Calls `f` with what the units in scope owe: their meetings (each party group its 党小组会),
/// a branch committee's election and its secretary's lecture of the year. On either engine.
pub(super) fn scan_owers<'s>(
    life: &'s LifeIndex,
    rules: &'s RuleSet,
    scope: &Scope,
    as_of: Date,
    f: &mut dyn FnMut(Found<'s>),
) {
    if !scope.units() {
        return;
    }
    let life_rules = rules.life();
    for ower in life.owers().filter(|o| scope.in_scope(o.unit_id)) {
        let owed_by = if ower.group.is_some() { OwedBy::Group } else { OwedBy::Branch };
        for rule in rules.meetings().iter().filter(|r| r.owed_by == owed_by) {
            let due = rule.next_due(ower.tracked_from, ower.latest(rule.kind));
            f(Found { owed: Owed::Meeting { ower, rule }, due, status: rule.status(due, as_of), provisional: false });
        }
        let Some(secretary) = life.secretary(ower.unit_id).filter(|_| owed_by == OwedBy::Branch) else {
            continue;
        };
        // The committee's election, counted from the current secretary's post.
        if let Some(due) = crate::calendar::add_months(secretary.since, life_rules.term.months) {
            let status = deadline_status(due, as_of, &life_rules.term.lead_days);
            f(Found {
                owed: Owed::Term { unit_id: ower.unit_id, rule: &life_rules.term },
                due,
                status,
                provisional: false,
            });
        }
        // The secretary's own lecture of the year.
        if let Some(rule) = life_rules.lecture.as_ref()
            && let Some(due) = rule.next_due(secretary.since, ower.tracked_from, secretary.latest_lecture)
        {
            let status = deadline_status(due, as_of, &rule.lead_days);
            f(Found { owed: Owed::Lecture { unit_id: ower.unit_id, rule }, due, status, provisional: false });
        }
    }
}

/// Makes items of what a scan found, most urgent first; `path_of` names each unit as the lists
/// show it.
pub(super) fn make_items(
    mut found: Vec<Found<'_>>,
    dismissals: &Dismissals,
    path_of: impl Fn(Id) -> String,
) -> Vec<DeadlineItem> {
    let mut paths: HashMap<Id, Arc<str>> = HashMap::new();
    for f in &found {
        paths.entry(f.branch_id()).or_insert_with(|| path_of(f.branch_id()).into());
    }
    // Members by name; a unit by its path (a group after its unit).
    #[inline]
    fn sort_name<'f>(f: &'f Found<'_>, paths: &'f HashMap<Id, Arc<str>>) -> (u8, &'f str) {
        match &f.owed {
            Owed::Step { name, .. } => (0, name),
            Owed::Lapse { member, .. } | Owed::Dues { member, .. } => (0, &member.name),
            Owed::Receipt { letter, .. } => (0, &letter.name),
            Owed::Meeting { ower, .. } => (1, &paths[&ower.unit_id]),
            Owed::Term { unit_id, .. } | Owed::Lecture { unit_id, .. } | Owed::Complaint { unit_id, .. } => {
                (1, &paths[unit_id])
            }
        }
    }
    // Compared lazily: the due day decides most comparisons, and a sort of everyone's items
    // makes millions of them (building every key eagerly doubled the full scan's time).
    found.sort_unstable_by(|a, b| {
        a.due
            .cmp(&b.due)
            .then_with(|| sort_name(a, &paths).cmp(&sort_name(b, &paths)))
            .then_with(|| a.key().cmp(&b.key()))
            .then_with(|| a.rule_id().cmp(b.rule_id()))
    });
    let mut words = Words::default();
    found
        .iter()
        .map(|f| {
            let branch = &paths[&f.branch_id()];
            let (owner, name, clause) = match &f.owed {
                Owed::Step { member_id, name, rule, .. } => (
                    Owner::Member { member_id: *member_id, name: String::from(*name), done_by: Some(rule.done_by) },
                    &rule.name,
                    &rule.clause,
                ),
                Owed::Lapse { member, rule } => (
                    Owner::Member { member_id: member.id, name: String::from(&*member.name), done_by: None },
                    &rule.name,
                    &rule.clause,
                ),
                Owed::Dues { member, rule } => (
                    Owner::Member { member_id: member.id, name: String::from(&*member.name), done_by: None },
                    &rule.name,
                    &rule.clause,
                ),
                Owed::Receipt { letter, rule } => (
                    Owner::Member { member_id: letter.person_id, name: String::from(&*letter.name), done_by: None },
                    awaited(letter.what, rule).name,
                    awaited(letter.what, rule).clause,
                ),
                Owed::Meeting { ower, rule } => (
                    Owner::Unit {
                        unit_id: ower.unit_id,
                        unit: String::from(&**branch),
                        group_id: ower.group_id(),
                        group: ower.group.as_ref().map(|(_, name)| name.clone()),
                        meeting: Some(rule.kind),
                        complaint_id: None,
                    },
                    &rule.name,
                    &rule.clause,
                ),
                Owed::Term { unit_id, rule } => (
                    Owner::Unit {
                        unit_id: *unit_id,
                        unit: String::from(&**branch),
                        group_id: None,
                        group: None,
                        meeting: None,
                        complaint_id: None,
                    },
                    &rule.name,
                    &rule.clause,
                ),
                Owed::Complaint { complaint, rule, unit_id } => (
                    Owner::Unit {
                        unit_id: *unit_id,
                        unit: format!("{branch}（信访举报 {}）", complaint.number),
                        group_id: None,
                        group: None,
                        meeting: None,
                        complaint_id: Some(complaint.id),
                    },
                    &rule.name,
                    &rule.clause,
                ),
                Owed::Lecture { unit_id, rule } => (
                    Owner::Unit {
                        unit_id: *unit_id,
                        unit: String::from(&**branch),
                        group_id: None,
                        group: None,
                        meeting: Some(crate::domain::MeetingKind::PartyLecture),
                        complaint_id: None,
                    },
                    &rule.name,
                    &rule.clause,
                ),
            };
            let parts = words.of(ItemParts { rule: f.rule_id(), kind: f.kind(), name, clause });
            make_item(owner, f.branch_id(), branch, parts, (f.due, f.status, f.provisional), dismissals)
        })
        .collect()
}

/// A deadline's status as of a day: overdue after the due day, due soon within its largest lead.
fn deadline_status(due: Date, as_of: Date, lead_days: &[u32]) -> Status {
    let lead = lead_days.iter().copied().max().unwrap_or(30);
    let soon = as_of.checked_add_days(chrono::Days::new(u64::from(lead))).unwrap_or(as_of);
    if due < as_of {
        Status::Overdue
    } else if due <= soon {
        Status::DueSoon
    } else {
        Status::Upcoming
    }
}

/// A member's absence from organisational life as of a day, once flagged: counted from the latest
/// of their last organisational life, their admission or arrival (`member_since`), and the day
/// their branch's life began to be tracked (nothing is owed before that).
fn absence(life: &LifeIndex, member: &LifeMember, rule: &LapseRule, as_of: Date) -> Option<(Date, Status)> {
    let tracked = life.tracked_from(member.branch_id)?;
    let from = [member.last_life, member.member_since, Some(tracked)].into_iter().flatten().max()?;
    rule.flagged(from, as_of)
}

/// A member's dues in arrears as of a day, once flagged: counted from the first month neither
/// paid nor deferred (`store::dues` keeps the ledger unbroken, so that is the month after the
/// cached run).
fn arrears(member: &LifeMember, rule: &ArrearsRule, as_of: Date) -> Option<(Date, Status)> {
    let first_unpaid = member.dues_through.map_or(member.dues_from?, crate::dues::Month::next);
    rule.flagged(first_unpaid, as_of)
}

/// The item of something awaited, as of a day.
fn awaited_item<'a>(letter: &'a Awaited, rules: &'a RuleSet, as_of: Date, f: &mut dyn FnMut(Found<'a>)) {
    let what = awaited(letter.what, rules);
    let (due, status) = (what.due, deadline_status(what.due, as_of, what.lead_days));
    f(Found { owed: Owed::Receipt { letter, rule: rules }, due, status, provisional: false });
}

/// What an awaited item takes from its rules: a letter's receipt or a kept graduate's move (the
/// transfer rules), a correction period's end (the appraisal rules).
struct AwaitedRule<'r> {
    id: &'static str,
    due: Date,
    lead_days: &'r [u32],
    name: &'r Text,
    clause: &'r Text,
}

fn awaited(what: Awaiting, rules: &RuleSet) -> AwaitedRule<'_> {
    let rule = rules.transfers();
    match what {
        Awaiting::Receipt { valid_until } => AwaitedRule {
            id: TransferRules::RECEIPT_ID,
            due: rule.receipt_due(valid_until),
            lead_days: &rule.receipt_lead_days,
            name: &rule.receipt_name,
            clause: &rule.clause,
        },
        Awaiting::KeptGraduate { graduated_on } => AwaitedRule {
            id: TransferRules::KEEP_ID,
            due: rule.keep_due(graduated_on),
            lead_days: &rule.keep_lead_days,
            name: &rule.keep_name,
            clause: &rule.keep_clause,
        },
        Awaiting::Correction { until } => {
            let appraisal = rules.appraisal();
            AwaitedRule {
                id: AppraisalRules::CORRECTION_ID,
                due: until,
                lead_days: &appraisal.correction_lead_days,
                name: &appraisal.correction_name,
                clause: &appraisal.unqualified_clause,
            }
        }
    }
}

/// Whether the query asks for an item of this kind, due that day, set aside or not.
pub(super) fn wanted(query: &DeadlineQuery, as_of: Date, kind: DeadlineKind, due: Date, dismissed: bool) -> bool {
    let horizon = query.within.and_then(|d| as_of.checked_add_days(chrono::Days::new(u64::from(d))));
    // `within` asks what needs doing soon: an earliest date that opened before today is not news.
    let opened_before = kind == DeadlineKind::Earliest && due < as_of;
    !(horizon.is_some_and(|h| due > h || opened_before)
        || query.due_from.is_some_and(|from| due < from)
        || query.due_to.is_some_and(|to| due > to)
        || (dismissed && !query.include_dismissed && !query.only_dismissed)
        || (!dismissed && query.only_dismissed))
}

/// One person's steps: someone in the register who owes steps (not a member from before the
/// records: [`crate::domain::Person::joined_before_records`]).
pub(crate) struct PersonSteps<'p> {
    pub(crate) id: Id,
    pub(crate) name: &'p str,
    pub(crate) branch_id: Id,
    pub(crate) facts: &'p [Fact],
}

/// Calls `f` with what the procedure still asks of each of these people as of a day: the steps'
/// part of the scan, on either engine.
pub(super) fn procedure_found<'s, 'p: 's>(
    people: impl IntoIterator<Item = PersonSteps<'p>>,
    rules: &'s RuleSet,
    workdays: &WorkCalendar,
    as_of: Date,
    f: &mut dyn FnMut(Found<'s>),
) {
    let rules = rules.deadlines();
    let mut buffer = Vec::new();
    for person in people {
        buffer.clear();
        deadlines::pending_into(person.facts, rules, workdays, as_of, &mut buffer);
        for p in buffer.drain(..) {
            f(Found {
                owed: Owed::Step { member_id: person.id, name: person.name, branch_id: person.branch_id, rule: p.rule },
                due: p.due,
                status: p.status,
                provisional: p.provisional,
            });
        }
    }
}

/// The order a workspace's scan sorts items in (`make_items`): by due day, then members by name
/// before units by path, then owner, then rule. For items made apart and put together.
pub(crate) fn item_order(a: &DeadlineItem, b: &DeadlineItem) -> std::cmp::Ordering {
    fn name(item: &DeadlineItem) -> (u8, &str) {
        match &item.owner {
            Owner::Member { name, .. } => (0, name),
            Owner::Unit { unit, .. } => (1, unit),
        }
    }
    a.due
        .cmp(&b.due)
        .then_with(|| name(a).cmp(&name(b)))
        .then_with(|| a.owner.key().cmp(&b.owner.key()))
        .then_with(|| a.rule.cmp(&b.rule))
}

/// What an item takes from its rule.
struct ItemParts<'r> {
    rule: &'r str,
    kind: DeadlineKind,
    name: &'r Text,
    clause: &'r Text,
}

/// A rule's words as the items share them.
#[derive(Clone)]
struct RuleWords {
    rule: Arc<str>,
    kind: DeadlineKind,
    name_zh: Arc<str>,
    name_en: Arc<str>,
    clause: Arc<str>,
    clause_en: Arc<str>,
}

/// Each rule's words, made once per batch of items, found again by where the rule keeps its id
/// and name (the rules outlive the batch, so the addresses stay put).
#[derive(Default)]
struct Words {
    made: HashMap<(usize, usize), RuleWords>,
}

impl Words {
    fn of(&mut self, parts: ItemParts<'_>) -> RuleWords {
        let key = (parts.rule.as_ptr() as usize, std::ptr::from_ref(parts.name) as usize);
        self.made
            .entry(key)
            .or_insert_with(|| RuleWords {
                rule: parts.rule.into(),
                kind: parts.kind,
                name_zh: parts.name.zh.as_str().into(),
                name_en: parts.name.en.as_str().into(),
                clause: parts.clause.zh.as_str().into(),
                clause_en: parts.clause.en.as_str().into(),
            })
            .clone()
    }
}

fn make_item(
    owner: Owner,
    branch_id: Id,
    branch: &Arc<str>,
    words: RuleWords,
    (due, status, provisional): (Date, Status, bool),
    dismissals: &Dismissals,
) -> DeadlineItem {
    let dismissal = dismissals.get(owner.key(), &words.rule, due);
    DeadlineItem {
        owner,
        branch_id,
        branch: Arc::clone(branch),
        rule: words.rule,
        rule_name_zh: words.name_zh,
        rule_name_en: words.name_en,
        kind: words.kind,
        due,
        status,
        clause: words.clause,
        clause_en: words.clause_en,
        provisional,
        acknowledged: matches!(dismissal, Some(None)),
        snoozed_until: dismissal.flatten(),
    }
}
/// What the complaints register's open entries owe (a forwarding, a report back), under the unit
/// whose register it is: for those who keep it, on either engine.
pub(super) fn scan_complaints<'a>(
    life: &'a LifeIndex,
    register: Id,
    calendar: &WorkCalendar,
    as_of: Date,
    f: &mut dyn FnMut(Found<'a>),
) {
    for complaint in life.open_complaints() {
        let mut emit = |rule: &'static ComplaintRule, due: Date| {
            let status = deadline_status(due, as_of, &rule.lead_days);
            f(Found { owed: Owed::Complaint { complaint, rule, unit_id: register }, due, status, provisional: false });
        };
        if complaint.to_forward {
            emit(crate::complaints::forward_rule(), super::complaints::forward_due(calendar, complaint.received_on));
        }
        let since = complaint.reported_on.unwrap_or(complaint.received_on);
        let report = crate::calendar::add_months(since, crate::complaints::REPORT_MONTHS).unwrap_or(since);
        emit(crate::complaints::report_rule(), report);
    }
}
