//! How much an uploaded image may cost to decode.

use super::ImageError;

/// Bounds applied before and during decoding. The defaults suit attachments; callers may tighten them per use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageLimits {
    /// Largest canvas (width × height) accepted, checked from the header before anything is decoded.
    pub max_pixels: u64,
    /// Most frames an animation may have.
    pub max_frames: u32,
    /// Most memory a decoder may allocate (handed to `image::Limits::max_alloc`).
    pub max_alloc_bytes: u64,
    /// Most pixels decoded over all frames when every frame must be decoded (re-encoding an animated emoji):
    /// frames × canvas, checked before decoding the first frame.
    pub max_animation_pixels: u64,
}

const DEFAULT_MAX_PIXELS: u64 = 40_000_000;
const DEFAULT_MAX_FRAMES: u32 = 1000;
const DEFAULT_MAX_ALLOC_BYTES: u64 = 512 * 1024 * 1024;
const DEFAULT_MAX_ANIMATION_PIXELS: u64 = 100_000_000;

impl Default for ImageLimits {
    fn default() -> Self {
        Self {
            max_pixels: DEFAULT_MAX_PIXELS,
            max_frames: DEFAULT_MAX_FRAMES,
            max_alloc_bytes: DEFAULT_MAX_ALLOC_BYTES,
            max_animation_pixels: DEFAULT_MAX_ANIMATION_PIXELS,
        }
    }
}

impl ImageLimits {
    /// The limits every `image` decoder gets. A side can never exceed the pixel budget, so that bounds each side.
    pub(crate) fn for_decoder(&self) -> ::image::Limits {
        let max_side = u32::try_from(self.max_pixels).unwrap_or(u32::MAX);
        let mut limits = ::image::Limits::default();
        limits.max_image_width = Some(max_side);
        limits.max_image_height = Some(max_side);
        limits.max_alloc = Some(self.max_alloc_bytes);
        limits
    }

    pub(crate) fn check_pixels(&self, width: u32, height: u32) -> Result<(), ImageError> {
        if u64::from(width) * u64::from(height) > self.max_pixels {
            return Err(ImageError::TooManyPixels {
                width,
                height,
                max: self.max_pixels,
            });
        }
        Ok(())
    }

    pub(crate) fn check_frames(&self, frames: u64) -> Result<(), ImageError> {
        if frames > u64::from(self.max_frames) {
            return Err(ImageError::TooManyFrames {
                frames,
                max: self.max_frames,
            });
        }
        Ok(())
    }

    pub(crate) fn check_animation_pixels(
        &self,
        frames: u64,
        width: u32,
        height: u32,
    ) -> Result<(), ImageError> {
        let pixels = frames.saturating_mul(u64::from(width) * u64::from(height));
        if pixels > self.max_animation_pixels {
            return Err(ImageError::AnimationTooLarge {
                pixels,
                max: self.max_animation_pixels,
            });
        }
        Ok(())
    }
}
