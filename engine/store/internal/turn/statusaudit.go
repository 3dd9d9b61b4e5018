package turn

import (
	"encoding/json"

	"github.com/parleyhq/parley/engine/store"
)

// StatusAudit is the audit entry for a status change an agent or admin makes
// outside a turn (kind is "ticket" or "handoff"). Every store writes it in the
// same transaction as the change.
func StatusAudit(kind, id, conversationID string, change store.StatusChange) store.AuditEntry {
	detail, _ := json.Marshal(map[string]string{"id": id, "status": change.Status, "note": change.Note})
	return store.AuditEntry{At: change.At, Actor: change.Actor, Action: kind + ".status", ConversationID: conversationID, Detail: detail}
}
