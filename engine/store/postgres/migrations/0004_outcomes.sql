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
	hour_utc        timestamptz NOT NULL, -- started_at truncated to the UTC hour: its rollup bucket
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
	hour_utc        timestamptz NOT NULL,
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

-- Rollups: the outcome rows summed per UTC hour and dimensions, kept by the
-- same commit that writes an outcome row (revisions subtract the old row and
-- add the new). Reports read whole hours here and the rows of the partial
-- hours at the edges of their period from outcomes, so they stay fast on
-- millions of contacts. fuN: contacts whose customer came back about the same
-- intent within N days (first-contact resolution windows).
CREATE TABLE IF NOT EXISTS outcome_rollup (
	hour_utc       timestamptz NOT NULL,
	day            text NOT NULL,
	week           text NOT NULL,
	hour           integer NOT NULL,
	channel        text NOT NULL,
	language       text NOT NULL,
	policy_version text NOT NULL,
	outcome        text NOT NULL,
	contacts bigint NOT NULL DEFAULT 0,
	handed_off bigint NOT NULL DEFAULT 0,
	with_ticket bigint NOT NULL DEFAULT 0,
	messages bigint NOT NULL DEFAULT 0,
	not_understood bigint NOT NULL DEFAULT 0,
	kb_answered bigint NOT NULL DEFAULT 0,
	unanswered bigint NOT NULL DEFAULT 0,
	bot_replies bigint NOT NULL DEFAULT 0,
	bot_reply_ms bigint NOT NULL DEFAULT 0,
	rt0 bigint NOT NULL DEFAULT 0,
	rt1 bigint NOT NULL DEFAULT 0,
	rt2 bigint NOT NULL DEFAULT 0,
	rt3 bigint NOT NULL DEFAULT 0,
	rt4 bigint NOT NULL DEFAULT 0,
	rt5 bigint NOT NULL DEFAULT 0,
	rt6 bigint NOT NULL DEFAULT 0,
	rt7 bigint NOT NULL DEFAULT 0,
	queue_waits bigint NOT NULL DEFAULT 0,
	queue_wait_ms bigint NOT NULL DEFAULT 0,
	qw0 bigint NOT NULL DEFAULT 0,
	qw1 bigint NOT NULL DEFAULT 0,
	qw2 bigint NOT NULL DEFAULT 0,
	qw3 bigint NOT NULL DEFAULT 0,
	qw4 bigint NOT NULL DEFAULT 0,
	qw5 bigint NOT NULL DEFAULT 0,
	qw6 bigint NOT NULL DEFAULT 0,
	qw7 bigint NOT NULL DEFAULT 0,
	first_replies bigint NOT NULL DEFAULT 0,
	first_reply_ms bigint NOT NULL DEFAULT 0,
	handled bigint NOT NULL DEFAULT 0,
	handle_ms bigint NOT NULL DEFAULT 0,
	surveys_asked bigint NOT NULL DEFAULT 0,
	scores bigint NOT NULL DEFAULT 0,
	score_sum bigint NOT NULL DEFAULT 0,
	s1 bigint NOT NULL DEFAULT 0,
	s2 bigint NOT NULL DEFAULT 0,
	s3 bigint NOT NULL DEFAULT 0,
	s4 bigint NOT NULL DEFAULT 0,
	s5 bigint NOT NULL DEFAULT 0,
	fu1d bigint NOT NULL DEFAULT 0,
	fu3d bigint NOT NULL DEFAULT 0,
	fu7d bigint NOT NULL DEFAULT 0,
	fu14d bigint NOT NULL DEFAULT 0,
	fu30d bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (hour_utc, day, week, hour, channel, language, policy_version, outcome)
);

-- Counts by one more dimension: dim is queue, reason, intent, dialog, agent or
-- ticket (v1 the ticket queue, v2 its priority).
CREATE TABLE IF NOT EXISTS outcome_counts (
	hour_utc    timestamptz NOT NULL,
	dim         text NOT NULL,
	v1          text NOT NULL,
	v2          text NOT NULL,
	contacts    bigint NOT NULL DEFAULT 0,
	handed_off  bigint NOT NULL DEFAULT 0,
	with_ticket bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (dim, hour_utc, v1, v2)
);

CREATE TABLE IF NOT EXISTS rule_rollup (
	hour_utc       timestamptz NOT NULL,
	day            text NOT NULL,
	week           text NOT NULL,
	hour           integer NOT NULL,
	channel        text NOT NULL,
	language       text NOT NULL,
	policy_version text NOT NULL,
	kind           text NOT NULL,
	name           text NOT NULL,
	dialog         text NOT NULL,
	applied        bigint NOT NULL DEFAULT 0,
	amounts        bigint NOT NULL DEFAULT 0,
	amount_sum     double precision NOT NULL DEFAULT 0,
	PRIMARY KEY (hour_utc, day, week, hour, channel, language, policy_version, kind, name, dialog)
);

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
