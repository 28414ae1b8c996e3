//! Stage 3: the seam model. Page extraction cuts paragraphs at column ends
//! and drops other blocks (captions, labels) into the gaps; whether two text
//! fragments are one printed paragraph is decided from features of the seam
//! between them, each adding log-odds-like evidence for or against a join.

use baozhi_text::{
    ends_sentence, is_closing, is_opening, is_pause, is_sentence_final, is_space, lexicon,
};

/// Evidence that fragment `b` continues fragment `a` in the same paragraph.
/// Positive means join. The weights are set by hand from how Chinese print
/// breaks lines; each is documented where it is added.
pub fn join_score(a: &str, b: &str) -> f32 {
    join_score_hinted(a, b, SeamHint::default())
}

/// What the page's shape says about a seam, where the page has a shape:
/// OCR output keeps printed lines, so a page may indent its paragraphs and
/// set its text in lines of one width.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SeamHint {
    /// The page indents paragraphs: whether `b` is indented.
    pub b_indented: Option<bool>,
    /// The page has a column width: whether `a` fills its line.
    pub a_full: Option<bool>,
}

/// [`join_score`] with the evidence of the page's shape.
pub fn join_score_hinted(a: &str, b: &str, hint: SeamHint) -> f32 {
    let a = a.trim_end_matches(is_space);
    let b = b.trim_start_matches(is_space);
    let (Some(a_last), Some(b_first)) = (a.chars().last(), b.chars().next()) else {
        return -10.0;
    };
    let mut s = 0.0f32;

    // A kicker (`……——`) stands above its title; a dateline opens a paragraph.
    if a.ends_with("——") || a.ends_with('—') && !a.ends_with("——") && a.chars().count() <= 30
    {
        return -3.0;
    }
    if crate::cues::dateline_at_start(b).is_some() {
        return -5.0;
    }
    // A line opening with a dash is a subtitle or a signature (`——编者`).
    if b.starts_with("——") {
        return -2.0;
    }

    // Indentation opens a paragraph; an unindented line goes on with the
    // last. A line that fills the column was cut by it; a short one ended.
    match hint.b_indented {
        Some(true) => s -= 4.0,
        Some(false) => s += 4.0,
        None => {}
    }
    match hint.a_full {
        Some(true) => s += 1.5,
        Some(false) => s -= 3.0,
        None => {}
    }

    // How the first fragment ends: a paragraph never ends on a comma, and
    // rarely without any punctuation; it usually ends a sentence.
    if ends_sentence(a) {
        s -= if matches!(a_last, '；' | ';') {
            2.5
        } else {
            3.0
        };
    } else if is_pause(a_last) {
        s += 3.0;
    } else if is_closing(a_last) {
        s += 0.5;
    } else {
        s += 1.5;
    }

    // How the second begins: a fragment that opens with punctuation is the
    // tail of a cut sentence; an opening quote or a list marker usually starts anew.
    if is_sentence_final(b_first) || is_pause(b_first) || is_closing(b_first) {
        s += 4.0;
    } else if is_opening(b_first) {
        s -= 1.0;
    }
    if crate::cues::is_paragraph_opener(b) {
        s -= 2.5;
    }
    if ends_sentence(a) {
        return s;
    }

    // The lexicon: a word that straddles the seam (`现提|出如下` → 提出) is
    // strong evidence of a cut in mid-sentence.
    let window = SeamWindow::of(a, b);
    if window.word_across() {
        s += 2.0;
    }

    // The last word's part of speech: a preposition, conjunction, particle or
    // adverb cannot end a paragraph; a verb rarely does.
    match window.last_word() {
        LastWord::Function => s += 1.0,
        LastWord::Verb => s += 0.5,
        LastWord::Other => {}
    }

    // A very short first clause in `b` (`部署，`, `级。`) is the rest of a
    // word or phrase, unless it is a time word or connective that opens sentences.
    let clause: String = b
        .chars()
        .take_while(|c| !baozhi_text::is_punct(*c) && !is_space(*c))
        .collect();
    let clause_len = clause.chars().count();
    let clause_end = b.chars().nth(clause_len);
    let ends_clause = clause_end.is_some_and(|c| is_pause(c) || is_sentence_final(c));
    if clause_len > 0 && clause_len <= 4 && ends_clause {
        let first_tag = lexicon::jieba()
            .tag(&clause, true)
            .first()
            .map(|t| t.tag.to_string())
            .unwrap_or_default();
        if matches!(first_tag.as_str(), "t" | "c" | "r" | "m" | "f" | "p") {
            s -= 0.5;
        } else if clause_len <= 3 {
            s += 1.5;
        } else {
            s += 0.5;
        }
    }
    // Latin or digits on both sides (`AI Drive大|模型`): a cut inside a run.
    if a_last.is_ascii_alphanumeric() && b_first.is_ascii_alphanumeric() {
        s += 1.0;
    }
    s
}

/// How many chars on each side of a seam the lexicon reads.
const SEAM_WINDOW: usize = 6;

/// The chars on both sides of a seam between two fragments, as the
/// lexicon reads them: the rules' join score and the line model's seam
/// features ([`crate::features`]) ask the same two questions of it.
pub(crate) struct SeamWindow {
    tail: String,
    head: String,
}

/// The part of speech of the last word before a seam, in the classes that
/// tell whether a sentence can end there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LastWord {
    /// A particle, preposition, conjunction or adverb: no sentence ends on one.
    Function,
    /// A verb: a sentence rarely ends on one.
    Verb,
    Other,
}

impl SeamWindow {
    pub(crate) fn of(a: &str, b: &str) -> SeamWindow {
        SeamWindow {
            tail: tail_chars(a, SEAM_WINDOW),
            head: b.chars().take(SEAM_WINDOW).collect(),
        }
    }

    /// Whether the segmenter puts a word of two or more chars across the
    /// seam (`现提|出如下` → 提出): strong evidence of a cut mid-sentence.
    pub(crate) fn word_across(&self) -> bool {
        let joined = format!("{}{}", self.tail, self.head);
        let seam = self.tail.len();
        let mut pos = 0usize;
        for tok in lexicon::jieba().cut(&joined, false) {
            let end = pos + tok.word.len();
            if pos < seam && end > seam && tok.word.chars().count() >= 2 {
                return true;
            }
            pos = end;
        }
        false
    }

    /// The class of the last word before the seam.
    pub(crate) fn last_word(&self) -> LastWord {
        match lexicon::jieba()
            .tag(&self.tail, false)
            .last()
            .map(|t| t.tag)
        {
            Some(t) if t.starts_with('u') || t == "p" || t == "c" || t == "d" => LastWord::Function,
            Some(t) if t.starts_with('v') => LastWord::Verb,
            _ => LastWord::Other,
        }
    }
}

fn tail_chars(s: &str, n: usize) -> String {
    // from the end: `s` is often a whole paragraph
    let start = s
        .char_indices()
        .rev()
        .take(n)
        .last()
        .map_or(s.len(), |(i, _)| i);
    s[start..].to_string()
}

/// Whether `b` joins `a`.
pub fn joins(a: &str, b: &str) -> bool {
    join_score(a, b) > JOIN_THRESHOLD
}

/// Whether `b` joins `a`, given the page's shape.
pub fn joins_hinted(a: &str, b: &str, hint: SeamHint) -> bool {
    join_score_hinted(a, b, hint) > JOIN_THRESHOLD
}

pub const JOIN_THRESHOLD: f32 = 0.5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_chars_counts_chars_not_bytes() {
        assert_eq!(tail_chars("现提出如下意见", 2), "意见");
        assert_eq!(tail_chars("a提b", 2), "提b");
        assert_eq!(tail_chars("提出", 6), "提出");
        assert_eq!(tail_chars("", 3), "");
        assert_eq!(tail_chars("提出", 0), "");
    }

    #[test]
    fn cuts_inside_a_word_join() {
        assert!(joins("为推动改革走深走实,现提", "出如下意见。"));
        assert!(joins("除了摊主们的自觉,还离不开三次改造升", "级。"));
        assert!(joins(
            "数字化仰仗强大的“智慧中枢”",
            "。通过文物数字化采集技术"
        ));
    }

    #[test]
    fn cuts_at_word_boundaries_inside_a_sentence_join() {
        assert!(joins(
            "全面贯彻党的二十届二中全会和二十届三中全会",
            "精神,深入贯彻重要论述"
        ));
        assert!(joins("我们把学习当作一种习惯,", "不断提升能力水平。"));
    }

    #[test]
    fn indentation_and_line_fullness_decide_on_wrapped_pages() {
        let wrapped = SeamHint {
            b_indented: Some(false),
            a_full: Some(true),
        };
        assert!(joins_hinted(
            "工作总基调,主要经济指标实现良好开局。",
            "会议指出今年以来全市上下",
            wrapped
        ));
        let new_para = SeamHint {
            b_indented: Some(true),
            a_full: Some(true),
        };
        assert!(!joins_hinted(
            "工作总基调,主要经济指标实现良好",
            "会议指出今年以来全市上下",
            new_para
        ));
        let short_end = SeamHint {
            b_indented: Some(false),
            a_full: Some(false),
        };
        assert!(!joins_hinted("标稳中有进。", "城市更新一线行", short_end));
    }

    #[test]
    fn sentence_ends_and_new_openers_do_not_join() {
        assert!(!joins(
            "采摘、入筐、搬运、分拣、装箱……",
            "该县是南水北调中线工程渠首所在地。"
        ));
        assert!(!joins("分类探索差异化发展模式。", "一是压实责任促落实。"));
        assert!(!joins("这段话没有句号却自成一段", "“引号开头的新段落。”"));
    }
}
