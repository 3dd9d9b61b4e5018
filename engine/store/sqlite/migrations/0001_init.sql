-- Times are Unix microseconds (UTC). JSON values are stored verbatim as BLOBs so they
-- read back byte for byte.

CREATE TABLE conversations (
	id           TEXT PRIMARY KEY,
	customer_id  TEXT NOT NULL DEFAULT '',
	channel      TEXT NOT NULL DEFAULT '',
	status       TEXT NOT NULL,
	snapshot     BLOB,
	snapshot_seq INTEGER NOT NULL DEFAULT 0,
	last_seq     INTEGER NOT NULL DEFAULT 0,
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL
);
CREATE INDEX conversations_updated_at ON conversations (updated_at);

CREATE TABLE events (
	conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
	seq             INTEGER NOT NULL,
	type            TEXT NOT NULL,
	at              INTEGER NOT NULL,
	data            BLOB,
	PRIMARY KEY (conversation_id, seq)
) WITHOUT ROWID;

CREATE TABLE processed_messages (
	conversation_id   TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
	client_message_id TEXT NOT NULL,
	result            BLOB,
	PRIMARY KEY (conversation_id, client_message_id)
) WITHOUT ROWID;

-- Tickets and handoffs outlive their conversation (retention anonymizes them), so
-- they carry no foreign key to conversations. Their rowid is the insertion order.
CREATE TABLE tickets (
	id              TEXT PRIMARY KEY,
	conversation_id TEXT NOT NULL,
	customer_id     TEXT NOT NULL,
	queue           TEXT NOT NULL,
	subject         TEXT NOT NULL,
	priority        TEXT NOT NULL,
	status          TEXT NOT NULL,
	created_at      INTEGER NOT NULL
);
CREATE INDEX tickets_conversation ON tickets (conversation_id);
CREATE INDEX tickets_queue_status ON tickets (queue, status);

CREATE TABLE ticket_history (
	ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	n         INTEGER NOT NULL,
	status    TEXT NOT NULL,
	actor     TEXT NOT NULL,
	at        INTEGER NOT NULL,
	note      TEXT NOT NULL,
	PRIMARY KEY (ticket_id, n)
) WITHOUT ROWID;

CREATE TABLE handoffs (
	id              TEXT PRIMARY KEY,
	conversation_id TEXT NOT NULL,
	customer_id     TEXT NOT NULL,
	queue           TEXT NOT NULL,
	skill           TEXT NOT NULL,
	priority        TEXT NOT NULL,
	reason          TEXT NOT NULL,
	summary         TEXT NOT NULL,
	slots           BLOB,
	transcript      BLOB,
	status          TEXT NOT NULL,
	created_at      INTEGER NOT NULL
);
CREATE INDEX handoffs_conversation ON handoffs (conversation_id);
CREATE INDEX handoffs_queue_status ON handoffs (queue, status);

CREATE TABLE handoff_history (
	handoff_id TEXT NOT NULL REFERENCES handoffs (id) ON DELETE CASCADE,
	n          INTEGER NOT NULL,
	status     TEXT NOT NULL,
	actor      TEXT NOT NULL,
	at         INTEGER NOT NULL,
	note       TEXT NOT NULL,
	PRIMARY KEY (handoff_id, n)
) WITHOUT ROWID;

CREATE TABLE audit (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	at              INTEGER NOT NULL,
	actor           TEXT NOT NULL,
	action          TEXT NOT NULL,
	conversation_id TEXT NOT NULL,
	detail          BLOB
);
CREATE INDEX audit_conversation ON audit (conversation_id);
CREATE INDEX audit_action ON audit (action);
CREATE INDEX audit_at ON audit (at);

CREATE TABLE customers (
	id         TEXT PRIMARY KEY,
	created_at INTEGER NOT NULL
);

CREATE TABLE customer_identities (
	channel     TEXT NOT NULL,
	external_id TEXT NOT NULL,
	customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	PRIMARY KEY (channel, external_id)
) WITHOUT ROWID;
CREATE INDEX customer_identities_customer ON customer_identities (customer_id);

CREATE TABLE kb_chunks (
	id        TEXT PRIMARY KEY,
	source    TEXT NOT NULL,
	title     TEXT NOT NULL,
	content   TEXT NOT NULL,
	hash      TEXT NOT NULL,
	embedder  TEXT NOT NULL,
	dims      INTEGER NOT NULL,
	embedding BLOB NOT NULL -- little-endian float32s
);
CREATE INDEX kb_chunks_dims ON kb_chunks (dims);

CREATE TABLE unanswered (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	question        TEXT NOT NULL,
	conversation_id TEXT NOT NULL,
	at              INTEGER NOT NULL
);
CREATE INDEX unanswered_conversation ON unanswered (conversation_id);

CREATE TABLE satisfaction (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	conversation_id TEXT NOT NULL,
	score           INTEGER NOT NULL,
	comment         TEXT NOT NULL,
	at              INTEGER NOT NULL
);
CREATE INDEX satisfaction_conversation ON satisfaction (conversation_id);
