-- Search finds internal notes and contacts' own fields as well as messages and names. Both
-- indexes are contentless with deletes by rowid (contentless_delete): the hits are marked in
-- the rows read back, as for messages (migration 0017). A note's rowid is its id (notes are only
-- ever written live, so ids follow time); a contact's is its id, with its name and the values
-- of its own fields.
DROP TRIGGER contacts_fts_insert;
DROP TRIGGER contacts_fts_delete;
DROP TRIGGER contacts_fts_update;
DROP TABLE contacts_fts;

CREATE VIRTUAL TABLE contacts_fts USING fts5 (
    name,
    fields,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO contacts_fts (rowid, name, fields)
    SELECT ct.id, COALESCE(ct.name, ''),
           COALESCE((SELECT group_concat(f.value, ' ') FROM contact_fields f WHERE f.contact_id = ct.id), '')
      FROM contacts ct;

CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_fts (rowid, name, fields) VALUES (new.id, COALESCE(new.name, ''), '');
END;
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM contacts_fts WHERE rowid = old.id;
END;
CREATE TRIGGER contacts_fts_update AFTER UPDATE OF name ON contacts BEGIN
    DELETE FROM contacts_fts WHERE rowid = old.id;
    INSERT INTO contacts_fts (rowid, name, fields)
        SELECT new.id, COALESCE(new.name, ''),
               COALESCE((SELECT group_concat(f.value, ' ') FROM contact_fields f WHERE f.contact_id = new.id), '');
END;

-- A field written, changed or removed indexes its contact again.
CREATE TRIGGER contact_fields_fts_insert AFTER INSERT ON contact_fields BEGIN
    DELETE FROM contacts_fts WHERE rowid = new.contact_id;
    INSERT INTO contacts_fts (rowid, name, fields)
        SELECT ct.id, COALESCE(ct.name, ''),
               COALESCE((SELECT group_concat(f.value, ' ') FROM contact_fields f WHERE f.contact_id = ct.id), '')
          FROM contacts ct WHERE ct.id = new.contact_id;
END;
CREATE TRIGGER contact_fields_fts_update AFTER UPDATE ON contact_fields BEGIN
    DELETE FROM contacts_fts WHERE rowid IN (old.contact_id, new.contact_id);
    INSERT INTO contacts_fts (rowid, name, fields)
        SELECT ct.id, COALESCE(ct.name, ''),
               COALESCE((SELECT group_concat(f.value, ' ') FROM contact_fields f WHERE f.contact_id = ct.id), '')
          FROM contacts ct WHERE ct.id IN (old.contact_id, new.contact_id);
END;
CREATE TRIGGER contact_fields_fts_delete AFTER DELETE ON contact_fields BEGIN
    DELETE FROM contacts_fts WHERE rowid = old.contact_id;
    INSERT INTO contacts_fts (rowid, name, fields)
        SELECT ct.id, COALESCE(ct.name, ''),
               COALESCE((SELECT group_concat(f.value, ' ') FROM contact_fields f WHERE f.contact_id = ct.id), '')
          FROM contacts ct WHERE ct.id = old.contact_id;
END;

CREATE VIRTUAL TABLE notes_fts USING fts5 (
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO notes_fts (rowid, body) SELECT id, body FROM notes ORDER BY id;
CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
    INSERT INTO notes_fts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
    DELETE FROM notes_fts WHERE rowid = old.id;
END;
CREATE TRIGGER notes_fts_update AFTER UPDATE OF body ON notes BEGIN
    DELETE FROM notes_fts WHERE rowid = old.id;
    INSERT INTO notes_fts (rowid, body) VALUES (new.id, new.body);
END;
