//! The PNG renderer: the shared layout rasterised in 8-bit grey at a chosen resolution, for thermal
//! printers that take images and for previews. Rectangle edges snap to whole pixels so QR modules
//! stay crisp; a document of several pages gives one image with the pages one under the other.

use crate::font::Fonts;
use crate::layout::layout;
use crate::page::{Item, Page, TextRun};
use crate::{Document, PrintError};
use ab_glyph::{Font, GlyphId, PxScale};

/// The resolution of the counter's thermal printers (8 dots per mm).
pub const THERMAL_DPI: u32 = 203;

/// Grey between stacked pages of a multi-page document.
const PAGE_GAP_PX: usize = 8;

/// Renders `doc` to a greyscale PNG at `dpi` dots per inch (50 to 1200).
pub fn render_png(doc: &Document, dpi: u32) -> Result<Vec<u8>, PrintError> {
    if !(50..=1200).contains(&dpi) {
        return Err(PrintError::BadDpi(dpi));
    }
    let fonts = Fonts::load()?;
    let pages = layout(doc, &fonts)?;
    let scale = dpi as f32 / 72.0;
    let px = |pt: f32| (pt * scale).round().max(1.0) as usize;
    let width = pages.iter().map(|p| px(p.width)).max().unwrap_or(1);
    let height = pages.iter().map(|p| px(p.height)).sum::<usize>() + PAGE_GAP_PX * pages.len().saturating_sub(1);
    let mut canvas = Canvas { width, height, pixels: vec![160; width * height], scale, top: 0 };
    for page in &pages {
        canvas.fill(0, px(page.width), 0, px(page.height), 255);
        draw_page(&mut canvas, page, &fonts);
        canvas.top += px(page.height) + PAGE_GAP_PX;
    }
    canvas.encode(dpi)
}

/// A grey image; `top` is where the current page starts.
struct Canvas {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
    scale: f32,
    top: usize,
}

impl Canvas {
    /// Sets pixels `x0..x1` × `y0..y1` of the current page to `value`, clipped to the image.
    fn fill(&mut self, x0: usize, x1: usize, y0: usize, y1: usize, value: u8) {
        let (x1, y1) = (x1.min(self.width), (self.top + y1).min(self.height));
        for y in (self.top + y0).min(y1)..y1 {
            let row = y * self.width;
            self.pixels[row + x0.min(x1)..row + x1].fill(value);
        }
    }

    /// Darkens one pixel of the current page by a glyph's coverage (0 to 1).
    fn darken(&mut self, x: i64, y: i64, coverage: f32) {
        let Ok(x) = usize::try_from(x) else { return };
        let Ok(y) = usize::try_from(y) else { return };
        let y = self.top + y;
        if x < self.width && y < self.height {
            let pixel = &mut self.pixels[y * self.width + x];
            let ink = (255.0 * (1.0 - coverage.clamp(0.0, 1.0))).round() as u8;
            *pixel = (*pixel).min(ink);
        }
    }

    fn encode(self, dpi: u32) -> Result<Vec<u8>, PrintError> {
        let to_png_error = |e: png::EncodingError| PrintError::Png(e.to_string());
        let (width, height) = (to_u32(self.width)?, to_u32(self.height)?);
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        // Tell viewers and printers the real size: pixels per metre.
        let per_metre = (dpi as f32 / 0.0254).round() as u32;
        encoder.set_pixel_dims(Some(png::PixelDimensions { xppu: per_metre, yppu: per_metre, unit: png::Unit::Meter }));
        let mut writer = encoder.write_header().map_err(to_png_error)?;
        writer.write_image_data(&self.pixels).map_err(to_png_error)?;
        writer.finish().map_err(to_png_error)?;
        Ok(out)
    }
}

fn to_u32(n: usize) -> Result<u32, PrintError> {
    u32::try_from(n).map_err(|_| PrintError::Png(format!("image dimension {n} is too large")))
}

fn draw_page(canvas: &mut Canvas, page: &Page, fonts: &Fonts) {
    let scale = canvas.scale;
    let snap = |pt: f32| (pt * scale).round().max(0.0) as usize;
    for item in &page.items {
        match item {
            Item::Rect { x, y, w, h } => {
                let (x0, y0) = (snap(*x), snap(*y));
                // A hairline rule still shows as one pixel.
                let (x1, y1) = (snap(x + w).max(x0 + 1), snap(y + h).max(y0 + 1));
                canvas.fill(x0, x1, y0, y1, 0);
            }
            Item::Text(run) => draw_text(canvas, run, fonts),
        }
    }
}

fn draw_text(canvas: &mut Canvas, run: &TextRun, fonts: &Fonts) {
    let font = fonts.face(run.face);
    let em = font.units_per_em().unwrap_or(1000.0);
    let size_px = run.size * canvas.scale;
    // ab_glyph scales by the font's height (ascent − descent), not by the em.
    let scale = PxScale::from(size_px * font.height_unscaled() / em);
    let baseline = run.baseline * canvas.scale;
    let mut x = run.x * canvas.scale;
    for glyph in &run.glyphs {
        let positioned = GlyphId(glyph.id).with_scale_and_position(scale, ab_glyph::point(x, baseline));
        if let Some(outline) = font.outline_glyph(positioned) {
            let bounds = outline.px_bounds();
            let (left, top) = (bounds.min.x as i64, bounds.min.y as i64);
            outline.draw(|gx, gy, coverage| canvas.darken(left + i64::from(gx), top + i64::from(gy), coverage));
        }
        x += glyph.advance * size_px;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Paper;

    #[test]
    fn the_raster_is_the_paper_size_at_the_resolution() {
        let png = render_png(&Document::new(Paper::Label58x60mm, "Возврат"), THERMAL_DPI).expect("a label renders");
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let reader = decoder.read_info().expect("the output should be a readable PNG");
        let info = reader.info();
        // 58 mm at 8 dots per mm.
        assert_eq!((info.width, info.height), (464, 480), "a 58×60 mm label at 203 dpi should be 464×480 dots");
    }

    #[test]
    fn a_resolution_out_of_range_is_refused() {
        let err = render_png(&Document::new(Paper::A4, "Акт"), 0).expect_err("0 dpi cannot render");
        assert_eq!(err.kind(), "bad_dpi", "0 dpi should be refused as a bad resolution: {err}");
    }
}
