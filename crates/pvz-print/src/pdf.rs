//! The PDF renderer: the shared layout drawn as vector shapes and real text in the bundled font,
//! embedded as a subset, so the text stays searchable and copyable (Cyrillic included).

use crate::font::{Face, Fonts, ShapedGlyph};
use crate::layout::layout;
use crate::page::{Item, Page};
use crate::{Document, PrintError};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::surface::{Location, Surface};
use krilla::text::{Font, Glyph, GlyphId};
use std::ops::Range;

/// Renders `doc` to a PDF, one PDF page per laid-out page.
pub fn render_pdf(doc: &Document) -> Result<Vec<u8>, PrintError> {
    let fonts = Fonts::load()?;
    let pages = layout(doc, &fonts)?;
    let load = |face: Face| {
        Font::new(face.bytes().into(), 0)
            .ok_or_else(|| PrintError::Font(format!("{face:?} face rejected by the PDF writer")))
    };
    let (regular, bold) = (load(Face::Regular)?, load(Face::Bold)?);

    let mut pdf = krilla::Document::new();
    pdf.set_metadata(Metadata::new().title(doc.title.clone()).language("ru".to_string()));
    for page in &pages {
        let settings = PageSettings::from_wh(page.width, page.height)
            .ok_or_else(|| PrintError::Pdf(format!("bad page size {} × {} pt", page.width, page.height)))?;
        let mut pdf_page = pdf.start_page_with(settings);
        let mut surface = pdf_page.surface();
        draw_page(&mut surface, page, &regular, &bold);
        surface.finish();
        pdf_page.finish();
    }
    pdf.finish().map_err(|e| PrintError::Pdf(e.to_string()))
}

fn draw_page(surface: &mut Surface, page: &Page, regular: &Font, bold: &Font) {
    // All rectangles as one path: a QR code is hundreds of them.
    let mut rects = PathBuilder::new();
    for item in &page.items {
        match item {
            Item::Rect { x, y, w, h } => {
                if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                    rects.push_rect(rect);
                }
            }
            Item::Text(run) => {
                let font = if run.face == Face::Bold { bold } else { regular };
                let glyphs: Vec<PdfGlyph> = run.glyphs.iter().map(PdfGlyph).collect();
                surface.draw_glyphs(
                    Point::from_xy(run.x, run.baseline),
                    &glyphs,
                    font.clone(),
                    &run.text,
                    run.size,
                    false,
                );
            }
        }
    }
    if let Some(path) = rects.finish() {
        // Without a fill set, krilla paints black: what we want for rules and QR modules.
        surface.draw_path(&path);
    }
}

/// Our shaped glyph as krilla wants it: advances in ems, no vertical movement.
struct PdfGlyph<'a>(&'a ShapedGlyph);

impl Glyph for PdfGlyph<'_> {
    fn glyph_id(&self) -> GlyphId {
        GlyphId::new(u32::from(self.0.id))
    }
    fn text_range(&self) -> Range<usize> {
        self.0.text_range.clone()
    }
    fn x_advance(&self, size: f32) -> f32 {
        self.0.advance * size
    }
    fn x_offset(&self, _size: f32) -> f32 {
        0.0
    }
    fn y_offset(&self, _size: f32) -> f32 {
        0.0
    }
    fn y_advance(&self, _size: f32) -> f32 {
        0.0
    }
    fn location(&self) -> Option<Location> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Paper;

    #[test]
    fn a_pdf_starts_with_the_header_and_embeds_the_font() {
        let pdf = render_pdf(&Document::new(Paper::A4, "Акт передачи водителю")).expect("an A4 act renders");
        assert!(pdf.starts_with(b"%PDF-"), "the output should be a PDF file");
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("FontFile2") || text.contains("FontFile3"), "the font should be embedded in the PDF");
    }
}
