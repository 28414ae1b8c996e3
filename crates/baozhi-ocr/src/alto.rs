//! ALTO XML in: the format of library digitization (Tesseract, ABBYY
//! FineReader, docWorks; versions 2 to 4, whatever the namespace).
//!
//! ALTO gives geometry as attributes: `<TextLine HPOS= VPOS= WIDTH=
//! HEIGHT=>` holding `<String CONTENT= …/>`, `<SP/>` and `<HYP/>`, in the
//! unit `<MeasurementUnit>` names (pixel, mm10, inch1200). Type styles are
//! `<TextStyle ID= FONTSIZE= FONTSTYLE=>`, referred to by `STYLEREFS` on a
//! block, line or string; a string may also say `STYLE="bold"`.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::{attr, finish_page, number, utf8, Format, OcrError, OcrPage, RawLine, Rect, Word};

/// Points per unit of ALTO's `MeasurementUnit`. `pixel` has no stated
/// resolution: [`crate::ASSUMED_DPI`].
fn unit_scale(unit: &str) -> f32 {
    match unit.trim() {
        "mm10" => 72.0 / 254.0,
        "inch1200" => 72.0 / 1200.0,
        _ => 72.0 / crate::ASSUMED_DPI,
    }
}

struct PageState {
    size: (f32, f32),
    lines: Vec<RawLine>,
    /// Boxes of the page's `Illustration` elements (photos, drawings).
    pictures: Vec<Rect>,
}

impl PageState {
    /// The page read, as page `number` of the file, in units of `scale`.
    fn finish(self, number: usize, scale: f32) -> OcrPage {
        finish_page(number, self.size, scale, self.lines, self.pictures)
    }
}

/// Reads the pages of an ALTO file.
pub fn read(bytes: &[u8]) -> Result<Vec<OcrPage>, OcrError> {
    let text = utf8(bytes, Format::Alto)?;
    let mut reader = Reader::from_str(text);
    let malformed = |reader: &Reader<&[u8]>, reason: String| OcrError::Malformed {
        format: Format::Alto.name(),
        offset: reader.error_position(),
        reason,
    };

    let mut scale = unit_scale("pixel");
    let mut in_unit = false;
    let mut bold_styles: HashMap<String, bool> = HashMap::new();
    let mut block_bold = false;
    let mut block_turned = false;
    let mut line_bold = false;
    let mut pages: Vec<OcrPage> = Vec::new();
    let mut page: Option<PageState> = None;
    let mut line: Option<RawLine> = None;

    loop {
        let event = reader
            .read_event()
            .map_err(|e| malformed(&reader, e.to_string()))?;
        let (e, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::Text(t) if in_unit => {
                scale = unit_scale(&t.html_content());
                continue;
            }
            Event::End(e) => {
                match e.local_name().as_ref() {
                    "MeasurementUnit" => in_unit = false,
                    "TextLine" => {
                        if let (Some(l), Some(p)) = (line.take(), page.as_mut()) {
                            p.lines.push(l);
                        }
                    }
                    "TextBlock" => (block_bold, block_turned) = (false, false),
                    "Page" => {
                        if let Some(p) = page.take() {
                            pages.push(p.finish(pages.len() + 1, scale));
                        }
                    }
                    _ => {}
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        match e.local_name().as_ref() {
            "MeasurementUnit" => in_unit = !empty,
            "TextStyle" => {
                if let Some(id) = attr(&e, "ID") {
                    let bold = attr(&e, "FONTSTYLE").is_some_and(|s| s.contains("bold"));
                    bold_styles.insert(id, bold);
                }
            }
            "Page" => {
                if let Some(p) = page.take() {
                    pages.push(p.finish(pages.len() + 1, scale));
                }
                let dim = |name: &str| attr(&e, name).as_deref().and_then(number).unwrap_or(0.0);
                let state = PageState {
                    size: (dim("WIDTH"), dim("HEIGHT")),
                    lines: Vec::new(),
                    pictures: Vec::new(),
                };
                if empty {
                    pages.push(state.finish(pages.len() + 1, scale));
                } else {
                    page = Some(state);
                }
            }
            "Illustration" => {
                if let (Some(p), Some(b)) = (page.as_mut(), boxed(&e)) {
                    p.pictures.push(b);
                }
            }
            "TextBlock" if !empty => {
                block_bold = styled_bold(&e, &bold_styles);
                block_turned = attr(&e, "ROTATION")
                    .as_deref()
                    .and_then(number)
                    .is_some_and(|a| (a.rem_euclid(180.0) - 90.0).abs() < 10.0);
            }
            "TextLine" => {
                line_bold = block_bold || styled_bold(&e, &bold_styles);
                let l = RawLine {
                    bbox: boxed(&e),
                    turned: block_turned,
                    ..RawLine::default()
                };
                if empty {
                    if let Some(p) = page.as_mut() {
                        p.lines.push(l);
                    }
                } else {
                    line = Some(l);
                }
            }
            "String" | "HYP" => {
                let Some(l) = line.as_mut() else { continue };
                let content = attr(&e, "CONTENT").unwrap_or_default();
                l.words.push(Word {
                    text: content,
                    bbox: boxed(&e).unwrap_or_default(),
                    confidence: attr(&e, "WC")
                        .as_deref()
                        .and_then(number)
                        .map(|c| c.clamp(0.0, 1.0)),
                    bold: line_bold
                        || styled_bold(&e, &bold_styles)
                        || attr(&e, "STYLE").is_some_and(|s| s.contains("bold")),
                });
            }
            _ => {}
        }
    }
    if let Some(l) = line.take() {
        if let Some(p) = page.as_mut() {
            p.lines.push(l);
        }
    }
    if let Some(p) = page.take() {
        pages.push(p.finish(pages.len() + 1, scale));
    }
    if pages.is_empty() {
        return Err(OcrError::NoPage {
            format: Format::Alto.name(),
            element: "Page",
        });
    }
    Ok(pages)
}

fn boxed(e: &BytesStart<'_>) -> Option<Rect> {
    let n = |name: &str| attr(e, name).as_deref().and_then(number);
    let (x, y, w, h) = (n("HPOS")?, n("VPOS")?, n("WIDTH")?, n("HEIGHT")?);
    (w >= 0.0 && h >= 0.0).then_some(Rect {
        x0: x,
        top: y,
        x1: x + w,
        bottom: y + h,
    })
}

/// Whether any style `STYLEREFS` names is bold.
fn styled_bold(e: &BytesStart<'_>, bold_styles: &HashMap<String, bool>) -> bool {
    attr(e, "STYLEREFS").is_some_and(|refs| {
        refs.split_whitespace()
            .any(|r| bold_styles.get(r).copied().unwrap_or(false))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#">
 <Description><MeasurementUnit>mm10</MeasurementUnit></Description>
 <Styles><TextStyle ID="head" FONTSIZE="24" FONTSTYLE="bold"/><TextStyle ID="body" FONTSIZE="9"/></Styles>
 <Layout><Page ID="p1" WIDTH="3900" HEIGHT="5400" PHYSICAL_IMG_NR="1"><PrintSpace>
  <TextBlock ID="b1" HPOS="100" VPOS="100" WIDTH="800" HEIGHT="100" STYLEREFS="head">
   <TextLine HPOS="100" VPOS="100" WIDTH="800" HEIGHT="100">
    <String CONTENT="人民" HPOS="100" VPOS="100" WIDTH="180" HEIGHT="88" WC="0.9"/>
    <String CONTENT="日报" HPOS="300" VPOS="100" WIDTH="180" HEIGHT="88" WC="0.7"/>
   </TextLine>
  </TextBlock>
  <TextBlock ID="b2" HPOS="100" VPOS="300" WIDTH="800" HEIGHT="40" STYLEREFS="body">
   <TextLine HPOS="100" VPOS="300" WIDTH="800" HEIGHT="40">
    <String CONTENT="China" HPOS="100" VPOS="300" WIDTH="80" HEIGHT="35"/><SP/>
    <String CONTENT="Daily" HPOS="190" VPOS="300" WIDTH="80" HEIGHT="35"/>
    <String CONTENT="报道" HPOS="280" VPOS="300" WIDTH="80" HEIGHT="35" STYLE="bold"/>
   </TextLine>
  </TextBlock>
 </PrintSpace></Page></Layout>
</alto>"#;

    #[test]
    fn reads_lines_in_points_with_weight() {
        let pages = crate::read(PAGE.as_bytes()).unwrap();
        assert_eq!(pages.len(), 1);
        let p = &pages[0];
        assert_eq!(p.text(), "人民日报\nChina Daily报道\n");
        // 3900 mm10 = 390 mm = 1105.5 pt.
        assert!((p.width - 1105.5).abs() < 0.1, "{}", p.width);
        assert!(p.lines[0].bold);
        assert!(!p.lines[1].bold);
        // 88 mm10 = 24.9 pt.
        assert_eq!(p.lines[0].size, 24.9);
        assert!((p.confidence.unwrap() - 0.8).abs() < 1e-6);
    }

    /// Two columns; the left one runs on under its illustration, the right
    /// one ends above the illustration's foot (pixels at 300 dpi).
    #[test]
    fn an_illustration_keeps_its_column_together() {
        let line = |x: u32, y: u32, text: &str| {
            format!(
                "<TextLine HPOS='{x}' VPOS='{y}' WIDTH='600' HEIGHT='100'><String CONTENT='{text}' HPOS='{x}' VPOS='{y}' WIDTH='600' HEIGHT='100'/></TextLine>"
            )
        };
        let page = format!(
            "<alto><Layout><Page WIDTH='2000' HEIGHT='3000'><PrintSpace><TextBlock>{}{}</TextBlock><TextBlock>{}{}</TextBlock><Illustration HPOS='0' VPOS='400' WIDTH='600' HEIGHT='900'/><TextBlock>{}{}</TextBlock></PrintSpace></Page></Layout></alto>",
            line(0, 100, "左栏第一行字"),
            line(0, 240, "左栏第二行字"),
            line(800, 100, "右栏第一行字"),
            line(800, 240, "右栏第二行字"),
            line(0, 1350, "图片说明文字"),
            line(0, 1490, "左栏又一行字"),
        );
        let p = &read(page.as_bytes()).unwrap()[0];
        assert_eq!(p.pictures.len(), 1);
        assert_eq!(
            p.text(),
            "左栏第一行字\n左栏第二行字\n图片说明文字\n左栏又一行字\n右栏第一行字\n右栏第二行字\n"
        );
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert!(matches!(
            read(b"<alto><Layout></Layout></alto>"),
            Err(OcrError::NoPage { .. })
        ));
        assert!(matches!(
            read(b"<alto><Layout><Page WIDTH='1' HEIGHT='1'><TextLine></Page></alto>"),
            Err(OcrError::Malformed { .. })
        ));
    }
}
