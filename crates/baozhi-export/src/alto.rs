//! One page as ALTO v4.2: its printed lines with their boxes, grouped into
//! a text block per run of an article's lines down one column and per
//! furniture item, each block tagged with what it belongs to.
//!
//! Nothing of the page text is lost: every non-blank line is a `TextLine`,
//! its words (the runs between white space) `String`s with `SP` between
//! them, so the `String`s hold every character of the page that is not
//! white space exactly once (less what XML cannot carry, counted).
//! Boxes are the lines' own; `String`s have none, as the input gives no
//! box for a single word, and ALTO 4.2 leaves them optional.

use std::collections::BTreeMap;

use baozhi_model::{Document, FurnitureKind, LineGeometry, PageSize};
use baozhi_text::is_space;

use crate::lines::{fields_of_lines, owners, split_lines, Field, Owner};
use crate::xml::{allowed, Out};

/// ALTO's units are pixels, tenths of a millimetre or 1/1200 inch, never
/// points: the lines' points (1/72 inch) become 1/1200 inch, exactly.
const INCH1200_PER_POINT: f32 = 1200.0 / 72.0;

/// Type sizes are rounded to half a point for their styles: finer steps
/// are the extractor's noise, not different type.
const FONT_SIZE_STEPS_PER_POINT: f32 = 2.0;

/// The next line of an owner joins its block when it starts at most this
/// many of its heights below the block and overlaps it across at least
/// [`JOIN_OVERLAP`] of the narrower of the two: the rule
/// `baozhi-layout`'s `regions` draws article boxes by, so the blocks here
/// are the boxes of the `baozhi/1` document.
const JOIN_GAP_HEIGHTS: f32 = 3.0;
const JOIN_OVERLAP: f32 = 0.5;

pub const ALTO_NS: &str = "http://www.loc.gov/standards/alto/ns-v4#";
const ALTO_SCHEMA_LOCATION: &str =
    "http://www.loc.gov/standards/alto/ns-v4# http://www.loc.gov/standards/alto/v4/alto-4-2.xsd";

/// A box in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub x0: f32,
    pub top: f32,
    pub x1: f32,
    pub bottom: f32,
}

impl Bounds {
    fn of(g: &LineGeometry) -> Option<Bounds> {
        let usable = [g.x0, g.top, g.x1, g.bottom].iter().all(|v| v.is_finite())
            && g.x1 > g.x0
            && g.bottom > g.top;
        usable.then_some(Bounds {
            x0: g.x0,
            top: g.top,
            x1: g.x1,
            bottom: g.bottom,
        })
    }

    fn union(self, o: Bounds) -> Bounds {
        Bounds {
            x0: self.x0.min(o.x0),
            top: self.top.min(o.top),
            x1: self.x1.max(o.x1),
            bottom: self.bottom.max(o.bottom),
        }
    }

    fn joins(self, g: Bounds) -> bool {
        let height = g.bottom - g.top;
        let below = g.top - self.bottom;
        let overlap = self.x1.min(g.x1) - self.x0.max(g.x0);
        let narrower = (self.x1 - self.x0).min(g.x1 - g.x0);
        below >= -height && below <= JOIN_GAP_HEIGHTS * height && overlap >= JOIN_OVERLAP * narrower
    }

    /// HPOS, VPOS, WIDTH, HEIGHT in 1/1200 inch.
    fn alto(self) -> [String; 4] {
        let u = |v: f32| format!("{}", (v * INCH1200_PER_POINT).round() as i64);
        [
            u(self.x0),
            u(self.top),
            u(self.x1 - self.x0),
            u(self.bottom - self.top),
        ]
    }
}

/// One printed line as written: its number in the page text, its words
/// (XML-safe), and how it was printed.
#[derive(Debug, Clone)]
pub struct Line {
    pub number: usize,
    pub words: Vec<String>,
    pub bounds: Option<Bounds>,
    /// Type size in points, rounded to half a point.
    pub size: Option<f32>,
    pub bold: bool,
}

impl Line {
    /// The `TextLine`'s ID: `TL_` and the line's number in the page text
    /// (blank lines counted, from 0), which ties it back to the input.
    pub fn id(&self) -> String {
        format!("TL_{}", self.number)
    }
}

/// A text block: lines of one owner that stand one under the other.
#[derive(Debug, Clone)]
pub struct Block {
    pub id: String,
    pub owner: Owner,
    /// Indices into [`PageLayout::lines`], in reading order.
    pub lines: Vec<usize>,
    pub bounds: Option<Bounds>,
}

/// What one page's ALTO holds and what METS points into.
#[derive(Debug, Clone)]
pub struct PageLayout {
    pub lines: Vec<Line>,
    pub blocks: Vec<Block>,
    /// For each article of the document (by index), the lines (indices into
    /// `lines`) that carry each of its fields, in reading order.
    pub fields: Vec<BTreeMap<Field, Vec<usize>>>,
    /// Characters XML cannot carry, left out of the words.
    pub stripped: usize,
}

impl PageLayout {
    pub fn new(text: &str, geometry: &[LineGeometry], doc: &Document) -> PageLayout {
        let text_lines = split_lines(text);
        let line_owners = owners(&text_lines, doc);
        let mut stripped = 0;
        let mut lines = Vec::new();
        let mut kept_owner = Vec::new();
        let mut kept_text = Vec::new();
        for (tl, owner) in text_lines.iter().zip(line_owners) {
            let words: Vec<String> = tl
                .text
                .split(is_space)
                .map(|w| {
                    let clean: String = w.chars().filter(|&c| allowed(c)).collect();
                    stripped += w.chars().count() - clean.chars().count();
                    clean
                })
                .filter(|w| !w.is_empty())
                .collect();
            // A TextLine needs a String: a line of nothing XML can carry
            // is left out (its characters counted above).
            if words.is_empty() {
                continue;
            }
            let g = geometry.get(tl.number);
            lines.push(Line {
                number: tl.number,
                words,
                bounds: g.and_then(Bounds::of),
                size: g
                    .map(|g| g.size)
                    .filter(|s| s.is_finite() && *s > 0.0)
                    .map(|s| (s * FONT_SIZE_STEPS_PER_POINT).round() / FONT_SIZE_STEPS_PER_POINT),
                bold: g.is_some_and(|g| g.bold),
            });
            kept_owner.push(owner);
            kept_text.push(tl.text);
        }

        // Blocks: each owner's lines in reading order, a new block where
        // the next line does not stand under the last one.
        let mut blocks: Vec<Block> = Vec::new();
        let mut last_block: BTreeMap<Owner, usize> = BTreeMap::new();
        for (i, line) in lines.iter().enumerate() {
            let owner = kept_owner[i];
            let joined = last_block.get(&owner).copied().filter(|&b| {
                match (blocks[b].bounds, line.bounds) {
                    (Some(bb), Some(lb)) => bb.joins(lb),
                    // A line without a box stays with its owner's block.
                    (_, None) => true,
                    (None, Some(_)) => false,
                }
            });
            match joined {
                Some(b) => {
                    let block = &mut blocks[b];
                    block.lines.push(i);
                    if let Some(lb) = line.bounds {
                        block.bounds = Some(block.bounds.map_or(lb, |bb| bb.union(lb)));
                    }
                }
                None => {
                    last_block.insert(owner, blocks.len());
                    blocks.push(Block {
                        id: format!("TB_{}", blocks.len() + 1),
                        owner,
                        lines: vec![i],
                        bounds: line.bounds,
                    });
                }
            }
        }

        let mut fields = vec![BTreeMap::new(); doc.articles.len()];
        for (a, article) in doc.articles.iter().enumerate() {
            let mine: Vec<usize> = (0..lines.len())
                .filter(|&i| kept_owner[i] == Owner::Article(a))
                .collect();
            let texts: Vec<&str> = mine.iter().map(|&i| kept_text[i]).collect();
            for (&i, fs) in mine.iter().zip(fields_of_lines(article, &texts)) {
                for f in fs {
                    fields[a].entry(f).or_insert_with(Vec::new).push(i);
                }
            }
        }
        PageLayout {
            lines,
            blocks,
            fields,
            stripped,
        }
    }

    /// The ALTO IDs that cover `lines` (indices into `self.lines`, in
    /// reading order): a block's ID where the lines run through a whole
    /// block, the lines' own IDs elsewhere.
    pub fn ids_for(&self, lines: &[usize]) -> Vec<String> {
        let mut out = Vec::new();
        let mut k = 0;
        while k < lines.len() {
            let whole = self.blocks.iter().find(|b| {
                b.lines.first() == Some(&lines[k])
                    && lines.len() - k >= b.lines.len()
                    && lines[k..k + b.lines.len()] == b.lines[..]
            });
            match whole {
                Some(b) => {
                    out.push(b.id.clone());
                    k += b.lines.len();
                }
                None => {
                    out.push(self.lines[lines[k]].id());
                    k += 1;
                }
            }
        }
        out
    }

    /// The ALTO file of this page. `physical` is the page's place in its
    /// METS (from 1), `printed` its page number as printed, `source` the
    /// input it was read from.
    pub fn alto(
        &self,
        doc: &Document,
        size: Option<PageSize>,
        physical: usize,
        source: &str,
    ) -> String {
        let mut o = Out::new();
        o.s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        o.open(
            "alto",
            &[
                ("xmlns", ALTO_NS),
                ("xmlns:xlink", "http://www.w3.org/1999/xlink"),
                ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                ("xsi:schemaLocation", ALTO_SCHEMA_LOCATION),
                ("SCHEMAVERSION", "4.2"),
            ],
        );
        if let Some(note) = crate::xml::stripped_note(self.stripped) {
            o.comment(&format!("baozhi: {note}"));
        }
        o.open("Description", &[]);
        o.leaf("MeasurementUnit", &[], "inch1200");
        o.open("sourceImageInformation", &[]);
        o.leaf("fileName", &[], source);
        o.close("sourceImageInformation");
        o.open("Processing", &[("ID", "PROC_1")]);
        o.leaf("processingCategory", &[], "contentGeneration");
        o.leaf(
            "processingStepDescription",
            &[],
            "Printed lines and their boxes from the input (a PDF's text layer or OCR output); \
             articles and their fields from the baozhi page engine",
        );
        o.open("processingSoftware", &[]);
        o.leaf("softwareName", &[], "baozhi");
        o.leaf("softwareVersion", &[], crate::VERSION);
        o.close("processingSoftware");
        o.close("Processing");
        o.close("Description");

        let mut sizes: Vec<f32> = self.lines.iter().filter_map(|l| l.size).collect();
        sizes.sort_by(f32::total_cmp);
        sizes.dedup();
        if !sizes.is_empty() {
            o.open("Styles", &[]);
            for s in &sizes {
                o.empty(
                    "TextStyle",
                    &[("ID", &style_id(*s)), ("FONTSIZE", &format!("{s}"))],
                );
            }
            o.close("Styles");
        }

        let furniture = doc.pages.first().map(|p| &p.furniture[..]).unwrap_or(&[]);
        let has_tags = self.blocks.iter().any(|b| b.owner != Owner::None);
        if has_tags {
            o.open("Tags", &[]);
            let mut tagged: Vec<Owner> = self.blocks.iter().map(|b| b.owner).collect();
            tagged.sort();
            tagged.dedup();
            for owner in tagged {
                match owner {
                    Owner::Article(a) => {
                        let article = &doc.articles[a];
                        o.empty(
                            "StructureTag",
                            &[
                                ("ID", &tag_id(owner)),
                                ("TYPE", "article"),
                                ("LABEL", &article.id),
                                ("DESCRIPTION", &article.title),
                            ],
                        );
                    }
                    Owner::Furniture(f) => {
                        o.empty(
                            "StructureTag",
                            &[
                                ("ID", &tag_id(owner)),
                                ("TYPE", "furniture"),
                                ("LABEL", furniture_kind(furniture[f].kind)),
                                ("DESCRIPTION", &furniture[f].text),
                            ],
                        );
                    }
                    Owner::None => {}
                }
            }
            o.close("Tags");
        }

        o.open("Layout", &[]);
        let physical = physical.to_string();
        let printed = doc.pages.first().and_then(|p| p.page.clone());
        let page_size = size
            .filter(|s| s.width > 0.0 && s.height > 0.0)
            .map(|s| Bounds {
                x0: 0.0,
                top: 0.0,
                x1: s.width,
                bottom: s.height,
            });
        let print_space = self
            .blocks
            .iter()
            .filter_map(|b| b.bounds)
            .reduce(Bounds::union);
        // Without a page size, the page reaches at least to its print.
        let page_box = page_size.or(print_space.map(|p| Bounds {
            x0: 0.0,
            top: 0.0,
            ..p
        }));
        let mut page_attrs: Vec<(&str, String)> = vec![("ID", format!("PAGE_{physical}"))];
        if let Some(p) = page_box {
            let [_, _, w, h] = p.alto();
            page_attrs.push(("HEIGHT", h));
            page_attrs.push(("WIDTH", w));
        }
        page_attrs.push(("PHYSICAL_IMG_NR", physical.clone()));
        if let Some(p) = printed {
            page_attrs.push(("PRINTED_IMG_NR", p));
        }
        o.open("Page", &borrow(&page_attrs));
        let mut ps_attrs: Vec<(&str, String)> = vec![("ID", "PS_1".to_string())];
        push_box(&mut ps_attrs, print_space);
        o.open("PrintSpace", &borrow(&ps_attrs));
        for b in &self.blocks {
            let mut attrs: Vec<(&str, String)> = vec![("ID", b.id.clone())];
            push_box(&mut attrs, b.bounds);
            if b.owner != Owner::None {
                attrs.push(("TAGREFS", tag_id(b.owner)));
            }
            o.open("TextBlock", &borrow(&attrs));
            for &i in &b.lines {
                let line = &self.lines[i];
                let mut attrs: Vec<(&str, String)> = vec![("ID", line.id())];
                if let Some(s) = line.size {
                    attrs.push(("STYLEREFS", style_id(s)));
                }
                push_box(&mut attrs, line.bounds);
                o.open("TextLine", &borrow(&attrs));
                for (k, w) in line.words.iter().enumerate() {
                    if k > 0 {
                        o.empty("SP", &[]);
                    }
                    if line.bold {
                        o.empty("String", &[("CONTENT", w), ("STYLE", "bold")]);
                    } else {
                        o.empty("String", &[("CONTENT", w)]);
                    }
                }
                o.close("TextLine");
            }
            o.close("TextBlock");
        }
        o.close("PrintSpace");
        o.close("Page");
        o.close("Layout");
        o.close("alto");
        o.s
    }
}

fn borrow<'a>(attrs: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    attrs.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn push_box(attrs: &mut Vec<(&str, String)>, b: Option<Bounds>) {
    if let Some(b) = b {
        let [h, v, w, ht] = b.alto();
        attrs.push(("HEIGHT", ht));
        attrs.push(("WIDTH", w));
        attrs.push(("HPOS", h));
        attrs.push(("VPOS", v));
    }
}

fn style_id(size: f32) -> String {
    format!("TS_{}", (size * 10.0).round() as i64)
}

fn tag_id(owner: Owner) -> String {
    match owner {
        Owner::Article(a) => format!("TAG_ART_{}", a + 1),
        Owner::Furniture(f) => format!("TAG_FW_{}", f + 1),
        Owner::None => String::new(),
    }
}

pub fn furniture_kind(kind: FurnitureKind) -> &'static str {
    match kind {
        FurnitureKind::Banner => "banner",
        FurnitureKind::PageHeader => "page_header",
        FurnitureKind::Label => "label",
        FurnitureKind::Other => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baozhi_model::{Article, Furniture, Page};

    fn at(x0: f32, top: f32, x1: f32) -> LineGeometry {
        LineGeometry {
            x0,
            top,
            x1,
            bottom: top + 10.0,
            size: 10.2,
            bold: false,
        }
    }

    #[test]
    fn an_article_over_two_columns_is_a_block_per_column() {
        let text = "报头\n标题\n第一栏一\n第一栏二\n第二栏一\n第二栏二\n";
        let geometry = [
            at(0.0, 0.0, 200.0),
            at(0.0, 20.0, 200.0),
            at(0.0, 35.0, 95.0),
            at(0.0, 50.0, 95.0),
            at(105.0, 35.0, 200.0),
            at(105.0, 50.0, 200.0),
        ];
        let mut doc = Document::new(None, None);
        doc.pages.push(Page {
            pictures: Vec::new(),
            page: Some("01".into()),
            furniture: vec![Furniture {
                kind: FurnitureKind::PageHeader,
                text: "报头".into(),
                spans: vec![[0, 2]],
            }],
            size: None,
            source: None,
        });
        let mut a = Article::new("01-1".into(), None, "标题".into());
        a.spans = vec![[3, 25]];
        a.paragraphs.push(baozhi_model::Paragraph {
            kind: baozhi_model::ParagraphKind::Text,
            text: "第一栏一第一栏二第二栏一第二栏二".into(),
        });
        doc.articles.push(a);
        let layout = PageLayout::new(text, &geometry, &doc);
        let owners: Vec<Owner> = layout.blocks.iter().map(|b| b.owner).collect();
        assert_eq!(
            owners,
            [Owner::Furniture(0), Owner::Article(0), Owner::Article(0)]
        );
        assert_eq!(layout.blocks[1].lines, [1, 2, 3]);
        assert_eq!(layout.blocks[2].lines, [4, 5]);
        let body = &layout.fields[0][&Field::Paragraph(0)];
        assert_eq!(body, &[2, 3, 4, 5]);
        // The second column is a whole block, the first column's lines are not.
        assert_eq!(layout.ids_for(body), ["TL_2", "TL_3", "TB_3"]);
        let alto = layout.alto(&doc, None, 1, "p.pdf");
        // 200 pt wide = 200/72 inch = 3333 1/1200 inch.
        assert!(alto.contains("<TextBlock ID=\"TB_3\" HEIGHT=\"417\" WIDTH=\"1583\" HPOS=\"1750\" VPOS=\"583\" TAGREFS=\"TAG_ART_1\">"), "{alto}");
        assert!(
            alto.contains("<TextStyle ID=\"TS_100\" FONTSIZE=\"10\"/>"),
            "{alto}"
        );
    }
}
