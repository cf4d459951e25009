-- Insights group 30 days of outbound messages five ways. At a busy team's volume that is tens of
-- thousands of rows sorted per breakdown on every open of the screen (about 200 ms at a million
-- messages). This table keeps the same counts per UTC day, kept by triggers, so a window reads
-- a few thousand rows; insights read raw messages only for the partial days at its edges.
--
-- kind: 'template' (its id), 'sender' (our number), 'author' (member id), 'prefix' (the
-- recipient's first five characters, `number::PREFIX`), each counting sent and failed; 'code'
-- (the error code) counts failures only. key is '' for none. Messages are never deleted, and
-- their template, numbers, author and time never change once written, so only inserts and
-- changes of status or error code move the counts.
CREATE TABLE outbound_daily (
    day    INTEGER NOT NULL,
    kind   TEXT    NOT NULL,
    key    TEXT    NOT NULL,
    sent   INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    PRIMARY KEY (day, kind, key)
) WITHOUT ROWID;

INSERT INTO outbound_daily (day, kind, key, sent, failed)
SELECT created_at / 86400000, 'template', COALESCE(CAST(template_id AS TEXT), ''), COUNT(*),
       SUM(status IN ('failed', 'undelivered'))
FROM messages WHERE direction = 'outbound' GROUP BY 1, 3
UNION ALL
SELECT created_at / 86400000, 'sender', COALESCE(from_number, ''), COUNT(*),
       SUM(status IN ('failed', 'undelivered'))
FROM messages WHERE direction = 'outbound' GROUP BY 1, 3
UNION ALL
SELECT created_at / 86400000, 'author', COALESCE(CAST(author_id AS TEXT), ''), COUNT(*),
       SUM(status IN ('failed', 'undelivered'))
FROM messages WHERE direction = 'outbound' GROUP BY 1, 3
UNION ALL
SELECT created_at / 86400000, 'prefix', COALESCE(substr(to_number, 1, 5), ''), COUNT(*),
       SUM(status IN ('failed', 'undelivered'))
FROM messages WHERE direction = 'outbound' GROUP BY 1, 3
UNION ALL
SELECT created_at / 86400000, 'code', COALESCE(error_code, ''), 0, COUNT(*)
FROM messages WHERE direction = 'outbound' AND status IN ('failed', 'undelivered') GROUP BY 1, 3;

CREATE TRIGGER outbound_daily_insert AFTER INSERT ON messages
WHEN NEW.direction = 'outbound'
BEGIN
    INSERT INTO outbound_daily (day, kind, key, sent, failed) VALUES
        (NEW.created_at / 86400000, 'template', COALESCE(CAST(NEW.template_id AS TEXT), ''), 1,
         NEW.status IN ('failed', 'undelivered')),
        (NEW.created_at / 86400000, 'sender', COALESCE(NEW.from_number, ''), 1,
         NEW.status IN ('failed', 'undelivered')),
        (NEW.created_at / 86400000, 'author', COALESCE(CAST(NEW.author_id AS TEXT), ''), 1,
         NEW.status IN ('failed', 'undelivered')),
        (NEW.created_at / 86400000, 'prefix', COALESCE(substr(NEW.to_number, 1, 5), ''), 1,
         NEW.status IN ('failed', 'undelivered'))
    ON CONFLICT (day, kind, key) DO UPDATE
        SET sent = sent + excluded.sent, failed = failed + excluded.failed;
    INSERT INTO outbound_daily (day, kind, key, sent, failed)
    SELECT NEW.created_at / 86400000, 'code', COALESCE(NEW.error_code, ''), 0, 1
    WHERE NEW.status IN ('failed', 'undelivered')
    ON CONFLICT (day, kind, key) DO UPDATE SET failed = failed + 1;
END;

CREATE TRIGGER outbound_daily_status AFTER UPDATE OF status, error_code ON messages
WHEN NEW.direction = 'outbound'
 AND ((OLD.status IN ('failed', 'undelivered')) <> (NEW.status IN ('failed', 'undelivered'))
      OR (NEW.status IN ('failed', 'undelivered')
          AND COALESCE(OLD.error_code, '') <> COALESCE(NEW.error_code, '')))
BEGIN
    UPDATE outbound_daily
       SET failed = failed + (NEW.status IN ('failed', 'undelivered'))
                           - (OLD.status IN ('failed', 'undelivered'))
     WHERE day = NEW.created_at / 86400000
       AND ((kind = 'template' AND key = COALESCE(CAST(NEW.template_id AS TEXT), ''))
         OR (kind = 'sender' AND key = COALESCE(NEW.from_number, ''))
         OR (kind = 'author' AND key = COALESCE(CAST(NEW.author_id AS TEXT), ''))
         OR (kind = 'prefix' AND key = COALESCE(substr(NEW.to_number, 1, 5), '')));
    UPDATE outbound_daily SET failed = failed - 1
     WHERE OLD.status IN ('failed', 'undelivered')
       AND day = OLD.created_at / 86400000 AND kind = 'code'
       AND key = COALESCE(OLD.error_code, '');
    INSERT INTO outbound_daily (day, kind, key, sent, failed)
    SELECT NEW.created_at / 86400000, 'code', COALESCE(NEW.error_code, ''), 0, 1
    WHERE NEW.status IN ('failed', 'undelivered')
    ON CONFLICT (day, kind, key) DO UPDATE SET failed = failed + 1;
END;
