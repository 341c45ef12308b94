//! Encoders for derived images and for uploads that had to be re-encoded upright.

use ::image::codecs::jpeg::JpegEncoder;
use ::image::codecs::png::{CompressionType, FilterType, PngEncoder};
use ::image::codecs::webp::WebPEncoder;
use ::image::{DynamicImage, ExtendedColorType, ImageEncoder};

use super::{ImageError, ImageKind};

/// Quality of an upload re-encoded to apply its EXIF orientation: close to the original, which is gone.
const UPRIGHT_JPEG_QUALITY: u8 = 90;
/// ICC profiles larger than this are not copied into derived images: real display profiles are a few KiB, and a
/// thumbnail should not carry a printer profile ten times its own size.
const MAX_DERIVED_ICC_BYTES: usize = 64 * 1024;

/// The upload, re-encoded in its own kind after its orientation was applied, keeping its colour profile.
pub(crate) fn upright(
    kind: ImageKind,
    image: &DynamicImage,
    icc_profile: Option<&[u8]>,
) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    let written = match kind {
        ImageKind::Jpeg => with_profile(
            JpegEncoder::new_with_quality(&mut out, UPRIGHT_JPEG_QUALITY),
            icc_profile,
        )
        .and_then(|encoder| Ok(image.write_with_encoder(encoder)?)),
        ImageKind::Png => with_profile(png_encoder(&mut out), icc_profile)
            .and_then(|e| Ok(image.write_with_encoder(e)?)),
        ImageKind::WebP => with_profile(WebPEncoder::new_lossless(&mut out), icc_profile)
            .and_then(|e| Ok(image.write_with_encoder(e)?)),
        ImageKind::Gif => return Err(ImageError::Encode("GIF has no orientation to apply".into())),
    };
    written.map_err(ImageError::from_encoding)?;
    Ok(out)
}

/// Derived images only carry a profile of reasonable size; see [`MAX_DERIVED_ICC_BYTES`].
pub(crate) fn derived_profile(icc_profile: Option<&[u8]>) -> Option<&[u8]> {
    icc_profile.filter(|profile| profile.len() <= MAX_DERIVED_ICC_BYTES)
}

pub(crate) fn jpeg(
    pixels: &[u8],
    width: u32,
    height: u32,
    quality: u8,
    icc_profile: Option<&[u8]>,
) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    with_profile(
        JpegEncoder::new_with_quality(&mut out, quality),
        icc_profile,
    )
    .and_then(|encoder| Ok(encoder.write_image(pixels, width, height, ExtendedColorType::Rgb8)?))
    .map_err(ImageError::from_encoding)?;
    Ok(out)
}

pub(crate) fn png_rgba(
    pixels: &[u8],
    width: u32,
    height: u32,
    icc_profile: Option<&[u8]>,
) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    with_profile(png_encoder(&mut out), icc_profile)
        .and_then(|encoder| {
            Ok(encoder.write_image(pixels, width, height, ExtendedColorType::Rgba8)?)
        })
        .map_err(ImageError::from_encoding)?;
    Ok(out)
}

fn png_encoder(out: &mut Vec<u8>) -> PngEncoder<&mut Vec<u8>> {
    PngEncoder::new_with_quality(out, CompressionType::Default, FilterType::Adaptive)
}

type EncodeResult<T> = Result<T, Box<dyn std::error::Error>>;

fn with_profile<E: ImageEncoder>(mut encoder: E, icc_profile: Option<&[u8]>) -> EncodeResult<E> {
    if let Some(profile) = icc_profile {
        encoder.set_icc_profile(profile.to_vec())?;
    }
    Ok(encoder)
}
