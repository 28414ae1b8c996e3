//! Which printed line holds what: each text line of a page tied to the
//! article or furniture item whose spans cover it, and within an article to
//! the fields (title, byline, paragraph …) whose text it carries.
//!
//! A `baozhi/1` article says which input characters it holds (`spans`) but
//! not which of them went into which field: fields are joined, trimmed and
//! cleaned (a kicker's —— dropped, a paragraph cut by a column end joined
//! again, punctuation width restored). So the owner of a line comes from
//! the spans, as `baozhi-layout`'s `regions` draws article boxes, and its
//! fields from its text: the line's characters are found in the fields'
//! text, whole when they can be, in pieces otherwise.

use baozhi_model::{Article, Document};
use baozhi_text::is_space;

/// A non-blank text line: its number (blank lines counted, as the
/// geometry counts them), its char range in the page text, trimmed of
/// white space, and that text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextLine<'a> {
    pub number: usize,
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
}

/// The non-blank lines of `text`. Any of `\r\n`, `\r`, `\n` ends a line,
/// as the page engine reads it; offsets count chars.
pub fn split_lines(text: &str) -> Vec<TextLine<'_>> {
    let mut out = Vec::new();
    let mut number = 0;
    let mut start_byte = 0;
    let mut start_char = 0;
    let mut chars = 0;
    let mut iter = text.char_indices().peekable();
    let mut push = |from_b: usize, to_b: usize, from_c: usize, number: usize| {
        let raw = &text[from_b..to_b];
        let lead = raw.len() - raw.trim_start_matches(is_space).len();
        let body = raw.trim_matches(is_space);
        if !body.is_empty() {
            let start = from_c + raw[..lead].chars().count();
            out.push(TextLine {
                number,
                start,
                end: start + body.chars().count(),
                text: body,
            });
        }
    };
    while let Some((i, c)) = iter.next() {
        if c == '\n' || c == '\r' {
            push(start_byte, i, start_char, number);
            let mut next = i + 1;
            chars += 1;
            if c == '\r' && iter.peek().is_some_and(|&(_, n)| n == '\n') {
                iter.next();
                next += 1;
                chars += 1;
            }
            number += 1;
            start_byte = next;
            start_char = chars;
        } else {
            chars += 1;
        }
    }
    push(start_byte, text.len(), start_char, number);
    out
}

/// What a line belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Owner {
    /// `articles[i]` of the document.
    Article(usize),
    /// `furniture[i]` of the document's first page.
    Furniture(usize),
    /// Nothing the document names (a character the engine set aside).
    None,
}

/// The owner of each line: the article or furniture item whose spans cover
/// most of its characters (articles first on a tie).
pub fn owners(lines: &[TextLine<'_>], doc: &Document) -> Vec<Owner> {
    let mut counts: Vec<Vec<(Owner, usize)>> = vec![Vec::new(); lines.len()];
    let mut add = |owner: Owner, span: [usize; 2]| {
        let first = lines.partition_point(|l| l.end <= span[0]);
        for (k, l) in lines.iter().enumerate().skip(first) {
            if l.start >= span[1] {
                break;
            }
            let n = l.end.min(span[1]) - l.start.max(span[0]);
            match counts[k].iter_mut().find(|(o, _)| *o == owner) {
                Some((_, c)) => *c += n,
                None => counts[k].push((owner, n)),
            }
        }
    };
    for (i, a) in doc.articles.iter().enumerate() {
        for s in &a.spans {
            add(Owner::Article(i), *s);
        }
    }
    if let Some(page) = doc.pages.first() {
        for (i, f) in page.furniture.iter().enumerate() {
            for s in &f.spans {
                add(Owner::Furniture(i), *s);
            }
        }
    }
    counts
        .into_iter()
        .map(|c| {
            // The first of the largest: max_by_key would take the last.
            let mut best = (Owner::None, 0);
            for (o, n) in c {
                if n > best.1 {
                    best = (o, n);
                }
            }
            best.0
        })
        .collect()
}

/// A field of an article that printed lines carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Column,
    Series,
    Kicker,
    Title,
    Subtitle,
    Byline(usize),
    Dateline,
    Paragraph(usize),
    Caption(usize),
    /// A jump line: (下转02版) or (上接01版).
    Jump,
    Mark(usize),
}

impl Field {
    /// The field's place in a run of fields of its kind (paragraph 3),
    /// for preferring the next one when a line fits several.
    fn index(self) -> Option<usize> {
        match self {
            Field::Byline(i) | Field::Paragraph(i) | Field::Caption(i) | Field::Mark(i) => Some(i),
            _ => None,
        }
    }

    /// Which kind of field, from 0 to [`FIELD_KINDS`] - 1.
    fn kind(self) -> u8 {
        match self {
            Field::Column => 0,
            Field::Series => 1,
            Field::Kicker => 2,
            Field::Title => 3,
            Field::Subtitle => 4,
            Field::Byline(_) => 5,
            Field::Dateline => 6,
            Field::Paragraph(_) => 7,
            Field::Caption(_) => 8,
            Field::Jump => 9,
            Field::Mark(_) => 10,
        }
    }
}

/// How many kinds of [`Field`] there are (`Field::kind` numbers them).
const FIELD_KINDS: usize = 11;

/// A piece of a line counts as found in a field when at least this many
/// of its characters stand together in the field's text: one character
/// is found nearly anywhere in a page of Chinese, two rarely by chance
/// next to the right neighbours.
const MIN_PIECE: usize = 2;

/// Text as compared: full-width ASCII folded, white space left out (the
/// engine joins lines and drops the spaces between them).
fn normalize(s: &str) -> String {
    baozhi_text::width::fold_width(s)
        .chars()
        .filter(|&c| !is_space(c))
        .collect()
}

/// The characters of a normalized line found in a field's normalized
/// text: the whole line when it is there, else the longest pieces of at
/// least [`MIN_PIECE`] characters, left to right.
fn covered(line: &str, bounds: &[usize], field: &str) -> Vec<bool> {
    let n = bounds.len() - 1;
    if n == 0 || field.is_empty() {
        return vec![false; n];
    }
    if field.contains(line) {
        return vec![true; n];
    }
    let mut mask = vec![false; n];
    let mut i = 0;
    while i + MIN_PIECE <= n {
        if !field.contains(&line[bounds[i]..bounds[i + MIN_PIECE]]) {
            i += 1;
            continue;
        }
        let mut k = MIN_PIECE;
        while i + k < n && field.contains(&line[bounds[i]..bounds[i + k + 1]]) {
            k += 1;
        }
        mask[i..i + k].iter_mut().for_each(|m| *m = true);
        i += k;
    }
    mask
}

/// The fields of an article, each with its normalized text (a field may
/// come with more than one text: a caption and its credit).
fn field_texts(a: &Article) -> Vec<(Field, String)> {
    let mut out = Vec::new();
    let mut push = |f: Field, s: &str| {
        let n = normalize(s);
        if !n.is_empty() {
            out.push((f, n));
        }
    };
    if let Some(s) = &a.column {
        push(Field::Column, s);
    }
    if let Some(s) = &a.series {
        push(Field::Series, s);
    }
    if let Some(s) = &a.kicker {
        push(Field::Kicker, s);
    }
    push(Field::Title, &a.title);
    if let Some(s) = &a.subtitle {
        push(Field::Subtitle, s);
    }
    for (i, b) in a.bylines.iter().enumerate() {
        let mut s = b.role.clone().unwrap_or_default();
        for n in &b.names {
            s.push_str(n);
        }
        push(Field::Byline(i), &s);
    }
    if let Some(s) = &a.dateline {
        push(Field::Dateline, s);
    }
    for (i, p) in a.paragraphs.iter().enumerate() {
        push(Field::Paragraph(i), &p.text);
    }
    for (i, c) in a.captions.iter().enumerate() {
        push(Field::Caption(i), &c.text);
        if let Some(credit) = &c.credit {
            push(Field::Caption(i), credit);
        }
    }
    if let Some(p) = &a.continues_to {
        push(Field::Jump, &format!("下转{p}版"));
    }
    if let Some(p) = &a.continued_from {
        push(Field::Jump, &format!("上接{p}版"));
    }
    for (i, m) in a.marks.iter().enumerate() {
        push(Field::Mark(i), m);
    }
    out
}

/// The fields each of an article's lines carries, in the order of
/// `lines` (the article's lines in reading order); a line that carries
/// none has an empty list.
///
/// Each line goes first to the field that holds most of it (the next
/// paragraph in reading order on a tie: two paragraphs may both hold a
/// short line), then to further fields that hold pieces of the rest (a
/// kicker and title printed on one line, a mark after the last sentence).
///
/// Some fields are copies of printed text that the lines above already
/// gave to another field: a dateline is copied from the paragraph it
/// opens, reporters named in it become the bylines. A field left without
/// lines is given a run of consecutive lines that hold pieces of it, when
/// those pieces add up to at least [`COPY_SHARE`] of its text (so a short
/// title is not given a body line that happens to hold two of its
/// characters).
pub fn fields_of_lines(a: &Article, lines: &[&str]) -> Vec<Vec<Field>> {
    let fields = field_texts(a);
    // For the second pass: how many of each line's characters each field
    // holds (fields in the order of `fields`, merged by field).
    let mut held: Vec<Vec<(Field, usize)>> = Vec::with_capacity(lines.len());
    // The last index taken of each kind of field (see `Field::kind`).
    let mut last_index = [0usize; FIELD_KINDS];
    let mut out = Vec::with_capacity(lines.len());
    for text in lines {
        let line = normalize(text);
        let bounds: Vec<usize> = line
            .char_indices()
            .map(|(i, _)| i)
            .chain([line.len()])
            .collect();
        let n = bounds.len() - 1;
        // One coverage mask per field, texts of one field merged.
        let mut masks: Vec<(Field, Vec<bool>)> = Vec::new();
        for (f, t) in &fields {
            let m = covered(&line, &bounds, t);
            match masks.iter_mut().find(|(g, _)| g == f) {
                Some((_, acc)) => acc.iter_mut().zip(m).for_each(|(a, b)| *a |= b),
                None => masks.push((*f, m)),
            }
        }
        let count = |m: &[bool]| m.iter().filter(|&&b| b).count();
        let prefer = |f: Field, last: &[usize; FIELD_KINDS]| -> (usize, usize, u8) {
            match f.index() {
                Some(i) if i >= last[f.kind() as usize] => {
                    (0, i - last[f.kind() as usize], f.kind())
                }
                Some(i) => (1, i, f.kind()),
                None => (0, 0, f.kind()),
            }
        };
        let mut chosen: Vec<Field> = Vec::new();
        let mut done = vec![false; n];
        loop {
            let best = masks
                .iter()
                .filter(|(f, _)| *f != Field::Dateline && !chosen.contains(f))
                .map(|(f, m)| {
                    let gain = m.iter().zip(&done).filter(|(m, d)| **m && !**d).count();
                    (*f, m, gain)
                })
                .filter(|(_, _, gain)| {
                    let least = if chosen.is_empty() {
                        MIN_PIECE.min(n)
                    } else {
                        MIN_PIECE
                    };
                    *gain >= least.max(1)
                })
                .min_by_key(|(f, _, gain)| (std::cmp::Reverse(*gain), prefer(*f, &last_index)));
            let Some((f, m, _)) = best else { break };
            done.iter_mut().zip(m).for_each(|(d, m)| *d |= *m);
            chosen.push(f);
            if let Some(i) = f.index() {
                last_index[f.kind() as usize] = i;
            }
        }
        held.push(masks.iter().map(|(f, m)| (*f, count(m))).collect());
        out.push(chosen);
    }

    // Second pass: the fields no line was given.
    let mut seen: Vec<Field> = Vec::new();
    for (f, _) in &fields {
        if seen.contains(f) || out.iter().any(|fs| fs.contains(f)) {
            continue;
        }
        seen.push(*f);
        // All of the field's texts (a caption and its credit).
        let len: usize = fields
            .iter()
            .filter(|(g, _)| g == f)
            .map(|(_, t)| t.chars().count())
            .sum();
        // How much of the field each line holds, when it holds a piece.
        let piece: Vec<usize> = held
            .iter()
            .map(|h| h.iter().find(|(g, _)| g == f).map_or(0, |(_, c)| *c))
            .map(|c| if c >= MIN_PIECE { c } else { 0 })
            .collect();
        if let Some((from, to)) = copy_run(&piece, len) {
            for fs in &mut out[from..=to] {
                fs.push(*f);
            }
        }
    }
    out
}

/// The run of consecutive lines (`from..=to`) that prints a copied field
/// of `len` characters, given how much of it each line holds (0: none):
/// the shortest run that holds all of it, else the run that holds most,
/// if that is at least [`COPY_SHARE`] of it. Runs of lines next to one
/// another, as a copied text was printed in one place.
fn copy_run(piece: &[usize], len: usize) -> Option<(usize, usize)> {
    let mut best: Option<(bool, usize, usize, usize, usize)> = None; // (whole, sum, len, from, to)
    for from in 0..piece.len() {
        let mut sum = 0;
        for (to, &held) in piece.iter().enumerate().skip(from) {
            if held == 0 {
                break;
            }
            sum += held;
            let whole = sum >= len;
            let better = match best {
                None => true,
                Some((bw, bs, bl, _, _)) => {
                    (
                        whole,
                        if whole { 0 } else { sum },
                        std::cmp::Reverse(to - from),
                    ) > (bw, if bw { 0 } else { bs }, std::cmp::Reverse(bl))
                }
            };
            if better {
                best = Some((whole, sum, to - from, from, to));
            }
        }
    }
    best.filter(|&(whole, sum, ..)| whole || sum as f64 >= COPY_SHARE * len as f64)
        .map(|(.., from, to)| (from, to))
}

/// The share of a field's characters that lines given to other fields
/// must hold for the field to be given them too: half, so the pieces found
/// are the field and not the same few characters elsewhere.
const COPY_SHARE: f64 = 0.5;

#[cfg(test)]
mod tests {
    use super::*;
    use baozhi_model::{Byline, Caption, Paragraph, ParagraphKind};

    #[test]
    fn lines_keep_their_numbers_and_char_offsets_across_blank_lines() {
        let text = "标题\r\n\r\n  第一行 \r第二行\n";
        let lines = split_lines(text);
        assert_eq!(lines.len(), 3);
        assert_eq!((lines[0].number, lines[0].start, lines[0].end), (0, 0, 2));
        assert_eq!(lines[1].number, 2);
        assert_eq!(lines[1].text, "第一行");
        let chars: Vec<char> = text.chars().collect();
        for l in &lines {
            let s: String = chars[l.start..l.end].iter().collect();
            assert_eq!(s, l.text);
        }
        assert_eq!(lines[2].number, 3);
    }

    #[test]
    fn each_line_goes_to_the_fields_that_hold_its_text() {
        let mut a = Article::new("01-1".into(), None, "做绿色包装先行者".into());
        a.kicker = Some("金誉科技出口业绩翻倍".into());
        a.bylines = vec![Byline {
            role: Some("本报记者".into()),
            names: vec!["柏雪雷".into()],
        }];
        a.dateline = Some("本报讯".into());
        a.paragraphs = vec![
            Paragraph {
                kind: ParagraphKind::Text,
                text: "本报讯 今年以来,订单增长了一倍。".into(),
            },
            Paragraph {
                kind: ParagraphKind::Text,
                text: "据了解,订单增长了一倍。".into(),
            },
        ];
        a.captions = vec![Caption {
            text: "生产线。".into(),
            credit: Some("张兰 摄".into()),
        }];
        a.continues_to = Some("02".into());
        a.marks = vec!["②4".into()];
        let lines = [
            "金誉科技出口业绩翻倍——做绿色包装先行者",
            "本报记者　柏雪雷",
            "本报讯 今年以来，订单",
            "增长了一倍。",
            "生产线。张兰 摄",
            "据了解，订单",
            "增长了一倍。②4",
            "（下转02版）",
            "无关的字",
        ];
        let got = fields_of_lines(&a, &lines);
        // The kicker holds more of it than the title: it comes first.
        assert_eq!(got[0], vec![Field::Kicker, Field::Title]);
        assert_eq!(got[1], vec![Field::Byline(0)]);
        assert_eq!(got[2], vec![Field::Paragraph(0), Field::Dateline]);
        assert_eq!(got[3], vec![Field::Paragraph(0)]);
        assert_eq!(got[4], vec![Field::Caption(0)]);
        assert_eq!(got[5], vec![Field::Paragraph(1)]);
        // The same short line fits both paragraphs: the one being read wins.
        assert_eq!(got[6], vec![Field::Paragraph(1), Field::Mark(0)]);
        assert_eq!(got[7], vec![Field::Jump]);
        assert_eq!(got[8], Vec::<Field>::new());
    }

    #[test]
    fn fields_copied_from_a_dateline_are_given_its_lines() {
        let mut a = Article::new("01-1".into(), None, "题".into());
        a.dateline = Some("本报清河3月11日电（记者林晓雨、周明远）".into());
        a.bylines = vec![Byline {
            role: Some("记者".into()),
            names: vec!["林晓雨".into(), "周明远".into()],
        }];
        a.paragraphs = vec![Paragraph {
            kind: ParagraphKind::Text,
            text: "本报清河3月11日电（记者林晓雨、周明远）春耕时节。本报记者说。".into(),
        }];
        let lines = [
            "本报清河3月11日电（记者林晓雨、",
            "周明远）春耕时节。",
            "本报记者说。",
        ];
        let got = fields_of_lines(&a, &lines);
        let copied = vec![Field::Paragraph(0), Field::Byline(0), Field::Dateline];
        assert_eq!(got[0], copied);
        assert_eq!(got[1], copied);
        // 本报 and 记者 stand here too, but apart from the dateline's lines.
        assert_eq!(got[2], vec![Field::Paragraph(0)]);
    }
}
