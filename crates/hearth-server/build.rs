//! Rebuilds the binary when the web client's build output changes, so a release build never embeds a
//! stale or missing `web/dist`. The folder is created empty when absent (the web client was not built
//! yet), which keeps `cargo build` working without Node and lets Cargo watch the folder from the start.

use std::path::Path;

fn main() {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/dist");
    if !dist.exists() {
        // Best effort: a read-only source tree simply embeds nothing.
        let _ = std::fs::create_dir_all(&dist);
    }
    println!("cargo:rerun-if-changed={}", dist.display());
    println!("cargo:rerun-if-changed=build.rs");
}
