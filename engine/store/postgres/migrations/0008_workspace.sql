-- The agent workspace: customer profiles (VIP status and tier kept on the
-- customer), a customer's history across channels, and agents an admin can
-- disable or set to auto-assignment. Every statement is idempotent.

ALTER TABLE customers ADD COLUMN IF NOT EXISTS profile text NOT NULL DEFAULT '{}'; -- JSON store.CustomerProfile

CREATE INDEX IF NOT EXISTS conversations_customer ON conversations (customer_id, created_at);
CREATE INDEX IF NOT EXISTS tickets_customer ON tickets (customer_id);

ALTER TABLE agents ADD COLUMN IF NOT EXISTS disabled boolean NOT NULL DEFAULT false;
ALTER TABLE agents ADD COLUMN IF NOT EXISTS auto_assign text NOT NULL DEFAULT ''; -- '', 'on' or 'off'
