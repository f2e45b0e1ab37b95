//! The URL form of a session: `op=…&stride=2&edits=x.0.0.1.2:5&step=4&embed=1`, read with
//! every value that is not used reported, and written for the picture on screen.

use super::practice::{Kind, Practice, SEED};
use super::{Embed, MAX_CELL_VALUE, MAX_EDITS, Session, clip, next_run_id};
use crate::msg;
use crate::ops::{self, Edits, Tensor};
use crate::params::Params;
use crate::text::{self, Lang, Msg};

/// Longest query string read; the rest is ignored with a warning.
const MAX_QUERY: usize = 16 * 1024;

/// Query keys that are not operator parameters.
const RESERVED: &[&str] =
    &["op", "step", "edits", "embed", "caption", "playback", "lang", "practice", "question", "origin", "vary"];

impl Session {
    /// Restores a session from a URL query (`op=…&stride=2&step=5`), reporting what it had
    /// to ignore.
    pub fn from_query(query: &str) -> Session {
        let mut warnings = Vec::new();
        let query = query.trim_start_matches('?');
        let query = if query.len() > MAX_QUERY {
            warnings.push(msg!("url-too-long", n = MAX_QUERY));
            &query[..query.floor_char_boundary(MAX_QUERY)]
        } else {
            query
        };
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        let get = |key: &str| pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        let op = match get("op") {
            None => ops::OPERATORS[0],
            Some(name) => ops::find(name).unwrap_or_else(|| {
                warnings.push(msg!("url-unknown-op", name = clip(name), shown = ops::OPERATORS[0].name));
                ops::OPERATORS[0]
            }),
        };
        let mut session = Session::with_operator(op);
        if let Some(tag) = get("lang") {
            match Lang::from_tag(tag) {
                Some(lang) if text::has_catalogue(lang) => session.set_lang(lang),
                Some(lang) => warnings.push(msg!("url-lang-not-loaded", lang = lang.native_name())),
                None => warnings.push(msg!("url-bad-lang", raw = clip(tag))),
            }
        }
        let mut flag = |key: &str, default: bool, fallback: Msg| match get(key) {
            None => default,
            Some("0" | "false") => false,
            Some("1" | "true") => true,
            Some(other) => {
                warnings.push(msg!("url-bad-flag", key = key, raw = clip(other), fallback = fallback));
                default
            }
        };
        session.embed = Embed {
            on: flag("embed", false, msg!("url-flag-embed")),
            caption: flag("caption", true, msg!("url-flag-caption")),
            playback: flag("playback", true, msg!("url-flag-playback")),
        };
        let (mut params, problems) =
            Params::from_pairs(op.schema, pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), &{
                let mut reserved = RESERVED.to_vec();
                if !session.has_seed_control() {
                    reserved.push(SEED);
                }
                reserved
            });
        op.expand(&mut params);
        // Values the URL sets that a preset then replaced: with no preset in the URL, they
        // are a custom setting (`layers=…` alone means those layers).
        let replaced = |params: &Params| -> Vec<&str> {
            pairs
                .iter()
                .filter(|(k, v)| {
                    let parsed = params.spec(k).and_then(|spec| spec.parse(v).ok());
                    parsed.is_some_and(|value| params.get(k) != Some(value))
                })
                .map(|(k, _)| k.as_str())
                .collect()
        };
        let lost = replaced(&params);
        let custom = params.spec("preset").is_some_and(|spec| spec.parse("custom").is_ok());
        if !lost.is_empty() && get("preset").is_none() && custom {
            let _ = params.set("preset", "custom");
            for (k, v) in pairs.iter().filter(|(k, _)| lost.contains(&k.as_str())) {
                let _ = params.set(k, v);
            }
            op.expand(&mut params);
        }
        for name in replaced(&params) {
            warnings.push(msg!("url-replaced-by-preset", name = name));
        }
        warnings.extend(problems);
        let (edits, problems) = parse_edits(get("edits").unwrap_or(""));
        warnings.extend(problems);
        match op.run(&params, &edits) {
            Ok(run) => {
                session.params = params;
                session.run = run;
                session.run_id = next_run_id();
                *session.replayed.get_mut() = None;
                session.index = Default::default();
                // Edits of cells the tensors do not have were not used: say so, drop them.
                let (used, unused): (Edits, Edits) = edits.into_iter().partition(|&(key, _)| session.edit_applies(key));
                for ((tensor, [a, b, c, d]), _) in unused {
                    warnings.push(msg!(
                        "url-edit-no-cell",
                        cell = format!("{}[{a},{b},{c},{d}]", tensor.key()),
                        tensor = Msg::id(tensor.name())
                    ));
                }
                session.edits = used;
                session.shown = (session.params.clone(), session.edits.clone());
            }
            Err(err) => warnings.push(msg!("url-no-valid-output", problem = err.message)),
        }
        session.step = session.opening_step();
        if let Some(raw) = get("step") {
            match raw.parse::<usize>() {
                Ok(step) if step <= session.n_steps() => session.step = step,
                _ => warnings.push(msg!("url-bad-step", n = session.n_steps(), raw = clip(raw))),
            }
        }
        session.read_practice(&get, &mut warnings);
        session.warnings = warnings;
        session
    }

    /// `practice=value&seed=7&question=3&origin=https://course.example`: the kind, the
    /// sequence, the question reached (1-based) and the host page scores are posted to.
    fn read_practice<'q>(&mut self, get: &dyn Fn(&str) -> Option<&'q str>, warnings: &mut Vec<Msg>) {
        let own_seed = !self.has_seed_control();
        let Some(raw) = get("practice") else {
            let keys = ["question", "origin", "vary"].into_iter().chain(own_seed.then_some(SEED));
            for key in keys {
                if get(key).is_some() {
                    warnings.push(msg!("url-practice-only", key = key));
                }
            }
            return;
        };
        let Some(kind) = Kind::from_name(raw) else {
            let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
            warnings.push(msg!("url-bad-practice", raw = clip(raw), kinds = kinds.join(", ")));
            return;
        };
        let seed = match get(SEED).filter(|_| own_seed).map(|raw| (raw, raw.parse::<u64>())) {
            None => 1,
            Some((_, Ok(seed))) => seed,
            Some((raw, Err(_))) => {
                warnings.push(msg!("url-bad-seed", raw = clip(raw)));
                1
            }
        };
        let number = match get("question").map(|raw| (raw, raw.parse::<u64>())) {
            None => 0,
            Some((_, Ok(n))) if (1..=MAX_QUESTION).contains(&n) => n - 1,
            Some((raw, _)) => {
                warnings.push(msg!("url-bad-question", raw = clip(raw), n = MAX_QUESTION as usize));
                0
            }
        };
        let origin = get("origin").and_then(|raw| match origin_of(raw) {
            Some(origin) => Some(origin),
            None => {
                warnings.push(msg!("url-bad-origin", raw = clip(raw)));
                None
            }
        });
        // `vary=stride,padding`: controls of this operator with a range or options.
        let vary = get("vary").map(|raw| {
            let mut names = Vec::new();
            for name in raw.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                match self.params.spec(name) {
                    Some(spec) if !matches!(spec.kind, crate::params::ParamKind::Layers { .. }) => {
                        if !names.contains(&spec.name) {
                            names.push(spec.name);
                        }
                    }
                    _ => warnings.push(msg!("url-bad-vary", name = clip(name), op = self.op.name)),
                }
            }
            names
        });
        self.practice = Some(Practice { number, origin, vary, ..Practice::new(kind, seed) });
        self.ask();
    }

    /// The URL query that restores the picture on screen exactly (a pending setting with no
    /// valid output is not part of it).
    pub fn to_query(&self) -> String {
        self.query(true)
    }

    /// The query of the same picture on the full page (no embed options): what an embedded
    /// page's "open in convscope" link and the embed code start from.
    pub fn page_query(&self) -> String {
        self.query(false)
    }

    fn query(&self, with_embed: bool) -> String {
        let (params, edits) = &self.shown;
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("op", self.op.name);
        for (name, value) in params.changed_pairs() {
            query.append_pair(name, &value);
        }
        if !edits.is_empty() {
            query.append_pair("edits", &format_edits(edits));
        }
        if self.step != self.opening_step() {
            query.append_pair("step", &self.step.to_string());
        }
        if self.lang_chosen {
            query.append_pair("lang", self.lang.tag());
        }
        if let Some(practice) = &self.practice {
            query.append_pair("practice", practice.kind.name());
            if !self.has_seed_control() {
                query.append_pair(SEED, &practice.seed.to_string());
            }
            if practice.number > 0 {
                query.append_pair("question", &(practice.number + 1).to_string());
            }
            if let Some(vary) = &practice.vary {
                query.append_pair("vary", &vary.join(","));
            }
            if let Some(origin) = &practice.origin {
                query.append_pair("origin", origin);
            }
        }
        if with_embed && self.embed.on {
            query.append_pair("embed", "1");
        }
        for (key, shown) in [("caption", self.embed.caption), ("playback", self.embed.playback)] {
            if with_embed && !shown {
                query.append_pair(key, "0");
            }
        }
        query.finish()
    }
}

/// Highest question number a URL may ask for.
const MAX_QUESTION: u64 = 1_000_000;

/// A web origin as `postMessage` takes it: `https://host[:port]`, nothing after.
fn origin_of(raw: &str) -> Option<String> {
    let (scheme, rest) = raw.split_once("://")?;
    let host = rest.strip_suffix('/').unwrap_or(rest);
    let ok_host =
        !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    (matches!(scheme, "http" | "https") && ok_host).then(|| format!("{scheme}://{host}"))
}

/// `x.0.0.1.2:5,w.0.0.0.0:-1.5`
fn format_edits(edits: &Edits) -> String {
    edits
        .iter()
        .map(|((tensor, [a, b, c, d]), v)| format!("{}.{a}.{b}.{c}.{d}:{v}", tensor.key()))
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_edits(raw: &str) -> (Edits, Vec<Msg>) {
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
                problems.push(msg!("url-too-many-edits", n = MAX_EDITS));
                break;
            }
            None => problems.push(msg!("url-bad-edit", raw = clip(item))),
        }
    }
    (edits, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::CellRef;

    #[test]
    fn layers_without_a_preset_are_a_custom_stack() {
        let s = Session::from_query("op=receptive_field&layers=c3p1*3");
        assert_eq!(s.params().choice("preset"), "custom");
        assert_eq!(s.params().layers("layers").len(), 3);
        assert!(s.warnings().is_empty(), "{:?}", s.warnings());
        assert!(s.to_query().contains("preset=custom"), "{}", s.to_query());
        // With a preset named, the preset wins and the replaced value is reported.
        let s = Session::from_query("op=receptive_field&preset=vgg16_fcn&layers=c3p1*3");
        assert_ne!(s.params().layers("layers").len(), 3);
        assert!(s.warnings().iter().any(|w| w.starts_with("layers was replaced")), "{:?}", s.warnings());
        // ASPP's rates likewise.
        let s = Session::from_query("op=aspp&rate1=3&rate3=5");
        assert_eq!(s.params().choice("preset"), "custom");
        assert_eq!([s.params().int("rate1"), s.params().int("rate2"), s.params().int("rate3")], [3, 4, 5]);
    }

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
        assert_eq!(s.operator().name, "conv2d");
        assert_eq!(s.params(), &Params::defaults(s.operator().schema));
        assert_eq!(s.step(), 0);
        assert_eq!(s.warnings().len(), 7, "{:#?}", s.warnings());
    }
}
