//! Display list → any plotters [`DrawingBackend`]: the canvas in the browser, SVG for exports
//! and snapshots, a bitmap for PNG. The same shapes go to every backend.

pub mod dots;
use plotters::prelude::{DrawingBackend, FontDesc, FontFamily, FontStyle, RGBAColor, ShapeStyle, TextStyle};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_backend::DrawingErrorKind;

use crate::scene::palette::Rgba;
use crate::scene::{Align, Point, Scene, Shape, Transform, pt};

fn color(c: Rgba) -> RGBAColor {
    RGBAColor(c.0, c.1, c.2, f64::from(c.3))
}

fn style(c: Rgba, width: f32, filled: bool) -> ShapeStyle {
    ShapeStyle { color: color(c), filled, stroke_width: width.round().max(1.0) as u32 }
}

/// Paints every shape of `scene` onto a raster `backend` (white background first) and
/// presents it; a panel of small cells goes over as one bitmap.
pub fn paint<B: DrawingBackend>(scene: &Scene, backend: &mut B) -> Result<(), DrawingErrorKind<B::ErrorType>> {
    paint_as(scene, backend, Cells::Bitmap)
}

/// Some of a frame's shapes in order (`shapes[range]`), after a white background with
/// `background`: a painter that keeps layers (the base under the hover, the marks) paints
/// the frame in parts that, put together in order, are [`paint`]'s picture.
pub fn paint_part<B: DrawingBackend>(
    scene: &Scene,
    backend: &mut B,
    range: std::ops::Range<usize>,
    background: bool,
) -> Result<(), DrawingErrorKind<B::ErrorType>> {
    paint_shapes(scene, &scene.shapes[range], backend, Cells::Bitmap, background)
}

/// Shapes through `transform` onto a transparent layer of `size` device pixels (a kept layer
/// of a frame's marks, which may be larger than the viewport).
pub fn paint_layer<B: DrawingBackend>(
    shapes: &[Shape],
    transform: Transform,
    size: (u32, u32),
    backend: &mut B,
) -> Result<(), DrawingErrorKind<B::ErrorType>> {
    draw_shapes(shapes, transform, (size.0 as i32, size.1 as i32), backend, Cells::Bitmap, false)
}

/// How a [`Shape::Cells`] panel reaches the backend.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cells {
    /// One RGB bitmap, cut to the viewport (a canvas, a PNG).
    Bitmap,
    /// A rectangle per run of one colour along a row (an SVG stays a vector picture).
    Rects,
}

fn paint_as<B: DrawingBackend>(
    scene: &Scene,
    backend: &mut B,
    mode: Cells,
) -> Result<(), DrawingErrorKind<B::ErrorType>> {
    paint_shapes(scene, &scene.shapes, backend, mode, true)
}

/// Paints `shapes` of `scene` (after a white background, with `background`) and presents.
fn paint_shapes<B: DrawingBackend>(
    scene: &Scene,
    shapes: &[Shape],
    backend: &mut B,
    mode: Cells,
    background: bool,
) -> Result<(), DrawingErrorKind<B::ErrorType>> {
    let size = (scene.viewport.width as i32, scene.viewport.height as i32);
    draw_shapes(shapes, scene.transform, size, backend, mode, background)
}

/// Paints `shapes` through `t` onto a surface of `w`×`h` device pixels and presents.
fn draw_shapes<B: DrawingBackend>(
    shapes: &[Shape],
    t: Transform,
    (w, h): (i32, i32),
    backend: &mut B,
    mode: Cells,
    background: bool,
) -> Result<(), DrawingErrorKind<B::ErrorType>> {
    if background {
        backend.draw_rect((0, 0), (w, h), &style(crate::scene::palette::WHITE, 1.0, true), true)?;
    }
    // A zoomed frame holds shapes far outside the viewport; they are not sent to the backend.
    let off = |lo: (i32, i32), hi: (i32, i32)| {
        lo.0.max(hi.0) < 0 || lo.1.max(hi.1) < 0 || lo.0.min(hi.0) > w || lo.1.min(hi.1) > h
    };
    for shape in shapes {
        match shape {
            Shape::Rect { min, max, .. } if off(pixel(t, *min), pixel(t, *max)) => {}
            Shape::Line { from, to, .. } if off(pixel(t, *from), pixel(t, *to)) => {}
            Shape::Disc { center, radius, .. }
                if off(
                    pixel(t, pt(center.x - radius, center.y - radius)),
                    pixel(t, pt(center.x + radius, center.y + radius)),
                ) => {}
            // Text is at most a few hundred pixels wide on either side of its anchor.
            Shape::Text { at, .. }
                if {
                    let p = pixel(t, *at);
                    off((p.0 - 800, p.1 - 40), (p.0 + 800, p.1 + 40))
                } => {}
            Shape::Cells { min, cols, colors } => match mode {
                Cells::Bitmap => cells_bitmap(backend, t, *min, *cols, colors, (w, h))?,
                Cells::Rects => cells_rects(backend, t, *min, *cols, colors, off)?,
            },
            Shape::Rect { min, max, fill, stroke } => {
                let (lo, hi) = (pixel(t, *min), pixel(t, *max));
                if let Some(fill) = fill {
                    backend.draw_rect(lo, hi, &style(*fill, 1.0, true), true)?;
                }
                if let Some(stroke) = stroke {
                    outline(backend, lo, hi, stroke.color, stroke.width)?;
                }
            }
            Shape::Line { from, to, stroke } => {
                backend.draw_line(pixel(t, *from), pixel(t, *to), &style(stroke.color, stroke.width, false))?;
            }
            Shape::Disc { center, radius, fill } => {
                let r = (radius * t.scale).round().max(1.0) as u32;
                backend.draw_circle(pixel(t, *center), r, &style(*fill, 1.0, true), true)?;
            }
            Shape::Discs { centers, radius, fill } => {
                let r = (radius * t.scale).round().max(1.0) as u32;
                let fill = style(*fill, 1.0, true);
                for center in centers {
                    let lo = pixel(t, pt(center.x - radius, center.y - radius));
                    let hi = pixel(t, pt(center.x + radius, center.y + radius));
                    if !off(lo, hi) {
                        backend.draw_circle(pixel(t, *center), r, &fill, true)?;
                    }
                }
            }
            Shape::Text { at, text, size, color: c, align, bold } => {
                let h_pos = match align {
                    Align::Left => HPos::Left,
                    Align::Center => HPos::Center,
                    Align::Right => HPos::Right,
                };
                let font_style = if *bold { FontStyle::Bold } else { FontStyle::Normal };
                let text_color = color(*c);
                let text_style = TextStyle::from(FontDesc::new(FontFamily::SansSerif, f64::from(*size), font_style))
                    .color(&text_color)
                    .pos(Pos::new(h_pos, VPos::Center));
                backend.draw_text(text, &text_style, pixel(t, *at))?;
            }
        }
    }
    backend.present()
}

/// A panel of cells as one RGB bitmap of the part inside the viewport: cell `(r, c)` covers
/// the same pixels its rectangle would (corners rounded the same way), colours composed over
/// the white background.
fn cells_bitmap<B: DrawingBackend>(
    backend: &mut B,
    t: Transform,
    min: Point,
    cols: usize,
    colors: &[Rgba],
    (w, h): (i32, i32),
) -> Result<(), DrawingErrorKind<B::ErrorType>> {
    if cols == 0 || colors.is_empty() {
        return Ok(());
    }
    let rows = colors.len() / cols;
    let xs: Vec<i32> = (0..=cols).map(|c| pixel(t, pt(min.x + c as f32, min.y)).0).collect();
    let ys: Vec<i32> = (0..=rows).map(|r| pixel(t, pt(min.x, min.y + r as f32)).1).collect();
    let (x0, x1) = (xs[0].clamp(0, w), xs[cols].clamp(0, w));
    let (y0, y1) = (ys[0].clamp(0, h), ys[rows].clamp(0, h));
    if x1 <= x0 || y1 <= y0 {
        return Ok(());
    }
    let (iw, ih) = ((x1 - x0) as usize, (y1 - y0) as usize);
    let mut bitmap = vec![255u8; iw * ih * 3];
    let over_white = |c: Rgba| {
        let a = c.3.clamp(0.0, 1.0);
        let mix = |v: u8| (f32::from(v) * a + 255.0 * (1.0 - a)).round() as u8;
        [mix(c.0), mix(c.1), mix(c.2)]
    };
    for r in 0..rows {
        let (top, bottom) = (ys[r].max(y0), ys[r + 1].min(y1));
        if bottom <= top {
            continue;
        }
        let first = (top - y0) as usize * iw * 3;
        for c in 0..cols {
            let (left, right) = (xs[c].max(x0), xs[c + 1].min(x1));
            if right <= left {
                continue;
            }
            let rgb = over_white(colors[r * cols + c]);
            let span = &mut bitmap[first + (left - x0) as usize * 3..first + (right - x0) as usize * 3];
            for pixel in span.chunks_exact_mut(3) {
                pixel.copy_from_slice(&rgb);
            }
        }
        for line in 1..(bottom - top) as usize {
            bitmap.copy_within(first..first + iw * 3, first + line * iw * 3);
        }
    }
    backend.blit_bitmap((x0, y0), (iw as u32, ih as u32), &bitmap)
}

/// A panel of cells as rectangles, one per run of a colour along a row; white runs are
/// left to the background.
fn cells_rects<B: DrawingBackend>(
    backend: &mut B,
    t: Transform,
    min: Point,
    cols: usize,
    colors: &[Rgba],
    off: impl Fn((i32, i32), (i32, i32)) -> bool,
) -> Result<(), DrawingErrorKind<B::ErrorType>> {
    for (r, row) in colors.chunks(cols.max(1)).enumerate() {
        let mut c = 0;
        while c < row.len() {
            let run = row[c..].iter().take_while(|&&color| color == row[c]).count();
            let lo = pixel(t, pt(min.x + c as f32, min.y + r as f32));
            let hi = pixel(t, pt(min.x + (c + run) as f32, min.y + r as f32 + 1.0));
            if row[c] != crate::scene::palette::WHITE && !off(lo, hi) {
                backend.draw_rect(lo, hi, &style(row[c], 1.0, true), true)?;
            }
            c += run;
        }
    }
    Ok(())
}

fn pixel(t: Transform, p: Point) -> (i32, i32) {
    let (x, y) = t.to_pixel(p);
    (x.round() as i32, y.round() as i32)
}

/// A rectangle outline of any width, drawn as filled bands inside the rectangle so every
/// backend (bitmaps draw 1-pixel lines only) shows the same weight.
fn outline<B: DrawingBackend>(
    backend: &mut B,
    lo: (i32, i32),
    hi: (i32, i32),
    c: Rgba,
    width: f32,
) -> Result<(), DrawingErrorKind<B::ErrorType>> {
    let w = (width.round() as i32).max(1);
    if w == 1 {
        return backend.draw_rect(lo, hi, &style(c, 1.0, false), false);
    }
    let s = style(c, 1.0, true);
    backend.draw_rect(lo, (hi.0, lo.1 + w - 1), &s, true)?;
    backend.draw_rect((lo.0, hi.1 - w + 1), hi, &s, true)?;
    backend.draw_rect(lo, (lo.0 + w - 1, hi.1), &s, true)?;
    backend.draw_rect((hi.0 - w + 1, lo.1), hi, &s, true)
}

/// The frame as an SVG document.
pub fn to_svg(scene: &Scene) -> String {
    #[cfg(not(target_arch = "wasm32"))]
    register_fonts();
    let mut out = String::new();
    {
        let mut backend =
            plotters::backend::SVGBackend::with_string(&mut out, (scene.viewport.width, scene.viewport.height));
        // Painting into a string cannot fail.
        let _ = paint_as(scene, &mut backend, Cells::Rects);
    }
    out
}

/// The frame as RGB pixels, 3 bytes each, row by row (native only: bitmaps need a font
/// file, the browser has its own).
#[cfg(not(target_arch = "wasm32"))]
pub fn to_rgb(scene: &Scene) -> Result<Vec<u8>, String> {
    use plotters::backend::{BitMapBackend, PixelFormat, RGBPixel};
    register_fonts();
    let (w, h) = (scene.viewport.width, scene.viewport.height);
    let mut rgb = vec![0u8; (w * h) as usize * RGBPixel::PIXEL_SIZE];
    {
        let mut backend = BitMapBackend::with_buffer(&mut rgb, (w, h));
        paint(scene, &mut backend).map_err(|e| format!("could not paint the frame: {e}"))?;
    }
    Ok(rgb)
}

/// The frame as PNG bytes (native only).
#[cfg(not(target_arch = "wasm32"))]
pub fn to_png(scene: &Scene) -> Result<Vec<u8>, String> {
    let (w, h) = (scene.viewport.width, scene.viewport.height);
    let rgb = to_rgb(scene)?;
    let mut png_bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut png_bytes, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| format!("could not encode PNG: {e}"))?;
    writer.write_image_data(&rgb).map_err(|e| format!("could not encode PNG: {e}"))?;
    writer.finish().map_err(|e| format!("could not encode PNG: {e}"))?;
    Ok(png_bytes)
}

/// Registers DejaVu Sans for bitmap text (and text measurement), once.
#[cfg(not(target_arch = "wasm32"))]
pub fn register_fonts() {
    FONTS.call_once(|| {
        // The fonts are compiled in; registering them can only fail on a corrupt file.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font("sans-serif", FontStyle::Bold, dejavu::sans::bold());
    });
}

#[cfg(not(target_arch = "wasm32"))]
static FONTS: std::sync::Once = std::sync::Once::new();

/// Draws bitmap text with these fonts (e.g. a CJK font the binary found on the system, for
/// Chinese) instead of DejaVu Sans; must come before the first PNG or GIF. Fails if a font
/// does not load or the fonts were already chosen.
#[cfg(not(target_arch = "wasm32"))]
pub fn use_fonts(regular: &'static [u8], bold: &'static [u8]) -> Result<(), String> {
    let mut result = Err("the fonts were already chosen".to_string());
    FONTS.call_once(|| {
        result = plotters::style::register_font("sans-serif", FontStyle::Normal, regular)
            .and_then(|_| plotters::style::register_font("sans-serif", FontStyle::Bold, bold))
            .map_err(|_| "the font file does not load".to_string());
    });
    result
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use plotters::backend::BitMapBackend;

    use super::*;
    use crate::ops::{self, Edits};
    use crate::params::Params;
    use crate::scene::{Camera, View, Viewport, build_culled};
    use crate::trace::Trace;

    fn pixels(scene: &Scene, mode: Cells) -> Vec<u8> {
        register_fonts();
        let (w, h) = (scene.viewport.width, scene.viewport.height);
        let mut rgb = vec![0u8; (w * h * 3) as usize];
        paint_as(scene, &mut BitMapBackend::with_buffer(&mut rgb, (w, h)), mode).unwrap();
        rgb
    }

    /// Every operator with an input of `height` × `width` at 32 × 32, half-way through its run.
    fn large_runs() -> Vec<(&'static str, Trace)> {
        let mut out = Vec::new();
        for op in ops::OPERATORS {
            let mut params = Params::defaults(op.schema);
            if params.set("height", "32").is_err() || params.set("width", "32").is_err() {
                continue;
            }
            if let Ok(run) = op.run(&params, &Edits::new()) {
                out.push((op.name, run.trace));
            }
        }
        out
    }

    fn frame(trace: &Trace, camera: Camera, cull: bool) -> Scene {
        let view = View::plain(trace, trace.steps.len() / 2, camera);
        build_culled(&view, Viewport::new(700, 420, 1.0), cull)
    }

    #[test]
    fn a_panel_of_small_cells_paints_the_same_as_one_bitmap_and_as_rectangles() {
        let mut seen = 0;
        for (name, trace) in large_runs() {
            let scene = frame(&trace, Camera::Fit, true);
            if scene.shapes.iter().any(|s| matches!(s, Shape::Cells { .. })) {
                seen += 1;
                assert!(pixels(&scene, Cells::Bitmap) == pixels(&scene, Cells::Rects), "{name}: the pictures differ");
            }
        }
        assert!(seen >= 5, "only {seen} operators drew panels of small cells");
    }

    #[test]
    fn leaving_out_the_cells_out_of_view_changes_no_pixel() {
        let mut seen = 0;
        for (name, trace) in large_runs() {
            let (all, culled) = (frame(&trace, Camera::Follow, false), frame(&trace, Camera::Follow, true));
            if all.shot.cropped {
                seen += 1;
                assert!(
                    culled.shapes.len() < all.shapes.len(),
                    "{name}: {} of {} shapes",
                    culled.shapes.len(),
                    all.shapes.len()
                );
                assert!(pixels(&culled, Cells::Bitmap) == pixels(&all, Cells::Bitmap), "{name}: the pictures differ");
            }
        }
        assert!(seen >= 5, "only {seen} operators zoomed in");
    }
}
