//! Reads real PDFs: the bundled example page (printed by Chromium from
//! HTML + CSS) and the small awkward files of `tests/fixtures`
//! (`scripts/pdf-fixtures.py`), and damaged bytes, which must give errors,
//! never panics.

use baozhi_pdf::{Pdf, PdfError};
use proptest::prelude::*;

const EXAMPLE: &[u8] = include_bytes!("../../../examples/shili-2026-03-12-p01.pdf");

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn open(bytes: &[u8]) -> Pdf {
    Pdf::from_bytes(bytes.to_vec()).expect("opens")
}

/// Index of the first line that contains `needle`.
fn line_of(page: &baozhi_pdf::PdfPage, needle: &str) -> usize {
    page.lines
        .iter()
        .position(|l| l.text.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle}: {:#?}", page.text()))
}

#[test]
fn the_example_page_reads_in_column_order_with_its_type() {
    let pdf = open(EXAMPLE);
    assert_eq!(pdf.page_count(), 1);
    let page = pdf.page(0).unwrap();
    assert!(page.warnings.is_empty(), "{:?}", page.warnings);
    assert!(page.width > 500.0 && page.height > 800.0, "A4 in points");
    // The title is one printed line, in larger and heavier type than the
    // body; the label above it comes first.
    let title = line_of(&page, "智能灌溉走进田间地头");
    let label = line_of(&page, "乡村振兴");
    let body = line_of(&page, "春耕时节");
    assert!(label < title && title < body);
    assert_eq!(page.lines[title].text, "智能灌溉走进田间地头");
    assert!(page.lines[title].size > 1.5 * page.lines[body].size);
    // (Chromium draws bold as a stroked regular face when the font has no
    // bold, so `bold` is not asserted on this page.)
    // Columns are read one after the other: the first paragraph's end (in
    // column one or two) comes before the second paragraph's start, and the
    // third paragraph (last column) after both.
    let first_end = line_of(&page, "八个乡镇");
    let second = line_of(&page, "在南庄村，种粮大户");
    let third = line_of(&page, "据了解，清河县");
    assert!(body < first_end && first_end < second && second < third);
    // The second article follows the first one's text.
    assert!(third < line_of(&page, "县图书馆新馆开放"));
    // Every printed character is there once: the body text, without line
    // breaks, is the paragraphs' text.
    let all: String = page.lines.iter().map(|l| l.text.as_str()).collect();
    assert!(all.contains("今年全县推广智能灌溉设备两千余套"), "{all}");
    assert_eq!(all.matches("智能灌溉走进田间地头").count(), 1);
    // Boxes are inside the page, top-left origin.
    for l in &page.lines {
        assert!(l.bbox.x0 >= 0.0 && l.bbox.x1 <= page.width + 1.0, "{l:?}");
        assert!(
            l.bbox.top >= 0.0 && l.bbox.bottom <= page.height + 1.0,
            "{l:?}"
        );
        assert!(l.bbox.top < l.bbox.bottom && l.bbox.x0 < l.bbox.x1, "{l:?}");
    }
    let head = line_of(&page, "示例日报");
    assert!(page.lines[head].bbox.top < page.lines[title].bbox.top);
}

#[test]
fn the_example_page_has_its_picture_over_its_caption() {
    let page = open(EXAMPLE).page(0).unwrap();
    // The grey box over 南庄村农户在查看土壤墒情数据 in the third column,
    // and nothing else (rules and text are no pictures).
    assert_eq!(page.pictures.len(), 1, "{:?}", page.pictures);
    let picture = page.pictures[0];
    let caption = &page.lines[line_of(&page, "南庄村农户在查看土壤墒情数据")].bbox;
    assert!(
        picture.bottom <= caption.top + 1.0,
        "{picture:?} over {caption:?}"
    );
    assert!(
        caption.top - picture.bottom < 20.0,
        "{picture:?} right over {caption:?}"
    );
    let overlap = picture.x1.min(caption.x1) - picture.x0.max(caption.x0);
    assert!(
        overlap > 0.5 * caption.width(),
        "{picture:?} across {caption:?}"
    );
    assert!(picture.x0 >= 0.0 && picture.x1 <= page.width && picture.top >= 0.0);
}

#[test]
fn text_has_one_printed_line_per_line() {
    let page = open(EXAMPLE).page(0).unwrap();
    let text = page.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), page.lines.len());
    for (t, l) in lines.iter().zip(&page.lines) {
        assert_eq!(*t, l.text);
    }
}

#[test]
fn a_whole_issue_gives_each_page_in_turn() {
    let pdf = open(&fixture("two-pages.pdf"));
    assert_eq!(pdf.page_count(), 2);
    let one = pdf.page(0).unwrap();
    let two = pdf.page(1).unwrap();
    assert_eq!((one.number, two.number), (1, 2));
    assert!(one.text().contains("清河县图书馆新馆开放"));
    assert!(two.text().contains("南庄村建起农机合作社"));
    assert!(!one.text().contains("南庄村"));
    assert!(matches!(pdf.page(2), Err(PdfError::Page { page: 3, .. })));
}

#[test]
fn a_password_protected_pdf_is_refused_as_encrypted() {
    assert_eq!(
        Pdf::from_bytes(fixture("password.pdf")).unwrap_err(),
        PdfError::Encrypted
    );
}

#[test]
fn a_pdf_with_an_owner_password_only_opens() {
    let pdf = open(&fixture("owner-only.pdf"));
    assert!(pdf
        .page(0)
        .unwrap()
        .text()
        .contains("县里新建的图书馆今天开放"));
}

#[test]
fn a_page_without_text_warns_and_suggests_ocr() {
    let page = open(&fixture("image-only.pdf")).page(0).unwrap();
    assert!(page.lines.is_empty());
    assert_eq!(page.warnings.len(), 1, "{:?}", page.warnings);
    assert!(page.warnings[0].contains("page 1"));
    assert!(page.warnings[0].contains("no text layer"));
    assert!(page.warnings[0].contains("OCR"));
}

#[test]
fn vertical_type_is_one_line_in_the_order_drawn_and_reported() {
    // Chromium's vertical-rl headline: every glyph's box at one place
    let page = open(&fixture("vertical.pdf")).page(0).unwrap();
    let title = line_of(&page, "竖排标题在这里显示");
    assert_eq!(page.lines[title].text, "竖排标题在这里显示");
    // no glyph of it is left as a line of its own
    assert!(!page
        .lines
        .iter()
        .any(|l| l.text.chars().count() == 1 && "竖排标题在这里显示".contains(&l.text)));
    // the paragraph beside it is read as before
    assert!(line_of(&page, "本报北京3月12日电") < line_of(&page, "第二段正文也在这里"));
    assert_eq!(page.warnings.len(), 1, "{:?}", page.warnings);
    let w = &page.warnings[0];
    assert!(w.starts_with("page 1: vertical type: 9 characters"), "{w}");
    assert!(w.contains("--ocr"), "{w}");
}

#[test]
fn kangxi_radicals_come_out_as_the_ideographs_they_print() {
    // The font's map gives U+2FA6 and U+2FA7 (pdftotext prints them so);
    // the page text has 金 and 長. pdf_oxide already reads these two through
    // the embedded font; what it leaves is replaced here and listed.
    let page = open(&fixture("kangxi.pdf")).page(0).unwrap();
    let text = page.text();
    assert!(text.contains("金价上涨，長江两岸"), "{text}");
    assert!(!text.chars().any(|c| ('\u{2F00}'..='\u{2FDF}').contains(&c)));
    for n in &page.normalized {
        assert!(
            matches!((n.from, n.to), ('\u{2FA6}', '金') | ('\u{2FA7}', '長')),
            "{n:?}"
        );
        let line = &page.lines[n.line].text;
        assert_eq!(line.chars().nth(n.column), Some(n.to));
    }
    assert_eq!(
        page.warnings.len(),
        usize::from(!page.normalized.is_empty())
    );
}

#[test]
fn not_a_pdf_and_empty_are_told_apart() {
    assert_eq!(Pdf::from_bytes(Vec::new()).unwrap_err(), PdfError::Empty);
    assert_eq!(
        Pdf::from_bytes(b"plain text, not a PDF".to_vec()).unwrap_err(),
        PdfError::NotPdf
    );
}

#[test]
fn a_truncated_pdf_gives_an_error_or_fewer_lines_never_a_panic() {
    for keep in [
        16,
        200,
        EXAMPLE.len() / 3,
        EXAMPLE.len() / 2,
        EXAMPLE.len() - 100,
    ] {
        match Pdf::from_bytes(EXAMPLE[..keep].to_vec()) {
            Err(PdfError::Damaged(why)) => assert!(!why.is_empty()),
            Err(e) => panic!("{keep} bytes: unexpected {e}"),
            Ok(pdf) => {
                for i in 0..pdf.page_count() {
                    if let Err(e) = pdf.page(i) {
                        assert!(e.to_string().starts_with(&format!("page {}", i + 1)));
                    }
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Bytes of the example with some overwritten: the reader gives a
    /// result or an error for the file and for each page, and returns.
    #[test]
    fn damaged_bytes_never_panic(
        edits in proptest::collection::vec((0..EXAMPLE.len(), any::<u8>()), 1..40)
    ) {
        let mut bytes = EXAMPLE.to_vec();
        for (at, b) in edits {
            bytes[at] = b;
        }
        if let Ok(pdf) = Pdf::from_bytes(bytes) {
            for i in 0..pdf.page_count().min(4) {
                let _ = pdf.page(i);
            }
        }
    }
}
