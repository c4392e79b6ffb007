//! Pinyin forms of a name, for search (`zs` and `zhangsan` find 张三) and for sorting names in
//! pinyin order, the order Chinese rosters use.

use pinyin::ToPinyin;

/// The forms of a name that search and sort use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameKeys {
    /// Full pinyin without tones or spaces: `zhangsan`.
    pub pinyin: String,
    /// Initials: `zs`.
    pub initials: String,
    /// Syllables separated by spaces, then the name itself: sorts `zhang san` before `zhang sang`
    /// and keeps homophones apart in a stable order.
    pub sort_key: String,
}

/// Computes the pinyin keys of a name. Latin letters and digits are kept (lower-cased); other
/// characters without a reading (·, spaces) are skipped.
pub fn keys(name: &str) -> NameKeys {
    let mut pinyin = String::new();
    let mut initials = String::new();
    let mut syllables: Vec<String> = Vec::new();
    for (ch, reading) in name.chars().zip(name.to_pinyin()) {
        match reading {
            // Characters with several readings get their most common one; surnames read
            // differently (单 shàn, 曾 zēng) still sort close to the right place.
            Some(p) => {
                let plain = p.plain();
                pinyin.push_str(plain);
                initials.push_str(p.first_letter());
                syllables.push(plain.to_owned());
            }
            None if ch.is_ascii_alphanumeric() => {
                let lower = ch.to_ascii_lowercase();
                pinyin.push(lower);
                // A run of Latin letters counts as one word for initials.
                if syllables.last().is_none_or(|s| !s.chars().all(|c| c.is_ascii_alphanumeric()) || s.is_empty()) {
                    initials.push(lower);
                    syllables.push(lower.to_string());
                } else if let Some(last) = syllables.last_mut() {
                    last.push(lower);
                }
            }
            None => syllables.push(String::new()),
        }
    }
    let mut sort_key = syllables.into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ");
    sort_key.push('\u{1}');
    sort_key.push_str(name);
    NameKeys { pinyin, initials, sort_key }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_get_full_pinyin_and_initials() {
        let k = keys("张三");
        assert_eq!(k.pinyin, "zhangsan");
        assert_eq!(k.initials, "zs");
        let k = keys("欧阳娜娜");
        assert_eq!(k.pinyin, "ouyangnana");
        assert_eq!(k.initials, "oynn");
    }

    #[test]
    fn names_with_a_separator_or_latin_letters_are_handled() {
        let k = keys("买买提·艾力");
        assert_eq!(k.initials, "mmtal");
        let k = keys("Anna李");
        assert_eq!(k.pinyin, "annali");
        assert_eq!(k.initials, "al");
    }

    #[test]
    fn sorting_by_the_key_is_pinyin_order() {
        let mut names = vec!["赵六", "张三", "李四", "王五", "张三丰", "阿明"];
        names.sort_by_key(|n| keys(n).sort_key);
        assert_eq!(names, ["阿明", "李四", "王五", "张三", "张三丰", "赵六"]);
    }
}
