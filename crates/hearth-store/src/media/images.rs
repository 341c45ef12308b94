//! The image hashes of users, guilds and roles. Replacing or clearing one queues the old image's blobs
//! (triggers in the 0005 migration).

use hearth_core::Snowflake;

use crate::backend::{Store, on_writer};
use crate::records::user_columns;
use crate::{StoreError, UserRecord};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserImage {
    Avatar,
    Banner,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuildImage {
    Icon,
    Banner,
}

impl Store {
    /// Sets (or with `None` clears) a user's avatar or banner hash; returns the updated user.
    pub async fn set_user_image(
        &self,
        user_id: Snowflake,
        image: UserImage,
        hash: Option<&str>,
    ) -> Result<UserRecord, StoreError> {
        const AVATAR: &str = concat!(
            "UPDATE users SET avatar = $2 WHERE id = $1 RETURNING ",
            user_columns!("")
        );
        const BANNER: &str = concat!(
            "UPDATE users SET banner = $2 WHERE id = $1 RETURNING ",
            user_columns!("")
        );
        let sql = match image {
            UserImage::Avatar => AVATAR,
            UserImage::Banner => BANNER,
        };
        on_writer!(self, |db| {
            let row = sqlx::query(sql)
                .bind(user_id.to_db())
                .bind(hash)
                .fetch_optional(db)
                .await?;
            row.map(|r| UserRecord::from_row(&r))
                .transpose()?
                .ok_or(StoreError::NotFound)
        })
    }

    /// Sets (or clears) a guild's icon or banner hash. False when the guild does not exist.
    pub async fn set_guild_image(
        &self,
        guild_id: Snowflake,
        image: GuildImage,
        hash: Option<&str>,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let sql = match image {
            GuildImage::Icon => "UPDATE guilds SET icon = $2, updated_at = $3 WHERE id = $1",
            GuildImage::Banner => "UPDATE guilds SET banner = $2, updated_at = $3 WHERE id = $1",
        };
        on_writer!(self, |db| {
            Ok(sqlx::query(sql)
                .bind(guild_id.to_db())
                .bind(hash)
                .bind(now_ms)
                .execute(db)
                .await?
                .rows_affected()
                == 1)
        })
    }

    /// Sets (or clears) a role's icon hash. False when the role is not the guild's.
    pub async fn set_role_icon(
        &self,
        guild_id: Snowflake,
        role_id: Snowflake,
        hash: Option<&str>,
    ) -> Result<bool, StoreError> {
        on_writer!(self, |db| {
            Ok(
                sqlx::query("UPDATE roles SET icon = $3 WHERE id = $2 AND guild_id = $1")
                    .bind(guild_id.to_db())
                    .bind(role_id.to_db())
                    .bind(hash)
                    .execute(db)
                    .await?
                    .rows_affected()
                    == 1,
            )
        })
    }
}
