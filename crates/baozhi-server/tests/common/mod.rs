//! What the API and browser tests share: a small archive built from a
//! document made here, the real server on a free loopback port, and a
//! minimal blocking HTTP/1.1 client over `std::net::TcpStream`.

#![allow(dead_code)] // each test file uses part of it

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use baozhi_archive::{names, Archive};
use baozhi_model::{
    Article, Byline, Caption, Document, Finding, FindingField, FindingKind, Furniture,
    FurnitureKind, Page, Paragraph, ParagraphKind,
};

pub const PAPER: &str = "测试日报";
pub const DATE: &str = "2024-10-22";
pub const TITLE: &str = "南水北调后续工程加快推进";
/// The first paragraph of the lead article: an astral character (two
/// UTF-16 units) before the misread place name, so that offsets counted
/// in UTF-16 units would put the mark in the wrong place.
pub const FIRST_PARAGRAPH: &str = "𠮷记者从浙川县获悉，南水北调中线工程渠首枢纽运行平稳，今年以来累计向北方调水超过六十亿立方米。";
pub const CAPTION: &str = "渠首枢纽工程全景。";
pub const CREDIT: &str = "本报记者 张兰 摄";

/// The archive id of the `n`th article of a page of the test issue.
pub fn id(page: &str, n: usize) -> String {
    names::archive_id(PAPER, DATE, page, n)
}

fn text(s: &str) -> Paragraph {
    Paragraph {
        kind: ParagraphKind::Text,
        text: s.to_string(),
    }
}

/// Two pages of one issue: page 01 with the lead article (findings, a
/// caption, a jump to page 02) and a short one, page 02 with the lead's
/// continuation.
pub fn document() -> Document {
    let mut doc = Document::new(Some(PAPER.into()), Some(DATE.into()));
    doc.pages = vec![
        Page {
            pictures: Vec::new(),
            page: Some("01".into()),
            furniture: vec![
                Furniture {
                    kind: FurnitureKind::PageHeader,
                    text: "第01版 要闻".into(),
                    spans: vec![],
                },
                Furniture {
                    kind: FurnitureKind::Banner,
                    text: "奋进新征程 建功新时代".into(),
                    spans: vec![],
                },
            ],
            size: None,
            source: None,
        },
        Page {
            pictures: Vec::new(),
            page: Some("02".into()),
            furniture: vec![Furniture {
                kind: FurnitureKind::PageHeader,
                text: "第02版 综合".into(),
                spans: vec![],
            }],
            size: None,
            source: None,
        },
    ];

    let mut lead = Article::new("01-1".into(), Some("01".into()), TITLE.into());
    lead.column = Some("要闻".into());
    lead.kicker = Some("渠首水质持续稳定达标".into());
    lead.subtitle = Some("中线工程迎来新进展".into());
    lead.bylines = vec![Byline {
        role: Some("本报记者".into()),
        names: vec!["张兰".into(), "李明".into()],
    }];
    lead.dateline = Some("本报讯".into());
    lead.paragraphs = vec![
        text(FIRST_PARAGRAPH),
        Paragraph {
            kind: ParagraphKind::Heading,
            text: "一、工程进展".into(),
        },
        text("后续工程建设有序推进，沿线各地加强协作，确保一泓清水永续北上。"),
    ];
    lead.captions = vec![Caption {
        text: CAPTION.into(),
        credit: Some(CREDIT.into()),
    }];
    lead.continues_to = Some("02".into());
    let start = 4; // 𠮷 记 者 从 | 浙 川
    lead.findings = Some(vec![Finding {
        field: FindingField::Paragraph,
        paragraph: Some(0),
        start,
        end: start + 2,
        original: "浙川".into(),
        suggestion: Some("淅川".into()),
        confidence: 0.97,
        kind: FindingKind::Glyph,
        evidence: "淅川县 in the gazetteer; 浙川 unknown".into(),
    }]);

    let mut short = Article::new("01-2".into(), Some("01".into()), "秋粮收购有序开展".into());
    short.paragraphs = vec![text("全市秋粮收购工作已全面展开，各收储库点服务周到。")];

    let mut cont = Article::new("02-1".into(), Some("02".into()), TITLE.into());
    cont.continued_from = Some("01".into());
    cont.paragraphs = vec![text(
        "沿线生态环境持续改善，水源区群众增收致富的路子越走越宽。",
    )];

    doc.articles = vec![lead, short, cont];
    doc
}

/// A directory under the temp dir, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "baozhi-server-{name}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    /// Like [`TempDir::new`], for a directory that lives as long as the
    /// process (in a static, never dropped): first removes the ones earlier
    /// test processes left, whose process is gone.
    pub fn for_process(name: &str) -> TempDir {
        let prefix = format!("baozhi-server-{name}-");
        if let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) {
            for entry in entries.flatten() {
                let file_name = entry.file_name().to_string_lossy().into_owned();
                let Some(rest) = file_name.strip_prefix(&prefix) else {
                    continue;
                };
                // `NAME-PID-NANOS`; a longer name that starts with this
                // one (`api-trend` beside `api`) is another test's, alive
                // or not.
                let pid = rest.split('-').next().unwrap_or_default();
                let is_pid = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
                if is_pid && !Path::new("/proc").join(pid).exists() {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        TempDir::new(name)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The test archive, ingested and committed, in `dir`.
pub fn archive(dir: &Path) -> Archive {
    let mut archive = Archive::open(dir).expect("open archive");
    let summary = archive.ingest_document(&document()).expect("ingest");
    assert_eq!(summary.articles, 3);
    archive.commit().expect("commit");
    archive
}

/// The paper of the archive with a page picture.
pub const PICTURE_PAPER: &str = "示例日报";
/// Its issue: the example PDF page.
pub const PICTURE_DATE: &str = "2026-03-12";

/// An archive holding the example PDF page with its picture, in `dir`;
/// `None` (the test then skips) when poppler's `pdftoppm` is missing.
pub fn picture_archive(dir: &Path) -> Option<Archive> {
    if !baozhi_ocr::render::can_render_pdfs() {
        println!("skipped: {}", baozhi_ocr::render::cannot_render_pdfs());
        return None;
    }
    let pdf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/shili-2026-03-12-p01.pdf");
    let mut archive = Archive::open(dir).expect("open archive");
    let opts = baozhi_archive::IngestOptions {
        paper: Some(PICTURE_PAPER.to_string()),
        page_pictures: true,
        ..Default::default()
    };
    let summary = archive
        .ingest_path_with(&pdf, &opts, &mut |_| {})
        .expect("ingest the example PDF");
    assert_eq!(summary.pictures, 1, "{summary:?}");
    Some(archive)
}

/// A second paper of the trend archive.
pub const OTHER_PAPER: &str = "江城晚报";

/// A one-page issue whose articles have these titles, each with a line of
/// body text.
fn issue_with_titles(paper: &str, date: Option<&str>, titles: &[(&str, &str)]) -> Document {
    let mut doc = Document::new(Some(paper.into()), date.map(str::to_string));
    doc.pages = vec![Page {
        pictures: Vec::new(),
        page: Some("01".into()),
        furniture: vec![],
        size: None,
        source: None,
    }];
    doc.articles = titles
        .iter()
        .enumerate()
        .map(|(i, (title, body))| {
            let mut a = Article::new(format!("01-{}", i + 1), Some("01".into()), (*title).into());
            a.paragraphs = vec![text(body)];
            a
        })
        .collect();
    doc
}

/// The test issue and five more over five years, for term counts over
/// time. Articles holding 南水北调 (`matches`) of all (`articles`):
///
/// | date | paper | matches / articles |
/// | --- | --- | --- |
/// | 2019-12-31 | [`PAPER`] | 1 / 1 |
/// | 2022-03-05 | [`PAPER`] | 1 / 2 |
/// | 2022-11-20 | [`PAPER`] | 0 / 1 |
/// | 2023-06-01 | [`OTHER_PAPER`] | 1 / 1 (traditional 南水北調) |
/// | [`DATE`] (2024-10-22) | [`PAPER`] | 2 / 3 (the test issue) |
/// | undated | [`PAPER`] | 1 / 1 (in no period) |
pub fn trend_documents() -> Vec<Document> {
    vec![
        issue_with_titles(
            PAPER,
            Some("2019-12-31"),
            &[("南水北调东线通水五周年", "东线工程累计调水。")],
        ),
        issue_with_titles(
            PAPER,
            Some("2022-03-05"),
            &[
                ("南水北调工程效益显著", "沿线受益人口持续增加。"),
                ("春耕备耕忙", "各地抢抓农时。"),
            ],
        ),
        issue_with_titles(
            PAPER,
            Some("2022-11-20"),
            &[("冬季供暖准备就绪", "热源厂完成检修。")],
        ),
        issue_with_titles(
            OTHER_PAPER,
            Some("2023-06-01"),
            &[("水源地见闻", "南水北調中線工程水質穩定。")],
        ),
        document(),
        issue_with_titles(PAPER, None, &[("南水北调沿线纪行", "无日期的版面。")]),
    ]
}

/// The archive of [`trend_documents`], ingested and committed, in `dir`.
pub fn trend_archive(dir: &Path) -> Archive {
    let mut archive = Archive::open(dir).expect("open archive");
    for doc in trend_documents() {
        archive.ingest_document(&doc).expect("ingest");
    }
    archive.commit().expect("commit");
    archive
}

/// Serves `archive` on a free loopback port from a thread of its own (it
/// runs until the test process ends) and returns the address: the real
/// [`baozhi_server::Server`], connection limits and Host check included,
/// with the default [`baozhi_server::Config`].
pub fn start(archive: Archive) -> SocketAddr {
    start_with(archive, baozhi_server::Config::default())
}

/// [`start`] with a [`baozhi_server::Config`] of the test's own.
pub fn start_with(archive: Archive, config: baozhi_server::Config) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            baozhi_server::Server::from_listener(listener, archive, config)
                .unwrap()
                .run_until(std::future::pending())
                .await
                .unwrap();
        });
    });
    addr
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The body as text (invalid UTF-8 replaced: see `bytes`).
    pub body: String,
    /// The body as sent.
    pub bytes: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }
}

/// `GET target` (a path and query, already percent-encoded).
pub fn get(addr: SocketAddr, target: &str) -> Response {
    request(addr, "GET", target, "", "")
}

/// One HTTP/1.1 request on a new connection (`Connection: close`), with
/// extra header lines (each ending in `\r\n`) and a body.
pub fn request(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &str,
    body: &str,
) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let head =
        format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{headers}\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    // The server may answer (and close) before reading a body it refuses.
    let _ = stream.write_all(body.as_bytes());
    let mut raw = Vec::new();
    if let Err(e) = stream.read_to_end(&mut raw) {
        // A reset after a complete answer (unread body) is fine.
        assert!(!raw.is_empty(), "reading the answer: {e}");
    }
    parse_response(&raw)
}

/// Sends `head` (request line and headers, each line ending in `\r\n`,
/// the blank line included) as it is on a new connection and reads the
/// answer to the end.
pub fn raw(addr: SocketAddr, head: &str) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    if let Err(e) = stream.read_to_end(&mut raw) {
        assert!(!raw.is_empty(), "reading the answer: {e}");
    }
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> Response {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
    let head = std::str::from_utf8(&raw[..split]).expect("ASCII head");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        bytes: body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size_text = std::str::from_utf8(&data[..eol]).unwrap();
        let size_text = size_text.split(';').next().unwrap().trim();
        let size = usize::from_str_radix(size_text, 16).expect("chunk size");
        if size == 0 {
            return out;
        }
        let start = eol + 2;
        out.extend_from_slice(&data[start..start + size]);
        data = &data[start + size + 2..];
    }
}

/// Percent-encodes a query value or path part (UTF-8, every byte outside
/// `A–Z a–z 0–9 - _ ~`).
pub fn enc(s: &str) -> String {
    names::percent_encode(s)
}
