//! The data that flows between baozhi's stages, and its `baozhi/1` JSON form.
//!
//! The JSON shape is a public contract (see `shared/spec/baozhi-1.md`): field
//! names and order here are the contract's, fields may only be added, and
//! unknown values serialize as `null` / `[]` rather than being left out.

use serde::{Deserialize, Serialize};

/// The schema tag every document carries.
pub const SCHEMA: &str = "baozhi/1";

/// Where one printed line sits on its page and how it is set: what text
/// alone cannot say. Read from a PDF or a scan (`baozhi-ingest`), weighed
/// by the page engine (`baozhi-layout`). Points, origin at the page's
/// top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LineGeometry {
    pub x0: f32,
    pub top: f32,
    pub x1: f32,
    pub bottom: f32,
    /// Font size of most of the line's characters.
    pub size: f32,
    /// Whether most of its characters are bold.
    pub bold: bool,
}

/// One `baozhi/1` document: a page, or several pages of one issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub schema: String,
    pub paper: Option<String>,
    pub date: Option<String>,
    pub pages: Vec<Page>,
    pub articles: Vec<Article>,
}

impl Document {
    pub fn new(paper: Option<String>, date: Option<String>) -> Self {
        Document {
            schema: SCHEMA.to_string(),
            paper,
            date,
            pages: Vec::new(),
            articles: Vec::new(),
        }
    }
}

/// A printed page and the matter on it that belongs to no article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    pub page: Option<String>,
    pub furniture: Vec<Furniture>,
    /// The page's size in points (added field), for pages read with their
    /// geometry: what article `boxes` are drawn on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<PageSize>,
    /// What the page's text was read from (added field): a text file, a
    /// PDF's text layer or OCR. The proofreader expects OCR's text to hold
    /// far more misread chars than print's, and weighs its readings so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<TextSource>,
    /// Where the page prints pictures (added field), in the points of
    /// `size` from the page's top-left corner: a PDF's images and drawn
    /// boxes, an OCR engine's photo regions. Absent when none are known.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pictures: Vec<Region>,
}

/// Where a page's text comes from (see [`Page::source`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextSource {
    /// Page text as given (a text file, standard input): print or an
    /// extractor's reading of it, unless the user says it is OCR.
    Text,
    /// A PDF's text layer.
    Pdf,
    /// Characters recognised in an image (hOCR, ALTO, `--ocr`).
    Ocr,
}

impl TextSource {
    /// What a page records of it ([`Page::source`]): nothing for text as
    /// given, which says nothing of where it came from.
    pub fn recorded(self) -> Option<TextSource> {
        (self != TextSource::Text).then_some(self)
    }
}

/// A page's width and height in points (PDF points; scans: pixels × 72 /
/// resolution).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PageSize {
    pub width: f32,
    pub height: f32,
}

/// Printed matter that belongs to no article: banners, page headers, stray labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Furniture {
    pub kind: FurnitureKind,
    pub text: String,
    /// Where the text came from in the input (char offsets), an added field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spans: Vec<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FurnitureKind {
    /// A slogan or banner line across the page.
    Banner,
    /// The running head: page number, section, date.
    PageHeader,
    /// A column or series label that could not be tied to an article.
    Label,
    /// An editor mark, jump line or credit that could not be tied to an article.
    Other,
}

/// A half-open range `[start, end)` of Unicode scalar values in the decoded input.
pub type Span = [usize; 2];

/// A box on the page, in points from the page's top-left corner, y down
/// (PDF pages: PDF points; scans: pixels × 72 / resolution).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Region {
    pub x0: f32,
    pub top: f32,
    pub x1: f32,
    pub bottom: f32,
}

impl Region {
    /// To a tenth of a point: finer says nothing about print and bloats
    /// the JSON.
    pub fn rounded(self) -> Region {
        let r = |v: f32| (v * 10.0).round() / 10.0;
        Region {
            x0: r(self.x0),
            top: r(self.top),
            x1: r(self.x1),
            bottom: r(self.bottom),
        }
    }
}

/// One article as printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: String,
    pub page: Option<String>,
    pub column: Option<String>,
    pub series: Option<String>,
    pub kicker: Option<String>,
    pub title: String,
    pub subtitle: Option<String>,
    pub bylines: Vec<Byline>,
    pub dateline: Option<String>,
    pub paragraphs: Vec<Paragraph>,
    pub captions: Vec<Caption>,
    pub continues_to: Option<String>,
    pub continued_from: Option<String>,
    pub marks: Vec<String>,
    /// Where the article's text came from in the input (char offsets).
    #[serde(default)]
    pub spans: Vec<Span>,
    /// Proofreading findings; present only when proofreading ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub findings: Option<Vec<Finding>>,
    /// Where the article was printed (added field): one box per run of its
    /// lines down one column, in reading order. Only for pages read with
    /// their geometry (PDF, hOCR, ALTO, scans); absent otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub boxes: Vec<Region>,
}

impl Article {
    /// The text of the field a finding points into (`index` numbers
    /// captions and paragraphs); `None` when the article has no such field.
    pub fn field_text(&self, field: FindingField, index: Option<usize>) -> Option<&str> {
        match field {
            FindingField::Kicker => self.kicker.as_deref(),
            FindingField::Title => Some(&self.title),
            FindingField::Subtitle => self.subtitle.as_deref(),
            FindingField::Caption => self.captions.get(index?).map(|c| c.text.as_str()),
            FindingField::Paragraph => self.paragraphs.get(index?).map(|p| p.text.as_str()),
        }
    }

    /// An article with nothing but a title; the engine fills in the rest.
    pub fn new(id: String, page: Option<String>, title: String) -> Self {
        Article {
            id,
            page,
            column: None,
            series: None,
            kicker: None,
            title,
            subtitle: None,
            bylines: Vec::new(),
            dateline: None,
            paragraphs: Vec::new(),
            captions: Vec::new(),
            continues_to: None,
            continued_from: None,
            marks: Vec::new(),
            spans: Vec::new(),
            findings: None,
            boxes: Vec::new(),
        }
    }

    /// The body as one string, paragraphs separated by newlines.
    pub fn body_text(&self) -> String {
        let mut out = String::new();
        for (i, p) in self.paragraphs.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&p.text);
        }
        out
    }
}

/// A byline: a role such as 本报记者 (or none for a bare name) and the names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Byline {
    pub role: Option<String>,
    pub names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    pub kind: ParagraphKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParagraphKind {
    Text,
    Heading,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caption {
    pub text: String,
    pub credit: Option<String>,
}

/// A proofreading finding; the printed text is never changed by one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    #[serde(rename = "where")]
    pub field: FindingField,
    pub paragraph: Option<usize>,
    pub start: usize,
    pub end: usize,
    pub original: String,
    pub suggestion: Option<String>,
    pub confidence: f64,
    pub kind: FindingKind,
    pub evidence: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingField {
    Kicker,
    Title,
    Subtitle,
    Caption,
    Paragraph,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    Glyph,
    Duplicate,
    Omission,
    Repetition,
    Punctuation,
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_serialize_as_null_and_empty_lists() {
        let mut doc = Document::new(None, Some("2024-10-22".into()));
        doc.articles.push(Article::new(
            "01-1".into(),
            Some("01".into()),
            "标题".into(),
        ));
        let v: serde_json::Value = serde_json::to_value(&doc).unwrap();
        assert_eq!(v["schema"], "baozhi/1");
        assert!(v["paper"].is_null());
        let a = &v["articles"][0];
        for key in [
            "column",
            "series",
            "kicker",
            "subtitle",
            "dateline",
            "continues_to",
            "continued_from",
        ] {
            assert!(a[key].is_null(), "{key} should be null");
        }
        for key in ["bylines", "paragraphs", "captions", "marks", "spans"] {
            assert_eq!(a[key], serde_json::json!([]), "{key} should be []");
        }
        assert!(
            a.get("findings").is_none(),
            "findings only appear when proofreading ran"
        );
    }

    #[test]
    fn field_order_follows_the_contract() {
        let a = Article::new("x".into(), None, "t".into());
        let s = serde_json::to_string(&a).unwrap();
        let order = [
            "\"id\"",
            "\"page\"",
            "\"column\"",
            "\"series\"",
            "\"kicker\"",
            "\"title\"",
            "\"subtitle\"",
            "\"bylines\"",
            "\"dateline\"",
            "\"paragraphs\"",
            "\"captions\"",
            "\"continues_to\"",
            "\"continued_from\"",
            "\"marks\"",
            "\"spans\"",
        ];
        let pos: Vec<usize> = order.iter().map(|k| s.find(k).unwrap()).collect();
        assert!(pos.windows(2).all(|w| w[0] < w[1]), "{s}");
    }

    #[test]
    fn gold_documents_round_trip() {
        let json = r#"{"schema":"baozhi/1","paper":"某报","date":null,
          "pages":[{"page":"01","furniture":[{"kind":"banner","text":"口号"}]}],
          "articles":[{"id":"a1","page":"01","column":null,"series":null,"kicker":null,"title":"题",
          "subtitle":null,"bylines":[{"role":null,"names":["甲"]}],"dateline":null,
          "paragraphs":[{"kind":"heading","text":"一、总体要求"}],"captions":[{"text":"图","credit":null}],
          "continues_to":"02","continued_from":null,"marks":["②4"]}]}"#;
        let doc: Document = serde_json::from_str(json).expect("gold without spans parses");
        assert_eq!(doc.pages[0].furniture[0].kind, FurnitureKind::Banner);
        assert_eq!(doc.articles[0].paragraphs[0].kind, ParagraphKind::Heading);
        let back: Document = serde_json::from_str(&serde_json::to_string(&doc).unwrap()).unwrap();
        assert_eq!(doc, back);
    }
}
