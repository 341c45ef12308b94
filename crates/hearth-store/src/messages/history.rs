//! Reading messages: one message, pages of a channel's history, and the batched queries that fill in
//! mentions, reactions and replied-to messages for a whole page at once (no query per message).

use std::collections::HashMap;

use hearth_core::Snowflake;

use super::records::{HistoryPage, MessageRecord, ReactionCount, select_messages};
use crate::backend::{DbRow, Store, id_params, on_reader};
use crate::{AttachmentRecord, StoreError, UserRecord};

const MESSAGE_BY_ID: &str = concat!(select_messages!(), "WHERE m.channel_id = $1 AND m.id = $2");
const OLDER: &str = concat!(
    select_messages!(),
    "WHERE m.channel_id = $1 AND m.id < $2 ORDER BY m.id DESC LIMIT $3"
);
const NEWER: &str = concat!(
    select_messages!(),
    "WHERE m.channel_id = $1 AND m.id > $2 ORDER BY m.id ASC LIMIT $3"
);
const AT_OR_NEWER: &str = concat!(
    select_messages!(),
    "WHERE m.channel_id = $1 AND m.id >= $2 ORDER BY m.id ASC LIMIT $3"
);

/// Runs one page query (`channel`, `bound`, `limit`) and maps its rows.
macro_rules! page {
    ($db:ident, $sql:expr, $channel:expr, $bound:expr, $limit:expr) => {
        sqlx::query($sql)
            .bind($channel.to_db())
            .bind($bound)
            .bind(i64::from($limit))
            .fetch_all($db)
            .await?
            .iter()
            .map(MessageRecord::from_row)
            .collect::<Result<Vec<_>, _>>()?
    };
}

impl Store {
    /// One message of a channel, complete; `viewer` decides the reactions' `me`.
    pub async fn message(
        &self,
        channel_id: Snowflake,
        id: Snowflake,
        viewer: Snowflake,
    ) -> Result<Option<MessageRecord>, StoreError> {
        let found = on_reader!(self, |db| {
            sqlx::query(MESSAGE_BY_ID)
                .bind(channel_id.to_db())
                .bind(id.to_db())
                .fetch_optional(db)
                .await?
                .map(|row| MessageRecord::from_row(&row))
                .transpose()?
        });
        let Some(found) = found else {
            return Ok(None);
        };
        Ok(self.complete(vec![found], viewer).await?.pop())
    }

    /// A page of a channel's history, newest first, at most `limit` messages.
    pub async fn messages(
        &self,
        channel_id: Snowflake,
        page: HistoryPage,
        limit: u32,
        viewer: Snowflake,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        let messages = on_reader!(self, |db| {
            match page {
                HistoryPage::Latest => page!(db, OLDER, channel_id, i64::MAX, limit),
                HistoryPage::Before(id) => page!(db, OLDER, channel_id, id.to_db(), limit),
                HistoryPage::After(id) => {
                    let mut newer = page!(db, NEWER, channel_id, id.to_db(), limit);
                    newer.reverse();
                    newer
                }
                HistoryPage::Around(id) => {
                    // Discord's split: the older half rounds down, the id itself counts as newer.
                    let older_count = limit / 2;
                    let mut newer =
                        page!(db, AT_OR_NEWER, channel_id, id.to_db(), limit - older_count);
                    newer.reverse();
                    if older_count > 0 {
                        newer.extend(page!(db, OLDER, channel_id, id.to_db(), older_count));
                    }
                    newer
                }
            }
        });
        self.complete(messages, viewer).await
    }

    /// Fills in mentions, role mentions and reactions for `messages`, and each reply's original (itself
    /// filled in the same way, without going further). A fixed number of queries whatever the count.
    pub(crate) async fn complete(
        &self,
        mut messages: Vec<MessageRecord>,
        viewer: Snowflake,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        self.attach_details(&mut messages, viewer).await?;
        let mut originals: HashMap<Snowflake, MessageRecord> = HashMap::new();
        let mut wanted: Vec<Snowflake> = Vec::new();
        for reference in messages.iter().filter_map(|m| m.reference_id) {
            if let Some(original) = messages.iter().find(|m| m.id == reference) {
                originals.insert(reference, original.clone());
            } else if !wanted.contains(&reference) {
                wanted.push(reference);
            }
        }
        if !wanted.is_empty() {
            let mut fetched = self.messages_by_ids(&wanted).await?;
            self.attach_details(&mut fetched, viewer).await?;
            originals.extend(fetched.into_iter().map(|m| (m.id, m)));
        }
        for message in &mut messages {
            message.referenced = message
                .reference_id
                .and_then(|id| originals.get(&id))
                .map(|original| Box::new(original.clone()));
        }
        Ok(messages)
    }

    /// Messages by id, in no particular order, without their details.
    async fn messages_by_ids(&self, ids: &[Snowflake]) -> Result<Vec<MessageRecord>, StoreError> {
        let sql = format!(
            "{}WHERE m.id IN ({})",
            select_messages!(),
            id_params(1, ids.len())
        );
        on_reader!(self, |db| {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in ids {
                query = query.bind(id.to_db());
            }
            Ok(query
                .fetch_all(db)
                .await?
                .iter()
                .map(MessageRecord::from_row)
                .collect::<Result<_, _>>()?)
        })
    }

    /// Four queries for the whole slice: user mentions, role mentions, reaction counts, attachments.
    async fn attach_details(
        &self,
        messages: &mut [MessageRecord],
        viewer: Snowflake,
    ) -> Result<(), StoreError> {
        if messages.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = messages.iter().map(|m| m.id.to_db()).collect();
        let list = id_params(1, ids.len());
        let mentions_sql = format!(
            "SELECT mm.message_id AS mentioned_in, {} FROM message_mentions mm \
             JOIN users u ON u.id = mm.user_id WHERE mm.message_id IN ({list}) ORDER BY u.id",
            crate::records::user_columns!("u.")
        );
        let roles_sql = format!(
            "SELECT message_id, role_id FROM message_role_mentions WHERE message_id IN ({list}) \
             ORDER BY role_id"
        );
        // The viewer's id goes last so the id list keeps its numbering.
        let reactions_sql = format!(
            "SELECT message_id, emoji, COUNT(*) AS count, COUNT(*) FILTER (WHERE user_id = ${}) AS mine, \
             MIN(created_at) AS first_at FROM reactions WHERE message_id IN ({list}) \
             GROUP BY message_id, emoji ORDER BY first_at, emoji",
            ids.len() + 1
        );
        let attachments_sql = format!(
            "SELECT {} FROM attachments a WHERE a.message_id IN ({list}) ORDER BY a.message_id, a.position",
            crate::media::attachment_columns!()
        );
        let mut attachments: HashMap<Snowflake, Vec<AttachmentRecord>> = HashMap::new();
        let mut mentions: HashMap<Snowflake, Vec<UserRecord>> = HashMap::new();
        let mut roles: HashMap<Snowflake, Vec<Snowflake>> = HashMap::new();
        let mut reactions: HashMap<Snowflake, Vec<ReactionCount>> = HashMap::new();
        on_reader!(self, |db| {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(mentions_sql));
            for id in &ids {
                query = query.bind(*id);
            }
            for row in query.fetch_all(db).await? {
                mentions
                    .entry(Snowflake::from_db(row.int("mentioned_in")?))
                    .or_default()
                    .push(UserRecord::from_row(&row)?);
            }
            let mut query = sqlx::query(sqlx::AssertSqlSafe(roles_sql));
            for id in &ids {
                query = query.bind(*id);
            }
            for row in query.fetch_all(db).await? {
                roles
                    .entry(Snowflake::from_db(row.int("message_id")?))
                    .or_default()
                    .push(Snowflake::from_db(row.int("role_id")?));
            }
            let mut query = sqlx::query(sqlx::AssertSqlSafe(reactions_sql));
            for id in &ids {
                query = query.bind(*id);
            }
            let mut attachment_query = sqlx::query(sqlx::AssertSqlSafe(attachments_sql));
            for id in &ids {
                attachment_query = attachment_query.bind(*id);
            }
            for row in attachment_query.fetch_all(db).await? {
                let attachment = AttachmentRecord::from_row(&row)?;
                if let Some(message_id) = attachment.message_id {
                    attachments.entry(message_id).or_default().push(attachment);
                }
            }
            for row in query.bind(viewer.to_db()).fetch_all(db).await? {
                reactions
                    .entry(Snowflake::from_db(row.int("message_id")?))
                    .or_default()
                    .push(ReactionCount {
                        emoji: row.text("emoji")?,
                        count: u32::try_from(row.int("count")?).unwrap_or(u32::MAX),
                        me: row.int("mine")? > 0,
                    });
            }
        });
        for message in messages {
            message.mentions = mentions.remove(&message.id).unwrap_or_default();
            message.mention_roles = roles.remove(&message.id).unwrap_or_default();
            message.reactions = reactions.remove(&message.id).unwrap_or_default();
            message.attachments = attachments.remove(&message.id).unwrap_or_default();
        }
        Ok(())
    }
}
