//! `spawn_app` and scenario helpers shared by every test module.

use std::path::{Path, PathBuf};
use std::process::Output;

use std::sync::{Arc, Mutex};

use hearth_server::app::Application;
use hearth_server::bus::{Audience, Dispatch};
use hearth_server::config::Config;
use reqwest::{Method, Response};
use serde_json::{Value, json};
use sqlx::Connection;
use tempfile::TempDir;

pub const PASSWORD: &str = "correct horse battery";
/// The test PostgreSQL server; a database name follows.
const PG_SERVER_URL: &str = "postgres://postgres@127.0.0.1:5432/";
const PG_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Generates, for each named `async fn(Backend)`, a module with a `sqlite` and a `postgres` test.
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::helpers::Backend::Sqlite).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::helpers::Backend::Postgres).await
                }
            }
        )*
    };
}
pub(crate) use both_backends;

/// A fresh, empty database for one test: a file in `dir`, or a new PostgreSQL database.
pub async fn fresh_database(backend: Backend, dir: &Path) -> String {
    match backend {
        Backend::Sqlite => format!("sqlite://{}", dir.join("hearth.db").display()),
        Backend::Postgres => {
            let mut bytes = [0u8; 8];
            rand::fill(&mut bytes);
            let name = format!(
                "hearth_test_{}",
                bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
            );
            let mut admin = sqlx::PgConnection::connect(PG_ADMIN_URL)
                .await
                .expect("PostgreSQL at 127.0.0.1:5432");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut admin)
                .await
                .expect("create test database");
            format!("{PG_SERVER_URL}{name}")
        }
    }
}

/// Settings for tests: loose rate limits (tests that exercise limits tighten them), a random port.
pub fn test_config(data_dir: &Path, database_url: String) -> Config {
    let mut config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.to_owned(),
        database_url,
        ..Config::default()
    };
    config.database.max_connections = 4;
    config.rate_limits.per_ip_per_second = 10_000;
    config.rate_limits.per_ip_burst = 10_000;
    config.rate_limits.per_user_per_second = 10_000;
    config.rate_limits.per_user_burst = 10_000;
    config.rate_limits.auth_per_ip_per_minute = 10_000;
    config.rate_limits.auth_per_ip_burst = 10_000;
    config
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub config: Config,
    pub dir: TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    /// Every event the server published, in order, subscribed before it started serving.
    events: Mutex<tokio::sync::broadcast::Receiver<Arc<Dispatch>>>,
}

/// One published event as a test sees it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub name: &'static str,
    pub audience: Audience,
    pub data: Value,
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(backend, dir.path()).await;
    let mut config = test_config(&dir.path().join("data"), url);
    adjust(&mut config);
    start(config, dir).await
}

/// Starts a server on an existing configuration (used after a restore).
pub async fn start(config: Config, dir: TempDir) -> TestApp {
    let app = Application::build(config.clone())
        .await
        .expect("server builds");
    let address = format!("http://{}", app.local_addr().unwrap());
    let events = Mutex::new(app.state().bus.subscribe());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = rx.await;
    }));
    TestApp {
        address,
        client: reqwest::Client::builder()
            .user_agent("hearth-tests/1.0")
            .build()
            .unwrap(),
        config,
        dir,
        shutdown: Some(tx),
        server: Some(server),
        events,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// A JSON request with an optional bearer token.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        let mut req = self.client.request(method, self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await.expect("request sent")
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.request(Method::POST, path, token, Some(body)).await
    }

    pub async fn register_raw(
        &self,
        username: &str,
        password: &str,
        invite: Option<&str>,
    ) -> Response {
        let mut body = json!({"username": username, "password": password});
        if let Some(code) = invite {
            body["invite"] = json!(code);
        }
        self.post("/api/v1/auth/register", None, body).await
    }

    /// Registers a user (which must succeed) and returns (token, user).
    pub async fn register(&self, username: &str, invite: Option<&str>) -> (String, Value) {
        let response = self.register_raw(username, PASSWORD, invite).await;
        assert_eq!(response.status(), 201, "registering {username}");
        let body: Value = response.json().await.unwrap();
        (
            body["token"].as_str().unwrap().to_owned(),
            body["user"].clone(),
        )
    }

    pub async fn login(&self, username: &str, password: &str) -> Response {
        self.post(
            "/api/v1/auth/login",
            None,
            json!({"username": username, "password": password}),
        )
        .await
    }

    /// The owner's token, after registering the first account.
    pub async fn owner(&self) -> String {
        self.register("owner", None).await.0
    }

    /// Registers the owner and opens registration; returns the owner's token.
    pub async fn owner_with_open_registration(&self) -> String {
        let owner = self.owner().await;
        let response = self
            .request(
                Method::PATCH,
                "/api/v1/admin/settings",
                Some(&owner),
                Some(json!({"registration_mode": "open"})),
            )
            .await;
        assert_eq!(response.status(), 200);
        owner
    }

    /// The events published since the last call, oldest first. Events are published before the
    /// response that caused them is sent, so after awaiting a response its events are here.
    pub fn events(&self) -> Vec<Recorded> {
        let mut rx = self.events.lock().unwrap();
        let mut out = Vec::new();
        while let Ok(d) = rx.try_recv() {
            out.push(Recorded {
                name: d.name,
                audience: d.audience.clone(),
                data: serde_json::from_slice(&d.data).expect("event payload is JSON"),
            });
        }
        out
    }

    /// Drains the recorded events and returns the one named `name`, failing if there is not exactly one.
    pub fn expect_event(&self, name: &str) -> Recorded {
        let events = self.events();
        let mut matching = events.iter().filter(|e| e.name == name);
        let found = matching
            .next()
            .unwrap_or_else(|| panic!("no {name} among {:?}", names(&events)))
            .clone();
        assert!(matching.next().is_none(), "more than one {name}");
        found
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.request(Method::PATCH, path, token, Some(body)).await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: Option<Value>) -> Response {
        self.request(Method::PUT, path, token, body).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::DELETE, path, token, None).await
    }

    /// A request that must answer `status`; returns the JSON body (`Value::Null` when empty).
    pub async fn expect(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
        status: u16,
    ) -> Value {
        let response = self.request(method.clone(), path, Some(token), body).await;
        let got = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        assert_eq!(got, status, "{method} {path} answered {got}: {text}");
        if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).expect("JSON body")
        }
    }

    /// A request carrying `X-Audit-Log-Reason: reason` (sent as given, so percent-encode it first).
    pub async fn request_with_reason(
        &self,
        method: Method,
        path: &str,
        token: &str,
        reason: &str,
        body: Option<Value>,
    ) -> Response {
        let mut req = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token)
            .header("X-Audit-Log-Reason", reason);
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await.expect("request sent")
    }

    /// The guild's audit entries, newest first, as `token` reads them (`query` such as `?limit=5`).
    pub async fn audit_entries(&self, token: &str, guild_id: &str, query: &str) -> Vec<Value> {
        let log = self
            .expect(
                Method::GET,
                &format!("/api/v1/guilds/{guild_id}/audit-logs{query}"),
                token,
                None,
                200,
            )
            .await;
        log["audit_log_entries"]
            .as_array()
            .expect("audit_log_entries")
            .clone()
    }

    /// Creates a guild owned by `token`'s user; returns the guild object.
    pub async fn create_guild(&self, token: &str, name: &str) -> Value {
        self.expect(
            Method::POST,
            "/api/v1/guilds",
            token,
            Some(json!({"name": name})),
            201,
        )
        .await
    }

    /// An invite (unlimited, never expiring) to the guild's first text channel, made by `token`.
    pub async fn invite_to(&self, token: &str, guild: &Value) -> String {
        let channel = guild["system_channel_id"].as_str().expect("system channel");
        let invite = self
            .expect(
                Method::POST,
                &format!("/api/v1/channels/{channel}/invites"),
                token,
                Some(json!({"max_age": 0, "max_uses": 0, "unique": true})),
                201,
            )
            .await;
        invite["code"].as_str().unwrap().to_owned()
    }

    /// Joins `token`'s user to the guild behind `code`.
    pub async fn join(&self, token: &str, code: &str) -> Value {
        self.expect(
            Method::POST,
            &format!("/api/v1/invites/{code}"),
            token,
            None,
            200,
        )
        .await
    }

    /// An owner with a guild and a second member in it: (owner token, member token, member id, guild).
    pub async fn two_users_in_a_guild(&self) -> (String, String, String, Value) {
        let owner = self.owner_with_open_registration().await;
        let guild = self.create_guild(&owner, "Hearthside").await;
        let (member, user) = self.register("member", None).await;
        let code = self.invite_to(&owner, &guild).await;
        self.join(&member, &code).await;
        self.events();
        (
            owner,
            member,
            user["id"].as_str().unwrap().to_owned(),
            guild,
        )
    }

    /// Creates a role with `permissions` (a decimal string) in the guild and returns it.
    pub async fn create_role(
        &self,
        token: &str,
        guild_id: &str,
        name: &str,
        permissions: u64,
    ) -> Value {
        self.expect(
            Method::POST,
            &format!("/api/v1/guilds/{guild_id}/roles"),
            token,
            Some(json!({"name": name, "permissions": permissions.to_string()})),
            201,
        )
        .await
    }

    /// Creates a role with `permissions` and gives it to `user_id`; returns the role.
    pub async fn give_role(
        &self,
        token: &str,
        guild_id: &str,
        user_id: &str,
        name: &str,
        permissions: u64,
    ) -> Value {
        let role = self.create_role(token, guild_id, name, permissions).await;
        self.grant_role(token, guild_id, user_id, role["id"].as_str().unwrap())
            .await;
        role
    }

    /// Gives `user_id` the role.
    pub async fn grant_role(&self, token: &str, guild_id: &str, user_id: &str, role_id: &str) {
        self.expect(
            Method::PUT,
            &format!("/api/v1/guilds/{guild_id}/members/{user_id}/roles/{role_id}"),
            token,
            None,
            204,
        )
        .await;
    }

    /// Runs the `hearth` binary against this app's storage.
    pub fn hearth(&self, args: &[&str]) -> Output {
        run_hearth(&self.config, args, None)
    }

    pub fn data_dir(&self) -> PathBuf {
        self.config.data_dir.clone()
    }

    /// Stops the server gracefully and waits for it.
    pub async fn shutdown_now(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server
                .await
                .expect("server task")
                .expect("server ran cleanly");
        }
    }
}

impl Drop for TestApp {
    /// Drops the test's PostgreSQL database (forcing out the server's connections), so test runs leave
    /// nothing behind. SQLite files go with the temporary directory.
    fn drop(&mut self) {
        let Some(name) = self.config.database_url.strip_prefix(PG_SERVER_URL) else {
            return;
        };
        let statement = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        // Drop runs inside the test's runtime, which cannot be blocked on; a short-lived thread with its
        // own runtime does the work.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let mut admin = sqlx::PgConnection::connect(PG_ADMIN_URL).await.ok()?;
                sqlx::query(sqlx::AssertSqlSafe(statement))
                    .execute(&mut admin)
                    .await
                    .ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(_))) {
            eprintln!(
                "could not drop test database {name}; `make clean-test-dbs` removes leftovers"
            );
        }
    }
}

/// Runs the real binary with the configuration passed through `HEARTH_*` variables.
pub fn run_hearth(config: &Config, args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_hearth"));
    command
        .args(args)
        .env("HEARTH_DATA_DIR", &config.data_dir)
        .env("HEARTH_DATABASE_URL", &config.database_url)
        .env("HEARTH_LOG__LEVEL", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = command.spawn().expect("hearth binary runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn names(events: &[Recorded]) -> Vec<&'static str> {
    events.iter().map(|e| e.name).collect()
}

/// Discord's permission bits the tests name.
pub mod perm {
    pub const CREATE_INSTANT_INVITE: u64 = 1 << 0;
    pub const KICK_MEMBERS: u64 = 1 << 1;
    pub const BAN_MEMBERS: u64 = 1 << 2;
    pub const ADMINISTRATOR: u64 = 1 << 3;
    pub const MANAGE_CHANNELS: u64 = 1 << 4;
    pub const MANAGE_GUILD: u64 = 1 << 5;
    pub const VIEW_AUDIT_LOG: u64 = 1 << 7;
    pub const VIEW_CHANNEL: u64 = 1 << 10;
    pub const SEND_MESSAGES: u64 = 1 << 11;
    pub const MANAGE_MESSAGES: u64 = 1 << 13;
    pub const MENTION_EVERYONE: u64 = 1 << 17;
    pub const CHANGE_NICKNAME: u64 = 1 << 26;
    pub const MANAGE_NICKNAMES: u64 = 1 << 27;
    pub const MANAGE_ROLES: u64 = 1 << 28;
    pub const MODERATE_MEMBERS: u64 = 1 << 40;
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// Asserts the error envelope and code, returning the body.
pub async fn assert_error(response: Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status(), status, "expected {status} {code}");
    let body: Value = response.json().await.expect("error body is JSON");
    assert_eq!(body["error"]["code"], code, "body: {body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "body: {body}"
    );
    body
}
