//! Instance invites: codes that let someone register when registration is invite-only.

use crate::backend::{Store, on_reader, on_writer};
use crate::error::is_unique_violation;
use crate::{InviteRecord, NewInvite, StoreError};

impl Store {
    pub async fn create_invite(&self, new: &NewInvite) -> Result<InviteRecord, StoreError> {
        let expires_at = new
            .limits
            .max_age_secs
            .map(|s| new.now_ms + (s as i64) * 1000);
        let result = on_writer!(self, |db| {
            sqlx::query(
                "INSERT INTO instance_invites (code, created_by, created_at, expires_at, max_uses, uses) \
                 VALUES ($1, $2, $3, $4, $5, 0)",
            )
            .bind(new.code.as_str())
            .bind(new.created_by.map(|id| id.to_db()))
            .bind(new.now_ms)
            .bind(expires_at)
            .bind(new.limits.max_uses.map(i64::from))
            .execute(db)
            .await
            .map(|done| done.rows_affected())
        });
        match result {
            Err(e) if is_unique_violation(&e) => return Err(StoreError::Conflict("invite code")),
            other => other?,
        };
        Ok(InviteRecord {
            code: new.code.as_str().to_owned(),
            created_by: new.created_by,
            created_at: new.now_ms,
            expires_at,
            max_uses: new.limits.max_uses,
            uses: 0,
        })
    }

    /// Invites, newest first.
    pub async fn list_invites(&self) -> Result<Vec<InviteRecord>, StoreError> {
        const SQL: &str = "SELECT code, created_by, created_at, expires_at, max_uses, uses \
                           FROM instance_invites ORDER BY created_at DESC, code";
        on_reader!(self, |db| {
            let rows = sqlx::query(SQL).fetch_all(db).await?;
            Ok(rows
                .iter()
                .map(InviteRecord::from_row)
                .collect::<Result<_, _>>()?)
        })
    }

    pub async fn delete_invite(&self, code: &str) -> Result<bool, StoreError> {
        on_writer!(self, |db| {
            let n = sqlx::query("DELETE FROM instance_invites WHERE code = $1")
                .bind(code)
                .execute(db)
                .await?
                .rows_affected();
            Ok(n == 1)
        })
    }
}
