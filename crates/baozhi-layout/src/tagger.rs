//! The line model: every line of the page gets a label (column label,
//! kicker, title or subtitle of a headline; first line of a paragraph,
//! continuation, in-article heading, byline, caption, credit, page header,
//! jump), decoded over the whole page at once.
//!
//! The model is a multinomial logistic regression over each line's features
//! and its neighbours' ([`crate::features`]) plus a small hidden layer of
//! ReLU units whose outputs add to the labels' scores, fitted by
//! `scripts/fit-layout.py` on pages laid out from the corpus by
//! `scripts/pagegen.py` and on corpus pages printed to PDF and extracted by
//! real tools (`scripts/printpages.py`); its weights and the label
//! transition table live in `data/layout-lines.tsv`. The decoder is Viterbi over the labels: the
//! log-probability of each line's label plus the weighted log-probability of
//! the label after the one before, so a page is read as a sequence
//! (a heading is followed by a paragraph's first line, a continuation
//! follows a paragraph) instead of line by line.

use crate::features::{self, LineFeatures, N};
use crate::units::{Cue, PageShape, Unit};
use crate::LineGeometry;
use baozhi_model::PageSize;
use baozhi_text::{ends_sentence, is_closing, is_sentence_final, is_space};
use std::sync::OnceLock;

/// The labels, in the weights file's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Label {
    Header,
    /// A column or series label (栏目) in a headline group.
    Column,
    /// 引题: the line above the title.
    Kicker,
    /// 主题: every line of the title.
    Title,
    /// 副题: the line under the title.
    Subtitle,
    Byline,
    Para,
    Cont,
    Heading,
    Caption,
    Credit,
    Jump,
}

impl Label {
    pub const ALL: [Label; 12] = [
        Label::Header,
        Label::Column,
        Label::Kicker,
        Label::Title,
        Label::Subtitle,
        Label::Byline,
        Label::Para,
        Label::Cont,
        Label::Heading,
        Label::Caption,
        Label::Credit,
        Label::Jump,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Label::Header => "header",
            Label::Column => "label",
            Label::Kicker => "kicker",
            Label::Title => "title",
            Label::Subtitle => "subtitle",
            Label::Byline => "byline",
            Label::Para => "para",
            Label::Cont => "cont",
            Label::Heading => "heading",
            Label::Caption => "caption",
            Label::Credit => "credit",
            Label::Jump => "jump",
        }
    }

    pub fn from_name(s: &str) -> Option<Label> {
        Label::ALL.iter().copied().find(|l| l.name() == s)
    }

    /// A part of a headline group (label, kicker, title, subtitle).
    pub fn is_head(self) -> bool {
        matches!(
            self,
            Label::Column | Label::Kicker | Label::Title | Label::Subtitle
        )
    }
}

const L: usize = Label::ALL.len();
/// Where a line's neighbours' features go in the model's input: the line
/// itself, the line above, the line below.
const CONTEXT: usize = 3;
/// The model's input length.
pub const INPUT: usize = N * CONTEXT;

/// The fitted model.
#[derive(Debug, Clone)]
pub struct Model {
    /// `weights[input][label]`: input-major, so that a line's scores add up
    /// only the rows of its non-zero inputs (most features are flags, and
    /// most flags of a line are off).
    weights: Vec<[f32; L]>,
    /// Log-probability of a label after another: `trans[from][to]`, with
    /// `from == L` the start of the page.
    trans: [[f32; L]; L + 1],
    /// How much the transition table counts against the line's own evidence.
    trans_weight: f32,
    /// The hidden layer (none when the file has no `hidden` row).
    hidden: Hidden,
}

/// ReLU units between the inputs and the labels, so that the model can
/// weigh a feature by the company it keeps (a short line under a byline is
/// a title, under a paragraph a heading); their outputs add to the linear
/// scores.
#[derive(Debug, Clone, Default)]
struct Hidden {
    /// Units.
    size: usize,
    /// `input_weights[input * size + unit]`: input-major, so that a line's
    /// zero inputs (most of them) are skipped whole.
    input_weights: Vec<f32>,
    /// Each unit's bias.
    bias: Vec<f32>,
    /// `output_weights[unit][label]`.
    output_weights: Vec<[f32; L]>,
}

const WEIGHTS_TSV: &str = include_str!("../../../data/layout-lines.tsv");

/// The shipped model, parsed once.
pub fn model() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| Model::parse(WEIGHTS_TSV).expect("data/layout-lines.tsv is malformed"))
}

impl Model {
    /// Read the weights file (see `scripts/fit-layout.py` for its format).
    pub fn parse(tsv: &str) -> Result<Model, String> {
        let mut labels: Option<Vec<Label>> = None;
        let mut weights = vec![[0f32; L]; INPUT];
        let mut seen = [false; INPUT];
        let mut trans = [[0f32; L]; L + 1];
        let mut trans_weight = None;
        let mut hidden = Hidden::default();
        let mut input_seen = [false; INPUT];
        let mut bias_seen = false;
        let mut output_seen = [false; L];
        for (ln, line) in tsv.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let err = |m: &str| format!("line {}: {m}", ln + 1);
            match cols[0] {
                "labels" => {
                    let ls: Option<Vec<Label>> =
                        cols[1..].iter().map(|s| Label::from_name(s)).collect();
                    let ls = ls.ok_or_else(|| err("unknown label"))?;
                    if ls != Label::ALL {
                        return Err(err("labels differ from the engine's"));
                    }
                    labels = Some(ls);
                }
                "trans_weight" => {
                    trans_weight = cols.get(1).and_then(|v| v.parse().ok());
                }
                "trans" => {
                    let from = if cols.get(1) == Some(&"start") {
                        L
                    } else {
                        let l = cols
                            .get(1)
                            .and_then(|s| Label::from_name(s))
                            .ok_or_else(|| err("unknown label"))?;
                        l as usize
                    };
                    let vals = floats(&cols[2..]).ok_or_else(|| err("bad number"))?;
                    if vals.len() != L {
                        return Err(err("wrong number of columns"));
                    }
                    trans[from].copy_from_slice(&vals);
                }
                "w" => {
                    let at = input_index(cols.get(1).copied()).map_err(|m| err(&m))?;
                    let vals = floats(&cols[2..]).ok_or_else(|| err("bad number"))?;
                    if vals.len() != L {
                        return Err(err("wrong number of columns"));
                    }
                    seen[at] = true;
                    for (l, v) in vals.into_iter().enumerate() {
                        weights[at][l] = v;
                    }
                }
                "hidden" => {
                    let size: usize = cols
                        .get(1)
                        .and_then(|v| v.trim().parse().ok())
                        .filter(|&h| (1..=MAX_HIDDEN).contains(&h))
                        .ok_or_else(|| err("bad hidden size"))?;
                    hidden = Hidden {
                        size,
                        input_weights: vec![0.0; INPUT * size],
                        bias: vec![0.0; size],
                        output_weights: vec![[0.0; L]; size],
                    };
                }
                "v" => {
                    let at = input_index(cols.get(1).copied()).map_err(|m| err(&m))?;
                    let vals = floats(&cols[2..]).ok_or_else(|| err("bad number"))?;
                    if hidden.size == 0 || vals.len() != hidden.size {
                        return Err(err("v row before hidden, or of the wrong length"));
                    }
                    hidden.input_weights[at * hidden.size..(at + 1) * hidden.size]
                        .copy_from_slice(&vals);
                    input_seen[at] = true;
                }
                "vbias" => {
                    let vals = floats(&cols[1..]).ok_or_else(|| err("bad number"))?;
                    if hidden.size == 0 || vals.len() != hidden.size {
                        return Err(err("vbias row before hidden, or of the wrong length"));
                    }
                    hidden.bias = vals;
                    bias_seen = true;
                }
                "u" => {
                    let l = cols
                        .get(1)
                        .and_then(|s| Label::from_name(s))
                        .ok_or_else(|| err("unknown label"))?;
                    let vals = floats(&cols[2..]).ok_or_else(|| err("bad number"))?;
                    if hidden.size == 0 || vals.len() != hidden.size {
                        return Err(err("u row before hidden, or of the wrong length"));
                    }
                    for (unit, v) in vals.into_iter().enumerate() {
                        hidden.output_weights[unit][l as usize] = v;
                    }
                    output_seen[l as usize] = true;
                }
                other => return Err(err(&format!("unknown row {other}"))),
            }
        }
        if labels.is_none() {
            return Err("no labels row".into());
        }
        if let Some(k) = seen.iter().position(|s| !s) {
            return Err(format!(
                "no weights for {}:{}",
                ["self", "prev", "next"][k / N],
                features::NAMES[k % N]
            ));
        }
        if hidden.size > 0 {
            if let Some(k) = input_seen.iter().position(|s| !s) {
                return Err(format!("no hidden weights for input {k}"));
            }
            if !bias_seen || output_seen.iter().any(|s| !s) {
                return Err("the hidden layer lacks its vbias or a u row".into());
            }
        }
        Ok(Model {
            weights,
            trans,
            trans_weight: trans_weight.ok_or("no trans_weight row")?,
            hidden,
        })
    }

    /// Log-probabilities of each label for each line.
    pub fn emissions(&self, feats: &[LineFeatures]) -> Vec<[f32; L]> {
        let zero = [0f32; N];
        let mut units = vec![0f32; self.hidden.size];
        (0..feats.len())
            .map(|i| {
                let prev = if i > 0 { &feats[i - 1] } else { &zero };
                let next = feats.get(i + 1).unwrap_or(&zero);
                let parts = [&feats[i], prev, next];
                let mut s = [0f32; L];
                for (c, part) in parts.into_iter().enumerate() {
                    for (&x, row) in part.iter().zip(&self.weights[c * N..(c + 1) * N]) {
                        if x != 0.0 {
                            for (acc, w) in s.iter_mut().zip(row) {
                                *acc += x * w;
                            }
                        }
                    }
                }
                self.hidden.add_to(&parts, &mut units, &mut s);
                log_softmax(&mut s);
                s
            })
            .collect()
    }

    /// The best label sequence (Viterbi).
    pub fn decode(&self, emit: &[[f32; L]]) -> Vec<Label> {
        self.decode_with(emit, &vec![false; emit.len()])
    }

    /// The best label sequence in which every line marked in `continues`
    /// continues the one above: it is a continuation, or another line of
    /// the same headline part, heading or label.
    pub fn decode_with(&self, emit: &[[f32; L]], continues: &[bool]) -> Vec<Label> {
        let n = emit.len();
        if n == 0 {
            return Vec::new();
        }
        let mut score = vec![[f32::NEG_INFINITY; L]; n];
        let mut back = vec![[0u8; L]; n];
        for l in 0..L {
            score[0][l] = emit[0][l] + self.trans_weight * self.trans[L][l];
        }
        // nothing above the first line for it to continue
        score[0][Label::Cont as usize] = f32::NEG_INFINITY;
        for i in 1..n {
            let before = score[i - 1];
            for to in 0..L {
                let mut best = (f32::NEG_INFINITY, 0usize);
                for (from, s) in before.iter().enumerate() {
                    if continues.get(i).copied().unwrap_or(false)
                        && !continues_from(Label::ALL[from], Label::ALL[to])
                    {
                        continue;
                    }
                    let s = s + self.trans_weight * self.trans[from][to];
                    if s > best.0 {
                        best = (s, from);
                    }
                }
                score[i][to] = best.0 + emit[i][to];
                back[i][to] = best.1 as u8;
            }
        }
        let mut at = (0..L)
            .max_by(|a, b| score[n - 1][*a].total_cmp(&score[n - 1][*b]))
            .unwrap_or(0);
        let mut out = vec![Label::Para; n];
        for i in (0..n).rev() {
            out[i] = Label::ALL[at];
            at = back[i][at] as usize;
        }
        out
    }
}

impl Hidden {
    /// Adds the hidden layer's output for one line's inputs (self, prev,
    /// next) to `scores`; `units` is scratch space of the layer's size.
    fn add_to(&self, parts: &[&LineFeatures; CONTEXT], units: &mut [f32], scores: &mut [f32; L]) {
        let h = self.size;
        if h == 0 {
            return;
        }
        units.copy_from_slice(&self.bias);
        for (c, part) in parts.iter().enumerate() {
            for (k, &x) in part.iter().enumerate() {
                if x != 0.0 {
                    let at = (c * N + k) * h;
                    for (u, w) in units.iter_mut().zip(&self.input_weights[at..at + h]) {
                        *u += x * w;
                    }
                }
            }
        }
        for (u, out) in units.iter().zip(&self.output_weights) {
            if *u > 0.0 {
                for (s, w) in scores.iter_mut().zip(out) {
                    *s += u * w;
                }
            }
        }
    }
}

/// The largest hidden layer the loader accepts (a sanity bound on the
/// file, far above what pays: 32–64 units fit the held-out pages best).
const MAX_HIDDEN: usize = 1024;

/// Where `CONTEXT:FEATURE` (as the weights file names an input) sits in
/// the model's input.
fn input_index(name: Option<&str>) -> Result<usize, String> {
    let name = name.ok_or("no feature")?;
    let (ctx, feat) = name.split_once(':').ok_or("no context")?;
    let c = ["self", "prev", "next"]
        .iter()
        .position(|x| *x == ctx)
        .ok_or("unknown context")?;
    let k = features::NAMES
        .iter()
        .position(|x| *x == feat)
        .ok_or_else(|| format!("unknown feature {feat}"))?;
    Ok(c * N + k)
}

fn floats(cols: &[&str]) -> Option<Vec<f32>> {
    cols.iter().map(|s| s.trim().parse().ok()).collect()
}

fn log_softmax(s: &mut [f32; L]) {
    let m = s.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let z = s.iter().map(|v| (v - m).exp()).sum::<f32>().ln() + m;
    for v in s.iter_mut() {
        *v -= z;
    }
}

/// Whether a line labelled `to` may continue a line labelled `from`: a
/// continuation always, and the parts that run over several lines (a
/// headline's parts, a heading, a page header) when the label stays.
fn continues_from(from: Label, to: Label) -> bool {
    to == Label::Cont
        || (to == from
            && matches!(
                to,
                Label::Column
                    | Label::Kicker
                    | Label::Title
                    | Label::Subtitle
                    | Label::Heading
                    | Label::Header
            ))
}

/// Whether a line must continue the one above: it starts with punctuation
/// that Chinese typesetting never sets at the start of a line (禁则:
/// commas, stops, closing quotes and brackets hang at the end of the line
/// above instead), so only an extractor's or OCR's line break can put it
/// there. ASCII quotes open as well as close and do not count.
fn must_continue(u: &Unit) -> bool {
    let Some(t) = u.text.as_ref().filter(|_| u.cue == Cue::Text) else {
        return false;
    };
    t.text.chars().find(|c| !is_space(*c)).is_some_and(|c| {
        is_sentence_final(c)
            || matches!(c, '，' | ',' | '、' | '：' | ':')
            || (is_closing(c) && !matches!(c, '"' | '\''))
    })
}

/// Label every unit of a page; `geometry` and `page` (its size) when the
/// page was printed (PDF, OCR).
pub fn tag(
    units: &[Unit],
    shape: &PageShape,
    geometry: Option<&[LineGeometry]>,
    page: Option<PageSize>,
) -> Vec<Label> {
    let feats = features::line_features(units, shape, geometry);
    let m = model();
    // (the decode lets the first line continue nothing, whatever it starts with)
    let continues: Vec<bool> = units.iter().map(must_continue).collect();
    let mut emit = m.emissions(&feats);
    around_jumps_from(units, &mut emit);
    text_ends_on_a_mark(units, &mut emit);
    if let Some(geometry) = geometry {
        let head = crate::running_head::on_head_row(units, geometry, page);
        only_header_on(&head, &mut emit);
    }
    m.decode_with(&emit, &continues)
}

/// The lines of the running head's row ([`crate::running_head`]) are the
/// page header and nothing else.
fn only_header_on(head: &[bool], emit: &mut [[f32; L]]) {
    for (row, &on) in emit.iter_mut().zip(head) {
        if on {
            allow_only(row, &[Label::Header]);
        }
    }
}

/// Rules out every label of a line's emission row but `allowed`: the
/// decoder then cannot give it another, whatever the model's scores.
fn allow_only(row: &mut [f32; L], allowed: &[Label]) {
    for label in Label::ALL {
        if !allowed.contains(&label) {
            row[label as usize] = f32::NEG_INFINITY;
        }
    }
}

/// What a text line that ends on an editor's mark after a sentence
/// (`……的标准。②3`) may be: an editor marks the end of an article's text,
/// so the line is a paragraph's, its first or a continuing one. Never a
/// headline's part, a label or a heading (they end on no sentence), nor
/// a caption's text: a caption with its credit on the line is cued as
/// one, and the mark then stays in it as the extractor put it. Series
/// numbers that close a label or title (`系列评论③`) follow a word, not
/// a sentence, and are no marks ([`crate::cues::strip_trailing_marks`]).
const BEFORE_A_MARK: [Label; 2] = [Label::Para, Label::Cont];

/// Rules out all but [`BEFORE_A_MARK`] for a text line that ends a
/// sentence and then an editor's mark. The pages the line model is fitted
/// on print such marks on a fifth of the pages (`scripts/pagegen.py`,
/// `EDITOR_MARKS`); before them it had seen circled numbers only after
/// series labels, and the convention holds whatever the fit.
fn text_ends_on_a_mark(units: &[Unit], emit: &mut [[f32; L]]) {
    for (u, row) in units.iter().zip(emit.iter_mut()) {
        let marked = u.cue == Cue::Text
            && !u.marks.is_empty()
            && u.text.as_ref().is_some_and(|t| ends_sentence(&t.text));
        if marked {
            allow_only(row, &BEFORE_A_MARK);
        }
    }
}

/// What may follow a jump-from line (`（上接第3版）`): the story's text
/// resumes under it, so its text, an in-article heading or another jump.
const AFTER_JUMP_FROM: [Label; 4] = [Label::Para, Label::Cont, Label::Heading, Label::Jump];

/// What may not stand right over a jump-from line: the rest of a story
/// prints its title again (or nothing) over the jump line, never a kicker
/// or a column label, which stand over a title.
const BEFORE_JUMP_FROM: [Label; 2] = [Label::Kicker, Label::Column];

/// Rules out the labels that the printed convention of a jump-from line
/// rules out around it: under it only [`AFTER_JUMP_FROM`], over it none of
/// [`BEFORE_JUMP_FROM`].
fn around_jumps_from(units: &[Unit], emit: &mut [[f32; L]]) {
    for (i, u) in units.iter().enumerate() {
        let jump_from =
            u.cue == Cue::JumpOnly && u.jumps.iter().any(|j| j.dir == crate::cues::JumpDir::From);
        if !jump_from {
            continue;
        }
        if let Some(next) = emit.get_mut(i + 1) {
            allow_only(next, &AFTER_JUMP_FROM);
        }
        if let Some(before) = i.checked_sub(1).and_then(|k| emit.get_mut(k)) {
            for label in BEFORE_JUMP_FROM {
                before[label as usize] = f32::NEG_INFINITY;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_weights_parse() {
        let m = model();
        assert_eq!(m.weights.len(), INPUT);
    }

    #[test]
    fn a_file_missing_a_feature_is_refused() {
        let bad = "labels\theader\tlabel\tkicker\ttitle\tsubtitle\tbyline\tpara\tcont\theading\tcaption\tcredit\tjump\ntrans_weight\t1\n";
        assert!(Model::parse(bad).unwrap_err().contains("no weights"));
    }

    /// A weights file whose linear part is all zeros, with `hidden` rows
    /// appended.
    fn file_with(hidden: &str) -> String {
        let mut f = format!(
            "labels\t{}\ntrans_weight\t0\n",
            Label::ALL.map(Label::name).join("\t")
        );
        for ctx in ["self", "prev", "next"] {
            for name in features::NAMES {
                f.push_str(&format!("w\t{ctx}:{name}{}\n", "\t0".repeat(L)));
            }
        }
        f + hidden
    }

    #[test]
    fn the_hidden_layer_adds_its_units_to_the_scores() {
        // one unit that fires on a line that ends a sentence and votes for
        // a paragraph's first line
        let mut h = String::from("hidden\t1\n");
        for ctx in ["self", "prev", "next"] {
            for name in features::NAMES {
                let w = if ctx == "self" && *name == "ends_sentence" {
                    2.0
                } else {
                    0.0
                };
                h.push_str(&format!("v\t{ctx}:{name}\t{w}\n"));
            }
        }
        h.push_str("vbias\t-1\n");
        for l in Label::ALL {
            let w = if l == Label::Para { 3.0 } else { 0.0 };
            h.push_str(&format!("u\t{}\t{w}\n", l.name()));
        }
        let m = Model::parse(&file_with(&h)).unwrap();
        let mut line = [0f32; N];
        line[features::F::EndsSentence as usize] = 1.0;
        let e = m.emissions(&[line, [0f32; N]]);
        // fired: para ahead by 3 * relu(2 - 1); silent: every label equal
        assert!((e[0][Label::Para as usize] - e[0][Label::Cont as usize] - 3.0).abs() < 1e-5);
        assert!((e[1][Label::Para as usize] - e[1][Label::Cont as usize]).abs() < 1e-6);
    }

    #[test]
    fn a_hidden_layer_missing_rows_is_refused() {
        assert!(Model::parse(&file_with("")).is_ok());
        let err = Model::parse(&file_with("hidden\t2\nvbias\t0\t0\n")).unwrap_err();
        assert!(err.contains("no hidden weights"), "{err}");
        assert!(Model::parse(&file_with("hidden\t0\n")).is_err());
        assert!(Model::parse(&file_with("v\tself:bias\t1\n")).is_err());
    }

    #[test]
    fn viterbi_follows_the_transitions() {
        // two lines, each undecided between para and cont on its own; the
        // table says a page starts with para and cont follows para
        let mut m = Model {
            weights: vec![[0f32; L]; INPUT],
            trans: [[-10f32; L]; L + 1],
            trans_weight: 1.0,
            hidden: Hidden::default(),
        };
        m.trans[L][Label::Para as usize] = 0.0;
        m.trans[Label::Para as usize][Label::Cont as usize] = 0.0;
        let e = [[-1f32; L]; 2];
        assert_eq!(m.decode(&e), vec![Label::Para, Label::Cont]);
    }

    #[test]
    fn a_jump_from_line_has_its_title_over_it_and_the_story_under_it() {
        let text = "南水北调中线工程通水十周年\n\n(上接01版)\n\n\
                    沿线各地持续加强水源保护,严格落实河湖长制,确保一泓清水永续北上。\n";
        let units = crate::units::units(crate::lines::split_lines(text));
        let shape = PageShape::of(&units);
        let labels = tag(&units, &shape, None, None);
        assert_eq!(labels.len(), 3);
        assert!(!BEFORE_JUMP_FROM.contains(&labels[0]), "{labels:?}");
        assert_eq!(labels[1], Label::Jump);
        assert!(AFTER_JUMP_FROM.contains(&labels[2]), "{labels:?}");
    }

    #[test]
    fn the_first_line_continues_nothing() {
        let m = Model {
            weights: vec![[0f32; L]; INPUT],
            trans: [[0f32; L]; L + 1],
            trans_weight: 1.0,
            hidden: Hidden::default(),
        };
        // the line's own evidence says continuation, then paragraph start
        let mut e = [[-5f32; L]; 1];
        e[0][Label::Cont as usize] = -0.1;
        e[0][Label::Para as usize] = -1.0;
        assert_eq!(m.decode(&e), vec![Label::Para]);
    }
}
