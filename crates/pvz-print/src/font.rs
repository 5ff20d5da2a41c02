//! The bundled DejaVu Sans faces (Latin and Cyrillic) and the one place text becomes glyphs with
//! advances: the layout measures with it, and the PDF and PNG place exactly these glyphs.

use crate::PrintError;
use ab_glyph::{Font, FontRef, GlyphId};
use std::ops::Range;

/// Line spacing as a multiple of the font size.
pub(crate) const LINE_HEIGHT: f32 = 1.25;

/// Regular or bold: the only two faces the documents use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    Regular,
    Bold,
}

impl Face {
    /// The face's font file, for embedding in the PDF.
    pub(crate) fn bytes(self) -> &'static [u8] {
        match self {
            Face::Regular => dejavu::sans::regular(),
            Face::Bold => dejavu::sans::bold(),
        }
    }
}

/// One glyph of a shaped run.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ShapedGlyph {
    pub id: u16,
    /// Advance to the next glyph, in ems (multiply by the font size), kerning included.
    pub advance: f32,
    /// The bytes of the source text this glyph shows, so a PDF reader can copy the text back.
    pub text_range: Range<usize>,
}

/// Both faces, parsed once per render.
pub(crate) struct Fonts {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

impl Fonts {
    pub(crate) fn load() -> Result<Fonts, PrintError> {
        let parse = |face: Face| FontRef::try_from_slice(face.bytes()).map_err(|e| PrintError::Font(e.to_string()));
        Ok(Fonts { regular: parse(Face::Regular)?, bold: parse(Face::Bold)? })
    }

    pub(crate) fn face(&self, face: Face) -> &FontRef<'static> {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
        }
    }

    /// One glyph per character (the scripts we print need no ligatures or reordering), with the
    /// font's kerning folded into the advances. Control characters become spaces.
    pub(crate) fn shape(&self, face: Face, text: &str) -> Vec<ShapedGlyph> {
        let font = self.face(face);
        let em = font.units_per_em().unwrap_or(1000.0);
        let mut glyphs: Vec<ShapedGlyph> = Vec::with_capacity(text.len());
        let mut previous: Option<GlyphId> = None;
        for (at, ch) in text.char_indices() {
            let ch = if ch.is_control() { ' ' } else { ch };
            let id = font.glyph_id(ch);
            if let (Some(prev), Some(last)) = (previous, glyphs.last_mut()) {
                last.advance += font.kern_unscaled(prev, id) / em;
            }
            glyphs.push(ShapedGlyph {
                id: id.0,
                advance: font.h_advance_unscaled(id) / em,
                text_range: at..at + ch.len_utf8(),
            });
            previous = Some(id);
        }
        glyphs
    }

    /// Width of `text` at `size` points.
    pub(crate) fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        self.shape(face, text).iter().map(|g| g.advance).sum::<f32>() * size
    }

    /// Distance from the top of a line box ([`LINE_HEIGHT`] high) to the baseline, at `size` points:
    /// the glyphs sit in the middle of the line's leading.
    pub(crate) fn baseline_offset(&self, size: f32) -> f32 {
        let font = &self.regular;
        let em = font.units_per_em().unwrap_or(1000.0);
        let (ascent, descent) = (font.ascent_unscaled() / em, font.descent_unscaled() / em);
        size * (ascent + (LINE_HEIGHT - (ascent - descent)) / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_has_real_glyphs_in_both_faces() {
        let fonts = Fonts::load().expect("the bundled font parses");
        for face in [Face::Regular, Face::Bold] {
            let glyphs = fonts.shape(face, "Акт приёма");
            assert!(glyphs.iter().all(|g| g.id != 0), "every Cyrillic letter should have a glyph in {face:?}");
        }
    }

    #[test]
    fn widths_grow_with_text_and_size() {
        let fonts = Fonts::load().expect("the bundled font parses");
        let short = fonts.width(Face::Regular, 10.0, "Курьер");
        assert!(short > 0.0, "text should have a width");
        assert!(fonts.width(Face::Regular, 10.0, "Курьер Иван") > short, "longer text should be wider");
        assert!(
            (fonts.width(Face::Regular, 20.0, "Курьер") - 2.0 * short).abs() < 0.01,
            "width should scale with size"
        );
    }
}
