//! `hearth admin …`: account and instance administration from the command line.
//!
//! Output meant for scripts (a generated password, an invite code) goes alone on stdout; everything
//! else goes to stderr. Every change an administrator could make through the API is recorded in the
//! instance audit log here too, with no actor (`user_id` null): the command line acts with the
//! database's own authority.

use std::io::BufRead;
use std::time::Duration;

use hearth_core::instance::InstanceAuditAction;
use hearth_core::registration::Applicant;
use hearth_core::{InviteLimits, NodeId, Password, RegistrationMode, SnowflakeGenerator, Username};
use hearth_store::{
    AccountActionError, AccountChange, NewInstanceAuditEntry, NewUser, Protected, SettingsUpdate,
    Store, UserRecord,
};

use crate::clock::now_ms;
use crate::config::Config;
use crate::services::{invites, passwords::PasswordHasher};

/// Where a new password comes from.
pub enum PasswordSource {
    /// Read the first line of standard input.
    Stdin,
    /// Generate a strong one and print it.
    Generate,
}

fn obtain_password(source: PasswordSource) -> anyhow::Result<(Password, bool)> {
    match source {
        PasswordSource::Stdin => {
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            let raw = line.trim_end_matches(['\r', '\n']);
            Ok((
                Password::parse(raw).map_err(|e| anyhow::anyhow!("password {e}"))?,
                false,
            ))
        }
        PasswordSource::Generate => {
            let mut bytes = [0u8; 15];
            rand::fill(&mut bytes);
            use base64::Engine;
            let generated = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
            Ok((
                Password::parse(&generated).map_err(|e| anyhow::anyhow!("{e}"))?,
                true,
            ))
        }
    }
}

/// The node id reserved for the command-line tools, so their ids never collide with a running
/// server's (see `config.rs`).
const CLI_NODE_ID: u16 = 1023;

/// An instance audit entry for a change made from the command line (no actor).
fn cli_entry(action: InstanceAuditAction) -> anyhow::Result<NewInstanceAuditEntry> {
    let node = NodeId::new(CLI_NODE_ID).map_err(|e| anyhow::anyhow!("{e}"))?;
    let id = SnowflakeGenerator::new(node).next(now_ms().max(0) as u64);
    Ok(NewInstanceAuditEntry::new(id, None, action))
}

/// The command line may act on any account (its operator holds the database anyway), except that the
/// owner is never demoted.
const UNPROTECTED: Protected = Protected {
    owner: false,
    admins: false,
};

async fn find_user(store: &Store, username: &str) -> anyhow::Result<UserRecord> {
    let name = Username::parse(username).map_err(|e| anyhow::anyhow!("username {e}"))?;
    store
        .user_by_username(&name)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no user named {username}"))
}

pub async fn create_user(
    config: &Config,
    username: &str,
    admin: bool,
    source: PasswordSource,
) -> anyhow::Result<()> {
    let username = Username::parse(username).map_err(|e| anyhow::anyhow!("username {e}"))?;
    let (password, generated) = obtain_password(source)?;
    let store = super::open_store(config).await?;
    let hasher = PasswordHasher::new(&config.auth)?;
    let hash = hasher
        .hash(&password)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let ids = SnowflakeGenerator::new(
        hearth_core::NodeId::new(config.node_id).map_err(|e| anyhow::anyhow!("{e}"))?,
    );
    let new = NewUser {
        id: ids.next(now_ms() as u64),
        username,
        password_hash: Some(hash),
        is_admin: admin,
        now_ms: now_ms(),
    };
    let user = store
        .create_user(new, Applicant::Administrator, None)
        .await?;
    store.close().await;
    eprintln!(
        "created {} (id {}){}",
        user.username,
        user.id,
        if user.is_owner {
            ", the instance owner"
        } else if user.is_admin {
            ", an admin"
        } else {
            ""
        }
    );
    if generated {
        println!("{}", password.expose());
    }
    Ok(())
}

pub async fn reset_password(
    config: &Config,
    username: &str,
    source: PasswordSource,
) -> anyhow::Result<()> {
    let (password, generated) = obtain_password(source)?;
    let store = super::open_store(config).await?;
    let user = find_user(&store, username).await?;
    let hasher = PasswordHasher::new(&config.auth)?;
    let hash = hasher
        .hash(&password)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let revoked = store.set_password(user.id, &hash, None, now_ms()).await?;
    store.close().await;
    eprintln!(
        "password of {} reset; {revoked} sessions signed out",
        user.username
    );
    if generated {
        println!("{}", password.expose());
    }
    Ok(())
}

pub async fn set_disabled(config: &Config, username: &str, disabled: bool) -> anyhow::Result<()> {
    let store = super::open_store(config).await?;
    let user = find_user(&store, username).await?;
    let (change, action, old) = if disabled {
        (
            AccountChange::Disable,
            InstanceAuditAction::UserDisable,
            false,
        )
    } else {
        (AccountChange::Enable, InstanceAuditAction::UserEnable, true)
    };
    let entry = cli_entry(action)?
        .target(user.id)
        .change("disabled", old, disabled);
    let done = store
        .change_account(user.id, change, UNPROTECTED, now_ms(), &entry)
        .await;
    store.close().await;
    done.map_err(|e| anyhow::anyhow!("{e}"))?;
    eprintln!(
        "{} is now {}",
        user.username,
        if disabled {
            // The API also ends the user's gateway connections at once. This process cannot reach a
            // running server's gateway: those connections stay until they drop, and cannot come back.
            "disabled (sessions revoked)"
        } else {
            "enabled"
        }
    );
    Ok(())
}

pub async fn set_admin(config: &Config, username: &str, is_admin: bool) -> anyhow::Result<()> {
    let store = super::open_store(config).await?;
    let user = find_user(&store, username).await?;
    let (change, action) = if is_admin {
        (AccountChange::Promote, InstanceAuditAction::UserPromote)
    } else {
        (AccountChange::Demote, InstanceAuditAction::UserDemote)
    };
    let entry = cli_entry(action)?
        .target(user.id)
        .change("admin", !is_admin, is_admin);
    let done = store
        .change_account(user.id, change, UNPROTECTED, now_ms(), &entry)
        .await;
    store.close().await;
    match done {
        Err(AccountActionError::Owner) => anyhow::bail!(
            "{} is the instance owner, who is always an admin",
            user.username
        ),
        other => other.map_err(|e| anyhow::anyhow!("{e}"))?,
    };
    let now = if is_admin { "now" } else { "no longer" };
    eprintln!("{} is {now} an instance admin", user.username);
    Ok(())
}

pub async fn set_registration(config: &Config, mode: &str) -> anyhow::Result<()> {
    let mode =
        RegistrationMode::parse(mode).map_err(|e| anyhow::anyhow!("registration mode {e}"))?;
    let store = super::open_store(config).await?;
    let update = SettingsUpdate {
        registration_mode: Some(mode),
        ..SettingsUpdate::default()
    };
    let done = store
        .update_instance_settings(&update, &cli_entry(InstanceAuditAction::SettingsUpdate)?)
        .await;
    store.close().await;
    done?;
    eprintln!("registration is now {}", mode.as_str());
    Ok(())
}

pub async fn create_invite(
    config: &Config,
    max_uses: Option<u64>,
    expires: Option<&str>,
) -> anyhow::Result<()> {
    let max_age = expires
        .map(parse_duration)
        .transpose()?
        .map(|d| d.as_secs());
    let limits =
        InviteLimits::parse(max_uses, max_age).map_err(|e| anyhow::anyhow!("invite limits {e}"))?;
    let store = super::open_store(config).await?;
    let entry = cli_entry(InstanceAuditAction::InviteCreate)?;
    let invite = invites::create(&store, None, limits, entry).await;
    store.close().await;
    let invite = invite?;
    println!("{}", invite.code);
    Ok(())
}

/// Parses `30m`, `12h`, `7d`, `2w` or plain seconds.
pub fn parse_duration(raw: &str) -> anyhow::Result<Duration> {
    let raw = raw.trim();
    let split = raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len());
    let (digits, unit) = raw.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| anyhow::anyhow!("expected a duration such as 7d, got {raw:?}"))?;
    let unit_secs = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 604_800,
        _ => anyhow::bail!("unknown duration unit {unit:?} (use s, m, h, d or w)"),
    };
    n.checked_mul(unit_secs)
        .map(Duration::from_secs)
        .ok_or_else(|| anyhow::anyhow!("duration too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(
            parse_duration("7d").unwrap(),
            Duration::from_secs(7 * 86_400)
        );
        assert_eq!(parse_duration("90").unwrap(), Duration::from_secs(90));
        assert_eq!(
            parse_duration("2w").unwrap(),
            Duration::from_secs(14 * 86_400)
        );
        for bad in ["", "d", "7y", "-1d", "99999999999999999999d"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
