//! The proofreader on real OCR errors: precision per finding kind and the
//! share of each kind of OCR error fixed, at confidence 0.5, 0.8 and 0.9.
//!
//! usage: cargo run --release -p baozhi-proof --example ocreval -- PAIRS.jsonl
//!
//! PAIRS.jsonl holds one line per article, `{"clean": Article, "ocr":
//! Article}` (baozhi/1 articles): the article as printed and the same
//! article with each paragraph as Tesseract read it, written by
//! `scripts/ocr-proof-pairs.py` from `scripts/printpages.py --tools
//! tesseract` pages. Only paragraphs are compared.
//!
//! Each OCR paragraph is aligned to the printed one (edit distance, one
//! char at a time), which gives the OCR errors and their kinds: a Han
//! character read as another, punctuation changed, added or lost, a
//! character doubled, a character dropped, anything else. A finding with a
//! suggestion is right when applying it alone brings the paragraph closer
//! to the print (a smaller edit distance); an error is fixed at a
//! confidence when a right finding at that confidence covers it.

use std::collections::BTreeMap;
use std::io::BufRead;

use baozhi_model::{Article, FindingField, FindingKind};
use baozhi_text::is_han;

const THRESHOLDS: [f64; 3] = [0.5, 0.8, 0.9];

/// What an OCR paragraph got wrong at one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum ErrorKind {
    /// A Han character read as another.
    HanSubstitution,
    /// Punctuation read as other punctuation or another form (`；`→`;`,
    /// `——`→`一一`), added or lost.
    Punctuation,
    /// A character printed once and read twice.
    Doubled,
    /// A character printed and not read (not punctuation).
    Dropped,
    /// Anything else (a Latin letter or digit misread, a stray char).
    Other,
}

/// One edit of the alignment: at `at` chars into the OCR text.
#[derive(Debug, Clone, Copy)]
struct OcrError {
    kind: ErrorKind,
    at: usize,
    /// The printed char a substitution stands for.
    printed: Option<char>,
}

fn is_punct(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace()
}

/// Levenshtein distance of two char slices.
fn distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The OCR errors of `ocr` against `clean`, from an edit-distance alignment.
fn errors(ocr: &[char], clean: &[char]) -> Vec<OcrError> {
    let (n, m) = (ocr.len(), clean.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            d[i][j] = (d[i - 1][j - 1] + usize::from(ocr[i - 1] != clean[j - 1]))
                .min(d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1);
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        if i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1] + usize::from(ocr[i - 1] != clean[j - 1]) {
            if ocr[i - 1] != clean[j - 1] {
                let (o, c) = (ocr[i - 1], clean[j - 1]);
                let kind = if is_han(o) && is_han(c) {
                    ErrorKind::HanSubstitution
                } else if is_punct(c) || is_punct(o) {
                    ErrorKind::Punctuation
                } else {
                    ErrorKind::Other
                };
                out.push(OcrError {
                    kind,
                    at: i - 1,
                    printed: Some(c),
                });
            }
            i -= 1;
            j -= 1;
        } else if i > 0 && d[i][j] == d[i - 1][j] + 1 {
            // A char the print does not have.
            let o = ocr[i - 1];
            let kind = if is_punct(o) {
                ErrorKind::Punctuation
            } else if (i >= 2 && ocr[i - 2] == o) || ocr.get(i) == Some(&o) {
                ErrorKind::Doubled
            } else {
                ErrorKind::Other
            };
            out.push(OcrError {
                kind,
                at: i - 1,
                printed: None,
            });
            i -= 1;
        } else {
            // A printed char the OCR lost, between ocr[i-1] and ocr[i].
            let c = clean[j - 1];
            let kind = if is_punct(c) {
                ErrorKind::Punctuation
            } else {
                ErrorKind::Dropped
            };
            out.push(OcrError {
                kind,
                at: i,
                printed: None,
            });
            j -= 1;
        }
    }
    out
}

#[derive(Default)]
struct Tally {
    right: [usize; 3],
    flagged: [usize; 3],
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: ocreval PAIRS.jsonl");
    // OCREVAL_SHOW=1 lists every finding with a suggestion, right or wrong.
    let show = std::env::var_os("OCREVAL_SHOW").is_some();
    let file = std::fs::File::open(&path).expect("open PAIRS.jsonl");
    // EVAL_FEATURES=FILE writes every channel reading of the OCR text with
    // its features, as the `eval` example does for injected errors, for
    // scripts/fit-proof.py: label 1 when the reading alone brings the
    // paragraph closer to the print, 2 when it is wrong at a place OCR got
    // wrong (a real error, the wrong fix), 0 otherwise; and a `Mark` row
    // per punctuation finding: right or not, the mark and its suggestion.
    let mut features = std::env::var_os("EVAL_FEATURES")
        .map(|p| std::io::BufWriter::new(std::fs::File::create(p).expect("features file")));
    let mut by_finding: BTreeMap<String, Tally> = BTreeMap::new();
    // punctuation findings by what they read and suggest: (right, flagged),
    // whatever their confidence (what detect::HALF_WIDTH_CONFIDENCE is
    // measured from)
    let mut by_mark: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut errors_by_kind: BTreeMap<ErrorKind, (usize, [usize; 3])> = BTreeMap::new();
    // where Han substitutions are lost: [count, the print is among the
    // char's confusables, and the char is weak, and the right reading is
    // proposed (at any confidence)]
    let mut funnel = [0usize; 4];
    let (mut articles, mut chars, mut flags) = (0usize, 0usize, 0usize);
    for line in std::io::BufReader::new(file).lines() {
        let line = line.expect("read PAIRS.jsonl");
        let pair: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
        let clean: Article = serde_json::from_value(pair["clean"].clone()).expect("clean article");
        let ocr: Article = serde_json::from_value(pair["ocr"].clone()).expect("ocr article");
        articles += 1;
        let findings = baozhi_proof::proofread_from(&ocr, baozhi_proof::TextSource::Ocr);
        let grams = baozhi_proof::echo::ArticleGrams::new(&baozhi_proof::article_text(&ocr));
        for (p, (o, c)) in ocr.paragraphs.iter().zip(&clean.paragraphs).enumerate() {
            let field = baozhi_proof::channel::Field::new(&o.text);
            let o: Vec<char> = o.text.chars().collect();
            let c: Vec<char> = c.text.chars().collect();
            chars += o.len();
            // The alignment's edits: as many as the edit distance.
            let errs = errors(&o, &c);
            let before = errs.len();
            if let Some(out) = features.as_mut() {
                write_readings(out, &field, &grams, &o, &c, &errs, articles);
            }
            let mut fixed = vec![[false; 3]; errs.len()];
            for f in findings
                .iter()
                .filter(|f| f.field == FindingField::Paragraph && f.paragraph == Some(p))
            {
                let Some(s) = &f.suggestion else {
                    flags += 1;
                    continue;
                };
                if f.end > o.len() || f.start > f.end {
                    continue;
                }
                let mut applied: Vec<char> = o[..f.start].to_vec();
                applied.extend(s.chars());
                applied.extend_from_slice(&o[f.end..]);
                let right = distance(&applied, &c) < before;
                if show {
                    let original: String = o[f.start..f.end].iter().collect();
                    eprintln!(
                        "{} {:.2} {:?} {original} -> {s}: {} [{}]",
                        if right { "right" } else { "wrong" },
                        f.confidence,
                        f.kind,
                        f.evidence,
                        o[f.start.saturating_sub(5)..(f.end + 5).min(o.len())]
                            .iter()
                            .collect::<String>()
                    );
                }
                let kind = match f.kind {
                    FindingKind::Glyph => "glyph",
                    FindingKind::Duplicate => "duplicate",
                    FindingKind::Omission => "omission",
                    FindingKind::Repetition => "repetition",
                    FindingKind::Punctuation => "punctuation",
                    FindingKind::Other => "other",
                };
                if f.kind == FindingKind::Punctuation {
                    let e = by_mark.entry(format!("{} → {s}", f.original)).or_default();
                    e.0 += usize::from(right);
                    e.1 += 1;
                    if let Some(out) = features.as_mut() {
                        use std::io::Write;
                        writeln!(out, "Mark\t{}\t{}\t{s}", u8::from(right), f.original)
                            .expect("features written");
                    }
                }
                let t = by_finding.entry(kind.to_string()).or_default();
                for (k, th) in THRESHOLDS.iter().enumerate() {
                    if f.confidence >= *th {
                        t.flagged[k] += 1;
                        if right {
                            t.right[k] += 1;
                            for (e, done) in errs.iter().zip(fixed.iter_mut()) {
                                if f.start <= e.at && e.at < f.end.max(f.start + 1) {
                                    done[k] = true;
                                }
                            }
                        }
                    }
                }
            }
            let readings = baozhi_proof::channel::glyph_readings_every(&field, &grams);
            for e in errs.iter().filter(|e| e.kind == ErrorKind::HanSubstitution) {
                let Some(printed) = e.printed else { continue };
                funnel[0] += 1;
                let known = baozhi_proof::resources::confusables()
                    .of(o[e.at])
                    .iter()
                    .any(|x| x.alt == printed);
                if !known {
                    continue;
                }
                funnel[1] += 1;
                if !field.is_weak(e.at) {
                    continue;
                }
                funnel[2] += 1;
                let proposed = readings.iter().any(|r| r.at == e.at && r.ch == printed);
                funnel[3] += usize::from(proposed);
                if show && !proposed {
                    eprintln!(
                        "lost {} -> {printed}: [{}]",
                        o[e.at],
                        o[e.at.saturating_sub(5)..(e.at + 6).min(o.len())]
                            .iter()
                            .collect::<String>()
                    );
                }
            }
            for (e, done) in errs.iter().zip(&fixed) {
                let entry = errors_by_kind.entry(e.kind).or_default();
                entry.0 += 1;
                for (count, &d) in entry.1.iter_mut().zip(done) {
                    *count += usize::from(d);
                }
            }
        }
    }
    println!(
        "{articles} articles, {chars} chars of OCR paragraphs; {flags} flags without a suggestion"
    );
    println!("\n| finding kind | ≥0.5 right/flagged | ≥0.8 | ≥0.9 |\n|---|---|---|---|");
    let mut total = Tally::default();
    for (kind, t) in &by_finding {
        let cells: Vec<String> = (0..3)
            .map(|k| {
                total.right[k] += t.right[k];
                total.flagged[k] += t.flagged[k];
                cell(t.right[k], t.flagged[k])
            })
            .collect();
        println!("| {kind} | {} |", cells.join(" | "));
    }
    let cells: Vec<String> = (0..3)
        .map(|k| cell(total.right[k], total.flagged[k]))
        .collect();
    println!("| all | {} |", cells.join(" | "));
    println!("\n| punctuation finding | right/flagged |\n|---|---|");
    for (mark, (right, flagged)) in &by_mark {
        println!("| {mark} | {} |", cell(*right, *flagged));
    }
    println!("\n| OCR error | count | fixed ≥0.5 | ≥0.8 | ≥0.9 |\n|---|---|---|---|---|");
    for (kind, (n, fixed)) in &errors_by_kind {
        let share =
            |k: usize| format!("{} ({:.2})", fixed[k], fixed[k] as f64 / (*n).max(1) as f64);
        println!(
            "| {kind:?} | {n} | {} | {} | {} |",
            share(0),
            share(1),
            share(2)
        );
    }
    println!(
        "\nHan substitutions: {}; the print among the char's confusables: {}; \
         and the char weak: {}; and the right reading proposed: {}",
        funnel[0], funnel[1], funnel[2], funnel[3]
    );
}

/// `right/flagged (precision)`.
/// The OCR text with one channel reading applied: the look-alike put in,
/// the doubled char's first copy taken out, the fill put before its gap.
fn apply(ocr: &[char], kind: &str, r: &baozhi_proof::channel::Reading) -> Vec<char> {
    let mut t = ocr.to_vec();
    match kind {
        "Glyph" if r.at < t.len() => t[r.at] = r.ch,
        "Doubled" if r.at < t.len() => {
            t.remove(r.at);
        }
        "Dropped" if r.at <= t.len() => t.insert(r.at, r.ch),
        _ => {}
    }
    t
}

/// One row per channel reading of an OCR paragraph (see EVAL_FEATURES).
fn write_readings(
    out: &mut impl std::io::Write,
    field: &baozhi_proof::channel::Field,
    grams: &baozhi_proof::echo::ArticleGrams,
    ocr: &[char],
    clean: &[char],
    errs: &[OcrError],
    article: usize,
) {
    use baozhi_proof::{channel, omission};
    let readings = channel::glyph_readings_every(field, grams)
        .into_iter()
        .map(|r| ("Glyph", r))
        .chain(
            channel::doubled_readings(field, grams)
                .into_iter()
                .map(|r| ("Doubled", r)),
        )
        .chain(
            omission::omission_readings_above(field, grams, 0.0)
                .into_iter()
                .map(|r| ("Dropped", r)),
        );
    let before = errs.len();
    for (kind, r) in readings {
        let label = if distance(&apply(ocr, kind, &r), clean) < before {
            1
        } else if errs.iter().any(|e| e.at.abs_diff(r.at) <= 1) {
            2
        } else {
            0
        };
        let f: Vec<String> = r.features().iter().map(|v| format!("{v:.3}")).collect();
        let printed = ocr.get(r.at).copied().unwrap_or(' ');
        let context: String = ocr.iter().skip(r.at.saturating_sub(6)).take(12).collect();
        writeln!(
            out,
            "{kind}\t{label}\t{}\t{}\t{}\t{printed}\t{context}\t{article}",
            f.join("\t"),
            r.ch,
            r.word
        )
        .expect("features written");
    }
}

fn cell(right: usize, flagged: usize) -> String {
    if flagged == 0 {
        "0/0".to_string()
    } else {
        format!("{right}/{flagged} ({:.3})", right as f64 / flagged as f64)
    }
}
