//! The one `Config` struct: defaults here, overridden by `hearth.toml`, then `HEARTH_*` variables, then
//! command-line flags. Every field is listed with its default in docs/configuration.md.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address the HTTP server binds. Default `127.0.0.1:8080`.
    pub listen: SocketAddr,
    /// Everything Hearth stores on disk lives under this directory. Default `./data`.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`. Default: empty, meaning `sqlite://<data_dir>/hearth.db`.
    pub database_url: String,
    /// Node part of snowflake ids (0–1022; 1023 is reserved for the command-line tools); must differ
    /// between nodes of one cluster. Default 0.
    pub node_id: u16,
    pub database: DatabaseConfig,
    pub http: HttpConfig,
    pub rate_limits: RateLimitConfig,
    pub auth: AuthConfig,
    pub limits: LimitsConfig,
    pub gateway: GatewayConfig,
    pub media: MediaConfig,
    pub log: LogConfig,
}

/// Uploaded files, images derived from them, and link previews.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MediaConfig {
    /// Largest file in one upload, in bytes. Default 25 MiB.
    pub max_file_bytes: u64,
    /// Files in one message (Discord's 10). Default 10.
    pub max_files_per_message: u32,
    /// Bytes of attachments one user may have stored in all; 0 means no quota. Default 10 GiB.
    pub user_quota_bytes: u64,
    /// Largest avatar, banner or icon upload, in bytes. Default 10 MiB.
    pub max_image_bytes: u64,
    /// Largest custom emoji image, in bytes. Default 256 KiB.
    pub max_emoji_bytes: u64,
    /// Images with more pixels than this are stored as plain files (no preview): the guard against
    /// decompression bombs. Default 40,000,000.
    pub max_image_pixels: u64,
    /// Widths of the thumbnails made of every image attachment. Default [160, 400, 800, 1600].
    pub thumbnail_widths: Vec<u32>,
    /// How long a signed download address stays valid, in seconds. Default 86400.
    pub signed_url_ttl_secs: u64,
    /// How long one upload request may take, in seconds (slow links need far longer than the usual
    /// request timeout). Default 3600.
    pub upload_timeout_secs: u64,
    /// Images processed at once (thumbnails, metadata removal); 0 means half the CPUs (at least 1).
    /// Default 0.
    pub processing_workers: usize,
    pub storage: StorageConfig,
}

/// Where blobs live: a directory under the data dir (default) or an S3-compatible bucket.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StorageConfig {
    /// `local` or `s3`. Default `local`.
    pub backend: StorageBackend,
    /// S3: the bucket. Required for `s3`.
    pub bucket: String,
    /// S3: the region. Default `us-east-1`.
    pub region: String,
    /// S3: the endpoint of an S3-compatible service (MinIO, Garage, Ceph…); empty means AWS.
    pub endpoint: String,
    /// S3: credentials; empty means the usual AWS environment and instance metadata.
    pub access_key_id: String,
    pub secret_access_key: String,
    /// S3: allow a plain-HTTP endpoint (a service on the same host or private network). Default false.
    pub allow_http: bool,
    /// S3: path-style requests (`endpoint/bucket/key`), which most self-hosted services need.
    /// Default true.
    pub path_style: bool,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum StorageBackend {
    Local,
    S3,
}

impl Default for MediaConfig {
    fn default() -> Self {
        Self {
            max_file_bytes: 25 * 1024 * 1024,
            max_files_per_message: 10,
            user_quota_bytes: 10 * 1024 * 1024 * 1024,
            max_image_bytes: 10 * 1024 * 1024,
            max_emoji_bytes: 256 * 1024,
            max_image_pixels: 40_000_000,
            thumbnail_widths: vec![160, 400, 800, 1600],
            signed_url_ttl_secs: 86_400,
            upload_timeout_secs: 3600,
            processing_workers: 0,
            storage: StorageConfig::default(),
        }
    }
}

impl Default for StorageConfig {
    fn default() -> Self {
        Self {
            backend: StorageBackend::Local,
            bucket: String::new(),
            region: "us-east-1".into(),
            endpoint: String::new(),
            access_key_id: String::new(),
            secret_access_key: String::new(),
            allow_http: false,
            path_style: true,
        }
    }
}

/// The WebSocket gateway at `/gateway`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GatewayConfig {
    /// Milliseconds between client heartbeats (sent in Hello). A session silent for 1.5 intervals is
    /// closed with 4009. Default 41250 (Discord's).
    pub heartbeat_interval_ms: u64,
    /// Largest inbound frame in bytes; larger frames close the connection. Default 16384.
    pub max_frame_bytes: usize,
    /// Inbound frames allowed per minute per connection before closing with 4008. Default 120.
    pub max_frames_per_minute: u32,
    /// Dispatches kept per session for resuming. Default 1024.
    pub resume_buffer_events: usize,
    /// A session further behind than this many unsent dispatches is disconnected (close 4100) and may
    /// resume. Default 256.
    pub max_send_lag_events: usize,
    /// How long a disconnected session can be resumed, in seconds. Default 120.
    pub resume_window_secs: u64,
    /// Online members listed per guild in GUILD_CREATE. Default 100.
    pub max_members_in_guild_create: u32,
    /// Seconds between checks that every connection's sign-in session still authenticates. The
    /// check ends connections whose token was revoked where no event reaches this node (the command
    /// line, idle expiry) and marks the others' sessions as in use. Default 60.
    pub session_check_secs: u64,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        Self {
            heartbeat_interval_ms: 41_250,
            max_frame_bytes: 16 * 1024,
            max_frames_per_minute: 120,
            resume_buffer_events: 1024,
            max_send_lag_events: 256,
            resume_window_secs: 120,
            max_members_in_guild_create: 100,
            session_check_secs: 60,
        }
    }
}

/// Bounds on what one user or one guild may accumulate; exceeding one is a 400 `LIMIT_REACHED`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Guilds one user may belong to (created or joined). Default 200.
    pub guilds_per_user: u32,
    /// Channels (categories included) in one guild. Default 500.
    pub channels_per_guild: u32,
    /// Roles in one guild, not counting @everyone. Default 250.
    pub roles_per_guild: u32,
    /// Permission overwrites on one channel. Default 100.
    pub overwrites_per_channel: u32,
    /// Usable (unexpired, not used up) invites in one guild. Default 1000.
    pub invites_per_guild: u32,
    /// Custom emoji in one guild. Default 200.
    pub emojis_per_guild: u32,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            guilds_per_user: 200,
            channels_per_guild: 500,
            roles_per_guild: 250,
            overwrites_per_channel: 100,
            invites_per_guild: 1000,
            emojis_per_guild: 200,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// PostgreSQL pool size, or SQLite read connections. Default 10.
    pub max_connections: u32,
    /// Seconds to wait for a connection or a lock before failing the request. Default 10.
    pub acquire_timeout_secs: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// Largest accepted JSON request body. Default 1 MiB.
    pub max_json_body_bytes: usize,
    /// A request still running after this many seconds is answered 503. Default 30.
    pub request_timeout_secs: u64,
    /// Take the client address from the last `X-Forwarded-For` entry (only behind a trusted proxy).
    /// Default false.
    pub trust_forwarded_for: bool,
    /// On SIGINT/SIGTERM, how long in-flight requests may take to finish. Default 30.
    pub shutdown_grace_secs: u64,
    /// Serve the web client from this directory (a Vite `dist/`) instead of the copy embedded in the
    /// binary. Default unset.
    pub web_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimitConfig {
    /// Sustained requests per second from one IP address. Default 50.
    pub per_ip_per_second: u32,
    /// Burst allowance per IP address. Default 200.
    pub per_ip_burst: u32,
    /// Sustained requests per second for one signed-in user. Default 20.
    pub per_user_per_second: u32,
    /// Burst allowance per user. Default 100.
    pub per_user_burst: u32,
    /// Register and login attempts per minute from one IP address (on top of the above). Default 20.
    pub auth_per_ip_per_minute: u32,
    /// Burst allowance for register and login per IP. Default 10.
    pub auth_per_ip_burst: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthConfig {
    /// A session unused for this many seconds stops working. Default 30 days.
    pub session_idle_timeout_secs: u64,
    /// Argon2id memory in KiB. Default 19456 (OWASP's recommendation: 19 MiB, 2 passes, 1 lane).
    pub argon2_memory_kib: u32,
    /// Argon2id passes. Default 2.
    pub argon2_iterations: u32,
    /// Argon2id lanes. Default 1.
    pub argon2_parallelism: u32,
    /// Password hashes computed at once; 0 means the number of CPUs. Bounds the memory a login flood can
    /// take to this many times `argon2_memory_kib`. Default 0.
    pub max_concurrent_hashes: usize,
    /// Failed logins for one account within the window before it is locked. Default 5.
    pub max_failures_per_account: u32,
    /// Failed logins from one IP address within the window before it is locked. Default 20.
    pub max_failures_per_ip: u32,
    /// Window in seconds over which failures are counted. Default 900.
    pub failure_window_secs: u64,
    /// How long a locked account or address stays locked, in seconds. Default 900.
    pub lockout_secs: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// `text` or `json`. Default `text`.
    pub format: LogFormat,
    /// A tracing filter such as `info` or `hearth=debug,info`. `RUST_LOG` overrides it. Default `info`.
    pub level: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./data"),
            database_url: String::new(),
            node_id: 0,
            database: DatabaseConfig::default(),
            http: HttpConfig::default(),
            rate_limits: RateLimitConfig::default(),
            auth: AuthConfig::default(),
            limits: LimitsConfig::default(),
            gateway: GatewayConfig::default(),
            media: MediaConfig::default(),
            log: LogConfig::default(),
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            max_connections: 10,
            acquire_timeout_secs: 10,
        }
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            max_json_body_bytes: 1024 * 1024,
            request_timeout_secs: 30,
            trust_forwarded_for: false,
            shutdown_grace_secs: 30,
            web_dir: None,
        }
    }
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            per_ip_per_second: 50,
            per_ip_burst: 200,
            per_user_per_second: 20,
            per_user_burst: 100,
            auth_per_ip_per_minute: 20,
            auth_per_ip_burst: 10,
        }
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            session_idle_timeout_secs: 30 * 24 * 3600,
            argon2_memory_kib: 19 * 1024,
            argon2_iterations: 2,
            argon2_parallelism: 1,
            max_concurrent_hashes: 0,
            max_failures_per_account: 5,
            max_failures_per_ip: 20,
            failure_window_secs: 900,
            lockout_secs: 900,
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            format: LogFormat::Text,
            level: "info".into(),
        }
    }
}

/// Values given on the command line; they win over the file and the environment.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ConfigOverrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
}

impl Config {
    /// Loads defaults < `file` (or `./hearth.toml` when present) < `HEARTH_*` < `overrides`. Nested keys
    /// use a double underscore in the environment: `HEARTH_HTTP__MAX_JSON_BODY_BYTES`.
    pub fn load(file: Option<&Path>, overrides: &ConfigOverrides) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) if !path.exists() => {
                anyhow::bail!("config file {} does not exist", path.display())
            }
            Some(path) => figment = figment.merge(Toml::file(path)),
            None => figment = figment.merge(Toml::file("hearth.toml")),
        }
        let figment = figment
            .merge(Env::prefixed("HEARTH_").ignore(&["CONFIG"]).split("__"))
            .merge(Serialized::defaults(overrides));
        let config: Config = figment.extract()?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> anyhow::Result<()> {
        // The highest node id belongs to the command-line tools, so that ids they make while a server runs
        // can never collide with the server's.
        anyhow::ensure!(
            self.node_id < hearth_core::NodeId::MAX,
            "node_id must be between 0 and {}",
            hearth_core::NodeId::MAX - 1
        );
        let positive = [
            (
                "rate_limits.per_ip_per_second",
                self.rate_limits.per_ip_per_second,
            ),
            ("rate_limits.per_ip_burst", self.rate_limits.per_ip_burst),
            (
                "rate_limits.per_user_per_second",
                self.rate_limits.per_user_per_second,
            ),
            (
                "rate_limits.per_user_burst",
                self.rate_limits.per_user_burst,
            ),
            (
                "rate_limits.auth_per_ip_per_minute",
                self.rate_limits.auth_per_ip_per_minute,
            ),
            (
                "rate_limits.auth_per_ip_burst",
                self.rate_limits.auth_per_ip_burst,
            ),
            (
                "auth.max_failures_per_account",
                self.auth.max_failures_per_account,
            ),
            ("auth.max_failures_per_ip", self.auth.max_failures_per_ip),
            (
                "gateway.max_frames_per_minute",
                self.gateway.max_frames_per_minute,
            ),
        ];
        for (name, value) in positive {
            anyhow::ensure!(value > 0, "{name} must be greater than 0");
        }
        anyhow::ensure!(
            self.gateway.session_check_secs >= 1,
            "gateway.session_check_secs must be at least 1"
        );
        anyhow::ensure!(
            self.gateway.heartbeat_interval_ms >= 100,
            "gateway.heartbeat_interval_ms must be at least 100"
        );
        anyhow::ensure!(
            self.gateway.max_frame_bytes >= 1024,
            "gateway.max_frame_bytes must be at least 1024"
        );
        anyhow::ensure!(
            self.gateway.max_send_lag_events >= 1
                && self.gateway.max_send_lag_events < self.gateway.resume_buffer_events,
            "gateway.max_send_lag_events must be at least 1 and below gateway.resume_buffer_events"
        );
        anyhow::ensure!(
            self.http.max_json_body_bytes >= 1024,
            "http.max_json_body_bytes must be at least 1024"
        );
        if let Some(dir) = &self.http.web_dir {
            anyhow::ensure!(
                dir.is_dir(),
                "http.web_dir must be an existing directory: {}",
                dir.display()
            );
        }
        anyhow::ensure!(
            self.auth.session_idle_timeout_secs >= 1,
            "auth.session_idle_timeout_secs must be positive"
        );
        anyhow::ensure!(
            self.media.storage.backend != StorageBackend::S3
                || !self.media.storage.bucket.is_empty(),
            "media.storage.bucket is required with the s3 backend"
        );
        anyhow::ensure!(
            self.media.max_file_bytes >= 1 && self.media.max_files_per_message >= 1,
            "media.max_file_bytes and media.max_files_per_message must be positive"
        );
        anyhow::ensure!(
            self.media
                .thumbnail_widths
                .iter()
                .all(|w| (16..=4096).contains(w)),
            "media.thumbnail_widths must be between 16 and 4096"
        );
        argon2::Params::new(
            self.auth.argon2_memory_kib,
            self.auth.argon2_iterations,
            self.auth.argon2_parallelism,
            None,
        )
        .map_err(|e| anyhow::anyhow!("auth.argon2_*: {e}"))?;
        Ok(())
    }

    /// The database URL in effect: the configured one, or SQLite inside the data directory.
    pub fn effective_database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite://{}", self.data_dir.join("hearth.db").display())
        } else {
            self.database_url.clone()
        }
    }

    /// Where uploaded files live with the `local` storage backend (included in backups).
    pub fn files_dir(&self) -> PathBuf {
        self.data_dir.join("files")
    }

    pub fn store_options(&self) -> hearth_store::StoreOptions {
        hearth_store::StoreOptions {
            url: self.effective_database_url(),
            max_connections: self.database.max_connections,
            acquire_timeout: Duration::from_secs(self.database.acquire_timeout_secs),
        }
    }

    /// The effective configuration as TOML with secrets (database password, S3 secret) redacted.
    pub fn to_redacted_toml(&self) -> anyhow::Result<String> {
        let mut shown = self.clone();
        shown.database_url = redact_url_password(&self.effective_database_url());
        if !shown.media.storage.secret_access_key.is_empty() {
            shown.media.storage.secret_access_key = "***".into();
        }
        Ok(toml::to_string_pretty(&shown)?)
    }
}

/// Replaces the password in `scheme://user:password@host/…` with `***`.
pub fn redact_url_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return url.to_owned();
    };
    match rest[..at].find(':') {
        Some(colon) => format!(
            "{}{}:***{}",
            &url[..scheme_end + 3],
            &rest[..colon],
            &rest[at..]
        ),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_database_urls_are_redacted() {
        assert_eq!(
            redact_url_password("postgres://u:secret@db/hearth"),
            "postgres://u:***@db/hearth"
        );
        assert_eq!(
            redact_url_password("postgres://u@db/hearth"),
            "postgres://u@db/hearth"
        );
        assert_eq!(
            redact_url_password("sqlite://./data/hearth.db"),
            "sqlite://./data/hearth.db"
        );
    }

    #[test]
    fn the_command_line_node_id_is_reserved() {
        let config = Config {
            node_id: hearth_core::NodeId::MAX,
            ..Config::default()
        };
        assert!(config.validate().is_err());
        assert!(
            Config {
                node_id: 1022,
                ..Config::default()
            }
            .validate()
            .is_ok()
        );
    }

    #[test]
    fn defaults_are_valid_and_use_sqlite_in_the_data_dir() {
        let config = Config::default();
        config.validate().unwrap();
        assert_eq!(config.effective_database_url(), "sqlite://./data/hearth.db");
    }
}
