//! Folding: the form of a text that search compares, with a map back to
//! the text as printed.
//!
//! Pages print the same words in several forms: full-width digits and
//! Latin letters (`２０２５年`, `ＧＤＰ`, `５．２％`), the ideographic space
//! U+3000 between names, traditional characters in reprints and in text
//! from Hong Kong, Macao and Taiwan (`國家`). Index and queries both see
//! the folded form, so any of them finds the others; the database keeps
//! the text as printed, and tokens carry offsets into it, so snippets
//! highlight what was printed.
//!
//! A printed character folds on its own, without looking at its
//! neighbours: NFKC (width and compatibility forms; U+3000 and other
//! spaces to a plain space), then traditional → simplified, then
//! lowercase. Folding one character at a time is what keeps substring
//! search exact: the folded form of any piece of a text is the same piece
//! of the folded text, which a context-dependent conversion (OpenCC's
//! phrase tables, NFKC composing across characters) would not guarantee:
//! `乾` alone and `乾` in `乾隆` must fold alike for `乾` to find `乾隆`.

use std::ops::RangeInclusive;
use std::sync::OnceLock;

use ferrous_opencc::config::BuiltinConfig;
use ferrous_opencc::OpenCC;
use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;

/// A text as search compares it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Folded {
    /// The folded text.
    pub text: String,
    /// For each char of `text`, in order, the byte range (start, end) of
    /// the printed char it came from. One printed char may give several
    /// (NFKC: `㈱` → `(株)`); they all point back to it.
    pub origin: Vec<(usize, usize)>,
}

/// Folds `text` char by char (see the module docs).
pub fn fold(text: &str) -> Folded {
    let mut out = Folded {
        text: String::with_capacity(text.len()),
        origin: Vec::with_capacity(text.len() / 2),
    };
    for (i, c) in text.char_indices() {
        let span = (i, i + c.len_utf8());
        fold_char(c, |f| {
            out.text.push(f);
            out.origin.push(span);
        });
    }
    out
}

/// The folded form of one printed char, given char by char to `emit`.
pub fn fold_char(c: char, mut emit: impl FnMut(char)) {
    if c.is_whitespace() {
        // U+3000 (NFKC makes it a space too), no-break and thin spaces,
        // line breaks: all separate words alike.
        emit(' ');
    } else if c.is_ascii() {
        emit(c.to_ascii_lowercase());
    } else if is_unified_ideograph(c) {
        // The bulk of a Chinese text: NFKC leaves these as they are.
        emit(simplified(c));
    } else {
        for n in std::iter::once(c).nfkc() {
            for l in simplified(n).to_lowercase() {
                emit(l);
            }
        }
    }
}

/// CJK Unified Ideographs and Extension A: no compatibility or canonical
/// decomposition, so NFKC maps each to itself.
pub fn is_unified_ideograph(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}')
}

/// The simplified form of a traditional character (itself for any other).
pub fn simplified(c: char) -> char {
    if (c as u32) < HAN_FROM {
        return c;
    }
    t2s_table().get(&c).copied().unwrap_or(c)
}

/// The lowest code point that can be a traditional character.
const HAN_FROM: u32 = 0x3400;

/// Where OpenCC's traditional characters (the keys of its
/// `TSCharacters.txt`) lie: CJK Extension A and the Unified block, and the
/// supplementary ideographic plane (Extensions B–F and the compatibility
/// supplement; the table's highest key is U+2B726). Only these are
/// looked up when the table is made.
const HAN_RANGES: [RangeInclusive<u32>; 2] = [HAN_FROM..=0x9FFF, 0x20000..=0x2FFFF];

/// Traditional → simplified, character by character, from OpenCC's data.
///
/// The data comes with the `ferrous-opencc` crate (a pure-Rust OpenCC,
/// Apache-2.0, <https://github.com/apoint123/ferrous-opencc>), which
/// bundles OpenCC's dictionaries (Apache-2.0,
/// <https://github.com/BYVoid/OpenCC>), so nothing is read at run time.
/// Its converter works on whole texts with phrase tables, which would make
/// a character's folding depend on its neighbours (see the module docs),
/// so the table is read out of it once: every candidate character is
/// converted on a line of its own, where no phrase can match, which
/// leaves OpenCC's single-character mapping (its first choice where a
/// traditional character has several simplified ones, `乾` → `干`).
fn t2s_table() -> &'static FxHashMap<char, char> {
    static TABLE: OnceLock<FxHashMap<char, char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let Ok(opencc) = OpenCC::from_config(BuiltinConfig::T2s) else {
            // The configuration is compiled into the crate; should it fail
            // to load, search still works, without this folding.
            return FxHashMap::default();
        };
        let candidates: Vec<char> = HAN_RANGES
            .iter()
            .flat_map(Clone::clone)
            .filter_map(char::from_u32)
            .collect();
        let mut lines = String::with_capacity(candidates.len() * 5);
        for &c in &candidates {
            lines.push(c);
            lines.push('\n');
        }
        let converted = opencc.convert(&lines);
        let mut table = FxHashMap::default();
        // One line in, one line out: the converter never adds or drops
        // line breaks (no entry of its tables holds one).
        for (&c, line) in candidates.iter().zip(converted.split('\n')) {
            let mut chars = line.chars();
            if let (Some(s), None) = (chars.next(), chars.next()) {
                if s != c {
                    table.insert(c, s);
                }
            }
        }
        table
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(s: &str) -> String {
        fold(s).text
    }

    #[test]
    fn width_case_and_spaces() {
        assert_eq!(folded("２０２５年ＧＤＰ增长５．２％"), "2025年gdp增长5.2%");
        assert_eq!(folded("记者\u{3000}张三"), "记者 张三");
        assert_eq!(folded("Beijing\u{a0}Daily"), "beijing daily");
        assert_eq!(folded("①㈱"), "1(株)");
    }

    #[test]
    fn traditional_to_simplified() {
        assert_eq!(folded("國家發展改革委員會"), "国家发展改革委员会");
        assert_eq!(folded("臺灣"), "台湾");
        // Simplified text and other scripts are left alone.
        assert_eq!(folded("国家发展改革委"), "国家发展改革委");
        assert_eq!(folded("ひらがな"), "ひらがな");
        // One character at a time, whatever its neighbours: the first
        // choice of OpenCC's character table.
        assert_eq!(folded("乾"), "干");
        assert_eq!(folded("乾隆"), "干隆");
        // A compatibility ideograph: NFKC, then the table.
        assert_eq!(folded("\u{F9B5}"), "例");
        assert!(t2s_table().len() > 4_000, "{}", t2s_table().len());
    }

    #[test]
    fn offsets_point_into_the_printed_text() {
        let text = "ＧＤＰ增長５．２％，㈱";
        let f = fold(text);
        assert_eq!(f.text.chars().count(), f.origin.len());
        let back: Vec<&str> = f.origin.iter().map(|&(a, b)| &text[a..b]).collect();
        assert_eq!(back[0], "Ｇ");
        assert_eq!(back[4], "長");
        // `㈱` gave three chars, all pointing back to it.
        assert_eq!(&back[back.len() - 3..], ["㈱", "㈱", "㈱"]);
    }

    #[test]
    fn folding_a_piece_gives_a_piece_of_the_folding() {
        let text = "乾隆年間，國家ＧＤＰ增長５．２％";
        let whole = folded(text);
        for (i, _) in text.char_indices() {
            for (j, _) in text[i..].char_indices().skip(1) {
                let piece = folded(&text[i..i + j]);
                assert!(whole.contains(&piece), "{piece} not in {whole}");
            }
        }
    }
}
