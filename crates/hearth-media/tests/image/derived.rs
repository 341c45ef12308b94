//! Thumbnails, icons, banners, emoji and blurhashes have the sizes, kinds and content promised.

use hearth_media::image::{
    Animation, EMOJI_MAX_SIDE, ImageError, ImageKind, ImageLimits, banner, emoji,
    process_attachment, square_icon,
};
use image::{GenericImageView, Rgb, RgbImage};

use crate::fixtures::*;

#[test]
fn thumbnails_keep_the_aspect_ratio_and_are_never_wider_than_the_image() {
    let photo = jpeg(&gradient(400, 300), None);
    let processed = process_attachment(
        &photo,
        &ImageLimits::default(),
        &[160, 320, 400, 800, 0, 160],
    )
    .unwrap();

    let sizes: Vec<_> = processed
        .thumbnails
        .iter()
        .map(|t| (t.width, t.height))
        .collect();
    assert_eq!(sizes, [(320, 240), (160, 120)]);
    for thumbnail in &processed.thumbnails {
        assert_eq!(
            thumbnail.kind,
            ImageKind::Jpeg,
            "an opaque image gets JPEG thumbnails"
        );
        let decoded = decode(&thumbnail.bytes);
        assert_eq!(decoded.dimensions(), (thumbnail.width, thumbnail.height));
        assert_eq!(
            image::guess_format(&thumbnail.bytes).unwrap(),
            image::ImageFormat::Jpeg
        );
    }
}

#[test]
fn transparent_images_get_png_thumbnails_that_keep_the_transparency() {
    let picture = png(&half_transparent(200, 100), None);
    let processed = process_attachment(&picture, &ImageLimits::default(), &[50]).unwrap();

    let thumbnail = &processed.thumbnails[0];
    assert_eq!(
        (thumbnail.kind, thumbnail.width, thumbnail.height),
        (ImageKind::Png, 50, 25)
    );
    let decoded = decode(&thumbnail.bytes).to_rgba8();
    assert_eq!(
        decoded.get_pixel(2, 12)[3],
        0,
        "the left half stays transparent"
    );
    assert_eq!(decoded.get_pixel(47, 12)[3], 255);
}

#[test]
fn an_alpha_channel_that_is_fully_opaque_gives_jpeg_thumbnails() {
    let picture = opaque_png(&gradient(200, 100));
    let processed = process_attachment(&picture, &ImageLimits::default(), &[50]).unwrap();
    assert_eq!(processed.thumbnails[0].kind, ImageKind::Jpeg);
}

#[test]
fn thumbnails_of_a_rotated_photo_are_upright() {
    let photo = jpeg(&gradient(300, 100), Some(exif(6, false)));
    let processed = process_attachment(&photo, &ImageLimits::default(), &[50]).unwrap();
    assert_eq!(
        (
            processed.thumbnails[0].width,
            processed.thumbnails[0].height
        ),
        (50, 150)
    );
}

#[test]
fn the_blurhash_is_a_valid_4x3_hash_of_the_picture() {
    let red = RgbImage::from_pixel(120, 80, Rgb([220, 20, 20]));
    let processed = process_attachment(&jpeg(&red, None), &ImageLimits::default(), &[60]).unwrap();

    let hash = &processed.blurhash;
    assert_eq!(hash.len(), 4 + 2 * 4 * 3);
    const BASE83: &str =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";
    assert!(hash.chars().all(|c| BASE83.contains(c)), "{hash}");
    let pixels = blurhash::decode(hash, 8, 8, 1.0).unwrap();
    let (r, g, b) = (pixels[0], pixels[1], pixels[2]);
    assert!(
        r > 180 && g < 70 && b < 70,
        "a red picture blurs to red, got {r},{g},{b}"
    );
}

#[test]
fn square_icons_are_the_centred_square_at_each_size() {
    // 300x100: blue sides, red centre square.
    let wide = RgbImage::from_fn(300, 100, |x, _| {
        if (100..200).contains(&x) {
            Rgb([255, 0, 0])
        } else {
            Rgb([0, 0, 255])
        }
    });
    let icon = square_icon(
        &jpeg(&wide, None),
        &ImageLimits::default(),
        &[64, 128, 256, 0],
        Animation::Keep,
    )
    .unwrap();

    assert_eq!(icon.source_side, 100);
    assert!(icon.animated.is_none());
    let sides: Vec<_> = icon.sizes.iter().map(|s| (s.requested, s.side)).collect();
    assert_eq!(
        sides,
        [(64, 64), (128, 100), (256, 100)],
        "sizes above the source are produced at its side"
    );
    assert_eq!(icon.sizes[1].bytes, icon.sizes[2].bytes);
    for size in &icon.sizes {
        assert_eq!(
            image::guess_format(&size.bytes).unwrap(),
            image::ImageFormat::Png
        );
        let decoded = decode(&size.bytes).to_rgb8();
        assert_eq!(decoded.dimensions(), (size.side, size.side));
        for (x, y) in [(0, 0), (size.side - 1, size.side / 2)] {
            let pixel = decoded.get_pixel(x, y);
            assert!(
                pixel[0] > 200 && pixel[2] < 60,
                "the blue sides were cropped away, got {pixel:?} at {x},{y}"
            );
        }
    }
}

#[test]
fn an_animated_icon_keeps_its_animation_only_when_asked() {
    let gif = animated_gif(40, 30, 3);
    let kept = square_icon(&gif, &ImageLimits::default(), &[16], Animation::Keep).unwrap();
    let animation = kept.animated.unwrap();
    assert_eq!(
        (animation.kind, animation.width, animation.height),
        (ImageKind::Gif, 40, 30)
    );
    assert_eq!(gif_frame_count(&animation.bytes), 3);
    assert_eq!(kept.sizes[0].side, 16);

    let frozen = square_icon(&gif, &ImageLimits::default(), &[16], Animation::Freeze).unwrap();
    assert!(frozen.animated.is_none());
}

#[test]
fn banners_fit_within_the_box_without_cropping_or_upscaling() {
    let wide = jpeg(&gradient(1200, 300), None);
    let fitted = banner(&wide, &ImageLimits::default(), 600, 240).unwrap();
    assert_eq!(
        (fitted.width, fitted.height, fitted.kind),
        (600, 150, ImageKind::Jpeg)
    );
    assert_eq!(decode(&fitted.bytes).dimensions(), (600, 150));

    let small = png(&half_transparent(100, 40), None);
    let kept = banner(&small, &ImageLimits::default(), 600, 240).unwrap();
    assert_eq!(
        (kept.width, kept.height, kept.kind),
        (100, 40, ImageKind::Png)
    );
}

#[test]
fn emoji_refuse_jpeg() {
    let photo = jpeg(&gradient(64, 64), None);
    assert!(matches!(
        emoji(&photo, &ImageLimits::default()),
        Err(ImageError::KindNotAllowed(ImageKind::Jpeg))
    ));
}

#[test]
fn a_large_still_emoji_is_fitted_within_128_pixels_as_png() {
    let large = png(&half_transparent(512, 512), Some(exif(1, true)));
    let fitted = emoji(&large, &ImageLimits::default()).unwrap();
    assert_eq!(
        (fitted.kind, fitted.width, fitted.height, fitted.animated),
        (ImageKind::Png, 128, 128, false)
    );
    assert_eq!(decode(&fitted.bytes).dimensions(), (128, 128));
    assert!(!contains(&fitted.bytes, b"eXIf"));

    let tall = webp(&half_transparent(100, 400), None);
    let fitted = emoji(&tall, &ImageLimits::default()).unwrap();
    assert_eq!((fitted.width, fitted.height), (32, EMOJI_MAX_SIDE));
}

#[test]
fn a_large_animated_gif_emoji_is_resized_and_stays_animated() {
    let gif = animated_gif(256, 200, 3);
    let resized = emoji(&gif, &ImageLimits::default()).unwrap();

    assert_eq!(
        (
            resized.kind,
            resized.width,
            resized.height,
            resized.animated
        ),
        (ImageKind::Gif, 128, 100, true)
    );
    assert_eq!(gif_frame_count(&resized.bytes), 3);
    assert!(contains(&resized.bytes, b"NETSCAPE2.0"), "it still loops");
    let first = decode(&resized.bytes);
    assert_eq!(first.dimensions(), (128, 100));
}

#[test]
fn a_small_animated_emoji_is_kept_as_uploaded_minus_metadata() {
    let gif = animated_gif(64, 64, 2);
    let kept = emoji(&gif, &ImageLimits::default()).unwrap();
    assert_eq!(
        (kept.kind, kept.width, kept.animated),
        (ImageKind::Gif, 64, true)
    );
    assert_eq!(gif_frame_count(&kept.bytes), 2);

    let webp = animated_webp(100, 100, 2);
    let kept = emoji(&webp, &ImageLimits::default()).unwrap();
    assert_eq!((kept.kind, kept.animated), (ImageKind::WebP, true));
}

#[test]
fn a_large_animated_webp_emoji_is_refused_since_it_cannot_be_re_encoded() {
    let webp = animated_webp(200, 100, 2);
    assert!(matches!(
        emoji(&webp, &ImageLimits::default()),
        Err(ImageError::AnimationNotResizable {
            kind: ImageKind::WebP,
            width: 200,
            height: 100,
            max_side: 128
        })
    ));
}
