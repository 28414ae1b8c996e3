//! Prints the printed lines of each page of a PDF in reading order, a form
//! feed between pages, as `pdftotext` does: for comparing the two and for
//! looking at what the page engine is given. `--boxes` puts each line's box,
//! size and weight before it; `--tsv` writes them as tab-separated columns
//! (x0, top, x1, bottom, size, bold 0/1, text), as `scripts/printpages.py`
//! reads them.
//!
//! `cargo run --release -p baozhi-pdf --example pdftext -- [--boxes|--tsv] FILE.pdf`

use std::io::{self, Write};

fn main() {
    let mut boxes = false;
    let mut tsv = false;
    let mut files = Vec::new();
    for a in std::env::args().skip(1) {
        if a == "--boxes" {
            boxes = true;
        } else if a == "--tsv" {
            tsv = true;
        } else {
            files.push(a);
        }
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut failed = false;
    for f in files {
        let pdf = std::fs::read(&f)
            .map_err(|e| e.to_string())
            .and_then(|b| baozhi_pdf::Pdf::from_bytes(b).map_err(|e| e.to_string()));
        let pdf = match pdf {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{f}: {e}");
                failed = true;
                continue;
            }
        };
        for i in 0..pdf.page_count() {
            match pdf.page(i) {
                Ok(page) => {
                    for w in &page.warnings {
                        eprintln!("{f}: {w}");
                    }
                    for l in &page.lines {
                        if tsv {
                            let b = l.bbox;
                            let _ = writeln!(
                                out,
                                "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                                b.x0,
                                b.top,
                                b.x1,
                                b.bottom,
                                l.size,
                                u8::from(l.bold),
                                l.text.replace(['\t', '\n', '\r'], " ")
                            );
                            continue;
                        }
                        if boxes {
                            let b = l.bbox;
                            let _ = write!(
                                out,
                                "{:7.1} {:7.1} {:7.1} {:7.1} {:5.1}{} ",
                                b.x0,
                                b.top,
                                b.x1,
                                b.bottom,
                                l.size,
                                if l.bold { "b" } else { " " }
                            );
                        }
                        let _ = writeln!(out, "{}", l.text);
                    }
                    if !tsv {
                        let _ = write!(out, "\x0c");
                    }
                }
                Err(e) => {
                    eprintln!("{f}: {e}");
                    failed = true;
                }
            }
        }
    }
    let _ = out.flush();
    std::process::exit(i32::from(failed));
}
