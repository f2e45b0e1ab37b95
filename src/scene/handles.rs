//! What sits on the grids at fractional positions: boxes (a RoI and its bins), marks (all
//! sampling points), the current step's sampling points, and draggable handles with the
//! arrow of the offset they carry.

use super::highlights::Sampled;
use super::palette;
use super::shapes::{Align, Point, Shape, Stroke, arrow, outline, pt};
use super::{Frame, Handle, Panel};
use crate::trace::{GridId, Setter, Trace, fmt_num};

/// Draws `trace`'s marks (e.g. every sampling point of a deformable conv): the same at
/// every step, so a painter may keep them in a layer of their own.
pub fn draw_marks(frame: &mut Frame, trace: &Trace, px: f32) {
    let centers: Vec<Point> = trace
        .marks
        .iter()
        .filter_map(|mark| panel_of(&frame.panels, mark.grid).map(|panel| at(panel, mark.position)))
        .collect();
    if !centers.is_empty() {
        frame.shapes.push(Shape::Discs { centers, radius: 1.8 * px, fill: palette::MARK });
    }
}

/// Draws `trace`'s boxes and handles at `step`, and the step's `samples`; returns the
/// handles with their pixel positions. `px` converts CSS pixels to layout units.
pub fn draw(frame: &mut Frame, trace: &Trace, step: usize, samples: &[Sampled], px: f32, dpr: f32) {
    let panels = &frame.panels;
    let mut shapes = Vec::new();
    for b in trace.boxes.iter().filter(|b| b.step.is_none_or(|s| s == step)) {
        if let Some(panel) = panel_of(panels, b.grid) {
            let (lo, hi) = (
                pt(panel.min.x + b.min[1], panel.min.y + b.min[0]),
                pt(panel.min.x + b.max[1], panel.min.y + b.max[0]),
            );
            let stroke = match b.step {
                Some(_) => Stroke { color: palette::TARGET, width: 2.4 * dpr },
                None => Stroke { color: palette::ARROW, width: 2.0 * dpr },
            };
            outline(&mut shapes, lo, hi, stroke);
        }
    }
    let visible = trace.handles.iter().filter(|h| h.step.is_none_or(|s| s == step));
    let mut handles = Vec::new();
    for h in visible.clone() {
        let (Some(panel), Setter::Offsets(drag)) = (panel_of(panels, h.grid), h.setter) else { continue };
        if drag.anchor != h.position {
            let (from, to) = (at(panel, drag.anchor), at(panel, h.position));
            arrow(&mut shapes, from, to, Stroke { color: palette::ARROW, width: 1.6 * dpr }, 5.0 * px);
            shapes.push(Shape::Disc { center: from, radius: 2.5 * px, fill: palette::ARROW });
        }
    }
    for &(grid, position, mask) in samples {
        if let Some(panel) = panel_of(panels, grid) {
            let center = at(panel, position);
            // A modulated sample (DCNv2) shrinks with its mask and carries its value.
            let m = mask.map_or(1.0, |m| m.clamp(0.0, 1.0));
            shapes.push(Shape::Disc { center, radius: (2.5 + 2.5 * m) * px, fill: palette::WHITE });
            shapes.push(Shape::Disc { center, radius: (1.2 + 2.3 * m) * px, fill: palette::TARGET });
            if let Some(m) = mask {
                let label = pt(center.x + 6.0 * px, center.y - 6.0 * px);
                shapes.push(Shape::bold(label, format!("m {}", fmt_num(m)), 10.0 * dpr, palette::TARGET, Align::Left));
            }
        }
    }
    for h in visible {
        let Some(panel) = panel_of(panels, h.grid) else { continue };
        let center = at(panel, h.position);
        match (h.setter, h.step) {
            // A handle of one step sits on that step's sampling point, drawn above.
            (Setter::Offsets(_), Some(_)) => {}
            (Setter::Offsets(_), None) => {
                shapes.push(Shape::Disc { center, radius: 5.5 * px, fill: palette::ARROW });
                shapes.push(Shape::Disc { center, radius: 3.0 * px, fill: palette::WHITE });
            }
            (Setter::Params(_), _) => {
                let half = 5.0 * px;
                shapes.push(Shape::Rect {
                    min: pt(center.x - half, center.y - half),
                    max: pt(center.x + half, center.y + half),
                    fill: Some(palette::WHITE),
                    stroke: Some(Stroke { color: palette::ARROW, width: 2.0 * dpr }),
                });
            }
        }
        handles.push(Handle { pixel: frame.transform.to_pixel(center), grid: h.grid, setter: h.setter });
    }
    frame.shapes.append(&mut shapes);
    frame.handles = handles;
}

fn panel_of(panels: &[Panel], grid: GridId) -> Option<&Panel> {
    panels.iter().find(|p| p.grid == grid)
}

/// A fractional `(row, col)` of a panel in layout units: cell `(r, c)` has its centre at
/// `(r + ½, c + ½)`.
fn at(panel: &Panel, [row, col]: [f32; 2]) -> Point {
    pt(panel.min.x + col + 0.5, panel.min.y + row + 0.5)
}
