//! Why an image was refused or could not be processed.

use super::ImageKind;

#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// The bytes are not an image at all (text, archive, unknown): the magic bytes decide.
    #[error("the file is not an image")]
    NotAnImage,
    /// An image, but of a kind Hearth does not process (HEIF, AVIF, TIFF, BMP, …); holds its MIME type.
    #[error("{0} images are not supported")]
    Unsupported(&'static str),
    /// A supported kind that this particular use refuses (a JPEG custom emoji).
    #[error("{} images are not accepted here", .0.mime())]
    KindNotAllowed(ImageKind),
    #[error("the image is {width}x{height} pixels, more than the {max} allowed")]
    TooManyPixels { width: u32, height: u32, max: u64 },
    #[error("the animation has {frames} frames, more than the {max} allowed")]
    TooManyFrames { frames: u64, max: u32 },
    /// Decoding every frame of the animation would touch more pixels than allowed.
    #[error("the animation has {pixels} pixels over all its frames, more than the {max} allowed")]
    AnimationTooLarge { pixels: u64, max: u64 },
    /// An animation that cannot be re-encoded here (animated WebP, APNG) and is larger than the use allows.
    #[error("an animated {} must be at most {max_side}x{max_side} pixels, this one is {width}x{height}", kind.mime())]
    AnimationNotResizable {
        kind: ImageKind,
        width: u32,
        height: u32,
        max_side: u32,
    },
    #[error("decoding the image needs more than the {max} bytes of memory allowed")]
    TooMuchMemory { max: u64 },
    /// It sniffs as a supported kind but its structure or data is broken (truncated, garbage after the magic, …).
    #[error("the image is corrupt: {0}")]
    Corrupt(String),
    /// Producing a derived image failed; not the uploader's fault.
    #[error("encoding the image failed: {0}")]
    Encode(String),
}

impl ImageError {
    /// Maps a decoder's error: anything but a memory limit means the data is broken.
    pub(crate) fn from_decoding(error: ::image::ImageError, max_alloc_bytes: u64) -> Self {
        match error {
            ::image::ImageError::Limits(_) => ImageError::TooMuchMemory {
                max: max_alloc_bytes,
            },
            other => ImageError::Corrupt(other.to_string()),
        }
    }

    pub(crate) fn from_encoding(error: impl std::fmt::Display) -> Self {
        ImageError::Encode(error.to_string())
    }
}
