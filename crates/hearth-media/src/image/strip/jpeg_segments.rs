//! JPEG segments (ITU T.81 annex B): finding the frame size and dropping APPn/COM metadata losslessly.

use std::borrow::Cow;

use super::{Container, TRUNCATED, read_u16_be};

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const COM: u8 = 0xFE;
const TEM: u8 = 0x01;
const RST0: u8 = 0xD0;
const RST7: u8 = 0xD7;
const APP0: u8 = 0xE0;
const APP2: u8 = 0xE2;
const APP14: u8 = 0xEE;
const APP15: u8 = 0xEF;
/// Start-of-frame markers are C0–CF except DHT (C4), JPG (C8) and DAC (CC).
const NOT_SOF: [u8; 3] = [0xC4, 0xC8, 0xCC];

/// JFIF's APP0 payload up to and including its thumbnail size bytes (identifier, version, units, densities).
const JFIF_HEADER_LEN: usize = 14;
const JFIF_THUMBNAIL_SIZE_AT: usize = 12;

enum Piece<'a> {
    Standalone(u8),
    Segment { marker: u8, payload: &'a [u8] },
    EntropyCoded(&'a [u8]),
}

/// Visits every piece from SOI to EOI; what follows EOI is never visited. A file that ends before EOI is refused:
/// a truncated upload is reported rather than served half grey.
fn walk<'a>(
    bytes: &'a [u8],
    mut visit: impl FnMut(Piece<'a>) -> Result<(), String>,
) -> Result<(), String> {
    if !bytes.starts_with(&[0xFF, SOI]) {
        return Err("missing start-of-image marker".into());
    }
    let mut pos = 2;
    loop {
        if bytes.get(pos) != Some(&0xFF) {
            return Err(match bytes.get(pos) {
                None => TRUNCATED.into(),
                Some(_) => format!("expected a marker at byte {pos}"),
            });
        }
        // Any number of 0xFF fill bytes may precede a marker.
        while bytes.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let marker = *bytes.get(pos).ok_or(TRUNCATED)?;
        pos += 1;
        match marker {
            EOI => return Ok(()),
            TEM | RST0..=RST7 => visit(Piece::Standalone(marker))?,
            SOI | 0x00 => return Err(format!("unexpected marker 0x{marker:02X} at byte {pos}")),
            _ => {
                let length = usize::from(read_u16_be(bytes, pos).ok_or(TRUNCATED)?);
                if length < 2 {
                    return Err(format!("segment length {length} at byte {pos}"));
                }
                let end = pos + length;
                let payload = bytes.get(pos + 2..end).ok_or(TRUNCATED)?;
                visit(Piece::Segment { marker, payload })?;
                pos = end;
                if marker == SOS {
                    let scan_end = entropy_coded_end(bytes, pos)?;
                    visit(Piece::EntropyCoded(&bytes[pos..scan_end]))?;
                    pos = scan_end;
                }
            }
        }
    }
}

/// Where the entropy-coded data of a scan ends: at the first 0xFF that is neither byte stuffing (FF 00), a restart
/// marker (FF D0–D7) nor a fill byte.
fn entropy_coded_end(bytes: &[u8], mut pos: usize) -> Result<usize, String> {
    loop {
        let offset = bytes[pos..]
            .iter()
            .position(|&b| b == 0xFF)
            .ok_or(TRUNCATED)?;
        pos += offset;
        match bytes.get(pos + 1) {
            None => return Err(TRUNCATED.into()),
            Some(0x00 | RST0..=RST7) => pos += 2,
            Some(0xFF) => pos += 1,
            Some(_) => return Ok(pos),
        }
    }
}

fn is_start_of_frame(marker: u8) -> bool {
    (0xC0..=0xCF).contains(&marker) && !NOT_SOF.contains(&marker)
}

pub(super) fn scan(bytes: &[u8]) -> Result<Container, String> {
    let mut size = None;
    walk(bytes, |piece| {
        match piece {
            Piece::Segment { marker, payload } if is_start_of_frame(marker) && size.is_none() => {
                let height = read_u16_be(payload, 1).ok_or("short frame header")?;
                let width = read_u16_be(payload, 3).ok_or("short frame header")?;
                if width == 0 || height == 0 {
                    // A zero height defers it to a DNL marker, which browsers do not support either.
                    return Err("the frame header has no size".into());
                }
                size = Some((u32::from(width), u32::from(height)));
            }
            Piece::Segment { marker: SOS, .. } if size.is_none() => {
                return Err("a scan starts before the frame header".into());
            }
            _ => {}
        }
        Ok(())
    })?;
    let (width, height) = size.ok_or("no frame header")?;
    Ok(Container {
        width,
        height,
        frames: 1,
        largest_frame: (width, height),
    })
}

pub(super) fn strip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, SOI]);
    walk(bytes, |piece| {
        match piece {
            Piece::Standalone(marker) => out.extend_from_slice(&[0xFF, marker]),
            Piece::Segment { marker, payload } => {
                if let Some(kept) = kept_payload(marker, payload) {
                    let length = u16::try_from(kept.len() + 2).map_err(|_| "segment too long")?;
                    out.extend_from_slice(&[0xFF, marker]);
                    out.extend_from_slice(&length.to_be_bytes());
                    out.extend_from_slice(&kept);
                }
            }
            Piece::EntropyCoded(data) => out.extend_from_slice(data),
        }
        Ok(())
    })?;
    out.extend_from_slice(&[0xFF, EOI]);
    Ok(out)
}

/// The payload to keep for a segment, or `None` to drop it. Kept application segments are those that change how
/// the picture renders: JFIF (without its embedded thumbnail, which may show what a crop removed), the ICC
/// profile, and Adobe's APP14 (its transform flag decides whether 3 components are YCbCr or RGB). Everything else
/// in APP0–APP15 (EXIF, XMP, IPTC, MPF, maker notes…) and every comment is dropped.
fn kept_payload(marker: u8, payload: &[u8]) -> Option<Cow<'_, [u8]>> {
    match marker {
        APP0 if payload.starts_with(b"JFIF\0") && payload.len() >= JFIF_HEADER_LEN => {
            let mut header = payload[..JFIF_HEADER_LEN].to_vec();
            header[JFIF_THUMBNAIL_SIZE_AT] = 0;
            header[JFIF_THUMBNAIL_SIZE_AT + 1] = 0;
            Some(Cow::Owned(header))
        }
        APP2 if payload.starts_with(b"ICC_PROFILE\0") => Some(Cow::Borrowed(payload)),
        APP14 if payload.starts_with(b"Adobe") => Some(Cow::Borrowed(payload)),
        APP0..=APP15 | COM => None,
        _ => Some(Cow::Borrowed(payload)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut out = vec![0xFF, marker];
        out.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
        out.extend_from_slice(payload);
        out
    }

    /// A structurally valid (not decodable) JPEG: enough for the walk.
    fn skeleton(extra_segments: &[Vec<u8>], trailer: &[u8]) -> Vec<u8> {
        let mut out = vec![0xFF, SOI];
        for s in extra_segments {
            out.extend_from_slice(s);
        }
        out.extend(segment(0xC0, &[8, 0, 3, 0, 5, 1, 1, 0x11, 0]));
        out.extend(segment(SOS, &[1, 1, 0, 0, 63, 0]));
        out.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xFF]);
        out.extend_from_slice(&[0xFF, EOI]);
        out.extend_from_slice(trailer);
        out
    }

    #[test]
    fn scan_reads_the_frame_size_past_stuffed_bytes_and_restarts() {
        let container = scan(&skeleton(&[], b"")).unwrap();
        assert_eq!(
            (container.width, container.height, container.frames),
            (5, 3, 1)
        );
    }

    #[test]
    fn strip_keeps_jfif_icc_and_adobe_and_drops_the_rest() {
        let mut jfif = b"JFIF\0\x01\x02\0\0\x01\0\x01\x01\x01".to_vec();
        jfif.extend_from_slice(&[0xAB, 0xCD, 0xEF]); // a 1x1 embedded thumbnail
        let icc = segment(APP2, b"ICC_PROFILE\0\x01\x01profile");
        let adobe = segment(APP14, b"Adobe\0\x64\0\0\0\0\x01");
        let input = skeleton(
            &[
                segment(APP0, &jfif),
                segment(0xE1, b"Exif\0\0MM\0*secret"),
                segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>"),
                segment(0xED, b"Photoshop 3.0\0iptc"),
                segment(APP2, b"MPF\0secondary"),
                icc.clone(),
                adobe.clone(),
                segment(COM, b"taken at home"),
            ],
            b"PK\x03\x04appended archive",
        );
        let cleaned = strip(&input).unwrap();

        let mut expected_jfif = jfif[..JFIF_HEADER_LEN].to_vec();
        expected_jfif[12] = 0;
        expected_jfif[13] = 0;
        assert_eq!(
            cleaned,
            skeleton(&[segment(APP0, &expected_jfif), icc, adobe], b"")
        );
    }

    #[test]
    fn a_file_cut_before_its_end_marker_is_refused() {
        let whole = skeleton(&[], b"");
        for cut in [3, 8, whole.len() - 4, whole.len() - 1] {
            assert!(scan(&whole[..cut]).is_err(), "cut at {cut}");
            assert!(strip(&whole[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn a_scan_without_frame_header_is_refused() {
        let mut bytes = vec![0xFF, SOI];
        bytes.extend(segment(SOS, &[1, 1, 0, 0, 63, 0]));
        bytes.extend_from_slice(&[0x12, 0xFF, EOI]);
        assert!(scan(&bytes).is_err());
    }
}
