//! The web reader in a real browser: headless Chromium loads the reader
//! from the real server and the test reads the DOM it dumps.
//!
//! Skipped (with a message) when Chromium is not installed; CI installs it
//! with `apt-get install -y chromium`.

mod common;

use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{enc, id, TempDir, CAPTION, CREDIT, TITLE};

/// How long one Chromium run may take before it is killed.
const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(60);

fn chromium() -> Option<PathBuf> {
    let fixed = Path::new("/usr/bin/chromium");
    if fixed.is_file() {
        return Some(fixed.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|p| p.is_file())
}

/// The DOM of `url` after its scripts ran (within 5 s of virtual time).
fn dump_dom(chromium: &Path, url: &str) -> String {
    let profile = TempDir::new("chromium-profile");
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--virtual-time-budget=5000", "--dump-dom", url])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break status;
        }
        if started.elapsed() > CHROMIUM_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium did not finish within {CHROMIUM_TIMEOUT:?} on {url}; stderr:\n{}",
                err.join().unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let dom = out.join().unwrap_or_default();
    let log = err.join().unwrap_or_default();
    assert!(
        status.success() && dom.contains("</html>"),
        "chromium failed ({status}) on {url}; stderr:\n{log}\nstdout:\n{dom}"
    );
    dom
}

/// The text of the `<main>` element of a dumped page.
fn main_of(dom: &str) -> &str {
    let start = dom.find("<main").expect("a <main>");
    let end = dom[start..]
        .find("</main>")
        .map_or(dom.len(), |e| start + e);
    &dom[start..end]
}

fn serve() -> (SocketAddr, TempDir) {
    let dir = TempDir::new("e2e");
    let archive = common::archive(dir.path());
    (common::start(archive), dir)
}

#[test]
fn reader_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        println!("skipped: chromium not installed (apt-get install -y chromium)");
        return;
    };
    let (addr, _dir) = serve();
    let base = format!("http://{addr}/");

    // Search: results with titles and highlighted snippets.
    let dom = dump_dom(&chromium, &format!("{base}#/search?q={}", enc("南水北调")));
    let page = main_of(&dom);
    assert!(page.contains(TITLE), "{page}");
    assert!(page.contains("<b>"), "{page}");
    assert!(page.contains("共 2 条结果"), "{page}");
    let lead = id("01", 1);
    assert!(
        page.contains(&format!("href=\"#/article/{lead}\"")),
        "{page}"
    );

    // An article: paragraphs, heading, caption with credit, the finding
    // marked at the right place (after an astral character), the jump.
    let dom = dump_dom(&chromium, &format!("{base}#/article/{lead}"));
    let page = main_of(&dom);
    assert!(page.contains(&format!("<h1>{TITLE}</h1>")), "{page}");
    assert!(page.contains("<h3>一、工程进展</h3>"), "{page}");
    assert!(page.contains("确保一泓清水永续北上"), "{page}");
    assert!(page.contains(CAPTION) && page.contains(CREDIT), "{page}");
    assert!(
        page.contains(
            "𠮷记者从<mark class=\"finding kind-glyph\" title=\"淅川县 in the gazetteer; 浙川 unknown\">浙川</mark><ins title=\"建议\">淅川</ins>县获悉"
        ),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "<a href=\"#/article/{}\">下转02版</a>",
            id("02", 1)
        )),
        "{page}"
    );
    assert!(page.contains("本报记者 张兰 李明"), "{page}");

    // The issue: both pages, furniture, article links.
    let dom = dump_dom(
        &chromium,
        &format!("{base}#/issue/{}/{}", enc(common::PAPER), common::DATE),
    );
    let page = main_of(&dom);
    assert!(
        page.contains("第 01 版") && page.contains("第 02 版"),
        "{page}"
    );
    assert!(page.contains("奋进新征程 建功新时代"), "{page}");
    assert!(page.contains("秋粮收购有序开展"), "{page}");

    // The front page lists the paper and its issue.
    let page_dom = dump_dom(&chromium, &base);
    let page = main_of(&page_dom);
    assert!(
        page.contains(common::PAPER) && page.contains(common::DATE),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "href=\"#/issue/{}/{}\"",
            enc(common::PAPER),
            common::DATE
        )),
        "{page}"
    );
}
