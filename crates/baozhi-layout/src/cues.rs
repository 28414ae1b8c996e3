//! Stage 2a: recognizers for the printed conventions of Chinese newspapers —
//! jump lines, editor marks, bylines, datelines, captions, page headers and
//! labels. Each looks at one line; deciding what a line *is* on the page is
//! left to the role model, which weighs these cues with the line's context.

use crate::lines::Piece;
use baozhi_model::Byline;
use baozhi_text::{is_circled_number, is_han, is_space};
use regex::Regex;
use std::sync::OnceLock;

macro_rules! re {
    ($name:ident, $pat:expr) => {
        fn $name() -> &'static Regex {
            static R: OnceLock<Regex> = OnceLock::new();
            R.get_or_init(|| Regex::new($pat).expect("valid pattern"))
        }
    };
}

const PAGE_NO: &str = r"(?:第\s*)?([A-Za-z]?\s*[0-9０-９一二三四五六七八九十]{1,3})\s*(?:版|页|面)";
re!(
    jump_re,
    &format!(
        r"[(（]\s*(下转|上接|转|接|续)\s*(?:第)?\s*{PAGE_NO}\s*[)）]|[(（]\s*(转下版|接上版|转下页|接上页)\s*[)）]"
    )
);
re!(
    dateline_re,
    r"^((?:据)?(?:(?:新华社|中新社|中国新闻社|本报|人民网|新华网|央视网|光明网|本刊)(?:[\p{Han}]{1,10}?)?\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:电|讯)|本报讯|新华社消息|本报消息|(?:据)?(?:新华社|中新社|本报)电))(?:\s*[(（]([^()（）]{1,40})[)）])?(?:\s*\d{1,2}\s*月\s*\d{1,2}\s*日)?"
);
re!(
    header_re,
    r"^(?:[A-Za-z]?\d{1,3}\s+\S{1,12}\s+\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:星期|周)[一二三四五六日天]|第\s*[A-Za-z]?\d{1,3}\s*版\s*[:：]?\s*\S{0,12}$|\S{2,10}\s+\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:(?:星期|周)[一二三四五六日天])?\s*(?:第\s*[A-Za-z]?\d{1,3}\s*版)?\s*$)"
);
re!(
    bracketed_agency_re,
    r"^[(（]\s*(?:人民视觉|影像中国|视觉中国|新华社发|人民图片|东方IC|IC\s*photo|[\p{Han}]{2,8}(?:发|供图))\s*[)）]$"
);
re!(
    credit_re,
    r"(?:(?:(?:本报|新华社|人民日报|中新社|特约)?(?:记者|通讯员|摄影记者)?\s*)[\p{Han}·]{1,4}(?:\s{1,3}[\p{Han}]{1,4}){0,3}\s*(?:摄|供图|制图|绘|提供)(?:\s*[(（][^()（）]{1,12}[)）])?|资料图片|视频截图|新华社发|[\p{Han}]{1,10}(?:博物馆|博物院|美术馆|纪念馆|档案馆|图书馆)藏)$"
);
re!(
    credit_line_re,
    r"^(?:[\p{Han}\s·:：、]{1,30}?(?:摄|供图|制图|绘|提供|新华社发|[(（][^()（）]{1,12}发[)）]|[(（]人民视觉[)）])|[\p{Han}]{0,10}?(?:资料图片|视频截图|新华社发|(?:博物馆|博物院|美术馆|纪念馆|档案馆|图书馆)藏))(?:\s*[(（][^()（）]{1,12}[)）])?$"
);
re!(
    numbered_heading_re,
    r"^(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）]|第[一二三四五六七八九十]{1,3}[章节部分])\S{1,24}$"
);
re!(
    opener_re,
    r"^(?:问[:：]|答[:：]|[一二三四五六七八九十]是|第[一二三四五六七八九十]+[,，、]|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、])"
);
re!(
    dated_note_re,
    r"^[(（]\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[^()（）]{0,60}[)）]$"
);
re!(
    author_note_re,
    r"^[(（]\s*(?:作者|本文|摘编|摘自|来源|原载|编者)[^()（）]*[)）]$"
);

/// What reporters did, printed after their names at a byline's end
/// (`本报记者  王斌来整理`, compiled by; `本报记者 姜峰摄影报道`): a
/// convention of the byline, longest first. A credit ending in 摄 alone is
/// a picture's, not a byline.
pub const BYLINE_TASKS: &[&str] = &["摄影报道", "整理", "采写", "报道"];

/// Byline roles, longest first so that 本报记者 wins over 记者.
pub const ROLES: &[&str] = &[
    "本报特约评论员",
    "本报特约记者",
    "本报评论员",
    "特约评论员",
    "人民日报记者",
    "新华社记者",
    "新华社通讯员",
    "中新社记者",
    "本报通讯员",
    "本报记者",
    "全媒体记者",
    "融媒体记者",
    "摄影记者",
    "特约记者",
    "见习记者",
    "文/图",
    "文／图",
    "文/",
    "文／",
    "图/",
    "图／",
    "实习记者",
    "实习生",
    "通讯员",
    "评论员",
    "记者",
];

/// The most common Chinese surnames (《百家姓》 ordered by modern frequency),
/// used to accept a bare name such as `周  瑛` as a byline.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝封";
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒", "夏侯",
    "宇文", "长孙",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JumpDir {
    /// 下转NN版: the article goes on on page NN.
    To,
    /// 上接NN版: the article began on page NN.
    From,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jump {
    pub dir: JumpDir,
    /// Page as printed, or `None` for 转下版 / 接上版.
    pub page: Option<String>,
    pub piece: Piece,
}

/// Find a jump line anywhere in the piece; returns it with the text before and after.
pub fn find_jump(p: &Piece) -> Option<(Option<Piece>, Jump, Option<Piece>)> {
    if !p.text.contains(['(', '（']) {
        return None;
    }
    let m = jump_re().captures(&p.text)?;
    let all = m.get(0)?;
    let word = m
        .get(1)
        .or_else(|| m.get(3))
        .map(|w| w.as_str())
        .unwrap_or("");
    let dir = if word.starts_with('上') || word.starts_with('接') || word.starts_with('续') {
        JumpDir::From
    } else {
        JumpDir::To
    };
    let page = m.get(2).map(|g| page_number(g.as_str()));
    let piece = p.slice(all.range())?;
    Some((
        p.slice(0..all.start()),
        Jump { dir, page, piece },
        p.slice(all.end()..p.text.len()),
    ))
}

/// Normalize a printed page number: full-width and Chinese digits to ASCII,
/// two digits for plain numbers (`3` → `03`, `十二` → `12`).
pub fn page_number(raw: &str) -> String {
    let s: String = raw.chars().filter(|c| !is_space(*c)).collect();
    let mut letters = String::new();
    let mut digits = String::new();
    let mut han = 0u32;
    let mut has_han = false;
    for c in s.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '０'..='９' => digits.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
            '〇' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' =>
            {
                has_han = true;
                let v = "〇一二三四五六七八九十"
                    .chars()
                    .position(|d| d == c)
                    .unwrap_or(0) as u32;
                if v == 10 {
                    han = if han == 0 { 10 } else { han * 10 };
                } else if han >= 10 && han.is_multiple_of(10) {
                    han += v;
                } else {
                    han = han * 10 + v;
                }
            }
            c if c.is_ascii_alphabetic() => letters.push(c.to_ascii_uppercase()),
            _ => {}
        }
    }
    if has_han && digits.is_empty() {
        digits = han.to_string();
    }
    if letters.is_empty() && digits.len() == 1 {
        digits.insert(0, '0');
    }
    letters + &digits
}

/// Editor marks at the end of a piece (`……发言。②4`, `落实。⑥`): the text
/// before them and the marks. A mark is a circled number with at most two digits after it.
pub fn strip_trailing_marks(p: &Piece) -> (Option<Piece>, Vec<Piece>) {
    // a mark is read off the last four chars at most (the char before it,
    // the circled number, two digits); a long line is not walked whole
    let mut tail = [(0, '\0'); 4];
    let mut n = 0;
    for ic in p.text.char_indices().rev().take(4) {
        tail[n] = ic;
        n += 1;
    }
    let chars = &mut tail[..n];
    chars.reverse();
    let mut i = chars.len();
    // digits after the circled number
    let mut j = i;
    while j > 0 && chars[j - 1].1.is_ascii_digit() && i - j < 2 {
        j -= 1;
    }
    // A mark follows the last sentence (`发言。②4`) or stands apart; a
    // circled number right after a word belongs to it (`系列评论⑤`).
    let after_sentence = j < 2 || {
        let c = chars[j - 2].1;
        baozhi_text::is_sentence_final(c) || baozhi_text::is_closing(c) || is_space(c)
    };
    if j > 0 && is_circled_number(chars[j - 1].1) && after_sentence {
        i = j - 1;
        let at = chars[i].0;
        let mark = p.slice(at..p.text.len());
        let rest = p.slice(0..at);
        return (rest, mark.into_iter().collect());
    }
    (Some(p.clone()), Vec::new())
}

/// A line that is only editor marks.
pub fn is_mark_only(text: &str) -> bool {
    let mut t = text.chars().filter(|c| !is_space(*c));
    // a circled number, then at most two digits
    t.next().is_some_and(is_circled_number)
        && t.enumerate().all(|(k, c)| k < 2 && c.is_ascii_digit())
}

/// A dateline opening a paragraph: its byte length in `text` and, for the
/// 本报讯(记者X) form, the byline it carries.
pub fn dateline_at_start(text: &str) -> Option<(usize, Vec<Byline>)> {
    // Every dateline opens with the name of a paper or agency.
    if !text.starts_with(['新', '中', '本', '人', '央', '光', '据']) {
        return None;
    }
    let m = dateline_re().captures(text)?;
    let all = m.get(0)?;
    let head = m.get(1).unwrap_or(all);
    // The reporters in parentheses after the dateline belong to it (the
    // spec's convention) and are the article's byline when none is printed.
    let byline = m
        .get(2)
        .and_then(|inner| parse_byline(inner.as_str()))
        .unwrap_or_default();
    // Reporters named without a role (`（顾仲阳、耿凯丽）`, one dateline in
    // ten in the corpus) close the dateline too; with no role they are
    // not turned into a byline.
    let named = !byline.is_empty() || m.get(2).is_some_and(|inner| is_name_list(inner.as_str()));
    // Only 本报讯 carries its date after the parenthesis; elsewhere the
    // dateline ends at the parenthesis, or at 电 without one that names reporters.
    let end = if head.as_str().starts_with("本报讯") {
        all.end()
    } else if let Some(inner) = m.get(2).filter(|_| named) {
        let close = text[inner.end()..].chars().next().map_or(0, char::len_utf8);
        inner.end() + close
    } else {
        head.end()
    };
    Some((end, byline))
}

/// Names alone, set apart by `、` or spaces (`顾仲阳、耿凯丽`): two to
/// four Han characters each (a foreign name may hold `·`), at most
/// `MAX_LISTED_NAMES` of them.
fn is_name_list(text: &str) -> bool {
    // A dateline's parentheses name at most a handful of reporters; a
    // longer list is something else (a note, a list of places).
    const MAX_LISTED_NAMES: usize = 6;
    let names: Vec<&str> = text
        .split(|c: char| c == '、' || is_space(c))
        .filter(|n| !n.is_empty())
        .collect();
    !names.is_empty() && names.len() <= MAX_LISTED_NAMES && names.iter().all(|n| name_shaped(n))
}

/// Two to four Han characters (a foreign name may hold `·`): the shape of
/// a Chinese name as bylines print it.
fn name_shaped(n: &str) -> bool {
    (2..=4).contains(&n.chars().count()) && n.chars().all(|c| is_han(c) || c == '·')
}

re!(
    page_credit_re,
    r"^[(（]?(?:本版|本期)?(?:责任编辑|责编|编辑|美编|美术编辑|版式设计|版式|校对|组版|照排|审读|统筹|策划|图片编辑|制图|摄影)[、\s]*(?:制图)?\s*[:：]"
);

/// The page's staff credits (`本版责编：张三  版式设计：李四`): furniture.
pub fn is_page_credit(text: &str) -> bool {
    text.chars().count() <= 60 && page_credit_re().is_match(text)
}

/// A page header (running head): `18 要闻  2025年3月12日`. Returns the page number if it has one.
pub fn page_header(text: &str) -> Option<Option<String>> {
    if text.chars().count() > 40 || !header_re().is_match(text) {
        return None;
    }
    // 第NN版 anywhere on the line names the page
    if let Some(i) = text.find('第') {
        let rest = &text[i + '第'.len_utf8()..];
        let n: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if !n.is_empty() && rest.trim_start()[n.len()..].trim_start().starts_with('版') {
            return Some(Some(page_number(&n)));
        }
    }
    if let Some(rest) = text.strip_prefix('第') {
        let n: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        return Some(Some(page_number(&n)).filter(|p| !p.is_empty()));
    }
    let first: String = text
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    if !first.is_empty()
        && first.len() <= 4
        && !text.starts_with(|c: char| c.is_ascii_digit() && first.len() == 4)
    {
        return Some(Some(page_number(&first)));
    }
    Some(None)
}

fn split_name_tokens(text: &str) -> Vec<String> {
    // Two-char names are padded to the width of three (`游  仪`), so single
    // chars separated by white space pair up into one name.
    let toks: Vec<&str> = text
        .split(|c: char| is_space(c) || c == '、' || c == ',' || c == '，')
        .filter(|t| !t.is_empty())
        .collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        if t.chars().count() == 1 && i + 1 < toks.len() && toks[i + 1].chars().count() == 1 {
            out.push(format!("{}{}", t, toks[i + 1]));
            i += 2;
        } else {
            out.push(t.to_string());
            i += 1;
        }
    }
    out
}

fn looks_like_name(n: &str) -> bool {
    if !name_shaped(n) {
        return false;
    }
    let first = n.chars().next().unwrap_or(' ');
    SURNAMES.contains(first) || COMPOUND_SURNAMES.iter().any(|s| n.starts_with(s))
}

/// A byline with roles: `本报记者  朱  隽  郁静娴`, `□ 本报评论员`,
/// `本报记者 甲 通讯员 乙`. Every token must be a role or a name.
pub fn parse_byline(text: &str) -> Option<Vec<Byline>> {
    let t = text.trim_start_matches(|c: char| {
        is_space(c) || matches!(c, '□' | '■' | '◇' | '◆' | '○' | '●' | '△' | '▲')
    });
    if t.is_empty() || t.chars().count() > 40 {
        return None;
    }
    // the task the reporters did closes the line (`本报记者  何  聪整理`):
    // it is no part of the last name
    let t = BYLINE_TASKS
        .iter()
        .find_map(|w| t.strip_suffix(w))
        .filter(|r| !r.trim_end_matches(is_space).is_empty())
        .unwrap_or(t);
    let mut out: Vec<Byline> = Vec::new();
    let mut rest = t;
    let mut saw_role = false;
    while !rest.is_empty() {
        rest = rest.trim_start_matches(|c: char| is_space(c) || c == '、' || c == ',' || c == '，');
        if rest.is_empty() {
            break;
        }
        if let Some(role) = ROLES.iter().find(|r| rest.starts_with(**r)) {
            out.push(Byline {
                role: Some(role.to_string()),
                names: Vec::new(),
            });
            rest = &rest[role.len()..];
            saw_role = true;
            continue;
        }
        // names belong to the role before them: a line that starts with
        // names is no byline (checked before the search for the next role,
        // which every line of body text would otherwise pay for)
        if out.is_empty() {
            return None;
        }
        // names up to the next role; set off by a space, or recognizably names
        let spaced = rest.len() < t.len() && t[..t.len() - rest.len()].ends_with(is_space);
        let next_role = ROLES
            .iter()
            .filter_map(|r| rest.find(r))
            .filter(|&i| i > 0)
            .min()
            .unwrap_or(rest.len());
        let names = split_name_tokens(&rest[..next_role]);
        // `新华社记者 温欣鑫摄` is a picture's credit, not a byline: 摄
        // (photographed by) closes the name
        let plausible = |n: &String| {
            !n.ends_with('摄')
                && (2..=4).contains(&n.chars().count())
                && n.chars().all(|c| is_han(c) || c == '·')
                && (spaced || looks_like_name(n))
        };
        if names.is_empty() || !names.iter().all(plausible) {
            return None;
        }
        match out.last_mut() {
            Some(b) => b.names.extend(names),
            None => return None,
        }
        rest = &rest[next_role..];
    }
    if saw_role {
        Some(out)
    } else {
        None
    }
}

/// A bare name byline, as commentary pages print them: `周  瑛`, `刘军国  吴旭华`.
pub fn bare_name_byline(text: &str) -> Option<Byline> {
    if text.chars().count() > 20 {
        return None;
    }
    let names = split_name_tokens(text);
    if names.is_empty() || names.len() > 4 || !names.iter().all(|n| looks_like_name(n)) {
        return None;
    }
    // A single unspaced token must not be an ordinary word (`杨柳` is both).
    if names.len() == 1 && !text.chars().any(is_space) && baozhi_text::lexicon::is_word(&names[0]) {
        return None;
    }
    Some(Byline { role: None, names })
}

/// The names of a line the line model reads as a byline: a byline with
/// roles (`本报特约记者 侯柳帆`), one in brackets as a short item closes with
/// it (`（本报记者 金凯梓）`), or bare names (`刘军国  吴旭华`).
pub fn labelled_byline(text: &str) -> Option<Vec<Byline>> {
    let t = text.trim_matches(is_space);
    let inner = t
        .strip_prefix(['（', '('])
        .and_then(|r| r.strip_suffix(['）', ')']))
        .unwrap_or(t);
    parse_byline(inner).or_else(|| bare_name_byline(inner).map(|b| vec![b]))
}

/// A reader's letter signature: place and name (`北京朝阳区  程  立`).
pub fn is_attribution(text: &str) -> bool {
    // the length first: most lines asked are paragraphs
    if text.len() > 24 * 4 || text.chars().count() > 24 {
        return false;
    }
    let toks: Vec<&str> = text.split(is_space).filter(|t| !t.is_empty()).collect();
    if toks.len() < 2 {
        return false;
    }
    let place = toks[0];
    let n = place.chars().count();
    let place_ok = (3..=10).contains(&n)
        && place.chars().all(is_han)
        && place
            .chars()
            .last()
            .is_some_and(|c| "省市区县州镇乡村旗盟".contains(c));
    place_ok && bare_name_byline(&toks[1..].join(" ")).is_some()
}

/// A photo caption printed on one line with its credit:
/// `开足马力生产的智能印刷包装生产线。②4 本报记者 张兰 摄`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptionParts {
    pub text: Piece,
    pub marks: Vec<Piece>,
    pub credit: Piece,
}

/// The longest line read as a caption with its credit: the corpus's
/// captions reach 175 characters (99 % within 163), and a credit with its
/// agency and editor marks adds up to about 40 more.
const MAX_CAPTION_CHARS: usize = 240;

pub fn caption_line(p: &Piece) -> Option<CaptionParts> {
    if p.text.chars().count() > MAX_CAPTION_CHARS {
        return None;
    }
    // The credit follows white space after the caption text, and ends the
    // line, perhaps with its agency in brackets (`林建摄（人民视觉）`).
    // (`credit_re` allows the agency up to 12 chars: 13 with its bracket)
    let t = p.text.trim_end();
    let t = match t.strip_suffix([')', '）']) {
        Some(inner) => inner
            .rfind(['(', '（'])
            .filter(|&i| inner[i..].chars().count() <= 1 + 12)
            .map_or(inner, |i| &inner[..i]),
        None => t,
    };
    // credits close on 摄, 图 (供图, 制图, 视频截图), 片 (资料图片), 绘,
    // 供, 提供, 藏 (…博物馆藏) or 发 (新华社发)
    if !t.ends_with(['摄', '图', '片', '绘', '供', '藏', '发']) && !t.ends_with("提供") {
        return None;
    }
    let m = credit_re().find(&p.text)?;
    let mut cut = m.start();
    // the credit must be separated from the caption by white space, and may
    // begin with spaces inside the match
    let credit = p.slice(m.range())?;
    let before = &p.text[..cut];
    if !before.ends_with(is_space) {
        // allow the regex's leading role part to have eaten no space: require
        // space, or a sentence's end right before the credit (PDF text layers
        // often join a caption and its credit with no space between:
        // `亮点纷呈。受访者供图`; a sentence never runs on into a credit)
        let lead_ws =
            p.text[m.start()..].len() - p.text[m.start()..].trim_start_matches(is_space).len();
        let after_sentence = before.ends_with(['。', '！', '？', '!', '?', '”']);
        if lead_ws == 0 && !after_sentence {
            return None;
        }
        cut = m.start();
    }
    let head = p.slice(0..cut)?;
    let (text, marks) = strip_trailing_marks(&head);
    let text = text?;
    let last = text.text.chars().last()?;
    if !matches!(last, '。' | '.' | '！' | '!' | '”' | '"' | '）' | ')') {
        return None;
    }
    Some(CaptionParts {
        text,
        marks,
        credit,
    })
}

/// A line that is only a photo credit (`包康轩摄`, `王  将摄(人民视觉)`,
/// `泰晤士小镇社区供图`). Newspapers set these under pictures; they never
/// continue a sentence.
pub fn is_credit_line(text: &str) -> bool {
    text.chars().count() <= 30 && credit_line_re().is_match(text)
}

/// A line that is only a picture agency in brackets (`（人民视觉）`,
/// `(新华社发)`, `（影像中国）`): the end of a credit that did not fit on
/// the credit's line.
pub fn is_bracketed_agency(text: &str) -> bool {
    bracketed_agency_re().is_match(text)
}

pub fn is_numbered_heading(text: &str) -> bool {
    numbered_heading_re().is_match(text)
        && !baozhi_text::ends_sentence(text)
        && text.chars().count() <= 26
}

/// Words that typically open a new paragraph: 问：, 答：, 一是, 第一，, （一）.
pub fn is_paragraph_opener(text: &str) -> bool {
    opener_re().is_match(text)
}

/// A document's or a speech's date under its title, as papers print it:
/// `（2024年10月12日）`, `（2020年2月24日第十三届全国人民代表大会常务委员会第十六次会议通过）`.
/// The corpus sets 54 such lines as a subtitle and none as an article's
/// first paragraph.
pub fn is_dated_note(text: &str) -> bool {
    let t = text.trim_matches(is_space);
    t.chars().count() <= 80 && dated_note_re().is_match(t)
}

/// `（作者为……）`, `（摘编自……）`: the note that closes a commentary.
pub fn is_author_note(text: &str) -> bool {
    author_note_re().is_match(text) || text.starts_with("——编") || text.starts_with("—— 编")
}

/// The boxed elements that papers set inside an article and that never open
/// a new one: 核心阅读 (the summary box of a composite report), 内容提要
/// (a theory page's), 开栏的话 (a new series' opening note), 编者按, 记者手记 …
pub fn is_box_heading(text: &str) -> bool {
    const BOX: &[&str] = &[
        "核心阅读",
        "内容提要",
        "开栏的话",
        "编者按",
        "记者手记",
        "记者观察",
        "延伸阅读",
        "相关链接",
        "背景链接",
        "链接",
        "短评",
        "小贴士",
        "数据来源",
        "编后",
    ];
    // the longest heading is 4 chars (12 bytes); spaced out, it stays short
    if text.len() > 48 {
        return false;
    }
    let t: String = text.chars().filter(|c| !is_space(*c)).collect();
    BOX.iter().any(|b| t == *b)
}

/// A series label: numbered instalments (`……系列评论⑤`, `产经观察·探析产业新动向④`).
pub fn is_series_label(text: &str) -> bool {
    let n = text.chars().count();
    let last = text.chars().last().unwrap_or(' ');
    n <= 40
        && !baozhi_text::ends_sentence(text)
        && (is_circled_number(last) || text.contains("系列") && n <= 30)
        && !text.contains('，')
        && !text.contains(',')
}

/// A column label with a rubric separator (`经济新方位·从就业看产业`).
pub fn is_dotted_label(text: &str) -> bool {
    let n = text.chars().count();
    n <= 24
        && text.contains('·')
        && !text.contains(['，', ',', '。'])
        && text.chars().filter(|c| is_han(*c)).count() >= 4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(s: &str) -> Piece {
        Piece {
            text: s.into(),
            start: 0,
            end: s.chars().count(),
        }
    }

    #[test]
    fn jump_lines_in_their_printed_forms() {
        let (before, j, after) = find_jump(&piece("重要论述, (下转03版)")).unwrap();
        assert_eq!(before.unwrap().text, "重要论述,");
        assert_eq!((j.dir, j.page.as_deref()), (JumpDir::To, Some("03")));
        assert!(after.is_none());
        let (_, j, _) = find_jump(&piece("（上接第一版）开头")).unwrap();
        assert_eq!((j.dir, j.page.as_deref()), (JumpDir::From, Some("01")));
        let (_, j, _) = find_jump(&piece("(转第十二版)")).unwrap();
        assert_eq!(j.page.as_deref(), Some("12"));
        let (_, j, _) = find_jump(&piece("（接上版）")).unwrap();
        assert_eq!((j.dir, j.page), (JumpDir::From, None));
        assert!(find_jump(&piece("(2024年10月12日)")).is_none());
    }

    #[test]
    fn marks_come_off_the_end() {
        let (rest, marks) = strip_trailing_marks(&piece("作了发言。②4"));
        assert_eq!(rest.unwrap().text, "作了发言。");
        assert_eq!(marks[0].text, "②4");
        let (rest, marks) = strip_trailing_marks(&piece("正文。"));
        assert_eq!(rest.unwrap().text, "正文。");
        assert!(marks.is_empty());
        let (rest, marks) = strip_trailing_marks(&piece("产经观察·探析产业新动向④"));
        assert_eq!(rest.unwrap().text, "产经观察·探析产业新动向④");
        assert!(marks.is_empty());
        assert!(is_mark_only("⑥") && is_mark_only("②4") && !is_mark_only("②正文"));
        // the mark alone, and at the very start of a line
        let (rest, marks) = strip_trailing_marks(&piece("②4"));
        assert!(rest.is_none());
        assert_eq!(marks[0].text, "②4");
        let (rest, marks) = strip_trailing_marks(&piece("好。③"));
        assert_eq!(
            (rest.unwrap().text.as_str(), marks[0].text.as_str()),
            ("好。", "③")
        );
        // at most two digits follow the circled number
        let (rest, marks) = strip_trailing_marks(&piece("作了发言。②456"));
        assert_eq!(rest.unwrap().text, "作了发言。②456");
        assert!(marks.is_empty());
        assert!(is_mark_only(" ② 45 ") && !is_mark_only("②456") && !is_mark_only("4②"));
        assert!(!is_mark_only("") && !is_mark_only("  "));
    }

    #[test]
    fn bylines_with_roles_and_padded_names() {
        let b = parse_byline("本报记者  朱  隽  郁静娴").unwrap();
        assert_eq!(
            b,
            vec![Byline {
                role: Some("本报记者".into()),
                names: vec!["朱隽".into(), "郁静娴".into()]
            }]
        );
        let b = parse_byline("□ 本报评论员").unwrap();
        assert_eq!(b[0].role.as_deref(), Some("本报评论员"));
        assert!(b[0].names.is_empty());
        let b = parse_byline("文/张三 图/李四").unwrap();
        assert_eq!(
            (b[0].names[0].as_str(), b[1].names[0].as_str()),
            ("张三", "李四")
        );
        let b = parse_byline("本报记者 甲乙 通讯员 丙丁").unwrap();
        assert_eq!(b.len(), 2);
        assert!(parse_byline("记者采访了很多人，他们说").is_none());
        // the task after the names is no part of them
        let b = parse_byline("本报记者  何  聪整理").unwrap();
        assert_eq!(b[0].names, vec!["何聪"]);
        let b = parse_byline("本报记者 陈沸宇 丁志军整理").unwrap();
        assert_eq!(b[0].names, vec!["陈沸宇", "丁志军"]);
        let b = parse_byline("本报记者 姜  峰摄影报道").unwrap();
        assert_eq!(b[0].names, vec!["姜峰"]);
        assert!(parse_byline("本报记者整理").unwrap()[0].names.is_empty());
        // names come after their role, never before it
        assert!(parse_byline("张三 本报记者 李四").is_none());
        assert_eq!(
            bare_name_byline("刘军国  吴旭华").unwrap().names,
            vec!["刘军国", "吴旭华"]
        );
        assert_eq!(bare_name_byline("周  瑛").unwrap().names, vec!["周瑛"]);
        assert!(bare_name_byline("核心阅读").is_none());
        assert!(bare_name_byline("上海松江").is_none());
        assert!(
            parse_byline("评论员观察").is_none(),
            "a column name, not a byline"
        );
        assert!(is_attribution("北京朝阳区  程  立") && !is_attribution("刘军国  吴旭华"));
        // the boxes papers set inside an article, spaced out or not
        for b in ["核心阅读", "内容提要", "开栏的话", "编 者 按"] {
            assert!(is_box_heading(b), "{b}");
        }
        assert!(!is_box_heading("内容提要与结论") && !is_box_heading("阅读"));
        assert!(is_dated_note("（2024年10月12日）") && is_dated_note("(2020年5月27日)"));
        assert!(is_dated_note(
            "（2020年2月24日第十三届全国人民代表大会常务委员会第十六次会议通过）"
        ));
        assert!(!is_dated_note("2024年10月12日") && !is_dated_note("（记者 张三）"));
    }

    #[test]
    fn datelines_and_the_bylines_inside_them() {
        let t = "本报讯(记者杨万里)10月21日,市七届人大常委会召开。";
        let (n, b) = dateline_at_start(t).unwrap();
        assert_eq!(&t[..n], "本报讯(记者杨万里)10月21日");
        assert_eq!(b[0].names, vec!["杨万里"]);
        // the reporters' parentheses belong to the dateline (spec)
        let t = "本报北京6月16日电  （记者寇江泽）为发挥警示作用";
        let (n, b) = dateline_at_start(t).unwrap();
        assert_eq!(&t[..n], "本报北京6月16日电  （记者寇江泽）");
        assert_eq!(b[0].role.as_deref(), Some("记者"));
        let t = "新华社天津10月20日电 中共中央总书记";
        assert_eq!(
            &t[..dateline_at_start(t).unwrap().0],
            "新华社天津10月20日电"
        );
        assert!(dateline_at_start("本报记者在北京采访").is_none());
        // reporters without a role close the dateline but make no byline
        let t = "本报北京3月24日电  （顾仲阳、耿凯丽）记者从水利部获悉";
        let (n, b) = dateline_at_start(t).unwrap();
        assert_eq!(&t[..n], "本报北京3月24日电  （顾仲阳、耿凯丽）");
        assert!(b.is_empty());
        // a note in parentheses is no list of names
        let t = "本报北京3月24日电  （国际锐评员观察）记者";
        assert_eq!(&t[..dateline_at_start(t).unwrap().0], "本报北京3月24日电");
        // datelines without place and date
        let t = "据新华社电  （记者周勉）近日";
        assert_eq!(
            &t[..dateline_at_start(t).unwrap().0],
            "据新华社电  （记者周勉）"
        );
        let t = "本报电  一季度，全国网络零售";
        assert_eq!(&t[..dateline_at_start(t).unwrap().0], "本报电");
    }

    #[test]
    fn captions_split_text_marks_and_credit() {
        let c = caption_line(&piece(
            "开足马力生产的智能印刷包装生产线。②4 本报记者 张兰 摄",
        ))
        .unwrap();
        assert_eq!(c.text.text, "开足马力生产的智能印刷包装生产线。");
        assert_eq!(c.marks[0].text, "②4");
        assert_eq!(c.credit.text, "本报记者 张兰 摄");
        let c = caption_line(&piece("像萤火虫般发光,也要播撒光明。 邹翔摄")).unwrap();
        assert_eq!(c.credit.text, "邹翔摄");
        assert!(caption_line(&piece("他拿起相机为大家拍摄")).is_none());
        // a long caption (a sentence of the article with its credit) still splits
        let long = format!(
            "{}。  本报记者 林  建摄（人民视觉）",
            "老挝人民愿同中国人民相互支持".repeat(11)
        );
        let c = caption_line(&piece(&long)).unwrap();
        assert_eq!(c.credit.text, "本报记者 林  建摄（人民视觉）");
        assert!(is_bracketed_agency("（人民视觉）") && is_bracketed_agency("(新华社发)"));
        assert!(!is_bracketed_agency("（2024年10月12日）") && !is_bracketed_agency("（记者李明）"));
        assert!(
            is_credit_line("包康轩摄")
                && is_credit_line("王  将摄(人民视觉)")
                && is_credit_line("泰晤士小镇社区供图")
        );
        assert!(!is_credit_line("今年的政府工作报告提出"));
        // credits that name no photographer: file pictures, video stills,
        // an agency's release, a museum's holding
        for credit in [
            "资料图片",
            "视频截图",
            "新华社发",
            "故宫博物院藏",
            "中国国家博物馆藏",
        ] {
            assert!(is_credit_line(credit), "{credit}");
            let c = caption_line(&piece(&format!(
                "年前，还要忙的一件事就是做美食。  {credit}"
            )))
            .unwrap_or_else(|| panic!("{credit}"));
            assert_eq!(
                (c.text.text.as_str(), c.credit.text.as_str()),
                ("年前，还要忙的一件事就是做美食。", credit)
            );
        }
        // a headline about a collection is no credit, nor is text run on
        assert!(!is_credit_line("让文物活起来的数字馆藏"));
        assert!(caption_line(&piece("这是一句话。 我们的资料图片")).is_none());
        assert!(caption_line(&piece("这是一句话。我们的资料图片")).is_none());
        // a credit set right after the caption's last sentence, no space
        let c = caption_line(&piece("与往届相比，本届论坛亮点纷呈。受访者供图")).unwrap();
        assert_eq!(
            (c.text.text.as_str(), c.credit.text.as_str()),
            ("与往届相比，本届论坛亮点纷呈。", "受访者供图")
        );
        let c = caption_line(&piece("柯桥区实施提升治理工程。新华社记者 施  嘉摄")).unwrap();
        assert_eq!(c.credit.text, "新华社记者 施  嘉摄");
        // but not run on within a sentence
        assert!(caption_line(&piece("他们来到现场拍摄")).is_none());
    }

    #[test]
    fn headers_labels_and_openers() {
        assert_eq!(
            page_header("18 要闻  2025年3月12日"),
            Some(Some("18".into()))
        );
        assert!(page_header("市七届人大常委会第十六次主任会议召开").is_none());
        assert_eq!(page_header("第03版：经济"), Some(Some("03".into())));
        assert!(is_page_credit("本版责编：张三  版式设计：李四"));
        assert!(is_page_credit("（本版责编：王  芳）"));
        assert!(is_page_credit("本期统筹：许  诺  制图：郭  祥"));
        assert!(is_page_credit("本版摄影：史家民  版式设计：沈亦伶"));
        assert!(is_page_credit("版式、制图：沈亦伶"));
        assert_eq!(
            page_header("经济日报 2025年6月3日 星期二 第05版"),
            Some(Some("05".into()))
        );
        assert_eq!(page_header("某某晚报 2025年6月3日"), Some(None));
        assert!(!is_page_credit("编辑部的同志们表示"));
        assert!(dateline_at_start("据新华社北京5月1日电 国务院").is_some());
        assert!(is_series_label("产经观察·探析产业新动向④"));
        assert!(is_series_label(
            "励精图治干事创业 带头践行“六个弘扬”系列评论⑤"
        ));
        assert!(is_dotted_label("经济新方位·从就业看产业"));
        assert!(
            is_paragraph_opener("问:《规划》出台有什么背景") && is_paragraph_opener("一是压实责任")
        );
        assert!(is_numbered_heading("一、总体要求"));
        assert!(is_author_note("(作者为湖南省某中心创办人)"));
        assert_eq!(page_number("A3"), "A3");
        assert_eq!(page_number("２"), "02");
    }
}
