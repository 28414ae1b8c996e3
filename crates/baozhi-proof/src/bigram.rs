//! A word-bigram language model with Katz back-off: the open-gram model of
//! Debian's sunpinyin-data (CC BY-SA 3.0), pruned to its Han-word bigrams by
//! `scripts/build-bigrams.py`. Unlike the unigram model it sees context:
//! P(经济|发展) against P(经济|发).

use std::collections::HashMap;
use std::sync::OnceLock;

const UNIGRAMS_TSV: &str = include_str!("../../../data/unigrams.tsv");
const BIGRAMS_TSV: &str = include_str!("../../../data/bigrams.tsv");

/// log10 P of a word the model has never seen (sunpinyin's own floor).
const UNKNOWN_LOG10: f32 = -12.2234;

#[derive(Debug, Default)]
pub struct Bigrams {
    ids: HashMap<String, u32>,
    /// log10 P(word), log10 back-off weight as w1.
    uni: Vec<(f32, f32)>,
    bi: HashMap<(u32, u32), f32>,
    max_word_chars: usize,
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
            m.max_word_chars = m.max_word_chars.max(w.chars().count());

            m.ids.insert(w.to_string(), m.uni.len() as u32);
            m.uni.push((p, b));
        }
        for line in bigrams.lines().filter(|l| !l.starts_with('#')) {
            let mut f = line.split('\t');
            let (Some(a), Some(b), Some(p)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            let (Some(&a), Some(&b), Ok(p)) = (m.ids.get(a), m.ids.get(b), p.trim().parse::<f32>())
            else {
                continue;
            };
            m.bi.insert((a, b), p);
        }
        m
    }

    pub fn id(&self, w: &str) -> Option<u32> {
        self.ids.get(w).copied()
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
        let n = cs.len();
        if n == 0 {
            return 0.0;
        }
        // best[i]: for segmentations of cs[..i], the best score by last word
        let mut best: Vec<Vec<(Option<u32>, f32)>> = vec![Vec::new(); n + 1];
        best[0].push((None, 0.0));
        for i in 0..n {
            if best[i].is_empty() {
                continue;
            }
            let states = std::mem::take(&mut best[i]);
            let mut word = String::new();
            for j in i + 1..=(i + self.max_word_chars).min(n) {
                word.push(cs[j - 1]);
                let id = self.id(&word);
                if id.is_none() && j > i + 1 {
                    continue;
                }
                let score = states
                    .iter()
                    .map(|(prev, s)| s + self.cond(*prev, id))
                    .fold(f32::MIN, f32::max);
                let slot = &mut best[j];
                match slot.iter_mut().find(|(w, _)| *w == id) {
                    Some(e) if e.1 < score => e.1 = score,
                    Some(_) => {}
                    None => slot.push((id, score)),
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
    fn backoff_uses_the_unigram_and_weight() {
        let m = Bigrams::parse("a\t-1\t-0.5\nb\t-2\t0\n", "a\tb\t-0.3\n");
        let (a, b) = (m.id("a"), m.id("b"));
        assert_eq!(m.cond(a, b), -0.3);
        assert_eq!(m.cond(b, a), 0.0 + -1.0);
        assert_eq!(m.cond(a, None), UNKNOWN_LOG10);
    }
}
