-- The agent workspace: customer profiles (VIP status and tier kept on the
-- customer), a customer's history across channels, and agents an admin can
-- disable or set to auto-assignment.

ALTER TABLE customers ADD COLUMN profile TEXT NOT NULL DEFAULT '{}'; -- JSON store.CustomerProfile

CREATE INDEX IF NOT EXISTS conversations_customer ON conversations (customer_id, created_at);
CREATE INDEX IF NOT EXISTS tickets_customer ON tickets (customer_id);

ALTER TABLE agents ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE agents ADD COLUMN auto_assign TEXT NOT NULL DEFAULT ''; -- '', 'on' or 'off'
