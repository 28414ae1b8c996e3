//! Punctuation width: extraction folds full-width marks to ASCII.
//!
//! [`restore_width`] turns the folded marks `,` `(` `)` `:` `;` `?` `!` back
//! into their full-width forms where they stand in Chinese text, and
//! [`fold_width`] does the opposite for search and comparison. Both map one
//! char to one char, so char offsets into the text stay valid.

use crate::{is_han, is_space};

/// How far (in chars) a neighbour search looks past spaces and quotes.
const LOOK: usize = 32;

/// The full-width form of a mark [`restore_width`] may restore.
/// Whether [`restore_width`] may change `c`: it has a full-width form.
/// Restoration leaves every other char as it is.
pub fn has_full_form(c: char) -> bool {
    full_form(c).is_some()
}

fn full_form(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        '(' => '（',
        ')' => '）',
        ':' => '：',
        ';' => '；',
        '?' => '？',
        '!' => '！',
        _ => return None,
    })
}

/// `,` `:` `;` `?` `!`: the restorable marks other than parentheses.
fn is_mark(c: char) -> bool {
    matches!(c, ',' | ':' | ';' | '?' | '!')
}

/// Chars that make their neighbourhood Chinese text: Han, kana, hangul, CJK
/// symbols and punctuation (、。《》「」…), vertical and small forms, and the
/// full-width forms block (，：（ ＡＢ １２ …).
fn is_cjk(c: char) -> bool {
    is_han(c)
        || matches!(c as u32,
            0x3001..=0x303F   // CJK symbols and punctuation (not U+3000, a space)
            | 0x3040..=0x30FF // kana
            | 0x31F0..=0x31FF
            | 0xAC00..=0xD7AF // hangul
            | 0xFE10..=0xFE1F // vertical forms
            | 0xFE30..=0xFE6F // compatibility and small forms
            | 0xFF01..=0xFF60 // full-width forms
            | 0xFFE0..=0xFFE6)
}

/// Punctuation that says nothing about the language by itself, so a
/// neighbour search looks through it. Looking back, a closing quote is seen
/// through to the quoted text (`“好”,` is Chinese); looking forward, an
/// opening quote is (`,“好”`). Ellipses, dashes and the middle dot are seen
/// through either way.
fn is_transparent(c: char, backward: bool) -> bool {
    match c {
        '…' | '‥' | '—' | '―' | '·' => true,
        '”' | '’' | '"' => backward,
        '“' | '‘' => !backward,
        _ => false,
    }
}

/// Whether the nearest telling char on one side of a position is CJK.
/// `skip_marks` also looks through ASCII marks that may themselves be
/// restored (used when deciding parentheses).
fn side_is_cjk(chars: impl Iterator<Item = char>, backward: bool, skip_marks: bool) -> bool {
    for c in chars.take(LOOK) {
        if is_space(c) || is_transparent(c, backward) || (skip_marks && is_mark(c)) {
            continue;
        }
        return is_cjk(c);
    }
    false
}

fn before_is_cjk(chars: &[char], i: usize, skip_marks: bool) -> bool {
    side_is_cjk(chars[..i].iter().rev().copied(), true, skip_marks)
}

fn after_is_cjk(chars: &[char], i: usize, skip_marks: bool) -> bool {
    side_is_cjk(chars[i + 1..].iter().copied(), false, skip_marks)
}

/// Marks the chars of URLs (`http://…`, `https://…`, `ftp://…`, `www.…`):
/// a run of printable ASCII from the scheme on, less trailing punctuation.
fn url_mask(chars: &[char]) -> Vec<bool> {
    let mut mask = vec![false; chars.len()];
    let starts_with = |i: usize, p: &str| {
        let mut k = i;
        for pc in p.chars() {
            match chars.get(k) {
                Some(c) if c.eq_ignore_ascii_case(&pc) => k += 1,
                _ => return false,
            }
        }
        true
    };
    let mut i = 0;
    while i < chars.len() {
        let at_word_start = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        if at_word_start
            && ["http://", "https://", "ftp://", "www."]
                .iter()
                .any(|p| starts_with(i, p))
        {
            let mut end = i;
            while end < chars.len() && chars[end].is_ascii_graphic() {
                end += 1;
            }
            let has_open = chars[i..end].contains(&'(');
            while end > i
                && (matches!(chars[end - 1], '.' | ',' | ':' | ';' | '?' | '!')
                    || (!has_open && chars[end - 1] == ')'))
            {
                end -= 1;
            }
            mask[i..end].iter_mut().for_each(|m| *m = true);
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    mask
}

/// Restores full-width punctuation that text extraction folded to ASCII,
/// where it stands in Chinese text. One char maps to one char.
///
/// - `,` `:` `;` `?` `!` (and runs such as `?!`) become `，：；？！` when the
///   nearest non-space char before or after them is CJK (a Han character,
///   CJK punctuation or a full-width form; closing quotes are looked through
///   backwards, opening quotes forwards). So `1,000`, `10:30`, `Hello, world`
///   stay, while `增长5%,其中` and `他说:“好”` are restored.
/// - A `(`…`)` pair (within one line) is restored when its content contains
///   CJK or the char outside either paren is CJK: `(记者杨万里)`,
///   `(2024年10月12日)`, `中国人民解放军(PLA)表示` are restored; `f(x)` and
///   `(a)` in Latin text stay. Unpaired parens follow their neighbours; a
///   paren paired with a full-width one is always restored.
/// - Nothing inside a URL (`http://…`, `www.…`) is changed.
pub fn restore_width(text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    if !chars.iter().any(|&c| full_form(c).is_some()) {
        return text.to_string();
    }
    let protected = url_mask(&chars);

    // Parentheses first, deciding on the input; prefix counts of CJK chars
    // make the "content has CJK" test O(1) per pair.
    let mut cjk_before = Vec::with_capacity(chars.len() + 1);
    cjk_before.push(0usize);
    for &c in &chars {
        cjk_before.push(cjk_before.last().copied().unwrap_or(0) + usize::from(is_cjk(c)));
    }
    let mut restore = vec![false; chars.len()];
    let mut stack: Vec<usize> = Vec::new();
    let mut lone: Vec<usize> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if protected[i] {
            continue;
        }
        match c {
            '\n' => lone.append(&mut stack),
            '(' | '（' => stack.push(i),
            ')' | '）' => match stack.pop() {
                Some(o) => {
                    let either_full = chars[o] == '（' || c == '）';
                    let yes = either_full
                        || cjk_before[i] > cjk_before[o + 1]
                        || before_is_cjk(&chars, o, true)
                        || after_is_cjk(&chars, i, true);
                    restore[o] = yes;
                    restore[i] = yes;
                }
                None => lone.push(i),
            },
            _ => {}
        }
    }
    lone.append(&mut stack);
    for i in lone {
        restore[i] = before_is_cjk(&chars, i, true) || after_is_cjk(&chars, i, true);
    }
    for (c, r) in chars.iter_mut().zip(&restore) {
        if *r {
            if let Some(f) = full_form(*c) {
                *c = f;
            }
        }
    }

    // Then the other marks, left to right, seeing what is already restored.
    let mut i = 0;
    while i < chars.len() {
        if protected[i] || !is_mark(chars[i]) {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < chars.len() && !protected[end] && is_mark(chars[end]) {
            end += 1;
        }
        if before_is_cjk(&chars, i, false) || after_is_cjk(&chars, end - 1, false) {
            for c in &mut chars[i..end] {
                if let Some(f) = full_form(*c) {
                    *c = f;
                }
            }
        }
        i = end;
    }
    chars.into_iter().collect()
}

/// Folds full-width ASCII variants (U+FF01–U+FF5E) to ASCII and the
/// ideographic space to a plain space, for search and comparison. One char
/// maps to one char.
pub fn fold_width(text: &str) -> String {
    text.chars()
        .map(|c| match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            0x3000 => ' ',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// restore_width, checking that it keeps the char count.
    fn r(s: &str) -> String {
        let out = restore_width(s);
        assert_eq!(out.chars().count(), s.chars().count(), "{s:?} -> {out:?}");
        out
    }

    #[test]
    fn marks_after_chinese_are_restored() {
        assert_eq!(
            r("在卧龙区先进制造业开发区,记者看到"),
            "在卧龙区先进制造业开发区，记者看到"
        );
        assert_eq!(r("他说:“好。”"), "他说：“好。”");
        assert_eq!(r("真的吗?!"), "真的吗？！");
        assert_eq!(r("一是加强;二是完善;"), "一是加强；二是完善；");
        assert_eq!(r("他说“好”,然后走了"), "他说“好”，然后走了");
        assert_eq!(r("《人民日报》:"), "《人民日报》：");
        assert_eq!(r("张三 , 李四"), "张三 ， 李四");
        assert_eq!(r("稍等……?"), "稍等……？");
    }

    #[test]
    fn marks_before_chinese_are_restored() {
        assert_eq!(r("同比增长12.5%,其中"), "同比增长12.5%，其中");
        assert_eq!(r("共有300人,\n其中"), "共有300人，\n其中");
        assert_eq!(r("他说“OK”,然后"), "他说“OK”，然后");
    }

    #[test]
    fn numbers_urls_and_latin_stay() {
        assert_eq!(r("共1,000人"), "共1,000人");
        assert_eq!(r("上午10:30举行"), "上午10:30举行");
        assert_eq!(r("时间:10:30"), "时间：10:30");
        assert_eq!(r("Hello, world! Really?"), "Hello, world! Really?");
        assert_eq!(
            r("网址:http://www.example.cn:8080/a?b=1,2;c"),
            "网址：http://www.example.cn:8080/a?b=1,2;c"
        );
        assert_eq!(
            r("详见http://x.cn/a,欢迎访问"),
            "详见http://x.cn/a，欢迎访问"
        );
        assert_eq!(r("www.gov.cn?"), "www.gov.cn?");
        assert_eq!(
            r("邮箱:news@example.com,欢迎"),
            "邮箱：news@example.com，欢迎"
        );
        assert_eq!(r("他说:“Hello, world!”"), "他说：“Hello, world!”");
    }

    #[test]
    fn parens() {
        assert_eq!(
            r("本报讯(记者杨万里)10月21日"),
            "本报讯（记者杨万里）10月21日"
        );
        assert_eq!(r("(2024年10月12日)"), "（2024年10月12日）");
        assert_eq!(r("中国人民解放军(PLA)表示"), "中国人民解放军（PLA）表示");
        assert_eq!(r("f(x) = (a) + b"), "f(x) = (a) + b");
        assert_eq!(r("see (a) and (b)"), "see (a) and (b)");
        assert_eq!(r("(1)加强领导"), "（1）加强领导");
        assert_eq!(r("(记者杨万里),"), "（记者杨万里），");
        assert_eq!(r("中文,(PLA)"), "中文，（PLA）");
        assert_eq!(r("半角（混合)"), "半角（混合）");
        assert_eq!(r("(下转02版"), "（下转02版");
        assert_eq!(r("x(y\nz)中"), "x(y\nz）中");
        assert_eq!(r("f(g(中))"), "f（g（中））");
    }

    #[test]
    fn untouched_text_is_returned_as_is() {
        assert_eq!(r(""), "");
        assert_eq!(r("没有标点的中文"), "没有标点的中文");
        assert_eq!(r("已是全角，（对）：；？！"), "已是全角，（对）：；？！");
    }

    #[test]
    fn restore_is_stable_on_realistic_text() {
        for s in [
            "本报讯(记者杨万里)10月21日,在卧龙区:“好!”",
            "共1,000人(约)",
            "Hello, (world)",
        ] {
            let once = restore_width(s);
            assert_eq!(restore_width(&once), once);
        }
    }

    #[test]
    fn fold() {
        let s = "全角，（ＡＢ１２）：；？！\u{3000}〇、。";
        let f = fold_width(s);
        assert_eq!(f, "全角,(AB12):;?! 〇、。");
        assert_eq!(f.chars().count(), s.chars().count());
        assert_eq!(
            fold_width(&r("本报讯(记者杨万里)10月21日,")),
            "本报讯(记者杨万里)10月21日,"
        );
    }

    fn text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just(",".to_string()),
            Just("(".to_string()),
            Just(")".to_string()),
            Just(":".to_string()),
            Just(";".to_string()),
            Just("?".to_string()),
            Just("!".to_string()),
            Just("“".to_string()),
            Just("”".to_string()),
            Just("\"".to_string()),
            Just("http://".to_string()),
            Just(" ".to_string()),
            Just("\n".to_string()),
            "[a-z0-9]{1,3}",
            "[\u{4e00}-\u{4e20}]{1,3}",
            "[，（）：；？！。、《》]",
            any::<char>().prop_map(|c| c.to_string()),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn restore_keeps_length_and_touches_only_marks(s in text()) {
            let out = restore_width(&s);
            prop_assert_eq!(out.chars().count(), s.chars().count());
            for (a, b) in s.chars().zip(out.chars()) {
                prop_assert!(a == b || full_form(a) == Some(b), "{:?} became {:?} in {:?}", a, b, s);
            }
            prop_assert_eq!(fold_width(&out), fold_width(&s));
        }

        #[test]
        fn fold_keeps_length(s in text()) {
            prop_assert_eq!(fold_width(&s).chars().count(), s.chars().count());
        }
    }
}
