//! Units found by what a user types: a number, a UUID, a name or a path of names from the top,
//! as commands name them and as a roster names its branches.

use super::ServerUnit;
use crate::domain::Id;
use crate::{Error, Result, Text};

/// A unit by its id, its name, or its path of names from the top (`/`-separated); an ambiguous
/// name is refused with the paths that would tell them apart.
pub(crate) fn unit_named(units: &[ServerUnit], wanted: &str, field: &str) -> Result<Id> {
    let wanted = wanted.trim();
    if let Some(unit) = units.iter().find(|u| wanted.parse() == Ok(u.id) || u.uid == wanted) {
        return Ok(unit.id);
    }
    let matching: Vec<&ServerUnit> = units
        .iter()
        .filter(|u| {
            let path = path_of(units, u);
            u.name == wanted || path == wanted || path.ends_with(&format!("/{wanted}"))
        })
        .collect();
    match matching.as_slice() {
        [one] => Ok(one.id),
        [] => Err(Error::NotFound { what: Text::new(format!("单位「{wanted}」"), format!("unit {wanted}")) }),
        several => {
            let paths: Vec<String> = several.iter().map(|u| path_of(units, u)).collect();
            Err(Error::invalid(
                field,
                format!("有几个单位叫「{wanted}」，请写出完整路径：{}", paths.join("、")),
                format!("several units are called {wanted}; give the whole path: {}", paths.join(", ")),
            ))
        }
    }
}

/// A unit and every unit under it, among those given.
pub(crate) fn subtree(units: &[ServerUnit], root: Id) -> std::collections::HashSet<Id> {
    let mut found = std::collections::HashSet::from([root]);
    loop {
        let before = found.len();
        let more: Vec<Id> =
            units.iter().filter(|u| u.parent_id.is_some_and(|p| found.contains(&p))).map(|u| u.id).collect();
        found.extend(more);
        if found.len() == before {
            return found;
        }
    }
}

/// A unit's names from the top, `/`-separated.
pub(crate) fn path_of(units: &[ServerUnit], unit: &ServerUnit) -> String {
    let mut names = vec![unit.name.as_str()];
    let mut parent = unit.parent_id;
    // No deeper than there are units, whatever the server holds.
    while let Some(id) = parent.filter(|_| names.len() <= units.len()) {
        let Some(up) = units.iter().find(|u| u.id == id) else { break };
        names.push(&up.name);
        parent = up.parent_id;
    }
    names.reverse();
    names.join("/")
}

/// The nearest committee at or above a unit.
pub(crate) fn committee_above(units: &[ServerUnit], id: Id) -> Option<Id> {
    let mut current = units.iter().find(|u| u.id == id)?;
    for _ in 0..=units.len() {
        if current.kind == "committee" {
            return Some(current.id);
        }
        current = units.iter().find(|u| Some(u.id) == current.parent_id)?;
    }
    None
}

/// A branch's path below its nearest committee, as a workspace gives it (`OrgTree::path`); a
/// committee's own name for a committee.
pub(crate) fn branch_path(units: &[ServerUnit], id: Id) -> String {
    let mut names = Vec::new();
    let mut current = units.iter().find(|u| u.id == id);
    while let Some(unit) = current.filter(|_| names.len() <= units.len()) {
        if unit.kind == "committee" {
            if names.is_empty() {
                names.push(unit.name.as_str());
            }
            break;
        }
        names.push(&unit.name);
        current = units.iter().find(|u| Some(u.id) == unit.parent_id);
    }
    names.reverse();
    names.join("/")
}

/// Adds a unit and returns its number. Read back by its name rather than `RETURNING`: the
/// policies check a returned row against the units the user sees, which the statement adding
/// it cannot count yet.
pub(super) fn add_unit(
    client: &mut impl postgres::GenericClient,
    parent: Id,
    kind: &str,
    name: &str,
    uid: Option<&str>,
) -> std::result::Result<Id, postgres::Error> {
    match uid {
        // A unit uploaded from a workspace keeps its UUID; a new one gets the server's.
        Some(uid) => client.execute(
            "INSERT INTO dangan.org_units (parent_id, kind, name, uid) VALUES ($1, $2, $3, $4::text::uuid)",
            &[&parent, &kind, &name, &uid],
        )?,
        None => client.execute(
            "INSERT INTO dangan.org_units (parent_id, kind, name) VALUES ($1, $2, $3)",
            &[&parent, &kind, &name],
        )?,
    };
    Ok(client
        .query_one("SELECT id FROM dangan.org_units WHERE parent_id = $1 AND name = $2", &[&parent, &name])?
        .get(0))
}

impl super::ServerStore {
    /// Adds a general branch or a branch by hand (the app's 组织), under the workspace's rules of
    /// the organisation (`org::checked_new_unit`, against `tree`: the units as the user sees
    /// them); the server's policies decide whether the user organises `parent_id`.
    pub(crate) fn add_org_unit(
        &mut self,
        tree: &[crate::domain::OrgUnit],
        parent_id: Id,
        kind: crate::domain::OrgKind,
        name: &str,
    ) -> crate::Result<crate::domain::OrgUnit> {
        self.require(crate::access::Action::EditOrganisation)?;
        let name = crate::store::org::checked_new_unit(tree, parent_id, kind, name)?;
        crate::store::org::check_unit_name(&name)?;
        let id = add_unit(&mut self.client, parent_id, kind.as_str(), &name, None)
            .map_err(|e| super::failure(e, &self.address))?;
        Ok(crate::domain::OrgUnit { id, parent_id: Some(parent_id), kind, name })
    }
}
