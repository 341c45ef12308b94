//! The one authorisation layer for communities: who may see and do what in a guild or channel.
//!
//! Every guild- or channel-scoped handler starts by loading a [`GuildAccess`] or [`ChannelAccess`];
//! nothing else decides membership, visibility, permissions or hierarchy. Architecture invariant: a user
//! who may not see a guild or channel gets the same 404 as for one that does not exist, so ids cannot be
//! probed; 403 is reserved for things the user can see but not do.

use hearth_core::{Actor, AuditAction, Permissions, RoleRank, Snowflake, Subject};
use hearth_store::{
    ChannelRecord, GuildContext, GuildRecord, MemberRecord, NewAuditEntry, RoleRecord, UserRecord,
};

use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult, Entity};
use crate::state::AppState;

/// A member's standing in one guild, loaded once per request.
pub struct GuildAccess {
    pub context: GuildContext,
    /// The member's roles other than @everyone, with their permissions (resolution input).
    member_roles: Vec<(Snowflake, Permissions)>,
    /// Guild-level permissions.
    pub permissions: Permissions,
    now_ms: i64,
}

impl GuildAccess {
    /// Loads `user`'s view of the guild; `UNKNOWN_GUILD` when it does not exist or they are not in it.
    pub async fn load(state: &AppState, user: &UserRecord, guild_id: Snowflake) -> ApiResult<Self> {
        let context = state
            .store
            .guild_context(guild_id, user.id)
            .await?
            .ok_or(ApiError::NotFound(Entity::Guild))?;
        Ok(Self::from_context(context, now_ms()))
    }

    pub fn from_context(context: GuildContext, now_ms: i64) -> Self {
        let member_roles = role_grants(&context.roles, &context.member.roles);
        let mut access = Self {
            context,
            member_roles,
            permissions: Permissions::empty(),
            now_ms,
        };
        access.permissions = access.subject().guild_permissions();
        access
    }

    pub fn guild(&self) -> &GuildRecord {
        &self.context.guild
    }

    pub fn guild_id(&self) -> Snowflake {
        self.context.guild.id
    }

    pub fn user_id(&self) -> Snowflake {
        self.context.member.user.id
    }

    pub fn is_owner(&self) -> bool {
        self.context.guild.owner_id == self.user_id()
    }

    /// An audit entry for an action this member takes in the guild, to be written by the store in the
    /// transaction of the change (see `hearth_store::NewAuditEntry`).
    pub fn audit(
        &self,
        state: &AppState,
        action: AuditAction,
        reason: Option<String>,
    ) -> NewAuditEntry {
        NewAuditEntry::new(
            state.next_id(),
            self.guild_id(),
            Some(self.user_id()),
            action,
        )
        .reason(reason)
    }

    fn everyone_permissions(&self) -> Permissions {
        self.context
            .roles
            .iter()
            .find(|r| r.is_everyone())
            .map_or(Permissions::empty(), |r| r.permissions)
    }

    fn subject(&self) -> Subject<'_> {
        Subject {
            guild_id: self.guild_id(),
            user_id: self.user_id(),
            is_owner: self.is_owner(),
            is_timed_out: self.context.member.is_timed_out(self.now_ms),
            everyone: self.everyone_permissions(),
            roles: &self.member_roles,
        }
    }

    /// Another member's guild-level permissions (ignoring any timeout), resolved the same way from
    /// the roles already loaded: for rules about the target of an action, such as "administrators
    /// cannot be timed out" or "the assignee must manage reports".
    pub fn permissions_of(&self, member: &MemberRecord) -> Permissions {
        Subject {
            guild_id: self.guild_id(),
            user_id: member.user.id,
            is_owner: member.user.id == self.context.guild.owner_id,
            is_timed_out: false,
            everyone: self.everyone_permissions(),
            roles: &role_grants(&self.context.roles, &member.roles),
        }
        .guild_permissions()
    }

    /// What the member may do in `channel` (which must belong to this guild).
    pub fn channel_permissions(&self, channel: &ChannelRecord) -> Permissions {
        self.subject().channel_permissions(&channel.overwrites)
    }

    /// Whether the member can view `channel` (which must belong to this guild).
    pub fn can_view(&self, channel: &ChannelRecord) -> bool {
        self.channel_permissions(channel)
            .contains(Permissions::VIEW_CHANNEL)
    }

    /// `MISSING_PERMISSIONS` naming what is missing, unless the member holds all of `needed`.
    pub fn require(&self, needed: Permissions) -> ApiResult<()> {
        require_in(self.permissions, needed)
    }

    pub fn require_owner(&self) -> ApiResult<()> {
        if self.is_owner() {
            Ok(())
        } else {
            Err(ApiError::OwnerOnly)
        }
    }

    /// A role of this guild (@everyone included); `UNKNOWN_ROLE` otherwise.
    pub fn role(&self, id: Snowflake) -> ApiResult<&RoleRecord> {
        self.context
            .roles
            .iter()
            .find(|r| r.id == id)
            .ok_or(ApiError::NotFound(Entity::Role))
    }

    /// The highest rank among `role_ids` (ids not in the guild are ignored), @everyone's when none.
    pub fn top_rank(&self, role_ids: &[Snowflake]) -> RoleRank {
        self.context
            .roles
            .iter()
            .filter(|r| role_ids.contains(&r.id))
            .map(RoleRecord::rank)
            .max()
            .unwrap_or_else(|| RoleRank::everyone(self.guild_id()))
    }

    pub fn actor(&self) -> Actor {
        Actor {
            is_owner: self.is_owner(),
            top_role: self.top_rank(&self.context.member.roles),
            permissions: self.permissions,
        }
    }

    /// Refuses managing a role at or above the member's own highest role.
    pub fn require_outranks_role(&self, role: &RoleRecord) -> ApiResult<()> {
        if self.actor().outranks_role(role.rank()) {
            Ok(())
        } else {
            Err(ApiError::Hierarchy(
                "the role is at or above your highest role",
            ))
        }
    }

    /// Refuses acting on a member whose highest role is at or above the actor's (or on the owner).
    pub fn require_outranks_member(&self, target: &MemberRecord) -> ApiResult<()> {
        let target_is_owner = target.user.id == self.context.guild.owner_id;
        if self
            .actor()
            .outranks_member(target_is_owner, self.top_rank(&target.roles))
        {
            Ok(())
        } else {
            Err(ApiError::Hierarchy(
                "the member's highest role is at or above yours",
            ))
        }
    }

    /// Refuses adding or removing permissions the actor does not hold.
    pub fn require_can_grant(&self, changed: Permissions) -> ApiResult<()> {
        if self.actor().can_grant(changed) {
            Ok(())
        } else {
            Err(ApiError::Hierarchy(
                "you cannot grant or revoke permissions you do not have",
            ))
        }
    }
}

/// A member's standing in one channel of a guild.
pub struct ChannelAccess {
    pub guild: GuildAccess,
    pub channel: ChannelRecord,
    /// Channel-level permissions (after overwrites and implicit rules).
    pub permissions: Permissions,
}

impl ChannelAccess {
    /// Loads `user`'s view of the channel; `UNKNOWN_CHANNEL` when it does not exist, they are not in its
    /// guild, or they cannot view it.
    pub async fn load(
        state: &AppState,
        user: &UserRecord,
        channel_id: Snowflake,
    ) -> ApiResult<Self> {
        let channel = state
            .store
            .channel_by_id(channel_id)
            .await?
            .ok_or(ApiError::NotFound(Entity::Channel))?;
        let guild = GuildAccess::load(state, user, channel.guild_id)
            .await
            .map_err(|e| match e {
                ApiError::NotFound(_) => ApiError::NotFound(Entity::Channel),
                other => other,
            })?;
        Self::new(guild, channel)
    }

    /// Wraps a channel already loaded; `UNKNOWN_CHANNEL` unless the member can view it.
    pub fn new(guild: GuildAccess, channel: ChannelRecord) -> ApiResult<Self> {
        if channel.guild_id != guild.guild_id() {
            return Err(ApiError::NotFound(Entity::Channel));
        }
        let permissions = guild.channel_permissions(&channel);
        if !permissions.contains(Permissions::VIEW_CHANNEL) {
            return Err(ApiError::NotFound(Entity::Channel));
        }
        Ok(Self {
            guild,
            channel,
            permissions,
        })
    }

    pub fn require(&self, needed: Permissions) -> ApiResult<()> {
        require_in(self.permissions, needed)
    }
}

fn require_in(held: Permissions, needed: Permissions) -> ApiResult<()> {
    let missing = needed.difference(held);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ApiError::MissingPermissions(missing))
    }
}

/// The roles among `held` other than @everyone, with their permissions (resolution input).
fn role_grants(roles: &[RoleRecord], held: &[Snowflake]) -> Vec<(Snowflake, Permissions)> {
    roles
        .iter()
        .filter(|r| !r.is_everyone() && held.contains(&r.id))
        .map(|r| (r.id, r.permissions))
        .collect()
}
