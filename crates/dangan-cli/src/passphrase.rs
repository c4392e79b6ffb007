//! Where passphrases come from: the environment (for scripts), a file, or a prompt without echo.

use std::io::IsTerminal;
use std::path::Path;

use dangan_core::{Error, Lang, Result};
use zeroize::Zeroizing;

use crate::ui::t;

/// The passphrase: `env_var`, else `file`, else a prompt (twice when `confirm`).
pub fn read(env_var: &str, file: Option<&Path>, lang: Lang, prompt: &str, confirm: bool) -> Result<Zeroizing<String>> {
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
        rpassword::prompt_password(prompt).map_err(|source| Error::Io { path: "/dev/tty".into(), source })?,
    );
    if confirm {
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
