//! The checks of a training class and of an entry of own study before they are stored (issue 16,
//! "bad input"): names present and plain, a class's sessions within its dates and at most a day's
//! time on any day, study time positive and at most a day, nothing dated in the future that
//! claims to have happened. The store (`store/training.rs`) runs them and writes.

use std::collections::BTreeMap;

use crate::calendar::{self, Date};
use crate::domain::{MAX_STUDY_MINUTES, StudyEntry, TrainingClass};
use crate::{Error, Result, Text};

const NAME_CHARS: usize = 100;

fn plain_text(field: &str, zh: &str, value: &str, limit: usize) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid(field, format!("{zh}不能为空"), format!("the {field} is empty")));
    }
    if let Some(c) = crate::text::forbidden_char(value, false) {
        return Err(Error::InvalidInput {
            field: field.into(),
            reason: crate::text::forbidden_char_message(&Text::new(zh, field), c),
        });
    }
    if value.chars().count() > limit {
        return Err(Error::invalid(
            field,
            format!("{zh}超过 {limit} 个字"),
            format!("the {field} is longer than {limit} characters"),
        ));
    }
    Ok(value.to_owned())
}

/// A class as it may be stored: its name tidied, its sessions in order.
pub fn check_class(mut class: TrainingClass) -> Result<TrainingClass> {
    class.name = plain_text("name", "培训班名称", &class.name, NAME_CHARS)?;
    if class.ends < class.starts {
        return Err(Error::invalid(
            "ends",
            format!("结束日期 {} 早于开始日期 {}", calendar::format_zh(class.ends), calendar::format_zh(class.starts)),
            format!("the class ends ({}) before it starts ({})", class.ends, class.starts),
        ));
    }
    let mut per_day: BTreeMap<Date, u32> = BTreeMap::new();
    for session in &mut class.sessions {
        if session.date < class.starts || session.date > class.ends {
            return Err(Error::invalid(
                "sessions",
                format!("课次日期 {} 不在培训班的起止日期内", calendar::format_zh(session.date)),
                format!("a session on {} falls outside the class's dates", session.date),
            ));
        }
        if session.minutes == 0 {
            return Err(Error::invalid(
                "sessions",
                format!("{} 的课次学时须大于 0", calendar::format_zh(session.date)),
                format!("the session on {} needs a positive time", session.date),
            ));
        }
        let day = per_day.entry(session.date).or_default();
        *day += session.minutes;
        if *day > MAX_STUDY_MINUTES {
            return Err(Error::invalid(
                "sessions",
                format!("{} 的课次合计超过 24 小时", calendar::format_zh(session.date)),
                format!("the sessions on {} add up to more than 24 hours", session.date),
            ));
        }
        if let Some(topic) = session.topic.as_deref() {
            session.topic = Some(plain_text("topic", "课次主题", topic, 200)?);
        }
    }
    class.sessions.sort_by_key(|s| s.date);
    Ok(class)
}

/// An entry of own study as it may be stored.
pub fn check_study_entry(mut entry: StudyEntry, today: Date) -> Result<StudyEntry> {
    entry.title = plain_text("title", "学习内容", &entry.title, 200)?;
    entry.source = match entry.source.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(source) => Some(plain_text("source", "学习途径", source, 100)?),
        None => None,
    };
    if entry.date > today {
        return Err(Error::invalid(
            "date",
            format!("学习日期 {} 晚于今天", calendar::format_zh(entry.date)),
            format!("the study's date, {}, is in the future", entry.date),
        ));
    }
    if entry.minutes == 0 || entry.minutes > MAX_STUDY_MINUTES {
        return Err(Error::invalid(
            "hours",
            format!("学时 {} 应大于 0 且不超过 24 小时", crate::study::hours_of(u64::from(entry.minutes))),
            format!(
                "the study time, {} hours, must be more than 0 and at most 24",
                crate::study::hours_of(u64::from(entry.minutes))
            ),
        ));
    }
    Ok(entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ClassKind, ClassSession};

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn class(sessions: &[(&str, u32)]) -> TrainingClass {
        TrainingClass {
            version: None,
            id: None,
            unit_id: 1,
            kind: ClassKind::CandidateClass,
            name: " 2026年秋季发展对象培训班 ".into(),
            starts: d("2026-10-10"),
            ends: d("2026-10-12"),
            sessions: sessions
                .iter()
                .map(|(date, minutes)| ClassSession { id: None, date: d(date), minutes: *minutes, topic: None })
                .collect(),
        }
    }

    #[test]
    fn a_class_keeps_its_sessions_within_its_dates_and_a_day_at_most_a_day_long() {
        let ok = check_class(class(&[("2026-10-12", 480), ("2026-10-10", 480)])).unwrap();
        assert_eq!(ok.name, "2026年秋季发展对象培训班");
        assert_eq!(ok.sessions[0].date, d("2026-10-10"), "sessions in date order");
        let outside = check_class(class(&[("2026-10-13", 60)])).unwrap_err();
        assert!(outside.to_string().contains("2026"), "{outside}");
        assert!(check_class(class(&[("2026-10-10", 1000), ("2026-10-10", 500)])).is_err(), "25 hours in a day");
        assert!(check_class(class(&[("2026-10-10", 0)])).is_err());
        let mut backwards = class(&[]);
        backwards.ends = d("2026-10-01");
        assert!(matches!(check_class(backwards), Err(Error::InvalidInput { field, .. }) if field == "ends"));
        let mut unnamed = class(&[]);
        unnamed.name = "  ".into();
        assert!(matches!(check_class(unnamed), Err(Error::InvalidInput { field, .. }) if field == "name"));
    }

    #[test]
    fn own_study_is_positive_at_most_a_day_and_not_in_the_future() {
        let entry = StudyEntry {
            id: None,
            person_id: 1,
            date: d("2026-11-01"),
            minutes: 120,
            title: "学习贯彻党的二十届四中全会精神".into(),
            source: Some(" 学习强国 ".into()),
        };
        assert_eq!(check_study_entry(entry.clone(), d("2026-11-24")).unwrap().source.as_deref(), Some("学习强国"));
        assert!(check_study_entry(StudyEntry { minutes: 0, ..entry.clone() }, d("2026-11-24")).is_err());
        assert!(check_study_entry(StudyEntry { minutes: 1441, ..entry.clone() }, d("2026-11-24")).is_err());
        assert!(check_study_entry(entry, d("2026-10-24")).is_err(), "dated after today");
    }
}
