-- Switchboard's first schema. Times are Unix milliseconds (UTC) so ordering and ranges
-- are plain integer comparisons that indexes serve directly.

CREATE TABLE team_members (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    initials    TEXT    NOT NULL,
    color       TEXT    NOT NULL DEFAULT '#4a6cf7',
    role        TEXT    NOT NULL DEFAULT 'agent' CHECK (role IN ('agent', 'admin')),
    created_at  INTEGER NOT NULL
);

-- Our own numbers at the provider, the "From" of outbound messages.
CREATE TABLE sender_numbers (
    id          INTEGER PRIMARY KEY,
    number      TEXT    NOT NULL UNIQUE,
    label       TEXT,
    created_at  INTEGER NOT NULL
);

CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    number      TEXT    NOT NULL UNIQUE,
    name        TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- One conversation per contact and sender number: that pair is what the customer sees as a thread.
CREATE TABLE conversations (
    id                INTEGER PRIMARY KEY,
    contact_id        INTEGER NOT NULL REFERENCES contacts (id),
    sender_id         INTEGER NOT NULL REFERENCES sender_numbers (id),
    assignee_id       INTEGER REFERENCES team_members (id),
    state             TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
    last_activity_at  INTEGER NOT NULL,
    unread            INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    UNIQUE (contact_id, sender_id)
);
CREATE INDEX conversations_by_activity ON conversations (last_activity_at DESC, id DESC);

CREATE TABLE templates (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved')),
    created_by  INTEGER REFERENCES team_members (id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE messages (
    id               INTEGER PRIMARY KEY,
    conversation_id  INTEGER NOT NULL REFERENCES conversations (id),
    -- The provider's id; NULL until the provider accepted an outbound message.
    sid              TEXT    UNIQUE,
    direction        TEXT    NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    from_number      TEXT    NOT NULL,
    to_number        TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    media            TEXT    NOT NULL DEFAULT '[]',   -- JSON array of media URLs
    status           TEXT    NOT NULL,                -- normalised, see domain::MessageStatus
    provider_status  TEXT,                            -- the provider's raw status string
    -- Where an outbound message is in our own outbox; NULL for inbound.
    outbox_state     TEXT    CHECK (outbox_state IN ('queued', 'submitting', 'accepted', 'rejected', 'unknown')),
    error_code       TEXT,
    error_message    TEXT,
    segments         INTEGER NOT NULL,
    encoding         TEXT    NOT NULL CHECK (encoding IN ('GSM-7', 'UCS-2')),
    author_id        INTEGER REFERENCES team_members (id),
    template_id      INTEGER REFERENCES templates (id),
    resend_of        INTEGER REFERENCES messages (id),
    price            TEXT,
    price_unit       TEXT,
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER,
    delivered_at     INTEGER,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, created_at, id);
CREATE INDEX messages_outbox ON messages (outbox_state, id) WHERE outbox_state IN ('queued', 'submitting');
CREATE INDEX messages_unsettled ON messages (status, id)
    WHERE direction = 'outbound' AND sid IS NOT NULL
      AND status IN ('queued', 'sending', 'sent');

-- One row per provider call made for an outbound message.
CREATE TABLE send_attempts (
    id           INTEGER PRIMARY KEY,
    message_id   INTEGER NOT NULL REFERENCES messages (id),
    kind         TEXT    NOT NULL CHECK (kind IN ('create', 'lookup')),
    started_at   INTEGER NOT NULL,
    finished_at  INTEGER,
    http_status  INTEGER,
    error_code   TEXT,
    outcome      TEXT    NOT NULL CHECK (outcome IN ('in_flight', 'accepted', 'rejected', 'no_answer', 'failed')),
    detail       TEXT
);
CREATE INDEX send_attempts_by_message ON send_attempts (message_id, id);

-- Cursors of the background sync, one row per key (e.g. inbound cursor per sender number).
CREATE TABLE sync_state (
    key         TEXT    PRIMARY KEY,
    value       TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- Full-text index over message bodies, kept current by triggers.
CREATE VIRTUAL TABLE messages_fts USING fts5 (
    body,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);
END;
