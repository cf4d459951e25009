-- Failure triage and insights. A failure someone has dealt with without a resend (the customer
-- called back, the number is gone for good) is dismissed with a reason; it then leaves the
-- Failed view, `f` and triage, and keeps its reason for whoever looks at it later.
ALTER TABLE messages ADD COLUMN dismissed_at INTEGER;
ALTER TABLE messages ADD COLUMN dismissed_by INTEGER REFERENCES team_members (id);
ALTER TABLE messages ADD COLUMN dismissed_reason TEXT;

-- Insights read outbound messages by time and group them by status, code, template, sender,
-- author and number; the index holds every column they read, so they never touch the table.
CREATE INDEX messages_outbound_by_time
    ON messages (created_at, status, error_code, template_id, from_number, author_id, to_number)
    WHERE direction = 'outbound';
