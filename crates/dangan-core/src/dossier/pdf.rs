//! Rendering: the laid-out pages as printpdf operations (absolutely positioned glyph runs, rules,
//! image XObjects), the footer, then the finished file through lopdf (attached PDFs merged,
//! metadata, compression).
//!
//! Text is written as glyph ids with their characters for `/ToUnicode`, so text extraction gives
//! back exactly what was written; printpdf subsets both fonts to the glyphs used.

use std::collections::{BTreeMap, BTreeSet};

use printpdf::{
    Codepoint, Color, CurTransMat, DictItem, FontId, Greyscale, ImageCompression, ImageOptimizationOptions, Mm, Op,
    PaintMode, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Pt, Rect, TextItem, TextMatrix, XObjectTransform,
};

use super::attach::{self, Part, Prepared};
use super::fonts::{FaceId, GETA, Glyph, Shaper};
use super::layout::{Item, Laid, PAGE_WIDTH, RIGHT, Sheet, mm};

const FOOTER_SIZE: f32 = 10.5;

pub(crate) struct Finished {
    pub pdf: Vec<u8>,
    pub pages: u32,
}

/// Everything the document information says.
pub(crate) struct Info<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub created: chrono::DateTime<chrono::Utc>,
    /// `2026年11月24日`, for the footer.
    pub generated_on: String,
}

pub(crate) fn write(
    mut doc: PdfDocument,
    laid: Laid,
    mut prepared: Vec<Prepared>,
    shaper: &mut Shaper<'_>,
    info: &Info<'_>,
) -> Result<Finished, lopdf::Error> {
    let total = laid.page_count();
    let mut pages = Vec::new();
    let mut number = 0;
    let mut page_items = Vec::new();
    for sheet in &laid.sheets {
        match sheet {
            Sheet::Laid(items) => {
                number += 1;
                let mut items = items.clone();
                resolve_page_numbers(&mut items, &laid.anchors, shaper);
                footer(&mut items, number, total, &info.generated_on, shaper);
                page_items.push(items);
            }
            Sheet::Attached { pages, .. } => number += pages,
        }
    }
    let used: BTreeSet<FaceId> = page_items
        .iter()
        .flatten()
        .filter_map(|item| if let Item::Text { face, .. } = item { Some(*face) } else { None })
        .collect();
    let font_ids: BTreeMap<FaceId, FontId> =
        used.into_iter().map(|face| (face, doc.add_font(&shaper.fonts.face(face).font))).collect();
    for items in &page_items {
        pages.push(PdfPage::new(Mm(210.0), Mm(297.0), page_ops(items, &font_ids, &prepared)));
    }
    doc.with_pages(pages);

    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&save_options(), &mut warnings);
    // printpdf writes 1.3; soft masks need 1.4, marked-content ActualText 1.5.
    lo.version = "1.7".into();
    let order = laid
        .sheets
        .iter()
        .map(|sheet| match sheet {
            Sheet::Laid(_) => Part::Laid,
            Sheet::Attached { key, .. } => match std::mem::replace(&mut prepared[*key], Prepared::Unreadable) {
                Prepared::Pdf { doc, .. } => Part::Attached(doc),
                // The layout only attaches what was prepared as a PDF.
                _ => Part::Laid,
            },
        })
        .collect();
    attach::merge(&mut lo, order)?;
    attach::set_info(&mut lo, info.title, info.author, info.created)?;
    attach::compress(&mut lo);
    let mut pdf = Vec::new();
    lo.save_to(&mut pdf)?;
    Ok(Finished { pdf, pages: total })
}

fn save_options() -> PdfSaveOptions {
    PdfSaveOptions {
        // Compression is ours (attach::compress), after the merge.
        optimize: false,
        // Subsetting needs printpdf's `text_layout`; without it each PDF carries 40 MB of fonts.
        subset_fonts: true,
        secure: true,
        // The defaults would shrink an image over 2 MB of pixels (nearest neighbour) and re-encode
        // colour images as JPEG; a PNG scan stays lossless at full size.
        image_optimization: Some(ImageOptimizationOptions {
            quality: None,
            max_image_size: None,
            dither_greyscale: Some(false),
            convert_to_greyscale: Some(false),
            auto_optimize: Some(false),
            format: Some(ImageCompression::Flate),
        }),
    }
}

fn resolve_page_numbers(items: &mut [Item], anchors: &[Option<u32>], shaper: &mut Shaper<'_>) {
    for item in items.iter_mut() {
        if let Item::PageOf { anchor, size, x, y } = *item {
            let text = anchors.get(anchor).copied().flatten().map(|n| n.to_string()).unwrap_or_default();
            let glyphs = shaper.shape(&text, FaceId::Serif, size);
            let width: f32 = glyphs.iter().map(|g| g.advance).sum();
            *item = Item::Text { face: FaceId::Serif, size, x: x - width / 2.0, y, glyphs, spacing: 0.0 };
        }
    }
}

/// 第 N 页 共 M 页, centred, and the day the dossier was made, at the right, below the text area.
fn footer(items: &mut Vec<Item>, number: u32, total: u32, generated_on: &str, shaper: &mut Shaper<'_>) {
    let y = mm(20.0);
    let pages = shaper.shape(&format!("第 {number} 页 共 {total} 页"), FaceId::Serif, FOOTER_SIZE);
    let width: f32 = pages.iter().map(|g| g.advance).sum();
    items.push(Item::Text {
        face: FaceId::Serif,
        size: FOOTER_SIZE,
        x: (PAGE_WIDTH - width) / 2.0,
        y,
        glyphs: pages,
        spacing: 0.0,
    });
    let date = shaper.shape(&format!("生成日期：{generated_on}"), FaceId::Serif, FOOTER_SIZE);
    let width: f32 = date.iter().map(|g| g.advance).sum();
    items.push(Item::Text { face: FaceId::Serif, size: FOOTER_SIZE, x: RIGHT - width, y, glyphs: date, spacing: 0.0 });
}

fn grey(level: f32) -> Color {
    Color::Greyscale(Greyscale { percent: level, icc_profile: None })
}

fn page_ops(items: &[Item], fonts: &BTreeMap<FaceId, FontId>, prepared: &[Prepared]) -> Vec<Op> {
    let mut ops =
        vec![Op::SaveGraphicsState, Op::SetOutlineThickness { pt: Pt(0.5) }, Op::SetOutlineColor { col: grey(0.0) }];
    for item in items {
        match item {
            Item::Rect { x, y, width, height, fill } => {
                let rect = |mode| Rect {
                    x: Pt(*x),
                    y: Pt(*y),
                    width: Pt(*width),
                    height: Pt(*height),
                    mode: Some(mode),
                    winding_order: None,
                };
                if let Some(level) = fill {
                    ops.push(Op::SetFillColor { col: grey(*level) });
                    ops.push(Op::DrawRectangle { rectangle: rect(PaintMode::FillStroke) });
                    ops.push(Op::SetFillColor { col: grey(0.0) });
                } else {
                    ops.push(Op::DrawRectangle { rectangle: rect(PaintMode::Stroke) });
                }
            }
            Item::Image { key, x, y, width, height } => {
                if let Some(Prepared::Image { id, width_px, height_px, turns }) = prepared.get(*key) {
                    // The box (x, y, width, height) is the picture upright. The stored image is
                    // drawn in its own frame, `along` its width and `across` its height, which a
                    // matrix turns and places on the box.
                    let (x, y, w, h) = (*x, *y, *width, *height);
                    let (along, across) = if turns % 2 == 1 { (h, w) } else { (w, h) };
                    let place = match turns {
                        1 => [0.0, -1.0, 1.0, 0.0, x, y + h],
                        2 => [-1.0, 0.0, 0.0, -1.0, x + w, y + h],
                        3 => [0.0, 1.0, -1.0, 0.0, x + w, y],
                        _ => [1.0, 0.0, 0.0, 1.0, x, y],
                    };
                    ops.push(Op::SaveGraphicsState);
                    ops.push(Op::SetTransformationMatrix { matrix: CurTransMat::Raw(place) });
                    // At 72 dpi the image's unit square becomes width_px × height_px points.
                    ops.push(Op::UseXobject {
                        id: id.clone(),
                        transform: XObjectTransform {
                            translate_x: Some(Pt(0.0)),
                            translate_y: Some(Pt(0.0)),
                            scale_x: Some(along / *width_px as f32),
                            scale_y: Some(across / *height_px as f32),
                            dpi: Some(72.0),
                            ..Default::default()
                        },
                    });
                    ops.push(Op::RestoreGraphicsState);
                }
            }
            Item::Text { .. } | Item::PageOf { .. } => {}
        }
    }
    ops.push(Op::SetFillColor { col: grey(0.0) });
    ops.push(Op::StartTextSection);
    let mut font: Option<(FaceId, f32)> = None;
    let mut spacing = 0.0;
    for item in items {
        let Item::Text { face, size, x, y, glyphs, spacing: tc } = item else { continue };
        let Some(font_id) = fonts.get(face) else { continue };
        if font != Some((*face, *size)) {
            ops.push(Op::SetFont { font: PdfFontHandle::External(font_id.clone()), size: Pt(*size) });
            font = Some((*face, *size));
        }
        if *tc != spacing {
            ops.push(Op::SetCharacterSpacing { multiplier: *tc });
            spacing = *tc;
        }
        ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(*x), Pt(*y)) });
        // Runs of present glyphs, and each missing one alone inside a marked-content span whose
        // /ActualText is the real character: extraction and search find it, the page shows 〓.
        for run in glyphs.chunk_by(|a, b| !a.missing && !b.missing) {
            let shown = TextItem::GlyphIds(run.iter().map(codepoint).collect());
            match run.first() {
                Some(g) if g.missing => {
                    ops.push(Op::BeginMarkedContentWithProperties {
                        tag: "Span".into(),
                        properties: DictItem::Dict {
                            map: BTreeMap::from([("ActualText".to_owned(), actual_text(g.c))]),
                        },
                    });
                    ops.push(Op::ShowText { items: vec![shown] });
                    ops.push(Op::EndMarkedContentWithProperties);
                }
                _ => ops.push(Op::ShowText { items: vec![shown] }),
            }
        }
    }
    ops.push(Op::EndTextSection);
    ops.push(Op::RestoreGraphicsState);
    ops
}

fn codepoint(g: &Glyph) -> Codepoint {
    let c = if g.missing { GETA } else { g.c };
    Codepoint::with_cid(g.gid, 0.0, c.to_string())
}

/// A text string in UTF-16BE with its byte order mark, as PDF text strings are.
fn actual_text(c: char) -> DictItem {
    let mut data = vec![0xFE, 0xFF];
    data.extend(c.encode_utf16(&mut [0; 2]).iter().flat_map(|u| u.to_be_bytes()));
    DictItem::String { data, literal: false }
}
