//! Sizes of derived images, and the downscaling filter.

use ::image::imageops::{self, FilterType};
use ::image::{ImageBuffer, Pixel};
use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType as SimdFilter, PixelType, ResizeAlg, ResizeOptions, Resizer};

/// The largest size within `max_width` x `max_height` with the same aspect ratio; never larger than the source.
pub(crate) fn fit_within(width: u32, height: u32, max_width: u32, max_height: u32) -> (u32, u32) {
    if width <= max_width && height <= max_height {
        return (width, height);
    }
    let (w, h, max_w, max_h) = (
        u64::from(width),
        u64::from(height),
        u64::from(max_width),
        u64::from(max_height),
    );
    // Compare the ratios without floating point: the tighter bound wins.
    if w * max_h >= h * max_w {
        (max_width.max(1), scaled(h, max_w, w))
    } else {
        (scaled(w, max_h, h), max_height.max(1))
    }
}

/// Height for a given width, keeping the aspect ratio (rounded, at least 1 pixel).
pub(crate) fn height_for_width(width: u32, height: u32, new_width: u32) -> u32 {
    scaled(u64::from(height), u64::from(new_width), u64::from(width))
}

/// `value * numerator / denominator`, rounded to nearest, clamped to at least 1.
fn scaled(value: u64, numerator: u64, denominator: u64) -> u32 {
    let rounded = (value * numerator + denominator / 2) / denominator.max(1);
    u32::try_from(rounded.max(1)).unwrap_or(u32::MAX)
}

/// Catmull-Rom keeps thumbnails sharp with little ringing. fast_image_resize filters with SIMD and resizes
/// transparent pixels premultiplied (no dark fringes); `image::imageops::resize` took ~0.5 s for a 12-megapixel
/// photo to 1600 pixels where this takes a few tens of milliseconds.
pub(crate) fn downscale<P>(
    image: &ImageBuffer<P, Vec<u8>>,
    width: u32,
    height: u32,
) -> ImageBuffer<P, Vec<u8>>
where
    P: Pixel<Subpixel = u8> + 'static,
{
    simd_resize(image, width, height)
        .unwrap_or_else(|| imageops::resize(image, width, height, FilterType::CatmullRom))
}

/// `None` only for a pixel layout fast_image_resize lacks or inconsistent buffers, neither of which the callers
/// produce; [`downscale`] then falls back to `image`'s slower filter rather than failing.
fn simd_resize<P>(
    image: &ImageBuffer<P, Vec<u8>>,
    width: u32,
    height: u32,
) -> Option<ImageBuffer<P, Vec<u8>>>
where
    P: Pixel<Subpixel = u8> + 'static,
{
    let pixel_type = match P::CHANNEL_COUNT {
        1 => PixelType::U8,
        2 => PixelType::U8x2,
        3 => PixelType::U8x3,
        4 => PixelType::U8x4,
        _ => return None,
    };
    let source = ImageRef::new(image.width(), image.height(), image.as_raw(), pixel_type).ok()?;
    let mut target = Image::new(width, height, pixel_type);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(SimdFilter::CatmullRom));
    Resizer::new().resize(&source, &mut target, &options).ok()?;
    ImageBuffer::from_raw(width, height, target.into_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_within_keeps_the_aspect_ratio_and_never_upscales() {
        assert_eq!(fit_within(4000, 3000, 1600, 1600), (1600, 1200));
        assert_eq!(fit_within(3000, 4000, 1600, 1600), (1200, 1600));
        assert_eq!(fit_within(1000, 100, 600, 240), (600, 60));
        assert_eq!(fit_within(100, 50, 600, 240), (100, 50));
        assert_eq!(fit_within(10_000, 1, 128, 128), (128, 1));
    }

    #[test]
    fn downscale_reaches_the_exact_target_size() {
        let image = ::image::RgbImage::from_pixel(1001, 751, ::image::Rgb([10, 20, 30]));
        for (width, height) in [(600, 450), (100, 75), (999, 750), (1, 1)] {
            let small = downscale(&image, width, height);
            assert_eq!(small.dimensions(), (width, height));
            assert_eq!(
                small.get_pixel(width / 2, height / 2),
                &::image::Rgb([10, 20, 30])
            );
        }
    }

    #[test]
    fn transparent_pixels_do_not_darken_their_neighbours() {
        // White opaque on the left, transparent black on the right: premultiplied resizing keeps the edge white.
        let image = ::image::RgbaImage::from_fn(64, 8, |x, _| {
            if x < 32 {
                ::image::Rgba([255, 255, 255, 255])
            } else {
                ::image::Rgba([0, 0, 0, 0])
            }
        });
        let small = downscale(&image, 16, 2);
        let edge = small.get_pixel(7, 0);
        assert!(edge[3] > 0 && edge[0] > 240, "{edge:?}");
    }

    #[test]
    fn heights_round_and_stay_visible() {
        assert_eq!(height_for_width(4000, 3000, 320), 240);
        assert_eq!(height_for_width(3, 2, 2), 1);
        assert_eq!(height_for_width(10_000, 1, 100), 1);
    }
}
