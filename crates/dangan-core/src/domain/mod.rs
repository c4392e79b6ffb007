//! The domain: people (党员发展对象), the dated events of their procedure, the stage derived from
//! those events, the records of their file, and the organisation tree they belong to.

#[macro_use]
mod vocabulary;
pub(crate) use vocabulary::vocabulary;

mod event;
mod id_number;
mod meeting;
mod org;
mod person;
mod record;
mod stage;
mod status;
mod training;

pub use event::{EventKind, MonthsRange, Procedure, ProcedureEvent, Step};
pub use id_number::{IdNumber, IdNumberError};
pub use meeting::{
    Attendance, Attendee, AttendeeName, CommitteePost, GroupMember, MAX_STUDY_MINUTES, Meeting, MeetingKind,
    MeetingRecord, PartyGroup, PostHeld, PostRecord,
};
pub use org::{OrgKind, OrgUnit};
pub use person::{Category, DuesCategory, Education, Gender, Occupation, Person, StudentLevel, parse_class_year};
pub use record::{AttachmentInfo, FileRecord, Grade, MediaType, RecordFields, RecordKind};
pub use stage::Stage;
pub use status::{
    MembershipStatus, StatusChange, change_to_undo, check_status_change, current_status, nothing_to_undo,
};
pub use training::{ClassKind, ClassRecord, ClassSession, StudyEntry, Trainee, TraineeResult, TrainingClass};

/// A database row id.
pub type Id = i64;

pub(crate) use id_number::with_check_digit;

/// A valid identity number for someone born on `yyyymmdd` (tests and demo data).
#[cfg(test)]
pub(crate) fn id_number_for_tests(yyyymmdd: &str) -> String {
    with_check_digit(&format!("110105{yyyymmdd}123"))
}
