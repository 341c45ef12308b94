//! Hostile or broken uploads are refused with a precise error, quickly, and never panic.

use std::time::{Duration, Instant};

use hearth_media::image::{
    Animation, ImageError, ImageLimits, emoji, probe, process_attachment, square_icon,
};

use crate::fixtures::*;

#[test]
fn a_png_bomb_is_refused_from_its_header_before_any_allocation() {
    let bomb = png_bomb(100_000, 100_000);
    assert!(bomb.len() < 100);
    let started = Instant::now();

    let probed = probe(&bomb, &ImageLimits::default());
    let processed = process_attachment(&bomb, &ImageLimits::default(), &[320]);

    // Decoding would need 40 GB; being refused in milliseconds shows nothing of that size was attempted.
    assert!(started.elapsed() < Duration::from_secs(1));
    for result in [probed.map(|_| ()), processed.map(|_| ())] {
        match result {
            Err(ImageError::TooManyPixels {
                width: 100_000,
                height: 100_000,
                max: 40_000_000,
            }) => {}
            other => panic!("expected TooManyPixels, got {other:?}"),
        }
    }
}

#[test]
fn an_image_just_over_the_pixel_limit_is_refused_and_one_at_it_accepted() {
    let picture = opaque_png(&gradient(100, 50));
    let at_limit = ImageLimits {
        max_pixels: 5000,
        ..ImageLimits::default()
    };
    let below = ImageLimits {
        max_pixels: 4999,
        ..ImageLimits::default()
    };
    assert!(process_attachment(&picture, &at_limit, &[]).is_ok());
    assert!(matches!(
        process_attachment(&picture, &below, &[]),
        Err(ImageError::TooManyPixels { .. })
    ));
}

#[test]
fn a_gif_frame_larger_than_the_pixel_limit_is_refused_even_on_a_small_canvas() {
    // One 5000x5000 frame on a 4x4 canvas: the canvas check alone would let it through.
    let mut gif = b"GIF89a\x04\x00\x04\x00\x00\x00\x00".to_vec();
    gif.extend_from_slice(&[0x2C, 0, 0, 0, 0]);
    gif.extend_from_slice(&5000u16.to_le_bytes());
    gif.extend_from_slice(&5000u16.to_le_bytes());
    gif.extend_from_slice(&[0, 2, 2, 0x4C, 0x01, 0, 0x3B]);
    let limits = ImageLimits {
        max_pixels: 1_000_000,
        ..ImageLimits::default()
    };
    assert!(matches!(
        probe(&gif, &limits),
        Err(ImageError::TooManyPixels {
            width: 5000,
            height: 5000,
            max: 1_000_000
        })
    ));
}

#[test]
fn too_many_frames_are_refused() {
    let gif = animated_gif(8, 8, 3);
    let limits = ImageLimits {
        max_frames: 2,
        ..ImageLimits::default()
    };
    assert!(matches!(
        probe(&gif, &limits),
        Err(ImageError::TooManyFrames { frames: 3, max: 2 })
    ));
    let webp = animated_webp(8, 8, 3);
    assert!(matches!(
        probe(&webp, &limits),
        Err(ImageError::TooManyFrames { frames: 3, max: 2 })
    ));
    assert!(
        probe(
            &gif,
            &ImageLimits {
                max_frames: 3,
                ..ImageLimits::default()
            }
        )
        .is_ok()
    );
}

#[test]
fn an_animation_too_costly_to_re_encode_is_refused() {
    let gif = animated_gif(200, 200, 3); // 120,000 pixels over all frames
    let limits = ImageLimits {
        max_animation_pixels: 100_000,
        ..ImageLimits::default()
    };
    assert!(matches!(
        emoji(&gif, &limits),
        Err(ImageError::AnimationTooLarge {
            pixels: 120_000,
            max: 100_000
        })
    ));
}

#[test]
fn decoding_beyond_the_memory_limit_is_refused() {
    let picture = opaque_png(&gradient(100, 100)); // 40,000 bytes once decoded as RGBA
    let limits = ImageLimits {
        max_alloc_bytes: 10_000,
        ..ImageLimits::default()
    };
    assert!(matches!(
        process_attachment(&picture, &limits, &[]),
        Err(ImageError::TooMuchMemory { max: 10_000 })
    ));
    assert!(matches!(
        square_icon(&picture, &limits, &[64], Animation::Freeze),
        Err(ImageError::TooMuchMemory { .. })
    ));
}

/// Decision: a JPEG cut short is refused as `Corrupt`. zune-jpeg would decode it leniently and fill the missing
/// part with grey; serving half a picture is worse than telling the uploader the file is broken.
#[test]
fn a_truncated_jpeg_is_corrupt() {
    let whole = jpeg(&gradient(200, 150), None);
    for cut in [whole.len() / 2, whole.len() - 2, 40] {
        let result = process_attachment(&whole[..cut], &ImageLimits::default(), &[100]);
        assert!(
            matches!(result, Err(ImageError::Corrupt(_))),
            "cut at {cut}: {result:?}"
        );
    }
}

#[test]
fn files_cut_or_damaged_anywhere_never_panic() {
    let files = [
        jpeg(&gradient(40, 30), Some(exif(6, true))),
        png(&half_transparent(40, 30), None),
        webp(&half_transparent(40, 30), Some(exif(1, false))),
        animated_gif(20, 20, 3),
        animated_webp(20, 20, 2),
    ];
    for file in &files {
        for cut in (0..file.len()).step_by(7) {
            let _ = process_attachment(&file[..cut], &ImageLimits::default(), &[10]);
        }
        for at in (0..file.len()).step_by(5) {
            let mut damaged = file.clone();
            damaged[at] ^= 0x5A;
            let _ = process_attachment(&damaged, &ImageLimits::default(), &[10]);
            let _ = emoji(&damaged, &ImageLimits::default());
        }
    }
}

#[test]
fn png_magic_followed_by_garbage_is_corrupt() {
    let mut polyglot = b"\x89PNG\r\n\x1a\n".to_vec();
    polyglot.extend_from_slice(&[0x42; 200]);
    assert!(matches!(
        probe(&polyglot, &ImageLimits::default()),
        Err(ImageError::Corrupt(_))
    ));
    assert!(matches!(
        process_attachment(&polyglot, &ImageLimits::default(), &[]),
        Err(ImageError::Corrupt(_))
    ));
}

#[test]
fn a_png_with_a_valid_structure_but_broken_pixel_data_is_corrupt() {
    let mut broken = opaque_png(&gradient(40, 30));
    let idat = broken.windows(4).position(|w| w == b"IDAT").unwrap();
    broken[idat + 10] ^= 0xFF; // inside the compressed data: the CRC no longer matches
    assert!(matches!(
        process_attachment(&broken, &ImageLimits::default(), &[]),
        Err(ImageError::Corrupt(_))
    ));
}

#[test]
fn archives_and_text_are_not_images() {
    let zip = b"PK\x03\x04\x14\0\0\0\x08\0rest of a zip file";
    let text = b"hello, this is a text file pretending to be a picture";
    for file in [&zip[..], &text[..], &[]] {
        assert!(matches!(
            probe(file, &ImageLimits::default()),
            Err(ImageError::NotAnImage)
        ));
        assert!(matches!(
            process_attachment(file, &ImageLimits::default(), &[]),
            Err(ImageError::NotAnImage)
        ));
    }
}

#[test]
fn other_image_kinds_are_unsupported() {
    let bmp = b"BM\x3A\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0\x01\0\0\0\x01\0\0\0\x01\0\x18\0";
    assert!(matches!(
        probe(bmp, &ImageLimits::default()),
        Err(ImageError::Unsupported("image/bmp"))
    ));
}
