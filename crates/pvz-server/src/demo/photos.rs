//! The demo's photos, drawn in code as small PNGs a person recognises as placeholders: the jeans of
//! the claim with photos laid on the counter with a stain (the counter's photo), the stain close up
//! and the sewn-in label (the buyer's).

use super::bad;
use crate::error::Result;

const WIDTH: u32 = 320;
const HEIGHT: u32 = 240;

/// What a photo shows.
#[derive(Debug, Clone, Copy)]
pub enum Scene {
    /// The jeans laid flat on the counter, a stain on the right leg.
    JeansOnCounter,
    /// The stain close up.
    StainCloseUp,
    /// The sewn-in label.
    Label,
}

const DENIM: [u8; 3] = [62, 92, 150];
const STAIN: [u8; 3] = [112, 82, 52];

/// Denim with its twill: diagonal lines a shade darker.
fn denim(x: u32, y: u32) -> [u8; 3] {
    if (x + y) % 6 < 2 {
        DENIM.map(|c| c.saturating_sub(14))
    } else {
        DENIM
    }
}

fn inside_circle(x: u32, y: u32, (cx, cy): (u32, u32), r: u32) -> bool {
    let (dx, dy) = (i64::from(x) - i64::from(cx), i64::from(y) - i64::from(cy));
    dx * dx + dy * dy <= i64::from(r) * i64::from(r)
}

fn pixel(scene: Scene, x: u32, y: u32) -> [u8; 3] {
    match scene {
        Scene::JeansOnCounter => {
            let waist = (110..210).contains(&x) && (30..50).contains(&y);
            let seat = (110..210).contains(&x) && (50..95).contains(&y);
            let legs = ((110..156).contains(&x) || (164..210).contains(&x)) && (95..225).contains(&y);
            if inside_circle(x, y, (186, 150), 13) {
                STAIN
            } else if waist {
                DENIM.map(|c| c.saturating_sub(25))
            } else if seat || legs {
                denim(x, y)
            } else if y % 40 < 2 {
                [170, 140, 100]
            } else {
                [204, 174, 132]
            }
        }
        Scene::StainCloseUp => {
            let seam = (236..242).contains(&x);
            if inside_circle(x, y, (140, 120), 62) && !inside_circle(x, y, (170, 100), 20) {
                STAIN
            } else if seam {
                [214, 160, 60]
            } else {
                denim(x, y)
            }
        }
        Scene::Label => {
            let label = (70..250).contains(&x) && (50..190).contains(&y);
            let bars = (95..225).contains(&x) && (130..170).contains(&y) && (x * 7 / 5).is_multiple_of(3);
            let text = (95..225).contains(&x) && [70, 85, 100].iter().any(|row| (*row..row + 6).contains(&y));
            if bars || (text && x % 9 < 6) {
                [30, 30, 30]
            } else if label {
                [246, 244, 236]
            } else {
                denim(x, y)
            }
        }
    }
}

/// The scene as PNG bytes.
pub fn png(scene: Scene) -> Result<Vec<u8>> {
    let mut data = Vec::with_capacity((WIDTH * HEIGHT * 3) as usize);
    for y in 0..HEIGHT {
        for x in 0..WIDTH {
            data.extend(pixel(scene, x, y));
        }
    }
    let mut out = Vec::new();
    let mut encoder = ::png::Encoder::new(&mut out, WIDTH, HEIGHT);
    encoder.set_color(::png::ColorType::Rgb);
    encoder.set_depth(::png::BitDepth::Eight);
    encoder.write_header().and_then(|mut w| w.write_image_data(&data)).map_err(bad)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_scene_is_a_png_of_its_own() {
        let photos: Vec<_> =
            [Scene::JeansOnCounter, Scene::StainCloseUp, Scene::Label].map(|s| png(s).expect("encodes")).into();
        for photo in &photos {
            assert_eq!(crate::evidence::sniff(photo), Some("image/png"), "a PNG the upload check accepts");
            let decoder = ::png::Decoder::new(std::io::Cursor::new(photo.as_slice()));
            let info = decoder.read_info().expect("decodes").info().clone();
            assert_eq!((info.width, info.height), (WIDTH, HEIGHT), "its size");
        }
        assert!(photos[0] != photos[1] && photos[1] != photos[2], "three different photos");
    }
}
