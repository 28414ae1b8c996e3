//! `baozhi export`: articles, each with its page context, out of an
//! archive or out of `baozhi parse` output, as JSON lines, CSV, Parquet,
//! TEI or an OpenSearch bulk file; and the OpenSearch index template.
//!
//! Both sources stream: the archive through its walkers an article at a
//! time, JSON input a document (a page) at a time; the writers are those
//! of `baozhi archive export` ([`crate::article_sink`]).

use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::PathBuf;

use anyhow::Context;
use baozhi_export::opensearch;
use baozhi_model::Document;
use clap::{Args, ValueEnum};

use crate::article_sink::{Sink, SinkFormat};
use crate::manage_cmd::{export_archive, finish_walk, DataArg, Failure, PickArgs};
use crate::{report_warning, USAGE_ERROR};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One JSON object per line: `{"id","paper","date","page","article"}`,
    /// the article as baozhi/1 holds it.
    Jsonl,
    /// A header row, then a row per article (as `archive export`).
    Csv,
    /// A Parquet table, a row per article (needs -o FILE): id, paper,
    /// date, page, article_id, column, series, kicker, title, subtitle,
    /// bylines, dateline, text, captions, continues_to, continued_from,
    /// marks, findings.
    Parquet,
    /// TEI P5: a TEI per page with a div type="article" per article, a
    /// teiCorpus of them for several pages.
    Tei,
    /// OpenSearch/Elasticsearch bulk NDJSON: an `index` action (--index,
    /// the article's id) and the document, per article.
    Opensearch,
    /// The OpenSearch index template for those documents (CJK bigram
    /// analyzer, width folding); takes no input.
    OpensearchTemplate,
}

/// Arguments of `baozhi export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// baozhi/1 JSON as `baozhi parse --format json` (or jsonl) writes it:
    /// one document or several, one after another; `-` reads standard
    /// input. Without FILEs the articles come from the archive (--data).
    #[arg(
        value_name = "FILE",
        conflicts_with_all = ["data", "paper", "from", "to", "page", "query", "offset", "limit"]
    )]
    files: Vec<PathBuf>,

    #[command(flatten)]
    data: DataArg,

    #[command(flatten)]
    pick: PickArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    format: ExportFormat,

    /// Write here instead of standard output (required for parquet).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,

    /// The OpenSearch index the bulk file indexes into and the template
    /// applies to (default: baozhi).
    #[arg(long, value_name = "NAME")]
    index: Option<String>,
}

/// Runs `baozhi export`; returns the exit code: 0, 1 when an input could
/// not be read (the others are exported all the same), 2 for a command
/// line that cannot run.
pub fn run_export(args: &ExportArgs) -> anyhow::Result<i32> {
    let opensearch = matches!(
        args.format,
        ExportFormat::Opensearch | ExportFormat::OpensearchTemplate
    );
    if args.index.is_some() && !opensearch {
        return usage("--index is for --format opensearch and opensearch-template");
    }
    let index = args.index.as_deref().unwrap_or(opensearch::DEFAULT_INDEX);
    let format = match args.format {
        ExportFormat::Jsonl => SinkFormat::Jsonl,
        ExportFormat::Csv => SinkFormat::Csv,
        ExportFormat::Parquet => SinkFormat::Parquet,
        ExportFormat::Tei => SinkFormat::Tei,
        ExportFormat::Opensearch => SinkFormat::Opensearch,
        ExportFormat::OpensearchTemplate => {
            if !args.files.is_empty() || args.pick.any_given() {
                return usage(
                    "--format opensearch-template takes no input: it prints the template",
                );
            }
            return template(index, args);
        }
    };
    if format == SinkFormat::Parquet && args.output.is_none() {
        return usage("--format parquet writes a file: name it with -o FILE");
    }
    if args.files.is_empty() {
        return export_archive(
            &args.data.data,
            &args.pick,
            format,
            args.output.as_deref(),
            index,
        );
    }
    if args.files.iter().filter(|f| f.as_os_str() == "-").count() > 1 {
        return usage("`-` (standard input) can be read once");
    }
    export_files(args, format, index)
}

fn usage(message: &str) -> anyhow::Result<i32> {
    eprintln!("baozhi: {message}");
    Ok(i32::from(USAGE_ERROR))
}

/// Prints the index template, for the index `index`.
fn template(index: &str, args: &ExportArgs) -> anyhow::Result<i32> {
    let text = opensearch::template(index);
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let written = io::stdout().lock().write_all(text.as_bytes());
            finish_walk(written.map(|()| 0).map_err(Failure::Write))?;
        }
    }
    Ok(0)
}

/// The name standard input goes by in messages.
const STDIN_NAME: &str = "<stdin>";

/// Exports the documents of each JSON file in turn. A file that cannot be
/// read, or holds something that is not a baozhi/1 document, is reported
/// and the rest of it skipped (a JSON stream cannot be picked up again
/// after an error); the other files are exported.
fn export_files(args: &ExportArgs, format: SinkFormat, index: &str) -> anyhow::Result<i32> {
    let mut sink = Sink::create(format, args.output.as_deref(), index)?;
    let mut any_failed = false;
    let mut run = || -> Result<usize, Failure> {
        let mut documents = 0;
        for path in &args.files {
            if path.as_os_str() == "-" {
                let stdin = Box::new(io::stdin().lock());
                documents += export_json(&mut sink, STDIN_NAME, stdin, &mut any_failed)?;
                continue;
            }
            let shown = path.display().to_string();
            match File::open(path) {
                Ok(file) => {
                    documents += export_json(&mut sink, &shown, Box::new(file), &mut any_failed)?
                }
                Err(e) => {
                    report_warning(&shown, &format!("cannot open: {e}"));
                    any_failed = true;
                }
            }
        }
        Ok(documents)
    };
    let result = run();
    let finished = result.and_then(|n| sink.finish().map(|()| n).map_err(Failure::Write));
    finish_walk(finished)?;
    Ok(i32::from(any_failed))
}

/// Exports the baozhi/1 documents of one input, read one at a time;
/// returns how many. What cannot be read is reported and sets
/// `any_failed`; only a failure to write stops the export.
fn export_json(
    sink: &mut Sink,
    shown: &str,
    input: Box<dyn Read>,
    any_failed: &mut bool,
) -> Result<usize, Failure> {
    let mut seen = 0usize;
    let mut exported = 0usize;
    let stream = serde_json::Deserializer::from_reader(BufReader::new(input));
    for doc in stream.into_iter::<Document>() {
        seen += 1;
        match doc {
            Ok(doc) => match baozhi_archive::check_schema(&doc) {
                Ok(()) => {
                    sink.document(&doc, shown).map_err(Failure::Write)?;
                    exported += 1;
                }
                Err(why) => {
                    report_warning(shown, &format!("document {seen}: {why}"));
                    *any_failed = true;
                }
            },
            Err(e) => {
                let message = if e.is_io() {
                    format!("cannot read: {e}")
                } else {
                    format!("document {seen}: not baozhi/1 JSON: {e}")
                };
                report_warning(shown, &message);
                *any_failed = true;
                return Ok(exported);
            }
        }
    }
    if seen == 0 {
        report_warning(shown, "no baozhi/1 document in it");
        *any_failed = true;
    }
    Ok(exported)
}
