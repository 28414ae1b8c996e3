//! `baozhi export` from `parse` output and from an archive built by
//! `baozhi ingest`: a row per article in every format, the ids the archive
//! gives, `archive export` writing the same JSON lines, TEI valid against
//! TEI P5 (with xmllint), Parquet read back, and the usage errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_baozhi");
const PAPER: &str = "江城日报";
const EXAMPLES: [&str; 2] = ["jiangcheng-2025-05-06-p01.txt", "shili-2026-03-12-p01.pdf"];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn examples() -> Vec<String> {
    EXAMPLES
        .iter()
        .map(|n| repo().join("examples").join(n).display().to_string())
        .collect()
}

fn baozhi(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("run baozhi")
}

fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

/// `baozhi parse --format json` of the examples, in a file; and the
/// documents it holds.
fn parsed(dir: &Path) -> (String, Vec<Value>) {
    let mut args = vec!["parse", "--format", "json", "--paper", PAPER];
    let files = examples();
    args.extend(files.iter().map(String::as_str));
    let out = ok(baozhi(&args));
    let docs: Vec<Value> = serde_json::Deserializer::from_slice(&out.stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(docs.len(), 2, "a document per page");
    let path = dir.join("parsed.json");
    std::fs::write(&path, &out.stdout).unwrap();
    (path.display().to_string(), docs)
}

fn titles(docs: &[Value]) -> Vec<String> {
    docs.iter()
        .flat_map(|d| d["articles"].as_array().unwrap())
        .map(|a| a["title"].as_str().unwrap().to_string())
        .collect()
}

/// An archive of the examples, built by `baozhi ingest`.
fn archive(dir: &Path) -> String {
    let data = dir.join("data").display().to_string();
    let mut args = vec!["ingest", "--data", &data, "--paper", PAPER];
    let files = examples();
    args.extend(files.iter().map(String::as_str));
    ok(baozhi(&args));
    data
}

fn jsonl(out: &[u8]) -> Vec<Value> {
    text(out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

#[test]
fn jsonl_from_parse_output_has_a_line_per_article() {
    let dir = tempfile::tempdir().unwrap();
    let (file, docs) = parsed(dir.path());
    let rows = jsonl(&ok(baozhi(&["export", &file])).stdout);
    let want = titles(&docs);
    assert!(want.len() >= 4);
    assert_eq!(rows.len(), want.len(), "a line per article `parse` found");
    let got: Vec<String> = rows
        .iter()
        .map(|r| r["article"]["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, want);
    for r in &rows {
        assert_eq!(r["paper"], PAPER);
        assert_eq!(r["page"], "01");
        assert!(r["date"].as_str().unwrap().starts_with("20"));
        assert!(
            r["article"]["paragraphs"].is_array(),
            "the baozhi/1 article"
        );
    }

    // The same from standard input, as JSON lines (`parse --format jsonl`).
    let jsonl_docs: String = docs.iter().map(|d| format!("{d}\n")).collect();
    let mut child = Command::new(BIN)
        .args(["export", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(jsonl_docs.as_bytes())
        .unwrap();
    let out = ok(child.wait_with_output().unwrap());
    assert_eq!(jsonl(&out.stdout), rows);
}

#[test]
fn parse_output_and_its_archive_export_the_same_ids() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = parsed(dir.path());
    let data = archive(dir.path());
    let key = |r: &Value| {
        (
            r["id"].as_str().unwrap().to_string(),
            r["article"]["title"].as_str().unwrap().to_string(),
        )
    };
    let mut from_parse: Vec<_> = jsonl(&ok(baozhi(&["export", &file])).stdout)
        .iter()
        .map(key)
        .collect();
    let mut from_archive: Vec<_> = jsonl(&ok(baozhi(&["export", "--data", &data])).stdout)
        .iter()
        .map(key)
        .collect();
    from_parse.sort();
    from_archive.sort();
    assert_eq!(from_parse, from_archive);
    assert!(from_parse[0]
        .0
        .starts_with("%E6%B1%9F%E5%9F%8E%E6%97%A5%E6%8A%A5/20"));
}

#[test]
fn archive_export_writes_what_export_writes() {
    let dir = tempfile::tempdir().unwrap();
    let data = archive(dir.path());
    for args in [
        &["--format", "jsonl"][..],
        &["--format", "csv", "--paper", PAPER][..],
    ] {
        let mut old = vec!["archive", "export", "--data", &data];
        old.extend(args);
        let mut new = vec!["export", "--data", &data];
        new.extend(args);
        let old = ok(baozhi(&old)).stdout;
        assert!(!old.is_empty());
        assert_eq!(text(&old), text(&ok(baozhi(&new)).stdout), "{args:?}");
    }
    // Selections pick the same articles.
    let one = ok(baozhi(&[
        "export",
        "--data",
        &data,
        "--from",
        "2026-01-01",
        "--limit",
        "1",
    ]));
    let rows = jsonl(&one.stdout);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["date"], "2026-03-12");
}

#[test]
fn tei_from_an_archive_is_valid_tei_with_a_div_per_article() {
    let dir = tempfile::tempdir().unwrap();
    let data = archive(dir.path());
    let (_, docs) = parsed(dir.path());
    let xml_path = dir.path().join("archive.tei.xml");
    let xml_file = xml_path.display().to_string();
    ok(baozhi(&[
        "export", "--data", &data, "--format", "tei", "-o", &xml_file,
    ]));
    let xml = std::fs::read_to_string(&xml_path).unwrap();
    assert!(xml.contains("<teiCorpus"), "two pages: a corpus");
    assert_eq!(xml.matches("<TEI xmlns=").count(), 2, "a TEI per page");
    assert_eq!(
        xml.matches("<div type=\"article\"").count(),
        titles(&docs).len()
    );
    for title in titles(&docs) {
        assert!(
            xml.contains(&format!("<head type=\"main\">{title}</head>")),
            "{title}"
        );
    }
    assert!(xml.contains(&format!("<title level=\"j\">{PAPER}</title>")));

    let lint = Command::new("xmllint").arg("--version").output();
    if !lint.is_ok_and(|o| o.status.success()) {
        eprintln!(
            "skipped TEI schema validation: xmllint not found (Debian package libxml2-utils)"
        );
        return;
    }
    let schemas = repo().join("crates/baozhi-export/schemas");
    let out = Command::new("xmllint")
        .env("XML_CATALOG_FILES", schemas.join("catalog.xml"))
        .args(["--nonet", "--noout", "--relaxng"])
        .arg(schemas.join("tei_all.rng"))
        .arg(&xml_path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn parquet_has_a_row_per_article_with_its_title() {
    let dir = tempfile::tempdir().unwrap();
    let (file, docs) = parsed(dir.path());
    let data = archive(dir.path());
    let from_parse = dir.path().join("parse.parquet");
    let from_archive = dir.path().join("archive.parquet");
    let p = from_parse.display().to_string();
    let a = from_archive.display().to_string();
    ok(baozhi(&["export", "--format", "parquet", "-o", &p, &file]));
    ok(baozhi(&[
        "export", "--data", &data, "--format", "parquet", "-o", &a,
    ]));
    let want = titles(&docs);
    for path in [&from_parse, &from_archive] {
        let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
        let rows: Vec<_> = reader
            .get_row_iter(None)
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(rows.len(), want.len(), "{}", path.display());
        let mut got = Vec::new();
        for row in &rows {
            let fields: Vec<(&String, &Field)> = row.get_column_iter().collect();
            let field = |name: &str| fields.iter().find(|(n, _)| *n == name).unwrap().1;
            match field("title") {
                Field::Str(s) => got.push(s.clone()),
                other => panic!("title {other:?}"),
            }
            assert_eq!(*field("paper"), Field::Str(PAPER.into()));
            assert!(matches!(field("date"), Field::Date(_)));
        }
        let (mut got, mut want) = (got, want.clone());
        got.sort();
        want.sort();
        assert_eq!(got, want, "{}", path.display());
    }
}

#[test]
fn opensearch_bulk_names_the_index_and_each_article_once() {
    let dir = tempfile::tempdir().unwrap();
    let (file, docs) = parsed(dir.path());
    let out = ok(baozhi(&[
        "export",
        "--format",
        "opensearch",
        "--index",
        "papers",
        &file,
    ]));
    let lines = jsonl(&out.stdout);
    assert_eq!(lines.len(), 2 * titles(&docs).len());
    let mut ids = std::collections::HashSet::new();
    for pair in lines.chunks(2) {
        assert_eq!(pair[0]["index"]["_index"], "papers");
        assert_eq!(pair[0]["index"]["_id"], pair[1]["id"]);
        assert!(ids.insert(pair[1]["id"].as_str().unwrap().to_string()));
        assert!(pair[1]["title"].is_string());
    }
    let template = ok(baozhi(&[
        "export",
        "--format",
        "opensearch-template",
        "--index",
        "papers",
    ]));
    let template: Value = serde_json::from_slice(&template.stdout).expect("JSON");
    assert_eq!(template["index_patterns"], serde_json::json!(["papers"]));
    let mappings = &template["template"]["mappings"]["properties"];
    for key in lines[1].as_object().unwrap().keys() {
        assert!(mappings.get(key).is_some(), "{key} is not mapped");
    }
}

#[test]
fn inputs_that_cannot_be_read_are_reported_and_the_rest_exported() {
    let dir = tempfile::tempdir().unwrap();
    let (file, docs) = parsed(dir.path());
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"schema\": \"baozhi/1\", oops").unwrap();
    let other = dir.path().join("other.json");
    std::fs::write(
        &other,
        "{\"schema\":\"other/2\",\"paper\":null,\"date\":null,\"pages\":[],\"articles\":[]}",
    )
    .unwrap();
    let missing = dir.path().join("missing.json");
    let out = baozhi(&[
        "export",
        bad.to_str().unwrap(),
        &file,
        other.to_str().unwrap(),
        missing.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("bad.json: document 1: not baozhi/1 JSON"),
        "{err}"
    );
    assert!(
        err.contains("other.json: document 1: schema is \"other/2\""),
        "{err}"
    );
    assert!(err.contains("missing.json: cannot open"), "{err}");
    assert_eq!(jsonl(&out.stdout).len(), titles(&docs).len());
}

#[test]
fn command_lines_that_cannot_run_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = parsed(dir.path());
    let cases: [(&[&str], &str); 5] = [
        (&["export", "--format", "parquet", &file], "-o FILE"),
        (
            &["export", "--format", "jsonl", "--index", "x", &file],
            "--index is for",
        ),
        (&["export", "--paper", PAPER, &file], "cannot be used with"),
        (
            &["export", "--format", "opensearch-template", &file],
            "takes no input",
        ),
        (&["export", "-", "-"], "standard input"),
    ];
    for (args, says) in cases {
        let out = baozhi(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let none = dir.path().join("none").display().to_string();
    let out = baozhi(&["export", "--data", &none]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no archive in"));
}
