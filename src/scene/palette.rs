//! Colours: the Okabe–Ito palette (safe for the common colour-vision deficiencies) and a
//! blue–white–orange diverging ramp for values. Nothing is told apart by colour alone: cell
//! kinds also get patterns, and highlights also get line weight.

/// An sRGB colour with alpha in 0‥1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rgba(pub u8, pub u8, pub u8, pub f32);

pub const BLACK: Rgba = Rgba(0, 0, 0, 1.0);
pub const WHITE: Rgba = Rgba(255, 255, 255, 1.0);
pub const TEXT: Rgba = Rgba(25, 25, 25, 1.0);
pub const MUTED: Rgba = Rgba(95, 95, 95, 1.0);
pub const GRID_LINE: Rgba = Rgba(150, 150, 150, 1.0);
pub const BLANK: Rgba = Rgba(250, 250, 250, 1.0);
pub const PADDING_FILL: Rgba = Rgba(226, 226, 226, 1.0);
pub const PADDING_HATCH: Rgba = Rgba(140, 140, 140, 1.0);
pub const INSERTED_FILL: Rgba = Rgba(255, 255, 255, 1.0);
pub const INSERTED_DOT: Rgba = Rgba(120, 120, 120, 1.0);
/// Offset arrows (Okabe–Ito bluish green) and the overview's sampling points.
pub const ARROW: Rgba = Rgba(0, 130, 95, 1.0);
pub const MARK: Rgba = Rgba(60, 60, 60, 0.55);
/// Dark vermillion crosses: holes of a receptive field.
pub const HOLE: Rgba = Rgba(170, 60, 0, 1.0);
/// Okabe–Ito vermillion: the cell being written.
pub const TARGET: Rgba = Rgba(213, 94, 0, 1.0);
/// Okabe–Ito blue: cells being read.
pub const READ: Rgba = Rgba(0, 80, 150, 1.0);
/// Okabe–Ito reddish purple: hover correspondences.
pub const HOVER: Rgba = Rgba(204, 121, 167, 1.0);
/// Behind a sample's mask label: the cells under it stay visible, the label stays legible.
pub const LABEL_BACK: Rgba = Rgba(255, 255, 255, 0.8);
pub const READ_WASH: Rgba = Rgba(0, 114, 178, 0.16);
pub const HOVER_WASH: Rgba = Rgba(204, 121, 167, 0.28);
/// Practice mode: the cell asked about, and the cells the reader chose.
pub const ASKED_WASH: Rgba = Rgba(213, 94, 0, 0.18);
pub const CHOSEN_WASH: Rgba = Rgba(0, 130, 95, 0.22);

/// The solid colours the picture draws with (besides value fills): an exported animation's
/// palette keeps them all, however few pixels they cover.
pub const SOLID: &[Rgba] = &[
    BLACK,
    WHITE,
    TEXT,
    MUTED,
    GRID_LINE,
    BLANK,
    PADDING_FILL,
    PADDING_HATCH,
    INSERTED_DOT,
    ARROW,
    HOLE,
    TARGET,
    READ,
    HOVER,
];

/// Okabe–Ito blue (negative) and orange (positive) at full strength.
const NEGATIVE: (f32, f32, f32) = (0.0, 114.0, 178.0);
const POSITIVE: (f32, f32, f32) = (230.0, 159.0, 0.0);

/// Fill for a value, relative to the largest magnitude in its grid; never so dark that the
/// value written on it becomes hard to read.
pub fn value_fill(value: f32, max_abs: f32) -> Rgba {
    if !value.is_finite() || max_abs <= 0.0 {
        return WHITE;
    }
    let t = (value.abs() / max_abs).min(1.0) * 0.62;
    let (r, g, b) = if value < 0.0 { NEGATIVE } else { POSITIVE };
    let mix = |c: f32| (255.0 + (c - 255.0) * t).round() as u8;
    Rgba(mix(r), mix(g), mix(b), 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_is_white_and_extremes_keep_text_readable() {
        assert_eq!(value_fill(0.0, 3.0), WHITE);
        let Rgba(r, g, b, _) = value_fill(-3.0, 3.0);
        // Relative luminance stays above what dark text needs for legible contrast.
        let lum = 0.2126 * f32::from(r) + 0.7152 * f32::from(g) + 0.0722 * f32::from(b);
        assert!(lum > 110.0, "{lum}");
        assert_eq!(value_fill(f32::NAN, 1.0), WHITE);
    }
}
