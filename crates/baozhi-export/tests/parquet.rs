//! The Parquet export read back with the `parquet` crate's own reader: a
//! row per article, every field where it belongs (nested lists included),
//! row groups cut at their size, and the columns of the Python package's
//! Dask example under the same names.

mod common;

use baozhi_export::parquet_file::{column_names, ROW_GROUP_ARTICLES};
use baozhi_export::{epoch_day, ArticleRow, ParquetWriter};
use baozhi_model::{
    Article, Byline, Caption, Finding, FindingField, FindingKind, Paragraph, ParagraphKind,
};
use common::{parse_example, repo};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::{Field, Row};
use serde_json::{json, Value};

/// A row's field as JSON, nested lists and structs included (the crate's
/// own conversion needs its `json` feature, which the build leaves out).
fn to_json(field: &Field) -> Value {
    match field {
        Field::Null => Value::Null,
        Field::Str(s) => json!(s),
        Field::Date(d) => json!({ "days": d }),
        Field::Int(i) => json!(i),
        Field::Group(row) => row_json(row),
        Field::ListInternal(list) => Value::Array(list.elements().iter().map(to_json).collect()),
        other => panic!("a column of a type the export does not write: {other:?}"),
    }
}

fn row_json(row: &Row) -> Value {
    Value::Object(
        row.get_column_iter()
            .map(|(name, field)| (name.clone(), to_json(field)))
            .collect(),
    )
}

/// Writes `rows` to a temporary file and reads every row back as JSON,
/// with the file's row-group count.
fn round_trip(rows: &[ArticleRow<'_>]) -> (Vec<Value>, usize) {
    let file = tempfile::tempfile().unwrap();
    let mut writer = ParquetWriter::new(file.try_clone().unwrap()).unwrap();
    for row in rows {
        writer.push(row).unwrap();
    }
    writer.finish().unwrap();
    let reader = SerializedFileReader::new(file).expect("a Parquet file");
    let groups = reader.metadata().num_row_groups();
    let back = reader
        .get_row_iter(None)
        .unwrap()
        .map(|r| row_json(&r.unwrap()))
        .collect();
    (back, groups)
}

/// What a row should read back as: the article's fields as the columns
/// hold them.
fn expected(row: &ArticleRow<'_>) -> Value {
    let a = row.article;
    json!({
        "id": row.id,
        "paper": row.paper,
        "date": row.date.and_then(epoch_day).map(|d| json!({ "days": d })),
        "page": row.page,
        "article_id": a.id,
        "column": a.column,
        "series": a.series,
        "kicker": a.kicker,
        "title": a.title,
        "subtitle": a.subtitle,
        "bylines": a.bylines.iter().map(|b| json!({"role": b.role, "names": b.names})).collect::<Vec<_>>(),
        "dateline": a.dateline,
        "text": a.body_text(),
        "captions": a.captions.iter().map(|c| json!({"text": c.text, "credit": c.credit})).collect::<Vec<_>>(),
        "continues_to": a.continues_to,
        "continued_from": a.continued_from,
        "marks": a.marks,
        "findings": a.findings.as_ref().map(|f| serde_json::to_string(f).unwrap()),
    })
}

#[test]
fn parsed_pages_read_back_a_row_per_article() {
    let mut parsed = parse_example("jiangcheng-2025-05-06-p01.txt");
    parsed.extend(parse_example("shili-2026-03-12-p01.pdf"));
    let ids: Vec<Vec<String>> = parsed
        .iter()
        .map(|p| {
            (1..=p.doc.articles.len())
                .map(|n| format!("{}/{n}", p.doc.date.as_deref().unwrap()))
                .collect()
        })
        .collect();
    let rows: Vec<ArticleRow<'_>> = parsed
        .iter()
        .zip(&ids)
        .flat_map(|(p, ids)| {
            p.doc.articles.iter().zip(ids).map(|(a, id)| ArticleRow {
                id,
                paper: p.doc.paper.as_deref(),
                date: p.doc.date.as_deref(),
                page: p.doc.pages[0].page.as_deref(),
                article: a,
            })
        })
        .collect();
    assert!(rows.len() >= 4, "the examples hold several articles");
    let (back, groups) = round_trip(&rows);
    assert_eq!(groups, 1);
    assert_eq!(back.len(), rows.len(), "a row per article");
    for (got, row) in back.iter().zip(&rows) {
        assert_eq!(*got, expected(row), "{}", row.article.title);
    }
    let titles: Vec<&str> = back.iter().map(|r| r["title"].as_str().unwrap()).collect();
    let want: Vec<&str> = rows.iter().map(|r| r.article.title.as_str()).collect();
    assert_eq!(titles, want);
    assert!(back
        .iter()
        .any(|r| !r["bylines"].as_array().unwrap().is_empty()));
}

/// An article with what the examples lack: a byline without role or
/// names, a caption without credit, marks, findings.
fn odd_article() -> Article {
    let mut a = Article::new("02-7".into(), Some("A3".into()), "杂".into());
    a.bylines = vec![
        Byline {
            role: None,
            names: vec![],
        },
        Byline {
            role: Some("记者".into()),
            names: vec!["甲".into(), "乙".into(), "丙".into()],
        },
        Byline {
            role: None,
            names: vec!["丁".into()],
        },
    ];
    a.captions = vec![
        Caption {
            text: "图一".into(),
            credit: None,
        },
        Caption {
            text: "图二".into(),
            credit: Some("某某摄".into()),
        },
    ];
    a.paragraphs = vec![
        Paragraph {
            kind: ParagraphKind::Heading,
            text: "一、小标题".into(),
        },
        Paragraph {
            kind: ParagraphKind::Text,
            text: "正文。".into(),
        },
    ];
    a.marks = vec!["②4".into(), "★".into()];
    a.continues_to = Some("4".into());
    a.findings = Some(vec![Finding {
        field: FindingField::Title,
        paragraph: None,
        start: 0,
        end: 1,
        original: "杂".into(),
        suggestion: Some("新".into()),
        confidence: 0.5,
        kind: FindingKind::Glyph,
        evidence: "test".into(),
    }]);
    a
}

#[test]
fn nested_and_missing_values_survive_and_groups_are_cut() {
    let odd = odd_article();
    let plain = Article::new("01-1".into(), None, "平".into());
    let ids: Vec<String> = (0..ROW_GROUP_ARTICLES + 3)
        .map(|i| format!("x/{i}"))
        .collect();
    let rows: Vec<ArticleRow<'_>> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| ArticleRow {
            id,
            paper: (i % 2 == 0).then_some("某报"),
            // An archive's stand-in for no date is no DATE.
            date: Some(if i % 3 == 0 { "undated" } else { "2024-02-29" }),
            page: Some("A3"),
            article: if i % 5 == 0 { &odd } else { &plain },
        })
        .collect();
    let (back, groups) = round_trip(&rows);
    assert_eq!(groups, 2, "a row group every {ROW_GROUP_ARTICLES} articles");
    assert_eq!(back.len(), rows.len());
    for (i, (got, row)) in back.iter().zip(&rows).enumerate() {
        assert_eq!(*got, expected(row), "row {i}");
    }
    assert_eq!(back[0]["date"], Value::Null);
    assert_eq!(back[1]["date"], json!({ "days": 19_782 }));
    assert_eq!(
        back[0]["bylines"],
        json!([
            {"role": null, "names": []},
            {"role": "记者", "names": ["甲", "乙", "丙"]},
            {"role": null, "names": ["丁"]},
        ])
    );
    assert_eq!(back[0]["text"], "一、小标题\n正文。");
    assert_eq!(back[1]["bylines"], json!([]));
    assert_eq!(back[1]["findings"], Value::Null);
}

#[test]
fn columns_are_named_as_the_dask_example_names_them() {
    let script =
        std::fs::read_to_string(repo().join("crates/baozhi-python/examples/dask_parquet.py"))
            .expect("the Dask example");
    let ours: Vec<&str> = column_names().collect();
    // What only the export has: the archive id of the row.
    let only_here = ["id"];
    for name in &ours {
        if !only_here.contains(name) {
            assert!(
                script.contains(&format!("(\"{name}\", pa.")),
                "{name} is not a column of dask_parquet.py's SCHEMA"
            );
        }
    }
    // The dask columns the export leaves out, and why: partition, and
    // what only the script knows (the input file, its article count).
    let only_there = ["year", "source", "article_no"];
    for name in only_there {
        assert!(!ours.contains(&name));
    }
    let theirs = script.matches("        (\"").count();
    assert_eq!(
        theirs,
        ours.len() - only_here.len() + only_there.len(),
        "dask_parquet.py's SCHEMA has columns the export does not know of"
    );
}

#[test]
fn an_export_of_nothing_is_an_empty_table() {
    let file = tempfile::tempfile().unwrap();
    ParquetWriter::new(file.try_clone().unwrap())
        .unwrap()
        .finish()
        .unwrap();
    let reader = SerializedFileReader::new(file).expect("a Parquet file");
    assert_eq!(reader.metadata().file_metadata().num_rows(), 0);
}
