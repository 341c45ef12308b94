//! Communities: guilds with their roles, channels, overwrites, members, invites and bans.
//!
//! Multi-row changes (creating a guild with its defaults, joining through an invite, deleting a role
//! with its overwrites, reordering) each run in one write transaction, so a failure changes nothing and
//! counters such as invite uses stay exact under concurrency.

mod bans;
mod channels;
mod guilds;
mod invites;
mod members;
mod records;
mod roles;

pub use invites::{JoinError, Joined};
pub use records::*;
