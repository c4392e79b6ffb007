//! A workspace read whole for `dangan server upload`: its committee, units, people with their
//! steps, its audit chain as stored (checked link by link while read), and what it holds that a
//! server cannot hold yet, so that an upload is all or nothing.

use std::ops::ControlFlow;

use super::Store;
use super::audit::{ChainRow, ChainWalk};
use super::people::{PERSON_COLUMNS, corrupt_row, person_from, sort_events};
use crate::access::Action;
use crate::calendar::Date;
use crate::domain::{
    ClassRecord, EventKind, FileRecord, Id, MeetingRecord, OrgUnit, PartyGroup, Person, PostHeld, ProcedureEvent,
    StatusChange, StudyEntry,
};
use crate::rules::RuleSetId;
use crate::workdays::CalendarDay;
use crate::{Error, Result};

/// Everything an upload moves, read in one transaction.
pub(crate) struct WorkspaceContents {
    pub(crate) committee: String,
    pub(crate) rule_set: RuleSetId,
    /// The office's own rule file as loaded, if one is (a server takes the workspace only when
    /// its department loaded the same file).
    pub(crate) own_rules: Option<String>,
    /// Parents before their children, the committee first.
    pub(crate) units: Vec<OrgUnit>,
    pub(crate) people: Vec<(Person, Vec<ProcedureEvent>)>,
    /// Each unit's and each person's UUID, by number: they keep them on the server.
    pub(crate) uids: Uids,
    pub(crate) chain: Vec<ChainRow>,
    /// The entries of its complaints register: they stay until its inspector moves them
    /// (`ServerSession::upload_register`), for their key is the workspace inspectors'.
    pub(crate) complaints: u64,
    /// The workspace's users, who sign in to a server with accounts of their own.
    pub(crate) users: Vec<String>,
    /// The official calendar the office entered: its days and the years entered.
    pub(crate) calendar: (Vec<CalendarDay>, Vec<i32>),
    /// The members' items set aside: `(person, rule, due, until)`, `until` none when acknowledged.
    pub(crate) set_aside: Vec<(Id, String, Date, Option<Date>)>,
    /// The members' status changes, in date order (then as recorded).
    pub(crate) status_changes: Vec<StatusChange>,
    /// The members' files: each record (its attachments described, their bytes read when sent)
    /// with its UUID, in the order made.
    pub(crate) records: Vec<(FileRecord, String)>,
    /// The office's own wording of documents: `(document id, source)`.
    pub(crate) templates: Vec<(String, String)>,
    /// The register of branch life.
    pub(crate) life: BranchLife,
    /// The members' dues: their bases, and each month paid or deferred.
    pub(crate) dues: Dues,
    /// The graduates whose relationship is kept at the university: the person and the day they
    /// graduated.
    pub(crate) kept_graduates: Vec<(Id, Date)>,
    /// The democratic appraisals, each with its steps, participants and corrections.
    pub(crate) appraisals: Vec<KeptAppraisal>,
    /// The transfers: letters, applications, arrivals.
    pub(crate) transfers: KeptTransfers,
}

/// A workspace's transfers as an upload carries them, their days as kept (`YYYY-MM-DD`), naming the
/// workspace's numbers of people, letters and status changes.
#[derive(Default)]
pub(crate) struct KeptTransfers {
    /// In the order issued: a reissue after the letter it replaces.
    pub(crate) letters: Vec<KeptLetter>,
    pub(crate) requests: Vec<KeptRequest>,
    pub(crate) arrivals: Vec<KeptArrival>,
}

pub(crate) struct KeptLetter {
    pub(crate) id: Id,
    pub(crate) person_id: Id,
    pub(crate) number: String,
    pub(crate) destination: String,
    pub(crate) addressee: String,
    pub(crate) issued_on: String,
    pub(crate) validity_days: i32,
    pub(crate) stage: String,
    pub(crate) dues_through: Option<i32>,
    pub(crate) assessment: Option<String>,
    pub(crate) receipt_on: Option<String>,
    pub(crate) cancelled_on: Option<String>,
    pub(crate) reissue_of: Option<Id>,
    pub(crate) status_change_id: Option<Id>,
    pub(crate) cancel_change_id: Option<Id>,
    pub(crate) package_code: Option<String>,
}

pub(crate) struct KeptRequest {
    pub(crate) person_id: Id,
    pub(crate) applied_on: String,
    pub(crate) destination: String,
    pub(crate) reason: Option<String>,
    pub(crate) approved_on: Option<String>,
    pub(crate) decided_by: Option<String>,
    pub(crate) declined_on: Option<String>,
    pub(crate) declined_reason: Option<String>,
    pub(crate) letter_id: Option<Id>,
}

pub(crate) struct KeptArrival {
    pub(crate) person_id: Id,
    pub(crate) received_on: String,
    pub(crate) origin: String,
    pub(crate) letter_number: Option<String>,
    pub(crate) letter_issued_on: Option<String>,
    pub(crate) dues_through: Option<i32>,
    pub(crate) status_change_id: Option<Id>,
    pub(crate) history: Option<String>,
}

/// An appraisal as a workspace keeps it, its days as kept (`YYYY-MM-DD`), naming the workspace's
/// numbers of its unit, people and filed records.
pub(crate) struct KeptAppraisal {
    pub(crate) unit_id: Id,
    pub(crate) year: i32,
    pub(crate) opened_on: String,
    pub(crate) ballots_cast: Option<i32>,
    pub(crate) closed_on: Option<String>,
    /// `(step, day)`.
    pub(crate) steps: Vec<(String, String)>,
    pub(crate) participants: Vec<KeptParticipant>,
    pub(crate) corrections: Vec<KeptCorrection>,
}

pub(crate) struct KeptParticipant {
    pub(crate) person_id: Id,
    pub(crate) graded: bool,
    /// Excellent, qualified, basically qualified, unqualified.
    pub(crate) votes: [Option<i32>; 4],
    pub(crate) proposed: Option<String>,
    pub(crate) grade: Option<String>,
    pub(crate) reason: Option<String>,
    pub(crate) record_id: Option<Id>,
}

pub(crate) struct KeptCorrection {
    pub(crate) person_id: Id,
    pub(crate) from_on: String,
    pub(crate) months: i32,
    pub(crate) outcome: Option<String>,
    pub(crate) decided_on: Option<String>,
    pub(crate) note: Option<String>,
}

/// A workspace's party dues as an upload carries them, naming its own numbers of people.
#[derive(Default)]
pub(crate) struct Dues {
    pub(crate) bases: Vec<super::DuesBase>,
    /// By person and month.
    pub(crate) months: Vec<DuesMonth>,
}

/// A month of a member's dues as a workspace keeps it: paid (on a day, perhaps by someone) or
/// deferred (the reason).
pub(crate) struct DuesMonth {
    pub(crate) person_id: Id,
    pub(crate) month: i32,
    pub(crate) amount_fen: i64,
    pub(crate) paid_on: Option<Date>,
    pub(crate) paid_by: Option<String>,
    pub(crate) deferred: Option<String>,
}

/// A workspace's register of branch life as an upload carries it, each row naming the
/// workspace's own numbers of units, people, groups and sessions.
#[derive(Default)]
pub(crate) struct BranchLife {
    /// Each unit's day its meetings are owed from.
    pub(crate) life_from: Vec<(Id, Date)>,
    /// Each party group with the day it owes its meetings from.
    pub(crate) groups: Vec<(PartyGroup, Option<Date>)>,
    pub(crate) posts: Vec<PostHeld>,
    /// The meetings with their attendance and files (their bytes read as they are sent).
    pub(crate) meetings: Vec<MeetingRecord>,
    pub(crate) study: Vec<StudyEntry>,
    pub(crate) classes: Vec<ClassRecord>,
    /// The items units owe that were set aside: `(unit, group or 0, rule, due, until)`, `until`
    /// none when acknowledged.
    pub(crate) set_aside: Vec<(Id, Id, String, Date, Option<Date>)>,
}

/// A file an upload sends, read from the workspace as it is sent.
pub(crate) enum Scan {
    /// An attachment of a member's file record.
    Record(Id),
    /// A meeting's file.
    Meeting(Id),
}

/// The UUIDs of a workspace's units and people, by their numbers in it.
#[derive(Default)]
pub(crate) struct Uids {
    pub(crate) units: std::collections::HashMap<Id, String>,
    pub(crate) people: std::collections::HashMap<Id, String>,
}

impl Store {
    /// The whole workspace for an upload: its administrators only (it carries the audit log and
    /// every member). A chain that breaks is refused, naming the entry: nothing damaged moves.
    pub(crate) fn contents_for_upload(&self) -> Result<WorkspaceContents> {
        self.require(Action::Backup)?;
        self.require(Action::ReadAudit)?;
        // One snapshot: a change another window makes meanwhile is either wholly in it or not.
        let snapshot = self.conn.unchecked_transaction()?;
        let tree = self.org_tree()?;
        let committee = tree.committee().ok_or_else(|| corrupt_row("org_units", 0))?;
        let mut units = vec![committee.clone()];
        while units.len() < tree.units().len() {
            let next: Vec<OrgUnit> = tree
                .units()
                .iter()
                .filter(|u| !units.iter().any(|done| done.id == u.id))
                .filter(|u| u.parent_id.is_some_and(|p| units.iter().any(|done| done.id == p)))
                .cloned()
                .collect();
            if next.is_empty() {
                return Err(corrupt_row("org_units", 0));
            }
            units.extend(next);
        }
        let mut uids = Uids::default();
        for (table, into) in [("org_units", &mut uids.units), ("people", &mut uids.people)] {
            let mut stmt = self.conn.prepare(&format!("SELECT id, uid FROM {table}"))?;
            for row in stmt.query_map([], |r| Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?)))? {
                let (id, uid) = row?;
                into.insert(id, uid);
            }
        }
        let mut people = Vec::new();
        let mut stmt = self.conn.prepare(&format!("SELECT {PERSON_COLUMNS} FROM people ORDER BY id"))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let person = person_from(r.get(0)?, r.get(1)?, r.get(2)?, r.get(15)?, |i| r.get::<_, Option<String>>(i))?;
            people.push((person, Vec::new()));
        }
        let index: std::collections::HashMap<Id, usize> =
            people.iter().enumerate().filter_map(|(i, (p, _))| p.id.map(|id| (id, i))).collect();
        let mut stmt = self.conn.prepare("SELECT id, person_id, kind, date, months, note FROM events")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: Id = r.get(0)?;
            let bad = || corrupt_row("events", id);
            let kind = EventKind::parse(&r.get::<_, String>(2)?).ok_or_else(bad)?;
            let date = r.get::<_, String>(3)?.parse::<Date>().map_err(|_| bad())?;
            let event = ProcedureEvent { id: Some(id), kind, date, months: r.get(4)?, note: r.get(5)? };
            let slot = index.get(&r.get::<_, Id>(1)?).ok_or_else(bad)?;
            people[*slot].1.push(event);
        }
        for (_, events) in &mut people {
            sort_events(events);
        }
        let mut chain = Vec::new();
        let mut walk = ChainWalk::default();
        let mut broken = None;
        self.each_chain_row(|row| {
            broken = walk.step(row.seq, &row.prev_hash, &row.field_refs(), &row.hash);
            chain.push(row);
            Ok(if broken.is_some() { ControlFlow::Break(()) } else { ControlFlow::Continue(()) })
        })?;
        if let Some((seq, why)) = broken.and_then(|b| b.broken_at) {
            return Err(Error::invalid(
                "workspace",
                format!("工作区的审计日志在第 {seq} 条断开（{}），没有上传任何内容；请先用 dangan verify 查明", why.zh),
                format!(
                    "the workspace's audit log breaks at entry {seq} ({}); nothing was uploaded: run dangan verify",
                    why.en
                ),
            ));
        }
        let complaints: i64 = self.conn.query_row("SELECT count(*) FROM complaints", [], |r| r.get(0))?;
        let mut set_aside = Vec::new();
        let mut stmt = self.conn.prepare("SELECT person_id, rule, due, until FROM dismissals ORDER BY 1, 2, 3")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let bad = || corrupt_row("dismissals", r.get::<_, Id>(0).unwrap_or_default());
            let due = r.get::<_, String>(2)?.parse::<Date>().map_err(|_| bad())?;
            let until = match r.get::<_, Option<String>>(3)? {
                Some(day) => Some(day.parse::<Date>().map_err(|_| bad())?),
                None => None,
            };
            set_aside.push((r.get(0)?, r.get(1)?, due, until));
        }
        let mut status_changes = Vec::new();
        let mut stmt = self.conn.prepare("SELECT DISTINCT person_id FROM status_changes ORDER BY 1")?;
        let people_changed: Vec<Id> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        for person in people_changed {
            status_changes.extend(super::status::load_history(&self.conn, person)?);
        }
        let mut records = Vec::new();
        let mut stmt = self.conn.prepare("SELECT DISTINCT person_id FROM records ORDER BY 1")?;
        let people_with_files: Vec<Id> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let mut uid_of = self.conn.prepare("SELECT uid FROM records WHERE id = ?1")?;
        for person in people_with_files {
            for record in self.records(person)? {
                let uid: String = uid_of.query_row([record.id], |r| r.get(0))?;
                records.push((record, uid));
            }
        }
        records.sort_by_key(|(r, _)| r.id);
        let mut stmt = self.conn.prepare("SELECT id, source FROM document_templates ORDER BY id")?;
        let templates = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        let users = self.users()?.into_iter().map(|u| u.name).collect();
        let calendar = self.holidays()?;
        let life = self.branch_life_for_upload()?;
        let dues = self.dues_for_upload()?;
        let appraisals = self.appraisals_for_upload()?;
        let transfers = self.transfers_for_upload()?;
        let mut kept_graduates = Vec::new();
        let mut stmt = self.conn.prepare("SELECT person_id, graduated_on FROM kept_graduates ORDER BY 1")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?)))? {
            let (person, day) = row?;
            kept_graduates.push((person, day.parse::<Date>().map_err(|_| corrupt_row("kept_graduates", person))?));
        }
        snapshot.finish()?;
        Ok(WorkspaceContents {
            committee: committee.name.clone(),
            rule_set: self.rule_set_id,
            own_rules: self.own_rules_source()?,
            units,
            people,
            uids,
            chain,
            complaints: complaints.unsigned_abs(),
            users,
            calendar,
            set_aside,
            status_changes,
            records,
            templates,
            life,
            dues,
            appraisals,
            kept_graduates,
            transfers,
        })
    }

    /// Every letter, application and arrival, for an upload (in the caller's snapshot).
    fn transfers_for_upload(&self) -> Result<KeptTransfers> {
        let mut kept = KeptTransfers::default();
        let mut stmt = self.conn.prepare(
            "SELECT id, person_id, number, destination, addressee, issued_on, validity_days, stage, dues_through,
                    assessment, receipt_on, cancelled_on, reissue_of, status_change_id, cancel_change_id, package_code
             FROM transfer_letters ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            kept.letters.push(KeptLetter {
                id: r.get(0)?,
                person_id: r.get(1)?,
                number: r.get(2)?,
                destination: r.get(3)?,
                addressee: r.get(4)?,
                issued_on: r.get(5)?,
                validity_days: r.get(6)?,
                stage: r.get(7)?,
                dues_through: r.get(8)?,
                assessment: r.get(9)?,
                receipt_on: r.get(10)?,
                cancelled_on: r.get(11)?,
                reissue_of: r.get(12)?,
                status_change_id: r.get(13)?,
                cancel_change_id: r.get(14)?,
                package_code: r.get(15)?,
            });
        }
        let mut stmt = self.conn.prepare(
            "SELECT person_id, applied_on, destination, reason, approved_on, decided_by, declined_on, declined_reason,
                    letter_id
             FROM transfer_requests ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            kept.requests.push(KeptRequest {
                person_id: r.get(0)?,
                applied_on: r.get(1)?,
                destination: r.get(2)?,
                reason: r.get(3)?,
                approved_on: r.get(4)?,
                decided_by: r.get(5)?,
                declined_on: r.get(6)?,
                declined_reason: r.get(7)?,
                letter_id: r.get(8)?,
            });
        }
        let mut stmt = self.conn.prepare(
            "SELECT person_id, received_on, origin, letter_number, letter_issued_on, dues_through, status_change_id,
                    history
             FROM arrivals ORDER BY person_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            kept.arrivals.push(KeptArrival {
                person_id: r.get(0)?,
                received_on: r.get(1)?,
                origin: r.get(2)?,
                letter_number: r.get(3)?,
                letter_issued_on: r.get(4)?,
                dues_through: r.get(5)?,
                status_change_id: r.get(6)?,
                history: r.get(7)?,
            });
        }
        Ok(kept)
    }

    /// Every appraisal whole, for an upload (in the caller's snapshot).
    fn appraisals_for_upload(&self) -> Result<Vec<KeptAppraisal>> {
        let mut out = Vec::new();
        let mut heads = self
            .conn
            .prepare("SELECT id, unit_id, year, opened_on, ballots_cast, closed_on FROM appraisals ORDER BY id")?;
        let mut steps = self.conn.prepare("SELECT step, date FROM appraisal_steps WHERE appraisal_id = ?1")?;
        let mut members = self.conn.prepare(
            "SELECT person_id, graded, excellent, qualified, basically_qualified, unqualified, proposed, grade, reason,
                    record_id
             FROM appraisal_members WHERE appraisal_id = ?1 ORDER BY person_id",
        )?;
        let mut corrections = self.conn.prepare(
            "SELECT person_id, from_on, months, outcome, decided_on, note FROM corrections WHERE appraisal_id = ?1
             ORDER BY person_id",
        )?;
        let mut rows = heads.query([])?;
        while let Some(r) = rows.next()? {
            let id: Id = r.get(0)?;
            let steps = steps.query_map([id], |s| Ok((s.get(0)?, s.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
            let participants = members
                .query_map([id], |m| {
                    Ok(KeptParticipant {
                        person_id: m.get(0)?,
                        graded: m.get(1)?,
                        votes: [m.get(2)?, m.get(3)?, m.get(4)?, m.get(5)?],
                        proposed: m.get(6)?,
                        grade: m.get(7)?,
                        reason: m.get(8)?,
                        record_id: m.get(9)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            let corrections = corrections
                .query_map([id], |c| {
                    Ok(KeptCorrection {
                        person_id: c.get(0)?,
                        from_on: c.get(1)?,
                        months: c.get(2)?,
                        outcome: c.get(3)?,
                        decided_on: c.get(4)?,
                        note: c.get(5)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            out.push(KeptAppraisal {
                unit_id: r.get(1)?,
                year: r.get(2)?,
                opened_on: r.get(3)?,
                ballots_cast: r.get(4)?,
                closed_on: r.get(5)?,
                steps,
                participants,
                corrections,
            });
        }
        Ok(out)
    }

    /// Every member's dues, for an upload (in the caller's snapshot).
    fn dues_for_upload(&self) -> Result<Dues> {
        let mut dues = Dues::default();
        let mut stmt =
            self.conn.prepare("SELECT person_id, category, base_fen, from_month FROM dues_bases ORDER BY 1, 4")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let person_id: Id = r.get(0)?;
            let category = crate::domain::DuesCategory::parse(&r.get::<_, String>(1)?)
                .ok_or_else(|| corrupt_row("dues_bases", person_id))?;
            dues.bases.push(super::DuesBase {
                person_id,
                category,
                base_fen: r.get(2)?,
                from_month: crate::dues::Month(r.get(3)?),
            });
        }
        let mut stmt = self.conn.prepare(
            "SELECT person_id, month, amount_fen, paid_on, paid_by, deferred FROM dues_months ORDER BY 1, 2",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let person_id: Id = r.get(0)?;
            let paid_on = match r.get::<_, Option<String>>(3)? {
                Some(day) => Some(day.parse::<Date>().map_err(|_| corrupt_row("dues_months", person_id))?),
                None => None,
            };
            dues.months.push(DuesMonth {
                person_id,
                month: r.get(1)?,
                amount_fen: r.get(2)?,
                paid_on,
                paid_by: r.get(4)?,
                deferred: r.get(5)?,
            });
        }
        Ok(dues)
    }

    /// The register of branch life, whole, for an upload (in the caller's snapshot).
    fn branch_life_for_upload(&self) -> Result<BranchLife> {
        let dates = |sql: &str, table: &'static str| -> Result<Vec<(Id, Option<Date>)>> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, Id>(0)?, r.get::<_, Option<String>>(1)?)))?;
            let mut out = Vec::new();
            for row in rows {
                let (id, day) = row?;
                let day = match day {
                    Some(day) => Some(day.parse::<Date>().map_err(|_| corrupt_row(table, id))?),
                    None => None,
                };
                out.push((id, day));
            }
            Ok(out)
        };
        let life_from = dates("SELECT id, life_from FROM org_units ORDER BY id", "org_units")?
            .into_iter()
            .filter_map(|(id, day)| Some((id, day?)))
            .collect();
        let group_days: std::collections::HashMap<Id, Option<Date>> =
            dates("SELECT id, life_from FROM party_groups", "party_groups")?.into_iter().collect();
        let groups = self
            .groups(None)?
            .into_iter()
            .map(|g| {
                let day = group_days.get(&g.id).copied().flatten();
                (g, day)
            })
            .collect();
        let mut study = Vec::new();
        let mut stmt =
            self.conn.prepare("SELECT id, person_id, date, minutes, title, source FROM study_entries ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: Id = r.get(0)?;
            let date = r.get::<_, String>(2)?.parse::<Date>().map_err(|_| corrupt_row("study_entries", id))?;
            study.push(StudyEntry {
                id: Some(id),
                person_id: r.get(1)?,
                date,
                minutes: r.get(3)?,
                title: r.get(4)?,
                source: r.get(5)?,
            });
        }
        let mut set_aside = Vec::new();
        let mut stmt =
            self.conn.prepare("SELECT unit_id, group_id, rule, due, until FROM unit_dismissals ORDER BY 1, 2, 3, 4")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let bad = || corrupt_row("unit_dismissals", r.get::<_, Id>(0).unwrap_or_default());
            let due = r.get::<_, String>(3)?.parse::<Date>().map_err(|_| bad())?;
            let until = match r.get::<_, Option<String>>(4)? {
                Some(day) => Some(day.parse::<Date>().map_err(|_| bad())?),
                None => None,
            };
            set_aside.push((r.get(0)?, r.get(1)?, r.get(2)?, due, until));
        }
        Ok(BranchLife {
            set_aside,
            life_from,
            groups,
            posts: self.posts(None)?.into_iter().map(|p| p.held).collect(),
            meetings: self.meetings(&super::MeetingQuery::default())?,
            study,
            classes: self.classes(None, None)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::Workspace;
    use crate::domain::{OrgKind, Person};
    use crate::keys::KdfParams;
    use crate::workspace::NewWorkspace;

    #[test]
    fn a_workspace_is_read_whole_parents_first_and_a_broken_log_is_refused_naming_the_entry() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::at(dir.path().join("ws"));
        let new = NewWorkspace { kdf: KdfParams::FOR_TESTS, ..NewWorkspace::new("passphrase-1", "党委") };
        let mut store = ws.create(&new).unwrap();
        let committee = store.org_tree().unwrap().committee().unwrap().id;
        let general = store.add_org_unit(committee, OrgKind::GeneralBranch, "数学总支").unwrap().id;
        let branch = store.add_org_unit(general, OrgKind::Branch, "第一党支部").unwrap().id;
        store.save_person(Person { branch_id: branch, name: "张三".into(), ..Person::default() }).unwrap();

        let contents = store.contents_for_upload().unwrap();
        assert_eq!(contents.committee, "党委");
        let names: Vec<&str> = contents.units.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["党委", "数学总支", "第一党支部"], "each unit after its parent");
        assert_eq!(contents.people.len(), 1);
        assert_eq!(contents.complaints, 0);
        let last = contents.chain.last().unwrap();
        assert_eq!(usize::try_from(last.seq).unwrap(), contents.chain.len());

        store
            .conn
            .execute_batch(
                "DROP TRIGGER audit_log_is_append_only_update; UPDATE audit_log SET actor = 'x' WHERE seq = 2;",
            )
            .unwrap();
        let err = store.contents_for_upload().err().unwrap();
        assert!(err.message(crate::Lang::En).contains("breaks at entry 2"), "{err}");
    }
}
