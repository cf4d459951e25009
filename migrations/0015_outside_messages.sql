-- Outbound messages sent from outside Switchboard (the Twilio Console, another app on the
-- account, another desktop, or before the account was connected) are stored by the sync and
-- the history load with origin 'outside': no team member wrote them, and the thread says so.
-- Messages written in Switchboard keep NULL.
ALTER TABLE messages ADD COLUMN origin TEXT;

-- What earlier history loads stored: outbound rows the provider had that no send of ours ever
-- called it for.
UPDATE messages SET origin = 'outside'
 WHERE direction = 'outbound' AND outbox_state = 'accepted'
   AND NOT EXISTS (SELECT 1 FROM send_attempts a WHERE a.message_id = messages.id);
