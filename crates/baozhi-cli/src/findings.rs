//! Proofreading in the CLI: `parse --proof` / `--apply-corrections`, the
//! finding lines of the md and text formats, and the list that `baozhi
//! proof` shows an editor.
//!
//! A finding's `start`/`end` (char offsets) and `original` always refer to
//! the printed text of its field, also when the written text is corrected.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::io::{self, Write};

use baozhi_model::{Article, Document, Finding, FindingField, FindingKind};

/// Findings at or above this confidence count as sure in the summary; it is
/// also the default of `--apply-corrections`.
pub const SURE: f64 = 0.8;

/// Chars of context shown on each side of a finding.
const CONTEXT: usize = 15;

/// Checks a confidence given on the command line: a number in 0..=1.
pub fn parse_confidence(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        Ok(_) => Err(format!("{s:?} is not a confidence between 0 and 1")),
        Err(_) => Err(format!(
            "{s:?} is not a number (a confidence between 0 and 1)"
        )),
    }
}

/// Drops the findings below `min` (keeps `findings` present, maybe empty).
pub fn keep_at_least(doc: &mut Document, min: f64) {
    for a in &mut doc.articles {
        if let Some(fs) = &mut a.findings {
            fs.retain(|f| f.confidence >= min);
        }
    }
}

/// Fields in the order an article reads: headline, captions, body.
fn field_rank(field: FindingField) -> u8 {
    match field {
        FindingField::Kicker => 0,
        FindingField::Title => 1,
        FindingField::Subtitle => 2,
        FindingField::Caption => 3,
        FindingField::Paragraph => 4,
    }
}

fn field_name(field: FindingField) -> &'static str {
    match field {
        FindingField::Kicker => "kicker",
        FindingField::Title => "title",
        FindingField::Subtitle => "subtitle",
        FindingField::Caption => "caption",
        FindingField::Paragraph => "paragraph",
    }
}

fn kind_name(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Glyph => "glyph",
        FindingKind::Duplicate => "duplicate",
        FindingKind::Omission => "omission",
        FindingKind::Repetition => "repetition",
        FindingKind::Punctuation => "punctuation",
        FindingKind::Other => "other",
    }
}

/// Where a finding is, for readers of the md and text formats:
/// 引题, 标题, 副题, 图片说明1, 第2段 (counted from 1).
fn place_zh(f: &Finding) -> String {
    let n = f.paragraph.map_or(String::new(), |i| (i + 1).to_string());
    match f.field {
        FindingField::Kicker => "引题".to_string(),
        FindingField::Title => "标题".to_string(),
        FindingField::Subtitle => "副题".to_string(),
        FindingField::Caption => format!("图片说明{n}"),
        FindingField::Paragraph => format!("第{n}段"),
    }
}

fn or_else<'a>(s: &'a str, empty: &'a str) -> &'a str {
    if s.is_empty() {
        empty
    } else {
        s
    }
}

/// `校对：浙川 → 淅川（置信度 0.97，glyph，引题）evidence`: one finding in
/// the md and text formats (md puts `> ` before it). A finding without a
/// suggestion says 无建议; an empty suggestion (delete) reads （删去）, an
/// empty original (insert) （空）.
pub fn finding_line(f: &Finding) -> String {
    let what = match f.suggestion.as_deref() {
        Some(s) => format!(
            "{} → {}",
            or_else(&f.original, "（空）"),
            or_else(s, "（删去）")
        ),
        None => or_else(&f.original, "（空）").to_string(),
    };
    let mut notes = vec![
        format!("置信度 {:.2}", f.confidence),
        kind_name(f.kind).to_string(),
        place_zh(f),
    ];
    if f.suggestion.is_none() {
        notes.push("无建议".to_string());
    }
    let evidence = one_line(&f.evidence);
    format!("校对：{what}（{}）{evidence}", notes.join("，"))
}

/// Line breaks and other control chars as spaces, so that a value stays on
/// its line.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// ANSI escapes, or nothing when colour is off.
struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 && !s.is_empty() {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

const BOLD: &str = "1";
const DIM: &str = "2";
const RED: &str = "1;31";
const GREEN: &str = "1;32";
const YELLOW: &str = "33";

/// `…走进[浙川→淅川]县仓房镇…`: the finding in its field with up to
/// [`CONTEXT`] chars either side; `[浙川]` when there is no suggestion.
#[cfg(test)]
fn context_line(text: Option<&str>, f: &Finding, paint: &Paint) -> String {
    let chars: Option<Vec<char>> = text.map(|t| t.chars().collect());
    context_line_in(chars.as_deref(), f, paint)
}

/// [`context_line`] on a field's chars, which the caller collects once for
/// all the field's findings (a field may carry thousands).
fn context_line_in(chars: Option<&[char]>, f: &Finding, paint: &Paint) -> String {
    let sugg = f
        .suggestion
        .as_deref()
        .map(|s| format!("→{}", paint.wrap(GREEN, &one_line(s))))
        .unwrap_or_default();
    let mark = format!("[{}{sugg}]", paint.wrap(RED, &one_line(&f.original)));
    let Some(chars) = chars.filter(|c| f.start <= f.end && f.end <= c.len()) else {
        return mark;
    };
    let from = f.start.saturating_sub(CONTEXT);
    let to = (f.end + CONTEXT).min(chars.len());
    let before: String = chars[from..f.start].iter().collect();
    let after: String = chars[f.end..to].iter().collect();
    format!(
        "{}{}{mark}{}{}",
        if from > 0 { "…" } else { "" },
        one_line(&before),
        one_line(&after),
        if to < chars.len() { "…" } else { "" },
    )
}

/// Counts over a `baozhi proof` run, for its summary line.
#[derive(Debug, Default)]
pub struct Tally {
    findings: usize,
    sure: usize,
    articles: usize,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Tally {
    /// `N findings (M at ≥0.8) in K articles`, K the articles proofread.
    pub fn summary(&self, color: bool, w: &mut impl Write) -> io::Result<()> {
        let line = format!(
            "{} ({} at ≥{SURE}) in {}",
            plural(self.findings, "finding", "findings"),
            self.sure,
            plural(self.articles, "article", "articles"),
        );
        writeln!(w, "{}", Paint(color).wrap(BOLD, &line))
    }
}

/// The findings of one document for an editor, most confident first (ties
/// in reading order: article, field, position), each as a block: a header
/// (confidence, kind, article id, field and paragraph index), the finding
/// in context, the evidence, and a blank line. `file`, when given, heads
/// the list.
pub fn editor_list(
    doc: &Document,
    file: Option<&str>,
    color: bool,
    tally: &mut Tally,
    w: &mut impl Write,
) -> io::Result<()> {
    let paint = Paint(color);
    let mut all: Vec<(usize, &Article, &Finding)> = doc
        .articles
        .iter()
        .enumerate()
        .flat_map(|(i, a)| a.findings.iter().flatten().map(move |f| (i, a, f)))
        .collect();
    all.sort_by(|x, y| {
        y.2.confidence
            .partial_cmp(&x.2.confidence)
            .unwrap_or(Ordering::Equal)
            .then(x.0.cmp(&y.0))
            .then(field_rank(x.2.field).cmp(&field_rank(y.2.field)))
            .then(x.2.paragraph.cmp(&y.2.paragraph))
            .then(x.2.start.cmp(&y.2.start))
            .then(x.2.end.cmp(&y.2.end))
    });
    tally.articles += doc.articles.len();
    tally.findings += all.len();
    tally.sure += all.iter().filter(|(_, _, f)| f.confidence >= SURE).count();
    if let Some(file) = file {
        writeln!(w, "{}", paint.wrap(BOLD, &format!("==> {file} <==")))?;
        writeln!(w)?;
    }
    // each field's chars, collected once for all its findings
    let mut field_chars: HashMap<(usize, u8, Option<usize>), Option<Vec<char>>> = HashMap::new();
    for (i, a, f) in all {
        let conf = format!("{:.2}", f.confidence);
        let conf_code = if f.confidence >= SURE {
            RED
        } else if f.confidence >= 0.5 {
            YELLOW
        } else {
            DIM
        };
        let place = match f.paragraph {
            Some(i) => format!("{} {i}", field_name(f.field)),
            None => field_name(f.field).to_string(),
        };
        writeln!(
            w,
            "{}  {}  {} {place}",
            paint.wrap(conf_code, &conf),
            paint.wrap(BOLD, kind_name(f.kind)),
            a.id,
        )?;
        let chars = field_chars
            .entry((i, field_rank(f.field), f.paragraph))
            .or_insert_with(|| {
                a.field_text(f.field, f.paragraph)
                    .map(|t| t.chars().collect())
            });
        writeln!(w, "  {}", context_line_in(chars.as_deref(), f, &paint))?;
        if !f.evidence.is_empty() {
            writeln!(w, "  {}", paint.wrap(DIM, &one_line(&f.evidence)))?;
        }
        writeln!(w)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use baozhi_model::{Paragraph, ParagraphKind};

    fn finding(field: FindingField, paragraph: Option<usize>, start: usize, conf: f64) -> Finding {
        Finding {
            field,
            paragraph,
            start,
            end: start + 2,
            original: "浙川".into(),
            suggestion: Some("淅川".into()),
            confidence: conf,
            kind: FindingKind::Glyph,
            evidence: "淅川县 411326 in the gazetteer".into(),
        }
    }

    fn article() -> Article {
        let mut a = Article::new("01-1".into(), Some("01".into()), "标题".into());
        a.kicker = Some("浙川县发展生态林果".into());
        a.paragraphs = vec![Paragraph {
            kind: ParagraphKind::Text,
            text: "记者日前走进浙川县仓房镇，看到漫山遍野的林果基地里，一派丰收景象，一片繁忙。"
                .into(),
        }];
        a.findings = Some(vec![
            finding(FindingField::Paragraph, Some(0), 6, 0.9),
            finding(FindingField::Kicker, None, 0, 0.97),
            finding(FindingField::Paragraph, Some(0), 6, 0.97),
        ]);
        a
    }

    #[test]
    fn confidences_are_checked() {
        assert_eq!(parse_confidence("0.8"), Ok(0.8));
        assert_eq!(parse_confidence("1"), Ok(1.0));
        assert_eq!(parse_confidence("0"), Ok(0.0));
        assert!(parse_confidence("1.5").is_err());
        assert!(parse_confidence("-0.1").is_err());
        assert!(parse_confidence("NaN").is_err());
        assert!(parse_confidence("high").is_err());
    }

    #[test]
    fn context_is_cut_to_fifteen_chars_each_side() {
        let a = article();
        let f = &a.findings.as_ref().unwrap()[0];
        let line = context_line(a.field_text(f.field, f.paragraph), f, &Paint(false));
        assert_eq!(
            line,
            "记者日前走进[浙川→淅川]县仓房镇，看到漫山遍野的林果基…"
        );
        let mut late = f.clone();
        late.start = 28;
        late.end = 30;
        late.original = "丰收".into();
        let line = context_line(
            a.field_text(late.field, late.paragraph),
            &late,
            &Paint(false),
        );
        assert_eq!(
            line,
            "…看到漫山遍野的林果基地里，一派[丰收→淅川]景象，一片繁忙。"
        );
        let k = &a.findings.as_ref().unwrap()[1];
        let line = context_line(a.kicker.as_deref(), k, &Paint(false));
        assert_eq!(line, "[浙川→淅川]县发展生态林果");
        let colored = context_line(a.kicker.as_deref(), k, &Paint(true));
        assert!(colored.contains("\x1b[1;31m浙川\x1b[0m→\x1b[1;32m淅川\x1b[0m"));
        // Offsets outside the field: the finding alone.
        let mut far = k.clone();
        far.start = 40;
        far.end = 42;
        assert_eq!(
            context_line(a.kicker.as_deref(), &far, &Paint(false)),
            "[浙川→淅川]"
        );
        let mut bare = k.clone();
        bare.suggestion = None;
        assert_eq!(
            context_line(a.kicker.as_deref(), &bare, &Paint(false)),
            "[浙川]县发展生态林果"
        );
    }

    #[test]
    fn editor_list_sorts_by_confidence_then_reading_order() {
        let mut d = Document::new(None, None);
        d.articles.push(article());
        let mut out = Vec::new();
        let mut tally = Tally::default();
        editor_list(&d, None, false, &mut tally, &mut out).unwrap();
        tally.summary(false, &mut out).unwrap();
        let s = String::from_utf8(out).unwrap();
        let heads: Vec<&str> = s.lines().filter(|l| l.starts_with("0.")).collect();
        assert_eq!(
            heads,
            [
                "0.97  glyph  01-1 kicker",
                "0.97  glyph  01-1 paragraph 0",
                "0.90  glyph  01-1 paragraph 0"
            ],
            "{s}"
        );
        assert!(s.contains("\n  淅川县 411326 in the gazetteer\n"), "{s}");
        assert!(!s.contains('\x1b'));
        assert!(s.ends_with("3 findings (3 at ≥0.8) in 1 article\n"), "{s}");
    }

    #[test]
    fn finding_lines_for_md_and_text() {
        let a = article();
        let fs = a.findings.as_ref().unwrap();
        assert_eq!(
            finding_line(&fs[1]),
            "校对：浙川 → 淅川（置信度 0.97，glyph，引题）淅川县 411326 in the gazetteer"
        );
        assert!(finding_line(&fs[0]).contains("（置信度 0.90，glyph，第1段）"));
        let mut dup = fs[0].clone();
        dup.suggestion = None;
        dup.evidence = "a\nb".into();
        assert!(finding_line(&dup).ends_with("浙川（置信度 0.90，glyph，第1段，无建议）a b"));
        dup.suggestion = Some(String::new());
        assert!(finding_line(&dup).starts_with("校对：浙川 → （删去）（"));
    }

    #[test]
    fn keep_at_least_filters_but_keeps_the_key() {
        let mut d = Document::new(None, None);
        d.articles.push(article());
        keep_at_least(&mut d, 0.95);
        assert_eq!(d.articles[0].findings.as_ref().map(Vec::len), Some(2));
        keep_at_least(&mut d, 1.0);
        assert_eq!(d.articles[0].findings.as_ref().map(Vec::len), Some(0));
    }
}
