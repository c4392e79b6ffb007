//! A branch's organisational life (issue 16): its meetings (三会一课, 主题党日, 组织生活会, …) with
//! attendance. 《中国共产党支部工作条例（试行）》 and 《中国共产党党员教育管理工作条例》 say how often each is
//! owed; those frequencies are rules in the rule files, not here.

use serde::{Deserialize, Serialize};

use super::Id;
use crate::Text;
use crate::calendar::Date;

vocabulary! {
    /// What kind of meeting: the CLI's `--kind`, a public interface.
    MeetingKind {
        /// 支部党员大会.
        GeneralMeeting = "general_meeting", "支部党员大会", "general meeting", ["党员大会", "支部大会"];
        /// 支部委员会会议.
        CommitteeMeeting = "committee_meeting", "支委会", "committee meeting", ["支部委员会会议", "支委会议"];
        /// 党小组会: held by a party group of the branch.
        GroupMeeting = "group_meeting", "党小组会", "party group meeting", ["小组会"];
        /// 党课.
        PartyLecture = "party_lecture", "党课", "party lecture", [];
        /// 主题党日.
        ThemeDay = "theme_day", "主题党日", "theme day", ["主题党日活动"];
        /// 组织生活会.
        LifeMeeting = "life_meeting", "组织生活会", "organisational life meeting", [];
        /// 谈心谈话.
        HeartTalk = "heart_talk", "谈心谈话", "heart-to-heart talk", ["谈心"];
        Other = "other", "其他", "other", [];
    }
}

vocabulary! {
    /// How a member attended.
    Attendance {
        Present = "present", "出席", "present", ["到会", "参加"];
        /// 请假: with a reason.
        Leave = "leave", "请假", "on leave", [];
        Absent = "absent", "缺席", "absent", ["未到"];
        Late = "late", "迟到", "late", [];
    }
}

impl Attendance {
    /// Whether the member took part (late counts).
    pub fn attended(self) -> bool {
        matches!(self, Attendance::Present | Attendance::Late)
    }
}

/// One member's attendance at a meeting.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub person_id: Id,
    pub attendance: Attendance,
    /// Why, for leave (and any note).
    pub reason: Option<String>,
}

/// A meeting of a unit: planned (in the future, for its sign-in sheet) or held.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    /// `None` until stored.
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub id: Option<Id>,
    /// The branch, general branch or committee that holds it.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub unit_id: Id,
    /// For a 党小组会, the party group of the unit that holds it.
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub group_id: Option<Id>,
    pub kind: MeetingKind,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub date: Date,
    /// `false` for a meeting planned, not yet held.
    pub held: bool,
    pub place: Option<String>,
    pub chair: Option<String>,
    pub recorder: Option<String>,
    pub topic: Option<String>,
    /// 会议记录.
    pub minutes: Option<String>,
    pub decisions: Option<String>,
    /// Study time it counts for each member who attended, in minutes (0 when it counts for none).
    pub study_minutes: u32,
    /// Invited guests, as written.
    pub guests: Option<String>,
    /// On a shared server, the version read: a save made from it is refused if anyone changed
    /// it since, naming who. `None` on a workspace, and before it is stored.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub version: Option<i32>,
}

/// A meeting with its attendance, as the register lists it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingRecord {
    pub meeting: Meeting,
    /// The unit's path (总支/支部).
    pub unit: String,
    pub attendees: Vec<AttendeeName>,
    /// Its files: sign-in sheet scans, photos (kept encrypted with everything else).
    pub attachments: Vec<super::AttachmentInfo>,
}

/// An attendee with their name, for lists and printing.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttendeeName {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub person_id: Id,
    pub name: String,
    pub attendance: Attendance,
    pub reason: Option<String>,
}

vocabulary! {
    /// A post of a branch committee (支部委员会).
    CommitteePost {
        Secretary = "secretary", "书记", "secretary", ["支部书记", "党支部书记"];
        DeputySecretary = "deputy_secretary", "副书记", "deputy secretary", ["支部副书记"];
        Organisation = "organisation", "组织委员", "organisation member", [];
        Publicity = "publicity", "宣传委员", "publicity member", [];
        Discipline = "discipline", "纪检委员", "discipline inspection member", ["纪律检查委员"];
        Youth = "youth", "青年委员", "youth member", [];
        Member = "member", "委员", "committee member", ["支部委员"];
    }
}

/// Who held a post of a unit's committee, from when to when (`until` open while they hold it).
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostHeld {
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub id: Option<Id>,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub unit_id: Id,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub person_id: Id,
    pub post: CommitteePost,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub since: Date,
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub until: Option<Date>,
}

/// A post with the names a list shows.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PostRecord {
    #[serde(flatten)]
    #[cfg_attr(feature = "typescript", ts(flatten))]
    pub held: PostHeld,
    pub name: String,
    pub unit: String,
}

/// A party group (党小组) of a branch, with its members.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartyGroup {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub id: Id,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub branch_id: Id,
    pub branch: String,
    pub name: String,
    pub members: Vec<GroupMember>,
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupMember {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub person_id: Id,
    pub name: String,
}

/// The most study time one meeting may count: a day.
pub const MAX_STUDY_MINUTES: u32 = 24 * 60;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meeting_kinds_read_their_ids_and_chinese_names() {
        assert_eq!(MeetingKind::parse("committee_meeting"), Some(MeetingKind::CommitteeMeeting));
        assert_eq!(MeetingKind::parse("支委会"), Some(MeetingKind::CommitteeMeeting));
        assert_eq!(MeetingKind::parse("主题党日"), Some(MeetingKind::ThemeDay));
        assert_eq!(MeetingKind::parse("茶话会"), None);
        assert!(Attendance::Late.attended() && !Attendance::Leave.attended());
    }
}
