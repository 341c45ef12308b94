-- Moderation: the guild audit log, warnings, AutoMod rules, reports, voting moderation, and the
-- instance's own audit log and announcements. Ids are snowflakes; times are unix milliseconds.

-- One row per administrative action, written in the transaction that makes the change. The actor and
-- target are not foreign keys: the record outlives the users, channels and roles it names.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY NOT NULL,
    guild_id INTEGER NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
    -- NULL when the system acted (AutoMod, a passed vote).
    user_id INTEGER,
    -- hearth_core::AuditAction (Discord's numbers; Hearth's own from 1000).
    action_type INTEGER NOT NULL,
    target_id INTEGER,
    reason TEXT,
    -- JSON array of {key, old_value, new_value}.
    changes TEXT NOT NULL DEFAULT '[]',
    -- JSON object of action-specific details (channel_id, count, delete_message_seconds, …).
    options TEXT
);
CREATE INDEX audit_log_by_guild ON audit_log (guild_id, id);
CREATE INDEX audit_log_by_actor ON audit_log (guild_id, user_id, id);
CREATE INDEX audit_log_by_action ON audit_log (guild_id, action_type, id);

-- Warnings stay with the guild and the user, not the membership: leaving and rejoining keeps them.
CREATE TABLE member_warnings (
    id INTEGER PRIMARY KEY NOT NULL,
    guild_id INTEGER NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    moderator_id INTEGER,
    reason TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX member_warnings_by_member ON member_warnings (guild_id, user_id, id);

-- trigger_metadata, actions and the exempt lists are JSON validated by hearth_core::automod before
-- they are written; the server compiles them once per guild.
CREATE TABLE automod_rules (
    id INTEGER PRIMARY KEY NOT NULL,
    guild_id INTEGER NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    creator_id INTEGER,
    event_type INTEGER NOT NULL,
    trigger_type INTEGER NOT NULL,
    trigger_metadata TEXT NOT NULL,
    actions TEXT NOT NULL,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    exempt_roles TEXT NOT NULL DEFAULT '[]',
    exempt_channels TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX automod_rules_by_guild ON automod_rules (guild_id, id);

-- A report of a message or a user. guild_id is NULL for a report made to the instance's admins only;
-- escalated reports are also shown to them. The message's content is copied at report time so the
-- evidence survives its deletion.
CREATE TABLE reports (
    id INTEGER PRIMARY KEY NOT NULL,
    guild_id INTEGER REFERENCES guilds (id) ON DELETE SET NULL,
    reporter_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    target_user_id INTEGER NOT NULL,
    channel_id INTEGER,
    message_id INTEGER,
    message_content TEXT,
    category TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    -- 0 open, 1 resolved, 2 dismissed.
    status INTEGER NOT NULL DEFAULT 0,
    assignee_id INTEGER,
    escalated BOOLEAN NOT NULL DEFAULT FALSE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX reports_by_guild ON reports (guild_id, status, id);
CREATE INDEX reports_escalated ON reports (escalated, status, id);
-- Open reports by reporter: the open-report bound and the one-open-report-per-subject check (made
-- under the reporter's row lock, not by a unique index, so that a guild's deletion, which turns its
-- reports into instance reports, can never collide).
CREATE INDEX reports_by_reporter ON reports (reporter_id, status, target_user_id);

CREATE TABLE report_notes (
    id INTEGER PRIMARY KEY NOT NULL,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    author_id INTEGER,
    content TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX report_notes_by_report ON report_notes (report_id, id);

-- Voting moderation (off unless a guild enables it).
CREATE TABLE vote_settings (
    guild_id INTEGER PRIMARY KEY NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
    enabled BOOLEAN NOT NULL DEFAULT FALSE,
    -- Votes needed (for and against together) for a result to count.
    quorum INTEGER NOT NULL,
    -- Share of votes in favour needed to pass, in percent (51..=100).
    majority_percent INTEGER NOT NULL,
    duration_seconds INTEGER NOT NULL,
    timeout_seconds INTEGER NOT NULL
);

CREATE TABLE moderation_votes (
    id INTEGER PRIMARY KEY NOT NULL,
    guild_id INTEGER NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
    channel_id INTEGER,
    target_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    initiator_id INTEGER,
    reason TEXT NOT NULL DEFAULT '',
    quorum INTEGER NOT NULL,
    majority_percent INTEGER NOT NULL,
    timeout_seconds INTEGER NOT NULL,
    -- 0 open, 1 passed, 2 failed, 3 cancelled.
    status INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    closed_at INTEGER
);
CREATE INDEX moderation_votes_by_guild ON moderation_votes (guild_id, status, id);
CREATE INDEX moderation_votes_open ON moderation_votes (status, ends_at);
-- At most one open vote against a member at a time.
CREATE UNIQUE INDEX moderation_votes_one_open ON moderation_votes (guild_id, target_id) WHERE status = 0;

CREATE TABLE moderation_ballots (
    vote_id INTEGER NOT NULL REFERENCES moderation_votes (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    in_favour BOOLEAN NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (vote_id, user_id)
);

-- The instance administrators' own log (user management, settings, invites, announcements, reports).
CREATE TABLE instance_audit_log (
    id INTEGER PRIMARY KEY NOT NULL,
    user_id INTEGER,
    action TEXT NOT NULL,
    target_id INTEGER,
    reason TEXT,
    changes TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX instance_audit_log_by_actor ON instance_audit_log (user_id, id);
CREATE INDEX instance_audit_log_by_action ON instance_audit_log (action, id);

CREATE TABLE announcements (
    id INTEGER PRIMARY KEY NOT NULL,
    author_id INTEGER,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER
);
