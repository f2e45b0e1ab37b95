//! What the page shows and remembers: operator, parameters, edited cells, step and hover, and
//! their URL form. Pure: the wasm handle and the CLI both drive a `Session`.
//!
//! A setting with no valid output keeps the last valid run on screen and reports why
//! ([`Session::error`]); bad URL values are reported ([`Session::warnings`]) and replaced by
//! defaults. Nothing here panics on user input.

use crate::ops::{self, Edits, Operator, Run, Tensor};
use crate::params::{ParamError, Params};
use crate::scene::{self, Scene, View, Viewport, describe};
use crate::trace::{CellKind, CellRef, Source};

/// Longest query string read; the rest is ignored with a warning.
const MAX_QUERY: usize = 16 * 1024;
/// Most edited cells kept (in the URL too).
const MAX_EDITS: usize = 256;
/// Largest magnitude a typed-in cell value may have.
const MAX_CELL_VALUE: f32 = 1.0e6;

/// Query keys that are not operator parameters.
const RESERVED: &[&str] = &["op", "step", "edits", "embed"];

pub struct Session {
    op: &'static dyn Operator,
    params: Params,
    edits: Edits,
    run: Run,
    /// The parameters and edits of `run`, the picture on screen: what the URL records, so a
    /// shared link never carries a setting that has no valid output.
    shown: (Params, Edits),
    error: Option<ParamError>,
    warnings: Vec<String>,
    step: usize,
    hover: Option<CellRef>,
    related: Vec<CellRef>,
    embed: bool,
}

impl Default for Session {
    fn default() -> Session {
        Session::with_operator(ops::OPERATORS[0])
    }
}

impl Session {
    fn with_operator(op: &'static dyn Operator) -> Session {
        let mut params = Params::defaults(op.schema());
        op.expand(&mut params);
        let run = op.run(&params, &Edits::new()).unwrap_or_else(|e| {
            // The registry tests run every operator at its defaults, so this cannot happen.
            panic!("{} fails at its defaults: {e}", op.name())
        });
        Session {
            op,
            shown: (params.clone(), Edits::new()),
            params,
            edits: Edits::new(),
            run,
            error: None,
            warnings: Vec::new(),
            step: 0,
            hover: None,
            related: Vec::new(),
            embed: false,
        }
    }

    /// Restores a session from a URL query (`op=…&stride=2&step=5`), reporting what it had
    /// to ignore.
    pub fn from_query(query: &str) -> Session {
        let mut warnings = Vec::new();
        let query = query.trim_start_matches('?');
        let query = if query.len() > MAX_QUERY {
            warnings.push(format!("the URL is longer than {MAX_QUERY} characters; the rest was ignored"));
            &query[..query.floor_char_boundary(MAX_QUERY)]
        } else {
            query
        };
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        let get = |key: &str| pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        let op = match get("op") {
            None => ops::OPERATORS[0],
            Some(name) => ops::find(name).unwrap_or_else(|| {
                warnings.push(format!("unknown operator “{}”; showing {}", clip(name), ops::OPERATORS[0].name()));
                ops::OPERATORS[0]
            }),
        };
        let mut session = Session::with_operator(op);
        session.embed = match get("embed") {
            None | Some("0" | "false") => false,
            Some("1" | "true") => true,
            Some(other) => {
                warnings.push(format!("embed must be 1 or 0, not “{}”; showing the full page", clip(other)));
                false
            }
        };
        let (mut params, problems) =
            Params::from_pairs(op.schema(), pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), RESERVED);
        op.expand(&mut params);
        warnings.extend(problems);
        let (edits, problems) = parse_edits(get("edits").unwrap_or(""));
        warnings.extend(problems);
        match op.run(&params, &edits) {
            Ok(run) => {
                session.params = params;
                session.run = run;
                // Edits of cells the tensors do not have were not used: say so, drop them.
                let (used, unused): (Edits, Edits) = edits.into_iter().partition(|&(key, _)| session.edit_applies(key));
                for ((tensor, [a, b, c, d]), _) in unused {
                    warnings.push(format!(
                        "ignored the edited cell {}[{a},{b},{c},{d}]: the {} has no such cell",
                        tensor.key(),
                        tensor.name()
                    ));
                }
                session.edits = used;
                session.shown = (session.params.clone(), session.edits.clone());
            }
            Err(err) => warnings.push(format!("the URL's settings have no valid output ({err}); showing the defaults")),
        }
        session.step = session.opening_step();
        if let Some(raw) = get("step") {
            match raw.parse::<usize>() {
                Ok(step) if step <= session.n_steps() => session.step = step,
                _ => warnings.push(format!(
                    "step must be a whole number from 0 to {}, not “{}”; starting at 0",
                    session.n_steps(),
                    clip(raw)
                )),
            }
        }
        session.warnings = warnings;
        session
    }

    /// The URL query that restores the picture on screen exactly (a pending setting with no
    /// valid output is not part of it).
    pub fn to_query(&self) -> String {
        let (params, edits) = &self.shown;
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("op", self.op.name());
        for (name, value) in params.changed_pairs() {
            query.append_pair(name, &value);
        }
        if !edits.is_empty() {
            query.append_pair("edits", &format_edits(edits));
        }
        if self.step != self.opening_step() {
            query.append_pair("step", &self.step.to_string());
        }
        if self.embed {
            query.append_pair("embed", "1");
        }
        query.finish()
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
                let next = |i: [usize; 4]| [i[0], i[1] + 1, i[2], i[3]];
                let from_taps = trace.steps.iter().flat_map(|s| &s.writes).flat_map(|w| &w.taps).any(|tap| {
                    matches!(tap.source, Source::Sample { handle: Some(h), .. } if h == index || next(h) == index)
                });
                from_taps || trace.offset_handles.iter().any(|h| h.rows == index || h.cols == index)
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

    pub fn operator(&self) -> &'static dyn Operator {
        self.op
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    pub fn run(&self) -> &Run {
        &self.run
    }

    pub fn embed(&self) -> bool {
        self.embed
    }

    /// Why the current setting shows the previous picture, if it does.
    pub fn error(&self) -> Option<&ParamError> {
        self.error.as_ref()
    }

    /// What the URL held that could not be used.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
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
    pub fn set_operator(&mut self, name: &str) -> Result<(), String> {
        let op = ops::find(name).ok_or_else(|| format!("unknown operator “{}”", clip(name)))?;
        let embed = self.embed;
        *self = Session::from_query(&format!("op={}", op.name()));
        self.embed = embed;
        Ok(())
    }

    /// Sets one control. An out-of-range value is refused (the old one stays); a value that
    /// makes the whole setting invalid is kept, with the last valid picture and an error.
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
                self.run = run;
                // Edits of cells the tensors no longer have (after a size went down) stay in
                // the session, for when it goes back up, but not in the shared URL.
                let applied =
                    self.edits.iter().filter(|&(&key, _)| self.edit_applies(key)).map(|(&k, &v)| (k, v)).collect();
                self.shown = (self.params.clone(), applied);
                self.error = None;
                self.step = if at_end { self.n_steps() } else { self.step.min(self.n_steps()) };
                self.set_hover(None);
            }
            Err(err) => self.error = Some(err),
        }
    }

    /// Moves to step `step` (clamped to `0..=n_steps()`).
    pub fn seek(&mut self, step: usize) {
        self.step = step.min(self.n_steps());
    }

    /// Sets the hovered cell and computes what it corresponds to.
    pub fn set_hover(&mut self, cell: Option<CellRef>) {
        self.hover = cell;
        self.related = cell.map(|c| self.run.trace.related(c)).unwrap_or_default();
    }

    pub fn hover(&self) -> Option<CellRef> {
        self.hover
    }

    /// Moves the hovered cell by keyboard: `grids` switches panels' grids, `rows`/`cols` move
    /// within the grid (clamped). With nothing hovered, starts at the first cell.
    pub fn move_hover(&mut self, grids: i32, rows: i32, cols: i32) {
        let trace = &self.run.trace;
        let Some(cell) = self.hover else {
            self.set_hover(Some(CellRef { grid: 0, index: [0; 4] }));
            return;
        };
        let grid = (cell.grid as i64 + i64::from(grids)).clamp(0, trace.grids.len() as i64 - 1) as usize;
        let shape = trace.grids[grid].shape;
        let clamp = |v: i64, len: usize| v.clamp(0, len as i64 - 1) as usize;
        let index = [
            clamp(cell.index[0] as i64, shape[0]),
            clamp(cell.index[1] as i64, shape[1]),
            clamp(cell.index[2] as i64 + i64::from(rows), shape[2]),
            clamp(cell.index[3] as i64 + i64::from(cols), shape[3]),
        ];
        self.set_hover(Some(CellRef { grid, index }));
    }

    /// The hovered cell and what it corresponds to, in words.
    pub fn hover_text(&self) -> Option<String> {
        let cell = self.hover?;
        let trace = &self.run.trace;
        let grid = &trace.grids[cell.grid];
        let kind = match grid.kind(cell.index) {
            CellKind::Value => "",
            CellKind::Padding => " (padding)",
            CellKind::InsertedZero => " (inserted zero)",
            CellKind::Hole => " (hole: no path reaches it)",
        };
        let labels: Vec<String> = self.related.iter().take(8).map(|c| trace.grids[c.grid].label(c.index)).collect();
        let more = if self.related.len() > labels.len() { ", …" } else { "" };
        let relation = if grid.written { "computed from" } else { "used by" };
        let value = crate::trace::fmt_num(grid.value(cell.index));
        let mut per_grid: Vec<(usize, usize)> = Vec::new();
        for c in &self.related {
            match per_grid.iter_mut().find(|(g, _)| *g == c.grid) {
                Some((_, n)) => *n += 1,
                None => per_grid.push((c.grid, 1)),
            }
        }
        let counts: Vec<String> = per_grid.iter().map(|(g, n)| format!("{n} of {}", trace.grids[*g].symbol)).collect();
        let name = grid.label(cell.index);
        Some(if labels.is_empty() {
            format!("{name} = {value}{kind}; not used by this operator")
        } else {
            format!("{name} = {value}{kind}; {relation} {}: {}{more}", counts.join(" and "), labels.join(", "))
        })
    }

    /// Applies the run's pick (e.g. choosing an output pixel on a gridding map) for a clicked
    /// cell; returns whether it applied.
    pub fn pick(&mut self, cell: CellRef) -> bool {
        let Some(pick) = self.run.pick.filter(|p| p.grid == cell.grid) else { return false };
        let origin = self.run.trace.grids[cell.grid].origin;
        let choose = |axis: usize| {
            let y = origin[axis] as f64 + (cell.index[2 + axis] as f64 + 0.5) * pick.cell - 0.5;
            ((y - pick.offset) / pick.scale).round().clamp(0.0, pick.max as f64) as i64
        };
        let (row, col) = (choose(0), choose(1));
        self.set_param(pick.params.0, &row.to_string()).is_ok()
            && self.set_param(pick.params.1, &col.to_string()).is_ok()
    }

    /// The tensor and index a grid cell shows, if the user may edit it.
    pub fn editable_cell(&self, cell: CellRef) -> Option<(Tensor, [usize; 4])> {
        let editable = self.run.editable.iter().find(|e| e.grid == cell.grid)?;
        let grid = &self.run.trace.grids[cell.grid];
        if grid.kind(cell.index) != CellKind::Value {
            return None;
        }
        let row = usize::try_from(cell.index[2] as isize + grid.origin[0]).ok()?;
        let col = usize::try_from(cell.index[3] as isize + grid.origin[1]).ok()?;
        Some((editable.tensor, [cell.index[0], cell.index[1], row, col]))
    }

    /// Types a value into an input or kernel cell.
    pub fn edit_cell(&mut self, cell: CellRef, raw: &str) -> Result<(), String> {
        let (tensor, index) = self.editable_cell(cell).ok_or("only input and kernel cells can be edited")?;
        let value: f32 =
            raw.trim().replace('−', "-").parse().map_err(|_| format!("“{}” is not a number", clip(raw)))?;
        if !value.is_finite() || value.abs() > MAX_CELL_VALUE {
            return Err(format!(
                "cell values must be finite numbers between −{MAX_CELL_VALUE:e} and {MAX_CELL_VALUE:e}"
            ));
        }
        if self.edits.len() >= MAX_EDITS && !self.edits.contains_key(&(tensor, index)) {
            return Err(format!("at most {MAX_EDITS} cells can be edited; reset the values to start again"));
        }
        self.edits.insert((tensor, index), value);
        self.rerun();
        Ok(())
    }

    /// Moves a dragged offset handle to `position` (fractional `(row, col)` of its grid): the
    /// offset entries `rows` and `cols` become `(position − anchor)·scale`, rounded to
    /// hundredths and kept within ±32.
    pub fn drag_offset(&mut self, handle: &crate::trace::OffsetHandle, position: [f32; 2]) -> Result<(), String> {
        if !position.iter().all(|v| v.is_finite()) {
            return Err("the pointer is not over the picture".into());
        }
        let round = |v: f32| if v.is_finite() { ((v * 100.0).round() / 100.0).clamp(-32.0, 32.0) } else { 0.0 };
        let new = [
            (handle.rows, round((position[0] - handle.anchor[0]) * handle.scale[0])),
            (handle.cols, round((position[1] - handle.anchor[1]) * handle.scale[1])),
        ];
        let added = new.iter().filter(|(i, _)| !self.edits.contains_key(&(Tensor::Offset, *i))).count();
        if self.edits.len() + added > MAX_EDITS {
            return Err(format!("at most {MAX_EDITS} values can be edited; reset the edits to start again"));
        }
        for (i, v) in new {
            self.edits.insert((Tensor::Offset, i), v);
        }
        self.rerun();
        Ok(())
    }

    /// Moves a control handle to `position`: sets its two controls (clamped to their ranges).
    pub fn drag_params(
        &mut self,
        params: [&str; 2],
        scale: f32,
        offset: f32,
        position: [f32; 2],
    ) -> Result<(), String> {
        if !position.iter().all(|v| v.is_finite()) {
            return Err("the pointer is not over the picture".into());
        }
        for (name, coordinate) in params.into_iter().zip(position) {
            let value = ((coordinate + offset) * scale).round() as i64;
            let value = match self.params.spec(name).map(|s| s.kind) {
                Some(crate::params::ParamKind::Int { min, max, .. }) => value.clamp(min, max),
                _ => return Err(format!("“{name}” is not a number control")),
            };
            // An inverted or otherwise invalid box is reported like any setting.
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
        describe::describe(&self.run.trace, self.step)
    }

    pub fn stage_explanation(&self) -> Option<String> {
        describe::stage_explanation(&self.run.trace, self.step)
    }

    /// The frame for a viewport; `caption` adds the step sentence under the grids.
    pub fn scene(&self, viewport: Viewport, caption: bool) -> Scene {
        let caption = if caption { vec![self.describe()] } else { Vec::new() };
        let view = View { trace: &self.run.trace, step: self.step, hover: self.hover, related: &self.related, caption };
        scene::build(&view, viewport)
    }
}

fn clip(raw: &str) -> String {
    raw.chars().take(40).collect()
}

/// `x.0.0.1.2:5,w.0.0.0.0:-1.5`
fn format_edits(edits: &Edits) -> String {
    edits
        .iter()
        .map(|((tensor, [a, b, c, d]), v)| format!("{}.{a}.{b}.{c}.{d}:{v}", tensor.key()))
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_edits(raw: &str) -> (Edits, Vec<String>) {
    let mut edits = Edits::new();
    let mut problems = Vec::new();
    for item in raw.split(',').filter(|s| !s.is_empty()) {
        let parsed = (|| {
            let (cell, value) = item.split_once(':')?;
            let mut parts = cell.split('.');
            let tensor = Tensor::from_key(parts.next()?)?;
            let index: Vec<usize> = parts.map(|p| p.parse().ok()).collect::<Option<_>>()?;
            let index: [usize; 4] = index.try_into().ok()?;
            let value: f32 = value.parse().ok().filter(|v: &f32| v.is_finite() && v.abs() <= MAX_CELL_VALUE)?;
            if tensor == Tensor::Offset && value.abs() > 32.0 {
                return None;
            }
            Some(((tensor, index), value))
        })();
        match parsed {
            Some((key, value)) if edits.len() < MAX_EDITS => {
                edits.insert(key, value);
            }
            Some(_) => {
                problems.push(format!("more than {MAX_EDITS} edited cells; the rest were ignored"));
                break;
            }
            None => problems.push(format!("ignored the edited cell “{}”", clip(item))),
        }
    }
    (edits, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_url_value_that_is_not_used_is_reported() {
        let s = Session::from_query("op=conv2d&embed=%3Cscript%3E&height=%2B3&edits=x.0.0.9.9:1,x.0.0.1.1:4");
        let warnings = s.warnings().join("\n");
        assert!(warnings.contains("embed must be 1 or 0, not “<script>”"), "{warnings}");
        assert!(warnings.contains("Input height must be a whole number, not “+3”"), "{warnings}");
        assert!(warnings.contains("ignored the edited cell x[0,0,9,9]: the input has no such cell"), "{warnings}");
        assert_eq!(s.warnings().len(), 3, "{warnings}");
        // The edit that fits is kept.
        assert!(s.to_query().contains("edits=x.0.0.1.1%3A4"), "{}", s.to_query());
    }

    #[test]
    fn edits_of_cells_a_smaller_input_lacks_stay_but_are_not_shared() {
        let mut s = Session::from_query("op=conv2d&width=6");
        s.edit_cell(CellRef { grid: 0, index: [0, 0, 1, 5] }, "4").unwrap();
        assert!(s.to_query().contains("edits="));
        s.set_param("width", "3").unwrap();
        assert!(!s.to_query().contains("edits="), "{}", s.to_query());
        s.set_param("width", "6").unwrap();
        assert!(s.to_query().contains("edits=x.0.0.1.5%3A4"), "{}", s.to_query());
    }

    #[test]
    fn a_pending_invalid_setting_is_not_shared() {
        let mut s = Session::from_query("op=conv2d&stride=2");
        assert!(s.set_param("groups", "7").is_err());
        assert_eq!(s.to_query(), "op=conv2d&stride=2");
    }

    #[test]
    fn query_round_trips() {
        let mut s = Session::from_query("op=conv_transpose2d&stride=3&view=scatter&padding=1");
        assert!(s.warnings().is_empty(), "{:?}", s.warnings());
        s.seek(4);
        let cell = CellRef { grid: 0, index: [0, 0, 1, 1] };
        s.edit_cell(cell, "−7").unwrap();
        let query = s.to_query();
        let t = Session::from_query(&query);
        assert_eq!(t.to_query(), query);
        assert_eq!(t.step(), 4);
        assert_eq!(t.run().trace.grids[0].value([0, 0, 1, 1]), -7.0);
    }

    #[test]
    fn bad_url_values_are_reported_and_defaulted() {
        let s = Session::from_query("op=nope&stride=zzz&padding=999&step=-3&edits=q.1:2,x.0.0.0.0:NaN&color=red");
        assert_eq!(s.operator().name(), "conv2d");
        assert_eq!(s.params(), &Params::defaults(s.operator().schema()));
        assert_eq!(s.step(), 0);
        assert_eq!(s.warnings().len(), 7, "{:#?}", s.warnings());
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
    fn the_keyboard_cursor_moves_within_grids_and_describes_cells() {
        let mut s = Session::from_query("op=conv2d");
        s.move_hover(0, 0, 0);
        assert_eq!(s.hover(), Some(CellRef { grid: 0, index: [0; 4] }));
        s.move_hover(0, -5, 99);
        assert_eq!(s.hover(), Some(CellRef { grid: 0, index: [0, 0, 0, 4] }));
        assert_eq!(
            s.hover_text().unwrap(),
            format!(
                "x[0,0,0,4] = {}; used by 1 of y: y[0,0,0,2]",
                crate::trace::fmt_num(s.run().trace.grids[0].value([0, 0, 0, 4]))
            )
        );
        s.move_hover(9, 9, 0); // to the output grid, clamped
        let cell = s.hover().unwrap();
        assert_eq!(s.run().trace.grids[cell.grid].symbol, "y");
        assert!(s.hover_text().unwrap().contains("computed from 9 of x and 9 of w"), "{:?}", s.hover_text());
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
        let centre = crate::trace::OffsetHandle {
            grid: 0,
            position: [1.0, 5.0],
            anchor: [1.0, 5.0],
            rows: [0, 8, 0, 4],
            cols: [0, 9, 0, 4],
            scale: [1.0, 1.0],
        };
        s.drag_offset(&centre, [3.5, 5.75]).unwrap();
        assert_ne!(s.run().trace.grids[output].value([0, 0, 0, 4]), before);
        let query = s.to_query();
        assert!(query.contains("edits=o.0.8.0.4%3A2.5%2Co.0.9.0.4%3A0.75"), "{query}");
        let again = Session::from_query(&query);
        assert_eq!(again.describe(), s.describe());
        assert!(s.drag_offset(&centre, [f32::NAN, 0.0]).is_err());
        // Offsets are kept within ±32 cells.
        s.drag_offset(&centre, [1e9, 5.0]).unwrap();
        assert!(s.to_query().contains("o.0.8.0.4%3A32"), "{}", s.to_query());
    }

    #[test]
    fn dragging_a_roi_corner_sets_its_controls() {
        let mut s = Session::from_query("op=deform_roi_pool");
        let corner = s.run().trace.handles[0].clone();
        assert_eq!(corner.params, ["y1", "x1"]);
        // The aligned RoI's top-left corner sits half a cell before (y1, x1) = (1.5, 1.0).
        assert_eq!(corner.position, [1.0, 0.5]);
        s.drag_params(corner.params, corner.scale, corner.offset, [2.0, 1.5]).unwrap();
        assert_eq!((s.params().int("y1"), s.params().int("x1")), (5, 4));
        assert!(s.to_query().contains("y1=5"));
        // Past the far corner the RoI inverts: reported, the picture stays.
        s.drag_params(corner.params, corner.scale, corner.offset, [2.0, 9.0]).unwrap();
        assert!(s.error().is_some_and(|e| e.message.contains("inverted")), "{:?}", s.error());
    }

    #[test]
    fn dragging_a_deformable_bin_sets_its_offsets() {
        let mut s = Session::from_query("op=deform_roi_pool&offsets=zero&step=5");
        let bin = s.run().trace.offset_handles[4];
        assert_eq!(bin.position, bin.anchor, "zero offsets leave the centre bin in place");
        let before = s.describe();
        // One cell right and down; the RoI is 5.5 wide and 4.5 tall, γ = 0.1.
        s.drag_offset(&bin, [bin.anchor[0] + 1.0, bin.anchor[1] + 1.0]).unwrap();
        assert!(s.to_query().contains("o.0.0.1.1%3A1.82"), "{}", s.to_query());
        assert!(s.to_query().contains("o.0.1.1.1%3A2.22"), "{}", s.to_query());
        assert_ne!(s.describe(), before);
        let moved = s.run().trace.offset_handles[4];
        assert!((moved.position[0] - bin.anchor[0] - 1.0).abs() < 0.01, "{moved:?}");
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
