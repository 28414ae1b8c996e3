//! `baozhi._baozhi`: the Rust half of the `baozhi` Python package
//! (python/baozhi/__init__.py is the other half and the public API).
//!
//! It calls the library code that `baozhi parse` and `baozhi proof` call,
//! in the same order with the same defaults, so a page gives the same
//! `baozhi/1` document in Python as on the command line:
//! [`baozhi_ingest::read_file`] (or, for bytes, the same steps on bytes:
//! PDF, hOCR/ALTO, a scan with OCR, else text in any of its encodings),
//! then [`baozhi_pipeline::Pipeline`] with the CLI's options (the page
//! engine, the proofreader when asked, width restoration when asked). The work runs with the GIL released.
//!
//! The documents cross to Python as JSON text (serde_json, as the CLI
//! writes them), which the wrapper turns into dicts with `json.loads`.

use std::io::Write as _;
use std::path::PathBuf;

use baozhi_ingest::{DecodeError, EncodingChoice, PageFile, ReadOptions};
use baozhi_model::{Document, Finding};
use baozhi_pipeline::{Engine, Pipeline, Proofing};
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};
use serde::Serialize;

create_exception!(
    baozhi,
    BaozhiError,
    PyValueError,
    "A page or an argument that baozhi cannot read; the message is what the CLI prints (without its `baozhi: ` prefix)."
);

/// What the caller asked for besides the input: the CLI's `InputArgs` and
/// proofreading flags, as the pipeline they configure.
struct Settings {
    pipeline: Pipeline,
    read: ReadOptions,
}

/// Where the pages come from.
enum Input {
    Path(PathBuf),
    Bytes(Vec<u8>),
}

/// One page's outcome: the document, the warnings about it, or why it
/// could not be read (the file's other pages still can be).
type PageOut = (Option<Document>, Vec<String>, Option<String>);

/// [`PageOut`] as Python gets it: the document as compact JSON.
type PageJson = (Option<String>, Vec<String>, Option<String>);

fn err(message: impl Into<String>) -> PyErr {
    BaozhiError::new_err(message.into())
}

/// `--engine`.
fn engine(name: Option<&str>) -> PyResult<Engine> {
    match name.map(|n| n.trim().to_ascii_lowercase()) {
        // unchosen: the default engine (the line model)
        None => Ok(Engine::Auto),
        Some(n) if n == "rules" => Ok(Engine::Rules),
        Some(n) if n == "learned" => Ok(Engine::Learned),
        Some(_) => Err(err(format!(
            "unknown engine {:?}: expected rules or learned",
            name.unwrap_or_default()
        ))),
    }
}

/// `--apply-corrections=MIN_CONF` and `--min-confidence`: a number in 0..=1
/// (the CLI's check and message).
fn confidence(x: f64) -> PyResult<f64> {
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(err(format!("\"{x}\" is not a confidence between 0 and 1")))
    }
}

#[allow(clippy::too_many_arguments)]
fn settings(
    paper: Option<String>,
    date: Option<String>,
    page: Option<String>,
    engine_name: Option<&str>,
    encoding: &str,
    proof: bool,
    apply_corrections: Option<f64>,
    ocr: bool,
    ocr_lang: &str,
    restore_width: bool,
) -> PyResult<Settings> {
    let date = date
        .map(|d| baozhi_ingest::names::parse_date(&d))
        .transpose()
        .map_err(err)?;
    let encoding: EncodingChoice = encoding.parse().map_err(|e| err(format!("{e}")))?;
    let ocr = if ocr {
        Some(baozhi_ocr::Tesseract::find(ocr_lang).map_err(|e| err(e.to_string()))?)
    } else {
        None
    };
    let proofing = match apply_corrections.map(confidence).transpose()? {
        Some(min) => Proofing::Apply(min),
        None if proof => Proofing::Find,
        None => Proofing::Off,
    };
    Ok(Settings {
        pipeline: Pipeline {
            paper,
            date,
            page,
            engine: engine(engine_name)?,
            text_from_ocr: false,
            proofing,
            restore_width,
        },
        read: ReadOptions { encoding, ocr },
    })
}

/// The input as owned Rust data: a path, or the bytes of a page (a `str`
/// is its UTF-8, read as UTF-8 whatever `encoding` says).
fn input(source: &Bound<'_, PyAny>, is_path: bool, settings: &mut Settings) -> PyResult<Input> {
    if is_path {
        return Ok(Input::Path(source.extract::<PathBuf>()?));
    }
    if let Ok(s) = source.cast::<PyString>() {
        settings.read.encoding = EncodingChoice::Utf8;
        return Ok(Input::Bytes(s.to_cow()?.as_bytes().to_vec()));
    }
    if let Ok(b) = source.cast::<PyBytes>() {
        return Ok(Input::Bytes(b.as_bytes().to_vec()));
    }
    if let Ok(b) = source.cast::<PyByteArray>() {
        return Ok(Input::Bytes(b.to_vec()));
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "expected str or bytes, not {}",
        source.get_type().name()?
    )))
}

/// Reads bytes as [`baozhi_ingest::read_file`] reads a file's bytes: a PDF
/// (through a temporary file, as ingest opens PDFs only from a path), a
/// scan with OCR, hOCR/ALTO, else a text page in any of its encodings.
fn read_bytes(bytes: &[u8], options: &ReadOptions) -> Result<PageFile, DecodeError> {
    if baozhi_pdf::looks_like_pdf(bytes) {
        let mut tmp = tempfile::Builder::new()
            .prefix("baozhi-")
            .suffix(".pdf")
            .tempfile()?;
        tmp.write_all(bytes)?;
        tmp.flush()?;
        return baozhi_ingest::read_file(Some(tmp.path()), options);
    }
    let limit = baozhi_ingest::MAX_PAGE_BYTES
        .max(baozhi_pdf::MAX_PDF_BYTES)
        .max(baozhi_ocr::MAX_OCR_BYTES);
    if bytes.len() as u64 > limit {
        return Err(DecodeError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    if let (Some(ocr), Some(_)) = (&options.ocr, baozhi_ocr::ImageFormat::sniff(bytes)) {
        return ocr
            .recognize(bytes)
            .map(PageFile::Ocr)
            .map_err(DecodeError::Ocr);
    }
    if baozhi_ocr::sniff(bytes).is_some() {
        return baozhi_ocr::read(bytes)
            .map(PageFile::Ocr)
            .map_err(DecodeError::Ocr);
    }
    baozhi_ingest::decode(bytes, options.encoding).map(PageFile::Text)
}

/// Every page of the input, each parsed or with the reason it could not
/// be. A file that cannot be read at all is an error. Messages name the
/// file as the CLI does (`path: message`); bytes have no name.
fn run(input: Input, s: &Settings) -> Result<Vec<PageOut>, String> {
    let (file, path) = match &input {
        Input::Path(p) => (
            baozhi_ingest::read_file(Some(p), &s.read),
            Some(p.as_path()),
        ),
        Input::Bytes(b) => (read_bytes(b, &s.read), None),
    };
    let named = |m: &str| match path {
        Some(p) => format!("{}: {m}", p.display()),
        None => m.to_string(),
    };
    let file = file.map_err(|e| named(&e.to_string()))?;
    Ok((0..file.page_count())
        .map(|i| match file.page(i) {
            Ok(p) => {
                let warnings = p.warnings.iter().map(|w| named(w)).collect();
                (Some(s.pipeline.document(path, &p)), warnings, None)
            }
            Err(e) => (None, Vec::new(), Some(named(&e.to_string()))),
        })
        .collect())
}

/// Runs [`run`] with the GIL released.
fn run_detached(py: Python<'_>, input: Input, s: Settings) -> PyResult<Vec<PageOut>> {
    py.detach(move || run(input, &s)).map_err(err)
}

/// Each page of `source` (a path when `is_path`, else str or bytes) as
/// `(json or None, warnings, error or None)`: the `baozhi/1` document as
/// compact JSON, or the reason the page could not be read.
#[allow(clippy::too_many_arguments)]
#[pyfunction]
#[pyo3(signature = (source, is_path, paper=None, date=None, page=None, engine=None, encoding="auto", proof=false, apply_corrections=None, ocr=false, ocr_lang="chi_sim", restore_width=false))]
fn parse_pages(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    is_path: bool,
    paper: Option<String>,
    date: Option<String>,
    page: Option<String>,
    engine: Option<&str>,
    encoding: &str,
    proof: bool,
    apply_corrections: Option<f64>,
    ocr: bool,
    ocr_lang: &str,
    restore_width: bool,
) -> PyResult<Vec<PageJson>> {
    let mut s = settings(
        paper,
        date,
        page,
        engine,
        encoding,
        proof,
        apply_corrections,
        ocr,
        ocr_lang,
        restore_width,
    )?;
    let input = input(source, is_path, &mut s)?;
    let pages = run_detached(py, input, s)?;
    py.detach(|| {
        pages
            .into_iter()
            .map(|(doc, warnings, error)| {
                let json = doc
                    .map(|d| serde_json::to_string(&d))
                    .transpose()
                    .map_err(|e| err(e.to_string()))?;
                Ok((json, warnings, error))
            })
            .collect()
    })
}

/// A finding with the article (and page) it was found in.
#[derive(Serialize)]
struct Located<'a> {
    article: &'a str,
    page: Option<&'a str>,
    #[serde(flatten)]
    finding: &'a Finding,
}

/// The findings of every page of `source` at or above `min_confidence`,
/// in reading order (page, article, the proofreader's order), each as
/// compact JSON of the CLI's finding fields plus `article` and `page`;
/// with the warnings and page errors as in [`parse_pages`].
#[allow(clippy::too_many_arguments)]
#[pyfunction]
#[pyo3(signature = (source, is_path, paper=None, date=None, page=None, engine=None, encoding="auto", min_confidence=0.0, ocr=false, ocr_lang="chi_sim"))]
fn proof_pages(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    is_path: bool,
    paper: Option<String>,
    date: Option<String>,
    page: Option<String>,
    engine: Option<&str>,
    encoding: &str,
    min_confidence: f64,
    ocr: bool,
    ocr_lang: &str,
) -> PyResult<(String, Vec<String>, Vec<String>)> {
    let min = confidence(min_confidence)?;
    let mut s = settings(
        paper, date, page, engine, encoding, true, None, ocr, ocr_lang, false,
    )?;
    let input = input(source, is_path, &mut s)?;
    let pages = run_detached(py, input, s)?;
    py.detach(move || {
        let mut found = Vec::new();
        let mut warnings = Vec::new();
        let mut errors = Vec::new();
        for (doc, w, e) in &pages {
            warnings.extend(w.iter().cloned());
            errors.extend(e.iter().cloned());
            for a in doc.iter().flat_map(|d| &d.articles) {
                for f in a.findings.iter().flatten() {
                    if f.confidence >= min {
                        found.push(Located {
                            article: &a.id,
                            page: a.page.as_deref(),
                            finding: f,
                        });
                    }
                }
            }
        }
        let json = serde_json::to_string(&found).map_err(|e| err(e.to_string()))?;
        Ok((json, warnings, errors))
    })
}

#[pymodule]
mod _baozhi {
    #[pymodule_export]
    use super::{parse_pages, proof_pages, BaozhiError};

    #[pymodule_init]
    fn init(m: &pyo3::Bound<'_, pyo3::types::PyModule>) -> pyo3::PyResult<()> {
        use pyo3::types::PyModuleMethods;
        m.add("__version__", env!("CARGO_PKG_VERSION"))
    }
}
