//! The procedure as dated events. A person's stage and every deadline are derived from these.

use serde::{Deserialize, Serialize};

use super::Id;
use crate::Text;
use crate::calendar::Date;

/// The steps of 《中国共产党发展党员工作细则》 that Dangan records as events, in procedure order.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// 递交入党申请书: the application is received.
    ApplicationReceived,
    /// 与申请人谈话: the organisation talks with the applicant.
    ApplicantTalk,
    /// 确定为入党积极分子.
    ActivistDetermined,
    /// 培养教育考察: the branch's review of an activist, every six months while an activist. Repeats.
    ActivistReview,
    /// 指定培养联系人: one or two full members assigned as contacts.
    ContactsAssigned,
    /// 思想汇报: a written report from an activist, development target or probationary member. Repeats.
    ThoughtReport,
    /// 发展对象公示 (2026): the publicity before a development target is determined; it begins this day.
    CandidatePublicity,
    /// 确定为发展对象.
    CandidateDetermined,
    /// 政治审查.
    PoliticalReview,
    /// 短期集中培训.
    CentralisedTraining,
    /// 上级党委预审通过.
    PrereviewPassed,
    /// 支部大会讨论接收为预备党员: probation counts from this day.
    Admitted,
    /// 延长审批期限: in a special case the upper committee takes up to three months more to approve
    /// an admission (carries the months, 1 to 3, and the reason in its note).
    ApprovalExtended,
    /// 上级党委审批.
    AdmissionApproved,
    /// 入党宣誓.
    Oath,
    /// 支部大会讨论转正.
    ConversionMeeting,
    /// 上级党委批准转正.
    ConversionApproved,
    /// 延长预备期 (carries the number of months, 6 to 12).
    ProbationExtended,
    /// 终止 (resigned, disqualified, left): the person's procedure ends here.
    MembershipEnded,
}

impl EventKind {
    pub const ALL: [EventKind; 19] = [
        EventKind::ApplicationReceived,
        EventKind::ApplicantTalk,
        EventKind::ActivistDetermined,
        EventKind::ActivistReview,
        EventKind::ContactsAssigned,
        EventKind::ThoughtReport,
        EventKind::CandidatePublicity,
        EventKind::CandidateDetermined,
        EventKind::PoliticalReview,
        EventKind::CentralisedTraining,
        EventKind::PrereviewPassed,
        EventKind::Admitted,
        EventKind::ApprovalExtended,
        EventKind::AdmissionApproved,
        EventKind::Oath,
        EventKind::ConversionMeeting,
        EventKind::ConversionApproved,
        EventKind::ProbationExtended,
        EventKind::MembershipEnded,
    ];

    /// Steps recorded again and again (a review every six months, a report every quarter); every
    /// other step happens once.
    pub fn repeats(self) -> bool {
        matches!(self, EventKind::ActivistReview | EventKind::ThoughtReport)
    }

    /// The months an extension may carry, for the two steps that carry them: 延长预备期 6 to 12
    /// (细则 第三十二条: at least half a year, at most a year), 延长审批期限 1 to 3 (the approval
    /// within three months, in special cases six in all). `None` for every other step.
    pub fn months_range(self) -> Option<MonthsRange> {
        match self {
            EventKind::ProbationExtended => Some(MonthsRange { min: 6, max: 12, proposed: 6 }),
            EventKind::ApprovalExtended => Some(MonthsRange { min: 1, max: 3, proposed: 3 }),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::ApplicationReceived => "application_received",
            EventKind::ApplicantTalk => "applicant_talk",
            EventKind::ActivistDetermined => "activist_determined",
            EventKind::ActivistReview => "activist_review",
            EventKind::ContactsAssigned => "contacts_assigned",
            EventKind::ThoughtReport => "thought_report",
            EventKind::CandidatePublicity => "candidate_publicity",
            EventKind::CandidateDetermined => "candidate_determined",
            EventKind::PoliticalReview => "political_review",
            EventKind::CentralisedTraining => "centralised_training",
            EventKind::PrereviewPassed => "prereview_passed",
            EventKind::Admitted => "admitted",
            EventKind::ApprovalExtended => "approval_extended",
            EventKind::AdmissionApproved => "admission_approved",
            EventKind::Oath => "oath",
            EventKind::ConversionMeeting => "conversion_meeting",
            EventKind::ConversionApproved => "conversion_approved",
            EventKind::ProbationExtended => "probation_extended",
            EventKind::MembershipEnded => "membership_ended",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        Some(match s {
            "application_received" => EventKind::ApplicationReceived,
            "applicant_talk" => EventKind::ApplicantTalk,
            "activist_determined" => EventKind::ActivistDetermined,
            "activist_review" => EventKind::ActivistReview,
            "contacts_assigned" => EventKind::ContactsAssigned,
            "thought_report" => EventKind::ThoughtReport,
            "candidate_publicity" => EventKind::CandidatePublicity,
            "candidate_determined" => EventKind::CandidateDetermined,
            "political_review" => EventKind::PoliticalReview,
            "centralised_training" => EventKind::CentralisedTraining,
            "prereview_passed" => EventKind::PrereviewPassed,
            "admitted" => EventKind::Admitted,
            "approval_extended" => EventKind::ApprovalExtended,
            "admission_approved" => EventKind::AdmissionApproved,
            "oath" => EventKind::Oath,
            "conversion_meeting" => EventKind::ConversionMeeting,
            "conversion_approved" => EventKind::ConversionApproved,
            "probation_extended" => EventKind::ProbationExtended,
            "membership_ended" => EventKind::MembershipEnded,
            _ => return None,
        })
    }

    /// A step as a person types it: its id (`applicant_talk`), its Chinese name (与入党申请人谈话)
    /// or its English one, in any case.
    pub fn from_name(s: &str) -> Option<EventKind> {
        let s = s.trim();
        EventKind::parse(&s.to_ascii_lowercase()).or_else(|| {
            EventKind::ALL.into_iter().find(|k| {
                let label = k.label();
                label.zh == s || label.en.eq_ignore_ascii_case(s)
            })
        })
    }

    pub fn label(self) -> Text {
        let (zh, en) = match self {
            EventKind::ApplicationReceived => ("递交入党申请书", "Application received"),
            EventKind::ApplicantTalk => ("与入党申请人谈话", "Talk with the applicant"),
            EventKind::ActivistDetermined => ("确定为入党积极分子", "Determined as activist"),
            EventKind::ActivistReview => ("培养教育考察", "Activist review"),
            EventKind::ContactsAssigned => ("指定培养联系人", "Contacts assigned"),
            EventKind::ThoughtReport => ("思想汇报", "Thought report"),
            EventKind::CandidatePublicity => ("发展对象公示", "Candidate publicity"),
            EventKind::CandidateDetermined => ("确定为发展对象", "Determined as development target"),
            EventKind::PoliticalReview => ("政治审查", "Political review"),
            EventKind::CentralisedTraining => ("短期集中培训", "Centralised training"),
            EventKind::PrereviewPassed => ("上级党委预审通过", "Pre-review passed"),
            EventKind::Admitted => ("支部大会接收为预备党员", "Admitted by the branch meeting"),
            EventKind::ApprovalExtended => ("延长审批期限", "Approval period extended"),
            EventKind::AdmissionApproved => ("上级党委审批", "Admission approved"),
            EventKind::Oath => ("入党宣誓", "Oath"),
            EventKind::ConversionMeeting => ("支部大会讨论转正", "Conversion meeting"),
            EventKind::ConversionApproved => ("上级党委批准转正", "Conversion approved"),
            EventKind::ProbationExtended => ("延长预备期", "Probation extended"),
            EventKind::MembershipEnded => ("终止", "Membership ended"),
        };
        Text::new(zh, en)
    }
}

/// The months an extension may carry, and the number an editor proposes.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MonthsRange {
    pub min: u32,
    pub max: u32,
    pub proposed: u32,
}

impl MonthsRange {
    pub fn contains(&self, months: u32) -> bool {
        (self.min..=self.max).contains(&months)
    }
}

/// One step of the procedure as a shell offers it: whether it repeats, and the months it carries.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Step {
    pub kind: EventKind,
    pub repeats: bool,
    pub months: Option<MonthsRange>,
}

/// The procedure as data, for a shell that offers its steps (the UI's event editor): the stages
/// and the steps in procedure order, with what each step allows. The rules live here; a shell
/// only shows them.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Procedure {
    pub stages: Vec<super::Stage>,
    pub steps: Vec<Step>,
}

impl Procedure {
    pub fn current() -> Procedure {
        let steps = EventKind::ALL
            .into_iter()
            .map(|kind| Step { kind, repeats: kind.repeats(), months: kind.months_range() })
            .collect();
        Procedure { stages: super::Stage::ALL.to_vec(), steps }
    }
}

/// One dated step of a person's procedure.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureEvent {
    /// `None` until stored.
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub id: Option<Id>,
    pub kind: EventKind,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub date: Date,
    /// Only for the extensions: [`EventKind::ProbationExtended`] (6 to 12 months) and
    /// [`EventKind::ApprovalExtended`] (1 to 3).
    pub months: Option<u32>,
    pub note: Option<String>,
}

impl ProcedureEvent {
    pub fn new(kind: EventKind, date: Date) -> ProcedureEvent {
        ProcedureEvent { id: None, kind, date, months: None, note: None }
    }
}
