//! Looking after an archive: listing and exporting in bulk, keyword in
//! context, deleting, a full disk, a damaged index, dates from running
//! heads and dates that are not dates.

use baozhi_archive::{Archive, ArchiveError, ArticleRecord, IngestOptions, SearchQuery, Selection};
use baozhi_model::{Article, Document, Furniture, FurnitureKind, Page, Paragraph, ParagraphKind};

fn temp_dir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("baozhi-manage-{name}-"))
        .tempdir()
        .expect("create temp dir")
}

fn article(page: &str, title: &str, body: &str) -> Article {
    let mut a = Article::new(format!("{page}-{title}"), Some(page.into()), title.into());
    a.paragraphs.push(Paragraph {
        kind: ParagraphKind::Text,
        text: body.into(),
    });
    a
}

fn document(paper: &str, date: Option<&str>, page: &str, articles: Vec<Article>) -> Document {
    let mut doc = Document::new(Some(paper.into()), date.map(str::to_string));
    doc.pages.push(Page {
        pictures: Vec::new(),
        page: Some(page.into()),
        furniture: vec![],
        size: None,
        source: None,
    });
    doc.articles = articles;
    doc
}

/// Two papers, three issues, four pages, seven articles.
fn sample(name: &str) -> (tempfile::TempDir, Archive) {
    let root = temp_dir(name);
    let mut archive = Archive::open(&root.path().join("data")).unwrap();
    let docs = [
        document(
            "甲报",
            Some("2020-01-02"),
            "01",
            vec![
                article("01", "春运开始", "春运今天开始，铁路部门加开列车。"),
                article("01", "冬小麦", "冬小麦长势良好，农民忙于田间管理。"),
            ],
        ),
        document(
            "甲报",
            Some("2020-01-02"),
            "2",
            vec![article(
                "2",
                "铁路新线",
                "新建铁路通车，沿线群众出行更方便。铁路部门表示……",
            )],
        ),
        document(
            "甲报",
            Some("2021-05-06"),
            "01",
            vec![
                article("01", "五一假期", "假期铁路客流创新高。"),
                article("01", "博物馆", "博物馆推出夜场。"),
            ],
        ),
        document(
            "乙报",
            Some("2020-03-04"),
            "A1",
            vec![
                article("A1", "春耕", "春耕备耕有序推进。"),
                article("A1", "高铁", "高铁网络不断完善，铁路里程增加。"),
            ],
        ),
    ];
    for d in &docs {
        archive.ingest_document(d).unwrap();
    }
    archive.commit().unwrap();
    (root, archive)
}

fn listed(archive: &Archive, sel: &Selection, offset: usize, limit: Option<usize>) -> Vec<String> {
    let mut out = Vec::new();
    archive
        .for_each_article(sel, offset, limit, &mut |r: ArticleRecord| {
            out.push(format!(
                "{} {} {} {}",
                r.paper, r.date, r.page, r.article.title
            ));
            Ok::<(), ArchiveError>(())
        })
        .unwrap();
    out
}

#[test]
fn articles_are_listed_in_print_order_by_selection_with_paging() {
    let (_root, archive) = sample("list");
    let all = listed(&archive, &Selection::default(), 0, None);
    assert_eq!(all.len(), 7);
    assert_eq!(all[0], "乙报 2020-03-04 A1 春耕");
    assert_eq!(all[2], "甲报 2020-01-02 01 春运开始");
    assert_eq!(all[4], "甲报 2020-01-02 2 铁路新线");
    // Paging walks the same order.
    let mut paged = Vec::new();
    for offset in (0..7).step_by(3) {
        paged.extend(listed(&archive, &Selection::default(), offset, Some(3)));
    }
    assert_eq!(paged, all);
    // Filters.
    let sel = Selection {
        paper: Some("甲报".into()),
        from: Some("2020-01-01".into()),
        to: Some("2020-12-31".into()),
        ..Selection::default()
    };
    assert_eq!(listed(&archive, &sel, 0, None).len(), 3);
    let page2 = Selection {
        page: Some("02".into()),
        ..Selection::default()
    };
    assert_eq!(
        listed(&archive, &page2, 0, None),
        ["甲报 2020-01-02 2 铁路新线"]
    );
    // A date that is not one is a bad selection, not an empty one.
    let bad = Selection {
        from: Some("2020-13-01".into()),
        ..Selection::default()
    };
    let err = archive
        .for_each_article(&bad, 0, None, &mut |_| Ok::<(), ArchiveError>(()))
        .unwrap_err();
    assert!(matches!(err, ArchiveError::Query(_)), "{err}");
}

#[test]
fn every_match_is_exported_and_kwic_shows_each_place() {
    let (_root, archive) = sample("kwic");
    let q = SearchQuery::new("铁路");
    let ids = archive.matching_ids(&q).unwrap();
    // As many as the search counts, beyond any page of results.
    assert_eq!(ids.len(), archive.search(&q).unwrap().total);
    assert_eq!(ids.len(), 4);
    // Oldest first.
    assert!(ids[0].contains("/2020-01-02/"), "{ids:?}");
    assert!(ids[3].contains("/2021-05-06/"), "{ids:?}");

    let (lines, total) = archive.kwic(&q, 4, 0, None).unwrap();
    assert_eq!(total, 4);
    // 铁路新线 has it in its headline and twice in its text.
    let new_line: Vec<_> = lines.iter().filter(|l| l.id.ends_with("/2/1")).collect();
    assert_eq!(new_line.len(), 3, "{new_line:?}");
    assert_eq!(new_line[0].field, "headline");
    assert_eq!(new_line[1].left, "新建");
    assert_eq!(new_line[1].matched, "铁路");
    assert_eq!(new_line[1].right, "通车，沿");
    assert!(lines.iter().all(|l| l.matched == "铁路"));
    // Paging counts articles.
    let (page, _) = archive.kwic(&q, 4, 3, Some(5)).unwrap();
    assert!(page.iter().all(|l| l.date == "2021-05-06"), "{page:?}");
    // Folded queries find the printed form.
    let (trad, _) = archive.kwic(&SearchQuery::new("鐵路"), 2, 0, None).unwrap();
    assert_eq!(trad.len(), lines.len());
}

#[test]
fn delete_removes_pages_from_records_and_index() {
    let (root, mut archive) = sample("delete");
    assert!(
        archive.delete(&Selection::default()).is_err(),
        "everything needs rm"
    );
    let deleted = archive
        .delete(&Selection {
            paper: Some("甲报".into()),
            page: Some("2".into()),
            ..Selection::default()
        })
        .unwrap();
    assert_eq!(
        (
            deleted.pages,
            deleted.articles,
            deleted.issues,
            deleted.papers
        ),
        (1, 1, 0, 0)
    );
    assert_eq!(archive.search(&SearchQuery::new("新线")).unwrap().total, 0);
    assert_eq!(archive.stats().unwrap().articles, 6);

    let deleted = archive
        .delete(&Selection {
            paper: Some("乙报".into()),
            ..Selection::default()
        })
        .unwrap();
    assert_eq!(
        (
            deleted.pages,
            deleted.articles,
            deleted.issues,
            deleted.papers
        ),
        (1, 2, 1, 1)
    );
    assert_eq!(archive.search(&SearchQuery::new("高铁")).unwrap().total, 0);
    // Durable: a reopened archive agrees, records and index.
    drop(archive);
    let archive = Archive::open(&root.path().join("data")).unwrap();
    let stats = archive.stats().unwrap();
    assert_eq!(
        (stats.papers, stats.issues, stats.pages, stats.articles),
        (1, 2, 2, 4)
    );
    assert_eq!(archive.search(&SearchQuery::new("铁路")).unwrap().total, 2);
    let papers = archive.paper_stats().unwrap();
    assert_eq!(papers.len(), 1);
    assert_eq!(papers[0].first_date.as_deref(), Some("2020-01-02"));
    assert_eq!(papers[0].last_date.as_deref(), Some("2021-05-06"));
    assert!(archive.disk_use().database > 0 && archive.disk_use().index > 0);
}

#[test]
fn a_full_disk_is_reported_as_such_and_leaves_the_archive_readable() {
    let (root, mut archive) = sample("full");
    archive.limit_database_growth(1).unwrap();
    let big: String = "铁路建设稳步推进，".repeat(4_000);
    let err = archive
        .ingest_document(&document(
            "丙报",
            Some("2022-02-02"),
            "01",
            vec![article("01", "大文章", &big)],
        ))
        .and_then(|_| archive.commit())
        .unwrap_err();
    assert!(err.is_disk_full(), "{err}");
    assert!(err.to_string().contains("disk is full"), "{err}");
    drop(archive);
    let archive = Archive::open(&root.path().join("data")).unwrap();
    assert_eq!(archive.stats().unwrap().articles, 7);
    assert_eq!(
        archive.search(&SearchQuery::new("大文章")).unwrap().total,
        0
    );
    assert_eq!(archive.search(&SearchQuery::new("铁路")).unwrap().total, 4);
}

#[test]
fn a_damaged_index_is_rebuilt_from_the_records() {
    let (root, archive) = sample("damaged");
    drop(archive);
    let index = root.path().join("data/index");
    let mut removed = 0;
    for e in std::fs::read_dir(&index).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".idx") || name.ends_with(".term") {
            std::fs::remove_file(e.path()).unwrap();
            removed += 1;
        }
    }
    assert!(removed > 0, "the index has segment files");
    let archive = Archive::open(&root.path().join("data")).unwrap();
    assert_eq!(archive.search(&SearchQuery::new("铁路")).unwrap().total, 4);
    let mut archive = archive;
    assert_eq!(archive.rebuild_index().unwrap(), 7);
}

#[test]
fn undated_pages_take_the_date_their_running_head_prints() {
    let root = temp_dir("heads");
    let pages = root.path().join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    let mut doc = document("丁报", None, "03", vec![article("03", "标题", "正文。")]);
    doc.pages[0].furniture.push(Furniture {
        kind: FurnitureKind::PageHeader,
        text: "二〇二四年十月二十二日 星期二".into(),
        spans: vec![],
    });
    std::fs::write(
        pages.join("undated.json"),
        serde_json::to_string(&doc).unwrap(),
    )
    .unwrap();
    // A date that is not a calendar day is refused, with the file named.
    let mut bad = document(
        "丁报",
        Some("2024-02-30"),
        "04",
        vec![article("04", "坏", "坏。")],
    );
    bad.pages[0].furniture.clear();
    std::fs::write(
        pages.join("bad-date.json"),
        serde_json::to_string(&bad).unwrap(),
    )
    .unwrap();

    let mut archive = Archive::open(&root.path().join("data")).unwrap();
    let summary = archive
        .ingest_path_with(&pages, &IngestOptions::default(), &mut |_| {})
        .unwrap();
    assert_eq!(summary.pages, 1);
    assert_eq!(summary.skipped.len(), 1, "{:?}", summary.skipped);
    assert!(summary.skipped[0].path.ends_with("bad-date.json"));
    assert!(
        summary.skipped[0].error.contains("2024-02-30"),
        "{}",
        summary.skipped[0].error
    );
    let issues = archive.issues().unwrap();
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].date, "2024-10-22");
}

#[test]
fn confident_corrections_are_searchable_and_hits_show_the_print() {
    use baozhi_model::{Finding, FindingField, FindingKind};
    let root = temp_dir("corrected");
    let mut archive = Archive::open(&root.path().join("data")).unwrap();
    let finding = |start, original: &str, suggestion: &str, confidence| Finding {
        kind: FindingKind::Glyph,
        field: FindingField::Paragraph,
        paragraph: Some(0),
        start,
        end: start + original.chars().count(),
        original: original.into(),
        suggestion: Some(suggestion.into()),
        confidence,
        evidence: "test".into(),
    };
    let mut sure = article("01", "林果丰收", "记者走进浙川县仓房镇。");
    sure.findings = Some(vec![finding(4, "浙", "淅", 0.95)]);
    let mut unsure = article("01", "另一篇", "他来自浙水村。");
    unsure.findings = Some(vec![finding(3, "浙", "淅", 0.5)]);
    archive
        .ingest_document(&document(
            "南阳日报",
            Some("2024-10-22"),
            "01",
            vec![sure, unsure],
        ))
        .unwrap();
    archive.commit().unwrap();
    let r = archive.search(&SearchQuery::new("淅川")).unwrap();
    assert_eq!(r.total, 1);
    assert_eq!(r.hits[0].title, "林果丰收");
    assert!(r.hits[0].snippet.contains("浙川"), "{}", r.hits[0].snippet);
    assert_eq!(archive.search(&SearchQuery::new("浙川")).unwrap().total, 1);
    assert_eq!(
        archive.search(&SearchQuery::new("淅水")).unwrap().total,
        0,
        "below the bar"
    );
    assert_eq!(
        archive
            .search(&SearchQuery::new("corrected:淅川"))
            .unwrap()
            .total,
        1
    );
}
