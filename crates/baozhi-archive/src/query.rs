//! Search queries: the user's text checked against the limits below, then
//! through tantivy's query parser, the filters added as extra clauses, and
//! snippets rendered as safe HTML.

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

/// The longest search text accepted, in characters (after trimming).
/// Parsing, segmenting and searching grow with the text (every word is a
/// clause over four fields), and nobody types 2,048 characters into a
/// search box. It equals the server's longest request target in bytes, so
/// over HTTP that limit is met first and this one guards the library and
/// the command line.
pub const MAX_QUERY_CHARS: usize = 2_048;

/// The deepest nesting of parentheses accepted in a search text, counted
/// outside double-quoted phrases. tantivy's query grammar recurses once
/// per group, and so do the query tree, the scoring and the snippets built
/// from it: 800 `(` overflowed the 2 MiB stack of a server thread and
/// aborted the process. Real searches nest two or three levels; at 32 the
/// recursion stays under a sixth of that stack in a debug build (about
/// 190 levels fit in the worst shape measured, `title:(` repeated) and
/// under a twentieth in a release build.
pub const MAX_QUERY_DEPTH: usize = 32;

/// The most `(` and `NOT` a search text may hold in all, inside phrases
/// too: a backstop for [`MAX_QUERY_DEPTH`] that does not depend on reading
/// the text as the parser does. tantivy parses with a strict grammar and,
/// when that fails, a lenient one, and they disagree with any simple
/// scan about where phrases, regexes and ranges end: in `( /)/ ( /)/ …`
/// every `)` is inside a regex and the groups nest, and the lenient grammar
/// reads `a" ((((` as the word `a"` followed by groups. Each level of the
/// parser's recursion consumes a `(` or a `NOT`, so their number bounds it
/// whatever the grammars make of the text.
pub const MAX_QUERY_GROUPS: usize = 64;

/// A search text refused before it is parsed (see [`MAX_QUERY_CHARS`],
/// [`MAX_QUERY_DEPTH`], [`MAX_QUERY_GROUPS`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryLimitError {
    #[error("search text too long: {chars} characters (at most {MAX_QUERY_CHARS})")]
    TooLong { chars: usize },
    #[error("search text nested too deeply (at most {MAX_QUERY_DEPTH} levels of parentheses)")]
    TooDeep,
    #[error("search text too complex (at most {MAX_QUERY_GROUPS} parentheses and NOTs in all)")]
    TooManyGroups,
}

/// Checks a search text (trimmed, as [`crate::Archive::search`] reads it)
/// against [`MAX_QUERY_CHARS`], [`MAX_QUERY_DEPTH`] and
/// [`MAX_QUERY_GROUPS`], without parsing it: one pass, no recursion.
/// `Archive::search` runs it before anything else; a server may run it
/// before waiting for the archive.
pub fn check_query_text(text: &str) -> Result<(), QueryLimitError> {
    let text = text.trim();
    let chars = text.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(QueryLimitError::TooLong { chars });
    }
    let mut depth = 0usize;
    let mut groups = 0usize;
    let mut in_phrase = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        // The backstop counts everywhere: quotes and escapes do not matter.
        if c == '(' || (c == 'N' && text[i..].starts_with("NOT")) {
            groups += 1;
            if groups > MAX_QUERY_GROUPS {
                return Err(QueryLimitError::TooManyGroups);
            }
        }
        // The depth: `\` escapes the next character (in words and phrases
        // alike, as in tantivy's grammar), phrases do not count.
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '"' => in_phrase = !in_phrase,
            '(' if !in_phrase => {
                depth += 1;
                if depth > MAX_QUERY_DEPTH {
                    return Err(QueryLimitError::TooDeep);
                }
            }
            ')' if !in_phrase => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// The query for a search: the parsed text (everything when it is blank)
/// and one required clause per filter. Filters score zero, so they narrow
/// the results without changing their order.
pub(crate) fn build(idx: &SearchIndex, q: &SearchQuery) -> Result<Box<dyn Query>, ArchiveError> {
    let text = q.text.trim();
    let main: Box<dyn Query> = if text.is_empty() {
        Box::new(AllQuery)
    } else {
        parse_text(idx, text)?
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

/// The user's text as a query. The one way from a search text to tantivy's
/// parsers, so nothing recursive runs on a text that has not passed
/// [`check_query_text`]: neither the two parsers (strict, then lenient)
/// nor, on the query they return, tantivy's scoring and snippets. The
/// crate does not rewrite queries itself.
fn parse_text(idx: &SearchIndex, text: &str) -> Result<Box<dyn Query>, ArchiveError> {
    check_query_text(text)?;
    Ok(match idx.parser.parse_query(text) {
        Ok(query) => query,
        // A search box should not fail on a stray quote or colon: the
        // lenient parser reads what it can as words.
        Err(_) => idx.parser.parse_query_lenient(text).0,
    })
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
    fn query_limits() {
        use QueryLimitError::*;
        let ok = |t: &str| assert_eq!(check_query_text(t), Ok(()), "{t}");
        ok("");
        ok("(南水北调 OR 生态) AND title:生态");
        ok(&format!("{}a{}", "(".repeat(32), ")".repeat(32)));
        // Closed groups do not add up; phrases and escapes do not count.
        ok(&"(a) ".repeat(40));
        ok(&format!("\"{}\" x", "(".repeat(40)));
        ok(&format!("{}x", "\\(".repeat(40)));
        ok(&format!(" {} ", "a".repeat(MAX_QUERY_CHARS)));
        let err = |t: &str| check_query_text(t).unwrap_err();
        assert_eq!(err(&"(".repeat(33)), TooDeep);
        assert_eq!(err(&"(".repeat(800)), TooDeep);
        assert_eq!(
            err(&format!("{}a{}", "(".repeat(33), ")".repeat(33))),
            TooDeep
        );
        assert_eq!(err(&"(".repeat(5000)), TooLong { chars: 5000 });
        assert_eq!(
            err(&"南".repeat(MAX_QUERY_CHARS + 1)),
            TooLong {
                chars: MAX_QUERY_CHARS + 1
            }
        );
        // An escaped quote does not open a phrase.
        assert_eq!(err(&format!("a\\\" {}", "(".repeat(33))), TooDeep);
        // The backstop: shapes the depth scan reads differently from the
        // parser, NOT chains, and many groups in all.
        assert_eq!(err(&"( /)/ ".repeat(65)), TooManyGroups);
        assert_eq!(err(&format!("a\" {}", "(".repeat(65))), TooManyGroups);
        assert_eq!(err(&format!("{}a", "NOT ".repeat(65))), TooManyGroups);
        assert_eq!(err(&"(a) ".repeat(65)), TooManyGroups);
        assert!(err(&"a".repeat(3000)).to_string().contains("2048"));
    }

    #[test]
    fn lead_is_escaped_and_cut() {
        assert_eq!(lead_html("<a>&b", 10), "&lt;a&gt;&amp;b");
        assert_eq!(lead_html("一二三四", 2), "一二…");
    }
}
