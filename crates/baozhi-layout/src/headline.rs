//! Headline blocks: which line of a group of headline lines is the label,
//! the kicker (引题), the title (主题) and the subtitle (副题), including
//! headlines that extraction flattened onto one line.

use crate::cues;
use crate::lines::Piece;
use crate::tagger::Label;
use baozhi_text::{is_space, visible_len};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelKind {
    Column,
    Series,
    Banner,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Headline {
    /// Labels above or below the headline, in page order.
    pub labels: Vec<(Piece, LabelKind)>,
    /// How many of `labels` stood before the title.
    pub labels_before: usize,
    pub kicker: Vec<Piece>,
    pub title: Vec<Piece>,
    pub subtitle: Vec<Piece>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Series,
    Dotted,
    DashKicker,
    Subtitle,
    Plain,
    /// Already placed (a banner).
    Consumed,
}

/// Verbs of reporting that end a kicker (`习近平……作出重要指示强调`).
const REPORTING: &[&str] = &[
    "强调",
    "指出",
    "表示",
    "要求",
    "提出",
    "宣布",
    "发表讲话",
    "讲话",
    "致信",
    "致电",
    "回信",
    "主持",
    "会见",
    "称",
];

/// Words that end a subtitle naming the article's genre.
const SUBTITLE_GENRES: &[&str] = &[
    "答记者问",
    "综述",
    "述评",
    "侧记",
    "纪实",
    "调查",
    "访谈",
    "巡礼",
    "观察",
    "见闻",
    "记事",
    "特写",
    "一线探访",
    "访谈录",
];

fn tag(p: &Piece, seen_title_like: bool) -> Tag {
    let t = p.text.as_str();
    if cues::is_series_label(t) {
        Tag::Series
    } else if cues::is_dotted_label(t) {
        Tag::Dotted
    } else if t.ends_with("——") || t.ends_with("—") {
        Tag::DashKicker
    } else if seen_title_like && (t.starts_with('—') || is_parenthesized(t)) {
        Tag::Subtitle
    } else {
        Tag::Plain
    }
}

fn is_parenthesized(t: &str) -> bool {
    (t.starts_with('(') || t.starts_with('（')) && (t.ends_with(')') || t.ends_with('）'))
}

/// Parse a group of headline lines (in page order) into its parts.
pub fn parse(lines: &[Piece]) -> Headline {
    let mut h = Headline::default();
    if lines.is_empty() {
        return h;
    }
    let mut tags = Vec::with_capacity(lines.len());
    let mut seen = false;
    for p in lines {
        let t = tag(p, seen);
        if matches!(t, Tag::Plain | Tag::DashKicker) {
            seen = true;
        }
        tags.push(t);
    }
    // A plain line stacked directly above a label is itself a label: kickers
    // sit on the title, labels stack with labels.
    for i in (0..lines.len().saturating_sub(1)).rev() {
        if tags[i] == Tag::Plain
            && matches!(tags[i + 1], Tag::Series | Tag::Dotted)
            && visible_len(&lines[i].text) <= 12
        {
            tags[i] = Tag::Dotted;
        }
    }
    // Short plain lines beside a much longer one are column labels (人民时评, 观象台).
    let longest = lines
        .iter()
        .zip(&tags)
        .filter(|(_, t)| **t == Tag::Plain)
        .map(|(p, _)| visible_len(&p.text))
        .max()
        .unwrap_or(0);
    let plain_count = tags.iter().filter(|t| **t == Tag::Plain).count();
    if plain_count >= 2 {
        for (p, t) in lines.iter().zip(tags.iter_mut()) {
            let n = visible_len(&p.text);
            if *t == Tag::Plain && n <= 8 && n * 2 <= longest {
                *t = Tag::Dotted;
            }
        }
    }
    let dash = tags.iter().position(|t| *t == Tag::DashKicker);
    let plains: Vec<usize> = (0..lines.len())
        .filter(|&i| tags[i] == Tag::Plain)
        .collect();
    let title_idx: Option<usize>;
    match dash {
        Some(d) => {
            h.kicker.push(strip_dash_end(&lines[d]));
            title_idx = plains.iter().copied().find(|&i| i > d);
            // plain lines above the kicker are banners or labels
            for &i in plains.iter().filter(|&&i| i < d) {
                if visible_len(&lines[i].text) >= 12 {
                    h.labels.push((lines[i].clone(), LabelKind::Banner));
                    tags[i] = Tag::Consumed;
                } else {
                    tags[i] = Tag::Dotted;
                }
            }
        }
        None => {
            title_idx = plains.last().copied();
            if plains.len() >= 2 {
                let k = plains[plains.len() - 2];
                // a kicker is a phrase of its own; a short word above the title is a label
                let kicker_like = visible_len(&lines[k].text) > 6;
                if kicker_like {
                    h.kicker.push(lines[k].clone());
                } else {
                    h.labels.push((lines[k].clone(), LabelKind::Column));
                    h.labels_before += 1;
                }
                for &i in &plains[..plains.len() - 2] {
                    let kind = if visible_len(&lines[i].text) >= 12 {
                        LabelKind::Banner
                    } else {
                        LabelKind::Column
                    };
                    h.labels.push((lines[i].clone(), kind));
                    h.labels_before += 1;
                }
            }
        }
    }
    let mut before = true;
    for (i, p) in lines.iter().enumerate() {
        if Some(i) == title_idx {
            before = false;
            h.title.push(p.clone());
            continue;
        }
        match tags[i] {
            Tag::Series => {
                h.labels.push((p.clone(), LabelKind::Series));
                if before {
                    h.labels_before += 1;
                }
            }
            Tag::Dotted => {
                h.labels.push((p.clone(), LabelKind::Column));
                if before {
                    h.labels_before += 1;
                }
            }
            Tag::Subtitle if !before => h.subtitle.push(strip_dash_start(p)),
            Tag::Subtitle => h.title.push(p.clone()),
            Tag::Plain if title_idx.is_none() => h.title.push(p.clone()),
            _ => {}
        }
    }
    if h.title.is_empty() {
        // only labels: the last label stands for the title (a boxed column such as 来论)
        if let Some((p, _)) = h.labels.pop() {
            h.title.push(p);
            h.labels_before = h.labels_before.min(h.labels.len());
        } else if let Some(k) = h.kicker.pop() {
            h.title.push(k);
        }
    }
    if h.kicker.is_empty() && h.subtitle.is_empty() && h.title.len() == 1 {
        split_flattened(&mut h);
    }
    h
}

/// A headline group whose lines the line model has labelled: each line
/// goes to the part its label names, lines of one part in page order. The
/// dash that joins a kicker to its title and the one that opens a subtitle
/// are printed punctuation, not words, and are left out of the fields (they
/// stay in the article's spans).
pub fn from_labels(lines: &[Piece], labels: &[Label]) -> Headline {
    let mut h = Headline::default();
    let mut before = true;
    for (p, l) in lines.iter().zip(labels) {
        match l {
            Label::Column => {
                let kind = if cues::is_series_label(&p.text) {
                    LabelKind::Series
                } else {
                    LabelKind::Column
                };
                h.labels.push((p.clone(), kind));
                if before {
                    h.labels_before += 1;
                }
            }
            Label::Kicker => h.kicker.push(p.clone()),
            Label::Subtitle => h.subtitle.push(p.clone()),
            _ => {
                before = false;
                h.title.push(p.clone());
            }
        }
    }
    if h.title.is_empty() {
        // a headline has a title: the part nearest to where it would stand
        if !h.kicker.is_empty() {
            h.title = std::mem::take(&mut h.kicker);
        } else if !h.subtitle.is_empty() {
            h.title = std::mem::take(&mut h.subtitle);
        } else if let Some((p, _)) = h.labels.pop() {
            h.title.push(p);
            h.labels_before = h.labels_before.min(h.labels.len());
        }
    }
    if let Some(k) = h.kicker.last_mut() {
        *k = strip_dash_end(k);
    }
    if let Some(s) = h.subtitle.first_mut() {
        *s = strip_dash_start(s);
    }
    h
}

fn strip_dash_end(p: &Piece) -> Piece {
    let t = p.text.trim_end_matches(['—', '-', '－']);
    p.slice(0..t.len()).unwrap_or_else(|| p.clone())
}

fn strip_dash_start(p: &Piece) -> Piece {
    let t = p.text.trim_start_matches(['—', '-', '－']);
    p.slice(p.text.len() - t.len()..p.text.len())
        .unwrap_or_else(|| p.clone())
}

/// A headline flattened onto one line: `引题 主题 副题` parts separated by spaces.
fn split_flattened(h: &mut Headline) {
    let p = h.title[0].clone();
    // `引题——主题` or `主题——副题` on one line: the dash joins two parts
    if let Some(at) = p
        .text
        .find("——")
        .filter(|&at| at > 0 && at + "——".len() < p.text.len())
    {
        let left = p.slice(0..at);
        let right = p.slice(at..p.text.len()).map(|r| strip_dash_start(&r));
        if let (Some(left), Some(right)) = (left, right) {
            // a subtitle names its genre (答记者问, 综述, 侧记 …); otherwise the
            // part before the dash is the kicker, as the dash ends a kicker
            if SUBTITLE_GENRES.iter().any(|g| right.text.ends_with(g)) {
                h.title = vec![left];
                h.subtitle = vec![right];
            } else {
                h.kicker = vec![left];
                h.title = vec![right];
            }
            return;
        }
    }
    let parts = space_parts(&p.text);
    if parts.len() < 2 {
        return;
    }
    let mut rest = &parts[..];
    // the kicker ends with a verb of reporting
    let first = &p.text[parts[0].clone()];
    if parts.len() >= 2 && REPORTING.iter().any(|v| first.ends_with(v)) && visible_len(first) >= 8 {
        if let Some(k) = p.slice(parts[0].clone()) {
            h.kicker.push(k);
        }
        rest = &parts[1..];
    }
    // a short balanced pair after a longer title is the subtitle
    if rest.len() >= 3 {
        let lens: Vec<usize> = rest
            .iter()
            .map(|r| visible_len(&p.text[r.clone()]))
            .collect();
        let (a, b) = (lens[lens.len() - 2], lens[lens.len() - 1]);
        if a <= 10 && b <= 10 && a.abs_diff(b) <= 2 && lens[0] > a.max(b) {
            let title = rest[0].start..rest[rest.len() - 3].end;
            let sub = rest[rest.len() - 2].start..rest[rest.len() - 1].end;
            h.title = p.slice(title).into_iter().collect();
            h.subtitle = p.slice(sub).into_iter().collect();
            return;
        }
    }
    if rest.len() != parts.len() {
        let title = rest[0].start..rest[rest.len() - 1].end;
        h.title = p.slice(title).into_iter().collect();
    }
}

/// Byte ranges of the parts of a line separated by white space.
fn space_parts(t: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in t.char_indices() {
        if is_space(c) {
            if let Some(s) = start.take() {
                out.push(s..i);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(s..t.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(lines: &[&str]) -> Vec<Piece> {
        let mut at = 0;
        lines
            .iter()
            .map(|l| {
                let n = l.chars().count();
                let p = Piece {
                    text: l.to_string(),
                    start: at,
                    end: at + n,
                };
                at += n + 1;
                p
            })
            .collect()
    }

    fn texts(v: &[Piece]) -> Vec<&str> {
        v.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn labelled_lines_go_to_their_fields_and_lines_of_a_field_join() {
        let lines = pieces(&[
            "经济聚焦",
            "落实重大政策措施成效明显——",
            "二百一十三",
            "个地方获督查激励",
            "——国务院办公厅通报",
        ]);
        let labels = [
            Label::Column,
            Label::Kicker,
            Label::Title,
            Label::Title,
            Label::Subtitle,
        ];
        let h = from_labels(&lines, &labels);
        assert_eq!(h.labels.len(), 1);
        assert_eq!(h.labels[0].0.text, "经济聚焦");
        assert_eq!((h.labels[0].1, h.labels_before), (LabelKind::Column, 1));
        assert_eq!(texts(&h.kicker), ["落实重大政策措施成效明显"]);
        assert_eq!(texts(&h.title), ["二百一十三", "个地方获督查激励"]);
        assert_eq!(texts(&h.subtitle), ["国务院办公厅通报"]);
        // the dashes stay on the page: the field is a slice of its line
        assert_eq!(h.kicker[0].start, lines[1].start);
        assert!(h.subtitle[0].start > lines[4].start);
    }

    #[test]
    fn a_labelled_group_without_a_title_takes_the_nearest_part() {
        let lines = pieces(&["人民论坛", "读懂中国的一把钥匙"]);
        let h = from_labels(&lines, &[Label::Column, Label::Kicker]);
        assert_eq!(texts(&h.title), ["读懂中国的一把钥匙"]);
        assert!(h.kicker.is_empty());
        let h = from_labels(&lines[..1], &[Label::Column]);
        assert_eq!(texts(&h.title), ["人民论坛"]);
        assert!(h.labels.is_empty());
    }

    #[test]
    fn kicker_with_dash_title_and_banner_above() {
        let h = parse(&pieces(&[
            "坚定信心 实干争先谱新篇章",
            "某公司出口业绩实现翻番——",
            "做绿色制造先行者",
        ]));
        assert_eq!(texts(&h.kicker), ["某公司出口业绩实现翻番"]);
        assert_eq!(texts(&h.title), ["做绿色制造先行者"]);
        assert_eq!(h.labels[0].1, LabelKind::Banner);
    }

    #[test]
    fn labels_stack_and_short_labels_beside_titles() {
        let h = parse(&pieces(&[
            "基层治理观察",
            "奋进新征程 建功新时代系列评论③",
            "守护一方安宁",
        ]));
        assert_eq!(texts(&h.title), ["守护一方安宁"]);
        assert!(h.kicker.is_empty());
        assert_eq!(h.labels.len(), 2);
        let h = parse(&pieces(&["城市更新也要关注老街巷", "时评"]));
        assert_eq!(texts(&h.title), ["城市更新也要关注老街巷"]);
        assert_eq!(h.labels[0].0.text, "时评");
        assert_eq!(h.labels_before, 0);
    }

    #[test]
    fn subtitle_by_dash_or_parentheses() {
        let h = parse(&pieces(&["关于推进某项改革的意见", "(2023年5月6日)"]));
        assert_eq!(texts(&h.subtitle), ["(2023年5月6日)"]);
        let h = parse(&pieces(&["分步推进乡村建设", "——有关负责人答记者问"]));
        assert_eq!(texts(&h.subtitle), ["有关负责人答记者问"]);
    }

    #[test]
    fn flattened_headlines_are_split() {
        let h = parse(&pieces(&["李明在全省工作会议上强调 稳住基本盘 打好主动仗"]));
        assert_eq!(texts(&h.kicker), ["李明在全省工作会议上强调"]);
        assert_eq!(texts(&h.title), ["稳住基本盘 打好主动仗"]);
        let h = parse(&pieces(&[
            "某银行普惠贷款余额突破五十亿元 创新服务模式 助力乡村振兴",
        ]));
        assert_eq!(texts(&h.title), ["某银行普惠贷款余额突破五十亿元"]);
        assert_eq!(texts(&h.subtitle), ["创新服务模式 助力乡村振兴"]);
        let h = parse(&pieces(&["某公司出口业绩实现翻番——做绿色制造先行者"]));
        assert_eq!(
            (texts(&h.kicker), texts(&h.title)),
            (vec!["某公司出口业绩实现翻番"], vec!["做绿色制造先行者"])
        );
        let h = parse(&pieces(&["分步推进乡村建设——有关负责人答记者问"]));
        assert_eq!(
            (texts(&h.title), texts(&h.subtitle)),
            (vec!["分步推进乡村建设"], vec!["有关负责人答记者问"])
        );
        let h = parse(&pieces(&["设施更“懂人”  城市更文明"]));
        assert_eq!(texts(&h.title), ["设施更“懂人”  城市更文明"]);
        assert!(h.kicker.is_empty() && h.subtitle.is_empty());
    }
}
