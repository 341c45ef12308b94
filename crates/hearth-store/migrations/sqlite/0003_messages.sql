-- Messages, their mentions and reactions, send nonces, and read states. Ids are snowflakes; times are
-- unix milliseconds. A message goes with its channel (and so with its guild).
CREATE TABLE messages (
    id INTEGER PRIMARY KEY NOT NULL,
    channel_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    guild_id INTEGER NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES users (id),
    content TEXT NOT NULL,
    -- Discord's message type: 0 default, 19 reply.
    kind INTEGER NOT NULL DEFAULT 0,
    -- The message replied to, in the same channel. Not a foreign key: a reply outlives what it
    -- answers (it then shows the original as deleted).
    reference_id INTEGER,
    mention_everyone BOOLEAN NOT NULL DEFAULT FALSE,
    pinned_at INTEGER,
    edited_at INTEGER,
    created_at INTEGER NOT NULL
);
-- History pages (before/after/around) walk this index.
CREATE INDEX messages_by_channel ON messages (channel_id, id);
-- Slow mode: the author's last message in the channel.
CREATE INDEX messages_by_author ON messages (author_id, channel_id, id);
CREATE INDEX messages_pinned ON messages (channel_id, pinned_at) WHERE pinned_at IS NOT NULL;
-- Mention counts: messages that notify everyone, per guild.
CREATE INDEX messages_mentioning_everyone ON messages (guild_id, id) WHERE mention_everyone;

CREATE TABLE message_mentions (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (message_id, user_id)
);
CREATE INDEX message_mentions_by_user ON message_mentions (user_id, message_id);

CREATE TABLE message_role_mentions (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    role_id INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    PRIMARY KEY (message_id, role_id)
);
CREATE INDEX message_role_mentions_by_role ON message_role_mentions (role_id, message_id);

-- The nonces of recent sends, so that a retried send answers the first message. Rows older than the
-- dedupe window are ignored and swept by the server's upkeep.
CREATE TABLE message_nonces (
    channel_id INTEGER NOT NULL,
    author_id INTEGER NOT NULL,
    nonce TEXT NOT NULL,
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (channel_id, author_id, nonce)
);
CREATE INDEX message_nonces_by_age ON message_nonces (created_at);
CREATE INDEX message_nonces_by_message ON message_nonces (message_id);

-- emoji: a unicode emoji in its fully qualified form.
CREATE TABLE reactions (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    emoji TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, emoji, user_id)
);

-- A user's read marker in a channel. last_message_id is not a foreign key: the message may be deleted
-- and the marker still holds its place.
CREATE TABLE read_states (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    last_message_id INTEGER NOT NULL,
    PRIMARY KEY (user_id, channel_id)
);
CREATE INDEX read_states_by_channel ON read_states (channel_id);

-- The newest message sent in the channel (Discord's last_message_id); kept when that message goes.
ALTER TABLE channels ADD COLUMN last_message_id INTEGER;
