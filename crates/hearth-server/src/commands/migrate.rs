//! `hearth migrate [apply|status]`.

use hearth_store::Store;

use crate::config::Config;

pub async fn apply(config: &Config) -> anyhow::Result<()> {
    let store = super::open_store(config).await?;
    println!("schema is at version {}", store.schema_version().await?);
    store.close().await;
    Ok(())
}

pub async fn status(config: &Config) -> anyhow::Result<()> {
    std::fs::create_dir_all(&config.data_dir)?;
    let store = Store::connect(&config.store_options()).await?;
    for m in store.migration_status().await? {
        match m.applied_at {
            Some(at) => println!("{:>4}  applied  {}  ({at})", m.version, m.description),
            None => println!("{:>4}  pending  {}", m.version, m.description),
        }
    }
    store.close().await;
    Ok(())
}
