-- Tickets people work (description, channel, assignee, SLA due time, a history
-- of who changed what) and approvals of connector calls. Every statement is
-- idempotent, so the file is safe on a database where part of it exists.

ALTER TABLE tickets ADD COLUMN IF NOT EXISTS channel text NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS description text NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS assignee text NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS language text NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS due_at timestamptz;      -- NULL: no SLA
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS breached_at timestamptz; -- NULL: not flagged
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS source_key text NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS updated_at timestamptz;
UPDATE tickets SET updated_at = created_at WHERE updated_at IS NULL;
ALTER TABLE tickets ALTER COLUMN updated_at SET NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS tickets_source_key ON tickets (source_key) WHERE source_key <> '';
CREATE INDEX IF NOT EXISTS tickets_status_due ON tickets (status, due_at);
CREATE INDEX IF NOT EXISTS tickets_assignee_status ON tickets (assignee, status);
CREATE INDEX IF NOT EXISTS tickets_customer ON tickets (customer_id);

ALTER TABLE ticket_history ADD COLUMN IF NOT EXISTS field text NOT NULL DEFAULT '';
ALTER TABLE ticket_history ADD COLUMN IF NOT EXISTS from_value text NOT NULL DEFAULT '';
ALTER TABLE ticket_history ADD COLUMN IF NOT EXISTS to_value text NOT NULL DEFAULT '';

-- Approvals outlive their conversation, like tickets: no foreign key.
CREATE TABLE IF NOT EXISTS approvals (
	id              text PRIMARY KEY,
	ord             bigint GENERATED ALWAYS AS IDENTITY,
	conversation_id text NOT NULL,
	customer_id     text NOT NULL,
	request         text NOT NULL,
	queue           text NOT NULL,
	role            text NOT NULL,
	reason          text NOT NULL,
	call_name       text NOT NULL,
	connector       text NOT NULL,
	operation       text NOT NULL,
	input           bytea,
	idempotency_key text NOT NULL,
	status          text NOT NULL,
	decided_by      text NOT NULL DEFAULT '',
	decided_at      timestamptz,
	note            text NOT NULL DEFAULT '',
	expires_at      timestamptz,
	outcome         text NOT NULL DEFAULT '',
	completed_at    timestamptz,
	created_at      timestamptz NOT NULL,
	updated_at      timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS approvals_conversation ON approvals (conversation_id);
CREATE INDEX IF NOT EXISTS approvals_status_expires ON approvals (status, expires_at);
CREATE INDEX IF NOT EXISTS approvals_queue_status ON approvals (queue, status);

CREATE TABLE IF NOT EXISTS approval_history (
	approval_id text NOT NULL REFERENCES approvals (id) ON DELETE CASCADE,
	n           bigint NOT NULL,
	status      text NOT NULL,
	actor       text NOT NULL,
	at          timestamptz NOT NULL,
	note        text NOT NULL,
	PRIMARY KEY (approval_id, n)
);
