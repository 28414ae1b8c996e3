//! Reading what `ingest_path` is given: finding the files under a
//! directory and turning each kind of file into `baozhi/1` documents.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use baozhi_ingest::baozhi_ocr::render::{page_pictures, scan_picture, PagePicture};
use baozhi_ingest::{read_file, read_page, EncodingChoice, PageFile, ReadOptions};
use baozhi_model::{Document, FurnitureKind, SCHEMA};
use baozhi_pipeline::Pipeline;
use rayon::prelude::*;

use crate::{names, IngestOptions, Skipped};

/// The kinds of file an archive takes, by extension (any case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Page text (`.txt`), parsed with the page engine.
    Text,
    /// One `baozhi/1` document (`.json`).
    Json,
    /// One `baozhi/1` document per line (`.jsonl`).
    Jsonl,
    /// A file of pages with their boxes, read with the lines' geometry by
    /// the learned engine: a PDF of one page or a whole issue (`.pdf`,
    /// from its text layer), or OCR output (`.hocr`, ALTO `.xml`).
    Paged,
}

pub(crate) fn kind(path: &Path) -> Option<Kind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" => Some(Kind::Text),
        "json" => Some(Kind::Json),
        "jsonl" => Some(Kind::Jsonl),
        "pdf" | "hocr" | "xml" => Some(Kind::Paged),
        e if SCAN_EXTENSIONS.contains(&e) => Some(Kind::Paged),
        _ => None,
    }
}

/// Image files, taken only when scans are read by OCR (a folder of PDFs
/// often holds their preview images too).
const SCAN_EXTENSIONS: [&str; 5] = ["png", "tif", "tiff", "jpg", "jpeg"];

/// Whether `path` is an image file (a scan, read by OCR).
fn is_scan(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SCAN_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Whether `path` is a file to take: its kind is known, and an image only
/// when `scans` (OCR) is on.
fn taken(path: &Path, scans: bool) -> bool {
    kind(path).is_some() && (scans || !is_scan(path))
}

/// The files to ingest under `path`, in name order. A file named directly is
/// taken whatever it is called (and reported when its kind is unknown);
/// inside directories only `.txt`, `.pdf`, `.hocr`, `.xml` (ALTO), `.json` and
/// `.jsonl` files are taken (and images when `scans`: read by OCR),
/// hidden entries are passed over, and symlinked directories are not
/// followed (they could loop). Unreadable paths go to `skipped`.
pub(crate) fn collect(
    path: &Path,
    scans: bool,
    files: &mut Vec<PathBuf>,
    skipped: &mut Vec<Skipped>,
) {
    match fs::metadata(path) {
        Err(e) => skipped.push(Skipped::new(path, None, format!("cannot read: {e}"))),
        Ok(m) if m.is_dir() => walk(path, scans, files, skipped),
        Ok(_) if kind(path).is_some() => files.push(path.to_path_buf()),
        Ok(_) => skipped.push(Skipped::new(
            path,
            None,
            "not a .txt, .pdf, .hocr, .xml, .json or .jsonl file (or an image, with --ocr)"
                .to_string(),
        )),
    }
}

fn walk(dir: &Path, scans: bool, files: &mut Vec<PathBuf>, skipped: &mut Vec<Skipped>) {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            skipped.push(Skipped::new(dir, None, format!("cannot read: {e}")));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    paths.sort();
    for p in paths {
        let is_link = fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink());
        match fs::metadata(&p) {
            Ok(m) if m.is_dir() && !is_link => walk(&p, scans, files, skipped),
            Ok(m) if m.is_file() && taken(&p, scans) => files.push(p),
            Ok(_) => {}
            Err(e) => skipped.push(Skipped::new(&p, None, format!("cannot read: {e}"))),
        }
    }
}

/// A page text file as a document: decoded (UTF-8, GB18030 or UTF-16),
/// parsed by the engine. The paper is `opts.paper`; the date is
/// `opts.date`, else the file name's; the page is the file name's, else
/// what the engine reads on the page — as `baozhi parse` does.
pub(crate) fn text_document(
    path: &Path,
    opts: &IngestOptions,
    pipeline: &Pipeline,
) -> Result<Document, String> {
    let decoded = read_page(path, EncodingChoice::Auto).map_err(|e| e.to_string())?;
    Ok(opts.parse(pipeline, Some(path), &decoded.into()))
}

/// A document without a date takes the one its running heads print
/// (`2024年10月22日 星期二` in the page header), the date a reader of the
/// page sees; without one it stays undated.
pub(crate) fn date_from_running_head(doc: &mut Document) {
    if doc.date.is_some() {
        return;
    }
    doc.date = doc
        .pages
        .iter()
        .flat_map(|p| &p.furniture)
        .filter(|f| matches!(f.kind, FurnitureKind::PageHeader | FurnitureKind::Banner))
        .find_map(|f| baozhi_ingest::names::date_in_text(&f.text));
}

/// A page of a PDF or OCR file, numbered from 1, as a document, or why the
/// page cannot be read.
pub(crate) type PageDocument = (usize, Result<Document, String>);

/// A file of pages as the archive takes it: each page parsed, and for a
/// PDF (when `render_pdfs`) or a scan (with
/// [`IngestOptions::page_pictures`]) a picture of each page, or why they
/// could not be made.
pub(crate) struct PagedFile {
    pub pages: Vec<PageDocument>,
    pub pictures: Option<Result<Vec<PagePicture>, String>>,
}

/// A PDF's or an OCR file's pages as documents, one per page, each with
/// the page's 1-based number in the file; a page that cannot be read is an
/// error for that page alone. The pages are parsed on every core, and come
/// back in order. The page number is the file name's (for a one-page
/// file), else the page's place in the file (`01`, `02`, … for a whole
/// issue). PDF text is one printed line per line, which the learned engine
/// reads (with the lines' boxes and type); the rules do not.
pub(crate) fn paged_documents(
    path: &Path,
    opts: &IngestOptions,
    pipeline: &Pipeline,
    render_pdfs: bool,
) -> Result<PagedFile, String> {
    let read = ReadOptions {
        encoding: EncodingChoice::Auto,
        ocr: opts.ocr.clone(),
    };
    let file = read_file(Some(path), &read).map_err(|e| e.to_string())?;
    if let PageFile::Text(_) = file {
        return Err("neither a PDF (no %PDF header) nor hOCR or ALTO XML".to_string());
    }
    let page = |i: usize| {
        let doc = file
            .page(i)
            .map_err(|e| e.to_string())
            .map(|p| opts.parse(pipeline, Some(path), &p));
        (i + 1, doc)
    };
    let pictures = || {
        if !opts.page_pictures {
            return None;
        }
        match &file {
            PageFile::Pdf(_) if render_pdfs => {
                Some(page_pictures(path, file.page_count()).map_err(|e| e.to_string()))
            }
            PageFile::Ocr(_) if is_scan(path) => Some(if file.page_count() == 1 {
                fs::read(path)
                    .map_err(|e| e.to_string())
                    .and_then(|bytes| scan_picture(&bytes).map_err(|e| e.to_string()))
                    .map(|jpeg| vec![PagePicture { number: 1, jpeg }])
            } else {
                Err("a scan of several pages (a TIFF) keeps no pictures yet".to_string())
            }),
            _ => None,
        }
    };
    // The pictures are rendered (by another program) while the pages parse.
    let (pages, pictures) = rayon::join(
        || (0..file.page_count()).into_par_iter().map(page).collect(),
        pictures,
    );
    Ok(PagedFile { pages, pictures })
}

/// A `.json` file holding one `baozhi/1` document.
pub(crate) fn json_document(path: &Path, opts: &IngestOptions) -> Result<Document, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    parse_document(&text, opts)
}

/// One `baozhi/1` document from JSON text; `opts` fills in a missing paper
/// or date (a document's own values win).
pub(crate) fn parse_document(text: &str, opts: &IngestOptions) -> Result<Document, String> {
    let text = text.trim_start_matches('\u{feff}');
    let mut doc: Document =
        serde_json::from_str(text).map_err(|e| format!("not a baozhi/1 document: {e}"))?;
    check_schema(&doc)?;
    if doc.paper.is_none() {
        doc.paper = opts.paper.clone();
    }
    if doc.date.is_none() {
        doc.date = opts.date.clone();
    }
    date_from_running_head(&mut doc);
    check_date(&doc)?;
    Ok(doc)
}

/// A document's date, when it has one, must be a `YYYY-MM-DD` calendar
/// day: the archive files issues by date and filters by its day number, so
/// a date it cannot read would make an issue no date search finds.
pub(crate) fn check_date(doc: &Document) -> Result<(), String> {
    match doc.date.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(date) => names::parse_date(date)
            .map(|_| ())
            .map_err(|e| format!("date: {e}")),
        None => Ok(()),
    }
}

/// Whether `doc` is a `baozhi/1` document; the message says what it is
/// instead. Ingest and `baozhi export` refuse other documents alike.
pub fn check_schema(doc: &Document) -> Result<(), String> {
    if doc.schema == SCHEMA {
        Ok(())
    } else {
        Err(format!("schema is {:?}, expected {SCHEMA:?}", doc.schema))
    }
}

/// Reads a `.jsonl` file line by line (never the whole file), handing each
/// non-blank line to `each` with its 1-based number. A line that is not
/// UTF-8 is passed as an error; an I/O error ends the file with an error.
pub(crate) fn for_each_line(
    path: &Path,
    mut each: impl FnMut(usize, Result<&str, String>) -> Result<(), crate::ArchiveError>,
) -> Result<Result<(), String>, crate::ArchiveError> {
    let file = match fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return Ok(Err(format!("cannot read: {e}"))),
    };
    let mut reader = BufReader::new(file);
    let mut buf = Vec::new();
    let mut line_no = 0;
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => return Ok(Ok(())),
            Ok(_) => {}
            Err(e) => return Ok(Err(format!("cannot read after line {line_no}: {e}"))),
        }
        line_no += 1;
        match std::str::from_utf8(&buf) {
            Ok(s) if s.trim().is_empty() => {}
            Ok(s) => each(line_no, Ok(s))?,
            Err(e) => each(line_no, Err(format!("not UTF-8: {e}")))?,
        }
    }
}
