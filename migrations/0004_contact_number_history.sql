-- Numbers a contact had before a person corrected it (Edit number and resend), newest last.
CREATE TABLE contact_numbers (
    id           INTEGER PRIMARY KEY,
    contact_id   INTEGER NOT NULL REFERENCES contacts (id),
    number       TEXT    NOT NULL,
    -- The code of the failure that led to the correction, if any.
    reason_code  TEXT,
    replaced_at  INTEGER NOT NULL
);
CREATE INDEX contact_numbers_by_contact ON contact_numbers (contact_id, id);

-- A message's resends, found from the failed one.
CREATE INDEX messages_by_resend_of ON messages (resend_of) WHERE resend_of IS NOT NULL;
