//! GIF blocks (GIF89a spec): finding the canvas, counting frames, and dropping comments and foreign extensions.

use super::{Container, TRUNCATED, area, read_u16_le};

const HEADER_LEN: usize = 6;
const SCREEN_DESCRIPTOR_LEN: usize = 7;
const IMAGE_DESCRIPTOR_LEN: usize = 10;
const HAS_COLOR_TABLE: u8 = 0x80;

const EXTENSION: u8 = 0x21;
const IMAGE: u8 = 0x2C;
const TRAILER: u8 = 0x3B;
const GRAPHIC_CONTROL: u8 = 0xF9;
const APPLICATION: u8 = 0xFF;
const APPLICATION_ID_LEN: u8 = 11;

/// Application extensions that control looping; any other (XMP, ICC, vendor data) is dropped.
const LOOPING_APPLICATIONS: [&[u8; 11]; 2] = [b"NETSCAPE2.0", b"ANIMEXTS1.0"];

enum Block<'a> {
    /// Header, logical screen descriptor and global colour table.
    Screen {
        bytes: &'a [u8],
        width: u16,
        height: u16,
    },
    Extension {
        label: u8,
        bytes: &'a [u8],
    },
    Image {
        bytes: &'a [u8],
        width: u16,
        height: u16,
    },
}

fn color_table_len(packed: u8) -> usize {
    if packed & HAS_COLOR_TABLE == 0 {
        0
    } else {
        3 << ((packed & 0x07) + 1)
    }
}

/// Position just past a chain of data sub-blocks (each a length byte and data; a zero length ends the chain).
fn skip_sub_blocks(bytes: &[u8], mut pos: usize) -> Result<usize, String> {
    loop {
        let size = usize::from(*bytes.get(pos).ok_or(TRUNCATED)?);
        pos += 1 + size;
        if size == 0 {
            return Ok(pos);
        }
        if pos > bytes.len() {
            return Err(TRUNCATED.into());
        }
    }
}

/// Visits every block up to the trailer; bytes after it are ignored. A file that ends cleanly between blocks after
/// at least one frame lacks only its trailer, which many encoders forget and every browser tolerates.
fn walk<'a>(bytes: &'a [u8], mut visit: impl FnMut(Block<'a>)) -> Result<(), String> {
    if !(bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a")) {
        return Err("bad signature".into());
    }
    let width = read_u16_le(bytes, HEADER_LEN).ok_or(TRUNCATED)?;
    let height = read_u16_le(bytes, HEADER_LEN + 2).ok_or(TRUNCATED)?;
    let packed = *bytes.get(HEADER_LEN + 4).ok_or(TRUNCATED)?;
    let mut pos = HEADER_LEN + SCREEN_DESCRIPTOR_LEN + color_table_len(packed);
    visit(Block::Screen {
        bytes: bytes.get(..pos).ok_or(TRUNCATED)?,
        width,
        height,
    });

    let mut has_frame = false;
    loop {
        let Some(&introducer) = bytes.get(pos) else {
            return if has_frame {
                Ok(())
            } else {
                Err(TRUNCATED.into())
            };
        };
        match introducer {
            TRAILER => return Ok(()),
            EXTENSION => {
                let label = *bytes.get(pos + 1).ok_or(TRUNCATED)?;
                let end = skip_sub_blocks(bytes, pos + 2)?;
                visit(Block::Extension {
                    label,
                    bytes: &bytes[pos..end],
                });
                pos = end;
            }
            IMAGE => {
                let descriptor = bytes
                    .get(pos..pos + IMAGE_DESCRIPTOR_LEN)
                    .ok_or(TRUNCATED)?;
                let frame_width = read_u16_le(descriptor, 5).ok_or(TRUNCATED)?;
                let frame_height = read_u16_le(descriptor, 7).ok_or(TRUNCATED)?;
                // Skip the local colour table and the LZW minimum code size byte.
                let data = pos + IMAGE_DESCRIPTOR_LEN + color_table_len(descriptor[9]) + 1;
                let end = skip_sub_blocks(bytes, data)?;
                visit(Block::Image {
                    bytes: &bytes[pos..end],
                    width: frame_width,
                    height: frame_height,
                });
                has_frame = true;
                pos = end;
            }
            other => return Err(format!("unknown block 0x{other:02X} at byte {pos}")),
        }
    }
}

pub(super) fn scan(bytes: &[u8]) -> Result<Container, String> {
    let mut canvas = (0, 0);
    let mut frames = 0u64;
    let mut largest_frame = (0, 0);
    walk(bytes, |block| match block {
        Block::Screen { width, height, .. } => canvas = (u32::from(width), u32::from(height)),
        Block::Image { width, height, .. } => {
            frames += 1;
            let frame = (u32::from(width), u32::from(height));
            if area(frame) > area(largest_frame) {
                largest_frame = frame;
            }
        }
        Block::Extension { .. } => {}
    })?;
    let (width, height) = canvas;
    if width == 0 || height == 0 {
        return Err("zero-sized canvas".into());
    }
    if frames == 0 {
        return Err("no frames".into());
    }
    Ok(Container {
        width,
        height,
        frames,
        largest_frame,
    })
}

pub(super) fn strip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(bytes.len());
    walk(bytes, |block| match block {
        Block::Screen { bytes, .. } | Block::Image { bytes, .. } => out.extend_from_slice(bytes),
        Block::Extension { label, bytes } => {
            if is_kept_extension(label, bytes) {
                out.extend_from_slice(bytes);
            }
        }
    })?;
    out.push(TRAILER);
    Ok(out)
}

/// Graphic control (delays, transparency, disposal) and looping extensions are kept; comments, plain text (which
/// no browser renders) and other application data are dropped.
fn is_kept_extension(label: u8, block: &[u8]) -> bool {
    match label {
        GRAPHIC_CONTROL => true,
        APPLICATION => {
            block.get(2) == Some(&APPLICATION_ID_LEN)
                && block.get(3..14).is_some_and(|id| {
                    LOOPING_APPLICATIONS
                        .iter()
                        .any(|known| id == known.as_slice())
                })
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screen(width: u16, height: u16) -> Vec<u8> {
        let mut out = b"GIF89a".to_vec();
        out.extend_from_slice(&width.to_le_bytes());
        out.extend_from_slice(&height.to_le_bytes());
        out.extend_from_slice(&[HAS_COLOR_TABLE, 0, 0]); // a 2-colour global table follows
        out.extend_from_slice(&[0, 0, 0, 255, 255, 255]);
        out
    }

    fn image(width: u16, height: u16) -> Vec<u8> {
        let mut out = vec![IMAGE, 0, 0, 0, 0];
        out.extend_from_slice(&width.to_le_bytes());
        out.extend_from_slice(&height.to_le_bytes());
        out.extend_from_slice(&[0, 2, 2, 0x4C, 0x01, 0]);
        out
    }

    fn extension(label: u8, sub_blocks: &[&[u8]]) -> Vec<u8> {
        let mut out = vec![EXTENSION, label];
        for block in sub_blocks {
            out.push(u8::try_from(block.len()).unwrap());
            out.extend_from_slice(block);
        }
        out.push(0);
        out
    }

    #[test]
    fn strip_keeps_frames_timing_and_looping_and_drops_comments_and_other_applications() {
        let looping = extension(APPLICATION, &[b"NETSCAPE2.0", &[1, 0, 0]]);
        let control = extension(GRAPHIC_CONTROL, &[&[0, 10, 0, 0]]);
        let parts = [
            screen(4, 3),
            looping.clone(),
            extension(0xFE, &[b"shot on my phone"]),
            extension(APPLICATION, &[b"XMP DataXMP", b"<x:xmpmeta/>"]),
            control.clone(),
            image(4, 3),
            extension(0x01, &[&[0; 12], b"plain text"]),
            control.clone(),
            image(2, 2),
            vec![TRAILER],
            b"trailing".to_vec(),
        ];
        let expected = [
            screen(4, 3),
            looping,
            control.clone(),
            image(4, 3),
            control,
            image(2, 2),
            vec![TRAILER],
        ];
        assert_eq!(strip(&parts.concat()).unwrap(), expected.concat());
    }

    #[test]
    fn scan_counts_frames_and_the_largest_frame() {
        let bytes = [
            screen(4, 3),
            image(4, 3),
            image(300, 200),
            image(1, 1),
            vec![TRAILER],
        ]
        .concat();
        let found = scan(&bytes).unwrap();
        assert_eq!(
            (found.width, found.height, found.frames, found.largest_frame),
            (4, 3, 3, (300, 200))
        );
    }

    #[test]
    fn a_missing_trailer_is_tolerated_but_a_cut_block_is_not() {
        let whole = [screen(4, 3), image(4, 3)].concat();
        assert_eq!(scan(&whole).unwrap().frames, 1);
        assert_eq!(*strip(&whole).unwrap().last().unwrap(), TRAILER);
        assert!(scan(&whole[..whole.len() - 2]).is_err());
        assert!(scan(&screen(4, 3)).is_err());
    }
}
