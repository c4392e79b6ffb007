//! The committees' own wording of the procedure's documents on the server
//! (`dangan.document_templates`, version 5), checked by the workspace's `check_override` before
//! they are written; which one a document uses is the façade's (`ServerSession`).

use super::{ServerStore, failure};
use crate::Result;
use crate::access::Action;
use crate::domain::Id;

impl ServerStore {
    /// Every template this user sees: those of their committee and of the committees above it, as
    /// `(committee, document id, source)`.
    pub(crate) fn document_templates(&mut self) -> Result<Vec<(Id, String, String)>> {
        self.require(Action::ReadMembers)?;
        let address = self.address.clone();
        let read = self
            .statements
            .get(&mut self.client, "SELECT unit_id, id, source FROM dangan.document_templates ORDER BY unit_id, id")
            .map_err(|e| failure(e, &address))?;
        let rows = self.client.query(&read, &[]).map_err(|e| failure(e, &address))?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
    }

    /// A committee's own template of document `id` (checked already), replacing its earlier own.
    pub(crate) fn put_document_template(&mut self, committee: Id, id: &str, source: &str) -> Result<()> {
        self.require(Action::EditRules)?;
        let address = self.address.clone();
        let put = self
            .statements
            .get(
                &mut self.client,
                "INSERT INTO dangan.document_templates (unit_id, id, source) VALUES ($1, $2, $3)
                 ON CONFLICT (unit_id, id) DO UPDATE SET source = excluded.source",
            )
            .map_err(|e| failure(e, &address))?;
        self.client.execute(&put, &[&committee, &id, &source]).map_err(|e| failure(e, &address))?;
        Ok(())
    }

    /// Goes back to the wording above the committee's (its parent's own, or the shipped one).
    pub(crate) fn remove_document_template(&mut self, committee: Id, id: &str) -> Result<()> {
        self.require(Action::EditRules)?;
        let address = self.address.clone();
        let remove = self
            .statements
            .get(&mut self.client, "DELETE FROM dangan.document_templates WHERE unit_id = $1 AND id = $2")
            .map_err(|e| failure(e, &address))?;
        self.client.execute(&remove, &[&committee, &id]).map_err(|e| failure(e, &address))?;
        Ok(())
    }
}
