//! Roles: creation at the bottom of the order, update, reorder and deletion.

use hearth_core::Snowflake;

use super::records::{LOCK_GUILD, NewRole, RoleRecord, RoleUpdate, bits_to_db, role_columns};
use crate::StoreError;
use crate::backend::{BeginWrite, Store, on_reader, on_writer};

const ROLE_BY_ID: &str = concat!(
    "SELECT ",
    role_columns!(),
    " FROM roles r WHERE r.id = $1 AND r.guild_id = $2"
);

impl Store {
    /// Creates a role just above @everyone (Discord's placement), moving every other role up one.
    pub async fn create_role(&self, new: &NewRole) -> Result<RoleRecord, StoreError> {
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
            tx.commit().await?;
            Ok(role)
        })
    }

    pub async fn update_role(
        &self,
        guild_id: Snowflake,
        role_id: Snowflake,
        update: &RoleUpdate,
    ) -> Result<RoleRecord, StoreError> {
        const SQL: &str = concat!(
            "UPDATE roles SET name = COALESCE($3, name), color = COALESCE($4, color), \
             hoist = COALESCE($5, hoist), mentionable = COALESCE($6, mentionable), \
             permissions = COALESCE($7, permissions) WHERE id = $1 AND guild_id = $2 RETURNING ",
            "id, guild_id, name, color, hoist, mentionable, position, permissions, created_at"
        );
        on_writer!(self, |db| {
            let row = sqlx::query(SQL)
                .bind(role_id.to_db())
                .bind(guild_id.to_db())
                .bind(update.name.as_deref())
                .bind(update.color.map(i64::from))
                .bind(update.hoist)
                .bind(update.mentionable)
                .bind(update.permissions.map(bits_to_db))
                .fetch_optional(db)
                .await?;
            row.map(|r| RoleRecord::from_row(&r))
                .transpose()?
                .ok_or(StoreError::NotFound)
        })
    }

    /// Writes new positions for roles of one guild (the caller computed a complete, valid order).
    pub async fn set_role_positions(
        &self,
        guild_id: Snowflake,
        positions: &[(Snowflake, i32)],
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
            tx.commit().await?;
            Ok(())
        })
    }

    /// Deletes a role with its assignments and the overwrites that name it; `false` when it did not
    /// exist. @everyone cannot be deleted (the caller refuses; the statement also excludes it). Positions
    /// are left with a gap: only their order matters.
    pub async fn delete_role(
        &self,
        guild_id: Snowflake,
        role_id: Snowflake,
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
            if n == 1 {
                sqlx::query(
                    "DELETE FROM channel_overwrites WHERE target_id = $1 AND kind = 0 \
                     AND channel_id IN (SELECT id FROM channels WHERE guild_id = $2)",
                )
                .bind(role_id.to_db())
                .bind(guild_id.to_db())
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(n == 1)
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
