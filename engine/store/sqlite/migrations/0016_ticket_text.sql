-- The desk's text search (q=: words in a ticket's subject or description)
-- finds tickets by an FTS5 trigram index instead of reading every ticket:
-- trigrams match any substring of 3 characters or more, Chinese without
-- spaces included, ignoring case. The table keeps no copy of the text
-- (content='tickets': its rows are the tickets' rowids, which the store
-- already relies on to order tickets), and triggers keep it current on every
-- write, whichever statement makes it. Tickets written before are indexed by
-- the rebuild.
CREATE VIRTUAL TABLE tickets_text USING fts5 (subject, description, content = 'tickets', tokenize = 'trigram');
INSERT INTO tickets_text (tickets_text) VALUES ('rebuild');

CREATE TRIGGER tickets_text_insert AFTER INSERT ON tickets BEGIN
	INSERT INTO tickets_text (rowid, subject, description) VALUES (new.rowid, new.subject, new.description);
END;

CREATE TRIGGER tickets_text_delete AFTER DELETE ON tickets BEGIN
	INSERT INTO tickets_text (tickets_text, rowid, subject, description) VALUES ('delete', old.rowid, old.subject, old.description);
END;

-- An update that leaves the text as it was (a status, an assignee) leaves
-- the index alone.
CREATE TRIGGER tickets_text_update AFTER UPDATE OF subject, description ON tickets
WHEN old.subject IS NOT new.subject OR old.description IS NOT new.description BEGIN
	INSERT INTO tickets_text (tickets_text, rowid, subject, description) VALUES ('delete', old.rowid, old.subject, old.description);
	INSERT INTO tickets_text (rowid, subject, description) VALUES (new.rowid, new.subject, new.description);
END;
