-- A failure stays open (in Failed, triage, the unresolved count and `f`) until its fix goes
-- through: a resend still queued, waiting for a connection, being submitted or with an unknown
-- outcome leaves it open. Once the provider takes the resend (it has a SID), or the resend
-- fails too, the resend carries it on: one open failure per attempt chain, never none while
-- nothing went through. The rule is written once here, as a view the triggers read, and once
-- in crates/core/src/store/conversations.rs (`failed_unresolved!`); a randomized test holds the
-- two to the same answer.
CREATE VIEW open_failures AS
SELECT f.id, f.conversation_id FROM messages f
 WHERE f.direction = 'outbound' AND f.status IN ('failed', 'undelivered')
   AND f.dismissed_at IS NULL
   AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.resend_of = f.id
                    AND (r.sid IS NOT NULL OR r.status IN ('failed', 'undelivered')));

DROP TRIGGER conversations_failed_on_insert;
DROP TRIGGER conversations_failed_on_update;
DROP TRIGGER conversations_failed_on_delete;

-- A failure arrives, or a resend is written (failed at once, it takes its failure over).
CREATE TRIGGER conversations_failed_on_insert AFTER INSERT ON messages
WHEN NEW.direction = 'outbound'
 AND (NEW.status IN ('failed', 'undelivered') OR NEW.resend_of IS NOT NULL)
BEGIN
    UPDATE conversations SET failed = EXISTS (
        SELECT 1 FROM open_failures o WHERE o.conversation_id = conversations.id)
     WHERE id = NEW.conversation_id
        OR id = (SELECT f.conversation_id FROM messages f WHERE f.id = NEW.resend_of);
END;

-- A status turns to failed, a failure is dismissed, a resend is taken by the provider (its SID
-- arrives) or fails.
CREATE TRIGGER conversations_failed_on_update AFTER UPDATE OF status, dismissed_at, resend_of, sid
ON messages
WHEN NEW.direction = 'outbound'
BEGIN
    UPDATE conversations SET failed = EXISTS (
        SELECT 1 FROM open_failures o WHERE o.conversation_id = conversations.id)
     WHERE id = NEW.conversation_id
        OR id = (SELECT f.conversation_id FROM messages f WHERE f.id = NEW.resend_of);
END;

CREATE TRIGGER conversations_failed_on_delete AFTER DELETE ON messages
WHEN OLD.direction = 'outbound'
BEGIN
    UPDATE conversations SET failed = EXISTS (
        SELECT 1 FROM open_failures o WHERE o.conversation_id = conversations.id)
     WHERE id = OLD.conversation_id
        OR id = (SELECT f.conversation_id FROM messages f WHERE f.id = OLD.resend_of);
END;

-- Only conversations with a resend can read differently under the new rule.
UPDATE conversations SET failed = EXISTS (
    SELECT 1 FROM open_failures o WHERE o.conversation_id = conversations.id)
 WHERE id IN (SELECT conversation_id FROM messages WHERE resend_of IS NOT NULL);
