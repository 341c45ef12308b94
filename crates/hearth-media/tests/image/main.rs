//! Image processing as the server uses it: uploads in, cleaned files and derived images out.

mod derived;
mod fixtures;
mod limits;
mod metadata;
mod speed;
