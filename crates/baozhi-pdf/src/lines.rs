//! A PDF's text spans → printed lines.
//!
//! A span is a run of glyphs the PDF draws in one font (a whole line of
//! body text, or a bold 本报北京2月12日电 and the regular text after it).
//! Spans that sit on one baseline and touch are one printed line; a gap
//! wider than a fraction of an em (a gutter) starts another line, so two
//! columns that share baselines stay apart.

/// A box in points, origin at the page's top-left corner, y down.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x0: f32,
    pub top: f32,
    pub x1: f32,
    pub bottom: f32,
}

impl Rect {
    pub fn height(&self) -> f32 {
        self.bottom - self.top
    }

    pub fn width(&self) -> f32 {
        self.x1 - self.x0
    }

    /// The box in units `k` times as large (pixels to points: 72 / dpi).
    pub fn scaled(&self, k: f32) -> Rect {
        Rect {
            x0: self.x0 * k,
            top: self.top * k,
            x1: self.x1 * k,
            bottom: self.bottom * k,
        }
    }

    /// The smallest box holding both.
    pub fn union(&self, o: &Rect) -> Rect {
        Rect {
            x0: self.x0.min(o.x0),
            top: self.top.min(o.top),
            x1: self.x1.max(o.x1),
            bottom: self.bottom.max(o.bottom),
        }
    }
}

/// One printed line: its text, its box, and its type.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintedLine {
    pub text: String,
    pub bbox: Rect,
    /// Font size in points of most of its characters.
    pub size: f32,
    /// Whether most of its characters are set in a bold face.
    pub bold: bool,
}

/// A text span of the PDF, in page coordinates (top-left origin).
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub bbox: Rect,
    pub size: f32,
    pub bold: bool,
    /// Where the PDF draws it among the page's spans (content order): the
    /// only order left for glyphs whose boxes carry none ([`crate::vertical`]).
    pub sequence: usize,
}

/// Spans on one baseline are one line when their bottoms differ by less
/// than this share of the smaller font size (mixed faces on one line sit a
/// few hundredths of an em apart; the next line is a whole leading away).
const BASELINE_TOLERANCE: f32 = 0.3;

/// A span joins the line to its left when the gap between them is at most
/// this many ems. Glyphs of one line touch (justification adds well under
/// half an em); column gutters are an em or more.
const JOIN_GAP_EM: f32 = 0.6;

/// Spans may overlap the line's end by this many ems (kerning, a space
/// glyph drawn over the next character) and still continue it.
const OVERLAP_EM: f32 = 0.5;

/// A gap of this many ems between two Latin or digit runs is a word space.
const WORD_SPACE_EM: f32 = 0.2;

impl Span {
    /// A span from the reader's coordinates (`x`, `y` the bottom-left corner
    /// with y up, as PDF user space has it) turned to top-left coordinates.
    /// `None` for a span with no visible text or a box that is not finite.
    #[allow(clippy::too_many_arguments)]
    pub fn from_pdf(
        text: &str,
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        size: f32,
        bold: bool,
        page_height: f32,
    ) -> Option<Span> {
        let finite = [x, y, width, height, size].iter().all(|v| v.is_finite());
        // A span of U+3000 alone is kept: it is printed white space that
        // joins the runs on either side (本报北京电　（记者).
        if !finite || text.chars().all(|c| c.is_whitespace() && c != '\u{3000}') {
            return None;
        }
        let (width, height) = (width.abs(), height.abs());
        let size = if size > 0.0 { size } else { height.max(1.0) };
        Some(Span {
            text: without_stretch_spaces(text),
            bbox: Rect {
                x0: x,
                top: page_height - (y + height),
                x1: x + width,
                bottom: page_height - y,
            },
            size,
            bold,
            sequence: 0,
        })
    }
}

/// The printed lines the spans make, in no particular order.
pub fn printed_lines(spans: Vec<Span>) -> Vec<PrintedLine> {
    printed_lines_drawn(spans).0
}

/// [`printed_lines`], and for each line where the PDF first draws it (the
/// least [`Span::sequence`] of its spans).
pub fn printed_lines_drawn(mut spans: Vec<Span>) -> (Vec<PrintedLine>, Vec<usize>) {
    spans.sort_by(|a, b| a.bbox.x0.total_cmp(&b.bbox.x0));
    // Lines being built: their spans, in x order.
    let mut open: Vec<Vec<Span>> = Vec::new();
    for s in spans {
        let mut best: Option<(usize, f32)> = None;
        for (i, line) in open.iter().enumerate() {
            let last = &line[line.len() - 1];
            let em = last.size.min(s.size);
            let drift = (last.bbox.bottom - s.bbox.bottom).abs();
            let gap = s.bbox.x0 - last.bbox.x1;
            if drift <= BASELINE_TOLERANCE * em
                && gap >= -OVERLAP_EM * em
                && gap <= JOIN_GAP_EM * em
                && best.is_none_or(|(_, d)| drift < d)
            {
                best = Some((i, drift));
            }
        }
        match best {
            Some((i, _)) => open[i].push(s),
            None => open.push(vec![s]),
        }
    }
    let drawn = open
        .iter()
        .map(|l| l.iter().map(|s| s.sequence).min().unwrap_or(0))
        .collect();
    (open.into_iter().map(join_spans).collect(), drawn)
}

fn join_spans(spans: Vec<Span>) -> PrintedLine {
    let mut text = String::new();
    let mut bbox = spans[0].bbox;
    let mut by_size: Vec<(f32, usize)> = Vec::new();
    let (mut bold_chars, mut chars) = (0usize, 0usize);
    let mut prev: Option<&Span> = None;
    for s in &spans {
        if let Some(p) = prev {
            let gap = s.bbox.x0 - p.bbox.x1;
            let word_break = p.text.chars().last().is_some_and(is_latin)
                && s.text.chars().next().is_some_and(is_latin);
            if word_break && gap > WORD_SPACE_EM * p.size.min(s.size) {
                text.push(' ');
            }
        }
        // a line break inside a span's text would split the printed line
        // in two text lines and break the line ↔ box pairing
        text.extend(
            s.text
                .chars()
                .map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c }),
        );
        bbox = bbox.union(&s.bbox);
        let n = s.text.chars().count();
        chars += n;
        if s.bold {
            bold_chars += n;
        }
        match by_size.iter_mut().find(|(z, _)| (*z - s.size).abs() < 0.05) {
            Some(e) => e.1 += n,
            None => by_size.push((s.size, n)),
        }
        prev = Some(s);
    }
    let size = by_size
        .iter()
        .max_by_key(|(_, n)| *n)
        .map_or(spans[0].size, |(z, _)| *z);
    PrintedLine {
        text,
        bbox,
        size,
        bold: bold_chars * 2 > chars,
    }
}

/// Drops ASCII spaces next to a CJK character (between two of them, or
/// between one and a digit or Latin letter): an extractor writes them for
/// letter-spacing (a justified line, a spaced-out headline), the page
/// prints none. Spaces between Latin words and U+3000 (a printed
/// ideographic space) stay, and so do spaces between two CJK characters
/// in a run that is not letter-spaced: a space here and there in CJK text
/// is printed white space (the gap between two names, 韦力雨 伍宇蕾; after
/// a role, 本报记者 黄晓慧).
fn without_stretch_spaces(text: &str) -> String {
    if !text.contains(' ') {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let spaced_run = letter_spaced(&chars);
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' {
            let mut j = i;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            let before = i.checked_sub(1).map(|k| chars[k]);
            let after = chars.get(j).copied();
            // Chinese text sets no space between a CJK character and a
            // digit or Latin letter; the printer's extra spacing there is
            // not a character, letter-spaced run or not.
            let cjk_latin = |a: char, b: char| is_cjk(a) && is_latin(b);
            let stretch = match (before, after) {
                (Some(a), Some(b)) => {
                    cjk_latin(a, b) || cjk_latin(b, a) || (spaced_run && is_cjk(a) && is_cjk(b))
                }
                _ => false,
            };
            if !stretch {
                out.extend(&chars[i..j]);
            }
            i = j;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Whether a run is letter-spaced: a space stands at more than half of the
/// places between two characters where one is CJK. Letter-spacing puts a
/// space at every such place (a spaced-out headline, a justified line as
/// an extractor writes it); names and roles in a byline have one or two,
/// and a byline of a three-character name and a two-character one set as
/// wide (`叶亮桂 徐 凯`) has as many spaced places as solid ones.
fn letter_spaced(chars: &[char]) -> bool {
    let (mut places, mut spaced) = (0usize, 0usize);
    let mut prev: Option<char> = None;
    let mut space_since = false;
    for &c in chars {
        if c == ' ' {
            space_since = true;
            continue;
        }
        if let Some(p) = prev {
            if is_cjk(p) || is_cjk(c) {
                places += 1;
                spaced += usize::from(space_since);
            }
        }
        prev = Some(c);
        space_since = false;
    }
    places > 0 && spaced * 2 > places
}

/// Han, kana, CJK punctuation and full-width forms: characters Chinese
/// typesetting sets without spaces between them.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x2E80..=0x2FDF | 0x20000..=0x323AF
        | 0x2014 | 0x2018..=0x201F | 0x2026 | 0x00B7)
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// A printed line for the tests: `text` set solid in `size`-point type
/// from (`x0`, `top`).
#[cfg(test)]
pub(crate) fn test_line(text: &str, x0: f32, top: f32, size: f32) -> PrintedLine {
    PrintedLine {
        text: text.to_string(),
        bbox: Rect {
            x0,
            top,
            x1: x0 + size * text.chars().count() as f32,
            bottom: top + size,
        },
        size,
        bold: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str, x0: f32, bottom: f32, size: f32) -> Span {
        let w = text.chars().count() as f32 * size;
        Span {
            text: text.to_string(),
            bbox: Rect {
                x0,
                top: bottom - size,
                x1: x0 + w,
                bottom,
            },
            size,
            bold: false,
            sequence: 0,
        }
    }

    #[test]
    fn spans_on_one_baseline_that_touch_are_one_line() {
        let lines = printed_lines(vec![
            span("李红梅）", 40.0, 100.0, 10.0),
            span("本报北京电（记者", -40.0, 100.5, 10.0),
        ]);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].text, "本报北京电（记者李红梅）");
    }

    #[test]
    fn a_gutter_keeps_two_columns_apart() {
        let lines = printed_lines(vec![
            span("左栏的一行字", 0.0, 100.0, 10.0),
            // 1.2 em gutter
            span("右栏的一行字", 72.0, 100.0, 10.0),
        ]);
        assert_eq!(lines.len(), 2);
    }

    #[test]
    fn the_next_line_down_is_another_line() {
        let lines = printed_lines(vec![
            span("第一行", 0.0, 100.0, 10.0),
            span("第二行", 30.0, 114.0, 10.0),
        ]);
        assert_eq!(lines.len(), 2);
    }

    #[test]
    fn letter_spacing_spaces_between_cjk_are_dropped_word_spaces_kept() {
        assert_eq!(without_stretch_spaces("相 比 ， 已"), "相比，已");
        assert_eq!(without_stretch_spaces("人  民 日 报"), "人民日报");
        assert_eq!(without_stretch_spaces("Xi Jinping 会见"), "Xi Jinping会见");
        assert_eq!(without_stretch_spaces("除 2018 年"), "除2018年");
        assert_eq!(without_stretch_spaces("电　李"), "电　李");
        // A space or two in a run of CJK is printed: names in a byline.
        assert_eq!(without_stretch_spaces("韦力雨 伍宇蕾"), "韦力雨 伍宇蕾");
        assert_eq!(without_stretch_spaces("本报记者 黄晓慧"), "本报记者 黄晓慧");
        // a two-character name set as wide as the three-character one
        // beside it keeps the spaces that tell the names apart
        assert_eq!(without_stretch_spaces("叶亮桂 徐 凯"), "叶亮桂 徐 凯");
        assert_eq!(without_stretch_spaces("徐 凯"), "徐凯");
        assert_eq!(
            without_stretch_spaces("本 报 记 者 黄晓慧"),
            "本报记者黄晓慧"
        );
    }

    #[test]
    fn the_line_takes_the_size_and_weight_of_most_of_its_characters() {
        let mut a = span("本报北京2月12日电", 0.0, 100.0, 9.8);
        a.bold = true;
        let b = span("记者李红梅报道今天的消息全文如下", 9.8 * 10.0, 100.0, 9.0);
        let lines = printed_lines(vec![a, b]);
        assert_eq!(lines.len(), 1);
        assert!(!lines[0].bold);
        assert_eq!(lines[0].size, 9.0);
    }

    #[test]
    fn spans_without_text_or_with_broken_boxes_are_skipped() {
        assert!(Span::from_pdf("  ", 0.0, 0.0, 1.0, 1.0, 9.0, false, 100.0).is_none());
        assert!(Span::from_pdf("\u{3000}", 0.0, 0.0, 1.0, 1.0, 9.0, false, 100.0).is_some());
        assert!(Span::from_pdf("字", f32::NAN, 0.0, 1.0, 1.0, 9.0, false, 100.0).is_none());
        let s = Span::from_pdf("字", 10.0, 50.0, 9.0, 9.0, 9.0, false, 100.0).unwrap();
        assert_eq!((s.bbox.top, s.bbox.bottom), (41.0, 50.0));
    }
}
