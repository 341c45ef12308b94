-- Communities: guilds, their roles and channels, channel permission overwrites, members and their
-- roles, guild invites and bans. Ids are snowflakes; times are unix milliseconds; permission bitfields
-- are the u64 bit pattern stored as a signed 64-bit integer.
CREATE TABLE guilds (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    owner_id BIGINT NOT NULL REFERENCES users (id),
    -- Not a foreign key: channels reference guilds, and a cycle would make restores order-dependent.
    -- Deleting the channel clears it in the same transaction.
    system_channel_id BIGINT,
    default_message_notifications BIGINT NOT NULL DEFAULT 0,
    verification_level BIGINT NOT NULL DEFAULT 0,
    explicit_content_filter BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX guilds_by_owner ON guilds (owner_id);

-- The @everyone role has the guild's id and position 0.
CREATE TABLE roles (
    id BIGINT PRIMARY KEY,
    guild_id BIGINT NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    color BIGINT NOT NULL DEFAULT 0,
    hoist BOOLEAN NOT NULL DEFAULT FALSE,
    mentionable BOOLEAN NOT NULL DEFAULT FALSE,
    position BIGINT NOT NULL,
    permissions BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX roles_by_guild ON roles (guild_id, position);

CREATE TABLE channels (
    id BIGINT PRIMARY KEY,
    guild_id BIGINT NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
    type BIGINT NOT NULL,
    name TEXT NOT NULL,
    topic TEXT,
    position BIGINT NOT NULL DEFAULT 0,
    -- A category of the same guild. Not a foreign key, for the same reason as system_channel_id;
    -- deleting a category clears it on its children in the same transaction.
    parent_id BIGINT,
    nsfw BOOLEAN NOT NULL DEFAULT FALSE,
    rate_limit_per_user BIGINT NOT NULL DEFAULT 0,
    bitrate BIGINT,
    user_limit BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX channels_by_guild ON channels (guild_id, position);
CREATE INDEX channels_by_parent ON channels (parent_id) WHERE parent_id IS NOT NULL;

-- kind: 0 role, 1 member (Discord's overwrite `type`).
CREATE TABLE channel_overwrites (
    channel_id BIGINT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    target_id BIGINT NOT NULL,
    kind BIGINT NOT NULL,
    allow_bits BIGINT NOT NULL,
    deny_bits BIGINT NOT NULL,
    PRIMARY KEY (channel_id, target_id)
);
CREATE INDEX channel_overwrites_by_target ON channel_overwrites (target_id);

CREATE TABLE members (
    guild_id BIGINT NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    nick TEXT,
    joined_at BIGINT NOT NULL,
    -- Joined through a temporary invite and not yet given a role.
    is_temporary BOOLEAN NOT NULL DEFAULT FALSE,
    communication_disabled_until BIGINT,
    PRIMARY KEY (guild_id, user_id)
);
CREATE INDEX members_by_user ON members (user_id);

CREATE TABLE member_roles (
    guild_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    role_id BIGINT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    PRIMARY KEY (guild_id, user_id, role_id),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
);
CREATE INDEX member_roles_by_role ON member_roles (role_id);

CREATE TABLE guild_invites (
    code TEXT PRIMARY KEY,
    guild_id BIGINT NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
    channel_id BIGINT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    inviter_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    -- Seconds, as requested (0 = never); expires_at is derived from it.
    max_age BIGINT NOT NULL,
    expires_at BIGINT,
    max_uses BIGINT NOT NULL DEFAULT 0,
    uses BIGINT NOT NULL DEFAULT 0,
    temporary BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX guild_invites_by_guild ON guild_invites (guild_id);
CREATE INDEX guild_invites_by_channel ON guild_invites (channel_id);

CREATE TABLE guild_bans (
    guild_id BIGINT NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason TEXT,
    banned_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);
