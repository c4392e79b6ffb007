//! The five stages of the procedure, derived from a person's events, never stored as truth.

use serde::{Deserialize, Serialize};

use super::{EventKind, Person, ProcedureEvent};
use crate::Text;

/// Where a person stands in the procedure. Derived from events by [`Stage::of`].
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 入党申请人: has applied.
    Applicant,
    /// 入党积极分子: determined as an activist.
    Activist,
    /// 发展对象: determined as a development target.
    Candidate,
    /// 预备党员: admitted by the branch meeting; probation runs from that day.
    Probationary,
    /// 正式党员: conversion approved.
    FullMember,
}

impl Stage {
    pub const ALL: [Stage; 5] =
        [Stage::Applicant, Stage::Activist, Stage::Candidate, Stage::Probationary, Stage::FullMember];

    /// The stage reached by a set of events: the furthest milestone recorded.
    ///
    /// 细则(2014)第三十二条: probation counts from the day the branch meeting admits, so the
    /// branch meeting (not the upper committee's approval) makes a person probationary.
    pub fn of(events: &[ProcedureEvent]) -> Stage {
        let has = |kind| events.iter().any(|e| e.kind == kind);
        if has(EventKind::ConversionApproved) {
            Stage::FullMember
        } else if has(EventKind::Admitted) {
            Stage::Probationary
        } else if has(EventKind::CandidateDetermined) {
            Stage::Candidate
        } else if has(EventKind::ActivistDetermined) {
            Stage::Activist
        } else {
            Stage::Applicant
        }
    }

    /// A person's stage: [`Stage::of`] their events, except that a member who joined before
    /// Dangan's records (入党时间 given, no admission recorded) is a full member: probation, and
    /// with it the conversion deadline, counts from an admission date, which they lack.
    pub fn of_person(person: &Person, events: &[ProcedureEvent]) -> Stage {
        match Stage::of(events) {
            Stage::Probationary | Stage::FullMember => Stage::of(events),
            _ if person.joined_on.is_some() => Stage::FullMember,
            stage => stage,
        }
    }

    /// The stable identifier used in JSON, the CLI and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Applicant => "applicant",
            Stage::Activist => "activist",
            Stage::Candidate => "candidate",
            Stage::Probationary => "probationary",
            Stage::FullMember => "full_member",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        let s = s.trim();
        Stage::ALL
            .into_iter()
            .find(|st| st.as_str() == s || st.label().zh == s || st.label().en.eq_ignore_ascii_case(s))
    }

    pub fn label(self) -> Text {
        match self {
            Stage::Applicant => Text::new("入党申请人", "Applicant"),
            Stage::Activist => Text::new("入党积极分子", "Activist"),
            Stage::Candidate => Text::new("发展对象", "Development target"),
            Stage::Probationary => Text::new("预备党员", "Probationary member"),
            Stage::FullMember => Text::new("正式党员", "Full member"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn ev(kind: EventKind) -> ProcedureEvent {
        ProcedureEvent::new(kind, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap())
    }

    #[test]
    fn the_stage_is_the_furthest_milestone_recorded() {
        use EventKind::*;
        let cases: [(&[EventKind], Stage); 7] = [
            (&[], Stage::Applicant),
            (&[ApplicationReceived, ApplicantTalk], Stage::Applicant),
            (&[ApplicationReceived, ActivistDetermined], Stage::Activist),
            (&[ApplicationReceived, ActivistDetermined, CandidateDetermined, PoliticalReview], Stage::Candidate),
            (&[CandidateDetermined, Admitted], Stage::Probationary),
            (&[Admitted, AdmissionApproved, ConversionMeeting], Stage::Probationary),
            (&[Admitted, ConversionMeeting, ConversionApproved], Stage::FullMember),
        ];
        for (kinds, stage) in cases {
            let events: Vec<ProcedureEvent> = kinds.iter().copied().map(ev).collect();
            assert_eq!(Stage::of(&events), stage, "{kinds:?}");
        }
    }

    #[test]
    fn a_member_from_before_the_records_is_a_full_member() {
        let old = Person { joined_on: Some(NaiveDate::from_ymd_opt(1998, 7, 1).unwrap()), ..Person::default() };
        assert_eq!(Stage::of_person(&old, &[]), Stage::FullMember);
        assert_eq!(Stage::of_person(&Person::default(), &[]), Stage::Applicant);
        // An admission recorded decides: probation runs until the conversion is recorded.
        assert_eq!(Stage::of_person(&old, &[ev(EventKind::Admitted)]), Stage::Probationary);
    }

    #[test]
    fn stages_parse_from_their_ids_and_labels() {
        for stage in Stage::ALL {
            assert_eq!(Stage::parse(stage.as_str()), Some(stage));
            assert_eq!(Stage::parse(&stage.label().zh), Some(stage));
        }
        assert_eq!(Stage::parse("member"), None);
    }
}
