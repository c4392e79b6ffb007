//! Attachments in a dossier: images placed on the page (a JPEG passed through byte for byte, a
//! PNG decoded by printpdf and stored losslessly), PDFs merged page by page with lopdf (printpdf's
//! own import turns pages into drawing operations, which loses content). Also the last touches on
//! the finished document: its metadata and stream compression.

use std::collections::BTreeMap;
use std::io::Write;

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{DictItem, ExternalStream, ExternalXObject, PdfDocument, Px, RawImage, XObjectId};

use crate::domain::MediaType;

/// An attachment made ready for layout.
pub(crate) enum Prepared {
    /// Registered with the document as an image XObject.
    /// `turns`: clockwise quarter turns that stand the picture upright (a phone's EXIF
    /// orientation); the page shows it turned, the stored image is untouched.
    Image { id: XObjectId, width_px: u32, height_px: u32, turns: u8 },
    /// A readable PDF and its page count.
    Pdf { doc: Box<lopdf::Document>, pages: u32 },
    /// Bytes that do not decode: the dossier says so in the attachment's place.
    Unreadable,
}

/// Reads an attachment, registering an image with `doc`. Never fails: what cannot be read is
/// [`Prepared::Unreadable`].
pub(crate) fn prepare(media_type: MediaType, bytes: &[u8], doc: &mut PdfDocument) -> Prepared {
    match media_type {
        MediaType::Jpeg => match jpeg_info(bytes) {
            Some(info) => {
                let id = doc.add_xobject(&jpeg_xobject(bytes, &info));
                let turns = quarter_turns(jpeg_orientation(bytes));
                Prepared::Image { id, width_px: info.width, height_px: info.height, turns }
            }
            None => Prepared::Unreadable,
        },
        MediaType::Png => {
            let mut warnings = Vec::new();
            match RawImage::decode_from_bytes(bytes, &mut warnings) {
                Ok(image) if image.width > 0 && image.height > 0 => {
                    let (width_px, height_px) = (image.width as u32, image.height as u32);
                    Prepared::Image { id: doc.add_image(&image), width_px, height_px, turns: 0 }
                }
                _ => Prepared::Unreadable,
            }
        }
        MediaType::Pdf => match lopdf::Document::load_mem(bytes) {
            Ok(pdf) if !pdf.is_encrypted() => {
                let pages = pdf.get_pages().len() as u32;
                if pages == 0 { Prepared::Unreadable } else { Prepared::Pdf { doc: Box::new(pdf), pages } }
            }
            _ => Prepared::Unreadable,
        },
    }
}

impl Prepared {
    /// The picture's size as it stands on the page (turned a quarter, its sides swap).
    pub(crate) fn upright_size(&self) -> Option<(u32, u32)> {
        match self {
            Prepared::Image { width_px, height_px, turns, .. } if turns % 2 == 1 => Some((*height_px, *width_px)),
            Prepared::Image { width_px, height_px, .. } => Some((*width_px, *height_px)),
            _ => None,
        }
    }
}

/// The EXIF orientation of a JPEG, 1 to 8 (1 when it has none): how a phone or scanner says its
/// picture must be turned to stand upright.
pub(crate) fn jpeg_orientation(bytes: &[u8]) -> u8 {
    let mut at = 2;
    while let (Some(&0xFF), Some(&marker), Some(len)) = (bytes.get(at), bytes.get(at + 1), bytes.get(at + 2..at + 4)) {
        if marker == 0xDA || marker == 0xD9 {
            break; // the image data: no metadata after this
        }
        let len = usize::from(u16::from_be_bytes([len[0], len[1]]));
        let Some(segment) = bytes.get(at + 4..at + 2 + len) else { break };
        if marker == 0xE1
            && let Some(tiff) = segment.strip_prefix(b"Exif\0\0")
        {
            return tiff_orientation(tiff).unwrap_or(1);
        }
        at += 2 + len;
    }
    1
}

/// Tag 0x0112 of a TIFF header's first directory.
fn tiff_orientation(tiff: &[u8]) -> Option<u8> {
    let little = match tiff.get(0..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let u16_at = |at: usize| {
        tiff.get(at..at + 2)
            .map(|b| if little { u16::from_le_bytes([b[0], b[1]]) } else { u16::from_be_bytes([b[0], b[1]]) })
    };
    let u32_at = |at: usize| {
        tiff.get(at..at + 4).map(|b| {
            let b = [b[0], b[1], b[2], b[3]];
            if little { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) }
        })
    };
    let directory = usize::try_from(u32_at(4)?).ok()?;
    let entries = usize::from(u16_at(directory)?);
    (0..entries.min(512))
        .find_map(|i| {
            let entry = directory + 2 + i * 12;
            (u16_at(entry)? == 0x0112).then(|| u16_at(entry + 8)).flatten()
        })
        .and_then(|v| u8::try_from(v).ok())
        .filter(|v| (1..=8).contains(v))
}

/// Clockwise quarter turns for an EXIF orientation. The mirrored orientations (2, 4, 5, 7), which
/// cameras do not write, are taken as their turn alone.
fn quarter_turns(orientation: u8) -> u8 {
    match orientation {
        3 | 4 => 2,
        5 | 6 => 1,
        7 | 8 => 3,
        _ => 0,
    }
}

/// What a JPEG's frame header says.
#[derive(Debug, PartialEq)]
pub(crate) struct JpegInfo {
    pub width: u32,
    pub height: u32,
    pub components: u8,
    /// An Adobe APP14 marker: its CMYK data is stored inverted.
    pub adobe: bool,
}

/// Reads a JPEG's frame header (baseline, extended or progressive Huffman; what PDF readers
/// decode) and checks the scan data begins. The pixels are not decoded: a JPEG goes into the PDF
/// as it is.
pub(crate) fn jpeg_info(bytes: &[u8]) -> Option<JpegInfo> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut i = 2;
    let mut adobe = false;
    let mut frame = None;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return None;
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1; // fill byte
            continue;
        }
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            i += 2;
            continue;
        }
        let length = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        let segment = bytes.get(i + 4..i + 2 + length)?;
        match marker {
            0xC0..=0xC2 => {
                let [_precision, h1, h0, w1, w0, components, ..] = *segment else { return None };
                let (height, width) = (u16::from_be_bytes([h1, h0]), u16::from_be_bytes([w1, w0]));
                if width == 0 || height == 0 || !matches!(components, 1 | 3 | 4) {
                    return None;
                }
                frame = Some((u32::from(width), u32::from(height), components));
            }
            // Lossless, hierarchical and arithmetic-coded JPEGs: few readers decode them.
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => return None,
            0xEE if segment.starts_with(b"Adobe") => adobe = true,
            0xDA => {
                let (width, height, components) = frame?;
                return Some(JpegInfo { width, height, components, adobe });
            }
            0xD9 => return None,
            _ => {}
        }
        i += 2 + length;
    }
    None
}

fn jpeg_xobject(bytes: &[u8], info: &JpegInfo) -> ExternalXObject {
    let name = |s: &str| DictItem::Name(s.as_bytes().to_vec());
    let mut dict = BTreeMap::new();
    dict.insert("Type".into(), name("XObject"));
    dict.insert("Subtype".into(), name("Image"));
    dict.insert("Width".into(), DictItem::Int(i64::from(info.width)));
    dict.insert("Height".into(), DictItem::Int(i64::from(info.height)));
    let space = match info.components {
        1 => "DeviceGray",
        4 => "DeviceCMYK",
        _ => "DeviceRGB",
    };
    dict.insert("ColorSpace".into(), name(space));
    if info.components == 4 && info.adobe {
        dict.insert("Decode".into(), DictItem::Array([1, 0, 1, 0, 1, 0, 1, 0].map(DictItem::Int).to_vec()));
    }
    dict.insert("BitsPerComponent".into(), DictItem::Int(8));
    dict.insert("Filter".into(), name("DCTDecode"));
    ExternalXObject {
        stream: ExternalStream { dict, content: bytes.to_vec(), compress: false },
        width: Some(Px(info.width as usize)),
        height: Some(Px(info.height as usize)),
        dpi: None,
    }
}

/// One part of the finished page sequence.
pub(crate) enum Part {
    /// The next page printpdf wrote.
    Laid,
    /// All pages of a PDF attachment.
    Attached(Box<lopdf::Document>),
}

/// Puts the attached PDFs' pages between printpdf's pages, in `order`. Inherited page attributes
/// (resources, boxes, rotation) are copied onto each attached page before it is re-parented;
/// the attachment's outlines, named destinations and forms are dropped.
pub(crate) fn merge(main: &mut lopdf::Document, order: Vec<Part>) -> Result<(), lopdf::Error> {
    let pages_id = main.catalog()?.get(b"Pages")?.as_reference()?;
    let mut laid = main.get_pages().into_values();
    let mut kids = Vec::new();
    for part in order {
        match part {
            Part::Laid => {
                kids.extend(laid.next().map(Object::Reference));
            }
            Part::Attached(mut other) => {
                other.renumber_objects_with(main.max_id + 1);
                if other.version > main.version {
                    main.version = other.version.clone();
                }
                let mut moved: Vec<(ObjectId, Dictionary)> = Vec::new();
                for page_id in other.get_pages().into_values() {
                    moved.push((page_id, with_inherited(&other, page_id)?));
                }
                main.max_id = main.max_id.max(other.max_id);
                main.objects.extend(std::mem::take(&mut other.objects));
                for (page_id, mut page) in moved {
                    page.set("Parent", Object::Reference(pages_id));
                    main.objects.insert(page_id, Object::Dictionary(page));
                    kids.push(Object::Reference(page_id));
                }
            }
        }
    }
    let pages = main.get_dictionary_mut(pages_id)?;
    pages.set("Count", Object::Integer(kids.len() as i64));
    pages.set("Kids", Object::Array(kids));
    main.prune_objects();
    // Renumbering also resets max_id, without which the trailer's /Size is wrong.
    main.renumber_objects();
    Ok(())
}

/// A page's dictionary with the attributes it inherits from its page tree written into it.
fn with_inherited(doc: &lopdf::Document, page_id: ObjectId) -> Result<Dictionary, lopdf::Error> {
    let mut page = doc.get_dictionary(page_id)?.clone();
    for key in [&b"Resources"[..], b"MediaBox", b"CropBox", b"Rotate"] {
        if page.has(key) {
            continue;
        }
        let mut parent = page.get(b"Parent").and_then(Object::as_reference).ok();
        let mut depth = 0;
        while let Some(id) = parent {
            depth += 1;
            if depth > 64 {
                break; // a cycle in a damaged page tree
            }
            let node = doc.get_dictionary(id)?;
            if let Ok(value) = node.get(key) {
                page.set(key.to_vec(), value.clone());
                break;
            }
            parent = node.get(b"Parent").and_then(Object::as_reference).ok();
        }
    }
    Ok(page)
}

/// Replaces the document information: title, author and dates, and nothing else (printpdf writes
/// an empty `/GTS_PDFXVersion`, which makes readers call the file PDF/X).
pub(crate) fn set_info(
    doc: &mut lopdf::Document,
    title: &str,
    author: &str,
    created: chrono::DateTime<chrono::Utc>,
) -> Result<(), lopdf::Error> {
    let text = |s: &str| {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        Object::String(bytes, StringFormat::Hexadecimal)
    };
    let date = Object::String(created.format("D:%Y%m%d%H%M%S+00'00'").to_string().into_bytes(), StringFormat::Literal);
    let mut info = Dictionary::new();
    info.set("Title", text(title));
    info.set("Author", text(author));
    info.set("Creator", text("Dangan"));
    info.set("Producer", text(concat!("Dangan ", env!("CARGO_PKG_VERSION"), " (printpdf 0.12, lopdf 0.44)")));
    info.set("CreationDate", date.clone());
    info.set("ModDate", date);
    match doc.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => {
            doc.objects.insert(id, Object::Dictionary(info));
        }
        Err(_) => {
            let id = doc.add_object(info);
            doc.trailer.set("Info", id);
        }
    }
    Ok(())
}

/// Deflates every stream that has no filter yet, at level 6: lopdf's own `compress` always uses
/// level 9, which is much slower for the same size.
pub(crate) fn compress(doc: &mut lopdf::Document) {
    for object in doc.objects.values_mut() {
        if let Object::Stream(stream) = object {
            if !stream.allows_compression || stream.dict.has(b"Filter") {
                continue;
            }
            let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
            // Writing to a Vec cannot fail.
            let deflated = encoder.write_all(&stream.content).and_then(|()| encoder.finish());
            if let Ok(deflated) = deflated
                && deflated.len() + 19 < stream.content.len()
            {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(deflated);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_photo_taken_upright_is_turned_by_its_exif_orientation() {
        let with_orientation = |order: &[u8; 2], value: u16| {
            let mut tiff = order.to_vec();
            let u16b = |v: u16| if order == b"II" { v.to_le_bytes() } else { v.to_be_bytes() };
            let u32b = |v: u32| if order == b"II" { v.to_le_bytes() } else { v.to_be_bytes() };
            tiff.extend(u16b(42));
            tiff.extend(u32b(8));
            tiff.extend(u16b(1)); // one entry
            tiff.extend(u16b(0x0112));
            tiff.extend(u16b(3)); // SHORT
            tiff.extend(u32b(1));
            tiff.extend(u16b(value));
            tiff.extend([0, 0]);
            tiff.extend(u32b(0));
            let mut app1 = b"Exif\0\0".to_vec();
            app1.extend(tiff);
            let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1];
            jpeg.extend(u16::try_from(app1.len() + 2).unwrap().to_be_bytes());
            jpeg.extend(app1);
            jpeg.extend([0xFF, 0xDA, 0x00, 0x02]);
            jpeg
        };
        assert_eq!(jpeg_orientation(&with_orientation(b"II", 6)), 6);
        assert_eq!(jpeg_orientation(&with_orientation(b"MM", 8)), 8);
        assert_eq!(jpeg_orientation(&with_orientation(b"MM", 99)), 1, "nonsense is ignored");
        assert_eq!(jpeg_orientation(&[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0, 0, 0xFF, 0xDA]), 1, "no EXIF");
        assert_eq!((quarter_turns(6), quarter_turns(3), quarter_turns(8), quarter_turns(1)), (1, 2, 3, 0));
    }

    #[test]
    fn a_jpeg_frame_header_gives_size_and_colours() {
        // SOI, APP0 (JFIF), SOF0 (8 bit, 20 × 10, 3 components), SOS.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x07, b'J', b'F', b'I', b'F', 0x00];
        jpeg.extend([0xFF, 0xC0, 0x00, 0x11, 8, 0, 10, 0, 20, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        jpeg.extend([0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 0x3F, 0]);
        assert_eq!(jpeg_info(&jpeg), Some(JpegInfo { width: 20, height: 10, components: 3, adobe: false }));
        assert_eq!(jpeg_info(&jpeg[..20]), None, "cut before the scan");
        assert_eq!(jpeg_info(b"\xFF\xD8\xFF\xE0garbage"), None);
        assert_eq!(jpeg_info(b"not a jpeg"), None);
    }
}
