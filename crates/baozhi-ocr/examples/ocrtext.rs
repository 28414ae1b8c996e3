//! Prints the printed lines baozhi reads from an hOCR or ALTO file: one per
//! line, or with `--tsv` as `text  x0  top  x1  bottom  size  bold` rows
//! (the form `scripts/printpages.py` reads for training pages).
//!
//! `cargo run --release -p baozhi-ocr --example ocrtext -- [--tsv] page.hocr`

fn main() {
    let mut tsv = false;
    let mut path = None;
    for a in std::env::args().skip(1) {
        match a.as_str() {
            "--tsv" => tsv = true,
            _ => path = Some(a),
        }
    }
    let Some(path) = path else {
        eprintln!("usage: ocrtext [--tsv] FILE.hocr|FILE.xml");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let pages = match baozhi_ocr::read(&bytes) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    for page in pages {
        for w in &page.warnings {
            eprintln!("{path}: {w}");
        }
        for l in &page.lines {
            if tsv {
                let b = l.bbox;
                println!(
                    "{}\t{:.1}\t{:.1}\t{:.1}\t{:.1}\t{:.1}\t{}",
                    l.text.replace('\t', " "),
                    b.x0,
                    b.top,
                    b.x1,
                    b.bottom,
                    l.size,
                    u8::from(l.bold)
                );
            } else {
                println!("{}", l.text);
            }
        }
    }
}
