//! The roster's columns: the field each one fills, its Chinese header, and the other spellings
//! offices use for it. Template, import and export all read this one table.

use crate::domain::EventKind;

/// What a column fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Gender,
    Ethnicity,
    BirthDate,
    IdNumber,
    StudentNo,
    Category,
    Department,
    ClassName,
    Phone,
    NativePlace,
    Branch,
    /// The date of a procedure event.
    Event(EventKind),
    /// The length of a probation extension in months (its date is the end of the first year).
    ExtensionMonths,
    Notes,
    Education,
    ClassYear,
    StudentLevel,
    Occupation,
    /// 入党时间 of a member from before the records.
    JoinedOn,
    /// Written by export for people to read, ignored by import: the stage is derived from events.
    Stage,
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The English header, also the key in reports: `applied_on`.
    pub key: &'static str,
    /// The Chinese header written in templates and exports: `申请入党日期`.
    pub zh: &'static str,
    /// Other headers accepted on import.
    pub aliases: &'static [&'static str],
    pub field: Field,
    /// Shown as a hint in the template's notes sheet.
    pub hint_zh: &'static str,
}

impl Column {
    pub fn is_date(&self) -> bool {
        matches!(self.field, Field::BirthDate | Field::JoinedOn | Field::Event(_))
    }

    /// Columns Excel must keep as text, or it turns identity numbers into 1.10105E+17.
    pub fn is_text_only(&self) -> bool {
        matches!(self.field, Field::IdNumber | Field::StudentNo | Field::Phone)
    }
}

macro_rules! col {
    ($key:literal, $zh:literal, [$($alias:literal),*], $field:expr, $hint:literal) => {
        Column { key: $key, zh: $zh, aliases: &[$($alias),*], field: $field, hint_zh: $hint }
    };
}

/// Every column, in the order templates and exports write them.
pub const COLUMNS: &[Column] = &[
    col!("name", "姓名", [], Field::Name, "必填"),
    col!("gender", "性别", [], Field::Gender, "男 或 女"),
    col!("ethnicity", "民族", [], Field::Ethnicity, "如：汉族"),
    col!("birth_date", "出生日期", [], Field::BirthDate, "日期，如 2004-09-01；空白时取自身份证号"),
    col!(
        "id_number",
        "身份证号",
        ["身份证号码", "公民身份号码", "身份证"],
        Field::IdNumber,
        "18 位，校验码须正确；请保持文本格式"
    ),
    col!("student_no", "学号工号", ["学号", "工号", "学号/工号", "学工号"], Field::StudentNo, "用于识别同一人"),
    col!("category", "人员类别", ["类别"], Field::Category, "学生、教师或职工"),
    col!("department", "院系", ["所在院系", "单位", "所在单位", "学院"], Field::Department, ""),
    col!("class_name", "班级", ["class"], Field::ClassName, ""),
    col!(
        "education",
        "学历",
        ["文化程度", "最高学历"],
        Field::Education,
        "研究生、大学本科、大学专科、中专及高中、初中及以下"
    ),
    col!("class_year", "年级", ["入学年份", "入学年级"], Field::ClassYear, "学生填写，如 2024 或 2024级"),
    col!(
        "student_level",
        "学生层次",
        ["层次", "培养层次"],
        Field::StudentLevel,
        "学生填写：专科生、本科生、硕士研究生或博士研究生"
    ),
    col!(
        "occupation",
        "职业",
        ["岗位类别", "人员岗位"],
        Field::Occupation,
        "教职工填写：专业技术人员、管理人员、工勤人员或离退休人员"
    ),
    col!("phone", "电话", ["联系电话", "手机", "手机号", "手机号码"], Field::Phone, ""),
    col!("native_place", "籍贯", [], Field::NativePlace, ""),
    col!(
        "branch",
        "所在支部",
        ["支部", "党支部", "所在党支部"],
        Field::Branch,
        "必填；不存在的支部会在党委下新建；可写「总支/支部」"
    ),
    col!(
        "applied_on",
        "申请入党日期",
        ["递交入党申请书日期", "申请日期"],
        Field::Event(EventKind::ApplicationReceived),
        "日期"
    ),
    col!("talked_on", "谈话日期", ["谈话时间"], Field::Event(EventKind::ApplicantTalk), "与申请人谈话的日期"),
    col!(
        "activist_on",
        "确定积极分子日期",
        ["确定入党积极分子日期", "确定为积极分子日期"],
        Field::Event(EventKind::ActivistDetermined),
        "日期"
    ),
    col!(
        "activist_review_on",
        "最近培养考察日期",
        ["培养考察日期", "最近考察日期", "考察日期"],
        Field::Event(EventKind::ActivistReview),
        "最近一次半年考察的日期；导入时补记，已有的记录不会删除"
    ),
    col!("contacts_on", "指定培养联系人日期", [], Field::Event(EventKind::ContactsAssigned), "日期"),
    col!(
        "thought_report_on",
        "最近思想汇报日期",
        ["思想汇报日期", "最近一次思想汇报日期"],
        Field::Event(EventKind::ThoughtReport),
        "最近一次思想汇报的日期；导入时补记，已有的记录不会删除"
    ),
    col!(
        "publicity_on",
        "发展对象公示日期",
        ["公示日期", "公示开始日期"],
        Field::Event(EventKind::CandidatePublicity),
        "公示开始的日期"
    ),
    col!(
        "candidate_on",
        "确定发展对象日期",
        ["确定为发展对象日期"],
        Field::Event(EventKind::CandidateDetermined),
        "日期"
    ),
    col!("political_review_on", "政审日期", ["政治审查日期"], Field::Event(EventKind::PoliticalReview), "日期"),
    col!("training_on", "集中培训日期", ["短期集中培训日期"], Field::Event(EventKind::CentralisedTraining), "日期"),
    col!("prereview_on", "预审通过日期", ["预审日期"], Field::Event(EventKind::PrereviewPassed), "日期"),
    col!(
        "admitted_on",
        "接收预备党员日期",
        ["支部大会接收日期", "入党日期"],
        Field::Event(EventKind::Admitted),
        "支部大会讨论接收的日期"
    ),
    col!(
        "admission_approved_on",
        "审批日期",
        ["上级党委审批日期"],
        Field::Event(EventKind::AdmissionApproved),
        "上级党委审批接收的日期"
    ),
    col!("oath_on", "入党宣誓日期", ["宣誓日期"], Field::Event(EventKind::Oath), "日期"),
    col!("probation_extended_months", "延长预备期月数", ["延长预备期"], Field::ExtensionMonths, "6 至 12"),
    col!(
        "conversion_meeting_on",
        "转正支部大会日期",
        ["转正大会日期"],
        Field::Event(EventKind::ConversionMeeting),
        "日期"
    ),
    col!(
        "converted_on",
        "批准转正日期",
        ["转正日期"],
        Field::Event(EventKind::ConversionApproved),
        "上级党委批准转正的日期"
    ),
    col!(
        "joined_on",
        "入党时间",
        [],
        Field::JoinedOn,
        "未记录接收日期的党员填写（早于本系统记录入党的党员）；已填接收预备党员日期的留空"
    ),
    col!("ended_on", "终止日期", [], Field::Event(EventKind::MembershipEnded), "终止发展或取消资格的日期"),
    col!("notes", "备注", [], Field::Notes, ""),
    col!("stage", "当前阶段", ["阶段"], Field::Stage, "导出时填写，导入时忽略（阶段由各日期推算）"),
];

/// Headers that number rows; ignored without a warning.
const ROW_NUMBER_HEADERS: &[&str] = &["序号", "no", "no.", "#"];

/// How a header was understood.
#[derive(Debug, Clone, Copy)]
pub enum HeaderMatch {
    Column(&'static Column),
    /// A row-number column: ignored silently.
    RowNumber,
    Unknown,
}

/// Matches a header written by a person: case, spaces, a required-field star and a trailing
/// hint in brackets do not matter (`出生日期（YYYY-MM-DD）`, `*姓名`, `Birth_Date`).
pub fn match_header(header: &str) -> HeaderMatch {
    let normal = normalize_header(header);
    if normal.is_empty() {
        return HeaderMatch::Unknown;
    }
    if ROW_NUMBER_HEADERS.contains(&normal.as_str()) {
        return HeaderMatch::RowNumber;
    }
    COLUMNS
        .iter()
        .find(|c| {
            c.key == normal
                || normalize_header(c.zh) == normal
                || c.aliases.iter().any(|a| normalize_header(a) == normal)
        })
        .map_or(HeaderMatch::Unknown, HeaderMatch::Column)
}

fn normalize_header(header: &str) -> String {
    let mut s: String = header.chars().filter(|c| !c.is_whitespace() && *c != '*' && *c != '＊').collect();
    for open in ['(', '（'] {
        if let Some(i) = s.find(open)
            && i > 0
        {
            s.truncate(i);
        }
    }
    s.to_lowercase()
}

pub fn column_of(field: Field) -> &'static Column {
    COLUMNS.iter().find(|c| c.field == field).expect("every field has a column")
}

/// The column that holds a field named in a validation message (`birth_date`, `applicant_talk`).
pub fn column_for_violation(field: &str) -> Option<&'static Column> {
    if let Some(kind) = EventKind::parse(field) {
        let field = if kind == EventKind::ProbationExtended { Field::ExtensionMonths } else { Field::Event(kind) };
        // Steps rosters do not carry (an approval extension) have no column.
        return COLUMNS.iter().find(|c| c.field == field);
    }
    COLUMNS.iter().find(|c| c.key == field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_in_chinese_english_and_common_variants() {
        let key = |h: &str| match match_header(h) {
            HeaderMatch::Column(c) => c.key,
            HeaderMatch::RowNumber => "#",
            HeaderMatch::Unknown => "?",
        };
        assert_eq!(key("姓名"), "name");
        assert_eq!(key(" name "), "name");
        assert_eq!(key("*姓名"), "name");
        assert_eq!(key("出生日期（YYYY-MM-DD）"), "birth_date");
        assert_eq!(key("Birth_Date"), "birth_date");
        assert_eq!(key("审批日期"), "admission_approved_on");
        assert_eq!(key("学号"), "student_no");
        assert_eq!(key("序号"), "#");
        assert_eq!(key("政治面貌"), "?");
    }

    #[test]
    fn every_event_kind_has_a_column() {
        // An approval extension is a special case with a written reason, recorded in the app.
        for kind in EventKind::ALL.into_iter().filter(|k| *k != EventKind::ApprovalExtended) {
            let column = column_for_violation(kind.as_str()).unwrap();
            assert!(matches!(column.field, Field::Event(k) if k == kind) || kind == EventKind::ProbationExtended);
        }
    }

    #[test]
    fn headers_and_aliases_are_unambiguous() {
        let mut seen = std::collections::HashSet::new();
        for c in COLUMNS {
            for h in [c.key, c.zh].iter().chain(c.aliases) {
                assert!(seen.insert(normalize_header(h)), "{h} is listed twice");
            }
        }
    }
}
