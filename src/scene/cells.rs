//! A grid's block: its caption and shape, one panel per channel, every cell drawn by kind
//! (hatched padding, dotted inserted zeros, crossed holes, blank not-yet-written cells, a
//! diverging fill for values), the cell values, overlap counts and the current step's
//! weights, grid lines and index labels.

use std::ops::Range;

use super::highlights::StepReads;
use super::layout::{Block, GUTTER, PANEL_GAP};
use super::palette::{self, Rgba};
use super::shapes::{Align, Point, Shape, Stroke, cross_cell, dot_cell, fit_text, hatch_cell, pt};
use super::{Frame, Panel};
use crate::msg;
use crate::text::Lang;
use crate::trace::{CellKind, CellRef, Grid, GridId, Replay, fmt_num};

/// Sizes that depend on the scale: what fits in a cell.
pub struct CellStyle {
    scale: f32,
    dpr: f32,
    shown: (Point, Point),
    show_values: bool,
    show_indices: bool,
    value_size: f32,
    index_size: f32,
    lang: Lang,
}

impl CellStyle {
    /// Whether cells are large enough for patterns (8 device pixels); smaller cells keep
    /// their flat fill, and a weight label needs more room still.
    fn shows_marks(&self) -> bool {
        self.scale >= 8.0 * self.dpr
    }

    /// The rows and columns of an `h`×`w` panel at `min` that are at least partly in view,
    /// or `None` if none is.
    fn in_view(&self, min: Point, h: usize, w: usize) -> Option<(Range<usize>, Range<usize>)> {
        let (lo, hi) = self.shown;
        let span = |from: f32, to: f32, len: usize| {
            let first = from.floor().clamp(0.0, len as f32) as usize;
            let end = to.ceil().clamp(0.0, len as f32) as usize;
            (first < end).then_some(first..end)
        };
        Some((span(lo.y - min.y, hi.y - min.y, h)?, span(lo.x - min.x, hi.x - min.x, w)?))
    }

    /// `shown` is the part of the layout in view (layout units, top-left and bottom-right).
    pub fn new(scale: f32, dpr: f32, lang: Lang, shown: (Point, Point)) -> CellStyle {
        CellStyle {
            scale,
            dpr,
            shown,
            show_values: scale >= 10.0 * dpr,
            show_indices: scale >= 13.0 * dpr,
            value_size: (scale * if scale < 20.0 * dpr { 0.5 } else { 0.42 }).min(15.0 * dpr),
            index_size: (scale * 0.3).min(11.0 * dpr),
            lang,
        }
    }
}

/// What one grid shows: its values so far and which cells have been written how often.
pub struct GridState<'a> {
    pub id: GridId,
    pub grid: &'a Grid,
    pub replay: &'a Replay,
    /// The offset of a cell whose value is a question: drawn as `?` on the blank fill.
    pub hidden: Option<usize>,
}

/// Draws a grid's block: caption and shape above it, then each channel panel.
pub fn draw_grid(frame: &mut Frame, block: &Block, state: &GridState, step: &StepReads, style: &CellStyle) {
    let grid = state.grid;
    let [a, b, _, _] = grid.shape;
    let px = |css: f32| css * style.dpr / style.scale;
    let cap_x = block.min.x + GUTTER;
    frame.shapes.push(Shape::bold(
        pt(cap_x, block.min.y - px(27.0)),
        grid.caption.tr(style.lang),
        14.0 * style.dpr,
        palette::TEXT,
        Align::Left,
    ));
    frame.shapes.push(Shape::text(
        pt(cap_x, block.min.y - px(11.0)),
        msg!("grid-shape", shape = grid.shape.map(|d| d.to_string()).join("×")).tr(style.lang),
        11.5 * style.dpr,
        palette::MUTED,
        Align::Left,
    ));
    // One colour scale for the whole grid, so panels compare.
    let values = &state.replay.values[state.id];
    let max_abs = values
        .iter()
        .enumerate()
        .filter(|&(offset, v)| v.is_finite() && state.hidden != Some(offset))
        .fold(0.0f32, |m, (_, v)| m.max(v.abs()));
    for i in 0..a {
        for j in 0..b {
            let min = block.panel_min(i, j, grid.shape);
            draw_panel(frame, state, [i, j], min, max_abs, step, style);
        }
    }
}

/// One channel panel `outer` of a grid with its top-left corner at `min`.
fn draw_panel(
    frame: &mut Frame,
    state: &GridState,
    outer: [usize; 2],
    min: Point,
    max_abs: f32,
    step: &StepReads,
    style: &CellStyle,
) {
    let grid = state.grid;
    let [a, b, h, w] = grid.shape;
    frame.panels.push(Panel { grid: state.id, outer, min, rows: h, cols: w });
    if a * b > 1 && style.show_indices {
        // The first panel's label sits in the corner left of its column indices; the others'
        // in the gap above them.
        let first = outer == [0, 0];
        frame.shapes.push(Shape::bold(
            if first { pt(min.x - 0.15, min.y - 0.75) } else { pt(min.x, min.y - PANEL_GAP / 2.0) },
            format!("{}[{},{}]", grid.symbol, outer[0], outer[1]),
            style.index_size,
            palette::MUTED,
            if first { Align::Right } else { Align::Left },
        ));
    }
    // Only the cells in view are drawn (a zoomed picture of a 256×256 grid shows a few
    // hundred); hit-testing uses the whole panel.
    let Some((rows, cols)) = style.in_view(min, h, w) else { return };
    if !style.shows_marks() {
        // Too small for patterns, values or weights: the fills are the whole cell.
        let mut colors = Vec::with_capacity(rows.len() * cols.len());
        for row in rows.clone() {
            for col in cols.clone() {
                let cell = CellRef { grid: state.id, index: [outer[0], outer[1], row, col] };
                colors.push(cell_fill(state, cell, max_abs));
            }
        }
        let at = pt(min.x + cols.start as f32, min.y + rows.start as f32);
        frame.shapes.push(Shape::Cells { min: at, cols: cols.len(), colors });
    } else {
        fills_and_marks(frame, state, outer, min, (rows.clone(), cols.clone()), max_abs, step, style);
    }
    // One line per row and column boundary instead of an outline per cell; cells under
    // 4 device pixels would be more line than colour, so they get only the panel's outline.
    let thin = Stroke { color: palette::GRID_LINE, width: (0.6 * style.dpr).max(1.0) };
    let (x0, x1) = (min.x + cols.start as f32, min.x + cols.end as f32);
    let (y0, y1) = (min.y + rows.start as f32, min.y + rows.end as f32);
    let every = style.scale >= 4.0 * style.dpr;
    for row in (rows.start..=rows.end).filter(|&r| every || r == 0 || r == h) {
        let y = min.y + row as f32;
        frame.shapes.push(Shape::Line { from: pt(x0, y), to: pt(x1, y), stroke: thin });
    }
    for col in (cols.start..=cols.end).filter(|&c| every || c == 0 || c == w) {
        let x = min.x + col as f32;
        frame.shapes.push(Shape::Line { from: pt(x, y0), to: pt(x, y1), stroke: thin });
    }
    if style.show_indices && outer == [0, 0] {
        index_labels(&mut frame.shapes, grid.origin, min, h, w, style.index_size);
    }
}

/// Cells large enough for patterns and text: fills as merged rectangles, then each cell's
/// marks.
fn fills_and_marks(
    frame: &mut Frame,
    state: &GridState,
    outer: [usize; 2],
    min: Point,
    (rows, cols): (Range<usize>, Range<usize>),
    max_abs: f32,
    step: &StepReads,
    style: &CellStyle,
) {
    // Cells never overlap, so their fills are drawn grouped by colour (a canvas then changes
    // its fill colour a few times per panel, not once per cell); patterns go on top.
    let mut fills = Vec::with_capacity(rows.len() * cols.len());
    let mut patterns = Vec::new();
    for row in rows {
        for col in cols.clone() {
            let cell = CellRef { grid: state.id, index: [outer[0], outer[1], row, col] };
            let lo = pt(min.x + col as f32, min.y + row as f32);
            fills.push((cell_fill(state, cell, max_abs), lo));
            cell_marks(frame, &mut patterns, state, cell, lo, step, style);
        }
    }
    frame.shapes.extend(merge_fills(fills));
    frame.shapes.append(&mut patterns);
}

/// Whether a written grid's cell has not been reached yet (it is drawn blank).
fn is_blank(state: &GridState, offset: usize) -> bool {
    state.grid.written && !state.replay.touched[state.id][offset]
}

fn cell_fill(state: &GridState, cell: CellRef, max_abs: f32) -> Rgba {
    let offset = state.grid.offset(cell.index);
    match state.grid.kinds[offset] {
        _ if is_blank(state, offset) || state.hidden == Some(offset) => palette::BLANK,
        CellKind::Padding => palette::PADDING_FILL,
        CellKind::InsertedZero => palette::INSERTED_FILL,
        CellKind::Hole => palette::WHITE,
        CellKind::Value => palette::value_fill(state.replay.values[state.id][offset], max_abs),
    }
}

/// A cell's pattern, value, overlap count (`×3`) and, when the step reads it with one
/// weight, that weight.
fn cell_marks(
    frame: &mut Frame,
    patterns: &mut Vec<Shape>,
    state: &GridState,
    cell: CellRef,
    lo: Point,
    step: &StepReads,
    style: &CellStyle,
) {
    let offset = state.grid.offset(cell.index);
    let kind = state.grid.kinds[offset];
    let value = state.replay.values[state.id][offset];
    let hi = pt(lo.x + 1.0, lo.y + 1.0);
    let value_size = style.value_size;
    if state.hidden == Some(offset) {
        let size = value_size.max(8.0 * style.dpr).min(style.scale * 0.9);
        frame.texts.push(Shape::bold(
            pt(lo.x + 0.5, lo.y + 0.5),
            "?".to_string(),
            size,
            palette::TARGET,
            Align::Center,
        ));
        return;
    }
    if !is_blank(state, offset) && style.shows_marks() {
        match kind {
            CellKind::Padding => hatch_cell(patterns, lo, Stroke { color: palette::PADDING_HATCH, width: style.dpr }),
            CellKind::InsertedZero => dot_cell(patterns, lo),
            CellKind::Hole => cross_cell(patterns, lo, Stroke { color: palette::HOLE, width: 1.5 * style.dpr }),
            CellKind::Value => {}
        }
        // A hole's cross says its value (no path reaches it: 0); a 0 would sit under the cross.
        if style.show_values && kind != CellKind::Hole {
            if let Some((text, size)) = cell_text(value, value_size, style.scale * 0.9, 5.5 * style.dpr) {
                let color = if kind == CellKind::Value { palette::TEXT } else { palette::MUTED };
                frame.texts.push(Shape::text(pt(lo.x + 0.5, lo.y + 0.5), text, size, color, Align::Center));
            }
            let writes = state.replay.writes[state.id].get(offset).copied().unwrap_or(0);
            // The overlap count in the corner, where it can be read (8 px at least) beside the
            // value; smaller cells leave it to the hover sentence.
            let count_size = (value_size * 0.62).max(8.0 * style.dpr);
            if writes > 1 && style.scale >= 24.0 * style.dpr {
                let at = pt(hi.x - 0.06, lo.y + 0.2);
                let text = format!("×{writes}");
                frame.texts.push(Shape::bold(at, text, count_size, palette::TARGET, Align::Right));
            }
        }
    }
    if let Some(weight) = step.weight_label(cell).filter(|_| style.scale >= 30.0 * style.dpr) {
        let at = pt(hi.x - 0.06, hi.y - 0.17);
        let text = format!("×{}", fmt_num(weight));
        frame.texts.push(Shape::bold(at, text, value_size * 0.6, palette::READ, Align::Right));
    }
}

/// A cell's value as text that fits `room` pixels at a size of at least `min` (at most
/// `size`): the page's full form if it fits, else rounded to fewer decimals (`−.12`), else
/// in powers of ten (`1e6`); the hover sentence gives the exact value.
fn cell_text(value: f32, size: f32, room: f32, min: f32) -> Option<(String, f32)> {
    let rounded = |decimals: usize| {
        let text = fmt_num(value);
        if value.fract() == 0.0 || !value.is_finite() {
            return text;
        }
        let s = format!("{value:.decimals$}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        // A leading zero goes: 0.12 → .12, −0.12 → −.12.
        let s = match s.strip_prefix("-0.").or_else(|| s.strip_prefix("-")) {
            Some(rest) if s.starts_with("-0.") => format!("−.{rest}"),
            Some(rest) => format!("−{rest}"),
            None => s.strip_prefix("0.").map_or_else(|| s.to_string(), |rest| format!(".{rest}")),
        };
        if matches!(s.as_str(), "" | "−" | "−0") { "0".into() } else { s }
    };
    let candidates = [fmt_num(value), rounded(3), rounded(2), rounded(1)]
        .into_iter()
        .chain(value.is_finite().then(|| format!("{value:.0e}").replace('-', "−")));
    candidates
        .map(|text| (fit_text(&text, size, room), text))
        .find(|(fit, _)| *fit >= min)
        .map(|(fit, text)| (text, fit))
}

/// Cell fills of one panel, in row-major order, as few rectangles as possible: white cells
/// are left to the white background, horizontal runs of one colour become one rectangle,
/// and the rest is grouped by colour (cells never overlap, so order among them is free).
fn merge_fills(fills: Vec<(Rgba, Point)>) -> Vec<Shape> {
    let mut runs: Vec<(Rgba, Point, Point)> = Vec::new();
    for (color, min) in fills {
        if color == palette::WHITE {
            continue;
        }
        match runs.last_mut() {
            Some((c, lo, hi)) if *c == color && lo.y == min.y && hi.x == min.x => hi.x = min.x + 1.0,
            _ => runs.push((color, min, pt(min.x + 1.0, min.y + 1.0))),
        }
    }
    runs.sort_by_key(|(c, _, _)| (c.0, c.1, c.2));
    runs.into_iter().map(|(color, min, max)| Shape::Rect { min, max, fill: Some(color), stroke: None }).collect()
}

/// Row indices left of a panel and column indices above it, in the user's terms.
fn index_labels(shapes: &mut Vec<Shape>, origin: [isize; 2], min: Point, rows: usize, cols: usize, size: f32) {
    let stride = match rows.max(cols) {
        n if n > 24 => 4,
        n if n > 12 => 2,
        _ => 1,
    };
    for row in (0..rows).step_by(stride) {
        let text = fmt_num((row as isize + origin[0]) as f32);
        shapes.push(Shape::text(pt(min.x - 0.15, min.y + row as f32 + 0.5), text, size, palette::MUTED, Align::Right));
    }
    for col in (0..cols).step_by(stride) {
        let text = fmt_num((col as isize + origin[1]) as f32);
        shapes.push(Shape::text(pt(min.x + col as f32 + 0.5, min.y - 0.3), text, size, palette::MUTED, Align::Center));
    }
}

#[cfg(test)]
mod tests {
    use super::cell_text;

    #[test]
    fn values_shorten_to_fit_small_cells() {
        // Room for the full form: unchanged.
        assert_eq!(cell_text(-0.1234, 12.0, 100.0, 5.5).unwrap().0, "−0.1234");
        // Room for four characters at the smallest size: fewer decimals, no leading zero.
        let room = 4.0 * 0.6 * 5.5;
        assert_eq!(cell_text(-0.1234, 12.0, room, 5.5).unwrap().0, "−.12");
        assert_eq!(cell_text(0.5678, 12.0, room, 5.5).unwrap().0, ".568");
        assert_eq!(cell_text(10.5, 12.0, room, 5.5).unwrap().0, "10.5");
        assert_eq!(cell_text(1234567.0, 12.0, room, 5.5).unwrap().0, "1e6");
        assert_eq!(cell_text(-0.0001, 12.0, room, 5.5).unwrap().0, "0");
        // Nothing fits: nothing is drawn.
        assert_eq!(cell_text(1234567.0, 12.0, 2.0, 5.5), None);
    }
}
