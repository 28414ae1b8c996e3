//! The exports of the example pages read back: TEI holds every article
//! and paragraph in order, ALTO every character of the page once, METS
//! points only at IDs its ALTO files have; all three are valid against the
//! official schemas shipped in `schemas/` (when xmllint is installed).

mod common;

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use baozhi_export::tei::document as tei;
use baozhi_export::{package, MetsPage, NoGeometry, Package, Source, Stream};
use baozhi_model::{
    Article, Byline, Caption, Document, Furniture, FurnitureKind, Page, Paragraph, ParagraphKind,
};
use baozhi_text::is_space;
use common::{parse_example, parse_xml, El, Parsed};
use proptest::prelude::*;

/// The examples with the boxes of their lines: an e-paper PDF, and the same
/// page as OCR output in both formats.
const WITH_GEOMETRY: [&str; 3] = [
    "shili-2026-03-12-p01.pdf",
    "shili-2026-03-12-p01.hocr",
    "shili-2026-03-12-p01.alto.xml",
];
const TEXT_EXAMPLE: &str = "jiangcheng-2025-05-06-p01.txt";

fn mets_of(name: &str, parsed: &[Parsed]) -> Package {
    let pages: Vec<MetsPage<'_>> = parsed
        .iter()
        .map(|p| {
            MetsPage::new(
                &p.page.text,
                p.page.geometry.as_deref(),
                p.page.size,
                &p.doc,
            )
            .expect("a page with geometry")
        })
        .collect();
    package(name, name, &pages)
}

fn source(file: &str) -> Source<'_> {
    Source {
        file,
        page_in_file: None,
    }
}

/// The texts a TEI article div holds in reading order: datelines,
/// paragraphs and section heads.
fn tei_body_texts(div: &El) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(el: &El, in_section: bool, out: &mut Vec<String>) {
        for c in el.elements() {
            match c.name.as_str() {
                "dateline" | "p" => out.push(c.text()),
                "head" if in_section => out.push(c.text()),
                "div" if c.attr("type") == Some("section") => walk(c, true, out),
                _ => {}
            }
        }
    }
    walk(div, false, &mut out);
    out
}

/// What `tei_body_texts` should find for an article: its paragraphs in
/// order, a dateline that opens the first one written before it.
fn expected_body_texts(a: &Article) -> Vec<String> {
    let mut out: Vec<String> = a.dateline.iter().cloned().collect();
    for (i, p) in a.paragraphs.iter().enumerate() {
        let rest = match (&a.dateline, p.kind) {
            (Some(d), ParagraphKind::Text) if i == 0 => p.text.strip_prefix(d.as_str()),
            _ => None,
        };
        match rest {
            Some("") => {}
            Some(rest) => out.push(rest.to_string()),
            None => out.push(p.text.clone()),
        }
    }
    out
}

fn article_divs(root: &El) -> Vec<&El> {
    root.descendants()
        .into_iter()
        .filter(|e| e.name == "div" && e.attr("type") == Some("article"))
        .collect()
}

#[test]
fn tei_holds_every_article_and_paragraph_in_order() {
    let mut names: Vec<&str> = WITH_GEOMETRY.to_vec();
    names.push(TEXT_EXAMPLE);
    for name in names {
        for p in parse_example(name) {
            assert!(!p.doc.articles.is_empty(), "{name}: no articles");
            let t = tei(&p.doc, source(name));
            assert!(t.warnings.is_empty(), "{name}: {:?}", t.warnings);
            let root = parse_xml(&t.xml).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(root.name, "TEI");
            let divs = article_divs(&root);
            assert_eq!(divs.len(), p.doc.articles.len(), "{name}");
            for (div, a) in divs.iter().zip(&p.doc.articles) {
                assert_eq!(div.attr("n"), Some(a.id.as_str()), "{name}");
                let main: Vec<String> = div
                    .elements()
                    .filter(|e| e.name == "head" && e.attr("type") == Some("main"))
                    .map(El::text)
                    .collect();
                assert_eq!(main, std::slice::from_ref(&a.title), "{name} {}", a.id);
                assert_eq!(
                    tei_body_texts(div),
                    expected_body_texts(a),
                    "{name} {}",
                    a.id
                );
                let captions: Vec<String> = div
                    .elements()
                    .filter(|e| e.name == "figure")
                    .map(|f| f.elements().find(|e| e.name == "head").unwrap().text())
                    .collect();
                let expected: Vec<String> = a.captions.iter().map(|c| c.text.clone()).collect();
                assert_eq!(captions, expected, "{name} {}", a.id);
                let names: Vec<String> = div
                    .descendants()
                    .into_iter()
                    .filter(|e| e.name == "persName")
                    .map(El::text)
                    .collect();
                let expected: Vec<String> =
                    a.bylines.iter().flat_map(|b| b.names.clone()).collect();
                assert_eq!(names, expected, "{name} {}", a.id);
            }
        }
    }
}

/// A document with every field set and markup characters in all of them.
fn tricky_document() -> Document {
    let mut doc = Document::new(Some("a\"b&c<报>".into()), Some("2026-03-12".into()));
    doc.pages.push(Page {
        pictures: Vec::new(),
        page: Some("A<3>".into()),
        furniture: vec![Furniture {
            kind: FurnitureKind::Banner,
            text: "口号 <&> \"引\"".into(),
            spans: vec![],
        }],
        size: None,
        source: None,
    });
    let mut a = Article::new("01-1".into(), Some("A<3>".into()), "标题<b>&\"x\"".into());
    a.column = Some("栏目&".into());
    a.series = Some("系列>".into());
    a.kicker = Some("引题\"".into());
    a.subtitle = Some("副题'".into());
    a.bylines = vec![Byline {
        role: Some("本报记者<".into()),
        names: vec!["甲&乙".into(), "丙".into()],
    }];
    a.dateline = Some("本报讯<".into());
    a.paragraphs = vec![
        Paragraph {
            kind: ParagraphKind::Text,
            text: "本报讯<正文 a<b && c>d \"引\" 'x'".into(),
        },
        Paragraph {
            kind: ParagraphKind::Heading,
            text: "一、<小标题>".into(),
        },
        Paragraph {
            kind: ParagraphKind::Text,
            text: "]]> 不是 CDATA 的结尾".into(),
        },
    ];
    a.captions = vec![Caption {
        text: "图<说>".into(),
        credit: Some("某&某 摄".into()),
    }];
    a.continues_to = Some("<02>".into());
    a.continued_from = Some("01\"".into());
    a.marks = vec!["②<4>".into()];
    doc.articles.push(a);
    doc
}

#[test]
fn tei_escapes_markup_characters_and_reads_back_the_same_text() {
    let doc = tricky_document();
    let t = tei(&doc, source("dir/\"a&b\".txt"));
    assert!(t.xml.contains("标题&lt;b&gt;&amp;\"x\""), "{}", t.xml);
    assert!(t
        .xml
        .contains("<idno type=\"file\">dir/\"a&amp;b\".txt</idno>"));
    assert!(t.xml.contains("<div type=\"article\" n=\"01-1\">"));
    assert!(t
        .xml
        .contains("<ref type=\"continued_from\" n=\"01&quot;\">"));
    let root = parse_xml(&t.xml).unwrap();
    let div = article_divs(&root)[0];
    let heads: BTreeMap<String, String> = div
        .elements()
        .filter(|e| e.name == "head")
        .map(|e| (e.attr("type").unwrap().to_string(), e.text()))
        .collect();
    let a = &doc.articles[0];
    assert_eq!(heads["main"], a.title);
    assert_eq!(heads["kicker"], *a.kicker.as_ref().unwrap());
    assert_eq!(heads["column"], *a.column.as_ref().unwrap());
    assert_eq!(tei_body_texts(div), expected_body_texts(a));
    assert_eq!(
        tei_body_texts(div),
        [
            "本报讯<",
            "正文 a<b && c>d \"引\" 'x'",
            "一、<小标题>",
            "]]> 不是 CDATA 的结尾"
        ]
    );
    let byline = div.elements().find(|e| e.name == "byline").unwrap();
    assert_eq!(byline.text(), "本报记者< 甲&乙 丙");
    let fw: Vec<String> = root
        .descendants()
        .into_iter()
        .filter(|e| e.name == "fw")
        .map(El::text)
        .collect();
    assert_eq!(fw, ["口号 <&> \"引\"", "②<4>"]);
    let title = root
        .descendants()
        .into_iter()
        .find(|e| e.name == "title")
        .unwrap()
        .text();
    assert_eq!(title, "a\"b&c<报> 2026-03-12 第A<3>版");
}

#[test]
fn characters_xml_cannot_carry_are_left_out_and_counted() {
    let mut doc = tricky_document();
    doc.articles[0].paragraphs[2].text = "甲\u{1}乙\u{FFFF}丙\u{C}".into();
    doc.articles[0].title = "题\u{0}".into();
    let t = tei(&doc, source("p.txt"));
    assert_eq!(
        t.warnings,
        ["4 characters that XML 1.0 does not allow (control characters, U+FFFE, U+FFFF) left out"]
    );
    assert!(t.xml.contains("<!-- baozhi: 4 characters"));
    let root = parse_xml(&t.xml).unwrap();
    let texts = tei_body_texts(article_divs(&root)[0]);
    assert_eq!(texts.last().unwrap(), "甲乙丙");

    // The same in ALTO: the page text's control characters are counted.
    let text = "题\u{1}目\n正文\u{FFFE}\n";
    let geometry = vec![line_at(0.0); 2];
    let doc = Document::new(None, None);
    let page = MetsPage::new(text, Some(&geometry), None, &doc).unwrap();
    let p = package("x", "x.pdf", &[page]);
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    assert!(p.warnings[0].starts_with("page 1: 2 characters"));
    assert!(p.alto[0].xml.contains("<String CONTENT=\"题目\"/>"));
    parse_xml(&p.alto[0].xml).unwrap();
}

fn line_at(top: f32) -> baozhi_model::LineGeometry {
    baozhi_model::LineGeometry {
        x0: 10.0,
        top,
        x1: 100.0,
        bottom: top + 10.0,
        size: 10.0,
        bold: false,
    }
}

#[test]
fn a_page_without_geometry_is_refused_for_mets() {
    let parsed = parse_example(TEXT_EXAMPLE);
    let p = &parsed[0];
    let r = MetsPage::new(&p.page.text, p.page.geometry.as_deref(), None, &p.doc);
    assert_eq!(r.err(), Some(NoGeometry));
    assert!(NoGeometry.to_string().contains("--format tei"));
}

/// The number in a TextLine's ID: its line in the page text.
fn line_number(id: &str) -> usize {
    id.strip_prefix("TL_").unwrap().parse().unwrap()
}

#[test]
fn alto_strings_hold_every_character_of_the_page_once() {
    for name in WITH_GEOMETRY {
        let parsed = parse_example(name);
        let p = mets_of("page", &parsed);
        assert!(p.warnings.is_empty(), "{name}: {:?}", p.warnings);
        for (file, page) in p.alto.iter().zip(&parsed) {
            let root = parse_xml(&file.xml).unwrap_or_else(|e| panic!("{name}: {e}"));
            // Each TextLine's Strings, by line number: blocks group lines
            // by article, so the file's order is not the text's.
            let mut by_line: BTreeMap<usize, String> = BTreeMap::new();
            for line in root
                .descendants()
                .into_iter()
                .filter(|e| e.name == "TextLine")
            {
                let n = line_number(line.attr("ID").unwrap());
                let words: String = line
                    .elements()
                    .filter(|e| e.name == "String")
                    .map(|s| s.attr("CONTENT").unwrap().to_string())
                    .collect();
                assert!(by_line.insert(n, words).is_none(), "{name}: line {n} twice");
                for coord in ["HPOS", "VPOS", "WIDTH", "HEIGHT"] {
                    assert!(
                        line.attr(coord).is_some(),
                        "{name}: line {n} has no {coord}"
                    );
                }
            }
            let from_alto: String = by_line.values().cloned().collect();
            let from_text: String = page.page.text.chars().filter(|&c| !is_space(c)).collect();
            assert!(!from_text.is_empty());
            assert_eq!(from_alto, from_text, "{name}");
            // And line by line, against the text's own lines.
            for (n, line) in page.page.text.lines().enumerate() {
                let want: String = line.chars().filter(|&c| !is_space(c)).collect();
                assert_eq!(
                    by_line.get(&n).cloned().unwrap_or_default(),
                    want,
                    "{name}: line {n}"
                );
            }
        }
    }
}

#[test]
fn mets_points_only_at_ids_its_alto_files_have() {
    for name in WITH_GEOMETRY {
        let parsed = parse_example(name);
        let p = mets_of("page", &parsed);
        let mets = parse_xml(&p.mets.xml).unwrap_or_else(|e| panic!("{name}: {e}"));
        // FILEID → the IDs in that ALTO file.
        let mut ids: BTreeMap<String, HashSet<String>> = BTreeMap::new();
        for f in mets
            .descendants()
            .into_iter()
            .filter(|e| e.name == "mets:file")
        {
            let href = f
                .elements()
                .find(|e| e.name == "mets:FLocat")
                .and_then(|l| l.attr("xlink:href"))
                .unwrap();
            let alto = p
                .alto
                .iter()
                .find(|a| a.name == href)
                .expect("the ALTO file");
            let root = parse_xml(&alto.xml).unwrap();
            let set = root
                .descendants()
                .into_iter()
                .filter_map(|e| e.attr("ID").map(str::to_string))
                .collect();
            ids.insert(f.attr("ID").unwrap().to_string(), set);
        }
        assert_eq!(ids.len(), parsed.len());
        let areas: Vec<&El> = mets
            .descendants()
            .into_iter()
            .filter(|e| e.name == "mets:area")
            .collect();
        assert!(!areas.is_empty());
        for area in &areas {
            let file = area.attr("FILEID").unwrap();
            let begin = area.attr("BEGIN").unwrap();
            assert!(
                ids[file].contains(begin),
                "{name}: {begin} is not in {file}"
            );
        }
        // Every article is there, and its title and paragraphs point at
        // the lines that print them.
        let logical = mets
            .elements()
            .find(|e| e.name == "mets:structMap" && e.attr("TYPE") == Some("LOGICAL"))
            .unwrap();
        let articles: Vec<&El> = logical
            .descendants()
            .into_iter()
            .filter(|e| e.attr("TYPE") == Some("ARTICLE"))
            .collect();
        let all: Vec<&Article> = parsed.iter().flat_map(|p| &p.doc.articles).collect();
        assert_eq!(articles.len(), all.len(), "{name}");
        for (div, a) in articles.iter().zip(&all) {
            assert_eq!(div.attr("LABEL"), Some(a.title.as_str()));
            let typed = |t: &str| -> Vec<&El> {
                div.descendants()
                    .into_iter()
                    .filter(|e| e.name == "mets:div" && e.attr("TYPE") == Some(t))
                    .collect()
            };
            let points = |d: &El| d.elements().any(|e| e.name == "mets:fptr");
            let title = typed("TITLE");
            if a.title.is_empty() {
                assert!(title.is_empty(), "{name}: {} untitled", a.id);
            } else {
                assert!(points(title[0]), "{name}: {} title has no lines", a.id);
            }
            let paragraphs = typed("PARAGRAPH");
            assert_eq!(
                paragraphs.len() + typed("SUBHEADING").len(),
                a.paragraphs.len()
            );
            for (i, d) in paragraphs.iter().enumerate() {
                assert!(
                    points(d),
                    "{name}: {} paragraph {} has no lines",
                    a.id,
                    i + 1
                );
            }
            assert_eq!(typed("CAPTION").len(), a.captions.len());
            assert_eq!(typed("BYLINE").len(), a.bylines.len());
            // Bylines and datelines too, printed on their own lines or
            // (reporters named in a dateline) inside the first paragraph.
            for d in typed("BYLINE").into_iter().chain(typed("DATELINE")) {
                assert!(
                    points(d),
                    "{name}: {} {:?} has no lines",
                    a.id,
                    d.attr("LABEL")
                );
            }
            for d in typed("CAPTION") {
                assert!(points(d), "{name}: {} caption has no lines", a.id);
            }
        }
    }
}

#[test]
fn an_untitled_article_gets_no_title_division() {
    // the rest of a story continued from another page, printed without
    // its title: METS has no title lines to point at
    let mut parsed = parse_example(WITH_GEOMETRY[0]);
    let a = &mut parsed[0].doc.articles[0];
    a.title.clear();
    (a.column, a.series, a.kicker, a.subtitle) = (None, None, None, None);
    let p = mets_of("page", &parsed);
    let mets = parse_xml(&p.mets.xml).expect("well-formed METS");
    let articles: Vec<&El> = mets
        .descendants()
        .into_iter()
        .filter(|e| e.attr("TYPE") == Some("ARTICLE"))
        .collect();
    assert_eq!(articles.len(), parsed[0].doc.articles.len());
    let kinds = |div: &El| -> Vec<String> {
        div.descendants()
            .into_iter()
            .filter_map(|e| e.attr("TYPE").map(str::to_string))
            .collect()
    };
    let first = kinds(articles[0]);
    assert!(
        !first.iter().any(|t| t == "TITLE" || t == "HEADING"),
        "{first:?}"
    );
    assert!(first.iter().any(|t| t == "PARAGRAPH"), "{first:?}");
    assert!(kinds(articles[1]).iter().any(|t| t == "TITLE"));
}

#[test]
fn a_stream_writes_one_tei_or_a_corpus() {
    let doc = tricky_document();
    let empty = Stream::new(Vec::new()).finish().unwrap();
    assert!(empty.is_empty());

    let mut one = Stream::new(Vec::new());
    one.push(&doc, source("a.txt")).unwrap();
    let one = String::from_utf8(one.finish().unwrap()).unwrap();
    assert_eq!(parse_xml(&one).unwrap().name, "TEI");

    let mut three = Stream::new(Vec::new());
    for f in ["a.txt", "b.txt", "c.txt"] {
        three.push(&doc, source(f)).unwrap();
    }
    let three = String::from_utf8(three.finish().unwrap()).unwrap();
    let root = parse_xml(&three).unwrap();
    assert_eq!(root.name, "teiCorpus");
    let files: Vec<String> = root
        .elements()
        .filter(|e| e.name == "TEI")
        .map(|t| {
            t.descendants()
                .into_iter()
                .find(|e| e.name == "idno")
                .unwrap()
                .text()
        })
        .collect();
    assert_eq!(files, ["a.txt", "b.txt", "c.txt"]);
}

fn write_all(dir: &std::path::Path, files: &[(String, String)]) -> Vec<PathBuf> {
    files
        .iter()
        .map(|(name, xml)| {
            let path = dir.join(name);
            std::fs::write(&path, xml).unwrap();
            path
        })
        .collect()
}

#[test]
fn exports_are_valid_against_the_official_schemas() {
    let Some(xmllint) = common::xmllint("exports_are_valid_against_the_official_schemas") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut alto = Vec::new();
    let mut mets = Vec::new();
    let mut teis = Vec::new();
    for (k, name) in WITH_GEOMETRY.iter().enumerate() {
        let parsed = parse_example(name);
        let p = mets_of(&format!("ex{k}"), &parsed);
        mets.push((p.mets.name.clone(), p.mets.xml.clone()));
        alto.extend(p.alto.iter().map(|f| (f.name.clone(), f.xml.clone())));
        for (i, page) in parsed.iter().enumerate() {
            teis.push((
                format!("ex{k}-{i}.tei.xml"),
                tei(&page.doc, source(name)).xml,
            ));
        }
    }
    for (i, p) in parse_example(TEXT_EXAMPLE).iter().enumerate() {
        teis.push((
            format!("text-{i}.tei.xml"),
            tei(&p.doc, source(TEXT_EXAMPLE)).xml,
        ));
    }
    // Every field, markup characters, a control character, a section.
    let mut tricky = tricky_document();
    tricky.articles[0].paragraphs[2].text.push('\u{1}');
    teis.push(("tricky.tei.xml".into(), tei(&tricky, source("t.txt")).xml));
    let mut corpus = Stream::new(Vec::new());
    corpus.push(&tricky, source("a")).unwrap();
    corpus
        .push(&Document::new(None, None), source("b"))
        .unwrap();
    teis.push((
        "corpus.tei.xml".into(),
        String::from_utf8(corpus.finish().unwrap()).unwrap(),
    ));
    // An ALTO/METS of a page whose text has no article at all.
    let empty = Document::new(None, None);
    let lone = [line_at(0.0)];
    let p = package(
        "lone",
        "lone.pdf",
        &[MetsPage::new("孤行\n", Some(&lone), None, &empty).unwrap()],
    );
    mets.push((p.mets.name.clone(), p.mets.xml.clone()));
    alto.extend(p.alto.iter().map(|f| (f.name.clone(), f.xml.clone())));

    for (schema, files) in [
        ("alto-4-2.xsd", &alto),
        ("mets.xsd", &mets),
        ("tei_all.rng", &teis),
    ] {
        if let Err(e) = common::validate(&xmllint, schema, &write_all(dir.path(), files)) {
            panic!("{e}");
        }
    }
}

/// The check above is no formality: each schema refuses a file that
/// breaks it, the way a writer's mistake would.
#[test]
fn the_schema_check_refuses_what_the_schemas_forbid() {
    let Some(xmllint) = common::xmllint("the_schema_check_refuses_what_the_schemas_forbid") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let parsed = parse_example(WITH_GEOMETRY[0]);
    let p = mets_of("bad", &parsed);
    let t = tei(&parsed[0].doc, source("x")).xml;
    let broken = [
        // TEI allows no head after a p.
        (
            "tei_all.rng",
            t.replacen("</p>", "</p><head>晚了</head>", 1),
        ),
        // ALTO's TextLine needs a String.
        (
            "alto-4-2.xsd",
            p.alto[0]
                .xml
                .replacen("<String CONTENT=\"示例日报\"/>", "", 1),
        ),
        // METS's area needs FILEID.
        (
            "mets.xsd",
            p.mets
                .xml
                .replacen("<mets:area FILEID=\"FILE_ALTO_1\"", "<mets:area", 1),
        ),
    ];
    for (i, (schema, xml)) in broken.into_iter().enumerate() {
        let files = write_all(dir.path(), &[(format!("broken-{i}.xml"), xml)]);
        assert!(
            common::validate(&xmllint, schema, &files).is_err(),
            "{schema} took a broken file"
        );
    }
}

/// Any text at all, control characters and markup included.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".*",
        proptest::collection::vec(
            prop_oneof![
                Just('<'),
                Just('>'),
                Just('&'),
                Just('"'),
                Just('\''),
                Just('\r'),
                Just('\n'),
                Just('\u{0}'),
                Just('\u{1}'),
                Just('\u{FFFE}'),
                Just(']'),
                Just('-'),
                Just('报'),
                any::<char>(),
            ],
            0..40
        )
        .prop_map(|v| v.into_iter().collect()),
    ]
}

fn xml_clean(s: &str) -> String {
    s.chars().filter(|&c| common::xml_char(c)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_text_gives_well_formed_tei(
        paper in proptest::option::of(any_text()),
        title in any_text(),
        paragraphs in proptest::collection::vec((any_text(), any::<bool>()), 0..4),
        names in proptest::collection::vec(any_text(), 0..3),
        furniture in any_text(),
        dateline in proptest::option::of(any_text()),
        file in any_text(),
    ) {
        let mut doc = Document::new(paper, Some(title.clone()));
        doc.pages.push(Page {
            pictures: Vec::new(),
            page: Some(title.clone()),
            furniture: vec![Furniture { kind: FurnitureKind::Other, text: furniture, spans: vec![] }],
            size: None,
            source: None,
        });
        let mut a = Article::new(title.clone(), None, title.clone());
        a.paragraphs = paragraphs
            .iter()
            .map(|(t, h)| Paragraph {
                kind: if *h { ParagraphKind::Heading } else { ParagraphKind::Text },
                text: t.clone(),
            })
            .collect();
        a.bylines = vec![Byline { role: None, names }];
        a.dateline = dateline;
        a.captions = vec![Caption { text: title.clone(), credit: None }];
        doc.articles.push(a.clone());
        let t = tei(&doc, source(&file));
        let root = parse_xml(&t.xml).map_err(|e| TestCaseError::fail(format!("{e}\n{}", t.xml)))?;
        let div = article_divs(&root)[0];
        let main = div.elements().find(|e| e.attr("type") == Some("main")).unwrap().text();
        prop_assert_eq!(main, xml_clean(&title));
        // Paragraph texts come back in order (less what XML cannot carry).
        let want: Vec<String> = expected_body_texts(&a).iter().map(|t| xml_clean(t)).collect();
        prop_assert_eq!(tei_body_texts(div), want);
        prop_assert_eq!(t.warnings.is_empty(), !t.xml.contains("<!-- baozhi:"));
    }

    #[test]
    fn any_page_text_gives_well_formed_lossless_alto(
        lines in proptest::collection::vec(any_text(), 1..8),
        title_len in 0usize..20,
    ) {
        let text = lines.join("\n");
        let geometry: Vec<_> = (0..text.lines().count() + 2)
            .map(|i| line_at(i as f32 * 12.0))
            .collect();
        let mut doc = Document::new(None, None);
        doc.pages.push(Page { page: None, furniture: vec![], size: None, source: None, pictures: Vec::new() });
        let mut a = Article::new("a".into(), None, text.chars().take(title_len).collect());
        a.spans = vec![[0, title_len.min(text.chars().count())]];
        doc.articles.push(a);
        let p = package("x", "x", &[MetsPage::new(&text, Some(&geometry), None, &doc).unwrap()]);
        let root = parse_xml(&p.alto[0].xml).map_err(|e| TestCaseError::fail(format!("{e}\n{}", p.alto[0].xml)))?;
        parse_xml(&p.mets.xml).map_err(|e| TestCaseError::fail(format!("{e}\n{}", p.mets.xml)))?;
        let mut by_line: BTreeMap<usize, String> = BTreeMap::new();
        for line in root.descendants().into_iter().filter(|e| e.name == "TextLine") {
            let words: String = line
                .elements()
                .filter(|e| e.name == "String")
                .map(|s| s.attr("CONTENT").unwrap().to_string())
                .collect();
            by_line.insert(line_number(line.attr("ID").unwrap()), words);
        }
        let from_alto: String = by_line.values().cloned().collect();
        let want: String = text.chars().filter(|&c| !is_space(c) && common::xml_char(c)).collect();
        prop_assert_eq!(from_alto, want);
    }
}
