//! Batches on every core, written in input order.
//!
//! A batch (a folder of page files, a whole issue in one PDF) is read by a
//! pool of workers, one per core (rayon's pool), while the calling thread
//! writes the results in the order the inputs came. Only a few inputs per
//! worker are in flight at a time, so a batch of any size streams: what is
//! written is dropped, and what is read ahead waits in a small window.

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;

/// Inputs in flight per worker: enough that a worker finding its next input
/// slow to write still has work, few enough that memory stays a handful of
/// pages per core however long the batch.
const IN_FLIGHT_PER_WORKER: usize = 4;

/// Runs `work` on each item on the worker pool and hands the results to
/// `sink` on the calling thread, in the items' order. An error from `sink`
/// stops the batch: no new item starts, those running finish and are
/// dropped, and the error is returned. A panic in `work` is raised again
/// on the calling thread. With one worker the items run one after another
/// on the calling thread.
pub fn in_order<T, U, E>(
    items: impl IntoIterator<Item = T>,
    work: impl Fn(T) -> U + Sync,
    sink: impl FnMut(U) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    U: Send,
{
    in_order_on(rayon::current_num_threads(), items, work, sink)
}

/// [`in_order`] with `workers` threads in the pool.
fn in_order_on<T, U, E>(
    workers: usize,
    items: impl IntoIterator<Item = T>,
    work: impl Fn(T) -> U + Sync,
    mut sink: impl FnMut(U) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    U: Send,
{
    if workers < 2 {
        for item in items {
            sink(work(item))?;
        }
        return Ok(());
    }
    let window = workers * IN_FLIGHT_PER_WORKER;
    let work = &work;
    let (done_tx, done_rx) = mpsc::channel();
    // The calling thread is not one of the pool's workers: it hands out
    // items and writes, while the pool's threads read.
    rayon::in_place_scope(|scope| {
        let mut items = items.into_iter().enumerate();
        let mut started = 0usize;
        let mut written = 0usize;
        let mut ready = BTreeMap::new();
        loop {
            while started - written < window {
                let Some((i, item)) = items.next() else {
                    break;
                };
                let done_tx = done_tx.clone();
                scope.spawn(move |_| {
                    let result = panic::catch_unwind(AssertUnwindSafe(|| work(item)));
                    // The receiver is gone only once the batch has stopped.
                    let _ = done_tx.send((i, result));
                });
                started += 1;
            }
            if written == started {
                return Ok(());
            }
            // Every started item sends exactly once, and the sender here
            // stays alive, so a result is always on its way.
            let (i, result) = done_rx.recv().expect("a started item always reports");
            ready.insert(i, result);
            while let Some(result) = ready.remove(&written) {
                match result {
                    Ok(out) => sink(out)?,
                    Err(payload) => panic::resume_unwind(payload),
                }
                written += 1;
            }
        }
    })
}

/// Loads `loaders` side by side on the worker pool, each in its own task,
/// and returns at once. Used before a batch: the first pages then find the
/// models they need loaded (or loading) instead of loading them one after
/// another on a single core.
pub fn warm_up(loaders: &[fn()]) {
    for &load in loaders {
        rayon::spawn(load);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Once;
    use std::time::Duration;

    /// The tests run batches from their own thread, as the command line
    /// does from its main thread, on a global pool of three workers
    /// whatever the machine has.
    const WORKERS: usize = 3;

    fn global_pool() {
        static POOL: Once = Once::new();
        POOL.call_once(|| {
            let _ = rayon::ThreadPoolBuilder::new()
                .num_threads(WORKERS)
                .build_global();
        });
        assert_eq!(rayon::current_num_threads(), WORKERS);
    }

    #[test]
    fn results_come_in_input_order_whatever_finishes_first() {
        global_pool();
        let mut out = Vec::new();
        let items: Vec<u64> = (0..200).collect();
        in_order(
            items,
            |i| {
                // Early items take longest, so later ones finish first.
                std::thread::sleep(Duration::from_micros((200 - i) * 20));
                i * 2
            },
            |v| {
                out.push(v);
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        assert_eq!(out, (0..200).map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn work_runs_on_several_threads_and_not_on_the_writer() {
        global_pool();
        let threads = std::sync::Mutex::new(std::collections::HashSet::new());
        in_order(
            0..60,
            |_| {
                threads.lock().unwrap().insert(std::thread::current().id());
                std::thread::sleep(Duration::from_millis(2));
            },
            |()| Ok::<(), ()>(()),
        )
        .unwrap();
        let caller = std::thread::current().id();
        let threads = threads.into_inner().unwrap();
        assert!(threads.len() >= 2, "{threads:?}");
        assert!(!threads.contains(&caller), "the writer reads nothing");
    }

    #[test]
    fn a_sink_error_stops_the_batch_and_bounds_what_started() {
        global_pool();
        let started = AtomicUsize::new(0);
        let mut seen = Vec::new();
        let r = in_order(
            0..10_000,
            |i| {
                started.fetch_add(1, Ordering::SeqCst);
                i
            },
            |i| {
                seen.push(i);
                if i == 5 {
                    Err("disk full")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(r, Err("disk full"));
        assert_eq!(seen, vec![0, 1, 2, 3, 4, 5]);
        let started = started.load(Ordering::SeqCst);
        assert!(started <= 6 + WORKERS * IN_FLIGHT_PER_WORKER, "{started}");
    }

    #[test]
    fn a_panic_in_work_reaches_the_caller() {
        global_pool();
        let caught = panic::catch_unwind(|| {
            in_order(
                0..20,
                |i| {
                    if i == 7 {
                        panic!("bad page");
                    }
                    i
                },
                |_| Ok::<(), ()>(()),
            )
        });
        assert!(caught.is_err());
    }

    #[test]
    fn one_worker_runs_in_turn_on_the_caller() {
        let caller = std::thread::current().id();
        let mut out = Vec::new();
        in_order_on(
            1,
            vec!["a", "b", "c"],
            |s| {
                assert_eq!(std::thread::current().id(), caller);
                s.to_uppercase()
            },
            |s| {
                out.push(s);
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        assert_eq!(out, ["A", "B", "C"]);
    }

    #[test]
    fn an_empty_batch_ends() {
        global_pool();
        let none: Vec<u8> = Vec::new();
        assert_eq!(in_order(none, |x| x, |_| Err(())), Ok(()));
    }
}
