//! Precision and recall of the proofreader on injected errors, and its
//! false-alarm rate on clean print.
//!
//! usage: cargo run --release -p baozhi-proof --example eval -- PAGE.txt...
//!
//! Every page is parsed; on the clean text, findings at confidence >= 0.5
//! are counted per 10,000 chars (punctuation-only flags listed apart). Then
//! errors are injected into the paragraphs at a known rate — glyph
//! confusions drawn from the glyph table, doubled chars, dropped chars —
//! and a finding counts as right when it covers an injected error and its
//! suggestion restores the original text.

use baozhi_model::{Article, FindingField, FindingKind};
use baozhi_proof::{apply, proofread, resources::glyphs};

/// Each article is noised this many times (with different errors).
const ROUNDS: usize = 4;

/// A small deterministic generator (xorshift), so runs are repeatable.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Glyph,
    Doubled,
    Dropped,
}

fn inject(text: &str, rng: &mut Rng, every: usize, counts: &mut [usize; 3]) -> (String, usize) {
    let mut cs: Vec<char> = text.chars().collect();
    let mut n = 0;
    let mut i = rng.below(every.max(1));
    while i < cs.len() {
        if baozhi_text::is_han(cs[i]) {
            let kind = match rng.below(3) {
                0 => Kind::Glyph,
                1 => Kind::Doubled,
                _ => Kind::Dropped,
            };
            match kind {
                Kind::Glyph => {
                    let nb: Vec<char> = glyphs()
                        .neighbours(cs[i])
                        .iter()
                        .filter(|(_, d)| *d <= 0.3)
                        .map(|(c, _)| *c)
                        .collect();
                    if nb.is_empty() {
                        i += 1;
                        continue;
                    }
                    cs[i] = nb[rng.below(nb.len())];
                }
                Kind::Doubled => cs.insert(i, cs[i]),
                Kind::Dropped => {
                    cs.remove(i);
                }
            }
            n += 1;
            counts[kind as usize] += 1;
            i += every / 2 + rng.below(every);
        } else {
            i += 1;
        }
    }
    (cs.into_iter().collect(), n)
}

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let mut articles: Vec<Article> = Vec::new();
    for p in &paths {
        let text = std::fs::read_to_string(p).expect("readable UTF-8 page");
        articles
            .extend(baozhi_layout::parse_page(&text, &baozhi_layout::Options::default()).articles);
    }
    // clean print
    let mut chars = 0usize;
    let (mut alarms, mut punct) = (0usize, 0usize);
    for a in &articles {
        chars += a
            .paragraphs
            .iter()
            .map(|p| p.text.chars().count())
            .sum::<usize>()
            + a.title.chars().count();
        for f in proofread(a).iter().filter(|f| f.confidence >= 0.5) {
            if f.kind == FindingKind::Punctuation {
                punct += 1;
            } else {
                alarms += 1;
                eprintln!(
                    "clean-text finding: {} → {:?} ({:.2}) {}",
                    f.original, f.suggestion, f.confidence, f.evidence
                );
            }
        }
    }
    println!("clean print: {chars} chars, {alarms} findings at >=0.5 ({:.2} per 10,000 chars), {punct} punctuation flags", alarms as f64 * 1e4 / chars.max(1) as f64);

    // injected errors: compare corrected text with the clean original
    let mut rng = Rng(0x9E3779B97F4A7C15);
    let thresholds = [0.5, 0.8, 0.9];
    let mut injected = 0usize;
    let mut counts = [0usize; 3];
    let kinds = [
        FindingKind::Glyph,
        FindingKind::Duplicate,
        FindingKind::Omission,
    ];
    let mut by_kind = [[(0usize, 0usize); 3]; 3];
    let mut tp = [0usize; 3];
    let mut fp = [0usize; 3];
    for a in articles.iter().cycle().take(articles.len() * ROUNDS) {
        let mut noisy = a.clone();
        for p in noisy.paragraphs.iter_mut() {
            let (t, n) = inject(&p.text, &mut rng, 120, &mut counts);
            p.text = t;
            injected += n;
        }
        let findings = proofread(&noisy);
        for (k, &th) in thresholds.iter().enumerate() {
            // judge each finding by whether applying it alone brings its paragraph closer to the original
            for f in findings.iter().filter(|f| {
                f.confidence >= th && f.suggestion.is_some() && f.field == FindingField::Paragraph
            }) {
                let i = f.paragraph.unwrap_or(0);
                let one = apply(&noisy, std::slice::from_ref(f), 0.0);
                let before = distance(&noisy.paragraphs[i].text, &a.paragraphs[i].text);
                let after = distance(&one.paragraphs[i].text, &a.paragraphs[i].text);
                let kk = kinds.iter().position(|x| *x == f.kind);
                if after < before {
                    tp[k] += 1;
                    if let Some(kk) = kk {
                        by_kind[k][kk].0 += 1;
                    }
                } else {
                    if let Some(kk) = kk {
                        by_kind[k][kk].1 += 1;
                    }
                    fp[k] += 1;
                    if k == 1 {
                        eprintln!(
                            "wrong at >=0.8: {} -> {:?} ({:.2}, {:?}) {}",
                            f.original, f.suggestion, f.confidence, f.kind, f.evidence
                        );
                    }
                }
            }
        }
    }
    println!("injected errors: {injected} (glyph confusions, doubled and dropped chars, one per ~120 chars)");
    println!("| confidence | findings | right | precision | recall |");
    println!("|---|---|---|---|---|");
    println!(
        "by kind (right/wrong) — glyph {} injected, doubled {}, dropped {}:",
        counts[0], counts[1], counts[2]
    );
    for (k, th) in thresholds.iter().enumerate() {
        println!(
            "  >= {th}: glyph {}/{}, duplicate {}/{}, omission {}/{}",
            by_kind[k][0].0,
            by_kind[k][0].1,
            by_kind[k][1].0,
            by_kind[k][1].1,
            by_kind[k][2].0,
            by_kind[k][2].1
        );
    }
    for (k, th) in thresholds.iter().enumerate() {
        let n = tp[k] + fp[k];
        println!(
            "| >= {th} | {n} | {} | {:.3} | {:.3} |",
            tp[k],
            tp[k] as f64 / n.max(1) as f64,
            tp[k] as f64 / injected.max(1) as f64
        );
    }
}

/// Levenshtein distance over chars.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            cur[j] = (prev[j] + 1)
                .min(cur[j - 1] + 1)
                .min(prev[j - 1] + usize::from(a[i - 1] != b[j - 1]));
        }
        prev = cur;
    }
    prev[b.len()]
}
