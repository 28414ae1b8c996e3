//! Stage 2b: every line becomes a unit with the cues found on it. Marks and
//! jump lines are taken off the text here, keeping their own offsets.

use crate::cues::{self, CaptionParts, Jump};
use crate::lines::{Line, Piece};
use baozhi_model::Byline;

#[derive(Debug, Clone, PartialEq)]
pub enum Cue {
    /// The running head of the page.
    Header { page: Option<String> },
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
}

pub fn units(lines: Vec<Line>) -> Vec<Unit> {
    lines.into_iter().map(unit).collect()
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
    };
    if let Some(page) = cues::page_header(&p.text) {
        u.cue = Cue::Header { page };
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
