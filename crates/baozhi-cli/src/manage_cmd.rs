//! `baozhi archive stats|list|delete|reindex|export`: looking after an
//! archive and getting its articles out (see `baozhi_archive::manage`).
//!
//! Exports stream: an article is read, written and dropped before the next,
//! so exporting an archive of any size takes the memory of one article
//! (plus the matching ids when a search selects them).
//!
//! The export's selection flags ([`PickArgs`]) and writers
//! ([`crate::article_sink`]) are shared with `baozhi export`, which adds
//! Parquet, TEI and OpenSearch to the JSON lines and CSV here.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use baozhi_archive::{Archive, ArticleRecord, SearchQuery, Selection};
use clap::{Args, Subcommand, ValueEnum};

use crate::archive_cmd::{open_existing, FilterArgs};
use crate::article_sink::{Sink, SinkFormat};
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
pub struct DataArg {
    /// Archive directory.
    #[arg(long, value_name = "DIR", default_value = "baozhi-data")]
    pub data: PathBuf,
}

/// Which part of the archive: every filter given must hold.
#[derive(Debug, Args)]
pub struct SelectionArgs {
    #[command(flatten)]
    pub filter: FilterArgs,

    /// Only this page (as printed: 01, A3; 2 and 02 are one page).
    #[arg(long, value_name = "PAGE")]
    pub page: Option<String>,
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

/// Which articles an export takes from an archive: a selection or a
/// search, and a page of the result (shared by `archive export` and
/// `baozhi export`).
#[derive(Debug, Args)]
pub struct PickArgs {
    #[command(flatten)]
    pub select: SelectionArgs,

    /// Only the articles this search finds (the `baozhi search` syntax);
    /// they come oldest issue first, in page order.
    #[arg(long, value_name = "QUERY")]
    pub query: Option<String>,

    /// Skip this many articles first.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: usize,

    /// Export at most this many articles (all when not given).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

impl PickArgs {
    /// Refuses what does not combine.
    fn check(&self) -> anyhow::Result<()> {
        if self.query.is_some() && self.select.page.is_some() {
            bail!("--page does not combine with --query; put page:NN in the query");
        }
        Ok(())
    }

    /// Whether any of these flags was given (they are for an archive).
    pub fn any_given(&self) -> bool {
        !self.select.selection().is_everything()
            || self.query.is_some()
            || self.offset > 0
            || self.limit.is_some()
    }

    /// Hands the picked articles to `each`, in print order (a search's:
    /// oldest issue first); returns how many.
    fn walk(
        &self,
        archive: &Archive,
        each: &mut dyn FnMut(ArticleRecord) -> Result<(), Failure>,
    ) -> Result<usize, Failure> {
        match &self.query {
            Some(text) => {
                let query = SearchQuery {
                    text: text.clone(),
                    paper: self.select.filter.paper.clone(),
                    from: self.select.filter.from.clone(),
                    to: self.select.filter.to.clone(),
                    ..SearchQuery::default()
                };
                archive.for_each_match(&query, self.offset, self.limit, each)
            }
            None => {
                archive.for_each_article(&self.select.selection(), self.offset, self.limit, each)
            }
        }
    }
}

#[derive(Debug, Args)]
struct ExportArgs {
    #[command(flatten)]
    data: DataArg,

    #[command(flatten)]
    pick: PickArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    format: ExportFormat,

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
    let format = match args.format {
        ExportFormat::Jsonl => SinkFormat::Jsonl,
        ExportFormat::Csv => SinkFormat::Csv,
    };
    export_archive(
        &args.data.data,
        &args.pick,
        format,
        args.output.as_deref(),
        "",
    )
}

/// Writes the picked articles of the archive in `dir` to `output` (or
/// standard output) in `format`; `index` names the OpenSearch index.
/// Streams: an article is read, written and dropped before the next.
pub fn export_archive(
    dir: &Path,
    pick: &PickArgs,
    format: SinkFormat,
    output: Option<&Path>,
    index: &str,
) -> anyhow::Result<i32> {
    pick.check()?;
    let archive = open_existing(dir)?;
    let mut sink = Sink::create(format, output, index)?;
    let name = dir.display().to_string();
    let result = pick.walk(&archive, &mut |r: ArticleRecord| {
        sink.record(&r, &name).map_err(Failure::Write)
    });
    let finished = result.and_then(|n| sink.finish().map(|()| n).map_err(Failure::Write));
    finish_walk(finished)?;
    Ok(0)
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
