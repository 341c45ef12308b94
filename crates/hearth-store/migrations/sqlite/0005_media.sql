-- Files: message attachments, custom emoji, the image columns of users, guilds and roles, and the
-- queue of blobs to delete. Ids are snowflakes; times are unix milliseconds. Blob keys are derived
-- from ids (see hearth-server's media/keys.rs), so no row stores a path.

-- A file sent with a message. The row is written before the bytes are stored (message_id NULL: an
-- upload in progress) and attached to its message in the message's own transaction, so every stored
-- blob has a row. A row never attached within the upload timeout is a failed upload; the server's
-- janitor deletes it, which queues its blobs for deletion (trigger below).
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY NOT NULL,
    message_id INTEGER REFERENCES messages (id) ON DELETE CASCADE,
    -- Not foreign keys: kept for the download check and the quota while an upload is in flight.
    channel_id INTEGER NOT NULL,
    uploader_id INTEGER NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    filename TEXT NOT NULL,
    description TEXT,
    -- Sniffed from the bytes.
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    width INTEGER,
    height INTEGER,
    placeholder TEXT,
    duration_ms INTEGER,
    -- Discord's attachment flags (8 spoiler, 32 animated).
    flags INTEGER NOT NULL DEFAULT 0,
    -- 0 served as stored, 1 waiting for processing (not downloadable yet), 2 processed.
    state INTEGER NOT NULL,
    -- Comma-separated widths of the stored thumbnails, each with its format ("160:jpg,400:jpg").
    thumbnails TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX attachments_by_message ON attachments (message_id, position);
CREATE INDEX attachments_by_uploader ON attachments (uploader_id);
CREATE INDEX attachments_unattached ON attachments (created_at) WHERE message_id IS NULL;
CREATE INDEX attachments_waiting ON attachments (state) WHERE state = 1;

CREATE TABLE guild_emojis (
    id INTEGER PRIMARY KEY NOT NULL,
    guild_id INTEGER NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    animated BOOLEAN NOT NULL,
    -- png, gif or webp: the stored image's format.
    format TEXT NOT NULL,
    creator_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX guild_emojis_by_guild ON guild_emojis (guild_id, id);

-- The roles allowed to use an emoji; none means everyone.
CREATE TABLE guild_emoji_roles (
    emoji_id INTEGER NOT NULL REFERENCES guild_emojis (id) ON DELETE CASCADE,
    role_id INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    PRIMARY KEY (emoji_id, role_id)
);

-- Server-wide secrets made on first use and shared by every node (the key that signs download
-- addresses). Hex text.
CREATE TABLE secrets (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

-- Link previews (Discord's embeds) as a JSON array, written after the message by the preview job.
ALTER TABLE messages ADD COLUMN embeds TEXT;

-- Image hashes (Discord's): the blob lives under a key made of the owner's id and the hash.
ALTER TABLE users ADD COLUMN avatar TEXT;
ALTER TABLE users ADD COLUMN banner TEXT;
ALTER TABLE guilds ADD COLUMN icon TEXT;
ALTER TABLE guilds ADD COLUMN banner TEXT;
ALTER TABLE roles ADD COLUMN icon TEXT;

-- Blob key prefixes whose objects are to be deleted. Written by the triggers below in the transaction
-- that removes the last reference (cascades included), so no delete path can forget the blobs; the
-- janitor deletes the objects, then the row.
CREATE TABLE blob_deletions (
    prefix TEXT PRIMARY KEY NOT NULL
);

CREATE TRIGGER attachments_blobs AFTER DELETE ON attachments
BEGIN
    INSERT OR IGNORE INTO blob_deletions (prefix) VALUES ('attachments/' || OLD.id || '/');
END;
CREATE TRIGGER guild_emojis_blobs AFTER DELETE ON guild_emojis
BEGIN
    INSERT OR IGNORE INTO blob_deletions (prefix) VALUES ('emojis/' || OLD.id || '/');
END;
CREATE TRIGGER users_avatar_blobs AFTER UPDATE OF avatar ON users
WHEN OLD.avatar IS NOT NULL AND OLD.avatar IS NOT NEW.avatar
BEGIN
    INSERT OR IGNORE INTO blob_deletions (prefix) VALUES ('avatars/' || OLD.id || '/' || OLD.avatar || '/');
END;
CREATE TRIGGER users_banner_blobs AFTER UPDATE OF banner ON users
WHEN OLD.banner IS NOT NULL AND OLD.banner IS NOT NEW.banner
BEGIN
    INSERT OR IGNORE INTO blob_deletions (prefix) VALUES ('banners/' || OLD.id || '/' || OLD.banner || '/');
END;
CREATE TRIGGER users_image_blobs AFTER DELETE ON users
BEGIN
    INSERT OR IGNORE INTO blob_deletions (prefix) VALUES ('avatars/' || OLD.id || '/');
    INSERT OR IGNORE INTO blob_deletions (prefix) VALUES ('banners/' || OLD.id || '/');
END;
CREATE TRIGGER guilds_icon_blobs AFTER UPDATE OF icon ON guilds
WHEN OLD.icon IS NOT NULL AND OLD.icon IS NOT NEW.icon
BEGIN
    INSERT OR IGNORE INTO blob_deletions (prefix) VALUES ('icons/' || OLD.id || '/' || OLD.icon || '/');
END;
CREATE TRIGGER guilds_banner_blobs AFTER UPDATE OF banner ON guilds
WHEN OLD.banner IS NOT NULL AND OLD.banner IS NOT NEW.banner
BEGIN
    INSERT OR IGNORE INTO blob_deletions (prefix) VALUES ('banners/' || OLD.id || '/' || OLD.banner || '/');
END;
CREATE TRIGGER guilds_image_blobs AFTER DELETE ON guilds
BEGIN
    INSERT OR IGNORE INTO blob_deletions (prefix) VALUES ('icons/' || OLD.id || '/');
    INSERT OR IGNORE INTO blob_deletions (prefix) VALUES ('banners/' || OLD.id || '/');
END;
CREATE TRIGGER roles_icon_blobs AFTER UPDATE OF icon ON roles
WHEN OLD.icon IS NOT NULL AND OLD.icon IS NOT NEW.icon
BEGIN
    INSERT OR IGNORE INTO blob_deletions (prefix) VALUES ('role-icons/' || OLD.id || '/' || OLD.icon || '/');
END;
CREATE TRIGGER roles_image_blobs AFTER DELETE ON roles
BEGIN
    INSERT OR IGNORE INTO blob_deletions (prefix) VALUES ('role-icons/' || OLD.id || '/');
END;
