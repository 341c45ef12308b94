//! Images uploaded by people: probing, metadata removal, thumbnails, icons, banners and custom emoji.
//!
//! Every entry point is synchronous, CPU-bound and pure (bytes in, bytes out): the server runs them in
//! `spawn_blocking`. Each one starts with [`probe`], which sniffs the kind from magic bytes (never a file name or a
//! client's MIME type) and rejects decompression bombs from the container header alone, before any pixel is
//! decoded. Every decoder is then given the same [`ImageLimits`].
//!
//! What is served in place of an upload never carries EXIF, XMP, IPTC, comments or text chunks (see
//! [`ProcessedImage::cleaned`]); derived images (thumbnails, icons, banners, emoji) are fresh encodes.

mod attachment;
mod banner;
mod decode;
mod emoji;
mod encode;
mod error;
mod kind;
mod limits;
mod picture;
mod placeholder;
mod probe;
mod resize;
mod square;
mod strip;

pub use attachment::{ProcessedImage, Thumbnail, process_attachment};
pub use banner::{ProcessedBanner, banner};
pub use emoji::{EMOJI_MAX_SIDE, EmojiImage, emoji};
pub use error::ImageError;
pub use kind::ImageKind;
pub use limits::ImageLimits;
pub use probe::{ImageInfo, probe};
pub use square::{AnimatedOriginal, Animation, SquareIcon, SquareIconSize, square_icon};
