//! The pipeline as front ends use it: what it takes from the file name and
//! the user, which stages it runs, and that findings stay tied to the
//! printed text whatever is corrected or widened after them.

use std::path::{Path, PathBuf};

use baozhi_ingest::{EncodingChoice, PageText};
use baozhi_model::{Document, TextSource};
use baozhi_pipeline::{Engine, Pipeline, Proofing};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

const TEXT_PAGE: &str = "jiangcheng-2025-05-06-p01.txt";

fn text_page() -> (PathBuf, PageText) {
    let path = example(TEXT_PAGE);
    let decoded = baozhi_ingest::read_page(&path, EncodingChoice::Auto).expect("example page");
    (path, decoded.into())
}

fn body(doc: &Document) -> String {
    doc.articles
        .iter()
        .flat_map(|a| &a.paragraphs)
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn date_and_page_come_from_the_user_before_the_file_name() {
    let (path, page) = text_page();
    let named = Pipeline::default().document(Some(&path), &page);
    assert_eq!(named.date.as_deref(), Some("2025-05-06"));
    assert_eq!(named.pages[0].page.as_deref(), Some("01"));
    assert!(!named.articles.is_empty());

    let given = Pipeline {
        date: Some("2025-05-07".into()),
        page: Some("A3".into()),
        paper: Some("江城日报".into()),
        ..Pipeline::default()
    }
    .document(Some(&path), &page);
    assert_eq!(given.date.as_deref(), Some("2025-05-07"));
    assert_eq!(given.pages[0].page.as_deref(), Some("A3"));
    assert_eq!(given.paper.as_deref(), Some("江城日报"));

    let unnamed = Pipeline::default().document(None, &page);
    assert_eq!(unnamed.date, None);
}

#[test]
fn a_page_records_ocr_text_only_when_it_is_ocr() {
    let (path, page) = text_page();
    let plain = Pipeline::default().document(Some(&path), &page);
    assert_eq!(plain.pages[0].source, None);
    let ocr = Pipeline {
        text_from_ocr: true,
        ..Pipeline::default()
    }
    .document(Some(&path), &page);
    assert_eq!(ocr.pages[0].source, Some(TextSource::Ocr));
    // the articles are read the same; only the proofreader weighs them apart
    assert_eq!(plain.articles, ocr.articles);
}

#[test]
fn proofing_lists_findings_and_corrects_only_when_asked() {
    let (path, mut page) = text_page();
    // A doubled char, as a typesetter or OCR makes one.
    let word = "经济指标";
    assert!(page.text.contains(word));
    page.text = page.text.replacen(word, "经济指指标", 1);
    let off = Pipeline::default().document(Some(&path), &page);
    assert!(off.articles.iter().all(|a| a.findings.is_none()));

    let find = Pipeline {
        proofing: Proofing::Find,
        ..Pipeline::default()
    }
    .document(Some(&path), &page);
    assert_eq!(body(&find), body(&off), "findings never change the text");
    let found: Vec<_> = find
        .articles
        .iter()
        .flat_map(|a| a.findings.clone().expect("proofread"))
        .collect();
    assert!(
        found
            .iter()
            .any(|f| f.confidence >= 0.8 && f.original == "指指"),
        "{found:?}"
    );

    let apply = Pipeline {
        proofing: Proofing::Apply(0.8),
        ..Pipeline::default()
    }
    .document(Some(&path), &page);
    assert!(body(&off).contains("指指"));
    assert!(!body(&apply).contains("指指"), "sure findings are applied");
    // The findings are the same list, against the printed text.
    for (a, b) in find.articles.iter().zip(&apply.articles) {
        assert_eq!(a.findings, b.findings);
    }
}

#[test]
fn width_restoration_keeps_findings_on_their_chars() {
    let (path, page) = text_page();
    let narrow = Pipeline {
        proofing: Proofing::Find,
        ..Pipeline::default()
    }
    .document(Some(&path), &page);
    let wide = Pipeline {
        proofing: Proofing::Find,
        restore_width: true,
        ..Pipeline::default()
    }
    .document(Some(&path), &page);
    assert!(
        body(&narrow).contains(','),
        "the example prints half-width commas"
    );
    assert!(!body(&wide).contains(','), "{}", body(&wide));
    for (n, w) in narrow.articles.iter().zip(&wide.articles) {
        let (nf, wf) = (n.findings.as_ref().unwrap(), w.findings.as_ref().unwrap());
        assert_eq!(nf.len(), wf.len());
        for f in wf {
            let text = w.field_text(f.field, f.paragraph).expect("field");
            let at: String = text.chars().skip(f.start).take(f.end - f.start).collect();
            assert_eq!(at, f.original, "{f:?}");
        }
    }
}

#[test]
fn pages_with_boxes_are_read_by_the_line_model_whatever_the_engine() {
    let path = example("shili-2026-03-12-p01.hocr");
    let file = baozhi_ingest::read_file(Some(&path), &Default::default()).expect("hOCR");
    let page = file.page(0).expect("page");
    assert!(page.geometry.is_some());
    let with = |engine| {
        Pipeline {
            engine,
            ..Pipeline::default()
        }
        .document(Some(&path), &page)
    };
    assert_eq!(with(Engine::Rules), with(Engine::Learned));

    // Text alone is read by the engine chosen.
    let (path, page) = text_page();
    let rules = Pipeline {
        engine: Engine::Rules,
        ..Pipeline::default()
    }
    .document(Some(&path), &page);
    let learned = Pipeline::default().document(Some(&path), &page);
    assert_ne!(rules.articles, learned.articles);
}
