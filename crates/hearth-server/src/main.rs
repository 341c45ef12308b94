//! The `hearth` command line: parsing and dispatch, nothing else.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use hearth_server::commands::{self, admin::PasswordSource};
use hearth_server::config::{Config, ConfigOverrides};

#[derive(Parser)]
#[command(name = "hearth", version, about = "Self-hosted community chat")]
struct Cli {
    /// Configuration file (default: ./hearth.toml when present).
    #[arg(long, global = true, env = "HEARTH_CONFIG")]
    config: Option<PathBuf>,
    /// Address to listen on (overrides `listen`).
    #[arg(long, global = true)]
    listen: Option<std::net::SocketAddr>,
    /// Data directory (overrides `data_dir`).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Database URL (overrides `database_url`).
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server: API and health endpoints on `listen`.
    Serve,
    /// Apply pending database migrations, or show their status.
    Migrate {
        #[command(subcommand)]
        action: Option<MigrateAction>,
    },
    /// Administer accounts and the instance.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
    /// Write a consistent backup (database and files) while the server runs; prints the file name.
    Backup {
        /// Output file (default: hearth-backup-<time>.tar.gz in the current directory).
        file: Option<PathBuf>,
    },
    /// Restore a backup into an empty database and data directory (server stopped).
    Restore { file: PathBuf },
    /// Print the effective configuration, secrets redacted.
    Config,
    /// Print the OpenAPI document.
    Openapi,
    /// Print the version.
    Version,
}

#[derive(Subcommand)]
enum MigrateAction {
    /// Apply pending migrations (the default).
    Apply,
    /// List migrations and whether each is applied.
    Status,
}

#[derive(Subcommand)]
enum AdminAction {
    /// Create an account (the first account on an instance becomes its owner). Prints a generated
    /// password unless --password-stdin is given.
    CreateUser {
        username: String,
        /// Make the account an instance administrator.
        #[arg(long)]
        admin: bool,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password and sign the account out everywhere. Prints a generated password unless
    /// --password-stdin is given.
    ResetPassword {
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable an account: its sessions stop working at once and it cannot sign in.
    DisableUser { username: String },
    /// Re-enable a disabled account.
    EnableUser { username: String },
    /// Make an existing account an instance administrator.
    GrantAdmin { username: String },
    /// Take instance administration away from an account (the owner always keeps it).
    RevokeAdmin { username: String },
    /// Set who may register.
    Registration {
        #[arg(value_parser = ["open", "invite", "closed"])]
        mode: String,
    },
    /// Create an instance invite code and print it alone on stdout.
    CreateInvite {
        /// Uses before it stops working (default unlimited).
        #[arg(long)]
        max_uses: Option<u64>,
        /// Lifetime such as 30m, 12h, 7d, 2w (default never expires).
        #[arg(long)]
        expires: Option<String>,
    },
}

fn password_source(from_stdin: bool) -> PasswordSource {
    if from_stdin {
        PasswordSource::Stdin
    } else {
        PasswordSource::Generate
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let overrides = ConfigOverrides {
        listen: cli.listen,
        data_dir: cli.data_dir,
        database_url: cli.database_url,
    };
    let config = match Config::load(cli.config.as_deref(), &overrides) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("hearth: configuration error: {e:#}");
            return std::process::ExitCode::from(2);
        }
    };
    hearth_server::telemetry::init(&config.log);
    let result = match cli.command {
        Command::Serve => commands::serve::run(config).await,
        Command::Migrate {
            action: None | Some(MigrateAction::Apply),
        } => commands::migrate::apply(&config).await,
        Command::Migrate {
            action: Some(MigrateAction::Status),
        } => commands::migrate::status(&config).await,
        Command::Admin { action } => match action {
            AdminAction::CreateUser {
                username,
                admin,
                password_stdin,
            } => {
                commands::admin::create_user(
                    &config,
                    &username,
                    admin,
                    password_source(password_stdin),
                )
                .await
            }
            AdminAction::ResetPassword {
                username,
                password_stdin,
            } => {
                commands::admin::reset_password(&config, &username, password_source(password_stdin))
                    .await
            }
            AdminAction::DisableUser { username } => {
                commands::admin::set_disabled(&config, &username, true).await
            }
            AdminAction::EnableUser { username } => {
                commands::admin::set_disabled(&config, &username, false).await
            }
            AdminAction::GrantAdmin { username } => {
                commands::admin::set_admin(&config, &username, true).await
            }
            AdminAction::RevokeAdmin { username } => {
                commands::admin::set_admin(&config, &username, false).await
            }
            AdminAction::Registration { mode } => {
                commands::admin::set_registration(&config, &mode).await
            }
            AdminAction::CreateInvite { max_uses, expires } => {
                commands::admin::create_invite(&config, max_uses, expires.as_deref()).await
            }
        },
        Command::Backup { file } => commands::backup::backup(&config, file).await,
        Command::Restore { file } => commands::backup::restore(&config, &file).await,
        Command::Config => config.to_redacted_toml().map(|toml| print!("{toml}")),
        Command::Openapi => hearth_server::http::openapi_json().map(|json| println!("{json}")),
        Command::Version => {
            println!("hearth {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hearth: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
