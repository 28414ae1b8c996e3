//! `baozhi`: newspaper page text in, the articles the paper printed out.

mod names;
mod render;
mod widen;

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use baozhi_ingest::{DecodeError, Decoded, EncodingChoice};
use baozhi_layout::{parse_page, Options};
use baozhi_model::Document;
use clap::{Args, Parser, Subcommand, ValueEnum};

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
}

#[derive(Debug, Args)]
struct ParseArgs {
    /// Page text files, one page each; `-` reads standard input.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,

    /// Name of the paper, for the `paper` field.
    #[arg(long, value_name = "NAME")]
    paper: Option<String>,

    /// Issue date (YYYY-MM-DD); otherwise taken from a YYYY-MM-DD in the file name.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = names::parse_date)]
    date: Option<String>,

    /// Page number as printed (01, A3); otherwise taken from the file name
    /// (`-p01`, or a number right after the date: `2025-04-08-02`).
    #[arg(long, value_name = "PAGE")]
    page: Option<String>,

    /// Input encoding: auto, utf-8, gb18030 (gbk), utf-16le, utf-16be, utf-16.
    #[arg(long, value_name = "ENCODING", default_value = "auto")]
    encoding: EncodingChoice,

    /// Turn ASCII , ( ) : ; ? ! back to full width where they stand in Chinese text.
    #[arg(long)]
    restore_width: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Parse(args) => parse(&args),
    }
}

/// Why a batch stopped early.
enum Stop {
    /// The reader went away (`| head`): stop quietly.
    Quiet,
    /// Output could not be written.
    Failed(io::Error),
}

fn parse(args: &ParseArgs) -> ExitCode {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut any_failed = false;
    let mut wrote_before = false;
    for path in &args.files {
        let is_stdin = path.as_os_str() == "-";
        let shown = if is_stdin {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        let decoded = if is_stdin {
            baozhi_ingest::read_stdin(args.encoding)
        } else {
            baozhi_ingest::read_page(path, args.encoding)
        };
        let decoded = match decoded {
            Ok(d) => d,
            Err(e) => {
                report_read_error(&shown, &e);
                any_failed = true;
                continue;
            }
        };
        let doc = document(args, if is_stdin { None } else { Some(path) }, &decoded);
        match write_doc(args.format, &doc, &mut wrote_before, &mut out) {
            Ok(()) => {}
            Err(Stop::Quiet) => return exit(any_failed),
            Err(Stop::Failed(e)) => {
                let _ = writeln!(io::stderr().lock(), "baozhi: cannot write output: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    exit(any_failed)
}

fn exit(any_failed: bool) -> ExitCode {
    if any_failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn report_read_error(shown: &str, e: &DecodeError) {
    // Writing to stderr may fail too (closed); nothing more to do then.
    let _ = writeln!(io::stderr().lock(), "baozhi: {shown}: {e}");
}

/// Parses one decoded page into its `baozhi/1` document.
fn document(args: &ParseArgs, path: Option<&Path>, decoded: &Decoded) -> Document {
    let from_name = path.map(names::from_file_name).unwrap_or_default();
    let opts = Options {
        page: args.page.clone().or(from_name.page),
    };
    let result = parse_page(&decoded.text, &opts);
    let mut doc = Document::new(args.paper.clone(), args.date.clone().or(from_name.date));
    doc.pages.push(result.page);
    doc.articles = result.articles;
    if args.restore_width {
        widen::restore_document(&mut doc);
    }
    doc
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
    written.map_err(|e| {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Stop::Quiet
        } else {
            Stop::Failed(e)
        }
    })
}
