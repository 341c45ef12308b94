//! WebP RIFF chunks (RFC 9649): finding the canvas and frames, and dropping EXIF/XMP and unknown chunks.

use super::{Container, TRUNCATED, read_u16_le, read_u24_le, read_u32_le};

const RIFF_HEADER_LEN: usize = 12;
const CHUNK_HEADER_LEN: usize = 8;

const VP8X_ANIMATION: u8 = 0x02;
const VP8X_XMP: u8 = 0x04;
const VP8X_EXIF: u8 = 0x08;

const VP8_START_CODE: [u8; 3] = [0x9D, 0x01, 0x2A];
const VP8L_SIGNATURE: u8 = 0x2F;
const FOURTEEN_BITS: u32 = 0x3FFF;

/// Chunks needed to render; EXIF, XMP and anything unknown are dropped.
const RENDERING_CHUNKS: [&[u8; 4]; 7] = [
    b"VP8X", b"ICCP", b"ANIM", b"ANMF", b"ALPH", b"VP8 ", b"VP8L",
];

struct Chunk<'a> {
    fourcc: [u8; 4],
    data: &'a [u8],
}

/// The chunks inside the RIFF container; bytes past the declared RIFF size are ignored.
fn chunks(bytes: &[u8]) -> Result<Vec<Chunk<'_>>, String> {
    if bytes.get(0..4) != Some(b"RIFF") || bytes.get(8..12) != Some(b"WEBP") {
        return Err("not a RIFF WebP container".into());
    }
    let riff_size =
        usize::try_from(read_u32_le(bytes, 4).ok_or(TRUNCATED)?).map_err(|_| TRUNCATED)?;
    let end = riff_size.checked_add(CHUNK_HEADER_LEN).ok_or(TRUNCATED)?;
    if end > bytes.len() {
        return Err(TRUNCATED.into());
    }
    let mut chunks = Vec::new();
    let mut pos = RIFF_HEADER_LEN;
    while pos < end {
        let header = bytes
            .get(pos..pos + CHUNK_HEADER_LEN)
            .filter(|_| pos + CHUNK_HEADER_LEN <= end);
        let header = header.ok_or(TRUNCATED)?;
        let fourcc: [u8; 4] = header[0..4].try_into().map_err(|_| TRUNCATED)?;
        let size =
            usize::try_from(read_u32_le(header, 4).ok_or(TRUNCATED)?).map_err(|_| TRUNCATED)?;
        let data_start = pos + CHUNK_HEADER_LEN;
        let data_end = data_start
            .checked_add(size)
            .filter(|&e| e <= end)
            .ok_or(TRUNCATED)?;
        chunks.push(Chunk {
            fourcc,
            data: &bytes[data_start..data_end],
        });
        // Odd-sized chunks are followed by one padding byte.
        pos = data_end + (size & 1);
    }
    if chunks.is_empty() {
        return Err("no chunks".into());
    }
    Ok(chunks)
}

pub(super) fn scan(bytes: &[u8]) -> Result<Container, String> {
    let chunks = chunks(bytes)?;
    let first = &chunks[0];
    let (width, height, frames) = match &first.fourcc {
        b"VP8X" => {
            let flags = *first.data.first().ok_or(TRUNCATED)?;
            let width = read_u24_le(first.data, 4).ok_or(TRUNCATED)? + 1;
            let height = read_u24_le(first.data, 7).ok_or(TRUNCATED)? + 1;
            let frames = if flags & VP8X_ANIMATION != 0 {
                let count = chunks.iter().filter(|c| &c.fourcc == b"ANMF").count();
                if count == 0 {
                    return Err("an animation without frames".into());
                }
                u64::try_from(count).unwrap_or(u64::MAX)
            } else {
                1
            };
            (width, height, frames)
        }
        b"VP8 " => {
            if first.data.get(3..6) != Some(&VP8_START_CODE) {
                return Err("bad VP8 start code".into());
            }
            let width = u32::from(read_u16_le(first.data, 6).ok_or(TRUNCATED)?) & FOURTEEN_BITS;
            let height = u32::from(read_u16_le(first.data, 8).ok_or(TRUNCATED)?) & FOURTEEN_BITS;
            (width, height, 1)
        }
        b"VP8L" => {
            if first.data.first() != Some(&VP8L_SIGNATURE) {
                return Err("bad VP8L signature".into());
            }
            let bits = read_u32_le(first.data, 1).ok_or(TRUNCATED)?;
            (
                (bits & FOURTEEN_BITS) + 1,
                ((bits >> 14) & FOURTEEN_BITS) + 1,
                1,
            )
        }
        _ => return Err("unknown first chunk".into()),
    };
    if width == 0 || height == 0 {
        return Err("zero-sized canvas".into());
    }
    Ok(Container {
        width,
        height,
        frames,
        largest_frame: (width, height),
    })
}

pub(super) fn strip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let chunks = chunks(bytes)?;
    let mut body = Vec::with_capacity(bytes.len());
    body.extend_from_slice(b"WEBP");
    for chunk in chunks
        .iter()
        .filter(|c| RENDERING_CHUNKS.contains(&&c.fourcc))
    {
        let size = u32::try_from(chunk.data.len()).map_err(|_| "chunk too long")?;
        body.extend_from_slice(&chunk.fourcc);
        body.extend_from_slice(&size.to_le_bytes());
        let data_start = body.len();
        body.extend_from_slice(chunk.data);
        if &chunk.fourcc == b"VP8X" && !chunk.data.is_empty() {
            // The flags must not announce the chunks that were just dropped.
            body[data_start] &= !(VP8X_EXIF | VP8X_XMP);
        }
        if chunk.data.len() % 2 == 1 {
            body.push(0);
        }
    }
    // The RIFF size counts the "WEBP" form type and every chunk after it.
    let riff_size = u32::try_from(body.len()).map_err(|_| "file too long")?;
    let mut out = Vec::with_capacity(body.len() + CHUNK_HEADER_LEN);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&riff_size.to_le_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(fourcc: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut out = fourcc.to_vec();
        out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_le_bytes());
        out.extend_from_slice(data);
        if data.len() % 2 == 1 {
            out.push(0);
        }
        out
    }

    fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = chunks.concat();
        let mut out = b"RIFF".to_vec();
        out.extend_from_slice(&u32::try_from(body.len() + 4).unwrap().to_le_bytes());
        out.extend_from_slice(b"WEBP");
        out.extend(body);
        out
    }

    fn vp8x(flags: u8, width: u32, height: u32) -> Vec<u8> {
        let mut data = vec![flags, 0, 0, 0];
        data.extend_from_slice(&(width - 1).to_le_bytes()[..3]);
        data.extend_from_slice(&(height - 1).to_le_bytes()[..3]);
        chunk(b"VP8X", &data)
    }

    #[test]
    fn strip_drops_exif_xmp_and_unknown_chunks_clears_flags_and_fixes_the_size() {
        let image = chunk(b"VP8L", &[VP8L_SIGNATURE, 1, 2, 3, 4, 5]);
        let icc = chunk(b"ICCP", b"odd");
        let input = riff(&[
            vp8x(0x20 | VP8X_EXIF | VP8X_XMP | 0x10, 300, 200),
            icc.clone(),
            image.clone(),
            chunk(b"EXIF", b"MM\0*gps"),
            chunk(b"XMP ", b"<x:xmpmeta/>"),
            chunk(b"ZZZZ", b"private"),
        ]);
        let mut with_trailer = input.clone();
        with_trailer.extend_from_slice(b"trailing");
        let expected = riff(&[vp8x(0x20 | 0x10, 300, 200), icc, image]);
        assert_eq!(strip(&with_trailer).unwrap(), expected);
    }

    #[test]
    fn scan_reads_canvas_and_counts_frames() {
        let animated = riff(&[
            vp8x(VP8X_ANIMATION, 40, 30),
            chunk(b"ANIM", &[0; 6]),
            chunk(b"ANMF", &[0; 16]),
            chunk(b"ANMF", &[0; 16]),
        ]);
        let found = scan(&animated).unwrap();
        assert_eq!((found.width, found.height, found.frames), (40, 30, 2));

        let lossless_bits: u32 = (17 - 1) | ((9 - 1) << 14);
        let mut vp8l = vec![VP8L_SIGNATURE];
        vp8l.extend_from_slice(&lossless_bits.to_le_bytes());
        let found = scan(&riff(&[chunk(b"VP8L", &vp8l)])).unwrap();
        assert_eq!((found.width, found.height, found.frames), (17, 9, 1));
    }

    #[test]
    fn a_riff_size_beyond_the_file_or_a_chunk_past_it_is_refused() {
        let whole = riff(&[chunk(b"VP8L", &[VP8L_SIGNATURE, 0, 0, 0, 0])]);
        assert!(scan(&whole[..whole.len() - 2]).is_err());
        let mut lying = whole.clone();
        lying[16] = 200; // the chunk claims more than the RIFF holds
        assert!(scan(&lying).is_err());
        assert!(scan(&riff(&[vp8x(VP8X_ANIMATION, 4, 4)])).is_err());
    }
}
