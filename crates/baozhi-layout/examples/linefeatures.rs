//! Write the line model's features for generated pages, with their gold
//! labels, as the table `scripts/fit-layout.py` fits the model on.
//!
//! usage: cargo run --release -p baozhi-layout --example linefeatures -- PAGE.txt... > table.tsv
//!
//! Each `PAGE.txt` needs the `PAGE.labels.tsv` that `scripts/pagegen.py`
//! writes beside it (one row per non-blank line: role, article, text).
//! A `PAGE.geom.tsv` beside it (a PDF page's lines as `scripts/printpages.py`
//! writes them: x0, top, x1, bottom, size, bold per text line) adds the
//! geometry features.
//! Output: one row per line: page, line, label, then the features in
//! `baozhi_layout::features::NAMES` order (the header row names them).

use baozhi_layout::tagger::Label;
use baozhi_layout::{features, lines, units, LineGeometry};
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
        let geom_path = path.trim_end_matches(".txt").to_string() + ".geom.tsv";
        let geometry = std::fs::read_to_string(&geom_path)
            .ok()
            .map(|g| read_geometry(&g));
        let feats = features::line_features(&us, &shape, geometry.as_deref());
        let name = std::path::Path::new(&path)
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (i, (f, l)) in feats.iter().zip(&labs).enumerate() {
            // the generator's roles are the line model's labels; `skip`
            // (an OCR line that matched nothing printed) keeps its row, as
            // the context of its neighbours, but is not fitted on
            let label = match Label::from_name(l) {
                Some(l) => l.name(),
                None if *l == SKIP => SKIP,
                None => continue,
            };
            let vals: Vec<String> = f.iter().map(|v| format!("{v}")).collect();
            let _ = writeln!(out, "{name}\t{i}\t{label}\t{}", vals.join("\t"));
        }
    }
}

/// The label of a line the page's generator could not place (an OCR line
/// that matches nothing printed): a row for its neighbours' context, no
/// label to fit.
const SKIP: &str = "skip";

/// One line's geometry per row: x0, top, x1, bottom, size, bold (0/1).
fn read_geometry(tsv: &str) -> Vec<LineGeometry> {
    tsv.lines()
        .map(|row| {
            let v: Vec<f32> = row.split('\t').map(|x| x.parse().unwrap_or(0.0)).collect();
            let at = |k: usize| v.get(k).copied().unwrap_or(0.0);
            LineGeometry {
                x0: at(0),
                top: at(1),
                x1: at(2),
                bottom: at(3),
                size: at(4),
                bold: at(5) > 0.5,
            }
        })
        .collect()
}
