//! Every sentence a user reads, in each language the tool speaks: a [`Msg`] names a message of
//! the catalogue of each language (`i18n/en/*.ftl`, `i18n/zh-CN/*.ftl`, Project Fluent syntax,
//! one file per area, joined by `build.rs`) with its arguments,
//! and [`Msg::tr`] writes it in a [`Lang`]. Operator code builds `Msg`s, never sentences: the
//! grammar (word order, plurals, punctuation) lives in the catalogue of each language.
//!
//! A `Msg` can also be [`Msg::same`]: text that reads the same in every language (symbols,
//! shapes, formulas without words). The tests render every operator in Chinese and refuse
//! English words that are not PyTorch's names, so a sentence cannot hide there.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// A language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    ZhCn,
}

/// English, the language every message falls back to: compiled in everywhere.
const ENGLISH: &str = include_str!(concat!(env!("OUT_DIR"), "/en.ftl"));

/// The catalogue of each language, in [`Lang::ALL`] order. Natively every catalogue is
/// compiled in; the page's wasm holds only English and fetches another language's catalogue
/// (`pkg/i18n/<tag>.ftl`) when a reader asks for it (see [`load_catalogue`]).
#[cfg(not(target_arch = "wasm32"))]
pub const CATALOGUES: [(Lang, &str); 2] =
    [(Lang::En, ENGLISH), (Lang::ZhCn, include_str!(concat!(env!("OUT_DIR"), "/zh-CN.ftl")))];

/// The catalogues compiled into this build.
#[cfg(target_arch = "wasm32")]
const CATALOGUES: [(Lang, &str); 1] = [(Lang::En, ENGLISH)];

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The BCP 47 tag: `lang=` in the URL, `<html lang>`, `--lang`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The language's own name, for the language menu.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "简体中文",
        }
    }

    /// The language a tag asks for (`en-GB` → English; `zh`, `zh-CN`, `zh-Hans`, `zh-SG` →
    /// Simplified Chinese), or `None` for a language without a catalogue (`zh-TW` and
    /// `zh-Hant` ask for Traditional Chinese, which the tool does not have).
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
        let mut parts = tag.split('-');
        match parts.next()? {
            "en" => Some(Lang::En),
            "zh" => match parts.next() {
                None | Some("cn" | "hans" | "sg" | "my") => Some(Lang::ZhCn),
                Some(_) => None,
            },
            _ => None,
        }
    }

    /// The first language of a browser's preference list (`navigator.languages`) that has a
    /// catalogue, else English.
    pub fn negotiate<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        preferred.into_iter().find_map(Lang::from_tag).unwrap_or_default()
    }
}

/// An argument of a message.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// A count or a measure: the catalogue may choose a plural form by it; written with
    /// grouped digits and a real minus sign.
    Num(f64),
    /// Text that reads the same in every language (a symbol, a cell label, a number already
    /// written, a PyTorch name).
    Same(String),
    /// Another message, written in the same language.
    Msg(Msg),
}

/// A message to show: an id of the catalogues with its arguments, text that reads the same in
/// every language, or several of these one after another.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    Id(&'static str, Vec<(&'static str, Arg)>),
    Same(String),
    Seq(Vec<Msg>),
}

impl std::default::Default for Msg {
    fn default() -> Msg {
        Msg::Same(String::new())
    }
}

/// `msg!("id")` or `msg!("id", n = 3, x = "y")`: a catalogue message with its arguments
/// (numbers become [`Arg::Num`], strings [`Arg::Same`], messages [`Arg::Msg`]).
#[macro_export]
macro_rules! msg {
    ($id:literal $(,)?) => { $crate::text::Msg::Id($id, Vec::new()) };
    ($id:literal, $($key:ident = $value:expr),+ $(,)?) => {
        $crate::text::Msg::Id($id, vec![$((stringify!($key), $crate::text::Arg::from($value))),+])
    };
}

impl Msg {
    /// A catalogue message without arguments (an operator's title, a control's label).
    pub fn id(id: &'static str) -> Msg {
        Msg::Id(id, Vec::new())
    }

    /// Text that reads the same in every language: a symbol, a shape, a formula of symbols.
    pub fn same(text: impl Into<String>) -> Msg {
        Msg::Same(text.into())
    }

    /// The same message with one more argument.
    pub fn with(mut self, key: &'static str, value: impl Into<Arg>) -> Msg {
        if let Msg::Id(_, args) = &mut self {
            args.push((key, value.into()));
        }
        self
    }

    /// `items` joined by the message `separator` (e.g. `list-sep`, “, ” or “、”).
    pub fn join(items: Vec<Msg>, separator: &'static str) -> Msg {
        let mut out = Vec::with_capacity(items.len() * 2);
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                out.push(Msg::Id(separator, Vec::new()));
            }
            out.push(item);
        }
        Msg::Seq(out)
    }

    /// The message written in `lang`. A message missing from the catalogue (a bug the tests
    /// catch, see [`Msg::check`]) is written as its id.
    pub fn tr(&self, lang: Lang) -> String {
        let mut out = String::new();
        self.write(lang, &mut out, &mut Vec::new());
        out
    }

    /// The message in English (tests, the eval protocol's errors).
    pub fn en(&self) -> String {
        self.tr(Lang::En)
    }

    /// The message in `lang`, or what went wrong: an id missing from the catalogue, an
    /// argument the message uses but was not given.
    pub fn check(&self, lang: Lang) -> Result<String, String> {
        let (mut out, mut errors) = (String::new(), Vec::new());
        self.write(lang, &mut out, &mut errors);
        if errors.is_empty() { Ok(out) } else { Err(errors.join("; ")) }
    }

    /// Whether the message is empty text.
    pub fn is_empty(&self) -> bool {
        match self {
            Msg::Same(s) => s.is_empty(),
            Msg::Seq(items) => items.iter().all(Msg::is_empty),
            Msg::Id(..) => false,
        }
    }

    fn write(&self, lang: Lang, out: &mut String, errors: &mut Vec<String>) {
        match self {
            Msg::Same(s) => out.push_str(s),
            Msg::Seq(items) => items.iter().for_each(|m| m.write(lang, out, errors)),
            Msg::Id(id, args) => {
                let mut fluent_args = FluentArgs::with_capacity(args.len());
                for (key, value) in args {
                    let value = match value {
                        Arg::Num(n) => FluentValue::from(*n),
                        Arg::Same(s) => FluentValue::from(s.clone()),
                        Arg::Msg(m) => {
                            let mut inner = String::new();
                            m.write(lang, &mut inner, errors);
                            FluentValue::from(inner)
                        }
                    };
                    fluent_args.set(*key, value);
                }
                format_id(lang, id, &fluent_args, out, errors);
            }
        }
    }
}

/// Writes message `id` (`name` or `name.attribute`) in `lang` with `args`.
fn format_id(lang: Lang, id: &str, args: &FluentArgs, out: &mut String, errors: &mut Vec<String>) {
    let bundle = bundle(lang);
    let (name, attribute) = match id.split_once('.') {
        Some((name, attribute)) => (name, Some(attribute)),
        None => (id, None),
    };
    let pattern = bundle.get_message(name).and_then(|m| match attribute {
        Some(a) => m.get_attribute(a).map(|a| a.value()),
        None => m.value(),
    });
    let Some(pattern) = pattern else {
        errors.push(format!("{} has no message {id}", lang.tag()));
        out.push_str(id);
        return;
    };
    let mut fluent_errors = Vec::new();
    out.push_str(&bundle.format_pattern(pattern, Some(args), &mut fluent_errors));
    errors.extend(fluent_errors.iter().map(|e| format!("{} {id}: {e}", lang.tag())));
}

/// A message named at run time (the page's own words, `data-i18n` and `t(id, args)` in
/// `main.js`), with arguments from JSON: numbers are counts, anything else is text.
pub fn tr_json(lang: Lang, id: &str, args: &serde_json::Map<String, serde_json::Value>) -> Result<String, String> {
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (key, value) in args {
        let value = match value {
            serde_json::Value::Number(n) => FluentValue::from(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => FluentValue::from(s.clone()),
            other => FluentValue::from(other.to_string()),
        };
        fluent_args.set(key.clone(), value);
    }
    let (mut out, mut errors) = (String::new(), Vec::new());
    format_id(lang, id, &fluent_args, &mut out, &mut errors);
    if errors.is_empty() { Ok(out) } else { Err(errors.join("; ")) }
}

/// A message serialises as its English text (debug dumps of a trace).
impl serde::Serialize for Msg {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.en())
    }
}

impl std::fmt::Display for Msg {
    /// English, for logs and `{}` in tests; the interface calls [`Msg::tr`].
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en())
    }
}

impl From<String> for Msg {
    fn from(s: String) -> Msg {
        Msg::Same(s)
    }
}

/// English: the `eval` protocol's errors are English.
impl From<Msg> for String {
    fn from(m: Msg) -> String {
        m.en()
    }
}

impl From<&String> for Msg {
    fn from(s: &String) -> Msg {
        Msg::Same(s.clone())
    }
}

impl From<&str> for Msg {
    fn from(s: &str) -> Msg {
        Msg::Same(s.to_string())
    }
}

impl From<f64> for Arg {
    fn from(n: f64) -> Arg {
        Arg::Num(n)
    }
}

impl From<f32> for Arg {
    fn from(n: f32) -> Arg {
        Arg::Num(n as f64)
    }
}

macro_rules! num_arg {
    ($($t:ty),*) => {$(impl From<$t> for Arg { fn from(n: $t) -> Arg { Arg::Num(n as f64) } })*};
}
num_arg!(usize, isize, u32, i32, u64, i64);

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Same(s)
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Same(s.clone())
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Same(s.to_string())
    }
}

impl From<Msg> for Arg {
    fn from(m: Msg) -> Arg {
        Arg::Msg(m)
    }
}

impl From<&Msg> for Arg {
    fn from(m: &Msg) -> Arg {
        Arg::Msg(m.clone())
    }
}

/// Texts that read the same in every language (or have not been moved to the catalogues yet).
pub fn same_all<T: Into<Msg>>(items: Vec<T>) -> Vec<Msg> {
    items.into_iter().map(Into::into).collect()
}

/// A number as the interface writes it: whole numbers with grouped digits (12,544), others
/// with at most four decimals, and a real minus sign.
pub fn number(n: f64) -> String {
    if !n.is_finite() {
        return if n.is_nan() {
            "NaN".into()
        } else if n > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    let text = if n == n.round() && n.abs() < 1e15 {
        let digits = (n.abs() as u64).to_string();
        let mut grouped = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        if n < 0.0 { format!("−{grouped}") } else { grouped }
    } else if n.abs() >= 1e15 {
        format!("{n:.2e}").replace('-', "−")
    } else {
        let s = format!("{n:.4}");
        s.trim_end_matches('0').trim_end_matches('.').replace('-', "−")
    };
    if text == "−0" { "0".into() } else { text }
}

fn format_number<M>(value: &FluentValue, _: &M) -> Option<String> {
    match value {
        FluentValue::Number(n) => Some(number(n.value)),
        _ => None,
    }
}

type Bundle = FluentBundle<FluentResource>;

/// Each language's bundle, in [`Lang::ALL`] order, once its catalogue is at hand.
static BUNDLES: [OnceLock<Bundle>; 2] = [OnceLock::new(), OnceLock::new()];

fn slot(lang: Lang) -> &'static OnceLock<Bundle> {
    &BUNDLES[Lang::ALL.iter().position(|l| *l == lang).expect("every language has a slot")]
}

fn make_bundle(lang: Lang, resource: FluentResource) -> Bundle {
    let id: unic_langid::LanguageIdentifier = lang.tag().parse().expect("a valid language tag");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(format_number));
    bundle.add_resource_overriding(resource);
    bundle
}

/// The bundle of `lang`; English while another language's catalogue is not loaded.
fn bundle(lang: Lang) -> &'static Bundle {
    let compiled = CATALOGUES.iter().find(|(l, _)| *l == lang).map(|(_, source)| *source);
    match (slot(lang).get(), compiled) {
        (Some(bundle), _) => bundle,
        (None, Some(source)) => slot(lang).get_or_init(|| {
            // The tests refuse a catalogue that does not parse (see `catalogue_problems`);
            // here a broken entry is skipped rather than losing the whole language.
            let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(partial, _)| partial);
            make_bundle(lang, resource)
        }),
        (None, None) => bundle(Lang::En),
    }
}

/// Whether `lang`'s words are at hand: compiled in, or loaded by [`load_catalogue`].
pub fn has_catalogue(lang: Lang) -> bool {
    slot(lang).get().is_some() || CATALOGUES.iter().any(|(l, _)| *l == lang)
}

/// Takes `lang`'s catalogue fetched at run time. Refuses text that is not a whole catalogue
/// (a syntax error, or a page of the server's instead of the file) or that lacks messages
/// English has, so a reader never sees a half-translated page.
pub fn load_catalogue(lang: Lang, source: String) -> Result<(), String> {
    if has_catalogue(lang) {
        return Ok(());
    }
    let resource = FluentResource::try_new(source)
        .map_err(|(_, errors)| format!("the {} catalogue does not parse: {:?}", lang.tag(), errors.first()))?;
    let bundle = make_bundle(lang, resource);
    let english = bundle_ids(ENGLISH);
    if let Some(missing) = english.iter().find(|id| !bundle.has_message(id)) {
        return Err(format!("the {} catalogue lacks the message {missing}", lang.tag()));
    }
    let _ = slot(lang).set(bundle);
    Ok(())
}

/// The message ids of a catalogue (attributes left out).
fn bundle_ids(source: &str) -> Vec<&str> {
    source
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim()))
        .collect()
}

#[cfg(not(target_arch = "wasm32"))]
/// What is wrong with the catalogues: a syntax error, a message or attribute that one
/// language has and another lacks, a variable one language uses that English does not.
pub fn catalogue_problems() -> Vec<String> {
    use fluent_syntax::ast;
    use std::collections::BTreeMap;
    let mut problems = Vec::new();
    // For each language: message id (with `.attribute`) → the variables it uses.
    let mut entries: Vec<(Lang, BTreeMap<String, Vec<String>>)> = Vec::new();
    for (lang, source) in CATALOGUES {
        let resource = match fluent_syntax::parser::parse(source) {
            Ok(r) => r,
            Err((r, errors)) => {
                problems.extend(errors.iter().map(|e| format!("{}: syntax error {e:?}", lang.tag())));
                r
            }
        };
        let mut map = BTreeMap::new();
        for entry in resource.body {
            if let ast::Entry::Message(m) = entry {
                if map.contains_key(m.id.name) {
                    problems.push(format!("{}: {} is defined twice", lang.tag(), m.id.name));
                }
                if let Some(value) = &m.value {
                    map.insert(m.id.name.to_string(), variables(value));
                }
                for a in &m.attributes {
                    map.insert(format!("{}.{}", m.id.name, a.id.name), variables(&a.value));
                }
                if m.value.is_none() && m.attributes.is_empty() {
                    problems.push(format!("{}: {} is empty", lang.tag(), m.id.name));
                }
            }
        }
        entries.push((lang, map));
    }
    let (_, english) = &entries[0];
    for (lang, map) in &entries[1..] {
        for id in english.keys().filter(|id| !map.contains_key(*id)) {
            problems.push(format!("{id} has no {} text", lang.tag()));
        }
        for (id, vars) in map {
            match english.get(id) {
                None => problems.push(format!("{id} is in {} but not in English", lang.tag())),
                Some(en_vars) => {
                    for v in vars.iter().filter(|v| !en_vars.contains(v)) {
                        problems.push(format!("{} {id} uses ${v}, which English does not", lang.tag()));
                    }
                }
            }
        }
    }
    problems
}

#[cfg(not(target_arch = "wasm32"))]
/// The ids of every message and attribute in the English catalogue.
pub fn english_ids() -> Vec<String> {
    use fluent_syntax::ast;
    let resource = fluent_syntax::parser::parse(CATALOGUES[0].1).unwrap_or_else(|(r, _)| r);
    let mut ids = Vec::new();
    for entry in resource.body {
        if let ast::Entry::Message(m) = entry {
            if m.value.is_some() {
                ids.push(m.id.name.to_string());
            }
            ids.extend(m.attributes.iter().map(|a| format!("{}.{}", m.id.name, a.id.name)));
        }
    }
    ids
}

#[cfg(not(target_arch = "wasm32"))]
fn variables(pattern: &fluent_syntax::ast::Pattern<&str>) -> Vec<String> {
    use fluent_syntax::ast::{Expression, InlineExpression, PatternElement};
    fn inline(e: &InlineExpression<&str>, out: &mut Vec<String>) {
        match e {
            InlineExpression::VariableReference { id } => out.push(id.name.to_string()),
            InlineExpression::Placeable { expression } => expr(expression, out),
            _ => {}
        }
    }
    fn expr(e: &Expression<&str>, out: &mut Vec<String>) {
        match e {
            Expression::Inline(i) => inline(i, out),
            Expression::Select { selector, variants } => {
                inline(selector, out);
                for v in variants {
                    walk(&v.value, out);
                }
            }
        }
    }
    fn walk(p: &fluent_syntax::ast::Pattern<&str>, out: &mut Vec<String>) {
        for element in &p.elements {
            if let PatternElement::Placeable { expression } = element {
                expr(expression, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(pattern, &mut out);
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_choose_a_catalogue_or_none() {
        assert_eq!(Lang::from_tag("zh-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_tag("zh"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_tag("zh-Hans-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_tag("zh-TW"), None);
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::negotiate(["fr-FR", "zh-TW", "zh-CN", "en"]), Lang::ZhCn);
        assert_eq!(Lang::negotiate(["de"]), Lang::En);
    }

    #[test]
    fn a_fetched_catalogue_is_checked_against_english() {
        // The ids read off the catalogue's lines are the messages the parser finds.
        let ids = bundle_ids(ENGLISH);
        let parsed: Vec<String> = english_ids().into_iter().filter(|id| !id.contains('.')).collect();
        assert!(parsed.iter().all(|id| ids.contains(&id.as_str())), "an English message is missed");
        assert!(ids.len() >= parsed.len() && ids.len() > 500, "{} ids", ids.len());
        // Natively every catalogue is compiled in, and loading one again changes nothing.
        assert!(Lang::ALL.iter().all(|&l| has_catalogue(l)));
        assert_eq!(load_catalogue(Lang::ZhCn, "ui-play = 播放\n".into()), Ok(()));
        assert_eq!(Msg::id("ui-play").tr(Lang::ZhCn), "▶ 播放");
    }

    #[test]
    fn numbers_are_grouped_with_a_real_minus() {
        assert_eq!(number(12544.0), "12,544");
        assert_eq!(number(-3.0), "−3");
        assert_eq!(number(0.125), "0.125");
        assert_eq!(number(-0.0), "0");
    }

    #[test]
    fn the_catalogues_agree() {
        let problems = catalogue_problems();
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn a_message_is_written_in_each_language_with_plurals() {
        let m = crate::msg!("test-steps", n = 1);
        assert_eq!(m.check(Lang::En).unwrap(), "1 step");
        assert_eq!(crate::msg!("test-steps", n = 12544).check(Lang::En).unwrap(), "12,544 steps");
        assert_eq!(crate::msg!("test-steps", n = 2).check(Lang::ZhCn).unwrap(), "2 步");
        assert!(crate::msg!("no-such-message").check(Lang::En).is_err());
        assert!(crate::msg!("test-steps").check(Lang::En).is_err(), "a missing argument is an error");
    }
}
