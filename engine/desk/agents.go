package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/policies"
)

// AutoAssign reports whether the router gives agent conversations without
// their asking, and why: "agent" when their own setting decides, "server" when
// the bot's inbox block does (off without one).
func AutoAssign(a store.Agent, bot *policies.Bot) (on bool, source string) {
	switch a.AutoAssign {
	case store.AutoAssignOn:
		return true, "agent"
	case store.AutoAssignOff:
		return false, "agent"
	}
	return bot != nil && bot.Inbox != nil && bot.Inbox.AutoAssign, "server"
}

// NewAgent is what an admin gives to create an agent.
type NewAgent struct {
	ID         string
	Name       string
	Role       string // "" is agent
	Skills     []string
	MaxChats   int    // 0 is store.DefaultMaxChats
	AutoAssign string // "", "on" or "off"
}

// AgentChanges are an admin's edits to an agent; nil fields stay as they are.
type AgentChanges struct {
	Name       *string
	Role       *string
	Skills     *[]string
	MaxChats   *int
	AutoAssign *string // "default" (or "") follows the server
}

// MaxChatsLimit bounds max_chats: no one holds more conversations at once.
const MaxChatsLimit = 50

// CreateAgent creates an agent with the hash of their first API key, audited
// as the admin's act. The id is never reused: creating an existing agent is a
// conflict, since replacing them would stop their key working.
func (d *Desk) CreateAgent(ctx context.Context, admin store.Agent, n NewAgent, keyHash string) (store.Agent, error) {
	var problems []string
	switch {
	case !ValidID(n.ID):
		problems = append(problems, "id must be 1-64 letters, digits, '-', '_' or '.'")
	case n.ID == "admin" || n.ID == "local":
		// "admin" is who PARLEY_API_TOKEN acts as, and the desk gives both
		// names no chat limit: an agent by that name would be mistaken for it.
		problems = append(problems, fmt.Sprintf("id %q is reserved; choose another", n.ID))
	}
	if strings.TrimSpace(n.Name) == "" {
		problems = append(problems, "name is required")
	}
	if n.Role == "" {
		n.Role = RoleAgent
	}
	problems = append(problems, checkAgentFields(&n.Role, &n.MaxChats, &n.AutoAssign)...)
	if len(problems) > 0 {
		return store.Agent{}, fmt.Errorf("%w: %s", engine.ErrInvalidInput, strings.Join(problems, "; "))
	}
	a := store.Agent{ID: n.ID, Name: strings.TrimSpace(n.Name), Role: n.Role, Skills: n.Skills, MaxChats: n.MaxChats,
		AutoAssign: n.AutoAssign, Status: store.AgentOffline, KeyHash: keyHash}
	out, err := d.e.Store().CreateAgent(ctx, a, d.adminAudit(admin, "agent.create", a.ID, map[string]any{
		"role": a.Role, "skills": nonNilStrings(store.NormalizeSkills(a.Skills)), "max_chats": a.MaxChats, "auto_assign": a.AutoAssign,
	}))
	if errors.Is(err, store.ErrConflict) {
		return store.Agent{}, fmt.Errorf("%w: agent %q exists already", store.ErrConflict, n.ID)
	}
	return out, err
}

// EditAgent changes an agent's name, role, skills, chat limit or
// auto-assignment, audited with what changed.
func (d *Desk) EditAgent(ctx context.Context, admin store.Agent, id string, ch AgentChanges) (store.Agent, error) {
	var problems []string
	if ch.Name != nil && strings.TrimSpace(*ch.Name) == "" {
		problems = append(problems, "name can't be empty")
	}
	if ch.AutoAssign != nil && *ch.AutoAssign == "default" {
		*ch.AutoAssign = store.AutoAssignDefault
	}
	if ch.Role != nil || ch.MaxChats != nil || ch.AutoAssign != nil {
		role, maxChats, auto := "agent", 0, ""
		if ch.Role != nil {
			role = *ch.Role
		}
		if ch.MaxChats != nil {
			maxChats = *ch.MaxChats
		}
		if ch.AutoAssign != nil {
			auto = *ch.AutoAssign
		}
		problems = append(problems, checkAgentFields(&role, &maxChats, &auto)...)
	}
	if len(problems) > 0 {
		return store.Agent{}, fmt.Errorf("%w: %s", engine.ErrInvalidInput, strings.Join(problems, "; "))
	}
	return d.updateAgent(ctx, admin, id, "agent.update", func(a *store.Agent) (map[string]any, error) {
		changed := map[string]any{}
		if ch.Name != nil && strings.TrimSpace(*ch.Name) != a.Name {
			a.Name, changed["name"] = strings.TrimSpace(*ch.Name), strings.TrimSpace(*ch.Name)
		}
		if ch.Role != nil && *ch.Role != a.Role {
			if a.ID == admin.ID && RoleRank(*ch.Role) < RoleRank(RoleAdmin) {
				return nil, fmt.Errorf("%w: you can't take the admin role from yourself; another admin can", engine.ErrInvalidInput)
			}
			changed["role"] = map[string]string{"from": a.Role, "to": *ch.Role}
			a.Role = *ch.Role
		}
		if ch.Skills != nil {
			skills := store.NormalizeSkills(*ch.Skills)
			if !slices.Equal(skills, a.Skills) {
				changed["skills"] = map[string][]string{"from": nonNilStrings(a.Skills), "to": nonNilStrings(skills)}
				a.Skills = skills
			}
		}
		if ch.MaxChats != nil && maxChats(store.Agent{MaxChats: *ch.MaxChats}) != maxChats(*a) {
			a.MaxChats = maxChats(store.Agent{MaxChats: *ch.MaxChats})
			changed["max_chats"] = a.MaxChats
		}
		if ch.AutoAssign != nil && *ch.AutoAssign != a.AutoAssign {
			changed["auto_assign"] = or(*ch.AutoAssign, "default")
			a.AutoAssign = *ch.AutoAssign
		}
		return changed, nil
	})
}

// SetAgentDisabled disables an agent (their key stops working, they get no
// conversations, and the ones they have go back to waiting in their queues) or
// enables them again.
func (d *Desk) SetAgentDisabled(ctx context.Context, admin store.Agent, id string, disabled bool) (store.Agent, error) {
	if disabled && id == admin.ID {
		return store.Agent{}, fmt.Errorf("%w: you can't disable yourself; another admin can", engine.ErrInvalidInput)
	}
	action := map[bool]string{true: "agent.disable", false: "agent.enable"}[disabled]
	a, err := d.updateAgent(ctx, admin, id, action, func(a *store.Agent) (map[string]any, error) {
		if a.Disabled == disabled {
			return nil, nil
		}
		a.Disabled = disabled
		if disabled {
			a.Status = store.AgentOffline
		}
		return map[string]any{"disabled": disabled}, nil
	})
	if err != nil || !disabled {
		return a, err
	}
	// Their customers must not wait for someone who is gone. A retry of the
	// disable finishes this if it was interrupted.
	held, err := d.e.Store().Handoffs(ctx, store.HandoffFilter{Agent: id, Status: HandoffAssigned})
	if err != nil {
		return a, fmt.Errorf("conversations of %s: %w", id, err)
	}
	requeuer := store.Agent{ID: admin.ID, Name: admin.Name, Role: RoleAdmin}
	for _, h := range held {
		if _, err := d.Transfer(ctx, h.ID, requeuer, h.Queue, "agent "+id+" was disabled"); err != nil && !errors.Is(err, store.ErrConflict) {
			return a, fmt.Errorf("requeue %s: %w", h.ID, err)
		}
	}
	return a, nil
}

// RotateKey gives an agent a new API key (its hash): the old one stops working
// at once. Revoke with an empty hash: the agent can't sign in until rotated.
func (d *Desk) RotateKey(ctx context.Context, admin store.Agent, id, keyHash string) (store.Agent, error) {
	action := "agent.key.rotate"
	if keyHash == "" {
		action = "agent.key.revoke"
	}
	return d.updateAgent(ctx, admin, id, action, func(a *store.Agent) (map[string]any, error) {
		if keyHash == "" && a.KeyHash == "" {
			return nil, nil // revoked already
		}
		a.KeyHash = keyHash
		return map[string]any{}, nil
	})
}

// updateAgent edits an agent under the store's row lock; edit returns what
// changed for the audit entry (nil: nothing did, and nothing is written).
func (d *Desk) updateAgent(ctx context.Context, admin store.Agent, id, action string, edit func(a *store.Agent) (map[string]any, error)) (store.Agent, error) {
	a, err := d.e.Store().UpdateAgent(ctx, id, func(a *store.Agent) (store.AuditEntry, error) {
		changed, err := edit(a)
		if err != nil || changed == nil {
			return store.AuditEntry{}, err
		}
		return d.adminAudit(admin, action, a.ID, changed), nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return store.Agent{}, fmt.Errorf("agent %q: %w", id, store.ErrNotFound)
	}
	return a, err
}

// adminAudit is the audit entry of an admin's act on an agent. It never holds
// a key, not even its hash.
func (d *Desk) adminAudit(admin store.Agent, action, agentID string, detail map[string]any) store.AuditEntry {
	detail["agent"] = agentID
	return d.e.Audit("admin:"+admin.ID, action, "", detail)
}

// checkAgentFields validates what create and edit share.
func checkAgentFields(role *string, maxChats *int, auto *string) []string {
	var problems []string
	if RoleRank(*role) == 0 {
		problems = append(problems, "role must be agent, supervisor or admin")
	}
	if *maxChats < 0 || *maxChats > MaxChatsLimit {
		problems = append(problems, fmt.Sprintf("max_chats must be from 0 (default %d) to %d", store.DefaultMaxChats, MaxChatsLimit))
	}
	switch *auto {
	case store.AutoAssignDefault, store.AutoAssignOn, store.AutoAssignOff:
	default:
		problems = append(problems, `auto_assign must be "on", "off" or "default" (the server's setting)`)
	}
	return problems
}

// ValidID: an id (of an agent, a channel) is 1-64 letters, digits, '-', '_' or '.'.
func ValidID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
