//! Practice mode: the page asks, the student answers, the trace checks.
//!
//! A question is drawn from the current run by a seeded generator, so `practice=value&seed=N`
//! gives a class the same sequence for the same URL. The answer never leaves the core until
//! the student has it right or asks for it: the picture draws the questioned cell as `?`,
//! the step sentence and the hover sentence leave its value out, and the reader cannot step
//! past the question.

use super::Session;
use crate::msg;
use crate::text::Msg;
use crate::trace::{CellKind, CellRef, StageKind, Trace, fmt_num};

/// The control (or, for a view without one, the URL key) that seeds the questions.
pub const SEED: &str = "seed";

/// The kinds of question; `practice=KIND` in the URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The value a step writes into its cell.
    Value,
}

impl Kind {
    pub const ALL: &[Kind] = &[Kind::Value];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Value => "value",
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

/// One question of kind [`Kind::Value`]: the value `target` holds after `step`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Question {
    /// 1-based: the picture after this many steps.
    pub step: usize,
    pub target: CellRef,
    pub answer: f32,
}

/// What a check said.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The text is not a number; nothing is counted.
    NotANumber,
    Right,
    /// Off by `answer − typed` (positive: the typed value is too low).
    Wrong {
        off: f64,
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
    /// The last check's feedback.
    pub feedback: Option<Msg>,
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
    Some(Question { step, target: write.target, answer: write.value })
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

impl Session {
    /// The practice, if the page practises.
    pub fn practice(&self) -> Option<&Practice> {
        self.practice.as_ref()
    }

    /// Starts practising `kind` from question 1 of `seed`'s sequence, or stops (`None`).
    pub fn set_practice(&mut self, kind: Option<Kind>, seed: u64) {
        let origin = self.practice.as_ref().and_then(|p| p.origin.clone());
        self.practice = kind.map(|kind| Practice { origin, ..Practice::new(kind, seed) });
        self.ask();
    }

    /// The open question, if one is.
    pub(crate) fn practice_question(&self) -> Option<Question> {
        let practice = self.practice.as_ref()?;
        practice.question.filter(|_| practice.status == Status::Open)
    }

    /// The cell the picture must not give away: the open question's.
    pub(crate) fn hidden_cell(&self) -> Option<CellRef> {
        self.practice_question().map(|q| q.target)
    }

    /// The last step the reader may see: the open question's.
    pub fn practice_limit(&self) -> Option<usize> {
        self.practice_question().map(|q| q.step)
    }

    /// Whether the operator has a `seed` control: it then seeds the questions too, and the
    /// URL's `seed=` is that control's.
    pub(crate) fn has_seed_control(&self) -> bool {
        self.op.schema.iter().any(|spec| spec.name == SEED)
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
        practice.question = match practice.kind {
            Kind::Value => value_question(&self.run.trace, practice.seed, practice.number),
        };
        practice.status = Status::Open;
        practice.attempts = 0;
        practice.hinted = false;
        practice.feedback = None;
        if let Some(question) = practice.question {
            self.step = question.step;
            self.set_hover(None);
        }
    }

    /// The next question of the sequence.
    pub fn practice_next(&mut self) {
        if let Some(practice) = self.practice.as_mut() {
            practice.number += 1;
        }
        self.ask();
    }

    /// Checks a typed answer against the trace; the score counts a question once. A right
    /// answer moves on to the next question (its feedback stays on show). Returns what the
    /// host page learns of it, or `None` when nothing was counted.
    pub fn practice_check(&mut self, text: &str) -> (Outcome, Option<serde_json::Value>) {
        let outcome = self.check_answer(text);
        let report = self.practice_report(&outcome);
        if outcome == Outcome::Right {
            let feedback = self.practice.as_ref().and_then(|p| p.feedback.clone());
            self.practice_next();
            if let Some(p) = self.practice.as_mut() {
                p.feedback = feedback;
            }
        }
        (outcome, report)
    }

    fn check_answer(&mut self, text: &str) -> Outcome {
        let Some(practice) = self.practice.as_mut() else { return Outcome::Closed };
        let Some(question) = practice.question else { return Outcome::Closed };
        if practice.status != Status::Open {
            return Outcome::Closed;
        }
        let Some(typed) = parse_answer(text) else {
            practice.feedback = Some(msg!("practice-not-a-number", raw = super::clip(text.trim())));
            return Outcome::NotANumber;
        };
        if practice.attempts == 0 {
            practice.score.attempted += 1;
        }
        practice.attempts += 1;
        if is_right(typed, question.answer) {
            practice.score.right += 1;
            practice.status = Status::Right;
            practice.feedback = Some(msg!(
                "practice-right",
                value = fmt_num(question.answer),
                cell = self.run.trace.grids[question.target.grid].label(question.target.index)
            ));
            return Outcome::Right;
        }
        let off = f64::from(question.answer) - typed;
        let direction = if off > 0.0 { "low" } else { "high" };
        practice.feedback = Some(msg!(
            "practice-wrong",
            typed = fmt_num(typed as f32),
            off = fmt_num(off.abs() as f32),
            direction = direction
        ));
        Outcome::Wrong { off }
    }

    /// Shows the hint (in [`Session::practice_json`]): the step's sentence with its terms
    /// and the result hidden.
    pub fn practice_hint(&mut self) {
        if let Some(practice) = self.practice.as_mut().filter(|p| p.question.is_some()) {
            practice.hinted = true;
        }
    }

    /// Reveals the answer; a question revealed before it was checked still counts as attempted.
    pub fn practice_reveal(&mut self) {
        let Some(practice) = self.practice.as_mut() else { return };
        let Some(question) = practice.question else { return };
        if practice.status != Status::Open {
            return;
        }
        if practice.attempts == 0 {
            practice.score.attempted += 1;
        }
        practice.status = Status::Revealed;
        practice.feedback = Some(msg!("practice-revealed", value = fmt_num(question.answer)));
    }

    /// The question, as the page asks it.
    pub fn practice_prompt(&self) -> Option<Msg> {
        let practice = self.practice.as_ref()?;
        Some(match practice.question {
            None => msg!("practice-value-none"),
            Some(q) => msg!(
                "practice-value-question",
                number = (practice.number + 1) as usize,
                cell = self.run.trace.grids[q.target.grid].label(q.target.index),
                step = q.step
            ),
        })
    }
}

impl Session {
    /// The practice as the page shows it: `null` when not practising, else
    /// `{kind, number, question, status, attempts, feedback, score: {right, attempted}, text,
    /// origin, kinds}` with every text in the page's language.
    pub fn practice_json(&self) -> serde_json::Value {
        let Some(p) = &self.practice else { return serde_json::Value::Null };
        let status = match p.status {
            Status::Open => "open",
            Status::Right => "right",
            Status::Revealed => "revealed",
        };
        serde_json::json!({
            "kind": p.kind.name(),
            "number": p.number + 1,
            "asked": p.question.is_some(),
            "question": self.practice_prompt().map(|m| m.tr(self.lang)),
            "status": status,
            "attempts": p.attempts,
            "feedback": p.feedback.as_ref().map(|m| m.tr(self.lang)),
            "score": {"right": p.score.right, "attempted": p.score.attempted},
            "score_text": msg!("practice-score", right = p.score.right as usize, attempted = p.score.attempted as usize).tr(self.lang),
            "tolerance": msg!("practice-tolerance").tr(self.lang),
            "hint": p.question.filter(|_| p.hinted).map(|q| {
                let hint = crate::scene::describe::describe_hiding(&self.run.trace, q.step, q.target);
                msg!("ui-practice-hint-prefix", text = hint).tr(self.lang)
            }),
            "origin": p.origin,
        })
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
