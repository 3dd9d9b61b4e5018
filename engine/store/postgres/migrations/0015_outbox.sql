-- The outbox (store.OutboxMessage): every message to a customer on a channel
-- with a sender is recorded before it is sent, so a crash or a gateway that is
-- down delays it instead of losing it. seq keeps the order of recording; data
-- holds the message as JSON, the columns what the dispatcher selects by.
CREATE TABLE IF NOT EXISTS outbox (
	seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id              text NOT NULL UNIQUE,
	conversation_id text NOT NULL,
	status          text NOT NULL,
	next_attempt_at timestamptz NOT NULL,
	data            text NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS outbox_conversation ON outbox (conversation_id, seq);
