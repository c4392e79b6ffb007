//! A member's file (入党材料): the dated records an office keeps for each person, each with its
//! text and any number of attachments (scans, photos, PDFs), stored inside the encrypted
//! workspace. Which records a complete file holds at each stage is data: `rules/checklist.toml`.

use serde::{Deserialize, Serialize};

use super::{EventKind, Id};
use crate::Text;
use crate::calendar::Date;

/// The kinds of material in a member's file.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// 入党申请书.
    ApplicationLetter,
    /// 谈话记录: who talked with the person, when, and what was said.
    TalkRecord,
    /// 思想汇报.
    ThoughtReport,
    /// 考察意见: the branch's review of an activist.
    ActivistReview,
    /// 培训记录: course, hours, certificate.
    TrainingRecord,
    /// 入党介绍人意见.
    IntroducerOpinion,
    /// 政审材料: the political review's conclusion.
    PoliticalReview,
    /// 入党志愿书: the form a development target fills in before the branch meeting discusses
    /// their admission (given to them once the upper committee has pre-reviewed them: 细则, the
    /// chapter on admitting probationary members), archived with the branch's decision on it.
    MembershipForm,
    /// 支部大会决议.
    BranchResolution,
    /// 上级党委审批意见.
    Approval,
    /// 入党宣誓.
    Oath,
    /// 转正申请书.
    ConversionApplication,
    /// 学习笔记与活动.
    StudyNote,
    /// 民主评议: a grade and a score.
    Appraisal,
}

impl RecordKind {
    pub const ALL: [RecordKind; 14] = [
        RecordKind::ApplicationLetter,
        RecordKind::TalkRecord,
        RecordKind::ThoughtReport,
        RecordKind::ActivistReview,
        RecordKind::TrainingRecord,
        RecordKind::IntroducerOpinion,
        RecordKind::PoliticalReview,
        RecordKind::MembershipForm,
        RecordKind::BranchResolution,
        RecordKind::Approval,
        RecordKind::Oath,
        RecordKind::ConversionApplication,
        RecordKind::StudyNote,
        RecordKind::Appraisal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::ApplicationLetter => "application_letter",
            RecordKind::TalkRecord => "talk_record",
            RecordKind::ThoughtReport => "thought_report",
            RecordKind::ActivistReview => "activist_review",
            RecordKind::TrainingRecord => "training_record",
            RecordKind::IntroducerOpinion => "introducer_opinion",
            RecordKind::PoliticalReview => "political_review",
            RecordKind::MembershipForm => "membership_form",
            RecordKind::BranchResolution => "branch_resolution",
            RecordKind::Approval => "approval",
            RecordKind::Oath => "oath",
            RecordKind::ConversionApplication => "conversion_application",
            RecordKind::StudyNote => "study_note",
            RecordKind::Appraisal => "appraisal",
        }
    }

    /// By id or by Chinese name.
    pub fn parse(s: &str) -> Option<RecordKind> {
        let s = s.trim();
        RecordKind::ALL.into_iter().find(|k| k.as_str() == s || k.label().zh == s)
    }

    pub fn label(self) -> Text {
        let (zh, en) = match self {
            RecordKind::ApplicationLetter => ("入党申请书", "Application letter"),
            RecordKind::TalkRecord => ("谈话记录", "Talk record"),
            RecordKind::ThoughtReport => ("思想汇报", "Thought report"),
            RecordKind::ActivistReview => ("考察意见", "Activist review"),
            RecordKind::TrainingRecord => ("培训记录", "Training record"),
            RecordKind::IntroducerOpinion => ("入党介绍人意见", "Introducers' opinion"),
            RecordKind::PoliticalReview => ("政审材料", "Political review"),
            RecordKind::MembershipForm => ("入党志愿书", "Membership application form"),
            RecordKind::BranchResolution => ("支部大会决议", "Branch meeting resolution"),
            RecordKind::Approval => ("上级党委审批意见", "Upper committee approval"),
            RecordKind::Oath => ("入党宣誓", "Oath"),
            RecordKind::ConversionApplication => ("转正申请书", "Conversion application"),
            RecordKind::StudyNote => ("学习笔记与活动", "Study notes and activities"),
            RecordKind::Appraisal => ("民主评议", "Democratic appraisal"),
        };
        Text::new(zh, en)
    }

    /// The procedure steps a record of this kind may document, if any: a record tied to an event
    /// must tie to one of these.
    pub fn events(self) -> &'static [EventKind] {
        use EventKind::*;
        match self {
            RecordKind::ApplicationLetter => &[ApplicationReceived],
            RecordKind::TalkRecord => &[ApplicantTalk],
            RecordKind::ThoughtReport => &[ThoughtReport],
            RecordKind::ActivistReview => &[ActivistReview],
            RecordKind::TrainingRecord => &[CentralisedTraining],
            RecordKind::IntroducerOpinion => &[Admitted],
            RecordKind::PoliticalReview => &[PoliticalReview],
            RecordKind::MembershipForm => &[Admitted],
            RecordKind::BranchResolution => &[Admitted, ConversionMeeting],
            RecordKind::Approval => &[AdmissionApproved, ConversionApproved],
            RecordKind::Oath => &[Oath],
            RecordKind::ConversionApplication => &[ConversionMeeting],
            RecordKind::StudyNote | RecordKind::Appraisal => &[],
        }
    }
}

/// 民主评议's grades.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 优秀
    Excellent,
    /// 合格
    Qualified,
    /// 基本合格
    BasicallyQualified,
    /// 不合格
    Unqualified,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::Excellent, Grade::Qualified, Grade::BasicallyQualified, Grade::Unqualified];

    pub fn label(self) -> Text {
        match self {
            Grade::Excellent => Text::new("优秀", "excellent"),
            Grade::Qualified => Text::new("合格", "qualified"),
            Grade::BasicallyQualified => Text::new("基本合格", "basically qualified"),
            Grade::Unqualified => Text::new("不合格", "unqualified"),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Excellent => "excellent",
            Grade::Qualified => "qualified",
            Grade::BasicallyQualified => "basically_qualified",
            Grade::Unqualified => "unqualified",
        }
    }

    /// By id, by Chinese name, or by the words `satisfactory`, `basic` and `unsatisfactory`.
    pub fn parse(s: &str) -> Option<Grade> {
        let s = s.trim();
        let alias = match s {
            "satisfactory" => Some(Grade::Qualified),
            "basic" | "basically_satisfactory" => Some(Grade::BasicallyQualified),
            "unsatisfactory" => Some(Grade::Unqualified),
            _ => None,
        };
        alias.or_else(|| Grade::ALL.into_iter().find(|g| g.as_str() == s || g.label().zh == s))
    }
}

/// The fields some kinds carry besides the text: who talked (a talk record), the course, its
/// hours and certificate (training), the grade and score (appraisal). Others leave them empty.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecordFields {
    /// 谈话人: who talked with the person.
    pub who: Option<String>,
    pub course: Option<String>,
    pub hours: Option<f64>,
    /// The certificate's number.
    pub certificate: Option<String>,
    pub grade: Option<Grade>,
    pub score: Option<f64>,
}

/// One record of a member's file.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileRecord {
    /// `None` until stored.
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub id: Option<Id>,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub person_id: Id,
    pub kind: RecordKind,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub date: Date,
    /// The procedure event the record documents, if any.
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub event_id: Option<Id>,
    pub title: Option<String>,
    /// The record's text (the talk's content, the report, the resolution …).
    pub body: String,
    pub fields: RecordFields,
    /// Read only: the attachments, as stored.
    #[serde(default)]
    pub attachments: Vec<AttachmentInfo>,
    /// On a shared server, the version read: a save made from it is refused if anyone changed
    /// it since, naming who. `None` on a workspace, and before it is stored.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub version: Option<i32>,
}

/// What an attachment is, without its bytes.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentInfo {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub id: Id,
    /// The file name it was added under.
    pub name: String,
    pub media_type: MediaType,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub size: u64,
}

/// The kinds of file an attachment may be; recognised by content, not by name.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MediaType {
    #[serde(rename = "image/jpeg")]
    Jpeg,
    #[serde(rename = "image/png")]
    Png,
    #[serde(rename = "application/pdf")]
    Pdf,
}

impl MediaType {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
            MediaType::Pdf => "application/pdf",
        }
    }

    pub fn parse(s: &str) -> Option<MediaType> {
        [MediaType::Jpeg, MediaType::Png, MediaType::Pdf].into_iter().find(|m| m.as_str() == s)
    }

    /// What the bytes are, by their signature.
    pub fn sniff(bytes: &[u8]) -> Option<MediaType> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(MediaType::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(MediaType::Png)
        } else if bytes.starts_with(b"%PDF-") {
            Some(MediaType::Pdf)
        } else {
            None
        }
    }

    /// What a file name claims, by its extension.
    pub fn by_name(name: &str) -> Option<MediaType> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "jpg" | "jpeg" => Some(MediaType::Jpeg),
            "png" => Some(MediaType::Png),
            "pdf" => Some(MediaType::Pdf),
            _ => None,
        }
    }

    pub fn label(self) -> Text {
        match self {
            MediaType::Jpeg => Text::new("JPEG 图片", "a JPEG image"),
            MediaType::Png => Text::new("PNG 图片", "a PNG image"),
            MediaType::Pdf => Text::new("PDF 文件", "a PDF file"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attachment_is_recognised_by_its_content_not_its_name() {
        assert_eq!(MediaType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some(MediaType::Jpeg));
        assert_eq!(MediaType::sniff(b"\x89PNG\r\n\x1a\n...."), Some(MediaType::Png));
        assert_eq!(MediaType::sniff(b"%PDF-1.7\n"), Some(MediaType::Pdf));
        assert_eq!(MediaType::sniff(b"PK\x03\x04 a docx"), None);
        assert_eq!(MediaType::by_name("扫描件.JPG"), Some(MediaType::Jpeg));
        assert_eq!(MediaType::by_name("申请书.docx"), None);
    }

    #[test]
    fn kinds_and_grades_parse_by_id_or_chinese_name() {
        for kind in RecordKind::ALL {
            assert_eq!(RecordKind::parse(kind.as_str()), Some(kind));
            assert_eq!(RecordKind::parse(&kind.label().zh), Some(kind));
        }
        assert_eq!(Grade::parse("基本合格"), Some(Grade::BasicallyQualified));
        assert_eq!(Grade::parse("qualified"), Some(Grade::Qualified));
    }
}
