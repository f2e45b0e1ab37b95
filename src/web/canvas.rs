//! A plotters [`DrawingBackend`] for a 2-D canvas that remembers the context's state (fill,
//! stroke, line width, font, alignment) and sets it only when it changes. A frame of a 32×32
//! convolution draws ~2 000 numbers in one font; setting the font, colour and alignment before
//! each one (as plotters-canvas does) triples the cost of the text in Chromium.

use crate::paint;
use plotters::style::text_anchor::{HPos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind};
use wasm_bindgen::JsValue;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A JavaScript exception raised by the canvas API.
#[derive(Debug)]
pub struct CanvasError(String);

impl std::fmt::Display for CanvasError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CanvasError {}

fn js_error(e: JsValue) -> DrawingErrorKind<CanvasError> {
    DrawingErrorKind::DrawingError(CanvasError(e.as_string().unwrap_or_else(|| format!("{e:?}"))))
}

pub struct CachedCanvas {
    context: CanvasRenderingContext2d,
    size: (u32, u32),
    fill: Option<BackendColor>,
    stroke: Option<BackendColor>,
    line_width: u32,
    font: String,
    /// (style, size bits, family) of `font`, compared before formatting a new font string.
    font_key: Option<(String, u64, String)>,
    /// Whether a path of lines in the current stroke style is waiting to be stroked.
    open_path: bool,
    /// Whether a path of filled circles in the current fill colour is waiting to be filled
    /// (a deformable conv's overview draws 100,000 sampling points: one fill, not 100,000).
    open_discs: bool,
    /// Translucent dots of one colour and radius waiting to be drawn (see [`Dots`]).
    dots: Option<Dots>,
    align: &'static str,
    baseline: &'static str,
}

fn same(a: Option<BackendColor>, b: BackendColor) -> bool {
    a.is_some_and(|a| a.rgb == b.rgb && a.alpha == b.alpha)
}

fn css(color: BackendColor) -> String {
    let (r, g, b) = color.rgb;
    format!("rgba({r},{g},{b},{})", color.alpha)
}

/// A canvas that is not on the page, to paint a layer into.
pub fn offscreen() -> Option<HtmlCanvasElement> {
    use wasm_bindgen::JsCast;
    web_sys::window()?.document()?.create_element("canvas").ok()?.dyn_into::<HtmlCanvasElement>().ok()
}

impl CachedCanvas {
    pub fn new(canvas: &HtmlCanvasElement) -> Option<CachedCanvas> {
        use wasm_bindgen::JsCast;
        let context = canvas.get_context("2d").ok()??.dyn_into::<CanvasRenderingContext2d>().ok()?;
        Some(CachedCanvas {
            context,
            size: (canvas.width(), canvas.height()),
            fill: None,
            stroke: None,
            line_width: 0,
            font: String::new(),
            font_key: None,
            open_path: false,
            open_discs: false,
            dots: None,
            align: "",
            baseline: "",
        })
    }

    /// Draws another canvas (a kept layer) with its top-left corner at `(x, y)`.
    pub fn copy(&mut self, layer: &HtmlCanvasElement, (x, y): (f64, f64)) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.flush();
        self.context.draw_image_with_html_canvas_element(layer, x, y).map_err(js_error)
    }

    /// Strokes the lines gathered so far: consecutive lines of one style become one path.
    fn flush(&mut self) {
        if let Some(dots) = self.dots.take() {
            self.draw_dots(dots);
        }
        if self.open_path {
            self.context.stroke();
            self.open_path = false;
        }
        if self.open_discs {
            self.context.fill();
            self.open_discs = false;
        }
    }

    /// Whether a shape of `color` shows at all; if it does, the open batch of lines is drawn
    /// first, so the shape lands above it.
    fn begin_shape(&mut self, color: BackendColor) -> bool {
        let visible = color.alpha > 0.0;
        if visible {
            self.flush();
        }
        visible
    }

    /// Draws a batch of dots: one by one when few, else as one image (see [`Dots`]).
    fn draw_dots(&mut self, dots: Dots) {
        if dots.centers.len() < Dots::MIN_IMAGE || self.dots_image(&dots).is_none() {
            self.set_fill(dots.color);
            let r = f64::from(dots.radius);
            for &(x, y) in &dots.centers {
                self.context.begin_path();
                let _ = self.context.arc(f64::from(x), f64::from(y), r, 0.0, std::f64::consts::TAU);
                self.context.fill();
            }
        }
    }

    /// The dots as one image over the canvas; `None` if the browser refused a step of it.
    fn dots_image(&mut self, dots: &Dots) -> Option<()> {
        let Some(image) = paint::dots::image(&dots.centers, dots.radius, dots.color.rgb, dots.color.alpha, self.size)
        else {
            // None of them on the canvas.
            return Some(());
        };
        let (width, height) = (image.width as u32, image.height as u32);
        let data =
            web_sys::ImageData::new_with_u8_clamped_array_and_sh(wasm_bindgen::Clamped(&image.rgba), width, height)
                .ok()?;
        let layer = offscreen()?;
        layer.set_width(width);
        layer.set_height(height);
        let context = CachedCanvas::new(&layer)?.context;
        context.put_image_data(&data, 0.0, 0.0).ok()?;
        self.context.draw_image_with_html_canvas_element(&layer, f64::from(image.x), f64::from(image.y)).ok()
    }

    fn set_fill(&mut self, color: BackendColor) {
        if !same(self.fill, color) {
            self.context.set_fill_style_str(&css(color));
            self.fill = Some(color);
        }
    }

    fn set_stroke<S: BackendStyle>(&mut self, style: &S) {
        let color = style.color();
        let width = style.stroke_width().max(1);
        if !same(self.stroke, color) || width != self.line_width {
            self.flush();
        }
        if !same(self.stroke, color) {
            self.context.set_stroke_style_str(&css(color));
            self.stroke = Some(color);
        }
        if width != self.line_width {
            self.context.set_line_width(f64::from(width));
            self.line_width = width;
        }
    }
}

/// Translucent filled dots of one colour and radius, in drawing order, gathered to be drawn
/// as one image (see [`paint::dots`]).
struct Dots {
    color: BackendColor,
    radius: u32,
    centers: Vec<BackendCoord>,
}

impl Dots {
    /// Larger discs are few and drawn as paths.
    const MAX_RADIUS: u32 = 16;
    /// Fewer dots than this are drawn one by one.
    const MIN_IMAGE: usize = 64;
}

/// Offsets a 1-pixel horizontal or vertical line by half a pixel so it stays crisp.
fn crisp(from: BackendCoord, to: BackendCoord, width: u32) -> ((f64, f64), (f64, f64)) {
    let half = if width % 2 == 1 { 0.5 } else { 0.0 };
    let (mut a, mut b) = ((f64::from(from.0), f64::from(from.1)), (f64::from(to.0), f64::from(to.1)));
    if from.0 == to.0 {
        a.0 += half;
        b.0 += half;
    }
    if from.1 == to.1 {
        a.1 += half;
        b.1 += half;
    }
    (a, b)
}

impl DrawingBackend for CachedCanvas {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.flush();
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<CanvasError>> {
        if self.begin_shape(color) {
            self.set_fill(color);
            self.context.fill_rect(f64::from(point.0), f64::from(point.1), 1.0, 1.0);
        }
        Ok(())
    }

    /// An RGB bitmap (plotters' layout, 3 bytes a pixel) put onto the canvas as is.
    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        (iw, ih): (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        if iw == 0 || ih == 0 {
            return Ok(());
        }
        self.flush();
        let mut rgba = Vec::with_capacity(src.len() / 3 * 4);
        for pixel in src.chunks_exact(3) {
            rgba.extend_from_slice(&[pixel[0], pixel[1], pixel[2], 255]);
        }
        let image = web_sys::ImageData::new_with_u8_clamped_array_and_sh(wasm_bindgen::Clamped(&rgba), iw, ih)
            .map_err(js_error)?;
        self.context.put_image_data(&image, f64::from(pos.0), f64::from(pos.1)).map_err(js_error)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        // Dots waiting to be drawn lie under this line; drawing a few of them one by one
        // starts new paths, so they go now, before the line's path is gathered.
        if let Some(dots) = self.dots.take() {
            self.draw_dots(dots);
        }
        self.set_stroke(style);
        let (a, b) = crisp(from, to, self.line_width);
        if !self.open_path {
            self.context.begin_path();
            self.open_path = true;
        }
        self.context.move_to(a.0, a.1);
        self.context.line_to(b.0, b.1);
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        if !self.begin_shape(style.color()) {
            return Ok(());
        }
        let (x, y) = (f64::from(upper_left.0), f64::from(upper_left.1));
        let (w, h) = (f64::from(bottom_right.0 - upper_left.0), f64::from(bottom_right.1 - upper_left.1));
        if fill {
            self.set_fill(style.color());
            self.context.fill_rect(x, y, w, h);
        } else {
            self.set_stroke(style);
            let half = if self.line_width % 2 == 1 { 0.5 } else { 0.0 };
            self.context.stroke_rect(x + half, y + half, w, h);
        }
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        let (x, y, r) = (f64::from(center.0), f64::from(center.1), f64::from(radius));
        let color = style.color();
        if fill && color.alpha > 0.0 && color.alpha < 1.0 && radius <= Dots::MAX_RADIUS {
            // Translucent dots darken where they pile up, so each is its own fill; an overview
            // of 100,000 sampling points is gathered and drawn as one image.
            // A dot joins the batch only if nothing was drawn since (a flush draws the batch
            // before any lines gathered after it, so a later dot must not go under them).
            let nothing_since = !self.open_path && !self.open_discs;
            match &mut self.dots {
                Some(dots) if nothing_since && dots.radius == radius && same(Some(dots.color), color) => {
                    dots.centers.push(center)
                }
                _ => {
                    self.flush();
                    self.dots = Some(Dots { color, radius, centers: vec![center] });
                }
            }
            return Ok(());
        }
        if fill && self.open_discs && same(self.fill, style.color()) {
            // Another disc of the open batch: a new subpath of the same path.
            self.context.move_to(x + r, y);
            return self.context.arc(x, y, r, 0.0, std::f64::consts::TAU).map_err(js_error);
        }
        if !self.begin_shape(style.color()) {
            return Ok(());
        }
        self.context.begin_path();
        self.context.arc(x, y, r, 0.0, std::f64::consts::TAU).map_err(js_error)?;
        if fill && style.color().alpha >= 1.0 {
            // Opaque discs of one colour may share a fill: their overlaps look the same.
            self.set_fill(style.color());
            self.open_discs = true;
        } else if fill {
            self.set_fill(style.color());
            self.context.fill();
        } else {
            self.set_stroke(style);
            self.context.stroke();
        }
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        let color = style.color();
        if !self.begin_shape(color) {
            return Ok(());
        }
        let anchor = style.anchor();
        let baseline = match anchor.v_pos {
            VPos::Top => "top",
            VPos::Center => "middle",
            VPos::Bottom => "bottom",
        };
        let align = match anchor.h_pos {
            HPos::Left => "start",
            HPos::Center => "center",
            HPos::Right => "end",
        };
        if (self.baseline, self.align) != (baseline, align) {
            self.context.set_text_baseline(baseline);
            self.context.set_text_align(align);
            (self.baseline, self.align) = (baseline, align);
        }
        let (font_style, size, family) = (style.style(), style.size(), style.family());
        let weight = font_style.as_str();
        if self.font_key.as_ref().is_none_or(|(w, s, f)| w != weight || *s != size.to_bits() || f != family.as_str()) {
            self.font = format!("{weight} {size}px {}", family.as_str());
            self.context.set_font(&self.font);
            self.font_key = Some((weight.to_string(), size.to_bits(), family.as_str().to_string()));
        }
        self.set_fill(color);
        // Cell values repeat ("0", "−1", "2", …): interned strings cross to JavaScript once.
        let text = if text.len() <= 8 { wasm_bindgen::intern(text) } else { text };
        self.context.fill_text(text, f64::from(pos.0), f64::from(pos.1)).map_err(js_error)
    }
}
