//! Character-level knowledge of Chinese newspaper text.
//!
//! Page text mixes full-width CJK punctuation with ASCII punctuation that
//! extraction folded, so every class here accepts both widths.

pub mod kangxi;
pub mod lexicon;
pub mod width;

/// A CJK ideograph (the unified blocks and their extensions, plus 〇).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x3007)
}

/// The BMP Han blocks (CJK Extension A and the Unified Ideographs, with
/// the few non-Han code points between them) that per-char tables index
/// densely: nearly every char of modern text lies here.
pub const DENSE_HAN: std::ops::RangeInclusive<u32> = 0x3400..=0x9FFF;
/// The number of slots of a dense table over [`DENSE_HAN`].
pub const DENSE_HAN_SLOTS: usize = (0x9FFF - 0x3400 + 1) as usize;

/// A char's slot in a dense per-char table, if it lies in [`DENSE_HAN`].
pub fn dense_han_slot(c: char) -> Option<usize> {
    let u = c as u32;
    DENSE_HAN
        .contains(&u)
        .then(|| (u - DENSE_HAN.start()) as usize)
}

/// Ends a sentence: 。！？… and their folded forms, plus ；(a full clause end).
pub fn is_sentence_final(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '…' | '!' | '?' | '．' | '；' | ';')
}

/// Closing quotes and brackets, which may follow a sentence-final mark.
pub fn is_closing(c: char) -> bool {
    matches!(
        c,
        '”' | '’' | '」' | '』' | '）' | ')' | '》' | '〉' | '】' | '〕' | ']' | '"' | '\''
    )
}

/// Opening quotes and brackets.
pub fn is_opening(c: char) -> bool {
    matches!(
        c,
        '“' | '‘' | '「' | '『' | '（' | '(' | '《' | '〈' | '【' | '〔' | '['
    )
}

/// Mid-sentence punctuation: the sentence goes on after it.
pub fn is_pause(c: char) -> bool {
    matches!(
        c,
        '，' | ',' | '、' | '：' | ':' | '—' | '-' | '·' | '～' | '~'
    )
}

/// Any punctuation mark, either width.
pub fn is_punct(c: char) -> bool {
    is_sentence_final(c)
        || is_closing(c)
        || is_opening(c)
        || is_pause(c)
        || matches!(c, '.' | '"' | '\'' | '／' | '/' | '%' | '％')
}

/// White space as page text uses it, including the ideographic space.
pub fn is_space(c: char) -> bool {
    // Page text is mostly Han and ASCII: answer those without the Unicode
    // tables (no White_Space char lies above U+3000 but the BOM)
    match c as u32 {
        0..=0x7F => c.is_ascii_whitespace() || c == '\u{0B}',
        0x3001.. => c == '\u{feff}',
        _ => c.is_whitespace() || c == '\u{3000}',
    }
}

/// Encircled numbers editors put after articles (②, ⑥ …).
pub fn is_circled_number(c: char) -> bool {
    matches!(c as u32, 0x2460..=0x2473 | 0x3251..=0x325F | 0x32B1..=0x32BF | 0x2776..=0x277F)
}

/// Whether text ends a sentence: a final mark, possibly followed by closing
/// quotes/brackets (`……。”` or `”。`).
pub fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end_matches(is_space);
    for c in t.chars().rev() {
        if is_closing(c) {
            continue;
        }
        return is_sentence_final(c);
    }
    false
}

/// Number of chars that are not white space.
pub fn visible_len(text: &str) -> usize {
    text.chars().filter(|c| !is_space(*c)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_ends_see_through_closing_quotes() {
        assert!(ends_sentence("他说:“好。”"));
        assert!(ends_sentence("装箱……"));
        assert!(ends_sentence("真的吗?"));
        assert!(!ends_sentence("现提"));
        assert!(!ends_sentence("重要论述,"));
        assert!(!ends_sentence("“智慧中枢”"));
        assert!(!ends_sentence(""));
    }

    #[test]
    fn han_and_punct_classes() {
        assert!(is_han('淅') && is_han('〇') && !is_han('A') && !is_han('，'));
        assert!(is_circled_number('②') && !is_circled_number('2'));
        assert_eq!(visible_len(" 中 文\u{3000}"), 2);
    }

    #[test]
    fn space_fast_paths_agree_with_unicode() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let unicode = c.is_whitespace() || c == '\u{3000}' || c == '\u{feff}';
            assert_eq!(is_space(c), unicode, "U+{:04X}", c as u32);
        }
    }
}
