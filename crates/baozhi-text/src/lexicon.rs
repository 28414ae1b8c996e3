//! The Chinese word lexicon: jieba-rs's dictionary (MIT licence; words with
//! frequencies and parts of speech), loaded once per process.

use jieba_rs::Jieba;
use std::sync::OnceLock;

static JIEBA: OnceLock<Jieba> = OnceLock::new();

/// The shared segmenter with its default dictionary.
pub fn jieba() -> &'static Jieba {
    JIEBA.get_or_init(Jieba::new)
}

/// Whether `word` is in the lexicon.
pub fn is_word(word: &str) -> bool {
    jieba().has_word(word)
}

/// Whether some word of the lexicon spans the seam between `left` and
/// `right`: it takes at least one char from each side. Used to tell a
/// sentence cut in mid-word (`现提|出如下`) from two independent blocks.
pub fn word_across(left: &str, right: &str, max_len: usize) -> Option<String> {
    let l: Vec<char> = left
        .chars()
        .rev()
        .take(max_len - 1)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let r: Vec<char> = right.chars().take(max_len - 1).collect();
    let mut best: Option<String> = None;
    for i in 0..l.len() {
        for j in 1..=r.len() {
            let n = (l.len() - i) + j;
            if n > max_len || n < 2 {
                continue;
            }
            let w: String = l[i..].iter().chain(r[..j].iter()).collect();
            if !w.chars().all(crate::is_han) {
                continue;
            }
            if is_word(&w) && best.as_ref().is_none_or(|b| b.chars().count() < n) {
                best = Some(w);
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_words_across_a_cut() {
        assert_eq!(
            word_across("现提", "出如下意见", 4).as_deref(),
            Some("提出")
        );
        assert!(word_across("改造升", "级。", 4).is_some());
        assert!(
            word_across("装箱……", "浙川县", 4).is_none(),
            "punctuation never forms a word"
        );
    }
}
