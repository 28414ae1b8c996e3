//! The OpenSearch bulk file and index template: a schema test that always
//! runs (every action is well formed, every document field is mapped with
//! a type that takes its value, the analyzer is the one documented), and a
//! load into a real OpenSearch when `OPENSEARCH_URL` is set (say
//! `http://localhost:9200`, security off or `http://user:password@…`):
//! the template and the bulk file go in, and a phrase of two characters
//! from inside a title finds that article.

mod common;

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use baozhi_export::opensearch::{template, write_bulk, DEFAULT_INDEX};
use baozhi_export::{epoch_day, ArticleRow};
use baozhi_model::{Article, Byline, Caption, Finding, FindingField, FindingKind};
use common::parse_example;
use serde_json::{json, Map, Value};

/// Articles to export: the examples' (a text page and a PDF page), and
/// one with what they lack (findings, an undated page, full-width Latin).
struct Fixture {
    articles: Vec<Placed>,
}

/// An article with its page context, owned.
struct Placed {
    id: String,
    paper: Option<String>,
    date: Option<String>,
    page: Option<String>,
    article: Article,
}

impl Fixture {
    fn new() -> Fixture {
        let mut articles = Vec::new();
        for name in ["jiangcheng-2025-05-06-p01.txt", "shili-2026-03-12-p01.pdf"] {
            for p in parse_example(name) {
                let page = p.doc.pages[0].page.clone();
                for (n, a) in p.doc.articles.into_iter().enumerate() {
                    let id = format!("{name}/{}", n + 1);
                    articles.push(Placed {
                        id,
                        paper: p.doc.paper.clone(),
                        date: p.doc.date.clone(),
                        page: page.clone(),
                        article: a,
                    });
                }
            }
        }
        let mut odd = Article::new("A3-1".into(), Some("A3".into()), "新ＡＩ模型发布".into());
        odd.bylines = vec![Byline {
            role: None,
            names: vec!["丁一".into()],
        }];
        odd.captions = vec![Caption {
            text: "发布会现场".into(),
            credit: Some("某某摄".into()),
        }];
        odd.marks = vec!["★".into()];
        odd.findings = Some(vec![Finding {
            field: FindingField::Title,
            paragraph: None,
            start: 0,
            end: 1,
            original: "新".into(),
            suggestion: None,
            confidence: 0.3,
            kind: FindingKind::Other,
            evidence: "test".into(),
        }]);
        articles.push(Placed {
            id: "odd/1".into(),
            paper: None,
            date: Some("undated".into()),
            page: Some("A3".into()),
            article: odd,
        });
        Fixture { articles }
    }

    fn rows(&self) -> Vec<ArticleRow<'_>> {
        self.articles
            .iter()
            .map(|p| ArticleRow {
                id: &p.id,
                paper: p.paper.as_deref(),
                date: p.date.as_deref(),
                page: p.page.as_deref(),
                article: &p.article,
            })
            .collect()
    }

    fn bulk(&self, index: &str) -> String {
        let mut out = Vec::new();
        for row in self.rows() {
            write_bulk(&row, index, &mut out).unwrap();
        }
        String::from_utf8(out).expect("UTF-8")
    }
}

/// Whether `value` fits the field mapping `mapping`; why not, when not.
/// Arrays are a field's values (OpenSearch has no array type); null is
/// no value and fits anything.
fn check_value(path: &str, value: &Value, mapping: &Value) -> Result<(), String> {
    let kind = mapping["type"].as_str().unwrap_or("object");
    match value {
        Value::Null => Ok(()),
        Value::Array(items) => items.iter().try_for_each(|v| check_value(path, v, mapping)),
        Value::Object(fields) => match kind {
            "object" if mapping["enabled"] == json!(false) => Ok(()),
            "object" | "nested" => check_object(path, fields, &mapping["properties"]),
            other => Err(format!("{path}: an object, mapped as {other}")),
        },
        Value::String(s) => match kind {
            "text" | "keyword" => Ok(()),
            "date" => {
                assert_eq!(mapping["format"], "strict_date", "{path}");
                epoch_day(s)
                    .map(|_| ())
                    .ok_or_else(|| format!("{path}: {s:?} is not a strict_date (YYYY-MM-DD)"))
            }
            other => Err(format!("{path}: a string, mapped as {other}")),
        },
        Value::Number(_) => match kind {
            "long" | "integer" | "short" | "float" | "double" | "scaled_float" => Ok(()),
            other => Err(format!("{path}: a number, mapped as {other}")),
        },
        Value::Bool(_) => match kind {
            "boolean" => Ok(()),
            other => Err(format!("{path}: a boolean, mapped as {other}")),
        },
    }
}

fn check_object(path: &str, fields: &Map<String, Value>, properties: &Value) -> Result<(), String> {
    for (name, value) in fields {
        let here = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}.{name}")
        };
        let mapping = properties
            .get(name)
            .ok_or_else(|| format!("{here} is not mapped in the template"))?;
        check_value(&here, value, mapping)?;
    }
    Ok(())
}

/// The analyzers the template's text fields name, all levels down.
fn text_analyzers(properties: &Value, out: &mut HashSet<String>) {
    for mapping in properties.as_object().unwrap().values() {
        if mapping["type"] == "text" {
            out.insert(
                mapping["analyzer"]
                    .as_str()
                    .expect("a text field names its analyzer")
                    .to_string(),
            );
        }
        if mapping.get("properties").is_some() {
            text_analyzers(&mapping["properties"], out);
        }
    }
}

#[test]
fn bulk_documents_fit_the_template() {
    let fixture = Fixture::new();
    let index = "papers-test";
    let bulk = fixture.bulk(index);
    let t: Value = serde_json::from_str(&template(index)).expect("the template is JSON");
    assert_eq!(t["index_patterns"], json!([index]));
    let mappings = &t["template"]["mappings"];
    assert_eq!(mappings["dynamic"], "strict", "unmapped fields are refused");
    let properties = &mappings["properties"];

    let lines: Vec<&str> = bulk.lines().collect();
    assert!(bulk.ends_with('\n'), "the bulk API wants a final newline");
    assert_eq!(
        lines.len(),
        2 * fixture.articles.len(),
        "an action and a document each"
    );
    let mut ids = HashSet::new();
    let mut dated = 0;
    for (pair, Placed { id, .. }) in lines.chunks(2).zip(&fixture.articles) {
        let action: Value = serde_json::from_str(pair[0]).expect("the action is JSON");
        let doc: Value = serde_json::from_str(pair[1]).expect("the document is JSON");
        assert_eq!(action.as_object().unwrap().len(), 1, "{action}");
        assert_eq!(action["index"]["_index"], index);
        assert_eq!(action["index"]["_id"], id.as_str());
        assert!(ids.insert(id.clone()), "{id} twice");
        assert_eq!(doc["id"], id.as_str());
        check_object("", doc.as_object().expect("an object"), properties)
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        dated += usize::from(doc["date"].is_string());
    }
    assert_eq!(
        dated,
        fixture.articles.len() - 1,
        "only the undated page has no date"
    );
    assert!(
        bulk.contains("\"findings\":[{"),
        "the findings are in a document"
    );

    // Every text field is analyzed by the analyzer the README describes.
    let mut used = HashSet::new();
    text_analyzers(properties, &mut used);
    assert_eq!(used, HashSet::from(["baozhi_chinese".to_string()]));
    for field in ["title", "text", "kicker", "subtitle", "dateline"] {
        assert_eq!(properties[field]["type"], "text", "{field}");
    }
    assert_eq!(properties["captions"]["properties"]["text"]["type"], "text");
    for field in ["paper", "page", "id", "article_id"] {
        assert_eq!(properties[field]["type"], "keyword", "{field}");
    }
    assert_eq!(properties["date"]["type"], "date");
    let analysis = &t["template"]["settings"]["analysis"];
    let analyzer = &analysis["analyzer"]["baozhi_chinese"];
    assert_eq!(analyzer["tokenizer"], "standard");
    let filters: Vec<&str> = analyzer["filter"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(filters[..2], ["cjk_width", "lowercase"]);
    let bigrams = &analysis["filter"][filters[2]];
    assert_eq!(bigrams["type"], "cjk_bigram");
    assert_eq!(bigrams["output_unigrams"], true);
}

#[test]
fn the_default_index_is_baozhi() {
    let mut out = Vec::new();
    let a = Article::new("1".into(), None, "题".into());
    let row = ArticleRow {
        id: "x/1",
        paper: None,
        date: None,
        page: None,
        article: &a,
    };
    write_bulk(&row, DEFAULT_INDEX, &mut out).unwrap();
    let action: Value = serde_json::from_slice(out.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(action, json!({"index": {"_index": "baozhi", "_id": "x/1"}}));
}

// --- a real OpenSearch, when OPENSEARCH_URL names one ---------------------

/// How long one request may take: a bulk load with refresh of a few
/// articles takes well under a second on a local node.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Where OpenSearch listens, from an `http://[user:password@]host:port` URL.
struct Server {
    host: String,
    authorization: Option<String>,
}

impl Server {
    fn from_url(url: &str) -> Server {
        let rest = url
            .strip_prefix("http://")
            .unwrap_or_else(|| panic!("OPENSEARCH_URL must be http://…, not {url:?}"));
        let rest = rest.trim_end_matches('/');
        let (credentials, host) = match rest.rsplit_once('@') {
            Some((c, h)) => (Some(c), h),
            None => (None, rest),
        };
        Server {
            host: host.to_string(),
            authorization: credentials.map(|c| format!("Basic {}", base64(c.as_bytes()))),
        }
    }

    /// One HTTP/1.1 request; the status and the body.
    fn request(&self, method: &str, path: &str, content_type: &str, body: &str) -> (u16, String) {
        let mut stream =
            TcpStream::connect(&self.host).unwrap_or_else(|e| panic!("{}: {e}", self.host));
        stream.set_read_timeout(Some(REQUEST_TIMEOUT)).unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n",
            self.host,
            body.len()
        );
        if let Some(a) = &self.authorization {
            head.push_str(&format!("Authorization: {a}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body.as_bytes()).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let split = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("an HTTP response");
        let head = String::from_utf8_lossy(&response[..split]).to_string();
        let mut body = response[split + 4..].to_vec();
        let status: u16 = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("a status code");
        if head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
        {
            body = dechunk(&body);
        }
        (status, String::from_utf8(body).expect("UTF-8 body"))
    }

    fn json(&self, method: &str, path: &str, body: &str) -> Value {
        let (status, text) = self.request(method, path, "application/json", body);
        assert!(status < 300, "{method} {path}: {status} {text}");
        serde_json::from_str(&text).expect("a JSON answer")
    }
}

/// The body of a chunked response.
fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("a chunk size");
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16)
            .expect("a hex chunk size");
        if size == 0 {
            return out;
        }
        let start = line_end + 2;
        out.extend_from_slice(&data[start..start + size]);
        data = &data[start + size + 2..];
    }
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The ids of the articles a query finds.
fn found(server: &Server, index: &str, query: Value) -> Vec<String> {
    let answer = server.json(
        "POST",
        &format!("/{index}/_search"),
        &json!({ "query": query, "size": 100 }).to_string(),
    );
    answer["hits"]["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["_id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn bulk_file_loads_into_opensearch_and_any_substring_matches() {
    let Some(url) = std::env::var("OPENSEARCH_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!("skipped: OPENSEARCH_URL not set");
        return;
    };
    let server = Server::from_url(&url);
    let fixture = Fixture::new();
    // An index of this test's own, removed before and after.
    let index = format!("baozhi-test-{}", std::process::id());
    let _ = server.request("DELETE", &format!("/{index}"), "application/json", "");
    server.json(
        "PUT",
        &format!("/_index_template/{index}"),
        &template(&index),
    );
    let bulk = fixture.bulk(&index);
    let (status, answer) =
        server.request("POST", "/_bulk?refresh=true", "application/x-ndjson", &bulk);
    assert!(status < 300, "bulk: {status} {answer}");
    let answer: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(answer["errors"], false, "{answer}");
    let count = server.json("GET", &format!("/{index}/_count"), "");
    assert_eq!(count["count"], fixture.articles.len());

    // Two characters from inside a title: no word boundary to help.
    let Placed { id, article, .. } = fixture
        .articles
        .iter()
        .find(|p| p.article.title.chars().count() >= 4)
        .expect("a title of four characters or more");
    let inside: String = article.title.chars().skip(1).take(2).collect();
    let hits = found(&server, &index, json!({"match_phrase": {"title": inside}}));
    assert!(
        hits.contains(id),
        "{inside:?} in {:?}: {hits:?}",
        article.title
    );
    // One character alone (the unigrams), and full-width Latin found by
    // ASCII in either case (cjk_width, lowercase).
    let one: String = article.title.chars().nth(2).into_iter().collect();
    let hits = found(&server, &index, json!({"match_phrase": {"title": one}}));
    assert!(hits.contains(id), "{one:?}: {hits:?}");
    let hits = found(
        &server,
        &index,
        json!({"match_phrase": {"title": "ai模型"}}),
    );
    assert_eq!(hits, ["odd/1"]);
    // A run that is in no title finds nothing.
    let hits = found(&server, &index, json!({"match_phrase": {"title": "模新"}}));
    assert!(hits.is_empty(), "{hits:?}");

    let _ = server.request("DELETE", &format!("/{index}"), "application/json", "");
    let _ = server.request(
        "DELETE",
        &format!("/_index_template/{index}"),
        "application/json",
        "",
    );
}
