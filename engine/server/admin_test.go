package server

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/store"
)

// TestCreatingAnAgentIsAudited: creating an agent (and a key) is written to
// the audit table, not only logged; a refused creation writes nothing.
func TestCreatingAnAgentIsAudited(t *testing.T) {
	env := newInbox(t)
	env.must(201, "POST", "/v1/admin/agents", inboxAdmin, map[string]any{"id": "ann", "name": "Ann", "role": "supervisor", "skills": []string{"vip", "billing"}})
	if code, _ := env.call("POST", "/v1/admin/agents", inboxAdmin, map[string]any{"id": "ann", "name": "Impostor"}); code != http.StatusConflict {
		t.Errorf("creating ann again = %d, want 409", code)
	}
	rows, err := env.store.Audit(context.Background(), store.AuditFilter{Action: "agent.create"})
	if err != nil || len(rows) != 1 {
		t.Fatalf("audit = %+v, %v; want one agent.create row", rows, err)
	}
	var detail map[string]any
	if err := json.Unmarshal(rows[0].Detail, &detail); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"agent": "ann", "role": "supervisor", "skills": []any{"billing", "vip"}, "max_chats": float64(0), "auto_assign": ""}
	if rows[0].Actor != "admin:admin" || !cmp.Equal(want, detail) {
		t.Errorf("audit row: actor %q, detail %v; want admin:admin, %v", rows[0].Actor, detail, want)
	}
}
