//! Demo data: a believable organisation with people at every stage, dated relative to today so
//! that deadlines are live. Used by `dangan demo`, by the desktop app's first run in development,
//! and (in bulk) by the benchmarks. Generated records go through the same import and validation
//! as a real roster.

use std::collections::HashSet;
use std::ops::ControlFlow;

use chrono::{Datelike, Days};

use crate::calendar::{self, Date};
use crate::domain::{
    Category, Education, EventKind, Gender, Occupation, Person, ProcedureEvent, Stage, StudentLevel, with_check_digit,
};
use crate::roster::{ImportOptions, ImportReport, Roster, RosterRecord};
use crate::{Error, Result, Store, Text};

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于",
    "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆",
    "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "段",
    "雷", "侯", "龙", "史", "欧阳", "上官", "司马",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞",
    "平", "刚", "华", "玉", "萍", "红", "鹏", "飞", "鑫", "宇", "浩", "然", "子", "涵", "欣", "怡", "雨", "轩", "博",
    "文", "思", "佳", "嘉", "俊", "梓", "晨", "晓", "雪", "琳", "慧", "颖", "婷", "悦", "瑞", "泽", "一", "诗", "可",
    "心", "睿", "天", "锦", "铭", "昊", "宸", "彤", "萱", "瑶", "若", "安", "哲", "凯", "航", "诚", "毅", "昕", "璐",
];
/// (branch path, department, category of its people)
const BRANCHES: &[(&str, &str, Category)] = &[
    ("数学与统计学院党总支/本科生第一党支部", "数学与统计学院", Category::Student),
    ("数学与统计学院党总支/研究生党支部", "数学与统计学院", Category::Student),
    ("计算机学院学生第一党支部", "计算机科学与技术学院", Category::Student),
    ("计算机学院学生第二党支部", "计算机科学与技术学院", Category::Student),
    ("外国语学院学生党支部", "外国语学院", Category::Student),
    ("机关第一党支部", "党委组织部", Category::Staff),
    ("数学与统计学院党总支/教工党支部", "数学与统计学院", Category::Teacher),
];
const ETHNICITIES: &[&str] =
    &["汉族", "汉族", "汉族", "汉族", "汉族", "汉族", "回族", "壮族", "满族", "蒙古族", "藏族", "维吾尔族"];
const PLACES: &[&str] = &[
    "北京",
    "河北石家庄",
    "山东济南",
    "江苏南京",
    "浙江杭州",
    "湖北武汉",
    "广东广州",
    "四川成都",
    "陕西西安",
    "河南郑州",
];

/// A small deterministic generator (SplitMix64): the same seed gives the same organisation, so
/// demo data, screenshots and benchmarks are reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..hi` (`hi` exclusive, `lo < hi`).
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() as u64) as usize]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.range(0, 100) < percent
    }
}

fn days_before(date: Date, days: u64) -> Date {
    date.checked_sub_days(Days::new(days)).unwrap_or(date)
}

fn days_after(date: Date, days: u64) -> Date {
    date.checked_add_days(Days::new(days)).unwrap_or(date)
}

fn months_before(date: Date, months: u32) -> Date {
    date.checked_sub_months(chrono::Months::new(months)).unwrap_or(date)
}

/// Generates `count` people spread evenly over the five stages, as roster records.
pub fn records(count: usize, today: Date, seed: u64) -> Vec<RosterRecord> {
    let mut rng = Rng(seed);
    let mut id_numbers = HashSet::new();
    (0..count)
        .map(|i| {
            let stage = Stage::ALL[i % Stage::ALL.len()];
            person(&mut rng, i, stage, today, &mut id_numbers)
        })
        .collect()
}

fn person(rng: &mut Rng, index: usize, stage: Stage, today: Date, id_numbers: &mut HashSet<String>) -> RosterRecord {
    use EventKind::*;
    let mut events: Vec<ProcedureEvent> = Vec::new();
    // Steps that would fall after today have not happened yet; they are dropped at the end.
    let mut add = |kind, date: Date| events.push(ProcedureEvent::new(kind, date));
    // Work backwards from the milestone that defines the stage, so every date is in order.
    let (applied, activist, candidate, admitted) = match stage {
        Stage::Applicant => (days_before(today, rng.range(0, 75)), None, None, None),
        Stage::Activist => {
            let activist = days_before(today, rng.range(5, 360));
            (days_before(activist, rng.range(60, 300)), Some(activist), None, None)
        }
        Stage::Candidate => {
            let candidate = days_before(today, rng.range(3, 200));
            let activist = days_before(months_before(candidate, 12), rng.range(0, 120));
            (days_before(activist, rng.range(60, 300)), Some(activist), Some(candidate), None)
        }
        Stage::Probationary => {
            let admitted = days_before(today, rng.range(0, 390));
            let candidate = days_before(admitted, rng.range(60, 200));
            let activist = days_before(months_before(candidate, 12), rng.range(0, 90));
            (days_before(activist, rng.range(60, 300)), Some(activist), Some(candidate), Some(admitted))
        }
        Stage::FullMember => {
            let admitted = days_before(months_before(today, 12), rng.range(40, 1500));
            let candidate = days_before(admitted, rng.range(60, 200));
            let activist = days_before(months_before(candidate, 12), rng.range(0, 90));
            (days_before(activist, rng.range(60, 300)), Some(activist), Some(candidate), Some(admitted))
        }
    };
    add(ApplicationReceived, applied);
    // Some recent applicants have not had their talk yet: live deadlines for the reminders.
    if stage != Stage::Applicant || rng.chance(60) {
        add(ApplicantTalk, days_after(applied, rng.range(3, 28)));
    }
    if let Some(activist) = activist {
        add(ActivistDetermined, activist);
        add(ContactsAssigned, days_after(activist, rng.range(0, 15)));
    }
    if let Some(candidate) = candidate {
        add(CandidateDetermined, candidate);
        let end = admitted.unwrap_or(today);
        let span = (end - candidate).num_days().max(1) as u64;
        let review = days_after(candidate, rng.range(0, span));
        let training = days_after(candidate, rng.range(0, span));
        add(PoliticalReview, review);
        add(CentralisedTraining, training);
        if admitted.is_some() || rng.chance(40) {
            add(PrereviewPassed, review.max(training));
        }
    }
    if let Some(admitted) = admitted {
        add(Admitted, admitted);
        let approved = days_after(admitted, rng.range(15, 80));
        add(AdmissionApproved, approved);
        add(Oath, days_after(approved, rng.range(1, 30)));
        if stage == Stage::FullMember {
            // A few had their probation extended by six months: only those whose eighteen months,
            // and the weeks of meeting and approval after them, are over.
            let extended = rng.chance(5) && calendar::add_months(admitted, 20).is_some_and(|d| d <= today);
            let months = if extended { 18 } else { 12 };
            let end = calendar::add_months(admitted, months).unwrap_or(admitted);
            let meeting = days_after(end, rng.range(0, 20)).min(today);
            add(ConversionMeeting, meeting);
            add(ConversionApproved, days_after(meeting, rng.range(5, 60)).min(today));
            if extended {
                let mut e =
                    ProcedureEvent::new(ProbationExtended, calendar::add_years(admitted, 1).unwrap_or(admitted));
                e.months = Some(6);
                events.push(e);
            }
        }
    }
    // The latest thought report and activist review, as a roster carries them: most in time, a
    // few late, so the reminders have something to show.
    if let Some(activist) = activist
        && stage != Stage::FullMember
    {
        let report = days_before(today, rng.range(0, 100));
        if report >= activist {
            events.push(ProcedureEvent::new(ThoughtReport, report));
        }
        if stage == Stage::Activist {
            let review = days_before(today, rng.range(0, 200));
            if review >= activist {
                events.push(ProcedureEvent::new(ActivistReview, review));
            }
        }
    }
    events.retain(|e| e.date <= today);
    events.sort_by_key(|e| (e.date, e.kind));

    let (branch, department, category) = *rng.pick(BRANCHES);
    let gender = if rng.chance(55) { Gender::Female } else { Gender::Male };
    let years = if category == Category::Student { rng.range(18, 22) } else { rng.range(24, 40) } as u32;
    let birth = days_before(months_before(applied, years * 12), rng.range(0, 360));
    let name =
        format!("{}{}{}", rng.pick(SURNAMES), rng.pick(GIVEN), if rng.chance(70) { *rng.pick(GIVEN) } else { "" });
    let id_number = loop {
        let sequence = rng.range(0, 500) * 2 + u64::from(gender == Gender::Male);
        let candidate = with_check_digit(&format!(
            "{}{}{:03}",
            rng.pick(&["110105", "320102", "440304", "510104", "610113"]),
            birth.format("%Y%m%d"),
            sequence
        ));
        if id_numbers.insert(candidate.clone()) {
            break candidate;
        }
    };
    let entry_year = if category == Category::Student {
        applied.year() - i32::from(rng.chance(50))
    } else {
        2000 + (index % 20) as i32
    };
    let student_level = (category == Category::Student).then_some(match (index / 5) % 10 {
        7 | 8 => StudentLevel::Master,
        9 => StudentLevel::Doctoral,
        _ => StudentLevel::Undergraduate,
    });
    let person = Person {
        id: None,
        branch_id: 0,
        name,
        gender: Some(gender),
        ethnicity: Some((*rng.pick(ETHNICITIES)).to_owned()),
        birth_date: Some(birth),
        id_number: Some(id_number),
        student_no: Some(format!("{entry_year}{:06}", index)),
        category: Some(category),
        department: Some(department.to_owned()),
        class_name: (category == Category::Student).then(|| format!("{}级{}班", entry_year % 100, rng.range(1, 5))),
        phone: Some(format!("13{:09}", rng.range(0, 1_000_000_000))),
        native_place: Some((*rng.pick(PLACES)).to_owned()),
        notes: None,
        // From the index, not the generator: the draws above stay the same as before these fields.
        education: Some(match (category, student_level) {
            (Category::Student, Some(StudentLevel::Master | StudentLevel::Doctoral)) | (Category::Teacher, _) => {
                Education::Postgraduate
            }
            (Category::Staff, _) if index % 4 == 3 => Education::JuniorCollege,
            _ => Education::Undergraduate,
        }),
        class_year: (category == Category::Student).then(|| u16::try_from(entry_year).unwrap_or(2000)),
        student_level,
        occupation: match category {
            Category::Student => None,
            Category::Teacher => Some(Occupation::Professional),
            Category::Staff => Some([Occupation::Manager, Occupation::Worker, Occupation::Professional][index % 3]),
        },
        joined_on: None,
    };
    let extension_months = events.iter().find(|e| e.kind == ProbationExtended).and_then(|e| e.months);
    RosterRecord { row: index as u64 + 2, person, branch: branch.to_owned(), events, extension_months }
}

/// Fills a new workspace with `count` generated people (about a fifth at each stage). Refuses
/// one that holds people already: demo data goes into a new workspace only.
pub fn populate(store: &mut Store, count: usize, seed: u64) -> Result<ImportReport> {
    // Whoever may not add people hears that first, before anything about the workspace.
    store.require(crate::access::Action::EditMembers)?;
    // Made-up people among real ones could not be told apart afterwards.
    if store.count_people()? > 0 {
        return Err(Error::InvalidInput {
            field: "workspace".into(),
            reason: Text::new(
                "工作区中已有人员，演示数据只能填入新的工作区",
                "the workspace already holds people; demo data goes into a new workspace only",
            ),
        });
    }
    let records = records(count, store.today(), seed);
    let roster = Roster { rows: records.len() as u64, records, ..Roster::default() };
    store.import_roster(roster, ImportOptions::default(), |_| ControlFlow::Continue(()))
}
