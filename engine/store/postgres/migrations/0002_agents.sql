-- Human agents and the handoff inbox. Every statement is idempotent, so the file is
-- safe on a database where part of it already exists.

CREATE TABLE IF NOT EXISTS agents (
	id         text PRIMARY KEY,
	name       text NOT NULL,
	role       text NOT NULL,
	skills     text NOT NULL DEFAULT '[]', -- JSON array, sorted
	status     text NOT NULL DEFAULT 'offline',
	max_chats  integer NOT NULL DEFAULT 3,
	key_hash   text NOT NULL DEFAULT '',   -- hex SHA-256 of the API key
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS agents_key_hash ON agents (key_hash) WHERE key_hash <> '';

-- A constant default is metadata-only (no table rewrite) since PostgreSQL 11.
ALTER TABLE handoffs ADD COLUMN IF NOT EXISTS agent text NOT NULL DEFAULT '';
ALTER TABLE handoffs ADD COLUMN IF NOT EXISTS updated_at timestamptz;
UPDATE handoffs SET updated_at = created_at WHERE updated_at IS NULL;
ALTER TABLE handoffs ALTER COLUMN updated_at SET NOT NULL;

CREATE INDEX IF NOT EXISTS handoffs_status_queue ON handoffs (status, queue);
CREATE INDEX IF NOT EXISTS handoffs_agent_status ON handoffs (agent, status);
CREATE INDEX IF NOT EXISTS handoffs_customer ON handoffs (customer_id);
