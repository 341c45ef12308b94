//! Custom emoji: small PNG, GIF or WebP images, animated ones kept animated.

use std::io::Cursor;

use ::image::codecs::gif::GifDecoder;
use ::image::metadata::LoopCount;
use ::image::{AnimationDecoder, ImageDecoder};

use super::picture::Picture;
use super::probe::Probe;
use super::resize::{downscale, fit_within};
use super::{ImageError, ImageKind, ImageLimits, decode, strip};

/// Emoji are shown at most this large (both sides, in pixels).
pub const EMOJI_MAX_SIDE: u32 = 128;
/// NeuQuant speed for re-quantising resized GIF frames (1 best … 30 fastest); 10 is gif's recommended balance.
const GIF_QUANTIZE_SPEED: i32 = 10;
/// A resized frame's pixel is either fully transparent or opaque in GIF; the cut is at half coverage.
const GIF_ALPHA_THRESHOLD: u8 = 128;

#[derive(Debug, Clone)]
pub struct EmojiImage {
    pub kind: ImageKind,
    pub width: u32,
    pub height: u32,
    pub animated: bool,
    pub bytes: Vec<u8>,
}

/// PNG, GIF and WebP are accepted, JPEG is refused (no transparency, and photos make poor emoji).
/// - Still images: fitted within 128x128 and encoded as PNG.
/// - Animated GIF: if larger than 128x128, every frame is resized and re-encoded as GIF (the loop count and
///   delays are kept); otherwise the cleaned original is returned.
/// - Animated WebP and APNG: `image` cannot encode them, so they are accepted only if already within 128x128,
///   as the cleaned original; larger ones are [`ImageError::AnimationNotResizable`].
pub fn emoji(bytes: &[u8], limits: &ImageLimits) -> Result<EmojiImage, ImageError> {
    let probe = Probe::inspect(bytes, limits)?;
    let kind = probe.info.kind;
    if kind == ImageKind::Jpeg {
        return Err(ImageError::KindNotAllowed(kind));
    }
    let (width, height) = (probe.info.width, probe.info.height);
    let fits = width <= EMOJI_MAX_SIDE && height <= EMOJI_MAX_SIDE;
    if probe.info.animated {
        if fits {
            let bytes = strip::strip(kind, bytes)?;
            return Ok(EmojiImage {
                kind,
                width,
                height,
                animated: true,
                bytes,
            });
        }
        if kind != ImageKind::Gif {
            return Err(ImageError::AnimationNotResizable {
                kind,
                width,
                height,
                max_side: EMOJI_MAX_SIDE,
            });
        }
        let (width, height) = fit_within(width, height, EMOJI_MAX_SIDE, EMOJI_MAX_SIDE);
        let bytes = resized_gif(bytes, &probe, limits, width, height)?;
        return Ok(EmojiImage {
            kind: ImageKind::Gif,
            width,
            height,
            animated: true,
            bytes,
        });
    }

    let decoded = decode::first_frame(bytes, &probe, limits)?;
    let picture = Picture::new(decoded.image);
    let (width, height) = fit_within(width, height, EMOJI_MAX_SIDE, EMOJI_MAX_SIDE);
    let fitted = picture
        .downscaled_series(&[(width, height)])
        .pop()
        .unwrap_or(picture);
    let bytes = fitted.encode_png(decoded.icc_profile.as_deref())?;
    Ok(EmojiImage {
        kind: ImageKind::Png,
        width,
        height,
        animated: false,
        bytes,
    })
}

/// Decodes every frame (composited on the canvas), resizes it and writes it as a full-canvas GIF frame that
/// clears itself, so transparent areas never show the previous frame.
fn resized_gif(
    bytes: &[u8],
    probe: &Probe,
    limits: &ImageLimits,
    width: u32,
    height: u32,
) -> Result<Vec<u8>, ImageError> {
    limits.check_animation_pixels(
        probe.container.frames,
        probe.container.width,
        probe.container.height,
    )?;
    let failed = |e| ImageError::from_decoding(e, limits.max_alloc_bytes);
    let mut decoder = GifDecoder::new(Cursor::new(bytes)).map_err(failed)?;
    decoder.set_limits(limits.for_decoder()).map_err(failed)?;
    let repeat = match decoder.loop_count() {
        LoopCount::Infinite => gif::Repeat::Infinite,
        LoopCount::Finite(times) => {
            gif::Repeat::Finite(u16::try_from(times.get()).unwrap_or(u16::MAX))
        }
    };
    let (gif_width, gif_height) = (to_u16(width)?, to_u16(height)?);

    let mut out = Vec::new();
    let mut encoder = gif::Encoder::new(&mut out, gif_width, gif_height, &[])
        .map_err(ImageError::from_encoding)?;
    encoder
        .set_repeat(repeat)
        .map_err(ImageError::from_encoding)?;
    for frame in decoder.into_frames() {
        let frame = frame.map_err(failed)?;
        let (delay_numer_ms, delay_denom_ms) = frame.delay().numer_denom_ms();
        let mut resized = downscale(frame.buffer(), width, height);
        for pixel in resized.pixels_mut() {
            pixel[3] = if pixel[3] >= GIF_ALPHA_THRESHOLD {
                u8::MAX
            } else {
                0
            };
        }
        let mut gif_frame =
            gif::Frame::from_rgba_speed(gif_width, gif_height, &mut resized, GIF_QUANTIZE_SPEED);
        gif_frame.delay = centiseconds(delay_numer_ms, delay_denom_ms);
        gif_frame.dispose = gif::DisposalMethod::Background;
        encoder
            .write_frame(&gif_frame)
            .map_err(ImageError::from_encoding)?;
    }
    drop(encoder);
    Ok(out)
}

fn to_u16(side: u32) -> Result<u16, ImageError> {
    u16::try_from(side)
        .map_err(|_| ImageError::Encode(format!("{side} pixels is too large for a GIF")))
}

fn centiseconds(numer_ms: u32, denom_ms: u32) -> u16 {
    let tenths = u64::from(denom_ms.max(1)) * 10;
    u16::try_from((u64::from(numer_ms) + tenths / 2) / tenths).unwrap_or(u16::MAX)
}
