//! The sentence that spells out a step's arithmetic, e.g.
//! `y[0,0,1,2] = 1·3 + 0·(−1) + … = 7`, for the status line, the live region and exports.
//! It reads only the trace's structure (writes, taps, cell kinds), never an operator's name.

use crate::trace::{CellKind, CellRef, Combine, Source, StageKind, Step, Tap, Trace, Write, fmt_num};

/// Most terms written out before an ellipsis.
const MAX_TERMS: usize = 9;
/// Most writes of a multi-write step spelled out.
const MAX_WRITES: usize = 3;

/// Describes the state after `step` steps (0 = before the first).
pub fn describe(trace: &Trace, step: usize) -> String {
    let n = trace.steps.len();
    if step == 0 || n == 0 {
        let steps = if n == 1 { "the only step".to_string() } else { format!("the first of {n} steps") };
        return format!("Before {steps}. Press → or Play to start.");
    }
    let current = &trace.steps[step.min(n) - 1];
    let stage = &trace.stages[current.stage];
    format!("Step {} of {n}, {}: {}", step.min(n), stage.name, describe_step(trace, current))
}

/// The one-line explanation of the current stage (shown under the formula).
pub fn stage_explanation(trace: &Trace, step: usize) -> Option<String> {
    let index = step.checked_sub(1)?;
    let current = trace.steps.get(index)?;
    trace.stages.get(current.stage).map(|s| s.explain.clone())
}

fn describe_step(trace: &Trace, step: &Step) -> String {
    let stamp = step.focus.first().filter(|_| trace.stages[step.stage].kind == StageKind::Scatter);
    match step.writes.as_slice() {
        _ if stamp.is_some() => describe_stamp(trace, step, *stamp.expect("checked")),
        [] => "nothing to do here".to_string(),
        [write] => describe_write(trace, write),
        writes if writes.iter().any(|w| w.target.grid != writes[0].target.grid) => describe_parallel(trace, writes),
        writes => describe_fill(trace, writes),
    }
}

fn describe_write(trace: &Trace, write: &Write) -> String {
    let target = label(trace, write.target);
    let value = fmt_num(write.value);
    if let [Tap { source: Source::Sample { grid, kernel, position, corners, .. }, .. }] = write.taps.as_slice() {
        let mut terms: Vec<String> = corners
            .iter()
            .take(MAX_TERMS)
            .map(|(c, w)| format!("{}·{}", paren(*w), paren(trace.grids[c.grid].value(c.index))))
            .collect();
        if corners.len() > MAX_TERMS {
            terms.push(format!("… ({} terms)", corners.len()));
        }
        let sum = if terms.is_empty() { "0 (outside the map)".to_string() } else { terms.join(" + ") };
        return format!(
            "{target} = {sum} = {value}, the {} sample of {} at row {}, column {}",
            kernel.name(),
            trace.grids[*grid].symbol,
            fmt_num(position[0]),
            fmt_num(position[1])
        );
    }
    match write.combine {
        Combine::Max => {
            let values: Vec<String> = write.taps.iter().take(MAX_TERMS).map(|t| fmt_num(t.product)).collect();
            let more = if write.taps.len() > MAX_TERMS { ", …" } else { "" };
            format!("{target} = max({}{more}) = {value}", values.join(", "))
        }
        Combine::Mean { divisor } => {
            let mut terms: Vec<String> = write.taps.iter().take(MAX_TERMS).map(term).collect();
            if write.taps.len() > MAX_TERMS {
                terms.push("…".into());
            }
            format!(
                "{target} = ({}) / {} = {value}{}",
                terms.join(" + "),
                fmt_num(divisor),
                tap_kinds(trace, &write.taps)
            )
        }
        Combine::Set if write.constant.is_none() && is_copy(&write.taps) => {
            let Source::Cell(from) = write.taps[0].source else { unreachable!("a copy reads a cell") };
            format!("{target} = {} = {value}{}", label(trace, from), tap_kinds(trace, &write.taps))
        }
        Combine::Set | Combine::Accumulate => {
            let mut terms: Vec<String> = write.taps.iter().take(MAX_TERMS).map(term).collect();
            if write.taps.len() > MAX_TERMS {
                terms.push("…".into());
            }
            if let Some(constant) = write.constant.filter(|c| c.cell.is_some()) {
                terms.push(format!("{} (bias)", paren(constant.value)));
            }
            let op = if write.combine == Combine::Accumulate { "+=" } else { "=" };
            let mut text = if terms.is_empty() {
                format!("{target} {op} {value}")
            } else {
                format!("{target} {op} {} = {value}", terms.join(" + "))
            };
            text.push_str(&tap_kinds(trace, &write.taps));
            text
        }
    }
}

/// A step that writes into several grids at once (parallel branches and what combines them):
/// each earlier write by its value and what its taps read, the last one spelled out.
fn describe_parallel(trace: &Trace, writes: &[Write]) -> String {
    let (last, earlier) = writes.split_last().expect("a parallel step has writes");
    let mut parts: Vec<String> = earlier
        .iter()
        .map(|w| format!("{} = {}{}", label(trace, w.target), fmt_num(w.value), tap_kinds(trace, &w.taps)))
        .collect();
    parts.push(describe_write(trace, last));
    parts.join("; ")
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
fn tap_kinds(trace: &Trace, taps: &[Tap]) -> String {
    let count = |kind: CellKind| {
        taps.iter().filter(|t| matches!(t.source, Source::Cell(c) if trace.grids[c.grid].kind(c.index) == kind)).count()
    };
    let mut notes = Vec::new();
    for (kind, name) in [(CellKind::Padding, "padding"), (CellKind::InsertedZero, "inserted zeros")] {
        let k = count(kind);
        if k > 0 {
            notes.push(format!("{k} of {} taps read {name}", taps.len()));
        }
    }
    if notes.is_empty() { String::new() } else { format!(" ({})", notes.join("; ")) }
}

/// A step that spreads one source value over many targets (scatter).
fn describe_stamp(trace: &Trace, step: &Step, source: CellRef) -> String {
    let value = trace.grids[source.grid].value(source.index);
    let n_writes = step.writes.len();
    if n_writes == 0 {
        return format!(
            "{} = {} stamps nothing: all its products fall outside the output (cropped by padding)",
            label(trace, source),
            fmt_num(value)
        );
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
    let cells = if n_writes == 1 { "output cell" } else { "output cells" };
    format!("{} = {} is stamped onto {n_writes} {cells}: {}", label(trace, source), fmt_num(value), parts.join("; "))
}

/// A step that fills many cells at once (zero insertion, padding, bias).
fn describe_fill(trace: &Trace, writes: &[Write]) -> String {
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
            format!("channel {symbol}[{},{}]", first.index[0], first.index[1])
        } else {
            symbol.clone()
        };
        parts.push(format!("{copied} copied from {from}"));
    }
    for (kind, name) in [
        (CellKind::InsertedZero, "inserted zeros"),
        (CellKind::Padding, "padding zeros"),
        (CellKind::Hole, "holes that no path reaches"),
    ] {
        let k = kind_count(kind);
        if k > 0 {
            parts.push(format!("{k} {name}"));
        }
    }
    let constants = writes.iter().filter(|w| w.taps.is_empty() && w.constant.is_some_and(|c| c.cell.is_some())).count();
    if constants > 0 {
        parts.push(format!("{constants} set to their bias"));
    }
    let computed = writes
        .iter()
        .filter(|w| {
            w.taps.is_empty()
                && w.constant.is_some_and(|c| c.cell.is_none())
                && grid.kind(w.target.index) == CellKind::Value
        })
        .count();
    if computed > 0 {
        let (lo, hi) =
            writes.iter().fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), w| (a.min(w.value), b.max(w.value)));
        parts.push(if lo == hi {
            format!("{computed} computed at once, all equal to {}", fmt_num(lo))
        } else {
            format!("{computed} computed at once, from {} to {}", fmt_num(lo), fmt_num(hi))
        });
    }
    format!("{} cells of {} written: {}", writes.len(), grid.symbol, parts.join(", "))
}

fn label(trace: &Trace, cell: crate::trace::CellRef) -> String {
    trace.grids[cell.grid].label(cell.index)
}
