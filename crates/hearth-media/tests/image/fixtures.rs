//! Images built in code: every fixture says what it contains, and no binary file hides what is tested.

use std::io::Cursor;

use image::codecs::gif::{GifDecoder, GifEncoder, Repeat};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{
    AnimationDecoder, Delay, DynamicImage, ExtendedColorType, Frame, ImageEncoder, Rgb, RgbImage,
    Rgba, RgbaImage,
};

/// A smooth colour gradient: every pixel differs, so crops, flips and resizes show.
pub fn gradient(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        Rgb([
            (x * 255 / width.max(2)) as u8,
            (y * 255 / height.max(2)) as u8,
            ((x + y) % 256) as u8,
        ])
    })
}

/// The gradient with a transparent left half.
pub fn half_transparent(width: u32, height: u32) -> RgbaImage {
    let rgb = gradient(width, height);
    RgbaImage::from_fn(width, height, |x, y| {
        let Rgb([r, g, b]) = *rgb.get_pixel(x, y);
        Rgba([r, g, b, if x < width / 2 { 0 } else { 255 }])
    })
}

pub fn jpeg(image: &RgbImage, exif: Option<Vec<u8>>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut out, 90);
    if let Some(exif) = exif {
        encoder.set_exif_metadata(exif).unwrap();
    }
    encoder
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

pub fn png(image: &RgbaImage, exif: Option<Vec<u8>>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = PngEncoder::new(&mut out);
    if let Some(exif) = exif {
        encoder.set_exif_metadata(exif).unwrap();
    }
    encoder
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            ExtendedColorType::Rgba8,
        )
        .unwrap();
    out
}

pub fn opaque_png(image: &RgbImage) -> Vec<u8> {
    png(&DynamicImage::ImageRgb8(image.clone()).into_rgba8(), None)
}

/// `png` with an extra chunk (correct CRC) inserted before IEND.
pub fn with_png_chunk(png: &[u8], kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let iend = png.len() - 12;
    let mut out = png[..iend].to_vec();
    out.extend_from_slice(&png_chunk(kind, data));
    out.extend_from_slice(&png[iend..]);
    out
}

pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[4..]);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

/// Lossless WebP; with EXIF it is the extended format (VP8X, VP8L, EXIF).
pub fn webp(image: &RgbaImage, exif: Option<Vec<u8>>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = WebPEncoder::new_lossless(&mut out);
    if let Some(exif) = exif {
        encoder.set_exif_metadata(exif).unwrap();
    }
    encoder
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            ExtendedColorType::Rgba8,
        )
        .unwrap();
    out
}

/// `frames` frames of distinct solid colours (one of them partly transparent), looping forever, 100 ms each.
pub fn animated_gif(width: u32, height: u32, frames: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = GifEncoder::new_with_speed(&mut out, 10);
        encoder.set_repeat(Repeat::Infinite).unwrap();
        for i in 0..frames {
            let colour = Rgba([(i * 80 % 256) as u8, 40, 200 - (i * 50 % 200) as u8, 255]);
            let buffer = RgbaImage::from_fn(width, height, |x, _| {
                if i == 1 && x < 3 {
                    Rgba([0; 4])
                } else {
                    colour
                }
            });
            encoder
                .encode_frame(Frame::from_parts(
                    buffer,
                    0,
                    0,
                    Delay::from_numer_denom_ms(100, 1),
                ))
                .unwrap();
        }
    }
    out
}

/// An animated WebP assembled by hand (image only encodes still WebP): VP8X, ANIM, then one ANMF per frame
/// holding a lossless frame.
pub fn animated_webp(width: u32, height: u32, frames: u32) -> Vec<u8> {
    let mut vp8x = vec![0x02 | 0x10, 0, 0, 0];
    vp8x.extend_from_slice(&(width - 1).to_le_bytes()[..3]);
    vp8x.extend_from_slice(&(height - 1).to_le_bytes()[..3]);
    let mut chunks = riff_chunk(b"VP8X", &vp8x);
    chunks.extend(riff_chunk(b"ANIM", &[0, 0, 0, 0, 0, 0]));
    for i in 0..frames {
        let still = webp(
            &RgbaImage::from_pixel(width, height, Rgba([(i * 90 % 256) as u8, 100, 50, 255])),
            None,
        );
        let mut anmf = vec![0; 6];
        anmf.extend_from_slice(&(width - 1).to_le_bytes()[..3]);
        anmf.extend_from_slice(&(height - 1).to_le_bytes()[..3]);
        anmf.extend_from_slice(&100u32.to_le_bytes()[..3]);
        anmf.push(0);
        anmf.extend_from_slice(&still[12..]); // the still file's VP8L chunk
        chunks.extend(riff_chunk(b"ANMF", &anmf));
    }
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&u32::try_from(chunks.len() + 4).unwrap().to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend(chunks);
    out
}

fn riff_chunk(fourcc: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = fourcc.to_vec();
    out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_le_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
    out
}

/// A big-endian TIFF block as stored in EXIF: IFD0 with the orientation and, optionally, a GPS IFD placing
/// the picture at 52°31'N.
pub fn exif(orientation: u16, with_gps: bool) -> Vec<u8> {
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    const ASCII: u16 = 2;
    const RATIONAL: u16 = 5;
    let entry = |tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        let mut e = tag.to_be_bytes().to_vec();
        e.extend_from_slice(&kind.to_be_bytes());
        e.extend_from_slice(&count.to_be_bytes());
        e.extend_from_slice(&value);
        e
    };
    let entries: u16 = if with_gps { 2 } else { 1 };
    let gps_ifd_at = 8 + 2 + 12 * u32::from(entries) + 4;
    let mut out = b"MM\0\x2A".to_vec();
    out.extend_from_slice(&8u32.to_be_bytes());
    out.extend_from_slice(&entries.to_be_bytes());
    let [hi, lo] = orientation.to_be_bytes();
    out.extend(entry(0x0112, SHORT, 1, [hi, lo, 0, 0]));
    if with_gps {
        out.extend(entry(0x8825, LONG, 1, gps_ifd_at.to_be_bytes()));
    }
    out.extend_from_slice(&0u32.to_be_bytes());
    if with_gps {
        let latitude_at = gps_ifd_at + 2 + 2 * 12 + 4;
        out.extend_from_slice(&2u16.to_be_bytes());
        out.extend(entry(0x0001, ASCII, 2, *b"N\0\0\0"));
        out.extend(entry(0x0002, RATIONAL, 3, latitude_at.to_be_bytes()));
        out.extend_from_slice(&0u32.to_be_bytes());
        for (numerator, denominator) in [(52u32, 1u32), (31, 1), (0, 1)] {
            out.extend_from_slice(&numerator.to_be_bytes());
            out.extend_from_slice(&denominator.to_be_bytes());
        }
    }
    out
}

/// A valid PNG header claiming `width` x `height` RGBA pixels, followed by a few bytes of image data: decoding it
/// for real would need width × height × 4 bytes.
pub fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(png_chunk(b"IHDR", &ihdr));
    // zlib stream of a run of zero bytes: in a real bomb this is where megabytes inflate to gigabytes.
    out.extend(png_chunk(
        b"IDAT",
        &[0x78, 0x9C, 0x63, 0x60, 0x18, 0x05, 0x00, 0x00],
    ));
    out.extend(png_chunk(b"IEND", &[]));
    out
}

pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = u32::MAX;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

pub fn decode(bytes: &[u8]) -> DynamicImage {
    image::load_from_memory(bytes).unwrap()
}

pub fn gif_frame_count(bytes: &[u8]) -> usize {
    GifDecoder::new(Cursor::new(bytes))
        .unwrap()
        .into_frames()
        .map(Result::unwrap)
        .count()
}

/// Whether kamadak-exif finds a GPS latitude in the file (JPEG, PNG or WebP container).
pub fn has_gps_latitude(bytes: &[u8]) -> bool {
    exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .is_ok_and(|found| {
            found
                .get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY)
                .is_some()
        })
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}
