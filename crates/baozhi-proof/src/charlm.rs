//! A character trigram model of Chinese news text (interpolated
//! Kneser-Ney in back-off form, `data/chargrams.tsv`, built by
//! `scripts/build-charlm.py` from the January 1998 People's Daily corpus and
//! the corpus articles outside the held-out fold).
//!
//! The word models judge words; OCR and extraction damage chars. A
//! misread char (`信息系绞`) or a dropped one (`积极展科学`) leaves chars side
//! by side that seldom meet, which the word models, to which a lone char is
//! a cheap word, notice less. The char model's gain is a cue of the
//! look-alike and omission readings ([`crate::channel::Reading`]). It reads
//! runs of Han chars framed by [`START`] and [`END`], as it was trained.

use crate::filter::BitFilter;
use baozhi_text::{dense_han_slot, DENSE_HAN_SLOTS};
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

const CHARGRAMS_TSV: &str = include_str!("../../../data/chargrams.tsv");

/// Frames a run of Han chars: what precedes its first char.
pub const START: char = '^';
/// What follows a run's last char.
pub const END: char = '$';
/// log10 probability of a char the corpus never shows.
const UNKNOWN_LOG10: f32 = -7.0;

/// Every look-up of a reading's score walks the back-off chain, and most
/// trigrams and many bigrams it asks for are not stored: a bit filter in
/// front of each map answers those misses from cache, and the unigrams of
/// the Han block are a dense table.
pub struct CharLm {
    /// (log10 P(c), log10 gamma(c)) of the chars of [`baozhi_text::DENSE_HAN`], by slot
    /// (NaN: unseen); the others (START, END, rare blocks) in `uni_rest`
    uni_dense: Vec<(f32, f32)>,
    uni_rest: FxHashMap<char, (f32, f32)>,
    /// bc -> (log10 P(c|b), log10 gamma(bc))
    bi: FxHashMap<u64, (f32, f32)>,
    /// abc -> log10 P(c|ab)
    tri: FxHashMap<u64, f32>,
    /// a bit per hashed stored bigram and trigram (256 KiB each): a clear
    /// bit proves the n-gram unstored
    bi_seen: BitFilter,
    tri_seen: BitFilter,
}

/// Bits of each n-gram filter: 256 KiB, about one bit in eight set.
const FILTER_ORDER: u32 = 21;

fn key2(b: char, c: char) -> u64 {
    (b as u64) << 21 | c as u64
}

fn key3(a: char, b: char, c: char) -> u64 {
    (a as u64) << 42 | key2(b, c)
}

impl CharLm {
    /// Parse the model's TSV (see `scripts/build-charlm.py`).
    pub fn parse(tsv: &str) -> CharLm {
        let mut m = CharLm {
            uni_dense: vec![(f32::NAN, f32::NAN); DENSE_HAN_SLOTS],
            uni_rest: FxHashMap::default(),
            bi: FxHashMap::default(),
            tri: FxHashMap::default(),
            bi_seen: BitFilter::new(FILTER_ORDER),
            tri_seen: BitFilter::new(FILTER_ORDER),
        };
        for line in tsv.lines().filter(|l| !l.starts_with('#')) {
            let mut f = line.split('\t');
            let (Some(order), Some(gram), Some(p)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            let Ok(p) = p.parse::<f32>() else { continue };
            let gamma = f.next().and_then(|g| g.parse::<f32>().ok()).unwrap_or(0.0);
            let cs: Vec<char> = gram.chars().collect();
            match (order, cs.as_slice()) {
                ("1", &[c]) => match dense_han_slot(c) {
                    Some(i) => m.uni_dense[i] = (p, gamma),
                    None => {
                        m.uni_rest.insert(c, (p, gamma));
                    }
                },
                ("2", &[b, c]) => {
                    m.bi.insert(key2(b, c), (p, gamma));
                    m.bi_seen.insert(key2(b, c));
                }
                ("3", &[a, b, c]) => {
                    m.tri.insert(key3(a, b, c), p);
                    m.tri_seen.insert(key3(a, b, c));
                }
                _ => {}
            }
        }
        m
    }

    /// (log10 P(c), log10 gamma(c)), if the corpus shows c.
    fn unigram(&self, c: char) -> Option<(f32, f32)> {
        match dense_han_slot(c) {
            Some(i) => Some(self.uni_dense[i]).filter(|u| !u.0.is_nan()),
            None => self.uni_rest.get(&c).copied(),
        }
    }

    /// The stored bigram row of `bc`.
    fn bigram_row(&self, b: char, c: char) -> Option<(f32, f32)> {
        let k = key2(b, c);
        if !self.bi_seen.may_contain(k) {
            return None;
        }
        self.bi.get(&k).copied()
    }

    /// log10 P(c | b).
    fn log10_bigram(&self, b: char, c: char) -> f32 {
        if let Some((p, _)) = self.bigram_row(b, c) {
            return p;
        }
        let gamma = self.unigram(b).map_or(0.0, |u| u.1);
        gamma + self.unigram(c).map_or(UNKNOWN_LOG10, |u| u.0)
    }

    /// log10 P(c | a b).
    pub fn log10_trigram(&self, a: char, b: char, c: char) -> f32 {
        let k = key3(a, b, c);
        if self.tri_seen.may_contain(k) {
            if let Some(&p) = self.tri.get(&k) {
                return p;
            }
        }
        let gamma = self.bigram_row(a, b).map_or(0.0, |x| x.1);
        gamma + self.log10_bigram(b, c)
    }

    /// log10 P(seq[k] | what precedes it in seq) for k in `from..`: the
    /// first char of `seq` is a context only.
    fn log10_tail(&self, seq: &[char], from: usize) -> f32 {
        (from.max(1)..seq.len())
            .map(|k| {
                if k >= 2 {
                    self.log10_trigram(seq[k - 2], seq[k - 1], seq[k])
                } else {
                    self.log10_bigram(seq[k - 1], seq[k])
                }
            })
            .sum()
    }

    /// Log-probability (nats) of the stretch of a run of Han chars that an
    /// edit touches: `run[lo..hi]` read as `with`, scored with the two
    /// chars before it as context and through the two chars after it (the
    /// ones whose context it changes). Compare two readings of the same
    /// span by their difference.
    pub fn log_prob_edit(&self, run: &[char], lo: usize, hi: usize, with: &[char]) -> f64 {
        // the stretch fits on the stack for the edits the readers make
        let mut seq: smallvec::SmallVec<[char; 16]> = smallvec::SmallVec::new();
        if lo < 2 {
            seq.push(START);
        }
        seq.extend_from_slice(&run[lo.saturating_sub(2)..lo]);
        let from = seq.len();
        seq.extend_from_slice(with);
        let right = (hi + 2).min(run.len());
        seq.extend_from_slice(&run[hi..right]);
        if hi + 2 > run.len() {
            seq.push(END);
        }
        f64::from(self.log10_tail(&seq, from)) * std::f64::consts::LN_10
    }

    /// [`Self::log_prob_edit`] of one char of `run` (at `at`) read as each
    /// of several others: what does not depend on the reading (the
    /// context's back-off weights, the two chars after it scored on their
    /// own) is looked up once. The same sums as `log_prob_edit`, term by
    /// term in the same order, so the same numbers.
    pub fn substitution<'a>(&'a self, run: &'a [char], at: usize) -> Substitution<'a> {
        let mut before: smallvec::SmallVec<[char; 3]> = smallvec::SmallVec::new();
        if at < 2 {
            before.push(START);
        }
        before.extend_from_slice(&run[at.saturating_sub(2)..at]);
        let mut after: smallvec::SmallVec<[char; 3]> = smallvec::SmallVec::new();
        after.extend_from_slice(&run[at + 1..(at + 3).min(run.len())]);
        if at + 3 > run.len() {
            after.push(END);
        }
        let p1 = before[before.len() - 1];
        let p0 = (before.len() >= 2).then(|| before[before.len() - 2]);
        Substitution {
            lm: self,
            p0,
            p1,
            gamma_p0p1: p0.map_or(0.0, |p0| self.bigram_row(p0, p1).map_or(0.0, |x| x.1)),
            gamma_p1: self.unigram(p1).map_or(0.0, |u| u.1),
            s0: after.first().copied(),
            uni_s0: after.first().map_or(UNKNOWN_LOG10, |&c| {
                self.unigram(c).map_or(UNKNOWN_LOG10, |u| u.0)
            }),
            s1: after.get(1).copied(),
            bigram_s0s1: match (after.first(), after.get(1)) {
                (Some(&a), Some(&b)) => self.log10_bigram(a, b),
                _ => 0.0,
            },
        }
    }

    /// Whether the corpus may show `b` before `c`: false proves it never
    /// does, true may be a collision (about one in eight).
    pub fn may_have_bigram(&self, b: char, c: char) -> bool {
        self.bi_seen.may_contain(key2(b, c))
    }
}

/// One char's context, for scoring readings of it ([`CharLm::substitution`]).
pub struct Substitution<'a> {
    lm: &'a CharLm,
    /// the char two before (absent when the one before is the run's start)
    p0: Option<char>,
    /// the char before (or [`START`])
    p1: char,
    gamma_p0p1: f32,
    gamma_p1: f32,
    /// the char after (or [`END`]), and the one after that
    s0: Option<char>,
    uni_s0: f32,
    s1: Option<char>,
    bigram_s0s1: f32,
}

impl Substitution<'_> {
    /// Log-probability (nats) of the stretch with `y` read at the place.
    pub fn log_prob(&self, y: char) -> f64 {
        let m = self.lm;
        // P(y | p0 p1), or P(y | p1) when p1 is the run's start
        let mut sum = match self.p0 {
            Some(p0) => {
                let k = key3(p0, self.p1, y);
                match (m.tri_seen.may_contain(k)).then(|| m.tri.get(&k)).flatten() {
                    Some(&p) => p,
                    None => self.gamma_p0p1 + self.bigram_from_p1(y),
                }
            }
            None => self.bigram_from_p1(y),
        };
        if let Some(s0) = self.s0 {
            // the row of `y s0`, which both back-offs below read: looked up
            // once, when the first of them needs it
            let mut row_ys0 = None;
            let mut ys0 = || *row_ys0.get_or_insert_with(|| m.bigram_row(y, s0));
            // P(s0 | p1 y)
            let k = key3(self.p1, y, s0);
            sum += match (m.tri_seen.may_contain(k)).then(|| m.tri.get(&k)).flatten() {
                Some(&p) => p,
                None => {
                    let gamma = m.bigram_row(self.p1, y).map_or(0.0, |x| x.1);
                    let bigram = match ys0() {
                        Some((p, _)) => p,
                        None => m.unigram(y).map_or(0.0, |u| u.1) + self.uni_s0,
                    };
                    gamma + bigram
                }
            };
            if let Some(s1) = self.s1 {
                // P(s1 | y s0)
                let k = key3(y, s0, s1);
                sum += match (m.tri_seen.may_contain(k)).then(|| m.tri.get(&k)).flatten() {
                    Some(&p) => p,
                    None => ys0().map_or(0.0, |x| x.1) + self.bigram_s0s1,
                };
            }
        }
        f64::from(sum) * std::f64::consts::LN_10
    }

    /// log10 P(y | p1).
    fn bigram_from_p1(&self, y: char) -> f32 {
        match self.lm.bigram_row(self.p1, y) {
            Some((p, _)) => p,
            None => self.gamma_p1 + self.lm.unigram(y).map_or(UNKNOWN_LOG10, |u| u.0),
        }
    }
}

/// The model, parsed on first use.
pub fn model() -> &'static CharLm {
    static M: OnceLock<CharLm> = OnceLock::new();
    M.get_or_init(|| CharLm::parse(CHARGRAMS_TSV))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_substitution_scores_as_the_edit_does() {
        // every place of own runs (short ones too: the run's ends pad the
        // context), each read as chars the model knows and one it does not
        let m = model();
        for text in [
            "县里新建的图书馆今天正式开放",
            "农机",
            "浙",
            "南水北调中线工程通水",
        ] {
            let run: Vec<char> = text.chars().collect();
            for at in 0..run.len() {
                let sub = m.substitution(&run, at);
                for y in ['淅', '的', '馆', '龘', run[at]] {
                    let edit = m.log_prob_edit(&run, at, at + 1, &[y]);
                    assert_eq!(sub.log_prob(y).to_bits(), edit.to_bits(), "{text} {at} {y}");
                }
            }
        }
    }

    #[test]
    fn back_off_follows_the_stored_weights() {
        let m = CharLm::parse(
            "# toy\n1\t^\t-99\t-0.5\n1\t甲\t-1.0\t-0.2\n1\t乙\t-1.5\t-0.1\n1\t$\t-1.0\t0\n\
             2\t^甲\t-0.3\t-0.4\n2\t甲乙\t-0.6\t-0.3\n3\t^甲乙\t-0.1\n",
        );
        assert_eq!(m.log10_trigram('^', '甲', '乙'), -0.1);
        // unseen trigram: gamma(甲乙) + P(甲|乙) backing off to gamma(乙) + P(甲)
        assert!((m.log10_trigram('甲', '乙', '甲') - (-0.3 - 0.1 - 1.0)).abs() < 1e-6);
        // unseen context: no weight
        assert!((m.log10_trigram('乙', '乙', '乙') - (-0.1 - 1.5)).abs() < 1e-6);
        // a char the corpus never shows gets the floor
        assert!((m.log10_trigram('乙', '乙', '丙') - (-0.1 + UNKNOWN_LOG10)).abs() < 1e-6);
        assert!(m.may_have_bigram('甲', '乙'));
        assert!(!m.may_have_bigram('乙', '甲'));
    }

    #[test]
    fn damaged_text_scores_lower() {
        let m = model();
        let run: Vec<char> = "我们要积极开展科学研究".chars().collect();
        let dropped: Vec<char> = "我们要积极展科学研究".chars().collect();
        // the gap after 积极: putting 开 back gains, putting 发 back gains less
        let gap = 5;
        let base = m.log_prob_edit(&dropped, gap, gap, &[]);
        let with = |c: char| m.log_prob_edit(&dropped, gap, gap, &[c]) - base;
        assert!(with('开') > 2.0, "{}", with('开'));
        assert!(with('开') > with('发'));
        // a look-alike: 系统 reads far better than 系绞
        let misread: Vec<char> = "新的信息管理系绞效率".chars().collect();
        let at = 7;
        let gain = m.log_prob_edit(&misread, at, at + 1, &['统'])
            - m.log_prob_edit(&misread, at, at + 1, &['绞']);
        assert!(gain > 5.0, "{gain}");
        // putting the char back scores the stretch as the intact run does
        let intact = m.log_prob_edit(&run, gap, gap + 1, &['开']);
        assert!((m.log_prob_edit(&dropped, gap, gap, &['开']) - intact).abs() < 1e-9);
    }
}
