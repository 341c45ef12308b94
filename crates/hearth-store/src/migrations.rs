//! Schema migrations, one directory per dialect, embedded in the binary.
//!
//! Built by hand from `include_str!` rather than with `sqlx::migrate!`: the macro needs sqlx's proc-macro
//! crate, which compiles both database drivers a second time for the host and doubles build time.

use std::borrow::Cow;
use std::collections::BTreeMap;

use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};

use crate::StoreError;
use crate::backend::{Backend, Store};

/// (version, description, sqlite sql, postgres sql). Append only; never edit a released migration.
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "accounts",
        include_str!("../migrations/sqlite/0001_accounts.sql"),
        include_str!("../migrations/postgres/0001_accounts.sql"),
    ),
    (
        2,
        "communities",
        include_str!("../migrations/sqlite/0002_communities.sql"),
        include_str!("../migrations/postgres/0002_communities.sql"),
    ),
    (
        3,
        "messages",
        include_str!("../migrations/sqlite/0003_messages.sql"),
        include_str!("../migrations/postgres/0003_messages.sql"),
    ),
    (
        4,
        "moderation",
        include_str!("../migrations/sqlite/0004_moderation.sql"),
        include_str!("../migrations/postgres/0004_moderation.sql"),
    ),
    (
        5,
        "media",
        include_str!("../migrations/sqlite/0005_media.sql"),
        include_str!("../migrations/postgres/0005_media.sql"),
    ),
];

fn migrator(kind: crate::BackendKind) -> Migrator {
    let migrations = MIGRATIONS
        .iter()
        .map(|(version, description, sqlite, postgres)| {
            let sql = match kind {
                crate::BackendKind::Sqlite => sqlite,
                crate::BackendKind::Postgres => postgres,
            };
            Migration::new(
                *version,
                Cow::Borrowed(*description),
                MigrationType::Simple,
                sql.into_sql_str(),
                false,
            )
        })
        .collect();
    Migrator::with_migrations(migrations)
}

/// The newest schema version this binary knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map(|m| m.0).unwrap_or(0)
}

/// One migration and whether the database has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationState {
    pub version: i64,
    pub description: String,
    pub applied_at: Option<String>,
}

impl Store {
    /// Applies every pending migration (idempotent; PostgreSQL takes an advisory lock so that nodes
    /// starting together do not race).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        self.migrate_to(latest_version()).await
    }

    /// Applies pending migrations up to and including `version` (used by restore, which loads a backup
    /// into the schema it was taken from and then migrates the rest of the way).
    pub async fn migrate_to(&self, version: i64) -> Result<(), StoreError> {
        let migrator = migrator(self.kind());
        match &self.backend {
            Backend::Sqlite { writer, .. } => migrator.run_to(version, writer).await?,
            Backend::Postgres(pool) => migrator.run_to(version, pool).await?,
        }
        Ok(())
    }

    /// Every known migration with the time it was applied, if it was.
    pub async fn migration_status(&self) -> Result<Vec<MigrationState>, StoreError> {
        let applied = self.applied_migrations().await?;
        Ok(MIGRATIONS
            .iter()
            .map(|(version, description, _, _)| MigrationState {
                version: *version,
                description: (*description).to_owned(),
                applied_at: applied.get(version).cloned(),
            })
            .collect())
    }

    /// The highest applied version, or 0 on an empty database.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .applied_migrations()
            .await?
            .keys()
            .max()
            .copied()
            .unwrap_or(0))
    }

    async fn applied_migrations(&self) -> Result<BTreeMap<i64, String>, StoreError> {
        let rows: Vec<(i64, String)> = match &self.backend {
            Backend::Sqlite { writer, .. } => {
                let exists: Option<(String,)> =
                    sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'")
                        .fetch_optional(writer)
                        .await?;
                if exists.is_none() {
                    return Ok(BTreeMap::new());
                }
                sqlx::query_as("SELECT version, CAST(installed_on AS TEXT) FROM _sqlx_migrations WHERE success")
                    .fetch_all(writer)
                    .await?
            }
            Backend::Postgres(pool) => {
                let exists: (bool,) =
                    sqlx::query_as("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
                        .fetch_one(pool)
                        .await?;
                if !exists.0 {
                    return Ok(BTreeMap::new());
                }
                sqlx::query_as(
                    "SELECT version, installed_on::text FROM _sqlx_migrations WHERE success",
                )
                .fetch_all(pool)
                .await?
            }
        };
        Ok(rows.into_iter().collect())
    }
}
