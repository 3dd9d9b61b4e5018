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
	hour_utc        INTEGER NOT NULL, -- started_at truncated to the UTC hour: its rollup bucket
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
	hour_utc        INTEGER NOT NULL,
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

-- Rollups: the outcome rows summed per UTC hour and dimensions, kept by the
-- same commit that writes an outcome row (revisions subtract the old row and
-- add the new). Reports read whole hours here and the rows of the partial
-- hours at the edges of their period from outcomes, so they stay fast on
-- millions of contacts. fuN: contacts whose customer came back about the same
-- intent within N days (first-contact resolution windows).
CREATE TABLE outcome_rollup (
	hour_utc       INTEGER NOT NULL,
	day            TEXT NOT NULL,
	week           TEXT NOT NULL,
	hour           INTEGER NOT NULL,
	channel        TEXT NOT NULL,
	language       TEXT NOT NULL,
	policy_version TEXT NOT NULL,
	outcome        TEXT NOT NULL,
	contacts INTEGER NOT NULL DEFAULT 0,
	handed_off INTEGER NOT NULL DEFAULT 0,
	with_ticket INTEGER NOT NULL DEFAULT 0,
	messages INTEGER NOT NULL DEFAULT 0,
	not_understood INTEGER NOT NULL DEFAULT 0,
	kb_answered INTEGER NOT NULL DEFAULT 0,
	unanswered INTEGER NOT NULL DEFAULT 0,
	bot_replies INTEGER NOT NULL DEFAULT 0,
	bot_reply_ms INTEGER NOT NULL DEFAULT 0,
	rt0 INTEGER NOT NULL DEFAULT 0,
	rt1 INTEGER NOT NULL DEFAULT 0,
	rt2 INTEGER NOT NULL DEFAULT 0,
	rt3 INTEGER NOT NULL DEFAULT 0,
	rt4 INTEGER NOT NULL DEFAULT 0,
	rt5 INTEGER NOT NULL DEFAULT 0,
	rt6 INTEGER NOT NULL DEFAULT 0,
	rt7 INTEGER NOT NULL DEFAULT 0,
	queue_waits INTEGER NOT NULL DEFAULT 0,
	queue_wait_ms INTEGER NOT NULL DEFAULT 0,
	qw0 INTEGER NOT NULL DEFAULT 0,
	qw1 INTEGER NOT NULL DEFAULT 0,
	qw2 INTEGER NOT NULL DEFAULT 0,
	qw3 INTEGER NOT NULL DEFAULT 0,
	qw4 INTEGER NOT NULL DEFAULT 0,
	qw5 INTEGER NOT NULL DEFAULT 0,
	qw6 INTEGER NOT NULL DEFAULT 0,
	qw7 INTEGER NOT NULL DEFAULT 0,
	first_replies INTEGER NOT NULL DEFAULT 0,
	first_reply_ms INTEGER NOT NULL DEFAULT 0,
	handled INTEGER NOT NULL DEFAULT 0,
	handle_ms INTEGER NOT NULL DEFAULT 0,
	surveys_asked INTEGER NOT NULL DEFAULT 0,
	scores INTEGER NOT NULL DEFAULT 0,
	score_sum INTEGER NOT NULL DEFAULT 0,
	s1 INTEGER NOT NULL DEFAULT 0,
	s2 INTEGER NOT NULL DEFAULT 0,
	s3 INTEGER NOT NULL DEFAULT 0,
	s4 INTEGER NOT NULL DEFAULT 0,
	s5 INTEGER NOT NULL DEFAULT 0,
	fu1d INTEGER NOT NULL DEFAULT 0,
	fu3d INTEGER NOT NULL DEFAULT 0,
	fu7d INTEGER NOT NULL DEFAULT 0,
	fu14d INTEGER NOT NULL DEFAULT 0,
	fu30d INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (hour_utc, day, week, hour, channel, language, policy_version, outcome)
) WITHOUT ROWID;

-- Counts by one more dimension: dim is queue, reason, intent, dialog, agent or
-- ticket (v1 the ticket queue, v2 its priority).
CREATE TABLE outcome_counts (
	hour_utc    INTEGER NOT NULL,
	dim         TEXT NOT NULL,
	v1          TEXT NOT NULL,
	v2          TEXT NOT NULL,
	contacts    INTEGER NOT NULL DEFAULT 0,
	handed_off  INTEGER NOT NULL DEFAULT 0,
	with_ticket INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (dim, hour_utc, v1, v2)
) WITHOUT ROWID;

CREATE TABLE rule_rollup (
	hour_utc       INTEGER NOT NULL,
	day            TEXT NOT NULL,
	week           TEXT NOT NULL,
	hour           INTEGER NOT NULL,
	channel        TEXT NOT NULL,
	language       TEXT NOT NULL,
	policy_version TEXT NOT NULL,
	kind           TEXT NOT NULL,
	name           TEXT NOT NULL,
	dialog         TEXT NOT NULL,
	applied        INTEGER NOT NULL DEFAULT 0,
	amounts        INTEGER NOT NULL DEFAULT 0,
	amount_sum     REAL NOT NULL DEFAULT 0,
	PRIMARY KEY (hour_utc, day, week, hour, channel, language, policy_version, kind, name, dialog)
) WITHOUT ROWID;

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
