//! Names the archive gives things: the keys of papers, issues and pages,
//! archive article ids, and what a page file's name says about its page.
//!
//! The file-name rules are the CLI's (`baozhi parse`), repeated here because
//! the archive cannot depend on the CLI crate; keep the two in step.

use std::cmp::Ordering;

/// Paper name used when a document has none (`paper: null`).
pub const UNKNOWN_PAPER: &str = "unknown";
/// Date used when a document has none (`date: null`).
pub const UNDATED: &str = "undated";
/// Page used when neither the document nor the article gives one.
pub const UNNUMBERED: &str = "unnumbered";

/// The paper key: the name, or [`UNKNOWN_PAPER`] when missing or blank.
pub fn paper_key(paper: Option<&str>) -> String {
    non_blank(paper).unwrap_or(UNKNOWN_PAPER).to_string()
}

/// The date key: the date as given, or [`UNDATED`] when missing or blank.
pub fn date_key(date: Option<&str>) -> String {
    non_blank(date).unwrap_or(UNDATED).to_string()
}

/// The page key: the page as printed, or [`UNNUMBERED`] when missing or blank.
pub fn page_key(page: Option<&str>) -> String {
    non_blank(page).unwrap_or(UNNUMBERED).to_string()
}

fn non_blank(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// The archive id of the `n`th (1-based) article of a page:
/// `{paper}/{date}/{page}/{n}`, each key percent-encoded.
///
/// Every byte outside `A–Z a–z 0–9 - _ ~` is written `%XX` (uppercase hex,
/// UTF-8 bytes), so the id is safe in a URL path as it is, and `/` only
/// ever separates the four parts. Example: `南阳日报`, `2024-10-22`, page
/// `01`, third article →
/// `%E5%8D%97%E9%98%B3%E6%97%A5%E6%8A%A5/2024-10-22/01/3`.
/// The id depends only on the keys and the article's place on its page, so
/// re-ingesting a page gives its articles the same ids.
pub fn archive_id(paper: &str, date: &str, page: &str, n: usize) -> String {
    format!("{}/{n}", page_prefix(paper, date, page))
}

/// The part of an archive id shared by all articles of one page (no
/// trailing slash); the index uses it to drop a page's articles at once.
pub fn page_prefix(paper: &str, date: &str, page: &str) -> String {
    format!(
        "{}/{}/{}",
        percent_encode(paper),
        percent_encode(date),
        percent_encode(page)
    )
}

/// Percent-encodes every byte outside `A–Z a–z 0–9 - _ ~`. `.` is encoded
/// too so that no part of an id can read as `.` or `..` in a URL path.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
        }
    }
    out
}

/// Orders page keys as a reader expects: `01 < 2 < 10 < A1 < A2 < B1`, with
/// [`UNNUMBERED`] last.
pub fn page_order(a: &str, b: &str) -> Ordering {
    page_sort_key(a).cmp(&page_sort_key(b))
}

fn page_sort_key(page: &str) -> (bool, String, u64, String) {
    let prefix: String = page.chars().take_while(|c| !c.is_ascii_digit()).collect();
    let rest = &page[prefix.len()..];
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    let number = digits.parse().unwrap_or(u64::MAX);
    (
        page == UNNUMBERED,
        prefix,
        number,
        rest[digits.len()..].to_string(),
    )
}

/// Whether two printed page numbers name the same page: equal, or equal
/// once leading zeros are dropped (`02` and `2`, `A03` and `A3`).
pub fn same_page(a: &str, b: &str) -> bool {
    a == b || page_sort_key(a) == page_sort_key(b)
}

// Dates and file names are read the same way by every front end.
pub use baozhi_ingest::names::{day_number, from_file_name, parse_date, NameInfo};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_url_safe_and_stable() {
        assert_eq!(
            archive_id("南阳日报", "2024-10-22", "01", 3),
            "%E5%8D%97%E9%98%B3%E6%97%A5%E6%8A%A5/2024-10-22/01/3"
        );
        assert_eq!(archive_id("a/b", "x.y", "..", 1), "a%2Fb/x%2Ey/%2E%2E/1");
        assert_eq!(paper_key(Some("  ")), UNKNOWN_PAPER);
        assert_eq!(date_key(None), UNDATED);
        assert_eq!(page_key(Some("A3")), "A3");
    }

    #[test]
    fn pages_sort_and_match_like_print() {
        let mut pages = vec!["10", "unnumbered", "B1", "2", "01", "A2", "A10"];
        pages.sort_by(|a, b| page_order(a, b));
        assert_eq!(pages, ["01", "2", "10", "A2", "A10", "B1", "unnumbered"]);
        assert!(same_page("02", "2"));
        assert!(same_page("A03", "A3"));
        assert!(!same_page("A3", "B3"));
        assert!(!same_page("3", "30"));
    }
}
