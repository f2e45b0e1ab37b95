//! A plotters [`DrawingBackend`] for a 2-D canvas that remembers the context's state (fill,
//! stroke, line width, font, alignment) and sets it only when it changes. A frame of a 32×32
//! convolution draws ~2 000 numbers in one font; setting the font, colour and alignment before
//! each one (as plotters-canvas does) triples the cost of the text in Chromium.

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
        let (reach, stamp) = dots.stamp();
        let side = 2 * reach;
        let (w, h) = (self.size.0 as i32, self.size.1 as i32);
        // The pixels the dots touch, within the canvas.
        let (mut x0, mut y0, mut x1, mut y1) = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
        for &(x, y) in &dots.centers {
            (x0, y0, x1, y1) = (x0.min(x - reach), y0.min(y - reach), x1.max(x + reach), y1.max(y + reach));
        }
        let (x0, y0, x1, y1) = (x0.max(0), y0.max(0), x1.min(w), y1.min(h));
        if x1 <= x0 || y1 <= y0 {
            return Some(());
        }
        let (iw, ih) = ((x1 - x0) as usize, (y1 - y0) as usize);
        // The share of each stamp pixel that shows through a dot (1 where the disc misses it:
        // multiplying by it changes nothing), a row at a time.
        let side = side as usize;
        let keep: Vec<f32> = stamp.iter().map(|s| 1.0 - s).collect();
        // What shows through: 1 where no dot is, times (1 − opacity) for each dot over it.
        let mut through = vec![1.0f32; iw * ih];
        // Dots of one colour may be composited in any order (the product is the same, up to
        // f32 rounding in its last bit): in bands of rows, each dot lands near the last
        // instead of anywhere in the image.
        for (cx, cy) in by_band(&dots.centers, y0, ih) {
            let (left, top) = (cx - reach, cy - reach);
            if left >= x0 && top >= y0 && cx + reach <= x1 && cy + reach <= y1 {
                // A whole dot: each stamp row is one run of pixels (checked once, not per pixel).
                let mut at = (top - y0) as usize * iw + (left - x0) as usize;
                for keep_row in keep.chunks_exact(side) {
                    through[at..at + side].iter_mut().zip(keep_row).for_each(|(t, k)| *t *= k);
                    at += iw;
                }
            } else {
                for (i, &k) in keep.iter().enumerate() {
                    let (x, y) = (left + (i % side) as i32, top + (i / side) as i32);
                    if (x0..x1).contains(&x) && (y0..y1).contains(&y) {
                        through[(y - y0) as usize * iw + (x - x0) as usize] *= k;
                    }
                }
            }
        }
        let (r, g, b) = dots.color.rgb;
        let mut rgba = vec![0u8; iw * ih * 4];
        for (pixel, t) in rgba.chunks_exact_mut(4).zip(through) {
            pixel[0] = r;
            pixel[1] = g;
            pixel[2] = b;
            pixel[3] = ((1.0 - t) * 255.0 + 0.5) as u8;
        }
        let image =
            web_sys::ImageData::new_with_u8_clamped_array_and_sh(wasm_bindgen::Clamped(&rgba), iw as u32, ih as u32)
                .ok()?;
        let layer = offscreen()?;
        layer.set_width(iw as u32);
        layer.set_height(ih as u32);
        let context = CachedCanvas::new(&layer)?.context;
        context.put_image_data(&image, 0.0, 0.0).ok()?;
        self.context.draw_image_with_html_canvas_element(&layer, f64::from(x0), f64::from(y0)).ok()
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

/// `centers` in bands of 16 rows from `y0` down (`height` rows; the first and last band take
/// those above and below), each band in drawing order: a counting sort.
fn by_band(centers: &[BackendCoord], y0: i32, height: usize) -> Vec<BackendCoord> {
    const BAND: usize = 16;
    let bands = height.div_ceil(BAND).max(1);
    let band = |&(_, y): &BackendCoord| ((y - y0).max(0) as usize / BAND).min(bands - 1);
    let mut starts = vec![0usize; bands + 1];
    for center in centers {
        starts[band(center) + 1] += 1;
    }
    for i in 1..=bands {
        starts[i] += starts[i - 1];
    }
    let mut sorted = vec![(0, 0); centers.len()];
    for center in centers {
        let slot = &mut starts[band(center)];
        sorted[*slot] = *center;
        *slot += 1;
    }
    sorted
}

/// Translucent filled dots of one colour and radius, in drawing order. Each darkens what lies
/// under it, dots over dots included, so the canvas cannot fill them as one path; drawn one by
/// one, 100,000 of them take Chromium a tenth of a second. Gathered, they become one image:
/// every pixel's coverage by each dot (the disc's area in it, as a canvas fill antialiases),
/// composited dot over dot with the same source-over rule, then drawn over the canvas once.
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

    /// The opacity a dot centred on a pixel corner gives the pixels around it, row-major over
    /// `(2·reach)²` pixels from `(−reach, −reach)`: the share of each pixel the disc covers,
    /// estimated on a 4×4 grid of points, times the colour's alpha.
    fn stamp(&self) -> (i32, Vec<f32>) {
        let r = self.radius.max(1) as f32;
        let reach = self.radius as i32 + 1;
        let side = 2 * reach;
        let mut stamp = Vec::with_capacity((side * side) as usize);
        for dy in -reach..reach {
            for dx in -reach..reach {
                let mut inside = 0;
                for sy in 0..4 {
                    for sx in 0..4 {
                        let (px, py) = (dx as f32 + (sx as f32 + 0.5) / 4.0, dy as f32 + (sy as f32 + 0.5) / 4.0);
                        inside += usize::from(px * px + py * py <= r * r);
                    }
                }
                stamp.push(self.color.alpha as f32 * inside as f32 / 16.0);
            }
        }
        (reach, stamp)
    }
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
