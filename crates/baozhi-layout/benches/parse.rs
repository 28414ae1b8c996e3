//! The whole parse path (`parse_page`) on realistic pages.
//!
//! Pages come from `../shared/pages/dev/*.txt` beside the checkout when
//! present, else from `examples/*.txt` at the repository root, else a
//! synthetic page. Two groups: `parse_bytes` (MB/s, for the rules and for
//! the line model) and `parse_pages` (pages/s, one element per page).

use std::path::{Path, PathBuf};
use std::time::Duration;

use baozhi_layout::{parse_page, Engine, Options};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

struct PageText {
    name: String,
    text: String,
}

fn txt_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
}

fn synthetic_page() -> String {
    let mut s = String::from("2025年3月12日  星期三  05  要闻\n\n");
    for a in 0..6 {
        s.push_str(&format!("第{a}篇文章的标题在这里\n\n本报记者  张  三\n\n"));
        for p in 0..8 {
            s.push_str(&format!(
                "\u{3000}\u{3000}新华社北京5月{p}日电 这是一个用来测量速度的段落，\
                 其中有中文标点、数字123和English words。段落会在行尾断开，\n\
                 然后在下一行继续，直到句子结束。\n"
            ));
        }
        s.push_str("某某摄\n（下转02版）\n②4\n\n");
    }
    s
}

fn load_pages() -> Vec<PageText> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in [
        root.join("../../../shared/pages/dev"),
        root.join("../../examples"),
    ] {
        let pages: Vec<PageText> = txt_files(&dir)
            .into_iter()
            .filter_map(|p| {
                let text = std::fs::read_to_string(&p).ok()?;
                let name = p.file_stem()?.to_string_lossy().into_owned();
                Some(PageText { name, text })
            })
            .collect();
        if !pages.is_empty() {
            eprintln!("bench pages: {} from {}", pages.len(), dir.display());
            return pages;
        }
    }
    eprintln!("bench pages: no page files found, using a synthetic page");
    vec![PageText {
        name: "synthetic".into(),
        text: synthetic_page(),
    }]
}

fn bench_parse(c: &mut Criterion) {
    let pages = load_pages();
    let opts = Options::default();
    // Build the lexicon and any lazily compiled patterns before measuring.
    for p in &pages {
        black_box(parse_page(&p.text, &opts));
    }
    let total_bytes: usize = pages.iter().map(|p| p.text.len()).sum();

    let mut bytes = c.benchmark_group("parse_bytes");
    bytes
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    bytes.throughput(Throughput::Bytes(total_bytes as u64));
    bytes.bench_function("all_pages", |b| {
        b.iter(|| {
            for p in &pages {
                black_box(parse_page(black_box(&p.text), &opts));
            }
        })
    });
    // the line model (`--engine learned`) on the same pages, side by side
    let learned = Options {
        engine: Engine::Learned,
        ..Options::default()
    };
    bytes.bench_function("all_pages_learned", |b| {
        b.iter(|| {
            for p in &pages {
                black_box(parse_page(black_box(&p.text), &learned));
            }
        })
    });
    bytes.finish();

    let mut per_page = c.benchmark_group("parse_pages");
    per_page
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    per_page.throughput(Throughput::Elements(1));
    for p in &pages {
        per_page.bench_with_input(BenchmarkId::from_parameter(&p.name), &p.text, |b, text| {
            b.iter(|| parse_page(black_box(text), &opts))
        });
    }
    per_page.finish();
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
