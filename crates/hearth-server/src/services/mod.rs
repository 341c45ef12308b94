//! Domain operations used by the HTTP handlers (and, later, the gateway). Handlers parse and authorise;
//! services do the work; neither touches SQL directly except through `hearth-store`.

pub mod access;
pub mod accounts;
pub mod automod;
pub mod invites;
pub mod login_throttle;
pub mod messaging;
pub mod moderation;
pub mod passwords;
pub mod rate_limit;
pub mod tokens;
pub mod votes;
