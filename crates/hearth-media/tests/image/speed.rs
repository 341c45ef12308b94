//! How long a phone photo takes. Ignored by default; run in release:
//! `cargo test --release -p hearth-media --test image -- --ignored --nocapture`.

use std::time::{Duration, Instant};

use hearth_media::image::{ImageLimits, process_attachment};

use crate::fixtures::*;

#[test]
#[ignore = "timing; run in release"]
fn thumbnail_time_for_a_4000x3000_jpeg() {
    // The gradient plus noise, so the entropy decoder has photo-like work to do.
    let mut seed = 0x2545_F491_u32;
    let mut picture = gradient(4000, 3000);
    for pixel in picture.pixels_mut() {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        for channel in pixel.0.iter_mut() {
            *channel = channel.saturating_add((seed % 24) as u8);
        }
    }
    let photo = jpeg(&picture, Some(exif(1, true)));
    let widths = [1600, 800, 400];

    // The fastest of a few runs: other processes on the machine only ever add time.
    let fastest = |widths: &[u32]| {
        (0..5)
            .map(|_| {
                let started = Instant::now();
                let processed =
                    process_attachment(&photo, &ImageLimits::default(), widths).unwrap();
                assert_eq!(processed.thumbnails.len(), widths.len());
                started.elapsed()
            })
            .min()
            .unwrap_or(Duration::ZERO)
    };
    let decode_only = fastest(&[]);
    let with_thumbnails = fastest(&widths);
    println!(
        "thumbnail time per image ({} MB JPEG): {with_thumbnails:?} with widths {widths:?}, {decode_only:?} without",
        photo.len() / 1_000_000
    );
}
