//! Evidence for the print: what shows that a span the readers would
//! change is printed as meant. A correction stands only when its evidence
//! outweighs this; the language models cannot see it, because it is about
//! the article rather than the language:
//!
//! - **the string is a byline's name** (魏哲哲 in the byline and the
//!   text). That a string recurs in the article's text is no such proof:
//!   OCR misreads a glyph the same way each time it meets it (严厉 → 严历
//!   four times in one article). It is a cue the fitted confidence weighs
//!   (the echo of [`crate::echo`]), fitted on real OCR as well as on clean
//!   print;
//! - **a person's name by convention**: after a reporter's role (记者魏哲哲)
//!   or before a title or a verb of saying (屠呦呦研究员, 张某某表示);
//! - **a place or organisation by convention**: before the word that
//!   names its kind (莫莫格国家级自然保护区, 某某公司);
//! - **reduplication** after 一 (一桌桌, 一个个, 一步步) and in the AABB
//!   form (山山水水, 家家户户): Chinese grammar;
//! - **a pet name**: 小 or 阿 before a doubled char (小悦悦, 阿娇娇);
//! - **a number**: a doubled numeral beside another (壹壹贰叁, 二二三).
//!
//! These are conventions of print and grammar, not tuned numbers. What
//! comes from outside the article (a gazetteer's place name) outweighs
//! them, so the caller does not ask for findings that carry it.

/// Words a reporter's or author's name follows (`记者魏哲哲`).
const ROLES_BEFORE_NAMES: [&str; 8] = [
    "记者",
    "通讯员",
    "实习生",
    "编辑",
    "摄影",
    "作者",
    "撰文",
    "主持人",
];

/// Words that follow a person's name: titles and verbs of saying
/// (`屠呦呦研究员`, `张三表示`).
const AFTER_NAMES: [&str; 16] = [
    "研究员",
    "教授",
    "院士",
    "同志",
    "先生",
    "女士",
    "老师",
    "书记",
    "主任",
    "说",
    "表示",
    "介绍",
    "指出",
    "认为",
    "告诉",
    "坦言",
];

/// Words that follow the name of a place or an organisation
/// (`莫莫格国家级自然保护区`, `某某公司`): such names are the print's own,
/// whatever a language model makes of them.
const AFTER_PLACES: [&str; 16] = [
    "国家级",
    "自然保护区",
    "保护区",
    "湿地",
    "景区",
    "公司",
    "集团",
    "大学",
    "学院",
    "中学",
    "小学",
    "医院",
    "银行",
    "合作社",
    "社区",
    "街道",
];

/// Chars before a doubled char that make a pet name (小悦悦, 阿娇娇).
const PET_NAME_PREFIXES: [char; 2] = ['小', '阿'];

/// Numerals, plain and formal: a doubled one beside another is a number.
const NUMERALS: &str = "〇零一二三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟";

/// The longest Chinese given name plus surname a convention above spans
/// between its cue word and the span (a two-character surname and a
/// two-character given name leave up to three characters besides the
/// span's own).
const NAME_REACH: usize = 3;

/// Why the characters `cs[start..end]` stand as printed, if something in
/// the article says so. `bylines` are the names of the article's bylines,
/// one per line.
pub fn print_stands(cs: &[char], start: usize, end: usize, bylines: &str) -> Option<String> {
    if start >= end || end > cs.len() {
        return None;
    }
    let span: String = cs[start..end].iter().collect();
    // The span with a neighbour on each side, as far as they go: a single
    // character recurring means nothing, its setting does.
    let wide: String = cs[start.saturating_sub(1)..(end + 1).min(cs.len())]
        .iter()
        .collect();
    let probe = if span.chars().count() >= 2 {
        &span
    } else {
        &wide
    };
    if probe.chars().count() >= 2 && bylines.contains(probe.as_str()) {
        return Some(format!("{probe} is in a byline (a name)"));
    }
    let before: String = cs[start.saturating_sub(NAME_REACH + 3)..start]
        .iter()
        .collect();
    for role in ROLES_BEFORE_NAMES {
        if let Some(at) = before.rfind(role) {
            let between = before[at + role.len()..].chars().count();
            if between < NAME_REACH {
                return Some(format!("a name after {role}"));
            }
        }
    }
    let after: String = cs[end..(end + NAME_REACH + 3).min(cs.len())]
        .iter()
        .collect();
    for cue in AFTER_NAMES {
        if let Some(at) = after.find(cue) {
            if after[..at].chars().count() <= 1 {
                return Some(format!("a name before {cue}"));
            }
        }
    }
    for cue in AFTER_PLACES {
        if let Some(at) = after.find(cue) {
            if after[..at].chars().count() <= 1 {
                return Some(format!("a place or organisation before {cue}"));
            }
        }
    }
    let doubled = end - start == 2 && cs[start] == cs[start + 1];
    if !doubled {
        return None;
    }
    let c = cs[start];
    let prev = start.checked_sub(1).map(|i| cs[i]);
    let next = cs.get(end).copied();
    if prev == Some('一') {
        return Some(format!("一{span} is a reduplication (one by one)"));
    }
    // AABB: the doubling beside another doubling of another char
    let bb_after = next.is_some_and(|n| n != c && cs.get(end + 1) == Some(&n));
    let aa_before = start >= 2 && cs[start - 1] != c && cs[start - 2] == cs[start - 1];
    if bb_after || aa_before {
        return Some(format!("{span} is half of an AABB reduplication"));
    }
    if prev.is_some_and(|p| PET_NAME_PREFIXES.contains(&p)) {
        return Some(format!("{}{span} is a pet name", prev.unwrap_or_default()));
    }
    let numeral = |x: Option<char>| x.is_some_and(|x| NUMERALS.contains(x));
    if numeral(Some(c)) && (numeral(prev) || numeral(next)) {
        return Some(format!("{span} is part of a number"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stands(text: &str, span: &str, bylines: &str) -> Option<String> {
        let cs: Vec<char> = text.chars().collect();
        let at = text.find(span).expect("span in text");
        let start = text[..at].chars().count();
        print_stands(&cs, start, start + span.chars().count(), bylines)
    }

    #[test]
    fn names_and_terms_stand() {
        let text = "记者魏哲哲报道，屠呦呦研究员说，大家一桌桌地讨论。";
        assert!(stands(text, "哲哲", "").unwrap().contains("记者"));
        assert!(stands(text, "呦呦", "").unwrap().contains("研究员"));
        assert!(stands(text, "桌桌", "").unwrap().contains("reduplication"));
        // A byline's name.
        assert!(stands("他和魏哲哲一起", "哲哲", "魏哲哲\n")
            .unwrap()
            .contains("byline"));
        // Recurring in the text alone is the fitted echo's to weigh: OCR
        // repeats its misreadings.
        let text = "他历经干百年。干百年来如此。";
        assert_eq!(stands(text, "干", ""), None);
    }

    #[test]
    fn places_reduplications_pet_names_and_numbers_stand() {
        let stands_in = |text: &str, span: &str| stands(text, span, "");
        let reason = stands_in("推动莫莫格国家级自然保护区建设", "莫莫").unwrap();
        assert!(reason.contains("国家级"), "{reason}");
        assert!(stands_in("家乡的山山水水", "山山")
            .unwrap()
            .contains("AABB"));
        assert!(stands_in("家乡的山山水水", "水水")
            .unwrap()
            .contains("AABB"));
        assert!(stands_in("救起小悦悦的阿婆", "悦悦")
            .unwrap()
            .contains("pet name"));
        assert!(stands_in("北京壹壹贰叁网球俱乐部", "壹壹")
            .unwrap()
            .contains("number"));
        // a doubled numeral alone, and a doubling beside a doubling of
        // itself, are no such thing
        assert_eq!(stands_in("他们三三地走来", "三三"), None);
        assert_eq!(stands_in("这是是是一个", "是是"), None);
    }

    #[test]
    fn slips_do_not() {
        let text = "产业虽有有着四十多年的历史，群众增收的路子并不宽。";
        assert_eq!(stands(text, "有有", ""), None);
        let text = "公司上线了新的信息管理系绞，效率明显提高。";
        assert_eq!(stands(text, "绞", ""), None);
    }
}
