//! What is served instead of an upload carries no metadata and shows the same picture.

use hearth_media::image::{ImageKind, ImageLimits, probe, process_attachment};

use crate::fixtures::*;

#[test]
fn jpeg_exif_with_gps_is_removed_losslessly() {
    let original = jpeg(&gradient(64, 48), Some(exif(1, true)));
    assert!(
        has_gps_latitude(&original),
        "the fixture must carry GPS for this test to mean anything"
    );

    let processed = process_attachment(&original, &ImageLimits::default(), &[]).unwrap();

    assert!(!contains(&processed.cleaned, b"Exif\0\0"));
    assert!(!has_gps_latitude(&processed.cleaned));
    assert!(
        exif::Reader::new()
            .read_from_container(&mut std::io::Cursor::new(&processed.cleaned))
            .is_err()
    );
    assert!(processed.cleaned.len() < original.len());
    assert_eq!((processed.info.width, processed.info.height), (64, 48));
    // The entropy-coded data is copied untouched, so the pixels are identical, not merely similar.
    assert_eq!(
        decode(&processed.cleaned).to_rgb8(),
        decode(&original).to_rgb8()
    );
}

#[test]
fn jpeg_with_orientation_6_is_turned_upright() {
    // Stored 40 wide, 20 high: red on the left, blue on the right. Orientation 6 means "rotate 90° clockwise to
    // display", which puts the left (red) on top.
    let stored = image::RgbImage::from_fn(40, 20, |x, _| {
        if x < 20 {
            image::Rgb([255, 0, 0])
        } else {
            image::Rgb([0, 0, 255])
        }
    });
    let original = jpeg(&stored, Some(exif(6, true)));

    assert_eq!(probe(&original, &ImageLimits::default()).unwrap().width, 20);
    let processed = process_attachment(&original, &ImageLimits::default(), &[]).unwrap();

    assert_eq!((processed.info.width, processed.info.height), (20, 40));
    assert!(!has_gps_latitude(&processed.cleaned));
    assert!(!contains(&processed.cleaned, b"Exif\0\0"));
    let upright = decode(&processed.cleaned).to_rgb8();
    assert_eq!(upright.dimensions(), (20, 40));
    let top = upright.get_pixel(10, 5);
    let bottom = upright.get_pixel(10, 35);
    assert!(top[0] > 200 && top[2] < 60, "top should be red, is {top:?}");
    assert!(
        bottom[2] > 200 && bottom[0] < 60,
        "bottom should be blue, is {bottom:?}"
    );
}

#[test]
fn png_text_time_and_exif_chunks_are_removed_and_pixels_kept() {
    let picture = half_transparent(30, 20);
    let mut original = png(&picture, Some(exif(1, true)));
    original = with_png_chunk(&original, b"tEXt", b"Comment\0at home, 52N");
    original = with_png_chunk(
        &original,
        b"iTXt",
        b"XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta/>",
    );
    original = with_png_chunk(&original, b"tIME", &[7, 0xE9, 3, 14, 12, 0, 0]);
    assert!(contains(&original, b"eXIf"));
    assert!(has_gps_latitude(&original));

    let processed = process_attachment(&original, &ImageLimits::default(), &[]).unwrap();

    for chunk in [b"eXIf", b"tEXt", b"iTXt", b"tIME"] {
        assert!(
            !contains(&processed.cleaned, chunk),
            "{} survived",
            String::from_utf8_lossy(chunk)
        );
    }
    assert!(!contains(&processed.cleaned, b"at home"));
    assert!(!has_gps_latitude(&processed.cleaned));
    assert_eq!(decode(&processed.cleaned).to_rgba8(), picture);
}

#[test]
fn webp_exif_chunk_is_removed_with_its_flag_and_the_riff_size_fixed() {
    let picture = half_transparent(24, 16);
    let original = webp(&picture, Some(exif(1, true)));
    assert_eq!(&original[12..16], b"VP8X");
    assert_ne!(original[20] & 0x08, 0, "the fixture announces EXIF");

    let processed = process_attachment(&original, &ImageLimits::default(), &[]).unwrap();
    let cleaned = &processed.cleaned;

    assert!(!contains(cleaned, b"EXIF"));
    assert!(has_gps_latitude(&original) && !has_gps_latitude(cleaned));
    assert_eq!(cleaned[20] & (0x08 | 0x04), 0, "EXIF and XMP flags cleared");
    assert_eq!(
        u32::from_le_bytes(cleaned[4..8].try_into().unwrap()) as usize,
        cleaned.len() - 8
    );
    assert_eq!(decode(cleaned).to_rgba8(), picture);
}

#[test]
fn animated_gif_stays_animated_after_cleaning() {
    let mut original = animated_gif(16, 12, 3);
    // A comment extension just before the trailer.
    let comment = [&[0x21, 0xFE, 9][..], b"secret!!!", &[0]].concat();
    let trailer = original.len() - 1;
    original.splice(trailer..trailer, comment);
    assert!(contains(&original, b"secret"));
    assert_eq!(gif_frame_count(&original), 3);

    let processed = process_attachment(&original, &ImageLimits::default(), &[8]).unwrap();

    assert!(processed.info.animated);
    assert_eq!(processed.info.frames, 3);
    assert!(!contains(&processed.cleaned, b"secret"));
    assert!(
        contains(&processed.cleaned, b"NETSCAPE2.0"),
        "looping is kept"
    );
    assert_eq!(gif_frame_count(&processed.cleaned), 3);
    assert_eq!(
        processed.thumbnails.len(),
        1,
        "a still thumbnail of the first frame"
    );
}

#[test]
fn animated_webp_stays_animated_after_cleaning() {
    let original = animated_webp(20, 10, 3);
    let processed = process_attachment(&original, &ImageLimits::default(), &[10]).unwrap();

    assert_eq!(processed.info.kind, ImageKind::WebP);
    assert!(processed.info.animated);
    assert_eq!(processed.info.frames, 3);
    assert_eq!(
        processed.cleaned, original,
        "nothing to remove: the file is kept byte for byte"
    );
    assert_eq!(processed.thumbnails[0].width, 10);
}

#[test]
fn png_and_webp_with_a_rotating_orientation_are_re_encoded_upright_in_their_own_kind() {
    let stored = half_transparent(30, 20); // transparent left half
    // Orientation 8: rotate 270° clockwise to display, which puts the stored left (transparent) at the bottom.
    for (original, kind) in [
        (png(&stored, Some(exif(8, true))), ImageKind::Png),
        (webp(&stored, Some(exif(8, true))), ImageKind::WebP),
    ] {
        assert!(has_gps_latitude(&original), "{kind:?} fixture carries GPS");
        let processed = process_attachment(&original, &ImageLimits::default(), &[]).unwrap();

        assert_eq!(
            (
                processed.info.kind,
                processed.info.width,
                processed.info.height
            ),
            (kind, 20, 30)
        );
        assert!(!has_gps_latitude(&processed.cleaned));
        assert!(!contains(&processed.cleaned, b"eXIf") && !contains(&processed.cleaned, b"EXIF"));
        let upright = decode(&processed.cleaned).to_rgba8();
        assert_eq!(
            image::guess_format(&processed.cleaned).unwrap(),
            image::ImageFormat::from_mime_type(kind.mime()).unwrap()
        );
        let expected = image::imageops::rotate270(&stored);
        assert_eq!(upright, expected, "{kind:?} is rotated losslessly");
        assert_eq!(upright.get_pixel(10, 28)[3], 0);
    }
}
