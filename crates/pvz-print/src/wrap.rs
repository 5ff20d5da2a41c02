//! Breaking text into lines that fit a width: at spaces where possible, inside a word only when the
//! word alone is wider than the line (a long code or payload), and at every newline of the text.

use crate::font::{Face, Fonts};

/// The lines of `text` at `size` points, none wider than `max_width` unless one character is.
/// Empty text gives no lines.
pub(crate) fn wrap(fonts: &Fonts, face: Face, size: f32, text: &str, max_width: f32) -> Vec<String> {
    let space = fonts.width(face, size, " ");
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        let mut line_width = 0.0;
        for word in paragraph.split_whitespace() {
            let word_width = fonts.width(face, size, word);
            if !line.is_empty() && line_width + space + word_width <= max_width {
                line.push(' ');
                line.push_str(word);
                line_width += space + word_width;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if word_width <= max_width {
                line.push_str(word);
                line_width = word_width;
            } else {
                let mut pieces = break_word(fonts, face, size, word, max_width);
                let last = pieces.pop().unwrap_or_default();
                lines.extend(pieces);
                line_width = fonts.width(face, size, &last);
                line = last;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

/// Cuts a word wider than the line into pieces that fit, each at least one character long.
fn break_word(fonts: &Fonts, face: Face, size: f32, word: &str, max_width: f32) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut piece = String::new();
    let mut width = 0.0;
    for ch in word.chars() {
        let ch_width = fonts.width(face, size, ch.encode_utf8(&mut [0; 4]));
        if !piece.is_empty() && width + ch_width > max_width {
            pieces.push(std::mem::take(&mut piece));
            width = 0.0;
        }
        piece.push(ch);
        width += ch_width;
    }
    pieces.push(piece);
    pieces
}

/// The widest single word of `text`: a column narrower than this would have to break words.
pub(crate) fn widest_word(fonts: &Fonts, face: Face, size: f32, text: &str) -> f32 {
    text.split_whitespace().map(|w| fonts.width(face, size, w)).fold(0.0, f32::max)
}

/// The widest line of `text` when nothing wraps.
pub(crate) fn natural_width(fonts: &Fonts, face: Face, size: f32, text: &str) -> f32 {
    text.lines().map(|l| fonts.width(face, size, l.trim())).fold(0.0, f32::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        Fonts::load().expect("the bundled font parses")
    }

    #[test]
    fn long_text_wraps_within_the_width_and_keeps_every_word() {
        let fonts = fonts();
        let text = "Курьер привёз три отказа, один из них с повреждённой упаковкой и без ярлыка";
        let lines = wrap(&fonts, Face::Regular, 10.0, text, 120.0);
        assert!(lines.len() > 1, "a long sentence should wrap at 120 pt: {lines:?}");
        for line in &lines {
            assert!(fonts.width(Face::Regular, 10.0, line) <= 120.0, "line {line:?} should fit 120 pt");
        }
        assert_eq!(lines.join(" "), text, "wrapping should neither lose nor add words");
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut() {
        let fonts = fonts();
        let token = "PVZBOX1:".to_string() + &"0192d4c8a1b2".repeat(6);
        let lines = wrap(&fonts, Face::Regular, 8.0, &token, 100.0);
        assert!(lines.len() > 1, "a long token should be cut into pieces: {lines:?}");
        assert_eq!(lines.concat(), token, "the pieces should join back into the token");
        assert!(lines.iter().all(|l| fonts.width(Face::Regular, 8.0, l) <= 100.0), "each piece should fit");
    }

    #[test]
    fn newlines_start_new_lines_and_empty_text_has_none() {
        let fonts = fonts();
        assert_eq!(
            wrap(&fonts, Face::Regular, 10.0, "один\nдва", 500.0),
            vec!["один", "два"],
            "a newline should break"
        );
        assert!(wrap(&fonts, Face::Regular, 10.0, "  ", 500.0).is_empty(), "blank text should give no lines");
    }
}
