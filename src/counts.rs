//! Counts of what a trace holds and does — weights, multiply-adds, products that read padding
//! or inserted zeros, bilinear samples, cells read — for the facts the page states beside
//! the picture. Every count an operator states comes from here, that is from the same trace
//! the picture and the replay use; the tests check each against an independent count.

use crate::trace::{CellKind, CellRef, Role, Source, Step, Tap, Trace};

/// What the taps of some steps do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// Weight × data products (a sample counts as data): the multiply-adds that matter.
    pub products: usize,
    /// Weight × padding-zero products, computed but adding nothing.
    pub padding: usize,
    /// Weight × inserted-zero products (the gather view of a transposed conv).
    pub inserted: usize,
    /// Taps that read a sample (bilinear or bicubic), and the corner cells those read.
    pub samples: usize,
    pub corners: usize,
    /// Weightless taps: copies, sums and pooled cells.
    pub reads: usize,
    /// Writes that combine at least one tap.
    pub writes: usize,
}

impl Work {
    fn add_tap(&mut self, trace: &Trace, tap: &Tap) {
        if let Source::Sample { corners, .. } = &tap.source {
            self.samples += 1;
            self.corners += corners.len();
        }
        if tap.weight.is_none() {
            self.reads += 1;
            return;
        }
        match tap.source {
            Source::Cell(cell) => match trace.grids[cell.grid].kind(cell.index) {
                CellKind::Padding => self.padding += 1,
                CellKind::InsertedZero => self.inserted += 1,
                CellKind::Value | CellKind::Hole => self.products += 1,
            },
            Source::Sample { .. } => self.products += 1,
        }
    }

    /// The work of both.
    pub fn plus(&self, other: &Work) -> Work {
        Work {
            products: self.products + other.products,
            padding: self.padding + other.padding,
            inserted: self.inserted + other.inserted,
            samples: self.samples + other.samples,
            corners: self.corners + other.corners,
            reads: self.reads + other.reads,
            writes: self.writes + other.writes,
        }
    }

    /// Products including those that read zeros: what a sweep computes.
    pub fn computed(&self) -> usize {
        self.products + self.padding + self.inserted
    }

    /// The work of the steps for which `keep(stage, lane of the written grid)` holds.
    pub fn of(trace: &Trace, keep: impl Fn(usize, usize) -> bool) -> Work {
        let mut work = Work::default();
        for step in &trace.steps {
            work.add_writes(trace, step, |lane| keep(step.stage, lane));
        }
        work
    }

    /// Adds the writes of `step` into a grid of a lane for which `keep(lane)` holds.
    fn add_writes(&mut self, trace: &Trace, step: &Step, keep: impl Fn(usize) -> bool) {
        for write in &step.writes {
            if keep(trace.grids[write.target.grid].lane) {
                write.taps.iter().for_each(|tap| self.add_tap(trace, tap));
                self.writes += usize::from(!write.taps.is_empty());
            }
        }
    }

    /// All of a trace's work.
    pub fn all(trace: &Trace) -> Work {
        Work::of(trace, |_, _| true)
    }

    /// The work of one lane of the picture (a composite's comparison lives in lane 1).
    pub fn lane(trace: &Trace, lane: usize) -> Work {
        Work::of(trace, |_, l| l == lane)
    }

    /// The work of one stage.
    pub fn stage(trace: &Trace, stage: usize) -> Work {
        // Only the stage's own steps are read (bilinear_additive_upsample's sums follow
        // 186,624 upsampling steps).
        let mut work = Work::default();
        for step in trace.stage_steps(stage) {
            work.add_writes(trace, step, |_| true);
        }
        work
    }
}

/// Learned numbers in a lane: weight cells and bias cells (a bias grid is one a write adds
/// as its constant).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Weights {
    pub weights: usize,
    pub bias: usize,
}

impl Weights {
    pub fn lane(trace: &Trace, lane: usize) -> Weights {
        let mut bias_grids: Vec<usize> = trace
            .steps
            .iter()
            .flat_map(|s| &s.writes)
            .filter_map(|w| w.constant().and_then(|c| c.cell).map(|c| c.grid))
            .collect();
        bias_grids.sort_unstable();
        bias_grids.dedup();
        let mut counted = Weights::default();
        for (id, grid) in trace.grids.iter().enumerate().filter(|(_, g)| g.role == Role::Weight && g.lane == lane) {
            if bias_grids.binary_search(&id).is_ok() {
                counted.bias += grid.len();
            } else {
                counted.weights += grid.len();
            }
        }
        counted
    }

    pub fn total(&self) -> usize {
        self.weights + self.bias
    }
}

/// How the windows of a sweep cover its source: cells read by more than one write, and data
/// cells read by none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    pub shared: usize,
    pub unread: usize,
}

impl Coverage {
    /// Over the data cells of `grid`, for every write that reads it.
    pub fn of(trace: &Trace, grid: usize) -> Coverage {
        let g = &trace.grids[grid];
        let mut reads = vec![0u32; g.len()];
        for step in &trace.steps {
            for write in &step.writes {
                let mut cells: Vec<CellRef> =
                    write.taps.iter().flat_map(|t| t.source.cells()).filter(|c| c.grid == grid).collect();
                cells.sort_unstable();
                cells.dedup();
                for cell in cells {
                    reads[g.offset(cell.index)] += 1;
                }
            }
        }
        let data = |off: &usize| g.kinds[*off] == CellKind::Value;
        Coverage {
            shared: (0..g.len()).filter(data).filter(|&off| reads[off] > 1).count(),
            unread: (0..g.len()).filter(data).filter(|&off| reads[off] == 0).count(),
        }
    }
}

/// `1234567` → `1,234,567`.
pub fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// `"N"`, or `"N (plus M that read padding zeros)"` and the like: the way the facts write
/// multiply-adds, the ones that add something first.
pub fn products_text(work: &Work) -> crate::text::Msg {
    use crate::msg;
    let n = work.products;
    match (work.padding, work.inserted) {
        (0, 0) => msg!("products", n = n),
        (p, 0) => msg!("products-padding", n = n, p = p),
        (0, i) => msg!("products-inserted", n = n, i = i),
        (p, i) => msg!("products-zeros", n = n, zeros = p + i, p = p, i = i),
    }
}
