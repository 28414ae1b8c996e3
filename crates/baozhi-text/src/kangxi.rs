//! Look-alike code points that PDF fonts map CJK glyphs to.
//!
//! A font's ToUnicode map sometimes sends the glyph of 金 to U+2F26 KANGXI
//! RADICAL GOLD, or 﨑 to a CJK compatibility ideograph; the page prints
//! the ideograph, and search, proofreading and readers want it. Unicode
//! itself says which ideograph each such code point stands for (its
//! compatibility or canonical decomposition); this reads it from
//! `unicode-normalization`'s tables rather than a list kept here.

use unicode_normalization::char::decompose_compatible;

/// The ideograph `c` stands for, when `c` is a Kangxi radical, a CJK
/// radical supplement form or a CJK compatibility ideograph whose
/// decomposition is one unified ideograph.
pub fn ideograph(c: char) -> Option<char> {
    let cp = c as u32;
    let look_alike =
        matches!(cp, 0x2E80..=0x2EFF | 0x2F00..=0x2FDF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F);
    if !look_alike {
        return None;
    }
    let mut out = None;
    let mut count = 0;
    decompose_compatible(c, |d| {
        count += 1;
        out = Some(d);
    });
    match out {
        Some(d) if count == 1 && d != c && is_unified(d) => Some(d),
        _ => None,
    }
}

fn is_unified(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0x20000..=0x323AF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kangxi_radicals_read_as_their_ideographs() {
        assert_eq!(ideograph('\u{2F26}'), Some('子'));
        assert_eq!(ideograph('\u{2FA6}'), Some('金'));
        assert_eq!(ideograph('\u{2F00}'), Some('一'));
    }

    #[test]
    fn compatibility_ideographs_read_as_unified_ones() {
        // U+F92C CJK COMPATIBILITY IDEOGRAPH-F92C is 郎.
        assert_eq!(ideograph('\u{F92C}'), Some('郎'));
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for c in "金子人民日报，。abc".chars() {
            assert_eq!(ideograph(c), None, "{c}");
        }
    }
}
