//! The CLI's safety: page text cannot drive the terminal (`search`,
//! `parse --format text`/`md`), `ingest -` reads standard input, a
//! re-ingest says how many pages it replaced, and `serve` answers only
//! the hosts it is told to.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_baozhi");

/// A page with one article whose headline and body hold terminal control
/// sequences: clear screen, a window-title OSC ended by BEL, a BEL, and a
/// C1 CSI.
fn hostile_page() -> String {
    let body = "在卧龙区先进制造业开发区，河南金誉包装科技股份有限公司的生产车间里，机器轰鸣，工人们正在忙碌地装箱。".repeat(6);
    format!(
        "南阳日报\n2024年10月22日 星期二\n\n金誉科技有限公司出口业绩实现翻倍——\n做绿色包装先行者\x1b[2J\n本报记者 柏雪雷\n{body}\x07据了解\x1b]0;pwned\x07，\u{9b}31m该公司今年前三季度实现出口额1.2亿元。\n"
    )
}

/// The one page used for stdin and re-ingest tests.
const PAGE: &str = "南阳日报
2024年10月22日 星期二

金誉科技有限公司出口业绩实现翻倍——
做绿色包装先行者
本报记者 柏雪雷
在卧龙区先进制造业开发区,河南金誉包装科技股份有限公司的生产车间里,机器轰鸣,工人们正在忙碌地装箱。
“今年以来,我们的出口订单同比增长了一倍多。”公司负责人介绍说,企业坚持绿色发展理念,持续加大研发投入,产品远销欧美和东南亚。
";

fn temp_dir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("baozhi-hardening-{name}-"))
        .tempdir()
        .expect("create temp dir")
}

fn baozhi(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run baozhi");
    if let Some(bytes) = stdin {
        // A child that stops reading early (it failed) closes the pipe: the
        // write then fails with BrokenPipe, and its exit status and stderr,
        // not this write, are what the test must report.
        if let Err(e) = child.stdin.take().unwrap().write_all(bytes) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
        }
    }
    child.wait_with_output().expect("wait for baozhi")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}, stderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

/// No byte that a terminal obeys: C0 controls but `\n` and `\t`, DEL, and
/// C1 controls (as UTF-8).
fn assert_no_raw_controls(what: &str, out: &str) {
    let bad: Vec<char> = out
        .chars()
        .filter(|&c| c.is_control() && c != '\n' && c != '\t')
        .collect();
    assert!(bad.is_empty(), "{what}: raw controls {bad:?} in\n{out}");
}

#[test]
fn parse_text_and_markdown_show_control_characters_instead_of_obeying_them() {
    let dir = temp_dir("parse");
    let page = dir.path().join("page.txt");
    std::fs::write(&page, hostile_page()).unwrap();
    let page = page.to_str().unwrap();
    for format in ["text", "md"] {
        let out = ok(&baozhi(&["parse", "--format", format, page], None));
        assert_no_raw_controls(format, &out);
        assert!(out.contains("做绿色包装先行者␛[2J"), "{format}: {out}");
        assert!(out.contains("␇据了解␛]0;pwned␇"), "{format}: {out}");
        assert!(out.contains("\\x9b31m该公司"), "{format}: {out}");
    }
    // JSON keeps the text, escaped.
    let json = ok(&baozhi(&["parse", "--format", "json", page], None));
    assert!(!json.contains('\x1b') && !json.contains('\x07'));
    assert!(json.contains("\\u001b[2J"), "{json}");
    // Standard input alike.
    let out = ok(&baozhi(
        &["parse", "--format", "text", "-"],
        Some(hostile_page().as_bytes()),
    ));
    assert_no_raw_controls("stdin", &out);
    assert!(out.contains("␛[2J"), "{out}");
}

#[test]
fn search_shows_control_characters_instead_of_obeying_them() {
    let dir = temp_dir("search");
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let page = dir.path().join("nanyang-2024-10-22-p01.txt");
    std::fs::write(&page, hostile_page()).unwrap();
    ok(&baozhi(
        &[
            "ingest",
            "--paper",
            "南阳日报\x1b[31m",
            "--data",
            data,
            page.to_str().unwrap(),
        ],
        None,
    ));
    for query in ["绿色包装", "据了解"] {
        let out = ok(&baozhi(&["search", "--data", data, query], None));
        assert_no_raw_controls(query, &out);
        assert!(out.contains("南阳日报␛[31m"), "{out}");
        assert!(out.contains("【"), "a snippet: {out}");
    }
    let out = ok(&baozhi(&["search", "--data", data, "绿色包装"], None));
    assert!(out.contains("做绿色包装先行者␛[2J"), "{out}");
    let out = ok(&baozhi(&["search", "--data", data, "据了解"], None));
    assert!(out.contains("␛]0;pwned␇"), "{out}");
}

#[test]
fn ingest_reads_standard_input_and_counts_replaced_pages() {
    let dir = temp_dir("stdin");
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let args = [
        "ingest",
        "--data",
        data,
        "--paper",
        "南阳日报",
        "--date",
        "2024-10-22",
        "--page",
        "03",
        "-",
    ];
    let first = baozhi(&args, Some(PAGE.as_bytes()));
    ok(&first);
    let err = String::from_utf8_lossy(&first.stderr).into_owned();
    assert!(err.contains("ingested 1 pages (0 replaced"), "{err}");

    // Stored under the date and page of the flags.
    let out = ok(&baozhi(
        &["search", "--data", data, "--format", "json", "绿色包装"],
        None,
    ));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["total"], 1, "{v}");
    let hit = &v["hits"][0];
    assert_eq!(
        (&hit["paper"], &hit["date"], &hit["page"]),
        (
            &serde_json::json!("南阳日报"),
            &serde_json::json!("2024-10-22"),
            &serde_json::json!("03")
        )
    );

    // The same page again replaces it, and says so.
    let again = baozhi(&args, Some(PAGE.as_bytes()));
    ok(&again);
    let err = String::from_utf8_lossy(&again.stderr).into_owned();
    assert!(err.contains("ingested 1 pages (1 replaced"), "{err}");
    let out = ok(&baozhi(
        &["search", "--data", data, "--format", "json", "绿色包装"],
        None,
    ));
    assert!(out.contains("\"total\":1"), "not doubled: {out}");

    // baozhi/1 JSON lines from `parse` go in too.
    let jsonl = ok(&baozhi(
        &[
            "parse",
            "--format",
            "jsonl",
            "--paper",
            "南阳日报",
            "--date",
            "2024-10-23",
            "-",
        ],
        Some(PAGE.as_bytes()),
    ));
    let piped = baozhi(&["ingest", "--data", data, "-"], Some(jsonl.as_bytes()));
    ok(&piped);
    let out = ok(&baozhi(
        &[
            "search",
            "--data",
            data,
            "--format",
            "json",
            "--from",
            "2024-10-23",
            "绿色包装",
        ],
        None,
    ));
    assert!(out.contains("\"total\":1"), "{out}");

    // `-` stands alone, and --page is for it only.
    let page = dir.path().join("page.txt");
    std::fs::write(&page, PAGE).unwrap();
    let page = page.to_str().unwrap();
    let mixed = baozhi(
        &["ingest", "--data", data, "-", page],
        Some(PAGE.as_bytes()),
    );
    assert!(!mixed.status.success());
    assert!(String::from_utf8_lossy(&mixed.stderr).contains("standard input"));
    let stray = baozhi(&["ingest", "--data", data, "--page", "01", page], None);
    assert!(!stray.status.success());
    assert!(String::from_utf8_lossy(&stray.stderr).contains("--page"));
    // Nothing on standard input is a skipped input, not a crash.
    let empty = baozhi(&["ingest", "--data", data, "-"], Some(b""));
    assert_eq!(empty.status.code(), Some(1), "{empty:?}");
    assert!(String::from_utf8_lossy(&empty.stderr).contains("<stdin>"));
}

/// `baozhi serve` on a free port with `args`; returns the child and the
/// address it says it serves at.
fn serve(data: &str, args: &[&str]) -> (Child, SocketAddr) {
    let mut child = Command::new(BIN)
        .args(["serve", "--data", data, "--addr", "127.0.0.1:0"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start baozhi serve");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    // Keep reading, so that the server never writes to a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    let addr = line
        .trim()
        .rsplit_once("http://")
        .and_then(|(_, a)| a.parse().ok())
        .unwrap_or_else(|| {
            let _ = child.kill();
            panic!("no address in {line:?}")
        });
    (child, addr)
}

/// The status of `GET /api/stats` with `Host: host`.
fn status_for_host(addr: SocketAddr, host: &str) -> u16 {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "GET /api/stats HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {answer:?}"))
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_answers_its_own_address_and_allowed_hosts_only() {
    let dir = temp_dir("serve");
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    ok(&baozhi(
        &[
            "ingest",
            "--data",
            data,
            "--paper",
            "南阳日报",
            "--date",
            "2024-10-22",
            "-",
        ],
        Some(PAGE.as_bytes()),
    ));
    let (child, addr) = serve(
        data,
        &["--allow-host", "Archive.Example", "--header-timeout", "0.5"],
    );
    let _child = Killed(child);
    assert_eq!(status_for_host(addr, &addr.to_string()), 200);
    assert_eq!(
        status_for_host(addr, &format!("localhost:{}", addr.port())),
        200
    );
    assert_eq!(status_for_host(addr, "archive.example"), 200);
    assert_eq!(
        status_for_host(addr, &format!("evil.example:{}", addr.port())),
        421
    );

    // --header-timeout: a silent connection is closed after half a second.
    let mut silent = TcpStream::connect(addr).unwrap();
    silent
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let started = std::time::Instant::now();
    let mut sink = Vec::new();
    let _ = silent.read_to_end(&mut sink);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "closed after {:?}",
        started.elapsed()
    );

    let bad = baozhi(
        &["serve", "--data", data, "--allow-host", "a.example:80"],
        None,
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("port"));
}
