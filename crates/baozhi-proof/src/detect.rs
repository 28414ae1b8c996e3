//! The detectors. Each reads one text field and proposes findings with
//! char offsets into that field; evidence comes from the gazetteer, the
//! glyph table, the lexicon and the language model, never from a list of
//! known errors.

use crate::channel::MAX_GLYPH_DISTANCE;
use crate::lm;
use crate::resources::{gazetteer, glyphs, Place};
use baozhi_model::FindingKind;
use baozhi_text::is_han;
use baozhi_text::width;

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
pub(crate) const DIVISION_SUFFIXES: &[char] =
    &['省', '市', '县', '区', '州', '旗', '镇', '乡', '盟'];
/// Suffixes that a renamed division trades for one another: counties become
/// districts or cities (田阳县 is 田阳区 since 2019), townships become
/// towns. Print older or newer than the gazetteer names the place with the
/// other suffix, and that is no misreading.
const RENAMED_SUFFIXES: [&[char]; 2] = [&['县', '区', '市', '旗'], &['乡', '镇']];
/// Below this corpus frequency a lexicon entry is too rare to vouch for a text.
const RARE: usize = 10;

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
pub fn place_glyphs(cs: &[char], context: &str) -> Vec<Candidate> {
    let g = gazetteer();
    let gl = glyphs();
    let mut out: Vec<Candidate> = Vec::new();
    for k in 1..cs.len() {
        if !DIVISION_SUFFIXES.contains(&cs[k]) {
            continue;
        }
        // Known as it stands (a place, or an ordinary word such as 社区): nothing to do.
        let renamed = RENAMED_SUFFIXES
            .iter()
            .find(|group| group.contains(&cs[k]))
            .copied()
            .unwrap_or(&[]);
        let known = (1..=k.min(5)).any(|m| {
            let name = string(&cs[k - m..=k]);
            let stem = string(&cs[k - m..k]);
            g.contains(&name)
                || lm::freq(&name) >= RARE
                || lm::freq(&stem) >= RARE && m >= 2
                || m >= 2 && renamed.iter().any(|s| g.contains(&format!("{stem}{s}")))
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
            let mut name: Vec<char> = stem.to_vec();
            name.push(cs[k]);
            for p in 0..m {
                // the gazetteer's fills of the blank, if the printed char
                // looks like one
                for &alt in g.fills(&name, p) {
                    let Some(d) = gl.distance(stem[p], alt) else {
                        continue;
                    };
                    if d > MAX_GLYPH_DISTANCE {
                        continue;
                    }
                    let mut cand = name.clone();
                    cand[p] = alt;
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
    cs: &[char],
    found: &[(String, String, String)],
    already: &[Candidate],
) -> Vec<Candidate> {
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

const NUMERALS: &str = "一二三四五六七八九十";

/// Code points a PDF font's ToUnicode map put where the page prints an
/// ideograph: Kangxi radicals and radical supplement forms (`⾦` for 金)
/// and CJK compatibility ideographs, whose Unicode decomposition names the
/// ideograph; and private-use code points, a font's own glyphs that carry
/// no character at all. Both are certain: the text holds a stand-in, not
/// what was printed. The first get the ideograph as suggestion; private
/// use has none (only the page image tells what it was).
pub fn look_alikes(cs: &[char]) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (i, &c) in cs.iter().enumerate() {
        if let Some(ideograph) = baozhi_text::kangxi::ideograph(c) {
            out.push(Candidate {
                start: i,
                end: i + 1,
                original: c.to_string(),
                suggestion: Some(ideograph.to_string()),
                confidence: 1.0,
                kind: FindingKind::Glyph,
                evidence: format!(
                    "U+{:04X} is a radical or compatibility form that stands for {ideograph} \
                     (Unicode decomposition): a PDF font's mapping, not the printed character",
                    c as u32
                ),
            });
        } else if is_private_use(c) {
            out.push(Candidate {
                start: i,
                end: i + 1,
                original: c.to_string(),
                suggestion: None,
                confidence: 1.0,
                kind: FindingKind::Other,
                evidence: format!(
                    "U+{:04X} is a private-use code point: a font's own glyph with no \
                     Unicode character; the page image shows what was printed",
                    c as u32
                ),
            });
        }
    }
    out
}

/// Unicode's private use areas (the BMP's and planes 15 and 16).
fn is_private_use(c: char) -> bool {
    matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD)
}

/// Identical phrases joined as a pair (`二十届二中全会和二十届二中全会`):
/// one copy should differ; a numbered sequence says how.
pub fn repeated_pair(cs: &[char]) -> Vec<Candidate> {
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

/// Confidence of a half-width mark in Chinese text, by mark: the share of
/// such findings that were right on Tesseract's `chi_sim` text of pages
/// laid out from the corpus (fold 1's test dates, which no evaluation
/// uses; `ocreval`'s "punctuation finding" table, see README
/// "Proofreading"). Chinese print sets its punctuation full-width (GB/T
/// 15834): in the 11.9 M characters of the corpus a half-width `, ; : ? !
/// ( )` touches Chinese characters 66 times (0.06 per 10,000 characters,
/// each itself a slip against the standard), while OCR mixes them in by the
/// dozen per page. Where OCR is wrong, it misread another mark (`,` for
/// `、` or `。`), which the finding does not restore. The finding changes
/// only a mark's width, never a word.
pub const HALF_WIDTH_CONFIDENCE: [(char, f64); 7] = [
    (',', 0.90),
    (';', 0.96),
    (':', 0.91),
    ('?', 0.78),
    ('!', 0.94),
    ('(', 0.94),
    (')', 0.96),
];

/// Confidence of a straight double quote in Chinese text read as the
/// curly one its place in the pairing asks for, by the quote chosen,
/// measured as [`HALF_WIDTH_CONFIDENCE`] is: a closing quote is the surer
/// (most stand before a mark), an opening one is wrong where OCR dropped
/// the quote that would have opened before it.
pub const STRAIGHT_QUOTE_CONFIDENCE: [(char, f64); 2] = [('“', 0.75), ('”', 0.95)];

/// Marks a headline (kicker, title, subtitle) prints half-width as often
/// as not: the corpus's titles set a column tag in half-width brackets
/// (`停课不停学，不妨再细些(新语)`) 253 times and in full-width ones 130
/// times, its paragraphs 22 against 9,849. In a headline they are print.
const HEADLINE_HALF_WIDTH: [char; 2] = ['(', ')'];

/// A mark's confidence in a table of measured ones.
fn measured(table: &[(char, f64)], mark: char) -> Option<f64> {
    table.iter().find(|(m, _)| *m == mark).map(|&(_, c)| c)
}

/// Full-width marks with a half-width twin: a field that sets one of them
/// was not folded to half width by its extractor.
const FULL_WIDTH_TWINS: [char; 7] = ['，', '（', '）', '：', '；', '？', '！'];

/// A field that sets some full-width mark with a half-width twin: its
/// half-width marks in Chinese text are misreadings of one place each, not
/// an extractor's folding of them all (a property of the source that
/// `--restore-width` undoes; another field, a jump line or a dateline, may
/// come from another source).
fn sets_full_width(cs: &[char]) -> bool {
    cs.iter().any(|c| FULL_WIDTH_TWINS.contains(c))
}

/// Half-width punctuation in Chinese text of a field that sets full-width
/// marks ([`sets_full_width`]): a mark OCR misread. Which marks and where
/// is [`baozhi_text::width::restore_width`]'s (numbers, Latin text and
/// addresses keep theirs).
pub fn half_width_marks(cs: &[char], headline: bool) -> Vec<Candidate> {
    if !cs.iter().any(|&c| width::has_full_form(c)) || !sets_full_width(cs) {
        return Vec::new();
    }
    let text: String = cs.iter().collect();
    let restored: Vec<char> = width::restore_width(&text).chars().collect();
    let mut out = Vec::new();
    for (i, (&c, &full)) in cs.iter().zip(&restored).enumerate() {
        if c == full {
            continue;
        }
        if headline && HEADLINE_HALF_WIDTH.contains(&c) {
            continue;
        }
        let Some(confidence) = measured(&HALF_WIDTH_CONFIDENCE, c) else {
            continue;
        };
        out.push(Candidate {
            start: i,
            end: i + 1,
            original: c.to_string(),
            suggestion: Some(full.to_string()),
            confidence,
            kind: FindingKind::Punctuation,
            evidence: format!(
                "half-width {c} in Chinese text, where the same text sets full-width marks (GB/T 15834)"
            ),
        });
    }
    out
}

/// Marks a closing quote stands before (`实事"。`): a straight quote
/// before one of them closes, whatever the counting says (OCR drops
/// quotes). The opposite cues (a quote after a colon opens) measured no
/// better than the counting on OCR of fold 1's pages, and were left out.
const AFTER_CLOSING_QUOTE: &[char] = &[
    '，', '。', '、', '；', '：', '！', '？', '）', '》', ',', ';', ':', '!', '?', ')',
];

/// Straight double quotes beside Chinese text in a field that sets
/// full-width marks: OCR reads “ and ” as `"`. Each becomes a closing
/// quote before a mark ([`AFTER_CLOSING_QUOTE`]), else the one its place in
/// the pairing asks for: an opening one where no quote is open (counting
/// the curly quotes the field has), a closing one where one is.
pub fn straight_quotes(cs: &[char]) -> Vec<Candidate> {
    if !cs.contains(&'"') || !sets_full_width(cs) {
        return Vec::new();
    }
    let beside_chinese = |i: usize| {
        let near = |j: Option<usize>| {
            j.and_then(|j| cs.get(j)).is_some_and(|&c| {
                is_han(c) || FULL_WIDTH_TWINS.contains(&c) || matches!(c, '。' | '、' | '“' | '”')
            })
        };
        near(i.checked_sub(1)) || near(Some(i + 1))
    };
    let mut open = false;
    let mut out = Vec::new();
    for (i, &c) in cs.iter().enumerate() {
        match c {
            '“' => open = true,
            '”' => open = false,
            '"' => {
                let closes = cs
                    .get(i + 1)
                    .is_some_and(|c| AFTER_CLOSING_QUOTE.contains(c));
                let curly = if open || closes { '”' } else { '“' };
                open = curly == '“';
                if !beside_chinese(i) {
                    continue;
                }
                out.push(Candidate {
                    start: i,
                    end: i + 1,
                    original: c.to_string(),
                    suggestion: Some(curly.to_string()),
                    confidence: measured(&STRAIGHT_QUOTE_CONFIDENCE, curly).unwrap_or(0.0),
                    kind: FindingKind::Punctuation,
                    evidence: format!(
                        "straight \" in Chinese text, where the pairing of the quotes asks for {curly} (GB/T 15834)"
                    ),
                });
            }
            _ => {}
        }
    }
    out
}

/// Quotes and brackets that do not pair up within the field.
pub fn unbalanced(cs: &[char], confidence: f64) -> Vec<Candidate> {
    let mut out = Vec::new();
    // one scan for the marks; each pair then reads only those
    let marks: Vec<(usize, char)> = cs
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, c)| matches!(c, '“' | '”' | '《' | '》' | '（' | '）' | '(' | ')'))
        .collect();
    for (open, close) in [('“', '”'), ('《', '》'), ('（', '）'), ('(', ')')] {
        let mut stack: Vec<usize> = Vec::new();
        let mut stray: Vec<usize> = Vec::new();
        for &(i, c) in &marks {
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
    fn half_width_marks_among_chinese_become_full_width() {
        let text = "全部复工,稳定了(全局)吗?价格1,000元,网址www.x.cn。";
        let found_in = |text: &str, headline: bool| -> Vec<(String, String)> {
            let cs: Vec<char> = text.chars().collect();
            half_width_marks(&cs, headline)
                .into_iter()
                .map(|c| (c.original, c.suggestion.unwrap_or_default()))
                .collect()
        };
        let found = |text: &str| found_in(text, false);
        let pairs = |l: &[(&str, &str)]| -> Vec<(String, String)> {
            l.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        // A text that sets full-width marks elsewhere: its half-width ones
        // in Chinese text are misread; 1,000 keeps its comma.
        let mixed = format!("{text}另据报道，（新华社）");
        let mut expected = pairs(&[
            (",", "，"),
            ("(", "（"),
            (")", "）"),
            ("?", "？"),
            (",", "，"),
        ]);
        // and the full-width ones themselves are no finding
        assert_eq!(found(&mixed), expected);
        // A headline keeps its half-width brackets (a column tag), not its
        // commas.
        assert_eq!(
            found_in("停课不停学，不妨再细些(新语),好", true),
            pairs(&[(",", "，")])
        );
        expected.clear();
        // Folded throughout by an extractor: no finding.
        assert_eq!(found(text), expected);
    }

    #[test]
    fn straight_quotes_pair_up_as_curly_ones() {
        let found = |text: &str| -> Vec<(usize, String)> {
            let cs: Vec<char> = text.chars().collect();
            straight_quotes(&cs)
                .into_iter()
                .map(|c| (c.start, c.suggestion.unwrap_or_default()))
                .collect()
        };
        // opening, closing, and after a curly pair that OCR read right
        let text = "他说，\"要干实事\"。“好”，\"是\"";
        assert_eq!(
            found(text),
            vec![
                (3, "“".to_string()),
                (8, "”".to_string()),
                (14, "“".to_string()),
                (16, "”".to_string())
            ]
        );
        // a quote opened curly and closed straight
        assert_eq!(found("他说，“要干实事\"。"), vec![(8, "”".to_string())]);
        // folded throughout, or not beside Chinese: no finding
        assert!(found("他说,\"要干实事\"。").is_empty());
        assert!(found("代码，print(\" x \")").is_empty());
    }

    #[test]
    fn font_stand_ins_are_certain_findings() {
        // U+F900 is a compatibility form of 豈; U+FA11 﨑 is a unified
        // ideograph that only lives in that block, a real character.
        let cs: Vec<char> = "⾦融市场\u{E123}稳定，\u{F900}﨑".chars().collect();
        let found = look_alikes(&cs);
        assert_eq!(found.len(), 3);
        assert_eq!(
            (found[0].start, found[0].suggestion.as_deref()),
            (0, Some("金"))
        );
        assert_eq!(found[0].confidence, 1.0);
        assert_eq!((found[1].start, found[1].suggestion.as_deref()), (4, None));
        assert_eq!(found[1].kind, FindingKind::Other);
        assert_eq!(
            (found[2].start, found[2].suggestion.as_deref()),
            (8, Some("豈"))
        );
        // Print is left alone.
        let clean: Vec<char> = "金融市场稳定，崎岖".chars().collect();
        assert!(look_alikes(&clean).is_empty());
    }

    fn chars_of(text: &str) -> Vec<char> {
        text.chars().collect()
    }

    #[test]
    fn a_county_one_glyph_away_is_found_with_its_code() {
        let t = "走进浙川县仓房镇,南阳的柑橘熟了。";
        let c = place_glyphs(&chars_of(t), t);
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
            assert!(place_glyphs(&chars_of(t), t).is_empty(), "{t}");
        }
    }

    #[test]
    fn a_county_the_gazetteer_knows_as_a_district_is_no_misreading() {
        // 田阳县 has been 百色's 田阳区 since 2019, and 山阳县 is one glyph away
        assert!(data_has("田阳区") && data_has("山阳县"));
        for t in ["广西百色市田阳县新立村", "浙江省富阳县的农民"] {
            assert!(place_glyphs(&chars_of(t), t).is_empty(), "{t}");
        }
        // a misread county is still found when its stem is no division
        assert_eq!(place_glyphs(&chars_of("浙川区"), "").len(), 0);
        assert_eq!(place_glyphs(&chars_of("浙川县"), "").len(), 1);
    }

    fn data_has(name: &str) -> bool {
        gazetteer().contains(name)
    }

    #[test]
    fn repeated_pairs_step_the_numeral() {
        let t = "全面贯彻党的二十届二中全会和二十届二中全会精神";
        let c = repeated_pair(&chars_of(t));
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].original, "二十届二中全会");
        assert_eq!(c[0].suggestion.as_deref(), Some("二十届三中全会"));
        assert!(c[0].confidence >= 0.8);
        assert!(repeated_pair(&chars_of("二十届二中全会和三中全会精神")).is_empty());
    }

    #[test]
    fn unbalanced_quotes_are_flagged_without_a_suggestion() {
        let c = unbalanced(&chars_of("用心守护“天空蓝。"), 0.6);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].suggestion, None);
        assert!(unbalanced(&chars_of("“好”《书》(注)"), 0.6).is_empty());
    }
}
