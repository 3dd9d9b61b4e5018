package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine/store"
)

// Act runs one locked turn for something other than a customer message: an
// agent's action, a survey answer. clientID, when set, makes it idempotent: a
// retry returns the first result, marked Duplicate.
func (e *Engine) Act(ctx context.Context, conversationID, clientID string, in dialog.Input) (*TurnResult, error) {
	return e.act(ctx, conversationID, clientID, "", in, nil)
}

// ActOnce is Act whose clientID replaces an earlier form of it, earlierID:
// an action done under earlierID before its key changed, and the same
// request, is done already, so that a retry across an upgrade is still one
// action. A different request under earlierID is no reuse: the new key is
// what tells them apart.
func (e *Engine) ActOnce(ctx context.Context, conversationID, clientID, earlierID string, in dialog.Input) (*TurnResult, error) {
	return e.act(ctx, conversationID, clientID, earlierID, in, nil)
}

// begin locks the conversation and, where the store can, reads in the same
// round trip whether the client message id was processed and, when agents is
// set, the agents.
func (e *Engine) begin(ctx context.Context, conversationID, clientID string, agents bool) (store.Tx, error) {
	if b, ok := e.store.(store.TurnBeginner); ok && (clientID != "" || agents) {
		return b.BeginTurn(ctx, conversationID, store.BeginOptions{ClientMessageID: clientID, Agents: agents})
	}
	return e.store.Begin(ctx, conversationID)
}

// act runs one locked turn for something other than a customer message: an
// agent's action, a survey answer or a hand-back. clientID, when set, makes it
// idempotent. record, when not nil, adds to the turn's record after the dialog
// has run and before the commit, for writes the dialog knows nothing of.
func (e *Engine) act(ctx context.Context, conversationID, clientID, earlierID string, in dialog.Input, record func(t *turn)) (*TurnResult, error) {
	if to, release, err := e.routed(ctx, conversationID); err != nil || to != nil {
		if err != nil {
			return nil, err
		}
		defer release()
		return to.act(ctx, conversationID, clientID, earlierID, in, record)
	}
	tx, err := e.begin(ctx, conversationID, clientID, false)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), turnTimeout)
	defer cancel()
	defer tx.Rollback(ctx)
	request := actFingerprint(in)
	if res, done, err := processedResult(ctx, tx, clientID, request); err != nil || done {
		return res, err
	}
	if earlierID != "" && clientID != "" {
		res, done, err := processedResult(ctx, tx, earlierID, request)
		switch {
		case done:
			return res, nil
		case err != nil && !errors.Is(err, ErrIDReused):
			return nil, err
		}
	}
	conv := tx.Conversation()
	if conv.LastSeq == 0 {
		return nil, fmt.Errorf("conversation %q: %w", conversationID, store.ErrNotFound)
	}
	st, err := e.Restore(conv)
	if err != nil {
		return nil, err
	}
	now := e.clock().Round(0) // the time the log keeps: no monotonic reading
	t := &turn{e: e, tx: tx, conv: conv, now: now, msg: Message{ConversationID: conversationID, ClientMessageID: clientID, Channel: conv.Channel, CustomerID: conv.CustomerID}, request: request}
	t.result.ConversationID = conversationID
	in.Now = now
	var events []dialog.Event
	st, err = t.run(ctx, st, in, &events)
	if err != nil {
		return nil, err
	}
	if err := t.finish(ctx, st, events); err != nil {
		return nil, err
	}
	if record != nil {
		record(t)
	}
	if err := t.commit(ctx); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	return &t.result, nil
}

// processedResult is the result of the turn already done for clientID, marked
// Duplicate, so that a redelivery does nothing again; done is false when no
// turn has had that id (or there is none). A redelivery must be the same
// request: the id reused for a different one (request, a fingerprint, differs
// from the stored one) is ErrIDReused rather than the first result passed off
// as the answer to the second.
func processedResult(ctx context.Context, tx store.Tx, clientID, request string) (res *TurnResult, done bool, err error) {
	if clientID == "" {
		return nil, false, nil
	}
	raw, ok, err := tx.Processed(ctx, clientID)
	if err != nil {
		return nil, false, fmt.Errorf("check redelivery: %w", err)
	}
	if !ok {
		return nil, false, nil
	}
	stored := processedTurn{TurnResult: &TurnResult{}}
	if err := json.Unmarshal(raw, &stored); err != nil {
		return nil, false, fmt.Errorf("decode stored result: %w", err)
	}
	// Results stored before fingerprints were kept have none: they pass.
	if stored.Request != "" && request != "" && stored.Request != request {
		return nil, false, fmt.Errorf("%w: client message id %q was used before for a different message; send each new message with a new id", ErrIDReused, clientID)
	}
	stored.Duplicate = true
	return stored.TurnResult, true, nil
}

// processedTurn is what the store keeps for a client message id: the turn's
// result and the fingerprint of the request that made it.
type processedTurn struct {
	*TurnResult
	Request string `json:"request_sha256,omitempty"`
}

// fingerprint is a request's identity for the reuse check: a hash, so the
// store keeps no second copy of the text.
func fingerprint(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s;", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// actFingerprint covers what a client sends with its own id (an agent's reply
// or note, a rating); the engine's own keys (claims, closes) carry none.
func actFingerprint(in dialog.Input) string {
	switch {
	case in.Agent != nil && (in.Agent.Kind == dialog.AgentMessage || in.Agent.Kind == dialog.AgentNote):
		return fingerprint(in.Agent.Kind, in.Agent.Text)
	case in.Satisfaction != nil:
		return fingerprint("rating", fmt.Sprint(in.Satisfaction.Score), in.Satisfaction.Comment)
	}
	return ""
}
