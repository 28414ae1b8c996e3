//! Write the line model's features for generated pages, with their gold
//! labels, as the table `scripts/fit-layout.py` fits the model on.
//!
//! usage: cargo run --release -p baozhi-layout --example linefeatures -- PAGE.txt... > table.tsv
//!
//! Each `PAGE.txt` needs the `PAGE.labels.tsv` that `scripts/pagegen.py`
//! writes beside it (one row per non-blank line: role, article, text).
//! Output: one row per line: page, line, label, then the features in
//! `baozhi_layout::features::NAMES` order (the header row names them).

use baozhi_layout::tagger::Label;
use baozhi_layout::{features, lines, units};
use std::io::Write;

fn main() {
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    let _ = writeln!(out, "page\tline\tlabel\t{}", features::NAMES.join("\t"));
    for path in std::env::args().skip(1) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("{path}: cannot read");
            continue;
        };
        let lab_path = path.trim_end_matches(".txt").to_string() + ".labels.tsv";
        let Ok(labs) = std::fs::read_to_string(&lab_path) else {
            eprintln!("{lab_path}: cannot read");
            continue;
        };
        let labs: Vec<&str> = labs
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| l.split('\t').next().unwrap_or(""))
            .collect();
        let us = units::units(lines::split_lines(&text));
        if us.len() != labs.len() {
            eprintln!(
                "{path}: {} lines but {} labels; skipped",
                us.len(),
                labs.len()
            );
            continue;
        }
        let shape = units::PageShape::of(&us);
        let feats = features::line_features(&us, &shape);
        let name = std::path::Path::new(&path)
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (i, (f, l)) in feats.iter().zip(&labs).enumerate() {
            // the generator's roles are the line model's labels
            let Some(l) = Label::from_name(l) else {
                continue;
            };
            let vals: Vec<String> = f.iter().map(|v| format!("{v}")).collect();
            let _ = writeln!(out, "{name}\t{i}\t{}\t{}", l.name(), vals.join("\t"));
        }
    }
}
