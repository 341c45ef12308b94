//! `hearth backup [FILE]` and `hearth restore FILE`.

use std::path::{Path, PathBuf};

use hearth_store::Store;

use crate::backup;
use crate::config::Config;

pub async fn backup(config: &Config, file: Option<PathBuf>) -> anyhow::Result<()> {
    let store = super::open_store(config).await?;
    let out = file.unwrap_or_else(backup::default_file_name);
    let manifest = backup::create(&store, &config.files_dir(), &out).await?;
    store.close().await;
    let rows: u64 = manifest.rows.values().sum();
    eprintln!(
        "backup of schema version {} with {rows} rows written",
        manifest.schema_version
    );
    println!("{}", out.display());
    Ok(())
}

/// Restores into the configured database, which must be empty (a fresh data directory, or a new
/// PostgreSQL database). Run it while no server uses that database.
pub async fn restore(config: &Config, file: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(&config.data_dir)?;
    let store = Store::connect(&config.store_options()).await?;
    let manifest = backup::restore(&store, &config.files_dir(), file).await?;
    store.close().await;
    let rows: u64 = manifest.rows.values().sum();
    eprintln!(
        "restored {rows} rows from a backup taken {} (schema version {}, {})",
        manifest.created_at, manifest.schema_version, manifest.backend
    );
    Ok(())
}
