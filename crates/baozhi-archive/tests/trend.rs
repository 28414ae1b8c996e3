//! Matches and articles per period (`Archive::trend`), on the archive
//! directly: what the server's tests do not reach.

use baozhi_archive::{Archive, ArchiveError, TrendBy, TrendQuery, MAX_TREND_PERIODS};
use baozhi_model::{Article, Document, Page, Paragraph, ParagraphKind};

/// A one-page issue of 甲报 with one article per body text.
fn issue(date: &str, bodies: &[&str]) -> Document {
    let mut doc = Document::new(Some("甲报".into()), Some(date.into()));
    doc.pages.push(Page {
        pictures: Vec::new(),
        page: Some("01".into()),
        furniture: vec![],
        size: None,
        source: None,
    });
    for (n, body) in bodies.iter().enumerate() {
        let mut a = Article::new(format!("01-{n}"), Some("01".into()), format!("标题{n}"));
        a.paragraphs.push(Paragraph {
            kind: ParagraphKind::Text,
            text: (*body).into(),
        });
        doc.articles.push(a);
    }
    doc
}

fn rows(archive: &Archive, q: &TrendQuery) -> Vec<(String, usize, usize)> {
    archive
        .trend(q)
        .unwrap()
        .periods
        .into_iter()
        .map(|p| (p.period, p.matches, p.articles))
        .collect()
}

#[test]
fn a_replaced_page_counts_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = Archive::open(dir.path()).unwrap();
    archive
        .ingest_document(&issue("2024-10-22", &["湿地保护成效显著。", "秋粮入库。"]))
        .unwrap();
    archive
        .ingest_document(&issue("2024-12-01", &["湿地候鸟越冬。"]))
        .unwrap();
    archive.commit().unwrap();
    let q = TrendQuery::new("湿地");
    assert_eq!(
        rows(&archive, &q),
        [
            ("2024-10".to_string(), 1, 2),
            ("2024-11".to_string(), 0, 0),
            ("2024-12".to_string(), 1, 1),
        ]
    );
    // The page again, now without the word and with one more article.
    archive
        .ingest_document(&issue(
            "2024-10-22",
            &["秋粮入库。", "冬小麦播种。", "菜价平稳。"],
        ))
        .unwrap();
    archive.commit().unwrap();
    assert_eq!(
        rows(&archive, &q),
        [
            ("2024-10".to_string(), 0, 3),
            ("2024-11".to_string(), 0, 0),
            ("2024-12".to_string(), 1, 1),
        ]
    );
}

#[test]
fn a_misdated_issue_makes_too_many_months() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = Archive::open(dir.path()).unwrap();
    archive
        .ingest_document(&issue("2024-03-01", &["湿地。"]))
        .unwrap();
    // A year typed as 0024: two thousand years before the rest.
    archive
        .ingest_document(&issue("0024-03-01", &["湿地。"]))
        .unwrap();
    archive.commit().unwrap();
    let by_month = TrendQuery {
        by: Some(TrendBy::Month),
        ..TrendQuery::new("湿地")
    };
    match archive.trend(&by_month) {
        Err(ArchiveError::Query(m)) => assert!(m.contains("by year"), "{m}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    // By year (chosen, the span being long) the 2,001 years fit.
    let trend = archive.trend(&TrendQuery::new("湿地")).unwrap();
    assert_eq!(trend.by, TrendBy::Year);
    assert_eq!(trend.periods.len(), 2_001);
    assert!(trend.periods.len() <= MAX_TREND_PERIODS);
    assert_eq!(trend.periods[0].period, "0024");
    assert_eq!(trend.periods[2_000].matches, 1);
    // Narrowed by date, months are fine again.
    let recent = TrendQuery {
        from: Some("2000-01-01".into()),
        ..by_month
    };
    assert_eq!(rows(&archive, &recent), [("2024-03".to_string(), 1, 1)]);
}

#[test]
fn hostile_texts_are_refused_as_in_search() {
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::open(dir.path()).unwrap();
    let deep = TrendQuery::new("(".repeat(800));
    assert!(matches!(
        archive.trend(&deep),
        Err(ArchiveError::QueryLimit(_))
    ));
    let bad_date = TrendQuery {
        from: Some("yesterday".into()),
        ..TrendQuery::new("湿地")
    };
    assert!(matches!(
        archive.trend(&bad_date),
        Err(ArchiveError::Query(_))
    ));
    // An empty archive has no periods.
    let trend = archive.trend(&TrendQuery::new("湿地")).unwrap();
    assert!(trend.periods.is_empty());
}
