//! The JSON API and the server's safety rules, over real HTTP.

mod common;

use std::net::SocketAddr;
use std::sync::OnceLock;

use common::{enc, get, id, request, TempDir, CAPTION, DATE, OTHER_PAPER, PAPER, TITLE};

/// One server for all tests of this file, on an archive that lives as long
/// as the process.
fn server() -> SocketAddr {
    static SERVER: OnceLock<(SocketAddr, TempDir)> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            let dir = TempDir::for_process("api");
            let archive = common::archive(dir.path());
            (common::start(archive), dir)
        })
        .0
}

fn assert_json_error(r: &common::Response, status: u16) {
    assert_eq!(r.status, status, "{r:?}");
    assert!(
        r.header("content-type")
            .is_some_and(|t| t.starts_with("application/json")),
        "{r:?}"
    );
    let v = r.json();
    let obj = v.as_object().expect("an object");
    assert_eq!(obj.len(), 1, "{v}");
    let message = obj["error"].as_str().expect("error message");
    assert!(!message.is_empty());
    assert!(!message.contains("/tmp") && !message.contains(".sqlite"));
}

#[test]
fn search_answers_hits_and_total() {
    let addr = server();
    let r = get(addr, &format!("/api/search?q={}", enc("南水北调")));
    assert_eq!(r.status, 200, "{r:?}");
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let v = r.json();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    assert_eq!(keys.len(), 2);
    assert!(keys.contains(&"hits") && keys.contains(&"total"));
    assert_eq!(v["total"], 2, "{v}");
    let hits = v["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 2);
    for hit in hits {
        let mut keys: Vec<&str> = hit
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["date", "id", "page", "paper", "score", "snippet", "title"]
        );
        assert_eq!(hit["title"], TITLE);
        assert_eq!(hit["paper"], PAPER);
        assert_eq!(hit["date"], DATE);
        assert!(hit["score"].as_f64().unwrap() > 0.0);
        assert!(
            hit["snippet"].as_str().unwrap().contains("<b>"),
            "{}",
            hit["snippet"]
        );
    }
    let ids: Vec<&str> = hits.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&id("01", 1).as_str()) && ids.contains(&id("02", 1).as_str()));
}

#[test]
fn search_filters_and_clamps() {
    let addr = server();
    let q = enc("南水北调");
    // limit 1: one hit, the same total
    let v = get(addr, &format!("/api/search?q={q}&limit=1")).json();
    assert_eq!(
        (v["hits"].as_array().unwrap().len(), v["total"].as_u64()),
        (1, Some(2))
    );
    // a huge limit and offset are clamped, not refused
    let r = get(
        addr,
        &format!("/api/search?q={q}&limit=100000&offset=99999999999999999999"),
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.json()["hits"].as_array().unwrap().len(), 0);
    // filters
    let v = get(addr, &format!("/api/search?q={q}&paper={}", enc("别的报"))).json();
    assert_eq!(v["total"], 0);
    let v = get(
        addr,
        &format!(
            "/api/search?q={q}&paper={}&from=2024-10-01&to=2024-10-31",
            enc(PAPER)
        ),
    )
    .json();
    assert_eq!(v["total"], 2);
    let v = get(addr, &format!("/api/search?q={q}&from=2024-11-01")).json();
    assert_eq!(v["total"], 0);
    // blank text with a filter lists the issue's articles
    let v = get(addr, &format!("/api/search?q=&paper={}", enc(PAPER))).json();
    assert_eq!(v["total"], 3);
    // bad input is a JSON 400
    assert_json_error(&get(addr, &format!("/api/search?q={q}&limit=ten")), 400);
    assert_json_error(
        &get(addr, &format!("/api/search?q={q}&from=yesterday")),
        400,
    );
}

#[test]
fn hostile_queries_are_400s_and_the_server_stays_up() {
    let addr = server();
    // 800 `(` used to overflow the stack of the thread parsing them and
    // abort the server. Unencoded, they fit the request-length limit.
    let r = get(addr, &format!("/api/search?q={}", "(".repeat(800)));
    assert_json_error(&r, 400);
    let message = r.json()["error"].as_str().unwrap().to_string();
    assert!(message.contains("nested too deeply"), "{message}");
    // Other shapes (percent-encoded, all within the request-length limit):
    // nested deeper than allowed, or more groups and NOTs than allowed.
    for q in [
        format!("{}a{}", "(".repeat(33), ")".repeat(33)),
        format!("{}a", "title:(".repeat(100)),
        format!("{}a", "NOT ".repeat(300)),
        "( /)/ ".repeat(100),
        format!("a\" {}", "(".repeat(500)),
    ] {
        let r = get(addr, &format!("/api/search?q={}", enc(&q)));
        assert_json_error(&r, 400);
    }
    // The server still answers, nested queries within the limits included.
    for _ in 0..3 {
        let r = get(addr, &format!("/api/search?q={}", enc("南水北调")));
        assert_eq!(r.status, 200, "{r:?}");
        assert_eq!(r.json()["total"], 2);
    }
    let nested = enc("((南水北调 OR 生态) AND (title:南水北调 OR title:生态))");
    let r = get(addr, &format!("/api/search?q={nested}"));
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.json()["total"], 2);
    assert_eq!(get(addr, "/api/stats").status, 200);
}

#[test]
fn article_by_id_with_its_jumps() {
    let addr = server();
    let lead = id("01", 1);
    assert!(lead.contains('/') && lead.contains('%'));
    let r = get(addr, &format!("/api/articles/{lead}"));
    assert_eq!(r.status, 200, "{r:?}");
    let v = r.json();
    assert_eq!(v["id"], lead.as_str());
    assert_eq!(v["paper"], PAPER);
    assert_eq!(v["date"], DATE);
    assert_eq!(v["page"], "01");
    assert_eq!(v["continues_to_id"], id("02", 1).as_str());
    assert!(v["continued_from_id"].is_null());
    let a = &v["article"];
    assert_eq!(a["title"], TITLE);
    assert_eq!(a["captions"][0]["text"], CAPTION);
    assert_eq!(a["findings"][0]["suggestion"], "淅川");
    assert_eq!(a["paragraphs"][1]["kind"], "heading");

    // the continuation points back
    let v = get(addr, &format!("/api/articles/{}", id("02", 1))).json();
    assert_eq!(v["continued_from_id"], lead.as_str());
    assert!(v["continues_to_id"].is_null());
    // both know the whole story, in reading order
    let story = serde_json::json!([lead, id("02", 1)]);
    assert_eq!(v["story"], story);
    assert_eq!(
        get(addr, &format!("/api/articles/{lead}")).json()["story"],
        story
    );

    // words spread over the two parts find the story only when asked
    let q = format!("/api/search?q={}", common::enc("北方调水 水源区"));
    assert_eq!(get(addr, &q).json()["total"], 0);
    let v = get(addr, &format!("{q}&stories=1")).json();
    assert_eq!(v["total"], 2, "{v}");
    assert_eq!(get(addr, &format!("{q}&stories=maybe")).status, 400);

    // lowercase escapes and raw characters name the same article
    let lower = lead.to_lowercase();
    assert_eq!(
        get(addr, &format!("/api/articles/{lower}")).json()["id"],
        lead.as_str()
    );
}

#[test]
fn missing_things_are_json_404s() {
    let addr = server();
    assert_json_error(&get(addr, &format!("/api/articles/{}", id("01", 9))), 404);
    assert_json_error(&get(addr, "/api/articles/nothing"), 404);
    assert_json_error(&get(addr, "/api/articles/a/b/c/%ZZ"), 404);
    assert_json_error(
        &get(addr, &format!("/api/issues/{}/2000-01-01", enc(PAPER))),
        404,
    );
    assert_json_error(&get(addr, "/api/nothing"), 404);
    assert_json_error(&get(addr, "/nothing.html"), 404);
}

#[test]
fn issues_and_issue_detail() {
    let addr = server();
    let v = get(addr, "/api/issues").json();
    assert_eq!(
        v,
        serde_json::json!({
            "issues": [{"paper": PAPER, "date": DATE, "pages": 2, "articles": 3}],
            "total": 1,
            "limit": baozhi_server::DEFAULT_ISSUES_LIMIT,
            "offset": 0,
        })
    );
    let v = get(addr, "/api/papers").json();
    assert_eq!(
        v,
        serde_json::json!({"papers": [{"paper": PAPER, "issues": 1}]})
    );
    let r = get(addr, &format!("/api/issues/{}/{DATE}", enc(PAPER)));
    assert_eq!(r.status, 200, "{r:?}");
    let v = r.json();
    assert_eq!(v["paper"], PAPER);
    let pages = v["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0]["page"], "01");
    assert_eq!(pages[1]["page"], "02");
    assert_eq!(pages[0]["furniture"][1]["kind"], "banner");
    let first = pages[0]["articles"].as_array().unwrap();
    assert_eq!(first.len(), 2);
    assert_eq!(first[0]["id"], id("01", 1).as_str());
    assert_eq!(first[0]["column"], "要闻");
    assert_eq!(first[0]["kicker"], "渠首水质持续稳定达标");

    let v = get(addr, "/api/stats").json();
    assert_eq!(
        v,
        serde_json::json!({"papers": 1, "issues": 1, "pages": 2, "articles": 3})
    );
}

#[test]
fn a_page_picture_is_served_with_its_articles_regions() {
    let dir = TempDir::new("picture-api");
    let Some(archive) = common::picture_archive(dir.path()) else {
        return;
    };
    let addr = common::start(archive);
    let (paper, date) = (enc(common::PICTURE_PAPER), common::PICTURE_DATE);
    let v = get(addr, &format!("/api/issues/{paper}/{date}")).json();
    let page = &v["pages"][0];
    let (width, height) = (
        page["picture"]["width"].as_f64().expect("the page's width"),
        page["picture"]["height"]
            .as_f64()
            .expect("the page's height"),
    );
    assert!(width > 100.0 && height > width, "{page}");
    let articles = page["articles"].as_array().unwrap();
    assert!(!articles.is_empty());
    for a in articles {
        let boxes = a["boxes"].as_array().expect("boxes");
        assert!(!boxes.is_empty(), "{a}");
        for b in boxes {
            assert!(b["x1"].as_f64().unwrap() <= width + 0.5, "{b}");
            assert!(b["bottom"].as_f64().unwrap() <= height + 0.5, "{b}");
        }
    }

    let r = get(
        addr,
        &format!("/api/issues/{paper}/{date}/pages/01/picture"),
    );
    assert_eq!(r.status, 200, "{:?}", r.headers);
    assert_eq!(r.header("content-type"), Some("image/jpeg"));
    assert!(r.header("cache-control").is_some());
    assert_eq!(&r.bytes[..3], &[0xFF, 0xD8, 0xFF]);
    // A page without a picture, and one that is not there.
    assert_json_error(
        &get(
            addr,
            &format!("/api/issues/{paper}/{date}/pages/02/picture"),
        ),
        404,
    );
    assert_json_error(
        &get(
            addr,
            &format!("/api/issues/{paper}/1999-01-01/pages/01/picture"),
        ),
        404,
    );
}

#[test]
fn a_page_without_a_picture_has_no_picture_fields() {
    let addr = server();
    let v = get(addr, &format!("/api/issues/{}/{DATE}", enc(PAPER))).json();
    for page in v["pages"].as_array().unwrap() {
        assert!(page.get("picture").is_none(), "{page}");
        for a in page["articles"].as_array().unwrap() {
            assert!(a.get("boxes").is_none(), "{a}");
        }
    }
    assert_json_error(
        &get(
            addr,
            &format!("/api/issues/{}/{DATE}/pages/01/picture", enc(PAPER)),
        ),
        404,
    );
}

#[test]
fn only_get_without_bodies() {
    let addr = server();
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let r = request(
            addr,
            method,
            "/api/search?q=x",
            "Content-Length: 2\r\nContent-Type: application/json\r\n",
            "{}",
        );
        assert_json_error(&r, 405);
        assert_eq!(r.header("allow"), Some("GET, HEAD"));
    }
    assert_json_error(
        &request(addr, "POST", "/", "Content-Length: 0\r\n", ""),
        405,
    );
    assert_json_error(&request(addr, "OPTIONS", "/nowhere", "", ""), 405);
    // a GET that announces a body is refused
    let r = request(addr, "GET", "/api/stats", "Content-Length: 5\r\n", "hello");
    assert_json_error(&r, 413);
    let r = request(
        addr,
        "GET",
        "/api/stats",
        "Transfer-Encoding: chunked\r\n",
        "5\r\nhello\r\n0\r\n\r\n",
    );
    assert_json_error(&r, 413);
    // HEAD works, without a body
    let r = request(addr, "HEAD", "/api/stats", "", "");
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
}

#[test]
fn long_requests_are_refused() {
    let addr = server();
    let long = "南".repeat(300); // 2,700 bytes once encoded
    let r = get(addr, &format!("/api/search?q={}", enc(&long)));
    assert!((400..500).contains(&r.status), "{r:?}");
    assert_json_error(&r, 414);
    // just under the limit is fine
    let r = get(addr, &format!("/api/search?q={}", "a".repeat(2000)));
    assert_eq!(r.status, 200, "{r:?}");
}

#[test]
fn the_reader_is_served_from_memory() {
    let addr = server();
    let r = get(addr, "/");
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.body.contains(r#"<script src="/app.js""#), "{}", r.body);
    let js = get(addr, "/app.js");
    assert_eq!(js.status, 200);
    assert!(js
        .header("content-type")
        .unwrap()
        .starts_with("text/javascript"));
    assert!(!js.body.contains("innerHTML"));
    let css = get(addr, "/style.css");
    assert!(css.header("content-type").unwrap().starts_with("text/css"));

    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/assets/../Cargo.toml",
        "/assets/app.js",
        "/app.js/../../Cargo.toml",
        "/src/lib.rs",
        "/api/articles/../../../Cargo.toml",
        "//etc/passwd",
    ] {
        let r = get(addr, path);
        assert_json_error(&r, 404);
        assert!(!r.body.contains("[package]") && !r.body.contains("root:"));
    }
}

#[test]
fn every_answer_carries_the_security_headers() {
    let addr = server();
    let csp = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'";
    for r in [
        get(addr, "/"),
        get(addr, "/app.js"),
        get(addr, "/api/stats"),
        get(addr, "/api/articles/none"),
        request(addr, "POST", "/", "Content-Length: 0\r\n", ""),
        get(addr, &format!("/api/search?q={}", "a".repeat(3000))),
    ] {
        assert_eq!(r.header("content-security-policy"), Some(csp), "{r:?}");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "{r:?}");
    }
}

#[test]
fn bind_serves_an_archive_directory_and_refuses_a_missing_one() {
    let dir = TempDir::new("bind");
    drop(common::archive(dir.path()));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let missing = runtime
        .block_on(baozhi_server::bind(
            &dir.path().join("nothing-here"),
            "127.0.0.1:0".parse().unwrap(),
        ))
        .err()
        .expect("no archive there");
    assert!(missing.to_string().contains("no archive"), "{missing}");
    assert!(!dir.path().join("nothing-here").exists(), "nothing created");

    let server = runtime
        .block_on(baozhi_server::bind(
            dir.path(),
            "127.0.0.1:0".parse().unwrap(),
        ))
        .unwrap();
    let addr = server.local_addr();
    assert_ne!(addr.port(), 0);
    runtime.spawn(server.run());
    let v = get(addr, "/api/stats").json();
    assert_eq!(v["articles"], 3);
}

#[test]
fn issues_come_a_page_at_a_time() {
    let addr = server();
    // Past the end: no issues, the total still said.
    let v = get(addr, "/api/issues?limit=5&offset=1").json();
    assert_eq!(v["issues"], serde_json::json!([]), "{v}");
    assert_eq!(
        (v["total"].as_u64(), v["limit"].as_u64()),
        (Some(1), Some(5))
    );
    // Limits are clamped, offsets need not be.
    let v = get(addr, "/api/issues?limit=100000&offset=0").json();
    assert_eq!(v["limit"], baozhi_server::MAX_ISSUES_LIMIT);
    assert_eq!(v["issues"].as_array().unwrap().len(), 1);
    let v = get(addr, "/api/issues?limit=0").json();
    assert_eq!(v["limit"], 1);
    let v = get(addr, "/api/issues?offset=99999999999999999999").json();
    assert_eq!(
        (v["issues"].as_array().unwrap().len(), v["total"].as_u64()),
        (0, Some(1))
    );
    // One paper's issues.
    let v = get(addr, &format!("/api/issues?paper={}", enc(PAPER))).json();
    assert_eq!(v["total"], 1);
    assert_eq!(v["issues"][0]["date"], DATE);
    let v = get(addr, &format!("/api/issues?paper={}", enc("别的报"))).json();
    assert_eq!(
        (v["issues"].as_array().unwrap().len(), v["total"].as_u64()),
        (0, Some(0))
    );
    assert_json_error(&get(addr, "/api/issues?limit=ten"), 400);
    assert_json_error(&get(addr, "/api/issues?offset=-1"), 400);
}

/// A server of its own over [`common::trend_archive`] (the shared one
/// holds a single issue, and other tests count its articles).
fn trend_server() -> SocketAddr {
    static SERVER: OnceLock<(SocketAddr, TempDir)> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            let dir = TempDir::for_process("api-trend");
            let archive = common::trend_archive(dir.path());
            (common::start(archive), dir)
        })
        .0
}

/// `/api/trend` with these query parameters, which must answer 200.
fn trend(params: &str) -> serde_json::Value {
    let r = get(trend_server(), &format!("/api/trend?{params}"));
    assert_eq!(r.status, 200, "{r:?}");
    assert!(
        r.header("content-type")
            .is_some_and(|t| t.starts_with("application/json")),
        "{r:?}"
    );
    r.json()
}

/// A trend's periods as `(period, matches, articles)`.
fn periods(v: &serde_json::Value) -> Vec<(String, u64, u64)> {
    v["periods"]
        .as_array()
        .unwrap_or_else(|| panic!("no periods in {v}"))
        .iter()
        .map(|p| {
            (
                p["period"].as_str().unwrap().to_string(),
                p["matches"].as_u64().unwrap(),
                p["articles"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn owned(rows: &[(&str, u64, u64)]) -> Vec<(String, u64, u64)> {
    rows.iter()
        .map(|&(p, m, a)| (p.to_string(), m, a))
        .collect()
}

#[test]
fn trend_counts_matches_and_articles_per_year() {
    let q = enc("南水北调");
    let v = trend(&format!("q={q}&by=year"));
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["by", "periods", "query"]);
    assert_eq!(
        (v["query"].as_str(), v["by"].as_str()),
        (Some("南水北调"), Some("year"))
    );
    // Empty years between are listed; the traditional 南水北調 of 2023
    // matches; the undated article is in no year.
    assert_eq!(
        periods(&v),
        owned(&[
            ("2019", 1, 1),
            ("2020", 0, 0),
            ("2021", 0, 0),
            ("2022", 1, 3),
            ("2023", 1, 1),
            ("2024", 2, 3),
        ])
    );
    // Nearly five years: without `by` it is by year too.
    let v = trend(&format!("q={q}"));
    assert_eq!(v["by"], "year");
    assert_eq!(periods(&v).len(), 6);
    // One paper: its articles only, in the same years.
    let v = trend(&format!("q={q}&by=year&paper={}", enc(PAPER)));
    assert_eq!(
        periods(&v),
        owned(&[
            ("2019", 1, 1),
            ("2020", 0, 0),
            ("2021", 0, 0),
            ("2022", 1, 3),
            ("2023", 0, 0),
            ("2024", 2, 3),
        ])
    );
}

#[test]
fn trend_by_month_within_dates() {
    let q = enc("南水北调");
    let v = trend(&format!("q={q}&by=month&from=2022-01-01&to=2022-12-31"));
    assert_eq!(v["by"], "month");
    assert_eq!(
        periods(&v),
        owned(&[
            ("2022-03", 1, 2),
            ("2022-04", 0, 0),
            ("2022-05", 0, 0),
            ("2022-06", 0, 0),
            ("2022-07", 0, 0),
            ("2022-08", 0, 0),
            ("2022-09", 0, 0),
            ("2022-10", 0, 0),
            ("2022-11", 0, 1),
        ])
    );
    // From 2022 on the periods span 32 months: by month without asking.
    let v = trend(&format!("q={q}&from=2022-01-01"));
    assert_eq!(v["by"], "month");
    let rows = periods(&v);
    assert_eq!(rows.len(), 32, "{rows:?}");
    assert_eq!(rows[0], ("2022-03".to_string(), 1, 2));
    assert_eq!(rows[15], ("2023-06".to_string(), 1, 1));
    assert_eq!(rows[31], ("2024-10".to_string(), 2, 3));
    let (matches, articles) = rows.iter().fold((0, 0), |(m, a), r| (m + r.1, a + r.2));
    assert_eq!((matches, articles), (4, 7));
}

#[test]
fn trend_of_blank_and_missing_words() {
    // Blank text matches every dated article: the share is 1 wherever
    // there are articles.
    let v = trend(&format!("q=&by=year&paper={}", enc(OTHER_PAPER)));
    assert_eq!(periods(&v), owned(&[("2023", 1, 1)]));
    // A word found nowhere: the archive's years, all without matches.
    let v = trend(&format!("q={}&by=year", enc("长江大桥")));
    let rows = periods(&v);
    assert_eq!(rows.len(), 6, "{rows:?}");
    assert!(rows.iter().all(|r| r.1 == 0), "{rows:?}");
    assert_eq!(rows.iter().map(|r| r.2).sum::<u64>(), 8);
    // Dates holding no article: no periods.
    let v = trend(&format!("q={}&from=2030-01-01", enc("南水北调")));
    assert_eq!(v["periods"], serde_json::json!([]), "{v}");
}

#[test]
fn trend_refuses_what_search_refuses() {
    let addr = trend_server();
    let q = enc("南水北调");
    for target in [
        format!("/api/trend?q={q}&by=week"),
        format!("/api/trend?q={q}&from=yesterday"),
        format!("/api/trend?q={q}&to=2024-02-30"),
        format!("/api/trend?q={}", enc("date:*")),
    ] {
        let r = get(addr, &target);
        assert_json_error(&r, 400);
    }
    let r = get(addr, &format!("/api/trend?q={q}&by=week"));
    assert!(r.json()["error"]
        .as_str()
        .unwrap()
        .contains("month or year"));
    // The hostile shapes of the search tests.
    let r = get(addr, &format!("/api/trend?q={}", "(".repeat(800)));
    assert_json_error(&r, 400);
    assert!(r.json()["error"]
        .as_str()
        .unwrap()
        .contains("nested too deeply"));
    for q in [
        format!("{}a", "title:(".repeat(100)),
        format!("{}a", "NOT ".repeat(300)),
        "( /)/ ".repeat(100),
    ] {
        assert_json_error(&get(addr, &format!("/api/trend?q={}", enc(&q))), 400);
    }
    // Still answering.
    assert_eq!(trend(&format!("q={q}&by=year"))["periods"][5]["matches"], 2);
}
