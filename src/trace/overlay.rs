//! What a trace draws besides its grids' cells: [`Chart`]s beside them, [`Mark`]s and
//! [`BoxMark`]s on them, and draggable [`Handle`]s. A handle and a click on a grid both set
//! something through one [`Setter`]: two controls by a [`ParamMap`], or two entries of the
//! editable offset tensor by an [`OffsetDrag`].

use serde::Serialize;

use super::GridId;
use crate::text::Msg;

/// A line chart beside the grids (e.g. one row of several overlap maps), shown whole.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Chart {
    pub title: Msg,
    pub x_label: Msg,
    pub y_label: Msg,
    pub series: Vec<Series>,
    /// The row of the picture the chart is drawn in (see [`super::Grid::lane`]).
    pub lane: usize,
}

/// One named line of a chart.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Series {
    pub name: Msg,
    pub points: Vec<(f32, f32)>,
    /// Text written beside each point (its number), parallel to `points`; empty for none.
    pub labels: Vec<String>,
}

impl Series {
    /// A series without point labels.
    pub fn line(name: impl Into<Msg>, points: Vec<(f32, f32)>) -> Series {
        Series { name: name.into(), points, labels: Vec::new() }
    }
}

/// A rectangle on a grid in fractional `(row, col)` cell coordinates where cell `(r, c)`
/// spans `r…r + 1`; `step` shows it only during that step (1-based, as the scene's step
/// count), else always.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BoxMark {
    pub grid: GridId,
    pub min: [f32; 2],
    pub max: [f32; 2],
    pub step: Option<usize>,
}

/// A fractional `(row, col)` position on a grid, drawn as a small dot at every step.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Mark {
    pub grid: GridId,
    pub position: [f32; 2],
}

/// A draggable point at a fractional `(row, col)` of a grid (cell centres at integers).
/// `step` shows it only during that step (1-based; a deformable conv's sampling points, which
/// the step's sample marks), else always.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Handle {
    pub grid: GridId,
    pub position: [f32; 2],
    pub step: Option<usize>,
    pub setter: Setter,
}

/// What moving a handle to, or clicking, a position of its grid sets.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum Setter {
    /// Two integer controls (a RoI's corner; the gridding map's output pixel).
    Params(ParamMap),
    /// Two entries of the editable offset tensor (a deformable sampling point or RoI bin).
    Offsets(OffsetDrag),
}

/// A fractional `(row, col)` of a grid → two integer controls:
/// `params[a] = round((position[a] − offset[a])·scale)`, clamped to `limits` (if any) and to
/// the control's range.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ParamMap {
    pub params: [&'static str; 2],
    pub offset: [f64; 2],
    pub scale: f64,
    pub limits: Option<[i64; 2]>,
}

impl ParamMap {
    /// The two values for `position`, before the controls' own ranges clamp them.
    pub fn values(&self, position: [f32; 2]) -> [i64; 2] {
        [0, 1].map(|a| {
            let value = ((f64::from(position[a]) - self.offset[a]) * self.scale).round();
            let value = if value.is_finite() { value.clamp(-1e15, 1e15) as i64 } else { 0 };
            self.limits.map_or(value, |[lo, hi]| value.clamp(lo, hi))
        })
    }
}

/// A point a learned offset moved from `anchor`: moving it to `(row, col)` sets offset entry
/// `entries[0]` to `(row − anchor[0])·scale[0]` and `entries[1]` likewise (a deformable conv's
/// (dy, dx) in cells; a RoI bin's offsets in RoI sizes). The offset is drawn as an arrow
/// from the anchor.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct OffsetDrag {
    pub anchor: [f32; 2],
    pub entries: [[usize; 4]; 2],
    pub scale: [f32; 2],
}

impl OffsetDrag {
    /// The two entries' values for `position`.
    pub fn values(&self, position: [f32; 2]) -> [f32; 2] {
        [0, 1].map(|a| (position[a] - self.anchor[a]) * self.scale[a])
    }
}
