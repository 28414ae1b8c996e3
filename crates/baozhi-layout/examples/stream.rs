//! Parse many pages one at a time and write one `baozhi/1` document per page
//! as JSON Lines on stdout (a development aid for checking that memory stays
//! flat on big batches).
//!
//! ```text
//! stream [FILE|-]...
//! ```
//!
//! Each input (stdin when none is given, or `-`) is read line by line; a form
//! feed (`\x0c`, as `pdftotext` puts between pages) ends a page, so one file
//! can hold any number of pages. Only the page being read is held in memory.
//! A summary (pages, bytes, time, MB/s, pages/s) goes to stderr.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::time::Instant;

use baozhi_layout::{parse_page, Options};
use baozhi_model::Document;

const FORM_FEED: u8 = 0x0c;

#[derive(Default)]
struct Stats {
    pages: u64,
    bytes: u64,
    articles: u64,
}

/// Parse one page's bytes (skipped when blank) and write its JSON line.
fn emit(page: &[u8], out: &mut impl Write, stats: &mut Stats) -> io::Result<()> {
    let text = String::from_utf8_lossy(page);
    if text.chars().all(|c| c.is_whitespace() || c == '\u{feff}') {
        return Ok(());
    }
    let r = parse_page(&text, &Options::default());
    stats.pages += 1;
    stats.bytes += page.len() as u64;
    stats.articles += r.articles.len() as u64;
    let mut doc = Document::new(None, None);
    doc.pages.push(r.page);
    doc.articles = r.articles;
    serde_json::to_writer(&mut *out, &doc)?;
    out.write_all(b"\n")
}

/// Stream one input, splitting pages at form feeds.
fn stream(input: impl BufRead, out: &mut impl Write, stats: &mut Stats) -> io::Result<()> {
    let mut input = input;
    let mut line: Vec<u8> = Vec::with_capacity(4096);
    let mut page: Vec<u8> = Vec::with_capacity(64 * 1024);
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        let mut rest: &[u8] = &line;
        while let Some(ff) = rest.iter().position(|&b| b == FORM_FEED) {
            page.extend_from_slice(&rest[..ff]);
            emit(&page, out, stats)?;
            page.clear();
            rest = &rest[ff + 1..];
            // The line ending of a separator line belongs to no page.
            if matches!(rest, b"\n" | b"\r\n" | b"\r") {
                rest = &[];
            }
        }
        page.extend_from_slice(rest);
    }
    emit(&page, out, stats)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let inputs = if args.is_empty() {
        vec!["-".to_string()]
    } else {
        args
    };
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(256 * 1024, stdout.lock());
    let mut stats = Stats::default();
    let started = Instant::now();
    for path in &inputs {
        let result = if path == "-" {
            stream(io::stdin().lock(), &mut out, &mut stats)
        } else {
            match File::open(path) {
                Ok(f) => stream(
                    BufReader::with_capacity(256 * 1024, f),
                    &mut out,
                    &mut stats,
                ),
                Err(e) => {
                    eprintln!("stream: {path}: {e}");
                    std::process::exit(1);
                }
            }
        };
        if let Err(e) = result.and_then(|()| out.flush()) {
            if e.kind() == io::ErrorKind::BrokenPipe {
                return;
            }
            eprintln!("stream: {path}: {e}");
            std::process::exit(1);
        }
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "stream: {} pages, {} articles, {:.1} MB in {:.2} s: {:.1} MB/s, {:.0} pages/s",
        stats.pages,
        stats.articles,
        stats.bytes as f64 / 1e6,
        secs,
        stats.bytes as f64 / 1e6 / secs.max(1e-9),
        stats.pages as f64 / secs.max(1e-9),
    );
}
