//! Vertical type (竖排): a headline or a column set top to bottom.
//!
//! The line builder ([`crate::lines`]) joins glyphs left to right, so each
//! glyph of a vertical line is a printed line of one character, and the
//! page text would read them as a heap of one-char lines in whatever order
//! the columns put them. Here such a stack becomes one printed line again,
//! and the page gets a warning, so vertical type is never garbled
//! silently.
//!
//! Two shapes are found, both a run of one-char lines in one x range:
//! - **stacked:** each glyph sits under the one before, an em or so lower
//!   (glyphs set with vertical metrics, as typesetting programs write
//!   them): read top to bottom;
//! - **collapsed:** the glyphs' boxes lie on top of one another (the
//!   text layer keeps no usable vertical position, as Chromium writes
//!   `writing-mode: vertical-rl`): read in the order the PDF draws them,
//!   which is the only order left, and the warning says so.

use crate::lines::{PrintedLine, Rect};

/// The fewest glyphs read as a vertical line: two one-char lines in one x
/// range also happen in horizontal text (a paragraph's last char over a
/// list bullet), three stacked an em apart hardly do.
pub const MIN_GLYPHS: usize = 3;

/// Glyphs of a vertical line are this close in x (their left and right
/// edges), as a share of the type size: the same column of one font.
const SAME_X_EM: f32 = 0.1;

/// The largest step from one glyph's top to the next one's in stacked
/// vertical type, in ems: set solid or with a little letter-spacing.
/// Lines of horizontal text are further apart (a leading of 1.3 em or
/// more), so a stack of one-char lines at this step is not a paragraph's
/// line starts.
const MAX_STEP_EM: f32 = 1.25;

/// Boxes overlapping this share of their height lie on top of one
/// another: a collapsed run.
const COLLAPSED_OVERLAP: f32 = 0.5;

/// What [`join_vertical`] found on a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Found {
    /// Vertical lines read from stacked glyphs.
    pub stacked: usize,
    /// Vertical lines whose glyphs had no usable position (order as drawn).
    pub collapsed: usize,
    /// Characters in all of them.
    pub chars: usize,
}

impl Found {
    /// The warning a page with vertical type gets, naming the page.
    pub fn warning(&self, page: usize) -> Option<String> {
        if self.stacked + self.collapsed == 0 {
            return None;
        }
        let mut w = format!(
            "page {page}: vertical type: {} characters in {} vertical lines, each read top to bottom as one line",
            self.chars,
            self.stacked + self.collapsed
        );
        if self.collapsed > 0 {
            w.push_str(&format!(
                "; {} of them keep no positions in the text layer and are read in the order the PDF draws them: check them, or read the page with --ocr",
                self.collapsed
            ));
        }
        Some(w)
    }
}

/// Joins the stacks of one-char lines that are vertical type into one
/// line each (in the place of the stack's first glyph; the other lines keep
/// their order) and counts what it joined. `drawn[i]` is where the PDF
/// draws line `i` among the page's text (its content order).
pub fn join_vertical(lines: Vec<PrintedLine>, drawn: &[usize]) -> (Vec<PrintedLine>, Found) {
    let single: Vec<bool> = lines.iter().map(is_glyph).collect();
    // one-char lines by x range, in their order
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if !single[i] {
            continue;
        }
        let em = l.size.max(1.0);
        let same_x = |g: &Vec<usize>| {
            let b = &lines[g[0]].bbox;
            (b.x0 - l.bbox.x0).abs() <= SAME_X_EM * em && (b.x1 - l.bbox.x1).abs() <= SAME_X_EM * em
        };
        match groups.iter_mut().find(|g| same_x(g)) {
            Some(g) => g.push(i),
            None => groups.push(vec![i]),
        }
    }
    let mut found = Found::default();
    // line index -> the run it starts (joined text), or None to drop it
    let mut replace: Vec<Option<Option<PrintedLine>>> = vec![None; lines.len()];
    for g in groups.iter().filter(|g| g.len() >= MIN_GLYPHS) {
        for (run, collapsed) in runs(&lines, drawn, g) {
            let mut text = String::new();
            let mut bbox: Rect = lines[run[0]].bbox;
            for &i in &run {
                text.push_str(lines[i].text.trim());
                bbox = bbox.union(&lines[i].bbox);
            }
            let first = &lines[run[0]];
            found.chars += run.len();
            if collapsed {
                found.collapsed += 1;
            } else {
                found.stacked += 1;
            }
            let at = *run.iter().min().expect("a run is never empty");
            for &i in &run {
                replace[i] = Some(None);
            }
            replace[at] = Some(Some(PrintedLine {
                text,
                bbox,
                size: first.size,
                bold: first.bold,
            }));
        }
    }
    let out = lines
        .into_iter()
        .zip(replace)
        .filter_map(|(l, r)| match r {
            None => Some(l),
            Some(joined) => joined,
        })
        .collect();
    (out, found)
}

/// A line of one visible character (a glyph of vertical type, maybe).
fn is_glyph(l: &PrintedLine) -> bool {
    let mut cs = l.text.chars().filter(|c| !c.is_whitespace());
    cs.next().is_some() && cs.next().is_none()
}

/// The vertical runs of one x range's glyphs (indices into `lines`, in
/// reading order), each with whether it is collapsed.
fn runs(lines: &[PrintedLine], drawn: &[usize], group: &[usize]) -> Vec<(Vec<usize>, bool)> {
    let overlaps = |a: &Rect, b: &Rect| {
        let overlap = a.bottom.min(b.bottom) - a.top.max(b.top);
        overlap >= COLLAPSED_OVERLAP * a.height().min(b.height()).max(0.1)
    };
    // collapsed: glyphs whose boxes lie on the first one's, in the order
    // drawn
    let mut clusters: Vec<Vec<usize>> = Vec::new();
    for &i in group {
        match clusters
            .iter_mut()
            .find(|c| overlaps(&lines[c[0]].bbox, &lines[i].bbox))
        {
            Some(c) => c.push(i),
            None => clusters.push(vec![i]),
        }
    }
    let mut out = Vec::new();
    let mut rest = Vec::new();
    for mut c in clusters {
        if c.len() >= MIN_GLYPHS {
            c.sort_by_key(|&i| drawn.get(i).copied().unwrap_or(usize::MAX));
            out.push((c, true));
        } else {
            rest.extend(c);
        }
    }
    if rest.len() < MIN_GLYPHS {
        return out;
    }
    // stacked: top to bottom, cut where the step is too large
    rest.sort_by(|&a, &b| lines[a].bbox.top.total_cmp(&lines[b].bbox.top));
    let mut run = vec![rest[0]];
    for w in rest.windows(2) {
        let (a, b) = (&lines[w[0]], &lines[w[1]]);
        let em = a.size.max(b.size).max(1.0);
        let step = b.bbox.top - a.bbox.top;
        if !overlaps(&a.bbox, &b.bbox) && step <= MAX_STEP_EM * em {
            run.push(w[1]);
        } else {
            if run.len() >= MIN_GLYPHS {
                out.push((std::mem::take(&mut run), false));
            }
            run = vec![w[1]];
        }
    }
    if run.len() >= MIN_GLYPHS {
        out.push((run, false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::test_line as line;

    #[test]
    fn stacked_glyphs_are_one_line_read_top_to_bottom() {
        // a vertical title beside a horizontal paragraph, glyphs drawn in
        // no particular order
        let lines = vec![
            line("第一行正文在这里", 100.0, 50.0, 10.0),
            line("题", 40.0, 100.0, 28.0),
            line("竖", 40.0, 44.0, 28.0),
            line("排", 40.0, 72.0, 28.0),
            line("第二行正文在这里", 100.0, 64.0, 10.0),
        ];
        let drawn: Vec<usize> = (0..lines.len()).collect();
        let (out, found) = join_vertical(lines, &drawn);
        let texts: Vec<&str> = out.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["第一行正文在这里", "竖排题", "第二行正文在这里"]);
        assert_eq!(out[1].bbox.top, 44.0);
        assert_eq!(out[1].bbox.bottom, 128.0);
        assert_eq!(
            found,
            Found {
                stacked: 1,
                collapsed: 0,
                chars: 3
            }
        );
        let w = found.warning(4).unwrap();
        assert!(w.starts_with("page 4: vertical type: 3 characters"), "{w}");
    }

    #[test]
    fn glyphs_without_positions_keep_the_order_drawn_and_say_so() {
        // as Chromium writes vertical-rl: every glyph's box at the top,
        // the lines in no order, and the PDF drawing 竖排标题
        let lines = vec![
            line("题", 90.0, 102.6, 28.0),
            line("竖", 90.0, 102.8, 28.0),
            line("标", 90.0, 101.7, 28.0),
            line("排", 90.0, 103.9, 28.0),
        ];
        let (out, found) = join_vertical(lines, &[7, 4, 6, 5]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].text, "竖排标题");
        assert_eq!(found.collapsed, 1);
        assert!(found.warning(1).unwrap().contains("--ocr"));
    }

    #[test]
    fn horizontal_text_is_left_alone() {
        // one-char lines at a paragraph's left edge, a leading apart, and
        // two stacked glyphs only: no vertical type
        let lines = vec![
            line("出", 50.0, 100.0, 10.0),
            line("好", 50.0, 115.0, 10.0),
            line("了", 50.0, 130.0, 10.0),
            line("甲", 200.0, 100.0, 10.0),
            line("乙", 200.0, 110.0, 10.0),
            line("一行普通的正文", 50.0, 145.0, 10.0),
        ];
        let before = lines.clone();
        let drawn: Vec<usize> = (0..lines.len()).collect();
        let (out, found) = join_vertical(lines, &drawn);
        assert_eq!(out, before);
        assert_eq!(found, Found::default());
        assert_eq!(found.warning(1), None);
    }
}
