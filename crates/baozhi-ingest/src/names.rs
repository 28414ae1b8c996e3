//! Issue dates and page numbers: checking a `--date`, and reading both from
//! file names such as `nanyang-2024-10-22-p01.txt` or `pd-2025-04-08-02-要闻.txt`.
//! Shared by every front end that takes pages from files (parse, ingest).

use std::path::Path;

/// Checks a `YYYY-MM-DD` date (a real calendar day) and returns it.
pub fn parse_date(s: &str) -> Result<String, String> {
    let chars: Vec<char> = s.chars().collect();
    let shaped = chars.len() == 10
        && chars.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        Err(format!(
            "{s:?} is not a date in the form YYYY-MM-DD (e.g. 2024-10-22)"
        ))
    } else if date_at(&chars, 0).is_none() {
        Err(format!(
            "{s:?} is not a calendar day (expected YYYY-MM-DD, e.g. 2024-10-22)"
        ))
    } else {
        Ok(s.to_string())
    }
}

/// `YYYY-MM-DD` as the number `YYYYMMDD`, for date-range filters; `None`
/// for anything that is not a calendar day in that form.
pub fn day_number(date: &str) -> Option<i64> {
    parse_date(date).ok()?;
    date.replace('-', "").parse().ok()
}

fn is_leap(y: u32) -> bool {
    match (y % 4, y % 100, y % 400) {
        (_, _, 0) => true,
        (_, 0, _) => false,
        (0, _, _) => true,
        _ => false,
    }
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// The number made of `chars[i..i + n]` when they are all ASCII digits.
fn digits_at(chars: &[char], i: usize, n: usize) -> Option<u32> {
    let part = chars.get(i..i + n)?;
    part.iter()
        .try_fold(0u32, |acc, c| Some(acc * 10 + c.to_digit(10)?))
}

/// A valid `YYYY-MM-DD` starting at `chars[i]`.
fn date_at(chars: &[char], i: usize) -> Option<String> {
    let y = digits_at(chars, i, 4)?;
    let m = digits_at(chars, i + 5, 2)?;
    let d = digits_at(chars, i + 8, 2)?;
    if chars[i + 4] != '-' || chars[i + 7] != '-' {
        return None;
    }
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(chars[i..i + 10].iter().collect())
}

fn is_digit_at(chars: &[char], i: usize) -> bool {
    chars.get(i).is_some_and(|c| c.is_ascii_digit())
}

fn is_separator(c: char) -> bool {
    matches!(c, '-' | '_' | '.' | ' ')
}

/// The issue date a page's running head prints: the first `YYYY年M月D日`
/// in `text` that is a calendar day, in Arabic digits (ASCII or full
/// width: `2024年10月22日`, `２０２４年１０月２２日`) or in Chinese numerals
/// as mastheads print them (`二〇二四年十月二十二日`), as `YYYY-MM-DD`.
/// Years before [`FIRST_PRINTED_YEAR`] are not taken (a `1949年10月1日` in
/// a slogan is history, not the issue).
pub fn date_in_text(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if let Some((y, after_year)) = year_at(&chars, i) {
            let month = number_at(&chars, after_year).filter(|(_, j)| chars.get(*j) == Some(&'月'));
            if let Some((m, j)) = month {
                let day = number_at(&chars, j + 1)
                    .filter(|(_, k)| matches!(chars.get(*k), Some('日' | '号')));
                if let Some((d, _)) = day {
                    if (FIRST_PRINTED_YEAR..=LAST_PRINTED_YEAR).contains(&y)
                        && (1..=12).contains(&m)
                        && (1..=days_in_month(y, m)).contains(&d)
                    {
                        return Some(format!("{y:04}-{m:02}-{d:02}"));
                    }
                }
            }
            i = after_year;
        } else {
            i += 1;
        }
    }
    None
}

/// The earliest year [`date_in_text`] takes as an issue date: the first
/// Chinese dailies (申报 began in 1872) print later than this.
pub const FIRST_PRINTED_YEAR: u32 = 1850;
/// The latest year [`date_in_text`] takes: beyond it, a `年` date on a page
/// is a plan or a target (`2035年`), not the issue.
pub const LAST_PRINTED_YEAR: u32 = 2100;

/// A digit's value: ASCII, full-width, or a Chinese numeral digit.
fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '０'..='９' => Some(c as u32 - '０' as u32),
        '〇' | '○' | 'Ｏ' | '零' => Some(0),
        '一' => Some(1),
        '二' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

/// A four-digit year followed by `年` at `chars[i]` (not inside a longer
/// run of digits): the year and where its `年` ends.
fn year_at(chars: &[char], i: usize) -> Option<(u32, usize)> {
    if i > 0 && digit_value(chars[i - 1]).is_some() {
        return None;
    }
    let part = chars.get(i..i + 5)?;
    if part[4] != '年' {
        return None;
    }
    let y = part[..4]
        .iter()
        .try_fold(0u32, |acc, &c| Some(acc * 10 + digit_value(c)?))?;
    Some((y, i + 5))
}

/// A month or day number at `chars[i]`: one or two digits, or a Chinese
/// number up to 三十一 (`十`, `十二`, `二十`, `二十二`). Returns the value
/// and the index after it.
fn number_at(chars: &[char], i: usize) -> Option<(u32, usize)> {
    let first = *chars.get(i)?;
    if first == '十' {
        return match chars.get(i + 1).and_then(|&c| digit_value(c)) {
            Some(d) if d > 0 => Some((10 + d, i + 2)),
            _ => Some((10, i + 1)),
        };
    }
    let a = digit_value(first)?;
    if chars.get(i + 1) == Some(&'十') {
        return match chars.get(i + 2).and_then(|&c| digit_value(c)) {
            Some(d) if d > 0 => Some((a * 10 + d, i + 3)),
            _ => Some((a * 10, i + 2)),
        };
    }
    match chars.get(i + 1).and_then(|&c| digit_value(c)) {
        Some(b) => Some((a * 10 + b, i + 2)),
        None => Some((a, i + 1)),
    }
}

/// What a file name says about its page.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct NameInfo {
    pub date: Option<String>,
    pub page: Option<String>,
}

/// Reads the issue date (`YYYY-MM-DD`, not inside a longer run of digits)
/// and the page from a file name. The page is `p01` / `P01` after a
/// separator (`-p01`, `_p3`), or else a field of one to three digits right
/// after the date (`2025-04-08-02-要闻` → `02`), kept as written.
pub fn from_file_name(path: &Path) -> NameInfo {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return NameInfo::default();
    };
    let chars: Vec<char> = name.chars().collect();
    let mut info = NameInfo::default();

    let mut date_end = None;
    for i in 0..chars.len() {
        if i > 0 && is_digit_at(&chars, i - 1) {
            continue;
        }
        if let Some(d) = date_at(&chars, i) {
            if !is_digit_at(&chars, i + 10) {
                info.date = Some(d);
                date_end = Some(i + 10);
                break;
            }
        }
    }

    // `-p01`: a p after a separator (or at the start), then digits.
    for i in 0..chars.len() {
        if !matches!(chars[i], 'p' | 'P') || (i > 0 && !is_separator(chars[i - 1])) {
            continue;
        }
        let n = chars[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let after = chars.get(i + 1 + n);
        if (1..=3).contains(&n) && !matches!(after, Some(c) if c.is_ascii_alphanumeric()) {
            info.page = Some(chars[i + 1..i + 1 + n].iter().collect());
            break;
        }
    }

    // `2025-04-08-02`: a short number field right after the date.
    if info.page.is_none() {
        if let Some(end) = date_end {
            if chars.get(end).is_some_and(|&c| matches!(c, '-' | '_')) {
                let n = chars[end + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                let after = chars.get(end + 1 + n);
                if (1..=3).contains(&n) && !matches!(after, Some(c) if c.is_ascii_alphanumeric()) {
                    info.page = Some(chars[end + 1..end + 1 + n].iter().collect());
                }
            }
        }
    }
    info
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_printed_in_running_heads() {
        assert_eq!(
            date_in_text("2024年10月22日 星期二").as_deref(),
            Some("2024-10-22")
        );
        assert_eq!(
            date_in_text("第3版 ２０１９年６月５日").as_deref(),
            Some("2019-06-05")
        );
        assert_eq!(
            date_in_text("二〇二〇年十二月三十一日 星期四 农历十一月十七").as_deref(),
            Some("2020-12-31")
        );
        assert_eq!(
            date_in_text("二〇一七年一月十日").as_deref(),
            Some("2017-01-10")
        );
        assert_eq!(
            date_in_text("2023年2月29日").as_deref(),
            None,
            "not a calendar day"
        );
        assert_eq!(date_in_text("到2035年基本实现").as_deref(), None);
        assert_eq!(
            date_in_text("12024年1月1日"),
            None,
            "inside a longer number"
        );
        assert_eq!(
            date_in_text("2035年目标 2021年3月8日").as_deref(),
            Some("2021-03-08"),
            "the first full date, past a bare year"
        );
        assert_eq!(date_in_text("3000年1月1日"), None);
    }

    fn info(name: &str) -> (Option<String>, Option<String>) {
        let i = from_file_name(Path::new(name));
        (i.date, i.page)
    }

    fn some(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    #[test]
    fn day_numbers_for_range_filters() {
        assert_eq!(day_number("2024-10-22"), Some(20241022));
        assert_eq!(day_number("2023-02-29"), None);
        assert_eq!(day_number("undated"), None);
    }

    #[test]
    fn dates_are_checked() {
        assert_eq!(parse_date("2024-10-22").unwrap(), "2024-10-22");
        assert!(parse_date("2024-02-29").is_ok());
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-1-2",
            "24-01-02",
            "2024-01-02x",
            "２０２４-01-02",
            "",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        assert!(parse_date("2024/01/02").unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse_date("2023-02-29")
            .unwrap_err()
            .contains("calendar day"));
    }

    #[test]
    fn names() {
        assert_eq!(
            info("nanyang-2024-10-22-p01.txt"),
            (some("2024-10-22"), some("01"))
        );
        assert_eq!(
            info("pd-2025-04-08-02-要闻.txt"),
            (some("2025-04-08"), some("02"))
        );
        assert_eq!(
            info("/some/dir-2020-01-01/pd-2025-04-08_12.txt"),
            (some("2025-04-08"), some("12"))
        );
        assert_eq!(info("paper_P3.txt"), (None, some("3")));
        assert_eq!(info("2024-10-22.txt"), (some("2024-10-22"), None));
        assert_eq!(info("12024-10-22.txt"), (None, None));
        assert_eq!(info("2024-10-221.txt"), (None, None));
        assert_eq!(info("2024-10-32-p02.txt"), (None, some("02")));
        assert_eq!(info("pd-2025-04-08-2025.txt"), (some("2025-04-08"), None));
        assert_eq!(info("pages.txt"), (None, None));
        assert_eq!(info("photo-p01a.txt"), (None, None));
        assert_eq!(info(""), (None, None));
    }
}
