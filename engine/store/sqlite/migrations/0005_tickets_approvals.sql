-- Tickets people work (description, channel, assignee, SLA due time, a history
-- of who changed what) and approvals of connector calls. Applied once, in one
-- transaction with its version row.

ALTER TABLE tickets ADD COLUMN channel TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN due_at INTEGER;      -- NULL: no SLA
ALTER TABLE tickets ADD COLUMN breached_at INTEGER; -- NULL: not flagged
ALTER TABLE tickets ADD COLUMN source_key TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE tickets SET updated_at = created_at WHERE updated_at = 0;
CREATE UNIQUE INDEX tickets_source_key ON tickets (source_key) WHERE source_key <> '';
CREATE INDEX tickets_status_due ON tickets (status, due_at);
CREATE INDEX tickets_assignee_status ON tickets (assignee, status);
CREATE INDEX tickets_customer ON tickets (customer_id);

ALTER TABLE ticket_history ADD COLUMN field TEXT NOT NULL DEFAULT '';
ALTER TABLE ticket_history ADD COLUMN from_value TEXT NOT NULL DEFAULT '';
ALTER TABLE ticket_history ADD COLUMN to_value TEXT NOT NULL DEFAULT '';

-- Approvals outlive their conversation, like tickets: no foreign key.
CREATE TABLE approvals (
	id              TEXT PRIMARY KEY,
	conversation_id TEXT NOT NULL,
	customer_id     TEXT NOT NULL,
	request         TEXT NOT NULL,
	queue           TEXT NOT NULL,
	role            TEXT NOT NULL,
	reason          TEXT NOT NULL,
	call_name       TEXT NOT NULL,
	connector       TEXT NOT NULL,
	operation       TEXT NOT NULL,
	input           BLOB,
	idempotency_key TEXT NOT NULL,
	status          TEXT NOT NULL,
	decided_by      TEXT NOT NULL DEFAULT '',
	decided_at      INTEGER,
	note            TEXT NOT NULL DEFAULT '',
	expires_at      INTEGER,
	outcome         TEXT NOT NULL DEFAULT '',
	completed_at    INTEGER,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL
);
CREATE INDEX approvals_conversation ON approvals (conversation_id);
CREATE INDEX approvals_status_expires ON approvals (status, expires_at);
CREATE INDEX approvals_queue_status ON approvals (queue, status);

CREATE TABLE approval_history (
	approval_id TEXT NOT NULL REFERENCES approvals (id) ON DELETE CASCADE,
	n           INTEGER NOT NULL,
	status      TEXT NOT NULL,
	actor       TEXT NOT NULL,
	at          INTEGER NOT NULL,
	note        TEXT NOT NULL,
	PRIMARY KEY (approval_id, n)
) WITHOUT ROWID;
