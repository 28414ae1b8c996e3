//! Reading OCR pages: an hOCR or ALTO file into printed lines in reading
//! order (pages/s, one element per page).
//!
//! The hOCR files are Tesseract's of `../shared/pages/extracted` beside the
//! checkout (broadsheet scans at 300 dpi, 4,000-5,000 words each) when
//! present; the bundled example's hOCR and ALTO (an A4 page) always.

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

fn files() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let extracted = root.join("../../../shared/pages/extracted");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&extracted)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "hocr"))
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    let example = root.join("../../examples/shili-2026-03-12-p01");
    paths.push(example.with_extension("hocr"));
    paths.push(example.with_extension("alto.xml"));
    paths
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            Some((p.file_name()?.to_string_lossy().into_owned(), bytes))
        })
        .collect()
}

fn read_pages(c: &mut Criterion) {
    let files = files();
    let mut group = c.benchmark_group("read_ocr");
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(files.len() as u64));
    group.bench_function("all", |b| {
        b.iter(|| {
            for (_, bytes) in &files {
                let pages = baozhi_ocr::read(black_box(bytes)).expect("readable");
                black_box(pages);
            }
        })
    });
    group.finish();
}

criterion_group!(benches, read_pages);
criterion_main!(benches);
