//! The documents as the store serves them (issue 19): the templates, the shipped ones with an
//! office's own wording over them (`document_templates`), and the records a document is filled
//! from, read as the session's user may read them.

use std::collections::BTreeMap;

use rusqlite::params;

use super::Store;
use crate::Result;
use crate::access::Action;
use crate::calendar::Date;
use crate::documents::{self, DocumentContext, DocumentInfo, DocumentPreview, Template};
use crate::domain::{Id, ProcedureEvent};
use crate::store::MemberDetail;

impl Store {
    /// Every document, the office's own wording where it loaded one, in the procedure's order.
    pub fn documents(&self) -> Result<Vec<DocumentInfo>> {
        self.require(Action::ReadMembers)?;
        let own = self.own_templates()?;
        Ok(documents::shipped()
            .into_iter()
            .map(|shipped| match own.get(shipped.id()) {
                Some(mine) => mine.info(self.rule_set_id, true),
                None => shipped.info(self.rule_set_id, false),
            })
            .collect())
    }

    /// The template a document is made from: the office's own, else the shipped one.
    pub fn document_template(&self, id: &str) -> Result<Template> {
        self.require(Action::ReadMembers)?;
        if let Some(mine) = self.own_templates()?.remove(id) {
            return Ok(mine);
        }
        documents::shipped_or_refused(id)
    }

    /// Loads an office's own wording of a document, replacing the shipped one (or its earlier own).
    /// A template that does not parse, names a field that does not exist, or replaces no document
    /// is refused whole, naming its line; nothing changes.
    pub fn load_document_template(&mut self, source: &str) -> Result<DocumentInfo> {
        self.require(Action::EditRules)?;
        let template = documents::check_override(source)?;
        self.conn.execute(
            "INSERT INTO document_templates (id, source) VALUES (?1, ?2)
             ON CONFLICT (id) DO UPDATE SET source = excluded.source",
            params![template.id(), template.source()],
        )?;
        Ok(template.info(self.rule_set_id, true))
    }

    /// Goes back to the shipped wording of a document.
    pub fn reset_document_template(&mut self, id: &str) -> Result<()> {
        self.require(Action::EditRules)?;
        documents::shipped_or_refused(id)?;
        self.conn.execute("DELETE FROM document_templates WHERE id = ?1", [id])?;
        Ok(())
    }

    /// The office's own templates by id. One stored by an earlier version that no longer parses is
    /// left out (the shipped wording applies) rather than locking the documents away.
    fn own_templates(&self) -> Result<BTreeMap<String, Template>> {
        let mut stmt = self.conn.prepare_cached("SELECT id, source FROM document_templates")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut own = BTreeMap::new();
        for row in rows {
            let (id, source) = row?;
            if let Ok(template) = Template::parse(&id, &source) {
                own.insert(id, template);
            }
        }
        Ok(own)
    }

    /// Document `id` about `members` (one, or a batch in one table), dated `date` (today when
    /// none), filled in: what the app shows before it is saved, and what is saved.
    pub fn preview_document(&self, id: &str, members: &[Id], date: Option<Date>) -> Result<DocumentPreview> {
        self.preview_template(&self.document_template(id)?, members, date)
    }

    /// [`Store::preview_document`] of a template already read.
    pub fn preview_template(&self, template: &Template, members: &[Id], date: Option<Date>) -> Result<DocumentPreview> {
        let date = date.unwrap_or_else(|| self.today());
        let context = self.document_context(template, members, date)?;
        let (document, provisional) = documents::render(template, &context, self.work_calendar())?;
        Ok(DocumentPreview { document, people: context.people.len(), provisional, committee: context.committee })
    }

    /// Records the step that issuing `template`'s document starts (its `records`), dated `date`
    /// (today when none), for each of `members`: all or none, each refused person named.
    pub fn record_document_step(
        &mut self,
        template: &Template,
        members: &[Id],
        date: Option<Date>,
    ) -> Result<Vec<MemberDetail>> {
        let kind = documents::step_started(template)?;
        let date = date.unwrap_or_else(|| self.today());
        self.save_event_for_many(members, &ProcedureEvent::new(kind, date))
    }

    /// What `template` is filled from for `members` on `date`: each member as the session's user
    /// may read them, in the order given (`documents::context`, the rule of both engines).
    pub fn document_context(&self, template: &Template, members: &[Id], date: Date) -> Result<DocumentContext> {
        self.require(Action::ReadMembers)?;
        let tree = self.org_tree()?;
        let committee = tree.committee().map(|c| c.name.clone()).unwrap_or_default();
        documents::context(
            template,
            members,
            date,
            documents::Records {
                member: &mut |id| self.member(id),
                path: &|unit| tree.path(unit),
                committee: &|_| committee.clone(),
                rule_set: self.rule_set_id,
            },
        )
    }
}
