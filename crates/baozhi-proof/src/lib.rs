//! Proofreading: the errors that extraction and OCR put into page text —
//! glyph confusions (`浙川` for 淅川), doubled chars (`有有着`), dropped
//! chars the article itself restores, a repeated phrase where the copy
//! should differ, unbalanced quotes — listed as findings beside the printed
//! text, each with its evidence. Printed text is never changed here;
//! [`apply`] writes a corrected copy on request.

pub mod bigram;
pub mod channel;
pub mod charlm;
pub mod detect;
pub mod echo;
mod filter;
pub mod lm;
pub mod omission;
pub mod print;
pub mod resources;

pub use baozhi_model::TextSource;

use baozhi_model::{Article, Finding, FindingField, FindingKind, Page};
use detect::Candidate;

/// The proofreader's own data (char n-grams, word bigrams and the word
/// pairs they back, the gazetteer, the look-alike tables), each parsed once
/// per process on first use; the largest take a few hundred milliseconds.
/// A batch starts them side by side before its first page. The word list
/// it shares with the page engine is loaded with the page engine's data
/// (`baozhi_layout::LOADERS`): listed here too, a second task would only
/// wait on the first.
pub const LOADERS: [fn(); 4] = [
    || {
        charlm::model();
    },
    || {
        channel::warm_up();
    },
    || {
        resources::gazetteer();
    },
    || {
        resources::confusables();
    },
];

/// The most a finding may claim when the article shows its span stands as
/// printed ([`print::print_stands`]): below the 0.5 at which findings count
/// as likely, so that it is listed for an editor who wants to look but
/// never applied or counted as an error.
pub const PRINT_STANDS_CAP: f64 = 0.3;

/// An article's text fields, one per line: the context its findings are
/// weighed in (a misread name or term recurs elsewhere in it).
pub fn article_text(article: &Article) -> String {
    let mut context = String::new();
    for t in article
        .kicker
        .iter()
        .chain(std::iter::once(&article.title))
        .chain(&article.subtitle)
    {
        context.push_str(t);
        context.push('\n');
    }
    for p in &article.paragraphs {
        context.push_str(&p.text);
        context.push('\n');
    }
    for c in &article.captions {
        context.push_str(&c.text);
        context.push('\n');
    }
    context
}

/// What the text of `article` was read from, as the page it is printed on
/// says (`pages` of its document; the first page when none has its
/// number): text as given when the page does not say.
pub fn source_of(pages: &[Page], article: &Article) -> TextSource {
    pages
        .iter()
        .find(|p| p.page.is_some() && p.page == article.page)
        .or(pages.first())
        .and_then(|p| p.source)
        .unwrap_or(TextSource::Text)
}

/// Findings for one article, sorted by field and position; its text taken
/// for print (or an extractor's reading of print).
pub fn proofread(article: &Article) -> Vec<Finding> {
    proofread_from(article, TextSource::Text)
}

/// Findings for one article whose text was read from `source`: in OCR's
/// text a look-alike reading is right far more often than in print's
/// ([`channel::prior_logit`]).
pub fn proofread_from(article: &Article, source: TextSource) -> Vec<Finding> {
    let prior = channel::prior_logit(source);
    let context = article_text(article);
    let mut fields: Vec<(FindingField, Option<usize>, &str)> = Vec::new();
    if let Some(k) = &article.kicker {
        fields.push((FindingField::Kicker, None, k));
    }
    fields.push((FindingField::Title, None, &article.title));
    if let Some(s) = &article.subtitle {
        fields.push((FindingField::Subtitle, None, s));
    }
    for (i, c) in article.captions.iter().enumerate() {
        fields.push((FindingField::Caption, Some(i), &c.text));
    }
    for (i, p) in article.paragraphs.iter().enumerate() {
        fields.push((FindingField::Paragraph, Some(i), &p.text));
    }

    let grams = echo::ArticleGrams::new(&context);
    // one segmentation per field serves every reader, and the propagation
    let field_texts: Vec<channel::Field> = fields
        .iter()
        .map(|(_, _, text)| channel::Field::new(text))
        .collect();
    let mut per_field: Vec<Vec<Candidate>> = fields
        .iter()
        .zip(&field_texts)
        .map(|((field, _, _), field_text)| {
            let mut c = detect::look_alikes(&field_text.cs);
            c.extend(detect::place_glyphs(&field_text.cs, context.as_str()));
            c.extend(channel::doubled_findings(field_text, &grams));
            c.extend(detect::repeated_pair(&field_text.cs));
            c.extend(channel::glyph_findings(field_text, &grams, prior));
            c.extend(omission::omission_findings(field_text, &grams));
            // quotes may run over several paragraphs of a quotation; a
            // caption or headline must close its own
            let conf = if *field == FindingField::Paragraph {
                0.4
            } else {
                0.6
            };
            c.extend(detect::unbalanced(&field_text.cs, conf));
            let headline = matches!(
                field,
                FindingField::Kicker | FindingField::Title | FindingField::Subtitle
            );
            c.extend(detect::half_width_marks(&field_text.cs, headline));
            c.extend(detect::straight_quotes(&field_text.cs));
            c
        })
        .collect();
    // The article's own evidence for the print outweighs the readers'
    // (a gazetteer's does not: it comes from outside the article).
    let mut byline_names = String::new();
    for b in &article.bylines {
        for n in &b.names {
            byline_names.push_str(n);
            byline_names.push('\n');
        }
    }
    for (cands, field_text) in per_field.iter_mut().zip(&field_texts) {
        for c in cands.iter_mut() {
            let weighed = matches!(c.kind, FindingKind::Duplicate | FindingKind::Glyph)
                && !c.evidence.contains("gazetteer")
                && c.confidence > PRINT_STANDS_CAP;
            if !weighed {
                continue;
            }
            if let Some(why) = print::print_stands(&field_text.cs, c.start, c.end, &byline_names) {
                c.confidence = PRINT_STANDS_CAP;
                c.evidence = format!("{}; but the print stands: {why}", c.evidence);
            }
        }
    }
    // A misread place name recurs: find its other occurrences too.
    let found: Vec<(String, String, String)> = per_field
        .iter()
        .flatten()
        .filter(|c| {
            c.kind == baozhi_model::FindingKind::Glyph
                && c.evidence.contains("gazetteer")
                && c.original.chars().count() >= 2
        })
        .filter_map(|c| {
            c.suggestion
                .clone()
                .map(|s| (c.original.clone(), s, c.evidence.clone()))
        })
        .collect();
    if !found.is_empty() {
        for (i, field_text) in field_texts.iter().enumerate() {
            let more = detect::propagate(&field_text.cs, &found, &per_field[i]);
            per_field[i].extend(more);
        }
    }

    let mut out = Vec::new();
    for ((field, index, _), cands) in fields.iter().zip(per_field) {
        for c in resolve(cands) {
            out.push(Finding {
                field: *field,
                paragraph: *index,
                start: c.start,
                end: c.end,
                original: c.original,
                suggestion: c.suggestion,
                confidence: (c.confidence * 100.0).round() / 100.0,
                kind: c.kind,
                evidence: c.evidence,
            });
        }
    }
    out
}

/// Overlapping candidates: the more confident one stands.
///
/// Kept spans never overlap one another, so among those starting before a
/// candidate's end, the one last in (start, end) order is the only one the
/// candidate can overlap without also overlapping it. One ordered-map
/// lookup per candidate keeps a field with many findings (a page of
/// unpaired brackets) at n log n.
fn resolve(mut cands: Vec<Candidate>) -> Vec<Candidate> {
    cands.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    let mut kept: std::collections::BTreeMap<(usize, usize), Candidate> =
        std::collections::BTreeMap::new();
    for c in cands {
        let overlaps = kept
            .range(..(c.end, 0))
            .next_back()
            .is_some_and(|(&(start, end), _)| c.start < end && start < c.end);
        if !overlaps {
            kept.entry((c.start, c.end)).or_insert(c);
        }
    }
    kept.into_values().collect()
}

/// Apply findings at or above `min_confidence` that carry a suggestion to a
/// copy of the article's text fields.
pub fn apply(article: &Article, findings: &[Finding], min_confidence: f64) -> Article {
    let mut a = article.clone();
    let chosen: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.confidence >= min_confidence && f.suggestion.is_some())
        .collect();
    let fix = |text: &str, field: FindingField, index: Option<usize>| -> String {
        let mut fs: Vec<&&Finding> = chosen
            .iter()
            .filter(|f| f.field == field && f.paragraph == index)
            .collect();
        fs.sort_by_key(|f| std::cmp::Reverse(f.start));
        let mut cs: Vec<char> = text.chars().collect();
        for f in fs {
            if f.end <= cs.len() && f.start <= f.end {
                let s: Vec<char> = f.suggestion.as_deref().unwrap_or("").chars().collect();
                cs.splice(f.start..f.end, s);
            }
        }
        cs.into_iter().collect()
    };
    a.kicker = a
        .kicker
        .as_deref()
        .map(|t| fix(t, FindingField::Kicker, None));
    a.title = fix(&a.title, FindingField::Title, None);
    a.subtitle = a
        .subtitle
        .as_deref()
        .map(|t| fix(t, FindingField::Subtitle, None));
    for (i, c) in a.captions.iter_mut().enumerate() {
        c.text = fix(&c.text, FindingField::Caption, Some(i));
    }
    for (i, p) in a.paragraphs.iter_mut().enumerate() {
        p.text = fix(&p.text, FindingField::Paragraph, Some(i));
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use baozhi_model::{FindingKind, Paragraph, ParagraphKind};
    use proptest::prelude::*;

    fn cand(start: usize, len: usize, confidence: f64) -> Candidate {
        Candidate {
            start,
            end: start + len,
            original: String::new(),
            suggestion: None,
            confidence,
            kind: FindingKind::Punctuation,
            evidence: String::new(),
        }
    }

    /// `resolve` as its doc defines it: most confident first, each kept
    /// unless it overlaps one kept before it (the quadratic reading).
    fn resolve_by_definition(mut cands: Vec<Candidate>) -> Vec<(usize, usize, f64)> {
        cands.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
        let mut kept: Vec<Candidate> = Vec::new();
        for c in cands {
            if !kept.iter().any(|k| c.start < k.end && k.start < c.end) {
                kept.push(c);
            }
        }
        kept.sort_by_key(|c| (c.start, c.end));
        kept.dedup_by_key(|c| (c.start, c.end));
        kept.iter()
            .map(|c| (c.start, c.end, c.confidence))
            .collect()
    }

    proptest! {
        #[test]
        fn resolve_keeps_what_the_definition_keeps(
            spans in proptest::collection::vec((0usize..40, 0usize..5, 0u8..10), 0..40)
        ) {
            let cands: Vec<Candidate> = spans
                .iter()
                .map(|&(s, l, c)| cand(s, l, f64::from(c) / 10.0))
                .collect();
            let got: Vec<(usize, usize, f64)> = resolve(cands.clone())
                .iter()
                .map(|c| (c.start, c.end, c.confidence))
                .collect();
            prop_assert_eq!(got, resolve_by_definition(cands));
        }
    }

    #[test]
    fn a_field_of_unpaired_brackets_is_proofread() {
        // 30,000 findings that do not overlap: every one is kept
        let cands: Vec<Candidate> = (0..30_000).map(|i| cand(i, 1, 0.4)).collect();
        assert_eq!(resolve(cands).len(), 30_000);
    }

    fn article(kicker: &str, paras: &[&str]) -> Article {
        let mut a = Article::new("t-1".into(), None, "好了渠首生态".into());
        a.kicker = Some(kicker.into());
        a.paragraphs = paras
            .iter()
            .map(|t| Paragraph {
                kind: ParagraphKind::Text,
                text: t.to_string(),
            })
            .collect();
        a
    }

    #[test]
    fn findings_point_into_fields_and_apply_gives_the_corrected_text() {
        let a = article(
            "浙川县发展生态林果",
            &["南阳的浙川县是渠首所在地,虽有有着多年的产业史。"],
        );
        let f = proofread(&a);
        assert!(f
            .iter()
            .any(|f| f.field == FindingField::Kicker && f.original == "浙川" && f.start == 0));
        let p: Vec<_> = f
            .iter()
            .filter(|f| f.field == FindingField::Paragraph)
            .collect();
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p.iter().all(|f| f.paragraph == Some(0)));
        let fixed = apply(&a, &f, 0.8);
        assert_eq!(fixed.kicker.as_deref(), Some("淅川县发展生态林果"));
        assert_eq!(
            fixed.paragraphs[0].text,
            "南阳的淅川县是渠首所在地,虽有着多年的产业史。"
        );
        assert_eq!(
            a.paragraphs[0].text, "南阳的浙川县是渠首所在地,虽有有着多年的产业史。",
            "the printed text is untouched"
        );
    }
}
