//! Instance-wide settings kept in the database, so that every node and the admin commands agree.

use hearth_core::RegistrationMode;

use crate::StoreError;
use crate::backend::{Store, on_reader, on_writer};

pub(crate) const REGISTRATION_MODE_KEY: &str = "registration_mode";
/// Written once, by the transaction that creates the first account.
pub(crate) const OWNER_KEY: &str = "owner_id";

impl Store {
    /// The registration mode; invite-only until someone sets it.
    pub async fn registration_mode(&self) -> Result<RegistrationMode, StoreError> {
        on_reader!(self, |db| {
            let row: Option<(String,)> =
                sqlx::query_as("SELECT value FROM instance_settings WHERE key = $1")
                    .bind(REGISTRATION_MODE_KEY)
                    .fetch_optional(db)
                    .await?;
            Ok(row
                .and_then(|(v,)| RegistrationMode::parse(&v).ok())
                .unwrap_or_default())
        })
    }

    pub async fn set_registration_mode(&self, mode: RegistrationMode) -> Result<(), StoreError> {
        on_writer!(self, |db| {
            sqlx::query(
                "INSERT INTO instance_settings (key, value) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(REGISTRATION_MODE_KEY)
            .bind(mode.as_str())
            .execute(db)
            .await?;
        });
        Ok(())
    }
}
