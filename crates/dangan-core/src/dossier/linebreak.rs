//! Line breaking of Chinese text (with Latin words and numbers mixed in), following the line
//! breaking rules of Chinese typesetting (禁则, GB/T 15834 and common practice): closing
//! punctuation never starts a line, opening punctuation never ends one, a Latin word or a number
//! is never split, and 「……」「——」 stay whole.
//!
//! The breaker is greedy with *push-out*: when the unit that would start the next line may not
//! start one (or the line would end with an opening mark), the break moves back, and the shortened
//! line is justified with character spacing so that the right edge stays straight. A paragraph's
//! last line is left as it is.

/// What the breaker needs to know of a glyph: its character and its advance (in points).
pub(crate) trait Measured {
    fn ch(&self) -> char;
    fn advance(&self) -> f32;
}

/// One line: the glyphs `start..end`, its natural width, and the character spacing (`Tc`, in
/// points) that justifies it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Line {
    pub start: usize,
    pub end: usize,
    pub width: f32,
    pub spacing: f32,
}

/// Characters that must not start a line.
pub(crate) fn no_line_start(c: char) -> bool {
    "，。、；：？！」』）》〉】〕〗〙〛”’…—·％‰～・,.;:?!)]}%".contains(c)
}

/// Characters that must not end a line.
pub(crate) fn no_line_end(c: char) -> bool {
    "「『（《〈【〔〖〘〚“‘([{￥$".contains(c)
}

/// Characters that glue into one unbreakable word: Latin letters, digits, and the punctuation
/// inside identifiers and numbers (`GB/T`, `3.5`, `a@b`).
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-/_.@#&+'".contains(c) || ('\u{00C0}'..='\u{024F}').contains(&c)
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Normal,
    Space,
    Open,
    Close,
}

/// An unbreakable run of glyphs.
#[derive(Clone, Copy, Debug)]
struct Unit {
    start: usize,
    end: usize,
    width: f32,
    kind: Kind,
}

fn units<G: Measured>(glyphs: &[G]) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::with_capacity(glyphs.len());
    for (i, g) in glyphs.iter().enumerate() {
        let c = g.ch();
        if let Some(last) = units.last_mut() {
            let prev = glyphs[i - 1].ch();
            let glue = (is_word_char(c) && is_word_char(prev) && last.kind == Kind::Normal)
                || ((c == '…' || c == '—') && prev == c);
            if glue {
                last.end = i + 1;
                last.width += g.advance();
                continue;
            }
        }
        let kind = if c == ' ' || c == '\u{3000}' {
            Kind::Space
        } else if no_line_start(c) {
            Kind::Close
        } else if no_line_end(c) {
            Kind::Open
        } else {
            Kind::Normal
        };
        units.push(Unit { start: i, end: i + 1, width: g.advance(), kind });
    }
    units
}

/// Breaks `glyphs` into lines `first_width` wide for the first line (a first-line indent makes it
/// shorter) and `width` for the others.
///
/// A single unit wider than a line (a very long Latin word) overflows rather than being cut; a
/// line with no legal break at all (absurd input) is broken at the width.
pub(crate) fn break_lines<G: Measured>(glyphs: &[G], first_width: f32, width: f32) -> Vec<Line> {
    let units = units(glyphs);
    let n = units.len();
    let mut lines = Vec::new();
    let mut s = 0;
    while s < n {
        // Spaces at the start of a continuation line are dropped (not at the paragraph's start).
        while s < n && units[s].kind == Kind::Space && !lines.is_empty() {
            s += 1;
        }
        if s >= n {
            break;
        }
        let avail = if lines.is_empty() { first_width } else { width };
        let mut used = 0.0;
        let mut i = s;
        while i < n && used + units[i].width <= avail + 0.01 {
            used += units[i].width;
            i += 1;
        }
        let last = i == n;
        if !last {
            if i == s {
                i = s + 1;
            } else {
                let bad = |k: usize| units[k].kind == Kind::Close || units[k - 1].kind == Kind::Open;
                let mut k = i;
                while k > s + 1 && bad(k) {
                    k -= 1;
                }
                if !bad(k) {
                    i = k;
                }
            }
        }
        let mut e = i;
        while e > s && units[e - 1].kind == Kind::Space {
            e -= 1;
        }
        let natural: f32 = units[s..e].iter().map(|u| u.width).sum();
        let (start, end) = (units[s].start, if e > s { units[e - 1].end } else { units[s].start });
        let count = end - start;
        let extra = avail - natural;
        // Justify every line but the paragraph's last, unless the gap is so wide (a pushed-out
        // long word) that spreading it would look worse than a ragged edge.
        let spacing =
            if !last && count > 1 && extra > 0.0 && extra < 0.15 * avail { extra / (count - 1) as f32 } else { 0.0 };
        lines.push(Line { start, end, width: natural, spacing });
        s = i;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Measured for (char, f32) {
        fn ch(&self) -> char {
            self.0
        }
        fn advance(&self) -> f32 {
            self.1
        }
    }

    /// Ideographs are 1 wide, ASCII half as wide.
    fn glyphs(text: &str) -> Vec<(char, f32)> {
        text.chars().map(|c| (c, if c.is_ascii() { 0.5 } else { 1.0 })).collect()
    }

    fn lines(text: &str, width: f32) -> Vec<String> {
        let g = glyphs(text);
        break_lines(&g, width, width).iter().map(|l| g[l.start..l.end].iter().map(|g| g.0).collect()).collect()
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        assert_eq!(lines("一二三四五，六七", 5.0), ["一二三四", "五，六七"]);
        // Two closing marks in a row: the break moves back past both.
        assert_eq!(lines("一二三四五）。六", 5.0), ["一二三四", "五）。六"]);
        for mark in "，。、；：？！」』）》".chars() {
            let text = format!("一二三四五{mark}六七");
            let broken = lines(&text, 5.0);
            assert!(broken.iter().all(|l| !l.starts_with(mark)), "{mark}: {broken:?}");
        }
    }

    #[test]
    fn opening_punctuation_never_ends_a_line() {
        assert_eq!(lines("一二三四《五六七", 5.0), ["一二三四", "《五六七"]);
        assert_eq!(lines("一二三四「五六七", 5.0), ["一二三四", "「五六七"]);
    }

    #[test]
    fn latin_words_and_numbers_are_not_split() {
        assert_eq!(lines("一二三2026年", 4.0), ["一二三", "2026年"]);
        assert_eq!(lines("GB/T 9704", 3.0), ["GB/T", "9704"]);
    }

    #[test]
    fn an_ellipsis_or_a_dash_stays_whole() {
        assert_eq!(lines("一二三四……五", 5.0), ["一二三", "四……五"]);
        assert_eq!(lines("一二三四——五", 5.0), ["一二三", "四——五"]);
    }

    #[test]
    fn a_first_line_indent_shortens_only_the_first_line() {
        let g = glyphs("一二三四五六七八九十");
        let l = break_lines(&g, 3.0, 5.0);
        assert_eq!([l[0].end - l[0].start, l[1].end - l[1].start, l[2].end - l[2].start], [3, 5, 2]);
    }

    #[test]
    fn shortened_lines_are_justified_the_last_line_is_not() {
        let g: Vec<(char, f32)> = "一二三四五六七八九十，二".chars().map(|c| (c, 1.0)).collect();
        let l = break_lines(&g, 10.5, 10.5);
        // 十 is pushed to the next line with the comma: line 1 is 1.5 short, spread over 8 gaps.
        assert_eq!(l[0].end, 9);
        assert!((l[0].spacing - 1.5 / 8.0).abs() < 1e-4, "{}", l[0].spacing);
        assert_eq!(l.last().map(|l| l.spacing), Some(0.0));
    }

    #[test]
    fn every_character_comes_out_once_in_order() {
        let text =
            "该同志于2015年9月向党组织递交入党申请书，2016年3月被确定为入党积极分子。「思想汇报」（共8份）……完毕！";
        for width in [3.0, 4.0, 7.0, 12.5, 40.0] {
            assert_eq!(lines(text, width).concat(), text, "width {width}");
        }
    }

    #[test]
    fn a_word_wider_than_the_line_overflows_instead_of_looping() {
        assert_eq!(lines("ABCDEFGHIJ一", 2.0), ["ABCDEFGHIJ", "一"]);
    }
}
