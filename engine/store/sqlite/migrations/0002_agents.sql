-- Human agents and the handoff inbox. Applied once (schema_migrations), in one
-- transaction with its version row, so a failure leaves the database as it was.

CREATE TABLE IF NOT EXISTS agents (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	role       TEXT NOT NULL,
	skills     TEXT NOT NULL DEFAULT '[]', -- JSON array, sorted
	status     TEXT NOT NULL DEFAULT 'offline',
	max_chats  INTEGER NOT NULL DEFAULT 3,
	key_hash   TEXT NOT NULL DEFAULT '',   -- hex SHA-256 of the API key
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS agents_key_hash ON agents (key_hash) WHERE key_hash <> '';

ALTER TABLE handoffs ADD COLUMN agent TEXT NOT NULL DEFAULT '';
ALTER TABLE handoffs ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE handoffs SET updated_at = created_at WHERE updated_at = 0;

CREATE INDEX IF NOT EXISTS handoffs_status_queue ON handoffs (status, queue);
CREATE INDEX IF NOT EXISTS handoffs_agent_status ON handoffs (agent, status);
CREATE INDEX IF NOT EXISTS handoffs_customer ON handoffs (customer_id);
