//! What each `hearth` subcommand does. Commands other than `serve` work directly on the configured
//! storage, so they run beside a live server (SQLite's WAL and busy timeout, or PostgreSQL, keep them
//! safe) and on a stopped one alike.

pub mod admin;
pub mod backup;
pub mod migrate;
pub mod serve;

use hearth_store::Store;

use crate::config::Config;

/// Opens the configured store and brings its schema up to date.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    std::fs::create_dir_all(&config.data_dir)?;
    let store = Store::connect(&config.store_options()).await?;
    store.migrate().await?;
    Ok(store)
}
