//! Hearth's persistence: one [`Store`] over SQLite (the embedded default) or PostgreSQL (scale-out).
//!
//! Each query is written once in SQL both dialects accept (`$N` parameters, `ON CONFLICT`, `RETURNING`)
//! and run against whichever pool the store holds; see `backend.rs`. Times are unix milliseconds and ids
//! snowflakes, both `BIGINT`. The store takes the current time from its caller, so it has no clock.

mod backend;
mod community;
mod error;
mod invites;
mod media;
mod messages;
mod migrations;
mod moderation;
mod records;
mod sessions;
mod settings;
pub mod snapshot;
mod users;

pub use backend::{BackendKind, PoolStats, Store, StoreOptions};
pub use community::*;
pub use error::{CreateUserError, StoreError};
pub use media::*;
pub use messages::*;
pub use migrations::MigrationState;
pub use moderation::*;
pub use records::{
    InviteRecord, NewInvite, NewSession, NewUser, ProfileUpdate, SessionRecord, UserRecord,
};
pub use settings::{InstanceSettingsRecord, SettingsUpdate};
pub use users::{
    AccountActionError, AccountChange, AccountChanged, AdminUserRecord, DeletedAccount, Protected,
    UserSearch,
};
