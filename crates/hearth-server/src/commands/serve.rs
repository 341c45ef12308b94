//! `hearth serve`.

use crate::app::{Application, shutdown_signal};
use crate::config::Config;

pub async fn run(config: Config) -> anyhow::Result<()> {
    let app = Application::build(config).await?;
    let addr = app.local_addr()?;
    tracing::info!(%addr, backend = app.state().store.kind().as_str(), version = env!("CARGO_PKG_VERSION"), "hearth is listening");
    app.run_until(shutdown_signal()).await
}
