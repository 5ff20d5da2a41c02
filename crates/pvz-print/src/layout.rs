//! The one layout of a document, shared by the PDF and the PNG: title, subtitle, fields, table,
//! notes, QR with caption and signature lines, top to bottom, each wrapped to the paper's width.

use crate::document::{Measures, PT_PER_MM};
use crate::font::{Face, Fonts, LINE_HEIGHT};
use crate::page::{paginate, Item, Page, Row, RowKind, TextRun};
use crate::qr::QrMatrix;
use crate::wrap::{natural_width, widest_word, wrap};
use crate::{Document, PrintError, Table};

/// Lays `doc` out on pages of its paper.
pub(crate) fn layout(doc: &Document, fonts: &Fonts) -> Result<Vec<Page>, PrintError> {
    let m = doc.paper.measures();
    let mut flow = Flow { fonts, m, rows: Vec::new() };
    flow.centered(&doc.title, Face::Bold, m.title);
    if let Some(subtitle) = &doc.subtitle {
        flow.centered(subtitle, Face::Regular, m.small);
    }
    if !doc.fields.is_empty() {
        flow.section_gap();
        flow.fields(&doc.fields);
    }
    if let Some(table) = doc.table.as_ref().filter(|t| t.columns() > 0) {
        flow.section_gap();
        flow.table(table);
    }
    for note in &doc.notes {
        flow.section_gap();
        flow.paragraph(note);
    }
    if let Some(qr) = &doc.qr {
        flow.section_gap();
        flow.qr(&QrMatrix::encode(&qr.payload)?);
        if let Some(caption) = &qr.caption {
            flow.centered(caption, Face::Regular, m.small);
        }
    }
    for signature in &doc.signatures {
        // Room above the line to sign in.
        flow.gap(m.body * LINE_HEIGHT * if m.height.is_some_and(|h| h > 400.0) { 2.5 } else { 1.5 });
        flow.paragraph(signature);
    }
    Ok(paginate(&flow.rows, &m, fonts))
}

/// Space between columns of the table and between a field's label and value.
const COLUMN_GAP: f32 = 1.5 * PT_PER_MM;
/// Thickness of the rules around a table's header and under its last row.
const RULE: f32 = 0.6;
/// Space above and below a table row's text.
const CELL_PAD: f32 = 1.5;

struct Flow<'a> {
    fonts: &'a Fonts,
    m: Measures,
    rows: Vec<Row>,
}

impl Flow<'_> {
    fn content_width(&self) -> f32 {
        self.m.width - 2.0 * self.m.margin_x
    }

    fn run(&self, face: Face, size: f32, x: f32, top: f32, text: &str) -> Item {
        Item::Text(TextRun::new(self.fonts, face, size, x, top + self.fonts.baseline_offset(size), text))
    }

    fn gap(&mut self, height: f32) {
        self.rows.push(Row { height, items: Vec::new(), kind: RowKind::Gap });
    }

    fn section_gap(&mut self) {
        self.gap(self.m.body * LINE_HEIGHT * 0.6);
    }

    /// Each wrapped line is its own row, so long text flows on to the next page.
    fn lines(&mut self, text: &str, face: Face, size: f32, centered: bool) {
        let width = self.content_width();
        for line in wrap(self.fonts, face, size, text, width) {
            let x = if centered {
                self.m.margin_x + (width - self.fonts.width(face, size, &line)) / 2.0
            } else {
                self.m.margin_x
            };
            let item = self.run(face, size, x, 0.0, &line);
            self.rows.push(Row { height: size * LINE_HEIGHT, items: vec![item], kind: RowKind::Content });
        }
    }

    fn centered(&mut self, text: &str, face: Face, size: f32) {
        self.lines(text, face, size, true);
    }

    fn paragraph(&mut self, text: &str) {
        self.lines(text, Face::Regular, self.m.body, false);
    }

    /// Labels in a left column no wider than 40 % of the paper, values wrapped beside them.
    fn fields(&mut self, fields: &[(String, String)]) {
        let size = self.m.body;
        let labels: Vec<String> = fields.iter().map(|(label, _)| format!("{label}:")).collect();
        let widest = labels.iter().map(|l| natural_width(self.fonts, Face::Regular, size, l)).fold(0.0, f32::max);
        let label_width = widest.min(self.content_width() * 0.4);
        let value_x = self.m.margin_x + label_width + COLUMN_GAP;
        let value_width = self.content_width() - label_width - COLUMN_GAP;
        for (label, (_, value)) in labels.iter().zip(fields) {
            let label_lines = wrap(self.fonts, Face::Regular, size, label, label_width);
            let value_lines = wrap(self.fonts, Face::Bold, size, value, value_width);
            let mut items = Vec::new();
            for (i, line) in label_lines.iter().enumerate() {
                items.push(self.run(Face::Regular, size, self.m.margin_x, i as f32 * size * LINE_HEIGHT, line));
            }
            for (i, line) in value_lines.iter().enumerate() {
                items.push(self.run(Face::Bold, size, value_x, i as f32 * size * LINE_HEIGHT, line));
            }
            let lines = label_lines.len().max(value_lines.len()).max(1);
            self.rows.push(Row { height: lines as f32 * size * LINE_HEIGHT, items, kind: RowKind::Content });
        }
    }

    fn table(&mut self, table: &Table) {
        let widths = self.column_widths(table);
        let mut header = self.table_row(&table.headers, &widths, Face::Bold, RowKind::TableHeader);
        self.rule_at(&mut header, 0.0);
        let bottom = header.height;
        self.rule_at(&mut header, bottom);
        header.height += RULE;
        self.rows.push(header);
        for cells in &table.rows {
            let row = self.table_row(cells, &widths, Face::Regular, RowKind::TableBody);
            self.rows.push(row);
        }
        let mut closing = Row { height: RULE, items: Vec::new(), kind: RowKind::Content };
        self.rule_at(&mut closing, 0.0);
        self.rows.push(closing);
    }

    fn rule_at(&self, row: &mut Row, y: f32) {
        row.items.push(Item::Rect { x: self.m.margin_x, y, w: self.content_width(), h: RULE });
    }

    fn table_row(&self, cells: &[String], widths: &[f32], face: Face, kind: RowKind) -> Row {
        let size = self.m.body;
        let mut items = Vec::new();
        let mut x = self.m.margin_x;
        let mut lines = 1;
        for (column, width) in widths.iter().enumerate() {
            let cell = cells.get(column).map_or("", String::as_str);
            let wrapped = wrap(self.fonts, face, size, cell, *width);
            lines = lines.max(wrapped.len());
            for (i, line) in wrapped.iter().enumerate() {
                items.push(self.run(face, size, x, CELL_PAD + i as f32 * size * LINE_HEIGHT, line));
            }
            x += width + COLUMN_GAP;
        }
        Row { height: lines as f32 * size * LINE_HEIGHT + 2.0 * CELL_PAD, items, kind }
    }

    /// Natural widths, stretched, when they fit; otherwise every column keeps its widest word and the rest of
    /// the width goes to the columns that want more, in proportion; words are cut only when even
    /// the widest words do not fit.
    fn column_widths(&self, table: &Table) -> Vec<f32> {
        let columns = table.columns();
        let size = self.m.body;
        let available = self.content_width() - COLUMN_GAP * (columns.saturating_sub(1)) as f32;
        let mut natural = vec![0.0f32; columns];
        let mut minimum = vec![0.0f32; columns];
        let header = table.headers.iter().map(|cell| (cell, Face::Bold));
        let body = table.rows.iter().flat_map(|row| row.iter().map(|cell| (cell, Face::Regular)).enumerate());
        for (column, (cell, face)) in header.enumerate().chain(body) {
            natural[column] = natural[column].max(natural_width(self.fonts, face, size, cell));
            minimum[column] = minimum[column].max(widest_word(self.fonts, face, size, cell));
        }
        let natural_total: f32 = natural.iter().sum();
        let minimum_total: f32 = minimum.iter().sum();
        if natural_total <= available {
            // Spread the spare width so the table spans the paper and columns do not crowd.
            natural.iter().map(|n| n * available / natural_total.max(f32::EPSILON)).collect()
        } else if minimum_total <= available {
            let spare = (available - minimum_total) / (natural_total - minimum_total);
            natural.iter().zip(&minimum).map(|(n, min)| min + (n - min) * spare).collect()
        } else {
            minimum.iter().map(|min| min * available / minimum_total).collect()
        }
    }

    /// The code centred, at the paper's module size or smaller if the width needs it.
    fn qr(&mut self, qr: &QrMatrix) {
        let side = qr.side_with_quiet_zone() as f32;
        let module = self.m.qr_module.min(self.content_width() / side);
        let size = module * side;
        let left = self.m.margin_x + (self.content_width() - size) / 2.0;
        let items = qr
            .dark_runs()
            .into_iter()
            .map(|(row, col, len)| Item::Rect {
                x: left + col as f32 * module,
                y: row as f32 * module,
                w: len as f32 * module,
                h: module,
            })
            .collect();
        self.rows.push(Row { height: size, items, kind: RowKind::Content });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Paper, QrBlock};

    fn all_text(pages: &[Page]) -> Vec<(f32, f32, String)> {
        pages
            .iter()
            .flat_map(|p| &p.items)
            .filter_map(|i| match i {
                Item::Text(run) => Some((run.x, run.baseline, run.text.clone())),
                Item::Rect { .. } => None,
            })
            .collect()
    }

    #[test]
    fn every_part_of_a_document_is_laid_out_inside_the_margins() {
        let fonts = Fonts::load().expect("the bundled font parses");
        let mut doc = Document::new(Paper::Receipt80mm, "Чек выдачи заказа");
        doc.subtitle = Some("ПВЗ pp-msk-0042 · 26.11.2026 14:05".into());
        doc.fields = vec![("Заказ".into(), "ORD-2026-000017".into()), ("Покупатель".into(), "Мария С.".into())];
        doc.table = Some(Table {
            headers: vec!["Товар".into(), "Цена".into()],
            rows: vec![vec!["Футболка хлопковая оверсайз, размер XL, цвет графит".into(), "1 290,00 ₽".into()]],
        });
        doc.notes = vec!["Отказ: не подошёл размер".into()];
        doc.qr = Some(QrBlock { payload: "PVZRCPT1:42".into(), caption: Some("Чек 42".into()) });
        doc.signatures = vec!["Менеджер: Анна К. ________".into()];
        let pages = layout(&doc, &fonts).expect("the receipt lays out");
        let m = Paper::Receipt80mm.measures();
        let texts = all_text(&pages);
        for needle in ["Чек выдачи заказа", "Заказ:", "ORD-2026-000017", "Товар", "Отказ: не подошёл размер", "Чек 42"]
        {
            assert!(texts.iter().any(|(_, _, t)| t == needle), "the layout should show {needle:?}: {texts:?}");
        }
        for item in pages.iter().flat_map(|p| &p.items) {
            let (left, right) = match item {
                Item::Text(run) => (run.x, run.x + run.glyphs.iter().map(|g| g.advance).sum::<f32>() * run.size),
                Item::Rect { x, w, .. } => (*x, x + w),
            };
            assert!(
                left >= m.margin_x - 0.01 && right <= m.width - m.margin_x + 0.01,
                "{item:?} should stay within the printable width"
            );
        }
    }

    #[test]
    fn a_label_that_overflows_continues_on_a_second_label() {
        let fonts = Fonts::load().expect("the bundled font parses");
        let mut doc = Document::new(Paper::Label58x60mm, "Возврат");
        doc.notes = (0..30).map(|i| format!("Строка примечания номер {i}")).collect();
        let pages = layout(&doc, &fonts).expect("the label lays out");
        assert!(pages.len() > 1, "30 notes should not fit one 58×60 label");
        let m = Paper::Label58x60mm.measures();
        for (_, baseline, text) in all_text(&pages) {
            assert!(baseline < m.height.unwrap_or(f32::INFINITY) - m.margin_y, "{text:?} should sit above the margin");
        }
    }
}
