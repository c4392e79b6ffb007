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
}
