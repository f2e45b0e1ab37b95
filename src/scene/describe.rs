//! The sentence that spells out a step's arithmetic, e.g.
//! `y[0,0,1,2] = 1·3 + 0·(−1) + … = 7`, for the status line, the live region and exports.
//! It reads only the trace's structure (writes, taps, cell kinds), never an operator's name;
//! its words come from the catalogues (`step-…`, `fill-…`, `stamp-…`).

use crate::msg;
use crate::text::Msg;
use crate::trace::{CellKind, CellRef, Combine, Source, StageKind, Step, Tap, Trace, Write, fmt_num};

/// Most terms written out before an ellipsis.
const MAX_TERMS: usize = 9;
/// Most writes of a multi-write step spelled out.
const MAX_WRITES: usize = 3;

/// Describes the state after `step` steps (0 = before the first).
pub fn describe(trace: &Trace, step: usize) -> Msg {
    let n = trace.steps.len();
    if step == 0 || n == 0 {
        return msg!("step-before", n = n);
    }
    let current = &trace.steps[step.min(n) - 1];
    let stage = &trace.stages[current.stage];
    msg!("step-line", i = step.min(n), n = n, stage = &stage.name, text = describe_step(trace, current, None))
}

/// The step's sentence with the value written into `hidden` shown as `?` (a practice
/// question's hint: every term, not the result).
pub fn describe_hiding(trace: &Trace, step: usize, hidden: CellRef) -> Msg {
    let n = trace.steps.len();
    if step == 0 || n == 0 {
        return msg!("step-before", n = n);
    }
    let current = &trace.steps[step.min(n) - 1];
    let stage = &trace.stages[current.stage];
    msg!("step-line", i = step.min(n), n = n, stage = &stage.name, text = describe_step(trace, current, Some(hidden)))
}

/// The one-line explanation of the current stage (shown under the formula).
pub fn stage_explanation(trace: &Trace, step: usize) -> Option<Msg> {
    let index = step.checked_sub(1)?;
    let current = trace.steps.get(index)?;
    trace.stages.get(current.stage).map(|s| s.explain.clone())
}

fn describe_step(trace: &Trace, step: &Step, hidden: Option<CellRef>) -> Msg {
    let stamp = step.focus.first().filter(|_| trace.stages[step.stage].kind == StageKind::Scatter);
    match step.writes.as_slice() {
        _ if stamp.is_some() => describe_stamp(trace, step, *stamp.expect("checked")),
        [] => msg!("step-nothing"),
        [write] => describe_write(trace, write, hidden),
        writes if writes.iter().any(|w| w.target.grid != writes[0].target.grid) => {
            describe_parallel(trace, writes, hidden)
        }
        writes => describe_fill(trace, writes),
    }
}

fn describe_write(trace: &Trace, write: &Write, hidden: Option<CellRef>) -> Msg {
    let target = label(trace, write.target);
    let value = if hidden == Some(write.target) { "?".to_string() } else { fmt_num(write.value) };
    if let [Tap { source: Source::Sample { grid, kernel, position, corners, .. }, .. }] = write.taps.as_slice() {
        let terms: Vec<String> = corners
            .iter()
            .take(MAX_TERMS)
            .map(|(c, w)| format!("{}·{}", paren(*w), paren(trace.grids[c.grid].value(c.index))))
            .collect();
        let mut sum = Msg::same(terms.join(" + "));
        if corners.len() > MAX_TERMS {
            sum = Msg::Seq(vec![sum, Msg::same(" + "), msg!("step-more-terms", n = corners.len())]);
        }
        if terms.is_empty() {
            sum = msg!("step-sample-outside");
        }
        let kernel = match kernel {
            crate::trace::SampleKernel::Bilinear => msg!("kernel-bilinear"),
            crate::trace::SampleKernel::Bicubic => msg!("kernel-bicubic"),
        };
        return msg!(
            "step-sample",
            target = target,
            sum = sum,
            value = value,
            kernel = kernel,
            grid = &trace.grids[*grid].symbol,
            row = fmt_num(position[0]),
            col = fmt_num(position[1])
        );
    }
    let notes = tap_kinds(trace, &write.taps);
    match write.combine {
        Combine::Max => {
            let values: Vec<String> = write.taps.iter().take(MAX_TERMS).map(|t| fmt_num(t.product())).collect();
            let more = if write.taps.len() > MAX_TERMS { ", …" } else { "" };
            msg!("step-max", target = target, values = format!("{}{more}", values.join(", ")), value = value)
        }
        Combine::Mean { divisor } => {
            let mut terms: Vec<String> = write.taps.iter().take(MAX_TERMS).map(term).collect();
            if write.taps.len() > MAX_TERMS {
                terms.push("…".into());
            }
            msg!(
                "step-mean",
                target = target,
                terms = terms.join(" + "),
                divisor = fmt_num(divisor),
                value = value,
                notes = notes
            )
        }
        Combine::Set if write.constant().is_none() && is_copy(&write.taps) => {
            let Source::Cell(from) = write.taps[0].source else { unreachable!("a copy reads a cell") };
            msg!("step-copy", target = target, source = label(trace, from), value = value, notes = notes)
        }
        Combine::Set | Combine::Accumulate => {
            let mut terms: Vec<Msg> = write.taps.iter().take(MAX_TERMS).map(|t| Msg::same(term(t))).collect();
            if write.taps.len() > MAX_TERMS {
                terms.push(Msg::same("…"));
            }
            if let Some(constant) = write.constant().filter(|c| c.cell.is_some()) {
                terms.push(msg!("term-bias", value = paren(constant.value)));
            }
            let op = if write.combine == Combine::Accumulate { "+=" } else { "=" };
            if terms.is_empty() {
                msg!("step-set", target = target, op = op, value = value, notes = notes)
            } else {
                let terms = Msg::join(terms, "plus-sep");
                msg!("step-sum", target = target, op = op, terms = terms, value = value, notes = notes)
            }
        }
    }
}

/// A step that writes into several grids at once (parallel branches and what combines them):
/// each earlier write by its value and what its taps read, the last one spelled out.
fn describe_parallel(trace: &Trace, writes: &[Write], hidden: Option<CellRef>) -> Msg {
    let (last, earlier) = writes.split_last().expect("a parallel step has writes");
    let mut parts: Vec<Msg> = earlier
        .iter()
        .map(|w| {
            msg!(
                "step-parallel-part",
                target = label(trace, w.target),
                value = if hidden == Some(w.target) { "?".to_string() } else { fmt_num(w.value) },
                notes = tap_kinds(trace, &w.taps)
            )
        })
        .collect();
    parts.push(describe_write(trace, last, hidden));
    Msg::join(parts, "clause-sep")
}

/// Whether `taps` is one weightless read of a cell: the write copies it.
fn is_copy(taps: &[Tap]) -> bool {
    matches!(taps, [Tap { weight: None, weight_value, source: Source::Cell(_), .. }] if *weight_value == 1.0)
}

/// One product written as `value·weight` (`mask·sample·weight` for a modulated sample), or
/// just the value for a copy.
fn term(tap: &Tap) -> String {
    if let Source::Sample { mask: Some(m), .. } = tap.source {
        let sample = if m != 0.0 { tap.value / m } else { 0.0 };
        return format!("{}·{}·{}", paren(m), paren(sample), paren(tap.weight_value));
    }
    if tap.weight.is_some() || tap.weight_value != 1.0 {
        format!("{}·{}", paren(tap.value), paren(tap.weight_value))
    } else {
        paren(tap.value)
    }
}

fn paren(v: f32) -> String {
    let text = fmt_num(v);
    if text.starts_with('−') { format!("({text})") } else { text }
}

/// `(3 of 9 taps read padding)`: what a student should notice about the sources.
fn tap_kinds(trace: &Trace, taps: &[Tap]) -> Msg {
    let count = |kind: CellKind| {
        taps.iter().filter(|t| matches!(t.source, Source::Cell(c) if trace.grids[c.grid].kind(c.index) == kind)).count()
    };
    let mut notes = Vec::new();
    let (padding, inserted) = (count(CellKind::Padding), count(CellKind::InsertedZero));
    if padding > 0 {
        notes.push(msg!("taps-read-padding", k = padding, n = taps.len()));
    }
    if inserted > 0 {
        notes.push(msg!("taps-read-inserted", k = inserted, n = taps.len()));
    }
    if notes.is_empty() { Msg::default() } else { msg!("tap-notes", notes = Msg::join(notes, "clause-sep")) }
}

/// A step that spreads one source value over many targets (scatter).
fn describe_stamp(trace: &Trace, step: &Step, source: CellRef) -> Msg {
    let value = trace.grids[source.grid].value(source.index);
    let n_writes = step.writes.len();
    if n_writes == 0 {
        return msg!("stamp-nothing", source = label(trace, source), value = fmt_num(value));
    }
    let mut parts: Vec<String> = step
        .writes
        .iter()
        .take(MAX_WRITES)
        .map(|w| {
            format!(
                "{} += {}·{} → {}",
                label(trace, w.target),
                paren(value),
                paren(w.taps.first().map_or(0.0, |t| t.weight_value)),
                fmt_num(w.value)
            )
        })
        .collect();
    if n_writes > MAX_WRITES {
        parts.push("…".into());
    }
    let parts = Msg::join(parts.into_iter().map(Msg::Same).collect(), "clause-sep");
    msg!("stamp", source = label(trace, source), value = fmt_num(value), n = n_writes, parts = parts)
}

/// A step that fills many cells at once (zero insertion, padding, bias).
fn describe_fill(trace: &Trace, writes: &[Write]) -> Msg {
    let grid = &trace.grids[writes[0].target.grid];
    let copied = writes.iter().filter(|w| w.taps.len() == 1 && w.taps[0].weight.is_none()).count();
    let kind_count =
        |kind: CellKind| writes.iter().filter(|w| w.taps.is_empty() && grid.kind(w.target.index) == kind).count();
    let mut parts = Vec::new();
    if copied > 0 {
        let sources: Vec<_> =
            writes.iter().filter_map(|w| w.taps.first().and_then(|t| t.source.cells().next())).collect();
        let first = sources[0];
        let symbol = &trace.grids[first.grid].symbol;
        let one_channel = sources.iter().all(|c| c.grid == first.grid && c.index[..2] == first.index[..2]);
        let from = if one_channel && trace.grids[first.grid].shape[1] > 1 {
            msg!("fill-channel", channel = format!("{symbol}[{},{}]", first.index[0], first.index[1]))
        } else {
            Msg::same(symbol)
        };
        parts.push(msg!("fill-copied", n = copied, from = from));
    }
    for (kind, id) in
        [(CellKind::InsertedZero, "fill-inserted"), (CellKind::Padding, "fill-padding"), (CellKind::Hole, "fill-holes")]
    {
        let k = kind_count(kind);
        if k > 0 {
            parts.push(Msg::Id(id, Vec::new()).with("n", k));
        }
    }
    let constants =
        writes.iter().filter(|w| w.taps.is_empty() && w.constant().is_some_and(|c| c.cell.is_some())).count();
    if constants > 0 {
        parts.push(msg!("fill-bias", n = constants));
    }
    let computed = writes
        .iter()
        .filter(|w| {
            w.taps.is_empty()
                && w.constant().is_some_and(|c| c.cell.is_none())
                && grid.kind(w.target.index) == CellKind::Value
        })
        .count();
    if computed > 0 {
        let (lo, hi) =
            writes.iter().fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), w| (a.min(w.value), b.max(w.value)));
        parts.push(if lo == hi {
            msg!("fill-computed-equal", n = computed, value = fmt_num(lo))
        } else {
            msg!("fill-computed-range", n = computed, lo = fmt_num(lo), hi = fmt_num(hi))
        });
    }
    msg!("fill", n = writes.len(), grid = &grid.symbol, parts = Msg::join(parts, "list-sep"))
}

fn label(trace: &Trace, cell: crate::trace::CellRef) -> String {
    trace.grids[cell.grid].label(cell.index)
}
