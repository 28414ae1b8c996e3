//! `baozhi/1` documents out in the formats digital libraries take in:
//!
//! - [`tei`]: TEI P5, a `TEI` per document (a `teiCorpus` for several),
//!   the article structure as `div`, `head`, `byline`, `dateline`, `p`,
//!   `figure`; needs nothing but the document.
//! - [`mets`]: METS with an ALTO v4.2 file per page: the printed lines with
//!   their boxes in ALTO, grouped into a block per article region and per
//!   furniture item, and METS's logical structure (articles and their
//!   heading, bylines, paragraphs, captions) pointing at those blocks and
//!   lines. Needs each page's text and where each of its lines was printed
//!   (PDF, hOCR, ALTO or OCR pages), besides the document.
//!
//! And articles one by one, each with its page context ([`ArticleRow`]:
//! archive id, paper, date, page), for data tools and search engines:
//!
//! - JSON lines: [`ArticleRow::write_jsonl`], `{"id","paper","date","page","article"}`.
//! - [`parquet_file`]: a Parquet table, a row per article (the columns of
//!   the Python package's Dask example), written in row groups as it goes.
//! - [`opensearch`]: an OpenSearch/Elasticsearch bulk file and the index
//!   template whose analyzer finds any run of Chinese characters.
//!
//! The crate takes plain data: the page text, its lines' geometry, the
//! `baozhi/1` document parsed from it. Text that XML 1.0 cannot carry
//! (control characters) is left out and counted, in the file and in the
//! warnings returned.
//!
//! The schemas the output is checked against in the tests (ALTO 4.2, METS
//! 1.12.1 with XLink, TEI P5 `tei_all`) are in `schemas/`, with where they
//! come from.

pub mod alto;
mod dates;
pub mod lines;
pub mod mets;
pub mod opensearch;
pub mod parquet_file;
mod rows;
pub mod tei;
mod xml;

pub use dates::epoch_day;
pub use mets::{package, MetsPage, NoGeometry, Package};
pub use parquet_file::ParquetWriter;
pub use rows::ArticleRow;
pub use tei::{document as tei_document, Source, Stream, Tei};

/// The version written into the files as the software that made them.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A file to write: its name (no directory) and its XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub xml: String,
}
