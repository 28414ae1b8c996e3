//! Reading born-digital PDF pages: open the file, read every page's printed
//! lines in reading order (pages/s, one element per page).
//!
//! PDFs come from `../shared/pages/extracted/*.pdf` beside the checkout
//! (broadsheet pages printed by Chromium, 390 x 540 mm, several thousand
//! characters each) when present, else the bundled example page. What the
//! page engine does next costs far less (see `baozhi-layout`'s `parse`
//! bench: a page of text in well under a millisecond).

use std::path::{Path, PathBuf};
use std::time::Duration;

use baozhi_pdf::Pdf;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

fn pdfs() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let extracted = root.join("../../../shared/pages/extracted");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&extracted)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    if paths.is_empty() {
        paths.push(root.join("../../examples/shili-2026-03-12-p01.pdf"));
    }
    paths
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            Some((p.file_stem()?.to_string_lossy().into_owned(), bytes))
        })
        .collect()
}

fn read_pages(c: &mut Criterion) {
    let files = pdfs();
    let pages: u64 = files
        .iter()
        .map(|(_, b)| Pdf::from_bytes(b.clone()).map_or(0, |p| p.page_count() as u64))
        .sum();
    let mut group = c.benchmark_group("read_pdf");
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(pages));
    group.bench_function("all_pages", |b| {
        b.iter(|| {
            let mut lines = 0;
            for (_, bytes) in &files {
                let pdf = Pdf::from_bytes(bytes.clone()).expect("opens");
                for i in 0..pdf.page_count() {
                    lines += pdf.page(i).map_or(0, |p| p.lines.len());
                }
            }
            black_box(lines)
        })
    });
    group.finish();
}

criterion_group!(benches, read_pages);
criterion_main!(benches);
