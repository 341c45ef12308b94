//! The image kinds Hearth processes, recognised by their magic bytes.

use super::ImageError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageKind {
    Png,
    Jpeg,
    Gif,
    WebP,
}

impl ImageKind {
    pub fn mime(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Gif => "image/gif",
            ImageKind::WebP => "image/webp",
        }
    }

    /// File extension without the dot, for storage keys and downloads.
    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpg",
            ImageKind::Gif => "gif",
            ImageKind::WebP => "webp",
        }
    }

    /// Decides the kind from the content alone; whatever name or MIME type the client sent is irrelevant.
    pub(crate) fn sniff(bytes: &[u8]) -> Result<Self, ImageError> {
        let Some(found) = infer::get(bytes) else {
            return Err(ImageError::NotAnImage);
        };
        if found.matcher_type() != infer::MatcherType::Image {
            return Err(ImageError::NotAnImage);
        }
        match found.mime_type() {
            "image/png" => Ok(ImageKind::Png),
            "image/jpeg" => Ok(ImageKind::Jpeg),
            "image/gif" => Ok(ImageKind::Gif),
            "image/webp" => Ok(ImageKind::WebP),
            other => Err(ImageError::Unsupported(other)),
        }
    }

    pub(crate) fn format(self) -> ::image::ImageFormat {
        match self {
            ImageKind::Png => ::image::ImageFormat::Png,
            ImageKind::Jpeg => ::image::ImageFormat::Jpeg,
            ImageKind::Gif => ::image::ImageFormat::Gif,
            ImageKind::WebP => ::image::ImageFormat::WebP,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_magic_bytes() {
        assert_eq!(
            ImageKind::sniff(b"\x89PNG\r\n\x1a\nrest").unwrap(),
            ImageKind::Png
        );
        assert_eq!(
            ImageKind::sniff(b"\xff\xd8\xff\xe0rest").unwrap(),
            ImageKind::Jpeg
        );
        assert_eq!(ImageKind::sniff(b"GIF89a......").unwrap(), ImageKind::Gif);
        assert_eq!(
            ImageKind::sniff(b"RIFF\x10\0\0\0WEBPVP8 ").unwrap(),
            ImageKind::WebP
        );
    }

    #[test]
    fn other_files_are_not_images_and_other_images_are_unsupported() {
        assert!(matches!(
            ImageKind::sniff(b"PK\x03\x04zip archive"),
            Err(ImageError::NotAnImage)
        ));
        assert!(matches!(
            ImageKind::sniff(b"just some text"),
            Err(ImageError::NotAnImage)
        ));
        assert!(matches!(ImageKind::sniff(b""), Err(ImageError::NotAnImage)));
        assert!(matches!(
            ImageKind::sniff(b"BM\0\0\0\0\0\0\0\0\x36\0\0\0"),
            Err(ImageError::Unsupported("image/bmp"))
        ));
    }
}
