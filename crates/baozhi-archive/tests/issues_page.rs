//! Paging the list of issues (`Archive::issues_page`) and the list of
//! papers (`Archive::papers`).

use baozhi_archive::Archive;
use baozhi_model::{Article, Document, Page, Paragraph, ParagraphKind};

fn issue(paper: &str, date: Option<&str>, articles: usize) -> Document {
    let mut doc = Document::new(Some(paper.into()), date.map(str::to_string));
    doc.pages.push(Page {
        pictures: Vec::new(),
        page: Some("01".into()),
        furniture: vec![],
        size: None,
        source: None,
    });
    for n in 0..articles {
        let mut a = Article::new(format!("01-{n}"), Some("01".into()), format!("标题{n}"));
        a.paragraphs.push(Paragraph {
            kind: ParagraphKind::Text,
            text: "正文。".into(),
        });
        doc.articles.push(a);
    }
    doc
}

#[test]
fn issues_come_in_pages_with_a_total() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = Archive::open(dir.path()).unwrap();
    for day in 1..=9 {
        let date = format!("2024-10-0{day}");
        archive
            .ingest_document(&issue("甲报", Some(&date), day))
            .unwrap();
    }
    archive
        .ingest_document(&issue("乙报", Some("2024-10-05"), 1))
        .unwrap();
    archive.ingest_document(&issue("乙报", None, 1)).unwrap();
    archive.commit().unwrap();

    let all = archive.issues().unwrap();
    assert_eq!(all.len(), 11);

    // Pages of 4 put together are the whole list, in the same order.
    let mut paged = Vec::new();
    for offset in (0..12).step_by(4) {
        let page = archive.issues_page(None, 4, offset).unwrap();
        assert_eq!(page.total, 11);
        assert!(page.issues.len() <= 4);
        paged.extend(page.issues);
    }
    assert_eq!(paged, all);
    assert_eq!(paged.last().unwrap().date, "undated", "undated last");
    // Counts are those of the issue.
    let first = &archive.issues_page(None, 1, 0).unwrap().issues[0];
    assert_eq!(
        (first.date.as_str(), first.pages, first.articles),
        ("2024-10-09", 1, 9)
    );

    // One paper's issues only.
    let b = archive.issues_page(Some("乙报"), 10, 0).unwrap();
    assert_eq!(b.total, 2);
    let dates: Vec<&str> = b.issues.iter().map(|i| i.date.as_str()).collect();
    assert_eq!(dates, ["2024-10-05", "undated"]);
    let none = archive.issues_page(Some("丙报"), 10, 0).unwrap();
    assert_eq!((none.issues.len(), none.total), (0, 0));

    // Past the end, and absurd numbers, are empty pages, not errors.
    let past = archive.issues_page(None, 10, 50).unwrap();
    assert_eq!((past.issues.len(), past.total), (0, 11));
    let huge = archive.issues_page(None, usize::MAX, usize::MAX).unwrap();
    assert_eq!((huge.issues.len(), huge.total), (0, 11));

    let papers = archive.papers().unwrap();
    let papers: Vec<(&str, usize)> = papers
        .iter()
        .map(|p| (p.paper.as_str(), p.issues))
        .collect();
    assert_eq!(papers, [("乙报", 2), ("甲报", 9)]);
}
