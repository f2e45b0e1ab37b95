//! wasm-bindgen tests: the wasm build of the handle the page uses, run in Node by
//! `cargo xtask test` (or `cargo test --target wasm32-unknown-unknown --test wasm`).
#![cfg(target_arch = "wasm32")]

use convscope::web::Scope;
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
fn the_handle_restores_a_url_steps_and_reports_errors() {
    let mut scope = Scope::new("?op=conv_transpose2d&stride=3&view=scatter&step=2", "en");
    assert!(scope.take_warnings().is_empty());
    assert_eq!(scope.operator(), "conv_transpose2d");
    assert_eq!(scope.step(), 2);
    assert!(scope.describe().starts_with("Step 2 of "), "{}", scope.describe());
    // Output size of a 3×3 input, k = 3, stride 3: (3 − 1)·3 + 2 + 1 = 9.
    assert!(scope.formula()[0].ends_with("= 9"), "{:?}", scope.formula());

    // Moving a slider into an invalid setting keeps the picture and explains why.
    let steps = scope.n_steps();
    assert!(scope.set_param("output_padding", "5").is_err());
    assert_eq!(scope.error_param().as_deref(), Some("output_padding"));
    assert_eq!(scope.n_steps(), steps);
    assert!(scope.set_param("output_padding", "1").is_ok());
    assert_eq!(scope.error(), None);

    let query = scope.query();
    assert!(query.contains("output_padding=1") && query.contains("view=scatter"), "{query}");
    let again = Scope::new(&query, "en");
    assert_eq!(again.query(), query);
    let caption = again.caption();
    assert!(again.export_svg(true).starts_with("<svg") && again.export_svg(true).contains(&caption));
    assert!(!again.export_svg(false).contains(&caption));
}

#[wasm_bindgen_test]
fn a_gif_is_encoded_from_canvas_frames_and_scripts_come_out() {
    let mut scope = Scope::new("?op=conv2d", "en");
    let frame = |v: u8| vec![v; 8 * 6 * 4];
    assert!(scope.gif_add_frame(&frame(255)).is_err(), "no animation started");
    scope.gif_begin(8, 6, 2.0, 0, &frame(255), &frame(0)).unwrap();
    scope.gif_add_frame(&frame(255)).unwrap();
    scope.gif_add_frame(&frame(0)).unwrap();
    assert!(scope.gif_add_frame(&frame(0)[1..]).is_err(), "a frame of the wrong size is refused");
    let bytes = scope.gif_finish().unwrap();
    assert_eq!(&bytes[..6], b"GIF89a");
    assert!(scope.gif_begin(0, 6, 2.0, 0, &[], &[]).is_err());
    assert!(scope.pytorch_script().unwrap().contains("F.conv2d("));
    assert!(Scope::new("?op=checkerboard", "en").pytorch_script().unwrap().contains("F.pixel_shuffle("));
}

#[wasm_bindgen_test]
fn the_schema_and_operator_list_are_json_for_the_page() {
    let mut scope = Scope::new("?op=nonsense&stride=0", "en");
    let operators: serde_json::Value = serde_json::from_str(&scope.operators()).unwrap();
    assert_eq!(operators[0]["name"], "conv2d");
    assert_eq!(scope.take_warnings().len(), 2);
    let schema: serde_json::Value = serde_json::from_str(&scope.schema()).unwrap();
    let stride = schema.as_array().unwrap().iter().find(|p| p["name"] == "stride").unwrap();
    assert_eq!(
        (stride["type"].as_str(), stride["min"].as_i64(), stride["value"].as_str()),
        (Some("pair"), Some(1), Some("1"))
    );
    // conv2d's padding also takes PyTorch's keywords.
    let padding = schema.as_array().unwrap().iter().find(|p| p["name"] == "padding").unwrap();
    assert_eq!(padding["words"], serde_json::json!(["same", "valid"]));
}

#[wasm_bindgen_test]
fn the_language_comes_from_the_url_else_the_browser() {
    // The page's wasm holds English only: another language is asked for, then fetched.
    assert_eq!(Scope::wanted_lang("?op=conv2d", "fr-FR,zh-CN,en"), "zh-CN");
    assert_eq!(Scope::wanted_lang("?op=conv2d&lang=en", "zh-CN"), "en");
    assert_eq!(Scope::wanted_lang("?lang=zh", "en"), "zh-CN");
    assert!(Scope::has_catalogue("en"));
    if !Scope::has_catalogue("zh-CN") {
        let mut unloaded = Scope::new("?op=conv2d", "zh-CN,en");
        assert_eq!(unloaded.lang(), "en", "without its catalogue the page stays in English");
        assert!(unloaded.set_lang("zh-CN").is_err());
        let linked = Scope::new("?op=conv2d&lang=zh-CN", "en");
        assert_eq!(linked.lang(), "en");
        assert!(Scope::load_catalogue("zh-CN", "<html>Not Found</html>".into()).is_err());
        assert!(Scope::load_catalogue("zh-CN", "ui-play = 播放\n".into()).is_err(), "a partial catalogue is refused");
        assert!(!Scope::has_catalogue("zh-CN"));
    }
    Scope::load_catalogue("zh-CN", include_str!(concat!(env!("OUT_DIR"), "/zh-CN.ftl")).into()).unwrap();
    assert!(Scope::has_catalogue("zh-CN"));
    let mut scope = Scope::new("?op=conv2d", "fr-FR,zh-CN,en");
    assert_eq!(scope.lang(), "zh-CN");
    assert!(scope.describe().contains("步"), "{}", scope.describe());
    assert!(!scope.query().contains("lang="), "the browser's language is not written into links");
    let scope_en = Scope::new("?op=conv2d&lang=en", "zh-CN");
    assert_eq!(scope_en.lang(), "en");
    scope.set_lang("en").unwrap();
    assert!(scope.query().contains("lang=en"), "a chosen language is kept in the link");
    assert!(scope.set_lang("tlh").is_err());
    assert_eq!(scope.t("ui-gif-frame", r#"{"i": 2, "n": 9}"#).unwrap(), "Frame 2 of 9");
    scope.set_lang("zh-CN").unwrap();
    assert_eq!(scope.t("ui-gif-frame", r#"{"i": 2, "n": 9}"#).unwrap(), "第 2 帧，共 9 帧");
    assert!(scope.t("ui-no-such-message", "").is_err());
}
