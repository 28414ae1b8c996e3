//! A `baozhi/1` document as TEI P5: a header naming the paper, date, page
//! and input, and a body with a `div type="article"` per article.
//!
//! An article is `head`s (`type` column, series, kicker, main, sub),
//! `byline`s (role as text, names as `persName`), its `dateline`, a `p` per
//! paragraph, a nested `div type="section"` from each in-article heading
//! on (TEI puts no `head` after a `p`), a `figure` with a `head` (and a
//! `note type="credit"`) per caption, `note type="jump"` with a `ref` for
//! each jump line, and `fw type="mark"` per editor mark. Furniture is `fw`
//! (`type` banner, header, label, other) at the page's `pb`.
//!
//! A dateline that opens the first paragraph (as `baozhi/1` keeps it) is
//! written once, as `dateline`, and the paragraph's `p` holds the rest:
//! the text read in document order is the printed text, nothing twice.

use std::io::{self, Write};

use baozhi_model::{Article, Document, FurnitureKind, ParagraphKind};

use crate::mets::iso_date;
use crate::xml::{stripped_note, Out};

pub const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";
const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// Where a document was read from, for its header.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The input as shown to the user (a path, `<stdin>`).
    pub file: &'a str,
    /// The page's place in a file of several pages (from 1).
    pub page_in_file: Option<usize>,
}

/// One `<TEI>` element (no XML declaration: it may stand in a corpus) and
/// what the writer has to say.
#[derive(Debug, Clone)]
pub struct Tei {
    pub xml: String,
    pub warnings: Vec<String>,
}

/// The title of a page: paper, date and page as far as they are known.
fn title(doc: &Document) -> String {
    let page = doc
        .pages
        .iter()
        .filter_map(|p| p.page.as_deref())
        .collect::<Vec<_>>()
        .join(", ");
    let parts: Vec<String> = [
        doc.paper.clone(),
        doc.date.clone(),
        (!page.is_empty()).then(|| format!("第{page}版")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        "报纸版面 (paper, date and page unknown)".to_string()
    } else {
        parts.join(" ")
    }
}

/// The `<TEI>` element of one document.
pub fn document(doc: &Document, source: Source<'_>) -> Tei {
    tei_at(doc, source, 0)
}

/// The `<TEI>` element indented `depth` levels (inside a corpus: 1).
/// Only markup is indented: text with line breaks is written as it is.
fn tei_at(doc: &Document, source: Source<'_>, depth: usize) -> Tei {
    let mut o = Out::at_depth(depth);
    o.open("TEI", &[("xmlns", TEI_NS)]);
    // Said here once the whole document is written and its count known.
    let note_at = o.s.len();
    write_header(&mut o, doc, source);
    o.open("text", &[("xml:lang", "zh")]);
    o.open("body", &[]);
    write_body(&mut o, doc);
    o.close("body");
    o.close("text");
    o.close("TEI");
    let mut warnings = Vec::new();
    if let Some(note) = stripped_note(o.stripped) {
        let mut c = Out::at_depth(depth + 1);
        c.comment(&format!("baozhi: {note}"));
        o.s.insert_str(note_at, &c.s);
        warnings.push(note);
    }
    Tei { xml: o.s, warnings }
}

fn write_header(o: &mut Out, doc: &Document, source: Source<'_>) {
    o.open("teiHeader", &[]);
    o.open("fileDesc", &[]);
    o.open("titleStmt", &[]);
    o.leaf("title", &[], &title(doc));
    o.close("titleStmt");
    o.open("publicationStmt", &[]);
    o.leaf(
        "p",
        &[],
        &format!(
            "Unpublished: made by baozhi {} from the page named below. The text is as the paper printed it.",
            crate::VERSION
        ),
    );
    o.close("publicationStmt");
    o.open("sourceDesc", &[]);
    o.open("bibl", &[]);
    if let Some(p) = &doc.paper {
        o.leaf("title", &[("level", "j")], p);
    }
    if let Some(d) = &doc.date {
        if iso_date(d) {
            o.leaf("date", &[("when", d)], d);
        } else {
            o.leaf("date", &[], d);
        }
    }
    for p in doc.pages.iter().filter_map(|p| p.page.as_deref()) {
        o.leaf("biblScope", &[("unit", "page")], p);
    }
    o.leaf("idno", &[("type", "file")], source.file);
    if let Some(n) = source.page_in_file {
        o.leaf("note", &[], &format!("Page {n} of the file."));
    }
    o.close("bibl");
    o.close("sourceDesc");
    o.close("fileDesc");
    o.close("teiHeader");
}

fn fw_type(kind: FurnitureKind) -> &'static str {
    match kind {
        FurnitureKind::Banner => "banner",
        FurnitureKind::PageHeader => "header",
        FurnitureKind::Label => "label",
        FurnitureKind::Other => "other",
    }
}

fn write_body(o: &mut Out, doc: &Document) {
    let mut written = vec![false; doc.articles.len()];
    let mut any_div = false;
    for page in &doc.pages {
        match &page.page {
            Some(n) => o.empty("pb", &[("n", n)]),
            None => o.empty("pb", &[]),
        }
        for f in &page.furniture {
            o.leaf("fw", &[("type", fw_type(f.kind))], &f.text);
        }
        // The page's articles; with one page (or none numbered), all.
        for (i, a) in doc.articles.iter().enumerate() {
            if !written[i] && (doc.pages.len() == 1 || a.page == page.page) {
                write_article(o, a);
                written[i] = true;
                any_div = true;
            }
        }
    }
    for (i, a) in doc.articles.iter().enumerate() {
        if !written[i] {
            write_article(o, a);
            any_div = true;
        }
    }
    if !any_div {
        // TEI's body needs a division or a paragraph.
        o.comment("baozhi: no articles on this page");
        o.empty("p", &[]);
    }
}

fn write_article(o: &mut Out, a: &Article) {
    o.open("div", &[("type", "article"), ("n", &a.id)]);
    if let Some(s) = &a.column {
        o.leaf("head", &[("type", "column")], s);
    }
    if let Some(s) = &a.series {
        o.leaf("head", &[("type", "series")], s);
    }
    if let Some(s) = &a.kicker {
        o.leaf("head", &[("type", "kicker")], s);
    }
    o.leaf("head", &[("type", "main")], &a.title);
    if let Some(s) = &a.subtitle {
        o.leaf("head", &[("type", "sub")], s);
    }
    if let Some(p) = &a.continued_from {
        jump(o, "continued_from", p, &format!("上接{p}版"));
    }
    for b in &a.bylines {
        o.line_start("byline", &[]);
        let mut first = true;
        if let Some(r) = &b.role {
            o.text(r);
            first = false;
        }
        for n in &b.names {
            if !first {
                o.text(" ");
            }
            o.inline_open("persName", &[]);
            o.text(n);
            o.inline_close("persName");
            first = false;
        }
        o.line_end("byline");
    }
    // A dateline that opens the first paragraph is taken out of it.
    let mut first_rest: Option<&str> = None;
    if let Some(d) = &a.dateline {
        o.leaf("dateline", &[], d);
        if let Some(p) = a.paragraphs.first() {
            if p.kind == ParagraphKind::Text {
                first_rest = p.text.strip_prefix(d.as_str());
            }
        }
    }
    let mut in_section = false;
    for (i, p) in a.paragraphs.iter().enumerate() {
        match p.kind {
            ParagraphKind::Heading => {
                if in_section {
                    o.close("div");
                }
                o.open("div", &[("type", "section")]);
                o.leaf("head", &[], &p.text);
                in_section = true;
            }
            ParagraphKind::Text => match (i, first_rest) {
                // The dateline was the whole paragraph.
                (0, Some("")) => {}
                (0, Some(rest)) => o.leaf("p", &[], rest),
                _ => o.leaf("p", &[], &p.text),
            },
        }
    }
    if in_section {
        o.close("div");
    }
    for c in &a.captions {
        o.open("figure", &[]);
        o.leaf("head", &[], &c.text);
        if let Some(credit) = &c.credit {
            o.leaf("note", &[("type", "credit")], credit);
        }
        o.close("figure");
    }
    if let Some(p) = &a.continues_to {
        jump(o, "continues_to", p, &format!("下转{p}版"));
    }
    for m in &a.marks {
        o.leaf("fw", &[("type", "mark")], m);
    }
    o.close("div");
}

/// A jump line: `baozhi/1` keeps the page it points to, not the line's
/// print, so the text is the usual wording around that page.
fn jump(o: &mut Out, kind: &str, page: &str, text: &str) {
    o.line_start("note", &[("type", "jump")]);
    o.inline_open("ref", &[("type", kind), ("n", page)]);
    o.text(text);
    o.inline_close("ref");
    o.line_end("note");
}

/// Writes TEI for a run of documents: one document as a `TEI` file, more
/// than one as a `teiCorpus` holding a `TEI` each. The first document is
/// held back until the second arrives (or the run ends), to know which.
pub struct Stream<W: Write> {
    out: W,
    held: Option<(Document, String, Option<usize>)>,
    count: usize,
}

impl<W: Write> Stream<W> {
    pub fn new(out: W) -> Self {
        Stream {
            out,
            held: None,
            count: 0,
        }
    }

    /// Adds a document; returns what the writer has to say about it.
    pub fn push(&mut self, doc: &Document, source: Source<'_>) -> io::Result<Vec<String>> {
        self.count += 1;
        if self.count == 1 {
            let warnings = document(doc, source).warnings;
            self.held = Some((doc.clone(), source.file.to_string(), source.page_in_file));
            return Ok(warnings);
        }
        if let Some((first, file, page_in_file)) = self.held.take() {
            self.out.write_all(XML_DECLARATION.as_bytes())?;
            let mut o = Out::new();
            o.open("teiCorpus", &[("xmlns", TEI_NS)]);
            o.open("teiHeader", &[]);
            o.open("fileDesc", &[]);
            o.open("titleStmt", &[]);
            o.leaf(
                "title",
                &[],
                &format!("Pages converted by baozhi, from {} on", title(&first)),
            );
            o.close("titleStmt");
            o.open("publicationStmt", &[]);
            o.leaf("p", &[], "Unpublished: made by baozhi, a TEI per page.");
            o.close("publicationStmt");
            o.open("sourceDesc", &[]);
            o.leaf("p", &[], "The inputs named in each TEI's header.");
            o.close("sourceDesc");
            o.close("fileDesc");
            o.close("teiHeader");
            let source = Source {
                file: &file,
                page_in_file,
            };
            o.s.push_str(&tei_at(&first, source, 1).xml);
            self.out.write_all(o.s.as_bytes())?;
        }
        let tei = tei_at(doc, source, 1);
        self.out.write_all(tei.xml.as_bytes())?;
        self.out.flush()?;
        Ok(tei.warnings)
    }

    /// Ends the run: writes the held document, or closes the corpus.
    pub fn finish(mut self) -> io::Result<W> {
        if let Some((first, file, page_in_file)) = self.held.take() {
            let source = Source {
                file: &file,
                page_in_file,
            };
            self.out.write_all(XML_DECLARATION.as_bytes())?;
            self.out
                .write_all(document(&first, source).xml.as_bytes())?;
        } else if self.count > 1 {
            self.out.write_all(b"</teiCorpus>\n")?;
        }
        self.out.flush()?;
        Ok(self.out)
    }
}
