//! Properties of the proofreader on any text: no panic, every finding
//! points at exactly the text it quotes, and applying nothing changes nothing.

use baozhi_model::{Article, FindingField, Paragraph, ParagraphKind};
use baozhi_proof::{apply, proofread};
use proptest::prelude::*;

/// Text that looks like Chinese print with some noise: common chars,
/// look-alikes, doubled chars, punctuation, digits, Latin and odd code points.
fn page_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("的".to_string()),
        Just("有有着".to_string()),
        Just("浙川县".to_string()),
        Just("二中全会和二中全会".to_string()),
        Just("系绞".to_string()),
        Just("“".to_string()),
        Just("”".to_string()),
        Just("（".to_string()),
        Just("，".to_string()),
        Just("。".to_string()),
        Just("2024年年底".to_string()),
        "[\u{4e00}-\u{9fa5}]{1,6}",
        "[a-zA-Z0-9 ]{1,4}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

fn article(title: String, paras: Vec<String>) -> Article {
    let mut a = Article::new("p-1".into(), None, title);
    a.paragraphs = paras
        .into_iter()
        .map(|text| Paragraph {
            kind: ParagraphKind::Text,
            text,
        })
        .collect();
    a
}

fn field(a: &Article, f: FindingField, i: Option<usize>) -> &str {
    match f {
        FindingField::Title => &a.title,
        FindingField::Kicker => a.kicker.as_deref().unwrap_or(""),
        FindingField::Subtitle => a.subtitle.as_deref().unwrap_or(""),
        FindingField::Paragraph => &a.paragraphs[i.expect("paragraph index")].text,
        FindingField::Caption => &a.captions[i.expect("caption index")].text,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn findings_quote_their_span(title in page_text(), paras in prop::collection::vec(page_text(), 0..4)) {
        let a = article(title, paras);
        for f in proofread(&a) {
            let text: Vec<char> = field(&a, f.field, f.paragraph).chars().collect();
            prop_assert!(f.start <= f.end && f.end <= text.len(), "{f:?}");
            let quoted: String = text[f.start..f.end].iter().collect();
            prop_assert_eq!(&quoted, &f.original);
            prop_assert!((0.0..=1.0).contains(&f.confidence));
        }
    }

    #[test]
    fn applying_nothing_changes_nothing(paras in prop::collection::vec(page_text(), 0..4)) {
        let a = article("标题".into(), paras);
        let findings = proofread(&a);
        let same = apply(&a, &findings, 1.01);
        prop_assert_eq!(same, a);
    }
}
