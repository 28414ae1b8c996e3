//! The archive end to end: ingest page text and documents, search, browse,
//! replace pages, survive a reopen and a killed ingest.

use std::path::Path;

use baozhi_archive::{Archive, ArchiveError, IngestOptions, IngestSummary, SearchQuery};
use baozhi_model::{Article, Byline, Document, Page, Paragraph, ParagraphKind};

/// A fresh, empty directory under the system temp dir, removed on drop
/// (declare it before anything that keeps files open in it).
fn temp_dir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("baozhi-archive-{name}-"))
        .tempdir()
        .expect("create temp dir")
}

const PAGE_01: &str = "南水北调中线工程通水十周年

本报记者 张三

本报讯 南水北调中线工程自2014年通水以来,累计调水超过600亿立方米,惠及沿线1亿多人,成为沿线城市的生命线。

记者了解到,南水北调后续工程建设正在加快推进,丹江口水库水质持续稳定达标,库区生态环境明显改善。 (下转02版)
";

const PAGE_02: &str = "南水北调中线工程通水十周年

(上接01版)

沿线各地持续加强水源保护,严格落实河湖长制,确保一泓清水永续北上。
";

fn no_progress() -> impl FnMut(baozhi_archive::Progress) {
    |_| {}
}

/// The test pages are a few lines each, written in the conventions of
/// the rules engine (a title and `（上接01版）` over one paragraph), which
/// reads them as written; the line model, fitted on whole pages, does not
/// read a page of three lines reliably. These tests are of the archive,
/// not of the page engine.
fn opts(paper: &str) -> IngestOptions {
    IngestOptions {
        paper: Some(paper.to_string()),
        engine: baozhi_pipeline::Engine::Rules,
        ..IngestOptions::default()
    }
}

/// Writes the two pages of 测试日报 2024-10-22 and ingests them.
fn archive_with_pages(name: &str) -> (tempfile::TempDir, Archive, IngestSummary) {
    let root = temp_dir(name);
    let pages = root.path().join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    std::fs::write(pages.join("ceshi-2024-10-22-p01.txt"), PAGE_01).unwrap();
    std::fs::write(pages.join("ceshi-2024-10-22-p02.txt"), PAGE_02).unwrap();
    let mut archive = Archive::open(&root.path().join("data")).unwrap();
    let summary = archive
        .ingest_path_with(&pages, &opts("测试日报"), &mut no_progress())
        .unwrap();
    (root, archive, summary)
}

fn search(archive: &Archive, text: &str) -> baozhi_archive::SearchResults {
    archive.search(&SearchQuery::new(text)).unwrap()
}

fn total(archive: &Archive, text: &str) -> usize {
    search(archive, text).total
}

fn article(id: &str, page: &str, title: &str, body: &str, byline: &str) -> Article {
    let mut a = Article::new(id.into(), Some(page.into()), title.into());
    a.paragraphs.push(Paragraph {
        kind: ParagraphKind::Text,
        text: body.into(),
    });
    a.bylines.push(Byline {
        role: Some("记者".into()),
        names: vec![byline.into()],
    });
    a
}

fn document(paper: &str, date: &str, page: &str, articles: Vec<Article>) -> Document {
    let mut doc = Document::new(Some(paper.into()), Some(date.into()));
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

#[test]
fn page_text_is_ingested_and_found() {
    let (_root, archive, summary) = archive_with_pages("text");
    assert_eq!(summary.files, 2);
    assert_eq!(summary.pages, 2);
    assert_eq!(summary.articles, 2);
    assert!(summary.skipped.is_empty(), "{:?}", summary.skipped);

    let r = search(&archive, "南水北调");
    assert_eq!(r.total, 2);
    let top = &r.hits[0];
    assert_eq!(top.title, "南水北调中线工程通水十周年");
    assert_eq!(top.paper, "测试日报");
    assert_eq!(top.date, "2024-10-22");
    assert!(top.snippet.contains("<b>南水北调</b>"), "{}", top.snippet);
    assert!(top.id.ends_with("/2024-10-22/01/1"), "{}", top.id);
    assert!(top.score > 0.0);

    // A word inside a longer word (search-mode segmentation).
    assert_eq!(total(&archive, "丹江口"), 1);
    assert_eq!(total(&archive, "水库"), 1);
    // Nothing for a word that is not there.
    assert_eq!(total(&archive, "黄河"), 0);
}

#[test]
fn query_syntax() {
    let (_root, archive, _) = archive_with_pages("syntax");
    // Phrases, quoted or as one unspaced run of Chinese.
    assert_eq!(total(&archive, "\"丹江口水库水质\""), 1);
    assert_eq!(total(&archive, "丹江口水库水质"), 1);
    assert_eq!(total(&archive, "\"水库丹江口\""), 0);
    // Words are all required by default; OR and NOT.
    assert_eq!(total(&archive, "南水北调 丹江口"), 1);
    assert_eq!(total(&archive, "丹江口 河湖"), 0);
    assert_eq!(total(&archive, "丹江口 OR 河湖"), 2);
    assert_eq!(total(&archive, "南水北调 NOT 丹江口"), 1);
    assert_eq!(total(&archive, "南水北调 -河湖"), 1);
    // Fields.
    assert_eq!(total(&archive, "title:通水"), 2);
    assert_eq!(total(&archive, "title:丹江口"), 0);
    assert_eq!(total(&archive, "byline:张三"), 1);
    assert_eq!(total(&archive, "byline:李四"), 0);
    // The byline is searched by default too, and ranks with the body.
    assert_eq!(total(&archive, "张三"), 1);
    // Broken syntax is read leniently instead of failing.
    assert!(archive.search(&SearchQuery::new("\"南水北调")).is_ok());
    assert!(archive.search(&SearchQuery::new("title:")).is_ok());
    // A hit found through the byline only still gets a (plain) snippet.
    let r = search(&archive, "byline:张三");
    assert!(
        r.hits[0].snippet.starts_with("本报讯"),
        "{}",
        r.hits[0].snippet
    );
}

#[test]
fn hostile_queries_are_refused_and_normal_ones_run() {
    use baozhi_archive::{QueryLimitError, MAX_QUERY_DEPTH, MAX_QUERY_GROUPS};
    let root = temp_dir("limits");
    let mut archive = Archive::open(root.path()).unwrap();
    let articles = vec![
        article(
            "01-1",
            "01",
            "丹江口库区生态补水",
            "南水北调中线工程向沿线河湖生态补水超过百亿立方米。",
            "张三",
        ),
        article(
            "01-2",
            "01",
            "南水北调通水十周年",
            "南水北调中线工程通水以来累计调水超过600亿立方米。",
            "李四",
        ),
    ];
    let doc = document("测试日报", "2024-10-22", "01", articles);
    archive.ingest_document(&doc).unwrap();
    archive.commit().unwrap();
    let refused = |text: String| match archive.search(&SearchQuery::new(text)) {
        Err(ArchiveError::QueryLimit(e)) => e,
        other => panic!("not refused: {other:?}"),
    };
    // These overflowed the stack before there were limits.
    assert_eq!(refused("(".repeat(800)), QueryLimitError::TooDeep);
    assert_eq!(
        refused("(".repeat(5000)),
        QueryLimitError::TooLong { chars: 5000 }
    );
    let e = refused(format!("{}南水北调", "NOT ".repeat(500)));
    assert_eq!(e, QueryLimitError::TooManyGroups);
    assert!(
        ArchiveError::from(e)
            .to_string()
            .starts_with("bad search: "),
        "a message for the user"
    );
    refused(format!("{}南水北调", "( /)/ ".repeat(300)));
    refused(format!("a\" {}南水北调", "(".repeat(500)));

    // Ordinary nested queries still work.
    assert_eq!(total(&archive, "(南水北调 OR 生态) AND title:生态"), 1);
    assert_eq!(
        total(
            &archive,
            "((南水北调 OR 生态) AND (title:通水 OR title:补水))"
        ),
        2
    );
    // Parentheses in a phrase are text, matched as grep matches them.
    assert_eq!(total(&archive, "\"(南水北调)\""), 0);
    assert_eq!(total(&archive, "\"南水北调\""), 2);
    // At the limits, in a test thread's 2 MiB stack, in a debug build: the
    // deepest nesting and the most groups, in the shapes that take the most
    // stack per level, parse and search without trouble.
    let deep = format!(
        "{}南水北调{}",
        "(".repeat(MAX_QUERY_DEPTH),
        ")".repeat(MAX_QUERY_DEPTH)
    );
    assert_eq!(total(&archive, &deep), 2);
    let half = MAX_QUERY_GROUPS / 2;
    for text in [
        format!("{}生态", "title:(".repeat(MAX_QUERY_DEPTH)),
        format!("{}生态{}", "NOT (".repeat(half), ")".repeat(half)),
        format!("{}生态", "( /)/ ".repeat(MAX_QUERY_GROUPS)),
        format!("{}南水北调", "NOT ".repeat(MAX_QUERY_GROUPS)),
        format!("a\" {}南水北调", "(".repeat(MAX_QUERY_GROUPS - 1)),
    ] {
        match archive.search(&SearchQuery::new(text.clone())) {
            Ok(_) | Err(ArchiveError::Index(_)) => {}
            Err(e) => panic!("{text}: {e}"),
        }
    }
}

#[test]
fn filters_and_paging() {
    let (_root, archive, _) = archive_with_pages("filters");
    let q = |paper: Option<&str>, from: Option<&str>, to: Option<&str>| SearchQuery {
        text: "南水北调".into(),
        paper: paper.map(Into::into),
        from: from.map(Into::into),
        to: to.map(Into::into),
        limit: 10,
        offset: 0,
        stories: false,
    };
    let n = |q: SearchQuery| archive.search(&q).unwrap().total;
    assert_eq!(n(q(Some("测试日报"), None, None)), 2);
    assert_eq!(n(q(Some("别的报"), None, None)), 0);
    assert_eq!(n(q(None, Some("2024-10-22"), Some("2024-10-22"))), 2);
    assert_eq!(n(q(None, Some("2024-10-01"), None)), 2);
    assert_eq!(n(q(None, None, Some("2024-10-21"))), 0);
    assert_eq!(n(q(None, Some("2024-10-23"), None)), 0);
    // Filters alone: blank text browses.
    let mut browse = q(Some("测试日报"), None, None);
    browse.text = String::new();
    assert_eq!(n(browse), 2);
    assert!(matches!(
        archive.search(&q(None, Some("2024/10/22"), None)),
        Err(ArchiveError::Query(_))
    ));
    // Queries the schema cannot answer are bad searches, not index errors
    // (the server answers them 400, not 500).
    for text in ["date:*", "paper:*", "day:>3", "title:*"] {
        let r = archive.search(&SearchQuery::new(text));
        assert!(
            matches!(r, Ok(_) | Err(ArchiveError::Query(_))),
            "{text}: {r:?}"
        );
    }
    assert!(matches!(
        archive.search(&SearchQuery::new("date:*")),
        Err(ArchiveError::Query(_))
    ));
    // Paging: limit is clamped to at least one, offset skips.
    let mut page = q(None, None, None);
    page.limit = 0;
    let first = archive.search(&page).unwrap();
    assert_eq!((first.hits.len(), first.total), (1, 2));
    page.offset = 1;
    let second = archive.search(&page).unwrap();
    assert_eq!(second.hits.len(), 1);
    assert_ne!(first.hits[0].id, second.hits[0].id);
}

#[test]
fn reingesting_a_page_replaces_it() {
    let (root, mut archive, _) = archive_with_pages("replace");
    let before = archive.stats().unwrap();
    let again = archive
        .ingest_path_with(
            &root.path().join("pages"),
            &opts("测试日报"),
            &mut no_progress(),
        )
        .unwrap();
    assert_eq!(again.replaced_pages, 2);
    assert_eq!(archive.stats().unwrap(), before);
    assert_eq!(total(&archive, "南水北调"), 2);

    // A new version of page 01 with other text: the old text is gone.
    std::fs::write(
        root.path().join("pages/ceshi-2024-10-22-p01.txt"),
        "黄河流域生态保护\n\n本报讯 黄河流域生态保护和高质量发展取得新进展。\n",
    )
    .unwrap();
    archive
        .ingest_path_with(
            &root.path().join("pages/ceshi-2024-10-22-p01.txt"),
            &opts("测试日报"),
            &mut no_progress(),
        )
        .unwrap();
    assert_eq!(total(&archive, "丹江口"), 0);
    assert_eq!(total(&archive, "黄河"), 1);
    assert_eq!(archive.stats().unwrap(), before);
}

#[test]
fn two_files_on_one_page_key_in_a_run_keep_the_first_and_name_both() {
    let root = temp_dir("collide");
    let a = root.path().join("a");
    let b = root.path().join("b");
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    // both name 测试日报, 2024-10-22, page 01
    std::fs::write(a.join("ceshi-2024-10-22-p01.txt"), PAGE_01).unwrap();
    std::fs::write(
        b.join("ceshi-2024-10-22-p01.txt"),
        "黄河流域生态保护\n\n本报讯 黄河流域生态保护和高质量发展取得新进展。\n",
    )
    .unwrap();
    let mut archive = Archive::open(&root.path().join("data")).unwrap();
    let run = archive
        .ingest_paths_with(
            &[a.as_path(), b.as_path()],
            &opts("测试日报"),
            &mut no_progress(),
        )
        .unwrap();
    assert_eq!((run.pages, run.replaced_pages), (1, 0));
    assert_eq!(run.skipped.len(), 1, "{:?}", run.skipped);
    let why = run.skipped[0].to_string();
    assert!(why.contains("b/ceshi-2024-10-22-p01.txt"), "{why}");
    assert!(why.contains("a/ceshi-2024-10-22-p01.txt"), "{why}");
    assert_eq!(total(&archive, "丹江口"), 1);
    assert_eq!(total(&archive, "黄河"), 0);

    // a later run is a re-ingest: it replaces the page
    let again = archive
        .ingest_path_with(&b, &opts("测试日报"), &mut no_progress())
        .unwrap();
    assert_eq!((again.replaced_pages, again.skipped.len()), (1, 0));
    assert_eq!(total(&archive, "黄河"), 1);
    assert_eq!(total(&archive, "丹江口"), 0);
}

#[test]
fn json_and_jsonl_documents() {
    let root = temp_dir("json");
    let docs = root.path().join("docs");
    std::fs::create_dir_all(docs.join("nested")).unwrap();
    let one = document(
        "人民日报",
        "2025-04-08",
        "02",
        vec![article(
            "02-1",
            "02",
            "长江大保护",
            "长江经济带生态优先绿色发展。",
            "李四",
        )],
    );
    std::fs::write(docs.join("one.json"), serde_json::to_string(&one).unwrap()).unwrap();
    let lines: Vec<String> = (1..=3)
        .map(|i| {
            let d = document(
                "人民日报",
                &format!("2025-04-0{i}"),
                "05",
                vec![
                    article(
                        "a",
                        "05",
                        &format!("评论{i}"),
                        "坚持绿水青山就是金山银山。",
                        "王五",
                    ),
                    article("b", "05", "第二篇", "数字经济蓬勃发展。", "赵六"),
                ],
            );
            serde_json::to_string(&d).unwrap()
        })
        .collect();
    std::fs::write(
        docs.join("nested/many.jsonl"),
        format!("{}\n\n{}\nnot json\n{}\n", lines[0], lines[1], lines[2]),
    )
    .unwrap();
    // Bad files are reported and skipped; files of other kinds are ignored.
    std::fs::write(docs.join("broken.json"), "{\"schema\": \"baozhi/1\"").unwrap();
    std::fs::write(
        docs.join("other.json"),
        r#"{"schema":"baozhi/2","paper":null,"date":null,"pages":[],"articles":[]}"#,
    )
    .unwrap();
    std::fs::write(docs.join("binary.txt"), b"\x00\x01\x02binary").unwrap();
    std::fs::write(docs.join("notes.md"), "ignored").unwrap();

    let mut archive = Archive::open(&root.path().join("data")).unwrap();
    let mut reports = Vec::new();
    let summary = archive
        .ingest_path(&docs, &mut |p| reports.push(p))
        .unwrap();
    assert_eq!(summary.documents, 4);
    assert_eq!(summary.articles, 7);
    assert_eq!(summary.files, 5, "all but notes.md were read");
    let skipped: Vec<String> = summary.skipped.iter().map(|s| s.to_string()).collect();
    assert_eq!(skipped.len(), 4, "{skipped:?}");
    assert!(skipped.iter().any(|s| s.contains("broken.json")));
    assert!(skipped
        .iter()
        .any(|s| s.contains("other.json") && s.contains("baozhi/2")));
    assert!(skipped.iter().any(|s| s.contains("binary.txt")));
    assert!(skipped.iter().any(|s| s.contains("many.jsonl:4")));
    let last = reports.last().unwrap();
    assert_eq!((last.files_done, last.files_total), (5, 5));
    assert_eq!(last.articles, 7);

    assert_eq!(total(&archive, "长江"), 1);
    assert_eq!(total(&archive, "绿水青山"), 3);
    assert_eq!(total(&archive, "byline:王五"), 3);
    let stats = archive.stats().unwrap();
    assert_eq!(
        (stats.papers, stats.issues, stats.pages, stats.articles),
        (1, 4, 4, 7)
    );

    // ingest_document directly: visible after commit.
    let extra = document(
        "南阳日报",
        "2024-10-22",
        "01",
        vec![article(
            "x",
            "01",
            "做绿色包装先行者",
            "金誉科技出口业绩实现翻倍。",
            "柏雪雷",
        )],
    );
    archive.ingest_document(&extra).unwrap();
    assert_eq!(total(&archive, "金誉"), 0, "not searchable before commit");
    archive.commit().unwrap();
    assert_eq!(total(&archive, "金誉"), 1);
    assert_eq!(total(&archive, "byline:柏雪雷"), 1);

    // Wrong schema is refused, nothing written.
    let mut bad = extra.clone();
    bad.schema = "other".into();
    assert!(matches!(
        archive.ingest_document(&bad),
        Err(ArchiveError::Invalid(_))
    ));
}

#[test]
fn reopening_keeps_everything() {
    let (root, archive, _) = archive_with_pages("reopen");
    let stats = archive.stats().unwrap();
    drop(archive);
    let archive = Archive::open(&root.path().join("data")).unwrap();
    assert_eq!(archive.stats().unwrap(), stats);
    assert_eq!(total(&archive, "南水北调"), 2);
    archive.close().unwrap();
    let archive = Archive::open(&root.path().join("data")).unwrap();
    assert_eq!(total(&archive, "丹江口"), 1);
}

#[test]
fn uncommitted_writes_are_dropped_with_the_archive() {
    let (root, mut archive, _) = archive_with_pages("dropped");
    let doc = document(
        "测试日报",
        "2024-10-23",
        "01",
        vec![article("x", "01", "未提交", "这篇文章没有提交。", "某人")],
    );
    archive.ingest_document(&doc).unwrap();
    drop(archive);
    let archive = Archive::open(&root.path().join("data")).unwrap();
    assert_eq!(archive.stats().unwrap().articles, 2);
    assert_eq!(total(&archive, "提交"), 0);
}

#[test]
fn a_killed_ingest_is_repaired_on_open() {
    let (root, mut archive, _) = archive_with_pages("killed");
    let doc = document(
        "测试日报",
        "2024-10-23",
        "01",
        vec![article(
            "x",
            "01",
            "引江济淮工程",
            "引江济淮工程全线通水。",
            "钱七",
        )],
    );
    // The database commits, the index does not (as if killed in between).
    archive.ingest_without_index_commit(&doc).unwrap();
    assert_eq!(total(&archive, "引江济淮"), 0);
    assert_eq!(archive.stats().unwrap().articles, 3);
    drop(archive);

    let archive = Archive::open(&root.path().join("data")).unwrap();
    assert_eq!(total(&archive, "引江济淮"), 1);
    assert_eq!(total(&archive, "南水北调"), 2);
    drop(archive);

    // A lost index is rebuilt too.
    std::fs::remove_dir_all(root.path().join("data/index")).unwrap();
    let archive = Archive::open(&root.path().join("data")).unwrap();
    assert_eq!(total(&archive, "引江济淮"), 1);
    assert_eq!(total(&archive, "南水北调"), 2);
}

#[test]
fn browsing_issues_pages_and_jumps() {
    let (_root, mut archive, _) = archive_with_pages("browse");
    let issues = archive.issues().unwrap();
    assert_eq!(issues.len(), 1);
    assert_eq!(
        (issues[0].paper.as_str(), issues[0].date.as_str()),
        ("测试日报", "2024-10-22")
    );
    assert_eq!((issues[0].pages, issues[0].articles), (2, 2));

    let issue = archive.issue("测试日报", "2024-10-22").unwrap().unwrap();
    let pages: Vec<&str> = issue.pages.iter().map(|p| p.page.as_str()).collect();
    assert_eq!(pages, ["01", "02"]);
    let first = &issue.pages[0].articles[0];
    assert_eq!(first.title, "南水北调中线工程通水十周年");
    assert_eq!(first.page, "01");
    assert!(archive.issue("测试日报", "2024-10-23").unwrap().is_none());

    // The article, with its jump resolved both ways.
    let a = archive.article(&first.id).unwrap().unwrap();
    assert_eq!(a.id, first.id);
    assert_eq!(
        (a.paper.as_str(), a.date.as_str(), a.page.as_str()),
        ("测试日报", "2024-10-22", "01")
    );
    assert_eq!(a.article.bylines[0].names, ["张三"]);
    assert_eq!(a.article.paragraphs.len(), 2);
    assert_eq!(a.article.continues_to.as_deref(), Some("02"));
    let next_id = a.continues_to_id.clone().expect("jump to 02 resolved");
    let next = archive.article(&next_id).unwrap().unwrap();
    assert_eq!(next.page, "02");
    assert_eq!(next.continued_from_id.as_deref(), Some(first.id.as_str()));
    assert_eq!(next.continues_to_id, None);
    // Read together: both parts know the whole story, in reading order.
    assert_eq!(a.story, [first.id.clone(), next_id.clone()]);
    assert_eq!(next.story, a.story);

    // Ids work decoded, as a web framework hands them over.
    let decoded = "测试日报/2024-10-22/01/1";
    assert_eq!(archive.article(decoded).unwrap().unwrap().id, first.id);
    assert!(archive.article("nope/undated/01/1").unwrap().is_none());

    // A jump whose target page is not in the archive stays unresolved.
    let lone = document(
        "测试日报",
        "2024-10-25",
        "01",
        vec![{
            let mut a = article("x", "01", "独篇", "正文。", "某人");
            a.continues_to = Some("04".into());
            a
        }],
    );
    archive.ingest_document(&lone).unwrap();
    archive.commit().unwrap();
    let id = &archive
        .issue("测试日报", "2024-10-25")
        .unwrap()
        .unwrap()
        .pages[0]
        .articles[0]
        .id;
    assert_eq!(archive.article(id).unwrap().unwrap().continues_to_id, None);
    let mut undated = lone.clone();
    undated.date = None;
    archive.ingest_document(&undated).unwrap();
    // Nothing printed, nothing recorded.
    archive
        .ingest_document(&Document::new(Some("空报".into()), None))
        .unwrap();
    archive.commit().unwrap();
    let dates: Vec<String> = archive
        .issues()
        .unwrap()
        .into_iter()
        .map(|i| i.date)
        .collect();
    assert_eq!(
        dates,
        ["2024-10-25", "2024-10-22", "undated"],
        "newest first, undated last"
    );
    assert_eq!(archive.stats().unwrap().papers, 1);
}

#[test]
fn snippets_are_escaped_html() {
    let root = temp_dir("escape");
    let mut archive = Archive::open(root.path()).unwrap();
    let doc = document(
        "测试日报",
        "2024-01-01",
        "03",
        vec![article(
            "x",
            "03",
            "标题<i>",
            "脚本<script>alert('x')</script>与南水北调 & 其他。",
            "某人",
        )],
    );
    archive.ingest_document(&doc).unwrap();
    archive.commit().unwrap();
    let r = search(&archive, "南水北调");
    let s = &r.hits[0].snippet;
    assert!(s.contains("<b>南水北调</b>"), "{s}");
    assert!(
        s.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
        "{s}"
    );
    assert!(s.contains("&amp;"), "{s}");
    assert!(!s.contains("<script"), "{s}");
    assert_eq!(r.hits[0].title, "标题<i>", "titles are plain text");
    // A long body: the snippet is a passage around the words, marked cut.
    let long = "国家发展改革委表示,将统筹推进重大水利工程建设。".repeat(20)
        + "南水北调后续工程高质量发展,中线引江补汉工程加快建设。"
        + &"各地区各部门认真贯彻落实党中央决策部署。".repeat(20);
    let doc = document(
        "测试日报",
        "2024-01-02",
        "01",
        vec![article("y", "01", "长文", &long, "某人")],
    );
    archive.ingest_document(&doc).unwrap();
    archive.commit().unwrap();
    let r = search(&archive, "引江补汉 南水北调");
    let s = &r.hits[0].snippet;
    assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
    assert!(
        s.contains("<b>南水北调</b>") && s.contains("<b>引江补汉</b>"),
        "{s}"
    );
    assert!(s.chars().count() < 200, "{s}");
    // Headline-only matches get a highlighted headline.
    let r = search(&archive, "标题");
    assert!(
        r.hits[0].snippet.contains("<b>标题</b>&lt;i&gt;"),
        "{}",
        r.hits[0].snippet
    );
}

#[test]
fn missing_paths_are_reported() {
    let root = temp_dir("missing");
    let mut archive = Archive::open(&root.path().join("data")).unwrap();
    let s = archive
        .ingest_path(Path::new("/nonexistent/baozhi/pages"), &mut no_progress())
        .unwrap();
    assert_eq!(s.skipped.len(), 1);
    assert_eq!(s.documents, 0);
}

#[test]
fn readers_beside_a_writer() {
    let (root, mut writer, _) = archive_with_pages("readers");
    let dir = root.path().join("data");
    // The writer holds an open transaction and the index writer.
    let doc = document(
        "测试日报",
        "2024-10-23",
        "01",
        vec![article(
            "x",
            "01",
            "引江济淮",
            "引江济淮工程全线通水。",
            "钱七",
        )],
    );
    writer.ingest_document(&doc).unwrap();
    let started = std::time::Instant::now();
    let mut reader = Archive::open(&dir).unwrap();
    assert!(
        started.elapsed().as_secs() < 5,
        "open waited for the writer"
    );
    assert_eq!(total(&reader, "南水北调"), 2);
    assert_eq!(
        reader.stats().unwrap().articles,
        2,
        "sees committed data only"
    );
    // A second writer is refused, not blocked.
    assert!(matches!(
        reader.ingest_document(&doc),
        Err(ArchiveError::Busy(_))
    ));
    writer.commit().unwrap();
    assert_eq!(reader.stats().unwrap().articles, 3);
    drop(writer);
    // Once the writer is gone, the reader may write.
    reader.ingest_document(&doc).unwrap();
    reader.commit().unwrap();
    assert_eq!(total(&reader, "引江济淮"), 1);
}

#[test]
fn pdf_pages_are_ingested_one_document_per_page() {
    let root = temp_dir("pdf");
    let pages = root.path().join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::copy(
        repo.join("examples/shili-2026-03-12-p01.pdf"),
        pages.join("shili-2026-03-12-p01.pdf"),
    )
    .unwrap();
    // A whole issue in one file: its pages are numbered by their place.
    std::fs::copy(
        repo.join("crates/baozhi-pdf/tests/fixtures/two-pages.pdf"),
        pages.join("ceshi-2024-10-23.pdf"),
    )
    .unwrap();
    std::fs::write(
        pages.join("ceshi-2024-10-24-p01.pdf"),
        b"%PDF-1.4\n1 0 obj\n<<",
    )
    .unwrap();
    let mut archive = Archive::open(&root.path().join("data")).unwrap();
    let summary = archive
        .ingest_path_with(&pages, &opts("示例日报"), &mut no_progress())
        .unwrap();
    assert_eq!(summary.files, 3);
    assert_eq!(summary.pages, 3);
    assert_eq!(summary.skipped.len(), 1, "{:?}", summary.skipped);
    assert!(summary.skipped[0]
        .path
        .ends_with("ceshi-2024-10-24-p01.pdf"));
    assert!(
        summary.skipped[0].error.contains("damaged PDF"),
        "{:?}",
        summary.skipped
    );

    let r = search(&archive, "智能灌溉");
    assert!(r.total >= 1);
    assert_eq!(r.hits[0].date, "2026-03-12");
    assert_eq!(r.hits[0].page, "01");
    // The issue's second page (the example page has 农机合作社 too).
    let r = search(&archive, "农机合作社");
    let issue: Vec<&str> = r
        .hits
        .iter()
        .filter(|h| h.date == "2024-10-23")
        .map(|h| h.page.as_str())
        .collect();
    assert_eq!(issue, vec!["02"]);
}

/// Whether PDF pages can be rendered here (page pictures need it).
fn have_pdftoppm() -> bool {
    baozhi_ingest::baozhi_ocr::render::can_render_pdfs()
}

#[test]
fn a_pdf_page_is_kept_with_its_picture_and_its_articles_regions() {
    if !have_pdftoppm() {
        eprintln!("skipped: pdftoppm is not installed (apt install poppler-utils)");
        return;
    }
    let root = temp_dir("pictures");
    let pages = root.path().join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let pdf = pages.join("shili-2026-03-12-p01.pdf");
    std::fs::copy(repo.join("examples/shili-2026-03-12-p01.pdf"), &pdf).unwrap();
    // Page text has no picture to keep.
    std::fs::write(
        pages.join("shili-2026-03-12-p02.txt"),
        "农机合作社忙春耕\n\n本报记者 王宁\n\n连日来，各地农机合作社抓住晴好天气开展春耕作业。\n",
    )
    .unwrap();
    let mut archive = Archive::open(&root.path().join("data")).unwrap();
    let with_pictures = IngestOptions {
        page_pictures: true,
        ..opts("示例日报")
    };
    let summary = archive
        .ingest_path_with(&pages, &with_pictures, &mut no_progress())
        .unwrap();
    assert_eq!(summary.pages, 2);
    assert_eq!(summary.pictures, 1, "{summary:?}");
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);

    let jpeg = archive
        .page_picture("示例日报", "2026-03-12", "01")
        .unwrap()
        .expect("the PDF page's picture");
    assert_eq!(&jpeg[..3], &[0xFF, 0xD8, 0xFF], "a JPEG");
    assert_eq!(
        archive
            .page_picture("示例日报", "2026-03-12", "02")
            .unwrap(),
        None
    );
    let issue = archive.issue("示例日报", "2026-03-12").unwrap().unwrap();
    let (p1, p2) = (&issue.pages[0], &issue.pages[1]);
    let size = p1.picture.expect("page 01's size");
    assert!(size.width > 100.0 && size.height > size.width, "{size:?}");
    assert!(!p1.articles.is_empty());
    for a in &p1.articles {
        assert!(!a.boxes.is_empty(), "{} has no region", a.title);
        for b in &a.boxes {
            assert!(
                b.x0 >= 0.0 && b.x1 <= size.width + 0.5 && b.x0 < b.x1,
                "{b:?}"
            );
            assert!(
                b.top >= 0.0 && b.bottom <= size.height + 0.5 && b.top < b.bottom,
                "{b:?}"
            );
        }
    }
    assert_eq!(p2.picture, None);
    assert!(p2.articles.iter().all(|a| a.boxes.is_empty()));

    // Ingested again without pictures, the page keeps none of the old one.
    let summary = archive
        .ingest_path_with(&pdf, &opts("示例日报"), &mut no_progress())
        .unwrap();
    assert_eq!(summary.pictures, 0);
    assert_eq!(
        archive
            .page_picture("示例日报", "2026-03-12", "01")
            .unwrap(),
        None
    );
    assert_eq!(
        archive
            .issue("示例日报", "2026-03-12")
            .unwrap()
            .unwrap()
            .pages[0]
            .picture,
        None
    );

    // A page deleted takes its picture with it.
    archive
        .ingest_path_with(&pdf, &with_pictures, &mut no_progress())
        .unwrap();
    assert!(archive
        .page_picture("示例日报", "2026-03-12", "01")
        .unwrap()
        .is_some());
    archive
        .delete(&baozhi_archive::Selection {
            paper: Some("示例日报".into()),
            page: Some("01".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        archive
            .page_picture("示例日报", "2026-03-12", "01")
            .unwrap(),
        None
    );
    assert_eq!(archive.stats().unwrap().pages, 1);
}

#[test]
fn hocr_and_alto_pages_are_ingested_with_their_date_and_page() {
    let root = temp_dir("ocr");
    let pages = root.path().join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::copy(
        repo.join("examples/shili-2026-03-12-p01.hocr"),
        pages.join("shili-2026-03-12-p01.hocr"),
    )
    .unwrap();
    std::fs::copy(
        repo.join("examples/shili-2026-03-12-p01.alto.xml"),
        pages.join("shili-2026-03-13-p02.xml"),
    )
    .unwrap();
    // A preview image beside the pages is not taken without --ocr.
    std::fs::copy(
        repo.join("crates/baozhi-pdf/tests/fixtures/scan.png"),
        pages.join("shili-2026-03-12-p01.png"),
    )
    .unwrap();
    // An XML file that is not ALTO: skipped with a reason, not lost silently.
    std::fs::write(pages.join("ceshi-2024-10-24-p01.xml"), "<rss><item/></rss>").unwrap();
    let mut archive = Archive::open(&root.path().join("data")).unwrap();
    let summary = archive
        .ingest_path_with(&pages, &opts("示例日报"), &mut no_progress())
        .unwrap();
    assert_eq!(summary.pages, 2, "{:?}", summary.skipped);
    assert_eq!(summary.skipped.len(), 1, "{:?}", summary.skipped);
    assert!(
        summary.skipped[0].error.contains("ALTO"),
        "{:?}",
        summary.skipped
    );
    let r = search(&archive, "图书馆");
    let mut found: Vec<(String, String)> = r
        .hits
        .iter()
        .map(|h| (h.date.clone(), h.page.clone()))
        .collect();
    found.sort();
    found.dedup();
    assert_eq!(
        found,
        vec![
            ("2026-03-12".to_string(), "01".to_string()),
            ("2026-03-13".to_string(), "02".to_string())
        ]
    );
}

/// With Tesseract installed (CI installs it), scans in a folder are read by
/// OCR and found; reported as skipped otherwise.
#[test]
fn scans_are_ingested_by_ocr() {
    let Ok(ocr) = baozhi_ingest::baozhi_ocr::Tesseract::find("chi_sim") else {
        eprintln!("skipped: tesseract with chi_sim is not installed");
        return;
    };
    let root = temp_dir("scans");
    let pages = root.path().join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../baozhi-pdf/tests/fixtures");
    std::fs::copy(
        fixtures.join("scan.png"),
        pages.join("ceshi-2024-10-25-p03.png"),
    )
    .unwrap();
    std::fs::copy(
        fixtures.join("scanned.pdf"),
        pages.join("ceshi-2024-10-26-p03.pdf"),
    )
    .unwrap();
    let mut archive = Archive::open(&root.path().join("data")).unwrap();
    let options = IngestOptions {
        ocr: Some(ocr),
        page_pictures: true,
        ..opts("测试日报")
    };
    let summary = archive
        .ingest_path_with(&pages, &options, &mut no_progress())
        .unwrap();
    assert_eq!(summary.pages, 2, "{:?}", summary.skipped);
    let r = search(&archive, "图书馆");
    let mut dates: Vec<&str> = r.hits.iter().map(|h| h.date.as_str()).collect();
    dates.sort();
    dates.dedup();
    assert_eq!(dates, ["2024-10-25", "2024-10-26"]);
    // Both keep a picture: the scan shrunk, the PDF page rendered (when
    // poppler's pdftoppm is there to render it).
    let expected = if have_pdftoppm() { 2 } else { 1 };
    assert_eq!(summary.pictures, expected, "{:?}", summary.warnings);
    let jpeg = archive
        .page_picture("测试日报", "2024-10-25", "03")
        .unwrap()
        .expect("the scan's picture");
    assert_eq!(&jpeg[..3], &[0xFF, 0xD8, 0xFF], "a JPEG");
    let issue = archive.issue("测试日报", "2024-10-25").unwrap().unwrap();
    let size = issue.pages[0].picture.expect("the scan's size in points");
    assert!(size.width > 0.0 && size.height > 0.0);
    assert!(issue.pages[0].articles.iter().all(|a| !a.boxes.is_empty()));
}

/// Every searchable text of an article, as the index reads it: headline
/// (kicker, title, subtitle), body, captions, bylines.
fn searchable_texts(a: &Article) -> Vec<String> {
    let mut out = vec![a.kicker.clone(), Some(a.title.clone()), a.subtitle.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
    out.push(a.body_text());
    for c in &a.captions {
        out.push(c.text.clone());
        out.extend(c.credit.clone());
    }
    for b in &a.bylines {
        out.extend(b.role.clone());
        out.extend(b.names.iter().cloned());
    }
    out
}

/// The articles behind the substring tests: the two test pages, a real
/// page of the repository's examples, and articles with the cases of
/// issue 17 and with text to fold.
fn substring_archive(name: &str) -> (tempfile::TempDir, Archive, Vec<(String, Article)>) {
    let (root, mut archive, _) = archive_with_pages(name);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    archive
        .ingest_path_with(
            &repo.join("examples/jiangcheng-2025-05-06-p01.txt"),
            &opts("江城日报"),
            &mut no_progress(),
        )
        .unwrap();
    let articles = vec![
        article(
            "03-1",
            "03",
            "增强防范意识",
            "各单位要增强防范意识。意识形态工作要抓紧抓实,联合检查、综合整治同步推进。",
            "王五",
        ),
        article(
            "03-2",
            "03",
            "年底前完成",
            "截至2024年底,全市完成投资4500万元,合计新建项目12个。",
            "赵六",
        ),
        article(
            "03-3",
            "03",
            "國家發展改革委部署",
            "２０２５年ＧＤＰ增长５．２％，國家發展改革委表示將合理擴大投資。",
            "記者\u{3000}錢七",
        ),
        article(
            "03-4",
            "03",
            "河南水利",
            "河南水利厅推进南水北调配套工程，加工程序另行公布。",
            "孙八",
        ),
    ];
    archive
        .ingest_document(&document("测试日报", "2024-10-23", "03", articles))
        .unwrap();
    archive.commit().unwrap();
    let mut stored = Vec::new();
    for issue in archive.issues().unwrap() {
        for page in archive
            .issue(&issue.paper, &issue.date)
            .unwrap()
            .unwrap()
            .pages
        {
            for a in page.articles {
                let s = archive.article(&a.id).unwrap().unwrap();
                stored.push((s.id, s.article));
            }
        }
    }
    assert!(stored.len() >= 9, "{}", stored.len());
    (root, archive, stored)
}

fn hit_ids(archive: &Archive, text: &str) -> Vec<String> {
    let q = SearchQuery {
        limit: 100,
        ..SearchQuery::new(text)
    };
    archive
        .search(&q)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

/// The property of issue 17: any piece of an article (1 to 8 characters,
/// with a letter or digit in it) finds the article, typed as a phrase in
/// quotes and, when it is letters and digits only, as it is.
#[test]
fn every_piece_of_an_article_finds_it() {
    let (_root, archive, stored) = substring_archive("pieces");
    // A fixed pseudo-random sequence (an LCG), so that failures repeat.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize % n
    };
    const PIECES_PER_ARTICLE: usize = 40;
    let mut checked = 0;
    for (id, a) in &stored {
        let texts: Vec<Vec<char>> = searchable_texts(a)
            .iter()
            .map(|t| t.chars().collect())
            .filter(|t: &Vec<char>| !t.is_empty())
            .collect();
        for _ in 0..PIECES_PER_ARTICLE {
            let t = &texts[next(texts.len())];
            let start = next(t.len());
            let len = 1 + next(8.min(t.len() - start));
            let piece: String = t[start..start + len].iter().collect();
            // Quotes and backslashes are syntax in a phrase; spaces at the
            // ends only separate.
            if !piece.chars().any(char::is_alphanumeric)
                || piece.contains(['"', '\\'])
                || piece.trim() != piece
            {
                continue;
            }
            let quoted = &piece;
            let ids = hit_ids(&archive, &format!("\"{quoted}\""));
            assert!(ids.contains(id), "\"{quoted}\" does not find {id}: {ids:?}");
            if piece.chars().all(char::is_alphanumeric)
                && !["AND", "OR", "NOT", "IN", "TO"].contains(&piece.as_str())
            {
                let ids = hit_ids(&archive, &piece);
                assert!(ids.contains(id), "{piece} does not find {id}: {ids:?}");
            }
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} pieces checked");
}

/// Pieces that jieba's words missed: as many articles as hold them.
#[test]
fn pieces_inside_words_find_what_grep_finds() {
    let (_root, archive, stored) = substring_archive("grep");
    let grep = |piece: &str| {
        stored
            .iter()
            .filter(|(_, a)| searchable_texts(a).iter().any(|t| t.contains(piece)))
            .count()
    };
    for piece in [
        "合",
        "范意识",
        "北调",
        "2024年",
        "4500万",
        "水",
        "程序",
        "万元",
        "024",
    ] {
        let n = grep(piece);
        assert!(n > 0, "{piece} is in no article");
        assert_eq!(total(&archive, piece), n, "{piece}");
    }
    assert!(grep("合") >= 4, "合 is in several articles, inside words");
    // Fields still narrow, pieces of words included.
    assert_eq!(total(&archive, "title:范意"), 1);
    assert_eq!(total(&archive, "title:合"), 0);
    assert_eq!(total(&archive, "body:合"), grep_body(&stored, "合"));
    assert_eq!(total(&archive, "title:通水"), 2);
    assert_eq!(total(&archive, "byline:钱七"), 1);
    // And pieces that are not there find nothing.
    assert_eq!(total(&archive, "防范意识形态"), 0);
    assert_eq!(total(&archive, "2024年初"), 0);
}

fn grep_body(stored: &[(String, Article)], piece: &str) -> usize {
    stored
        .iter()
        .filter(|(_, a)| a.body_text().contains(piece))
        .count()
}

#[test]
fn width_case_spaces_and_traditional_characters_fold() {
    let (_root, archive, _) = substring_archive("fold");
    let id = |text: &str| hit_ids(&archive, text);
    let folded = id("2025年");
    assert_eq!(folded.len(), 1, "{folded:?}");
    for text in [
        "２０２５年",
        "GDP",
        "gdp",
        "ＧＤＰ",
        "5.2%",
        "５．２％",
        "国家发展",
        "國家",
        "将合理扩大投资",
    ] {
        assert_eq!(id(text), folded, "{text}");
    }
    // Both ways: traditional queries find simplified text.
    assert_eq!(total(&archive, "南水北調"), 3);
    assert_eq!(total(&archive, "南水北调"), 3);
    // U+3000 is a space, in the text and in a query.
    assert_eq!(id("\"记者 钱七\""), folded);
    assert_eq!(id("記者\u{3000}錢七"), folded);
    assert_eq!(
        total(&archive, "南水北调\u{3000}丹江口"),
        total(&archive, "南水北调 丹江口")
    );
    assert_eq!(total(&archive, "南水北调 丹江口"), 1);
    // Snippets show the text as printed, the match highlighted whole.
    let r = search(&archive, "gdp");
    assert!(
        r.hits[0].snippet.contains("<b>ＧＤＰ</b>"),
        "{}",
        r.hits[0].snippet
    );
    let r = search(&archive, "国家发展改革委");
    assert!(
        r.hits[0].snippet.contains("<b>國家發展改革委</b>"),
        "{}",
        r.hits[0].snippet
    );
    let r = search(&archive, "5.2");
    assert!(
        r.hits[0].snippet.contains("<b>５．２</b>"),
        "{}",
        r.hits[0].snippet
    );
    // The stored article is as printed.
    let a = archive.article(&folded[0]).unwrap().unwrap();
    assert_eq!(a.article.title, "國家發展改革委部署");
}

#[test]
fn word_matches_rank_before_pieces_of_words() {
    let root = temp_dir("rank");
    let mut archive = Archive::open(root.path()).unwrap();
    let filler = "各地区各部门认真贯彻落实党中央决策部署，推动高质量发展取得新成效。";
    let articles = vec![
        // Only pieces of words, and often: 加工/程序, 化工/程度.
        article(
            "01-1",
            "01",
            "加工程序",
            "加工程序需要优化，加工程序另行公布，化工程度较高，加工程序已备案。",
            "甲",
        ),
        article("01-2", "01", "化工程度", "化工程度较高。", "乙"),
        // The word, once, in a long text.
        article(
            "01-3",
            "01",
            "综述",
            &format!(
                "{}重大水利工程加快建设。{}",
                filler.repeat(6),
                filler.repeat(6)
            ),
            "丙",
        ),
        article("01-4", "01", "工程建设", "水利工程建设进展顺利。", "丁"),
    ];
    archive
        .ingest_document(&document("测试日报", "2024-10-22", "01", articles))
        .unwrap();
    archive.commit().unwrap();
    let r = search(&archive, "工程");
    assert_eq!(r.total, 4);
    let order: Vec<&str> = r.hits.iter().map(|h| h.title.as_str()).collect();
    let words = ["工程建设", "综述"];
    assert!(
        words.contains(&order[0]) && words.contains(&order[1]),
        "word matches first: {order:?}"
    );
    // A piece's highlight is the piece itself, wherever it falls.
    let char_hit = r.hits.iter().find(|h| h.title == "化工程度").unwrap();
    assert!(
        char_hit.snippet.contains("化<b>工程</b>度"),
        "{}",
        char_hit.snippet
    );
}

#[test]
fn snippets_highlight_the_phrase_not_its_characters() {
    let (_root, archive, _) = substring_archive("highlight");
    let r = search(&archive, "范意识");
    let s = &r.hits[0].snippet;
    assert!(s.contains("防<b>范意识</b>。意识形态"), "{s}");
    let r = search(&archive, "title:河南 南水北调");
    let s = &r.hits[0].snippet;
    assert!(s.contains("河南水利厅推进<b>南水北调</b>"), "{s}");
    // Excluded words are not highlighted.
    let r = search(&archive, "南水北调 -丹江口 -河湖 -水利");
    assert!(r.hits.iter().all(|h| !h.snippet.contains("<b>丹江口")));
}

#[test]
fn queries_that_fold_to_syntax_stay_text() {
    let (_root, archive, _) = substring_archive("syntaxfold");
    // Full-width parentheses fold to ASCII ones only inside the
    // tokenizer: 800 of them are text, not 800 groups for the parser.
    assert_eq!(total(&archive, &"（".repeat(800)), 0);
    // And as text they are matched as grep matches them: no article prints
    // the name in parentheses.
    assert_eq!(total(&archive, "（南水北调）"), 0);
    assert_eq!(total(&archive, "南水北调"), 3);
    assert_eq!(total(&archive, "南水北调）"), 0);
    // The longest query accepted runs as one phrase of characters.
    let long: String = "南水北调中线工程"
        .chars()
        .cycle()
        .take(baozhi_archive::MAX_QUERY_CHARS)
        .collect();
    assert_eq!(total(&archive, &long), 0);
}

#[test]
fn a_story_continued_on_another_page_is_found_by_words_from_both_parts() {
    // 丹江口 is on page 01, 河湖长制 on page 02: only the story has both.
    let (root, archive, _) = archive_with_pages("story");
    let stories = |archive: &Archive, text: &str| {
        let q = SearchQuery {
            stories: true,
            ..SearchQuery::new(text)
        };
        archive.search(&q).unwrap()
    };
    assert_eq!(
        search(&archive, "丹江口 河湖长制").total,
        0,
        "no part prints both"
    );
    let r = stories(&archive, "丹江口 河湖长制");
    assert_eq!(r.total, 2, "both parts of the story");
    // A plain search finds what the article prints, as grep does.
    assert_eq!(search(&archive, "丹江口").total, 1);
    // A part's own words weigh more than those of the rest of its story.
    let alone = stories(&archive, "丹江口");
    assert_eq!(alone.total, 2);
    assert!(alone.hits[0].id.ends_with("/01/1"), "{:?}", alone.hits);
    assert!(alone.hits[0].score > alone.hits[1].score);
    // Pages come in any order: page 02 first, then 01, gives the same.
    let other = temp_dir("story-order");
    let mut reversed = Archive::open(&other.path().join("data")).unwrap();
    for (name, text) in [
        ("ceshi-2024-10-22-p02.txt", PAGE_02),
        ("ceshi-2024-10-22-p01.txt", PAGE_01),
    ] {
        let file = other.path().join(name);
        std::fs::write(&file, text).unwrap();
        reversed
            .ingest_path_with(&file, &opts("测试日报"), &mut no_progress())
            .unwrap();
    }
    assert_eq!(stories(&reversed, "丹江口 河湖长制").total, 2);
    // And an index rebuilt from the records knows the stories too.
    drop(archive);
    std::fs::remove_dir_all(root.path().join("data/index")).unwrap();
    let rebuilt = Archive::open(&root.path().join("data")).unwrap();
    assert_eq!(stories(&rebuilt, "丹江口 河湖长制").total, 2);
}
