//! `baozhi parse --format tei` and `--format mets --out DIR` on the bundled
//! examples: what is written where, and the errors for what cannot be.
//! (The formats' content is tested in baozhi-export.)

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_baozhi");

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

fn parse(args: &[&str], files: &[PathBuf]) -> Output {
    Command::new(BIN)
        .arg("parse")
        .args(args)
        .args(files)
        .output()
        .expect("run baozhi")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

/// How many articles `--format json` finds in a file.
fn article_count(file: &Path) -> usize {
    let out = parse(&["--format", "json"], &[file.to_path_buf()]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["articles"].as_array().unwrap().len()
}

#[test]
fn tei_of_one_page_is_a_tei_document_with_every_article() {
    let file = example("jiangcheng-2025-05-06-p01.txt");
    let out = parse(
        &["--format", "tei", "--paper", "江城日报"],
        std::slice::from_ref(&file),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let xml = text(&out.stdout);
    assert!(xml.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">"
    ));
    assert!(
        xml.contains("<title>江城日报 2025-05-06 第01版</title>"),
        "{xml}"
    );
    assert!(xml.contains("jiangcheng-2025-05-06-p01.txt</idno>"));
    assert_eq!(
        xml.matches("<div type=\"article\"").count(),
        article_count(&file)
    );
    assert!(!xml.contains("teiCorpus"));
}

#[test]
fn tei_of_several_pages_is_a_corpus() {
    let files = [
        example("jiangcheng-2025-05-06-p01.txt"),
        example("shili-2026-03-12-p01.pdf"),
    ];
    let out = parse(&["--format", "tei"], &files);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let xml = text(&out.stdout);
    assert!(xml.contains("<teiCorpus xmlns=\"http://www.tei-c.org/ns/1.0\">"));
    assert_eq!(xml.matches("<TEI xmlns=").count(), 2);
    assert!(xml.trim_end().ends_with("</teiCorpus>"));
    let articles: usize = files.iter().map(|f| article_count(f)).sum();
    assert_eq!(xml.matches("<div type=\"article\"").count(), articles);
}

#[test]
fn mets_needs_an_output_directory_and_only_mets_takes_one() {
    let file = example("shili-2026-03-12-p01.pdf");
    let out = parse(&["--format", "mets"], std::slice::from_ref(&file));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--out DIR"),
        "{}",
        text(&out.stderr)
    );

    let dir = tempfile::tempdir().unwrap();
    let out = parse(
        &["--format", "json", "--out", dir.path().to_str().unwrap()],
        &[file],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--out is for --format mets"));
}

#[test]
fn mets_writes_a_mets_and_an_alto_per_page_and_refuses_text() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let files = [
        example("jiangcheng-2025-05-06-p01.txt"),
        example("shili-2026-03-12-p01.pdf"),
        // The same name as the PDF: refused, not written over it.
        example("shili-2026-03-12-p01.hocr"),
        example("shili-2026-03-12-p01.alto.xml"),
    ];
    let out = parse(
        &["--format", "mets", "--out", out_dir.to_str().unwrap()],
        &files,
    );
    let stderr = text(&out.stderr);
    // The text page and the second file named shili-2026-03-12-p01 failed.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr
            .contains("jiangcheng-2025-05-06-p01.txt: METS/ALTO need where each line was printed"),
        "{stderr}"
    );
    assert!(
        stderr.contains("shili-2026-03-12-p01.hocr: not written"),
        "{stderr}"
    );
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "shili-2026-03-12-p01-p01.alto.xml",
            "shili-2026-03-12-p01.alto-p01.alto.xml",
            "shili-2026-03-12-p01.alto.mets.xml",
            "shili-2026-03-12-p01.mets.xml",
        ]
    );
    let listed = text(&out.stdout);
    assert_eq!(listed.lines().count(), 2, "{listed}");
    let mets = std::fs::read_to_string(out_dir.join("shili-2026-03-12-p01.mets.xml")).unwrap();
    assert!(mets.contains("xlink:href=\"shili-2026-03-12-p01-p01.alto.xml\""));
    assert_eq!(
        mets.matches("TYPE=\"ARTICLE\"").count(),
        article_count(&files[1])
    );
    let alto = std::fs::read_to_string(out_dir.join("shili-2026-03-12-p01-p01.alto.xml")).unwrap();
    assert!(alto.contains("<MeasurementUnit>inch1200</MeasurementUnit>"));
    assert!(alto.contains("<fileName>"));
}
