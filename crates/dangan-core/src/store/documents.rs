//! The documents as the store serves them (issue 19): the templates, the shipped ones with an
//! office's own wording over them (`document_templates`), and the records a document is filled
//! from, read as the session's user may read them.

use std::collections::BTreeMap;

use rusqlite::params;

use super::Store;
use crate::access::Action;
use crate::calendar::Date;
use crate::documents::{self, DocumentContext, DocumentInfo, DocumentPreview, PersonFields, Template};
use crate::domain::{Id, ProcedureEvent};
use crate::rules::RuleSetId;
use crate::store::MemberDetail;
use crate::{Error, Result, Text};

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
        documents::shipped_template(id).ok_or_else(|| unknown_document(id))
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
        documents::shipped_template(id).ok_or_else(|| unknown_document(id))?;
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
        let Some(kind) = template.records() else {
            return Err(Error::invalid(
                "record_step",
                format!("{}不对应任何步骤，无从登记", documents::named(template).zh),
                format!("{} starts no step to record", documents::named(template).en),
            ));
        };
        let date = date.unwrap_or_else(|| self.today());
        self.save_event_for_many(members, &ProcedureEvent::new(kind, date))
    }

    /// What `template` is filled from for `members` on `date`: each member as the session's user
    /// may read them, in the order given. A member at a stage before the document's is refused,
    /// named (a development target's publicity is not about an applicant).
    pub fn document_context(&self, template: &Template, members: &[Id], date: Date) -> Result<DocumentContext> {
        self.require(Action::ReadMembers)?;
        if members.is_empty() {
            return Err(Error::invalid("members", "请指定文书涉及的人员", "name the people the document is about"));
        }
        if !template.batch() && members.len() > 1 {
            return Err(Error::invalid(
                "members",
                format!("{}只涉及一人（收到 {} 人）", documents::named(template).zh, members.len()),
                format!("{} is about one person ({} given)", documents::named(template).en, members.len()),
            ));
        }
        let tree = self.org_tree()?;
        let committee = tree.committee().map(|c| c.name.clone()).unwrap_or_default();
        let mut people = Vec::with_capacity(members.len());
        let mut branches = Vec::new();
        for &id in members {
            let detail = self.member(id)?;
            if let Some(stage) = template.stage().filter(|&s| detail.stage < s) {
                return Err(Error::invalid(
                    "members",
                    format!(
                        "{}（编号 {id}）尚是{}，不是{}涉及的{}",
                        detail.person.name,
                        detail.stage.label().zh,
                        documents::named(template).zh,
                        stage.label().zh
                    ),
                    format!(
                        "{} (id {id}) is still at the stage {}, before {}, which is about the stage {}",
                        detail.person.name,
                        detail.stage.label().en,
                        documents::named(template).en,
                        stage.label().en
                    ),
                ));
            }
            let p = &detail.person;
            let mut steps = PersonFields::no_steps();
            for event in &detail.events {
                steps.insert(event.kind.as_str(), Some(event.date.to_string()));
            }
            if !branches.contains(&p.branch_id) {
                branches.push(p.branch_id);
            }
            people.push(PersonFields {
                name: p.name.clone(),
                gender: p.gender.map(|g| g.label().zh.to_string()),
                ethnicity: p.ethnicity.clone(),
                birth: p.birth_date.map(|d| d.to_string()),
                education: p.education.map(|e| e.zh().to_owned()),
                native_place: p.native_place.clone(),
                department: p.department.clone(),
                class_name: p.class_name.clone(),
                student_no: p.student_no.clone(),
                id_number: p.id_number.clone(),
                phone: p.phone.clone(),
                category: p.category.map(|c| c.label().zh.to_string()),
                stage: detail.stage.label().zh.to_string(),
                branch: own_name(&detail.branch_path),
                branch_path: detail.branch_path.clone(),
                steps,
            });
        }
        // One branch: the document is that branch's; several: the committee's, and the branches
        // that acted are 各党支部 (never "…委员会委员会").
        let (branch, branch_path, by_branch) = match branches.as_slice() {
            [one] => {
                let path = tree.path(*one);
                (own_name(&path), path.clone(), own_name(&path))
            }
            several => {
                if template.one_branch() {
                    let names: Vec<String> = several.iter().map(|&b| own_name(&tree.path(b))).collect();
                    return Err(Error::invalid(
                        "members",
                        format!(
                            "{}以一个支部的名义发出，所选人员分属 {} 个支部（{}）：请按支部分别生成",
                            documents::named(template).zh,
                            names.len(),
                            names.join("、")
                        ),
                        format!(
                            "{} speaks for one branch, and the people chosen belong to {} ({}): make one per branch",
                            documents::named(template).en,
                            names.len(),
                            names.join(", ")
                        ),
                    ));
                }
                (committee.clone(), committee.clone(), "各党支部".to_owned())
            }
        };
        Ok(DocumentContext {
            committee,
            branch,
            branch_path,
            by_branch,
            date: date.to_string(),
            rules: match self.rule_set_id {
                RuleSetId::Cpc2014 => "2014",
                RuleSetId::Cpc2026 => "2026",
            }
            .to_owned(),
            clause: template.info(self.rule_set_id, false).clause,
            person: people.first().cloned(),
            people,
        })
    }
}

/// A unit's own name: the last part of its path (总支/支部 → 支部).
fn own_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_owned()
}

fn unknown_document(id: &str) -> Error {
    Error::NotFound { what: Text::new(format!("文书「{id}」"), format!("document `{id}`")) }
}
