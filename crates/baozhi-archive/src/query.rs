//! Search queries: the user's text through tantivy's query parser, the
//! filters added as extra clauses, and snippets rendered as safe HTML.

use std::ops::{Bound, Range};

use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::snippet::Snippet;
use tantivy::Term;

use crate::index::SearchIndex;
use crate::{names, ArchiveError, SearchQuery};

/// How much of a text a snippet shows, in bytes (the snippet generator
/// counts bytes): about 100 Chinese characters.
pub(crate) const SNIPPET_BYTES: usize = 300;

/// The query for a search: the parsed text (everything when it is blank)
/// and one required clause per filter. Filters score zero, so they narrow
/// the results without changing their order.
pub(crate) fn build(idx: &SearchIndex, q: &SearchQuery) -> Result<Box<dyn Query>, ArchiveError> {
    let text = q.text.trim();
    let main: Box<dyn Query> = if text.is_empty() {
        Box::new(AllQuery)
    } else {
        match idx.parser.parse_query(text) {
            Ok(query) => query,
            // A search box should not fail on a stray quote or colon: the
            // lenient parser reads what it can as words.
            Err(_) => idx.parser.parse_query_lenient(text).0,
        }
    };
    let mut filters: Vec<Box<dyn Query>> = Vec::new();
    if let Some(paper) = q.paper.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        let term = Term::from_field_text(idx.fields.paper, paper);
        filters.push(Box::new(TermQuery::new(term, IndexRecordOption::Basic)));
    }
    let from = day_bound(q.from.as_deref(), "from")?;
    let to = day_bound(q.to.as_deref(), "to")?;
    if from.is_some() || to.is_some() {
        let bound = |d: Option<i64>| match d {
            Some(d) => Bound::Included(Term::from_field_i64(idx.fields.day, d)),
            None => Bound::Unbounded,
        };
        filters.push(Box::new(RangeQuery::new(bound(from), bound(to))));
    }
    if filters.is_empty() {
        return Ok(main);
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, main)];
    for f in filters {
        clauses.push((Occur::Must, Box::new(BoostQuery::new(f, 0.0))));
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// A `from`/`to` date as `YYYYMMDD`; blank means no bound.
fn day_bound(date: Option<&str>, what: &str) -> Result<Option<i64>, ArchiveError> {
    match date.map(str::trim).filter(|d| !d.is_empty()) {
        None => Ok(None),
        Some(d) => names::day_number(d).map(Some).ok_or_else(|| {
            ArchiveError::Query(format!(
                "{what}: {}",
                names::parse_date(d).err().unwrap_or_default()
            ))
        }),
    }
}

/// A snippet of `text` as HTML: highlighted words in `<b>…</b>`, all text
/// escaped, `…` where text was cut. Overlapping and touching highlights are
/// merged, since search-mode segmentation highlights `南水`, `北调` and
/// `南水北调` in the same place. A text that fits is shown whole; otherwise
/// the fragment is carried on over the punctuation after its last word
/// (the generator stops at a word). Empty when nothing is highlighted.
pub(crate) fn snippet_html(s: &Snippet, text: &str) -> String {
    if s.highlighted().is_empty() {
        return String::new();
    }
    let fragment = s.fragment_range();
    // Highlights are relative to the fragment; make them relative to text.
    let mut ranges: Vec<Range<usize>> = s
        .highlighted()
        .iter()
        .map(|r| r.start + fragment.start..r.end + fragment.start)
        .collect();
    let (start, end) = if text.len() <= SNIPPET_BYTES {
        (0, text.len())
    } else {
        let tail = text[fragment.end..]
            .char_indices()
            .find(|&(_, c)| c.is_alphanumeric() || c == '\n')
            .map_or(text.len() - fragment.end, |(i, _)| i);
        (sentence_start(text, fragment.start), fragment.end + tail)
    };
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    // Overlapping words can end a highlight past the generator's fragment.
    let end = merged.last().map_or(end, |r| end.max(r.end));
    let start = merged.first().map_or(start, |r| start.min(r.start));
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    for r in merged {
        escape_into(&text[at..r.start], &mut out);
        out.push_str("<b>");
        escape_into(&text[r.start..r.end], &mut out);
        out.push_str("</b>");
        at = r.end;
    }
    escape_into(text[at..end].trim_end(), &mut out);
    if end < text.len() {
        out.push('…');
    }
    out
}

/// Where to start a passage that the generator starts at `at`: the
/// generator cuts at any word, also one inside a longer word (`川县` of
/// `淅川县`), so go back to the clause's start when it is near.
fn sentence_start(text: &str, at: usize) -> usize {
    let before = &text[..at];
    for (n, (i, c)) in before.char_indices().rev().enumerate() {
        if !c.is_alphanumeric() {
            return i + c.len_utf8();
        }
        if n >= 12 {
            break;
        }
    }
    if before.chars().count() <= 12 {
        0
    } else {
        at
    }
}

/// The start of a text, escaped, for hits with nothing to highlight (a
/// filter-only search, or a match in a byline).
pub(crate) fn lead_html(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    let mut out = String::new();
    let end = text
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(i, _)| i);
    escape_into(&text[..end], &mut out);
    if end < text.len() {
        out.push('…');
    }
    out
}

/// HTML-escapes text for element content and attribute values alike.
/// Line breaks (between paragraphs) become spaces: a snippet is one line.
pub(crate) fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_start_at_a_clause() {
        let text = "为保证水质,淅川县是南水北调中线工程渠首所在地";
        let at = text.find("川县").unwrap();
        assert_eq!(
            &text[sentence_start(text, at)..],
            "淅川县是南水北调中线工程渠首所在地"
        );
        assert_eq!(sentence_start(text, 0), 0);
        let long = "一".repeat(40);
        assert_eq!(sentence_start(&long, 60), 60, "no clause start near: stay");
    }

    #[test]
    fn lead_is_escaped_and_cut() {
        assert_eq!(lead_html("<a>&b", 10), "&lt;a&gt;&amp;b");
        assert_eq!(lead_html("一二三四", 2), "一二…");
    }
}
