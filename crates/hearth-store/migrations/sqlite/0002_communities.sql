-- Communities: guilds, their roles and channels, channel permission overwrites, members and their
-- roles, guild invites and bans. Ids are snowflakes; times are unix milliseconds; permission bitfields
-- are the u64 bit pattern stored as a signed 64-bit integer.
CREATE TABLE guilds (
    id INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    owner_id INTEGER NOT NULL REFERENCES users (id),
    -- Not a foreign key: channels reference guilds, and a cycle would make restores order-dependent.
    -- Deleting the channel clears it in the same transaction.
    system_channel_id INTEGER,
    default_message_notifications INTEGER NOT NULL DEFAULT 0,
    verification_level INTEGER NOT NULL DEFAULT 0,
    explicit_content_filter INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX guilds_by_owner ON guilds (owner_id);

-- The @everyone role has the guild's id and position 0.
CREATE TABLE roles (
    id INTEGER PRIMARY KEY NOT NULL,
    guild_id INTEGER NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    color INTEGER NOT NULL DEFAULT 0,
    hoist BOOLEAN NOT NULL DEFAULT FALSE,
    mentionable BOOLEAN NOT NULL DEFAULT FALSE,
    position INTEGER NOT NULL,
    permissions INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX roles_by_guild ON roles (guild_id, position);

CREATE TABLE channels (
    id INTEGER PRIMARY KEY NOT NULL,
    guild_id INTEGER NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
    type INTEGER NOT NULL,
    name TEXT NOT NULL,
    topic TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    -- A category of the same guild. Not a foreign key, for the same reason as system_channel_id;
    -- deleting a category clears it on its children in the same transaction.
    parent_id INTEGER,
    nsfw BOOLEAN NOT NULL DEFAULT FALSE,
    rate_limit_per_user INTEGER NOT NULL DEFAULT 0,
    bitrate INTEGER,
    user_limit INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX channels_by_guild ON channels (guild_id, position);
CREATE INDEX channels_by_parent ON channels (parent_id) WHERE parent_id IS NOT NULL;

-- kind: 0 role, 1 member (Discord's overwrite `type`).
CREATE TABLE channel_overwrites (
    channel_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    target_id INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    allow_bits INTEGER NOT NULL,
    deny_bits INTEGER NOT NULL,
    PRIMARY KEY (channel_id, target_id)
);
CREATE INDEX channel_overwrites_by_target ON channel_overwrites (target_id);

CREATE TABLE members (
    guild_id INTEGER NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    nick TEXT,
    joined_at INTEGER NOT NULL,
    -- Joined through a temporary invite and not yet given a role.
    is_temporary BOOLEAN NOT NULL DEFAULT FALSE,
    communication_disabled_until INTEGER,
    PRIMARY KEY (guild_id, user_id)
);
CREATE INDEX members_by_user ON members (user_id);

CREATE TABLE member_roles (
    guild_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    role_id INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    PRIMARY KEY (guild_id, user_id, role_id),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
);
CREATE INDEX member_roles_by_role ON member_roles (role_id);

CREATE TABLE guild_invites (
    code TEXT PRIMARY KEY NOT NULL,
    guild_id INTEGER NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
    channel_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    inviter_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    -- Seconds, as requested (0 = never); expires_at is derived from it.
    max_age INTEGER NOT NULL,
    expires_at INTEGER,
    max_uses INTEGER NOT NULL DEFAULT 0,
    uses INTEGER NOT NULL DEFAULT 0,
    temporary BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX guild_invites_by_guild ON guild_invites (guild_id);
CREATE INDEX guild_invites_by_channel ON guild_invites (channel_id);

CREATE TABLE guild_bans (
    guild_id INTEGER NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason TEXT,
    banned_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);
