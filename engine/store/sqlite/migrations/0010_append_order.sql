-- The log and the processed message ids kept their rows in key order
-- (WITHOUT ROWID), so every turn put its rows (a turn's events, several
-- hundred bytes each; its result, about a kilobyte) at a random place in
-- large trees, splitting pages and dirtying pages that every commit then
-- wrote to the WAL: a fifth of the server's CPU under load. Rows now go at
-- the end, in the order they were written (a turn's events stay together),
-- and a unique index of the small key finds them and is what ON CONFLICT
-- and the primary key's uniqueness checked.
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

CREATE TABLE events_by_row (
	conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
	seq             INTEGER NOT NULL,
	type            TEXT NOT NULL,
	at              INTEGER NOT NULL,
	data            BLOB
);
INSERT INTO events_by_row (conversation_id, seq, type, at, data)
	SELECT conversation_id, seq, type, at, data FROM events ORDER BY conversation_id, seq;
DROP TABLE events;
ALTER TABLE events_by_row RENAME TO events;
CREATE UNIQUE INDEX events_key ON events (conversation_id, seq);
