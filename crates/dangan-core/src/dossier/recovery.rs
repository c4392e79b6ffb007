//! The recovery key sheet: one A4 page with the recovery code, what it opens and how to use it,
//! printed at set-up (or when a new code is made) for the office safe.

use std::path::{Path, PathBuf};

use super::layout::{self, Block};
use super::{DossierFonts, fonts, pdf};
use crate::calendar::{Date, format_zh};
use crate::keys::RecoveryCode;
use crate::{Error, Result, Text};

/// What the sheet names besides the code.
#[derive(Debug, Clone)]
pub struct RecoverySheet<'a> {
    /// The committee (党委) whose workspace it opens.
    pub committee: &'a str,
    /// The workspace folder, as the office knows it.
    pub workspace: &'a Path,
    pub made_on: Date,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Renders the sheet as a one-page PDF.
pub fn render_recovery_sheet(sheet: &RecoverySheet<'_>, code: &RecoveryCode) -> Result<Vec<u8>> {
    let made_on = format_zh(sheet.made_on);
    let blocks = vec![
        Block::Title("Dangan 档案 · 恢复密钥".into()),
        Block::Spacer(12.0),
        Block::Field { label: "党委".into(), value: sheet.committee.into() },
        Block::Field { label: "工作区".into(), value: sheet.workspace.display().to_string() },
        Block::Field { label: "生成日期".into(), value: made_on.clone() },
        Block::Spacer(18.0),
        Block::Heading { text: "恢复密钥".into(), anchor: None },
        Block::Title(code.grouped().to_string()),
        Block::Spacer(18.0),
        Block::Heading { text: "用途".into(), anchor: None },
        Block::Para(
            "所有用户都忘记口令时，在解锁界面选择「使用恢复密钥」，输入上面的恢复密钥，即可以管理员身份打开工作区，\
             为用户重新设置口令。使用恢复密钥的每一项操作都记入审计日志。"
                .into(),
        ),
        Block::Heading { text: "保管".into(), anchor: None },
        Block::Para(
            "本页与工作区的口令同等重要：持有本页和工作区文件的人可以读取全部档案。请将本页存放在办公室保险柜中，\
             不要拍照、扫描或保存在电脑上。生成新的恢复密钥后，本页即告作废，应予销毁。"
                .into(),
        ),
        Block::Plain("输入时不区分大小写，短横线可省略；字母 O 与数字 0、字母 I/L 与数字 1 视为相同。".into()),
    ];
    let fonts = DossierFonts::bundled();
    let mut shaper = fonts::Shaper::new(&fonts);
    let laid = layout::lay_out(&blocks, 0, &mut shaper);
    let doc = printpdf::PdfDocument::new("Dangan 恢复密钥");
    let info = pdf::Info {
        title: "Dangan 恢复密钥",
        author: sheet.committee,
        created: sheet.created_at,
        generated_on: made_on,
    };
    let finished = pdf::write(doc, laid, Vec::new(), &mut shaper, &info).map_err(|e| Error::Corrupt {
        path: PathBuf::from("recovery-key.pdf"),
        reason: Text::new(format!("生成的 PDF 结构有误：{e}"), format!("the PDF came out malformed: {e}")),
    })?;
    Ok(finished.pdf)
}

/// Writes the sheet to `path`, whole or not at all, and never inside the workspace folder (the
/// sheet is kept apart from the workspace it opens).
pub fn write_recovery_sheet(
    workspace_dir: &Path,
    path: &Path,
    sheet: &RecoverySheet<'_>,
    code: &RecoveryCode,
) -> Result<()> {
    crate::output::ensure_outside(workspace_dir, path)?;
    let pdf = render_recovery_sheet(sheet, code)?;
    crate::output::write(workspace_dir, path, &pdf)
}
