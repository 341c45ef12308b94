//! Image attachments: what is stored and served instead of the upload, its thumbnails and its blurhash.

use ::image::metadata::Orientation;

use super::picture::Picture;
use super::probe::Probe;
use super::resize::height_for_width;
use super::{ImageError, ImageInfo, ImageKind, ImageLimits, decode, encode, placeholder, strip};

/// Thumbnails are viewed small and often: size matters more than the last bit of fidelity.
const THUMBNAIL_JPEG_QUALITY: u8 = 80;

#[derive(Debug, Clone)]
pub struct ProcessedImage {
    pub info: ImageInfo,
    /// What is stored and served instead of the upload, same kind, same picture, no metadata: EXIF, XMP, IPTC,
    /// comments, text chunks, embedded thumbnails and trailing data are gone; colour profiles stay. Lossless
    /// (the encoded picture is copied untouched) except for a still image with a rotating or flipping EXIF
    /// orientation, which is decoded, turned upright and re-encoded (JPEG quality 90, PNG, lossless WebP) so it
    /// still looks upright without its EXIF. Animations stay animated.
    pub cleaned: Vec<u8>,
    /// 4x3 components, from the first frame.
    pub blurhash: String,
    /// One per requested width smaller than the image, largest first; the first frame of an animation. JPEG for
    /// opaque images, PNG when some pixel is transparent.
    pub thumbnails: Vec<Thumbnail>,
}

#[derive(Debug, Clone)]
pub struct Thumbnail {
    pub width: u32,
    pub height: u32,
    pub kind: ImageKind,
    pub bytes: Vec<u8>,
}

/// Full processing of an uploaded image attachment. Widths that are zero or not smaller than the image yield no
/// thumbnail (clients show the image itself); duplicates yield one.
pub fn process_attachment(
    bytes: &[u8],
    limits: &ImageLimits,
    thumbnail_widths: &[u32],
) -> Result<ProcessedImage, ImageError> {
    let probe = Probe::inspect(bytes, limits)?;
    let stripped = strip::strip(probe.info.kind, bytes)?;
    // Decoding what will be served (rather than the upload) proves that it decodes.
    let decoded = decode::first_frame(&stripped, &probe, limits)?;
    let icc_profile = decoded.icc_profile.as_deref();
    let cleaned = if probe.orientation == Orientation::NoTransforms {
        stripped
    } else {
        encode::upright(probe.info.kind, &decoded.image, icc_profile)?
    };

    let picture = Picture::new(decoded.image);
    let sizes = thumbnail_sizes(&probe.info, thumbnail_widths);
    let series = picture.downscaled_series(&sizes);
    let blurhash = placeholder::blurhash(series.last().unwrap_or(&picture))?;
    let thumbnails = series
        .iter()
        .map(|thumbnail| {
            let (width, height) = thumbnail.dimensions();
            let (kind, bytes) = thumbnail.encode(THUMBNAIL_JPEG_QUALITY, icc_profile)?;
            Ok(Thumbnail {
                width,
                height,
                kind,
                bytes,
            })
        })
        .collect::<Result<_, ImageError>>()?;

    Ok(ProcessedImage {
        info: probe.info,
        cleaned,
        blurhash,
        thumbnails,
    })
}

fn thumbnail_sizes(info: &ImageInfo, widths: &[u32]) -> Vec<(u32, u32)> {
    let mut widths: Vec<u32> = widths
        .iter()
        .copied()
        .filter(|&w| w > 0 && w < info.width)
        .collect();
    widths.sort_unstable_by(|a, b| b.cmp(a));
    widths.dedup();
    widths
        .into_iter()
        .map(|w| (w, height_for_width(info.width, info.height, w)))
        .collect()
}
