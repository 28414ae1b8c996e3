//! What a short line's characters say about its role: the character pairs
//! of column labels, headlines and in-article headings against body text,
//! counted in the corpus by `scripts/build-layout-lexicon.py`
//! (`data/layout-lexicon.tsv`). [`crate::features`] turns them into the
//! line model's `lex_*` features.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The kinds of short line the table scores, in its column order.
pub const KINDS: usize = 3;

const LEXICON_TSV: &str = include_str!("../../../data/layout-lexicon.tsv");

/// Log-ratios per character pair: `log P(pair | kind) - log P(pair | body)`.
pub struct Lexicon {
    pairs: HashMap<(char, char), [f32; KINDS]>,
}

/// The shipped table, parsed once.
pub fn lexicon() -> &'static Lexicon {
    static L: OnceLock<Lexicon> = OnceLock::new();
    L.get_or_init(|| Lexicon::parse(LEXICON_TSV).expect("data/layout-lexicon.tsv is malformed"))
}

/// How a character reads in the table: digits and Latin letters as one
/// class each (the build script does the same), white space not at all.
fn class(c: char) -> Option<char> {
    // (U+3000, the ideographic space, is white space too)
    if c.is_whitespace() {
        None
    } else if c.is_ascii_digit() || ('０'..='９').contains(&c) {
        Some('0')
    } else if c.is_ascii_alphabetic() || ('Ａ'..='Ｚ').contains(&c) || ('ａ'..='ｚ').contains(&c)
    {
        Some('a')
    } else {
        Some(c)
    }
}

impl Lexicon {
    /// Read the table: a `kinds` row, then `PAIR\tlabel\ttitle\theading`.
    pub fn parse(tsv: &str) -> Result<Lexicon, String> {
        let mut pairs = HashMap::new();
        let mut kinds = false;
        for (n, line) in tsv.lines().enumerate() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let mut cols = line.split('\t');
            let key = cols.next().unwrap_or_default();
            if key == "kinds" {
                let names: Vec<&str> = cols.collect();
                if names != ["label", "title", "heading"] {
                    return Err(format!("line {}: kinds {names:?}", n + 1));
                }
                kinds = true;
                continue;
            }
            let mut k = key.chars();
            let (Some(a), Some(b), None) = (k.next(), k.next(), k.next()) else {
                return Err(format!("line {}: not a pair of characters", n + 1));
            };
            let mut v = [0f32; KINDS];
            for slot in &mut v {
                *slot = cols
                    .next()
                    .and_then(|x| x.parse().ok())
                    .ok_or_else(|| format!("line {}: a missing or bad number", n + 1))?;
            }
            pairs.insert((a, b), v);
        }
        if !kinds {
            return Err("no kinds row".into());
        }
        Ok(Lexicon { pairs })
    }

    /// The mean log-ratio per kind over the pairs of `text` framed as
    /// `^text$`; pairs the table lacks count as no evidence (0).
    pub fn scores(&self, text: &str) -> [f32; KINDS] {
        let mut sum = [0f32; KINDS];
        let mut n = 0usize;
        let mut prev = '^';
        for c in text.chars().filter_map(class).chain(std::iter::once('$')) {
            if let Some(v) = self.pairs.get(&(prev, c)) {
                for (s, x) in sum.iter_mut().zip(v) {
                    *s += x;
                }
            }
            n += 1;
            prev = c;
        }
        sum.map(|s| s / n as f32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_framed_and_digits_read_as_one() {
        let l =
            Lexicon::parse("kinds\tlabel\ttitle\theading\n^一\t0\t0\t4\n、0\t0\t1\t2\n").unwrap();
        // ^一 一、 、0 0$ (the digit 3 read as 0): two of four pairs known
        assert_eq!(l.scores("一、3"), [0.0, 0.25, 1.5]);
        assert_eq!(l.scores("二、３"), [0.0, 0.25, 0.5]);
        assert!(Lexicon::parse("^一\t0\t0\t4\n").is_err(), "no kinds row");
        assert!(Lexicon::parse("kinds\tlabel\ttitle\theading\n^一\t0\t0\n").is_err());
    }

    #[test]
    fn the_shipped_table_tells_labels_from_body_text() {
        let l = lexicon();
        let label = l.scores("评论员观察");
        let body = l.scores("记者从水利部获悉，今年的工作进展顺利。");
        assert!(label[0] > body[0], "{label:?} {body:?}");
    }
}
