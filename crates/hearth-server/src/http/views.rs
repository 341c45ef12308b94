//! Store records rendered as wire types.

use hearth_protocol::admin::InstanceInvite;
use hearth_protocol::auth::Session;
use hearth_protocol::users::{CurrentUser, User};
use hearth_store::{InviteRecord, SessionRecord, UserRecord};

use crate::clock::rfc3339;

pub fn user(u: &UserRecord) -> User {
    User {
        id: u.id.to_string(),
        username: u.username.as_str().to_owned(),
        global_name: u.global_name.clone(),
        bio: u.bio.clone(),
        pronouns: u.pronouns.clone(),
        avatar: None,
        bot: u.is_bot,
        created_at: rfc3339(u.created_at),
    }
}

pub fn current_user(u: &UserRecord) -> CurrentUser {
    CurrentUser {
        user: user(u),
        admin: u.is_admin,
        owner: u.is_owner,
        mfa_enabled: false,
    }
}

pub fn session(s: &SessionRecord, current: hearth_core::Snowflake) -> Session {
    Session {
        id: s.id.to_string(),
        created_at: rfc3339(s.created_at),
        last_used_at: rfc3339(s.last_used_at),
        ip: s.ip.clone(),
        client: s.client.clone(),
        current: s.id == current,
    }
}

pub fn invite(i: &InviteRecord) -> InstanceInvite {
    InstanceInvite {
        code: i.code.clone(),
        created_at: rfc3339(i.created_at),
        expires_at: i.expires_at.map(rfc3339),
        max_uses: i.max_uses,
        uses: i.uses,
        created_by: i.created_by.map(|id| id.to_string()),
    }
}
