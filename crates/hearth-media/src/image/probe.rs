//! What an upload is, from its header alone: kind, displayed size, animation — and whether it is within limits.

use std::io::Cursor;

use ::image::metadata::Orientation;
use ::image::{ImageDecoder, ImageReader};

use super::strip::{self, Container};
use super::{ImageError, ImageKind, ImageLimits};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    pub kind: ImageKind,
    /// Displayed size: after the EXIF orientation of a still image is applied.
    pub width: u32,
    pub height: u32,
    /// More than one frame (GIF, animated WebP, APNG).
    pub animated: bool,
    pub frames: u64,
}

/// Cheap: walks the container without decoding pixels. Rejects a canvas above `max_pixels` (a decompression
/// bomb's 100000x100000 header) and animations above `max_frames` before any decoder allocates.
pub fn probe(bytes: &[u8], limits: &ImageLimits) -> Result<ImageInfo, ImageError> {
    Probe::inspect(bytes, limits).map(|probe| probe.info)
}

/// [`probe`]'s findings, with what later steps need as well.
pub(crate) struct Probe {
    pub info: ImageInfo,
    pub container: Container,
    /// What the EXIF orientation asks for. Always `NoTransforms` for animations: browsers do not rotate them.
    pub orientation: Orientation,
}

impl Probe {
    pub(crate) fn inspect(bytes: &[u8], limits: &ImageLimits) -> Result<Self, ImageError> {
        let kind = ImageKind::sniff(bytes)?;
        let container = strip::scan(kind, bytes)?;
        limits.check_pixels(container.width, container.height)?;
        let (frame_width, frame_height) = container.largest_frame;
        limits.check_pixels(frame_width, frame_height)?;
        limits.check_frames(container.frames)?;

        let animated = container.frames > 1;
        let orientation = open_header(bytes, kind, &container, limits)?;
        let orientation = if animated {
            Orientation::NoTransforms
        } else {
            orientation
        };
        let (width, height) = if swaps_sides(orientation) {
            (container.height, container.width)
        } else {
            (container.width, container.height)
        };
        let info = ImageInfo {
            kind,
            width,
            height,
            animated,
            frames: container.frames,
        };
        Ok(Probe {
            info,
            container,
            orientation,
        })
    }
}

/// Opens a header-only decoder, which confirms the codec agrees with the container walk, and reads the EXIF
/// orientation. A broken EXIF block counts as no orientation rather than a broken image: the picture is fine.
fn open_header(
    bytes: &[u8],
    kind: ImageKind,
    container: &Container,
    limits: &ImageLimits,
) -> Result<Orientation, ImageError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), kind.format());
    reader.limits(limits.for_decoder());
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| ImageError::from_decoding(e, limits.max_alloc_bytes))?;
    if decoder.dimensions() != (container.width, container.height) {
        return Err(ImageError::Corrupt(format!(
            "{}: the codec and the container disagree on the size",
            kind.mime()
        )));
    }
    if kind == ImageKind::Gif {
        return Ok(Orientation::NoTransforms);
    }
    Ok(decoder.orientation().unwrap_or(Orientation::NoTransforms))
}

pub(crate) fn swaps_sides(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}
