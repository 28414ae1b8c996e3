//! Where does the learned engine lose articles: in the line labels or in
//! assembling articles from them? For each generated page this writes two
//! `baozhi/1` documents: the page read with the line model's labels
//! (`NAME.learned.json`) and with the generator's gold labels
//! (`NAME.oracle.json`), assembled the same way. Scoring both against the
//! gold shows what perfect labels would be worth. `NAME.labels.tsv` lists
//! each line's gold label, the model's label and the line.
//!
//! usage: cargo run --release -p baozhi-layout --example oracle -- OUTDIR PAGE.txt...
//! then:  python3 ../shared/tools/score.py PAGE.gold.json OUTDIR/PAGE.oracle.json ...
//!
//! Each `PAGE.txt` needs the `PAGE.labels.tsv` that `scripts/pagegen.py`
//! writes beside it; a page whose label count differs from its line count
//! (or has an unplaceable `skip` line) is left out, saying so.

use baozhi_layout::tagger::{self, Label};
use baozhi_layout::{assemble, lines, roles, units};
use baozhi_model::{Document, Page};
use std::path::Path;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(out_dir) = args.next() else {
        eprintln!("usage: oracle OUTDIR PAGE.txt...");
        std::process::exit(2);
    };
    for path in args {
        if let Err(e) = one_page(&path, Path::new(&out_dir)) {
            eprintln!("{path}: {e}; skipped");
        }
    }
}

fn one_page(path: &str, out_dir: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let lab_path = path.trim_end_matches(".txt").to_string() + ".labels.tsv";
    let labs = std::fs::read_to_string(&lab_path).map_err(|e| format!("{lab_path}: {e}"))?;
    let gold: Vec<Label> = labs
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| Label::from_name(l.split('\t').next().unwrap_or("")))
        .collect::<Option<_>>()
        .ok_or("a label the line model does not have")?;
    let us = units::units(lines::split_lines(&text));
    if us.len() != gold.len() {
        return Err(format!("{} lines but {} labels", us.len(), gold.len()));
    }
    let shape = units::PageShape::of(&us);
    let learned = tagger::tag(&us, &shape, None, None);
    let name = Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // the line model's labels beside the gold ones, for a confusion table
    let rows: String = us
        .iter()
        .zip(learned.iter().zip(&gold))
        .map(|(u, (l, g))| {
            let text = u.text.as_ref().map(|t| t.text.as_str()).unwrap_or("");
            format!("{}\t{}\t{}\n", g.name(), l.name(), text.replace('\t', " "))
        })
        .collect();
    std::fs::write(out_dir.join(format!("{name}.labels.tsv")), rows).map_err(|e| e.to_string())?;
    for (kind, labels) in [("learned", &learned), ("oracle", &gold)] {
        let rs = roles::from_labels(&us, labels);
        let a = assemble::assemble(&us, &rs, &shape, Some(labels), None, None);
        let mut doc = Document::new(None, None);
        doc.pages.push(Page {
            pictures: Vec::new(),
            page: a.page,
            furniture: a.furniture,
            size: None,
            source: None,
        });
        doc.articles = a.articles;
        let json = serde_json::to_string(&doc).map_err(|e| e.to_string())?;
        std::fs::write(out_dir.join(format!("{name}.{kind}.json")), json)
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
