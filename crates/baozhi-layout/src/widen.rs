//! Full-width punctuation back in every text field of a parsed page (the
//! CLI's `--restore-width`, Python's `restore_width=True`): extraction
//! folds `，（：` to `,(:`; the page printed the full-width forms.

use std::collections::HashMap;

use baozhi_model::{Article, Document, Finding, FindingField};
use baozhi_text::width::{has_full_form, restore_width};

fn restore(s: &mut String) {
    *s = restore_width(s);
}

fn restore_opt(s: &mut Option<String>) {
    if let Some(s) = s {
        restore(s);
    }
}

/// Applies [`restore_width`] to every printed-text field of `doc`: furniture,
/// column, series, kicker, title, subtitle, bylines, dateline, paragraphs
/// and captions. Ids, page numbers, jump targets and marks are left alone.
/// Char counts do not change, so offsets stay valid.
pub fn restore_document(doc: &mut Document) {
    for f in doc.pages.iter_mut().flat_map(|p| p.furniture.iter_mut()) {
        restore(&mut f.text);
    }
    for a in &mut doc.articles {
        restore_opt(&mut a.column);
        restore_opt(&mut a.series);
        restore_opt(&mut a.kicker);
        restore(&mut a.title);
        restore_opt(&mut a.subtitle);
        for b in &mut a.bylines {
            restore_opt(&mut b.role);
            b.names.iter_mut().for_each(restore);
        }
        restore_opt(&mut a.dateline);
        for p in &mut a.paragraphs {
            restore(&mut p.text);
        }
        for c in &mut a.captions {
            restore(&mut c.text);
            restore_opt(&mut c.credit);
        }
    }
}

/// A field's chars as printed and as restored.
type PrintedAndRestored = (Vec<char>, Vec<char>);

/// Gives `findings` of the printed `article` in the form its text takes
/// once restored: `original` becomes the restored text at the same offsets,
/// and `suggestion` what it reads as when put in its place and restored
/// with the rest of the field (restoration depends on the neighbours).
/// Findings whose `original` is not the printed text at their offsets are
/// left alone.
pub fn restore_findings(article: &Article, findings: &mut [Finding]) {
    // each field printed and restored once for all its findings (a field
    // may carry thousands)
    let mut fields: HashMap<(FindingField, Option<usize>), Option<PrintedAndRestored>> =
        HashMap::new();
    for f in findings {
        let Some((printed, restored)) = fields
            .entry((f.field, f.paragraph))
            .or_insert_with(|| {
                article.field_text(f.field, f.paragraph).map(|text| {
                    (
                        text.chars().collect(),
                        restore_width(text).chars().collect(),
                    )
                })
            })
            .as_ref()
        else {
            continue;
        };
        let at = f.start..f.end;
        if f.start > f.end
            || f.end > printed.len()
            || printed[at.clone()].iter().copied().ne(f.original.chars())
        {
            continue;
        }
        if restored.len() == printed.len() {
            f.original = restored[at.clone()].iter().collect();
        }
        // Restoration changes only chars that have a full-width form: a
        // suggestion without one reads the same once restored.
        if let Some(s) = f
            .suggestion
            .as_mut()
            .filter(|s| s.chars().any(has_full_form))
        {
            let n = s.chars().count();
            let mut fixed: Vec<char> = printed[..f.start].to_vec();
            fixed.extend(s.chars());
            fixed.extend(&printed[f.end..]);
            let fixed_text: String = fixed.iter().collect();
            let restored: Vec<char> = restore_width(&fixed_text).chars().collect();
            if restored.len() == fixed.len() {
                *s = restored[f.start..f.start + n].iter().collect();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baozhi_model::{
        Article, Byline, Caption, Furniture, FurnitureKind, Page, Paragraph, ParagraphKind,
    };

    #[test]
    fn every_text_field_is_restored() {
        let mut d = Document::new(Some("报,纸".into()), None);
        d.pages.push(Page {
            pictures: Vec::new(),
            page: Some("01".into()),
            furniture: vec![Furniture {
                kind: FurnitureKind::Banner,
                text: "口号:奋进".into(),
                spans: vec![],
            }],
            size: None,
            source: None,
        });
        let mut a = Article::new("01-1".into(), Some("01".into()), "标题:好".into());
        a.column = Some("栏目(一)".into());
        a.series = Some("系列;评论".into());
        a.kicker = Some("引题!".into());
        a.subtitle = Some("副题?".into());
        a.bylines = vec![Byline {
            role: Some("记者:".into()),
            names: vec!["张三(实习)".into()],
        }];
        a.dateline = Some("本报讯(记者杨万里)".into());
        a.paragraphs = vec![Paragraph {
            kind: ParagraphKind::Text,
            text: "正文,正文".into(),
        }];
        a.captions = vec![Caption {
            text: "图片,说明".into(),
            credit: Some("张兰 摄(资料)".into()),
        }];
        a.marks = vec!["②4,".into()];
        d.articles.push(a);
        restore_document(&mut d);
        let a = &d.articles[0];
        assert_eq!(d.pages[0].furniture[0].text, "口号：奋进");
        assert_eq!(a.column.as_deref(), Some("栏目（一）"));
        assert_eq!(a.series.as_deref(), Some("系列；评论"));
        assert_eq!(a.kicker.as_deref(), Some("引题！"));
        assert_eq!(a.title, "标题：好");
        assert_eq!(a.subtitle.as_deref(), Some("副题？"));
        assert_eq!(a.bylines[0].role.as_deref(), Some("记者："));
        assert_eq!(a.bylines[0].names[0], "张三（实习）");
        assert_eq!(a.dateline.as_deref(), Some("本报讯（记者杨万里）"));
        assert_eq!(a.paragraphs[0].text, "正文，正文");
        assert_eq!(a.captions[0].text, "图片，说明");
        assert_eq!(a.captions[0].credit.as_deref(), Some("张兰 摄（资料）"));
        // Not printed text of an article: left as given.
        assert_eq!(a.marks[0], "②4,");
        assert_eq!(d.paper.as_deref(), Some("报,纸"));
    }

    #[test]
    fn findings_take_the_restored_form_at_the_same_offsets() {
        use baozhi_model::{FindingField, FindingKind};
        let mut a = Article::new("01-1".into(), None, "标题".into());
        a.paragraphs = vec![Paragraph {
            kind: ParagraphKind::Text,
            text: "他说:好,好。".into(),
        }];
        let f = |start, end, original: &str, suggestion: &str| Finding {
            field: FindingField::Paragraph,
            paragraph: Some(0),
            start,
            end,
            original: original.into(),
            suggestion: Some(suggestion.into()),
            confidence: 0.9,
            kind: FindingKind::Duplicate,
            evidence: String::new(),
        };
        let mut fs = vec![
            f(2, 5, ":好,", ":"),
            f(0, 1, "他", "她"),
            f(0, 1, "不", "对"),
        ];
        restore_findings(&a, &mut fs);
        assert_eq!(fs[0].original, "：好，");
        assert_eq!(fs[0].suggestion.as_deref(), Some("："));
        assert_eq!(fs[1].original, "他");
        assert_eq!(fs[1].suggestion.as_deref(), Some("她"));
        // Not the printed text at its offsets: untouched.
        assert_eq!(fs[2].original, "不");
    }
}
