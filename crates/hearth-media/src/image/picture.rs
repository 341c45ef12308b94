//! An upright 8-bit picture, opaque or with transparency: what every derived image starts from.

use ::image::{DynamicImage, RgbImage, RgbaImage};

use super::resize::downscale;
use super::{ImageError, ImageKind, encode};

#[derive(Clone)]
pub(crate) enum Picture {
    Opaque(RgbImage),
    Transparent(RgbaImage),
}

impl Picture {
    /// An alpha channel in which every pixel is opaque is dropped, so such images get JPEG derivatives.
    pub(crate) fn new(image: DynamicImage) -> Self {
        if !image.color().has_alpha() {
            return Picture::Opaque(image.into_rgb8());
        }
        let rgba = image.into_rgba8();
        if rgba.pixels().all(|p| p[3] == u8::MAX) {
            Picture::Opaque(DynamicImage::ImageRgba8(rgba).into_rgb8())
        } else {
            Picture::Transparent(rgba)
        }
    }

    pub(crate) fn dimensions(&self) -> (u32, u32) {
        match self {
            Picture::Opaque(image) => image.dimensions(),
            Picture::Transparent(image) => image.dimensions(),
        }
    }

    pub(crate) fn downscaled(&self, width: u32, height: u32) -> Picture {
        match self {
            Picture::Opaque(image) => Picture::Opaque(downscale(image, width, height)),
            Picture::Transparent(image) => Picture::Transparent(downscale(image, width, height)),
        }
    }

    /// Each size downscaled from the previous result rather than from the source, so the expensive pass over the
    /// full-size picture happens once. `sizes` must be largest first and no larger than the picture.
    pub(crate) fn downscaled_series(&self, sizes: &[(u32, u32)]) -> Vec<Picture> {
        let mut series: Vec<Picture> = Vec::with_capacity(sizes.len());
        for &(width, height) in sizes {
            let previous = series.last().unwrap_or(self);
            let next = if previous.dimensions() == (width, height) {
                previous.clone()
            } else {
                previous.downscaled(width, height)
            };
            series.push(next);
        }
        series
    }

    /// The centred square with the side of the shorter dimension.
    pub(crate) fn cropped_to_square(&self) -> Picture {
        let (width, height) = self.dimensions();
        let side = width.min(height);
        let (x, y) = ((width - side) / 2, (height - side) / 2);
        match self {
            Picture::Opaque(image) => {
                Picture::Opaque(::image::imageops::crop_imm(image, x, y, side, side).to_image())
            }
            Picture::Transparent(image) => Picture::Transparent(
                ::image::imageops::crop_imm(image, x, y, side, side).to_image(),
            ),
        }
    }

    /// JPEG at `jpeg_quality` when opaque, PNG when it has transparency.
    pub(crate) fn encode(
        &self,
        jpeg_quality: u8,
        icc_profile: Option<&[u8]>,
    ) -> Result<(ImageKind, Vec<u8>), ImageError> {
        let icc_profile = encode::derived_profile(icc_profile);
        let (width, height) = self.dimensions();
        match self {
            Picture::Opaque(image) => Ok((
                ImageKind::Jpeg,
                encode::jpeg(image.as_raw(), width, height, jpeg_quality, icc_profile)?,
            )),
            Picture::Transparent(image) => Ok((
                ImageKind::Png,
                encode::png_rgba(image.as_raw(), width, height, icc_profile)?,
            )),
        }
    }

    /// PNG whatever the transparency (icons, emoji: small, and lossless edges matter more than bytes).
    pub(crate) fn encode_png(&self, icc_profile: Option<&[u8]>) -> Result<Vec<u8>, ImageError> {
        let icc_profile = encode::derived_profile(icc_profile);
        let rgba = self.to_rgba();
        encode::png_rgba(rgba.as_raw(), rgba.width(), rgba.height(), icc_profile)
    }

    pub(crate) fn to_rgba(&self) -> RgbaImage {
        match self {
            Picture::Opaque(image) => DynamicImage::ImageRgb8(image.clone()).into_rgba8(),
            Picture::Transparent(image) => image.clone(),
        }
    }
}
