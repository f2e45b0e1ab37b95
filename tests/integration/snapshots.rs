//! SVG snapshots of a handful of operators that together use every kind of drawing (padding,
//! inserted zeros, a bias, samples with offset arrows and handles, boxes, a chart), at their
//! defaults and a mid-animation step, so a change to the drawing shows up as a text diff. What
//! every operator says in words is pinned in `sentences.rs`.
//! Update with `INSTA_UPDATE=always cargo test --test integration snapshots`.

use convscope::ops;
use convscope::paint;
use convscope::scene::{Camera, Viewport};
use convscope::session::Session;

/// The operators drawn: between them, every shape the scene makes.
const DRAWN: &[&str] = &["conv2d", "conv_transpose2d", "deform_conv2d", "deform_roi_pool", "checkerboard"];

#[test]
fn svg_frame_of_a_handful_of_operators() {
    for op in DRAWN.iter().map(|name| ops::find(name).expect("a registered operator")) {
        let mut session = Session::default();
        session.set_operator(op.name).unwrap();
        session.seek(session.n_steps() / 2 + 1);
        session.set_camera(Camera::Fit);
        let svg = paint::to_svg(&session.scene(Viewport::new(900, 520, 1.0), true));
        assert!(svg.starts_with("<svg"), "{}", op.name);
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("{}_default", op.name), svg);
        });
    }
}

#[test]
fn transposed_views_differ_but_end_with_the_same_output() {
    let mut frames = Vec::new();
    for view in ["gather", "scatter"] {
        let mut session = Session::from_query(&format!("op=conv_transpose2d&view={view}&bias=on"));
        session.seek(usize::MAX);
        let trace = &session.run().trace;
        let output = trace.grids.last().unwrap().values.clone();
        frames.push((paint::to_svg(&session.scene(Viewport::new(900, 520, 1.0), false)), output));
    }
    assert_ne!(frames[0].0, frames[1].0);
    assert_eq!(frames[0].1, frames[1].1);
}
