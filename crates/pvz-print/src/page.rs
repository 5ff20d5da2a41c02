//! Laid-out pages (positioned glyph runs and black rectangles, in points from the top-left corner)
//! and the pagination that turns a flow of rows into them: a roll gets one page as long as its
//! content, a sheet or label gets as many pages as it needs, with a table's header repeated and
//! page numbers once there is more than one.

use crate::document::Measures;
use crate::font::{Face, Fonts, ShapedGlyph, LINE_HEIGHT};

/// One page, ready for a renderer.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone)]
pub(crate) enum Item {
    Text(TextRun),
    /// A filled black rectangle: rules and QR modules.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

impl Item {
    fn moved_down(&self, dy: f32) -> Item {
        match self {
            Item::Text(run) => Item::Text(TextRun { baseline: run.baseline + dy, ..run.clone() }),
            Item::Rect { x, y, w, h } => Item::Rect { x: *x, y: y + dy, w: *w, h: *h },
        }
    }
}

/// A line of text in one face and size, starting at `x` on `baseline`.
#[derive(Debug, Clone)]
pub(crate) struct TextRun {
    pub x: f32,
    pub baseline: f32,
    pub size: f32,
    pub face: Face,
    pub text: String,
    pub glyphs: Vec<ShapedGlyph>,
}

impl TextRun {
    pub(crate) fn new(fonts: &Fonts, face: Face, size: f32, x: f32, baseline: f32, text: &str) -> TextRun {
        TextRun { x, baseline, size, face, text: text.to_string(), glyphs: fonts.shape(face, text) }
    }
}

/// What a row is, for pagination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowKind {
    Content,
    /// Space between sections; dropped at the top of a page.
    Gap,
    /// Repeated at the top of a page when the table's body continues there.
    TableHeader,
    TableBody,
}

/// A horizontal band that is never split across pages; item positions are relative to its top.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub height: f32,
    pub items: Vec<Item>,
    pub kind: RowKind,
}

/// Places the rows on pages of the paper's size.
pub(crate) fn paginate(rows: &[Row], m: &Measures, fonts: &Fonts) -> Vec<Page> {
    let Some(height) = m.height else {
        let content: f32 = trim_gaps(rows).iter().map(|r| r.height).sum();
        return fill_pages(rows, m, content + 2.0 * m.margin_y, f32::INFINITY);
    };
    let pages = fill_pages(rows, m, height, height - m.margin_y);
    if pages.len() == 1 {
        return pages;
    }
    // Page numbers need a line of their own at the bottom: lay out again without that space.
    let footer = m.small * LINE_HEIGHT;
    let mut pages = fill_pages(rows, m, height, height - m.margin_y - footer);
    let count = pages.len();
    for (index, page) in pages.iter_mut().enumerate() {
        let label = format!("{} / {count}", index + 1);
        let x = m.width - m.margin_x - fonts.width(Face::Regular, m.small, &label);
        let baseline = height - m.margin_y - footer + fonts.baseline_offset(m.small);
        page.items.push(Item::Text(TextRun::new(fonts, Face::Regular, m.small, x, baseline, &label)));
    }
    pages
}

fn trim_gaps(rows: &[Row]) -> &[Row] {
    let start = rows.iter().position(|r| r.kind != RowKind::Gap).unwrap_or(rows.len());
    let end = rows.iter().rposition(|r| r.kind != RowKind::Gap).map_or(start, |i| i + 1);
    &rows[start..end]
}

fn fill_pages(rows: &[Row], m: &Measures, page_height: f32, bottom: f32) -> Vec<Page> {
    let new_page = || Page { width: m.width, height: page_height, items: Vec::new() };
    let mut pages = vec![new_page()];
    let mut y = m.margin_y;
    let mut header: Option<&Row> = None;
    for row in trim_gaps(rows) {
        let page_is_empty = y <= m.margin_y;
        if !page_is_empty && y + row.height > bottom {
            pages.push(new_page());
            y = m.margin_y;
            if row.kind == RowKind::Gap {
                continue;
            }
            if let (RowKind::TableBody, Some(header)) = (row.kind, header) {
                place(pages.last_mut(), header, y);
                y += header.height;
            }
        }
        match row.kind {
            RowKind::TableHeader => header = Some(row),
            RowKind::TableBody => {}
            RowKind::Content | RowKind::Gap => header = None,
        }
        place(pages.last_mut(), row, y);
        y += row.height;
    }
    pages
}

fn place(page: Option<&mut Page>, row: &Row, y: f32) {
    if let Some(page) = page {
        page.items.extend(row.items.iter().map(|item| item.moved_down(y)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Paper;

    fn text_row(fonts: &Fonts, kind: RowKind, text: &str) -> Row {
        let run = TextRun::new(fonts, Face::Regular, 10.0, 0.0, 10.0, text);
        Row { height: 12.5, items: vec![Item::Text(run)], kind }
    }

    fn texts(page: &Page) -> Vec<&str> {
        page.items
            .iter()
            .filter_map(|i| match i {
                Item::Text(run) => Some(run.text.as_str()),
                Item::Rect { .. } => None,
            })
            .collect()
    }

    #[test]
    fn a_long_table_continues_with_its_header_and_page_numbers() {
        let fonts = Fonts::load().expect("the bundled font parses");
        let mut rows = vec![text_row(&fonts, RowKind::TableHeader, "Коробка")];
        rows.extend((0..120).map(|i| text_row(&fonts, RowKind::TableBody, &format!("BOX-{i}"))));
        let pages = paginate(&rows, &Paper::A4.measures(), &fonts);
        assert!(pages.len() >= 2, "120 rows should not fit one A4 page");
        for (index, page) in pages.iter().enumerate() {
            let texts = texts(page);
            assert_eq!(texts.first(), Some(&"Коробка"), "page {} should start with the table header", index + 1);
            let number = format!("{} / {}", index + 1, pages.len());
            assert!(texts.contains(&number.as_str()), "page {} should carry its number {number}", index + 1);
        }
        let body_rows: usize = pages.iter().map(|p| texts(p).iter().filter(|t| t.starts_with("BOX-")).count()).sum();
        assert_eq!(body_rows, 120, "every body row should be placed exactly once");
    }

    #[test]
    fn a_roll_is_as_long_as_its_content() {
        let fonts = Fonts::load().expect("the bundled font parses");
        let m = Paper::Receipt80mm.measures();
        let rows: Vec<Row> = (0..200).map(|i| text_row(&fonts, RowKind::Content, &format!("line {i}"))).collect();
        let pages = paginate(&rows, &m, &fonts);
        assert_eq!(pages.len(), 1, "a receipt roll should never break into pages");
        let expected = 200.0 * 12.5 + 2.0 * m.margin_y;
        assert!((pages[0].height - expected).abs() < 0.01, "the roll should be content plus margins long");
    }
}
