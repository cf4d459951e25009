-- The Failed view at scale: whether a conversation has a failure left to deal with is kept on
-- its row by triggers, so the view, its count and the list's red mark read an index instead of
-- probing every conversation's messages. The rule is the one of `failed_unresolved!` in
-- crates/core/src/store/conversations.rs (a test holds the two to the same answer): a failed
-- or undelivered outbound message that nobody dismissed and that has no resend.
ALTER TABLE conversations ADD COLUMN failed INTEGER NOT NULL DEFAULT 0;

UPDATE conversations SET failed = EXISTS (
    SELECT 1 FROM messages f
    WHERE f.conversation_id = conversations.id
      AND f.direction = 'outbound' AND f.status IN ('failed', 'undelivered')
      AND f.dismissed_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.resend_of = f.id));

CREATE INDEX conversations_failed ON conversations (last_activity_at DESC, id DESC)
    WHERE failed = 1;

-- A failure arrives, or a resend takes one over.
CREATE TRIGGER conversations_failed_on_insert AFTER INSERT ON messages
WHEN NEW.direction = 'outbound'
 AND (NEW.status IN ('failed', 'undelivered') OR NEW.resend_of IS NOT NULL)
BEGIN
    UPDATE conversations SET failed = EXISTS (
        SELECT 1 FROM messages f
        WHERE f.conversation_id = NEW.conversation_id
          AND f.direction = 'outbound' AND f.status IN ('failed', 'undelivered')
          AND f.dismissed_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.resend_of = f.id))
    WHERE id = NEW.conversation_id;
END;

-- A status turns to failed (or, in theory, back), a failure is dismissed.
CREATE TRIGGER conversations_failed_on_update AFTER UPDATE OF status, dismissed_at, resend_of
ON messages
WHEN NEW.direction = 'outbound'
BEGIN
    UPDATE conversations SET failed = EXISTS (
        SELECT 1 FROM messages f
        WHERE f.conversation_id = NEW.conversation_id
          AND f.direction = 'outbound' AND f.status IN ('failed', 'undelivered')
          AND f.dismissed_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.resend_of = f.id))
    WHERE id = NEW.conversation_id;
END;

CREATE TRIGGER conversations_failed_on_delete AFTER DELETE ON messages
WHEN OLD.direction = 'outbound'
BEGIN
    UPDATE conversations SET failed = EXISTS (
        SELECT 1 FROM messages f
        WHERE f.conversation_id = OLD.conversation_id
          AND f.direction = 'outbound' AND f.status IN ('failed', 'undelivered')
          AND f.dismissed_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.resend_of = f.id))
    WHERE id = OLD.conversation_id;
END;
