//! `dangan users`, `recovery`, `recover` and `audit`: who may open the workspace, as what, and
//! what they changed.

use std::path::Path;

use clap::{Args, Subcommand};
use dangan_core::access::{NewUser, Role, User};
use dangan_core::domain::Id;
use dangan_core::dossier::{RecoverySheet, write_recovery_sheet};
use dangan_core::keys::RecoveryCode;
use dangan_core::store::{AuditEntry, AuditQuery};
use dangan_core::{Error, Lang, Result, Store, Text, Workspace, calendar};

use crate::commands::{parse_date, print_json};
use crate::passphrase;
use crate::ui::{outln, pad, t};

#[derive(Subcommand)]
pub enum UsersAction {
    /// List the users, their roles and branches (the default)
    List {
        #[arg(long)]
        json: bool,
    },
    /// Add a user with a passphrase of their own (from DANGAN_NEW_PASSPHRASE, --new-passphrase-file or a prompt)
    Add {
        name: String,
        /// administrator, organiser, branch_secretary or auditor
        #[arg(long)]
        role: String,
        /// For a branch secretary: their branch or general branch, by name or path (repeatable)
        #[arg(long = "branch", value_name = "NAME")]
        branches: Vec<String>,
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<std::path::PathBuf>,
    },
    /// Give a user another role (and, for a branch secretary, their branches)
    Role {
        name: String,
        #[arg(long)]
        role: String,
        #[arg(long = "branch", value_name = "NAME")]
        branches: Vec<String>,
    },
    /// Remove a user: their key slot is deleted and their passphrase opens nothing any more
    Remove { name: String },
    /// Set a new passphrase for a user who forgot theirs (from DANGAN_NEW_PASSPHRASE or a prompt)
    ResetPassphrase {
        name: String,
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<std::path::PathBuf>,
    },
}

#[derive(Args)]
pub struct AuditArgs {
    /// Only entries about this member
    #[arg(long, value_name = "ID")]
    member: Option<i64>,
    /// Only changes made by this user
    #[arg(long = "by", value_name = "USER")]
    actor: Option<String>,
    /// Only changes to one kind of thing: people, events, records, attachments, dismissals,
    /// org_units, holidays, meta, users, user_branches
    #[arg(long)]
    entity: Option<String>,
    /// From this day (UTC)
    #[arg(long, value_name = "YYYY-MM-DD")]
    from: Option<String>,
    /// To this day (UTC), inclusive
    #[arg(long, value_name = "YYYY-MM-DD")]
    to: Option<String>,
    /// At most this many entries [default: 50; 0 for all]
    #[arg(long, default_value_t = 50)]
    limit: u32,
    #[arg(long)]
    json: bool,
    /// Write the matching entries (all of them, oldest first, with their hashes) to a CSV file
    #[arg(long, value_name = "FILE")]
    out: Option<std::path::PathBuf>,
}

pub fn users(workspace: &Workspace, store: &mut Store, action: Option<UsersAction>, lang: Lang) -> Result<()> {
    match action.unwrap_or(UsersAction::List { json: false }) {
        UsersAction::List { json } => {
            let users = store.users()?;
            if json {
                return print_json(&users);
            }
            let tree = store.org_tree()?;
            for user in users {
                let branches: Vec<String> = user.branches.iter().map(|&b| tree.path(b)).collect();
                outln!("{}  {}  {}", pad(&user.name, 12), pad(user.role.label().get(lang), 10), branches.join("、"));
            }
            Ok(())
        }
        UsersAction::Add { name, role, branches, new_passphrase_file } => {
            let role = parse_role(&role)?;
            let branches = find_units(store, &branches)?;
            let pass = passphrase::read(passphrase::Secret::NewUser, new_passphrase_file.as_deref(), lang)?;
            let user =
                workspace.add_user(store, &NewUser { name: &name, role, branches: &branches, passphrase: &pass })?;
            outln!("{}", added(&user, lang));
            Ok(())
        }
        UsersAction::Role { name, role, branches } => {
            let role = parse_role(&role)?;
            let branches = find_units(store, &branches)?;
            let user = store.set_user_role(user_id(store, &name)?, role, &branches)?;
            outln!(
                "{}",
                match lang {
                    Lang::Zh => format!("{} 现为{}", user.name, user.role.label().zh),
                    Lang::En => format!("{} is now {}", user.name, user.role.label().en),
                }
            );
            Ok(())
        }
        UsersAction::Remove { name } => {
            let id = user_id(store, &name)?;
            workspace.remove_user(store, id)?;
            outln!(
                "{}",
                t(lang, "已删除用户，其口令不再能打开工作区", "User removed; their passphrase opens nothing any more")
            );
            Ok(())
        }
        UsersAction::ResetPassphrase { name, new_passphrase_file } => {
            let id = user_id(store, &name)?;
            let pass = passphrase::read(passphrase::Secret::New, new_passphrase_file.as_deref(), lang)?;
            workspace.reset_passphrase(store, id, &pass)?;
            outln!("{}", t(lang, "口令已重新设置", "The passphrase was set anew"));
            Ok(())
        }
    }
}

fn added(user: &User, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("已添加用户 {}（{}）", user.name, user.role.label().zh),
        Lang::En => format!("Added user {} ({})", user.name, user.role.label().en),
    }
}

fn parse_role(s: &str) -> Result<Role> {
    Role::parse(s.trim()).ok_or_else(|| {
        Error::invalid(
            "role",
            format!("未知的角色「{s}」，可选 administrator、organiser、branch_secretary、auditor"),
            format!("unknown role “{s}”: choose administrator, organiser, branch_secretary or auditor"),
        )
    })
}

fn find_units(store: &Store, names: &[String]) -> Result<Vec<Id>> {
    let tree = store.org_tree()?;
    names
        .iter()
        .map(|name| {
            tree.find(name)?.ok_or_else(|| {
                Error::invalid("branch", format!("没有名为「{name}」的组织"), format!("no unit is named “{name}”"))
            })
        })
        .collect()
}

fn user_id(store: &Store, name: &str) -> Result<Id> {
    store
        .users()?
        .into_iter()
        .find(|u| u.name == name.trim())
        .map(|u| u.id)
        .ok_or_else(|| Error::NotFound { what: Text::new(format!("用户「{name}」"), format!("user “{name}”")) })
}

/// Shows a new recovery code once, and writes its sheet when asked to.
pub fn hand_over_recovery_code(
    workspace: &Workspace,
    store: &Store,
    code: &RecoveryCode,
    pdf: Option<&Path>,
    lang: Lang,
) -> Result<()> {
    if let Some(pdf) = pdf {
        let committee = store.org_tree()?.committee().map(|c| c.name.clone()).unwrap_or_default();
        let sheet = RecoverySheet {
            committee: &committee,
            workspace: workspace.dir(),
            made_on: calendar::today(),
            created_at: chrono::Utc::now(),
        };
        write_recovery_sheet(workspace.dir(), pdf, &sheet, code)?;
        outln!(
            "{} {}",
            t(
                lang,
                "恢复密钥页已写入（请打印后删除该文件）：",
                "The recovery key sheet was written (print it, then delete the file):"
            ),
            pdf.display()
        );
    }
    outln!(
        "{} {}",
        t(
            lang,
            "恢复密钥（只显示这一次，请抄写或打印后存放在保险柜中）：",
            "Recovery key (shown once; keep it on paper in the office safe):"
        ),
        code.grouped().as_str()
    );
    Ok(())
}

pub fn recover(workspace: &Workspace, user: Option<&str>, lang: Lang) -> Result<()> {
    let Some(user) = user else {
        return Err(Error::invalid(
            "user",
            "请用 --user 或 DANGAN_USER 指明要重新设置口令的用户",
            "name the user whose passphrase to set with --user or DANGAN_USER",
        ));
    };
    let code = passphrase::read(passphrase::Secret::RecoveryCode, None, lang)?;
    let store = workspace.open_with_recovery(&code)?;
    let id = user_id(&store, user)?;
    let pass = passphrase::read(passphrase::Secret::New, None, lang)?;
    workspace.reset_passphrase(&store, id, &pass)?;
    outln!(
        "{}",
        match lang {
            Lang::Zh => format!("已为 {user} 重新设置口令"),
            Lang::En => format!("A new passphrase was set for {user}"),
        }
    );
    Ok(())
}

pub fn audit(store: &Store, args: &AuditArgs, lang: Lang) -> Result<()> {
    let query = AuditQuery {
        member_id: args.member,
        actor: args.actor.clone(),
        entity: args.entity.clone(),
        from: args.from.as_deref().map(|s| parse_date("from", s)).transpose()?,
        to: args.to.as_deref().map(|s| parse_date("to", s)).transpose()?,
        offset: 0,
        limit: args.limit,
    };
    if let Some(out) = &args.out {
        let written = store.export_audit_csv(&query, out)?;
        outln!(
            "{}",
            match lang {
                Lang::Zh => format!("已将 {written} 条审计记录写入 {}", out.display()),
                Lang::En => format!("Wrote {written} audit entries to {}", out.display()),
            }
        );
        return Ok(());
    }
    let page = store.audit_log(&query)?;
    if args.json {
        return print_json(&page.entries);
    }
    for entry in &page.entries {
        outln!("{}", describe(entry));
    }
    if page.total > page.entries.len() as u64 {
        outln!(
            "{}",
            match lang {
                Lang::Zh =>
                    format!("（共 {} 条，显示最新的 {} 条；--limit 0 显示全部）", page.total, page.entries.len()),
                Lang::En =>
                    format!("({} in all, the newest {} shown; --limit 0 shows all)", page.total, page.entries.len()),
            }
        );
    }
    Ok(())
}

fn describe(e: &AuditEntry) -> String {
    let what = match (&e.member_name, e.member_id) {
        (Some(name), Some(id)) => format!("{} #{} ({name} #{id})", e.entity, e.entity_id.as_deref().unwrap_or("")),
        _ => format!("{} #{}", e.entity, e.entity_id.as_deref().unwrap_or("")),
    };
    let change = match e.action.as_str() {
        "update" => format!(
            "{}: {} → {}",
            e.field.as_deref().unwrap_or(""),
            e.old.as_deref().unwrap_or("∅"),
            e.new.as_deref().unwrap_or("∅")
        ),
        "insert" => format!("+ {}", e.new.as_deref().unwrap_or("")),
        _ => format!("- {}", e.old.as_deref().unwrap_or("")),
    };
    format!("{:>6}  {}  {}  {}  {}", e.seq, e.at, e.actor, what, change)
}
