//! A statistical language model of Chinese words: the unigram model of
//! jieba-rs's dictionary (word frequencies over a corpus of ~60 million
//! tokens), scored along jieba's most probable segmentation.

use baozhi_text::lexicon::jieba;
use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;

/// Sum of all frequencies in jieba's dict.txt (the model's corpus size).
const TOTAL: f64 = 60_101_967.0;

/// Corpus frequency of a word as the segmenter uses it: 0 when unknown, and
/// 0 when the segmenter prefers to split it (`虽有` → 虽/有), since then
/// the word does not vouch for the text.
pub fn freq(word: &str) -> usize {
    // Many look-ups repeat within a page; jieba-rs answers each with a
    // segmentation, so remember the answers (bounded, per thread).
    thread_local! {
        static CACHE: RefCell<HashMap<String, usize>> = RefCell::new(HashMap::default());
    }
    if let Some(f) = CACHE.with(|c| c.borrow().get(word).copied()) {
        return f;
    }
    let f = freq_uncached(word);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() > 200_000 {
            c.clear();
        }
        c.insert(word.to_string(), f);
    });
    f
}

fn freq_uncached(word: &str) -> usize {
    let j = jieba();
    if !j.has_word(word) {
        return 0;
    }
    // jieba-rs exposes a word's frequency through suggest_freq, which is
    // freq + 1 exactly when the best segmentation keeps the word whole.
    let whole = word.chars().count() == 1 || j.cut(word, false).len() == 1;
    if whole {
        j.suggest_freq(word).saturating_sub(1)
    } else {
        0
    }
}

/// A pair of chars as one key (both code points whole).
pub(crate) fn pair_key(a: char, b: char) -> u64 {
    (a as u64) << 32 | b as u64
}

/// log10 probability of the two-char word `ab` under the unigram model
/// (-12 unknown). The look-alike search asks this of many pairs that are
/// no word, so the answers are kept by pair, without building strings.
pub fn pair_log10(a: char, b: char) -> f32 {
    thread_local! {
        static PAIRS: RefCell<HashMap<u64, f32>> = RefCell::new(HashMap::default());
    }
    let key = pair_key(a, b);
    if let Some(p) = PAIRS.with(|c| c.borrow().get(&key).copied()) {
        return p;
    }
    let word: String = [a, b].iter().collect();
    let p = match freq_uncached(&word) {
        0 => -12.0,
        f => (f as f64 / TOTAL).log10() as f32,
    };
    PAIRS.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() > 500_000 {
            c.clear();
        }
        c.insert(key, p);
    });
    p
}

/// Log-probability of a text under the unigram model, along its best
/// segmentation; unknown chars get frequency 1 (add-one).
pub fn log_prob(text: &str) -> f64 {
    let ln_total = TOTAL.ln();
    jieba()
        .cut(text, false)
        .iter()
        .map(|t| (freq(t.word).max(1) as f64).ln() - ln_total)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequent_words_and_better_texts_score_higher() {
        assert!(freq("有着") > 1000);
        assert_eq!(freq("有有"), 0);
        assert_eq!(pair_log10('有', '有'), -12.0);
        let p = pair_log10('有', '着');
        assert!((p - (freq("有着") as f64 / TOTAL).log10() as f32).abs() < 1e-6);
        assert!(log_prob("虽有着四十多年") > log_prob("虽有有着四十多年"));
        assert!(log_prob("淅川县") > log_prob("浙川县"));
    }
}
