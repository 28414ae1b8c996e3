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
    // The story read as one: both parts listed in order, this one marked,
    // the continuation's text below the article.
    let story = &page[page
        .find("<section class=\"story\"")
        .unwrap_or_else(|| panic!("no story in {page}"))..];
    assert!(story.contains("全篇（分 2 处刊出）"), "{story}");
    let this = story.find("第 01 版（本篇）").expect("this part marked");
    let next = story
        .find(&format!(
            "<a href=\"#/article/{}\">第 02 版 {TITLE}</a>",
            id("02", 1)
        ))
        .unwrap_or_else(|| panic!("the next part linked: {story}"));
    assert!(this < next, "{story}");
    assert!(story.contains("续 · 第 02 版"), "{story}");
    assert!(
        story.contains("水源区群众增收致富的路子越走越宽"),
        "{story}"
    );

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

#[test]
fn page_picture_with_article_regions_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        println!("skipped: chromium not installed (apt-get install -y chromium)");
        return;
    };
    let dir = TempDir::new("picture-e2e");
    let Some(archive) = common::picture_archive(dir.path()) else {
        return;
    };
    let addr = common::start(archive);
    let paper = enc(common::PICTURE_PAPER);
    let url = format!("http://{addr}/#/issue/{paper}/{}", common::PICTURE_DATE);
    let dom = dump_dom(&chromium, &url);
    let page = main_of(&dom);
    // The picture loaded (the reader drops a picture that fails to load)…
    let figure = &page[page
        .find("<div class=\"page-picture\">")
        .unwrap_or_else(|| panic!("no page picture in {page}"))..];
    assert!(
        figure.contains(&format!(
            "src=\"/api/issues/{paper}/{}/pages/01/picture\"",
            common::PICTURE_DATE
        )),
        "{figure}"
    );
    assert!(!page.contains("版面图无法载入"), "{page}");
    // …with a link over each article's region, placed in shares of the
    // page, to the article.
    let regions: Vec<&str> = figure
        .match_indices("<a class=\"region\"")
        .map(|(at, _)| &figure[at..at + figure[at..].find('>').unwrap()])
        .collect();
    assert!(!regions.is_empty(), "{figure}");
    for r in &regions {
        assert!(r.contains("href=\"#/article/"), "{r}");
        assert!(r.contains("left:") && r.contains("%"), "{r}");
    }

    // The article, opened from its region, shows where it was printed: the
    // same picture with its own regions marked.
    let href = regions[0]
        .split("href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a region's link");
    let dom = dump_dom(&chromium, &format!("http://{addr}/{href}"));
    let page = main_of(&dom);
    let printed = &page[page
        .find("<details class=\"printed\">")
        .unwrap_or_else(|| panic!("no 版面位置 in {page}"))..];
    assert!(printed.contains("版面位置"), "{printed}");
    assert!(printed.contains("/pages/01/picture\""), "{printed}");
    assert!(printed.contains("<span class=\"region here\""), "{printed}");
}

/// The trend chart's SVG in a dumped page.
fn trend_chart(page: &str) -> &str {
    let start = page
        .find("<svg class=\"trend-chart\"")
        .unwrap_or_else(|| panic!("no trend chart in {page}"));
    let end = page[start..].find("</svg>").expect("the chart's end") + start;
    &page[start..end]
}

/// What each bar of a chart says (its `<title>`) and its height, in order.
fn bars(chart: &str) -> Vec<(String, f64)> {
    chart
        .split("<g class=\"period")
        .skip(1)
        .map(|g| {
            let title = g
                .split_once("<title>")
                .and_then(|(_, rest)| rest.split_once("</title>"))
                .map(|(t, _)| t.to_string())
                .unwrap_or_else(|| panic!("a bar without a title: {g}"));
            let bar = &g[g.find("class=\"bar\"").expect("a bar")..];
            let height = bar
                .split_once("height=\"")
                .and_then(|(_, rest)| rest.split_once('"'))
                .and_then(|(h, _)| h.parse().ok())
                .unwrap_or_else(|| panic!("a bar without a height: {bar}"));
            (title, height)
        })
        .collect()
}

#[test]
fn trend_chart_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        println!("skipped: chromium not installed (apt-get install -y chromium)");
        return;
    };
    let dir = TempDir::new("e2e-trend");
    let addr = common::start(common::trend_archive(dir.path()));
    let search = format!("http://{addr}/#/search?q={}", enc("南水北调"));

    // By year: six years, the empty ones included, each bar the share of
    // its year's articles (see common::trend_documents).
    let dom = dump_dom(&chromium, &format!("{search}&by=year"));
    let page = main_of(&dom);
    assert!(page.contains("共 6 条结果"), "{page}"); // the undated one too
    let chart = trend_chart(page);
    assert!(
        chart.contains("role=\"img\"")
            && chart.contains("aria-labelledby=\"trend-title trend-desc\""),
        "{chart}"
    );
    assert!(
        chart.contains("<title id=\"trend-title\">「南水北调」各年所占文章比例</title>"),
        "{chart}"
    );
    assert!(
        chart.contains("比例最高：2019：1 / 1 篇（100.0%）"),
        "{chart}"
    );
    let year_bars = bars(chart);
    let titles: Vec<&str> = year_bars.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        titles,
        [
            "2019：1 / 1 篇（100.0%）",
            "2020：无文章",
            "2021：无文章",
            "2022：1 / 3 篇（33.3%）",
            "2023：1 / 1 篇（100.0%）",
            "2024：2 / 3 篇（66.7%）",
        ]
    );
    // Heights follow the shares, not the counts: 2022's one match of three
    // stands a third as high as 2019's one of one, 2024's two of three
    // twice that.
    let h: Vec<f64> = year_bars.iter().map(|(_, h)| *h).collect();
    assert!(h[0] > 0.0 && h[0] == h[4], "{h:?}");
    assert!(h[1] == 0.0 && h[2] == 0.0, "{h:?}");
    assert!((h[3] * 3.0 - h[0]).abs() < 0.01, "{h:?}");
    assert!((h[5] - 2.0 * h[3]).abs() < 0.01, "{h:?}");
    assert!(
        page.contains("aria-pressed=\"true\">按年</button>"),
        "{page}"
    );
    assert!(
        page.contains("aria-pressed=\"false\">按月</button>"),
        "{page}"
    );
    // The numbers as a table, a year with articles linking to the search
    // within it.
    assert!(page.contains("<summary>数据表</summary>"), "{page}");
    assert!(
        page.contains(&format!(
            "href=\"#/search?q={}&amp;from=2022-01-01&amp;to=2022-12-31\">2022</a>",
            enc("南水北调")
        )),
        "{page}"
    );

    // By month within 2022: March to November.
    let dom = dump_dom(
        &chromium,
        &format!("{search}&by=month&from=2022-01-01&to=2022-12-31"),
    );
    let page = main_of(&dom);
    let month_bars = bars(trend_chart(page));
    assert_eq!(month_bars.len(), 9, "{month_bars:?}");
    assert_eq!(month_bars[0].0, "2022-03：1 / 2 篇（50.0%）");
    assert_eq!(month_bars[4].0, "2022-07：无文章");
    assert_eq!(month_bars[8].0, "2022-11：0 / 1 篇（0.0%）");
    assert_eq!(month_bars[8].1, 0.0);
    assert!(
        page.contains("aria-pressed=\"true\">按月</button>"),
        "{page}"
    );

    // Without `by` the server chooses: nearly five years are by year.
    let dom = dump_dom(&chromium, &search);
    let page = main_of(&dom);
    assert_eq!(bars(trend_chart(page)).len(), 6);
    assert!(
        page.contains("aria-pressed=\"true\">按年</button>"),
        "{page}"
    );
}
