//! Load generator: builds an archive of about N articles from copies of the
//! real pages in `shared/pages/dev` (each copy under another paper name and
//! date), then reports ingest speed, size on disk, search latency and the
//! latency of term counts over time (`Archive::trend`).
//!
//! ```text
//! cargo run --release -p baozhi-archive --example loadgen -- 100000 [DIR] [PAGES]
//! ```
//!
//! DIR defaults to a fresh directory under the temp dir (removed at the
//! end unless given); PAGES to `/work/shared/pages/dev` (`*.txt` page text
//! and `*.json` documents).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use baozhi_archive::{Archive, SearchQuery, TrendBy, TrendQuery};
use baozhi_model::Document;

/// Articles per commit: large batches are what `ingest_path` does too.
const BATCH_ARTICLES: usize = 5_000;
/// Copies share a paper name in groups of this many, so issues hold
/// several pages and papers many issues.
const PAPERS: usize = 16;
/// The slowest searches listed after the percentiles: what to look at.
const SLOWEST_SHOWN: usize = 8;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .expect("usage: loadgen N [DIR] [PAGES]");
    let given_dir = args.next().map(PathBuf::from);
    let pages_dir = args
        .next()
        .map_or_else(|| PathBuf::from("/work/shared/pages/dev"), PathBuf::from);
    let dir = given_dir.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("baozhi-loadgen-{}", std::process::id()))
    });
    // N = 0 with a DIR measures the archive already there: the searches of
    // one large archive compare across changes without ingesting it again.
    let reuse = n == 0 && given_dir.is_some() && dir.join("archive.sqlite").exists();
    if dir.exists() && !reuse {
        std::fs::remove_dir_all(&dir).expect("clear the archive directory");
    }

    let base = base_documents(&pages_dir);
    let per_copy: usize = base.iter().map(|d| d.articles.len()).sum();
    assert!(per_copy > 0, "no articles in {}", pages_dir.display());
    println!(
        "base: {} documents, {per_copy} articles from {}",
        base.len(),
        pages_dir.display()
    );

    if !reuse {
        ingest(&dir, &base, n);
    }
    measure(&dir, &base);
    if given_dir.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Copies of the base documents into a new archive until it holds `n`
/// articles; reports the speed and size.
fn ingest(dir: &Path, base: &[Document], n: usize) {
    let started = Instant::now();
    let mut archive = Archive::open(dir).expect("open archive");
    let mut articles = 0;
    let mut since_commit = 0;
    let mut copy = 0;
    while articles < n {
        for doc in base {
            let mut d = doc.clone();
            let paper = doc.paper.as_deref().unwrap_or("样报");
            d.paper = Some(format!("{paper}{}", copy % PAPERS));
            d.date = Some(shift_date(
                doc.date.as_deref().unwrap_or("2000-01-01"),
                (copy / PAPERS) as i64,
            ));
            let s = archive.ingest_document(&d).expect("ingest");
            articles += s.articles;
            since_commit += s.articles;
        }
        copy += 1;
        if since_commit >= BATCH_ARTICLES {
            archive.commit().expect("commit");
            since_commit = 0;
        }
    }
    archive.commit().expect("commit");
    let ingest = started.elapsed();
    let merge_start = Instant::now();
    archive.close().expect("close");
    let merge = merge_start.elapsed();
    let total_time = started.elapsed();

    let stats = Archive::open(dir).expect("reopen").stats().expect("stats");
    let db_bytes = dir_size(&dir.join("archive.sqlite"))
        + dir_size(&dir.join("archive.sqlite-wal"))
        + dir_size(&dir.join("archive.sqlite-shm"));
    let index_bytes = dir_size(&dir.join("index"));
    println!(
        "ingested {} articles ({} pages, {} issues, {} papers) in {:.1} s + {:.1} s final merge: {:.0} articles/s ({:.0} incl. merge)",
        stats.articles,
        stats.pages,
        stats.issues,
        stats.papers,
        ingest.as_secs_f64(),
        merge.as_secs_f64(),
        stats.articles as f64 / ingest.as_secs_f64(),
        stats.articles as f64 / total_time.as_secs_f64(),
    );
    let per_k = |b: u64| b as f64 / (stats.articles as f64 / 1000.0) / 1_048_576.0;
    println!(
        "on disk: {:.1} MiB database + {:.1} MiB index = {:.2} MiB per 1,000 articles ({:.2} + {:.2})",
        db_bytes as f64 / 1_048_576.0,
        index_bytes as f64 / 1_048_576.0,
        per_k(db_bytes + index_bytes),
        per_k(db_bytes),
        per_k(index_bytes),
    );
}

/// Reopens the archive and times searches and term counts over time.
fn measure(dir: &Path, base: &[Document]) {
    let open_start = Instant::now();
    let archive = Archive::open(dir).expect("reopen");
    let open = open_start.elapsed();
    println!("reopen: {:.0} ms", open.as_secs_f64() * 1000.0);

    // LOADGEN_QUERIES="a|b" times only these searches (each five times,
    // the best shown): for looking into one slow search.
    if let Ok(only) = std::env::var("LOADGEN_QUERIES") {
        for q in only.split('|') {
            let mut best = Duration::MAX;
            let mut total = 0;
            for _ in 0..5 {
                let t = Instant::now();
                total = archive.search(&SearchQuery::new(q)).expect("search").total;
                best = best.min(t.elapsed());
            }
            println!("{:.1} ms {q} ({total} matches)", ms(best));
        }
        return;
    }
    // Search.
    let queries = queries(base, 200);
    // Kept beside the archive, for timing the same searches over HTTP
    // (`scripts/search-latency.py`).
    let listed: String = queries.iter().map(|(_, q)| format!("{q}\n")).collect();
    std::fs::write(dir.join("queries.txt"), listed).expect("write queries.txt");
    let mut times = Vec::with_capacity(queries.len());
    let mut hits_total = 0usize;
    let mut empty: Vec<&str> = Vec::new();
    let mut slowest: Vec<(Duration, &str, &str, usize)> = Vec::new();
    for (kind, q) in &queries {
        let t = Instant::now();
        let r = archive
            .search(&SearchQuery::new(q.as_str()))
            .expect("search");
        times.push(t.elapsed());
        slowest.push((t.elapsed(), kind, q, r.total));
        hits_total += r.total;
        if r.hits.is_empty() {
            empty.push(q);
            println!("no hits ({kind}): {q}");
        }
    }
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "search: {} queries (top 10 with snippets): p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms; mean {:.0} matches, {} with none",
        times.len(),
        ms(pct(0.50)),
        ms(pct(0.95)),
        ms(*times.last().unwrap()),
        hits_total as f64 / times.len() as f64,
        empty.len(),
    );
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (t, kind, q, total) in slowest.iter().take(SLOWEST_SHOWN) {
        println!("  slow: {:.1} ms {kind} {q} ({total} matches)", ms(*t));
    }
    // Term frequency over time for the same texts: matches and articles
    // per month, then per year.
    for by in [TrendBy::Month, TrendBy::Year] {
        let mut times = Vec::with_capacity(queries.len());
        let mut periods = 0;
        for (_, q) in &queries {
            let t = Instant::now();
            let trend = archive
                .trend(&TrendQuery {
                    by: Some(by),
                    ..TrendQuery::new(q.as_str())
                })
                .expect("trend");
            times.push(t.elapsed());
            periods = trend.periods.len();
        }
        times.sort();
        let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
        println!(
            "trend by {}: {} queries, {periods} periods: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
            by.as_str(),
            times.len(),
            ms(pct(0.50)),
            ms(pct(0.95)),
            ms(*times.last().unwrap()),
        );
    }
    let shown: Vec<&str> = queries.iter().take(8).map(|(_, q)| q.as_str()).collect();
    println!("example queries: {shown:?}");
    let q = &queries[0].1;
    let r = archive
        .search(&SearchQuery::new(q.as_str()))
        .expect("search");
    if let Some(h) = r.hits.first() {
        println!(
            "first hit for {q:?}: {} | {} {} {} | {}",
            h.title, h.paper, h.date, h.page, h.snippet
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The pages to copy: `*.txt` parsed with the engine (page and date from
/// the file name), `*.json` as documents.
fn base_documents(dir: &Path) -> Vec<Document> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read pages dir")
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let mut docs = Vec::new();
    for p in paths {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".txt") {
            let page = baozhi_ingest::read_page(&p, baozhi_ingest::EncodingChoice::Auto)
                .expect("decode page");
            let d = baozhi_pipeline::Pipeline::default().document(Some(&p), &page.into());
            docs.push(d);
        } else if name.ends_with(".json") {
            let text = std::fs::read_to_string(&p).unwrap();
            docs.push(serde_json::from_str(&text).expect("baozhi/1 json"));
        }
    }
    docs
}

/// About `n` queries from the pages' own words: single words, two words of
/// one article (both required) and two-word phrases, picked by a fixed
/// pseudo-random sequence so runs compare. Returned with their kind.
fn queries(docs: &[Document], n: usize) -> Vec<(&'static str, String)> {
    let jieba = jieba_rs::Jieba::new();
    let cjk = |s: &str| s.chars().count() >= 2 && s.chars().all(|c| c > '\u{2e80}');
    // Per article: its words, and its pairs of adjacent words.
    let mut articles: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for d in docs {
        for a in &d.articles {
            let body = a.body_text();
            let toks: Vec<&str> = jieba.cut(&body, false).iter().map(|t| t.word).collect();
            let words: Vec<String> = toks
                .iter()
                .filter(|w| cjk(w))
                .map(|w| w.to_string())
                .collect();
            let pairs: Vec<String> = toks
                .windows(2)
                .filter(|w| cjk(w[0]) && cjk(w[1]))
                .map(|w| format!("{}{}", w[0], w[1]))
                .collect();
            if !pairs.is_empty() {
                articles.push((words, pairs));
            }
        }
    }
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |len: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize % len
    };
    (0..n)
        .map(|i| {
            let (words, pairs) = &articles[next(articles.len())];
            match i % 4 {
                0 | 1 => ("word", words[next(words.len())].clone()),
                2 => (
                    "two words",
                    format!("{} {}", words[next(words.len())], words[next(words.len())]),
                ),
                _ => ("phrase", format!("\"{}\"", pairs[next(pairs.len())])),
            }
        })
        .collect()
}

/// `YYYY-MM-DD` plus `days`.
fn shift_date(date: &str, days: i64) -> String {
    let y: i64 = date[0..4].parse().unwrap_or(2000);
    let m: i64 = date[5..7].parse().unwrap_or(1);
    let d: i64 = date[8..10].parse().unwrap_or(1);
    let (y, m, d) = civil_from_days(days_from_civil(y, m, d) + days);
    format!("{y:04}-{m:02}-{d:02}")
}

// Howard Hinnant's date algorithms.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

fn dir_size(path: &Path) -> u64 {
    let Ok(meta) = std::fs::metadata(path) else {
        return 0;
    };
    if meta.is_file() {
        return meta.len();
    }
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| dir_size(&e.path()))
                .sum()
        })
        .unwrap_or(0)
}
