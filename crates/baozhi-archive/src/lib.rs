//! An on-disk archive of newspaper articles in the `baozhi/1` format, with
//! full-text search in Chinese.
//!
//! An archive is a directory:
//!
//! - `archive.sqlite`, the record of truth: papers, issues (paper + date),
//!   pages (with their furniture) and articles (each the whole `baozhi/1`
//!   article as JSON), see `schema.rs`;
//! - `index/`, a tantivy index over the articles, each text indexed twice,
//!   as jieba words (for ranking) and as single characters at their
//!   places (so that any piece of it is found), both folded (width, case,
//!   traditional → simplified, see `fold.rs`); it can always be rebuilt
//!   from the database, see `index.rs`.
//!
//! # Ids
//!
//! Every article gets an archive id `{paper}/{date}/{page}/{n}`: the paper
//! name ([`names::UNKNOWN_PAPER`] when the document has none), the issue
//! date ([`names::UNDATED`]), the page as printed ([`names::UNNUMBERED`])
//! and the article's 1-based place on its page, each part percent-encoded
//! (every byte outside `A–Z a–z 0–9 - _ ~`), e.g.
//! `%E5%8D%97%E9%98%B3%E6%97%A5%E6%8A%A5/2024-10-22/01/3`. Ids are safe in a
//! URL path as they are and stay the same when a page is ingested again.
//! Other results ([`IssueInfo`], [`Hit`] …) carry paper, date and page as
//! plain text, with the same placeholders.
//!
//! # Writing and consistency
//!
//! A page is identified by paper + date + page; ingesting a page that is
//! already there replaces it (its articles are deleted, then the new ones
//! inserted), so there are never duplicates.
//!
//! Writes are collected in one open database transaction and made durable
//! and searchable by [`Archive::commit`] ([`Archive::ingest_path`] commits
//! every [`BATCH_PAGES`] pages and at the end). Dropping an archive with
//! uncommitted writes discards them, in the database and in the index.
//!
//! A commit first commits the database transaction, which bumps a
//! generation counter, then commits the index with that generation as its
//! payload. A process killed between the two leaves an index that is one
//! generation behind; [`Archive::open`] notices and rebuilds the index from
//! the database. So a killed ingest leaves the archive as it was after the
//! last completed commit, database and index alike.
//!
//! # Concurrency
//!
//! An [`Archive`] is `Send` but not `Sync` (it owns a SQLite connection).
//! A server can keep one per worker or put one behind a mutex. Any number
//! of archives may read the same directory at once, also while one other
//! archive (in this or another process) writes to it: the index writer is
//! only taken on the first write, and readers see new commits within about
//! a second.

mod files;
pub mod fold;
mod index;
mod manage;
pub mod names;
mod query;
mod schema;
mod trend;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use baozhi_ingest::baozhi_ocr::render;
use baozhi_ingest::PageText;
use baozhi_model::{Article, Document, Furniture, PageSize, Region};
use baozhi_pipeline::{batch, Pipeline, Proofing};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::Value;
use tantivy::TantivyDocument;

pub use files::check_schema;
pub use index::{searched_texts, JiebaTokenizer, CORRECTION_CONFIDENCE, TOKENIZER};
pub use manage::{ArticleRecord, Deleted, DiskUse, KwicLine, PaperStats, Selection};
pub use query::{
    check_query_text, QueryLimitError, MAX_QUERY_CHARS, MAX_QUERY_DEPTH, MAX_QUERY_GROUPS,
};
pub use trend::{Trend, TrendBy, TrendPeriod, TrendQuery, AUTO_MONTHS_MAX, MAX_TREND_PERIODS};

use index::{IndexState, Keys, SearchIndex};

/// [`Archive::ingest_path`] commits after this many pages, so that a long
/// ingest is not one huge transaction and a killed one keeps what it did.
pub const BATCH_PAGES: usize = 500;

/// The largest `offset` a search honours (deeper pages of results cost
/// memory and nobody reads them).
pub const MAX_OFFSET: usize = 10_000;

/// Why an archive operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("archive database: {0}")]
    Db(rusqlite::Error),
    #[error("search index: {0}")]
    Index(tantivy::TantivyError),
    /// The disk (or the file system's quota) is full. The failed batch was
    /// dropped, database and index alike: the archive reads as it did
    /// after its last commit.
    #[error(
        "the disk is full ({0}): the pages of the unfinished batch were not kept and the \
         archive is as it was after its last commit; free some space and run again"
    )]
    DiskFull(String),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A document that is not `baozhi/1`.
    #[error("not a baozhi/1 document: {0}")]
    Invalid(String),
    /// A search the archive cannot run (e.g. a `from` that is not a date).
    #[error("bad search: {0}")]
    Query(String),
    /// A search text refused before parsing: too long, or nested too
    /// deeply for the query parser (see [`check_query_text`]).
    #[error("bad search: {0}")]
    QueryLimit(#[from] QueryLimitError),
    /// Another process holds the index writer.
    #[error("archive busy: {0}")]
    Busy(String),
    /// An article in the database whose JSON does not parse.
    #[error("stored article {id} is corrupt: {source}")]
    Corrupt {
        id: String,
        #[source]
        source: serde_json::Error,
    },
}

impl ArchiveError {
    fn io(path: &Path, source: std::io::Error) -> Self {
        if source.kind() == std::io::ErrorKind::StorageFull {
            return ArchiveError::DiskFull(format!("{}: {source}", path.display()));
        }
        ArchiveError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Whether this is [`ArchiveError::DiskFull`].
    pub fn is_disk_full(&self) -> bool {
        matches!(self, ArchiveError::DiskFull(_))
    }
}

/// The OS's words for a full disk as tantivy passes them on: its errors
/// wrap the `io::Error` in several layers (opening a file, writing a
/// segment, committing) and keep only its message in some of them. ENOSPC
/// is 28 on Linux and the BSDs; EDQUOT (a quota) reads differently.
const DISK_FULL_MESSAGES: [&str; 3] = [
    "(os error 28)",
    "No space left on device",
    "Disk quota exceeded",
];

impl From<rusqlite::Error> for ArchiveError {
    fn from(e: rusqlite::Error) -> Self {
        // SQLITE_FULL: the disk, or `max_page_count`, is full.
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
            return ArchiveError::DiskFull(format!("archive database: {e}"));
        }
        ArchiveError::Db(e)
    }
}

impl From<tantivy::TantivyError> for ArchiveError {
    fn from(e: tantivy::TantivyError) -> Self {
        let full = match &e {
            tantivy::TantivyError::IoError(io) => io.kind() == std::io::ErrorKind::StorageFull,
            _ => false,
        } || {
            let message = e.to_string();
            DISK_FULL_MESSAGES.iter().any(|m| message.contains(m))
        };
        if full {
            return ArchiveError::DiskFull(format!("search index: {e}"));
        }
        ArchiveError::Index(e)
    }
}

impl From<tantivy::directory::error::OpenDirectoryError> for ArchiveError {
    fn from(e: tantivy::directory::error::OpenDirectoryError) -> Self {
        ArchiveError::Index(e.into())
    }
}

/// What a worker made of one input file for the thread that writes the
/// archive.
enum Prepared {
    /// JSON lines: read as a stream by the writer, a document at a time.
    Lines,
    /// A text page parsed, or a `baozhi/1` document read; or why not.
    One(Result<Document, String>),
    /// A PDF's or an OCR file's pages parsed, numbered from 1, with the
    /// pictures of a PDF's pages; or why the file cannot be read.
    Paged(Result<files::PagedFile, String>),
}

/// What [`Archive::ingest_path_with`] assumes about page files.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// The paper of `.txt` pages, and of documents that name none.
    pub paper: Option<String>,
    /// The date of `.txt` pages (before the one in the file name), and of
    /// documents that give none.
    pub date: Option<String>,
    /// Scans (`.png`, `.tif`, `.jpg`, and PDF pages without a text layer)
    /// are read by this OCR program; without it, image files are not taken.
    pub ocr: Option<baozhi_ingest::baozhi_ocr::Tesseract>,
    /// Proofread the articles of pages parsed here (text, PDF, OCR; a
    /// `baozhi/1` document keeps the findings it has): their findings are
    /// kept beside the print, and the text as the confident ones correct it
    /// is searchable ([`CORRECTION_CONFIDENCE`]).
    pub proof: bool,
    /// The page engine that reads text pages (default: the line model).
    /// PDF and OCR pages are always read by the line model, with their
    /// lines' boxes.
    pub engine: baozhi_pipeline::Engine,
    /// Keep a picture of every PDF page (rendered by poppler's `pdftoppm`),
    /// which the web reader shows with the page's articles drawn over it.
    /// Without `pdftoppm` the pages are ingested without pictures and the
    /// summary says why ([`IngestSummary::warnings`]).
    pub page_pictures: bool,
}

impl IngestOptions {
    /// The pipeline that parses pages for the archive: this paper, date
    /// and engine, and the proofreader's findings with [`Self::proof`]
    /// (the archive corrects the searchable text itself, so none are
    /// applied).
    pub fn pipeline(&self) -> Pipeline {
        Pipeline {
            paper: self.paper.clone(),
            date: self.date.clone(),
            engine: self.engine,
            proofing: if self.proof {
                Proofing::Find
            } else {
                Proofing::Off
            },
            ..Pipeline::default()
        }
    }

    /// One decoded page as the archive files it: parsed by `pipeline` (from
    /// [`Self::pipeline`], maybe with a page number), and dated by the date
    /// its running head prints when nothing else dates it. Front ends that
    /// read pages themselves (standard input in the CLI) call it too.
    pub fn parse(&self, pipeline: &Pipeline, path: Option<&Path>, page: &PageText) -> Document {
        let mut doc = pipeline.document(path, page);
        files::date_from_running_head(&mut doc);
        doc
    }
}

/// What an ingest did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestSummary {
    /// Files read (including ones with bad lines).
    pub files: usize,
    /// Documents ingested.
    pub documents: usize,
    /// Pages written, new or replaced.
    pub pages: usize,
    /// Of `pages`, how many replaced a page already in the archive.
    pub replaced_pages: usize,
    /// Articles written.
    pub articles: usize,
    /// Files, or lines of `.jsonl` files, that were not ingested, and why.
    pub skipped: Vec<Skipped>,
    /// Pictures of pages kept ([`IngestOptions::page_pictures`]).
    #[serde(default)]
    pub pictures: usize,
    /// What was ingested without all it could have had (a file's page
    /// pictures that could not be made, and why), once per file.
    #[serde(default)]
    pub warnings: Vec<String>,
}

impl IngestSummary {
    fn add(&mut self, other: &IngestSummary) {
        self.files += other.files;
        self.documents += other.documents;
        self.pages += other.pages;
        self.replaced_pages += other.replaced_pages;
        self.articles += other.articles;
        self.skipped.extend(other.skipped.iter().cloned());
        self.pictures += other.pictures;
        self.warnings.extend(other.warnings.iter().cloned());
    }
}

/// A file (or a line of a `.jsonl` file) that was not ingested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub path: PathBuf,
    /// The 1-based line of a `.jsonl` file, or `None` for a whole file.
    pub line: Option<usize>,
    pub error: String,
}

impl Skipped {
    fn new(path: &Path, line: Option<usize>, error: String) -> Self {
        Skipped {
            path: path.to_path_buf(),
            line,
            error,
        }
    }
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.path.display(), self.error),
            None => write!(f, "{}: {}", self.path.display(), self.error),
        }
    }
}

/// Where an [`Archive::ingest_path`] is, reported after each file (and
/// every few hundred lines of a `.jsonl` file).
#[derive(Debug, Clone)]
pub struct Progress {
    pub files_done: usize,
    pub files_total: usize,
    pub pages: usize,
    pub articles: usize,
    pub skipped: usize,
    /// The file being read.
    pub current: PathBuf,
}

/// A search. `text` uses tantivy's query syntax over the headline (kicker,
/// title, subtitle; boosted), body, captions and bylines: words must all
/// occur (`南水北调 工程`), `OR` and `NOT`/`-` combine them, quotes make a
/// phrase (`"南水北调后续工程"`; unquoted Chinese without spaces is a
/// phrase too), and `title:` `byline:` `body:` `headline:` `caption:`
/// `paper:` `date:` `page:` `column:` `id:` search one field. A word or
/// phrase finds every article that holds it, also inside longer words
/// (`范意识` finds `防范意识`, `2024年` finds `2024年底`, `合` every `合`);
/// articles holding it as words rank first. Full-width and half-width
/// forms, upper and lower case, traditional and simplified characters
/// match each other (`２０２５年` `2025年`, `GDP` `gdp`, `國家` `国家`), and
/// U+3000 is a space. Blank text matches every article (useful with
/// filters). A text longer than [`MAX_QUERY_CHARS`], or nesting
/// parentheses deeper than [`MAX_QUERY_DEPTH`] (or holding more than
/// [`MAX_QUERY_GROUPS`] `(` and `NOT` in all), is refused with
/// [`ArchiveError::QueryLimit`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchQuery {
    pub text: String,
    /// Only this paper (exact name).
    pub paper: Option<String>,
    /// Only issues on or after this `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Only issues on or before this `YYYY-MM-DD`.
    pub to: Option<String>,
    /// Hits per page of results, clamped to 1..=100.
    pub limit: usize,
    /// Hits to skip (for later pages of results), at most [`MAX_OFFSET`].
    pub offset: usize,
    /// Search whole stories: an article continued on another page (jump
    /// lines `下转`/`上接`) also matches words printed in its other parts,
    /// so that words spread over the parts find the story (each part is a
    /// hit; a part's own words rank it higher). Off, a search finds the
    /// articles that print every word, as grep would.
    #[serde(default)]
    pub stories: bool,
}

impl SearchQuery {
    /// A search for `text`, first 10 hits, no filters.
    pub fn new(text: impl Into<String>) -> Self {
        SearchQuery {
            text: text.into(),
            limit: 10,
            ..SearchQuery::default()
        }
    }
}

/// One page of search results, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// How many articles match in all.
    pub total: usize,
}

/// One matching article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Archive id, for [`Archive::article`].
    pub id: String,
    pub title: String,
    pub paper: String,
    pub date: String,
    pub page: String,
    /// HTML: a passage of the body (else the headline) with the words and
    /// phrases found, each whole, in `<b>…</b>` and everything else
    /// escaped; the text as printed (`國家` for a search for `国家`).
    pub snippet: String,
    pub score: f32,
}

/// An article as the archive holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredArticle {
    /// Archive id.
    pub id: String,
    pub paper: String,
    pub date: String,
    pub page: String,
    /// The `baozhi/1` article as ingested (its own `id` is the one it had
    /// in its document).
    pub article: Article,
    /// Archive id of the article this one continues on (`下转`), when that
    /// page is in the archive and one article there picks it up.
    pub continues_to_id: Option<String>,
    /// Archive id of the article this one continues (`上接`), likewise.
    pub continued_from_id: Option<String>,
    /// The archive ids of every part of the story this article is part of,
    /// in reading order, this one included, following the jumps both ways
    /// (at most [`MAX_STORY_PARTS`]); empty when it has no resolved jumps.
    #[serde(default)]
    pub story: Vec<String>,
    /// The size in points of the picture of the article's page, when the
    /// archive keeps one ([`Archive::page_picture`]): the article's `boxes`
    /// are drawn on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture: Option<PageSize>,
}

/// The most parts [`StoredArticle::story`] follows: a story jumps once or
/// twice; a cycle of jump lines (misread page numbers) must not loop.
pub const MAX_STORY_PARTS: usize = 16;

/// An issue in the list of issues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueInfo {
    pub paper: String,
    pub date: String,
    pub pages: usize,
    pub articles: usize,
}

/// One page of the list of issues ([`Archive::issues_page`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueList {
    /// The issues asked for, newest first (undated ones last).
    pub issues: Vec<IssueInfo>,
    /// How many issues there are in all (of the paper asked for, if any).
    pub total: usize,
}

/// A paper in the list of papers, with how many issues the archive holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperInfo {
    pub paper: String,
    pub issues: usize,
}

/// An issue's pages in print order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssueDetail {
    pub paper: String,
    pub date: String,
    pub pages: Vec<PageInfo>,
}

/// A page: its furniture and its articles in page order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageInfo {
    pub page: String,
    pub furniture: Vec<Furniture>,
    pub articles: Vec<ArticleSummary>,
    /// The size in points of the page's picture, when the archive keeps
    /// one ([`Archive::page_picture`]): the articles' `boxes` are in the
    /// same points, from its top-left corner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture: Option<PageSize>,
}

/// What a page listing shows of an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleSummary {
    pub id: String,
    pub title: String,
    pub kicker: Option<String>,
    pub column: Option<String>,
    pub page: String,
    /// Where the article was printed, on a page with a picture (its
    /// `boxes` in `baozhi/1`); empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub boxes: Vec<Region>,
}

/// The one field of a stored article that a page listing reads.
#[derive(Deserialize)]
struct PrintedBoxes {
    #[serde(default)]
    boxes: Vec<Region>,
}

/// Counts of what the archive holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    pub papers: usize,
    pub issues: usize,
    pub pages: usize,
    pub articles: usize,
}

/// An archive directory, open. See the crate docs for what it holds and
/// how writes become durable.
pub struct Archive {
    dir: PathBuf,
    db: Connection,
    index: SearchIndex,
    /// Whether a database transaction is open (writes not yet committed).
    in_tx: bool,
    /// Pages written since the last commit.
    pending_pages: usize,
}

/// Where a page is kept: paper, date and page as the archive keys them.
type PageKey = (String, String, String);

/// One page of a document, with its articles, ready to write.
struct PageGroup<'d> {
    page: String,
    furniture: Vec<&'d Furniture>,
    articles: Vec<&'d Article>,
}

impl Archive {
    /// Opens the archive in `dir`, creating the directory, `archive.sqlite`
    /// and `index/` as needed. When the index does not match the database
    /// (a killed ingest, a missing or outdated index) it is rebuilt from the
    /// database first, which takes about as long as ingesting it did.
    pub fn open(dir: &Path) -> Result<Archive, ArchiveError> {
        std::fs::create_dir_all(dir).map_err(|e| ArchiveError::io(dir, e))?;
        let db = schema::open(&dir.join("archive.sqlite"))?;
        let (index, state) = SearchIndex::open(&dir.join("index"))?;
        let mut archive = Archive {
            dir: dir.to_path_buf(),
            db,
            index,
            in_tx: false,
            pending_pages: 0,
        };
        let generation = schema::generation(&archive.db)?;
        if !matches!(state, IndexState::At(g) if g == generation) {
            // When another process holds the writer, it is mid-ingest and
            // its commit will bring the index in step; leave it to it.
            let db = &archive.db;
            let story = |id: &str| story_of(db, id);
            if archive.index.rebuild(db, generation, &story)?.is_some() {
                // Let go of the writer lock: this archive may only read.
                archive.index.finish()?;
            }
        }
        Ok(archive)
    }

    /// The archive's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Adds one `baozhi/1` document (a page or several pages of an issue),
    /// replacing pages already in the archive under the same paper, date
    /// and page. Articles go to the page of `doc.pages` their `page` names;
    /// in a one-page document, articles without a page go to that page.
    ///
    /// The writes join the open transaction: they are visible to
    /// [`Archive::article`] and friends at once, but durable and searchable
    /// only after [`Archive::commit`]. Nothing of a document that fails is
    /// written.
    pub fn ingest_document(&mut self, doc: &Document) -> Result<IngestSummary, ArchiveError> {
        files::check_schema(doc).map_err(ArchiveError::Invalid)?;
        files::check_date(doc).map_err(ArchiveError::Invalid)?;
        let paper = names::paper_key(doc.paper.as_deref());
        let date = names::date_key(doc.date.as_deref());
        let groups = group_pages(doc);
        if groups.is_empty() {
            // Nothing printed: no issue to record either.
            return Ok(IngestSummary {
                documents: 1,
                ..IngestSummary::default()
            });
        }
        // Take the index writer before writing anything, so that a busy
        // index does not leave database rows without index entries.
        self.index.writer()?;
        self.begin()?;
        self.db.execute_batch("SAVEPOINT document")?;
        let written = match self.write_rows(&paper, &date, &groups) {
            Ok(w) => {
                self.db.execute_batch("RELEASE document")?;
                w
            }
            Err(e) => {
                // On a full disk (and some I/O errors) SQLite rolls the
                // whole transaction back by itself, savepoint and all: the
                // batch is gone, so drop its index side too, and report the
                // error that did it rather than the missing savepoint.
                if self.db.is_autocommit()
                    || self
                        .db
                        .execute_batch("ROLLBACK TO document; RELEASE document")
                        .is_err()
                {
                    self.abort();
                }
                return Err(e);
            }
        };
        if let Err(e) = self.index_rows(&paper, &date, &groups) {
            // The index may hold part of the document: drop the whole batch
            // rather than commit a database and an index that differ.
            self.abort();
            return Err(e);
        }
        self.pending_pages += groups.len();
        Ok(IngestSummary {
            documents: 1,
            pages: groups.len(),
            replaced_pages: written,
            articles: groups.iter().map(|g| g.articles.len()).sum(),
            ..IngestSummary::default()
        })
    }

    /// Ingests a file or, recursively, a directory, with no paper or date
    /// beyond what file names and documents say. See
    /// [`Archive::ingest_path_with`].
    pub fn ingest_path(
        &mut self,
        path: &Path,
        on_progress: &mut dyn FnMut(Progress),
    ) -> Result<IngestSummary, ArchiveError> {
        self.ingest_path_with(path, &IngestOptions::default(), on_progress)
    }

    /// Ingests a file or, recursively, a directory: `*.txt` page text
    /// (parsed with the page engine; paper from `opts`, date from `opts` or
    /// the file name's `YYYY-MM-DD`, page from the name's `-pNN` or the
    /// number after the date, as `baozhi parse` reads them), `*.json` (one
    /// `baozhi/1` document) and `*.jsonl` (one per line, read as a stream).
    ///
    /// Files and lines that cannot be read or are not `baozhi/1` are listed
    /// in the summary's `skipped` and the rest goes on. Commits every
    /// [`BATCH_PAGES`] pages and at the end; on an error from the archive
    /// itself (disk full …) the uncommitted batch is dropped and the error
    /// returned, earlier batches stay.
    pub fn ingest_path_with(
        &mut self,
        path: &Path,
        opts: &IngestOptions,
        on_progress: &mut dyn FnMut(Progress),
    ) -> Result<IngestSummary, ArchiveError> {
        self.ingest_paths_with(&[path], opts, on_progress)
    }

    /// Ingests files and directories as one run (see
    /// [`Archive::ingest_path_with`]). Within a run a page key (paper,
    /// date, page) is written once: a later file that maps to a key an
    /// earlier file of the run gave is skipped, with both files named,
    /// instead of silently replacing it. A later run replaces pages, as
    /// re-ingesting is meant to.
    pub fn ingest_paths_with(
        &mut self,
        roots: &[&Path],
        opts: &IngestOptions,
        on_progress: &mut dyn FnMut(Progress),
    ) -> Result<IngestSummary, ArchiveError> {
        let mut summary = IngestSummary::default();
        let mut paths = Vec::new();
        for path in roots {
            files::collect(path, opts.ocr.is_some(), &mut paths, &mut summary.skipped);
        }
        let mut run_keys: HashMap<PageKey, String> = HashMap::new();
        let total = paths.len();
        let progress = |s: &IngestSummary, done: usize, current: &Path| Progress {
            files_done: done,
            files_total: total,
            pages: s.pages,
            articles: s.articles,
            skipped: s.skipped.len(),
            current: current.to_path_buf(),
        };
        // Workers read and parse the files, in order, on every core; this
        // thread writes them to the archive one after another.
        let pipeline = opts.pipeline();
        pipeline.warm_up();
        // Without a renderer, PDF pages are kept without pictures: said
        // once for the run, not once a file.
        let render_pdfs = opts.page_pictures && render::can_render_pdfs();
        if opts.page_pictures && !render_pdfs {
            summary.warnings.push(format!(
                "PDF pages kept without their pictures: {}",
                render::cannot_render_pdfs()
            ));
        }
        let written = batch::in_order(
            paths.iter().enumerate(),
            |(i, file)| {
                let made = match files::kind(file) {
                    Some(files::Kind::Jsonl) => Prepared::Lines,
                    Some(files::Kind::Paged) => {
                        Prepared::Paged(files::paged_documents(file, opts, &pipeline, render_pdfs))
                    }
                    Some(files::Kind::Text) => {
                        Prepared::One(files::text_document(file, opts, &pipeline))
                    }
                    _ => Prepared::One(files::json_document(file, opts)),
                };
                (i, file, made)
            },
            |(i, file, made)| {
                let file = file.as_path();
                match made {
                    Prepared::Lines => {
                        let outcome = files::for_each_line(file, |line, text| {
                            let doc = text.and_then(|t| files::parse_document(t, opts));
                            let from = format!("{}:{line}", file.display());
                            match doc.and_then(|d| claim_pages(&mut run_keys, &d, from).map(|()| d))
                            {
                                Ok(doc) => self.ingest_counted(&doc, &mut summary)?,
                                Err(e) => summary.skipped.push(Skipped::new(file, Some(line), e)),
                            }
                            if line % 200 == 0 {
                                on_progress(progress(&summary, i, file));
                            }
                            Ok(())
                        });
                        match outcome {
                            Ok(Ok(())) => {}
                            Ok(Err(e)) => summary.skipped.push(Skipped::new(file, None, e)),
                            Err(e) => return Err(e),
                        }
                    }
                    Prepared::Paged(Ok(paged)) => {
                        let pictures = match paged.pictures {
                            Some(Ok(pictures)) => pictures,
                            Some(Err(e)) => {
                                summary.warnings.push(format!(
                                    "{}: pages kept without their pictures: {e}",
                                    file.display()
                                ));
                                Vec::new()
                            }
                            None => Vec::new(),
                        };
                        for (page, doc) in paged.pages {
                            let from = format!("{} page {page}", file.display());
                            let picture = pictures.iter().find(|p| p.number == page);
                            match doc.and_then(|d| claim_pages(&mut run_keys, &d, from).map(|()| d))
                            {
                                Ok(doc) => self.ingest_counted_with(
                                    &doc,
                                    picture.map(|p| p.jpeg.as_slice()),
                                    &mut summary,
                                )?,
                                Err(e) => summary.skipped.push(Skipped::new(file, None, e)),
                            }
                        }
                    }
                    Prepared::Paged(Err(e)) => summary.skipped.push(Skipped::new(file, None, e)),
                    Prepared::One(doc) => {
                        let from = file.display().to_string();
                        match doc.and_then(|d| claim_pages(&mut run_keys, &d, from).map(|()| d)) {
                            Ok(doc) => self.ingest_counted(&doc, &mut summary)?,
                            Err(e) => summary.skipped.push(Skipped::new(file, None, e)),
                        }
                    }
                }
                summary.files += 1;
                on_progress(progress(&summary, i + 1, file));
                Ok(())
            },
        );
        if let Err(e) = written {
            self.abort();
            return Err(e);
        }
        self.commit()?;
        Ok(summary)
    }

    /// Ingests one document for `ingest_path`: counts it, and commits when
    /// a batch is full. A document that is not `baozhi/1` is skipped;
    /// other errors are the archive's and end the ingest.
    fn ingest_counted(
        &mut self,
        doc: &Document,
        summary: &mut IngestSummary,
    ) -> Result<(), ArchiveError> {
        self.ingest_counted_with(doc, None, summary)
    }

    /// [`Self::ingest_counted`], keeping a picture of the document's page
    /// (a JPEG) in the same transaction.
    fn ingest_counted_with(
        &mut self,
        doc: &Document,
        picture: Option<&[u8]>,
        summary: &mut IngestSummary,
    ) -> Result<(), ArchiveError> {
        let done = self.ingest_document(doc)?;
        summary.add(&done);
        if let Some(jpeg) = picture {
            if self.put_page_picture(doc, jpeg)? {
                summary.pictures += 1;
            }
        }
        if self.pending_pages >= BATCH_PAGES {
            self.commit()?;
        }
        Ok(())
    }

    /// Keeps `jpeg` as the picture of the one page `doc` holds, just
    /// ingested in the open transaction. Needs the page's size (the
    /// articles' boxes are drawn on it): a document of several pages, or
    /// without the size, gets no picture (returns false).
    fn put_page_picture(&mut self, doc: &Document, jpeg: &[u8]) -> Result<bool, ArchiveError> {
        let [page] = doc.pages.as_slice() else {
            return Ok(false);
        };
        let Some(size) = page.size else {
            return Ok(false);
        };
        let paper = names::paper_key(doc.paper.as_deref());
        let date = names::date_key(doc.date.as_deref());
        let page = names::page_key(page.page.as_deref());
        let Some(page_id) = self.page_id(&paper, &date, &page)? else {
            return Ok(false);
        };
        schema::put_page_picture(&self.db, page_id, size, jpeg)?;
        Ok(true)
    }

    /// The row id of a page, by its keys.
    fn page_id(&self, paper: &str, date: &str, page: &str) -> Result<Option<i64>, ArchiveError> {
        Ok(self
            .db
            .prepare_cached(
                "SELECT p.id FROM pages p JOIN issues i ON i.id = p.issue_id
                 JOIN papers pa ON pa.id = i.paper_id
                 WHERE pa.name = ?1 AND i.date = ?2 AND p.page = ?3",
            )?
            .query_row([paper, date, page], |r| r.get(0))
            .optional()?)
    }

    /// The picture of a page (a JPEG), if the archive keeps one: the page
    /// as [`Archive::issue`] lists it (`paper`, `date` and `page` as
    /// stored).
    pub fn page_picture(
        &self,
        paper: &str,
        date: &str,
        page: &str,
    ) -> Result<Option<Vec<u8>>, ArchiveError> {
        let Some(page_id) = self.page_id(paper, date, page)? else {
            return Ok(None);
        };
        Ok(self
            .db
            .prepare_cached("SELECT jpeg FROM page_pictures WHERE page_id = ?1")?
            .query_row([page_id], |r| r.get(0))
            .optional()?)
    }

    /// Makes everything ingested since the last commit durable and
    /// searchable: commits the database transaction (bumping the
    /// generation), then the index with that generation as its payload.
    /// Does nothing when nothing was written.
    pub fn commit(&mut self) -> Result<(), ArchiveError> {
        if !self.in_tx {
            return Ok(());
        }
        let generation = match schema::bump_generation(&self.db)
            .and_then(|g| self.db.execute_batch("COMMIT").map(|()| g))
        {
            Ok(g) => g,
            Err(e) => {
                self.abort();
                return Err(e.into());
            }
        };
        self.in_tx = false;
        self.pending_pages = 0;
        // Should this fail, the index stays a generation behind and the
        // next `open` rebuilds it.
        self.index.commit(generation)
    }

    /// Commits, then waits for the index's background merges, so that the
    /// archive is left compact on disk. Dropping an archive instead
    /// discards uncommitted writes and may interrupt merges (harmless: they
    /// are redone later).
    pub fn close(mut self) -> Result<(), ArchiveError> {
        self.commit()?;
        self.index.finish()
    }

    /// Rebuilds the search index from the database (as `open` does when
    /// they differ), committing pending writes first. Returns the number
    /// of articles indexed.
    pub fn rebuild_index(&mut self) -> Result<usize, ArchiveError> {
        self.commit()?;
        let generation = schema::generation(&self.db)?;
        let db = &self.db;
        let story = |id: &str| story_of(db, id);
        self.index.rebuild(db, generation, &story)?.ok_or_else(|| {
            ArchiveError::Busy("another process is writing to this archive's index".into())
        })
    }

    /// For tests: lets the database grow by at most `pages` pages of
    /// SQLite (4 KiB each), so that a write past them fails as it does on a
    /// full disk (SQLITE_FULL).
    #[doc(hidden)]
    pub fn limit_database_growth(&self, pages: i64) -> Result<(), ArchiveError> {
        let now: i64 = self
            .db
            .pragma_query_value(None, "page_count", |r| r.get(0))?;
        self.db.pragma_update(None, "max_page_count", now + pages)?;
        Ok(())
    }

    /// For tests: ingests and commits the database, but drops the index
    /// side instead of committing it, as a process killed between the two
    /// commits would. The next [`Archive::open`] must rebuild the index.
    #[doc(hidden)]
    pub fn ingest_without_index_commit(
        &mut self,
        doc: &Document,
    ) -> Result<IngestSummary, ArchiveError> {
        let summary = self.ingest_document(doc)?;
        schema::bump_generation(&self.db)?;
        self.db.execute_batch("COMMIT")?;
        self.in_tx = false;
        self.pending_pages = 0;
        self.index.rollback()?;
        Ok(summary)
    }

    /// Searches the committed articles; see [`SearchQuery`] for the syntax.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults, ArchiveError> {
        let limit = q.limit.clamp(1, 100);
        let offset = q.offset.min(MAX_OFFSET);
        let query::Built { query, highlights } = query::build(&self.index, q)?;
        let searcher = self.index.reader.searcher();
        // A query the schema cannot answer (`date:*` asks for a fast field
        // the archive does not keep) is the searcher's mistake, not the
        // archive's: a bad search, found before anything runs.
        if let Err(e) = query.weight(tantivy::query::EnableScoring::enabled_from_searcher(
            &searcher,
        )) {
            return Err(match e {
                tantivy::TantivyError::SchemaError(m)
                | tantivy::TantivyError::InvalidArgument(m)
                | tantivy::TantivyError::FieldNotFound(m) => {
                    ArchiveError::Query(format!("this archive cannot answer that: {m}"))
                }
                other => ArchiveError::Index(other),
            });
        }
        let collector = (
            TopDocs::with_limit(limit)
                .and_offset(offset)
                .order_by_score(),
            Count,
        );
        let (top, total) = searcher.search(&*query, &collector)?;
        let f = self.index.fields;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let get = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let id = get(f.id);
            // Snippets are cut from the database's copy of the text, which
            // the index does not store twice.
            let snippet = match self.load(&id)? {
                Some(row) => {
                    let body = row.article.body_text();
                    let mut html = query::snippet_html(&body, &highlights.in_body(&body));
                    if html.is_empty() {
                        let headline = index::headline_text(&row.article);
                        html = query::snippet_html(&headline, &highlights.in_headline(&headline));
                    }
                    if html.is_empty() {
                        html = query::lead_html(&body, 100);
                    }
                    html
                }
                None => String::new(),
            };
            hits.push(Hit {
                title: get(f.title),
                paper: get(f.paper),
                date: get(f.date),
                page: get(f.page),
                id,
                snippet,
                score,
            });
        }
        Ok(SearchResults { hits, total })
    }

    /// The article with this archive id, with the ids of the articles it
    /// jumps to and from when those are in the archive. Ids are accepted
    /// percent-encoded (as issued) or decoded (as a web framework may hand
    /// them over).
    pub fn article(&self, id: &str) -> Result<Option<StoredArticle>, ArchiveError> {
        let row = match self.load(id)? {
            Some(row) => Some(row),
            None => {
                let encoded: Vec<String> = id.split('/').map(names::percent_encode).collect();
                let encoded = encoded.join("/");
                if encoded == id {
                    None
                } else {
                    self.load(&encoded)?
                }
            }
        };
        let Some(row) = row else {
            return Ok(None);
        };
        let a = &row.article;
        let continues_to_id = match a.continues_to.as_deref() {
            Some(to) => resolve_jump(&self.db, &row, to, Jump::To)?,
            None => None,
        };
        let continued_from_id = match a.continued_from.as_deref() {
            Some(from) => resolve_jump(&self.db, &row, from, Jump::From)?,
            None => None,
        };
        let story = if continues_to_id.is_some() || continued_from_id.is_some() {
            self.story_ids(&row)?
        } else {
            Vec::new()
        };
        let picture = self
            .db
            .prepare_cached(
                "SELECT pp.width, pp.height FROM page_pictures pp
                 JOIN articles a ON a.page_id = pp.page_id WHERE a.id = ?1",
            )?
            .query_row([&row.id], schema::picture_size)
            .optional()?;
        Ok(Some(StoredArticle {
            id: row.id,
            paper: row.paper,
            date: row.date,
            page: row.page,
            article: row.article,
            continues_to_id,
            continued_from_id,
            story,
            picture,
        }))
    }

    /// All issues, newest first (undated ones last), with their page and
    /// article counts.
    pub fn issues(&self) -> Result<Vec<IssueInfo>, ArchiveError> {
        let mut stmt = self.db.prepare(
            "SELECT pa.name, i.date,
                    (SELECT COUNT(*) FROM pages p WHERE p.issue_id = i.id),
                    (SELECT COUNT(*) FROM articles a JOIN pages p ON p.id = a.page_id
                      WHERE p.issue_id = i.id)
             FROM issues i JOIN papers pa ON pa.id = i.paper_id
             ORDER BY i.date = ?1, i.date DESC, pa.name",
        )?;
        let rows = stmt.query_map([names::UNDATED], |r| {
            Ok(IssueInfo {
                paper: r.get(0)?,
                date: r.get(1)?,
                pages: r.get::<_, i64>(2)? as usize,
                articles: r.get::<_, i64>(3)? as usize,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Part of the list of [`Archive::issues`]: at most `limit` issues
    /// after skipping `offset`, in the same order (newest first, undated
    /// last, then by paper), only those of `paper` when given, with the
    /// total count. Only the issues returned are counted up (pages,
    /// articles), so a page of a long list costs what it holds.
    pub fn issues_page(
        &self,
        paper: Option<&str>,
        limit: usize,
        offset: usize,
    ) -> Result<IssueList, ArchiveError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let total: i64 = self.db.query_row(
            "SELECT COUNT(*) FROM issues i JOIN papers pa ON pa.id = i.paper_id
             WHERE ?1 IS NULL OR pa.name = ?1",
            [paper],
            |r| r.get(0),
        )?;
        let mut stmt = self.db.prepare(
            "SELECT s.name, s.date,
                    (SELECT COUNT(*) FROM pages p WHERE p.issue_id = s.id),
                    (SELECT COUNT(*) FROM articles a JOIN pages p ON p.id = a.page_id
                      WHERE p.issue_id = s.id)
             FROM (SELECT i.id, pa.name, i.date FROM issues i
                     JOIN papers pa ON pa.id = i.paper_id
                    WHERE ?2 IS NULL OR pa.name = ?2
                    ORDER BY i.date = ?1, i.date DESC, pa.name
                    LIMIT ?3 OFFSET ?4) s
             ORDER BY s.date = ?1, s.date DESC, s.name",
        )?;
        let rows = stmt.query_map(
            rusqlite::params![names::UNDATED, paper, limit, offset],
            |r| {
                Ok(IssueInfo {
                    paper: r.get(0)?,
                    date: r.get(1)?,
                    pages: r.get::<_, i64>(2)? as usize,
                    articles: r.get::<_, i64>(3)? as usize,
                })
            },
        )?;
        Ok(IssueList {
            issues: rows.collect::<Result<_, _>>()?,
            total: total as usize,
        })
    }

    /// Every paper with its number of issues, by name.
    pub fn papers(&self) -> Result<Vec<PaperInfo>, ArchiveError> {
        let mut stmt = self.db.prepare(
            "SELECT pa.name, COUNT(i.id) FROM papers pa
               JOIN issues i ON i.paper_id = pa.id
              GROUP BY pa.id ORDER BY pa.name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(PaperInfo {
                paper: r.get(0)?,
                issues: r.get::<_, i64>(1)? as usize,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One issue's pages in print order (`01 < 2 < 10 < A1`), each with its
    /// furniture and articles. `paper` and `date` as in [`IssueInfo`]
    /// (placeholders included).
    pub fn issue(&self, paper: &str, date: &str) -> Result<Option<IssueDetail>, ArchiveError> {
        let issue: Option<i64> = self
            .db
            .query_row(
                "SELECT i.id FROM issues i JOIN papers pa ON pa.id = i.paper_id
                 WHERE pa.name = ?1 AND i.date = ?2",
                [paper, date],
                |r| r.get(0),
            )
            .optional()?;
        let Some(issue) = issue else {
            return Ok(None);
        };
        let mut pages_stmt = self
            .db
            .prepare("SELECT id, page, furniture FROM pages WHERE issue_id = ?1")?;
        let mut pages: Vec<(i64, String, String)> = pages_stmt
            .query_map([issue], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        pages.sort_by(|a, b| names::page_order(&a.1, &b.1));
        let mut articles_stmt = self.db.prepare(
            "SELECT id, title, kicker, column_label, json FROM articles WHERE page_id = ?1 ORDER BY ord",
        )?;
        let mut picture_stmt = self
            .db
            .prepare("SELECT width, height FROM page_pictures WHERE page_id = ?1")?;
        let mut out = Vec::with_capacity(pages.len());
        for (page_id, page, furniture) in pages {
            let furniture: Vec<Furniture> =
                serde_json::from_str(&furniture).map_err(|source| ArchiveError::Corrupt {
                    id: format!("page {page} of {paper} {date}"),
                    source,
                })?;
            let picture: Option<PageSize> = picture_stmt
                .query_row([page_id], schema::picture_size)
                .optional()?;
            let articles = articles_stmt
                .query_map([page_id], |r| {
                    // The boxes are read out of the article's JSON only
                    // where a picture shows them.
                    let boxes = if picture.is_some() {
                        let json: String = r.get(4)?;
                        serde_json::from_str::<PrintedBoxes>(&json)
                            .map(|b| b.boxes)
                            .unwrap_or_default()
                    } else {
                        Vec::new()
                    };
                    Ok(ArticleSummary {
                        id: r.get(0)?,
                        title: r.get(1)?,
                        kicker: r.get(2)?,
                        column: r.get(3)?,
                        page: page.clone(),
                        boxes,
                    })
                })?
                .collect::<Result<_, _>>()?;
            out.push(PageInfo {
                page,
                furniture,
                articles,
                picture,
            });
        }
        Ok(Some(IssueDetail {
            paper: paper.to_string(),
            date: date.to_string(),
            pages: out,
        }))
    }

    /// How many papers, issues, pages and articles the archive holds.
    pub fn stats(&self) -> Result<Stats, ArchiveError> {
        Ok(self.db.query_row(
            "SELECT (SELECT COUNT(*) FROM papers), (SELECT COUNT(*) FROM issues),
                    (SELECT COUNT(*) FROM pages), (SELECT COUNT(*) FROM articles)",
            [],
            |r| {
                Ok(Stats {
                    papers: r.get::<_, i64>(0)? as usize,
                    issues: r.get::<_, i64>(1)? as usize,
                    pages: r.get::<_, i64>(2)? as usize,
                    articles: r.get::<_, i64>(3)? as usize,
                })
            },
        )?)
    }

    fn begin(&mut self) -> Result<(), ArchiveError> {
        if !self.in_tx {
            // IMMEDIATE: take the write lock now, not halfway through.
            self.db.execute_batch("BEGIN IMMEDIATE")?;
            self.in_tx = true;
        }
        Ok(())
    }

    /// Drops every uncommitted write, in the database and in the index.
    /// Errors are ignored: this runs on the way out of another error.
    fn abort(&mut self) {
        if self.in_tx {
            let _ = self.db.execute_batch("ROLLBACK");
            self.in_tx = false;
        }
        self.pending_pages = 0;
        let _ = self.index.rollback();
    }

    /// Writes a document's pages and articles; returns how many pages it
    /// replaced.
    fn write_rows(
        &self,
        paper: &str,
        date: &str,
        groups: &[PageGroup<'_>],
    ) -> Result<usize, ArchiveError> {
        let paper_id = schema::paper_id(&self.db, paper)?;
        let issue_id = schema::issue_id(&self.db, paper_id, date)?;
        let mut replaced = 0;
        for g in groups {
            let furniture = serde_json::to_string(&g.furniture).expect("furniture serializes");
            let (page_id, existed) = schema::reset_page(&self.db, issue_id, &g.page, &furniture)?;
            replaced += usize::from(existed);
            for (i, a) in g.articles.iter().enumerate() {
                let id = names::archive_id(paper, date, &g.page, i + 1);
                let json = serde_json::to_string(a).expect("articles serialize");
                schema::insert_article(
                    &self.db,
                    &schema::ArticleRow {
                        id: &id,
                        page_id,
                        ord: i + 1,
                        title: &a.title,
                        kicker: a.kicker.as_deref(),
                        column: a.column.as_deref(),
                        continues_to: a.continues_to.as_deref(),
                        continued_from: a.continued_from.as_deref(),
                        json: &json,
                    },
                )?;
            }
        }
        Ok(replaced)
    }

    /// Queues a document's pages in the index: the old articles of each
    /// page out, the new ones in.
    fn index_rows(
        &mut self,
        paper: &str,
        date: &str,
        groups: &[PageGroup<'_>],
    ) -> Result<(), ArchiveError> {
        for g in groups {
            let prefix = names::page_prefix(paper, date, &g.page);
            self.index.delete_page(&prefix)?;
            for (i, a) in g.articles.iter().enumerate() {
                let id = names::archive_id(paper, date, &g.page, i + 1);
                let keys = Keys {
                    id: &id,
                    paper,
                    date,
                    page: &g.page,
                };
                let mut story = String::new();
                if index::has_jumps(a) {
                    // The rows of the document are written: the jumps
                    // resolve against them and the rest of the issue.
                    if let Some(row) = self.load(&id)? {
                        let partners = story_partners(&self.db, &row)?;
                        story = parts_text(&self.db, &partners)?;
                        // The other parts learn this part's text: index
                        // them again (a part on a page of this document
                        // is indexed again with its page anyway).
                        for other in &partners {
                            self.index_again(other)?;
                        }
                    }
                }
                self.index.add(&keys, &prefix, a, &story)?;
            }
        }
        Ok(())
    }

    /// Queues an article already in the database for indexing again (its
    /// story changed): the old entry out, the new one in.
    fn index_again(&mut self, id: &str) -> Result<(), ArchiveError> {
        let Some(row) = self.load(id)? else {
            return Ok(());
        };
        let story = story_text(&self.db, &row)?;
        let prefix = names::page_prefix(&row.paper, &row.date, &row.page);
        let keys = Keys {
            id: &row.id,
            paper: &row.paper,
            date: &row.date,
            page: &row.page,
        };
        self.index.delete_article(&row.id)?;
        self.index.add(&keys, &prefix, &row.article, &story)
    }

    /// The ids of a story's parts in reading order: back along `上接` to
    /// the first part, then forward along `下转`.
    fn story_ids(&self, row: &ArticleRow) -> Result<Vec<String>, ArchiveError> {
        let mut first = row.id.clone();
        let mut seen = std::collections::HashSet::from([first.clone()]);
        while seen.len() < MAX_STORY_PARTS {
            let Some(part) = self.load(&first)? else {
                break;
            };
            let Some(from) = part.article.continued_from.as_deref() else {
                break;
            };
            match resolve_jump(&self.db, &part, from, Jump::From)? {
                Some(prev) if seen.insert(prev.clone()) => first = prev,
                _ => break,
            }
        }
        let mut ids = vec![first.clone()];
        let mut at = first;
        while ids.len() < MAX_STORY_PARTS {
            let Some(part) = self.load(&at)? else { break };
            let Some(to) = part.article.continues_to.as_deref() else {
                break;
            };
            match resolve_jump(&self.db, &part, to, Jump::To)? {
                Some(next) if !ids.contains(&next) => {
                    ids.push(next.clone());
                    at = next;
                }
                _ => break,
            }
        }
        Ok(ids)
    }

    /// An article row by exact archive id.
    fn load(&self, id: &str) -> Result<Option<ArticleRow>, ArchiveError> {
        load_row(&self.db, id)
    }
}

#[derive(Clone, Copy)]
enum Jump {
    To,
    From,
}

/// An article row by exact archive id.
fn load_row(db: &Connection, id: &str) -> Result<Option<ArticleRow>, ArchiveError> {
    let row = db
        .prepare_cached(
            "SELECT a.id, pa.name, i.date, p.page, a.json, i.id
             FROM articles a
             JOIN pages p ON p.id = a.page_id
             JOIN issues i ON i.id = p.issue_id
             JOIN papers pa ON pa.id = i.paper_id
             WHERE a.id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
            ))
        })
        .optional()?;
    let Some((id, paper, date, page, json, issue_id)) = row else {
        return Ok(None);
    };
    let article = serde_json::from_str(&json).map_err(|source| ArchiveError::Corrupt {
        id: id.clone(),
        source,
    })?;
    Ok(Some(ArticleRow {
        id,
        paper,
        date,
        page,
        issue_id,
        article,
    }))
}

/// The article of the same issue that a jump line leads to: on the
/// page the jump names, with the opposite jump naming this article's
/// page. When several qualify, the one whose title matches; otherwise
/// none (an ambiguous jump is not guessed).
fn resolve_jump(
    db: &Connection,
    from: &ArticleRow,
    target_page: &str,
    jump: Jump,
) -> Result<Option<String>, ArchiveError> {
    let back_column = match jump {
        Jump::To => "continued_from",
        Jump::From => "continues_to",
    };
    let mut stmt = db.prepare_cached(&format!(
        "SELECT a.id, a.title, a.{back_column}, p.page
         FROM articles a JOIN pages p ON p.id = a.page_id
         WHERE p.issue_id = ?1 AND a.{back_column} IS NOT NULL
         ORDER BY a.seq"
    ))?;
    let rows = stmt.query_map([from.issue_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut candidates = Vec::new();
    for row in rows {
        let (id, title, back, page) = row?;
        if id != from.id
            && names::same_page(&page, target_page)
            && names::same_page(&back, &from.page)
        {
            candidates.push((id, title));
        }
    }
    Ok(pick_jump(candidates, &from.article.title))
}

/// The archive ids of the parts of the same story an article jumps to
/// and from (`下转`, `上接`), those in the archive.
fn story_partners(db: &Connection, row: &ArticleRow) -> Result<Vec<String>, ArchiveError> {
    let a = &row.article;
    let mut ids = Vec::new();
    if let Some(to) = a.continues_to.as_deref() {
        ids.extend(resolve_jump(db, row, to, Jump::To)?);
    }
    if let Some(from) = a.continued_from.as_deref() {
        ids.extend(resolve_jump(db, row, from, Jump::From)?);
    }
    ids.retain(|id| id != &row.id);
    ids.dedup();
    Ok(ids)
}

/// [`story_text`] of the article with this archive id.
fn story_of(db: &Connection, id: &str) -> Result<String, ArchiveError> {
    match load_row(db, id)? {
        Some(row) => story_text(db, &row),
        None => Ok(String::new()),
    }
}

/// The text of the other parts of an article's story (their headlines and
/// paragraphs), indexed with it so that a search for words spread over
/// the parts finds the story ([`index::Fields::story`]). Empty for an
/// article without jumps.
pub(crate) fn story_text(db: &Connection, row: &ArticleRow) -> Result<String, ArchiveError> {
    if !index::has_jumps(&row.article) {
        return Ok(String::new());
    }
    parts_text(db, &story_partners(db, row)?)
}

/// The headlines and paragraphs of these articles, one text per line.
fn parts_text(db: &Connection, ids: &[String]) -> Result<String, ArchiveError> {
    let mut parts = Vec::new();
    for id in ids {
        if let Some(other) = load_row(db, id)? {
            parts.push(index::headline_text(&other.article));
            parts.push(other.article.body_text());
        }
    }
    Ok(parts.join("\n"))
}

/// An article as loaded from the database.
pub(crate) struct ArticleRow {
    id: String,
    paper: String,
    date: String,
    page: String,
    issue_id: i64,
    article: Article,
}

/// The one candidate, or among several the one whose title is, contains
/// or is contained in `title` (continuations often repeat the headline or a
/// short form of it).
fn pick_jump(candidates: Vec<(String, String)>, title: &str) -> Option<String> {
    if candidates.len() <= 1 {
        return candidates.into_iter().next().map(|(id, _)| id);
    }
    let title = title.trim();
    let matching: Vec<String> = candidates
        .into_iter()
        .filter(|(_, t)| {
            let t = t.trim();
            !t.is_empty()
                && !title.is_empty()
                && (t == title || t.contains(title) || title.contains(t))
        })
        .map(|(id, _)| id)
        .collect();
    if matching.len() == 1 {
        matching.into_iter().next()
    } else {
        None
    }
}

/// Records that the document's pages come from `from` in this run, or,
/// when an earlier file of the run already gave one of them, refuses
/// the document with both files named (two pages on one key would
/// otherwise overwrite each other with nothing said).
fn claim_pages(
    run_keys: &mut HashMap<PageKey, String>,
    doc: &Document,
    from: String,
) -> Result<(), String> {
    let paper = names::paper_key(doc.paper.as_deref());
    let date = names::date_key(doc.date.as_deref());
    let keys: Vec<PageKey> = group_pages(doc)
        .into_iter()
        .map(|g| (paper.clone(), date.clone(), g.page))
        .collect();
    if let Some((key, first)) = keys.iter().find_map(|k| run_keys.get(k).map(|f| (k, f))) {
        return Err(format!(
            "not ingested: paper {:?}, date {:?}, page {:?} was already read from {first} \
             in this run (give each file its own date and page, in its name or with \
             --paper/--date)",
            key.0, key.1, key.2
        ));
    }
    for k in keys {
        run_keys.insert(k, from.clone());
    }
    Ok(())
}

/// A document's articles grouped under its pages, pages in document order.
/// Pages listed twice are merged; an article goes to the page its `page`
/// names (`02` and `2` are the same page), else, with no page of its own
/// in a one-page document, to that page, else to a page of its own.
/// An article of a document with the id and page key the archive stores
/// it under.
#[derive(Debug, Clone)]
pub struct PlacedArticle<'d> {
    /// The archive id (`paper/date/page/n`, percent-encoded).
    pub id: String,
    /// The page key ([`names::UNNUMBERED`] for an article on no page).
    pub page: String,
    pub article: &'d Article,
}

/// Each article of `doc` with the id [`Archive::ingest_document`] gives
/// it, in the document's order: exports of `parse` output name articles
/// as the archive they go into does.
pub fn placed_articles(doc: &Document) -> Vec<PlacedArticle<'_>> {
    let paper = names::paper_key(doc.paper.as_deref());
    let date = names::date_key(doc.date.as_deref());
    let order: HashMap<*const Article, usize> = doc
        .articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a as *const Article, i))
        .collect();
    let mut placed: Vec<(usize, PlacedArticle<'_>)> = Vec::with_capacity(doc.articles.len());
    for g in group_pages(doc) {
        for (i, a) in g.articles.iter().enumerate() {
            placed.push((
                order[&(*a as *const Article)],
                PlacedArticle {
                    id: names::archive_id(&paper, &date, &g.page, i + 1),
                    page: g.page.clone(),
                    article: a,
                },
            ));
        }
    }
    placed.sort_by_key(|(i, _)| *i);
    placed.into_iter().map(|(_, p)| p).collect()
}

fn group_pages(doc: &Document) -> Vec<PageGroup<'_>> {
    let mut groups: Vec<PageGroup<'_>> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for p in &doc.pages {
        let key = names::page_key(p.page.as_deref());
        let i = *by_key.entry(key.clone()).or_insert_with(|| {
            groups.push(PageGroup {
                page: key,
                furniture: Vec::new(),
                articles: Vec::new(),
            });
            groups.len() - 1
        });
        groups[i].furniture.extend(p.furniture.iter());
    }
    let only_page = (groups.len() == 1).then_some(0);
    for a in &doc.articles {
        let i = match a.page.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            Some(page) => groups.iter().position(|g| names::same_page(&g.page, page)),
            None => only_page,
        };
        let i = i.unwrap_or_else(|| {
            let key = names::page_key(a.page.as_deref());
            *by_key.entry(key.clone()).or_insert_with(|| {
                groups.push(PageGroup {
                    page: key,
                    furniture: Vec::new(),
                    articles: Vec::new(),
                });
                groups.len() - 1
            })
        });
        groups[i].articles.push(a);
    }
    groups
}
