-- Full-text search over contacts' names, kept current by triggers (numbers are matched by their
-- digits with LIKE, since a tokenizer sees a phone number as one word).
CREATE VIRTUAL TABLE contacts_fts USING fts5 (
    name,
    content = 'contacts',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO contacts_fts (rowid, name) SELECT id, COALESCE(name, '') FROM contacts;
CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_fts (rowid, name) VALUES (new.id, COALESCE(new.name, ''));
END;
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, name) VALUES ('delete', old.id, COALESCE(old.name, ''));
END;
CREATE TRIGGER contacts_fts_update AFTER UPDATE OF name ON contacts BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, name) VALUES ('delete', old.id, COALESCE(old.name, ''));
    INSERT INTO contacts_fts (rowid, name) VALUES (new.id, COALESCE(new.name, ''));
END;
