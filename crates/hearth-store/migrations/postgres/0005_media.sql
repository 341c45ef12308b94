-- Files: message attachments, custom emoji, the image columns of users, guilds and roles, and the
-- queue of blobs to delete. Ids are snowflakes; times are unix milliseconds. Blob keys are derived
-- from ids (see hearth-server's media/keys.rs), so no row stores a path.

-- A file sent with a message. The row is written before the bytes are stored (message_id NULL: an
-- upload in progress) and attached to its message in the message's own transaction, so every stored
-- blob has a row. A row never attached within the upload timeout is a failed upload; the server's
-- janitor deletes it, which queues its blobs for deletion (trigger below).
CREATE TABLE attachments (
    id BIGINT PRIMARY KEY,
    message_id BIGINT REFERENCES messages (id) ON DELETE CASCADE,
    -- Not foreign keys: kept for the download check and the quota while an upload is in flight.
    channel_id BIGINT NOT NULL,
    uploader_id BIGINT NOT NULL,
    position BIGINT NOT NULL DEFAULT 0,
    filename TEXT NOT NULL,
    description TEXT,
    -- Sniffed from the bytes.
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    width BIGINT,
    height BIGINT,
    placeholder TEXT,
    duration_ms BIGINT,
    -- Discord's attachment flags (8 spoiler, 32 animated).
    flags BIGINT NOT NULL DEFAULT 0,
    -- 0 served as stored, 1 waiting for processing (not downloadable yet), 2 processed.
    state BIGINT NOT NULL,
    -- Comma-separated widths of the stored thumbnails, each with its format ("160:jpg,400:jpg").
    thumbnails TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX attachments_by_message ON attachments (message_id, position);
CREATE INDEX attachments_by_uploader ON attachments (uploader_id);
CREATE INDEX attachments_unattached ON attachments (created_at) WHERE message_id IS NULL;
CREATE INDEX attachments_waiting ON attachments (state) WHERE state = 1;

CREATE TABLE guild_emojis (
    id BIGINT PRIMARY KEY,
    guild_id BIGINT NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    animated BOOLEAN NOT NULL,
    -- png, gif or webp: the stored image's format.
    format TEXT NOT NULL,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX guild_emojis_by_guild ON guild_emojis (guild_id, id);

-- The roles allowed to use an emoji; none means everyone.
CREATE TABLE guild_emoji_roles (
    emoji_id BIGINT NOT NULL REFERENCES guild_emojis (id) ON DELETE CASCADE,
    role_id BIGINT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
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

-- PostgreSQL triggers call functions: one per owner kind, each queueing the owner's prefixes.
CREATE FUNCTION attachments_blobs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO blob_deletions (prefix) VALUES ('attachments/' || OLD.id || '/') ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER attachments_blobs AFTER DELETE ON attachments
    FOR EACH ROW EXECUTE FUNCTION attachments_blobs();

CREATE FUNCTION guild_emojis_blobs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO blob_deletions (prefix) VALUES ('emojis/' || OLD.id || '/') ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER guild_emojis_blobs AFTER DELETE ON guild_emojis
    FOR EACH ROW EXECUTE FUNCTION guild_emojis_blobs();

-- TG_ARGV[0]: the column; TG_ARGV[1]: the key prefix. On delete every image of the row goes.
CREATE FUNCTION image_blobs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_hash TEXT;
    new_hash TEXT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO blob_deletions (prefix) VALUES (TG_ARGV[1] || '/' || OLD.id || '/') ON CONFLICT DO NOTHING;
        RETURN NULL;
    END IF;
    old_hash := to_jsonb(OLD) ->> TG_ARGV[0];
    new_hash := to_jsonb(NEW) ->> TG_ARGV[0];
    IF old_hash IS NOT NULL AND old_hash IS DISTINCT FROM new_hash THEN
        INSERT INTO blob_deletions (prefix) VALUES (TG_ARGV[1] || '/' || OLD.id || '/' || old_hash || '/') ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER users_avatar_blobs AFTER UPDATE OF avatar ON users
    FOR EACH ROW EXECUTE FUNCTION image_blobs('avatar', 'avatars');
CREATE TRIGGER users_banner_blobs AFTER UPDATE OF banner ON users
    FOR EACH ROW EXECUTE FUNCTION image_blobs('banner', 'banners');
CREATE TRIGGER users_avatar_gone AFTER DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION image_blobs('avatar', 'avatars');
CREATE TRIGGER users_banner_gone AFTER DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION image_blobs('banner', 'banners');
CREATE TRIGGER guilds_icon_blobs AFTER UPDATE OF icon ON guilds
    FOR EACH ROW EXECUTE FUNCTION image_blobs('icon', 'icons');
CREATE TRIGGER guilds_banner_blobs AFTER UPDATE OF banner ON guilds
    FOR EACH ROW EXECUTE FUNCTION image_blobs('banner', 'banners');
CREATE TRIGGER guilds_icon_gone AFTER DELETE ON guilds
    FOR EACH ROW EXECUTE FUNCTION image_blobs('icon', 'icons');
CREATE TRIGGER guilds_banner_gone AFTER DELETE ON guilds
    FOR EACH ROW EXECUTE FUNCTION image_blobs('banner', 'banners');
CREATE TRIGGER roles_icon_blobs AFTER UPDATE OF icon ON roles
    FOR EACH ROW EXECUTE FUNCTION image_blobs('icon', 'role-icons');
CREATE TRIGGER roles_icon_gone AFTER DELETE ON roles
    FOR EACH ROW EXECUTE FUNCTION image_blobs('icon', 'role-icons');
