-- When the sync last asked the provider about a message's status, so checks can thin out as a
-- message ages instead of hammering the API for messages that will never change.
ALTER TABLE messages ADD COLUMN status_checked_at INTEGER;

-- Outbound messages still waiting for a status, found without scanning the whole table.
CREATE INDEX messages_awaiting_status ON messages (status_checked_at, id)
    WHERE direction = 'outbound' AND sid IS NOT NULL AND status IN ('queued', 'sending', 'sent');
