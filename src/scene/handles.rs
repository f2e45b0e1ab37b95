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
    // A modulated sample (DCNv2) shrinks with its mask and carries its value in a label,
    // drawn under the samples: a label may not hide a sampling point.
    let placed_samples: Vec<(Point, Option<f32>)> = samples
        .iter()
        .filter_map(|&(grid, position, mask)| panel_of(panels, grid).map(|panel| (at(panel, position), mask)))
        .collect();
    let labels: Vec<(Point, String)> = placed_samples
        .iter()
        .filter_map(|&(center, mask)| mask.map(|m| (center, format!("m {}", fmt_num(m)))))
        .collect();
    for (text, placed) in place_labels(&labels, px) {
        if let Some(((at, align), (lo, hi))) = placed {
            shapes.push(Shape::Rect { min: lo, max: hi, fill: Some(palette::LABEL_BACK), stroke: None });
            shapes.push(Shape::bold(at, text, LABEL_CSS * dpr, palette::TARGET, align));
        }
    }
    for &(center, mask) in &placed_samples {
        let m = mask.map_or(1.0, |m| m.clamp(0.0, 1.0));
        shapes.push(Shape::Disc { center, radius: (2.5 + 2.5 * m) * px, fill: palette::WHITE });
        shapes.push(Shape::Disc { center, radius: (1.2 + 2.3 * m) * px, fill: palette::TARGET });
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

/// Size of a sample's mask label, in CSS pixels.
const LABEL_CSS: f32 = 10.0;

/// A label's anchor and the box it covers, if it was placed.
type Placed = Option<((Point, Align), (Point, Point))>;

/// Places each point's label (layout units; `px` is one CSS pixel in them) beside it: above
/// right if that is free, else below right, above left or below left, and not at all if all
/// four would cover a label already placed. Samples a learned offset pulled together would
/// otherwise print their masks over each other. A label left out still has its mask in the
/// size of its disc, and in the step sentence for a kernel of up to nine taps (the sentence
/// lists nine terms).
fn place_labels(labels: &[(Point, String)], px: f32) -> Vec<(String, Placed)> {
    let (height, gap) = (LABEL_CSS * px, 6.0 * px);
    let mut taken: Vec<(Point, Point)> = Vec::new();
    labels
        .iter()
        .map(|(center, text)| {
            // A bold sans-serif digit is about 0.6 em wide; a little more keeps neighbours apart.
            let width = 0.65 * LABEL_CSS * px * text.chars().count() as f32;
            let candidates = [
                (pt(center.x + gap, center.y - gap), Align::Left),
                (pt(center.x + gap, center.y + gap), Align::Left),
                (pt(center.x - gap, center.y - gap), Align::Right),
                (pt(center.x - gap, center.y + gap), Align::Right),
            ];
            let free = candidates.into_iter().find_map(|(at, align)| {
                let left = if align == Align::Left { at.x } else { at.x - width };
                let rect = (pt(left, at.y - height / 2.0), pt(left + width, at.y + height / 2.0));
                let clear = taken
                    .iter()
                    .all(|(lo, hi)| rect.1.x <= lo.x || hi.x <= rect.0.x || rect.1.y <= lo.y || hi.y <= rect.0.y);
                clear.then_some((at, align, rect))
            });
            let placed = free.map(|(at, align, rect)| {
                taken.push(rect);
                ((at, align), rect)
            });
            (text.clone(), placed)
        })
        .collect()
}

fn panel_of(panels: &[Panel], grid: GridId) -> Option<&Panel> {
    panels.iter().find(|p| p.grid == grid)
}

/// A fractional `(row, col)` of a panel in layout units: cell `(r, c)` has its centre at
/// `(r + ½, c + ½)`.
fn at(panel: &Panel, [row, col]: [f32; 2]) -> Point {
    pt(panel.min.x + col + 0.5, panel.min.y + row + 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_of_samples_far_apart_sit_above_right() {
        let px = 1.0 / 26.0;
        let labels: Vec<(Point, String)> = (0..3).map(|i| (pt(5.0 * i as f32, 2.0), "m 0.5".to_string())).collect();
        for ((center, _), (_, placed)) in labels.iter().zip(place_labels(&labels, px)) {
            let ((at, align), (lo, hi)) = placed.expect("room for every label");
            assert_eq!((at, align), (pt(center.x + 6.0 * px, center.y - 6.0 * px), Align::Left));
            // The box starts at the anchor and is centred on it vertically.
            assert_eq!(lo.x, at.x);
            assert!((lo.y + hi.y) / 2.0 - at.y < 1e-6 && hi.x > lo.x);
        }
    }

    #[test]
    fn labels_of_crowded_samples_never_cover_each_other() {
        // A 3×3 kernel's samples pulled to within a third of a cell of each other, as a
        // strong learned offset does on a phone.
        let px = 1.0 / 26.0;
        let labels: Vec<(Point, String)> =
            (0..9).map(|k| (pt(3.0 + 0.3 * (k % 3) as f32, 4.0 + 0.3 * (k / 3) as f32), format!("m 0.{k}5"))).collect();
        let placed = place_labels(&labels, px);
        let rects: Vec<(Point, Point)> = placed.iter().filter_map(|(_, p)| p.map(|(_, rect)| rect)).collect();
        assert!(rects.len() >= 2, "{} of 9 placed", rects.len());
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[..i] {
                let apart = a.1.x <= b.0.x || b.1.x <= a.0.x || a.1.y <= b.0.y || b.1.y <= a.0.y;
                assert!(apart, "labels {a:?} and {b:?} overlap");
            }
        }
        // Every label placed is beside its own sample, and its box is as wide as its text.
        for ((center, text), (_, p)) in labels.iter().zip(&placed) {
            if let Some(((at, _), (lo, hi))) = p {
                assert!((at.x - center.x).abs() <= 6.0 * px + 1e-6 && (at.y - center.y).abs() <= 6.0 * px + 1e-6);
                let width = 0.65 * LABEL_CSS * px * text.chars().count() as f32;
                assert!(((hi.x - lo.x) - width).abs() < 1e-6);
            }
        }
    }
}
