//! Writing a `baozhi/1` document as JSON, JSON lines, Markdown or plain text.
//!
//! Markdown and plain text are read on terminals, so what a page holds
//! cannot drive one: control characters in them (C0 but `\n` and `\t`,
//! DEL, C1) are written as visible escapes ([`terminal_safe`]), which
//! also defuses ESC sequences (`\x1b[2J` comes out as `␛[2J`). JSON is
//! escaped by serde.

use std::borrow::Cow;
use std::io::{self, Write};

use baozhi_model::{Article, Byline, Document, Finding, FurnitureKind, Page, ParagraphKind};

use crate::findings::finding_line;

/// The line that separates articles in plain text.
pub const TEXT_RULE: &str = "————————————————————";

/// Pretty JSON, then a newline.
pub fn json(doc: &Document, w: &mut impl Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, doc).map_err(io::Error::from)?;
    w.write_all(b"\n")
}

/// One compact line of JSON.
pub fn jsonl(doc: &Document, w: &mut impl Write) -> io::Result<()> {
    serde_json::to_writer(&mut *w, doc).map_err(io::Error::from)?;
    w.write_all(b"\n")
}

/// Whether `c` must not reach a terminal as it is: a C0 control but line
/// feed and tab, DEL, or a C1 control (U+0080–U+009F, which some
/// terminals take as CSI and the like).
fn is_unsafe_control(c: char) -> bool {
    // `char::is_control` is exactly C0, DEL and C1.
    c.is_control() && c != '\n' && c != '\t'
}

/// The visible stand-in of a control character: the Control Pictures
/// symbol of a C0 control or DEL (`␛`, `␇`, `␍`, `␡`), `\x9b`-style hex
/// for a C1 control.
fn visible(c: char, out: &mut String) {
    match c {
        '\0'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}')),
        '\u{7f}' => out.push('\u{2421}'),
        _ => out.push_str(&format!("\\x{:02x}", c as u32)),
    }
}

/// `text` with every control character that could drive a terminal (all
/// but `\n` and `\t`) replaced by a visible escape: `␛` for ESC, so an
/// escape sequence is shown rather than obeyed, `\x9b` for a C1 control.
/// Borrowed when there is nothing to replace.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_control(c) {
            visible(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A writer for terminal-oriented output: what is written through it
/// comes out with control characters made visible (see [`terminal_safe`]).
/// Expects UTF-8; a character split between two writes is put together.
pub struct TerminalSafe<W: Write> {
    inner: W,
    /// The start of a UTF-8 character whose other bytes are still to come.
    pending: Vec<u8>,
}

impl<W: Write> TerminalSafe<W> {
    pub fn new(inner: W) -> Self {
        TerminalSafe {
            inner,
            pending: Vec::new(),
        }
    }
}

impl<W: Write> Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.pending.is_empty() {
            if let Ok(text) = std::str::from_utf8(buf) {
                self.inner.write_all(terminal_safe(text).as_bytes())?;
                return Ok(buf.len());
            }
        }
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.extend_from_slice(buf);
        // Keep back an incomplete character at the end.
        let cut = match std::str::from_utf8(&bytes) {
            Ok(_) => bytes.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => bytes.len(),
        };
        self.pending = bytes.split_off(cut);
        let text = String::from_utf8_lossy(&bytes);
        self.inner.write_all(terminal_safe(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            let text = String::from_utf8_lossy(&rest);
            self.inner.write_all(terminal_safe(&text).as_bytes())?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for TerminalSafe<W> {
    fn drop(&mut self) {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            let _ = self
                .inner
                .write_all(terminal_safe(&String::from_utf8_lossy(&rest)).as_bytes());
        }
    }
}

/// The articles of `doc` grouped under its pages: an article goes under the
/// first page whose number it carries (or under the only page); articles
/// that match no page come last, under no page.
fn by_page(doc: &Document) -> Vec<(Option<&Page>, Vec<&Article>)> {
    let mut groups: Vec<(Option<&Page>, Vec<&Article>)> =
        doc.pages.iter().map(|p| (Some(p), Vec::new())).collect();
    let mut loose = Vec::new();
    for a in &doc.articles {
        let at = if doc.pages.len() == 1 {
            Some(0)
        } else {
            doc.pages.iter().position(|p| p.page == a.page)
        };
        match at {
            Some(i) => groups[i].1.push(a),
            None => loose.push(a),
        }
    }
    if !loose.is_empty() || groups.is_empty() {
        groups.push((None, loose));
    }
    groups
}

/// `本报记者 张三 李四`, bylines after one another.
pub fn byline_line(bylines: &[Byline]) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for b in bylines {
        if let Some(role) = b.role.as_deref().filter(|r| !r.is_empty()) {
            parts.push(role);
        }
        parts.extend(b.names.iter().map(String::as_str));
    }
    parts.join(" ")
}

/// The subtitle with its leading dash, unless it already has one.
fn dashed(subtitle: &str) -> String {
    if subtitle.starts_with(['—', '-', '─', '―', '–']) {
        subtitle.to_string()
    } else {
        format!("——{subtitle}")
    }
}

/// Whether the dateline must be printed apart: it is not already where the
/// first paragraph starts (the spec keeps it there too).
fn dateline_apart(a: &Article) -> Option<&str> {
    let d = a.dateline.as_deref().filter(|d| !d.trim().is_empty())?;
    let first = a
        .paragraphs
        .first()
        .map(|p| p.text.trim_start())
        .unwrap_or("");
    (!first.starts_with(d.trim())).then_some(d)
}

fn caption_line(text: &str, credit: Option<&str>) -> String {
    match credit.filter(|c| !c.is_empty()) {
        Some(c) => format!("图：{text}（{c}）"),
        None => format!("图：{text}"),
    }
}

fn furniture_label(kind: FurnitureKind) -> &'static str {
    match kind {
        FurnitureKind::Banner => "通栏",
        FurnitureKind::PageHeader => "报眉",
        FurnitureKind::Label => "标签",
        FurnitureKind::Other => "其他",
    }
}

/// Escapes what would make a line of body text Markdown syntax at its
/// start: `#`, `>`, `<`, code fences, list bullets and numbers (`- `, `1. `)
/// and thematic breaks (`---`). Text in the middle of a line is left alone.
fn md_line(text: &str) -> String {
    let t = text.trim_start();
    let lead = &text[..text.len() - t.len()];
    let spaced = |rest: &str| rest.is_empty() || rest.starts_with([' ', '\t']);
    let Some(first) = t.chars().next() else {
        return text.to_string();
    };
    let escape_at = match first {
        '#' | '>' | '<' | '`' | '~' => Some(0),
        '-' | '+' | '*' | '_' => {
            let rest = &t[1..];
            let rule = t.chars().all(|c| c == first || c == ' ' || c == '\t');
            (rule || (first != '_' && spaced(rest))).then_some(0)
        }
        c if c.is_ascii_digit() => {
            let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let rest = &t[digits..];
            (rest.starts_with(['.', ')']) && spaced(&rest[1..])).then_some(digits)
        }
        _ => None,
    };
    match escape_at {
        Some(at) => format!("{lead}{}\\{}", &t[..at], &t[at..]),
        None => text.to_string(),
    }
}

/// Markdown: a `# paper date page` header per page, its furniture, then
/// each article; control characters made visible ([`terminal_safe`]).
pub fn markdown(doc: &Document, w: &mut impl Write) -> io::Result<()> {
    markdown_doc(doc, &mut TerminalSafe::new(w))
}

fn markdown_doc(doc: &Document, w: &mut impl Write) -> io::Result<()> {
    for (page, articles) in by_page(doc) {
        let mut head: Vec<String> = Vec::new();
        head.extend(doc.paper.clone());
        head.extend(doc.date.clone());
        if let Some(p) = page.and_then(|p| p.page.as_deref()) {
            head.push(format!("第{p}版"));
        }
        if head.is_empty() {
            head.push("版面".to_string());
        }
        writeln!(w, "# {}", head.join(" "))?;
        writeln!(w)?;
        if let Some(page) = page {
            for f in &page.furniture {
                writeln!(w, "> {}：{}", furniture_label(f.kind), f.text)?;
                writeln!(w)?;
            }
        }
        for a in articles {
            markdown_article(a, w)?;
        }
    }
    Ok(())
}

/// One article in Markdown; its proofreading findings, if any, come last
/// as `> 校对：…` lines. Written through [`markdown`]'s [`TerminalSafe`].
fn markdown_article(a: &Article, w: &mut impl Write) -> io::Result<()> {
    if let Some(k) = a.kicker.as_deref().filter(|k| !k.is_empty()) {
        writeln!(w, "*{k}*")?;
        writeln!(w)?;
    }
    writeln!(w, "## {}", a.title)?;
    writeln!(w)?;
    if let Some(s) = a.subtitle.as_deref().filter(|s| !s.is_empty()) {
        writeln!(w, "### {}", dashed(s))?;
        writeln!(w)?;
    }
    let mut labels = Vec::new();
    if let Some(c) = a.column.as_deref() {
        labels.push(format!("栏目：{c}"));
    }
    if let Some(s) = a.series.as_deref() {
        labels.push(format!("系列：{s}"));
    }
    if !labels.is_empty() {
        writeln!(w, "> {}", labels.join(" "))?;
        writeln!(w)?;
    }
    let by = byline_line(&a.bylines);
    if !by.is_empty() {
        writeln!(w, "{}", md_line(&by))?;
        writeln!(w)?;
    }
    if let Some(from) = a.continued_from.as_deref() {
        writeln!(w, "（上接{from}版）")?;
        writeln!(w)?;
    }
    if let Some(d) = dateline_apart(a) {
        writeln!(w, "{}", md_line(d))?;
        writeln!(w)?;
    }
    for p in &a.paragraphs {
        match p.kind {
            ParagraphKind::Heading => writeln!(w, "#### {}", p.text)?,
            ParagraphKind::Text => writeln!(w, "{}", md_line(&p.text))?,
        }
        writeln!(w)?;
    }
    for c in &a.captions {
        writeln!(w, "> {}", caption_line(&c.text, c.credit.as_deref()))?;
        writeln!(w)?;
    }
    if let Some(to) = a.continues_to.as_deref() {
        writeln!(w, "（下转{to}版）")?;
        writeln!(w)?;
    }
    for f in findings(a) {
        writeln!(w, "> {}", finding_line(f))?;
        writeln!(w)?;
    }
    Ok(())
}

/// The proofreading findings of an article, if it was proofread.
fn findings(a: &Article) -> &[Finding] {
    a.findings.as_deref().unwrap_or(&[])
}

/// Plain text: each article's headline lines, a blank line, then its
/// paragraphs separated by blank lines; articles separated by [`TEXT_RULE`].
/// Writes nothing for a document without articles. Control characters
/// made visible ([`terminal_safe`]).
pub fn text(doc: &Document, w: &mut impl Write) -> io::Result<()> {
    let w = &mut TerminalSafe::new(w);
    for (i, a) in doc.articles.iter().enumerate() {
        if i > 0 {
            writeln!(w, "{TEXT_RULE}")?;
            writeln!(w)?;
        }
        text_article(a, w)?;
    }
    Ok(())
}

/// One article as plain text, ending in a blank line; its proofreading
/// findings, if any, come last as `校对：…` lines. Written through
/// [`text`]'s [`TerminalSafe`].
fn text_article(a: &Article, w: &mut impl Write) -> io::Result<()> {
    if let Some(k) = a.kicker.as_deref().filter(|k| !k.is_empty()) {
        writeln!(w, "{k}")?;
    }
    writeln!(w, "{}", a.title)?;
    if let Some(s) = a.subtitle.as_deref().filter(|s| !s.is_empty()) {
        writeln!(w, "{}", dashed(s))?;
    }
    let by = byline_line(&a.bylines);
    if !by.is_empty() {
        writeln!(w, "{by}")?;
    }
    writeln!(w)?;
    let mut blocks: Vec<String> = Vec::new();
    if let Some(from) = a.continued_from.as_deref() {
        blocks.push(format!("（上接{from}版）"));
    }
    blocks.extend(dateline_apart(a).map(str::to_string));
    blocks.extend(a.paragraphs.iter().map(|p| p.text.clone()));
    blocks.extend(
        a.captions
            .iter()
            .map(|c| caption_line(&c.text, c.credit.as_deref())),
    );
    if let Some(to) = a.continues_to.as_deref() {
        blocks.push(format!("（下转{to}版）"));
    }
    for b in blocks {
        writeln!(w, "{b}")?;
        writeln!(w)?;
    }
    let fs = findings(a);
    for f in fs {
        writeln!(w, "{}", finding_line(f))?;
    }
    if !fs.is_empty() {
        writeln!(w)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use baozhi_model::{Caption, Furniture, Paragraph};

    fn sample() -> Article {
        let mut a = Article::new("01-1".into(), Some("01".into()), "做绿色包装先行者".into());
        a.kicker = Some("金誉科技有限公司出口业绩实现翻倍".into());
        a.subtitle = Some("记卧龙区的一家企业".into());
        a.column = Some("重点项目建设一线行".into());
        a.bylines = vec![
            Byline {
                role: Some("本报记者".into()),
                names: vec!["张三".into(), "李四".into()],
            },
            Byline {
                role: Some("通讯员".into()),
                names: vec!["王五".into()],
            },
        ];
        a.dateline = Some("本报讯".into());
        a.paragraphs = vec![
            Paragraph {
                kind: ParagraphKind::Text,
                text: "本报讯 在卧龙区先进制造业开发区，机器轰鸣。".into(),
            },
            Paragraph {
                kind: ParagraphKind::Heading,
                text: "一、总体要求".into(),
            },
            Paragraph {
                kind: ParagraphKind::Text,
                text: "1. 加强领导。".into(),
            },
        ];
        a.captions = vec![Caption {
            text: "智能印刷包装生产线。".into(),
            credit: Some("本报记者 张兰 摄".into()),
        }];
        a.continues_to = Some("02".into());
        a
    }

    fn doc() -> Document {
        let mut d = Document::new(Some("南阳日报".into()), Some("2024-10-22".into()));
        d.pages.push(Page {
            pictures: Vec::new(),
            page: Some("01".into()),
            furniture: vec![Furniture {
                kind: FurnitureKind::Banner,
                text: "重抓重推“五聚五提” 奋力建强副中心".into(),
                spans: vec![],
            }],
            size: None,
            source: None,
        });
        d.articles.push(sample());
        let mut b = Article::new("01-2".into(), Some("01".into()), "第二篇".into());
        b.subtitle = Some("——已带破折号".into());
        b.dateline = Some("新华社天津10月20日电".into());
        b.paragraphs = vec![Paragraph {
            kind: ParagraphKind::Text,
            text: "正文。".into(),
        }];
        b.continued_from = Some("03".into());
        d.articles.push(b);
        d
    }

    fn render(f: fn(&Document, &mut Vec<u8>) -> io::Result<()>, d: &Document) -> String {
        let mut out = Vec::new();
        f(d, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn lines(s: &str) -> Vec<&str> {
        s.lines().collect()
    }

    #[test]
    fn markdown_has_the_parts() {
        let md = render(markdown, &doc());
        let l = lines(&md);
        assert_eq!(l[0], "# 南阳日报 2024-10-22 第01版");
        for want in [
            "> 通栏：重抓重推“五聚五提” 奋力建强副中心",
            "*金誉科技有限公司出口业绩实现翻倍*",
            "## 做绿色包装先行者",
            "### ——记卧龙区的一家企业",
            "> 栏目：重点项目建设一线行",
            "本报记者 张三 李四 通讯员 王五",
            "本报讯 在卧龙区先进制造业开发区，机器轰鸣。",
            "#### 一、总体要求",
            "1\\. 加强领导。",
            "> 图：智能印刷包装生产线。（本报记者 张兰 摄）",
            "（下转02版）",
            "## 第二篇",
            "### ——已带破折号",
            "（上接03版）",
            "新华社天津10月20日电",
        ] {
            assert!(l.contains(&want), "missing {want:?} in\n{md}");
        }
        // The dateline of the first article opens its first paragraph already.
        assert!(!l.contains(&"本报讯"), "{md}");
        // Furniture comes before the articles, 上接 before the body.
        let pos = |s: &str| l.iter().position(|x| *x == s).unwrap();
        assert!(pos("> 通栏：重抓重推“五聚五提” 奋力建强副中心") < pos("## 做绿色包装先行者"));
        assert!(pos("（上接03版）") < pos("正文。"));
        assert!(pos("*金誉科技有限公司出口业绩实现翻倍*") < pos("## 做绿色包装先行者"));
    }

    #[test]
    fn markdown_of_an_empty_document_is_a_header() {
        let d = Document::new(None, None);
        assert_eq!(render(markdown, &d), "# 版面\n\n");
    }

    #[test]
    fn markdown_groups_articles_by_page() {
        let mut d = doc();
        d.pages.push(Page {
            pictures: Vec::new(),
            page: Some("02".into()),
            furniture: vec![],
            size: None,
            source: None,
        });
        d.articles[1].page = Some("02".into());
        d.articles
            .push(Article::new("x".into(), Some("09".into()), "无版".into()));
        let md = render(markdown, &d);
        let l = lines(&md);
        let pos = |s: &str| l.iter().position(|x| *x == s).unwrap();
        assert!(pos("# 南阳日报 2024-10-22 第01版") < pos("## 做绿色包装先行者"));
        assert!(pos("## 做绿色包装先行者") < pos("# 南阳日报 2024-10-22 第02版"));
        assert!(pos("# 南阳日报 2024-10-22 第02版") < pos("## 第二篇"));
        assert!(pos("## 第二篇") < pos("# 南阳日报 2024-10-22"));
        assert!(pos("# 南阳日报 2024-10-22") < pos("## 无版"));
    }

    #[test]
    fn markdown_escapes_only_line_starts() {
        assert_eq!(md_line("# 不是标题"), "\\# 不是标题");
        assert_eq!(md_line("> 引"), "\\> 引");
        assert_eq!(md_line("- 项"), "\\- 项");
        assert_eq!(md_line("12. 项"), "12\\. 项");
        assert_eq!(md_line("2024年10月"), "2024年10月");
        assert_eq!(md_line("1.5亿元"), "1.5亿元");
        assert_eq!(md_line("普通的一段。"), "普通的一段。");
        assert_eq!(md_line("-5℃到3℃"), "-5℃到3℃");
        assert_eq!(md_line("***"), "\\***");
        assert_eq!(md_line("*强调*"), "*强调*");
        assert_eq!(md_line("3)"), "3\\)");
    }

    #[test]
    fn text_has_headline_then_body() {
        let t = render(text, &doc());
        let l = lines(&t);
        assert_eq!(
            &l[..6],
            &[
                "金誉科技有限公司出口业绩实现翻倍",
                "做绿色包装先行者",
                "——记卧龙区的一家企业",
                "本报记者 张三 李四 通讯员 王五",
                "",
                "本报讯 在卧龙区先进制造业开发区，机器轰鸣。"
            ]
        );
        for want in [
            "一、总体要求",
            "1. 加强领导。",
            "图：智能印刷包装生产线。（本报记者 张兰 摄）",
            "（下转02版）",
            "（上接03版）",
        ] {
            assert!(l.contains(&want), "missing {want:?} in\n{t}");
        }
        assert_eq!(l.iter().filter(|x| **x == TEXT_RULE).count(), 1, "{t}");
        let pos = |s: &str| l.iter().position(|x| *x == s).unwrap();
        assert!(pos("（下转02版）") < pos(TEXT_RULE) && pos(TEXT_RULE) < pos("第二篇"));
        // Paragraphs are separated by blank lines.
        let p = pos("一、总体要求");
        assert_eq!(l[p - 1], "");
        assert_eq!(l[p + 1], "");
        assert!(!t.contains('#') && !t.contains("> "));
    }

    #[test]
    fn text_of_no_articles_is_empty() {
        assert_eq!(render(text, &Document::new(None, None)), "");
    }

    #[test]
    fn json_forms() {
        let d = doc();
        let pretty = render(json, &d);
        assert!(pretty.ends_with("}\n") && pretty.lines().count() > 10);
        let back: Document = serde_json::from_str(&pretty).unwrap();
        assert_eq!(back, d);
        let line = render(jsonl, &d);
        assert_eq!(line.lines().count(), 1);
        assert!(line.ends_with('\n'));
        assert_eq!(serde_json::from_str::<Document>(&line).unwrap(), d);
    }

    #[test]
    fn findings_follow_their_article() {
        use baozhi_model::{FindingField, FindingKind};
        let mut d = doc();
        d.articles[0].findings = Some(vec![Finding {
            field: FindingField::Kicker,
            paragraph: None,
            start: 0,
            end: 2,
            original: "金誉".into(),
            suggestion: Some("金誊".into()),
            confidence: 0.5,
            kind: FindingKind::Glyph,
            evidence: "test".into(),
        }]);
        d.articles[1].findings = Some(vec![]);
        let want = "校对：金誉 → 金誊（置信度 0.50，glyph，引题）test";
        let md = render(markdown, &d);
        let l = lines(&md);
        let pos = |l: &[&str], s: &str| l.iter().position(|x| *x == s).unwrap();
        let at = pos(&l, &format!("> {want}"));
        assert!(
            pos(&l, "（下转02版）") < at && at < pos(&l, "## 第二篇"),
            "{md}"
        );
        assert_eq!(md.matches("校对").count(), 1, "{md}");
        let t = render(text, &d);
        let l = lines(&t);
        let at = pos(&l, want);
        assert!(
            pos(&l, "（下转02版）") < at && at < pos(&l, TEXT_RULE),
            "{t}"
        );
        assert_eq!(l[at + 1], "", "{t}");
        assert_eq!(t.matches("校对").count(), 1, "{t}");
    }

    #[test]
    fn bylines_without_role() {
        let b = [
            Byline {
                role: None,
                names: vec!["甲".into()],
            },
            Byline {
                role: Some(String::new()),
                names: vec!["乙".into()],
            },
        ];
        assert_eq!(byline_line(&b), "甲 乙");
    }

    #[test]
    fn control_characters_are_made_visible() {
        assert_eq!(terminal_safe("清屏\x1b[2J响铃\x07"), "清屏␛[2J响铃␇");
        assert_eq!(terminal_safe("a\u{9b}31mb\u{7f}c\rd"), "a\\x9b31mb␡c␍d");
        assert!(matches!(
            terminal_safe("行\n\t行"),
            Cow::Borrowed("行\n\t行")
        ));
        // U+00A0 and beyond are text.
        assert_eq!(terminal_safe("\u{a0}é"), "\u{a0}é");

        let mut d = doc();
        d.articles[0].title = "标题\x1b]0;pwned\x07".into();
        d.articles[0].paragraphs[0].text = "正文\x1b[2J\u{9b}1m完".into();
        d.pages[0].furniture[0].text = "通栏\x1b[31m".into();
        for out in [render(markdown, &d), render(text, &d)] {
            assert!(
                !out.contains(['\x1b', '\x07', '\u{9b}']),
                "raw control in {out:?}"
            );
            assert!(out.contains("标题␛]0;pwned␇"), "{out}");
            assert!(out.contains("正文␛[2J\\x9b1m完"), "{out}");
        }
        assert!(render(markdown, &d).contains("通栏␛[31m"));
        // JSON keeps the text as it is (serde escapes it).
        let json = render(json, &d);
        assert!(json.contains("\\u001b[2J") && !json.contains('\x1b'));
    }

    #[test]
    fn terminal_safe_writer_joins_split_characters() {
        let mut out = Vec::new();
        {
            let mut w = TerminalSafe::new(&mut out);
            let bytes = "甲\u{9b}乙\x1b".as_bytes();
            // Byte by byte: every character split across writes.
            for b in bytes {
                w.write_all(std::slice::from_ref(b)).unwrap();
            }
            w.flush().unwrap();
        }
        assert_eq!(String::from_utf8(out).unwrap(), "甲\\x9b乙␛");
    }
}
