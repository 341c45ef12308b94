//! The blurhash shown while an image loads.

use super::ImageError;
use super::picture::Picture;
use super::resize::fit_within;

/// 4 horizontal × 3 vertical components: enough for a recognisable blur, 28 characters.
const COMPONENTS_X: u32 = 4;
const COMPONENTS_Y: u32 = 3;
/// Blurhash only keeps low frequencies, so a tiny source gives the same hash for a fraction of the work.
const SOURCE_MAX_SIDE: u32 = 32;

/// Pass the smallest picture at hand (the smallest thumbnail): the downscale to 32 pixels is then cheap.
pub(crate) fn blurhash(picture: &Picture) -> Result<String, ImageError> {
    let (width, height) = picture.dimensions();
    let (small_width, small_height) = fit_within(width, height, SOURCE_MAX_SIDE, SOURCE_MAX_SIDE);
    let small = picture.downscaled(small_width, small_height).to_rgba();
    blurhash::encode(
        COMPONENTS_X,
        COMPONENTS_Y,
        small_width,
        small_height,
        small.as_raw(),
    )
    .map_err(ImageError::from_encoding)
}
