//! The one wasm-bindgen handle. Each method converts types and delegates to
//! [`Session`](crate::session::Session), the scene and the painter; nothing here computes.
//! Only this module mentions wasm-bindgen or web-sys.

use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::paint;
use crate::scene::{Camera, Scene, Viewport};
use crate::session::Session;
use crate::session::practice::Kind;
use crate::text::Lang;

mod canvas;

#[wasm_bindgen]
pub struct Scope {
    session: Session,
    /// The sampling point being dragged, if any.
    dragging: Option<crate::scene::Handle>,
    canvas: Option<HtmlCanvasElement>,
    viewport: Viewport,
    /// The last painted frame, for hit-testing.
    scene: Option<Scene>,
    /// What the base of the last painted frame was, and a canvas holding it if
    /// `layer_holds_base` (a base painted straight onto the page's canvas is in no layer).
    layer: Option<HtmlCanvasElement>,
    kept_base: Option<Kept>,
    layer_holds_base: bool,
    /// When the last frame with a new base was done painting (ms since the epoch).
    last_new_base: f64,
    /// A transparent canvas holding the last painted marks, what they were and where.
    marks_layer: Option<HtmlCanvasElement>,
    kept_marks: Option<(Kept, MarksPlace)>,
    /// What the last painted frame was built from, but the hover: a frame with the same key
    /// only swaps its hover shapes (see [`Scope::render`]).
    frame_key: Option<crate::session::FrameKey>,
    /// The animation being encoded, if any.
    gif: Option<crate::animation::GifEncoder>,
}

/// What a kept layer was painted from: some shapes of a frame, where they were drawn.
struct Kept {
    viewport: Viewport,
    transform: crate::scene::Transform,
    shapes: Vec<crate::scene::Shape>,
    /// Where the frame's marks lie in `shapes` (empty if they are not among them).
    marks: std::ops::Range<usize>,
}

impl Kept {
    fn of(scene: &Scene, range: std::ops::Range<usize>) -> Kept {
        let marks = if range.start == 0 && scene.marks.end <= range.end { scene.marks.clone() } else { 0..0 };
        Kept { viewport: scene.viewport, transform: scene.transform, shapes: scene.shapes[range].to_vec(), marks }
    }

    /// Whether painting `scene.shapes[range]` would give this layer again.
    fn holds(&self, scene: &Scene, range: std::ops::Range<usize>) -> bool {
        self.viewport == scene.viewport && self.transform == scene.transform && self.shapes[..] == scene.shapes[range]
    }
}

/// Where a layer of marks is painted: the layout point at its top-left pixel, the scale and
/// its size. The marks are the same at every step while a following camera moves at nearly
/// every step, so the layer holds all the marks (up to 4096 pixels a side) and is kept
/// across moves at one scale; a larger one covers the viewport and is kept while the view
/// stays.
#[derive(Clone, Copy, PartialEq)]
struct MarksPlace {
    origin: crate::scene::Point,
    scale: f32,
    size: (u32, u32),
}

impl MarksPlace {
    const MAX_SIDE: f32 = 4096.0;

    fn of(scene: &Scene) -> MarksPlace {
        use crate::scene::{Shape, pt};
        let t = scene.transform;
        let (mut lo, mut hi) = (pt(f32::INFINITY, f32::INFINITY), pt(f32::NEG_INFINITY, f32::NEG_INFINITY));
        let mut extend = |center: &crate::scene::Point, radius: f32| {
            lo = pt(lo.x.min(center.x - radius), lo.y.min(center.y - radius));
            hi = pt(hi.x.max(center.x + radius), hi.y.max(center.y + radius));
        };
        for shape in &scene.shapes[scene.marks.clone()] {
            match shape {
                Shape::Disc { center, radius, .. } => extend(center, *radius),
                Shape::Discs { centers, radius, .. } => centers.iter().for_each(|c| extend(c, *radius)),
                _ => {}
            }
        }
        // Two pixels of air for rounding and antialiasing.
        let pad = 2.0 / t.scale;
        let (w, h) = ((hi.x - lo.x + 2.0 * pad) * t.scale, (hi.y - lo.y + 2.0 * pad) * t.scale);
        if w.is_finite() && h.is_finite() && w <= Self::MAX_SIDE && h <= Self::MAX_SIDE {
            let origin = pt(lo.x - pad, lo.y - pad);
            MarksPlace { origin, scale: t.scale, size: (w.ceil().max(1.0) as u32, h.ceil().max(1.0) as u32) }
        } else {
            let origin = t.to_unit(0.0, 0.0);
            MarksPlace { origin, scale: t.scale, size: (scene.viewport.width, scene.viewport.height) }
        }
    }

    /// Layout units to the layer's pixels.
    fn transform(&self) -> crate::scene::Transform {
        let offset = crate::scene::pt(-self.origin.x * self.scale, -self.origin.y * self.scale);
        crate::scene::Transform { scale: self.scale, offset }
    }
}

/// A new base painted within this many milliseconds after the last one was done goes straight
/// onto the canvas (see [`Scope::render`]): playback from 10 steps a second, a dragged slider,
/// a held arrow key. A base that stays longer is painted into the layer, ready for hovers.
const STREAK_MS: f64 = 100.0;

fn err(message: impl std::fmt::Display) -> JsError {
    JsError::new(&message.to_string())
}

fn failed(e: plotters_backend::DrawingErrorKind<canvas::CanvasError>) -> JsError {
    err(format!("painting failed: {e:?}"))
}

fn backend_of(canvas: &HtmlCanvasElement) -> Result<canvas::CachedCanvas, JsError> {
    canvas::CachedCanvas::new(canvas).ok_or_else(|| err("the canvas has no 2-D context"))
}

#[wasm_bindgen]
impl Scope {
    /// A session restored from the page's URL query.
    #[wasm_bindgen(constructor)]
    /// A session restored from the page's URL query; `languages` is the browser's preference
    /// list (`navigator.languages` joined by commas), used unless the query has `lang=`.
    pub fn new(query: &str, languages: &str) -> Scope {
        console_error_panic_hook::set_once();
        let mut session = Session::from_query(query);
        session.prefer_langs(languages.split(','));
        Scope {
            session,
            dragging: None,
            canvas: None,
            viewport: Viewport::new(960, 560, 1.0),
            scene: None,
            layer: None,
            kept_base: None,
            layer_holds_base: false,
            last_new_base: f64::NEG_INFINITY,
            marks_layer: None,
            kept_marks: None,
            frame_key: None,
            gif: None,
        }
    }

    pub fn version() -> String {
        env!("CARGO_PKG_VERSION").to_string()
    }

    /// Draws onto this canvas from now on.
    pub fn attach(&mut self, canvas: HtmlCanvasElement) {
        self.canvas = Some(canvas);
    }

    /// Sets the drawing size in CSS pixels and the device-pixel ratio; the canvas gets
    /// `css × dpr` pixels so lines and text stay crisp on high-DPI screens.
    pub fn resize(&mut self, css_width: f64, css_height: f64, dpr: f64) {
        let dpr = if dpr.is_finite() && dpr > 0.0 { dpr.min(4.0) } else { 1.0 };
        let to_px = |css: f64| {
            if css.is_finite() { (css.max(64.0) * dpr).round() as u32 } else { 640 }
        };
        self.viewport = Viewport::new(to_px(css_width), to_px(css_height), dpr as f32);
        if let Some(canvas) = &self.canvas {
            canvas.set_width(self.viewport.width);
            canvas.set_height(self.viewport.height);
        }
    }

    /// Paints the current frame. The frame is kept for hit-testing before it is painted, so
    /// even a failed paint leaves no frame of an older setting behind.
    ///
    /// The part of the frame that does not follow the pointer (`Scene::base`: cells, the
    /// step's highlights, marks) is kept in a canvas of its own: a frame with the same base
    /// copies it and paints only the rest, and a frame with the same [`FrameKey`] (only the
    /// hover moved) is not built again (see [`Scope::paint_hover`]). A base that follows
    /// another within [`STREAK_MS`] of its end (playback, a dragged slider, a held arrow key)
    /// is painted straight onto the canvas, and put into the layer only if a hover comes.
    ///
    /// [`FrameKey`]: crate::session::FrameKey
    pub fn render(&mut self) -> Result<(), JsError> {
        let canvas = self.canvas.clone().ok_or_else(|| err("no canvas attached"))?;
        let key = self.session.frame_key(self.viewport);
        if self.frame_key.as_ref() == Some(&key)
            && self.kept_base.is_some()
            && let Some(mut scene) = self.scene.take()
        {
            // Only the hover moved: the kept scene, its hover swapped, over the kept base.
            self.session.rehover(&mut scene);
            let painted = self.paint_hover(&canvas, &scene);
            self.scene = Some(scene);
            return painted;
        }
        // Until this frame is painted whole, no layer holds it.
        self.frame_key = None;
        let scene = self.session.scene(self.viewport, false);
        let painted = self.paint_frame(&canvas, &scene);
        self.scene = Some(scene);
        painted?;
        self.frame_key = Some(key);
        Ok(())
    }

    /// Paints a frame built anew: its base copied from the layer (painted into it first if
    /// the layer holds another), or painted straight onto the canvas; then the rest.
    fn paint_frame(&mut self, canvas: &HtmlCanvasElement, scene: &Scene) -> Result<(), JsError> {
        let mut backend = backend_of(canvas)?;
        let reuse =
            self.layer_holds_base && self.kept_base.as_ref().is_some_and(|kept| kept.holds(scene, 0..scene.base));
        // A base that changes frame after frame goes straight onto the page's canvas: in a
        // layer it would be painted, copied whole and never used again (at 1600×1000 and a
        // ratio of 2, the copy is 6.4 megapixels a frame).
        if !reuse && js_sys::Date::now() - self.last_new_base < STREAK_MS {
            self.paint_base(scene, &mut backend)?;
        } else {
            if !reuse {
                self.fill_layer(scene)?;
            }
            let layer = self.layer.as_ref().ok_or_else(|| err("no layer"))?;
            backend.copy(layer, (0.0, 0.0)).map_err(failed)?;
        }
        let painted = paint::paint_part(scene, &mut backend, scene.base..scene.shapes.len(), false).map_err(failed);
        if !reuse {
            // From the end of the frame: a heavy frame followed at once by the next change
            // (a slider dragged over a setting that takes 80 ms a frame) is still a streak.
            self.last_new_base = js_sys::Date::now();
        }
        painted
    }

    /// Paints `scene`'s base into the layer, which then holds it.
    fn fill_layer(&mut self, scene: &Scene) -> Result<(), JsError> {
        let layer = self.layer_sized(scene.viewport)?;
        let painted = backend_of(&layer).and_then(|mut into| self.paint_base(scene, &mut into));
        self.layer = Some(layer);
        painted?;
        self.layer_holds_base = true;
        Ok(())
    }

    /// The layer for the base, cleared, at the viewport's size.
    fn layer_sized(&mut self, viewport: Viewport) -> Result<HtmlCanvasElement, JsError> {
        let layer = match self.layer.take() {
            Some(layer) => layer,
            None => canvas::offscreen().ok_or_else(|| err("cannot create a canvas"))?,
        };
        // Setting the size clears the canvas.
        layer.set_width(viewport.width);
        layer.set_height(viewport.height);
        Ok(layer)
    }

    /// Paints `scene`'s base (its shapes before `Scene::base`) onto `backend`, its marks from
    /// their own layer when they stay, and keeps what it painted (no layer holds it yet).
    fn paint_base(&mut self, scene: &Scene, backend: &mut canvas::CachedCanvas) -> Result<(), JsError> {
        let (base, marks) = (scene.base, scene.marks.clone());
        // Marks unchanged since the last frame (playback, not a slider) are worth a layer.
        let marks_stay = self.kept_base.as_ref().is_some_and(|kept| {
            kept.marks.end <= kept.shapes.len() && kept.shapes[kept.marks.clone()] == scene.shapes[marks.clone()]
        });
        // Until it is painted whole, no layer holds a base.
        self.kept_base = None;
        self.layer_holds_base = false;
        paint::paint_part(scene, backend, 0..marks.start, true).map_err(failed)?;
        let place = (!marks.is_empty()).then(|| MarksPlace::of(scene));
        let layer_holds = |kept: &Option<(Kept, MarksPlace)>, place: MarksPlace| {
            kept.as_ref().is_some_and(|(k, p)| *p == place && k.shapes[..] == scene.shapes[marks.clone()])
        };
        if place.is_some_and(|p| !marks_stay && !layer_holds(&self.kept_marks, p)) {
            // New marks (a slider moved): painted in place, only those in view; a layer of
            // all of them is made when they stay for a second frame (playback).
            paint::paint_part(scene, backend, marks.clone(), false).map_err(failed)?;
        } else if let Some(place) = place {
            let marks_layer = match self.marks_layer.take() {
                Some(kept) if layer_holds(&self.kept_marks, place) => kept,
                kept => {
                    self.kept_marks = None;
                    let fresh = kept.or_else(canvas::offscreen).ok_or_else(|| err("cannot create a canvas"))?;
                    // Setting the size clears the layer to transparent.
                    fresh.set_width(place.size.0);
                    fresh.set_height(place.size.1);
                    let shapes = &scene.shapes[marks.clone()];
                    paint::paint_layer(shapes, place.transform(), place.size, &mut backend_of(&fresh)?)
                        .map_err(failed)?;
                    self.kept_marks = Some((Kept::of(scene, marks.clone()), place));
                    fresh
                }
            };
            let (x, y) = scene.transform.to_pixel(place.origin);
            let copied = backend.copy(&marks_layer, (f64::from(x.round()), f64::from(y.round()))).map_err(failed);
            self.marks_layer = Some(marks_layer);
            copied?;
        }
        paint::paint_part(scene, backend, marks.end..base, false).map_err(failed)?;
        self.kept_base = Some(Kept::of(scene, 0..base));
        Ok(())
    }

    /// Paints the kept frame after [`Session::rehover`]: the kept base layer, then the hover
    /// and what lies over it (cell texts, frame, legend) as a whole frame paints them, so the
    /// pixels are the same either way (a transparent layer of texts, composited, would differ
    /// in the last bit of their antialiasing). A base that went straight onto the canvas is
    /// put into the layer first, once.
    fn paint_hover(&mut self, canvas: &HtmlCanvasElement, scene: &Scene) -> Result<(), JsError> {
        if !self.layer_holds_base {
            self.fill_layer(scene)?;
        }
        let layer = self.layer.as_ref().ok_or_else(|| err("no frame to hover over"))?;
        let mut backend = backend_of(canvas)?;
        backend.copy(layer, (0.0, 0.0)).map_err(failed)?;
        paint::paint_part(scene, &mut backend, scene.base..scene.shapes.len(), false).map_err(failed)
    }

    /// Forgets the painted frame after a change of setting: until the next render, nothing
    /// is hit-tested against a picture of another trace.
    fn changed<T>(&mut self, result: T) -> T {
        self.scene = None;
        self.dragging = None;
        result
    }

    /// Work that waits for an idle moment after painting: freeing the runs setting changes
    /// replaced, indexing the run for hovering.
    pub fn idle(&mut self) {
        self.session.idle();
    }

    /// Frees the runs setting changes replaced; the page calls it once the new picture is
    /// on screen.
    pub fn free_retired(&mut self) {
        self.session.free_retired();
    }

    /// `[{name, title, summary}]` of every operator in the page's language, as JSON.
    pub fn operators(&self) -> String {
        self.session.operators_json().to_string()
    }

    /// The page's language, as a BCP 47 tag for `<html lang>` (`en`, `zh-CN`).
    pub fn lang(&self) -> String {
        self.session.lang().tag().to_string()
    }

    /// `[{tag, name}]` of every language, for the language menu.
    pub fn languages() -> String {
        let list: Vec<_> =
            Lang::ALL.iter().map(|l| serde_json::json!({ "tag": l.tag(), "name": l.native_name() })).collect();
        serde_json::Value::Array(list).to_string()
    }

    /// The language (a tag) a page opened with `query` in a browser preferring `languages`
    /// speaks: the page fetches its catalogue before creating the handle.
    pub fn wanted_lang(query: &str, languages: &str) -> String {
        Session::wanted_lang(query, languages.split(',')).tag().to_string()
    }

    /// Whether the words of the language `tag` are at hand (English always is).
    pub fn has_catalogue(tag: &str) -> bool {
        Lang::from_tag(tag).is_some_and(crate::text::has_catalogue)
    }

    /// Takes the catalogue of the language `tag` (the text of `pkg/i18n/<tag>.ftl`).
    pub fn load_catalogue(tag: &str, text: String) -> Result<(), JsError> {
        let lang = Lang::from_tag(tag).ok_or_else(|| err(format!("no catalogue for the language “{tag}”")))?;
        crate::text::load_catalogue(lang, text).map_err(err)
    }

    /// Switches the page's language (the URL then keeps `lang=`); its catalogue must be
    /// loaded.
    pub fn set_lang(&mut self, tag: &str) -> Result<(), JsError> {
        let lang = Lang::from_tag(tag).ok_or_else(|| err(format!("no catalogue for the language “{tag}”")))?;
        if !crate::text::has_catalogue(lang) {
            return Err(err(format!("the catalogue of “{tag}” is not loaded")));
        }
        self.session.set_lang(lang);
        let result = Ok(());
        self.changed(result)
    }

    /// One of the page's own messages (`ui-…`) in the page's language, with arguments given
    /// as a JSON object (numbers are counts) or an empty string for none.
    pub fn t(&self, id: &str, args: &str) -> Result<String, JsError> {
        let args = if args.is_empty() {
            serde_json::Map::new()
        } else {
            serde_json::from_str(args).map_err(|e| err(format!("malformed message arguments: {e}")))?
        };
        crate::text::tr_json(self.session.lang(), id, &args).map_err(err)
    }

    pub fn operator(&self) -> String {
        self.session.operator().name.to_string()
    }

    /// The current value of every control, `{name: value}` as JSON (the schema itself changes
    /// only with the operator).
    pub fn param_values(&self) -> String {
        let params = self.session.params();
        let map: serde_json::Map<String, serde_json::Value> =
            params.pairs().into_iter().map(|(name, value)| (name.to_string(), value.into())).collect();
        serde_json::Value::Object(map).to_string()
    }

    /// The current operator's controls with their current values, as JSON.
    pub fn schema(&self) -> String {
        self.session.schema_json().to_string()
    }

    /// The layers of a layers control as JSON rows `{pool, kernel_size, stride, padding, dilation}`.
    pub fn layers_json(&self, name: &str) -> String {
        let params = self.session.params();
        match params.spec(name).map(|spec| spec.kind) {
            Some(crate::params::ParamKind::Layers { .. }) => {
                serde_json::to_string(&params.layers(name)).unwrap_or_else(|_| "[]".into())
            }
            _ => "[]".into(),
        }
    }

    /// Sets a layers control from JSON rows (the page's layer editor); a pooling layer's
    /// dilation is 1 whatever the row says.
    pub fn set_layers(&mut self, name: &str, rows: &str) -> Result<(), JsError> {
        let mut layers: Vec<crate::analysis::Layer> =
            serde_json::from_str(rows).map_err(|e| err(format!("malformed layers: {e}")))?;
        layers.iter_mut().filter(|l| l.pool).for_each(|l| l.dilation = 1);
        let result = self
            .session
            .set_param(name, &crate::analysis::stack::format(&layers))
            .map_err(|e| err(self.session.tr(&e.message)));
        self.changed(result)
    }

    /// Sets a layers control from a pasted `print(model)` text; the error names the line.
    pub fn set_layers_from_model(&mut self, name: &str, text: &str) -> Result<(), JsError> {
        let result = self.session.set_layers_from_model(name, text).map_err(|e| err(self.session.tr(&e.message)));
        self.changed(result)
    }

    pub fn set_operator(&mut self, name: &str) -> Result<(), JsError> {
        let result = self.session.set_operator(name).map_err(|e| err(self.session.tr(&e)));
        self.changed(result)
    }

    /// Sets a control; an error says why (the picture stays the last valid one).
    pub fn set_param(&mut self, name: &str, value: &str) -> Result<(), JsError> {
        let result = self.session.set_param(name, value).map_err(|e| err(self.session.tr(&e.message)));
        self.changed(result)
    }

    /// The message for the current invalid setting, if any.
    pub fn error(&self) -> Option<String> {
        self.session.error_text()
    }

    /// The control the current error is about, if any.
    pub fn error_param(&self) -> Option<String> {
        self.session.error().and_then(|e| e.param.clone())
    }

    /// What the URL held that could not be used (once; later calls return nothing).
    pub fn take_warnings(&mut self) -> Vec<String> {
        let warnings = self.session.warnings();
        self.session.clear_warnings();
        warnings
    }

    pub fn step(&self) -> usize {
        self.session.step()
    }

    pub fn n_steps(&self) -> usize {
        self.session.n_steps()
    }

    pub fn seek(&mut self, step: usize) {
        self.session.seek(step);
    }

    pub fn describe(&self) -> String {
        self.session.describe()
    }

    pub fn stage_explanation(&self) -> Option<String> {
        self.session.stage_explanation()
    }

    pub fn formula(&self) -> Vec<String> {
        self.session.formula()
    }

    pub fn facts(&self) -> Vec<String> {
        self.session.facts()
    }

    pub fn summary(&self) -> String {
        self.session.summary()
    }

    /// The URL query that restores this exact picture.
    pub fn query(&self) -> String {
        self.session.to_query()
    }

    /// `{on, caption, playback}`: whether the page is embedded and what it shows, as JSON.
    pub fn embed(&self) -> String {
        let e = self.session.embed();
        serde_json::json!({ "on": e.on, "caption": e.caption, "playback": e.playback }).to_string()
    }

    /// The query of this picture on the full page, without the embed options.
    pub fn page_query(&self) -> String {
        self.session.page_query()
    }

    /// The operator and the settings that differ from its defaults, in one line.
    pub fn caption(&self) -> String {
        self.session.caption()
    }

    /// Hovers the cell under a CSS-pixel position; returns whether the picture changed.
    pub fn hover_at(&mut self, css_x: f64, css_y: f64) -> bool {
        let cell = self.hit(css_x, css_y);
        let changed = cell != self.session.hover();
        if changed {
            self.session.set_hover(cell);
        }
        changed
    }

    /// Clears the hover; returns whether the picture changed.
    pub fn hover_clear(&mut self) -> bool {
        let changed = self.session.hover().is_some();
        self.session.set_hover(None);
        changed
    }

    /// Moves the hovered cell by keyboard (see `Session::move_hover`).
    pub fn hover_move(&mut self, grids: i32, rows: i32, cols: i32) {
        self.session.move_hover(grids, rows, cols);
    }

    /// The hovered cell and its correspondences, in words.
    pub fn hover_text(&self) -> Option<String> {
        self.session.hover_text()
    }

    /// `{label, value}` of the hovered cell if it is editable, as JSON.
    pub fn editable_hovered(&self) -> Option<String> {
        let cell = self.session.hover()?;
        self.editable_json(cell)
    }

    /// Whether a draggable sampling point is under a CSS-pixel position.
    pub fn handle_at(&self, css_x: f64, css_y: f64) -> bool {
        let dpr = f64::from(self.viewport.dpr);
        self.scene.as_ref().and_then(|s| s.hit_handle((css_x * dpr) as f32, (css_y * dpr) as f32)).is_some()
    }

    /// Starts dragging the sampling point under a CSS-pixel position; returns whether there
    /// is one.
    pub fn drag_start(&mut self, css_x: f64, css_y: f64) -> bool {
        let dpr = f64::from(self.viewport.dpr);
        self.dragging = self.scene.as_ref().and_then(|s| s.hit_handle((css_x * dpr) as f32, (css_y * dpr) as f32));
        self.dragging.is_some()
    }

    /// Moves the dragged point to a CSS-pixel position (its offset, or the controls it sets,
    /// follow).
    pub fn drag_to(&mut self, css_x: f64, css_y: f64) -> Result<(), JsError> {
        let Some(handle) = self.dragging else { return Ok(()) };
        let dpr = f64::from(self.viewport.dpr);
        let scene = self.scene.as_ref().ok_or_else(|| err("nothing is drawn yet"))?;
        let position = scene
            .grid_point(handle.grid, (css_x * dpr) as f32, (css_y * dpr) as f32)
            .ok_or_else(|| err("the grid is not drawn"))?;
        let result = self.session.drag(&handle.setter, position).map_err(|e| err(self.session.tr(&e)));
        // The drag goes on: only the frame is stale.
        self.scene = None;
        result
    }

    pub fn drag_end(&mut self) {
        self.dragging = None;
    }

    /// Applies a click's pick (e.g. choosing the output pixel on a gridding map); returns
    /// whether the click chose something.
    pub fn pick_at(&mut self, css_x: f64, css_y: f64) -> bool {
        let picked = self.hit(css_x, css_y).is_some_and(|cell| self.session.pick(cell));
        if picked { self.changed(true) } else { false }
    }

    /// `{label, value}` of the editable cell under a CSS-pixel position, as JSON, if any.
    pub fn editable_at(&self, css_x: f64, css_y: f64) -> Option<String> {
        self.editable_json(self.hit(css_x, css_y)?)
    }

    /// `{label, value, cell}` of an editable cell, as JSON: the page's editor carries `cell`
    /// back to [`Scope::edit_cell`], so a resize or a repaint in between cannot change which
    /// cell is edited.
    fn editable_json(&self, cell: crate::trace::CellRef) -> Option<String> {
        self.session.editable_cell(cell)?;
        let grid = self.session.run().trace.grid_of(cell)?;
        let json = serde_json::json!({
            "label": grid.label(cell.index),
            "value": grid.value(cell.index),
            "cell": [cell.grid, cell.index[0], cell.index[1], cell.index[2], cell.index[3]],
        });
        Some(json.to_string())
    }

    /// Types a value into the cell an editor was opened for: `[grid, n, c, row, col]`.
    pub fn edit_cell(&mut self, cell: &[u32], value: &str) -> Result<(), JsError> {
        let [grid, n, c, row, col] = <[u32; 5]>::try_from(cell).map_err(|_| err("a cell is [grid, n, c, row, col]"))?;
        let cell = crate::trace::CellRef { grid: grid as usize, index: [n, c, row, col].map(|v| v as usize) };
        let result = self.session.edit_cell(cell, value).map_err(|e| err(self.session.tr(&e)));
        self.changed(result)
    }

    pub fn reset_edits(&mut self) {
        self.session.reset_edits();
        self.changed(());
    }

    /// Zooms by `factor` (> 1: closer) about a CSS-pixel position of the picture.
    pub fn zoom_at(&mut self, factor: f64, css_x: f64, css_y: f64) {
        let dpr = f64::from(self.viewport.dpr);
        if let Some(scene) = &self.scene {
            let camera = scene.zoomed(factor as f32, (css_x * dpr) as f32, (css_y * dpr) as f32);
            self.session.set_camera(camera);
        }
    }

    /// Moves the picture by a drag of `(dx, dy)` CSS pixels.
    pub fn pan_by(&mut self, dx: f64, dy: f64) {
        let dpr = f64::from(self.viewport.dpr);
        if let Some(scene) = &self.scene {
            self.session.set_camera(scene.panned((dx * dpr) as f32, (dy * dpr) as f32));
        }
    }

    /// Centres the picture on the point of the overview under a CSS-pixel position; returns
    /// whether there was one.
    pub fn overview_at(&mut self, css_x: f64, css_y: f64) -> bool {
        let dpr = f64::from(self.viewport.dpr);
        let camera = self.scene.as_ref().and_then(|s| s.overview_camera((css_x * dpr) as f32, (css_y * dpr) as f32));
        camera.map(|c| self.session.set_camera(c)).is_some()
    }

    /// Shows the whole picture (numbers may be too small to draw).
    pub fn zoom_fit(&mut self) {
        self.session.set_camera(Camera::Fit);
    }

    /// Follows the step again: zoomed to legible cells when the whole picture would not be.
    pub fn zoom_follow(&mut self) {
        self.session.set_camera(Camera::default());
    }

    /// `{mode, zoom, cropped}` of the frame on screen, as JSON: mode `fit`, `follow` or
    /// `free`; `zoom` relative to the whole picture; `cropped` when part of it is off screen.
    pub fn zoom_state(&self) -> String {
        let mode = match self.session.camera() {
            Camera::Fit => "fit",
            Camera::Follow => "follow",
            Camera::Free { .. } => "free",
        };
        let (zoom, cropped) =
            self.scene.as_ref().map_or((1.0, false), |s| (s.shot.scale / s.shot.fit_scale, s.shot.cropped));
        serde_json::json!({ "mode": mode, "zoom": zoom, "cropped": cropped }).to_string()
    }

    /// The practice as JSON (`null` when not practising); see `Session::practice_json`.
    pub fn practice(&self) -> String {
        self.session.practice_json().to_string()
    }

    /// The kinds of question the current run can ask, as `[{name, label}]`.
    pub fn practice_kinds(&self) -> String {
        self.session.practice_kinds_json().to_string()
    }

    /// Starts practising `kind` (`value`, `shape`, `field`) from question 1 of `seed`'s
    /// sequence; `""` stops.
    pub fn set_practice(&mut self, kind: &str, seed: u32) -> Result<(), JsError> {
        let kind = match kind {
            "" => None,
            name => Some(Kind::from_name(name).ok_or_else(|| JsError::new(&format!("no practice kind {name:?}")))?),
        };
        self.session.set_practice(kind, u64::from(seed));
        Ok(())
    }

    /// Checks a typed answer; returns the message for the host page as JSON, or `None` when
    /// nothing was counted (not a number, a question already closed).
    pub fn practice_check(&mut self, text: &str) -> Option<String> {
        self.session.practice_check(text).1.map(|v| v.to_string())
    }

    /// Shows the hint: the step's sentence with the result hidden.
    pub fn practice_hint(&mut self) {
        self.session.practice_hint();
    }

    /// Adds the cell under a CSS point to a cells question's choice, or takes it out;
    /// returns whether it did (a click elsewhere does what it always does).
    pub fn practice_pick_at(&mut self, css_x: f64, css_y: f64) -> bool {
        let Some(cell) = self.hit(css_x, css_y) else { return false };
        self.session.practice_toggle(cell)
    }

    /// The same for the keyboard cursor's cell.
    pub fn practice_pick_hovered(&mut self) -> bool {
        self.session.hover().is_some_and(|cell| self.session.practice_toggle(cell))
    }

    /// Whether a shape or field question hides the output, the formulas and the step count.
    pub fn practice_conceals(&self) -> bool {
        self.session.practice_conceals()
    }

    /// The last step the picture may show while a practice question is open.
    pub fn practice_limit(&self) -> Option<usize> {
        self.session.practice_limit()
    }

    pub fn practice_reveal(&mut self) {
        self.session.practice_reveal();
    }

    pub fn practice_next(&mut self) {
        self.session.practice_next();
    }

    /// The current frame, with its step sentence, as an SVG document.
    /// "Copy as PyTorch": the Python script of the shown setting, or why there is none.
    pub fn pytorch_script(&self) -> Result<String, JsError> {
        self.session.pytorch_script().map_err(err)
    }

    /// The current frame as SVG, with the step sentence and (with `caption`) the one-line
    /// caption under it.
    pub fn export_svg(&self, caption: bool) -> String {
        paint::to_svg(&self.session.export_scene(self.viewport, caption))
    }

    /// Paints an exported frame onto `canvas` (sized here): the current view at `scale`
    /// device pixels per CSS pixel (a 2× PNG), or with `step` the whole picture of that step
    /// at one pixel per CSS pixel (a GIF's frame); the session stays where it is.
    pub fn paint_export(
        &self,
        canvas: HtmlCanvasElement,
        scale: f64,
        step: Option<usize>,
        caption: bool,
    ) -> Result<(), JsError> {
        let (css_w, css_h) = (
            f64::from(self.viewport.width) / f64::from(self.viewport.dpr),
            f64::from(self.viewport.height) / f64::from(self.viewport.dpr),
        );
        let scale = if scale.is_finite() { scale.clamp(0.5, 4.0) } else { 1.0 };
        let viewport = Viewport::new((css_w * scale).round() as u32, (css_h * scale).round() as u32, scale as f32);
        let scene = match step {
            Some(step) => self.session.export_scene_at(viewport, caption, step, Camera::Fit),
            None => self.session.export_scene_at(viewport, caption, self.session.step(), self.session.camera()),
        };
        canvas.set_width(viewport.width);
        canvas.set_height(viewport.height);
        let mut backend = canvas::CachedCanvas::new(&canvas).ok_or_else(|| err("the canvas has no 2-D context"))?;
        paint::paint(&scene, &mut backend).map_err(|e| err(format!("painting failed: {e:?}")))
    }

    /// Starts an animation of `width`×`height` RGBA frames at `fps`, looping `loops` times (0:
    /// forever), with its palette from two sample frames (the first and the last).
    pub fn gif_begin(
        &mut self,
        width: u32,
        height: u32,
        fps: f32,
        loops: u16,
        first: &[u8],
        last: &[u8],
    ) -> Result<(), JsError> {
        let known: Vec<[u8; 3]> = crate::scene::palette::SOLID.iter().map(|c| [c.0, c.1, c.2]).collect();
        let encoder =
            crate::animation::GifEncoder::new(width, height, (fps, loops), &known, (&[first, last], 4)).map_err(err)?;
        self.gif = Some(encoder);
        Ok(())
    }

    /// Adds one RGBA frame (a canvas's `getImageData().data`).
    pub fn gif_add_frame(&mut self, rgba: &[u8]) -> Result<(), JsError> {
        self.gif.as_mut().ok_or_else(|| err("no animation started"))?.add_frame(rgba, 4).map_err(err)
    }

    /// The finished GIF file; the encoder is dropped (also when cancelled: `gif_cancel`).
    pub fn gif_finish(&mut self) -> Result<Vec<u8>, JsError> {
        self.gif.take().ok_or_else(|| err("no animation started"))?.finish().map_err(err)
    }

    pub fn gif_cancel(&mut self) {
        self.gif = None;
    }

    fn hit(&self, css_x: f64, css_y: f64) -> Option<crate::trace::CellRef> {
        let dpr = f64::from(self.viewport.dpr);
        self.scene.as_ref()?.hit((css_x * dpr) as f32, (css_y * dpr) as f32)
    }
}
