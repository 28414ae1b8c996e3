//! `--restore-width`: full-width punctuation back in every text field.

use baozhi_model::Document;
use baozhi_text::width::restore_width;

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
            page: Some("01".into()),
            furniture: vec![Furniture {
                kind: FurnitureKind::Banner,
                text: "口号:奋进".into(),
                spans: vec![],
            }],
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
}
