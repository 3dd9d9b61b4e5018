package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store"
)

// Decisions a person makes on an approval (the approval's status after it).
const (
	Approve = store.ApprovalApproved
	Reject  = store.ApprovalRejected
	Expire  = store.ApprovalExpired
)

// unfinishedGrace is how long a decided approval may wait for its turn before
// the sweeper carries it out itself: longer than a decision takes, so the
// sweeper only finishes what a crash left.
const unfinishedGrace = 30 * time.Second

// Approvals lists approvals, newest first.
func (d *Desk) Approvals(ctx context.Context, f store.ApprovalFilter) ([]store.Approval, error) {
	as, err := d.e.Store().Approvals(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("approvals: %w", err)
	}
	slices.Reverse(as)
	return as, nil
}

// Approval loads one approval.
func (d *Desk) Approval(ctx context.Context, id string) (store.Approval, error) {
	return d.e.Store().Approval(ctx, id)
}

// MayDecide says whether agent may decide a: their role is at least the one
// the analyst asked for, and they work the approval's queue (admins, and
// people with no skills, work every queue).
func (d *Desk) MayDecide(a store.Approval, agent store.Agent) error {
	need := a.Role
	if need == "" {
		need = RoleSupervisor
	}
	if RoleRank(agent.Role) < RoleRank(need) {
		return fmt.Errorf("%w: approval %s needs a %s", engine.ErrForbidden, a.ID, need)
	}
	if agent.Role != RoleAdmin && !hasSkill(agent, store.Handoff{Queue: a.Queue, Skill: d.queueSkill(a.Queue)}) {
		return fmt.Errorf("%w: approval %s waits in queue %s, which you don't work", engine.ErrForbidden, a.ID, a.Queue)
	}
	return nil
}

// Decide records a person's decision on an approval, row-locked and audited,
// then carries it out in the conversation (Engine.CarryOut): on approval the
// call runs, with its retries and audit; the customer is told what the
// analyst wrote. The result holds what the customer was told, for channels
// that deliver it (marked Duplicate when this was a repeat already carried
// out; nil when the conversation is gone).
//
// Exactly once: the same decision again (a double click, a second supervisor,
// a retry after a crash between recording and carrying out) finishes the job
// instead of repeating it, since the turn is keyed by the approval; the other
// decision after the first is a conflict. A request past its expiry is
// expired instead, and the decision refused.
func (d *Desk) Decide(ctx context.Context, id string, agent store.Agent, decision, note string) (store.Approval, *engine.TurnResult, error) {
	if decision != Approve && decision != Reject {
		return store.Approval{}, nil, fmt.Errorf("%w: decision must be %s or %s", engine.ErrInvalidInput, Approve, Reject)
	}
	if len(note) > engine.MaxMessageBytes {
		return store.Approval{}, nil, fmt.Errorf("%w: note is over %d bytes", engine.ErrMessageTooLarge, engine.MaxMessageBytes)
	}
	return d.decide(ctx, id, "agent:"+agent.ID, decision, strings.TrimSpace(note), &agent)
}

// decide records and carries out a decision by actor; agent is nil for the
// system's expiries.
func (d *Desk) decide(ctx context.Context, id, actor, decision, note string, agent *store.Agent) (store.Approval, *engine.TurnResult, error) {
	now := d.e.Now()
	var refused error
	a, err := d.e.Store().UpdateApproval(ctx, id, func(a *store.Approval) (store.AuditEntry, error) {
		refused = nil
		if agent != nil {
			if err := d.MayDecide(*a, *agent); err != nil {
				return store.AuditEntry{}, err
			}
		}
		switch {
		case a.Status == decision:
			// A double click, a second tab, a retry: the decision stands as
			// made, and the audit keeps the one that made it (a change of a
			// ticket to what it is already adds no entry either).
			return store.AuditEntry{}, nil
		case a.Status != store.ApprovalPending:
			return store.AuditEntry{}, fmt.Errorf("%w: approval %s was %s by %s", store.ErrConflict, a.ID, a.Status, a.DecidedBy)
		case decision != Expire && !a.ExpiresAt.IsZero() && !now.Before(a.ExpiresAt):
			refused = fmt.Errorf("%w: approval %s expired at %s", store.ErrConflict, a.ID, a.ExpiresAt.UTC().Format(time.RFC3339))
			actor, decision, note = "system", Expire, ""
		}
		a.Status, a.DecidedBy, a.DecidedAt, a.Note = decision, actor, now, note
		a.History = append(a.History, store.StatusChange{Status: decision, Actor: actor, At: now, Note: note})
		return d.auditApproval(actor, "approval."+decision, a, map[string]any{"note": note}), nil
	})
	if err != nil {
		return store.Approval{}, nil, err
	}
	res, err := d.carryOut(ctx, a)
	if err != nil {
		return a, nil, err
	}
	if done, err := d.e.Store().Approval(ctx, a.ID); err == nil {
		a = done // with its outcome
	}
	return a, res, refused
}

// carryOut runs the decision's turn unless it ran already. A turn that ran
// gives its first result, marked Duplicate, so that what the customer was
// told can be recorded again if a crash lost it (the turn is keyed by the
// approval).
func (d *Desk) carryOut(ctx context.Context, a store.Approval) (*engine.TurnResult, error) {
	res, err := d.e.CarryOut(ctx, a)
	if errors.Is(err, store.ErrNotFound) && !a.CompletedAt.IsZero() {
		return nil, nil // purged since: nobody to tell
	}
	if errors.Is(err, store.ErrNotFound) {
		// The conversation was purged: nobody to tell, nothing to run for.
		_, err = d.e.Store().UpdateApproval(ctx, a.ID, func(a *store.Approval) (store.AuditEntry, error) {
			a.Outcome, a.CompletedAt = "conversation_gone", d.e.Now()
			return store.AuditEntry{}, nil
		})
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("carry out approval %s: %w", a.ID, err)
	}
	return res, nil
}

func (d *Desk) auditApproval(actor, action string, a *store.Approval, detail map[string]any) store.AuditEntry {
	if detail == nil {
		detail = map[string]any{}
	}
	detail["approval"] = engine.ID(a.ID)
	detail["queue"] = a.Queue
	detail["operation"] = a.Call.Connector + "." + a.Call.Operation
	return d.e.Audit(actor, action, a.ConversationID, detail)
}

// Carried is a decision the sweeper carried out: what the customer was told.
type Carried struct {
	Approval store.Approval
	Result   *engine.TurnResult // nil when there was nothing to tell
}

// SweepResult is what one sweep did.
type SweepResult struct {
	Carried  []Carried      // approvals expired, or decided and finished after a crash
	Breached []store.Ticket // tickets whose SLA breach was flagged
}

// Sweep does the desk's background work: it expires approvals nobody decided
// in time, finishes decisions a crash left undone, and flags tickets past
// their due time. Each part goes on after another fails; the errors are
// joined.
func (d *Desk) Sweep(ctx context.Context) (SweepResult, error) {
	var out SweepResult
	var errs []error
	now := d.e.Now()
	expired, err := d.e.Store().Approvals(ctx, store.ApprovalFilter{Status: store.ApprovalPending, ExpiresBefore: now})
	if err != nil {
		errs = append(errs, fmt.Errorf("expired approvals: %w", err))
	}
	for _, a := range expired {
		got, res, err := d.decide(ctx, a.ID, "system", Expire, "", nil)
		switch {
		case errors.Is(err, store.ErrConflict):
			continue // decided meanwhile
		case err != nil:
			errs = append(errs, err)
			continue
		}
		out.Carried = append(out.Carried, Carried{Approval: got, Result: res})
	}
	unfinished, err := d.e.Store().Approvals(ctx, store.ApprovalFilter{Unfinished: true})
	if err != nil {
		errs = append(errs, fmt.Errorf("unfinished approvals: %w", err))
	}
	for _, a := range unfinished {
		if now.Sub(a.DecidedAt) < unfinishedGrace {
			continue // its decision is still being carried out
		}
		res, err := d.carryOut(ctx, a)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got, err := d.e.Store().Approval(ctx, a.ID)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out.Carried = append(out.Carried, Carried{Approval: got, Result: res})
	}
	out.Breached, err = d.FlagBreaches(ctx)
	if err != nil {
		errs = append(errs, err)
	}
	return out, errors.Join(errs...)
}

// ApprovalRule is the rule (or dialog outcome) whose action list asked for
// a, and the analyst's description of it: what a supervisor weighs besides
// the reason. Read from the request's event in the conversation's log; ""
// when the log no longer has it.
func (d *Desk) ApprovalRule(ctx context.Context, a store.Approval) (name, description string, err error) {
	evs, err := d.e.Store().Events(ctx, a.ConversationID, 0, 0)
	if err != nil {
		return "", "", fmt.Errorf("events of approval %s: %w", a.ID, err)
	}
	for _, se := range evs {
		if se.Type != dialog.EventApprovalRequested {
			continue // decode only the requests, not the whole conversation
		}
		var ev dialog.Event
		if err := json.Unmarshal(se.Data, &ev); err != nil {
			return "", "", fmt.Errorf("decode event %d: %w", se.Seq, err)
		}
		if ev.Approval == nil || ev.Approval.Request != a.Request || ev.Approval.Ref == nil {
			continue
		}
		ref := ev.Approval.Ref
		switch ref.Kind {
		case "rule":
			for _, r := range d.e.Bot().Rules {
				if r.Name == ref.Name {
					return ref.Name, r.Description, nil
				}
			}
			return ref.Name, "", nil // gone from the policies since
		case "outcome":
			return "outcome " + ref.Dialog + "." + ref.Name, "", nil // outcomes have no description
		}
		return "", "", nil
	}
	return "", "", nil
}
