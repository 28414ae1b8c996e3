//! The parse path with proofreading on: parse_page + proofread of every
//! article, on the dev pages beside the checkout (or the bundled example).

use std::path::Path;
use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

fn load_pages() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in [
        root.join("../../../shared/pages/dev"),
        root.join("../../examples"),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        let pages: Vec<String> = paths
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect();
        if !pages.is_empty() {
            return pages;
        }
    }
    panic!("no pages to measure");
}

fn parse_and_proof(c: &mut Criterion) {
    let pages = load_pages();
    let opts = baozhi_layout::Options::default();
    // load the lexicon, gazetteer and glyph table before measuring
    for a in baozhi_layout::parse_page(&pages[0], &opts).articles {
        baozhi_proof::proofread(&a);
    }
    let bytes: usize = pages.iter().map(String::len).sum();
    let mut g = c.benchmark_group("parse_proof");
    g.measurement_time(Duration::from_secs(5)).sample_size(20);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("all_pages", |b| {
        b.iter(|| {
            let mut n = 0;
            for p in &pages {
                for a in baozhi_layout::parse_page(black_box(p), &opts).articles {
                    n += baozhi_proof::proofread(&a).len();
                }
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, parse_and_proof);
criterion_main!(benches);
