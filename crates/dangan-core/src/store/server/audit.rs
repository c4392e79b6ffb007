//! The server's audit log, checked: the same hash chain as the workspace's (`store/audit.rs`),
//! appended by the server's trigger (`dangan.audit_change` in v1.sql), with the entry's unit as
//! one more hashed field. The hashes are recomputed here, not trusted to the server's own function.

use postgres::fallible_iterator::FallibleIterator;

use super::{ServerStore, failure};
use crate::Result;
use crate::access::Action;
use crate::backup::VerifyReport;
use crate::store::audit::ChainWalk;

impl ServerStore {
    /// Follows the whole log from its first entry. The department's administrators, organisers and
    /// auditors only (the server refuses everyone else, as a college's user cannot read the whole log).
    pub fn verify(&mut self) -> Result<VerifyReport> {
        self.require(Action::Verify)?;
        let address = self.address.clone();
        let fail = |e| failure(e, &address);
        let mut rows = self
            .client
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
        if problems.is_empty() {
            checked = walk.end().entries;
        }
        Ok(VerifyReport { problems, attachments_checked: 0, audit_entries_checked: checked })
    }
}
