//! The server's audit log, checked: the same hash chain as the workspace's (`store/audit.rs`),
//! appended at each commit by the server's triggers (`dangan.chain_at_commit` in v1.sql), with the entry's unit as
//! one more hashed field. The hashes are recomputed here, not trusted to the server's own function.

use postgres::fallible_iterator::FallibleIterator;

use super::{ServerStore, failure};
use crate::access::Action;
use crate::backup::VerifyReport;
use crate::store::audit::ChainWalk;
use crate::store::{AuditEntry, AuditPage, AuditQuery};
use crate::{Result, Text};

impl ServerStore {
    /// A page of the log, newest first, filtered as a workspace filters its own: the entries the
    /// policies let this user read (administrators and auditors, each their committee's).
    pub fn audit_log(&mut self, query: &AuditQuery) -> Result<AuditPage> {
        self.require(Action::ReadAudit)?;
        let mut clauses = vec!["true".to_owned()];
        let mut values: Vec<Box<dyn postgres::types::ToSql + Sync>> = Vec::new();
        let mut add = |clause: &str, value: Box<dyn postgres::types::ToSql + Sync>| {
            values.push(value);
            clauses.push(clause.replace('?', &format!("${}", values.len())));
        };
        if let Some(member) = query.member_id {
            add("a.member_id = ?", Box::new(member.to_string()));
        }
        if let Some(actor) = query.actor.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
            add("a.actor = ?", Box::new(actor.to_owned()));
        }
        if let Some(entity) = query.entity.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
            add("a.entity = ?", Box::new(entity.to_owned()));
        }
        if let Some(from) = query.from {
            add("substr(a.at, 1, 10) >= ?", Box::new(from.to_string()));
        }
        if let Some(to) = query.to {
            add("substr(a.at, 1, 10) <= ?", Box::new(to.to_string()));
        }
        let filter = clauses.join(" AND ");
        let params: Vec<&(dyn postgres::types::ToSql + Sync)> = values.iter().map(|v| v.as_ref()).collect();
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut tx = super::snapshot(&mut self.client).map_err(fail)?;
        let total: i64 = tx
            .query_one(&format!("SELECT count(*) FROM dangan.audit_log a WHERE {filter}"), &params)
            .map_err(fail)?
            .get(0);
        let limit = if query.limit == 0 { "ALL".to_owned() } else { query.limit.to_string() };
        let rows = tx
            .query(
                &format!(
                    "SELECT a.seq, a.at, a.actor, a.entity, a.entity_id, a.member_id, p.name, a.action, a.field, a.old, \
                     a.new, a.hash FROM dangan.audit_log a LEFT JOIN dangan.people p ON p.id::text = a.member_id \
                     WHERE {filter} ORDER BY a.seq DESC LIMIT {limit} OFFSET {}",
                    query.offset
                ),
                &params,
            )
            .map_err(fail)?;
        tx.commit().map_err(fail)?;
        let entries = rows
            .iter()
            .map(|r| AuditEntry {
                seq: r.get(0),
                at: r.get(1),
                actor: r.get(2),
                entity: r.get(3),
                entity_id: r.get(4),
                member_id: r.get::<_, Option<String>>(5).and_then(|m| m.parse().ok()),
                member_name: r.get(6),
                action: r.get(7),
                field: r.get(8),
                old: r.get(9),
                new: r.get(10),
                hash: r.get(11),
            })
            .collect();
        Ok(AuditPage { total: total.unsigned_abs(), entries })
    }

    /// Follows the whole log from its first entry. The department's administrators, organisers and
    /// auditors only (the server refuses everyone else, as a college's user cannot read the whole log).
    pub fn verify(&mut self) -> Result<VerifyReport> {
        self.require(Action::Verify)?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        // One snapshot for the log and its head, so writers appending meanwhile change neither.
        let mut tx = super::snapshot(&mut self.client).map_err(fail)?;
        let mut rows = tx
            .query_raw("SELECT seq, fields, hash FROM dangan.audit_chain()", std::iter::empty::<&str>())
            .map_err(fail)?;
        let mut walk = ChainWalk::default();
        let mut problems = Vec::new();
        let mut checked = 0;
        while let Some(row) = rows.next().map_err(fail)? {
            let seq: i64 = row.get(0);
            let fields: Vec<Option<String>> = row.get(1);
            let hash: String = row.get(2);
            let [prev, _seq, rest @ ..] = fields.as_slice() else { continue };
            let rest: Vec<Option<&str>> = rest.iter().map(Option::as_deref).collect();
            if let Some(broken) = walk.step(seq, prev.as_deref().unwrap_or_default(), &rest, &hash) {
                checked = broken.entries;
                if let Some((_, why)) = broken.broken_at {
                    problems.push(why);
                }
                break;
            }
        }
        drop(rows);
        if problems.is_empty() {
            let last = walk.last();
            checked = walk.end().entries;
            // The chain cannot see its newest entries cut off; the head, kept apart, can.
            let head = tx.query_opt("SELECT seq, hash FROM dangan.audit_head_now()", &[]).map_err(fail)?;
            if let Some(head) = head {
                let (seq, hash): (i64, String) = (head.get(0), head.get(1));
                if last.as_ref().map(|(s, h)| (*s, h.as_str())) != Some((seq, hash.as_str())) && seq > 0 {
                    let end = last.map_or(0, |(s, _)| s);
                    problems.push(Text::new(
                        format!("审计日志止于第 {end} 条，而服务器记录的最新一条是第 {seq} 条：其后的条目已被删去"),
                        format!("the audit log ends at entry {end} but the server's head is entry {seq}: the entries after it were cut off"),
                    ));
                }
            }
        }
        let (kept, kept_problems) = check_uploaded_chains(&mut tx).map_err(fail)?;
        problems.extend(kept_problems);
        Ok(VerifyReport { problems, attachments_checked: 0, audit_entries_checked: checked + kept })
    }
}

/// The workspaces' logs kept by their uploads (`dangan.uploaded_chains`): each followed from its
/// first entry to the head the server's own log recorded when it came (the log is verified
/// first), and every upload the log names still kept, and every one kept named by the log.
fn check_uploaded_chains(tx: &mut postgres::Transaction<'_>) -> std::result::Result<(u64, Vec<Text>), postgres::Error> {
    let mut rows = tx.query_raw(
        "SELECT upload_id, logged, kept, entries, head_hash, seq, fields, prev_hash, hash FROM dangan.uploaded_chains()",
        std::iter::empty::<&str>(),
    )?;
    let mut checked = 0;
    let mut problems = Vec::new();
    let mut current: Option<KeptChain> = None;
    while let Some(row) = rows.next()? {
        let upload: i64 = row.get(0);
        if current.as_ref().map(|c| c.upload) != Some(upload) {
            if let Some(done) = current.take() {
                done.end(&mut problems);
            }
            let (logged, kept): (bool, bool) = (row.get(1), row.get(2));
            if !logged {
                problems.push(Text::new(
                    format!("第 {upload} 次上传不在服务器的审计日志中：它不是经由 Dangan 上传的"),
                    format!("upload {upload} is not in the server's audit log: it did not come through Dangan"),
                ));
            } else if !kept {
                problems.push(Text::new(
                    format!("服务器的审计日志记有第 {upload} 次上传，但它保存的工作区审计日志已被删去"),
                    format!(
                        "the server's audit log records upload {upload}, but the workspace log it kept was deleted"
                    ),
                ));
            }
            let expected = (row.get::<_, Option<i64>>(3).unwrap_or(0), row.get::<_, Option<String>>(4));
            current = Some(KeptChain { upload, expected, walk: ChainWalk::default(), broken: !(logged && kept) });
        }
        let Some(chain) = current.as_mut() else { continue };
        let Some(seq) = row.get::<_, Option<i64>>(5) else { continue };
        if chain.broken {
            continue;
        }
        checked += 1;
        let fields: Vec<Option<String>> = row.get(6);
        let fields: Vec<Option<&str>> = fields.iter().map(Option::as_deref).collect();
        let (prev, hash): (String, String) = (row.get(7), row.get(8));
        if let Some((_, why)) = chain.walk.step(seq, &prev, &fields, &hash).and_then(|b| b.broken_at) {
            chain.broken = true;
            problems.push(Text::new(
                format!("第 {upload} 次上传保存的工作区审计日志：{}", why.zh),
                format!("the workspace log kept by upload {upload}: {}", why.en),
            ));
        }
    }
    if let Some(done) = current.take() {
        done.end(&mut problems);
    }
    Ok((checked, problems))
}

/// One upload's kept log being followed: the entries and head the server's log recorded, the walk
/// so far, and whether a problem with it was named already.
struct KeptChain {
    upload: i64,
    expected: (i64, Option<String>),
    walk: ChainWalk,
    broken: bool,
}

impl KeptChain {
    /// The kept log must end where the server's log said it ended when it came.
    fn end(self, problems: &mut Vec<Text>) {
        if self.broken {
            return;
        }
        let (seq, hash) = self.walk.last().unwrap_or((0, "0".repeat(64)));
        let (entries, head) = self.expected;
        if (seq, Some(hash)) != (entries, head) {
            let upload = self.upload;
            problems.push(Text::new(
                format!("第 {upload} 次上传保存的工作区审计日志止于第 {seq} 条，与上传时服务器日志记下的第 {entries} 条不符"),
                format!(
                    "the workspace log kept by upload {upload} ends at entry {seq}, not at entry {entries} as the server's log recorded when it came"
                ),
            ));
        }
    }
}
