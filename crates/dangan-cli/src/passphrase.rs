//! Where passphrases come from: the environment (for scripts), a file, or a prompt without echo.

use std::io::IsTerminal;
use std::path::Path;

use dangan_core::{Error, Lang, Result};
use zeroize::Zeroizing;

use crate::ui::t;

/// Each secret a command asks for: where a script puts it, how the prompt names it, and whether
/// it is typed twice (a new one, which a typo would lock out).
#[derive(Clone, Copy)]
pub enum Secret {
    /// The passphrase that opens the workspace.
    Passphrase,
    /// The passphrase of a workspace being created (`init`, `demo`).
    NewWorkspace,
    /// The passphrase of the backup being restored.
    Backup,
    /// The passphrase being changed (`passwd`).
    Current,
    /// A new passphrase for oneself or another user.
    New,
    /// The passphrase of a user being added.
    NewUser,
    /// The recovery key (`recover`).
    RecoveryCode,
    /// The first administrator's, for `server init`.
    ServerAdministrator,
    /// The passphrase of the workspace `server upload` moves (the server's is `Passphrase`).
    UploadedWorkspace,
}

impl Secret {
    fn env_var(self) -> &'static str {
        match self {
            Secret::Passphrase | Secret::NewWorkspace | Secret::Backup | Secret::Current => "DANGAN_PASSPHRASE",
            Secret::New | Secret::NewUser | Secret::ServerAdministrator => "DANGAN_NEW_PASSPHRASE",
            Secret::RecoveryCode => "DANGAN_RECOVERY_CODE",
            Secret::UploadedWorkspace => "DANGAN_WORKSPACE_PASSPHRASE",
        }
    }

    fn prompt(self, lang: Lang) -> &'static str {
        match self {
            Secret::Passphrase => t(lang, "口令：", "Passphrase: "),
            Secret::NewWorkspace => t(lang, "设置口令：", "New passphrase: "),
            Secret::Backup => t(lang, "备份的口令：", "The backup's passphrase: "),
            Secret::Current => t(lang, "当前口令：", "Current passphrase: "),
            Secret::New => t(lang, "新口令：", "New passphrase: "),
            Secret::NewUser => t(lang, "新用户的口令：", "The new user's passphrase: "),
            Secret::RecoveryCode => t(lang, "恢复密钥：", "Recovery key: "),
            Secret::ServerAdministrator => t(lang, "第一个管理员的口令：", "The first administrator's passphrase: "),
            Secret::UploadedWorkspace => t(lang, "工作区的口令：", "The workspace's passphrase: "),
        }
    }

    fn confirm(self) -> bool {
        matches!(self, Secret::NewWorkspace | Secret::New | Secret::NewUser | Secret::ServerAdministrator)
    }
}

/// The secret: from its environment variable, else `file`, else a prompt (twice for a new one).
pub fn read(secret: Secret, file: Option<&Path>, lang: Lang) -> Result<Zeroizing<String>> {
    let env_var = secret.env_var();
    if let Ok(value) = std::env::var(env_var) {
        return Ok(Zeroizing::new(value));
    }
    if let Some(path) = file {
        let content = Zeroizing::new(
            std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_owned(), source })?,
        );
        return Ok(Zeroizing::new(content.trim_end_matches(['\r', '\n']).to_owned()));
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::InvalidInput {
            field: "passphrase".into(),
            reason: dangan_core::Text::new(
                format!("没有口令：请设置 {env_var}、使用 --passphrase-file，或在终端中运行"),
                format!("no passphrase: set {env_var}, use --passphrase-file, or run in a terminal"),
            ),
        });
    }
    let first = Zeroizing::new(
        rpassword::prompt_password(secret.prompt(lang))
            .map_err(|source| Error::Io { path: "/dev/tty".into(), source })?,
    );
    if secret.confirm() {
        let again = Zeroizing::new(
            rpassword::prompt_password(t(lang, "再输入一次：", "Once more: "))
                .map_err(|source| Error::Io { path: "/dev/tty".into(), source })?,
        );
        if *first != *again {
            return Err(Error::InvalidInput {
                field: "passphrase".into(),
                reason: dangan_core::Text::new("两次输入的口令不一致", "the two passphrases differ"),
            });
        }
    }
    Ok(first)
}
