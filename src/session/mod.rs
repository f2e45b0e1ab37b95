//! What the page shows and remembers: operator, parameters, edited cells, step and hover, and
//! their URL form. Pure: the wasm handle and the CLI both drive a `Session`.
//!
//! A setting with no valid output keeps the last valid run on screen and reports why
//! ([`Session::error`]); bad URL values are reported ([`Session::warnings`]) and replaced by
//! defaults. Nothing here panics on user input.

mod hover;
pub mod practice;
mod url;

use crate::msg;
use crate::ops::{self, Edits, Operator, Run, Tensor};
use crate::params::{ParamError, Params};
use crate::scene::{self, Camera, Scene, View, Viewport, describe};
use crate::text::{Lang, Msg};
use crate::trace::{CellIndex, CellKind, CellRef, OffsetDrag, ParamMap, Replay, Setter};

/// Most edited cells kept (in the URL too).
pub(crate) const MAX_EDITS: usize = 256;
/// Largest magnitude a typed-in cell value may have.
pub(crate) const MAX_CELL_VALUE: f32 = 1.0e6;

/// `embed=1` and what an embedded page shows besides the picture: `caption=0` hides the
/// one-line caption, `playback=0` the playback bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Embed {
    pub on: bool,
    pub caption: bool,
    pub playback: bool,
}

impl Default for Embed {
    fn default() -> Embed {
        Embed { on: false, caption: true, playback: true }
    }
}

pub struct Session {
    op: &'static Operator,
    params: Params,
    edits: Edits,
    run: Run,
    /// Which run `run` is (unique in the process, even across sessions): part of
    /// [`FrameKey`], so a kept frame is never taken for the frame of another run.
    run_id: u64,
    /// The parameters and edits of `run`, the picture on screen: what the URL records, so a
    /// shared link never carries a setting that has no valid output.
    shown: (Params, Edits),
    error: Option<ParamError>,
    warnings: Vec<Msg>,
    step: usize,
    hover: Option<CellRef>,
    related: Vec<CellRef>,
    embed: Embed,
    /// Where the picture looks: zoom and pan, or following the step.
    camera: Camera,
    /// `run` replayed to some step, for the next frame to start from (see [`Session::replayed`]).
    replayed: std::cell::RefCell<Option<Replay>>,
    /// Which writes target and read each cell of `run`, built at the first hover.
    index: std::cell::OnceCell<CellIndex>,
    /// Runs replaced (with their cell indexes) since the last [`Session::free_retired`], at
    /// most two, waiting to be freed.
    retired: Vec<(Run, std::cell::OnceCell<CellIndex>)>,
    /// The language of every word shown, and whether the reader chose it (`lang=` in the URL
    /// or the menu: then the URL keeps it) rather than the browser.
    lang: Lang,
    lang_chosen: bool,
    /// Practice mode's question and score, when the page practises.
    practice: Option<practice::Practice>,
}

impl Default for Session {
    fn default() -> Session {
        Session::with_operator(ops::OPERATORS[0])
    }
}

impl Session {
    fn with_operator(op: &'static Operator) -> Session {
        let mut params = Params::defaults(op.schema);
        op.expand(&mut params);
        let run = op.run(&params, &Edits::new()).unwrap_or_else(|e| {
            // The registry tests run every operator at its defaults, so this cannot happen.
            panic!("{} fails at its defaults: {e}", op.name)
        });
        Session {
            op,
            shown: (params.clone(), Edits::new()),
            params,
            edits: Edits::new(),
            run,
            run_id: next_run_id(),
            error: None,
            warnings: Vec::new(),
            step: 0,
            hover: None,
            related: Vec::new(),
            embed: Embed::default(),
            camera: Camera::default(),
            replayed: Default::default(),
            index: Default::default(),
            retired: Vec::new(),
            lang: Lang::default(),
            lang_chosen: false,
            practice: None,
        }
    }

    /// Where a page opens without a `step`: at the start, or, for an analysis with nothing to
    /// multiply (no step has taps), showing everything.
    fn opening_step(&self) -> usize {
        let analysis = self.run.trace.steps.iter().all(|step| step.writes.iter().all(|w| w.taps.is_empty()));
        if analysis { self.n_steps() } else { 0 }
    }

    /// Whether an edit names a cell the current run's tensors have: an input or kernel cell
    /// shown in an editable grid, or an offset some handle of the trace sets.
    fn edit_applies(&self, (tensor, index): (Tensor, [usize; 4])) -> bool {
        let trace = &self.run.trace;
        match tensor {
            Tensor::Offset => {
                trace.handles.iter().any(|h| matches!(h.setter, Setter::Offsets(drag) if drag.entries.contains(&index)))
            }
            Tensor::Input | Tensor::Weight => self.run.editable.iter().filter(|e| e.tensor == tensor).any(|e| {
                let grid = &trace.grids[e.grid];
                let row = index[2] as isize - grid.origin[0];
                let col = index[3] as isize - grid.origin[1];
                let cell = [index[0], index[1], row.max(0) as usize, col.max(0) as usize];
                row >= 0
                    && col >= 0
                    && cell.iter().zip(grid.shape).all(|(&i, len)| i < len)
                    && grid.kind(cell) == CellKind::Value
            }),
        }
    }

    pub fn operator(&self) -> &'static Operator {
        self.op
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    pub fn run(&self) -> &Run {
        &self.run
    }

    /// Whether the page is embedded, and what the embedded page shows.
    pub fn embed(&self) -> Embed {
        self.embed
    }

    /// One line naming what the picture shows: the operator and the settings that differ
    /// from its defaults (PyTorch's argument names), and how many cells were edited.
    pub fn caption(&self) -> String {
        let lang = self.lang;
        let (params, edits) = &self.shown;
        // The settings that differ from the defaults and are read (an inactive control is not).
        let mut parts: Vec<String> = params
            .changed_pairs()
            .into_iter()
            .filter(|(k, _)| params.active(k))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if !edits.is_empty() {
            let n = edits.len();
            parts.push(msg!("caption-edited", n = n).tr(lang));
        }
        let title = Msg::id(self.op.title);
        if parts.is_empty() {
            msg!("caption-defaults", title = title).tr(lang)
        } else {
            msg!("caption-changed", title = title, changes = parts.join(", ")).tr(lang)
        }
    }

    /// "Copy as PyTorch": one self-contained Python script that rebuilds the shown tensors,
    /// calls PyTorch with the shown arguments, checks the result against the shown numbers and
    /// prints it as JSON; or why this view has none yet.
    pub fn pytorch_script(&self) -> Result<String, String> {
        match &self.run.pytorch {
            Some(program) => Ok(crate::ops::code::script(program, &self.caption())),
            None => Err(msg!("code-unavailable", title = Msg::id(self.op.title)).tr(self.lang)),
        }
    }

    /// Why the current setting shows the previous picture, if it does.
    pub fn error(&self) -> Option<&ParamError> {
        self.error.as_ref()
    }

    /// What the URL held that could not be used.
    pub fn warnings(&self) -> Vec<String> {
        self.warnings.iter().map(|w| w.tr(self.lang)).collect()
    }

    pub fn clear_warnings(&mut self) {
        self.warnings.clear();
    }

    pub fn step(&self) -> usize {
        self.step
    }

    /// Number of steps; valid positions are `0..=n_steps()`.
    pub fn n_steps(&self) -> usize {
        self.run.trace.steps.len()
    }

    /// Switches operator, starting from its defaults.
    pub fn set_operator(&mut self, name: &str) -> Result<(), Msg> {
        let op = ops::find(name).ok_or_else(|| msg!("op-unknown", name = clip(name)))?;
        let (embed, lang, lang_chosen) = (self.embed, self.lang, self.lang_chosen);
        let practice = self.practice.take();
        *self = Session::from_query(&format!("op={}", op.name));
        (self.embed, self.lang, self.lang_chosen, self.practice) = (embed, lang, lang_chosen, practice);
        self.ask();
        Ok(())
    }

    /// Sets one control. An out-of-range value is refused (the old one stays); a value that
    /// makes the whole setting invalid is kept, with the last valid picture and an error.
    /// Sets layer-stack control `name` from what `print(model)` shows; a line that cannot be
    /// read is an error naming it, and the setting stays as it was.
    pub fn set_layers_from_model(&mut self, name: &str, text: &str) -> Result<(), ParamError> {
        let layers = crate::analysis::model::parse_model(text).map_err(|e| ParamError::new(name, e.msg()))?;
        let layers: Vec<_> = layers.into_iter().map(|l| l.layer).collect();
        self.set_param(name, &crate::analysis::stack::format(&layers))
    }

    pub fn set_param(&mut self, name: &str, raw: &str) -> Result<(), ParamError> {
        let mut params = self.params.clone();
        params.set(name, raw)?;
        // Editing a control that the preset fills in (the preset would overwrite the edit)
        // leaves the preset for "custom".
        if name != "preset" && params.spec("preset").is_some() {
            let mut probe = params.clone();
            self.op.expand(&mut probe);
            if probe.get(name) != params.get(name) {
                let _ = params.set("preset", "custom");
            }
        }
        self.op.expand(&mut params);
        self.params = params;
        self.rerun();
        match &self.error {
            Some(err) => Err(err.clone()),
            None => Ok(()),
        }
    }

    fn rerun(&mut self) {
        match self.op.run(&self.params, &self.edits) {
            Ok(run) => {
                let at_end = self.step == self.n_steps();
                // The old run and its index are freed after the new picture is on screen
                // (see `free_retired`): freeing a large trace costs a sixth as much as building
                // it, and the reader waits for the new picture. Here only when the page did
                // not get to it, so that memory stays bounded.
                let old = std::mem::replace(&mut self.run, run);
                self.run_id = next_run_id();
                if self.retired.len() >= 2 {
                    self.retired.remove(0);
                }
                self.retired.push((old, std::mem::take(&mut self.index)));
                *self.replayed.get_mut() = None;
                // Edits of cells the tensors no longer have (after a size went down) stay in
                // the session, for when it goes back up, but not in the shared URL.
                let applied =
                    self.edits.iter().filter(|&(&key, _)| self.edit_applies(key)).map(|(&k, &v)| (k, v)).collect();
                self.shown = (self.params.clone(), applied);
                self.error = None;
                self.step = if at_end { self.n_steps() } else { self.step.min(self.n_steps()) };
                self.set_hover(None);
                // A practised question is asked again of the new run.
                self.ask();
            }
            Err(err) => self.error = Some(err),
        }
    }

    /// The cell index of the run, built when first asked for.
    pub(crate) fn cell_index(&self) -> &CellIndex {
        self.index.get_or_init(|| CellIndex::new(&self.run.trace))
    }

    /// Work that can wait until the new picture is on screen and the browser is idle: frees
    /// the runs that setting changes replaced and builds the cell index the first hover needs.
    pub fn idle(&mut self) {
        self.free_retired();
        self.cell_index();
    }

    /// Frees the runs that setting changes replaced: the page calls it once a new picture is
    /// on screen, before the next change can come.
    pub fn free_retired(&mut self) {
        self.retired.clear();
    }

    /// Moves to step `step` (clamped to `0..=n_steps()`, and while a practice question is
    /// open, to its step: the picture never shows its answer).
    pub fn seek(&mut self, step: usize) {
        self.step = step.min(self.n_steps()).min(self.practice_limit().unwrap_or(usize::MAX));
        // A hovered kernel tap shows what it does at this step.
        if let Some(cell) = self.hover {
            self.set_hover(Some(cell));
        }
    }

    /// Applies the run's pick (e.g. choosing an output pixel on a gridding map) for a clicked
    /// cell; returns whether it applied.
    pub fn pick(&mut self, cell: CellRef) -> bool {
        let Some(pick) = self.run.pick.filter(|p| p.grid == cell.grid) else { return false };
        if self.run.trace.grid_of(cell).is_none() {
            return false;
        }
        self.set_params(&pick.map, [cell.index[2] as f32, cell.index[3] as f32]).is_ok()
    }

    /// The tensor and index a grid cell shows, if the user may edit it.
    pub fn editable_cell(&self, cell: CellRef) -> Option<(Tensor, [usize; 4])> {
        let editable = self.run.editable.iter().find(|e| e.grid == cell.grid)?;
        let grid = self.run.trace.grid_of(cell)?;
        if grid.kind(cell.index) != CellKind::Value {
            return None;
        }
        let row = usize::try_from(cell.index[2] as isize + grid.origin[0]).ok()?;
        let col = usize::try_from(cell.index[3] as isize + grid.origin[1]).ok()?;
        Some((editable.tensor, [cell.index[0], cell.index[1], row, col]))
    }

    /// Types a value into an input or kernel cell.
    pub fn edit_cell(&mut self, cell: CellRef, raw: &str) -> Result<(), Msg> {
        let (tensor, index) = self.editable_cell(cell).ok_or(msg!("edit-not-editable"))?;
        let value: f32 =
            raw.trim().replace('−', "-").parse().map_err(|_| msg!("edit-not-a-number", raw = clip(raw)))?;
        if !value.is_finite() || value.abs() > MAX_CELL_VALUE {
            return Err(msg!("edit-out-of-range", max = format!("{MAX_CELL_VALUE:e}")));
        }
        if self.edits.len() >= MAX_EDITS && !self.edits.contains_key(&(tensor, index)) {
            return Err(msg!("edit-too-many", n = MAX_EDITS));
        }
        self.edits.insert((tensor, index), value);
        self.rerun();
        Ok(())
    }

    /// Moves a handle to `position` (a fractional `(row, col)` of its grid): sets what its
    /// setter names.
    pub fn drag(&mut self, setter: &Setter, position: [f32; 2]) -> Result<(), Msg> {
        if !position.iter().all(|v| v.is_finite()) {
            return Err(msg!("drag-off-picture"));
        }
        match setter {
            Setter::Params(map) => self.set_params(map, position),
            Setter::Offsets(drag) => self.set_offsets(drag, position),
        }
    }

    /// The offset entries of `drag` become `(position − anchor)·scale`, rounded to hundredths
    /// and kept within ±32.
    fn set_offsets(&mut self, drag: &OffsetDrag, position: [f32; 2]) -> Result<(), Msg> {
        let round = |v: f32| if v.is_finite() { ((v * 100.0).round() / 100.0).clamp(-32.0, 32.0) } else { 0.0 };
        let values = drag.values(position).map(round);
        let added = drag.entries.iter().filter(|i| !self.edits.contains_key(&(Tensor::Offset, **i))).count();
        if self.edits.len() + added > MAX_EDITS {
            return Err(msg!("edit-too-many", n = MAX_EDITS));
        }
        for (i, v) in drag.entries.into_iter().zip(values) {
            self.edits.insert((Tensor::Offset, i), v);
        }
        self.rerun();
        Ok(())
    }

    /// Sets the two controls of `map` from `position`, clamped to their ranges. An invalid
    /// combination (an inverted box) is reported like any setting.
    fn set_params(&mut self, map: &ParamMap, position: [f32; 2]) -> Result<(), Msg> {
        for (name, value) in map.params.into_iter().zip(map.values(position)) {
            let value = match self.params.spec(name).map(|s| s.kind) {
                Some(crate::params::ParamKind::Int { min, max, .. }) => value.clamp(min, max),
                _ => return Err(msg!("param-not-number-control", name = name)),
            };
            let _ = self.set_param(name, &value.to_string());
        }
        Ok(())
    }

    /// Forgets every edited cell.
    pub fn reset_edits(&mut self) {
        self.edits.clear();
        self.rerun();
    }

    /// The status sentence for the current step (the live region reads it).
    pub fn describe(&self) -> String {
        self.step_sentence(self.step).tr(self.lang)
    }

    /// The sentence of `step`; at an open practice question's step, it names the cell and
    /// leaves the working to the reader (the hint shows the terms).
    fn step_sentence(&self, step: usize) -> Msg {
        if let Some(sentence) = self.practice_sentence() {
            return sentence;
        }
        match self.practice_question().filter(|q| q.step == step).and_then(|q| q.hidden_cell()) {
            Some(cell) => {
                let trace = &self.run.trace;
                let stage = &trace.stages[trace.steps[step - 1].stage];
                msg!(
                    "practice-step",
                    i = step,
                    n = trace.steps.len(),
                    stage = &stage.name,
                    cell = trace.grids[cell.grid].label(cell.index)
                )
            }
            None => describe::describe(&self.run.trace, step),
        }
    }

    pub fn stage_explanation(&self) -> Option<String> {
        if self.practice_conceals() {
            return None;
        }
        describe::stage_explanation(&self.run.trace, self.step).map(|m| m.tr(self.lang))
    }

    /// The language of every word shown.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Switches the language (the reader's choice: the URL keeps it).
    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
        self.lang_chosen = true;
    }

    /// Uses the browser's preferred languages (`navigator.languages`) unless `lang=` chose one;
    /// a language whose catalogue is not loaded leaves the page in English.
    pub fn prefer_langs<'a>(&mut self, preferred: impl IntoIterator<Item = &'a str>) {
        let lang = Lang::negotiate(preferred);
        if !self.lang_chosen && crate::text::has_catalogue(lang) {
            self.lang = lang;
        }
    }

    /// The language a page opened with `query` by a browser preferring `preferred` will
    /// speak, so the page can fetch its catalogue first: `lang=` if it names one, else the
    /// browser's.
    pub fn wanted_lang<'a>(query: &str, preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        let query = query.strip_prefix('?').unwrap_or(query);
        let chosen = form_urlencoded::parse(query.as_bytes()).find(|(key, _)| key == "lang");
        chosen.and_then(|(_, tag)| Lang::from_tag(&tag)).unwrap_or_else(|| Lang::negotiate(preferred))
    }

    /// A message in the session's language.
    pub fn tr(&self, m: &Msg) -> String {
        m.tr(self.lang)
    }

    /// Every operator as `{name, title, summary}`, in the session's language.
    pub fn operators_json(&self) -> serde_json::Value {
        let list = ops::OPERATORS.iter().map(|op| {
            serde_json::json!({
                "name": op.name,
                "title": Msg::id(op.title).tr(self.lang),
                "summary": Msg::id(op.summary).tr(self.lang),
            })
        });
        serde_json::Value::Array(list.collect())
    }

    /// The current operator's summary, in the session's language.
    pub fn summary(&self) -> String {
        Msg::id(self.op.summary).tr(self.lang)
    }

    /// The controls of the current operator as the page builds them (see [`ParamSpec`](crate::params::ParamSpec)):
    /// labels, help, option names and layer columns in the session's language, and each
    /// control's current value.
    pub fn schema_json(&self) -> serde_json::Value {
        let tr = |v: &serde_json::Value| match v.as_str() {
            Some(id) => serde_json::Value::from(
                crate::text::tr_json(self.lang, id, &Default::default()).unwrap_or_else(|_| id.to_string()),
            ),
            None => v.clone(),
        };
        let list = self.params.schema().iter().map(|spec| {
            let mut value = serde_json::to_value(spec).unwrap_or_default();
            for key in ["label", "help"] {
                value[key] = tr(&value[key]);
            }
            if let Some(options) = value.get_mut("options").and_then(|o| o.as_array_mut()) {
                for option in options {
                    option[1] = tr(&option[1]);
                }
            }
            if let Some(fields) = value.get_mut("fields").and_then(|o| o.as_array_mut()) {
                for field in fields {
                    field["label"] = tr(&field["label"]);
                }
            }
            value["value"] = self.params.get(spec.name).map(|v| v.to_string()).into();
            value
        });
        serde_json::Value::Array(list.collect())
    }

    /// The output-size formula, one line per axis, in the session's language (none while a
    /// practice question asks what it works out).
    pub fn formula(&self) -> Vec<String> {
        if self.practice_conceals() {
            return Vec::new();
        }
        self.run.formula.iter().map(|m| m.tr(self.lang)).collect()
    }

    /// The facts beside the formula, in the session's language (none while a practice
    /// question asks what they state).
    pub fn facts(&self) -> Vec<String> {
        if self.practice_conceals() {
            return Vec::new();
        }
        self.run.facts.iter().map(|m| m.tr(self.lang)).collect()
    }

    /// Why the current setting shows the previous picture, in the session's language.
    pub fn error_text(&self) -> Option<String> {
        self.error.as_ref().map(|e| e.message.tr(self.lang))
    }

    /// The frame for a viewport; `caption` adds the step sentence under the grids.
    pub fn scene(&self, viewport: Viewport, caption: bool) -> Scene {
        let caption = if caption { vec![self.describe()] } else { Vec::new() };
        self.scene_with(viewport, caption)
    }

    /// The frame of an exported file: the step sentence and, with `caption`, the one-line
    /// caption (operator and the settings that differ from the defaults) under it.
    pub fn export_scene(&self, viewport: Viewport, caption: bool) -> Scene {
        self.export_scene_at(viewport, caption, self.step, self.camera)
    }

    /// The exported frame of step `step` (clamped to the run) through `camera`, leaving the
    /// session where it is (an animation renders every step of a range so).
    pub fn export_scene_at(&self, viewport: Viewport, caption: bool, step: usize, camera: Camera) -> Scene {
        let step = step.min(self.n_steps()).min(self.practice_limit().unwrap_or(usize::MAX));
        let mut lines = vec![self.step_sentence(step).tr(self.lang)];
        lines.extend(caption.then(|| self.caption()));
        self.frame(viewport, step, camera, None, lines)
    }

    fn scene_with(&self, viewport: Viewport, caption: Vec<String>) -> Scene {
        self.frame(viewport, self.step, self.camera, Some(self.hover), caption)
    }

    /// What [`Session::scene`] without a caption is built from, but the hover (see
    /// [`FrameKey`]): the same fields [`Session::frame`] reads.
    pub fn frame_key(&self, viewport: Viewport) -> FrameKey {
        FrameKey {
            run: self.run_id,
            viewport,
            step: self.step,
            camera: self.camera,
            lang: self.lang,
            overlays: self.overlays(),
        }
    }

    /// What practice mode changes in a frame, read once for [`Session::frame`] and its key.
    fn overlays(&self) -> Overlays {
        Overlays {
            hidden: self.hidden_cell(),
            veiled: self.veiled_grids(),
            marks: self.practice_marks(),
            quiet: self.practice_quiet(),
        }
    }

    /// A frame of [`Session::scene`] (no caption) with the current hover swapped in: the frame
    /// `scene` would be built now, if it was built for an equal [`FrameKey`].
    pub fn rehover(&self, scene: &mut Scene) {
        scene::rehover(scene, &self.related, self.hover);
    }

    /// The picture of `step` through `camera` with `caption` under it; `hover` is the page's
    /// pointer (with what it corresponds to), `None` for an export. Practice's hidden cell,
    /// veiled grids and marks apply to both.
    fn frame(
        &self,
        viewport: Viewport,
        step: usize,
        camera: Camera,
        hover: Option<Option<CellRef>>,
        caption: Vec<String>,
    ) -> Scene {
        let replay = self.replayed(step);
        let Overlays { hidden, veiled, marks, quiet } = self.overlays();
        let view = View {
            trace: &self.run.trace,
            step,
            hover: hover.flatten(),
            related: if hover.is_some() { &self.related } else { &[] },
            caption,
            camera,
            lang: self.lang,
            replay: Some(&replay),
            hidden,
            veiled: &veiled,
            marks: &marks,
            quiet,
        };
        scene::build(&view, viewport)
    }

    /// The run replayed to `step`, kept between frames: a hover or a zoom replays nothing,
    /// playback and an animation's export replay one step a frame.
    fn replayed(&self, step: usize) -> std::cell::RefMut<'_, Replay> {
        let mut kept = self.replayed.borrow_mut();
        let replay = kept.get_or_insert_with(|| self.run.trace.replay(0));
        self.run.trace.replay_to(replay, step);
        std::cell::RefMut::map(kept, |kept| kept.as_mut().expect("filled above"))
    }

    pub fn camera(&self) -> Camera {
        self.camera
    }

    /// Aims the picture (a zoom, a pan, fit, or following the step again).
    pub fn set_camera(&mut self, camera: Camera) {
        self.camera = camera;
    }
}

/// A number no run of this process had before.
fn next_run_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Everything the page's frame is built from except the hovered cell: two frames with equal
/// keys differ only in [`Scene::hover`], so a painter keeping the last frame may swap in the
/// new hover ([`Session::rehover`]) instead of building it again.
#[derive(Clone, Debug, PartialEq)]
pub struct FrameKey {
    run: u64,
    viewport: Viewport,
    step: usize,
    camera: Camera,
    lang: Lang,
    overlays: Overlays,
}

/// Practice mode's part of a frame: the hidden cell, the veiled grids, the marks and whether
/// the step's outlines are left out (see [`View`]).
#[derive(Clone, Debug, PartialEq)]
struct Overlays {
    hidden: Option<CellRef>,
    veiled: Vec<crate::trace::GridId>,
    marks: Vec<(CellRef, scene::PracticeMark)>,
    quiet: bool,
}

pub(crate) fn clip(raw: &str) -> String {
    raw.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaced_runs_wait_to_be_freed_two_at_most() {
        let mut s = Session::from_query("op=conv2d");
        for size in 3..9 {
            s.set_param("height", &size.to_string()).unwrap();
            assert!(s.retired.len() <= 2);
        }
        assert_eq!(s.retired.len(), 2);
        assert_eq!(s.run().trace.grids[0].shape[2], 8, "the kept run is the newest");
        s.free_retired();
        assert!(s.retired.is_empty());
        assert!(s.index.get().is_none(), "freeing builds nothing");
        s.set_param("height", "5").unwrap();
        s.cell_index();
        s.set_param("height", "6").unwrap();
        assert!(s.index.get().is_none(), "a new run starts without the old run's index");
        assert!(s.retired.last().is_some_and(|(_, index)| index.get().is_some()), "the old index waits with its run");
        s.idle();
        assert!(s.retired.is_empty());
        assert!(s.index.get().is_some(), "idle time builds the cell index");
    }

    #[test]
    fn invalid_combination_keeps_the_last_picture() {
        let mut s = Session::from_query("op=conv2d&height=3&width=3");
        let before = s.run().trace.steps.len();
        let err = s.set_param("kernel_size", "5").unwrap_err();
        assert_eq!(err.param.as_deref(), Some("kernel_size"));
        assert_eq!(s.run().trace.steps.len(), before);
        assert!(s.error().is_some());
        s.set_param("padding", "1").unwrap();
        assert!(s.error().is_none());
        // An invalid combination in a URL falls back to the defaults, with a warning.
        let t = Session::from_query("op=conv2d&height=2&width=2&kernel_size=9");
        assert_eq!(t.warnings().len(), 1);
        assert!(t.warnings()[0].contains("no valid output"));
    }
    #[test]
    fn a_pasted_model_sets_the_stack_or_names_its_line() {
        let mut s = Session::from_query("op=receptive_field");
        let text =
            "Sequential(\n  (0): Conv2d(3, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))\n  (1): ReLU()\n)";
        s.set_layers_from_model("layers", text).unwrap();
        assert_eq!(s.params().choice("preset"), "custom");
        assert_eq!(s.params().layers("layers"), [crate::analysis::Layer::conv(3, 2, 1, 1)]);
        let err =
            s.set_layers_from_model("layers", "Sequential(\n  (0): Flatten(start_dim=1, end_dim=-1)\n)").unwrap_err();
        assert!(err.message.en().starts_with("line 2: Flatten"), "{}", err.message);
        assert_eq!(s.params().layers("layers"), [crate::analysis::Layer::conv(3, 2, 1, 1)], "unchanged");
    }
    #[test]
    fn editing_what_a_preset_filled_in_leaves_the_preset() {
        let mut s = Session::from_query("op=aspp&preset=aspp_s");
        s.set_param("map_size", "33").unwrap();
        assert_eq!(s.params().choice("preset"), "aspp_s", "the map size is not the preset's");
        s.set_param("rate2", "5").unwrap();
        assert_eq!(s.params().choice("preset"), "custom");
        assert_eq!((s.params().int("rate1"), s.params().int("rate2")), (2, 5));
        s.set_param("preset", "aspp_l").unwrap();
        assert_eq!(s.params().int("rate4"), 24);
    }
    #[test]
    fn clicking_the_gridding_map_chooses_the_output_pixel() {
        let mut s = Session::from_query("op=receptive_field&preset=hdc_123&input_size=33");
        // Stride 1, centred fields: the clicked input pixel is the output pixel.
        let origin = s.run().trace.grids[0].origin;
        let cell = CellRef { grid: 0, index: [0, 0, (20 - origin[0]) as usize, (10 - origin[1]) as usize] };
        assert!(s.pick(cell));
        assert_eq!((s.params().int("out_row"), s.params().int("out_col")), (20, 10));
        assert!(s.to_query().contains("out_row=20"));
        let mut conv = Session::default();
        assert!(!conv.pick(CellRef { grid: 0, index: [0; 4] }));
    }
    #[test]
    fn dragging_a_sampling_point_edits_its_offset_and_lives_in_the_url() {
        let mut s = Session::from_query("op=deform_conv2d&offsets=zero&weight_values=ones&step=5");
        let output = s.run().trace.grids.len() - 1;
        let before = s.run().trace.grids[output].value([0, 0, 0, 4]);
        // Tap 4 (the centre of a 3×3 kernel) of output (0, 4) moves from (1, 5) down onto
        // the blob (padded-grid coordinates).
        let handle = s.run().trace.handles.iter().find(|h| h.step == Some(5) && h.position == [1.0, 5.0]).copied();
        let centre = handle.expect("the centre tap of step 5 has a handle").setter;
        let Setter::Offsets(drag) = centre else { panic!("a sampling point sets offsets") };
        assert_eq!(drag.entries, [[0, 8, 0, 4], [0, 9, 0, 4]]);
        s.drag(&centre, [3.5, 5.75]).unwrap();
        assert_ne!(s.run().trace.grids[output].value([0, 0, 0, 4]), before);
        let query = s.to_query();
        assert!(query.contains("edits=o.0.8.0.4%3A2.5%2Co.0.9.0.4%3A0.75"), "{query}");
        let again = Session::from_query(&query);
        assert_eq!(again.describe(), s.describe());
        assert!(s.drag(&centre, [f32::NAN, 0.0]).is_err());
        // Offsets are kept within ±32 cells.
        s.drag(&centre, [1e9, 5.0]).unwrap();
        assert!(s.to_query().contains("o.0.8.0.4%3A32"), "{}", s.to_query());
    }
    #[test]
    fn dragging_a_roi_corner_sets_its_controls() {
        let mut s = Session::from_query("op=deform_roi_pool");
        let corner = *s.run().trace.handles.iter().find(|h| matches!(h.setter, Setter::Params(_))).unwrap();
        let Setter::Params(map) = corner.setter else { unreachable!() };
        assert_eq!(map.params, ["y1", "x1"]);
        // The aligned RoI's top-left corner sits half a cell before (y1, x1) = (1.5, 1.0).
        assert_eq!(corner.position, [1.0, 0.5]);
        s.drag(&corner.setter, [2.0, 1.5]).unwrap();
        assert_eq!((s.params().int("y1"), s.params().int("x1")), (5, 4));
        assert!(s.to_query().contains("y1=5"));
        // Past the far corner the RoI inverts: reported, the picture stays.
        s.drag(&corner.setter, [2.0, 9.0]).unwrap();
        assert!(s.error().is_some_and(|e| e.message.en().contains("inverted")), "{:?}", s.error());
    }
    #[test]
    fn dragging_a_deformable_bin_sets_its_offsets() {
        let mut s = Session::from_query("op=deform_roi_pool&offsets=zero&step=5");
        let bin = s.run().trace.handles[4];
        let Setter::Offsets(drag) = bin.setter else { panic!("bins come first and set offsets") };
        assert_eq!(bin.position, drag.anchor, "zero offsets leave the centre bin in place");
        let before = s.describe();
        // One cell right and down; the RoI is 5.5 wide and 4.5 tall, γ = 0.1.
        s.drag(&bin.setter, [drag.anchor[0] + 1.0, drag.anchor[1] + 1.0]).unwrap();
        assert!(s.to_query().contains("o.0.0.1.1%3A1.82"), "{}", s.to_query());
        assert!(s.to_query().contains("o.0.1.1.1%3A2.22"), "{}", s.to_query());
        assert_ne!(s.describe(), before);
        let moved = s.run().trace.handles[4];
        assert!((moved.position[0] - drag.anchor[0] - 1.0).abs() < 0.01, "{moved:?}");
    }
    #[test]
    fn padding_cells_are_not_editable() {
        let mut s = Session::from_query("op=conv2d&padding=1");
        let corner = CellRef { grid: 0, index: [0, 0, 0, 0] };
        assert!(s.edit_cell(corner, "3").is_err());
        let inner = CellRef { grid: 0, index: [0, 0, 1, 1] };
        assert_eq!(s.editable_cell(inner), Some((Tensor::Input, [0, 0, 0, 0])));
        assert!(s.edit_cell(inner, "inf").is_err());
        assert!(s.edit_cell(inner, "1e9").is_err());
        s.edit_cell(inner, "2.5").unwrap();
        assert_eq!(s.run().trace.grids[0].value(inner.index), 2.5);
    }
}
