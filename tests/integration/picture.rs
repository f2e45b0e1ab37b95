//! The picture at the sizes the page gives it (phone, laptop, projector, the 800×520 embed,
//! a high-DPI phone): with the page's following camera, every cell on screen at least
//! `LEGIBLE_CSS` wide shows its value (a hole, its cross and no number), cells are never
//! smaller than that, and the cell the step writes is on screen.

use convscope::ops;
use convscope::scene::{Camera, LEGIBLE_CSS, Scene, Shape, Viewport, pt};
use convscope::session::Session;
use convscope::trace::{CellKind, Trace};

/// Canvas sizes in CSS pixels, as the page lays them out, and the device-pixel ratio.
const SIZES: &[(u32, u32, f32)] =
    &[(372, 538, 1.0), (670, 556, 1.0), (1566, 868, 1.0), (786, 416, 1.0), (372, 538, 2.0)];

fn viewport(&(w, h, dpr): &(u32, u32, f32)) -> Viewport {
    Viewport::new((w as f32 * dpr) as u32, (h as f32 * dpr) as u32, dpr)
}

/// Whether a device-pixel rectangle lies on the grids' band, clear of the overview.
fn on_screen(scene: &Scene, lo: (f32, f32), hi: (f32, f32)) -> bool {
    let (top, bottom) = scene.shot.content;
    let inside = lo.0 >= 0.0 && hi.0 <= scene.viewport.width as f32 && lo.1 >= top && hi.1 <= bottom;
    let under_overview =
        scene.shot.overview.is_some_and(|o| hi.0 > o.lo.x && lo.0 < o.hi.x && hi.1 > o.lo.y && lo.1 < o.hi.y);
    inside && !under_overview
}

/// Cells on screen that are drawn with a value but show none, and holes that show one, as
/// labels.
fn missing_values(scene: &Scene, trace: &Trace, step: usize) -> Vec<String> {
    let replay = trace.replay(step);
    let t = scene.transform;
    let texts: std::collections::HashSet<(i64, i64)> = scene
        .shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Text { at, .. } => Some(((at.x * 100.0).round() as i64, (at.y * 100.0).round() as i64)),
            _ => None,
        })
        .collect();
    let mut missing = Vec::new();
    for panel in &scene.panels {
        let grid = &trace.grids[panel.grid];
        for row in 0..panel.rows {
            for col in 0..panel.cols {
                let index = [panel.outer[0], panel.outer[1], row, col];
                let blank = grid.written && !replay.touched[panel.grid][grid.offset(index)];
                let lo = t.to_pixel(pt(panel.min.x + col as f32, panel.min.y + row as f32));
                let hi = (lo.0 + t.scale, lo.1 + t.scale);
                if blank || !on_screen(scene, lo, hi) {
                    continue;
                }
                let center = pt(panel.min.x + col as f32 + 0.5, panel.min.y + row as f32 + 0.5);
                let shown = texts.contains(&((center.x * 100.0).round() as i64, (center.y * 100.0).round() as i64));
                // A hole's cross says its value (no path: 0); a number would sit under it.
                let hole = grid.kind(index) == CellKind::Hole;
                if hole && shown {
                    missing.push(format!("{} (a hole, with a number under its cross)", grid.label(index)));
                } else if !hole && !shown {
                    missing.push(grid.label(index));
                }
            }
        }
    }
    missing
}

#[test]
fn every_legible_cell_on_screen_shows_its_value_and_the_step_stays_in_view() {
    let (mut captions_checked, mut captions_pinned) = (0, 0);
    for op in ops::OPERATORS {
        let mut session = Session::from_query(&format!("op={}", op.name));
        let n = session.n_steps();
        let mut steps = vec![0, 1, n / 2, n];
        steps.dedup();
        for size in SIZES {
            let vp = viewport(size);
            for &step in &steps {
                session.seek(step);
                session.set_camera(Camera::default());
                let scene = session.scene(vp, false);
                let trace = &session.run().trace;
                let at = format!("{} at {size:?}, step {step}", op.name);
                assert!(
                    scene.transform.scale >= LEGIBLE_CSS * vp.dpr - 1e-3,
                    "{at}: cells of {:.1} CSS px",
                    scene.transform.scale / vp.dpr
                );
                let missing = missing_values(&scene, trace, step);
                assert!(
                    missing.is_empty(),
                    "{at}: {} cells show no value, e.g. {:?}",
                    missing.len(),
                    &missing[..missing.len().min(5)]
                );
                // The first cell the step writes is on screen.
                if let Some(write) = step.checked_sub(1).and_then(|i| trace.steps[i].writes.first()) {
                    let cell = write.target;
                    let panel = scene
                        .panels
                        .iter()
                        .find(|p| p.grid == cell.grid && p.outer == [cell.index[0], cell.index[1]])
                        .unwrap();
                    let c = scene.transform.to_pixel(pt(
                        panel.min.x + cell.index[3] as f32 + 0.5,
                        panel.min.y + cell.index[2] as f32 + 0.5,
                    ));
                    let (top, bottom) = scene.shot.content;
                    let seen = c.0 >= 0.0 && c.0 <= vp.width as f32 && c.1 >= top && c.1 <= bottom;
                    assert!(seen, "{at}: the written cell {} is off screen", trace.grids[cell.grid].label(cell.index));
                    // Where the written grid shows at least two rows and is wider on screen than
                    // its caption, its caption is on screen too (in place, or pinned).
                    let grid = &trace.grids[cell.grid];
                    let (mut lo, mut hi) = ((f32::MAX, f32::MAX), (f32::MIN, f32::MIN));
                    for p in scene.panels.iter().filter(|p| p.grid == cell.grid) {
                        let (a, b) = (
                            scene.transform.to_pixel(p.min),
                            scene.transform.to_pixel(pt(p.min.x + p.cols as f32, p.min.y + p.rows as f32)),
                        );
                        (lo, hi) = ((lo.0.min(a.0), lo.1.min(a.1)), (hi.0.max(b.0), hi.1.max(b.1)));
                    }
                    let wide = hi.0.min(vp.width as f32) - lo.0.max(0.0);
                    let tall = hi.1.min(bottom) - lo.1.max(top);
                    let caption_px = (grid.caption.en().chars().count() as f32 * 8.0 + 20.0) * vp.dpr;
                    let fits_across = wide >= caption_px;
                    let fits_down = tall >= 2.0 * scene.transform.scale + 40.0 * vp.dpr;
                    if fits_down && fits_across {
                        let shown = scene.shapes.iter().any(|s| {
                            matches!(s, Shape::Text { at, text, bold: true, .. }
                            if *text == grid.caption.en() && {
                                let p = scene.transform.to_pixel(*at);
                                p.1 >= top && p.1 <= bottom && p.0 >= 0.0 && p.0 < vp.width as f32
                            })
                        });
                        assert!(shown, "{at}: the caption “{}” of the written cell's grid is off screen", grid.caption);
                        captions_checked += 1;
                        captions_pinned += usize::from(scene.shot.cropped && lo.0 < 0.0 || lo.1 < top);
                    }
                }
            }
        }
    }
    assert!(
        captions_checked > 200 && captions_pinned > 10,
        "{captions_checked} captions checked, {captions_pinned} pinned"
    )
}

#[test]
fn zooming_keeps_the_point_under_the_pointer_and_panning_moves_the_picture() {
    let mut session = Session::from_query("op=conv2d&height=32&width=32");
    let vp = Viewport::new(900, 600, 1.0);
    session.set_camera(Camera::Fit);
    let fit = session.scene(vp, false);
    let under = fit.transform.to_unit(300.0, 250.0);
    session.set_camera(fit.zoomed(2.0, 300.0, 250.0));
    let zoomed = session.scene(vp, false);
    assert!((zoomed.transform.scale / fit.transform.scale - 2.0).abs() < 1e-3);
    let (x, y) = zoomed.transform.to_pixel(under);
    // The layout is laid out again for the new scale (captions take fewer cells), so the point
    // may move by a caption's width at most.
    assert!((x - 300.0).abs() < 60.0 && (y - 250.0).abs() < 60.0, "moved to ({x}, {y})");
    assert!(zoomed.shot.cropped && zoomed.shot.overview.is_some());
    session.set_camera(zoomed.panned(-40.0, 0.0));
    let panned = session.scene(vp, false);
    assert!((panned.transform.offset.x - (zoomed.transform.offset.x - 40.0)).abs() < 1e-3);
    // Nothing under the overview or the legend is a cell.
    let o = panned.shot.overview.unwrap();
    assert_eq!(panned.hit((o.lo.x + o.hi.x) / 2.0, (o.lo.y + o.hi.y) / 2.0), None);
    assert_eq!(panned.hit(450.0, 2.0), None);
    // Zoom steps are bounded, and hostile factors change nothing.
    for factor in [f32::NAN, f32::INFINITY, 0.0, -3.0] {
        let camera = panned.zoomed(factor, 300.0, 250.0);
        let Camera::Free { scale, .. } = camera else { panic!("a zoom is a free camera") };
        assert!(scale.is_finite() && scale > 0.0, "{factor}: {scale}");
    }
}

#[test]
fn a_hole_shows_its_cross_and_no_number() {
    // Three 3×3 convs of dilation 2 leave every other row and column of the field unreached.
    let mut session = Session::from_query("op=receptive_field&preset=custom&layers=c3d2*3&input_size=16");
    let n = session.n_steps();
    session.seek(n);
    let trace = &session.run().trace;
    let holes = trace.grids.iter().flat_map(|g| &g.kinds).filter(|&&k| k == CellKind::Hole).count();
    assert!(holes > 0, "the setting has holes");
    for size in SIZES {
        let scene = session.scene(viewport(size), false);
        let missing = missing_values(&scene, &session.run().trace, n);
        assert!(missing.is_empty(), "at {size:?}: {missing:?}");
    }
}

/// Where a followed (zoomed) picture's grids are, in pixel rows, at a canvas `size`.
struct Followed {
    /// The top of the first row of cells and the bottom of the last, over all panels.
    top: f32,
    bottom: f32,
    /// The content band under the legend: its top and bottom.
    band: (f32, f32),
    /// What sits above the first row of cells: the captions' band and the column indices.
    above: f32,
}

fn followed(query: &str, size: (u32, u32, f32)) -> Followed {
    let scene = Session::from_query(query).scene(viewport(&size), false);
    assert!(scene.shot.cropped, "{size:?}: the camera follows (zoomed)");
    let top = scene.panels.iter().map(|p| p.min.y).fold(f32::INFINITY, f32::min);
    let bottom = scene.panels.iter().map(|p| p.min.y + p.rows as f32).fold(f32::NEG_INFINITY, f32::max);
    Followed {
        top: scene.transform.to_pixel(pt(0.0, top)).1,
        bottom: scene.transform.to_pixel(pt(0.0, bottom)).1,
        band: scene.shot.content,
        above: convscope::scene::HEADER_CSS * size.2 + scene.transform.scale,
    }
}

#[test]
fn a_zoomed_picture_shorter_than_its_canvas_sits_under_the_legend() {
    // A phone's canvas is taller than a followed deformable conv: the grids start under the
    // legend (their captions' band above them), as a fitted picture does, and the empty band
    // is below, where the overview sits; centring left a band of nothing under the legend.
    for size in [(372, 538, 2.0), (372, 538, 3.0)] {
        let f = followed("op=deform_conv2d&offsets=random&mask=random&overview=on&step=12", size);
        let (band_top, band_bottom) = f.band;
        assert!(f.bottom - f.top < band_bottom - band_top, "{size:?}: the grids are shorter than the canvas");
        let gap = f.top - band_top;
        assert!(
            gap <= f.above + 1.0,
            "{size:?}: {gap} px between the legend and the grids (captions take {})",
            f.above
        );
    }
}

#[test]
fn a_followed_map_keeps_its_caption_under_the_legend_where_it_fits() {
    // A laptop's canvas shows the 16×16 path-count map of three dilated convs zoomed; the one
    // step writes all of it. The map and its column indices fit under the legend with room to
    // spare, so its caption is shown too: it was half cut under the legend band.
    for size in [(670, 555, 1.0), (670, 555, 2.0)] {
        let f = followed("op=receptive_field&preset=custom&layers=c3d2*3&input_size=16", size);
        let (band_top, band_bottom) = f.band;
        assert!(f.bottom <= band_bottom, "{size:?}: the last row ({}) is in view (to {band_bottom})", f.bottom);
        let caption = f.top - f.above;
        assert!(
            caption >= band_top - 1.0,
            "{size:?}: the caption starts at {caption} px, above the band's top {band_top}"
        );
    }
}
