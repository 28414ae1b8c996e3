//! Search queries: the user's text checked against the limits below, then
//! through tantivy's query grammar, each word or phrase searched as words
//! and as characters, the filters added as extra clauses, and
//! snippets rendered as safe HTML with the phrases found highlighted.

use std::ops::{Bound, Range};

use rustc_hash::FxHashMap;
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::query_grammar::{self, UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::{TokenStream, Tokenizer};
use tantivy::Term;

use crate::index::{char_twin, CharForm, CharTokenizer, SearchIndex, DEFAULT_FIELDS, TEXT_FIELDS};
use crate::{names, ArchiveError, SearchQuery};

/// How much a phrase found only as characters counts beside one found as
/// words, per character of the phrase. Every word match is a character
/// match too, so an article with the words scores its word match plus
/// this share; one where the characters only straddle words (`工程` in
/// `加工程序`) scores this share alone. A phrase's score adds up over its
/// terms (tantivy sums their idf), so the weight is divided by their
/// number: what is left is about the score of one character, which is no
/// rarer than any word holding it. At a tenth of that, a word match ranks
/// first unless its field is about ten times the average length and the
/// character-only one far shorter and full of the phrase (BM25 with
/// tantivy's k1 = 1.2, b = 0.75: `2.2 / (1.3 + 0.9 · length/average)` for
/// one occurrence against at most `0.1 · 2.2`).
const CHAR_WEIGHT: f64 = 0.1;

/// How much of a text a snippet shows, in bytes (3 per Chinese
/// character in UTF-8): about 100 Chinese characters.
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

/// A search as it runs: the query, and what its snippets highlight.
pub(crate) struct Built {
    pub query: Box<dyn Query>,
    pub highlights: Highlights,
}

/// The query for a search: the parsed text (everything when it is blank)
/// and one required clause per filter. Filters score zero, so they narrow
/// the results without changing their order.
pub(crate) fn build(idx: &SearchIndex, q: &SearchQuery) -> Result<Built, ArchiveError> {
    let text = q.text.trim();
    let (main, highlights): (Box<dyn Query>, Highlights) = if text.is_empty() {
        (Box::new(AllQuery), Highlights::default())
    } else {
        parse_text(idx, text, q.stories)?
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
        return Ok(Built {
            query: main,
            highlights,
        });
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, main)];
    for f in filters {
        clauses.push((Occur::Must, Box::new(BoostQuery::new(f, 0.0))));
    }
    Ok(Built {
        query: Box::new(BooleanQuery::new(clauses)),
        highlights,
    })
}

/// The user's text as a query. The one way from a search text to tantivy's
/// grammar and parser, so nothing recursive runs on a text that has not
/// passed [`check_query_text`]: neither the two grammars (strict, then
/// lenient), nor [`with_chars`] and [`collect_phrases`] (which recurse
/// once per level of the tree the grammar made, as the parser then does),
/// nor, on the query that comes out, tantivy's scoring.
fn parse_text(
    idx: &SearchIndex,
    text: &str,
    stories: bool,
) -> Result<(Box<dyn Query>, Highlights), ArchiveError> {
    check_query_text(text)?;
    // Any space separates words (the grammar's separators are ASCII
    // only, so `南水北调\u{3000}丹江口` would not parse). Nothing else is
    // folded before the grammar: folding `（` to `(` would make syntax the
    // limits above did not count.
    let text: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let strict = query_grammar::parse_query(&text).ok().and_then(|ast| {
        let highlights = highlights(&ast);
        idx.parser
            .build_query_from_user_input_ast(with_chars(ast, stories))
            .ok()
            .map(|q| (q, highlights))
    });
    Ok(strict.unwrap_or_else(|| {
        // A search box should not fail on a stray quote or colon: the
        // lenient grammar reads what it can as words.
        let ast = query_grammar::parse_query_lenient(&text).0;
        let highlights = highlights(&ast);
        let query = idx
            .parser
            .build_query_from_user_input_ast_lenient(with_chars(ast, stories))
            .0;
        (query, highlights)
    }))
}

/// The query tree with each word or phrase searched twice: as characters
/// in the character twins of its fields, which find any piece of a text
/// and decide what matches, and as words (the jieba fields; the parser
/// spreads an unfielded one over the default fields), which rank a text
/// that holds the search as words above one that only holds its
/// characters.
/// Other leaves (ranges, sets, `field:*`) stay as they are. With
/// `stories`, an unfielded word or phrase is also looked for in the rest of
/// the article's story (the `story` field, at its lower weight), so that
/// words spread over the parts of a jumped story all match.
fn with_chars(ast: UserInputAst, stories: bool) -> UserInputAst {
    match ast {
        UserInputAst::Clause(clauses) => UserInputAst::Clause(
            clauses
                .into_iter()
                .map(|(occur, ast)| (occur, with_chars(ast, stories)))
                .collect(),
        ),
        UserInputAst::Boost(ast, boost) => {
            UserInputAst::Boost(Box::new(with_chars(*ast, stories)), boost)
        }
        UserInputAst::Leaf(leaf) => match *leaf {
            UserInputLeaf::Literal(literal) if stories && literal.field_name.is_none() => {
                let mut in_story = literal.clone();
                in_story.field_name = Some("story".to_string());
                UserInputAst::or(vec![
                    literal_with_chars(literal),
                    literal_with_chars(in_story),
                ])
            }
            UserInputLeaf::Literal(literal) => literal_with_chars(literal),
            other => UserInputAst::Leaf(Box::new(other)),
        },
    }
}

fn literal_with_chars(literal: UserInputLiteral) -> UserInputAst {
    let twins: Vec<String> = match literal.field_name.as_deref() {
        // The twins of the parser's default fields.
        None => DEFAULT_FIELDS.iter().map(|n| char_twin(n)).collect(),
        Some(name) if TEXT_FIELDS.contains(&name) => vec![char_twin(name)],
        Some(_) => Vec::new(),
    };
    let chars = pattern(&literal.phrase).len();
    // A prefix (`南水*`) stays a word prefix: as characters it would be any
    // character after the last, and one alone is no phrase prefix to
    // tantivy.
    if twins.is_empty() || chars == 0 || literal.prefix {
        return UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(literal)));
    }
    let char_literals: Vec<UserInputAst> = twins
        .into_iter()
        .map(|twin| {
            UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(UserInputLiteral {
                field_name: Some(twin),
                ..literal.clone()
            })))
        })
        .collect();
    let as_chars = UserInputAst::Boost(
        Box::new(UserInputAst::or(char_literals)),
        (CHAR_WEIGHT / chars as f64).into(),
    );
    // The characters decide what matches (exactly what grep finds); the
    // words only add to the score. As alternatives, a word match would
    // also let through a text that has the words with other punctuation
    // or spaces between them than the search has.
    UserInputAst::Clause(vec![
        (Some(Occur::Must), as_chars),
        (
            Some(Occur::Should),
            UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(literal))),
        ),
    ])
}

/// A phrase as characters: its tokens, each with its position relative
/// to the first.
type Pattern = Vec<(usize, String)>;

/// What the snippets of a search highlight: the words and phrases of the
/// query that may match the body, and those that may match the headline.
#[derive(Debug, Default)]
pub(crate) struct Highlights {
    body: Vec<Pattern>,
    headline: Vec<Pattern>,
}

impl Highlights {
    /// Where the query's phrases occur in a body text.
    pub fn in_body(&self, text: &str) -> Vec<Found> {
        find(text, &self.body)
    }

    /// Where the query's phrases occur in a headline text.
    pub fn in_headline(&self, text: &str) -> Vec<Found> {
        find(text, &self.headline)
    }
}

fn highlights(ast: &UserInputAst) -> Highlights {
    let mut h = Highlights::default();
    collect_phrases(ast, false, &mut h);
    h
}

/// The literals of the query that are not excluded (under a `NOT`/`-`),
/// as patterns, by the text they can match: unfielded ones both,
/// `body:` the body, `headline:` and `title:` the headline.
fn collect_phrases(ast: &UserInputAst, excluded: bool, h: &mut Highlights) {
    match ast {
        UserInputAst::Clause(clauses) => {
            for (occur, ast) in clauses {
                let excluded = excluded || *occur == Some(query_grammar::Occur::MustNot);
                collect_phrases(ast, excluded, h);
            }
        }
        UserInputAst::Boost(ast, _) => collect_phrases(ast, excluded, h),
        UserInputAst::Leaf(leaf) => {
            let UserInputLeaf::Literal(literal) = &**leaf else {
                return;
            };
            if excluded {
                return;
            }
            let (body, headline) = match literal.field_name.as_deref() {
                None => (true, true),
                Some("body") => (true, false),
                Some("headline" | "title") => (false, true),
                Some(_) => (false, false),
            };
            let pattern = pattern(&literal.phrase);
            if pattern.is_empty() {
                return;
            }
            if body {
                h.body.push(pattern.clone());
            }
            if headline {
                h.headline.push(pattern);
            }
        }
    }
}

/// A query phrase's character tokens at positions relative to the first.
fn pattern(phrase: &str) -> Pattern {
    let mut t = CharTokenizer::new(CharForm::Units);
    let mut stream = t.token_stream(phrase);
    let mut out: Pattern = Vec::new();
    while let Some(tok) = stream.next() {
        out.push((tok.position, tok.text.clone()));
    }
    if let Some(&(first, _)) = out.first() {
        for (p, _) in &mut out {
            *p -= first;
        }
    }
    out
}

/// A place where a phrase of the query occurs: the bytes of the printed
/// text from its first character to its last, and which phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub range: Range<usize>,
    pub pattern: usize,
}

/// Every place in `text` where one of `patterns` occurs, in text order:
/// the text's character tokens, and a phrase wherever all its characters
/// sit at their relative positions, as the phrase query found it.
fn find(text: &str, patterns: &[Pattern]) -> Vec<Found> {
    if patterns.is_empty() {
        return Vec::new();
    }
    // Only the characters the patterns use, each with its positions in
    // order.
    let mut places: FxHashMap<&str, Vec<(usize, usize, usize)>> = FxHashMap::default();
    for p in patterns {
        for (_, c) in p {
            places.entry(c.as_str()).or_default();
        }
    }
    let mut t = CharTokenizer::new(CharForm::Units);
    let mut stream = t.token_stream(text);
    while let Some(tok) = stream.next() {
        if let Some(at) = places.get_mut(tok.text.as_str()) {
            at.push((tok.position, tok.offset_from, tok.offset_to));
        }
    }
    let at = |c: &str, position: usize| {
        let list = &places[c];
        list.binary_search_by_key(&position, |&(p, _, _)| p)
            .ok()
            .map(|i| list[i])
    };
    let mut found = Vec::new();
    for (n, p) in patterns.iter().enumerate() {
        let (first_offset, first_char) = &p[0];
        for &(position, _, _) in &places[first_char.as_str()] {
            let Some(start) = position.checked_sub(*first_offset) else {
                continue;
            };
            // The span from the first character's start to the last one's
            // end.
            let (mut from, mut to) = (usize::MAX, 0);
            let all = p.iter().all(|(offset, c)| match at(c, start + offset) {
                Some((_, f, t)) => {
                    from = from.min(f);
                    to = to.max(t);
                    true
                }
                None => false,
            });
            if all {
                found.push(Found {
                    range: from..to,
                    pattern: n,
                });
            }
        }
    }
    found.sort_by_key(|f| (f.range.start, f.range.end));
    found
}

/// A `from`/`to` date as `YYYYMMDD`; blank means no bound.
pub(crate) fn day_bound(date: Option<&str>, what: &str) -> Result<Option<i64>, ArchiveError> {
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

/// A snippet of `text` as HTML, around the places `found` (from
/// [`Highlights`]): those in `<b>…</b>`, all text escaped, `…` where text
/// was cut. Overlapping and touching places are merged (`南水北调` and
/// `北调` found in the same place are one highlight). A text that fits is
/// shown whole; otherwise the passage of [`SNIPPET_BYTES`] with the most
/// different phrases (then the most places, then the first) from the
/// start of its clause, carried on over punctuation after its end. Empty
/// when nothing was found.
pub(crate) fn snippet_html(text: &str, found: &[Found]) -> String {
    let Some((first, last)) = best_window(found) else {
        return String::new();
    };
    let (start, end) = if text.len() <= SNIPPET_BYTES {
        (0, text.len())
    } else {
        let from = found[first].range.start;
        let mut end = (from + SNIPPET_BYTES).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let end = end.max(found[last].range.end);
        let tail = text[end..]
            .char_indices()
            .find(|&(_, c)| c.is_alphanumeric() || c == '\n')
            .map_or(text.len() - end, |(i, _)| i);
        (sentence_start(text, from), end + tail)
    };
    let mut merged: Vec<Range<usize>> = Vec::new();
    for f in found {
        let r = f.range.clone();
        if r.start < start || r.end > end {
            continue;
        }
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
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

/// The places (first and last index into `found`, which is in text order)
/// that one passage of [`SNIPPET_BYTES`] shows best: the most different
/// phrases, then the most places, then the earliest.
fn best_window(found: &[Found]) -> Option<(usize, usize)> {
    let patterns = found.iter().map(|f| f.pattern + 1).max()?;
    let mut count = vec![0usize; patterns];
    let mut distinct = 0;
    let mut best: Option<((usize, usize), (usize, usize))> = None;
    let mut end = 0;
    for first in 0..found.len() {
        let limit = found[first].range.start + SNIPPET_BYTES;
        while end < found.len() && (end == first || found[end].range.end <= limit) {
            count[found[end].pattern] += 1;
            if count[found[end].pattern] == 1 {
                distinct += 1;
            }
            end += 1;
        }
        let score = (distinct, end - first);
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, (first, end - 1)));
        }
        count[found[first].pattern] -= 1;
        if count[found[first].pattern] == 0 {
            distinct -= 1;
        }
    }
    best.map(|(_, w)| w)
}

/// Where to start a passage around a place found at `at`: a place can
/// start inside a longer word (`川县` of `淅川县`), so go back to the
/// clause's start when it is near.
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
