-- Gradual rollouts of a candidate version of the policies (store.Rollout):
-- one record that every instance on the database reads and updates by
-- revision, so they serve the same share and promote or roll back together.
CREATE TABLE rollouts (
	name       TEXT PRIMARY KEY,
	revision   INTEGER NOT NULL,
	data       TEXT NOT NULL,
	updated_at INTEGER NOT NULL
) WITHOUT ROWID;
