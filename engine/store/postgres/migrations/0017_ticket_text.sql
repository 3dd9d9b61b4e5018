-- The desk's text search (q=: words in a ticket's subject or description,
-- LOWER(subject) LIKE '%...%') finds tickets by trigram indexes instead of
-- reading every ticket: pg_trgm's GIN operator class serves LIKE on the very
-- expression the search compares, so the query is unchanged and PostgreSQL
-- keeps the indexes current on every write, and builds them over the tickets
-- already stored. pg_trgm ships with PostgreSQL (contrib) and is a trusted
-- extension. Like pgvector it goes in public, not in this store's schema,
-- where the stores of other schemas would not see it; where it already is
-- (a host's schema for extensions) the operator class is named with its
-- schema, which the search path may leave out. Where it is not installed,
-- or this role may not create it, the indexes are left out and the search
-- reads every ticket, as before, rather than the store not starting: Migrate
-- runs this again on every start until they are there. Every statement is
-- idempotent, and the migration lock keeps two schemas from racing.
DO $$
DECLARE
	ops text;
BEGIN
	BEGIN
		CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
	EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
		RAISE WARNING 'pg_trgm: %; the ticket search by text reads every ticket until the extension is created', SQLERRM;
		RETURN;
	END;
	SELECT quote_ident(n.nspname) || '.gin_trgm_ops' INTO ops
	FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
	EXECUTE format('CREATE INDEX IF NOT EXISTS tickets_subject_trgm ON tickets USING gin (lower(subject) %s)', ops);
	EXECUTE format('CREATE INDEX IF NOT EXISTS tickets_description_trgm ON tickets USING gin (lower(description) %s)', ops);
END
$$;
