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
	if err := normalizeAgent(&a); err != nil {
		return a, err
	}
	a.UpdatedAt = now
	if old == nil {
		a.CreatedAt = now
		if a.Status == "" {
			a.Status = store.AgentOffline
		}
		return a, nil
	}
	a.CreatedAt = old.CreatedAt
	a.Disabled = old.Disabled
	if a.Status == "" {
		a.Status = old.Status
	}
	if a.KeyHash == "" {
		a.KeyHash = old.KeyHash
	}
	if a.AutoAssign == "" {
		a.AutoAssign = old.AutoAssign
	}
	return a, nil
}

// normalizeAgent checks and normalizes the fields every write of an agent
// checks: chat limit, key hash, auto-assignment, skills.
func normalizeAgent(a *store.Agent) error {
	switch {
	case a.MaxChats < 0:
		return fmt.Errorf("agent %s: max chats %d is negative: %w", a.ID, a.MaxChats, store.ErrInvalid)
	case a.MaxChats == 0:
		a.MaxChats = store.DefaultMaxChats
	}
	a.KeyHash = strings.ToLower(a.KeyHash)
	if a.KeyHash != "" {
		if b, err := hex.DecodeString(a.KeyHash); err != nil || len(b) != 32 {
			return fmt.Errorf("agent %s: key hash is not a hex SHA-256 (use store.HashAPIKey): %w", a.ID, store.ErrInvalid)
		}
	}
	switch a.AutoAssign {
	case store.AutoAssignDefault, store.AutoAssignOn, store.AutoAssignOff:
	default:
		return fmt.Errorf("agent %s: auto-assign %q is not on, off or \"\": %w", a.ID, a.AutoAssign, store.ErrInvalid)
	}
	a.Skills = store.NormalizeSkills(a.Skills)
	return nil
}

// UpdateAgent runs fn on a copy of a (read under the store's lock) and checks
// the result; see store.AgentStore.UpdateAgent. fn's own error is returned
// unwrapped; the audit entry is nil when fn returns a zero one.
func UpdateAgent(a store.Agent, fn func(*store.Agent) (store.AuditEntry, error), now time.Time) (store.Agent, *store.AuditEntry, error) {
	work := CloneAgent(a)
	entry, err := fn(&work)
	if err != nil {
		return a, nil, err
	}
	if work.ID != a.ID {
		return a, nil, fmt.Errorf("agent %s: the update changed its id: %w", a.ID, store.ErrInvalid)
	}
	switch work.Role {
	case store.RoleAgent, store.RoleSupervisor, store.RoleAdmin:
	default:
		return a, nil, fmt.Errorf("agent %s: role %q is not agent, supervisor or admin: %w", a.ID, work.Role, store.ErrInvalid)
	}
	if err := ValidAgentStatus(work.Status); err != nil {
		return a, nil, fmt.Errorf("agent %s: %w", a.ID, err)
	}
	if err := normalizeAgent(&work); err != nil {
		return a, nil, err
	}
	work.CreatedAt, work.UpdatedAt = a.CreatedAt, now
	if entry.Action == "" && entry.Actor == "" && entry.Detail == nil {
		return work, nil, nil
	}
	entry, err = PrepareAudit(entry, now)
	if err != nil {
		return a, nil, fmt.Errorf("agent %s: %w", a.ID, err)
	}
	return work, &entry, nil
}

// CheckHandoffChange applies ch to h when h's status is one of ch.From;
// otherwise it is ErrConflict. See store.HandoffChange.
func CheckHandoffChange(h *store.Handoff, ch store.HandoffChange, now time.Time) (store.StatusChange, error) {
	if !slices.Contains(ch.From, h.Status) {
		return store.StatusChange{}, fmt.Errorf("handoff %s is %s, not %s: %w", h.ID, h.Status, strings.Join(ch.From, " or "), store.ErrConflict)
	}
	change, err := PrepareChange(ch.Change, now)
	if err != nil {
		return change, fmt.Errorf("handoff %s: %w", h.ID, err)
	}
	h.Status, h.UpdatedAt = change.Status, now
	h.History = append(h.History, change)
	return change, nil
}

// PrepareProfile normalizes a customer profile to store: its time like Now, and
// now when it has none.
func PrepareProfile(p store.CustomerProfile, now time.Time) store.CustomerProfile {
	p.UpdatedAt = Time(p.UpdatedAt)
	if p.UpdatedAt.IsZero() {
		p.UpdatedAt = now
	}
	return p
}

// ValidAgentStatus accepts online, busy and offline.
func ValidAgentStatus(status string) error {
	switch status {
	case store.AgentOnline, store.AgentBusy, store.AgentOffline:
		return nil
	}
	return fmt.Errorf("agent status %q is not online, busy or offline: %w", status, store.ErrInvalid)
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

// SummaryApplies says whether ch changes h: see store.SummaryChange. The SQL
// stores say the same in the WHERE of their UPDATE.
func SummaryApplies(h store.Handoff, ch store.SummaryChange) bool {
	return h.Status == "waiting" && h.Agent == "" && h.Summary != "" && h.Summary != ch.Summary
}
