//! Precision on clean prose: sentences written for these tests, with
//! names, terms, figures, quotations and natural reduplication, and no
//! error, get no confident finding.

use baozhi_model::{Article, FindingKind, Paragraph, ParagraphKind};

#[test]
fn clean_prose_gets_no_confident_finding() {
    let text = include_str!("fixtures/clean-prose.txt");
    let mut article = Article::new("t-1".into(), None, "测试".into());
    article.paragraphs = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| Paragraph {
            kind: ParagraphKind::Text,
            text: l.to_string(),
        })
        .collect();
    assert!(article.paragraphs.len() >= 30);
    let confident: Vec<_> = baozhi_proof::proofread(&article)
        .into_iter()
        .filter(|f| f.confidence >= 0.5 && f.kind != FindingKind::Punctuation)
        .collect();
    assert!(confident.is_empty(), "{confident:#?}");
}
