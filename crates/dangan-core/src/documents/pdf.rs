//! A document as PDF, through the dossier machinery's report (its fonts, layout and writer), for
//! offices that print it as it is: the title, then each block in order, the people's table with
//! its columns sized by their longest cell.

use super::markup::{self, Block, Rendered};
use crate::Result;
use crate::calendar::Date;
use crate::dossier::report::{ReportInfo, Section, render_report};

/// The usable width of the report's page, in millimetres (as `dossier/report.rs` lays it out).
const TEXT_WIDTH_MM: f32 = 156.0;
/// An em of the report's table font (12 pt), in millimetres.
const TABLE_EM_MM: f32 = 12.0 * 25.4 / 72.0;

pub fn write(rendered: &Rendered, author: &str, today: Date) -> Result<Vec<u8>> {
    let mut subtitle = Vec::new();
    let mut sections = Vec::new();
    for block in &rendered.blocks {
        match block {
            // Subtitles stand under the title, before the body.
            Block::Subtitle { text } if sections.is_empty() => subtitle.push(text.clone()),
            Block::Subtitle { text } | Block::Plain { text } => sections.push(Section::PlainLines(vec![text.clone()])),
            Block::Paragraph { text } => sections.push(Section::Paragraphs(vec![text.clone()])),
            Block::Right { text } => sections.push(Section::RightLines(vec![text.clone()])),
            Block::Table { header, rows } => {
                let weights = markup::column_weights(header, rows, TEXT_WIDTH_MM / TABLE_EM_MM);
                let total: f32 = weights.iter().sum::<f32>().max(1.0);
                let columns =
                    header.iter().zip(&weights).map(|(h, w)| (h.clone(), TEXT_WIDTH_MM * w / total)).collect();
                sections.push(Section::TextTable { heading: None, columns, rows: rows.clone() });
            }
        }
    }
    let info =
        ReportInfo { title: &rendered.title, subtitle, author, generated_on: today, created_at: chrono::Utc::now() };
    render_report(&info, &sections)
}
