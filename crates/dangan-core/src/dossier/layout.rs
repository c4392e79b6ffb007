//! Layout: the dossier's blocks (headings, paragraphs, tables, images, appended PDFs) placed on A4
//! pages, before anything is written as PDF. Every page's content is known, and so the total page
//! count for the footer and the page each material starts on for the 材料目录, before rendering;
//! no second pass.
//!
//! Geometry follows GB/T 9704-2012 (党政机关公文格式): A4, margins 37 / 35 / 28 / 26 mm (top /
//! bottom / left / right), body in a Song face at 16 pt (三号) on a 28 pt pitch, headings in a
//! Hei face, the title larger (一号 26 pt). The 156 mm measure holds 27 characters of 16 pt.

use super::fonts::{FaceId, Glyph, Shaper};
use super::linebreak::break_lines;

pub(crate) const fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

pub(crate) const PAGE_WIDTH: f32 = mm(210.0);
pub(crate) const PAGE_HEIGHT: f32 = mm(297.0);
pub(crate) const LEFT: f32 = mm(28.0);
pub(crate) const RIGHT: f32 = PAGE_WIDTH - mm(26.0);
pub(crate) const TOP: f32 = PAGE_HEIGHT - mm(37.0);
pub(crate) const BOTTOM: f32 = mm(35.0);
pub(crate) const TEXT_WIDTH: f32 = RIGHT - LEFT;
pub(crate) const TEXT_HEIGHT: f32 = TOP - BOTTOM;

pub(crate) const TITLE_SIZE: f32 = 26.0;
pub(crate) const TITLE_PITCH: f32 = 44.0;
pub(crate) const BODY_SIZE: f32 = 16.0;
pub(crate) const BODY_PITCH: f32 = 28.0;
pub(crate) const TABLE_SIZE: f32 = 12.0;
pub(crate) const TABLE_PITCH: f32 = 18.0;
const CELL_PAD_X: f32 = 4.0;
const CELL_PAD_Y: f32 = 4.0;
/// Grey of a table's header cells (0 black, 1 white): light enough to print in black and white.
const HEADER_FILL: f32 = 0.88;
/// Scans are sized as if printed at this resolution, then shrunk to the text area if larger.
const IMAGE_DPI: f32 = 150.0;

/// How a column's text sits in its cells.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Align {
    Left,
    Center,
    /// Against the right margin (a document's signature and date; in a table, numbers).
    Right,
}

#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub header: String,
    pub width_mm: f32,
    pub align: Align,
}

#[derive(Debug, Clone)]
pub(crate) enum Cell {
    Text(String),
    /// The page an anchor lands on, known once everything is laid out.
    PageOf(usize),
}

/// What a dossier is made of, in order.
#[derive(Debug, Clone)]
pub(crate) enum Block {
    PageBreak,
    Title(String),
    /// A Hei heading, kept with the two lines after it; `anchor` records the page it lands on.
    Heading {
        text: String,
        anchor: Option<usize>,
    },
    /// A body paragraph with a two-character first-line indent.
    Para(String),
    /// A body line without indent, wrapped.
    Plain(String),
    /// A body line against the right margin, less two characters (GB/T 9704's place for the
    /// issuing body and the date under a notice).
    Right(String),
    /// A line in the table's smaller size, wrapped: the parts of a form that are filled in by
    /// hand or kept as a stub (a letter's counterfoil and receipt).
    Small(String),
    /// A `label：value` line of the cover: the label in Hei, the value in Song, wrapped under itself.
    Field {
        label: String,
        value: String,
    },
    Table {
        columns: Vec<Column>,
        header: bool,
        rows: Vec<Vec<Cell>>,
    },
    /// An image attachment, `key` its slot among the prepared attachments.
    Image {
        key: usize,
        width_px: u32,
        height_px: u32,
        caption: String,
    },
    /// A PDF attachment's pages, inserted here whole; the text after it starts on a new page.
    Attached {
        key: usize,
        pages: u32,
    },
    Spacer(f32),
}

/// Something drawn on a page, in points from the page's lower left corner.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    /// One line of text starting at (x, baseline y), justified with `spacing` (Tc).
    Text {
        face: FaceId,
        size: f32,
        x: f32,
        y: f32,
        glyphs: Vec<Glyph>,
        spacing: f32,
    },
    /// A stroked rectangle, filled with a grey first when `fill` is set.
    Rect {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        fill: Option<f32>,
    },
    Image {
        key: usize,
        x: f32,
        y: f32,
        width: f32,
        height: f32,
    },
    /// The page number of an anchor, centred on `x`.
    PageOf {
        anchor: usize,
        size: f32,
        x: f32,
        y: f32,
    },
}

/// A page of the finished document: laid out by us, or the pages of an attached PDF.
#[derive(Debug)]
pub(crate) enum Sheet {
    Laid(Vec<Item>),
    Attached { key: usize, pages: u32 },
}

#[derive(Debug)]
pub(crate) struct Laid {
    pub sheets: Vec<Sheet>,
    /// The (1-based) page each anchor landed on.
    pub anchors: Vec<Option<u32>>,
}

impl Laid {
    /// Pages in all, the attached PDFs' included.
    pub fn page_count(&self) -> u32 {
        self.sheets.iter().map(|s| if let Sheet::Attached { pages, .. } = s { *pages } else { 1 }).sum()
    }
}

/// The baseline of a line of `size` centred in a line box of `pitch` whose top is `top`: the
/// ideographic em box spans −0.12 to 0.88 em around the baseline.
pub(crate) fn baseline(top: f32, pitch: f32, size: f32) -> f32 {
    top - pitch / 2.0 - 0.38 * size
}

pub(crate) fn lay_out(blocks: &[Block], anchors: usize, shaper: &mut Shaper<'_>) -> Laid {
    let mut l = Layouter { shaper, sheets: Vec::new(), page: Vec::new(), y: TOP, anchors: vec![None; anchors] };
    for block in blocks {
        l.block(block);
    }
    if !l.page.is_empty() || l.sheets.is_empty() {
        let page = std::mem::take(&mut l.page);
        l.sheets.push(Sheet::Laid(page));
    }
    Laid { sheets: l.sheets, anchors: l.anchors }
}

struct Layouter<'s, 'f> {
    shaper: &'s mut Shaper<'f>,
    sheets: Vec<Sheet>,
    page: Vec<Item>,
    /// The top of the free space on the current page.
    y: f32,
    anchors: Vec<Option<u32>>,
}

impl Layouter<'_, '_> {
    fn current_page_number(&self) -> u32 {
        let before: u32 =
            self.sheets.iter().map(|s| if let Sheet::Attached { pages, .. } = s { *pages } else { 1 }).sum();
        before + 1
    }

    fn new_page(&mut self) {
        let page = std::mem::take(&mut self.page);
        self.sheets.push(Sheet::Laid(page));
        self.y = TOP;
    }

    /// Starts a new page unless `height` still fits (or the page is empty: a block taller than a
    /// page overflows rather than looping).
    fn ensure(&mut self, height: f32) {
        if self.y - height < BOTTOM - 0.01 && self.y < TOP {
            self.new_page();
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::PageBreak => {
                if !self.page.is_empty() {
                    self.new_page();
                }
            }
            Block::Title(text) => {
                self.paragraph(text, FaceId::Sans, TITLE_SIZE, TITLE_PITCH, 0.0, Align::Center);
                self.y -= BODY_PITCH / 2.0;
            }
            Block::Heading { text, anchor } => {
                if self.y < TOP {
                    self.y -= BODY_PITCH / 4.0; // a little air above, but not at a page's top
                }
                self.ensure(BODY_PITCH * 3.0);
                if let Some(anchor) = anchor {
                    self.anchors[*anchor] = Some(self.current_page_number());
                }
                self.paragraph(text, FaceId::Sans, BODY_SIZE, BODY_PITCH, 0.0, Align::Left);
            }
            Block::Para(text) => self.paragraph(text, FaceId::Serif, BODY_SIZE, BODY_PITCH, 2.0, Align::Left),
            Block::Plain(text) => self.paragraph(text, FaceId::Serif, BODY_SIZE, BODY_PITCH, 0.0, Align::Left),
            Block::Right(text) => self.paragraph(text, FaceId::Serif, BODY_SIZE, BODY_PITCH, 0.0, Align::Right),
            Block::Small(text) => self.paragraph(text, FaceId::Serif, TABLE_SIZE, TABLE_PITCH, 0.0, Align::Left),
            Block::Field { label, value } => self.field(label, value),
            Block::Table { columns, header, rows } => self.table(columns, *header, rows),
            Block::Image { key, width_px, height_px, caption } => self.image(*key, *width_px, *height_px, caption),
            Block::Attached { key, pages } => {
                if !self.page.is_empty() {
                    self.new_page();
                }
                self.sheets.push(Sheet::Attached { key: *key, pages: *pages });
                self.y = TOP;
            }
            Block::Spacer(height) => self.y -= height,
        }
    }

    fn emit(&mut self, glyphs: &[Glyph], face: FaceId, size: f32, x: f32, y: f32, spacing: f32) {
        if !glyphs.is_empty() {
            self.page.push(Item::Text { face, size, x, y, glyphs: glyphs.to_vec(), spacing });
        }
    }

    fn paragraph(&mut self, text: &str, face: FaceId, size: f32, pitch: f32, indent_em: f32, align: Align) {
        let glyphs = self.shaper.shape(text, face, size);
        let indent = indent_em * size;
        for (i, line) in break_lines(&glyphs, TEXT_WIDTH - indent, TEXT_WIDTH).iter().enumerate() {
            self.ensure(pitch);
            let y = baseline(self.y, pitch, size);
            let x = match align {
                Align::Center => LEFT + (TEXT_WIDTH - line.width) / 2.0,
                Align::Right => (RIGHT - 2.0 * size - line.width).max(LEFT),
                Align::Left if i == 0 => LEFT + indent,
                Align::Left => LEFT,
            };
            self.emit(&glyphs[line.start..line.end], face, size, x, y, line.spacing);
            self.y -= pitch;
        }
    }

    fn field(&mut self, label: &str, value: &str) {
        let label = self.shaper.shape(&format!("{label}："), FaceId::Sans, BODY_SIZE);
        let label_width: f32 = label.iter().map(|g| g.advance).sum::<f32>().max(5.0 * BODY_SIZE);
        let x0 = LEFT + 2.0 * BODY_SIZE;
        let value = self.shaper.shape(value, FaceId::Serif, BODY_SIZE);
        let width = RIGHT - x0 - label_width;
        let lines = break_lines(&value, width, width);
        self.ensure(BODY_PITCH);
        let y = baseline(self.y, BODY_PITCH, BODY_SIZE);
        self.emit(&label, FaceId::Sans, BODY_SIZE, x0, y, 0.0);
        if lines.is_empty() {
            self.y -= BODY_PITCH;
        }
        for line in lines {
            self.ensure(BODY_PITCH);
            let y = baseline(self.y, BODY_PITCH, BODY_SIZE);
            self.emit(&value[line.start..line.end], FaceId::Serif, BODY_SIZE, x0 + label_width, y, line.spacing);
            self.y -= BODY_PITCH;
        }
    }

    fn table(&mut self, columns: &[Column], header: bool, rows: &[Vec<Cell>]) {
        let widths: Vec<f32> = columns.iter().map(|c| mm(c.width_mm)).collect();
        let header_cells: Vec<Cell> = columns.iter().map(|c| Cell::Text(c.header.clone())).collect();
        let header_row = header.then(|| self.wrap_row(&header_cells, &widths, FaceId::Sans));
        let mut need_header = true;
        for row in rows {
            let wrapped = self.wrap_row(row, &widths, FaceId::Serif);
            let header_height = if need_header { header_row.as_ref().map_or(0.0, |h| h.height) } else { 0.0 };
            if self.y - wrapped.height - header_height < BOTTOM - 0.01 && self.y < TOP {
                self.new_page();
                need_header = true;
            }
            if need_header {
                if let Some(h) = &header_row {
                    self.draw_row(h, columns, &widths, Some(HEADER_FILL));
                }
                need_header = false;
            }
            self.draw_row(&wrapped, columns, &widths, None);
        }
        self.y -= BODY_PITCH / 2.0;
    }

    fn wrap_row(&mut self, cells: &[Cell], widths: &[f32], face: FaceId) -> WrappedRow {
        let mut out = Vec::with_capacity(cells.len());
        let mut lines_max = 1;
        for (cell, width) in cells.iter().zip(widths) {
            match cell {
                Cell::Text(text) => {
                    let glyphs = self.shaper.shape(text, face, TABLE_SIZE);
                    let inner = width - 2.0 * CELL_PAD_X;
                    let lines: Vec<_> = break_lines(&glyphs, inner, inner)
                        .into_iter()
                        .map(|l| (glyphs[l.start..l.end].to_vec(), l.width, l.spacing))
                        .collect();
                    lines_max = lines_max.max(lines.len());
                    out.push(WrappedCell::Lines(lines));
                }
                Cell::PageOf(anchor) => out.push(WrappedCell::PageOf(*anchor)),
            }
        }
        WrappedRow { cells: out, height: lines_max as f32 * TABLE_PITCH + 2.0 * CELL_PAD_Y }
    }

    fn draw_row(&mut self, row: &WrappedRow, columns: &[Column], widths: &[f32], fill: Option<f32>) {
        let mut x = LEFT;
        let bottom = self.y - row.height;
        for ((cell, column), &width) in row.cells.iter().zip(columns).zip(widths) {
            self.page.push(Item::Rect { x, y: bottom, width, height: row.height, fill });
            match cell {
                WrappedCell::Lines(lines) => {
                    for (i, (glyphs, natural, spacing)) in lines.iter().enumerate() {
                        let top = self.y - CELL_PAD_Y - i as f32 * TABLE_PITCH;
                        let y = baseline(top, TABLE_PITCH, TABLE_SIZE);
                        let face = glyphs.first().map_or(FaceId::Serif, |g| g.face);
                        // A centred cell is not justified; a left one is, but for its last line.
                        let (lx, spacing) = match column.align {
                            Align::Left => (x + CELL_PAD_X, *spacing),
                            Align::Center => (x + (width - natural) / 2.0, 0.0),
                            Align::Right => (x + width - CELL_PAD_X - natural, 0.0),
                        };
                        self.emit(glyphs, face, TABLE_SIZE, lx, y, spacing);
                    }
                }
                WrappedCell::PageOf(anchor) => {
                    let y = baseline(self.y - CELL_PAD_Y, TABLE_PITCH, TABLE_SIZE);
                    self.page.push(Item::PageOf { anchor: *anchor, size: TABLE_SIZE, x: x + width / 2.0, y });
                }
            }
            x += width;
        }
        self.y = bottom;
    }

    fn image(&mut self, key: usize, width_px: u32, height_px: u32, caption: &str) {
        let caption_height = TABLE_PITCH + 6.0;
        let natural = |px: u32| px as f32 * 72.0 / IMAGE_DPI;
        let (w0, h0) = (natural(width_px.max(1)), natural(height_px.max(1)));
        let scale = (TEXT_WIDTH / w0).min((TEXT_HEIGHT - caption_height - BODY_PITCH) / h0).min(1.0);
        let (width, height) = (w0 * scale, h0 * scale);
        self.ensure(height + caption_height + BODY_PITCH / 2.0);
        if self.y < TOP {
            self.y -= BODY_PITCH / 2.0;
        }
        let x = LEFT + (TEXT_WIDTH - width) / 2.0;
        self.page.push(Item::Image { key, x, y: self.y - height, width, height });
        self.y -= height + 6.0;
        self.paragraph(caption, FaceId::Serif, TABLE_SIZE, TABLE_PITCH, 0.0, Align::Center);
    }
}

struct WrappedRow {
    cells: Vec<WrappedCell>,
    height: f32,
}

enum WrappedCell {
    /// Each line: its glyphs, natural width and justification.
    Lines(Vec<(Vec<Glyph>, f32, f32)>),
    PageOf(usize),
}
