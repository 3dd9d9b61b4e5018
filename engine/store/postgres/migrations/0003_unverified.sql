-- What a customer said about themselves and nobody verified (name, email,
-- phone), as a JSON object: shown to the agent, labelled, and never used to
-- find or link customers.
ALTER TABLE handoffs ADD COLUMN IF NOT EXISTS unverified bytea;
