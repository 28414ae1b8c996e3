//! The article as its own evidence. A news article repeats its terms: a
//! char misread, doubled or dropped in one place usually stands intact in
//! another (`隐数据` here, `隐私数据` two paragraphs on). The counts of the
//! article's runs of three Han chars tell how often a reading's own words
//! recur, and which chars the article puts between two others.

use baozhi_text::is_han;
use rustc_hash::FxHashMap;
use smallvec::SmallVec;

/// Counts of an article's Han trigrams, and the chars it puts between
/// two chars (the middle of each trigram, by its ends).
#[derive(Default)]
pub struct ArticleGrams {
    tri: FxHashMap<u64, u16>,
    between: FxHashMap<u64, SmallVec<[char; 2]>>,
}

fn key2(a: char, c: char) -> u64 {
    (a as u64) << 21 | c as u64
}

fn key3(a: char, b: char, c: char) -> u64 {
    (a as u64) << 42 | key2(b, c)
}

impl ArticleGrams {
    /// Count the trigrams of `text` (an article's fields, one per line).
    pub fn new(text: &str) -> ArticleGrams {
        let mut g = ArticleGrams::default();
        let cs: Vec<char> = text.chars().collect();
        for w in cs.windows(3) {
            if !w.iter().all(|&c| is_han(c)) {
                continue;
            }
            let n = g.tri.entry(key3(w[0], w[1], w[2])).or_insert(0);
            if *n == 0 {
                let mids = g.between.entry(key2(w[0], w[2])).or_default();
                if !mids.contains(&w[1]) {
                    mids.push(w[1]);
                }
            }
            *n = n.saturating_add(1);
        }
        g
    }

    /// How often the article has `a b c`.
    pub fn count(&self, a: char, b: char, c: char) -> u16 {
        self.tri.get(&key3(a, b, c)).copied().unwrap_or(0)
    }

    /// The chars the article puts between `a` and `c`.
    pub fn between(&self, a: char, c: char) -> &[char] {
        self.between.get(&key2(a, c)).map_or(&[], |v| v.as_slice())
    }

    /// The echo of a reading: how much more often the article has the
    /// trigrams around the edit as read than as printed, beyond this one
    /// occurrence. `read` and `printed` are the stretches around the edit
    /// (the edit plus up to two chars on each side), each given whole;
    /// every trigram of the stretch counts, the best one says. Each side
    /// is capped at [`ECHO_CAP`] so that a term repeated twenty times does
    /// not outweigh the models.
    pub fn echo(&self, read: &[char], printed: &[char]) -> f64 {
        let best = |s: &[char]| {
            s.windows(3)
                .filter(|w| w.iter().all(|&c| is_han(c)))
                .map(|w| self.count(w[0], w[1], w[2]))
                .max()
                .unwrap_or(0)
        };
        let read = best(read).min(ECHO_CAP);
        // the printed stretch is in the article at least once: here
        let printed = best(printed).saturating_sub(1).min(ECHO_CAP);
        f64::from(read) - f64::from(printed)
    }
}

/// Recurrences beyond this add no evidence.
pub const ECHO_CAP: u16 = 3;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_trigrams_and_what_stands_between() {
        let g = ArticleGrams::new("保护隐私数据。\n隐私数据不可泄露,隐私权");
        assert_eq!(g.count('隐', '私', '数'), 2);
        assert_eq!(g.count('私', '数', '据'), 2);
        // punctuation breaks runs
        assert_eq!(g.count('据', '不', '可'), 1);
        assert_eq!(g.count('露', '隐', '私'), 0);
        assert_eq!(g.between('隐', '数'), &['私']);
        assert_eq!(g.between('隐', '权'), &['私']);
        assert!(g.between('数', '露').is_empty());
        let cs = |s: &str| s.chars().collect::<Vec<_>>();
        // 隐数据 read as 隐私数据: the article has it twice, 隐数据 only here
        assert_eq!(g.echo(&cs("隐私数据"), &cs("隐数据")), 2.0);
        assert_eq!(g.echo(&cs("隐数据"), &cs("隐私数据")), -1.0);
    }
}
