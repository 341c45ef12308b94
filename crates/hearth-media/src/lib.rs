//! Hearth's files: where blobs live, what a file really is, and what is derived from it.
//!
//! - `blob`: the storage interface (local directory or S3) the server writes and reads through;
//! - `sniff` and `filename`: what an upload is and what it is called, decided at the edge;
//! - `image`: metadata removal, thumbnails, blurhash, icons and emoji (pure, CPU-bound);
//! - `fetch` and `preview`: SSRF-safe fetching and the link previews built on it.
pub mod blob;
pub mod fetch;
pub mod filename;
pub mod image;
pub mod preview;
pub mod sniff;
/// Starts moto's S3 server for the tests of this crate and the server's.
#[cfg(feature = "test-support")]
pub mod test_s3;
