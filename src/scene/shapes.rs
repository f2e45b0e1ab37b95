//! The display list's vocabulary: [`Shape`]s in layout units, the [`Transform`] to device
//! pixels, the [`Viewport`], and the small patterns drawn from them (hatching, dots, a cross,
//! an arrow).

use super::palette::{self, Rgba};

/// A point in layout units (x = column, y = row).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

pub const fn pt(x: f32, y: f32) -> Point {
    Point { x, y }
}

/// A line style; width in device pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stroke {
    pub color: Rgba,
    pub width: f32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// One thing to draw.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Rect {
        min: Point,
        max: Point,
        fill: Option<Rgba>,
        stroke: Option<Stroke>,
    },
    Line {
        from: Point,
        to: Point,
        stroke: Stroke,
    },
    /// A filled disc; radius in layout units.
    Disc {
        center: Point,
        radius: f32,
        fill: Rgba,
    },
    /// Discs of one radius and colour, painted one after another as [`Shape::Disc`]s would
    /// be: a deformable conv's 100,000 sampling points are one shape to build, compare and
    /// walk, not 100,000.
    Discs {
        centers: Vec<Point>,
        radius: f32,
        fill: Rgba,
    },
    /// A panel of unit cells `cols` wide with its top-left corner at `min`, filled row-major
    /// with `colors`: cells too small for patterns or text. A painter that takes bitmaps
    /// draws it as one (a 256×256 panel is one image, not 65,536 rectangles); a vector
    /// painter draws runs of one colour as rectangles.
    Cells {
        min: Point,
        cols: usize,
        colors: Vec<Rgba>,
    },
    /// Text centred vertically on `at`; size in device pixels.
    Text {
        at: Point,
        text: String,
        size: f32,
        color: Rgba,
        align: Align,
        bold: bool,
    },
}

impl Shape {
    /// Plain (not bold) text.
    pub fn text(at: Point, text: String, size: f32, color: Rgba, align: Align) -> Shape {
        Shape::Text { at, text, size, color, align, bold: false }
    }

    /// Bold text.
    pub fn bold(at: Point, text: String, size: f32, color: Rgba, align: Align) -> Shape {
        Shape::Text { at, text, size, color, align, bold: true }
    }
}

/// Layout units → device pixels: `pixel = offset + scale · unit`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transform {
    pub scale: f32,
    pub offset: Point,
}

impl Transform {
    pub fn to_pixel(&self, p: Point) -> (f32, f32) {
        (self.offset.x + self.scale * p.x, self.offset.y + self.scale * p.y)
    }

    pub fn to_unit(&self, x: f32, y: f32) -> Point {
        pt((x - self.offset.x) / self.scale, (y - self.offset.y) / self.scale)
    }
}

/// The drawing surface: size in device pixels and the device-pixel ratio (2 on a retina
/// screen), so text and lines keep their CSS size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    pub width: u32,
    pub height: u32,
    pub dpr: f32,
}

impl Viewport {
    pub fn new(width: u32, height: u32, dpr: f32) -> Viewport {
        let dpr = if dpr.is_finite() { dpr.clamp(0.5, 4.0) } else { 1.0 };
        Viewport { width: width.clamp(64, 8192), height: height.clamp(64, 8192), dpr }
    }
}

/// Largest font size (≤ `size`) at which `text` fits in `room` pixels.
pub fn fit_text(text: &str, size: f32, room: f32) -> f32 {
    let width = text_em(text) * size;
    if width <= room { size } else { size * room / width }
}

/// Whether `c` is drawn about one em wide: CJK ideographs, kana, Hangul, fullwidth forms and
/// CJK punctuation.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

/// Roughly how wide `text` is, in ems of its font: about 0.6 em a Latin character, 1 em a
/// Chinese one.
pub fn text_em(text: &str) -> f32 {
    let wide = text.chars().filter(|c| is_wide(*c)).count();
    (text.chars().count() - wide) as f32 * 0.6 + wide as f32
}

/// Splits `text` into lines that fit `room` pixels at font size `size`: at spaces, and
/// between Chinese characters (never before closing punctuation such as “，” or “）”).
pub fn wrap(text: &str, room: f32, size: f32) -> Vec<String> {
    // Measured in Latin characters (0.56 em each); a Chinese character counts two.
    let max_units = (room / (0.56 * size)).max(12.0) as usize;
    let units = |s: &str| s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum::<usize>();
    // Pieces that may not be split: words (with the space before them) and wide characters
    // (with the punctuation that must stay on their line).
    let mut pieces: Vec<String> = Vec::new();
    for (i, word) in text.split(' ').enumerate() {
        let mut current = if i > 0 { " ".to_string() } else { String::new() };
        for c in word.chars() {
            let closing = "，。、；：！？）》」』】’”".contains(c);
            // A line may break before a wide character, and before Latin text that follows
            // one (`抽头 stride`), but never before closing punctuation.
            let after_wide = current.chars().last().is_some_and(is_wide);
            if (is_wide(c) || after_wide) && !closing && !current.trim().is_empty() {
                pieces.push(std::mem::take(&mut current));
            }
            current.push(c);
        }
        pieces.push(current);
    }
    let mut lines = vec![String::new()];
    for piece in pieces {
        let line = lines.last_mut().expect("starts with one line");
        if !line.is_empty() && units(line) + units(&piece) > max_units {
            lines.push(piece.trim_start().to_string());
        } else {
            line.push_str(&piece);
        }
    }
    lines
}

#[cfg(test)]
#[test]
fn chinese_wraps_between_characters_but_not_before_closing_punctuation() {
    let lines = wrap(
        "第 12 步（共 28 步），卷积核滑动：y[0,0,1,3] = 0·(−1) + 1·1 = 1（9 个抽头中有 5 个读到填充）",
        200.0,
        12.0,
    );
    assert!(lines.len() > 1, "{lines:?}");
    for line in &lines {
        assert!(crate::scene::shapes::text_em(line) * 12.0 <= 200.0 + 12.0, "{line} is too wide");
        assert!(!line.starts_with(|c| "，。、；：）".contains(c)), "{line} starts with closing punctuation");
    }
    assert_eq!(
        lines.concat().replace(' ', ""),
        "第12步（共28步），卷积核滑动：y[0,0,1,3]=0·(−1)+1·1=1（9个抽头中有5个读到填充）"
    );
    // English breaks at spaces only, as before.
    assert_eq!(wrap("one two three four five six seven", 60.0, 10.0), ["one two", "three four", "five six", "seven"]);
}

/// Diagonal hatching for padding cells.
pub fn hatch_cell(shapes: &mut Vec<Shape>, lo: Point, stroke: Stroke) {
    for t in [0.25f32, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75] {
        let (from, to) = if t <= 1.0 {
            (pt(lo.x, lo.y + t), pt(lo.x + t, lo.y))
        } else {
            (pt(lo.x + t - 1.0, lo.y + 1.0), pt(lo.x + 1.0, lo.y + t - 1.0))
        };
        shapes.push(Shape::Line { from, to, stroke });
    }
}

/// A diagonal cross marking a hole: a cell of a receptive field that no path reaches.
pub fn cross_cell(shapes: &mut Vec<Shape>, lo: Point, stroke: Stroke) {
    shapes.push(Shape::Line { from: pt(lo.x + 0.2, lo.y + 0.2), to: pt(lo.x + 0.8, lo.y + 0.8), stroke });
    shapes.push(Shape::Line { from: pt(lo.x + 0.8, lo.y + 0.2), to: pt(lo.x + 0.2, lo.y + 0.8), stroke });
}

/// Four dots marking an inserted zero.
pub fn dot_cell(shapes: &mut Vec<Shape>, lo: Point) {
    for (dx, dy) in [(0.2, 0.2), (0.8, 0.2), (0.2, 0.8), (0.8, 0.8)] {
        shapes.push(Shape::Disc { center: pt(lo.x + dx, lo.y + dy), radius: 0.07, fill: palette::INSERTED_DOT });
    }
}

/// A line from `from` to `to` with a two-stroke head of length `head` at `to`.
pub fn arrow(shapes: &mut Vec<Shape>, from: Point, to: Point, stroke: Stroke, head: f32) {
    shapes.push(Shape::Line { from, to, stroke });
    let (dx, dy) = (to.x - from.x, to.y - from.y);
    let len = (dx * dx + dy * dy).sqrt();
    if len > 1e-6 {
        let (ux, uy) = (dx / len, dy / len);
        for side in [-1.0f32, 1.0] {
            let back = pt(to.x - head * (ux * 0.866 - side * uy * 0.5), to.y - head * (uy * 0.866 + side * ux * 0.5));
            shapes.push(Shape::Line { from: to, to: back, stroke });
        }
    }
}

/// The four sides of the rectangle `lo`–`hi` as lines.
pub fn outline(shapes: &mut Vec<Shape>, lo: Point, hi: Point, stroke: Stroke) {
    for (from, to) in [(lo, pt(hi.x, lo.y)), (pt(hi.x, lo.y), hi), (hi, pt(lo.x, hi.y)), (pt(lo.x, hi.y), lo)] {
        shapes.push(Shape::Line { from, to, stroke });
    }
}
