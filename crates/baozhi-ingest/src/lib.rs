//! Reading one newspaper page: bytes in, text out.
//!
//! [`decode`] finds the encoding of a page (UTF-8, GB18030, Big5, UTF-16LE/BE),
//! strips a byte order mark and refuses files that are not text (a PDF, an
//! image, binary junk). Line endings are kept exactly as they are: the engine
//! handles CRLF, CR and LF, and its char offsets refer to the text returned
//! here.
//!
//! Byte offsets in errors count bytes of the input as given, BOM included.
//!
//! Order of the checks in [`decode`]:
//! 1. more than [`MAX_PAGE_BYTES`] → [`DecodeError::TooLarge`]; no bytes → [`DecodeError::Empty`];
//! 2. a known binary signature at the start (PDF, PNG, ZIP, …) → [`DecodeError::Binary`];
//! 3. a byte order mark (UTF-8, UTF-16LE, UTF-16BE) decides the encoding, whatever the [`EncodingChoice`]
//!    (a BOM is stronger evidence than a guess or a default);
//! 4. otherwise the choice: a forced encoding is decoded strictly; `Auto`
//!    tries UTF-16 (only when the first 4 KiB hold NUL bytes and read well as
//!    UTF-16), then UTF-8, then GB18030 unless the bytes read as Big5 and
//!    not as GB2312-era text (see [`looks_like_big5`]);
//!    (a GB18030 BOM, `84 31 95 33`, is stripped when GB18030 was chosen);
//! 5. decoded text holding a NUL, or more than 1 % C0 control characters
//!    (other than tab, LF, CR and form feed) → [`DecodeError::Binary`];
//! 6. text that is only whitespace (U+3000 included) → [`DecodeError::Empty`].
//!
//! Nothing here panics, whatever the input.

pub mod names;

/// The OCR reader, for its types in [`ReadOptions`] and [`PageFile`].
pub use baozhi_ocr;

use std::fmt;
use std::io::Read;
use std::path::Path;
use std::str::FromStr;

/// The largest page accepted, in bytes.
pub const MAX_PAGE_BYTES: u64 = 64 * 1024 * 1024;

const MIB: u64 = 1024 * 1024;

/// How many leading bytes the UTF-16 guess looks at.
const SNIFF_BYTES: usize = 4096;

/// Which encoding to read a page in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum EncodingChoice {
    /// Detect: BOM, then UTF-16 by its NUL bytes, then UTF-8, then GB18030.
    #[default]
    Auto,
    Utf8,
    /// GB18030, which also reads GBK and GB2312.
    Gb18030,
    /// Big5 (traditional Chinese: Taiwan, Hong Kong and overseas papers),
    /// with the HKSCS additions as the WHATWG Encoding Standard reads it.
    Big5,
    /// UTF-16 little-endian. `"utf-16"` parses to this: a BOM still decides
    /// between LE and BE, LE is the default.
    Utf16Le,
    Utf16Be,
}

impl EncodingChoice {
    /// The canonical name, as accepted by [`FromStr`].
    pub fn name(self) -> &'static str {
        match self {
            EncodingChoice::Auto => "auto",
            EncodingChoice::Utf8 => "utf-8",
            EncodingChoice::Gb18030 => "gb18030",
            EncodingChoice::Big5 => "big5",
            EncodingChoice::Utf16Le => "utf-16le",
            EncodingChoice::Utf16Be => "utf-16be",
        }
    }
}

impl fmt::Display for EncodingChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An encoding name that [`EncodingChoice::from_str`] does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown encoding {0:?}: expected auto, utf-8, gb18030 (or gbk, gb2312), big5, utf-16, utf-16le or utf-16be"
)]
pub struct UnknownEncoding(pub String);

impl FromStr for EncodingChoice {
    type Err = UnknownEncoding;

    /// Case-insensitive; `_` counts as `-`. `"utf-16"` is [`EncodingChoice::Utf16Le`]
    /// (a BOM, when there is one, picks LE or BE anyway).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase().replace('_', "-");
        match norm.as_str() {
            "auto" => Ok(EncodingChoice::Auto),
            "utf-8" | "utf8" => Ok(EncodingChoice::Utf8),
            "gb18030" | "gbk" | "gb2312" | "cp936" => Ok(EncodingChoice::Gb18030),
            "big5" | "big5-hkscs" | "cp950" => Ok(EncodingChoice::Big5),
            "utf-16" | "utf16" | "utf-16le" | "utf16le" => Ok(EncodingChoice::Utf16Le),
            "utf-16be" | "utf16be" => Ok(EncodingChoice::Utf16Be),
            _ => Err(UnknownEncoding(s.to_string())),
        }
    }
}

/// The text of one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The decoded text, BOM stripped, line endings untouched.
    pub text: String,
    /// `"UTF-8"`, `"GB18030"`, `"Big5"`, `"UTF-16LE"` or `"UTF-16BE"`.
    pub encoding: &'static str,
    /// Whether the input began with a byte order mark.
    pub had_bom: bool,
}

/// Why a page could not be read as text. The messages are for a user; the
/// CLI puts the file name in front.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("empty page: no text")]
    Empty,
    #[error("{}", too_large_message(*size, *limit))]
    TooLarge { size: u64, limit: u64 },
    /// `offset` is the byte offset of the first offending byte (0 for a
    /// file signature); `what` says what was found, offset included, e.g.
    /// `"NUL byte at byte offset 1234"` or `"PDF file (to be read as a PDF, not as text)"`.
    #[error("not text: {what}")]
    Binary { offset: usize, what: String },
    /// `offset` is the byte offset of the first byte that is not valid in
    /// `encoding`. With [`EncodingChoice::Auto`] and no BOM, this is where
    /// UTF-8 failed (GB18030 failed too).
    #[error("invalid {encoding} at byte offset {offset}")]
    Malformed {
        encoding: &'static str,
        offset: usize,
    },
    #[error("cannot read: {0}")]
    Io(std::io::Error),
    /// A PDF that cannot be opened (damaged, encrypted, too large).
    #[error("{0}")]
    Pdf(baozhi_pdf::PdfError),
    /// An hOCR or ALTO file that cannot be read, or a scan the OCR failed on.
    #[error("{0}")]
    Ocr(baozhi_ocr::OcrError),
}

// Written by hand rather than `#[from]`, so the io::Error is not also
// reported as the `source()`: its text is already in the message.
impl From<std::io::Error> for DecodeError {
    fn from(e: std::io::Error) -> Self {
        DecodeError::Io(e)
    }
}

fn mib_text(bytes: u64) -> String {
    if bytes & (MIB - 1) == 0 {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    }
}

fn too_large_message(size: u64, limit: u64) -> String {
    let size_text = format!("{:.1} MiB", size as f64 / MIB as f64);
    let limit_tenths = format!("{:.1} MiB", limit as f64 / MIB as f64);
    if size <= limit || size_text == limit_tenths {
        // Only known to be over the limit (as from a pipe), or too close to
        // it for one decimal to show the difference.
        format!(
            "file is larger than the {} limit for one page",
            mib_text(limit)
        )
    } else {
        format!(
            "file is {size_text}, larger than the {} limit for one page",
            mib_text(limit)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Enc {
    Utf8,
    Gb18030,
    Big5,
    Utf16 { be: bool },
}

impl Enc {
    fn name(self) -> &'static str {
        match self {
            Enc::Utf8 => "UTF-8",
            Enc::Gb18030 => "GB18030",
            Enc::Big5 => "Big5",
            Enc::Utf16 { be: false } => "UTF-16LE",
            Enc::Utf16 { be: true } => "UTF-16BE",
        }
    }
}

/// Signatures of files that are surely not a text page (images are told
/// by [`baozhi_ocr::ImageFormat::sniff`], which knows what Tesseract reads).
const MAGIC: &[(&[u8], &str)] = &[
    (b"%PDF", "PDF file (to be read as a PDF, not as text)"),
    (
        b"PK\x03\x04",
        "ZIP file, or a .docx/.epub, which is one (extract its text first)",
    ),
    (b"PK\x05\x06", "ZIP file (an empty one)"),
    (b"\x1F\x8B", "gzip-compressed file (decompress it first)"),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "Microsoft Office document (save it as plain text first)",
    ),
    (b"7z\xBC\xAF\x27\x1C", "7-Zip archive (extract it first)"),
    (b"Rar!\x1A\x07", "RAR archive (extract it first)"),
    (b"\xFD7zXZ\x00", "xz-compressed file (decompress it first)"),
    (
        b"\x28\xB5\x2F\xFD",
        "zstd-compressed file (decompress it first)",
    ),
    (b"\x7FELF", "executable program"),
];

fn binary_magic(bytes: &[u8]) -> Option<&'static str> {
    use baozhi_ocr::ImageFormat;
    if let Some(image) = ImageFormat::sniff(bytes) {
        return Some(match image {
            ImageFormat::Png => "PNG image (a scan: read it with --ocr)",
            ImageFormat::Jpeg => "JPEG image (a scan: read it with --ocr)",
            ImageFormat::Tiff => "TIFF image (a scan: read it with --ocr)",
            ImageFormat::Gif => "GIF image (a scan: read it with --ocr)",
            ImageFormat::Bmp => "BMP image (a scan: read it with --ocr)",
            ImageFormat::Pnm => "PNM image (a scan: read it with --ocr)",
            ImageFormat::WebP => "WebP image (a scan: read it with --ocr)",
            ImageFormat::Jpeg2000 => "JPEG 2000 image (a scan: read it with --ocr)",
        });
    }
    MAGIC
        .iter()
        .find(|(sig, _)| bytes.starts_with(sig))
        .map(|&(_, what)| what)
}

/// The encoding a BOM announces, and the BOM's length.
fn sniff_bom(bytes: &[u8]) -> Option<(Enc, usize)> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        Some((Enc::Utf8, 3))
    } else if bytes.starts_with(b"\xFF\xFE") {
        Some((Enc::Utf16 { be: false }, 2))
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some((Enc::Utf16 { be: true }, 2))
    } else {
        None
    }
}

/// Decode one page.
///
/// See the crate docs for the order of the checks. Never panics.
pub fn decode(bytes: &[u8], choice: EncodingChoice) -> Result<Decoded, DecodeError> {
    let size = bytes.len() as u64;
    if size > MAX_PAGE_BYTES {
        return Err(DecodeError::TooLarge {
            size,
            limit: MAX_PAGE_BYTES,
        });
    }
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some(what) = binary_magic(bytes) {
        return Err(DecodeError::Binary {
            offset: 0,
            what: what.to_string(),
        });
    }

    let (enc, bom_len, mut text) = match sniff_bom(bytes) {
        Some((enc, bom_len)) => (enc, bom_len, decode_as(enc, bytes, bom_len)?),
        None => {
            let (enc, text) = match choice {
                EncodingChoice::Auto => decode_auto(bytes)?,
                EncodingChoice::Utf8 => (Enc::Utf8, decode_as(Enc::Utf8, bytes, 0)?),
                EncodingChoice::Gb18030 => (Enc::Gb18030, decode_as(Enc::Gb18030, bytes, 0)?),
                EncodingChoice::Big5 => (Enc::Big5, decode_as(Enc::Big5, bytes, 0)?),
                EncodingChoice::Utf16Le => {
                    let enc = Enc::Utf16 { be: false };
                    (enc, decode_as(enc, bytes, 0)?)
                }
                EncodingChoice::Utf16Be => {
                    let enc = Enc::Utf16 { be: true };
                    (enc, decode_as(enc, bytes, 0)?)
                }
            };
            (enc, 0, text)
        }
    };

    // GB18030 has a BOM of its own (84 31 95 33, U+FEFF): strip it too.
    let mut had_bom = bom_len > 0;
    if bom_len == 0 && enc == Enc::Gb18030 && text.starts_with('\u{FEFF}') {
        text.drain(..'\u{FEFF}'.len_utf8());
        had_bom = true;
    }

    check_controls(&text, enc, bytes, bom_len)?;
    if text.chars().all(|c| c.is_whitespace() || c == '\u{FEFF}') {
        return Err(DecodeError::Empty);
    }
    Ok(Decoded {
        text,
        encoding: enc.name(),
        had_bom,
    })
}

/// Read and decode one page from a file. The size is checked (from the
/// file's metadata) before anything is read.
pub fn read_page(path: &Path, choice: EncodingChoice) -> Result<Decoded, DecodeError> {
    decode(&read_path(path, MAX_PAGE_BYTES)?, choice)
}

/// The bytes of the file at `path`, at most `limit` of them: the size is
/// checked from the file's metadata before anything is read, and again
/// while reading.
fn read_path(path: &Path, limit: u64) -> Result<Vec<u8>, DecodeError> {
    let meta = std::fs::metadata(path)?;
    if meta.is_file() && meta.len() > limit {
        return Err(DecodeError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    if meta.is_dir() {
        return Err(DecodeError::Io(std::io::Error::other("is a directory")));
    }
    let file = std::fs::File::open(path)?;
    // Not trusting the metadata for the read itself: the file may be a pipe
    // or a device, or may grow meanwhile.
    let capacity = if meta.is_file() {
        meta.len().min(limit) as usize + 1
    } else {
        0
    };
    read_limited(file, capacity, limit)
}

/// What a page file holds: the text of one page; a PDF of one page or a
/// whole issue, whose pages [`baozhi_pdf::Pdf::page`] reads one at a time;
/// or OCR pages (hOCR or ALTO with their boxes, or a scan read by
/// Tesseract).
#[derive(Debug)]
pub enum PageFile {
    Text(Decoded),
    /// Boxed: an open PDF is a few kilobytes of reader state.
    Pdf(Box<PdfFile>),
    Ocr(Vec<baozhi_ocr::OcrPage>),
}

/// An open PDF, and what reads its pages that have no text layer.
pub struct PdfFile {
    pub pdf: baozhi_pdf::Pdf,
    /// With `--ocr`: the OCR program and the file's bytes, which it renders
    /// a page from.
    scans: Option<(baozhi_ocr::Tesseract, Vec<u8>)>,
}

impl fmt::Debug for PdfFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PdfFile")
            .field("pages", &self.pdf.page_count())
            .field("ocr", &self.scans.is_some())
            .finish()
    }
}

/// How page files are read.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The encoding of a text page.
    pub encoding: EncodingChoice,
    /// Scans (images, PDF pages without text) are read by this OCR
    /// program; without it they are refused with a message saying so.
    pub ocr: Option<baozhi_ocr::Tesseract>,
}

impl From<EncodingChoice> for ReadOptions {
    fn from(encoding: EncodingChoice) -> Self {
        ReadOptions {
            encoding,
            ocr: None,
        }
    }
}

/// Reads a page file: a PDF (by its `%PDF-` header, up to
/// [`baozhi_pdf::MAX_PDF_BYTES`]) is opened as one; hOCR and ALTO (up to
/// [`baozhi_ocr::MAX_OCR_BYTES`]) are read with their boxes; an image is
/// read by OCR when `options.ocr` is set; anything else is decoded as text
/// as [`read_page`] does. `None` for the path reads standard input.
pub fn read_file(path: Option<&Path>, options: &ReadOptions) -> Result<PageFile, DecodeError> {
    let limit = MAX_PAGE_BYTES
        .max(baozhi_pdf::MAX_PDF_BYTES)
        .max(baozhi_ocr::MAX_OCR_BYTES);
    let bytes = match path {
        Some(path) => read_path(path, limit)?,
        None => read_limited(std::io::stdin().lock(), 0, limit)?,
    };
    if baozhi_pdf::looks_like_pdf(&bytes) {
        let scans = options.ocr.clone().map(|t| (t, bytes.clone()));
        return baozhi_pdf::Pdf::from_bytes(bytes)
            .map(|pdf| PageFile::Pdf(Box::new(PdfFile { pdf, scans })))
            .map_err(DecodeError::Pdf);
    }
    if let (Some(ocr), Some(_)) = (&options.ocr, baozhi_ocr::ImageFormat::sniff(&bytes)) {
        return ocr
            .recognize(&bytes)
            .map(PageFile::Ocr)
            .map_err(DecodeError::Ocr);
    }
    if baozhi_ocr::sniff(&bytes).is_some() {
        return baozhi_ocr::read(&bytes)
            .map(PageFile::Ocr)
            .map_err(DecodeError::Ocr);
    }
    if bytes.len() as u64 > MAX_PAGE_BYTES {
        return Err(DecodeError::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_PAGE_BYTES,
        });
    }
    decode(&bytes, options.encoding).map(PageFile::Text)
}

/// One page of a file as the page engine reads it: its text, and for a
/// PDF or OCR page where each text line was printed.
#[derive(Debug, Clone, PartialEq)]
pub struct PageText {
    pub text: String,
    /// Entry `i` is text line `i`: a PDF or OCR page's printed lines, one
    /// per line.
    pub geometry: Option<Vec<baozhi_model::LineGeometry>>,
    /// The 1-based page number in a file of several pages.
    pub number_in_file: Option<usize>,
    /// The page's size in points (PDF and OCR pages).
    pub size: Option<baozhi_model::PageSize>,
    /// What the reader of the result should know (a page without a text
    /// layer, look-alike characters replaced, vertical type), each naming
    /// the page.
    pub warnings: Vec<String>,
    /// What the text was read from: a text file, a PDF's text layer or OCR.
    pub source: baozhi_model::TextSource,
    /// Where the page prints pictures, in points (PDF and OCR pages).
    pub pictures: Vec<baozhi_model::Region>,
}

impl From<Decoded> for PageText {
    /// A text page: its text and nothing known of where it was printed.
    fn from(d: Decoded) -> PageText {
        PageText {
            text: d.text,
            geometry: None,
            number_in_file: None,
            size: None,
            warnings: Vec::new(),
            source: baozhi_model::TextSource::Text,
            pictures: Vec::new(),
        }
    }
}

impl PageText {
    /// The page number to print for a page of a file of several pages: its
    /// place in the file, two digits (`01`, `02`, …), as papers number them.
    pub fn number_label(&self) -> Option<String> {
        self.number_in_file.map(|n| format!("{n:02}"))
    }

    fn printed(
        lines: &[baozhi_pdf::PrintedLine],
        pictures: &[baozhi_pdf::Rect],
        number: Option<usize>,
        (width, height): (f32, f32),
        warnings: Vec<String>,
        source: baozhi_model::TextSource,
    ) -> PageText {
        let text = baozhi_pdf::lines_text(lines);
        PageText {
            text,
            geometry: Some(lines.iter().map(line_geometry).collect()),
            number_in_file: number,
            size: (width > 0.0 && height > 0.0).then_some(baozhi_model::PageSize {
                width: (width * 10.0).round() / 10.0,
                height: (height * 10.0).round() / 10.0,
            }),
            warnings,
            source,
            pictures: pictures
                .iter()
                .map(|r| {
                    baozhi_model::Region {
                        x0: r.x0,
                        top: r.top,
                        x1: r.x1,
                        bottom: r.bottom,
                    }
                    .rounded()
                })
                .collect(),
        }
    }
}

/// Why one page of a file cannot be read; the file's other pages still
/// can be.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("{0}")]
    Pdf(#[from] baozhi_pdf::PdfError),
    #[error("page {page}: {error}")]
    Ocr {
        page: usize,
        error: baozhi_ocr::OcrError,
    },
    /// An index past the file's last page (a caller's mistake, not the
    /// file's).
    #[error("page {page}: no such page (the file has {count})")]
    NoSuchPage { page: usize, count: usize },
}

impl PageFile {
    /// How many pages the file holds (a text file: one).
    pub fn page_count(&self) -> usize {
        match self {
            PageFile::Text(_) => 1,
            PageFile::Pdf(file) => file.pdf.page_count(),
            PageFile::Ocr(pages) => pages.len(),
        }
    }

    /// Page `index` (0-based) as text for the page engine. A page that
    /// cannot be read is an error naming the page; the other pages can
    /// still be read. A PDF page without a text layer is read by OCR when
    /// the file was opened with it.
    pub fn page(&self, index: usize) -> Result<PageText, PageError> {
        match self {
            PageFile::Text(d) => Ok(PageText::from(d.clone())),
            PageFile::Pdf(file) => {
                let count = file.pdf.page_count();
                let page = file.pdf.page(index)?;
                let number = (count > 1).then_some(page.number);
                match &file.scans {
                    Some((ocr, bytes)) if page.lines.is_empty() => {
                        let scan = ocr
                            .recognize_pdf_page(bytes, page.number)
                            .map_err(|error| PageError::Ocr {
                                page: page.number,
                                error,
                            })?;
                        let mut warnings = vec![format!(
                            "page {}: no text layer; read by OCR (Tesseract, {})",
                            page.number,
                            ocr.lang()
                        )];
                        warnings.extend(scan.warnings);
                        let size = (scan.width, scan.height);
                        Ok(PageText::printed(
                            &scan.lines,
                            &scan.pictures,
                            number,
                            size,
                            warnings,
                            baozhi_model::TextSource::Ocr,
                        ))
                    }
                    _ => {
                        let size = (page.width, page.height);
                        Ok(PageText::printed(
                            &page.lines,
                            &page.pictures,
                            number,
                            size,
                            page.warnings,
                            baozhi_model::TextSource::Pdf,
                        ))
                    }
                }
            }
            PageFile::Ocr(pages) => {
                let page = pages.get(index).ok_or(PageError::NoSuchPage {
                    page: index + 1,
                    count: pages.len(),
                })?;
                let number = (pages.len() > 1).then_some(page.number);
                Ok(PageText::printed(
                    &page.lines,
                    &page.pictures,
                    number,
                    (page.width, page.height),
                    page.warnings.clone(),
                    baozhi_model::TextSource::Ocr,
                ))
            }
        }
    }
}

fn line_geometry(l: &baozhi_pdf::PrintedLine) -> baozhi_model::LineGeometry {
    baozhi_model::LineGeometry {
        x0: l.bbox.x0,
        top: l.bbox.top,
        x1: l.bbox.x1,
        bottom: l.bbox.bottom,
        size: l.size,
        bold: l.bold,
    }
}

fn read_limited(reader: impl Read, capacity: usize, limit: u64) -> Result<Vec<u8>, DecodeError> {
    let mut bytes = Vec::with_capacity(capacity);
    reader.take(limit + 1).read_to_end(&mut bytes)?;
    let size = bytes.len() as u64;
    if size > limit {
        return Err(DecodeError::TooLarge { size, limit });
    }
    Ok(bytes)
}

/// Strictly decode `bytes[bom_len..]`; error offsets count from the start of `bytes`.
fn decode_as(enc: Enc, bytes: &[u8], bom_len: usize) -> Result<String, DecodeError> {
    let body = bytes.get(bom_len..).unwrap_or_default();
    match enc {
        Enc::Utf8 => match std::str::from_utf8(body) {
            Ok(s) => Ok(s.to_owned()),
            Err(e) => Err(DecodeError::Malformed {
                encoding: enc.name(),
                offset: bom_len + e.valid_up_to(),
            }),
        },
        Enc::Gb18030 => decode_gb18030(body).map_err(|at| DecodeError::Malformed {
            encoding: enc.name(),
            offset: bom_len + at,
        }),
        Enc::Big5 => decode_strict(encoding_rs::BIG5, body).map_err(|at| DecodeError::Malformed {
            encoding: enc.name(),
            offset: bom_len + at,
        }),
        Enc::Utf16 { be } => decode_utf16(body, be).map_err(|at| DecodeError::Malformed {
            encoding: enc.name(),
            offset: bom_len + at,
        }),
    }
}

/// GB18030 without replacement; `Err` holds the offset of the first
/// malformed byte.
fn decode_gb18030(body: &[u8]) -> Result<String, usize> {
    decode_strict(encoding_rs::GB18030, body)
}

/// Decodes without replacement; `Err` holds the offset of the first
/// malformed byte.
fn decode_strict(encoding: &'static encoding_rs::Encoding, body: &[u8]) -> Result<String, usize> {
    use encoding_rs::DecoderResult;
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(body.len())
        .unwrap_or(body.len().saturating_mul(3));
    let mut out = String::with_capacity(capacity);
    let mut read_total = 0usize;
    loop {
        let rest = body.get(read_total..).unwrap_or_default();
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut out, true);
        read_total = read_total.saturating_add(read);
        match result {
            DecoderResult::InputEmpty => return Ok(out),
            DecoderResult::OutputFull => {
                let left = body.len().saturating_sub(read_total);
                let more = decoder
                    .max_utf8_buffer_length_without_replacement(left)
                    .unwrap_or(left.saturating_mul(3))
                    .max(16);
                out.reserve(more);
            }
            DecoderResult::Malformed(bad, after) => {
                let end = read_total.saturating_sub(usize::from(after));
                return Err(end.saturating_sub(usize::from(bad)));
            }
        }
    }
}

/// UTF-16 without replacement; `Err` holds the offset of the first byte of
/// the bad unit (an unpaired surrogate, or an odd last byte).
fn decode_utf16(body: &[u8], be: bool) -> Result<String, usize> {
    let even = body.len() & !1;
    let (pairs, odd) = body.split_at(even);
    let mut out = String::with_capacity(even + even / 2);
    let mut unit = 0usize;
    for r in char::decode_utf16(utf16_units(pairs, be)) {
        match r {
            Ok(c) => {
                out.push(c);
                unit += c.len_utf16();
            }
            Err(_) => return Err(2 * unit),
        }
    }
    if odd.is_empty() {
        Ok(out)
    } else {
        Err(even)
    }
}

fn utf16_units(pairs: &[u8], be: bool) -> impl Iterator<Item = u16> + '_ {
    pairs.chunks_exact(2).map(move |p| {
        if be {
            u16::from_be_bytes([p[0], p[1]])
        } else {
            u16::from_le_bytes([p[0], p[1]])
        }
    })
}

/// No BOM, no forced encoding: UTF-16 (if it looks like it), UTF-8, GB18030.
fn decode_auto(bytes: &[u8]) -> Result<(Enc, String), DecodeError> {
    let sample = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let utf8 = std::str::from_utf8(bytes);
    // Text in UTF-8 or GB18030 has no NUL bytes; UTF-16 text nearly always
    // has some (ASCII, line breaks, U+3000, 一). Bytes that are valid UTF-8
    // apart from a few NULs are UTF-8 text with junk in it, unless the NULs
    // fall in the regular pattern of mostly-ASCII UTF-16. Without a good
    // UTF-16 reading, the NUL is reported as binary below.
    if sample.contains(&0) && (utf8.is_err() || regular_nuls(sample)) {
        if let Some(be) = guess_utf16(sample) {
            let enc = Enc::Utf16 { be };
            return Ok((enc, decode_as(enc, bytes, 0)?));
        }
    }
    match utf8 {
        Ok(s) => Ok((Enc::Utf8, s.to_owned())),
        Err(utf8_err) => {
            if looks_like_big5(bytes) {
                if let Ok(text) = decode_strict(encoding_rs::BIG5, bytes) {
                    return Ok((Enc::Big5, text));
                }
            }
            if let Ok(text) = decode_gb18030(bytes) {
                return Ok((Enc::Gb18030, text));
            }
            if let Some(err) = raw_junk(bytes) {
                return Err(err);
            }
            Err(DecodeError::Malformed {
                encoding: Enc::Utf8.name(),
                offset: utf8_err.valid_up_to(),
            })
        }
    }
}

/// Below this share of double-byte characters shaped as GB2312 ones (lead
/// and trail byte both 0xA1 or above), bytes that read as Big5 are taken
/// as Big5. GB2312 text is all such pairs, and GBK text very nearly (its
/// extension characters, with a trail byte below 0xA1, are rare: names,
/// old forms). In Big5 the trail byte of about two characters in five is
/// 0x40–0x7E (that half of each row is as common as the other), so Big5
/// text sits near 0.6 and GB text near 1.0; 0.85 leaves room on both sides
/// for a page of few characters.
const GB2312_SHAPED_MIN: f64 = 0.85;

/// Whether bytes that are not UTF-8 look like Big5 rather than GB: their
/// double-byte characters are less GB2312-shaped than
/// [`GB2312_SHAPED_MIN`] (counted the GB way: a lead byte 0x81–0xFE takes
/// the next byte as its trail).
fn looks_like_big5(bytes: &[u8]) -> bool {
    let (mut pairs, mut gb2312_shaped) = (0usize, 0usize);
    let mut i = 0;
    while i + 1 < bytes.len() {
        let lead = bytes[i];
        if (0x81..=0xFE).contains(&lead) {
            let trail = bytes[i + 1];
            pairs += 1;
            if lead >= 0xA1 && trail >= 0xA1 {
                gb2312_shaped += 1;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    pairs > 0 && (gb2312_shaped as f64) < GB2312_SHAPED_MIN * pairs as f64
}

/// Characters expected in a Chinese newspaper page, for telling UTF-16LE
/// from UTF-16BE (and either from binary data).
fn plausible(c: char) -> bool {
    matches!(u32::from(c),
        0x09 | 0x0A | 0x0C | 0x0D | 0x20..=0x7E   // ASCII text
        | 0xA0..=0xFF                              // Latin-1
        | 0x2000..=0x218F                          // punctuation, letterlike, number forms
        | 0x2460..=0x25FF                          // ①, box drawing, ■●
        | 0x3000..=0x30FF                          // CJK punctuation, kana
        | 0x4E00..=0x9FFF                          // CJK unified ideographs
        | 0xFE30..=0xFE4F                          // CJK compatibility forms
        | 0xFF00..=0xFFEF                          // full-width forms
        | 0x20000..=0x3FFFF                        // CJK extensions B and later
    )
}

/// Whether at least a quarter of the 16-bit units of `sample` have a NUL
/// byte on the same side (as mostly-ASCII UTF-16 has), and few on the other.
fn regular_nuls(sample: &[u8]) -> bool {
    let pairs = &sample[..sample.len() & !1];
    let units = pairs.len() / 2;
    let (mut even, mut odd) = (0usize, 0usize);
    for p in pairs.chunks_exact(2) {
        even += usize::from(p[0] == 0);
        odd += usize::from(p[1] == 0);
    }
    let (many, few) = if even > odd { (even, odd) } else { (odd, even) };
    units > 0 && many * 4 >= units && few * 4 <= many
}

/// Whether `sample` reads as UTF-16, and if so whether big-endian.
/// The better of the two byte orders must have at least 60 % plausible
/// characters; a tie goes to little-endian.
fn guess_utf16(sample: &[u8]) -> Option<bool> {
    let pairs = &sample[..sample.len() & !1];
    let units = pairs.len() / 2;
    if units == 0 {
        return None;
    }
    let score = |be: bool| {
        char::decode_utf16(utf16_units(pairs, be))
            .filter(|r| r.as_ref().is_ok_and(|&c| plausible(c)))
            .count()
    };
    let le = score(false);
    let be = score(true);
    let (is_be, best) = if be > le { (true, be) } else { (false, le) };
    (best * 5 >= units * 3).then_some(is_be)
}

/// A C0 control character that has no business in a text page.
fn is_bad_control(c: char) -> bool {
    c < '\u{20}' && !matches!(c, '\t' | '\n' | '\r' | '\u{0C}')
}

fn too_many_controls(count: usize, total: usize) -> bool {
    count.saturating_mul(100) > total
}

/// Bytes that neither UTF-8 nor GB18030 could read: say "not text" rather
/// than "invalid UTF-8" when they hold a NUL or many control bytes.
fn raw_junk(bytes: &[u8]) -> Option<DecodeError> {
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Some(DecodeError::Binary {
            offset,
            what: format!("NUL byte at byte offset {offset}"),
        });
    }
    let is_bad = |b: u8| is_bad_control(char::from(b));
    let count = bytes.iter().filter(|&&b| is_bad(b)).count();
    if too_many_controls(count, bytes.len()) {
        let offset = bytes.iter().position(|&b| is_bad(b)).unwrap_or(0);
        let first = bytes.get(offset).copied().unwrap_or(0);
        return Some(DecodeError::Binary {
            offset,
            what: format!(
                "{count} control bytes in {} (first 0x{first:02X} at byte offset {offset})",
                bytes.len()
            ),
        });
    }
    None
}

/// Reject decoded text with a NUL or more than 1 % control characters.
/// Offsets are mapped back to bytes of the input.
fn check_controls(text: &str, enc: Enc, bytes: &[u8], bom_len: usize) -> Result<(), DecodeError> {
    let body = bytes.get(bom_len..).unwrap_or_default();
    let byte_offset = |text_index: usize, unit_index: usize, c: char| -> usize {
        match enc {
            Enc::Utf8 => bom_len + text_index,
            Enc::Utf16 { .. } => bom_len + 2 * unit_index,
            // In GB18030 a byte below 0x30 is always a character by itself
            // (never part of a multi-byte sequence): the first such byte is
            // the first such character.
            // Likewise in Big5, whose lead bytes are 0x81 and above.
            Enc::Gb18030 | Enc::Big5 => {
                bom_len
                    + body
                        .iter()
                        .position(|&b| u32::from(b) == u32::from(c))
                        .unwrap_or(text_index)
            }
        }
    };
    let unit_name = match enc {
        Enc::Utf16 { .. } => "character",
        _ => "byte",
    };

    let mut first: Option<(usize, char)> = None;
    let mut count = 0usize;
    let mut total = 0usize;
    let mut unit = 0usize;
    for (i, c) in text.char_indices() {
        if c == '\0' {
            let offset = byte_offset(i, unit, c);
            return Err(DecodeError::Binary {
                offset,
                what: format!("NUL {unit_name} at byte offset {offset}"),
            });
        }
        if is_bad_control(c) {
            count += 1;
            if first.is_none() {
                first = Some((byte_offset(i, unit, c), c));
            }
        }
        total += 1;
        unit += c.len_utf16();
    }
    match first {
        Some((offset, c)) if too_many_controls(count, total) => Err(DecodeError::Binary {
            offset,
            what: format!(
                "{count} control characters in {total} (first U+{:04X} at byte offset {offset})",
                u32::from(c)
            ),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
