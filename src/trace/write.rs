//! What one step does to one cell: a [`Write`] combines [`Tap`]s (weight × [`Source`]) by a
//! [`Combine`] rule, plus an optional [`Constant`]. [`Write::apply`] is the arithmetic every
//! operator and the replay share, so a replayed output equals the operator's to the bit.

use serde::Serialize;
use smallvec::SmallVec;

use super::{CellRef, GridId};

/// Where a tap's value comes from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Source {
    /// A cell of a grid; its [`super::CellKind`] says whether it is data, padding or an
    /// inserted zero.
    Cell(CellRef),
    /// A sample at a fractional position `(row, col)` of a grid, interpolated by `kernel`
    /// from corner cells with their weights (four for bilinear, up to sixteen for bicubic);
    /// corners outside the map read zero and are left out. The tap's value is
    /// `mask · Σ weight · corner` (the mask of a modulated deformable conv, else 1). A point a
    /// learned offset moved, and that can be dragged, has a [`super::Handle`] at its step.
    Sample { grid: GridId, kernel: SampleKernel, position: [f32; 2], corners: Box<[(CellRef, f32)]>, mask: Option<f32> },
}

impl Source {
    /// The cells this source reads.
    pub fn cells(&self) -> impl Iterator<Item = CellRef> + '_ {
        let (single, corners) = match self {
            Source::Cell(cell) => (Some(*cell), &[][..]),
            Source::Sample { corners, .. } => (None, &corners[..]),
        };
        single.into_iter().chain(corners.iter().map(|(cell, _)| *cell))
    }
}

/// How a sample mixes the cells around its position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum SampleKernel {
    /// The four cells around the position, weighted by distance.
    Bilinear,
    /// The 4×4 cells around the position, with Keys' cubic weights (A = −0.75).
    Bicubic,
}

impl SampleKernel {
    pub fn name(self) -> &'static str {
        match self {
            SampleKernel::Bilinear => "bilinear",
            SampleKernel::Bicubic => "bicubic",
        }
    }
}

/// One product inside a write: `value × weight_value = product`. Without a weight cell,
/// `weight_value` is a fixed coefficient: 1 for a copy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tap {
    /// The weight (kernel) cell, if the product has one; copies and pooling have none.
    pub weight: Option<CellRef>,
    pub weight_value: f32,
    pub source: Source,
    pub value: f32,
}

impl Tap {
    /// A weightless tap reading `value` from `source`: a copy, a summand, a pooled cell.
    pub fn copy(source: Source, value: f32) -> Tap {
        Tap { weight: None, weight_value: 1.0, source, value }
    }

    /// `value × weight`, with the weight's cell.
    pub fn weighted(weight: CellRef, weight_value: f32, source: Source, value: f32) -> Tap {
        Tap { weight: Some(weight), weight_value, source, value }
    }

    /// `value × weight_value`, computed when read rather than stored: a large trace holds
    /// hundreds of thousands of taps, and every byte of one is written at each change.
    pub fn product(&self) -> f32 {
        self.value * self.weight_value
    }
}

/// How a write combines its taps into the target.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum Combine {
    /// `target = Σ products + constant` (the old value is replaced).
    Set,
    /// `target = target + Σ products + constant` (accumulation, as in scatter).
    Accumulate,
    /// `target = max of the products` (the old value is replaced; max pooling): the first
    /// largest product wins, as in PyTorch, so `−0` before `+0` stays `−0`.
    Max,
    /// `target = (Σ products) / divisor`: an average that sums first and divides once, as
    /// PyTorch's pooling does (average pooling, area resampling, RoI bins).
    Mean { divisor: f32 },
}

/// A write's taps: a copy, a sample or a summand is one tap, held inline (a large trace has
/// hundreds of thousands of writes, and an allocation each would cost as much as the rest of
/// building it); a kernel's window spills to the heap.
pub type Taps = SmallVec<[Tap; 1]>;

/// One write of a step into one target cell.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Write {
    pub target: CellRef,
    pub combine: Combine,
    pub taps: Taps,
    /// Added after the taps: the bias of a conv (with its cell), or the zero of a padding cell.
    /// Boxed, since most writes have none: inline it would add 24 bytes (wasm32) to every
    /// write of a large trace. Read it with [`Write::constant`].
    pub constant: Option<Box<Constant>>,
    /// The target's value after this write.
    pub value: f32,
}

/// A value added after a write's taps.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Constant {
    pub value: f32,
    /// The cell holding it (a bias), if it has one.
    pub cell: Option<CellRef>,
}

impl Write {
    /// The value added after the taps, if any.
    pub fn constant(&self) -> Option<Constant> {
        self.constant.as_deref().copied()
    }

    /// Whether this write reads `cell`: as a tap's weight or data, or as its constant.
    pub fn reads(&self, cell: CellRef) -> bool {
        self.constant().and_then(|c| c.cell) == Some(cell)
            || self.taps.iter().any(|t| t.weight == Some(cell) || t.source.cells().any(|c| c == cell))
    }

    /// A write that replaces `target` by the sum of `taps` (plus `constant`), its value
    /// computed by [`Write::apply`].
    pub fn set(target: CellRef, taps: impl Into<Taps>, constant: Option<Constant>) -> Write {
        Write::new(target, Combine::Set, taps, constant, 0.0)
    }

    /// A write of `combine` into `target`, which held `current` before it; its value is
    /// computed by [`Write::apply`].
    pub fn new(
        target: CellRef,
        combine: Combine,
        taps: impl Into<Taps>,
        constant: Option<Constant>,
        current: f32,
    ) -> Write {
        let mut write = Write { target, combine, taps: taps.into(), constant: constant.map(Box::new), value: 0.0 };
        write.value = write.apply(current);
        write
    }

    /// Applies the write to `current`, the target's value before it, with the same
    /// arithmetic in the same order as the operators use.
    pub fn apply(&self, current: f32) -> f32 {
        let constant = |acc: f32| self.constant.as_ref().map_or(acc, |c| acc + c.value);
        match self.combine {
            Combine::Set => constant(sum_taps(0.0, &self.taps)),
            Combine::Accumulate => constant(sum_taps(current, &self.taps)),
            Combine::Max => max_of(self.taps.iter().map(Tap::product)),
            Combine::Mean { divisor } => sum_taps(0.0, &self.taps) / divisor,
        }
    }
}

/// The first largest value (`−∞` for none), with PyTorch's `val > max` rule.
pub fn max_of(values: impl IntoIterator<Item = f32>) -> f32 {
    values.into_iter().fold(f32::NEG_INFINITY, |best, v| if v > best { v } else { best })
}

fn sum_taps(start: f32, taps: &[Tap]) -> f32 {
    taps.iter().fold(start, |acc, tap| acc + tap.product())
}
