//! Where each article sits on the page: the boxes of its printed lines,
//! merged into one box per run of lines down one column.
//!
//! Only pages with geometry (PDF and OCR pages) have boxes. An article's
//! `spans` say which input characters it holds; a line that holds any of
//! them is the article's. Lines of the article that follow one another in
//! reading order and stand one under the other in one column are one box,
//! so an article over three columns is three boxes (and its headline over
//! them a fourth), which is what a reader draws over a page image and
//! what ALTO/METS calls an article's blocks.

use baozhi_model::{Article, LineGeometry, Region};

use crate::lines::Line;

/// The next line joins a box when it starts at most this many of its
/// heights below the box (body leading is 1.2–1.8; the white before a
/// subhead two or three lines) and
const JOIN_GAP_HEIGHTS: f32 = 3.0;
/// overlaps the box across at least this share of the narrower of the two.
const JOIN_OVERLAP: f32 = 0.5;

/// Sets `boxes` of each article from the lines that hold its characters.
pub fn article_boxes(lines: &[Line], geometry: &[LineGeometry], articles: &mut [Article]) {
    for a in articles.iter_mut() {
        let mut spans = a.spans.iter().peekable();
        let mut boxes: Vec<Region> = Vec::new();
        for line in lines {
            let (start, end) = (line.piece.start, line.piece.end);
            while spans.next_if(|s| s[1] <= start).is_some() {}
            let Some(s) = spans.peek() else { break };
            if s[0] >= end {
                continue;
            }
            let Some(g) = geometry.get(line.number).filter(|g| usable(g)) else {
                continue;
            };
            match boxes.last_mut() {
                Some(b) if joins(b, g) => {
                    b.x0 = b.x0.min(g.x0);
                    b.top = b.top.min(g.top);
                    b.x1 = b.x1.max(g.x1);
                    b.bottom = b.bottom.max(g.bottom);
                }
                _ => boxes.push(Region {
                    x0: g.x0,
                    top: g.top,
                    x1: g.x1,
                    bottom: g.bottom,
                }),
            }
        }
        a.boxes = boxes.into_iter().map(Region::rounded).collect();
    }
}

fn usable(g: &LineGeometry) -> bool {
    [g.x0, g.top, g.x1, g.bottom].iter().all(|v| v.is_finite()) && g.x1 > g.x0 && g.bottom > g.top
}

fn joins(b: &Region, g: &LineGeometry) -> bool {
    let height = g.bottom - g.top;
    let below = g.top - b.bottom;
    let overlap = b.x1.min(g.x1) - b.x0.max(g.x0);
    let narrower = (b.x1 - b.x0).min(g.x1 - g.x0);
    below >= -height && below <= JOIN_GAP_HEIGHTS * height && overlap >= JOIN_OVERLAP * narrower
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::split_lines;

    fn at(x0: f32, top: f32, x1: f32) -> LineGeometry {
        LineGeometry {
            x0,
            top,
            x1,
            bottom: top + 10.0,
            size: 10.0,
            bold: false,
        }
    }

    #[test]
    fn an_article_over_two_columns_is_a_box_per_column() {
        let text = "标题\n第一栏一\n第一栏二\n第二栏一\n第二栏二\n别的文章\n";
        let lines = split_lines(text);
        let geometry = vec![
            at(0.0, 0.0, 200.0),
            at(0.0, 30.0, 95.0),
            at(0.0, 45.0, 95.0),
            at(105.0, 30.0, 200.0),
            at(105.0, 45.0, 200.0),
            at(0.0, 300.0, 95.0),
        ];
        let mut a = Article::new("01-1".into(), None, "标题".into());
        // Everything but the last line.
        a.spans = vec![[0, 23]];
        let mut articles = vec![a];
        article_boxes(&lines, &geometry, &mut articles);
        let b = &articles[0].boxes;
        assert_eq!(b.len(), 2, "{b:?}");
        // The title over both columns joins the first column's box.
        assert_eq!(
            (b[0].x0, b[0].top, b[0].x1, b[0].bottom),
            (0.0, 0.0, 200.0, 55.0)
        );
        assert_eq!(
            (b[1].x0, b[1].top, b[1].x1, b[1].bottom),
            (105.0, 30.0, 200.0, 55.0)
        );
    }
}
