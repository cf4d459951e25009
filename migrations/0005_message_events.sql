-- Every status a message went through, with its time and code, for the details drawer. Kept by
-- triggers so no write path (send, status sync, lookup, history) can forget to log.
CREATE TABLE message_events (
    id               INTEGER PRIMARY KEY,
    message_id       INTEGER NOT NULL REFERENCES messages (id),
    at               INTEGER NOT NULL,
    status           TEXT    NOT NULL,
    provider_status  TEXT,
    error_code       TEXT
);
CREATE INDEX message_events_by_message ON message_events (message_id, id);

CREATE TRIGGER message_events_on_insert AFTER INSERT ON messages
BEGIN
    INSERT INTO message_events (message_id, at, status, provider_status, error_code)
    VALUES (NEW.id, NEW.updated_at, NEW.status, NEW.provider_status, NEW.error_code);
END;

CREATE TRIGGER message_events_on_change AFTER UPDATE OF status, provider_status, error_code ON messages
WHEN OLD.status IS NOT NEW.status
    OR OLD.provider_status IS NOT NEW.provider_status
    OR OLD.error_code IS NOT NEW.error_code
BEGIN
    INSERT INTO message_events (message_id, at, status, provider_status, error_code)
    VALUES (NEW.id, NEW.updated_at, NEW.status, NEW.provider_status, NEW.error_code);
END;
