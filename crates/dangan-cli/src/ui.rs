//! Terminal output: the user's language, aligned tables of CJK text, the import progress bar.

use std::borrow::Cow;
use std::io::Write;

use dangan_core::{Error, Lang, Result};

/// `println!` for command output: the text is made safe for a terminal ([`terminal_safe`]) and a
/// failure to write is an error, not a panic. Use it in functions returning `Result`.
macro_rules! outln {
    () => {
        $crate::ui::write_stdout(format_args!(""))?
    };
    ($($arg:tt)*) => {
        $crate::ui::write_stdout(format_args!($($arg)*))?
    };
}
pub(crate) use outln;

/// `eprintln!` for notes and problems: made safe for a terminal, and a closed standard error is
/// no reason to stop (there is nobody left to tell).
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::ui::write_stderr(format_args!($($arg)*))
    };
}
pub(crate) use errln;

pub fn write_stderr(line: std::fmt::Arguments<'_>) {
    let text = line.to_string();
    let _ = writeln!(std::io::stderr().lock(), "{}", terminal_safe(&text));
}

/// Where [`write_stdout`] failures point; `main` recognises a closed pipe by it.
const STDOUT: &str = "<stdout>";

/// Writes one line of command output to standard output.
pub fn write_stdout(line: std::fmt::Arguments<'_>) -> Result<()> {
    let text = line.to_string();
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", terminal_safe(&text)).map_err(|source| Error::Io { path: STDOUT.into(), source })
}

/// Whether the error is standard output closed by its reader (`dangan members | head`). Not a
/// failure of the command: whatever it changed is saved, so it ends quietly with success, as other
/// Unix tools do, and a script does not retry an import that went through.
pub fn is_closed_stdout(error: &Error) -> bool {
    matches!(error, Error::Io { path, source } if path.as_os_str() == STDOUT
        && source.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Text as it may reach a terminal: control characters (ESC, BEL, NUL, …; newline and tab
/// excepted) and bidirectional controls (U+202E, which reverses what follows) are shown as
/// `\uXXXX`, so stored text can neither drive the terminal nor disguise itself. In JSON output
/// the same escape is valid and means the same character.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| (c.is_control() && c != '\n' && c != '\t') || dangan_core::text::is_bidi_control(c);
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Chooses between the Chinese and the English form of a message.
pub fn t<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// Columns a string takes in a terminal: CJK characters take two.
pub fn display_width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// Pads `s` with spaces to `width` terminal columns.
pub fn pad(s: &str, width: usize) -> String {
    let w = display_width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// A panic is a defect; the user still gets one line in their language, not a backtrace. It
/// claims nothing about the data it cannot know: a change being saved was saved whole or not at
/// all (one transaction), and only a look tells which.
pub fn install_panic_hook(lang: Lang) {
    std::panic::set_hook(Box::new(move |info| {
        eprintln!(
            "{}{}",
            t(
                lang,
                "内部错误（请报告此问题；正在保存的更改要么完整保存、要么完全没有保存，重试前请先查看）：",
                "internal error (please report it; a change being saved was saved whole or not at all: look before retrying): "
            ),
            terminal_safe(&info.to_string())
        );
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_characters_take_two_columns() {
        assert_eq!(display_width("张三"), 4);
        assert_eq!(display_width("ab"), 2);
        assert_eq!(pad("张三", 6), "张三  ");
    }

    #[test]
    fn control_and_bidirectional_characters_reach_the_terminal_escaped() {
        assert_eq!(terminal_safe("张三"), "张三");
        assert_eq!(terminal_safe("a\tb\nc"), "a\tb\nc");
        assert_eq!(terminal_safe("\u{1b}[31m红\u{7}"), "\\u001b[31m红\\u0007");
        assert_eq!(terminal_safe("abc\u{202E}fdp.exe"), "abc\\u202efdp.exe");
        assert_eq!(terminal_safe("nul\0"), "nul\\u0000");
        // The escape is also JSON's: a JSON line stays valid and means the same string.
        let json = terminal_safe("\"x\u{202E}y\"").into_owned();
        assert_eq!(serde_json::from_str::<String>(&json).unwrap(), "x\u{202E}y");
    }
}
