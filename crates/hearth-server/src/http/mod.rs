//! The HTTP API: one module per area, assembled into one router with its OpenAPI document.

pub mod admin;
pub mod attachments;
pub mod audit_log;
pub mod auth;
pub mod automod;
pub mod bans;
pub mod channels;
pub mod edge;
pub mod extract;
pub mod guild_invites;
pub mod guilds;
pub mod instance;
pub mod members;
pub mod messages;
pub mod ops;
pub mod pins;
pub mod reactions;
pub mod read_states;
pub mod reports;
pub mod roles;
pub mod sessions;
pub mod typing;
pub mod users;
pub mod views;
pub mod votes;
pub mod warnings;
pub mod web;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tower_http::catch_panic::CatchPanicLayer;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Hearth API", description = "Self-hosted community chat. Discord-shaped REST API under /api/v1."),
    components(schemas(hearth_protocol::error::ErrorBody)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Registration, sign-in, passwords"),
        (name = "sessions", description = "Signed-in sessions"),
        (name = "users", description = "Profiles"),
        (name = "guilds", description = "Guilds (communities)"),
        (name = "channels", description = "Guild channels and permission overwrites"),
        (name = "roles", description = "Roles and the permission bitfield"),
        (name = "members", description = "Members, nicknames, kicks and bans"),
        (name = "invites", description = "Guild invites"),
        (name = "messages", description = "Messages, reactions, pins and read states"),
        (name = "automod", description = "AutoMod rules that screen messages"),
        (name = "moderation", description = "Audit log, warnings, timeouts, AutoMod, reports, votes"),
        (name = "admin", description = "Instance administration"),
        (name = "instance", description = "The instance's public profile and announcements"),
        (name = "operations", description = "Health, readiness, metrics"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
            );
        }
    }
}

/// Every route, unattached to state, with the OpenAPI document they describe.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let v1 = OpenApiRouter::new()
        .merge(auth::routes())
        .merge(sessions::routes())
        .merge(users::routes())
        .merge(admin::routes())
        .merge(instance::routes())
        .merge(guilds::routes())
        .merge(channels::routes())
        .merge(roles::routes())
        .merge(members::routes())
        .merge(bans::routes())
        .merge(audit_log::routes())
        .merge(warnings::routes())
        .merge(votes::routes())
        .merge(reports::routes())
        .merge(guild_invites::routes())
        .merge(messages::routes())
        .merge(automod::routes())
        .merge(reactions::routes())
        .merge(pins::routes())
        .merge(read_states::routes())
        .merge(typing::routes());
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", v1)
        .merge(attachments::routes())
        .routes(routes!(ops::openapi))
        .routes(routes!(ops::healthz))
        .routes(routes!(ops::readyz))
        .routes(routes!(ops::metrics))
        .split_for_parts()
}

/// The OpenAPI document as JSON (also written by `hearth openapi` for the web client's type generation).
pub fn openapi_json() -> anyhow::Result<String> {
    Ok(api().1.to_pretty_json()?)
}

/// The complete service: routes, fallbacks and the edge layers.
pub fn router(state: AppState) -> Router {
    let (routes, _) = api();
    routes
        .route("/gateway", axum::routing::get(crate::gateway::upgrade))
        .fallback(web::fallback)
        .method_not_allowed_fallback(edge::wrong_method)
        .layer(DefaultBodyLimit::max(state.config.http.max_json_body_bytes))
        .layer(CatchPanicLayer::custom(edge::panic_response))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            edge::edge,
        ))
        .with_state(state)
}
