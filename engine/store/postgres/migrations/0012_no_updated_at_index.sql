-- conversations_updated_at moved with every turn (each UPDATE sets
-- updated_at), and only Purge read by updated_at, now through
-- conversations_created (a conversation is never updated before it was
-- created). The embedded store dropped it in its 0011.
DROP INDEX IF EXISTS conversations_updated_at;
