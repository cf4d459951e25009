-- Templates grow up: a uid for sharing across desktops, media URLs, who approved them and when,
-- and a soft delete so that messages sent with a deleted template keep counting in its figures.
ALTER TABLE templates ADD COLUMN uid TEXT;
ALTER TABLE templates ADD COLUMN media TEXT NOT NULL DEFAULT '[]';   -- JSON array of URLs
ALTER TABLE templates ADD COLUMN approved_by INTEGER REFERENCES team_members (id);
ALTER TABLE templates ADD COLUMN approved_at INTEGER;
ALTER TABLE templates ADD COLUMN deleted_at INTEGER;
UPDATE templates SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
CREATE UNIQUE INDEX templates_by_uid ON templates (uid);

-- Usage and failure rate per template.
CREATE INDEX messages_by_template ON messages (template_id, status) WHERE template_id IS NOT NULL;

-- A contact's own fields ("pet_name", "plan"), for templates' merge fields.
CREATE TABLE contact_fields (
    contact_id  INTEGER NOT NULL REFERENCES contacts (id),
    name        TEXT    NOT NULL,
    value       TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (contact_id, name)
);
