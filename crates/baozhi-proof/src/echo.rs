//! The article as its own evidence. A news article repeats its terms: a
//! char misread, doubled or dropped in one place usually stands intact in
//! another (`隐数据` here, `隐私数据` two paragraphs on). The counts of the
//! article's runs of three Han chars tell how often a reading's own words
//! recur, and which chars the article puts between two others.

use baozhi_text::is_han;

/// Counts of an article's Han trigrams, kept as one sorted list keyed by
/// the two outer chars, then the middle one: a count is a binary search,
/// and the chars the article puts between two chars are one run of the
/// list. (Built for every article, so one allocation and a sort, not maps.)
#[derive(Default)]
pub struct ArticleGrams {
    /// (outer-outer-middle key, count), sorted by key
    grams: Vec<(u64, u16)>,
}

/// The key of trigram `a b c`: `a` and `c` first, so that the trigrams
/// with the same ends lie together.
fn key(a: char, b: char, c: char) -> u64 {
    (a as u64) << 42 | (c as u64) << 21 | b as u64
}

const MIDDLE: u64 = (1 << 21) - 1;

impl ArticleGrams {
    /// Count the trigrams of `text` (an article's fields, one per line).
    pub fn new(text: &str) -> ArticleGrams {
        // one pass: the last two chars of the current Han run
        let mut keys: Vec<u64> = Vec::with_capacity(text.len() / 3);
        let (mut a, mut b): (Option<char>, Option<char>) = (None, None);
        for c in text.chars() {
            if !is_han(c) {
                (a, b) = (None, None);
                continue;
            }
            if let (Some(x), Some(y)) = (a, b) {
                keys.push(key(x, y, c));
            }
            (a, b) = (b, Some(c));
        }
        keys.sort_unstable();
        let mut grams: Vec<(u64, u16)> = Vec::with_capacity(keys.len());
        for k in keys {
            match grams.last_mut() {
                Some((last, n)) if *last == k => *n = n.saturating_add(1),
                _ => grams.push((k, 1)),
            }
        }
        ArticleGrams { grams }
    }

    /// How often the article has `a b c`.
    pub fn count(&self, a: char, b: char, c: char) -> u16 {
        let k = key(a, b, c);
        self.grams
            .binary_search_by_key(&k, |g| g.0)
            .map_or(0, |i| self.grams[i].1)
    }

    /// The chars the article puts between `a` and `c`.
    pub fn between(&self, a: char, c: char) -> impl Iterator<Item = char> + '_ {
        let lo = key(a, '\0', c);
        let start = self.grams.partition_point(|g| g.0 < lo);
        self.grams[start..]
            .iter()
            .take_while(move |g| g.0 & !MIDDLE == lo)
            .filter_map(|g| char::from_u32((g.0 & MIDDLE) as u32))
    }

    /// The echo of an edit of a run of Han chars, `run[lo..hi]` read as
    /// `with` (as [`crate::charlm::CharLm::log_prob_edit`] takes it): the
    /// stretches compared are the edit and up to two chars on each side.
    pub fn echo_edit(&self, run: &[char], lo: usize, hi: usize, with: &[char]) -> f64 {
        let (from, to) = (lo.saturating_sub(2), (hi + 2).min(run.len()));
        let mut read: smallvec::SmallVec<[char; 8]> = run[from..lo].into();
        read.extend_from_slice(with);
        read.extend_from_slice(&run[hi..to]);
        self.echo(&read, &run[from..to])
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
        let between = |a, c| g.between(a, c).collect::<Vec<_>>();
        assert_eq!(between('隐', '数'), vec!['私']);
        assert_eq!(between('隐', '权'), vec!['私']);
        assert!(between('数', '露').is_empty());
        // several middles, each once
        let g2 = ArticleGrams::new("开展工作,发展经济,开展活动,开放工作");
        let mut mids = g2.between('开', '工').collect::<Vec<_>>();
        mids.sort();
        assert_eq!(mids, vec!['展', '放']);
        assert_eq!(g2.count('开', '展', '工'), 1);
        assert_eq!(g2.between('开', '活').collect::<Vec<_>>(), vec!['展']);
        let cs = |s: &str| s.chars().collect::<Vec<_>>();
        // 隐数据 read as 隐私数据: the article has it twice, 隐数据 only here
        assert_eq!(g.echo(&cs("隐私数据"), &cs("隐数据")), 2.0);
        // the same as an edit of a run: 私 put back between 隐 and 数
        let run = cs("保护隐数据安全");
        assert_eq!(g.echo_edit(&run, 3, 3, &['私']), 2.0);
        assert_eq!(g.echo(&cs("隐数据"), &cs("隐私数据")), -1.0);
    }
}
