//! An article with the page it was printed on: the unit of the article
//! exports (JSON lines, Parquet, OpenSearch), whichever source it comes
//! from (an archive, or the documents `baozhi parse` writes).

use std::io::{self, Write};

use baozhi_model::Article;
use serde::Serialize;

/// An article and its page context. As JSON (a line of a JSON-lines
/// export): `{"id","paper","date","page","article"}`, the article as
/// `baozhi/1` holds it.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ArticleRow<'a> {
    /// Unique within an export: the archive id `paper/date/page/n`, each
    /// part percent-encoded (what `baozhi ingest` would give the article).
    pub id: &'a str,
    pub paper: Option<&'a str>,
    /// `YYYY-MM-DD` as a rule; an archive says `undated` for a page
    /// without a date (see [`ArticleRow::calendar_date`]).
    pub date: Option<&'a str>,
    /// The page as printed (`01`, `A3`).
    pub page: Option<&'a str>,
    pub article: &'a Article,
}

impl<'a> ArticleRow<'a> {
    /// The date when it is a calendar day written `YYYY-MM-DD`; `None` for
    /// none and for an archive's `undated`: what typed date columns and
    /// fields can hold.
    pub fn calendar_date(&self) -> Option<&'a str> {
        self.date.filter(|d| crate::dates::epoch_day(d).is_some())
    }

    /// The row as one line of JSON.
    pub fn write_jsonl(&self, w: &mut impl Write) -> io::Result<()> {
        serde_json::to_writer(&mut *w, self).map_err(io::Error::from)?;
        w.write_all(b"\n")
    }
}
