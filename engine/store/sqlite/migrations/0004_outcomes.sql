-- Outcomes, KPIs and reports (docs/reports.md). One row per contact, written by
-- the turn that settles it; reports aggregate these rows with GROUP BY.

ALTER TABLE conversations ADD COLUMN policy_version TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN policy_label TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN contact BLOB;
ALTER TABLE conversations ADD COLUMN contact_due INTEGER; -- NULL: nothing to settle
CREATE INDEX conversations_contact_due ON conversations (contact_due) WHERE contact_due IS NOT NULL;
CREATE INDEX conversations_created ON conversations (created_at, id);

CREATE TABLE outcomes (
	conversation_id TEXT NOT NULL,
	contact_seq     INTEGER NOT NULL,
	last_seq        INTEGER NOT NULL,
	customer_id     TEXT NOT NULL,
	channel         TEXT NOT NULL,
	language        TEXT NOT NULL,
	policy_version  TEXT NOT NULL,
	policy_label    TEXT NOT NULL,
	started_at      INTEGER NOT NULL,
	ended_at        INTEGER NOT NULL,
	settled_at      INTEGER NOT NULL,
	day             TEXT NOT NULL,
	week            TEXT NOT NULL,
	hour            INTEGER NOT NULL,
	outcome         TEXT NOT NULL,
	intent          TEXT NOT NULL,
	dialog          TEXT NOT NULL,
	queue           TEXT NOT NULL,
	reason          TEXT NOT NULL,
	agent           TEXT NOT NULL,
	messages        INTEGER NOT NULL,
	not_understood  INTEGER NOT NULL,
	kb_answered     INTEGER NOT NULL,
	unanswered      INTEGER NOT NULL,
	handoffs        INTEGER NOT NULL,
	tickets         INTEGER NOT NULL,
	ticket_queue    TEXT NOT NULL,
	ticket_priority TEXT NOT NULL,
	bot_replies     INTEGER NOT NULL,
	bot_reply_ms    INTEGER NOT NULL,
	rt0 INTEGER NOT NULL, rt1 INTEGER NOT NULL, rt2 INTEGER NOT NULL, rt3 INTEGER NOT NULL,
	rt4 INTEGER NOT NULL, rt5 INTEGER NOT NULL, rt6 INTEGER NOT NULL, rt7 INTEGER NOT NULL,
	queue_wait_ms   INTEGER,  -- NULL: no agent joined
	first_reply_ms  INTEGER,
	handle_ms       INTEGER,
	survey_asked    INTEGER NOT NULL,
	score           INTEGER,  -- NULL: no answer
	comment         TEXT NOT NULL,
	followup_s      INTEGER,  -- NULL: no later contact about the same intent
	PRIMARY KEY (conversation_id, contact_seq)
);
-- Reports select by start time.
CREATE INDEX outcomes_started ON outcomes (started_at);
CREATE INDEX outcomes_followup ON outcomes (customer_id, intent, started_at);

CREATE TABLE rule_events (
	conversation_id TEXT NOT NULL,
	seq             INTEGER NOT NULL,
	at              INTEGER NOT NULL,
	kind            TEXT NOT NULL,
	name            TEXT NOT NULL,
	dialog          TEXT NOT NULL,
	amount          REAL,
	channel         TEXT NOT NULL,
	language        TEXT NOT NULL,
	policy_version  TEXT NOT NULL,
	day             TEXT NOT NULL,
	week            TEXT NOT NULL,
	hour            INTEGER NOT NULL,
	PRIMARY KEY (conversation_id, seq)
) WITHOUT ROWID;
CREATE INDEX rule_events_at ON rule_events (at);

CREATE TABLE report_runs (
	report      TEXT NOT NULL,
	slot        TEXT NOT NULL,
	owner       TEXT NOT NULL,
	status      TEXT NOT NULL, -- claimed, sent, failed
	claimed_at  INTEGER NOT NULL,
	finished_at INTEGER,
	error       TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (report, slot)
) WITHOUT ROWID;

CREATE INDEX audit_actor ON audit (actor);
