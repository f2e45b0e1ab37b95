//! Every word a reader sees exists in each language: the catalogues agree (same messages,
//! no variable a translation invents), and every operator, over its defaults, each option of
//! each menu and each slider at its maximum, shows in Chinese no message the catalogue lacks
//! and no English word (PyTorch's own names excepted): titles, summaries, controls, formula,
//! facts, step sentences and stage explanations, hover sentences, refusals, and every text of
//! the picture (captions, legend, charts).
//! `cargo test --test integration i18n -- --nocapture` lists what is left, by operator.

use std::collections::BTreeSet;

use crate::sentences::{probe_cells, probe_steps};
use convscope::ops;
use convscope::params::ParamKind;
use convscope::scene::{Camera, Shape, Viewport};
use convscope::session::Session;
use convscope::text::{self, Lang};

/// Words that read the same in Chinese course material: library, paper and format names.
const SAME_IN_CHINESE: &[&str] = &[
    "PyTorch",
    "torchvision",
    "mmcv",
    "ONNX",
    "TensorFlow",
    "RoI",
    "RoIAlign",
    "ASPP",
    "HDC",
    "FCN",
    "DeepLab",
    "LargeFOV",
    "VGG",
    "AlexNet",
    "ResNet",
    "SVG",
    "PNG",
    "GIF",
    "JSON",
    "URL",
    "NaN",
    "max",
    "min",
    "sum",
    "mean",
    "mod",
    "DCR",
    "CRD",
    "DCNv1",
    "DCNv2",
    "Wojna",
    "Odena",
    "Wang",
    "Araujo",
    "Chen",
    "Long",
    "Shelhamer",
    "Yu",
    "Koltun",
    "print",
    "model",
    "Sequential",
    "Conv2d",
    "MaxPool2d",
    "AvgPool2d",
    "Linear",
    "Flatten",
    "Upsample",
    "ConvTranspose2d",
    "BasicBlock",
    "InvertedResidual",
    "ReLU",
    "BatchNorm2d",
    "Dropout",
    "ceil_mode",
    "conv",
    "the",
    "pool",
    "fc6",
    "fc7",
    "conv7",
    "pool5",
    "pool4",
    "pool3",
    "upsample_filt",
    "fps",
    "zh",
];

/// What a Chinese reader would see of one setting, each text with where it comes from.
fn texts(query: &str) -> Vec<(String, String)> {
    let mut s = Session::from_query(query);
    s.set_lang(Lang::ZhCn);
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |place: &str, text: String| out.push((place.to_string(), text));
    if let Some(e) = s.error_text() {
        add("refusal", e);
    }
    for w in s.warnings() {
        add("warning", w);
    }
    add("summary", s.summary());
    add("caption", s.caption());
    for spec in s.schema_json().as_array().unwrap() {
        add("control", spec["label"].as_str().unwrap_or_default().to_string());
        add("control help", spec["help"].as_str().unwrap_or_default().to_string());
        for option in spec["options"].as_array().into_iter().flatten() {
            add("option", option[1].as_str().unwrap_or_default().to_string());
        }
        for field in spec["fields"].as_array().into_iter().flatten() {
            add("layer column", field["label"].as_str().unwrap_or_default().to_string());
        }
    }
    s.formula().into_iter().for_each(|l| add("formula", l));
    s.facts().into_iter().for_each(|l| add("fact", l));
    let [output, input] = probe_cells(&s.run().trace);
    for step in probe_steps(s.n_steps()) {
        s.seek(step);
        add("step", s.describe());
        if let Some(e) = s.stage_explanation() {
            add("stage", e);
        }
        for cell in [output, input] {
            s.set_hover(cell);
            if let Some(h) = s.hover_text() {
                add("hover", h);
            }
        }
        s.set_hover(None);
        let scene = s.export_scene_at(Viewport::new(900, 600, 1.0), true, step, Camera::Fit);
        for shape in &scene.shapes {
            if let Shape::Text { text, .. } = shape {
                add("picture", text.clone());
            }
        }
    }
    out
}

/// Settings that show an operator's words: its defaults, each option of each menu, and each
/// slider at its maximum.
fn settings(op: &ops::Operator) -> Vec<String> {
    let mut queries = vec![format!("op={}", op.name)];
    for spec in op.schema {
        match spec.kind {
            ParamKind::Choice { options, .. } => {
                queries.extend(options.iter().map(|(v, _)| format!("op={}&{}={v}", op.name, spec.name)))
            }
            ParamKind::Int { max, .. } | ParamKind::Pair { max, .. } => {
                queries.push(format!("op={}&{}={max}", op.name, spec.name))
            }
            ParamKind::Layers { .. } => {}
        }
    }
    queries
}

/// English words in `text` that are not names: runs of three or more Latin letters, except
/// PyTorch's names (an argument, an operator, an option value: these read the same in Chinese
/// material) and the words of [`SAME_IN_CHINESE`].
fn english_words(text: &str, names: &BTreeSet<String>) -> Vec<String> {
    let mut words = Vec::new();
    for token in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '\'')) {
        let token = token.trim_matches('\'');
        let letters = token.chars().filter(|c| c.is_ascii_alphabetic()).count();
        if letters < 3 || token.contains('_') || token.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        if names.contains(token) || SAME_IN_CHINESE.contains(&token) {
            continue;
        }
        words.push(token.to_string());
    }
    words
}

/// PyTorch's names the interface shows as they are.
fn names() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for op in ops::OPERATORS {
        names.insert(op.name.to_string());
        for part in op.name.split('_') {
            names.insert(part.to_string());
        }
        for spec in op.schema {
            names.insert(spec.name.to_string());
            if let ParamKind::Choice { options, .. } = spec.kind {
                // A value such as `nearest-exact` is PyTorch's, word by word too.
                names.extend(options.iter().flat_map(|(v, _)| v.split('-').chain([*v])).map(str::to_string));
            }
            if let ParamKind::Pair { words, .. } = spec.kind {
                names.extend(words.iter().map(|w| w.to_string()));
            }
        }
    }
    names
}

#[test]
fn the_catalogues_agree() {
    let problems = text::catalogue_problems();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_operator_speaks_chinese() {
    let names = names();
    let mut report = String::new();
    let mut total = 0;
    for op in ops::OPERATORS {
        let mut seen = BTreeSet::new();
        for query in settings(op) {
            for (place, text) in texts(&query) {
                let words = english_words(&text, &names);
                if !words.is_empty() && seen.insert(text.clone()) {
                    total += 1;
                    report.push_str(&format!("{} · {place}: {text}\n    [{}]\n", op.name, words.join(", ")));
                }
            }
        }
    }
    println!("{report}");
    assert!(total == 0, "{total} texts show English words in Chinese:\n{report}");
}

#[test]
fn every_message_the_code_names_exists() {
    // Every static id the operators use: titles, summaries, control labels and help, options.
    let mut missing = Vec::new();
    for op in ops::OPERATORS {
        let mut ids = vec![op.title, op.summary];
        for spec in op.schema {
            ids.extend([spec.label, spec.help]);
            if let ParamKind::Choice { options, .. } = spec.kind {
                ids.extend(options.iter().map(|(_, label)| *label));
            }
            if let ParamKind::Layers { fields, .. } = spec.kind {
                ids.extend(fields.iter().map(|f| f.label));
            }
        }
        for lang in Lang::ALL {
            for id in &ids {
                if let Err(e) = text::Msg::id(id).check(lang) {
                    missing.push(format!("{}: {e}", op.name));
                }
            }
        }
    }
    missing.dedup();
    assert!(missing.is_empty(), "{} missing:\n{}", missing.len(), missing.join("\n"));
}

#[test]
fn every_message_the_page_names_exists() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www");
    let html = std::fs::read_to_string(root.join("index.html")).unwrap();
    let js = std::fs::read_to_string(root.join("main.js")).unwrap();
    let mut ids = BTreeSet::new();
    for attr in ["data-i18n=\"", "data-i18n-title=\"", "data-i18n-aria=\""] {
        for part in html.split(attr).skip(1) {
            ids.insert(part.split('"').next().unwrap().to_string());
        }
    }
    // `t('ui-…')` calls (not `createElement('div')`: the `t` stands alone).
    let pieces: Vec<&str> = js.split("t('").collect();
    for (before, part) in pieces.iter().zip(&pieces[1..]) {
        let alone = !before.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        let id = part.split('\'').next().unwrap();
        if alone && !id.contains('…') {
            ids.insert(id.to_string());
        }
    }
    assert!(ids.len() > 60, "found only {} ids: is the page still marked up?", ids.len());
    let english = text::english_ids();
    let missing: Vec<_> = ids.iter().filter(|id| !english.contains(id)).collect();
    assert!(missing.is_empty(), "the page names messages the catalogue lacks: {missing:?}");
}
