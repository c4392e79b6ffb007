//! Party groups (党小组) in the store: the groups of a branch and who belongs to each. A member
//! belongs to at most one group of their branch.

use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::access::Action;
use crate::domain::{GroupMember, Id, OrgKind, PartyGroup};
use crate::{Error, Result, Text};

/// A party group's name as it is kept: normalised, 1 to 64 characters, none forbidden.
pub(crate) fn checked_group_name(name: &str) -> Result<String> {
    let name = crate::text::normalized_name(name);
    if name.is_empty() || name.chars().count() > 64 {
        return Err(Error::invalid(
            "name",
            "党小组名称应为 1 至 64 个字",
            "a party group's name is 1 to 64 characters",
        ));
    }
    if let Some(c) = crate::text::forbidden_char(&name, false) {
        let reason = crate::text::forbidden_char_message(&Text::new("党小组名称", "group name"), c);
        return Err(Error::InvalidInput { field: "name".into(), reason });
    }
    Ok(name)
}

pub(crate) fn not_a_branch() -> Error {
    Error::invalid("unit", "党小组设在党支部之内", "a party group belongs to a branch")
}

pub(crate) fn group_name_taken(name: &str) -> Error {
    Error::invalid("name", format!("「{name}」已存在"), format!("“{name}” already exists"))
}

pub(crate) fn group_not_found() -> Error {
    Error::NotFound { what: Text::new("该党小组", "the party group") }
}

/// Someone who is not of the group's branch (`branch` its path) put in the group.
pub(crate) fn not_of_the_branch(name: &str, branch: &str) -> Error {
    Error::invalid(
        "members",
        format!("{name} 不是「{branch}」的人员，不能编入其党小组"),
        format!("{name} is not in “{branch}”: they cannot join its party group"),
    )
}

pub(crate) fn person_not_found(person: Id) -> Error {
    Error::NotFound { what: Text::new(format!("编号 {person} 的人员"), format!("person {person}")) }
}

impl Store {
    /// Makes a party group in a branch, or renames one (`id` given). Refused when the branch
    /// has a group of that name already, or the unit is not a branch.
    pub fn save_group(&mut self, id: Option<Id>, branch_id: Id, name: &str) -> Result<PartyGroup> {
        self.require(Action::EditMembers)?;
        let tree = self.org_tree()?;
        let Some(unit) = tree.get(branch_id) else {
            return Err(Error::NotFound { what: Text::new("该党支部", "the branch") });
        };
        if unit.kind != OrgKind::Branch {
            return Err(not_a_branch());
        }
        self.require_meeting_unit(&tree, branch_id)?;
        let name = checked_group_name(name)?;
        let taken: Option<Id> = self
            .conn
            .query_row(
                "SELECT id FROM party_groups WHERE branch_id = ?1 AND name = ?2",
                params![branch_id, name],
                |r| r.get(0),
            )
            .optional()?;
        if taken.is_some_and(|t| Some(t) != id) {
            return Err(group_name_taken(&name));
        }
        let id = match id {
            None => {
                self.conn.execute(
                    "INSERT INTO party_groups (branch_id, name, life_from) VALUES (?1, ?2, ?3)",
                    params![branch_id, name, self.today().to_string()],
                )?;
                self.conn.last_insert_rowid()
            }
            Some(id) => {
                let changed = self.conn.execute(
                    "UPDATE party_groups SET name = ?1 WHERE id = ?2 AND branch_id = ?3",
                    params![name, id, branch_id],
                )?;
                if changed == 0 {
                    return Err(group_not_found());
                }
                id
            }
        };
        // A new group owes its 党小组会; a renamed one is listed by its new name.
        self.drop_life_index();
        self.group(id)
    }

    /// Sets who belongs to a group: each must be of its branch; joining takes them out of any
    /// other group of the branch.
    pub fn set_group_members(&mut self, group_id: Id, people: &[Id], seen: Option<&[Id]>) -> Result<PartyGroup> {
        let tx = self.begin_change()?;
        self.require(Action::EditMembers)?;
        let group = self.group(group_id)?;
        refuse_if_members_changed(&group, seen)?;
        let tree = self.org_tree()?;
        self.require_meeting_unit(&tree, group.branch_id)?;
        for &person in people {
            let found: Option<(Id, String)> = self
                .conn
                .query_row("SELECT branch_id, name FROM people WHERE id = ?1", [person], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            match found {
                Some((branch, _)) if branch == group.branch_id => {}
                Some((_, name)) => return Err(not_of_the_branch(&name, &group.branch)),
                None => return Err(person_not_found(person)),
            }
        }
        tx.execute("DELETE FROM group_members WHERE group_id = ?1", [group_id])?;
        {
            let mut leave = tx.prepare_cached(
                "DELETE FROM group_members WHERE person_id = ?1 AND group_id IN (SELECT id FROM party_groups WHERE branch_id = ?2)",
            )?;
            let mut join = tx.prepare_cached("INSERT INTO group_members (group_id, person_id) VALUES (?1, ?2)")?;
            for &person in people {
                leave.execute(params![person, group.branch_id])?;
                join.execute(params![group_id, person])?;
            }
        }
        tx.commit()?;
        if let Some(life) = self.life.borrow_mut().as_mut() {
            life.forget_staffing();
        }
        self.group(group_id)
    }

    fn group(&self, id: Id) -> Result<PartyGroup> {
        let found: Option<(Id, String)> = self
            .conn
            .query_row("SELECT branch_id, name FROM party_groups WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((branch_id, name)) = found else {
            return Err(group_not_found());
        };
        let tree = self.org_tree()?;
        self.require_meeting_unit(&tree, branch_id)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.name FROM group_members g JOIN people p ON p.id = g.person_id WHERE g.group_id = ?1 ORDER BY p.sort_key",
        )?;
        let members = stmt
            .query_map([id], |r| Ok(GroupMember { person_id: r.get(0)?, name: r.get(1)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(PartyGroup { id, branch_id, branch: tree.path(branch_id), name, members })
    }

    /// The party groups of a unit's branches (everything the user may see when `None`).
    pub fn groups(&self, unit: Option<Id>) -> Result<Vec<PartyGroup>> {
        self.require(Action::ReadMembers)?;
        let tree = self.org_tree()?;
        let units = self.units_shown(&tree, unit)?;
        let ids: Vec<(Id, Id)> = self
            .conn
            .prepare_cached("SELECT id, branch_id FROM party_groups ORDER BY branch_id, name")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        ids.into_iter()
            .filter(|(_, branch)| units.as_ref().is_none_or(|u| u.contains(branch)))
            .map(|(id, _)| self.group(id))
            .collect()
    }
}

/// Refused when a group's members are no longer those the form was opened with (`seen`, when
/// given): the form's list replaces them whole, so saving it would undo another worker's change
/// made meanwhile (someone added, or moved to another group of the branch).
pub(crate) fn refuse_if_members_changed(group: &PartyGroup, seen: Option<&[Id]>) -> Result<()> {
    let Some(seen) = seen else { return Ok(()) };
    let mut seen = seen.to_vec();
    seen.sort_unstable();
    seen.dedup();
    let mut now: Vec<Id> = group.members.iter().map(|m| m.person_id).collect();
    now.sort_unstable();
    if now == seen {
        return Ok(());
    }
    Err(Error::ChangedMeanwhile {
        what: Text::new(format!("{}的成员", group.name), format!("the members of {}", group.name)),
        by: String::new(),
        seen: 0,
        now: 0,
    })
}
