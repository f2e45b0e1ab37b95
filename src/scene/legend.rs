//! The key across the top: the value colours, and only the patterns and outlines the
//! picture uses (padding, inserted zeros, holes, not-yet-written cells, read, written).

use super::palette::{self, Rgba};
use super::shapes::{Align, Point, Shape, Stroke, Transform, Viewport, cross_cell, dot_cell, hatch_cell, pt, text_em};
use super::{PracticeMark, View};
use crate::text::Msg;
use crate::trace::CellKind;

/// One entry of the legend: a swatch (fill, outline, optional pattern) and its label.
struct Swatch {
    label: String,
    fill: Option<Rgba>,
    stroke: Stroke,
    pattern: Option<fn(&mut Vec<Shape>, Point)>,
}

/// The swatches of `trace`'s picture, in order.
fn swatches(view: &View, dpr: f32) -> Vec<Swatch> {
    let (trace, lang, veiled) = (view.trace, view.lang, view.veiled);
    let marked = |mark: PracticeMark| view.marks.iter().any(|(_, m)| *m == mark);
    // A picture with every grid veiled (a field question hides the map) needs no key.
    if shown_none(view) {
        return Vec::new();
    }
    let shown = || trace.grids.iter().enumerate().filter(|(id, _)| !veiled.contains(id)).map(|(_, g)| g);
    // The kinds of cell shown, in one pass: a legend is built at every frame, and a large
    // upsampling's grids hold 400,000 cells (a scan per kind took a millisecond a frame).
    let present = shown().fold(0u8, |seen, g| g.kinds.iter().fold(seen, |seen, &k| seen | 1 << k as u8));
    let has = |kind: CellKind| present & 1 << kind as u8 != 0;
    let thin = Stroke { color: palette::GRID_LINE, width: dpr };
    let hatch: fn(&mut Vec<Shape>, Point) =
        |s, lo| hatch_cell(s, lo, Stroke { color: palette::PADDING_HATCH, width: 1.0 });
    let swatch = |id: &'static str, fill, stroke, pattern| Swatch {
        label: Msg::Id(id, Vec::new()).tr(lang),
        fill,
        stroke,
        pattern,
    };
    let swatches = [
        Some(swatch("legend-negative", Some(palette::value_fill(-1.0, 1.0)), thin, None)),
        Some(swatch("legend-positive", Some(palette::value_fill(1.0, 1.0)), thin, None)),
        has(CellKind::Padding).then(|| swatch("legend-padding", Some(palette::PADDING_FILL), thin, Some(hatch))),
        has(CellKind::InsertedZero).then(|| {
            swatch(
                "legend-inserted-zero",
                Some(palette::INSERTED_FILL),
                thin,
                Some(dot_cell as fn(&mut Vec<Shape>, Point)),
            )
        }),
        has(CellKind::Hole).then(|| {
            let cross: fn(&mut Vec<Shape>, Point) =
                |s, lo| cross_cell(s, lo, Stroke { color: palette::HOLE, width: 1.5 });
            swatch("legend-hole", Some(palette::WHITE), thin, Some(cross))
        }),
        shown().any(|g| g.written).then(|| swatch("legend-not-written", Some(palette::BLANK), thin, None)),
        Some(swatch("legend-read", Some(palette::READ_WASH), Stroke { color: palette::READ, width: 2.2 * dpr }, None)),
        Some(swatch("legend-written", None, Stroke { color: palette::TARGET, width: 3.0 * dpr }, None)),
        marked(PracticeMark::Asked).then(|| {
            swatch("legend-asked", Some(palette::ASKED_WASH), Stroke { color: palette::TARGET, width: 3.0 * dpr }, None)
        }),
        marked(PracticeMark::Chosen).then(|| {
            swatch(
                "legend-chosen",
                Some(palette::CHOSEN_WASH),
                Stroke { color: palette::ARROW, width: 2.5 * dpr },
                None,
            )
        }),
        marked(PracticeMark::Missed)
            .then(|| swatch("legend-missed", None, Stroke { color: palette::READ, width: 3.0 * dpr }, None)),
        marked(PracticeMark::Extra).then(|| {
            let cross: fn(&mut Vec<Shape>, Point) =
                |s, lo| cross_cell(s, lo, Stroke { color: palette::HOLE, width: 1.5 });
            swatch("legend-extra", None, Stroke { color: palette::HOLE, width: 2.5 * dpr }, Some(cross))
        }),
    ];
    swatches.into_iter().flatten().collect()
}

/// Whether every grid of the picture is veiled.
fn shown_none(view: &View) -> bool {
    !view.trace.grids.is_empty() && (0..view.trace.grids.len()).all(|id| view.veiled.contains(&id))
}

/// The top-left pixel of each swatch: left to right, onto a new row where the next one would
/// leave the viewport.
fn places(swatches: &[Swatch], viewport: Viewport) -> Vec<(f32, f32)> {
    let dpr = viewport.dpr;
    let (left, top, box_px, row_px) = (10.0 * dpr, 6.0 * dpr, 14.0 * dpr, 20.0 * dpr);
    let (mut x, mut y) = (left, top);
    swatches
        .iter()
        .map(|swatch| {
            let width = box_px + 12.0 * dpr + text_em(&swatch.label) * 11.0 * dpr;
            if x > left && x + width > viewport.width as f32 {
                (x, y) = (left, y + row_px);
            }
            let at = (x, y);
            x += width;
            at
        })
        .collect()
}

/// Height of the legend band in device pixels (one or more rows of swatches).
pub fn height(view: &View, viewport: Viewport) -> f32 {
    let last = places(&swatches(view, viewport.dpr), viewport).last().map_or(0.0, |p| p.1);
    last + 20.0 * viewport.dpr
}

/// A key to the patterns and outlines actually in use, across the top.
pub fn legend(shapes: &mut Vec<Shape>, view: &View, transform: Transform, viewport: Viewport) {
    let dpr = viewport.dpr;
    let swatches = swatches(view, dpr);
    let box_px = 14.0 * dpr;
    let size = box_px / transform.scale;
    for (Swatch { label, fill, stroke, pattern }, (x, y)) in swatches.iter().zip(places(&swatches, viewport)) {
        let lo = transform.to_unit(x, y);
        shapes.push(Shape::Rect { min: lo, max: pt(lo.x + size, lo.y + size), fill: *fill, stroke: Some(*stroke) });
        if let Some(draw) = pattern {
            let mut cell = Vec::new();
            draw(&mut cell, pt(0.0, 0.0));
            shapes.extend(scale_shapes(cell, lo, size, dpr));
        }
        shapes.push(Shape::Text {
            at: transform.to_unit(x + box_px + 5.0 * dpr, y + box_px / 2.0),
            text: label.clone(),
            size: 12.0 * dpr,
            color: palette::TEXT,
            align: Align::Left,
            bold: false,
        });
    }
}

/// Maps shapes drawn in a unit cell at the origin onto a box at `lo` of side `size`.
/// Line widths are multiplied by `dpr`.
fn scale_shapes(shapes: Vec<Shape>, lo: Point, size: f32, dpr: f32) -> impl Iterator<Item = Shape> {
    let map = move |p: Point| pt(lo.x + p.x * size, lo.y + p.y * size);
    shapes.into_iter().map(move |shape| match shape {
        Shape::Line { from, to, stroke } => {
            Shape::Line { from: map(from), to: map(to), stroke: Stroke { width: stroke.width * dpr, ..stroke } }
        }
        Shape::Disc { center, radius, fill } => Shape::Disc { center: map(center), radius: radius * size, fill },
        Shape::Discs { centers, radius, fill } => {
            Shape::Discs { centers: centers.into_iter().map(map).collect(), radius: radius * size, fill }
        }
        other => other,
    })
}
