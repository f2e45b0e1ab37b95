//! The one integration test binary (one link on a 2-core CI).
#![cfg(not(target_arch = "wasm32"))]

mod cli;
mod code;
mod collisions;
mod facts;
mod fuzz;
mod golden;
mod i18n;
mod laws;
mod picture;
mod practice;
mod replay;
mod resize_conv;
mod sentences;
mod snapshots;
mod support;
mod tidy;
mod traced;
