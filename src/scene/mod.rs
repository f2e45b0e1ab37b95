//! (trace, step, hover) → a display list of [`Shape`]s, plus the [`Transform`] from layout
//! units to pixels and the panel rectangles used to hit-test a pixel back to a cell.
//!
//! Coordinates: layout units are grid cells; a point is `(x, y)` = `(column, row)` with the
//! origin at the top-left and y growing down. Text sizes and line widths are in device pixels,
//! so text stays readable whatever the grid size. The scene reads the trace's grids, kinds,
//! writes and taps; it never asks which operator made them.
//!
//! One module per concern: [`shapes`] (the vocabulary and transform), [`layout`], [`cells`],
//! [`highlights`], [`handles`] (and marks), [`charts`], [`legend`], [`camera`] (zoom, pan,
//! following the step, the overview); [`describe`] words a step.

mod camera;
mod cells;
mod charts;
pub mod describe;
mod handles;
mod highlights;
mod layout;
mod legend;
pub mod palette;
mod shapes;

pub use camera::{Camera, LEGIBLE_CSS, Overview, Shot};
pub use layout::HEADER_CSS;
pub use shapes::{Align, Point, Shape, Stroke, Transform, Viewport, pt};

use crate::text::Lang;
use crate::trace::{CellRef, GridId, Replay, Setter, Trace};
use cells::{CellStyle, GridState};
use highlights::StepReads;
use layout::{CAPTION_TEXT_CSS, CHART_CSS, Item, Layout, MARGIN_CSS, caption_width_css};
use shapes::fit_text;

/// Bounds of a zoom step: a wheel notch or a key press multiplies the scale by at most this.
const MAX_ZOOM_STEP: f32 = 4.0;

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

/// A draggable point as drawn: where (in device pixels), on which grid, and what moving it
/// sets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Handle {
    pub pixel: (f32, f32),
    pub grid: GridId,
    pub setter: Setter,
}

/// A frame ready to paint.
#[derive(Clone, Debug)]
pub struct Scene {
    pub viewport: Viewport,
    pub transform: Transform,
    pub shapes: Vec<Shape>,
    /// `shapes[..base]` do not depend on the hovered cell: cells, the step's highlights,
    /// marks and handles, in that order, under everything else (hover highlights, cell
    /// texts, the frame, legend and caption). Painted in order, the list is the picture; a
    /// painter may also keep the base from the last frame when it is unchanged.
    pub base: usize,
    /// The trace's marks within the base (`shapes[marks]`): the same at every step, so a
    /// painter may keep them in a transparent layer of their own while steps change the rest.
    pub marks: std::ops::Range<usize>,
    /// The hover's shapes (`shapes[hover]`, starting at `base`): the only part a new hovered
    /// cell changes ([`rehover`] replaces it), under the cell texts and the frame's chrome.
    pub hover: std::ops::Range<usize>,
    pub panels: Vec<Panel>,
    pub handles: Vec<Handle>,
    /// How the camera was aimed: scales, centre, the content band and the overview.
    pub shot: Shot,
}

impl Scene {
    /// Whether a device-pixel position shows the grids (not the legend, caption or overview).
    fn on_content(&self, x: f32, y: f32) -> bool {
        let (top, bottom) = self.shot.content;
        let on_overview = camera::overview_point(&self.shot, x, y).is_some();
        (top..=bottom).contains(&y) && !on_overview
    }

    /// The camera after zooming by `factor` about a device-pixel position, which stays put.
    pub fn zoomed(&self, factor: f32, x: f32, y: f32) -> Camera {
        let factor = if factor.is_finite() { factor.clamp(1.0 / MAX_ZOOM_STEP, MAX_ZOOM_STEP) } else { 1.0 };
        let scale = self.transform.scale * factor;
        let under = self.transform.to_unit(x, y);
        let middle = pt(self.viewport.width as f32 / 2.0, (self.shot.content.0 + self.shot.content.1) / 2.0);
        let center = pt(under.x + (middle.x - x) / scale, under.y + (middle.y - y) / scale);
        Camera::Free { scale, center }
    }

    /// The camera after dragging the picture by `(dx, dy)` device pixels.
    pub fn panned(&self, dx: f32, dy: f32) -> Camera {
        let (dx, dy) = (if dx.is_finite() { dx } else { 0.0 }, if dy.is_finite() { dy } else { 0.0 });
        let scale = self.transform.scale;
        let c = self.shot.center;
        Camera::Free { scale, center: pt(c.x - dx / scale, c.y - dy / scale) }
    }

    /// The camera centred on the point of the overview under a device-pixel position.
    pub fn overview_camera(&self, x: f32, y: f32) -> Option<Camera> {
        let center = camera::overview_point(&self.shot, x, y)?;
        Some(Camera::Free { scale: self.transform.scale, center })
    }

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
        if !self.on_content(x, y) {
            return None;
        }
        let p = self.transform.to_unit(x, y);
        let panel = self.panels.iter().find(|panel| panel.grid == grid)?;
        Some([p.y - panel.min.y - 0.5, p.x - panel.min.x - 0.5])
    }

    /// The cell under a device-pixel position, if any.
    pub fn hit(&self, x: f32, y: f32) -> Option<CellRef> {
        if !self.on_content(x, y) {
            return None;
        }
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
    pub camera: Camera,
    /// The language of every word in the picture.
    pub lang: Lang,
    /// The trace replayed to `step`, if the caller keeps one (else the frame replays it).
    pub replay: Option<&'a Replay>,
    /// A cell whose value is a question (practice mode): drawn as `?`, on the blank fill,
    /// and left out of its grid's colour scale.
    pub hidden: Option<CellRef>,
    /// Grids whose size is a question (practice mode): left out of the picture, with the
    /// charts and the legend entries only they need.
    pub veiled: &'a [GridId],
    /// Cells a practice question marks: the cell asked about, the reader's choice and,
    /// once checked, what was missed or chosen wrongly.
    pub marks: &'a [(CellRef, PracticeMark)],
    /// Leaves out the step's own outlines (a practice question asks what they would show).
    pub quiet: bool,
}

/// How practice mode marks a cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PracticeMark {
    /// The cell the question is about.
    Asked,
    /// A cell the reader chose.
    Chosen,
    /// A cell the answer holds and the reader did not choose (shown with the answer).
    Missed,
    /// A chosen cell the answer does not hold.
    Extra,
}

#[cfg(test)]
impl<'a> View<'a> {
    /// A view of `trace` after `step` steps with nothing hovered and no caption, in English.
    pub(crate) fn plain(trace: &'a Trace, step: usize, camera: Camera) -> View<'a> {
        View {
            trace,
            step,
            hover: None,
            related: &[],
            caption: vec![],
            camera,
            lang: Lang::default(),
            replay: None,
            hidden: None,
            veiled: &[],
            marks: &[],
            quiet: false,
        }
    }
}

/// A frame under construction.
struct Frame {
    transform: Transform,
    shapes: Vec<Shape>,
    /// Cell texts, drawn last, above the highlights, and together, so a canvas sets the text
    /// colour and font once per frame rather than once per cell.
    texts: Vec<Shape>,
    panels: Vec<Panel>,
    handles: Vec<Handle>,
}

/// Lays the grids out left to right in trace order, each as a block of channel panels
/// (first axis across, second axis down), and draws the frame: cells, then the step's
/// highlights, then marks, boxes and handles, the cell texts, the legend and the caption.
pub fn build(view: &View, viewport: Viewport) -> Scene {
    build_culled(view, viewport, true)
}

/// [`build`], leaving out the cells outside the viewport when `cull` (the painter draws the
/// same pixels either way; tests compare the two).
pub(crate) fn build_culled(view: &View, viewport: Viewport, cull: bool) -> Scene {
    let (trace, dpr) = (view.trace, viewport.dpr);
    let legend_px = legend::height(view, viewport);
    let fitted = Layout::fit(trace, viewport, &view.caption, legend_px, None, view.lang, view.veiled);
    let fit_scale = fitted.transform.scale;
    let current = trace.steps.get(view.step.saturating_sub(1));
    let layout =
        match camera::wanted_scale(view.camera, &fitted, &camera::focus(&fitted, trace, current, dpr), viewport) {
            Some(scale) if scale > fit_scale * 1.001 => {
                Layout::fit(trace, viewport, &view.caption, legend_px, Some(scale), view.lang, view.veiled)
            }
            _ => fitted,
        };
    let step = StepReads::of(view.step.checked_sub(1).and_then(|i| trace.steps.get(i)));
    // Before the first step, a following camera looks where the first step will be.
    let focus = camera::focus(&layout, trace, current, dpr);
    let (transform, shot) = camera::aim(view.camera, &layout, fit_scale, &focus, viewport);
    let px = dpr / transform.scale; // one CSS pixel in layout units
    let mut frame = Frame { transform, shapes: Vec::new(), texts: Vec::new(), panels: Vec::new(), handles: Vec::new() };
    let owned;
    let replay = match view.replay {
        Some(replay) if replay.steps == view.step.min(trace.steps.len()) => replay,
        _ => {
            owned = trace.replay(view.step);
            &owned
        }
    };
    // A cell's margin around the viewport, so cells cut by its edge are drawn.
    let shown = if cull {
        (
            transform.to_unit(-transform.scale, -transform.scale),
            transform.to_unit(viewport.width as f32 + transform.scale, viewport.height as f32 + transform.scale),
        )
    } else {
        (pt(f32::NEG_INFINITY, f32::NEG_INFINITY), pt(f32::INFINITY, f32::INFINITY))
    };
    let style = CellStyle::new(transform.scale, dpr, view.lang, shown);
    for block in &layout.blocks {
        match block.item {
            Item::Grid(id) => {
                let grid = &trace.grids[id];
                let hidden = view.hidden.filter(|c| c.grid == id).map(|c| grid.offset(c.index));
                let state = GridState { id, grid, replay: &replay, hidden };
                cells::draw_grid(&mut frame, block, &state, &step, &style);
            }
            Item::Chart(id) => {
                let size = pt(CHART_CSS.0 * px, CHART_CSS.1 * px);
                charts::chart_shapes(&mut frame.shapes, &trace.charts[id], block.min, size, px, dpr, view.lang);
            }
        }
    }
    // Highlights go on top of every cell so neighbours never paint over them.
    if !view.quiet {
        highlights::draw(&mut frame, &step, px, dpr);
    }
    highlights::draw_practice(&mut frame, view.marks, px, dpr);
    let marks_from = frame.shapes.len();
    handles::draw_marks(&mut frame, trace, px);
    let marks = marks_from..frame.shapes.len();
    handles::draw(&mut frame, trace, view.step, &step.samples, px, dpr);
    // What follows changes with the pointer; what precedes is the step's picture, which a
    // painter may keep between frames (see `Scene::base`).
    let base = frame.shapes.len();
    highlights::draw_hover(&mut frame, view.related, view.hover, px, dpr);
    let hover = base..frame.shapes.len();
    let mut texts = std::mem::take(&mut frame.texts);
    texts.sort_by(|a, b| match (a, b) {
        (Shape::Text { size: s1, color: c1, bold: b1, .. }, Shape::Text { size: s2, color: c2, bold: b2, .. }) => {
            (b1, s1.to_bits(), c1.0, c1.1, c1.2).cmp(&(b2, s2.to_bits(), c2.0, c2.1, c2.2))
        }
        _ => std::cmp::Ordering::Equal,
    });
    frame.shapes.append(&mut texts);
    camera::frame_shapes(&mut frame.shapes, &shot, &layout, transform, viewport);
    if shot.cropped {
        sticky_captions(&mut frame.shapes, trace, &layout, transform, &shot, viewport, view.lang);
    }
    legend::legend(&mut frame.shapes, view, transform, viewport);
    for (i, line) in layout.caption.into_iter().enumerate() {
        let at = transform.to_unit(MARGIN_CSS * dpr, layout.caption_top + (17.0 + 18.0 * i as f32) * dpr);
        frame.shapes.push(Shape::text(at, line, CAPTION_TEXT_CSS * dpr, palette::TEXT, Align::Left));
    }
    let Frame { shapes, panels, handles, .. } = frame;
    Scene { viewport, transform, shapes, base, marks, hover, panels, handles, shot }
}

/// Replaces the hover's shapes of a frame built by [`build`] with those of another hovered
/// cell and its correspondences: the frame [`build`] gives for the same view with that hover,
/// without laying out or drawing anything else again.
pub fn rehover(scene: &mut Scene, related: &[CellRef], hover: Option<CellRef>) {
    let (transform, dpr) = (scene.transform, scene.viewport.dpr);
    let panels = std::mem::take(&mut scene.panels);
    let mut frame = Frame { transform, shapes: Vec::new(), texts: Vec::new(), panels, handles: Vec::new() };
    highlights::draw_hover(&mut frame, related, hover, dpr / transform.scale, dpr);
    scene.panels = frame.panels;
    let start = scene.hover.start;
    let end = start + frame.shapes.len();
    scene.shapes.splice(scene.hover.clone(), frame.shapes);
    scene.hover = start..end;
}

/// In a zoomed frame, a grid whose caption is cut off above or left of the shown region while
/// its cells are in view gets its caption pinned inside the region, on white, so a reader
/// always knows which grid the cells belong to.
fn sticky_captions(
    shapes: &mut Vec<Shape>,
    trace: &Trace,
    layout: &Layout,
    t: Transform,
    shot: &Shot,
    viewport: Viewport,
    lang: Lang,
) {
    let dpr = viewport.dpr;
    let top = shot.content.0;
    let size = 12.5 * dpr;
    for block in &layout.blocks {
        let Item::Grid(id) = block.item else { continue };
        let (x0, y0) = t.to_pixel(block.min);
        let (x1, y1) = t.to_pixel(pt(block.min.x + block.size.x, block.min.y + block.size.y));
        let caption_y = y0 - 27.0 * dpr;
        // A caption cut at the top or the left, over cells that are in view (two rows, one
        // column at least).
        let caption_x = t.to_pixel(pt(block.min.x + layout::GUTTER, block.min.y)).0;
        let cut = caption_y < top || caption_x < 0.0;
        let shown =
            y1 > top + 40.0 * dpr && y0 < shot.content.1 - 20.0 * dpr && x1 > 20.0 * dpr && x0 < viewport.width as f32;
        if !cut || !shown {
            continue;
        }
        let left = x0.max(4.0 * dpr);
        let y = caption_y.max(top + 10.0 * dpr);
        // The layout keeps a caption's width free beside its block.
        let caption = trace.grids[id].caption.tr(lang);
        let right = x1.max(x0 + caption_width_css(&caption) * dpr);
        let room = (right.min(viewport.width as f32) - left - 8.0 * dpr).max(0.0);
        let size = fit_text(&caption, size, room);
        if size < 8.0 * dpr {
            continue;
        }
        let width = shapes::text_em(&caption) * size;
        let (lo, hi) =
            (t.to_unit(left - 3.0 * dpr, y - 10.0 * dpr), t.to_unit(left + width + 6.0 * dpr, y + 10.0 * dpr));
        shapes.push(Shape::Rect { min: lo, max: hi, fill: Some(palette::WHITE), stroke: None });
        shapes.push(Shape::bold(t.to_unit(left, y), caption, size, palette::TEXT, Align::Left));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::{self, Edits};
    use crate::params::Params;

    fn conv_scene(step: usize) -> (Scene, Trace) {
        let op = ops::find("conv2d").unwrap();
        let run = op.run(&Params::defaults(op.schema), &Edits::new()).unwrap();
        let view = View::plain(&run.trace, step, Camera::Fit);
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
    fn rehovering_a_frame_equals_building_it_with_the_new_hover() {
        let op = ops::find("conv2d").unwrap();
        let run = op.run(&Params::defaults(op.schema), &Edits::new()).unwrap();
        let trace = &run.trace;
        let viewport = Viewport::new(900, 600, 2.0);
        let x = trace.grids.iter().position(|g| g.symbol == "x").unwrap();
        let y = trace.grids.iter().position(|g| g.symbol == "y").unwrap();
        let cell = |grid, r, c| CellRef { grid, index: [0, 0, r, c] };
        let hovers: [(Option<CellRef>, Vec<CellRef>); 4] = [
            (None, vec![]),
            (Some(cell(x, 1, 1)), vec![cell(y, 0, 0), cell(y, 0, 1), cell(y, 1, 1)]),
            (Some(cell(y, 0, 0)), vec![cell(x, 0, 0), cell(x, 0, 1)]),
            (None, vec![]),
        ];
        let view = |hover: &(Option<CellRef>, Vec<CellRef>)| {
            let mut view = View::plain(trace, 3, Camera::Follow);
            view.hover = hover.0;
            view.related = &hover.1;
            build(&view, viewport)
        };
        let mut kept = view(&hovers[0]);
        for hover in &hovers[1..] {
            rehover(&mut kept, &hover.1, hover.0);
            let whole = view(hover);
            assert_eq!(kept.shapes, whole.shapes);
            assert_eq!((kept.base, kept.hover.clone(), kept.panels.clone()), (whole.base, whole.hover, whole.panels));
        }
        assert!(view(&hovers[1]).hover.len() > 3, "the hovered cell and its correspondences are drawn");
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
