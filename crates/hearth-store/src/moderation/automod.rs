//! AutoMod rules, and the alert messages their actions post.
//!
//! A rule's trigger metadata, actions and exempt lists are stored as JSON text in Discord's shapes
//! (the same keys as the API), written only from parsed `hearth_core::automod` values and rebuilt
//! from them with `from_trusted`. Every change writes its audit entry in the same transaction.

use hearth_core::automod::{
    Action, AutoModRule, Domain, EventType, Keyword, RegexPattern, RuleName, Trigger, TriggerType,
};
use hearth_core::{MessageKind, Snowflake};
use serde::{Deserialize, Serialize};

use crate::backend::{BeginWrite, DbRow, Store, on_reader, on_writer};
use crate::community::LOCK_GUILD;
use crate::moderation::{NewAuditEntry, insert_audit_in};
use crate::{MessageRecord, StoreError};

/// A stored rule with what the store adds to it.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoModRuleRecord {
    pub guild_id: Snowflake,
    pub creator_id: Option<Snowflake>,
    pub rule: AutoModRule,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewAutoModRule {
    pub guild_id: Snowflake,
    pub creator_id: Snowflake,
    pub rule: AutoModRule,
    pub now_ms: i64,
}

/// An alert to post in a rule's alert channel: a system message (type 24) in the name of the author
/// whose message triggered the rule, carrying that message's content.
#[derive(Debug, Clone)]
pub struct NewAutoModAlert {
    pub guild_id: Snowflake,
    pub channel_id: Snowflake,
    pub author_id: Snowflake,
    pub content: String,
    pub now_ms: i64,
}

/// Trigger metadata as stored: the API's field names, only those of the rule's type present.
#[derive(Debug, Default, Serialize, Deserialize)]
struct StoredTrigger {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    keyword_filter: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    regex_patterns: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    allow_list: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mention_total_limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    allow_guild_invites: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    allowed_domains: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    blocked_domains: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_messages: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_duplicates: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    interval_seconds: Option<u32>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredAction {
    #[serde(rename = "type")]
    kind: u8,
    #[serde(default)]
    metadata: StoredActionMetadata,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct StoredActionMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    custom_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    channel_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    duration_seconds: Option<u32>,
}

fn strings<T>(items: &[T], text: impl Fn(&T) -> &str) -> Vec<String> {
    items.iter().map(|i| text(i).to_owned()).collect()
}

fn trigger_json(trigger: &Trigger) -> String {
    let stored = match trigger {
        Trigger::Keyword {
            keywords,
            regex_patterns,
            allow_list,
        } => StoredTrigger {
            keyword_filter: strings(keywords, Keyword::as_str),
            regex_patterns: strings(regex_patterns, RegexPattern::as_str),
            allow_list: strings(allow_list, Keyword::as_str),
            ..StoredTrigger::default()
        },
        Trigger::MentionSpam {
            mention_total_limit,
        } => StoredTrigger {
            mention_total_limit: Some(*mention_total_limit),
            ..StoredTrigger::default()
        },
        Trigger::InviteLinks {
            allow_list,
            allow_guild_invites,
        } => StoredTrigger {
            allow_list: allow_list.clone(),
            allow_guild_invites: Some(*allow_guild_invites),
            ..StoredTrigger::default()
        },
        Trigger::Links {
            allowed_domains,
            blocked_domains,
        } => StoredTrigger {
            allowed_domains: strings(allowed_domains, Domain::as_str),
            blocked_domains: strings(blocked_domains, Domain::as_str),
            ..StoredTrigger::default()
        },
        Trigger::MessageSpam {
            max_messages,
            max_duplicates,
            interval_seconds,
        } => StoredTrigger {
            max_messages: *max_messages,
            max_duplicates: *max_duplicates,
            interval_seconds: Some(*interval_seconds),
            ..StoredTrigger::default()
        },
    };
    serde_json::to_string(&stored).unwrap_or_else(|_| "{}".to_owned())
}

fn decode_error(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored AutoMod rule has an unreadable {what}").into())
}

fn trigger_from_json(kind: TriggerType, json: &str) -> Result<Trigger, sqlx::Error> {
    let s: StoredTrigger =
        serde_json::from_str(json).map_err(|_| decode_error("trigger_metadata"))?;
    Ok(match kind {
        TriggerType::Keyword => Trigger::Keyword {
            keywords: s
                .keyword_filter
                .into_iter()
                .map(Keyword::from_trusted)
                .collect(),
            regex_patterns: s
                .regex_patterns
                .into_iter()
                .map(RegexPattern::from_trusted)
                .collect(),
            allow_list: s
                .allow_list
                .into_iter()
                .map(Keyword::from_trusted)
                .collect(),
        },
        TriggerType::MentionSpam => Trigger::MentionSpam {
            mention_total_limit: s.mention_total_limit.unwrap_or(0),
        },
        TriggerType::InviteLinks => Trigger::InviteLinks {
            allow_list: s.allow_list,
            allow_guild_invites: s.allow_guild_invites.unwrap_or(true),
        },
        TriggerType::Links => Trigger::Links {
            allowed_domains: s
                .allowed_domains
                .into_iter()
                .map(Domain::from_trusted)
                .collect(),
            blocked_domains: s
                .blocked_domains
                .into_iter()
                .map(Domain::from_trusted)
                .collect(),
        },
        TriggerType::MessageSpam => Trigger::MessageSpam {
            max_messages: s.max_messages,
            max_duplicates: s.max_duplicates,
            interval_seconds: s.interval_seconds.unwrap_or(1),
        },
    })
}

fn actions_json(actions: &[Action]) -> String {
    let stored: Vec<StoredAction> = actions
        .iter()
        .map(|action| {
            let metadata = match action {
                Action::BlockMessage { custom_message } => StoredActionMetadata {
                    custom_message: custom_message.clone(),
                    ..StoredActionMetadata::default()
                },
                Action::SendAlertMessage { channel_id } => StoredActionMetadata {
                    channel_id: Some(channel_id.to_string()),
                    ..StoredActionMetadata::default()
                },
                Action::Timeout { duration_seconds } => StoredActionMetadata {
                    duration_seconds: Some(*duration_seconds),
                    ..StoredActionMetadata::default()
                },
            };
            StoredAction {
                kind: action.kind(),
                metadata,
            }
        })
        .collect();
    serde_json::to_string(&stored).unwrap_or_else(|_| "[]".to_owned())
}

fn actions_from_json(json: &str) -> Result<Vec<Action>, sqlx::Error> {
    let stored: Vec<StoredAction> =
        serde_json::from_str(json).map_err(|_| decode_error("actions"))?;
    stored
        .into_iter()
        .map(|a| match a.kind {
            1 => Ok(Action::BlockMessage {
                custom_message: a.metadata.custom_message,
            }),
            2 => a
                .metadata
                .channel_id
                .and_then(|id| id.parse().ok())
                .map(|channel_id| Action::SendAlertMessage { channel_id })
                .ok_or_else(|| decode_error("alert channel")),
            3 => Ok(Action::Timeout {
                duration_seconds: a.metadata.duration_seconds.unwrap_or(0),
            }),
            _ => Err(decode_error("action type")),
        })
        .collect()
}

fn ids_json(ids: &[Snowflake]) -> String {
    let strings: Vec<String> = ids.iter().map(Snowflake::to_string).collect();
    serde_json::to_string(&strings).unwrap_or_else(|_| "[]".to_owned())
}

fn ids_from_json(json: &str) -> Result<Vec<Snowflake>, sqlx::Error> {
    let strings: Vec<String> = serde_json::from_str(json).map_err(|_| decode_error("id list"))?;
    strings
        .iter()
        .map(|s| s.parse().map_err(|_| decode_error("id")))
        .collect()
}

/// The columns `from_row` reads. A macro so queries are `&'static str` built at compile time.
macro_rules! rule_columns {
    () => {
        "id, guild_id, name, creator_id, event_type, trigger_type, trigger_metadata, actions, \
         enabled, exempt_roles, exempt_channels, created_at, updated_at"
    };
}

impl AutoModRuleRecord {
    fn from_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        let raw_trigger = row.int("trigger_type")?;
        let kind = TriggerType::from_wire(raw_trigger).map_err(|_| decode_error("trigger type"))?;
        let event_type =
            EventType::from_wire(row.int("event_type")?).map_err(|_| decode_error("event type"))?;
        Ok(Self {
            guild_id: Snowflake::from_db(row.int("guild_id")?),
            creator_id: row.opt_int("creator_id")?.map(Snowflake::from_db),
            rule: AutoModRule {
                id: Snowflake::from_db(row.int("id")?),
                name: RuleName::from_trusted(row.text("name")?),
                event_type,
                trigger: trigger_from_json(kind, &row.text("trigger_metadata")?)?,
                actions: actions_from_json(&row.text("actions")?)?,
                enabled: row.flag("enabled")?,
                exempt_roles: ids_from_json(&row.text("exempt_roles")?)?,
                exempt_channels: ids_from_json(&row.text("exempt_channels")?)?,
            },
            created_at: row.int("created_at")?,
            updated_at: row.int("updated_at")?,
        })
    }
}

impl Store {
    /// Creates a rule with its audit entry. The guild's count of rules of this trigger type is
    /// checked under the guild's row lock (`LimitReached` past
    /// [`TriggerType::max_per_guild`]); `NotFound` when the guild does not exist.
    pub async fn create_automod_rule(
        &self,
        new: &NewAutoModRule,
        audit: &NewAuditEntry,
    ) -> Result<AutoModRuleRecord, StoreError> {
        const INSERT: &str = concat!(
            "INSERT INTO automod_rules (",
            rule_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING ",
            rule_columns!()
        );
        let rule = &new.rule;
        let kind = rule.trigger.kind();
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let locked = sqlx::query(LOCK_GUILD)
                .bind(new.guild_id.to_db())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if locked == 0 {
                return Err(StoreError::NotFound);
            }
            let (count,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM automod_rules WHERE guild_id = $1 AND trigger_type = $2",
            )
            .bind(new.guild_id.to_db())
            .bind(i64::from(kind.as_wire()))
            .fetch_one(&mut *tx)
            .await?;
            if count >= i64::from(kind.max_per_guild()) {
                return Err(StoreError::LimitReached(
                    "AutoMod rules of this trigger type per guild",
                ));
            }
            let row = sqlx::query(INSERT)
                .bind(rule.id.to_db())
                .bind(new.guild_id.to_db())
                .bind(rule.name.as_str())
                .bind(new.creator_id.to_db())
                .bind(i64::from(rule.event_type.as_wire()))
                .bind(i64::from(kind.as_wire()))
                .bind(trigger_json(&rule.trigger))
                .bind(actions_json(&rule.actions))
                .bind(rule.enabled)
                .bind(ids_json(&rule.exempt_roles))
                .bind(ids_json(&rule.exempt_channels))
                .bind(new.now_ms)
                .fetch_one(&mut *tx)
                .await?;
            let record = AutoModRuleRecord::from_row(&row)?;
            insert_audit_in!(tx, audit);
            tx.commit().await?;
            Ok(record)
        })
    }

    /// Replaces a rule's fields (all but its id, guild, creator and trigger type, which never change)
    /// with its audit entry; `NotFound` when the guild has no such rule of that trigger type.
    pub async fn update_automod_rule(
        &self,
        guild_id: Snowflake,
        rule: &AutoModRule,
        now_ms: i64,
        audit: &NewAuditEntry,
    ) -> Result<AutoModRuleRecord, StoreError> {
        const UPDATE: &str = concat!(
            "UPDATE automod_rules SET name = $4, event_type = $5, trigger_metadata = $6, \
             actions = $7, enabled = $8, exempt_roles = $9, exempt_channels = $10, updated_at = $11 \
             WHERE id = $1 AND guild_id = $2 AND trigger_type = $3 RETURNING ",
            rule_columns!()
        );
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let row = sqlx::query(UPDATE)
                .bind(rule.id.to_db())
                .bind(guild_id.to_db())
                .bind(i64::from(rule.trigger.kind().as_wire()))
                .bind(rule.name.as_str())
                .bind(i64::from(rule.event_type.as_wire()))
                .bind(trigger_json(&rule.trigger))
                .bind(actions_json(&rule.actions))
                .bind(rule.enabled)
                .bind(ids_json(&rule.exempt_roles))
                .bind(ids_json(&rule.exempt_channels))
                .bind(now_ms)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(row) = row else {
                return Err(StoreError::NotFound);
            };
            let record = AutoModRuleRecord::from_row(&row)?;
            insert_audit_in!(tx, audit);
            tx.commit().await?;
            Ok(record)
        })
    }

    /// Deletes a rule with its audit entry; the rule as it was, or `None` (and no entry) when the
    /// guild has no such rule.
    pub async fn delete_automod_rule(
        &self,
        guild_id: Snowflake,
        rule_id: Snowflake,
        audit: &NewAuditEntry,
    ) -> Result<Option<AutoModRuleRecord>, StoreError> {
        const DELETE: &str = concat!(
            "DELETE FROM automod_rules WHERE id = $1 AND guild_id = $2 RETURNING ",
            rule_columns!()
        );
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let row = sqlx::query(DELETE)
                .bind(rule_id.to_db())
                .bind(guild_id.to_db())
                .fetch_optional(&mut *tx)
                .await?;
            let Some(row) = row else {
                return Ok(None);
            };
            let record = AutoModRuleRecord::from_row(&row)?;
            insert_audit_in!(tx, audit);
            tx.commit().await?;
            Ok(Some(record))
        })
    }

    /// A guild's rules, oldest first.
    pub async fn automod_rules(
        &self,
        guild_id: Snowflake,
    ) -> Result<Vec<AutoModRuleRecord>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            rule_columns!(),
            " FROM automod_rules WHERE guild_id = $1 ORDER BY id"
        );
        on_reader!(self, |db| {
            let rows = sqlx::query(SQL)
                .bind(guild_id.to_db())
                .fetch_all(db)
                .await?;
            Ok(rows
                .iter()
                .map(AutoModRuleRecord::from_row)
                .collect::<Result<_, _>>()?)
        })
    }

    pub async fn automod_rule(
        &self,
        guild_id: Snowflake,
        rule_id: Snowflake,
    ) -> Result<Option<AutoModRuleRecord>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            rule_columns!(),
            " FROM automod_rules WHERE id = $1 AND guild_id = $2"
        );
        on_reader!(self, |db| {
            let row = sqlx::query(SQL)
                .bind(rule_id.to_db())
                .bind(guild_id.to_db())
                .fetch_optional(db)
                .await?;
            Ok(row.map(|r| AutoModRuleRecord::from_row(&r)).transpose()?)
        })
    }

    /// Posts an alert in one transaction with its audit entry, under the channel's row lock like a
    /// send (so the channel's ids still increase in commit order), moving the channel's
    /// `last_message_id`. The alert mentions nobody. `NotFound` when the channel is not in the guild
    /// any more.
    pub async fn create_automod_alert(
        &self,
        alert: &NewAutoModAlert,
        next_id: &(dyn Fn() -> Snowflake + Sync),
        audit: &NewAuditEntry,
    ) -> Result<MessageRecord, StoreError> {
        const LOCK: &str =
            "UPDATE channels SET updated_at = updated_at WHERE id = $1 AND guild_id = $2";
        const INSERT: &str = "INSERT INTO messages (id, channel_id, guild_id, author_id, content, \
             kind, reference_id, mention_everyone, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL, FALSE, $7)";
        let id = on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let locked = sqlx::query(LOCK)
                .bind(alert.channel_id.to_db())
                .bind(alert.guild_id.to_db())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if locked == 0 {
                return Err(StoreError::NotFound);
            }
            let id = next_id();
            sqlx::query(INSERT)
                .bind(id.to_db())
                .bind(alert.channel_id.to_db())
                .bind(alert.guild_id.to_db())
                .bind(alert.author_id.to_db())
                .bind(&alert.content)
                .bind(i64::from(MessageKind::AutoModerationAction.as_wire()))
                .bind(alert.now_ms)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE channels SET last_message_id = $2 WHERE id = $1")
                .bind(alert.channel_id.to_db())
                .bind(id.to_db())
                .execute(&mut *tx)
                .await?;
            insert_audit_in!(tx, audit);
            tx.commit().await?;
            id
        });
        self.message(alert.channel_id, id, alert.author_id)
            .await?
            .ok_or(StoreError::NotFound)
    }
}
