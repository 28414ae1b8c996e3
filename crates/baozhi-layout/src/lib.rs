//! The page engine: page text → lines → units with cues → roles → articles.
//!
//! Each stage is a module with plain data between them:
//! [`lines`] (offsets), [`cues`] (printed conventions), [`units`],
//! [`roles`] (the headline/body model), [`seam`] (the paragraph-join model),
//! [`headline`] (kicker/title/subtitle) and [`assemble`] (articles).

pub mod assemble;
pub mod cues;
pub mod features;
pub mod headline;
pub mod lexicon;
pub mod lines;
pub mod regions;
pub mod roles;
pub mod seam;
pub mod tagger;
pub mod units;
pub mod widen;

use baozhi_model::{Article, Page};

/// What the caller knows about the page beyond its text.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Page number as printed (`01`, `A3`), when known from outside the text.
    pub page: Option<String>,
    /// Which model reads the page.
    pub engine: Engine,
    /// Where each line of the text was printed, when the text comes from a
    /// PDF or a scan: entry `i` is text line `i` (blank lines counted).
    /// The learned engine reads type size, weight, indentation and white
    /// space from it; the rules ignore it.
    pub geometry: Option<Vec<LineGeometry>>,
    /// The page's size in points, when known (PDF and OCR pages).
    pub page_size: Option<baozhi_model::PageSize>,
}

pub use baozhi_model::LineGeometry;

/// The two readers of a page, and the choice between them. `Rules` is the
/// first engine (hand-set scores, fitted by eye to the development pages);
/// `Learned` is the line model fitted on pages laid out from the corpus
/// ([`tagger`]), which scores far better on pages neither has seen. `Auto`
/// (the default) reads with the line model every page whose text is one
/// printed line per line: a PDF's or a scan's lines ([`Options::geometry`])
/// and the text extractors and OCR give ([`printed_lines`]), which the
/// rules were never made for. E-paper block text (whole paragraphs) is read
/// by the rules until the line model reads every convention they know
/// (composite reports, pull quotes, letters) as well.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Engine {
    #[default]
    Auto,
    Rules,
    Learned,
}

/// A text line this many visible characters long or longer counts in
/// [`printed_lines`]: shorter lines (headlines, bylines, a paragraph's last
/// characters) end without a stop in either form.
const PRINTED_LINE_MIN: usize = 8;
/// Above this share of lines ending mid-sentence a page's text is one
/// printed line per line. Measured on pages `scripts/pagegen.py` and
/// `scripts/printpages.py` lay out: block text has a median share of 0.37,
/// the line-per-line forms (generated, and pdftotext's, PyMuPDF's,
/// pdfminer.six's and baozhi's reading of printed PDFs) a median of 0.89
/// and a lowest of 0.71.
const PRINTED_LINES_SHARE: f32 = 0.7;

/// Whether the page's text has every printed line on its own text line
/// (most lines end mid-sentence) rather than whole paragraphs.
pub fn printed_lines(units: &[units::Unit]) -> bool {
    let (mut long, mut open) = (0usize, 0usize);
    for u in units.iter().filter(|u| u.cue == units::Cue::Text) {
        let Some(t) = &u.text else { continue };
        if baozhi_text::visible_len(&t.text) < PRINTED_LINE_MIN {
            continue;
        }
        long += 1;
        if !baozhi_text::ends_sentence(&t.text) {
            open += 1;
        }
    }
    long > 0 && open as f32 > PRINTED_LINES_SHARE * long as f32
}

/// One parsed page: its furniture and its articles.
#[derive(Debug, Clone, PartialEq)]
pub struct PageResult {
    pub page: Page,
    pub articles: Vec<Article>,
}

/// Parse the decoded text of one page. Offsets in `spans` count Unicode
/// scalar values of `text`. Never panics.
pub fn parse_page(text: &str, opts: &Options) -> PageResult {
    let lines = lines::split_lines(text);
    // Kept for the articles' boxes, when there is geometry to draw them from.
    let kept = opts.geometry.as_ref().map(|_| lines.clone());
    let units = units::units(lines);
    let shape = units::PageShape::of(&units);
    let engine = match opts.engine {
        Engine::Auto if opts.geometry.is_some() || printed_lines(&units) => Engine::Learned,
        Engine::Auto => Engine::Rules,
        chosen => chosen,
    };
    let a = match engine {
        Engine::Auto | Engine::Rules => {
            let roles = roles::assign(&units, &shape);
            assemble::assemble(&units, &roles, &shape, None, opts.page.clone())
        }
        Engine::Learned => {
            let labels = tagger::tag(&units, &shape, opts.geometry.as_deref());
            let roles = roles::from_labels(&units, &labels);
            assemble::assemble(&units, &roles, &shape, Some(&labels), opts.page.clone())
        }
    };
    let mut articles = a.articles;
    if let (Some(geometry), Some(lines)) = (&opts.geometry, &kept) {
        regions::article_boxes(lines, geometry, &mut articles);
    }
    PageResult {
        page: Page {
            page: a.page,
            furniture: a.furniture,
            size: opts.page_size,
        },
        articles,
    }
}
