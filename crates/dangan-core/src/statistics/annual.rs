//! The annual party statistics report (党内统计年报) at the year's cut-off, and its consistency
//! check: per branch, members at the start + developed + transferred in − out − left − died must
//! equal members at the end, and any difference is named by the people who cause it.

use serde::Serialize;

use super::census::Counted;
use super::figures::age_row;
use super::table::{Spec, Table, column};
use super::{Scope, cell_people};
use crate::Text;
use crate::calendar::{self, Date};
use crate::domain::{Category, Education, Gender, Id, MembershipStatus, Occupation, Stage, StudentLevel};

/// `dangan report annual`: the tables a college reports for a year.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnnualReport {
    pub year: i32,
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub unit: Option<Id>,
    pub unit_name: String,
    /// The cut-off the year ends on, and the previous year's (the start).
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub start: Date,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub end: Date,
    /// People whose admission the upper committee approved in the year.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub developed: u64,
    /// Conversions approved in the year.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub converted: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub members_start: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub members_end: u64,
    pub tables: Vec<Table>,
    pub check: ConsistencyCheck,
}

/// start + developed + in − out − left − died = end, per branch.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsistencyCheck {
    /// Every branch balances and nobody is named.
    pub ok: bool,
    /// The branches whose figures do not balance.
    pub branches: Vec<BranchBalance>,
    /// The people who cause a difference, each with why.
    pub people: Vec<Discrepancy>,
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BranchBalance {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub branch_id: Id,
    pub branch: String,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub start: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub developed: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub transferred_in: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub transferred_out: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub left: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub died: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub end: u64,
    /// end − (start + developed + in − out − left − died): what the figures miss.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub difference: i64,
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Discrepancy {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub person_id: Id,
    pub name: String,
    pub branch: String,
    pub reason: Text,
}

/// The year's window: after the start cut-off, up to and including the end cut-off.
#[derive(Clone, Copy)]
struct Year {
    start: Date,
    end: Date,
}

impl Year {
    fn holds(self, day: Option<Date>) -> bool {
        day.is_some_and(|d| d > self.start && d <= self.end)
    }

    /// Developed here: approved in the year while in this register (a member who arrived after
    /// their approval was developed by the organisation they came from, and counts as 转入).
    fn developed(self, p: &Counted) -> bool {
        self.holds(p.developed_on()) && p.developed_on().is_some_and(|day| !p.out_on(day))
    }

    /// A member whose membership ended in the year: the procedure ended, or a decision or lapse
    /// took them off the register (停止党籍 included, see the note `left`).
    fn left(self, p: &Counted) -> bool {
        (self.holds(p.ended) && p.member_from().is_some_and(|m| Some(m) <= p.ended))
            || self.changed(p, |_, to| to.is_leaving() || to == MembershipStatus::Suspended)
    }

    /// A member who came into the register in the year: arrived by transfer, came back from a
    /// transfer, or had a suspension lifted.
    fn came_in(self, p: &Counted) -> bool {
        self.changed(p, |_, to| to == MembershipStatus::InRegister)
    }

    fn went_out(self, p: &Counted) -> bool {
        self.changed(p, |_, to| to == MembershipStatus::TransferredOut)
    }

    fn died(self, p: &Counted) -> bool {
        self.changed(p, |_, to| to == MembershipStatus::Deceased)
    }

    /// Whether a change of the year, made while the person was a member, fits `which(from, to)`.
    fn changed(self, p: &Counted, which: impl Fn(MembershipStatus, MembershipStatus) -> bool) -> bool {
        p.changes_in(self.start, self.end).any(|(day, from, to)| which(from, to) && p.member_at_change(day))
    }
}

/// The report's tables, in the order the report prints them.
/// Each member's study in the report's year: hours studied and hours asked.
pub type StudyYear = std::collections::HashMap<Id, (f64, u32)>;

/// What the year's report counts beyond the census: each member's study hours, and their grade
/// in the year's closed democratic appraisals.
#[derive(Debug, Default)]
pub struct YearFacts {
    pub study: StudyYear,
    pub grades: std::collections::HashMap<Id, crate::domain::Grade>,
}

fn specs<'a>(scope: &Scope<'a>, year: Year, facts: &'a YearFacts) -> Vec<Spec<'a>> {
    let (study, grades) = (&facts.study, &facts.grades);
    let rules = scope.rules;
    let mut specs = Vec::new();
    let branches = scope.branch_rows();
    let branch_index: std::collections::HashMap<Id, usize> =
        branches.iter().enumerate().map(|(i, (id, _, _))| (*id, i)).collect();
    specs.push(
        Spec::new(
            "changes",
            Text::new("党员数量变化情况", "Members: start, changes and end of the year"),
            rules.notes(&["members", "developed", "left", "transfers", "died"]),
            vec![
                column("members_start", "上年底党员数", "members at the start"),
                column("developed", "发展党员", "developed"),
                column("transferred_in", "转入", "transferred in"),
                column("transferred_out", "转出", "transferred out"),
                column("left", "出党", "left"),
                column("died", "死亡", "died"),
                column("members_end", "本年底党员数", "members at the end"),
                column("converted", "转正", "converted"),
            ],
            branches.into_iter().map(|(_, key, label)| (key, label)).collect(),
            move |p, out| {
                let Some(&r) = branch_index.get(&p.branch_id) else { return };
                for (c, counts) in [
                    (0, p.member_on(year.start)),
                    (1, year.developed(p)),
                    (2, year.came_in(p)),
                    (3, year.went_out(p)),
                    (4, year.left(p)),
                    (5, year.died(p)),
                    (6, p.member_on(year.end)),
                    (7, year.holds(p.conversion_approved)),
                ] {
                    if counts {
                        out.push((r, c));
                    }
                }
            },
        )
        .with_total(),
    );

    // New members by the facts the form asks for; the rows overlap, so the first is the total.
    let young = rules.young_age;
    let mut rows: Vec<(String, Text)> = vec![
        ("all".into(), Text::new("发展党员总数", "all new members")),
        ("female".into(), Text::new("其中：女性", "of whom women")),
        ("minority".into(), Text::new("少数民族", "ethnic minorities")),
        (format!("age_to_{young}"), Text::new(format!("{young}岁及以下"), format!("aged {young} and under"))),
    ];
    rows.extend(Education::ALL.iter().map(|e| (format!("education_{}", e.as_str()), e.label())));
    rows.push(("students".into(), Text::new("学生", "students")));
    rows.extend(StudentLevel::ALL.iter().map(|l| (format!("level_{}", l.as_str()), l.label())));
    rows.extend(Occupation::ALL.iter().map(|o| (format!("occupation_{}", o.as_str()), o.label())));
    let education_row = 4;
    let level_row = education_row + Education::ALL.len() + 1;
    let occupation_row = level_row + StudentLevel::ALL.len();
    specs.push(Spec::new(
        "developed",
        Text::new("发展党员情况", "New members"),
        rules.notes(&["developed", "age"]),
        vec![column("count", "人数", "people")],
        rows,
        move |p, out| {
            if !year.developed(p) {
                return;
            }
            out.push((0, 0));
            if p.gender == Some(Gender::Female) {
                out.push((1, 0));
            }
            if p.minority == Some(true) {
                out.push((2, 0));
            }
            if p.age_on(year.end).is_some_and(|a| a <= young) {
                out.push((3, 0));
            }
            if let Some(i) = p.education.and_then(|e| Education::ALL.iter().position(|x| *x == e)) {
                out.push((education_row + i, 0));
            }
            if p.category == Some(Category::Student) {
                out.push((level_row - 1, 0));
                if let Some(i) = p.student_level.and_then(|l| StudentLevel::ALL.iter().position(|x| *x == l)) {
                    out.push((level_row + i, 0));
                }
            } else if let Some(i) = p.occupation.and_then(|o| Occupation::ALL.iter().position(|x| *x == o)) {
                out.push((occupation_row + i, 0));
            }
        },
    ));

    let mut rows: Vec<(String, Text)> = StudentLevel::ALL.iter().map(|l| (l.as_str().to_owned(), l.label())).collect();
    rows.push(("unrecorded".into(), Text::new("层次未填写", "level not recorded")));
    specs.push(
        Spec::new(
            "student_members",
            Text::new("学生党员情况（年底）", "Student members at the end of the year"),
            rules.note("members"),
            vec![
                column("members", "学生党员", "student members"),
                column("probationary", "其中预备党员", "of whom probationary"),
            ],
            rows,
            move |p, out| {
                if p.category != Some(Category::Student) || !p.member_on(year.end) {
                    return;
                }
                let r = p
                    .student_level
                    .and_then(|l| StudentLevel::ALL.iter().position(|x| *x == l))
                    .unwrap_or(StudentLevel::ALL.len());
                out.push((r, 0));
                if p.probationary_on(year.end) {
                    out.push((r, 1));
                }
            },
        )
        .with_total(),
    );

    let pipeline = [Stage::Applicant, Stage::Activist, Stage::Candidate];
    specs.push(Spec::new(
        "pipeline",
        Text::new(
            "入党申请人、积极分子和发展对象（年底）",
            "Applicants, activists and development targets at the end of the year",
        ),
        rules.note("in_register"),
        vec![column("count", "人数", "people")],
        pipeline.iter().map(|s| (s.as_str().to_owned(), s.label())).collect(),
        move |p, out| {
            if let Some(r) = p.stage_on(year.end).and_then(|s| pipeline.iter().position(|x| *x == s)) {
                out.push((r, 0));
            }
        },
    ));

    let bands = rules.age_band_rows();
    let bounds: Vec<(Option<i32>, Option<i32>)> = bands.iter().map(|(_, _, low, high)| (*low, *high)).collect();
    let mut age_rows: Vec<(String, Text)> = bands.into_iter().map(|(key, label, _, _)| (key, label)).collect();
    age_rows.push(("unrecorded".into(), Text::new("出生日期未填写", "birth date not recorded")));
    specs.push(
        Spec::new(
            "members_by_age",
            Text::new("党员年龄（年底）", "Members by age at the end of the year"),
            rules.note("age"),
            vec![column("members", "党员", "members")],
            age_rows,
            move |p, out| {
                if p.member_on(year.end) {
                    out.push((age_row(&bounds, p.age_on(year.end)), 0));
                }
            },
        )
        .with_total(),
    );

    specs.push(Spec::new(
        "appraisal",
        Text::new("民主评议党员情况", "Democratic appraisal"),
        rules.note("appraisal"),
        vec![
            column("excellent", "优秀", "excellent"),
            column("qualified", "合格", "qualified"),
            column("basically_qualified", "基本合格", "basically qualified"),
            column("unqualified", "不合格", "unqualified"),
        ],
        vec![("all".into(), Text::new("全部", "all"))],
        move |p, out| {
            if let Some(grade) = grades.get(&p.id) {
                let column = crate::domain::Grade::ALL.iter().position(|g| g == grade).unwrap_or(0);
                out.push((0, column));
            }
        },
    ));
    // Members at the end of the year, those who studied at all, and those who studied the hours
    // asked of them (32, or 56 on a committee): each number opens its people.
    specs.push(Spec::new(
        "training",
        Text::new("党员教育培训情况", "Training and study hours"),
        rules.note("training"),
        vec![
            column("members", "党员", "members"),
            column("trained", "参加学习培训", "studied"),
            column("met", "达到规定学时", "studied the hours asked"),
        ],
        vec![("all".into(), Text::new("全部", "all"))],
        move |p, out| {
            if !p.member_on(year.end) {
                return;
            }
            out.push((0, 0));
            if let Some(&(hours, required)) = study.get(&p.id) {
                if hours > 0.0 {
                    out.push((0, 1));
                }
                if hours >= f64::from(required) {
                    out.push((0, 2));
                }
            }
        },
    ));
    specs
}

fn window(scope: &Scope<'_>, year: i32) -> crate::Result<Year> {
    let bad = || {
        crate::Error::invalid(
            "year",
            format!("年份 {year} 超出可统计的范围"),
            format!("the year {year} is out of the range statistics can count"),
        )
    };
    if !(1921..=9999).contains(&year) {
        return Err(bad());
    }
    let (start, end) = (scope.rules.cut_off(year - 1).ok_or_else(bad)?, scope.rules.cut_off(year).ok_or_else(bad)?);
    Ok(Year { start, end })
}

/// Counts the annual report of `year`.
pub(crate) fn annual(scope: &Scope<'_>, year: i32, unit: Option<Id>, facts: &YearFacts) -> crate::Result<AnnualReport> {
    let window = window(scope, year)?;
    let tables: Vec<Table> = specs(scope, window, facts).iter().map(|spec| spec.count(scope.people())).collect();
    let total = |table: usize, column: usize| {
        tables.get(table).and_then(|t| t.rows.iter().find(|r| r.total)).and_then(|r| r.values[column]).unwrap_or(0)
    };
    let developed = tables.get(1).and_then(|t| t.rows.first()).and_then(|r| r.values[0]).unwrap_or(0);
    Ok(AnnualReport {
        year,
        unit,
        unit_name: scope.unit_name(unit),
        start: window.start,
        end: window.end,
        developed,
        converted: total(0, 7),
        members_start: total(0, 0),
        members_end: total(0, 6),
        check: check(scope, window, &tables[0]),
        tables,
    })
}

/// The people behind one number of the annual report.
pub(crate) fn people(scope: &Scope<'_>, year: i32, cell: &super::CellRef, facts: &YearFacts) -> crate::Result<Vec<Id>> {
    cell_people(&specs(scope, window(scope, year)?, facts), scope, cell)
}

/// Balances every branch of the `changes` table and names each person whose figures break it.
fn check(scope: &Scope<'_>, year: Year, changes: &Table) -> ConsistencyCheck {
    let mut branches = Vec::new();
    for row in changes.rows.iter().filter(|r| !r.total) {
        let v = |c: usize| row.values[c].unwrap_or(0);
        let (start, developed, came_in, went_out, left, died, end) = (v(0), v(1), v(2), v(3), v(4), v(5), v(6));
        let difference = end as i64
            - (start as i64 + developed as i64 + came_in as i64 - went_out as i64 - left as i64 - died as i64);
        if difference != 0 {
            branches.push(BranchBalance {
                branch_id: row.key.parse().unwrap_or_default(),
                branch: row.label.zh.clone(),
                start,
                developed,
                transferred_in: came_in,
                transferred_out: went_out,
                left,
                died,
                end,
                difference,
            });
        }
    }
    let mut people = Vec::new();
    for p in scope.people() {
        if let Some(reason) = discrepancy(p, year) {
            people.push(Discrepancy {
                person_id: p.id,
                name: p.name.to_string(),
                branch: scope.tree.path(p.branch_id),
                reason,
            });
        }
    }
    ConsistencyCheck { ok: branches.is_empty() && people.is_empty(), branches, people }
}

/// Why one person's figures do not add up over the year, if they do not: their part of the
/// balance, member at the end − member at the start − developed + left, is not 0.
fn discrepancy(p: &Counted, year: Year) -> Option<Text> {
    let count = |b: bool| i64::from(b);
    let (was, is) = (p.member_on(year.start), p.member_on(year.end));
    let (developed, left) = (year.developed(p), year.left(p));
    let (came_in, went_out, died) = (year.came_in(p), year.went_out(p), year.died(p));
    if count(is) - count(was) - count(developed) - count(came_in) + count(went_out) + count(left) + count(died) == 0 {
        return None;
    }
    let day = |d: Option<Date>| d.map(calendar::format_zh).unwrap_or_default();
    let joined_this_year = year.holds(p.member_from());
    Some(if joined_this_year && p.admission_approved.is_none() && p.admitted.is_some() {
        Text::new(
            format!("支部大会于 {} 接收为预备党员，但没有上级党委审批日期：请补记审批", day(p.admitted)),
            format!(
                "admitted by the branch meeting on {}, but no approval by the upper committee is recorded: record it",
                day(p.admitted)
            ),
        )
    } else if joined_this_year
        && p.admitted.is_none()
        && p.admission_approved.is_none()
        && p.conversion_approved.is_some()
    {
        Text::new(
            "有批准转正记录，但没有接收预备党员（支部大会、审批）记录",
            "a conversion is recorded but no admission (branch meeting or approval)",
        )
    } else if joined_this_year {
        Text::new(
            format!("入党时间 {} 在本年，但没有本年的发展记录（接收、审批）", day(p.joined_on)),
            format!("joined this year ({}) without a development recorded this year", day(p.joined_on)),
        )
    } else if developed && !is && !left {
        Text::new(
            format!("本年审批接收（{}），年底却不在党员数中，也没有出党记录", day(p.admission_approved)),
            format!(
                "approved this year ({}) but not a member at the end, with no leaving recorded",
                day(p.admission_approved)
            ),
        )
    } else {
        Text::new(
            format!("年初和年底的党员身份与本年的发展、出党记录不符（终止日期 {}）", day(p.ended)),
            format!(
                "membership at the start and the end does not follow from this year's records (ended {})",
                day(p.ended)
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{EventKind, OrgKind, OrgUnit};
    use crate::statistics::{Census, CountingRules};
    use crate::store::OrgTree;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn tree() -> OrgTree {
        let unit = |id, parent_id, kind, name: &str| OrgUnit { id, parent_id, kind, name: name.into() };
        OrgTree::new(vec![
            unit(1, None, OrgKind::Committee, "党委"),
            unit(2, Some(1), OrgKind::Branch, "甲支部"),
            unit(3, Some(1), OrgKind::Branch, "乙支部"),
        ])
    }

    fn person(id: Id, branch_id: Id, events: &[(EventKind, &str)]) -> Counted {
        let mut p = Counted { id, branch_id, name: format!("人{id}").into(), ..Counted::default() };
        for (kind, date) in events {
            p.note_event(*kind, d(date));
        }
        p
    }

    fn report(people: Vec<Counted>, year: i32) -> AnnualReport {
        report_with(people, year, &YearFacts::default())
    }

    fn report_with(people: Vec<Counted>, year: i32, facts: &YearFacts) -> AnnualReport {
        let (census, tree, rules) = (Census { people }, tree(), CountingRules::shipped());
        let scope = Scope { census: &census, tree: &tree, units: None, rules };
        annual(&scope, year, None, facts).unwrap()
    }

    #[test]
    fn the_training_table_counts_members_who_studied_and_those_who_studied_the_hours_asked() {
        let member =
            |id| person(id, 2, &[(EventKind::Admitted, "2020-06-01"), (EventKind::ConversionApproved, "2021-06-01")]);
        let applicant = person(9, 2, &[(EventKind::ApplicationReceived, "2025-06-01")]);
        let study: StudyYear =
            [(1, (40.0, 32)), (2, (12.5, 32)), (3, (50.0, 56)), (9, (8.0, 32))].into_iter().collect();
        let facts = YearFacts { study, ..YearFacts::default() };
        let report = report_with(vec![member(1), member(2), member(3), member(4), applicant], 2026, &facts);
        let training = report.tables.iter().find(|t| t.id == "training").unwrap();
        assert_eq!(training.rows[0].values, [Some(4), Some(3), Some(1)], "members, studied, studied enough");
        assert!(training.note.zh.contains("第二十条"));
    }

    #[test]
    fn the_counting_rules_in_a_table() {
        use EventKind::*;
        // (events, year) → (member at start, developed, left, member at end)
        type Case<'a> = (&'a [(EventKind, &'a str)], i32, [u64; 4]);
        let cases: [Case<'_>; 6] = [
            (&[(Admitted, "2025-12-20"), (AdmissionApproved, "2026-01-08")], 2025, [0, 0, 0, 0]),
            (&[(Admitted, "2025-12-20"), (AdmissionApproved, "2026-01-08")], 2026, [0, 1, 0, 1]),
            (&[(Admitted, "2025-12-01"), (AdmissionApproved, "2025-12-31")], 2025, [0, 1, 0, 1]),
            // No approval recorded: a member from the meeting, but developed by no one (named below).
            (&[(Admitted, "2026-03-01")], 2026, [0, 0, 0, 1]),
            (
                &[(Admitted, "2024-03-01"), (AdmissionApproved, "2024-04-01"), (MembershipEnded, "2026-02-01")],
                2026,
                [1, 0, 1, 0],
            ),
            // An applicant who gave up is not a member leaving.
            (&[(ApplicationReceived, "2025-03-01"), (MembershipEnded, "2026-02-01")], 2026, [0, 0, 0, 0]),
        ];
        for (events, year, expected) in cases {
            let r = report(vec![person(10, 2, events)], year);
            let left = r.tables[0].rows.last().and_then(|row| row.values[4]).unwrap();
            assert_eq!([r.members_start, r.developed, left, r.members_end], expected, "{events:?} in {year}");
            let unapproved = events.iter().all(|(kind, _)| *kind != AdmissionApproved);
            if unapproved && expected[3] == 1 {
                assert_eq!(r.check.people.len(), 1, "{events:?}: {:?}", r.check);
                assert!(r.check.people[0].reason.zh.contains("审批"), "{:?}", r.check.people[0]);
            } else {
                assert!(r.check.ok, "{events:?} in {year}: {:?}", r.check);
            }
        }
    }

    #[test]
    fn a_member_who_joined_and_left_in_the_year_is_named_where_their_branch_does_not_balance() {
        use EventKind::*;
        // 入党时间 March 2026, ended September 2026: left (+1) without being developed.
        let mut p = person(14, 2, &[(MembershipEnded, "2026-09-01")]);
        p.joined_on = Some(d("2026-03-01"));
        let r = report(vec![p], 2026);
        assert_eq!(r.check.branches.len(), 1, "{:?}", r.check);
        assert_eq!(r.check.branches[0].difference, 1);
        assert_eq!(r.check.people.len(), 1, "every difference is named: {:?}", r.check);
        assert_eq!(r.check.people[0].person_id, 14);
    }

    #[test]
    fn a_conversion_without_an_admission_is_named_and_its_branch_does_not_balance() {
        use EventKind::*;
        let planted = person(11, 3, &[(ApplicationReceived, "2020-01-01"), (ConversionApproved, "2026-05-10")]);
        let fine = person(12, 2, &[(Admitted, "2026-03-01"), (AdmissionApproved, "2026-03-20")]);
        let r = report(vec![planted, fine], 2026);
        assert!(!r.check.ok);
        assert_eq!(r.check.branches.len(), 1);
        assert_eq!((r.check.branches[0].branch.as_str(), r.check.branches[0].difference), ("乙支部", 1));
        assert_eq!(r.check.people.len(), 1);
        assert_eq!(r.check.people[0].person_id, 11);
        assert!(r.check.people[0].reason.zh.contains("没有接收预备党员"), "{:?}", r.check.people[0]);
    }
}
