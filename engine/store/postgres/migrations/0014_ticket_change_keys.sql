-- A ticket change (a note, a status, a PATCH) may carry its caller's
-- idempotency key: the first history entry it adds keeps the key and a
-- digest of what was asked, so a retry finds it and adds nothing. One key per
-- ticket; entries from before have none.
ALTER TABLE ticket_history ADD COLUMN IF NOT EXISTS idempotency_key text NOT NULL DEFAULT '';
ALTER TABLE ticket_history ADD COLUMN IF NOT EXISTS request_digest text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX IF NOT EXISTS ticket_history_key ON ticket_history (ticket_id, idempotency_key) WHERE idempotency_key <> '';
