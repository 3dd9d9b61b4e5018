package turn

import (
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/engine/store"
)

// PutAgent validates a and merges it over old (nil for a new agent), returning the
// agent to store. See store.AgentStore.PutAgent for the rules.
func PutAgent(old *store.Agent, a store.Agent, now time.Time) (store.Agent, error) {
	if a.ID == "" {
		return a, fmt.Errorf("agent id is empty: %w", store.ErrInvalid)
	}
	switch a.Role {
	case "":
		a.Role = store.RoleAgent
		if old != nil {
			a.Role = old.Role
		}
	case store.RoleAgent, store.RoleSupervisor, store.RoleAdmin:
	default:
		return a, fmt.Errorf("agent %s: role %q is not agent, supervisor or admin: %w", a.ID, a.Role, store.ErrInvalid)
	}
	if a.Status != "" {
		if err := ValidAgentStatus(a.Status); err != nil {
			return a, fmt.Errorf("agent %s: %w", a.ID, err)
		}
	}
	switch {
	case a.MaxChats < 0:
		return a, fmt.Errorf("agent %s: max chats %d is negative: %w", a.ID, a.MaxChats, store.ErrInvalid)
	case a.MaxChats == 0:
		a.MaxChats = store.DefaultMaxChats
	}
	a.KeyHash = strings.ToLower(a.KeyHash)
	if a.KeyHash != "" {
		if b, err := hex.DecodeString(a.KeyHash); err != nil || len(b) != 32 {
			return a, fmt.Errorf("agent %s: key hash is not a hex SHA-256 (use store.HashAPIKey): %w", a.ID, store.ErrInvalid)
		}
	}
	a.Skills = NormalizeSkills(a.Skills)
	a.UpdatedAt = now
	if old == nil {
		a.CreatedAt = now
		if a.Status == "" {
			a.Status = store.AgentOffline
		}
		return a, nil
	}
	a.CreatedAt = old.CreatedAt
	if a.Status == "" {
		a.Status = old.Status
	}
	if a.KeyHash == "" {
		a.KeyHash = old.KeyHash
	}
	return a, nil
}

// ValidAgentStatus accepts online, busy and offline.
func ValidAgentStatus(status string) error {
	switch status {
	case store.AgentOnline, store.AgentBusy, store.AgentOffline:
		return nil
	}
	return fmt.Errorf("agent status %q is not online, busy or offline: %w", status, store.ErrInvalid)
}

// NormalizeSkills sorts skills and drops empty and duplicate ones; none is nil.
func NormalizeSkills(skills []string) []string {
	var out []string
	for _, s := range skills {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func CloneAgent(a store.Agent) store.Agent {
	a.Skills = slices.Clone(a.Skills)
	return a
}

// UpdateHandoff runs fn on a copy of h (read under the store's lock) and checks what
// it changed. It returns the handoff to save, the History entries fn appended
// (normalized) and the audit row to write (nil for none). fn's own error is returned
// unwrapped.
func UpdateHandoff(h store.Handoff, fn func(*store.Handoff) (store.AuditEntry, error), now time.Time) (store.Handoff, []store.StatusChange, *store.AuditEntry, error) {
	work := CloneHandoff(h)
	a, err := fn(&work)
	if err != nil {
		return h, nil, nil, err
	}
	if work.ID != h.ID || work.ConversationID != h.ConversationID {
		return h, nil, nil, fmt.Errorf("handoff %s: the update changed its id or conversation: %w", h.ID, store.ErrInvalid)
	}
	added, history, err := appended("handoff", h.ID, h.History, work.History, now)
	if err != nil {
		return h, nil, nil, err
	}
	out := CloneHandoff(work)
	out.CreatedAt = h.CreatedAt
	out.UpdatedAt = now
	out.History = history
	for i := range out.Transcript {
		out.Transcript[i].At = Time(out.Transcript[i].At)
	}
	audit, err := auditOf(a, h.ConversationID, now)
	if err != nil {
		return h, nil, nil, fmt.Errorf("handoff %s: %w", h.ID, err)
	}
	return out, added, audit, nil
}
