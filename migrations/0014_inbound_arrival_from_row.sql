-- An inbound message's arrival is no longer copied into message_events: the row itself says it
-- (received at created_at, with its status), and an inbound status never changes after. The
-- copy was a second row for every received message, about a tenth of a history load's work.
-- Arrivals logged before this stay; status_changes reads the row only for a message with no
-- logged event.
DROP TRIGGER message_events_on_insert;

CREATE TRIGGER message_events_on_insert AFTER INSERT ON messages
WHEN NEW.direction = 'outbound'
BEGIN
    INSERT INTO message_events (message_id, at, status, provider_status, error_code)
    VALUES (NEW.id, NEW.updated_at, NEW.status, NEW.provider_status, NEW.error_code);
END;
