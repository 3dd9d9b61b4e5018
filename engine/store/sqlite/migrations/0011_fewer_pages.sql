-- Every B-tree a turn's commit touches costs it at least one 4 KB page in
-- the write-ahead log (two pwrites and a checksum, then a checkpoint's copy).
-- Two of them are not needed:
--
-- audit's AUTOINCREMENT rewrote sqlite_sequence in every commit with an
-- audit row. Its only promise beyond a plain rowid's (one more than the
-- largest) is that the id of a deleted newest row is not given again, and
-- audit rows are never deleted, so ids still only grow and the API's and
-- the export's "after" cursors keep working.
--
-- conversations_updated_at moved in every turn; only Purge reads by it, and
-- a conversation is updated no earlier than it was created, so Purge now
-- narrows its scan with conversations_created.
CREATE TABLE audit_by_rowid (
	id              INTEGER PRIMARY KEY,
	at              INTEGER NOT NULL,
	actor           TEXT NOT NULL,
	action          TEXT NOT NULL,
	conversation_id TEXT NOT NULL,
	detail          BLOB
);
INSERT INTO audit_by_rowid (id, at, actor, action, conversation_id, detail)
	SELECT id, at, actor, action, conversation_id, detail FROM audit ORDER BY id;
DROP TABLE audit;
ALTER TABLE audit_by_rowid RENAME TO audit;
CREATE INDEX audit_conversation ON audit (conversation_id);
CREATE INDEX audit_action ON audit (action);
CREATE INDEX audit_actor ON audit (actor);
CREATE INDEX audit_at ON audit (at);

DROP INDEX conversations_updated_at;
