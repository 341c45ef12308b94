//! Metadata removal that leaves the encoded picture untouched, and the container walks it relies on.
//!
//! Each format module walks its container (segments, chunks, blocks) without decoding pixels. The walk both tells
//! [`scan`] the canvas and frame count — so limits are enforced before any decoder runs — and lets [`strip`] copy
//! only what is needed to render. Known-safe pieces are kept by allowlist: anything unknown is dropped, and so is
//! anything after the container's end marker (appended archives, camera trailers, secondary pictures).

mod gif_blocks;
mod jpeg_segments;
mod png_chunks;
mod webp_chunks;

use super::{ImageError, ImageKind};

/// What a container walk learns without decoding any pixel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Container {
    /// The canvas as the header declares it (before any EXIF orientation).
    pub width: u32,
    pub height: u32,
    /// Frames actually present (1 for a still image).
    pub frames: u64,
    /// The frame with the largest area. GIF frames may be larger than their canvas; other formats bound their
    /// frames by the canvas, so there it is the canvas.
    pub largest_frame: (u32, u32),
}

pub(crate) fn scan(kind: ImageKind, bytes: &[u8]) -> Result<Container, ImageError> {
    let scanned = match kind {
        ImageKind::Jpeg => jpeg_segments::scan(bytes),
        ImageKind::Png => png_chunks::scan(bytes),
        ImageKind::Gif => gif_blocks::scan(bytes),
        ImageKind::WebP => webp_chunks::scan(bytes),
    };
    scanned.map_err(|problem| corrupt(kind, &problem))
}

/// The same picture with every metadata segment, chunk or block removed.
pub(crate) fn strip(kind: ImageKind, bytes: &[u8]) -> Result<Vec<u8>, ImageError> {
    let stripped = match kind {
        ImageKind::Jpeg => jpeg_segments::strip(bytes),
        ImageKind::Png => png_chunks::strip(bytes),
        ImageKind::Gif => gif_blocks::strip(bytes),
        ImageKind::WebP => webp_chunks::strip(bytes),
    };
    stripped.map_err(|problem| corrupt(kind, &problem))
}

fn corrupt(kind: ImageKind, problem: &str) -> ImageError {
    ImageError::Corrupt(format!("{}: {problem}", kind.mime()))
}

const TRUNCATED: &str = "the file ends in the middle of the image";

fn read_u16_be(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn read_u32_be(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn read_u16_le(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn read_u24_le(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 3)?;
    Some(u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16)
}

fn read_u32_le(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn area((width, height): (u32, u32)) -> u64 {
    u64::from(width) * u64::from(height)
}
