//! The organisation tree in the store, and how a roster's branch column finds its branch.

use std::collections::HashMap;

use rusqlite::Connection;

use super::Store;
use super::schema::NEW_UID;
use crate::calendar::Date;
use crate::domain::{Id, OrgKind, OrgUnit};
use crate::{Error, Result, Text};

/// The whole tree, loaded at once (an office has tens of units, not thousands).
#[derive(Debug, Clone)]
pub struct OrgTree {
    units: Vec<OrgUnit>,
    index: HashMap<Id, usize>,
}

/// What resolving a branch name did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedBranch {
    pub id: Id,
    /// The units this resolution created, as paths (empty when the branch existed).
    pub created: Vec<String>,
}

impl OrgTree {
    pub(crate) fn load(conn: &Connection) -> Result<OrgTree> {
        let mut stmt = conn.prepare_cached("SELECT id, parent_id, kind, name FROM org_units ORDER BY id")?;
        let units = stmt
            .query_map([], |r| {
                let kind: String = r.get(2)?;
                Ok(OrgUnit {
                    id: r.get(0)?,
                    parent_id: r.get(1)?,
                    kind: OrgKind::parse(&kind).unwrap_or(OrgKind::Branch),
                    name: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(OrgTree::new(units))
    }

    /// A tree of the given units (their ids and parents as stored).
    pub(crate) fn new(units: Vec<OrgUnit>) -> OrgTree {
        let index = units.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
        OrgTree { units, index }
    }

    pub fn units(&self) -> &[OrgUnit] {
        &self.units
    }

    pub fn get(&self, id: Id) -> Option<&OrgUnit> {
        self.index.get(&id).map(|&i| &self.units[i])
    }

    pub fn committee(&self) -> Option<&OrgUnit> {
        self.units.iter().find(|u| u.kind == OrgKind::Committee)
    }

    /// The path of a unit below the committee: `数学学院党总支/本科生第一党支部`, or just the
    /// branch name when it hangs directly under the committee.
    pub fn path(&self, id: Id) -> String {
        let mut names = Vec::new();
        let mut cursor = self.get(id);
        while let Some(unit) = cursor {
            if unit.kind == OrgKind::Committee {
                break;
            }
            names.push(unit.name.as_str());
            cursor = unit.parent_id.and_then(|p| self.get(p));
        }
        names.reverse();
        names.join("/")
    }

    /// The unit and every unit below it.
    pub fn subtree(&self, id: Id) -> Vec<Id> {
        let mut out = vec![id];
        let mut i = 0;
        while i < out.len() {
            let parent = out[i];
            out.extend(self.units.iter().filter(|u| u.parent_id == Some(parent)).map(|u| u.id));
            i += 1;
        }
        out
    }

    /// Finds a unit by path or by a name that is unique in the tree.
    pub fn find(&self, path: &str) -> Result<Option<Id>> {
        let parts = split_path(path, self.committee().map(|c| c.name.as_str()));
        match parts.as_slice() {
            [] => Ok(self.committee().map(|c| c.id)),
            [name] => {
                let found: Vec<&OrgUnit> =
                    self.units.iter().filter(|u| u.name == *name && u.kind != OrgKind::Committee).collect();
                match found.as_slice() {
                    [] => Ok(None),
                    [one] => Ok(Some(one.id)),
                    many => Err(ambiguous(name, many.iter().map(|u| self.path(u.id)).collect())),
                }
            }
            names => {
                let mut parent = self.committee().map(|c| c.id);
                for name in names {
                    parent = self.units.iter().find(|u| u.parent_id == parent && u.name == *name).map(|u| u.id);
                    if parent.is_none() {
                        return Ok(None);
                    }
                }
                Ok(parent)
            }
        }
    }
}

fn split_path<'a>(path: &'a str, committee: Option<&str>) -> Vec<&'a str> {
    let mut parts: Vec<&str> = path.split(['/', '／']).map(str::trim).filter(|s| !s.is_empty()).collect();
    if parts.len() > 1 && committee.is_some_and(|c| c == parts[0]) {
        parts.remove(0);
    }
    parts
}

fn ambiguous(name: &str, paths: Vec<String>) -> Error {
    Error::invalid(
        "branch",
        format!("有多个名为「{name}」的组织（{}），请写出完整路径，如「{}」", paths.join("、"), paths[0]),
        format!("several units are named “{name}” ({}); write the full path, such as “{}”", paths.join(", "), paths[0]),
    )
}

/// Finds the branch a roster names, creating it (and its general branch) under the committee
/// when it does not exist. People belong to branches, so a path ending at a general branch is refused.
/// A unit created here owes its meetings from `today`.
pub(crate) fn resolve_branch(conn: &Connection, tree: &mut OrgTree, path: &str, today: Date) -> Result<ResolvedBranch> {
    let path = crate::text::normalized_name(path);
    check_unit_text(&path)?;
    let path = path.as_str();
    // Messages echo the user's text cut to a readable length.
    let shown = crate::text::excerpt(path, 40);
    let committee = tree.committee().map(|c| (c.id, c.name.clone())).ok_or_else(|| Error::Corrupt {
        path: "dangan.db".into(),
        reason: Text::new("组织树中没有党委", "the organisation tree has no committee"),
    })?;
    if let Some(id) = tree.find(path)? {
        return match tree.get(id).map(|u| u.kind) {
            Some(OrgKind::Branch) => Ok(ResolvedBranch { id, created: vec![] }),
            _ => Err(Error::invalid(
                "branch",
                format!("「{shown}」不是党支部，人员只能属于党支部"),
                format!("“{shown}” is not a branch; people belong to branches"),
            )),
        };
    }
    let (general, branch) = branch_to_create(path, &committee.1)?;
    let mut created = Vec::new();
    let mut parent = committee.0;
    if let Some(general) = general {
        parent = match tree.units.iter().find(|u| u.parent_id == Some(committee.0) && u.name == general) {
            Some(u) if u.kind == OrgKind::GeneralBranch => u.id,
            Some(_) => {
                return Err(Error::invalid(
                    "branch",
                    format!("「{general}」不是党总支"),
                    format!("“{general}” is not a general branch"),
                ));
            }
            None => {
                let id = insert_unit(conn, tree, committee.0, OrgKind::GeneralBranch, general, today)?;
                created.push(general.to_owned());
                id
            }
        };
    }
    let id = insert_unit(conn, tree, parent, OrgKind::Branch, branch, today)?;
    created.push(tree.path(id));
    Ok(ResolvedBranch { id, created })
}

/// The general branch (if any) and the branch a roster's path names below the committee, for the
/// import to create when they do not exist: `支部` or `总支/支部`, the committee's own name allowed in
/// front. Either engine's import names a branch to create by this one rule.
pub(crate) fn branch_to_create<'p>(path: &'p str, committee: &str) -> Result<(Option<&'p str>, &'p str)> {
    match split_path(path, Some(committee)).as_slice() {
        [branch] => Ok((None, *branch)),
        [general, branch] => Ok((Some(*general), *branch)),
        _ => {
            let shown = crate::text::excerpt(path, 40);
            Err(Error::invalid(
                "branch",
                format!("「{shown}」不是有效的支部名称，应为「支部」或「总支/支部」"),
                format!("“{shown}” is not a branch name; write “branch” or “general branch/branch”"),
            ))
        }
    }
}

/// A unit's name: no control or text-direction character, at most 64 characters.
/// A new unit's name, normalised, once the rules of the organisation allow it under `parent_id`
/// among `units` (either engine's): a general branch under a committee, a branch under a
/// committee or a general branch, no empty name, no sibling of the same name.
pub(crate) fn checked_new_unit(units: &[OrgUnit], parent_id: Id, kind: OrgKind, name: &str) -> Result<String> {
    let name = crate::text::normalized_name(name);
    if name.is_empty() {
        return Err(Error::invalid("name", "组织名称不能为空", "the unit name is empty"));
    }
    let parent = units
        .iter()
        .find(|u| u.id == parent_id)
        .ok_or_else(|| Error::NotFound { what: Text::new("上级组织", "the parent unit") })?;
    let allowed = matches!(
        (parent.kind, kind),
        (OrgKind::Committee, OrgKind::GeneralBranch | OrgKind::Branch) | (OrgKind::GeneralBranch, OrgKind::Branch)
    );
    if !allowed {
        return Err(Error::invalid(
            "kind",
            "党总支只能设在党委下，党支部设在党委或党总支下",
            "general branches sit under the committee; branches under the committee or a general branch",
        ));
    }
    if units.iter().any(|u| u.parent_id == Some(parent_id) && u.name == name) {
        let shown = crate::text::excerpt(&name, 40);
        return Err(Error::invalid("name", format!("「{shown}」已存在"), format!("“{shown}” already exists")));
    }
    Ok(name)
}

pub(crate) fn check_unit_name(name: &str) -> Result<()> {
    check_unit_text(name)?;
    if name.chars().count() > 64 {
        let shown = crate::text::excerpt(name, 40);
        return Err(Error::invalid(
            "branch",
            format!("组织名称「{shown}」超过 64 个字"),
            format!("the unit name “{shown}” is longer than 64 characters"),
        ));
    }
    Ok(())
}

/// A unit's name (or a roster's path of names) may hold no control or text-direction character.
fn check_unit_text(name: &str) -> Result<()> {
    match crate::text::forbidden_char(name, false) {
        Some(c) => Err(Error::InvalidInput {
            field: "branch".into(),
            reason: crate::text::forbidden_char_message(&Text::new("所在支部", "branch"), c),
        }),
        None => Ok(()),
    }
}

/// Inserts a unit that owes its meetings (issue 16) from `life_from`, the day tracking begins.
fn insert_unit(
    conn: &Connection,
    tree: &mut OrgTree,
    parent: Id,
    kind: OrgKind,
    name: &str,
    life_from: Date,
) -> Result<Id> {
    check_unit_name(name)?;
    conn.execute(
        &format!("INSERT INTO org_units (parent_id, kind, name, life_from, uid) VALUES (?1, ?2, ?3, ?4, {NEW_UID})"),
        rusqlite::params![parent, kind.as_str(), name, life_from.to_string()],
    )?;
    let id = conn.last_insert_rowid();
    tree.index.insert(id, tree.units.len());
    tree.units.push(OrgUnit { id, parent_id: Some(parent), kind, name: name.to_owned() });
    Ok(id)
}

impl Store {
    /// Every unit of the organisation tree, committee first.
    pub fn org_tree(&self) -> Result<OrgTree> {
        OrgTree::load(&self.conn)
    }

    /// Adds a general branch or a branch under `parent_id`.
    pub fn add_org_unit(&mut self, parent_id: Id, kind: OrgKind, name: &str) -> Result<OrgUnit> {
        self.require(crate::access::Action::EditOrganisation)?;
        let mut tree = self.org_tree()?;
        let name = checked_new_unit(tree.units(), parent_id, kind, name)?;
        let id = insert_unit(&self.conn, &mut tree, parent_id, kind, &name, self.today())?;
        self.drop_life_index();
        Ok(OrgUnit { id, parent_id: Some(parent_id), kind, name })
    }

    /// Sets the day from which a unit owes its meetings (by default the day it was made, or the
    /// day Dangan began keeping branch life): its first owed meeting is in that day's period.
    pub fn set_life_from(&mut self, unit: Id, from: Date) -> Result<()> {
        self.require(crate::access::Action::EditOrganisation)?;
        let tree = self.org_tree()?;
        if tree.get(unit).is_none() {
            return Err(Error::NotFound {
                what: Text::new(format!("编号为 {unit} 的组织"), format!("unit {unit}"))
            });
        }
        check_life_from(from, self.today())?;
        self.conn
            .execute("UPDATE org_units SET life_from = ?1 WHERE id = ?2", rusqlite::params![from.to_string(), unit])?;
        self.drop_life_index();
        Ok(())
    }
}

/// The day a unit's branch life is tracked from: between the Party's founding and a year ahead.
pub(crate) fn check_life_from(from: Date, today: Date) -> Result<()> {
    let earliest = Date::from_ymd_opt(1921, 7, 1).unwrap_or(from);
    let latest = today.checked_add_days(chrono::Days::new(366)).unwrap_or(from);
    if from < earliest || from > latest {
        return Err(Error::invalid(
            "from",
            format!("组织生活起算日 {} 不在 1921年7月1日 至明年之间", crate::calendar::format_zh(from)),
            format!("the day branch life is tracked from, {from}, is not between 1921-07-01 and a year from today"),
        ));
    }
    Ok(())
}
