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
pub mod running_head;
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

/// The page engine's data (the line model, the layout lexicon, the word
/// list), each parsed once per process on first use. A batch starts them
/// side by side before its first page ([`baozhi_text`] has the word list).
pub const LOADERS: [fn(); 3] = [
    || {
        tagger::model();
    },
    || {
        lexicon::lexicon();
    },
    || {
        baozhi_text::lexicon::jieba();
    },
];

/// The two readers of a page. `Rules` is the first engine (hand-set scores,
/// fitted by eye to the development pages); `Learned` is the line model
/// fitted on pages laid out from the corpus ([`tagger`]). `Auto` (the
/// default) is the line model, for every form of page text: on pages
/// neither engine has seen it scores far better than the rules, block text
/// included (article F1 0.90 against 0.55 on held-out e-paper text laid
/// out from the corpus, see README). The rules score higher only on the
/// pages they were fitted to; they stay as a choice (`--engine rules`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Engine {
    #[default]
    Auto,
    Rules,
    Learned,
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
    let a = match opts.engine {
        Engine::Rules => {
            let roles = roles::assign(&units, &shape);
            assemble::assemble(&units, &roles, &shape, None, None, opts.page.clone())
        }
        Engine::Auto | Engine::Learned => {
            let labels = tagger::tag(&units, &shape, opts.geometry.as_deref(), opts.page_size);
            let roles = roles::from_labels(&units, &labels);
            let geometry = opts.geometry.as_deref();
            assemble::assemble(
                &units,
                &roles,
                &shape,
                Some(&labels),
                geometry,
                opts.page.clone(),
            )
        }
    };
    let mut articles = a.articles;
    if let (Some(geometry), Some(lines)) = (&opts.geometry, &kept) {
        regions::article_boxes(lines, geometry, &mut articles);
    }
    PageResult {
        page: Page {
            pictures: Vec::new(),
            page: a.page,
            furniture: a.furniture,
            size: opts.page_size,
            source: None,
        },
        articles,
    }
}
