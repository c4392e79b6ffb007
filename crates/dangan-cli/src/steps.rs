//! `dangan step`: a member's procedure one step at a time, for what a roster cannot carry (an
//! approval extension with its reason, a probation extension, a single late talk). Each change goes
//! through the same checks as the app's, each refusal names its article, each change is audited.

use clap::Subcommand;
use dangan_core::domain::{Event, EventKind, Id};
use dangan_core::late::LateStep;
use dangan_core::{Error, Lang, Result, Store, calendar};

use crate::commands::{parse_date, print_json};
use crate::ui::{outln, pad, t};

#[derive(Subcommand)]
pub enum StepAction {
    /// Record a step: its kind, its date, and for the extensions their months and reason
    Add {
        #[arg(long, value_name = "ID")]
        member: Id,
        /// The step: application_received, applicant_talk, activist_determined, activist_review,
        /// contacts_assigned, thought_report, candidate_publicity, candidate_determined,
        /// political_review, centralised_training, prereview_passed, admitted, approval_extended,
        /// admission_approved, oath, conversion_meeting, conversion_approved, probation_extended,
        /// membership_ended (or its Chinese name: 与入党申请人谈话, …)
        #[arg(long)]
        kind: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        /// Why: required for an approval extension (approval_extended)
        #[arg(long)]
        reason: Option<String>,
        /// The months of an extension: 1 to 3 for approval_extended, 6 to 12 for probation_extended
        #[arg(long)]
        months: Option<u32>,
    },
    /// List a member's steps in procedure order, with any that came late
    List {
        #[arg(long, value_name = "ID")]
        member: Id,
        /// Print {member, name, events: [...], late: [...]} as JSON
        #[arg(long)]
        json: bool,
    },
    /// Remove a step (by its id, from `step list`), if what remains still follows the rules
    Remove {
        #[arg(long, value_name = "ID")]
        member: Id,
        /// The step's id
        #[arg(long, value_name = "STEP_ID")]
        id: Id,
    },
}

pub fn step(store: &mut Store, action: StepAction, lang: Lang) -> Result<()> {
    match action {
        StepAction::Add { member, kind, date, reason, months } => {
            let kind_id = kind;
            let kind = EventKind::from_name(&kind_id).ok_or_else(|| {
                let shown = dangan_core::text::excerpt(&kind_id, 40);
                Error::invalid(
                    "kind",
                    format!("未知的步骤「{shown}」；可用的步骤见 dangan step add --help"),
                    format!("unknown step “{shown}”; see `dangan step add --help` for the steps"),
                )
            })?;
            let date = parse_date("date", &date)?;
            let event = Event { id: None, kind, date, months, note: reason };
            let detail = store.save_event(member, event)?;
            let label = kind.label();
            outln!(
                "{}",
                match lang {
                    Lang::Zh => format!("已记录 {}：「{}」{}", detail.person.name, label.zh, calendar::format_zh(date)),
                    Lang::En => format!("Recorded for {}: “{}” on {date}", detail.person.name, label.en),
                }
            );
            // Recorded, as it happened; said plainly when it came late.
            for flag in detail.late.iter().filter(|l| l.step == kind) {
                outln!("{}{}", t(lang, "注意：", "note: "), message(flag, lang));
            }
            Ok(())
        }
        StepAction::List { member, json } => {
            let detail = store.member(member)?;
            if json {
                return print_json(&serde_json::json!({
                    "member": member,
                    "name": detail.person.name,
                    "events": detail.events,
                    "late": detail.late,
                }));
            }
            outln!("{}（{}）", detail.person.name, detail.branch_path);
            for e in &detail.events {
                let mut extra = Vec::new();
                if let Some(m) = e.months {
                    extra.push(match lang {
                        Lang::Zh => format!("{m} 个月"),
                        Lang::En => format!("{m} month(s)"),
                    });
                }
                if let Some(note) = e.note.as_deref() {
                    extra.push(note.to_owned());
                }
                let flagged = detail.late.iter().any(|l| l.step == e.kind && l.date == e.date);
                outln!(
                    "  {}  {}  {}{}{}",
                    pad(&e.id.unwrap_or_default().to_string(), 6),
                    e.date,
                    pad(e.kind.label().get(lang), 24),
                    extra.join("；"),
                    if flagged { t(lang, "  ⚠ 逾期", "  ⚠ late") } else { "" }
                );
            }
            for flag in &detail.late {
                outln!("{}{}", t(lang, "注意：", "note: "), message(flag, lang));
            }
            Ok(())
        }
        StepAction::Remove { member, id } => {
            let before = store.member(member)?;
            let removed = before.events.iter().find(|e| e.id == Some(id)).map(|e| (e.kind, e.date));
            let detail = store.delete_event(member, id)?;
            if let Some((kind, date)) = removed {
                outln!(
                    "{}",
                    match lang {
                        Lang::Zh => format!(
                            "已删除 {} 的「{}」（{}）",
                            detail.person.name,
                            kind.label().zh,
                            calendar::format_zh(date)
                        ),
                        Lang::En => format!("Removed “{}” ({date}) of {}", kind.label().en, detail.person.name),
                    }
                );
            }
            Ok(())
        }
    }
}

fn message(flag: &LateStep, lang: Lang) -> &str {
    match lang {
        Lang::Zh => &flag.message_zh,
        Lang::En => &flag.message_en,
    }
}
