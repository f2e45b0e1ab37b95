//! What the current step reads and writes, and the hovered cell's correspondences, drawn as
//! outlines over the cells.

use std::collections::{HashMap, HashSet};

use super::palette::{self, Rgba};
use super::shapes::{Point, Shape, Stroke, cross_cell, pt};
use super::{Frame, Panel, PracticeMark};
use crate::trace::{CellRef, GridId, Source, Step};

/// A sampling point: `(grid, [row, col], mask)`, the mask of a modulated (DCNv2) sample.
pub type Sampled = (GridId, [f32; 2], Option<f32>);

/// The current step's cells: its targets, what it reads, and the weight each read carries.
#[derive(Default)]
pub struct StepReads {
    targets: HashSet<CellRef>,
    reads: HashSet<CellRef>,
    weight_of_read: HashMap<CellRef, f32>,
    /// Corners read by several samples get no weight label: one number would mislead.
    shared_corner: HashSet<CellRef>,
    /// The step's fractional sampling points.
    pub samples: Vec<Sampled>,
}

impl StepReads {
    pub fn of(step: Option<&Step>) -> StepReads {
        let mut out = StepReads::default();
        let Some(step) = step else { return out };
        let single = step.writes.len() == 1;
        for write in &step.writes {
            out.targets.insert(write.target);
            for tap in &write.taps {
                out.reads.extend(tap.weight);
                match &tap.source {
                    Source::Cell(cell) => {
                        out.reads.insert(*cell);
                        if tap.weight.is_some() && single {
                            out.weight_of_read.insert(*cell, tap.weight_value);
                        }
                    }
                    Source::Sample { grid, position, corners, mask, .. } => {
                        out.samples.push((*grid, *position, *mask));
                        // Only corners that carry weight are outlined: a corner weighted 0
                        // (or a sample masked to 0) reads nothing that counts.
                        let weighted = corners.iter().filter(|(_, w)| *w != 0.0 && *mask != Some(0.0));
                        for &(cell, weight) in weighted {
                            out.reads.insert(cell);
                            if single && out.weight_of_read.insert(cell, weight).is_some() {
                                out.shared_corner.insert(cell);
                            }
                        }
                    }
                }
            }
            out.reads.extend(write.constant().and_then(|c| c.cell));
        }
        out.targets.extend(step.focus.iter().copied());
        out
    }

    /// The weight to print in a read cell, if the step reads it with exactly one.
    pub fn weight_label(&self, cell: CellRef) -> Option<f32> {
        self.weight_of_read.get(&cell).copied().filter(|_| !self.shared_corner.contains(&cell))
    }
}

/// A step that writes more cells than this into one panel outlines the panel instead.
const MANY: usize = 24;

/// Outlines the step's reads and targets, the hover correspondences and the hovered cell.
/// `px` converts CSS pixels to layout units.
pub fn draw(frame: &mut Frame, step: &StepReads, px: f32, dpr: f32) {
    let outliner = outliner(frame, px);
    let mut shapes = Vec::new();
    let read = Stroke { color: palette::READ, width: 2.2 * dpr };
    for cell in sorted(&step.reads) {
        outliner.cell(&mut shapes, cell, Some(palette::READ_WASH), read, 1.0);
    }
    let target = Stroke { color: palette::TARGET, width: 3.2 * dpr };
    let mut per_panel: HashMap<(GridId, [usize; 2]), usize> = HashMap::new();
    for cell in &step.targets {
        *per_panel.entry((cell.grid, [cell.index[0], cell.index[1]])).or_default() += 1;
    }
    for panel in frame.panels.iter().filter(|p| per_panel.get(&(p.grid, p.outer)).is_some_and(|&n| n > MANY)) {
        outliner.panel(&mut shapes, panel, target);
    }
    for cell in sorted(&step.targets) {
        if per_panel[&(cell.grid, [cell.index[0], cell.index[1]])] <= MANY {
            outliner.cell(&mut shapes, cell, None, target, 1.0);
        }
    }
    frame.shapes.append(&mut shapes);
}

/// The hovered cell and its correspondences, drawn over everything the step shows.
pub fn draw_hover(frame: &mut Frame, related: &[CellRef], hover: Option<CellRef>, px: f32, dpr: f32) {
    let outliner = outliner(frame, px);
    let mut shapes = Vec::new();
    let mut related = related.to_vec();
    related.sort();
    related.dedup();
    for cell in related {
        let stroke = Stroke { color: palette::HOVER, width: 2.0 * dpr };
        outliner.cell(&mut shapes, cell, Some(palette::HOVER_WASH), stroke, 2.5);
    }
    if let Some(cell) = hover {
        let stroke = Stroke { color: palette::HOVER, width: 3.0 * dpr };
        outliner.cell(&mut shapes, cell, Some(palette::HOVER_WASH), stroke, 2.5);
    }
    frame.shapes.append(&mut shapes);
}

/// Practice mode's marks, over the step's outlines: the cell asked about, the reader's
/// choice, and once checked the missed cells and the wrongly chosen ones (crossed).
pub fn draw_practice(frame: &mut Frame, marks: &[(CellRef, PracticeMark)], px: f32, dpr: f32) {
    let outliner = outliner(frame, px);
    let mut shapes = Vec::new();
    for &(cell, mark) in marks {
        let (wash, color, width) = match mark {
            PracticeMark::Asked => (Some(palette::ASKED_WASH), palette::TARGET, 3.2),
            PracticeMark::Chosen => (Some(palette::CHOSEN_WASH), palette::ARROW, 2.6),
            PracticeMark::Missed => (None, palette::READ, 3.0),
            PracticeMark::Extra => (None, palette::HOLE, 2.6),
        };
        let stroke = Stroke { color, width: width * dpr };
        outliner.cell(&mut shapes, cell, wash, stroke, 1.0);
        if mark == PracticeMark::Extra {
            outliner.cross(&mut shapes, cell, Stroke { color, width: 1.6 * dpr });
        }
    }
    frame.shapes.append(&mut shapes);
}

/// On small cells an outline grows to at least 11 CSS pixels around the cell, so a tap stays
/// visible on a large map.
fn outliner(frame: &Frame, px: f32) -> Outliner<'_> {
    Outliner { panels: &frame.panels, min_box: 11.0 * px, inset: 1.2 * px }
}

fn sorted(cells: &HashSet<CellRef>) -> Vec<CellRef> {
    // Distinct cells: an unstable sort gives the one order.
    let mut cells: Vec<_> = cells.iter().copied().collect();
    cells.sort_unstable();
    cells
}

struct Outliner<'a> {
    panels: &'a [Panel],
    min_box: f32,
    inset: f32,
}

impl Outliner<'_> {
    /// An outline around `cell`, `inset_factor` insets inside it (or a minimum-size box).
    fn cell(&self, shapes: &mut Vec<Shape>, cell: CellRef, wash: Option<Rgba>, stroke: Stroke, inset_factor: f32) {
        let outer = [cell.index[0], cell.index[1]];
        let Some(panel) = self.panels.iter().find(|p| p.grid == cell.grid && p.outer == outer) else { return };
        let inset = self.inset * inset_factor;
        let corner = pt(panel.min.x + cell.index[3] as f32, panel.min.y + cell.index[2] as f32);
        let (lo, hi) = if 1.0 - 2.0 * inset >= self.min_box {
            (pt(corner.x + inset, corner.y + inset), pt(corner.x + 1.0 - inset, corner.y + 1.0 - inset))
        } else {
            let (c, half) = (pt(corner.x + 0.5, corner.y + 0.5), self.min_box / 2.0);
            (pt(c.x - half, c.y - half), pt(c.x + half, c.y + half))
        };
        shapes.push(Shape::Rect { min: lo, max: hi, fill: wash, stroke: Some(stroke) });
    }

    /// A cross over `cell`.
    fn cross(&self, shapes: &mut Vec<Shape>, cell: CellRef, stroke: Stroke) {
        let outer = [cell.index[0], cell.index[1]];
        let Some(panel) = self.panels.iter().find(|p| p.grid == cell.grid && p.outer == outer) else { return };
        cross_cell(shapes, pt(panel.min.x + cell.index[3] as f32, panel.min.y + cell.index[2] as f32), stroke);
    }

    /// An outline just outside a whole panel.
    fn panel(&self, shapes: &mut Vec<Shape>, panel: &Panel, stroke: Stroke) {
        let lo: Point = pt(panel.min.x - self.inset, panel.min.y - self.inset);
        let hi = pt(panel.min.x + panel.cols as f32 + self.inset, panel.min.y + panel.rows as f32 + self.inset);
        shapes.push(Shape::Rect { min: lo, max: hi, fill: None, stroke: Some(stroke) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{SampleKernel, Tap, Write};

    fn sample_step(weights: [f32; 4], mask: Option<f32>) -> Step {
        let cell = |i: usize| CellRef { grid: 0, index: [0, 0, i / 2, i % 2] };
        let corners: Box<[(CellRef, f32)]> = (0..4).map(|i| (cell(i), weights[i])).collect();
        let source = Source::Sample { grid: 0, kernel: SampleKernel::Bilinear, position: [0.0, 0.5], corners, mask };
        let tap = Tap::weighted(CellRef { grid: 1, index: [0; 4] }, 1.0, source, 1.0);
        Step {
            stage: 0,
            writes: smallvec::smallvec![Write::set(CellRef { grid: 2, index: [0; 4] }, vec![tap], None)],
            focus: Vec::new(),
        }
    }

    /// A sample's corners are outlined only where they carry weight: a sample on a cell edge
    /// reads two cells, not four; a sample masked to zero reads none (its weight cell still).
    #[test]
    fn only_weighted_corners_are_outlined() {
        let data = |reads: &StepReads| reads.reads.iter().filter(|c| c.grid == 0).count();
        assert_eq!(data(&StepReads::of(Some(&sample_step([0.5, 0.5, 0.0, 0.0], None)))), 2);
        assert_eq!(data(&StepReads::of(Some(&sample_step([0.25; 4], None)))), 4);
        assert_eq!(data(&StepReads::of(Some(&sample_step([0.25; 4], Some(0.0))))), 0);
    }
}
