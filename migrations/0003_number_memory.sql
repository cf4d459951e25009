-- What failures and opt-outs taught us about a contact's number, so the next send to it is
-- stopped before it fails the same way (see catalogue::NumberMark).
ALTER TABLE contacts ADD COLUMN number_mark TEXT
    CHECK (number_mark IN ('invalid', 'unreachable', 'landline', 'disconnected', 'opted_out'));
-- The provider code (or inbound keyword) that set the mark, and when.
ALTER TABLE contacts ADD COLUMN number_mark_code TEXT;
ALTER TABLE contacts ADD COLUMN number_mark_at INTEGER;

-- Duplicate checks look for the same text to the same number within minutes.
CREATE INDEX messages_outbound_by_recipient ON messages (to_number, created_at)
    WHERE direction = 'outbound';
