//! Articles for OpenSearch (and Elasticsearch): a bulk file and the index
//! template that maps and analyzes its documents.
//!
//! The bulk file is NDJSON, two lines per article: the action
//! `{"index":{"_index":NAME,"_id":ID}}` (the row's archive id, so loading
//! again replaces rather than duplicates) and the document. The template
//! (`data/opensearch-template.json`, reasons in `data/README.md`) maps every
//! document field and analyzes the text fields with CJK bigrams and
//! single characters, width folded, so a phrase query finds any run of
//! characters.

use std::io::{self, Write};

use baozhi_model::{Byline, Caption, Finding};
use serde::Serialize;
use serde_json::Value;

use crate::rows::ArticleRow;

/// The index the bulk file and the template name unless told otherwise.
pub const DEFAULT_INDEX: &str = "baozhi";

/// The index template as shipped, for the index `baozhi`.
pub const TEMPLATE_JSON: &str = include_str!("../data/opensearch-template.json");

/// The `index_patterns` line of the shipped template, which
/// [`template`] rewrites (as text, so the file's order and layout stay).
const SHIPPED_PATTERNS: &str = r#""index_patterns": ["baozhi"]"#;

/// The index template for the index `index`, as JSON text: the shipped
/// one with its `index_patterns` naming that index. Load it before the
/// bulk file: `PUT _index_template/NAME`.
pub fn template(index: &str) -> String {
    let name = Value::from(index).to_string();
    TEMPLATE_JSON.replacen(
        SHIPPED_PATTERNS,
        &format!(r#""index_patterns": [{name}]"#),
        1,
    )
}

/// An article as an OpenSearch document. The field list is the
/// template's `properties`; the schema test checks the two agree.
#[derive(Debug, Serialize)]
pub struct SearchDocument<'a> {
    pub id: &'a str,
    pub paper: Option<&'a str>,
    /// `YYYY-MM-DD`, or null: the field is a `date`, which `undated` is not.
    pub date: Option<&'a str>,
    pub page: Option<&'a str>,
    pub article_id: &'a str,
    pub column: Option<&'a str>,
    pub series: Option<&'a str>,
    pub kicker: Option<&'a str>,
    pub title: &'a str,
    pub subtitle: Option<&'a str>,
    pub bylines: &'a [Byline],
    pub dateline: Option<&'a str>,
    /// The paragraphs (and in-article headings), one per line.
    pub text: String,
    pub captions: &'a [Caption],
    pub continues_to: Option<&'a str>,
    pub continued_from: Option<&'a str>,
    pub marks: &'a [String],
    /// Only when the proofreader ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub findings: Option<&'a [Finding]>,
}

impl<'a> SearchDocument<'a> {
    pub fn new(row: &ArticleRow<'a>) -> Self {
        let a = row.article;
        SearchDocument {
            id: row.id,
            paper: row.paper,
            date: row.calendar_date(),
            page: row.page,
            article_id: &a.id,
            column: a.column.as_deref(),
            series: a.series.as_deref(),
            kicker: a.kicker.as_deref(),
            title: &a.title,
            subtitle: a.subtitle.as_deref(),
            bylines: &a.bylines,
            dateline: a.dateline.as_deref(),
            text: a.body_text(),
            captions: &a.captions,
            continues_to: a.continues_to.as_deref(),
            continued_from: a.continued_from.as_deref(),
            marks: &a.marks,
            findings: a.findings.as_deref(),
        }
    }
}

/// The bulk action line of a row.
#[derive(Serialize)]
struct Action<'a> {
    index: Target<'a>,
}

#[derive(Serialize)]
struct Target<'a> {
    #[serde(rename = "_index")]
    index: &'a str,
    #[serde(rename = "_id")]
    id: &'a str,
}

/// Writes a row's two bulk lines: the action indexing it into `index`
/// under its id, then the document.
pub fn write_bulk(row: &ArticleRow<'_>, index: &str, w: &mut impl Write) -> io::Result<()> {
    let action = Action {
        index: Target { index, id: row.id },
    };
    serde_json::to_writer(&mut *w, &action).map_err(io::Error::from)?;
    w.write_all(b"\n")?;
    serde_json::to_writer(&mut *w, &SearchDocument::new(row)).map_err(io::Error::from)?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_names_the_index_it_is_for() {
        assert!(TEMPLATE_JSON.contains(SHIPPED_PATTERNS));
        for index in [DEFAULT_INDEX, "papers-2025", "a\"b"] {
            let t: Value = serde_json::from_str(&template(index)).expect("JSON");
            assert_eq!(t["index_patterns"], serde_json::json!([index]));
        }
    }
}
