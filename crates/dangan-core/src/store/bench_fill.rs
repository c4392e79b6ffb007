//! Branch life at the scale of issue 16's benchmark, written straight into a benchmark workspace:
//! everyone spread over 2,000 branches, and ten years of meetings with every member of the
//! branch attending (about 300,000 meetings and 6 million attendance rows). Only with the
//! `unencrypted-benchmarks` feature; never in the app.

use rusqlite::params;

use super::{Store, audit};
use crate::Result;
use crate::calendar::Date;
use crate::domain::{Id, MeetingKind};

/// What the fill wrote.
#[derive(Debug, Clone, Copy)]
pub struct BranchLifeFill {
    pub units: usize,
    pub meetings: usize,
    pub attendance: usize,
}

impl Store {
    /// Spreads everyone over `units` new branches (under the committee, tracked from `years`
    /// years before `until`) and gives each branch `per_year` held meetings a year over those
    /// years, each attended by all the branch's members, one in twenty on leave; the meetings
    /// of kinds the rules count as study count 2 hours.
    pub fn fill_branch_life_for_benchmarks(
        &mut self,
        units: usize,
        years: i32,
        per_year: u32,
        until: Date,
    ) -> Result<BranchLifeFill> {
        use chrono::Datelike;
        self.require(crate::access::Action::EditOrganisation)?;
        audit::suspend(&self.conn, &["org_units", "people", "meetings", "attendance"])?;
        let filled = self.fill_suspended(units, years, per_year, until.year());
        audit::resume(&self.conn)?;
        self.drop_index();
        filled
    }

    fn fill_suspended(&mut self, units: usize, years: i32, per_year: u32, last_year: i32) -> Result<BranchLifeFill> {
        let first_year = last_year - years + 1;
        let tx = self.conn.transaction()?;
        let committee: Id = tx.query_row("SELECT id FROM org_units WHERE parent_id IS NULL", [], |r| r.get(0))?;
        let mut branches = Vec::with_capacity(units);
        {
            let mut insert = tx.prepare(&format!(
                "INSERT INTO org_units (parent_id, kind, name, life_from, uid) VALUES (?1, 'branch', ?2, ?3, {})",
                super::schema::NEW_UID
            ))?;
            for i in 0..units {
                insert.execute(params![
                    committee,
                    format!("基准第{:04}党支部", i + 1),
                    format!("{first_year:04}-01-01")
                ])?;
                branches.push(tx.last_insert_rowid());
            }
        }
        let people: Vec<Id> = tx
            .prepare("SELECT id FROM people ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut members: Vec<Vec<Id>> = vec![Vec::new(); units];
        {
            let mut update = tx.prepare("UPDATE people SET branch_id = ?1 WHERE id = ?2")?;
            for (i, &person) in people.iter().enumerate() {
                let branch = i % units;
                update.execute(params![branches[branch], person])?;
                members[branch].push(person);
            }
        }
        let kinds = [
            MeetingKind::CommitteeMeeting,
            MeetingKind::ThemeDay,
            MeetingKind::GeneralMeeting,
            MeetingKind::PartyLecture,
            MeetingKind::LifeMeeting,
        ];
        let (mut meetings, mut attendance) = (0, 0);
        let mut last_life: std::collections::HashMap<Id, String> = std::collections::HashMap::new();
        {
            let mut meeting = tx.prepare(
                "INSERT INTO meetings (unit_id, kind, date, held, study_minutes) VALUES (?1, ?2, ?3, 1, ?4)",
            )?;
            let mut attend =
                tx.prepare("INSERT INTO attendance (meeting_id, person_id, attendance) VALUES (?1, ?2, ?3)")?;
            for (b, &branch) in branches.iter().enumerate() {
                for year in first_year..=last_year {
                    for n in 0..per_year {
                        let month = n * 12 / per_year.max(1) + 1;
                        let day = 1 + (n * 7 + b as u32) % 27;
                        let kind = kinds[(n as usize + b) % kinds.len()];
                        let study =
                            if matches!(kind, MeetingKind::PartyLecture | MeetingKind::ThemeDay) { 120 } else { 0 };
                        let date = format!("{year:04}-{month:02}-{day:02}");
                        meeting.execute(params![branch, kind.as_str(), date, study])?;
                        let id = tx.last_insert_rowid();
                        meetings += 1;
                        // Twenty of the branch's people at each: 300,000 meetings make 6 million rows.
                        for (k, person) in members[b].iter().take(20).enumerate() {
                            let how = if (k + n as usize).is_multiple_of(20) { "leave" } else { "present" };
                            attend.execute(params![id, person, how])?;
                            if how == "present" {
                                let last = last_life.entry(*person).or_default();
                                if *last < date {
                                    last.clone_from(&date);
                                }
                            }
                            attendance += 1;
                        }
                    }
                }
            }
        }
        {
            // The cache the meeting writes keep (`people.last_life`), written once here.
            let mut update = tx.prepare("UPDATE people SET last_life = ?1 WHERE id = ?2")?;
            for (person, date) in &last_life {
                update.execute(params![date, person])?;
            }
        }
        tx.commit()?;
        Ok(BranchLifeFill { units, meetings, attendance })
    }
}

impl Store {
    /// Ten years of monthly dues for everyone, at issue 17's scale (100,000 people, about 12
    /// million ledger months): a base from `months` months before `through`, every month paid up to
    /// `through` except one member in ten, who stopped paying four to nine months earlier. Written
    /// straight in, one statement per person, with the audit log suspended.
    pub fn fill_dues_for_benchmarks(&mut self, months: i32, through: crate::dues::Month) -> Result<u64> {
        self.require(crate::access::Action::EditMembers)?;
        audit::suspend(&self.conn, &["people", "dues_bases", "dues_months"])?;
        let filled = self.fill_dues_suspended(months, through);
        audit::resume(&self.conn)?;
        self.drop_index();
        self.drop_life_index();
        filled
    }

    fn fill_dues_suspended(&mut self, months: i32, through: crate::dues::Month) -> Result<u64> {
        let first = through.0 - months + 1;
        let tx = self.conn.transaction()?;
        // Everyone has a ledger (the scale asked for); those behind are members, whom the arrears
        // scan sees, every tenth of them.
        let people: Vec<(Id, bool)> = tx
            .prepare("SELECT id, stage IN ('probationary', 'full_member') FROM people ORDER BY id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut written = 0u64;
        let mut members = 0i32;
        {
            let mut base = tx.prepare(
                "INSERT INTO dues_bases (person_id, category, base_fen, from_month) VALUES (?1, 'salaried', 420000, ?2)",
            )?;
            let mut paid = tx.prepare(
                "WITH RECURSIVE m(month) AS (SELECT ?2 UNION ALL SELECT month + 1 FROM m WHERE month < ?3)
                 INSERT INTO dues_months (person_id, month, amount_fen, paid_on) SELECT ?1, month, 4200, '2026-01-01' FROM m",
            )?;
            let mut cache = tx.prepare("UPDATE people SET dues_from = ?2, dues_through = ?3 WHERE id = ?1")?;
            for &(id, member) in &people {
                let behind = member && members % 10 == 0;
                members += i32::from(member);
                let last = if behind { through.0 - 4 - (members / 10) % 6 } else { through.0 };
                base.execute(params![id, first])?;
                written += paid.execute(params![id, first, last])? as u64;
                cache.execute(params![id, first, last])?;
            }
        }
        tx.commit()?;
        Ok(written)
    }
}
