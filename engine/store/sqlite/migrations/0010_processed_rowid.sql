-- processed_messages kept its rows in key order (WITHOUT ROWID), so every turn
-- put a row of a kilobyte or so (the turn's result) at a random place in the
-- tree, splitting pages: a tenth of the server's CPU under load. Rows now go
-- at the end, in the order they were written, and a unique index of the
-- small key finds them (and is what ON CONFLICT checks).
CREATE TABLE processed_messages_by_row (
	conversation_id   TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
	client_message_id TEXT NOT NULL,
	result            BLOB
);
INSERT INTO processed_messages_by_row (conversation_id, client_message_id, result)
	SELECT conversation_id, client_message_id, result FROM processed_messages;
DROP TABLE processed_messages;
ALTER TABLE processed_messages_by_row RENAME TO processed_messages;
CREATE UNIQUE INDEX processed_messages_key ON processed_messages (conversation_id, client_message_id);
