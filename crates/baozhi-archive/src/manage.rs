//! Reading an archive in bulk and looking after it: what `baozhi archive
//! stats|list|delete|reindex|export` and `baozhi search --kwic` run.
//!
//! Everything here streams: articles are read from SQLite a row at a time
//! and handed to a callback, so an export of millions of articles holds one
//! of them in memory. Selections by paper and dates are SQL over the
//! records; selections by a search go through the index for the matching
//! ids (a few bytes each) and then read the records.

use rusqlite::params;
use serde::{Deserialize, Serialize};
use tantivy::collector::DocSetCollector;
use tantivy::schema::Value;
use tantivy::TantivyDocument;

use crate::{index, names, query, Archive, ArchiveError, SearchQuery};
use baozhi_model::Article;

/// Which part of the archive an operation is about: every filter given
/// must hold. Dates are `YYYY-MM-DD`; a date filter leaves out undated
/// issues.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    /// Only this paper (exact name).
    pub paper: Option<String>,
    /// Only issues on or after this date.
    pub from: Option<String>,
    /// Only issues on or before this date.
    pub to: Option<String>,
    /// Only this page (as printed; `2` and `02` are the same page).
    pub page: Option<String>,
}

impl Selection {
    /// Whether no filter is set (everything is selected).
    pub fn is_everything(&self) -> bool {
        self.paper.is_none() && self.from.is_none() && self.to.is_none() && self.page.is_none()
    }

    fn checked(&self) -> Result<(), ArchiveError> {
        for (name, d) in [("from", &self.from), ("to", &self.to)] {
            if let Some(d) = d {
                names::parse_date(d).map_err(|e| ArchiveError::Query(format!("{name}: {e}")))?;
            }
        }
        Ok(())
    }

    /// Whether a page key passes the `page` filter.
    fn takes_page(&self, page: &str) -> bool {
        self.page
            .as_deref()
            .is_none_or(|p| names::same_page(p, page))
    }
}

/// SQL condition of a [`Selection`] over `pa` (papers) and `i` (issues),
/// with the parameters `?1` paper, `?2` from, `?3` to (the page filter is
/// applied in Rust: `02` and `2` are one page, which SQL equality misses).
const SELECTION_SQL: &str = "(?1 IS NULL OR pa.name = ?1)
     AND (?2 IS NULL OR (i.date >= ?2 AND i.date <> 'undated'))
     AND (?3 IS NULL OR (i.date <= ?3 AND i.date <> 'undated'))";

/// An article with the archive's keys for it: a line of an export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleRecord {
    /// Archive id.
    pub id: String,
    pub paper: String,
    pub date: String,
    pub page: String,
    /// The `baozhi/1` article as ingested.
    pub article: Article,
}

/// What [`Archive::delete`] removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deleted {
    pub pages: usize,
    pub articles: usize,
    /// Issues left without pages, and so removed.
    pub issues: usize,
    /// Papers left without issues, and so removed.
    pub papers: usize,
}

/// A paper's share of the archive ([`Archive::paper_stats`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperStats {
    pub paper: String,
    pub issues: usize,
    pub pages: usize,
    pub articles: usize,
    /// The first and last dated issue, when there are dated ones.
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// Issues without a date.
    pub undated_issues: usize,
}

/// How much disk the archive takes, in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiskUse {
    /// `archive.sqlite` with its write-ahead log.
    pub database: u64,
    /// The search index.
    pub index: u64,
}

/// One place a search matched, with its context: a keyword-in-context
/// line ([`Archive::kwic`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KwicLine {
    /// Archive id of the article.
    pub id: String,
    pub paper: String,
    pub date: String,
    pub page: String,
    /// Which text it is in: `headline` or `body`.
    pub field: &'static str,
    /// Up to the context width of characters before the match, as printed.
    pub left: String,
    /// The matched text as printed.
    pub matched: String,
    pub right: String,
}

impl Archive {
    /// Hands the selected articles to `each`, in print order (paper, date,
    /// page, place on the page), skipping the first `offset` and stopping
    /// after `limit` when given. Returns how many were handed over. An
    /// error from `each` stops the walk and is returned.
    pub fn for_each_article<E: From<ArchiveError>>(
        &self,
        selection: &Selection,
        offset: usize,
        limit: Option<usize>,
        each: &mut dyn FnMut(ArticleRecord) -> Result<(), E>,
    ) -> Result<usize, E> {
        selection.checked()?;
        let sql = format!(
            "SELECT a.id, pa.name, i.date, p.page, a.json
             FROM articles a
             JOIN pages p ON p.id = a.page_id
             JOIN issues i ON i.id = p.issue_id
             JOIN papers pa ON pa.id = i.paper_id
             WHERE {SELECTION_SQL}
             ORDER BY pa.name, i.date, p.id, a.ord"
        );
        let mut stmt = self.db.prepare(&sql).map_err(ArchiveError::from)?;
        let mut rows = stmt
            .query(params![selection.paper, selection.from, selection.to])
            .map_err(ArchiveError::from)?;
        let (mut skipped, mut handed) = (0usize, 0usize);
        while let Some(row) = rows.next().map_err(ArchiveError::from)? {
            if limit.is_some_and(|l| handed >= l) {
                break;
            }
            let page: String = row.get(3).map_err(ArchiveError::from)?;
            if !selection.takes_page(&page) {
                continue;
            }
            if skipped < offset {
                skipped += 1;
                continue;
            }
            let id: String = row.get(0).map_err(ArchiveError::from)?;
            let json: String = row.get(4).map_err(ArchiveError::from)?;
            let article = serde_json::from_str(&json).map_err(|source| ArchiveError::Corrupt {
                id: id.clone(),
                source,
            })?;
            each(ArticleRecord {
                id,
                paper: row.get(1).map_err(ArchiveError::from)?,
                date: row.get(2).map_err(ArchiveError::from)?,
                page,
                article,
            })?;
            handed += 1;
        }
        Ok(handed)
    }

    /// The archive ids of every article a search matches (`limit` and
    /// `offset` of the query are ignored), oldest issue first, then in
    /// page order. Ids are small: a million of them is a few tens of MB.
    pub fn matching_ids(&self, q: &SearchQuery) -> Result<Vec<String>, ArchiveError> {
        self.ids_of(&query::build(&self.index, q)?)
    }

    /// [`Archive::matching_ids`] of a query already built.
    fn ids_of(&self, built: &query::Built) -> Result<Vec<String>, ArchiveError> {
        let searcher = self.index.reader.searcher();
        let addresses = searcher.search(&*built.query, &DocSetCollector)?;
        let id_field = self.index.fields.id;
        let mut ids = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(id) = doc.get_first(id_field).and_then(|v| v.as_str()) {
                ids.push(id.to_string());
            }
        }
        ids.sort_by(|a, b| id_order(a, b));
        Ok(ids)
    }

    /// Hands the articles a search matches to `each`, in the order of
    /// [`Archive::matching_ids`], skipping `offset` and stopping after
    /// `limit`. Returns how many match in all.
    pub fn for_each_match<E: From<ArchiveError>>(
        &self,
        q: &SearchQuery,
        offset: usize,
        limit: Option<usize>,
        each: &mut dyn FnMut(ArticleRecord) -> Result<(), E>,
    ) -> Result<usize, E> {
        self.for_each_of(&query::build(&self.index, q)?, offset, limit, each)
    }

    /// [`Archive::for_each_match`] of a query already built.
    fn for_each_of<E: From<ArchiveError>>(
        &self,
        built: &query::Built,
        offset: usize,
        limit: Option<usize>,
        each: &mut dyn FnMut(ArticleRecord) -> Result<(), E>,
    ) -> Result<usize, E> {
        let ids = self.ids_of(built)?;
        let end = limit.map_or(ids.len(), |l| offset.saturating_add(l).min(ids.len()));
        for id in ids.get(offset.min(ids.len())..end).unwrap_or_default() {
            // An id the index holds but the records no longer do (a
            // delete racing this read) is passed over.
            if let Some(row) = self.load(id)? {
                each(ArticleRecord {
                    id: row.id,
                    paper: row.paper,
                    date: row.date,
                    page: row.page,
                    article: row.article,
                })?;
            }
        }
        Ok(ids.len())
    }

    /// Keyword-in-context lines: every place in the headline and body of
    /// the matching articles where a word or phrase of the query occurs
    /// (as the snippets highlight them: folded, whole phrases), with up to
    /// `context` characters either side, articles in the order of
    /// [`Archive::matching_ids`]. Lines of articles past `offset` articles,
    /// at most `limit` articles. Returns the lines and how many articles
    /// match in all.
    pub fn kwic(
        &self,
        q: &SearchQuery,
        context: usize,
        offset: usize,
        limit: Option<usize>,
    ) -> Result<(Vec<KwicLine>, usize), ArchiveError> {
        let built = query::build(&self.index, q)?;
        let highlights = &built.highlights;
        let mut lines = Vec::new();
        let total = self.for_each_of(&built, offset, limit, &mut |r: ArticleRecord| {
            let headline = index::headline_text(&r.article);
            let body = r.article.body_text();
            for (field, text, found) in [
                ("headline", &headline, highlights.in_headline(&headline)),
                ("body", &body, highlights.in_body(&body)),
            ] {
                for f in found {
                    let (left, matched, right) = around(text, f.range, context);
                    lines.push(KwicLine {
                        id: r.id.clone(),
                        paper: r.paper.clone(),
                        date: r.date.clone(),
                        page: r.page.clone(),
                        field,
                        left,
                        matched,
                        right,
                    });
                }
            }
            Ok::<(), ArchiveError>(())
        })?;
        Ok((lines, total))
    }

    /// Deletes the selected pages with their articles, from the records
    /// and the index, and the issues and papers left empty; commits.
    /// Refuses an empty selection (deleting everything is removing the
    /// directory).
    pub fn delete(&mut self, selection: &Selection) -> Result<Deleted, ArchiveError> {
        if selection.is_everything() {
            return Err(ArchiveError::Query(
                "delete needs a paper, a date range or a page; to delete everything, remove the archive directory".into(),
            ));
        }
        selection.checked()?;
        let pages: Vec<(i64, String, String, String)> = {
            let mut stmt = self.db.prepare(&format!(
                "SELECT p.id, pa.name, i.date, p.page
                 FROM pages p
                 JOIN issues i ON i.id = p.issue_id
                 JOIN papers pa ON pa.id = i.paper_id
                 WHERE {SELECTION_SQL}"
            ))?;
            let rows = stmt.query_map(
                params![selection.paper, selection.from, selection.to],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?;
            let mut pages = Vec::new();
            for row in rows {
                let row: (i64, String, String, String) = row?;
                if selection.takes_page(&row.3) {
                    pages.push(row);
                }
            }
            pages
        };
        let mut deleted = Deleted::default();
        if pages.is_empty() {
            return Ok(deleted);
        }
        self.index.writer()?;
        self.begin()?;
        let outcome = (|| -> Result<(), ArchiveError> {
            for (page_id, paper, date, page) in &pages {
                deleted.articles += self
                    .db
                    .prepare_cached("DELETE FROM articles WHERE page_id = ?1")?
                    .execute([page_id])?;
                self.db
                    .prepare_cached("DELETE FROM pages WHERE id = ?1")?
                    .execute([page_id])?;
                self.index
                    .delete_page(&names::page_prefix(paper, date, page))?;
                deleted.pages += 1;
            }
            deleted.issues = self.db.execute(
                "DELETE FROM issues WHERE id NOT IN (SELECT issue_id FROM pages)",
                [],
            )?;
            deleted.papers = self.db.execute(
                "DELETE FROM papers WHERE id NOT IN (SELECT paper_id FROM issues)",
                [],
            )?;
            Ok(())
        })();
        if let Err(e) = outcome {
            self.abort();
            return Err(e);
        }
        self.pending_pages += pages.len();
        self.commit()?;
        Ok(deleted)
    }

    /// Per paper: issues, pages, articles and the dates covered, papers by
    /// name.
    pub fn paper_stats(&self) -> Result<Vec<PaperStats>, ArchiveError> {
        let mut stmt = self.db.prepare(
            "SELECT pa.name,
                    COUNT(DISTINCT i.id),
                    COUNT(DISTINCT p.id),
                    (SELECT COUNT(*) FROM articles a JOIN pages p2 ON p2.id = a.page_id
                       JOIN issues i2 ON i2.id = p2.issue_id WHERE i2.paper_id = pa.id),
                    MIN(CASE WHEN i.date <> 'undated' THEN i.date END),
                    MAX(CASE WHEN i.date <> 'undated' THEN i.date END),
                    COUNT(DISTINCT CASE WHEN i.date = 'undated' THEN i.id END)
             FROM papers pa
             LEFT JOIN issues i ON i.paper_id = pa.id
             LEFT JOIN pages p ON p.issue_id = i.id
             GROUP BY pa.id
             ORDER BY pa.name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(PaperStats {
                paper: r.get(0)?,
                issues: r.get::<_, i64>(1)? as usize,
                pages: r.get::<_, i64>(2)? as usize,
                articles: r.get::<_, i64>(3)? as usize,
                first_date: r.get(4)?,
                last_date: r.get(5)?,
                undated_issues: r.get::<_, i64>(6)? as usize,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The bytes the database and the index take on disk.
    pub fn disk_use(&self) -> DiskUse {
        let file = |name: &str| std::fs::metadata(self.dir.join(name)).map_or(0, |m| m.len());
        DiskUse {
            database: file("archive.sqlite") + file("archive.sqlite-wal"),
            index: dir_size(&self.dir.join("index")),
        }
    }
}

/// Archive ids in print order: by date, then paper, then page, then the
/// article's place (ids are `paper/date/page/n`, each part encoded).
fn id_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn parts(id: &str) -> (&str, &str, &str, usize) {
        let mut it = id.rsplitn(4, '/');
        let n = it.next().and_then(|n| n.parse().ok()).unwrap_or(usize::MAX);
        let page = it.next().unwrap_or_default();
        let date = it.next().unwrap_or_default();
        let paper = it.next().unwrap_or_default();
        (date, paper, page, n)
    }
    let (da, pa, ga, na) = parts(a);
    let (db, pb, gb, nb) = parts(b);
    (da, pa)
        .cmp(&(db, pb))
        .then_with(|| names::page_order(ga, gb))
        .then(na.cmp(&nb))
}

/// The text before `range` (at most `context` characters), in it, and
/// after it (likewise), line breaks as spaces: a KWIC line is one line.
fn around(text: &str, range: std::ops::Range<usize>, context: usize) -> (String, String, String) {
    let flat = |s: &str| s.replace(['\n', '\r'], " ");
    let before = &text[..range.start];
    let left_start = before
        .char_indices()
        .rev()
        .nth(context.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    let left = if context == 0 {
        ""
    } else {
        &before[left_start..]
    };
    let after = &text[range.end..];
    let right_end = after
        .char_indices()
        .nth(context)
        .map_or(after.len(), |(i, _)| i);
    (
        flat(left),
        flat(&text[range.clone()]),
        flat(&after[..right_end]),
    )
}

fn dir_size(dir: &std::path::Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kwic_context_counts_characters() {
        let text = "一二三四五南水北调六七八九十";
        let start = text.find("南水北调").unwrap();
        let range = start..start + "南水北调".len();
        assert_eq!(
            around(text, range.clone(), 3),
            ("三四五".into(), "南水北调".into(), "六七八".into())
        );
        assert_eq!(
            around(text, range.clone(), 50),
            ("一二三四五".into(), "南水北调".into(), "六七八九十".into())
        );
        assert_eq!(
            around(text, range, 0),
            ("".into(), "南水北调".into(), "".into())
        );
        assert_eq!(
            around("甲\n乙丙", 4..7, 5),
            ("甲 ".into(), "乙".into(), "丙".into())
        );
    }

    #[test]
    fn ids_sort_by_date_then_page() {
        let mut ids = vec![
            "P/2024-10-22/10/1",
            "P/2024-10-22/2/3",
            "P/2024-10-22/2/10",
            "P/2023-01-01/05/1",
            "P/2024-10-22/2/2",
        ];
        ids.sort_by(|a, b| id_order(a, b));
        assert_eq!(
            ids,
            [
                "P/2023-01-01/05/1",
                "P/2024-10-22/2/2",
                "P/2024-10-22/2/3",
                "P/2024-10-22/2/10",
                "P/2024-10-22/10/1"
            ]
        );
    }
}
