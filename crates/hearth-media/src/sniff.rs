//! What a file really is, from its first bytes (never from the name or the type the client claims),
//! and how it may be served.

/// Bytes of a file's start the sniffer looks at.
pub const SNIFF_BYTES: usize = 8192;

/// The media type of a file whose first bytes are `head` (at most [`SNIFF_BYTES`] are read).
/// Unrecognised binary data is `application/octet-stream`; valid UTF-8 is `text/plain` (so HTML and
/// SVG are served as text, never rendered).
pub fn sniff(head: &[u8]) -> &'static str {
    let head = &head[..head.len().min(SNIFF_BYTES)];
    // Markup (HTML, XML, SVG) is recognised by `infer` as text: it is served as plain text below,
    // never as a type a browser renders.
    if let Some(kind) = infer::get(head)
        && kind.matcher_type() != infer::MatcherType::Text
        && kind.mime_type() != "image/svg+xml"
    {
        return kind.mime_type();
    }
    if !head.is_empty() && looks_like_text(head) {
        return "text/plain; charset=utf-8";
    }
    "application/octet-stream"
}

/// UTF-8 without NULs or other control characters than whitespace; a multi-byte character cut off
/// at the end of the sample does not count against it.
fn looks_like_text(head: &[u8]) -> bool {
    let valid = match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(e) if e.error_len().is_none() => match std::str::from_utf8(&head[..e.valid_up_to()]) {
            Ok(text) => text,
            Err(_) => return false,
        },
        Err(_) => return false,
    };
    valid
        .chars()
        .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
}

/// The images Hearth decodes to make thumbnails (and strips of metadata).
pub fn is_processable_image(mime: &str) -> bool {
    matches!(
        mime,
        "image/png" | "image/jpeg" | "image/gif" | "image/webp"
    )
}

/// Types a browser may show inline from Hearth's origin: images it renders as pictures, audio and
/// video. Everything else is served as a download (`Content-Disposition: attachment`).
pub fn is_inline_safe(mime: &str) -> bool {
    matches!(
        mime,
        "image/png"
            | "image/jpeg"
            | "image/gif"
            | "image/webp"
            | "image/avif"
            | "image/bmp"
            | "video/mp4"
            | "video/webm"
            | "video/quicktime"
            | "video/ogg"
            | "audio/mpeg"
            | "audio/ogg"
            | "audio/x-wav"
            | "audio/wav"
            | "audio/x-flac"
            | "audio/flac"
            | "audio/webm"
            | "audio/m4a"
            | "audio/mp4"
            | "audio/aac"
            | "text/plain; charset=utf-8"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), "image/png");
        assert_eq!(sniff(b"\xff\xd8\xff\xe0\0\x10JFIF\0"), "image/jpeg");
        assert_eq!(sniff(b"GIF89a\x01\0\x01\0"), "image/gif");
        assert_eq!(sniff(b"PK\x03\x04\x14\0\0\0"), "application/zip");
        assert_eq!(sniff(b"%PDF-1.7\n"), "application/pdf");
    }

    #[test]
    fn markup_is_only_ever_text() {
        // HTML and SVG must never be served as something a browser renders from Hearth's origin.
        assert_eq!(
            sniff(b"<!doctype html><script>alert(1)</script>"),
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"),
            "text/plain; charset=utf-8"
        );
    }

    #[test]
    fn binary_garbage_and_empty_files_are_octet_streams() {
        assert_eq!(sniff(&[0, 1, 2, 3, 255, 254]), "application/octet-stream");
        assert_eq!(sniff(b""), "application/octet-stream");
        assert_eq!(sniff(b"text\0with nul"), "application/octet-stream");
    }

    #[test]
    fn a_character_cut_at_the_sample_end_is_still_text() {
        let mut text = "é".repeat(SNIFF_BYTES / 2).into_bytes();
        text.push(0xc3);
        assert_eq!(sniff(&text), "text/plain; charset=utf-8");
    }

    #[test]
    fn only_pictures_audio_and_video_render_inline() {
        assert!(is_inline_safe("image/png"));
        assert!(is_inline_safe("video/mp4"));
        assert!(!is_inline_safe("application/pdf"));
        assert!(!is_inline_safe("application/octet-stream"));
        assert!(!is_inline_safe("image/svg+xml"));
        assert!(!is_inline_safe("text/html"));
    }
}
