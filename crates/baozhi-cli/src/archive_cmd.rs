//! `baozhi ingest` and `baozhi search`: building an archive of pages and
//! searching it (see the `baozhi-archive` crate).
//!
//! Wiring, in `main.rs`: `mod archive_cmd;`, the subcommands
//! `Ingest(archive_cmd::IngestArgs)` and `Search(archive_cmd::SearchArgs)`,
//! and `std::process::ExitCode::from(code as u8)` of
//! `archive_cmd::run_ingest(&args)` / `run_search(&args)`, printing an
//! `Err` as `baozhi: {e:#}` with exit code 2.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use baozhi_archive::{
    Archive, IngestOptions, IngestSummary, Progress, SearchQuery, SearchResults, Skipped,
};
use baozhi_ingest::{EncodingChoice, PageFile, ReadOptions};
use baozhi_model::Document;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use crate::render::terminal_safe;

/// Arguments of `baozhi ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Archive directory (created when missing).
    #[arg(long, value_name = "DIR", default_value = "baozhi-data")]
    data: PathBuf,

    /// Files or directories (searched recursively): *.txt page text, *.pdf
    /// pages, *.hocr and ALTO *.xml OCR pages, *.json baozhi/1 documents,
    /// *.jsonl one document per line (and images, with --ocr). A page
    /// already in the archive (same paper, date and page) is replaced.
    /// `-` reads standard input (alone): a page of text, a PDF or OCR
    /// file, or baozhi/1 JSON documents (one, or one per line); its date
    /// and page come from --date and --page.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,

    /// Name of the paper of the .txt pages (and of documents naming none).
    #[arg(long, value_name = "NAME")]
    paper: Option<String>,

    /// Issue date of the .txt pages (YYYY-MM-DD); otherwise taken from a
    /// YYYY-MM-DD in each file name.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = baozhi_archive::names::parse_date)]
    date: Option<String>,

    /// Page number as printed (01, A3) of the page read from standard
    /// input (`-`); files take theirs from their names.
    #[arg(long, value_name = "PAGE")]
    page: Option<String>,

    /// Read scans by OCR: image files (.png, .tif, .jpg) and PDF pages
    /// without a text layer. Runs Tesseract (Debian: tesseract-ocr,
    /// tesseract-ocr-chi-sim; poppler-utils for PDFs).
    #[arg(long)]
    ocr: bool,

    /// Keep no pictures of pages. By default each PDF page is rendered
    /// (by poppler's pdftoppm; Debian: poppler-utils) and each scan read
    /// with --ocr shrunk, and kept: the web reader shows the page with its
    /// articles drawn over it. About 160 KB and 50 ms a broadsheet page.
    #[arg(long)]
    no_page_pictures: bool,

    /// Proofread the pages parsed here (text, PDF, OCR): the findings are
    /// stored beside the printed text, and the text as the confident ones
    /// (confidence 0.8 or more) correct it is searchable too: a search for
    /// 淅川 finds the article printed with 浙川. Results show the print.
    /// (baozhi/1 JSON keeps the findings `parse --proof` gave it.)
    #[arg(long)]
    proof: bool,

    /// The Tesseract language(s) for --ocr.
    #[arg(long, value_name = "LANG", default_value = baozhi_ocr::Tesseract::DEFAULT_LANG, requires = "ocr")]
    ocr_lang: String,
}

/// Ingests the paths into the archive. Files that cannot be ingested are
/// reported on stderr and skipped. Ends with a one-line summary on stderr.
/// Returns the exit code: 0, or 1 when some file or line was skipped.
pub fn run_ingest(args: &IngestArgs) -> anyhow::Result<i32> {
    let started = Instant::now();
    let stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    if stdin && args.paths.len() > 1 {
        bail!("`-` (standard input) cannot be combined with other paths: ingest it on its own");
    }
    if args.page.is_some() && !stdin {
        bail!("--page is for standard input (`-`); files take their page from their names");
    }
    let mut archive = Archive::open(&args.data)
        .with_context(|| format!("cannot open the archive in {}", args.data.display()))?;
    let ocr = if args.ocr {
        Some(baozhi_ocr::Tesseract::find(&args.ocr_lang)?)
    } else {
        None
    };
    let opts = IngestOptions {
        paper: args.paper.clone(),
        date: args.date.clone(),
        ocr,
        proof: args.proof,
        engine: baozhi_pipeline::Engine::Auto,
        page_pictures: !args.no_page_pictures,
    };
    let bar = if stdin { None } else { progress_bar() };
    let mut on_progress = |p: Progress| {
        if let Some(bar) = &bar {
            bar.set_length(p.files_total as u64);
            bar.set_position(p.files_done as u64);
            bar.set_message(format!(
                "{} pages, {} articles · {}",
                p.pages,
                p.articles,
                terminal_safe(&short_name(&p.current))
            ));
        }
    };
    let summary = if stdin {
        ingest_stdin(&mut archive, args, &opts)?
    } else {
        // one run: a page key given by two files is refused for the second
        let roots: Vec<&std::path::Path> = args.paths.iter().map(|p| p.as_path()).collect();
        archive
            .ingest_paths_with(&roots, &opts, &mut on_progress)
            .context("ingesting")?
    };
    let report = || {
        let mut err = io::stderr().lock();
        for s in &summary.skipped {
            let _ = writeln!(err, "baozhi: {}", terminal_safe(&s.to_string()));
        }
        for w in &summary.warnings {
            let _ = writeln!(err, "baozhi: warning: {}", terminal_safe(w));
        }
    };
    match &bar {
        Some(bar) => bar.suspend(report),
        None => report(),
    }
    let (pages, replaced, articles, skipped) = (
        summary.pages,
        summary.replaced_pages,
        summary.articles,
        summary.skipped.len(),
    );
    if let Some(bar) = &bar {
        bar.set_message("merging the index…");
    }
    archive.close().context("finishing the archive")?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    eprintln!(
        "ingested {pages} pages ({replaced} replaced pages already in the archive), \
         {articles} articles in {:.1} s ({skipped} skipped)",
        started.elapsed().as_secs_f64()
    );
    Ok(if skipped > 0 { 1 } else { 0 })
}

/// The name standard input goes by in messages.
const STDIN_NAME: &str = "<stdin>";

/// Ingests what standard input holds, as `parse -` reads it: a page of
/// text (parsed by the rules), a PDF or an OCR file (each page by the
/// learned engine), or, when the text starts with `{`, `baozhi/1` JSON
/// documents (one, or one per line). Paper and date come from the
/// options, the page from `--page` (or its place in a PDF). Pages that
/// cannot be read are skipped; an error of the archive ends the ingest.
fn ingest_stdin(
    archive: &mut Archive,
    args: &IngestArgs,
    opts: &IngestOptions,
) -> anyhow::Result<IngestSummary> {
    let mut summary = IngestSummary {
        files: 1,
        ..IngestSummary::default()
    };
    let skip = |summary: &mut IngestSummary, error: String| {
        summary.skipped.push(Skipped {
            path: PathBuf::from(STDIN_NAME),
            line: None,
            error,
        })
    };
    let read = ReadOptions {
        encoding: EncodingChoice::Auto,
        ocr: opts.ocr.clone(),
    };
    let file = match baozhi_ingest::read_file(None, &read) {
        Ok(f) => f,
        Err(e) => {
            skip(&mut summary, e.to_string());
            return Ok(summary);
        }
    };
    let mut docs: Vec<Result<Document, String>> = Vec::new();
    match &file {
        PageFile::Text(decoded) if decoded.text.trim_start().starts_with('{') => {
            for doc in serde_json::Deserializer::from_str(&decoded.text).into_iter::<Document>() {
                match doc {
                    Ok(doc) if doc.schema != baozhi_model::SCHEMA => {
                        docs.push(Err(format!(
                            "schema is {:?}, expected {:?}",
                            doc.schema,
                            baozhi_model::SCHEMA
                        )));
                    }
                    Ok(mut doc) => {
                        doc.paper = doc.paper.or_else(|| opts.paper.clone());
                        doc.date = doc.date.or_else(|| opts.date.clone());
                        docs.push(Ok(doc));
                    }
                    Err(e) => {
                        // The rest of the stream cannot be found again.
                        docs.push(Err(format!("not a baozhi/1 document: {e}")));
                        break;
                    }
                }
            }
        }
        _ => {
            let mut pipeline = opts.pipeline();
            pipeline.page = args.page.clone();
            for i in 0..file.page_count() {
                docs.push(
                    file.page(i)
                        .map_err(|e| e.to_string())
                        .map(|page| opts.parse(&pipeline, None, &page)),
                );
            }
        }
    }
    let mut batch = 0;
    for doc in docs {
        let doc = match doc {
            Ok(doc) => doc,
            Err(e) => {
                skip(&mut summary, e);
                continue;
            }
        };
        let done = match archive.ingest_document(&doc) {
            Ok(done) => done,
            // This document is at fault (a date that is not one), not the
            // archive: skip it as a file would be.
            Err(baozhi_archive::ArchiveError::Invalid(e)) => {
                skip(&mut summary, e);
                continue;
            }
            Err(e) => return Err(e).with_context(|| format!("ingesting {STDIN_NAME}")),
        };
        summary.documents += done.documents;
        summary.pages += done.pages;
        summary.replaced_pages += done.replaced_pages;
        summary.articles += done.articles;
        batch += done.pages;
        if batch >= baozhi_archive::BATCH_PAGES {
            archive.commit().context("committing")?;
            batch = 0;
        }
    }
    Ok(summary)
}

/// A progress bar on stderr when it is a terminal.
fn progress_bar() -> Option<ProgressBar> {
    if !io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(0);
    let style = ProgressStyle::with_template("{bar:30} {pos}/{len} files {elapsed} {wide_msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.enable_steady_tick(Duration::from_millis(200));
    Some(bar)
}

fn short_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchFormat {
    /// Ranked results for reading.
    Text,
    /// `{"hits": [{"id","title","paper","date","page","snippet","score"}], "total": N}`;
    /// snippets are HTML (`<b>` around the matched words, text escaped).
    Json,
}

/// The paper and dates a search or a selection keeps to (shared by
/// `search` and `archive`).
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only this paper (its exact name).
    #[arg(long, value_name = "NAME")]
    pub paper: Option<String>,

    /// Only issues on or after this date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = baozhi_archive::names::parse_date)]
    pub from: Option<String>,

    /// Only issues on or before this date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = baozhi_archive::names::parse_date)]
    pub to: Option<String>,
}

/// Arguments of `baozhi search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Archive directory.
    #[arg(long, value_name = "DIR", default_value = "baozhi-data")]
    data: PathBuf,

    #[command(flatten)]
    filter: FilterArgs,

    /// How many results to show (1 to 100); with --kwic, how many
    /// articles' lines (all when not given).
    #[arg(long, value_name = "N")]
    limit: Option<usize>,

    /// Search whole stories: an article continued on another page (下转,
    /// 上接) also matches the words of its other parts, so words spread
    /// over the parts find the story.
    #[arg(long)]
    stories: bool,

    /// Skip this many results first (the next page of results).
    #[arg(long, value_name = "N", default_value_t = 0)]
    offset: usize,

    /// Keyword in context: instead of ranked results, write CSV with a
    /// line for every place a word or phrase of the query occurs in the
    /// matching articles (headline and text): id, paper, date, page,
    /// field, left context, match, right context; CHARS characters of
    /// context either side (default 20). Articles oldest first.
    #[arg(
        long,
        value_name = "CHARS",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "20"
    )]
    kwic: Option<usize>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = SearchFormat::Text)]
    format: SearchFormat,

    /// What to look for; several arguments are joined with spaces. All
    /// words must occur; "quotes" for a phrase, OR, NOT (or -word), and
    /// title:… byline:… to search one field.
    #[arg(value_name = "QUERY", required = true)]
    query: Vec<String>,
}

/// Opens an existing archive; a directory without one is an error here
/// (only `ingest` creates archives).
pub fn open_existing(dir: &std::path::Path) -> anyhow::Result<Archive> {
    if !dir.join("archive.sqlite").exists() {
        bail!(
            "no archive in {} (build one with `baozhi ingest --data {} PAGES…`)",
            dir.display(),
            dir.display()
        );
    }
    Archive::open(dir).with_context(|| format!("cannot open the archive in {}", dir.display()))
}

/// Searches the archive and prints the results on stdout. Returns the exit
/// code: 0 when something matched, 1 when nothing did (as grep does).
pub fn run_search(args: &SearchArgs) -> anyhow::Result<i32> {
    let archive = open_existing(&args.data)?;
    let query = SearchQuery {
        text: args.query.join(" "),
        paper: args.filter.paper.clone(),
        from: args.filter.from.clone(),
        to: args.filter.to.clone(),
        limit: args.limit.unwrap_or(DEFAULT_HITS),
        offset: args.offset,
        stories: args.stories,
    };
    if let Some(context) = args.kwic {
        return write_kwic(&archive, &query, context, args);
    }
    let results = archive.search(&query)?;
    let stdout = io::stdout();
    let bold = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut out = BufWriter::new(stdout.lock());
    let written = match args.format {
        SearchFormat::Json => serde_json::to_writer(&mut out, &results)
            .map_err(io::Error::from)
            .and_then(|()| writeln!(out)),
        SearchFormat::Text => write_text(&results, bold, &mut out),
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => {}
        // The reader went away (`| head`): that is fine.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(e).context("cannot write the results"),
    }
    Ok(if results.total > 0 { 0 } else { 1 })
}

/// Hits shown when --limit is not given.
const DEFAULT_HITS: usize = 10;

/// The columns of `search --kwic`.
const KWIC_HEADER: [&str; 8] = [
    "id", "paper", "date", "page", "field", "left", "match", "right",
];

/// `search --kwic`: CSV of every place the query matched, with context.
fn write_kwic(
    archive: &Archive,
    query: &SearchQuery,
    context: usize,
    args: &SearchArgs,
) -> anyhow::Result<i32> {
    let (lines, total) = archive.kwic(query, context, args.offset, args.limit)?;
    let mut w = csv::Writer::from_writer(BufWriter::new(io::stdout().lock()));
    let written = w.write_record(KWIC_HEADER).and_then(|()| {
        for l in &lines {
            w.write_record([
                l.id.as_str(),
                &l.paper,
                &l.date,
                &l.page,
                l.field,
                &l.left,
                &l.matched,
                &l.right,
            ])?;
        }
        w.flush().map_err(csv::Error::from)
    });
    match written {
        Ok(()) => {}
        Err(e) => match e.kind() {
            csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe => {}
            _ => return Err(e).context("cannot write the lines"),
        },
    }
    Ok(if total > 0 { 0 } else { 1 })
}

/// Ranked results for reading: title; paper, date, page and id; snippet.
/// What comes from the archive has its control characters made visible
/// ([`terminal_safe`]): a page cannot drive the terminal.
fn write_text(results: &SearchResults, bold: bool, out: &mut impl Write) -> io::Result<()> {
    let t = |s: &str| terminal_safe(s).into_owned();
    for (i, h) in results.hits.iter().enumerate() {
        writeln!(out, "{}. {}", i + 1, t(&h.title))?;
        writeln!(
            out,
            "   {} {} 第{}版  {}",
            t(&h.paper),
            t(&h.date),
            t(&h.page),
            t(&h.id)
        )?;
        if !h.snippet.is_empty() {
            writeln!(out, "   {}", terminal_snippet(&h.snippet, bold))?;
        }
        writeln!(out)?;
    }
    match results.total {
        0 => writeln!(out, "no articles match"),
        1 => writeln!(out, "1 article matches"),
        n if n > results.hits.len() => writeln!(
            out,
            "{n} articles match, {} shown (--limit for more)",
            results.hits.len()
        ),
        n => writeln!(out, "{n} articles match"),
    }
}

/// A snippet's HTML for a terminal: control characters of the text made
/// visible, then `<b>` as bold (or 【】 when not on a terminal), entities
/// decoded.
fn terminal_snippet(html: &str, bold: bool) -> String {
    let (on, off) = if bold {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("【", "】")
    };
    terminal_safe(html)
        .replace("<b>", on)
        .replace("</b>", off)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_for_terminals() {
        let html = "推进<b>南水北调</b>&lt;工程&gt; &amp;amp;";
        assert_eq!(
            terminal_snippet(html, false),
            "推进【南水北调】<工程> &amp;"
        );
        assert_eq!(
            terminal_snippet(html, true),
            "推进\x1b[1m南水北调\x1b[0m<工程> &amp;"
        );
        // The page's own escapes are shown, only the bold is obeyed.
        assert_eq!(
            terminal_snippet("<b>清屏</b>\x1b[2J\x07", true),
            "\x1b[1m清屏\x1b[0m␛[2J␇"
        );
    }
}
