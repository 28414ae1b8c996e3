//! Where exported articles go: the writers of `baozhi export` and
//! `baozhi archive export`, one per format, fed an article at a time from
//! an archive ([`Sink::record`]) or a document at a time from `baozhi
//! parse` output ([`Sink::document`]).
//!
//! Nothing is gathered beyond what a format needs to write its next part:
//! a row group for Parquet, a page's articles for TEI (a `TEI` per page).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use baozhi_archive::{names, ArticleRecord};
use baozhi_export::{opensearch, ArticleRow, ParquetWriter, Source, Stream};
use baozhi_model::{Document, Page};

use crate::report_warning;

/// The formats articles can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SinkFormat {
    /// A JSON object per line: `{"id","paper","date","page","article"}`.
    Jsonl,
    /// A header row, then a row per article ([`CSV_HEADER`]).
    Csv,
    /// A Parquet table, a row per article (`baozhi_export::parquet_file`).
    Parquet,
    /// TEI P5: a `TEI` per page, a `teiCorpus` of them for several.
    Tei,
    /// An OpenSearch bulk file: an action line and a document per article.
    Opensearch,
}

/// A writer of articles in one format.
pub struct Sink {
    out: Out,
    /// The file being written and the name it takes once the export
    /// finishes; removed if it never does, so a failed export leaves no
    /// file that looks whole (a Parquet file without its footer).
    file: Option<PendingFile>,
}

struct PendingFile {
    partial: PathBuf,
    done: PathBuf,
}

impl PendingFile {
    /// `FILE.partial` beside `FILE`, so the rename stays on one disk.
    fn beside(done: &Path) -> PendingFile {
        let mut name = done.file_name().unwrap_or_default().to_os_string();
        name.push(".partial");
        PendingFile {
            partial: done.with_file_name(name),
            done: done.to_path_buf(),
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        if let Some(f) = self.file.take() {
            let _ = std::fs::remove_file(&f.partial);
        }
    }
}

enum Out {
    /// The formats written an article at a time.
    Rows(Rows),
    /// TEI, written a page at a time.
    Tei(Box<TeiPages>),
    /// Finished: everything is written.
    Done,
}

enum Rows {
    Jsonl(BufWriter<Box<dyn Write>>),
    Csv(Box<csv::Writer<Box<dyn Write>>>),
    Parquet(Box<ParquetWriter<File>>),
    Opensearch {
        out: BufWriter<Box<dyn Write>>,
        index: String,
    },
}

impl Rows {
    fn write(&mut self, row: &ArticleRow<'_>) -> io::Result<()> {
        match self {
            Rows::Jsonl(out) => row.write_jsonl(out),
            Rows::Csv(w) => w.write_record(csv_row(row)).map_err(csv_error),
            Rows::Parquet(w) => w.push(row),
            Rows::Opensearch { out, index } => opensearch::write_bulk(row, index, out),
        }
    }

    fn finish(self) -> io::Result<()> {
        match self {
            Rows::Jsonl(mut out) | Rows::Opensearch { mut out, .. } => out.flush(),
            Rows::Csv(mut w) => w.flush(),
            Rows::Parquet(w) => w.finish()?.sync_all(),
        }
    }
}

impl Sink {
    /// A sink writing to `output`, or to standard output. Parquet needs a
    /// file (its footer is written last and read first). `index` names the
    /// OpenSearch index of the bulk actions.
    pub fn create(format: SinkFormat, output: Option<&Path>, index: &str) -> anyhow::Result<Sink> {
        let file = output.map(PendingFile::beside);
        let partial = file.as_ref().map(|f| f.partial.clone());
        let create = |path: &Path| {
            let at = partial.as_deref().unwrap_or(path);
            File::create(at).with_context(|| format!("cannot create {}", path.display()))
        };
        let text_out = || -> anyhow::Result<Box<dyn Write>> {
            Ok(match output {
                Some(path) => Box::new(create(path)?),
                None => Box::new(io::stdout().lock()),
            })
        };
        let out = match format {
            SinkFormat::Jsonl => Out::Rows(Rows::Jsonl(BufWriter::new(text_out()?))),
            SinkFormat::Csv => {
                let mut w = csv::Writer::from_writer(text_out()?);
                w.write_record(CSV_HEADER)
                    .map_err(csv_error)
                    .context("cannot write the output")?;
                Out::Rows(Rows::Csv(Box::new(w)))
            }
            SinkFormat::Parquet => {
                let path =
                    output.context("--format parquet writes a file: name it with -o FILE")?;
                let writer = ParquetWriter::new(create(path)?)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                Out::Rows(Rows::Parquet(Box::new(writer)))
            }
            SinkFormat::Tei => Out::Tei(Box::new(TeiPages {
                stream: Stream::new(BufWriter::new(text_out()?)),
                page: None,
            })),
            SinkFormat::Opensearch => Out::Rows(Rows::Opensearch {
                out: BufWriter::new(text_out()?),
                index: index.to_string(),
            }),
        };
        Ok(Sink { out, file })
    }

    /// Writes an article of an archive (`archive` names it in TEI headers).
    pub fn record(&mut self, r: &ArticleRecord, archive: &str) -> io::Result<()> {
        match &mut self.out {
            Out::Tei(tei) => tei.record(r, archive),
            Out::Done => Err(finished()),
            Out::Rows(rows) => rows.write(&ArticleRow {
                id: &r.id,
                paper: Some(&r.paper),
                date: Some(&r.date),
                page: Some(&r.page),
                article: &r.article,
            }),
        }
    }

    /// Writes the articles of a `baozhi/1` document read from `file`.
    pub fn document(&mut self, doc: &Document, file: &str) -> io::Result<()> {
        let rows = match &mut self.out {
            Out::Tei(tei) => return tei.document(doc, file),
            Out::Rows(rows) => rows,
            Out::Done => return Err(finished()),
        };
        let (paper, date) = (doc.paper.as_deref(), doc.date.as_deref());
        for placed in baozhi_archive::placed_articles(doc) {
            rows.write(&ArticleRow {
                id: &placed.id,
                paper,
                date,
                page: (placed.page != names::UNNUMBERED).then_some(placed.page.as_str()),
                article: placed.article,
            })?;
        }
        Ok(())
    }

    /// Writes what is held back and flushes: the last TEI page and the
    /// corpus end, the last Parquet row group and the footer.
    pub fn finish(mut self) -> io::Result<()> {
        let out = std::mem::replace(&mut self.out, Out::Done);
        match out {
            Out::Rows(rows) => rows.finish()?,
            Out::Tei(tei) => tei.finish()?,
            Out::Done => {}
        }
        if let Some(f) = self.file.take() {
            if let Err(e) = std::fs::rename(&f.partial, &f.done) {
                let _ = std::fs::remove_file(&f.partial);
                return Err(e);
            }
        }
        Ok(())
    }
}

/// Writing to a sink that has finished (a bug in the caller, not a user's
/// mistake; reported, never a panic).
fn finished() -> io::Error {
    io::Error::other("the export has already finished")
}

/// TEI of archive articles: the articles of one page gathered into a
/// `baozhi/1` document (as ingested, less the page's furniture, which the
/// archive keeps apart) and written as that page's `TEI`.
struct TeiPages {
    stream: Stream<BufWriter<Box<dyn Write>>>,
    /// The page being gathered: its archive keys, the document, and the
    /// archive's name for the header.
    page: Option<((String, String, String), Document, String)>,
}

impl TeiPages {
    fn record(&mut self, r: &ArticleRecord, archive: &str) -> io::Result<()> {
        let key = (r.paper.clone(), r.date.clone(), r.page.clone());
        if self.page.as_ref().is_some_and(|(k, _, _)| *k != key) {
            self.write_page()?;
        }
        let (_, doc, _) = self.page.get_or_insert_with(|| {
            // The archive's stand-ins for what a document lacked are left
            // out again: no paper, no date, no page number.
            let known = |v: &str, stand_in: &str| (v != stand_in).then(|| v.to_string());
            let mut doc = Document::new(
                known(&r.paper, names::UNKNOWN_PAPER),
                known(&r.date, names::UNDATED),
            );
            doc.pages.push(Page {
                pictures: Vec::new(),
                page: known(&r.page, names::UNNUMBERED),
                furniture: Vec::new(),
                size: None,
                source: None,
            });
            (key, doc, archive.to_string())
        });
        doc.articles.push(r.article.clone());
        Ok(())
    }

    fn write_page(&mut self) -> io::Result<()> {
        if let Some((_, doc, archive)) = self.page.take() {
            self.document(&doc, &archive)?;
        }
        Ok(())
    }

    fn document(&mut self, doc: &Document, file: &str) -> io::Result<()> {
        let source = Source {
            file,
            page_in_file: None,
        };
        for w in self.stream.push(doc, source)? {
            report_warning(file, &w);
        }
        Ok(())
    }

    fn finish(mut self) -> io::Result<()> {
        self.write_page()?;
        self.stream.finish().map(|_| ())
    }
}

/// The columns of a CSV export.
pub const CSV_HEADER: [&str; 14] = [
    "id",
    "paper",
    "date",
    "page",
    "column",
    "kicker",
    "title",
    "subtitle",
    "bylines",
    "dateline",
    "text",
    "captions",
    "continues_to",
    "continued_from",
];

/// A CSV row: bylines as `role：name、name` joined by `；`, the text as
/// paragraphs joined by line breaks, captions (with their credits) joined
/// by line breaks.
fn csv_row(r: &ArticleRow<'_>) -> [String; 14] {
    let a = r.article;
    let opt = |s: Option<&str>| s.unwrap_or_default().to_string();
    let bylines = a
        .bylines
        .iter()
        .map(|b| {
            let names = b.names.join("、");
            match &b.role {
                Some(role) => format!("{role}：{names}"),
                None => names,
            }
        })
        .collect::<Vec<_>>()
        .join("；");
    let captions = a
        .captions
        .iter()
        .map(|c| match &c.credit {
            Some(credit) => format!("{} {credit}", c.text),
            None => c.text.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    [
        r.id.to_string(),
        opt(r.paper),
        opt(r.date),
        opt(r.page),
        opt(a.column.as_deref()),
        opt(a.kicker.as_deref()),
        a.title.clone(),
        opt(a.subtitle.as_deref()),
        bylines,
        opt(a.dateline.as_deref()),
        a.body_text(),
        captions,
        opt(a.continues_to.as_deref()),
        opt(a.continued_from.as_deref()),
    ]
}

/// A CSV error as an I/O error (the csv writer only fails writing).
fn csv_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => io::Error::other(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_appears_only_when_the_export_finishes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("articles.parquet");
        let partial = dir.path().join("articles.parquet.partial");
        let sink = Sink::create(SinkFormat::Parquet, Some(&path), "baozhi").unwrap();
        assert!(partial.exists());
        // an export that fails drops its sink unfinished: no file is left
        drop(sink);
        assert!(!path.exists() && !partial.exists());
        let sink = Sink::create(SinkFormat::Jsonl, Some(&path), "baozhi").unwrap();
        sink.finish().unwrap();
        assert!(path.exists() && !partial.exists());
    }
}
