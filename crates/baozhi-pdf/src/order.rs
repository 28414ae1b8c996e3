//! Reading order of a page's printed lines: recursive cuts along white space
//! (the XY cut of Nagy and Seth).
//!
//! A newspaper page is a grid: blocks stacked with white bands between
//! them, columns side by side with gutters between them. A region of the
//! page is cut at a white band that crosses it (a band at least an em of
//! body type high: the leading between lines is far less), else at its
//! gutters (columns are read left to right), else at its widest white gap
//! (a headline over the columns it spans, a little further from them than
//! its lines are from each other). The pieces are read in order, each cut
//! again, until a piece is one row of text.
//!
//! A band under a headline group (headline type, maybe a byline row under
//! it) is cut last: two articles set side by side often have their
//! headlines on one row and their text on the rows below, and cutting under
//! the headlines first would read both headlines and then both texts. The
//! gutter between them is cut first. The band under the page's running
//! head is not such a band, though its page name and number are display
//! type: the head is read first, whole.
//!
//! Lines of two columns usually share baselines, so a region's thin gaps
//! between rows cross every column: cutting there first would read the
//! page row by row across the columns, as `pdftotext` does. That is why
//! gutters come before thin gaps.

use crate::lines::{PrintedLine, Rect};

/// A white band across a region at least this many ems of body type high
/// separates two stacked blocks. Body leading is about half an em; the
/// space between stacked articles one to three ems.
const BAND_GAP_EM: f32 = 1.0;

/// A white strip down a whole region at least this many ems wide is a
/// gutter. Glyphs of one line touch; gutters are an em or more.
const GUTTER_EM: f32 = 0.5;

/// A region with neither bands nor gutters is cut at its widest gap alone
/// when that gap is this many times the middle gap (a headline above its
/// text); otherwise at every gap (rows of one column).
const WIDEST_GAP_RATIO: f32 = 1.5;

/// Type at least this many times body size is headline type. Titles are
/// set two to three times body size, kickers and subtitles of the size
/// between; body-size bold (bylines, some subtitles) is not headline type.
const HEADLINE_SIZE: f32 = 1.25;

/// Lines whose tops are within this many ems of body type of each other
/// are one row (type of different sizes sits a little apart).
const ROW_EM: f32 = 0.5;

/// How much of a smaller line's height must lie within a display line's
/// for the two to stand on one row (a date line set level with the foot
/// of a page's name in display type).
const SAME_ROW_SHARE: f32 = 0.5;

/// How deep a page's running head reaches from the top of the page, in
/// ems of body type: the paper's name over the date line, and the page's
/// name and number in display type beside them (about four ems).
const RUNNING_HEAD_EM: f32 = 5.0;

/// How far above a band, in ems of body type, a headline still heads the
/// text below the band: the white under the headline (one to two ems) and
/// a byline or dateline row between them.
const HEAD_GROUP_EM: f32 = 4.0;

/// The order to read `lines` in, as indices into it.
pub fn reading_order(lines: &[PrintedLine]) -> Vec<usize> {
    reading_order_around(lines, &[])
}

/// The order to read `lines` in, as indices into it, on a page that prints
/// `pictures` there. A picture fills its place like a block of text: the
/// white it would leave if it were left out is no band between blocks, so
/// a column that runs on under its picture is read on, not after the
/// column beside it.
pub fn reading_order_around(lines: &[PrintedLine], pictures: &[Rect]) -> Vec<usize> {
    let body = body_size(lines);
    // Where the page's topmost line starts: its running head is read from there.
    let page_top = lines
        .iter()
        .map(|l| l.bbox.top)
        .fold(f32::INFINITY, f32::min);
    // Pictures take part in the cuts as lines without text, in no type
    // (size 0: never headline type) and are left out of the order. The cuts
    // read only boxes and sizes, so the lines join them without their text.
    let items: Vec<PrintedLine>;
    let lines = if pictures.is_empty() {
        lines
    } else {
        let placed = |bbox: Rect, size: f32| PrintedLine {
            text: String::new(),
            bbox,
            size,
            bold: false,
        };
        items = lines
            .iter()
            .map(|l| placed(l.bbox, l.size))
            .chain(pictures.iter().map(|&bbox| placed(bbox, 0.0)))
            .collect();
        &items
    };
    let text_lines = lines.len() - pictures.len();
    let mut out = Vec::with_capacity(lines.len());
    // Regions still to read, the next one last: a stack keeps the order
    // without recursion, however many times a column is cut.
    let mut todo: Vec<Vec<usize>> = vec![(0..lines.len()).collect()];
    while let Some(region) = todo.pop() {
        match cut(lines, &region, body, page_top) {
            Some(mut pieces) => {
                pieces.reverse();
                todo.extend(pieces);
            }
            None => {
                let mut leaf = region;
                leaf.sort_by(|&a, &b| {
                    let (a, b) = (&lines[a].bbox, &lines[b].bbox);
                    a.top.total_cmp(&b.top).then(a.x0.total_cmp(&b.x0))
                });
                out.extend(leaf.into_iter().filter(|&i| i < text_lines));
            }
        }
    }
    out
}

/// The size of body type: the size most characters of the page are set in.
pub fn body_size(lines: &[PrintedLine]) -> f32 {
    let mut by_size: Vec<(f32, usize)> = Vec::new();
    for l in lines {
        let n = l.text.chars().count();
        match by_size.iter_mut().find(|(z, _)| (*z - l.size).abs() < 0.25) {
            Some(e) => e.1 += n,
            None => by_size.push((l.size, n)),
        }
    }
    by_size
        .iter()
        .max_by_key(|(_, n)| *n)
        .map_or(10.0, |(z, _)| *z)
        .max(1.0)
}

/// The pieces a region is cut into, in reading order, or `None` when it is
/// one row.
fn cut(
    lines: &[PrintedLine],
    region: &[usize],
    body: f32,
    page_top: f32,
) -> Option<Vec<Vec<usize>>> {
    if region.len() < 2 {
        return None;
    }
    let rows = gaps(
        region
            .iter()
            .map(|&i| (lines[i].bbox.top, lines[i].bbox.bottom)),
    );
    let by_row = |i: usize| centre(lines[i].bbox.top, lines[i].bbox.bottom);
    let by_column = |i: usize| centre(lines[i].bbox.x0, lines[i].bbox.x1);
    let bands: Vec<f32> = rows
        .iter()
        .filter(|g| g.width >= BAND_GAP_EM * body)
        .map(|g| g.at)
        .collect();
    // A headline is not cut from the text it heads: a band under a
    // headline group is cut only when nothing else divides the region.
    let (under_heads, between_blocks): (Vec<f32>, Vec<f32>) = bands
        .iter()
        .partition(|&&at| under_headline_group(lines, region, at, body, page_top));
    let between_blocks = without_column_tails(lines, region, &between_blocks, body);
    if !between_blocks.is_empty() {
        return Some(split(region, &between_blocks, by_row));
    }
    let gutters = gutters(lines, region, body);
    // Under headlines that share a row, a gutter down the whole region
    // parts two articles set side by side: each is read whole.
    if !gutters.is_empty() {
        let columns = split(region, &gutters, by_column);
        return Some(heads_first(lines, columns, body));
    }
    if !under_heads.is_empty() {
        return Some(split(region, &under_heads, by_row));
    }
    if rows.is_empty() {
        return None;
    }
    let mut widths: Vec<f32> = rows.iter().map(|g| g.width).collect();
    widths.sort_by(f32::total_cmp);
    let middle = widths[widths.len() / 2];
    let widest = rows.iter().max_by(|a, b| a.width.total_cmp(&b.width))?;
    let at: Vec<f32> = if rows.len() > 1 && widest.width > WIDEST_GAP_RATIO * middle {
        vec![widest.at]
    } else {
        rows.iter().map(|g| g.at).collect()
    };
    Some(split(region, &at, by_row))
}

/// The bands of `bands` (sorted) that part stacked blocks, less those
/// under which only one column of the block above runs on: a picture with
/// its caption (or the last lines of an article) set at the foot of one
/// column, below where the columns beside it end. The white over such a
/// tail crosses the region, but what stands under it belongs to its own
/// column, and reading it after the columns beside would hand a caption to
/// the article read last. Such a tail lies between two gutters of the block
/// above, and that column runs on below the others by a band's height at
/// least (they end a line or more earlier; columns that end level are one
/// block, and what stands under them the next).
fn without_column_tails(
    lines: &[PrintedLine],
    region: &[usize],
    bands: &[f32],
    body: f32,
) -> Vec<f32> {
    if bands.is_empty() {
        return Vec::new();
    }
    let pieces = split(region, bands, |i| {
        centre(lines[i].bbox.top, lines[i].bbox.bottom)
    });
    if pieces.len() != bands.len() + 1 {
        return bands.to_vec();
    }
    let extent = |piece: &[usize]| {
        piece
            .iter()
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), &i| {
                (a.min(lines[i].bbox.x0), b.max(lines[i].bbox.x1))
            })
    };
    let mut kept = Vec::with_capacity(bands.len());
    for (k, &band) in bands.iter().enumerate() {
        let (above, below) = (&pieces[k], &pieces[k + 1]);
        let gutters = gutters(lines, above, body);
        let (x0, x1) = extent(below);
        let straddles = gutters.iter().any(|&g| x0 < g && g < x1);
        let tail = !gutters.is_empty() && !straddles && {
            // the tail's column, and the others, in the block above
            let column = |i: usize| {
                gutters.partition_point(|&g| g < centre(lines[i].bbox.x0, lines[i].bbox.x1))
            };
            let own = gutters.partition_point(|&g| g < x0);
            let bottom = |same: bool| {
                above
                    .iter()
                    .filter(|&&i| (column(i) == own) == same)
                    .map(|&i| lines[i].bbox.bottom)
                    .fold(f32::NEG_INFINITY, f32::max)
            };
            bottom(true) >= bottom(false) + BAND_GAP_EM * body
        };
        if !tail {
            kept.push(band);
        }
    }
    kept
}

/// Where the gutters run down a region ([`GUTTER_EM`]), left to right.
fn gutters(lines: &[PrintedLine], region: &[usize], body: f32) -> Vec<f32> {
    gaps(region.iter().map(|&i| (lines[i].bbox.x0, lines[i].bbox.x1)))
        .iter()
        .filter(|g| g.width >= GUTTER_EM * body)
        .map(|g| g.at)
        .collect()
}

/// Whether a line is set in headline type ([`HEADLINE_SIZE`]).
fn headline_type(line: &PrintedLine, body: f32) -> bool {
    line.size >= HEADLINE_SIZE * body
}

/// Whether the band at `at` parts a headline group from its text: there
/// is headline type within [`HEAD_GROUP_EM`] above it (the headline, maybe
/// a byline row under it) with part of the row just below it beneath that
/// type, and that row is not all headline type (that would be the next
/// article's headline).
fn under_headline_group(
    lines: &[PrintedLine],
    region: &[usize],
    at: f32,
    body: f32,
    page_top: f32,
) -> bool {
    let is_head = |l: &PrintedLine| headline_type(l, body);
    let heads_above: Vec<&PrintedLine> = region
        .iter()
        .map(|&i| &lines[i])
        .filter(|l| l.bbox.bottom <= at && l.bbox.bottom > at - HEAD_GROUP_EM * body && is_head(l))
        .collect();
    if heads_above.is_empty() || running_head_above(lines, region, at, body, page_top) {
        return false;
    }
    let below = || {
        region
            .iter()
            .map(|&i| &lines[i])
            .filter(move |l| l.bbox.top >= at)
    };
    let Some(first) = below().map(|l| l.bbox.top).min_by(f32::total_cmp) else {
        return false;
    };
    let row = || below().filter(move |l| l.bbox.top < first + ROW_EM * body);
    // A headline heads what stands under it: display type above a row that
    // has nothing beneath it (a page header's name and number over the
    // page's first headlines) heads nothing.
    let heads_the_row = row().any(|l| {
        heads_above
            .iter()
            .any(|h| l.bbox.x0 < h.bbox.x1 && h.bbox.x0 < l.bbox.x1)
    });
    heads_the_row && !row().all(is_head)
}

/// Whether all that stands above the band at `at` is the page's running
/// head: the page's topmost lines, no deeper than [`RUNNING_HEAD_EM`], with
/// smaller type (the date line, the editors' credit) standing beside
/// display type (the page's name and number) on one row. A running head
/// heads nothing under it, whatever stands below it.
fn running_head_above(
    lines: &[PrintedLine],
    region: &[usize],
    at: f32,
    body: f32,
    page_top: f32,
) -> bool {
    let above: Vec<&PrintedLine> = region
        .iter()
        .map(|&i| &lines[i])
        .filter(|l| l.bbox.bottom <= at)
        .collect();
    if above.is_empty()
        || above
            .iter()
            .any(|l| l.bbox.top > page_top + RUNNING_HEAD_EM * body)
    {
        return false;
    }
    let (display, small): (Vec<&PrintedLine>, Vec<&PrintedLine>) =
        above.iter().partition(|l| headline_type(l, body));
    small.iter().any(|s| {
        display.iter().any(|d| {
            let shared = s.bbox.bottom.min(d.bbox.bottom) - s.bbox.top.max(d.bbox.top);
            let beside = s.bbox.x1 <= d.bbox.x0 || d.bbox.x1 <= s.bbox.x0;
            beside && shared >= SAME_ROW_SHARE * (s.bbox.bottom - s.bbox.top)
        })
    })
}

/// The columns of a region, with a headline group that heads the first
/// column from beside it read first. A headline is often set over the
/// middle of its article's columns, clear of the first: the gutter then
/// runs down beside the headline, and the first column (body text that
/// starts just under the headline's row) would be read before its headline.
/// When the region's first column starts with body type within
/// [`HEAD_GROUP_EM`] under headline type of a later column, that headline
/// type (every headline line above the first column's top) is read first.
fn heads_first(lines: &[PrintedLine], mut columns: Vec<Vec<usize>>, body: f32) -> Vec<Vec<usize>> {
    let is_head = |i: usize| headline_type(&lines[i], body);
    let Some(first) = columns.first() else {
        return columns;
    };
    let Some(&top_line) = first
        .iter()
        .min_by(|&&a, &&b| lines[a].bbox.top.total_cmp(&lines[b].bbox.top))
    else {
        return columns;
    };
    if is_head(top_line) {
        return columns;
    }
    let top = lines[top_line].bbox.top;
    let above = |i: usize| lines[i].bbox.bottom <= top;
    let heads: Vec<usize> = columns[1..]
        .iter()
        .flatten()
        .copied()
        .filter(|&i| above(i) && is_head(i))
        .collect();
    let heads_near = heads
        .iter()
        .any(|&i| lines[i].bbox.bottom > top - HEAD_GROUP_EM * body);
    // Only when nothing but headline type stands above the first column's
    // top in the later columns: body text there is another article's.
    let only_heads = columns[1..]
        .iter()
        .flatten()
        .all(|&i| !above(i) || is_head(i));
    if !heads_near || !only_heads {
        return columns;
    }
    for column in &mut columns[1..] {
        column.retain(|i| !heads.contains(i));
    }
    columns.retain(|c| !c.is_empty());
    columns.insert(0, heads);
    columns
}

fn centre(a: f32, b: f32) -> f32 {
    (a + b) / 2.0
}

/// A white gap between intervals: where it is (its middle) and how wide.
#[derive(Debug, Clone, Copy)]
struct Gap {
    at: f32,
    width: f32,
}

/// The gaps the union of the intervals leaves, in order.
fn gaps(intervals: impl Iterator<Item = (f32, f32)>) -> Vec<Gap> {
    let mut iv: Vec<(f32, f32)> = intervals.collect();
    iv.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out = Vec::new();
    let Some(&(_, first_end)) = iv.first() else {
        return out;
    };
    let mut end = first_end;
    for &(s, e) in &iv[1..] {
        if s > end {
            out.push(Gap {
                at: (s + end) / 2.0,
                width: s - end,
            });
        }
        end = end.max(e);
    }
    out
}

/// The region split at the cut positions (sorted), by each line's position.
fn split(region: &[usize], cuts: &[f32], pos: impl Fn(usize) -> f32) -> Vec<Vec<usize>> {
    let mut pieces = vec![Vec::new(); cuts.len() + 1];
    for &i in region {
        let p = pos(i);
        let k = cuts.partition_point(|&c| c < p);
        pieces[k].push(i);
    }
    pieces.retain(|p| !p.is_empty());
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::test_line as line;

    fn read(lines: &[PrintedLine]) -> Vec<&str> {
        reading_order(lines)
            .into_iter()
            .map(|i| lines[i].text.as_str())
            .collect()
    }

    /// A column that runs on under its picture, beside a column that ends
    /// above the picture's foot: the white the picture would leave is no
    /// band across the page, so the first column is read to its end.
    #[test]
    fn a_column_is_read_on_under_its_picture() {
        let lines = vec![
            line("左栏第一行字", 0.0, 50.0, 10.0),
            line("左栏第二行字", 0.0, 64.0, 10.0),
            line("右栏第一行字", 70.0, 50.0, 10.0),
            line("右栏第二行字", 70.0, 64.0, 10.0),
            line("右栏第三行字", 70.0, 78.0, 10.0),
            line("图片说明文字", 0.0, 172.0, 10.0),
            line("左栏又一行字", 0.0, 186.0, 10.0),
        ];
        let picture = Rect {
            x0: 0.0,
            top: 80.0,
            x1: 60.0,
            bottom: 168.0,
        };
        let read_around = |pictures: &[Rect]| -> Vec<&str> {
            reading_order_around(&lines, pictures)
                .into_iter()
                .map(|i| lines[i].text.as_str())
                .collect()
        };
        assert_eq!(
            read_around(&[picture]),
            [
                "左栏第一行字",
                "左栏第二行字",
                "图片说明文字",
                "左栏又一行字",
                "右栏第一行字",
                "右栏第二行字",
                "右栏第三行字"
            ]
        );
        // Without the picture the white under the right column's end is a
        // band across the page, read after both columns' tops.
        assert_eq!(read_around(&[]).last(), Some(&"左栏又一行字"));
        assert_eq!(read_around(&[])[2], "右栏第一行字");
    }

    /// A picture and its caption at the foot of the left column, which
    /// runs on a line further than the right one: the white over the
    /// picture crosses the page, but the caption is read with its column,
    /// before the right column. When the columns end level, the picture
    /// stands under both and is read after them.
    #[test]
    fn a_caption_at_a_columns_foot_is_read_with_its_column() {
        let picture = Rect {
            x0: 0.0,
            top: 120.0,
            x1: 60.0,
            bottom: 160.0,
        };
        let order = |right_rows: usize| -> Vec<String> {
            let mut lines = vec![
                line("左栏第一行字", 0.0, 50.0, 10.0),
                line("左栏第二行字", 0.0, 64.0, 10.0),
                line("左栏第三行字", 0.0, 78.0, 10.0),
                line("左栏第四行字", 0.0, 92.0, 10.0),
            ];
            for k in 0..right_rows {
                lines.push(line(
                    &format!("右栏第{k}行字"),
                    70.0,
                    50.0 + 14.0 * k as f32,
                    10.0,
                ));
            }
            lines.push(line("图片说明文字", 0.0, 164.0, 10.0));
            reading_order_around(&lines, &[picture])
                .into_iter()
                .map(|i| lines[i].text.clone())
                .collect()
        };
        // the right column ends two lines above the left one
        let tail = order(2);
        assert_eq!(tail[4], "图片说明文字", "{tail:?}");
        assert_eq!(tail[5], "右栏第0行字", "{tail:?}");
        // level columns: the picture's row is a block of its own
        let level = order(4);
        assert_eq!(
            level.last().map(String::as_str),
            Some("图片说明文字"),
            "{level:?}"
        );
    }

    /// A headline over two columns whose lines share baselines: the
    /// columns are read one after the other, not row by row.
    #[test]
    fn columns_sharing_baselines_are_read_one_after_the_other() {
        let lines = vec![
            line("右栏第一行字", 70.0, 50.0, 10.0),
            line("左栏第一行字", 0.0, 50.0, 10.0),
            line("左栏第二行字", 0.0, 64.0, 10.0),
            line("右栏第二行字", 70.0, 64.0, 10.0),
            line("两栏上的标题", 10.0, 20.0, 20.0),
        ];
        assert_eq!(
            read(&lines),
            [
                "两栏上的标题",
                "左栏第一行字",
                "左栏第二行字",
                "右栏第一行字",
                "右栏第二行字"
            ]
        );
    }

    /// Two articles stacked, their gutters at the same x: the white band
    /// between them is cut first, so the first is read whole.
    #[test]
    fn stacked_blocks_with_aligned_gutters_are_read_block_by_block() {
        let lines = vec![
            line("甲左一", 0.0, 0.0, 10.0),
            line("甲右一", 50.0, 0.0, 10.0),
            line("甲左二", 0.0, 14.0, 10.0),
            line("甲右二", 50.0, 14.0, 10.0),
            line("乙左一", 0.0, 60.0, 10.0),
            line("乙右一", 50.0, 60.0, 10.0),
        ];
        assert_eq!(
            read(&lines),
            ["甲左一", "甲左二", "甲右一", "甲右二", "乙左一", "乙右一"]
        );
    }

    /// Two articles side by side, their headlines on one row and their
    /// text below: each article is read whole, headline first.
    #[test]
    fn side_by_side_articles_with_headlines_on_one_row_are_read_whole() {
        let lines = vec![
            line("甲标题", 0.0, 0.0, 20.0),
            line("乙标题", 90.0, 0.0, 20.0),
            line("甲正文一", 0.0, 32.0, 10.0),
            line("乙正文一", 90.0, 32.0, 10.0),
            line("甲正文二", 0.0, 46.0, 10.0),
            line("乙正文二", 90.0, 46.0, 10.0),
        ];
        assert_eq!(
            read(&lines),
            [
                "甲标题",
                "甲正文一",
                "甲正文二",
                "乙标题",
                "乙正文一",
                "乙正文二"
            ]
        );
    }

    /// A page header's name in display type heads nothing under it: the
    /// band under the header is cut first, and the header is read whole
    /// before the page's first column.
    #[test]
    fn a_page_header_in_display_type_is_read_before_the_columns() {
        let lines = vec![
            line("人民日报", 0.0, 0.0, 16.0),
            line("评论", 300.0, 0.0, 28.0),
            line("标题", 100.0, 60.0, 24.0),
            line("声音", 250.0, 62.0, 12.0),
            line("一栏", 0.0, 94.0, 10.0),
            line("二栏", 100.0, 94.0, 10.0),
        ];
        assert_eq!(&read(&lines)[..2], ["人民日报", "评论"]);
    }

    /// A running head whose page number in display type stands over the
    /// first column's label, with the date line beside the page's name:
    /// the head is read whole first, then the label, the headline and
    /// its text.
    #[test]
    fn a_running_head_over_a_column_label_is_read_first() {
        let lines = vec![
            line("14", 10.0, 0.0, 30.0),
            line("生态", 80.0, 2.0, 28.0),
            line("二〇二〇年五月六日", 400.0, 20.0, 11.0),
            line("说道", 10.0, 56.0, 12.0),
            line("对待臭氧莫要", 10.0, 76.0, 20.0),
            line("一栏一", 10.0, 110.0, 10.0),
            line("一栏二", 10.0, 124.0, 10.0),
            line("二栏一", 200.0, 56.0, 10.0),
        ];
        let order = read(&lines);
        assert_eq!(&order[..3], ["14", "生态", "二〇二〇年五月六日"]);
        assert_eq!(&order[3..6], ["说道", "对待臭氧莫要", "一栏一"]);
    }

    /// A headline set over the middle of its three columns, clear of the
    /// first: the first column's text starts under the headline's row and
    /// is read after the headline, not before it.
    #[test]
    fn a_headline_beside_the_first_column_is_read_before_it() {
        let lines = vec![
            line("标题", 100.0, 0.0, 24.0),
            line("一栏一", 0.0, 34.0, 10.0),
            line("一栏二", 0.0, 48.0, 10.0),
            line("二栏一", 90.0, 34.0, 10.0),
            line("二栏二", 90.0, 48.0, 10.0),
            line("三栏一", 180.0, 34.0, 10.0),
        ];
        assert_eq!(
            read(&lines),
            ["标题", "一栏一", "一栏二", "二栏一", "二栏二", "三栏一"]
        );
    }

    /// Body text beside the first column's top is another article's: a
    /// headline further along is not pulled in front of the first column.
    #[test]
    fn a_later_column_with_text_above_keeps_its_headline() {
        let lines = vec![
            line("甲正文一", 0.0, 34.0, 10.0),
            line("甲正文二", 0.0, 48.0, 10.0),
            line("乙正文零", 90.0, 0.0, 10.0),
            line("丙标题", 90.0, 14.0, 16.0),
            line("丙正文一", 90.0, 34.0, 10.0),
            line("丙正文二", 90.0, 48.0, 10.0),
        ];
        let order = read(&lines);
        assert_eq!(&order[..2], ["甲正文一", "甲正文二"]);
    }

    /// The same with a byline row under each headline: the byline stays
    /// with its article.
    #[test]
    fn side_by_side_articles_keep_their_byline_rows() {
        let lines = vec![
            line("甲标题", 0.0, 0.0, 20.0),
            line("乙标题", 90.0, 0.0, 20.0),
            line("甲记者", 0.0, 30.0, 10.0),
            line("乙记者", 90.0, 30.0, 10.0),
            line("甲正文一", 0.0, 52.0, 10.0),
            line("乙正文一", 90.0, 52.0, 10.0),
            line("甲正文二", 0.0, 66.0, 10.0),
            line("乙正文二", 90.0, 66.0, 10.0),
        ];
        assert_eq!(
            read(&lines),
            [
                "甲标题",
                "甲记者",
                "甲正文一",
                "甲正文二",
                "乙标题",
                "乙记者",
                "乙正文一",
                "乙正文二"
            ]
        );
    }

    /// A headline over both columns of its article still comes first, and
    /// the rows of body type between stacked blocks are still cut first.
    #[test]
    fn a_headline_across_its_columns_is_read_before_them() {
        let lines = vec![
            line("横跨两栏的标题", 0.0, 0.0, 20.0),
            line("左栏一", 0.0, 32.0, 10.0),
            line("右栏一", 60.0, 32.0, 10.0),
            line("左栏二", 0.0, 46.0, 10.0),
            line("右栏二", 60.0, 46.0, 10.0),
            line("下一篇正文", 0.0, 80.0, 10.0),
        ];
        assert_eq!(
            read(&lines),
            [
                "横跨两栏的标题",
                "左栏一",
                "左栏二",
                "右栏一",
                "右栏二",
                "下一篇正文"
            ]
        );
    }

    #[test]
    fn a_tall_column_is_read_top_down_without_deep_recursion() {
        let lines: Vec<PrintedLine> = (0..20_000)
            .rev()
            .map(|k| line(&format!("第{k}行"), 0.0, k as f32 * 14.0, 10.0))
            .collect();
        let order = reading_order(&lines);
        assert_eq!(order.len(), lines.len());
        assert!(order
            .windows(2)
            .all(|w| lines[w[0]].bbox.top < lines[w[1]].bbox.top));
    }

    #[test]
    fn every_line_is_read_once() {
        let lines = vec![
            line("甲", 0.0, 0.0, 10.0),
            line("乙", 0.0, 0.0, 10.0),
            line("丙", 5.0, 3.0, 10.0),
        ];
        let mut order = reading_order(&lines);
        order.sort();
        assert_eq!(order, [0, 1, 2]);
    }
}
