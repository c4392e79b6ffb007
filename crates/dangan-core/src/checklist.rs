//! The checklist of a member's file (材料目录): which materials a complete file holds once each
//! procedure step is recorded, in the archive's order, and which of them this member's file has.
//! The list is data (`rules/checklist.toml`), read the way the rule sets are.

use serde::{Deserialize, Serialize};

use crate::calendar::Date;
use crate::domain::{EventKind, FileRecord, Id, ProcedureEvent, RecordKind};
use crate::{Error, Text};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChecklistFile {
    material: Vec<MaterialEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MaterialEntry {
    id: String,
    name_zh: String,
    name_en: String,
    record: RecordKind,
    event: Option<EventKind>,
    when: EventKind,
}

/// One material a complete file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Material {
    pub id: String,
    pub name: Text,
    pub record: RecordKind,
    /// The step the record must document, when two materials share a kind.
    pub event: Option<EventKind>,
    /// Expected once this step is recorded.
    pub when: EventKind,
}

/// The shipped checklist, parsed once per process.
pub fn materials() -> &'static [Material] {
    static MATERIALS: std::sync::LazyLock<Vec<Material>> = std::sync::LazyLock::new(|| {
        // Checked by a test; failing here would be a build defect.
        parse(include_str!("../rules/checklist.toml")).expect("the shipped checklist is valid")
    });
    &MATERIALS
}

/// Reads a checklist file, naming the entry at fault.
pub fn parse(source: &str) -> Result<Vec<Material>, Error> {
    let file: ChecklistFile = toml::from_str(source).map_err(|e| Error::RuleFile {
        reason: Text::new(format!("材料目录格式错误：{e}"), format!("malformed checklist: {e}")),
    })?;
    let mut out: Vec<Material> = Vec::new();
    for entry in file.material {
        if out.iter().any(|m| m.id == entry.id) {
            return Err(Error::RuleFile {
                reason: Text::new(
                    format!("材料目录中的「{}」出现了两次", entry.id),
                    format!("the checklist lists `{}` twice", entry.id),
                ),
            });
        }
        if let Some(event) = entry.event
            && !entry.record.events().contains(&event)
        {
            return Err(Error::RuleFile {
                reason: Text::new(
                    format!("材料目录中的「{}」：{} 不记载「{}」", entry.id, entry.record.as_str(), event.as_str()),
                    format!(
                        "checklist entry `{}`: a {} does not document `{}`",
                        entry.id,
                        entry.record.as_str(),
                        event.as_str()
                    ),
                ),
            });
        }
        out.push(Material {
            id: entry.id,
            name: Text::new(entry.name_zh, entry.name_en),
            record: entry.record,
            event: entry.event,
            when: entry.when,
        });
    }
    Ok(out)
}

/// One line of a member's checklist.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistLine {
    /// The material's id (`talk_record`, `admission_resolution`, …).
    pub material: String,
    pub name_zh: String,
    pub name_en: String,
    /// Whether a complete file holds it by now (its step is recorded).
    pub expected: bool,
    /// The records that are this material, oldest first.
    #[cfg_attr(feature = "typescript", ts(type = "Array<number>"))]
    pub records: Vec<Id>,
    /// The date of the first of them.
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub date: Option<Date>,
}

impl ChecklistLine {
    pub fn is_missing(&self) -> bool {
        self.expected && self.records.is_empty()
    }
}

/// Which materials this member's file holds and lacks. A record documenting a step counts for
/// the material of that step; one documenting none, for the first material of its kind (with no
/// step of its own, or still missing).
pub fn check(materials: &[Material], events: &[ProcedureEvent], records: &[FileRecord]) -> Vec<ChecklistLine> {
    let event_kind = |id: Option<Id>| id.and_then(|id| events.iter().find(|e| e.id == Some(id))).map(|e| e.kind);
    let mut sorted: Vec<&FileRecord> = records.iter().collect();
    sorted.sort_by_key(|r| (r.date, r.id));
    let mut lines: Vec<ChecklistLine> = materials
        .iter()
        .map(|m| ChecklistLine {
            material: m.id.clone(),
            name_zh: m.name.zh.clone(),
            name_en: m.name.en.clone(),
            expected: events.iter().any(|e| e.kind == m.when),
            records: Vec::new(),
            date: None,
        })
        .collect();
    for record in sorted {
        let Some(id) = record.id else { continue };
        let documents = event_kind(record.event_id);
        let same_kind = || materials.iter().enumerate().filter(|(_, m)| m.record == record.kind);
        let slot = match documents {
            Some(step) => same_kind().find(|(_, m)| m.event.is_none_or(|e| e == step)).map(|(i, _)| i),
            None => same_kind()
                .find(|(i, m)| m.event.is_none() || lines[*i].records.is_empty())
                .or_else(|| same_kind().next_back())
                .map(|(i, _)| i),
        };
        if let Some(i) = slot {
            lines[i].records.push(id);
            lines[i].date.get_or_insert(record.date);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RecordFields;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn event(id: Id, kind: EventKind, date: &str) -> ProcedureEvent {
        ProcedureEvent { id: Some(id), ..ProcedureEvent::new(kind, d(date)) }
    }

    fn record(id: Id, kind: RecordKind, date: &str, event_id: Option<Id>) -> FileRecord {
        FileRecord {
            version: None,
            id: Some(id),
            person_id: 1,
            kind,
            date: d(date),
            event_id,
            title: None,
            body: String::new(),
            fields: RecordFields::default(),
            attachments: Vec::new(),
        }
    }

    #[test]
    fn the_shipped_checklist_is_valid_and_in_archive_order() {
        let list = materials();
        assert_eq!(list.first().map(|m| m.id.as_str()), Some("application_letter"));
        assert_eq!(list.last().map(|m| m.id.as_str()), Some("conversion_approval"));
    }

    #[test]
    fn a_file_lacks_what_its_recorded_steps_call_for() {
        let events =
            [event(1, EventKind::ApplicationReceived, "2025-01-10"), event(2, EventKind::ApplicantTalk, "2025-01-20")];
        let lines = check(materials(), &events, &[record(10, RecordKind::ApplicationLetter, "2025-01-10", Some(1))]);
        let line = |id: &str| lines.iter().find(|l| l.material == id).unwrap();
        assert!(!line("application_letter").is_missing());
        assert_eq!(line("application_letter").date, Some(d("2025-01-10")));
        assert!(line("talk_record").is_missing(), "the talk happened, its record is not on file");
        assert!(!line("oath").expected, "no oath yet, so none expected");
    }

    #[test]
    fn two_resolutions_of_the_branch_meeting_are_told_apart_by_the_step_they_document() {
        let events =
            [event(5, EventKind::Admitted, "2024-06-01"), event(6, EventKind::ConversionMeeting, "2025-06-02")];
        let tied = check(materials(), &events, &[record(20, RecordKind::BranchResolution, "2025-06-02", Some(6))]);
        let line = |lines: &[ChecklistLine], id: &str| lines.iter().find(|l| l.material == id).unwrap().records.clone();
        assert_eq!(line(&tied, "admission_resolution"), Vec::<Id>::new());
        assert_eq!(line(&tied, "conversion_resolution"), [20]);
        // Untied, the first counts for the admission, the next for the conversion.
        let untied = check(
            materials(),
            &events,
            &[
                record(21, RecordKind::BranchResolution, "2024-06-01", None),
                record(22, RecordKind::BranchResolution, "2025-06-02", None),
            ],
        );
        assert_eq!(line(&untied, "admission_resolution"), [21]);
        assert_eq!(line(&untied, "conversion_resolution"), [22]);
    }

    #[test]
    fn a_bad_checklist_names_the_entry() {
        let bad = "[[material]]\nid = \"x\"\nname_zh = \"x\"\nname_en = \"x\"\nrecord = \"oath\"\nevent = \"admitted\"\nwhen = \"oath\"\n";
        assert!(parse(bad).unwrap_err().to_string().contains("`x`"));
    }
}
