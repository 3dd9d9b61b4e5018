-- Outcomes, KPIs and reports (docs/reports.md). One row per contact, written by
-- the turn that settles it; reports aggregate these rows with GROUP BY.

ALTER TABLE conversations ADD COLUMN IF NOT EXISTS policy_version text NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS policy_label text NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS contact bytea;
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS contact_due timestamptz; -- NULL: nothing to settle
CREATE INDEX IF NOT EXISTS conversations_contact_due ON conversations (contact_due) WHERE contact_due IS NOT NULL;
CREATE INDEX IF NOT EXISTS conversations_created ON conversations (created_at, id);

CREATE TABLE IF NOT EXISTS outcomes (
	conversation_id text NOT NULL,
	contact_seq     bigint NOT NULL,
	last_seq        bigint NOT NULL,
	customer_id     text NOT NULL,
	channel         text NOT NULL,
	language        text NOT NULL,
	policy_version  text NOT NULL,
	policy_label    text NOT NULL,
	started_at      timestamptz NOT NULL,
	ended_at        timestamptz NOT NULL,
	settled_at      timestamptz NOT NULL,
	day             text NOT NULL,
	week            text NOT NULL,
	hour            integer NOT NULL,
	outcome         text NOT NULL,
	intent          text NOT NULL,
	dialog          text NOT NULL,
	queue           text NOT NULL,
	reason          text NOT NULL,
	agent           text NOT NULL,
	messages        bigint NOT NULL,
	not_understood  bigint NOT NULL,
	kb_answered     bigint NOT NULL,
	unanswered      bigint NOT NULL,
	handoffs        bigint NOT NULL,
	tickets         bigint NOT NULL,
	ticket_queue    text NOT NULL,
	ticket_priority text NOT NULL,
	bot_replies     bigint NOT NULL,
	bot_reply_ms    bigint NOT NULL,
	rt0 bigint NOT NULL, rt1 bigint NOT NULL, rt2 bigint NOT NULL, rt3 bigint NOT NULL,
	rt4 bigint NOT NULL, rt5 bigint NOT NULL, rt6 bigint NOT NULL, rt7 bigint NOT NULL,
	queue_wait_ms   bigint,  -- NULL: no agent joined
	first_reply_ms  bigint,
	handle_ms       bigint,
	survey_asked    bigint NOT NULL,
	score           bigint,  -- NULL: no answer
	comment         text NOT NULL,
	followup_s      bigint,  -- NULL: no later contact about the same intent
	PRIMARY KEY (conversation_id, contact_seq)
);
-- Reports select by start time.
CREATE INDEX IF NOT EXISTS outcomes_started ON outcomes (started_at);
CREATE INDEX IF NOT EXISTS outcomes_followup ON outcomes (customer_id, intent, started_at);

CREATE TABLE IF NOT EXISTS rule_events (
	conversation_id text NOT NULL,
	seq             bigint NOT NULL,
	at              timestamptz NOT NULL,
	kind            text NOT NULL,
	name            text NOT NULL,
	dialog          text NOT NULL,
	amount          double precision,
	channel         text NOT NULL,
	language        text NOT NULL,
	policy_version  text NOT NULL,
	day             text NOT NULL,
	week            text NOT NULL,
	hour            integer NOT NULL,
	PRIMARY KEY (conversation_id, seq)
);
CREATE INDEX IF NOT EXISTS rule_events_at ON rule_events (at);

CREATE TABLE IF NOT EXISTS report_runs (
	report      text NOT NULL,
	slot        text NOT NULL,
	owner       text NOT NULL,
	status      text NOT NULL, -- claimed, sent, failed
	claimed_at  timestamptz NOT NULL,
	finished_at timestamptz,
	error       text NOT NULL DEFAULT '',
	PRIMARY KEY (report, slot)
);

CREATE INDEX IF NOT EXISTS audit_actor ON audit (actor);
