//! hOCR in: the HTML that Tesseract, OCRopus and kraken write.
//!
//! hOCR marks OCR structure with classes and puts geometry in the `title`
//! attribute: `<span class='ocr_line' title="bbox 403 673 929 713;
//! x_size 50.3">`, `<span class='ocrx_word' title='bbox …; x_wconf 92'>`.
//! This reader keeps pages (`ocr_page`), lines (`ocr_line` and the kinds
//! Tesseract gives headers, captions and floating text) and words
//! (`ocrx_word`, bold when they hold `<strong>`), and reads everything
//! else as the text between them. One pass over the events, no recursion:
//! deep or hostile nesting costs a stack entry per open element.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::{attr, finish_page, number, utf8, Format, OcrError, OcrPage, RawLine, Rect, Word};

/// The classes of hOCR line elements (the hOCR 1.2 spec's line-level
/// typesetting elements; Tesseract writes the first four).
const LINE_CLASSES: [&str; 5] = [
    "ocr_line",
    "ocr_header",
    "ocr_caption",
    "ocr_textfloat",
    "ocrx_line",
];

/// HTML elements that never have an end tag (an hOCR file written as HTML
/// rather than XHTML leaves `<meta …>` open).
const VOID_ELEMENTS: [&str; 8] = ["meta", "link", "br", "img", "hr", "input", "area", "base"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    Page,
    Line,
    Word,
    Bold,
    Other,
}

/// The page being read.
struct PageState {
    size: (f32, f32),
    scale: f32,
    lines: Vec<RawLine>,
    /// Boxes of the page's `ocr_photo` and `ocr_image` elements.
    pictures: Vec<Rect>,
}

/// The hOCR classes of pictures (Tesseract writes `ocr_photo`).
const PICTURE_CLASSES: [&str; 2] = ["ocr_photo", "ocr_image"];

/// Reads the pages of an hOCR file.
pub fn read(bytes: &[u8]) -> Result<Vec<OcrPage>, OcrError> {
    read_numbered(bytes, 1)
}

/// Reads the pages of an hOCR file whose first page is page `first` of
/// the document it came from (a PDF page rendered and read on its own), so
/// that pages and their warnings carry the document's numbers.
pub(crate) fn read_numbered(bytes: &[u8], first: usize) -> Result<Vec<OcrPage>, OcrError> {
    let text = utf8(bytes, Format::Hocr)?;
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;

    let mut pages = Pages {
        done: Vec::new(),
        first,
    };
    let mut stack: Vec<Node> = Vec::new();
    let mut page: Option<PageState> = None;
    let mut line: Option<RawLine> = None;
    let mut word: Option<Word> = None;
    let malformed = |reader: &Reader<&[u8]>, reason: String| OcrError::Malformed {
        format: Format::Hocr.name(),
        offset: reader.error_position(),
        reason,
    };

    loop {
        let event = reader
            .read_event()
            .map_err(|e| malformed(&reader, e.to_string()))?;
        match event {
            Event::Start(e) => {
                if VOID_ELEMENTS.contains(&e.local_name().as_ref()) {
                    continue;
                }
                let class = attr_or_empty(&e, "class");
                let title = attr_or_empty(&e, "title");
                let node = if has_class(&class, "ocr_page") {
                    pages.close(&mut page, &mut line);
                    page = Some(page_state(&title));
                    Node::Page
                } else if LINE_CLASSES.iter().any(|c| has_class(&class, c)) && page.is_some() {
                    if let Some(open) = line.take() {
                        push_line(&mut page, open);
                    }
                    line = Some(RawLine {
                        bbox: bbox(&title),
                        turned: turned(&title),
                        ..RawLine::default()
                    });
                    Node::Line
                } else if has_class(&class, "ocrx_word") && page.is_some() {
                    word = Some(Word {
                        text: String::new(),
                        bbox: bbox(&title).unwrap_or_default(),
                        confidence: property(&title, "x_wconf")
                            .and_then(|v| number(v.split_whitespace().next()?))
                            .map(|c| (c / 100.0).clamp(0.0, 1.0)),
                        bold: false,
                    });
                    Node::Word
                } else if PICTURE_CLASSES.iter().any(|c| has_class(&class, c)) {
                    if let (Some(p), Some(b)) = (page.as_mut(), bbox(&title)) {
                        p.pictures.push(b);
                    }
                    Node::Other
                } else if matches!(e.local_name().as_ref(), "strong" | "b") {
                    Node::Bold
                } else {
                    Node::Other
                };
                stack.push(node);
            }
            // A picture written as an empty element.
            Event::Empty(e)
                if PICTURE_CLASSES
                    .iter()
                    .any(|c| has_class(&attr_or_empty(&e, "class"), c)) =>
            {
                if let (Some(p), Some(b)) = (page.as_mut(), bbox(&attr_or_empty(&e, "title"))) {
                    p.pictures.push(b);
                }
            }
            // A page with nothing on it is still a page.
            Event::Empty(e) if has_class(&attr_or_empty(&e, "class"), "ocr_page") => {
                pages.close(&mut page, &mut line);
                let mut empty = Some(page_state(&attr_or_empty(&e, "title")));
                pages.close(&mut empty, &mut None);
            }
            Event::Text(t) => add_text(&t.html_content(), &mut page, &mut line, &mut word),
            Event::CData(t) => add_text(&t.html_content(), &mut page, &mut line, &mut word),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => quick_xml::escape::resolve_predefined_entity(&r.html_content())
                        .unwrap_or(" ")
                        .to_string(),
                    Err(e) => return Err(malformed(&reader, e.to_string())),
                };
                add_text(&resolved, &mut page, &mut line, &mut word);
            }
            Event::End(_) => match stack.pop() {
                Some(Node::Word) => {
                    if let Some(w) = word.take() {
                        line.get_or_insert_with(RawLine::default).words.push(w);
                    }
                }
                Some(Node::Line) => {
                    if let Some(open) = line.take() {
                        push_line(&mut page, open);
                    }
                }
                Some(Node::Page) => pages.close(&mut page, &mut line),
                Some(Node::Bold) => {
                    if let Some(w) = word.as_mut() {
                        w.bold = true;
                    }
                }
                Some(Node::Other) | None => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    // A file cut short: keep what was read.
    if let Some(w) = word.take() {
        line.get_or_insert_with(RawLine::default).words.push(w);
    }
    pages.close(&mut page, &mut line);
    if pages.done.is_empty() {
        return Err(OcrError::NoPage {
            format: Format::Hocr.name(),
            element: "ocr_page",
        });
    }
    Ok(pages.done)
}

/// The pages read so far, numbered from `first`.
struct Pages {
    done: Vec<OcrPage>,
    first: usize,
}

impl Pages {
    /// Closes the open line into the open page and the page into the list
    /// (at a new page, at a page's end, and at the end of a file cut short).
    fn close(&mut self, page: &mut Option<PageState>, line: &mut Option<RawLine>) {
        if let Some(open) = line.take() {
            push_line(page, open);
        }
        if let Some(p) = page.take() {
            let number = self.first + self.done.len();
            self.done
                .push(finish_page(number, p.size, p.scale, p.lines, p.pictures));
        }
    }
}

fn push_line(page: &mut Option<PageState>, line: RawLine) {
    if let Some(p) = page.as_mut() {
        p.lines.push(line);
    }
}

/// Text goes to the open word, else to the open line, else (text in a page
/// outside any line: hOCR without line elements) to a line of its own.
fn add_text(
    text: &str,
    page: &mut Option<PageState>,
    line: &mut Option<RawLine>,
    word: &mut Option<Word>,
) {
    if let Some(w) = word.as_mut() {
        w.text.push_str(text);
    } else if let Some(l) = line.as_mut() {
        l.loose_text.push_str(text);
    } else if let Some(p) = page.as_mut() {
        if !text.trim().is_empty() {
            p.lines.push(RawLine {
                loose_text: text.to_string(),
                ..RawLine::default()
            });
        }
    }
}

fn page_state(title: &str) -> PageState {
    let b = bbox(title).unwrap_or_default();
    let dpi = property(title, "scan_res")
        .and_then(|v| number(v.split_whitespace().next()?))
        .filter(|&d| d > 0.0)
        .unwrap_or(crate::ASSUMED_DPI);
    PageState {
        size: (b.width(), b.height()),
        scale: 72.0 / dpi,
        lines: Vec::new(),
        pictures: Vec::new(),
    }
}

/// The value of attribute `name`; empty when absent or broken.
fn attr_or_empty(e: &BytesStart<'_>, name: &str) -> String {
    attr(e, name).unwrap_or_default()
}

fn has_class(classes: &str, class: &str) -> bool {
    classes.split_whitespace().any(|c| c == class)
}

/// One property of an hOCR `title`: `bbox 1 2 3 4; x_wconf 92` → `"92"`
/// for `x_wconf`.
fn property<'a>(title: &'a str, name: &str) -> Option<&'a str> {
    title.split(';').find_map(|p| {
        let p = p.trim();
        let rest = p.strip_prefix(name)?;
        rest.starts_with(char::is_whitespace).then(|| rest.trim())
    })
}

fn bbox(title: &str) -> Option<Rect> {
    let mut v = property(title, "bbox")?.split_whitespace().map(number);
    let (x0, top, x1, bottom) = (v.next()??, v.next()??, v.next()??, v.next()??);
    (x1 >= x0 && bottom >= top).then_some(Rect {
        x0,
        top,
        x1,
        bottom,
    })
}

/// `textangle 90` (or 270): the line is set turned, as vertical type is.
fn turned(title: &str) -> bool {
    property(title, "textangle")
        .and_then(number)
        .is_some_and(|a| ((a.rem_euclid(180.0)) - 90.0).abs() < 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>not page text</title>
<meta name='ocr-system' content='tesseract 5.3.0' /></head><body>
<div class='ocr_page' id='page_1' title='image "scan.png"; bbox 0 0 3000 4000; ppageno 0; scan_res 300 300'>
 <div class='ocr_carea' title="bbox 100 100 900 300">
  <p class='ocr_par'>
   <span class='ocr_line' title="bbox 100 100 900 200; x_size 100">
    <span class='ocrx_word' title='bbox 100 100 190 200; x_wconf 95'><strong>人</strong></span>
    <span class='ocrx_word' title='bbox 200 100 290 200; x_wconf 91'><strong>民</strong></span>
    <span class='ocrx_word' title='bbox 300 100 390 200; x_wconf 90'><strong>日报</strong></span>
   </span>
   <span class='ocr_line' title="bbox 100 250 900 288; x_size 38">
    <span class='ocrx_word' title='bbox 100 250 137 288; x_wconf 80'>记</span>
    <span class='ocrx_word' title='bbox 140 250 177 288; x_wconf 70'>者</span>
    <span class='ocrx_word' title='bbox 180 250 260 288; x_wconf 60'>A&amp;B</span>
    <span class='ocrx_word' title='bbox 270 250 330 288; x_wconf 50'>Co</span>
   </span>
  </p>
 </div>
</div>
<div class='ocr_page' title='bbox 0 0 600 800; scan_res 72 72'/>
</body></html>"#;

    #[test]
    fn reads_lines_words_boxes_and_pages() {
        let pages = read(PAGE.as_bytes()).unwrap();
        assert_eq!(pages.len(), 2);
        let p = &pages[0];
        assert_eq!(p.number, 1);
        assert_eq!((p.width, p.height), (720.0, 960.0));
        assert_eq!(p.text(), "人民日报\n记者A&B Co\n");
        // 100 px at 300 dpi is 24 pt; the middle word is 100 px tall.
        assert_eq!(p.lines[0].size, 24.0);
        assert!(p.lines[0].bold);
        assert!(!p.lines[1].bold);
        assert_eq!(p.lines[1].bbox.top, 60.0);
        let c = p.confidence.unwrap();
        assert!((c - 536.0 / 700.0).abs() < 1e-4, "{c}");
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert_eq!(pages[1].number, 2);
        assert_eq!(pages[1].width, 600.0);
        assert!(pages[1].warnings[0].contains("page 2"));
    }

    #[test]
    fn pages_read_on_their_own_keep_the_document_numbers() {
        let pages = read_numbered(PAGE.as_bytes(), 7).unwrap();
        assert_eq!(pages[0].number, 7);
        assert_eq!(pages[1].number, 8);
        assert!(
            pages[1].warnings[0].starts_with("page 8:"),
            "{:?}",
            pages[1].warnings
        );
    }

    /// Two columns; the left one runs on under its photo, the right one
    /// ends above the photo's foot (scan units: 300 dpi, 100 px a line).
    #[test]
    fn a_photo_keeps_its_column_together() {
        let line = |x: u32, y: u32, text: &str| {
            format!(
                "<span class='ocr_line' title='bbox {x} {y} {} {}'><span class='ocrx_word' title='bbox {x} {y} {} {}'>{text}</span></span>\n",
                x + 600,
                y + 100,
                x + 600,
                y + 100
            )
        };
        let photo = "<div class='ocr_photo' title='bbox 0 400 600 1300'></div>\n";
        let page = |photo: &str| {
            format!(
                "<html><body><div class='ocr_page' title='bbox 0 0 2000 3000'>\n{}{}{}{}{}{}{}</div></body></html>",
                line(0, 100, "左栏第一行字"),
                line(0, 240, "左栏第二行字"),
                line(800, 100, "右栏第一行字"),
                line(800, 240, "右栏第二行字"),
                photo,
                line(0, 1350, "图片说明文字"),
                line(0, 1490, "左栏又一行字"),
            )
        };
        let p = &read(page(photo).as_bytes()).unwrap()[0];
        // 600 px at 300 dpi is 144 pt
        assert_eq!(p.pictures.len(), 1);
        assert_eq!((p.pictures[0].x1, p.pictures[0].bottom), (144.0, 312.0));
        assert_eq!(
            p.text(),
            "左栏第一行字\n左栏第二行字\n图片说明文字\n左栏又一行字\n右栏第一行字\n右栏第二行字\n"
        );
        // without the photo, the white under the right column is a band
        let p = &read(page("").as_bytes()).unwrap()[0];
        assert!(p.pictures.is_empty());
        assert!(p.text().ends_with("左栏又一行字\n"), "{}", p.text());
    }

    #[test]
    fn vertical_lines_are_reported() {
        let page = r#"<html><body><div class='ocr_page' title='bbox 0 0 1000 1000'>
<span class='ocr_line' title='bbox 10 10 50 400'>
<span class='ocrx_word' title='bbox 10 10 50 50'>新</span>
<span class='ocrx_word' title='bbox 10 60 50 100'>闻</span>
<span class='ocrx_word' title='bbox 10 110 50 150'>报</span></span>
<span class='ocr_line' title='bbox 100 10 500 50; textangle 90'>
<span class='ocrx_word' title='bbox 100 10 140 50'>竖</span></span>
</div></body></html>"#;
        let p = &read(page.as_bytes()).unwrap()[0];
        assert_eq!(p.vertical_lines, 2);
        assert!(p.warnings.iter().any(|w| w.contains("vertical")));
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert!(matches!(
            read(b"<html><body>no pages</body></html>"),
            Err(OcrError::NoPage { .. })
        ));
        assert!(matches!(
            read(b"<html><div class='ocr_page' title='bbox 0 0 1 1'>&#0;</div>"),
            Err(OcrError::Malformed { .. })
        ));
        assert!(matches!(
            read(b"<html>\xff\xfe</html>"),
            Err(OcrError::Encoding { offset: 6, .. })
        ));
        // Cut short: what was read is kept.
        let cut = &PAGE[..PAGE.find("记").unwrap()];
        let p = read(cut.as_bytes()).unwrap();
        assert_eq!(p[0].lines[0].text, "人民日报");
    }
}
