//! Translucent discs of one colour and radius as one RGBA image. Each disc darkens what lies
//! under it, discs over discs included, so a canvas cannot fill them as one path; drawn one by
//! one, 100,000 of them take Chromium a tenth of a second. Gathered, they become one image:
//! every pixel's coverage by each disc (the disc's area in it, as a canvas fill antialiases),
//! composited disc over disc with the source-over rule, then drawn over the canvas once.

use plotters_backend::BackendCoord as Coord;

/// Rows of a band of [`by_band`].
const BAND: usize = 16;

/// Discs of one colour, as an image to draw with its top-left pixel at `(x, y)`.
#[derive(Debug, PartialEq)]
pub struct DotsImage {
    pub x: i32,
    pub y: i32,
    pub width: usize,
    pub height: usize,
    /// Row-major RGBA, not premultiplied (as `ImageData` holds it).
    pub rgba: Vec<u8>,
}

/// The opacity a disc of `radius` centred on a pixel corner gives the pixels around it,
/// row-major over `(2·reach)²` pixels from `(−reach, −reach)`: the share of each pixel the
/// disc covers, estimated on a 4×4 grid of points, times `alpha`. Returns `reach` too.
fn stamp(radius: u32, alpha: f64) -> (i32, Vec<f32>) {
    let r = radius.max(1) as f32;
    let reach = radius as i32 + 1;
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
            stamp.push(alpha as f32 * inside as f32 / 16.0);
        }
    }
    (reach, stamp)
}

/// Discs of `radius` and colour `rgb` at opacity `alpha` centred at `centers`, over the box of
/// pixels around them within a canvas of `size`; `None` if that box misses the canvas.
pub fn image(centers: &[Coord], radius: u32, rgb: (u8, u8, u8), alpha: f64, size: (u32, u32)) -> Option<DotsImage> {
    let (reach, stamp) = stamp(radius, alpha);
    let side = 2 * reach as usize;
    let (w, h) = (size.0 as i32, size.1 as i32);
    // The pixels the discs touch, within the canvas.
    let (mut x0, mut y0, mut x1, mut y1) = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
    for &(x, y) in centers {
        (x0, y0, x1, y1) = (x0.min(x - reach), y0.min(y - reach), x1.max(x + reach), y1.max(y + reach));
    }
    let (x0, y0, x1, y1) = (x0.max(0), y0.max(0), x1.min(w), y1.min(h));
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    let (iw, ih) = ((x1 - x0) as usize, (y1 - y0) as usize);
    // The share of each stamp pixel that shows through a disc.
    let keep: Vec<f32> = stamp.iter().map(|s| 1.0 - s).collect();
    // Of each stamp row, the columns the disc covers: multiplying by 1 elsewhere would
    // change nothing (a disc leaves about half of its square's pixels untouched).
    let spans: Vec<(i32, std::ops::Range<i32>)> = keep
        .chunks_exact(side)
        .zip(0..)
        .filter_map(|(keep_row, row)| {
            let first = keep_row.iter().position(|&k| k < 1.0)?;
            let last = keep_row.iter().rposition(|&k| k < 1.0)?;
            Some((row, first as i32..last as i32 + 1))
        })
        .collect();
    // What shows through: 1 where no disc is, times (1 − opacity) for each disc over it,
    // worked out a band of rows at a time, so that the band stays in the cache while its
    // discs land on it and while it becomes pixels. Discs of one colour may be composited
    // in any order (the product is the same, up to f32 rounding in its last bit); each
    // pixel takes its discs in the order `by_band` sorts them, whichever band it is in.
    let (sorted, starts) = by_band(centers, y0, ih);
    let bands = starts.len() - 1;
    let (r, g, b) = rgb;
    let mut rgba = vec![0u8; iw * ih * 4];
    let mut through = vec![1.0f32; BAND * iw];
    for (band, pixels) in rgba.chunks_mut(BAND * iw * 4).enumerate() {
        let rows = pixels.len() / (4 * iw);
        let (top_row, end_row) = (y0 + (band * BAND) as i32, y0 + (band * BAND + rows) as i32);
        let through = &mut through[..rows * iw];
        through.fill(1.0);
        // A disc covers rows cy − reach … cy + reach − 1: those of this band are the discs
        // centred from top_row − reach + 1 to end_row + reach − 1.
        let (first, last) = (band_of(top_row - reach + 1, y0, bands), band_of(end_row + reach - 1, y0, bands));
        for &(cx, cy) in &sorted[starts[first]..starts[last + 1]] {
            let (left, top) = (cx - reach, cy - reach);
            for (row, cols) in &spans {
                let y = top + row;
                let (a, b) = ((left + cols.start).max(x0), (left + cols.end).min(x1));
                if y < top_row || y >= end_row || a >= b {
                    continue;
                }
                let at = (y - top_row) as usize * iw + (a - x0) as usize;
                let k = *row as usize * side + (a - left) as usize;
                let n = (b - a) as usize;
                through[at..at + n].iter_mut().zip(&keep[k..k + n]).for_each(|(t, k)| *t *= k);
            }
        }
        for (pixel, t) in pixels.chunks_exact_mut(4).zip(through.iter()) {
            pixel.copy_from_slice(&[r, g, b, ((1.0 - t) * 255.0 + 0.5) as u8]);
        }
    }
    Some(DotsImage { x: x0, y: y0, width: iw, height: ih, rgba })
}

/// The band of [`by_band`] that a centre on row `y` falls in.
fn band_of(y: i32, y0: i32, bands: usize) -> usize {
    ((y - y0).max(0) as usize / BAND).min(bands - 1)
}

/// `centers` in bands of [`BAND`] rows from `y0` down (`height` rows; the first and last band
/// take those above and below), each band in drawing order (a counting sort), and where each
/// band starts among them (one start more than bands: the end).
fn by_band(centers: &[Coord], y0: i32, height: usize) -> (Vec<Coord>, Vec<usize>) {
    let bands = height.div_ceil(BAND).max(1);
    let band = |&(_, y): &Coord| band_of(y, y0, bands);
    let mut starts = vec![0usize; bands + 1];
    for center in centers {
        starts[band(center) + 1] += 1;
    }
    for i in 1..=bands {
        starts[i] += starts[i - 1];
    }
    let mut sorted = vec![(0, 0); centers.len()];
    let mut next = starts.clone();
    for center in centers {
        let slot = &mut next[band(center)];
        sorted[*slot] = *center;
        *slot += 1;
    }
    (sorted, starts)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain way: over the whole canvas, each disc in drawing order multiplies every
    /// pixel of its stamp inside the canvas.
    fn reference(centers: &[Coord], radius: u32, alpha: f64, (w, h): (u32, u32)) -> Vec<u8> {
        let (reach, stamp) = stamp(radius, alpha);
        let side = 2 * reach;
        let mut through = vec![1.0f32; (w * h) as usize];
        for &(cx, cy) in centers {
            for (i, s) in stamp.iter().enumerate() {
                let (x, y) = (cx - reach + i as i32 % side, cy - reach + i as i32 / side);
                if (0..w as i32).contains(&x) && (0..h as i32).contains(&y) {
                    through[(y * w as i32 + x) as usize] *= 1.0 - s;
                }
            }
        }
        through.iter().map(|t| ((1.0 - t) * 255.0 + 0.5) as u8).collect()
    }

    #[test]
    fn the_image_is_each_disc_composited_over_the_others() {
        let mut rng = fastrand::Rng::with_seed(7);
        for (count, radius, size) in [(1, 1, (9, 7)), (300, 2, (61, 45)), (4000, 4, (130, 90)), (900, 9, (200, 37))] {
            // Centres over the whole canvas and a little beyond each edge: discs cut by it.
            let centers: Vec<Coord> = std::iter::once((4, 3))
                .chain((1..count).map(|_| (rng.i32(-12..size.0 as i32 + 12), rng.i32(-12..size.1 as i32 + 12))))
                .collect();
            let want = reference(&centers, radius, 0.35, size);
            let got = image(&centers, radius, (10, 20, 30), 0.35, size).expect("discs on the canvas");
            let mut off_by_one = 0;
            for y in 0..size.1 as i32 {
                for x in 0..size.0 as i32 {
                    let inside = (got.x..got.x + got.width as i32).contains(&x)
                        && (got.y..got.y + got.height as i32).contains(&y);
                    let alpha = if inside {
                        let at = 4 * ((y - got.y) as usize * got.width + (x - got.x) as usize);
                        assert_eq!(got.rgba[at..at + 3], [10, 20, 30]);
                        got.rgba[at + 3]
                    } else {
                        0
                    };
                    let reference = want[(y * size.0 as i32 + x) as usize];
                    // Composited in another order, a product may differ in its last bit.
                    assert!(
                        alpha.abs_diff(reference) <= 1,
                        "{count} discs of {radius}: ({x}, {y}) {alpha} vs {reference}"
                    );
                    off_by_one += usize::from(alpha != reference);
                }
            }
            assert!(off_by_one * 1000 <= (size.0 * size.1) as usize, "{off_by_one} pixels differ by one level");
        }
    }

    #[test]
    fn an_image_away_from_the_corner_spans_its_bands() {
        // Discs clustered away from the canvas's corner: the image starts inside the canvas
        // and holds several bands of rows.
        let mut rng = fastrand::Rng::with_seed(11);
        let size = (160, 150);
        for radius in [1, 3, 16] {
            let centers: Vec<Coord> = (0..700).map(|_| (rng.i32(37..101), rng.i32(23..119))).collect();
            let want = reference(&centers, radius, 0.6, size);
            let got = image(&centers, radius, (0, 0, 0), 0.6, size).expect("discs on the canvas");
            let reach = radius as i32 + 1;
            let lowest = |axis: fn(&Coord) -> i32| centers.iter().map(axis).min().unwrap_or(0) - reach;
            assert_eq!((got.x, got.y), (lowest(|c| c.0), lowest(|c| c.1)));
            assert!(got.height > 3 * BAND, "{} rows", got.height);
            for y in 0..size.1 as i32 {
                for x in 0..size.0 as i32 {
                    let (dx, dy) = (x - got.x, y - got.y);
                    let inside = (0..got.width as i32).contains(&dx) && (0..got.height as i32).contains(&dy);
                    let alpha = if inside { got.rgba[4 * (dy as usize * got.width + dx as usize) + 3] } else { 0 };
                    let reference = want[(y * size.0 as i32 + x) as usize];
                    assert!(alpha.abs_diff(reference) <= 1, "radius {radius}: ({x}, {y}) {alpha} vs {reference}");
                }
            }
        }
    }

    #[test]
    fn discs_off_the_canvas_make_no_image() {
        assert!(image(&[(-9, 4), (-3, 30)], 2, (0, 0, 0), 0.5, (40, 40)).is_none());
        assert!(image(&[(20, 43), (30, 50)], 2, (0, 0, 0), 0.5, (40, 40)).is_none());
        assert!(image(&[(20, 42)], 2, (0, 0, 0), 0.5, (40, 40)).is_some(), "reaches row 39");
    }
}
