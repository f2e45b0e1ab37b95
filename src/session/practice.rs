//! Practice mode: the page asks, the student answers, the trace checks.
//!
//! A question is drawn from the current run by a seeded generator, so `practice=value&seed=N`
//! gives a class the same sequence for the same URL. The answer never leaves the core until
//! the student has it right or asks for it: the picture draws the questioned cell as `?`,
//! the step sentence and the hover sentence leave its value out, and the reader cannot step
//! past the question.

use super::Session;
use crate::msg;
use crate::ops::{Measure, Quantity};
use crate::params::ParamKind;
use crate::scene::PracticeMark;
use crate::text::Msg;
use crate::trace::{CellKind, CellRef, GridId, Role, StageKind, Trace, fmt_num};

/// The control (or, for a view without one, the URL key) that seeds the questions.
pub const SEED: &str = "seed";

/// The kinds of question; `practice=KIND` in the URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The value a step writes into its cell.
    Value,
    /// The output's height and width for the current parameters.
    Shape,
    /// A layer stack's receptive-field size, effective stride, and whether its map has holes.
    Field,
    /// The cells a step's written cell reads (or, for a scatter, the cells it stamps onto).
    Cells,
}

impl Kind {
    pub const ALL: &[Kind] = &[Kind::Value, Kind::Cells, Kind::Shape, Kind::Field];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Value => "value",
            Kind::Shape => "shape",
            Kind::Field => "field",
            Kind::Cells => "cells",
        }
    }

    /// The message naming the kind in the page's menu.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Value => "ui-practice-kind-value",
            Kind::Shape => "ui-practice-kind-shape",
            Kind::Field => "ui-practice-kind-field",
            Kind::Cells => "ui-practice-kind-cells",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.name() == name)
    }
}

/// Right answers and questions attempted (checked at least once, or revealed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Score {
    pub right: u32,
    pub attempted: u32,
}

/// Where the current question stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Open,
    Right,
    Revealed,
}

/// A question: what is asked, and the step the picture shows (and may not pass) meanwhile.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Question {
    /// The picture after this many steps: a value's step (1-based); 0 for a shape or a
    /// field, asked before anything is computed.
    pub step: usize,
    pub ask: Ask,
}

/// What a question asks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Ask {
    /// The value `target` holds after the step.
    Value { target: CellRef, answer: f32 },
    /// The output's `[height, width]`.
    Shape { answer: [usize; 2] },
    /// A field quantity (for [`Measure::Holes`]: 1 when the map has holes).
    Field { measure: Measure, answer: usize },
    /// The cells `target` reads at the step, or, for a scatter step (`scatter`), the cells
    /// the step stamps `target` onto; the answer is [`cells_answer`].
    Cells { target: CellRef, scatter: bool },
}

impl Question {
    /// The cell whose value is the question.
    pub fn hidden_cell(&self) -> Option<CellRef> {
        match self.ask {
            Ask::Value { target, .. } => Some(target),
            _ => None,
        }
    }

    /// Whether the question is about what the whole computation gives (its output's size, a
    /// field): the output, the formulas, the facts and the step count are then hidden.
    pub fn conceals(&self) -> bool {
        matches!(self.ask, Ask::Shape { .. } | Ask::Field { .. })
    }

    /// The last step the picture may show while the question is open: a cells question
    /// shows the picture before its step (the step's outlines are its answer).
    pub fn limit(&self) -> usize {
        match self.ask {
            Ask::Cells { .. } => self.step - 1,
            _ => self.step,
        }
    }
}

/// What a check said.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The text is not an answer of the asked form; nothing is counted.
    NotANumber,
    Right,
    /// Off by `answer − typed` for each number asked (positive: the typed value is too low);
    /// empty for a yes-or-no question.
    Wrong {
        off: Vec<f64>,
    },
    /// The question is already answered or revealed; nothing is counted.
    Closed,
}

/// A session's practice: the kind, the generator's seed, the question number and the score.
#[derive(Clone, Debug, PartialEq)]
pub struct Practice {
    pub kind: Kind,
    pub seed: u64,
    /// 0-based number of the current question in the seed's sequence.
    pub number: u64,
    pub question: Option<Question>,
    pub status: Status,
    /// Checks of the current question.
    pub attempts: u32,
    pub hinted: bool,
    pub score: Score,
    /// The last check's feedback, and the formula lines worked out once a shape or field
    /// question is answered or revealed.
    pub feedback: Option<Msg>,
    pub working: Vec<Msg>,
    /// A cells question's answer, and the cells the reader has chosen.
    pub cells: Vec<CellRef>,
    pub chosen: Vec<CellRef>,
    /// The controls "Next question" may vary (`vary=` in the URL); `None`: the kind's own
    /// (a shape question varies the controls of its formula, the others nothing).
    pub vary: Option<Vec<&'static str>>,
    /// The host page's origin, the only one scores are posted to (`origin=` in the URL).
    pub origin: Option<String>,
}

impl Practice {
    pub fn new(kind: Kind, seed: u64) -> Practice {
        Practice {
            kind,
            seed,
            number: 0,
            question: None,
            status: Status::Open,
            attempts: 0,
            hinted: false,
            score: Score::default(),
            feedback: None,
            working: Vec::new(),
            cells: Vec::new(),
            chosen: Vec::new(),
            vary: None,
            origin: None,
        }
    }
}

/// The steps a value question may ask about: one write, computed from something (a sum, a
/// sample, a maximum, a copy), into a value cell, with a finite result; a scatter step
/// writes many cells at once and is left out.
pub fn value_steps(trace: &Trace) -> Vec<usize> {
    trace
        .steps
        .iter()
        .enumerate()
        .filter(|(_, step)| trace.stages[step.stage].kind != StageKind::Scatter)
        .filter(|(_, step)| match step.writes.as_slice() {
            [write] => {
                !write.taps.is_empty()
                    && write.value.is_finite()
                    && trace.grid_of(write.target).is_some_and(|g| g.kind(write.target.index) == CellKind::Value)
            }
            _ => false,
        })
        .map(|(i, _)| i + 1)
        .collect()
}

/// Question `number` of `seed`'s sequence on `trace`, or `None` when no step qualifies.
pub fn value_question(trace: &Trace, seed: u64, number: u64) -> Option<Question> {
    let steps = value_steps(trace);
    if steps.is_empty() {
        return None;
    }
    let mut rng = fastrand::Rng::with_seed(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ number);
    let step = steps[rng.usize(..steps.len())];
    let write = &trace.steps[step - 1].writes[0];
    Some(Question { step, ask: Ask::Value { target: write.target, answer: write.value } })
}

/// Most cells a cells question asks the reader to choose.
pub const MAX_CELLS: usize = 36;

/// The data cells `write` reads (not the weights or the bias): grid cells, and the corners
/// of a sample that carry weight (as the picture outlines them).
pub fn read_cells(trace: &Trace, write: &crate::trace::Write) -> Vec<CellRef> {
    let mut cells: Vec<CellRef> = write
        .taps
        .iter()
        .flat_map(|tap| match &tap.source {
            crate::trace::Source::Cell(cell) => vec![*cell],
            crate::trace::Source::Sample { corners, .. } => {
                corners.iter().filter(|(_, w)| *w != 0.0).map(|(c, _)| *c).collect()
            }
        })
        .filter(|c| trace.grids[c.grid].role != Role::Weight)
        .collect();
    cells.sort();
    cells.dedup();
    cells
}

/// A cells question at step `step` (1-based), if it can ask one: a step with one write that
/// reads data cells, or a scatter step stamping its focus cell; at most [`MAX_CELLS`] cells.
fn cells_at(trace: &Trace, step: usize) -> Option<(Question, Vec<CellRef>)> {
    let s = &trace.steps[step - 1];
    let (ask, mut cells) = if trace.stages[s.stage].kind == StageKind::Scatter {
        let [focus] = s.focus[..] else { return None };
        (Ask::Cells { target: focus, scatter: true }, s.writes.iter().map(|w| w.target).collect())
    } else {
        let [write] = &s.writes[..] else { return None };
        (Ask::Cells { target: write.target, scatter: false }, read_cells(trace, write))
    };
    cells.sort();
    cells.dedup();
    (!cells.is_empty() && cells.len() <= MAX_CELLS).then_some((Question { step, ask }, cells))
}

/// The steps a cells question may ask about.
pub fn cells_steps(trace: &Trace) -> Vec<usize> {
    (1..=trace.steps.len()).filter(|&step| cells_at(trace, step).is_some()).collect()
}

/// Cells question `number` of `seed`'s sequence, with its answer.
pub fn cells_question(trace: &Trace, seed: u64, number: u64) -> Option<(Question, Vec<CellRef>)> {
    let steps = cells_steps(trace);
    if steps.is_empty() {
        return None;
    }
    let mut rng = fastrand::Rng::with_seed(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ number ^ 0x5EED);
    cells_at(trace, steps[rng.usize(..steps.len())])
}

/// The shape question: the output's height and width, when the formula works them out.
pub fn shape_question(quantities: &[Quantity]) -> Option<Question> {
    let find = |m: Measure| quantities.iter().find(|q| q.measure == m).map(|q| q.value);
    let answer = [find(Measure::Height)?, find(Measure::Width)?];
    Some(Question { step: 0, ask: Ask::Shape { answer } })
}

/// Field question `number` of `seed`'s sequence: the field size, the effective stride and
/// whether the map has holes, in turn (from a place the seed chooses).
pub fn field_question(quantities: &[Quantity], seed: u64, number: u64) -> Option<Question> {
    let asked: Vec<&Quantity> = quantities
        .iter()
        .filter(|q| matches!(q.measure, Measure::FieldSize | Measure::Stride | Measure::Holes))
        .collect();
    if asked.is_empty() {
        return None;
    }
    let start = fastrand::Rng::with_seed(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)).u64(..);
    let q = asked[(start.wrapping_add(number) % asked.len() as u64) as usize];
    Some(Question { step: 0, ask: Ask::Field { measure: q.measure, answer: q.value } })
}

/// Reads a typed size: two whole numbers, `3 × 4`, `3x4`, `3, 4` or `3 4`; one number means
/// a square.
pub fn parse_shape(text: &str) -> Option<[usize; 2]> {
    let numbers: Vec<usize> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .map(|part| part.parse().ok())
        .collect::<Option<_>>()?;
    let rest = text.replace(|c: char| c.is_ascii_digit() || c.is_whitespace() || "x×X*,;".contains(c), "");
    match numbers[..] {
        _ if !rest.is_empty() => None,
        [n] => Some([n, n]),
        [h, w] => Some([h, w]),
        _ => None,
    }
}

/// Reads yes or no (`yes`, `y`, `no`, `n`, `true`, `false`, `1`, `0`, `是`, `有`, `否`, `没有`).
pub fn parse_yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "是" | "有" | "对" => Some(true),
        "no" | "n" | "false" | "0" | "否" | "没有" | "无" | "不" => Some(false),
        _ => None,
    }
}

/// Reads a typed number: `3`, `-1.25`, `−1.25` (a real minus), `1,5` (a decimal comma), `2e-3`.
pub fn parse_answer(text: &str) -> Option<f64> {
    let text = text.trim().replace('−', "-").replace(',', ".");
    let value: f64 = text.parse().ok()?;
    value.is_finite().then_some(value)
}

/// Whether `typed` is `answer`: exactly for a whole number, else to two decimals (the cells
/// show two or three).
pub fn is_right(typed: f64, answer: f32) -> bool {
    let answer = f64::from(answer);
    let tolerance = if answer.fract() == 0.0 { 1e-9 } else { 0.005 + 1e-9 };
    (typed - answer).abs() <= tolerance
}

/// Most draws "Next question" makes for a varied setting with a valid output.
const VARY_TRIES: u64 = 32;
/// A varied whole-number control takes values at most this far below and above its default,
/// within its range, so pictures stay legible (a 64×64 input is a slider away).
const VARY_BELOW: i64 = 3;
const VARY_ABOVE: i64 = 4;

/// The controls a shape question varies unless the URL's `vary=` says otherwise: the
/// sizes, the int-or-pair arguments of the formula and the factors.
fn shape_controls(schema: &'static [crate::params::ParamSpec]) -> Vec<&'static str> {
    schema
        .iter()
        .filter(|spec| match spec.kind {
            ParamKind::Pair { .. } => true,
            ParamKind::Int { .. } => {
                ["height", "width", "block_size"].contains(&spec.name) || spec.name.ends_with("_factor")
            }
            ParamKind::Choice { .. } => ["ceil_mode", "scale_factor"].contains(&spec.name),
            ParamKind::Layers { .. } => false,
        })
        .map(|spec| spec.name)
        .collect()
}

impl Session {
    /// The practice, if the page practises.
    pub fn practice(&self) -> Option<&Practice> {
        self.practice.as_ref()
    }

    /// Starts practising `kind` from question 1 of `seed`'s sequence, or stops (`None`).
    pub fn set_practice(&mut self, kind: Option<Kind>, seed: u64) {
        let (origin, vary) = match &self.practice {
            Some(p) => (p.origin.clone(), p.vary.clone()),
            None => (None, None),
        };
        self.practice = kind.map(|kind| Practice { origin, vary, ..Practice::new(kind, seed) });
        self.ask();
    }

    /// The open question, if one is.
    pub(crate) fn practice_question(&self) -> Option<Question> {
        let practice = self.practice.as_ref()?;
        practice.question.filter(|_| practice.status == Status::Open)
    }

    /// The cell the picture must not give away: the open question's.
    pub(crate) fn hidden_cell(&self) -> Option<CellRef> {
        self.practice_question().and_then(|q| q.hidden_cell())
    }

    /// Whether an open question is about the whole computation's result (see
    /// [`Question::conceals`]).
    pub fn practice_conceals(&self) -> bool {
        self.practice_question().is_some_and(|q| q.conceals())
    }

    /// The grids the picture leaves out while [`Session::practice_conceals`]: everything
    /// computed (outputs, intermediates, anything written), so their sizes stay unknown.
    pub(crate) fn veiled_grids(&self) -> Vec<GridId> {
        if !self.practice_conceals() {
            return Vec::new();
        }
        let grids = self.run.trace.grids.iter().enumerate();
        grids
            .filter(|(_, g)| g.written || matches!(g.role, Role::Output | Role::Intermediate))
            .map(|(id, _)| id)
            .collect()
    }

    /// The last step the reader may see: the open question's.
    pub fn practice_limit(&self) -> Option<usize> {
        self.practice_question().map(|q| q.limit())
    }

    /// Whether the picture and the hover leave out what links cells (a cells question asks
    /// it; a shape or field question hides the cells it would lead to).
    pub(crate) fn practice_quiet(&self) -> bool {
        self.practice_question().is_some_and(|q| q.conceals() || matches!(q.ask, Ask::Cells { .. }))
    }

    /// What practice marks on the picture: the cell a cells question asks about, the cells
    /// chosen and, once checked, the wrong choices (and with the answer, the missed cells).
    pub(crate) fn practice_marks(&self) -> Vec<(CellRef, PracticeMark)> {
        let Some(p) = &self.practice else { return Vec::new() };
        let Some(Question { ask: Ask::Cells { target, .. }, .. }) = p.question else { return Vec::new() };
        let mut marks = vec![(target, PracticeMark::Asked)];
        let checked = p.attempts > 0 || p.status != Status::Open;
        for &cell in &p.chosen {
            let wrong = checked && !p.cells.contains(&cell);
            marks.push((cell, if wrong { PracticeMark::Extra } else { PracticeMark::Chosen }));
        }
        if p.status != Status::Open {
            marks.extend(p.cells.iter().filter(|c| !p.chosen.contains(c)).map(|&c| (c, PracticeMark::Missed)));
        }
        marks
    }

    /// The marks (for tests outside the crate).
    #[doc(hidden)]
    pub fn practice_marks_for_test(&self) -> Vec<(CellRef, PracticeMark)> {
        self.practice_marks()
    }

    /// Adds `cell` to the reader's choice for a cells question, or takes it out; returns
    /// whether the cell can be chosen (a cell of a data grid, not the one asked about).
    pub fn practice_toggle(&mut self, cell: CellRef) -> bool {
        let trace = &self.run.trace;
        let Some(Question { ask: Ask::Cells { target, scatter }, .. }) = self.practice_question() else { return false };
        let Some(grid) = trace.grid_of(cell) else { return false };
        // A scatter stamps onto its output; a gather reads data (not weights).
        let _ = scatter;
        let choosable = cell != target && grid.role != Role::Weight && !self.veiled_grids().contains(&cell.grid);
        let Some(p) = self.practice.as_mut().filter(|_| choosable) else { return false };
        match p.chosen.iter().position(|&c| c == cell) {
            Some(i) => {
                p.chosen.remove(i);
            }
            None if p.chosen.len() < 4 * MAX_CELLS => p.chosen.push(cell),
            None => return false,
        }
        true
    }

    /// Whether the operator has a `seed` control: it then seeds the questions too, and the
    /// URL's `seed=` is that control's.
    pub(crate) fn has_seed_control(&self) -> bool {
        self.op.schema.iter().any(|spec| spec.name == SEED)
    }

    /// The kinds of question the current run can ask, in [`Kind::ALL`]'s order.
    pub fn practice_kinds(&self) -> Vec<Kind> {
        let run = &self.run;
        Kind::ALL
            .iter()
            .copied()
            .filter(|kind| match kind {
                Kind::Value => !value_steps(&run.trace).is_empty(),
                Kind::Shape => shape_question(&run.quantities).is_some(),
                Kind::Field => field_question(&run.quantities, 0, 0).is_some(),
                Kind::Cells => !cells_steps(&run.trace).is_empty(),
            })
            .collect()
    }

    /// The controls "Next question" varies.
    pub fn practice_vary(&self) -> Vec<&'static str> {
        let Some(practice) = &self.practice else { return Vec::new() };
        match (&practice.vary, practice.kind) {
            (Some(names), _) => names.clone(),
            (None, Kind::Shape) => shape_controls(self.op.schema),
            (None, _) => Vec::new(),
        }
    }

    /// Poses the current question number on the current run (after a change of setting, the
    /// same number asks about the new run) and shows its step.
    pub(crate) fn ask(&mut self) {
        let seed_control = self.has_seed_control().then(|| self.params.int(SEED) as u64);
        let Some(practice) = self.practice.as_mut() else { return };
        // An operator with a seed control seeds its tensors and the questions with it.
        if let Some(seed) = seed_control {
            practice.seed = seed;
        }
        let run = &self.run;
        practice.cells.clear();
        practice.chosen.clear();
        practice.question = match practice.kind {
            Kind::Value => value_question(&run.trace, practice.seed, practice.number),
            Kind::Shape => shape_question(&run.quantities),
            Kind::Field => field_question(&run.quantities, practice.seed, practice.number),
            Kind::Cells => cells_question(&run.trace, practice.seed, practice.number).map(|(q, cells)| {
                practice.cells = cells;
                q
            }),
        };
        practice.status = Status::Open;
        practice.attempts = 0;
        practice.hinted = false;
        practice.feedback = None;
        practice.working.clear();
        if let Some(question) = practice.question {
            self.step = question.limit();
            self.set_hover(None);
        }
    }

    /// The next question of the sequence: with controls to vary, a new setting drawn from
    /// the seed and the question number (the same for everyone with the same link).
    pub fn practice_next(&mut self) {
        let Some(practice) = self.practice.as_mut() else { return };
        practice.number += 1;
        let (seed, number) = (practice.seed, practice.number);
        if !self.vary_params(seed, number) {
            self.ask();
        }
    }

    /// Draws a new setting of the varied controls with a valid output, within each control's
    /// range; returns whether one was found (the run then asks the question).
    fn vary_params(&mut self, seed: u64, number: u64) -> bool {
        let names = self.practice_vary();
        if names.is_empty() {
            return false;
        }
        let mut rng = fastrand::Rng::with_seed(seed.wrapping_mul(0xA076_1D64_78BD_642F) ^ number.rotate_left(32));
        for _ in 0..VARY_TRIES {
            let mut params = self.params.clone();
            for &name in &names {
                let Some(spec) = params.spec(name).filter(|_| params.active(name)) else { continue };
                let value = match spec.kind {
                    ParamKind::Int { min, max, default, .. } | ParamKind::Pair { min, max, default, .. } => {
                        rng.i64(min.max(default - VARY_BELOW)..=max.min(default + VARY_ABOVE)).to_string()
                    }
                    ParamKind::Choice { options, .. } => options[rng.usize(..options.len())].0.to_string(),
                    ParamKind::Layers { .. } => continue,
                };
                // A value in range cannot be refused.
                let _ = params.set(name, &value);
            }
            self.op.expand(&mut params);
            if self.op.run(&params, &self.edits).is_ok() {
                self.params = params;
                self.rerun();
                return true;
            }
        }
        false
    }

    /// Checks a typed answer against the trace; the score counts a question once. A right
    /// answer to a value moves on to the next question (its feedback stays on show); a right
    /// shape or field shows the output or the map it was about, until "Next question". Returns what the
    /// host page learns of it, or `None` when nothing was counted.
    pub fn practice_check(&mut self, text: &str) -> (Outcome, Option<serde_json::Value>) {
        let conceals = self.practice_conceals();
        let outcome = self.check_answer(text);
        let report = self.practice_report(&outcome);
        if outcome == Outcome::Right && conceals {
            // A shape or field answered: the whole computation comes into view (the output,
            // the map) beside the working; "Next question" moves on.
            self.step = self.n_steps();
        } else if outcome == Outcome::Right {
            let kept = self.practice.as_ref().map(|p| (p.feedback.clone(), p.working.clone()));
            self.practice_next();
            if let (Some(p), Some((feedback, working))) = (self.practice.as_mut(), kept) {
                (p.feedback, p.working) = (feedback, working);
            }
        }
        (outcome, report)
    }

    /// The formula lines that work out the current question's answer (a shape's or a
    /// field's), as the page shows them once it is answered.
    fn working(&self, question: &Question) -> Vec<Msg> {
        let wanted = |m: Measure| match question.ask {
            Ask::Shape { .. } => matches!(m, Measure::Height | Measure::Width),
            Ask::Field { measure, .. } => m == measure,
            Ask::Value { .. } | Ask::Cells { .. } => false,
        };
        self.run.quantities.iter().filter(|q| wanted(q.measure)).map(|q| q.line.clone()).collect()
    }

    /// Checks the chosen cells of a cells question: right when they are exactly the answer;
    /// otherwise says how many are right, missed and wrongly chosen (the wrong ones are then
    /// crossed on the picture; the missed ones show with the answer).
    fn check_cells(&mut self, target: CellRef, scatter: bool) -> Outcome {
        let label = self.run.trace.grids[target.grid].label(target.index);
        let Some(p) = self.practice.as_mut() else { return Outcome::Closed };
        if p.status != Status::Open {
            return Outcome::Closed;
        }
        if p.chosen.is_empty() {
            p.feedback = Some(msg!("practice-cells-none-chosen"));
            return Outcome::NotANumber;
        }
        if p.attempts == 0 {
            p.score.attempted += 1;
        }
        p.attempts += 1;
        let right = p.chosen.iter().filter(|c| p.cells.contains(c)).count();
        let (missed, extra) = (p.cells.len() - right, p.chosen.len() - right);
        if missed == 0 && extra == 0 {
            p.score.right += 1;
            p.status = Status::Right;
            let id = if scatter { "practice-cells-right-scatter" } else { "practice-cells-right" };
            p.feedback = Some(Msg::id(id).with("n", right).with("cell", label));
            return Outcome::Right;
        }
        p.feedback =
            Some(msg!("practice-cells-wrong", right = right, total = p.cells.len(), missed = missed, extra = extra));
        Outcome::Wrong { off: vec![missed as f64, extra as f64] }
    }

    fn check_answer(&mut self, text: &str) -> Outcome {
        let Some(question) = self.practice.as_ref().and_then(|p| p.question) else { return Outcome::Closed };
        if let Ask::Cells { target, scatter } = question.ask {
            return self.check_cells(target, scatter);
        }
        let working = self.working(&question);
        let label = |c: CellRef| self.run.trace.grids[c.grid].label(c.index);
        let Some(practice) = self.practice.as_mut() else { return Outcome::Closed };
        if practice.status != Status::Open {
            return Outcome::Closed;
        }
        let raw = super::clip(text.trim());
        // What was typed, as the question's answers (f64s), and the right ones.
        let (typed, answer): (Option<Vec<f64>>, Vec<f64>) = match question.ask {
            Ask::Value { answer, .. } => (parse_answer(text).map(|v| vec![v]), vec![f64::from(answer)]),
            Ask::Shape { answer } => {
                (parse_shape(text).map(|s| s.map(|v| v as f64).to_vec()), answer.map(|v| v as f64).to_vec())
            }
            Ask::Field { measure: Measure::Holes, answer } => {
                (parse_yes_no(text).map(|b| vec![f64::from(u8::from(b))]), vec![answer as f64])
            }
            Ask::Field { answer, .. } => (parse_answer(text).map(|v| vec![v]), vec![answer as f64]),
            Ask::Cells { .. } => return Outcome::Closed,
        };
        let Some(typed) = typed else {
            practice.feedback = Some(match question.ask {
                Ask::Shape { .. } => msg!("practice-not-a-shape", raw = raw),
                Ask::Field { measure: Measure::Holes, .. } => msg!("practice-not-yes-no", raw = raw),
                _ => msg!("practice-not-a-number", raw = raw),
            });
            return Outcome::NotANumber;
        };
        if practice.attempts == 0 {
            practice.score.attempted += 1;
        }
        practice.attempts += 1;
        let right = match question.ask {
            Ask::Value { answer, .. } => is_right(typed[0], answer),
            _ => typed == answer,
        };
        if right {
            practice.score.right += 1;
            practice.status = Status::Right;
            practice.feedback = Some(match question.ask {
                Ask::Value { target, answer } => msg!("practice-right", value = fmt_num(answer), cell = label(target)),
                _ => msg!("practice-right-worked", number = (practice.number + 1) as usize),
            });
            practice.working = working;
            return Outcome::Right;
        }
        let off: Vec<f64> = answer.iter().zip(&typed).map(|(a, t)| a - t).collect();
        let direction = |off: f64| if off > 0.0 { "low" } else { "high" };
        practice.feedback = Some(match question.ask {
            Ask::Shape { .. } => {
                let axes = ["height", "width"].iter().zip(typed.iter().zip(&off)).map(|(&axis, (&t, &o))| {
                    if o == 0.0 {
                        msg!("practice-axis-right", axis = axis, typed = t as usize)
                    } else {
                        msg!(
                            "practice-axis-off",
                            axis = axis,
                            typed = t as usize,
                            off = o.abs() as usize,
                            direction = direction(o)
                        )
                    }
                });
                msg!("practice-wrong-shape", axes = Msg::join(axes.collect(), "clause-sep"))
            }
            Ask::Field { measure: Measure::Holes, .. } => msg!("practice-wrong-yes-no"),
            _ => msg!(
                "practice-wrong",
                typed = fmt_num(typed[0] as f32),
                off = fmt_num(off[0].abs() as f32),
                direction = direction(off[0])
            ),
        });
        let off = if matches!(question.ask, Ask::Field { measure: Measure::Holes, .. }) { Vec::new() } else { off };
        Outcome::Wrong { off }
    }

    /// Shows the hint (in [`Session::practice_json`]): the step's sentence with its terms
    /// and the result hidden, or the formula with this setting's numbers and the result `?`.
    pub fn practice_hint(&mut self) {
        if let Some(practice) = self.practice.as_mut().filter(|p| p.question.is_some()) {
            practice.hinted = true;
        }
    }

    /// The hint's text for `question`.
    fn hint(&self, question: &Question) -> Msg {
        match question.ask {
            Ask::Value { target, .. } => {
                crate::scene::describe::describe_hiding(&self.run.trace, question.step, target)
            }
            Ask::Cells { target, scatter } => {
                let trace = &self.run.trace;
                let cells = self.practice.as_ref().map_or(&[][..], |p| &p.cells[..]);
                let id = if scatter { "practice-cells-hint-scatter" } else { "practice-cells-hint" };
                Msg::id(id)
                    .with("cell", trace.grids[target.grid].label(target.index))
                    .with("counts", super::hover::count_per_grid(trace, cells))
                    .with("step", question.step)
            }
            Ask::Shape { .. } | Ask::Field { .. } => {
                let wanted = |m: Measure| match question.ask {
                    Ask::Field { measure, .. } => m == measure,
                    _ => matches!(m, Measure::Height | Measure::Width),
                };
                let lines = self.run.quantities.iter().filter(|q| wanted(q.measure)).map(|q| q.hint.clone());
                Msg::join(lines.collect(), "clause-sep")
            }
        }
    }

    /// Reveals the answer; a question revealed before it was checked still counts as attempted.
    pub fn practice_reveal(&mut self) {
        let Some(question) = self.practice.as_ref().and_then(|p| p.question) else { return };
        let working = self.working(&question);
        let Some(practice) = self.practice.as_mut() else { return };
        if practice.status != Status::Open {
            return;
        }
        if practice.attempts == 0 {
            practice.score.attempted += 1;
        }
        practice.status = Status::Revealed;
        practice.feedback = Some(match question.ask {
            Ask::Value { answer, .. } => msg!("practice-revealed", value = fmt_num(answer)),
            Ask::Shape { answer: [h, w] } => msg!("practice-revealed", value = format!("{h} × {w}")),
            Ask::Field { measure: Measure::Holes, answer } => {
                msg!("practice-revealed-holes", holes = if answer > 0 { "yes" } else { "no" })
            }
            Ask::Field { answer, .. } => msg!("practice-revealed", value = answer.to_string()),
            Ask::Cells { .. } => msg!("practice-cells-revealed", n = practice.cells.len()),
        });
        practice.working = working;
        if question.conceals() {
            self.step = self.n_steps();
        }
    }

    /// The question, as the page asks it.
    pub fn practice_prompt(&self) -> Option<Msg> {
        let practice = self.practice.as_ref()?;
        let number = (practice.number + 1) as usize;
        let output = || {
            let grids = self.run.trace.grids.iter();
            grids.rev().find(|g| g.role == Role::Output).map_or_else(|| "y".to_string(), |g| g.symbol.clone())
        };
        Some(match (practice.kind, practice.question) {
            (Kind::Value, None) => msg!("practice-value-none"),
            (Kind::Shape, None) => msg!("practice-shape-none"),
            (Kind::Field, None) => msg!("practice-field-none"),
            (Kind::Cells, None) => msg!("practice-cells-none"),
            (_, Some(q)) => match q.ask {
                Ask::Value { target, .. } => msg!(
                    "practice-value-question",
                    number = number,
                    cell = self.run.trace.grids[target.grid].label(target.index),
                    step = q.step
                ),
                Ask::Shape { .. } => msg!("practice-shape-question", number = number, output = output()),
                Ask::Cells { target, scatter } => {
                    let id = if scatter { "practice-cells-scatter-question" } else { "practice-cells-question" };
                    Msg::id(id)
                        .with("number", number)
                        .with("cell", self.run.trace.grids[target.grid].label(target.index))
                        .with("step", q.step)
                }
                Ask::Field { measure, .. } => {
                    let id = match measure {
                        Measure::FieldSize => "practice-field-size-question",
                        Measure::Stride => "practice-field-stride-question",
                        _ => "practice-field-holes-question",
                    };
                    Msg::id(id).with("number", number)
                }
            },
        })
    }

    /// The sentence under the picture while a shape, field or cells question is open (a
    /// value question's names the cell in the step's own sentence).
    pub(crate) fn practice_sentence(&self) -> Option<Msg> {
        let q = self.practice_question()?;
        Some(match q.ask {
            Ask::Shape { .. } => msg!("practice-shape-step"),
            Ask::Field { .. } => msg!("practice-field-step"),
            Ask::Cells { target, scatter } => {
                let id = if scatter { "practice-cells-step-scatter" } else { "practice-cells-step" };
                Msg::id(id).with("cell", self.run.trace.grids[target.grid].label(target.index)).with("step", q.step)
            }
            Ask::Value { .. } => return None,
        })
    }
}

impl Session {
    /// The practice as the page shows it: `null` when not practising, else
    /// `{kind, number, asked, question, status, attempts, feedback, working, score,
    /// score_text, tolerance, hint, conceals, origin}` with every text in the page's language.
    pub fn practice_json(&self) -> serde_json::Value {
        let Some(p) = &self.practice else { return serde_json::Value::Null };
        let status = match p.status {
            Status::Open => "open",
            Status::Right => "right",
            Status::Revealed => "revealed",
        };
        let tolerance = match p.question.map(|q| q.ask) {
            Some(Ask::Shape { .. }) => "practice-tolerance-shape",
            Some(Ask::Field { measure: Measure::Holes, .. }) => "practice-tolerance-yes-no",
            Some(Ask::Field { .. }) => "practice-tolerance-whole",
            Some(Ask::Cells { .. }) => "practice-tolerance-cells",
            _ => "practice-tolerance",
        };
        serde_json::json!({
            "kind": p.kind.name(),
            "number": p.number + 1,
            "asked": p.question.is_some(),
            "question": self.practice_prompt().map(|m| m.tr(self.lang)),
            "status": status,
            "attempts": p.attempts,
            "feedback": p.feedback.as_ref().map(|m| m.tr(self.lang)),
            "working": p.working.iter().map(|m| m.tr(self.lang)).collect::<Vec<_>>(),
            "score": {"right": p.score.right, "attempted": p.score.attempted},
            "score_text": msg!("practice-score", right = p.score.right as usize, attempted = p.score.attempted as usize).tr(self.lang),
            "tolerance": Msg::id(tolerance).tr(self.lang),
            "hint": p.question.filter(|_| p.hinted).map(|q| msg!("ui-practice-hint-prefix", text = self.hint(&q)).tr(self.lang)),
            "conceals": self.practice_conceals(),
            "seed": p.seed,
            "kinds": self.practice_kinds_json(),
            "origin": p.origin,
        })
    }
    /// The kinds the current run can ask, as `[{name, label}]` for the page's menu.
    pub fn practice_kinds_json(&self) -> serde_json::Value {
        let kinds = self
            .practice_kinds()
            .into_iter()
            .map(|k| serde_json::json!({"name": k.name(), "label": Msg::id(k.label()).tr(self.lang)}));
        serde_json::Value::Array(kinds.collect())
    }

    /// What a host page learns of a checked answer (`postMessage`), or `None` when the check
    /// counted nothing (not a number, a closed question).
    pub fn practice_report(&self, outcome: &Outcome) -> Option<serde_json::Value> {
        let p = self.practice.as_ref()?;
        let correct = match outcome {
            Outcome::Right => true,
            Outcome::Wrong { .. } => false,
            Outcome::NotANumber | Outcome::Closed => return None,
        };
        Some(serde_json::json!({
            "type": "convscope:answer",
            "kind": p.kind.name(),
            "op": self.op.name,
            "question": p.number + 1,
            "correct": correct,
            "attempts": p.attempts,
            "score": {"right": p.score.right, "attempted": p.score.attempted},
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_read_as_typed() {
        assert_eq!(parse_answer(" −1,5 "), Some(-1.5));
        assert_eq!(parse_answer("2e-3"), Some(0.002));
        assert_eq!(parse_answer("three"), None);
        assert_eq!(parse_answer("NaN"), None);
        assert_eq!(parse_answer("inf"), None);
    }

    #[test]
    fn whole_numbers_are_exact_others_to_two_decimals() {
        assert!(is_right(14.0, 14.0));
        assert!(!is_right(14.004, 14.0));
        assert!(is_right(0.123, 0.1234));
        assert!(is_right(0.12, 0.1234));
        assert!(!is_right(0.13, 0.1234));
        assert!(!is_right(-0.1234, 0.1234));
    }
}
