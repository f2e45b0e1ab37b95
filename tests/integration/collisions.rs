//! No label collides: for every operator at its defaults and with each slider at its
//! maximum, at the page's phone, laptop and projector canvas sizes, no two texts of the
//! display list overlap and no text written in a cell leaves it. Text extents are measured as
//! the bitmap and SVG backends measure them (plotters with the DejaVu fonts the CLI registers;
//! the browser's sans-serif is DejaVu on the CI's Chromium).

use convscope::ops;
use convscope::params::ParamKind;
use convscope::scene::{Align, Camera, Scene, Shape, Viewport};
use convscope::session::Session;
use plotters::style::{FontDesc, FontFamily, FontStyle};

/// Canvas sizes (CSS pixels) the page gives the picture at 390, 1024 and 1920 px wide.
const SIZES: &[(u32, u32)] = &[(372, 538), (670, 556), (1566, 868)];

/// Overlap, in pixels along both axes, below which two boxes are said to touch, not collide
/// (font boxes include the line gap).
const SLACK: f32 = 2.0;

/// An opaque rectangle: its place in the display list and its corners in pixels.
type Cover = (usize, (f32, f32), (f32, f32));

/// A text's box in device pixels.
#[derive(Clone, Debug)]
struct Label {
    text: String,
    lo: (f32, f32),
    hi: (f32, f32),
    at: (f32, f32),
}

/// The display list's texts on the canvas that nothing drawn later covers: a text whose
/// anchor lies under an opaque filled rectangle painted after it (a zoomed frame's white
/// bands, the overview, a pinned caption's background) is not seen. With each, whether it is
/// part of the picture (anchored in a grid's cell, say) or the frame around it.
fn labels(scene: &Scene) -> Vec<(Label, bool)> {
    let t = scene.transform;
    let (w, h) = (scene.viewport.width as f32, scene.viewport.height as f32);
    // Opaque rectangles in pixels, with their place in the list.
    let covers: Vec<Cover> = scene
        .shapes
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s {
            Shape::Rect { min, max, fill: Some(f), .. } if f.3 >= 1.0 => Some((i, t.to_pixel(*min), t.to_pixel(*max))),
            // A panel of small cells is painted as one opaque bitmap.
            Shape::Cells { min, cols, colors } if *cols > 0 => {
                let max = convscope::scene::pt(min.x + *cols as f32, min.y + (colors.len() / cols) as f32);
                Some((i, t.to_pixel(*min), t.to_pixel(max)))
            }
            _ => None,
        })
        .collect();
    // The first band of a zoomed frame: what comes after it is the frame, not the picture.
    let band = covers.iter().find(|(_, lo, hi)| lo.0.abs() < 0.5 && lo.1.abs() < 0.5 && hi.0 >= w - 0.5).map(|c| c.0);
    let mut out = Vec::new();
    for (i, shape) in scene.shapes.iter().enumerate() {
        let Shape::Text { at, text, size, align, bold, .. } = shape else { continue };
        let style = if *bold { FontStyle::Bold } else { FontStyle::Normal };
        let (bw, bh) = FontDesc::new(FontFamily::SansSerif, f64::from(*size), style).box_size(text).unwrap_or((0, 0));
        // Glyph boxes include the line's ascent and descent; the ink is about 80% of it.
        let (bw, bh) = (bw as f32, bh as f32 * 0.8);
        let (x, y) = t.to_pixel(*at);
        let x0 = match align {
            Align::Left => x,
            Align::Center => x - bw / 2.0,
            Align::Right => x - bw,
        };
        let label = Label { text: text.clone(), lo: (x0, y - bh / 2.0), hi: (x0 + bw, y + bh / 2.0), at: (x, y) };
        let covered = covers.iter().any(|&(j, lo, hi)| j > i && x >= lo.0 && x <= hi.0 && y >= lo.1 && y <= hi.1);
        if x >= 0.0 && x <= w && y >= 0.0 && y <= h && !covered {
            out.push((label, band.is_none_or(|b| i < b)));
        }
    }
    out
}

fn overlap(a: &Label, b: &Label) -> bool {
    let dx = a.hi.0.min(b.hi.0) - a.lo.0.max(b.lo.0);
    let dy = a.hi.1.min(b.hi.1) - a.lo.1.max(b.lo.1);
    dx > SLACK && dy > SLACK
}

/// The problems of one scene: overlapping texts and cell texts wider than their cell.
fn problems(scene: &Scene) -> Vec<String> {
    let seen = labels(scene);
    let mut out = Vec::new();
    for (i, (a, _)) in seen.iter().enumerate() {
        for (b, _) in &seen[i + 1..] {
            if overlap(a, b) {
                out.push(format!("“{}” overlaps “{}” at ({:.0}, {:.0})", a.text, b.text, a.at.0, a.at.1));
            }
        }
    }
    // A picture text anchored inside a cell stays inside it.
    let t = scene.transform;
    for (l, _) in seen.iter().filter(|(_, picture)| *picture) {
        for panel in &scene.panels {
            let (x0, y0) = t.to_pixel(panel.min);
            let cell = t.scale;
            let (c, r) = ((l.at.0 - x0) / cell, (l.at.1 - y0) / cell);
            if c > 0.0 && r > 0.0 && c < panel.cols as f32 && r < panel.rows as f32 {
                let (cx0, cy0) = (x0 + c.floor() * cell, y0 + r.floor() * cell);
                let wide = l.lo.0 >= cx0 - SLACK && l.hi.0 <= cx0 + cell + SLACK;
                let tall = l.lo.1 >= cy0 - SLACK && l.hi.1 <= cy0 + cell + SLACK;
                if !(wide && tall) {
                    out.push(format!("“{}” leaves its cell ({cell:.0} px) at ({:.0}, {:.0})", l.text, l.at.0, l.at.1));
                }
            }
        }
    }
    out
}

/// Every operator's defaults and, one at a time, each number slider at its maximum.
fn settings() -> Vec<String> {
    let mut out = Vec::new();
    for op in ops::OPERATORS {
        out.push(format!("op={}", op.name));
        for spec in op.schema {
            if let ParamKind::Int { max, .. } | ParamKind::Pair { max, .. } = spec.kind {
                out.push(format!("op={}&{}={max}", op.name, spec.name));
            }
        }
    }
    out
}

#[test]
fn no_label_overlaps_another_or_leaves_its_cell() {
    convscope::paint::register_fonts();
    let mut failures = Vec::new();
    for query in settings() {
        let mut session = Session::from_query(&query);
        if !session.warnings().is_empty() {
            continue; // refused as a whole: the defaults are checked already
        }
        let n = session.n_steps();
        for &(w, h) in SIZES {
            for step in [1, n.div_ceil(2), n] {
                session.seek(step);
                session.set_camera(Camera::default());
                let scene = session.scene(Viewport::new(w, h, 1.0), false);
                for p in problems(&scene).into_iter().take(3) {
                    failures.push(format!("{query} at {w}×{h}, step {step}: {p}"));
                }
            }
        }
    }
    failures.dedup();
    assert!(failures.is_empty(), "{} collisions:\n{}", failures.len(), failures.join("\n"));
}

/// The check sees what it looks for: a value written twice, 3 px apart, and a long text in a
/// cell are reported; the scene as drawn is not.
#[test]
fn the_check_finds_a_planted_collision() {
    convscope::paint::register_fonts();
    let mut session = Session::from_query("op=conv2d");
    session.seek(3);
    let scene = session.scene(Viewport::new(1000, 600, 1.0), false);
    assert!(problems(&scene).is_empty(), "{:?}", problems(&scene));
    let seen = labels(&scene).len();
    assert!(seen > 60, "only {seen} texts on a conv2d frame");
    // A value written in a cell: anchored inside the first panel.
    let panel = &scene.panels[0];
    let in_panel = |at: &convscope::scene::Point| {
        at.x > panel.min.x
            && at.y > panel.min.y
            && at.x < panel.min.x + panel.cols as f32
            && at.y < panel.min.y + panel.rows as f32
    };
    let value = scene
        .shapes
        .iter()
        .find_map(|s| match s {
            Shape::Text { at, text, size, color, bold, .. } if in_panel(at) => {
                Some((*at, text.clone(), *size, *color, *bold))
            }
            _ => None,
        })
        .unwrap();
    let (at, text, size, color, bold) = value;
    let nudge = 3.0 / scene.transform.scale;
    let mut twice = scene.clone();
    let moved = convscope::scene::pt(at.x + nudge, at.y);
    twice.shapes.push(Shape::Text { at: moved, text, size, color, align: Align::Center, bold });
    assert!(problems(&twice).iter().any(|p| p.contains("overlaps")), "{:?}", problems(&twice));
    let mut long = scene.clone();
    long.shapes.push(Shape::Text { at, text: "−123.4567".into(), size, color, align: Align::Center, bold });
    assert!(problems(&long).iter().any(|p| p.contains("leaves its cell")), "{:?}", problems(&long));
}
