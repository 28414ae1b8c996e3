//! Stage 1: the page text as lines, each with char offsets into the input.

use baozhi_text::is_space;

/// A piece of input text and where it came from (char offsets, half-open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

impl Piece {
    /// The sub-piece at byte range `range` of `self.text`, trimmed of white space.
    /// Returns `None` when nothing but white space is left.
    pub fn slice(&self, range: std::ops::Range<usize>) -> Option<Piece> {
        let sub = &self.text[range.clone()];
        let lead = sub.len() - sub.trim_start_matches(is_space).len();
        let body = sub.trim_start_matches(is_space).trim_end_matches(is_space);
        if body.is_empty() {
            return None;
        }
        let from = range.start + lead;
        let start = self.start + self.text[..from].chars().count();
        Some(Piece {
            text: body.to_string(),
            start,
            end: start + body.chars().count(),
        })
    }
}

/// A non-blank input line, trimmed, with the number of blank lines before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub piece: Piece,
    /// Index of the line in the text, blank lines counted (0-based): what
    /// ties it to outside knowledge of that line, such as its box on a PDF
    /// page.
    pub number: usize,
    pub blank_before: usize,
    /// Leading white space (chars) before the text: print indents paragraphs.
    pub indent: usize,
}

/// Split text into non-blank lines. Any of `\r\n`, `\r`, `\n` ends a line;
/// offsets count chars of `text` as given, so nothing is normalized away.
pub fn split_lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut blank = 0usize;
    let mut char_pos = 0usize;
    let mut line_start_byte = 0usize;
    let mut line_start_char = 0usize;
    let mut number = 0usize;
    let bytes = text.as_bytes();
    let mut iter = text.char_indices().peekable();
    let flush = |from_b: usize,
                 to_b: usize,
                 from_c: usize,
                 blank: &mut usize,
                 number: &mut usize,
                 out: &mut Vec<Line>| {
        let raw = &text[from_b..to_b];
        let piece = Piece {
            text: raw.to_string(),
            start: from_c,
            end: from_c + raw.chars().count(),
        };
        match piece.slice(0..raw.len()) {
            Some(p) => {
                let indent = p.start - from_c;
                out.push(Line {
                    piece: p,
                    number: *number,
                    blank_before: *blank,
                    indent,
                });
                *blank = 0;
            }
            None => *blank += 1,
        }
        *number += 1;
    };
    while let Some((b, c)) = iter.next() {
        if c == '\n' || c == '\r' {
            flush(
                line_start_byte,
                b,
                line_start_char,
                &mut blank,
                &mut number,
                &mut out,
            );
            let mut next_b = b + 1;
            char_pos += 1;
            if c == '\r' && bytes.get(b + 1) == Some(&b'\n') {
                iter.next();
                next_b += 1;
                char_pos += 1;
            }
            line_start_byte = next_b;
            line_start_char = char_pos;
        } else {
            char_pos += 1;
        }
    }
    flush(
        line_start_byte,
        text.len(),
        line_start_char,
        &mut blank,
        &mut number,
        &mut out,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(text: &str, p: &Piece) -> String {
        text.chars().skip(p.start).take(p.end - p.start).collect()
    }

    #[test]
    fn offsets_point_back_into_the_input_for_every_line_ending() {
        let text = "\u{3000}标题\r\n\r\n正文一\r正文二\n\n  尾 \n";
        let lines = split_lines(text);
        let got: Vec<&str> = lines.iter().map(|l| l.piece.text.as_str()).collect();
        assert_eq!(got, ["标题", "正文一", "正文二", "尾"]);
        for l in &lines {
            assert_eq!(chars(text, &l.piece), l.piece.text);
        }
        assert_eq!(lines[1].blank_before, 1);
        assert_eq!(lines[0].indent, 1);
        assert_eq!(lines[3].indent, 2);
        assert_eq!(lines[3].blank_before, 1);
    }

    #[test]
    fn slice_trims_and_keeps_offsets() {
        let p = Piece {
            text: "甲乙  丙丁".into(),
            start: 10,
            end: 16,
        };
        let at = "甲乙".len();
        let (a, b) = (p.slice(0..at), p.slice(at..p.text.len()));
        assert_eq!(
            a.unwrap(),
            Piece {
                text: "甲乙".into(),
                start: 10,
                end: 12
            }
        );
        assert_eq!(
            b.unwrap(),
            Piece {
                text: "丙丁".into(),
                start: 14,
                end: 16
            }
        );
    }
}
