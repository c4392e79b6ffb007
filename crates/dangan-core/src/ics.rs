//! Pending deadlines as an iCalendar file (RFC 5545) for Outlook, a phone or any calendar.
//!
//! One all-day VEVENT per item on its due day, ending the next day: RFC 5545 §3.6.1 counts DTEND
//! as exclusive, so an event ending on its start is zero-length and some calendars drop it. The UID
//! is made of the workspace's calendar id, the owner (member, unit or party group) and the rule,
//! never the due day, so importing a newer file moves an event whose due day changed (an
//! extension, a new thought report, a meeting held) instead of adding a second one.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike};

use crate::calendar;
use crate::deadlines::{DeadlineItem, OwnerKey};

/// The calendar of `items`. `calendar_id` is the workspace's ([`crate::Store::calendar_id`]);
/// `stamp` is when the file is made (DTSTAMP).
pub fn write_ics(items: &[DeadlineItem], calendar_id: &str, stamp: DateTime<Utc>) -> String {
    let mut cal = Calendar::new();
    cal.name("Dangan 入党工作提醒");
    for item in items {
        let status = item.status.label();
        let mut description = format!(
            "{}（{}）\n{}：{}\n{}\n{}",
            item.rule_name_zh,
            item.rule_name_en,
            status.zh,
            calendar::format_zh(item.due),
            item.branch,
            item.clause
        );
        if item.provisional {
            description.push_str("\n暂定日期：该年度节假日安排尚未录入");
        }
        let owner = match item.owner.key() {
            OwnerKey::Member(id) => id.to_string(),
            OwnerKey::Unit(id) => format!("unit{id}"),
            OwnerKey::Group { unit, group } => format!("unit{unit}-group{group}"),
            OwnerKey::Complaint(entry) => format!("complaint{entry}"),
        };
        let event = Event::new()
            .uid(&format!("{calendar_id}-{owner}-{}@dangan", item.rule))
            .timestamp(stamp)
            .starts(item.due)
            .ends(item.due.succ_opt().unwrap_or(item.due))
            .summary(&format!("{}：{}", item.owner.display_name(), item.rule_name_zh))
            .description(&description)
            .add_property("CATEGORIES", item.status.as_str())
            .done();
        cal.push(event);
    }
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deadlines::{Owner, Status};
    use crate::domain::EventKind;
    use crate::rules::DeadlineKind;
    use chrono::TimeZone;

    fn item(member_id: i64, due: &str) -> DeadlineItem {
        DeadlineItem {
            owner: Owner::Member {
                member_id, name: "欧阳明月".into(), done_by: Some(EventKind::ConversionMeeting)
            },
            branch_id: 3,
            branch: "数学学院党总支/本科生第一党支部".into(),
            rule: "conversion_due".into(),
            rule_name_zh: "预备期满，讨论转正".into(),
            rule_name_en: "Probation ends: conversion meeting".into(),
            kind: DeadlineKind::Deadline,
            due: due.parse().unwrap(),
            status: Status::DueSoon,
            clause: "《中国共产党发展党员工作细则》第三十一条".into(),
            clause_en: "Rules on Recruiting Party Members, Art. 31".into(),
            provisional: false,
            acknowledged: false,
            snoozed_until: None,
        }
    }

    fn unfold(ics: &str) -> String {
        ics.replace("\r\n ", "")
    }

    #[test]
    fn each_item_is_an_all_day_event_with_a_uid_that_survives_a_new_due_day() {
        let stamp = Utc.with_ymd_and_hms(2026, 11, 24, 8, 0, 0).unwrap();
        let ics = write_ics(&[item(42, "2026-11-30")], "abc123", stamp);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), "{ics}");
        assert!(ics.trim_end().ends_with("END:VCALENDAR"));
        let text = unfold(&ics);
        assert!(text.contains("UID:abc123-42-conversion_due@dangan\r\n"), "{text}");
        assert!(text.contains("DTSTART;VALUE=DATE:20261130\r\n"), "{text}");
        // DTEND is exclusive (RFC 5545): a one-day event ends the next day.
        assert!(text.contains("DTEND;VALUE=DATE:20261201\r\n"), "{text}");
        assert!(text.contains("DTSTAMP:20261124T080000Z\r\n"), "{text}");
        assert!(text.contains("SUMMARY:欧阳明月：预备期满，讨论转正\r\n"), "{text}");
        assert!(text.contains("第三十一条"), "{text}");
        let moved = unfold(&write_ics(&[item(42, "2027-05-30")], "abc123", stamp));
        assert!(moved.contains("UID:abc123-42-conversion_due@dangan\r\n"));
        assert!(moved.contains("DTSTART;VALUE=DATE:20270530\r\n"));
    }

    #[test]
    fn a_units_owed_meeting_is_named_by_its_unit_and_keeps_its_uid_when_the_next_one_moves() {
        let stamp = Utc.with_ymd_and_hms(2026, 12, 5, 8, 0, 0).unwrap();
        let mut owed = item(0, "2026-12-31");
        owed.owner = Owner::Unit {
            unit_id: 5,
            unit: "数学学院党总支/教工党支部".into(),
            group_id: Some(9),
            group: Some("第一党小组".into()),
            meeting: Some(crate::domain::MeetingKind::GroupMeeting),
            complaint_id: None,
        };
        owed.rule = "group_meeting".into();
        owed.rule_name_zh = "党小组会（每月一次）".into();
        let text = unfold(&write_ics(std::slice::from_ref(&owed), "abc123", stamp));
        assert!(text.contains("UID:abc123-unit5-group9-group_meeting@dangan\r\n"), "{text}");
        assert!(text.contains("SUMMARY:数学学院党总支/教工党支部 · 第一党小组：党小组会（每月一次）\r\n"), "{text}");
        owed.due = "2027-01-31".parse().unwrap();
        assert!(unfold(&write_ics(&[owed], "abc123", stamp)).contains("UID:abc123-unit5-group9-group_meeting@dangan"));
    }

    #[test]
    fn long_lines_are_folded_at_75_octets_without_splitting_a_character() {
        let ics = write_ics(&[item(1, "2026-11-30")], "abc123", Utc::now());
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
    }
}
