//! Bilingual text: everything the core tells a person exists in Chinese first and English second.

use serde::Serialize;

/// The two languages Dangan speaks. Chinese is the default everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
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
