//! Logical snapshots of the whole database, for `hearth backup` and `hearth restore`.
//!
//! A snapshot is every row of every table, read inside one read transaction (so it is consistent while
//! the server keeps writing) and written as JSON values per declared column. The format does not depend
//! on the backend: a backup taken on SQLite restores onto PostgreSQL and back. Restore loads the rows
//! into the schema version the backup was taken at and then runs the newer migrations.

use futures_util::TryStreamExt;
use serde_json::Value;

use crate::StoreError;
use crate::backend::{BeginSnapshot, BeginWrite, DbRow, Store, on_reader, on_writer};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Int,
    Text,
    Bool,
}

#[derive(Debug)]
pub struct TableSchema {
    pub name: &'static str,
    pub columns: &'static [(&'static str, ColumnType)],
}

use ColumnType::{Bool, Int, Text};

/// Every table, parents before children (restore inserts in this order). Architecture invariant: a
/// migration that adds a table or column updates this list; the snapshot tests fail otherwise.
pub const TABLES: &[TableSchema] = &[
    TableSchema {
        name: "users",
        columns: &[
            ("id", Int),
            ("username", Text),
            ("username_key", Text),
            ("global_name", Text),
            ("bio", Text),
            ("pronouns", Text),
            ("avatar", Text),
            ("banner", Text),
            ("password_hash", Text),
            ("is_admin", Bool),
            ("is_owner", Bool),
            ("is_bot", Bool),
            ("disabled", Bool),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    },
    TableSchema {
        name: "sessions",
        columns: &[
            ("id", Int),
            ("user_id", Int),
            ("token_hash", Text),
            ("created_at", Int),
            ("last_used_at", Int),
            ("ip", Text),
            ("client", Text),
        ],
    },
    TableSchema {
        name: "instance_invites",
        columns: &[
            ("code", Text),
            ("created_by", Int),
            ("created_at", Int),
            ("expires_at", Int),
            ("max_uses", Int),
            ("uses", Int),
        ],
    },
    TableSchema {
        name: "instance_settings",
        columns: &[("key", Text), ("value", Text)],
    },
    TableSchema {
        name: "guilds",
        columns: &[
            ("id", Int),
            ("name", Text),
            ("description", Text),
            ("owner_id", Int),
            ("system_channel_id", Int),
            ("default_message_notifications", Int),
            ("verification_level", Int),
            ("explicit_content_filter", Int),
            ("icon", Text),
            ("banner", Text),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    },
    TableSchema {
        name: "roles",
        columns: &[
            ("id", Int),
            ("guild_id", Int),
            ("name", Text),
            ("color", Int),
            ("hoist", Bool),
            ("mentionable", Bool),
            ("position", Int),
            ("permissions", Int),
            ("icon", Text),
            ("created_at", Int),
        ],
    },
    TableSchema {
        name: "channels",
        columns: &[
            ("id", Int),
            ("guild_id", Int),
            ("type", Int),
            ("name", Text),
            ("topic", Text),
            ("position", Int),
            ("parent_id", Int),
            ("nsfw", Bool),
            ("rate_limit_per_user", Int),
            ("bitrate", Int),
            ("user_limit", Int),
            ("created_at", Int),
            ("updated_at", Int),
            ("last_message_id", Int),
        ],
    },
    TableSchema {
        name: "attachments",
        columns: &[
            ("id", Int),
            ("message_id", Int),
            ("channel_id", Int),
            ("uploader_id", Int),
            ("position", Int),
            ("filename", Text),
            ("description", Text),
            ("content_type", Text),
            ("size", Int),
            ("width", Int),
            ("height", Int),
            ("placeholder", Text),
            ("duration_ms", Int),
            ("flags", Int),
            ("state", Int),
            ("thumbnails", Text),
            ("created_at", Int),
        ],
    },
    TableSchema {
        name: "guild_emojis",
        columns: &[
            ("id", Int),
            ("guild_id", Int),
            ("name", Text),
            ("animated", Bool),
            ("format", Text),
            ("creator_id", Int),
            ("created_at", Int),
        ],
    },
    TableSchema {
        name: "guild_emoji_roles",
        columns: &[("emoji_id", Int), ("role_id", Int)],
    },
    TableSchema {
        name: "secrets",
        columns: &[("name", Text), ("value", Text)],
    },
    TableSchema {
        name: "blob_deletions",
        columns: &[("prefix", Text)],
    },
    TableSchema {
        name: "channel_overwrites",
        columns: &[
            ("channel_id", Int),
            ("target_id", Int),
            ("kind", Int),
            ("allow_bits", Int),
            ("deny_bits", Int),
        ],
    },
    TableSchema {
        name: "members",
        columns: &[
            ("guild_id", Int),
            ("user_id", Int),
            ("nick", Text),
            ("joined_at", Int),
            ("is_temporary", Bool),
            ("communication_disabled_until", Int),
        ],
    },
    TableSchema {
        name: "member_roles",
        columns: &[("guild_id", Int), ("user_id", Int), ("role_id", Int)],
    },
    TableSchema {
        name: "guild_invites",
        columns: &[
            ("code", Text),
            ("guild_id", Int),
            ("channel_id", Int),
            ("inviter_id", Int),
            ("created_at", Int),
            ("max_age", Int),
            ("expires_at", Int),
            ("max_uses", Int),
            ("uses", Int),
            ("temporary", Bool),
        ],
    },
    TableSchema {
        name: "guild_bans",
        columns: &[
            ("guild_id", Int),
            ("user_id", Int),
            ("reason", Text),
            ("banned_by", Int),
            ("created_at", Int),
        ],
    },
    TableSchema {
        name: "messages",
        columns: &[
            ("id", Int),
            ("channel_id", Int),
            ("guild_id", Int),
            ("author_id", Int),
            ("content", Text),
            ("kind", Int),
            ("reference_id", Int),
            ("mention_everyone", Bool),
            ("pinned_at", Int),
            ("edited_at", Int),
            ("created_at", Int),
            ("embeds", Text),
        ],
    },
    TableSchema {
        name: "message_mentions",
        columns: &[("message_id", Int), ("user_id", Int)],
    },
    TableSchema {
        name: "message_role_mentions",
        columns: &[("message_id", Int), ("role_id", Int)],
    },
    TableSchema {
        name: "message_nonces",
        columns: &[
            ("channel_id", Int),
            ("author_id", Int),
            ("nonce", Text),
            ("message_id", Int),
            ("created_at", Int),
        ],
    },
    TableSchema {
        name: "reactions",
        columns: &[
            ("message_id", Int),
            ("emoji", Text),
            ("user_id", Int),
            ("created_at", Int),
        ],
    },
    TableSchema {
        name: "read_states",
        columns: &[
            ("user_id", Int),
            ("channel_id", Int),
            ("last_message_id", Int),
        ],
    },
    TableSchema {
        name: "audit_log",
        columns: &[
            ("id", Int),
            ("guild_id", Int),
            ("user_id", Int),
            ("action_type", Int),
            ("target_id", Int),
            ("reason", Text),
            ("changes", Text),
            ("options", Text),
        ],
    },
    TableSchema {
        name: "member_warnings",
        columns: &[
            ("id", Int),
            ("guild_id", Int),
            ("user_id", Int),
            ("moderator_id", Int),
            ("reason", Text),
            ("created_at", Int),
        ],
    },
    TableSchema {
        name: "automod_rules",
        columns: &[
            ("id", Int),
            ("guild_id", Int),
            ("name", Text),
            ("creator_id", Int),
            ("event_type", Int),
            ("trigger_type", Int),
            ("trigger_metadata", Text),
            ("actions", Text),
            ("enabled", Bool),
            ("exempt_roles", Text),
            ("exempt_channels", Text),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    },
    TableSchema {
        name: "reports",
        columns: &[
            ("id", Int),
            ("guild_id", Int),
            ("reporter_id", Int),
            ("target_user_id", Int),
            ("channel_id", Int),
            ("message_id", Int),
            ("message_content", Text),
            ("category", Text),
            ("reason", Text),
            ("status", Int),
            ("assignee_id", Int),
            ("escalated", Bool),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    },
    TableSchema {
        name: "report_notes",
        columns: &[
            ("id", Int),
            ("report_id", Int),
            ("author_id", Int),
            ("content", Text),
            ("created_at", Int),
        ],
    },
    TableSchema {
        name: "vote_settings",
        columns: &[
            ("guild_id", Int),
            ("enabled", Bool),
            ("quorum", Int),
            ("majority_percent", Int),
            ("duration_seconds", Int),
            ("timeout_seconds", Int),
        ],
    },
    TableSchema {
        name: "moderation_votes",
        columns: &[
            ("id", Int),
            ("guild_id", Int),
            ("channel_id", Int),
            ("target_id", Int),
            ("initiator_id", Int),
            ("reason", Text),
            ("quorum", Int),
            ("majority_percent", Int),
            ("timeout_seconds", Int),
            ("status", Int),
            ("created_at", Int),
            ("ends_at", Int),
            ("closed_at", Int),
        ],
    },
    TableSchema {
        name: "moderation_ballots",
        columns: &[
            ("vote_id", Int),
            ("user_id", Int),
            ("in_favour", Bool),
            ("created_at", Int),
        ],
    },
    TableSchema {
        name: "instance_audit_log",
        columns: &[
            ("id", Int),
            ("user_id", Int),
            ("action", Text),
            ("target_id", Int),
            ("reason", Text),
            ("changes", Text),
        ],
    },
    TableSchema {
        name: "announcements",
        columns: &[
            ("id", Int),
            ("author_id", Int),
            ("title", Text),
            ("content", Text),
            ("created_at", Int),
            ("expires_at", Int),
        ],
    },
];

/// The tables and columns that migrations after the first added, with the version that added each
/// (`None`: the whole table). A snapshot taken at an older version has none of them, so restore
/// neither expects nor writes them, and the later migrations run on the restored rows.
const ADDED_IN: &[(&str, Option<&str>, i64)] = &[
    ("guilds", None, 2),
    ("roles", None, 2),
    ("channels", None, 2),
    ("channel_overwrites", None, 2),
    ("members", None, 2),
    ("member_roles", None, 2),
    ("guild_invites", None, 2),
    ("guild_bans", None, 2),
    ("channels", Some("last_message_id"), 3),
    ("messages", None, 3),
    ("message_mentions", None, 3),
    ("message_role_mentions", None, 3),
    ("message_nonces", None, 3),
    ("reactions", None, 3),
    ("read_states", None, 3),
    ("audit_log", None, 4),
    ("member_warnings", None, 4),
    ("automod_rules", None, 4),
    ("reports", None, 4),
    ("report_notes", None, 4),
    ("vote_settings", None, 4),
    ("moderation_votes", None, 4),
    ("moderation_ballots", None, 4),
    ("instance_audit_log", None, 4),
    ("announcements", None, 4),
    ("users", Some("avatar"), 5),
    ("users", Some("banner"), 5),
    ("guilds", Some("icon"), 5),
    ("guilds", Some("banner"), 5),
    ("roles", Some("icon"), 5),
    ("messages", Some("embeds"), 5),
    ("attachments", None, 5),
    ("guild_emojis", None, 5),
    ("guild_emoji_roles", None, 5),
    ("blob_deletions", None, 5),
    ("secrets", None, 5),
];

/// Whether the schema at `version` has the table (`column: None`) or the column.
fn exists_at(table: &str, column: Option<&str>, version: i64) -> bool {
    ADDED_IN
        .iter()
        .filter(|(t, c, _)| *t == table && (c.is_none() || *c == column))
        .all(|(_, _, added)| *added <= version)
}

/// The columns of `table` that the schema at `version` has, in snapshot order.
fn columns_at(table: &TableSchema, version: i64) -> Vec<(&'static str, ColumnType)> {
    table
        .columns
        .iter()
        .filter(|(name, _)| exists_at(table.name, Some(name), version))
        .copied()
        .collect()
}

pub fn table(name: &str) -> Option<&'static TableSchema> {
    TABLES.iter().find(|t| t.name == name)
}

fn select_sql(table: &TableSchema, kind: crate::BackendKind) -> String {
    let columns: Vec<_> = table.columns.iter().map(|(c, _)| *c).collect();
    // Ordered by the first column (the primary key) so that snapshots of equal data are equal files. Text
    // keys sort bytewise on PostgreSQL too, whatever the cluster's locale, to match SQLite.
    let collate = match (table.columns[0].1, kind) {
        (Text, crate::BackendKind::Postgres) => " COLLATE \"C\"",
        _ => "",
    };
    format!(
        "SELECT {} FROM {} ORDER BY {}{collate}",
        columns.join(", "),
        table.name,
        columns[0]
    )
}

fn row_values(row: &impl DbRow, table: &TableSchema) -> Result<Vec<Value>, sqlx::Error> {
    table
        .columns
        .iter()
        .map(|(name, ty)| {
            Ok(match ty {
                Int => row.opt_int(name)?.map(Value::from).unwrap_or(Value::Null),
                Text => row.opt_text(name)?.map(Value::from).unwrap_or(Value::Null),
                Bool => row.opt_flag(name)?.map(Value::from).unwrap_or(Value::Null),
            })
        })
        .collect()
}

/// One table's rows as [`Store::import_snapshot`] reads them: one at a time, so that restoring a large
/// table never holds it all in memory.
pub type Rows = Box<dyn Iterator<Item = std::io::Result<Vec<Value>>> + Send>;

impl Store {
    /// Streams every row of every table to `sink` from one consistent read snapshot. Returns the schema
    /// version the rows belong to.
    pub async fn export_snapshot(
        &self,
        sink: &mut (dyn FnMut(&'static TableSchema, Vec<Value>) -> std::io::Result<()> + Send),
    ) -> Result<i64, StoreError> {
        let version = self.schema_version().await?;
        let io = |e: std::io::Error| StoreError::Snapshot(e.to_string());
        let kind = self.kind();
        on_reader!(self, |db| {
            let mut tx = db.begin_snapshot().await?;
            for table in TABLES {
                let sql = select_sql(table, kind);
                let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch(&mut *tx);
                while let Some(row) = rows.try_next().await? {
                    sink(table, row_values(&row, table)?).map_err(io)?;
                }
            }
            tx.rollback().await?;
        });
        Ok(version)
    }

    /// True when no table holds a row: restore refuses to merge into live data.
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let version = self.schema_version().await?;
        for table in TABLES.iter().filter(|t| exists_at(t.name, None, version)) {
            let sql = format!("SELECT COUNT(*) FROM {}", table.name);
            let (n,): (i64,) = on_reader!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .fetch_one(db)
                .await?);
            if n > 0 {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Loads a snapshot taken at `version` into this (empty) database in one transaction, then migrates
    /// to the newest schema. `source` is called for each table in [`TABLES`] order.
    pub async fn import_snapshot(
        &self,
        version: i64,
        source: &mut (dyn FnMut(&'static TableSchema) -> std::io::Result<Rows> + Send),
    ) -> Result<u64, StoreError> {
        if version > crate::migrations::latest_version() {
            return Err(StoreError::Snapshot(format!(
                "the backup has schema version {version}, newer than this binary's {}; upgrade Hearth first",
                crate::migrations::latest_version()
            )));
        }
        self.migrate_to(version).await?;
        if !self.is_empty().await? {
            return Err(StoreError::Snapshot(
                "the target database is not empty".into(),
            ));
        }
        let mut restored = 0u64;
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            for table in TABLES.iter().filter(|t| exists_at(t.name, None, version)) {
                let rows = source(table).map_err(|e| StoreError::Snapshot(e.to_string()))?;
                let schema = columns_at(table, version);
                let columns: Vec<_> = schema.iter().map(|(c, _)| *c).collect();
                let params: Vec<_> = (1..=columns.len()).map(|i| format!("${i}")).collect();
                let sql = format!(
                    "INSERT INTO {} ({}) VALUES ({})",
                    table.name,
                    columns.join(", "),
                    params.join(", ")
                );
                for row in rows {
                    let row = row.map_err(|e| StoreError::Snapshot(e.to_string()))?;
                    if row.len() != schema.len() {
                        return Err(StoreError::Snapshot(format!(
                            "a row of {} has the wrong width",
                            table.name
                        )));
                    }
                    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
                    for ((name, ty), value) in schema.iter().zip(row) {
                        let bad = || {
                            StoreError::Snapshot(format!(
                                "{}.{name} holds a value of the wrong type",
                                table.name
                            ))
                        };
                        query = match (ty, value) {
                            (Int, Value::Null) => query.bind(None::<i64>),
                            (Int, v) => query.bind(Some(v.as_i64().ok_or_else(bad)?)),
                            (Text, Value::Null) => query.bind(None::<String>),
                            (Text, Value::String(s)) => query.bind(Some(s)),
                            (Bool, Value::Null) => query.bind(None::<bool>),
                            (Bool, Value::Bool(b)) => query.bind(Some(b)),
                            _ => return Err(bad()),
                        };
                    }
                    query.execute(&mut *tx).await?;
                    restored += 1;
                }
            }
            tx.commit().await?;
        });
        self.migrate().await?;
        Ok(restored)
    }
}
