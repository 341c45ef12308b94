//! Decoding the picture of a still image, or the first frame of an animation, within limits.

use std::io::Cursor;

use ::image::{DynamicImage, ImageDecoder, ImageReader};

use super::probe::Probe;
use super::{ImageError, ImageLimits};

pub(crate) struct Decoded {
    /// Upright: the probe's EXIF orientation is already applied.
    pub image: DynamicImage,
    pub icc_profile: Option<Vec<u8>>,
}

/// Decodes `bytes` (the upload or its stripped copy, same pixels) as the probed kind. The orientation comes from
/// the probe because a stripped copy no longer carries it.
pub(crate) fn first_frame(
    bytes: &[u8],
    probe: &Probe,
    limits: &ImageLimits,
) -> Result<Decoded, ImageError> {
    let failed = |e| ImageError::from_decoding(e, limits.max_alloc_bytes);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), probe.info.kind.format());
    reader.limits(limits.for_decoder());
    let mut decoder = reader.into_decoder().map_err(failed)?;
    let icc_profile = decoder.icc_profile().ok().flatten();
    // The decoder's own limits only cover its scratch buffers; the output buffer is checked here, as
    // `ImageReader::decode` does.
    limits
        .for_decoder()
        .reserve(decoder.total_bytes())
        .map_err(failed)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(failed)?;
    image.apply_orientation(probe.orientation);
    Ok(Decoded { image, icc_profile })
}
