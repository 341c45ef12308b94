//! Guild invites: creation (reusing an equivalent one unless asked for a unique code), preview,
//! listing, revocation, and joining a guild through one.

use hearth_core::Snowflake;

use super::records::{
    GuildInviteRecord, GuildRecord, InvitePreview, LOCK_GUILD, LOCK_USER, MemberRecord,
    NewGuildInvite, guild_columns, invite_columns,
};
use crate::backend::{BeginWrite, DbRow, Store, on_reader, on_writer};
use crate::error::is_unique_violation;
use crate::moderation::{NewAuditEntry, insert_audit_in};
use crate::records::user_columns;
use crate::{StoreError, UserRecord};

/// Why joining through an invite failed.
#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    #[error("the invite is unknown, expired or used up")]
    InvalidInvite,
    #[error("banned from this guild")]
    Banned,
    #[error("too many guilds")]
    GuildLimit,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for JoinError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(StoreError::Database(e))
    }
}

/// The result of a successful join.
#[derive(Debug, Clone, PartialEq)]
pub struct Joined {
    pub guild_id: Snowflake,
    pub member: MemberRecord,
    /// `false` when the user already was a member (no invite use was consumed).
    pub is_new: bool,
}

const INVITE_BY_CODE: &str = concat!(
    "SELECT ",
    invite_columns!(),
    " FROM guild_invites i WHERE i.code = $1"
);

impl Store {
    /// Creates an invite, or (unless `unique`) finds an equivalent usable one; the flag is `true` when
    /// the invite is new. Only usable invites count against `max_invites_per_guild`. `audit`
    /// (INVITE_CREATE) is written with a new invite only: answering an existing one changes nothing.
    pub async fn create_guild_invite(
        &self,
        new: &NewGuildInvite,
        audit: &NewAuditEntry,
    ) -> Result<(GuildInviteRecord, bool), StoreError> {
        const REUSABLE: &str = concat!(
            "SELECT ",
            invite_columns!(),
            " FROM guild_invites i WHERE i.channel_id = $1 AND i.inviter_id = $2 AND i.max_age = $3 \
             AND i.max_uses = $4 AND i.temporary = $5 AND (i.expires_at IS NULL OR i.expires_at > $6) \
             AND (i.max_uses = 0 OR i.uses < i.max_uses) ORDER BY i.created_at DESC LIMIT 1"
        );
        let expires_at = (new.max_age > 0).then(|| new.now_ms + i64::from(new.max_age) * 1000);
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            if !new.unique {
                let row = sqlx::query(REUSABLE)
                    .bind(new.channel_id.to_db())
                    .bind(new.inviter_id.to_db())
                    .bind(i64::from(new.max_age))
                    .bind(i64::from(new.max_uses))
                    .bind(new.temporary)
                    .bind(new.now_ms)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(row) = row {
                    return Ok((GuildInviteRecord::from_row(&row)?, false));
                }
            }
            sqlx::query(LOCK_GUILD)
                .bind(new.guild_id.to_db())
                .execute(&mut *tx)
                .await?;
            let (count,): (i64,) =
                sqlx::query_as(
                    "SELECT COUNT(*) FROM guild_invites WHERE guild_id = $1 \
                     AND (expires_at IS NULL OR expires_at > $2) AND (max_uses = 0 OR uses < max_uses)",
                )
                    .bind(new.guild_id.to_db())
                    .bind(new.now_ms)
                    .fetch_one(&mut *tx)
                    .await?;
            if count >= i64::from(new.max_invites_per_guild) {
                return Err(StoreError::LimitReached("invites per guild"));
            }
            let inserted = sqlx::query(
                "INSERT INTO guild_invites (code, guild_id, channel_id, inviter_id, created_at, max_age, \
                 expires_at, max_uses, uses, temporary) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9)",
            )
            .bind(new.code.as_str())
            .bind(new.guild_id.to_db())
            .bind(new.channel_id.to_db())
            .bind(new.inviter_id.to_db())
            .bind(new.now_ms)
            .bind(i64::from(new.max_age))
            .bind(expires_at)
            .bind(i64::from(new.max_uses))
            .bind(new.temporary)
            .execute(&mut *tx)
            .await;
            match inserted {
                Err(e) if is_unique_violation(&e) => {
                    return Err(StoreError::Conflict("invite code"));
                }
                other => other?,
            };
            insert_audit_in!(tx, audit);
            tx.commit().await?;
            Ok((
                GuildInviteRecord {
                    code: new.code.as_str().to_owned(),
                    guild_id: new.guild_id,
                    channel_id: new.channel_id,
                    inviter_id: Some(new.inviter_id),
                    created_at: new.now_ms,
                    max_age: new.max_age,
                    expires_at,
                    max_uses: new.max_uses,
                    uses: 0,
                    temporary: new.temporary,
                },
                true,
            ))
        })
    }

    pub async fn guild_invite(&self, code: &str) -> Result<Option<GuildInviteRecord>, StoreError> {
        on_reader!(self, |db| {
            let row = sqlx::query(INVITE_BY_CODE)
                .bind(code)
                .fetch_optional(db)
                .await?;
            Ok(row.map(|r| GuildInviteRecord::from_row(&r)).transpose()?)
        })
    }

    /// An invite with its guild, channel, inviter and member counts; "active" counts members with a
    /// session used since `active_since`.
    pub async fn invite_preview(
        &self,
        code: &str,
        active_since: i64,
    ) -> Result<Option<InvitePreview>, StoreError> {
        const CHANNEL: &str = "SELECT name, type FROM channels WHERE id = $1";
        const COUNTS: &str = "SELECT COUNT(*) AS members, COUNT(*) FILTER (WHERE EXISTS \
             (SELECT 1 FROM sessions s WHERE s.user_id = m.user_id AND s.last_used_at >= $2)) AS active \
             FROM members m WHERE m.guild_id = $1";
        const INVITER: &str = concat!(
            "SELECT ",
            user_columns!("u."),
            " FROM users u WHERE u.id = $1"
        );
        const GUILD: &str = concat!(
            "SELECT ",
            guild_columns!(),
            " FROM guilds g WHERE g.id = $1"
        );
        let Some(invite) = self.guild_invite(code).await? else {
            return Ok(None);
        };
        on_reader!(self, |db| {
            let Some(guild) = sqlx::query(GUILD)
                .bind(invite.guild_id.to_db())
                .fetch_optional(db)
                .await?
            else {
                return Ok(None);
            };
            let Some((channel_name, channel_type)): Option<(String, i64)> = sqlx::query_as(CHANNEL)
                .bind(invite.channel_id.to_db())
                .fetch_optional(db)
                .await?
            else {
                return Ok(None);
            };
            let counts = sqlx::query(COUNTS)
                .bind(invite.guild_id.to_db())
                .bind(active_since)
                .fetch_one(db)
                .await?;
            let inviter = match invite.inviter_id {
                Some(id) => sqlx::query(INVITER)
                    .bind(id.to_db())
                    .fetch_optional(db)
                    .await?
                    .map(|r| UserRecord::from_row(&r))
                    .transpose()?,
                None => None,
            };
            Ok(Some(InvitePreview {
                guild: GuildRecord::from_row(&guild)?,
                channel_name,
                channel_kind: hearth_core::ChannelKind::from_wire(channel_type).map_err(|_| {
                    StoreError::Database(sqlx::Error::Decode(
                        format!("unknown channel type {channel_type}").into(),
                    ))
                })?,
                inviter,
                member_count: counts.int("members")?,
                active_count: counts.int("active")?,
                invite,
            }))
        })
    }

    /// A guild's invites, newest first.
    pub async fn guild_invites(
        &self,
        guild_id: Snowflake,
    ) -> Result<Vec<GuildInviteRecord>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            invite_columns!(),
            " FROM guild_invites i WHERE i.guild_id = $1 ORDER BY i.created_at DESC, i.code"
        );
        on_reader!(self, |db| {
            let rows = sqlx::query(SQL)
                .bind(guild_id.to_db())
                .fetch_all(db)
                .await?;
            Ok(rows
                .iter()
                .map(GuildInviteRecord::from_row)
                .collect::<Result<_, _>>()?)
        })
    }

    /// Deletes an invite with its audit entry (INVITE_DELETE), returning it as it was; `None`, and no
    /// entry, when there was none.
    pub async fn delete_guild_invite(
        &self,
        code: &str,
        audit: &NewAuditEntry,
    ) -> Result<Option<GuildInviteRecord>, StoreError> {
        const SQL: &str = "DELETE FROM guild_invites WHERE code = $1 RETURNING code, guild_id, channel_id, \
             inviter_id, created_at, max_age, expires_at, max_uses, uses, temporary";
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let Some(row) = sqlx::query(SQL).bind(code).fetch_optional(&mut *tx).await? else {
                return Ok(None);
            };
            let deleted = GuildInviteRecord::from_row(&row)?;
            insert_audit_in!(tx, audit);
            tx.commit().await?;
            Ok(Some(deleted))
        })
    }

    /// Joins `user_id` to the invite's guild, in one transaction: an existing member consumes nothing;
    /// a banned user, an exhausted or expired invite, or a user at the guild limit is refused; otherwise
    /// one use is consumed by a conditional update, so `max_uses` admits exactly that many concurrent
    /// joiners.
    pub async fn join_guild(
        &self,
        code: &str,
        user_id: Snowflake,
        now_ms: i64,
        max_guilds_per_user: u32,
    ) -> Result<Joined, JoinError> {
        let joined = on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let Some(invite) = sqlx::query(INVITE_BY_CODE)
                .bind(code)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| GuildInviteRecord::from_row(&r))
                .transpose()?
            else {
                return Err(JoinError::InvalidInvite);
            };
            let guild_id = invite.guild_id;
            // Serialises this user's joins, so the guild count below cannot be read stale by a
            // concurrent join into another guild.
            sqlx::query(LOCK_USER)
                .bind(user_id.to_db())
                .execute(&mut *tx)
                .await?;
            let member: Option<(i64,)> =
                sqlx::query_as("SELECT user_id FROM members WHERE guild_id = $1 AND user_id = $2")
                    .bind(guild_id.to_db())
                    .bind(user_id.to_db())
                    .fetch_optional(&mut *tx)
                    .await?;
            if member.is_some() {
                (guild_id, false)
            } else {
                let banned: Option<(i64,)> = sqlx::query_as(
                    "SELECT user_id FROM guild_bans WHERE guild_id = $1 AND user_id = $2",
                )
                .bind(guild_id.to_db())
                .bind(user_id.to_db())
                .fetch_optional(&mut *tx)
                .await?;
                if banned.is_some() {
                    return Err(JoinError::Banned);
                }
                let (joined,): (i64,) =
                    sqlx::query_as("SELECT COUNT(*) FROM members WHERE user_id = $1")
                        .bind(user_id.to_db())
                        .fetch_one(&mut *tx)
                        .await?;
                if joined >= i64::from(max_guilds_per_user) {
                    return Err(JoinError::GuildLimit);
                }
                let used = sqlx::query(
                    "UPDATE guild_invites SET uses = uses + 1 WHERE code = $1 \
                     AND (max_uses = 0 OR uses < max_uses) AND (expires_at IS NULL OR expires_at > $2)",
                )
                .bind(code)
                .bind(now_ms)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if used == 0 {
                    return Err(JoinError::InvalidInvite);
                }
                // A concurrent join of the same user commits first on PostgreSQL: treat it as already joined
                // and roll back the use just taken.
                let inserted = sqlx::query(
                    "INSERT INTO members (guild_id, user_id, joined_at, is_temporary) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(guild_id.to_db())
                .bind(user_id.to_db())
                .bind(now_ms)
                .bind(invite.temporary)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if inserted == 1 {
                    tx.commit().await?;
                }
                (guild_id, inserted == 1)
            }
        });
        let (guild_id, is_new) = joined;
        let member = self
            .member(guild_id, user_id)
            .await?
            .ok_or(JoinError::Store(StoreError::NotFound))?;
        Ok(Joined {
            guild_id,
            member,
            is_new,
        })
    }
}
