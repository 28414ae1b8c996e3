//! The running head in display type. Broadsheets print the page's name and
//! number large at the head of the page (`社会` at 28 points and `13` at 33
//! beside `人民日报` and `2019年2月13日 星期三`), bigger and bolder than
//! many headlines, so type size alone reads them as a title. What places
//! them is a printing convention: they stand on one row with the running
//! head's date line or the page editors' credit, at the top of the page.
//! On pages with geometry (PDF, OCR) a short line on that row is the page's
//! furniture: the line model's decode gives it no other label, and reads
//! the lines around it knowing so.

use crate::units::{Cue, Unit};
use baozhi_model::{LineGeometry, PageSize};

/// The most chars of a section name (要闻, 社会, 文化遗产) or a page number
/// (`13`, `A3`): a headline that shares the row of the running head, as a
/// front page's 报眼 may, is longer and stays one.
pub const SECTION_NAME_MAX: usize = 4;

/// The share of the page's height, from its top, in which a running head
/// is looked for: broadsheet heads sit in its top tenth; a date line lower
/// down (a dated note, a letter) is no running head.
pub const HEAD_SHARE: f32 = 0.15;

/// How much of the shorter of two lines' heights must be shared for them to
/// stand on one row: a 28-point section name and an 11-point date line
/// aligned on their feet share the date line's height.
pub const SAME_ROW: f32 = 0.5;

/// Which units are short lines standing on the row of the running head's
/// date line or page credit, near the top of the page: the page's
/// furniture. None without the page's size.
pub fn on_head_row(units: &[Unit], geometry: &[LineGeometry], page: Option<PageSize>) -> Vec<bool> {
    let mut head = vec![false; units.len()];
    let Some(page) = page else { return head };
    let limit = page.height * HEAD_SHARE;
    // the short lines near the top that a masthead block may take in,
    // gathered once for every anchor
    let short: Vec<&LineGeometry> = units
        .iter()
        .filter(|u| u.visible > 0 && u.visible <= MASTHEAD_LINE_MAX)
        .filter_map(|u| geometry.get(u.number))
        .filter(|g| g.bottom <= limit)
        .collect();
    let anchors: Vec<LineGeometry> = units
        .iter()
        .filter(|u| matches!(u.cue, Cue::Header { .. } | Cue::PageCredit))
        .filter_map(|u| geometry.get(u.number))
        .filter(|g| g.bottom <= limit)
        .map(|a| masthead_block(a, &short))
        .collect();
    if anchors.is_empty() {
        return head;
    }
    for (u, on_row) in units.iter().zip(head.iter_mut()) {
        if u.visible == 0 || u.visible > SECTION_NAME_MAX {
            continue;
        }
        let Some(g) = geometry.get(u.number) else {
            continue;
        };
        *on_row = g.bottom <= limit && anchors.iter().any(|a| same_row(a, g));
    }
    head
}

/// The most chars of a line stacked on a running head's date line as part
/// of the masthead (the paper's name, `人民日报`, set over its date).
pub const MASTHEAD_LINE_MAX: usize = 8;

/// The date line's box grown by the short lines stacked on it at the top
/// of the page (the paper's name over its date): a page's name in display
/// type stands on the row of that block, beside both (`法治 05` as tall as
/// `人民日报` over `2019年10月23日 星期三`), not on the date line's alone.
/// A line is stacked on the block when it overlaps it across and the gap
/// between them is under a line's height (its own or the date line's,
/// the less): masthead lines are set close; the first headline or label
/// below stands further off. `short` are the page's lines of at most
/// [`MASTHEAD_LINE_MAX`] chars near its top.
fn masthead_block(anchor: &LineGeometry, short: &[&LineGeometry]) -> LineGeometry {
    let mut block = *anchor;
    loop {
        let grown = short
            .iter()
            .filter(|g| g.top < block.top || g.bottom > block.bottom)
            .find(|g| {
                let across = g.x0 < block.x1 && block.x0 < g.x1;
                let gap = (g.top - block.bottom).max(block.top - g.bottom);
                let line = (g.bottom - g.top).min(anchor.bottom - anchor.top);
                across && gap >= 0.0 && gap < line
            });
        match grown {
            Some(g) => {
                block.top = block.top.min(g.top);
                block.bottom = block.bottom.max(g.bottom);
                block.x0 = block.x0.min(g.x0);
                block.x1 = block.x1.max(g.x1);
            }
            None => return block,
        }
    }
}

/// Whether two lines stand on one row ([`SAME_ROW`]).
fn same_row(a: &LineGeometry, b: &LineGeometry) -> bool {
    let shared = a.bottom.min(b.bottom) - a.top.max(b.top);
    let shorter = (a.bottom - a.top).min(b.bottom - b.top);
    shorter > 0.0 && shared >= SAME_ROW * shorter
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{lines, units};

    fn boxed(x0: f32, top: f32, x1: f32, bottom: f32) -> LineGeometry {
        LineGeometry {
            x0,
            top,
            x1,
            bottom,
            size: bottom - top,
            bold: true,
        }
    }

    const PAGE: PageSize = PageSize {
        width: 1105.0,
        height: 1530.0,
    };

    fn head_row(text: &str, boxes: &[LineGeometry]) -> Vec<bool> {
        on_head_row(&units::units(lines::split_lines(text)), boxes, Some(PAGE))
    }

    #[test]
    fn a_section_name_and_number_on_the_date_lines_row_are_the_running_head() {
        // own text: the date line, the page's name and number in display
        // type on its row, then the first headline below
        let text = "2019年2月13日　星期三\n社会\n13\n乡村书屋开门迎客\n";
        let boxes = [
            boxed(76.0, 66.0, 199.0, 78.0),
            boxed(897.0, 45.0, 957.0, 74.0),
            boxed(981.0, 42.0, 1020.0, 75.0),
            boxed(221.0, 108.0, 883.0, 141.0),
        ];
        assert_eq!(head_row(text, &boxes), [false, true, true, false]);
    }

    #[test]
    fn a_section_name_beside_the_paper_name_over_its_date_is_the_running_head() {
        // own text: the paper's name over the date line at the left, the
        // page's name and number in display type at the right as tall as
        // both, then the first column label and headline below
        let text = "人民日报\n2019年10月23日　星期三\n法治05\n人民观点\n彰显中国发展的制度优势\n";
        let boxes = [
            boxed(33.0, 42.0, 98.0, 58.0),
            boxed(33.0, 65.0, 163.0, 76.0),
            boxed(969.0, 35.0, 1072.0, 67.0),
            boxed(51.0, 100.0, 91.0, 110.0),
            boxed(42.0, 112.0, 299.0, 134.0),
        ];
        // (the paper's name is the running head's too)
        assert_eq!(head_row(text, &boxes), [true, false, true, false, false]);
    }

    #[test]
    fn headlines_off_the_row_or_long_and_pages_without_a_head_keep_their_labels() {
        let none = [false; 3];
        // a short title below the head's row
        let text = "2019年2月13日　星期三\n书屋\n乡村书屋开门迎客\n";
        let below = [
            boxed(76.0, 66.0, 199.0, 78.0),
            boxed(400.0, 108.0, 500.0, 141.0),
            boxed(221.0, 150.0, 883.0, 180.0),
        ];
        assert_eq!(head_row(text, &below), none);
        // a headline beside the date line (a front page's 报眼) is longer
        // than a section name
        let text = "2019年2月13日　星期三\n乡村书屋开门迎客\n书屋\n";
        let beside = [
            boxed(76.0, 66.0, 199.0, 78.0),
            boxed(500.0, 50.0, 900.0, 80.0),
            boxed(400.0, 108.0, 500.0, 141.0),
        ];
        assert_eq!(head_row(text, &beside), none);
        // a date line far down the page is no running head
        let text = "2019年2月13日　星期三\n书屋\n乡村书屋开门迎客\n";
        let low = [
            boxed(76.0, 866.0, 199.0, 878.0),
            boxed(400.0, 850.0, 500.0, 880.0),
            boxed(221.0, 900.0, 883.0, 930.0),
        ];
        assert_eq!(head_row(text, &low), none);
        // without the page's size nothing is known of its top
        let us = units::units(lines::split_lines(text));
        assert_eq!(on_head_row(&us, &below, None), none);
    }
}
