//! Every operation of the façade against every role: one table with a row per public method of
//! [`Session`], naming what the method needs (an [`Action`] of the role table in `access.rs`, or
//! no role at all) and calling it on a fixture with valid arguments. Each subject — an
//! administrator, an organiser, a branch secretary (on their own branch, and again on a member of
//! another), an auditor and the recovery key — runs every row, and:
//!
//! - a call is allowed iff the role table says so (`Role::may`; for the recovery key, its
//!   session's `SessionUser::may`), and an allowed call succeeds;
//! - a refusal is `Forbidden` and changes nothing (the audit log, the number of people, the key
//!   file and the files written outside the workspace are as they were).
//!
//! The role checks live in the store (`Store::require`, `require_member`, `require_branch`); this
//! table is what holds them to the role table. A public method of `Session` without a row fails
//! `the_table_has_a_row_for_every_public_method_of_the_session`.

use std::collections::BTreeSet;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use crate::common::office::{ADMINISTRATOR, Office, add, office, passphrase_of};
use crate::common::{CHEAP, PASSPHRASE, TODAY, d};
use Action::{
    ApproveTransfers, Backup, EditCalendar, EditMembers, EditOrganisation, EditRules, HandleComplaints, ManageUsers,
    ReadAudit, ReadMembers, Restore, Verify,
};
use Needs::{Nothing, Passphrase, PassphraseAnd, RecoveryCode as Code, SignedIn};
use On::{Member, Workspace as Whole};
use dangan_core::access::{Action, NewUser, Role};
use dangan_core::appraisal::{AppraisalStep, CorrectionOutcome, GradeDecision, VoteRow, Votes};
use dangan_core::arrival::NewArrival;
use dangan_core::calendar::Date;
use dangan_core::complaints::{Channel, Handling, NewComplaint, NewHandling};
use dangan_core::deadlines::{DeadlineQuery, Owner, OwnerKind};
use dangan_core::domain::{
    Attendance, Attendee, ClassKind, ClassSession, CommitteePost, DuesCategory, EventKind, FileRecord, Grade, Id,
    Meeting, MeetingKind, MembershipStatus, OrgKind, Person, PostHeld, ProcedureEvent, RecordFields, RecordKind,
    StatusChange, StudyEntry, TraineeResult, TrainingClass,
};
use dangan_core::dues::Month;
use dangan_core::jobs::Progress;
use dangan_core::keys::RecoveryCode;
use dangan_core::roster::{self, ImportOptions};
use dangan_core::statistics::export::ChartImage;
use dangan_core::statistics::{CellRef, Report, StatsQuery};
use dangan_core::store::{AuditQuery, DuesBase, DuesPayment, MeetingQuery, MemberQuery, NewAttachment};
use dangan_core::transfer::NewLetter;
use dangan_core::transfer_request::NewTransferRequest;
use dangan_core::workdays::{CalendarDay, DayKind};
use dangan_core::workspace::NewWorkspace;
use dangan_core::{ErrorKind, Lang, Result, Session, Workspace};

/// What a method asks of whoever calls it.
#[derive(Debug, Clone, Copy)]
enum Needs {
    /// The role must allow the action.
    Action(Action),
    /// Any signed-in user, the recovery key's session included (what it answers is cut to what
    /// the user may see, or holds nothing of the members).
    SignedIn,
    /// Nothing: no session, no role (a new workspace).
    Nothing,
    /// No session: a passphrase that opens its own slot. The recovery code is no passphrase.
    Passphrase,
    /// No session: a passphrase whose user's role allows the action.
    PassphraseAnd(Action),
    /// No session: the recovery code.
    RecoveryCode,
}

/// What a row acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum On {
    /// The workspace as a whole.
    Workspace,
    /// A member, their records or their branch: a branch secretary only within their branches.
    Member,
}

struct Row {
    method: &'static str,
    needs: Needs,
    on: On,
    call: fn(&mut Fixture) -> Result<()>,
}

const fn row(method: &'static str, needs: Needs, on: On, call: fn(&mut Fixture) -> Result<()>) -> Row {
    Row { method, needs, on, call }
}

const fn may(action: Action) -> Needs {
    Needs::Action(action)
}

/// The façade, in the order of `session.rs`. Each call takes its arguments from the fixture, never
/// from what the subject could read, so that a refusal is the method's own.
static TABLE: &[Row] = &[
    // Locked: making and opening a workspace.
    row("create", Nothing, Whole, |f| {
        let new = NewWorkspace { kdf: CHEAP, ..NewWorkspace::new("a new workspace's passphrase", "新党委") };
        ok(Session::create(Workspace::at(f.out.join("created")), &new))
    }),
    row("create_demo", Nothing, Whole, |f| {
        let new = NewWorkspace { kdf: CHEAP, ..NewWorkspace::new("a demo workspace's passphrase", "演示党委") };
        ok(Session::create_demo(Workspace::at(f.out.join("demo")), &new))
    }),
    row("roster_template", Nothing, Whole, |f| Session::roster_template(&f.office.ws, &f.out.join("blank.xlsx"))),
    row("unlock", Passphrase, Whole, |f| ok(Session::unlock(f.office.ws.clone(), f.user.as_deref(), &f.passphrase))),
    row("unlock_with_recovery", Code, Whole, |f| ok(Session::unlock_with_recovery(f.office.ws.clone(), &f.code))),
    row("restore", PassphraseAnd(Restore), Whole, |f| {
        let into = Workspace::at(f.out.join("restored"));
        ok(Session::restore(&f.backup, into, f.user.as_deref(), &f.backup_passphrase, carry_on))
    }),
    row("change_passphrase", Passphrase, Whole, |f| {
        let new = format!("{}, changed", f.passphrase);
        Session::change_passphrase(&f.office.ws, f.user.as_deref(), &f.passphrase, &new)?;
        f.passphrase = new;
        Ok(())
    }),
    // The session itself.
    row("workspace", SignedIn, Whole, |f| done(f.session.workspace())),
    row("session_user", SignedIn, Whole, |f| done(f.session.session_user())),
    row("procedure", SignedIn, Whole, |f| done(f.session.procedure())),
    row("today", SignedIn, Whole, |f| done(f.session.today())),
    row("set_today", SignedIn, Whole, |f| {
        f.session.set_today(d(TODAY));
        Ok(())
    }),
    row("warm_up", may(ReadMembers), Whole, |f| f.session.warm_up()),
    row("store", SignedIn, Whole, |f| done(f.session.store())),
    // Members and their procedure.
    row("list_members", may(ReadMembers), Member, |f| ok(f.session.list_members(&f.listed()))),
    row("for_each_member_page", may(ReadMembers), Member, |f| {
        ok(f.session.for_each_member_page(&f.listed(), |_| Ok(ControlFlow::Continue(()))))
    }),
    row("count_people", may(ReadMembers), Whole, |f| ok(f.session.count_people())),
    row("member", may(ReadMembers), Member, |f| ok(f.session.member(f.member))),
    row("late_steps_of", may(ReadMembers), Member, |f| ok(f.session.late_steps_of(&[f.member]))),
    row("save_person", may(EditMembers), Member, |f| {
        ok(f.session.save_person(Person { notes: Some("已谈话".into()), ..f.person.clone() }))
    }),
    row("save_event", may(EditMembers), Member, |f| {
        ok(f.session.save_event(f.member, ProcedureEvent { note: Some("书面申请".into()), ..f.application.clone() }))
    }),
    row("save_event_for_many", may(EditMembers), Member, |f| {
        ok(f.session.save_event_for_many(&[f.member], &ProcedureEvent::new(EventKind::ThoughtReport, d("2026-11-20"))))
    }),
    row("delete_event", may(EditMembers), Member, |f| ok(f.session.delete_event(f.member, f.talk))),
    row("status_history", may(ReadMembers), Member, |f| ok(f.session.status_history(f.member))),
    // A transfer out and back: the two rows leave the member in the register for the rows after.
    row("change_status", may(EditMembers), Member, |f| {
        let change = StatusChange {
            id: None,
            person_id: f.member,
            status: MembershipStatus::TransferredOut,
            date: d("2026-11-20"),
            reason: None,
        };
        ok(f.session.change_status(change))
    }),
    row("undo_status_change", may(EditMembers), Member, |f| ok(f.session.undo_status_change(f.member, None))),
    row("dues_rate", SignedIn, Whole, |f| ok(f.session.dues_rate(DuesCategory::Salaried, 420_000))),
    row("set_dues_base", may(EditMembers), Member, |f| {
        let base = DuesBase {
            person_id: f.veteran,
            category: DuesCategory::Salaried,
            base_fen: 420_000,
            from_month: Month::new(2026, 11).unwrap(),
        };
        ok(f.session.set_dues_base(base))
    }),
    row("record_dues", may(EditMembers), Member, |f| {
        let payment = DuesPayment {
            person_id: f.veteran,
            from_month: Month::new(2026, 11).unwrap(),
            months: 1,
            paid_on: Some(d(TODAY)),
            paid_by: None,
            deferred: None,
        };
        ok(f.session.record_dues(payment))
    }),
    row("undo_dues_month", may(EditMembers), Member, |f| ok(f.session.undo_dues_month(f.veteran, None))),
    row("dues_ledger", may(ReadMembers), Member, |f| ok(f.session.dues_ledger(f.veteran))),
    row("dues_arrears", may(ReadMembers), Whole, |f| ok(f.session.dues_arrears(None))),
    row("dues_summary", may(ReadMembers), Whole, |f| {
        let month = Month::new(2026, 11).unwrap();
        ok(f.session.dues_summary(None, month, month))
    }),
    // Transfers by letter: the leaver's expired letter is read, printed and reissued; the new one
    // cancelled (back in the register), then a third issued and received.
    row("letters", may(ReadMembers), Whole, |f| ok(f.session.letters(None, false))),
    row("letter", may(ReadMembers), Member, |f| ok(f.session.letter(f.letter))),
    row("write_letters", may(ReadMembers), Member, |f| {
        ok(f.session.write_letters(&[f.letter], &f.out.join("介绍信.pdf")))
    }),
    row("reissue_letter", may(EditMembers), Member, |f| {
        ok(f.session.reissue_letter(f.letter, d(TODAY), None, Some(&f.out.join("重开.pdf"))))
    }),
    row("cancel_letter", may(EditMembers), Member, |f| {
        let open = open_letter(f)?;
        ok(f.session.cancel_letter(open, d(TODAY), Some("转入单位有误".into())))
    }),
    // Applications to transfer out: another member applies; the veteran's application is
    // approved, then declined (they withdrew); the mover's, approved in the fixture, gets its
    // letter (a branch secretary issues one only against an approved application), received.
    row("apply_transfer", may(EditMembers), Member, |f| {
        let new = NewTransferRequest {
            person_id: f.deadline.0,
            destination: "中共某公司委员会".into(),
            reason: Some("工作调动".into()),
            applied_on: d(TODAY),
        };
        ok(f.session.apply_transfer(new))
    }),
    row("approve_transfer", may(ApproveTransfers), Member, |f| ok(f.session.approve_transfer(f.request, d(TODAY)))),
    row("decline_transfer", may(ApproveTransfers), Member, |f| {
        ok(f.session.decline_transfer(f.request, d(TODAY), "本人撤回申请"))
    }),
    row("transfer_requests", may(ReadMembers), Whole, |f| ok(f.session.transfer_requests(None, true))),
    row("transfer_request", may(ReadMembers), Member, |f| ok(f.session.transfer_request(f.request))),
    row("issue_letter", may(EditMembers), Member, |f| {
        ok(f.session.issue_letter(letter_for(f.mover, TODAY), Some(&f.out.join("新介绍信.pdf"))))
    }),
    row("record_receipt", may(EditMembers), Member, |f| {
        let open = f.session.letters(Some(f.mover), true)?.first().map_or(f.letter, |l| l.id);
        ok(f.session.record_receipt(open, d(TODAY)))
    }),
    row("register_arrival", may(EditMembers), Member, |f| {
        let arrival = NewArrival {
            person: Person { branch_id: f.branch, name: "郑十一".into(), ..Person::default() },
            steps: vec![ProcedureEvent::new(EventKind::ApplicationReceived, d("2026-03-01"))],
            received_on: d(TODAY),
            origin: "中共某大学委员会".into(),
            letter_number: None,
            letter_issued_on: None,
            dues_paid_through: None,
            materials: vec!["application_letter".into()],
            another_person: false,
        };
        ok(f.session.register_arrival(arrival))
    }),
    row("arrival", may(ReadMembers), Member, |f| ok(f.session.arrival(f.member))),
    row("write_member_package", may(EditMembers), Member, |f| {
        // The newest of the mover's letters (received by now, for whoever could record it).
        let newest = f.session.letters(Some(f.mover), false)?.first().map_or(f.letter, |l| l.id);
        ok(f.session.write_member_package(newest, &f.out.join("孙八.dangan-member")))
    }),
    row("receive_member_package", may(EditMembers), Member, |f| {
        ok(f.session.receive_member_package(&f.package, &f.package_code, f.branch, d(TODAY), false))
    }),
    // A class leaving: the class year read, the batch checked, then issued (the member leaves
    // and comes back with the cancel of their letter, for the rows after).
    row("class_of", may(ReadMembers), Whole, |f| ok(f.session.class_of(2022, None))),
    row("check_letters", may(EditMembers), Member, |f| ok(f.session.check_letters(&[letter_for(f.member, TODAY)]))),
    row("issue_letters", may(EditMembers), Member, |f| {
        let issued =
            f.session.issue_letters(&[letter_for(f.member, TODAY)], Some(&f.out.join("班级.pdf")), carry_on)?;
        ok(f.session.cancel_letter(issued[0].id, d(TODAY), None))
    }),
    row("keep_graduate", may(EditMembers), Member, |f| ok(f.session.keep_graduate(f.veteran, Some(d("2026-06-30"))))),
    row("dues_receipts", may(ReadMembers), Whole, |f| {
        let month = Month::new(2026, 11).unwrap();
        ok(f.session.dues_receipts(None, month, month))
    }),
    row("export_dues", may(ReadMembers), Whole, |f| {
        let month = Month::new(2026, 11).unwrap();
        ok(f.session.export_dues(None, month, month, &f.out.join("党费.xlsx")))
    }),
    row("export_letters", may(ReadMembers), Whole, |f| {
        ok(f.session.export_letters(None, false, &f.out.join("介绍信.xlsx")))
    }),
    row("import_dues", may(EditMembers), Whole, |f| ok(f.session.import_dues(&f.input.join("党费.csv"), carry_on))),
    // The complaints register: the discipline inspector's alone; its counts anyone's.
    row("complaints_overview", SignedIn, Whole, |f| ok(f.session.complaints_overview())),
    row("add_complaint", may(HandleComplaints), Whole, |f| {
        let new = NewComplaint {
            channel: Channel::Phone,
            received_on: d(TODAY),
            complainant: None,
            concerning: Some(f.member),
            category: None,
            summary: "反映有关问题".into(),
            belongs_elsewhere: false,
        };
        ok(f.session.add_complaint(&new))
    }),
    row("complaints", may(HandleComplaints), Whole, |f| ok(f.session.complaints(false))),
    row("complaint", may(HandleComplaints), Whole, |f| ok(f.session.complaint("2026-001"))),
    row("handle_complaint", may(HandleComplaints), Whole, |f| {
        let step = NewHandling { handling: Handling::Holding, date: d(TODAY), to: None, note: None, reported_on: None };
        ok(f.session.handle_complaint("2026-001", &step))
    }),
    row("add_complaint_attachments", may(HandleComplaints), Whole, |f| {
        ok(f.session.add_complaint_attachments("2026-001", &[f.input.join("scan.jpg")]))
    }),
    row("save_complaint_attachment_as", may(HandleComplaints), Whole, |f| {
        let first = f.session.complaint("2026-001")?.attachments.first().map_or(0, |a| a.id);
        ok(f.session.save_complaint_attachment_as("2026-001", first, &f.out.join("举报材料.jpg")))
    }),
    row("write_complaint_form", may(HandleComplaints), Whole, |f| {
        ok(f.session.write_complaint_form("2026-001", &f.out.join("办理登记表.pdf")))
    }),
    row("register_waiting", may(HandleComplaints), Whole, |f| ok(f.session.register_waiting())),
    row("grant_register", may(HandleComplaints), Whole, |f| ok(f.session.grant_register(SECOND_INSPECTOR))),
    row("close_complaint", may(HandleComplaints), Whole, |f| {
        ok(f.session.close_complaint("2026-001", d(TODAY), "予以了结"))
    }),
    // The democratic appraisal: the fixture's of 2025 is dated, voted, graded (the veteran
    // unsatisfactory), printed and closed, the veteran's correction ended; the next year opened.
    row("open_appraisals", may(EditMembers), Member, |f| ok(f.session.open_appraisals(f.branch, 2026, d(TODAY)))),
    row("appraisals", may(ReadMembers), Whole, |f| ok(f.session.appraisals(2025, None))),
    row("appraisal", may(ReadMembers), Member, |f| ok(f.session.appraisal(f.appraisal))),
    row("appraisal_of", may(ReadMembers), Member, |f| ok(f.session.appraisal_of(f.branch, 2025))),
    row("date_appraisal_step", may(EditMembers), Member, |f| {
        ok(f.session.date_appraisal_step(f.appraisal, AppraisalStep::Vote, Some(d("2026-01-15"))))
    }),
    row("record_votes", may(EditMembers), Member, |f| {
        let votes = Votes { excellent: 0, qualified: 1, basically_qualified: 0, unqualified: 2 };
        ok(f.session.record_votes(f.appraisal, 3, &[VoteRow { person_id: f.mover, votes }]))
    }),
    row("import_votes", may(EditMembers), Member, |f| {
        ok(f.session.import_votes(f.appraisal, 3, &f.input.join("计票.csv")))
    }),
    row("propose_grade", may(EditMembers), Member, |f| {
        ok(f.session.propose_grade(f.appraisal, f.veteran, Some(Grade::Qualified)))
    }),
    row("grade_member", may(EditMembers), Member, |f| {
        // The mover left by letter above: no grade for them any more.
        for p in f.session.appraisal(f.appraisal)?.participants.into_iter().filter(|p| p.graded && p.in_register) {
            let (grade, reason) = if p.person_id == f.veteran {
                (Grade::Unqualified, Some("长期不参加组织生活".to_owned()))
            } else {
                (Grade::Qualified, None)
            };
            f.session.grade_member(f.appraisal, &GradeDecision { person_id: p.person_id, grade, reason })?;
        }
        Ok(())
    }),
    row("write_ballots", may(ReadMembers), Member, |f| {
        ok(f.session.write_ballots(f.appraisal, &f.out.join("测评表.pdf")))
    }),
    row("close_appraisal", may(EditMembers), Member, |f| ok(f.session.close_appraisal(f.appraisal, d("2026-01-20")))),
    row("end_correction", may(EditMembers), Member, |f| {
        ok(f.session.end_correction(f.appraisal, f.veteran, CorrectionOutcome::Corrected, d(TODAY), None))
    }),
    row("write_appraisal_results", may(ReadMembers), Member, |f| {
        ok(f.session.write_appraisal_results(f.appraisal, &f.out.join("评议结果.pdf")))
    }),
    row("export_appraisals", may(ReadMembers), Whole, |f| {
        ok(f.session.export_appraisals(2025, None, &f.out.join("评议.xlsx")))
    }),
    // The organisation.
    row("org_tree", SignedIn, Whole, |f| ok(f.session.org_tree())),
    row("org_units", SignedIn, Whole, |f| ok(f.session.org_units())),
    row("add_org_unit", may(EditOrganisation), Whole, |f| {
        ok(f.session.add_org_unit(f.committee, OrgKind::Branch, "第三党支部"))
    }),
    // Rosters.
    row("import_roster_file", may(EditMembers), Whole, |f| {
        ok(f.session.import_roster_file(&f.input.join("王五.csv"), ImportOptions::default(), carry_on))
    }),
    row("import_roster", may(EditMembers), Whole, |f| {
        let roster = roster::read(&f.input.join("赵六.csv"))?;
        ok(f.session.import_roster(roster, ImportOptions::default(), carry_on))
    }),
    row("export_members", may(ReadMembers), Member, |f| {
        ok(f.session.export_members(&f.listed(), &f.out.join("members.xlsx"), carry_on))
    }),
    // Allowed means it got past the role check: the office holds people, so demo data is refused
    // for that (`invalid_input` naming the workspace), never for the role.
    row("fill_demo", may(EditMembers), Whole, |f| match f.session.fill_demo(3, 7) {
        Err(dangan_core::Error::InvalidInput { field, .. }) if field == "workspace" => Ok(()),
        other => ok(other),
    }),
    // Dossiers.
    row("write_dossier", may(ReadMembers), Member, |f| {
        ok(f.session.write_dossier(f.member, &f.out.join("dossier.pdf")))
    }),
    row("write_dossiers", may(ReadMembers), Member, |f| {
        ok(f.session.write_dossiers(&f.listed(), &f.out.join("dossiers"), carry_on))
    }),
    // Deadlines and reminders.
    row("dashboard", may(ReadMembers), Member, |f| ok(f.session.dashboard(None, Some(f.branch)))),
    row("deadlines", may(ReadMembers), Member, |f| ok(f.session.deadlines(&f.deadlines_listed()))),
    row("export_deadlines", may(ReadMembers), Member, |f| {
        f.session.export_deadlines(&f.deadlines_listed(), &f.out.join("期限.xlsx"))
    }),
    row("export_dashboard", may(ReadMembers), Member, |f| {
        f.session.export_dashboard(None, Some(f.branch), &f.out.join("工作提醒.xlsx"))
    }),
    row("dismiss_deadline", may(EditMembers), Member, |f| {
        let (member, rule, due) = f.deadline.clone();
        f.session.dismiss_deadline(member, &rule, due, None)
    }),
    row("restore_deadline", may(EditMembers), Member, |f| {
        let (member, rule, due) = f.deadline.clone();
        f.session.restore_deadline(member, &rule, due)
    }),
    // Reminders are work to do: each user gets those of the members they may change (none for an
    // auditor or the recovery key; tests/access.rs checks which).
    row("reminders_due", SignedIn, Whole, |f| ok(f.session.reminders_due(Some(d("2026-12-20"))))),
    row("deliver_reminders", SignedIn, Whole, |f| {
        ok(f.session.deliver_reminders(Some(d("2026-12-20")), Lang::Zh, |_| Ok(())))
    }),
    row("write_calendar", may(ReadMembers), Member, |f| {
        ok(f.session.write_calendar(&f.deadlines_listed(), &f.out.join("deadlines.ics")))
    }),
    // The official holiday calendar and the rules are the same for everyone to read.
    row("holidays", SignedIn, Whole, |f| ok(f.session.holidays())),
    row("set_holidays", may(EditCalendar), Whole, |f| {
        let new_year = CalendarDay { date: d("2027-01-01"), kind: DayKind::Holiday, name: Some("元旦".into()) };
        ok(f.session.set_holidays(&[new_year]))
    }),
    row("rules", SignedIn, Whole, |f| done(f.session.rules())),
    row("load_rules", may(EditRules), Whole, |f| ok(f.session.load_rules(""))),
    // The procedure's documents: read by whoever reads the members, worded by whoever sets the rules.
    row("documents", may(ReadMembers), Whole, |f| ok(f.session.documents())),
    row("document_template_source", may(ReadMembers), Whole, |f| {
        ok(f.session.document_template_source("applicant_talk_record"))
    }),
    row("load_document_template", may(EditRules), Whole, |f| {
        let shipped = dangan_core::documents::shipped_template("applicant_talk_record").unwrap();
        ok(f.session.load_document_template(shipped.source()))
    }),
    row("reset_document_template", may(EditRules), Whole, |f| {
        f.session.reset_document_template("applicant_talk_record")
    }),
    row("preview_document", may(ReadMembers), Member, |f| {
        ok(f.session.preview_document("applicant_talk_record", &[f.member], None))
    }),
    row("make_document", may(ReadMembers), Member, |f| {
        ok(f.session.make_document("applicant_talk_record", &[f.member], None, &f.out.join("talk.docx"), false))
    }),
    row("reset_rules", may(EditRules), Whole, |f| f.session.reset_rules()),
    row("rules_warning", SignedIn, Whole, |f| done(f.session.rules_warning())),
    // Branch life.
    row("save_meeting", may(EditMembers), Member, |f| {
        let present = [Attendee { person_id: f.member, attendance: Attendance::Present, reason: None }];
        ok(f.session.save_meeting(branch_meeting(f.branch), &present))
    }),
    row("meeting", may(ReadMembers), Member, |f| ok(f.session.meeting(f.meeting))),
    row("meetings", may(ReadMembers), Member, |f| {
        ok(f.session.meetings(&MeetingQuery { unit: Some(f.branch), ..MeetingQuery::default() }))
    }),
    row("import_attendance", may(EditMembers), Member, |f| {
        let sheet = f.input.join("出席.csv");
        let name = f.person.name.clone();
        fs::write(&sheet, format!("姓名,出席情况\n{name},出席\n"))
            .map_err(|e| dangan_core::Error::Io { path: sheet.clone(), source: e })?;
        ok(f.session.import_attendance(f.meeting, &sheet))
    }),
    row("import_meetings", may(EditMembers), Member, |f| {
        let sheet = f.input.join("会议.csv");
        let (unit, name) = (f.session.org_tree()?.path(f.branch), f.person.name.clone());
        fs::write(&sheet, format!("单位,会议类型,日期,出席\n{unit},谈心谈话,2026-11-05,{name}\n"))
            .map_err(|e| dangan_core::Error::Io { path: sheet.clone(), source: e })?;
        ok(f.session.import_meetings(&sheet, carry_on))
    }),
    row("write_work_register", may(ReadMembers), Member, |f| {
        f.session.write_work_register(f.branch, 2026, &f.out.join("工作手册.pdf"))
    }),
    row("write_meeting_paper", may(ReadMembers), Member, |f| {
        f.session.write_meeting_paper(f.meeting, false, &f.out.join("会议记录.pdf"))
    }),
    row("add_meeting_attachments", may(EditMembers), Member, |f| {
        ok(f.session.add_meeting_attachments(f.meeting, &[f.input.join("scan.jpg")]))
    }),
    row("meeting_attachment", may(ReadMembers), Member, |f| ok(f.session.meeting_attachment(f.meeting_file))),
    row("save_meeting_attachment_as", may(ReadMembers), Member, |f| {
        ok(f.session.save_meeting_attachment_as(f.meeting_file, &f.out.join("签到表.jpg")))
    }),
    row("delete_meeting_attachment", may(EditMembers), Member, |f| f.session.delete_meeting_attachment(f.meeting_file)),
    row("delete_meeting", may(EditMembers), Member, |f| f.session.delete_meeting(f.meeting)),
    row("save_post", may(EditMembers), Member, |f| {
        let post = PostHeld {
            id: None,
            unit_id: f.branch,
            person_id: f.member,
            post: CommitteePost::Secretary,
            since: d("2026-01-01"),
            until: None,
        };
        ok(f.session.save_post(post))
    }),
    row("posts", may(ReadMembers), Member, |f| ok(f.session.posts(Some(f.branch)))),
    row("save_group", may(EditMembers), Member, |f| ok(f.session.save_group(None, f.branch, "第一党小组"))),
    row("set_group_members", may(EditMembers), Member, |f| ok(f.session.set_group_members(f.group, &[f.member], None))),
    row("groups", may(ReadMembers), Member, |f| ok(f.session.groups(Some(f.branch)))),
    row("study_hours", may(ReadMembers), Member, |f| ok(f.session.study_hours(2026, Some(f.branch)))),
    row("life_plan", may(ReadMembers), Member, |f| ok(f.session.life_plan(f.branch, 2026, None))),
    row("save_class", may(EditMembers), Member, |f| ok(f.session.save_class(class_of(f.branch)))),
    row("class", may(ReadMembers), Member, |f| ok(f.session.class(f.class))),
    row("classes", may(ReadMembers), Member, |f| ok(f.session.classes(Some(f.branch), Some(2026)))),
    row("enrol", may(EditMembers), Member, |f| ok(f.session.enrol(f.class, &[f.member]))),
    row("set_session_attendance", may(EditMembers), Member, |f| {
        ok(f.session.set_session_attendance(f.class_session, &[f.member]))
    }),
    row("set_results", may(EditMembers), Member, |f| {
        let result = TraineeResult { person_id: f.member, score: Some(90), passed: Some(true) };
        ok(f.session.set_results(f.class, &[result]))
    }),
    // Allowed means it got past the role check: the class is not a development targets' one, so
    // no step can be recorded (`invalid_input` naming the kind), never refused for the role.
    row("record_training_steps", may(EditMembers), Member, |f| match f.session.record_training_steps(f.class) {
        Err(dangan_core::Error::InvalidInput { field, .. }) if field == "kind" => Ok(()),
        other => ok(other),
    }),
    row("write_certificates", may(ReadMembers), Member, |f| {
        f.session.write_certificates(f.class, &f.out.join("结业证书.pdf"))
    }),
    row("add_study_entry", may(EditMembers), Member, |f| {
        let entry = StudyEntry {
            id: None,
            person_id: f.member,
            date: d("2026-11-01"),
            minutes: 60,
            title: "网络学习".into(),
            source: None,
        };
        ok(f.session.add_study_entry(entry))
    }),
    row("import_study_entries", may(EditMembers), Whole, |f| {
        let sheet = f.input.join("个人学习.csv");
        let name = f.person.name.clone();
        fs::write(&sheet, format!("姓名,日期,学时,学习内容\n{name},2026-11-01,1.5,网络学习\n"))
            .map_err(|e| dangan_core::Error::Io { path: sheet.clone(), source: e })?;
        ok(f.session.import_study_entries(&sheet, carry_on))
    }),
    row("study_entries", may(ReadMembers), Member, |f| ok(f.session.study_entries(f.member, 2026))),
    // Allowed means it got past the role check: no such entry (`not_found`), never the role.
    row("delete_study_entry", may(EditMembers), Member, |f| match f.session.delete_study_entry(f.study_entry) {
        Err(dangan_core::Error::NotFound { .. }) => Ok(()),
        other => other,
    }),
    row("unenrol", may(EditMembers), Member, |f| ok(f.session.unenrol(f.class, &[f.member]))),
    // Last of the class's rows: the others act on the class.
    row("delete_class", may(EditMembers), Member, |f| f.session.delete_class(f.class)),
    row("set_life_from", may(EditOrganisation), Whole, |f| f.session.set_life_from(f.branch, d(TODAY))),
    row("dismiss_unit_deadline", may(EditMembers), Member, |f| {
        let (unit, group, rule, due) = f.unit_deadline.clone();
        f.session.dismiss_unit_deadline(unit, group, &rule, due, None)
    }),
    row("restore_unit_deadline", may(EditMembers), Member, |f| {
        let (unit, group, rule, due) = f.unit_deadline.clone();
        f.session.restore_unit_deadline(unit, group, &rule, due)
    }),
    row("statistics", may(ReadMembers), Member, |f| {
        ok(f.session.statistics(&StatsQuery { as_of: None, unit: Some(f.branch) }))
    }),
    row("annual_report", may(ReadMembers), Member, |f| ok(f.session.annual_report(2026, Some(f.branch)))),
    row("cell_people", may(ReadMembers), Member, |f| {
        let report = Report::Statistics { as_of: d(TODAY), unit: Some(f.branch) };
        ok(f.session.cell_people(&CellRef::parse_path(report, "by_stage/applicant/count")?, 0, 100))
    }),
    row("write_statistics", may(ReadMembers), Member, |f| {
        f.session.write_statistics(&StatsQuery { as_of: None, unit: Some(f.branch) }, &f.out.join("统计.xlsx"))
    }),
    row("write_annual_report", may(ReadMembers), Member, |f| {
        f.session.write_annual_report(2026, Some(f.branch), &f.out.join("年报.xlsx"))
    }),
    row("save_chart", may(ReadMembers), Whole, |f| {
        // The smallest PNG there is: one transparent pixel.
        let png_base64 =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=".into();
        let chart = ChartImage { title: "发展党员各阶段".into(), subtitle: String::new(), png_base64 };
        f.session.save_chart(&chart, &f.out.join("chart.png"))
    }),
    // A member's file.
    row("member_file", may(ReadMembers), Member, |f| ok(f.session.member_file(f.member))),
    row("records", may(ReadMembers), Member, |f| ok(f.session.records(f.member))),
    row("checklist", may(ReadMembers), Member, |f| ok(f.session.checklist(f.member))),
    row("latest_event", may(ReadMembers), Member, |f| {
        ok(f.session.latest_event(f.member, EventKind::ApplicationReceived))
    }),
    row("save_record", may(EditMembers), Member, |f| {
        let record = thought_report(f.member, "2026-11-20");
        ok(f.session.save_record(record, &[f.input.join("scan.jpg")]))
    }),
    row("delete_record", may(EditMembers), Member, |f| f.session.delete_record(f.record_to_delete)),
    row("attachment", may(ReadMembers), Member, |f| ok(f.session.attachment(f.attachment))),
    row("delete_attachment", may(EditMembers), Member, |f| f.session.delete_attachment(f.attachment_to_delete)),
    row("write_attachment", may(ReadMembers), Member, |f| {
        ok(f.session.write_attachment(f.attachment, &f.out.join("scan-again.jpg")))
    }),
    row("save_attachment_as", may(ReadMembers), Member, |f| {
        f.session.save_attachment_as(f.attachment, &f.out.join("scan.jpg"))
    }),
    // Backups and checks. The daily backup an administrator set up runs whoever is signed in.
    row("backup_now", may(Backup), Whole, |f| ok(f.session.backup_now(&f.out.join("now.dangan-backup"), carry_on))),
    row("backup_settings", SignedIn, Whole, |f| ok(f.session.backup_settings())),
    row("set_backup_settings", may(Backup), Whole, |f| {
        ok(f.session.set_backup_settings(Some(&f.out.join("daily")), 7))
    }),
    row("daily_backup", SignedIn, Whole, |f| ok(f.session.daily_backup())),
    row("verify", may(Verify), Whole, |f| ok(f.session.verify())),
    // Users, the recovery key and the audit log.
    row("users", may(ManageUsers), Whole, |f| ok(f.session.users())),
    row("user_named", may(ManageUsers), Whole, |f| ok(f.session.user_named(AUDITOR))),
    row("add_user", may(ManageUsers), Whole, |f| {
        let new = NewUser { name: "郑新", role: Role::Auditor, branches: &[], passphrase: "郑新-passphrase" };
        ok(f.session.add_user(&new))
    }),
    row("set_user_role", may(ManageUsers), Whole, |f| ok(f.session.set_user_role(f.spare_user, Role::Auditor, &[]))),
    row("remove_user", may(ManageUsers), Whole, |f| f.session.remove_user(f.user_to_remove)),
    row("reset_passphrase", may(ManageUsers), Whole, |f| {
        f.session.reset_passphrase(f.spare_user, "a passphrase set anew")
    }),
    row("change_own_passphrase", Passphrase, Whole, |f| {
        let new = format!("{}, mine", f.passphrase);
        f.session.change_own_passphrase(&f.passphrase, &new)?;
        f.passphrase = new;
        Ok(())
    }),
    row("new_recovery_code", may(ManageUsers), Whole, |f| {
        f.code = f.session.new_recovery_code()?.grouped().to_string();
        Ok(())
    }),
    // The sheet prints the code it is given and the committee's name, nothing else of the workspace.
    row("write_recovery_sheet", SignedIn, Whole, |f| {
        f.session.write_recovery_sheet(&RecoveryCode::parse(&f.code)?, &f.out.join("recovery.pdf"))
    }),
    row("new_recovery_sheet", may(ManageUsers), Whole, |f| {
        f.code = f.session.new_recovery_sheet(&f.out.join("new-recovery.pdf"))?.grouped().to_string();
        Ok(())
    }),
    row("audit_log", may(ReadAudit), Whole, |f| ok(f.session.audit_log(&AuditQuery::default()))),
    row("export_audit", may(ReadAudit), Whole, |f| {
        ok(f.session.export_audit(&AuditQuery::default(), &f.out.join("audit.csv")))
    }),
];

fn ok<T>(result: Result<T>) -> Result<()> {
    result.map(|_| ())
}

/// For the methods that cannot fail.
fn done<T>(_: T) -> Result<()> {
    Ok(())
}

fn carry_on(_: Progress) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

/// Who runs the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subject {
    /// A user of this role, acting in branch A (a branch secretary's own).
    Role(Role),
    /// The branch secretary of branch A, on a member of branch B: the rows `On::Member` only.
    SecretaryElsewhere,
    /// The recovery key's session.
    RecoveryKey,
}

const ORGANISER: &str = "赵组织";
const SECRETARY: &str = "孙书记";
const AUDITOR: &str = "钱审计";
const INSPECTOR: &str = "李纪检";
const SECOND_INSPECTOR: &str = "周纪检";

/// An office as `office()` makes it, its users, one member's file to act on, and the subject's
/// session. Rows that change the subject's sign-in (a passphrase, the recovery code) update it here.
struct Fixture {
    office: Office,
    session: Session,
    /// The subject's sign-in for the locked rows: their name and passphrase; for the recovery key,
    /// no name, and the code where a passphrase is asked.
    user: Option<String>,
    passphrase: String,
    /// What opened `backup` when it was made.
    backup_passphrase: String,
    code: String,
    backup: PathBuf,
    /// Files the rows read (rosters, a scan), outside the workspace.
    input: PathBuf,
    /// Where the rows write, outside the workspace.
    out: PathBuf,
    committee: Id,
    spare_user: Id,
    user_to_remove: Id,
    /// What the rows act on: in branch A, or in branch B for `SecretaryElsewhere`.
    branch: Id,
    member: Id,
    person: Person,
    application: ProcedureEvent,
    talk: Id,
    /// A pending item of another member of the same branch.
    deadline: (Id, String, Date),
    /// A meeting the branch owes (it has a full member).
    unit_deadline: (Id, Option<Id>, String, Date),
    /// A members' class run by the branch, the member enrolled and present at its session.
    class: Id,
    class_session: Id,
    /// An entry of the member's own study.
    study_entry: Id,
    /// A file of the meeting.
    meeting_file: Id,
    attachment: Id,
    attachment_to_delete: Id,
    record_to_delete: Id,
    /// A meeting of the branch, the member present.
    meeting: Id,
    /// A full member of the branch (from before the records), who pays dues.
    veteran: Id,
    /// A full member of the branch who left by a letter that has since expired (`letter`).
    leaver: Id,
    letter: Id,
    /// A full member of the branch whose application to transfer out is approved.
    mover: Id,
    /// The veteran's application to transfer out, awaiting its decision.
    request: Id,
    /// The branch's democratic appraisal of 2025, open.
    appraisal: Id,
    /// A member package from another office addressed to this one, and the code it opens with.
    package: PathBuf,
    package_code: String,
    /// A party group of the branch, empty.
    group: Id,
}

impl Fixture {
    fn listed(&self) -> MemberQuery {
        MemberQuery { branch_id: Some(self.branch), ..MemberQuery::all() }
    }

    fn deadlines_listed(&self) -> DeadlineQuery {
        DeadlineQuery { branch_id: Some(self.branch), ..DeadlineQuery::default() }
    }
}

const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00];
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

fn thought_report(member: Id, date: &str) -> FileRecord {
    FileRecord {
        version: None,
        id: None,
        person_id: member,
        kind: RecordKind::ThoughtReport,
        date: d(date),
        event_id: None,
        title: None,
        body: "思想汇报".into(),
        fields: RecordFields::default(),
        attachments: Vec::new(),
    }
}

/// A members' class run by `unit` in November 2026, with one session.
fn class_of(unit: Id) -> TrainingClass {
    TrainingClass {
        version: None,
        id: None,
        unit_id: unit,
        kind: ClassKind::MemberClass,
        name: "党员冬训班".into(),
        starts: d("2026-11-10"),
        ends: d("2026-11-11"),
        sessions: vec![ClassSession { id: None, date: d("2026-11-10"), minutes: 240, topic: None }],
    }
}

fn fixture(subject: Subject) -> Fixture {
    let (mut office, code) = office();
    let (branch_a, branch_b) = (office.branch_a, office.branch_b);
    add(&mut office, ORGANISER, Role::Organiser, &[]);
    add(&mut office, SECRETARY, Role::BranchSecretary, &[branch_a]);
    add(&mut office, AUDITOR, Role::Auditor, &[]);
    add(&mut office, INSPECTOR, Role::DisciplineInspector, &[]);
    add(&mut office, SECOND_INSPECTOR, Role::DisciplineInspector, &[]);
    let spare_user = add(&mut office, "吴临时", Role::Organiser, &[]);
    let user_to_remove = add(&mut office, "周临时", Role::Organiser, &[]);

    let (branch, member) =
        if subject == Subject::SecretaryElsewhere { (branch_b, office.li) } else { (branch_a, office.zhang) };
    let admin = &mut office.admin;
    let talk = admin.save_event(member, ProcedureEvent::new(EventKind::ApplicantTalk, d("2026-11-05"))).unwrap();
    let talk = talk.events.iter().find(|e| e.kind == EventKind::ApplicantTalk).unwrap().id.unwrap();
    let detail = admin.member(member).unwrap();
    let application = detail.events.iter().find(|e| e.kind == EventKind::ApplicationReceived).unwrap().clone();
    // Another member of the branch, whose talk is still to come: the item the rows set aside.
    let waiting = crate::common::office::member(admin, branch, "王二");
    let due = admin.deadlines(&DeadlineQuery { member_id: Some(waiting), ..DeadlineQuery::default() }).unwrap();
    let deadline =
        due.iter().find_map(|item| Some((item.owner.member_id()?, item.rule.to_string(), item.due))).unwrap();
    let scans = [
        NewAttachment { name: "汇报.jpg".into(), bytes: JPEG.to_vec() },
        NewAttachment { name: "签字页.pdf".into(), bytes: PDF.to_vec() },
    ];
    let kept = admin.save_record(thought_report(member, "2026-11-10"), &scans).unwrap();
    let record_to_delete = admin.save_record(thought_report(member, "2026-11-12"), &[]).unwrap().id.unwrap();
    let committee = admin.org_tree().unwrap().committee().unwrap().id;
    let meeting = admin.save_meeting(branch_meeting(branch), &[]).unwrap().meeting.id.unwrap();
    let group = admin.save_group(None, branch, "第二党小组").unwrap().id;
    let veteran = Person {
        branch_id: branch,
        name: "钱七".into(),
        birth_date: Some(d("1980-03-01")),
        joined_on: Some(d("2010-07-01")),
        ..Person::default()
    };
    let veteran = admin.save_person(veteran).unwrap().person.id.unwrap();
    let leaver = Person {
        branch_id: branch,
        name: "孙八".into(),
        birth_date: Some(d("1985-05-01")),
        joined_on: Some(d("2012-07-01")),
        ..Person::default()
    };
    let leaver = admin.save_person(leaver).unwrap().person.id.unwrap();
    let letter = admin.issue_letter(letter_for(leaver, "2026-09-01")).unwrap().id;
    let applying = |person_id| NewTransferRequest {
        person_id,
        destination: "中共某大学委员会".into(),
        reason: None,
        applied_on: d("2026-11-20"),
    };
    let mover = Person {
        branch_id: branch,
        name: "周九".into(),
        birth_date: Some(d("1990-05-01")),
        joined_on: Some(d("2015-07-01")),
        ..Person::default()
    };
    let mover = admin.save_person(mover).unwrap().person.id.unwrap();
    for person in [mover, member] {
        let id = admin.apply_transfer(applying(person)).unwrap().id;
        admin.approve_transfer(id, d("2026-11-21")).unwrap();
    }
    let request = admin.apply_transfer(applying(veteran)).unwrap().id;
    let owed = DeadlineQuery { branch_id: Some(branch), owed_by: Some(OwnerKind::Unit), ..DeadlineQuery::default() };
    let unit_deadline = admin
        .deadlines(&owed)
        .unwrap()
        .into_iter()
        .find_map(|item| match item.owner {
            Owner::Unit { unit_id, group_id, .. } => Some((unit_id, group_id, item.rule.to_string(), item.due)),
            Owner::Member { .. } => None,
        })
        .expect("a branch with a member owes meetings");
    let class = admin.save_class(class_of(branch)).unwrap();
    let class_id = class.class.id.unwrap();
    let class_session = class.class.sessions[0].id.unwrap();
    admin.enrol(class_id, &[member]).unwrap();
    admin.set_session_attendance(class_session, &[member]).unwrap();
    admin.set_results(class_id, &[TraineeResult { person_id: member, score: Some(88), passed: Some(true) }]).unwrap();
    let own = StudyEntry {
        id: None,
        person_id: member,
        date: d("2026-10-01"),
        minutes: 90,
        title: "专题学习".into(),
        source: None,
    };
    let study_entry = admin.add_study_entry(own).unwrap().id.unwrap();

    let root = office.dir.path().to_owned();
    let (input, out) = (root.join("in"), root.join("out"));
    fs::create_dir_all(&input).unwrap();
    fs::create_dir_all(out.join("daily")).unwrap();
    fs::write(input.join("scan.jpg"), JPEG).unwrap();
    let scan = NewAttachment { name: "签到表.jpg".into(), bytes: JPEG.to_vec() };
    let with_file = admin.add_meeting_attachments(meeting, &[scan]).unwrap();
    let meeting_file = with_file.attachments[0].id;
    for name in ["王五", "赵六"] {
        let roster = format!("姓名,所在党支部,递交入党申请书日期\n{name},第一党支部,2026-10-01\n");
        fs::write(input.join(format!("{name}.csv")), roster).unwrap();
    }
    let (package, package_code) = crate::common::package::sealed_for(&input, "测试党委", "冯十二", "2026-099", &[]);
    // A member of branch A paying dues from November, and a sheet paying it.
    let payer =
        Person { branch_id: branch_a, name: "褚九".into(), joined_on: Some(d("2011-07-01")), ..Person::default() };
    let payer = admin.save_person(payer).unwrap().person.id.unwrap();
    let base = DuesBase {
        person_id: payer,
        category: DuesCategory::Salaried,
        base_fen: 420_000,
        from_month: Month::new(2026, 11).unwrap(),
    };
    admin.set_dues_base(base).unwrap();
    fs::write(input.join("党费.csv"), "姓名,起始月份,月数,交纳日期\n褚九,2026-11,1,2026-11-24\n").unwrap();
    // The branch's appraisal of 2025, held in January, and a sheet of the veteran's votes.
    let appraisal = admin.open_appraisals(branch, 2025, d("2026-01-10")).unwrap()[0].id;
    fs::write(input.join("计票.csv"), "姓名,优秀,合格,基本合格,不合格\n钱七,1,2,0,0\n").unwrap();
    let backup = root.join("in/office.dangan-backup");
    dangan_core::backup::write_backup(admin, &office.ws, &backup).unwrap();

    let (user, passphrase) = match subject {
        Subject::Role(Role::Administrator) => (Some(ADMINISTRATOR.to_owned()), PASSPHRASE.to_owned()),
        Subject::Role(Role::Organiser) => (Some(ORGANISER.to_owned()), passphrase_of(ORGANISER)),
        Subject::Role(Role::BranchSecretary) | Subject::SecretaryElsewhere => {
            (Some(SECRETARY.to_owned()), passphrase_of(SECRETARY))
        }
        Subject::Role(Role::Auditor) => (Some(AUDITOR.to_owned()), passphrase_of(AUDITOR)),
        Subject::Role(Role::DisciplineInspector) => (Some(INSPECTOR.to_owned()), passphrase_of(INSPECTOR)),
        Subject::RecoveryKey => (None, code.grouped().to_string()),
    };
    let mut session = match subject {
        Subject::RecoveryKey => Session::unlock_with_recovery(office.ws.clone(), &code.grouped()).unwrap(),
        _ => Session::unlock(office.ws.clone(), user.as_deref(), &passphrase).unwrap(),
    };
    session.set_today(d(TODAY));
    Fixture {
        person: detail.person,
        application,
        talk,
        deadline,
        unit_deadline,
        class: class_id,
        class_session,
        study_entry,
        meeting_file,
        attachment: kept.attachments[0].id,
        attachment_to_delete: kept.attachments[1].id,
        record_to_delete,
        meeting,
        veteran,
        leaver,
        letter,
        mover,
        request,
        appraisal,
        package,
        package_code,
        group,
        committee,
        spare_user,
        user_to_remove,
        branch,
        member,
        session,
        backup_passphrase: passphrase.clone(),
        user,
        passphrase,
        code: code.grouped().to_string(),
        backup,
        input,
        out,
        office,
    }
}

/// A letter taking `person` to another university's committee, issued on `issued_on`.
fn letter_for(person_id: Id, issued_on: &str) -> NewLetter {
    NewLetter {
        person_id,
        destination: "中共某大学委员会".into(),
        addressee: None,
        validity_days: None,
        issued_on: d(issued_on),
        assessment: None,
    }
}

/// The leaver's letter still awaiting its receipt, as far as the subject can see (else the
/// expired one, which the row is then refused).
fn open_letter(f: &Fixture) -> Result<Id> {
    Ok(f.session.letters(Some(f.leaver), true)?.first().map_or(f.letter, |l| l.id))
}

/// A committee meeting of `branch` held on the tests' today.
fn branch_meeting(branch: Id) -> Meeting {
    Meeting {
        version: None,
        id: None,
        unit_id: branch,
        group_id: None,
        kind: MeetingKind::CommitteeMeeting,
        date: d(TODAY),
        held: true,
        place: None,
        chair: None,
        recorder: None,
        topic: Some("学习".into()),
        minutes: None,
        decisions: None,
        study_minutes: 60,
        guests: None,
    }
}

/// How the table says a row's call must be refused for a subject; `None`: it must succeed.
fn refusal(needs: Needs, subject: Subject, session_may: &[Action]) -> Option<ErrorKind> {
    let allows = |action: Action| match subject {
        Subject::Role(role) => role.may(action),
        // On a member outside their branches, nothing.
        Subject::SecretaryElsewhere => false,
        Subject::RecoveryKey => session_may.contains(&action),
    };
    match needs {
        Needs::Nothing | Needs::SignedIn | Needs::RecoveryCode => None,
        // The recovery code, given where a passphrase is asked, opens no slot.
        Needs::Passphrase | Needs::PassphraseAnd(_) if subject == Subject::RecoveryKey => {
            Some(ErrorKind::WrongPassphrase)
        }
        Needs::Passphrase => None,
        Needs::Action(action) | Needs::PassphraseAnd(action) => (!allows(action)).then_some(ErrorKind::Forbidden),
    }
}

/// What a refused call must leave as it was.
#[derive(Debug, PartialEq, Eq)]
struct Unchanged {
    audit_entries: u64,
    people: u64,
    /// A hash of the key file's bytes.
    key_file: u64,
    written: BTreeSet<(PathBuf, u64)>,
}

fn unchanged(f: &Fixture) -> Unchanged {
    let admin = &f.office.admin;
    Unchanged {
        audit_entries: admin.audit_log(&AuditQuery { limit: 1, ..AuditQuery::default() }).unwrap().total,
        people: admin.count_people().unwrap(),
        key_file: {
            let mut hasher = DefaultHasher::new();
            fs::read(f.office.ws.key_path()).unwrap().hash(&mut hasher);
            hasher.finish()
        },
        written: files_under(&f.out),
    }
}

fn files_under(dir: &Path) -> BTreeSet<(PathBuf, u64)> {
    let mut found = BTreeSet::new();
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        if meta.is_dir() {
            found.insert((entry.path(), 0));
            found.extend(files_under(&entry.path()));
        } else {
            found.insert((entry.path(), meta.len()));
        }
    }
    found
}

/// Runs every row as `subject`, and fails naming each call that went against the table.
fn run_table(subject: Subject) {
    let mut f = fixture(subject);
    let session_may = f.session.session_user().may.clone();
    let mut wrong = Vec::new();
    for row in TABLE {
        if subject == Subject::SecretaryElsewhere && row.on != On::Member {
            continue;
        }
        let refusal = refusal(row.needs, subject, &session_may);
        let before = unchanged(&f);
        let result = (row.call)(&mut f);
        match (refusal, result) {
            (None, Ok(())) => {}
            (None, Err(err)) => wrong.push(format!("{}: allowed ({:?}), but failed: {err:?}", row.method, row.needs)),
            (Some(kind), Ok(())) => wrong
                .push(format!("{}: needs {:?}, should be refused as {kind:?}, but was done", row.method, row.needs)),
            (Some(kind), Err(err)) if err.kind() != kind => {
                wrong.push(format!("{}: should be refused as {kind:?}, but failed: {err:?}", row.method))
            }
            (Some(_), Err(_)) => {
                let after = unchanged(&f);
                if after != before {
                    wrong.push(format!("{}: refused, but changed something: {before:?} → {after:?}", row.method));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{subject:?}, against the role table:\n{}", wrong.join("\n"));
}

#[test]
fn an_administrator_may_do_everything() {
    run_table(Subject::Role(Role::Administrator));
}

#[test]
fn an_organiser_may_do_all_but_rules_users_and_the_audit_log() {
    run_table(Subject::Role(Role::Organiser));
}

#[test]
fn a_branch_secretary_reads_and_changes_the_members_of_their_branch() {
    run_table(Subject::Role(Role::BranchSecretary));
}

#[test]
fn a_branch_secretary_may_do_nothing_to_a_member_of_another_branch() {
    run_table(Subject::SecretaryElsewhere);
}

#[test]
fn an_auditor_reads_members_and_the_audit_log_and_checks_the_workspace() {
    run_table(Subject::Role(Role::Auditor));
}

#[test]
fn a_discipline_inspector_reads_members_and_keeps_the_complaints_register() {
    run_table(Subject::Role(Role::DisciplineInspector));
}

#[test]
fn the_recovery_key_manages_users_only() {
    run_table(Subject::RecoveryKey);
}

/// Reads `session.rs` as text: every `pub fn` of the façade must have a row, and every row must
/// name a method that still exists.
#[test]
fn the_table_has_a_row_for_every_public_method_of_the_session() {
    let source = include_str!("../src/session.rs");
    let methods: BTreeSet<&str> = source
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("pub fn "))
        .map(|rest| rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or(""))
        .collect();
    let rows: BTreeSet<&str> = TABLE.iter().map(|row| row.method).collect();
    assert_eq!(rows.len(), TABLE.len(), "a method has two rows");
    let missing: Vec<&str> = methods.difference(&rows).copied().collect();
    let gone: Vec<&str> = rows.difference(&methods).copied().collect();
    assert!(missing.is_empty(), "façade methods without a row in tests/roles.rs: {missing:?}");
    assert!(gone.is_empty(), "rows naming no method of Session: {gone:?}");
}
