package desk

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store"
)

// Assign gives a conversation to a named agent on a supervisor's word: a
// waiting one, or one another agent holds (a reassignment, when that agent
// is away or overloaded), with no round trip through the queue where someone
// else could claim it. The new holder joins the conversation; the agent who
// had it loses it at once. Assigning it to whoever already holds it changes
// nothing, so a double click joins once. The target must be enabled and have
// room (max_chats); the queue's skill is the supervisor's judgement.
func (d *Desk) Assign(ctx context.Context, id string, by store.Agent, targetID, note string) (store.Handoff, error) {
	if RoleRank(by.Role) < RoleRank(RoleSupervisor) {
		return store.Handoff{}, fmt.Errorf("%w: only a supervisor assigns a conversation to someone; claim it to take it yourself", engine.ErrForbidden)
	}
	targetID = strings.TrimSpace(targetID)
	if targetID == "" {
		return store.Handoff{}, fmt.Errorf("%w: agent is required", engine.ErrInvalidInput)
	}
	target, err := d.e.Store().Agent(ctx, targetID)
	if errors.Is(err, store.ErrNotFound) {
		return store.Handoff{}, fmt.Errorf("%w: there is no agent %q", engine.ErrInvalidInput, targetID)
	} else if err != nil {
		return store.Handoff{}, fmt.Errorf("agent %s: %w", targetID, err)
	}
	if target.Disabled {
		return store.Handoff{}, fmt.Errorf("%w: agent %s is disabled", engine.ErrInvalidInput, target.ID)
	}
	if err := d.checkRoom(ctx, id, target); err != nil {
		return store.Handoff{}, err
	}
	now := d.e.Now()
	actor := "agent:" + by.ID
	repeat := false
	h, err := d.e.Store().UpdateHandoff(ctx, id, func(h *store.Handoff) (store.AuditEntry, error) {
		if finished(h.Status) {
			return store.AuditEntry{}, fmt.Errorf("%w: handoff %s is %s", store.ErrConflict, h.ID, h.Status)
		}
		if h.Status == HandoffAssigned && h.Agent == target.ID {
			repeat = true
			return d.audit(actor, "handoff.assign.repeat", h, nil), nil
		}
		from := h.Agent
		text := "assigned to " + target.ID + " by " + by.ID
		if from != "" {
			text = fmt.Sprintf("reassigned from %s to %s by %s", from, target.ID, by.ID)
		}
		if note = strings.TrimSpace(note); note != "" {
			text += ": " + note
		}
		h.Agent, h.Status, h.UpdatedAt = target.ID, HandoffAssigned, now
		h.History = append(h.History, store.StatusChange{Status: HandoffAssigned, Actor: actor, At: now, Note: text})
		return d.audit(actor, "handoff.assign", h, map[string]any{"agent": target.ID, "from": from, "note": note}), nil
	})
	if err != nil {
		return h, err
	}
	last := lastAssigned(h)
	if repeat && h.History[last].Actor != actor {
		return h, nil // they took it themselves, and joined then
	}
	// Keyed by the entry that gave it to the target: a retry (or a repeat)
	// joins once, and a later assignment back to them joins again.
	key := fmt.Sprintf("assign:%s:%d", h.ID, last)
	_, err = d.e.Act(ctx, h.ConversationID, key, dialog.Input{Agent: &dialog.AgentAction{Kind: dialog.AgentJoined, Agent: target.ID, Name: target.Name}})
	return h, err
}

// lastAssigned is the place in h's history of the latest assignment.
func lastAssigned(h store.Handoff) int {
	for i := len(h.History) - 1; i >= 0; i-- {
		if h.History[i].Status == HandoffAssigned {
			return i
		}
	}
	return -1
}
