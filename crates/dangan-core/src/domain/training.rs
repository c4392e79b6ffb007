//! Training classes (党校培训班, issue 16) and a member's own study (online courses and the like):
//! the hours that, with the meetings that count as study, make up each member's yearly study
//! (`study.rs`). A development-target class, passed, is the procedure's centralised training
//! (《中国共产党发展党员工作细则》第十七条: at least 3 days or 24 class hours).

use serde::{Deserialize, Serialize};

use super::Id;
use crate::Text;
use crate::calendar::Date;

vocabulary! {
    /// What a class trains: the CLI's `--kind`.
    ClassKind {
        /// 入党积极分子培训班.
        ActivistClass = "activist_class", "入党积极分子培训班", "activists' class", ["积极分子培训班"];
        /// 发展对象培训班: passing it records each trainee's centralised training.
        CandidateClass = "candidate_class", "发展对象培训班", "development targets' class", ["发展对象培训"];
        /// 党员培训班.
        MemberClass = "member_class", "党员培训班", "members' class", ["党员培训"];
    }
}

/// One session of a class: a day's teaching.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassSession {
    /// `None` until stored.
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub id: Option<Id>,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub date: Date,
    /// Class time, in minutes.
    pub minutes: u32,
    pub topic: Option<String>,
}

/// A training class with its sessions.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingClass {
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub id: Option<Id>,
    /// The unit that runs it (the committee's party school, or a general branch).
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub unit_id: Id,
    pub kind: ClassKind,
    pub name: String,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub starts: Date,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub ends: Date,
    pub sessions: Vec<ClassSession>,
    /// On a shared server, the version read: a save made from it is refused if anyone changed
    /// it since, naming who. `None` on a workspace, and before it is stored.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub version: Option<i32>,
}

/// A trainee of a class: which sessions they attended, their exam and the result.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trainee {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub person_id: Id,
    pub name: String,
    pub branch: String,
    /// The sessions attended (their ids).
    #[cfg_attr(feature = "typescript", ts(type = "number[]"))]
    pub sessions: Vec<Id>,
    /// Class time attended, in minutes, and on how many days.
    pub minutes: u32,
    pub days: u32,
    /// The exam score, 0–100.
    pub score: Option<u32>,
    /// `None` until decided.
    pub passed: Option<bool>,
}

/// A class as lists show it: the class, the unit's name, its trainees.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClassRecord {
    pub class: TrainingClass,
    pub unit: String,
    pub trainees: Vec<Trainee>,
}

impl ClassRecord {
    /// The class's whole time, in minutes.
    pub fn minutes(&self) -> u32 {
        self.class.sessions.iter().map(|s| s.minutes).sum()
    }
}

/// A trainee's result as entered.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraineeResult {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub person_id: Id,
    pub score: Option<u32>,
    pub passed: Option<bool>,
}

/// A member's own study: an online course, a lecture outside the branch.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudyEntry {
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub id: Option<Id>,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub person_id: Id,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub date: Date,
    pub minutes: u32,
    pub title: String,
    /// Where: 学习强国, 网络学院, …
    pub source: Option<String>,
}

impl ClassKind {
    /// The step of the procedure a passed class of this kind records.
    pub fn records_step(self) -> Option<super::EventKind> {
        (self == ClassKind::CandidateClass).then_some(super::EventKind::CentralisedTraining)
    }
}
