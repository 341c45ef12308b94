//! The `hearth` server: configuration, the HTTP API, authentication, operations commands.
//!
//! `main.rs` parses the command line and calls into `commands`; everything else lives here so that the
//! integration tests can build the real server in-process with [`app::Application`].

pub mod app;
pub mod backup;
pub mod bus;
pub mod clock;
pub mod commands;
pub mod config;
pub mod error;
pub mod gateway;
pub mod http;
pub mod media;
pub mod metrics;
pub mod services;
pub mod state;
pub mod telemetry;
