//! convscope: step-by-step, numerically exact views of the convolution operators that
//! semantic-segmentation decoders are built from.
//!
//! Data flows one way:
//!
//! 1. [`params`]: raw values (sliders, URL, JSON) → checked [`params::Params`] or a
//!    [`params::ParamError`] in the user's terms.
//! 2. [`ops`]: the one registry of operators; each runs on NCHW `f32` tensors and emits its
//!    output plus a [`trace::Trace`] of stages and steps that replays to the output exactly.
//! 3. [`scene`]: (trace, step, hover) → a display list of shapes in grid units, with one
//!    transform to pixels and its inverse for hit-testing.
//! 4. [`paint`]: display list → any plotters `DrawingBackend` (canvas, SVG, bitmap).
//!
//! [`session`] holds what the page shows (operator, parameters, edits, step, hover) and its
//! URL form; [`eval`] answers `convscope eval` requests. Only `web` (wasm32 only) knows about
//! the browser.

pub mod analysis;
pub mod animation;
pub mod args;
pub mod counts;
pub mod eval;
pub mod ops;
pub mod paint;
pub mod params;
pub mod scene;
pub mod session;
pub mod text;
pub mod trace;

#[cfg(target_arch = "wasm32")]
pub mod web;
