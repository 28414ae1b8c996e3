//! OCR pages in: hOCR and ALTO XML with their boxes, and scans read by
//! Tesseract, as printed lines the page engine reads.
//!
//! Libraries and OCR engines hand newspaper scans on as hOCR (Tesseract,
//! OCRopus, kraken) or ALTO XML (Tesseract, ABBYY FineReader, library
//! digitization workflows). Both say where each word sits; this crate turns
//! them into the same plain data a PDF page gives ([`PrintedLine`]: text,
//! box, type size, weight), so one line model reads both:
//!
//! 1. the words of each OCR line are joined as they were printed: Han
//!    characters and CJK punctuation touch, Latin words and numbers keep
//!    one space between them ([`join_words`]);
//! 2. coordinates become points (hOCR: the scan's resolution; ALTO: its
//!    measurement unit), and a line's type size is the middle height of
//!    its word boxes, in half points, so body lines fall in one size;
//! 3. lines are put in reading order as a PDF page's are (cuts at gutters
//!    and white bands, [`baozhi_pdf::order`]), not the OCR engine's, which
//!    reads across columns where its blocks run together;
//! 4. what a reader must know is a warning naming the page: vertical lines
//!    (which horizontal OCR misreads), low recognition confidence, a page
//!    with no text.
//!
//! [`Tesseract`] runs the `tesseract` program (Debian: `tesseract-ocr`,
//! `tesseract-ocr-chi-sim`) on an image and reads its hOCR; a PDF page
//! without a text layer is first rendered by `pdftoppm` (`poppler-utils`).
//! Neither is linked: they are separate programs, found on `PATH`, and a
//! missing one is a clear error naming its package.
//!
//! Nothing here panics on bad input: malformed XML is an [`OcrError`]
//! naming the byte offset where it failed.

pub mod alto;
pub mod hocr;
pub mod render;
mod tesseract;

pub use baozhi_pdf::{PrintedLine, Rect};
pub use tesseract::{ImageFormat, Tesseract, PDF_RENDER_DPI};

/// The largest hOCR or ALTO file accepted, in bytes: the OCR of a whole
/// broadsheet issue (40 pages) is 40–80 MB of XML.
pub const MAX_OCR_BYTES: u64 = 256 * 1024 * 1024;

/// The resolution assumed for a scan whose hOCR or ALTO does not state it.
/// Newspaper digitization guidelines (NDNP, IFLA) ask for 300–400 dpi; the
/// features the page engine reads are in ems of body type, so an error
/// here scales every box alike and changes no decision.
pub const ASSUMED_DPI: f32 = 300.0;

/// Line sizes within this share of a page's commonest size are that size.
/// A glyph box from OCR varies by a pixel or two from line to line (a
/// quarter to half a point at 300 dpi, 3–5 % of body type); type sizes a
/// paper sets apart differ by 10 % or more (9 and 10 pt).
pub const SIZE_TOLERANCE: f32 = 0.08;
/// At most this many type sizes are told apart on a page (body, subheads,
/// titles, captions, furniture: a front page sets about ten); the rest keep
/// their measured size. Bounds the work on a hostile file.
const MAX_SIZE_CLASSES: usize = 16;

/// A line is read as vertical when its box is this many times taller than
/// wide and it holds at least [`VERTICAL_MIN_CHARS`] characters.
pub const VERTICAL_ASPECT: f32 = 2.0;
/// See [`VERTICAL_ASPECT`]: one or two characters stacked are a tall box
/// without being a vertical line (a drop cap, a bracket).
pub const VERTICAL_MIN_CHARS: usize = 3;

/// Below this mean word confidence (0–1) a page gets a warning: the text is
/// more guess than reading (a poor scan, a wrong language model).
pub const LOW_CONFIDENCE: f32 = 0.6;

/// Which OCR format a file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Hocr,
    Alto,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Hocr => "hOCR",
            Format::Alto => "ALTO",
        }
    }
}

/// How far into a file [`sniff`] looks for the marks of hOCR or ALTO: past
/// an XML declaration, a doctype and an HTML head.
const SNIFF_BYTES: usize = 8 * 1024;

/// The OCR format of `bytes`, when they are hOCR (an HTML page whose
/// elements carry the `ocr_page` class) or ALTO XML (an `alto` root).
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let starts_xml = head[start] == b'<' || head[start..].starts_with(b"\xEF\xBB\xBF<");
    if !starts_xml {
        return None;
    }
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if has(b"ocr_page") || has(b"ocr-system") {
        Some(Format::Hocr)
    } else if has(b"<alto") || has(b":alto") {
        Some(Format::Alto)
    } else {
        None
    }
}

/// Why an OCR file cannot be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OcrError {
    #[error("{format} larger than {} MiB", MAX_OCR_BYTES / (1024 * 1024))]
    TooLarge { format: &'static str },
    #[error("{format} is not valid UTF-8 at byte offset {offset}")]
    Encoding { format: &'static str, offset: usize },
    #[error("malformed {format} at byte offset {offset}: {reason}")]
    Malformed {
        format: &'static str,
        offset: u64,
        reason: String,
    },
    #[error("{format} without a page: no {element} element")]
    NoPage {
        format: &'static str,
        element: &'static str,
    },
    /// The OCR program, or a program it needs, is not installed.
    #[error("{0}")]
    Missing(String),
    /// The OCR program ran and failed.
    #[error("{0}")]
    Failed(String),
}

/// One page of OCR output: its lines in the OCR engine's reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrPage {
    /// 1-based page number in the file.
    pub number: usize,
    /// Page size in points.
    pub width: f32,
    pub height: f32,
    /// The printed lines (boxes in points from the top-left corner).
    pub lines: Vec<PrintedLine>,
    /// Where the OCR found pictures (hOCR `ocr_photo`, `ocr_image`), in
    /// points from the top-left corner.
    pub pictures: Vec<Rect>,
    /// Mean word confidence, 0–1, when the OCR gave one.
    pub confidence: Option<f32>,
    /// How many lines look vertical (see [`VERTICAL_ASPECT`]).
    pub vertical_lines: usize,
    /// What a reader of the result should know, each naming the page.
    pub warnings: Vec<String>,
}

impl OcrPage {
    /// The page as text for the page engine: one printed line per line.
    pub fn text(&self) -> String {
        baozhi_pdf::lines_text(&self.lines)
    }
}

/// Reads an hOCR or ALTO file (the format is [`sniff`]ed) into its pages.
pub fn read(bytes: &[u8]) -> Result<Vec<OcrPage>, OcrError> {
    match sniff(bytes) {
        Some(Format::Alto) => alto::read(bytes),
        // Anything else that reached here was asked to be read as OCR:
        // hOCR's errors are the more useful.
        _ => hocr::read(bytes),
    }
}

/// The text of `bytes` as UTF-8 (a BOM skipped), for the XML readers.
fn utf8(bytes: &[u8], format: Format) -> Result<&str, OcrError> {
    if bytes.len() as u64 > MAX_OCR_BYTES {
        return Err(OcrError::TooLarge {
            format: format.name(),
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| OcrError::Encoding {
        format: format.name(),
        offset: e.valid_up_to(),
    })
}

/// One recognized word: its text and box (in the file's units).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Word {
    pub text: String,
    pub bbox: Rect,
    /// 0–1.
    pub confidence: Option<f32>,
    pub bold: bool,
}

/// One OCR line as read from the file, before it becomes a [`PrintedLine`].
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawLine {
    pub bbox: Option<Rect>,
    pub words: Vec<Word>,
    /// Text outside any word element (hOCR without word boxes).
    pub loose_text: String,
    /// The OCR said the line is turned (hOCR `textangle`, ALTO `ROTATION`).
    pub turned: bool,
}

/// Whether a space printed between `a` and `b` is kept: between two Latin
/// letters or digits (a word gap), never next to a Han character or CJK
/// punctuation (OCR engines put a word gap between every Han character).
fn keeps_space(a: char, b: char) -> bool {
    let latin = |c: char| c.is_ascii_alphanumeric() || (c.is_alphabetic() && (c as u32) < 0x2E80);
    latin(a) && latin(b)
}

/// The words of one line as printed: see [`keeps_space`].
pub fn join_words<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for w in words {
        let w = w.trim();
        if w.is_empty() {
            continue;
        }
        if let (Some(a), Some(b)) = (out.chars().last(), w.chars().next()) {
            if keeps_space(a, b) {
                out.push(' ');
            }
        }
        out.push_str(w);
    }
    out
}

/// Builds a page's printed lines from raw OCR lines: text joined, boxes
/// scaled to points by `scale`, sizes from word heights, read in order
/// around the page's `pictures` (in the OCR's units, as the lines);
/// warnings named for page `number`.
pub(crate) fn finish_page(
    number: usize,
    (width, height): (f32, f32),
    scale: f32,
    raw: Vec<RawLine>,
    pictures: Vec<Rect>,
) -> OcrPage {
    let pictures: Vec<Rect> = pictures.iter().map(|r| r.scaled(scale)).collect();
    let mut lines = Vec::with_capacity(raw.len());
    let (mut conf_sum, mut conf_n) = (0.0f64, 0usize);
    let mut vertical = 0usize;
    for l in raw {
        for w in &l.words {
            if let Some(c) = w.confidence {
                conf_sum += c as f64;
                conf_n += 1;
            }
        }
        let mut text = join_words(l.words.iter().map(|w| w.text.as_str()));
        let loose = l.loose_text.split_whitespace().collect::<Vec<_>>();
        if !loose.is_empty() {
            let rest = join_words(loose);
            text = join_words([text.as_str(), rest.as_str()]);
        }
        if text.is_empty() {
            continue;
        }
        let word_union = l.words.iter().map(|w| w.bbox).reduce(|a, b| a.union(&b));
        let Some(bbox) = l.bbox.or(word_union) else {
            // A line with no box at all: keep its text (lossless), with a
            // box the features read as "unknown" (zero size).
            lines.push(PrintedLine {
                text,
                bbox: Rect::default(),
                size: 0.0,
                bold: false,
            });
            continue;
        };
        let chars = text.chars().count();
        let is_vertical = l.turned
            || (chars >= VERTICAL_MIN_CHARS && bbox.height() > VERTICAL_ASPECT * bbox.width());
        vertical += usize::from(is_vertical);
        let glyph = glyph_height(&l.words, is_vertical).unwrap_or(if is_vertical {
            bbox.width()
        } else {
            bbox.height()
        });
        let size = glyph * scale;
        let bold_words = l.words.iter().filter(|w| w.bold).count();
        lines.push(PrintedLine {
            text,
            bbox: bbox.scaled(scale),
            size,
            bold: !l.words.is_empty() && 2 * bold_words > l.words.len(),
        });
    }
    // The OCR engine's own order reads row by row across columns where its
    // blocks run together; the PDF reader's cuts at gutters and white bands
    // read a column to its end (held-out OCR pages: article F1 0.34 with
    // these cuts, 0.22 in Tesseract's order).
    snap_sizes(&mut lines);
    let order = baozhi_pdf::order::reading_order_around(&lines, &pictures);
    let mut slots: Vec<Option<PrintedLine>> = lines.into_iter().map(Some).collect();
    let lines: Vec<PrintedLine> = order.into_iter().filter_map(|i| slots[i].take()).collect();
    let confidence = (conf_n > 0).then(|| (conf_sum / conf_n as f64) as f32);
    let mut warnings = Vec::new();
    if lines.is_empty() {
        warnings.push(format!("page {number}: the OCR found no text"));
    }
    if vertical > 0 {
        warnings.push(format!(
            "page {number}: {vertical} line(s) of vertical type; horizontal OCR misreads them \
             (Tesseract reads them with -l chi_sim_vert)"
        ));
    }
    if let Some(c) = confidence.filter(|&c| c < LOW_CONFIDENCE) {
        warnings.push(format!(
            "page {number}: low OCR confidence ({:.0} %): check the scan and the OCR language",
            c * 100.0
        ));
    }
    OcrPage {
        number,
        width: width * scale,
        height: height * scale,
        lines,
        pictures,
        confidence,
        vertical_lines: vertical,
        warnings,
    }
}

/// Gives lines of one type size one size: the commonest size (by
/// characters) takes every size within [`SIZE_TOLERANCE`] of it, then the
/// commonest of the rest, and so on.
fn snap_sizes(lines: &mut [PrintedLine]) {
    // (size, characters), by size: a window of sizes is a slice, its
    // characters a difference of prefix sums.
    let mut by_size: Vec<(f32, usize)> = lines
        .iter()
        .filter(|l| l.size > 0.0 && l.size.is_finite())
        .map(|l| (l.size, l.text.chars().count()))
        .collect();
    by_size.sort_by(|a, b| a.0.total_cmp(&b.0));
    // (smallest, largest, size) of each class of sizes.
    let mut sizes: Vec<(f32, f32, f32)> = Vec::new();
    for _ in 0..MAX_SIZE_CLASSES {
        let mut prefix = vec![0usize; by_size.len() + 1];
        for (i, &(_, n)) in by_size.iter().enumerate() {
            prefix[i + 1] = prefix[i] + n;
        }
        let window = |z: f32| {
            let lo = by_size.partition_point(|e| e.0 < z * (1.0 - SIZE_TOLERANCE));
            let hi = by_size.partition_point(|e| e.0 <= z * (1.0 + SIZE_TOLERANCE));
            (lo, hi)
        };
        let best = by_size
            .iter()
            .map(|e| {
                let (lo, hi) = window(e.0);
                (prefix[hi] - prefix[lo], e.0)
            })
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        let Some((_, seed)) = best else { break };
        let (lo, hi) = window(seed);
        // The class's size: the middle one of its characters.
        let half = (prefix[lo] + prefix[hi]) / 2;
        let middle = (lo..hi).find(|&i| prefix[i + 1] > half).unwrap_or(lo);
        let class = by_size[lo..hi].iter().map(|e| e.0);
        let (min, max) = class.fold((f32::MAX, f32::MIN), |(a, b), z| (a.min(z), b.max(z)));
        sizes.push((min, max, (by_size[middle].0 * 10.0).round() / 10.0));
        by_size.drain(lo..hi);
    }
    for l in lines.iter_mut() {
        if let Some(&(_, _, size)) = sizes.iter().find(|c| (c.0..=c.1).contains(&l.size)) {
            l.size = size;
        }
    }
}

/// The middle glyph height of a line's Han words (their width in a
/// vertical line). A Han character's box is nearly its em, whatever the
/// character; a Latin word, a number or punctuation is shorter or taller
/// by its letters, so they count only in a line without Han words.
fn glyph_height(words: &[Word], vertical: bool) -> Option<f32> {
    let extent = |w: &Word| {
        if vertical {
            w.bbox.width()
        } else {
            w.bbox.height()
        }
    };
    let han = |w: &Word| !w.text.is_empty() && w.text.chars().all(is_han);
    let mut h: Vec<f32> = words.iter().filter(|w| han(w)).map(extent).collect();
    if h.is_empty() {
        h = words.iter().map(extent).collect();
    }
    h.retain(|h| h.is_finite() && *h > 0.0);
    if h.is_empty() {
        return None;
    }
    h.sort_by(f32::total_cmp);
    Some(h[h.len() / 2])
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// The value of an element's attribute `name` (any namespace), with
/// entities resolved; `None` when absent or broken.
pub(crate) fn attr(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// A number attribute, as OCR files write them (`"322"`, `"86.666664"`).
pub(crate) fn number(s: &str) -> Option<f32> {
    s.trim().parse::<f32>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sized(text: &str, size: f32) -> PrintedLine {
        PrintedLine {
            text: text.to_string(),
            bbox: Rect::default(),
            size,
            bold: false,
        }
    }

    #[test]
    fn sizes_of_one_type_are_one_size() {
        let mut lines = vec![
            sized("一二三四五六七八九十", 8.4),
            sized("一二三四五六七八九十", 8.6),
            sized("一二三四五六七八九十", 8.6),
            sized("一二三四五六七八九十", 8.9),
            sized("标题", 13.7),
            sized("标题", 13.2),
            sized("副题", 10.3),
        ];
        snap_sizes(&mut lines);
        let sizes: Vec<f32> = lines.iter().map(|l| l.size).collect();
        assert_eq!(sizes, [8.6, 8.6, 8.6, 8.6, 13.7, 13.7, 10.3]);
    }

    #[test]
    fn words_join_as_printed() {
        assert_eq!(join_words(["人", "民", "日", "报"]), "人民日报");
        assert_eq!(join_words(["2019", "年", "2", "月"]), "2019年2月");
        assert_eq!(join_words(["New", "York", "Times"]), "New York Times");
        assert_eq!(join_words(["GDP", "增长", "5.2%"]), "GDP增长5.2%");
        assert_eq!(join_words(["记者", " ", "李红梅"]), "记者李红梅");
    }

    #[test]
    fn sniff_tells_hocr_alto_and_other_xml() {
        assert_eq!(
            sniff(b"<?xml version='1.0'?>\n<html><body><div class='ocr_page'>"),
            Some(Format::Hocr)
        );
        assert_eq!(
            sniff(b"  <alto xmlns=\"http://www.loc.gov/standards/alto/ns-v4#\">"),
            Some(Format::Alto)
        );
        assert_eq!(sniff(b"<html><body>news</body></html>"), None);
        assert_eq!(sniff("本报北京电 ocr_page".as_bytes()), None);
        assert_eq!(sniff(b""), None);
    }
}
