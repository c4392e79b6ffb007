//! What a document is filled from, on either engine: each member as the user may read them (the
//! engine's own member page), their branches named by the engine's paths, the committee the
//! document speaks for. A person at a stage before the document's is refused, named, and people
//! of several branches where one branch speaks.

use super::{DocumentContext, PersonFields, Template, named};
use crate::calendar::Date;
use crate::domain::Id;
use crate::rules::RuleSetId;
use crate::store::MemberDetail;
use crate::{Error, Result};

/// Where a document's facts come from.
pub(crate) struct Records<'a> {
    /// Each member's page, as the user may read them.
    pub(crate) member: &'a mut dyn FnMut(Id) -> Result<MemberDetail>,
    /// A branch's path of names below its committee.
    pub(crate) path: &'a dyn Fn(Id) -> String,
    /// The committee the document speaks for, given the members' branches.
    pub(crate) committee: &'a dyn Fn(&[Id]) -> String,
    pub(crate) rule_set: RuleSetId,
}

/// What `template` is filled from for `members` (in the order given) on `date`.
pub(crate) fn context(
    template: &Template,
    members: &[Id],
    date: Date,
    records: Records<'_>,
) -> Result<DocumentContext> {
    if members.is_empty() {
        return Err(Error::invalid("members", "请指定文书涉及的人员", "name the people the document is about"));
    }
    if !template.batch() && members.len() > 1 {
        return Err(Error::invalid(
            "members",
            format!("{}只涉及一人（收到 {} 人）", named(template).zh, members.len()),
            format!("{} is about one person ({} given)", named(template).en, members.len()),
        ));
    }
    let mut people = Vec::with_capacity(members.len());
    let mut branches = Vec::new();
    for &id in members {
        let detail = (records.member)(id)?;
        if let Some(stage) = template.stage().filter(|&s| detail.stage < s) {
            return Err(Error::invalid(
                "members",
                format!(
                    "{}（编号 {id}）尚是{}，不是{}涉及的{}",
                    detail.person.name,
                    detail.stage.label().zh,
                    named(template).zh,
                    stage.label().zh
                ),
                format!(
                    "{} (id {id}) is still at the stage {}, before {}, which is about the stage {}",
                    detail.person.name,
                    detail.stage.label().en,
                    named(template).en,
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
    let committee = (records.committee)(&branches);
    // One branch: the document is that branch's; several: the committee's, and the branches
    // that acted are 各党支部 (never "…委员会委员会").
    let (branch, branch_path, by_branch) = match branches.as_slice() {
        [one] => {
            let path = (records.path)(*one);
            (own_name(&path), path.clone(), own_name(&path))
        }
        several => {
            if template.one_branch() {
                let names: Vec<String> = several.iter().map(|&b| own_name(&(records.path)(b))).collect();
                return Err(Error::invalid(
                    "members",
                    format!(
                        "{}以一个支部的名义发出，所选人员分属 {} 个支部（{}）：请按支部分别生成",
                        named(template).zh,
                        names.len(),
                        names.join("、")
                    ),
                    format!(
                        "{} speaks for one branch, and the people chosen belong to {} ({}): make one per branch",
                        named(template).en,
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
        rules: match records.rule_set {
            RuleSetId::Cpc2014 => "2014",
            RuleSetId::Cpc2026 => "2026",
        }
        .to_owned(),
        clause: template.info(records.rule_set, false).clause,
        person: people.first().cloned(),
        people,
    })
}

/// A unit's own name: the last part of its path (总支/支部 → 支部).
fn own_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_owned()
}
