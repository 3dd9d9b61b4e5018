package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/policies"
)

// ApprovalInfo is an approval a turn asked for.
type ApprovalInfo struct {
	ID     string `json:"id"`
	Queue  string `json:"queue"`
	Reason string `json:"reason"`
}

// Outcomes of carrying out a decision, besides a failed call's error code.
const (
	OutcomeOK   = "ok"   // the approved call succeeded
	OutcomeDone = "done" // a rejection or expiry was told
)

// askApproval records the approval the dialog asks for: the call waits in the
// store, exactly as it will run, until someone decides.
func (t *turn) askApproval(eff dialog.Effect) {
	req := eff.Approval
	id := t.e.newID("approval")
	input, _ := json.Marshal(req.Call.Input) // map keys sorted: one canonical text
	t.rec.Approvals = append(t.rec.Approvals, store.Approval{
		ID: id, ConversationID: t.msg.ConversationID, CustomerID: firstNonEmpty(t.msg.CustomerID, t.conv.CustomerID),
		Request: eff.ID, Queue: req.Queue, Role: req.Role, Reason: req.Reason,
		Call: store.ApprovalCall{
			Name: req.Call.Name, Connector: req.Call.Connector, Operation: req.Call.Operation,
			Input: input, IdempotencyKey: req.Call.IdempotencyKey,
		},
		Status: store.ApprovalPending, ExpiresAt: t.now.Add(req.ExpiresIn), CreatedAt: t.now,
		History: []store.StatusChange{{Status: store.ApprovalPending, Actor: "bot", At: t.now, Note: req.Reason}},
	})
	t.result.Approvals = append(t.result.Approvals, ApprovalInfo{ID: id, Queue: req.Queue, Reason: req.Reason})
	t.rec.Audit = append(t.rec.Audit, t.audit("bot", "approval.request", map[string]any{
		"id": ID(id), "queue": req.Queue, "reason": req.Reason, "connector": req.Call.Connector, "operation": req.Call.Operation,
		"input": req.Call.Input, "idempotency_key": req.Call.IdempotencyKey,
	}))
}

// CarryOut runs the locked turn that carries out a decided approval: on
// approval the call runs, through the connector's timeout, retries, breaker
// and audit, with the idempotency key it was asked with; then the customer is
// told what the analyst wrote. The turn records the outcome on the approval
// in its own commit. It is keyed by the approval, so however often it runs
// (a double click, two supervisors, a retry after a crash) the conversation
// sees it once; a crash after the call and before the commit runs the call
// again with the same key, which the system called deduplicates.
func (e *Engine) CarryOut(ctx context.Context, a store.Approval) (*TurnResult, error) {
	if a.Status == store.ApprovalPending {
		return nil, fmt.Errorf("%w: approval %s is not decided", ErrInvalidInput, a.ID)
	}
	in := dialog.Input{Approval: &dialog.ApprovalDecision{
		ApprovalID: a.ID, Request: a.Request, Decision: a.Status, Agent: strings.TrimPrefix(a.DecidedBy, "agent:"), Note: a.Note,
	}}
	return e.act(ctx, a.ConversationID, "approval:"+a.ID, "", in, func(t *turn) { t.completeApproval(a) })
}

// completeApproval records how the decision's turn went: "ok" or the
// approved call's error code, "done" after a rejection or expiry, "error"
// when the dialog could not carry it out (it no longer awaited it).
func (t *turn) completeApproval(a store.Approval) {
	outcome := ""
	decided := false
	for _, se := range t.rec.Events {
		var ev dialog.Event
		if json.Unmarshal(se.Data, &ev) != nil {
			continue
		}
		switch {
		case ev.Type == dialog.EventApprovalDecided:
			decided = true
			if a.Status != store.ApprovalApproved {
				outcome = OutcomeDone
			}
		case decided && outcome == "" && ev.Type == dialog.EventCallCompleted:
			outcome = firstNonEmpty(ev.Error, OutcomeOK)
		}
	}
	if outcome == "" {
		outcome = "error"
	}
	t.rec.Approvals = append(t.rec.Approvals, store.Approval{
		ID: a.ID, ConversationID: a.ConversationID, Outcome: outcome, CompletedAt: t.now,
		History: []store.StatusChange{{Status: a.Status, Actor: "bot", At: t.now, Note: "carried out: " + outcome}},
	})
	t.rec.Audit = append(t.rec.Audit, t.audit("bot", "approval.complete", map[string]any{"id": ID(a.ID), "decision": a.Status, "outcome": outcome}))
}

// errNoPendingApproval is a decision turn with nothing to decide: a failure of
// the test, not of the run.
var errNoPendingApproval = errors.New("the bot has asked for no approval that is still undecided")

// decideForTest plays a person's decision on the approval the conversation
// asked for last, as a conversation test's decision turn does.
func (e *Engine) decideForTest(ctx context.Context, conversationID, decision string) (*TurnResult, error) {
	pending, err := e.store.Approvals(ctx, store.ApprovalFilter{ConversationID: conversationID, Status: store.ApprovalPending})
	if err != nil {
		return nil, err
	}
	if len(pending) == 0 {
		return nil, errNoPendingApproval
	}
	now := e.clock()
	a, err := e.store.UpdateApproval(ctx, pending[len(pending)-1].ID, func(a *store.Approval) (store.AuditEntry, error) {
		a.Status, a.DecidedBy, a.DecidedAt = decision, "agent:test", now
		a.History = append(a.History, store.StatusChange{Status: decision, Actor: "agent:test", At: now})
		return store.AuditEntry{}, nil
	})
	if err != nil {
		return nil, err
	}
	return e.CarryOut(ctx, a)
}

// checkApproval compares a test turn's approval expectation with the turn.
func checkApproval(want *policies.TestTurn, got *TurnResult) []string {
	if want.Approval == "" {
		return nil
	}
	var queues []string
	for _, a := range got.Approvals {
		queues = append(queues, a.Queue)
	}
	switch {
	case want.Approval == "none":
		if len(queues) > 0 {
			return []string{fmt.Sprintf("expected no approval asked, got approvals in %v", queues)}
		}
	case !contains(queues, want.Approval):
		return []string{fmt.Sprintf("expected an approval asked in queue %q, got approvals in %v", want.Approval, queues)}
	}
	return nil
}
