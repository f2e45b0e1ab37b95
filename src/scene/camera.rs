//! Which part of the layout the viewport shows. [`Camera::Fit`] shows everything;
//! [`Camera::Follow`] (the page's default) does too unless cells would be smaller than
//! [`LEGIBLE_CSS`], in which case it zooms to a scale where every cell shows its value and
//! keeps the current step's cells in view, moving only when they would leave it;
//! [`Camera::Free`] is where the reader zoomed or panned to. A zoomed frame gets an overview
//! of the whole layout with the shown region marked.

use super::layout::{Block, HEADER_CSS, Item, Layout, MARGIN_CSS};
use super::palette;
use super::shapes::{Point, Shape, Stroke, Transform, Viewport, pt};
use crate::trace::{CellRef, Step, Trace};

/// Smallest cell, in CSS pixels, whose value the picture must show.
pub const LEGIBLE_CSS: f32 = 18.0;
/// Cell size, in CSS pixels, that following zooms to: values at a comfortable size.
pub const FOLLOW_CSS: f32 = 26.0;
/// Largest cell a reader can zoom to, in CSS pixels.
const MAX_ZOOM_CSS: f32 = 120.0;
/// Largest size of the overview, in CSS pixels.
const OVERVIEW_CSS: (f32, f32) = (150.0, 96.0);

/// Where the viewport looks.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Camera {
    Fit,
    #[default]
    Follow,
    /// `scale` in cells of device pixels; `center` in layout units.
    Free {
        scale: f32,
        center: Point,
    },
}

/// The camera resolved for one frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shot {
    /// The scale a layout would need to show everything.
    pub fit_scale: f32,
    pub scale: f32,
    pub center: Point,
    /// Whether part of the layout is outside the viewport.
    pub cropped: bool,
    /// The band of the viewport the grids use, in device pixels (top, bottom).
    pub content: (f32, f32),
    pub overview: Option<Overview>,
}

/// The overview's rectangle in device pixels and the scale (pixels per layout unit) its
/// miniature is drawn at, `inset` pixels inside it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Overview {
    pub lo: Point,
    pub hi: Point,
    pub scale: f32,
    pub inset: f32,
}

/// The scale `camera` asks for (`None`: fit), given `fitted`, the layout at the scale that
/// fits everything, and the step's `focus` on it: a following camera takes the largest scale
/// up to [`FOLLOW_CSS`] at which the step's written and read cells fit together, but never
/// less than [`LEGIBLE_CSS`]. (A layout at a larger scale is no wider in cells: only the
/// caption gaps shrink.)
pub fn wanted_scale(camera: Camera, fitted: &Layout, focus: &Focus, viewport: Viewport) -> Option<f32> {
    let (fit, dpr) = (fitted.transform.scale, viewport.dpr);
    match camera {
        Camera::Fit => None,
        Camera::Follow if fit >= LEGIBLE_CSS * dpr => None,
        Camera::Follow => {
            let all: Vec<Point> = focus.written.iter().chain(&focus.read).copied().collect();
            let room = pt(viewport.width as f32, fitted.content.1 - fitted.content.0);
            let fits = Extent::of(&all).map_or(f32::INFINITY, |e| {
                let (w, h) = (e.hi.x - e.lo.x + 2.0, e.hi.y - e.lo.y + 3.0);
                (room.x / w).min(room.y / h)
            });
            Some(fits.clamp(LEGIBLE_CSS * dpr, FOLLOW_CSS * dpr))
        }
        Camera::Free { scale, .. } => Some(scale.clamp(fit, (MAX_ZOOM_CSS * dpr).max(fit))),
    }
}

/// Aims `camera` at `layout` (laid out at the camera's scale): the frame's transform and
/// [`Shot`]. `focus` holds the cells a following camera keeps in view: the step's written
/// cells, then the cells it reads.
pub fn aim(camera: Camera, layout: &Layout, fit_scale: f32, focus: &Focus, viewport: Viewport) -> (Transform, Shot) {
    let scale = layout.transform.scale;
    let content = layout.content;
    let view = pt(viewport.width as f32 / scale, (content.1 - content.0) / scale);
    let whole = pt(layout.size.x / 2.0, layout.size.y / 2.0);
    let center = match camera {
        // Everything fits at this scale: the layout's own placement.
        Camera::Fit | Camera::Follow if scale <= fit_scale * 1.001 => {
            let shot = Shot { fit_scale, scale, center: whole, cropped: false, content, overview: None };
            return (layout.transform, shot);
        }
        Camera::Fit => whole,
        Camera::Follow => keep_in(follow(focus, view).unwrap_or(pt(0.0, 0.0)), layout, view, viewport.dpr),
        Camera::Free { center, .. } => keep_in(center, layout, view, viewport.dpr),
    };
    let middle = pt(viewport.width as f32 / 2.0, (content.0 + content.1) / 2.0);
    let transform = Transform { scale, offset: pt(middle.x - scale * center.x, middle.y - scale * center.y) };
    let shown_lo = transform.to_unit(0.0, content.0);
    let shown_hi = transform.to_unit(viewport.width as f32, content.1);
    let eps = 0.01;
    let cropped =
        shown_lo.x > eps || shown_lo.y > eps || shown_hi.x < layout.size.x - eps || shown_hi.y < layout.size.y - eps;
    let overview = cropped.then(|| overview_rect(layout.size, viewport, content));
    (transform, Shot { fit_scale, scale, center, cropped, content, overview })
}

/// `center` moved so the view shows no empty space beyond the layout (its captions and
/// margins included) where the layout is larger than the view. Where it is smaller, the
/// layout is centred across and put at the top, under the legend, with the empty band below
/// it, where the overview and the zoom bar sit (a tall phone canvas otherwise showed a band
/// of nothing between the legend and the grids; a fitted picture also leans to the top).
fn keep_in(center: Point, layout: &Layout, view: Point, dpr: f32) -> Point {
    let scale = layout.transform.scale;
    let lo = pt(-MARGIN_CSS * dpr / scale, -HEADER_CSS * dpr / scale);
    let hi = pt(layout.size.x + MARGIN_CSS * dpr / scale, layout.size.y + MARGIN_CSS * dpr / scale);
    let axis = |c: f32, lo: f32, hi: f32, view: f32, small: f32| {
        let (a, b) = (lo + view / 2.0, hi - view / 2.0);
        if hi - lo <= view || a > b { small } else { c.clamp(a, b) }
    };
    pt(axis(center.x, lo.x, hi.x, view.x, (lo.x + hi.x) / 2.0), axis(center.y, lo.y, hi.y, view.y, lo.y + view.y / 2.0))
}

/// The cells a following camera keeps in view (top-left corners, layout units).
pub struct Focus {
    pub written: Vec<Point>,
    pub read: Vec<Point>,
    /// For each written cell, the top of its grid's caption (above the cell's column).
    pub headers: Vec<Point>,
}

/// The centre that keeps the focus in a view `view` units wide and tall: near the middle of
/// the written and read cells, snapped to a lattice of quarter views so that consecutive
/// steps share a centre (the picture holds still while the step moves within it); if they
/// do not fit together, the written cells with as much of the rest as fits; if those do not
/// fit, the first written cell.
fn follow(focus: &Focus, view: Point) -> Option<Point> {
    let all: Vec<Point> = focus.written.iter().chain(&focus.read).copied().collect();
    let (qx, qy) = ((view.x / 4.0).max(1.0), (view.y / 4.0).max(1.0));
    let everything = Extent::of(&all)?;
    let middle = everything.middle();
    let snap = |p: Point| pt((p.x / qx).round() * qx, (p.y / qy).round() * qy);
    let snapped = snap(middle);
    // Everything with the written grids' captions, if that fits.
    let mut captioned = all.clone();
    captioned.extend(focus.headers.iter().copied());
    if let Some(e) = Extent::of(&captioned) {
        for c in [snap(e.middle()), e.middle()] {
            if e.shows(c, view) {
                return Some(c);
            }
        }
    }
    for c in [snapped, middle] {
        if everything.shows(c, view) {
            return Some(under_captions(c, &everything, &focus.headers, view));
        }
    }
    // The written cells in view, and as much of what the step reads as that allows: the
    // centre nearest the middle of everything (snapped) that still shows them.
    // (When not all written cells fit, the longest run of them, in the step's order, that does.)
    // A longer run's extent holds a shorter one's, so the runs that fit are a prefix of the
    // lengths: grow the extent cell by cell until it stops fitting (one pass, not one per
    // length: a step may write thousands of cells).
    let mut fitting: Option<(usize, Extent)> = None;
    for (n, &p) in focus.written.iter().enumerate() {
        let grown = match &fitting {
            None => Extent { lo: p, hi: pt(p.x + 1.0, p.y + 1.0) },
            Some((_, e)) => e.with(p),
        };
        if !grown.shows(grown.middle(), view) {
            break;
        }
        fitting = Some((n + 1, grown));
    }
    if let Some((n, written)) = fitting {
        // With the captions of those grids above them, when they fit too (a reader must see
        // which grid the step writes).
        let mut cells = focus.written[..n].to_vec();
        cells.extend(focus.headers.iter().take(n).copied());
        let written = Extent::of(&cells).filter(|w| w.shows(w.middle(), view)).unwrap_or(written);
        let (mx, my) = MARGIN;
        // (A near-exact fit can put the bounds an ulp the wrong way round: then the middle.)
        let between = |v: f32, lo: f32, hi: f32| if lo <= hi { v.clamp(lo, hi) } else { (lo + hi) / 2.0 };
        let x = between(snapped.x, written.hi.x + mx - view.x / 2.0, written.lo.x - mx + view.x / 2.0);
        let y = between(snapped.y, written.hi.y + my - view.y / 2.0, written.lo.y - my + view.y / 2.0);
        return Some(pt(x, y));
    }
    let first = *all.first()?;
    Some(pt(first.x + 0.5, first.y + 0.5))
}

/// `c` moved up, as far as `cells` still show, towards showing the captions above them when
/// those are near (within a quarter view: the step reaches its grid's first rows). A step
/// that writes a whole map which fits the view, but not with its caption, otherwise had the
/// caption cut under the legend. Captions farther above stay out of view, as before, so that
/// a sweep down a large grid keeps its snapped centre.
fn under_captions(c: Point, cells: &Extent, headers: &[Point], view: Point) -> Point {
    let Some(top) = headers.iter().map(|h| h.y).reduce(f32::min) else { return c };
    if cells.lo.y - top > view.y / 4.0 {
        return c;
    }
    let lowest = cells.hi.y + MARGIN.1 - view.y / 2.0;
    pt(c.x, c.y.min(top + view.y / 2.0).max(lowest))
}

/// Air kept around followed cells, in cells: one across, one and a half down (captions sit
/// above a cell).
const MARGIN: (f32, f32) = (1.0, 1.5);

/// The rectangle around some cells (top-left corners in, one cell wide each).
struct Extent {
    lo: Point,
    hi: Point,
}

impl Extent {
    fn of(cells: &[Point]) -> Option<Extent> {
        let first = *cells.first()?;
        let (mut lo, mut hi) = (first, pt(first.x + 1.0, first.y + 1.0));
        for p in cells {
            lo = pt(lo.x.min(p.x), lo.y.min(p.y));
            hi = pt(hi.x.max(p.x + 1.0), hi.y.max(p.y + 1.0));
        }
        Some(Extent { lo, hi })
    }

    /// This extent grown to take in the cell at `p`.
    fn with(&self, p: Point) -> Extent {
        Extent {
            lo: pt(self.lo.x.min(p.x), self.lo.y.min(p.y)),
            hi: pt(self.hi.x.max(p.x + 1.0), self.hi.y.max(p.y + 1.0)),
        }
    }

    fn middle(&self) -> Point {
        pt((self.lo.x + self.hi.x) / 2.0, (self.lo.y + self.hi.y) / 2.0)
    }

    /// Whether a view `view` units wide and tall centred on `c` shows the cells with a cell's
    /// width of air around them (a cell and a half above: captions sit there).
    fn shows(&self, c: Point, view: Point) -> bool {
        let (mx, my) = MARGIN;
        self.lo.x - mx >= c.x - view.x / 2.0
            && self.hi.x + mx <= c.x + view.x / 2.0
            && self.lo.y - my >= c.y - view.y / 2.0
            && self.hi.y + my <= c.y + view.y / 2.0
    }
}

/// The overview's place: the bottom-right corner of the content band, at most
/// [`OVERVIEW_CSS`], with the layout's aspect.
fn overview_rect(size: Point, viewport: Viewport, content: (f32, f32)) -> Overview {
    let dpr = viewport.dpr;
    let scale = (OVERVIEW_CSS.0 * dpr / size.x).min(OVERVIEW_CSS.1 * dpr / size.y);
    let inset = 4.0 * dpr;
    let (w, h) = (size.x * scale + 2.0 * inset, size.y * scale + 2.0 * inset);
    let hi = pt(viewport.width as f32 - 8.0 * dpr, content.1 - 6.0 * dpr);
    Overview { lo: pt(hi.x - w, hi.y - h), hi, scale, inset }
}

/// A step's written cells, and the cells it reads (its focus too: the cell a scatter
/// stamps), as a following camera's [`Focus`].
pub fn focus(layout: &Layout, trace: &Trace, step: Option<&Step>, dpr: f32) -> Focus {
    let Some(step) = step else { return Focus { written: Vec::new(), read: Vec::new(), headers: Vec::new() } };
    // Written cells in the step's order (a camera that cannot show them all keeps the first).
    // Seen cells are marked per grid (a step of a path-count map writes thousands).
    let mut seen: Vec<Vec<bool>> = vec![Vec::new(); trace.grids.len()];
    let mut first_time = |c: &CellRef| match trace.grid_of(*c) {
        Some(grid) => {
            let marks = &mut seen[c.grid];
            if marks.is_empty() {
                marks.resize(grid.len(), false);
            }
            !std::mem::replace(&mut marks[grid.offset(c.index)], true)
        }
        None => true,
    };
    let written: Vec<CellRef> = step.writes.iter().map(|w| w.target).filter(|c| first_time(c)).collect();
    let mut read: Vec<CellRef> = step
        .writes
        .iter()
        .flat_map(|w| w.taps.iter().flat_map(|tap| tap.source.cells()))
        .chain(step.focus.iter().copied())
        .collect();
    read.sort();
    read.dedup();
    let header = HEADER_CSS * dpr / layout.transform.scale;
    let headers = written
        .iter()
        .filter_map(|c| {
            let block = layout.blocks.iter().find(|b| b.item == Item::Grid(c.grid))?;
            Some(pt(cell_point(&layout.blocks, trace, *c)?.x, block.min.y - header))
        })
        .collect();
    let points = |cells: Vec<CellRef>| cells.into_iter().filter_map(|c| cell_point(&layout.blocks, trace, c)).collect();
    Focus { written: points(written), read: points(read), headers }
}

fn cell_point(blocks: &[Block], trace: &Trace, cell: CellRef) -> Option<Point> {
    let grid = trace.grids.get(cell.grid)?;
    let block = blocks.iter().find(|b| b.item == Item::Grid(cell.grid))?;
    let [i, j, row, col] = cell.index;
    let min = block.panel_min(i, j, grid.shape);
    Some(pt(min.x + col as f32, min.y + row as f32))
}

/// White bands over what a zoomed picture puts under the legend and the caption, and the
/// overview: every block as a grey box, the shown region outlined.
pub fn frame_shapes(shapes: &mut Vec<Shape>, shot: &Shot, layout: &Layout, transform: Transform, viewport: Viewport) {
    let Some(Overview { lo, hi, scale: s, inset }) = shot.overview else { return };
    let (w, h) = (viewport.width as f32, viewport.height as f32);
    let unit = |x: f32, y: f32| transform.to_unit(x, y);
    let white = Some(palette::WHITE);
    shapes.push(Shape::Rect { min: unit(0.0, 0.0), max: unit(w, shot.content.0), fill: white, stroke: None });
    shapes.push(Shape::Rect { min: unit(0.0, shot.content.1), max: unit(w, h), fill: white, stroke: None });
    let dpr = viewport.dpr;
    let border = Stroke { color: palette::MUTED, width: dpr };
    shapes.push(Shape::Rect { min: unit(lo.x, lo.y), max: unit(hi.x, hi.y), fill: white, stroke: Some(border) });
    let origin = pt(lo.x + inset, lo.y + inset);
    let map = |p: Point| unit(origin.x + p.x * s, origin.y + p.y * s);
    for block in &layout.blocks {
        let max = pt(block.min.x + block.size.x, block.min.y + block.size.y);
        shapes.push(Shape::Rect { min: map(block.min), max: map(max), fill: Some(palette::GRID_LINE), stroke: None });
    }
    // The shown region, clipped to the overview.
    let shown_lo = transform.to_unit(0.0, shot.content.0);
    let shown_hi = transform.to_unit(w, shot.content.1);
    let clip = |p: Point| pt(p.x.clamp(0.0, layout.size.x), p.y.clamp(0.0, layout.size.y));
    let region = Stroke { color: palette::TARGET, width: 2.0 * dpr };
    shapes.push(Shape::Rect { min: map(clip(shown_lo)), max: map(clip(shown_hi)), fill: None, stroke: Some(region) });
}

/// The layout point an overview pixel stands for, if `(x, y)` is on the overview.
pub fn overview_point(shot: &Shot, x: f32, y: f32) -> Option<Point> {
    let Overview { lo, hi, scale, inset } = shot.overview?;
    let on = x >= lo.x && x <= hi.x && y >= lo.y && y <= hi.y;
    on.then(|| pt((x - lo.x - inset) / scale, (y - lo.y - inset) / scale))
}
