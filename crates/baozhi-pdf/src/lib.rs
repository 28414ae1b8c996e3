//! Born-digital newspaper PDFs in: the printed lines of each page, with
//! their boxes, font size and weight, in reading order.
//!
//! An e-paper PDF says what page text cannot: where each line sits, how big
//! and how heavy its type is. This crate reads a PDF's text layer (through
//! `pdf_oxide`, which handles CID fonts, Identity-H encodings and ToUnicode
//! maps) and gives, per page, plain data the page engine reads:
//!
//! 1. the PDF's text spans become printed lines ([`lines`]): spans on one
//!    baseline that touch are one line; a gap wider than a gutter starts
//!    another; a space the extractor put between two CJK characters (from
//!    letter-spacing, not a glyph) is dropped;
//! 2. the lines are put in reading order by cutting the page at its gutters
//!    and at the white bands between stacked blocks ([`order`]), so the
//!    columns of an article are read one after the other, not row by row;
//! 3. characters a PDF font maps to look-alike code points (Kangxi
//!    radicals, CJK compatibility ideographs) are read as the ideograph
//!    they print, and listed ([`Normalized`]); private-use characters are
//!    kept and counted in a warning.
//!
//! A page whose text layer is empty (a scan) gives a warning that names the
//! page and suggests OCR. Nothing here panics: a PDF the reader cannot
//! parse is a [`PdfError`] naming the page where it failed.

pub mod lines;
pub mod order;
pub mod vertical;

use std::panic::{catch_unwind, AssertUnwindSafe};

use pdf_oxide::document::PdfDocument;

pub use lines::{PrintedLine, Rect};

/// The largest PDF accepted, in bytes. An e-paper page is 1–20 MB; a whole
/// issue in one file rarely passes 200 MB.
pub const MAX_PDF_BYTES: u64 = 512 * 1024 * 1024;

/// Why a PDF (or one of its pages) cannot be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PdfError {
    #[error("empty file")]
    Empty,
    #[error("not a PDF (no %PDF header)")]
    NotPdf,
    #[error("PDF larger than {} MiB", MAX_PDF_BYTES / (1024 * 1024))]
    TooLarge,
    #[error("encrypted PDF: decrypt it first (e.g. qpdf --decrypt)")]
    Encrypted,
    #[error("damaged PDF: {0}")]
    Damaged(String),
    #[error("page {page}: {reason}")]
    Page { page: usize, reason: String },
}

/// A character the reader replaced before layout: a look-alike code point
/// a PDF font maps (⾦ KANGXI RADICAL GOLD for 金), with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// Index of the line in [`PdfPage::lines`].
    pub line: usize,
    /// Char offset in that line's text.
    pub column: usize,
    pub from: char,
    pub to: char,
}

/// One page of a PDF: its printed lines in reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfPage {
    /// 1-based page number in the file.
    pub number: usize,
    /// Page size in points.
    pub width: f32,
    pub height: f32,
    /// The printed lines, in reading order.
    pub lines: Vec<PrintedLine>,
    /// Where the page prints pictures (photos, drawn boxes), in points from
    /// its top-left corner: the reading order keeps a column's text and its
    /// pictures together.
    pub pictures: Vec<Rect>,
    /// Characters read as another code point, for the record.
    pub normalized: Vec<Normalized>,
    /// What a reader of the result should know (no text layer, private-use
    /// characters), each naming the page.
    pub warnings: Vec<String>,
}

impl PdfPage {
    /// The page as text: one printed line per text line, in reading order.
    /// Line `i` of the text is `lines[i]`, so a char offset into the text
    /// leads back to a line and its box.
    pub fn text(&self) -> String {
        lines_text(&self.lines)
    }
}

/// Printed lines as page text: one line per line, each ended by `\n`, so
/// text line `i` is printed line `i` (what ties the page engine's lines to
/// their boxes). PDF and OCR pages alike.
pub fn lines_text(lines: &[PrintedLine]) -> String {
    let mut out = String::with_capacity(lines.iter().map(|l| l.text.len() + 1).sum());
    for l in lines {
        out.push_str(&l.text);
        out.push('\n');
    }
    out
}

/// An opened PDF.
pub struct Pdf {
    doc: PdfDocument,
    pages: usize,
}

impl std::fmt::Debug for Pdf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pdf").field("pages", &self.pages).finish()
    }
}

/// Whether `bytes` start like a PDF (`%PDF`, after at most a few bytes of
/// junk, which readers accept).
pub fn looks_like_pdf(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
}

impl Pdf {
    /// Opens a PDF held in memory.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Pdf, PdfError> {
        if bytes.is_empty() {
            return Err(PdfError::Empty);
        }
        if bytes.len() as u64 > MAX_PDF_BYTES {
            return Err(PdfError::TooLarge);
        }
        if !looks_like_pdf(&bytes) {
            return Err(PdfError::NotPdf);
        }
        let opened = guarded(|| PdfDocument::from_bytes(bytes))
            .ok_or_else(|| PdfError::Damaged("the PDF reader failed on the file".into()))?;
        let doc = opened.map_err(|e| PdfError::Damaged(first_line(&e.to_string())))?;
        if doc.is_encrypted() {
            // An empty user password opens most "protected" e-papers (they
            // only forbid copying); anything else needs the password.
            let open = guarded(|| doc.authenticate(b"")).and_then(Result::ok);
            if open != Some(true) {
                return Err(PdfError::Encrypted);
            }
        }
        let pages = guarded(|| doc.page_count())
            .and_then(Result::ok)
            .ok_or_else(|| PdfError::Damaged("no page tree".into()))?;
        Ok(Pdf { doc, pages })
    }

    /// Number of pages.
    pub fn page_count(&self) -> usize {
        self.pages
    }

    /// Reads page `index` (0-based).
    pub fn page(&self, index: usize) -> Result<PdfPage, PdfError> {
        let number = index + 1;
        let fail = |reason: String| PdfError::Page {
            page: number,
            reason,
        };
        let (x0, y0, x1, y1) = guarded(|| self.doc.get_page_media_box(index))
            .ok_or_else(|| fail("the PDF reader failed on the page".into()))?
            .map_err(|e| fail(first_line(&e.to_string())))?;
        let spans = guarded(|| self.doc.extract_spans(index))
            .ok_or_else(|| fail("the PDF reader failed on the page's text".into()))?
            .map_err(|e| fail(first_line(&e.to_string())))?;
        let (width, height) = ((x1 - x0).abs(), (y1 - y0).abs());
        let raw: Vec<lines::Span> = spans
            .iter()
            .filter_map(|s| {
                let sequence = s.sequence;
                lines::Span::from_pdf(
                    &s.text,
                    s.bbox.x - x0.min(x1),
                    s.bbox.y - y0.min(y1),
                    s.bbox.width,
                    s.bbox.height,
                    s.font_size,
                    s.font_weight.is_bold(),
                    height,
                )
                .map(|span| lines::Span { sequence, ..span })
            })
            .collect();
        let (printed, drawn) = lines::printed_lines_drawn(raw);
        let (mut printed, vertical) = vertical::join_vertical(printed, &drawn);
        let pictures = self.pictures(index, (x0.min(x1), y0.min(y1)), (width, height));
        let sequence = order::reading_order_around(&printed, &pictures);
        printed = sequence.into_iter().map(|i| printed[i].clone()).collect();
        let mut page = PdfPage {
            number,
            width,
            height,
            lines: printed,
            pictures,
            normalized: Vec::new(),
            warnings: Vec::new(),
        };
        normalize(&mut page);
        page.warnings.extend(vertical.warning(number));
        if page.lines.is_empty() {
            page.warnings.push(format!(
                "page {number}: no text layer (a scan?): run OCR on it (--ocr)"
            ));
        }
        Ok(page)
    }
}

/// The least width and height, in points, of a filled box taken for a
/// picture: a photo or a drawn box holds at least a few lines of body type
/// (about 2 cm); rules, underlines and bullets are far thinner.
const PICTURE_MIN_SIDE: f32 = 48.0;

/// A filled box covering more than this share of the page is its
/// background, not a picture.
const PICTURE_MAX_PAGE_SHARE: f32 = 0.5;

/// A fill this light (each channel) is white: paper, not a picture.
const WHITE_FILL: f32 = 0.97;

impl Pdf {
    /// Where page `index` prints pictures: its images (as e-paper PDFs set
    /// photos) and filled boxes at least [`PICTURE_MIN_SIDE`] on each side
    /// that are neither white nor the page's background (pictures drawn as
    /// shapes, tinted boxes). In points from the page's top-left corner.
    /// A page the reader cannot take apart has none: pictures only steer
    /// the reading order, and the text stays readable without them.
    fn pictures(&self, index: usize, origin: (f32, f32), (width, height): (f32, f32)) -> Vec<Rect> {
        let to_page = |x: f32, y: f32, w: f32, h: f32| {
            // pdf_oxide gives boxes in PDF user space, y up, possibly with
            // a negative width or height
            let (x0, x1) = (x.min(x + w) - origin.0, x.max(x + w) - origin.0);
            let (y0, y1) = (y.min(y + h) - origin.1, y.max(y + h) - origin.1);
            Rect {
                x0: x0.max(0.0),
                top: (height - y1).max(0.0),
                x1: x1.min(width),
                bottom: (height - y0).min(height),
            }
        };
        let big = |r: &Rect| {
            r.width() >= PICTURE_MIN_SIDE
                && r.height() >= PICTURE_MIN_SIDE
                && r.width() * r.height() <= PICTURE_MAX_PAGE_SHARE * width * height
        };
        let mut out = Vec::new();
        if let Some(Ok(images)) = guarded(|| self.doc.page_image_handles(index)) {
            out.extend(
                images
                    .iter()
                    .map(|i| to_page(i.bbox.x, i.bbox.y, i.bbox.width, i.bbox.height))
                    .filter(big),
            );
        }
        if let Some(Ok(rects)) = guarded(|| self.doc.extract_rects(index)) {
            out.extend(
                rects
                    .iter()
                    .filter(|p| {
                        p.fill_color
                            .as_ref()
                            .is_some_and(|c| c.r.min(c.g).min(c.b) < WHITE_FILL)
                    })
                    .map(|p| to_page(p.bbox.x, p.bbox.y, p.bbox.width, p.bbox.height))
                    .filter(big),
            );
        }
        out
    }
}

/// Runs a call into the PDF reader, turning a panic inside it into `None`:
/// a damaged file must give an error naming it, never end the batch.
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    catch_unwind(AssertUnwindSafe(f)).ok()
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").chars().take(200).collect()
}

/// How many distinct replacements a page's warning spells out (the rest
/// are in [`PdfPage::normalized`]); enough to show which font is at fault.
const NORMALIZED_SHOWN: usize = 5;

/// Replaces look-alike code points by the ideographs they print and counts
/// private-use characters.
fn normalize(page: &mut PdfPage) {
    let mut private = 0usize;
    for (li, line) in page.lines.iter_mut().enumerate() {
        if !line
            .text
            .chars()
            .any(|c| ideograph_for(c).is_some() || is_private(c))
        {
            continue;
        }
        let mut text = String::with_capacity(line.text.len());
        for (col, c) in line.text.chars().enumerate() {
            if let Some(to) = ideograph_for(c) {
                page.normalized.push(Normalized {
                    line: li,
                    column: col,
                    from: c,
                    to,
                });
                text.push(to);
            } else {
                private += usize::from(is_private(c));
                text.push(c);
            }
        }
        line.text = text;
    }
    if !page.normalized.is_empty() {
        // Listed, never silent: which look-alikes were read as what.
        let mut pairs: Vec<(char, char)> = page.normalized.iter().map(|n| (n.from, n.to)).collect();
        pairs.sort_unstable();
        pairs.dedup();
        let shown: Vec<String> = pairs
            .iter()
            .take(NORMALIZED_SHOWN)
            .map(|(f, t)| format!("{f} U+{:04X} → {t}", *f as u32))
            .collect();
        page.warnings.push(format!(
            "page {}: {} characters printed as look-alike code points read as the ideographs they print ({}{})",
            page.number,
            page.normalized.len(),
            shown.join(", "),
            if pairs.len() > NORMALIZED_SHOWN { ", …" } else { "" }
        ));
    }
    if private > 0 {
        page.warnings.push(format!(
            "page {}: {private} private-use characters (a font without a Unicode map for them); kept as they are",
            page.number
        ));
    }
}

fn is_private(c: char) -> bool {
    matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD)
}

/// The ideograph a Kangxi radical or a CJK compatibility ideograph stands
/// for, from Unicode's own decompositions (see [`kangxi`]).
pub fn ideograph_for(c: char) -> Option<char> {
    kangxi::ideograph(c)
}

/// Look-alike code points (Kangxi radicals, compatibility ideographs), in
/// `baozhi-text` so that the proofreader finds them in any text too.
pub use baozhi_text::kangxi;

#[cfg(test)]
mod tests {
    use super::*;

    fn page_of(texts: &[&str]) -> PdfPage {
        let lines = texts
            .iter()
            .map(|t| PrintedLine {
                text: t.to_string(),
                bbox: Rect {
                    x0: 0.0,
                    top: 0.0,
                    x1: 10.0,
                    bottom: 10.0,
                },
                size: 10.0,
                bold: false,
            })
            .collect();
        PdfPage {
            number: 3,
            width: 100.0,
            height: 100.0,
            lines,
            pictures: Vec::new(),
            normalized: Vec::new(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn look_alikes_are_replaced_and_listed_with_their_place() {
        let mut page = page_of(&["标题", "⾦价上涨，\u{F900}"]);
        normalize(&mut page);
        assert_eq!(page.lines[1].text, "金价上涨，豈");
        assert_eq!(
            page.normalized,
            vec![
                Normalized {
                    line: 1,
                    column: 0,
                    from: '⾦',
                    to: '金'
                },
                Normalized {
                    line: 1,
                    column: 5,
                    from: '\u{F900}',
                    to: '豈'
                },
            ]
        );
        assert_eq!(page.warnings.len(), 1);
        assert!(
            page.warnings[0].starts_with("page 3: 2 characters"),
            "{:?}",
            page.warnings
        );
        assert!(page.warnings[0].contains("⾦ U+2FA6 → 金"));
    }

    #[test]
    fn private_use_characters_are_kept_and_counted() {
        let mut page = page_of(&["\u{E001}\u{E002}报"]);
        normalize(&mut page);
        assert_eq!(page.lines[0].text, "\u{E001}\u{E002}报");
        assert!(page.normalized.is_empty());
        assert_eq!(page.warnings, vec!["page 3: 2 private-use characters (a font without a Unicode map for them); kept as they are".to_string()]);
    }
}
