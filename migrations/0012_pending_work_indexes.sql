-- Work the sync and the outbox look for on every round (queued sends, sends cut off mid-call,
-- unknown outcomes, `sent` messages past their receipt window, opted-out contacts) is a handful
-- of rows among millions. Their queries walked the whole messages table: at a million messages
-- each round took seconds and held the write lock. These partial indexes hold only those rows.
--
-- SQLite uses a partial index only when the query's WHERE names one of the index's terms, and
-- it does not look inside `IN (…)`: `messages_outbox` (0001) was written with IN, so
-- `outbox_state = 'queued'` never used it. Its terms are spelled out with OR here.
DROP INDEX messages_outbox;
CREATE INDEX messages_outbox ON messages (outbox_state, id)
    WHERE outbox_state = 'queued' OR outbox_state = 'submitting' OR outbox_state = 'unknown';

CREATE INDEX messages_awaiting_receipt ON messages (COALESCE(sent_at, created_at))
    WHERE direction = 'outbound' AND status = 'sent';

CREATE INDEX contacts_opted_out ON contacts (id) WHERE number_mark = 'opted_out';

-- A create under way when Switchboard stopped: at most a few among every attempt ever made.
CREATE INDEX send_attempts_in_flight ON send_attempts (id) WHERE outcome = 'in_flight';
