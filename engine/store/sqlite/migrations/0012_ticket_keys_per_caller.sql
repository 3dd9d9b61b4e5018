-- A ticket's API Idempotency-Key is its caller's own from this version on
-- ("api:AGENT:KEY", no longer "api:KEY"): a ticket filed before the upgrade
-- gets the key its caller's retry now sends, so the retry is the same
-- ticket, not a second one. The caller is the agent who created it, in the
-- ticket's first history entry.
UPDATE tickets SET source_key = 'api:' || substr((SELECT h.actor FROM ticket_history h WHERE h.ticket_id = tickets.id ORDER BY h.n LIMIT 1), 7) || ':' || substr(source_key, 5)
WHERE source_key LIKE 'api:%'
	AND (SELECT h.actor FROM ticket_history h WHERE h.ticket_id = tickets.id ORDER BY h.n LIMIT 1) LIKE 'agent:%';
