//! Animated GIFs of a step range, from RGB frames (painted natively, or read back from the
//! page's canvas): one global palette of at most 127 colours, chosen from sample frames (the
//! picture's flat fills are most of its pixels, so they all get a colour of their own; the
//! anti-aliased edges of text take the nearest one), and frame differencing — each frame after
//! the first stores only the rectangle that changed, with unchanged pixels transparent — so
//! a step that writes one cell costs little more than that cell.

use std::collections::HashMap;

use gif::{DisposalMethod, Encoder, Frame, Repeat};

/// Most colours of the palette; one more index is the transparent one. Below 128 indices the
/// LZW codes start at 8 bits instead of 9 (text's anti-aliased edges take the nearest colour).
const COLOURS: usize = 127;

/// An animation being encoded.
pub struct GifEncoder {
    width: u16,
    height: u16,
    delay: u16,
    palette: Vec<[u8; 3]>,
    nearest: HashMap<[u8; 3], u8>,
    /// The previous frame, as palette indices.
    previous: Option<Vec<u8>>,
    encoder: Encoder<Vec<u8>>,
    frames: usize,
}

/// Largest side of an animation, in pixels (GIF's own limit is 65 535).
pub const MAX_SIDE: u32 = 4096;

impl GifEncoder {
    /// Starts an animation of `width`×`height` at `fps` frames per second, looping `loops`
    /// times (0: forever), with a palette of the `known` colours and those that cover an area
    /// of `samples` (RGB frames of the same size, e.g. the first and the last).
    pub fn new(
        width: u32,
        height: u32,
        (fps, loops): (f32, u16),
        known: &[[u8; 3]],
        (samples, stride): (&[&[u8]], usize),
    ) -> Result<GifEncoder, String> {
        if !(stride == 3 || stride == 4) {
            return Err(format!("{stride} bytes a pixel: frames are RGB (3) or RGBA (4)"));
        }
        if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
            return Err(format!("a GIF of {width}×{height} pixels: each side must be 1 to {MAX_SIDE}"));
        }
        if !(fps.is_finite() && (0.1..=50.0).contains(&fps)) {
            return Err(format!("{fps} frames per second: give 0.1 to 50"));
        }
        let palette = palette_of(known, samples, stride);
        let mut flat: Vec<u8> = palette.iter().flatten().copied().collect();
        flat.resize(256 * 3, 255);
        let mut encoder =
            Encoder::new(Vec::new(), width as u16, height as u16, &flat).map_err(|e| format!("GIF: {e}"))?;
        let repeat = if loops == 0 { Repeat::Infinite } else { Repeat::Finite(loops) };
        encoder.set_repeat(repeat).map_err(|e| format!("GIF: {e}"))?;
        let nearest = palette.iter().enumerate().map(|(i, c)| (*c, i as u8)).collect();
        Ok(GifEncoder {
            width: width as u16,
            height: height as u16,
            delay: (100.0 / fps).round().clamp(2.0, 1000.0) as u16,
            palette,
            nearest,
            previous: None,
            encoder,
            frames: 0,
        })
    }

    /// Adds one RGB frame (3 bytes a pixel; RGBA with `stride` 4 from a canvas).
    pub fn add_frame(&mut self, pixels: &[u8], stride: usize) -> Result<(), String> {
        let (w, h) = (usize::from(self.width), usize::from(self.height));
        if !(stride == 3 || stride == 4) || pixels.len() != w * h * stride {
            return Err(format!("a frame of {} bytes is not {w}×{h} pixels", pixels.len()));
        }
        let indices: Vec<u8> = pixels.chunks_exact(stride).map(|p| self.index([p[0], p[1], p[2]])).collect();
        let mut frame = Frame { delay: self.delay, dispose: DisposalMethod::Keep, ..Frame::default() };
        match &self.previous {
            None => {
                frame.width = self.width;
                frame.height = self.height;
                frame.buffer = indices.clone().into();
            }
            Some(previous) => {
                // The rectangle that changed; unchanged pixels inside it are transparent.
                let changed = |i: usize| indices[i] != previous[i];
                let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
                for y in 0..h {
                    for x in 0..w {
                        if changed(y * w + x) {
                            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
                        }
                    }
                }
                if x0 >= x1 {
                    (x0, y0, x1, y1) = (0, 0, 1, 1);
                }
                let mut buffer = Vec::with_capacity((x1 - x0) * (y1 - y0));
                for y in y0..y1 {
                    for x in x0..x1 {
                        let i = y * w + x;
                        buffer.push(if changed(i) { indices[i] } else { self.clear() });
                    }
                }
                frame.left = x0 as u16;
                frame.top = y0 as u16;
                frame.width = (x1 - x0) as u16;
                frame.height = (y1 - y0) as u16;
                frame.transparent = Some(self.clear());
                frame.buffer = buffer.into();
            }
        }
        self.encoder.write_frame(&frame).map_err(|e| format!("GIF: {e}"))?;
        self.previous = Some(indices);
        self.frames += 1;
        Ok(())
    }

    /// The transparent index: the one after the palette's colours.
    fn clear(&self) -> u8 {
        self.palette.len() as u8
    }

    /// Frames added so far.
    pub fn frames(&self) -> usize {
        self.frames
    }

    /// The finished file.
    pub fn finish(self) -> Result<Vec<u8>, String> {
        self.encoder.into_inner().map_err(|e| format!("GIF: {e}"))
    }

    /// The palette index of a colour: exact if it is in the palette, else the nearest.
    fn index(&mut self, c: [u8; 3]) -> u8 {
        if let Some(&i) = self.nearest.get(&c) {
            return i;
        }
        let distance = |p: &[u8; 3]| (0..3).map(|k| (i32::from(p[k]) - i32::from(c[k])).pow(2)).sum::<i32>();
        let best = (0..self.palette.len()).min_by_key(|&i| distance(&self.palette[i])).unwrap_or(0) as u8;
        // The cache stays bounded whatever a frame holds.
        if self.nearest.len() < 1 << 16 {
            self.nearest.insert(c, best);
        }
        best
    }
}

/// The known colours, then the most frequent colours of the samples.
fn palette_of(known: &[[u8; 3]], samples: &[&[u8]], stride: usize) -> Vec<[u8; 3]> {
    let mut counts: HashMap<[u8; 3], u64> = HashMap::new();
    for sample in samples {
        for p in sample.chunks_exact(stride) {
            *counts.entry([p[0], p[1], p[2]]).or_default() += 1;
        }
    }
    for (i, c) in known.iter().enumerate() {
        counts.insert(*c, u64::MAX - i as u64);
    }
    let mut colours: Vec<([u8; 3], u64)> = counts.into_iter().collect();
    colours.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    // Colours that cover an area (fills, lines); a text's anti-aliased edge pixels are rare
    // colours each and take the nearest kept one, which keeps runs long for LZW.
    let total: u64 = samples.iter().map(|s| (s.len() / stride) as u64).sum::<u64>().max(1);
    let floor = (total / 1500).max(1);
    let mut palette: Vec<[u8; 3]> =
        colours.into_iter().filter(|(_, n)| *n >= floor).take(COLOURS).map(|(c, _)| c).collect();
    if palette.is_empty() {
        palette.push([255, 255, 255]);
    }
    palette
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Frames come back out pixel for pixel (colours in the palette), and a frame that changes
    /// one pixel is stored as that pixel.
    #[test]
    fn frames_round_trip_and_differences_are_small() {
        let (w, h) = (40u32, 30u32);
        let mut a = vec![255u8; (w * h * 3) as usize];
        for (i, p) in a.chunks_exact_mut(3).enumerate() {
            if i % 7 == 0 {
                p.copy_from_slice(&[213, 94, 0]);
            }
        }
        let mut b = a.clone();
        b[3 * (5 * w as usize + 9)..][..3].copy_from_slice(&[0, 114, 178]);
        let mut enc = GifEncoder::new(w, h, (2.0, 0), &[[0, 114, 178]], (&[&a], 3)).unwrap();
        enc.add_frame(&a, 3).unwrap();
        enc.add_frame(&b, 3).unwrap();
        enc.add_frame(&b, 3).unwrap();
        assert!(enc.add_frame(&b[1..], 3).is_err());
        let bytes = enc.finish().unwrap();
        let mut options = gif::DecodeOptions::new();
        options.set_color_output(gif::ColorOutput::RGBA);
        let mut decoder = options.read_info(bytes.as_slice()).unwrap();
        let mut sizes = Vec::new();
        let mut canvas = vec![0u8; (w * h * 4) as usize];
        let mut shown = Vec::new();
        while let Some(frame) = decoder.read_next_frame().unwrap() {
            sizes.push((frame.width, frame.height));
            for y in 0..frame.height as usize {
                for x in 0..frame.width as usize {
                    let src = &frame.buffer[4 * (y * frame.width as usize + x)..][..4];
                    if src[3] != 0 {
                        let at = 4 * ((y + frame.top as usize) * w as usize + x + frame.left as usize);
                        canvas[at..at + 4].copy_from_slice(src);
                    }
                }
            }
            shown.push(canvas.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect::<Vec<u8>>());
        }
        assert_eq!(sizes, [(40, 30), (1, 1), (1, 1)]);
        assert_eq!(shown, [a, b.clone(), b]);
    }

    /// RGBA samples are read as RGBA whatever their size (6×4 pixels: 96 bytes, divisible by 3).
    #[test]
    fn rgba_samples_give_their_own_colours() {
        let rgba: Vec<u8> =
            (0..24).flat_map(|i| if i % 2 == 0 { [10, 200, 30, 255] } else { [250, 250, 250, 255] }).collect();
        assert_eq!(palette_of(&[], &[&rgba], 4), [[10, 200, 30], [250, 250, 250]]);
    }

    #[test]
    fn hostile_settings_are_refused() {
        assert!(GifEncoder::new(0, 10, (2.0, 0), &[], (&[], 3)).is_err());
        assert!(GifEncoder::new(10, 10, (f32::NAN, 0), &[], (&[], 3)).is_err());
        assert!(GifEncoder::new(10, 10, (0.0, 0), &[], (&[], 3)).is_err());
        assert!(GifEncoder::new(5000, 10, (2.0, 0), &[], (&[], 3)).is_err());
        assert!(GifEncoder::new(10, 10, (2.0, 0), &[], (&[], 2)).is_err());
    }
}
