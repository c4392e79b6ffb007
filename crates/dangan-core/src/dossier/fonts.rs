//! The two bundled faces (Noto Serif CJK SC for the body, Noto Sans CJK SC Bold for headings; SIL
//! OFL 1.1, see `fonts/README.md`), parsed once per process and shared by every dossier and thread,
//! and the shaping of text into glyphs.
//!
//! Shaping is one character to one glyph, which is right for Chinese and for Latin text without
//! ligatures. A character neither face has is drawn as 〓 (the traditional mark for a missing
//! character, 缺字) and remembered, so the caller can report it and the PDF can carry the real
//! character as `/ActualText`; no fallback font is bundled.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, LazyLock, PoisonError, RwLock};

use printpdf::ParsedFont;

use super::linebreak::Measured;

static SERIF_OTF: &[u8] = include_bytes!("../../fonts/NotoSerifCJKsc-Regular.otf");
static SANS_OTF: &[u8] = include_bytes!("../../fonts/NotoSansCJKsc-Bold.otf");

/// The placeholder drawn for a character no bundled face has.
pub(crate) const GETA: char = '〓';

/// Which face a run of text is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum FaceId {
    /// Song style (宋体): the body.
    Serif,
    /// Hei style (黑体), bold: titles and headings.
    Sans,
}

pub(crate) struct Face {
    pub(crate) font: ParsedFont,
    units_per_em: f32,
    /// char → (glyph id, advance in font units), or `None` when the face lacks it. The font's own
    /// lookup scans tens of thousands of cmap groups one by one; a dossier asks for the same few
    /// hundred characters over and over.
    cache: RwLock<HashMap<char, Option<(u16, u16)>>>,
}

impl Face {
    fn parse(bytes: &[u8], what: &str) -> Result<Face, String> {
        let mut warnings = Vec::new();
        let font = ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .ok_or_else(|| format!("{what}: the font cannot be parsed: {warnings:?}"))?;
        let units_per_em = f32::from(font.pdf_font_metrics.units_per_em);
        if units_per_em <= 0.0 {
            return Err(format!("{what}: the font has no units per em"));
        }
        Ok(Face { font, units_per_em, cache: RwLock::new(HashMap::new()) })
    }

    /// The glyph id and advance (font units) of a character, `None` when the face lacks it
    /// (glyph 0, `.notdef`, counts as lacking).
    fn lookup(&self, c: char) -> Option<(u16, u16)> {
        if let Some(found) = self.cache.read().unwrap_or_else(PoisonError::into_inner).get(&c) {
            return *found;
        }
        let found = self
            .font
            .lookup_glyph_index(c as u32)
            .filter(|&gid| gid != 0)
            .map(|gid| (gid, self.font.get_horizontal_advance(gid)));
        self.cache.write().unwrap_or_else(PoisonError::into_inner).insert(c, found);
        found
    }
}

/// The dossier's fonts, parsed, with their glyph caches. `Send + Sync`: one instance serves every
/// thread of a batch.
pub struct DossierFonts {
    serif: Face,
    sans: Face,
}

const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<DossierFonts>();
};

static BUNDLED: LazyLock<Arc<DossierFonts>> = LazyLock::new(|| {
    // The fonts are part of the build and a test parses them: failing here is a build defect.
    Arc::new(DossierFonts::parse(SERIF_OTF, SANS_OTF).expect("the bundled dossier fonts parse"))
});

impl DossierFonts {
    /// The bundled fonts, parsed on first use (about 0.1 s and 100 MB) and shared afterwards.
    pub fn bundled() -> Arc<DossierFonts> {
        Arc::clone(&BUNDLED)
    }

    fn parse(serif: &[u8], sans: &[u8]) -> Result<DossierFonts, String> {
        Ok(DossierFonts { serif: Face::parse(serif, "serif")?, sans: Face::parse(sans, "sans")? })
    }

    pub(crate) fn face(&self, face: FaceId) -> &Face {
        match face {
            FaceId::Serif => &self.serif,
            FaceId::Sans => &self.sans,
        }
    }

    /// Whether both faces have a glyph for the character (if not, it prints as 〓).
    pub fn covers(&self, c: char) -> bool {
        self.serif.lookup(c).is_some() && self.sans.lookup(c).is_some()
    }
}

/// A shaped character.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Glyph {
    /// The character as written (for a missing one, the character itself, not 〓).
    pub c: char,
    pub gid: u16,
    /// In points, at the size it was shaped for.
    pub advance: f32,
    pub face: FaceId,
    /// The face lacks `c`: the glyph is 〓 and the text carries `c` as `/ActualText`.
    pub missing: bool,
}

impl Measured for Glyph {
    fn ch(&self) -> char {
        self.c
    }
    fn advance(&self) -> f32 {
        self.advance
    }
}

/// Turns text into glyphs and collects the characters the fonts lack.
pub(crate) struct Shaper<'f> {
    pub fonts: &'f DossierFonts,
    pub missing: BTreeSet<char>,
}

impl<'f> Shaper<'f> {
    pub fn new(fonts: &'f DossierFonts) -> Shaper<'f> {
        Shaper { fonts, missing: BTreeSet::new() }
    }

    pub fn shape(&mut self, text: &str, face: FaceId, size: f32) -> Vec<Glyph> {
        let f = self.fonts.face(face);
        let scale = size / f.units_per_em;
        text.chars()
            .filter(|c| !c.is_control())
            .map(|c| match f.lookup(c) {
                Some((gid, advance)) => Glyph { c, gid, advance: f32::from(advance) * scale, face, missing: false },
                None => {
                    self.missing.insert(c);
                    // Both faces have 〓; if one ever did not, .notdef (0) at 1 em keeps the layout.
                    let (gid, advance) = f.lookup(GETA).unwrap_or((0, f.units_per_em as u16));
                    Glyph { c, gid, advance: f32::from(advance) * scale, face, missing: true }
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_fonts_parse_and_cover_rare_name_characters() {
        let fonts = DossierFonts::bundled();
        for c in ['党', '䶮', '𠀾', '〓', '，', 'A', '7'] {
            assert!(fonts.covers(c), "{c} (U+{:X})", c as u32);
        }
        // Extension G (2020) is in neither face.
        assert!(!fonts.covers('\u{30000}'));
    }

    #[test]
    fn a_missing_character_is_drawn_as_geta_and_remembered() {
        let fonts = DossierFonts::bundled();
        let mut shaper = Shaper::new(&fonts);
        let glyphs = shaper.shape("王\u{30000}", FaceId::Serif, 16.0);
        assert!(!glyphs[0].missing && glyphs[1].missing);
        assert_eq!(glyphs[1].c, '\u{30000}');
        assert_eq!(shaper.missing.iter().copied().collect::<Vec<_>>(), ['\u{30000}']);
        // An ideograph is one em wide.
        assert!((glyphs[0].advance - 16.0).abs() < 0.01, "{}", glyphs[0].advance);
    }
}
