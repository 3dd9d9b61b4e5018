-- JSON values are bytea, stored verbatim so they read back byte for byte (jsonb would
-- reorder keys). Tickets, handoffs, audit and satisfaction outlive conversations.

CREATE TABLE conversations (
	id           text PRIMARY KEY,
	customer_id  text NOT NULL DEFAULT '',
	channel      text NOT NULL DEFAULT '',
	status       text NOT NULL,
	snapshot     bytea,
	snapshot_seq bigint NOT NULL DEFAULT 0,
	last_seq     bigint NOT NULL DEFAULT 0,
	created_at   timestamptz NOT NULL,
	updated_at   timestamptz NOT NULL
);
CREATE INDEX conversations_updated_at ON conversations (updated_at);

CREATE TABLE events (
	conversation_id text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
	seq             bigint NOT NULL,
	type            text NOT NULL,
	at              timestamptz NOT NULL,
	data            bytea,
	PRIMARY KEY (conversation_id, seq)
);

CREATE TABLE processed_messages (
	conversation_id   text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
	client_message_id text NOT NULL,
	result            bytea,
	PRIMARY KEY (conversation_id, client_message_id)
);

CREATE TABLE tickets (
	id              text PRIMARY KEY,
	ord             bigint GENERATED ALWAYS AS IDENTITY,
	conversation_id text NOT NULL,
	customer_id     text NOT NULL,
	queue           text NOT NULL,
	subject         text NOT NULL,
	priority        text NOT NULL,
	status          text NOT NULL,
	created_at      timestamptz NOT NULL
);
CREATE INDEX tickets_conversation ON tickets (conversation_id);
CREATE INDEX tickets_queue_status ON tickets (queue, status);

CREATE TABLE ticket_history (
	ticket_id text NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	n         bigint NOT NULL,
	status    text NOT NULL,
	actor     text NOT NULL,
	at        timestamptz NOT NULL,
	note      text NOT NULL,
	PRIMARY KEY (ticket_id, n)
);

CREATE TABLE handoffs (
	id              text PRIMARY KEY,
	ord             bigint GENERATED ALWAYS AS IDENTITY,
	conversation_id text NOT NULL,
	customer_id     text NOT NULL,
	queue           text NOT NULL,
	skill           text NOT NULL,
	priority        text NOT NULL,
	reason          text NOT NULL,
	summary         text NOT NULL,
	slots           bytea,
	transcript      bytea,
	status          text NOT NULL,
	created_at      timestamptz NOT NULL
);
CREATE INDEX handoffs_conversation ON handoffs (conversation_id);
CREATE INDEX handoffs_queue_status ON handoffs (queue, status);

CREATE TABLE handoff_history (
	handoff_id text NOT NULL REFERENCES handoffs (id) ON DELETE CASCADE,
	n          bigint NOT NULL,
	status     text NOT NULL,
	actor      text NOT NULL,
	at         timestamptz NOT NULL,
	note       text NOT NULL,
	PRIMARY KEY (handoff_id, n)
);

CREATE TABLE audit (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at              timestamptz NOT NULL,
	actor           text NOT NULL,
	action          text NOT NULL,
	conversation_id text NOT NULL,
	detail          bytea
);
CREATE INDEX audit_conversation ON audit (conversation_id);
CREATE INDEX audit_action ON audit (action);
CREATE INDEX audit_at ON audit (at);

CREATE TABLE customers (
	id         text PRIMARY KEY,
	created_at timestamptz NOT NULL
);

CREATE TABLE customer_identities (
	channel     text NOT NULL,
	external_id text NOT NULL,
	customer_id text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	PRIMARY KEY (channel, external_id)
);
CREATE INDEX customer_identities_customer ON customer_identities (customer_id);

-- embedding has no fixed dimension, so one table serves every embedder; each
-- dimension gets its own partial HNSW index on a cast expression, created on first
-- use (see UpsertChunks), and searches use the same expression.
CREATE TABLE kb_chunks (
	id        text PRIMARY KEY,
	source    text NOT NULL,
	title     text NOT NULL,
	content   text NOT NULL,
	hash      text NOT NULL,
	embedder  text NOT NULL,
	dims      integer NOT NULL,
	embedding vector NOT NULL
);
CREATE INDEX kb_chunks_dims ON kb_chunks (dims);

CREATE TABLE unanswered (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	question        text NOT NULL,
	conversation_id text NOT NULL,
	at              timestamptz NOT NULL
);
CREATE INDEX unanswered_conversation ON unanswered (conversation_id);

CREATE TABLE satisfaction (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	conversation_id text NOT NULL,
	score           integer NOT NULL,
	comment         text NOT NULL,
	at              timestamptz NOT NULL
);
CREATE INDEX satisfaction_conversation ON satisfaction (conversation_id);
