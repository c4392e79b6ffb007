//! Bilingual text: everything the core tells a person exists in Chinese first and English second.

use serde::Serialize;

/// The two languages Dangan speaks. Chinese is the default everywhere.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    En,
}

impl Lang {
    /// Chooses the language from POSIX locale variables (`LC_ALL`, `LC_MESSAGES`, `LANG`, in that
    /// order of precedence): Chinese when the first one set names a `zh` locale.
    pub fn from_locale_vars(lookup: impl Fn(&str) -> Option<String>) -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Some(value) = lookup(var).filter(|v| !v.is_empty()) {
                return if value.to_ascii_lowercase().starts_with("zh") { Lang::Zh } else { Lang::En };
            }
        }
        Lang::En
    }
}

/// A message in both languages.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text { zh: zh.into(), en: en.into() }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// Characters no text field may hold: control characters (ESC drives a terminal, NUL cuts C
/// strings, BEL rings) and the bidirectional formatting characters (U+202E turns `gpj.exe` into
/// what looks like `exe.jpg`). Line breaks and tabs are allowed where the field has lines.
pub fn forbidden_char(text: &str, multiline: bool) -> Option<char> {
    text.chars().find(|&c| {
        let layout = matches!(c, '\n' | '\r' | '\t');
        (c.is_control() && !(multiline && layout)) || is_bidi_control(c)
    })
}

/// The bidirectional embeddings, overrides, isolates and marks.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// A character as a message names it: `U+202E`.
pub fn char_code(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// A text field as stored: NFC (one spelling of 张三 however it was typed or pasted).
pub fn normalized(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfc().collect()
}

/// [`normalized`] of a text one owns: the same text, without a copy when it already is NFC (a
/// roster's text nearly always is).
pub fn into_normalized(text: String) -> String {
    if is_nfc(&text) { text } else { normalized(&text) }
}

/// A name as stored: NFC, without zero-width characters (which make 张​三 look like 张三 while
/// being another name), trimmed.
pub fn normalized_name(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfc().filter(|&c| !is_zero_width(c)).collect::<String>().trim().to_owned()
}

/// [`normalized_name`] of a name one owns, without a copy when it is one already.
pub fn into_normalized_name(name: String) -> String {
    if is_nfc(&name) && !name.contains(is_zero_width) && name.trim().len() == name.len() {
        name
    } else {
        normalized_name(&name)
    }
}

fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Whether `text` certainly is NFC, by the quick check (ASCII always is).
fn is_nfc(text: &str) -> bool {
    use unicode_normalization::{IsNormalized, is_nfc_quick};
    text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes
}

/// The refusal of a text field holding a [`forbidden_char`], naming the field and the character.
pub fn forbidden_char_message(label: &Text, c: char) -> Text {
    let code = char_code(c);
    Text::new(
        format!("「{}」含有不允许的字符 {code}（控制字符或文字方向控制符），请删去后再保存", label.zh),
        format!(
            "“{}” holds a character that is not allowed, {code} (a control or text-direction character); remove it",
            label.en
        ),
    )
}

/// Refuses, under `field`, a text holding a [`forbidden_char`] (`label` names the field in both
/// languages): the one check every free-text field goes through before it is stored.
pub fn check_chars(field: &str, label: (&str, &str), text: &str, multiline: bool) -> crate::Result<()> {
    match forbidden_char(text, multiline) {
        Some(c) => {
            let message = forbidden_char_message(&Text::new(label.0, label.1), c);
            Err(crate::Error::invalid(field, message.zh, message.en))
        }
        None => Ok(()),
    }
}

/// The user's own text as a message echoes it: at most `max` characters, cut with "…", so a
/// 10,000-character branch name does not become a 10,000-character message.
pub fn excerpt(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => text.into(),
        Some((end, _)) => format!("{}…", &text[..end]).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_direction_characters_are_found_and_named() {
        for (text, found) in [
            ("张三", None),
            ("张\u{1b}[31m三", Some('\u{1b}')),
            ("bell\u{7}", Some('\u{7}')),
            ("nul\0", Some('\0')),
            ("abc\u{202E}gpj.exe", Some('\u{202E}')),
            ("isolate\u{2067}", Some('\u{2067}')),
            ("two\nlines", Some('\n')),
        ] {
            assert_eq!(forbidden_char(text, false), found, "{text:?}");
        }
        assert_eq!(forbidden_char("two\r\nlines\tand a tab", true), None);
        assert_eq!(forbidden_char("still no \u{1b}", true), Some('\u{1b}'));
        assert_eq!(char_code('\u{202E}'), "U+202E");
        assert_eq!(char_code('\u{1b}'), "U+001B");
    }

    #[test]
    fn names_are_one_spelling_without_invisible_characters() {
        // 张 + U+200B + 三 looks like 张三 and now is 张三.
        assert_eq!(normalized_name(" 张\u{200B}三\u{200D} "), "张三");
        assert_eq!(normalized_name("\u{FEFF}李四"), "李四");
        // é typed as e + combining acute is stored as the one character é.
        assert_eq!(normalized("Ame\u{301}lie"), "Am\u{e9}lie");
        assert_eq!(normalized_name("Ame\u{301}lie"), "Am\u{e9}lie");
    }

    #[test]
    fn owned_text_is_normalised_as_borrowed_text_is() {
        for text in [
            "张三",
            " 张\u{200B}三\u{200D} ",
            "\u{FEFF}李四",
            "Ame\u{301}lie",
            "Am\u{e9}lie",
            "  padded  ",
            "",
            "plain ascii",
            "한국어",
            "\u{1100}\u{1161}",
            "e\u{301}\u{323}",
        ] {
            assert_eq!(into_normalized(text.to_owned()), normalized(text), "{text:?}");
            assert_eq!(into_normalized_name(text.to_owned()), normalized_name(text), "{text:?}");
        }
    }

    #[test]
    fn an_echoed_text_is_cut_to_a_readable_length() {
        assert_eq!(excerpt("第一党支部", 40), "第一党支部");
        assert_eq!(excerpt(&"支".repeat(10_000), 3), "支支支…");
        assert_eq!(excerpt("abc", 3), "abc");
    }

    #[test]
    fn the_first_locale_variable_set_decides_the_language() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        assert_eq!(Lang::from_locale_vars(env(&[("LANG", "zh_CN.UTF-8")])), Lang::Zh);
        assert_eq!(Lang::from_locale_vars(env(&[("LANG", "en_US.UTF-8")])), Lang::En);
        assert_eq!(Lang::from_locale_vars(env(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")])), Lang::En);
        assert_eq!(Lang::from_locale_vars(env(&[("LC_MESSAGES", "zh_TW"), ("LANG", "C")])), Lang::Zh);
        assert_eq!(Lang::from_locale_vars(env(&[])), Lang::En);
    }
}
