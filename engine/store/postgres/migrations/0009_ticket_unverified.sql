-- Who a ticket from a public form says they are (email, phone, name), as a
-- JSON object: the ticket is answered there, but nobody verified it, so it
-- never finds or links a customer.
ALTER TABLE tickets ADD COLUMN unverified bytea;
