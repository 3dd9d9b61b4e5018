-- A turn's events and processed message are written only by the turn's
-- commit (sqlstore.TurnStatements), in the transaction that inserts or
-- updates the conversation row first and fails unless that row was written:
-- the row exists and stays locked until the commit. Their foreign keys only
-- repeated that check, as one query per row (a turn writes about six
-- events): 6% of PostgreSQL's CPU under load. Purge deletes both explicitly.
ALTER TABLE events DROP CONSTRAINT IF EXISTS events_conversation_id_fkey;
ALTER TABLE processed_messages DROP CONSTRAINT IF EXISTS processed_messages_conversation_id_fkey;
