-- A form ticket's unverified email and phone as the search compares them
-- (turn.ContactKey: the email lower-cased, the phone its digits only), in
-- columns with an index each, so that a search by a contact reads the
-- tickets it finds instead of parsing every ticket's JSON. NULL: none. Rows
-- written before are filled here: their emails went through NormalizeEmail
-- (already lower-case, which lower keeps). Every statement is idempotent.
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS contact_email text;
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS contact_phone text;
UPDATE tickets SET
	contact_email = NULLIF(lower(convert_from(unverified, 'UTF8')::jsonb ->> 'email'), ''),
	contact_phone = NULLIF(regexp_replace(convert_from(unverified, 'UTF8')::jsonb ->> 'phone', '[^0-9]', '', 'g'), '')
WHERE unverified IS NOT NULL;
-- Most tickets come from chats and have neither: the indexes leave them out.
CREATE INDEX IF NOT EXISTS tickets_contact_email ON tickets (contact_email) WHERE contact_email IS NOT NULL;
CREATE INDEX IF NOT EXISTS tickets_contact_phone ON tickets (contact_phone) WHERE contact_phone IS NOT NULL;
