//! The two pools behind [`Store`] and the plumbing that lets each query be written once.
//!
//! `Store` holds an enum of concrete pools rather than sqlx's `AnyPool`: every query runs on a fully typed
//! driver (native binds, native types), and the `on_reader!`/`on_writer!` macros expand one query body for each
//! driver. SQLite gets one writer connection (SQLite allows one writer at a time anyway; a single
//! connection turns contention into queueing instead of `SQLITE_BUSY`) and a small pool of read-only
//! connections, which WAL lets run beside the writer.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{Row, Transaction};

use crate::StoreError;

#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// `sqlite://path/to/file.db` or `postgres://user@host/db`.
    pub url: String,
    /// PostgreSQL pool size; for SQLite, the number of read-only connections.
    pub max_connections: u32,
    /// How long to wait for a connection (and, on SQLite, for a lock held by another process).
    pub acquire_timeout: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

impl BackendKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Backend {
    Sqlite {
        writer: SqlitePool,
        reader: SqlitePool,
    },
    Postgres(PgPool),
}

/// Connections open and idle, for `/metrics`.
#[derive(Debug, Clone, Copy)]
pub struct PoolStats {
    pub size: u32,
    pub idle: u32,
}

/// The store: cheap to clone (pools are reference-counted).
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) backend: Backend,
}

impl Store {
    /// Connects without touching the schema; call [`Store::migrate`] before use.
    pub async fn connect(options: &StoreOptions) -> Result<Self, StoreError> {
        let url = options.url.as_str();
        let backend = if url.starts_with("sqlite:") {
            let base = SqliteConnectOptions::from_str(url)
                .map_err(|e| StoreError::InvalidUrl(e.to_string()))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // FULL: a commit is on disk before it is acknowledged, even across power loss.
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(options.acquire_timeout);
            let writer = SqlitePoolOptions::new()
                .max_connections(1)
                .acquire_timeout(options.acquire_timeout)
                .connect_with(base.clone())
                .await?;
            let reader = SqlitePoolOptions::new()
                .max_connections(options.max_connections.max(1))
                .acquire_timeout(options.acquire_timeout)
                .connect_lazy_with(base.create_if_missing(false).read_only(true));
            Backend::Sqlite { writer, reader }
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let connect = PgConnectOptions::from_str(url)
                .map_err(|e| StoreError::InvalidUrl(e.to_string()))?;
            let pool = PgPoolOptions::new()
                .max_connections(options.max_connections.max(1))
                .acquire_timeout(options.acquire_timeout)
                .connect_with(connect)
                .await?;
            Backend::Postgres(pool)
        } else {
            return Err(StoreError::InvalidUrl(
                "expected a sqlite: or postgres: url".into(),
            ));
        };
        Ok(Self { backend })
    }

    pub fn kind(&self) -> BackendKind {
        match self.backend {
            Backend::Sqlite { .. } => BackendKind::Sqlite,
            Backend::Postgres(_) => BackendKind::Postgres,
        }
    }

    /// Proves the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_reader!(self, |db| {
            sqlx::query("SELECT 1").execute(db).await?;
        });
        Ok(())
    }

    pub fn pool_stats(&self) -> PoolStats {
        match &self.backend {
            Backend::Sqlite { writer, reader } => PoolStats {
                size: writer.size() + reader.size(),
                idle: (writer.num_idle() + reader.num_idle()) as u32,
            },
            Backend::Postgres(pool) => PoolStats {
                size: pool.size(),
                idle: pool.num_idle() as u32,
            },
        }
    }

    /// Closes every connection, waiting for those in use to be returned.
    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite { writer, reader } => {
                reader.close().await;
                writer.close().await;
            }
            Backend::Postgres(pool) => pool.close().await,
        }
    }
}

/// Runs `$body` with `$db` bound to a pool suited to reads.
macro_rules! on_reader {
    ($store:expr, |$db:ident| $body:expr) => {
        match &$store.backend {
            $crate::backend::Backend::Sqlite { reader, .. } => {
                let $db = reader;
                $body
            }
            $crate::backend::Backend::Postgres(pool) => {
                let $db = pool;
                $body
            }
        }
    };
}

/// Runs `$body` with `$db` bound to the pool that may write.
macro_rules! on_writer {
    ($store:expr, |$db:ident| $body:expr) => {
        match &$store.backend {
            $crate::backend::Backend::Sqlite { writer, .. } => {
                let $db = writer;
                $body
            }
            $crate::backend::Backend::Postgres(pool) => {
                let $db = pool;
                $body
            }
        }
    };
}

pub(crate) use {on_reader, on_writer};

/// The numbered parameters `$first, $first + 1, …` of an `IN (…)` list over `count` ids. Both dialects
/// take `IN` lists (PostgreSQL's `= ANY($1)` has no SQLite counterpart), so queries over a batch of ids
/// are the only SQL built at run time, and only from these numbers, never from input.
pub(crate) fn id_params(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Starts a transaction that will write.
pub(crate) trait BeginWrite {
    type Db: sqlx::Database;
    async fn begin_write(&self) -> Result<Transaction<'static, Self::Db>, sqlx::Error>;
}

impl BeginWrite for SqlitePool {
    type Db = sqlx::Sqlite;
    /// `IMMEDIATE` takes the write lock up front, so a transaction never fails half-way when another
    /// process (the `hearth admin` commands) writes at the same time; it waits for `busy_timeout` instead.
    async fn begin_write(&self) -> Result<Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for PgPool {
    type Db = sqlx::Postgres;
    async fn begin_write(&self) -> Result<Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin().await
    }
}

/// Starts a read-only transaction that sees one consistent snapshot of the whole database.
pub(crate) trait BeginSnapshot {
    type Db: sqlx::Database;
    async fn begin_snapshot(&self) -> Result<Transaction<'static, Self::Db>, sqlx::Error>;
}

impl BeginSnapshot for SqlitePool {
    type Db = sqlx::Sqlite;
    /// In WAL mode a read transaction sees one snapshot from its first read to its end.
    async fn begin_snapshot(&self) -> Result<Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin().await
    }
}

impl BeginSnapshot for PgPool {
    type Db = sqlx::Postgres;
    async fn begin_snapshot(&self) -> Result<Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
    }
}

/// Typed column access shared by both drivers' rows, so row mapping is written once.
pub(crate) trait DbRow {
    fn int(&self, column: &str) -> Result<i64, sqlx::Error>;
    fn opt_int(&self, column: &str) -> Result<Option<i64>, sqlx::Error>;
    fn text(&self, column: &str) -> Result<String, sqlx::Error>;
    fn opt_text(&self, column: &str) -> Result<Option<String>, sqlx::Error>;
    fn flag(&self, column: &str) -> Result<bool, sqlx::Error>;
    fn opt_flag(&self, column: &str) -> Result<Option<bool>, sqlx::Error>;
}

macro_rules! impl_db_row {
    ($row:ty) => {
        impl DbRow for $row {
            fn int(&self, column: &str) -> Result<i64, sqlx::Error> {
                self.try_get(column)
            }
            fn opt_int(&self, column: &str) -> Result<Option<i64>, sqlx::Error> {
                self.try_get(column)
            }
            fn text(&self, column: &str) -> Result<String, sqlx::Error> {
                self.try_get(column)
            }
            fn opt_text(&self, column: &str) -> Result<Option<String>, sqlx::Error> {
                self.try_get(column)
            }
            fn flag(&self, column: &str) -> Result<bool, sqlx::Error> {
                self.try_get(column)
            }
            fn opt_flag(&self, column: &str) -> Result<Option<bool>, sqlx::Error> {
                self.try_get(column)
            }
        }
    };
}

impl_db_row!(SqliteRow);
impl_db_row!(PgRow);
