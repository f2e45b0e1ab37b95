//! Argument specs that several `convscope eval` operations share, in PyTorch's names and
//! defaults (see [`crate::args`]).

use crate::args::{ArgSpec, Default, Kind, MAX_INT_ARG};

/// A conv's or pool's input: `(N, C, H, W)` or unbatched `(C, H, W)`.
pub const INPUT: ArgSpec = ArgSpec::new("input", Kind::Tensor { min_dims: 3, max_dims: 4 }, Default::Required);
/// An input that must be batched `(N, C, H, W)` (torchvision's ops, ONNX's DepthToSpace).
pub const INPUT4: ArgSpec = ArgSpec::new("input", Kind::Tensor { min_dims: 4, max_dims: 4 }, Default::Required);
pub const WEIGHT: ArgSpec = ArgSpec::new("weight", Kind::Tensor { min_dims: 4, max_dims: 4 }, Default::Required);
pub const BIAS: ArgSpec = ArgSpec::new("bias", Kind::Tensor { min_dims: 1, max_dims: 1 }, Default::None);
pub const STRIDE: ArgSpec =
    ArgSpec::new("stride", Kind::IntPair { min: 1, max: MAX_INT_ARG, one: true }, Default::Int(1));
pub const PADDING: ArgSpec =
    ArgSpec::new("padding", Kind::IntPair { min: 0, max: MAX_INT_ARG, one: true }, Default::Int(0));
/// `F.conv2d`'s padding: numbers, `"same"` or `"valid"`.
pub const CONV_PADDING: ArgSpec = ArgSpec::new("padding", Kind::Padding { max: MAX_INT_ARG }, Default::Int(0));
pub const DILATION: ArgSpec =
    ArgSpec::new("dilation", Kind::IntPair { min: 1, max: MAX_INT_ARG, one: true }, Default::Int(1));
pub const GROUPS: ArgSpec = ArgSpec::new("groups", Kind::Int { min: 1, max: MAX_INT_ARG }, Default::Int(1));
pub const KERNEL_SIZE: ArgSpec =
    ArgSpec::new("kernel_size", Kind::IntPair { min: 1, max: MAX_INT_ARG, one: true }, Default::Required);
pub const CEIL_MODE: ArgSpec = ArgSpec::new("ceil_mode", Kind::Bool, Default::Bool(false));
/// A pooling's `stride`: `None` (or `[]`) means the kernel size.
pub const POOL_STRIDE: ArgSpec =
    ArgSpec::new("stride", Kind::IntPair { min: 1, max: MAX_INT_ARG, one: true }, Default::None);
/// torchvision's `_pair` arguments take an integer or exactly two.
pub const OUTPUT_SIZE: ArgSpec =
    ArgSpec::new("output_size", Kind::IntPair { min: 1, max: MAX_INT_ARG, one: false }, Default::Required);
pub const fn strict_pair(name: &'static str, min: i64, default: i64) -> ArgSpec {
    ArgSpec::new(name, Kind::IntPair { min, max: MAX_INT_ARG, one: false }, Default::Int(default))
}
pub const SPATIAL_SCALE: ArgSpec =
    ArgSpec::new("spatial_scale", Kind::Float { min: 0.0, max: 1.0e6 }, Default::Float(1.0));
