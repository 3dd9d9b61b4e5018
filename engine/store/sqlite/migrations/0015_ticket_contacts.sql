-- A form ticket's unverified email and phone as the search compares them
-- (turn.ContactKey: the email lower-cased, the phone its digits only), in
-- columns with an index each, so that a search by a contact reads the
-- tickets it finds instead of parsing every ticket's JSON. NULL: none. Rows
-- written before are filled here: their values went through NormalizeEmail
-- (already lower-case) and NormalizePhone (a "+" and digits; the separators
-- it drops are removed too), so LOWER and REPLACE give what Go does.
ALTER TABLE tickets ADD COLUMN contact_email TEXT;
ALTER TABLE tickets ADD COLUMN contact_phone TEXT;
UPDATE tickets SET
	contact_email = NULLIF(LOWER(json_extract(CAST(unverified AS TEXT), '$.email')), ''),
	contact_phone = NULLIF(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(
		json_extract(CAST(unverified AS TEXT), '$.phone'), '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '')
WHERE unverified IS NOT NULL;
-- Most tickets come from chats and have neither: the indexes leave them out.
CREATE INDEX tickets_contact_email ON tickets (contact_email) WHERE contact_email IS NOT NULL;
CREATE INDEX tickets_contact_phone ON tickets (contact_phone) WHERE contact_phone IS NOT NULL;
