//! Time parse + proofread over pages (a profiling aid).
fn main() {
    let pages: Vec<String> = std::env::args()
        .skip(1)
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let opts = baozhi_layout::Options::default();
    // ROUNDS=N passes over the pages (default 20); models load before timing
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    // one untimed pass loads every lazily built resource
    for p in &pages {
        for a in baozhi_layout::parse_page(p, &opts).articles {
            baozhi_proof::proofread(&a);
        }
    }
    let t = std::time::Instant::now();
    let n = timed_rounds(&pages, &opts, rounds);
    let bytes: usize = pages.iter().map(String::len).sum::<usize>() * rounds;
    eprintln!(
        "{n} findings, {:.1} MB/s",
        bytes as f64 / t.elapsed().as_secs_f64() / 1e6
    );
}

/// The measured passes, in a function of their own so that a profiler can
/// collect them alone (`valgrind --tool=callgrind --collect-atstart=no
/// --toggle-collect='prooftime::timed_rounds'`).
#[inline(never)]
fn timed_rounds(pages: &[String], opts: &baozhi_layout::Options, rounds: usize) -> usize {
    let proof = std::env::var_os("NO_PROOF").is_none();
    let mut n = 0;
    for _ in 0..rounds {
        for p in pages {
            for a in baozhi_layout::parse_page(p, opts).articles {
                if proof {
                    n += baozhi_proof::proofread(&a).len();
                }
            }
        }
    }
    n
}
