//! Avatars, guild icons and role icons: the centred square of an upload at each requested size.

use super::picture::Picture;
use super::probe::Probe;
use super::{ImageError, ImageKind, ImageLimits, decode, strip};

/// What to do with an animated upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Animation {
    /// Also return the animation itself, metadata removed.
    Keep,
    /// Only the first frame is used.
    Freeze,
}

#[derive(Debug, Clone)]
pub struct SquareIcon {
    /// Side of the centred square cut from the upload; no icon is larger.
    pub source_side: u32,
    /// PNG from the (first) frame, one per requested non-zero size, in the order requested. A size above
    /// `source_side` is produced at `source_side` (the same bytes repeated) rather than upscaled or skipped, so
    /// every size a client may ask for exists and clients scale up themselves.
    pub sizes: Vec<SquareIconSize>,
    /// With [`Animation::Keep`] and an animated upload: the animation, cleaned but neither cropped nor resized
    /// (animated WebP cannot be re-encoded here), for clients to show with `object-fit: cover`.
    pub animated: Option<AnimatedOriginal>,
}

#[derive(Debug, Clone)]
pub struct SquareIconSize {
    pub requested: u32,
    pub side: u32,
    /// PNG: icons are small and logos keep crisp edges.
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct AnimatedOriginal {
    pub kind: ImageKind,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

pub fn square_icon(
    bytes: &[u8],
    limits: &ImageLimits,
    sizes: &[u32],
    animation: Animation,
) -> Result<SquareIcon, ImageError> {
    let probe = Probe::inspect(bytes, limits)?;
    let decoded = decode::first_frame(bytes, &probe, limits)?;
    let square = Picture::new(decoded.image).cropped_to_square();
    let (source_side, _) = square.dimensions();

    let mut sides: Vec<u32> = sizes
        .iter()
        .filter(|&&s| s > 0)
        .map(|&s| s.min(source_side))
        .collect();
    sides.sort_unstable_by(|a, b| b.cmp(a));
    sides.dedup();
    let series =
        square.downscaled_series(&sides.iter().map(|&side| (side, side)).collect::<Vec<_>>());
    let encoded = series
        .iter()
        .map(|picture| {
            Ok((
                picture.dimensions().0,
                picture.encode_png(decoded.icc_profile.as_deref())?,
            ))
        })
        .collect::<Result<Vec<(u32, Vec<u8>)>, ImageError>>()?;

    let sizes = sizes
        .iter()
        .filter(|&&requested| requested > 0)
        .filter_map(|&requested| {
            let side = requested.min(source_side);
            let (_, bytes) = encoded
                .iter()
                .find(|(encoded_side, _)| *encoded_side == side)?;
            Some(SquareIconSize {
                requested,
                side,
                bytes: bytes.clone(),
            })
        })
        .collect();

    let animated = match animation {
        Animation::Keep if probe.info.animated => Some(AnimatedOriginal {
            kind: probe.info.kind,
            width: probe.info.width,
            height: probe.info.height,
            bytes: strip::strip(probe.info.kind, bytes)?,
        }),
        Animation::Keep | Animation::Freeze => None,
    };
    Ok(SquareIcon {
        source_side,
        sizes,
        animated,
    })
}
