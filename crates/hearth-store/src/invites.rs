//! Instance invites: codes that let someone register when registration is invite-only.

use crate::backend::{BeginWrite, Store, on_reader, on_writer};
use crate::error::is_unique_violation;
use crate::moderation::{NewInstanceAuditEntry, insert_instance_audit_in};
use crate::{InviteRecord, NewInvite, StoreError};

impl Store {
    /// Creates an invite with its audit entry (`invite.create`), in one transaction.
    pub async fn create_invite(
        &self,
        new: &NewInvite,
        entry: &NewInstanceAuditEntry,
    ) -> Result<InviteRecord, StoreError> {
        let expires_at = new
            .limits
            .max_age_secs
            .map(|s| new.now_ms + (s as i64) * 1000);
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let inserted = sqlx::query(
                "INSERT INTO instance_invites (code, created_by, created_at, expires_at, max_uses, uses) \
                 VALUES ($1, $2, $3, $4, $5, 0)",
            )
            .bind(new.code.as_str())
            .bind(new.created_by.map(|id| id.to_db()))
            .bind(new.now_ms)
            .bind(expires_at)
            .bind(new.limits.max_uses.map(i64::from))
            .execute(&mut *tx)
            .await;
            match inserted {
                Err(e) if is_unique_violation(&e) => {
                    return Err(StoreError::Conflict("invite code"));
                }
                other => other?,
            };
            insert_instance_audit_in!(tx, entry);
            tx.commit().await?;
        });
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

    /// Deletes an invite with its audit entry (`invite.delete`); `false` (and no entry) when there is
    /// no such invite.
    pub async fn delete_invite(
        &self,
        code: &str,
        entry: &NewInstanceAuditEntry,
    ) -> Result<bool, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let n = sqlx::query("DELETE FROM instance_invites WHERE code = $1")
                .bind(code)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Ok(false);
            }
            insert_instance_audit_in!(tx, entry);
            tx.commit().await?;
            Ok(true)
        })
    }
}
