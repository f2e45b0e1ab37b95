//! Practice mode's value questions, checked against the trace for every operator: the
//! question's answer is the value a replay of the trace holds in the cell after the step, the
//! page gives it away nowhere while the question is open, and the checks score as they say.

use convscope::ops;
use convscope::ops::Measure;
use convscope::scene::PracticeMark;
use convscope::scene::{Shape, Viewport};
use convscope::session::Session;
use convscope::session::practice::{
    Ask, Outcome, Status, cells_steps, parse_answer, parse_shape, parse_yes_no, value_steps,
};
use convscope::trace::CellRef;
use convscope::trace::{Role, fmt_num};

#[test]
fn every_value_question_is_the_traced_value_and_is_hidden_until_answered() {
    let mut asked = 0;
    for op in ops::OPERATORS {
        for seed in [1, 7, 42] {
            let mut session = Session::from_query(&format!("op={}&practice=value&seed={seed}", op.name));
            let trace = session.run().trace.clone();
            let steps = value_steps(&trace);
            let practice = session.practice().expect("practising").clone();
            let Some(q) = practice.question else {
                assert!(steps.is_empty(), "{}: eligible steps but no question", op.name);
                continue;
            };
            let Ask::Value { target, answer } = q.ask else { panic!("{}: a value question", op.name) };
            let q = ValueQ { step: q.step, target, answer };
            asked += 1;
            assert!(steps.contains(&q.step), "{}: step {} is not a value step", op.name, q.step);
            // An independent reading: replay the trace to the step and read the cell.
            let replay = trace.replay(q.step);
            let grid = &trace.grids[q.target.grid];
            assert_eq!(replay.values[q.target.grid][grid.offset(q.target.index)], q.answer, "{}", op.name);
            assert_eq!(session.step(), q.step, "{}: the page shows the question's step", op.name);
            // Nothing on the page gives the answer away while the question is open, and the
            // reader cannot step past it.
            let label = grid.label(q.target.index);
            let written = format!("{label} = {}", fmt_num(q.answer));
            assert!(!states(&session.describe(), &written), "{}: {}", op.name, session.describe());
            assert!(session.describe().contains(&format!("{label} = ?")), "{}: {}", op.name, session.describe());
            session.seek(q.step + 1);
            assert_eq!(session.step(), q.step, "{}: stepped past the open question", op.name);
            let scene = session.scene(Viewport { width: 1600, height: 1000, dpr: 1.0 }, true);
            assert!(
                scene.shapes.iter().any(|s| matches!(s, Shape::Text { text, .. } if text == "?")),
                "{}: no ? drawn for the questioned cell",
                op.name
            );
            session.set_hover(Some(q.target));
            let hover = session.hover_text().unwrap_or_default();
            assert!(hover.contains("practice question"), "{}: {hover}", op.name);

            // A wrong answer says by how much and counts one attempt; the hint hides the result.
            let wrong = f64::from(q.answer) + 3.0;
            let (outcome, report) = session.practice_check(&wrong.to_string());
            assert_eq!(outcome, Outcome::Wrong { off: vec![f64::from(q.answer) - wrong] }, "{}", op.name);
            let report = report.expect("a wrong answer is reported");
            assert_eq!(report["correct"], false);
            assert_eq!(report["op"], op.name);
            assert_eq!(report["score"]["attempted"], 1);
            session.practice_hint();
            let json = session.practice_json();
            let hint = json["hint"].as_str().expect("a hint");
            assert!(hint.contains(&format!("{label} = ?")) || hint.contains("= ?"), "{}: {hint}", op.name);
            assert!(!states(hint, &written), "{}: {hint}", op.name);
            // Not a number: nothing counted.
            assert_eq!(session.practice_check("three").0, Outcome::NotANumber);
            assert_eq!(session.practice().unwrap().score.attempted, 1);
            // The answer as the page writes it is right, and the next question is asked.
            let (outcome, report) = session.practice_check(&fmt_num(q.answer));
            assert_eq!(outcome, Outcome::Right, "{}: {} for {}", op.name, fmt_num(q.answer), q.answer);
            let report = report.expect("reported");
            assert_eq!(report["correct"], true);
            assert_eq!(report["attempts"], 2);
            assert_eq!(report["score"]["right"], 1);
            let practice = session.practice().unwrap();
            assert_eq!(practice.number, 1, "{}: a right answer moves on", op.name);
            assert_eq!(practice.score.right, 1);
        }
    }
    assert!(asked >= 30, "only {asked} questions asked across the operators");
}

/// A value question's parts.
struct ValueQ {
    step: usize,
    target: convscope::trace::CellRef,
    answer: f32,
}

/// Whether `text` says `written` (`y[0,0,1,1] = 0.5`) as a whole, not as the start of a
/// longer number or of a sum (`y[0,0,1,1] = 0.5625·0 + …`, `f[0,0,4,1] = 0.1641 + 0 = ?`).
fn states(text: &str, written: &str) -> bool {
    text.match_indices(written).any(|(at, _)| {
        let rest = &text[at + written.len()..];
        let longer = rest.starts_with(|c: char| c.is_ascii_digit() || c == '·')
            || rest.strip_prefix('.').is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
        let term = [" + ", " − ", " - "].iter().any(|op| rest.starts_with(op));
        !longer && !term
    })
}

#[test]
fn a_seed_gives_the_same_sequence_and_a_revealed_question_counts_as_attempted() {
    let sequence = |seed: u64| {
        let mut session = Session::from_query(&format!("op=conv2d&height=8&width=8&practice=value&seed={seed}"));
        let mut cells = Vec::new();
        for _ in 0..6 {
            let q = session.practice().unwrap().question.unwrap();
            cells.push((q.step, q.hidden_cell()));
            session.practice_reveal();
            assert_eq!(session.practice().unwrap().status, Status::Revealed);
            // Revealed: the picture may go on, and checking counts nothing more.
            session.seek(q.step + 1);
            assert_eq!(session.step(), (q.step + 1).min(session.n_steps()));
            assert_eq!(session.practice_check("0").0, Outcome::Closed);
            session.practice_next();
        }
        let score = session.practice().unwrap().score;
        assert_eq!((score.right, score.attempted), (0, 6));
        cells
    };
    assert_eq!(sequence(5), sequence(5));
    assert_ne!(sequence(5), sequence(6));
}

#[test]
fn the_url_carries_the_practice_and_refuses_what_it_cannot_read() {
    let session = Session::from_query("op=conv2d&practice=value&seed=9&question=3&origin=https://course.example/");
    assert_eq!(session.practice().unwrap().number, 2);
    assert_eq!(session.practice().unwrap().origin.as_deref(), Some("https://course.example"));
    let query = session.to_query();
    // conv2d's own seed control seeds both its tensors and the questions.
    assert!(query.contains("seed=9"), "{query}");
    assert!(query.contains("practice=value&question=3&origin=https%3A%2F%2Fcourse.example"), "{query}");
    // A view without a seed control keeps practice's own.
    let session = Session::from_query("op=receptive_field&practice=value&seed=4");
    assert_eq!(session.practice().unwrap().seed, 4);
    assert!(session.to_query().contains("practice=value&seed=4"), "{}", session.to_query());
    assert!(session.warnings().is_empty(), "{:?}", session.warnings());
    for (query, expected) in [
        ("op=conv2d&practice=shapes", "practice must be one of value, cells, shape, field"),
        ("op=conv2d&practice=shape&vary=stride,colour", "vary names “colour”, which is not a control of conv2d"),
        ("op=receptive_field&practice=field&vary=layers", "vary names “layers”"),
        ("op=conv2d&vary=stride", "vary is read only with practice"),
        ("op=conv2d&practice=value&seed=x", "seed must be a whole number"),
        ("op=conv2d&practice=value&question=0", "question must be a whole number from 1"),
        ("op=conv2d&practice=value&origin=javascript:alert(1)", "origin must be a web origin"),
        ("op=receptive_field&seed=3", "seed is read only with practice"),
        ("op=conv2d&question=3", "question is read only with practice"),
    ] {
        let session = Session::from_query(query);
        let warnings = session.warnings().join(" | ");
        assert!(warnings.contains(expected), "{query}: {warnings}");
    }
}

#[test]
fn typed_answers_read_with_a_real_minus_and_a_decimal_comma() {
    assert_eq!(parse_answer("−2,5"), Some(-2.5));
    assert_eq!(parse_answer(""), None);
}

/// The output grid of a run: the last grid with the output role.
fn output_hw(session: &Session) -> [usize; 2] {
    let grid = session.run().trace.grids.iter().rev().find(|g| g.role == Role::Output).expect("an output grid");
    [grid.shape[2], grid.shape[3]]
}

/// Every text the page shows beside the picture, and the picture's own texts.
fn page_texts(session: &Session) -> Vec<String> {
    let scene = session.scene(Viewport { width: 1600, height: 1000, dpr: 1.0 }, true);
    let mut texts: Vec<String> = scene
        .shapes
        .iter()
        .filter_map(|s| if let Shape::Text { text, .. } = s { Some(text.clone()) } else { None })
        .collect();
    texts.extend(session.formula());
    texts.extend(session.facts());
    texts.push(session.describe());
    texts.extend(session.stage_explanation());
    texts
}

#[test]
fn shape_questions_ask_the_traced_output_size_and_hide_it_until_answered() {
    // Each operator family the shape kind covers, at settings that exercise its rule:
    // strides that leave a remainder, output_padding, ceil_mode dropping a window, a
    // fractional scale_factor, the three rearrangements.
    let cases = [
        "op=conv2d&height=7&width=9&kernel_size=3&stride=2&padding=1&dilation=2",
        "op=conv2d&height=6&width=5&kernel_size=3,2&stride=3,1",
        "op=conv_transpose2d&height=3&width=4&stride=2&output_padding=1&padding=1",
        "op=conv_transpose2d&view=scatter&stride=3&kernel_size=2",
        "op=max_pool2d&height=6&width=6&kernel_size=2&stride=2&padding=1&ceil_mode=true",
        "op=max_pool2d&height=5&width=5&kernel_size=3&stride=2&ceil_mode=true&dilation=2",
        "op=avg_pool2d&height=7&width=4&kernel_size=3&stride=2&ceil_mode=true",
        "op=interpolate&height=5&width=3&scale_factor=1.5",
        "op=interpolate&mode=bilinear&height=4&width=4",
        "op=pixel_shuffle&upscale_factor=3&in_channels=9&height=2&width=3",
        "op=depth_to_space&block_size=2&in_channels=8&height=3&width=2",
        "op=pixel_unshuffle&downscale_factor=2&height=6&width=4",
    ];
    for case in cases {
        let mut session = Session::from_query(&format!("{case}&practice=shape"));
        assert!(session.warnings().is_empty(), "{case}: {:?}", session.warnings());
        let expected = output_hw(&session);
        let q = session.practice().unwrap().question.unwrap_or_else(|| panic!("{case}: no shape question"));
        assert_eq!(q.ask, Ask::Shape { answer: expected }, "{case}");
        // While open: no output on the picture, no formula, facts or step count that says it.
        assert_eq!(session.step(), 0);
        assert!(session.practice_conceals());
        let output = session.run().trace.grids.iter().rposition(|g| g.role == Role::Output).unwrap();
        let scene = session.scene(Viewport { width: 1600, height: 1000, dpr: 1.0 }, true);
        assert!(scene.panels.iter().all(|p| p.grid != output), "{case}: the output is drawn");
        assert!(session.formula().is_empty() && session.facts().is_empty(), "{case}");
        let [h, w] = expected;
        for text in page_texts(&session) {
            assert!(!text.contains(&format!("{h}×{w}")) && !text.contains(&format!("= {h}")), "{case}: {text}");
        }
        session.seek(1);
        assert_eq!(session.step(), 0, "{case}: stepped while the output's size is the question");
        // A wrong answer says which axis is off and by how much; the hint is the formula
        // with this setting's numbers and the result left open.
        let (outcome, report) = session.practice_check(&format!("{} × {w}", h + 2));
        assert_eq!(outcome, Outcome::Wrong { off: vec![-2.0, 0.0] }, "{case}");
        assert_eq!(report.unwrap()["kind"], "shape");
        let feedback = session.practice_json()["feedback"].as_str().unwrap().to_string();
        assert!(feedback.contains(&format!("the height {} is 2 too high", h + 2)), "{case}: {feedback}");
        assert!(feedback.contains(&format!("the width {w} is right")), "{case}: {feedback}");
        session.practice_hint();
        let hint = session.practice_json()["hint"].as_str().unwrap().to_string();
        assert!(hint.contains("H_out = ") && hint.contains("W_out = ") && hint.contains("= ?"), "{case}: {hint}");
        assert!(!hint.contains(&format!("= {h};")) && !hint.ends_with(&format!("= {w}")), "{case}: {hint}");
        assert_eq!(session.practice_check("3 by 4").0, Outcome::NotANumber, "{case}");
        // Right: the working shows the formula lines with the numbers, ending in the answer.
        let (outcome, _) = session.practice_check(&format!("{h}x{w}"));
        assert_eq!(outcome, Outcome::Right, "{case}");
        let json = session.practice_json();
        let working: Vec<&str> = json["working"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(working.len(), 2, "{case}: {working:?}");
        assert!(working[0].starts_with("H_out = ") && working[0].contains(&h.to_string()), "{case}: {working:?}");
        assert!(working[1].starts_with("W_out = ") && working[1].contains(&w.to_string()), "{case}: {working:?}");
        assert_eq!(json["score"]["right"], 1);
        // The output it was about comes into view, whole, with the formulas; Next moves on.
        assert_eq!((session.step(), session.practice().unwrap().number), (session.n_steps(), 0), "{case}");
        let scene = session.scene(Viewport { width: 1600, height: 1000, dpr: 1.0 }, true);
        assert!(scene.panels.iter().any(|p| p.grid == output), "{case}: the output stays hidden");
        assert!(!session.formula().is_empty(), "{case}");
        session.practice_next();
        assert_eq!(session.practice().unwrap().number, 1, "{case}");
    }
    // Views whose output size is not a formula of their controls ask nothing.
    let session = Session::from_query("op=interpolate&resize_by=size&practice=shape");
    assert!(session.practice().unwrap().question.is_none());
    assert!(session.practice_json()["question"].as_str().unwrap().contains("no output-size formula"));
}

#[test]
fn next_shape_question_varies_the_settings_the_same_way_for_everyone() {
    let sequence = |query: &str| {
        let mut session = Session::from_query(query);
        let mut seen = Vec::new();
        for _ in 0..6 {
            let q = session.practice().unwrap().question.expect("a shape question");
            assert_eq!(q.ask, Ask::Shape { answer: output_hw(&session) }, "{}", session.to_query());
            seen.push(session.to_query());
            session.practice_reveal();
            session.practice_next();
            // The link of each question asks it again.
            let again = Session::from_query(&session.to_query());
            assert_eq!(again.practice().unwrap().question, session.practice().unwrap().question);
        }
        seen
    };
    let a = sequence("op=conv2d&practice=shape");
    assert_eq!(a, sequence("op=conv2d&practice=shape"));
    assert_ne!(a, sequence("op=conv2d&seed=3&practice=shape"));
    assert!(a.iter().collect::<std::collections::HashSet<_>>().len() >= 4, "{a:?}");
    // vary= names what may change, and nothing else does; an empty vary= changes nothing.
    let only = sequence("op=conv2d&practice=shape&vary=stride");
    for query in &only {
        let session = Session::from_query(query);
        for name in ["height", "width", "kernel_size", "padding", "dilation"] {
            assert_eq!(session.params().get(name), Session::from_query("op=conv2d").params().get(name), "{query}");
        }
    }
    let fixed = sequence("op=conv2d&practice=shape&vary=");
    assert!(fixed.iter().all(|q| Session::from_query(q).params().changed_pairs().is_empty()), "{fixed:?}");
}

#[test]
fn field_questions_match_the_map_of_the_stack() {
    // How many sizes, strides and hole verdicts were compared with a map (holes found count ten).
    let mut checked = [0; 3];
    for preset in ["hdc_123", "grid_222", "grid_248", "deeplab_largefov", "vgg16_fcn", "resnet101_aspp_l", "custom"] {
        for question in 1..=3 {
            let query = format!("op=receptive_field&preset={preset}&input_size=257&practice=field&question={question}");
            let mut session = Session::from_query(&query);
            assert!(session.warnings().is_empty(), "{query}: {:?}", session.warnings());
            let q = session.practice().unwrap().question.expect("a field question");
            let Ask::Field { measure, answer } = q.ask else { panic!("{query}: {q:?}") };
            assert!(session.practice_conceals());
            let map_grid = session.run().trace.grids.iter().rposition(|g| g.role == Role::Output).unwrap();
            let scene = session.scene(Viewport { width: 1600, height: 1000, dpr: 1.0 }, true);
            assert!(scene.panels.is_empty(), "{query}: the map is drawn");
            let key = scene.shapes.iter().any(|s| matches!(s, Shape::Text { text, .. } if text == "negative"));
            assert!(!key, "{query}: a legend over an empty picture");
            assert!(session.formula().is_empty() && session.facts().is_empty());
            // Read the answer off the map itself (the session keeps it, the picture does not
            // show it): the extent of the reached cells, their shift from one output pixel to
            // the next, and the cells marked as holes.
            let map = |s: &Session| s.run().trace.grids[map_grid].clone();
            let reached_cols = |g: &convscope::trace::Grid| {
                let cols: Vec<isize> = (0..g.shape[3])
                    .filter(|&c| (0..g.shape[2]).any(|r| g.value([0, 0, r, c]) > 0.0))
                    .map(|c| c as isize + g.origin[1])
                    .collect();
                (*cols.first().unwrap(), *cols.last().unwrap())
            };
            let g = map(&session);
            match measure {
                Measure::FieldSize => {
                    // A field larger than the input is clipped, a large map drawn in blocks:
                    // the map then cannot show the whole field cell by cell.
                    let (lo, hi) = reached_cols(&g);
                    if g.shape[3] > answer {
                        assert_eq!(answer as isize, hi - lo + 1, "{query}");
                        checked[0] += 1;
                    }
                }
                Measure::Stride => {
                    // Two neighbouring output pixels at the centre of the last map, away from
                    // the borders (a field cut by the border starts at the input's edge).
                    let limits = session.run().pick.and_then(|p| p.map.limits).expect("the map picks an output pixel");
                    let centre = limits[1] / 2;
                    let at = |col: i64| {
                        Session::from_query(&format!(
                            "op=receptive_field&preset={preset}&input_size=257&out_row={centre}&out_col={col}"
                        ))
                    };
                    let (here, next) = (at(centre), at(centre + 1));
                    let (a, b) = (reached_cols(&map(&here)).0, reached_cols(&map(&next)).0);
                    if a > 0 && limits[1] >= 2 {
                        assert!(here.warnings().is_empty() && next.warnings().is_empty(), "{query}");
                        assert_eq!(answer as isize, b - a, "{query}");
                        checked[1] += 1;
                    }
                }
                Measure::Holes => {
                    let holes = g.kinds.iter().any(|k| *k == convscope::trace::CellKind::Hole);
                    assert_eq!(answer, usize::from(holes), "{query}");
                    checked[2] += 1 + holes as usize * 10;
                }
                other => panic!("{query}: asked {other:?}"),
            }
            // Checking: a yes/no or a whole number; the working is the formula or the coverage.
            let wrong = if measure == Measure::Holes {
                if answer == 1 { "no" } else { "yes" }.to_string()
            } else {
                (answer + 1).to_string()
            };
            assert!(matches!(session.practice_check(&wrong).0, Outcome::Wrong { .. }), "{query}");
            session.practice_hint();
            let hint = session.practice_json()["hint"].as_str().unwrap().to_string();
            assert!(!states(&hint, &format!("= {answer}")), "{query}: {hint}");
            let right = if measure == Measure::Holes {
                if answer == 1 { "yes" } else { "no" }.to_string()
            } else {
                answer.to_string()
            };
            assert_eq!(session.practice_check(&right).0, Outcome::Right, "{query}");
            // The map comes into view.
            let scene = session.scene(Viewport { width: 1600, height: 1000, dpr: 1.0 }, true);
            assert!(scene.panels.iter().any(|p| p.grid == map_grid), "{query}");
            assert!(!session.practice_json()["working"].as_array().unwrap().is_empty());
        }
    }
    assert!(checked[0] >= 3 && checked[1] >= 3 && checked[2] >= 13, "{checked:?}");
}

#[test]
fn shapes_and_yes_no_read_as_typed() {
    assert_eq!(parse_shape("3 × 4"), Some([3, 4]));
    assert_eq!(parse_shape(" 3x4 "), Some([3, 4]));
    assert_eq!(parse_shape("3, 4"), Some([3, 4]));
    assert_eq!(parse_shape("5"), Some([5, 5]));
    assert_eq!(parse_shape("3 by 4"), None);
    assert_eq!(parse_shape("-3 × 4"), None);
    assert_eq!(parse_shape("3 × 4 × 5"), None);
    assert_eq!(parse_yes_no(" Yes"), Some(true));
    assert_eq!(parse_yes_no("没有"), Some(false));
    assert_eq!(parse_yes_no("maybe"), None);
}

/// The open cells question of a session: its step, cell, kind and answer.
fn cells_q(session: &Session) -> (usize, CellRef, bool, Vec<CellRef>) {
    let p = session.practice().unwrap();
    let q = p.question.expect("a cells question");
    let Ask::Cells { target, scatter } = q.ask else { panic!("{q:?}") };
    (q.step, target, scatter, p.cells.clone())
}

#[test]
fn cells_questions_ask_what_the_trace_reads_and_check_the_choice() {
    let mut asked = 0;
    for op in ops::OPERATORS {
        for seed in [1, 7, 42] {
            let mut session = Session::from_query(&format!("op={}&practice=cells&seed={seed}", op.name));
            let trace = session.run().trace.clone();
            if session.practice().unwrap().question.is_none() {
                assert!(cells_steps(&trace).is_empty(), "{}", op.name);
                continue;
            }
            asked += 1;
            let (step, target, scatter, answer) = cells_q(&session);
            // The trace's own correspondences: a gather reads its write's data cells, a
            // scatter stamps its focus onto the step's targets.
            let expected: Vec<CellRef> = if scatter {
                let mut t: Vec<CellRef> = trace.steps[step - 1].writes.iter().map(|w| w.target).collect();
                t.sort();
                t.dedup();
                t
            } else {
                let written = trace.steps.iter().flat_map(|s| &s.writes).filter(|w| w.target == target).count();
                // What the cell was computed from, less the kernel taps and the bias.
                let writes: Vec<_> =
                    trace.steps.iter().flat_map(|s| &s.writes).filter(|w| w.target == target).collect();
                let kernel: Vec<CellRef> = writes
                    .iter()
                    .flat_map(|w| w.taps.iter().filter_map(|t| t.weight).chain(w.constant().and_then(|c| c.cell)))
                    .collect();
                let data: Vec<CellRef> = trace
                    .sources(target)
                    .into_iter()
                    .filter(|c| !kernel.contains(c) && trace.grids[c.grid].role != Role::Weight)
                    .collect();
                if written > 1
                    || trace.steps[step - 1].writes[0]
                        .taps
                        .iter()
                        .any(|t| matches!(t.source, convscope::trace::Source::Sample { .. }))
                {
                    // Written in several steps, or sampled (zero-weight corners are not read):
                    // compare with this step's reads only.
                    answer.clone()
                } else {
                    data
                }
            };
            assert_eq!(answer, expected, "{} seed {seed}", op.name);
            // The picture stops before the step, without its outlines, the cell asked about marked.
            assert_eq!(session.step(), step - 1, "{}", op.name);
            session.seek(step);
            assert_eq!(session.step(), step - 1, "{}: stepped onto the answer", op.name);
            let scene = session.scene(Viewport { width: 1600, height: 1000, dpr: 1.0 }, true);
            let fills = |fill: convscope::scene::palette::Rgba| {
                scene.shapes.iter().filter(|s| matches!(s, Shape::Rect { fill: Some(f), .. } if *f == fill)).count()
            };
            // (The legend's swatch is the one read wash allowed.)
            assert!(fills(convscope::scene::palette::READ_WASH) <= 1, "{}: the step's reads are drawn", op.name);
            assert_eq!(
                fills(convscope::scene::palette::ASKED_WASH),
                2,
                "{}: the cell asked about, and its swatch",
                op.name
            );
            // Hovering the cell asked about lists nothing.
            session.set_hover(Some(target));
            let hover = session.hover_text().unwrap_or_default();
            assert!(
                !hover.contains("computed from") && hover.contains("hidden until you answer"),
                "{}: {hover}",
                op.name
            );
            session.set_hover(None);
            // Checking nothing counts nothing; a wrong choice says how far off and crosses the
            // wrong cells; the answer shows the missed ones; the next question asks again.
            assert_eq!(session.practice_check("").0, Outcome::NotANumber);
            let wrong_cell = (0..trace.grids.len())
                .filter(|&g| trace.grids[g].role != Role::Weight)
                .flat_map(|g| (0..trace.grids[g].len()).map(move |o| (g, o)))
                .map(|(g, o)| CellRef { grid: g, index: trace.grids[g].unravel(o) })
                .find(|c| !answer.contains(c) && *c != target);
            let first = answer[0];
            assert!(session.practice_toggle(first));
            let mut extra = 0;
            if let Some(c) = wrong_cell {
                if session.practice_toggle(c) {
                    extra = 1;
                }
            }
            let (outcome, report) = session.practice_check("");
            if answer.len() == 1 && extra == 0 {
                assert_eq!(outcome, Outcome::Right, "{}", op.name);
                continue;
            }
            assert_eq!(outcome, Outcome::Wrong { off: vec![(answer.len() - 1) as f64, extra as f64] }, "{}", op.name);
            assert_eq!(report.unwrap()["kind"], "cells");
            let marks = session.practice_marks_for_test();
            assert_eq!(marks.iter().filter(|(_, m)| *m == PracticeMark::Extra).count(), extra, "{}", op.name);
            assert_eq!(marks.iter().filter(|(_, m)| *m == PracticeMark::Missed).count(), 0, "{}", op.name);
            session.practice_hint();
            let hint = session.practice_json()["hint"].as_str().unwrap().to_string();
            // It says how many cells of which grid, for the cell asked about.
            let label = trace.grids[target.grid].label(target.index);
            let words: Vec<&str> = hint.split_whitespace().collect();
            let counted: usize = words
                .windows(2)
                .filter(|w| w[1] == "of")
                .filter_map(|w| w[0].replace(',', "").parse::<usize>().ok())
                .sum();
            assert!(hint.contains(&label) && counted == answer.len(), "{}: {hint} ({} cells)", op.name, answer.len());
            // Taking the wrong cell back and choosing the rest is right.
            if let (Some(c), 1) = (wrong_cell, extra) {
                assert!(session.practice_toggle(c));
            }
            for &c in &answer[1..] {
                assert!(session.practice_toggle(c), "{}", op.name);
            }
            assert_eq!(session.practice_check("").0, Outcome::Right, "{}", op.name);
            assert_eq!(session.practice().unwrap().number, 1);
            // The next one, revealed, outlines what was missed.
            if session.practice().unwrap().question.is_some() {
                let (_, _, _, answer) = cells_q(&session);
                session.practice_reveal();
                let missed =
                    session.practice_marks_for_test().iter().filter(|(_, m)| *m == PracticeMark::Missed).count();
                assert_eq!(missed, answer.len(), "{}", op.name);
            }
        }
    }
    assert!(asked >= 30, "only {asked} cells questions");
}

#[test]
fn cells_answers_match_the_conv_window_and_the_scatter_footprint() {
    // conv2d: output (i, j) reads padded cells (i·s + a·d, j·s + b·d); conv_transpose2d's
    // scatter stamps x[i, j] onto (i·s − p + a·d, j·s − p + b·d) when inside the output.
    for (s, p, d, k) in [(1, 0, 1, 3), (2, 1, 1, 3), (1, 2, 2, 3), (3, 1, 1, 2)] {
        for seed in 1..6 {
            let q = format!(
                "op=conv2d&height=7&width=7&stride={s}&padding={p}&dilation={d}&kernel_size={k}&practice=cells&seed={seed}"
            );
            let session = Session::from_query(&q);
            let (_, target, scatter, answer) = cells_q(&session);
            assert!(!scatter);
            let [_, _, i, j] = target.index;
            let mut window: Vec<CellRef> = (0..k)
                .flat_map(|a| (0..k).map(move |b| CellRef { grid: 0, index: [0, 0, i * s + a * d, j * s + b * d] }))
                .collect();
            window.sort();
            assert_eq!(answer, window, "{q}");

            let q = format!(
                "op=conv_transpose2d&view=scatter&height=3&width=3&stride={s}&padding={}&dilation={d}&kernel_size={k}&practice=cells&seed={seed}",
                p.min(d * (k - 1))
            );
            let session = Session::from_query(&q);
            assert!(session.warnings().is_empty(), "{q}: {:?}", session.warnings());
            let (_, focus, scatter, answer) = cells_q(&session);
            assert!(scatter, "{q}");
            let out = session.run().trace.grids.iter().rposition(|g| g.role == Role::Output).unwrap();
            let [h, w] = [2, 3].map(|a| session.run().trace.grids[out].shape[a] as isize);
            let [_, _, i, j] = focus.index.map(|v| v as isize);
            let (s, p, d) = (s as isize, p.min(d * (k - 1)) as isize, d as isize);
            let mut stamp: Vec<CellRef> = (0..k as isize)
                .flat_map(|a| (0..k as isize).map(move |b| (i * s - p + a * d, j * s - p + b * d)))
                .filter(|&(r, c)| (0..h).contains(&r) && (0..w).contains(&c))
                .map(|(r, c)| CellRef { grid: out, index: [0, 0, r as usize, c as usize] })
                .collect();
            stamp.sort();
            stamp.dedup();
            assert_eq!(answer, stamp, "{q}");
        }
    }
}
