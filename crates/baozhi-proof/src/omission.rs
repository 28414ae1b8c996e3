//! Dropped chars (`完善基础施建设` for 基础设施): a gap next to a char the
//! segmenter leaves stranded, where the article itself, elsewhere, puts a
//! char between the same two (`基础设施` two paragraphs on).
//!
//! A news article repeats its terms, so the article's own trigrams
//! ([`ArticleGrams`]) propose the fills; the char model, the word models
//! and the lexicon then weigh each like a look-alike reading, and a
//! logistic model fitted on injected drops gives the confidence.
//!
//! Fills proposed by the char model alone (every char the corpus shows
//! between the two) were tried: with them, a fifth of the injected drops got
//! the right fill as their best reading, but clean text offered as many
//! fills that looked as good, so at confidence 0.8 they found six drops more
//! and cost a third of the proofreader's speed. A drop the article does not
//! echo needs a stronger model of the language than an n-gram model of
//! 1.6 million chars. Fills from the word model's words of three or four
//! chars with one char taken out (`广大众` finds 广大群众) were tried as
//! well: the right fill was then on offer for 27 of the 313 injected drops
//! instead of 11, but with 921 fills on clean text, and held out of the
//! fit, fewer than half of the fills at confidence 0.8 were right.

use crate::channel::{
    backing_word, char_gains, han_run, logistic, open_prefixes, Field, Reading, CONTEXT, FEATURES,
    MIN_CONFIDENCE,
};
use crate::detect::Candidate;
use crate::echo::ArticleGrams;
use crate::{bigram, charlm, lm};
use baozhi_model::FindingKind;
use baozhi_text::is_han;

/// Confidence weights (bias last), fitted by `scripts/fit-proof.py`: the
/// three models' gains, the backing word's probability and the cues of
/// [`Reading::cues`].
const OMISSION_WEIGHTS: [f64; FEATURES + 1] = [
    0.176, 0.033, 0.522, 0.008, 0.120, 0.120, -0.937, 0.011, 0.471, 0.158, 0.712, 0.000, -10.677,
];

/// Fills the char model likes less than this (nats) are left: on injected
/// drops no right fill gained less, and the word models' look at each
/// costs more than the rest of the search.
const MIN_CHAR_GAIN: f64 = 2.0;

/// The margin cue's value when the article offers one fill only.
const LONE_FILL_MARGIN: f64 = 20.0;

/// Fills of gaps inside runs of Han chars next to a weak char, the best per
/// gap, that reach confidence `floor` (0 for all of them, as the weights'
/// fit needs them). A reading's `at` is the gap: the fill goes before
/// `cs[at]`.
pub fn omission_readings_above(field: &Field, grams: &ArticleGrams, floor: f64) -> Vec<Reading> {
    let cs = &field.cs;
    // per char: None, or Some(whether its weak token is the char alone)
    let mut weak = vec![None; cs.len()];
    for w in &field.weak {
        weak[w.at] = Some(w.lone);
    }
    let m = charlm::model();
    let bm = bigram::model();
    let mut out = Vec::new();
    for g in 1..cs.len() {
        let (b, d) = (cs[g - 1], cs[g]);
        if weak[g - 1].is_none() && weak[g].is_none() || !is_han(b) || !is_han(d) {
            continue;
        }
        let fills: smallvec::SmallVec<[char; 4]> = grams.between(b, d).collect();
        if fills.is_empty() {
            continue;
        }
        let (rlo, rhi) = han_run(cs, g);
        let run = &cs[rlo..rhi];
        let j = g - rlo;
        let gain_of = char_gains(run, j, j);
        let (mut best, mut second) = ((f64::MIN, b), f64::MIN);
        for &c in &fills {
            let gain = gain_of(&[c]);
            if gain > best.0 {
                second = best.0;
                best = (gain, c);
            } else if gain > second {
                second = gain;
            }
        }
        let (gain_char, c) = best;
        if gain_char < MIN_CHAR_GAIN {
            continue;
        }
        let margin = if second == f64::MIN {
            LONE_FILL_MARGIN
        } else {
            (gain_char - second).min(LONE_FILL_MARGIN)
        };
        // the window the word models read, with the fill
        let lo = g.saturating_sub(CONTEXT).max(rlo);
        let hi = (g + CONTEXT).min(rhi);
        let mut filled: Vec<char> = cs[lo..g].to_vec();
        filled.push(c);
        filled.extend_from_slice(&cs[g..hi]);
        let printed: String = cs[lo..hi].iter().collect();
        let read: String = filled.iter().collect();
        let open = open_prefixes(&filled, 0, g - lo);
        let (word, word_log10) = backing_word(&filled, g - lo, filled.len(), c, &open)
            .map_or((c.to_string(), -12.0), |(id, p)| {
                (bm.word(id).to_string(), p)
            });
        let lone = weak[g - 1].iter().chain(&weak[g]).filter(|&&l| l).count();
        let seam = m.log10_trigram(if j >= 2 { run[j - 2] } else { charlm::START }, b, d);
        let reading = Reading {
            at: g,
            ch: c,
            distance: 0.0,
            word_log10,
            gain_bigram: bigram::log_prob_chars(&filled) - bigram::log_prob_chars(&cs[lo..hi]),
            gain_unigram: lm::log_prob(&read) - lm::log_prob(&printed),
            gain_char,
            pair_freq: 0,
            seen: 0,
            backed_by: "open-gram vocabulary",
            cues: [
                margin,
                f64::from(seam),
                f64::from(bm.char_boundness(b)),
                f64::from(bm.char_boundness(d)),
                lone as f64,
                word.chars().count() as f64,
                grams.echo_edit(run, j, j, &[c]),
                0.0,
            ],
            word,
        };
        if logistic(&reading.features(), &OMISSION_WEIGHTS) >= floor {
            out.push(reading);
        }
    }
    out
}

/// Omission findings: the char after the gap, and the fill before it as
/// the suggestion, so that an editor sees the word restored.
pub fn omission_findings(field: &Field, grams: &ArticleGrams) -> Vec<Candidate> {
    let cs = &field.cs;
    omission_readings_above(field, grams, MIN_CONFIDENCE)
        .into_iter()
        .map(|r| {
            let g = r.at;
            let (b, d) = (cs[g - 1], cs[g]);
            Candidate {
                start: g,
                end: g + 1,
                original: d.to_string(),
                suggestion: Some(format!("{}{d}", r.ch)),
                confidence: logistic(&r.features(), &OMISSION_WEIGHTS),
                kind: FindingKind::Omission,
                evidence: format!(
                    "{} seems dropped between {b} and {d}: the article has {b}{}{d} {} time(s); the char model gains {:.1} nats with it, the word models {:.1} (bigram) and {:.1} (unigram); reads {} (log10 P {:.1})",
                    r.ch,
                    r.ch,
                    grams.count(b, r.ch, d),
                    r.gain_char,
                    r.gain_bigram,
                    r.gain_unigram,
                    r.word,
                    r.word_log10
                ),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_char_the_article_has_elsewhere_is_put_back() {
        // own text: a term intact in one paragraph, a char of it dropped in
        // the next
        for (article, dropped_before, fill) in [
            (
                "加快推进农村基础设施建设。\n各地完善基础施建设,补齐短板。",
                '施',
                "设施",
            ),
            (
                "保护群众的合法权益是基本要求。\n切实维护群众合法益,回应关切。",
                '益',
                "权益",
            ),
        ] {
            let grams = ArticleGrams::new(article);
            let second = article.lines().nth(1).unwrap();
            let f = omission_findings(&Field::new(second), &grams);
            let hit = f
                .iter()
                .find(|c| c.suggestion.as_deref() == Some(fill))
                .unwrap_or_else(|| panic!("{article}: {f:?}"));
            let at = second.chars().position(|c| c == dropped_before).unwrap();
            assert_eq!((hit.start, hit.end), (at, at + 1));
            assert_eq!(hit.original, dropped_before.to_string());
            // Above an editor's threshold; how sure depends on the models
            // (fitted on corpus pages, see scripts/fit-proof.py).
            assert!(hit.confidence >= 0.5, "{hit:?}");
            // the intact paragraph gets no omission
            let first = article.lines().next().unwrap();
            assert!(
                omission_findings(&Field::new(first), &grams).is_empty(),
                "{article}"
            );
        }
    }

    #[test]
    fn no_article_echo_no_fill() {
        let text = "各地完善基础施建设,补齐短板。";
        assert!(omission_findings(&Field::new(text), &ArticleGrams::new(text)).is_empty());
    }
}
