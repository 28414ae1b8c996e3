//! Stage 2b: every line becomes a unit with the cues found on it. Marks and
//! jump lines are taken off the text here, keeping their own offsets.

use crate::cues::{self, CaptionParts, Jump};
use crate::lines::{Line, Piece};
use baozhi_model::Byline;

#[derive(Debug, Clone, PartialEq)]
pub enum Cue {
    /// The running head of the page.
    Header { page: Option<String> },
    /// The page's staff credits (本版责编：…).
    PageCredit,
    /// A line that is only editor marks.
    Mark,
    /// A line that is only a jump reference.
    JumpOnly,
    /// A photo caption with its credit on one line.
    Caption(CaptionParts),
    /// A byline with roles (`本报记者 X`).
    Byline(Vec<Byline>),
    /// Text: body, headline, label or heading; the role model decides.
    Text,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// The whole line.
    pub line: Piece,
    /// The text once marks and jumps are off (absent for cue-only lines).
    pub text: Option<Piece>,
    pub cue: Cue,
    pub marks: Vec<Piece>,
    pub jumps: Vec<Jump>,
    pub blank_before: usize,
    pub indent: usize,
    /// The line's index in the text ([`Line::number`]).
    pub number: usize,
    /// The line's length without white space ([`baozhi_text::visible_len`]),
    /// counted once: the page's shape and every line's features read it.
    pub visible: usize,
}

pub fn units(lines: Vec<Line>) -> Vec<Unit> {
    let mut units: Vec<Unit> = lines.into_iter().map(unit).collect();
    join_wrapped_jumps(&mut units);
    units
}

/// The most characters of a jump reference that a column's end can leave
/// on the line below (`版）`, `08版）`, `第08版）`, up to the whole
/// `下转第08版）`); a longer line is text of its own.
const WRAPPED_JUMP_TAIL: usize = 8;

/// A jump reference wrapped at a column's end (`……沉（下转第08` over
/// `版）`) is one jump: each line keeps its piece (with its own offsets)
/// and both carry the jump, so the lower line is a jump line and not a
/// paragraph's last words. Lines are read one at a time, so
/// [`cues::find_jump`] sees neither half as a jump.
fn join_wrapped_jumps(units: &mut [Unit]) {
    for i in 1..units.len() {
        let (above, below) = units.split_at_mut(i);
        let (a, b) = (&mut above[i - 1], &mut below[0]);
        let (Some(at), Some(bt)) = (a.text.as_ref(), b.text.as_ref()) else {
            continue;
        };
        if b.cue != Cue::Text || bt.text.chars().count() > WRAPPED_JUMP_TAIL {
            continue;
        }
        let Some(open) = at.text.rfind(['(', '（']) else {
            continue;
        };
        if at.text[open..].chars().count() > WRAPPED_JUMP_TAIL {
            continue;
        }
        let joined = format!("{}{}", &at.text[open..], bt.text);
        let whole = Piece {
            end: joined.chars().count(),
            text: joined,
            start: 0,
        };
        let Some((None, jump, None)) = cues::find_jump(&whole) else {
            continue;
        };
        // (never empty: it holds the bracket)
        let Some(head) = at.slice(open..at.text.len()) else {
            continue;
        };
        let (rest, tail) = (at.slice(0..open), bt.clone());
        for (u, piece) in [(&mut *a, head), (&mut *b, tail)] {
            u.jumps.push(Jump {
                piece,
                ..jump.clone()
            });
        }
        b.text = None;
        b.cue = Cue::JumpOnly;
        if rest.is_none() {
            a.cue = Cue::JumpOnly;
        }
        a.text = rest;
    }
}

fn unit(line: Line) -> Unit {
    let p = line.piece;
    let mut u = Unit {
        line: p.clone(),
        text: None,
        cue: Cue::Text,
        marks: Vec::new(),
        jumps: Vec::new(),
        blank_before: line.blank_before,
        indent: line.indent,
        number: line.number,
        visible: baozhi_text::visible_len(&p.text),
    };
    if let Some(page) = cues::page_header(&p.text) {
        u.cue = Cue::Header { page };
        return u;
    }
    if cues::is_page_credit(&p.text) {
        u.cue = Cue::PageCredit;
        return u;
    }
    if cues::is_mark_only(&p.text) {
        u.cue = Cue::Mark;
        u.marks.push(p);
        return u;
    }
    let mut text = Some(p.clone());
    // jump references, wherever they are on the line
    while let Some(t) = text.clone() {
        let Some((before, jump, after)) = cues::find_jump(&t) else {
            break;
        };
        if before.is_some() && after.is_some() {
            // A reference inside running text is quoted, not a jump line.
            break;
        }
        u.jumps.push(jump);
        text = before.or(after);
        if u.jumps.len() > 3 {
            break;
        }
    }
    let Some(t) = text else {
        u.cue = Cue::JumpOnly;
        return u;
    };
    if let Some(c) = cues::caption_line(&t) {
        u.marks.extend(c.marks.iter().cloned());
        u.cue = Cue::Caption(c);
        u.text = Some(t);
        return u;
    }
    let (rest, marks) = cues::strip_trailing_marks(&t);
    u.marks.extend(marks);
    let Some(t) = rest else {
        u.cue = Cue::Mark;
        return u;
    };
    if let Some(b) = cues::parse_byline(&t.text) {
        u.cue = Cue::Byline(b);
    }
    u.text = Some(t);
    u
}

/// The shape of the page where OCR kept printed lines: whether paragraphs
/// are indented, and the width of a full line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageShape {
    pub indents: bool,
    pub width: Option<usize>,
}

impl PageShape {
    pub fn of(units: &[Unit]) -> PageShape {
        let lens: Vec<(usize, usize)> = units
            .iter()
            .filter(|u| u.cue == Cue::Text)
            .map(|u| (u.indent, u.visible))
            .filter(|(_, n)| *n >= 6)
            .collect();
        let indented = lens.iter().filter(|(i, _)| *i > 0).count();
        let share = indented as f32 / lens.len().max(1) as f32;
        let indents = indented >= 3 && (0.08..=0.9).contains(&share);
        // the most common line width, if it is common enough to be the column
        let mut counts = std::collections::HashMap::new();
        for (i, n) in &lens {
            *counts.entry(i + n).or_insert(0usize) += 1;
        }
        let width = counts
            .into_iter()
            .max_by_key(|(w, c)| (*c, *w))
            .filter(|(_, c)| *c >= 4 && *c * 4 >= lens.len())
            .map(|(w, _)| w);
        PageShape { indents, width }
    }

    /// The hint for the seam between units `a` and `b`.
    pub fn hint(&self, a: &Unit, b: &Unit) -> crate::seam::SeamHint {
        crate::seam::SeamHint {
            b_indented: self.indents.then_some(b.indent > 0),
            a_full: self
                .width
                .map(|w| a.indent + baozhi_text::visible_len(&a.line.text) + 1 >= w),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cues::JumpDir;
    use crate::lines::split_lines;

    #[test]
    fn a_jump_wrapped_at_a_column_end_is_one_jump_on_both_lines() {
        let text = "航局员工刘经国在位于桂山岛上的沉（下转第08\n版）\n";
        let us = units(split_lines(text));
        assert_eq!(us.len(), 2);
        assert_eq!(
            us[0].text.as_ref().unwrap().text,
            "航局员工刘经国在位于桂山岛上的沉"
        );
        assert_eq!(us[1].cue, Cue::JumpOnly);
        assert!(us[1].text.is_none());
        for u in &us {
            assert_eq!(u.jumps.len(), 1);
            assert_eq!(u.jumps[0].dir, JumpDir::To);
            assert_eq!(u.jumps[0].page.as_deref(), Some("08"));
        }
        // every character is kept, at its own offsets
        let chars: Vec<char> = text.chars().collect();
        for j in us.iter().flat_map(|u| &u.jumps) {
            let at: String = chars[j.piece.start..j.piece.end].iter().collect();
            assert_eq!(at, j.piece.text);
        }
        assert_eq!(us[0].jumps[0].piece.text, "（下转第08");
        assert_eq!(us[1].jumps[0].piece.text, "版）");
    }

    #[test]
    fn a_bracket_at_a_line_end_that_is_no_jump_stays_text() {
        // a year in brackets over a line that starts with 版: no jump
        let us = units(split_lines("会议通过（2018\n版）的修订\n"));
        assert!(us.iter().all(|u| u.jumps.is_empty()));
        let us = units(split_lines("文章（下转第08\n版）还有很多很多的字\n"));
        assert!(us.iter().all(|u| u.jumps.is_empty()));
        assert_eq!(us[1].cue, Cue::Text);
    }
}
