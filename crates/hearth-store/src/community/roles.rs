//! Roles: creation at the bottom of the order, update, reorder and deletion.

use hearth_core::Snowflake;

use super::records::{LOCK_GUILD, NewRole, RoleRecord, RoleUpdate, bits_to_db, role_columns};
use crate::StoreError;
use crate::backend::{BeginWrite, Store, on_reader, on_writer};
use crate::moderation::{NewAuditEntry, insert_audit_in};

const ROLE_BY_ID: &str = concat!(
    "SELECT ",
    role_columns!(),
    " FROM roles r WHERE r.id = $1 AND r.guild_id = $2"
);

impl Store {
    /// Creates a role just above @everyone (Discord's placement), moving every other role up one, and
    /// writes its audit entry (ROLE_CREATE; the others' shift is not recorded, as in Discord).
    pub async fn create_role(
        &self,
        new: &NewRole,
        audit: &NewAuditEntry,
    ) -> Result<RoleRecord, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            sqlx::query(LOCK_GUILD)
                .bind(new.guild_id.to_db())
                .execute(&mut *tx)
                .await?;
            let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM roles WHERE guild_id = $1")
                .bind(new.guild_id.to_db())
                .fetch_one(&mut *tx)
                .await?;
            // @everyone does not count against the limit.
            if count > i64::from(new.max_roles_per_guild) {
                return Err(StoreError::LimitReached("roles per guild"));
            }
            sqlx::query(
                "UPDATE roles SET position = position + 1 WHERE guild_id = $1 AND id <> guild_id",
            )
            .bind(new.guild_id.to_db())
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO roles (id, guild_id, name, color, hoist, mentionable, position, permissions, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)",
            )
            .bind(new.id.to_db())
            .bind(new.guild_id.to_db())
            .bind(&new.name)
            .bind(i64::from(new.color))
            .bind(new.hoist)
            .bind(new.mentionable)
            .bind(bits_to_db(new.permissions))
            .bind(new.now_ms)
            .execute(&mut *tx)
            .await?;
            let row = sqlx::query(ROLE_BY_ID)
                .bind(new.id.to_db())
                .bind(new.guild_id.to_db())
                .fetch_one(&mut *tx)
                .await?;
            let role = RoleRecord::from_row(&row)?;
            insert_audit_in!(tx, audit);
            tx.commit().await?;
            Ok(role)
        })
    }

    /// Applies an update with its audit entry (ROLE_UPDATE); `NotFound`, and no entry, when the role
    /// is not in the guild.
    pub async fn update_role(
        &self,
        guild_id: Snowflake,
        role_id: Snowflake,
        update: &RoleUpdate,
        audit: &NewAuditEntry,
    ) -> Result<RoleRecord, StoreError> {
        const SQL: &str = concat!(
            "UPDATE roles SET name = COALESCE($3, name), color = COALESCE($4, color), \
             hoist = COALESCE($5, hoist), mentionable = COALESCE($6, mentionable), \
             permissions = COALESCE($7, permissions) WHERE id = $1 AND guild_id = $2 RETURNING ",
            "id, guild_id, name, color, hoist, mentionable, position, permissions, icon, created_at"
        );
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let Some(row) = sqlx::query(SQL)
                .bind(role_id.to_db())
                .bind(guild_id.to_db())
                .bind(update.name.as_deref())
                .bind(update.color.map(i64::from))
                .bind(update.hoist)
                .bind(update.mentionable)
                .bind(update.permissions.map(bits_to_db))
                .fetch_optional(&mut *tx)
                .await?
            else {
                return Err(StoreError::NotFound);
            };
            let role = RoleRecord::from_row(&row)?;
            insert_audit_in!(tx, audit);
            tx.commit().await?;
            Ok(role)
        })
    }

    /// Writes new positions for roles of one guild (the caller computed a complete, valid order), with
    /// `audit`, one ROLE_UPDATE per role that moved, in the same transaction.
    pub async fn set_role_positions(
        &self,
        guild_id: Snowflake,
        positions: &[(Snowflake, i32)],
        audit: &[NewAuditEntry],
    ) -> Result<(), StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            for (id, position) in positions {
                sqlx::query(
                    "UPDATE roles SET position = $3 WHERE id = $1 AND guild_id = $2 AND id <> guild_id",
                )
                .bind(id.to_db())
                .bind(guild_id.to_db())
                .bind(i64::from(*position))
                .execute(&mut *tx)
                .await?;
            }
            for entry in audit {
                insert_audit_in!(tx, entry);
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Deletes a role with its assignments and the overwrites that name it, and writes its audit entry
    /// (ROLE_DELETE); `false`, and no entry, when it did not exist. @everyone cannot be deleted (the
    /// caller refuses; the statement also excludes it). Positions are left with a gap: only their order
    /// matters.
    pub async fn delete_role(
        &self,
        guild_id: Snowflake,
        role_id: Snowflake,
        audit: &NewAuditEntry,
    ) -> Result<bool, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let n =
                sqlx::query("DELETE FROM roles WHERE id = $1 AND guild_id = $2 AND id <> guild_id")
                    .bind(role_id.to_db())
                    .bind(guild_id.to_db())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if n != 1 {
                return Ok(false);
            }
            sqlx::query(
                "DELETE FROM channel_overwrites WHERE target_id = $1 AND kind = 0 \
                 AND channel_id IN (SELECT id FROM channels WHERE guild_id = $2)",
            )
            .bind(role_id.to_db())
            .bind(guild_id.to_db())
            .execute(&mut *tx)
            .await?;
            insert_audit_in!(tx, audit);
            tx.commit().await?;
            Ok(true)
        })
    }

    pub async fn role(
        &self,
        guild_id: Snowflake,
        role_id: Snowflake,
    ) -> Result<Option<RoleRecord>, StoreError> {
        on_reader!(self, |db| {
            let row = sqlx::query(ROLE_BY_ID)
                .bind(role_id.to_db())
                .bind(guild_id.to_db())
                .fetch_optional(db)
                .await?;
            Ok(row.map(|r| RoleRecord::from_row(&r)).transpose()?)
        })
    }
}
