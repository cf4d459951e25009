-- The numbers beside the views at scale: conversations counted by what the views filter on
-- (sender, assignee, open or closed, failed), with their unread messages, kept by triggers.
-- A view's count is then a sum over a few dozen rows instead of a walk over every
-- conversation. `assignee` is 0 for nobody (member ids start at 1), so that the key is unique.
CREATE TABLE conversation_counts (
    sender_id  INTEGER NOT NULL,
    assignee   INTEGER NOT NULL,
    state      TEXT    NOT NULL,
    failed     INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    unread     INTEGER NOT NULL,
    PRIMARY KEY (sender_id, assignee, state, failed)
) WITHOUT ROWID;

INSERT INTO conversation_counts (sender_id, assignee, state, failed, n, unread)
SELECT sender_id, COALESCE(assignee_id, 0), state, failed, COUNT(*), COALESCE(SUM(unread), 0)
FROM conversations GROUP BY 1, 2, 3, 4;

CREATE TRIGGER conversation_counts_insert AFTER INSERT ON conversations
BEGIN
    INSERT INTO conversation_counts (sender_id, assignee, state, failed, n, unread)
    VALUES (NEW.sender_id, COALESCE(NEW.assignee_id, 0), NEW.state, NEW.failed, 1, NEW.unread)
    ON CONFLICT (sender_id, assignee, state, failed)
    DO UPDATE SET n = n + 1, unread = unread + excluded.unread;
END;

CREATE TRIGGER conversation_counts_delete AFTER DELETE ON conversations
BEGIN
    UPDATE conversation_counts SET n = n - 1, unread = unread - OLD.unread
    WHERE sender_id = OLD.sender_id AND assignee = COALESCE(OLD.assignee_id, 0)
      AND state = OLD.state AND failed = OLD.failed;
END;

CREATE TRIGGER conversation_counts_update
AFTER UPDATE OF sender_id, assignee_id, state, failed, unread ON conversations
BEGIN
    UPDATE conversation_counts SET n = n - 1, unread = unread - OLD.unread
    WHERE sender_id = OLD.sender_id AND assignee = COALESCE(OLD.assignee_id, 0)
      AND state = OLD.state AND failed = OLD.failed;
    INSERT INTO conversation_counts (sender_id, assignee, state, failed, n, unread)
    VALUES (NEW.sender_id, COALESCE(NEW.assignee_id, 0), NEW.state, NEW.failed, 1, NEW.unread)
    ON CONFLICT (sender_id, assignee, state, failed)
    DO UPDATE SET n = n + 1, unread = unread + excluded.unread;
END;
