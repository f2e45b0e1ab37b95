//! (trace, step, hover) → a display list of [`Shape`]s, plus the [`Transform`] from layout
//! units to pixels and the panel rectangles used to hit-test a pixel back to a cell.
//!
//! Coordinates: layout units are grid cells; a point is `(x, y)` = `(column, row)` with the
//! origin at the top-left and y growing down. Text sizes and line widths are in device pixels,
//! so text stays readable whatever the grid size. The scene reads the trace's grids, kinds,
//! writes and taps; it never asks which operator made them.

pub mod describe;
pub mod palette;

use std::collections::HashSet;

use crate::trace::{CellKind, CellRef, Chart, GridId, Source, Trace, fmt_num};
use palette::Rgba;

/// A point in layout units (x = column, y = row).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

const fn pt(x: f32, y: f32) -> Point {
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

/// Where one channel panel of a grid sits, for hit-testing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Panel {
    pub grid: GridId,
    /// The panel's first two NCHW indices.
    pub outer: [usize; 2],
    pub min: Point,
    pub rows: usize,
    pub cols: usize,
}

/// A draggable point: a sampling point of the current step, or a point that sets controls.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Handle {
    /// Where it is drawn, in device pixels.
    pub pixel: (f32, f32),
    pub grid: GridId,
    pub kind: HandleKind,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HandleKind {
    /// Dragging sets offsets (see [`crate::trace::OffsetHandle`]).
    Offset(crate::trace::OffsetHandle),
    /// Dragging sets two controls (see [`crate::trace::ParamHandle`]).
    Params { params: [&'static str; 2], scale: f32, offset: f32 },
}

/// A bilinear sampling point of the current step, as the scene draws it.
struct Sample {
    grid: GridId,
    position: [f32; 2],
    anchor: Option<[f32; 2]>,
    handle: Option<[usize; 4]>,
}

/// A frame ready to paint.
#[derive(Clone, Debug)]
pub struct Scene {
    pub viewport: Viewport,
    pub transform: Transform,
    pub shapes: Vec<Shape>,
    pub panels: Vec<Panel>,
    pub handles: Vec<Handle>,
}

impl Scene {
    /// The draggable point nearest to a device-pixel position, within 12 CSS pixels.
    pub fn hit_handle(&self, x: f32, y: f32) -> Option<Handle> {
        let reach = 12.0 * self.viewport.dpr;
        self.handles
            .iter()
            .map(|h| (((h.pixel.0 - x).powi(2) + (h.pixel.1 - y).powi(2)).sqrt(), h))
            .filter(|(d, _)| *d <= reach)
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, h)| *h)
    }

    /// A device-pixel position as a fractional `(row, col)` of a grid (cell centres at
    /// integers), if the grid is drawn.
    pub fn grid_point(&self, grid: GridId, x: f32, y: f32) -> Option<[f32; 2]> {
        let p = self.transform.to_unit(x, y);
        let panel = self.panels.iter().find(|panel| panel.grid == grid)?;
        Some([p.y - panel.min.y - 0.5, p.x - panel.min.x - 0.5])
    }

    /// The cell under a device-pixel position, if any.
    pub fn hit(&self, x: f32, y: f32) -> Option<CellRef> {
        let p = self.transform.to_unit(x, y);
        self.panels.iter().find_map(|panel| {
            let (col, row) = (p.x - panel.min.x, p.y - panel.min.y);
            let inside = col >= 0.0 && row >= 0.0 && col < panel.cols as f32 && row < panel.rows as f32;
            inside.then(|| CellRef {
                grid: panel.grid,
                index: [panel.outer[0], panel.outer[1], row as usize, col as usize],
            })
        })
    }
}

/// What to show: a trace after `step` steps, with the hovered cell and its correspondences.
pub struct View<'a> {
    pub trace: &'a Trace,
    pub step: usize,
    pub hover: Option<CellRef>,
    pub related: &'a [CellRef],
    /// A line drawn under the grids (the step text); exports carry it, the page shows it in
    /// HTML as well.
    pub caption: Vec<String>,
}

/// Gaps in layout units.
const PANEL_GAP: f32 = 0.9;
const BLOCK_GAP: f32 = 1.6;
/// Room for row and column indices left of and above each block.
const GUTTER: f32 = 1.0;
/// Largest cell, in CSS pixels, so tiny grids do not become posters.
const MAX_CELL_CSS: f32 = 56.0;
/// Narrowest block, in CSS pixels, so captions of small grids do not collide.
const CAPTION_CSS: f32 = 96.0;

/// Roughly how wide a block caption (bold, 14 CSS px) is, with a margin.
fn caption_width_css(caption: &str) -> f32 {
    (caption.chars().count() as f32 * 8.0 + 8.0).max(CAPTION_CSS)
}

/// What a block of the layout holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Item {
    Grid(GridId),
    Chart(usize),
}

struct Block {
    item: Item,
    min: Point,
    /// Columns the second axis (channels) wraps into, so a tall stack can become a few
    /// shorter ones side by side.
    wrap: usize,
}

impl Block {
    /// Top-left corner of panel `(i, j)` of a grid of shape `[a, b, h, w]`.
    fn panel_min(&self, i: usize, j: usize, shape: [usize; 4]) -> Point {
        let [_, _, h, w] = shape;
        // Wrapped panels read left to right, then down.
        let (col, row) = (i * self.wrap + j % self.wrap, j / self.wrap);
        pt(
            self.min.x + GUTTER + col as f32 * (w as f32 + PANEL_GAP),
            self.min.y + GUTTER + row as f32 * (h as f32 + PANEL_GAP),
        )
    }
}

/// Places each lane's grids left to right and the lanes one under another (`caption` units of
/// room for the captions above each later lane); returns the blocks and the layout's size.
/// Size of a chart in CSS pixels.
const CHART_CSS: (f32, f32) = (580.0, 230.0);

fn layout_blocks(trace: &Trace, px_to_units: f32, max_wrap: usize, caption: f32) -> (Vec<Block>, f32, f32) {
    let mut blocks = Vec::new();
    let n_lanes =
        trace.grids.iter().map(|g| g.lane + 1).chain(trace.charts.iter().map(|c| c.lane + 1)).max().unwrap_or(1);
    let (mut top, mut layout_w) = (0.0f32, 1.0f32);
    for lane in 0..n_lanes {
        let (mut x, mut lane_h) = (0.0f32, 0.0f32);
        for (id, grid) in trace.grids.iter().enumerate().filter(|(_, g)| g.lane == lane) {
            let [a, b, h, w] = grid.shape;
            // Only a single stack of channels wraps; a bank of kernels keeps its a × b grid.
            let wrap = if a == 1 { max_wrap.clamp(1, b.max(1)) } else { 1 };
            let (cols, rows) = (a * wrap, b.div_ceil(wrap));
            let width = GUTTER + cols as f32 * w as f32 + (cols.max(1) - 1) as f32 * PANEL_GAP;
            let height = GUTTER + rows as f32 * h as f32 + (rows.max(1) - 1) as f32 * PANEL_GAP;
            blocks.push(Block { item: Item::Grid(id), min: pt(x, top), wrap });
            x += width.max(caption_width_css(&grid.caption) * px_to_units) + BLOCK_GAP;
            lane_h = lane_h.max(height);
        }
        for (id, _) in trace.charts.iter().enumerate().filter(|(_, c)| c.lane == lane) {
            let (width, height) = (CHART_CSS.0 * px_to_units, CHART_CSS.1 * px_to_units);
            blocks.push(Block { item: Item::Chart(id), min: pt(x, top), wrap: 1 });
            x += width.max(1.0) + BLOCK_GAP;
            lane_h = lane_h.max(height);
        }
        layout_w = layout_w.max(x - BLOCK_GAP);
        top += lane_h + BLOCK_GAP + caption;
    }
    (blocks, layout_w, (top - BLOCK_GAP - caption).max(1.0))
}

/// Lays the grids out left to right in trace order, each as a block of channel panels
/// (first axis across, second axis down), and draws the frame.
pub fn build(view: &View, viewport: Viewport) -> Scene {
    let trace = view.trace;
    let dpr = viewport.dpr;
    let (w_px, h_px) = (viewport.width as f32, viewport.height as f32);
    let legend_px = 26.0 * dpr;
    let header_px = 38.0 * dpr;
    let caption_size = 13.0 * dpr;
    let caption: Vec<String> =
        view.caption.iter().flat_map(|line| wrap(line, w_px - 20.0 * dpr, caption_size)).take(4).collect();
    let footer_px = (8.0 + 18.0 * caption.len() as f32) * dpr;
    let margin_px = 10.0 * dpr;

    let avail_w = w_px - 2.0 * margin_px;
    let avail_h = h_px - legend_px - header_px - footer_px - margin_px;
    // Each block is at least as wide as its caption; since that width is in pixels, the
    // scale is found by refining a guess that ignores captions.
    // Channel stacks may wrap into up to 8 columns; the wrap with the largest cells wins.
    let fit = |max_wrap: usize| {
        let mut scale = f32::INFINITY;
        let (mut blocks, mut layout_w, mut layout_h) = (Vec::new(), 1.0, 1.0);
        for _ in 0..4 {
            let (px_to_units, caption) = if scale.is_finite() { (dpr / scale, header_px / scale) } else { (0.0, 0.0) };
            (blocks, layout_w, layout_h) = layout_blocks(trace, px_to_units, max_wrap, caption);
            scale = (avail_w / layout_w).min(avail_h / layout_h).clamp(1.0, MAX_CELL_CSS * dpr);
        }
        (scale, blocks, layout_w, layout_h)
    };
    let (scale, blocks, layout_w, layout_h) = (1..=8)
        .map(fit)
        .fold(None, |best: Option<(f32, Vec<Block>, f32, f32)>, candidate| match best {
            // A wider wrap must give clearly larger cells to be worth the reshuffle.
            Some(b) if candidate.0 <= b.0 * 1.02 => Some(b),
            _ => Some(candidate),
        })
        .expect("at least one candidate");
    let offset = pt(
        margin_px + (avail_w - layout_w * scale).max(0.0) / 2.0,
        legend_px + header_px + (avail_h - layout_h * scale).max(0.0) / 4.0,
    );
    let transform = Transform { scale, offset };
    let px = |n: f32| n * dpr / scale; // CSS pixels → layout units

    let replay = trace.replay(view.step);
    let current = view.step.checked_sub(1).and_then(|i| trace.steps.get(i));
    let mut targets = HashSet::new();
    let mut reads = HashSet::new();
    let mut weight_of_read = std::collections::HashMap::new();
    // Corners read by several samples get no weight label: one number would mislead.
    let mut shared_corner = std::collections::HashMap::new();
    // Fractional sampling points of the current step: (grid, [row, col]), with the regular
    // position an offset moved them from, if any.
    let mut samples: Vec<Sample> = Vec::new();
    if let Some(step) = current {
        for write in &step.writes {
            targets.insert(write.target);
            for tap in &write.taps {
                if let Some(weight) = tap.weight {
                    reads.insert(weight);
                }
                for cell in tap.source.cells() {
                    reads.insert(cell);
                    if tap.weight.is_some() && step.writes.len() == 1 {
                        weight_of_read.insert(cell, tap.weight_value);
                    }
                }
                if let Source::Sample { grid, position, corners, anchor, handle, .. } = &tap.source {
                    samples.push(Sample { grid: *grid, position: *position, anchor: *anchor, handle: *handle });
                    if step.writes.len() == 1 {
                        for &(cell, weight) in corners {
                            shared_corner.insert(cell, weight_of_read.insert(cell, weight).is_some());
                        }
                    }
                }
            }
            reads.extend(write.constant.and_then(|c| c.cell));
        }
        targets.extend(step.focus.iter().copied());
    }
    let related: HashSet<CellRef> = view.related.iter().copied().collect();

    let mut shapes = Vec::new();
    // Cell texts are drawn last, above the highlights, and together, so a canvas sets the
    // text colour and font once per frame rather than once per cell.
    let mut texts = Vec::new();
    let mut panels = Vec::new();
    let show_values = scale >= 10.0 * dpr;
    let show_indices = scale >= 13.0 * dpr;
    let value_size = (scale * if scale < 20.0 * dpr { 0.5 } else { 0.42 }).min(15.0 * dpr);
    let index_size = (scale * 0.3).min(11.0 * dpr);
    let hatch = Stroke { color: palette::PADDING_HATCH, width: dpr };
    let thin = Stroke { color: palette::GRID_LINE, width: (0.6 * dpr).max(1.0) };

    for block in &blocks {
        let grid_id = match block.item {
            Item::Grid(id) => id,
            Item::Chart(id) => {
                let size = pt(CHART_CSS.0 * dpr / scale, CHART_CSS.1 * dpr / scale);
                chart_shapes(&mut shapes, &trace.charts[id], block.min, size, dpr / scale, dpr);
                continue;
            }
        };
        let grid = &trace.grids[grid_id];
        let [a, b, h, w] = grid.shape;
        let values = &replay.values[grid_id];
        let writes = &replay.writes[grid_id];
        let touched = &replay.touched[grid_id];
        let max_abs = values.iter().fold(0.0f32, |m, v| if v.is_finite() { m.max(v.abs()) } else { m });
        // Caption and shape above the block.
        let cap_x = block.min.x + GUTTER;
        shapes.push(Shape::Text {
            at: pt(cap_x, block.min.y - px(27.0)),
            text: grid.caption.clone(),
            size: 14.0 * dpr,
            color: palette::TEXT,
            align: Align::Left,
            bold: true,
        });
        shapes.push(Shape::Text {
            at: pt(cap_x, block.min.y - px(11.0)),
            text: format!("shape {}", grid.shape.map(|d| d.to_string()).join("×")),
            size: 11.5 * dpr,
            color: palette::MUTED,
            align: Align::Left,
            bold: false,
        });
        for i in 0..a {
            for j in 0..b {
                let min = block.panel_min(i, j, grid.shape);
                panels.push(Panel { grid: grid_id, outer: [i, j], min, rows: h, cols: w });
                if a * b > 1 && show_indices {
                    // The first panel's label sits in the corner left of its column indices;
                    // the others' in the gap above them.
                    let first = i == 0 && j == 0;
                    shapes.push(Shape::Text {
                        at: if first { pt(min.x - 0.15, min.y - 0.75) } else { pt(min.x, min.y - PANEL_GAP / 2.0) },
                        text: format!("{}[{i},{j}]", grid.symbol),
                        size: index_size,
                        color: palette::MUTED,
                        align: if first { Align::Right } else { Align::Left },
                        bold: true,
                    });
                }
                // Cells never overlap, so their fills are drawn grouped by colour (a canvas then
                // changes its fill colour a few times per panel, not once per cell); patterns
                // go on top.
                let mut fills = Vec::with_capacity(h * w);
                let mut patterns = Vec::new();
                for row in 0..h {
                    for col in 0..w {
                        let index = [i, j, row, col];
                        let off = grid.offset(index);
                        let cell = CellRef { grid: grid_id, index };
                        let lo = pt(min.x + col as f32, min.y + row as f32);
                        let hi = pt(lo.x + 1.0, lo.y + 1.0);
                        let blank = grid.written && !touched[off];
                        let kind = grid.kinds[off];
                        let fill = match (blank, kind) {
                            (true, _) => palette::BLANK,
                            (false, CellKind::Padding) => palette::PADDING_FILL,
                            (false, CellKind::InsertedZero) => palette::INSERTED_FILL,
                            (false, CellKind::Hole) => palette::WHITE,
                            (false, CellKind::Value) => palette::value_fill(values[off], max_abs),
                        };
                        fills.push((fill, Shape::Rect { min: lo, max: hi, fill: Some(fill), stroke: None }));
                        // Patterns need room; below 8 device pixels a cell keeps its flat fill.
                        if !blank && scale >= 8.0 * dpr {
                            match kind {
                                CellKind::Padding => hatch_cell(&mut patterns, lo, hatch),
                                CellKind::InsertedZero => dot_cell(&mut patterns, lo),
                                CellKind::Hole => {
                                    cross_cell(&mut patterns, lo, Stroke { color: palette::HOLE, width: 1.5 * dpr })
                                }
                                CellKind::Value => {}
                            }
                            if show_values {
                                let text = fmt_num(values[off]);
                                let size = fit_text(&text, value_size, scale * 0.9);
                                if size >= 5.5 * dpr {
                                    texts.push(Shape::Text {
                                        at: pt(lo.x + 0.5, lo.y + 0.5),
                                        text,
                                        size,
                                        color: if kind == CellKind::Value { palette::TEXT } else { palette::MUTED },
                                        align: Align::Center,
                                        bold: false,
                                    });
                                }
                            }
                            if writes.get(off).is_some_and(|&n| n > 1) && show_values {
                                texts.push(Shape::Text {
                                    at: pt(hi.x - 0.06, lo.y + 0.2),
                                    text: format!("×{}", writes[off]),
                                    size: value_size * 0.62,
                                    color: palette::TARGET,
                                    align: Align::Right,
                                    bold: true,
                                });
                            }
                        }
                        let shared = shared_corner.get(&cell).copied().unwrap_or(false);
                        if let Some(weight) = weight_of_read.get(&cell).filter(|_| scale >= 30.0 * dpr && !shared) {
                            texts.push(Shape::Text {
                                at: pt(hi.x - 0.06, hi.y - 0.17),
                                text: format!("×{}", fmt_num(*weight)),
                                size: value_size * 0.6,
                                color: palette::READ,
                                align: Align::Right,
                                bold: true,
                            });
                        }
                    }
                }
                shapes.extend(merge_fills(fills));
                shapes.append(&mut patterns);
                // One line per row and column boundary instead of an outline per cell.
                for row in 0..=h {
                    let y = min.y + row as f32;
                    shapes.push(Shape::Line { from: pt(min.x, y), to: pt(min.x + w as f32, y), stroke: thin });
                }
                for col in 0..=w {
                    let x = min.x + col as f32;
                    shapes.push(Shape::Line { from: pt(x, min.y), to: pt(x, min.y + h as f32), stroke: thin });
                }
                if show_indices && i == 0 && j == 0 {
                    index_labels(&mut shapes, grid.origin, min, h, w, index_size);
                }
            }
        }
    }

    // Highlights go on top of every cell so neighbours never paint over them.
    // On small cells an outline grows to at least 11 CSS pixels around the cell, so a tap
    // stays visible on a large map.
    let min_box = px(11.0);
    let outline = |shapes: &mut Vec<Shape>, cell: CellRef, wash: Option<Rgba>, stroke: Stroke, inset: f32| {
        if let Some(panel) = panels.iter().find(|p| p.grid == cell.grid && p.outer == [cell.index[0], cell.index[1]]) {
            let (x, y) = (panel.min.x + cell.index[3] as f32, panel.min.y + cell.index[2] as f32);
            let (lo, hi) = if 1.0 - 2.0 * inset >= min_box {
                (pt(x + inset, y + inset), pt(x + 1.0 - inset, y + 1.0 - inset))
            } else {
                let half = min_box / 2.0;
                (pt(x + 0.5 - half, y + 0.5 - half), pt(x + 0.5 + half, y + 0.5 + half))
            };
            shapes.push(Shape::Rect { min: lo, max: hi, fill: wash, stroke: Some(stroke) });
        }
    };
    let inset = px(1.2);
    let mut sorted_reads: Vec<_> = reads.iter().copied().collect();
    sorted_reads.sort();
    for cell in sorted_reads {
        outline(&mut shapes, cell, Some(palette::READ_WASH), Stroke { color: palette::READ, width: 2.2 * dpr }, inset);
    }
    let mut sorted_targets: Vec<_> = targets.iter().copied().collect();
    sorted_targets.sort();
    let target_stroke = Stroke { color: palette::TARGET, width: 3.2 * dpr };
    // A step that writes many cells of a panel at once outlines the panel, not each cell.
    const MANY: usize = 24;
    let mut per_panel: std::collections::HashMap<(GridId, [usize; 2]), usize> = std::collections::HashMap::new();
    for cell in &sorted_targets {
        *per_panel.entry((cell.grid, [cell.index[0], cell.index[1]])).or_default() += 1;
    }
    for panel in &panels {
        if per_panel.get(&(panel.grid, panel.outer)).is_some_and(|&n| n > MANY) {
            let (lo, hi) = (
                pt(panel.min.x - inset, panel.min.y - inset),
                pt(panel.min.x + panel.cols as f32 + inset, panel.min.y + panel.rows as f32 + inset),
            );
            shapes.push(Shape::Rect { min: lo, max: hi, fill: None, stroke: Some(target_stroke) });
        }
    }
    for cell in sorted_targets {
        if per_panel[&(cell.grid, [cell.index[0], cell.index[1]])] <= MANY {
            outline(&mut shapes, cell, None, target_stroke, inset);
        }
    }
    let mut sorted_related: Vec<_> = related.iter().copied().collect();
    sorted_related.sort();
    for cell in sorted_related {
        outline(
            &mut shapes,
            cell,
            Some(palette::HOVER_WASH),
            Stroke { color: palette::HOVER, width: 2.0 * dpr },
            inset * 2.5,
        );
    }
    if let Some(cell) = view.hover {
        outline(
            &mut shapes,
            cell,
            Some(palette::HOVER_WASH),
            Stroke { color: palette::HOVER, width: 3.0 * dpr },
            inset * 2.5,
        );
    }

    // A sampling point sits at a fractional position; cell (r, c) has its centre at r + ½.
    let at = |panel: &Panel, [row, col]: [f32; 2]| pt(panel.min.x + col + 0.5, panel.min.y + row + 0.5);
    for b in trace.boxes.iter().filter(|b| b.step.is_none_or(|s| s == view.step)) {
        if let Some(panel) = panels.iter().find(|p| p.grid == b.grid) {
            let (lo, hi) = (
                pt(panel.min.x + b.min[1], panel.min.y + b.min[0]),
                pt(panel.min.x + b.max[1], panel.min.y + b.max[0]),
            );
            let stroke = if b.step.is_some() {
                Stroke { color: palette::TARGET, width: 2.4 * dpr }
            } else {
                Stroke { color: palette::ARROW, width: 2.0 * dpr }
            };
            for (from, to) in [(lo, pt(hi.x, lo.y)), (pt(hi.x, lo.y), hi), (hi, pt(lo.x, hi.y)), (pt(lo.x, hi.y), lo)] {
                shapes.push(Shape::Line { from, to, stroke });
            }
        }
    }
    for mark in &trace.marks {
        if let Some(panel) = panels.iter().find(|p| p.grid == mark.grid) {
            shapes.push(Shape::Disc { center: at(panel, mark.position), radius: px(1.8), fill: palette::MARK });
        }
    }
    let mut handles = Vec::new();
    for Sample { grid, position, anchor, handle } in samples {
        if let Some(panel) = panels.iter().find(|p| p.grid == grid) {
            let center = at(panel, position);
            if let (Some(index), Some(anchor)) = (handle, anchor) {
                handles.push(Handle {
                    pixel: transform.to_pixel(center),
                    grid,
                    kind: HandleKind::Offset(crate::trace::OffsetHandle {
                        grid,
                        position,
                        anchor,
                        rows: index,
                        cols: [index[0], index[1] + 1, index[2], index[3]],
                        scale: [1.0, 1.0],
                    }),
                });
            }
            if let Some(anchor) = anchor.filter(|a| *a != position) {
                arrow(
                    &mut shapes,
                    at(panel, anchor),
                    center,
                    Stroke { color: palette::ARROW, width: 1.6 * dpr },
                    px(5.0),
                );
                shapes.push(Shape::Disc { center: at(panel, anchor), radius: px(2.5), fill: palette::ARROW });
            }
            shapes.push(Shape::Disc { center, radius: px(5.0), fill: palette::WHITE });
            shapes.push(Shape::Disc { center, radius: px(3.5), fill: palette::TARGET });
        }
    }
    for h in &trace.offset_handles {
        if let Some(panel) = panels.iter().find(|p| p.grid == h.grid) {
            let center = at(panel, h.position);
            if h.anchor != h.position {
                arrow(
                    &mut shapes,
                    at(panel, h.anchor),
                    center,
                    Stroke { color: palette::ARROW, width: 1.6 * dpr },
                    px(5.0),
                );
            }
            shapes.push(Shape::Disc { center, radius: px(5.5), fill: palette::ARROW });
            shapes.push(Shape::Disc { center, radius: px(3.0), fill: palette::WHITE });
            handles.push(Handle { pixel: transform.to_pixel(center), grid: h.grid, kind: HandleKind::Offset(*h) });
        }
    }
    for h in &trace.handles {
        if let Some(panel) = panels.iter().find(|p| p.grid == h.grid) {
            let center = at(panel, h.position);
            let half = px(5.0);
            shapes.push(Shape::Rect {
                min: pt(center.x - half, center.y - half),
                max: pt(center.x + half, center.y + half),
                fill: Some(palette::WHITE),
                stroke: Some(Stroke { color: palette::ARROW, width: 2.0 * dpr }),
            });
            let kind = HandleKind::Params { params: h.params, scale: h.scale, offset: h.offset };
            handles.push(Handle { pixel: transform.to_pixel(center), grid: h.grid, kind });
        }
    }
    texts.sort_by(|a, b| match (a, b) {
        (Shape::Text { size: s1, color: c1, bold: b1, .. }, Shape::Text { size: s2, color: c2, bold: b2, .. }) => {
            (b1, s1.to_bits(), c1.0, c1.1, c1.2).cmp(&(b2, s2.to_bits(), c2.0, c2.1, c2.2))
        }
        _ => std::cmp::Ordering::Equal,
    });
    shapes.append(&mut texts);
    legend(&mut shapes, trace, transform, viewport);
    for (i, line) in caption.into_iter().enumerate() {
        let y = h_px - footer_px + (8.0 + 9.0 + 18.0 * i as f32) * dpr;
        shapes.push(Shape::Text {
            at: transform.to_unit(margin_px, y),
            text: line,
            size: caption_size,
            color: palette::TEXT,
            align: Align::Left,
            bold: false,
        });
    }
    Scene { viewport, transform, shapes, panels, handles }
}

/// Cell fills of one panel, in row-major order, as few rectangles as possible: white cells
/// are left to the white background, horizontal runs of one colour become one rectangle,
/// and the rest is grouped by colour (cells never overlap, so order among them is free).
fn merge_fills(fills: Vec<(Rgba, Shape)>) -> Vec<Shape> {
    let mut runs: Vec<(Rgba, Point, Point)> = Vec::new();
    for (color, shape) in fills {
        let Shape::Rect { min, max, .. } = shape else { continue };
        if color == palette::WHITE {
            continue;
        }
        match runs.last_mut() {
            Some((c, lo, hi)) if *c == color && lo.y == min.y && hi.x == min.x => hi.x = max.x,
            _ => runs.push((color, min, max)),
        }
    }
    runs.sort_by_key(|(c, _, _)| (c.0, c.1, c.2));
    runs.into_iter().map(|(color, min, max)| Shape::Rect { min, max, fill: Some(color), stroke: None }).collect()
}

/// Largest font size (≤ `size`) at which `text` fits in `room` pixels.
fn fit_text(text: &str, size: f32, room: f32) -> f32 {
    let width = text.chars().count() as f32 * 0.6 * size;
    if width <= room { size } else { size * room / width }
}

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
fn chart_shapes(shapes: &mut Vec<Shape>, chart: &Chart, min: Point, size: Point, u: f32, dpr: f32) {
    let text = |shapes: &mut Vec<Shape>, at: Point, text: String, size: f32, align: Align, color: Rgba| {
        shapes.push(Shape::Text { at, text, size: size * dpr, color, align, bold: false });
    };
    let (left, right, top, bottom) =
        (min.x + 44.0 * u, min.x + size.x - 170.0 * u, min.y + 22.0 * u, min.y + size.y - 34.0 * u);
    shapes.push(Shape::Rect { min, max: pt(min.x + size.x, min.y + size.y), fill: Some(palette::WHITE), stroke: None });
    text(shapes, pt((left + right) / 2.0, min.y + 9.0 * u), chart.title.clone(), 12.5, Align::Center, palette::TEXT);
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
        chart.x_label.clone(),
        11.0,
        Align::Center,
        palette::MUTED,
    );
    text(shapes, pt(min.x, min.y + 9.0 * u), chart.y_label.clone(), 11.0, Align::Left, palette::MUTED);
    for (i, series) in chart.series.iter().enumerate() {
        let color = SERIES[i % SERIES.len()];
        let stroke = Stroke { color, width: 1.8 * dpr };
        let pts: Vec<Point> = series
            .points
            .iter()
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .map(|&(x, y)| pt(px(x), py(y)))
            .collect();
        for pair in pts.windows(2) {
            shapes.push(Shape::Line { from: pair[0], to: pair[1], stroke });
        }
        // Markers tell series apart where points are sparse enough to see them.
        if pts.len() <= 80 {
            for p in &pts {
                marker(shapes, i, *p, 3.6 * u, color, 1.6 * dpr);
            }
        }
        // Legend right of the plot, one line per series.
        let y = top + (8.0 + 16.0 * i as f32) * u;
        let x = right + 12.0 * u;
        shapes.push(Shape::Line { from: pt(x, y), to: pt(x + 16.0 * u, y), stroke });
        marker(shapes, i, pt(x + 8.0 * u, y), 3.6 * u, color, 1.6 * dpr);
        text(
            shapes,
            pt(x + 22.0 * u, y),
            format!("{} {}", MARKER_GLYPHS[i % 5], series.name),
            10.5,
            Align::Left,
            palette::TEXT,
        );
    }
}

/// Splits `text` at spaces into lines that fit `room` pixels at font size `size`.
fn wrap(text: &str, room: f32, size: f32) -> Vec<String> {
    let max_chars = (room / (0.56 * size)).max(12.0) as usize;
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let line = lines.last_mut().expect("starts with one line");
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max_chars {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

/// Diagonal hatching for padding cells.
fn hatch_cell(shapes: &mut Vec<Shape>, lo: Point, stroke: Stroke) {
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
fn cross_cell(shapes: &mut Vec<Shape>, lo: Point, stroke: Stroke) {
    shapes.push(Shape::Line { from: pt(lo.x + 0.2, lo.y + 0.2), to: pt(lo.x + 0.8, lo.y + 0.8), stroke });
    shapes.push(Shape::Line { from: pt(lo.x + 0.8, lo.y + 0.2), to: pt(lo.x + 0.2, lo.y + 0.8), stroke });
}

/// A line from `from` to `to` with a two-stroke head of length `head` at `to`.
fn arrow(shapes: &mut Vec<Shape>, from: Point, to: Point, stroke: Stroke, head: f32) {
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

/// Four dots marking an inserted zero.
fn dot_cell(shapes: &mut Vec<Shape>, lo: Point) {
    for (dx, dy) in [(0.2, 0.2), (0.8, 0.2), (0.2, 0.8), (0.8, 0.8)] {
        shapes.push(Shape::Disc { center: pt(lo.x + dx, lo.y + dy), radius: 0.07, fill: palette::INSERTED_DOT });
    }
}

/// Row indices left of a panel and column indices above it, in the user's terms.
fn index_labels(shapes: &mut Vec<Shape>, origin: [isize; 2], min: Point, rows: usize, cols: usize, size: f32) {
    let stride = if rows.max(cols) > 24 {
        4
    } else if rows.max(cols) > 12 {
        2
    } else {
        1
    };
    for row in (0..rows).step_by(stride) {
        shapes.push(Shape::Text {
            at: pt(min.x - 0.15, min.y + row as f32 + 0.5),
            text: fmt_num((row as isize + origin[0]) as f32),
            size,
            color: palette::MUTED,
            align: Align::Right,
            bold: false,
        });
    }
    for col in (0..cols).step_by(stride) {
        shapes.push(Shape::Text {
            at: pt(min.x + col as f32 + 0.5, min.y - 0.3),
            text: fmt_num((col as isize + origin[1]) as f32),
            size,
            color: palette::MUTED,
            align: Align::Center,
            bold: false,
        });
    }
}

/// One entry of the legend: a swatch (fill, outline, optional pattern) and its label.
struct Swatch {
    label: &'static str,
    fill: Option<Rgba>,
    stroke: Stroke,
    pattern: Option<fn(&mut Vec<Shape>, Point)>,
}

/// A key to the patterns and outlines actually in use, across the top.
fn legend(shapes: &mut Vec<Shape>, trace: &Trace, transform: Transform, viewport: Viewport) {
    let dpr = viewport.dpr;
    let has = |kind: CellKind| trace.grids.iter().any(|g| g.kinds.contains(&kind));
    let thin = Stroke { color: palette::GRID_LINE, width: dpr };
    let hatch: fn(&mut Vec<Shape>, Point) =
        |s, lo| hatch_cell(s, lo, Stroke { color: palette::PADDING_HATCH, width: 1.0 });
    let swatch = |label, fill, stroke, pattern| Swatch { label, fill, stroke, pattern };
    let swatches = [
        Some(swatch("negative", Some(palette::value_fill(-1.0, 1.0)), thin, None)),
        Some(swatch("positive", Some(palette::value_fill(1.0, 1.0)), thin, None)),
        has(CellKind::Padding).then(|| swatch("padding (zero)", Some(palette::PADDING_FILL), thin, Some(hatch))),
        has(CellKind::InsertedZero).then(|| {
            swatch("inserted zero", Some(palette::INSERTED_FILL), thin, Some(dot_cell as fn(&mut Vec<Shape>, Point)))
        }),
        has(CellKind::Hole).then(|| {
            let cross: fn(&mut Vec<Shape>, Point) =
                |s, lo| cross_cell(s, lo, Stroke { color: palette::HOLE, width: 1.5 });
            swatch("hole (no path)", Some(palette::WHITE), thin, Some(cross))
        }),
        trace.grids.iter().any(|g| g.written).then(|| swatch("not yet written", Some(palette::BLANK), thin, None)),
        Some(swatch("read", Some(palette::READ_WASH), Stroke { color: palette::READ, width: 2.2 * dpr }, None)),
        Some(swatch("written", None, Stroke { color: palette::TARGET, width: 3.0 * dpr }, None)),
    ];
    let (mut x, y, box_px) = (10.0 * dpr, 6.0 * dpr, 14.0 * dpr);
    let size = box_px / transform.scale;
    for Swatch { label, fill, stroke, pattern } in swatches.into_iter().flatten() {
        let lo = transform.to_unit(x, y);
        shapes.push(Shape::Rect { min: lo, max: pt(lo.x + size, lo.y + size), fill, stroke: Some(stroke) });
        if let Some(draw) = pattern {
            let mut cell = Vec::new();
            draw(&mut cell, pt(0.0, 0.0));
            shapes.extend(scale_shapes(cell, lo, size, dpr));
        }
        shapes.push(Shape::Text {
            at: transform.to_unit(x + box_px + 5.0 * dpr, y + box_px / 2.0),
            text: label.to_string(),
            size: 12.0 * dpr,
            color: palette::TEXT,
            align: Align::Left,
            bold: false,
        });
        x += box_px + 12.0 * dpr + label.chars().count() as f32 * 6.6 * dpr;
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
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::{self, Edits};
    use crate::params::Params;

    fn conv_scene(step: usize) -> (Scene, Trace) {
        let op = ops::find("conv2d").unwrap();
        let run = op.run(&Params::defaults(op.schema()), &Edits::new()).unwrap();
        let view = View { trace: &run.trace, step, hover: None, related: &[], caption: vec![] };
        (build(&view, Viewport::new(1000, 600, 1.0)), run.trace.clone())
    }

    #[test]
    fn hit_testing_inverts_the_layout() {
        let (scene, trace) = conv_scene(1);
        for panel in &scene.panels {
            let grid = &trace.grids[panel.grid];
            let (row, col) = (grid.shape[2] - 1, grid.shape[3] - 1);
            let (x, y) = scene.transform.to_pixel(pt(panel.min.x + col as f32 + 0.5, panel.min.y + row as f32 + 0.5));
            assert_eq!(
                scene.hit(x, y),
                Some(CellRef { grid: panel.grid, index: [panel.outer[0], panel.outer[1], row, col] })
            );
        }
        assert_eq!(scene.hit(1.0, 1.0), None);
    }

    #[test]
    fn output_cells_appear_as_steps_run() {
        let count_values = |scene: &Scene| {
            scene.shapes.iter().filter(|s| matches!(s, Shape::Text { align: Align::Center, .. })).count()
        };
        let (before, _) = conv_scene(0);
        let (after, _) = conv_scene(1);
        assert!(count_values(&after) > count_values(&before));
    }
}
