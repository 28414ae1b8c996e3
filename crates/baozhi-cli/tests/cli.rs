//! Runs the built `baozhi` binary on files written to a temporary directory.
//!
//! Outputs of the same text in different encodings agree, the fields the CLI
//! fills are right, errors are reported per file, and a small page with one
//! obvious article comes out in every format.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_baozhi");

/// A page with one obvious article (kicker, title, byline, body).
const PAGE: &str = "南阳日报
2024年10月22日 星期二
重抓重推“五聚五提” 奋力建强副中心

金誉科技有限公司出口业绩实现翻倍——
做绿色包装先行者
本报记者 柏雪雷
在卧龙区先进制造业开发区,河南金誉包装科技股份有限公司的生产车间里,机器轰鸣,工人们正在忙碌地装箱。
“今年以来,我们的出口订单同比增长了一倍多。”公司负责人介绍说,企业坚持绿色发展理念,持续加大研发投入,产品远销欧美和东南亚。
据了解,该公司今年前三季度实现出口额1.2亿元,同比增长105%。下一步,企业将继续扩大产能(见图),做绿色包装先行者。
";

/// A fresh, empty directory under the system temp dir, removed on drop
/// (declare it before anything that keeps files open in it).
fn temp_dir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("baozhi-cli-{name}-"))
        .tempdir()
        .expect("create temp dir")
}

fn write(dir: impl AsRef<Path>, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.as_ref().join(name);
    std::fs::write(&path, bytes).expect("write test file");
    path
}

fn run(args: &[&str], files: &[&Path]) -> Output {
    run_sub("parse", args, files)
}

/// Runs a subcommand of `baozhi` (`parse`, `proof`).
fn run_sub(sub: &str, args: &[&str], files: &[&Path]) -> Output {
    Command::new(BIN)
        .arg(sub)
        .args(args)
        .args(files)
        .output()
        .expect("run baozhi")
}

fn stdout(out: &Output) -> &str {
    std::str::from_utf8(&out.stdout).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The one JSON document of a successful run.
fn json_ok(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}, stderr: {}",
        out.status,
        stderr(out)
    );
    serde_json::from_str(stdout(out)).expect("stdout is one JSON document")
}

fn gb18030(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

fn utf16(text: &str, be: bool) -> Vec<u8> {
    let mut bytes = if be {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        bytes.extend(if be {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    bytes
}

/// Headline and body text of each article, which do not depend on offsets.
fn article_texts(doc: &Value) -> Vec<Value> {
    doc["articles"]
        .as_array()
        .expect("articles is a list")
        .iter()
        .map(|a| {
            serde_json::json!({
                "kicker": a["kicker"], "title": a["title"], "subtitle": a["subtitle"],
                "bylines": a["bylines"], "dateline": a["dateline"],
                "paragraphs": a["paragraphs"], "captions": a["captions"],
            })
        })
        .collect()
}

#[test]
fn utf8_file_gives_a_baozhi_document() {
    let dir = temp_dir("utf8");
    let f = write(&dir, "page.txt", PAGE.as_bytes());
    let doc = json_ok(&run(&[], &[&f]));
    assert_eq!(doc["schema"], "baozhi/1");
    assert!(doc["paper"].is_null(), "paper stays null unless given");
    assert!(doc["date"].is_null());
    assert_eq!(doc["pages"].as_array().map(Vec::len), Some(1));
    assert!(doc["articles"].is_array());
    // Pretty-printed, one document.
    assert!(stdout(&run(&[], &[&f])).lines().count() > 3);
}

#[test]
fn gb18030_file_gives_the_same_json_as_utf8() {
    let (a, b) = (temp_dir("gb-a"), temp_dir("gb-b"));
    let utf8 = write(&a, "page.txt", PAGE.as_bytes());
    let gb = write(&b, "page.txt", &gb18030(PAGE));
    let want = json_ok(&run(&[], &[&utf8]));
    assert_eq!(json_ok(&run(&[], &[&gb])), want, "auto-detected GB18030");
    assert_eq!(json_ok(&run(&["--encoding", "gb18030"], &[&gb])), want);
    assert_eq!(json_ok(&run(&["--encoding", "gbk"], &[&gb])), want);
}

#[test]
fn utf16_files_with_bom_give_the_same_json_as_utf8() {
    let (a, b, c) = (temp_dir("u16-a"), temp_dir("u16-b"), temp_dir("u16-c"));
    let utf8 = write(&a, "page.txt", PAGE.as_bytes());
    let le = write(&b, "page.txt", &utf16(PAGE, false));
    let be = write(&c, "page.txt", &utf16(PAGE, true));
    let want = json_ok(&run(&[], &[&utf8]));
    assert_eq!(json_ok(&run(&[], &[&le])), want, "UTF-16LE with BOM");
    assert_eq!(json_ok(&run(&[], &[&be])), want, "UTF-16BE with BOM");
    assert_eq!(json_ok(&run(&["--encoding", "utf-16le"], &[&le])), want);
}

#[test]
fn crlf_file_gives_the_same_articles_as_lf() {
    let dir = temp_dir("crlf");
    let lf = write(&dir, "lf.txt", PAGE.as_bytes());
    let crlf = write(&dir, "crlf.txt", PAGE.replace('\n', "\r\n").as_bytes());
    let a = json_ok(&run(&[], &[&lf]));
    let b = json_ok(&run(&[], &[&crlf]));
    assert_eq!(article_texts(&b), article_texts(&a));
}

#[test]
fn a_binary_file_fails_alone_and_the_batch_goes_on() {
    let dir = temp_dir("binary");
    let bin = write(
        &dir,
        "scan.bin",
        &(0u8..=255).cycle().take(2048).collect::<Vec<u8>>(),
    );
    let missing = dir.path().join("missing.txt");
    let good = write(&dir, "page.txt", PAGE.as_bytes());
    let out = run(&[], &[&bin, &missing, &good]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].starts_with(&format!("baozhi: {}: ", bin.display())),
        "{err}"
    );
    assert!(lines[0].contains("not text"), "{err}");
    assert!(
        lines[1].starts_with(&format!("baozhi: {}: ", missing.display())),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    // The good file still gives its document, the same as on its own.
    let doc: Value = serde_json::from_str(stdout(&out)).expect("the good file's document");
    assert_eq!(doc, json_ok(&run(&[], &[&good])));
}

#[test]
fn a_damaged_pdf_and_an_empty_file_fail_alone() {
    let dir = temp_dir("refused");
    let pdf = write(&dir, "page.pdf", b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n");
    let empty = write(&dir, "empty.txt", b"");
    let good = write(&dir, "page.txt", PAGE.as_bytes());
    let out = run(&[], &[&pdf, &empty, &good]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("baozhi: {}: damaged PDF", pdf.display())),
        "{err}"
    );
    assert!(
        err.contains(&format!("baozhi: {}: ", empty.display())),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let doc: Value = serde_json::from_str(stdout(&out)).expect("the good file's document");
    assert_eq!(doc, json_ok(&run(&[], &[&good])));
}

#[test]
fn a_forced_wrong_encoding_is_an_error() {
    let dir = temp_dir("forced");
    let gb = write(&dir, "page.txt", &gb18030(PAGE));
    let out = run(&["--encoding", "utf-8"], &[&gb]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&gb.display().to_string()),
        "{}",
        stderr(&out)
    );
    let out = run(&["--encoding", "latin-1"], &[&gb]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "unknown encoding is a usage error"
    );
}

#[test]
fn jsonl_gives_one_document_per_line() {
    let dir = temp_dir("jsonl");
    let a = write(&dir, "a.txt", PAGE.as_bytes());
    let b = write(&dir, "b.txt", &gb18030(PAGE));
    let out = run(&["--format", "jsonl"], &[&a, &b]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<&str> = stdout(&out).lines().collect();
    assert_eq!(lines.len(), 2);
    for line in &lines {
        let doc: Value = serde_json::from_str(line).expect("each line is JSON");
        assert_eq!(doc["schema"], "baozhi/1");
    }
    assert_eq!(lines[0], lines[1]);
}

#[test]
fn json_of_several_files_is_a_stream_of_documents() {
    let dir = temp_dir("stream");
    let a = write(&dir, "x-2024-10-22-p01.txt", PAGE.as_bytes());
    let b = write(&dir, "x-2024-10-22-p02.txt", PAGE.as_bytes());
    let out = run(&[], &[&a, &b]);
    assert!(out.status.success(), "{}", stderr(&out));
    let docs: Vec<Value> = serde_json::Deserializer::from_str(stdout(&out))
        .into_iter::<Value>()
        .collect::<Result<_, _>>()
        .expect("documents one after another");
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["pages"][0]["page"], "01");
    assert_eq!(docs[1]["pages"][0]["page"], "02");
}

/// A batch is read on every core; what comes out is what each file gives
/// alone, in the order the files were named, with a file that cannot be
/// read reported in its place and the rest going on.
#[test]
fn a_batch_comes_out_in_input_order_as_each_file_alone() {
    let dir = temp_dir("batch");
    let pdf =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../baozhi-pdf/tests/fixtures/two-pages.pdf");
    let mut files: Vec<PathBuf> = Vec::new();
    for n in 1..=30 {
        // Pages of different lengths, so that they finish out of order.
        let page = PAGE.repeat(1 + n % 4);
        files.push(write(
            &dir,
            &format!("x-2024-10-22-p{n:02}.txt"),
            page.as_bytes(),
        ));
        if n == 10 {
            files.push(pdf.clone());
        }
        if n == 20 {
            files.push(dir.path().join("missing-2024-10-22-p99.txt"));
        }
    }
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let out = run(&["--format", "jsonl"], &refs);
    assert_eq!(out.status.code(), Some(1), "a missing file fails the run");
    assert!(
        stderr(&out).contains("missing-2024-10-22-p99.txt"),
        "{}",
        stderr(&out)
    );
    let lines: Vec<&str> = stdout(&out).lines().collect();
    // 30 text pages and the PDF's two.
    assert_eq!(lines.len(), 32);
    let mut expected = Vec::new();
    for f in refs.iter().filter(|f| f.exists()) {
        let alone = run(&["--format", "jsonl"], &[f]);
        assert!(alone.status.success(), "{}", stderr(&alone));
        expected.extend(stdout(&alone).lines().map(str::to_string));
    }
    assert_eq!(lines, expected);
    let pages: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["pages"][0]["page"].clone())
        .collect();
    assert_eq!(pages[0], "01");
    assert_eq!(pages[10], "01", "the PDF's first page follows p10");
    assert_eq!(pages[11], "02");
    assert_eq!(pages[31], "30");
}

#[test]
fn paper_and_date_are_filled() {
    let dir = temp_dir("paper");
    let f = write(&dir, "page.txt", PAGE.as_bytes());
    let doc = json_ok(&run(&["--paper", "X", "--date", "2024-01-02"], &[&f]));
    assert_eq!(doc["paper"], "X");
    assert_eq!(doc["date"], "2024-01-02");
}

#[test]
fn an_invalid_date_is_rejected() {
    let dir = temp_dir("baddate");
    let f = write(&dir, "page.txt", PAGE.as_bytes());
    for bad in ["2024-13-01", "2024-02-30", "20240102", "tomorrow"] {
        let out = run(&["--date", bad], &[&f]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(out.stdout.is_empty());
        assert!(stderr(&out).contains("--date"), "{}", stderr(&out));
    }
}

#[test]
fn date_and_page_come_from_the_file_name() {
    let dir = temp_dir("names");
    let a = write(&dir, "nanyang-2024-10-22-p01.txt", PAGE.as_bytes());
    let b = write(&dir, "pd-2025-04-08-02-要闻.txt", PAGE.as_bytes());
    let doc = json_ok(&run(&[], &[&a]));
    assert_eq!(doc["date"], "2024-10-22");
    assert_eq!(doc["pages"][0]["page"], "01");
    assert!(doc["paper"].is_null());
    let doc = json_ok(&run(&[], &[&b]));
    assert_eq!(doc["date"], "2025-04-08");
    assert_eq!(doc["pages"][0]["page"], "02");
    // Options win over the name.
    let doc = json_ok(&run(&["--page", "A3", "--date", "2023-01-31"], &[&a]));
    assert_eq!(doc["date"], "2023-01-31");
    assert_eq!(doc["pages"][0]["page"], "A3");
    for a in doc["articles"].as_array().unwrap() {
        assert_eq!(a["page"], "A3");
    }
}

#[test]
fn dash_reads_standard_input() {
    let dir = temp_dir("stdin");
    let f = write(&dir, "page.txt", PAGE.as_bytes());
    let mut child = Command::new(BIN)
        .args(["parse", "--format", "jsonl", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run baozhi");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&gb18030(PAGE))
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let got: Value = serde_json::from_str(stdout(&out)).unwrap();
    assert_eq!(got, json_ok(&run(&[], &[&f])));
}

#[test]
fn restore_width_changes_only_punctuation_width() {
    let dir = temp_dir("width");
    let f = write(&dir, "page.txt", PAGE.as_bytes());
    let plain = json_ok(&run(&[], &[&f]));
    let wide = json_ok(&run(&["--restore-width"], &[&f]));
    let restore = |v: &Value| match v.as_str() {
        Some(s) => Value::String(baozhi_text::width::restore_width(s)),
        None => v.clone(),
    };
    let (pa, wa) = (
        plain["articles"].as_array().unwrap(),
        wide["articles"].as_array().unwrap(),
    );
    assert_eq!(pa.len(), wa.len());
    for (p, w) in pa.iter().zip(wa) {
        for key in [
            "title", "kicker", "subtitle", "dateline", "column", "series",
        ] {
            assert_eq!(w[key], restore(&p[key]), "{key}");
        }
        for (pp, wp) in p["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .zip(w["paragraphs"].as_array().unwrap())
        {
            assert_eq!(wp["text"], restore(&pp["text"]));
        }
        assert_eq!(w["spans"], p["spans"]);
    }
}

#[test]
fn md_and_text_formats_run() {
    let dir = temp_dir("formats");
    let f = write(&dir, "nanyang-2024-10-22-p01.txt", PAGE.as_bytes());
    let md = run(&["--format", "md", "--paper", "南阳日报"], &[&f]);
    assert!(md.status.success(), "{}", stderr(&md));
    assert!(
        stdout(&md).starts_with("# 南阳日报 2024-10-22 第01版\n"),
        "{}",
        stdout(&md)
    );
    let text = run(&["--format", "text"], &[&f]);
    assert!(text.status.success(), "{}", stderr(&text));
}

#[test]
fn md_and_text_contain_the_title() {
    let dir = temp_dir("titles");
    let f = write(&dir, "page.txt", PAGE.as_bytes());
    let md = run(&["--format", "md"], &[&f]);
    assert!(
        stdout(&md).lines().any(|l| l == "## 做绿色包装先行者"),
        "{}",
        stdout(&md)
    );
    let text = run(&["--format", "text"], &[&f]);
    assert!(
        stdout(&text).lines().any(|l| l == "做绿色包装先行者"),
        "{}",
        stdout(&text)
    );
    let doc = json_ok(&run(&[], &[&f]));
    assert_eq!(doc["articles"][0]["title"], "做绿色包装先行者");
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let dir = temp_dir("pipe");
    let f = write(&dir, "page.txt", PAGE.as_bytes());
    let files = vec![f.as_path(); 400];
    let mut child = Command::new(BIN)
        .arg("parse")
        .args(&files)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run baozhi");
    // Read a little, like `| head -c 100`, then close the pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 100];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.is_empty(), "{err}");
    assert_eq!(out.status.code(), Some(0));
}

/// A page whose article has a misread place name (浙川 for 淅川, in the
/// kicker and the body) and a doubled char (有有着).
const TYPO_PAGE: &str = "南阳日报
2024年10月22日 星期二

浙川县发展生态林果23万余亩——
好了渠首生态 富了山区百姓
本报记者 张三
记者日前走进南阳市浙川县仓房镇,漫山遍野的林果基地里,果农们正忙着采摘、分拣、装车,一派丰收景象。
仓房镇的林果产业虽有有着四十多年的历史,但过去规模小、品种杂、效益低,群众增收的路子并不宽。
近年来,当地坚持生态优先,把发展林果产业作为富民强县的重要抓手,全县林果种植面积已达23万余亩。
";

fn typo_file(dir: &Path) -> PathBuf {
    write(dir, "typo.txt", TYPO_PAGE.as_bytes())
}

/// The article of [`TYPO_PAGE`].
fn typo_article(doc: &Value) -> &Value {
    let articles = doc["articles"].as_array().expect("articles");
    articles
        .iter()
        .find(|a| a["title"].as_str().is_some_and(|t| t.contains("渠首生态")))
        .unwrap_or_else(|| panic!("no article with the title in {doc:#}"))
}

fn findings(article: &Value) -> &Vec<Value> {
    article["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings in {article:#}"))
}

/// The text a finding points into (`where`, `paragraph`).
fn field_of<'a>(article: &'a Value, f: &Value) -> &'a str {
    let v = match f["where"].as_str().unwrap() {
        "paragraph" => &article["paragraphs"][f["paragraph"].as_u64().unwrap() as usize]["text"],
        "caption" => &article["captions"][f["paragraph"].as_u64().unwrap() as usize]["text"],
        key => &article[key],
    };
    v.as_str().expect("the field of a finding is text")
}

fn char_slice(s: &str, start: &Value, end: &Value) -> String {
    let (start, end) = (
        start.as_u64().unwrap() as usize,
        end.as_u64().unwrap() as usize,
    );
    s.chars().skip(start).take(end - start).collect()
}

fn body(article: &Value) -> String {
    article["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn without_proof_there_are_no_findings() {
    let dir = temp_dir("noproof");
    let f = typo_file(dir.path());
    let doc = json_ok(&run(&[], &[&f]));
    for a in doc["articles"].as_array().unwrap() {
        assert!(a.get("findings").is_none(), "{a:#}");
    }
    assert!(!stdout(&run(&["--format", "md"], &[&f])).contains("校对"));
}

#[test]
fn proof_lists_findings_beside_the_printed_text() {
    let dir = temp_dir("proof");
    let f = typo_file(dir.path());
    let plain = json_ok(&run(&[], &[&f]));
    let doc = json_ok(&run(&["--proof", "--format", "json"], &[&f]));
    let a = typo_article(&doc);
    assert_eq!(a["kicker"], "浙川县发展生态林果23万余亩");
    let fs = findings(a);
    let kicker = fs
        .iter()
        .find(|f| f["where"] == "kicker")
        .unwrap_or_else(|| panic!("no kicker finding in {fs:#?}"));
    assert_eq!(kicker["original"], "浙川");
    assert_eq!(kicker["suggestion"], "淅川");
    assert_eq!(kicker["kind"], "glyph");
    assert!(kicker["paragraph"].is_null());
    assert!(kicker["evidence"].as_str().is_some_and(|e| !e.is_empty()));
    let dup = fs
        .iter()
        .find(|f| f["where"] == "paragraph" && f["kind"] == "duplicate")
        .unwrap_or_else(|| panic!("no duplicate in a paragraph in {fs:#?}"));
    assert!(dup["paragraph"].is_u64());
    assert!(dup["original"].as_str().unwrap().contains('有'), "{dup:#}");
    assert!(field_of(a, dup).contains("虽有有着"), "{dup:#}");
    assert!(fs.iter().any(|f| f["where"] == "paragraph"
        && f["original"] == "浙川"
        && f["suggestion"] == "淅川"));
    // Every finding points at its original in the printed text.
    for f in fs {
        assert_eq!(
            char_slice(field_of(a, f), &f["start"], &f["end"]),
            f["original"],
            "{f:#}"
        );
        let c = f["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c), "{f:#}");
    }
    // The text is what was printed: the same as without --proof.
    let b = body(a);
    assert!(b.contains("浙川县仓房镇") && b.contains("虽有有着"), "{b}");
    let mut without = doc.clone();
    for a in without["articles"].as_array_mut().unwrap() {
        a.as_object_mut().unwrap().remove("findings");
    }
    assert_eq!(without, plain);
}

#[test]
fn apply_corrections_changes_the_text_and_keeps_the_original_spans() {
    let dir = temp_dir("apply");
    let f = typo_file(dir.path());
    let proofed = json_ok(&run(&["--proof"], &[&f]));
    let doc = json_ok(&run(&["--apply-corrections"], &[&f]));
    let a = typo_article(&doc);
    assert_eq!(a["kicker"], "淅川县发展生态林果23万余亩");
    let b = body(a);
    assert!(b.contains("走进南阳市淅川县仓房镇"), "{b}");
    assert!(b.contains("虽有着四十多年") && !b.contains("有有"), "{b}");
    // The findings are those of the printed text.
    assert_eq!(a["findings"], typo_article(&proofed)["findings"]);
    assert!(findings(a)
        .iter()
        .any(|f| f["where"] == "kicker" && f["original"] == "浙川"));
    // The value may be given after `=`; a file name after the flag is a file.
    let same = json_ok(&run(&["--apply-corrections=0.8"], &[&f]));
    assert_eq!(same, doc);
}

#[test]
fn apply_corrections_leaves_out_fixes_below_the_threshold() {
    let dir = temp_dir("apply99");
    let f = typo_file(dir.path());
    let proofed = json_ok(&run(&["--proof"], &[&f]));
    let doc = json_ok(&run(&["--apply-corrections=0.99"], &[&f]));
    let (p, a) = (typo_article(&proofed), typo_article(&doc));
    let fs = findings(p);
    let dup = fs.iter().find(|f| f["kind"] == "duplicate").unwrap();
    assert!(dup["confidence"].as_f64().unwrap() < 0.99, "{dup:#}");
    assert!(body(a).contains("虽有有着"), "{}", body(a));
    let kicker = fs.iter().find(|f| f["where"] == "kicker").unwrap();
    let want = if kicker["confidence"].as_f64().unwrap() >= 0.99 {
        "淅川县发展生态林果23万余亩"
    } else {
        "浙川县发展生态林果23万余亩"
    };
    assert_eq!(a["kicker"], want);
    // Nothing at all: the printed text.
    let none = json_ok(&run(&["--apply-corrections=1"], &[&f]));
    let sure: Vec<_> = fs.iter().filter(|f| f["confidence"] == 1.0).collect();
    if sure.is_empty() {
        assert_eq!(none, proofed);
    }
    for bad in ["1.5", "-0.1", "x"] {
        let out = run(&[&format!("--apply-corrections={bad}")], &[&f]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(
            stderr(&out).contains("--apply-corrections"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn proof_offsets_hold_with_restored_width() {
    let dir = temp_dir("proofwidth");
    let f = typo_file(dir.path());
    let doc = json_ok(&run(&["--proof", "--restore-width"], &[&f]));
    let a = typo_article(&doc);
    assert!(body(a).contains('，') && !body(a).contains(','));
    for f in findings(a) {
        assert_eq!(
            char_slice(field_of(a, f), &f["start"], &f["end"]),
            f["original"],
            "{f:#}"
        );
    }
    let fixed = json_ok(&run(&["--apply-corrections", "--restore-width"], &[&f]));
    let b = body(typo_article(&fixed));
    assert!(b.contains("淅川县仓房镇，") && b.contains("虽有着"), "{b}");
}

#[test]
fn md_and_text_list_the_findings() {
    let dir = temp_dir("proofmd");
    let f = typo_file(dir.path());
    let md = run(&["--proof", "--format", "md"], &[&f]);
    assert!(md.status.success(), "{}", stderr(&md));
    assert!(
        stdout(&md)
            .lines()
            .any(|l| l.starts_with("> 校对：浙川 → 淅川（置信度 0.")),
        "{}",
        stdout(&md)
    );
    let text = run(&["--proof", "--format", "text"], &[&f]);
    assert!(
        stdout(&text)
            .lines()
            .any(|l| l.starts_with("校对：浙川 → 淅川（置信度 0.")),
        "{}",
        stdout(&text)
    );
}

#[test]
fn proof_shows_findings_for_an_editor() {
    let dir = temp_dir("proofcmd");
    let f = typo_file(dir.path());
    let out = run_sub("proof", &[], &[&f]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = stdout(&out);
    assert!(s.contains("[浙川→淅川]"), "{s}");
    assert!(s.contains("走进南阳市[浙川→淅川]县仓房镇"), "{s}");
    assert!(!s.contains('\x1b'), "no colour when not a terminal: {s}");
    let last = s.lines().last().unwrap();
    let n = findings(typo_article(&json_ok(&run(&["--proof"], &[&f])))).len();
    assert!(last.starts_with(&format!("{n} findings (")), "{last}");
    assert!(
        last.contains(" at ≥0.8) in ") && last.ends_with(" article"),
        "{last}"
    );
    // The header of the most confident finding comes first.
    let first = s.lines().next().unwrap();
    assert!(first.contains("glyph") && first.contains("kicker"), "{s}");
    let confs: Vec<f64> = s
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()) && l.contains("  "))
        .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(confs.len(), n, "{s}");
    assert!(confs.windows(2).all(|w| w[0] >= w[1]), "{confs:?}");

    let colored = stdout(&run_sub("proof", &["--color", "always"], &[&f])).to_string();
    assert!(colored.contains("\x1b["), "{colored}");
    let none = run_sub("proof", &["--min-confidence", "1"], &[&f]);
    let none = stdout(&none);
    if !none.contains("[") {
        assert!(
            none.starts_with("0 findings (0 at ≥0.8) in 1 article"),
            "{none}"
        );
    }
}

#[test]
fn proof_lists_every_unpaired_bracket_of_a_long_paragraph() {
    // Each unpaired bracket is a finding of its own; the editor's list and
    // the width restoration once read the whole field again per finding,
    // so a page of them took minutes.
    let dir = temp_dir("proofbrackets");
    let n = 40_000;
    let body = format!("标题\n\n本报讯 {}\n", "（".repeat(n));
    let f = write(dir.path(), "brackets.txt", body.as_bytes());
    let out = run_sub("proof", &[], &[&f]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let last = stdout(&out).lines().last().unwrap_or_default().to_string();
    assert!(last.starts_with(&format!("{n} findings (")), "{last}");
}

#[test]
fn proof_json_is_parse_proof_json() {
    let dir = temp_dir("proofjson");
    let f = typo_file(dir.path());
    let a = run_sub("proof", &["--format", "json"], &[&f]);
    let b = run(&["--proof", "--format", "json"], &[&f]);
    assert_eq!(json_ok(&a), json_ok(&b));
    assert_eq!(stdout(&a), stdout(&b));
}

#[test]
fn proof_reports_a_bad_file_and_goes_on() {
    let dir = temp_dir("proofbad");
    let f = typo_file(dir.path());
    let missing = dir.path().join("missing.txt");
    let out = run_sub("proof", &["--paper", "南阳日报"], &[&missing, &f]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with(&format!("baozhi: {}: ", missing.display())),
        "{}",
        stderr(&out)
    );
    let s = stdout(&out);
    assert!(s.contains(&format!("==> {} <==", f.display())), "{s}");
    assert!(s.contains("[浙川→淅川]"), "{s}");
    assert!(s.lines().last().unwrap().contains(" findings ("), "{s}");
}

/// Runs `baozhi search --data DIR QUERY`.
fn search(data: &Path, query: &str) -> Output {
    Command::new(BIN)
        .arg("search")
        .arg("--data")
        .arg(data)
        .arg(query)
        .output()
        .expect("run baozhi")
}

#[test]
fn search_refuses_hostile_queries_with_an_error_not_a_crash() {
    let dir = temp_dir("searchlimits");
    let page = write(dir.path(), "nanyang-2024-10-22-p01.txt", PAGE.as_bytes());
    let data = dir.path().join("data");
    let out = Command::new(BIN)
        .args(["ingest", "--paper", "南阳日报", "--data"])
        .arg(&data)
        .arg(&page)
        .output()
        .expect("run baozhi");
    assert!(out.status.success(), "{}", stderr(&out));

    // 5,000 `(` overflowed the stack and aborted; 800 still fit the length
    // limit but nest too deeply.
    for (n, why) in [(5000, "too long"), (800, "nested too deeply")] {
        let out = search(&data, &"(".repeat(n));
        let err = stderr(&out);
        let code = out.status.code();
        assert!(
            code.is_some_and(|c| c != 0 && c != 101),
            "an error exit, not a crash or a panic: {:?}, {err}",
            out.status
        );
        assert!(err.starts_with("baozhi: bad search: "), "{err}");
        assert!(err.contains(why), "{err}");
        assert!(
            !err.contains("panicked") && !err.contains("overflow"),
            "{err}"
        );
        assert!(out.stdout.is_empty(), "{}", stdout(&out));
    }

    // Nested queries within the limits still run.
    let out = search(&data, "(金誉 OR 绿色包装) AND (出口 OR 订单)");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // the hit's snippet shows the query's phrases highlighted
    assert!(stdout(&out).contains("【绿色包装】"), "{}", stdout(&out));
}

#[test]
fn the_learned_engine_is_chosen_by_flag_and_joins_printed_lines() {
    // every printed line on its own text line, as PDF extractors give it
    let page = "江城新建三座口袋公园\n本报记者  林  森\n今年以来，江城市在老城区见缝插绿，利用\n拆违腾退的边角地新建了三座口袋公园，居民\n步行五分钟就能走进绿地。\n";
    let dir = temp_dir("engine");
    let f = write(&dir, "page.txt", page.as_bytes());
    let doc = json_ok(&run(&["--engine", "learned"], &[&f]));
    assert_eq!(doc["schema"], "baozhi/1");
    let a = &doc["articles"][0];
    assert_eq!(a["title"], "江城新建三座口袋公园");
    let paras = a["paragraphs"].as_array().expect("paragraphs");
    assert_eq!(
        paras.len(),
        1,
        "three printed lines, one paragraph: {paras:?}"
    );
    let bad = run(&["--engine", "guess"], &[&f]);
    assert!(!bad.status.success() && stderr(&bad).contains("guess"));
}

/// The bundled PDF example and what it prints (`scripts/example-pdf.py`).
fn example_pdf() -> (PathBuf, Value) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let expected = std::fs::read_to_string(root.join("shili-2026-03-12-p01.expected.json"))
        .expect("expected articles");
    (
        root.join("shili-2026-03-12-p01.pdf"),
        serde_json::from_str(&expected).expect("expected JSON"),
    )
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_pdf_example_gives_its_articles() {
    let (pdf, expected) = example_pdf();
    let doc = json_ok(&run(&[], &[&pdf]));
    assert_eq!(doc["date"], "2026-03-12");
    assert_eq!(doc["pages"][0]["page"], "01");
    // The page's one picture (added field), in points inside the page.
    let pictures = doc["pages"][0]["pictures"].as_array().expect("pictures");
    assert_eq!(pictures.len(), 1, "{pictures:?}");
    let (width, bottom) = (
        doc["pages"][0]["size"]["width"].as_f64().unwrap(),
        pictures[0]["bottom"].as_f64().unwrap(),
    );
    assert!(pictures[0]["x1"].as_f64().unwrap() <= width && bottom > 0.0);
    let got = doc["articles"].as_array().expect("articles");
    let want = expected["articles"].as_array().unwrap();
    assert_eq!(
        got.iter().map(|a| a["title"].clone()).collect::<Vec<_>>(),
        want.iter().map(|a| a["title"].clone()).collect::<Vec<_>>(),
    );
    for (g, w) in got.iter().zip(want) {
        let paragraphs: Vec<String> = g["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["text"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(paragraphs, strings(&w["paragraphs"]), "{}", w["title"]);
        let names: Vec<String> = g["bylines"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|b| strings(&b["names"]))
            .collect();
        assert_eq!(names, strings(&w["bylines"]), "{}", w["title"]);
        let captions: Vec<String> = g["captions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["text"].as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(captions, strings(&w["captions"]), "{}", w["title"]);
    }
    assert_eq!(got[0]["column"], want[0]["column"]);
    assert_eq!(got[0]["dateline"], want[0]["dateline"]);
}

#[test]
fn a_pdf_of_several_pages_gives_one_document_per_page() {
    let two =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../baozhi-pdf/tests/fixtures/two-pages.pdf");
    let out = run(&["--format", "jsonl"], &[&two]);
    assert!(out.status.success(), "{}", stderr(&out));
    let docs: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a document per line"))
        .collect();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["pages"][0]["page"], "01");
    assert_eq!(docs[1]["pages"][0]["page"], "02");
    assert!(docs[1].to_string().contains("农机合作社"));
    assert!(!docs[0].to_string().contains("农机合作社"));
}

#[test]
fn a_pdf_without_text_warns_and_an_encrypted_one_fails_alone() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../baozhi-pdf/tests/fixtures");
    let scan = fixtures.join("image-only.pdf");
    let locked = fixtures.join("password.pdf");
    let (pdf, _) = example_pdf();
    let out = run(&["--format", "jsonl"], &[&scan, &locked, &pdf]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "baozhi: {}: page 1: no text layer",
            scan.display()
        )),
        "{err}"
    );
    assert!(err.contains("--ocr"), "{err}");
    assert!(
        err.contains(&format!("baozhi: {}: encrypted PDF", locked.display())),
        "{err}"
    );
    // The scan still gives its (empty) page; the example its articles.
    let docs: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 2);
    assert!(docs[0]["articles"].as_array().unwrap().is_empty());
    assert!(!docs[1]["articles"].as_array().unwrap().is_empty());
}

fn pdf_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../baozhi-pdf/tests/fixtures")
        .join(name)
}

#[test]
fn hocr_and_alto_pages_give_their_articles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    for name in ["shili-2026-03-12-p01.hocr", "shili-2026-03-12-p01.alto.xml"] {
        let doc = json_ok(&run(&[], &[&root.join(name)]));
        // The file name's date and page, as for any page file.
        assert_eq!(doc["date"], "2026-03-12", "{name}");
        let titles: Vec<&str> = doc["articles"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|a| a["title"].as_str())
            .collect();
        assert!(titles.contains(&"县图书馆新馆开放"), "{name}: {titles:?}");
        // Every printed line is somewhere: OCR text is read losslessly.
        let all = doc.to_string();
        for printed in [
            "智能灌溉走进田间地头",
            "乡村振兴",
            "近日，清河县图书馆新馆正式向读",
        ] {
            assert!(all.contains(printed), "{name}: {printed}");
        }
    }
}

#[test]
fn each_page_says_what_its_text_was_read_from() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let source = |args: &[&str], name: &str| {
        let doc = json_ok(&run(args, &[&root.join(name)]));
        doc["pages"][0].get("source").cloned()
    };
    assert_eq!(source(&[], "shili-2026-03-12-p01.hocr"), Some("ocr".into()));
    assert_eq!(
        source(&[], "shili-2026-03-12-p01.alto.xml"),
        Some("ocr".into())
    );
    assert_eq!(source(&[], "shili-2026-03-12-p01.pdf"), Some("pdf".into()));
    // text as given says nothing of where it came from, unless told
    let text = "jiangcheng-2025-05-06-p01.txt";
    assert_eq!(source(&[], text), None);
    assert_eq!(source(&["--text-from-ocr"], text), Some("ocr".into()));
    // and the proofreader weighs OCR's text as OCR: a look-alike reading
    // is more confident there (own text, 助 misread for 防, which only
    // jieba's lexicon backs: near 0.5 in print)
    let dir = temp_dir("source");
    let page = dir.path().join("page.txt");
    std::fs::write(
        &page,
        "防汛工作部署\n　　各地夯实助汛抗旱基层基础，确保安全度汛，群众生命财产安全得到保障。\n",
    )
    .unwrap();
    let confidences = |args: &[&str]| {
        let doc = json_ok(&run(&[&["--proof"], args].concat(), &[&page]));
        let mut out = Vec::new();
        for a in doc["articles"].as_array().unwrap() {
            for f in a["findings"].as_array().unwrap() {
                if f["kind"] == "glyph" {
                    out.push((f["start"].clone(), f["confidence"].as_f64().unwrap()));
                }
            }
        }
        out
    };
    let (print, ocr) = (confidences(&[]), confidences(&["--text-from-ocr"]));
    assert!(!print.is_empty());
    for (at, c) in &print {
        let o = ocr.iter().find(|(a, _)| a == at).map(|x| x.1);
        assert!(
            o.is_some_and(|o| o > *c),
            "{at}: {c} in print, {o:?} as OCR"
        );
    }
}

#[test]
fn a_scan_without_ocr_says_how_to_read_it() {
    let out = run(&[], &[&pdf_fixture("scan.png")]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("PNG image") && err.contains("--ocr"), "{err}");
}

#[test]
fn ocr_without_tesseract_names_the_packages() {
    let empty = temp_dir("no-tesseract");
    let out = Command::new(BIN)
        .args(["parse", "--ocr"])
        .arg(pdf_fixture("scan.png"))
        .env("PATH", empty.path())
        .output()
        .expect("run baozhi");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("tesseract-ocr tesseract-ocr-chi-sim"), "{err}");
    assert!(stdout(&out).is_empty());
}

/// With Tesseract installed (CI installs Debian's tesseract-ocr,
/// tesseract-ocr-chi-sim and poppler-utils): a PNG scan and a PDF page
/// without text are read by OCR. Reported as skipped otherwise.
#[test]
fn ocr_reads_a_scan_and_a_pdf_page_without_text() {
    let installed = Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("chi_sim"));
    if !installed {
        eprintln!("skipped: tesseract with chi_sim is not installed");
        return;
    }
    for scan in ["scan.png", "scanned.pdf"] {
        let out = run(&["--ocr", "--format", "json"], &[&pdf_fixture(scan)]);
        let doc = json_ok(&out);
        assert!(
            doc.to_string().contains("清河县新建图书馆开放"),
            "{scan}: {doc}"
        );
        if scan.ends_with(".pdf") {
            assert!(stderr(&out).contains("read by OCR"), "{}", stderr(&out));
        }
    }
}

#[test]
fn pdf_and_ocr_articles_say_where_they_were_printed() {
    let (pdf, _) = example_pdf();
    let hocr = pdf.with_extension("hocr");
    for file in [&pdf, &hocr] {
        let doc = json_ok(&run(&[], &[file]));
        for a in doc["articles"].as_array().unwrap() {
            let boxes = a["boxes"].as_array().expect("boxes");
            assert!(!boxes.is_empty(), "{}", a["title"]);
            for b in boxes {
                let v = |k: &str| b[k].as_f64().unwrap();
                // Inside the A4 page, and not empty.
                assert!(
                    0.0 <= v("x0") && v("x0") < v("x1") && v("x1") <= 596.0,
                    "{b}"
                );
                assert!(
                    0.0 <= v("top") && v("top") < v("bottom") && v("bottom") <= 842.0,
                    "{b}"
                );
            }
        }
    }
    // The first article of the PDF runs over three columns: a box each.
    let doc = json_ok(&run(&[], &[&pdf]));
    assert!(doc["articles"][0]["boxes"].as_array().unwrap().len() >= 3);
    // Page text has no geometry, so no boxes.
    let dir = temp_dir("no-boxes");
    let page = write(&dir, "p.txt", PAGE.as_bytes());
    let doc = json_ok(&run(&[], &[&page]));
    assert!(doc["articles"][0].get("boxes").is_none());
}
