//! The line model: every line of the page gets a label (column label,
//! kicker, title or subtitle of a headline; first line of a paragraph,
//! continuation, in-article heading, byline, caption, credit, page header,
//! jump), decoded over the whole page at once.
//!
//! The model is a multinomial logistic regression over each line's features
//! and its neighbours' ([`crate::features`]), fitted by
//! `scripts/fit-layout.py` on pages laid out from the corpus by
//! `scripts/pagegen.py`; its weights and the label transition table live in
//! `data/layout-lines.tsv`. The decoder is Viterbi over the labels: the
//! log-probability of each line's label plus the weighted log-probability of
//! the label after the one before, so a page is read as a sequence
//! (a heading is followed by a paragraph's first line, a continuation
//! follows a paragraph) instead of line by line.

use crate::features::{self, LineFeatures, N};
use crate::units::{PageShape, Unit};
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
    /// `weights[label][input]`.
    weights: Vec<[f32; INPUT]>,
    /// Log-probability of a label after another: `trans[from][to]`, with
    /// `from == L` the start of the page.
    trans: [[f32; L]; L + 1],
    /// How much the transition table counts against the line's own evidence.
    trans_weight: f32,
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
        let mut weights = vec![[0f32; INPUT]; L];
        let mut seen = [false; INPUT];
        let mut trans = [[0f32; L]; L + 1];
        let mut trans_weight = None;
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
                    let name = cols.get(1).ok_or_else(|| err("no feature"))?;
                    let (ctx, feat) = name.split_once(':').ok_or_else(|| err("no context"))?;
                    let c = ["self", "prev", "next"]
                        .iter()
                        .position(|x| *x == ctx)
                        .ok_or_else(|| err("unknown context"))?;
                    let k = features::NAMES
                        .iter()
                        .position(|x| *x == feat)
                        .ok_or_else(|| err(&format!("unknown feature {feat}")))?;
                    let vals = floats(&cols[2..]).ok_or_else(|| err("bad number"))?;
                    if vals.len() != L {
                        return Err(err("wrong number of columns"));
                    }
                    let at = c * N + k;
                    seen[at] = true;
                    for (l, v) in vals.into_iter().enumerate() {
                        weights[l][at] = v;
                    }
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
        Ok(Model {
            weights,
            trans,
            trans_weight: trans_weight.ok_or("no trans_weight row")?,
        })
    }

    /// Log-probabilities of each label for each line.
    pub fn emissions(&self, feats: &[LineFeatures]) -> Vec<[f32; L]> {
        let zero = [0f32; N];
        (0..feats.len())
            .map(|i| {
                let prev = if i > 0 { &feats[i - 1] } else { &zero };
                let next = feats.get(i + 1).unwrap_or(&zero);
                let mut s = [0f32; L];
                for (l, w) in self.weights.iter().enumerate() {
                    let mut acc = 0f32;
                    for (c, part) in [&feats[i], prev, next].into_iter().enumerate() {
                        let w = &w[c * N..(c + 1) * N];
                        for k in 0..N {
                            acc += w[k] * part[k];
                        }
                    }
                    s[l] = acc;
                }
                log_softmax(&mut s);
                s
            })
            .collect()
    }

    /// The best label sequence (Viterbi).
    pub fn decode(&self, emit: &[[f32; L]]) -> Vec<Label> {
        let n = emit.len();
        if n == 0 {
            return Vec::new();
        }
        let mut score = vec![[f32::NEG_INFINITY; L]; n];
        let mut back = vec![[0u8; L]; n];
        for l in 0..L {
            score[0][l] = emit[0][l] + self.trans_weight * self.trans[L][l];
        }
        for i in 1..n {
            let before = score[i - 1];
            for to in 0..L {
                let mut best = (f32::NEG_INFINITY, 0usize);
                for (from, s) in before.iter().enumerate() {
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

/// Label every unit of a page.
pub fn tag(units: &[Unit], shape: &PageShape) -> Vec<Label> {
    let feats = features::line_features(units, shape);
    let m = model();
    m.decode(&m.emissions(&feats))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_weights_parse() {
        let m = model();
        assert_eq!(m.weights.len(), L);
    }

    #[test]
    fn a_file_missing_a_feature_is_refused() {
        let bad = "labels\theader\tlabel\tkicker\ttitle\tsubtitle\tbyline\tpara\tcont\theading\tcaption\tcredit\tjump\ntrans_weight\t1\n";
        assert!(Model::parse(bad).unwrap_err().contains("no weights"));
    }

    #[test]
    fn viterbi_follows_the_transitions() {
        // two lines, each undecided between para and cont on its own; the
        // table says a page starts with para and cont follows para
        let mut m = Model {
            weights: vec![[0f32; INPUT]; L],
            trans: [[-10f32; L]; L + 1],
            trans_weight: 1.0,
        };
        m.trans[L][Label::Para as usize] = 0.0;
        m.trans[Label::Para as usize][Label::Cont as usize] = 0.0;
        let e = [[-1f32; L]; 2];
        assert_eq!(m.decode(&e), vec![Label::Para, Label::Cont]);
    }
}
