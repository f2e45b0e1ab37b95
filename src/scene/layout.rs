//! Where everything goes: each lane's grids and charts left to right, lanes one under
//! another, and the one scale (cell size in device pixels) that fits them all between the
//! legend at the top and the caption at the bottom.

use super::shapes::{Point, Transform, Viewport, pt, wrap};
use crate::text::Lang;
use crate::trace::{GridId, Trace};

/// Gaps in layout units.
pub const PANEL_GAP: f32 = 0.9;
const BLOCK_GAP: f32 = 1.6;
/// Room for row and column indices left of and above each block.
pub const GUTTER: f32 = 1.0;
/// Largest cell, in CSS pixels, so tiny grids do not become posters.
const MAX_CELL_CSS: f32 = 56.0;
/// Narrowest block, in CSS pixels, so captions of small grids do not collide.
const CAPTION_CSS: f32 = 96.0;
/// Size of a chart in CSS pixels.
pub const CHART_CSS: (f32, f32) = (580.0, 230.0);
/// Height of the room for block captions, in CSS pixels.
pub const HEADER_CSS: f32 = 38.0;
/// Size of the caption (step sentence) under the grids, in CSS pixels; at most this many lines.
pub const CAPTION_TEXT_CSS: f32 = 13.0;
const CAPTION_LINES: usize = 4;
pub const MARGIN_CSS: f32 = 10.0;

/// Roughly how wide a block caption (bold, 14 CSS px) is, with a margin.
pub fn caption_width_css(caption: &str) -> f32 {
    let width: f32 = caption.chars().map(|c| if super::shapes::is_wide(c) { 14.0 } else { 8.0 }).sum();
    (width + 8.0).max(CAPTION_CSS)
}

/// What a block of the layout holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    Grid(GridId),
    Chart(usize),
}

pub struct Block {
    pub item: Item,
    pub min: Point,
    /// Columns the second axis (channels) wraps into, so a tall stack can become a few
    /// shorter ones side by side.
    pub wrap: usize,
    /// Width and height in layout units, without the caption above.
    pub size: Point,
}

impl Block {
    /// Top-left corner of panel `(i, j)` of a grid of shape `[a, b, h, w]`.
    pub fn panel_min(&self, i: usize, j: usize, shape: [usize; 4]) -> Point {
        let [_, _, h, w] = shape;
        // Wrapped panels read left to right, then down.
        let (col, row) = (i * self.wrap + j % self.wrap, j / self.wrap);
        pt(
            self.min.x + GUTTER + col as f32 * (w as f32 + PANEL_GAP),
            self.min.y + GUTTER + row as f32 * (h as f32 + PANEL_GAP),
        )
    }
}

/// A frame's layout: the blocks, the transform, and the caption lines with their place.
pub struct Layout {
    pub blocks: Vec<Block>,
    pub transform: Transform,
    /// The layout's extent in layout units (from the origin).
    pub size: Point,
    /// The band of the viewport the grids may use, in device pixels: below the legend, above
    /// the caption.
    pub content: (f32, f32),
    /// The caption wrapped to the viewport's width, and the top of its first line in pixels.
    pub caption: Vec<String>,
    pub caption_top: f32,
}

impl Layout {
    /// Fits `trace`'s blocks into `viewport` below a legend `legend_px` tall, leaving room for
    /// `caption`; with `scale`, lays them out for that scale (cells of `scale` device pixels)
    /// instead, for a zoomed view.
    pub fn fit(
        trace: &Trace,
        viewport: Viewport,
        caption: &[String],
        legend_px: f32,
        scale: Option<f32>,
        lang: Lang,
        veiled: &[GridId],
    ) -> Layout {
        let dpr = viewport.dpr;
        let (w_px, h_px) = (viewport.width as f32, viewport.height as f32);
        let (header_px, margin_px) = (HEADER_CSS * dpr, MARGIN_CSS * dpr);
        let caption: Vec<String> = caption
            .iter()
            .flat_map(|line| wrap(line, w_px - 2.0 * margin_px, CAPTION_TEXT_CSS * dpr))
            .take(CAPTION_LINES)
            .collect();
        let footer_px = (8.0 + 18.0 * caption.len() as f32) * dpr;
        let avail = pt(w_px - 2.0 * margin_px, h_px - legend_px - header_px - footer_px - margin_px);
        // Channel stacks may wrap into up to 8 columns; a wider wrap must give clearly larger
        // cells to be worth the reshuffle.
        let (fit, blocks, size) = (1..=8)
            .map(|max_wrap| fit_wrap(trace, max_wrap, avail, dpr, header_px, scale, (lang, veiled)))
            .reduce(|best, candidate| if candidate.0 <= best.0 * 1.02 { best } else { candidate })
            .expect("at least one candidate");
        let scale = scale.unwrap_or(fit);
        let offset = pt(
            margin_px + (avail.x - size.x * scale).max(0.0) / 2.0,
            legend_px + header_px + (avail.y - size.y * scale).max(0.0) / 4.0,
        );
        Layout {
            blocks,
            transform: Transform { scale, offset },
            size,
            content: (legend_px, h_px - footer_px),
            caption,
            caption_top: h_px - footer_px,
        }
    }
}

/// The scale, blocks and layout size with channel stacks wrapped into at most `max_wrap`
/// columns. Each block is at least as wide as its caption; since that width is in pixels,
/// the scale is found by refining a guess that ignores captions. With a `fixed` scale the
/// blocks are laid out for it, and the scale returned only ranks the wraps (how well the
/// layout's shape fits the viewport's).
fn fit_wrap(
    trace: &Trace,
    max_wrap: usize,
    avail: Point,
    dpr: f32,
    header_px: f32,
    fixed: Option<f32>,
    (lang, veiled): (Lang, &[GridId]),
) -> (f32, Vec<Block>, Point) {
    if let Some(scale) = fixed {
        let (blocks, size) = layout_blocks(trace, dpr / scale, max_wrap, header_px / scale, (lang, veiled));
        return ((avail.x / size.x).min(avail.y / size.y), blocks, size);
    }
    let mut scale = f32::INFINITY;
    let (mut blocks, mut size) = (Vec::new(), pt(1.0, 1.0));
    for _ in 0..4 {
        let (px_to_units, caption) = if scale.is_finite() { (dpr / scale, header_px / scale) } else { (0.0, 0.0) };
        (blocks, size) = layout_blocks(trace, px_to_units, max_wrap, caption, (lang, veiled));
        scale = (avail.x / size.x).min(avail.y / size.y).clamp(1.0, MAX_CELL_CSS * dpr);
    }
    (scale, blocks, size)
}

/// Places each lane's grids left to right and the lanes one under another (`caption` units of
/// room for the captions above each later lane); returns the blocks and the layout's size.
/// `veiled` grids are left out, and with them the charts (which plot computed values).
fn layout_blocks(
    trace: &Trace,
    px_to_units: f32,
    max_wrap: usize,
    caption: f32,
    (lang, veiled): (Lang, &[GridId]),
) -> (Vec<Block>, Point) {
    let mut blocks = Vec::new();
    let n_lanes =
        trace.grids.iter().map(|g| g.lane + 1).chain(trace.charts.iter().map(|c| c.lane + 1)).max().unwrap_or(1);
    let (mut top, mut layout_w) = (0.0f32, 1.0f32);
    for lane in 0..n_lanes {
        let (mut x, mut lane_h) = (0.0f32, 0.0f32);
        let shown = |id: &GridId| !veiled.contains(id);
        for (id, grid) in trace.grids.iter().enumerate().filter(|(id, g)| g.lane == lane && shown(id)) {
            let [a, b, h, w] = grid.shape;
            // Only a single stack of channels wraps; a bank of kernels keeps its a × b grid.
            let wrap = if a == 1 { max_wrap.clamp(1, b.max(1)) } else { 1 };
            let (cols, rows) = (a * wrap, b.div_ceil(wrap));
            let width = GUTTER + cols as f32 * w as f32 + (cols.max(1) - 1) as f32 * PANEL_GAP;
            let height = GUTTER + rows as f32 * h as f32 + (rows.max(1) - 1) as f32 * PANEL_GAP;
            blocks.push(Block { item: Item::Grid(id), min: pt(x, top), wrap, size: pt(width, height) });
            x += width.max(caption_width_css(&grid.caption.tr(lang)) * px_to_units) + BLOCK_GAP;
            lane_h = lane_h.max(height);
        }
        for (id, _) in trace.charts.iter().enumerate().filter(|(_, c)| c.lane == lane && veiled.is_empty()) {
            let (width, height) = (CHART_CSS.0 * px_to_units, CHART_CSS.1 * px_to_units);
            blocks.push(Block { item: Item::Chart(id), min: pt(x, top), wrap: 1, size: pt(width, height) });
            x += width.max(1.0) + BLOCK_GAP;
            lane_h = lane_h.max(height);
        }
        layout_w = layout_w.max(x - BLOCK_GAP);
        top += lane_h + BLOCK_GAP + caption;
    }
    (blocks, pt(layout_w, (top - BLOCK_GAP - caption).max(1.0)))
}
