//! Message rows as the store hands them out and takes them in.

use hearth_core::{MessageKind, Snowflake};

use crate::UserRecord;
use crate::backend::DbRow;

/// A message with its author, mentions, reactions and (for a reply) the message it answers.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageRecord {
    pub id: Snowflake,
    pub channel_id: Snowflake,
    pub guild_id: Snowflake,
    pub author: UserRecord,
    pub content: String,
    pub kind: MessageKind,
    /// The message replied to (same channel); it may have been deleted since.
    pub reference_id: Option<Snowflake>,
    pub mention_everyone: bool,
    pub pinned_at: Option<i64>,
    pub edited_at: Option<i64>,
    pub created_at: i64,
    /// Mentioned users who were members when the message was sent or last edited, by id.
    pub mentions: Vec<UserRecord>,
    /// Mentioned roles, by id.
    pub mention_roles: Vec<Snowflake>,
    /// One entry per emoji, in the order each was first used.
    pub reactions: Vec<ReactionCount>,
    /// Files sent with it, in the order they were sent.
    pub attachments: Vec<crate::AttachmentRecord>,
    /// Link previews: a JSON array of embeds (the server's wire shape), absent until fetched.
    pub embeds: Option<String>,
    /// For a reply whose original still exists: that message, without its own `referenced`.
    pub referenced: Option<Box<MessageRecord>>,
}

/// The message columns `from_row` reads, aliased where they would clash with the author's user
/// columns selected beside them. A macro so queries are `&'static str` built at compile time.
macro_rules! message_columns {
    () => {
        "m.id AS message_id, m.channel_id, m.guild_id, m.content, m.kind, m.reference_id, \
         m.mention_everyone, m.pinned_at, m.edited_at, m.created_at AS message_created_at, m.embeds"
    };
}
pub(crate) use message_columns;

/// Messages joined with their authors; a `WHERE` clause follows.
macro_rules! select_messages {
    () => {
        concat!(
            "SELECT ",
            $crate::messages::records::message_columns!(),
            ", ",
            $crate::records::user_columns!("u."),
            " FROM messages m JOIN users u ON u.id = m.author_id "
        )
    };
}
pub(crate) use select_messages;

impl MessageRecord {
    /// A row of [`select_messages!`], without mentions, reactions or reference (later queries).
    pub(crate) fn from_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        let raw_kind = row.int("kind")?;
        Ok(Self {
            id: Snowflake::from_db(row.int("message_id")?),
            channel_id: Snowflake::from_db(row.int("channel_id")?),
            guild_id: Snowflake::from_db(row.int("guild_id")?),
            author: UserRecord::from_row(row)?,
            content: row.text("content")?,
            kind: MessageKind::from_wire(raw_kind).map_err(|_| {
                sqlx::Error::Decode(format!("unknown message kind {raw_kind}").into())
            })?,
            reference_id: row.opt_int("reference_id")?.map(Snowflake::from_db),
            mention_everyone: row.flag("mention_everyone")?,
            pinned_at: row.opt_int("pinned_at")?,
            edited_at: row.opt_int("edited_at")?,
            created_at: row.int("message_created_at")?,
            mentions: Vec::new(),
            mention_roles: Vec::new(),
            reactions: Vec::new(),
            attachments: Vec::new(),
            embeds: row.opt_text("embeds")?,
            referenced: None,
        })
    }
}

/// How many users reacted with one emoji, and whether the viewer is one of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReactionCount {
    pub emoji: String,
    pub count: u32,
    pub me: bool,
}

/// What a reply points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewReference {
    pub message_id: Snowflake,
    /// When the message replied to does not exist: refuse the send (true) or send a plain message.
    pub fail_if_missing: bool,
}

/// A message to send. Mentions are candidates: the store keeps the users who are members of the guild
/// and the roles that belong to it, checked inside the send's transaction.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub channel_id: Snowflake,
    pub guild_id: Snowflake,
    pub author_id: Snowflake,
    pub content: String,
    pub reference: Option<NewReference>,
    pub mention_everyone: bool,
    pub mentions: Vec<Snowflake>,
    pub mention_roles: Vec<Snowflake>,
    pub nonce: Option<String>,
    /// A send repeating a nonce seen within this window answers the earlier message.
    pub nonce_window_ms: i64,
    /// The author bypasses the channel's slow mode.
    pub slow_mode_exempt: bool,
    /// Uploads (reserved by this author, not yet attached) to attach, in order.
    pub attachments: Vec<Snowflake>,
    pub now_ms: i64,
}

/// A new text for a message, with the mentions parsed from it (candidates, as in [`NewMessage`]).
#[derive(Debug, Clone)]
pub struct MessageEdit {
    pub content: String,
    pub mention_everyone: bool,
    pub mentions: Vec<Snowflake>,
    pub mention_roles: Vec<Snowflake>,
    pub now_ms: i64,
}

/// Which page of a channel's history to read. Every page comes newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryPage {
    Latest,
    Before(Snowflake),
    After(Snowflake),
    /// About half older than the id, the rest the id itself and newer.
    Around(Snowflake),
}

/// A user's place in one channel: the last message they read and how often they were mentioned after
/// it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadState {
    pub channel_id: Snowflake,
    /// `None` when they never marked anything read there.
    pub last_read_id: Option<Snowflake>,
    pub mention_count: i64,
}

/// The outcome of pinning or unpinning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinChange {
    /// False when the message already was in the requested state.
    pub changed: bool,
    /// When the most recently pinned message of the channel was pinned, after the change.
    pub last_pin_at: Option<i64>,
}
