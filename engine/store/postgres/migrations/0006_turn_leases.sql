-- A turn's hold on a conversation (postgres/turns.go): taken in a short
-- transaction when the turn begins, released by the commit that writes the
-- turn, so no transaction or connection is held while the turn calls
-- connectors. holder is the instance, alive while it holds the session
-- advisory lock (classid 1886546041, "prly", objid holder); a lease whose holder died
-- or whose expires_at passed can be taken over.
--
-- UNLOGGED: a lease only means something to live sessions, so it is not worth
-- a WAL write (or an fsync when taken); a crash of the server empties the table
-- together with every session that could hold a lease.
CREATE UNLOGGED TABLE IF NOT EXISTS turn_leases (
	conversation_id text PRIMARY KEY,
	holder          bigint NOT NULL,
	token           text NOT NULL,
	expires_at      timestamptz NOT NULL
);
