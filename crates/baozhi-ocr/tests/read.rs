//! The OCR readers on the bundled example (one page printed by Chromium,
//! rendered at 300 dpi and read by Tesseract into hOCR and ALTO by
//! `scripts/example-pdf.py --ocr`), on damaged input, and Tesseract itself
//! when it is installed.

use std::path::{Path, PathBuf};

use baozhi_ocr::{OcrError, Tesseract};
use proptest::prelude::*;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn example(ext: &str) -> Vec<u8> {
    std::fs::read(examples().join(format!("shili-2026-03-12-p01.{ext}"))).expect("example file")
}

fn pdf_fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../baozhi-pdf/tests/fixtures")
            .join(name),
    )
    .expect("fixture")
}

#[test]
fn hocr_and_alto_of_one_scan_give_the_same_lines() {
    let hocr = baozhi_ocr::read(&example("hocr")).expect("hOCR");
    let alto = baozhi_ocr::read(&example("alto.xml")).expect("ALTO");
    assert_eq!((hocr.len(), alto.len()), (1, 1));
    let (h, a) = (&hocr[0], &alto[0]);
    assert_eq!(h.lines.len(), a.lines.len());
    let same = h
        .lines
        .iter()
        .zip(&a.lines)
        .filter(|(x, y)| x.text == y.text)
        .count();
    assert_eq!(same, h.lines.len(), "{:?}", h.text());
    // Both in points on an A4 page (595 x 842 pt), whatever the unit.
    for p in [h, a] {
        assert!(
            (p.width - 595.0).abs() < 3.0 && (p.height - 842.0).abs() < 3.0,
            "{p:?}"
        );
    }
    for (x, y) in h.lines.iter().zip(&a.lines) {
        assert!((x.bbox.x0 - y.bbox.x0).abs() < 1.0 && (x.bbox.top - y.bbox.top).abs() < 1.0);
    }
    // What the page printed, in the OCR's words.
    let text = h.text();
    for printed in ["智能灌溉走进田间地头", "县图书馆新馆开放", "乡村振兴"] {
        assert!(text.contains(printed), "{printed} not in {text}");
    }
    // Body type is one size: most lines share it.
    let body = h.lines.iter().filter(|l| l.size == h.lines[6].size).count();
    assert!(
        body * 2 > h.lines.len(),
        "{:?}",
        h.lines.iter().map(|l| l.size).collect::<Vec<_>>()
    );
    assert!(h.confidence.unwrap() > 0.8);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn damaged_ocr_files_give_an_error_or_pages_never_a_panic(
        cut in 0usize..60_000,
        at in 0usize..60_000,
        byte in any::<u8>(),
        alto in any::<bool>(),
    ) {
        let mut bytes = example(if alto { "alto.xml" } else { "hocr" });
        let at = at % bytes.len();
        bytes[at] = byte;
        bytes.truncate(cut.max(1).min(bytes.len()));
        let _ = baozhi_ocr::read(&bytes);
    }

    #[test]
    fn any_bytes_give_an_error_or_pages(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = baozhi_ocr::hocr::read(&bytes);
        let _ = baozhi_ocr::alto::read(&bytes);
    }
}

#[test]
fn deep_nesting_costs_no_stack() {
    let mut page = String::from("<html><body><div class='ocr_page' title='bbox 0 0 100 100'>");
    page.push_str(&"<span>".repeat(200_000));
    page.push_str("<span class='ocr_line' title='bbox 0 0 50 10'>深</span>");
    let pages = baozhi_ocr::read(page.as_bytes()).expect("read");
    assert_eq!(pages[0].lines[0].text, "深");
}

/// Tesseract, when it is installed (CI installs Debian's tesseract-ocr and
/// tesseract-ocr-chi-sim); reported as skipped otherwise.
fn tesseract() -> Option<Tesseract> {
    match Tesseract::find(Tesseract::DEFAULT_LANG) {
        Ok(t) => Some(t),
        Err(e) => {
            eprintln!("skipped: {e}");
            None
        }
    }
}

#[test]
fn tesseract_reads_a_scan_and_a_pdf_without_text() {
    let Some(ocr) = tesseract() else { return };
    let pages = ocr
        .recognize(&pdf_fixture("scan.png"))
        .expect("OCR of the PNG");
    assert_eq!(pages.len(), 1);
    assert!(
        pages[0].text().contains("清河县新建图书馆开放"),
        "{}",
        pages[0].text()
    );
    let page = ocr
        .recognize_pdf_page(&pdf_fixture("scanned.pdf"), 1)
        .expect("OCR of the PDF page");
    assert_eq!(page.number, 1);
    assert!(
        page.text().contains("清河县新建图书馆开放"),
        "{}",
        page.text()
    );
    // Rendered at a known resolution: boxes in points on the 420 x 595 pt page.
    assert!((page.width - 420.0).abs() < 2.0, "{}", page.width);
    // Not an image: a clear error, no OCR run.
    assert!(matches!(
        ocr.recognize(b"not an image"),
        Err(OcrError::Failed(_))
    ));
}

#[test]
fn a_missing_language_names_its_package() {
    if tesseract().is_none() {
        return;
    }
    match Tesseract::find("chi_sim+xx_nowhere") {
        Err(OcrError::Missing(m)) => assert!(m.contains("tesseract-ocr-xx-nowhere"), "{m}"),
        other => panic!("{other:?}"),
    }
}
