-- Gradual rollouts of a candidate version of the policies (store.Rollout):
-- one record that every instance on the database reads and updates by
-- revision, so they serve the same share and promote or roll back together.
CREATE TABLE IF NOT EXISTS rollouts (
	name       text PRIMARY KEY,
	revision   bigint NOT NULL,
	data       text NOT NULL,
	updated_at timestamptz NOT NULL
);
