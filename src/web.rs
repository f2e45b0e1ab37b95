//! The one wasm-bindgen handle (placeholder while the core is written).
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Scope {}

#[wasm_bindgen]
impl Scope {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Scope {
        Scope {}
    }
    pub fn version(&self) -> String {
        env!("CARGO_PKG_VERSION").to_string()
    }
}
