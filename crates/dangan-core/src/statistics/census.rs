//! The census: what statistics know of each person, read once from the store and counted in
//! memory (`store/census.rs` fills it). Every figure is derived from these dated facts, as of any
//! day; nothing here is stored as a count.

use crate::calendar::Date;
use crate::domain::{Category, Education, EventKind, Gender, Id, MembershipStatus, Occupation, Stage, StudentLevel};

/// One person, with the dates of the steps statistics count (the first of each kind).
#[derive(Debug, Clone, Default)]
pub struct Counted {
    pub id: Id,
    pub branch_id: Id,
    pub name: Box<str>,
    pub gender: Option<Gender>,
    /// `None` when the ethnicity is not recorded; `Some(true)` for any but 汉族.
    pub minority: Option<bool>,
    pub birth_date: Option<Date>,
    pub category: Option<Category>,
    pub education: Option<Education>,
    pub class_year: Option<u16>,
    pub student_level: Option<StudentLevel>,
    pub occupation: Option<Occupation>,
    /// 入党时间 of a member from before the records.
    pub joined_on: Option<Date>,
    /// The earliest dated step of any kind.
    pub first_step: Option<Date>,
    pub applied: Option<Date>,
    pub activist: Option<Date>,
    pub candidate: Option<Date>,
    pub admitted: Option<Date>,
    pub admission_approved: Option<Date>,
    pub conversion_approved: Option<Date>,
    pub ended: Option<Date>,
    /// Changes of membership status in date order (empty for most: always in the register).
    pub statuses: Vec<(Date, MembershipStatus)>,
}

impl Counted {
    /// Takes one event into account (the store calls this for each of the person's events).
    pub fn note_event(&mut self, kind: EventKind, date: Date) {
        let earliest = |slot: &mut Option<Date>| {
            if slot.is_none_or(|d| date < d) {
                *slot = Some(date);
            }
        };
        earliest(&mut self.first_step);
        match kind {
            EventKind::ApplicationReceived => earliest(&mut self.applied),
            EventKind::ActivistDetermined => earliest(&mut self.activist),
            EventKind::CandidateDetermined => earliest(&mut self.candidate),
            EventKind::Admitted => earliest(&mut self.admitted),
            EventKind::AdmissionApproved => earliest(&mut self.admission_approved),
            EventKind::ConversionApproved => earliest(&mut self.conversion_approved),
            EventKind::MembershipEnded => earliest(&mut self.ended),
            _ => {}
        }
    }

    /// Whether the person's procedure had ended by the end of `day`.
    pub fn ended_by(&self, day: Date) -> bool {
        self.ended.is_some_and(|d| d <= day)
    }

    /// The membership status at the end of `day`.
    pub fn status_on(&self, day: Date) -> MembershipStatus {
        self.statuses.iter().rev().find(|(d, _)| *d <= day).map_or(self.status_before_changes(), |(_, s)| *s)
    }

    /// The status before the first change: in the register, unless the history begins with 在册 —
    /// an arrival by transfer (nothing else changes to 在册 from 在册), before which the person's
    /// relationship was with another organisation.
    fn status_before_changes(&self) -> MembershipStatus {
        match self.statuses.first() {
            Some((_, MembershipStatus::InRegister)) => MembershipStatus::TransferredOut,
            _ => MembershipStatus::InRegister,
        }
    }

    /// Whether the person was out of the register (transferred out, suspended, left, deceased) at
    /// the end of `day`.
    pub fn out_on(&self, day: Date) -> bool {
        self.status_on(day) != MembershipStatus::InRegister
    }

    /// The status changes between two days (after `from`, up to and including `to`), each with
    /// the status before it.
    pub fn changes_in(
        &self,
        from: Date,
        to: Date,
    ) -> impl Iterator<Item = (Date, MembershipStatus, MembershipStatus)> + '_ {
        let before = std::iter::once(self.status_before_changes()).chain(self.statuses.iter().map(|(_, s)| *s));
        self.statuses
            .iter()
            .zip(before)
            .filter(move |((d, _), _)| *d > from && *d <= to)
            .map(|((d, s), before)| (*d, before, *s))
    }

    /// The stage the steps dated on or before `day` reach, or `None` when the person was not in
    /// the register that day (nothing dated yet, or ended). 细则第三十二条: probation runs from the
    /// branch meeting's admission. Someone with no dated step at all counts as an applicant.
    pub fn stage_on(&self, day: Date) -> Option<Stage> {
        if self.ended_by(day) || self.out_on(day) {
            return None;
        }
        let by = |d: Option<Date>| d.is_some_and(|d| d <= day);
        Some(if by(self.conversion_approved) {
            Stage::FullMember
        } else if by(self.admitted) {
            Stage::Probationary
        } else if by(self.joined_on) {
            Stage::FullMember
        } else if by(self.candidate) {
            Stage::Candidate
        } else if by(self.activist) {
            Stage::Activist
        } else if by(self.first_step) || (self.first_step.is_none() && self.joined_on.is_none()) {
            Stage::Applicant
        } else {
            return None;
        })
    }

    /// The day the person counts as a member from (the statistics rule `members`): the upper
    /// committee's approval, else the branch meeting, else the conversion, else 入党时间.
    pub fn member_from(&self) -> Option<Date> {
        self.admission_approved.or(self.admitted).or(self.conversion_approved).or(self.joined_on)
    }

    /// Whether the person counted as a member (probationary or full) at the end of `day`.
    pub fn member_on(&self, day: Date) -> bool {
        self.member_from().is_some_and(|d| d <= day) && !self.ended_by(day) && !self.out_on(day)
    }

    /// Whether the person counted as a member just before a change dated `day` (already a member
    /// by then, procedure not ended).
    pub fn member_at_change(&self, day: Date) -> bool {
        self.member_from().is_some_and(|d| d <= day) && !self.ended_by(day)
    }

    /// Whether the person was still probationary at the end of `day`: a member not yet converted.
    pub fn probationary_on(&self, day: Date) -> bool {
        self.member_on(day)
            && self.conversion_approved.is_none_or(|d| d > day)
            && self.joined_on.is_none_or(|_| self.admitted.is_some())
    }

    /// The day the person counts as developed (发展党员) on: the upper committee's approval. An
    /// admission without a recorded approval develops no one; the consistency check names it.
    pub fn developed_on(&self) -> Option<Date> {
        self.admission_approved
    }

    /// Full years of age at the end of `day`, when the birth date is known.
    pub fn age_on(&self, day: Date) -> Option<i32> {
        self.birth_date.map(|b| crate::calendar::age_on(b, day))
    }
}

/// Everyone statistics count, in id order.
#[derive(Debug, Default)]
pub struct Census {
    pub people: Vec<Counted>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn person(events: &[(EventKind, &str)]) -> Counted {
        let mut p = Counted::default();
        for (kind, date) in events {
            p.note_event(*kind, d(date));
        }
        p
    }

    #[test]
    fn the_stage_on_a_day_reads_only_the_steps_dated_by_then() {
        use EventKind::*;
        let p = person(&[
            (ApplicationReceived, "2020-03-01"),
            (ActivistDetermined, "2020-10-01"),
            (CandidateDetermined, "2021-10-01"),
            (Admitted, "2022-06-01"),
            (ConversionApproved, "2023-06-10"),
        ]);
        assert_eq!(p.stage_on(d("2020-02-28")), None);
        assert_eq!(p.stage_on(d("2020-03-01")), Some(Stage::Applicant));
        assert_eq!(p.stage_on(d("2021-12-31")), Some(Stage::Candidate));
        assert_eq!(p.stage_on(d("2022-12-31")), Some(Stage::Probationary));
        assert_eq!(p.stage_on(d("2023-12-31")), Some(Stage::FullMember));
    }

    #[test]
    fn membership_counts_from_the_approval_not_the_branch_meeting() {
        use EventKind::*;
        let p = person(&[(Admitted, "2025-12-20"), (AdmissionApproved, "2026-01-08")]);
        assert!(!p.member_on(d("2025-12-31")), "admitted in December, approved in January");
        assert!(p.member_on(d("2026-12-31")));
        assert_eq!(p.developed_on(), Some(d("2026-01-08")));
        // Its stage is already probationary on 31 December: probation runs from the meeting.
        assert_eq!(p.stage_on(d("2025-12-31")), Some(Stage::Probationary));
    }

    #[test]
    fn an_ended_procedure_leaves_the_register_from_its_date() {
        use EventKind::*;
        let p = person(&[(Admitted, "2024-05-01"), (AdmissionApproved, "2024-06-01"), (MembershipEnded, "2026-03-01")]);
        assert!(p.member_on(d("2025-12-31")));
        assert!(!p.member_on(d("2026-12-31")));
        assert_eq!(p.stage_on(d("2026-12-31")), None);
    }

    #[test]
    fn a_member_from_before_the_records_counts_from_joining_as_a_full_member() {
        let p = Counted { joined_on: Some(d("1999-07-01")), ..Counted::default() };
        assert!(p.member_on(d("2000-01-01")));
        assert!(!p.member_on(d("1999-06-30")));
        assert!(!p.probationary_on(d("2000-01-01")));
        assert_eq!(p.stage_on(d("1999-06-30")), None);
        assert_eq!(p.stage_on(d("2026-12-31")), Some(Stage::FullMember));
        // Nothing dated at all: an applicant whatever the day.
        assert_eq!(Counted::default().stage_on(d("2001-01-01")), Some(Stage::Applicant));
    }
}
