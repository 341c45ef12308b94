//! The queue of blob prefixes to delete, filled by triggers (see the 0005 migration), and the
//! shared secrets media needs.

use crate::StoreError;
use crate::backend::{Store, id_params, on_reader, on_writer};

impl Store {
    /// The secret called `name`, made from `candidate` if it does not exist yet. Every node that asks
    /// gets the same value: the first insert wins.
    pub async fn secret(&self, name: &str, candidate: &str) -> Result<String, StoreError> {
        on_writer!(self, |db| {
            sqlx::query("INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(name)
                .bind(candidate)
                .execute(db)
                .await?;
            let (value,): (String,) = sqlx::query_as("SELECT value FROM secrets WHERE name = $1")
                .bind(name)
                .fetch_one(db)
                .await?;
            Ok(value)
        })
    }

    /// Up to `limit` queued prefixes, in key order.
    pub async fn blob_deletions(&self, limit: u32) -> Result<Vec<String>, StoreError> {
        on_reader!(self, |db| {
            let rows: Vec<(String,)> =
                sqlx::query_as("SELECT prefix FROM blob_deletions ORDER BY prefix LIMIT $1")
                    .bind(i64::from(limit))
                    .fetch_all(db)
                    .await?;
            Ok(rows.into_iter().map(|(prefix,)| prefix).collect())
        })
    }

    /// Forgets prefixes whose objects are deleted.
    pub async fn forget_blob_deletions(&self, prefixes: &[String]) -> Result<(), StoreError> {
        if prefixes.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "DELETE FROM blob_deletions WHERE prefix IN ({})",
            id_params(1, prefixes.len())
        );
        on_writer!(self, |db| {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for prefix in prefixes {
                query = query.bind(prefix);
            }
            query.execute(db).await?;
            Ok(())
        })
    }
}
