//! The line model's features, all computed here and nowhere else.
//!
//! Every unit (one input line once its cues are read) gets a fixed-length
//! vector of named features: what the line looks like on its own, how it
//! sits on the page (its length against the column width, indentation,
//! blank lines around it), what the deterministic cues found on it, and the
//! seam to the line above (does a word run across it, how the line above
//! ends). The line model ([`crate::tagger`]) weighs these with numbers
//! fitted by `scripts/fit-layout.py` and adds the same features of the
//! neighbouring lines, so a line is read in its context.
//!
//! The names in [`NAMES`] are the contract with the weights file: the
//! loader refuses a file whose names differ.

use crate::cues;
use crate::seam::{LastWord, SeamWindow};
use crate::units::{Cue, PageShape, Unit};
use crate::LineGeometry;
use baozhi_text::{
    ends_sentence, is_closing, is_opening, is_pause, is_punct, is_sentence_final, is_space,
    visible_len,
};

/// Declares the features: [`F`] names each one in code, [`NAMES`] in the
/// weights file, both in one order.
macro_rules! features {
    ($($id:ident = $name:literal,)*) => {
        /// A feature's index in [`LineFeatures`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum F {
            $($id,)*
        }

        /// The features of one line on its own (and of the seam above it),
        /// in order.
        pub const NAMES: &[&str] = &[$($name,)*];
    };
}

features! {
    Bias = "bias",
    LenLe4 = "len_le4",
    LenLe8 = "len_le8",
    LenLe15 = "len_le15",
    LenLe25 = "len_le25",
    LenLe40 = "len_le40",
    LenLe80 = "len_le80",
    LenGt80 = "len_gt80",
    LenLog = "len_log",
    WidthKnown = "width_known",
    FullWidth = "full_width",
    OverWidth = "over_width",
    ShortLine = "short_line",
    WidthRatio = "width_ratio",
    Indented = "indented",
    PageIndents = "page_indents",
    BlankBefore = "blank_before",
    BlankBefore2 = "blank_before2",
    EndsSentence = "ends_sentence",
    EndsQuestion = "ends_question",
    EndsPause = "ends_pause",
    EndsClosing = "ends_closing",
    EndsDash = "ends_dash",
    EndsOtherPunct = "ends_other_punct",
    EndsHan = "ends_han",
    EndsDigitLatin = "ends_digit_latin",
    StartsPunct = "starts_punct",
    StartsOpening = "starts_opening",
    StartsDash = "starts_dash",
    StartsDigit = "starts_digit",
    StartsBullet = "starts_bullet",
    ParagraphOpener = "paragraph_opener",
    InnerFinals = "inner_finals",
    Commas = "commas",
    SpacedParts = "spaced_parts",
    LetterSpaced = "letter_spaced",
    UnbalancedOpen = "unbalanced_open",
    CueHeader = "cue_header",
    CuePageCredit = "cue_page_credit",
    CueMark = "cue_mark",
    CueJumpOnly = "cue_jump_only",
    CueCaption = "cue_caption",
    CueByline = "cue_byline",
    CueText = "cue_text",
    HasJump = "has_jump",
    HasMark = "has_mark",
    Dateline = "dateline",
    BareName = "bare_name",
    CreditLine = "credit_line",
    Attribution = "attribution",
    BoxHeading = "box_heading",
    NumberedHeading = "numbered_heading",
    AuthorNote = "author_note",
    SeriesLabel = "series_label",
    Parenthesized = "parenthesized",
    EndsColon = "ends_colon",
    EndsCircled = "ends_circled",
    EndsParenNote = "ends_paren_note",
    NoPunct = "no_punct",
    LenVsPrev = "len_vs_prev",
    LenVsNext = "len_vs_next",
    SeamWord = "seam_word",
    SeamPrevFunctionWord = "seam_prev_function_word",
    SeamPrevVerb = "seam_prev_verb",
    SeamShortClause = "seam_short_clause",
    SeamSameWidth = "seam_same_width",
    IsFirst = "is_first",
    IsLast = "is_last",
    GeoKnown = "geo_known",
    SizeLog = "size_log",
    SizeLarger = "size_larger",
    SizeMuchLarger = "size_much_larger",
    SizeSmaller = "size_smaller",
    Bold = "bold",
    WidthEmLog = "width_em_log",
    DxPrev = "dx_prev",
    DxNext = "dx_next",
    ShortRight = "short_right",
    GapAbove = "gap_above",
    GapBelow = "gap_below",
    ColumnJumpAbove = "column_jump_above",
    ColumnJumpBelow = "column_jump_below",
    Centred = "centred",
    IndentEm = "indent_em",
    IndentTwoEm = "indent_two_em",
    Cohesion = "cohesion",
    OwnBefore = "own_before",
    OwnAfter = "own_after",
    BylineAhead = "byline_ahead",
    DatelineAhead = "dateline_ahead",
    LexLabel = "lex_label",
    LexTitle = "lex_title",
    LexHeading = "lex_heading",
}

/// How many features a line has on its own.
pub const N: usize = NAMES.len();

/// One line's features, dense, in [`NAMES`] order.
pub type LineFeatures = [f32; N];

fn text_of(u: &Unit) -> &str {
    u.text
        .as_ref()
        .map_or(u.line.text.as_str(), |t| t.text.as_str())
}

/// Features of every unit of a page; `geometry` (one entry per text line,
/// when the page comes from a PDF or a scan) adds where each line sits.
pub fn line_features(
    units: &[Unit],
    shape: &PageShape,
    geometry: Option<&[LineGeometry]>,
) -> Vec<LineFeatures> {
    let lens = Lens::of(units);
    let mut feats: Vec<LineFeatures> = (0..units.len())
        .map(|i| one(units, i, shape, &lens))
        .collect();
    context(units, &mut feats, &lens);
    if let Some(geometry) = geometry {
        let boxes: Vec<Option<&LineGeometry>> =
            units.iter().map(|u| geometry.get(u.number)).collect();
        let body = body_size(units, &boxes);
        for (i, f) in feats.iter_mut().enumerate() {
            placed(&boxes, i, body, f);
        }
    }
    feats
}

/// A type size this many times body type is larger (a subhead, a label);
/// this many, much larger (a title). Chinese papers set body type at 9–10
/// pt, headings from 10.5 pt, titles from 16 pt.
const LARGER: f32 = 1.12;
const MUCH_LARGER: f32 = 1.6;
/// Below this share of body type: captions, credits, the page's furniture.
const SMALLER: f32 = 0.92;
/// Geometry features are measured in ems of body type and clipped to this
/// many: beyond it, more white space says nothing more.
const EM_CLIP: f32 = 6.0;

/// Lines either side (in reading order) whose left edges give a line's
/// column edge: a column holds dozens of lines, and a window this wide
/// always takes in a paragraph's unindented lines too.
const COLUMN_WINDOW: usize = 12;
/// A line is of body type when its size is within this share of body
/// type (OCR's sizes come from box heights and vary by a few percent).
const BODY_SIZE_TOLERANCE: f32 = 0.15;
/// A paragraph's first line is set two ems in; the range allows for
/// OCR's boxes and an opening quote or bracket set half width.
const INDENT_TWO_EM: (f32, f32) = (1.4, 2.6);

/// The size most characters of the page are set in.
fn body_size(units: &[Unit], boxes: &[Option<&LineGeometry>]) -> f32 {
    let mut by_size: Vec<(f32, usize)> = Vec::new();
    for (u, g) in units.iter().zip(boxes) {
        let Some(g) = g.filter(|g| g.size.is_finite() && g.size > 0.0) else {
            continue;
        };
        let n = u.line.text.chars().count();
        match by_size.iter_mut().find(|(z, _)| (*z - g.size).abs() < 0.25) {
            Some(e) => e.1 += n,
            None => by_size.push((g.size, n)),
        }
    }
    by_size
        .iter()
        .max_by_key(|(_, n)| *n)
        .map_or(10.0, |(z, _)| *z)
}

/// The features of where line `i` sits against body type and the lines
/// read before and after it.
fn placed(boxes: &[Option<&LineGeometry>], i: usize, body: f32, f: &mut LineFeatures) {
    let Some(g) = boxes[i] else {
        return;
    };
    let em = |v: f32| (v / body).clamp(-EM_CLIP, EM_CLIP);
    let b = |x: bool| if x { 1.0 } else { 0.0 };
    let mut set = |name: F, v: f32| f[name as usize] = if v.is_finite() { v } else { 0.0 };
    set(F::GeoKnown, 1.0);
    let ratio = g.size / body;
    set(F::SizeLog, ratio.ln().clamp(-1.0, 2.0));
    set(F::SizeLarger, b(ratio >= LARGER));
    set(F::SizeMuchLarger, b(ratio >= MUCH_LARGER));
    set(F::SizeSmaller, b(ratio <= SMALLER));
    set(F::Bold, b(g.bold));
    set(F::WidthEmLog, (1.0 + ((g.x1 - g.x0) / body).max(0.0)).ln());
    // neighbours in one column: their x ranges overlap
    let same_column = |o: &LineGeometry| o.x0 < g.x1 && g.x0 < o.x1;
    let prev = i.checked_sub(1).and_then(|j| boxes[j]);
    let next = boxes.get(i + 1).copied().flatten();
    let mut right = g.x1;
    let mut left = g.x0;
    if let Some(p) = prev {
        if same_column(p) && p.bottom <= g.top + 0.5 * body {
            set(F::DxPrev, em(g.x0 - p.x0));
            set(F::GapAbove, em(g.top - p.bottom));
            right = right.max(p.x1);
            left = left.min(p.x0);
        } else {
            set(F::ColumnJumpAbove, 1.0);
        }
    }
    if let Some(n) = next {
        if same_column(n) && n.top >= g.bottom - 0.5 * body {
            set(F::DxNext, em(g.x0 - n.x0));
            set(F::GapBelow, em(n.top - g.bottom));
            right = right.max(n.x1);
            left = left.min(n.x0);
        } else {
            set(F::ColumnJumpBelow, 1.0);
        }
    }
    set(F::ShortRight, em(right - g.x1).max(0.0));
    // How far in from its column's left edge the line starts: the left
    // edge is the least x0 of the body-type lines near it in the same
    // column. Unlike `dx_prev` this holds for a run of one-line paragraphs
    // (each indented, so each as far in as the line above).
    let near = i.saturating_sub(COLUMN_WINDOW)..(i + COLUMN_WINDOW + 1).min(boxes.len());
    let column_left = boxes[near]
        .iter()
        .flatten()
        .filter(|o| same_column(o) && (o.size / body - 1.0).abs() <= BODY_SIZE_TOLERANCE)
        .map(|o| o.x0)
        .fold(f32::INFINITY, f32::min);
    if column_left.is_finite() {
        let indent = em(g.x0 - column_left).max(0.0);
        set(F::IndentEm, indent);
        set(
            F::IndentTwoEm,
            b((INDENT_TWO_EM.0..=INDENT_TWO_EM.1).contains(&indent)),
        );
    }
    let (lm, rm) = (g.x0 - left, right - g.x1);
    set(
        F::Centred,
        b(lm > body && rm > body && (lm - rm).abs() < body),
    );
}

/// Every unit's visible length, counted once: the features of a line read
/// its neighbours' too.
struct Lens {
    /// of the unit's text ([`text_of`])
    text: Vec<usize>,
    /// of the printed line, indent included
    line: Vec<usize>,
}

impl Lens {
    fn of(units: &[Unit]) -> Lens {
        Lens {
            // the text is the whole line but for marks and jumps taken off
            text: units
                .iter()
                .map(|u| match &u.text {
                    Some(t) if t.text.len() != u.line.text.len() => visible_len(&t.text),
                    _ => u.visible,
                })
                .collect(),
            line: units.iter().map(|u| u.indent + u.visible).collect(),
        }
    }
}

fn one(units: &[Unit], i: usize, shape: &PageShape, lens: &Lens) -> LineFeatures {
    let u = &units[i];
    let prev = i.checked_sub(1).map(|j| &units[j]);
    let mut f = [0f32; N];
    let mut set = |name: F, v: f32| f[name as usize] = v;
    let t = text_of(u);
    let len = lens.text[i];
    let b = |x: bool| if x { 1.0 } else { 0.0 };
    set(F::Bias, 1.0);
    let bin = match len {
        0..=4 => F::LenLe4,
        5..=8 => F::LenLe8,
        9..=15 => F::LenLe15,
        16..=25 => F::LenLe25,
        26..=40 => F::LenLe40,
        41..=80 => F::LenLe80,
        _ => F::LenGt80,
    };
    set(bin, 1.0);
    set(F::LenLog, ((len + 1) as f32).ln());
    let line_len = lens.line[i];
    if let Some(w) = shape.width {
        set(F::WidthKnown, 1.0);
        set(F::FullWidth, b(line_len + 1 >= w && line_len <= w + 1));
        set(F::OverWidth, b(line_len > w + 1));
        set(F::ShortLine, b((line_len as f32) < 0.6 * w as f32));
        set(F::WidthRatio, (line_len as f32 / w as f32).min(3.0));
    }
    set(F::Indented, b(u.indent > 0));
    set(F::PageIndents, b(shape.indents));
    set(F::BlankBefore, b(u.blank_before > 0));
    set(F::BlankBefore2, b(u.blank_before > 1));
    let chars: Vec<char> = t.chars().filter(|c| !is_space(*c)).collect();
    let last = chars.last().copied().unwrap_or(' ');
    let first = chars.first().copied().unwrap_or(' ');
    let ends = ends_sentence(t);
    set(F::EndsSentence, b(ends));
    set(F::EndsQuestion, b(matches!(last, '？' | '?' | '！' | '!')));
    set(F::EndsPause, b(is_pause(last)));
    set(F::EndsClosing, b(is_closing(last) && !ends));
    set(F::EndsDash, b(last == '—'));
    set(
        F::EndsOtherPunct,
        b(is_punct(last) && !ends && !is_pause(last) && !is_closing(last) && last != '—'),
    );
    set(F::EndsHan, b(baozhi_text::is_han(last)));
    set(F::EndsDigitLatin, b(last.is_ascii_alphanumeric()));
    set(
        F::StartsPunct,
        b(is_sentence_final(first) || is_pause(first) || is_closing(first)),
    );
    set(F::StartsOpening, b(is_opening(first)));
    set(F::StartsDash, b(first == '—'));
    set(F::StartsDigit, b(first.is_ascii_digit()));
    set(
        F::StartsBullet,
        b(matches!(
            first,
            '■' | '◆' | '●' | '▲' | '★' | '◇' | '□' | '○' | '△' | '▼'
        )),
    );
    set(F::ParagraphOpener, b(cues::is_paragraph_opener(t)));
    let inner = chars
        .iter()
        .take(chars.len().saturating_sub(1))
        .filter(|c| is_sentence_final(**c))
        .count();
    set(F::InnerFinals, inner.min(3) as f32);
    set(
        F::Commas,
        chars
            .iter()
            .filter(|c| matches!(c, '，' | ','))
            .count()
            .min(3) as f32,
    );
    let parts = t.split(is_space).filter(|p| !p.is_empty()).count();
    set(F::SpacedParts, parts.saturating_sub(1).min(3) as f32);
    set(
        F::LetterSpaced,
        b(parts >= 3
            && t.split(is_space)
                .filter(|p| !p.is_empty())
                .all(|p| p.chars().count() == 1)),
    );
    let opens = chars.iter().filter(|c| is_opening(**c)).count();
    let closes = chars.iter().filter(|c| is_closing(**c)).count();
    set(F::UnbalancedOpen, b(opens > closes));
    let cue = match u.cue {
        Cue::Header { .. } => F::CueHeader,
        Cue::PageCredit => F::CuePageCredit,
        Cue::Mark => F::CueMark,
        Cue::JumpOnly => F::CueJumpOnly,
        Cue::Caption(_) => F::CueCaption,
        Cue::Byline(_) => F::CueByline,
        Cue::Text => F::CueText,
    };
    set(cue, 1.0);
    set(F::HasJump, b(!u.jumps.is_empty()));
    set(F::HasMark, b(!u.marks.is_empty()));
    let text_cue = u.cue == Cue::Text && u.text.is_some();
    if text_cue {
        set(F::Dateline, b(cues::dateline_at_start(t).is_some()));
    }
    // the other cues read short lines only: a paragraph is none of them
    if text_cue && len <= 200 {
        set(F::BareName, b(cues::bare_name_byline(t).is_some()));
        set(F::CreditLine, b(cues::is_credit_line(t)));
        set(F::Attribution, b(cues::is_attribution(t)));
        set(F::BoxHeading, b(cues::is_box_heading(t)));
        set(F::NumberedHeading, b(cues::is_numbered_heading(t)));
        set(F::AuthorNote, b(cues::is_author_note(t)));
        set(
            F::SeriesLabel,
            b(cues::is_series_label(t) || cues::is_dotted_label(t)),
        );
        set(
            F::Parenthesized,
            b(matches!(first, '（' | '(') && matches!(last, '）' | ')')),
        );
    }
    set(F::EndsColon, b(matches!(last, '：' | ':')));
    set(F::EndsCircled, b(matches!(last, '①'..='⑳')));
    set(
        F::EndsParenNote,
        b(matches!(last, '）' | ')') && !matches!(first, '（' | '(')),
    );
    // titles and headings carry no punctuation but quotes and the dot of a label
    set(
        F::NoPunct,
        b(len > 0
            && !chars
                .iter()
                .any(|c| is_punct(*c) && !matches!(c, '“' | '”' | '‘' | '’' | '·' | '《' | '》'))),
    );
    // a headline part against its neighbours: labels are shorter than the
    // title, a title's second line shorter than its first
    let ratio = |o: Option<usize>| {
        o.map_or(0.0, |o| {
            let ol = lens.text[o];
            (((len + 1) as f32) / ((ol + 1) as f32))
                .ln()
                .clamp(-2.0, 2.0)
        })
    };
    set(F::LenVsPrev, ratio(i.checked_sub(1)));
    set(
        F::LenVsNext,
        ratio(Some(i + 1).filter(|&j| j < units.len())),
    );
    if let Some(p) = prev.filter(|p| p.cue == Cue::Text && text_cue) {
        let a = text_of(p);
        seam(a, t, &mut f);
        if shape.width.is_none() {
            let pl = lens.line[i - 1];
            f[F::SeamSameWidth as usize] = b(pl == line_len && len >= 8);
        }
    }
    // What the characters of a short line say (labels, headlines and
    // headings are short; a body line's characters say body text).
    if len <= LEX_MAX_CHARS {
        let [label, title, heading] = crate::lexicon::lexicon().scores(t);
        f[F::LexLabel as usize] = label;
        f[F::LexTitle as usize] = title;
        f[F::LexHeading as usize] = heading;
    }
    f[F::IsFirst as usize] = b(i == 0);
    f[F::IsLast as usize] = b(i + 1 == units.len());
    f
}

/// The longest line whose characters are looked up in the lexicon: the
/// corpus's titles and headings are 99 % within 40 characters, and longer
/// lines are body text, for which the lookup would only cost time.
const LEX_MAX_CHARS: usize = 40;

/// How many Han characters of body text either side of a line the
/// cohesion features compare: about two short paragraphs, enough to share
/// a topic's words, few enough that a neighbouring article does not come
/// into the window on a page of short items.
const COHESION_WINDOW: usize = 120;
/// How far ahead (in lines) a byline or dateline still tells that a
/// headline group opens an article: kicker, title two lines, subtitle.
const AHEAD: usize = 4;

/// Features that look past the neighbours: does the text after a short,
/// headline-like line share its words with the text before it (an
/// in-article heading continues its article's topic; a new article's title
/// does not), and does a byline or dateline follow within a few lines.
/// Computed only for lines that could be a headline part: the features are
/// for that decision, and body lines are most of a page.
fn context(units: &[Unit], feats: &mut [LineFeatures], lens: &Lens) {
    let body: Vec<bool> = units
        .iter()
        .zip(feats.iter())
        .zip(&lens.text)
        .map(|((u, f), &len)| u.cue == Cue::Text && f[F::NoPunct as usize] == 0.0 && len >= 8)
        .collect();
    // each body line's first pairs, taken once: the windows of the
    // candidates around it read the same line again and again
    let mut pairs: Vec<Option<Vec<u64>>> = vec![None; units.len()];
    for i in 0..units.len() {
        let f = &feats[i];
        let candidate = f[F::CueText as usize] > 0.0
            && (f[F::NoPunct as usize] > 0.0
                || (lens.text[i] <= 30 && f[F::EndsSentence as usize] == 0.0));
        if !candidate {
            continue;
        }
        let before = window(units, &body, &mut pairs, (0..i).rev());
        let after = window(units, &body, &mut pairs, i + 1..units.len());
        let own = han_pairs(text_of(&units[i]), usize::MAX);
        let ahead = &feats[(i + 1).min(feats.len())..(i + 1 + AHEAD).min(feats.len())];
        let byline_ahead = ahead
            .iter()
            .any(|g| g[F::CueByline as usize] + g[F::BareName as usize] > 0.0);
        let dateline_ahead = ahead.iter().any(|g| g[F::Dateline as usize] > 0.0);
        let f = &mut feats[i];
        f[F::Cohesion as usize] = shared(&after, &before);
        f[F::OwnBefore as usize] = shared(&own, &before);
        f[F::OwnAfter as usize] = shared(&own, &after);
        f[F::BylineAhead as usize] = if byline_ahead { 1.0 } else { 0.0 };
        f[F::DatelineAhead as usize] = if dateline_ahead { 1.0 } else { 0.0 };
    }
}

/// The pairs of adjacent Han characters of the body lines met walking
/// `order`, up to [`COHESION_WINDOW`] characters; sorted, for lookups.
/// `cache[j]` holds line `j`'s first [`COHESION_WINDOW`] pairs once read;
/// a window that has room for fewer takes a prefix of them, as
/// [`han_pairs`] with a smaller `max` would give.
fn window(
    units: &[Unit],
    body: &[bool],
    cache: &mut [Option<Vec<u64>>],
    order: impl Iterator<Item = usize>,
) -> Vec<u64> {
    let mut pairs = Vec::new();
    let mut chars = 0;
    for j in order {
        if chars >= COHESION_WINDOW {
            break;
        }
        if !body[j] {
            continue;
        }
        let line = cache[j].get_or_insert_with(|| han_pairs(text_of(&units[j]), COHESION_WINDOW));
        let p = &line[..line.len().min(COHESION_WINDOW - chars)];
        chars += p.len() + 1;
        pairs.extend_from_slice(p);
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Adjacent Han character pairs of `text`, at most `max` of them.
fn han_pairs(text: &str, max: usize) -> Vec<u64> {
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if out.len() >= max {
            break;
        }
        if baozhi_text::is_han(c) {
            if let Some(p) = prev {
                out.push(((p as u64) << 32) | c as u64);
            }
            prev = Some(c);
        } else {
            prev = None;
        }
    }
    out
}

/// The share of `these` pairs found in `sorted` (0 when there are none).
fn shared(these: &[u64], sorted: &[u64]) -> f32 {
    if these.is_empty() || sorted.is_empty() {
        return 0.0;
    }
    let hits = these
        .iter()
        .filter(|p| sorted.binary_search(p).is_ok())
        .count();
    hits as f32 / these.len() as f32
}

/// Seam features between the line above (`a`) and this one (`b`).
fn seam(a: &str, b: &str, f: &mut LineFeatures) {
    let a = a.trim_end_matches(is_space);
    let b = b.trim_start_matches(is_space);
    if a.is_empty() || b.is_empty() || ends_sentence(a) {
        return;
    }
    let window = SeamWindow::of(a, b);
    if window.word_across() {
        f[F::SeamWord as usize] = 1.0;
    }
    match window.last_word() {
        LastWord::Function => f[F::SeamPrevFunctionWord as usize] = 1.0,
        LastWord::Verb => f[F::SeamPrevVerb as usize] = 1.0,
        LastWord::Other => {}
    }
    let clause: usize = b
        .chars()
        .take_while(|c| !is_punct(*c) && !is_space(*c))
        .count();
    let after = b.chars().nth(clause);
    if clause > 0 && clause <= 3 && after.is_some_and(|c| is_pause(c) || is_sentence_final(c)) {
        f[F::SeamShortClause as usize] = 1.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_name_the_indices() {
        let mut v: Vec<&str> = NAMES.to_vec();
        v.sort_unstable();
        v.dedup();
        assert_eq!(v.len(), N);
        assert_eq!(NAMES[F::SeamWord as usize], "seam_word");
        assert_eq!(NAMES[F::IsLast as usize], "is_last");
    }

    #[test]
    fn a_heading_inside_an_article_shares_its_words() {
        let text = "南水北调工程\n\n南水北调中线工程通水以来，受益人口超过一亿人。\n\n调水水质\n\n南水北调中线工程的水质稳定在二类以上。\n\n春节花市开张\n\n市民在花市挑选年花，迎接新春佳节。\n";
        let us = crate::units::units(crate::lines::split_lines(text));
        let shape = PageShape::of(&us);
        let f = line_features(&us, &shape, None);
        let at = |s: &str| us.iter().position(|u| text_of(u) == s).unwrap();
        let heading = f[at("调水水质")][F::Cohesion as usize];
        let title = f[at("春节花市开张")][F::Cohesion as usize];
        assert!(heading > 0.2, "{heading}");
        assert_eq!(title, 0.0);
        // a body line is no candidate
        assert_eq!(
            f[at("市民在花市挑选年花，迎接新春佳节。")][F::Cohesion as usize],
            0.0
        );
    }

    #[test]
    fn a_cut_word_is_a_seam_word() {
        let mut f = [0f32; N];
        seam("为推动改革走深走实，现提", "出如下意见。", &mut f);
        assert_eq!(f[F::SeamWord as usize], 1.0);
        let mut g = [0f32; N];
        seam("这是一个完整的句子。", "另一个句子", &mut g);
        assert_eq!(g[F::SeamWord as usize], 0.0);
    }
}
