-- Search lists hits newest first by the message's time, whatever order the rows were stored in
-- (a history load stores the newest page first, so ids run against time). FTS5 can only walk a
-- word's list by its rowid, so the index's rowid becomes a key in time order: the message's
-- second, then its id, which keeps keys unique and gives the message back (id below 2^30,
-- seconds below 2^33, the year 2242; crates/core/src/store/messages.rs reads the id with the
-- same 30 bits). `search_key` is computed from the row, so nothing stores it.
--
-- The index keeps no copy of the text and reads none back (content = ''): the window marks
-- the hits in the message it reads anyway (crates/core/src/search.rs), so no index from key to
-- row is needed, nor a table of per-row token counts (columnsize = 0), which only ranking reads.
DROP TRIGGER messages_fts_insert;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_update;
DROP TABLE messages_fts;

ALTER TABLE messages ADD COLUMN search_key INTEGER
    GENERATED ALWAYS AS (((created_at / 1000) << 30) | id) VIRTUAL;

CREATE VIRTUAL TABLE messages_fts USING fts5 (
    body,
    content = '',
    columnsize = 0,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Filled in key order: FTS5 writes out what it holds whenever a key is lower than the one
-- before. The keys are sorted alone, then the texts read by id in that order.
CREATE TEMP TABLE search_keys AS SELECT search_key AS key, id FROM messages ORDER BY search_key;
INSERT INTO messages_fts (rowid, body)
    SELECT k.key, m.body FROM temp.search_keys k JOIN messages m ON m.id = k.id ORDER BY k.rowid;
DROP TABLE temp.search_keys;

-- While a bulk write (the history load, seeding) holds a row here, inside its own transaction,
-- its rows are left out of the index one by one and added a few thousand at a time in key
-- order (store::messages::index_held_back), for the same reason: rows stored against time would
-- make FTS5 write out on every page. No other connection ever sees the row: it is written and
-- deleted in that one transaction.
CREATE TABLE search_held_back (
    after_id INTEGER NOT NULL
);

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
WHEN NOT EXISTS (SELECT 1 FROM search_held_back)
BEGIN
    INSERT INTO messages_fts (rowid, body) VALUES (new.search_key, new.body);
END;
-- A contentless index forgets an entry when told what it held.
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.search_key, old.body);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body, created_at ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.search_key, old.body);
    INSERT INTO messages_fts (rowid, body) VALUES (new.search_key, new.body);
END;
