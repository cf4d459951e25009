-- The shared inbox: who is on the team, who handles which conversation, and the notes they
-- leave each other. Rows a second desktop will one day exchange carry a `uid` (a UUID) besides
-- the local integer id, so they can be matched across databases.

ALTER TABLE team_members ADD COLUMN uid TEXT;
ALTER TABLE team_members ADD COLUMN updated_at INTEGER;
-- A member who left keeps their name on what they wrote; they are no longer offered.
ALTER TABLE team_members ADD COLUMN removed_at INTEGER;
UPDATE team_members SET uid = lower(hex(randomblob(16))), updated_at = created_at WHERE uid IS NULL;
CREATE UNIQUE INDEX team_members_by_uid ON team_members (uid);

ALTER TABLE conversations ADD COLUMN assigned_at INTEGER;
ALTER TABLE conversations ADD COLUMN state_changed_at INTEGER;

-- Internal notes in a thread: never sent to anyone.
CREATE TABLE notes (
    id               INTEGER PRIMARY KEY,
    uid              TEXT    NOT NULL UNIQUE,
    conversation_id  INTEGER NOT NULL REFERENCES conversations (id),
    author_id        INTEGER REFERENCES team_members (id),
    body             TEXT    NOT NULL,
    created_at       INTEGER NOT NULL
);
CREATE INDEX notes_by_conversation ON notes (conversation_id, created_at, id);

-- The list's views: open or closed, mine or nobody's, newest activity first.
CREATE INDEX conversations_by_state ON conversations (state, last_activity_at DESC, id DESC);
CREATE INDEX conversations_by_assignee
    ON conversations (assignee_id, state, last_activity_at DESC, id DESC);
CREATE INDEX conversations_by_sender
    ON conversations (sender_id, state, last_activity_at DESC, id DESC);
-- The Failed view: conversations with a failed message.
CREATE INDEX messages_failed ON messages (conversation_id)
    WHERE direction = 'outbound' AND status IN ('failed', 'undelivered');
