//! Terminal output: the user's language, aligned tables of CJK text, the import progress bar.

use dangan_core::Lang;

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

/// A panic is a defect; the user still gets one line in their language, not a backtrace.
pub fn install_panic_hook(lang: Lang) {
    std::panic::set_hook(Box::new(move |info| {
        eprintln!(
            "{}{info}",
            t(
                lang,
                "内部错误（请报告此问题，数据未受影响）：",
                "internal error (please report it; no data was changed): "
            )
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
}
