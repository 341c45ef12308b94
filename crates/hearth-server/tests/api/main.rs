//! Integration tests: the real server on a random port, spoken to over HTTP, on SQLite and PostgreSQL.
//! One module per API area; `helpers` holds `spawn_app` and the scenario builders.

mod helpers;

mod admin;
mod auth;
mod channels;
mod cli;
mod edge;
mod gateway;
mod gateway_client;
mod guilds;
mod invites;
mod members;
mod message_changes;
mod messages;
mod ops;
mod pins;
mod reactions;
mod read_states;
mod roles;
mod sessions;
mod users;
