//! `baozhi`: newspaper page text in, the articles the paper printed out.
//!
//! `baozhi parse` writes the `baozhi/1` document of each page; with
//! `--proof` each article carries the proofreader's `findings`, and with
//! `--apply-corrections[=MIN_CONF]` its text fields are corrected while the
//! findings keep pointing into the printed text. `baozhi proof` lists the
//! findings for an editor; `--format tei` and `--format mets --out DIR`
//! write the libraries' formats (TEI P5; METS with ALTO per page).
//! `baozhi ingest` stores pages in an archive,
//! `baozhi search` searches it, `baozhi serve` serves it to a browser.
//! `baozhi export` writes the articles of an archive or of `parse` output
//! for other tools: JSON lines, CSV, Parquet, TEI, OpenSearch bulk files.

mod archive_cmd;
mod article_sink;
mod export_articles;
mod export_cmd;
mod findings;
mod manage_cmd;
mod render;
mod serve_cmd;

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use baozhi_ingest::{DecodeError, EncodingChoice, PageError, PageText};
use baozhi_model::Document;
use baozhi_pipeline::{Engine, Pipeline, Proofing};
use clap::{Args, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

#[derive(Debug, Parser)]
#[command(
    name = "baozhi",
    version,
    about = "Turns newspaper page text into the articles the paper printed"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse page text (e-paper text layer, OCR, copy-paste) into articles.
    Parse(ParseArgs),
    /// Parse pages and list what the proofreader finds, for an editor.
    Proof(ProofArgs),
    /// Parse and store pages (text, baozhi/1 JSON or JSONL) in an archive.
    Ingest(archive_cmd::IngestArgs),
    /// Search an archive: words, "phrases", AND/OR/NOT, title: byline: …
    Search(archive_cmd::SearchArgs),
    /// Serve an archive read-only: a JSON API and a web reader.
    Serve(serve_cmd::ServeArgs),
    /// Look after an archive: stats, list, delete, reindex, export.
    Archive(manage_cmd::ArchiveArgs),
    /// Export articles, from an archive or from `parse` output, as JSON
    /// lines, CSV, Parquet, TEI or an OpenSearch bulk file.
    Export(export_articles::ExportArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// One pretty-printed baozhi/1 document per page.
    Json,
    /// One compact baozhi/1 document per line, a line per page.
    Jsonl,
    /// Markdown for reading.
    Md,
    /// Plain text.
    Text,
    /// TEI P5 XML: a TEI per page, a teiCorpus holding them for several.
    Tei,
    /// METS with an ALTO v4.2 file per page, the article structure in
    /// METS pointing at ALTO's blocks and lines; written to --out DIR
    /// (NAME.mets.xml, NAME-pNN.alto.xml for each input NAME.ext). Needs
    /// line boxes: PDF, hOCR, ALTO or --ocr pages, not text files.
    Mets,
}

/// Where the pages come from and what the CLI fills in beside them; shared
/// by `parse` and `proof`.
#[derive(Debug, Args)]
struct InputArgs {
    /// Page files: text (one page each), PDF (one page or a whole issue,
    /// read from its text layer), OCR output with boxes (hOCR, ALTO XML),
    /// or, with --ocr, scans (PNG, TIFF, JPEG); `-` reads standard input.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,

    /// Name of the paper, for the `paper` field.
    #[arg(long, value_name = "NAME")]
    paper: Option<String>,

    /// Issue date (YYYY-MM-DD); otherwise taken from a YYYY-MM-DD in the file name.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = baozhi_ingest::names::parse_date)]
    date: Option<String>,

    /// Page number as printed (01, A3); otherwise taken from the file name
    /// (`-p01`, or a number right after the date: `2025-04-08-02`). A PDF
    /// of several pages numbers them by their place in the file.
    #[arg(long, value_name = "PAGE")]
    page: Option<String>,

    /// Input encoding: auto, utf-8, gb18030 (gbk), big5, utf-16le, utf-16be, utf-16.
    #[arg(long, value_name = "ENCODING", default_value = "auto")]
    encoding: EncodingChoice,

    /// The page reader: `learned` (the default: the line model fitted on
    /// pages laid out from the corpus; see README "The line model") or
    /// `rules` (the first engine, set by hand; far behind on pages it was
    /// not fitted to). The rules read text alone: PDF and OCR pages, which
    /// carry their lines' boxes, are always read by the line model.
    #[arg(long, value_enum)]
    engine: Option<EngineChoice>,

    /// Read scans by OCR: images, and PDF pages without a text layer
    /// (rendered by pdftoppm). Runs Tesseract (Debian: tesseract-ocr,
    /// tesseract-ocr-chi-sim; poppler-utils for PDFs).
    #[arg(long)]
    ocr: bool,

    /// The page text given is OCR output (Tesseract's plain text, say):
    /// the proofreader then weighs misread characters as it does for hOCR,
    /// ALTO and --ocr pages, which it knows to be OCR.
    #[arg(long)]
    text_from_ocr: bool,

    /// The Tesseract language(s) for --ocr (`chi_sim+eng` for both).
    #[arg(long, value_name = "LANG", default_value = baozhi_ocr::Tesseract::DEFAULT_LANG, requires = "ocr")]
    ocr_lang: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum EngineChoice {
    Rules,
    Learned,
}

#[derive(Debug, Args)]
struct ParseArgs {
    #[command(flatten)]
    input: InputArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,

    /// The directory --format mets writes its files to (created if need be).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Turn ASCII , ( ) : ; ? ! back to full width where they stand in Chinese text.
    #[arg(long)]
    restore_width: bool,

    /// Proofread every article: list glyph confusions, doubled chars and
    /// other likely errors as `findings` beside the printed text, which is
    /// left as it is.
    #[arg(long)]
    proof: bool,

    /// Proofread (implies --proof) and replace the text fields by the
    /// corrected text, using the findings at or above MIN_CONF (0 to 1,
    /// default 0.8) that carry a suggestion.
    ///
    /// The `findings` keep their original spans: `start`/`end` and
    /// `original` refer to the printed text, not to the corrected text that
    /// is written. Use `--apply-corrections=0.9`, with `=`.
    #[arg(
        long,
        value_name = "MIN_CONF",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "0.8",
        value_parser = findings::parse_confidence
    )]
    apply_corrections: Option<f64>,
}

impl ParseArgs {
    fn proofing(&self) -> Proofing {
        match self.apply_corrections {
            Some(min) => Proofing::Apply(min),
            None if self.proof => Proofing::Find,
            None => Proofing::Off,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ProofFormat {
    /// Findings for an editor: a block each, most confident first.
    Text,
    /// The pretty-printed baozhi/1 document with `findings` (as `parse --proof`).
    Json,
    /// One compact baozhi/1 document with `findings` per line.
    Jsonl,
}

#[derive(Debug, Args)]
struct ProofArgs {
    #[command(flatten)]
    input: InputArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ProofFormat::Text)]
    format: ProofFormat,

    /// Show only findings at or above this confidence (0 to 1).
    #[arg(
        long,
        value_name = "X",
        default_value_t = 0.0,
        value_parser = findings::parse_confidence
    )]
    min_confidence: f64,

    /// Colour the findings: auto (when standard output is a terminal and
    /// NO_COLOR is not set), always or never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Parse(args) => parse(&args),
        Command::Proof(args) => proof(&args),
        Command::Ingest(args) => exit_with(archive_cmd::run_ingest(&args)),
        Command::Search(args) => exit_with(archive_cmd::run_search(&args)),
        Command::Serve(args) => exit_with(serve_cmd::run_serve(&args)),
        Command::Archive(args) => exit_with(manage_cmd::run_archive(&args)),
        Command::Export(args) => exit_with(export_articles::run_export(&args)),
    }
}

/// The exit code of a command that reports its own errors, or 1 with the error.
fn exit_with(r: anyhow::Result<i32>) -> ExitCode {
    match r {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(e) => {
            // Errors quote file names and page text: no terminal escapes.
            eprintln!("baozhi: {}", render::terminal_safe(&format!("{e:#}")));
            ExitCode::from(1)
        }
    }
}

/// The exit code of a command line that cannot run, as clap gives it.
const USAGE_ERROR: u8 = 2;

/// Why a batch stopped early.
enum Stop {
    /// The reader went away (`| head`): stop quietly.
    Quiet,
    /// Output could not be written.
    Failed(io::Error),
}

fn stop(e: io::Error) -> Stop {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Stop::Quiet
    } else {
        Stop::Failed(e)
    }
}

/// What one input file gave: each page's text and what `make` made of it,
/// or why the page could not be read; or why the file could not be.
type FileOutcome<T> = Result<Vec<Result<(PageText, T), PageError>>, DecodeError>;

/// Reads the input files and makes something of each page they hold (a
/// text file is one page, a PDF one page per PDF page), then hands the
/// results to `write` in input order, with the name to show and the path
/// (`None` for standard input). Files, and the pages of a file of
/// several, are read and made on every core ([`baozhi_pipeline::batch`]);
/// `write` runs on this thread. The models `pipeline` uses start loading
/// at once. A file or page that cannot be read is reported on stderr and
/// sets `any_failed`; the batch goes on.
fn each_page<T: Send>(
    input: &InputArgs,
    pipeline: &Pipeline,
    any_failed: &mut bool,
    make: impl Fn(Option<&Path>, &PageText) -> T + Sync,
    mut write: impl FnMut(&str, Option<&Path>, PageText, T) -> Result<(), Stop>,
) -> Result<(), Stop> {
    let options = baozhi_ingest::ReadOptions {
        encoding: input.encoding,
        ocr: if input.ocr {
            match baozhi_ocr::Tesseract::find(&input.ocr_lang) {
                Ok(t) => Some(t),
                Err(e) => {
                    let _ = writeln!(io::stderr().lock(), "baozhi: {e}");
                    *any_failed = true;
                    return Ok(());
                }
            }
        } else {
            None
        },
    };
    pipeline.warm_up();
    let read = |path: &PathBuf| -> FileOutcome<T> {
        let path = (path.as_os_str() != "-").then_some(path.as_path());
        let file = baozhi_ingest::read_file(path, &options)?;
        let page = |i: usize| {
            file.page(i).map(|p| {
                let made = make(path, &p);
                (p, made)
            })
        };
        Ok((0..file.page_count()).into_par_iter().map(page).collect())
    };
    let files = input.files.iter();
    baozhi_pipeline::batch::in_order(
        files,
        |path| (path, read(path)),
        |(path, outcome)| {
            let is_stdin = path.as_os_str() == "-";
            let shown = if is_stdin {
                "<stdin>".to_string()
            } else {
                path.display().to_string()
            };
            let path = (!is_stdin).then_some(path.as_path());
            match outcome {
                Ok(pages) => {
                    for p in pages {
                        match p {
                            Ok((page, made)) => {
                                for w in &page.warnings {
                                    report_warning(&shown, w);
                                }
                                write(&shown, path, page, made)?
                            }
                            Err(e) => {
                                report_warning(&shown, &e.to_string());
                                *any_failed = true;
                            }
                        }
                    }
                }
                Err(e) => {
                    report_read_error(&shown, &e);
                    *any_failed = true;
                }
            }
            Ok(())
        },
    )
}

/// The exit code once a batch is over (or stopped).
fn finish(run: Result<(), Stop>, any_failed: bool) -> ExitCode {
    match run {
        Ok(()) | Err(Stop::Quiet) => exit(any_failed),
        Err(Stop::Failed(e)) => {
            let _ = writeln!(io::stderr().lock(), "baozhi: cannot write output: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse(args: &ParseArgs) -> ExitCode {
    match (args.format, &args.out) {
        (Format::Mets, Some(dir)) => return export_cmd::mets(args, dir),
        (Format::Mets, None) => {
            eprintln!("baozhi: --format mets writes files (METS and ALTO): give their directory with --out DIR");
            return ExitCode::from(USAGE_ERROR);
        }
        (_, Some(_)) => {
            eprintln!(
                "baozhi: --out is for --format mets; the other formats write to standard output"
            );
            return ExitCode::from(USAGE_ERROR);
        }
        (Format::Tei, None) => return export_cmd::tei(args),
        _ => {}
    }
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut any_failed = false;
    let mut wrote_before = false;
    let pipeline = pipeline(&args.input, args.proofing(), args.restore_width);
    let run = each_page(
        &args.input,
        &pipeline,
        &mut any_failed,
        |path, page| pipeline.document(path, page),
        |_, _, _, doc| write_doc(args.format, &doc, &mut wrote_before, &mut out),
    );
    finish(run, any_failed)
}

fn proof(args: &ProofArgs) -> ExitCode {
    let stdout = io::stdout();
    let color = match args.color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let mut out = BufWriter::new(stdout.lock());
    let mut any_failed = false;
    let mut tally = findings::Tally::default();
    let several = args.input.files.len() > 1;
    let pipeline = pipeline(&args.input, Proofing::Find, false);
    let make = |path: Option<&Path>, page: &PageText| {
        let mut doc = pipeline.document(path, page);
        findings::keep_at_least(&mut doc, args.min_confidence);
        doc
    };
    let run = each_page(
        &args.input,
        &pipeline,
        &mut any_failed,
        make,
        |shown, _, _, doc| {
            let mut write = || -> io::Result<()> {
                match args.format {
                    ProofFormat::Json => render::json(&doc, &mut out)?,
                    ProofFormat::Jsonl => render::jsonl(&doc, &mut out)?,
                    ProofFormat::Text => {
                        let file = several.then_some(shown);
                        findings::editor_list(&doc, file, color, &mut tally, &mut out)?;
                    }
                }
                out.flush()
            };
            write().map_err(stop)
        },
    );
    let run = run.and_then(|()| {
        if args.format == ProofFormat::Text {
            let mut summary = || -> io::Result<()> {
                tally.summary(color, &mut out)?;
                out.flush()
            };
            summary().map_err(stop)
        } else {
            Ok(())
        }
    });
    finish(run, any_failed)
}

fn exit(any_failed: bool) -> ExitCode {
    if any_failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn report_read_error(shown: &str, e: &DecodeError) {
    report_warning(shown, &e.to_string());
}

fn report_warning(shown: &str, message: &str) {
    // Writing to stderr may fail too (closed); nothing more to do then.
    let _ = writeln!(io::stderr().lock(), "baozhi: {shown}: {message}");
}

/// The one pipeline every front end shares, with the options given on the
/// command line.
fn pipeline(input: &InputArgs, proofing: Proofing, restore_width: bool) -> Pipeline {
    Pipeline {
        paper: input.paper.clone(),
        date: input.date.clone(),
        page: input.page.clone(),
        engine: match input.engine {
            None => Engine::Auto,
            Some(EngineChoice::Rules) => Engine::Rules,
            Some(EngineChoice::Learned) => Engine::Learned,
        },
        text_from_ocr: input.text_from_ocr,
        proofing,
        restore_width,
    }
}

/// Writes one document and flushes it. `wrote_before` says whether an
/// earlier document put anything out, for the separators of md and text.
fn write_doc(
    format: Format,
    doc: &Document,
    wrote_before: &mut bool,
    out: &mut impl Write,
) -> Result<(), Stop> {
    let mut write = || -> io::Result<()> {
        match format {
            Format::Json => render::json(doc, out)?,
            Format::Jsonl => render::jsonl(doc, out)?,
            Format::Md => {
                if *wrote_before {
                    writeln!(out)?;
                }
                render::markdown(doc, out)?;
                *wrote_before = true;
            }
            // Written by export_cmd, which `parse` hands them to.
            Format::Tei | Format::Mets => unreachable!("export formats are written by export_cmd"),
            Format::Text => {
                if doc.articles.is_empty() {
                    return Ok(());
                }
                if *wrote_before {
                    writeln!(out, "{}", render::TEXT_RULE)?;
                    writeln!(out)?;
                }
                render::text(doc, out)?;
                *wrote_before = true;
            }
        }
        out.flush()
    };
    let written = write();
    written.map_err(stop)
}
