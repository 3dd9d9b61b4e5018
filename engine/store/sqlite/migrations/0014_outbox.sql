-- The outbox (store.OutboxMessage): every message to a customer on a channel
-- with a sender is recorded before it is sent, so a crash or a gateway that is
-- down delays it instead of losing it. seq keeps the order of recording; data
-- holds the message as JSON, the columns what the dispatcher selects by.
CREATE TABLE outbox (
	seq             INTEGER PRIMARY KEY AUTOINCREMENT,
	id              TEXT NOT NULL UNIQUE,
	conversation_id TEXT NOT NULL,
	status          TEXT NOT NULL,
	next_attempt_at INTEGER NOT NULL,
	data            TEXT NOT NULL
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_conversation ON outbox (conversation_id, seq);
