//! The deadline engine's side of the store: listing deadlines and the dashboard (computed from the
//! in-memory procedure index, never stored), what the worker set aside (snooze, acknowledge), the
//! official holiday calendar, and an office's own rule file.

use std::collections::{HashMap, HashSet};

use rusqlite::params;

use super::Store;
use super::procedure_index::{Entry, ProcedureIndex};
use crate::access::Action;
use crate::calendar::{self, Date};
use crate::deadlines::{self, BranchCounts, Dashboard, DeadlineItem, DeadlineQuery, Fact, Status, StatusCounts};
use crate::domain::{Event, Id};
use crate::reminders::{self, Notice, Reminder, Threshold};
use crate::rules::{DeadlineKind, RuleSet};
use crate::workdays::{CalendarDay, DayKind, WorkCalendar};
use crate::{Error, Result, Text};

/// The meta key holding an office's own rule file, as loaded.
const RULES_OVERRIDE_KEY: &str = "rules_override";

/// What the worker did about items, by member: `(rule, due, until)`, `until` being `None` for an
/// acknowledgement. Looked up per person, and most people have none.
#[derive(Default)]
struct Dismissals(HashMap<Id, Vec<(String, Date, Option<Date>)>>);

impl Dismissals {
    /// `None`: not set aside; `Some(None)`: acknowledged; `Some(Some(day))`: snoozed until then.
    fn get(&self, member: Id, rule: &str, due: Date) -> Option<Option<Date>> {
        self.0.get(&member)?.iter().find(|(r, d, _)| r == rule && *d == due).map(|(_, _, until)| *until)
    }

    fn is_dismissed(&self, member: Id, rule: &str, due: Date, as_of: Date) -> bool {
        match self.get(member, rule, due) {
            None => false,
            Some(None) => true,
            Some(Some(until)) => until > as_of,
        }
    }
}

/// One pending item found by a scan, before it is made into a [`DeadlineItem`] (which costs a
/// handful of strings: only the items a caller keeps are made).
struct Found<'a> {
    member_id: Id,
    entry: &'a Entry,
    pending: deadlines::Pending<'a>,
}

/// Which people a scan visits.
#[derive(Default)]
struct Scope {
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

    fn dismissals(&self) -> Result<Dismissals> {
        self.read_dismissals("SELECT person_id, rule, due, until FROM dismissals WHERE ?1 IS NULL", None)
    }

    fn dismissals_of(&self, id: Id) -> Result<Dismissals> {
        self.read_dismissals("SELECT person_id, rule, due, until FROM dismissals WHERE person_id = ?1", Some(id))
    }

    fn read_dismissals(&self, sql: &str, id: Option<Id>) -> Result<Dismissals> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map([id], |r| {
            Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?))
        })?;
        let mut out = Dismissals::default();
        for row in rows {
            let (person, rule, due, until) = row?;
            let Some(due) = calendar::parse_iso(&due) else { continue };
            out.0.entry(person).or_default().push((rule, due, until.as_deref().and_then(calendar::parse_iso)));
        }
        Ok(out)
    }

    /// Calls `f` with every pending item of the people in scope, as of a day.
    fn scan<'s>(&'s self, index: &'s ProcedureIndex, scope: &Scope, as_of: Date, mut f: impl FnMut(Found<'s>)) {
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

    fn scope(&self, branch_id: Option<Id>, member_id: Option<Id>) -> Result<Scope> {
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
    fn make_items(&self, mut found: Vec<Found<'_>>, dismissals: &Dismissals) -> Result<Vec<DeadlineItem>> {
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
        events: &[Event],
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

    /// Sets an item aside: acknowledged (`until` is `None`: no more reminders, off the dashboard)
    /// or snoozed until a day. The item must be pending now.
    pub fn dismiss_deadline(&mut self, member_id: Id, rule: &str, due: Date, until: Option<Date>) -> Result<()> {
        self.require_member(Action::EditMembers, member_id)?;
        let today = self.today();
        if until.is_some_and(|u| u <= today) {
            return Err(Error::invalid(
                "until",
                "稍后提醒的日期须晚于今天",
                "a snooze must last until a day after today",
            ));
        }
        let pending = self.deadlines(&DeadlineQuery {
            member_id: Some(member_id),
            include_dismissed: true,
            ..Default::default()
        })?;
        if !pending.iter().any(|i| i.rule == rule && i.due == due) {
            return Err(Error::NotFound {
                what: Text::new(
                    format!("成员 {member_id} 于 {} 到期的待办「{rule}」", calendar::format_zh(due)),
                    format!("member {member_id}'s pending item `{rule}` due {due}"),
                ),
            });
        }
        self.conn.execute(
            "INSERT INTO dismissals (person_id, rule, due, until) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (person_id, rule, due) DO UPDATE SET until = excluded.until",
            params![member_id, rule, due.to_string(), until.map(|u| u.to_string())],
        )?;
        Ok(())
    }

    /// Undoes a snooze or an acknowledgement.
    pub fn restore_deadline(&mut self, member_id: Id, rule: &str, due: Date) -> Result<()> {
        self.require_member(Action::EditMembers, member_id)?;
        self.conn.execute(
            "DELETE FROM dismissals WHERE person_id = ?1 AND rule = ?2 AND due = ?3",
            params![member_id, rule, due.to_string()],
        )?;
        Ok(())
    }

    /// The reminders not sent yet as of a day: every pending deadline (not an earliest date, not
    /// set aside) that has reached a threshold no reminder of it has marked. Most urgent first.
    ///
    /// Reminders are work to do: a user who may not change records (an auditor) gets none, and a
    /// branch secretary only their branches'.
    pub fn reminders_due(&self, as_of: Option<Date>) -> Result<Vec<Reminder>> {
        if self.require(Action::EditMembers).is_err() {
            return Ok(Vec::new());
        }
        let scope = self.scope(None, None)?;
        let as_of = as_of.unwrap_or_else(|| self.today());
        let mut sent: HashMap<(Id, String, Date), i64> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT person_id, rule, due, min(threshold) FROM reminders_sent GROUP BY 1, 2, 3")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?))
        })?;
        for row in rows {
            let (person, rule, due, code) = row?;
            if let Some(due) = calendar::parse_iso(&due) {
                sent.insert((person, rule, due), code);
            }
        }
        let dismissals = self.dismissals()?;
        let items = self.with_procedure(|index| {
            let mut found = Vec::new();
            self.scan(index, &scope, as_of, |f| {
                let rule = f.pending.rule;
                if rule.kind == DeadlineKind::Earliest
                    || dismissals.is_dismissed(f.member_id, &rule.id, f.pending.due, as_of)
                {
                    return;
                }
                let Some(threshold) = Threshold::reached(f.pending.due, &rule.lead_days, as_of) else { return };
                let already = sent.get(&(f.member_id, rule.id.clone(), f.pending.due));
                if already.is_none_or(|&code| code > threshold.code()) {
                    found.push(f);
                }
            });
            self.make_items(found, &dismissals)
        })??;
        let lead_days =
            |rule: &str| self.rules.deadlines().iter().find(|r| r.id == rule).map(|r| r.lead_days.as_slice());
        Ok(items
            .into_iter()
            .filter_map(|item| {
                let threshold = Threshold::reached(item.due, lead_days(&item.rule)?, as_of)?;
                Some(Reminder { item, threshold })
            })
            .collect())
    }

    /// Sends the reminders due as of a day, as notices in `lang`, through `send`, recording each
    /// notice's reminders as sent the moment it is delivered. A failure stops there: what was
    /// delivered stays recorded, the rest is tried again next time. Returns what was delivered.
    pub fn deliver_reminders(
        &mut self,
        as_of: Option<Date>,
        lang: crate::Lang,
        mut send: impl FnMut(&Notice) -> Result<()>,
    ) -> Result<Vec<Reminder>> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let due = self.reminders_due(Some(as_of))?;
        let mut delivered = Vec::new();
        for notice in reminders::notices(&due, lang, as_of) {
            send(&notice)?;
            let covered: Vec<Reminder> = notice.covers.iter().filter_map(|&i| due.get(i).cloned()).collect();
            self.mark_reminded(&covered, as_of)?;
            delivered.extend(covered);
        }
        Ok(delivered)
    }

    /// Records reminders as sent, so they are not sent again.
    pub fn mark_reminded(&mut self, reminders: &[Reminder], on: Date) -> Result<()> {
        // Reminders are work to do (see `reminders_due`): only for who may change the records, and
        // a branch secretary only for their branches' members.
        self.require(Action::EditMembers)?;
        let mut members: Vec<Id> = reminders.iter().map(|r| r.item.member_id).collect();
        members.sort_unstable();
        members.dedup();
        for member in members {
            self.require_member(Action::EditMembers, member)?;
        }
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR IGNORE INTO reminders_sent (person_id, rule, due, threshold, sent_on) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for r in reminders {
                stmt.execute(params![
                    r.item.member_id,
                    r.item.rule,
                    r.item.due.to_string(),
                    r.threshold.code(),
                    on.to_string()
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// A random id of this workspace's calendar, made on first use: the stable part of the UIDs
    /// of exported calendar events.
    pub fn calendar_id(&self) -> Result<String> {
        // Whoever may list deadlines may write them to a calendar; the id is made on first use.
        self.require(Action::ReadMembers)?;
        let existing: Option<String> = self
            .conn
            .prepare_cached("SELECT value FROM meta WHERE key = 'calendar_id'")?
            .query_map([], |r| r.get(0))?
            .next()
            .transpose()?;
        if let Some(id) = existing {
            return Ok(id);
        }
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).map_err(|_| Error::Crypto("random source unavailable"))?;
        let id = hex::encode(bytes);
        self.conn.execute("INSERT INTO meta (key, value) VALUES ('calendar_id', ?1)", [&id])?;
        Ok(id)
    }

    /// The official calendar entered so far, by date.
    pub fn holidays(&self) -> Result<(Vec<CalendarDay>, Vec<i32>)> {
        let mut stmt = self.conn.prepare_cached("SELECT date, kind, name FROM holidays ORDER BY date")?;
        let days = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?)))?
            .filter_map(|row| match row {
                Ok((date, kind, name)) => {
                    Some(Ok(CalendarDay { date: calendar::parse_iso(&date)?, kind: DayKind::parse(&kind)?, name }))
                }
                Err(e) => Some(Err(e)),
            })
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let years = self
            .conn
            .prepare_cached("SELECT year FROM holiday_years ORDER BY year")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i32>>>()?;
        Ok((days, years))
    }

    /// Enters the official calendar of the years the days fall in, replacing what those years had.
    /// Returns the years entered.
    pub fn set_holidays(&mut self, days: &[CalendarDay]) -> Result<Vec<i32>> {
        self.require(Action::EditCalendar)?;
        use chrono::Datelike;
        let mut years: Vec<i32> = days.iter().map(|d| d.date.year()).collect();
        years.sort_unstable();
        years.dedup();
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for year in &years {
            tx.execute("DELETE FROM holidays WHERE date LIKE ?1", [format!("{year:04}-%")])?;
            tx.execute("INSERT OR IGNORE INTO holiday_years (year) VALUES (?1)", [year])?;
        }
        for day in days {
            tx.execute(
                "INSERT INTO holidays (date, kind, name) VALUES (?1, ?2, ?3)",
                params![day.date.to_string(), day.kind.as_str(), day.name],
            )?;
        }
        tx.commit()?;
        self.workdays = load_workdays(&self.conn)?;
        Ok(years)
    }

    /// Loads an office's own rule file on top of the shipped rule set, refusing a bad one whole.
    pub fn load_rules(&mut self, source: &str) -> Result<&RuleSet> {
        self.require(Action::EditRules)?;
        let rules = RuleSet::builtin(self.rule_set_id).with_overrides(source)?;
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![RULES_OVERRIDE_KEY, source],
        )?;
        self.rules = rules;
        self.rules_warning = None;
        Ok(&self.rules)
    }

    /// Goes back to the shipped rule set alone.
    pub fn reset_rules(&mut self) -> Result<()> {
        self.require(Action::EditRules)?;
        self.conn.execute("DELETE FROM meta WHERE key = ?1", [RULES_OVERRIDE_KEY])?;
        self.rules = RuleSet::builtin(self.rule_set_id);
        self.rules_warning = None;
        Ok(())
    }

    /// Why the office's own rule file is not applied, when it no longer fits the shipped rules.
    pub fn rules_warning(&self) -> Option<&Text> {
        self.rules_warning.as_ref()
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

/// The workspace's rule set: the shipped one, with the office's own file on top when loaded. A
/// stored file that no longer fits the shipped rules (after an upgrade renamed one) must not lock
/// the office out of its records: the shipped rules apply, and the warning says why.
pub(super) fn load_rules(conn: &rusqlite::Connection, shipped: RuleSet) -> Result<(RuleSet, Option<Text>)> {
    let source: Option<String> = conn
        .prepare("SELECT value FROM meta WHERE key = ?1")?
        .query_map([RULES_OVERRIDE_KEY], |r| r.get(0))?
        .next()
        .transpose()?;
    let Some(source) = source else { return Ok((shipped, None)) };
    match shipped.with_overrides(&source) {
        Ok(rules) => Ok((rules, None)),
        Err(err) => Ok((
            shipped,
            Some(Text::new(
                format!(
                    "本单位规则文件已不适用，暂按内置规则计算：{}。请改正后用 dangan rules load 重新载入，或 dangan rules reset",
                    err.message(crate::Lang::Zh)
                ),
                format!(
                    "the office's rule file no longer applies, so the shipped rules are used: {}. Correct it and load it again, or reset",
                    err.message(crate::Lang::En)
                ),
            )),
        )),
    }
}

pub(super) fn load_workdays(conn: &rusqlite::Connection) -> Result<WorkCalendar> {
    let mut days = Vec::new();
    let mut stmt = conn.prepare("SELECT date, kind FROM holidays")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (Some(date), Some(kind)) = (
            r.get_ref(0)?.as_str().ok().and_then(calendar::parse_iso),
            r.get_ref(1)?.as_str().ok().and_then(DayKind::parse),
        ) else {
            continue;
        };
        days.push((date, kind));
    }
    let years = conn
        .prepare("SELECT year FROM holiday_years")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i32>>>()?;
    Ok(WorkCalendar::new(days, years))
}
