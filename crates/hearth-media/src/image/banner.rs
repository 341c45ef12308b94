//! Profile and guild banners: the whole picture (no crop), fitted within a box.

use super::picture::Picture;
use super::probe::Probe;
use super::resize::fit_within;
use super::{ImageError, ImageKind, ImageLimits, decode, placeholder};

/// Banners are large and prominent: a little more fidelity than thumbnails.
const BANNER_JPEG_QUALITY: u8 = 85;

#[derive(Debug, Clone)]
pub struct ProcessedBanner {
    pub width: u32,
    pub height: u32,
    /// JPEG when opaque, PNG when some pixel is transparent; the first frame of an animation.
    pub kind: ImageKind,
    pub bytes: Vec<u8>,
    pub blurhash: String,
}

/// Fits the upright first frame within `max_width` x `max_height` keeping its aspect ratio; never upscales.
pub fn banner(
    bytes: &[u8],
    limits: &ImageLimits,
    max_width: u32,
    max_height: u32,
) -> Result<ProcessedBanner, ImageError> {
    let probe = Probe::inspect(bytes, limits)?;
    let decoded = decode::first_frame(bytes, &probe, limits)?;
    let picture = Picture::new(decoded.image);
    let (source_width, source_height) = picture.dimensions();
    let (width, height) = fit_within(source_width, source_height, max_width, max_height);
    let fitted = picture
        .downscaled_series(&[(width, height)])
        .pop()
        .unwrap_or(picture);
    let (kind, bytes) = fitted.encode(BANNER_JPEG_QUALITY, decoded.icc_profile.as_deref())?;
    let blurhash = placeholder::blurhash(&fitted)?;
    Ok(ProcessedBanner {
        width,
        height,
        kind,
        bytes,
        blurhash,
    })
}
