//! Hearth's wire contract: the JSON bodies of the REST API and gateway events.
//!
//! Serde only: no validation and no behaviour. Requests deny unknown fields so that a typo in a client is
//! an error instead of a silently ignored setting. Ids travel as decimal strings and times as RFC 3339
//! strings, as in Discord's API. With the `openapi` feature every type also describes itself for the
//! generated OpenAPI document, which the web client's types are generated from.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod automod;
pub mod channels;
pub mod error;
pub mod events;
pub mod gateway;
pub mod guilds;
pub mod instance;
pub mod invites;
pub mod media;
pub mod members;
pub mod messages;
pub mod moderation;
pub mod ops;
pub mod roles;
pub mod users;
pub mod votes;

/// Deserializes a field that distinguishes "absent" (outer `None`) from `null` (inner `None`).
pub(crate) fn double_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde::Deserialize::deserialize(deserializer).map(Some)
}
