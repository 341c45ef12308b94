//! Hearth's files: where blobs live, what a file really is, and what is derived from it.
