//! `baozhi archive stats|list|delete|reindex|export`: looking after an
//! archive and getting its articles out (see `baozhi_archive::manage`).
//!
//! Exports stream: an article is read, written and dropped before the next,
//! so exporting an archive of any size takes the memory of one article
//! (plus the matching ids when a search selects them).

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::{bail, Context};
use baozhi_archive::{ArticleRecord, SearchQuery, Selection};
use clap::{Args, Subcommand, ValueEnum};

use crate::archive_cmd::{open_existing, FilterArgs};
use crate::render::terminal_safe;

/// Arguments of `baozhi archive`.
#[derive(Debug, Args)]
pub struct ArchiveArgs {
    #[command(subcommand)]
    command: ArchiveCommand,
}

#[derive(Debug, Subcommand)]
enum ArchiveCommand {
    /// What the archive holds: papers, issues, pages, articles, dates
    /// covered and disk use.
    Stats(StatsArgs),
    /// List articles: id, date, page and title, a line each.
    List(ListArgs),
    /// Delete pages with their articles (by paper, dates, page).
    Delete(DeleteArgs),
    /// Rebuild the search index from the records (after a crash, a
    /// damaged index or an upgrade; opening the archive does this by
    /// itself when it sees the need).
    Reindex(DataArg),
    /// Export articles (all, selected, or those a search finds) as JSONL or
    /// CSV, with paging.
    Export(ExportArgs),
}

#[derive(Debug, Args)]
struct DataArg {
    /// Archive directory.
    #[arg(long, value_name = "DIR", default_value = "baozhi-data")]
    data: PathBuf,
}

/// Which part of the archive: every filter given must hold.
#[derive(Debug, Args)]
struct SelectionArgs {
    #[command(flatten)]
    filter: FilterArgs,

    /// Only this page (as printed: 01, A3; 2 and 02 are one page).
    #[arg(long, value_name = "PAGE")]
    page: Option<String>,
}

impl SelectionArgs {
    fn selection(&self) -> Selection {
        Selection {
            paper: self.filter.paper.clone(),
            from: self.filter.from.clone(),
            to: self.filter.to.clone(),
            page: self.page.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum StatsFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
struct StatsArgs {
    #[command(flatten)]
    data: DataArg,

    /// Output format.
    #[arg(long, value_enum, default_value_t = StatsFormat::Text)]
    format: StatsFormat,
}

#[derive(Debug, Args)]
struct ListArgs {
    #[command(flatten)]
    data: DataArg,

    #[command(flatten)]
    select: SelectionArgs,

    /// Skip this many articles first.
    #[arg(long, value_name = "N", default_value_t = 0)]
    offset: usize,

    /// List at most this many articles (all when not given).
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
}

#[derive(Debug, Args)]
struct DeleteArgs {
    #[command(flatten)]
    data: DataArg,

    #[command(flatten)]
    select: SelectionArgs,

    /// Delete without asking; without it, only say what would be deleted.
    #[arg(long)]
    yes: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExportFormat {
    /// One JSON object per line: `{"id","paper","date","page","article"}`,
    /// the article as baozhi/1 holds it.
    Jsonl,
    /// A header row, then a row per article: id, paper, date, page,
    /// column, kicker, title, subtitle, bylines, dateline, text, captions,
    /// continues_to, continued_from (RFC 4180 quoting, UTF-8).
    Csv,
}

#[derive(Debug, Args)]
struct ExportArgs {
    #[command(flatten)]
    data: DataArg,

    #[command(flatten)]
    select: SelectionArgs,

    /// Only the articles this search finds (the `baozhi search` syntax);
    /// they come oldest issue first, in page order.
    #[arg(long, value_name = "QUERY")]
    query: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    format: ExportFormat,

    /// Skip this many articles first.
    #[arg(long, value_name = "N", default_value_t = 0)]
    offset: usize,

    /// Export at most this many articles (all when not given).
    #[arg(long, value_name = "N")]
    limit: Option<usize>,

    /// Write here instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Runs `baozhi archive …`; returns the exit code.
pub fn run_archive(args: &ArchiveArgs) -> anyhow::Result<i32> {
    match &args.command {
        ArchiveCommand::Stats(a) => stats(a),
        ArchiveCommand::List(a) => list(a),
        ArchiveCommand::Delete(a) => delete(a),
        ArchiveCommand::Reindex(a) => reindex(a),
        ArchiveCommand::Export(a) => export(a),
    }
}

fn stats(args: &StatsArgs) -> anyhow::Result<i32> {
    let archive = open_existing(&args.data.data)?;
    let totals = archive.stats()?;
    let papers = archive.paper_stats()?;
    let disk = archive.disk_use();
    let mut out = BufWriter::new(io::stdout().lock());
    let written = match args.format {
        StatsFormat::Json => {
            let json = serde_json::json!({
                "papers": totals.papers,
                "issues": totals.issues,
                "pages": totals.pages,
                "articles": totals.articles,
                "database_bytes": disk.database,
                "index_bytes": disk.index,
                "by_paper": papers,
            });
            serde_json::to_writer_pretty(&mut out, &json)
                .map_err(io::Error::from)
                .and_then(|()| writeln!(out))
        }
        StatsFormat::Text => (|| {
            writeln!(
                out,
                "{} papers, {} issues, {} pages, {} articles",
                totals.papers, totals.issues, totals.pages, totals.articles
            )?;
            writeln!(
                out,
                "disk: database {}, index {}",
                human_bytes(disk.database),
                human_bytes(disk.index)
            )?;
            for p in &papers {
                let dates = match (&p.first_date, &p.last_date) {
                    (Some(a), Some(b)) if a == b => a.clone(),
                    (Some(a), Some(b)) => format!("{a} to {b}"),
                    _ => "no dated issues".into(),
                };
                let undated = match p.undated_issues {
                    0 => String::new(),
                    n => format!(", {n} undated"),
                };
                writeln!(
                    out,
                    "{}: {} issues ({dates}{undated}), {} pages, {} articles",
                    terminal_safe(&p.paper),
                    p.issues,
                    p.pages,
                    p.articles
                )?;
            }
            Ok(())
        })(),
    };
    finish_output(written.and_then(|()| out.flush()))?;
    Ok(0)
}

fn list(args: &ListArgs) -> anyhow::Result<i32> {
    let archive = open_existing(&args.data.data)?;
    let mut out = BufWriter::new(io::stdout().lock());
    let result = archive.for_each_article(
        &args.select.selection(),
        args.offset,
        args.limit,
        &mut |r: ArticleRecord| -> Result<(), Failure> {
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}",
                r.id,
                terminal_safe(&r.paper),
                r.date,
                terminal_safe(&r.page),
                terminal_safe(&r.article.title)
            )
            .map_err(Failure::Write)
        },
    );
    let listed = finish_walk(result.and_then(|n| out.flush().map(|()| n).map_err(Failure::Write)))?;
    Ok(if listed > 0 { 0 } else { 1 })
}

fn delete(args: &DeleteArgs) -> anyhow::Result<i32> {
    let selection = args.select.selection();
    if selection.is_everything() {
        bail!("say what to delete: --paper, --from/--to or --page (to delete everything, remove the archive directory)");
    }
    let mut archive = open_existing(&args.data.data)?;
    if !args.yes {
        let mut pages = std::collections::BTreeSet::new();
        let articles =
            archive.for_each_article(&selection, 0, None, &mut |r: ArticleRecord| -> Result<
                (),
                anyhow::Error,
            > {
                pages.insert((r.paper, r.date, r.page));
                Ok(())
            })?;
        eprintln!(
            "would delete {articles} articles on {} pages with articles; run again with --yes to delete",
            pages.len()
        );
        return Ok(1);
    }
    let deleted = archive.delete(&selection)?;
    archive.close()?;
    eprintln!(
        "deleted {} pages, {} articles, {} issues, {} papers",
        deleted.pages, deleted.articles, deleted.issues, deleted.papers
    );
    Ok(if deleted.pages > 0 { 0 } else { 1 })
}

fn reindex(args: &DataArg) -> anyhow::Result<i32> {
    let mut archive = open_existing(&args.data)?;
    let started = std::time::Instant::now();
    let n = archive.rebuild_index()?;
    archive.close()?;
    eprintln!(
        "indexed {n} articles in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(0)
}

fn export(args: &ExportArgs) -> anyhow::Result<i32> {
    let archive = open_existing(&args.data.data)?;
    let sink: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => Box::new(io::stdout().lock()),
    };
    enum Sink {
        Csv(Box<csv::Writer<Box<dyn Write>>>),
        Jsonl(BufWriter<Box<dyn Write>>),
    }
    let mut sink = match args.format {
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(sink);
            w.write_record(CSV_HEADER)
                .context("cannot write the output")?;
            Sink::Csv(Box::new(w))
        }
        ExportFormat::Jsonl => Sink::Jsonl(BufWriter::new(sink)),
    };
    let mut write = |r: ArticleRecord| -> Result<(), Failure> {
        match &mut sink {
            Sink::Csv(w) => w.write_record(csv_row(&r)).map_err(csv_failure),
            Sink::Jsonl(out) => serde_json::to_writer(&mut *out, &r)
                .map_err(io::Error::from)
                .and_then(|()| writeln!(out))
                .map_err(Failure::Write),
        }
    };
    if args.query.is_some() && args.select.page.is_some() {
        bail!("--page does not combine with --query; put page:NN in the query");
    }
    let result = match &args.query {
        Some(text) => {
            let query = SearchQuery {
                text: text.clone(),
                paper: args.select.filter.paper.clone(),
                from: args.select.filter.from.clone(),
                to: args.select.filter.to.clone(),
                ..SearchQuery::default()
            };
            archive.for_each_match(&query, args.offset, args.limit, &mut write)
        }
        None => archive.for_each_article(
            &args.select.selection(),
            args.offset,
            args.limit,
            &mut write,
        ),
    };
    let flushed = result.and_then(|n| {
        match &mut sink {
            Sink::Csv(w) => w.flush(),
            Sink::Jsonl(out) => out.flush(),
        }
        .map(|()| n)
        .map_err(Failure::Write)
    });
    finish_walk(flushed)?;
    Ok(0)
}

/// The columns of a CSV export.
const CSV_HEADER: [&str; 14] = [
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
fn csv_row(r: &ArticleRecord) -> [String; 14] {
    let a = &r.article;
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
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
        r.id.clone(),
        r.paper.clone(),
        r.date.clone(),
        r.page.clone(),
        opt(&a.column),
        opt(&a.kicker),
        a.title.clone(),
        opt(&a.subtitle),
        bylines,
        opt(&a.dateline),
        a.body_text(),
        captions,
        opt(&a.continues_to),
        opt(&a.continued_from),
    ]
}

/// A CSV error as a write failure (the csv writer only fails writing).
fn csv_failure(e: csv::Error) -> Failure {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Failure::Write(io),
        other => Failure::Write(io::Error::other(format!("{other:?}"))),
    }
}

/// Why a walk over the archive stopped.
pub enum Failure {
    Archive(baozhi_archive::ArchiveError),
    Write(io::Error),
}

impl From<baozhi_archive::ArchiveError> for Failure {
    fn from(e: baozhi_archive::ArchiveError) -> Self {
        Failure::Archive(e)
    }
}

/// The walk's count, or its error as the CLI reports it; a reader that
/// went away (`| head`) is no error.
pub fn finish_walk(r: Result<usize, Failure>) -> anyhow::Result<usize> {
    match r {
        Ok(n) => Ok(n),
        Err(Failure::Archive(e)) => Err(e.into()),
        Err(Failure::Write(e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(0),
        Err(Failure::Write(e)) => Err(e).context("cannot write the output"),
    }
}

fn finish_output(r: io::Result<()>) -> anyhow::Result<()> {
    match r {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(e).context("cannot write the output")
        }
        _ => Ok(()),
    }
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_du() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(5 * 1024 * 1024 + 1), "5.0 MiB");
    }
}
