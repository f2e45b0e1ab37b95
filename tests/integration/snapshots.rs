//! One SVG snapshot per registered operator (defaults, a mid-animation step), so a change
//! to any layer of the drawing shows up as a reviewable text diff.
//! Update with `INSTA_UPDATE=always cargo test --test integration snapshots`.

use convscope::ops;
use convscope::paint;
use convscope::scene::Viewport;
use convscope::session::Session;

#[test]
fn svg_frame_of_every_operator() {
    for op in ops::OPERATORS {
        let mut session = Session::default();
        session.set_operator(op.name).unwrap();
        session.seek(session.n_steps() / 2 + 1);
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
