//! The detectors. Each reads one text field and proposes findings with
//! char offsets into that field; evidence comes from the gazetteer, the
//! glyph table, the lexicon and the language model, never from a list of
//! known errors.

use crate::lm;
use crate::resources::{gazetteer, glyphs, Place};
use baozhi_model::FindingKind;
use baozhi_text::{is_han, lexicon::jieba};

/// A proposed finding inside one text field (char offsets).
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub start: usize,
    pub end: usize,
    pub original: String,
    pub suggestion: Option<String>,
    pub confidence: f64,
    pub kind: FindingKind,
    pub evidence: String,
}

/// Suffixes of administrative division names.
const DIVISION_SUFFIXES: &[char] = &['省', '市', '县', '区', '州', '旗', '镇', '乡', '盟'];
/// Bigram gain (nats) from dropping one copy that makes a doubling where both
/// copies could belong to words.
const DOUBLED_GAIN: f64 = 6.0;
/// Glyphs farther apart than this are not confused by OCR.
const MAX_GLYPH_DISTANCE: f32 = 0.35;
/// Below this corpus frequency a lexicon entry is too rare to vouch for a text.
const RARE: usize = 10;

fn chars_of(text: &str) -> Vec<char> {
    text.chars().collect()
}

fn string(cs: &[char]) -> String {
    cs.iter().collect()
}

fn stem_of(place: &Place) -> String {
    let n = place.name.chars().count();
    place.name.chars().take(n - 1).collect()
}

/// Place names one glyph away from a division in the gazetteer
/// (`浙川县` → 淅川县 411326).
///
/// `context` is the rest of the article: a named parent division backs the reading.
pub fn place_glyphs(text: &str, context: &str) -> Vec<Candidate> {
    let cs = chars_of(text);
    let g = gazetteer();
    let gl = glyphs();
    let mut out: Vec<Candidate> = Vec::new();
    for k in 1..cs.len() {
        if !DIVISION_SUFFIXES.contains(&cs[k]) {
            continue;
        }
        // Known as it stands (a place, or an ordinary word such as 社区): nothing to do.
        let known = (1..=k.min(5)).any(|m| {
            let name = string(&cs[k - m..=k]);
            g.contains(&name)
                || lm::freq(&name) >= RARE
                || lm::freq(&string(&cs[k - m..k])) >= RARE && m >= 2
        });
        if known {
            continue;
        }
        let mut best: Option<(f32, usize, usize, char, &Place)> = None;
        for m in (2..=k.min(4)).rev() {
            let stem = &cs[k - m..k];
            if !stem.iter().all(|c| is_han(*c)) {
                continue;
            }
            for p in 0..m {
                for &(alt, d) in gl.neighbours(stem[p]) {
                    if d > MAX_GLYPH_DISTANCE {
                        continue;
                    }
                    let mut cand: Vec<char> = stem.to_vec();
                    cand[p] = alt;
                    cand.push(cs[k]);
                    if let Some(place) = g.get(&string(&cand)).first() {
                        if best
                            .as_ref()
                            .is_none_or(|b| (d, usize::MAX - m) < (b.0, usize::MAX - b.1))
                        {
                            best = Some((d, m, p, alt, place));
                        }
                    }
                }
            }
        }
        let Some((d, m, p, alt, place)) = best else {
            continue;
        };
        let start = k - m;
        let original = string(&cs[start..k]);
        let mut fixed: Vec<char> = cs[start..k].to_vec();
        fixed[p] = alt;
        let suggestion = string(&fixed);
        // The article naming the place's parent (南阳 for 淅川县) backs the reading.
        let parent = place.parent.as_deref().and_then(|c| g.by_code(c));
        let parent_named = parent.is_some_and(|pp| {
            let stem = stem_of(pp);
            stem.chars().count() >= 2 && context.contains(&stem)
        });
        let confidence = (0.78
            + if parent_named { 0.12 } else { 0.0 }
            + 0.07 * (1.0 - d / MAX_GLYPH_DISTANCE) as f64)
            .min(0.97);
        let evidence = format!(
            "{} {} in the gazetteer{}; {}{} unknown; {}/{} glyph distance {:.2}",
            place.name,
            place.code,
            parent
                .map(|pp| format!(" (under {})", pp.name))
                .unwrap_or_default(),
            original,
            cs[k],
            cs[start + p],
            alt,
            d
        );
        out.push(Candidate {
            start,
            end: k,
            original,
            suggestion: Some(suggestion),
            confidence,
            kind: FindingKind::Glyph,
            evidence,
        });
    }
    out
}

/// Other occurrences of a corrected place stem that lack the suffix (`浙川人`).
pub fn propagate(
    text: &str,
    found: &[(String, String, String)],
    already: &[Candidate],
) -> Vec<Candidate> {
    let cs = chars_of(text);
    let mut out = Vec::new();
    for (original, suggestion, evidence) in found {
        let o: Vec<char> = original.chars().collect();
        if o.is_empty() {
            continue;
        }
        for i in 0..cs.len().saturating_sub(o.len() - 1) {
            if cs[i..i + o.len()] == o[..] && !already.iter().any(|c| c.start <= i && i < c.end) {
                out.push(Candidate {
                    start: i,
                    end: i + o.len(),
                    original: original.clone(),
                    suggestion: Some(suggestion.clone()),
                    confidence: 0.85,
                    kind: FindingKind::Glyph,
                    evidence: format!("same misreading as elsewhere in the article: {evidence}"),
                });
            }
        }
    }
    out
}

/// A doubled char (`有有着`): the pair is no word, and the first copy
/// attaches to nothing before it while the second makes a word with what follows.
pub fn doubled(text: &str) -> Vec<Candidate> {
    let cs = chars_of(text);
    let mut out = Vec::new();
    for i in 0..cs.len().saturating_sub(1) {
        let x = cs[i];
        if x != cs[i + 1] || !is_han(x) {
            continue;
        }
        let pair = string(&cs[i..i + 2]);
        if lm::freq(&pair) >= RARE {
            continue; // 常常, 天天, 一一 …
        }
        // inside a longer word or idiom (孜孜不倦, 欣欣向荣)
        let inside = (i.saturating_sub(2)..=i).any(|a| {
            (a + 3..=(a + 4).min(cs.len()))
                .any(|b| b >= i + 2 && jieba().has_word(&string(&cs[a..b])))
        });
        if inside {
            continue;
        }
        // a word ending with the first copy (博物馆|馆长), one starting with the second
        let with_prev = i > 0 && cs[i - 1].is_ascii_digit()
            || (1..=3).any(|k| {
                i >= k
                    && cs[i - k..i].iter().all(|c| is_han(*c))
                    && lm::freq(&string(&cs[i - k..=i])) >= 50
            });
        let with_next =
            (3..=5).any(|k| i + k <= cs.len() && lm::freq(&string(&cs[i + 1..i + k])) >= 50);
        let (confidence, why) = match (with_prev, with_next) {
            // 所有有关, 为了了解: each copy belongs to a word; only the bigram
            // model's strong preference for one copy makes it a doubling
            (true, true) => {
                let gain = single_copy_gain(&cs, i);
                if gain < DOUBLED_GAIN {
                    continue;
                }
                let conf = (1.0 / (1.0 + (-(gain - DOUBLED_GAIN - 2.0) / 1.5).exp())).min(0.9);
                (conf, format!("both copies make words, but the bigram model prefers one by {gain:.1} nats"))
            }
            (false, true) => {
                // a verb may be reduplicated before its object (喝喝茶, 散散步), but
                // not before an aspect particle (有有着)
                let verb = jieba()
                    .tag(&x.to_string(), false)
                    .first()
                    .is_some_and(|t| t.tag.starts_with('v'));
                let particle = cs
                    .get(i + 2)
                    .is_some_and(|c| matches!(c, '着' | '了' | '过'));
                // reduplication (喝喝茶) reads well to the bigram model; a
                // doubling does not
                let conf = if !verb || particle || single_copy_gain(&cs, i) >= DOUBLED_GAIN {
                    0.9
                } else {
                    0.45
                };
                (
                    conf,
                    format!("{}{} is a word, {} is not", x, cs[i + 2], pair),
                )
            }
            (true, false) => (
                0.85,
                format!("the first {x} ends a word, {pair} is not one"),
            ),
            // a doubled function word (的的, 是是) is an error; reduplicated
            // given names (兰兰) look the same but use rarer chars
            (false, false) if lm::freq(&x.to_string()) >= 50_000 => (
                0.85,
                format!("{x} is a function word and {pair} is not a word"),
            ),
            // measure words reduplicate before a noun (棵棵幼苗, 条条道路)
            (false, false)
                if !is_measure_word(x) && single_copy_gain(&cs, i) >= DOUBLED_GAIN + 2.0 =>
            {
                (
                    0.8,
                    format!("{pair} is not a word, and the bigram model prefers one {x}"),
                )
            }
            (false, false) => (0.35, format!("{pair} is not a word")),
        };
        // the finding spans both copies and keeps one, as an editor marks it
        out.push(Candidate {
            start: i,
            end: i + 2,
            original: pair.clone(),
            suggestion: Some(x.to_string()),
            confidence,
            kind: FindingKind::Duplicate,
            evidence: format!("doubled {x}: {why} (jieba lexicon)"),
        });
    }
    out
}

/// Whether the lexicon tags a char as a measure word (量词).
fn is_measure_word(c: char) -> bool {
    jieba()
        .tag(&c.to_string(), false)
        .first()
        .is_some_and(|t| t.tag.starts_with('q'))
}

/// How much likelier (nats, bigram model) the text around `cs[i..i + 2]`
/// reads with one copy of the doubled char.
fn single_copy_gain(cs: &[char], i: usize) -> f64 {
    let lo = i.saturating_sub(4);
    let hi = (i + 6).min(cs.len());
    let mut without: Vec<char> = cs[lo..i].to_vec();
    without.extend(&cs[i + 1..hi]);
    crate::bigram::log_prob(&string(&without)) - crate::bigram::log_prob(&string(&cs[lo..hi]))
}

const NUMERALS: &str = "一二三四五六七八九十";

/// Identical phrases joined as a pair (`二十届二中全会和二十届二中全会`):
/// one copy should differ; a numbered sequence says how.
pub fn repeated_pair(text: &str) -> Vec<Candidate> {
    let cs = chars_of(text);
    let mut out = Vec::new();
    for (k, &c) in cs.iter().enumerate() {
        if !matches!(c, '和' | '与' | '及' | '、' | '同') {
            continue;
        }
        for n in (3..=12).rev() {
            if k < n || k + 1 + n > cs.len() {
                continue;
            }
            let a = &cs[k - n..k];
            let b = &cs[k + 1..k + 1 + n];
            if a != b || !a.iter().all(|c| is_han(*c)) {
                continue;
            }
            // the last numeral of the phrase steps on (二中全会 → 三中全会)
            let pos = (0..n).rev().find(|&i| {
                NUMERALS.contains(a[i])
                    && a[i] != '十'
                    && (i + 1 >= n || !NUMERALS.contains(a[i + 1]))
            });
            let start = k + 1;
            let (suggestion, confidence, why) = match pos {
                Some(i) => {
                    let v = NUMERALS.chars().position(|d| d == a[i]).unwrap_or(0);
                    let next = NUMERALS.chars().nth(v + 1).unwrap_or(a[i]);
                    let mut fixed = b.to_vec();
                    fixed[i] = next;
                    let fixed_s = string(&fixed);
                    let tail: String = fixed[i..].iter().collect();
                    let attested = lm::freq(&tail) >= RARE || lm::freq(&fixed_s) >= RARE;
                    let conf = if attested { 0.85 } else { 0.6 };
                    (Some(fixed_s), conf, format!("a pair of identical phrases; the numbered sequence continues with {next}{}", if attested { format!(" ({tail} in the lexicon)") } else { String::new() }))
                }
                None => (
                    None,
                    0.45,
                    "a pair of identical phrases; one should differ".to_string(),
                ),
            };
            out.push(Candidate {
                start,
                end: start + n,
                original: string(b),
                suggestion,
                confidence,
                kind: FindingKind::Repetition,
                evidence: why,
            });
            break;
        }
    }
    out
}

/// Single chars the segmenter could not place in a word, where a look-alike
/// glyph makes a frequent word and a much likelier sentence.
pub fn word_glyphs(text: &str) -> Vec<Candidate> {
    let cs = chars_of(text);
    let gl = glyphs();
    let mut out = Vec::new();
    let toks = jieba().cut(text, false);
    let mut pos = 0usize;
    let spans: Vec<(usize, usize)> = toks
        .iter()
        .map(|t| {
            let n = t.word.chars().count();
            let s = (pos, pos + n);
            pos += n;
            s
        })
        .collect();
    for (ti, &(s, e)) in spans.iter().enumerate() {
        if e - s != 1 || !is_han(cs[s]) {
            continue;
        }
        // a single char between words: is a look-alike a better reading?
        let lo = if ti > 0 { spans[ti - 1].0 } else { s };
        let hi = if ti + 1 < spans.len() {
            spans[ti + 1].1
        } else {
            e
        };
        let lo = lo.max(s.saturating_sub(4));
        let hi = hi.min(e + 4);
        // the window's own score, computed only once a look-alike qualifies
        let mut base: Option<(f64, f64)> = None;
        let mut best: Option<(f64, char, f32, String)> = None;
        for &(alt, d) in gl.neighbours(cs[s]) {
            if d > MAX_GLYPH_DISTANCE {
                continue;
            }
            // cheap test first: the look-alike must make a word with a neighbour
            let pairs_up = (s > 0 && jieba().has_word(&format!("{}{alt}", cs[s - 1])))
                || (s + 1 < cs.len() && jieba().has_word(&format!("{alt}{}", cs[s + 1])));
            if !pairs_up {
                continue;
            }
            let mut w: Vec<char> = cs[lo..hi].to_vec();
            w[s - lo] = alt;
            let ws = string(&w);
            // the look-alike must form a real word with a neighbour
            let word = jieba()
                .cut(&ws, false)
                .iter()
                .scan(0usize, |p, t| {
                    let n = t.word.chars().count();
                    let r = (*p, *p + n, t.word.to_string());
                    *p += n;
                    Some(r)
                })
                .find(|(a, b, _)| *a <= s - lo && s - lo < *b)
                .map(|(_, _, w)| w)
                .unwrap_or_default();
            if word.chars().count() < 2 || lm::freq(&word) < 200 {
                continue;
            }
            // both models must prefer the look-alike: the unigram model knows
            // jieba's words, the bigram model their context
            let (base_uni, base_bi) = *base.get_or_insert_with(|| {
                let orig = string(&cs[lo..hi]);
                (lm::log_prob(&orig), crate::bigram::log_prob(&orig))
            });
            let gain = (lm::log_prob(&ws) - base_uni).min(crate::bigram::log_prob(&ws) - base_bi);
            if best.as_ref().is_none_or(|b| gain > b.0) {
                best = Some((gain, alt, d, word));
            }
        }
        let Some((gain, alt, d, word)) = best else {
            continue;
        };
        if gain < 6.0 {
            continue;
        }
        let confidence = (1.0 / (1.0 + (-(gain - 7.0) / 1.5).exp())) * (1.0 - d as f64 / 2.0);
        out.push(Candidate {
            start: s,
            end: e,
            original: cs[s].to_string(),
            suggestion: Some(alt.to_string()),
            confidence,
            kind: FindingKind::Glyph,
            evidence: format!(
                "{}/{} glyph distance {:.2}; {} is a word (freq {}); language model gain {:.1} nats",
                cs[s],
                alt,
                d,
                word,
                lm::freq(&word),
                gain
            ),
        });
    }
    out
}

/// Quotes and brackets that do not pair up within the field.
pub fn unbalanced(text: &str, confidence: f64) -> Vec<Candidate> {
    let cs = chars_of(text);
    let mut out = Vec::new();
    for (open, close) in [('“', '”'), ('《', '》'), ('（', '）'), ('(', ')')] {
        let mut stack: Vec<usize> = Vec::new();
        let mut stray: Vec<usize> = Vec::new();
        for (i, &c) in cs.iter().enumerate() {
            if c == open {
                stack.push(i);
            } else if c == close && stack.pop().is_none() {
                stray.push(i);
            }
        }
        for i in stack.into_iter().chain(stray) {
            out.push(Candidate {
                start: i,
                end: i + 1,
                original: cs[i].to_string(),
                suggestion: None,
                confidence,
                kind: FindingKind::Punctuation,
                evidence: format!("{open}…{close} do not pair up here"),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_county_one_glyph_away_is_found_with_its_code() {
        let t = "走进浙川县仓房镇,南阳的柑橘熟了。";
        let c = place_glyphs(t, t);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!((c[0].start, c[0].end), (2, 4));
        assert_eq!(c[0].original, "浙川");
        assert_eq!(c[0].suggestion.as_deref(), Some("淅川"));
        assert!(
            c[0].confidence >= 0.9,
            "the parent city is named: {}",
            c[0].confidence
        );
        assert!(c[0].evidence.contains("411326"));
    }

    #[test]
    fn known_places_and_words_are_left_alone() {
        for t in ["南阳市卧龙区的社区", "全县上下", "城区和开发区", "淅川县"]
        {
            assert!(place_glyphs(t, t).is_empty(), "{t}");
        }
    }

    #[test]
    fn doubled_chars_but_not_reduplication_or_word_boundaries() {
        let c = doubled("虽有有着四十多年的历史");
        assert_eq!(c.len(), 1);
        assert_eq!(
            (c[0].start, c[0].end, c[0].original.as_str()),
            (1, 3, "有有")
        );
        assert_eq!(c[0].suggestion.as_deref(), Some("有"));
        assert!(c[0].confidence >= 0.85);
        assert!(doubled("所有有关部门常常为了了解情况天天加班").is_empty());
        assert!(doubled("在孜孜不倦追求新知的过程中").is_empty(), "an idiom");
        assert!(doubled("博物馆馆长说").is_empty(), "a word boundary");
        assert!(
            doubled("周末去喝喝茶").iter().all(|c| c.confidence < 0.5),
            "verb reduplication"
        );
    }

    #[test]
    fn repeated_pairs_step_the_numeral() {
        let t = "全面贯彻党的二十届二中全会和二十届二中全会精神";
        let c = repeated_pair(t);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].original, "二十届二中全会");
        assert_eq!(c[0].suggestion.as_deref(), Some("二十届三中全会"));
        assert!(c[0].confidence >= 0.8);
        assert!(repeated_pair("二十届二中全会和三中全会精神").is_empty());
    }

    #[test]
    fn unbalanced_quotes_are_flagged_without_a_suggestion() {
        let c = unbalanced("用心守护“天空蓝。", 0.6);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].suggestion, None);
        assert!(unbalanced("“好”《书》(注)", 0.6).is_empty());
    }
}
