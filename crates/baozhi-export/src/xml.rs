//! A small XML writer: escaping, indentation, and the characters XML 1.0
//! cannot carry.
//!
//! Page text comes from PDFs and OCR, which now and then hold control
//! characters (U+0001, a stray form feed, U+FFFF). XML 1.0 allows none of
//! them, not even as `&#1;`, so a file with one is not XML at all. They are
//! left out and counted, and the count is said in the file and to the
//! caller: never silently.

/// Whether XML 1.0 allows `c` in a document (its production `Char`).
/// Surrogates cannot occur in a Rust `char`.
pub fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// An XML document being written, with the count of the characters it left out.
#[derive(Debug, Default)]
pub struct Out {
    pub s: String,
    /// Characters of the text that XML 1.0 does not allow, left out.
    pub stripped: usize,
    depth: usize,
}

/// Two spaces a level: the files are read by people as well as programs.
const INDENT: &str = "  ";

impl Out {
    pub fn new() -> Self {
        Out::default()
    }

    /// A writer whose first element is indented `depth` levels (an element
    /// written to stand inside another).
    pub fn at_depth(depth: usize) -> Self {
        Out {
            depth,
            ..Out::default()
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.s.push_str(INDENT);
        }
    }

    fn start_tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.s.push('<');
        self.s.push_str(name);
        for (k, v) in attrs {
            self.s.push(' ');
            self.s.push_str(k);
            self.s.push_str("=\"");
            self.attr_value(v);
            self.s.push('"');
        }
    }

    /// `<name a="v">` on a line of its own; what follows is indented.
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.start_tag(name, attrs);
        self.s.push_str(">\n");
        self.depth += 1;
    }

    pub fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.indent();
        self.s.push_str("</");
        self.s.push_str(name);
        self.s.push_str(">\n");
    }

    /// `<name a="v"/>` on a line of its own.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.start_tag(name, attrs);
        self.s.push_str("/>\n");
    }

    /// `<name a="v">text</name>` on a line of its own.
    pub fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.indent();
        self.inline_open(name, attrs);
        self.text(text);
        self.inline_close(name);
        self.s.push('\n');
    }

    /// The start of an element with mixed content: no line break after it.
    pub fn line_start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.inline_open(name, attrs);
    }

    /// The end of an element opened by [`Out::line_start`].
    pub fn line_end(&mut self, name: &str) {
        self.inline_close(name);
        self.s.push('\n');
    }

    pub fn inline_open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start_tag(name, attrs);
        self.s.push('>');
    }

    pub fn inline_close(&mut self, name: &str) {
        self.s.push_str("</");
        self.s.push_str(name);
        self.s.push('>');
    }

    /// A comment on a line of its own; `--` cannot stand in one, so a
    /// space goes between two hyphens.
    pub fn comment(&mut self, text: &str) {
        self.indent();
        self.s.push_str("<!-- ");
        let mut last = ' ';
        for c in text.chars().filter(|&c| allowed(c)) {
            if c == '-' && last == '-' {
                self.s.push(' ');
            }
            self.s.push(c);
            last = c;
        }
        self.s.push_str(" -->\n");
    }

    /// Character data. `\r` is written as a reference, as a parser would
    /// turn a literal one into `\n`.
    pub fn text(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '&' => self.s.push_str("&amp;"),
                '<' => self.s.push_str("&lt;"),
                '>' => self.s.push_str("&gt;"),
                '\r' => self.s.push_str("&#13;"),
                c if allowed(c) => self.s.push(c),
                _ => self.stripped += 1,
            }
        }
    }

    /// An attribute value in double quotes. Tabs and line breaks are
    /// written as references: a parser turns literal ones into spaces.
    fn attr_value(&mut self, value: &str) {
        for c in value.chars() {
            match c {
                '&' => self.s.push_str("&amp;"),
                '<' => self.s.push_str("&lt;"),
                '>' => self.s.push_str("&gt;"),
                '"' => self.s.push_str("&quot;"),
                '\t' => self.s.push_str("&#9;"),
                '\n' => self.s.push_str("&#10;"),
                '\r' => self.s.push_str("&#13;"),
                c if allowed(c) => self.s.push(c),
                _ => self.stripped += 1,
            }
        }
    }
}

/// What a writer says about the characters it left out, or `None` when
/// there were none.
pub fn stripped_note(stripped: usize) -> Option<String> {
    (stripped > 0).then(|| {
        format!(
            "{stripped} character{} that XML 1.0 does not allow (control characters, U+FFFE, U+FFFF) left out",
            if stripped == 1 { "" } else { "s" }
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped_and_control_characters_counted() {
        let mut o = Out::new();
        o.leaf("p", &[("n", "a\"b<c>&\td\ne")], "x<y>&\"z\u{1}\u{FFFF}\r");
        assert_eq!(
            o.s,
            "<p n=\"a&quot;b&lt;c&gt;&amp;&#9;d&#10;e\">x&lt;y&gt;&amp;\"z&#13;</p>\n"
        );
        assert_eq!(o.stripped, 2);
        assert!(stripped_note(o.stripped)
            .unwrap()
            .starts_with("2 characters"));
        assert_eq!(stripped_note(0), None);
    }

    #[test]
    fn comments_cannot_be_closed_early() {
        let mut o = Out::new();
        o.comment("a -- b --->");
        assert_eq!(o.s, "<!-- a - - b - - -> -->\n");
    }
}
