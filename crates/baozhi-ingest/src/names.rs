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
