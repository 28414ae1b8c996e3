//! The one place the stages of baozhi are wired together.
//!
//! A page reaches this crate decoded ([`baozhi_ingest::PageText`]: text
//! with its lines' boxes when it came from a PDF or a scan) and leaves it
//! as its `baozhi/1` [`Document`]:
//!
//! 1. the page engine ([`baozhi_layout::parse_page`]) reads its articles and
//!    furniture;
//! 2. the proofreader ([`baozhi_proof`]) lists findings beside the printed
//!    text and, when asked, writes the confident ones into a corrected copy;
//! 3. half-width punctuation is restored to full width
//!    ([`baozhi_layout::widen`]) when asked. It comes last and keeps char
//!    counts, so the findings' offsets stay valid.
//!
//! The command line, the archive's ingest, the Python bindings and the
//! export tests all parse through [`Pipeline::document`], so a page gives
//! the same document whichever front end reads it. A batch runs on every
//! core and is written in input order ([`batch::in_order`]).

pub mod batch;

use std::path::Path;

use baozhi_ingest::PageText;
use baozhi_layout::{parse_page, widen, Options};
use baozhi_model::{Document, TextSource};

pub use baozhi_layout::Engine;

/// Whether and how to proofread.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum Proofing {
    #[default]
    Off,
    /// Findings beside the printed text.
    Find,
    /// Findings, and the text corrected by those at or above this confidence.
    Apply(f64),
}

/// What a front end knows about the pages beyond their text, and which
/// stages to run. The default parses with the line model and nothing else.
#[derive(Debug, Clone, Default)]
pub struct Pipeline {
    /// The paper the pages belong to.
    pub paper: Option<String>,
    /// The date of the issue (`YYYY-MM-DD`); without it, the file name's.
    pub date: Option<String>,
    /// The page number as printed, given by the user. A page's place in a
    /// file of several pages comes first, the file name's number last.
    pub page: Option<String>,
    /// The reader of text pages. Pages with geometry (PDF, OCR) are always
    /// read by the line model: the rules read text alone.
    pub engine: Engine,
    /// Text given as plain text was read by OCR (`--text-from-ocr`): the
    /// proofreader weighs it as OCR, and the page says so.
    pub text_from_ocr: bool,
    pub proofing: Proofing,
    /// Restore half-width punctuation to full width, in the text and in
    /// the findings' `original` and `suggestion`.
    pub restore_width: bool,
}

impl Pipeline {
    /// The `baozhi/1` document of one decoded page; `path` is the file it
    /// was read from, whose name may carry the date and page number
    /// (`…-2024-10-22-p01.txt`). Never panics.
    pub fn document(&self, path: Option<&Path>, page: &PageText) -> Document {
        let from_name = path
            .map(baozhi_ingest::names::from_file_name)
            .unwrap_or_default();
        let engine = match &page.geometry {
            Some(_) => Engine::Learned,
            None => self.engine,
        };
        let opts = Options {
            page: page
                .number_label()
                .or_else(|| self.page.clone())
                .or(from_name.page),
            engine,
            geometry: page.geometry.clone(),
            page_size: page.size,
        };
        let result = parse_page(&page.text, &opts);
        let mut doc = Document::new(self.paper.clone(), self.date.clone().or(from_name.date));
        doc.pages.push(result.page);
        doc.pages[0].source = self.source(page).recorded();
        doc.pages[0].pictures = page.pictures.clone();
        doc.articles = result.articles;
        proofread(&mut doc, self.proofing, self.restore_width);
        if self.restore_width {
            widen::restore_document(&mut doc);
        }
        doc
    }

    /// Starts loading the models this pipeline will use, side by side on
    /// the worker pool, and returns at once: before a batch, so that its
    /// first pages do not load them one after another on one core.
    pub fn warm_up(&self) {
        batch::warm_up(&baozhi_layout::LOADERS);
        if self.proofing != Proofing::Off {
            batch::warm_up(&baozhi_proof::LOADERS);
        }
    }

    /// What the page's text was read from: as decoded, unless the user says
    /// that plain text came from OCR.
    fn source(&self, page: &PageText) -> TextSource {
        match page.source {
            TextSource::Text if self.text_from_ocr => TextSource::Ocr,
            s => s,
        }
    }
}

/// Proofreads every article of `doc` as `proofing` says, weighing each
/// article's text by the source of its pages. With `restore_width` the
/// findings' `original` and `suggestion` are given in full-width form, as
/// the text will be once [`widen::restore_document`] has run (the offsets
/// do not change). Also for documents read back from JSON.
pub fn proofread(doc: &mut Document, proofing: Proofing, restore_width: bool) {
    if proofing == Proofing::Off {
        return;
    }
    for a in &mut doc.articles {
        let mut found = baozhi_proof::proofread_from(a, baozhi_proof::source_of(&doc.pages, a));
        let corrected = match proofing {
            Proofing::Apply(min) => Some(baozhi_proof::apply(a, &found, min)),
            _ => None,
        };
        if restore_width {
            // Against the printed text, before any correction replaces it.
            widen::restore_findings(a, &mut found);
        }
        if let Some(c) = corrected {
            *a = c;
        }
        a.findings = Some(found);
    }
}
