//! Stage 4: reading the page in order. Headline groups either open a new
//! article or are headings inside the current one (decided by a boundary
//! score); body fragments are joined into paragraphs by the seam model;
//! captions, marks, jumps, labels and bylines go to the article they belong to.

use crate::cues::{self, JumpDir};
use crate::headline::{self, Headline, LabelKind};
use crate::lines::Piece;
use crate::roles::Role;
use crate::seam;
use crate::seam::SeamHint;
use crate::tagger::Label;
use crate::units::{Cue, PageShape, Unit};
use baozhi_model::{
    Article, Byline, Caption, Furniture, FurnitureKind, LineGeometry, Paragraph, ParagraphKind,
    Span,
};
use baozhi_text::{ends_sentence, visible_len};

/// A paragraph being built from fragments.
#[derive(Debug, Clone)]
struct Para {
    kind: ParagraphKind,
    pieces: Vec<Piece>,
    /// Whether more fragments may still join it.
    open: bool,
}

impl Para {
    fn text(&self) -> String {
        let mut s = String::new();
        for p in &self.pieces {
            if s.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
                && p.text.starts_with(|c: char| c.is_ascii_alphanumeric())
            {
                s.push(' ');
            }
            s.push_str(&p.text);
        }
        s
    }
}

#[derive(Debug, Default)]
struct Builder {
    head: Headline,
    bylines: Vec<Byline>,
    column: Option<Piece>,
    series: Option<Piece>,
    paras: Vec<Para>,
    captions: Vec<(Piece, Option<Piece>)>,
    continues_to: Option<String>,
    continued_from: Option<String>,
    marks: Vec<Piece>,
    spans: Vec<Span>,
    /// Ended by a mark, a jump or an author's note.
    closed: bool,
    /// The unit that gave the last body fragment (for the page-shape hint).
    last_unit: Option<usize>,
    /// A composite report (核心阅读 …): sub-reports with their own heads follow.
    composite: bool,
}

/// Whether a paragraph's text so far stops on an enumeration comma, where
/// no paragraph ends: none of the corpus's 116,017 paragraphs does. (A `，`
/// ends 210 of them, lines of verse each a paragraph, so it does not count;
/// nor do `；`, which ends list items, and `：`, the lead-in to a list.)
fn ends_mid_clause(text: &str) -> bool {
    text.trim_end().ends_with('、')
}

/// Whether a text's last char is a sentence-final mark or a closing quote
/// or bracket: a caption or paragraph that stops there is whole.
fn ends_on_mark(text: &str) -> bool {
    text.trim_end()
        .ends_with(|ch: char| baozhi_text::is_sentence_final(ch) || baozhi_text::is_closing(ch))
}

impl Builder {
    fn take(&mut self, p: &Piece) {
        self.spans.push([p.start, p.end]);
    }

    fn last_open_para(&mut self) -> Option<&mut Para> {
        self.paras.last_mut().filter(|p| p.open)
    }

    /// Whether a continuation after the last caption belongs to the
    /// paragraph the caption interrupted rather than to the caption: the
    /// caption's text ends a sentence and the paragraph before it does not
    /// (a column cut mid-sentence with a picture set into the gap).
    fn caption_closed_before_open_para(&self) -> bool {
        self.captions
            .last()
            .is_some_and(|(c, _)| ends_on_mark(&c.text))
            && self
                .paras
                .last()
                .filter(|p| p.open)
                .is_some_and(|p| !p.pieces.last().is_some_and(|q| ends_on_mark(&q.text)))
    }

    /// A body fragment. It joins the open paragraph when the line model read
    /// it as a continuation (`join`), or, without the line model, when the
    /// seam rules say so.
    fn push_body(&mut self, p: &Piece, role: Role, join: Option<bool>, hint: SeamHint) {
        self.take(p);
        if role == Role::Body && !cues::is_author_note(&p.text) {
            if let Some(last) = self.last_open_para() {
                // A paragraph is never printed ending on an enumeration
                // comma: the model's `para` there is a cut (a column end
                // or a picture between the halves).
                let cut = join == Some(false) && ends_mid_clause(&last.text());
                let joins = cut
                    || join.unwrap_or_else(|| {
                        // The seam looks at the end of the paragraph so far; its
                        // last fragment is enough unless that is only a few chars.
                        let tail = last.pieces.last().map(|q| q.text.as_str()).unwrap_or("");
                        if tail.len() >= 24 {
                            seam::joins_hinted(tail, &p.text, hint)
                        } else {
                            seam::joins_hinted(&last.text(), &p.text, hint)
                        }
                    });
                if joins {
                    last.pieces.push(p.clone());
                    return;
                }
            }
        }
        let open = role == Role::Body && !cues::is_author_note(&p.text);
        self.paras.push(Para {
            kind: ParagraphKind::Text,
            pieces: vec![p.clone()],
            open,
        });
        if cues::is_author_note(&p.text) {
            self.closed = true;
        }
    }

    fn push_heading(&mut self, pieces: &[Piece]) {
        for p in pieces {
            self.take(p);
        }
        // Lines of one in-article head that the layout cut apart join again.
        let mut i = 0;
        while i < pieces.len() {
            let mut para = Para {
                kind: ParagraphKind::Heading,
                pieces: vec![pieces[i].clone()],
                open: false,
            };
            // Only a long head is cut by a column end; a short one (a place
            // label such as 浙江安吉) stands on its own line.
            while i + 1 < pieces.len()
                && !pieces[i].text.ends_with('—')
                && visible_len(&pieces[i].text) >= 10
                && seam::join_score(&para.text(), &pieces[i + 1].text) >= 1.5
            {
                i += 1;
                para.pieces.push(pieces[i].clone());
            }
            self.paras.push(para);
            i += 1;
        }
    }
}

pub struct Assembled {
    pub articles: Vec<Article>,
    pub furniture: Vec<Furniture>,
    pub page: Option<String>,
}

/// Evidence that a headline group opens a new article rather than heading a
/// section of the current one.
fn boundary_score(
    group: &[Piece],
    head: &Headline,
    has_byline: bool,
    dateline_next: bool,
    cur: &Builder,
) -> f32 {
    let mut s = 0.5;
    if dateline_next {
        s += 5.0;
    }
    if has_byline {
        s += 2.5;
    }
    if !head.labels.is_empty() {
        s += 2.0;
    }
    if group.len() >= 2 {
        s += 1.0;
    }
    if cur.closed {
        s += 3.0;
    }
    // Section heads inside an article read as two clauses (`X，Y`); titles
    // that do so come with a label, a byline or a dateline.
    let plain = head.labels.is_empty() && !has_byline && !dateline_next;
    if plain && group.iter().any(|p| p.text.contains(['，', ','])) {
        s -= 1.5;
    }
    if group
        .first()
        .is_some_and(|p| p.text.ends_with('—') && visible_len(&p.text) <= 6)
    {
        s -= 1.0;
    }
    // Inside a composite report, sub-reports carry their own place label,
    // title and byline; only a dateline or a closed report starts anew.
    if cur.composite && !cur.closed && !dateline_next {
        s -= 6.0;
    }
    if cur.last_para_open() {
        s -= 3.0;
    }
    // A bullet (■ ◆ ●) marks a section head inside an article.
    if group
        .first()
        .is_some_and(|p| p.text.starts_with(['■', '◆', '●', '▲', '★', '◇', '□', '○']))
        && !dateline_next
    {
        s -= 3.0;
    }
    // A lone question in the body is rhetorical, not a headline.
    if plain && group.len() == 1 && group[0].text.ends_with(['？', '?']) {
        s -= 1.0;
    }
    s
}

const PULL_QUOTE_WINDOW: usize = 120;

/// Pull quotes: a lead or quote set in large type that repeats a passage of
/// the article. The copy stands alone, so it never joins the text after it.
fn pull_quotes(units: &[Unit]) -> Vec<bool> {
    let texts: Vec<&str> = units
        .iter()
        .map(|u| u.text.as_ref().map_or("", |t| t.text.as_str()))
        .collect();
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if t.len() < 48 || ends_sentence(t) || visible_len(t) < 16 {
                return false;
            }
            // every article of a day's page opens with the same dateline
            // (本报北京10月22日电): a shared opening is no repeated passage
            if cues::dateline_at_start(t).is_some() {
                return false;
            }
            let head: String = t.chars().take(14).collect();
            // The repeated passage is in the same article: look nearby only,
            // which also keeps a huge input linear.
            let lo = i.saturating_sub(PULL_QUOTE_WINDOW);
            let hi = (i + PULL_QUOTE_WINDOW).min(texts.len());
            let finder = memchr::memmem::Finder::new(head.as_bytes());
            (lo..hi).any(|j| {
                j != i && texts[j].len() >= head.len() && finder.find(texts[j].as_bytes()).is_some()
            })
        })
        .collect()
}

impl Builder {
    fn last_para_open(&self) -> bool {
        self.paras
            .last()
            .is_some_and(|p| p.open && !ends_sentence(&p.text()))
    }
}

/// Read the page in order. With `labels` (the line model's) the labels
/// decide joins, captions and new articles; without, the rules do.
pub fn assemble(
    units: &[Unit],
    roles: &[Role],
    shape: &PageShape,
    labels: Option<&[Label]>,
    geometry: Option<&[LineGeometry]>,
    page_hint: Option<String>,
) -> Assembled {
    let mut furniture: Vec<Furniture> = Vec::new();
    let mut page = page_hint;
    let mut done: Vec<Builder> = Vec::new();
    let mut cur: Option<Builder> = None;
    // captions, marks and labels met before any article
    let mut pending: Builder = Builder::default();
    let n = units.len();
    // With the line model its labels say what continues what: a sentence
    // an article repeats (its lead said again further on) is no reason to
    // cut the paragraph the model reads as one.
    let quotes = match labels {
        Some(_) => vec![false; units.len()],
        None => pull_quotes(units),
    };
    // which units are a caption's text (its first line or one continuing it)
    let mut in_caption = vec![false; n];
    let mut i = 0;
    while i < n {
        let u = &units[i];
        match (&u.cue, roles[i]) {
            (Cue::PageCredit, _) => {
                furniture.push(line_furniture(u, FurnitureKind::Other));
                i += 1;
                continue;
            }
            (Cue::Header { page: p }, _) => {
                if page.is_none() {
                    page.clone_from(p);
                }
                furniture.push(line_furniture(u, FurnitureKind::PageHeader));
                i += 1;
                continue;
            }
            (Cue::Text, Role::Furniture) => {
                furniture.push(line_furniture(u, FurnitureKind::PageHeader));
                i += 1;
                continue;
            }
            (Cue::Text, Role::Head) => {
                // the whole headline group and the bylines under it
                let mut group: Vec<Piece> = Vec::new();
                let mut group_labels: Vec<Label> = Vec::new();
                let mut j = i;
                while j < n && units[j].cue == Cue::Text && roles[j] == Role::Head {
                    if let Some(t) = &units[j].text {
                        group.push(t.clone());
                        group_labels.extend(labels.map(|l| l[j]));
                    }
                    j += 1;
                }
                // A head signed by a reader (`地点  姓名` below it) is a letter
                // inside a letters box, not a new headline.
                let mut sub_head: Option<Piece> = None;
                if units
                    .get(j)
                    .and_then(|u| u.text.as_ref())
                    .is_some_and(|t| cues::is_attribution(&t.text))
                {
                    sub_head = group.pop();
                    group_labels.pop();
                }
                if group.is_empty() && cur.is_some() {
                    if let (Some(c), Some(h)) = (cur.as_mut(), sub_head) {
                        c.push_heading(std::slice::from_ref(&h));
                    }
                    i = j;
                    continue;
                }
                let mut bylines: Vec<Byline> = Vec::new();
                let mut by_pieces: Vec<Piece> = Vec::new();
                while j < n {
                    match (&units[j].cue, roles[j]) {
                        (Cue::Byline(b), _) => bylines.extend(b.iter().cloned()),
                        (Cue::Text, Role::NameByline) => bylines.extend(
                            units[j]
                                .text
                                .as_ref()
                                .and_then(|t| cues::labelled_byline(&t.text))
                                .into_iter()
                                .flatten(),
                        ),
                        _ => break,
                    }
                    by_pieces.extend(units[j].text.clone());
                    j += 1;
                }
                let dateline_next = units
                    .get(j)
                    .and_then(|u| u.text.as_ref())
                    .is_some_and(|t| cues::dateline_at_start(&t.text).is_some());
                let head = if labels.is_some() {
                    headline::from_labels(&group, &group_labels)
                } else {
                    headline::parse(&group)
                };
                // The line model tells a headline from an in-article heading
                // itself; the rules weigh the evidence around the group.
                let new_article = match &cur {
                    None => true,
                    Some(_) if labels.is_some() => true,
                    Some(c) => {
                        boundary_score(&group, &head, !bylines.is_empty(), dateline_next, c) > 0.0
                    }
                };
                if new_article {
                    let mut b = std::mem::take(&mut pending);
                    if let Some(mut prev) = cur.take() {
                        let over = geometry
                            .and_then(|g| captions_over_head(units, roles, &in_caption, i, g));
                        if let Some(first) = over {
                            move_captions_from(units[first].line.start, &mut prev, &mut b);
                        }
                        done.push(prev);
                    }
                    // Body text before the first headline is an article
                    // continued from an earlier page, not this one's start.
                    if !b.paras.is_empty() {
                        done.push(b);
                        b = Builder::default();
                    }
                    for p in group.iter().chain(&by_pieces) {
                        b.take(p);
                    }
                    b.bylines = bylines;
                    place_labels(&head, &mut b, done.last_mut(), &mut furniture);
                    b.head = head;
                    cur = Some(b);
                } else if let Some(c) = cur.as_mut() {
                    c.push_heading(&group);
                    for p in &by_pieces {
                        c.push_body(p, Role::Credit, None, SeamHint::default());
                    }
                }
                if let (Some(c), Some(h)) = (cur.as_mut(), sub_head) {
                    c.push_heading(std::slice::from_ref(&h));
                }
                for u in &units[i..j] {
                    collect_cues(u, cur.as_mut().unwrap_or(&mut pending));
                }
                i = j;
                continue;
            }
            _ => {}
        }
        let target = cur.as_mut().unwrap_or(&mut pending);
        match (&u.cue, roles[i]) {
            (Cue::Caption(c), _) => {
                target.take(&c.text);
                target.take(&c.credit);
                // the last line of a caption wrapped under the line above,
                // which stopped mid-sentence: it closes that caption with
                // its credit (extractors give a caption line by line)
                let wraps = i > 0
                    && in_caption[i - 1]
                    && matches!(target.captions.last(), Some((t, None)) if !ends_on_mark(&t.text));
                match target.captions.last_mut() {
                    Some((cap, credit @ None)) if wraps => {
                        cap.text.push_str(&c.text.text);
                        cap.end = c.text.end;
                        *credit = Some(c.credit.clone());
                    }
                    _ => target
                        .captions
                        .push((c.text.clone(), Some(c.credit.clone()))),
                }
                in_caption[i] = true;
            }
            (Cue::Byline(b), _) => {
                target.bylines.extend(b.iter().cloned());
                target.take(&u.line);
            }
            (Cue::Text, role) => {
                if let Some(t) = &u.text {
                    match role {
                        Role::InHeading => {
                            if cues::is_box_heading(&t.text) {
                                target.composite = true;
                            }
                            target.push_heading(std::slice::from_ref(t));
                        }
                        Role::NameByline => {
                            target
                                .bylines
                                .extend(cues::labelled_byline(&t.text).into_iter().flatten());
                            target.take(t);
                        }
                        Role::Caption => {
                            target.take(t);
                            target.captions.push((t.clone(), None));
                            in_caption[i] = true;
                        }
                        Role::Credit if labels.is_some() && !cues::is_attribution(&t.text) => {
                            target.take(t);
                            // the credit under a caption's text, or a picture's alone
                            let under = i > 0 && in_caption[i - 1];
                            match target.captions.last_mut() {
                                Some((_, c @ None)) if under => *c = Some(t.clone()),
                                // the credit's agency wrapped onto a line
                                // of its own (`……摄` over `（人民视觉）`)
                                Some((_, Some(c)))
                                    if under && cues::is_bracketed_agency(&t.text) =>
                                {
                                    c.text.push_str(&t.text);
                                    c.end = t.end;
                                }
                                _ => {
                                    let empty = Piece {
                                        text: String::new(),
                                        start: t.start,
                                        end: t.start,
                                    };
                                    target.captions.push((empty, Some(t.clone())));
                                }
                            }
                        }
                        // a caption's text wrapped onto the next line
                        // (line model only: the continuation of a caption)
                        Role::Body
                            if i > 0
                                && in_caption[i - 1]
                                && labels.is_some_and(|l| l[i] == Label::Cont)
                                && matches!(target.captions.last(), Some((_, None)))
                                && !target.caption_closed_before_open_para() =>
                        {
                            if let Some((cap, None)) = target.captions.last_mut() {
                                cap.text.push_str(&t.text);
                                cap.end = t.end;
                            }
                            target.take(t);
                            in_caption[i] = true;
                        }
                        r => {
                            let hint = target
                                .last_unit
                                .map(|k| shape.hint(&units[k], u))
                                .unwrap_or_default();
                            let join = labels.map(|l| l[i] == Label::Cont);
                            target.push_body(t, r, join, hint);
                            target.last_unit = Some(i);
                            if quotes[i] {
                                if let Some(last) = target.paras.last_mut() {
                                    last.open = false;
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        collect_cues(u, target);
        i += 1;
    }
    if let Some(c) = cur.take() {
        done.push(c);
    }
    // Matter before the first article that found no article: furniture.
    if !pending.spans.is_empty() {
        if let Some(first) = done.first_mut() {
            merge_front(first, pending);
        } else {
            done.insert(0, pending);
        }
    }
    // A headline with nothing under it (a masthead, a stray slogan) is page
    // furniture, not an article.
    let (done, bare): (Vec<Builder>, Vec<Builder>) = done.into_iter().partition(|b| {
        !b.paras.is_empty()
            || !b.captions.is_empty()
            || !b.bylines.is_empty()
            || b.continues_to.is_some()
    });
    let first_start = done
        .iter()
        .filter_map(|b| b.spans.iter().map(|s| s[0]).min())
        .min()
        .unwrap_or(usize::MAX);
    for b in bare {
        let parts: Vec<&Piece> = b
            .column
            .iter()
            .chain(&b.series)
            .chain(&b.head.kicker)
            .chain(&b.head.title)
            .chain(&b.head.subtitle)
            .collect();
        let text = parts
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let spans = merge_spans(b.spans);
        let kind = if spans.first().is_some_and(|s| s[0] < first_start) {
            FurnitureKind::PageHeader
        } else {
            FurnitureKind::Label
        };
        furniture.push(Furniture { kind, text, spans });
    }
    let page_id = page.clone();
    let articles = done
        .into_iter()
        .enumerate()
        .map(|(k, b)| finish(b, k + 1, page_id.as_deref()))
        .collect();
    Assembled {
        articles,
        furniture,
        page,
    }
}

/// A whole input line as page furniture.
fn line_furniture(u: &Unit, kind: FurnitureKind) -> Furniture {
    Furniture {
        kind,
        text: u.line.text.clone(),
        spans: vec![[u.line.start, u.line.end]],
    }
}

/// Marks and jumps carried on a unit go to the article it belongs to.
fn collect_cues(u: &Unit, target: &mut Builder) {
    for m in &u.marks {
        target.take(m);
        target.marks.push(m.clone());
        target.closed = true;
    }
    for j in &u.jumps {
        target.take(&j.piece);
        match j.dir {
            JumpDir::To => {
                target.continues_to = j
                    .page
                    .clone()
                    .or(Some(String::new()))
                    .filter(|s| !s.is_empty());
                target.closed = true;
            }
            JumpDir::From => target.continued_from = j.page.clone(),
        }
    }
}

/// Labels of a new headline: series and column to the article, banners to
/// the page. When two labels stack above a headline, the upper one closes
/// the previous article (labels are often set at an article's foot).
fn place_labels(
    head: &Headline,
    b: &mut Builder,
    mut prev: Option<&mut Builder>,
    furniture: &mut Vec<Furniture>,
) {
    for (k, (p, kind)) in head.labels.iter().enumerate() {
        match kind {
            LabelKind::Banner => {
                b.spans.retain(|s| *s != [p.start, p.end]);
                furniture.push(Furniture {
                    kind: FurnitureKind::Banner,
                    text: p.text.clone(),
                    spans: vec![[p.start, p.end]],
                });
            }
            LabelKind::Series if b.series.is_none() => b.series = Some(p.clone()),
            LabelKind::Column => {
                let stacked = k == 0 && head.labels_before >= 2;
                match prev.as_deref_mut() {
                    Some(pv) if stacked && pv.column.is_none() => {
                        b.spans.retain(|s| *s != [p.start, p.end]);
                        pv.take(p);
                        pv.column = Some(p.clone());
                    }
                    _ if b.column.is_none() => b.column = Some(p.clone()),
                    _ => furniture.push(Furniture {
                        kind: FurnitureKind::Label,
                        text: p.text.clone(),
                        spans: vec![[p.start, p.end]],
                    }),
                }
            }
            _ => furniture.push(Furniture {
                kind: FurnitureKind::Label,
                text: p.text.clone(),
                spans: vec![[p.start, p.end]],
            }),
        }
    }
}

/// How far above a headline a caption may end and still be the caption of
/// that headline's lead picture, in lines of the caption's type: a picture
/// set over a head leaves about a line of white between its caption and
/// the kicker or title, while text read before a head in another place of
/// the page lies far from it.
const LEAD_CAPTION_GAP_LINES: f32 = 2.5;

/// The share of the narrower of a caption and a headline that must lie in
/// the other's columns: a lead picture spans the columns of its article.
const LEAD_CAPTION_OVERLAP: f32 = 0.5;

/// The first unit of the caption (text lines and credit) read just before
/// the headline at `head`, when the page's geometry sets it right above
/// that headline and across its columns: the article's lead picture, which
/// papers print over the head (on front pages and picture stories). Such a
/// caption belongs to the article below it, not to the one read before it.
fn captions_over_head(
    units: &[Unit],
    roles: &[Role],
    in_caption: &[bool],
    head: usize,
    geometry: &[LineGeometry],
) -> Option<usize> {
    let is_caption = |k: usize| {
        in_caption[k] || matches!(units[k].cue, Cue::Caption(_)) || roles[k] == Role::Credit
    };
    let mut first = head;
    while first > 0 && is_caption(first - 1) {
        first -= 1;
    }
    if first == head {
        return None;
    }
    let boxes: Vec<&LineGeometry> = (first..head)
        .map(|k| geometry.get(units[k].number))
        .collect::<Option<_>>()?;
    let head_box = geometry.get(units[head].number)?;
    let last = boxes.last()?;
    let line = (last.bottom - last.top).max(f32::EPSILON);
    let gap = head_box.top - last.bottom;
    if !(-0.5 * line..=LEAD_CAPTION_GAP_LINES * line).contains(&gap) {
        return None;
    }
    let x0 = boxes.iter().map(|b| b.x0).fold(f32::INFINITY, f32::min);
    let x1 = boxes.iter().map(|b| b.x1).fold(f32::NEG_INFINITY, f32::max);
    let overlap = x1.min(head_box.x1) - x0.max(head_box.x0);
    let narrower = (x1 - x0).min(head_box.x1 - head_box.x0);
    (narrower > 0.0 && overlap >= LEAD_CAPTION_OVERLAP * narrower).then_some(first)
}

/// Moves the captions of `from` that start at or after `start` (the last
/// ones it took) to the front of `to`, with their spans.
fn move_captions_from(start: usize, from: &mut Builder, to: &mut Builder) {
    let at = from
        .captions
        .iter()
        .position(|(t, c)| t.start.max(c.as_ref().map_or(t.start, |c| c.start)) >= start)
        .unwrap_or(from.captions.len());
    let moved: Vec<(Piece, Option<Piece>)> = from.captions.drain(at..).collect();
    for (t, c) in &moved {
        for p in std::iter::once(t).chain(c) {
            if let Some(k) = from.spans.iter().position(|s| *s == [p.start, p.end]) {
                to.spans.push(from.spans.remove(k));
            }
        }
    }
    to.captions.splice(0..0, moved);
}

fn merge_front(first: &mut Builder, pending: Builder) {
    let mut paras = pending.paras;
    paras.append(&mut first.paras);
    first.paras = paras;
    first.captions.splice(0..0, pending.captions);
    first.marks.splice(0..0, pending.marks);
    first.spans.splice(0..0, pending.spans);
    first.bylines.splice(0..0, pending.bylines);
    if first.continues_to.is_none() {
        first.continues_to = pending.continues_to;
    }
    if first.continued_from.is_none() {
        first.continued_from = pending.continued_from;
    }
}

fn join_pieces(ps: &[Piece], sep: &str) -> Option<String> {
    if ps.is_empty() {
        None
    } else {
        Some(
            ps.iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join(sep),
        )
    }
}

fn finish(mut b: Builder, n: usize, page: Option<&str>) -> Article {
    let id = match page {
        Some(p) => format!("{p}-{n}"),
        None => format!("a{n}"),
    };
    let title = join_pieces(&b.head.title, "").unwrap_or_default();
    let mut a = Article::new(id, page.map(str::to_string), title);
    a.kicker = join_pieces(&b.head.kicker, "");
    a.subtitle = join_pieces(&b.head.subtitle, "");
    // A dated note under the headline (`（2024年10月12日）`) is its
    // subtitle: papers never open a text with one (the corpus sets 54 as a
    // subtitle, none as a first paragraph)
    if a.subtitle.is_none() && !b.head.title.is_empty() {
        let dated = b
            .paras
            .first()
            .filter(|p| p.kind == ParagraphKind::Text)
            .map(|p| p.text())
            .filter(|t| cues::is_dated_note(t));
        if dated.is_some() {
            b.paras.remove(0);
            a.subtitle = dated.map(|t| t.trim().to_string());
        }
    }
    a.column = b.column.map(|p| p.text);
    a.series = b.series.map(|p| p.text);
    a.bylines = b.bylines;
    a.paragraphs = b
        .paras
        .iter()
        .map(|p| Paragraph {
            kind: p.kind,
            text: p.text(),
        })
        .collect();
    // The dateline opens the first paragraph (read once the paragraph is
    // whole, since a column end may cut it); 本报讯(记者X) also gives a byline.
    if let Some(first) = a
        .paragraphs
        .first()
        .filter(|p| p.kind == ParagraphKind::Text)
    {
        if let Some((n, by)) = cues::dateline_at_start(&first.text) {
            a.dateline = Some(first.text[..n].trim_end().to_string());
            if a.bylines.is_empty() {
                a.bylines = by;
            }
        }
    }
    a.captions = b
        .captions
        .into_iter()
        .map(|(t, c)| Caption {
            text: t.text,
            credit: c.map(|c| c.text),
        })
        .collect();
    a.continues_to = b.continues_to;
    a.continued_from = b.continued_from;
    a.marks = b.marks.into_iter().map(|p| p.text).collect();
    a.spans = merge_spans(b.spans);
    a
}

/// Sorted, with touching or overlapping ranges merged.
fn merge_spans(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_unstable();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(l) if s[0] <= l[1] => l[1] = l[1].max(s[1]),
            _ => out.push(s),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{lines, roles, units};

    /// The articles `labels` (one per non-blank line) make of `text`.
    fn with_labels(text: &str, labels: &[Label]) -> Vec<Article> {
        let us = units::units(lines::split_lines(text));
        assert_eq!(us.len(), labels.len(), "one label per line");
        let shape = PageShape::of(&us);
        let rs = roles::from_labels(&us, labels);
        assemble(&us, &rs, &shape, Some(labels), None, None).articles
    }

    #[test]
    fn a_caption_wrapped_over_lines_is_one_caption_with_its_credit() {
        let text = "河道清淤工程完工\n\
                    本报讯 全长十二公里的河道清淤工程日前完工，\n\
                    沿岸居民出行更方便了。\n\
                    图为工人在清理河道，\n\
                    确保汛期行洪安全。\n\
                    李明摄\n\
                    下一步，当地将继续推进河道治理。\n";
        let labels = [
            Label::Title,
            Label::Para,
            Label::Cont,
            Label::Caption,
            Label::Cont,
            Label::Credit,
            Label::Para,
        ];
        let a = with_labels(text, &labels);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].captions.len(), 1, "{:?}", a[0].captions);
        assert_eq!(
            a[0].captions[0].text,
            "图为工人在清理河道，确保汛期行洪安全。"
        );
        assert_eq!(a[0].captions[0].credit.as_deref(), Some("李明摄"));
        let paras = paragraphs(&a[0]);
        assert_eq!(paras.len(), 2, "{paras:?}");
        assert!(paras[0].ends_with("出行更方便了。"), "{paras:?}");
        assert!(paras[1].starts_with("下一步"), "{paras:?}");
    }

    #[test]
    fn a_continuation_after_a_credited_caption_goes_back_to_the_text() {
        let text = "河道清淤工程完工\n\
                    本报讯 全长十二公里的河道清淤工程日前完工，\n\
                    图为工人在清理河道。  本报记者  李明摄\n\
                    沿岸居民出行更方便了。\n";
        // the caption carries its credit: the next line continues the
        // paragraph the picture interrupted
        let labels = [Label::Title, Label::Para, Label::Caption, Label::Cont];
        let a = with_labels(text, &labels);
        assert_eq!(a[0].captions.len(), 1);
        assert!(
            a[0].paragraphs[0].text.ends_with("出行更方便了。"),
            "{:?}",
            a
        );
    }
    #[test]
    fn a_continuation_after_a_finished_caption_goes_back_to_the_cut_paragraph() {
        let text = "河道清淤工程完工\n\
                    本报讯 全长十二公里的河道清淤工程日前完工，\n\
                    图为工人在清理河道。\n\
                    沿岸居民出行更方便了。\n";
        // no credit, but the caption ends its sentence and the paragraph
        // before it does not: the paragraph goes on
        let labels = [Label::Title, Label::Para, Label::Caption, Label::Cont];
        let a = with_labels(text, &labels);
        assert_eq!(a[0].captions[0].text, "图为工人在清理河道。");
        assert!(a[0].paragraphs[0].text.ends_with("出行更方便了。"), "{a:?}");
        // a caption cut mid-sentence still takes its own wrapped line
        let text = "河道清淤工程完工\n\
                    本报讯 全长十二公里的河道清淤工程日前完工，\n\
                    图为工人在清理\n\
                    河道。\n";
        let a = with_labels(text, &labels);
        assert_eq!(a[0].captions[0].text, "图为工人在清理河道。");
    }

    #[test]
    fn a_paragraph_left_on_an_enumeration_comma_takes_the_next_one_the_model_opened() {
        let text = "河道清淤工程完工\n\
                    本报讯 全长十二公里的河道清淤工程日前完工、\n\
                    图为工人在清理河道。  本报记者  李明摄\n\
                    验收合格，沿岸居民出行更方便了。\n\
                    工程明年还将延伸。\n";
        let labels = [
            Label::Title,
            Label::Para,
            Label::Caption,
            Label::Para,
            Label::Para,
        ];
        let a = with_labels(text, &labels);
        let paras: Vec<&str> = a[0].paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(paras.len(), 2, "{paras:?}");
        assert!(paras[0].ends_with("完工、验收合格，沿岸居民出行更方便了。"));
        // a paragraph that ends its sentence keeps the model's break
        assert_eq!(paras[1], "工程明年还将延伸。");
    }

    #[test]
    fn a_dateline_on_its_own_line_opens_the_paragraph_it_continues() {
        let text = "前9月风电发电量同比增9%\n\
                    本报北京10月22日电\u{a0}\u{a0}（记者丁怡婷）\n\
                    记者从21日举行的2019北京国际风能大\n\
                    会暨展览会上获悉：今年我国风电市场继续平\n\
                    稳增长。\n";
        let labels = [
            Label::Title,
            Label::Para,
            Label::Cont,
            Label::Cont,
            Label::Cont,
        ];
        let a = with_labels(text, &labels);
        let paras = paragraphs(&a[0]);
        assert_eq!(paras.len(), 1, "{paras:?}");
        assert_eq!(
            a[0].dateline.as_deref(),
            Some("本报北京10月22日电\u{a0}\u{a0}（记者丁怡婷）")
        );
    }

    #[test]
    fn a_sentence_said_twice_is_no_pull_quote_when_the_model_reads_it_as_text() {
        let text = "5G的好戏在后头\n\
                    任何一项新技术，商业化的过程都是渐进式的。消费者\n\
                    对5G多些耐心，5G改变社会的那一天就会更早到来。\n\
                    任何一项新技术，商业化的过程都是渐进式的，不仅需\n\
                    要技术成熟，也需要消费者的选择。\n";
        let labels = [
            Label::Title,
            Label::Para,
            Label::Cont,
            Label::Para,
            Label::Cont,
        ];
        let a = with_labels(text, &labels);
        let paras = paragraphs(&a[0]);
        assert_eq!(paras.len(), 2, "{paras:?}");
    }
    fn paragraphs(a: &Article) -> Vec<&str> {
        a.paragraphs.iter().map(|p| p.text.as_str()).collect()
    }

    fn names(a: &Article) -> Vec<&str> {
        a.bylines
            .iter()
            .flat_map(|b| b.names.iter().map(String::as_str))
            .collect()
    }

    #[test]
    fn bylines_with_roles_or_in_brackets_are_bylines_not_text() {
        let text = "多彩年画 扮靓春节\n\
                    本报特约记者\u{3000}侯柳帆\n\
                    春节将至，各地年画市场红火起来，年画成为人们装点新春的喜庆之选。\n\
                    雪后初晴\n\
                    日前，大雁塔北广场东西步行街上，挂满了红灯笼。\n\
                    （本报记者 金凯梓）\n";
        let labels = [
            Label::Title,
            Label::Byline,
            Label::Para,
            Label::Title,
            Label::Para,
            Label::Byline,
        ];
        let a = with_labels(text, &labels);
        assert_eq!(a.len(), 2, "{a:?}");
        assert_eq!(names(&a[0]), ["侯柳帆"]);
        assert_eq!(names(&a[1]), ["金凯梓"]);
        for art in &a {
            assert!(art.paragraphs.iter().all(|p| !p.text.contains("记者")));
        }
    }

    #[test]
    fn a_photographers_credit_is_no_byline() {
        let text = "植物园收集保存2万个物种\n\
                    本报北京2月1日电 我国建有近200个各级各类植物园。\n\
                    新华社记者 温欣鑫摄\n";
        let labels = [Label::Title, Label::Para, Label::Credit];
        let a = with_labels(text, &labels);
        assert!(names(&a[0]).is_empty(), "{:?}", a[0].bylines);
        assert_eq!(a[0].captions.len(), 1);
        assert_eq!(
            a[0].captions[0].credit.as_deref(),
            Some("新华社记者 温欣鑫摄")
        );
    }

    #[test]
    fn a_credits_agency_wrapped_onto_its_own_line_stays_with_the_credit() {
        let text = "植物园收集保存2万个物种\n\
                    本报北京2月1日电 我国建有近200个各级各类植物园。\n\
                    园内的珍稀植物。新华社记者 温欣鑫摄\n\
                    （人民视觉）\n\
                    植物园还承担科普任务。\n";
        let labels = [
            Label::Title,
            Label::Para,
            Label::Caption,
            Label::Credit,
            Label::Para,
        ];
        let a = with_labels(text, &labels);
        assert_eq!(a[0].captions.len(), 1, "{:?}", a[0].captions);
        assert_eq!(
            a[0].captions[0].credit.as_deref(),
            Some("新华社记者 温欣鑫摄（人民视觉）")
        );
        assert_eq!(a[0].paragraphs.len(), 2);
    }

    /// The articles `labels` make of `text` printed where `boxes` say:
    /// (x0, top, x1, bottom) in points, one per line.
    fn with_boxes(text: &str, labels: &[Label], boxes: &[(f32, f32, f32, f32)]) -> Vec<Article> {
        let us = units::units(lines::split_lines(text));
        let shape = PageShape::of(&us);
        let rs = roles::from_labels(&us, labels);
        let geometry: Vec<LineGeometry> = boxes
            .iter()
            .map(|&(x0, top, x1, bottom)| LineGeometry {
                x0,
                top,
                x1,
                bottom,
                size: bottom - top,
                bold: false,
            })
            .collect();
        assemble(&us, &rs, &shape, Some(labels), Some(&geometry), None).articles
    }

    #[test]
    fn a_caption_right_over_a_head_is_its_articles_lead_picture() {
        // own text: article A ends; a picture's caption and credit; then
        // article B's title and text
        let text = "河道清淤工程完工
                    　　全长十二公里的河道清淤工程日前完工，沿岸居民出行更方便了。
                    志愿者在新落成的书屋里给孩子们讲故事。
                    李明摄
                    乡村书屋开门迎客
                    　　新落成的乡村书屋日前开门迎客，志愿者每周来这里讲故事。
";
        let labels = [
            Label::Title,
            Label::Para,
            Label::Caption,
            Label::Credit,
            Label::Title,
            Label::Para,
        ];
        let a_left = (40.0, 100.0, 200.0, 122.0);
        let a_text = (40.0, 130.0, 200.0, 139.0);
        let b_title = (220.0, 300.0, 380.0, 322.0);
        let b_text = (220.0, 330.0, 380.0, 339.0);
        // under a picture set over B's head, across its column
        let over = [
            a_left,
            a_text,
            (222.0, 270.0, 378.0, 278.0),
            (300.0, 280.0, 378.0, 288.0),
            b_title,
            b_text,
        ];
        let a = with_boxes(text, &labels, &over);
        assert_eq!(a.len(), 2);
        assert!(a[0].captions.is_empty(), "{:?}", a[0].captions);
        assert_eq!(a[1].captions.len(), 1);
        assert_eq!(a[1].captions[0].credit.as_deref(), Some("李明摄"));
        // the caption's chars are the article's now, as a span of it
        let caption_start = text.chars().take_while(|&c| c != '志').count();
        assert!(a[1]
            .spans
            .iter()
            .any(|s| s[0] <= caption_start && caption_start < s[1]));
        assert!(!a[0]
            .spans
            .iter()
            .any(|s| s[0] <= caption_start && caption_start < s[1]));
        // the same caption at the foot of A's column, far from B's head or
        // beside it, stays A's; and so it does without geometry
        for caption in [(40.0, 150.0, 200.0, 158.0), (40.0, 290.0, 200.0, 298.0)] {
            let credit = (
                caption.0 + 80.0,
                caption.1 + 10.0,
                caption.2,
                caption.3 + 10.0,
            );
            let boxes = [a_left, a_text, caption, credit, b_title, b_text];
            let a = with_boxes(text, &labels, &boxes);
            assert_eq!(a[0].captions.len(), 1, "{caption:?}");
            assert!(a[1].captions.is_empty(), "{caption:?}");
        }
        assert_eq!(with_labels(text, &labels)[0].captions.len(), 1);
    }

    #[test]
    fn a_caption_wrapped_onto_its_credit_line_is_one_caption() {
        // own text, a caption as an extractor gives it: the text's first
        // line, then its last with the credit
        let text = "新馆开放\n　　近日，县图书馆新馆正式向读者开放，首日接待读者两千多人次。\n\
                    市民在新开放的县图书馆里\n安静地读书。  资料图片\n";
        let labels = [Label::Title, Label::Para, Label::Caption, Label::Caption];
        let a = with_labels(text, &labels);
        assert_eq!(a[0].captions.len(), 1, "{:?}", a[0].captions);
        assert_eq!(
            a[0].captions[0].text,
            "市民在新开放的县图书馆里安静地读书。"
        );
        assert_eq!(a[0].captions[0].credit.as_deref(), Some("资料图片"));
        // a caption that ended its sentence is not continued by the next
        let text = "新馆开放\n　　近日，县图书馆新馆正式向读者开放，首日接待读者两千多人次。\n\
                    市民在新开放的县图书馆里读书。\n孩子们在少儿阅览室听故事。  资料图片\n";
        let a = with_labels(text, &labels);
        assert_eq!(a[0].captions.len(), 2, "{:?}", a[0].captions);
    }

    #[test]
    fn a_dated_note_under_the_title_is_its_subtitle() {
        // own text; the model reads the date as a paragraph
        let text = "关于推进城乡供水一体化的意见\n（2025年3月1日）\n\
                    城乡供水一体化是保障群众饮水安全的重要举措。\n";
        let labels = [Label::Title, Label::Para, Label::Para];
        let a = with_labels(text, &labels);
        assert_eq!(a[0].subtitle.as_deref(), Some("（2025年3月1日）"));
        assert_eq!(a[0].paragraphs.len(), 1);
        // in the text, as a paragraph of its own, it stays one
        let text = "关于推进城乡供水一体化的意见\n\
                    城乡供水一体化是保障群众饮水安全的重要举措。\n（2025年3月1日）\n";
        let a = with_labels(text, &labels);
        assert_eq!(a[0].subtitle, None);
        assert_eq!(a[0].paragraphs.len(), 2);
    }
}
