//! A line chart drawn beside the grids: title, axes with "nice" ticks, one polyline and
//! marker shape per series (Okabe–Ito colours), and a legend naming each series.

use super::palette::{self, Rgba};
use super::shapes::{Align, Point, Shape, Stroke, pt};
use crate::text::Lang;
use crate::trace::{Chart, fmt_num};

/// Okabe–Ito colours for chart series; each series also has its own marker shape.
const SERIES: [Rgba; 5] = [
    Rgba(0, 114, 178, 1.0),
    Rgba(213, 94, 0, 1.0),
    Rgba(0, 158, 115, 1.0),
    Rgba(204, 121, 167, 1.0),
    Rgba(230, 159, 0, 1.0),
];
/// The legend's name for each marker shape.
const MARKER_GLYPHS: [&str; 5] = ["●", "▲", "✚", "■", "◆"];

/// "Nice" tick values covering `lo..=hi` (steps of 1, 2 or 5 × 10ⁿ).
fn ticks(lo: f32, hi: f32, target: usize) -> Vec<f32> {
    let span = (hi - lo).max(1e-6);
    let raw = span / target as f32;
    let magnitude = 10f32.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(10.0 * magnitude);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|i| i as f32 * step).collect()
}

/// Marker `i` (disc, triangle, cross, square, diamond) centred on `c`, `r` units across.
fn marker(shapes: &mut Vec<Shape>, i: usize, c: Point, r: f32, color: Rgba, width: f32) {
    let stroke = Stroke { color, width };
    let poly = |shapes: &mut Vec<Shape>, points: &[Point]| {
        for (a, b) in points.iter().zip(points.iter().cycle().skip(1)) {
            shapes.push(Shape::Line { from: *a, to: *b, stroke });
        }
    };
    match i % 5 {
        0 => shapes.push(Shape::Disc { center: c, radius: r * 0.8, fill: color }),
        1 => poly(shapes, &[pt(c.x, c.y - r), pt(c.x + r, c.y + r * 0.8), pt(c.x - r, c.y + r * 0.8)]),
        2 => {
            shapes.push(Shape::Line { from: pt(c.x - r, c.y), to: pt(c.x + r, c.y), stroke });
            shapes.push(Shape::Line { from: pt(c.x, c.y - r), to: pt(c.x, c.y + r), stroke });
        }
        3 => shapes.push(Shape::Rect {
            min: pt(c.x - r * 0.8, c.y - r * 0.8),
            max: pt(c.x + r * 0.8, c.y + r * 0.8),
            fill: Some(color),
            stroke: None,
        }),
        _ => poly(shapes, &[pt(c.x, c.y - r), pt(c.x + r, c.y), pt(c.x, c.y + r), pt(c.x - r, c.y)]),
    }
}

/// A line chart in the box at `min` of `size` units: title, axes with ticks, one polyline
/// and marker kind per series, and a legend. `u` converts CSS pixels to units.
pub fn chart_shapes(shapes: &mut Vec<Shape>, chart: &Chart, min: Point, size: Point, u: f32, dpr: f32, lang: Lang) {
    let text = |shapes: &mut Vec<Shape>, at: Point, text: String, size: f32, align: Align, color: Rgba| {
        shapes.push(Shape::Text { at, text, size: size * dpr, color, align, bold: false });
    };
    let (left, right, top, bottom) =
        (min.x + 44.0 * u, min.x + size.x - 170.0 * u, min.y + 22.0 * u, min.y + size.y - 34.0 * u);
    shapes.push(Shape::Rect { min, max: pt(min.x + size.x, min.y + size.y), fill: Some(palette::WHITE), stroke: None });
    text(shapes, pt((left + right) / 2.0, min.y + 9.0 * u), chart.title.tr(lang), 12.5, Align::Center, palette::TEXT);
    let points = chart.series.iter().flat_map(|s| s.points.iter());
    let (mut x0, mut x1, mut y0, mut y1) = (0.0f32, 1.0f32, 0.0f32, 1.0f32);
    for &(x, y) in points.filter(|(x, y)| x.is_finite() && y.is_finite()) {
        (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
    }
    let pad = (y1 - y0) * 0.08;
    let (y0, y1) = (y0 - pad, y1 + pad);
    let px = |x: f32| left + (x - x0) / (x1 - x0).max(1e-6) * (right - left);
    let py = |y: f32| bottom - (y - y0) / (y1 - y0).max(1e-6) * (bottom - top);
    let grid = Stroke { color: Rgba(225, 225, 225, 1.0), width: dpr };
    let axis = Stroke { color: palette::MUTED, width: dpr };
    for y in ticks(y0, y1, 5) {
        shapes.push(Shape::Line { from: pt(left, py(y)), to: pt(right, py(y)), stroke: grid });
        text(shapes, pt(left - 4.0 * u, py(y)), fmt_num(y), 10.5, Align::Right, palette::MUTED);
    }
    for x in ticks(x0, x1, 8) {
        shapes.push(Shape::Line { from: pt(px(x), top), to: pt(px(x), bottom), stroke: grid });
        text(shapes, pt(px(x), bottom + 9.0 * u), fmt_num(x), 10.5, Align::Center, palette::MUTED);
    }
    shapes.push(Shape::Line { from: pt(left, bottom), to: pt(right, bottom), stroke: axis });
    shapes.push(Shape::Line { from: pt(left, top), to: pt(left, bottom), stroke: axis });
    text(
        shapes,
        pt((left + right) / 2.0, bottom + 24.0 * u),
        chart.x_label.tr(lang),
        11.0,
        Align::Center,
        palette::MUTED,
    );
    text(shapes, pt(min.x, min.y + 9.0 * u), chart.y_label.tr(lang), 11.0, Align::Left, palette::MUTED);
    for (i, series) in chart.series.iter().enumerate() {
        let color = SERIES[i % SERIES.len()];
        let stroke = Stroke { color, width: 1.8 * dpr };
        let pts: Vec<Point> = series
            .points
            .iter()
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .map(|&(x, y)| pt(px(x), py(y)))
            .collect();
        // A labelled series is a set of chosen points, not a line.
        if series.labels.is_empty() {
            for pair in pts.windows(2) {
                shapes.push(Shape::Line { from: pair[0], to: pair[1], stroke });
            }
        }
        // Markers tell series apart where points are sparse enough to see them.
        if pts.len() <= 80 {
            for p in &pts {
                marker(shapes, i, *p, 3.6 * u, color, 1.6 * dpr);
            }
        }
        // Labelled points (a few chosen values) carry their number above the marker.
        let labelled = series.points.iter().zip(&series.labels).filter(|((x, y), _)| x.is_finite() && y.is_finite());
        for (&(x, y), label) in labelled {
            let at = pt(px(x), py(y) - 9.0 * u);
            shapes.push(Shape::Disc { center: pt(px(x), py(y)), radius: 3.2 * u, fill: color });
            text(shapes, at, label.clone(), 10.5, Align::Center, palette::TEXT);
        }
        // Legend right of the plot, one line per series.
        let y = top + (8.0 + 16.0 * i as f32) * u;
        let x = right + 12.0 * u;
        shapes.push(Shape::Line { from: pt(x, y), to: pt(x + 16.0 * u, y), stroke });
        marker(shapes, i, pt(x + 8.0 * u, y), 3.6 * u, color, 1.6 * dpr);
        text(
            shapes,
            pt(x + 22.0 * u, y),
            format!("{} {}", MARKER_GLYPHS[i % 5], series.name.tr(lang)),
            10.5,
            Align::Left,
            palette::TEXT,
        );
    }
}
