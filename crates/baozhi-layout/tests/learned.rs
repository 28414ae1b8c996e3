//! The line model (`Engine::Learned`) on a page written for this test in
//! the form PDF extractors give: every printed line on its own text line.

use baozhi_layout::{parse_page, Engine, Options};
use baozhi_model::ParagraphKind;

fn learned(name: &str) -> baozhi_layout::PageResult {
    let path = format!("{}/tests/pages/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let opts = Options {
        engine: Engine::Learned,
        ..Options::default()
    };
    parse_page(&text, &opts)
}

#[test]
fn printed_lines_become_whole_paragraphs_and_articles() {
    let r = learned("line-wrapped.txt");
    let titles: Vec<&str> = r.articles.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, ["江城新建三座口袋公园", "河道清淤工程完工"]);
    let park = &r.articles[0];
    let paras: Vec<&str> = park
        .paragraphs
        .iter()
        .filter(|p| p.kind == ParagraphKind::Text)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(paras.len(), 3, "{paras:?}");
    assert!(paras[0].starts_with("今年以来") && paras[0].ends_with("走进绿地。"));
    // a line that opens with the closing quote continues the sentence
    assert!(paras[2].contains("散步。”家住"), "{paras:?}");
    let river = &r.articles[1];
    assert_eq!(river.paragraphs.len(), 2, "{:?}", river.paragraphs);
    assert!(river.paragraphs[0].text.ends_with("提高。"));
}

#[test]
fn the_learned_engine_keeps_every_char() {
    let path = format!(
        "{}/tests/pages/line-wrapped.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    let r = learned("line-wrapped.txt");
    let mut covered = vec![false; text.chars().count()];
    for s in r
        .articles
        .iter()
        .flat_map(|a| &a.spans)
        .chain(r.page.furniture.iter().flat_map(|f| &f.spans))
    {
        for c in &mut covered[s[0]..s[1]] {
            *c = true;
        }
    }
    for (k, ch) in text.chars().enumerate() {
        assert!(covered[k] || ch.is_whitespace(), "char {k} {ch:?} lost");
    }
}
