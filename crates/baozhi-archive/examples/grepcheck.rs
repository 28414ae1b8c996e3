//! Search against grep, on pages of your choosing: ingests the baozhi/1
//! documents of a directory (`*.json`, e.g. the gold of pages laid out by
//! `scripts/pagegen.py` from articles the engine never saw) into a new
//! archive, draws pieces (1 to 8 characters, not starting or ending with a space) of the
//! stored articles' texts, and compares the number of articles a search for
//! each piece (as a quoted phrase) finds with the number whose texts
//! contain it (both folded, as search compares them). Each piece is searched again written full-width (ASCII
//! letters and digits) and in traditional characters (where the piece has
//! characters with a traditional form), which must find the same.
//!
//! ```text
//! cargo run --release -p baozhi-archive --example grepcheck -- DIR [PIECES]
//! ```
//!
//! Prints the counts and every piece that differs; exits 1 if any does.

use std::collections::HashMap;
use std::path::PathBuf;

use baozhi_archive::{fold, searched_texts, Archive, ArchiveError, SearchQuery, Selection};
use baozhi_model::Document;

/// Pieces drawn unless the command line says otherwise: enough that a
/// miss in one kind of text (a byline, a number) shows.
const DEFAULT_PIECES: usize = 2_000;
/// The longest piece, in characters.
const MAX_PIECE_CHARS: usize = 8;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: grepcheck DIR [PIECES]"));
    let pieces: usize = args
        .next()
        .map_or(DEFAULT_PIECES, |a| a.parse().expect("PIECES is a number"));

    let root = std::env::temp_dir().join(format!("baozhi-grepcheck-{}", std::process::id()));
    let mut archive = Archive::open(&root).expect("open archive");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read DIR")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    for p in &paths {
        let text = std::fs::read_to_string(p).expect("read document");
        let doc: Document = serde_json::from_str(&text).expect("baozhi/1 json");
        archive.ingest_document(&doc).expect("ingest");
    }
    archive.commit().expect("commit");

    // Every stored article's searched texts, as grep and search both
    // compare them: folded (width, traditional forms, case; a line break
    // is a space, as any space is).
    let mut lines: Vec<Vec<String>> = Vec::new();
    archive
        .for_each_article(&Selection::default(), 0, None, &mut |r| {
            let texts = searched_texts(&r.article);
            lines.push(
                texts
                    .iter()
                    .filter(|t| !t.trim().is_empty())
                    .map(|t| fold::fold(t).text)
                    .collect(),
            );
            Ok::<(), ArchiveError>(())
        })
        .expect("walk the archive");
    println!(
        "{} documents, {} articles",
        paths.len(),
        lines.iter().filter(|l| !l.is_empty()).count()
    );

    let traditional = traditional_forms();
    let grep = |piece: &str| {
        let piece = fold::fold(piece).text;
        let piece = piece.as_str();
        lines
            .iter()
            .filter(|a| a.iter().any(|l| l.contains(piece)))
            .count()
    };
    let total = |q: &str| {
        archive
            .search(&SearchQuery::new(format!("\"{q}\"")))
            .expect("search")
            .total
    };

    // A fixed pseudo-random sequence (an LCG), so that runs compare.
    let mut seed: u64 = 0x5851_f42d_4c95_7f2d;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize % n
    };
    let articles: Vec<&Vec<String>> = lines.iter().filter(|l| !l.is_empty()).collect();
    let (mut checked, mut differ, mut wide, mut trad) = (0, 0, 0, 0);
    while checked < pieces {
        let a = articles[next(articles.len())];
        let line: Vec<char> = a[next(a.len())].chars().collect();
        let start = next(line.len());
        let len = 1 + next(MAX_PIECE_CHARS.min(line.len() - start));
        let piece: String = line[start..start + len].iter().collect();
        // Spaces at its ends are no part of a search (they only separate);
        // quotes and backslashes are phrase syntax.
        let piece = piece.trim().to_string();
        if piece.is_empty() || piece.contains(['"', '\\']) {
            continue;
        }
        checked += 1;
        let (expected, found) = (grep(&piece), total(&piece));
        if expected != found {
            differ += 1;
            println!("differs: {piece:?} grep {expected}, search {found}");
        }
        let full_width: String = piece.chars().map(full_width).collect();
        if full_width != piece {
            wide += 1;
            let n = total(&full_width);
            if n != found {
                differ += 1;
                println!("differs: {full_width:?} finds {n}, {piece:?} {found}");
            }
        }
        let in_traditional: String = piece
            .chars()
            .map(|c| traditional.get(&c).copied().unwrap_or(c))
            .collect();
        if in_traditional != piece {
            trad += 1;
            let n = total(&in_traditional);
            if n != found {
                differ += 1;
                println!("differs: {in_traditional:?} finds {n}, {piece:?} {found}");
            }
        }
    }
    println!(
        "{checked} pieces (plus {wide} full-width and {trad} traditional forms): {differ} differ"
    );
    drop(archive);
    let _ = std::fs::remove_dir_all(&root);
    if differ > 0 {
        std::process::exit(1);
    }
}

/// A traditional form of each simplified character that has one: the
/// first character of the CJK block that folds to it.
fn traditional_forms() -> HashMap<char, char> {
    let mut out = HashMap::new();
    for c in ('\u{4e00}'..='\u{9fff}').filter(|&c| fold::simplified(c) != c) {
        out.entry(fold::simplified(c)).or_insert(c);
    }
    out
}

/// The full-width form of an ASCII letter or digit; other chars as they are.
fn full_width(c: char) -> char {
    if c.is_ascii_alphanumeric() {
        char::from_u32(c as u32 - 0x21 + 0xff01).unwrap_or(c)
    } else {
        c
    }
}
