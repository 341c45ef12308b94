//! PNG chunks (PNG 3rd edition §5): finding the canvas and frames, and dropping every chunk not needed to render.

use super::{Container, TRUNCATED, read_u32_be};

const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";
const CHUNK_OVERHEAD: usize = 12;
const IHDR_LEN: usize = 13;

/// Ancillary chunks that change how the picture renders (colour, transparency, animation). Every other ancillary
/// chunk is dropped: tEXt/zTXt/iTXt, tIME, eXIf, and private ones such as C2PA manifests or Apple's iDOT.
const RENDERING_CHUNKS: [&[u8; 4]; 14] = [
    b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"cICP", b"mDCV", b"cLLI", b"sBIT", b"bKGD",
    b"pHYs", b"acTL", b"fcTL", b"fdAT",
];

struct Chunk<'a> {
    kind: [u8; 4],
    data: &'a [u8],
    /// Length, type, data and CRC, copied verbatim when kept.
    whole: &'a [u8],
}

impl Chunk<'_> {
    /// Critical chunks (uppercase first letter) are needed by every decoder; an unknown one makes the file
    /// undecodable anyway, so it is kept and the decoder refuses it.
    fn is_critical(&self) -> bool {
        self.kind[0] & 0x20 == 0
    }

    fn is_kept(&self) -> bool {
        self.is_critical() || RENDERING_CHUNKS.contains(&&self.kind)
    }
}

/// Every chunk from IHDR to IEND; bytes after IEND are ignored.
fn chunks(bytes: &[u8]) -> Result<Vec<Chunk<'_>>, String> {
    if !bytes.starts_with(SIGNATURE) {
        return Err("bad signature".into());
    }
    let mut chunks = Vec::new();
    let mut pos = SIGNATURE.len();
    loop {
        let length = read_u32_be(bytes, pos).ok_or(TRUNCATED)?;
        let length = usize::try_from(length).map_err(|_| "chunk too long")?;
        let end = pos
            .checked_add(CHUNK_OVERHEAD + length)
            .ok_or("chunk too long")?;
        let whole = bytes.get(pos..end).ok_or(TRUNCATED)?;
        let kind: [u8; 4] = whole[4..8].try_into().map_err(|_| TRUNCATED)?;
        let chunk = Chunk {
            kind,
            data: &whole[8..8 + length],
            whole,
        };
        if chunks.is_empty() && (&chunk.kind != b"IHDR" || chunk.data.len() != IHDR_LEN) {
            return Err("the first chunk is not a header".into());
        }
        let is_end = &chunk.kind == b"IEND";
        chunks.push(chunk);
        if is_end {
            return Ok(chunks);
        }
        pos = end;
    }
}

pub(super) fn scan(bytes: &[u8]) -> Result<Container, String> {
    let chunks = chunks(bytes)?;
    let header = chunks[0].data;
    let width = read_u32_be(header, 0).ok_or(TRUNCATED)?;
    let height = read_u32_be(header, 4).ok_or(TRUNCATED)?;
    if width == 0 || height == 0 {
        return Err("zero-sized canvas".into());
    }
    let is_animated = chunks.iter().any(|c| &c.kind == b"acTL");
    let frame_controls = chunks.iter().filter(|c| &c.kind == b"fcTL").count();
    let frames = if is_animated {
        frame_controls.max(1)
    } else {
        1
    };
    Ok(Container {
        width,
        height,
        frames: u64::try_from(frames).unwrap_or(u64::MAX),
        largest_frame: (width, height),
    })
}

pub(super) fn strip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(SIGNATURE);
    for chunk in chunks(bytes)?.iter().filter(|c| c.is_kept()) {
        out.extend_from_slice(chunk.whole);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        // The walk does not check CRCs (decoders do), so a zero CRC is enough here.
        let mut out = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&[0, 0, 0, 0]);
        out
    }

    fn png(chunks: &[Vec<u8>]) -> Vec<u8> {
        let mut out = SIGNATURE.to_vec();
        out.extend(chunk(b"IHDR", &[0, 0, 0, 7, 0, 0, 0, 2, 8, 6, 0, 0, 0]));
        for c in chunks {
            out.extend_from_slice(c);
        }
        out.extend(chunk(b"IEND", &[]));
        out
    }

    #[test]
    fn strip_keeps_rendering_chunks_and_drops_text_time_exif_and_private_ones() {
        let kept = [
            chunk(b"iCCP", b"icc"),
            chunk(b"gAMA", &[0, 0, 0xB1, 0x8F]),
            chunk(b"acTL", &[0; 8]),
        ];
        let frame = [
            chunk(b"fcTL", &[0; 26]),
            chunk(b"IDAT", b"pixels"),
            chunk(b"fdAT", b"more"),
        ];
        let dropped = [
            chunk(b"tEXt", b"Author\0me"),
            chunk(b"zTXt", b"Comment\0\0x"),
            chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0<x/>"),
            chunk(b"tIME", &[7, 0xE8, 1, 1, 0, 0, 0]),
            chunk(b"eXIf", b"MM\0*"),
            chunk(b"caBX", b"c2pa"),
        ];
        let mut input: Vec<Vec<u8>> = kept.to_vec();
        input.extend(dropped);
        input.extend(frame.clone());
        let mut with_trailer = png(&input);
        with_trailer.extend_from_slice(b"appended");

        let mut expected: Vec<Vec<u8>> = kept.to_vec();
        expected.extend(frame);
        assert_eq!(strip(&with_trailer).unwrap(), png(&expected));
    }

    #[test]
    fn scan_counts_animation_frames() {
        let still = scan(&png(&[chunk(b"IDAT", b"x")])).unwrap();
        assert_eq!((still.width, still.height, still.frames), (7, 2, 1));
        let fctl = chunk(b"fcTL", &[0; 26]);
        let animated = png(&[
            chunk(b"acTL", &[0; 8]),
            fctl.clone(),
            chunk(b"IDAT", b"x"),
            fctl.clone(),
            fctl,
        ]);
        assert_eq!(scan(&animated).unwrap().frames, 3);
    }

    #[test]
    fn truncated_or_headless_files_are_refused() {
        let whole = png(&[chunk(b"IDAT", b"x")]);
        assert!(scan(&whole[..whole.len() - 3]).is_err());
        assert!(scan(&whole[..20]).is_err());
        let mut headless = SIGNATURE.to_vec();
        headless.extend(chunk(b"IDAT", b"x"));
        assert!(scan(&headless).is_err());
    }
}
