//! Members: listing, nicknames, role assignment, leaving and removal.

use std::collections::HashMap;

use hearth_core::Snowflake;

use super::records::{MemberRecord, MemberUpdate};
use crate::backend::{BeginWrite, DbRow, Store, id_params, on_reader, on_writer};
use crate::moderation::{NewAuditEntry, insert_audit_in};
use crate::{StoreError, UserRecord};

/// Member columns joined with the user's (`m` and `u`). A macro so queries are built at compile time.
macro_rules! member_columns {
    () => {
        concat!(
            "m.guild_id, m.nick, m.joined_at, m.is_temporary, m.communication_disabled_until, ",
            $crate::records::user_columns!("u.")
        )
    };
}
pub(crate) use member_columns;

/// Deletes a membership and the member's overwrites on the guild's channels inside the caller's
/// transaction `$tx` (shared by leave, kick and ban); evaluates to whether they were a member. A macro
/// because it runs on either driver's transaction.
macro_rules! remove_member_in {
    ($tx:ident, $guild_id:expr, $user_id:expr) => {{
        sqlx::query(
            "DELETE FROM channel_overwrites WHERE target_id = $2 AND kind = 1 \
             AND channel_id IN (SELECT id FROM channels WHERE guild_id = $1)",
        )
        .bind($guild_id.to_db())
        .bind($user_id.to_db())
        .execute(&mut *$tx)
        .await?;
        sqlx::query("DELETE FROM members WHERE guild_id = $1 AND user_id = $2")
            .bind($guild_id.to_db())
            .bind($user_id.to_db())
            .execute(&mut *$tx)
            .await?
            .rows_affected()
            == 1
    }};
}
pub(crate) use remove_member_in;

impl MemberRecord {
    /// The row without its roles, which come from a second query.
    pub(crate) fn from_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            guild_id: Snowflake::from_db(row.int("guild_id")?),
            user: UserRecord::from_row(row)?,
            nick: row.opt_text("nick")?,
            joined_at: row.int("joined_at")?,
            is_temporary: row.flag("is_temporary")?,
            communication_disabled_until: row.opt_int("communication_disabled_until")?,
            roles: Vec::new(),
        })
    }
}

/// Ids per `members_by_ids` query: far below either database's parameter limit.
const MEMBER_BATCH: usize = 500;

/// Inserts the role assignments of a member, skipping those already present.
const ADD_ROLE: &str = "INSERT INTO member_roles (guild_id, user_id, role_id) VALUES ($1, $2, $3) \
     ON CONFLICT DO NOTHING";
/// A member who is given a role stops being temporary (Discord's rule for temporary invites).
const MAKE_PERMANENT: &str =
    "UPDATE members SET is_temporary = FALSE WHERE guild_id = $1 AND user_id = $2";

impl Store {
    /// Members in user-id order after `after`, at most `limit`, with their roles (two queries in all).
    pub async fn members_of_guild(
        &self,
        guild_id: Snowflake,
        after: Snowflake,
        limit: u32,
    ) -> Result<Vec<MemberRecord>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            member_columns!(),
            " FROM members m JOIN users u ON u.id = m.user_id \
             WHERE m.guild_id = $1 AND m.user_id > $2 ORDER BY m.user_id LIMIT $3"
        );
        const ROLES: &str = "SELECT user_id, role_id FROM member_roles \
             WHERE guild_id = $1 AND user_id > $2 AND user_id <= $3";
        on_reader!(self, |db| {
            let rows = sqlx::query(SQL)
                .bind(guild_id.to_db())
                .bind(after.to_db())
                .bind(i64::from(limit))
                .fetch_all(db)
                .await?;
            let mut members = rows
                .iter()
                .map(MemberRecord::from_row)
                .collect::<Result<Vec<_>, _>>()?;
            let Some(last) = members.last().map(|m| m.user.id) else {
                return Ok(members);
            };
            let role_rows = sqlx::query(ROLES)
                .bind(guild_id.to_db())
                .bind(after.to_db())
                .bind(last.to_db())
                .fetch_all(db)
                .await?;
            let mut roles: HashMap<Snowflake, Vec<Snowflake>> = HashMap::new();
            for row in &role_rows {
                roles
                    .entry(Snowflake::from_db(row.int("user_id")?))
                    .or_default()
                    .push(Snowflake::from_db(row.int("role_id")?));
            }
            for member in &mut members {
                member.roles = roles.remove(&member.user.id).unwrap_or_default();
            }
            Ok(members)
        })
    }

    /// The members among `user_ids` (others are skipped), with their roles: two queries per batch of
    /// [`MEMBER_BATCH`] ids, however many are asked for.
    pub async fn members_by_ids(
        &self,
        guild_id: Snowflake,
        user_ids: &[Snowflake],
    ) -> Result<Vec<MemberRecord>, StoreError> {
        let mut members = Vec::with_capacity(user_ids.len());
        for batch in user_ids.chunks(MEMBER_BATCH) {
            let list = id_params(2, batch.len());
            let sql = format!(
                "SELECT {} FROM members m JOIN users u ON u.id = m.user_id \
                 WHERE m.guild_id = $1 AND m.user_id IN ({list})",
                member_columns!()
            );
            let roles_sql = format!(
                "SELECT user_id, role_id FROM member_roles WHERE guild_id = $1 AND user_id IN ({list})"
            );
            let (rows, role_rows) = on_reader!(self, |db| {
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(guild_id.to_db());
                let mut roles = sqlx::query(sqlx::AssertSqlSafe(roles_sql)).bind(guild_id.to_db());
                for id in batch {
                    query = query.bind(id.to_db());
                    roles = roles.bind(id.to_db());
                }
                let rows = query
                    .fetch_all(db)
                    .await?
                    .iter()
                    .map(MemberRecord::from_row)
                    .collect::<Result<Vec<_>, _>>()?;
                let mut by_user: HashMap<Snowflake, Vec<Snowflake>> = HashMap::new();
                for row in roles.fetch_all(db).await? {
                    by_user
                        .entry(Snowflake::from_db(row.int("user_id")?))
                        .or_default()
                        .push(Snowflake::from_db(row.int("role_id")?));
                }
                Ok::<_, StoreError>((rows, by_user))
            })?;
            let mut role_rows = role_rows;
            for mut member in rows {
                member.roles = role_rows.remove(&member.user.id).unwrap_or_default();
                members.push(member);
            }
        }
        Ok(members)
    }

    /// Applies a nickname, role-set and/or timeout change with its audit entries (none, one, or one
    /// per kind of change), in one transaction; returns the member as it is afterwards, or `NotFound`
    /// when they are not a member (and then nothing, entries included, is written). Role ids must
    /// already be known to belong to the guild.
    pub async fn update_member(
        &self,
        guild_id: Snowflake,
        user_id: Snowflake,
        update: &MemberUpdate,
        audits: &[NewAuditEntry],
    ) -> Result<MemberRecord, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let found = sqlx::query(
                "UPDATE members SET nick = CASE WHEN $3 THEN $4 ELSE nick END, \
                 communication_disabled_until = CASE WHEN $5 THEN $6 \
                 ELSE communication_disabled_until END \
                 WHERE guild_id = $1 AND user_id = $2",
            )
            .bind(guild_id.to_db())
            .bind(user_id.to_db())
            .bind(update.nick.is_some())
            .bind(update.nick.clone().flatten())
            .bind(update.communication_disabled_until.is_some())
            .bind(update.communication_disabled_until.flatten())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if found == 0 {
                return Err(StoreError::NotFound);
            }
            if let Some(roles) = &update.roles {
                sqlx::query("DELETE FROM member_roles WHERE guild_id = $1 AND user_id = $2")
                    .bind(guild_id.to_db())
                    .bind(user_id.to_db())
                    .execute(&mut *tx)
                    .await?;
                for role in roles {
                    sqlx::query(ADD_ROLE)
                        .bind(guild_id.to_db())
                        .bind(user_id.to_db())
                        .bind(role.to_db())
                        .execute(&mut *tx)
                        .await?;
                }
                if !roles.is_empty() {
                    sqlx::query(MAKE_PERMANENT)
                        .bind(guild_id.to_db())
                        .bind(user_id.to_db())
                        .execute(&mut *tx)
                        .await?;
                }
            }
            for audit in audits {
                insert_audit_in!(tx, audit);
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.member(guild_id, user_id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Times a member out until `until` (unix ms), or lifts the timeout (`None`), with its audit
    /// entry; the member afterwards, or `NotFound`.
    pub async fn set_member_timeout(
        &self,
        guild_id: Snowflake,
        user_id: Snowflake,
        until: Option<i64>,
        audit: &NewAuditEntry,
    ) -> Result<MemberRecord, StoreError> {
        let update = MemberUpdate {
            communication_disabled_until: Some(until),
            ..MemberUpdate::default()
        };
        self.update_member(guild_id, user_id, &update, std::slice::from_ref(audit))
            .await
    }

    /// Gives a member a role of the same guild. `Ok(false)` when they already had it; `NotFound` when
    /// the member or the role (in this guild) does not exist.
    pub async fn add_member_role(
        &self,
        guild_id: Snowflake,
        user_id: Snowflake,
        role_id: Snowflake,
        audit: &NewAuditEntry,
    ) -> Result<bool, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let role: Option<(i64,)> = sqlx::query_as(
                "SELECT id FROM roles WHERE id = $1 AND guild_id = $2 AND id <> guild_id",
            )
            .bind(role_id.to_db())
            .bind(guild_id.to_db())
            .fetch_optional(&mut *tx)
            .await?;
            let member: Option<(i64,)> =
                sqlx::query_as("SELECT user_id FROM members WHERE guild_id = $1 AND user_id = $2")
                    .bind(guild_id.to_db())
                    .bind(user_id.to_db())
                    .fetch_optional(&mut *tx)
                    .await?;
            if role.is_none() || member.is_none() {
                return Err(StoreError::NotFound);
            }
            let added = sqlx::query(ADD_ROLE)
                .bind(guild_id.to_db())
                .bind(user_id.to_db())
                .bind(role_id.to_db())
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
            sqlx::query(MAKE_PERMANENT)
                .bind(guild_id.to_db())
                .bind(user_id.to_db())
                .execute(&mut *tx)
                .await?;
            if added {
                insert_audit_in!(tx, audit);
            }
            tx.commit().await?;
            Ok(added)
        })
    }

    /// Takes a role from a member, with its audit entry; `false` (and no entry) when they did not
    /// have it.
    pub async fn remove_member_role(
        &self,
        guild_id: Snowflake,
        user_id: Snowflake,
        role_id: Snowflake,
        audit: &NewAuditEntry,
    ) -> Result<bool, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let n = sqlx::query(
                "DELETE FROM member_roles WHERE guild_id = $1 AND user_id = $2 AND role_id = $3",
            )
            .bind(guild_id.to_db())
            .bind(user_id.to_db())
            .bind(role_id.to_db())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 1 {
                insert_audit_in!(tx, audit);
            }
            tx.commit().await?;
            Ok(n == 1)
        })
    }

    /// Kicks a member, with the audit entry; `false` (and no entry) when they were not a member.
    pub async fn kick_member(
        &self,
        guild_id: Snowflake,
        user_id: Snowflake,
        audit: &NewAuditEntry,
    ) -> Result<bool, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let removed = remove_member_in!(tx, guild_id, user_id);
            if removed {
                insert_audit_in!(tx, audit);
            }
            tx.commit().await?;
            Ok(removed)
        })
    }

    /// Removes a member (leaving or kicked) with their roles and member overwrites; `false` when they
    /// were not a member.
    pub async fn remove_member(
        &self,
        guild_id: Snowflake,
        user_id: Snowflake,
    ) -> Result<bool, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let removed = remove_member_in!(tx, guild_id, user_id);
            tx.commit().await?;
            Ok(removed)
        })
    }
}
