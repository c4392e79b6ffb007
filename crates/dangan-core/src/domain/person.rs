//! A person in the registry and the facts kept about them.

use serde::{Deserialize, Serialize};

use super::Id;
use crate::Text;
use crate::calendar::Date;

#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    /// Accepts what rosters write: 男/女, male/female, M/F.
    pub fn parse(s: &str) -> Option<Gender> {
        match s.trim().to_ascii_lowercase().as_str() {
            "男" | "male" | "m" => Some(Gender::Male),
            "女" | "female" | "f" => Some(Gender::Female),
            _ => None,
        }
    }

    pub fn label(self) -> Text {
        match self {
            Gender::Male => Text::new("男", "male"),
            Gender::Female => Text::new("女", "female"),
        }
    }
}

/// Student, teacher or other staff.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Student,
    Teacher,
    Staff,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Student => "student",
            Category::Teacher => "teacher",
            Category::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        match s.trim().to_ascii_lowercase().as_str() {
            "学生" | "student" => Some(Category::Student),
            "教师" | "teacher" => Some(Category::Teacher),
            "职工" | "教职工" | "staff" => Some(Category::Staff),
            _ => None,
        }
    }

    pub fn label(self) -> Text {
        match self {
            Category::Student => Text::new("学生", "student"),
            Category::Teacher => Text::new("教师", "teacher"),
            Category::Staff => Text::new("职工", "staff"),
        }
    }
}

vocabulary! {
    /// 学历: the highest education completed, in the report forms' bands.
    Education {
        Postgraduate = "postgraduate", "研究生", "postgraduate", ["博士研究生", "硕士研究生", "博士", "硕士", "研究生学历", "在职研究生", "在职硕士", "在职博士"];
        Undergraduate = "undergraduate", "大学本科", "undergraduate", ["本科", "大学"];
        JuniorCollege = "junior_college", "大学专科", "junior college", ["专科", "大专", "高职"];
        Secondary = "secondary", "中专及高中", "secondary", ["中专", "高中", "中技", "职高", "中专、高中", "高中、中专、中技"];
        Basic = "basic", "初中及以下", "lower secondary or less", ["初中", "小学", "初中以下"];
    }
}

vocabulary! {
    /// 学生层次: what a student studies for.
    StudentLevel {
        JuniorCollege = "junior_college", "专科生", "junior college student", ["高职生", "专科"];
        Undergraduate = "undergraduate", "本科生", "undergraduate", ["本科"];
        Master = "master", "硕士研究生", "master's student", ["硕士", "硕士生", "研究生"];
        Doctoral = "doctoral", "博士研究生", "doctoral student", ["博士", "博士生"];
    }
}

vocabulary! {
    /// 职业: what a member of staff does (the report forms' occupations for a university).
    Occupation {
        Professional = "professional", "专业技术人员", "professional and technical staff", ["专技人员", "教师", "专任教师"];
        Manager = "manager", "管理人员", "administrative staff", ["管理", "行政人员"];
        Worker = "worker", "工勤人员", "service staff", ["工勤", "工勤技能人员"];
        Retired = "retired", "离退休人员", "retired", ["离退休", "退休", "离休"];
    }
}

vocabulary! {
    /// 党费类别: which of the dues regulation's rules sets a member's monthly dues (`dues.rs`).
    DuesCategory {
        /// 在职党员: a share of the regular monthly pay after tax.
        Salaried = "salaried", "在职党员", "salaried", ["在职", "工资收入"];
        /// 离退休党员: a share of the pension.
        Retired = "retired", "离退休党员", "retired", ["离退休", "退休"];
        /// 学生党员: 0.2 yuan a month.
        Student = "student", "学生党员", "student", ["学生"];
        /// 下岗失业党员: 0.2 yuan a month.
        Unemployed = "unemployed", "下岗失业党员", "unemployed", ["失业", "下岗"];
        /// 享受最低生活保障的党员: 0.2 yuan a month.
        LowIncome = "low_income", "享受最低生活保障的党员", "on minimum-income support", ["低保"];
    }
}

/// 年级: the year a student's class entered, written `2024`, `2024级`, `2024年` or `24级` (two
/// digits above 50 are the 1900s: `98级` is 1998).
pub fn parse_class_year(s: &str) -> Option<u16> {
    let digits = s.trim().trim_end_matches(['级', '年']).trim();
    if !(digits.len() == 2 || digits.len() == 4) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: u16 = digits.parse().ok()?;
    let year = match (digits.len(), year) {
        (2, y) if y > 50 => 1900 + y,
        (2, y) => 2000 + y,
        (_, y) => y,
    };
    (1950..=2100).contains(&year).then_some(year)
}

/// The facts kept about a person. The procedure itself lives in their events.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// `None` until stored.
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub id: Option<Id>,
    /// The branch (党支部) the person belongs to.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub branch_id: Id,
    pub name: String,
    pub gender: Option<Gender>,
    pub ethnicity: Option<String>,
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub birth_date: Option<Date>,
    /// Validated with the GB 11643 check digit before it is stored.
    pub id_number: Option<String>,
    /// Student or staff number (学号/工号).
    pub student_no: Option<String>,
    pub category: Option<Category>,
    pub department: Option<String>,
    pub class_name: Option<String>,
    pub phone: Option<String>,
    pub native_place: Option<String>,
    pub notes: Option<String>,
    /// 学历.
    #[serde(default)]
    pub education: Option<Education>,
    /// 年级, for students: the year their class entered.
    #[serde(default)]
    pub class_year: Option<u16>,
    /// 层次, for students.
    #[serde(default)]
    pub student_level: Option<StudentLevel>,
    /// 职业, for staff.
    #[serde(default)]
    pub occupation: Option<Occupation>,
    /// 入党时间 of a member who joined before Dangan's records. When the branch meeting's
    /// admission is recorded, that date is when they joined, and this stays empty.
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    #[serde(default)]
    pub joined_on: Option<Date>,
}

impl Person {
    /// Whether the person's procedure ended before Dangan's records began: 入党时间 given, and
    /// neither the admission nor the conversion recorded. Such a member owes no step of the
    /// procedure (their activist reviews and reports are long past), and counts as a full member.
    pub fn joined_before_records(&self, events: &[super::ProcedureEvent]) -> bool {
        Person::joined_before_records_given(self.joined_on.is_some(), events.iter().map(|e| e.kind))
    }

    /// [`Person::joined_before_records`] for whoever holds only whether 入党时间 was given and the
    /// kinds of the steps recorded.
    pub fn joined_before_records_given(
        joined_on_given: bool,
        mut kinds: impl Iterator<Item = super::EventKind>,
    ) -> bool {
        use super::EventKind::{Admitted, ConversionApproved};
        joined_on_given && !kinds.any(|k| matches!(k, Admitted | ConversionApproved))
    }

    /// 入党时间: the admission recorded, else the date given for a member from before the records.
    pub fn joined(&self, events: &[super::ProcedureEvent]) -> Option<Date> {
        events.iter().find(|e| e.kind == super::EventKind::Admitted).map(|e| e.date).or(self.joined_on)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_read_the_spellings_rosters_use() {
        assert_eq!(Education::parse("本科"), Some(Education::Undergraduate));
        assert_eq!(Education::parse(" 硕士研究生 "), Some(Education::Postgraduate));
        assert_eq!(Education::parse("junior_college"), Some(Education::JuniorCollege));
        assert_eq!(Education::parse("幼儿园"), None);
        assert_eq!(StudentLevel::parse("博士生"), Some(StudentLevel::Doctoral));
        assert_eq!(Occupation::parse("离退休"), Some(Occupation::Retired));
        for &e in Education::ALL {
            assert_eq!(Education::parse(e.as_str()), Some(e));
            assert_eq!(Education::parse(&e.label().zh), Some(e));
        }
    }

    #[test]
    fn class_years_read_four_digits_two_digits_and_the_ji_suffix() {
        assert_eq!(parse_class_year("2024"), Some(2024));
        assert_eq!(parse_class_year("2023级"), Some(2023));
        assert_eq!(parse_class_year("24级"), Some(2024));
        assert_eq!(parse_class_year("98级"), Some(1998));
        assert_eq!(parse_class_year("2024年"), Some(2024));
        assert_eq!(parse_class_year("二四级"), None);
        assert_eq!(parse_class_year("20245"), None);
        assert_eq!(parse_class_year("1800"), None);
    }
}
