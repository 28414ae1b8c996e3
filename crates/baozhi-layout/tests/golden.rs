//! Behaviour on pages written for these tests (and the bundled example),
//! one phenomenon per assertion. These pages show conventions the rules
//! engine (`--engine rules`) was written for, and most tests read them with
//! it; where the default line model reads a convention as well, the test
//! reads the page with both.

use baozhi_layout::{parse_page, Engine, Options};

fn rules() -> Options {
    Options {
        engine: Engine::Rules,
        ..Options::default()
    }
}
use baozhi_model::{Article, FurnitureKind, ParagraphKind};

fn page(name: &str) -> (String, baozhi_layout::PageResult) {
    let path = format!("{}/tests/pages/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let r = parse_page(&text, &rules());
    (text, r)
}

fn example() -> (String, baozhi_layout::PageResult) {
    example_with(&rules())
}

fn example_with(opts: &Options) -> (String, baozhi_layout::PageResult) {
    let path = format!(
        "{}/../../examples/jiangcheng-2025-05-06-p01.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    let r = parse_page(&text, opts);
    (text, r)
}

fn by_title<'a>(r: &'a baozhi_layout::PageResult, title: &str) -> &'a Article {
    r.articles
        .iter()
        .find(|a| a.title == title)
        .unwrap_or_else(|| {
            panic!(
                "no article titled {title}; got {:?}",
                r.articles.iter().map(|a| &a.title).collect::<Vec<_>>()
            )
        })
}

#[test]
fn example_page_headline_parts_banner_and_header() {
    let (_, r) = example();
    assert_eq!(r.articles.len(), 3);
    assert_eq!(
        r.page.page.as_deref(),
        Some("01"),
        "page number from the running head"
    );
    let kinds: Vec<_> = r
        .page
        .furniture
        .iter()
        .map(|f| (f.kind, f.text.as_str()))
        .collect();
    assert!(kinds.contains(&(FurnitureKind::PageHeader, "01 要闻  2025年5月6日 星期二")));
    assert!(kinds.contains(&(FurnitureKind::Banner, "凝心聚力抓发展 实干争先开新局")));
    let a = by_title(&r, "稳住工业基本盘 跑出发展加速度");
    assert_eq!(
        a.kicker.as_deref(),
        Some("市政府常务会议研究部署二季度重点工作"),
        "trailing —— removed"
    );
    assert_eq!(a.bylines[0].role.as_deref(), Some("本报记者"));
    assert_eq!(
        a.bylines[0].names,
        ["林晓雨", "周彤"],
        "padded two-char names join"
    );
}

#[test]
fn example_page_fragments_join_across_column_breaks_and_captions() {
    for opts in [rules(), Options::default()] {
        let (_, r) = example_with(&opts);
        fragments_join(&r);
    }
}

fn fragments_join(r: &baozhi_layout::PageResult) {
    let a = by_title(r, "稳住工业基本盘 跑出发展加速度");
    assert_eq!(a.paragraphs.len(), 3);
    assert!(
        a.paragraphs[0].text.ends_with("打下了坚实基础。"),
        "基|础 joined: {}",
        a.paragraphs[0].text
    );
    assert!(
        a.paragraphs[1].text.contains("按期开工、按时投产"),
        "joined across the caption: {}",
        a.paragraphs[1].text
    );
    assert_eq!(a.captions.len(), 1);
    assert_eq!(
        a.captions[0].text,
        "城南产业园内,工人们正在调试新投产的生产线。"
    );
    assert_eq!(a.captions[0].credit.as_deref(), Some("本报记者 陈  亮 摄"));
    assert_eq!(
        a.marks,
        ["②3"],
        "the mark inside the caption line is taken out"
    );
    assert_eq!(a.continues_to.as_deref(), Some("02"));
    assert!(
        !a.paragraphs.iter().any(|p| p.text.contains("下转")),
        "jump lines are not body text"
    );
}

/// An article's last lines after a column break end on an editor's mark
/// (`……标准。②3`): the mark comes off, and what is left is the end of
/// the paragraph the break cut, not a label or a headline.
#[test]
fn example_page_marked_article_ends_join_their_paragraphs() {
    for opts in [rules(), Options::default()] {
        let (_, r) = example_with(&opts);
        let c = by_title(&r, "把“小事”办成“实事”");
        let last = c.paragraphs.last().unwrap();
        assert!(
            last.text
                .ends_with("的急难愁盼作为工作的着力点,把群众满意作为衡量工作的标准。"),
            "{:?}: {}",
            opts.engine,
            last.text
        );
        assert_eq!(c.marks, ["②3"], "{:?}", opts.engine);
        let b = by_title(&r, "老旧小区换新颜 居民生活更舒心");
        assert!(
            b.paragraphs
                .last()
                .unwrap()
                .text
                .ends_with("群众的获得感和幸福感明显提升。"),
            "{:?}",
            opts.engine
        );
        assert_eq!(b.marks, ["②3"], "{:?}", opts.engine);
        assert!(
            r.page
                .furniture
                .iter()
                .all(|f| f.kind != FurnitureKind::Label),
            "{:?}: {:?}",
            opts.engine,
            r.page.furniture
        );
    }
}

#[test]
fn example_page_dateline_column_series_and_headings() {
    let (_, r) = example();
    let a = by_title(&r, "老旧小区换新颜 居民生活更舒心");
    assert_eq!(a.column.as_deref(), Some("城市更新一线行"));
    assert_eq!(a.dateline.as_deref(), Some("本报讯(通讯员 吴  涛)5月5日"));
    assert!(
        a.paragraphs[0].text.starts_with("本报讯"),
        "the dateline stays in the first paragraph"
    );
    assert_eq!(a.bylines[0].names, ["吴涛"]);
    assert_eq!(a.paragraphs.len(), 2, "加装电梯等工程,|群众 joins");
    let c = by_title(&r, "把“小事”办成“实事”");
    assert_eq!(
        c.series.as_deref(),
        Some("勇于担当作为 奋力谱写新篇系列评论③")
    );
    assert_eq!(c.bylines[0].role.as_deref(), Some("本报评论员"));
    assert!(c.bylines[0].names.is_empty());
    assert_eq!(c.paragraphs[1].kind, ParagraphKind::Heading);
    assert_eq!(c.paragraphs[1].text, "一、坚持问需于民");
}

#[test]
fn commentary_pull_quote_stands_alone_and_labels_attach() {
    let (_, r) = page("commentary.txt");
    assert_eq!(r.articles.len(), 2);
    let a = by_title(&r, "让乡村文化“活”起来");
    assert_eq!(a.column.as_deref(), Some("城乡观察·走进新农村"));
    assert_eq!(a.bylines[0].role, None);
    assert_eq!(a.bylines[0].names, ["何静"]);
    assert_eq!(
        a.paragraphs[0].text, "守住乡土文化的根脉,才能让乡村振兴有魂有韵",
        "the lead repeats the body, so it stands alone"
    );
    assert!(a.paragraphs[1].text.ends_with("的道理越来越深入人心。"));
    let b = by_title(&r, "在寻常日子里读懂坚持");
    assert_eq!(
        b.column.as_deref(),
        Some("夜读札记"),
        "a short label after the title is the column"
    );
    assert_eq!(b.bylines[0].names, ["许远"]);
}

#[test]
fn composite_report_keeps_its_sub_reports() {
    let (_, r) = page("composite.txt");
    assert_eq!(
        r.articles.len(),
        2,
        "{:?}",
        r.articles.iter().map(|a| &a.title).collect::<Vec<_>>()
    );
    let a = by_title(&r, "小行动汇聚大改变");
    assert_eq!(a.series.as_deref(), Some("绿色发展·身边的变化②"));
    let body = a.body_text();
    assert!(body.contains("一片竹林的新生意") && body.contains("一条溪流的变迁"));
    let b = by_title(&r, "福建发布生态环境状况公报");
    // the spec: a dateline runs to the end of its reporters' parentheses,
    // and they are the bylines when none is printed
    assert_eq!(b.dateline.as_deref(), Some("本报福州5月5日电  (记者邵明)"));
    assert_eq!(b.bylines[0].names, ["邵明"]);
}

#[test]
fn every_printed_char_is_accounted_for_on_the_test_pages() {
    let default = |name: &str| {
        let (text, _) = page(name);
        let r = parse_page(&text, &Options::default());
        (text, r)
    };
    for (text, r) in [
        example(),
        page("commentary.txt"),
        page("composite.txt"),
        example_with(&Options::default()),
        default("commentary.txt"),
        default("composite.txt"),
    ] {
        let chars: Vec<char> = text.chars().collect();
        let mut covered = vec![false; chars.len()];
        let spans = r
            .articles
            .iter()
            .flat_map(|a| a.spans.iter())
            .chain(r.page.furniture.iter().flat_map(|f| f.spans.iter()));
        for s in spans {
            for c in covered.iter_mut().take(s[1]).skip(s[0]) {
                *c = true;
            }
        }
        for (i, c) in chars.iter().enumerate() {
            assert!(
                covered[i] || c.is_whitespace() || *c == '\u{3000}',
                "char {i} {c:?} is in no article or furniture"
            );
        }
    }
}

#[test]
fn ocr_wrapped_lines_with_indents_give_the_same_articles() {
    // The example page as an OCR engine gives it: every printed line a line,
    // paragraphs opened by an indent of two ideographic spaces. Read by the
    // rules, as the example is: this is their reading of wrapped lines
    // (the default reads such text with the line model, tested below).
    let path = format!("{}/tests/pages/ocr-wrapped.txt", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let wrapped = parse_page(&text, &rules());
    let (_, flat) = example();
    assert_eq!(wrapped.articles.len(), flat.articles.len());
    for (w, f) in wrapped.articles.iter().zip(&flat.articles) {
        assert_eq!(w.title, f.title);
        assert_eq!(w.kicker, f.kicker);
        assert_eq!(
            w.dateline, f.dateline,
            "a dateline cut by a line end is read whole"
        );
        let wp: Vec<&str> = w.paragraphs.iter().map(|p| p.text.as_str()).collect();
        let fp: Vec<&str> = f.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(wp, fp);
    }
}

#[test]
fn continuation_page_credits_and_agency_datelines() {
    let (_, r) = page("continuation.txt");
    assert_eq!(r.page.page.as_deref(), Some("02"), "第02版 gives the page");
    assert_eq!(
        r.articles.len(),
        2,
        "{:?}",
        r.articles.iter().map(|a| &a.title).collect::<Vec<_>>()
    );
    let first = &r.articles[0];
    assert_eq!(first.continued_from.as_deref(), Some("01"), "上接第一版");
    assert_eq!(
        first.title, "",
        "a continued article has no headline on this page"
    );
    assert!(first.paragraphs[0].text.starts_with("在推进乡村振兴"));
    assert!(
        first.paragraphs[0].text.ends_with("农村面貌持续改善。"),
        "增|长 joined"
    );
    let second = by_title(&r, "一季度经济运行开局良好");
    assert_eq!(second.dateline.as_deref(), Some("据新华社北京5月5日电"));
    assert_eq!(second.marks, ["③"]);
    let credits: Vec<_> = r
        .page
        .furniture
        .iter()
        .filter(|f| f.kind == FurnitureKind::Other)
        .collect();
    assert_eq!(credits.len(), 1);
    assert!(credits[0].text.starts_with("本版责编"));
}

#[test]
fn masthead_lines_bullet_heads_and_two_role_bylines() {
    let (_, r) = page("bullets.txt");
    assert_eq!(
        r.page.page.as_deref(),
        Some("05"),
        "第05版 in a masthead line"
    );
    assert_eq!(
        r.articles.len(),
        2,
        "{:?}",
        r.articles.iter().map(|a| &a.title).collect::<Vec<_>>()
    );
    let a = &r.articles[0];
    assert_eq!(a.bylines.len(), 2);
    assert_eq!(
        (a.bylines[1].role.as_deref(), a.bylines[1].names.as_slice()),
        (Some("通讯员"), &["刘明".to_string()][..])
    );
    assert!(
        a.paragraphs
            .iter()
            .any(|p| p.kind == ParagraphKind::Heading && p.text.starts_with('■')),
        "a bulleted head stays inside its article"
    );
    assert_eq!(a.captions.len(), 1);
    assert_eq!(r.articles[1].dateline.as_deref(), Some("本报北京6月2日讯"));
    assert!(r
        .page
        .furniture
        .iter()
        .any(|f| f.kind == FurnitureKind::Other && f.text.contains("责编")));
}

#[test]
fn the_default_reads_every_form_of_text_with_the_line_model() {
    let learned = Options {
        engine: Engine::Learned,
        ..Options::default()
    };
    let (wrapped, _) = page("ocr-wrapped.txt");
    let (flat, _) = example();
    for text in [&wrapped, &flat] {
        let auto = parse_page(text, &Options::default());
        assert_eq!(auto, parse_page(text, &learned));
        // the two engines differ somewhere, so the comparison above can fail
        assert_ne!(parse_page(text, &learned), parse_page(text, &rules()));
    }
}
