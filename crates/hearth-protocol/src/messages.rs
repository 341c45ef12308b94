//! Messages, reactions and read states: the objects and the bodies that send, edit and delete them.

use serde::{Deserialize, Serialize};

use crate::users::User;

/// A message as Discord shapes it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    pub id: String,
    pub channel_id: String,
    pub author: User,
    /// Exactly as written; markdown is rendered by the client (see docs/markdown.md).
    pub content: String,
    /// RFC 3339: when it was sent.
    pub timestamp: String,
    /// RFC 3339: when it was last edited, or null.
    pub edited_timestamp: Option<String>,
    /// Always false: Hearth has no text-to-speech.
    pub tts: bool,
    /// Whether it notifies everyone (`@everyone` or `@here` written by someone allowed to).
    pub mention_everyone: bool,
    /// The members it mentions.
    pub mentions: Vec<User>,
    /// The role ids it mentions.
    pub mention_roles: Vec<String>,
    /// Files sent with the message, in the order they were sent.
    pub attachments: Vec<Attachment>,
    /// Link previews (added by a MESSAGE_UPDATE after the links were fetched).
    pub embeds: Vec<Embed>,
    /// Reactions with their counts and whether the requesting user is among them. Left out of
    /// MESSAGE_UPDATE, whose readers differ in `me`; reaction events keep clients current.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reactions: Option<Vec<Reaction>>,
    /// Echoed in the answer to the send (and in MESSAGE_CREATE) that carried it, as a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    pub pinned: bool,
    /// 0 default, 19 reply.
    #[serde(rename = "type")]
    pub kind: u8,
    /// Always 0.
    pub flags: u64,
    /// Replies only: the message replied to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_reference: Option<MessageReference>,
    /// Replies only: the message replied to (without its own `referenced_message`), or null when it
    /// has been deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(no_recursion, value_type = Option<Object>))]
    pub referenced_message: Option<Option<Box<Message>>>,
}

pub use crate::media::{Attachment, Embed};

/// Where a reply points.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageReference {
    /// Always 0 (a reply; forwards are not supported).
    #[serde(rename = "type")]
    pub kind: u8,
    pub message_id: String,
    pub channel_id: String,
    pub guild_id: String,
}

/// One emoji's reactions on a message.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reaction {
    pub count: u32,
    /// Whether the requesting user reacted with it.
    pub me: bool,
    pub emoji: Emoji,
}

/// A reaction's emoji: `id` is null for unicode emoji; a guild's custom emoji has its id and name.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Emoji {
    pub id: Option<String>,
    pub name: String,
    /// Custom emoji only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub animated: bool,
}

/// A client's token for one send: a string of at most 25 characters or an integer, as in Discord.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Nonce {
    Integer(i64),
    Text(String),
}

/// `POST /channels/{id}/messages`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateMessage {
    /// Up to 4000 characters; may be empty when files are attached.
    #[serde(default)]
    pub content: String,
    /// Sending again with the same nonce (same author, same channel, within ten minutes) answers the
    /// first message with 200 instead of creating another.
    #[serde(default)]
    pub nonce: Option<Nonce>,
    /// Makes the message a reply.
    #[serde(default)]
    pub message_reference: Option<CreateMessageReference>,
    /// Accepted and ignored: Hearth has no text-to-speech.
    #[serde(default)]
    pub tts: Option<bool>,
    /// With a multipart body: filenames and alt text for the parts `files[n]`.
    #[serde(default)]
    pub attachments: Option<Vec<crate::media::AttachmentDescriptor>>,
}

/// The message a new message replies to.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateMessageReference {
    pub message_id: String,
    /// If given, the channel the message is sent to.
    #[serde(default)]
    pub channel_id: Option<String>,
    /// If given, that channel's guild.
    #[serde(default)]
    pub guild_id: Option<String>,
    /// Default true: refuse the send when the message replied to does not exist. False sends it as a
    /// plain message instead.
    #[serde(default)]
    pub fail_if_not_exists: Option<bool>,
    /// 0 (reply), the only kind supported.
    #[serde(default, rename = "type")]
    pub kind: Option<i64>,
}

/// `PATCH /channels/{id}/messages/{id}`: an absent `content` changes nothing.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EditMessage {
    #[serde(default)]
    pub content: Option<String>,
}

/// `POST /channels/{id}/messages/bulk-delete`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BulkDelete {
    /// 2–100 distinct message ids.
    pub messages: Vec<String>,
}

/// MESSAGE_CREATE and MESSAGE_UPDATE: the message and its guild.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MessageEvent {
    #[serde(flatten)]
    pub message: Message,
    pub guild_id: String,
}

/// MESSAGE_DELETE.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MessageDeleted {
    pub id: String,
    pub channel_id: String,
    pub guild_id: String,
}

/// MESSAGE_DELETE_BULK: the ids that were deleted.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MessagesDeleted {
    pub ids: Vec<String>,
    pub channel_id: String,
    pub guild_id: String,
}

/// MESSAGE_REACTION_ADD and MESSAGE_REACTION_REMOVE.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReactionEvent {
    pub user_id: String,
    pub channel_id: String,
    pub message_id: String,
    pub guild_id: String,
    pub emoji: Emoji,
    /// MESSAGE_REACTION_ADD only: who wrote the message (for notifications).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_author_id: Option<String>,
}

/// MESSAGE_REACTION_REMOVE_ALL.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReactionsCleared {
    pub channel_id: String,
    pub message_id: String,
    pub guild_id: String,
}

/// MESSAGE_REACTION_REMOVE_EMOJI.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EmojiReactionsCleared {
    pub channel_id: String,
    pub message_id: String,
    pub guild_id: String,
    pub emoji: Emoji,
}

/// CHANNEL_PINS_UPDATE.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ChannelPinsUpdate {
    pub guild_id: String,
    pub channel_id: String,
    /// RFC 3339: when the most recently pinned message still pinned was pinned, or null.
    pub last_pin_timestamp: Option<String>,
}

/// MESSAGE_ACK: the user's read marker in a channel moved (sent to the user's other sessions too).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MessageAck {
    pub channel_id: String,
    pub message_id: String,
    /// Mentions of the user after the marker.
    pub mention_count: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_is_a_string_or_an_integer() {
        let parse = |raw: &str| serde_json::from_str::<CreateMessage>(raw).map(|m| m.nonce);
        assert_eq!(
            parse(r#"{"content": "hi", "nonce": "abc"}"#).unwrap(),
            Some(Nonce::Text("abc".into()))
        );
        assert_eq!(
            parse(r#"{"content": "hi", "nonce": 1234}"#).unwrap(),
            Some(Nonce::Integer(1234))
        );
        assert_eq!(parse(r#"{"content": "hi"}"#).unwrap(), None);
        assert!(parse(r#"{"content": "hi", "nonce": 1.5}"#).is_err());
        assert!(parse(r#"{"content": "hi", "nonce": [1]}"#).is_err());
        assert!(parse(r#"{"content": "hi", "embeds": []}"#).is_err());
    }

    #[test]
    fn message_events_carry_the_message_and_its_guild_side_by_side() {
        let event = MessageDeleted {
            id: "1".into(),
            channel_id: "2".into(),
            guild_id: "3".into(),
        };
        assert_eq!(
            serde_json::to_value(&event).unwrap(),
            serde_json::json!({"id": "1", "channel_id": "2", "guild_id": "3"})
        );
        let reaction = ReactionEvent {
            user_id: "1".into(),
            channel_id: "2".into(),
            message_id: "3".into(),
            guild_id: "4".into(),
            emoji: Emoji {
                id: None,
                name: "👍".into(),
                animated: false,
            },
            message_author_id: None,
        };
        let value = serde_json::to_value(&reaction).unwrap();
        assert_eq!(
            value["emoji"],
            serde_json::json!({"id": null, "name": "👍"})
        );
        assert!(value.get("message_author_id").is_none());
    }
}
