//! Integration tests: the real server on a random port, spoken to over HTTP, on SQLite and PostgreSQL.
//! One module per API area; `helpers` holds `spawn_app` and the scenario builders.

mod helpers;

mod admin;
mod admin_users;
mod attachments;
mod audit_log;
mod auth;
mod automod;
mod channels;
mod cli;
mod edge;
mod gateway;
mod gateway_client;
mod guilds;
mod instance;
mod invites;
mod members;
mod message_changes;
mod messages;
mod moderation;
mod ops;
mod pins;
mod reactions;
mod read_states;
mod reports;
mod roles;
mod sessions;
mod users;
mod votes;
mod web;
