//! The `convscope` binary: eval answers line by line (malformed lines included) with the
//! documented exit status; the golden checker passes for implemented ops; render writes files.

use std::io::Write;
use std::process::{Command, Stdio};

use convscope::ops;

use crate::support::{golden_cases, golden_dir, mismatch};

fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_convscope"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Written from a thread: the answers are flushed line by line, so a long input must be
    // read from while it is still being written, or both pipes fill and each side waits.
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_string();
    let writer = std::thread::spawn(move || input.write_all(stdin.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn eval_answers_every_golden_line_in_order() {
    let cases = golden_cases();
    let stdin: String =
        cases.iter().map(|c| serde_json::json!({ "op": c.op, "args": c.args }).to_string() + "\n").collect();
    let (code, stdout, _) = run(&["eval"], &stdin);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), cases.len());
    for (case, line) in cases.iter().zip(lines) {
        let answer: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(mismatch(&answer["output"], &case.expected, "output"), None, "{}: {line}", case.name);
    }
    assert_eq!(code, 0, "every golden request succeeds, so eval exits 0");
}

#[test]
fn malformed_lines_get_errors_and_the_rest_still_get_answers() {
    let good = r#"{"op": "conv2d", "args": {"input": [[[[1, 2], [3, 4]]]], "weight": [[[[1]]]]}}"#;
    let stdin = format!(
        "{good}\nnot json\n{{\"op\": \"conv2d\"}}\n\n{good}\n{{\"op\": \"conv2d\", \"args\": {{\"input\": [[[[1e999]]]], \"weight\": [[[[1]]]]}}}}\n"
    );
    let (code, stdout, _) = run(&["eval"], &stdin);
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    assert_eq!(lines[0]["output"], serde_json::json!([[[[1.0, 2.0], [3.0, 4.0]]]]));
    assert!(lines[1]["error"].as_str().unwrap().starts_with("malformed JSON"));
    assert!(lines[2]["error"].as_str().unwrap().contains("args"));
    assert_eq!(lines[3], lines[0]);
    assert!(lines[4]["error"].is_string(), "{}", lines[4]);
    assert_eq!(code, 2);

    let (code, stdout, _) = run(&["eval"], &format!("{good}\n"));
    assert_eq!((code, stdout.lines().count()), (0, 1));
}

#[test]
fn the_shared_golden_checker_passes_for_implemented_ops() {
    // Runs the golden checker (a copy of ../shared/tools/check_golden.py) on the golden
    // files of every implemented operator, against this build of the CLI.
    let dir = std::env::temp_dir().join(format!("convscope-golden-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut n_files = 0;
    for name in ops::eval_ops().map(|op| op.name) {
        let file = golden_dir().join(format!("{name}.jsonl"));
        if file.exists() {
            std::fs::copy(&file, dir.join(file.file_name().unwrap())).unwrap();
            n_files += 1;
        }
    }
    assert!(n_files >= 2);
    let out = Command::new("python3")
        .arg(golden_dir().join("check_golden.py"))
        .arg(&dir)
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_convscope"))
        .arg("eval")
        .output()
        .expect("python3 runs the golden checker");
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.trim_end().ends_with("golden cases match"), "{stdout}");
}

#[test]
fn render_writes_svg_and_png() {
    let dir = std::env::temp_dir().join(format!("convscope-render-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("frame.svg");
    let png = dir.join("frame.png");
    let (code, _, err) = run(
        &["render", "--op", "conv_transpose2d", "--param", "stride=3", "--step", "4", "-o", svg.to_str().unwrap()],
        "",
    );
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.contains("Step 4 of"), "{}", &text[..200.min(text.len())]);
    let (code, _, err) =
        run(&["render", "--query", "op=conv2d&padding=1&step=3", "--format", "png", "-o", png.to_str().unwrap()], "");
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn render_reports_bad_parameters() {
    let (code, _, err) = run(&["render", "--param", "stride=0"], "");
    assert_eq!(code, 2);
    assert!(err.contains("Stride must be between 1 and 8"), "{err}");
    let (code, _, err) = run(&["render", "--param", "kernel_size=9"], "");
    assert_eq!(code, 2);
    assert!(err.contains("dilated kernel spans 9 rows"), "{err}");
    let (code, _, err) = run(&["render", "--op", "conv9d"], "");
    assert_eq!(code, 2);
    assert!(err.contains("unknown operator"), "{err}");
}

#[test]
fn absurd_requests_get_errors_not_crashes() {
    let one = "[[[[1]]]]";
    let lines = [
        format!(r#"{{"op": "conv2d", "args": {{"input": {one}, "weight": {one}, "dilation": 99999999999}}}}"#),
        format!(r#"{{"op": "conv2d", "args": {{"input": {one}, "weight": {one}, "padding": 1000000}}}}"#),
        format!(
            r#"{{"op": "conv_transpose2d", "args": {{"input": [[[[1, 1], [1, 1]]]], "weight": {one}, "stride": 1000000}}}}"#
        ),
        format!(r#"{{"op": "pixel_shuffle", "args": {{"input": {one}, "upscale_factor": 4294967296}}}}"#),
        format!(r#"{{"op": "pixel_unshuffle", "args": {{"input": {one}, "downscale_factor": 0}}}}"#),
        format!(r#"{{"op": "interpolate", "args": {{"input": {one}, "mode": "bilinear", "scale_factor": 1e300}}}}"#),
        format!(
            r#"{{"op": "interpolate", "args": {{"input": {one}, "mode": "bicubic", "size": 2, "antialias": true}}}}"#
        ),
        r#"{"op": "interpolate", "args": {"input": [[[1]]], "mode": "bicubic", "size": 2}}"#.to_string(),
        format!(
            r#"{{"op": "bilinear_additive_upsample", "args": {{"input": {one}, "scale_factor": 2, "channel_group": 0}}}}"#
        ),
        format!(r#"{{"op": "conv2d", "args": {{"input": {one}, "weight": {one}, "bias": [1, 2]}}}}"#),
        r#"{"op": "conv2d", "args": {"input": [[[[NaN]]]], "weight": [[[[1]]]]}}"#.to_string(),
    ];
    let (code, stdout, stderr) = run(&["eval"], &(lines.join("\n") + "\n"));
    assert_eq!(code, 2, "{stderr}");
    let answers: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(answers.len(), lines.len(), "{stdout}");
    for (line, answer) in lines.iter().zip(&answers) {
        let message = answer["error"].as_str().unwrap_or_else(|| panic!("{line} → {answer}"));
        assert!(message.len() > 12, "{line} → {message}");
    }
    assert!(answers[1]["error"].as_str().unwrap().contains("at most"), "{}", answers[1]);
    // Bicubic itself is answered (PyTorch's clamped border makes a 1×1 map constant).
    let bicubic = format!(r#"{{"op": "interpolate", "args": {{"input": {one}, "mode": "bicubic", "size": 2}}}}"#);
    let (code, stdout, _) = run(&["eval"], &(bicubic + "\n"));
    assert_eq!((code, stdout.trim()), (0, r#"{"output":[[[[1.0,1.0],[1.0,1.0]]]]}"#));
}

#[test]
fn hostile_offsets_and_rois_get_answers_not_hangs() {
    let x = "[[[[1, 2], [3, 4]]]]";
    let w = "[[[[1]]]]";
    let lines = [
        // Huge offsets at two output positions sample far outside the map (zeros, as
        // torchvision gives); the other two have zero offsets.
        format!(
            r#"{{"op": "deform_conv2d", "args": {{"input": {x}, "weight": {w}, "offset": [[[[1e30, 0], [0, 0]], [[0, -1e30], [0, 0]]]]}}}}"#
        ),
        // A RoI far outside the map pools zeros; an inverted one is PyTorch's business.
        format!(
            r#"{{"op": "roi_align", "args": {{"input": {x}, "boxes": [[0, 100, 100, 120, 120]], "output_size": 1, "sampling_ratio": 2}}}}"#
        ),
        format!(
            r#"{{"op": "roi_pool", "args": {{"input": {x}, "boxes": [[0, 1e30, -1e30, -5, 3e38]], "output_size": 2}}}}"#
        ),
        // Adaptive sampling of an enormous RoI is refused instead of looping for ever.
        format!(r#"{{"op": "roi_align", "args": {{"input": {x}, "boxes": [[0, 0, 0, 1e9, 1e9]], "output_size": 1}}}}"#),
        format!(
            r#"{{"op": "deform_roi_pool", "args": {{"input": {x}, "rois": [[5, 0, 0, 1, 1]], "output_size": 1}}}}"#
        ),
    ];
    let started = std::time::Instant::now();
    let (code, stdout, stderr) = run(&["eval"], &(lines.join("\n") + "\n"));
    assert!(started.elapsed().as_secs() < 20, "took {:?}", started.elapsed());
    let answers: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(answers.len(), 5, "{stdout}{stderr}");
    assert_eq!(answers[0]["output"], serde_json::json!([[[[0.0, 0.0], [3.0, 4.0]]]]), "{}", answers[0]);
    assert_eq!(answers[1]["output"], serde_json::json!([[[[0.0]]]]), "{}", answers[1]);
    assert!(answers[2]["output"].is_array(), "{}", answers[2]);
    assert!(answers[3]["error"].as_str().unwrap().contains("give a sampling_ratio"), "{}", answers[3]);
    assert!(answers[4]["error"].as_str().unwrap().contains("batch index 5"), "{}", answers[4]);
    assert_eq!(code, 2);
}

/// conv_arithmetic's `padding_strides_transposed.gif` (input 3×3, kernel 3, stride 2,
/// padding 1; 25 frames, 395×449, no numbers) is 272 KB. The whole run of the same case with
/// values drawn, at 800×500, must be at most half of that; every step is a frame, the first
/// frame is the whole picture, it loops forever, and the caption names the setting.
#[test]
fn render_gif_of_the_conv_arithmetic_case_is_half_its_size() {
    let dir = std::env::temp_dir().join(format!("convscope-gif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let gif = dir.join("transposed.gif");
    let query = "op=conv_transpose2d&height=3&width=3&kernel_size=3&stride=2&padding=1";
    let args = ["render", "--query", query, "--format", "gif", "--width", "800", "--height", "500"];
    let (code, _, err) = run(&[&args[..], &["-o", gif.to_str().unwrap()]].concat(), "");
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&gif).unwrap();
    assert!(bytes.len() <= 136 * 1024, "{} bytes, more than 136 KB", bytes.len());
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    let mut decoder = options.read_info(bytes.as_slice()).unwrap();
    assert_eq!((decoder.width(), decoder.height()), (800, 500));
    let mut frames = Vec::new();
    while let Some(frame) = decoder.read_next_frame().unwrap() {
        frames.push((frame.left, frame.top, frame.width, frame.height, frame.delay));
    }
    let steps = convscope::session::Session::from_query(query).n_steps();
    assert_eq!(frames.len(), steps + 1, "one frame per step and the start");
    assert_eq!(frames[0], (0, 0, 800, 500, 50), "2 frames per second");
    assert!(frames[1..].iter().all(|f| u32::from(f.2) * u32::from(f.3) < 800 * 500), "later frames hold what changed");
    assert_eq!(decoder.repeat(), gif::Repeat::Infinite);
    // A range, a speed, and refusals.
    let short = dir.join("short.gif");
    let (code, _, err) = run(
        &[&args[..], &["--from", "3", "--to", "5", "--fps", "4", "--loop", "2", "-o", short.to_str().unwrap()]]
            .concat(),
        "",
    );
    assert_eq!(code, 0, "{err}");
    let mut decoder = options_rgba().read_info(std::fs::File::open(&short).unwrap()).unwrap();
    let mut n = 0;
    while let Some(frame) = decoder.read_next_frame().unwrap() {
        assert_eq!(frame.delay, 25);
        n += 1;
    }
    assert_eq!((n, decoder.repeat()), (3, gif::Repeat::Finite(2)));
    for bad in [&["--from", "9", "--to", "2"][..], &["--to", "999"], &["--fps", "0"], &["--fps", "NaN"]] {
        let (code, _, err) = run(&[&args[..], bad, &["-o", short.to_str().unwrap()]].concat(), "");
        assert_eq!(code, 2, "{bad:?}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn options_rgba() -> gif::DecodeOptions {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    options
}

#[test]
fn render_speaks_the_language_asked_for() {
    let query = "op=conv_transpose2d&stride=2&step=5";
    let (code, zh, _) = run(&["render", "--query", query, "--format", "text", "--lang", "zh-CN"], "");
    assert_eq!(code, 0);
    assert!(zh.starts_with("第 5 步（共 52 步）"), "{zh}");
    let (code, en, _) =
        run(&["render", "--query", &format!("{query}&lang=zh-CN"), "--format", "text", "--lang", "en"], "");
    assert_eq!(code, 0);
    assert!(en.starts_with("Step 5 of 52"), "--lang overrides the query's lang=: {en}");
    let (code, _, err) = run(&["render", "--query", query, "--format", "text", "--lang", "tlh"], "");
    assert_ne!(code, 0);
    assert!(err.contains("--lang must be en or zh-CN"), "{err}");
    // A PNG in Chinese uses a CJK font of the system, or says there is none.
    let out = std::env::temp_dir().join(format!("convscope-zh-{}.png", std::process::id()));
    let (code, _, err) =
        run(&["render", "--query", query, "--format", "png", "--lang", "zh-CN", "-o", out.to_str().unwrap()], "");
    let has_cjk = std::path::Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").exists();
    if has_cjk {
        assert_eq!(code, 0, "{err}");
        assert!(std::fs::read(&out).unwrap().starts_with(b"\x89PNG"));
    } else if code != 0 {
        assert!(err.contains("no CJK font was found"), "{err}");
    }
    let _ = std::fs::remove_file(out);
}
