//! A word-bigram language model with Katz back-off: the open-gram model of
//! Debian's sunpinyin-data (CC BY-SA 3.0), pruned to its Han-word bigrams by
//! `scripts/build-bigrams.py`. Unlike the unigram model it sees context:
//! P(经济|发展) against P(经济|发).

use baozhi_text::{dense_han_slot, DENSE_HAN_SLOTS};
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

const UNIGRAMS_TSV: &str = include_str!("../../../data/unigrams.tsv");
const BIGRAMS_TSV: &str = include_str!("../../../data/bigrams.tsv");

/// log10 P of a word the model has never seen (sunpinyin's own floor).
const UNKNOWN_LOG10: f32 = -12.2234;
/// Trie node that ends no word.
const NO_WORD: u32 = u32::MAX;
/// The trie's root: no chars read yet.
pub const ROOT: u32 = 0;

/// The model. Words live in a char trie so that segmenting a window walks
/// each prefix once and stops where no word continues; look-ups hash ints,
/// not strings, because the proofreader scores thousands of windows a page.
#[derive(Debug)]
pub struct Bigrams {
    /// (node, next char) → child node; node 0 is the root.
    children: FxHashMap<(u32, char), u32>,
    /// word id ending at each node, or NO_WORD
    node_word: Vec<u32>,
    words: Vec<String>,
    /// log10 P(word), log10 back-off weight as w1.
    uni: Vec<(f32, f32)>,
    bi: FxHashMap<(u32, u32), f32>,
    /// log10 P of each char of [`baozhi_text::DENSE_HAN`] as a one-char
    /// word (NaN: not a word): a dense table the proofreader reads for every
    /// weak char, small enough to stay in cache, unlike the trie.
    han_unigram: Vec<f32>,
    /// log10 P of each char of the block anywhere in a word: the summed
    /// probability of the words that contain it (NaN: in none).
    han_total: Vec<f32>,
}

/// [`Bigrams::char_boundness`] of a char never seen alone.
pub const NEVER_ALONE: f32 = -4.0;

impl Default for Bigrams {
    fn default() -> Self {
        Bigrams {
            children: FxHashMap::default(),
            node_word: vec![NO_WORD],
            words: Vec::new(),
            uni: Vec::new(),
            bi: FxHashMap::default(),
            han_unigram: vec![f32::NAN; DENSE_HAN_SLOTS],
            han_total: vec![f32::NAN; DENSE_HAN_SLOTS],
        }
    }
}

impl Bigrams {
    pub fn parse(unigrams: &str, bigrams: &str) -> Bigrams {
        let mut m = Bigrams::default();
        for line in unigrams.lines().filter(|l| !l.starts_with('#')) {
            let mut f = line.split('\t');
            let (Some(w), Some(p), Some(b)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            let (Ok(p), Ok(b)) = (p.trim().parse::<f32>(), b.trim().parse::<f32>()) else {
                continue;
            };
            if w.is_empty() || m.id(w).is_some() {
                continue;
            }
            let id = m.words.len() as u32;
            let mut node = 0u32;
            for c in w.chars() {
                node = match m.children.get(&(node, c)) {
                    Some(&n) => n,
                    None => {
                        let n = m.node_word.len() as u32;
                        m.node_word.push(NO_WORD);
                        m.children.insert((node, c), n);
                        n
                    }
                };
            }
            m.node_word[node as usize] = id;
            let mut chars = w.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                if let Some(i) = dense_han_slot(c) {
                    m.han_unigram[i] = p;
                }
            }
            m.words.push(w.to_string());
            m.uni.push((p, b));
        }
        let mut total = vec![0f64; m.han_total.len()];
        for (w, (p, _)) in m.words.iter().zip(&m.uni) {
            for c in w.chars() {
                if let Some(i) = dense_han_slot(c) {
                    total[i] += 10f64.powf(*p as f64);
                }
            }
        }
        for (t, v) in m.han_total.iter_mut().zip(total) {
            if v > 0.0 {
                *t = v.log10() as f32;
            }
        }
        for line in bigrams.lines().filter(|l| !l.starts_with('#')) {
            let mut f = line.split('\t');
            let (Some(a), Some(b), Some(p)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            let (Some(a), Some(b), Ok(p)) = (m.id(a), m.id(b), p.trim().parse::<f32>()) else {
                continue;
            };
            m.bi.insert((a, b), p);
        }
        m
    }

    /// The vocabulary with each word's log10 unigram probability.
    pub fn words(&self) -> impl Iterator<Item = (&str, f32)> {
        self.words
            .iter()
            .zip(&self.uni)
            .map(|(w, u)| (w.as_str(), u.0))
    }

    /// log10 unigram probability of a word id.
    pub fn unigram(&self, id: u32) -> f32 {
        self.uni[id as usize].0
    }

    pub fn word(&self, id: u32) -> &str {
        &self.words[id as usize]
    }

    /// The trie node after `node` on `c` ([`ROOT`] starts a word).
    pub fn child(&self, node: u32, c: char) -> Option<u32> {
        self.children.get(&(node, c)).copied()
    }

    /// The word ending at a trie node, if one does.
    pub fn word_at(&self, node: u32) -> Option<u32> {
        let id = self.node_word[node as usize];
        (id != NO_WORD).then_some(id)
    }

    /// log10 P of a one-char word, if the char is one.
    pub fn char_unigram(&self, c: char) -> Option<f32> {
        if let Some(i) = dense_han_slot(c) {
            let p = self.han_unigram[i];
            return (!p.is_nan()).then_some(p);
        }
        self.id_of_char(c).map(|id| self.unigram(id))
    }

    /// How bound a char is: log10 of the share of its uses (as a word or
    /// inside one) where it stands alone as a word. 绍 stands alone in a
    /// few per cent of its uses, 把 in most. A char found only inside
    /// words gets [`NEVER_ALONE`]; one the model does not know, 0.
    pub fn char_boundness(&self, c: char) -> f32 {
        let Some(i) = dense_han_slot(c) else {
            return 0.0;
        };
        match (self.han_unigram[i], self.han_total[i]) {
            (_, t) if t.is_nan() => 0.0,
            (a, _) if a.is_nan() => NEVER_ALONE,
            (a, t) => (a - t).clamp(NEVER_ALONE, 0.0),
        }
    }

    /// The id of a one-char word.
    pub fn id_of_char(&self, c: char) -> Option<u32> {
        self.child(ROOT, c).and_then(|n| self.word_at(n))
    }

    pub fn id(&self, w: &str) -> Option<u32> {
        let mut node = 0u32;
        for c in w.chars() {
            node = self.child(node, c)?;
        }
        let id = self.node_word[node as usize];
        (id != NO_WORD).then_some(id)
    }

    /// log10 P(w2 | w1) with back-off; `None` ids are unknown words.
    pub fn cond(&self, w1: Option<u32>, w2: Option<u32>) -> f32 {
        let Some(w2) = w2 else { return UNKNOWN_LOG10 };
        if let Some(w1) = w1 {
            if let Some(p) = self.bi.get(&(w1, w2)) {
                return *p;
            }
            return self.uni[w1 as usize].1 + self.uni[w2 as usize].0;
        }
        self.uni[w2 as usize].0
    }

    /// log10 probability of a text along its best segmentation under the
    /// model (Viterbi over the model's own vocabulary, bigram states).
    pub fn log10_prob(&self, text: &str) -> f32 {
        let cs: Vec<char> = text.chars().collect();
        self.log10_prob_chars(&cs)
    }

    /// [`Self::log10_prob`] over chars.
    pub fn log10_prob_chars(&self, cs: &[char]) -> f32 {
        // The proofreader scores thousands of short windows per page: keep
        // the lattice's buffers per thread instead of allocating per call.
        thread_local! {
            static LATTICE: std::cell::RefCell<Vec<Vec<(u32, f32)>>> =
                const { std::cell::RefCell::new(Vec::new()) };
        }
        LATTICE.with(|l| self.viterbi(cs, &mut l.borrow_mut()))
    }

    /// Best segmentation score; `best[i]` holds, for segmentations of
    /// `cs[..i]`, the best score by last word (NO_WORD: an unknown char).
    fn viterbi(&self, cs: &[char], best: &mut Vec<Vec<(u32, f32)>>) -> f32 {
        let n = cs.len();
        if n == 0 {
            return 0.0;
        }
        if best.len() < n + 1 {
            best.resize_with(n + 1, Vec::new);
        }
        for b in best.iter_mut().take(n + 1) {
            b.clear();
        }
        const START: u32 = u32::MAX - 1;
        best[0].push((START, 0.0));
        let id_of = |w: u32| (w < START).then_some(w);
        for i in 0..n {
            if best[i].is_empty() {
                continue;
            }
            let states = std::mem::take(&mut best[i]);
            let mut node = Some(0u32);
            for j in i + 1..=n {
                node = node.and_then(|nd| self.child(nd, cs[j - 1]));
                let word = node.map_or(NO_WORD, |nd| self.node_word[nd as usize]);
                // an unknown char stands alone; longer spans must be words
                if word == NO_WORD && j > i + 1 {
                    if node.is_none() {
                        break;
                    }
                    continue;
                }
                let id = id_of(word);
                let score = states
                    .iter()
                    .map(|&(prev, s)| s + self.cond(id_of(prev), id))
                    .fold(f32::MIN, f32::max);
                let slot = &mut best[j];
                match slot.iter_mut().find(|(w, _)| *w == word) {
                    Some(e) if e.1 < score => e.1 = score,
                    Some(_) => {}
                    None => slot.push((word, score)),
                }
                if node.is_none() {
                    break;
                }
            }
            best[i] = states;
        }
        best[n].iter().map(|(_, s)| *s).fold(f32::MIN, f32::max)
    }
}

pub fn model() -> &'static Bigrams {
    static M: OnceLock<Bigrams> = OnceLock::new();
    M.get_or_init(|| Bigrams::parse(UNIGRAMS_TSV, BIGRAMS_TSV))
}

/// Natural-log probability of a text under the bigram model.
pub fn log_prob(text: &str) -> f64 {
    model().log10_prob(text) as f64 * std::f64::consts::LN_10
}

/// [`log_prob`] over chars.
pub fn log_prob_chars(cs: &[char]) -> f64 {
    model().log10_prob_chars(cs) as f64 * std::f64::consts::LN_10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_prefers_the_right_reading() {
        assert!(log_prob("发展经济") > log_prob("发经济"));
        assert!(log_prob("虽有着悠久的历史") > log_prob("虽有有着悠久的历史"));
        assert!(log_prob("已经完成") > log_prob("己经完成"));
        assert!(log_prob("") == 0.0);
    }

    #[test]
    fn the_dense_char_table_agrees_with_the_trie() {
        let m = model();
        for c in ['的', '淅', '国', 'a', '㐀'] {
            assert_eq!(
                m.char_unigram(c),
                m.id_of_char(c).map(|id| m.unigram(id)),
                "{c}"
            );
        }
        assert!(m.char_unigram('的').is_some_and(|p| p > -3.0));
    }

    #[test]
    fn boundness_is_the_share_of_uses_alone() {
        // 介 alone: 0.01 of 0.11 (alone or in 绍介); 绍 never alone
        let m = Bigrams::parse("绍介\t-1\t0\n介\t-2\t0\n", "");
        assert!((m.char_boundness('介') - (0.01f32 / 0.11).log10()).abs() < 1e-4);
        assert_eq!(m.char_boundness('绍'), NEVER_ALONE);
        assert_eq!(m.char_boundness('把'), 0.0);
        assert_eq!(m.char_boundness('a'), 0.0);
        // in the real model a bound morpheme is more bound than a free word
        let m = model();
        assert!(m.char_boundness('绍') < m.char_boundness('把') - 0.5);
    }

    #[test]
    fn backoff_uses_the_unigram_and_weight() {
        let m = Bigrams::parse("a\t-1\t-0.5\nb\t-2\t0\n", "a\tb\t-0.3\n");
        let (a, b) = (m.id("a"), m.id("b"));
        assert_eq!(m.cond(a, b), -0.3);
        assert_eq!(m.cond(b, a), 0.0 + -1.0);
        assert_eq!(m.cond(a, None), UNKNOWN_LOG10);
    }
}
