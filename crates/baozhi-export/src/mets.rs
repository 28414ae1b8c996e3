//! A METS file for the pages of one input (a page, or a PDF issue), with an
//! ALTO file per page: what digital libraries ingest for newspapers.
//!
//! The physical structure map lists the pages, each pointing at its ALTO
//! file; the logical one holds the issue, its furniture and an `ARTICLE`
//! per article with `HEADING` (column, series, kicker, title, subtitle),
//! `BYLINE`, `DATELINE`, `BODY` (a `PARAGRAPH` or `SUBHEADING` per
//! paragraph), `CAPTION`, `JUMP` and `MARK` divisions, each pointing with
//! `fptr`/`area` at the ALTO blocks and lines that print it. A field whose
//! lines could not be found keeps its division, without a pointer. MODS
//! records carry the paper and date and each article's title and
//! names.

use baozhi_model::{Article, Document, LineGeometry, PageSize, ParagraphKind};

use crate::alto::{furniture_kind, PageLayout};
use crate::lines::{Field, Owner};
use crate::xml::{stripped_note, Out};
use crate::File;

const METS_NS: &str = "http://www.loc.gov/METS/";
const MODS_NS: &str = "http://www.loc.gov/mods/v3";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";

/// One page for METS: its text, where each text line was printed, and the
/// `baozhi/1` document parsed from that text.
#[derive(Debug, Clone, Copy)]
pub struct MetsPage<'a> {
    text: &'a str,
    geometry: &'a [LineGeometry],
    size: Option<PageSize>,
    doc: &'a Document,
}

/// Why a page cannot go into METS/ALTO: its text came without the boxes of
/// its lines (a text file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoGeometry;

impl std::fmt::Display for NoGeometry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "METS/ALTO need where each line was printed, and plain text does not say: \
             give a PDF with a text layer, hOCR or ALTO, or a scan with --ocr \
             (or use --format tei, which needs no geometry)",
        )
    }
}

impl std::error::Error for NoGeometry {}

impl<'a> MetsPage<'a> {
    /// A page of text with its lines' geometry (entry `i` is text line `i`,
    /// blank lines counted) and size, and the document parsed from it.
    /// Without geometry there is nothing for ALTO to say where the text
    /// stands: ALTO 4.2 would accept lines without boxes, but a library's
    /// viewer and the newspaper profiles need them, so such a page is
    /// refused rather than given boxes made up.
    pub fn new(
        text: &'a str,
        geometry: Option<&'a [LineGeometry]>,
        size: Option<PageSize>,
        doc: &'a Document,
    ) -> Result<Self, NoGeometry> {
        let geometry = geometry.ok_or(NoGeometry)?;
        Ok(MetsPage {
            text,
            geometry,
            size,
            doc,
        })
    }
}

/// A METS file and the ALTO files it points at, with what the writer
/// has to say (characters left out).
#[derive(Debug, Clone)]
pub struct Package {
    pub mets: File,
    pub alto: Vec<File>,
    pub warnings: Vec<String>,
}

/// The name of page `n`'s (from 1) ALTO file in a package named `name`.
pub fn alto_name(name: &str, n: usize) -> String {
    format!("{name}-p{n:02}.alto.xml")
}

/// The METS file `NAME.mets.xml` and an ALTO file `NAME-pNN.alto.xml` per
/// page (NN its place in `pages`, from 01), for the pages of the input
/// named `source`.
pub fn package(name: &str, source: &str, pages: &[MetsPage<'_>]) -> Package {
    let layouts: Vec<PageLayout> = pages
        .iter()
        .map(|p| PageLayout::new(p.text, p.geometry, p.doc))
        .collect();
    let mut warnings = Vec::new();
    let mut alto = Vec::new();
    for (i, (p, layout)) in pages.iter().zip(&layouts).enumerate() {
        if let Some(note) = stripped_note(layout.stripped) {
            warnings.push(format!("page {}: {note}", i + 1));
        }
        alto.push(File {
            name: alto_name(name, i + 1),
            xml: layout.alto(p.doc, p.size, i + 1, source),
        });
    }
    let mut o = Out::new();
    write_mets(&mut o, name, pages, &layouts);
    if let Some(note) = stripped_note(o.stripped) {
        warnings.push(format!("METS: {note}"));
    }
    Package {
        mets: File {
            name: format!("{name}.mets.xml"),
            xml: o.s,
        },
        alto,
        warnings,
    }
}

/// `YYYY-MM-DD`, which MODS and TEI may mark as a W3C date.
pub(crate) fn iso_date(date: &str) -> bool {
    let b = date.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

fn write_mets(o: &mut Out, name: &str, pages: &[MetsPage<'_>], layouts: &[PageLayout]) {
    let first = pages.first().map(|p| p.doc);
    let paper = first.and_then(|d| d.paper.clone());
    let date = first.and_then(|d| d.date.clone());
    let label = [paper.clone(), date.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let label = if label.is_empty() {
        name.to_string()
    } else {
        label
    };

    o.s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    o.open(
        "mets:mets",
        &[
            ("xmlns:mets", METS_NS),
            ("xmlns:mods", MODS_NS),
            ("xmlns:xlink", XLINK_NS),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://www.loc.gov/METS/ http://www.loc.gov/standards/mets/mets.xsd",
            ),
            ("OBJID", name),
            ("LABEL", &label),
            ("TYPE", "Newspaper"),
        ],
    );
    o.open("mets:metsHdr", &[]);
    o.open(
        "mets:agent",
        &[
            ("ROLE", "CREATOR"),
            ("TYPE", "OTHER"),
            ("OTHERTYPE", "SOFTWARE"),
        ],
    );
    o.leaf("mets:name", &[], &format!("baozhi {}", crate::VERSION));
    o.close("mets:agent");
    o.close("mets:metsHdr");

    // Descriptive metadata: the issue, then each article.
    o.open("mets:dmdSec", &[("ID", "DMD_ISSUE")]);
    mods_open(o);
    o.leaf("mods:typeOfResource", &[], "text");
    o.leaf("mods:genre", &[], "newspaper");
    if let Some(p) = &paper {
        o.open("mods:titleInfo", &[]);
        o.leaf("mods:title", &[], p);
        o.close("mods:titleInfo");
    }
    if let Some(d) = &date {
        o.open("mods:originInfo", &[]);
        if iso_date(d) {
            o.leaf("mods:dateIssued", &[("encoding", "iso8601")], d);
        } else {
            o.leaf("mods:dateIssued", &[], d);
        }
        o.close("mods:originInfo");
    }
    mods_close(o);
    let mut n = 0;
    for p in pages {
        for a in &p.doc.articles {
            n += 1;
            o.open("mets:dmdSec", &[("ID", &format!("DMD_ART_{n}"))]);
            mods_open(o);
            article_mods(o, a);
            mods_close(o);
        }
    }

    o.open("mets:fileSec", &[]);
    o.open("mets:fileGrp", &[("USE", "FULLTEXT")]);
    for i in 1..=pages.len() {
        o.open(
            "mets:file",
            &[("ID", &file_id(i)), ("MIMETYPE", "text/xml")],
        );
        o.empty(
            "mets:FLocat",
            &[
                ("LOCTYPE", "URL"),
                ("xlink:type", "simple"),
                ("xlink:href", &alto_name(name, i)),
            ],
        );
        o.close("mets:file");
    }
    o.close("mets:fileGrp");
    o.close("mets:fileSec");

    o.open("mets:structMap", &[("TYPE", "PHYSICAL")]);
    o.open("mets:div", &[("ID", "PHYS_0"), ("TYPE", "physSequence")]);
    for (i, p) in pages.iter().enumerate() {
        let i = i + 1;
        let mut attrs = vec![
            ("ID", phys_id(i)),
            ("TYPE", "page".to_string()),
            ("ORDER", i.to_string()),
        ];
        if let Some(label) = p.doc.pages.first().and_then(|pg| pg.page.clone()) {
            attrs.push(("ORDERLABEL", label));
        }
        o.open("mets:div", &borrow(&attrs));
        o.empty("mets:fptr", &[("FILEID", &file_id(i))]);
        o.close("mets:div");
    }
    o.close("mets:div");
    o.close("mets:structMap");

    o.open("mets:structMap", &[("TYPE", "LOGICAL")]);
    o.open(
        "mets:div",
        &[
            ("ID", "LOG_ISSUE"),
            ("TYPE", "ISSUE"),
            ("LABEL", &label),
            ("DMDID", "DMD_ISSUE"),
        ],
    );
    let mut links: Vec<(String, String)> = Vec::new();
    let mut n = 0;
    let mut nf = 0;
    for (i, (p, layout)) in pages.iter().zip(layouts).enumerate() {
        let file = file_id(i + 1);
        let furniture = p
            .doc
            .pages
            .first()
            .map(|pg| &pg.furniture[..])
            .unwrap_or(&[]);
        for (f, item) in furniture.iter().enumerate() {
            nf += 1;
            let id = format!("LOG_FW_{nf}");
            o.open(
                "mets:div",
                &[
                    ("ID", &id),
                    ("TYPE", &furniture_kind(item.kind).to_ascii_uppercase()),
                    ("LABEL", &item.text),
                ],
            );
            let lines: Vec<usize> = layout
                .blocks
                .iter()
                .filter(|b| b.owner == Owner::Furniture(f))
                .flat_map(|b| b.lines.iter().copied())
                .collect();
            fptr(o, &file, &layout.ids_for(&lines));
            o.close("mets:div");
            links.push((id, phys_id(i + 1)));
        }
        for (a, article) in p.doc.articles.iter().enumerate() {
            n += 1;
            let id = format!("LOG_ART_{n}");
            write_article(o, &id, n, article, &layout.fields[a], layout, &file);
            links.push((id, phys_id(i + 1)));
        }
    }
    o.close("mets:div");
    o.close("mets:structMap");

    if !links.is_empty() {
        o.open("mets:structLink", &[]);
        for (from, to) in &links {
            o.empty("mets:smLink", &[("xlink:from", from), ("xlink:to", to)]);
        }
        o.close("mets:structLink");
    }
    o.close("mets:mets");
}

fn file_id(page: usize) -> String {
    format!("FILE_ALTO_{page}")
}

fn phys_id(page: usize) -> String {
    format!("PHYS_{page}")
}

fn borrow<'a>(attrs: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    attrs.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn mods_open(o: &mut Out) {
    o.open("mets:mdWrap", &[("MDTYPE", "MODS")]);
    o.open("mets:xmlData", &[]);
    o.open("mods:mods", &[]);
}

fn mods_close(o: &mut Out) {
    o.close("mods:mods");
    o.close("mets:xmlData");
    o.close("mets:mdWrap");
    o.close("mets:dmdSec");
}

fn article_mods(o: &mut Out, a: &Article) {
    o.open("mods:titleInfo", &[]);
    o.leaf("mods:title", &[], &a.title);
    if let Some(s) = &a.subtitle {
        o.leaf("mods:subTitle", &[], s);
    }
    o.close("mods:titleInfo");
    for b in &a.bylines {
        for name in &b.names {
            o.open("mods:name", &[("type", "personal")]);
            o.leaf("mods:namePart", &[], name);
            if let Some(role) = &b.role {
                o.open("mods:role", &[]);
                o.leaf("mods:roleTerm", &[("type", "text")], role);
                o.close("mods:role");
            }
            o.close("mods:name");
        }
    }
    o.leaf("mods:typeOfResource", &[], "text");
    o.leaf("mods:genre", &[], "article");
}

/// `<mets:fptr>` with one `area` per ALTO ID (in a `seq` when there are
/// several); nothing when there are none.
fn fptr(o: &mut Out, file: &str, ids: &[String]) {
    if ids.is_empty() {
        return;
    }
    o.open("mets:fptr", &[]);
    if ids.len() > 1 {
        o.open("mets:seq", &[]);
    }
    for id in ids {
        o.empty(
            "mets:area",
            &[("FILEID", file), ("BETYPE", "IDREF"), ("BEGIN", id)],
        );
    }
    if ids.len() > 1 {
        o.close("mets:seq");
    }
    o.close("mets:fptr");
}

fn field_div(
    o: &mut Out,
    kind: &str,
    label: Option<&str>,
    order: Option<usize>,
    lines: Option<&Vec<usize>>,
    layout: &PageLayout,
    file: &str,
) {
    let mut attrs = vec![("TYPE", kind.to_string())];
    if let Some(l) = label {
        attrs.push(("LABEL", l.to_string()));
    }
    if let Some(n) = order {
        attrs.push(("ORDER", n.to_string()));
    }
    let ids = lines.map(|l| layout.ids_for(l)).unwrap_or_default();
    if ids.is_empty() {
        o.empty("mets:div", &borrow(&attrs));
    } else {
        o.open("mets:div", &borrow(&attrs));
        fptr(o, file, &ids);
        o.close("mets:div");
    }
}

fn write_article(
    o: &mut Out,
    id: &str,
    n: usize,
    a: &Article,
    fields: &std::collections::BTreeMap<Field, Vec<usize>>,
    layout: &PageLayout,
    file: &str,
) {
    o.open(
        "mets:div",
        &[
            ("ID", id),
            ("TYPE", "ARTICLE"),
            ("LABEL", &a.title),
            ("ORDER", &n.to_string()),
            ("ORDERLABEL", &a.id),
            ("DMDID", &format!("DMD_ART_{n}")),
        ],
    );
    let div = |o: &mut Out, kind: &str, label: Option<&str>, order: Option<usize>, f: Field| {
        field_div(o, kind, label, order, fields.get(&f), layout, file);
    };
    // An untitled article (the rest of a story continued from another
    // page, printed without its title again) has no title lines to point
    // at: it gets no TITLE division, and no HEADING when nothing of a
    // headline was printed.
    let titled = !a.title.is_empty();
    let headed = titled
        || a.column.is_some()
        || a.series.is_some()
        || a.kicker.is_some()
        || a.subtitle.is_some();
    if headed {
        o.open("mets:div", &[("TYPE", "HEADING")]);
        if let Some(s) = &a.column {
            div(o, "COLUMN", Some(s), None, Field::Column);
        }
        if let Some(s) = &a.series {
            div(o, "SERIES", Some(s), None, Field::Series);
        }
        if let Some(s) = &a.kicker {
            div(o, "KICKER", Some(s), None, Field::Kicker);
        }
        if titled {
            div(o, "TITLE", Some(&a.title), None, Field::Title);
        }
        if let Some(s) = &a.subtitle {
            div(o, "SUBTITLE", Some(s), None, Field::Subtitle);
        }
        o.close("mets:div");
    }
    for (i, b) in a.bylines.iter().enumerate() {
        let label = [b.role.clone().unwrap_or_default(), b.names.join(" ")]
            .join(" ")
            .trim()
            .to_string();
        div(o, "BYLINE", Some(&label), None, Field::Byline(i));
    }
    if let Some(d) = &a.dateline {
        div(o, "DATELINE", Some(d), None, Field::Dateline);
    }
    if a.paragraphs.is_empty() {
        o.empty("mets:div", &[("TYPE", "BODY")]);
    } else {
        o.open("mets:div", &[("TYPE", "BODY")]);
        for (i, p) in a.paragraphs.iter().enumerate() {
            let (kind, label) = match p.kind {
                ParagraphKind::Text => ("PARAGRAPH", None),
                ParagraphKind::Heading => ("SUBHEADING", Some(p.text.as_str())),
            };
            div(o, kind, label, Some(i + 1), Field::Paragraph(i));
        }
        o.close("mets:div");
    }
    for (i, c) in a.captions.iter().enumerate() {
        div(o, "CAPTION", Some(&c.text), Some(i + 1), Field::Caption(i));
    }
    let jump = match (&a.continued_from, &a.continues_to) {
        (None, None) => None,
        (from, to) => Some(
            [
                from.as_ref().map(|p| format!("continued from page {p}")),
                to.as_ref().map(|p| format!("continues on page {p}")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("; "),
        ),
    };
    if let Some(label) = jump {
        div(o, "JUMP", Some(&label), None, Field::Jump);
    }
    for (i, m) in a.marks.iter().enumerate() {
        div(o, "MARK", Some(m), Some(i + 1), Field::Mark(i));
    }
    o.close("mets:div");
}
