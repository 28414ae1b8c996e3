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
use crate::units::{Cue, PageShape, Unit};
use baozhi_text::{
    ends_sentence, is_closing, is_opening, is_pause, is_punct, is_sentence_final, is_space,
    lexicon, visible_len,
};

/// The features of one line on its own (and of the seam above it), in order.
pub const NAMES: &[&str] = &[
    "bias",
    "len_le4",
    "len_le8",
    "len_le15",
    "len_le25",
    "len_le40",
    "len_le80",
    "len_gt80",
    "len_log",
    "width_known",
    "full_width",
    "over_width",
    "short_line",
    "width_ratio",
    "indented",
    "page_indents",
    "blank_before",
    "blank_before2",
    "ends_sentence",
    "ends_question",
    "ends_pause",
    "ends_closing",
    "ends_dash",
    "ends_other_punct",
    "ends_han",
    "ends_digit_latin",
    "starts_punct",
    "starts_opening",
    "starts_dash",
    "starts_digit",
    "starts_bullet",
    "paragraph_opener",
    "inner_finals",
    "commas",
    "spaced_parts",
    "letter_spaced",
    "unbalanced_open",
    "cue_header",
    "cue_page_credit",
    "cue_mark",
    "cue_jump_only",
    "cue_caption",
    "cue_byline",
    "cue_text",
    "has_jump",
    "has_mark",
    "dateline",
    "bare_name",
    "credit_line",
    "attribution",
    "box_heading",
    "numbered_heading",
    "author_note",
    "series_label",
    "parenthesized",
    "seam_word",
    "seam_prev_function_word",
    "seam_prev_verb",
    "seam_short_clause",
    "seam_same_width",
    "is_first",
    "is_last",
];

/// How many features a line has on its own.
pub const N: usize = NAMES.len();

/// One line's features, dense, in [`NAMES`] order.
pub type LineFeatures = [f32; N];

fn text_of(u: &Unit) -> &str {
    u.text
        .as_ref()
        .map_or(u.line.text.as_str(), |t| t.text.as_str())
}

/// A seam shorter than this many chars on either side is not looked up in
/// the lexicon: one char is no evidence of a word across the line end.
const SEAM_CHARS: usize = 4;

/// Features of every unit of a page.
pub fn line_features(units: &[Unit], shape: &PageShape) -> Vec<LineFeatures> {
    let n = units.len();
    (0..n)
        .map(|i| one(units, i, shape, i.checked_sub(1).map(|j| &units[j])))
        .collect()
}

fn one(units: &[Unit], i: usize, shape: &PageShape, prev: Option<&Unit>) -> LineFeatures {
    let u = &units[i];
    let mut f = [0f32; N];
    let mut set = |name: usize, v: f32| f[name] = v;
    let t = text_of(u);
    let len = visible_len(t);
    let b = |x: bool| if x { 1.0 } else { 0.0 };
    set(0, 1.0);
    let bin = match len {
        0..=4 => 1,
        5..=8 => 2,
        9..=15 => 3,
        16..=25 => 4,
        26..=40 => 5,
        41..=80 => 6,
        _ => 7,
    };
    set(bin, 1.0);
    set(8, ((len + 1) as f32).ln());
    let line_len = u.indent + visible_len(&u.line.text);
    if let Some(w) = shape.width {
        set(9, 1.0);
        set(10, b(line_len + 1 >= w && line_len <= w + 1));
        set(11, b(line_len > w + 1));
        set(12, b((line_len as f32) < 0.6 * w as f32));
        set(13, (line_len as f32 / w as f32).min(3.0));
    }
    set(14, b(u.indent > 0));
    set(15, b(shape.indents));
    set(16, b(u.blank_before > 0));
    set(17, b(u.blank_before > 1));
    let chars: Vec<char> = t.chars().filter(|c| !is_space(*c)).collect();
    let last = chars.last().copied().unwrap_or(' ');
    let first = chars.first().copied().unwrap_or(' ');
    let ends = ends_sentence(t);
    set(18, b(ends));
    set(19, b(matches!(last, '？' | '?' | '！' | '!')));
    set(20, b(is_pause(last)));
    set(21, b(is_closing(last) && !ends));
    set(22, b(last == '—'));
    set(
        23,
        b(is_punct(last) && !ends && !is_pause(last) && !is_closing(last) && last != '—'),
    );
    set(24, b(baozhi_text::is_han(last)));
    set(25, b(last.is_ascii_alphanumeric()));
    set(
        26,
        b(is_sentence_final(first) || is_pause(first) || is_closing(first)),
    );
    set(27, b(is_opening(first)));
    set(28, b(first == '—'));
    set(29, b(first.is_ascii_digit()));
    set(
        30,
        b(matches!(
            first,
            '■' | '◆' | '●' | '▲' | '★' | '◇' | '□' | '○' | '△' | '▼'
        )),
    );
    set(31, b(cues::is_paragraph_opener(t)));
    let inner = chars
        .iter()
        .take(chars.len().saturating_sub(1))
        .filter(|c| is_sentence_final(**c))
        .count();
    set(32, inner.min(3) as f32);
    set(
        33,
        chars
            .iter()
            .filter(|c| matches!(c, '，' | ','))
            .count()
            .min(3) as f32,
    );
    let parts = t.split(is_space).filter(|p| !p.is_empty()).count();
    set(34, parts.saturating_sub(1).min(3) as f32);
    set(
        35,
        b(parts >= 3
            && t.split(is_space)
                .filter(|p| !p.is_empty())
                .all(|p| p.chars().count() == 1)),
    );
    let opens = chars.iter().filter(|c| is_opening(**c)).count();
    let closes = chars.iter().filter(|c| is_closing(**c)).count();
    set(36, b(opens > closes));
    let cue = match u.cue {
        Cue::Header { .. } => 37,
        Cue::PageCredit => 38,
        Cue::Mark => 39,
        Cue::JumpOnly => 40,
        Cue::Caption(_) => 41,
        Cue::Byline(_) => 42,
        Cue::Text => 43,
    };
    set(cue, 1.0);
    set(44, b(!u.jumps.is_empty()));
    set(45, b(!u.marks.is_empty()));
    let text_cue = u.cue == Cue::Text && u.text.is_some();
    if text_cue && len <= 200 {
        set(46, b(cues::dateline_at_start(t).is_some()));
        set(47, b(cues::bare_name_byline(t).is_some()));
        set(48, b(cues::is_credit_line(t)));
        set(49, b(cues::is_attribution(t)));
        set(50, b(cues::is_box_heading(t)));
        set(51, b(cues::is_numbered_heading(t)));
        set(52, b(cues::is_author_note(t)));
        set(53, b(cues::is_series_label(t) || cues::is_dotted_label(t)));
        set(
            54,
            b(matches!(first, '（' | '(') && matches!(last, '）' | ')')),
        );
    } else if text_cue {
        set(46, b(cues::dateline_at_start(t).is_some()));
    }
    if let Some(p) = prev.filter(|p| p.cue == Cue::Text && text_cue) {
        let a = text_of(p);
        seam(a, t, &mut f);
        if shape.width.is_none() {
            let pl = p.indent + visible_len(&p.line.text);
            f[59] = b(pl == line_len && len >= 8);
        }
    }
    f[60] = b(i == 0);
    f[61] = b(i + 1 == units.len());
    f
}

/// Seam features between the line above (`a`) and this one (`b`).
fn seam(a: &str, b: &str, f: &mut LineFeatures) {
    let a = a.trim_end_matches(is_space);
    let b = b.trim_start_matches(is_space);
    if a.is_empty() || b.is_empty() || ends_sentence(a) {
        return;
    }
    let tail: String = {
        let start = a
            .char_indices()
            .rev()
            .take(6)
            .last()
            .map_or(a.len(), |(i, _)| i);
        a[start..].to_string()
    };
    let head: String = b.chars().take(6).collect();
    if tail.chars().count() < SEAM_CHARS.min(a.chars().count()) {
        return;
    }
    let jieba = lexicon::jieba();
    let joined = format!("{tail}{head}");
    let cut = tail.len();
    let mut pos = 0usize;
    for tok in jieba.cut(&joined, false) {
        let end = pos + tok.word.len();
        if pos < cut && end > cut && tok.word.chars().count() >= 2 {
            f[55] = 1.0;
            break;
        }
        pos = end;
    }
    if let Some(last) = jieba.tag(&tail, false).last() {
        let t = last.tag;
        if t.starts_with('u') || t == "p" || t == "c" || t == "d" {
            f[56] = 1.0;
        } else if t.starts_with('v') {
            f[57] = 1.0;
        }
    }
    let clause: usize = b
        .chars()
        .take_while(|c| !is_punct(*c) && !is_space(*c))
        .count();
    let after = b.chars().nth(clause);
    if clause > 0 && clause <= 3 && after.is_some_and(|c| is_pause(c) || is_sentence_final(c)) {
        f[58] = 1.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        let mut v: Vec<&str> = NAMES.to_vec();
        v.sort_unstable();
        v.dedup();
        assert_eq!(v.len(), N);
    }

    #[test]
    fn a_cut_word_is_a_seam_word() {
        let mut f = [0f32; N];
        seam("为推动改革走深走实，现提", "出如下意见。", &mut f);
        assert_eq!(f[55], 1.0);
        let mut g = [0f32; N];
        seam("这是一个完整的句子。", "另一个句子", &mut g);
        assert_eq!(g[55], 0.0);
    }
}
